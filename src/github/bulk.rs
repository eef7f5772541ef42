//! The `hex-migrate pr` flow: select notebooks in the base tree, translate them in memory, build
//! one commit off the base tip, push it to the fixed bot branch, and create, update or close the
//! one pull request for that branch.
//!
//! Everything is read from git objects, never from the working tree, and nothing is written to
//! the working tree or the index: the commit goes straight into the object database. The flow is
//! idempotent: a run that would produce the tree the branch already has pushes nothing and
//! patches nothing.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::{Component, Path, PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use git2::{Oid, Repository};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use rayon::prelude::*;
use secrecy::SecretString;
use serde::Serialize;

use super::body::{self, Counts, NotebookSummary, MARKER};
use super::client::{Client, RetryPolicy};
use super::pulls::{self, Created};
use super::RepoId;
use crate::git::commit::{self, Identity};
use crate::git::push::{self, Remote};

/// Default name of the bot branch.
pub const DEFAULT_BRANCH: &str = "hex-migrate/redshift-to-databricks";
/// Default pull request title.
pub const DEFAULT_TITLE: &str = "Migrate Hex notebooks from Redshift SQL to Databricks SQL";
/// Default bot identity for the commit.
pub const DEFAULT_AUTHOR: &str = "hex-migrate <hex-migrate@users.noreply.github.com>";
/// Default API root.
pub const DEFAULT_API_URL: &str = "https://api.github.com";

/// One notebook translated in memory.
#[derive(Debug, Clone)]
pub struct Translated {
    pub summary: NotebookSummary,
    /// The new file text when it differs from the input.
    pub output: Option<String>,
}

/// The migration engine as the flow sees it: bytes in, new bytes and a summary out.
pub trait Translate: Sync {
    /// `None` when `text` is not a Hex notebook (skipped silently).
    fn translate(&self, path: &str, text: &str) -> Option<Translated>;
}

impl<F> Translate for F
where
    F: Fn(&str, &str) -> Option<Translated> + Sync,
{
    fn translate(&self, path: &str, text: &str) -> Option<Translated> {
        self(path, text)
    }
}

impl Translated {
    /// Summarises what `migrate::migrate_notebook` did to the notebook at `path` (whose text
    /// was `text`). A notebook that could not be read becomes a summary with its error and no
    /// output: it is reported, never written.
    pub fn from_result(
        path: &str,
        text: &str,
        result: Result<crate::migrate::NotebookResult, crate::notebook::NotebookError>,
    ) -> Translated {
        use crate::sql::Severity;
        let nb = match result {
            Ok(nb) => nb,
            Err(e) => {
                return Translated {
                    summary: NotebookSummary {
                        path: path.to_string(),
                        error: Some(e.to_string()),
                        ..NotebookSummary::default()
                    },
                    output: None,
                }
            }
        };
        let findings = nb.cells.iter().flat_map(|c| &c.findings);
        let needs_person = findings
            .clone()
            .filter(|f| f.finding.severity == Severity::Error && !f.finding.applied)
            .map(|f| body::Note {
                line: f.line,
                code: f.finding.code.to_string(),
                message: f.finding.message.clone(),
            })
            .collect();
        let caveats = findings
            .filter(|f| f.finding.severity == Severity::Warning && f.finding.applied)
            .count();
        let mut unmapped: Vec<String> = nb
            .cells
            .iter()
            .flat_map(|c| c.unmapped_tables.iter().cloned())
            .collect();
        unmapped.sort();
        unmapped.dedup();
        let changed = nb.output != text;
        Translated {
            summary: NotebookSummary {
                path: path.to_string(),
                title: nb.title.clone(),
                changed,
                cells_rewritten: nb
                    .cells
                    .iter()
                    .filter(|c| c.translated != c.original)
                    .count(),
                needs_person,
                caveats,
                unmapped_tables: unmapped,
                error: None,
            },
            output: changed.then_some(nb.output),
        }
    }
}

/// Everything `hex-migrate pr` was asked to do.
#[derive(Debug)]
pub struct Options {
    /// Where to find the repository (the current directory for the CLI).
    pub workdir: PathBuf,
    /// Paths (relative to `workdir`) to limit the migration to; empty = every Hex file.
    pub paths: Vec<PathBuf>,
    pub repo: Option<RepoId>,
    pub base: Option<String>,
    pub branch: String,
    pub title: String,
    pub labels: Vec<String>,
    pub reviewers: Vec<String>,
    pub draft: bool,
    pub remote: String,
    pub dry_run: bool,
    pub report_path: Option<String>,
    pub author: Identity,
    pub force: bool,
    pub api_url: String,
    /// `GITHUB_TOKEN`; never printed (SecretString's Debug redacts it).
    pub token: Option<SecretString>,
    pub retry: RetryPolicy,
    /// Gitignore-style patterns (relative to the repository root) never migrated.
    pub excludes: Vec<String>,
    /// Largest notebook read, in bytes; larger files are reported, not migrated.
    pub max_file_size: u64,
}

/// What the run did to the pull request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    Created,
    Updated,
    Closed,
    None,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Created => "created",
            Operation::Updated => "updated",
            Operation::Closed => "closed",
            Operation::None => "none",
        }
    }
}

/// The result of a run (`--output json` prints it).
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub operation: Operation,
    pub number: Option<u64>,
    pub url: Option<String>,
    pub branch: String,
    pub base: String,
    pub head_sha: Option<String>,
    pub pushed: bool,
    pub branch_deleted: bool,
    pub dry_run: bool,
    pub counts: Counts,
    pub notebooks: Vec<NotebookSummary>,
    /// Things that went wrong without failing the run.
    pub warnings: Vec<String>,
    /// `git diff --stat`-like summary of what is (or would be) pushed.
    pub diffstat: String,
    /// The pull request body (dry runs only: a real run sends it to GitHub instead).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// The bot branch holds commits someone else made; nothing was pushed.
#[derive(Debug, thiserror::Error)]
#[error(
    "branch {branch:?} on the remote has {} commit(s) not made by {bot}; not overwriting them \
     (remove them, merge the pull request, or re-run with --force to replace the branch):\n{}",
    .commits.len(),
    .commits.iter().map(|c| format!("  {} {} ({})", &c.id.to_string()[..12], c.summary, c.author)).collect::<Vec<_>>().join("\n")
)]
pub struct Blocked {
    pub branch: String,
    pub bot: String,
    pub commits: Vec<push::ForeignCommit>,
}

/// Lexically normalises `path` (no file-system access: the file may not exist in the worktree).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Turns user paths into repository-relative prefixes (`""` = everything).
fn repo_prefixes(repo: &Repository, workdir: &Path, paths: &[PathBuf]) -> Result<Vec<String>> {
    let root = match repo.workdir() {
        Some(root) => normalize(&root.canonicalize().unwrap_or_else(|_| root.to_path_buf())),
        None => normalize(workdir),
    };
    let cwd = normalize(
        &workdir
            .canonicalize()
            .unwrap_or_else(|_| workdir.to_path_buf()),
    );
    paths
        .iter()
        .map(|p| {
            let abs = normalize(&cwd.join(p));
            let rel = abs.strip_prefix(&root).map_err(|_| {
                anyhow!(
                    "{}: outside the repository at {}",
                    p.display(),
                    root.display()
                )
            })?;
            let rel = rel
                .to_str()
                .with_context(|| format!("{}: path is not UTF-8", p.display()))?;
            Ok(rel.replace('\\', "/").trim_end_matches('/').to_string())
        })
        .collect()
}

fn selected(path: &str, prefixes: &[String]) -> bool {
    prefixes.is_empty()
        || prefixes.iter().any(|p| {
            p.is_empty()
                || path == p
                || (path.starts_with(p.as_str()) && path.as_bytes().get(p.len()) == Some(&b'/'))
        })
}

/// `git diff --stat`-like summary of the changes.
pub fn diffstat(old_new: &[(String, String, String)]) -> String {
    if old_new.is_empty() {
        return "no changes\n".to_string();
    }
    let mut rows = Vec::new();
    let (mut total_ins, mut total_del) = (0usize, 0usize);
    for (path, old, new) in old_new {
        let diff = similar::TextDiff::from_lines(old.as_str(), new.as_str());
        let (mut ins, mut del) = (0usize, 0usize);
        for change in diff.iter_all_changes() {
            match change.tag() {
                similar::ChangeTag::Insert => ins += 1,
                similar::ChangeTag::Delete => del += 1,
                similar::ChangeTag::Equal => {}
            }
        }
        total_ins += ins;
        total_del += del;
        rows.push((path.as_str(), ins, del));
    }
    let width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let max = rows.iter().map(|r| r.1 + r.2).max().unwrap_or(0).max(1);
    let mut out = String::new();
    for (path, ins, del) in rows {
        let scale = |n: usize| {
            if max <= 40 {
                n
            } else {
                (n * 40).div_ceil(max)
            }
        };
        out.push_str(&format!(
            " {path:<width$} | {:>4} {}{}\n",
            ins + del,
            "+".repeat(scale(ins)),
            "-".repeat(scale(del))
        ));
    }
    out.push_str(&format!(
        " {} changed, {} insertion(s)(+), {} deletion(s)(-)\n",
        if old_new.len() == 1 {
            "1 file".to_string()
        } else {
            format!("{} files", old_new.len())
        },
        total_ins,
        total_del
    ));
    out
}

/// The branch the repository has checked out, if any.
fn current_branch(repo: &Repository) -> Option<String> {
    let head = repo.head().ok()?;
    head.is_branch()
        .then(|| head.shorthand().ok().map(str::to_string))
        .flatten()
}

/// Base branch and tip from local refs only (dry run: no network).
fn local_base(repo: &Repository, remote: &str, base: Option<&str>) -> Result<(String, Oid)> {
    let base = match base {
        Some(b) => b.to_string(),
        None => repo
            .find_reference(&format!("refs/remotes/{remote}/HEAD"))
            .ok()
            .and_then(|r| r.symbolic_target().ok().flatten().map(str::to_string))
            .and_then(|t| {
                t.strip_prefix(&format!("refs/remotes/{remote}/"))
                    .map(str::to_string)
            })
            .or_else(|| current_branch(repo))
            .context("cannot tell the base branch: pass --base")?,
    };
    for name in [
        format!("refs/remotes/{remote}/{base}"),
        format!("refs/heads/{base}"),
    ] {
        if let Ok(r) = repo.find_reference(&name) {
            let commit = r.peel_to_commit()?;
            return Ok((base, commit.id()));
        }
    }
    bail!("base branch {base:?} not found locally (neither {remote}/{base} nor {base})")
}

/// Reads, selects and translates the notebooks of `tree`.
fn translate_tree(
    repo: &Repository,
    tree: &git2::Tree<'_>,
    prefixes: &[String],
    opts: &Options,
    translator: &dyn Translate,
) -> Result<Vec<(String, String, Translated)>> {
    let excluded = exclude_matcher(&opts.excludes)?;
    let files: Vec<_> = commit::yaml_files(tree)?
        .into_iter()
        .filter(|f| !is_excluded(&excluded, &f.path))
        .collect();
    for p in prefixes {
        let found = files
            .iter()
            .any(|f| selected(&f.path, std::slice::from_ref(p)));
        if !found {
            bail!("{p}: no YAML file at this path in the base branch");
        }
    }
    let mut inputs = Vec::new();
    let mut too_large = Vec::new();
    for file in files.into_iter().filter(|f| selected(&f.path, prefixes)) {
        let blob = repo.find_blob(file.blob)?;
        if blob.size() as u64 > opts.max_file_size {
            let summary = NotebookSummary {
                error: Some(format!(
                    "{}: {} bytes is over the size limit of {} bytes",
                    file.path,
                    blob.size(),
                    opts.max_file_size
                )),
                path: file.path.clone(),
                ..NotebookSummary::default()
            };
            too_large.push((
                file.path,
                String::new(),
                Translated {
                    summary,
                    output: None,
                },
            ));
            continue;
        }
        match std::str::from_utf8(blob.content()) {
            Ok(text) => inputs.push((file.path, text.to_string())),
            Err(_) => tracing::debug!("{}: not UTF-8, not a Hex notebook", file.path),
        }
    }
    let mut results: Vec<_> = inputs
        .into_par_iter()
        .filter_map(|(path, text)| {
            let t = translator.translate(&path, &text)?;
            Some((path, text, t))
        })
        .collect();
    results.extend(too_large);
    results.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(results)
}

fn exclude_matcher(excludes: &[String]) -> Result<Gitignore> {
    let mut builder = GitignoreBuilder::new("");
    for pattern in excludes {
        builder
            .add_line(None, pattern)
            .with_context(|| format!("bad exclude pattern {pattern:?}"))?;
    }
    Ok(builder.build()?)
}

/// Whether the repository-relative `path` or one of its directories is excluded.
fn is_excluded(excluded: &Gitignore, path: &str) -> bool {
    if excluded.is_empty() {
        return false;
    }
    let path = Path::new(path);
    excluded.matched(path, false).is_ignore()
        || path
            .ancestors()
            .skip(1)
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| excluded.matched(p, true).is_ignore())
}

/// The API half: a Tokio runtime (only the non-dry-run path builds one) and the client.
struct Api {
    rt: tokio::runtime::Runtime,
    client: Client,
    repo: RepoId,
}

impl Api {
    fn new(url: &str, token: SecretString, repo: RepoId, policy: RetryPolicy) -> Result<Self> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        let client = rt.block_on(async { Client::new(url, token, policy) })?;
        Ok(Api { rt, client, repo })
    }

    fn run<T>(&self, f: impl Future<Output = T>) -> T {
        self.rt.block_on(f)
    }
}

fn same_text(a: Option<&str>, b: &str) -> bool {
    a.unwrap_or_default().replace("\r\n", "\n").trim_end() == b.replace("\r\n", "\n").trim_end()
}

fn commit_message(counts: &Counts) -> String {
    format!(
        "Migrate {} Hex notebook(s) from Redshift SQL to Databricks SQL\n\n\
         {} cell(s) rewritten; {} finding(s) need a person.\n\
         Generated by hex-migrate pr.\n",
        counts.notebooks_changed, counts.cells_rewritten, counts.findings_needing_person
    )
}

/// Runs the whole flow.
pub fn run(opts: &Options, translator: &dyn Translate) -> Result<Outcome> {
    let repo = commit::open_repository(&opts.workdir)?;
    let prefixes = repo_prefixes(&repo, &opts.workdir, &opts.paths)?;
    if let Some(report) = &opts.report_path {
        if report.is_empty() || report.starts_with('/') || report.split('/').any(|c| c == "..") {
            bail!("--report-path {report:?} must be a relative path inside the repository");
        }
    }

    // Which base, at which commit; and the bot branch as the remote has it.
    let token = if opts.dry_run {
        None
    } else {
        Some(opts.token.clone().context(
            "GITHUB_TOKEN is not set (needed to push and to call the GitHub API; \
             use --dry-run to preview without it)",
        )?)
    };
    let (base, base_tip, branch_tip, remote) = if opts.dry_run {
        let (base, tip) = local_base(&repo, &opts.remote, opts.base.as_deref())?;
        (base, tip, None, None)
    } else {
        let remote = Remote::new(&repo, &opts.remote, token.clone())?;
        let refs = remote.list()?;
        let base = opts
            .base
            .clone()
            .or(refs.default_branch.clone())
            .or_else(|| current_branch(&repo))
            .context("cannot tell the base branch: pass --base")?;
        if base == opts.branch {
            bail!("the base branch and the bot branch are both {base:?}");
        }
        let base_tip = *refs.branches.get(&base).with_context(|| {
            format!(
                "base branch {base:?} does not exist on remote {:?}",
                opts.remote
            )
        })?;
        let branch_tip = refs.branches.get(&opts.branch).copied();
        let mut wanted = vec![base.as_str()];
        if branch_tip.is_some() {
            wanted.push(opts.branch.as_str());
        }
        remote.fetch(&wanted)?;
        (base, base_tip, branch_tip, Some(remote))
    };
    let base_commit = repo.find_commit(base_tip)?;
    let base_tree = base_commit.tree()?;

    // Translate in memory.
    let results = translate_tree(&repo, &base_tree, &prefixes, opts, translator)?;
    let notebooks: Vec<NotebookSummary> = results.iter().map(|r| r.2.summary.clone()).collect();
    let counts = Counts::of(&notebooks);
    let mut changes: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut stat_rows = Vec::new();
    for (path, old, t) in &results {
        if let Some(new) = t.output.as_ref().filter(|new| *new != old) {
            changes.insert(path.clone(), new.clone().into_bytes());
            stat_rows.push((path.clone(), old.clone(), new.clone()));
        }
    }
    let body = body::render(
        &notebooks,
        opts.report_path.as_deref(),
        Some(body::BODY_BUDGET),
    );
    if let (Some(report_path), false) = (&opts.report_path, changes.is_empty()) {
        let report = body::render(&notebooks, Some(report_path), None);
        let old = commit::file_in_tree(&repo, &base_tree, report_path)?
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        if old != report {
            stat_rows.push((report_path.clone(), old, report.clone()));
            changes.insert(report_path.clone(), report.into_bytes());
        }
    }
    let mut outcome = Outcome {
        operation: Operation::None,
        number: None,
        url: None,
        branch: opts.branch.clone(),
        base: base.clone(),
        head_sha: None,
        pushed: false,
        branch_deleted: false,
        dry_run: opts.dry_run,
        counts: counts.clone(),
        notebooks,
        warnings: Vec::new(),
        diffstat: diffstat(&stat_rows),
        body: opts.dry_run.then(|| body.clone()),
    };
    if opts.dry_run {
        return Ok(outcome);
    }
    let remote = remote.expect("set when not a dry run");
    let token = token.expect("checked above");

    let repo_id = match &opts.repo {
        Some(id) => id.clone(),
        None => repo
            .find_remote(&opts.remote)
            .ok()
            .and_then(|r| r.url().ok().and_then(RepoId::from_remote_url))
            .context("cannot tell the GitHub repository: pass --repo OWNER/NAME or set GITHUB_REPOSITORY")?,
    };
    let api = Api::new(&opts.api_url, token, repo_id.clone(), opts.retry.clone())?;
    let existing = api.run(pulls::find_open(&api.client, &api.repo, &opts.branch))?;

    // Never overwrite commits someone else put on the bot branch.
    if let (Some(tip), false) = (branch_tip, opts.force) {
        let foreign = push::foreign_commits(&repo, base_tip, tip, &opts.author)?;
        if !foreign.is_empty() {
            let blocked = Blocked {
                branch: opts.branch.clone(),
                bot: opts.author.to_string(),
                commits: foreign,
            };
            if let Some(pr) = &existing {
                let tag = format!("<!-- hex-migrate:blocked:{tip} -->");
                let already = api.run(pulls::has_comment_containing(
                    &api.client,
                    &api.repo,
                    pr.number,
                    &tag,
                ))?;
                if !already {
                    let text = format!(
                        "{MARKER}\n{tag}\n**hex-migrate stopped.** The branch `{}` has commits that \
                         were not made by the bot (`{}`), so it was not updated:\n\n{}\n\n\
                         Remove those commits, merge this pull request, or run `hex-migrate pr \
                         --force` to replace the branch with a fresh migration.\n",
                        opts.branch,
                        opts.author,
                        blocked
                            .commits
                            .iter()
                            .map(|c| format!("- {} {} ({})", c.id, c.summary, c.author))
                            .collect::<Vec<_>>()
                            .join("\n")
                    );
                    api.run(pulls::comment(&api.client, &api.repo, pr.number, &text))?;
                }
            }
            return Err(blocked.into());
        }
    }

    let tree = commit::tree_with_changes(&repo, &base_tree, &changes)?;
    if tree == base_tree.id() {
        // Nothing left to migrate.
        if counts.errors > 0 {
            bail!(
                "nothing to migrate, but {} notebook(s) could not be read; leaving the pull \
                 request and branch as they are",
                counts.errors
            );
        }
        if let Some(pr) = &existing {
            let text = format!(
                "{MARKER}\nhex-migrate found nothing left to migrate on `{base}`: the changes \
                 were merged or are no longer needed. Closing this pull request and deleting \
                 its branch.\n"
            );
            api.run(pulls::comment(&api.client, &api.repo, pr.number, &text))?;
            let closed = api.run(pulls::close(&api.client, &api.repo, pr.number))?;
            outcome.operation = Operation::Closed;
            outcome.number = Some(closed.number);
            outcome.url = closed.html_url.map(|u| u.to_string());
        }
        if let Some(tip) = branch_tip {
            remote.push_branch(&opts.branch, None, Some(tip))?;
            outcome.branch_deleted = true;
        }
        return Ok(outcome);
    }

    // The branch already has exactly this tree on top of this base: push nothing.
    let up_to_date = match branch_tip {
        Some(tip) => {
            let c = repo.find_commit(tip)?;
            c.tree_id() == tree && c.parent_ids().collect::<Vec<_>>() == [base_tip]
        }
        None => false,
    };
    let head = if up_to_date {
        branch_tip.expect("up to date implies a tip")
    } else {
        let head = commit::commit_tree(
            &repo,
            base_tip,
            tree,
            &opts.author,
            &commit_message(&counts),
        )?
        .ok_or_else(|| anyhow!("internal error: the migration tree equals the base tree"))?;
        remote.push_branch(&opts.branch, Some(head), branch_tip)?;
        outcome.pushed = true;
        head
    };
    outcome.head_sha = Some(head.to_string());

    let (pr, mut operation, fresh) = match existing {
        Some(pr) => (pr, Operation::None, false),
        None => match api.run(pulls::create(
            &api.client,
            &api.repo,
            &opts.branch,
            &base,
            &opts.title,
            &body,
            opts.draft,
        ))? {
            Created::New { pr, .. } => (pr, Operation::Created, true),
            Created::Existing(pr) => (pr, Operation::None, false),
        },
    };
    let mut touched = outcome.pushed;
    let same =
        pr.title.as_deref() == Some(opts.title.as_str()) && same_text(pr.body.as_deref(), &body);
    if !fresh && !same {
        api.run(pulls::update(
            &api.client,
            &api.repo,
            pr.number,
            &opts.title,
            &body,
        ))?;
        touched = true;
    }
    let have: Vec<&str> = pr
        .labels
        .iter()
        .flatten()
        .map(|l| l.name.as_str())
        .collect();
    let missing: Vec<String> = opts
        .labels
        .iter()
        .filter(|l| !have.contains(&l.as_str()))
        .cloned()
        .collect();
    if !missing.is_empty() {
        api.run(pulls::add_labels(
            &api.client,
            &api.repo,
            pr.number,
            &missing,
        ))?;
        touched = true;
    }
    if fresh || outcome.pushed {
        let requested = api.run(pulls::request_reviewers(
            &api.client,
            &api.repo,
            pr.number,
            &opts.reviewers,
        ));
        match requested {
            // GitHub answers 422 for a reviewer who cannot review (the PR's author, not a
            // collaborator): the pull request itself is fine, so say so and go on.
            Err(e) if e.status() == Some(http::StatusCode::UNPROCESSABLE_ENTITY) => {
                outcome
                    .warnings
                    .push(format!("reviewers not requested: {e}"));
            }
            other => other?,
        }
    }
    if operation == Operation::None && touched {
        operation = Operation::Updated;
    }
    outcome.operation = operation;
    outcome.number = Some(pr.number);
    outcome.url = pr.html_url.map(|u| u.to_string());
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::Located;

    #[test]
    fn selection_by_prefix() {
        let p = vec!["nb".to_string(), "top.yaml".to_string()];
        assert!(selected("nb/a.yaml", &p));
        assert!(selected("top.yaml", &p));
        assert!(!selected("nbx/a.yaml", &p));
        assert!(!selected("top.yaml.bak/x.yaml", &p));
        assert!(selected("anything.yaml", &[]));
        assert!(selected("anything.yaml", &[String::new()]));
    }

    #[test]
    fn excludes_match_files_and_directories() {
        let m = exclude_matcher(&["drafts/".into(), "*.tmp.yaml".into(), "/old".into()]).unwrap();
        assert!(is_excluded(&m, "drafts/a.yaml"));
        assert!(is_excluded(&m, "team/drafts/a.yaml"));
        assert!(is_excluded(&m, "x/y.tmp.yaml"));
        assert!(is_excluded(&m, "old/a.yaml"));
        assert!(!is_excluded(&m, "team/old/a.yaml"));
        assert!(!is_excluded(&m, "projects/a.yaml"));
        assert!(!is_excluded(&exclude_matcher(&[]).unwrap(), "a.yaml"));
    }

    #[test]
    fn diffstat_counts_lines() {
        let stat = diffstat(&[("a.yaml".into(), "x\ny\nz\n".into(), "x\nY\nz\nw\n".into())]);
        assert_eq!(
            stat,
            " a.yaml |    3 ++-\n 1 file changed, 2 insertion(s)(+), 1 deletion(s)(-)\n"
        );
    }

    fn located(code: &'static str, severity: crate::sql::Severity, applied: bool) -> Located {
        Located {
            finding: crate::sql::Finding {
                code,
                severity,
                message: format!("{code} message"),
                span: 0..1,
                suggestion: None,
                applied,
            },
            line: 12,
            column: 3,
            end_line: 12,
            end_column: 9,
            sql_line_text: String::new(),
            sql_line: 1,
            sql_column: 1,
        }
    }

    #[test]
    fn summarises_a_migrated_notebook() {
        use crate::migrate::{CellKind, CellResult, NotebookResult};
        use crate::sql::Severity;
        let cell = |original: &str, translated: &str, findings, tables: &[&str]| CellResult {
            index: 0,
            id: None,
            label: None,
            kind: CellKind::Redshift,
            line: 1,
            original: original.into(),
            translated: translated.into(),
            findings,
            unmapped_tables: tables.iter().map(|t| t.to_string()).collect(),
        };
        let result = NotebookResult {
            path: PathBuf::from("a.yaml"),
            title: Some("Revenue".into()),
            cells: vec![
                cell(
                    "select getdate()",
                    "select current_timestamp()",
                    vec![
                        located("RS101", Severity::Info, true),
                        located("RS110", Severity::Warning, true),
                    ],
                    &["s.t"],
                ),
                cell(
                    "select datediff(month, a, b)",
                    "select datediff(month, a, b)",
                    vec![located("RS104", Severity::Error, false)],
                    &["s.t", "s.u"],
                ),
            ],
            connections_swapped: vec![],
            output: "new text".into(),
        };
        let t = Translated::from_result("a.yaml", "old text", Ok(result));
        assert_eq!(t.output.as_deref(), Some("new text"));
        let s = t.summary;
        assert!(s.changed);
        assert_eq!(s.title.as_deref(), Some("Revenue"));
        assert_eq!(s.cells_rewritten, 1);
        assert_eq!(s.caveats, 1);
        assert_eq!(s.unmapped_tables, ["s.t", "s.u"]);
        assert_eq!(
            s.needs_person,
            [body::Note {
                line: 12,
                code: "RS104".into(),
                message: "RS104 message".into()
            }]
        );

        let err = crate::notebook::NotebookError::Malformed {
            path: PathBuf::from("b.yaml"),
            line: 3,
            message: "cells is not a list".into(),
        };
        let t = Translated::from_result("b.yaml", "x", Err(err));
        assert!(t.output.is_none());
        assert_eq!(
            t.summary.error.as_deref(),
            Some("b.yaml:3: not a Hex notebook as expected: cells is not a list")
        );
    }

    #[test]
    fn normalizes_lexically() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }
}
