use sqlparser::ast::Statement;

use super::statement_text::{leading_words, range};
use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports Redshift session settings: `SET search_path TO s` (suggesting `USE SCHEMA s`),
    /// other `SET`/`RESET` statements (`query_group`, `statement_timeout`, `enable_*`), and
    /// `SHOW search_path` (suggesting `SELECT current_schema()`).
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no search path: `USE SCHEMA s` (and `USE CATALOG c` for the database
    /// level) selects one default schema, so only the first schema of a path can be honoured.
    /// Redshift's workload and planner settings do not exist (`SET STATEMENT_TIMEOUT = n`
    /// exists on SQL warehouses).
    ///
    /// ## Example
    /// ```sql
    /// SET search_path TO analytics, public
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// USE SCHEMA analytics
    /// ```
    pub struct SessionSettings;
    code: "RS856",
    name: "session-settings",
    summary: "SET search_path and other Redshift session settings are reported with their Databricks form",
    confidence: Review,
    databricks_invalid: false,
}

impl Rule for SessionSettings {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        if !matches!(s, Statement::Set(_) | Statement::ShowVariable { .. }) {
            return;
        }
        self.check(cx);
    }

    fn check_tokens(&self, cx: &mut Checker<'_, '_>, parsed: bool) {
        if !parsed {
            self.check(cx);
        }
    }
}

impl SessionSettings {
    fn check(&self, cx: &mut Checker<'_, '_>) {
        let lead = leading_words(cx, 4);
        let words: Vec<&str> = lead.iter().map(|(_, w)| w.as_str()).collect();
        let Some(r) = range(cx) else { return };
        match words.as_slice() {
            ["SET", "SEARCH_PATH", ..] => {
                // The first schema of the path, as written.
                let first = lead
                    .iter()
                    .skip(2)
                    .find(|(_, w)| !w.is_empty() && w != "TO")
                    .map(|(k, _)| {
                        cx.slice(&(cx.tokens.toks[*k].start..cx.tokens.toks[*k].end))
                            .to_string()
                    });
                cx.report(
                    r,
                    "Databricks has no search_path: USE SCHEMA selects one default schema (only the \
                     first schema of the path is honoured)",
                    first.map(|s| format!("USE SCHEMA {s}")),
                );
            }
            ["SHOW", "SEARCH_PATH", ..] => cx.report(
                r,
                "Databricks has no search_path; current_schema() returns the default schema",
                Some("SELECT current_schema()".to_string()),
            ),
            ["SET", ..] | ["RESET", ..] => cx.report(
                r,
                "Redshift session setting: it does not exist on Databricks; remove the statement \
                 (statement_timeout: SET STATEMENT_TIMEOUT = seconds on SQL warehouses)",
                None,
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::fix;

    #[test]
    fn search_path_suggests_use_schema() {
        let t = fix("SET search_path TO analytics, public");
        assert_eq!(t.output, "SET search_path TO analytics, public");
        assert_eq!(t.findings[0].code, "RS856");
        assert_eq!(
            t.findings[0].suggestion.as_deref(),
            Some("USE SCHEMA analytics")
        );
    }

    #[test]
    fn other_settings_are_reported() {
        assert_eq!(fix("SET query_group TO 'etl'").findings[0].code, "RS856");
    }
}
