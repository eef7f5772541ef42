//! Reading a file as notebook text, and telling a Hex notebook from other YAML.

use std::io::Read;
use std::path::Path;

use super::NotebookError;

/// Files larger than this are refused unless the caller passes a larger limit (20 MB; the
/// largest real export seen is 173 KB).
pub const DEFAULT_SIZE_LIMIT: u64 = 20 * 1024 * 1024;

/// Reads `path` as UTF-8 text, refusing files over `limit` bytes.
///
/// The size is checked before reading (and again while reading, in case the file grows), so a
/// huge file is never loaded into memory.
pub fn read(path: &Path, limit: u64) -> Result<String, NotebookError> {
    let io = |e: std::io::Error| NotebookError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(NotebookError::Io {
            path: path.to_path_buf(),
            message: "is a directory".to_string(),
        });
    }
    if meta.len() > limit {
        return Err(NotebookError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // Read one byte past the limit so a file that grew after `metadata` is still caught.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(NotebookError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..bad].iter().filter(|&&b| b == b'\n').count();
        NotebookError::NotUtf8 {
            path: path.to_path_buf(),
            line,
        }
    })
}

/// Whether `text` looks like a Hex project file: a top-level mapping with the keys
/// `schemaVersion`, `meta` and `cells`.
///
/// This is a cheap line scan, not a parse: it looks at unindented `key:` lines only, which is
/// how every Hex export (and any block-style YAML) writes top-level keys. A file that passes
/// is then parsed for real, and a malformed one is reported by `parse`.
pub fn is_hex(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut schema, mut meta, mut cells) = (false, false, false);
    for line in text.lines() {
        let key = match top_level_key(line) {
            Some(k) => k,
            None => continue,
        };
        match key {
            "schemaVersion" => schema = true,
            "meta" => meta = true,
            "cells" => cells = true,
            _ => {}
        }
        if schema && meta && cells {
            return true;
        }
    }
    false
}

/// The key of an unindented `key:` line (quotes around the key removed), if the line is one.
fn top_level_key(line: &str) -> Option<&str> {
    let first = line.as_bytes().first()?;
    if matches!(first, b' ' | b'\t' | b'#' | b'-') {
        return None;
    }
    let colon = line.find(':')?;
    let after = &line[colon + 1..];
    if !(after.is_empty() || after.starts_with(' ') || after.starts_with('\t')) {
        return None;
    }
    let key = line[..colon].trim_end();
    let key = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
        .unwrap_or(key);
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_hex_by_its_three_top_level_keys() {
        assert!(is_hex("schemaVersion: 3\nmeta:\n  title: x\ncells: []\n"));
        assert!(is_hex(
            "\u{feff}\"schemaVersion\": 3\nmeta: {}\ncells:\n  - cellType: SQL\n"
        ));
        // Nested keys do not count.
        assert!(!is_hex("schemaVersion: 3\nmeta:\n  cells: []\n"));
        assert!(!is_hex("name: ci\non: push\njobs: {}\n"));
        assert!(!is_hex("schemaVersion: 3\ncells: []\n"));
        // A key needs a colon followed by a space or end of line.
        assert!(!is_hex("schemaVersion:3\nmeta:\ncells:\n"));
    }

    #[test]
    fn read_reports_size_and_encoding_problems() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.yaml");
        std::fs::write(&p, b"a: 1\nb: \xff\n").unwrap();
        match read(&p, DEFAULT_SIZE_LIMIT) {
            Err(NotebookError::NotUtf8 { line, .. }) => assert_eq!(line, 2),
            other => panic!("expected NotUtf8, got {other:?}"),
        }
        std::fs::write(&p, "x".repeat(100)).unwrap();
        assert!(matches!(
            read(&p, 99),
            Err(NotebookError::TooLarge {
                size: 100,
                limit: 99,
                ..
            })
        ));
        assert_eq!(read(&p, 100).unwrap().len(), 100);
        let missing = dir.path().join("missing.yaml");
        let err = read(&missing, 100).unwrap_err();
        assert!(matches!(err, NotebookError::Io { .. }));
        assert!(err.to_string().contains("missing.yaml"), "{err}");
    }
}
