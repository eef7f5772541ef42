use sqlparser::ast::Expr;

use super::args::plain_args;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites two-argument `LTRIM(s, chars)` / `RTRIM(s, chars)` to
    /// `trim(LEADING chars FROM s)` / `trim(TRAILING chars FROM s)`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks' two-argument `ltrim`/`rtrim` take the characters to trim **first**
    /// (`ltrim(trimStr, str)`), the reverse of Redshift, so passing the call through trims the
    /// wrong string (`LTRIM('xxa', 'x')` is `a` on Redshift, empty on Databricks). The
    /// `trim(LEADING … FROM …)` form is unambiguous; both treat `chars` as a set of characters.
    ///
    /// ## Example
    /// ```sql
    /// SELECT LTRIM(sku, '0'), RTRIM(path, '/') FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT trim(LEADING '0' FROM sku), trim(TRAILING '/' FROM path) FROM t
    /// ```
    pub struct LtrimRtrimChars;
    code: "RS255",
    name: "ltrim-rtrim-chars",
    summary: "LTRIM/RTRIM(s, chars) become trim(LEADING|TRAILING chars FROM s) (Databricks reverses the arguments)",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for LtrimRtrimChars {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let side = match Checker::fn_name(f).as_str() {
            "LTRIM" => "LEADING",
            "RTRIM" => "TRAILING",
            _ => return,
        };
        if plain_args(f).map(|a| a.len()) != Some(2) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        let (s, chars) = (call.args[0].clone(), call.args[1].clone());
        cx.fix(
            call.range,
            vec![
                format!("trim({side} ").into(),
                chars.into(),
                " FROM ".into(),
                s.into(),
                ")".into(),
            ],
            "Databricks' 2-argument ltrim/rtrim take the trim characters first; \
             trim(LEADING|TRAILING … FROM …) keeps the Redshift meaning",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn two_argument_forms_become_trim() {
        assert_eq!(
            out("SELECT LTRIM(sku, '0'), rtrim(path, '/') FROM t"),
            "SELECT trim(LEADING '0' FROM sku), trim(TRAILING '/' FROM path) FROM t"
        );
    }

    #[test]
    fn one_argument_forms_are_left_alone() {
        assert_eq!(
            out("SELECT LTRIM(s), RTRIM(s) FROM t"),
            "SELECT LTRIM(s), RTRIM(s) FROM t"
        );
    }
}
