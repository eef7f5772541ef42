//! The token layer: sqlparser's tokens with byte ranges, and the token scans that delimit nodes
//! whose AST spans are not exact (calls, casts, ORDER BY items; see sqlparser-notes.md §3).

use std::ops::Range;

use sqlparser::dialect::Dialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Span, Token, TokenWithSpan, Tokenizer, Whitespace};

/// One token and its byte range in the text.
#[derive(Debug, Clone)]
pub struct Tok {
    pub token: Token,
    pub start: usize,
    pub end: usize,
}

impl Tok {
    /// Whitespace and comments.
    pub fn is_trivia(&self) -> bool {
        matches!(self.token, Token::Whitespace(_))
    }

    /// Whether this is the (unquoted) keyword `kw`.
    pub fn is_keyword(&self, kw: Keyword) -> bool {
        matches!(&self.token, Token::Word(w) if w.quote_style.is_none() && w.keyword == kw)
    }

    /// Whether this is an unquoted word equal to `word` (case-insensitive).
    pub fn is_word(&self, word: &str) -> bool {
        matches!(&self.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word))
    }

    /// The text of a single-line (`--`) comment, if this is one.
    pub fn line_comment(&self) -> Option<&str> {
        match &self.token {
            Token::Whitespace(Whitespace::SingleLineComment { comment, prefix })
                if prefix == "--" =>
            {
                Some(comment.as_str())
            }
            _ => None,
        }
    }
}

/// Converts sqlparser locations (1-based line, column counted in chars) to byte offsets.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
    /// Whether each line is pure ASCII (then columns are bytes).
    ascii: Vec<bool>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        let mut ascii = Vec::new();
        let mut line_ascii = true;
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                ascii.push(line_ascii);
                line_ascii = true;
                starts.push(i + 1);
            } else if b >= 0x80 {
                line_ascii = false;
            }
        }
        ascii.push(line_ascii);
        LineIndex {
            starts,
            ascii,
            len: text.len(),
        }
    }

    /// Byte offset of `loc` in `text` (the text this index was built from); `None` for the empty
    /// location (line 0) or one outside the text.
    pub fn byte(&self, text: &str, loc: Location) -> Option<usize> {
        if loc.line == 0 || loc.column == 0 {
            return None;
        }
        let line = usize::try_from(loc.line - 1).ok()?;
        let start = *self.starts.get(line)?;
        let col = usize::try_from(loc.column - 1).ok()?;
        if self.ascii[line] {
            let b = start + col;
            return (b <= self.len).then_some(b);
        }
        let mut off = start;
        let mut chars = text.get(start..)?.chars();
        for _ in 0..col {
            off += chars.next()?.len_utf8();
        }
        Some(off)
    }

    /// Byte range of a span (end exclusive), if both ends are known.
    pub fn range(&self, text: &str, span: Span) -> Option<Range<usize>> {
        let s = self.byte(text, span.start)?;
        let e = self.byte(text, span.end)?;
        (s <= e).then_some(s..e)
    }

    /// 1-based line and 1-based char column of a byte offset.
    pub fn line_col(&self, text: &str, byte: usize) -> (usize, usize) {
        let byte = byte.min(self.len);
        let line = self.starts.partition_point(|&s| s <= byte) - 1;
        let start = self.starts[line];
        let col = text
            .get(start..byte)
            .map(|s| s.chars().count())
            .unwrap_or(byte - start);
        (line + 1, col + 1)
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, byte: usize) -> usize {
        self.starts.partition_point(|&s| s <= byte.min(self.len)) - 1
    }
}

/// The tokens `raw` as the parser should see them. Redshift accepts every date-part alias as an
/// `EXTRACT` field (`EXTRACT(min FROM ts)`, `ms`, `sec`, `qtr` …) where sqlparser knows only the
/// PostgreSQL names, so such a field word is replaced by its canonical keyword *for parsing only*:
/// spans stay, and the rules read the original text (RS107 writes the Databricks field into the
/// output). Nothing else changes.
pub fn for_parser(raw: &[TokenWithSpan]) -> Vec<TokenWithSpan> {
    let mut out = raw.to_vec();
    let sig = |i: usize| (i..raw.len()).find(|&k| !matches!(raw[k].token, Token::Whitespace(_)));
    for i in 0..raw.len() {
        let Token::Word(w) = &raw[i].token else {
            continue;
        };
        if w.quote_style.is_some() || w.keyword != Keyword::EXTRACT {
            continue;
        }
        let Some(open) = sig(i + 1) else { continue };
        if raw[open].token != Token::LParen {
            continue;
        }
        let Some(field) = sig(open + 1) else { continue };
        let Token::Word(f) = &raw[field].token else {
            continue;
        };
        if f.quote_style.is_some() || extract_keyword(f.keyword) {
            continue;
        }
        let Some(part) = crate::rules::dateparts::DatePart::parse(&f.value) else {
            continue;
        };
        out[field].token = Token::make_keyword(part.extract_field());
    }
    out
}

/// Whether sqlparser takes this keyword as an `EXTRACT` field already.
fn extract_keyword(k: Keyword) -> bool {
    use Keyword::*;
    matches!(
        k,
        YEAR | YEARS
            | MONTH
            | MONTHS
            | WEEK
            | WEEKS
            | DAY
            | DAYOFWEEK
            | DAYOFYEAR
            | DAYS
            | DATE
            | DATETIME
            | HOUR
            | HOURS
            | MINUTE
            | MINUTES
            | SECOND
            | SECONDS
            | CENTURY
            | DECADE
            | DOY
            | DOW
            | EPOCH
            | ISODOW
            | ISOYEAR
            | ISOWEEK
            | JULIAN
            | MICROSECOND
            | MICROSECONDS
            | MILLENIUM
            | MILLENNIUM
            | MILLISECOND
            | MILLISECONDS
            | NANOSECOND
            | NANOSECONDS
            | QUARTER
            | TIME
            | TIMEZONE
            | TIMEZONE_ABBR
            | TIMEZONE_HOUR
            | TIMEZONE_MINUTE
            | TIMEZONE_REGION
    )
}

/// All tokens of a text with byte ranges.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub toks: Vec<Tok>,
    /// The sqlparser tokens, for the parser.
    pub raw: Vec<TokenWithSpan>,
}

impl Tokens {
    /// Tokenizes `text`; `None` when the tokenizer rejects it (e.g. an unterminated literal).
    pub fn new(dialect: &dyn Dialect, text: &str, index: &LineIndex) -> Option<Tokens> {
        let raw = Tokenizer::new(dialect, text)
            .tokenize_with_location()
            .ok()?;
        let mut toks = Vec::with_capacity(raw.len());
        let mut pos = 0;
        for t in &raw {
            // Tokens tile the source, so a token starts where the previous one ended; the end
            // comes from the span (exclusive).
            let end = index.byte(text, t.span.end).unwrap_or(pos).max(pos);
            toks.push(Tok {
                token: t.token.clone(),
                start: pos,
                end,
            });
            pos = end;
        }
        if pos != text.len() {
            return None;
        }
        Some(Tokens { toks, raw })
    }

    /// Index of the token that starts at byte `b`, or the first token starting after it.
    pub fn at(&self, b: usize) -> usize {
        self.toks.partition_point(|t| t.start < b)
    }

    /// Index of the next significant (non-trivia) token at or after index `i`, below `limit`.
    pub fn next_sig(&self, mut i: usize, limit: usize) -> Option<usize> {
        while i < limit.min(self.toks.len()) {
            if !self.toks[i].is_trivia() {
                return Some(i);
            }
            i += 1;
        }
        None
    }

    /// Index of the previous significant token before index `i`, not below `floor`.
    pub fn prev_sig(&self, i: usize, floor: usize) -> Option<usize> {
        let mut j = i;
        while j > floor {
            j -= 1;
            if !self.toks[j].is_trivia() {
                return Some(j);
            }
        }
        None
    }

    /// Index of the `)` matching the `(` at index `open`, below `limit`.
    pub fn matching_paren(&self, open: usize, limit: usize) -> Option<usize> {
        let mut depth = 0usize;
        for i in open..limit.min(self.toks.len()) {
            match self.toks[i].token {
                Token::LParen => depth += 1,
                Token::RParen => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Trims trivia from both ends of a token-index range and returns its byte range.
    pub fn trimmed_bytes(&self, from: usize, to: usize) -> Option<Range<usize>> {
        let a = self.next_sig(from, to)?;
        let b = self.prev_sig(to, a)?.max(a);
        Some(self.toks[a].start..self.toks[b].end)
    }

    /// Splits token indices `from..to` at depth-0 commas; returns each part as token-index range.
    pub fn split_commas(&self, from: usize, to: usize) -> Vec<(usize, usize)> {
        let mut parts = Vec::new();
        let mut depth = 0i32;
        let mut start = from;
        for i in from..to {
            match self.toks[i].token {
                Token::LParen | Token::LBracket => depth += 1,
                Token::RParen | Token::RBracket => depth -= 1,
                Token::Comma if depth == 0 => {
                    parts.push((start, i));
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push((start, to));
        parts
    }
}

/// A function call delimited by tokens.
#[derive(Debug, Clone)]
pub struct Call {
    /// The name (may be qualified), as written.
    pub name: Range<usize>,
    /// Token index of `(` and of the matching `)`.
    pub open: usize,
    pub close: usize,
    /// Byte range of `name(...)`.
    pub range: Range<usize>,
    /// Byte range including `WITHIN GROUP (…)`, `FILTER (…)`, `IGNORE|RESPECT NULLS`, `OVER …`.
    pub full: Range<usize>,
    /// Each argument's byte range, trivia trimmed (empty list for `f()`).
    pub args: Vec<Range<usize>>,
    /// Token index range of each argument.
    pub arg_toks: Vec<(usize, usize)>,
}

impl Tokens {
    /// Delimits the call whose name ends at byte `name_end` (name starts at `name_start`).
    /// `limit` is the token index where the statement ends.
    pub fn call(&self, name_start: usize, name_end: usize, limit: usize) -> Option<Call> {
        let after = self.at(name_end);
        let open = self.next_sig(after, limit)?;
        if self.toks[open].token != Token::LParen {
            return None;
        }
        let close = self.matching_paren(open, limit)?;
        let mut arg_toks = Vec::new();
        let mut args = Vec::new();
        if self.next_sig(open + 1, close).is_some() {
            for (a, b) in self.split_commas(open + 1, close) {
                args.push(self.trimmed_bytes(a, b)?);
                arg_toks.push((a, b));
            }
        }
        let range = name_start..self.toks[close].end;
        let full_end = self.call_tail_end(close + 1, limit);
        Some(Call {
            name: name_start..name_end,
            open,
            close,
            range,
            full: name_start..full_end.map_or(self.toks[close].end, |i| self.toks[i].end),
            args,
            arg_toks,
        })
    }

    /// Last token index of the tails after a call (`WITHIN GROUP (…)`, `FILTER (…)`,
    /// `IGNORE|RESPECT NULLS`, `OVER (…)` / `OVER w`), if any.
    fn call_tail_end(&self, mut i: usize, limit: usize) -> Option<usize> {
        let mut last = None;
        loop {
            let Some(k) = self.next_sig(i, limit) else {
                return last;
            };
            let t = &self.toks[k];
            if t.is_keyword(Keyword::WITHIN) {
                let g = self.next_sig(k + 1, limit)?;
                if !self.toks[g].is_keyword(Keyword::GROUP) {
                    return last;
                }
                let p = self.next_sig(g + 1, limit)?;
                let c = self.matching_paren(p, limit)?;
                last = Some(c);
                i = c + 1;
            } else if t.is_keyword(Keyword::FILTER) {
                let p = self.next_sig(k + 1, limit)?;
                if self.toks[p].token != Token::LParen {
                    return last;
                }
                let c = self.matching_paren(p, limit)?;
                last = Some(c);
                i = c + 1;
            } else if t.is_keyword(Keyword::IGNORE) || t.is_keyword(Keyword::RESPECT) {
                let n = self.next_sig(k + 1, limit)?;
                if !self.toks[n].is_keyword(Keyword::NULLS) {
                    return last;
                }
                last = Some(n);
                i = n + 1;
            } else if t.is_keyword(Keyword::OVER) {
                let p = self.next_sig(k + 1, limit)?;
                if self.toks[p].token == Token::LParen {
                    return self.matching_paren(p, limit).or(last);
                }
                return Some(p);
            } else {
                return last;
            }
        }
    }

    /// For a `::` cast whose operand ends at byte `operand_end`: the byte range of the type
    /// (after `::`), e.g. `varchar(20)` or `double precision`. Chains (`x::a::b`) give the
    /// first type only.
    pub fn cast_type(&self, operand_end: usize, limit: usize) -> Option<Range<usize>> {
        let i = self.next_sig(self.at(operand_end), limit)?;
        if self.toks[i].token != Token::DoubleColon {
            return None;
        }
        let first = self.next_sig(i + 1, limit)?;
        self.type_end(first, limit)
            .map(|last| self.toks[first].start..self.toks[last].end)
    }

    /// Last token index of a data type starting at token `first`: words (for multi-word types
    /// such as `double precision`, `timestamp without time zone`, `character varying`) and an
    /// optional parenthesised modifier list.
    pub fn type_end(&self, first: usize, limit: usize) -> Option<usize> {
        if !matches!(self.toks[first].token, Token::Word(_)) {
            return None;
        }
        let mut last = first;
        let mut i = first + 1;
        loop {
            let Some(k) = self.next_sig(i, limit) else {
                return Some(last);
            };
            let t = &self.toks[k];
            let continues = ["precision", "varying", "without", "with", "time", "zone"]
                .iter()
                .any(|w| t.is_word(w))
                && !matches!(self.toks[last].token, Token::RParen)
                && k == last + 1 + usize::from(self.toks[last + 1].is_trivia());
            if continues {
                last = k;
                i = k + 1;
            } else if t.token == Token::LParen && k == last + 1 {
                last = self.matching_paren(k, limit)?;
                i = last + 1;
            } else if t.token == Token::LParen && k == last + 2 {
                // `varchar (20)` with a space
                last = self.matching_paren(k, limit)?;
                i = last + 1;
            } else {
                return Some(last);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_tokens_name_extract_fields_canonically() {
        let text =
            "SELECT EXTRACT( min FROM t), EXTRACT(year FROM t), min(x), EXTRACT(\"ms\" FROM t)";
        let d = sqlparser::dialect::RedshiftSqlDialect {};
        let idx = LineIndex::new(text);
        let toks = Tokens::new(&d, text, &idx).unwrap();
        let out = for_parser(&toks.raw);
        let changed: Vec<String> = toks
            .raw
            .iter()
            .zip(&out)
            .filter(|(a, b)| a.token != b.token)
            .map(|(a, b)| format!("{}->{}", a.token, b.token))
            .collect();
        assert_eq!(changed, vec!["min->MINUTE"]);
        assert!(toks.raw.iter().zip(&out).all(|(a, b)| a.span == b.span));
    }
}
