//! Writing a string value the way Hex writes it (hex-format.md §3.2 and §3.3).
//!
//! Hex's exporter behaves like the npm `yaml` package (eemeli/yaml) with literal blocks
//! preferred, double quotes for quoting, and no line-width folding. The functions here follow
//! that package's `stringifyString` step by step, so a value Hex wrote comes out byte for byte
//! as Hex wrote it. Where that package would write YAML that a YAML 1.1 reader (libyaml, PyYAML)
//! reads differently, we deviate towards safety, and only for characters Hex files have never
//! been seen to hold: C1 controls, U+2028/U+2029 and U+FEFF force double quotes with escapes,
//! and one-line values that YAML 1.1 would read as a boolean, number, date or null are quoted.

use super::ScalarStyle;

/// The style Hex uses for a value (one of plain, double-quoted, literal).
pub fn choose_style(value: &str) -> ScalarStyle {
    if value.chars().any(needs_escape) {
        return ScalarStyle::DoubleQuoted;
    }
    if !value.contains('\n') {
        return if plain_safe(value) {
            ScalarStyle::Plain
        } else {
            ScalarStyle::DoubleQuoted
        };
    }
    // A block scalar cannot end in a whitespace-only line, and an all-whitespace value is
    // clearer quoted (this is the npm package's rule).
    let last_line = &value[value.rfind('\n').map_or(0, |p| p + 1)..];
    let whitespace_last_line = !last_line.is_empty() && last_line.bytes().all(is_blank);
    let all_whitespace = value.chars().all(char::is_whitespace);
    if whitespace_last_line || all_whitespace {
        ScalarStyle::DoubleQuoted
    } else {
        ScalarStyle::Literal
    }
}

/// Writes `value` as the scalar after `key: `, with `indent` the number of spaces before the
/// key. The result starts with the header (`|-`, `"`, or the plain text) and ends at the end of
/// the scalar's last line, without the line break that ends it.
pub fn emit_scalar(value: &str, key_indent: usize) -> String {
    let indent = " ".repeat(key_indent + 2);
    match choose_style(value) {
        ScalarStyle::Plain => value.to_string(),
        ScalarStyle::Literal => literal(value, &indent),
        _ => double_quoted(value, &indent),
    }
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Characters that may not appear raw in a block scalar (or that YAML 1.1 readers take for
/// line breaks or byte order marks).
fn needs_escape(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// Whether a one-line value can be written unquoted and read back as the same string by both
/// YAML 1.2 and YAML 1.1 readers.
fn plain_safe(v: &str) -> bool {
    let b = v.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    let last = b[b.len() - 1];
    // Indicator characters cannot start a plain scalar.
    if b"\t ,[]{}#&*!|>'\"%@`".contains(&first) {
        return false;
    }
    if matches!(first, b'?' | b'-' | b':') && (b.len() == 1 || is_blank(b[1])) {
        return false;
    }
    // `: ` starts a mapping value, ` #` a comment; a trailing blank or `:` does not survive.
    for w in b.windows(2) {
        if (w[0] == b':' && is_blank(w[1])) || (is_blank(w[0]) && w[1] == b'#') {
            return false;
        }
    }
    if is_blank(last) || last == b':' {
        return false;
    }
    !resolves_to_non_string(v)
}

/// Plain scalars that a YAML 1.2 core-schema or YAML 1.1 reader would turn into something
/// other than a string.
fn resolves_to_non_string(v: &str) -> bool {
    const WORDS: &[&str] = &[
        "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "y", "Y",
        "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
        "=", "<<",
    ];
    if WORDS.contains(&v) {
        return true;
    }
    let s = v.strip_prefix(['-', '+']).unwrap_or(v);
    let lower = s.to_ascii_lowercase();
    if matches!(lower.as_str(), ".inf" | ".nan") {
        return true;
    }
    // Anything number-like (digits with `.`, `_`, `:`, exponents, 0x/0o/0b prefixes) or
    // date-like (digits and `-`, `:`, `T`, spaces) is quoted: cheaper to over-quote these than
    // to reproduce two specs' number grammars, and SQL is never written like this.
    let starts_numeric = s.starts_with(|c: char| c.is_ascii_digit())
        || (s.starts_with('.') && s[1..].starts_with(|c: char| c.is_ascii_digit()));
    if starts_numeric {
        let rest_ok = s.chars().all(|c| {
            c.is_ascii_hexdigit()
                || matches!(
                    c,
                    '.' | '_'
                        | ':'
                        | '-'
                        | '+'
                        | 'x'
                        | 'X'
                        | 'o'
                        | 'O'
                        | 't'
                        | 'T'
                        | 'z'
                        | 'Z'
                        | ' '
                )
        });
        if rest_ok {
            return true;
        }
    }
    false
}

/// A literal block (`|`, `|-`, `|+`, with the `2` indicator when the value starts with
/// spaces), content at `indent`.
fn literal(value: &str, indent: &str) -> String {
    // Chomping from the trailing whitespace.
    let body_end = value.trim_end_matches(['\n', '\t', ' ']).len();
    let mut end = &value[body_end..];
    let chomp = match end.find('\n') {
        None => "-",
        Some(p) if p == end.len() - 1 => "",
        Some(_) => "+",
    };
    let body = &value[..body_end];
    if let Some(stripped) = end.strip_suffix('\n') {
        end = stripped;
    }
    // Indentation indicator from the leading spaces and line breaks. The npm package looks at
    // spaces only; a tab there also needs the indicator, or libyaml and PyYAML refuse the block
    // ("found a tab character where an indentation space is expected"). Hex has not been seen
    // writing such a value.
    let mut starts_with_space = false;
    let mut last_leading_nl = None;
    for (i, c) in body.char_indices() {
        match c {
            ' ' => starts_with_space = true,
            '\n' => last_leading_nl = Some(i),
            '\t' => {
                starts_with_space = true;
                break;
            }
            _ => break,
        }
    }
    let (start, rest) = body.split_at(last_leading_nl.map_or(0, |p| p + 1));

    let mut out = String::with_capacity(value.len() + value.len() / 8 + 8);
    out.push('|');
    if starts_with_space {
        out.push('2');
    }
    out.push_str(chomp);
    out.push('\n');
    out.push_str(indent);
    indent_after_newline_runs(&mut out, start, indent, false);
    indent_after_newline_runs(&mut out, rest, indent, false);
    indent_after_newline_runs(&mut out, end, indent, true);
    out
}

/// Copies `s`, writing `indent` after every run of line breaks (for `trailing`, only after
/// runs followed by more text, as the npm package's `blockEndNewlines` does).
fn indent_after_newline_runs(out: &mut String, s: &str, indent: &str, trailing: bool) {
    let mut chars = s.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        out.push(c);
        if c == '\n' {
            match chars.peek() {
                Some((_, '\n')) => {}
                Some(_) => out.push_str(indent),
                None if !trailing => out.push_str(indent),
                None => {}
            }
        }
    }
}

/// One unit of the JSON-escaped form the npm package starts from.
enum Unit {
    Raw(char),
    Escape(String),
    Newline,
}

/// A double-quoted scalar, multi-line values written with folded line breaks (an empty line
/// per line break, continuation lines at `indent`), as the npm package does for values of 40
/// or more JSON characters.
fn double_quoted(value: &str, indent: &str) -> String {
    let mut units = Vec::with_capacity(value.len());
    // Length of JSON.stringify(value) in UTF-16 code units, which decides whether line breaks
    // are folded.
    let mut json_len = 2usize;
    for c in value.chars() {
        let (unit, len) = match c {
            '"' => (Unit::Escape("\\\"".into()), 2),
            '\\' => (Unit::Escape("\\\\".into()), 2),
            '\n' => (Unit::Newline, 2),
            '\t' => (Unit::Escape("\\t".into()), 2),
            '\r' => (Unit::Escape("\\r".into()), 2),
            '\u{8}' => (Unit::Escape("\\b".into()), 2),
            '\u{c}' => (Unit::Escape("\\f".into()), 2),
            '\u{0}' => (Unit::Escape("\\0".into()), 6),
            '\u{7}' => (Unit::Escape("\\a".into()), 6),
            '\u{b}' => (Unit::Escape("\\v".into()), 6),
            '\u{1b}' => (Unit::Escape("\\e".into()), 6),
            '\u{85}' => (Unit::Escape("\\N".into()), 1),
            '\u{2028}' => (Unit::Escape("\\L".into()), 1),
            '\u{2029}' => (Unit::Escape("\\P".into()), 1),
            '\u{feff}' => (Unit::Escape("\\uFEFF".into()), 1),
            '\u{fffe}' => (Unit::Escape("\\uFFFE".into()), 1),
            '\u{ffff}' => (Unit::Escape("\\uFFFF".into()), 1),
            c if (c as u32) < 0x20 => (Unit::Escape(format!("\\x{:02x}", c as u32)), 6),
            c if (0x7f..=0x9f).contains(&(c as u32)) => {
                (Unit::Escape(format!("\\x{:02x}", c as u32)), 1)
            }
            c => (Unit::Raw(c), c.len_utf16()),
        };
        json_len += len;
        units.push(unit);
    }
    let fold = json_len >= 40;
    let mut out = String::with_capacity(value.len() + 16);
    out.push('"');
    let mut i = 0;
    while i < units.len() {
        match &units[i] {
            Unit::Raw(' ') if matches!(units.get(i + 1), Some(Unit::Newline)) => {
                // A space before a line break would be folded away.
                out.push_str("\\ ");
            }
            Unit::Raw(c) => out.push(*c),
            Unit::Escape(e) => out.push_str(e),
            Unit::Newline => {
                if !fold || i + 1 == units.len() {
                    out.push_str("\\n");
                } else {
                    // Folding turns "\n\n" into one line break; each further empty line is
                    // another, except a break right before the closing quote, which stays `\n`.
                    out.push_str("\n\n");
                    while matches!(units.get(i + 1), Some(Unit::Newline)) && i + 2 < units.len() {
                        out.push('\n');
                        i += 1;
                    }
                    out.push_str(indent);
                    // A leading space on a continuation line would be folded away: write it
                    // escaped here and consume it, so the rule for a space before a line break
                    // (below a `\n \n`) cannot escape it a second time (`\\ ` is a backslash).
                    if matches!(units.get(i + 1), Some(Unit::Raw(' '))) {
                        out.push_str("\\ ");
                        i += 1;
                    }
                }
            }
        }
        i += 1;
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_follows_the_hex_rule() {
        use ScalarStyle::*;
        assert_eq!(choose_style("select * from csv_file"), Plain);
        assert_eq!(choose_style("#### Search"), DoubleQuoted);
        assert_eq!(choose_style(""), DoubleQuoted);
        assert_eq!(choose_style("a: b"), DoubleQuoted);
        assert_eq!(choose_style("true"), DoubleQuoted);
        assert_eq!(choose_style("2024-01-01"), DoubleQuoted);
        assert_eq!(choose_style("select 1\n  "), DoubleQuoted);
        assert_eq!(choose_style("\n\n"), DoubleQuoted);
        assert_eq!(choose_style("select 1\nfrom t"), Literal);
        assert_eq!(choose_style("select 1\n"), Literal);
        assert_eq!(choose_style("a\u{2028}b"), DoubleQuoted);
    }

    #[test]
    fn literal_headers_and_layout() {
        assert_eq!(emit_scalar("a\nb", 0), "|-\n  a\n  b");
        assert_eq!(emit_scalar("a\nb\n", 0), "|\n  a\n  b");
        assert_eq!(emit_scalar("a\nb\n\n", 0), "|+\n  a\n  b\n");
        assert_eq!(emit_scalar("  a\nb", 0), "|2-\n    a\n  b");
        assert_eq!(emit_scalar("\n\na\n\nb", 2), "|-\n    \n\n    a\n\n    b");
        assert_eq!(emit_scalar("\n a\nb", 0), "|2-\n  \n   a\n  b");
        assert_eq!(emit_scalar("a\n \n", 0), "|+\n  a\n   ");
    }

    /// Found by the splice property test: a continuation line holding only a space came out as
    /// `\\ ` (an escaped backslash), because two rules escaped the same space.
    #[test]
    fn a_space_only_continuation_line_is_escaped_once() {
        for value in [
            "{{ start_date }}{{ start_date }}\n \n  ",
            "{{ start_date }}{{ start_date }}\n  x\n ",
            "{{ start_date }}{{ start_date }}\n\n \n",
        ] {
            let text = format!("k: {}\n", double_quoted(value, "  "));
            let back: std::collections::BTreeMap<String, String> =
                serde_yaml_ng::from_str(&text).unwrap();
            assert_eq!(back["k"], value, "{text}");
        }
    }

    #[test]
    fn double_quoted_folds_long_values_only() {
        assert_eq!(emit_scalar("a\n ", 0), "\"a\\n \"");
        assert_eq!(
            emit_scalar("select count(*) from free_customers \n    ", 6),
            "\"select count(*) from free_customers\\ \n\n        \\    \""
        );
        assert_eq!(emit_scalar("\"hi\"\tnow", 0), "\"\\\"hi\\\"\\tnow\"");
        assert_eq!(emit_scalar("say \"hi\"\tnow", 0), "say \"hi\"\tnow");
    }
}
