//! The GitHub Action (`action.yml`), run the way a runner runs it: `bash scripts/action/*.sh` with
//! the runner's environment (`GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, `GITHUB_WORKSPACE`,
//! `GITHUB_EVENT_PATH` with a real event payload, `GITHUB_ACTION_PATH`, …) against real git
//! repositories, with the binary built by cargo handed over the way the action's install step hands
//! it (so nothing is downloaded or compiled here).
//!
//! Needs `bash`, `git`, `jq` (and `curl`, `tar` for the release-install test): skipped with a
//! notice when one is missing, unless `HEX_MIGRATE_REQUIRE_TOOLS=1`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_hex-migrate");

fn action_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// True when every tool runs; otherwise prints a notice (or panics under
/// `HEX_MIGRATE_REQUIRE_TOOLS=1`).
fn tools(names: &[&str]) -> bool {
    for name in names {
        let ok = Command::new(name)
            .arg("--version")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok {
            if std::env::var("HEX_MIGRATE_REQUIRE_TOOLS").as_deref() == Ok("1") {
                panic!("{name} is required (HEX_MIGRATE_REQUIRE_TOOLS=1) but not found");
            }
            eprintln!("skipping: {name} not found");
            return false;
        }
    }
    true
}

// ------------------------------------------------------------------------------------------------
// A fake runner

/// One job's worth of runner state: temp dir, home (git identity), and the files a step writes to.
struct Runner {
    dir: TempDir,
}

struct StepResult {
    code: i32,
    stdout: String,
    stderr: String,
    outputs: HashMap<String, String>,
    summary: String,
}

impl Runner {
    fn new() -> Runner {
        let dir = TempDir::new().unwrap();
        for d in ["home", "runner-temp", "tool-cache"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        std::fs::write(
            dir.path().join("home/.gitconfig"),
            "[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n\
             [protocol \"file\"]\n\tallow = always\n",
        )
        .unwrap();
        Runner { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The environment every step gets, like a GitHub-hosted runner: nothing inherited from the
    /// developer's shell except PATH (no stray GITHUB_TOKEN, no global git config).
    fn base_env(&self, cmd: &mut Command) {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path("home"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("LANG", "C.UTF-8")
            .env("CI", "true")
            .env("GITHUB_ACTIONS", "true")
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("RUNNER_TEMP", self.path("runner-temp"))
            .env("RUNNER_TOOL_CACHE", self.path("tool-cache"))
            .env("GITHUB_ACTION_PATH", action_path())
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env("GITHUB_REPOSITORY", "acme/notebooks");
    }

    /// Runs `bash scripts/action/<script> args…` as one step, in `workspace`.
    fn step(
        &self,
        script: &str,
        args: &[&str],
        workspace: &Path,
        env: &[(&str, &str)],
    ) -> StepResult {
        let output = self.path("github_output");
        let summary = self.path("step_summary");
        std::fs::write(&output, "").unwrap();
        std::fs::write(&summary, "").unwrap();
        let mut cmd = Command::new("bash");
        cmd.arg(action_path().join("scripts/action").join(script))
            .args(args);
        self.base_env(&mut cmd);
        cmd.current_dir(workspace)
            .env("GITHUB_WORKSPACE", workspace)
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_STEP_SUMMARY", &summary);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let outputs = parse_github_output(&std::fs::read_to_string(&output).unwrap());
        StepResult {
            code: out.status.code().unwrap_or(-1),
            stdout,
            stderr,
            outputs,
            summary: std::fs::read_to_string(&summary).unwrap(),
        }
    }

    fn git(&self, dir: &Path, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        self.base_env(&mut cmd);
        let out = cmd.args(args).current_dir(dir).output().unwrap();
        assert_success(&out, &format!("git {}", args.join(" ")));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn write_event(&self, name: &str, payload: &serde_json::Value) -> PathBuf {
        let p = self.path(&format!("{name}-event.json"));
        std::fs::write(&p, serde_json::to_vec_pretty(payload).unwrap()).unwrap();
        p
    }
}

fn assert_success(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Parses `$GITHUB_OUTPUT` the way the runner does: `name=value` lines and `name<<DELIM` blocks.
fn parse_github_output(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.is_empty() {
            continue;
        }
        if let Some((name, delim)) = line.split_once("<<") {
            let mut value = Vec::new();
            loop {
                let l = lines
                    .next()
                    .unwrap_or_else(|| panic!("unterminated output {name}"));
                if l == delim {
                    break;
                }
                value.push(l);
            }
            out.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            out.insert(name.to_string(), value.to_string());
        } else {
            panic!("malformed GITHUB_OUTPUT line: {line:?}");
        }
    }
    out
}

// ------------------------------------------------------------------------------------------------
// Workflow-command annotations, validated by the rules the runner applies

#[derive(Debug, Clone)]
struct Annotation {
    level: String,
    file: Option<String>,
    line: Option<u64>,
    message: String,
}

impl Annotation {
    /// Parses one `::error|warning|notice …::…` line; other lines are not annotations.
    fn parse(line: &str) -> Option<Annotation> {
        let rest = line.strip_prefix("::")?;
        let (head, message) = rest.split_once("::")?;
        let (level, props) = head.split_once(' ').unwrap_or((head, ""));
        if !matches!(level, "error" | "warning" | "notice") {
            return None;
        }
        let mut props_map = HashMap::new();
        for p in props.split(',').filter(|p| !p.is_empty()) {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            props_map.insert(k.to_string(), unescape(v));
        }
        Some(Annotation {
            level: level.to_string(),
            file: props_map.get("file").cloned(),
            line: props_map.get("line").and_then(|l| l.parse().ok()),
            message: unescape(message),
        })
    }
}

fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// Every reason GitHub would drop or misread an annotation line (empty = valid). Rules: the
/// actions/toolkit escaping (`%`, CR, LF in messages; also `:` and `,` in properties), known
/// property names, numeric 1-based line/column, `col`/`endColumn` only on single-line ranges,
/// `endLine >= line`, `endColumn >= col`.
fn annotation_problems(line: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(rest) = line.strip_prefix("::") else {
        return vec!["does not start with ::".into()];
    };
    let Some((head, message)) = rest.split_once("::") else {
        return vec!["no :: before the message".into()];
    };
    let (level, props) = head.split_once(' ').unwrap_or((head, ""));
    if !matches!(level, "error" | "warning" | "notice") {
        problems.push(format!("unknown command {level}"));
    }
    let bad_percent = |s: &str, allowed: &[&str]| {
        s.match_indices('%')
            .any(|(i, _)| !allowed.iter().any(|a| s[i..].starts_with(a)))
    };
    if bad_percent(message, &["%25", "%0D", "%0A"]) {
        problems.push("unescaped % in message".into());
    }
    if message.contains('\r') {
        problems.push("raw CR in message".into());
    }
    let mut nums: HashMap<&str, u64> = HashMap::new();
    for p in props.split(',').filter(|p| !p.is_empty()) {
        let Some((k, v)) = p.split_once('=') else {
            problems.push(format!("property without '=': {p:?}"));
            continue;
        };
        if !matches!(
            k,
            "title" | "file" | "line" | "endLine" | "col" | "endColumn"
        ) {
            problems.push(format!("unknown property {k}"));
        }
        if v.contains(':') {
            problems.push(format!("unescaped ':' in {k}"));
        }
        if bad_percent(v, &["%25", "%0D", "%0A", "%3A", "%2C"]) {
            problems.push(format!("unescaped % in {k}"));
        }
        if matches!(k, "line" | "endLine" | "col" | "endColumn") {
            match v.parse::<u64>() {
                Ok(n) if n >= 1 => {
                    nums.insert(k, n);
                }
                _ => problems.push(format!("{k}={v:?} is not a positive integer")),
            }
        }
    }
    if let (Some(l), Some(el)) = (nums.get("line"), nums.get("endLine")) {
        if el < l {
            problems.push("endLine < line".into());
        }
        if el != l && (nums.contains_key("col") || nums.contains_key("endColumn")) {
            problems.push("col/endColumn on a multi-line range".into());
        }
    }
    if let (Some(c), Some(ec)) = (nums.get("col"), nums.get("endColumn")) {
        if ec < c {
            problems.push("endColumn < col".into());
        }
    }
    if (nums.contains_key("col") || nums.contains_key("endColumn")) && !nums.contains_key("line") {
        problems.push("col without line".into());
    }
    problems
}

/// Asserts every annotation line is valid and the per-step caps hold (10 per level, 50 in all).
fn assert_valid_annotations(stdout: &str) {
    let mut per_level: HashMap<String, usize> = HashMap::new();
    for line in stdout.lines() {
        if Annotation::parse(line).is_none() {
            continue;
        }
        let problems = annotation_problems(line);
        assert!(
            problems.is_empty(),
            "invalid annotation {line:?}: {problems:?}"
        );
        *per_level
            .entry(line[2..].split([' ', ':']).next().unwrap().to_string())
            .or_default() += 1;
    }
    for (level, n) in &per_level {
        assert!(
            *n <= 10,
            "{n} {level} annotations in one step (GitHub shows 10)"
        );
    }
    assert!(per_level.values().sum::<usize>() <= 50);
}

#[test]
fn annotation_validator_rejects_what_github_drops() {
    let ok = "::error title=hex-migrate RS101,file=nb/a%2Cb%3A c.hex.yaml,line=3,endLine=3,col=5,endColumn=9::x 100%25%0Ay";
    assert_eq!(annotation_problems(ok), Vec::<String>::new());
    for ok in [
        "::warning file=a.yaml,line=2,endLine=4::ok",
        "::error::no properties",
    ] {
        assert_eq!(annotation_problems(ok), Vec::<String>::new(), "{ok}");
    }
    for bad in [
        "::error file=a.yaml,line=2,endLine=4,col=1,endColumn=3::multi-line with columns",
        "::error file=a.yaml,line=2,col=9,endColumn=3::endColumn before col",
        "::error file=a:b.yaml,line=2::raw colon in a property",
        "::error file=a.yaml,line=0::line 0",
        "::error file=a.yaml,line=2::100% unescaped",
        "::error file=a.yaml,line=5,endLine=4::endLine before line",
        "::error fil=a.yaml::unknown property",
    ] {
        assert!(!annotation_problems(bad).is_empty(), "accepted {bad:?}");
    }
    let a = Annotation::parse("::notice file=x%2Cy.yaml,line=7::a%0Ab").unwrap();
    assert_eq!(
        (
            a.level.as_str(),
            a.file.as_deref(),
            a.line,
            a.message.as_str()
        ),
        ("notice", Some("x,y.yaml"), Some(7), "a\nb")
    );
}

#[test]
fn github_output_parser_reads_both_forms() {
    let o = parse_github_output("a=1\nb<<EOF_x\nline1\nline2\nEOF_x\nc=\n");
    assert_eq!(o["a"], "1");
    assert_eq!(o["b"], "line1\nline2");
    assert_eq!(o["c"], "");
}

// ------------------------------------------------------------------------------------------------
// Installing the binary

/// Builds a release archive of the real binary and a manifest pointing at it (a file:// URL).
fn release_fixture(runner: &Runner, sha_override: Option<&str>) -> PathBuf {
    let stage = runner.path("stage/hex-migrate-v0-x86_64-unknown-linux-musl");
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::copy(BIN, stage.join("hex-migrate")).unwrap();
    let archive = runner.path("hex-migrate-x86_64-unknown-linux-musl.tar.gz");
    let out = Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(runner.path("stage"))
        .arg("hex-migrate-v0-x86_64-unknown-linux-musl")
        .output()
        .unwrap();
    assert_success(&out, "tar");
    let sha = match sha_override {
        Some(s) => s.to_string(),
        None => sha256_hex(&std::fs::read(&archive).unwrap()),
    };
    let version = env!("CARGO_PKG_VERSION");
    let manifest = runner.path("releases.tsv");
    std::fs::write(
        &manifest,
        format!(
            "# version\ttarget\tsha256\turl\n{version}\tx86_64-unknown-linux-musl\t{sha}\tfile://{}\n",
            archive.display()
        ),
    )
    .unwrap();
    manifest
}

fn sha256_hex(bytes: &[u8]) -> String {
    // sha256sum is what install.sh uses on Linux; computing it the same way keeps the test honest
    // about the format (lower-case hex) without adding a hashing crate.
    let mut child = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

#[test]
fn install_uses_a_release_only_when_its_checksum_matches() {
    if !tools(&["bash", "curl", "tar", "sha256sum", "jq"]) {
        return;
    }
    let runner = Runner::new();
    let ws = runner.path("home");
    let manifest = release_fixture(&runner, None);
    let manifest_s = manifest.to_str().unwrap();

    let r = runner.step(
        "install.sh",
        &["resolve"],
        &ws,
        &[("HEX_MIGRATE_RELEASES", manifest_s)],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.outputs["method"], "release");
    assert_eq!(r.outputs["version"], env!("CARGO_PKG_VERSION"));
    let bin = PathBuf::from(&r.outputs["bin"]);
    assert!(bin.starts_with(runner.path("tool-cache")), "{bin:?}");
    let v = Command::new(&bin).arg("--version").output().unwrap();
    assert_success(&v, "installed binary");

    // Same manifest, but the archive does not match the pinned checksum: refuse to run it.
    let runner2 = Runner::new();
    let tampered = release_fixture(&runner2, Some(&"0".repeat(64)));
    let r = runner2.step(
        "install.sh",
        &["resolve"],
        &ws,
        &[("HEX_MIGRATE_RELEASES", tampered.to_str().unwrap())],
    );
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("::error::") && r.stdout.contains("checksum mismatch"),
        "{}",
        r.stdout
    );
    assert!(!r.outputs.contains_key("bin"));
    assert!(!runner2
        .path("tool-cache/hex-migrate")
        .join(env!("CARGO_PKG_VERSION"))
        .join("x86_64-unknown-linux-musl/release/bin/hex-migrate")
        .exists());

    // `install: release` without a listed release fails instead of silently building.
    let empty = runner.path("empty.tsv");
    std::fs::write(&empty, "# nothing released\n").unwrap();
    let r = runner.step(
        "install.sh",
        &["resolve"],
        &ws,
        &[
            ("HEX_MIGRATE_RELEASES", empty.to_str().unwrap()),
            ("INPUT_INSTALL", "release"),
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("no prebuilt hex-migrate"), "{}", r.stdout);
}

#[test]
fn install_falls_back_to_a_cached_cargo_build_keyed_on_the_sources() {
    if !tools(&["bash", "sha256sum"]) {
        return;
    }
    let runner = Runner::new();
    let ws = runner.path("home");
    let empty = runner.path("empty.tsv");
    std::fs::write(&empty, "").unwrap();
    let env = [("HEX_MIGRATE_RELEASES", empty.to_str().unwrap())];
    let r = runner.step("install.sh", &["resolve"], &ws, &env);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.outputs["method"], "cargo");
    assert!(!r.outputs.contains_key("bin"));
    let key = &r.outputs["cache-key"];
    assert!(key.starts_with(&r.outputs["cache-restore-prefix"]));
    assert!(key.starts_with("hex-migrate-cargo-v1-Linux-X64-"), "{key}");
    // Deterministic: the same sources give the same key.
    let again = runner.step("install.sh", &["resolve"], &ws, &env);
    assert_eq!(&again.outputs["cache-key"], key);

    // The cargo step with the cache restored (the binary already in install-root) builds nothing.
    let root = PathBuf::from(&r.outputs["install-root"]);
    std::fs::create_dir_all(root.join("bin")).unwrap();
    std::fs::copy(BIN, root.join("bin/hex-migrate")).unwrap();
    let r = runner.step(
        "install.sh",
        &["cargo"],
        &ws,
        &[
            ("INSTALL_ROOT", root.to_str().unwrap()),
            ("PATH", "/usr/bin:/bin"),
        ],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Restored from cache"), "{}", r.stdout);
    assert_eq!(
        PathBuf::from(&r.outputs["bin"]),
        root.join("bin/hex-migrate")
    );

    // Asking for a version that is neither released nor the action's source is an error.
    let r = runner.step(
        "install.sh",
        &["resolve"],
        &ws,
        &[env[0], ("INPUT_VERSION", "99.0.0")],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.contains("pin the action to the v99.0.0 tag"),
        "{}",
        r.stdout
    );
}

#[test]
fn install_takes_a_given_binary_and_checks_its_version() {
    if !tools(&["bash"]) {
        return;
    }
    let runner = Runner::new();
    let ws = runner.path("home");
    let r = runner.step("install.sh", &["resolve"], &ws, &[("INPUT_BINARY", BIN)]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.outputs["method"], "binary");
    assert_eq!(r.outputs["bin"], BIN);
    let r = runner.step(
        "install.sh",
        &["resolve"],
        &ws,
        &[("INPUT_BINARY", BIN), ("INPUT_VERSION", "0.0.0-other")],
    );
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("expected 0.0.0-other"), "{}", r.stdout);
}

// ------------------------------------------------------------------------------------------------
// A pull request in a real repository

const REDSHIFT_CONN: &str = "0199e1f6-b3a8-7ce8-8084-8bada399a1bb";

/// A Hex notebook whose SQL cells (id, SQL) run on a Redshift connection.
fn notebook(cells: &[(&str, &str)]) -> String {
    let mut s = format!(
        "schemaVersion: 3\nmeta:\n  projectId: 0199e1f6-7cac-74fe-91d0-26bfc2842ea8 # DO NOT CHANGE\n  \
         title: Action test\nprojectAssets:\n  dataConnections: []\nsharedAssets:\n  \
         dataConnections:\n    - dataConnectionId: {REDSHIFT_CONN} # Redshift Prod (redshift)\ncells:\n"
    );
    for (id, sql) in cells {
        s.push_str(&format!(
            "  - cellType: SQL\n    cellId: {id} # DO NOT CHANGE\n    cellLabel: null\n    config:\n      source: |-\n"
        ));
        for line in sql.lines() {
            s.push_str(&format!("        {line}\n"));
        }
        s.push_str(&format!(
            "      dataFrameCell: false\n      dataConnectionId: {REDSHIFT_CONN}\n      \
             resultVariableName: result_{}\n",
            id.replace('-', "_")
        ));
    }
    s
}

struct PullRequest {
    workspace: PathBuf,
    base: String,
    head: String,
    event: PathBuf,
}

/// origin (bare) with `main` (`base_files`, then one more commit on main after the branch point)
/// and a pull request branch (`head_files` on top of the branch point), GitHub's
/// `refs/pull/1/merge`, and a workspace checked out the way actions/checkout does by default: a
/// shallow (depth 1) fetch of the merge ref, detached. Returns the event payload's base/head SHAs.
fn pull_request(
    runner: &Runner,
    base_files: &[(&str, String)],
    head_files: &[(&str, String)],
) -> PullRequest {
    let origin = runner.path("origin.git");
    let seed = runner.path("seed");
    let ws = runner.path("workspace");
    let root = runner.path("");
    runner.git(&root, &["init", "-q", "--bare", origin.to_str().unwrap()]);
    runner.git(&root, &["init", "-q", seed.to_str().unwrap()]);
    let write = |files: &[(&str, String)]| {
        for (p, text) in files {
            let p = seed.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
    };
    write(base_files);
    std::fs::write(seed.join("README.md"), "notebooks\n").unwrap();
    runner.git(&seed, &["add", "-A"]);
    runner.git(&seed, &["commit", "-q", "-m", "base"]);
    runner.git(&seed, &["checkout", "-q", "-b", "feature"]);
    write(head_files);
    runner.git(&seed, &["add", "-A"]);
    runner.git(&seed, &["commit", "-q", "-m", "add notebooks"]);
    let head = runner.git(&seed, &["rev-parse", "HEAD"]);
    // main moves on after the branch point (another notebook, with Redshift SQL of its own: not
    // part of the pull request, so never reported for it).
    runner.git(&seed, &["checkout", "-q", "main"]);
    std::fs::write(
        seed.join("main-only.hex.yaml"),
        notebook(&[(
            "0199e1f8-0000-7000-8000-00000000aaaa",
            "select nvl(a, b), getdate() from t",
        )]),
    )
    .unwrap();
    runner.git(&seed, &["add", "-A"]);
    runner.git(&seed, &["commit", "-q", "-m", "main moves on"]);
    let base = runner.git(&seed, &["rev-parse", "HEAD"]);
    runner.git(
        &seed,
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge pull request #1",
            "feature",
        ],
    );
    let origin_s = origin.to_str().unwrap();
    runner.git(
        &seed,
        &[
            "push",
            "-q",
            origin_s,
            "main~1:refs/heads/main",
            "feature:refs/heads/feature",
            "HEAD:refs/pull/1/merge",
        ],
    );

    // actions/checkout for pull_request: init, fetch --depth=1 the merge ref, checkout detached.
    std::fs::create_dir_all(&ws).unwrap();
    runner.git(&ws, &["init", "-q", "."]);
    runner.git(
        &ws,
        &[
            "remote",
            "add",
            "origin",
            &format!("file://{}", origin.display()),
        ],
    );
    runner.git(
        &ws,
        &[
            "fetch",
            "-q",
            "--no-tags",
            "--depth=1",
            "origin",
            "+refs/pull/1/merge:refs/remotes/pull/1/merge",
        ],
    );
    runner.git(
        &ws,
        &["checkout", "-q", "--detach", "refs/remotes/pull/1/merge"],
    );
    assert_eq!(
        runner.git(&ws, &["rev-parse", "--is-shallow-repository"]),
        "true"
    );

    let event = runner.write_event(
        "pull_request",
        &serde_json::json!({
            "action": "synchronize",
            "number": 1,
            "pull_request": {
                "number": 1,
                // Attacker-controlled fields: the scripts must never evaluate them.
                "title": "$(touch pwned-title) `touch pwned-backtick`",
                "base": { "ref": "main", "sha": base },
                "head": { "ref": "feature$(touch pwned-ref)", "sha": head },
            },
            "repository": { "full_name": "acme/notebooks" },
        }),
    );
    PullRequest {
        workspace: ws,
        base,
        head,
        event,
    }
}

fn pr_env(pr: &PullRequest) -> Vec<(&str, &str)> {
    vec![
        ("GITHUB_EVENT_NAME", "pull_request"),
        ("GITHUB_EVENT_PATH", pr.event.to_str().unwrap()),
        ("GITHUB_SHA", "0000000000000000000000000000000000000000"),
        ("GITHUB_REF", "refs/pull/1/merge"),
    ]
}

/// A stand-in for the CLI that only records how it was called (one line per argument, an empty
/// line between calls) and fails with exit 2: it checks what the entry script passes, not what
/// the CLI does (the tests below run the real binary for that).
fn recorder(runner: &Runner) -> (PathBuf, PathBuf) {
    let log = runner.path("calls.txt");
    let bin = runner.path("record-hex-migrate");
    std::fs::write(
        &bin,
        format!(
            "#!/usr/bin/env bash\n{{ printf '%s\\n' \"$@\"; printf 'GITHUB_TOKEN=%s\\n' \"${{GITHUB_TOKEN-unset}}\"; \
             echo; }} >>'{}'\necho '::error::forged by notebook text' >&2\nexit 2\n",
            log.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    (bin, log)
}

fn recorded_calls(log: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .split("\n\n")
        .filter(|c| !c.trim().is_empty())
        .map(|c| c.lines().map(str::to_string).collect())
        .collect()
}

#[test]
fn check_step_compares_the_event_commits_and_passes_inputs_literally() {
    if !tools(&["bash", "git", "jq"]) {
        return;
    }
    let runner = Runner::new();
    let nb = notebook(&[("0199e1f8-130e-7f3b-8fe0-fae583db3a71", "select getdate()")]);
    let pr = pull_request(&runner, &[], &[("notebooks/a b.hex.yaml", nb)]);
    let ws = &pr.workspace;
    // The shallow checkout has neither the base commit nor the pull request's head commit.
    for sha in [&pr.base, &pr.head] {
        let st = Command::new("git")
            .args(["cat-file", "-e", &format!("{sha}^{{commit}}")])
            .current_dir(ws)
            .status()
            .unwrap();
        assert!(!st.success(), "{sha} should be missing before the step");
    }
    let (bin, log) = recorder(&runner);
    let mut env = pr_env(&pr);
    env.extend([
        ("HEX_MIGRATE_BIN", bin.to_str().unwrap()),
        ("INPUT_MODE", "check"),
        (
            "INPUT_PATHS",
            "notebooks/a b.hex.yaml\n  $(touch pwned-paths)  \n\n*\n",
        ),
        ("INPUT_ARGS", "--all ;touch pwned-args `id` $HOME"),
        ("INPUT_CONFIG", "conf dir/.hex-migrate.yaml"),
        ("INPUT_SARIF_FILE", "out/hex-migrate.sarif"),
    ]);
    let r = runner.step("run.sh", &[], ws, &env);

    // The CLI's exit 2 (could not check) fails the step with 2 and says so in the summary.
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.summary.contains("could not run"),
        "{}\n{}",
        r.summary,
        r.stdout
    );
    assert_valid_annotations(&r.stdout);
    assert!(!r.outputs.contains_key("findings"));
    // The step fetched what the comparison needs: both commits and their merge base.
    runner.git(ws, &["cat-file", "-e", &format!("{}^{{commit}}", pr.base)]);
    runner.git(ws, &["merge-base", &pr.base, &pr.head]);

    let calls = recorded_calls(&log);
    let expect = |format: &str| -> Vec<String> {
        let mut v: Vec<String> = [
            "check",
            "--from-ref",
            &pr.base,
            "--to-ref",
            &pr.head,
            "--config",
            "conf dir/.hex-migrate.yaml",
            "--all",
            ";touch",
            "pwned-args",
            "`id`",
            "$HOME",
            "--format",
            format,
            "--",
            "notebooks/a b.hex.yaml",
            "$(touch pwned-paths)",
            "*",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        v.push("GITHUB_TOKEN=unset".into());
        v
    };
    assert_eq!(
        calls,
        vec![expect("json"), expect("sarif"), expect("github")]
    );
    assert!(
        ws.join("out").is_dir(),
        "the SARIF file's folder is created"
    );

    // Nothing from the payload or the inputs was executed.
    for f in [
        "pwned-title",
        "pwned-backtick",
        "pwned-ref",
        "pwned-paths",
        "pwned-args",
    ] {
        assert!(
            !ws.join(f).exists() && !runner.path(f).exists(),
            "{f} was executed"
        );
    }
    // The CLI's stderr (which can quote notebook text) is replayed with workflow commands off.
    let forged = r
        .stdout
        .find("::error::forged by notebook text")
        .expect("stderr replayed");
    let stop = r.stdout.find("::stop-commands::").expect("stop-commands");
    assert!(stop < forged, "{}", r.stdout);
    let token = r.stdout[stop + "::stop-commands::".len()..]
        .lines()
        .next()
        .unwrap();
    assert!(token.len() >= 32);
    assert!(r.stdout[forged..].contains(&format!("::{token}::")));
}

#[test]
fn migrate_step_passes_the_token_only_to_the_cli_and_masks_it() {
    if !tools(&["bash", "jq"]) {
        return;
    }
    let runner = Runner::new();
    let ws = runner.path("home");
    let (bin, log) = recorder(&runner);
    let token = "ghs_TestToken0123456789abcdef";
    let r = runner.step(
        "run.sh",
        &[],
        &ws,
        &[
            ("HEX_MIGRATE_BIN", bin.to_str().unwrap()),
            ("INPUT_MODE", "migrate"),
            ("INPUT_GITHUB_TOKEN", token),
            ("INPUT_DRY_RUN", "true"),
            ("INPUT_ARGS", "--label migration"),
        ],
    );
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("hex-migrate pr failed (exit 2)"),
        "{}",
        r.stdout
    );
    let calls = recorded_calls(&log);
    assert_eq!(
        calls,
        vec![vec![
            "pr".to_string(),
            "--output".into(),
            "json".into(),
            "--dry-run".into(),
            "--label".into(),
            "migration".into(),
            format!("GITHUB_TOKEN={token}"),
        ]]
    );
    // The only place the token appears in the log is the mask command, which the runner hides.
    let masked = format!("::add-mask::{token}");
    assert_eq!(r.stdout.matches(token).count(), 1, "{}", r.stdout);
    assert!(r.stdout.starts_with(&masked), "{}", r.stdout);
    assert!(!r.stderr.contains(token));
    assert!(!r.summary.contains(token));

    // Unknown modes and malformed booleans are errors, not silent defaults.
    let r = runner.step(
        "run.sh",
        &[],
        &ws,
        &[("HEX_MIGRATE_BIN", BIN), ("INPUT_MODE", "fix")],
    );
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("mode must be check or migrate"));
    let r = runner.step(
        "run.sh",
        &[],
        &ws,
        &[
            ("HEX_MIGRATE_BIN", BIN),
            ("INPUT_MODE", "migrate"),
            ("INPUT_DRY_RUN", "maybe"),
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("expected true or false"));
}

// ------------------------------------------------------------------------------------------------
// The job summary renderer (scripts/action/summary.jq) on the check JSON report

/// A check report in the documented JSON shape with `n` new findings whose messages are `len`
/// bytes of text that needs escaping in a Markdown table.
fn check_report(n: usize, len: usize) -> serde_json::Value {
    let findings: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let severity = ["error", "warning", "info"][i % 3];
            serde_json::json!({
                "path": format!("notebooks/n{}.hex.yaml", i % 7), "line": i + 1, "column": 3,
                "end_line": i + 1, "end_column": 9, "code": "RS101",
                "severity": severity,
                "message": format!("{i}: {}", "a|b<c>&\n".repeat(len / 8)),
                "suggestion": if i % 2 == 0 { serde_json::Value::Null } else { "x | y".into() },
                "fixable": i % 2 == 1, "new": true, "blocking": true,
            })
        })
        .collect();
    serde_json::json!({
        "version": 1, "mode": "refs",
        "summary": {"files_checked": 7, "new": n, "preexisting": 2, "unchanged_cells": 12, "blocking": n, "errors": 1, "exit_code": 2},
        "findings": findings,
        "errors": [{"path": "bad.hex.yaml", "line": 4, "column": 1, "message": "invalid YAML: <tab>"}],
    })
}

fn render_summary(runner: &Runner, report: &serde_json::Value, budget: usize) -> String {
    let input = runner.path("report.json");
    std::fs::write(&input, serde_json::to_vec(report).unwrap()).unwrap();
    let out = Command::new("jq")
        .arg("-r")
        .arg("-f")
        .arg(action_path().join("scripts/action/summary.jq"))
        .args([
            "--arg",
            "server",
            "https://github.com",
            "--arg",
            "repo",
            "acme/notebooks",
        ])
        .args(["--arg", "sha", "0123456789abcdef0123456789abcdef01234567"])
        .args(["--arg", "from", "fedcba9876543210fedcba9876543210fedcba98"])
        .args(["--argjson", "budget", &budget.to_string()])
        .arg(&input)
        .output()
        .unwrap();
    assert_success(&out, "jq summary.jq");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn summary_escapes_notebook_text_and_stays_under_the_size_limit() {
    if !tools(&["jq"]) {
        return;
    }
    let runner = Runner::new();
    let small = render_summary(&runner, &check_report(6, 16), 900_000);
    let rows: Vec<&str> = small.lines().filter(|l| l.starts_with("| [")).collect();
    assert_eq!(rows.len(), 6);
    for row in &rows {
        // 5 cells: exactly 6 unescaped pipes; nothing can open HTML or end the row early.
        let unescaped = row
            .match_indices('|')
            .filter(|(i, _)| !row[..*i].ends_with('\\'))
            .count();
        assert_eq!(unescaped, 6, "{row}");
        assert!(!row.contains("<c>") && row.contains("&lt;c&gt;"), "{row}");
    }
    // Errors first, then warnings, then info; each row links the line at the head commit.
    let sev: Vec<&str> = rows
        .iter()
        .map(|r| r.split(" | ").nth(2).unwrap())
        .collect();
    assert_eq!(
        sev,
        ["error", "error", "warning", "warning", "info", "info"]
    );
    assert!(rows[0].contains(
        "(https://github.com/acme/notebooks/blob/0123456789abcdef0123456789abcdef01234567/notebooks/n0.hex.yaml#L1)"
    ));
    assert!(small.contains("compared with `fedcba987654`"));
    assert!(small.contains("<code>bad.hex.yaml:4</code> invalid YAML: &lt;tab&gt;"));
    assert!(small.contains("2 finding(s) were already there"));
    assert!(small.contains("12 SQL cell(s) this change does not touch were not re-checked"));

    // 3,000 findings of ~1 KB: far over GitHub's 1 MiB step-summary limit. The table stops
    // within the budget and says how many rows it left out.
    let big = render_summary(&runner, &check_report(3000, 1000), 900_000);
    assert!(big.len() < 1024 * 1024, "{} bytes", big.len());
    let shown = big.lines().filter(|l| l.starts_with("| [")).count();
    assert!(shown > 100 && shown < 3000, "{shown}");
    assert!(
        big.contains(&format!(
            "… and {} more finding(s) not listed",
            3000 - shown
        )),
        "{}",
        &big[big.len() - 400..]
    );
}

#[test]
fn check_step_compares_push_events_and_checks_everything_on_a_new_branch() {
    if !tools(&["bash", "git", "jq"]) {
        return;
    }
    let runner = Runner::new();
    let ws = runner.path("ws");
    std::fs::create_dir_all(&ws).unwrap();
    runner.git(&ws, &["init", "-q", "."]);
    std::fs::write(ws.join("a.txt"), "1\n").unwrap();
    runner.git(&ws, &["add", "-A"]);
    runner.git(&ws, &["commit", "-q", "-m", "one"]);
    let before = runner.git(&ws, &["rev-parse", "HEAD"]);
    std::fs::write(ws.join("a.txt"), "2\n").unwrap();
    runner.git(&ws, &["commit", "-q", "-am", "two"]);
    let after = runner.git(&ws, &["rev-parse", "HEAD"]);
    let (bin, log) = recorder(&runner);
    let run = |payload: serde_json::Value, changed_only: &str| {
        std::fs::write(&log, "").unwrap();
        let event = runner.write_event("push", &payload);
        let r = runner.step(
            "run.sh",
            &[],
            &ws,
            &[
                ("HEX_MIGRATE_BIN", bin.to_str().unwrap()),
                ("GITHUB_EVENT_NAME", "push"),
                ("GITHUB_EVENT_PATH", event.to_str().unwrap()),
                ("INPUT_CHANGED_ONLY", changed_only),
            ],
        );
        assert_eq!(r.code, 2, "{}", r.stdout);
        recorded_calls(&log).remove(0)
    };
    let first =
        |call: &[String]| call[..call.iter().position(|a| a == "--format").unwrap()].to_vec();
    let push = serde_json::json!({"before": before, "after": after});
    assert_eq!(
        first(&run(push.clone(), "true")),
        ["check", "--from-ref", &before, "--to-ref", &after]
    );
    // changed-only: false checks every notebook, whatever the event.
    assert_eq!(first(&run(push, "false")), ["check"]);
    // A new branch has no `before`: nothing to compare with, so everything is checked.
    let new_branch = serde_json::json!({"before": "0".repeat(40), "after": after});
    assert_eq!(first(&run(new_branch, "true")), ["check"]);
}
// ------------------------------------------------------------------------------------------------
// check mode end to end: the real binary on a real pull request

const SALES: &str = "notebooks/sales.hex.yaml";
/// A file name with the characters a workflow-command property must escape (`,` and `:`).
const ODD_NAME: &str = "notebooks/q1,2024: east.hex.yaml";
const CELL_A: &str = "0199e1f8-130e-7f3b-8fe0-fae583db3a71";
const CELL_B: &str = "0199e1f8-4444-7f3b-8fe0-fae583db3a72";

/// 1-based numbers of the lines of `text` that contain `needle`.
fn lines_containing(text: &str, needle: &str) -> Vec<u64> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i as u64 + 1)
        .collect()
}

/// Data rows of the summary's findings table (location links or code spans).
fn summary_rows(summary: &str) -> Vec<&str> {
    summary
        .lines()
        .filter(|l| l.starts_with("| [") || l.starts_with("| <code>"))
        .collect()
}

#[test]
fn check_step_annotates_only_the_redshift_sql_a_pull_request_adds() {
    if !tools(&["bash", "git", "jq"]) {
        return;
    }
    let runner = Runner::new();
    let base_sql = "select getdate() as loaded_at\nfrom sales";
    let head_sales = notebook(&[
        (
            CELL_A,
            "select getdate() as loaded_at\n  , nvl(region, 'n/a') as region\nfrom sales",
        ),
        (
            CELL_B,
            "select datediff(month, opened_at, closed_at) as months_open\nfrom deals",
        ),
    ]);
    let head_odd = notebook(&[(
        "0199e1f8-5555-7f3b-8fe0-fae583db3a73",
        "select nvl(x, 0) as x from t",
    )]);
    let pr = pull_request(
        &runner,
        &[(SALES, notebook(&[(CELL_A, base_sql)]))],
        &[(SALES, head_sales.clone()), (ODD_NAME, head_odd.clone())],
    );
    let mut env = pr_env(&pr);
    env.extend([
        ("HEX_MIGRATE_BIN", BIN),
        ("INPUT_MODE", "check"),
        ("INPUT_SARIF_FILE", "hex-migrate.sarif"),
    ]);
    let r = runner.step("run.sh", &[], &pr.workspace, &env);
    assert_eq!(
        r.code, 1,
        "new findings fail the step\n{}\n{}",
        r.stdout, r.stderr
    );

    // Outputs: the number of new findings, which the summary lists one row each.
    let findings: usize = r.outputs["findings"].parse().unwrap();
    assert!(
        findings >= 3,
        "nvl, datediff and nvl in the second notebook: {findings}"
    );
    let rows = summary_rows(&r.summary);
    assert_eq!(rows.len(), findings, "{}", r.summary);
    assert!(r.summary.contains("## hex-migrate check"));
    assert!(r.summary.contains(&pr.base[..12]), "names the base commit");

    // Annotations: valid, on the added lines only, never on main's own notebook.
    assert_valid_annotations(&r.stdout);
    let anns: Vec<Annotation> = r.stdout.lines().filter_map(Annotation::parse).collect();
    let on = |file: &str| -> Vec<u64> {
        anns.iter()
            .filter(|a| a.file.as_deref() == Some(file))
            .filter_map(|a| a.line)
            .collect()
    };
    let sales_lines = on(SALES);
    let getdate = lines_containing(&head_sales, "getdate()");
    let nvl = lines_containing(&head_sales, "nvl(region");
    let datediff = lines_containing(&head_sales, "datediff(");
    assert!(
        sales_lines.iter().any(|l| nvl.contains(l)),
        "{sales_lines:?} {nvl:?}"
    );
    assert!(
        sales_lines.iter().any(|l| datediff.contains(l)),
        "{sales_lines:?}"
    );
    assert!(
        !sales_lines.iter().any(|l| getdate.contains(l)),
        "pre-existing getdate() annotated: {}",
        r.stdout
    );
    let odd = on(ODD_NAME);
    assert_eq!(odd, lines_containing(&head_odd, "nvl(x"), "{}", r.stdout);
    assert!(r
        .stdout
        .contains("file=notebooks/q1%2C2024%3A east.hex.yaml"));
    assert!(!r.stdout.contains("main-only") && !r.summary.contains("main-only"));

    // Summary links point at the pull request's head commit, at the annotated lines.
    for l in &nvl {
        let link = format!("blob/{}/notebooks/sales.hex.yaml#L{l}", pr.head);
        assert!(r.summary.contains(&link), "{link}\n{}", r.summary);
    }
    assert!(
        r.summary.contains("q1%2C2024%3A%20east.hex.yaml"),
        "{}",
        r.summary
    );
    assert!(
        r.summary.contains("already there before this change"),
        "the pre-existing getdate() is counted, not listed\n{}",
        r.summary
    );

    // SARIF for code scanning: the same findings.
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(pr.workspace.join("hex-migrate.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        findings
    );

    // fail-on-findings: false reports the same and lets the job go on.
    env.push(("INPUT_FAIL_ON_FINDINGS", "false"));
    let r2 = runner.step("run.sh", &[], &pr.workspace, &env);
    assert_eq!(r2.code, 0, "{}\n{}", r2.stdout, r2.stderr);
    assert_eq!(r2.outputs["findings"], r.outputs["findings"]);
}

#[test]
fn check_step_caps_annotations_and_lists_everything_in_the_summary() {
    if !tools(&["bash", "git", "jq"]) {
        return;
    }
    let runner = Runner::new();
    let sql: String = (0..40)
        .map(|i| format!("select nvl(c{i}, 0) as a{i}, getdate() as b{i} from t{i};\n"))
        .collect();
    let head = notebook(&[(CELL_A, &sql)]);
    let pr = pull_request(&runner, &[], &[(SALES, head)]);
    let mut env = pr_env(&pr);
    env.extend([("HEX_MIGRATE_BIN", BIN), ("INPUT_MODE", "check")]);
    let r = runner.step("run.sh", &[], &pr.workspace, &env);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let findings: usize = r.outputs["findings"].parse().unwrap();
    assert!(
        findings >= 80,
        "two findings per line, 40 lines: {findings}"
    );

    assert_valid_annotations(&r.stdout); // includes: at most 10 per level
    let anns: Vec<Annotation> = r.stdout.lines().filter_map(Annotation::parse).collect();
    assert!(anns.len() < findings);
    assert!(
        anns.iter().any(|a| a.level == "notice"
            && a.message
                .starts_with(&format!("{} more", findings + 1 - anns.len()))),
        "a closing notice says how many were left out\n{}",
        r.stdout
    );
    assert_eq!(
        summary_rows(&r.summary).len(),
        findings,
        "the summary lists every finding"
    );
    assert!(r.summary.len() < 1024 * 1024);
}

#[test]
fn check_step_passes_a_pull_request_that_adds_no_redshift_sql() {
    if !tools(&["bash", "git", "jq"]) {
        return;
    }
    let runner = Runner::new();
    let base = notebook(&[(CELL_A, "select getdate() as loaded_at\nfrom sales")]);
    // The pull request touches the notebook (a new Databricks-clean cell) but adds no Redshift.
    let head = notebook(&[
        (CELL_A, "select getdate() as loaded_at\nfrom sales"),
        (CELL_B, "select 1 as one"),
    ]);
    let pr = pull_request(&runner, &[(SALES, base)], &[(SALES, head)]);
    let mut env = pr_env(&pr);
    env.extend([("HEX_MIGRATE_BIN", BIN), ("INPUT_MODE", "check")]);
    let r = runner.step("run.sh", &[], &pr.workspace, &env);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.outputs["findings"], "0");
    assert!(r.summary.contains("No new findings"), "{}", r.summary);
    assert!(!r
        .stdout
        .lines()
        .any(|l| Annotation::parse(l).is_some_and(|a| a.level != "notice")));

    // Without a pull request to compare with (a schedule), every finding is reported.
    let r = runner.step(
        "run.sh",
        &[],
        &pr.workspace,
        &[
            ("HEX_MIGRATE_BIN", BIN),
            ("GITHUB_EVENT_NAME", "schedule"),
            ("INPUT_FAIL_ON_FINDINGS", "false"),
        ],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.outputs["findings"].parse::<usize>().unwrap() >= 1);
    assert!(r.stdout.contains("Checking every notebook"));
}
// ------------------------------------------------------------------------------------------------
// migrate mode end to end: the real binary, a local bare `origin` and a wiremock GitHub

const PR_BRANCH: &str = "hex-migrate/redshift-to-databricks";
const PULLS: &str = "/repos/acme/notebooks/pulls";
const TOKEN: &str = "ghs_ActionTestTokenNeverInLogs0123456789";

/// A pull request as GitHub's REST API returns it (the pr tests' fixture), numbered 42.
fn pull_json(head_sha: &str) -> serde_json::Value {
    let path = action_path().join("tests/fixtures/github/pull.json");
    let mut pr: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    pr["head"]["sha"] = head_sha.into();
    pr
}

struct Github {
    rt: tokio::runtime::Runtime,
    server: wiremock::MockServer,
}

impl Github {
    fn start() -> Github {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = rt.block_on(wiremock::MockServer::start());
        Github { rt, server }
    }

    fn mount(&self, mock: wiremock::Mock) {
        self.rt.block_on(mock.mount(&self.server));
    }

    /// GET pulls?head=acme:<branch>&state=open answers `pulls`; anything not mocked is a failure.
    fn find_answers(&self, pulls: Vec<serde_json::Value>) {
        use wiremock::matchers::{method, path, query_param};
        self.mount(
            wiremock::Mock::given(method("GET"))
                .and(path(PULLS))
                .and(query_param("state", "open"))
                .and(query_param("head", format!("acme:{PR_BRANCH}")))
                .respond_with(
                    wiremock::ResponseTemplate::new(200)
                        .set_body_json(serde_json::Value::Array(pulls)),
                ),
        );
        self.mount(
            wiremock::Mock::given(wiremock::matchers::any())
                .respond_with(
                    wiremock::ResponseTemplate::new(404)
                        .set_body_json(serde_json::json!({"message": "Not Found"})),
                )
                .with_priority(u8::MAX)
                .expect(0)
                .named("unexpected request"),
        );
    }

    fn requests(&self) -> Vec<wiremock::Request> {
        self.rt
            .block_on(self.server.received_requests())
            .unwrap_or_default()
    }

    fn verify_and_reset(&self) {
        self.rt.block_on(self.server.verify());
        self.rt.block_on(self.server.reset());
    }
}

#[test]
fn migrate_step_opens_then_keeps_one_pull_request_and_sets_the_outputs() {
    if !tools(&["bash", "git", "jq"]) {
        return;
    }
    let runner = Runner::new();
    let origin = runner.path("origin.git");
    let root = runner.path("");
    let ws = runner.path("workspace");
    runner.git(
        &root,
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            origin.to_str().unwrap(),
        ],
    );
    runner.git(
        &root,
        &[
            "clone",
            "-q",
            origin.to_str().unwrap(),
            ws.to_str().unwrap(),
        ],
    );
    std::fs::create_dir_all(ws.join("notebooks")).unwrap();
    std::fs::write(
        ws.join(SALES),
        notebook(&[(
            CELL_A,
            "select getdate() as loaded_at, nvl(region, 'n/a') as region\nfrom sales",
        )]),
    )
    .unwrap();
    runner.git(&ws, &["add", "-A"]);
    runner.git(&ws, &["commit", "-q", "-m", "notebooks"]);
    runner.git(&ws, &["push", "-q", "origin", "main"]);
    let main_tip = runner.git(&ws, &["rev-parse", "HEAD"]);

    let gh = Github::start();
    let api = gh.server.uri();
    let env = [
        ("HEX_MIGRATE_BIN", BIN),
        ("INPUT_MODE", "migrate"),
        ("INPUT_GITHUB_TOKEN", TOKEN),
        ("GITHUB_API_URL", api.as_str()),
        ("GITHUB_EVENT_NAME", "schedule"),
    ];

    // 1. No pull request yet: the branch is pushed and the pull request created.
    gh.find_answers(vec![]);
    gh.mount(
        wiremock::Mock::given(wiremock::matchers::method("POST"))
            .and(wiremock::matchers::path(PULLS))
            .and(wiremock::matchers::body_partial_json(
                serde_json::json!({"head": PR_BRANCH, "base": "main"}),
            ))
            .respond_with(wiremock::ResponseTemplate::new(201).set_body_json(pull_json("0")))
            .expect(1)
            .named("create pull request"),
    );
    let r = runner.step("run.sh", &[], &ws, &env);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let head = runner.git(
        &ws,
        &["ls-remote", "origin", &format!("refs/heads/{PR_BRANCH}")],
    );
    let head = head
        .split_whitespace()
        .next()
        .expect("branch pushed")
        .to_string();
    assert_eq!(r.outputs["pull-request-operation"], "created");
    assert_eq!(r.outputs["pull-request-number"], "42");
    assert_eq!(
        r.outputs["pull-request-url"],
        "https://github.com/octo-org/notebooks/pull/42"
    );
    assert_eq!(r.outputs["pull-request-head-sha"], head);
    assert_eq!(
        runner.git(&ws, &["rev-parse", &format!("{head}^")]),
        main_tip
    );
    let migrated = runner.git(
        &root,
        &[
            "--git-dir",
            origin.to_str().unwrap(),
            "show",
            &format!("{head}:{SALES}"),
        ],
    );
    assert!(migrated.contains("current_timestamp()") && !migrated.contains("getdate()"));
    assert!(
        r.summary
            .contains("Opened pull request [#42](https://github.com/octo-org/notebooks/pull/42)"),
        "{}",
        r.summary
    );
    assert!(
        r.summary.contains("| notebooks changed | 1 |"),
        "{}",
        r.summary
    );
    // The token: in the Authorization header of every request, masked in the log, nowhere else.
    for req in gh.requests() {
        let auth = req
            .headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_string());
        assert_eq!(auth.as_deref(), Some(format!("Bearer {TOKEN}").as_str()));
    }
    assert_eq!(r.stdout.matches(TOKEN).count(), 1);
    assert!(r.stdout.contains(&format!("::add-mask::{TOKEN}")));
    assert!(!r.stderr.contains(TOKEN) && !r.summary.contains(TOKEN));
    let created = gh
        .requests()
        .into_iter()
        .find(|q| q.method.as_str() == "POST")
        .unwrap();
    let created: serde_json::Value = serde_json::from_slice(&created.body).unwrap();
    gh.verify_and_reset();

    // 2. Nothing new: no push, no API write, operation none, same pull request in the outputs.
    let mut open = pull_json(&head);
    open["title"] = created["title"].clone();
    open["body"] = created["body"].clone();
    gh.find_answers(vec![open]);
    let r = runner.step("run.sh", &[], &ws, &env);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.outputs["pull-request-operation"], "none");
    assert_eq!(r.outputs["pull-request-number"], "42");
    assert_eq!(r.outputs["pull-request-head-sha"], head);
    assert!(gh.requests().iter().all(|q| q.method.as_str() == "GET"));
    gh.verify_and_reset();

    // 3. Dry run (workflow_dispatch with dry-run: true): no API call at all, no token needed.
    gh.find_answers(vec![]);
    gh.rt.block_on(gh.server.reset());
    let mut dry = env.to_vec();
    dry.retain(|(k, _)| *k != "INPUT_GITHUB_TOKEN");
    dry.push(("INPUT_DRY_RUN", "true"));
    let r = runner.step("run.sh", &[], &ws, &dry);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(gh.requests().is_empty(), "a dry run called the API");
    assert!(r.summary.contains("Dry run"), "{}", r.summary);
    assert!(r.outputs.contains_key("pull-request-operation"));
}
