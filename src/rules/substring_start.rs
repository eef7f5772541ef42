use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::args::nondeterministic;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `SUBSTRING(s, start, n)` / `SUBSTR(…)` / `SUBSTRING(s FROM start FOR n)` whose
    /// start may be zero or negative, so that it returns what Redshift returns. Starts that are
    /// integer literals ≥ 1, or `position-function(…) + k` with k ≥ 1, are left alone.
    ///
    /// ## Why it differs on Databricks
    /// Redshift treats a start ≤ 0 as a window that begins before the string: it returns the
    /// first `start + n - 1` characters (`SUBSTRING('caterpillar', -2, 6)` is `cat`). Databricks
    /// counts a negative start **from the end** (`ar`) and treats 0 like 1. With literal
    /// arguments the rule computes the Redshift result's bounds; otherwise it emits
    /// `substring(s, greatest(start, 1), greatest(n + least(start, 1) - 1, 0))`, which equals
    /// Redshift's result for every start. Without a length, a start that may be ≤ 0 is reported
    /// (Redshift documents no such form for strings).
    ///
    /// ## Example
    /// ```sql
    /// SELECT SUBSTRING(code, 0, 3), SUBSTRING(code, pos, 2) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT SUBSTRING(code, 1, 2), SUBSTRING(code, greatest(pos, 1), greatest(2 + least(pos, 1) - 1, 0)) FROM t
    /// ```
    pub struct SubstringStart;
    code: "RS253",
    name: "substring-start",
    summary: "SUBSTRING with a start that may be <= 0 is rewritten to Redshift's window semantics",
    confidence: Exact,
    databricks_invalid: false,
}

/// The value of an integer literal written as text (`3`, `-2`, `( 0 )`).
fn int_text(t: &str) -> Option<i64> {
    let t = t.trim();
    let t = t
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .unwrap_or(t)
        .trim();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim()),
        None => (false, t.strip_prefix('+').unwrap_or(t).trim()),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let v: i64 = digits.parse().ok()?;
    Some(if neg { -v } else { v })
}

/// `locate(…) + 1`-style starts: a call to a function that returns a position or length
/// (never negative) plus a positive integer is always ≥ 1.
fn provably_positive(t: &str) -> bool {
    let t = t.trim();
    // This rule's own output (`greatest(start, 1)`), so translating twice changes nothing.
    let l = t.to_ascii_lowercase();
    if l.starts_with("greatest(") && l.ends_with(", 1)") {
        return true;
    }
    let Some((head, k)) = t.rsplit_once('+') else {
        return false;
    };
    if int_text(k).is_none_or(|k| k < 1) {
        return false;
    }
    let head = head.trim().to_ascii_lowercase();
    let nonneg = [
        "charindex(",
        "strpos(",
        "position(",
        "locate(",
        "instr(",
        "len(",
        "length(",
    ];
    nonneg.iter().any(|f| head.starts_with(f)) && head.ends_with(')')
}

impl Rule for SubstringStart {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        for i in cx.stmt.clone() {
            let t = &cx.tokens.toks[i];
            if !(t.is_word("SUBSTRING") || t.is_word("SUBSTR")) {
                continue;
            }
            // `x.substring(…)` is not the built-in.
            if let Some(p) = cx.tokens.prev_sig(i, cx.stmt.start) {
                if cx.tokens.toks[p].token == Token::Period {
                    continue;
                }
            }
            let Some(call) = cx.tokens.call(t.start, t.end, cx.stmt.end) else {
                continue;
            };
            let (s, start, len) = match call.args.len() {
                2 | 3 => (
                    call.args[0].clone(),
                    call.args[1].clone(),
                    call.args.get(2).cloned(),
                ),
                1 => {
                    // SUBSTRING(s FROM a [FOR b])
                    let Some(parts) = from_for(cx, call.open + 1, call.close) else {
                        continue;
                    };
                    parts
                }
                _ => continue,
            };
            let start_text = cx.slice(&start).to_string();
            if int_text(&start_text).is_some_and(|v| v >= 1) || provably_positive(&start_text) {
                continue;
            }
            let name = call.name.clone();
            let head = |extra: Vec<crate::sql::edit::Piece>| {
                let mut p = vec![
                    name.clone().into(),
                    "(".into(),
                    s.clone().into(),
                    ", ".into(),
                ];
                p.extend(extra);
                p.push(")".into());
                p
            };
            let Some(len) = len else {
                cx.report(
                    call.range,
                    "SUBSTRING without a length and a start that may be <= 0: Databricks counts a \
                     negative start from the end of the string; use greatest(start, 1) if that \
                     is what Redshift returned",
                    None,
                );
                continue;
            };
            let len_text = cx.slice(&len).to_string();
            let msg = "a SUBSTRING start <= 0 counts from the end on Databricks; rewritten to \
                       Redshift's window semantics";
            match (int_text(&start_text), int_text(&len_text)) {
                (Some(a), Some(n)) => {
                    let keep = (a + n - 1).max(0);
                    cx.fix(
                        call.range,
                        head(vec!["1, ".into(), keep.to_string().into()]),
                        msg,
                    );
                }
                (Some(a), None) => {
                    let pieces = head(vec![
                        "1, greatest(".into(),
                        len.clone().into(),
                        format!(" - {}, 0)", 1 - a).into(),
                    ]);
                    cx.fix(call.range, pieces, msg);
                }
                _ => {
                    if nondeterministic(&start_text) {
                        cx.report(
                            call.range,
                            "SUBSTRING with a random start cannot be rewritten (the start is \
                             repeated); compute it in a subquery first",
                            None,
                        );
                        continue;
                    }
                    let pieces = head(vec![
                        "greatest(".into(),
                        start.clone().into(),
                        ", 1), greatest(".into(),
                        len.clone().into(),
                        " + least(".into(),
                        start.clone().into(),
                        ", 1) - 1, 0)".into(),
                    ]);
                    cx.fix(call.range, pieces, msg);
                }
            }
        }
    }
}

type Parts = (
    std::ops::Range<usize>,
    std::ops::Range<usize>,
    Option<std::ops::Range<usize>>,
);

/// Splits `s FROM a [FOR b]` (token indices `from..to`) at depth-0 FROM/FOR keywords.
fn from_for(cx: &Checker<'_, '_>, from: usize, to: usize) -> Option<Parts> {
    let toks = &cx.tokens.toks;
    let mut depth = 0i32;
    let (mut kw_from, mut kw_for) = (None, None);
    for (i, t) in toks.iter().enumerate().take(to).skip(from) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            _ if depth == 0 && t.is_keyword(Keyword::FROM) => kw_from = Some(i),
            _ if depth == 0 && t.is_keyword(Keyword::FOR) => kw_for = Some(i),
            _ => {}
        }
    }
    let f = kw_from?;
    let s = cx.tokens.trimmed_bytes(from, f)?;
    match kw_for {
        Some(g) if g > f => Some((
            s,
            cx.tokens.trimmed_bytes(f + 1, g)?,
            Some(cx.tokens.trimmed_bytes(g + 1, to)?),
        )),
        Some(_) => None,
        None => Some((s, cx.tokens.trimmed_bytes(f + 1, to)?, None)),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn literal_window_is_computed() {
        assert_eq!(
            out("SELECT SUBSTRING('caterpillar', -2, 6), substr(s, 0, 3) FROM t"),
            "SELECT SUBSTRING('caterpillar', 1, 3), substr(s, 1, 2) FROM t"
        );
    }

    #[test]
    fn unknown_start_gets_the_general_form() {
        assert_eq!(
            out("SELECT SUBSTRING(s FROM p FOR 2) FROM t"),
            "SELECT SUBSTRING(s, greatest(p, 1), greatest(2 + least(p, 1) - 1, 0)) FROM t"
        );
    }

    #[test]
    fn output_is_stable() {
        let once = out("SELECT SUBSTRING(s, p, 2) FROM t");
        assert_eq!(out(&once), once);
    }

    #[test]
    fn positive_starts_are_left_alone() {
        let sql = "SELECT SUBSTRING(s, 2, 3), SUBSTR(s, locate('@', s) + 1, 5) FROM t";
        assert_eq!(out(sql), sql);
        assert!(codes(sql).is_empty());
        assert!(!codes("SELECT SUBSTR(s, CHARINDEX('@', s) + 1, 5)").contains(&"RS253"));
    }

    #[test]
    fn no_length_with_unknown_start_is_reported() {
        assert_eq!(
            out("SELECT SUBSTRING(s, p) FROM t"),
            "SELECT SUBSTRING(s, p) FROM t"
        );
        assert_eq!(codes("SELECT SUBSTRING(s, p) FROM t"), vec!["RS253"]);
    }
}
