//! Migration report as JSON (`report --format json`), schema version 1.
//!
//! The schema is documented in the README ("Fixing notebooks, mappings and reports"). Fields are
//! only ever added within a schema version; renaming or removing one bumps `schema_version`.

use serde::Serialize;

use crate::migrate::{MigrationRun, Totals};

/// Version of the layout below.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    schema_version: u32,
    tool: Tool,
    totals: Totals,
    notebooks: Vec<Notebook<'a>>,
    unmapped_tables: Vec<Unmapped<'a>>,
    errors: Vec<FileError<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Notebook<'a> {
    path: String,
    title: Option<&'a str>,
    changed: bool,
    connections_swapped: Vec<Swap<'a>>,
    cells: Vec<Cell<'a>>,
}

#[derive(Serialize)]
struct Swap<'a> {
    from: &'a str,
    to: &'a str,
}

#[derive(Serialize)]
struct Cell<'a> {
    index: usize,
    id: Option<&'a str>,
    label: Option<&'a str>,
    kind: &'static str,
    line: usize,
    changed: bool,
    needs_review: bool,
    rules_applied: Vec<&'static str>,
    original: &'a str,
    translated: &'a str,
    findings: Vec<Finding<'a>>,
    unmapped_tables: &'a [String],
}

#[derive(Serialize)]
struct Finding<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    applied: bool,
    suggestion: Option<&'a str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    sql_line: usize,
    sql_column: usize,
}

#[derive(Serialize)]
struct Unmapped<'a> {
    table: String,
    used_in: Vec<Use<'a>>,
    candidates: Vec<Candidate>,
}

#[derive(Serialize)]
struct Candidate {
    target: String,
    file: String,
    line: usize,
}

#[derive(Serialize)]
struct Use<'a> {
    path: String,
    cell_id: Option<&'a str>,
    line: usize,
}

#[derive(Serialize)]
struct FileError<'a> {
    path: String,
    message: &'a str,
}

/// Renders the report (pretty-printed, ending with a newline).
pub fn render(run: &MigrationRun) -> String {
    let report = Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        totals: run.totals(),
        notebooks: run
            .notebooks
            .iter()
            .map(|nb| Notebook {
                path: nb.path.display().to_string(),
                title: nb.title.as_deref(),
                changed: nb.cells.iter().any(|c| c.changed()) || !nb.connections_swapped.is_empty(),
                connections_swapped: nb
                    .connections_swapped
                    .iter()
                    .map(|(from, to)| Swap { from, to })
                    .collect(),
                cells: nb
                    .cells
                    .iter()
                    .map(|c| {
                        let mut rules: Vec<&'static str> = c
                            .findings
                            .iter()
                            .filter(|f| f.finding.applied)
                            .map(|f| f.finding.code)
                            .collect();
                        rules.sort_unstable();
                        rules.dedup();
                        Cell {
                            index: c.index,
                            id: c.id.as_deref(),
                            label: c.label.as_deref(),
                            kind: c.kind.as_str(),
                            line: c.line,
                            changed: c.changed(),
                            needs_review: c.needs_review().next().is_some(),
                            rules_applied: rules,
                            original: &c.original,
                            translated: &c.translated,
                            findings: c
                                .findings
                                .iter()
                                .map(|l| Finding {
                                    code: l.finding.code,
                                    severity: l.finding.severity.as_str(),
                                    message: &l.finding.message,
                                    applied: l.finding.applied,
                                    suggestion: l.finding.suggestion.as_deref(),
                                    line: l.line,
                                    column: l.column,
                                    end_line: l.end_line,
                                    end_column: l.end_column,
                                    sql_line: l.sql_line,
                                    sql_column: l.sql_column,
                                })
                                .collect(),
                            unmapped_tables: &c.unmapped_tables,
                        }
                    })
                    .collect(),
            })
            .collect(),
        unmapped_tables: run
            .unmapped_tables()
            .into_iter()
            .map(|(table, uses)| Unmapped {
                candidates: run
                    .candidates
                    .get(&table)
                    .into_iter()
                    .flatten()
                    .map(|(t, f, line)| Candidate {
                        target: t.clone(),
                        file: f.display().to_string(),
                        line: *line,
                    })
                    .collect(),
                table,
                used_in: uses
                    .into_iter()
                    .map(|(p, c)| Use {
                        path: p.display().to_string(),
                        cell_id: c.id.as_deref(),
                        line: c.line,
                    })
                    .collect(),
            })
            .collect(),
        errors: run
            .failed
            .iter()
            .map(|(p, m)| FileError {
                path: p.display().to_string(),
                message: m,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&report).expect("report serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_has_the_documented_shape() {
        let run = crate::report::markdown::tests::sample_run();
        let v: serde_json::Value = serde_json::from_str(&render(&run)).unwrap();
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["totals"]["cells_changed"], 1);
        assert_eq!(v["totals"]["unmapped_tables"], 1);
        let cell = &v["notebooks"][0]["cells"][0];
        assert_eq!(cell["kind"], "redshift");
        assert_eq!(cell["rules_applied"], serde_json::json!(["RS101"]));
        assert_eq!(cell["needs_review"], true);
        assert_eq!(cell["findings"][1]["severity"], "error");
        assert_eq!(cell["findings"][1]["line"], 40);
        assert_eq!(v["notebooks"][0]["cells"][1]["kind"], "dataframe");
        assert_eq!(
            v["notebooks"][0]["connections_swapped"][0],
            serde_json::json!({"from": "old", "to": "new"})
        );
        assert_eq!(v["unmapped_tables"][0]["table"], "prod.missing");
        assert_eq!(v["unmapped_tables"][0]["used_in"][0]["cell_id"], "c1");
        assert_eq!(
            v["unmapped_tables"][0]["candidates"][1],
            serde_json::json!({"target": "main.b.missing", "file": "t.csv", "line": 3})
        );
        assert_eq!(v["errors"][0]["path"], "bad.yaml");
    }
}
