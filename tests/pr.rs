//! `hex-migrate pr` against a local bare repository as `origin` and a wiremock GitHub.
//!
//! Two layers:
//! - the git/GitHub machinery (`github::bulk::run`) driven with a small test translator, so the
//!   push/PR life cycle is tested independently of the SQL engine;
//! - the real binary, end to end, with the real migration engine.
//!
//! Request and response bodies follow GitHub's REST documentation (fixtures in
//! `tests/fixtures/github/`). Every run checks that the clone's working tree and index are
//! byte-identical before and after, and that no output contains the token.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use hex_migrate::git::commit::Identity;
use hex_migrate::github::body::{Note, NotebookSummary, MARKER};
use hex_migrate::github::bulk::{self, Operation, Options, Outcome, Translated};
use hex_migrate::github::client::RetryPolicy;
use hex_migrate::github::RepoId;
use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[path = "support/hex.rs"]
mod support;

const TOKEN: &str = "ghp_FAKEtok3nHexMigrateNeverPrintMe0123456789";
const OWNER: &str = "octo-org";
const NAME: &str = "notebooks";
const BRANCH: &str = "hex-migrate/redshift-to-databricks";
const PULLS: &str = "/repos/octo-org/notebooks/pulls";
const PULL_42: &str = "/repos/octo-org/notebooks/pulls/42";
const LABELS_42: &str = "/repos/octo-org/notebooks/issues/42/labels";
const COMMENTS_42: &str = "/repos/octo-org/notebooks/issues/42/comments";
const REVIEWERS_42: &str = "/repos/octo-org/notebooks/pulls/42/requested_reviewers";

// ---------------------------------------------------------------------------------------------
// Fixtures and the test world

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/github")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// A pull request as GitHub returns it.
fn pull(head_sha: &str, title: &str, body: &str, labels: &[&str]) -> Value {
    let mut pr = fixture("pull.json");
    pr["head"]["sha"] = json!(head_sha);
    pr["title"] = json!(title);
    pr["body"] = json!(body);
    pr["labels"] = Value::Array(
        labels
            .iter()
            .map(|name| {
                let mut label = fixture("label.json");
                label["name"] = json!(name);
                label
            })
            .collect(),
    );
    pr
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Pat Person")
        .env("GIT_AUTHOR_EMAIL", "pat@example.com")
        .env("GIT_COMMITTER_NAME", "Pat Person")
        .env("GIT_COMMITTER_EMAIL", "pat@example.com")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A bare `origin`, the clone the tool runs in, and a person's clone that pushes to origin.
struct World {
    _tmp: tempfile::TempDir,
    origin: PathBuf,
    clone: PathBuf,
    person: PathBuf,
    examples: PathBuf,
}

/// Byte-exact state of the clone's working tree, index and HEAD.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot(BTreeMap<PathBuf, Vec<u8>>);

impl World {
    /// The default world: the shared Redshift notebook (`projects/shipping.hex.yaml`) and a
    /// Postgres one (`projects/signups.hex.yaml`).
    fn new() -> Option<World> {
        World::with(&[])
    }

    /// Like `new`, but `replace` (name, bytes) stands in for the shipping notebook when given.
    fn with(replace: &[(&str, Vec<u8>)]) -> Option<World> {
        if Command::new("git").arg("--version").output().is_err() {
            assert!(!support::tools_required(), "git is required");
            eprintln!("skipping: git not found");
            return None;
        }
        let Some(shared) = support::shared() else {
            eprintln!("skipping: shared examples not found (set HEX_MIGRATE_SHARED)");
            return None;
        };
        let tmp = tempfile::tempdir().unwrap();
        let origin = tmp.path().join("origin.git");
        let person = tmp.path().join("person");
        let clone = tmp.path().join("clone");
        git(
            tmp.path(),
            &["init", "-q", "--bare", "-b", "main", "origin.git"],
        );
        git(tmp.path(), &["clone", "-q", "origin.git", "person"]);
        let world = World {
            _tmp: tmp,
            origin,
            clone,
            person,
            examples: shared.join("examples"),
        };
        let mut files = vec![
            ("README.md", b"notebooks\n".to_vec()),
            (
                "projects/signups.hex.yaml",
                std::fs::read(world.examples.join("small-three-cells.hex.yaml")).unwrap(),
            ),
        ];
        if replace.is_empty() {
            files.push((
                "projects/shipping.hex.yaml",
                std::fs::read(world.examples.join("redshift-multi-sql.hex.yaml")).unwrap(),
            ));
        } else {
            files.extend(replace.iter().cloned());
        }
        world.person_commit(&files, "Add notebooks");
        git(
            world.person.parent().unwrap(),
            &["clone", "-q", "origin.git", "clone"],
        );
        // Something uncommitted and something staged in the clone: both must survive untouched.
        std::fs::write(world.clone.join("scratch.txt"), "local work\n").unwrap();
        std::fs::write(world.clone.join("staged.txt"), "staged\n").unwrap();
        git(&world.clone, &["add", "staged.txt"]);
        Some(world)
    }

    /// The person writes files on main and pushes.
    fn person_commit(&self, files: &[(&str, Vec<u8>)], message: &str) -> String {
        git(&self.person, &["fetch", "-q", "origin"]);
        let has_main = Command::new("git")
            .current_dir(&self.person)
            .args(["rev-parse", "-q", "--verify", "origin/main"])
            .output()
            .unwrap()
            .status
            .success();
        if has_main {
            git(
                &self.person,
                &["checkout", "-q", "-B", "main", "origin/main"],
            );
        } else {
            git(&self.person, &["symbolic-ref", "HEAD", "refs/heads/main"]);
        }
        for (name, content) in files {
            let path = self.person.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
            git(&self.person, &["add", name]);
        }
        git(&self.person, &["commit", "-q", "-m", message]);
        git(&self.person, &["push", "-q", "origin", "main"]);
        git(&self.person, &["rev-parse", "HEAD"])
    }

    fn remote_ref(&self, name: &str) -> Option<String> {
        let out = Command::new("git")
            .arg("--git-dir")
            .arg(&self.origin)
            .args(["rev-parse", "--verify", "-q", name])
            .output()
            .unwrap();
        out.status
            .success()
            .then(|| String::from_utf8(out.stdout).unwrap().trim().to_string())
    }

    fn origin_git(&self, args: &[&str]) -> String {
        let mut full = vec!["--git-dir", self.origin.to_str().unwrap()];
        full.extend_from_slice(args);
        git(self.origin.parent().unwrap(), &full)
    }

    fn snapshot(&self) -> Snapshot {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                if rel == Path::new(".git") {
                    continue;
                }
                if path.is_dir() {
                    walk(root, &path, out);
                } else {
                    out.insert(rel, std::fs::read(&path).unwrap());
                }
            }
        }
        let mut files = BTreeMap::new();
        walk(&self.clone, &self.clone, &mut files);
        for name in ["index", "HEAD"] {
            files.insert(
                PathBuf::from(".git").join(name),
                std::fs::read(self.clone.join(".git").join(name)).unwrap(),
            );
        }
        Snapshot(files)
    }
}

/// Test double for the engine: rewrites `getdate()` and flags `datediff(` for a person. It only
/// exists so the git/GitHub machinery is tested independently of the SQL engine.
fn test_translator(path: &str, text: &str) -> Option<Translated> {
    if !text.starts_with("schemaVersion:") {
        return None;
    }
    let rewritten = text.matches("getdate()").count();
    let output = text.replace("getdate()", "current_timestamp()");
    let needs_person = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("datediff("))
        .map(|(i, _)| Note {
            line: i + 1,
            code: "RS104".into(),
            message: "DATEDIFF counts boundaries in Redshift".into(),
        })
        .collect();
    Some(Translated {
        summary: NotebookSummary {
            path: path.to_string(),
            title: None,
            changed: rewritten > 0,
            cells_rewritten: rewritten,
            needs_person,
            caveats: 0,
            unmapped_tables: Vec::new(),
            error: None,
        },
        output: (rewritten > 0).then_some(output),
    })
}

fn options(world: &World, api: &str) -> Options {
    Options {
        workdir: world.clone.clone(),
        paths: Vec::new(),
        repo: RepoId::parse(&format!("{OWNER}/{NAME}")),
        base: None,
        branch: BRANCH.to_string(),
        title: bulk::DEFAULT_TITLE.to_string(),
        labels: vec!["migration".to_string()],
        reviewers: vec!["alice".to_string()],
        draft: false,
        remote: "origin".to_string(),
        dry_run: false,
        report_path: Some("docs/hex-migration.md".to_string()),
        author: Identity::parse(bulk::DEFAULT_AUTHOR).unwrap(),
        force: false,
        api_url: api.to_string(),
        token: Some(TOKEN.to_string().into()),
        retry: RetryPolicy {
            attempts: 4,
            base_delay: Duration::from_millis(50),
            max_wait: Duration::from_secs(5),
        },
        excludes: Vec::new(),
        max_file_size: 10 << 20,
    }
}

/// Runs the machinery and checks the invariants every run must keep.
fn run_machinery(world: &World, opts: &Options) -> anyhow::Result<Outcome> {
    let before = world.snapshot();
    let result = bulk::run(opts, &test_translator);
    assert_eq!(before, world.snapshot(), "worktree, index or HEAD changed");
    assert!(!format!("{result:?}").contains(TOKEN));
    assert!(!format!("{opts:?}").contains(TOKEN));
    result
}

struct Api {
    rt: tokio::runtime::Runtime,
    server: MockServer,
}

impl Api {
    fn start() -> Api {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = rt.block_on(MockServer::start());
        Api { rt, server }
    }

    fn uri(&self) -> String {
        self.server.uri()
    }

    fn mount(&self, mock: Mock) {
        self.rt.block_on(mock.mount(&self.server));
    }

    /// Checks the `.expect(..)`s of the current phase, then forgets every mock and request.
    fn verify_and_reset(&self) {
        self.rt.block_on(self.server.verify());
        self.rt.block_on(self.server.reset());
    }

    fn requests(&self) -> Vec<Request> {
        self.rt
            .block_on(self.server.received_requests())
            .unwrap_or_default()
    }

    /// Asserts no request carried anything but the token in its Authorization header.
    fn assert_token_only_in_auth(&self) {
        for r in self.requests() {
            assert!(
                !String::from_utf8_lossy(&r.body).contains(TOKEN),
                "token in a request body"
            );
            assert!(!r.url.as_str().contains(TOKEN), "token in a URL");
            let auth = r.headers.get("authorization").map(|v| v.to_str().unwrap());
            assert_eq!(auth, Some(format!("Bearer {TOKEN}").as_str()));
        }
    }

    /// GET pulls?head=owner:branch answers `pulls`.
    fn find_answers(&self, pulls: Vec<Value>) {
        self.mount(
            Mock::given(method("GET"))
                .and(path(PULLS))
                .and(query_param("state", "open"))
                .and(query_param("head", format!("{OWNER}:{BRANCH}")))
                .respond_with(ResponseTemplate::new(200).set_body_json(Value::Array(pulls))),
        );
    }

    /// Anything not mocked explicitly is a test failure.
    fn nothing_else(&self) {
        self.mount(
            Mock::given(wiremock::matchers::any())
                .respond_with(
                    ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})),
                )
                .with_priority(u8::MAX)
                .expect(0)
                .named("unexpected request"),
        );
    }

    fn create_answers(&self, pr: Value) {
        self.mount(
            Mock::given(method("POST"))
                .and(path(PULLS))
                .and(body_partial_json(json!({"head": BRANCH, "base": "main"})))
                .respond_with(ResponseTemplate::new(201).set_body_json(pr))
                .expect(1)
                .named("create pull request"),
        );
    }

    fn labels_and_reviewers(&self, labels: u64, reviewers: u64) {
        self.mount(
            Mock::given(method("POST"))
                .and(path(LABELS_42))
                .and(body_partial_json(json!({"labels": ["migration"]})))
                .respond_with(
                    ResponseTemplate::new(200).set_body_json(json!([fixture("label.json")])),
                )
                .expect(labels)
                .named("add labels"),
        );
        self.mount(
            Mock::given(method("POST"))
                .and(path(REVIEWERS_42))
                .and(body_partial_json(json!({"reviewers": ["alice"]})))
                .respond_with(ResponseTemplate::new(201).set_body_json(fixture("pull.json")))
                .expect(reviewers)
                .named("request reviewers"),
        );
    }

    fn body_of(&self, verb: &str, route: &str) -> Value {
        let r = self
            .requests()
            .into_iter()
            .find(|r| r.method.as_str() == verb && r.url.path() == route)
            .unwrap_or_else(|| panic!("no {verb} {route}"));
        serde_json::from_slice(&r.body).unwrap()
    }
}

/// First run: creates branch and pull request. Returns (head sha, body sent).
fn first_run(world: &World, api: &Api, opts: &Options) -> (String, String) {
    api.find_answers(vec![]);
    api.create_answers(pull("0", bulk::DEFAULT_TITLE, "", &[]));
    api.labels_and_reviewers(1, 1);
    api.nothing_else();
    let outcome = run_machinery(world, opts).unwrap();
    assert_eq!(outcome.operation, Operation::Created);
    assert_eq!(outcome.number, Some(42));
    assert!(outcome.pushed);
    let head = outcome.head_sha.clone().unwrap();
    assert_eq!(
        world.remote_ref(&format!("refs/heads/{BRANCH}")),
        Some(head.clone())
    );
    let body = api.body_of("POST", PULLS)["body"]
        .as_str()
        .unwrap()
        .to_string();
    api.assert_token_only_in_auth();
    api.verify_and_reset();
    (head, body)
}

// ---------------------------------------------------------------------------------------------
// Machinery tests (test translator)

#[test]
fn life_cycle_create_noop_update_close() {
    let Some(world) = World::new() else { return };
    let api = Api::start();
    let opts = options(&world, &api.uri());
    let main_tip = world.remote_ref("refs/heads/main").unwrap();

    // 1. First run: branch and pull request created.
    let (head1, body1) = first_run(&world, &api, &opts);
    assert_eq!(
        world.origin_git(&["rev-parse", &format!("{head1}^")]),
        main_tip
    );
    assert_eq!(
        world.origin_git(&["log", "-1", "--format=%an <%ae>|%cn <%ce>", &head1]),
        format!("{0}|{0}", bulk::DEFAULT_AUTHOR)
    );
    let migrated = world.origin_git(&["show", &format!("{head1}:projects/shipping.hex.yaml")]);
    assert!(migrated.contains("current_timestamp()") && !migrated.contains("getdate()"));
    let changed = world.origin_git(&["diff", "--name-only", &main_tip, &head1]);
    assert_eq!(changed, "docs/hex-migration.md\nprojects/shipping.hex.yaml");
    let report = world.origin_git(&["show", &format!("{head1}:docs/hex-migration.md")]);
    assert!(report.contains("| Cells rewritten | 11 |"), "{report}");
    assert!(body1.starts_with(MARKER));
    assert!(body1.contains("<code>projects/shipping.hex.yaml</code>"));
    assert!(body1.contains("| Findings needing a person | 3 |"));

    // 2. Same inputs again: no push, nothing patched or posted.
    let pr = pull(&head1, bulk::DEFAULT_TITLE, &body1, &["migration"]);
    api.find_answers(vec![pr.clone()]);
    api.nothing_else();
    let outcome = run_machinery(&world, &opts).unwrap();
    assert_eq!(outcome.operation, Operation::None);
    assert!(!outcome.pushed);
    assert_eq!(outcome.head_sha.as_deref(), Some(head1.as_str()));
    assert_eq!(
        world.remote_ref(&format!("refs/heads/{BRANCH}")),
        Some(head1.clone())
    );
    api.verify_and_reset();

    // 3. A person adds Redshift SQL on main: the branch is rebuilt on the new tip and the same
    //    pull request is updated (not a second one).
    let mut notebook =
        std::fs::read_to_string(world.examples.join("redshift-multi-sql.hex.yaml")).unwrap();
    notebook = notebook.replace("Redshift Prod", "Redshift Prod (copy)");
    let main2 = world.person_commit(
        &[("projects/more/shipping-copy.yml", notebook.into_bytes())],
        "Add a copy",
    );
    api.find_answers(vec![pr]);
    api.mount(
        Mock::given(method("PATCH"))
            .and(path(PULL_42))
            .and(body_partial_json(json!({"title": bulk::DEFAULT_TITLE})))
            .respond_with(ResponseTemplate::new(200).set_body_json(fixture("pull.json")))
            .expect(1)
            .named("update pull request"),
    );
    api.labels_and_reviewers(0, 1);
    api.nothing_else();
    let outcome = run_machinery(&world, &opts).unwrap();
    assert_eq!(outcome.operation, Operation::Updated);
    assert!(outcome.pushed);
    let head2 = outcome.head_sha.clone().unwrap();
    assert_ne!(head2, head1);
    assert_eq!(
        world.remote_ref(&format!("refs/heads/{BRANCH}")),
        Some(head2.clone())
    );
    assert_eq!(
        world.origin_git(&["rev-parse", &format!("{head2}^")]),
        main2
    );
    assert_eq!(
        world.origin_git(&["rev-list", "--count", &format!("{main2}..{head2}")]),
        "1"
    );
    let body2 = api.body_of("PATCH", PULL_42)["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(body2.contains("projects/more/shipping-copy.yml"));
    assert!(body2.contains("| Notebooks changed | 2 of 3 |"));
    api.verify_and_reset();

    // 4. The pull request is merged (fast-forward): nothing left, so it is closed with a comment
    //    and the branch is deleted.
    world.origin_git(&["update-ref", "refs/heads/main", &head2]);
    api.find_answers(vec![pull(
        &head2,
        bulk::DEFAULT_TITLE,
        &body2,
        &["migration"],
    )]);
    api.mount(
        Mock::given(method("POST"))
            .and(path(COMMENTS_42))
            .respond_with(ResponseTemplate::new(201).set_body_json(fixture("comment.json")))
            .expect(1)
            .named("closing comment"),
    );
    let mut closed = fixture("pull.json");
    closed["state"] = json!("closed");
    api.mount(
        Mock::given(method("PATCH"))
            .and(path(PULL_42))
            .and(body_partial_json(json!({"state": "closed"})))
            .respond_with(ResponseTemplate::new(200).set_body_json(closed))
            .expect(1)
            .named("close pull request"),
    );
    api.nothing_else();
    let outcome = run_machinery(&world, &opts).unwrap();
    assert_eq!(outcome.operation, Operation::Closed);
    assert!(outcome.branch_deleted);
    assert_eq!(world.remote_ref(&format!("refs/heads/{BRANCH}")), None);
    let comment = api.body_of("POST", COMMENTS_42)["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(comment.contains("nothing left to migrate"), "{comment}");
    api.assert_token_only_in_auth();
    api.verify_and_reset();

    // 5. And after that, nothing at all happens.
    api.find_answers(vec![]);
    api.nothing_else();
    let outcome = run_machinery(&world, &opts).unwrap();
    assert_eq!(outcome.operation, Operation::None);
    assert!(!outcome.pushed && !outcome.branch_deleted);
    api.verify_and_reset();
}

#[test]
fn foreign_commit_on_the_branch_stops_the_run() {
    let Some(world) = World::new() else { return };
    let api = Api::start();
    let opts = options(&world, &api.uri());
    let (head1, body1) = first_run(&world, &api, &opts);

    // A person pushes a commit onto the bot branch.
    git(&world.person, &["fetch", "-q", "origin", BRANCH]);
    git(
        &world.person,
        &["checkout", "-q", "-b", "fixup", "FETCH_HEAD"],
    );
    std::fs::write(world.person.join("projects/note.md"), "hand-made fix\n").unwrap();
    git(&world.person, &["add", "projects/note.md"]);
    git(&world.person, &["commit", "-q", "-m", "Hand-made fix"]);
    git(
        &world.person,
        &["push", "-q", "origin", &format!("HEAD:refs/heads/{BRANCH}")],
    );
    let human = world.remote_ref(&format!("refs/heads/{BRANCH}")).unwrap();
    assert_ne!(human, head1);

    let pr = pull(&human, bulk::DEFAULT_TITLE, &body1, &["migration"]);
    api.find_answers(vec![pr.clone()]);
    api.mount(
        Mock::given(method("GET"))
            .and(path(COMMENTS_42))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .expect(1),
    );
    api.mount(
        Mock::given(method("POST"))
            .and(path(COMMENTS_42))
            .respond_with(ResponseTemplate::new(201).set_body_json(fixture("comment.json")))
            .expect(1)
            .named("blocked comment"),
    );
    api.nothing_else();
    let error = run_machinery(&world, &opts).unwrap_err().to_string();
    assert!(error.contains("not made by hex-migrate"), "{error}");
    assert!(
        error.contains("Hand-made fix") && error.contains("pat@example.com"),
        "{error}"
    );
    assert_eq!(
        world.remote_ref(&format!("refs/heads/{BRANCH}")),
        Some(human.clone())
    );
    let comment = api.body_of("POST", COMMENTS_42)["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        comment.contains("hex-migrate stopped") && comment.contains(&human),
        "{comment}"
    );
    api.verify_and_reset();

    // The comment is not repeated on the next run.
    let mut earlier = fixture("comment.json");
    earlier["body"] = json!(comment);
    api.find_answers(vec![pr]);
    api.mount(
        Mock::given(method("GET"))
            .and(path(COMMENTS_42))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([earlier])))
            .expect(1),
    );
    api.nothing_else();
    assert!(run_machinery(&world, &opts).is_err());
    assert_eq!(
        world.remote_ref(&format!("refs/heads/{BRANCH}")),
        Some(human.clone())
    );
    api.verify_and_reset();

    // --force replaces the branch with a fresh migration.
    let forced = Options {
        force: true,
        ..options(&world, &api.uri())
    };
    api.find_answers(vec![pull(
        &human,
        bulk::DEFAULT_TITLE,
        &body1,
        &["migration"],
    )]);
    api.labels_and_reviewers(0, 1);
    api.nothing_else();
    let outcome = run_machinery(&world, &forced).unwrap();
    assert_eq!(outcome.operation, Operation::Updated);
    let head = world.remote_ref(&format!("refs/heads/{BRANCH}")).unwrap();
    assert_eq!(outcome.head_sha.as_deref(), Some(head.as_str()));
    assert_ne!(head, human);
    api.verify_and_reset();
}

#[test]
fn draft_rejected_with_422_falls_back_to_a_regular_pull_request() {
    let Some(world) = World::new() else { return };
    let api = Api::start();
    let opts = Options {
        draft: true,
        labels: vec![],
        reviewers: vec!["not-a-collaborator".to_string()],
        ..options(&world, &api.uri())
    };
    // A reviewer GitHub refuses does not undo or fail the pull request: it is a warning.
    api.mount(
        Mock::given(method("POST"))
            .and(path(REVIEWERS_42))
            .respond_with(ResponseTemplate::new(422).set_body_json(json!({
                "message": "Reviews may only be requested from collaborators. One or more of \
                            the users or teams you specified is not a collaborator of the \
                            octo-org/notebooks repository.",
                "documentation_url": "https://docs.github.com/rest/pulls/review-requests#request-reviewers-for-a-pull-request",
                "status": "422"
            })))
            .expect(1),
    );
    api.find_answers(vec![]);
    api.mount(
        Mock::given(method("POST"))
            .and(path(PULLS))
            .and(body_partial_json(json!({"draft": true})))
            .respond_with(
                ResponseTemplate::new(422).set_body_json(fixture("error-draft-not-supported.json")),
            )
            .expect(1)
            .named("draft create"),
    );
    api.mount(
        Mock::given(method("POST"))
            .and(path(PULLS))
            .and(body_partial_json(json!({"draft": false})))
            .respond_with(ResponseTemplate::new(201).set_body_json(fixture("pull.json")))
            .expect(1)
            .named("regular create"),
    );
    api.nothing_else();
    let outcome = run_machinery(&world, &opts).unwrap();
    assert_eq!(outcome.operation, Operation::Created);
    assert_eq!(outcome.number, Some(42));
    assert_eq!(outcome.warnings.len(), 1);
    assert!(outcome.warnings[0].contains("only be requested from collaborators"));
    api.verify_and_reset();
}

#[test]
fn server_errors_are_retried_and_already_exists_becomes_an_update() {
    let Some(world) = World::new() else { return };
    let api = Api::start();
    let opts = Options {
        labels: vec![],
        reviewers: vec![],
        ..options(&world, &api.uri())
    };
    // The lookup fails twice with 502, then says "no pull request" once, then (after the
    // create "already exists") finds it.
    api.mount(
        Mock::given(method("GET"))
            .and(path(PULLS))
            .respond_with(ResponseTemplate::new(502).set_body_json(fixture("error-server.json")))
            .up_to_n_times(2)
            .with_priority(1)
            .expect(2),
    );
    api.mount(
        Mock::given(method("GET"))
            .and(path(PULLS))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .up_to_n_times(1)
            .with_priority(2)
            .expect(1),
    );
    api.find_answers(vec![pull("0", "Old title", "old body", &[])]);
    // The create POST: first a 503 (retried), then GitHub says it already exists, as when the
    // first attempt had gone through.
    api.mount(
        Mock::given(method("POST"))
            .and(path(PULLS))
            .respond_with(ResponseTemplate::new(503).set_body_json(fixture("error-server.json")))
            .up_to_n_times(1)
            .with_priority(1)
            .expect(1),
    );
    api.mount(
        Mock::given(method("POST"))
            .and(path(PULLS))
            .respond_with(
                ResponseTemplate::new(422).set_body_json(fixture("error-already-exists.json")),
            )
            .with_priority(2)
            .expect(1),
    );
    api.mount(
        Mock::given(method("PATCH"))
            .and(path(PULL_42))
            .respond_with(ResponseTemplate::new(200).set_body_json(fixture("pull.json")))
            .expect(1)
            .named("update instead of duplicate"),
    );
    api.nothing_else();
    let outcome = run_machinery(&world, &opts).unwrap();
    assert_eq!(outcome.operation, Operation::Updated);
    assert_eq!(outcome.number, Some(42));
    let gets = api
        .requests()
        .iter()
        .filter(|r| r.method.as_str() == "GET")
        .count();
    assert_eq!(gets, 4);
    api.verify_and_reset();
}

#[test]
fn rate_limit_headers_are_honoured_within_a_bound() {
    let Some(world) = World::new() else { return };
    let api = Api::start();
    let opts = Options {
        labels: vec![],
        reviewers: vec![],
        ..options(&world, &api.uri())
    };
    // Secondary rate limit: 403 with retry-after; waited for, then the call succeeds.
    api.mount(
        Mock::given(method("GET"))
            .and(path(PULLS))
            .respond_with(
                ResponseTemplate::new(403)
                    .insert_header("retry-after", "1")
                    .set_body_json(json!({"message": "You have exceeded a secondary rate limit."})),
            )
            .up_to_n_times(1)
            .with_priority(1)
            .expect(1),
    );
    api.find_answers(vec![]);
    api.create_answers(fixture("pull.json"));
    api.nothing_else();
    let outcome = run_machinery(&world, &opts).unwrap();
    assert_eq!(outcome.operation, Operation::Created);
    api.verify_and_reset();

    // A primary limit that resets in an hour is beyond the bound: fail clearly, right away.
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    api.mount(
        Mock::given(method("GET"))
            .and(path(PULLS))
            .respond_with(
                ResponseTemplate::new(403)
                    .insert_header("x-ratelimit-remaining", "0")
                    .insert_header("x-ratelimit-reset", reset.to_string().as_str())
                    .set_body_json(json!({"message": "API rate limit exceeded"})),
            )
            .expect(1),
    );
    api.nothing_else();
    let error = run_machinery(&world, &opts).unwrap_err().to_string();
    assert!(error.contains("rate limited"), "{error}");
    api.verify_and_reset();
}

#[test]
fn dry_run_needs_no_token_and_no_network() {
    let Some(world) = World::new() else { return };
    let before_refs = world.origin_git(&["for-each-ref"]);
    let opts = Options {
        dry_run: true,
        token: None,
        // Nothing listens here: any API call would fail.
        api_url: "http://127.0.0.1:9".to_string(),
        ..options(&world, "http://127.0.0.1:9")
    };
    let outcome = run_machinery(&world, &opts).unwrap();
    assert!(outcome.dry_run);
    assert_eq!(outcome.operation, Operation::None);
    assert!(!outcome.pushed);
    assert!(
        outcome.diffstat.contains("projects/shipping.hex.yaml"),
        "{}",
        outcome.diffstat
    );
    assert!(outcome.diffstat.contains("docs/hex-migration.md"));
    assert!(outcome.body.as_deref().unwrap().starts_with(MARKER));
    assert_eq!(world.origin_git(&["for-each-ref"]), before_refs);
}

#[test]
fn a_rejected_token_fails_after_one_attempt() {
    let Some(world) = World::new() else { return };
    // An HTTP remote that always answers 401: libgit2 asks for credentials again after each
    // rejection; we must give up after the first.
    let api = Api::start();
    api.mount(Mock::given(wiremock::matchers::any()).respond_with(
        ResponseTemplate::new(401).insert_header("www-authenticate", "Basic realm=\"GitHub\""),
    ));
    let url = format!("{}/{OWNER}/{NAME}.git", api.uri());
    git(&world.clone, &["remote", "add", "gh", &url]);
    let opts = Options {
        remote: "gh".to_string(),
        ..options(&world, &api.uri())
    };
    let error = format!("{:#}", run_machinery(&world, &opts).unwrap_err());
    assert!(error.contains("rejected the token"), "{error}");
    assert!(!error.contains(TOKEN));
    let git_requests = api.requests().len();
    assert!(
        git_requests <= 2,
        "{git_requests} requests: credentials were retried"
    );
    // The one authenticated attempt used the x-access-token user with the token as password.
    let basic = api
        .requests()
        .iter()
        .filter_map(|r| {
            r.headers
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_string())
        })
        .collect::<Vec<_>>();
    assert_eq!(basic.len(), 1, "{basic:?}");
    // base64("x-access-token:" + TOKEN)
    assert_eq!(
        basic[0],
        "Basic eC1hY2Nlc3MtdG9rZW46Z2hwX0ZBS0V0b2szbkhleE1pZ3JhdGVOZXZlclByaW50TWUwMTIzNDU2Nzg5"
    );
}

/// `git daemon` serving the world's origin over git://, stopped on drop.
struct Daemon(std::process::Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_daemon(world: &World) -> Option<(Daemon, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = world.origin.parent().unwrap();
    let child = Command::new("git")
        .args([
            "daemon",
            "--reuseaddr",
            "--export-all",
            "--enable=receive-pack",
        ])
        .arg("--listen=127.0.0.1")
        .arg(format!("--port={port}"))
        .arg(format!("--base-path={}", base.display()))
        .arg(base)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let Ok(child) = child else {
        assert!(!support::tools_required(), "git daemon is required");
        eprintln!("skipping: git daemon not available");
        return None;
    };
    let daemon = Daemon(child);
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some((daemon, format!("git://127.0.0.1:{port}/origin.git")));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!support::tools_required(), "git daemon did not start");
    eprintln!("skipping: git daemon did not start");
    None
}

#[test]
fn a_push_the_server_rejects_is_an_error_even_though_the_transport_says_ok() {
    let Some(world) = World::new() else { return };
    let Some((_daemon, url)) = start_daemon(&world) else {
        return;
    };
    // The server declines every update of the bot branch (like a branch protection rule).
    let hook = world.origin.join("hooks/pre-receive");
    std::fs::write(
        &hook,
        "#!/bin/sh\nwhile read old new ref; do\n  case $ref in refs/heads/hex-migrate/*) \
         echo 'protected branch' >&2; exit 1;; esac\ndone\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    git(&world.clone, &["remote", "add", "daemon", &url]);
    let api = Api::start();
    api.find_answers(vec![]);
    api.nothing_else();
    let opts = Options {
        remote: "daemon".to_string(),
        ..options(&world, &api.uri())
    };
    let error = format!("{:#}", run_machinery(&world, &opts).unwrap_err());
    assert!(
        error.contains("rejected the update of refs/heads/hex-migrate/"),
        "{error}"
    );
    assert_eq!(world.remote_ref(&format!("refs/heads/{BRANCH}")), None);
    api.verify_and_reset();
}

#[test]
fn paths_excludes_and_size_limit_select_what_is_migrated() {
    let Some(world) = World::new() else { return };
    let dry = |f: &dyn Fn(&mut Options)| {
        let mut o = Options {
            dry_run: true,
            token: None,
            report_path: None,
            ..options(&world, "http://127.0.0.1:9")
        };
        f(&mut o);
        run_machinery(&world, &o)
    };
    let only = dry(&|o| o.paths = vec![PathBuf::from("projects/signups.hex.yaml")]).unwrap();
    assert_eq!(only.counts.notebooks_scanned, 1);
    assert_eq!(only.diffstat, "no changes\n");
    let dir = dry(&|o| o.paths = vec![PathBuf::from("projects/")]).unwrap();
    assert_eq!(dir.counts.notebooks_scanned, 2);
    assert_eq!(dir.counts.notebooks_changed, 1);
    let error = dry(&|o| o.paths = vec![PathBuf::from("nope.yaml")]).unwrap_err();
    assert!(
        error.to_string().contains("nope.yaml: no YAML file"),
        "{error}"
    );
    let excluded = dry(&|o| o.excludes = vec!["shipping.*".into()]).unwrap();
    assert_eq!(excluded.counts.notebooks_scanned, 1);
    assert_eq!(excluded.counts.notebooks_changed, 0);
    let small = dry(&|o| o.max_file_size = 1000).unwrap();
    assert_eq!(small.counts.errors, 2);
    assert!(small.notebooks[0]
        .error
        .as_deref()
        .unwrap()
        .contains("over the size limit"));
}
// ---------------------------------------------------------------------------------------------
// The real binary with the real migration engine

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `hex-migrate pr ARGS` in the clone, with the most verbose logging, and checks the
/// invariants: working tree and index untouched, token absent from everything printed.
fn run_binary(world: &World, args: &[&str], token: Option<&str>, api: &str) -> Run {
    let before = world.snapshot();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hex-migrate"));
    cmd.current_dir(&world.clone)
        .arg("-vvv")
        .arg("pr")
        .args(args)
        .env("GITHUB_REPOSITORY", format!("{OWNER}/{NAME}"))
        .env("GITHUB_API_URL", api)
        .env("RUST_LOG", "trace")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE");
    match token {
        Some(t) => cmd.env("GITHUB_TOKEN", t),
        None => cmd.env_remove("GITHUB_TOKEN"),
    };
    let out = cmd.output().expect("binary runs");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_eq!(before, world.snapshot(), "worktree, index or HEAD changed");
    assert!(!run.stdout.contains(TOKEN), "token on stdout");
    assert!(!run.stderr.contains(TOKEN), "token on stderr");
    run
}

#[test]
fn binary_creates_then_does_nothing_and_never_prints_the_token() {
    let Some(world) = World::new() else { return };
    let api = Api::start();
    let main_tip = world.remote_ref("refs/heads/main").unwrap();
    let args = [
        "--output",
        "json",
        "--label",
        "migration",
        "--reviewer",
        "alice",
        "--report-path",
        "docs/hex-migration.md",
    ];

    api.find_answers(vec![]);
    api.create_answers(fixture("pull.json"));
    api.labels_and_reviewers(1, 1);
    api.nothing_else();
    let run = run_binary(&world, &args, Some(TOKEN), &api.uri());
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["operation"], "created");
    assert_eq!(json["number"], 42);
    assert_eq!(json["url"], "https://github.com/octo-org/notebooks/pull/42");
    assert_eq!(json["branch"], BRANCH);
    let head = world.remote_ref(&format!("refs/heads/{BRANCH}")).unwrap();
    assert_eq!(json["head_sha"], head.as_str());
    assert_eq!(json["counts"]["notebooks_changed"], 1);
    assert_eq!(
        world.origin_git(&["rev-parse", &format!("{head}^")]),
        main_tip
    );
    // The Redshift notebook now holds Databricks SQL; the Postgres one is untouched.
    let migrated = world.origin_git(&["show", &format!("{head}:projects/shipping.hex.yaml")]);
    assert!(
        migrated.contains("coalesce(s.carrier_code, 'UNASSIGNED')"),
        "{migrated}"
    );
    assert!(!migrated.contains("nvl(s.carrier_code"), "{migrated}");
    assert_eq!(
        world.origin_git(&["diff", "--name-only", &main_tip, &head]),
        "docs/hex-migration.md\nprojects/shipping.hex.yaml"
    );
    let body = api.body_of("POST", PULLS)["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(body.starts_with(MARKER));
    api.assert_token_only_in_auth();
    api.verify_and_reset();

    // Second run, nothing new: no push, no PATCH/POST.
    api.find_answers(vec![pull(
        &head,
        bulk::DEFAULT_TITLE,
        &body,
        &["migration"],
    )]);
    api.nothing_else();
    let run = run_binary(&world, &args, Some(TOKEN), &api.uri());
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["operation"], "none");
    assert_eq!(json["pushed"], false);
    assert_eq!(
        world.remote_ref(&format!("refs/heads/{BRANCH}")),
        Some(head)
    );
    api.verify_and_reset();
}

#[test]
fn binary_dry_run_needs_no_token_and_no_network() {
    let Some(world) = World::new() else { return };
    let refs = world.origin_git(&["for-each-ref"]);
    let run = run_binary(&world, &["--dry-run"], None, "http://127.0.0.1:9");
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("projects/shipping.hex.yaml |"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("1 file changed"), "{}", run.stdout);
    assert!(run.stdout.contains(MARKER));
    assert_eq!(world.origin_git(&["for-each-ref"]), refs);

    let run = run_binary(
        &world,
        &["--dry-run", "--output", "json"],
        None,
        "http://127.0.0.1:9",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["operation"], "none");
    assert!(json["body"].as_str().unwrap().starts_with(MARKER));

    // Without --dry-run the missing token is a clear error.
    let run = run_binary(&world, &[], None, "http://127.0.0.1:9");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("GITHUB_TOKEN is not set"),
        "{}",
        run.stderr
    );
}

#[test]
fn binary_rejected_token_fails_fast_without_printing_it() {
    let Some(world) = World::new() else { return };
    let api = Api::start();
    api.mount(Mock::given(wiremock::matchers::any()).respond_with(
        ResponseTemplate::new(401).insert_header("www-authenticate", "Basic realm=\"GitHub\""),
    ));
    // A URL with the token embedded, as someone might configure it: still never printed.
    let url = format!(
        "{}/{OWNER}/{NAME}.git",
        api.uri()
            .replace("http://", &format!("http://x-access-token:{TOKEN}@"))
    );
    git(&world.clone, &["remote", "add", "gh", &url]);
    let run = run_binary(&world, &["--remote", "gh"], Some(TOKEN), &api.uri());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("hex-migrate pr:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("the remote rejected the token"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("(http://127.0.0.1:"), "{}", run.stderr);
}

#[test]
fn binary_updates_on_new_redshift_sql_then_closes_after_merge() {
    // The bundled support-tickets notebook: the engine migrates it completely in one pass, so
    // "merged" really leaves nothing to migrate. (The shared redshift-multi-sql example does not
    // qualify yet: its CREATE TABLE cell is handled by tokens only, and `default getdate()` in it
    // is rewritten only on a second pass.)
    let bundled =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/support-tickets-migration-check.yml");
    let Ok(tickets) = std::fs::read(&bundled) else {
        eprintln!("skipping: {} not found", bundled.display());
        return;
    };
    let Some(world) = World::with(&[("projects/tickets.yml", tickets.clone())]) else {
        return;
    };
    let api = Api::start();
    let args = ["--output", "json"];
    api.find_answers(vec![]);
    api.create_answers(fixture("pull.json"));
    api.nothing_else();
    let run = run_binary(&world, &args, Some(TOKEN), &api.uri());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let head1 = world.remote_ref(&format!("refs/heads/{BRANCH}")).unwrap();
    let body1 = api.body_of("POST", PULLS)["body"]
        .as_str()
        .unwrap()
        .to_string();
    api.verify_and_reset();

    // New Redshift SQL lands on main: same pull request, updated; branch rebuilt on the new tip.
    let main2 = world.person_commit(
        &[("projects/copy/tickets.yml", tickets)],
        "Copy the tickets notebook",
    );
    api.find_answers(vec![pull(&head1, bulk::DEFAULT_TITLE, &body1, &[])]);
    api.mount(
        Mock::given(method("PATCH"))
            .and(path(PULL_42))
            .respond_with(ResponseTemplate::new(200).set_body_json(fixture("pull.json")))
            .expect(1),
    );
    api.nothing_else();
    let run = run_binary(&world, &args, Some(TOKEN), &api.uri());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["operation"], "updated");
    assert_eq!(json["counts"]["notebooks_changed"], 2);
    let head2 = world.remote_ref(&format!("refs/heads/{BRANCH}")).unwrap();
    assert_eq!(json["head_sha"], head2.as_str());
    assert_eq!(
        world.origin_git(&["rev-parse", &format!("{head2}^")]),
        main2
    );
    let body2 = api.body_of("PATCH", PULL_42)["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(body2.contains("projects/copy/tickets.yml"));
    api.verify_and_reset();

    // Merged: closed with a comment, branch deleted.
    world.origin_git(&["update-ref", "refs/heads/main", &head2]);
    api.find_answers(vec![pull(&head2, bulk::DEFAULT_TITLE, &body2, &[])]);
    api.mount(
        Mock::given(method("POST"))
            .and(path(COMMENTS_42))
            .respond_with(ResponseTemplate::new(201).set_body_json(fixture("comment.json")))
            .expect(1),
    );
    api.mount(
        Mock::given(method("PATCH"))
            .and(path(PULL_42))
            .and(body_partial_json(json!({"state": "closed"})))
            .respond_with(ResponseTemplate::new(200).set_body_json(fixture("pull.json")))
            .expect(1),
    );
    api.nothing_else();
    let run = run_binary(&world, &args, Some(TOKEN), &api.uri());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["operation"], "closed");
    assert_eq!(json["branch_deleted"], true);
    assert_eq!(world.remote_ref(&format!("refs/heads/{BRANCH}")), None);
    api.assert_token_only_in_auth();
    api.verify_and_reset();
}
