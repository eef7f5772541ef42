use sqlparser::ast::Statement;

use super::statement_text::{leading_words, range};
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports transaction control: `BEGIN`, `START TRANSACTION`, `COMMIT`, `END`, `ROLLBACK`,
    /// `ABORT`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks commits each statement on its own (multi-statement transactions are a newer
    /// preview feature). Removing the statements keeps the SQL running, but a failure halfway
    /// no longer rolls back the statements before it; an ETL script that relied on that needs
    /// a person (idempotent steps, or MERGE instead of delete-and-insert).
    ///
    /// ## Example
    /// ```sql
    /// BEGIN; DELETE FROM t WHERE d = '2024-01-01'; INSERT INTO t SELECT …; COMMIT;
    /// ```
    ///
    /// ## Use instead
    /// Remove `BEGIN`/`COMMIT` and make the steps safe to re-run, e.g.
    /// `INSERT INTO t REPLACE WHERE d = '2024-01-01' SELECT …`.
    pub struct TransactionControl;
    code: "RS855",
    name: "transaction-control",
    summary: "BEGIN/COMMIT/END/ROLLBACK/ABORT: Databricks auto-commits each statement",
    confidence: Review,
    databricks_invalid: false,
}

const MSG: &str = "transaction control: Databricks commits each statement on its own; remove it, \
    and make sure a failure halfway cannot leave partial results (no rollback of earlier statements)";

impl Rule for TransactionControl {
    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        if !matches!(
            s,
            Statement::StartTransaction { .. }
                | Statement::Commit { .. }
                | Statement::Rollback { .. }
        ) {
            return;
        }
        if let Some(r) = range(cx) {
            cx.report(r, MSG, None);
        }
    }

    fn check_tokens(&self, cx: &mut Checker<'_, '_>, parsed: bool) {
        if parsed {
            return;
        }
        let lead = leading_words(cx, 1);
        if !matches!(
            lead.first().map(|(_, w)| w.as_str()),
            Some("ABORT" | "END" | "BEGIN" | "COMMIT" | "ROLLBACK")
        ) {
            return;
        }
        if let Some(r) = range(cx) {
            cx.report(r, MSG, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::codes;

    #[test]
    fn each_form_is_reported() {
        assert_eq!(codes("BEGIN; SELECT 1; END"), vec!["RS855", "RS855"]);
        assert_eq!(codes("START TRANSACTION"), vec!["RS855"]);
        assert_eq!(codes("ROLLBACK"), vec!["RS855"]);
    }
}
