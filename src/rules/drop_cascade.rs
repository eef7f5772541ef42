use sqlparser::ast::{ObjectType, Statement};

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Removes `CASCADE` from `DROP TABLE` and `DROP VIEW`, with a warning.
    ///
    /// ## Why it differs on Databricks
    /// Databricks does not accept CASCADE when dropping tables or views. Redshift's CASCADE
    /// also drops dependent views; on Databricks they stay and fail when queried, so drop them
    /// explicitly if that is intended.
    ///
    /// ## Example
    /// ```sql
    /// DROP TABLE staging.orders CASCADE
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// DROP TABLE staging.orders
    /// ```
    pub struct DropCascade;
    code: "RS758",
    name: "drop-cascade",
    summary: "DROP TABLE/VIEW … CASCADE loses CASCADE (dependent views are not dropped)",
    confidence: Caveat,
    databricks_invalid: true,
}

impl Rule for DropCascade {
    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        let Statement::Drop {
            object_type,
            cascade,
            ..
        } = s
        else {
            return;
        };
        if !*cascade || !matches!(object_type, ObjectType::Table | ObjectType::View) {
            return;
        }
        let toks = cx.tokens;
        let Some(k) = (cx.stmt.start..cx.stmt.end)
            .rev()
            .find(|&i| toks.toks[i].is_word("CASCADE"))
        else {
            return;
        };
        let Some(p) = toks.prev_sig(k, cx.stmt.start) else {
            return;
        };
        cx.fix(
            toks.toks[p].end..toks.toks[k].end,
            vec![],
            "Databricks has no DROP … CASCADE; dependent views are not dropped with the table",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn cascade_is_removed() {
        assert_eq!(out("DROP TABLE s.t CASCADE"), "DROP TABLE s.t");
        assert_eq!(
            out("DROP VIEW IF EXISTS v CASCADE"),
            "DROP VIEW IF EXISTS v"
        );
    }
}
