//! What a commit would add: the index compared with `HEAD`, read-only.
//!
//! The index is the one git's environment names (`GIT_INDEX_FILE`, a temporary index under
//! `git commit -a` / `git commit <path>`); it is loaded, never written, never locked. An unborn
//! `HEAD` (the first commit) compares with the empty tree, so everything staged is new. While a
//! merge is being concluded, each merged-in commit's version of a file is a base as well: the
//! merge commit is not blamed for what either side already had.

use git2::{Repository, Tree};

use super::changed::{changes_from_diff, diff_options, is_yaml_name, read_blob, FileChange};
use super::repo::{head_tree, merge_heads, Context, GitError, PathFilter};

/// Staged YAML files selected by `filter` that differ from `HEAD`, with their staged bytes and
/// their `HEAD` (and `MERGE_HEAD`) versions.
pub fn staged_changes(repo: &Repository, filter: &PathFilter) -> Result<Vec<FileChange>, GitError> {
    // `Repository::index` loads the file `GIT_INDEX_FILE` names when the repository was opened
    // from the environment. Passing it explicitly keeps libgit2 from touching anything else.
    let index = repo
        .index()
        .context(|| "cannot read the git index".to_string())?;
    let head = head_tree(repo)?;
    let mut opts = diff_options();
    let mut diff = repo
        .diff_tree_to_index(head.as_ref(), Some(&index), Some(&mut opts))
        .context(|| "cannot compare the index with HEAD".to_string())?;
    let mut changes = changes_from_diff(repo, &mut diff, filter)?;

    let merged: Vec<Tree<'_>> = merge_heads(repo)
        .into_iter()
        .filter_map(|id| repo.find_commit(id).and_then(|c| c.tree()).ok())
        .collect();
    let odb = repo
        .odb()
        .context(|| "cannot open the object database".to_string())?;
    for change in &mut changes {
        for tree in &merged {
            let path = change.old_path.as_deref().unwrap_or(&change.path);
            for candidate in [path, change.path.as_str()] {
                if let Ok(entry) = tree.get_path(std::path::Path::new(candidate)) {
                    if entry.kind() == Some(git2::ObjectType::Blob) && is_yaml_name(candidate) {
                        change.bases.push(read_blob(&odb, entry.id(), candidate)?);
                        break;
                    }
                }
            }
        }
    }
    Ok(changes)
}
