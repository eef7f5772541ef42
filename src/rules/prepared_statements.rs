use super::statement_text::{leading_words, range};
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports `PREPARE`, `EXECUTE`, `DEALLOCATE`, `DECLARE … CURSOR`, `FETCH` and `CLOSE`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks SQL has parameter markers (`:name`, `?`) instead of prepared statements, and
    /// cursors only inside SQL scripting on the newest runtimes. In a notebook, use Hex
    /// parameters (Jinja) or a SQL cell per query.
    ///
    /// ## Example
    /// ```sql
    /// PREPARE q (int) AS SELECT * FROM t WHERE id = $1
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT * FROM t WHERE id = {{ id }}
    /// ```
    pub struct PreparedStatements;
    code: "RS860",
    name: "prepared-statements-and-cursors",
    summary: "PREPARE/EXECUTE/DEALLOCATE and cursors have no Databricks SQL form",
    confidence: Block,
    databricks_invalid: false,
}

impl Rule for PreparedStatements {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        let lead = leading_words(cx, 3);
        let words: Vec<&str> = lead.iter().map(|(_, w)| w.as_str()).collect();
        let cursor = matches!(
            words.as_slice(),
            ["DECLARE", _, "CURSOR"] | ["DECLARE", _, "BINARY" | "INSENSITIVE" | "SCROLL" | "NO"]
        );
        let stmt = matches!(
            words.first(),
            Some(&("PREPARE" | "EXECUTE" | "DEALLOCATE" | "FETCH" | "CLOSE"))
        );
        if !(cursor || stmt) {
            return;
        }
        if let Some(r) = range(cx) {
            cx.report(
                r,
                "prepared statements and cursors have no Databricks SQL form: use parameter \
                 markers or Hex parameters, and one query per statement",
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::codes;

    #[test]
    fn reported() {
        assert!(codes("PREPARE q (int) AS SELECT * FROM t WHERE id = $1").contains(&"RS860"));
        assert!(codes("DEALLOCATE q").contains(&"RS860"));
    }
}
