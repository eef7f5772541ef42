use sqlparser::ast::{Expr, FunctionArguments};

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Renames `NVL(a, b, …)` to `coalesce(a, b, …)`.
    ///
    /// ## Why it differs on Databricks
    /// Redshift's `NVL` is a synonym of `COALESCE` and takes any number of arguments; Databricks'
    /// `nvl` takes exactly two, so `NVL(a, b, c)` fails there. `coalesce` is identical for every
    /// argument count.
    ///
    /// ## Example
    /// ```sql
    /// SELECT NVL(nickname, first_name, 'n/a') FROM customers
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT coalesce(nickname, first_name, 'n/a') FROM customers
    /// ```
    pub struct Nvl;
    code: "RS301",
    name: "nvl",
    summary: "NVL(a, b, …) becomes coalesce(a, b, …)",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for Nvl {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "NVL" {
            return;
        }
        let FunctionArguments::List(list) = &f.args else {
            return;
        };
        if list.args.len() < 2 || f.over.is_some() {
            return;
        }
        let Some(call) = cx.call(f) else {
            return;
        };
        cx.fix_in(
            Self::INFO.confidence,
            call.range.clone(),
            call.name,
            vec!["coalesce".into()],
            "NVL is coalesce on Databricks",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn renames_and_composes_with_inner_rewrites() {
        assert_eq!(
            out("SELECT NVL(a, /* c */ NVL(b, GETDATE()), c) FROM t"),
            "SELECT coalesce(a, /* c */ coalesce(b, current_timestamp()), c) FROM t"
        );
    }

    #[test]
    fn one_argument_is_left_alone() {
        assert_eq!(out("SELECT nvl(a) FROM t"), "SELECT nvl(a) FROM t");
    }
}
