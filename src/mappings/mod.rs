//! Table, function and connection mappings loaded from CSV / config.
//!
//! Loading (`tables`, `functions`) reads files; looking up is pure. The engine only calls
//! [`TableMap::lookup`].

pub mod columns;
pub mod connections;
pub mod functions;
pub mod names;
pub mod tables;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use columns::ColumnTypes;
pub use connections::ConnectionMap;
pub use functions::FunctionMap;
pub use tables::ConflictPolicy;

/// A mapping file that cannot be used, with the file and (when known) the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct MappingError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl MappingError {
    pub(crate) fn new(path: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        MappingError {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }
}

/// Where a mapping row came from: index into [`TableMap::files`] and 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowSource {
    pub file: usize,
    pub line: usize,
}

/// One exact row: the Databricks name parts (unquoted) and where the row is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub parts: Vec<String>,
    pub source: RowSource,
}

/// A schema-level rule such as `warehouse.dim_*` → `main.dimensions.*`: the table part of the
/// key is a glob with one `*`; see [`tables`] for how the target is filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wildcard {
    /// Lower-cased key parts; only the last may hold the `*`.
    pub key: Vec<String>,
    pub target: Vec<String>,
    pub source: RowSource,
}

/// Redshift table name → Databricks table name.
#[derive(Debug, Clone, Default)]
pub struct TableMap {
    /// Files the rows came from, in load order.
    pub files: Vec<PathBuf>,
    /// Lower-cased key parts joined by `\0` → target.
    pub(crate) exact: HashMap<String, Target>,
    /// Most specific first (longest literal text), then file order.
    pub(crate) wildcards: Vec<Wildcard>,
    /// Keys the files map to different targets, kept out of `exact` under
    /// [`ConflictPolicy::Unmapped`]: every row that names them.
    pub(crate) conflicts: HashMap<String, Vec<Target>>,
    /// Catalog put in front of `schema.table` references no row maps.
    pub default_catalog: Option<String>,
}

impl TableMap {
    /// Looks up a Redshift table reference, given as its name parts exactly as written in SQL
    /// (quotes removed; unquoted parts lower-cased by the caller, since Redshift folds them), e.g.
    /// `["prod_common", "account"]`. Returns the Databricks name to write instead, already quoted
    /// for Databricks where needed (e.g. `standardized.common.account`), or `None` when unmapped.
    ///
    /// Order: an exact row for the name as written; for `db.schema.table`, an exact
    /// `schema.table` row; the most specific wildcard row; the default catalog (for two- and
    /// three-part names). Keys compare case-insensitively: Redshift folds identifiers, quoted ones
    /// included, unless `enable_case_sensitive_identifier` is on.
    pub fn lookup(&self, parts: &[&str]) -> Option<String> {
        self.resolve(parts).map(|p| names::quote(&p))
    }

    /// Like [`TableMap::lookup`], but returns the unquoted parts.
    pub fn resolve(&self, parts: &[&str]) -> Option<Vec<String>> {
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        let lower: Vec<String> = parts.iter().map(|p| p.to_lowercase()).collect();
        if let Some(t) = self.exact.get(&key_of(&lower)) {
            return Some(t.parts.clone());
        }
        if lower.len() == 3 {
            if let Some(t) = self.exact.get(&key_of(&lower[1..])) {
                return Some(t.parts.clone());
            }
        }
        if self.is_conflicting(parts) {
            return None;
        }
        for w in &self.wildcards {
            if let Some(target) = tables::apply_wildcard(w, &lower, parts) {
                return Some(target);
            }
        }
        match (&self.default_catalog, parts) {
            (Some(cat), [schema, table] | [_, schema, table]) => {
                Some(vec![cat.clone(), schema.to_string(), table.to_string()])
            }
            _ => None,
        }
    }

    /// When the mapping files gave this name several different targets (and the conflict policy
    /// left it unmapped): each candidate target with its file and line, for reports.
    pub fn conflicts_for(&self, parts: &[&str]) -> Option<Vec<(String, PathBuf, usize)>> {
        let lower: Vec<String> = parts.iter().map(|p| p.to_lowercase()).collect();
        let rows = self.conflicts.get(&key_of(&lower)).or_else(|| {
            (lower.len() == 3)
                .then(|| self.conflicts.get(&key_of(&lower[1..])))
                .flatten()
        })?;
        Some(
            rows.iter()
                .map(|t| {
                    (
                        names::quote(&t.parts),
                        self.files[t.source.file].clone(),
                        t.source.line,
                    )
                })
                .collect(),
        )
    }

    fn is_conflicting(&self, parts: &[&str]) -> bool {
        !self.conflicts.is_empty() && self.conflicts_for(parts).is_some()
    }

    /// Number of exact rows, wildcard rows and conflicting keys loaded.
    pub fn len(&self) -> (usize, usize, usize) {
        (self.exact.len(), self.wildcards.len(), self.conflicts.len())
    }

    /// True when no row is loaded and there is no default catalog.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
            && self.wildcards.is_empty()
            && self.conflicts.is_empty()
            && self.default_catalog.is_none()
    }
}

pub(crate) fn key_of(parts: &[String]) -> String {
    parts.join("\0")
}
