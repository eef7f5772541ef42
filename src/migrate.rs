//! The pipeline: one notebook's bytes → new bytes + findings per cell. The only place where
//! `notebook`, `sql` and `mappings` meet; `check`, `fix`, `report` and `pr` all call it.
//!
//! [`migrate_notebook`] is pure (text in, text and findings out). [`Context::from_config`] and
//! [`migrate_files`] are the I/O edges around it: they read mapping files and notebooks.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Config, ConfigError, DialectName, Dialects};
use crate::mappings::{
    ColumnTypes, ConflictPolicy, ConnectionMap, FunctionMap, MappingError, TableMap,
};
use crate::notebook::{self, LineMap, Notebook, NotebookError, Splice, SqlCell};
use crate::sql::{self, Finding, Runtime, Severity, SourceDialect, TranslateOptions};

/// Which kind of SQL cell this is, which decides whether and how it is translated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
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

    /// Lower-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            CellKind::Redshift => "redshift",
            CellKind::Databricks => "databricks",
            CellKind::Dataframe => "dataframe",
            CellKind::Other => "other",
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

impl CellResult {
    /// True when the cell's SQL changes.
    pub fn changed(&self) -> bool {
        self.original != self.translated
    }

    /// Findings that need a person: errors, and rewrites not applied.
    pub fn needs_review(&self) -> impl Iterator<Item = &Located> {
        self.findings
            .iter()
            .filter(|l| l.finding.severity == Severity::Error || !l.finding.applied)
    }
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

impl NotebookResult {
    /// True when the file text changes.
    pub fn changed(&self, input: &str) -> bool {
        self.output != input
    }
}

/// Everything a run needs besides the notebooks: mappings, connection map, dialect rules, rule
/// switches, limits. Built once per run, shared by every file (read-only).
#[derive(Debug, Clone)]
pub struct Context {
    pub tables: TableMap,
    /// Column types from Redshift's catalog, when configured.
    pub column_types: Option<ColumnTypes>,
    pub functions: FunctionMap,
    pub connections: ConnectionMap,
    pub dialects: Dialects,
    pub runtime: Runtime,
    pub disabled_rules: HashSet<String>,
    pub apply_review: bool,
    /// Rule code → severity shown instead of the rule's own.
    pub severity: HashMap<String, Severity>,
    /// Largest notebook read, in bytes.
    pub max_file_size: u64,
    /// Path patterns never read (gitignore style), relative to `base_dir`.
    pub excludes: Vec<String>,
    /// Directory of the configuration file (or the working directory without one).
    pub base_dir: PathBuf,
}

impl Default for Context {
    fn default() -> Self {
        Context {
            tables: TableMap::default(),
            column_types: None,
            functions: FunctionMap::default(),
            connections: ConnectionMap::default(),
            dialects: Dialects::default(),
            runtime: Runtime::default(),
            disabled_rules: HashSet::new(),
            apply_review: false,
            severity: HashMap::new(),
            max_file_size: crate::config::DEFAULT_MAX_FILE_SIZE,
            excludes: Vec::new(),
            base_dir: PathBuf::new(),
        }
    }
}

/// Command-line settings that override or extend the configuration file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Table mapping files; when given they replace the configuration's list.
    pub tables: Vec<PathBuf>,
    /// Column-type files; when given they replace the configuration's list.
    pub column_types: Vec<PathBuf>,
    /// Function mapping files; when given they replace the configuration's list.
    pub functions: Vec<PathBuf>,
    /// Connection mappings (old, new, optional new name), added to the configuration's.
    pub connections: Vec<(String, String, Option<String>)>,
    pub default_catalog: Option<String>,
    pub on_conflict: Option<ConflictPolicy>,
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Mapping(#[from] MappingError),
    #[error("{0}")]
    Usage(String),
}

impl Context {
    /// Builds the context of a run: reads the mapping files the configuration and the command
    /// line name.
    pub fn from_config(config: &Config, o: &Overrides) -> Result<Context, ContextError> {
        // A list given on the command line replaces the configuration's (resolved against the
        // configuration's directory).
        let paths = |given: &[PathBuf], configured: &[PathBuf]| -> Vec<PathBuf> {
            if given.is_empty() {
                configured.iter().map(|p| config.resolve(p)).collect()
            } else {
                given.to_vec()
            }
        };
        let tables_paths = paths(&o.tables, &config.mappings.tables);
        let policy = o.on_conflict.unwrap_or(config.mappings.on_conflict);
        let catalog = o
            .default_catalog
            .clone()
            .or_else(|| config.mappings.default_catalog.clone());
        let tables = TableMap::load(&tables_paths, policy, catalog)?;
        let column_paths = paths(&o.column_types, &config.mappings.column_types);
        let column_types = if column_paths.is_empty() {
            None
        } else {
            Some(ColumnTypes::load(&column_paths)?)
        };
        let functions = FunctionMap::load(&paths(&o.functions, &config.mappings.functions))?;
        let mut connections = ConnectionMap::default();
        let in_config = config
            .connections
            .iter()
            .map(|c| (c.from.clone(), c.to.clone(), c.name.clone()));
        for (old, new, name) in in_config.chain(o.connections.iter().cloned()) {
            connections
                .insert(&old, &new, name)
                .map_err(|m| ContextError::Usage(format!("connection mapping: {m}")))?;
        }
        let bad = |m: String| {
            ContextError::Config(ConfigError::Invalid {
                path: config.path.clone().unwrap_or_default(),
                line: None,
                message: m,
            })
        };
        Ok(Context {
            tables,
            column_types,
            functions,
            connections,
            dialects: config.dialects.clone(),
            runtime: config.runtime().map_err(bad)?,
            disabled_rules: config.rules.disable.iter().cloned().collect(),
            apply_review: config.rules.apply_review,
            severity: config
                .rules
                .severity
                .iter()
                .map(|(k, v)| (k.clone(), (*v).into()))
                .collect(),
            max_file_size: config.max_file_size().map_err(bad)?,
            excludes: config.exclude.clone(),
            base_dir: config.base_dir.clone(),
        })
    }

    /// The options a cell of `kind` is translated with; `None` for a kind that is not
    /// translated (dataframe and other-warehouse SQL). `local_names` are names that are not
    /// warehouse tables (other cells' results and inputs).
    pub fn translate_options(
        &self,
        kind: CellKind,
        local_names: HashSet<String>,
    ) -> Option<TranslateOptions<'_>> {
        let redshift = kind == CellKind::Redshift;
        Some(TranslateOptions {
            dialect: kind.dialect()?,
            disabled_rules: self.disabled_rules.clone(),
            apply_review: self.apply_review,
            runtime: self.runtime,
            // Tables are renamed only in Redshift SQL: a Databricks cell already names
            // Databricks tables.
            tables: (redshift && !self.tables.is_empty()).then_some(&self.tables),
            local_names,
            // Types are keyed by Redshift names: a Databricks cell's names differ.
            column_types: self.column_types.as_ref().filter(|_| redshift),
            // Renames map Redshift function names, like the table mapping.
            functions: (redshift && self.functions.has_renames()).then_some(&self.functions),
        })
    }

    /// Which kind of cell this is: dataframe SQL first; then the connection id as the
    /// configuration classifies it (its dialect lists, or the connection map, whose sources are
    /// Redshift and targets Databricks); then the type in Hex's `# name (type)` comment on the
    /// asset entry; then the configured default.
    pub fn classify(&self, nb: &Notebook, cell: &SqlCell) -> CellKind {
        if cell.dataframe {
            return CellKind::Dataframe;
        }
        let by_default = match self.dialects.default {
            DialectName::Redshift => CellKind::Redshift,
            DialectName::Databricks => CellKind::Databricks,
            DialectName::Other => CellKind::Other,
        };
        let Some(conn) = &cell.connection else {
            return by_default;
        };
        let id = conn.id.as_str();
        if self.dialects.redshift_connections.iter().any(|c| c == id) {
            return CellKind::Redshift;
        }
        if self.dialects.databricks_connections.iter().any(|c| c == id)
            || self.connections.is_target(id)
        {
            return CellKind::Databricks;
        }
        if self.connections.get(id).is_some() {
            return CellKind::Redshift;
        }
        // Shared assets first: that is where Hex lists the connections a project uses.
        let asset = nb
            .connections
            .iter()
            .filter(|a| a.id == id)
            .min_by_key(|a| a.section != notebook::AssetSection::Shared);
        if let Some(kind) = asset.and_then(|a| a.kind.as_deref()) {
            let is = |list: &[String]| list.iter().any(|t| t.eq_ignore_ascii_case(kind));
            if is(&self.dialects.redshift_types) {
                return CellKind::Redshift;
            }
            if is(&self.dialects.databricks_types) {
                return CellKind::Databricks;
            }
            return CellKind::Other;
        }
        by_default
    }
}

/// Migrates one notebook: translates each warehouse SQL cell for its dialect, maps tables and
/// connection ids, and splices the results into the text. Pure: no file is read or written.
pub fn migrate_notebook(
    path: &Path,
    text: &str,
    ctx: &Context,
) -> Result<NotebookResult, NotebookError> {
    let nb = notebook::parse(path, text)?;
    let cells = analyse_cells(text, &nb, ctx, Placement::File, None);
    let mut splices = Vec::new();
    let mut swapped: Vec<(String, String)> = Vec::new();
    for (cell, result) in nb.sql_cells.iter().zip(&cells) {
        if result.changed() {
            splices.push(Splice::Source {
                cell: result.index,
                value: result.translated.clone(),
            });
        }
        if result.kind != CellKind::Dataframe {
            if let Some(conn) = &cell.connection {
                if let Some(target) = ctx.connections.get(&conn.id) {
                    splices.push(Splice::Scalar {
                        range: conn.range.clone(),
                        text: target.id.clone(),
                    });
                    push_unique(&mut swapped, (conn.id.clone(), target.id.clone()));
                }
            }
        }
    }
    swap_assets(text, &nb, ctx, &mut splices, &mut swapped);
    let output = notebook::splice(text, &nb, &splices);
    Ok(NotebookResult {
        path: path.to_path_buf(),
        title: nb.title.clone(),
        cells,
        connections_swapped: swapped,
        output,
    })
}

/// The notebook's local names: other cells' result names and INPUT names are dataframes or
/// parameters, never warehouse tables. Redshift folds unquoted names, so the lower-case spelling
/// is listed too.
fn local_names(nb: &Notebook) -> HashSet<String> {
    let mut names = HashSet::new();
    for v in nb.cells.iter().filter_map(|c| c.variable.as_deref()) {
        names.insert(v.to_string());
        names.insert(v.to_lowercase());
    }
    names
}

fn sorted(names: &HashSet<String>) -> Vec<String> {
    let mut v: Vec<String> = names.iter().cloned().collect();
    v.sort_unstable();
    v
}

/// Everything the analysis of a SQL cell depends on besides the run's [`Context`]: the cell's
/// SQL, its kind (dialect, table mapping) and the notebook's local names that can matter to it
/// (see [`relevant_locals`]). Two cells with equal keys have equal translations and findings.
pub type CellKey = (String, CellKind, Vec<String>);

/// The key of each of `nb`'s SQL cells (in `sql_cells` order), or `None` for a cell that is not
/// translated (a dataframe or other-warehouse cell has no findings).
pub fn cell_keys(nb: &Notebook, ctx: &Context) -> Vec<Option<CellKey>> {
    let locals = sorted(&local_names(nb));
    nb.sql_cells
        .iter()
        .map(|cell| {
            let kind = ctx.classify(nb, cell);
            kind.dialect()?;
            let sql = &cell.source.value;
            Some((sql.clone(), kind, relevant_locals(sql, &locals)))
        })
        .collect()
}

/// The local names (sorted) that can change the translation of `sql`. `sql::translate` only
/// compares them with the table names the SQL writes (a name that is a local is not a warehouse
/// table), so a name the SQL does not contain cannot matter: adding a cell with a new result
/// name then leaves every other cell's key as it was. The SQL the engine parses is the
/// Jinja-masked text, so that is what is searched. The reasoning holds when every table name
/// the parser reads is a substring of that text: ASCII text (Unicode case folding can turn
/// other letters into ASCII ones), no backslash or `U&` escapes, and names of ASCII letters,
/// digits, `_` and `$` (so no quote doubling). Otherwise every name is kept: a key never says
/// two translations are equal when they may not be.
fn relevant_locals(sql: &str, locals: &[String]) -> Vec<String> {
    let plain_name = |n: &str| {
        n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
    };
    let masked = sql::jinja::mask(sql);
    let lower = masked.text.to_ascii_lowercase();
    if !lower.is_ascii() || lower.contains('\\') || lower.contains("u&") {
        return locals.to_vec();
    }
    locals
        .iter()
        .filter(|n| !plain_name(n) || lower.contains(&n.to_ascii_lowercase()))
        .cloned()
        .collect()
}

/// How much of a cell's result a caller needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Findings placed in the YAML file through each cell's [`LineMap`].
    File,
    /// Findings placed only inside the SQL (line and column in the cell); their file position
    /// is the cell's `source:` line. For a version of a file whose findings are only compared,
    /// never shown (a commit's base).
    SqlOnly,
}

/// The SQL cells of a parsed notebook, translated with their findings placed, without the new
/// file text: what `check` needs. Cells are translated in parallel.
///
/// With `selected` (one flag per SQL cell), only the flagged cells are translated; the others
/// keep their SQL and get no findings (`check` leaves out cells a change does not touch).
pub fn analyse_cells(
    text: &str,
    nb: &Notebook,
    ctx: &Context,
    placement: Placement,
    selected: Option<&[bool]>,
) -> Vec<CellResult> {
    let local_names = local_names(nb);
    // File positions of the cells' scalars, found once for all cells rather than by a scan
    // from the start of the file for each.
    let index = std::sync::OnceLock::new();
    nb.sql_cells
        .par_iter()
        .enumerate()
        .map(|(i, cell)| {
            let kind = ctx.classify(nb, cell);
            let original = cell.source.value.clone();
            let mut result = CellResult {
                index: i,
                id: cell.id.clone(),
                label: cell.label.clone(),
                kind,
                line: cell.source.line,
                translated: original.clone(),
                original,
                findings: Vec::new(),
                unmapped_tables: Vec::new(),
            };
            if selected.is_some_and(|s| !s[i]) {
                return result;
            }
            let Some(opts) = ctx.translate_options(kind, local_names.clone()) else {
                return result;
            };
            let t = sql::translate(&result.original, &opts);
            // Built only for a cell with findings: mapping walks the cell's text in the file.
            let map = std::cell::OnceCell::new();
            result.findings = t
                .findings
                .into_iter()
                .filter(|f| !ctx.disabled_rules.contains(f.code))
                .map(|mut f| {
                    if let Some(s) = ctx.severity.get(f.code) {
                        f.severity = *s;
                    }
                    let map = match placement {
                        Placement::File => Some(map.get_or_init(|| {
                            let index =
                                index.get_or_init(|| crate::sql::tokens::LineIndex::new(text));
                            LineMap::with_index(text, index, cell)
                        })),
                        Placement::SqlOnly => None,
                    };
                    locate(&result.original, map, cell.source.line, f)
                })
                .collect();
            result.unmapped_tables = t.unmapped_tables;
            result.translated = t.output;
            result
        })
        .collect()
}

/// Swaps the ids of mapped `sharedAssets`/`projectAssets` connection entries. Hex's
/// `# name (type)` comment stays unless the mapping gives a new name. When two Redshift
/// connections move to the same Databricks one (or to one already listed), the later entry's
/// line is removed, so each section lists a connection once.
fn swap_assets(
    text: &str,
    nb: &Notebook,
    ctx: &Context,
    splices: &mut Vec<Splice>,
    swapped: &mut Vec<(String, String)>,
) {
    let mut listed: HashSet<(bool, String)> = nb
        .connections
        .iter()
        .filter(|a| ctx.connections.get(&a.id).is_none())
        .map(|a| (a.section == notebook::AssetSection::Shared, a.id.clone()))
        .collect();
    for asset in &nb.connections {
        let Some(target) = ctx.connections.get(&asset.id) else {
            continue;
        };
        push_unique(swapped, (asset.id.clone(), target.id.clone()));
        let key = (
            asset.section == notebook::AssetSection::Shared,
            target.id.clone(),
        );
        if !listed.insert(key) {
            if let Some(line) = entry_line(text, &asset.range) {
                splices.push(Splice::Scalar {
                    range: line,
                    text: String::new(),
                });
                continue;
            }
        }
        splices.push(Splice::Scalar {
            range: asset.range.clone(),
            text: target.id.clone(),
        });
        if let (Some(name), Some(range)) = (&target.name, &asset.comment_range) {
            splices.push(Splice::Scalar {
                range: range.clone(),
                text: format!("# {name} (databricks)"),
            });
        }
    }
}

/// The whole line (line break included) of a block-sequence entry `- dataConnectionId: <id>`
/// whose id sits at `range`, or `None` when the entry is written any other way.
fn entry_line(text: &str, range: &Range<usize>) -> Option<Range<usize>> {
    let start = text[..range.start].rfind('\n').map_or(0, |p| p + 1);
    let end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |p| range.end + p + 1);
    let before = text[start..range.start].trim_start();
    let after = text[range.end..end].trim();
    (before.strip_prefix('-')?.trim_start() == "dataConnectionId: "
        || before == "- dataConnectionId: ")
        .then_some(())?;
    (after.is_empty() || after.starts_with('#')).then_some(start..end)
}

fn push_unique(v: &mut Vec<(String, String)>, item: (String, String)) {
    if !v.contains(&item) {
        v.push(item);
    }
}

/// Places a finding: SQL line/column from its byte span, file line/column through the cell's
/// line map (without one, the file position is `source_line`, the cell's `source:` key).
fn locate(sql: &str, map: Option<&LineMap>, source_line: usize, finding: Finding) -> Located {
    let start = floor_char_boundary(sql, finding.span.start);
    let end = floor_char_boundary(sql, finding.span.end.max(start));
    let (sql_line, sql_column) = line_col(sql, start);
    let (end_sql_line, end_sql_column) = line_col(sql, end);
    let at = |l, c| map.map_or((source_line, 1), |m| m.map(l, c));
    let (line, column) = at(sql_line, sql_column);
    let (end_line, end_column) = at(end_sql_line, end_sql_column);
    let line_start = sql[..start].rfind('\n').map_or(0, |p| p + 1);
    let line_end = sql[start..].find('\n').map_or(sql.len(), |p| start + p);
    Located {
        sql_line_text: sql[line_start..line_end].to_string(),
        finding,
        line,
        column,
        end_line,
        end_column,
        sql_line,
        sql_column,
    }
}

/// 1-based line and column (in chars) of byte offset `at`.
fn line_col(s: &str, at: usize) -> (usize, usize) {
    let before = &s[..at];
    let line = 1 + before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    (line, 1 + before[line_start..].chars().count())
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A whole run, as the migration reports see it: the notebooks migrated and the files that
/// could not be read.
#[derive(Debug, Clone, Default)]
pub struct MigrationRun {
    pub notebooks: Vec<NotebookResult>,
    /// Files that failed, with the error (naming file and line).
    pub failed: Vec<(PathBuf, String)>,
    /// Unmapped tables the mapping files give several targets (left unmapped by the conflict
    /// policy): table → each candidate target with its file and line. Filled by
    /// [`MigrationRun::note_conflicts`].
    pub candidates: std::collections::BTreeMap<String, Vec<(String, PathBuf, usize)>>,
}

/// Counts over a run, shown at the top of every report.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    pub notebooks: usize,
    pub notebooks_changed: usize,
    pub files_failed: usize,
    pub sql_cells: usize,
    pub redshift_cells: usize,
    pub databricks_cells: usize,
    pub dataframe_cells: usize,
    pub other_cells: usize,
    pub cells_changed: usize,
    pub cells_needing_review: usize,
    pub rewrites_applied: usize,
    pub findings_needing_review: usize,
    pub unmapped_tables: usize,
    pub connections_swapped: usize,
}

impl MigrationRun {
    pub fn totals(&self) -> Totals {
        let mut t = Totals {
            notebooks: self.notebooks.len(),
            files_failed: self.failed.len(),
            ..Totals::default()
        };
        let mut connections = HashSet::new();
        for nb in &self.notebooks {
            if nb.cells.iter().any(CellResult::changed) || !nb.connections_swapped.is_empty() {
                t.notebooks_changed += 1;
            }
            connections.extend(nb.connections_swapped.iter());
            for c in &nb.cells {
                t.sql_cells += 1;
                match c.kind {
                    CellKind::Redshift => t.redshift_cells += 1,
                    CellKind::Databricks => t.databricks_cells += 1,
                    CellKind::Dataframe => t.dataframe_cells += 1,
                    CellKind::Other => t.other_cells += 1,
                }
                t.cells_changed += usize::from(c.changed());
                let review = c.needs_review().count();
                t.findings_needing_review += review;
                t.cells_needing_review += usize::from(review > 0);
                t.rewrites_applied += c.findings.iter().filter(|l| l.finding.applied).count();
            }
        }
        t.unmapped_tables = self.unmapped_tables().len();
        t.connections_swapped = connections.len();
        t
    }

    /// Records, for each unmapped table that the mapping files map to different targets, the
    /// candidates, so reports can show a person what to choose between.
    pub fn note_conflicts(&mut self, tables: &TableMap) {
        let names: Vec<String> = self.unmapped_tables().into_iter().map(|(t, _)| t).collect();
        for t in names {
            let Ok(parts) = crate::mappings::names::split(&t) else {
                continue;
            };
            let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            if let Some(c) = tables.conflicts_for(&parts) {
                self.candidates.insert(t, c);
            }
        }
    }

    /// Every unmapped table (lower-cased, sorted) with the places it is used:
    /// (notebook path, cell index in `cells`).
    pub fn unmapped_tables(&self) -> Vec<(String, Vec<(&Path, &CellResult)>)> {
        let mut map: std::collections::BTreeMap<String, Vec<(&Path, &CellResult)>> =
            Default::default();
        for nb in &self.notebooks {
            for c in &nb.cells {
                let mut seen = HashSet::new();
                for t in &c.unmapped_tables {
                    let key = t.to_lowercase();
                    if seen.insert(key.clone()) {
                        map.entry(key).or_default().push((nb.path.as_path(), c));
                    }
                }
            }
        }
        map.into_iter().collect()
    }
}

/// What happened to one file of a bulk run.
#[derive(Debug)]
pub enum FileOutcome {
    /// A Hex notebook, migrated (its output may equal its input). `input` is the text read.
    Migrated {
        input: String,
        result: Box<NotebookResult>,
    },
    /// Not a Hex notebook: skipped silently.
    NotHex,
    /// Could not be read or parsed.
    Failed(NotebookError),
}

/// Reads and migrates one file (size limit and UTF-8 check from `notebook::read`).
pub fn migrate_file(path: &Path, ctx: &Context) -> FileOutcome {
    let text = match notebook::read(path, ctx.max_file_size) {
        Ok(t) => t,
        Err(e) => return FileOutcome::Failed(e),
    };
    if !notebook::is_hex(&text) {
        return FileOutcome::NotHex;
    }
    match migrate_notebook(path, &text, ctx) {
        Ok(r) => FileOutcome::Migrated {
            input: text,
            result: Box::new(r),
        },
        Err(e) => FileOutcome::Failed(e),
    }
}

/// Migrates many files in parallel (rayon), in the order given. `progress` is called once per
/// file as it finishes (from worker threads).
pub fn migrate_files(
    paths: &[PathBuf],
    ctx: &Context,
    progress: &(dyn Fn(&Path) + Sync),
) -> Vec<(PathBuf, FileOutcome)> {
    paths
        .par_iter()
        .map(|p| {
            let outcome = migrate_file(p, ctx);
            progress(p);
            (p.clone(), outcome)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NB: &str = "schemaVersion: 3\nmeta:\n  title: T\nprojectAssets:\n  dataConnections:\n    - dataConnectionId: p1 # Lake (databricks)\nsharedAssets:\n  dataConnections:\n    - dataConnectionId: r1 # Warehouse (redshift)\n    - dataConnectionId: s1 # Snow (snowflake)\ncells:\n  - cellType: INPUT\n    cellId: i1\n    config:\n      name: start_date\n  - cellType: SQL\n    cellId: a\n    config:\n      source: select 1 from sales.orders join start_date on true\n      dataFrameCell: false\n      dataConnectionId: r1\n      resultVariableName: a\n  - cellType: SQL\n    cellId: b\n    config:\n      source: select 2\n      dataFrameCell: false\n      dataConnectionId: p1\n      resultVariableName: b\n  - cellType: SQL\n    cellId: c\n    config:\n      source: select 3 from sales.orders\n      dataFrameCell: false\n      dataConnectionId: s1\n      resultVariableName: c\n  - cellType: SQL\n    cellId: d\n    config:\n      source: select * from a\n      dataFrameCell: true\n      dataConnectionId: null\n      resultVariableName: d\n  - cellType: SQL\n    cellId: e\n    config:\n      source: select 5\n      dataFrameCell: false\n      dataConnectionId: unknown\n      resultVariableName: e\n";

    fn kinds(ctx: &Context) -> Vec<CellKind> {
        let r = migrate_notebook(Path::new("t.yaml"), NB, ctx).unwrap();
        r.cells.iter().map(|c| c.kind).collect()
    }

    #[test]
    fn cells_are_classified_config_first_then_comment_then_default() {
        use CellKind::*;
        let mut ctx = Context::default();
        assert_eq!(
            kinds(&ctx),
            [Redshift, Databricks, Other, Dataframe, Redshift]
        );
        ctx.dialects.default = DialectName::Other;
        ctx.dialects.databricks_connections = vec!["r1".into()];
        ctx.dialects.redshift_connections = vec!["s1".into()];
        assert_eq!(
            kinds(&ctx),
            [Databricks, Databricks, Redshift, Dataframe, Other]
        );
        let mut ctx = Context::default();
        ctx.connections.insert("p1", "new", None).unwrap();
        assert_eq!(kinds(&ctx)[1], Redshift);
    }

    #[test]
    fn maps_tables_in_redshift_cells_only_and_swaps_connections() {
        let mut ctx = Context::default();
        ctx.tables
            .add_csv(
                Path::new("t.csv"),
                b"Redshift Table,Databricks Table\nsales.orders,main.sales.orders\nsales.start_date,x.y.z\n",
                ConflictPolicy::Error,
            )
            .unwrap();
        ctx.connections
            .insert("r1", "d1", Some("Lakehouse".into()))
            .unwrap();
        let r = migrate_notebook(Path::new("t.yaml"), NB, &ctx).unwrap();
        assert_eq!(
            r.cells[0].translated,
            "select 1 from main.sales.orders join start_date on true"
        );
        // The Snowflake cell is not touched.
        assert_eq!(r.cells[2].translated, r.cells[2].original);
        assert_eq!(
            r.connections_swapped,
            [("r1".to_string(), "d1".to_string())]
        );
        assert!(r
            .output
            .contains("    - dataConnectionId: d1 # Lakehouse (databricks)\n"));
        assert!(r
            .output
            .contains("      dataConnectionId: d1\n      resultVariableName: a\n"));
        assert!(!r.output.contains("r1"));
        // A second pass over the output changes nothing.
        let again = migrate_notebook(Path::new("t.yaml"), &r.output, &ctx).unwrap();
        assert_eq!(again.output, r.output);
        assert!(again.connections_swapped.is_empty());
    }

    #[test]
    fn cell_keys_keep_only_the_local_names_a_cell_can_see() {
        let locals: Vec<String> = ["Orders_Cell", "orders_cell", "other", "we\"ird"]
            .map(String::from)
            .to_vec();
        let keep = |sql: &str| relevant_locals(sql, &locals);
        // Case-insensitive, both spellings kept; names the SQL does not contain are dropped,
        // except names that are not plain (their spelling in SQL may differ).
        assert_eq!(
            keep("select * from ORDERS_CELL"),
            ["Orders_Cell", "orders_cell", "we\"ird"]
        );
        assert_eq!(keep("select 1"), ["we\"ird"]);
        // Jinja is masked before parsing: a name only inside a tag is not a table name.
        assert_eq!(keep("select * from t where d > {{ other }}"), ["we\"ird"]);
        // Text whose table names need not be substrings of it keeps every name.
        for sql in [
            "select 'é' from t",
            "select * from U&\"x\"",
            "select e'\\n'",
        ] {
            assert_eq!(keep(sql), locals, "{sql}");
        }
    }

    #[test]
    fn a_new_result_name_changes_only_the_keys_of_cells_that_mention_it() {
        let cell = |id: &str, sql: &str, var: &str| {
            format!("  - cellType: SQL\n    cellId: {id}\n    config:\n      source: {sql}\n      dataFrameCell: false\n      dataConnectionId: r1\n      resultVariableName: {var}\n")
        };
        let head = "schemaVersion: 3\ncells:\n".to_string()
            + &cell("a", "select getdate() from sales.orders", "a")
            + &cell("b", "select nvl(x, 1) from new_one", "b");
        let edited = head.clone() + &cell("c", "select 1", "new_one");
        let ctx = Context::default();
        let keys =
            |text: &str| cell_keys(&notebook::parse(Path::new("n.yaml"), text).unwrap(), &ctx);
        let (before, after) = (keys(&head), keys(&edited));
        // `a` does not mention `new_one`: same key, so `check` may leave it out. `b` reads
        // `new_one`, which is now a dataframe, not a warehouse table: its key changes.
        assert_eq!(before[0], after[0]);
        assert_ne!(before[1], after[1]);
        assert!(after[1]
            .as_ref()
            .unwrap()
            .2
            .contains(&"new_one".to_string()));
    }

    #[test]
    fn findings_placed_in_the_cell_only_carry_the_source_line() {
        let nb_text = NB.replace("select 1 from", "select getdate() from");
        let nb = notebook::parse(Path::new("t.yaml"), &nb_text).unwrap();
        let ctx = Context::default();
        let file = analyse_cells(&nb_text, &nb, &ctx, Placement::File, None);
        let sql_only = analyse_cells(&nb_text, &nb, &ctx, Placement::SqlOnly, None);
        let f = &file[0].findings[0];
        let s = &sql_only[0].findings[0];
        assert_eq!(
            (f.finding.clone(), f.sql_line, f.sql_column),
            (s.finding.clone(), s.sql_line, s.sql_column)
        );
        assert_eq!((s.line, s.column), (nb.sql_cells[0].source.line, 1));
        assert_ne!(f.column, 1);
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\ncé d", 0), (1, 1));
        assert_eq!(line_col("ab\ncé d", 3), (2, 1));
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
    }

    #[test]
    fn entry_line_only_for_plain_block_entries() {
        let text = "  dataConnections:\n    - dataConnectionId: abc # X (redshift)\n    - dataConnectionId: def\n";
        let a = text.find("abc").unwrap();
        assert_eq!(
            entry_line(text, &(a..a + 3)),
            Some(19..text.find("    - dataConnectionId: def").unwrap())
        );
        let d = text.find("def").unwrap();
        assert_eq!(
            entry_line(text, &(d..d + 3)).map(|r| r.end),
            Some(text.len())
        );
        let flow = "  dataConnections: [{dataConnectionId: abc}]\n";
        let a = flow.find("abc").unwrap();
        assert_eq!(entry_line(flow, &(a..a + 3)), None);
    }
}
