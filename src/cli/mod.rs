//! Command-line interface: clap definitions and one file per subcommand.
//!
//! Exit codes (shared by every subcommand): 0 clean, 1 findings or changes, 2 usage, config or
//! input error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod cells;
pub mod check;
pub mod fix;
pub mod install_hook;
pub mod pr;
pub mod report;
pub mod rules;
pub mod sql;

/// Exit code: nothing to report.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings (check) or changes (fix --check / --diff).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage, configuration or input error.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "hex-migrate",
    version,
    about = "Move Hex notebooks from Amazon Redshift SQL to Databricks SQL, and keep them there"
)]
pub struct Cli {
    /// More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the SQL cells found in Hex notebooks.
    Cells(cells::Args),
    /// Report Redshift-only SQL in warehouse SQL cells (read-only).
    Check(check::Args),
    /// Rewrite Redshift SQL cells to Databricks SQL in place.
    Fix(fix::Args),
    /// Translate bare SQL from a file or stdin.
    Sql(sql::Args),
    /// List the translation rules, or show one rule's documentation.
    Rules(rules::Args),
    /// Write a migration report (markdown, json, csv, html).
    Report(report::Args),
    /// Open or update the bulk migration pull request.
    Pr(pr::Args),
    /// Install the plain git pre-commit hook into a repository.
    InstallHook(install_hook::Args),
}

/// Entry point used by `main.rs`.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            });
        }
    };
    init_tracing(cli.verbose);
    let code = match cli.command {
        Command::Cells(a) => cells::run(a),
        Command::Check(a) => check::run(a),
        Command::Fix(a) => fix::run(a),
        Command::Sql(a) => sql::run(a),
        Command::Rules(a) => rules::run(a),
        Command::Report(a) => report::run(a),
        Command::Pr(a) => pr::run(a),
        Command::InstallHook(a) => install_hook::run(a),
    };
    ExitCode::from(code)
}

fn init_tracing(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
