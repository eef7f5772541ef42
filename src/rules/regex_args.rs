//! Shared by the REGEXP_* rules: Redshift's `parameters` flags and case-insensitive patterns.

use std::ops::Range;

use crate::sql::edit::Piece;

/// Redshift regex `parameters` (`'c'`, `'i'`, `'e'`, `'p'`, combined like `'ie'`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Flags {
    /// `i`: case-insensitive (the last of `c`/`i` wins, as in Redshift).
    pub insensitive: bool,
    /// `e`: return the first parenthesised subexpression.
    pub subexpression: bool,
}

impl Flags {
    /// Parses a parameters literal; `None` for a flag Redshift does not document.
    pub fn parse(s: &str) -> Option<Flags> {
        let mut f = Flags::default();
        for c in s.chars() {
            match c {
                'c' => f.insensitive = false,
                'i' => f.insensitive = true,
                'e' => f.subexpression = true,
                // `p` selects Perl-compatible syntax, which Java regexes follow.
                'p' => {}
                _ => return None,
            }
        }
        Some(f)
    }
}

/// The pattern as pieces, prefixed with `(?i)` when `insensitive`. The pattern must be a plain
/// single-quoted literal (`src` is its source text, `range` its byte range); `None` otherwise.
pub fn pattern_pieces(src: &str, range: &Range<usize>, insensitive: bool) -> Option<Vec<Piece>> {
    if !insensitive {
        return Some(vec![range.clone().into()]);
    }
    if src.len() < 2 || !src.starts_with('\'') || !src.ends_with('\'') {
        return None;
    }
    Some(vec![
        "'(?i)".into(),
        (range.start + 1..range.end - 1).into(),
        "'".into(),
    ])
}

/// Whether a regex has a capturing group: an unescaped `(` not followed by `?`, outside a
/// bracket expression.
pub fn has_capture_group(pattern: &str) -> bool {
    let b = pattern.as_bytes();
    let mut i = 0;
    let mut in_class = false;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' if !in_class => in_class = true,
            b']' if in_class => in_class = false,
            b'(' if !in_class && b.get(i + 1) != Some(&b'?') => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_parse_and_reject_unknown() {
        assert_eq!(
            Flags::parse("ie"),
            Some(Flags {
                insensitive: true,
                subexpression: true
            })
        );
        assert_eq!(Flags::parse("ic"), Some(Flags::default()));
        assert_eq!(Flags::parse("x"), None);
    }

    #[test]
    fn capture_groups_are_found() {
        assert!(has_capture_group(r"a(\d+)"));
        assert!(!has_capture_group(r"a(?:b)\(c[(]"));
    }
}
