use sqlparser::ast::{Statement, TableFactor, UpdateTableFromKind};

use super::statement_text::{find_word, range};
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `UPDATE t SET … FROM s WHERE …` (one source table or subquery) to
    /// `MERGE INTO t USING s ON … WHEN MATCHED THEN UPDATE SET …`, with a warning.
    ///
    /// ## Why it differs on Databricks
    /// Databricks' UPDATE has no FROM clause. The MERGE updates the same rows with the same
    /// values **when each target row matches at most one source row**. When several source rows
    /// match one target row, Redshift silently uses one of them and Databricks' MERGE fails with
    /// an error: make the source unique on the join key (e.g. with ROW_NUMBER) if that can
    /// happen. Several FROM items or joins are reported: fold them into one subquery by hand.
    ///
    /// ## Example
    /// ```sql
    /// UPDATE accounts SET tier = s.tier FROM staging s WHERE accounts.id = s.id
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// MERGE INTO accounts USING staging s ON accounts.id = s.id WHEN MATCHED THEN UPDATE SET tier = s.tier
    /// ```
    pub struct UpdateFrom;
    code: "RS851",
    name: "update-from",
    summary: "UPDATE … FROM becomes MERGE INTO … WHEN MATCHED THEN UPDATE (fails on duplicate source matches)",
    confidence: Caveat,
    databricks_invalid: true,
}

impl Rule for UpdateFrom {
    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        let Statement::Update(u) = s else { return };
        let Some(UpdateTableFromKind::AfterSet(from)) = &u.from else {
            return;
        };
        let Some(stmt) = range(cx) else { return };
        let simple = from.len() == 1
            && from[0].joins.is_empty()
            && matches!(
                from[0].relation,
                TableFactor::Table { .. } | TableFactor::Derived { .. }
            )
            && u.table.joins.is_empty()
            && u.selection.is_some()
            && u.returning.is_none();
        if !simple {
            cx.report(
                stmt,
                "UPDATE … FROM with several sources, joins or no WHERE: Databricks has no \
                 UPDATE … FROM; rewrite as MERGE INTO t USING (<one subquery>) s ON … WHEN \
                 MATCHED THEN UPDATE SET …",
                None,
            );
            return;
        }
        let toks = cx.tokens;
        let (a, b) = (cx.stmt.start, cx.stmt.end);
        let (Some(set), Some(fr), Some(wh)) = (
            find_word(cx, "SET", a, b),
            find_word(cx, "FROM", a, b),
            find_word(cx, "WHERE", a, b),
        ) else {
            return;
        };
        let Some(upd) = toks.next_sig(a, b) else {
            return;
        };
        if !(upd < set && set < fr && fr < wh) {
            return;
        }
        let (Some(target), Some(assign), Some(source), Some(cond)) = (
            toks.trimmed_bytes(upd + 1, set),
            toks.trimmed_bytes(set + 1, fr),
            toks.trimmed_bytes(fr + 1, wh),
            toks.trimmed_bytes(wh + 1, b),
        ) else {
            return;
        };
        cx.fix(
            stmt,
            vec![
                "MERGE INTO ".into(),
                target.into(),
                " USING ".into(),
                source.into(),
                " ON ".into(),
                cond.into(),
                " WHEN MATCHED THEN UPDATE SET ".into(),
                assign.into(),
            ],
            "UPDATE … FROM becomes MERGE: it fails if one target row matches several source rows \
             (Redshift picks one silently); make the source unique on the join key if needed",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn becomes_merge() {
        assert_eq!(
            out("UPDATE accounts SET tier = s.tier, ts = s.ts FROM staging s WHERE accounts.id = s.id"),
            "MERGE INTO accounts USING staging s ON accounts.id = s.id WHEN MATCHED THEN UPDATE SET tier = s.tier, ts = s.ts"
        );
    }

    #[test]
    fn joins_are_reported() {
        let sql = "UPDATE t SET a = x.a FROM x JOIN y ON x.k = y.k WHERE t.k = x.k";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS851"]);
    }
}
