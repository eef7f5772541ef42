use sqlparser::ast::Expr;

use super::args::plain_args;
use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Renames Redshift's double-precision math functions `DLOG1(x)`, `DLOG10(x)` and `DEXP(x)`
    /// to `ln(x)`, `log10(x)` and `exp(x)`.
    ///
    /// ## Why it differs on Databricks
    /// The `D`-prefixed names do not exist on Databricks; the plain functions compute the same
    /// values.
    ///
    /// ## Example
    /// ```sql
    /// SELECT DLOG1(x), DLOG10(x), DEXP(x) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT ln(x), log10(x), exp(x) FROM t
    /// ```
    pub struct DlogDexp;
    code: "RS651",
    name: "dlog-dexp",
    summary: "DLOG1/DLOG10/DEXP become ln/log10/exp",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for DlogDexp {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let new = match Checker::fn_name(f).as_str() {
            "DLOG1" => "ln",
            "DLOG10" => "log10",
            "DEXP" => "exp",
            _ => return,
        };
        if plain_args(f).map(|a| a.len()) != Some(1) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        let old = cx.slice(&call.name).to_string();
        cx.fix(
            call.name,
            vec![new.into()],
            format!("{old} does not exist on Databricks; {new} computes the same value"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn renames_each_function() {
        assert_eq!(
            out("SELECT DLOG1(x), dlog10(x), DEXP(1.5) FROM t"),
            "SELECT ln(x), log10(x), exp(1.5) FROM t"
        );
    }
}
