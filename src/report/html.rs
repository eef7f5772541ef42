//! Migration report as one self-contained HTML file (`report --format html`): totals, what needs
//! a person, unmapped tables, connections swapped, and per notebook a side-by-side diff of every
//! changed cell (changed words marked). No scripts, fonts or images are loaded from anywhere.

use std::fmt::Write as _;

use similar::{ChangeTag, DiffOp, TextDiff};

use crate::migrate::{CellResult, Located, MigrationRun, NotebookResult};
use crate::report::markdown::cell_name;

const STYLE: &str = r#"
:root { --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --del:#ffebe9; --del-strong:#ffcecb;
  --ins:#dafbe1; --ins-strong:#aceebb; --warn:#9a6700; --err:#d1242f; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  margin: 0 auto; padding: 24px 32px 64px; max-width: 1400px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 32px 0 8px;
  border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 17px; margin: 24px 0 8px; }
.muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 150px; background: var(--bg); }
.card b { display: block; font-size: 24px; }
table.list { border-collapse: collapse; width: 100%; margin: 8px 0; }
table.list th, table.list td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
table.list th { background: var(--bg); }
code { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
details.cell { border: 1px solid var(--line); border-radius: 8px; margin: 12px 0; }
details.cell > summary { cursor: pointer; padding: 8px 12px; background: var(--bg); border-radius: 8px; }
details.cell[open] > summary { border-bottom: 1px solid var(--line); border-radius: 8px 8px 0 0; }
.tag { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 10px; border: 1px solid var(--line); margin-left: 4px; }
.tag.review { color: var(--err); border-color: var(--err); }
ul.findings { margin: 8px 12px; padding-left: 20px; }
.sev-error { color: var(--err); font-weight: 600; } .sev-warning { color: var(--warn); font-weight: 600; }
.sev-info { color: var(--muted); font-weight: 600; }
table.diff { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.diff col.num { width: 3.5em; } table.diff col.code { width: calc(50% - 3.5em); }
table.diff th { background: var(--bg); font-weight: 600; text-align: left; padding: 4px 8px; border-top: 1px solid var(--line); }
table.diff td { padding: 0 8px; vertical-align: top; }
table.diff td.num { color: var(--muted); text-align: right; user-select: none; border-right: 1px solid var(--line); }
table.diff td.code { white-space: pre-wrap; overflow-wrap: anywhere; }
td.del { background: var(--del); } td.ins { background: var(--ins); }
td.del mark { background: var(--del-strong); } td.ins mark { background: var(--ins-strong); }
mark { color: inherit; border-radius: 2px; }
td.empty { background: #fafbfc; }
pre.sql { margin: 0; padding: 8px 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
"#;

/// Renders the whole report as one HTML document.
pub fn render(run: &MigrationRun) -> String {
    let t = run.totals();
    let mut o = String::with_capacity(64 * 1024);
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    o.push_str("<title>Hex migration report</title>\n<style>");
    o.push_str(STYLE);
    o.push_str("</style>\n</head>\n<body>\n<h1>Hex migration report</h1>\n");
    let _ = writeln!(
        o,
        "<p class=\"muted\">Redshift SQL → Databricks SQL, by {} {}.</p>",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION")
    );
    o.push_str("<div class=\"cards\" id=\"totals\">\n");
    for (label, n) in [
        ("notebooks", t.notebooks),
        ("notebooks changed", t.notebooks_changed),
        ("SQL cells", t.sql_cells),
        ("cells changed", t.cells_changed),
        ("cells needing a person", t.cells_needing_review),
        ("rewrites applied", t.rewrites_applied),
        ("unmapped tables", t.unmapped_tables),
        ("connections swapped", t.connections_swapped),
        ("files not read", t.files_failed),
    ] {
        let _ = writeln!(o, "<div class=\"card\"><b>{n}</b>{label}</div>");
    }
    o.push_str("</div>\n");
    let _ = writeln!(
        o,
        "<p class=\"muted\">Cells by connection: {} Redshift (translated), {} Databricks \
         (checked), {} dataframe SQL and {} other warehouses (skipped).</p>",
        t.redshift_cells, t.databricks_cells, t.dataframe_cells, t.other_cells
    );

    if !run.failed.is_empty() {
        o.push_str("<h2 id=\"errors\">Files that could not be read</h2>\n<ul>\n");
        for (p, m) in &run.failed {
            let _ = writeln!(
                o,
                "<li><code>{}</code>: {}</li>",
                esc(&p.display().to_string()),
                esc(m)
            );
        }
        o.push_str("</ul>\n");
    }

    let review: Vec<(&NotebookResult, &CellResult, &Located)> = run
        .notebooks
        .iter()
        .flat_map(|nb| {
            nb.cells
                .iter()
                .flat_map(move |c| c.needs_review().map(move |f| (nb, c, f)))
        })
        .collect();
    if !review.is_empty() {
        let _ = writeln!(
            o,
            "<h2 id=\"review\">Needs a person ({})</h2>\n<table class=\"list\">\n\
             <tr><th>where</th><th>cell</th><th>rule</th><th>what</th></tr>",
            review.len()
        );
        for (nb, c, f) in review {
            let _ = writeln!(
                o,
                "<tr><td><code>{}:{}:{}</code></td><td>{}</td><td><span class=\"sev-{}\">{}</span></td>\
                 <td>{}</td></tr>",
                esc(&nb.path.display().to_string()),
                f.line,
                f.column,
                esc(&cell_name(c)),
                f.finding.severity.as_str(),
                f.finding.code,
                esc(&f.finding.message)
            );
        }
        o.push_str("</table>\n");
    }

    let unmapped = run.unmapped_tables();
    if !unmapped.is_empty() {
        let _ = writeln!(
            o,
            "<h2 id=\"unmapped\">Unmapped tables ({})</h2>\n<table class=\"list\">\n\
             <tr><th>table</th><th>used in</th><th>mapping rows to choose from</th></tr>",
            unmapped.len()
        );
        for (table, uses) in unmapped {
            let places: Vec<String> = uses
                .iter()
                .map(|(p, c)| {
                    format!(
                        "<code>{}</code> {} (line {})",
                        esc(&p.display().to_string()),
                        esc(&cell_name(c)),
                        c.line
                    )
                })
                .collect();
            let choices: Vec<String> = run
                .candidates
                .get(&table)
                .into_iter()
                .flatten()
                .map(|(t, f, line)| {
                    format!(
                        "<code>{}</code> <span class=\"muted\">{}:{line}</span>",
                        esc(t),
                        esc(&f.display().to_string())
                    )
                })
                .collect();
            let _ = writeln!(
                o,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                esc(&table),
                places.join("<br>"),
                choices.join("<br>")
            );
        }
        o.push_str("</table>\n");
    }

    let swaps: Vec<(&NotebookResult, &(String, String))> = run
        .notebooks
        .iter()
        .flat_map(|nb| nb.connections_swapped.iter().map(move |s| (nb, s)))
        .collect();
    if !swaps.is_empty() {
        o.push_str("<h2 id=\"connections\">Connections swapped</h2>\n<table class=\"list\">\n");
        o.push_str("<tr><th>notebook</th><th>Redshift connection</th><th>Databricks connection</th></tr>\n");
        for (nb, (a, b)) in swaps {
            let _ = writeln!(
                o,
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td></tr>",
                esc(&nb.path.display().to_string()),
                esc(a),
                esc(b)
            );
        }
        o.push_str("</table>\n");
    }

    o.push_str("<h2 id=\"notebooks\">Notebooks</h2>\n");
    for nb in &run.notebooks {
        notebook(&mut o, nb);
    }
    o.push_str("</body>\n</html>\n");
    o
}

fn notebook(o: &mut String, nb: &NotebookResult) {
    let changed = nb.cells.iter().filter(|c| c.changed()).count();
    let _ = writeln!(
        o,
        "<section class=\"notebook\">\n<h3><code>{}</code>{}</h3>\n<p class=\"muted\">{} SQL cells, \
         {changed} changed.</p>",
        esc(&nb.path.display().to_string()),
        nb.title
            .as_deref()
            .map(|t| format!(" <span class=\"muted\">{}</span>", esc(t)))
            .unwrap_or_default(),
        nb.cells.len()
    );
    for c in &nb.cells {
        if !c.changed() && c.findings.is_empty() && c.unmapped_tables.is_empty() {
            continue;
        }
        let review = c.needs_review().next().is_some();
        let mut codes: Vec<&str> = c.findings.iter().map(|f| f.finding.code).collect();
        codes.sort_unstable();
        codes.dedup();
        let _ = writeln!(
            o,
            "<details class=\"cell\" open>\n<summary><b>{}</b> <span class=\"muted\">line {}, {}</span>{}{}</summary>",
            esc(&cell_name(c)),
            c.line,
            c.kind.as_str(),
            codes
                .iter()
                .map(|c| format!("<span class=\"tag\">{c}</span>"))
                .collect::<String>(),
            if review {
                "<span class=\"tag review\">needs a person</span>"
            } else {
                ""
            }
        );
        if !c.findings.is_empty() || !c.unmapped_tables.is_empty() {
            o.push_str("<ul class=\"findings\">\n");
            for f in &c.findings {
                let _ = writeln!(
                    o,
                    "<li><span class=\"sev-{}\">{} {}</span> line {}: {}{}</li>",
                    f.finding.severity.as_str(),
                    f.finding.severity.as_str(),
                    f.finding.code,
                    f.line,
                    esc(&f.finding.message),
                    if f.finding.applied {
                        " <span class=\"muted\">(applied)</span>"
                    } else {
                        ""
                    }
                );
            }
            for t in &c.unmapped_tables {
                let _ = writeln!(o, "<li>unmapped table <code>{}</code></li>", esc(t));
            }
            o.push_str("</ul>\n");
        }
        if c.changed() {
            side_by_side(o, &c.original, &c.translated);
        } else {
            let _ = writeln!(
                o,
                "<pre class=\"sql\"><code>{}</code></pre>",
                esc(&c.original)
            );
        }
        o.push_str("</details>\n");
    }
    o.push_str("</section>\n");
}

/// A two-column diff table: Redshift on the left, Databricks on the right, changed lines
/// coloured and changed words marked.
fn side_by_side(o: &mut String, before: &str, after: &str) {
    o.push_str(
        "<table class=\"diff\"><colgroup><col class=\"num\"><col class=\"code\"><col class=\"num\">\
         <col class=\"code\"></colgroup>\n<tr><th colspan=\"2\">Redshift (before)</th>\
         <th colspan=\"2\">Databricks (after)</th></tr>\n",
    );
    let diff = TextDiff::from_lines(before, after);
    // The same tokens the line diff indexes into: lines with their line breaks.
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    for op in diff.ops() {
        match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    row(
                        o,
                        Some((old_index + k, esc(strip_nl(old[old_index + k])))),
                        Some((new_index + k, esc(strip_nl(new[new_index + k])))),
                        "",
                    );
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for (k, line) in old.iter().enumerate().skip(old_index).take(old_len) {
                    row(o, Some((k, esc(strip_nl(line)))), None, "del");
                }
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for (k, line) in new.iter().enumerate().skip(new_index).take(new_len) {
                    row(o, None, Some((k, esc(strip_nl(line)))), "ins");
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                for k in 0..old_len.max(new_len) {
                    let l = (k < old_len).then(|| old_index + k);
                    let r = (k < new_len).then(|| new_index + k);
                    let (lh, rh) = match (l, r) {
                        (Some(l), Some(r)) => words(strip_nl(old[l]), strip_nl(new[r])),
                        (Some(l), None) => (esc(strip_nl(old[l])), String::new()),
                        (None, Some(r)) => (String::new(), esc(strip_nl(new[r]))),
                        (None, None) => unreachable!("k < max(old_len, new_len)"),
                    };
                    row(o, l.map(|l| (l, lh)), r.map(|r| (r, rh)), "replace");
                }
            }
        }
    }
    o.push_str("</table>\n");
}

/// One diff row; `kind` is "", "del", "ins" or "replace".
fn row(o: &mut String, left: Option<(usize, String)>, right: Option<(usize, String)>, kind: &str) {
    o.push_str("<tr>");
    for (side, cls) in [(left, "del"), (right, "ins")] {
        match side {
            Some((n, html)) => {
                let c = if kind.is_empty() { "" } else { cls };
                let _ = write!(
                    o,
                    "<td class=\"num\">{}</td><td class=\"code {c}\">{html}</td>",
                    n + 1
                );
            }
            None => o.push_str("<td class=\"num\"></td><td class=\"code empty\"></td>"),
        }
    }
    o.push_str("</tr>\n");
}

/// Both sides of a changed line, escaped, with the changed words in `<mark>`.
fn words(before: &str, after: &str) -> (String, String) {
    let diff = TextDiff::from_words(before, after);
    let (mut l, mut r) = (String::new(), String::new());
    for change in diff.iter_all_changes() {
        let text = esc(change.value());
        match change.tag() {
            ChangeTag::Equal => {
                l.push_str(&text);
                r.push_str(&text);
            }
            ChangeTag::Delete => {
                let _ = write!(l, "<mark>{text}</mark>");
            }
            ChangeTag::Insert => {
                let _ = write!(r, "<mark>{text}</mark>");
            }
        }
    }
    (l, r)
}

fn strip_nl(s: &str) -> &str {
    s.strip_suffix('\n').unwrap_or(s)
}

/// Escapes text for HTML element content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_is_self_contained_and_escaped() {
        let mut run = crate::report::markdown::tests::sample_run();
        run.notebooks[0].cells[0].original = "select '<b>' from t\nwhere a = 1\n".into();
        run.notebooks[0].cells[0].translated = "select '<b>' from u\nwhere a = 1\n".into();
        let html = render(&run);
        assert!(html.starts_with("<!DOCTYPE html>"));
        for external in ["<script", "src=", "href=\"http", "@import", "url("] {
            assert!(!html.contains(external), "{external}");
        }
        assert!(html.contains("select &#39;&lt;b&gt;&#39; from <mark>t</mark>"));
        assert!(html.contains("select &#39;&lt;b&gt;&#39; from <mark>u</mark>"));
        assert!(html.contains("<span class=\"tag review\">needs a person</span>"));
        assert!(html.contains("<code>prod.missing</code>"));
        assert!(!html.contains("<b>'"));
    }

    #[test]
    fn side_by_side_pairs_lines() {
        let mut o = String::new();
        side_by_side(&mut o, "a\nb\nc\n", "a\nB\nc\nd\n");
        let rows: Vec<&str> = o.lines().filter(|l| l.starts_with("<tr><td")).collect();
        assert_eq!(rows.len(), 4, "{o}");
        assert!(rows[1].contains("<mark>b</mark>") && rows[1].contains("<mark>B</mark>"));
        assert!(rows[3].contains("code empty") && rows[3].contains(">d<"));
    }
}
