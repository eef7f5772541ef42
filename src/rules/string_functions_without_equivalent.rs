use sqlparser::ast::Expr;

use super::args::plain_args;
use super::{Confidence, Rule};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Handles Redshift string functions without a Databricks function of the same meaning:
    /// `FUNC_SHA1(s)` becomes `sha1(s)`, `QUOTE_LITERAL(s)` becomes
    /// `concat('\'', replace(s, '\'', '\'\''), '\'')`; `FNV_HASH`, `CHECKSUM`, `DIFFERENCE`,
    /// `OCTETINDEX` and `QUOTE_IDENT` are reported.
    ///
    /// ## Why it differs on Databricks
    /// `FUNC_SHA1` is a synonym of `sha1`. `QUOTE_LITERAL` doubles embedded quotes and wraps the
    /// value in quotes (it is rewritten with a warning: Redshift's handling of backslashes in the
    /// value was not verified). `xxhash64`/`hash` return different values than `FNV_HASH` and
    /// `CHECKSUM`, so persisted or compared hashes would not match; `DIFFERENCE` has no
    /// counterpart; `OCTETINDEX` needs byte arithmetic over `encode(s, 'UTF-8')`; `QUOTE_IDENT`
    /// must produce backtick quoting for Databricks.
    ///
    /// ## Example
    /// ```sql
    /// SELECT FUNC_SHA1(email), QUOTE_LITERAL(name) FROM users
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT sha1(email), concat('\'', replace(name, '\'', '\'\''), '\'') FROM users
    /// ```
    pub struct StringFunctionsWithoutEquivalent;
    code: "RS262",
    name: "string-functions-without-equivalent",
    summary: "FUNC_SHA1/QUOTE_LITERAL are rewritten; FNV_HASH, CHECKSUM, DIFFERENCE, OCTETINDEX, QUOTE_IDENT are reported",
    confidence: Block,
    databricks_invalid: true,
}

impl Rule for StringFunctionsWithoutEquivalent {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let name = Checker::fn_name(f);
        let Some(args) = plain_args(f) else { return };
        let Some(call) = cx.call(f) else { return };
        match (name.as_str(), args.len()) {
            ("FUNC_SHA1", 1) => cx.fix_with(
                Confidence::Exact,
                call.name,
                vec!["sha1".into()],
                "FUNC_SHA1 is sha1 on Databricks",
            ),
            ("QUOTE_LITERAL", 1) => {
                let s = call.args[0].clone();
                cx.fix_with(
                    Confidence::Caveat,
                    call.range,
                    vec![
                        "concat('\\'', replace(".into(),
                        s.into(),
                        ", '\\'', '\\'\\''), '\\'')".into(),
                    ],
                    "QUOTE_LITERAL becomes concat/replace; backslashes in the value are not doubled",
                );
            }
            ("FNV_HASH" | "CHECKSUM", _) => cx.report(
                call.range,
                format!(
                    "{name} has no Databricks equivalent: use xxhash64(x) when the hashes are \
                         only compared among themselves (its values differ, so recompute any \
                         hashes stored from Redshift)"
                ),
                None,
            ),
            ("DIFFERENCE", 2) => cx.report(
                call.range,
                "DIFFERENCE has no Databricks equivalent; compare soundex() codes by hand",
                None,
            ),
            ("OCTETINDEX", 2) => cx.report(
                call.range,
                "OCTETINDEX (byte position) has no Databricks equivalent; compute it with \
                 octet_length(substr(s, 1, locate(sub, s) - 1)) + 1 by hand",
                None,
            ),
            ("QUOTE_IDENT", 1) => cx.report(
                call.range,
                "QUOTE_IDENT produces Redshift double-quote quoting; Databricks identifiers need \
                 backticks: concat('`', replace(s, '`', '``'), '`')",
                None,
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn rewrites_and_reports() {
        assert_eq!(
            out("SELECT FUNC_SHA1(e), QUOTE_LITERAL(n) FROM u"),
            r"SELECT sha1(e), concat('\'', replace(n, '\'', '\'\''), '\'') FROM u"
        );
        let sql = "SELECT FNV_HASH(a), DIFFERENCE(a, b) FROM u";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS262", "RS262"]);
    }
}
