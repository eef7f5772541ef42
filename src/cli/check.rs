//! `hex-migrate check`: reports Redshift SQL in Hex notebooks, read-only.
//!
//! Three modes:
//! - `check PATHS…`: every finding in every warehouse SQL cell of the notebooks found.
//! - `check --staged [PATHS…]`: what a commit adds. The staged version of each changed notebook
//!   (read from the index git's environment names; never written) is compared with its `HEAD`
//!   version, cell by cell (by cell id): only findings the base cell did not have are new
//!   (see `baseline`). Under pre-commit with `--from-ref/--to-ref` (CI, pre-push), the
//!   `PRE_COMMIT_FROM_REF`/`PRE_COMMIT_TO_REF` range is compared instead.
//! - `check --from-ref A --to-ref B [PATHS…]`: the merge base of A and B against B.
//!
//! Exit 0 when nothing new blocks, 1 when a new finding blocks (see
//! `report::diagnostics::Diagnostic::blocking`), 2 when a file could not be checked (other files
//! are still checked and reported).

mod baseline;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use rayon::prelude::*;

use crate::git::changed::{between_refs, FileChange};
use crate::git::repo::{open_from_env, repo_relative, PathFilter};
use crate::git::staged::staged_changes;
use crate::migrate::{analyse_cells, CellResult, Context, Placement};
use crate::notebook::{self, Notebook, NotebookError};
use crate::report::diagnostics::{CheckReport, Diagnostic, InputError, Mode};

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path:line:col: CODE message`, the SQL line with a caret, the fix, a summary.
    Human,
    /// GitHub Actions workflow commands (annotations), capped per GitHub's limits.
    Github,
    /// One JSON object (shape documented in README, "Output formats").
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

/// Arguments of `hex-migrate check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Notebooks or directories to check (default: the current directory). With --staged or
    /// --from-ref/--to-ref: only changed files under these paths are checked.
    pub paths: Vec<PathBuf>,
    /// Check what the next commit adds: the index compared with HEAD (for commit hooks).
    #[arg(long, conflicts_with_all = ["from_ref", "to_ref"])]
    pub staged: bool,
    /// Check what TO_REF adds since its merge base with FROM_REF (CI on pull requests).
    #[arg(long, value_name = "REF", requires = "to_ref")]
    pub from_ref: Option<String>,
    /// See --from-ref.
    #[arg(long, value_name = "REF", requires = "from_ref")]
    pub to_ref: Option<String>,
    /// List findings that were already there before the change too (otherwise only counted).
    #[arg(long)]
    pub all: bool,
    /// Output format.
    #[arg(long, value_enum, env = "HEX_MIGRATE_FORMAT", default_value = "human")]
    pub format: Format,
    /// Configuration, mappings and connection options (as for `fix`).
    #[command(flatten)]
    pub migrate: super::fix::MigrateOptions,
}

/// What reads one version of one notebook. Kept apart from the git and path plumbing so the
/// same comparison runs on any source of bytes.
pub(crate) struct Analyser<'a> {
    pub ctx: &'a Context,
    /// Whether cells a base has as they are are left out (see `baseline::select`); off for
    /// `--all`, which lists every finding.
    pub skip_unchanged: bool,
}

impl Analyser<'_> {
    /// Largest notebook read, in bytes.
    fn max_bytes(&self) -> u64 {
        self.ctx.max_file_size
    }
}

/// Which comparison to run, from the arguments and pre-commit's environment.
fn mode_of(args: &Args) -> Mode {
    if let (Some(from), Some(to)) = (&args.from_ref, &args.to_ref) {
        return Mode::Refs {
            from: from.clone(),
            to: to.clone(),
        };
    }
    if args.staged {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        if let (Some(from), Some(to)) = (env("PRE_COMMIT_FROM_REF"), env("PRE_COMMIT_TO_REF")) {
            return Mode::Refs { from, to };
        }
        return Mode::Staged;
    }
    Mode::Paths
}

/// One file's outcome.
#[derive(Default)]
struct FileOutcome {
    checked: bool,
    diagnostics: Vec<Diagnostic>,
    errors: Vec<InputError>,
    /// Warehouse SQL cells not analysed because a base has them as they are.
    unchanged: usize,
}

/// Turns a notebook error into a located input error shown under `display`.
pub(crate) fn input_error(display: &str, e: &NotebookError) -> InputError {
    let (line, column, message) = match e {
        NotebookError::Io { message, .. } => (None, None, message.clone()),
        NotebookError::Yaml {
            line,
            column,
            message,
            ..
        } => (
            Some(*line),
            Some(*column),
            format!("invalid YAML: {message}"),
        ),
        NotebookError::NotUtf8 { line, .. } => (Some(*line), None, "not valid UTF-8".to_string()),
        NotebookError::TooLarge { size, limit, .. } => (
            None,
            None,
            format!("{size} bytes is over the size limit of {limit} bytes"),
        ),
        NotebookError::Malformed { line, message, .. } => (
            Some(*line),
            None,
            format!("not a Hex notebook as expected: {message}"),
        ),
    };
    InputError {
        path: display.to_string(),
        line,
        column,
        message,
    }
}

/// How a path found on disk is shown: as found, without a leading `./`.
fn display_path(p: &Path) -> String {
    match p.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.display().to_string(),
        _ => p.display().to_string(),
    }
}

/// Decodes bytes as UTF-8, or says on which line the first bad byte is.
fn decode(display: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..good].iter().filter(|&&b| b == b'\n').count() + 1;
        InputError {
            path: display.to_string(),
            line: Some(line),
            column: None,
            message: "not valid UTF-8".to_string(),
        }
    })
}

fn diagnostics_of(display: &str, cells: &[CellResult], new: &[Vec<bool>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (cell, flags) in cells.iter().zip(new) {
        for (located, &is_new) in cell.findings.iter().zip(flags) {
            out.push(Diagnostic {
                path: display.to_string(),
                cell_id: cell.id.clone(),
                cell_label: cell.label.clone(),
                cell_kind: cell.kind,
                located: located.clone(),
                new: is_new,
            });
        }
    }
    out
}

/// Checks one changed file against its base version(s).
fn check_change(change: FileChange, a: &Analyser<'_>) -> FileOutcome {
    let display = change.path.clone();
    if change.new.len() as u64 > a.max_bytes() {
        return FileOutcome {
            errors: vec![InputError {
                path: display,
                line: None,
                column: None,
                message: format!(
                    "{} bytes is over the size limit of {} bytes",
                    change.new.len(),
                    a.max_bytes()
                ),
            }],
            ..Default::default()
        };
    }
    let text = match decode(&display, change.new) {
        Ok(t) => t,
        Err(e) => {
            return FileOutcome {
                errors: vec![e],
                ..Default::default()
            }
        }
    };
    if !notebook::is_hex(&text) {
        return FileOutcome::default();
    }
    let path = PathBuf::from(&change.path);
    // A base we cannot read (not UTF-8, not a notebook, broken YAML) is no base: its findings
    // cannot be matched, so everything in the new version counts as new. Strict, never silent.
    let base_path = PathBuf::from(change.old_path.as_deref().unwrap_or(&change.path));
    let base_texts: Vec<String> = change
        .bases
        .into_iter()
        .filter_map(|b| String::from_utf8(b).ok())
        .filter(|t| notebook::is_hex(t))
        .collect();
    // Parsing is a large part of the work: the versions are parsed side by side.
    let (parsed, bases) = rayon::join(
        || notebook::parse(&path, &text),
        || {
            base_texts
                .par_iter()
                .filter_map(|t| Some((t, notebook::parse(&base_path, t).ok()?)))
                .collect::<Vec<_>>()
        },
    );
    let nb = match parsed {
        Ok(nb) => nb,
        Err(e) => {
            return FileOutcome {
                checked: true,
                errors: vec![input_error(&display, &e)],
                ..Default::default()
            }
        }
    };
    // A cell a base has as it is cannot bring a new finding: without --all it is left out;
    // with --all it is analysed and its findings are pre-existing without a comparison. Only
    // the base cells the other cells are compared with are analysed, in the cell's SQL (a
    // base's findings are never shown).
    let base_nbs: Vec<&Notebook> = bases.iter().map(|(_, b)| b).collect();
    let selection = (!bases.is_empty()).then(|| baseline::select(&nb, &base_nbs, a.ctx));
    let analysed_new = selection
        .as_ref()
        .filter(|_| a.skip_unchanged)
        .map(|s| s.new.as_slice());
    let cells = analyse_cells(&text, &nb, a.ctx, Placement::File, analysed_new);
    let base_cells: Vec<Vec<CellResult>> = bases
        .iter()
        .enumerate()
        .map(|(i, (t, b))| {
            let selected = selection.as_ref().map(|s| s.bases[i].as_slice());
            analyse_cells(t, b, a.ctx, Placement::SqlOnly, selected)
        })
        .collect();
    let mut new = baseline::mark_new(&base_cells, &cells);
    if let Some(s) = &selection {
        for (flags, cell) in new.iter_mut().zip(&cells) {
            if !s.new[cell.index] {
                flags.fill(false);
            }
        }
    }
    FileOutcome {
        checked: true,
        diagnostics: diagnostics_of(&display, &cells, &new),
        errors: vec![],
        unchanged: selection
            .filter(|_| a.skip_unchanged)
            .map_or(0, |s| s.unchanged),
    }
}

/// Checks files on disk (no baseline). `files` are (display path, text or read error).
fn check_texts(
    files: Vec<(String, Result<String, InputError>)>,
    a: &Analyser<'_>,
) -> Vec<FileOutcome> {
    files
        .into_par_iter()
        .map(|(display, text)| match text {
            Err(e) => FileOutcome {
                errors: vec![e],
                ..Default::default()
            },
            Ok(text) => {
                if !notebook::is_hex(&text) {
                    return FileOutcome::default();
                }
                match notebook::parse(Path::new(&display), &text) {
                    Ok(nb) => {
                        let cells = analyse_cells(&text, &nb, a.ctx, Placement::File, None);
                        let new: Vec<Vec<bool>> =
                            cells.iter().map(|c| vec![true; c.findings.len()]).collect();
                        FileOutcome {
                            checked: true,
                            diagnostics: diagnostics_of(&display, &cells, &new),
                            ..Default::default()
                        }
                    }
                    Err(e) => FileOutcome {
                        checked: true,
                        errors: vec![input_error(&display, &e)],
                        ..Default::default()
                    },
                }
            }
        })
        .collect()
}

/// The engine's "statement could not be parsed" finding: SQL we could not read is an input
/// error (exit 2) when the change brings it, never a silent pass.
pub const UNPARSED_CODE: &str = "RS901";

fn assemble(
    mode: Mode,
    outcomes: Vec<FileOutcome>,
    mut errors: Vec<InputError>,
    all: bool,
) -> CheckReport {
    let mut files_checked = 0;
    let mut unchanged_cells = 0;
    let mut diagnostics = Vec::new();
    for o in outcomes {
        files_checked += usize::from(o.checked);
        unchanged_cells += o.unchanged;
        for d in o.diagnostics {
            if d.located.finding.code == UNPARSED_CODE && d.blocking() {
                let f = &d.located.finding;
                errors.push(InputError {
                    path: d.path.clone(),
                    line: Some(d.located.line),
                    column: Some(d.located.column),
                    message: format!(
                        "{} {} (cell {})",
                        f.code,
                        f.message,
                        d.cell_id.as_deref().unwrap_or("without an id")
                    ),
                });
            } else {
                diagnostics.push(d);
            }
        }
        errors.extend(o.errors);
    }
    diagnostics.sort_by(|x, y| {
        (x.path.as_str(), x.located.line, x.located.column).cmp(&(
            y.path.as_str(),
            y.located.line,
            y.located.column,
        ))
    });
    errors.sort_by(|x, y| (x.path.as_str(), x.line).cmp(&(y.path.as_str(), y.line)));
    CheckReport {
        mode,
        files_checked,
        diagnostics,
        errors,
        show_all: all,
        unchanged_cells,
    }
}

/// The configuration's `exclude` patterns (gitignore style, relative to the current directory,
/// as `notebook::discover` reads them), or `None` when there are none.
fn exclude_matcher(excludes: &[String]) -> Result<Option<Gitignore>, String> {
    if excludes.is_empty() {
        return Ok(None);
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut builder = GitignoreBuilder::new(cwd);
    for pattern in excludes {
        builder
            .add_line(None, pattern)
            .map_err(|e| format!("bad exclude pattern {pattern:?}: {e}"))?;
    }
    builder.build().map(Some).map_err(|e| e.to_string())
}

fn is_excluded(matcher: &Gitignore, path: &Path) -> bool {
    matcher.matched(path, false).is_ignore()
        || path
            .ancestors()
            .skip(1)
            .any(|p| matcher.matched(p, true).is_ignore())
}

/// Runs a git-mode check: changed files from the index or a commit range.
fn check_git(
    mode: Mode,
    paths: &[PathBuf],
    all: bool,
    excludes: &[String],
    a: &Analyser<'_>,
) -> CheckReport {
    let mut errors = Vec::new();
    let excluded = match exclude_matcher(excludes) {
        Ok(m) => m,
        Err(message) => {
            errors.push(InputError {
                path: ".hex-migrate.yaml".into(),
                line: None,
                column: None,
                message,
            });
            return assemble(mode, vec![], errors, all);
        }
    };
    // Phase times at debug level (`RUST_LOG=hex_migrate=debug`): where a slow hook spends its
    // time.
    let started = std::time::Instant::now();
    // libgit2 re-hashes every object it reads (SHA-1 with collision detection) to compare it
    // with its id: about 4% of the hook's CPU for five large notebooks. Git itself only
    // does that in `fsck`; zlib's checksum still catches a damaged object.
    git2::opts::strict_hash_verification(false);
    let repo = match open_from_env() {
        Ok(r) => r,
        Err(e) => {
            errors.push(InputError {
                path: ".".into(),
                line: None,
                column: None,
                message: e.to_string(),
            });
            return assemble(mode, vec![], errors, all);
        }
    };
    let mut selected = Vec::new();
    for p in paths {
        match repo_relative(&repo, p) {
            Some(rel) => selected.push(rel),
            None => errors.push(InputError {
                path: p.display().to_string(),
                line: None,
                column: None,
                message: "not inside the repository's work tree".into(),
            }),
        }
    }
    if !paths.is_empty() && selected.is_empty() {
        return assemble(mode, vec![], errors, all);
    }
    let filter = PathFilter::new(selected);
    let changes = match &mode {
        Mode::Refs { from, to } => between_refs(&repo, from, to, &filter),
        _ => staged_changes(&repo, &filter),
    };
    let changes = match changes {
        Ok(c) => c,
        Err(e) => {
            errors.push(InputError {
                path: ".".into(),
                line: None,
                column: None,
                message: e.to_string(),
            });
            return assemble(mode, vec![], errors, all);
        }
    };
    tracing::debug!(
        files = changes.len(),
        elapsed = ?started.elapsed(),
        "changed files read from git"
    );
    let workdir = repo.workdir().map(Path::to_path_buf);
    drop(repo);
    let changes: Vec<FileChange> = match (&excluded, &workdir) {
        (Some(m), Some(w)) => changes
            .into_iter()
            .filter(|c| !is_excluded(m, &w.join(&c.path)))
            .collect(),
        _ => changes,
    };
    let outcomes: Vec<FileOutcome> = changes
        .into_par_iter()
        .map(|c| check_change(c, a))
        .collect();
    tracing::debug!(
        unchanged_cells = outcomes.iter().map(|o| o.unchanged).sum::<usize>(),
        elapsed = ?started.elapsed(),
        "files analysed"
    );
    assemble(mode, outcomes, errors, all)
}

/// Runs the subcommand; returns the process exit code.
pub fn run(args: Args) -> u8 {
    skip_ca_bundle();
    let ctx = match args.migrate.load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hex-migrate: {e}");
            return super::EXIT_ERROR;
        }
    };
    let analyser = Analyser {
        ctx: &ctx,
        skip_unchanged: !args.all,
    };
    let mode = mode_of(&args);
    let report = match mode {
        Mode::Paths => check_paths(&args, &ctx, &analyser),
        mode => check_git(mode, &args.paths, args.all, &ctx.excludes, &analyser),
    };
    let text = render(&report, args.format);
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        return super::EXIT_ERROR;
    }
    report.exit_code()
}

/// `check` never talks to a remote, but the first use of libgit2 (built with HTTPS, for `pr`)
/// initialises OpenSSL, which then reads and decodes the whole system CA bundle: about 20 ms
/// of CPU before anything else, a third of a commit hook's budget. Pointing this process's
/// `SSL_CERT_FILE` at an empty file makes that load a no-op; nothing in `check` verifies a
/// certificate, and no child process is started that could inherit the setting.
///
/// Called first in `run`, while the process has a single thread (the environment must not be
/// changed while another thread may read it).
fn skip_ca_bundle() {
    #[cfg(unix)]
    std::env::set_var("SSL_CERT_FILE", "/dev/null");
}

/// Paths mode: the notebooks found under the paths, read from disk; every finding is new.
fn check_paths(args: &Args, ctx: &Context, a: &Analyser<'_>) -> CheckReport {
    let (files, walk_errors) = args.migrate.discover(&args.paths, ctx);
    let errors: Vec<InputError> = walk_errors
        .iter()
        .map(|e| input_error(&display_path(e.path()), e))
        .collect();
    let texts = files
        .par_iter()
        .map(|p| {
            let display = display_path(p);
            let text = notebook::read(p, a.max_bytes()).map_err(|e| input_error(&display, &e));
            (display, text)
        })
        .collect();
    assemble(Mode::Paths, check_texts(texts, a), errors, args.all)
}

/// Prints a report in the chosen format.
pub(crate) fn render(report: &CheckReport, format: Format) -> String {
    use crate::report::{github, human, json, sarif};
    match format {
        Format::Human => human::render(report),
        Format::Github => github::render(report),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, &rule_metadata()),
    }
}

/// SARIF rule metadata from the rule registry.
fn rule_metadata() -> Vec<crate::report::sarif::RuleMeta> {
    crate::rules::all()
        .iter()
        .map(|r| {
            let info = r.info();
            crate::report::sarif::RuleMeta {
                id: info.code.to_string(),
                name: Some(info.name.to_string()),
                short: info.summary.to_string(),
                full: None,
                help_markdown: Some(info.doc_text()),
                default_severity: Some(info.confidence.severity()),
                confidence: Some(format!("{:?}", info.confidence).to_ascii_lowercase()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A notebook of Redshift cells. Every cell names its result `out`, so adding a cell leaves
    /// the notebook's local names (which translation depends on) as they were.
    fn notebook(cells: &[(&str, &str)]) -> String {
        let mut s = String::from(
            "schemaVersion: 3\nmeta:\n  title: T\nsharedAssets:\n  dataConnections:\n    - dataConnectionId: r1 # Warehouse (redshift)\ncells:\n",
        );
        for (id, sql) in cells {
            s.push_str(&format!(
                "  - cellType: SQL\n    cellId: {id}\n    config:\n      source: {sql}\n      dataFrameCell: false\n      dataConnectionId: r1\n      resultVariableName: out\n"
            ));
        }
        s
    }

    /// (cell id, rule code, new) of every diagnostic, in file order.
    fn flags(o: &FileOutcome) -> Vec<(String, &'static str, bool)> {
        o.diagnostics
            .iter()
            .map(|d| {
                (
                    d.cell_id.clone().unwrap_or_default(),
                    d.located.finding.code,
                    d.new,
                )
            })
            .collect()
    }

    /// `head` staged over `base`, both given as notebook cells.
    fn change(base: &[(&str, &str)], head: &[(&str, &str)]) -> FileChange {
        FileChange {
            path: "n.yaml".into(),
            old_path: None,
            bases: vec![notebook(base).into_bytes()],
            new: notebook(head).into_bytes(),
        }
    }

    fn analyser(ctx: &Context, skip_unchanged: bool) -> Analyser<'_> {
        Analyser {
            ctx,
            skip_unchanged,
        }
    }

    const BASE: [(&str, &str); 3] = [
        ("a", "select getdate(), nvl(x, 1) from t"),
        ("b", "select nvl(y, 2) from t"),
        ("d", "select 1"),
    ];
    /// `a` and `d` as they were, `b` edited, `c` added.
    const HEAD: [(&str, &str); 4] = [
        ("a", "select getdate(), nvl(x, 1) from t"),
        ("b", "select nvl(y, 2), getdate() from t"),
        ("c", "select getdate()"),
        ("d", "select 1"),
    ];

    #[test]
    fn with_all_unchanged_cells_are_listed_as_pre_existing() {
        let ctx = Context::default();
        let got = flags(&check_change(change(&BASE, &HEAD), &analyser(&ctx, false)));
        let of = |id: &str| -> Vec<(&'static str, bool)> {
            got.iter()
                .filter(|(c, _, _)| c == id)
                .map(|(_, code, new)| (*code, *new))
                .collect()
        };
        // The unchanged cell keeps both its findings, neither counted as new.
        let a = of("a");
        assert!(a.len() >= 2, "findings of the unchanged cell: {a:?}");
        assert!(a.iter().all(|(_, new)| !new), "{a:?}");
        // The edited cell: the NVL it had is not new, the GETDATE it gained is.
        let b = of("b");
        assert_eq!(b.iter().filter(|(_, new)| *new).count(), 1, "{b:?}");
        assert!(b.iter().any(|(_, new)| !new), "{b:?}");
        // The added cell: everything is new.
        let c = of("c");
        assert!(!c.is_empty() && c.iter().all(|(_, new)| *new), "{c:?}");
    }

    #[test]
    fn unchanged_cells_are_left_out_and_new_findings_stay_the_same() {
        let ctx = Context::default();
        let skipped = check_change(change(&BASE, &HEAD), &analyser(&ctx, true));
        let full = check_change(change(&BASE, &HEAD), &analyser(&ctx, false));
        // `a` and `d` are as they were: left out, counted.
        assert_eq!(skipped.unchanged, 2);
        assert_eq!(full.unchanged, 0);
        let new_of = |o: &FileOutcome| -> Vec<(String, &'static str)> {
            flags(o)
                .into_iter()
                .filter(|(_, _, new)| *new)
                .map(|(id, code, _)| (id, code))
                .collect()
        };
        // The same new findings either way, and some there are.
        assert!(!new_of(&full).is_empty());
        assert_eq!(new_of(&skipped), new_of(&full));
        // Only `a`'s findings are gone; `b`'s pre-existing NVL is still compared and counted.
        let ids = |o: &FileOutcome| -> Vec<String> {
            let mut v: Vec<String> = flags(o).into_iter().map(|(id, _, _)| id).collect();
            v.dedup();
            v
        };
        assert_eq!(ids(&skipped), ["b", "c"]);
        assert_eq!(ids(&full), ["a", "b", "c"]);
        assert!(flags(&skipped).iter().any(|(id, _, new)| id == "b" && !new));
    }

    #[test]
    fn a_cell_whose_id_is_there_twice_is_not_left_out() {
        // Two copies of `a`'s GETDATE where the base had one: one of them is new.
        let ctx = Context::default();
        let o = check_change(
            change(
                &[("a", "select getdate()")],
                &[("a", "select getdate()"); 2],
            ),
            &analyser(&ctx, true),
        );
        assert_eq!(o.unchanged, 0);
        let new: Vec<bool> = flags(&o).into_iter().map(|(_, _, n)| n).collect();
        assert_eq!(new, [false, true]);
    }
}
