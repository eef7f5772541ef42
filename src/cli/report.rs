//! `hex-migrate report`: a migration report of what `fix` would do (or did), in Markdown, JSON,
//! CSV or HTML. Reads notebooks only; writes the report to stdout or `-o FILE`.

use std::path::PathBuf;

use crate::migrate::{self, FileOutcome, MigrationRun};
use crate::report;

use super::fix::{progress_bar, write_new, MigrateOptions};
use super::{EXIT_CLEAN, EXIT_ERROR};

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Markdown,
    Json,
    Csv,
    Html,
}

/// Arguments of `hex-migrate report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Notebooks or directories (default: the current directory).
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub migrate: MigrateOptions,
}

/// Runs the subcommand; returns the process exit code: 0 when every file was read (whatever the
/// report says), 2 on a usage, configuration or input error (the report is still written and
/// lists the files that failed).
pub fn run(args: Args) -> u8 {
    let ctx = match args.migrate.load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hex-migrate: {e}");
            return EXIT_ERROR;
        }
    };
    let (files, walk_errors) = args.migrate.discover(&args.paths, &ctx);
    let mut run = MigrationRun::default();
    for e in walk_errors {
        eprintln!("hex-migrate: {e}");
        run.failed.push((e.path().to_path_buf(), e.to_string()));
    }
    let pb = progress_bar(files.len());
    for (path, outcome) in migrate::migrate_files(&files, &ctx, &|_| pb.inc(1)) {
        match outcome {
            FileOutcome::NotHex => {}
            FileOutcome::Failed(e) => {
                eprintln!("hex-migrate: {e}");
                run.failed.push((path, e.to_string()));
            }
            FileOutcome::Migrated { result, .. } => run.notebooks.push(*result),
        }
    }
    pb.finish_and_clear();
    run.note_conflicts(&ctx.tables);
    let text = match args.format {
        Format::Markdown => report::markdown::render(&run),
        Format::Json => report::migration_json::render(&run),
        Format::Csv => report::csv::render(&run),
        Format::Html => report::html::render(&run),
    };
    let written = match &args.output {
        Some(p) => write_new(p, &text).map_err(|e| format!("{}: cannot write: {e}", p.display())),
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(text.as_bytes())
                .map_err(|e| format!("stdout: {e}"))
        }
    };
    if let Err(e) = written {
        eprintln!("hex-migrate: {e}");
        return EXIT_ERROR;
    }
    if run.failed.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_ERROR
    }
}
