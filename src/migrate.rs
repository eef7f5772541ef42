//! The pipeline: one notebook's bytes → new bytes + findings per cell. The only place where
//! `notebook`, `sql` and `mappings` meet; `check`, `fix`, `report` and `pr` all call it.

use std::path::PathBuf;

use crate::sql::{Finding, SourceDialect};

/// Which kind of SQL cell this is, which decides whether and how it is translated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CellKind {
    /// Warehouse SQL on a Redshift connection: translated.
    Redshift,
    /// Warehouse SQL on a Databricks connection: linted for Redshift-only constructs.
    Databricks,
    /// Dataframe SQL (DuckDB): skipped.
    Dataframe,
    /// Warehouse SQL on another warehouse (Snowflake, Postgres, …): skipped.
    Other,
}

impl CellKind {
    /// The dialect the engine reads the cell as, when it is read at all.
    pub fn dialect(self) -> Option<SourceDialect> {
        match self {
            CellKind::Redshift => Some(SourceDialect::Redshift),
            CellKind::Databricks => Some(SourceDialect::Databricks),
            CellKind::Dataframe | CellKind::Other => None,
        }
    }
}

/// A finding placed in the YAML file (1-based lines and columns, columns in chars).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub finding: Finding,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// The SQL line the finding starts on (for snippets), without its line break.
    pub sql_line_text: String,
    /// 1-based line and column inside the cell's SQL.
    pub sql_line: usize,
    pub sql_column: usize,
}

/// What happened to one SQL cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellResult {
    /// Index into `Notebook::sql_cells`.
    pub index: usize,
    pub id: Option<String>,
    pub label: Option<String>,
    pub kind: CellKind,
    /// 1-based line of the `source:` key in the original file.
    pub line: usize,
    pub original: String,
    pub translated: String,
    pub findings: Vec<Located>,
    pub unmapped_tables: Vec<String>,
}

/// What happened to one notebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotebookResult {
    pub path: PathBuf,
    pub title: Option<String>,
    pub cells: Vec<CellResult>,
    /// Connection ids swapped: (old, new).
    pub connections_swapped: Vec<(String, String)>,
    /// The new file text (equal to the input when nothing changed).
    pub output: String,
}
