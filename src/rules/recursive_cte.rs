use sqlparser::ast::Query;

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::Runtime;

crate::rule! {
    /// ## What it does
    /// Reports `WITH RECURSIVE` when the target runtime is older than DBR 17.0.
    ///
    /// ## Why it differs on Databricks
    /// Recursive common table expressions arrived in recent Databricks runtimes (17.0); older
    /// runtimes reject them. On a runtime that has them the syntax is the same.
    ///
    /// ## Example
    /// ```sql
    /// WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT * FROM r
    /// ```
    ///
    /// ## Use instead
    /// Set the target runtime to 17.0 or newer, or unroll the recursion (e.g. with `sequence`).
    pub struct RecursiveCte;
    code: "RS456",
    name: "recursive-cte",
    summary: "WITH RECURSIVE needs DBR 17.0+",
    confidence: Review,
    databricks_invalid: false,
}

impl Rule for RecursiveCte {
    fn check_query(&self, cx: &mut Checker<'_, '_>, q: &Query) {
        let Some(with) = &q.with else { return };
        if !with.recursive || cx.opts.runtime >= Runtime(17, 0) {
            return;
        }
        let toks = cx.tokens;
        let Some(k) = (cx.stmt.start..cx.stmt.end).find(|&i| toks.toks[i].is_word("RECURSIVE"))
        else {
            return;
        };
        cx.report(
            toks.toks[k].start..toks.toks[k].end,
            "WITH RECURSIVE needs Databricks Runtime 17.0 or newer: on such a warehouse keep it \
             and suppress this finding (-- hex-migrate: ignore[RS456]); otherwise unroll the \
             recursion into a fixed number of UNION ALL steps or loop in a notebook",
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::codes;
    use crate::sql::{translate, Runtime, TranslateOptions};

    const SQL: &str =
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r";

    #[test]
    fn reported_below_17_0() {
        let opts = TranslateOptions {
            runtime: Runtime(16, 4),
            ..Default::default()
        };
        let codes: Vec<_> = translate(SQL, &opts)
            .findings
            .iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(codes, vec!["RS456"]);
    }

    #[test]
    fn accepted_on_the_default_runtime() {
        assert!(codes(SQL).is_empty());
    }
}
