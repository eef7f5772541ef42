//! Source edits and their composition.
//!
//! A rule's replacement is a list of pieces: new text, or a byte range of the *original* source.
//! Rendering a source piece applies the edits that lie inside it, so a rewrite of an outer node
//! (DATEDIFF) composes with rewrites inside its arguments (GETDATE) without either rule knowing
//! about the other. Edits that partially overlap another edit, or that lie inside an outer edit
//! but outside all of its source pieces, are not applied (their finding says so).

use std::ops::Range;

/// One part of a replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Literal new text.
    Text(String),
    /// The original source in this byte range, with the edits inside it applied.
    Src(Range<usize>),
}

impl From<&str> for Piece {
    fn from(s: &str) -> Self {
        Piece::Text(s.to_string())
    }
}

impl From<String> for Piece {
    fn from(s: String) -> Self {
        Piece::Text(s)
    }
}

impl From<Range<usize>> for Piece {
    fn from(r: Range<usize>) -> Self {
        Piece::Src(r)
    }
}

/// Replace `range` of the source with `pieces`. An empty range is an insertion.
#[derive(Debug, Clone)]
pub struct Edit {
    pub range: Range<usize>,
    pub pieces: Vec<Piece>,
    /// Index of the finding this edit belongs to.
    pub finding: usize,
}

/// Renders `range` of `src` with `edits` applied; `used[i]` is set for every edit that made it
/// into the output. `order` is the edit indices sorted by (start, insertions first, longer first,
/// emission order).
pub fn render(src: &str, edits: &[Edit], range: Range<usize>, used: &mut [bool]) -> String {
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by(|&a, &b| {
        let (ea, eb) = (&edits[a].range, &edits[b].range);
        ea.start
            .cmp(&eb.start)
            .then_with(|| (ea.start != ea.end).cmp(&(eb.start != eb.end)))
            .then_with(|| eb.end.cmp(&ea.end))
            .then_with(|| a.cmp(&b))
    });
    let mut out = String::with_capacity(range.len() + 16);
    render_into(src, edits, &order, range, used, &mut out, 0);
    out
}

fn render_into(
    src: &str,
    edits: &[Edit],
    order: &[usize],
    range: Range<usize>,
    used: &mut [bool],
    out: &mut String,
    depth: usize,
) {
    let mut pos = range.start;
    if depth > 64 {
        out.push_str(&src[range]);
        return;
    }
    for &i in order {
        let e = &edits[i];
        if used[i] || e.range.start < range.start || e.range.end > range.end {
            continue;
        }
        if e.range.start < pos {
            // Overlaps something already rendered: not applied.
            continue;
        }
        out.push_str(&src[pos..e.range.start]);
        used[i] = true;
        for p in &e.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Src(r) => render_into(src, edits, order, r.clone(), used, out, depth + 1),
            }
        }
        pos = e.range.end;
    }
    out.push_str(&src[pos..range.end]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(range: Range<usize>, pieces: Vec<Piece>) -> Edit {
        Edit {
            range,
            pieces,
            finding: 0,
        }
    }

    #[test]
    fn nested_edits_compose_through_source_pieces() {
        let src = "F(G(), x)";
        let edits = vec![
            e(
                0..9,
                vec![
                    "h(".into(),
                    Piece::Src(7..8),
                    ", ".into(),
                    Piece::Src(2..5),
                    ")".into(),
                ],
            ),
            e(2..5, vec!["now()".into()]),
        ];
        let mut used = vec![false; 2];
        assert_eq!(render(src, &edits, 0..9, &mut used), "h(x, now())");
        assert_eq!(used, vec![true, true]);
    }

    #[test]
    fn insertion_and_overlap() {
        let src = "abc def";
        let edits = vec![
            e(3..3, vec![" X".into()]),
            e(0..3, vec!["A".into()]),
            e(2..5, vec!["?".into()]),
        ];
        let mut used = vec![false; 3];
        assert_eq!(render(src, &edits, 0..7, &mut used), "A X def");
        assert_eq!(used, vec![true, true, false]);
    }
}
