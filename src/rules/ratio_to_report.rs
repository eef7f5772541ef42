use sqlparser::ast::{Expr, WindowType};

use super::args::nondeterministic;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `RATIO_TO_REPORT(x) OVER (PARTITION BY p)` to
    /// `(x / sum(x) OVER (PARTITION BY p))`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `ratio_to_report`. The ratio of a value to its partition total is the
    /// definition of the Redshift function; `/` returns a fraction for integer inputs too.
    /// Where a partition sums to 0, Databricks (ANSI mode) raises a division-by-zero error.
    ///
    /// ## Example
    /// ```sql
    /// SELECT RATIO_TO_REPORT(revenue) OVER (PARTITION BY region) FROM sales
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT (revenue / sum(revenue) OVER (PARTITION BY region)) FROM sales
    /// ```
    pub struct RatioToReport;
    code: "RS351",
    name: "ratio-to-report",
    summary: "RATIO_TO_REPORT(x) OVER (…) becomes x / sum(x) OVER (…)",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for RatioToReport {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "RATIO_TO_REPORT" {
            return;
        }
        let Some(WindowType::WindowSpec(spec)) = &f.over else {
            return;
        };
        if !spec.order_by.is_empty() || spec.window_frame.is_some() {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        if call.args.len() != 1 || call.full.end == call.range.end {
            return;
        }
        let x = call.args[0].clone();
        if nondeterministic(cx.slice(&x)) {
            return;
        }
        cx.fix(
            call.full.clone(),
            vec![
                "(".into(),
                x.clone().into(),
                " / sum(".into(),
                x.into(),
                ")".into(),
                (call.range.end..call.full.end).into(),
                ")".into(),
            ],
            "Databricks has no ratio_to_report; it is x divided by the partition's sum(x)",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn becomes_a_windowed_division() {
        assert_eq!(
            out("SELECT RATIO_TO_REPORT(rev) OVER (PARTITION BY region) AS share FROM s"),
            "SELECT (rev / sum(rev) OVER (PARTITION BY region)) AS share FROM s"
        );
    }
}
