use sqlparser::ast::{Expr, FunctionArguments};

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Renames Redshift's logarithm and exponent functions: `LOG(x)` and `DLOG10(x)` →
    /// `log10(x)`, `DLOG1(x)` → `ln(x)`, `DEXP(x)` → `exp(x)`.
    ///
    /// ## Why it differs on Databricks
    /// Redshift's one-argument `LOG` is base 10; Databricks' `log(x)` is the **natural** log, so
    /// passing it through silently changes every value. `DLOG10`, `DLOG1` and `DEXP` do not exist
    /// on Databricks.
    ///
    /// ## Example
    /// ```sql
    /// SELECT LOG(revenue), DLOG1(x) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT log10(revenue), ln(x) FROM t
    /// ```
    pub struct Log;
    code: "RS602",
    name: "log-base",
    summary: "LOG(x) is base 10 in Redshift: log10(x); DLOG1/DLOG10/DEXP renamed",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for Log {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let FunctionArguments::List(list) = &f.args else {
            return;
        };
        if list.args.len() != 1 {
            return; // Databricks' log(base, x) or something else
        }
        let new = match Checker::fn_name(f).as_str() {
            "LOG" | "DLOG10" => "log10",
            "DLOG1" => "ln",
            "DEXP" => "exp",
            _ => return,
        };
        let Some(call) = cx.call(f) else { return };
        cx.fix_in(
            Self::INFO.confidence,
            call.range.clone(),
            call.name,
            vec![new.into()],
            format!("Redshift's function is {new} on Databricks (one-argument log is the natural log there)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn renames() {
        assert_eq!(
            out("SELECT LOG(x), log(2, x), DLOG1(y), DEXP(z), DLOG10(w)"),
            "SELECT log10(x), log(2, x), ln(y), exp(z), log10(w)"
        );
    }
}
