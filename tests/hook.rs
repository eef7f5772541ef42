//! The plain git hook, end to end: real repositories in temp dirs, the real `git` binary
//! committing through the hook that `hex-migrate install-hook` installs.

#[path = "support/hex.rs"]
mod support;

use support::*;

const CLEAN: &str = "select user_id, count(*) as n\nfrom events\ngroup by 1";
const REDSHIFT_SQL: &str = "select user_id, getdate() as seen_at\nfrom events";

fn installed_repo() -> Repo {
    let repo = Repo::new();
    let o = repo.hex(&["install-hook", "--repo", repo.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", out_text(&o));
    repo
}

fn commit(repo: &Repo, args: &[&str]) -> std::process::Output {
    let mut full = vec!["commit", "-q", "-m", "change"];
    full.extend_from_slice(args);
    repo.git(&full)
}

/// What the index holds (mode, blob id, stage, path of every entry). git itself rewrites the
/// index file's cache-tree extension before it runs the hook, so a rejected commit is compared
/// by content; `check_never_writes_the_index` compares the file's bytes around our own run.
fn index_entries(repo: &Repo) -> String {
    repo.git_ok(&["ls-files", "-s", "--debug"])
}

/// Running the check directly leaves the index file byte-identical (and unlocked).
#[test]
fn check_never_writes_the_index() {
    let repo = Repo::new();
    repo.write(
        "a.yaml",
        &notebook("A", &[cell("c1", CLEAN, Conn::Redshift)]),
    );
    repo.git_ok(&["add", "."]);
    repo.git_ok(&["commit", "-q", "-m", "base"]);
    repo.write(
        "a.yaml",
        &notebook("A", &[cell("c1", REDSHIFT_SQL, Conn::Redshift)]),
    );
    repo.git_ok(&["add", "."]);
    // Make the on-disk stat data stale so a library that "refreshes" the index would rewrite it.
    repo.write(
        "a.yaml",
        &notebook("A", &[cell("c1", CLEAN, Conn::Redshift)]),
    );
    let index = repo.path().join(".git/index");
    let before = std::fs::read(&index).unwrap();
    let o = repo.hex(&["check", "--staged"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the staged version is checked: {}",
        out_text(&o)
    );
    assert_eq!(std::fs::read(&index).unwrap(), before);
    assert!(!repo.path().join(".git/index.lock").exists());
}

/// A commit whose notebook adds Redshift syntax is rejected, with the location and the fix.
#[test]
fn commit_adding_redshift_sql_is_rejected_with_location_and_fix() {
    let repo = installed_repo();
    let base = notebook("Usage", &[cell("c1", CLEAN, Conn::Redshift)]);
    repo.write("nb/usage.yaml", &base);
    repo.git_ok(&["add", "."]);
    let o = commit(&repo, &[]);
    assert!(
        o.status.success(),
        "clean first commit passes:\n{}",
        out_text(&o)
    );
    let head = repo.head().unwrap();

    let changed = notebook(
        "Usage",
        &[
            cell("c1", CLEAN, Conn::Redshift),
            cell("c2", REDSHIFT_SQL, Conn::Redshift),
        ],
    );
    repo.write("nb/usage.yaml", &changed);
    repo.git_ok(&["add", "."]);
    let before = index_entries(&repo);
    let o = commit(&repo, &[]);
    let text = out_text(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    let (line, col) = position(&changed, "getdate()");
    assert!(
        text.contains(&format!("nb/usage.yaml:{line}:{col}: RS")),
        "location of the finding in the YAML file expected:\n{text}"
    );
    assert!(
        text.to_lowercase().contains("current_timestamp"),
        "the Databricks form is shown:\n{text}"
    );
    assert_eq!(repo.head().unwrap(), head, "no commit was made");
    assert_eq!(
        index_entries(&repo),
        before,
        "the hook never writes the index"
    );
}

/// Editing a notebook that already had Redshift syntax, without adding any, passes.
#[test]
fn touching_a_notebook_with_old_redshift_sql_passes() {
    let repo = installed_repo();
    let base = notebook("Usage", &[cell("c1", REDSHIFT_SQL, Conn::Redshift)]);
    repo.write("usage.yaml", &base);
    repo.git_ok(&["add", "."]);
    repo.git_ok(&["commit", "-q", "--no-verify", "-m", "legacy"]);

    // Reformat the old cell (same findings) and add a clean cell.
    let edited = notebook(
        "Usage",
        &[
            cell("c1", &REDSHIFT_SQL.to_uppercase(), Conn::Redshift),
            cell("c2", CLEAN, Conn::Redshift),
        ],
    );
    repo.write("usage.yaml", &edited);
    repo.git_ok(&["add", "."]);
    let o = commit(&repo, &[]);
    assert!(o.status.success(), "{}", out_text(&o));

    // The check itself says the old finding is there but not new.
    let o = repo.hex(&["check", "--from-ref", "HEAD~1", "--to-ref", "HEAD"]);
    let text = out_text(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.contains("1 finding was already there"), "{text}");
}

/// The first commit of a repository (unborn HEAD): everything staged is new.
#[test]
fn first_commit_is_checked_against_nothing() {
    let repo = installed_repo();
    repo.write(
        "a.yaml",
        &notebook("A", &[cell("c1", REDSHIFT_SQL, Conn::Redshift)]),
    );
    repo.git_ok(&["add", "."]);
    let o = commit(&repo, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", out_text(&o));
    assert!(repo.head().is_none());
}

/// `git commit -a` and `git commit <path>` run the hook with a temporary GIT_INDEX_FILE.
#[test]
fn commit_all_and_commit_path_read_the_temporary_index() {
    let repo = installed_repo();
    repo.write(
        "a.yaml",
        &notebook("A", &[cell("c1", CLEAN, Conn::Redshift)]),
    );
    repo.write(
        "b.yaml",
        &notebook("B", &[cell("c1", CLEAN, Conn::Redshift)]),
    );
    repo.git_ok(&["add", "."]);
    assert!(commit(&repo, &[]).status.success());

    // Not staged with `git add`: only `-a` puts it in the (temporary) index.
    repo.write(
        "a.yaml",
        &notebook("A", &[cell("c1", REDSHIFT_SQL, Conn::Redshift)]),
    );
    let before = index_entries(&repo);
    let o = commit(&repo, &["-a"]);
    assert_eq!(o.status.code(), Some(1), "commit -a: {}", out_text(&o));
    assert!(out_text(&o).contains("a.yaml:"), "{}", out_text(&o));
    assert_eq!(
        index_entries(&repo),
        before,
        "index unchanged after a rejected commit -a"
    );

    let o = commit(&repo, &["a.yaml"]);
    assert_eq!(o.status.code(), Some(1), "commit <path>: {}", out_text(&o));

    // A clean change to the other file passes both ways; the dirty a.yaml is not part of it.
    repo.write(
        "b.yaml",
        &notebook("B", &[cell("c1", "select 2", Conn::Redshift)]),
    );
    let o = commit(&repo, &["b.yaml"]);
    assert!(o.status.success(), "commit <path>: {}", out_text(&o));
    repo.write(
        "a.yaml",
        &notebook("A", &[cell("c1", "select 3", Conn::Redshift)]),
    );
    let o = commit(&repo, &["-a"]);
    assert!(o.status.success(), "commit -a: {}", out_text(&o));
}

/// `--amend`: the hook compares with the commit being amended.
#[test]
fn amend_is_checked_for_what_it_adds() {
    let repo = installed_repo();
    repo.write(
        "a.yaml",
        &notebook("A", &[cell("c1", CLEAN, Conn::Redshift)]),
    );
    repo.git_ok(&["add", "."]);
    assert!(commit(&repo, &[]).status.success());
    let o = repo.git(&["commit", "-q", "--amend", "-m", "reworded"]);
    assert!(o.status.success(), "{}", out_text(&o));

    repo.write(
        "a.yaml",
        &notebook("A", &[cell("c1", REDSHIFT_SQL, Conn::Redshift)]),
    );
    repo.git_ok(&["add", "."]);
    let o = repo.git(&["commit", "-q", "--amend", "--no-edit"]);
    assert_eq!(o.status.code(), Some(1), "{}", out_text(&o));
}

/// A merge commit is not blamed for what either side already had; a resolution that adds
/// Redshift syntax is.
#[test]
fn merge_commit_blames_only_what_the_merge_adds() {
    let repo = installed_repo();
    repo.write(
        "a.yaml",
        &notebook("A", &[cell("c1", CLEAN, Conn::Redshift)]),
    );
    repo.write(
        "b.yaml",
        &notebook("B", &[cell("c1", CLEAN, Conn::Redshift)]),
    );
    repo.git_ok(&["add", "."]);
    assert!(commit(&repo, &[]).status.success());

    repo.git_ok(&["checkout", "-q", "-b", "feature"]);
    repo.write(
        "a.yaml",
        &notebook("A", &[cell("c1", REDSHIFT_SQL, Conn::Redshift)]),
    );
    repo.git_ok(&[
        "commit",
        "-q",
        "-a",
        "--no-verify",
        "-m",
        "legacy on feature",
    ]);
    repo.git_ok(&["checkout", "-q", "main"]);
    repo.write(
        "b.yaml",
        &notebook("B", &[cell("c1", "select 2", Conn::Redshift)]),
    );
    assert!(commit(&repo, &["-a"]).status.success());

    repo.git_ok(&["merge", "-q", "--no-ff", "--no-commit", "feature"]);
    let o = repo.git(&["commit", "-q", "--no-edit"]);
    assert!(o.status.success(), "merge commit: {}", out_text(&o));

    // A merge whose resolution adds new Redshift SQL is blocked.
    repo.git_ok(&["checkout", "-q", "-b", "feature2", "HEAD~1"]);
    repo.write(
        "b.yaml",
        &notebook("B", &[cell("c1", "select 4", Conn::Redshift)]),
    );
    repo.git_ok(&["commit", "-q", "-a", "--no-verify", "-m", "b on feature2"]);
    repo.git_ok(&["checkout", "-q", "main"]);
    let _ = repo.git(&["merge", "-q", "--no-commit", "feature2"]);
    repo.write(
        "b.yaml",
        &notebook("B", &[cell("c1", "select getdate()", Conn::Redshift)]),
    );
    repo.git_ok(&["add", "b.yaml"]);
    let o = repo.git(&["commit", "-q", "--no-edit"]);
    assert_eq!(o.status.code(), Some(1), "{}", out_text(&o));
}

/// Dataframe SQL (DuckDB) is never translated and never blocks.
#[test]
fn dataframe_sql_never_blocks() {
    let repo = installed_repo();
    repo.write(
        "a.yaml",
        &notebook(
            "A",
            &[cell(
                "c1",
                "select getdate() from result_0",
                Conn::Dataframe,
            )],
        ),
    );
    repo.git_ok(&["add", "."]);
    let o = commit(&repo, &[]);
    assert!(o.status.success(), "{}", out_text(&o));
}

/// Bad input in a staged file: file and line, exit 2, index untouched; other files still
/// checked.
#[test]
fn bad_staged_input_is_reported_with_file_and_line() {
    let repo = installed_repo();
    repo.write(
        "ok.yaml",
        &notebook("Ok", &[cell("c1", CLEAN, Conn::Redshift)]),
    );
    repo.git_ok(&["add", "."]);
    assert!(commit(&repo, &[]).status.success());

    let mut broken = notebook("Broken", &[cell("c1", CLEAN, Conn::Redshift)]);
    broken = broken.replace("  title: Broken\n", "  title: [unclosed\n");
    repo.write("broken.yaml", &broken);
    repo.write(
        "ok.yaml",
        &notebook("Ok", &[cell("c1", REDSHIFT_SQL, Conn::Redshift)]),
    );
    repo.git_ok(&["add", "."]);
    let before = index_entries(&repo);
    let o = repo.hex(&["check", "--staged"]);
    let text = out_text(&o);
    assert_eq!(o.status.code(), Some(2), "{text}");
    assert!(text.contains("broken.yaml:"), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("broken.yaml:")
            && l.split(':')
                .nth(1)
                .is_some_and(|n| n.parse::<usize>().is_ok())),
        "file and line: {text}"
    );
    assert!(
        text.contains("ok.yaml:"),
        "the other file is still checked: {text}"
    );
    // git reports any hook failure as exit 1; the commit is refused with the same report.
    let head = repo.head();
    let o = commit(&repo, &[]);
    assert!(!o.status.success(), "{}", out_text(&o));
    assert!(out_text(&o).contains("broken.yaml:"), "{}", out_text(&o));
    assert_eq!(repo.head(), head);
    assert_eq!(index_entries(&repo), before, "index entries unchanged");
}

/// SQL the parser rejects in a staged cell: file and line, exit 2, commit refused.
#[test]
fn unparsable_staged_sql_is_an_input_error() {
    let repo = installed_repo();
    repo.write(
        "a.yaml",
        &notebook("A", &[cell("c1", "select from where (((", Conn::Redshift)]),
    );
    repo.git_ok(&["add", "."]);
    let before = index_entries(&repo);
    let o = repo.hex(&["check", "--staged"]);
    let text = out_text(&o);
    assert_eq!(o.status.code(), Some(2), "{text}");
    let nb = notebook("A", &[cell("c1", "select from where (((", Conn::Redshift)]);
    let (line, col) = position(&nb, "select from");
    assert!(
        text.contains(&format!("a.yaml:{line}:{col}: error: RS901")),
        "{text}"
    );
    let o = commit(&repo, &[]);
    assert!(!o.status.success(), "{}", out_text(&o));
    assert!(repo.head().is_none());
    assert_eq!(index_entries(&repo), before);
}

/// An existing hook is chained (runs first, its failure blocks), and the hook fails loudly when
/// the binary is missing.
#[test]
fn chained_hook_runs_first_and_missing_binary_fails() {
    let repo = Repo::new();
    let hooks = repo.path().join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    let old = hooks.join("pre-commit");
    std::fs::write(
        &old,
        "#!/bin/sh\necho old-hook-ran >&2\n[ ! -e block-me ]\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let o = repo.hex(&["install-hook", "--repo", repo.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", out_text(&o));
    assert!(out_text(&o).contains("pre-commit.local"));

    repo.write(
        "a.yaml",
        &notebook("A", &[cell("c1", CLEAN, Conn::Redshift)]),
    );
    repo.git_ok(&["add", "a.yaml"]);
    let o = commit(&repo, &[]);
    assert!(o.status.success(), "{}", out_text(&o));
    assert!(out_text(&o).contains("old-hook-ran"), "{}", out_text(&o));

    repo.write("block-me", "");
    repo.git_ok(&["add", "block-me"]);
    let o = commit(&repo, &[]);
    assert!(!o.status.success(), "the chained hook's failure blocks");

    repo.git_ok(&["rm", "-q", "--cached", "block-me"]);
    std::fs::remove_file(repo.path().join("block-me")).unwrap();
    repo.write(
        "a.yaml",
        &notebook("A", &[cell("c1", "select 5", Conn::Redshift)]),
    );
    repo.git_ok(&["add", "a.yaml"]);
    let o = std::process::Command::new("git")
        .args(["commit", "-q", "-m", "x"])
        .current_dir(repo.path())
        .env("HEX_MIGRATE_BIN", "/nonexistent/hex-migrate")
        .env("HOME", repo.path())
        .output()
        .unwrap();
    assert!(
        !o.status.success(),
        "a missing binary never passes silently"
    );
    assert!(out_text(&o).contains("not found"), "{}", out_text(&o));
}
