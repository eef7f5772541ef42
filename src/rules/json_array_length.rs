use sqlparser::ast::Expr;

use super::args::plain_args;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Drops the `null_if_invalid` argument of `JSON_ARRAY_LENGTH(j, true)` and warns on every
    /// `JSON_ARRAY_LENGTH`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks' `json_array_length(j)` takes one argument and returns NULL for invalid JSON
    /// or a non-array; Redshift raises an error unless `null_if_invalid` is true. Valid arrays
    /// give the same length.
    ///
    /// ## Example
    /// ```sql
    /// SELECT JSON_ARRAY_LENGTH(items, true) FROM orders
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT JSON_ARRAY_LENGTH(items) FROM orders
    /// ```
    pub struct JsonArrayLength;
    code: "RS553",
    name: "json-array-length",
    summary: "JSON_ARRAY_LENGTH loses null_if_invalid; invalid JSON gives NULL on Databricks",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for JsonArrayLength {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "JSON_ARRAY_LENGTH" {
            return;
        }
        let Some(args) = plain_args(f) else { return };
        let Some(call) = cx.call(f) else { return };
        match args.len() {
            1 => cx.warn(call.range, "JSON_ARRAY_LENGTH returns NULL on Databricks where \
                Redshift raises an error (invalid JSON, not an array)"),
            2 => cx.fix(
                call.args[0].end..call.args[1].end,
                vec![],
                "Databricks json_array_length takes no null_if_invalid flag (it always returns NULL for invalid JSON)",
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn flag_is_dropped() {
        assert_eq!(
            out("SELECT JSON_ARRAY_LENGTH(items, true) FROM t"),
            "SELECT JSON_ARRAY_LENGTH(items) FROM t"
        );
        assert_eq!(
            codes("SELECT JSON_ARRAY_LENGTH(items) FROM t"),
            vec!["RS553"]
        );
    }
}
