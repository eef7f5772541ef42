use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites the set operator `MINUS` to `EXCEPT`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks SQL has no `MINUS` set operator; `EXCEPT` is the same (distinct) difference.
    ///
    /// ## Example
    /// ```sql
    /// SELECT id FROM a MINUS SELECT id FROM b
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT id FROM a EXCEPT SELECT id FROM b
    /// ```
    pub struct Minus;
    code: "RS404",
    name: "minus",
    summary: "MINUS becomes EXCEPT",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for Minus {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, parsed: bool) {
        if !parsed {
            return;
        }
        let toks = cx.tokens;
        for i in cx.stmt.clone() {
            if !toks.toks[i].is_keyword(Keyword::MINUS) {
                continue;
            }
            // A set operator is followed by SELECT, `(` or ALL/DISTINCT.
            let Some(n) = toks.next_sig(i + 1, cx.stmt.end) else {
                continue;
            };
            let t = &toks.toks[n];
            if !(t.is_keyword(Keyword::SELECT)
                || t.token == Token::LParen
                || t.is_keyword(Keyword::ALL)
                || t.is_keyword(Keyword::DISTINCT))
            {
                continue;
            }
            let r = toks.toks[i].start..toks.toks[i].end;
            cx.fix(
                r,
                vec!["EXCEPT".into()],
                "Databricks has no MINUS; EXCEPT is the same",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn minus_becomes_except() {
        assert_eq!(
            out("SELECT id FROM a\nMINUS\nSELECT id FROM b"),
            "SELECT id FROM a\nEXCEPT\nSELECT id FROM b"
        );
    }
}
