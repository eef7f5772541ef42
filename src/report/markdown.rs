//! Migration report as Markdown: the full report (`report --format markdown`) and a summary that
//! fits a character budget (pull-request bodies and job summaries have size limits).

use std::fmt::Write as _;

use crate::migrate::{CellResult, MigrationRun, NotebookResult};

/// The full report: totals, what needs a person, unmapped tables, connections swapped, then each
/// notebook with a before/after diff for every changed cell.
pub fn render(run: &MigrationRun) -> String {
    let mut out = String::new();
    for line in head(run) {
        out.push_str(&line);
        out.push('\n');
    }
    for nb in &run.notebooks {
        notebook_section(&mut out, nb);
    }
    out
}

/// A summary of at most `max_chars` characters: totals first, then as many of the lines that
/// need a person, unmapped tables and notebooks as fit, with a count of what was left out.
pub fn render_summary(run: &MigrationRun, max_chars: usize) -> String {
    let lines = head(run);
    let mut out = String::new();
    let mut used = 0usize;
    for (i, line) in lines.iter().enumerate() {
        let len = line.chars().count() + 1;
        let left = lines.len() - i;
        let note = format!("\n_… {left} more lines left out; see the full report._\n");
        // Keep room for the note unless this is the last line.
        let reserve = if i + 1 < lines.len() {
            note.chars().count()
        } else {
            0
        };
        if used + len + reserve > max_chars {
            if used + note.chars().count() <= max_chars {
                out.push_str(&note);
            }
            return out;
        }
        out.push_str(line);
        out.push('\n');
        used += len;
    }
    out
}

/// The report's opening sections, one entry per line.
fn head(run: &MigrationRun) -> Vec<String> {
    let t = run.totals();
    let mut l = vec![
        "# Hex migration report".to_string(),
        String::new(),
        format!(
            "{} notebooks ({} changed), {} SQL cells: {} changed, {} need a person. \
             {} rewrites applied, {} unmapped tables, {} connections swapped{}.",
            t.notebooks,
            t.notebooks_changed,
            t.sql_cells,
            t.cells_changed,
            t.cells_needing_review,
            t.rewrites_applied,
            t.unmapped_tables,
            t.connections_swapped,
            if t.files_failed > 0 {
                format!(", **{} files could not be read**", t.files_failed)
            } else {
                String::new()
            }
        ),
        String::new(),
        "| cells | count |".to_string(),
        "|---|---:|".to_string(),
        format!("| Redshift (translated) | {} |", t.redshift_cells),
        format!("| Databricks (checked) | {} |", t.databricks_cells),
        format!("| dataframe SQL (skipped) | {} |", t.dataframe_cells),
        format!("| other warehouses (skipped) | {} |", t.other_cells),
        String::new(),
    ];
    if !run.failed.is_empty() {
        l.push(format!(
            "## Files that could not be read ({})",
            run.failed.len()
        ));
        l.push(String::new());
        for (path, err) in &run.failed {
            l.push(format!("- `{}`: {}", path.display(), one_line(err)));
        }
        l.push(String::new());
    }
    let review: Vec<String> = run
        .notebooks
        .iter()
        .flat_map(|nb| {
            nb.cells.iter().flat_map(move |c| {
                c.needs_review().map(move |f| {
                    format!(
                        "- `{}:{}:{}` {} **{}** {}",
                        nb.path.display(),
                        f.line,
                        f.column,
                        cell_name(c),
                        f.finding.code,
                        one_line(&f.finding.message)
                    )
                })
            })
        })
        .collect();
    if !review.is_empty() {
        l.push(format!("## Needs a person ({})", review.len()));
        l.push(String::new());
        l.extend(review);
        l.push(String::new());
    }
    let unmapped = run.unmapped_tables();
    if !unmapped.is_empty() {
        l.push(format!("## Unmapped tables ({})", unmapped.len()));
        l.push(String::new());
        l.push("| table | used in | mapping rows to choose from |".to_string());
        l.push("|---|---|---|".to_string());
        for (table, uses) in unmapped {
            let places: Vec<String> = uses
                .iter()
                .map(|(p, c)| format!("`{}` {}", p.display(), cell_name(c)))
                .collect();
            let choices: Vec<String> = run
                .candidates
                .get(&table)
                .into_iter()
                .flatten()
                .map(|(t, f, line)| format!("`{t}` ({}:{line})", f.display()))
                .collect();
            l.push(format!(
                "| `{table}` | {} | {} |",
                places.join(", "),
                choices.join(", ")
            ));
        }
        l.push(String::new());
    }
    let swapped: Vec<String> = run
        .notebooks
        .iter()
        .flat_map(|nb| {
            nb.connections_swapped
                .iter()
                .map(move |(a, b)| format!("- `{}`: `{a}` → `{b}`", nb.path.display()))
        })
        .collect();
    if !swapped.is_empty() {
        l.push(format!("## Connections swapped ({})", swapped.len()));
        l.push(String::new());
        l.extend(swapped);
        l.push(String::new());
    }
    l.push("## Notebooks".to_string());
    l.push(String::new());
    l.push("| notebook | SQL cells | changed | need a person | rules applied |".to_string());
    l.push("|---|---:|---:|---:|---|".to_string());
    for nb in &run.notebooks {
        let changed = nb.cells.iter().filter(|c| c.changed()).count();
        let review = nb
            .cells
            .iter()
            .filter(|c| c.needs_review().next().is_some())
            .count();
        l.push(format!(
            "| `{}` | {} | {changed} | {review} | {} |",
            nb.path.display(),
            nb.cells.len(),
            codes(nb.cells.iter()).join(", ")
        ));
    }
    l.push(String::new());
    l
}

fn notebook_section(out: &mut String, nb: &NotebookResult) {
    let _ = writeln!(
        out,
        "### `{}`{}\n",
        nb.path.display(),
        nb.title
            .as_deref()
            .map(|t| format!(" ({})", one_line(t)))
            .unwrap_or_default()
    );
    let mut any = false;
    for c in &nb.cells {
        if !c.changed() && c.findings.is_empty() && c.unmapped_tables.is_empty() {
            continue;
        }
        any = true;
        let _ = writeln!(
            out,
            "<details><summary>{} (line {}, {}){}</summary>\n",
            html_text(&cell_name(c)),
            c.line,
            c.kind.as_str(),
            match codes(std::iter::once(c)).join(", ") {
                s if s.is_empty() => String::new(),
                s => format!(": {s}"),
            }
        );
        for f in &c.findings {
            let _ = writeln!(
                out,
                "- line {}: {} {} {}{}",
                f.line,
                f.finding.severity.as_str(),
                f.finding.code,
                one_line(&f.finding.message),
                if f.finding.applied { " (applied)" } else { "" }
            );
        }
        for t in &c.unmapped_tables {
            let _ = writeln!(out, "- unmapped table `{t}`");
        }
        if c.changed() {
            let _ = writeln!(out, "\n{}", diff_block(&c.original, &c.translated));
        }
        let _ = writeln!(out, "</details>\n");
    }
    if !any {
        let _ = writeln!(out, "Nothing to change.\n");
    }
}

/// A fenced `diff` block of the cell's SQL (fence longer than any backtick run inside).
fn diff_block(before: &str, after: &str) -> String {
    let diff = similar::TextDiff::from_lines(before, after);
    let mut body = String::new();
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Delete => '-',
            similar::ChangeTag::Insert => '+',
            similar::ChangeTag::Equal => ' ',
        };
        body.push(sign);
        body.push_str(change.value().trim_end_matches('\n'));
        body.push('\n');
    }
    let fence = "`".repeat(longest_backtick_run(&body).max(2) + 1);
    format!("{fence}diff\n{body}{fence}")
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// Rule codes of applied rewrites, sorted and unique.
fn codes<'a>(cells: impl Iterator<Item = &'a CellResult>) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = cells
        .flat_map(|c| c.findings.iter())
        .filter(|f| f.finding.applied)
        .map(|f| f.finding.code)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// How a cell is named in reports: its label, else its id, else its position.
pub fn cell_name(c: &CellResult) -> String {
    match (&c.label, &c.id) {
        (Some(l), _) if !l.trim().is_empty() => format!("“{}”", one_line(l)),
        (_, Some(id)) => format!("cell {id}"),
        _ => format!("SQL cell #{}", c.index + 1),
    }
}

/// Text safe on one Markdown line (and inside a table cell).
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ").replace('|', "\\|")
}

fn html_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::migrate::{CellKind, Located};
    use crate::sql::{Finding, Severity};
    use std::path::PathBuf;

    pub(crate) fn sample_run() -> MigrationRun {
        let finding = |code, applied, severity| Located {
            finding: Finding {
                code,
                severity,
                message: "message | with pipe".into(),
                span: 0..6,
                suggestion: None,
                applied,
            },
            line: 40,
            column: 7,
            end_line: 40,
            end_column: 13,
            sql_line_text: "select getdate()".into(),
            sql_line: 1,
            sql_column: 1,
        };
        MigrationRun {
            notebooks: vec![NotebookResult {
                path: PathBuf::from("nb/a.yaml"),
                title: Some("A".into()),
                cells: vec![
                    CellResult {
                        index: 0,
                        id: Some("c1".into()),
                        label: Some("Revenue".into()),
                        kind: CellKind::Redshift,
                        line: 39,
                        original: "select getdate()\nfrom prod.t\n".into(),
                        translated: "select current_timestamp()\nfrom main.prod.t\n".into(),
                        findings: vec![
                            finding("RS101", true, Severity::Info),
                            finding("RS102", false, Severity::Error),
                        ],
                        unmapped_tables: vec!["prod.missing".into()],
                    },
                    CellResult {
                        index: 1,
                        id: Some("c2".into()),
                        label: None,
                        kind: CellKind::Dataframe,
                        line: 60,
                        original: "select * from df".into(),
                        translated: "select * from df".into(),
                        findings: vec![],
                        unmapped_tables: vec![],
                    },
                ],
                connections_swapped: vec![("old".into(), "new".into())],
                output: String::new(),
            }],
            failed: vec![(
                PathBuf::from("bad.yaml"),
                "bad.yaml:3:1: invalid YAML".into(),
            )],
            candidates: [(
                "prod.missing".to_string(),
                vec![
                    ("main.a.missing".to_string(), PathBuf::from("t.csv"), 2),
                    ("main.b.missing".to_string(), PathBuf::from("t.csv"), 3),
                ],
            )]
            .into(),
        }
    }

    #[test]
    fn full_report_lists_everything() {
        let md = render(&sample_run());
        assert!(md.contains("1 notebooks (1 changed), 2 SQL cells: 1 changed, 1 need a person"));
        assert!(md.contains(
            "## Needs a person (1)\n\n- `nb/a.yaml:40:7` “Revenue” **RS102** message \\| with pipe"
        ));
        assert!(md.contains(
            "| `prod.missing` | `nb/a.yaml` “Revenue” | `main.a.missing` (t.csv:2), `main.b.missing` (t.csv:3) |"
        ));
        assert!(md.contains("- `nb/a.yaml`: `old` → `new`"));
        for line in [
            "-select getdate()\n",
            "+select current_timestamp()\n",
            "-from prod.t\n",
            "+from main.prod.t\n",
        ] {
            assert!(md.contains(line), "{line}");
        }
        assert!(md.contains("`bad.yaml`: bad.yaml:3:1: invalid YAML"));
        // The dataframe cell is neither diffed nor listed.
        assert!(!md.contains("cell c2"));
    }

    #[test]
    fn summary_respects_the_budget() {
        let run = sample_run();
        let full = render_summary(&run, usize::MAX);
        for max in [0, 10, 100, 300, 600, full.chars().count()] {
            let s = render_summary(&run, max);
            assert!(s.chars().count() <= max, "{max}: {}", s.chars().count());
        }
        let short = render_summary(&run, 300);
        assert!(short.starts_with("# Hex migration report"));
        assert!(short.contains("more lines left out"));
        assert!(!full.contains("left out"));
    }

    #[test]
    fn fences_outgrow_backticks_in_sql() {
        let block = diff_block("select ```x```\n", "select 1\n");
        assert!(block.starts_with("````diff\n"), "{block}");
        assert!(block.ends_with("\n````"));
    }
}
