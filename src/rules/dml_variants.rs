use super::statement_text::{find_word, leading_words, range};
use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports `INSERT INTO t DEFAULT VALUES` and Redshift's simplified
    /// `MERGE INTO t USING s ON … REMOVE DUPLICATES`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `DEFAULT VALUES` clause (write `INSERT INTO t VALUES (DEFAULT, …)` with
    /// one `DEFAULT` per column, which needs column defaults enabled on the Delta table), and no
    /// `REMOVE DUPLICATES` form of MERGE (deduplicate the source, then write
    /// `WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *`).
    ///
    /// ## Example
    /// ```sql
    /// MERGE INTO target USING staging ON target.id = staging.id REMOVE DUPLICATES
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// MERGE INTO target USING (SELECT DISTINCT * FROM staging) s ON target.id = s.id
    /// WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *
    /// ```
    pub struct DmlVariants;
    code: "RS861",
    name: "dml-variants",
    summary: "INSERT … DEFAULT VALUES and MERGE … REMOVE DUPLICATES need a manual rewrite",
    confidence: Review,
    databricks_invalid: true,
}

impl Rule for DmlVariants {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        let first = leading_words(cx, 1);
        let Some((_, w)) = first.first() else { return };
        let (a, b) = (cx.stmt.start, cx.stmt.end);
        let msg = match w.as_str() {
            "INSERT" => match find_word(cx, "DEFAULT", a, b) {
                Some(d) if cx.tokens.next_sig(d + 1, b).is_some_and(|v| cx.tokens.toks[v].is_word("VALUES")) => {
                    "INSERT … DEFAULT VALUES does not exist on Databricks: write VALUES (DEFAULT, …) \
                     with one DEFAULT per column (the Delta table needs column defaults enabled)"
                }
                _ => return,
            },
            "MERGE" => match find_word(cx, "REMOVE", a, b) {
                Some(_) if find_word(cx, "DUPLICATES", a, b).is_some() => {
                    "MERGE … REMOVE DUPLICATES does not exist on Databricks: deduplicate the source \
                     and write WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *"
                }
                _ => return,
            },
            _ => return,
        };
        if let Some(r) = range(cx) {
            cx.report(r, msg, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::codes;

    #[test]
    fn reported() {
        assert!(codes("INSERT INTO t DEFAULT VALUES").contains(&"RS861"));
        assert!(codes("MERGE INTO t USING s ON t.id = s.id REMOVE DUPLICATES").contains(&"RS861"));
        assert!(!codes("INSERT INTO t VALUES (1)").contains(&"RS861"));
    }
}
