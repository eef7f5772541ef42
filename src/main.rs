use std::process::ExitCode;

// A commit hook has tens of milliseconds, and profiling it showed a sixth of its CPU in glibc's
// malloc/free (YAML and SQL parsing allocate a lot, on several threads): mimalloc is cheaper.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, so `hex-migrate rules | head` made every println! panic with
    // "Broken pipe". Like other command-line tools, end quietly when the reader has gone.
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    hex_migrate::cli::main()
}
