use sqlparser::ast::Statement;

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Adds the `TABLE` keyword Redshift lets you omit: `TRUNCATE t` becomes
    /// `TRUNCATE TABLE t`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks requires `TRUNCATE TABLE`. (Redshift's TRUNCATE also commits the current
    /// transaction; Databricks commits every statement anyway.)
    ///
    /// ## Example
    /// ```sql
    /// TRUNCATE staging
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// TRUNCATE TABLE staging
    /// ```
    pub struct TruncateTable;
    code: "RS762",
    name: "truncate-table",
    summary: "TRUNCATE t becomes TRUNCATE TABLE t",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for TruncateTable {
    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        let Statement::Truncate(t) = s else { return };
        if t.table {
            return;
        }
        let toks = cx.tokens;
        let Some(k) = toks.next_sig(cx.stmt.start, cx.stmt.end) else {
            return;
        };
        if !toks.toks[k].is_word("TRUNCATE") {
            return;
        }
        let at = toks.toks[k].end;
        cx.fix(
            at..at,
            vec![" TABLE".into()],
            "Databricks requires TRUNCATE TABLE",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn adds_table() {
        assert_eq!(out("TRUNCATE staging"), "TRUNCATE TABLE staging");
        assert_eq!(out("TRUNCATE TABLE staging"), "TRUNCATE TABLE staging");
    }
}
