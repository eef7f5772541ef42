//! JSON diagnostics: one object, stable shape (documented in README, "Output formats").
//!
//! ```json
//! {
//!   "version": 1,
//!   "tool": {"name": "hex-migrate", "version": "0.1.0"},
//!   "mode": "staged",
//!   "summary": {"files_checked": 2, "new": 1, "preexisting": 3, "blocking": 1,
//!               "errors": 0, "exit_code": 1},
//!   "findings": [{"path": "nb/a.yaml", "line": 12, "column": 16, "end_line": 12,
//!                 "end_column": 25, "code": "RS101", "severity": "info", "message": "…",
//!                 "suggestion": "current_timestamp()", "fixable": true, "new": true,
//!                 "blocking": true, "cell": {"id": "…", "label": "…", "kind": "redshift",
//!                 "sql_line": 1, "sql_column": 8, "sql_line_text": "select getdate()"}}],
//!   "errors": [{"path": "bad.yaml", "line": 4, "column": 1, "message": "invalid YAML: …"}]
//! }
//! ```
//! Fields are only ever added, never renamed or removed, within a `version`.

use serde::Serialize;

use super::diagnostics::{CheckReport, Diagnostic, InputError};
use crate::migrate::CellKind;

/// Version of the shape below; bumped only on an incompatible change.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    from_ref: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to_ref: Option<&'a str>,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files_checked: usize,
    new: usize,
    preexisting: usize,
    unchanged_cells: usize,
    blocking: usize,
    errors: usize,
    exit_code: u8,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    code: &'a str,
    severity: &'static str,
    message: &'a str,
    suggestion: Option<&'a str>,
    /// `hex-migrate fix` applies the suggestion.
    fixable: bool,
    new: bool,
    blocking: bool,
    cell: JsonCell<'a>,
}

#[derive(Serialize)]
struct JsonCell<'a> {
    id: Option<&'a str>,
    label: Option<&'a str>,
    kind: CellKind,
    sql_line: usize,
    sql_column: usize,
    sql_line_text: &'a str,
}

#[derive(Serialize)]
struct JsonError<'a> {
    path: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
}

fn finding(d: &Diagnostic) -> JsonFinding<'_> {
    let l = &d.located;
    JsonFinding {
        path: &d.path,
        line: l.line,
        column: l.column,
        end_line: l.end_line,
        end_column: l.end_column,
        code: l.finding.code,
        severity: l.finding.severity.as_str(),
        message: &l.finding.message,
        suggestion: l.finding.suggestion.as_deref(),
        fixable: l.finding.applied,
        new: d.new,
        blocking: d.blocking(),
        cell: JsonCell {
            id: d.cell_id.as_deref(),
            label: d.cell_label.as_deref(),
            kind: d.cell_kind,
            sql_line: l.sql_line,
            sql_column: l.sql_column,
            sql_line_text: &l.sql_line_text,
        },
    }
}

fn error(e: &InputError) -> JsonError<'_> {
    JsonError {
        path: &e.path,
        line: e.line,
        column: e.column,
        message: &e.message,
    }
}

/// Renders a check report as pretty-printed JSON (with a final newline).
pub fn render(report: &CheckReport) -> String {
    let (from_ref, to_ref) = match &report.mode {
        super::diagnostics::Mode::Refs { from, to } => (Some(from.as_str()), Some(to.as_str())),
        _ => (None, None),
    };
    let out = Output {
        version: FORMAT_VERSION,
        tool: Tool {
            name: "hex-migrate",
            version: env!("CARGO_PKG_VERSION"),
        },
        mode: report.mode.as_str(),
        from_ref,
        to_ref,
        summary: Summary {
            files_checked: report.files_checked,
            new: report.new_count(),
            preexisting: report.preexisting_count(),
            unchanged_cells: report.unchanged_cells,
            blocking: report.blocking_count(),
            errors: report.errors.len(),
            exit_code: report.exit_code(),
        },
        findings: report.listed().map(finding).collect(),
        errors: report.errors.iter().map(error).collect(),
    };
    let mut s = serde_json::to_string_pretty(&out).expect("serialising plain data cannot fail");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::super::diagnostics::fixtures::*;
    use super::*;
    use crate::sql::Severity;

    #[test]
    fn shape_is_stable() {
        let r = report(
            vec![
                diagnostic("nb/a.yaml", 12, "RS101", Severity::Info, true),
                diagnostic("nb/a.yaml", 40, "RS101", Severity::Info, false),
            ],
            vec![InputError {
                path: "bad.yaml".into(),
                line: Some(4),
                column: Some(1),
                message: "invalid YAML".into(),
            }],
        );
        let v: serde_json::Value = serde_json::from_str(&render(&r)).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["mode"], "staged");
        assert_eq!(v["summary"]["new"], 1);
        assert_eq!(v["summary"]["preexisting"], 1);
        assert_eq!(v["summary"]["blocking"], 1);
        assert_eq!(v["summary"]["exit_code"], 2);
        let f = &v["findings"].as_array().unwrap();
        assert_eq!(f.len(), 1, "pre-existing findings are counted, not listed");
        assert_eq!(f[0]["code"], "RS101");
        assert_eq!(f[0]["line"], 12);
        assert_eq!(f[0]["severity"], "info");
        assert_eq!(f[0]["fixable"], true);
        assert_eq!(f[0]["cell"]["kind"], "redshift");
        assert_eq!(f[0]["cell"]["sql_column"], 8);
        assert_eq!(v["errors"][0]["path"], "bad.yaml");
        assert_eq!(v["errors"][0]["line"], 4);
    }
}
