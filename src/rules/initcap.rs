use sqlparser::ast::Expr;

use super::args::plain_args;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Warns on `INITCAP(s)`; the call is kept.
    ///
    /// ## Why it differs on Databricks
    /// Redshift starts a new word after every character that is not a letter or digit;
    /// Databricks `initcap` only after whitespace. `INITCAP('o''neil-smith')` is `O'Neil-Smith`
    /// on Redshift and `O'neil-smith` on Databricks. Values with only spaces between words are
    /// the same.
    ///
    /// ## Example
    /// ```sql
    /// SELECT INITCAP(last_name) FROM people
    /// ```
    ///
    /// ## Use instead
    /// Keep `initcap(last_name)` when names contain no punctuation; otherwise capitalise in a
    /// user-defined function.
    pub struct Initcap;
    code: "RS256",
    name: "initcap",
    summary: "INITCAP word boundaries differ (Databricks: whitespace only)",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for Initcap {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "INITCAP" || plain_args(f).map(|a| a.len()) != Some(1) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        cx.warn(
            call.range,
            "INITCAP: Databricks starts words only after whitespace, Redshift after any \
             non-alphanumeric character (O'Neil-Smith vs O'neil-smith)",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::fix;

    #[test]
    fn warns_and_keeps_the_call() {
        let t = fix("SELECT INITCAP(n) FROM p");
        assert_eq!(t.output, "SELECT INITCAP(n) FROM p");
        assert_eq!(t.findings.len(), 1);
        assert_eq!(t.findings[0].code, "RS256");
    }
}
