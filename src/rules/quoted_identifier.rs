use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `"quoted"` (and `[bracketed]`) identifiers to `` `backticked` `` ones.
    ///
    /// ## Why it differs on Databricks
    /// In Databricks SQL `"x"` is a **string literal**: `SELECT "amount" FROM t` returns the text
    /// `amount` on every row instead of the column, silently.
    ///
    /// ## Example
    /// ```sql
    /// SELECT "Order Id", "amount" FROM "Sales"."orders"
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT `Order Id`, `amount` FROM `Sales`.`orders`
    /// ```
    pub struct QuotedIdentifier;
    code: "RS401",
    name: "quoted-identifier",
    summary: "\"quoted\" identifiers become `backticked` (double quotes are strings on Databricks)",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for QuotedIdentifier {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        for i in cx.stmt.clone() {
            let t = &cx.tokens.toks[i];
            let Token::Word(w) = &t.token else { continue };
            let (open, close) = match w.quote_style {
                Some('"') => ('"', '"'),
                Some('[') => ('[', ']'),
                _ => continue,
            };
            let range = t.start..t.end;
            let raw = cx.slice(&range);
            if raw.len() < 2 || !raw.starts_with(open) || !raw.ends_with(close) {
                continue;
            }
            let inner = range.start + 1..range.end - 1;
            let body = cx.slice(&inner);
            let pieces = if body.contains('"') || body.contains('`') || body.contains(']') {
                let value = if open == '"' {
                    body.replace("\"\"", "\"")
                } else {
                    body.replace("]]", "]")
                };
                vec![format!("`{}`", value.replace('`', "``")).into()]
            } else {
                vec!["`".into(), inner.into(), "`".into()]
            };
            cx.fix(
                range,
                pieces,
                "double quotes make a string literal on Databricks; identifiers take backticks",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn identifiers_become_backticked_strings_stay() {
        assert_eq!(
            out("SELECT \"Order Id\", 'a \"b\"' AS s FROM \"Sales\".orders"),
            "SELECT `Order Id`, 'a \"b\"' AS s FROM `Sales`.orders"
        );
        assert_eq!(out("SELECT \"a\"\"b\""), "SELECT `a\"b`");
    }

    #[test]
    fn jinja_inside_quotes_is_carried() {
        assert_eq!(
            out("SELECT \"{{ col }}\" FROM t"),
            "SELECT `{{ col }}` FROM t"
        );
    }
}
