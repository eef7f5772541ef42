use sqlparser::ast::Expr;

use super::args::plain_args;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `MONTHS_BETWEEN(a, b)` to `months_between(a, b, false)` and warns about the
    /// time of day.
    ///
    /// ## Why it differs on Databricks
    /// Both return `a - b` in months, an integer when the days of month are equal or both are
    /// month ends, and a fraction over 31-day months otherwise. Databricks rounds the result to
    /// 8 digits unless `roundOff` is false, and for timestamps it also counts the time of day,
    /// so TIMESTAMP arguments with different times can give different fractions.
    ///
    /// ## Example
    /// ```sql
    /// SELECT MONTHS_BETWEEN(end_date, start_date) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT months_between(end_date, start_date, false) FROM t
    /// ```
    pub struct MonthsBetween;
    code: "RS150",
    name: "months-between",
    summary: "MONTHS_BETWEEN(a, b) becomes months_between(a, b, false); time of day counts on Databricks",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for MonthsBetween {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "MONTHS_BETWEEN" || plain_args(f).map(|a| a.len()) != Some(2) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        let last = call.args[1].clone();
        cx.fix(
            last.end..last.end,
            vec![", false".into()],
            "MONTHS_BETWEEN: Databricks counts the time of day of TIMESTAMP arguments; cast them \
             to DATE if Redshift's result ignored it",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::fix;

    #[test]
    fn disables_rounding_and_warns() {
        let t = fix("SELECT MONTHS_BETWEEN(a, b) FROM t");
        assert_eq!(t.output, "SELECT MONTHS_BETWEEN(a, b, false) FROM t");
        assert_eq!(t.findings[0].severity, crate::sql::Severity::Warning);
    }
}
