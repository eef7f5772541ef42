use super::statement_text::{find_word, leading_words, range};
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports ALTER TABLE forms that need a person on Databricks: `ALTER COLUMN … TYPE`,
    /// `ALTER DISTKEY/SORTKEY/DISTSTYLE/ENCODE`, `OWNER TO`, and `DROP/RENAME COLUMN`.
    ///
    /// ## Why it differs on Databricks
    /// Delta only widens types in place (and once columns are STRING, `varchar(n)` changes are
    /// no-ops); distribution, sort and encoding settings do not exist (the statement can be
    /// removed, or replaced with `ALTER TABLE … CLUSTER BY (cols)`); owners are Unity Catalog
    /// principals (`` OWNER TO `name` ``); dropping or renaming columns needs Delta column
    /// mapping (`delta.columnMapping.mode = 'name'`).
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE sales ALTER DISTKEY customer_id
    /// ```
    ///
    /// ## Use instead
    /// Remove the statement (or `ALTER TABLE sales CLUSTER BY (customer_id)`).
    pub struct AlterTableVariants;
    code: "RS761",
    name: "alter-table-variants",
    summary: "ALTER TABLE type changes, DIST/SORT/ENCODE, OWNER TO and column drops/renames need a person",
    confidence: Review,
    databricks_invalid: false,
}

impl Rule for AlterTableVariants {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        let lead = leading_words(cx, 2);
        if lead.iter().map(|(_, w)| w.as_str()).collect::<Vec<_>>() != ["ALTER", "TABLE"] {
            return;
        }
        let (a, b) = (cx.stmt.start, cx.stmt.end);
        let has = |w: &str| find_word(cx, w, a, b).is_some();
        let msg = if has("APPEND") {
            return; // RS756
        } else if has("DISTKEY") || has("SORTKEY") || has("DISTSTYLE") || has("ENCODE") {
            "ALTER TABLE … DISTKEY/SORTKEY/DISTSTYLE/ENCODE has no Databricks meaning: remove the \
             statement (or use ALTER TABLE … CLUSTER BY (cols))"
        } else if has("OWNER") {
            "ALTER TABLE … OWNER TO: owners are Unity Catalog principals; write OWNER TO `principal`"
        } else if has("TYPE") && has("ALTER") && has("COLUMN") {
            "ALTER COLUMN … TYPE: when the column is a string (varchar(n) becomes string) remove \
             the statement; otherwise write ALTER TABLE t ALTER COLUMN c TYPE <wider type> (Delta \
             type widening) or recreate the table with CREATE OR REPLACE TABLE t AS SELECT …, \
             CAST(c AS <type>) AS c FROM t"
        } else if (has("DROP") || has("RENAME")) && has("COLUMN") {
            "DROP/RENAME COLUMN needs Delta column mapping: run ALTER TABLE t SET TBLPROPERTIES \
             ('delta.columnMapping.mode' = 'name') once before it, then keep the statement"
        } else {
            return;
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
        assert!(codes("ALTER TABLE s ALTER DISTKEY c").contains(&"RS761"));
        assert!(codes("ALTER TABLE s OWNER TO bob").contains(&"RS761"));
        assert!(codes("ALTER TABLE s ADD COLUMN c INT").is_empty());
    }
}
