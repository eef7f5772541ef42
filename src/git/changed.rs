//! Files changed between two versions of a repository, with both versions' bytes.
//!
//! A check compares each changed Hex file with its earlier version, so a change carries the
//! path before (renames and copies are followed with git's similarity detection) and the bytes
//! of both sides. Deleted files are left out: nothing they contain can be new.

use git2::{Delta, Diff, DiffFindOptions, DiffOptions, FileMode, Odb, Oid, Repository, Tree};
use rayon::prelude::*;

use super::repo::{range_trees, Context, GitError, PathFilter};

/// One added, modified, renamed or copied file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Repository-relative path of the new version, `/`-separated.
    pub path: String,
    /// Path of the earlier version when it differs (rename or copy).
    pub old_path: Option<String>,
    /// The earlier versions' bytes: the base's, plus each merged-in commit's during a merge
    /// (a finding any of them had is not new). Empty when the file is new.
    pub bases: Vec<Vec<u8>>,
    /// The new version's bytes.
    pub new: Vec<u8>,
}

/// Whether a path may hold a Hex notebook (`.yaml`, `.yml`, `.hex.yaml`). Content decides in
/// the end; this only saves reading blobs that cannot be notebooks.
pub fn is_yaml_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// Changes between two trees, restricted to YAML files selected by `filter`. `old = None` is
/// the empty tree.
pub fn between_trees(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: &Tree<'_>,
    filter: &PathFilter,
) -> Result<Vec<FileChange>, GitError> {
    let mut opts = diff_options();
    let mut diff = repo
        .diff_tree_to_tree(old, Some(new), Some(&mut opts))
        .context(|| "cannot compare the two commits".to_string())?;
    changes_from_diff(repo, &mut diff, filter)
}

/// Changes from the merge base of `from` and `to` to `to` (`--from-ref`/`--to-ref`).
pub fn between_refs(
    repo: &Repository,
    from: &str,
    to: &str,
    filter: &PathFilter,
) -> Result<Vec<FileChange>, GitError> {
    let (base, target) = range_trees(repo, from, to)?;
    between_trees(repo, Some(&base), &target, filter)
}

pub(crate) fn diff_options() -> DiffOptions {
    let mut opts = DiffOptions::new();
    // No content diff is needed (we only want which files changed), and submodules are not ours.
    opts.ignore_submodules(true).context_lines(0);
    opts
}

/// Follows renames and copies, then reads both sides of every selected YAML delta.
pub(crate) fn changes_from_diff(
    repo: &Repository,
    diff: &mut Diff<'_>,
    filter: &PathFilter,
) -> Result<Vec<FileChange>, GitError> {
    let mut find = DiffFindOptions::new();
    find.renames(true).copies(true);
    diff.find_similar(Some(&mut find))
        .context(|| "cannot detect renamed files".to_string())?;

    // (path, old path, new blob, old blob): which blobs to read.
    let mut wanted: Vec<(String, Option<String>, Oid, Option<Oid>)> = Vec::new();
    for delta in diff.deltas() {
        match delta.status() {
            Delta::Added | Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange => {
            }
            // Deleted files add nothing; unmerged entries cannot be committed (git refuses before
            // running hooks); ignored/untracked/unreadable do not occur in tree/index diffs.
            _ => continue,
        }
        let new_file = delta.new_file();
        if !is_regular(new_file.mode()) {
            continue;
        }
        let Some(path) = new_file.path().map(path_string) else {
            continue;
        };
        if !is_yaml_name(&path) || !filter.matches(&path) {
            continue;
        }
        let old_file = delta.old_file();
        if delta.status() == Delta::Added || !is_regular(old_file.mode()) {
            wanted.push((path, None, new_file.id(), None));
        } else {
            let old_path = old_file.path().map(path_string).filter(|p| *p != path);
            wanted.push((path, old_path, new_file.id(), Some(old_file.id())));
        }
    }
    // Inflating the blobs is most of this step's time; libgit2's object database may be read
    // from several threads at once.
    let odb = repo
        .odb()
        .context(|| "cannot open the object database".to_string())?;
    let mut out = wanted
        .into_par_iter()
        .map(|(path, old_path, new_id, old_id)| {
            let new = read_blob(&odb, new_id, &path)?;
            let bases = match old_id {
                Some(id) => vec![read_blob(&odb, id, old_path.as_deref().unwrap_or(&path))?],
                None => Vec::new(),
            };
            Ok(FileChange {
                path,
                old_path,
                bases,
                new,
            })
        })
        .collect::<Result<Vec<_>, GitError>>()?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn is_regular(mode: FileMode) -> bool {
    matches!(mode, FileMode::Blob | FileMode::BlobExecutable)
}

fn path_string(p: &std::path::Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a blob from the object database (one handle may serve several threads). An
/// intent-to-add entry (`git add -N`) points at the empty blob, which need not exist in it.
pub(crate) fn read_blob(odb: &Odb<'_>, id: Oid, path: &str) -> Result<Vec<u8>, GitError> {
    match odb.read(id) {
        Ok(object) if object.kind() == git2::ObjectType::Blob => Ok(object.data().to_vec()),
        Ok(object) => Err(GitError::Other(format!(
            "{path}: object {id} is a {}, not a blob",
            object.kind().str()
        ))),
        Err(_) if id.is_zero() || id == empty_blob_id() => Ok(Vec::new()),
        Err(source) => Err(GitError::Git {
            context: format!("{path}: cannot read blob {id}"),
            source,
        }),
    }
}

fn empty_blob_id() -> Oid {
    Oid::from_str("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391").expect("valid oid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_names() {
        assert!(is_yaml_name("a/Search QPR - WIP.yaml"));
        assert!(is_yaml_name("x.hex.yaml"));
        assert!(is_yaml_name("X.YML"));
        assert!(!is_yaml_name("x.yaml.orig"));
        assert!(!is_yaml_name("x.json"));
    }
}
