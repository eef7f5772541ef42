//! Mapping positions in a cell's decoded SQL to positions in the YAML file.
//!
//! Diagnostics are found in the decoded SQL but must point into the file. For a literal block
//! that is a shift by the header line and the indentation; for quoted and plain scalars the
//! file has escapes and folded line breaks, so we walk the raw scalar the way a YAML reader
//! does and record where each decoded character came from. The walk is checked against the
//! parser's decoded value; if they ever disagree (a construct Hex never writes), every
//! position maps to the start of the scalar rather than to a wrong place.

use super::{ScalarStyle, SqlCell};
use crate::sql::tokens::LineIndex;

/// Maps (line, column) in a SQL cell's decoded text to (line, column) in the YAML file.
/// Lines are 1-based; columns are 1-based and count characters.
#[derive(Debug, Clone)]
pub struct LineMap {
    /// For each decoded line, the file position of each character, then one more entry: the
    /// position just after the line's last character (where its line break, if any, is).
    lines: Vec<Vec<(usize, usize)>>,
    /// Where the scalar starts (used when a position is outside the value).
    start: (usize, usize),
}

impl LineMap {
    /// Builds the map for `cell`, a cell of a notebook parsed from `text`.
    pub fn new(text: &str, cell: &SqlCell) -> LineMap {
        LineMap::with_index(text, &LineIndex::new(text), cell)
    }

    /// [`LineMap::new`], finding where the scalar starts through `index` (the line index of
    /// `text`, built once per file): for mapping many cells of one file.
    pub fn with_index(text: &str, index: &LineIndex, cell: &SqlCell) -> LineMap {
        LineMap::at(text, cell, index.line_col(text, cell.source.range.start))
    }

    /// The map of `cell`, whose scalar starts at file position `start`.
    fn at(text: &str, cell: &SqlCell, start: (usize, usize)) -> LineMap {
        let range = cell.source.range.clone();
        let raw = &text[range.clone()];
        let walked = match cell.source.style {
            ScalarStyle::Literal => literal(raw, start, cell.source.key_indent),
            ScalarStyle::DoubleQuoted => flow(raw, start, Quote::Double),
            ScalarStyle::SingleQuoted => flow(raw, start, Quote::Single),
            ScalarStyle::Plain => flow(raw, start, Quote::None),
            ScalarStyle::Folded => None,
        };
        let lines = match walked {
            Some((decoded, lines)) if decoded == cell.source.value => lines,
            _ => Vec::new(),
        };
        LineMap { lines, start }
    }

    /// Whether positions are exact (false only for scalar forms Hex never writes, which map
    /// every position to the start of the scalar).
    pub fn is_exact(&self) -> bool {
        !self.lines.is_empty()
    }

    /// The file position of (`line`, `col`) in the decoded SQL (both 1-based, columns in
    /// characters). Positions past the end of a line map to the end of that line; positions
    /// past the last line map to the end of the value.
    pub fn map(&self, line: usize, col: usize) -> (usize, usize) {
        let Some(last) = self.lines.len().checked_sub(1) else {
            return self.start;
        };
        let positions = &self.lines[line.saturating_sub(1).min(last)];
        let idx = col.saturating_sub(1).min(positions.len() - 1);
        positions[idx]
    }
}

type Walk = (String, Vec<Vec<(usize, usize)>>);

/// A literal block: decoded line `i` is file line `header + 1 + i`, shifted by the
/// indentation.
fn literal(raw: &str, start: (usize, usize), key_indent: usize) -> Option<Walk> {
    let (header, body) = raw.split_once('\n').unwrap_or((raw, ""));
    let explicit = header
        .chars()
        .find(|c| c.is_ascii_digit())
        .and_then(|c| c.to_digit(10));
    let body_lines: Vec<&str> = body.split('\n').collect();
    let indent = match explicit {
        Some(d) => key_indent + d as usize,
        None => body_lines
            .iter()
            .find(|l| !l.trim_start_matches(' ').is_empty())
            .map_or(key_indent + 2, |l| {
                l.len() - l.trim_start_matches(' ').len()
            }),
    };
    let mut decoded = String::new();
    let mut lines = Vec::new();
    for (i, l) in body_lines.iter().enumerate() {
        let content = l.get(indent..).unwrap_or("");
        let file_line = start.0 + 1 + i;
        let mut positions: Vec<(usize, usize)> = (0..content.chars().count())
            .map(|c| (file_line, indent + 1 + c))
            .collect();
        positions.push((file_line, indent + 1 + positions.len()));
        lines.push(positions);
        if i > 0 {
            decoded.push('\n');
        }
        decoded.push_str(content);
    }
    // Rebuild the value as YAML reads it, with the chomping of the header, to check the walk.
    let chomp = header.chars().find(|c| matches!(c, '-' | '+'));
    let body_text = decoded.trim_end_matches('\n');
    let value = match chomp {
        Some('-') => body_text.to_string(),
        Some(_) => format!("{decoded}\n"),
        None if body_text.is_empty() => String::new(),
        None => format!("{body_text}\n"),
    };
    Some((value, lines))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

/// Walks a flow scalar (plain, single- or double-quoted), decoding it the way YAML does and
/// recording where each decoded character is in the file.
fn flow(raw: &str, start: (usize, usize), quote: Quote) -> Option<Walk> {
    let chars: Vec<char> = raw.chars().collect();
    let mut i = 0;
    let (mut line, mut col) = start;
    if quote != Quote::None {
        // Skip the opening quote.
        i = 1;
        col += 1;
    }
    let end = match quote {
        Quote::None => chars.len(),
        _ => chars.len().saturating_sub(1),
    };
    let mut decoded = String::new();
    let mut lines: Vec<Vec<(usize, usize)>> = vec![Vec::new()];
    // Raw blanks not yet known to be content (a line break after them drops them).
    let mut pending: Vec<(char, (usize, usize))> = Vec::new();
    let push = |decoded: &mut String, lines: &mut Vec<Vec<(usize, usize)>>, c: char, at| {
        decoded.push(c);
        lines.last_mut().unwrap().push(at);
    };
    while i < end {
        let c = chars[i];
        match c {
            ' ' | '\t' => {
                pending.push((c, (line, col)));
                i += 1;
                col += 1;
            }
            '\n' | '\r' => {
                // Folding: blanks before the break go; empty lines become line breaks, a single
                // break becomes a space; the next line's leading blanks go.
                let break_at = pending.first().map_or((line, col), |p| p.1);
                pending.clear();
                let mut empty_lines = 0;
                loop {
                    // Consume the break.
                    if chars[i] == '\r' && chars.get(i + 1) == Some(&'\n') {
                        i += 1;
                    }
                    i += 1;
                    line += 1;
                    col = 1;
                    while i < end && matches!(chars[i], ' ' | '\t') {
                        i += 1;
                        col += 1;
                    }
                    if i < end && matches!(chars[i], '\n' | '\r') {
                        empty_lines += 1;
                        continue;
                    }
                    break;
                }
                if empty_lines == 0 {
                    push(&mut decoded, &mut lines, ' ', break_at);
                } else {
                    lines.last_mut().unwrap().push(break_at);
                    decoded.push('\n');
                    for k in 1..empty_lines {
                        lines.push(vec![(line - empty_lines + k, 1)]);
                        decoded.push('\n');
                    }
                    lines.push(Vec::new());
                }
            }
            '\'' if quote == Quote::Single && chars.get(i + 1) == Some(&'\'') => {
                flush(&mut pending, &mut decoded, &mut lines);
                push(&mut decoded, &mut lines, '\'', (line, col));
                i += 2;
                col += 2;
            }
            '\\' if quote == Quote::Double => {
                flush(&mut pending, &mut decoded, &mut lines);
                let at = (line, col);
                let next = *chars.get(i + 1)?;
                if matches!(next, '\n' | '\r') {
                    // An escaped line break: no character, and the next line's leading
                    // blanks are not content.
                    i += 2;
                    if next == '\r' && chars.get(i) == Some(&'\n') {
                        i += 1;
                    }
                    line += 1;
                    col = 1;
                    while i < end && matches!(chars[i], ' ' | '\t') {
                        i += 1;
                        col += 1;
                    }
                    continue;
                }
                let (value, len) = unescape(&chars[i + 1..])?;
                push(&mut decoded, &mut lines, value, at);
                i += 1 + len;
                col += 1 + len;
            }
            _ => {
                flush(&mut pending, &mut decoded, &mut lines);
                push(&mut decoded, &mut lines, c, (line, col));
                i += 1;
                col += 1;
            }
        }
    }
    // Blanks before the closing quote are content; trailing blanks of a plain scalar are not.
    if quote != Quote::None {
        flush(&mut pending, &mut decoded, &mut lines);
    }
    let end_at = (line, col);
    lines.last_mut().unwrap().push(end_at);
    Some((decoded, lines))
}

fn flush(
    pending: &mut Vec<(char, (usize, usize))>,
    decoded: &mut String,
    lines: &mut [Vec<(usize, usize)>],
) {
    for (c, at) in pending.drain(..) {
        decoded.push(c);
        lines.last_mut().unwrap().push(at);
    }
}

/// Decodes the escape after a backslash; returns the character and how many characters of
/// the source it used.
fn unescape(rest: &[char]) -> Option<(char, usize)> {
    let c = *rest.first()?;
    let simple = match c {
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        't' | '\t' => '\t',
        'n' => '\n',
        'v' => '\u{b}',
        'f' => '\u{c}',
        'r' => '\r',
        'e' => '\u{1b}',
        ' ' => ' ',
        '"' => '"',
        '/' => '/',
        '\\' => '\\',
        'N' => '\u{85}',
        '_' => '\u{a0}',
        'L' => '\u{2028}',
        'P' => '\u{2029}',
        'x' | 'u' | 'U' => {
            let n = match c {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let hex: String = rest.get(1..=n)?.iter().collect();
            let code = u32::from_str_radix(&hex, 16).ok()?;
            return Some((char::from_u32(code)?, 1 + n));
        }
        _ => return None,
    };
    Some((simple, 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::parse;
    use std::path::Path;

    fn map_of(text: &str) -> (LineMap, String) {
        let nb = parse(Path::new("t.yaml"), text).unwrap();
        let cell = &nb.sql_cells[0];
        (LineMap::new(text, cell), cell.source.value.clone())
    }

    #[test]
    fn line_index_positions_equal_a_scan_from_the_start() {
        let text = "ab\ncé d\n\nxyz\n";
        let index = LineIndex::new(text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let before = &text[..offset];
            let line_start = before.rfind('\n').map_or(0, |p| p + 1);
            let scanned = (
                1 + before.matches('\n').count(),
                1 + before[line_start..].chars().count(),
            );
            assert_eq!(index.line_col(text, offset), scanned, "offset {offset}");
        }
    }

    #[test]
    fn literal_block_shifts_by_header_and_indent() {
        let text = "cells:\n  - cellType: SQL\n    config:\n      source: |-\n        select\n\n          é, getdate()\n";
        let (m, _) = map_of(text);
        assert_eq!(m.map(1, 1), (5, 9));
        assert_eq!(m.map(3, 6), (7, 14));
        // Past the end of a line: the end of that line.
        assert_eq!(m.map(1, 99), (5, 15));
    }

    #[test]
    fn literal_block_with_indentation_indicator() {
        let text =
            "cells:\n  - cellType: SQL\n    config:\n      source: |2-\n          x\n        y\n";
        let (m, v) = map_of(text);
        assert_eq!(v, "  x\ny");
        assert_eq!(m.map(1, 3), (5, 11));
        assert_eq!(m.map(2, 1), (6, 9));
    }

    #[test]
    fn double_quoted_follows_escapes_and_folds() {
        let text = "cells:\n  - cellType: SQL\n    config:\n      source: \"select \\\"a\\\" from\n\n        t\\ \n\n        \\    \"\n";
        let (m, v) = map_of(text);
        assert_eq!(v, "select \"a\" from\nt \n    ");
        assert_eq!(m.map(1, 1), (4, 16));
        // `a` sits after the escaped quote: one column further than a linear map would say.
        assert_eq!(m.map(1, 9), (4, 25));
        assert_eq!(m.map(2, 1), (6, 9));
        assert_eq!(m.map(3, 2), (8, 11));
    }

    #[test]
    fn plain_one_line() {
        let text = "cells:\n  - cellType: SQL\n    config:\n      source: select * from t\n";
        let (m, _) = map_of(text);
        assert_eq!(m.map(1, 15), (4, 29));
    }
}
