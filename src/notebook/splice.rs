//! Replacing SQL sources and connection ids in a notebook's text, every other byte unchanged.

use std::ops::Range;

use super::{emit_scalar, Notebook, Splice};

/// Applies `splices` to `text` (the text `nb` was parsed from).
///
/// A `Source` splice whose value equals the cell's current value keeps the original bytes, so
/// splicing a notebook's own values back gives the same file. A changed value is written in
/// Hex's own style for it, at the cell's indentation.
///
/// # Panics
/// If a `Source` splice names a cell that `nb` does not have, or two splices overlap: both
/// are programming errors in the caller, and guessing would write a wrong file.
pub fn splice(text: &str, nb: &Notebook, splices: &[Splice]) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::with_capacity(splices.len());
    for s in splices {
        match s {
            Splice::Source { cell, value } => {
                let cell = nb.sql_cells.get(*cell).unwrap_or_else(|| {
                    panic!(
                        "splice: SQL cell {cell} out of range ({} cells)",
                        nb.sql_cells.len()
                    )
                });
                if *value == cell.source.value {
                    continue;
                }
                let mut new = emit_scalar(value, cell.source.key_indent);
                let range = cell.source.range.clone();
                // A block scalar must end with a line break; at the very end of a file without
                // one, the break is ours to add.
                if range.end == text.len() && new.starts_with('|') {
                    new.push('\n');
                }
                edits.push((range, new));
            }
            Splice::Scalar { range, text: new } => {
                if text[range.clone()] != *new {
                    edits.push((range.clone(), new.clone()));
                }
            }
        }
    }
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    for pair in edits.windows(2) {
        assert!(
            pair[0].0.end <= pair[1].0.start,
            "splice: overlapping edits at bytes {:?} and {:?}",
            pair[0].0,
            pair[1].0
        );
    }
    let extra: usize = edits.iter().map(|(_, t)| t.len()).sum();
    let mut out = String::with_capacity(text.len() + extra);
    let mut at = 0;
    for (range, new) in &edits {
        out.push_str(&text[at..range.start]);
        out.push_str(new);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::parse;
    use std::path::Path;

    const TEXT: &str = "cells:
  - cellType: SQL
    config:
      source: |-
        select getdate()
      dataConnectionId: old-id
  - cellType: SQL
    config:
      source: select 1
      dataConnectionId: old-id
";

    #[test]
    fn changes_only_the_spliced_scalars() {
        let nb = parse(Path::new("t.yaml"), TEXT).unwrap();
        let conn = nb.sql_cells[0].connection.clone().unwrap();
        let out = splice(
            TEXT,
            &nb,
            &[
                Splice::Source {
                    cell: 0,
                    value: "select current_timestamp()\n".into(),
                },
                Splice::Scalar {
                    range: conn.range,
                    text: "new-id".into(),
                },
                Splice::Source {
                    cell: 1,
                    value: "select 1".into(),
                },
            ],
        );
        assert_eq!(
            out,
            TEXT.replacen(
                "|-\n        select getdate()",
                "|\n        select current_timestamp()",
                1
            )
            .replacen("old-id", "new-id", 1)
        );
    }

    #[test]
    fn own_values_give_the_same_bytes() {
        let nb = parse(Path::new("t.yaml"), TEXT).unwrap();
        let same: Vec<Splice> = nb
            .sql_cells
            .iter()
            .enumerate()
            .map(|(i, c)| Splice::Source {
                cell: i,
                value: c.source.value.clone(),
            })
            .collect();
        assert_eq!(splice(TEXT, &nb, &same), TEXT);
    }
}
