//! Redshift → Databricks SQL translation (see DESIGN.md, "SQL translation").
//!
//! `translate` tokenizes, masks Jinja, splits statements, parses each with sqlparser's Redshift
//! dialect, runs the rules in `crate::rules`, applies their source-slice edits and re-parses the
//! output. It never fails: SQL it cannot handle comes back unchanged with an error finding.

pub mod finding;

use std::collections::HashSet;

pub use finding::{Confidence, Finding, Severity};

use crate::mappings::TableMap;

/// Whose SQL this is, which decides which rules apply (DESIGN.md, "Findings and exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceDialect {
    /// A cell on a Redshift connection: migration debt, every rule applies and rewrites.
    #[default]
    Redshift,
    /// A cell already on a Databricks connection: only constructs that cannot run on Databricks
    /// are reported, never semantic rewrites.
    Databricks,
}

/// Databricks Runtime version the output must run on (major, minor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Runtime(pub u16, pub u16);

impl Default for Runtime {
    /// A current LTS.
    fn default() -> Self {
        Runtime(15, 4)
    }
}

/// Options for one `translate` call.
#[derive(Debug, Clone, Default)]
pub struct TranslateOptions<'a> {
    pub dialect: SourceDialect,
    /// Rule codes switched off (by config or suppression).
    pub disabled_rules: HashSet<String>,
    /// Apply `review` rewrites too (the user opted in).
    pub apply_review: bool,
    pub runtime: Runtime,
    /// Table mapping, when one is configured.
    pub tables: Option<&'a TableMap>,
    /// Names that are not warehouse tables and must never be mapped: other cells'
    /// `resultVariableName`s (chained SQL). CTE names are found by the engine itself.
    pub local_names: HashSet<String>,
}

/// The result of translating one piece of SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub output: String,
    pub findings: Vec<Finding>,
    /// Tables referenced that the mapping did not cover (empty when no mapping was given).
    pub unmapped_tables: Vec<String>,
}

/// Translates Redshift SQL (possibly with Jinja) into Databricks SQL.
pub fn translate(sql: &str, opts: &TranslateOptions<'_>) -> Translation {
    let _ = opts;
    // Placeholder until the engine lands (issue 3): report that nothing was translated.
    Translation {
        output: sql.to_string(),
        findings: Vec::new(),
        unmapped_tables: Vec::new(),
    }
}
