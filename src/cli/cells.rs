//! `hex-migrate cells`: list the SQL cells found in Hex notebooks.
//!
//! One line per SQL cell: file, line, label, kind (warehouse or dataframe), the connection's
//! name and type (from Hex's comment on the `sharedAssets` entry), and the first line of SQL.
//! A file that cannot be read or parsed is reported on stderr with its line, the other files
//! are still listed, and the exit code is 2.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use crate::notebook::{self, Notebook, NotebookError, SqlCell};

/// Arguments of `hex-migrate cells`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Hex notebook files or directories to search (directories honour .gitignore).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Glob patterns (gitignore syntax) of paths to leave out.
    #[arg(long = "exclude", value_name = "GLOB")]
    pub excludes: Vec<String>,
    /// Refuse files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = notebook::DEFAULT_SIZE_LIMIT)]
    pub max_file_size: u64,
}

/// Output formats of `cells`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// One SQL cell, as listed (the JSON format's element).
#[derive(Debug, Serialize)]
pub struct CellRow {
    pub file: String,
    pub line: usize,
    pub cell_id: Option<String>,
    pub label: Option<String>,
    /// `warehouse` or `dataframe`.
    pub kind: &'static str,
    pub connection_id: Option<String>,
    pub connection_name: Option<String>,
    pub connection_type: Option<String>,
    pub result_variable: Option<String>,
    pub first_line: String,
}

/// Runs the subcommand; returns the process exit code.
pub fn run(args: Args) -> u8 {
    let (files, mut errors) = notebook::discover(&args.paths, &args.excludes, args.max_file_size);
    let mut rows = Vec::new();
    for file in &files {
        match notebook::read(file, args.max_file_size).and_then(|text| notebook::parse(file, &text))
        {
            Ok(nb) => rows.extend(rows_of(file, &nb)),
            Err(e) => errors.push(e),
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match args.format {
        Format::Text => write_text(&mut out, &rows),
        Format::Json => serde_json::to_writer_pretty(&mut out, &rows)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out)),
    };
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("hex-migrate: writing output: {e}");
            return super::EXIT_ERROR;
        }
    }
    report_errors(&errors);
    if errors.is_empty() {
        super::EXIT_CLEAN
    } else {
        super::EXIT_ERROR
    }
}

/// Prints input errors on stderr, one per line, each naming its file (and line).
pub fn report_errors(errors: &[NotebookError]) {
    for e in errors {
        eprintln!("error: {e}");
    }
}

fn rows_of(file: &std::path::Path, nb: &Notebook) -> Vec<CellRow> {
    nb.sql_cells.iter().map(|c| row(file, nb, c)).collect()
}

fn row(file: &std::path::Path, nb: &Notebook, cell: &SqlCell) -> CellRow {
    let asset = nb.cell_connection(cell);
    CellRow {
        file: file.display().to_string(),
        line: cell.line,
        cell_id: cell.id.clone(),
        label: cell.label.clone(),
        kind: if cell.dataframe {
            "dataframe"
        } else {
            "warehouse"
        },
        connection_id: cell.connection.as_ref().map(|c| c.id.clone()),
        connection_name: asset.and_then(|a| a.name.clone()),
        connection_type: asset.and_then(|a| a.kind.clone()),
        result_variable: cell.result_variable.clone(),
        first_line: first_line(&cell.source.value),
    }
}

/// The first line of SQL that is not blank, trimmed.
fn first_line(sql: &str) -> String {
    sql.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_string()
}

fn write_text(out: &mut impl Write, rows: &[CellRow]) -> std::io::Result<()> {
    for r in rows {
        let connection = match (&r.connection_name, &r.connection_type, &r.connection_id) {
            (Some(n), Some(t), _) => format!("{n} ({t})"),
            (Some(n), None, _) => n.clone(),
            (None, Some(t), _) => format!("({t})"),
            (None, None, Some(id)) => format!("{id} (not listed)"),
            (None, None, None) => "-".to_string(),
        };
        writeln!(
            out,
            "{}:{}\t{}\t{}\t{}\t{}",
            r.file,
            r.line,
            r.label.as_deref().unwrap_or("(no label)"),
            r.kind,
            connection,
            r.first_line
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_skips_blank_lines() {
        assert_eq!(first_line("\n  \n  select 1\nfrom t"), "select 1");
        assert_eq!(first_line(""), "");
    }
}
