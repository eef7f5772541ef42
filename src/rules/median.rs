use sqlparser::ast::{Expr, FunctionArguments};

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Warns on `MEDIAN(x)`: Databricks has `median(x)` with the same continuous (interpolated)
    /// median, so the text stays, but the result type differs.
    ///
    /// ## Why it differs on Databricks
    /// Redshift keeps the argument's DECIMAL/DATE/TIMESTAMP type; Databricks returns DOUBLE and
    /// rejects dates and timestamps. Redshift also requires every MEDIAN/PERCENTILE_CONT/LISTAGG
    /// of a statement to share one ordering, which Databricks does not need.
    ///
    /// ## Example
    /// ```sql
    /// SELECT MEDIAN(price) FROM products
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT MEDIAN(price) FROM products  -- DOUBLE on Databricks; cast if the type matters
    /// ```
    pub struct Median;
    code: "RS306",
    name: "median",
    summary: "MEDIAN runs on Databricks but returns DOUBLE (and rejects dates)",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for Median {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "MEDIAN" || !matches!(f.args, FunctionArguments::List(_)) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        cx.warn(
            call.full,
            "MEDIAN returns DOUBLE on Databricks (Redshift keeps DECIMAL/DATE/TIMESTAMP); dates and timestamps are rejected",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn median_is_a_warning_only() {
        assert_eq!(
            out("SELECT MEDIAN(price) FROM p"),
            "SELECT MEDIAN(price) FROM p"
        );
        assert_eq!(codes("SELECT MEDIAN(price) FROM p"), vec!["RS306"]);
    }
}
