//! Suppression comments (syntax fixed in BRIEF.md):
//!
//! - `-- hex-migrate: ignore[RS101,RS203]` suppresses those codes on the line the comment ends,
//!   or, when the comment stands alone on its line, on the next line. `ignore` without a list
//!   suppresses every code there.
//! - `-- hex-migrate: ignore-cell[RS101]` suppresses the codes in the whole cell;
//!   `ignore-cell` without a list suppresses every code in the cell.
//!
//! A suppressed finding is dropped and its rewrite is not applied.

use std::collections::HashMap;
use std::ops::Range;

use super::tokens::{LineIndex, Tokens};

/// Which codes are suppressed where.
#[derive(Debug, Default, Clone)]
pub struct Suppressions {
    cell_all: bool,
    cell: Vec<String>,
    /// 0-based line → codes (`None` = every code).
    lines: HashMap<usize, Option<Vec<String>>>,
    /// Codes that name no rule: (span of the comment, code).
    pub unknown: Vec<(Range<usize>, String)>,
}

impl Suppressions {
    /// Reads every `--` comment of the cell.
    pub fn parse(
        src: &str,
        tokens: &Tokens,
        index: &LineIndex,
        known: impl Fn(&str) -> bool,
    ) -> Self {
        let mut s = Suppressions::default();
        for t in &tokens.toks {
            let Some(body) = t.line_comment() else {
                continue;
            };
            let Some(rest) = body.trim().strip_prefix("hex-migrate:") else {
                continue;
            };
            let rest = rest.trim();
            let (cell, list) = if let Some(l) = rest.strip_prefix("ignore-cell") {
                (true, l.trim())
            } else if let Some(l) = rest.strip_prefix("ignore") {
                (false, l.trim())
            } else {
                continue;
            };
            let codes: Option<Vec<String>> = list
                .strip_prefix('[')
                .and_then(|l| l.split(']').next())
                .map(|inner| {
                    inner
                        .split(',')
                        .map(|c| c.trim().to_ascii_uppercase())
                        .filter(|c| !c.is_empty())
                        .collect()
                });
            let range = t.start..t.end;
            if let Some(codes) = &codes {
                for c in codes {
                    if !known(c) {
                        s.unknown.push((range.clone(), c.clone()));
                    }
                }
            }
            if cell {
                match codes {
                    None => s.cell_all = true,
                    Some(c) => s.cell.extend(c),
                }
                continue;
            }
            let line = index.line_of(t.start);
            let line_start = src[..t.start].rfind('\n').map_or(0, |p| p + 1);
            let alone = src[line_start..t.start].trim().is_empty();
            let target = if alone { line + 1 } else { line };
            let entry = s.lines.entry(target).or_insert_with(|| Some(Vec::new()));
            match (entry.as_mut(), codes) {
                (Some(v), Some(c)) => v.extend(c),
                _ => *entry = None,
            }
        }
        s
    }

    /// Whether `code` is suppressed on 0-based `line`.
    pub fn suppressed(&self, code: &str, line: usize) -> bool {
        if self.cell_all || self.cell.iter().any(|c| c == code) {
            return true;
        }
        match self.lines.get(&line) {
            Some(None) => true,
            Some(Some(codes)) => codes.iter().any(|c| c == code),
            None => false,
        }
    }
}
