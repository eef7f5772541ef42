use sqlparser::ast::{Expr, FunctionArguments};

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `GETDATE()` to `current_timestamp()`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `GETDATE`. Redshift's `GETDATE()` has no fractional seconds (it is
    /// truncated to the second) and is a naive UTC timestamp; `current_timestamp()` keeps
    /// microseconds and is rendered in the session time zone. Keep the session time zone UTC;
    /// comparisons at sub-second boundaries can differ.
    ///
    /// ## Example
    /// ```sql
    /// SELECT * FROM orders WHERE order_ts >= DATEADD(day, -7, GETDATE())
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT * FROM orders WHERE order_ts >= timestampadd(DAY, -7, current_timestamp())
    /// ```
    pub struct Getdate;
    code: "RS101",
    name: "getdate",
    summary: "GETDATE() becomes current_timestamp() (microseconds, session time zone)",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for Getdate {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "GETDATE" {
            return;
        }
        let FunctionArguments::List(list) = &f.args else {
            return;
        };
        if !list.args.is_empty() || f.over.is_some() {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        cx.fix(
            call.range,
            vec!["current_timestamp()".into()],
            "GETDATE() is current_timestamp() on Databricks (it keeps fractional seconds)",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn rewrites_call_and_keeps_everything_else() {
        assert_eq!(
            out("SELECT getdate() AS now_ts, -- keep me\n  GETDATE ( ) FROM t"),
            "SELECT current_timestamp() AS now_ts, -- keep me\n  current_timestamp() FROM t"
        );
        assert_eq!(codes("SELECT GETDATE()"), vec!["RS101"]);
    }

    #[test]
    fn leaves_quoted_user_function_alone() {
        assert_eq!(out("SELECT \"getdate\"(1)"), "SELECT `getdate`(1)");
    }
}
