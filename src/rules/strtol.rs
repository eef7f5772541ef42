use sqlparser::ast::Expr;

use super::args::plain_args;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `STRTOL(s, base)` to `CAST(conv(s, base, 10) AS BIGINT)` and warns.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `strtol`. `conv` converts between bases for plain digit strings, but
    /// unlike Redshift it does not accept a leading sign (`'-ff'` becomes a huge unsigned value)
    /// or a `0x` prefix (`'0xff'` gives 0). Check that the inputs are unsigned digit strings.
    ///
    /// ## Example
    /// ```sql
    /// SELECT STRTOL(hex_id, 16) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT CAST(conv(hex_id, 16, 10) AS BIGINT) FROM t
    /// ```
    pub struct Strtol;
    code: "RS260",
    name: "strtol",
    summary: "STRTOL(s, base) becomes CAST(conv(s, base, 10) AS BIGINT) (signs and 0x prefixes differ)",
    confidence: Caveat,
    databricks_invalid: true,
}

impl Rule for Strtol {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "STRTOL" || plain_args(f).map(|a| a.len()) != Some(2) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        let (s, base) = (call.args[0].clone(), call.args[1].clone());
        cx.fix(
            call.range,
            vec![
                "CAST(conv(".into(),
                s.into(),
                ", ".into(),
                base.into(),
                ", 10) AS BIGINT)".into(),
            ],
            "STRTOL becomes conv(): inputs with a sign, a 0x prefix or blanks convert differently",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::fix;

    #[test]
    fn rewrites_with_a_warning() {
        let t = fix("SELECT STRTOL(h, 16) FROM t");
        assert_eq!(t.output, "SELECT CAST(conv(h, 16, 10) AS BIGINT) FROM t");
        assert_eq!(t.findings[0].severity, crate::sql::Severity::Warning);
        assert!(t.findings[0].message.contains("0x prefix"));
    }
}
