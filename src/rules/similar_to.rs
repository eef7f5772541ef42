use sqlparser::ast::{Expr, Value};
use sqlparser::keywords::Keyword;

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Rewrites `s [NOT] SIMILAR TO 'pattern'` to `s [NOT] RLIKE '^(?:regex)$'`, translating the
    /// pattern: `%` → `.*`, `_` → `.`, characters that are literal in SIMILAR TO but special in
    /// Java (`.`, `^`, `$`) escaped, `\` escapes honoured, POSIX classes mapped. Non-literal
    /// patterns and `ESCAPE` clauses are reported.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `SIMILAR TO` (a syntax error). SIMILAR TO matches the whole string,
    /// RLIKE anywhere, hence the anchors.
    ///
    /// ## Example
    /// ```sql
    /// SELECT * FROM t WHERE email SIMILAR TO '%@(gmail|yahoo).com'
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT * FROM t WHERE email RLIKE '^(?:.*@(gmail|yahoo)\\.com)$'
    /// ```
    pub struct SimilarTo;
    code: "RS203",
    name: "similar-to",
    summary: "SIMILAR TO becomes an anchored RLIKE with the pattern translated",
    confidence: Caveat,
    databricks_invalid: true,
}

impl Rule for SimilarTo {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::SimilarTo {
            negated,
            pattern,
            escape_char,
            expr,
        } = e
        else {
            return;
        };
        let (Some(ls), Some(ps)) = (cx.expr_start(expr), cx.expr_start(pattern)) else {
            return;
        };
        let toks = cx.tokens;
        let (li, pi) = (toks.at(ls), toks.at(ps));
        let Some(sim) = (li..pi)
            .rev()
            .find(|&k| toks.toks[k].is_keyword(Keyword::SIMILAR))
        else {
            return;
        };
        let start = match toks.prev_sig(sim, li) {
            Some(n) if *negated && toks.toks[n].is_keyword(Keyword::NOT) => n,
            _ => sim,
        };
        let from = toks.toks[start].start;
        let Some(pat) = cx.expr_range(pattern) else {
            cx.report(
                from..toks.toks[pi].end,
                "SIMILAR TO with a pattern the tool cannot delimit; translate to RLIKE by hand",
                None,
            );
            return;
        };
        let span = toks.toks[li].start..pat.end;
        let Expr::Value(v) = pattern.as_ref() else {
            cx.report(
                span,
                "SIMILAR TO with a non-literal pattern: translate to RLIKE by hand",
                None,
            );
            return;
        };
        let Value::SingleQuotedString(value) = &v.value else {
            cx.report(
                span,
                "SIMILAR TO with a non-literal pattern: translate to RLIKE by hand",
                None,
            );
            return;
        };
        if escape_char.is_some() {
            cx.report(
                span,
                "SIMILAR TO … ESCAPE: translate to RLIKE by hand",
                None,
            );
            return;
        }
        if cx.has_jinja(&pat) {
            cx.jinja_hides(span, "the SIMILAR TO pattern");
            return;
        }
        let regex = translate(value);
        let literal = format!("'{}'", regex.replace('\\', "\\\\").replace('\'', "\\'"));
        let word = if *negated { "NOT RLIKE " } else { "RLIKE " };
        cx.fix_in(
            Self::INFO.confidence,
            span,
            from..pat.end,
            vec![word.into(), Piece::Text(literal)],
            "Databricks has no SIMILAR TO; anchored RLIKE with the pattern translated",
        );
    }
}

/// SIMILAR TO pattern (value, escapes already processed by the literal) → Java regex.
fn translate(p: &str) -> String {
    let mut out = String::from("^(?:");
    let mut chars = p.chars().peekable();
    let mut in_bracket = false;
    while let Some(c) = chars.next() {
        if in_bracket {
            out.push(c);
            if c == ']' {
                in_bracket = false;
            }
            continue;
        }
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    if n.is_ascii_alphanumeric() {
                        out.push(n);
                    } else {
                        out.push('\\');
                        out.push(n);
                    }
                }
            }
            '%' => out.push_str(".*"),
            '_' => out.push('.'),
            '.' | '^' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '[' => {
                in_bracket = true;
                out.push(c);
                if chars.peek() == Some(&']') {
                    out.push(chars.next().unwrap_or(']'));
                }
            }
            _ => out.push(c),
        }
    }
    out.push_str(")$");
    // POSIX classes inside brackets, for a regex value (single backslashes).
    for (posix, java) in [
        ("[:alpha:]", "\\p{Alpha}"),
        ("[:digit:]", "\\d"),
        ("[:alnum:]", "\\p{Alnum}"),
        ("[:upper:]", "\\p{Upper}"),
        ("[:lower:]", "\\p{Lower}"),
        ("[:space:]", "\\s"),
        ("[:punct:]", "\\p{Punct}"),
    ] {
        out = out.replace(posix, java);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn pattern_is_translated_and_anchored() {
        assert_eq!(
            out("SELECT * FROM t WHERE email SIMILAR TO '%@(gmail|yahoo).com' AND c NOT SIMILAR TO 'a_[[:digit:]]%'"),
            "SELECT * FROM t WHERE email RLIKE '^(?:.*@(gmail|yahoo)\\\\.com)$' AND c NOT RLIKE '^(?:a.[\\\\d].*)$'"
        );
    }

    #[test]
    fn column_pattern_is_reported() {
        assert_eq!(codes("SELECT a SIMILAR TO b FROM t"), vec!["RS203"]);
    }
}
