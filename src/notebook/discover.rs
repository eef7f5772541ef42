//! Finding Hex notebooks under the paths a user names.
//!
//! - A directory is walked recursively in sorted order, honouring `.gitignore`, `.ignore` and
//!   the global git excludes (also outside a git repository), skipping `.git`. Symbolic links
//!   are followed, and a link loop is reported as an error.
//! - In a directory, only `*.yaml` / `*.yml` files (so also `*.hex.yaml`) are looked at, and
//!   only those whose content is a Hex project (see [`is_hex`]) are returned. Other YAML
//!   (CI workflows, configs) is skipped silently.
//! - A file named explicitly is returned when its content is a Hex project, whatever its
//!   name. An explicitly named file that is not a Hex project is skipped too (logged at info
//!   level), not reported: hooks and CI pass every changed YAML file, and a workflow file is
//!   not an error.
//! - A candidate that cannot be read is an error. One that is too large or not UTF-8 is an
//!   error when its beginning looks like a Hex project, and skipped otherwise.
//! - `excludes` are gitignore-style patterns (`drafts/`, `*.tmp.yaml`, `/old`), relative to the
//!   current directory; they apply to named files too.

use std::io::Read;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::{is_hex, read, NotebookError};

/// Hex notebooks under `paths` (sorted, without duplicates), and the problems met; a file
/// larger than `limit` bytes is a problem, not a notebook.
pub fn discover(
    paths: &[PathBuf],
    excludes: &[String],
    limit: u64,
) -> (Vec<PathBuf>, Vec<NotebookError>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let excluded = match exclude_matcher(excludes) {
        Ok(m) => m,
        Err(e) => {
            errors.push(NotebookError::Io {
                path: PathBuf::from("--exclude"),
                message: e,
            });
            return (found, errors);
        }
    };
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                errors.push(NotebookError::Io {
                    path: root.clone(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        if !meta.is_dir() {
            if is_excluded(&excluded, root, false) {
                continue;
            }
            match candidate(root, limit) {
                Ok(true) => found.push(root.clone()),
                Ok(false) => tracing::info!("{}: not a Hex notebook, skipped", root.display()),
                Err(e) => errors.push(e),
            }
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .standard_filters(true)
            .hidden(false)
            .require_git(false)
            .follow_links(true)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry({
                let excluded = excluded.clone();
                move |entry| {
                    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                    !(is_dir && entry.file_name() == ".git")
                        && (entry.depth() == 0 || !is_excluded(&excluded, entry.path(), is_dir))
                }
            })
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    errors.push(walk_error(root, e));
                    continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) || !has_yaml_extension(entry.path())
            {
                continue;
            }
            match candidate(entry.path(), limit) {
                Ok(true) => found.push(entry.into_path()),
                Ok(false) => {}
                Err(e) => errors.push(e),
            }
        }
    }
    found.sort();
    found.dedup();
    (found, errors)
}

fn has_yaml_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

fn exclude_matcher(excludes: &[String]) -> Result<Gitignore, String> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut builder = GitignoreBuilder::new(cwd);
    for pattern in excludes {
        builder
            .add_line(None, pattern)
            .map_err(|e| format!("bad exclude pattern {pattern:?}: {e}"))?;
    }
    builder.build().map_err(|e| e.to_string())
}

/// Whether `path` or one of its parents matches an exclude pattern.
fn is_excluded(excluded: &Gitignore, path: &Path, is_dir: bool) -> bool {
    if excluded.is_empty() {
        return false;
    }
    let path = path.strip_prefix("./").unwrap_or(path);
    if excluded.matched(path, is_dir).is_ignore() {
        return true;
    }
    path.ancestors()
        .skip(1)
        .filter(|p| !p.as_os_str().is_empty())
        .any(|p| excluded.matched(p, true).is_ignore())
}

fn walk_error(root: &Path, err: ignore::Error) -> NotebookError {
    // Find the path the error is about (loop errors carry the looping link).
    fn path_of(err: &ignore::Error) -> Option<PathBuf> {
        match err {
            ignore::Error::WithPath { path, .. } => Some(path.clone()),
            ignore::Error::Loop { child, .. } => Some(child.clone()),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Partial(errs) => errs.first().and_then(path_of),
            _ => None,
        }
    }
    let message = match &err {
        ignore::Error::Loop { ancestor, .. } => {
            format!("symbolic link loop (points back to {})", ancestor.display())
        }
        _ => innermost_message(&err),
    };
    NotebookError::Io {
        path: path_of(&err).unwrap_or_else(|| root.to_path_buf()),
        message,
    }
}

fn innermost_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => innermost_message(err),
        ignore::Error::Loop { ancestor, .. } => {
            format!("symbolic link loop (points back to {})", ancestor.display())
        }
        other => other.to_string(),
    }
}

/// Whether the file at `path` is a Hex notebook; errors for files that are (or may be) one
/// but cannot be used.
fn candidate(path: &Path, limit: u64) -> Result<bool, NotebookError> {
    match read(path, limit) {
        Ok(text) => Ok(is_hex(&text)),
        Err(e @ (NotebookError::TooLarge { .. } | NotebookError::NotUtf8 { .. })) => {
            if prefix_looks_hex(path) {
                Err(e)
            } else {
                Ok(false)
            }
        }
        Err(e) => Err(e),
    }
}

/// Whether the first megabyte of a file (decoded leniently) has Hex's first two top-level keys.
fn prefix_looks_hex(path: &Path) -> bool {
    let mut buf = Vec::new();
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    if file.take(1 << 20).read_to_end(&mut buf).is_err() {
        return false;
    }
    let text = String::from_utf8_lossy(&buf);
    let mut schema = false;
    let mut meta = false;
    for line in text.lines() {
        schema |= line.starts_with("schemaVersion:");
        meta |= line.starts_with("meta:");
    }
    schema && meta
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::DEFAULT_SIZE_LIMIT;

    const HEX: &str = "schemaVersion: 3\nmeta:\n  title: t\ncells: []\n";

    #[test]
    fn walks_directories_by_content_and_gitignore() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("sub dir/deeper")).unwrap();
        std::fs::create_dir_all(d.join("ignored")).unwrap();
        std::fs::create_dir_all(d.join(".git")).unwrap();
        std::fs::write(d.join(".gitignore"), "ignored/\n").unwrap();
        std::fs::write(d.join("My Project.yaml"), HEX).unwrap();
        std::fs::write(d.join("sub dir/b.hex.yaml"), HEX).unwrap();
        std::fs::write(d.join("sub dir/deeper/c.yml"), HEX).unwrap();
        std::fs::write(d.join("sub dir/notes.txt"), HEX).unwrap();
        std::fs::write(d.join("workflow.yaml"), "on: push\njobs: {}\n").unwrap();
        std::fs::write(d.join("ignored/x.yaml"), HEX).unwrap();
        std::fs::write(d.join(".git/y.yaml"), HEX).unwrap();
        let (files, errors) = discover(&[d.to_path_buf()], &[], DEFAULT_SIZE_LIMIT);
        assert!(errors.is_empty(), "{errors:?}");
        let names: Vec<_> = files
            .iter()
            .map(|p| p.strip_prefix(d).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "My Project.yaml",
                "sub dir/b.hex.yaml",
                "sub dir/deeper/c.yml"
            ]
        );
        // A named file counts by content, whatever its name; a named non-Hex file is skipped.
        let (files, errors) = discover(
            &[d.join("sub dir/notes.txt"), d.join("workflow.yaml")],
            &[],
            DEFAULT_SIZE_LIMIT,
        );
        assert!(errors.is_empty());
        assert_eq!(files, [d.join("sub dir/notes.txt")]);
        // Excludes apply to walked and named paths.
        let pattern = "sub dir/".to_string();
        let (files, _) = discover(
            &[d.to_path_buf()],
            std::slice::from_ref(&pattern),
            DEFAULT_SIZE_LIMIT,
        );
        assert_eq!(files, [d.join("My Project.yaml")]);
        let (files, _) = discover(
            &[d.join("sub dir/b.hex.yaml")],
            &[pattern],
            DEFAULT_SIZE_LIMIT,
        );
        assert!(files.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_and_missing_paths_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("a")).unwrap();
        std::os::unix::fs::symlink(d.join("a"), d.join("a/loop")).unwrap();
        std::os::unix::fs::symlink(d.join("self.yaml"), d.join("self.yaml")).unwrap();
        std::fs::write(d.join("a/ok.yaml"), HEX).unwrap();
        let (files, errors) = discover(
            &[d.to_path_buf(), d.join("missing.yaml")],
            &[],
            DEFAULT_SIZE_LIMIT,
        );
        assert_eq!(files, [d.join("a/ok.yaml")]);
        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(
            text.iter()
                .any(|m| m.contains("a/loop") && m.contains("loop")),
            "{text:?}"
        );
        assert!(text.iter().any(|m| m.contains("self.yaml")), "{text:?}");
        assert!(text.iter().any(|m| m.contains("missing.yaml")), "{text:?}");
    }
}
