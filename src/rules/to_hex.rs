use sqlparser::ast::Expr;

use super::args::plain_args;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `TO_HEX(n)` to `lower(hex(n))`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `to_hex`; its `hex` returns upper-case digits, Redshift's `TO_HEX`
    /// lower-case ones.
    ///
    /// ## Example
    /// ```sql
    /// SELECT TO_HEX(255)
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT lower(hex(255))
    /// ```
    pub struct ToHex;
    code: "RS261",
    name: "to-hex",
    summary: "TO_HEX(n) becomes lower(hex(n))",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for ToHex {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "TO_HEX" || plain_args(f).map(|a| a.len()) != Some(1) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        let arg = call.args[0].clone();
        cx.fix(
            call.range,
            vec!["lower(hex(".into(), arg.into(), "))".into()],
            "Databricks has no to_hex; lower(hex(n)) gives Redshift's lower-case digits",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn wraps_hex_in_lower() {
        assert_eq!(
            out("SELECT TO_HEX(id) FROM t"),
            "SELECT lower(hex(id)) FROM t"
        );
    }
}
