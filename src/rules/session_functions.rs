use sqlparser::ast::Expr;

use super::args::plain_args;
use super::{Confidence, Rule};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites Redshift's session information functions: bare `USER` becomes `current_user()`,
    /// `CURRENT_DATABASE()` becomes `current_catalog()` (with a warning); `CURRENT_USER_ID` is
    /// reported. `CURRENT_USER`, `SESSION_USER` and `CURRENT_SCHEMA()` are the same on
    /// Databricks.
    ///
    /// ## Why it differs on Databricks
    /// A Redshift database corresponds to a Unity Catalog catalog; Databricks'
    /// `current_database()` is an alias of `current_schema()`, so passing it through returns the
    /// schema. User names are account e-mail addresses on Databricks, not Redshift user names,
    /// and there are no numeric user ids.
    ///
    /// ## Example
    /// ```sql
    /// SELECT USER, CURRENT_DATABASE()
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT current_user(), current_catalog()
    /// ```
    pub struct SessionFunctions;
    code: "RS859",
    name: "session-functions",
    summary: "USER and CURRENT_DATABASE() become current_user() and current_catalog(); CURRENT_USER_ID is reported",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for SessionFunctions {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        match e {
            Expr::Identifier(id) if id.quote_style.is_none() => {
                let Some(r) = cx.range(id.span) else { return };
                match id.value.to_ascii_uppercase().as_str() {
                    "USER" => cx.fix_with(
                        Confidence::Exact,
                        r,
                        vec!["current_user()".into()],
                        "bare USER is current_user() on Databricks",
                    ),
                    "CURRENT_USER_ID" => cx.report(
                        r,
                        "CURRENT_USER_ID has no Databricks equivalent (no numeric user ids); use \
                         current_user()",
                        None,
                    ),
                    _ => {}
                }
            }
            Expr::Function(f) if Checker::fn_name(f) == "CURRENT_DATABASE" => {
                if plain_args(f).map(|a| a.len()) != Some(0) {
                    return;
                }
                let Some(call) = cx.call(f) else { return };
                cx.fix(
                    call.range,
                    vec!["current_catalog()".into()],
                    "a Redshift database is a Unity Catalog catalog; Databricks current_database() \
                     returns the schema",
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn user_and_database() {
        assert_eq!(
            out("SELECT USER, CURRENT_DATABASE(), CURRENT_USER"),
            "SELECT current_user(), current_catalog(), CURRENT_USER"
        );
        assert_eq!(codes("SELECT CURRENT_USER_ID"), vec!["RS859"]);
    }
}
