//! `hex-migrate install-hook`: installs `hooks/pre-commit` (embedded in the binary) as the
//! repository's git pre-commit hook.
//!
//! - The hooks directory is git's: `core.hooksPath` when set (relative to the work tree top, as
//!   git resolves it), else `hooks/` in the common git directory (shared by all worktrees).
//! - An existing hook that is not ours is never overwritten: it is moved to `pre-commit.local`,
//!   which our hook runs first (with the same arguments) and whose failure fails the commit.
//! - Running it again is a no-op; a hook from an older hex-migrate is updated in place.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::git::repo::discover;

/// The hook script, as shipped in `hooks/pre-commit`.
pub const HOOK_SCRIPT: &str = include_str!("../../hooks/pre-commit");
/// A line every version of our hook contains, to recognise it.
pub const HOOK_MARKER: &str = "hex-migrate pre-commit hook";
/// Where an existing hook is moved to be chained.
pub const LOCAL_HOOK: &str = "pre-commit.local";

/// Arguments of `hex-migrate install-hook`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The repository (any directory inside its work tree). Default: the current directory.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,
}

/// What `install` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Installed {
    /// Our hook was already there, unchanged.
    AlreadyInstalled(PathBuf),
    /// Written (fresh, or over an older version of ours).
    Written(PathBuf),
    /// Written after moving an existing hook to `pre-commit.local`.
    Chained { hook: PathBuf, local: PathBuf },
}

/// Runs the subcommand; returns the process exit code.
pub fn run(args: Args) -> u8 {
    match install(&args.repo) {
        Ok(Installed::AlreadyInstalled(p)) => {
            println!(
                "hex-migrate: pre-commit hook already installed at {}",
                p.display()
            );
            super::EXIT_CLEAN
        }
        Ok(Installed::Written(p)) => {
            println!(
                "hex-migrate: installed the pre-commit hook at {}",
                p.display()
            );
            super::EXIT_CLEAN
        }
        Ok(Installed::Chained { hook, local }) => {
            println!(
                "hex-migrate: installed the pre-commit hook at {}; the existing hook is now {} and runs first",
                hook.display(),
                local.display()
            );
            super::EXIT_CLEAN
        }
        Err(e) => {
            eprintln!("hex-migrate install-hook: {e}");
            super::EXIT_ERROR
        }
    }
}

/// The directory git runs hooks from for the repository containing `dir`.
pub fn hooks_dir(dir: &Path) -> anyhow::Result<PathBuf> {
    let repo = discover(dir)?;
    let configured = repo
        .config()
        .ok()
        .and_then(|c| c.get_path("core.hooksPath").ok());
    Ok(match configured {
        Some(p) if p.is_absolute() => p,
        // git runs hooks from the top of the work tree (the git dir in a bare repository), and a
        // relative core.hooksPath is taken from there.
        Some(p) => repo.workdir().unwrap_or_else(|| repo.path()).join(p),
        None => repo.commondir().join("hooks"),
    })
}

/// Installs the hook into the repository containing `dir`.
pub fn install(dir: &Path) -> anyhow::Result<Installed> {
    let hooks = hooks_dir(dir)?;
    fs::create_dir_all(&hooks)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", hooks.display()))?;
    let hook = hooks.join("pre-commit");
    let local = hooks.join(LOCAL_HOOK);

    let mut chained = false;
    if hook.symlink_metadata().is_ok() {
        let existing = fs::read(&hook).unwrap_or_default();
        let ours = String::from_utf8_lossy(&existing).contains(HOOK_MARKER);
        if ours {
            if existing == HOOK_SCRIPT.as_bytes() && is_executable(&hook) {
                return Ok(Installed::AlreadyInstalled(hook));
            }
        } else {
            if local.symlink_metadata().is_ok() {
                anyhow::bail!(
                    "{} exists and is not hex-migrate's, and {} exists too; not overwriting \
                     either (merge them by hand, then run install-hook again)",
                    hook.display(),
                    local.display()
                );
            }
            fs::rename(&hook, &local).map_err(|e| {
                anyhow::anyhow!("cannot move {} to {}: {e}", hook.display(), local.display())
            })?;
            chained = true;
        }
    }
    write_executable(&hooks, &hook, HOOK_SCRIPT.as_bytes())?;
    Ok(if chained {
        Installed::Chained { hook, local }
    } else {
        Installed::Written(hook)
    })
}

/// Writes a file atomically (temp file in the same directory, then rename), mode 0755.
fn write_executable(dir: &Path, path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".pre-commit.")
        .tempfile_in(dir)
        .map_err(|e| anyhow::anyhow!("cannot write in {}: {e}", dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755))?;
    }
    tmp.persist(path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error))?;
    Ok(())
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        path.exists()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn init() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        git2::Repository::init(dir.path()).unwrap();
        dir
    }

    #[test]
    fn installs_then_is_idempotent() {
        let dir = init();
        let first = install(dir.path()).unwrap();
        let hook = dir.path().join(".git/hooks/pre-commit");
        assert_eq!(first, Installed::Written(hook.clone()));
        assert_eq!(fs::read_to_string(&hook).unwrap(), HOOK_SCRIPT);
        assert!(is_executable(&hook));
        assert_eq!(
            install(dir.path()).unwrap(),
            Installed::AlreadyInstalled(hook)
        );
    }

    #[test]
    fn chains_a_foreign_hook_and_refuses_to_clobber_two() {
        let dir = init();
        let hooks = dir.path().join(".git/hooks");
        fs::create_dir_all(&hooks).unwrap();
        fs::write(hooks.join("pre-commit"), "#!/bin/sh\necho mine\n").unwrap();
        let r = install(dir.path()).unwrap();
        assert!(matches!(r, Installed::Chained { .. }), "{r:?}");
        assert_eq!(
            fs::read_to_string(hooks.join(LOCAL_HOOK)).unwrap(),
            "#!/bin/sh\necho mine\n"
        );
        assert_eq!(
            fs::read_to_string(hooks.join("pre-commit")).unwrap(),
            HOOK_SCRIPT
        );
        // Re-running does not move our own hook onto the chained one.
        assert!(matches!(
            install(dir.path()).unwrap(),
            Installed::AlreadyInstalled(_)
        ));

        fs::write(hooks.join("pre-commit"), "#!/bin/sh\necho other\n").unwrap();
        let err = install(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not overwriting"), "{err}");
        assert_eq!(
            fs::read_to_string(hooks.join("pre-commit")).unwrap(),
            "#!/bin/sh\necho other\n"
        );
    }

    #[test]
    fn upgrades_an_older_version_of_our_hook() {
        let dir = init();
        let hooks = dir.path().join(".git/hooks");
        fs::create_dir_all(&hooks).unwrap();
        fs::write(
            hooks.join("pre-commit"),
            format!("#!/bin/sh\n# {HOOK_MARKER} (old)\n"),
        )
        .unwrap();
        assert!(matches!(
            install(dir.path()).unwrap(),
            Installed::Written(_)
        ));
        assert!(!hooks.join(LOCAL_HOOK).exists());
    }

    #[test]
    fn honours_core_hooks_path() {
        let dir = init();
        let repo = git2::Repository::open(dir.path()).unwrap();
        repo.config()
            .unwrap()
            .set_str("core.hooksPath", ".githooks")
            .unwrap();
        let sub = dir.path().join("sub");
        fs::create_dir_all(&sub).unwrap();
        let r = install(&sub).unwrap();
        let expected = dir.path().join(".githooks/pre-commit");
        assert_eq!(
            r,
            Installed::Written(repo.workdir().unwrap().join(".githooks").join("pre-commit"))
        );
        assert!(expected.exists());
    }
}
