use sqlparser::ast::Expr;

use super::args::plain_args;
use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites one-argument `LOG(x)` to `log10(x)`.
    ///
    /// ## Why it differs on Databricks
    /// Redshift's `LOG(x)` is the base-10 logarithm (a synonym of `DLOG10`); Databricks'
    /// one-argument `log(x)` is the **natural** logarithm, so passing it through silently changes
    /// every value (`LOG(100)` is 2 on Redshift, 4.605… on Databricks).
    ///
    /// ## Example
    /// ```sql
    /// SELECT LOG(revenue) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT log10(revenue) FROM t
    /// ```
    pub struct LogBase10;
    code: "RS650",
    name: "log-base-10",
    summary: "LOG(x) is base 10 on Redshift: becomes log10(x)",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for LogBase10 {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "LOG" || plain_args(f).map(|a| a.len()) != Some(1) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        cx.fix(
            call.name,
            vec!["log10".into()],
            "LOG(x) is the base-10 logarithm on Redshift; Databricks log(x) is the natural one",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn one_argument_log_becomes_log10() {
        assert_eq!(
            out("SELECT LOG(x), log(LOG(y)) FROM t"),
            "SELECT log10(x), log10(log10(y)) FROM t"
        );
        assert_eq!(codes("SELECT LOG(x)"), vec!["RS650"]);
    }

    #[test]
    fn two_argument_log_is_left_alone() {
        assert_eq!(out("SELECT log(2, x) FROM t"), "SELECT log(2, x) FROM t");
    }
}
