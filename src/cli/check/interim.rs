//! Interim pipeline for `check` until `migrate::migrate_notebook` lands on main (then this file
//! goes): parse the notebook, classify each SQL cell by its connection comment, translate, and
//! place each finding in the YAML file with `notebook::LineMap`.

use std::path::Path;

use crate::migrate::{CellKind, CellResult, Located, NotebookResult};
use crate::notebook::{self, LineMap, NotebookError};
use crate::sql::{translate, TranslateOptions};

fn line_col(text: &str, at: usize) -> (usize, usize, String) {
    let at = at.min(text.len());
    let line = text[..at].matches('\n').count() + 1;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    (
        line,
        text[start..at].chars().count() + 1,
        text[start..end].to_string(),
    )
}

pub fn analyse(path: &Path, text: &str) -> Result<NotebookResult, NotebookError> {
    let nb = notebook::parse(path, text)?;
    let mut cells = Vec::new();
    for (i, c) in nb.sql_cells.iter().enumerate() {
        let kind = if c.dataframe {
            CellKind::Dataframe
        } else {
            match nb.cell_connection(c).and_then(|a| a.kind.as_deref()) {
                Some("redshift") => CellKind::Redshift,
                Some("databricks") => CellKind::Databricks,
                Some(_) => CellKind::Other,
                None => CellKind::Redshift,
            }
        };
        let sql = &c.source.value;
        let mut findings = Vec::new();
        let mut translated = sql.clone();
        if let Some(dialect) = kind.dialect() {
            let t = translate(
                sql,
                &TranslateOptions {
                    dialect,
                    ..Default::default()
                },
            );
            translated = t.output;
            let map = LineMap::new(text, c);
            for f in t.findings {
                let (l, col, line_text) = line_col(sql, f.span.start);
                let (el, ecol, _) = line_col(sql, f.span.end);
                let (yl, yc) = map.map(l, col);
                let (yel, yec) = map.map(el, ecol);
                findings.push(Located {
                    finding: f,
                    line: yl,
                    column: yc,
                    end_line: yel,
                    end_column: yec,
                    sql_line_text: line_text,
                    sql_line: l,
                    sql_column: col,
                });
            }
        }
        cells.push(CellResult {
            index: i,
            id: c.id.clone(),
            label: c.label.clone(),
            kind,
            line: c.source.line,
            original: sql.clone(),
            translated,
            findings,
            unmapped_tables: vec![],
        });
    }
    Ok(NotebookResult {
        path: path.to_path_buf(),
        title: nb.title.clone(),
        cells,
        connections_swapped: vec![],
        output: text.to_string(),
    })
}
