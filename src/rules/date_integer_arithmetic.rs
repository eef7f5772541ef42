use std::ops::Range;

use sqlparser::ast::{BinaryOperator, DataType, Expr};

use super::args::int_literal;
use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites arithmetic on values that are visibly DATEs: `d + n` / `d - n` with an integer
    /// literal `n` become `date_add(d, n)` / `date_sub(d, n)`, and `d1 - d2` becomes
    /// `datediff(d1, d2)`. A DATE is `CURRENT_DATE`, `DATE '…'`, `x::date` or
    /// `CAST(x AS DATE)`. Visible TIMESTAMPs (`GETDATE()`, `SYSDATE`, `CURRENT_TIMESTAMP`,
    /// `x::timestamp`) plus or minus an integer are reported; `timestamp - timestamp` gets a
    /// warning about EPOCH extraction.
    ///
    /// ## Why it differs on Databricks
    /// Redshift's `date - date` is an INTEGER number of days; Databricks returns an INTERVAL,
    /// which fails in comparisons with numbers. Databricks documents `+`/`-` on dates for
    /// intervals only, so integer day arithmetic is spelled with `date_add`/`date_sub`.
    /// `timestamp ± integer` is rejected by Databricks (ANSI), and what Redshift returned for it
    /// is not verified: write `ts - INTERVAL 'n' DAY` if days were meant. Columns whose type the
    /// tool cannot see are left alone.
    ///
    /// ## Example
    /// ```sql
    /// SELECT CURRENT_DATE - 7, CURRENT_DATE - signup_date::date FROM users
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT date_sub(current_date(), 7), datediff(current_date(), signup_date::date) FROM users
    /// ```
    pub struct DateIntegerArithmetic;
    code: "RS159",
    name: "date-integer-arithmetic",
    summary: "date ± n becomes date_add/date_sub, date - date becomes datediff; timestamp ± n is reported",
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
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::BinaryOp { left, op, right } = e else {
            return;
        };
        let minus = match op {
            BinaryOperator::Plus => false,
            BinaryOperator::Minus => true,
            _ => return,
        };
        let Some(lk) = kind(left) else { return };
        let n = int_literal(right);
        let rk = kind(right);
        let (Some(l), Some(r)) = (operand(cx, left), operand(cx, right)) else {
            return;
        };
        match (lk, n, rk) {
            (Kind::Date, Some(_), _) => {
                let f = if minus { "date_sub(" } else { "date_add(" };
                cx.fix(
                    l.start..r.end,
                    vec![f.into(), l.into(), ", ".into(), r.into(), ")".into()],
                    "date ± integer is spelled date_add/date_sub on Databricks",
                );
            }
            (Kind::Date, None, Some(Kind::Date)) if minus => cx.fix(
                l.start..r.end,
                vec!["datediff(".into(), l.into(), ", ".into(), r.into(), ")".into()],
                "date - date is an INTEGER of days on Redshift but an INTERVAL on Databricks; \
                 datediff returns the days",
            ),
            (Kind::Timestamp, None, Some(Kind::Timestamp)) if minus => cx.warn(
                l.start..r.end,
                "timestamp - timestamp is an INTERVAL DAY TO SECOND on Databricks too, but                  EXTRACT(EPOCH FROM …) of it does not exist: use                  (unix_micros(a) - unix_micros(b)) / 1e6 for seconds",
            ),
            (Kind::Timestamp, Some(_), _) => cx.report(
                l.start..r.end,
                "timestamp ± integer is rejected by Databricks: write ts ± INTERVAL 'n' DAY (or \
                 date_add on a DATE) for the meaning the query needs",
                None,
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn date_minus_integer_and_date_minus_date() {
        assert_eq!(
            out("SELECT DATE '2024-03-01' - 7, a::date - b::date, CAST(x AS DATE) + 1 FROM t"),
            "SELECT date_sub(DATE '2024-03-01', 7), datediff(a::date, b::date), date_add(CAST(x AS DATE), 1) FROM t"
        );
    }

    #[test]
    fn timestamp_minus_integer_is_reported_and_columns_left_alone() {
        assert!(codes("SELECT ts::timestamp - 1 FROM t").contains(&"RS159"));
        assert!(codes("SELECT a - 1 FROM t").is_empty());
        assert_eq!(
            codes("SELECT a::timestamp - b::timestamp FROM t"),
            vec!["RS159"]
        );
    }
}
