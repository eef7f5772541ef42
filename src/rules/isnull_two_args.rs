use sqlparser::ast::Expr;

use super::args::plain_args;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports two-argument `ISNULL(a, b)` and suggests `coalesce(a, b)`.
    ///
    /// ## Why it differs on Databricks
    /// `ISNULL(a, b)` is not a documented Redshift function (it is SQL Server's spelling of
    /// COALESCE), so its meaning in this query is unclear; Databricks' `isnull(x)` is a
    /// one-argument NULL test and rejects two arguments.
    ///
    /// ## Example
    /// ```sql
    /// SELECT ISNULL(nickname, name) FROM users
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT coalesce(nickname, name) FROM users
    /// ```
    pub struct IsnullTwoArgs;
    code: "RS350",
    name: "isnull-two-arguments",
    summary: "ISNULL(a, b) is reported; coalesce(a, b) is suggested",
    confidence: Review,
    databricks_invalid: true,
}

impl Rule for IsnullTwoArgs {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "ISNULL" || plain_args(f).map(|a| a.len()) != Some(2) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        cx.fix(
            call.range.clone(),
            vec!["coalesce".into(), (call.name.end..call.range.end).into()],
            "ISNULL(a, b) is not a documented Redshift function and Databricks isnull() takes one \
             argument; if it means COALESCE, use coalesce(a, b)",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::fix;

    #[test]
    fn suggests_coalesce_without_applying() {
        let t = fix("SELECT ISNULL(a, b) FROM t");
        assert_eq!(t.output, "SELECT ISNULL(a, b) FROM t");
        assert_eq!(t.findings[0].suggestion.as_deref(), Some("coalesce(a, b)"));
    }
}
