use sqlparser::ast::Expr;

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `SYSDATE` to `current_timestamp()`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `SYSDATE` (it would be read as a column name). Redshift's `SYSDATE` is
    /// the start of the *transaction* (the same value for every statement of a `BEGIN … END`
    /// block); Databricks has no transaction clock, `current_timestamp()` is the start of the
    /// query.
    ///
    /// ## Example
    /// ```sql
    /// SELECT COUNT(*) FROM events WHERE event_ts <= SYSDATE
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT COUNT(*) FROM events WHERE event_ts <= current_timestamp()
    /// ```
    pub struct Sysdate;
    code: "RS102",
    name: "sysdate",
    summary: "SYSDATE becomes current_timestamp() (query start, not transaction start)",
    confidence: Caveat,
    databricks_invalid: true,
}

impl Rule for Sysdate {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Identifier(id) = e else { return };
        if id.quote_style.is_some() || !id.value.eq_ignore_ascii_case("sysdate") {
            return;
        }
        let Some(r) = cx.range(id.span) else { return };
        cx.fix(
            r,
            vec!["current_timestamp()".into()],
            "SYSDATE is current_timestamp() on Databricks (query start, not transaction start)",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn rewrites_bare_sysdate_only() {
        assert_eq!(
            out("SELECT a FROM t WHERE ts <= SYSDATE AND \"sysdate\" = 1"),
            "SELECT a FROM t WHERE ts <= current_timestamp() AND `sysdate` = 1"
        );
        assert_eq!(codes("SELECT sysdate"), vec!["RS102"]);
    }
}
