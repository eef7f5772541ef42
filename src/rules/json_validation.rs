use sqlparser::ast::Expr;

use super::args::{nondeterministic, plain_args};
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::Runtime;

crate::rule! {
    /// ## What it does
    /// Rewrites `IS_VALID_JSON(s)` to `nvl2(s, try_parse_json(s) IS NOT NULL, NULL)`,
    /// `IS_VALID_JSON_ARRAY(s)` to `nvl2(s, json_array_length(s) IS NOT NULL, NULL)` and
    /// `CAN_JSON_PARSE(s)` to `nvl2(s, try_parse_json(s) IS NOT NULL, NULL)`.
    ///
    /// ## Why it differs on Databricks
    /// None of these functions exist on Databricks. `try_parse_json` (DBR 15.3+) returns NULL
    /// for text that is not JSON; `json_array_length` returns NULL for anything but a JSON array.
    /// Redshift's `IS_VALID_JSON` is documented for JSON objects; whether it accepts a top-level
    /// array or scalar the way `try_parse_json` does was not verified, so the rewrite warns.
    /// Below DBR 15.3 the object forms are reported.
    ///
    /// ## Example
    /// ```sql
    /// SELECT * FROM events WHERE IS_VALID_JSON(payload)
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT * FROM events WHERE nvl2(payload, try_parse_json(payload) IS NOT NULL, NULL)
    /// ```
    pub struct JsonValidation;
    code: "RS551",
    name: "json-validation",
    summary: "IS_VALID_JSON/IS_VALID_JSON_ARRAY/CAN_JSON_PARSE become try_parse_json/json_array_length tests",
    confidence: Caveat,
    databricks_invalid: true,
}

impl Rule for JsonValidation {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let name = Checker::fn_name(f);
        let test = match name.as_str() {
            "IS_VALID_JSON" | "CAN_JSON_PARSE" => "try_parse_json(",
            "IS_VALID_JSON_ARRAY" => "json_array_length(",
            _ => return,
        };
        if plain_args(f).map(|a| a.len()) != Some(1) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        let s = call.args[0].clone();
        if nondeterministic(cx.slice(&s)) {
            return;
        }
        if test == "try_parse_json(" && cx.opts.runtime < Runtime(15, 3) {
            cx.report(
                call.range,
                format!(
                    "{name} needs try_parse_json (DBR 15.3+), above the target runtime; \
                         validate the JSON another way"
                ),
                None,
            );
            return;
        }
        cx.fix(
            call.range,
            vec![
                "nvl2(".into(),
                s.clone().into(),
                format!(", {test}").into(),
                s.into(),
                ") IS NOT NULL, NULL)".into(),
            ],
            format!(
                "{name} does not exist on Databricks; top-level arrays and scalars may be \
                     judged differently"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn rewrites_each_function() {
        assert_eq!(
            out("SELECT IS_VALID_JSON(p), IS_VALID_JSON_ARRAY(a) FROM t"),
            "SELECT nvl2(p, try_parse_json(p) IS NOT NULL, NULL), nvl2(a, json_array_length(a) IS NOT NULL, NULL) FROM t"
        );
    }
}
