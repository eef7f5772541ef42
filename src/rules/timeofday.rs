use sqlparser::ast::Expr;

use super::args::plain_args;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports `TIMEOFDAY()` and suggests a Databricks expression.
    ///
    /// ## Why it differs on Databricks
    /// `TIMEOFDAY()` returns the current time as a string in a fixed PostgreSQL display format
    /// (`Thu Sep 19 22:53:50.333525 2008 UTC`). Databricks has no such function; the suggested
    /// `date_format` approximates the format, but code that parses the string may break, so a
    /// person must decide.
    ///
    /// ## Example
    /// ```sql
    /// SELECT TIMEOFDAY()
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT date_format(current_timestamp(), 'EEE MMM dd HH:mm:ss.SSSSSS yyyy z')
    /// ```
    pub struct Timeofday;
    code: "RS155",
    name: "timeofday",
    summary: "TIMEOFDAY() has no Databricks equivalent; a date_format suggestion is reported",
    confidence: Review,
    databricks_invalid: true,
}

impl Rule for Timeofday {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "TIMEOFDAY" || plain_args(f).map(|a| a.len()) != Some(0) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        cx.fix(
            call.range,
            vec!["date_format(current_timestamp(), 'EEE MMM dd HH:mm:ss.SSSSSS yyyy z')".into()],
            "TIMEOFDAY() does not exist on Databricks; the suggested date_format only approximates \
             its text format (use current_timestamp() if the value, not the text, is needed)",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::fix;

    #[test]
    fn is_reported_with_a_suggestion_and_not_applied() {
        let t = fix("SELECT TIMEOFDAY()");
        assert_eq!(t.output, "SELECT TIMEOFDAY()");
        assert_eq!(t.findings[0].code, "RS155");
        assert_eq!(
            t.findings[0].suggestion.as_deref(),
            Some("date_format(current_timestamp(), 'EEE MMM dd HH:mm:ss.SSSSSS yyyy z')")
        );
    }
}
