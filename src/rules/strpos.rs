use sqlparser::ast::Expr;

use super::args::plain_args;
use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `STRPOS(s, sub)` to `locate(sub, s)`, swapping the arguments.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `strpos`. Its `locate` takes the substring **first**; both are 1-based
    /// and return 0 when the substring is absent.
    ///
    /// ## Example
    /// ```sql
    /// SELECT STRPOS(url, '?') FROM hits
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT locate('?', url) FROM hits
    /// ```
    pub struct Strpos;
    code: "RS252",
    name: "strpos",
    summary: "STRPOS(s, sub) becomes locate(sub, s)",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for Strpos {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "STRPOS" || plain_args(f).map(|a| a.len()) != Some(2) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        let (s, sub) = (call.args[0].clone(), call.args[1].clone());
        cx.fix(
            call.range,
            vec![
                "locate(".into(),
                sub.into(),
                ", ".into(),
                s.into(),
                ")".into(),
            ],
            "Databricks has no strpos; locate takes the substring first",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn swaps_arguments() {
        assert_eq!(
            out("SELECT STRPOS(url, '?') FROM hits"),
            "SELECT locate('?', url) FROM hits"
        );
    }
}
