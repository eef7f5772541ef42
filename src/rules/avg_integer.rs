use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr, FunctionArguments};

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::types::Ty;

crate::rule! {
    /// ## What it does
    /// Rewrites `AVG(x)` over a visibly integer argument (a cast to an integer type, or a
    /// SMALLINT/INTEGER/BIGINT column known from a column-type CSV given with `--column-types` or
    /// `mappings.column_types`) to `CAST(avg(x) AS BIGINT)`, and reports `AVG` over an argument
    /// whose type the tool cannot see. Arguments that are visibly not integers (a decimal literal
    /// in them, a cast to DECIMAL/NUMERIC/FLOAT/DOUBLE/REAL, a column of such a type) are left
    /// alone.
    ///
    /// ## Why it differs on Databricks
    /// Redshift's AVG of an INTEGER/SMALLINT/BIGINT column returns an integer, truncating the
    /// fraction (`AVG` of 1, 1, 2 is 1); Databricks returns a DOUBLE (1.333…). Averages of
    /// integer columns silently gain decimals. Redshift computes the integer average as the sum
    /// divided by the count in integer arithmetic, which truncates toward zero (-7 / 2 = -3);
    /// `CAST(… AS BIGINT)` of the DOUBLE truncates toward zero too. If the column is an integer type and the
    /// truncated value is what the report needs, write `CAST(avg(x) AS BIGINT)`; if the
    /// fraction is wanted, the Databricks result is already better.
    ///
    /// ## Example
    /// ```sql
    /// SELECT AVG(quantity::int) FROM order_lines
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT CAST(AVG(quantity::int) AS BIGINT) FROM order_lines
    /// ```
    pub struct AvgInteger;
    code: "RS354",
    name: "avg-of-integers",
    summary: "AVG of integers truncates in Redshift: CAST(avg(x) AS BIGINT) for integer casts, reported when the type is unknown",
    confidence: Review,
    databricks_invalid: false,
}

enum Kind {
    Integer,
    NotInteger,
    Unknown,
}

fn kind(cx: &Checker<'_, '_>, e: &Expr, text: &str) -> Kind {
    match cx.ty(e) {
        Ty::Int => Kind::Integer,
        // A decimal literal anywhere makes the expression non-integer (e.g. `x * 1.0 + y`).
        Ty::Unknown
            if text.chars().any(|c| c == '.')
                && text
                    .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .any(|t| t.contains('.') && t.chars().any(|c| c.is_ascii_digit())) =>
        {
            Kind::NotInteger
        }
        Ty::Unknown => Kind::Unknown,
        _ => Kind::NotInteger,
    }
}

impl Rule for AvgInteger {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "AVG" {
            return;
        }
        let FunctionArguments::List(list) = &f.args else {
            return;
        };
        let [FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))] = list.args.as_slice() else {
            return;
        };
        let Some(call) = cx.call(f) else { return };
        let Some(arg_range) = call.args.first().cloned() else {
            return;
        };
        let text = cx.slice(&arg_range).to_string();
        if cx
            .slice(&call.full)
            .to_ascii_uppercase()
            .starts_with("CAST(")
        {
            return;
        }
        match kind(cx, arg, &text) {
            Kind::NotInteger => {}
            Kind::Integer => cx.fix_with(
                crate::sql::Confidence::Exact,
                call.full.clone(),
                vec![
                    "CAST(".into(),
                    call.full.clone().into(),
                    " AS BIGINT)".into(),
                ],
                "AVG of integers truncates to an integer in Redshift; Databricks returns a DOUBLE",
            ),
            Kind::Unknown => {
                let hint = crate::sql::types::unknown_hint(cx);
                cx.report(
                    call.full.clone(),
                    format!(
                        "AVG of an INTEGER column truncates to an integer in Redshift but is a \
                         DOUBLE on Databricks: if the column is an integer type and the truncated \
                         value is wanted, write CAST(avg(x) AS BIGINT); otherwise suppress this \
                         finding{hint}"
                    ),
                    None,
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn column_types_decide() {
        let ddl = "CREATE TABLE t (q INT, d NUMERIC(10,2), f FLOAT);\n";
        let t = out(&format!("{ddl}SELECT AVG(q), AVG(d), AVG(f) FROM t"));
        assert!(
            t.ends_with("SELECT CAST(AVG(q) AS BIGINT), AVG(d), AVG(f) FROM t"),
            "{t}"
        );
        assert!(!codes(&format!("{ddl}SELECT AVG(d), AVG(f) FROM t")).contains(&"RS354"));
    }

    #[test]
    fn integer_casts_are_truncated_unknown_reported_decimals_left() {
        assert_eq!(
            out("SELECT AVG(q::int) FROM t"),
            "SELECT CAST(AVG(q::int) AS BIGINT) FROM t"
        );
        assert_eq!(codes("SELECT AVG(q) FROM t"), vec!["RS354"]);
        assert_eq!(out("SELECT AVG(q) FROM t"), "SELECT AVG(q) FROM t");
        assert!(codes("SELECT AVG(q * 1.0), AVG(CAST(q AS DECIMAL(10,2))) FROM t").is_empty());
    }
}
