use sqlparser::ast::Query;

use super::args::int_literal;
use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `FETCH FIRST n ROWS ONLY` (also `FETCH NEXT`, `ROW`) to `LIMIT n`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no FETCH clause; `LIMIT n` returns the same rows. `WITH TIES` and
    /// `PERCENT` have no LIMIT form and are left alone.
    ///
    /// ## Example
    /// ```sql
    /// SELECT * FROM t ORDER BY ts DESC FETCH FIRST 10 ROWS ONLY
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT * FROM t ORDER BY ts DESC LIMIT 10
    /// ```
    pub struct FetchFirst;
    code: "RS454",
    name: "fetch-first",
    summary: "FETCH FIRST n ROWS ONLY becomes LIMIT n",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for FetchFirst {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_query(&self, cx: &mut Checker<'_, '_>, q: &Query) {
        let Some(fetch) = &q.fetch else { return };
        if fetch.with_ties || fetch.percent {
            return;
        }
        let n = match &fetch.quantity {
            Some(e) => match int_literal(e) {
                Some(n) => n,
                None => return,
            },
            None => 1,
        };
        // The FETCH … ONLY tokens: the last FETCH keyword of the statement whose clause ends
        // with ONLY.
        let toks = cx.tokens;
        let Some(f) = cx
            .stmt
            .clone()
            .rev()
            .find(|&i| toks.toks[i].is_word("FETCH"))
        else {
            return;
        };
        let Some(o) = (f..cx.stmt.end).find(|&i| toks.toks[i].is_word("ONLY")) else {
            return;
        };
        cx.fix(
            toks.toks[f].start..toks.toks[o].end,
            vec![format!("LIMIT {n}").into()],
            "Databricks has no FETCH clause; LIMIT returns the same rows",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn becomes_limit() {
        assert_eq!(
            out("SELECT a FROM t ORDER BY a FETCH FIRST 5 ROWS ONLY"),
            "SELECT a FROM t ORDER BY a NULLS LAST LIMIT 5"
        );
    }
}
