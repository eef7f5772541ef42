//! Human diagnostics: `path:line:col: CODE message`, the SQL line with a caret under the
//! finding, the Databricks form, then a summary. Lines and columns are the YAML file's.

use std::fmt::Write as _;

use super::diagnostics::{CheckReport, Diagnostic, InputError};
use crate::migrate::CellKind;
use crate::sql::Severity;

/// Renders a check report for a terminal or a hook's output.
pub fn render(report: &CheckReport) -> String {
    let mut out = String::new();
    for error in &report.errors {
        render_error(&mut out, error);
    }
    for d in report.listed() {
        render_diagnostic(&mut out, d);
    }
    render_summary(&mut out, report);
    out
}

fn render_error(out: &mut String, e: &InputError) {
    let _ = writeln!(out, "{}: error: {}", e.location(), e.message);
}

fn render_diagnostic(out: &mut String, d: &Diagnostic) {
    let l = &d.located;
    let f = &l.finding;
    let _ = write!(
        out,
        "{}:{}:{}: {} {}",
        d.path, l.line, l.column, f.code, f.message
    );
    if !d.new {
        out.push_str(" (already there before this change)");
    }
    out.push('\n');

    // The SQL line with a caret: the gutter shows the YAML line number, the text is the SQL as
    // written in the cell (without the YAML indentation).
    let gutter = l.line.to_string();
    let pad = " ".repeat(gutter.len());
    let text = l.sql_line_text.trim_end();
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{gutter} | {text}");
    let start = l.sql_column.max(1) - 1;
    let line_chars = text.chars().count();
    let width = if l.end_line == l.line && l.end_column > l.column {
        l.end_column - l.column
    } else {
        line_chars.saturating_sub(start)
    }
    .clamp(1, line_chars.saturating_sub(start).max(1));
    // Keep tabs as tabs so the caret lines up with the text above it.
    let lead: String = text
        .chars()
        .take(start)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let _ = writeln!(out, "{pad} | {lead}{}", "^".repeat(width));

    match (&f.suggestion, f.applied) {
        (Some(s), true) if f.severity == Severity::Info => {
            let _ = writeln!(
                out,
                "{pad} = fix: `hex-migrate fix` rewrites this exactly to: {}",
                indent_continuation(s, &pad)
            );
        }
        (Some(s), true) => {
            let _ = writeln!(
                out,
                "{pad} = fix: `hex-migrate fix` rewrites this (mind the caveat) to: {}",
                indent_continuation(s, &pad)
            );
        }
        (Some(s), false) => {
            let _ = writeln!(
                out,
                "{pad} = Databricks: {} (not rewritten automatically: check it and edit by hand)",
                indent_continuation(s, &pad)
            );
        }
        (None, _) => {
            let _ = writeln!(
                out,
                "{pad} = no automatic rewrite: this needs a person (or a `-- hex-migrate: ignore[{}]` comment)",
                f.code
            );
        }
    }
    let cell = match (&d.cell_label, &d.cell_id) {
        (Some(label), Some(id)) => format!("cell \"{label}\" ({id})"),
        (None, Some(id)) => format!("cell {id}"),
        (Some(label), None) => format!("cell \"{label}\""),
        (None, None) => "cell".to_string(),
    };
    let connection = match d.cell_kind {
        CellKind::Redshift => "Redshift connection",
        CellKind::Databricks => "Databricks connection",
        CellKind::Dataframe => "dataframe SQL",
        CellKind::Other => "other warehouse",
    };
    let _ = writeln!(out, "{pad} = {cell}, {connection}, {}", f.severity.as_str());
    out.push('\n');
}

fn indent_continuation(s: &str, pad: &str) -> String {
    s.trim_end().replace('\n', &format!("\n{pad}   "))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn render_summary(out: &mut String, r: &CheckReport) {
    let new = r.new_count();
    let listed = r.listed().count();
    let (scope, one, many) = match r.mode {
        super::diagnostics::Mode::Paths => ("", "finding", "findings"),
        _ => (" new", "new finding", "new findings"),
    };
    if new == 0 {
        let _ = writeln!(
            out,
            "hex-migrate: no{scope} Redshift SQL found in {} checked.",
            plural(r.files_checked, "notebook", "notebooks")
        );
    } else {
        let mut parts = Vec::new();
        for (sev, one, many) in [
            (Severity::Error, "error", "errors"),
            (Severity::Warning, "warning", "warnings"),
            (Severity::Info, "exact rewrite", "exact rewrites"),
        ] {
            let n = r.new_with_severity(sev);
            if n > 0 {
                parts.push(plural(n, one, many));
            }
        }
        let _ = writeln!(
            out,
            "hex-migrate: found {} ({}) in {}.",
            plural(new, one, many),
            parts.join(", "),
            plural(r.files_with_listed().max(1), "notebook", "notebooks"),
        );
    }
    let pre = r.preexisting_count();
    let unchanged = r.unchanged_cells;
    if !r.show_all {
        let pre_part = format!(
            "{} already there before this change",
            plural(pre, "finding was", "findings were")
        );
        let unchanged_part = format!(
            "{} this change does not touch {} not re-checked",
            plural(unchanged, "SQL cell", "SQL cells"),
            if unchanged == 1 { "was" } else { "were" }
        );
        let line = match (pre > 0, unchanged > 0) {
            (true, false) => Some(format!("{pre_part} (not listed; --all lists them)")),
            (false, true) => Some(format!("{unchanged_part} (--all checks them too)")),
            (true, true) => Some(format!(
                "{pre_part} (not listed), and {unchanged_part} (--all checks and lists \
                 everything)"
            )),
            (false, false) => None,
        };
        if let Some(line) = line {
            let _ = writeln!(out, "hex-migrate: {line}.");
        }
    }
    if r.blocking_count() > 0 {
        let _ = writeln!(
            out,
            "hex-migrate: run `hex-migrate fix <path>` to rewrite what can be rewritten; \
             suppress a deliberate use with `-- hex-migrate: ignore[CODE]`."
        );
    } else if listed > 0 && new > 0 {
        let _ = writeln!(
            out,
            "hex-migrate: none of these blocks (advice on SQL that runs on Databricks as \
             written, or dataframe and other-warehouse cells)."
        );
    }
    if !r.errors.is_empty() {
        let mut paths: Vec<&str> = r.errors.iter().map(|e| e.path.as_str()).collect();
        paths.sort_unstable();
        paths.dedup();
        let _ = writeln!(
            out,
            "hex-migrate: {} could not be fully checked (see the errors above).",
            plural(paths.len(), "file", "files")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::diagnostics::fixtures::*;
    use super::*;

    #[test]
    fn renders_location_caret_fix_and_summary() {
        let r = report(
            vec![
                diagnostic("nb/a.yaml", 12, "RS101", Severity::Info, true),
                diagnostic("nb/a.yaml", 30, "RS101", Severity::Info, false),
            ],
            vec![],
        );
        let out = render(&r);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "nb/a.yaml:12:16: RS101 GETDATE() is Redshift-only"
        );
        assert_eq!(lines[1], "   |");
        assert_eq!(lines[2], "12 | select getdate() as now");
        assert_eq!(lines[3], "   |        ^^^^^^^^^");
        assert!(
            lines[4].contains("rewrites this exactly to: current_timestamp()"),
            "{out}"
        );
        assert!(
            out.contains("found 1 new finding (1 exact rewrite) in 1 notebook"),
            "{out}"
        );
        assert!(out.contains("1 finding was already there"), "{out}");
        assert!(
            !out.contains("nb/a.yaml:30:"),
            "pre-existing findings are not listed: {out}"
        );
    }

    #[test]
    fn summary_counts_cells_left_out_with_or_without_pre_existing_findings() {
        let old = || diagnostic("nb/a.yaml", 30, "RS101", Severity::Info, false);
        let mut r = report(vec![old()], vec![]);
        r.unchanged_cells = 3;
        assert!(
            render(&r).contains(
                "hex-migrate: 1 finding was already there before this change (not listed), and \
                 3 SQL cells this change does not touch were not re-checked (--all checks and \
                 lists everything)."
            ),
            "{}",
            render(&r)
        );
        let mut r = report(vec![], vec![]);
        r.unchanged_cells = 1;
        assert!(
            render(&r).contains(
                "hex-migrate: 1 SQL cell this change does not touch was not re-checked (--all \
                 checks them too)."
            ),
            "{}",
            render(&r)
        );
        r.unchanged_cells = 0;
        assert!(!render(&r).contains("re-checked"), "{}", render(&r));
    }

    #[test]
    fn renders_input_errors_with_location() {
        let r = report(
            vec![],
            vec![InputError {
                path: "bad.yaml".into(),
                line: Some(7),
                column: Some(3),
                message: "invalid YAML: mapping values are not allowed here".into(),
            }],
        );
        let out = render(&r);
        assert!(
            out.starts_with("bad.yaml:7:3: error: invalid YAML"),
            "{out}"
        );
        assert!(out.contains("1 file could not be fully checked"), "{out}");
    }
}
