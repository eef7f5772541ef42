//! The migration pull request's body and the full report committed next to it.
//!
//! GitHub rejects bodies over 65,536 characters with a 422 and no pull request at all, so the
//! body is budgeted (60,000 characters by default): the summary table always fits, per-notebook
//! `<details>` sections are added while they fit, and a visible "… and N more" line says what was
//! left out. The committed report has no budget.

use serde::Serialize;

/// Hidden marker that identifies the bot's pull requests and comments.
pub const MARKER: &str = "<!-- hex-migrate:bulk-migration -->";

/// Default body budget in characters (GitHub's hard limit is 65,536).
pub const BODY_BUDGET: usize = 60_000;

/// Most finding lines listed for one notebook.
const FINDINGS_PER_NOTEBOOK: usize = 50;

/// A finding that needs a person, placed in the notebook file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub line: usize,
    pub code: String,
    pub message: String,
}

/// What the migration did to one notebook.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NotebookSummary {
    /// Repository-relative path.
    pub path: String,
    pub title: Option<String>,
    /// Whether the file's bytes change.
    pub changed: bool,
    pub cells_rewritten: usize,
    /// Findings left for a person (not rewritten).
    pub needs_person: Vec<Note>,
    /// Rewrites applied with a stated caveat.
    pub caveats: usize,
    pub unmapped_tables: Vec<String>,
    /// Why the notebook could not be migrated, when it could not.
    pub error: Option<String>,
}

/// Totals over a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub notebooks_scanned: usize,
    pub notebooks_changed: usize,
    pub cells_rewritten: usize,
    pub findings_needing_person: usize,
    pub unmapped_tables: usize,
    pub errors: usize,
}

impl Counts {
    pub fn of(notebooks: &[NotebookSummary]) -> Counts {
        let mut tables: Vec<&str> = notebooks
            .iter()
            .flat_map(|n| n.unmapped_tables.iter().map(String::as_str))
            .collect();
        tables.sort_unstable();
        tables.dedup();
        Counts {
            notebooks_scanned: notebooks.len(),
            notebooks_changed: notebooks.iter().filter(|n| n.changed).count(),
            cells_rewritten: notebooks.iter().map(|n| n.cells_rewritten).sum(),
            findings_needing_person: notebooks.iter().map(|n| n.needs_person.len()).sum(),
            unmapped_tables: tables.len(),
            errors: notebooks.iter().filter(|n| n.error.is_some()).count(),
        }
    }
}

/// Escapes text for use inside HTML-ish Markdown (`<summary>`, list items).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '|' => out.push_str("&#124;"),
            '`' => out.push('\''),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Whether a notebook deserves a section (something changed or needs attention).
fn noteworthy(n: &NotebookSummary) -> bool {
    n.changed || !n.needs_person.is_empty() || !n.unmapped_tables.is_empty() || n.error.is_some()
}

fn section(n: &NotebookSummary) -> String {
    let mut headline = Vec::new();
    if let Some(error) = &n.error {
        headline.push(format!("could not be migrated: {}", escape(error)));
    }
    if n.cells_rewritten > 0 {
        headline.push(plural(
            n.cells_rewritten,
            "cell rewritten",
            "cells rewritten",
        ));
    }
    if !n.needs_person.is_empty() {
        headline.push(plural(
            n.needs_person.len(),
            "finding needs a person",
            "findings need a person",
        ));
    }
    if !n.unmapped_tables.is_empty() {
        headline.push(plural(
            n.unmapped_tables.len(),
            "unmapped table",
            "unmapped tables",
        ));
    }
    if headline.is_empty() {
        headline.push("changed".to_string());
    }
    let title = n
        .title
        .as_deref()
        .map(|t| format!(" ({})", escape(t)))
        .unwrap_or_default();
    let mut out = format!(
        "<details>\n<summary><code>{}</code>{title}: {}</summary>\n\n",
        escape(&n.path),
        headline.join(", ")
    );
    if n.caveats > 0 {
        out.push_str(&format!(
            "{} applied with a caveat (see the full report).\n\n",
            plural(n.caveats, "rewrite was", "rewrites were")
        ));
    }
    if !n.needs_person.is_empty() {
        out.push_str("Needs a person:\n\n");
        for note in n.needs_person.iter().take(FINDINGS_PER_NOTEBOOK) {
            out.push_str(&format!(
                "- line {}: `{}` {}\n",
                note.line,
                escape(&note.code),
                escape(&note.message)
            ));
        }
        if n.needs_person.len() > FINDINGS_PER_NOTEBOOK {
            out.push_str(&format!(
                "- … and {} more\n",
                n.needs_person.len() - FINDINGS_PER_NOTEBOOK
            ));
        }
        out.push('\n');
    }
    if !n.unmapped_tables.is_empty() {
        let tables: Vec<String> = n
            .unmapped_tables
            .iter()
            .map(|t| format!("`{}`", escape(t)))
            .collect();
        out.push_str(&format!(
            "Unmapped tables (no Databricks name configured): {}\n\n",
            tables.join(", ")
        ));
    }
    out.push_str("</details>\n");
    out
}

/// Renders the body (with `budget`) or the full report (`budget = None`).
pub fn render(
    notebooks: &[NotebookSummary],
    report_path: Option<&str>,
    budget: Option<usize>,
) -> String {
    let counts = Counts::of(notebooks);
    let mut out = String::new();
    if budget.is_some() {
        out.push_str(MARKER);
        out.push('\n');
    }
    out.push_str(
        "This pull request moves Hex notebooks from Amazon Redshift SQL to Databricks SQL. \
         It was made by `hex-migrate pr` and is updated in place on every run; \
         commits pushed to its branch by anyone else stop the bot until they are removed.\n\n",
    );
    out.push_str("| | |\n|---|---:|\n");
    out.push_str(&format!(
        "| Notebooks changed | {} of {} |\n",
        counts.notebooks_changed, counts.notebooks_scanned
    ));
    out.push_str(&format!(
        "| Cells rewritten | {} |\n",
        counts.cells_rewritten
    ));
    out.push_str(&format!(
        "| Findings needing a person | {} |\n",
        counts.findings_needing_person
    ));
    out.push_str(&format!(
        "| Unmapped tables | {} |\n",
        counts.unmapped_tables
    ));
    if counts.errors > 0 {
        out.push_str(&format!(
            "| Notebooks that could not be migrated | {} |\n",
            counts.errors
        ));
    }
    out.push('\n');
    if let Some(path) = report_path {
        out.push_str(&format!(
            "The full report is committed on this branch as `{}`.\n\n",
            escape(path)
        ));
    }
    let sections: Vec<String> = notebooks
        .iter()
        .filter(|n| noteworthy(n))
        .map(section)
        .collect();
    // Room kept for the "… and N more" line.
    const NOTE_ROOM: usize = 200;
    let mut shown = 0;
    for s in &sections {
        let fits = match budget {
            None => true,
            Some(limit) => out.chars().count() + s.chars().count() + NOTE_ROOM <= limit,
        };
        if !fits {
            break;
        }
        out.push_str(s);
        shown += 1;
    }
    if shown < sections.len() {
        out.push_str(&format!(
            "\n**… and {} more notebooks not shown here**{}.\n",
            sections.len() - shown,
            if report_path.is_some() {
                " (all of them are in the full report)"
            } else {
                " (run `hex-migrate report` or pass `--report-path` for the full list)"
            }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notebook(i: usize, findings: usize) -> NotebookSummary {
        NotebookSummary {
            path: format!("projects/nb{i:04}.hex.yaml"),
            title: Some(format!("Notebook <{i}>")),
            changed: true,
            cells_rewritten: 2,
            needs_person: (0..findings)
                .map(|j| Note {
                    line: j + 1,
                    code: "RS101".into(),
                    message: format!("DATEDIFF counts boundaries | case {j}"),
                })
                .collect(),
            caveats: 1,
            unmapped_tables: vec!["sales.orders".into()],
            error: None,
        }
    }

    #[test]
    fn small_body_has_marker_table_and_sections() {
        let body = render(
            &[notebook(1, 1), notebook(2, 0)],
            Some("MIGRATION.md"),
            Some(BODY_BUDGET),
        );
        assert!(body.starts_with(MARKER));
        assert!(body.contains("| Notebooks changed | 2 of 2 |"));
        assert!(body.contains("| Cells rewritten | 4 |"));
        assert!(body.contains("| Findings needing a person | 1 |"));
        assert!(body.contains("| Unmapped tables | 1 |"));
        assert!(
            body.contains("<summary><code>projects/nb0001.hex.yaml</code> (Notebook &lt;1&gt;)")
        );
        assert!(body.contains("- line 1: `RS101` DATEDIFF counts boundaries &#124; case 0"));
        assert!(!body.contains("more notebooks"));
        assert_eq!(body.matches("<details>").count(), 2);
    }

    #[test]
    fn large_body_is_cut_under_budget_with_a_visible_note() {
        let notebooks: Vec<_> = (0..2000).map(|i| notebook(i, 3)).collect();
        let body = render(&notebooks, None, Some(BODY_BUDGET));
        assert!(
            body.chars().count() <= BODY_BUDGET,
            "{}",
            body.chars().count()
        );
        let shown = body.matches("<details>").count();
        assert!(shown > 10 && shown < 2000);
        assert!(body.contains(&format!(
            "… and {} more notebooks not shown here",
            2000 - shown
        )));
        // Every opened section is closed (no section is cut in half).
        assert_eq!(shown, body.matches("</details>").count());
        let full = render(&notebooks, None, None);
        assert_eq!(full.matches("<details>").count(), 2000);
        assert!(!full.contains(MARKER));
    }

    #[test]
    fn many_findings_in_one_notebook_are_capped() {
        let body = render(&[notebook(1, 120)], None, Some(BODY_BUDGET));
        assert_eq!(body.matches("- line ").count(), FINDINGS_PER_NOTEBOOK);
        assert!(body.contains("- … and 70 more"));
    }

    #[test]
    fn unchanged_clean_notebooks_get_no_section() {
        let mut clean = notebook(3, 0);
        clean.changed = false;
        clean.cells_rewritten = 0;
        clean.unmapped_tables.clear();
        let body = render(&[clean], None, Some(BODY_BUDGET));
        assert!(!body.contains("<details>"));
        assert!(body.contains("| Notebooks changed | 0 of 1 |"));
    }
}
