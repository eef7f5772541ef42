use sqlparser::ast::Expr;

use super::args::plain_args;
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::types::Ty;

crate::rule! {
    /// ## What it does
    /// Warns on `ROUND` of a value that is visibly floating point (a literal with an exponent, or
    /// a cast to `float`, `real`, `double precision`, `float4`, `float8`).
    ///
    /// ## Why it differs on Databricks
    /// Databricks rounds halves away from zero (HALF_UP), like Redshift does for DECIMAL values,
    /// so DECIMAL and integer inputs give the same result. How Redshift rounds DOUBLE halves was
    /// not verified, and binary floating point rarely holds an exact half anyway: compare a few
    /// values if the result is persisted or compared exactly.
    ///
    /// ## Example
    /// ```sql
    /// SELECT ROUND(ratio::float, 2) FROM t
    /// ```
    ///
    /// ## Use instead
    /// Round DECIMAL values (`ROUND(CAST(ratio AS DECIMAL(18,6)), 2)`) when exact halves matter.
    pub struct RoundHalves;
    code: "RS654",
    name: "round-floating-point",
    summary: "ROUND of floating-point values: half-rounding of doubles may differ",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for RoundHalves {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "ROUND" {
            return;
        }
        let Some(args) = plain_args(f) else { return };
        // Floating casts and literals, and FLOAT columns when a column-type CSV is given.
        if args.is_empty() || cx.ty(args[0]) != Ty::Float {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        cx.warn(
            call.range,
            "ROUND of a floating-point value: Databricks rounds halves away from zero; Redshift's \
             rounding of DOUBLE halves was not verified (round DECIMAL values if halves matter)",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::codes;

    #[test]
    fn warns_only_for_floats() {
        assert_eq!(codes("SELECT ROUND(r::double, 2) FROM t"), vec!["RS654"]);
        assert_eq!(codes("SELECT ROUND((1.5e0), 0)"), vec!["RS654"]);
        assert!(codes("SELECT ROUND(price, 2) FROM t").is_empty());
        assert!(codes("SELECT ROUND(1.5, 0)").is_empty());
    }
}
