use sqlparser::ast::Expr;

use super::args::{int_literal, plain_args};
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Warns on string functions whose edge cases differ: `CHR(n)` with `n` not a literal in
    /// 0–127, `LEFT(s, n)` / `RIGHT(s, n)` with `n` not a non-negative literal, and `CRC32`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks `chr` takes `n` modulo 256 for large values (Redshift's handling of codes
    /// above 127 was not verified); `left`/`right` return `''` for a negative length
    /// (Redshift's behaviour was not verified); Databricks `crc32` returns BIGINT (Redshift's
    /// result type was not verified). Values in the common range are the same.
    ///
    /// ## Example
    /// ```sql
    /// SELECT CHR(code), LEFT(s, n) FROM t
    /// ```
    ///
    /// ## Use instead
    /// Check that `code` stays within ASCII and `n` is never negative; the calls stay as they are.
    pub struct StringCaveats;
    code: "RS263",
    name: "string-edge-cases",
    summary: "CHR beyond ASCII, LEFT/RIGHT with negative lengths and CRC32 result types may differ",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for StringCaveats {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let name = Checker::fn_name(f);
        let Some(args) = plain_args(f) else { return };
        let msg = match (name.as_str(), args.len()) {
            ("CHR", 1) if !int_literal(args[0]).is_some_and(|n| (0..128).contains(&n)) => {
                "CHR beyond ASCII: Databricks takes the code modulo 256; check the values stay in 0-127"
            }
            ("LEFT" | "RIGHT", 2) if int_literal(args[1]).is_none_or(|n| n < 0) => {
                "LEFT/RIGHT with a length that may be negative: Databricks returns ''; check the lengths"
            }
            ("CRC32", 1) => "CRC32 returns BIGINT on Databricks; check comparisons with stored values",
            _ => return,
        };
        let Some(call) = cx.call(f) else { return };
        cx.warn(call.range, msg);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::codes;

    #[test]
    fn warns_only_outside_the_safe_range() {
        assert_eq!(
            codes("SELECT CHR(c), LEFT(s, n) FROM t"),
            vec!["RS263", "RS263"]
        );
        assert!(codes("SELECT CHR(65), LEFT(s, 3) FROM t").is_empty());
    }
}
