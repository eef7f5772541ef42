//! Loading table mapping CSVs into a [`TableMap`].
//!
//! Two formats, recognised by their header (case and spaces/underscores ignored):
//!
//! - two columns `Redshift Table,Databricks Table`: `schema.table` or `db.schema.table` →
//!   `catalog.schema.table` (names may be quoted with `"` or backticks);
//! - six columns `redshift_schema,redshift_table,databricks_catalog,databricks_schema,
//!   databricks_table,migration_notes` (an empty `databricks_table` keeps the Redshift name).
//!
//! Schema-level rules put one `*` in the table part of the key: `warehouse.dim_*` →
//! `main.dimensions.*` keeps the table name (`warehouse.dim_date` → `main.dimensions.dim_date`),
//! while a target table part with other text around the `*` takes what the `*` matched
//! (`warehouse.dim_*` → `main.dimensions.d_*` gives `main.dimensions.d_date`). Exact rows win over
//! wildcard rows; among wildcard rows the one with the most literal text wins.
//!
//! A key mapped twice to the same target is fine. A key mapped to different targets follows the
//! [`ConflictPolicy`]: by default an error naming both lines.

use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use super::{key_of, names, MappingError, RowSource, TableMap, Target, Wildcard};

/// What to do when mapping rows give one Redshift table different Databricks targets.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Deserialize,
    clap::ValueEnum,
    serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ConflictPolicy {
    /// Refuse the mapping: an error naming the conflicting lines.
    #[default]
    Error,
    /// The first row wins (a warning counts the others).
    First,
    /// Leave such tables unmapped: they are reported with every candidate target, for a person
    /// to decide.
    Unmapped,
}

/// How many conflicts an error message lists before summarising.
const LISTED_CONFLICTS: usize = 5;

impl TableMap {
    /// Loads mapping files in order (later files add rows; conflicts across files count too).
    pub fn load(
        paths: &[PathBuf],
        policy: ConflictPolicy,
        default_catalog: Option<String>,
    ) -> Result<TableMap, MappingError> {
        let mut map = TableMap {
            default_catalog,
            ..TableMap::default()
        };
        for path in paths {
            map.add_csv(path, &read_file(path)?, policy)?;
        }
        Ok(map)
    }

    /// Adds the rows of one mapping file given as bytes (`path` names it in errors).
    pub fn add_csv(
        &mut self,
        path: &Path,
        bytes: &[u8],
        policy: ConflictPolicy,
    ) -> Result<(), MappingError> {
        let text = super::functions::decode_utf8(path, bytes)?;
        let file = self.files.len();
        self.files.push(path.to_path_buf());
        let mut format = None;
        let mut errors: Vec<String> = Vec::new();
        let mut first_error_line = None;
        let mut conflict_count = 0usize;
        for row in records(path, text) {
            let (line, record) = row?;
            let Some(fmt) = format else {
                format = Some(Format::from_header(&record).ok_or_else(|| {
                    MappingError::new(
                        path,
                        Some(line),
                        format!(
                            "unrecognised header `{}`; expected `Redshift Table,Databricks Table` \
                             or `{}`",
                            record.iter().collect::<Vec<_>>().join(","),
                            SIX_COLUMNS.join(",")
                        ),
                    )
                })?);
                continue;
            };
            let (key, target) = fmt
                .row(&record)
                .map_err(|m| MappingError::new(path, Some(line), m))?;
            let source = RowSource { file, line };
            if let Some(message) = self.insert(key, target, source, policy) {
                conflict_count += 1;
                first_error_line.get_or_insert(line);
                if errors.len() < LISTED_CONFLICTS {
                    errors.push(message);
                }
            }
        }
        if format.is_none() {
            return Err(MappingError::new(
                path,
                None,
                "empty mapping file (no header)",
            ));
        }
        if conflict_count > 0 {
            let more = if conflict_count > errors.len() {
                format!(
                    "\n  … {} more; {conflict_count} conflicting rows in all",
                    conflict_count - errors.len()
                )
            } else {
                String::new()
            };
            return Err(MappingError::new(
                path,
                first_error_line,
                format!(
                    "tables mapped to different targets:\n  {}{more}\n  (set `mappings.on_conflict: \
                     first` or `unmapped` in .hex-migrate.yaml, or pass --on-conflict, to load \
                     this file anyway)",
                    errors.join("\n  ")
                ),
            ));
        }
        self.wildcards
            .sort_by_key(|w| std::cmp::Reverse(w.key.iter().map(|p| p.len()).sum::<usize>() - 1));
        Ok(())
    }

    /// Inserts one row; returns a message when it conflicts and the policy is `Error`.
    fn insert(
        &mut self,
        key: Vec<String>,
        target: Vec<String>,
        source: RowSource,
        policy: ConflictPolicy,
    ) -> Option<String> {
        let k = key_of(&key);
        let same = |a: &[String], b: &[String]| {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(x, y)| x.to_lowercase() == y.to_lowercase())
        };
        if let Some(rows) = self.conflicts.get_mut(&k) {
            if !rows.iter().any(|t| same(&t.parts, &target)) {
                rows.push(Target {
                    parts: target,
                    source,
                });
            }
            return None;
        }
        let new = Target {
            parts: target,
            source,
        };
        let existing = if key.last().is_some_and(|p| p.contains('*')) {
            match self.wildcards.iter().position(|w| w.key == key) {
                Some(i) => Some(Target {
                    parts: self.wildcards[i].target.clone(),
                    source: self.wildcards[i].source,
                }),
                None => {
                    self.wildcards.push(Wildcard {
                        key,
                        target: new.parts,
                        source,
                    });
                    return None;
                }
            }
        } else {
            match self.exact.entry(k.clone()) {
                Entry::Occupied(e) => Some(e.get().clone()),
                Entry::Vacant(v) => {
                    v.insert(new);
                    return None;
                }
            }
        };
        let old = existing?;
        if same(&old.parts, &new.parts) {
            return None;
        }
        match policy {
            ConflictPolicy::First => {
                tracing::warn!(
                    "{}:{}: `{}` already mapped to `{}` on line {}; keeping that",
                    self.files[source.file].display(),
                    source.line,
                    key.join("."),
                    names::quote(&old.parts),
                    old.source.line
                );
                None
            }
            ConflictPolicy::Unmapped => {
                self.exact.remove(&k);
                self.wildcards.retain(|w| w.key != key);
                self.conflicts.insert(k, vec![old, new]);
                None
            }
            ConflictPolicy::Error => {
                let where_old = if old.source.file == source.file {
                    format!("line {}", old.source.line)
                } else {
                    format!(
                        "{}:{}",
                        self.files[old.source.file].display(),
                        old.source.line
                    )
                };
                Some(format!(
                    "line {}: `{}` → `{}`, but {where_old} maps it to `{}`",
                    source.line,
                    key.join("."),
                    names::quote(&new.parts),
                    names::quote(&old.parts)
                ))
            }
        }
    }
}

/// Fills in a wildcard row's target for a reference, or `None` when the row does not match.
/// `lower` is the reference lower-cased; a two-part key also matches `db.schema.table`.
pub(crate) fn apply_wildcard(
    w: &Wildcard,
    lower: &[String],
    _parts: &[&str],
) -> Option<Vec<String>> {
    let tail = match (w.key.len(), lower.len()) {
        (a, b) if a == b => lower,
        (2, 3) => &lower[1..],
        _ => return None,
    };
    let (last_key, fixed) = w.key.split_last()?;
    let (table, fixed_ref) = tail.split_last()?;
    if fixed != fixed_ref {
        return None;
    }
    let (prefix, suffix) = last_key.split_once('*')?;
    if table.len() < prefix.len() + suffix.len()
        || !table.starts_with(prefix)
        || !table.ends_with(suffix)
    {
        return None;
    }
    let captured = &table[prefix.len()..table.len() - suffix.len()];
    let mut target = w.target.clone();
    let last = target.last_mut()?;
    *last = if last == "*" {
        table.clone()
    } else {
        last.replacen('*', captured, 1)
    };
    Some(target)
}

/// Header cells as both loaders compare them: BOM dropped, lower-case, spaces as underscores.
pub(super) fn normalized_header(record: &csv::StringRecord) -> Vec<String> {
    record
        .iter()
        .map(|f| {
            f.trim_start_matches('\u{feff}')
                .to_lowercase()
                .replace(' ', "_")
        })
        .collect()
}

/// A reader for a mapping file: header-less (the format is told by its header row), ragged rows
/// allowed, fields trimmed.
/// The bytes of a mapping file; an error names it.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, MappingError> {
    std::fs::read(path).map_err(|e| MappingError::new(path, None, format!("cannot read: {e}")))
}

/// The non-blank records of a mapping CSV with their 1-based line numbers (header included);
/// a malformed record is an error naming its line.
pub(crate) fn records<'t>(
    path: &'t Path,
    text: &'t str,
) -> impl Iterator<Item = Result<(usize, csv::StringRecord), MappingError>> + 't {
    let mut lines = Lines::new(text);
    csv_reader(text)
        .into_records()
        .map(move |record| {
            let record = record.map_err(|e| malformed(path, text, e))?;
            Ok((lines.of(&record), record))
        })
        .filter(|r| !matches!(r, Ok((_, record)) if record.iter().all(str::is_empty)))
}

pub(crate) fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
}

/// The error for a record the csv crate could not read, at its line when it knows one.
pub(crate) fn malformed(path: &Path, text: &str, e: csv::Error) -> MappingError {
    let line = e.position().map(|p| {
        1 + text.as_bytes()[..p.byte() as usize]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    });
    MappingError::new(path, line, format!("malformed CSV: {e}"))
}

/// Turns the byte positions of records into 1-based lines (the csv crate's own line count
/// skips blank lines). Records come in order, so it counts each byte once.
pub(crate) struct Lines<'t> {
    text: &'t [u8],
    byte: usize,
    line: usize,
}

impl<'t> Lines<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Lines {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    /// The line of the first non-blank byte at or after `byte`.
    pub(crate) fn at(&mut self, byte: usize) -> usize {
        let mut target = byte.min(self.text.len());
        // A record after blank lines is positioned at the first of them.
        while matches!(self.text.get(target), Some(b'\n' | b'\r')) {
            target += 1;
        }
        if target < self.byte {
            self.byte = 0;
            self.line = 1;
        }
        self.line += self.text[self.byte..target]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.byte = target;
        self.line
    }

    pub(crate) fn of(&mut self, record: &csv::StringRecord) -> usize {
        self.at(record.position().map_or(0, |p| p.byte() as usize))
    }
}

const SIX_COLUMNS: [&str; 6] = [
    "redshift_schema",
    "redshift_table",
    "databricks_catalog",
    "databricks_schema",
    "databricks_table",
    "migration_notes",
];

#[derive(Debug, Clone, Copy)]
enum Format {
    TwoColumns,
    SixColumns,
}

impl Format {
    fn from_header(record: &csv::StringRecord) -> Option<Format> {
        let norm = normalized_header(record);
        let norm: Vec<&str> = norm.iter().map(String::as_str).collect();
        match norm.as_slice() {
            ["redshift_table", "databricks_table"] => Some(Format::TwoColumns),
            cols if cols == SIX_COLUMNS => Some(Format::SixColumns),
            _ => None,
        }
    }

    /// Key (lower-cased) and target parts of one data row, or why the row is bad.
    fn row(self, record: &csv::StringRecord) -> Result<(Vec<String>, Vec<String>), String> {
        let field = |i: usize, name: &str| -> Result<&str, String> {
            match record.get(i) {
                Some(v) if !v.is_empty() => Ok(v),
                _ => Err(format!("missing column `{name}`")),
            }
        };
        let (key, target) = match self {
            Format::TwoColumns => {
                if record.len() > 2 {
                    return Err(format!("{} fields, expected 2", record.len()));
                }
                let key = names::split(field(0, "Redshift Table")?)?;
                let target = names::split(field(1, "Databricks Table")?)?;
                if !(2..=3).contains(&key.len()) {
                    return Err(format!(
                        "`{}`: expected schema.table or db.schema.table",
                        record[0].trim()
                    ));
                }
                (key, target)
            }
            Format::SixColumns => {
                if record.len() > 6 {
                    return Err(format!("{} fields, expected 6", record.len()));
                }
                // Each column holds one name, taken as written unless it is quoted.
                let one = |i: usize| -> Result<String, String> {
                    let raw = field(i, SIX_COLUMNS[i])?;
                    if !raw.starts_with(['"', '`']) {
                        return Ok(raw.to_string());
                    }
                    match <[String; 1]>::try_from(names::split(raw)?) {
                        Ok([p]) => Ok(p),
                        Err(_) => Err(format!("`{}` must be a single name", SIX_COLUMNS[i])),
                    }
                };
                let key = vec![one(0)?, one(1)?];
                let table = match record.get(4) {
                    Some(t) if !t.is_empty() => one(4)?,
                    _ if key[1].contains('*') => "*".to_string(),
                    _ => key[1].clone(),
                };
                (key, vec![one(2)?, one(3)?, table])
            }
        };
        if target.len() != 3 {
            return Err(format!(
                "`{}`: the Databricks name must be catalog.schema.table",
                target.join(".")
            ));
        }
        let key: Vec<String> = key.into_iter().map(|p| p.to_lowercase()).collect();
        let stars = |parts: &[String]| parts.iter().map(|p| p.matches('*').count()).sum::<usize>();
        let key_star = stars(&key);
        let target_star = stars(&target);
        let key_last_star = key.last().is_some_and(|p| p.contains('*'));
        let target_last_star = target.last().is_some_and(|p| p.contains('*'));
        if key_star > 1 || (key_star == 1 && !key_last_star) {
            return Err("a wildcard `*` may appear once, in the table part only".to_string());
        }
        if key_star == 1 && !(target_star == 1 && target_last_star) {
            return Err(
                "a wildcard row needs one `*` in the Databricks table part (e.g. `main.dims.*`)"
                    .to_string(),
            );
        }
        if key_star == 0 && target_star > 0 {
            return Err("`*` in the Databricks name but not in the Redshift name".to_string());
        }
        Ok((key, target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str, policy: ConflictPolicy) -> Result<TableMap, MappingError> {
        let mut map = TableMap::default();
        map.add_csv(Path::new("t.csv"), text.as_bytes(), policy)
            .map(|()| map)
    }

    #[test]
    fn two_column_rows_map_case_insensitively() {
        let map = load(
            "Redshift Table,Databricks Table\nprod_common.account,standardized.common.account\n\
             DEV.Sales.Orders,main.sales.orders\n",
            ConflictPolicy::Error,
        )
        .unwrap();
        assert_eq!(
            map.lookup(&["prod_common", "account"]).as_deref(),
            Some("standardized.common.account")
        );
        assert_eq!(
            map.lookup(&["PROD_COMMON", "Account"]).as_deref(),
            Some("standardized.common.account")
        );
        // A db-qualified reference falls back to the schema.table row.
        assert_eq!(
            map.lookup(&["dev", "prod_common", "account"]).as_deref(),
            Some("standardized.common.account")
        );
        assert_eq!(
            map.lookup(&["dev", "sales", "orders"]).as_deref(),
            Some("main.sales.orders")
        );
        // ...but a schema.table reference does not match a db.schema.table row.
        assert_eq!(map.lookup(&["sales", "orders"]), None);
        assert_eq!(map.lookup(&["account"]), None);
        assert_eq!(map.lookup(&["prod_common", "other"]), None);
    }

    #[test]
    fn six_column_rows_and_quoting() {
        let map = load(
            "redshift_schema,redshift_table,databricks_catalog,databricks_schema,databricks_table,migration_notes\n\
             finance,ledger,main,finance,general ledger,renamed\n\
             finance,budget,main,order,,\n",
            ConflictPolicy::Error,
        )
        .unwrap();
        assert_eq!(
            map.lookup(&["finance", "ledger"]).as_deref(),
            Some("main.finance.`general ledger`")
        );
        assert_eq!(
            map.lookup(&["finance", "budget"]).as_deref(),
            Some("main.`order`.budget")
        );
    }

    #[test]
    fn wildcards_keep_or_capture_the_table_name() {
        let map = load(
            "Redshift Table,Databricks Table\nwarehouse.dim_*,main.dimensions.*\n\
             warehouse.*,main.warehouse.*\nwarehouse.fact_*_daily,main.facts.*\n\
             warehouse.dim_special,main.other.special\n",
            ConflictPolicy::Error,
        )
        .unwrap();
        assert_eq!(
            map.lookup(&["warehouse", "dim_date"]).as_deref(),
            Some("main.dimensions.dim_date")
        );
        assert_eq!(
            map.lookup(&["warehouse", "dim_special"]).as_deref(),
            Some("main.other.special")
        );
        assert_eq!(
            map.lookup(&["warehouse", "orders"]).as_deref(),
            Some("main.warehouse.orders")
        );
        // The target part is exactly `*`: the whole table name is kept.
        assert_eq!(
            map.lookup(&["warehouse", "fact_sales_daily"]).as_deref(),
            Some("main.facts.fact_sales_daily")
        );
        assert_eq!(map.lookup(&["other", "dim_date"]), None);

        let map = load(
            "Redshift Table,Databricks Table\nwarehouse.dim_*,main.dimensions.d_*\n",
            ConflictPolicy::Error,
        )
        .unwrap();
        assert_eq!(
            map.lookup(&["warehouse", "dim_date"]).as_deref(),
            Some("main.dimensions.d_date")
        );
    }

    #[test]
    fn default_catalog_covers_unmapped_qualified_names() {
        let mut map = load(
            "Redshift Table,Databricks Table\na.b,c.d.e\n",
            ConflictPolicy::Error,
        )
        .unwrap();
        map.default_catalog = Some("legacy".into());
        assert_eq!(map.lookup(&["a", "b"]).as_deref(), Some("c.d.e"));
        assert_eq!(map.lookup(&["x", "y"]).as_deref(), Some("legacy.x.y"));
        assert_eq!(map.lookup(&["db", "x", "y"]).as_deref(), Some("legacy.x.y"));
        assert_eq!(map.lookup(&["y"]), None);
    }

    #[test]
    fn conflicting_rows_follow_the_policy() {
        let text = "Redshift Table,Databricks Table\nprod_common.application,standardized.common.application\n\
                    prod_common.application,staging.dashboard.application\n\
                    prod_common.account,standardized.common.account\n\
                    prod_common.account,Standardized.Common.Account\n";
        let err = load(text, ConflictPolicy::Error).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err
            .message
            .contains("line 2 maps it to `standardized.common.application`"));
        assert!(err.to_string().starts_with("t.csv:3: "), "{err}");

        let first = load(text, ConflictPolicy::First).unwrap();
        assert_eq!(
            first.lookup(&["prod_common", "application"]).as_deref(),
            Some("standardized.common.application")
        );

        let unmapped = load(text, ConflictPolicy::Unmapped).unwrap();
        assert_eq!(unmapped.lookup(&["prod_common", "application"]), None);
        let c = unmapped
            .conflicts_for(&["prod_common", "application"])
            .unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(
            (c[1].0.as_str(), c[1].2),
            ("staging.dashboard.application", 3)
        );
        // A duplicate with the same target (case aside) is no conflict.
        assert_eq!(
            unmapped.lookup(&["prod_common", "account"]).as_deref(),
            Some("standardized.common.account")
        );
    }

    #[test]
    fn bad_files_name_the_line() {
        let cases = [
            (
                "Redshift Table,Databricks Table\na.b\n",
                2,
                "missing column",
            ),
            (
                "Redshift Table,Databricks Table\na.b,c.d\n",
                2,
                "catalog.schema.table",
            ),
            (
                "Redshift Table,Databricks Table\n\na.b,c.d.e,x\n",
                3,
                "3 fields",
            ),
            (
                "Redshift Table,Databricks Table\nb,c.d.e\n",
                2,
                "schema.table",
            ),
            (
                "Redshift Table,Databricks Table\na.*_x*,c.d.*\n",
                2,
                "wildcard",
            ),
            (
                "Redshift Table,Databricks Table\na.x_*,c.d.e\n",
                2,
                "wildcard row",
            ),
            ("Source,Target\na.b,c.d.e\n", 1, "unrecognised header"),
        ];
        for (text, line, needle) in cases {
            let err = load(text, ConflictPolicy::Error).unwrap_err();
            assert_eq!(err.line, Some(line), "{text}: {err}");
            assert!(err.message.contains(needle), "{text}: {err}");
        }
        let mut bytes = b"Redshift Table,Databricks Table\na.b,c.d.e\na.c,c.\xe9.f\n".to_vec();
        let err = TableMap::default()
            .add_csv(Path::new("t.csv"), &bytes, ConflictPolicy::Error)
            .unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("UTF-8"), "{err}");
        bytes.clear();
        assert!(load("", ConflictPolicy::Error).is_err());
    }

    #[test]
    fn accepts_a_byte_order_mark() {
        let map = load(
            "\u{feff}Redshift Table,Databricks Table\na.b,c.d.e\n",
            ConflictPolicy::Error,
        )
        .unwrap();
        assert_eq!(map.lookup(&["a", "b"]).as_deref(), Some("c.d.e"));
    }
}
