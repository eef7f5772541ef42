//! Table, function and connection mappings loaded from CSV / config.

/// Redshift table name → Databricks table name.
#[derive(Debug, Clone, Default)]
pub struct TableMap {}
