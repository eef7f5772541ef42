//! `hex-migrate fix`: rewrites Redshift SQL cells to Databricks SQL in place, maps tables and
//! connection ids. Writes are atomic (temporary file in the same directory, then rename) and keep
//! the file mode. `--diff` and `--check` write nothing.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::mappings::{ConflictPolicy, ConnectionMap};
use crate::migrate::{self, Context, FileOutcome, Overrides};
use crate::notebook;

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};

/// Arguments of `hex-migrate fix`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Notebooks or directories to fix (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Print a unified diff of what would change; write nothing (exit 1 when something would).
    #[arg(long)]
    pub diff: bool,
    /// Write nothing; exit 1 when something would change.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub migrate: MigrateOptions,
}

/// Mapping, connection and configuration options shared by `fix`, `report` (and any command
/// that migrates notebooks).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MigrateOptions {
    /// Configuration file (default: the nearest .hex-migrate.yaml up to the repository root).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub files: MappingFiles,
    /// Swap a Redshift connection id for a Databricks one (repeatable). `OLD=NEW=NAME` also
    /// replaces Hex's `# name (type)` comment on the asset entry.
    #[arg(long = "connection", value_name = "OLD=NEW")]
    pub connections: Vec<String>,
    /// Catalog put in front of `schema.table` references no mapping row covers.
    #[arg(long, value_name = "CATALOG")]
    pub default_catalog: Option<String>,
    /// What to do when mapping rows give a table different targets.
    #[arg(long, value_enum, value_name = "POLICY")]
    pub on_conflict: Option<ConflictPolicy>,
}

/// The mapping files a run reads, each flag repeatable. On the commands that read a
/// configuration (`fix`, `check`, `report`, `pr`) a flag replaces the configuration's list;
/// `sql` reads only these.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MappingFiles {
    /// Table mapping CSV (repeatable; replaces the configuration's `mappings.tables`).
    #[arg(long = "tables", value_name = "FILE")]
    pub tables: Vec<PathBuf>,
    /// Column types exported from Redshift (`table_schema,table_name,column_name,data_type`, e.g.
    /// from svv_columns; repeatable; replaces the configuration's `mappings.column_types`).
    /// Rewrites that are exact for known types are then applied instead of reported.
    #[arg(long = "column-types", value_name = "FILE")]
    pub column_types: Vec<PathBuf>,
    /// Function mapping CSV (repeatable; replaces the configuration's `mappings.functions`).
    /// Its plain renames (`syntax_change` false) are applied: RS466.
    #[arg(long = "functions", value_name = "FILE")]
    pub functions: Vec<PathBuf>,
}

impl MigrateOptions {
    /// Reads the configuration and the mapping files: the context of a run. Errors name the
    /// file and line.
    pub fn load(&self) -> Result<Context, String> {
        let config = match &self.config {
            Some(p) => Config::load(p).map_err(|e| e.to_string())?,
            None => {
                let cwd = std::env::current_dir().map_err(|e| format!("working directory: {e}"))?;
                match Config::discover(&cwd) {
                    Some(p) => Config::load(&p).map_err(|e| e.to_string())?,
                    None => Config {
                        base_dir: cwd,
                        ..Config::default()
                    },
                }
            }
        };
        let connections = self
            .connections
            .iter()
            .map(|a| ConnectionMap::parse_arg(a).map_err(|m| format!("--connection {m}")))
            .collect::<Result<Vec<_>, _>>()?;
        let overrides = Overrides {
            tables: self.files.tables.clone(),
            column_types: self.files.column_types.clone(),
            functions: self.files.functions.clone(),
            connections,
            default_catalog: self.default_catalog.clone(),
            on_conflict: self.on_conflict,
        };
        Context::from_config(&config, &overrides).map_err(|e| e.to_string())
    }

    /// The Hex notebooks under `paths` (the current directory when empty), with the errors of
    /// paths that could not be walked.
    pub fn discover(
        &self,
        paths: &[PathBuf],
        ctx: &Context,
    ) -> (Vec<PathBuf>, Vec<notebook::NotebookError>) {
        let paths = if paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            paths.to_vec()
        };
        // The configured size limit applies to the walk too (it reads files to recognise them).
        notebook::discover(&paths, &ctx.excludes, ctx.max_file_size)
    }
}

/// A progress bar on stderr when it is a terminal and the run is long enough to need one.
pub fn progress_bar(len: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() || len < 20 {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} notebooks {elapsed}") {
        pb.set_style(style);
    }
    pb
}

/// Runs the subcommand; returns the process exit code.
pub fn run(args: Args) -> u8 {
    let ctx = match args.migrate.load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hex-migrate: {e}");
            return EXIT_ERROR;
        }
    };
    let (files, walk_errors) = args.migrate.discover(&args.paths, &ctx);
    let mut errors = walk_errors.len();
    for e in &walk_errors {
        eprintln!("hex-migrate: {e}");
    }
    let pb = progress_bar(files.len());
    let outcomes = migrate::migrate_files(&files, &ctx, &|_| pb.inc(1));
    pb.finish_and_clear();

    let write = !args.diff && !args.check;
    let mut changed_files = 0usize;
    let mut changed_cells = 0usize;
    let mut review = 0usize;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (path, outcome) in outcomes {
        let (input, result) = match outcome {
            FileOutcome::NotHex => continue,
            FileOutcome::Failed(e) => {
                eprintln!("hex-migrate: {e}");
                errors += 1;
                continue;
            }
            FileOutcome::Migrated { input, result } => (input, result),
        };
        review += result
            .cells
            .iter()
            .map(|c| c.needs_review().count())
            .sum::<usize>();
        if result.output == input {
            continue;
        }
        changed_files += 1;
        changed_cells += result.cells.iter().filter(|c| c.changed()).count();
        if args.diff {
            let name = path.display().to_string();
            let name = name.trim_start_matches('/');
            let diff = similar::TextDiff::from_lines(&input, &result.output);
            let text = diff
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string();
            let _ = out.write_all(text.as_bytes());
        } else if args.check {
            let _ = writeln!(out, "would fix {}", path.display());
        }
        if write {
            if let Err(e) = write_atomic(&path, &result.output) {
                eprintln!("hex-migrate: {}: cannot write: {e}", path.display());
                errors += 1;
                changed_files -= 1;
            }
        }
    }
    let _ = out.flush();
    let verb = if write { "fixed" } else { "would fix" };
    eprintln!(
        "hex-migrate: {verb} {changed_files} of {} notebooks ({changed_cells} SQL cells){}{}",
        files.len(),
        if review > 0 {
            format!("; {review} findings need a person (hex-migrate check / report)")
        } else {
            String::new()
        },
        if errors > 0 {
            format!("; {errors} files had errors")
        } else {
            String::new()
        }
    );
    if errors > 0 {
        EXIT_ERROR
    } else if !write && changed_files > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Replaces `path` with `text` atomically: a temporary file in the same directory gets the text
/// and the original's permissions, then is renamed over it, so a reader never sees half a file.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let perms = std::fs::metadata(path)?.permissions();
    replace(path, text, Some(perms))
}

/// Writes `path` atomically whether or not it exists (an existing file keeps its mode).
pub fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let perms = std::fs::metadata(path).ok().map(|m| m.permissions());
    replace(path, text, perms)
}

fn replace(path: &Path, text: &str, perms: Option<std::fs::Permissions>) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".hex-migrate-")
        .tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    match perms {
        Some(p) => std::fs::set_permissions(tmp.path(), p)?,
        // A new file gets the usual mode (tempfile creates 0600).
        None => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))?;
            }
        }
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn atomic_write_keeps_the_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.yaml");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
