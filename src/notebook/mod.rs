//! Hex project YAML: discovery, span-aware parsing, scalar re-emission, splicing, line maps.
//!
//! A notebook is never loaded and re-dumped: we parse with a YAML event parser that gives byte
//! positions, and splice new text into exact byte ranges. Every other byte stays identical.
//! This module knows no SQL.

use std::ops::Range;
use std::path::PathBuf;

mod discover;
mod emit;
mod line_map;
mod parse;
mod read;
mod splice;

pub use discover::discover;
pub use emit::{choose_style, emit_scalar};
pub use line_map::LineMap;
pub use parse::parse;
pub use read::{is_hex, read, DEFAULT_SIZE_LIMIT};
pub use splice::splice;

/// How a scalar is written in the YAML file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    /// Unquoted, on the key's line (Hex: one-line values that need no quoting).
    Plain,
    /// `'...'` (Hex never writes it; read for tolerance).
    SingleQuoted,
    /// `"..."` (Hex: one-line values that are not plain-safe, and values whose last line is
    /// whitespace only).
    DoubleQuoted,
    /// `|` block (Hex: every other multi-line value).
    Literal,
    /// `>` block (Hex never writes it; read for tolerance).
    Folded,
}

/// Where a SQL cell's connection sits, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionRef {
    /// The connection UUID.
    pub id: String,
    /// Byte range of the id scalar in the file.
    pub range: Range<usize>,
}

/// Which asset list a connection entry is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetSection {
    Shared,
    Project,
}

/// One `dataConnections` entry of `sharedAssets` / `projectAssets`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionAsset {
    pub section: AssetSection,
    pub id: String,
    /// Byte range of the id scalar.
    pub range: Range<usize>,
    /// From the trailing `# <name> (<type>)` comment, when present.
    pub name: Option<String>,
    /// The `<type>` of that comment, lower-case (`redshift`, `databricks`, …).
    pub kind: Option<String>,
    /// Byte range of the trailing comment (from `#` to the end of the line, newline excluded).
    pub comment_range: Option<Range<usize>>,
}

/// A `config.source` scalar as it sits in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceScalar {
    /// Byte range of the whole scalar, header (`|-`, `|2-`, opening quote) included, up to the
    /// end of its last line (the line break that ends the scalar is not included). For block
    /// scalars the last line is the last line YAML reads as part of the scalar, so trailing
    /// empty lines (content under `|+`, chomped otherwise) are inside the range.
    pub range: Range<usize>,
    /// The decoded value (what Hex runs).
    pub value: String,
    /// Indentation (spaces) of the `source:` key.
    pub key_indent: usize,
    /// 1-based line of the `source:` key.
    pub line: usize,
    /// How the scalar is written now.
    pub style: ScalarStyle,
}

/// A `cellType: SQL` cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlCell {
    /// Index of the cell in document order (nested cells included).
    pub index: usize,
    pub id: Option<String>,
    pub label: Option<String>,
    /// 1-based line of the cell's first key.
    pub line: usize,
    pub source: SourceScalar,
    /// `dataFrameCell: true` (DuckDB over dataframes): never translated.
    pub dataframe: bool,
    /// `dataConnectionId`, when not null.
    pub connection: Option<ConnectionRef>,
    pub result_variable: Option<String>,
}

/// Any cell (SQL or not), for inspection and cross-cell name lookups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellInfo {
    pub cell_type: String,
    pub id: Option<String>,
    pub label: Option<String>,
    pub line: usize,
    /// INPUT cells' `config.name`, SQL cells' `resultVariableName`.
    pub variable: Option<String>,
}

/// A parsed Hex notebook: positions into the text it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notebook {
    pub schema_version: Option<i64>,
    pub title: Option<String>,
    pub cells: Vec<CellInfo>,
    pub sql_cells: Vec<SqlCell>,
    pub connections: Vec<ConnectionAsset>,
}

impl Notebook {
    /// The `sharedAssets`/`projectAssets` entry for a connection id (shared first).
    pub fn connection_asset(&self, id: &str) -> Option<&ConnectionAsset> {
        let mut matching = self.connections.iter().filter(|c| c.id == id);
        let first = matching.next()?;
        if first.section == AssetSection::Shared {
            return Some(first);
        }
        Some(
            matching
                .find(|c| c.section == AssetSection::Shared)
                .unwrap_or(first),
        )
    }

    /// The asset entry of a SQL cell's connection, when it has one and it is listed.
    pub fn cell_connection(&self, cell: &SqlCell) -> Option<&ConnectionAsset> {
        cell.connection
            .as_ref()
            .and_then(|c| self.connection_asset(&c.id))
    }
}

/// Why a file could not be read as a Hex notebook.
#[derive(Debug, thiserror::Error)]
pub enum NotebookError {
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("{path}:{line}:{column}: invalid YAML: {message}")]
    Yaml {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: not valid UTF-8 (first bad byte at line {line})")]
    NotUtf8 { path: PathBuf, line: usize },
    #[error("{path}: {size} bytes is over the size limit of {limit} bytes")]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{path}:{line}: not a Hex notebook as expected: {message}")]
    Malformed {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// One replacement to make in a notebook's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Splice {
    /// Replace the SQL of `sql_cells[cell]` with `value`, re-emitted in Hex's own scalar style.
    Source { cell: usize, value: String },
    /// Replace a plain scalar (a connection id) at `range` with `text` verbatim.
    Scalar { range: Range<usize>, text: String },
}

impl NotebookError {
    /// The file the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            NotebookError::Io { path, .. }
            | NotebookError::Yaml { path, .. }
            | NotebookError::NotUtf8 { path, .. }
            | NotebookError::TooLarge { path, .. }
            | NotebookError::Malformed { path, .. } => path,
        }
    }

    /// The 1-based line the error is on, when there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            NotebookError::Yaml { line, .. }
            | NotebookError::NotUtf8 { line, .. }
            | NotebookError::Malformed { line, .. } => Some(*line),
            NotebookError::Io { .. } | NotebookError::TooLarge { .. } => None,
        }
    }
}
