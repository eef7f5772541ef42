//! `hex-migrate install-hook`: not built yet (placeholder until its issue lands).

/// Arguments of `hex-migrate install-hook`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Arguments, not interpreted yet.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Runs the subcommand; returns the process exit code.
pub fn run(_args: Args) -> u8 {
    eprintln!("hex-migrate: 'install-hook' is not implemented yet");
    super::EXIT_ERROR
}
