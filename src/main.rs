use std::process::ExitCode;

// A commit hook has tens of milliseconds, and profiling it showed a sixth of its CPU in glibc's
// malloc/free (YAML and SQL parsing allocate a lot, on several threads): mimalloc is cheaper.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    hex_migrate::cli::main()
}
