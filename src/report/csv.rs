//! Migration report as CSV (`report --format csv`): one row per SQL cell, in the columns
//! migration teams already use: `notebook, cell, original_query, transformed_query,
//! transformations_applied, validation_status`.
//!
//! `transformations_applied` lists the rule codes applied (`;`-separated; the JSON and HTML
//! reports have the messages and the connection swaps). `validation_status` is
//! one of `unchanged`, `translated`, `needs_review` (a finding needs a person), `skipped`
//! (dataframe SQL or another warehouse).

use crate::migrate::{CellKind, MigrationRun};

/// Renders the CSV (header row first).
pub fn render(run: &MigrationRun) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "notebook",
        "cell",
        "original_query",
        "transformed_query",
        "transformations_applied",
        "validation_status",
    ])
    .expect("writing to memory");
    for nb in &run.notebooks {
        for c in &nb.cells {
            let mut applied: Vec<String> = c
                .findings
                .iter()
                .filter(|f| f.finding.applied)
                .map(|f| f.finding.code.to_string())
                .collect();
            applied.sort();
            applied.dedup();
            let status = match c.kind {
                CellKind::Dataframe | CellKind::Other => "skipped",
                _ if c.needs_review().next().is_some() => "needs_review",
                _ if c.changed() => "translated",
                _ => "unchanged",
            };
            let cell = c
                .label
                .clone()
                .filter(|l| !l.trim().is_empty())
                .or_else(|| c.id.clone())
                .unwrap_or_else(|| format!("#{}", c.index + 1));
            w.write_record([
                nb.path.display().to_string().as_str(),
                &cell,
                &c.original,
                &c.translated,
                &applied.join(";"),
                status,
            ])
            .expect("writing to memory");
        }
    }
    String::from_utf8(w.into_inner().expect("flushing to memory")).expect("CSV of UTF-8 is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_cell_with_status() {
        let run = crate::report::markdown::tests::sample_run();
        let text = render(&run);
        let mut r = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            r.headers().unwrap(),
            vec![
                "notebook",
                "cell",
                "original_query",
                "transformed_query",
                "transformations_applied",
                "validation_status"
            ]
        );
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][1], "Revenue");
        assert_eq!(&rows[0][2], "select getdate()\nfrom prod.t\n");
        assert_eq!(&rows[0][4], "RS101");
        assert_eq!(&rows[0][5], "needs_review");
        assert_eq!(&rows[1][1], "c2");
        assert_eq!(&rows[1][4], "");
        assert_eq!(&rows[1][5], "skipped");
    }
}
