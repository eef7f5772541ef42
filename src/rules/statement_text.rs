//! Token helpers for statement-level rules: the statement's byte range, its leading words, and
//! finding a word at parenthesis depth 0.

use std::ops::Range;

use sqlparser::tokenizer::Token;

use crate::sql::checker::Checker;

/// Byte range of the current statement (first to last significant token).
pub fn range(cx: &Checker<'_, '_>) -> Option<Range<usize>> {
    cx.tokens.trimmed_bytes(cx.stmt.start, cx.stmt.end)
}

/// The first `n` significant tokens of the statement as upper-case words (`""` for other
/// tokens), with their token indices.
pub fn leading_words(cx: &Checker<'_, '_>, n: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut i = cx.stmt.start;
    while out.len() < n {
        let Some(k) = cx.tokens.next_sig(i, cx.stmt.end) else {
            break;
        };
        let w = match &cx.tokens.toks[k].token {
            Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_uppercase(),
            _ => String::new(),
        };
        out.push((k, w));
        i = k + 1;
    }
    out
}

/// Whether the statement starts with these words (upper-case).
pub fn starts_with(cx: &Checker<'_, '_>, words: &[&str]) -> bool {
    let lead = leading_words(cx, words.len());
    lead.len() == words.len() && lead.iter().zip(words).all(|((_, w), x)| w == x)
}

/// Token index of the first unquoted word `word` at parenthesis depth 0 in `from..to`.
pub fn find_word(cx: &Checker<'_, '_>, word: &str, from: usize, to: usize) -> Option<usize> {
    let mut depth = 0i32;
    for i in from..to.min(cx.tokens.toks.len()) {
        let t = &cx.tokens.toks[i];
        match t.token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth -= 1,
            _ if depth == 0 && t.is_word(word) => return Some(i),
            _ => {}
        }
    }
    None
}
