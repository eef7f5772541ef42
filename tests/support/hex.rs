//! Test support shared by the integration tests (included with `#[path = "support/hex.rs"]`):
//! the shared reference directory, Hex notebooks built from cells, real git repositories in temp
//! dirs, and the binary under test.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const REDSHIFT: &str = "11111111-1111-4111-8111-111111111111";
pub const DATABRICKS: &str = "22222222-2222-4222-8222-222222222222";

/// Where a SQL cell runs.
#[derive(Clone, Copy, Debug)]
pub enum Conn {
    Redshift,
    Databricks,
    /// Dataframe SQL (DuckDB over dataframes): never translated, never blocks.
    Dataframe,
}

#[derive(Clone, Debug)]
pub struct Cell {
    pub id: String,
    pub sql: String,
    pub conn: Conn,
}

pub fn cell(id: &str, sql: &str, conn: Conn) -> Cell {
    Cell {
        id: id.to_string(),
        sql: sql.to_string(),
        conn,
    }
}

/// A Hex export (schemaVersion 3) with the given SQL cells, shaped like the real exports
/// (Hex's `# DO NOT CHANGE` comments, connection comments naming the warehouse type).
pub fn notebook(title: &str, cells: &[Cell]) -> String {
    let mut s = format!(
        "schemaVersion: 3
meta:
  sourceVersionId: 0199e1f2-a680-7b1d-b23e-53cdb7634082 # DO NOT CHANGE - Hex uses this to match up project versions when reimporting the file
  description: null
  projectId: 0199e1f2-c5f2-7450-a30c-893acef023d2 # DO NOT CHANGE - Unique ID of the project from which this file was generated
  title: {title}
  timezone: null
  appTheme: SYS_PREF
  codeLanguage: PYTHON
  status: null
  categories: []
  castDecimalsDefault: true
  hexType: PROJECT
projectAssets:
  dataConnections: []
  envVars: []
  secrets: []
sharedAssets:
  secrets: []
  vcsPackages: []
  dataConnections:
    - dataConnectionId: {REDSHIFT} # Redshift (redshift)
    - dataConnectionId: {DATABRICKS} # Databricks SQL (databricks)
  externalFileIntegrations: []
cells:
"
    );
    for (i, c) in cells.iter().enumerate() {
        let (dataframe, conn) = match c.conn {
            Conn::Redshift => ("false", REDSHIFT),
            Conn::Databricks => ("false", DATABRICKS),
            Conn::Dataframe => ("true", "null"),
        };
        s.push_str(&format!(
            "  - cellType: SQL
    cellId: {} # DO NOT CHANGE - Hex uses this to match up cells when reimporting the file, and detect any changes to existing cells
    cellLabel: Cell {i}
    config:
      source: |-
",
            c.id
        ));
        for line in c.sql.lines() {
            if line.is_empty() {
                s.push('\n');
            } else {
                s.push_str(&format!("        {line}\n"));
            }
        }
        s.push_str(&format!(
            "      dataFrameCell: {dataframe}
      dataConnectionId: {conn}
      resultVariableName: result_{i}
      useRichDisplay: true
      sqlCellOutputType: PANDAS
"
        ));
    }
    s.push_str("appLayout:\n  visibleMetadataFields: []\n  fullWidth: false\n  tabs: []\nsharedFilters: []\n");
    s
}

/// 1-based (line, column) of the first occurrence of `needle` in `text`.
pub fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..at].chars().count() + 1)
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_hex-migrate"))
}

/// Runs the binary under test in `cwd`: (exit code, or -1 when killed by a signal; stdout;
/// stderr).
pub fn run_in<I, S>(cwd: &Path, args: I) -> (i32, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run hex-migrate");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `../shared` (or `../../shared` from a worktree) beside the repository, or
/// `$HEX_MIGRATE_SHARED`.
pub fn shared() -> Option<PathBuf> {
    shared_with(".")
}

/// Like [`shared`], but a candidate only counts when it holds the directory `sub` (the tests on
/// the real export look for `real-world`); `$HEX_MIGRATE_SHARED` is taken as given.
pub fn shared_with(sub: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("HEX_MIGRATE_SHARED") {
        return Some(PathBuf::from(p));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    ["../shared", "../../shared"]
        .iter()
        .map(|p| root.join(p))
        .find(|p| p.join(sub).is_dir())
}

/// Whether a missing external tool fails the test instead of skipping it.
pub fn tools_required() -> bool {
    std::env::var("HEX_MIGRATE_REQUIRE_TOOLS").as_deref() == Ok("1")
}

pub fn out_text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A git repository in a temp dir, driven with the real git CLI.
pub struct Repo {
    pub dir: tempfile::TempDir,
}

impl Repo {
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().expect("tempdir");
        let r = Repo { dir };
        r.git_ok(&["init", "-q", "-b", "main"]);
        r.git_ok(&["config", "user.name", "Test"]);
        r.git_ok(&["config", "user.email", "test@example.com"]);
        r.git_ok(&["config", "commit.gpgsign", "false"]);
        r
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs git in the repository with the binary under test available to hooks.
    pub fn git(&self, args: &[&str]) -> Output {
        Command::new("git")
            .args(args)
            .current_dir(self.path())
            .env("HEX_MIGRATE_BIN", bin())
            .env_remove("HEX_MIGRATE_FORMAT")
            .env_remove("PRE_COMMIT_FROM_REF")
            .env_remove("PRE_COMMIT_TO_REF")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.path())
            .output()
            .expect("git runs")
    }

    pub fn git_ok(&self, args: &[&str]) -> String {
        let o = self.git(args);
        assert!(o.status.success(), "git {args:?} failed:\n{}", out_text(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(p, text).unwrap();
    }

    pub fn head(&self) -> Option<String> {
        let o = self.git(&["rev-parse", "-q", "--verify", "HEAD"]);
        o.status
            .success()
            .then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
    }

    /// Runs the binary under test in the repository.
    pub fn hex(&self, args: &[&str]) -> Output {
        self.hex_env(args, &[])
    }

    pub fn hex_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = Command::new(bin());
        c.args(args)
            .current_dir(self.path())
            .env_remove("HEX_MIGRATE_FORMAT")
            .env_remove("PRE_COMMIT_FROM_REF")
            .env_remove("PRE_COMMIT_TO_REF")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE");
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().expect("binary runs")
    }
}
