use sqlparser::ast::Query;

use super::args::int_literal;
use super::Rule;
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
        // `OFFSET m [ROWS] FETCH …`: Databricks wants LIMIT before OFFSET and no ROWS word.
        let has_offset = matches!(
            &q.limit_clause,
            Some(sqlparser::ast::LimitClause::LimitOffset {
                limit: None,
                offset: Some(_),
                ..
            })
        );
        if has_offset {
            let Some(off) = (cx.stmt.start..f)
                .rev()
                .find(|&i| toks.toks[i].is_word("OFFSET"))
            else {
                return;
            };
            let Some(value_end) = toks.prev_sig(f, off) else {
                return;
            };
            let value_end =
                if toks.toks[value_end].is_word("ROWS") || toks.toks[value_end].is_word("ROW") {
                    match toks.prev_sig(value_end, off) {
                        Some(k) => k,
                        None => return,
                    }
                } else {
                    value_end
                };
            let Some(value_start) = toks.next_sig(off + 1, value_end + 1) else {
                return;
            };
            let value = toks.toks[value_start].start..toks.toks[value_end].end;
            cx.fix(
                toks.toks[off].start..toks.toks[o].end,
                vec![format!("LIMIT {n} OFFSET ").into(), value.into()],
                "Databricks has no FETCH clause; LIMIT … OFFSET returns the same rows",
            );
            return;
        }
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
    fn offset_moves_after_limit() {
        assert_eq!(
            out("SELECT a FROM t ORDER BY a OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY"),
            "SELECT a FROM t ORDER BY a NULLS LAST LIMIT 5 OFFSET 10"
        );
        assert_eq!(
            out("SELECT a FROM t OFFSET 2 FETCH FIRST ROW ONLY"),
            "SELECT a FROM t LIMIT 1 OFFSET 2"
        );
    }

    #[test]
    fn becomes_limit() {
        assert_eq!(
            out("SELECT a FROM t ORDER BY a FETCH FIRST 5 ROWS ONLY"),
            "SELECT a FROM t ORDER BY a NULLS LAST LIMIT 5"
        );
    }
}
