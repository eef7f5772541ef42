//! `hex-migrate rules`: list the translation rules, or print one rule's documentation.

use crate::rules;

/// Arguments of `hex-migrate rules`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A rule code (e.g. RS103): print its documentation instead of the list.
    pub code: Option<String>,
}

/// Runs the subcommand; returns the process exit code.
pub fn run(args: Args) -> u8 {
    match args.code {
        None => {
            for r in rules::all() {
                let i = r.info();
                println!(
                    "{}  {:<28} {:<7} {}",
                    i.code,
                    i.name,
                    format!("{:?}", i.confidence).to_lowercase(),
                    i.summary
                );
            }
            super::EXIT_CLEAN
        }
        Some(code) => match rules::by_code(&code) {
            Some(i) => {
                println!(
                    "{} {} ({})",
                    i.code,
                    i.name,
                    format!("{:?}", i.confidence).to_lowercase()
                );
                println!("{}\n", i.summary);
                println!("{}", i.doc_text().trim_end());
                super::EXIT_CLEAN
            }
            None => {
                eprintln!("hex-migrate: unknown rule code `{code}` (see `hex-migrate rules`)");
                super::EXIT_ERROR
            }
        },
    }
}
