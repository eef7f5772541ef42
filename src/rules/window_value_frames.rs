use sqlparser::ast::{Expr, WindowType};

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports `FIRST_VALUE`, `LAST_VALUE` and `NTH_VALUE` windows that have an ORDER BY but no
    /// explicit frame.
    ///
    /// ## Why it differs on Databricks
    /// Redshift requires a frame clause whenever these functions have an ORDER BY (AWS
    /// FIRST_VALUE/LAST_VALUE docs: "If you specify an ORDER BY clause, you must also specify a
    /// frame_clause"), so such SQL did not run there as written and there is no Redshift result
    /// to preserve. Without a frame, Databricks uses `RANGE BETWEEN UNBOUNDED PRECEDING AND
    /// CURRENT ROW`, so `LAST_VALUE` returns the current row's value (or its last peer). Spell
    /// out the frame the query means, e.g. `ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED
    /// FOLLOWING`.
    ///
    /// ## Example
    /// ```sql
    /// SELECT LAST_VALUE(status) OVER (PARTITION BY id ORDER BY ts) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT LAST_VALUE(status) OVER (PARTITION BY id ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM t
    /// ```
    pub struct WindowValueFrames;
    code: "RS353",
    name: "window-value-frames",
    summary: "FIRST_VALUE/LAST_VALUE/NTH_VALUE with ORDER BY and no frame: default frames may differ",
    confidence: Review,
    databricks_invalid: false,
}

impl Rule for WindowValueFrames {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let name = Checker::fn_name(f);
        if !matches!(name.as_str(), "FIRST_VALUE" | "LAST_VALUE" | "NTH_VALUE") {
            return;
        }
        let Some(WindowType::WindowSpec(spec)) = &f.over else {
            return;
        };
        if spec.order_by.is_empty() || spec.window_frame.is_some() {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        cx.report(
            call.full,
            format!(
                "{name} with ORDER BY and no frame: Redshift requires a frame here and \
                     Databricks' default frame ends at the current row; add the frame the query \
                     means (e.g. ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
            ),
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::codes;

    #[test]
    fn missing_frame_is_reported() {
        assert!(
            codes("SELECT LAST_VALUE(s) OVER (PARTITION BY i ORDER BY ts) FROM t")
                .contains(&"RS353")
        );
        assert!(!codes("SELECT LAST_VALUE(s) OVER (ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM t").contains(&"RS353"));
    }
}
