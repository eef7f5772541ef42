use sqlparser::ast::{DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Value};

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;
use crate::sql::types::Ty;
use crate::sql::Confidence;

crate::rule! {
    /// ## What it does
    /// Rewrites `TRUNC(timestamp)` to `to_date(timestamp)` when the argument is visibly a date or
    /// timestamp (`GETDATE()`, `SYSDATE`, a cast to DATE/TIMESTAMP, `DATEADD(…)`, `DATE_TRUNC(…)`
    /// …, or a DATE/TIMESTAMP column known from a column-type CSV given with `--column-types`),
    /// and numeric `TRUNC(x, n)` / `TRUNC(number)` (or `TRUNC(col)` of a known INTEGER/NUMERIC
    /// column) to `CASE WHEN x >= 0 THEN floor(x, n) ELSE ceil(x, n) END`. A one-argument
    /// `TRUNC(col)` whose type cannot be seen is reported, not guessed.
    ///
    /// ## Why it differs on Databricks
    /// Redshift's `TRUNC` is two functions: on a timestamp it returns the DATE, on a number it
    /// truncates toward zero. Databricks' `trunc` only takes `(date, format)`; numeric truncation
    /// has no function of its own. Other tools turn `TRUNC(ts)` into `CAST(ts AS BIGINT)`, which
    /// is wrong.
    ///
    /// ## Example
    /// ```sql
    /// SELECT TRUNC(GETDATE()), TRUNC(order_ts::timestamp), TRUNC(price, 1) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT to_date(current_timestamp()), to_date(order_ts::timestamp), CASE WHEN price >= 0 THEN floor(price, 1) ELSE ceil(price, 1) END FROM t
    /// ```
    pub struct Trunc;
    code: "RS106",
    name: "trunc",
    summary: "TRUNC(timestamp) becomes to_date(...); numeric TRUNC becomes floor/ceil; unknown types reported",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for Trunc {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "TRUNC" {
            return;
        }
        let FunctionArguments::List(list) = &f.args else {
            return;
        };
        let args: Vec<&Expr> = list
            .args
            .iter()
            .filter_map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                _ => None,
            })
            .collect();
        if args.len() != list.args.len() || args.is_empty() || args.len() > 2 {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        if call.args.len() != args.len() {
            return;
        }
        if args.len() == 2 {
            // Databricks' own trunc(date, 'MM') has a string format: leave it.
            if Checker::string_literal(args[1]).is_some() {
                return;
            }
            let (x, n) = (call.args[0].clone(), call.args[1].clone());
            cx.fix(
                call.range,
                numeric(x, Some(n)),
                "numeric TRUNC has no Databricks function; truncation toward zero spelled out",
            );
            return;
        }
        let x = call.args[0].clone();
        // A column's type from the column-type catalog: DATE/TIMESTAMP take the date form,
        // integers and NUMERIC the numeric one. (TIMESTAMPTZ is left to a person: its date
        // depends on the session time zone. REAL/DOUBLE too: floor/ceil of a DOUBLE is a
        // BIGINT on Databricks, which overflows where Redshift's DOUBLE does not.)
        let ty = cx.ty(args[0]);
        if is_datetime(args[0]) || matches!(ty, Ty::Date | Ty::Timestamp) {
            cx.fix_in(
                Confidence::Exact,
                call.range.clone(),
                call.name.clone(),
                vec!["to_date".into()],
                "TRUNC of a timestamp is its date: to_date on Databricks",
            );
        } else if is_number(args[0]) || matches!(ty, Ty::Int | Ty::Decimal) {
            cx.fix(
                call.range,
                numeric(x, None),
                "numeric TRUNC has no Databricks function; truncation toward zero spelled out",
            );
        } else {
            let arg = cx.slice(&x).to_string();
            let hint = if ty == Ty::Unknown {
                crate::sql::types::unknown_hint(cx)
            } else {
                ""
            };
            cx.report(
                call.range,
                format!(
                    "TRUNC({arg}): the type of the argument is unknown; use to_date({arg}) for a \
                     date/timestamp, CASE WHEN {arg} >= 0 THEN floor({arg}) ELSE ceil({arg}) END for a number{hint}"
                ),
                Some(format!("to_date({arg})")),
            );
        }
    }
}

fn numeric(x: std::ops::Range<usize>, n: Option<std::ops::Range<usize>>) -> Vec<Piece> {
    let mut p = vec![
        "CASE WHEN ".into(),
        Piece::Src(x.clone()),
        " >= 0 THEN floor(".into(),
        Piece::Src(x.clone()),
    ];
    if let Some(n) = &n {
        p.push(", ".into());
        p.push(Piece::Src(n.clone()));
    }
    p.push(") ELSE ceil(".into());
    p.push(Piece::Src(x));
    if let Some(n) = n {
        p.push(", ".into());
        p.push(Piece::Src(n));
    }
    p.push(") END".into());
    p
}

/// Whether an expression is visibly a date or timestamp.
pub(crate) fn is_datetime(e: &Expr) -> bool {
    match e {
        Expr::Nested(inner) => is_datetime(inner),
        Expr::Identifier(id) => {
            id.quote_style.is_none()
                && ["sysdate", "current_date", "current_timestamp"]
                    .iter()
                    .any(|n| id.value.eq_ignore_ascii_case(n))
        }
        Expr::Cast { data_type, .. } => {
            matches!(
                data_type,
                DataType::Date
                    | DataType::Timestamp(..)
                    | DataType::TimestampNtz(..)
                    | DataType::Datetime(..)
            ) || matches!(data_type, DataType::Custom(name, _) if {
                let n = name.to_string().to_ascii_lowercase();
                n == "timestamptz" || n == "timestamp_ntz"
            })
        }
        Expr::TypedString(ts) => matches!(ts.data_type, DataType::Date | DataType::Timestamp(..)),
        Expr::Function(f) => matches!(
            Checker::fn_name(f).as_str(),
            "GETDATE"
                | "SYSDATE"
                | "CURRENT_DATE"
                | "CURRENT_TIMESTAMP"
                | "DATEADD"
                | "DATE_ADD"
                | "DATE_TRUNC"
                | "ADD_MONTHS"
                | "CONVERT_TIMEZONE"
                | "TO_DATE"
                | "TO_TIMESTAMP"
                | "LAST_DAY"
                | "NEXT_DAY"
                | "TIMESTAMPADD"
                | "CURRENT_TIMESTAMP()"
        ),
        _ => false,
    }
}

fn is_number(e: &Expr) -> bool {
    match e {
        Expr::Value(v) => matches!(v.value, Value::Number(..)),
        Expr::UnaryOp { expr, .. } => is_number(expr),
        Expr::Nested(inner) => is_number(inner),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn timestamp_becomes_to_date() {
        assert_eq!(
            out("SELECT TRUNC(GETDATE()), trunc(ts::timestamp), TRUNC(CAST(x AS DATE)), TRUNC(SYSDATE)"),
            "SELECT to_date(current_timestamp()), to_date(ts::timestamp), to_date(CAST(x AS DATE)), to_date(current_timestamp())"
        );
    }

    #[test]
    fn numbers_truncate_toward_zero() {
        assert_eq!(
            out("SELECT TRUNC(price, 1), TRUNC(-3.7)"),
            "SELECT CASE WHEN price >= 0 THEN floor(price, 1) ELSE ceil(price, 1) END, CASE WHEN -3.7 >= 0 THEN floor(-3.7) ELSE ceil(-3.7) END"
        );
    }

    #[test]
    fn column_types_decide() {
        let ddl = "CREATE TABLE t (ts TIMESTAMP, d DATE, n INT, z TIMESTAMPTZ);\n";
        let t = out(&format!(
            "{ddl}SELECT TRUNC(ts), TRUNC(d), TRUNC(n), TRUNC(z) FROM t"
        ));
        assert!(
            t.ends_with(
                "SELECT to_date(ts), to_date(d), CASE WHEN n >= 0 THEN floor(n) ELSE ceil(n) END, TRUNC(z) FROM t"
            ),
            "{t}"
        );
    }

    #[test]
    fn unknown_type_is_reported_and_databricks_form_left() {
        assert_eq!(
            out("SELECT TRUNC(order_ts) FROM t"),
            "SELECT TRUNC(order_ts) FROM t"
        );
        assert_eq!(codes("SELECT TRUNC(order_ts) FROM t"), vec!["RS106"]);
        assert_eq!(out("SELECT trunc(d, 'MM')"), "SELECT trunc(d, 'MM')");
    }
}
