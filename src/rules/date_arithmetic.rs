use sqlparser::ast::{BinaryOperator, DataType, Expr, Value};
use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;
use crate::sql::types::Ty;

crate::rule! {
    /// ## What it does
    /// Rewrites `date ± n` (an integer number of days added to something visibly a DATE:
    /// `CURRENT_DATE`, a cast to DATE, `TRUNC(…)`) to `date_add(date, ±n)`, and reports
    /// `timestamp ± n` (`GETDATE() - 1`, `SYSDATE - 7`), which has no exact equivalent. With a
    /// column-type CSV (`--column-types`), DATE and TIMESTAMP columns count as dates and
    /// timestamps, and an INTEGER column as the number of days.
    ///
    /// ## Why it differs on Databricks
    /// Databricks' `+`/`-` on dates take intervals; `timestamp - 1` is a type error under ANSI
    /// mode. `date_add(d, n)` returns a DATE like Redshift's `date + n`. For timestamps write
    /// `ts - INTERVAL 1 DAY` once you have checked what the Redshift query meant.
    ///
    /// ## Example
    /// ```sql
    /// SELECT * FROM t WHERE d >= CURRENT_DATE - 7
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT * FROM t WHERE d >= date_add(CURRENT_DATE, -7)
    /// ```
    pub struct DateArithmetic;
    code: "RS112",
    name: "date-integer-arithmetic",
    summary: "date ± integer becomes date_add(date, ±n); timestamp ± integer is reported",
    confidence: Exact,
    databricks_invalid: false,
}

fn is_date(e: &Expr) -> bool {
    match e {
        Expr::Nested(i) => is_date(i),
        Expr::Function(f) => {
            matches!(
                Checker::fn_name(f).as_str(),
                "CURRENT_DATE" | "TRUNC" | "TO_DATE" | "LAST_DAY" | "NEXT_DAY"
            ) && !matches!(f.args, sqlparser::ast::FunctionArguments::Subquery(_))
        }
        Expr::Identifier(id) => {
            id.quote_style.is_none() && id.value.eq_ignore_ascii_case("current_date")
        }
        Expr::Cast {
            data_type: DataType::Date,
            ..
        } => true,
        Expr::TypedString(ts) => matches!(ts.data_type, DataType::Date),
        _ => false,
    }
}

fn is_timestamp(e: &Expr) -> bool {
    match e {
        Expr::Nested(i) => is_timestamp(i),
        Expr::Function(f) => matches!(
            Checker::fn_name(f).as_str(),
            "GETDATE"
                | "CURRENT_TIMESTAMP"
                | "DATEADD"
                | "DATE_ADD"
                | "DATE_TRUNC"
                | "CONVERT_TIMEZONE"
        ),
        Expr::Identifier(id) => {
            id.quote_style.is_none() && id.value.eq_ignore_ascii_case("sysdate")
        }
        Expr::Cast {
            data_type: DataType::Timestamp(..),
            ..
        } => true,
        _ => false,
    }
}

fn is_int(e: &Expr) -> bool {
    match e {
        Expr::Value(v) => {
            matches!(&v.value, Value::Number(n, _) if n.chars().all(|c| c.is_ascii_digit()))
        }
        Expr::Nested(i) => is_int(i),
        _ => false,
    }
}

impl Rule for DateArithmetic {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::BinaryOp { left, op, right } = e else {
            return;
        };
        let minus = match op {
            BinaryOperator::Plus => false,
            BinaryOperator::Minus => true,
            _ => return,
        };
        // A known INTEGER column adds days too; other expressions (`a + b`) would need
        // parentheses after the `-`, so only single names and literals count.
        let int_column = matches!(&**right, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
            && cx.ty(right) == Ty::Int;
        if !is_int(right) && !int_column {
            return;
        }
        let ty = cx.ty(left);
        let date = is_date(left) || ty == Ty::Date;
        if !date && (int_column || !is_timestamp(left) && ty != Ty::Timestamp) {
            return;
        }
        let (Some(l), Some(r)) = (cx.expr_range(left), cx.expr_range(right)) else {
            return;
        };
        // The operator token between the operands.
        let toks = cx.tokens;
        let between = toks.at(l.end)..toks.at(r.start);
        let ops: Vec<usize> = between
            .filter(|&k| matches!(toks.toks[k].token, Token::Plus | Token::Minus))
            .collect();
        if ops.len() != 1 {
            return;
        }
        let span = l.start..r.end;
        if date {
            cx.fix(
                span,
                vec![
                    "date_add(".into(),
                    Piece::Src(l),
                    if minus { ", -" } else { ", " }.into(),
                    Piece::Src(r),
                    ")".into(),
                ],
                "date ± integer is date_add on Databricks",
            );
        } else {
            let n = cx.slice(&r).to_string();
            let lhs = cx.slice(&l).to_string();
            cx.report(
                span,
                format!("timestamp {} integer: Databricks rejects it; if days are meant, write `{lhs} {} INTERVAL {n} DAY`", if minus { "-" } else { "+" }, if minus { "-" } else { "+" }),
                Some(format!("{lhs} {} INTERVAL {n} DAY", if minus { "-" } else { "+" })),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn date_minus_days() {
        assert_eq!(
            out("SELECT * FROM t WHERE d >= CURRENT_DATE - 7 AND e < CAST(x AS DATE) + 1"),
            "SELECT * FROM t WHERE d >= date_add(CURRENT_DATE, -7) AND e < date_add(CAST(x AS DATE), 1)"
        );
    }

    #[test]
    fn typed_date_plus_days() {
        let t = out(
            "CREATE TABLE s (d DATE, n INT, ts TIMESTAMP);\nSELECT d + n, d - 1, ts + n FROM s",
        );
        assert!(
            t.ends_with("SELECT date_add(d, n), date_add(d, -1), ts + n FROM s"),
            "{t}"
        );
        assert!(codes("CREATE TABLE s (ts TIMESTAMP);\nSELECT ts - 1 FROM s").contains(&"RS112"));
    }

    #[test]
    fn timestamp_minus_int_is_reported() {
        assert_eq!(codes("SELECT SYSDATE - 1"), vec!["RS102", "RS112"]);
        assert_eq!(
            out("SELECT GETDATE() - 1"),
            "SELECT current_timestamp() - 1"
        );
    }
}
