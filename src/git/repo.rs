//! Opening repositories the way git hooks need, and resolving the trees a check compares.
//!
//! Inside a hook, git describes the repository through its environment: `git commit -a` and
//! `git commit <path>` point `GIT_INDEX_FILE` at a temporary index (`.git/index.lock` or
//! `next-index-*.lock`) while git itself holds the lock on the real one. So hooks open the
//! repository with [`open_from_env`] (libgit2's FROM_ENV mode) and only ever read the index.

use std::path::{Component, Path, PathBuf};

use git2::{ObjectType, Oid, Repository, Tree};

/// A git failure, with what we were doing when it happened.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{context}: {source}")]
    Git {
        context: String,
        #[source]
        source: git2::Error,
    },
    #[error("{0}")]
    Other(String),
}

/// Adds what we were doing to a `git2::Error`.
pub(crate) trait Context<T> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T, GitError>;
}

impl<T> Context<T> for Result<T, git2::Error> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T, GitError> {
        self.map_err(|source| GitError::Git {
            context: what(),
            source,
        })
    }
}

/// Opens the repository described by git's environment (`GIT_DIR`, `GIT_WORK_TREE`,
/// `GIT_INDEX_FILE`, `GIT_OBJECT_DIRECTORY`, …), discovering it from the current directory when
/// `GIT_DIR` is not set. This is what every hook must use.
pub fn open_from_env() -> Result<Repository, GitError> {
    Repository::open_from_env().context(|| "cannot open the git repository".to_string())
}

/// Opens the repository containing `dir` (searching parent directories), for commands that take
/// a `--repo` directory instead of running inside a hook.
pub fn discover(dir: &Path) -> Result<Repository, GitError> {
    Repository::discover(dir).context(|| format!("{}: not inside a git repository", dir.display()))
}

/// The tree of `HEAD`, or `None` when `HEAD` is unborn (the first commit of a repository: then
/// everything staged is new).
pub fn head_tree(repo: &Repository) -> Result<Option<Tree<'_>>, GitError> {
    match repo.head() {
        Ok(head) => Ok(Some(
            head.peel_to_tree()
                .context(|| "cannot read the tree of HEAD".to_string())?,
        )),
        Err(e)
            if e.code() == git2::ErrorCode::UnbornBranch
                || e.code() == git2::ErrorCode::NotFound =>
        {
            Ok(None)
        }
        Err(e) => Err(GitError::Git {
            context: "cannot resolve HEAD".to_string(),
            source: e,
        }),
    }
}

/// Resolves a revision (`main`, `origin/HEAD`, a SHA, `HEAD~2`) to a commit id.
pub fn resolve_commit(repo: &Repository, spec: &str) -> Result<Oid, GitError> {
    let object = repo
        .revparse_single(spec)
        .context(|| format!("cannot resolve git revision '{spec}'"))?;
    let commit = object
        .peel(ObjectType::Commit)
        .context(|| format!("git revision '{spec}' is not a commit"))?;
    Ok(commit.id())
}

/// The trees compared by `--from-ref A --to-ref B`: the merge base of A and B (what B's branch
/// started from, so changes made on A since then are not counted), and B. Without a merge base
/// (unrelated histories, shallow clone) A itself is the base, as `pre-commit` does with `A..B`.
pub fn range_trees<'r>(
    repo: &'r Repository,
    from: &str,
    to: &str,
) -> Result<(Tree<'r>, Tree<'r>), GitError> {
    let from_id = resolve_commit(repo, from)?;
    let to_id = resolve_commit(repo, to)?;
    let base_id = repo.merge_base(from_id, to_id).unwrap_or(from_id);
    let tree_of = |id: Oid| -> Result<Tree<'r>, GitError> {
        repo.find_commit(id)
            .and_then(|c| c.tree())
            .context(|| format!("cannot read the tree of commit {id}"))
    };
    Ok((tree_of(base_id)?, tree_of(to_id)?))
}

/// The commits being merged in while a merge is in progress (`MERGE_HEAD`), so that a merge
/// commit is not blamed for what either side already had.
pub fn merge_heads(repo: &Repository) -> Vec<Oid> {
    if repo.state() != git2::RepositoryState::Merge {
        return Vec::new();
    }
    // `MERGE_HEAD` lists one commit id per line (several for an octopus merge).
    std::fs::read_to_string(repo.path().join("MERGE_HEAD"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| Oid::from_str(l.trim()).ok())
        .collect()
}

/// Turns a path given on the command line (relative to the current directory, or absolute)
/// into a repository-relative path with `/` separators, the form git trees and indexes use.
/// Returns `None` for a path outside the work tree.
pub fn repo_relative(repo: &Repository, path: &Path) -> Option<String> {
    let workdir = repo.workdir()?;
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        let cwd = std::env::current_dir().ok()?;
        cwd.canonicalize().unwrap_or(cwd).join(path)
    };
    let absolute = normalize(&absolute);
    let rel = absolute.strip_prefix(&workdir).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Removes `.` and resolves `..` lexically (the file may not exist any more, so no
/// `canonicalize`).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Restricts a check to some repository-relative paths (files or directories); empty = all.
#[derive(Debug, Clone, Default)]
pub struct PathFilter {
    paths: Vec<String>,
}

impl PathFilter {
    /// A filter matching the given repository-relative paths and everything under them.
    pub fn new(paths: Vec<String>) -> Self {
        let paths = paths
            .into_iter()
            .map(|p| p.trim_end_matches('/').to_string())
            .collect();
        PathFilter { paths }
    }

    /// Whether `path` (repository-relative, `/`-separated) is selected.
    pub fn matches(&self, path: &str) -> bool {
        self.paths.is_empty()
            || self.paths.iter().any(|p| {
                p.is_empty()
                    || path == p
                    || (path.starts_with(p.as_str()) && path.as_bytes().get(p.len()) == Some(&b'/'))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_matches_files_and_directories_but_not_prefixes() {
        let f = PathFilter::new(vec!["nb/a.yaml".into(), "dir/".into()]);
        assert!(f.matches("nb/a.yaml"));
        assert!(f.matches("dir/x.yaml"));
        assert!(f.matches("dir/sub/y.yml"));
        assert!(!f.matches("nb/a.yaml.bak"));
        assert!(!f.matches("directory/x.yaml"));
        assert!(!f.matches("nb/b.yaml"));
        assert!(PathFilter::default().matches("anything"));
    }

    #[test]
    fn normalize_resolves_dots_lexically() {
        assert_eq!(
            normalize(Path::new("/a/./b/../c/d.yaml")),
            PathBuf::from("/a/c/d.yaml")
        );
    }
}
