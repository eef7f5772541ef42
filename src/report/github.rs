//! GitHub Actions workflow commands (`::error file=…,line=…::message`): annotations on the YAML
//! file's lines.
//!
//! The runner's rules (bot-conventions §3.2): message text escapes `%`, CR and LF; property
//! values also `:` and `,`. `col`/`endColumn` are only valid on a single line with
//! `endColumn >= col` (otherwise the runner drops the whole annotation). At most 10 errors,
//! 10 warnings and 10 notices are shown per step (50 per job); anything past that would be
//! silently dropped, so we stop at the cap ourselves and end with a notice saying how many were
//! left out. Every line we print starts with `::` and a command name we chose, and user text is
//! escaped so it cannot start a line: no user content can be read as a command.

use std::fmt::Write as _;

use super::diagnostics::{CheckReport, Diagnostic};
use crate::sql::Severity;

/// Annotations GitHub shows per level and step.
pub const PER_LEVEL_CAP: usize = 10;
/// Annotations GitHub shows per job (across steps; one check run stays under it by the
/// per-level caps, 3 × 10 < 50).
pub const PER_JOB_CAP: usize = 50;

/// Escapes a message (the text after `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=…`, `title=…`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Level {
    Error,
    Warning,
    Notice,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Notice => "notice",
        }
    }
}

struct Annotation {
    level: Level,
    properties: Vec<(&'static str, String)>,
    message: String,
}

impl Annotation {
    fn write(&self, out: &mut String) {
        let props: Vec<String> = self
            .properties
            .iter()
            .map(|(k, v)| format!("{k}={}", escape_property(v)))
            .collect();
        let _ = writeln!(
            out,
            "::{} {}::{}",
            self.level.as_str(),
            props.join(","),
            escape_data(&self.message)
        );
    }
}

fn finding_annotation(d: &Diagnostic) -> Annotation {
    let l = &d.located;
    let f = &l.finding;
    let level = match f.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Notice,
    };
    let mut properties = vec![
        ("title", format!("hex-migrate {}", f.code)),
        ("file", d.path.clone()),
        ("line", l.line.to_string()),
    ];
    // Located end columns are exclusive; GitHub's endColumn is the last column covered.
    let end_column = l.end_column.saturating_sub(1);
    if l.end_line == l.line && end_column >= l.column && l.column >= 1 {
        properties.push(("col", l.column.to_string()));
        properties.push(("endLine", l.end_line.to_string()));
        properties.push(("endColumn", end_column.to_string()));
    } else if l.end_line > l.line {
        properties.push(("endLine", l.end_line.to_string()));
    }
    // The log line itself shows no location, so repeat it in the message (as ruff does).
    let mut message = format!(
        "{}:{}:{}: {} {}",
        d.path, l.line, l.column, f.code, f.message
    );
    if !d.new {
        message.push_str(" (already there before this change)");
    }
    match (&f.suggestion, f.applied) {
        (Some(s), true) => {
            let _ = write!(message, "\n`hex-migrate fix` rewrites this to: {s}");
        }
        (Some(s), false) => {
            let _ = write!(message, "\nDatabricks: {s} (not rewritten automatically)");
        }
        (None, _) => message.push_str("\nNo automatic rewrite: this needs a person."),
    }
    Annotation {
        level,
        properties,
        message,
    }
}

/// Renders a check report as workflow commands, capped per GitHub's limits.
pub fn render(report: &CheckReport) -> String {
    let mut annotations: Vec<Annotation> = report
        .errors
        .iter()
        .map(|e| {
            let mut properties = vec![
                ("title", "hex-migrate: file not checked".to_string()),
                ("file", e.path.clone()),
            ];
            if let Some(line) = e.line {
                properties.push(("line", line.to_string()));
            }
            Annotation {
                level: Level::Error,
                properties,
                message: format!("{}: {}", e.location(), e.message),
            }
        })
        .collect();
    annotations.extend(report.listed().map(finding_annotation));

    let total = annotations.len();
    let fits = |level: Level, cap: usize| {
        annotations
            .iter()
            .filter(|a| a.level == level)
            .count()
            .min(cap)
    };
    // If anything is left out, one notice slot goes to saying so.
    let overflow = [Level::Error, Level::Warning, Level::Notice]
        .iter()
        .any(|&l| annotations.iter().filter(|a| a.level == l).count() > PER_LEVEL_CAP);
    let notice_cap = if overflow {
        PER_LEVEL_CAP - 1
    } else {
        PER_LEVEL_CAP
    };
    let shown = fits(Level::Error, PER_LEVEL_CAP)
        + fits(Level::Warning, PER_LEVEL_CAP)
        + fits(Level::Notice, notice_cap);
    let omitted = total - shown;

    let mut out = String::new();
    let mut used = [0usize; 3];
    for a in &annotations {
        let (slot, cap) = match a.level {
            Level::Error => (0, PER_LEVEL_CAP),
            Level::Warning => (1, PER_LEVEL_CAP),
            Level::Notice => (2, notice_cap),
        };
        if used[slot] < cap {
            used[slot] += 1;
            a.write(&mut out);
        }
    }
    if omitted > 0 {
        Annotation {
            level: Level::Notice,
            properties: vec![("title", "hex-migrate: more findings".to_string())],
            message: format!(
                "{omitted} more {} not annotated: GitHub shows at most {PER_LEVEL_CAP} errors, \
                 {PER_LEVEL_CAP} warnings and {PER_LEVEL_CAP} notices per step. Run \
                 `hex-migrate check` locally or use `--format sarif` / `--format json` for the \
                 full list.",
                if omitted == 1 {
                    "problem was"
                } else {
                    "problems were"
                }
            ),
        }
        .write(&mut out);
    }
    let _ = writeln!(
        out,
        "hex-migrate: {} new, {} already there before this change, {} unchanged SQL cells not \
         re-checked, {} blocking, {} not checked",
        report.new_count(),
        report.preexisting_count(),
        report.unchanged_cells,
        report.blocking_count(),
        report.errors.len()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::diagnostics::fixtures::*;
    use super::super::diagnostics::InputError;
    use super::*;

    #[test]
    fn escapes_messages_and_properties() {
        assert_eq!(escape_data("50% a\r\nb:c,d"), "50%25 a%0D%0Ab:c,d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn single_line_finding_gets_columns_and_location_in_message() {
        let mut d = diagnostic(
            "nb/Search QPR, WIP.yaml",
            12,
            "RS101",
            Severity::Error,
            true,
        );
        d.located.finding.message = "line1\nline2 100%".into();
        let out = render(&report(vec![d], vec![]));
        let first = out.lines().next().unwrap();
        assert_eq!(
            first,
            "::error title=hex-migrate RS101,file=nb/Search QPR%2C WIP.yaml,line=12,col=16,\
             endLine=12,endColumn=24::nb/Search QPR, WIP.yaml:12:16: RS101 line1%0Aline2 100%25\
             %0ADatabricks: current_timestamp() (not rewritten automatically)"
        );
    }

    #[test]
    fn multi_line_or_inverted_ranges_drop_columns() {
        let mut d = diagnostic("a.yaml", 5, "RS101", Severity::Warning, true);
        d.located.end_line = 7;
        let out = render(&report(vec![d.clone()], vec![]));
        assert!(
            out.starts_with("::warning title=hex-migrate RS101,file=a.yaml,line=5,endLine=7::"),
            "{out}"
        );
        d.located.end_line = 5;
        d.located.end_column = d.located.column; // empty span: endColumn would be < col
        let out = render(&report(vec![d], vec![]));
        assert!(!out.lines().next().unwrap().contains("col="), "{out}");
    }

    #[test]
    fn caps_each_level_and_reports_what_was_left_out() {
        let mut ds = Vec::new();
        for i in 0..13 {
            ds.push(diagnostic("a.yaml", 10 + i, "RS102", Severity::Error, true));
        }
        for i in 0..12 {
            ds.push(diagnostic("b.yaml", 10 + i, "RS101", Severity::Info, true));
        }
        let errors = vec![InputError {
            path: "bad.yaml".into(),
            line: Some(2),
            column: None,
            message: "invalid YAML".into(),
        }];
        let out = render(&report(ds, errors));
        let count = |p: &str| out.lines().filter(|l| l.starts_with(p)).count();
        assert_eq!(count("::error "), 10);
        // 9 findings plus the closing notice.
        assert_eq!(count("::notice "), 10);
        assert!(
            out.lines().next().unwrap().contains("file=bad.yaml,line=2"),
            "input errors come first: {out}"
        );
        // 14 errors + 12 notices = 26 problems; 10 + 9 shown.
        assert!(out.contains("7 more problems were not annotated"), "{out}");
        assert!(count("::") <= PER_JOB_CAP);
    }

    #[test]
    fn under_the_cap_no_overflow_notice() {
        let ds = (0..10)
            .map(|i| diagnostic("a.yaml", i + 1, "RS101", Severity::Info, true))
            .collect();
        let out = render(&report(ds, vec![]));
        assert_eq!(
            out.lines().filter(|l| l.starts_with("::notice ")).count(),
            10
        );
        assert!(!out.contains("not annotated"));
    }
}
