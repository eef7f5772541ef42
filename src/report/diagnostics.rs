//! What `check` hands to its renderers (human, github, json, sarif): every finding with where it
//! is, whether it is new relative to the base, and the files that could not be checked.

use crate::migrate::{CellKind, Located};
use crate::sql::Severity;

/// What a check compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Files on disk, no baseline: every finding is new.
    Paths,
    /// The index against `HEAD` (a commit hook).
    Staged,
    /// The merge base of two commits against the second (`--from-ref`/`--to-ref`).
    Refs { from: String, to: String },
}

impl Mode {
    /// Name used in the JSON output.
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::Paths => "paths",
            Mode::Staged => "staged",
            Mode::Refs { .. } => "refs",
        }
    }
}

/// One finding in one notebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path as shown to users: repository-relative in git modes, as discovered otherwise.
    pub path: String,
    pub cell_id: Option<String>,
    pub cell_label: Option<String>,
    pub cell_kind: CellKind,
    pub located: Located,
    /// The base version of the same cell did not have this finding.
    pub new: bool,
}

impl Diagnostic {
    /// Whether this finding fails the check. Any new finding on a warehouse cell we read blocks:
    /// on a Redshift cell every finding is Redshift syntax being added (even one `fix` rewrites
    /// exactly, like `GETDATE()`), and on a Databricks cell the engine only reports constructs
    /// that cannot run there. Dataframe and other-warehouse cells never block.
    ///
    /// Advisories do not block: a warning with no rewrite (TIMESTAMP's time-zone model, MEDIAN's
    /// return type, EXPLAIN's plan) is about SQL that runs on Databricks as written, so the
    /// commit adds no Redshift-only syntax. They are still listed.
    pub fn blocking(&self) -> bool {
        self.new
            && matches!(self.cell_kind, CellKind::Redshift | CellKind::Databricks)
            && !self.advisory()
    }

    /// A warning whose SQL stays as it is (the rule rewrites nothing): a caveat to read, not
    /// Redshift syntax to remove.
    pub fn advisory(&self) -> bool {
        let f = &self.located.finding;
        f.severity == Severity::Warning && !f.applied
    }
}

/// A file (or a place in it) that could not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// What went wrong, without the path and position (renderers add them).
    pub message: String,
}

impl InputError {
    /// `path:line:col` (as much of it as is known).
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.path),
            (Some(l), None) => format!("{}:{l}", self.path),
            _ => self.path.clone(),
        }
    }
}

/// The outcome of one `check` run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub mode: Mode,
    /// Hex notebooks read (in git modes: changed ones).
    pub files_checked: usize,
    /// Every finding, new and pre-existing, in path/line/column order.
    pub diagnostics: Vec<Diagnostic>,
    pub errors: Vec<InputError>,
    /// `--all`: list pre-existing findings too, not only count them.
    pub show_all: bool,
    /// Warehouse SQL cells of changed files that a base version has as they are: not analysed
    /// (none of their findings can be new), so their findings are in neither list nor count.
    /// Always 0 with `--all` and outside git modes.
    pub unchanged_cells: usize,
}

/// Exit codes (see `crate::cli`).
const EXIT_CLEAN: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

impl CheckReport {
    /// The findings to list: new ones, or all with `--all`.
    pub fn listed(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(move |d| d.new || self.show_all)
    }

    pub fn new_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.new).count()
    }

    pub fn preexisting_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| !d.new).count()
    }

    pub fn blocking_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.blocking()).count()
    }

    /// New findings of one severity.
    pub fn new_with_severity(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.new && d.located.finding.severity == severity)
            .count()
    }

    /// Files with at least one listed finding.
    pub fn files_with_listed(&self) -> usize {
        let mut paths: Vec<&str> = self.listed().map(|d| d.path.as_str()).collect();
        paths.dedup();
        paths.len()
    }

    /// 2 when something could not be checked (never pass silently on a file we could not
    /// read), else 1 when a new finding blocks, else 0.
    pub fn exit_code(&self) -> u8 {
        if !self.errors.is_empty() {
            EXIT_ERROR
        } else if self.blocking_count() > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        }
    }
}

/// Test data shared by the renderers' unit tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;
    use crate::sql::Finding;

    pub fn diagnostic(
        path: &str,
        line: usize,
        code: &'static str,
        severity: Severity,
        new: bool,
    ) -> Diagnostic {
        Diagnostic {
            path: path.to_string(),
            cell_id: Some("0199e1f3-2a6c-78e7-aacf-5a4f17e6fd0c".to_string()),
            cell_label: Some("Weekly signups".to_string()),
            cell_kind: CellKind::Redshift,
            located: Located {
                finding: Finding {
                    code,
                    severity,
                    message: "GETDATE() is Redshift-only".to_string(),
                    span: 7..16,
                    suggestion: Some("current_timestamp()".to_string()),
                    applied: severity == Severity::Info,
                },
                line,
                column: 16,
                end_line: line,
                end_column: 25,
                sql_line_text: "select getdate() as now".to_string(),
                sql_line: 1,
                sql_column: 8,
            },
            new,
        }
    }

    pub fn report(diagnostics: Vec<Diagnostic>, errors: Vec<InputError>) -> CheckReport {
        CheckReport {
            mode: Mode::Staged,
            files_checked: 2,
            diagnostics,
            errors,
            show_all: false,
            unchanged_cells: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    #[test]
    fn exit_code_counts_only_new_findings_on_warehouse_cells() {
        let mut old = diagnostic("a.yaml", 3, "RS101", Severity::Info, false);
        let r = report(vec![old.clone()], vec![]);
        assert_eq!(r.exit_code(), 0);
        old.new = true;
        let r = report(vec![old.clone()], vec![]);
        assert_eq!(
            r.exit_code(),
            1,
            "an exact rewrite is still Redshift syntax being added"
        );
        let mut advisory = diagnostic("a.yaml", 5, "RS161", Severity::Warning, true);
        assert!(!advisory.located.finding.applied);
        let r = report(vec![advisory.clone()], vec![]);
        assert_eq!(r.exit_code(), 0, "a warning with no rewrite is advice");
        assert_eq!(r.listed().count(), 1, "advice is still listed");
        advisory.located.finding.applied = true;
        let r = report(vec![advisory], vec![]);
        assert_eq!(
            r.exit_code(),
            1,
            "a caveat rewrite is Redshift syntax being added"
        );
        old.cell_kind = CellKind::Dataframe;
        let r = report(vec![old.clone()], vec![]);
        assert_eq!(r.exit_code(), 0, "dataframe SQL never blocks");
        let err = InputError {
            path: "b.yaml".into(),
            line: Some(4),
            column: None,
            message: "invalid YAML".into(),
        };
        assert_eq!(err.location(), "b.yaml:4");
        let r = report(vec![], vec![err]);
        assert_eq!(r.exit_code(), 2);
    }

    #[test]
    fn listed_hides_preexisting_unless_all() {
        let mut r = report(
            vec![
                diagnostic("a.yaml", 3, "RS101", Severity::Info, false),
                diagnostic("a.yaml", 9, "RS102", Severity::Error, true),
            ],
            vec![],
        );
        assert_eq!(r.listed().count(), 1);
        assert_eq!(r.preexisting_count(), 1);
        r.show_all = true;
        assert_eq!(r.listed().count(), 2);
        assert_eq!(r.files_with_listed(), 1);
    }
}
