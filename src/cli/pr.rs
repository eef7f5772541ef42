//! `hex-migrate pr`: open, update or close the one bulk migration pull request of a repository.
//!
//! The flow lives in `github::bulk`; this file turns flags and the environment (`GITHUB_TOKEN`,
//! `GITHUB_REPOSITORY`, `GITHUB_API_URL`) into its options and prints the outcome.

use std::path::{Path, PathBuf};

use secrecy::SecretString;

use crate::git::commit::Identity;
use crate::github::bulk::{self, Options, Outcome, Translate, Translated};
use crate::github::client::RetryPolicy;
use crate::github::RepoId;
use crate::{migrate, notebook};

/// Output format of `hex-migrate pr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Text,
    Json,
}

/// Arguments of `hex-migrate pr`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Notebooks or directories to migrate (default: every Hex file in the base branch). Read
    /// from the base branch's git objects, not from the working tree.
    pub paths: Vec<PathBuf>,
    // Boxed: the flags are many, and the `Command` enum should stay small.
    #[command(flatten)]
    pub pr: Box<PrFlags>,
}

/// The pull request flags of `hex-migrate pr`.
#[derive(Debug, clap::Args)]
pub struct PrFlags {
    /// GitHub repository as OWNER/NAME [default: $GITHUB_REPOSITORY, else the remote's URL].
    #[arg(long, env = "GITHUB_REPOSITORY", value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// Base branch of the pull request [default: the remote's default branch, else the current
    /// branch].
    #[arg(long, value_name = "BRANCH")]
    pub base: Option<String>,
    /// The bot's branch.
    #[arg(long, value_name = "NAME", default_value = bulk::DEFAULT_BRANCH)]
    pub branch: String,
    /// Pull request title.
    #[arg(long, default_value = bulk::DEFAULT_TITLE)]
    pub title: String,
    /// Label to add (repeat for several).
    #[arg(long = "label", value_name = "LABEL")]
    pub labels: Vec<String>,
    /// Reviewer to request: a user login, or ORG/TEAM for a team (repeat for several).
    #[arg(long = "reviewer", value_name = "LOGIN")]
    pub reviewers: Vec<String>,
    /// Open the pull request as a draft (falls back to a regular one where drafts are not
    /// supported).
    #[arg(long)]
    pub draft: bool,
    /// Git remote to push to.
    #[arg(long, default_value = "origin")]
    pub remote: String,
    /// Print the diffstat and the pull request body; push nothing and call no API (no token or
    /// network needed).
    #[arg(long)]
    pub dry_run: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
    /// Commit the full migration report to the branch at this repository-relative path.
    #[arg(long, value_name = "PATH")]
    pub report_path: Option<String>,
    /// Author and committer of the migration commit; commits by anyone else on the branch stop
    /// the bot.
    #[arg(long, value_name = "NAME <EMAIL>", default_value = bulk::DEFAULT_AUTHOR)]
    pub author: String,
    /// Replace the branch even when it holds commits the bot did not make.
    #[arg(long)]
    pub force: bool,
    /// GitHub API root (GitHub Enterprise: https://HOST/api/v3).
    #[arg(long, env = "GITHUB_API_URL", default_value = bulk::DEFAULT_API_URL, hide_env_values = true)]
    pub api_url: String,
    /// Configuration and mappings, as for `fix`.
    #[command(flatten)]
    pub migrate: super::fix::MigrateOptions,
}

/// Replaces every occurrence of the token in `text` (belt and braces: no message we print is
/// built from the token, but a library error could echo a URL someone configured with it).
fn redact(text: &str, token: Option<&SecretString>) -> String {
    use secrecy::ExposeSecret;
    match token.map(|t| t.expose_secret()) {
        Some(t) if t.len() >= 4 => text.replace(t, "***"),
        _ => text.to_string(),
    }
}

fn print_text(outcome: &Outcome) {
    if outcome.dry_run {
        println!(
            "dry run: would push branch {} (base {})\n",
            outcome.branch, outcome.base
        );
        print!("{}", outcome.diffstat);
        println!(
            "\n--- pull request body ---\n{}",
            outcome.body.as_deref().unwrap_or_default()
        );
        return;
    }
    let pr = match (outcome.number, &outcome.url) {
        (Some(n), Some(url)) => format!("pull request #{n} ({url})"),
        (Some(n), None) => format!("pull request #{n}"),
        _ => "no pull request".to_string(),
    };
    match outcome.operation {
        bulk::Operation::Created => println!("created {pr}"),
        bulk::Operation::Updated => println!("updated {pr}"),
        bulk::Operation::Closed => println!("closed {pr}: nothing left to migrate"),
        bulk::Operation::None => println!("{pr}: up to date, nothing to do"),
    }
    match (&outcome.head_sha, outcome.pushed) {
        (Some(sha), true) => println!("pushed {} at {sha}", outcome.branch),
        (Some(sha), false) => println!("branch {} already at {sha}", outcome.branch),
        _ => {}
    }
    if outcome.branch_deleted {
        println!("deleted branch {}", outcome.branch);
    }
    let c = &outcome.counts;
    println!(
        "{} of {} notebooks changed, {} cells rewritten, {} findings need a person, {} unmapped tables",
        c.notebooks_changed,
        c.notebooks_scanned,
        c.cells_rewritten,
        c.findings_needing_person,
        c.unmapped_tables
    );
}

/// Runs the flow with `translator` (the CLI passes the real migration engine).
pub fn run_with(
    args: Args,
    translator: &dyn Translate,
    excludes: Vec<String>,
    max_file_size: u64,
) -> u8 {
    let paths = args.paths;
    let args = *args.pr;
    let token = std::env::var("GITHUB_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
        .map(SecretString::from);
    let fail = |message: String| {
        eprintln!("hex-migrate pr: {}", redact(&message, token.as_ref()));
        super::EXIT_ERROR
    };
    let author = match Identity::parse(&args.author) {
        Ok(a) => a,
        Err(e) => return fail(format!("--author: {e}")),
    };
    let repo = match args.repo.as_deref().filter(|r| !r.is_empty()) {
        Some(text) => match RepoId::parse(text) {
            Some(id) => Some(id),
            None => return fail(format!("--repo {text:?} is not OWNER/NAME")),
        },
        None => None,
    };
    let workdir = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => return fail(format!("cannot read the current directory: {e}")),
    };
    let options = Options {
        workdir,
        paths,
        repo,
        base: args.base,
        branch: args.branch,
        title: args.title,
        labels: args.labels,
        reviewers: args.reviewers,
        draft: args.draft,
        remote: args.remote,
        dry_run: args.dry_run,
        report_path: args.report_path,
        author,
        force: args.force,
        api_url: args.api_url,
        token: token.clone(),
        retry: RetryPolicy::default(),
        excludes,
        max_file_size,
    };
    match bulk::run(&options, translator) {
        Ok(outcome) => {
            match args.output {
                Output::Json => match serde_json::to_string_pretty(&outcome) {
                    Ok(json) => println!("{}", redact(&json, token.as_ref())),
                    Err(e) => return fail(e.to_string()),
                },
                Output::Text => print_text(&outcome),
            }
            for w in &outcome.warnings {
                eprintln!("hex-migrate pr: warning: {}", redact(w, token.as_ref()));
            }
            for n in outcome.notebooks.iter().filter(|n| n.error.is_some()) {
                eprintln!(
                    "hex-migrate pr: {}",
                    redact(n.error.as_deref().unwrap_or_default(), token.as_ref())
                );
            }
            if outcome.counts.errors > 0 {
                super::EXIT_ERROR
            } else {
                super::EXIT_CLEAN
            }
        }
        Err(e) => fail(format!("{e:#}")),
    }
}

/// Runs the subcommand with the real migration engine; returns the process exit code.
pub fn run(args: Args) -> u8 {
    let ctx = match args.pr.migrate.load() {
        Ok(ctx) => ctx,
        Err(e) => {
            eprintln!("hex-migrate pr: {e}");
            return super::EXIT_ERROR;
        }
    };
    let translator = |path: &str, text: &str| -> Option<Translated> {
        if !notebook::is_hex(text) {
            return None;
        }
        let result = migrate::migrate_notebook(Path::new(path), text, &ctx);
        Some(Translated::from_result(path, text, result))
    };
    run_with(args, &translator, ctx.excludes.clone(), ctx.max_file_size)
}
