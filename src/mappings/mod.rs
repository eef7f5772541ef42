//! Table, function and connection mappings loaded from CSV / config.

/// Redshift table name → Databricks table name.
#[derive(Debug, Clone, Default)]
pub struct TableMap {}

impl TableMap {
    /// Looks up a Redshift table reference, given as its name parts exactly as written in SQL
    /// (quotes removed; unquoted parts lower-cased by the caller, since Redshift folds them), e.g.
    /// `["prod_common", "account"]`. Returns the Databricks name to write instead, already quoted
    /// for Databricks where needed (e.g. `standardized.common.account`), or `None` when unmapped.
    pub fn lookup(&self, parts: &[&str]) -> Option<String> {
        let _ = parts;
        None
    }
}
