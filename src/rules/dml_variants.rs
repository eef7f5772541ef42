use sqlparser::tokenizer::Token;

use super::statement_text::{find_word, leading_words, range};
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::Confidence;

crate::rule! {
    /// ## What it does
    /// Rewrites `INSERT INTO t DEFAULT VALUES` to `INSERT INTO t VALUES (DEFAULT, …)` when t's
    /// columns are known (an earlier CREATE TABLE in the SQL, or the column-type catalog);
    /// reports it otherwise, and reports Redshift's simplified
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
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        let first = leading_words(cx, 1);
        let Some((_, w)) = first.first() else { return };
        let (a, b) = (cx.stmt.start, cx.stmt.end);
        let msg = match w.as_str() {
            "INSERT" => match find_word(cx, "DEFAULT", a, b) {
                Some(d) if cx.tokens.next_sig(d + 1, b).is_some_and(|v| cx.tokens.toks[v].is_word("VALUES")) => {
                    if default_values_known(cx, d) {
                        return;
                    }
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

/// `INSERT INTO t DEFAULT VALUES` where the SQL (an earlier CREATE TABLE) or the column-type
/// catalog gives t's columns: `VALUES (DEFAULT, …)` with one DEFAULT per column inserts the
/// same row. Returns whether it rewrote.
fn default_values_known(cx: &mut Checker<'_, '_>, default: usize) -> bool {
    let toks = cx.tokens;
    let Some(values) = toks.next_sig(default + 1, cx.stmt.end) else {
        return false;
    };
    // The table name: the tokens between INTO and DEFAULT, words joined by dots.
    let Some(into) = (cx.stmt.start..default).find(|&k| toks.toks[k].is_word("INTO")) else {
        return false;
    };
    let mut parts = Vec::new();
    let mut k = toks.next_sig(into + 1, default);
    while let Some(i) = k {
        match &toks.toks[i].token {
            Token::Word(w) if parts.len() % 2 == 0 => parts.push(w.value.to_lowercase()),
            Token::Period if parts.len() % 2 == 1 => parts.push(String::new()),
            _ => return false,
        }
        k = toks.next_sig(i + 1, default);
    }
    let name: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    if name.is_empty() {
        return false;
    }
    let Some(cols) = cx.types().table_columns(&name).filter(|c| !c.is_empty()) else {
        return false;
    };
    let defaults = vec!["DEFAULT"; cols.len()].join(", ");
    cx.fix_with(
        Confidence::Caveat,
        toks.toks[default].start..toks.toks[values].end,
        vec![format!("VALUES ({defaults})").into()],
        "INSERT … DEFAULT VALUES is VALUES (DEFAULT, …) on Databricks, one DEFAULT per column \
         (the Delta table needs column defaults enabled)",
    );
    true
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

    #[test]
    fn default_values_with_known_columns_are_spelled_out() {
        let t = crate::rules::test_support::fix(
            "CREATE TABLE s.t (a INT DEFAULT 1, b INT);\nINSERT INTO s.t DEFAULT VALUES",
        );
        assert!(
            t.output
                .ends_with("INSERT INTO s.t VALUES (DEFAULT, DEFAULT)"),
            "{}",
            t.output
        );
        // Unknown table: still reported, unchanged.
        let u = crate::rules::test_support::fix("INSERT INTO other DEFAULT VALUES");
        assert_eq!(u.output, "INSERT INTO other DEFAULT VALUES");
        assert!(u.findings.iter().any(|f| f.code == "RS861" && !f.applied));
    }
}
