use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites a doubled quote inside a string literal (`'it''s'`) to a backslash escape
    /// (`'it\'s'`).
    ///
    /// ## Why it differs on Databricks
    /// Databricks SQL does not read `''` as an escaped quote: `'it''s'` is two adjacent literals,
    /// `'it'` and `'s'`, which it concatenates to `its`. Backslash escapes mean the same in both.
    ///
    /// ## Example
    /// ```sql
    /// SELECT * FROM customers WHERE last_name = 'O''Neil'
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT * FROM customers WHERE last_name = 'O\'Neil'
    /// ```
    pub struct StringLiteral;
    code: "RS201",
    name: "doubled-quote-literal",
    summary: "'' inside a string literal becomes \\' (Databricks concatenates 'it''s' to its)",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for StringLiteral {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        for i in cx.stmt.clone() {
            let t = &cx.tokens.toks[i];
            if !matches!(t.token, Token::SingleQuotedString(_)) {
                continue;
            }
            let raw = cx.slice(&(t.start..t.end)).as_bytes();
            if raw.len() < 4 || raw[0] != b'\'' {
                continue;
            }
            let (start, end) = (t.start, t.end);
            // Scan the body (without the outer quotes), skipping backslash escapes.
            let mut k = 1;
            while k + 1 < raw.len() - 1 + 1 && k < raw.len() - 1 {
                match raw[k] {
                    b'\\' => k += 2,
                    b'\'' if raw.get(k + 1) == Some(&b'\'') && k + 1 < raw.len() - 1 => {
                        let at = start + k..start + k + 2;
                        if cx.has_jinja(&at) {
                            k += 2;
                            continue;
                        }
                        cx.fix_in(
                            Self::INFO.confidence,
                            start..end,
                            at,
                            vec!["\\'".into()],
                            "Databricks reads '' inside a literal as two literals; use \\'",
                        );
                        k += 2;
                    }
                    _ => k += 1,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn doubled_quotes_become_backslash_escapes() {
        assert_eq!(
            out("SELECT 'O''Neil', 'a\\'b', '''', 'x' FROM t WHERE n = 'it''s ''q'''"),
            "SELECT 'O\\'Neil', 'a\\'b', '\\'', 'x' FROM t WHERE n = 'it\\'s \\'q\\''"
        );
        assert!(codes("SELECT 'plain', ''").is_empty());
    }
}
