use sqlparser::ast::Expr;

use super::args::plain_args;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `CHARINDEX(sub, s)` to `locate(sub, s)`.
    ///
    /// ## Why it differs on Databricks
    /// Both are 1-based and return 0 when `sub` is absent, with the same argument order.
    /// `charindex` exists only on recent Databricks runtimes (and not in open-source Spark);
    /// `locate` runs everywhere.
    ///
    /// ## Example
    /// ```sql
    /// SELECT CHARINDEX('@', email) FROM users
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT locate('@', email) FROM users
    /// ```
    pub struct Charindex;
    code: "RS251",
    name: "charindex",
    summary: "CHARINDEX(sub, s) becomes locate(sub, s)",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for Charindex {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "CHARINDEX" || plain_args(f).map(|a| a.len()) != Some(2) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        cx.fix(
            call.name,
            vec!["locate".into()],
            "CHARINDEX(sub, s) is locate(sub, s)",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn renames_keeping_argument_order() {
        assert_eq!(
            out("SELECT CHARINDEX('@', email) FROM u"),
            "SELECT locate('@', email) FROM u"
        );
    }

    #[test]
    fn three_argument_databricks_form_is_left_alone() {
        assert_eq!(
            out("SELECT charindex('a', s, 2)"),
            "SELECT charindex('a', s, 2)"
        );
    }
}
