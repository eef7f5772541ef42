use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports statements that only exist in Redshift and have no direct Databricks form:
    /// `UNLOAD`, `COPY`, `VACUUM`, `ANALYZE COMPRESSION`, `CREATE EXTERNAL SCHEMA`,
    /// `ALTER TABLE … APPEND`, `CREATE LIBRARY`.
    ///
    /// ## Why it differs on Databricks
    /// Loading and unloading go through `COPY INTO`, `INSERT OVERWRITE DIRECTORY` or the DataFrame
    /// API with different options; table maintenance (`VACUUM`, sort/dist) is automatic or
    /// spelled differently (`OPTIMIZE`, Delta `VACUUM` deletes old files, not rows). Each needs a
    /// person.
    ///
    /// ## Example
    /// ```sql
    /// UNLOAD ('SELECT * FROM t') TO 's3://bucket/prefix/' IAM_ROLE 'arn:…' FORMAT AS PARQUET;
    /// ```
    ///
    /// ## Use instead
    /// Rewrite by hand, e.g. `INSERT OVERWRITE DIRECTORY 's3://bucket/prefix/' USING PARQUET
    /// SELECT * FROM t`.
    pub struct RedshiftStatement;
    code: "RS801",
    name: "redshift-only-statement",
    summary: "UNLOAD, COPY, VACUUM and other Redshift-only statements are reported",
    confidence: Block,
    databricks_invalid: true,
}

impl Rule for RedshiftStatement {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        let toks = cx.tokens;
        let end = cx.stmt.end;
        let Some(first) = toks.next_sig(cx.stmt.start, end) else {
            return;
        };
        let second = toks.next_sig(first + 1, end);
        let t = &toks.toks[first];
        let what = if t.is_word("UNLOAD") {
            "UNLOAD"
        } else if t.is_word("COPY") && !second.is_some_and(|s| toks.toks[s].is_word("INTO")) {
            "COPY … FROM"
        } else if t.is_word("VACUUM") {
            "VACUUM"
        } else if t.is_word("ANALYZE")
            && second.is_some_and(|s| toks.toks[s].is_word("COMPRESSION"))
        {
            "ANALYZE COMPRESSION"
        } else if t.is_word("CREATE")
            && second.is_some_and(|s| {
                toks.toks[s].is_word("EXTERNAL") || toks.toks[s].is_word("LIBRARY")
            })
            && toks
                .next_sig(second.unwrap_or(first) + 1, end)
                .is_some_and(|s| !toks.toks[s].is_word("TABLE"))
        {
            "CREATE EXTERNAL SCHEMA / LIBRARY"
        } else if t.is_word("ALTER") && (first..end).any(|i| toks.toks[i].is_word("APPEND")) {
            "ALTER TABLE … APPEND"
        } else {
            return;
        };
        let Some(range) = toks.trimmed_bytes(cx.stmt.start, end) else {
            return;
        };
        cx.report(
            range,
            format!(
                "{what} is Redshift-only and has no direct Databricks form; rewrite it by hand"
            ),
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::codes;

    #[test]
    fn redshift_only_statements_are_reported() {
        assert!(codes("UNLOAD ('SELECT 1') TO 's3://b/p' IAM_ROLE 'r'").contains(&"RS801"));
        assert!(codes("VACUUM sales.orders").contains(&"RS801"));
        assert!(codes("COPY t FROM 's3://b/x' IAM_ROLE 'r' CSV").contains(&"RS801"));
        assert!(codes("SELECT 1").is_empty());
    }
}
