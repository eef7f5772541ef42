use sqlparser::tokenizer::Token;

use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Rewrites Redshift's `CONVERT(type, x)` to `CAST(x AS type)` (the type name is then
    /// mapped by RS403 when it is a Redshift name).
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `CONVERT`; Redshift's takes the type first.
    ///
    /// ## Example
    /// ```sql
    /// SELECT CONVERT(INTEGER, qty) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT CAST(qty AS INTEGER) FROM t
    /// ```
    pub struct Convert;
    code: "RS405",
    name: "convert",
    summary: "CONVERT(type, x) becomes CAST(x AS type)",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for Convert {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_tokens(&self, cx: &mut Checker<'_, '_>, parsed: bool) {
        if !parsed {
            return;
        }
        let toks = cx.tokens;
        let end = cx.stmt.end;
        for i in cx.stmt.clone() {
            if !toks.toks[i].is_word("CONVERT") {
                continue;
            }
            let Some(open) = toks.next_sig(i + 1, end) else {
                continue;
            };
            if toks.toks[open].token != Token::LParen {
                continue;
            }
            let Some(close) = toks.matching_paren(open, end) else {
                continue;
            };
            let parts = toks.split_commas(open + 1, close);
            let [(a, b), (c, d)] = parts.as_slice() else {
                continue;
            };
            let (Some(ty), Some(x)) = (toks.trimmed_bytes(*a, *b), toks.trimmed_bytes(*c, *d))
            else {
                continue;
            };
            // The first argument must look like a type: words and an optional (…).
            let Some(first) = toks.next_sig(*a, *b) else {
                continue;
            };
            let Some(last) = toks.type_end(first, *b) else {
                continue;
            };
            if toks.toks[last].end != ty.end {
                continue;
            }
            let range = toks.toks[i].start..toks.toks[close].end;
            cx.fix(
                range,
                vec![
                    "CAST(".into(),
                    Piece::Src(x),
                    " AS ".into(),
                    Piece::Src(ty),
                    ")".into(),
                ],
                "Databricks has no CONVERT(type, x); CAST(x AS type)",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn convert_becomes_cast() {
        assert_eq!(
            out("SELECT CONVERT(INTEGER, qty), CONVERT(varchar(10), NVL(a, b)) FROM t"),
            "SELECT CAST(qty AS INTEGER), CAST(coalesce(a, b) AS string) FROM t"
        );
    }
}
