use std::process::ExitCode;

fn main() -> ExitCode {
    hex_migrate::cli::main()
}
