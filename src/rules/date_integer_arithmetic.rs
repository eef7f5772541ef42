use std::ops::Range;

use sqlparser::ast::{BinaryOperator, DataType, Expr};

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::types::Ty;

crate::rule! {
    /// ## What it does
    /// Rewrites the difference of two values that are visibly DATEs, `d1 - d2`, to
    /// `datediff(d1, d2)`, and warns on the difference of two visible TIMESTAMPs. A DATE is
    /// `CURRENT_DATE`, `DATE '…'`, `x::date` or `CAST(x AS DATE)`; a TIMESTAMP is `GETDATE()`,
    /// `SYSDATE`, `CURRENT_TIMESTAMP`, `TIMESTAMP '…'` or a cast to TIMESTAMP. (`date ± integer`
    /// and `timestamp ± integer` belong to the date-arithmetic rule.)
    ///
    /// ## Why it differs on Databricks
    /// Redshift's `date - date` is an INTEGER number of days; Databricks returns an INTERVAL,
    /// which fails in comparisons with numbers (`d2 - d1 > 30`). `datediff(d2, d1)` returns the
    /// days. `timestamp - timestamp` is an interval in both, but Databricks has no
    /// `EXTRACT(EPOCH FROM interval)`: seconds are `(unix_micros(a) - unix_micros(b)) / 1e6`.
    /// Columns count when a column-type CSV (`--column-types`) gives their type: `d2 - d1` over
    /// two DATE columns becomes `datediff(d2, d1)`. Columns whose type the tool cannot see are
    /// left alone (Databricks rejects `interval > 30` loudly, it does not return other rows).
    ///
    /// ## Example
    /// ```sql
    /// SELECT CURRENT_DATE - signup_date::date FROM users
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT datediff(current_date(), signup_date::date) FROM users
    /// ```
    pub struct DateIntegerArithmetic;
    code: "RS159",
    name: "date-difference",
    summary: "date - date becomes datediff(); timestamp - timestamp gets an EPOCH warning",
    confidence: Exact,
    databricks_invalid: false,
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Date,
    Timestamp,
}

fn kind(e: &Expr) -> Option<Kind> {
    match e {
        Expr::Function(f) => match Checker::fn_name(f).as_str() {
            "CURRENT_DATE" => Some(Kind::Date),
            "GETDATE" | "CURRENT_TIMESTAMP" | "SYSDATE" => Some(Kind::Timestamp),
            _ => None,
        },
        Expr::Identifier(i) if i.quote_style.is_none() => {
            match i.value.to_ascii_uppercase().as_str() {
                "SYSDATE" | "CURRENT_TIMESTAMP" => Some(Kind::Timestamp),
                "CURRENT_DATE" => Some(Kind::Date),
                _ => None,
            }
        }
        Expr::Cast { data_type, .. } => data_kind(data_type),
        Expr::TypedString(ts) => data_kind(&ts.data_type),
        Expr::Nested(inner) => kind(inner),
        _ => None,
    }
}

fn data_kind(t: &DataType) -> Option<Kind> {
    match t {
        DataType::Date => Some(Kind::Date),
        DataType::Timestamp(..) | DataType::Datetime(_) => Some(Kind::Timestamp),
        _ => None,
    }
}

/// Byte range of an operand: the kinds `Checker::expr_range` knows, plus `::` casts, CAST(…),
/// typed strings (`DATE '…'`) and parenthesised expressions of those.
fn operand(cx: &Checker<'_, '_>, e: &Expr) -> Option<Range<usize>> {
    let toks = cx.tokens;
    match e {
        Expr::Cast {
            kind: sqlparser::ast::CastKind::DoubleColon,
            expr,
            ..
        } => {
            let inner = operand(cx, expr)?;
            let ty = toks.cast_type(inner.end, cx.stmt.end)?;
            Some(inner.start..ty.end)
        }
        Expr::Cast { expr, .. } => {
            let inner = operand(cx, expr)?;
            let open = toks.prev_sig(toks.at(inner.start), cx.stmt.start)?;
            let name = toks.prev_sig(open, cx.stmt.start)?;
            if !toks.toks[name].is_word("CAST") && !toks.toks[name].is_word("TRY_CAST") {
                return None;
            }
            let close = toks.matching_paren(open, cx.stmt.end)?;
            Some(toks.toks[name].start..toks.toks[close].end)
        }
        Expr::TypedString(ts) => {
            let lit = cx.range(ts.value.span)?;
            let kw = toks.prev_sig(toks.at(lit.start), cx.stmt.start)?;
            Some(toks.toks[kw].start..lit.end)
        }
        Expr::Nested(inner) => {
            let r = operand(cx, inner)?;
            let open = toks.prev_sig(toks.at(r.start), cx.stmt.start)?;
            let close = toks.next_sig(toks.at(r.end), cx.stmt.end)?;
            Some(toks.toks[open].start..toks.toks[close].end)
        }
        Expr::UnaryOp { .. } => None,
        _ => cx.expr_range(e),
    }
}

impl Rule for DateIntegerArithmetic {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::BinaryOp { left, op, right } = e else {
            return;
        };
        if *op != BinaryOperator::Minus {
            return;
        }
        let typed = |e: &Expr| {
            kind(e).or(match cx.ty(e) {
                Ty::Date => Some(Kind::Date),
                Ty::Timestamp => Some(Kind::Timestamp),
                _ => None,
            })
        };
        let (Some(lk), Some(rk)) = (typed(left), typed(right)) else {
            return;
        };
        let (Some(l), Some(r)) = (operand(cx, left), operand(cx, right)) else {
            return;
        };
        match (lk, rk) {
            (Kind::Date, Kind::Date) => cx.fix(
                l.start..r.end,
                vec![
                    "datediff(".into(),
                    l.into(),
                    ", ".into(),
                    r.into(),
                    ")".into(),
                ],
                "date - date is an INTEGER of days on Redshift but an INTERVAL on Databricks; \
                 datediff returns the days",
            ),
            (Kind::Timestamp, Kind::Timestamp) => cx.warn(
                l.start..r.end,
                "timestamp - timestamp is an INTERVAL DAY TO SECOND on Databricks too, but \
                 EXTRACT(EPOCH FROM …) of it does not exist: use \
                 (unix_micros(a) - unix_micros(b)) / 1e6 for seconds",
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn date_minus_date_becomes_datediff() {
        assert_eq!(
            out("SELECT DATE '2024-03-01' - DATE '2024-01-01', a::date - CAST(b AS DATE) FROM t"),
            "SELECT datediff(DATE '2024-03-01', DATE '2024-01-01'), datediff(a::date, CAST(b AS DATE)) FROM t"
        );
    }

    #[test]
    fn typed_date_columns_become_datediff() {
        let t = out("CREATE TABLE s (d1 DATE, d2 DATE, n INT);\nSELECT d2 - d1, n - n FROM s");
        assert!(t.ends_with("SELECT datediff(d2, d1), n - n FROM s"), "{t}");
    }

    #[test]
    fn timestamp_difference_warns_and_columns_are_left_alone() {
        assert_eq!(
            codes("SELECT a::timestamp - b::timestamp FROM t"),
            vec!["RS159"]
        );
        assert!(codes("SELECT a - b FROM t").is_empty());
    }
}
