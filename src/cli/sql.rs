//! `hex-migrate sql`: translate bare SQL from a file or stdin.
//!
//! Text output: the Databricks SQL on stdout, findings on stderr. JSON output: one object
//! `{"sql", "changed", "diagnostics": [{code, severity, message, line, column, end_line,
//! end_column}]}`; lines and columns are 1-based, columns count characters, and the end is
//! exclusive (the position just after the span). Exit 0 when everything was translated, 1 when
//! error findings remain, 2 on bad input.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::PathBuf;

use serde::Serialize;

use crate::config::Config;
use crate::migrate::{CellKind, Context, Overrides};
use crate::sql::tokens::LineIndex;
use crate::sql::{translate, Severity};

/// Arguments of `hex-migrate sql`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// SQL file to translate; `-` or nothing reads stdin.
    pub file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Dialect the SQL is written in: `redshift` (translate) or `databricks` (only report what
    /// cannot run on Databricks).
    #[arg(long, value_enum, default_value_t = DialectArg::Redshift)]
    pub dialect: DialectArg,
    /// Also apply rewrites of `review` confidence.
    #[arg(long)]
    pub apply_review: bool,
    /// Rule codes to switch off (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub disable: Vec<String>,
    /// Databricks Runtime the output must run on (default: the current LTS); rewrites that need
    /// a newer runtime fall back or are reported.
    #[arg(long, value_name = "VERSION")]
    pub target_runtime: Option<crate::sql::Runtime>,
    #[command(flatten)]
    pub files: super::fix::MappingFiles,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DialectArg {
    Redshift,
    Databricks,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    sql: &'a str,
    changed: bool,
    diagnostics: Vec<JsonDiag<'a>>,
}

#[derive(Serialize)]
struct JsonDiag<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'a str>,
    applied: bool,
}

/// Runs the subcommand; returns the process exit code.
pub fn run(args: Args) -> u8 {
    let (name, input) = match read_input(args.file.as_ref()) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("hex-migrate: {msg}");
            return super::EXIT_ERROR;
        }
    };
    // The mapping files are read as for a notebook's cells, and applied the same way: only to
    // Redshift SQL (their names are Redshift's).
    let overrides = Overrides {
        tables: args.files.tables.clone(),
        column_types: args.files.column_types.clone(),
        functions: args.files.functions.clone(),
        ..Overrides::default()
    };
    let mut ctx = match Context::from_config(&Config::default(), &overrides) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hex-migrate: {e}");
            return super::EXIT_ERROR;
        }
    };
    ctx.disabled_rules = args
        .disable
        .iter()
        .map(|c| c.trim().to_ascii_uppercase())
        .collect();
    ctx.apply_review = args.apply_review;
    ctx.runtime = args.target_runtime.unwrap_or_default();
    let kind = match args.dialect {
        DialectArg::Redshift => CellKind::Redshift,
        DialectArg::Databricks => CellKind::Databricks,
    };
    let opts = ctx
        .translate_options(kind, HashSet::new())
        .expect("Redshift and Databricks SQL are translated");
    let t = translate(&input, &opts);
    let index = LineIndex::new(&input);
    let errors = t.findings.iter().any(|f| f.severity == Severity::Error);
    match args.format {
        Format::Json => {
            let diagnostics = t
                .findings
                .iter()
                .map(|f| {
                    let (line, column) = index.line_col(&input, f.span.start);
                    let (end_line, end_column) = index.line_col(&input, f.span.end);
                    JsonDiag {
                        code: f.code,
                        severity: f.severity.as_str(),
                        message: &f.message,
                        line,
                        column,
                        end_line,
                        end_column,
                        suggestion: f.suggestion.as_deref(),
                        applied: f.applied,
                    }
                })
                .collect();
            let out = JsonOut {
                sql: &t.output,
                changed: t.output != input,
                diagnostics,
            };
            match serde_json::to_string_pretty(&out) {
                Ok(s) => println!("{s}"),
                Err(e) => {
                    eprintln!("hex-migrate: {e}");
                    return super::EXIT_ERROR;
                }
            }
        }
        Format::Text => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(t.output.as_bytes());
            let _ = stdout.flush();
            let mut stderr = std::io::stderr().lock();
            for f in &t.findings {
                let (line, col) = index.line_col(&input, f.span.start);
                let _ = writeln!(
                    stderr,
                    "{name}:{line}:{col}: {} {}: {}",
                    f.code,
                    f.severity.as_str(),
                    f.message
                );
            }
        }
    }
    if errors {
        super::EXIT_FINDINGS
    } else {
        super::EXIT_CLEAN
    }
}

fn read_input(file: Option<&PathBuf>) -> Result<(String, String), String> {
    let mut bytes = Vec::new();
    let name = match file {
        Some(p) if p.as_os_str() != "-" => {
            bytes = std::fs::read(p).map_err(|e| format!("{}: cannot read: {e}", p.display()))?;
            p.display().to_string()
        }
        _ => {
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("<stdin>: cannot read: {e}"))?;
            "<stdin>".to_string()
        }
    };
    match String::from_utf8(bytes) {
        Ok(s) => Ok((name, s)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(format!("{name}:{line}: not valid UTF-8"))
        }
    }
}
