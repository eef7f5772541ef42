use sqlparser::ast::{DataType, Expr, Value};

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites string literals cast to BOOLEAN that Databricks does not accept (`'on'`,
    /// `'off'`) to `true`/`false`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks casts `t`, `true`, `y`, `yes`, `1` and `f`, `false`, `n`, `no`, `0`
    /// (case-insensitive) to BOOLEAN and fails on anything else under ANSI mode. The AWS
    /// documentation lists the same literals for Redshift; PostgreSQL also accepts `on` and
    /// `off`, and where Redshift SQL uses them they can only mean true and false, so they are
    /// spelled that way (the conformance case is skipped: Redshift's result is not documented).
    ///
    /// ## Example
    /// ```sql
    /// SELECT 'on'::boolean
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT 'true'::boolean
    /// ```
    pub struct BooleanLiteralCast;
    code: "RS352",
    name: "boolean-literal-cast",
    summary: "'on'/'off' cast to BOOLEAN become 'true'/'false'",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for BooleanLiteralCast {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Cast {
            expr, data_type, ..
        } = e
        else {
            return;
        };
        if !matches!(data_type, DataType::Boolean | DataType::Bool) {
            return;
        }
        let Expr::Value(v) = expr.as_ref() else {
            return;
        };
        let Value::SingleQuotedString(s) = &v.value else {
            return;
        };
        let new = match s.trim().to_ascii_lowercase().as_str() {
            "on" => "'true'",
            "off" => "'false'",
            _ => return,
        };
        let Some(r) = cx.range(v.span) else { return };
        cx.fix(
            r,
            vec![new.into()],
            format!("Databricks cannot cast '{s}' to BOOLEAN"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn on_off() {
        assert_eq!(
            out("SELECT CAST('on' AS BOOLEAN), 'yes'::boolean"),
            "SELECT CAST('true' AS BOOLEAN), 'yes'::boolean"
        );
    }
}
