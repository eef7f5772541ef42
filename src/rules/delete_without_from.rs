use super::statement_text::leading_words;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Inserts the `FROM` that Redshift lets you omit: `DELETE t WHERE …` becomes
    /// `DELETE FROM t WHERE …`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks requires `DELETE FROM`; the statement is otherwise the same.
    ///
    /// ## Example
    /// ```sql
    /// DELETE staging WHERE loaded
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// DELETE FROM staging WHERE loaded
    /// ```
    pub struct DeleteWithoutFrom;
    code: "RS852",
    name: "delete-without-from",
    summary: "DELETE t becomes DELETE FROM t",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for DeleteWithoutFrom {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, parsed: bool) {
        if parsed {
            return; // sqlparser rejects `DELETE t`, so only unparsed statements qualify
        }
        let lead = leading_words(cx, 2);
        let [(_, del), (k, next)] = lead.as_slice() else {
            return;
        };
        if del != "DELETE" || next == "FROM" || next.is_empty() {
            return;
        }
        let at = cx.tokens.toks[*k].start;
        cx.fix(
            at..at,
            vec!["FROM ".into()],
            "Databricks requires DELETE FROM",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn inserts_from() {
        assert_eq!(
            out("DELETE staging WHERE loaded"),
            "DELETE FROM staging WHERE loaded"
        );
        assert_eq!(
            out("DELETE FROM s WHERE a = 1"),
            "DELETE FROM s WHERE a = 1"
        );
    }
}
