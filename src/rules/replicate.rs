use sqlparser::ast::Expr;

use super::args::plain_args;
use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Renames `REPLICATE(s, n)` to `repeat(s, n)`.
    ///
    /// ## Why it differs on Databricks
    /// `REPLICATE` is a Redshift synonym of `REPEAT`; Databricks only knows `repeat`, which
    /// returns the same string.
    ///
    /// ## Example
    /// ```sql
    /// SELECT REPLICATE('-', 10)
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT repeat('-', 10)
    /// ```
    pub struct Replicate;
    code: "RS257",
    name: "replicate",
    summary: "REPLICATE(s, n) becomes repeat(s, n)",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for Replicate {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "REPLICATE" || plain_args(f).map(|a| a.len()) != Some(2) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        cx.fix(
            call.name,
            vec!["repeat".into()],
            "REPLICATE is repeat on Databricks",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn renames() {
        assert_eq!(out("SELECT REPLICATE('-', 10)"), "SELECT repeat('-', 10)");
    }
}
