use sqlparser::ast::Expr;

use super::args::{nondeterministic, plain_args};
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites Redshift's comparison functions `DATE_CMP`, `DATE_CMP_TIMESTAMP`,
    /// `DATE_CMP_TIMESTAMPTZ`, `TIMESTAMP_CMP`, `TIMESTAMP_CMP_DATE`,
    /// `TIMESTAMP_CMP_TIMESTAMPTZ`, `TIMESTAMPTZ_CMP`, `TIMESTAMPTZ_CMP_DATE` and
    /// `TIMESTAMPTZ_CMP_TIMESTAMP` to
    /// `CASE WHEN a < b THEN -1 WHEN a > b THEN 1 WHEN a = b THEN 0 END`.
    /// `INTERVAL_CMP` compares interval strings and is reported.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has none of these functions. The CASE expression returns -1, 0 or 1 and NULL
    /// when either side is NULL, like Redshift.
    ///
    /// ## Example
    /// ```sql
    /// SELECT DATE_CMP(start_date, end_date) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT CASE WHEN start_date < end_date THEN -1 WHEN start_date > end_date THEN 1 WHEN start_date = end_date THEN 0 END FROM t
    /// ```
    pub struct DateCmp;
    code: "RS152",
    name: "date-cmp",
    summary: "DATE_CMP/TIMESTAMP_CMP family become a CASE returning -1/0/1",
    confidence: Exact,
    databricks_invalid: true,
}

const FUNCTIONS: &[&str] = &[
    "DATE_CMP",
    "DATE_CMP_TIMESTAMP",
    "DATE_CMP_TIMESTAMPTZ",
    "TIMESTAMP_CMP",
    "TIMESTAMP_CMP_DATE",
    "TIMESTAMP_CMP_TIMESTAMPTZ",
    "TIMESTAMPTZ_CMP",
    "TIMESTAMPTZ_CMP_DATE",
    "TIMESTAMPTZ_CMP_TIMESTAMP",
];

impl Rule for DateCmp {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let name = Checker::fn_name(f);
        if name == "INTERVAL_CMP" {
            if let Some(call) = cx.call(f) {
                cx.report(
                    call.range,
                    "INTERVAL_CMP compares Redshift interval strings and has no Databricks form; \
                     compare INTERVAL values (e.g. INTERVAL '3' DAY < INTERVAL '1' YEAR is not \
                     allowed across classes) by hand",
                    None,
                );
            }
            return;
        }
        if !FUNCTIONS.contains(&name.as_str()) || plain_args(f).map(|a| a.len()) != Some(2) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        let (a, b) = (call.args[0].clone(), call.args[1].clone());
        if nondeterministic(cx.slice(&a)) || nondeterministic(cx.slice(&b)) {
            return;
        }
        let pieces = vec![
            "CASE WHEN ".into(),
            a.clone().into(),
            " < ".into(),
            b.clone().into(),
            " THEN -1 WHEN ".into(),
            a.clone().into(),
            " > ".into(),
            b.clone().into(),
            " THEN 1 WHEN ".into(),
            a.into(),
            " = ".into(),
            b.into(),
            " THEN 0 END".into(),
        ];
        cx.fix(
            call.range,
            pieces,
            format!("{name} does not exist on Databricks; a CASE returns the same -1/0/1"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn becomes_case() {
        assert_eq!(
            out("SELECT DATE_CMP(a, b) FROM t"),
            "SELECT CASE WHEN a < b THEN -1 WHEN a > b THEN 1 WHEN a = b THEN 0 END FROM t"
        );
    }

    #[test]
    fn interval_cmp_is_reported() {
        let sql = "SELECT INTERVAL_CMP('3 days', '1 year')";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS152"]);
    }
}
