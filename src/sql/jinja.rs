//! Jinja masking: `{{ }}`, `{% %}` and `{# #}` are replaced with placeholders of the same byte
//! length that the SQL parser accepts, so every span of the masked text is also a span of the
//! original. Jinja text itself is never rewritten: edits that touch a masked region are dropped.

use std::ops::Range;

/// The masked text and where the Jinja was.
#[derive(Debug, Clone)]
pub struct Masked {
    /// Same byte length as the input; Jinja replaced by placeholders.
    pub text: String,
    /// Byte ranges of the Jinja tags in the input, in order.
    pub regions: Vec<Range<usize>>,
}

impl Masked {
    /// Whether `range` touches Jinja (overlaps a tag, or is an insertion strictly inside one).
    pub fn overlaps(&self, range: &Range<usize>) -> bool {
        self.regions.iter().any(|r| {
            if range.start == range.end {
                r.start < range.start && range.start < r.end
            } else {
                r.start < range.end && range.start < r.end
            }
        })
    }
}

/// Masks every Jinja tag of `src`. `{{ … }}` becomes an identifier (`__j___`, spaces on any
/// continuation lines), `{% … %}` and `{# … #}` a block comment of the same shape. Newlines are
/// kept, so line numbers do not move; multi-byte characters become several ASCII bytes, so byte
/// offsets do not move either. An unclosed tag is left as it is.
pub fn mask(src: &str) -> Masked {
    let bytes = src.as_bytes();
    if !src.contains('{') {
        return Masked {
            text: src.to_string(),
            regions: Vec::new(),
        };
    }
    let mut out: Vec<u8> = bytes.to_vec();
    let mut regions = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] != b'{' {
            i += 1;
            continue;
        }
        let close: &[u8] = match bytes[i + 1] {
            b'{' => b"}}",
            b'%' => b"%}",
            b'#' => b"#}",
            _ => {
                i += 1;
                continue;
            }
        };
        let Some(rel) = find(&bytes[i + 2..], close) else {
            i += 1;
            continue;
        };
        let end = i + 2 + rel + 2;
        fill(&mut out[i..end], bytes[i + 1] == b'{');
        regions.push(i..end);
        i = end;
    }
    // Only ASCII bytes were written over whole UTF-8 sequences, so this cannot fail; fall back to
    // the input rather than panic if that ever changes.
    let text = String::from_utf8(out).unwrap_or_else(|_| src.to_string());
    Masked { text, regions }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn fill(region: &mut [u8], expression: bool) {
    let n = region.len();
    let first_nl = region.iter().position(|&b| b == b'\n').unwrap_or(n);
    for (k, b) in region.iter_mut().enumerate() {
        if *b == b'\n' || *b == b'\r' && expression {
            continue;
        }
        *b = if expression {
            if k < first_nl {
                if k == 2 {
                    b'j'
                } else {
                    b'_'
                }
            } else {
                b' '
            }
        } else {
            b' '
        };
    }
    if !expression {
        // `{%` and `%}` are two bytes each, so the comment markers always fit.
        region[0] = b'/';
        region[1] = b'*';
        region[n - 2] = b'*';
        region[n - 1] = b'/';
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_byte_length_and_lines() {
        let src = "SELECT {{ x | sqlsafe }} FROM t {% if a %}\nWHERE b{% endif %} -- {# c #}";
        let m = mask(src);
        assert_eq!(m.text.len(), src.len());
        assert_eq!(m.regions.len(), 4);
        assert_eq!(
            m.text,
            "SELECT __j______________ FROM t /*      */\nWHERE b/*       */ -- /*   */"
        );
    }

    #[test]
    fn multibyte_and_multiline_expression() {
        let src = "SELECT {{ größe\n }} AS x";
        let m = mask(src);
        assert_eq!(m.text.len(), src.len());
        assert_eq!(m.text.lines().count(), 2);
        assert!(m.text.starts_with("SELECT __j_"));
    }

    #[test]
    fn unclosed_tag_is_left_alone() {
        let m = mask("SELECT '{{' AS x");
        assert_eq!(m.text, "SELECT '{{' AS x");
        assert!(m.regions.is_empty());
    }
}
