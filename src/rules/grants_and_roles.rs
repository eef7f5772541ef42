use sqlparser::ast::Statement;

use super::statement_text::{leading_words, range};
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports privilege and identity statements: `GRANT`, `REVOKE`, `ALTER DEFAULT PRIVILEGES`,
    /// `CREATE/ALTER/DROP USER`, `CREATE/ALTER/DROP GROUP`, `CREATE/DROP ROLE`.
    ///
    /// ## Why it differs on Databricks
    /// Unity Catalog has its own privilege model: `GRANT SELECT ON TABLE t TO `group``,
    /// `GRANT USE SCHEMA ON SCHEMA s`, `GRANT SELECT ON SCHEMA s` (inherited by its tables)
    /// instead of `ON ALL TABLES IN SCHEMA`, `USE CATALOG` for database-level access, and
    /// principals (users, groups, service principals) managed at the account level, not in SQL.
    /// Privilege grants need a person who knows the target principals.
    ///
    /// ## Example
    /// ```sql
    /// GRANT SELECT ON ALL TABLES IN SCHEMA sales TO GROUP analysts
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// GRANT SELECT ON SCHEMA sales TO `analysts`
    /// ```
    pub struct GrantsAndRoles;
    code: "RS857",
    name: "grants-and-roles",
    summary: "GRANT/REVOKE and user/group/role statements need a Unity Catalog port",
    confidence: Review,
    databricks_invalid: false,
}

impl Rule for GrantsAndRoles {
    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        if matches!(s, Statement::Grant { .. } | Statement::Revoke { .. }) {
            self.check(cx);
        }
    }

    fn check_tokens(&self, cx: &mut Checker<'_, '_>, parsed: bool) {
        if !parsed {
            self.check(cx);
        }
    }
}

impl GrantsAndRoles {
    fn check(&self, cx: &mut Checker<'_, '_>) {
        let lead = leading_words(cx, 3);
        let words: Vec<&str> = lead.iter().map(|(_, w)| w.as_str()).collect();
        let msg = match words.as_slice() {
            ["GRANT", ..] | ["REVOKE", ..] => "privileges work differently in Unity Catalog: \
                port this to GRANT … ON TABLE/SCHEMA/CATALOG … TO `principal` (USAGE becomes \
                USE SCHEMA; ON ALL TABLES IN SCHEMA becomes ON SCHEMA; PUBLIC becomes `account users`)",
            ["ALTER", "DEFAULT", "PRIVILEGES"] => "ALTER DEFAULT PRIVILEGES has no Databricks \
                form: write GRANT <privilege> ON SCHEMA <schema> TO `<group>` instead (grants on a \
                schema or catalog are inherited by new objects)",
            ["CREATE" | "ALTER" | "DROP", "USER" | "GROUP" | "ROLE", ..] => "users, groups and \
                roles are managed at the Databricks account level (SCIM, UI), not in SQL; remove \
                the statement",
            _ => return,
        };
        if let Some(r) = range(cx) {
            cx.report(r, msg, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::codes;

    #[test]
    fn grants_and_users_are_reported() {
        assert_eq!(codes("GRANT SELECT ON t TO GROUP g"), vec!["RS857"]);
        assert!(codes("CREATE USER bob PASSWORD 'x'").contains(&"RS857"));
    }
}
