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

/// Renders `range` of `src` with `edits` applied; `applied[i]` is set for every edit that made it
/// into the output. A source piece may be rendered several times (DATEDIFF repeats its
/// arguments), each time with the edits inside it.
pub fn render(src: &str, edits: &[Edit], range: Range<usize>, applied: &mut [bool]) -> String {
    let mut order: Vec<usize> = (0..edits.len()).collect();
    // By start; at the same start insertions first, then longer (outer) edits, then emission.
    order.sort_by(|&a, &b| {
        let (ea, eb) = (&edits[a].range, &edits[b].range);
        ea.start
            .cmp(&eb.start)
            .then_with(|| (ea.start != ea.end).cmp(&(eb.start != eb.end)))
            .then_with(|| eb.end.cmp(&ea.end))
            .then_with(|| a.cmp(&b))
    });
    let mut out = String::with_capacity(range.len() + 16);
    let mut r = Renderer {
        src,
        edits,
        order: &order,
        applied,
        ancestors: Vec::new(),
    };
    r.render_into(range, &mut out);
    out
}

struct Renderer<'a> {
    src: &'a str,
    edits: &'a [Edit],
    order: &'a [usize],
    applied: &'a mut [bool],
    /// Edits whose pieces are being rendered (never re-entered).
    ancestors: Vec<usize>,
}

impl Renderer<'_> {
    /// Renders `range` into `out`; returns the edits rendered in this subtree.
    fn render_into(&mut self, range: Range<usize>, out: &mut String) -> Vec<usize> {
        let mut pos = range.start;
        let mut subtree: Vec<usize> = Vec::new();
        if self.ancestors.len() > 64 {
            out.push_str(&self.src[range]);
            return subtree;
        }
        // First edit that can lie inside the range.
        let first = self
            .order
            .partition_point(|&i| self.edits[i].range.start < range.start);
        for k in first..self.order.len() {
            let i = self.order[k];
            let e = &self.edits[i];
            if e.range.start > range.end {
                break;
            }
            if e.range.end > range.end
                || self.ancestors.contains(&i)
                || subtree.contains(&i)
                || e.range.start < pos
            {
                continue;
            }
            out.push_str(&self.src[pos..e.range.start]);
            self.applied[i] = true;
            subtree.push(i);
            self.ancestors.push(i);
            for p in &self.edits[i].pieces {
                match p {
                    Piece::Text(t) => out.push_str(t),
                    Piece::Src(r) => {
                        let inner = self.render_into(r.clone(), out);
                        subtree.extend(inner);
                    }
                }
            }
            self.ancestors.pop();
            pos = e.range.end;
        }
        out.push_str(&self.src[pos..range.end]);
        subtree
    }
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

    #[test]
    fn repeated_source_pieces_carry_their_inner_edits_each_time() {
        let src = "D(a, G())";
        let edits = vec![
            e(0..9, vec![Piece::Src(5..8), " - ".into(), Piece::Src(5..8)]),
            e(5..8, vec!["now()".into()]),
            e(9..9, vec![" X".into()]),
        ];
        let mut used = vec![false; 3];
        assert_eq!(render(src, &edits, 0..9, &mut used), "now() - now() X");
        assert_eq!(used, vec![true, true, true]);
    }

    #[test]
    fn inner_edits_compose_inside_a_partial_source_piece() {
        // `a ~* '[[:digit:]]'`: the operator rewrite keeps only the literal's body as source and
        // wraps it in new quotes; the class rewrite inside the body must still apply.
        let src = "a ~* '[[:digit:]]'";
        let edits = vec![
            e(
                2..18,
                vec![
                    "RLIKE".into(),
                    Piece::Src(4..5),
                    "'(?i)".into(),
                    Piece::Src(6..17),
                    "'".into(),
                ],
            ),
            e(7..16, vec![r"\\d".into()]),
        ];
        let mut used = vec![false; 2];
        assert_eq!(
            render(src, &edits, 0..src.len(), &mut used),
            r"a RLIKE '(?i)[\\d]'"
        );
        assert_eq!(used, vec![true, true]);
    }

    #[test]
    fn an_edit_inside_replaced_text_is_not_applied() {
        // The outer edit drops the bytes the inner one would rewrite: the inner is reported.
        let src = "f('[[:digit:]]')";
        let edits = vec![e(2..15, vec!["'x'".into()]), e(3..14, vec!["y".into()])];
        let mut used = vec![false; 2];
        assert_eq!(render(src, &edits, 0..src.len(), &mut used), "f('x')");
        assert_eq!(used, vec![true, false]);
    }
}
