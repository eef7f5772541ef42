//! Which findings are new: a finding in a cell is new unless the same cell (by cell id) in a base
//! version of the file already had it — same rule code and same normalised SQL snippet, counted
//! as a multiset (two `GETDATE()` where there was one: one of them is new).

use std::collections::{HashMap, HashSet};

use crate::migrate::{cell_keys, CellKey, CellResult, Context};
use crate::notebook::Notebook;

/// How a cell is recognised across versions: its Hex cell id (stable across edits and moves),
/// or its position (in `sql_cells`) when a (hand-written) notebook has no ids.
fn identity(id: Option<&str>, index: usize) -> String {
    match id {
        Some(id) => format!("id:{id}"),
        None => format!("index:{index}"),
    }
}

pub fn cell_key(cell: &CellResult) -> String {
    identity(cell.id.as_deref(), cell.index)
}

/// Which SQL cells of `new` a diff-aware check must analyse, and which of its bases' cells it
/// must analyse to compare them.
pub struct Selection {
    /// Per SQL cell of `new`: analyse it.
    pub new: Vec<bool>,
    /// Per base, per SQL cell: analyse it.
    pub bases: Vec<Vec<bool>>,
    /// Warehouse SQL cells of `new` left out because a base has them as they are.
    pub unchanged: usize,
}

/// Leaves out every cell of `new` that a base has as it is: same identity, and the same SQL,
/// kind and relevant local names (the key the analysis is a pure function of). Its findings are
/// then exactly that base cell's, so none of them can be new, and translating it would only
/// count them. A cell whose identity `new` holds twice is kept (two copies could hold more of a
/// finding than the base had). Base cells are analysed only when the new version analyses a
/// cell of the same identity: no other base finding is ever compared.
pub fn select(new: &Notebook, bases: &[&Notebook], ctx: &Context) -> Selection {
    let ids = |nb: &Notebook| -> Vec<String> {
        nb.sql_cells
            .iter()
            .enumerate()
            .map(|(i, c)| identity(c.id.as_deref(), i))
            .collect()
    };
    let new_ids = ids(new);
    let new_keys = cell_keys(new, ctx);
    let base_ids: Vec<Vec<String>> = bases.iter().map(|b| ids(b)).collect();
    let base_keys: Vec<Vec<Option<CellKey>>> = bases.iter().map(|b| cell_keys(b, ctx)).collect();
    let mut in_a_base: HashSet<(&str, &CellKey)> = HashSet::new();
    for (ids, keys) in base_ids.iter().zip(&base_keys) {
        for (id, key) in ids.iter().zip(keys) {
            if let Some(key) = key {
                in_a_base.insert((id, key));
            }
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for id in &new_ids {
        *seen.entry(id).or_default() += 1;
    }
    let mut unchanged = 0;
    let selected: Vec<bool> = new_ids
        .iter()
        .zip(&new_keys)
        .map(|(id, key)| match key {
            Some(key) if seen[id.as_str()] == 1 && in_a_base.contains(&(id.as_str(), key)) => {
                unchanged += 1;
                false
            }
            _ => true,
        })
        .collect();
    let compared: HashSet<&str> = new_ids
        .iter()
        .zip(&selected)
        .filter(|(_, s)| **s)
        .map(|(id, _)| id.as_str())
        .collect();
    let bases = base_ids
        .iter()
        .map(|ids| {
            ids.iter()
                .map(|id| compared.contains(id.as_str()))
                .collect()
        })
        .collect();
    Selection {
        new: selected,
        bases,
        unchanged,
    }
}

/// The SQL a finding covers, with whitespace runs collapsed and ASCII letters lower-cased: a
/// re-indented or re-cased `GETDATE()` is the same finding.
pub fn normalised_snippet(sql: &str, span: &std::ops::Range<usize>) -> String {
    let text = sql.get(span.clone()).unwrap_or("");
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    out
}

type Key = (String, &'static str, String);

fn keys(cells: &[CellResult]) -> impl Iterator<Item = (usize, usize, Key)> + '_ {
    cells.iter().enumerate().flat_map(|(ci, cell)| {
        let ck = cell_key(cell);
        cell.findings.iter().enumerate().map(move |(fi, f)| {
            (
                ci,
                fi,
                (
                    ck.clone(),
                    f.finding.code,
                    normalised_snippet(&cell.original, &f.finding.span),
                ),
            )
        })
    })
}

/// For each cell of `new`, for each of its findings: whether it is new. A finding is pre-existing
/// when some base had it; with several bases (a merge), the largest count among them is what
/// may be matched (a finding either side already had is not new).
pub fn mark_new(bases: &[Vec<CellResult>], new: &[CellResult]) -> Vec<Vec<bool>> {
    let mut available: HashMap<Key, usize> = HashMap::new();
    for base in bases {
        let mut counts: HashMap<Key, usize> = HashMap::new();
        for (_, _, k) in keys(base) {
            *counts.entry(k).or_default() += 1;
        }
        for (k, n) in counts {
            let e = available.entry(k).or_default();
            *e = (*e).max(n);
        }
    }
    let mut out: Vec<Vec<bool>> = new.iter().map(|c| vec![true; c.findings.len()]).collect();
    for (ci, fi, k) in keys(new) {
        if let Some(n) = available.get_mut(&k) {
            if *n > 0 {
                *n -= 1;
                out[ci][fi] = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::{CellKind, Located};
    use crate::sql::{Finding, Severity};

    fn cell(
        id: Option<&str>,
        index: usize,
        sql: &str,
        findings: &[(&'static str, &str)],
    ) -> CellResult {
        CellResult {
            index,
            id: id.map(str::to_string),
            label: None,
            kind: CellKind::Redshift,
            line: 1,
            original: sql.to_string(),
            translated: sql.to_string(),
            findings: findings
                .iter()
                .map(|(code, needle)| {
                    let start = sql.find(needle).expect("needle in sql");
                    Located {
                        finding: Finding {
                            code,
                            severity: Severity::Info,
                            message: String::new(),
                            span: start..start + needle.len(),
                            suggestion: None,
                            applied: false,
                        },
                        line: 1,
                        column: 1,
                        end_line: 1,
                        end_column: 1,
                        sql_line_text: String::new(),
                        sql_line: 1,
                        sql_column: 1,
                    }
                })
                .collect(),
            unmapped_tables: vec![],
        }
    }

    fn nb(cells: Vec<CellResult>) -> Vec<CellResult> {
        cells
    }

    #[test]
    fn same_finding_in_same_cell_is_not_new_even_reformatted() {
        let base = nb(vec![cell(
            Some("c1"),
            0,
            "select GETDATE()",
            &[("RS101", "GETDATE()")],
        )]);
        let new = nb(vec![cell(
            Some("c1"),
            3,
            "select 1,\n  getdate( )",
            &[("RS101", "getdate( )")],
        )]);
        // `getdate( )` normalises to `getdate( )`, not `getdate()`: whitespace inside is kept as
        // one space, so this one is new. Same text re-cased/re-indented is not.
        assert_eq!(
            mark_new(std::slice::from_ref(&base), &new),
            vec![vec![true]]
        );
        let new = nb(vec![cell(
            Some("c1"),
            3,
            "select 1,\n  getdate()",
            &[("RS101", "getdate()")],
        )]);
        assert_eq!(mark_new(&[base], &new), vec![vec![false]]);
    }

    #[test]
    fn counts_as_a_multiset() {
        let base = nb(vec![cell(
            Some("c1"),
            0,
            "select getdate()",
            &[("RS101", "getdate()")],
        )]);
        let new = nb(vec![cell(
            Some("c1"),
            0,
            "select getdate(), getdate() x",
            &[("RS101", "getdate()"), ("RS101", "getdate() x")],
        )]);
        // Second needle starts at the second occurrence only by its longer text; trim it.
        let mut new = new;
        let s = &mut new[0].findings[1].finding.span;
        s.end -= 2;
        assert_eq!(mark_new(&[base], &new), vec![vec![false, true]]);
    }

    #[test]
    fn other_cells_and_new_cells_do_not_lend_their_findings() {
        let base = nb(vec![cell(
            Some("c1"),
            0,
            "select getdate()",
            &[("RS101", "getdate()")],
        )]);
        let new = nb(vec![
            cell(Some("c1"), 0, "select 1", &[]),
            cell(Some("c2"), 1, "select getdate()", &[("RS101", "getdate()")]),
        ]);
        assert_eq!(mark_new(&[base], &new), vec![vec![], vec![true]]);
    }

    #[test]
    fn different_rule_on_same_text_is_new() {
        let base = nb(vec![cell(
            Some("c1"),
            0,
            "select getdate()",
            &[("RS101", "getdate()")],
        )]);
        let new = nb(vec![cell(
            Some("c1"),
            0,
            "select getdate()",
            &[("RS102", "getdate()")],
        )]);
        assert_eq!(mark_new(&[base], &new), vec![vec![true]]);
    }

    #[test]
    fn merge_bases_take_the_largest_count() {
        let one = nb(vec![cell(
            Some("c1"),
            0,
            "select getdate()",
            &[("RS101", "getdate()")],
        )]);
        let two = nb(vec![cell(
            Some("c1"),
            0,
            "select getdate(), getdate()",
            &[("RS101", "getdate()"), ("RS101", "getdate()")],
        )]);
        let mut new = two.clone();
        let extra = new[0].findings[0].clone();
        new[0].findings.push(extra);
        assert_eq!(mark_new(&[one, two], &new), vec![vec![false, false, true]]);
    }

    #[test]
    fn no_base_means_everything_is_new() {
        let new = nb(vec![cell(
            None,
            0,
            "select getdate()",
            &[("RS101", "getdate()")],
        )]);
        assert_eq!(mark_new(&[], &new), vec![vec![true]]);
        assert_eq!(cell_key(&new[0]), "index:0");
    }
}
