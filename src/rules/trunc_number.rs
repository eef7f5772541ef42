use sqlparser::ast::Expr;

use super::args::{int_literal, nondeterministic, plain_args};
use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites two-argument `TRUNC(x, n)` (truncate a number to `n` decimal places) to
    /// `CASE WHEN x >= 0 THEN floor(x, n) ELSE ceil(x, n) END`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks' `trunc` truncates **dates** only (`trunc(date, 'MM')`); it has no numeric
    /// truncation, so `TRUNC(3.14159, 2)` fails there. Truncation toward zero is `floor` for
    /// non-negative values and `ceil` for negative ones. The scale must be an integer literal
    /// (Databricks requires a constant scale); anything else is reported. The one-argument
    /// `TRUNC(x)` is handled by the TRUNC(timestamp) rule.
    ///
    /// ## Example
    /// ```sql
    /// SELECT TRUNC(price * 1.07, 2) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT CASE WHEN price * 1.07 >= 0 THEN floor(price * 1.07, 2) ELSE ceil(price * 1.07, 2) END FROM t
    /// ```
    pub struct TruncNumber;
    code: "RS652",
    name: "trunc-number",
    summary: "TRUNC(x, n) becomes floor/ceil toward zero (Databricks trunc is date-only)",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for TruncNumber {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "TRUNC" {
            return;
        }
        let Some(args) = plain_args(f) else { return };
        if args.len() != 2 {
            return;
        }
        // `trunc(d, 'MM')` is Databricks' own date truncation.
        if super::args::string_literal(args[1]).is_some() {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        let (x, n) = (call.args[0].clone(), call.args[1].clone());
        if int_literal(args[1]).is_none() {
            cx.report(
                call.range,
                "TRUNC(x, n) with a non-constant scale has no Databricks form (floor/ceil need a \
                 literal scale); rewrite it with a literal scale",
                None,
            );
            return;
        }
        if nondeterministic(cx.slice(&x)) {
            cx.report(
                call.range,
                "TRUNC(x, n) of a random value cannot be rewritten (the rewrite repeats x); \
                 compute x in a subquery first",
                None,
            );
            return;
        }
        cx.fix(
            call.range,
            vec![
                "CASE WHEN ".into(),
                x.clone().into(),
                " >= 0 THEN floor(".into(),
                x.clone().into(),
                ", ".into(),
                n.clone().into(),
                ") ELSE ceil(".into(),
                x.into(),
                ", ".into(),
                n.into(),
                ") END".into(),
            ],
            "Databricks trunc() is date-only; truncation toward zero is floor/ceil by sign",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn truncates_toward_zero() {
        assert_eq!(
            out("SELECT TRUNC(x, 2) FROM t"),
            "SELECT CASE WHEN x >= 0 THEN floor(x, 2) ELSE ceil(x, 2) END FROM t"
        );
    }

    #[test]
    fn date_form_and_one_argument_are_left_alone() {
        assert_eq!(
            out("SELECT trunc(d, 'MM') FROM t"),
            "SELECT trunc(d, 'MM') FROM t"
        );
        assert!(!codes("SELECT TRUNC(1.5)").contains(&"RS652"));
    }

    #[test]
    fn non_literal_scale_is_reported() {
        assert_eq!(
            out("SELECT TRUNC(x, s) FROM t"),
            "SELECT TRUNC(x, s) FROM t"
        );
        assert_eq!(codes("SELECT TRUNC(x, s) FROM t"), vec!["RS652"]);
    }
}
