//! Building the migration commit straight into the object database: blobs, a tree derived from
//! the base tree, and a commit whose parent is the base tip. The working tree, the index and every
//! ref stay as they are; pushing the commit is `super::push`'s job.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context as _, Result};
use git2::{FileMode, ObjectType, Oid, Repository, Signature, Tree, TreeWalkMode, TreeWalkResult};

/// Opens the repository containing `path`, honouring `GIT_DIR` and friends like the git CLI.
///
/// Kept private to the commit/push side so this module does not depend on the hook-oriented
/// `super::repo` helpers.
pub fn open_repository(path: &Path) -> Result<Repository> {
    let repo = if std::env::var_os("GIT_DIR").is_some() {
        Repository::open_from_env()
    } else {
        Repository::discover(path)
    };
    repo.with_context(|| format!("{}: not inside a git repository", path.display()))
}

/// The committer/author identity of the bot, parsed from `Name <email>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub email: String,
}

impl Identity {
    /// Parses `Name <email>`; both parts must be non-empty.
    pub fn parse(text: &str) -> Result<Identity> {
        let text = text.trim();
        let (name, rest) = text
            .split_once('<')
            .with_context(|| format!("author {text:?} is not of the form 'Name <email>'"))?;
        let email = rest
            .strip_suffix('>')
            .with_context(|| format!("author {text:?} is not of the form 'Name <email>'"))?;
        let (name, email) = (name.trim(), email.trim());
        if name.is_empty() || email.is_empty() || email.contains(['<', '>']) {
            bail!("author {text:?} is not of the form 'Name <email>'");
        }
        Ok(Identity {
            name: name.to_string(),
            email: email.to_string(),
        })
    }

    /// A signature stamped now.
    pub fn signature(&self) -> Result<Signature<'static>> {
        Ok(Signature::now(&self.name, &self.email)?)
    }

    /// Whether `sig` is this identity. The e-mail decides: a display name can be set by anyone
    /// but is not what marks a commit as the bot's.
    pub fn matches(&self, sig: &Signature<'_>) -> bool {
        sig.email_bytes()
            .eq_ignore_ascii_case(self.email.as_bytes())
    }
}

impl std::fmt::Display for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} <{}>", self.name, self.email)
    }
}

/// A regular file in a tree whose name looks like it could be a Hex export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeFile {
    /// Repository-relative path with `/` separators.
    pub path: String,
    pub blob: Oid,
}

/// Whether a file name has one of the extensions Hex exports use (`.yaml`, `.yml`; `.hex.yaml`
/// is covered by `.yaml`). Content decides whether it really is a notebook.
pub fn has_yaml_extension(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// Every regular (non-executable or executable) YAML file in `tree`, in path order.
pub fn yaml_files(tree: &Tree<'_>) -> Result<Vec<TreeFile>> {
    let mut files = Vec::new();
    let mut walk_error = None;
    tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() != Some(ObjectType::Blob) {
            return TreeWalkResult::Ok;
        }
        let mode = entry.filemode();
        if mode != i32::from(FileMode::Blob) && mode != i32::from(FileMode::BlobExecutable) {
            return TreeWalkResult::Ok; // symlinks and submodules are not notebooks
        }
        let Ok(name) = entry.name() else {
            walk_error = Some(format!("{dir}<non-UTF-8 name>"));
            return TreeWalkResult::Ok;
        };
        let path = format!("{dir}{name}");
        if has_yaml_extension(&path) {
            files.push(TreeFile {
                path,
                blob: entry.id(),
            });
        }
        TreeWalkResult::Ok
    })?;
    if let Some(path) = walk_error {
        tracing::warn!("skipping a file with a non-UTF-8 name: {path}");
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The blob at `path` in `tree`, if it is a regular file.
pub fn file_in_tree(repo: &Repository, tree: &Tree<'_>, path: &str) -> Result<Option<Vec<u8>>> {
    let entry = match tree.get_path(Path::new(path)) {
        Ok(entry) => entry,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if entry.kind() != Some(ObjectType::Blob) {
        return Ok(None);
    }
    Ok(Some(repo.find_blob(entry.id())?.content().to_vec()))
}

/// Writes `changes` (repo-relative path → new content) as blobs and returns the id of a tree
/// equal to `base` with those files replaced or added. Existing files keep their mode.
pub fn tree_with_changes(
    repo: &Repository,
    base: &Tree<'_>,
    changes: &BTreeMap<String, Vec<u8>>,
) -> Result<Oid> {
    // Group by the first path component so each subtree is rebuilt once.
    let mut here: BTreeMap<&str, &[u8]> = BTreeMap::new();
    let mut nested: BTreeMap<&str, BTreeMap<String, Vec<u8>>> = BTreeMap::new();
    for (path, content) in changes {
        match path.split_once('/') {
            Some((dir, rest)) => {
                if dir.is_empty() || rest.is_empty() {
                    bail!("invalid path in commit: {path:?}");
                }
                nested
                    .entry(dir)
                    .or_default()
                    .insert(rest.to_string(), content.clone());
            }
            None => {
                if path.is_empty() {
                    bail!("invalid empty path in commit");
                }
                here.insert(path, content);
            }
        }
    }
    let mut builder = repo.treebuilder(Some(base))?;
    for (name, content) in here {
        let blob = repo.blob(content)?;
        let mode = match base.get_name(name) {
            Some(entry) if entry.filemode() == i32::from(FileMode::BlobExecutable) => {
                FileMode::BlobExecutable
            }
            Some(entry) if entry.kind() == Some(ObjectType::Tree) => {
                bail!("cannot write file {name:?}: a directory of that name exists")
            }
            _ => FileMode::Blob,
        };
        builder.insert(name, blob, i32::from(mode))?;
    }
    for (dir, sub_changes) in nested {
        let sub_base = match base.get_name(dir) {
            Some(entry) if entry.kind() == Some(ObjectType::Tree) => {
                Some(repo.find_tree(entry.id())?)
            }
            Some(_) => bail!("cannot write into {dir:?}: a file of that name exists"),
            None => None,
        };
        let empty;
        let sub_base = match &sub_base {
            Some(tree) => tree,
            None => {
                empty = repo.find_tree(repo.treebuilder(None)?.write()?)?;
                &empty
            }
        };
        let sub = tree_with_changes(repo, sub_base, &sub_changes)?;
        builder.insert(dir, sub, i32::from(FileMode::Tree))?;
    }
    Ok(builder.write()?)
}

/// Creates a commit of `tree` on top of `parent` without moving any ref. Returns `None` when the
/// tree equals the parent's tree: an empty commit is never made.
pub fn commit_tree(
    repo: &Repository,
    parent: Oid,
    tree: Oid,
    identity: &Identity,
    message: &str,
) -> Result<Option<Oid>> {
    let parent = repo.find_commit(parent)?;
    if parent.tree_id() == tree {
        return Ok(None);
    }
    let tree = repo.find_tree(tree)?;
    let sig = identity.signature()?;
    Ok(Some(repo.commit(
        None,
        &sig,
        &sig,
        message,
        &tree,
        &[&parent],
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_with_base() -> (tempfile::TempDir, Repository, Oid) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let mut changes = BTreeMap::new();
        changes.insert("top.yaml".to_string(), b"a: 1\n".to_vec());
        changes.insert("nb/deep/one.hex.yaml".to_string(), b"b: 2\n".to_vec());
        changes.insert("nb/other.txt".to_string(), b"text\n".to_vec());
        let oid = {
            let empty = repo
                .find_tree(repo.treebuilder(None).unwrap().write().unwrap())
                .unwrap();
            let tree = tree_with_changes(&repo, &empty, &changes).unwrap();
            let sig = Signature::now("Person", "person@example.com").unwrap();
            let tree = repo.find_tree(tree).unwrap();
            repo.commit(Some("HEAD"), &sig, &sig, "base", &tree, &[])
                .unwrap()
        };
        (dir, repo, oid)
    }

    #[test]
    fn identity_parses_and_rejects() {
        let id = Identity::parse(" Bot Name <bot@example.com> ").unwrap();
        assert_eq!(id.name, "Bot Name");
        assert_eq!(id.email, "bot@example.com");
        assert_eq!(id.to_string(), "Bot Name <bot@example.com>");
        for bad in [
            "bot@example.com",
            "<bot@example.com>",
            "Bot <>",
            "Bot <a<b>",
        ] {
            assert!(Identity::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lists_yaml_files_recursively() {
        let (_dir, repo, base) = repo_with_base();
        let tree = repo.find_commit(base).unwrap().tree().unwrap();
        let files: Vec<_> = yaml_files(&tree)
            .unwrap()
            .into_iter()
            .map(|f| f.path)
            .collect();
        assert_eq!(files, ["nb/deep/one.hex.yaml", "top.yaml"]);
    }

    #[test]
    fn nested_change_keeps_siblings_and_parent_links() {
        let (_dir, repo, base) = repo_with_base();
        let base_commit = repo.find_commit(base).unwrap();
        let base_tree = base_commit.tree().unwrap();
        let mut changes = BTreeMap::new();
        changes.insert("nb/deep/one.hex.yaml".to_string(), b"b: 3\n".to_vec());
        changes.insert("nb/new/two.yml".to_string(), b"c: 4\n".to_vec());
        let tree = tree_with_changes(&repo, &base_tree, &changes).unwrap();
        let id = Identity::parse("hex-migrate <bot@example.com>").unwrap();
        let commit = commit_tree(&repo, base, tree, &id, "migrate")
            .unwrap()
            .unwrap();
        let commit = repo.find_commit(commit).unwrap();
        assert_eq!(commit.parent_ids().collect::<Vec<_>>(), vec![base]);
        assert_eq!(commit.author().email(), Ok("bot@example.com"));
        let tree = commit.tree().unwrap();
        let read = |p: &str| file_in_tree(&repo, &tree, p).unwrap();
        assert_eq!(read("nb/deep/one.hex.yaml").unwrap(), b"b: 3\n");
        assert_eq!(read("nb/new/two.yml").unwrap(), b"c: 4\n");
        assert_eq!(read("nb/other.txt").unwrap(), b"text\n");
        assert_eq!(read("top.yaml").unwrap(), b"a: 1\n");
        // HEAD did not move and no branch was created.
        assert_eq!(repo.head().unwrap().target(), Some(base));
        assert_eq!(repo.branches(None).unwrap().count(), 1);
    }

    #[test]
    fn unchanged_content_makes_no_commit() {
        let (_dir, repo, base) = repo_with_base();
        let base_tree = repo.find_commit(base).unwrap().tree().unwrap();
        let mut changes = BTreeMap::new();
        changes.insert("top.yaml".to_string(), b"a: 1\n".to_vec());
        let tree = tree_with_changes(&repo, &base_tree, &changes).unwrap();
        assert_eq!(tree, base_tree.id());
        let id = Identity::parse("hex-migrate <bot@example.com>").unwrap();
        assert!(commit_tree(&repo, base, tree, &id, "m").unwrap().is_none());
    }

    #[test]
    fn file_directory_clash_is_an_error() {
        let (_dir, repo, base) = repo_with_base();
        let base_tree = repo.find_commit(base).unwrap().tree().unwrap();
        let mut changes = BTreeMap::new();
        changes.insert("top.yaml/x.yaml".to_string(), b"x\n".to_vec());
        assert!(tree_with_changes(&repo, &base_tree, &changes).is_err());
    }
}
