use sqlparser::ast::Expr;
use sqlparser::tokenizer::Token;

use super::args::plain_args;
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::Runtime;

crate::rule! {
    /// ## What it does
    /// Rewrites `JSON_PARSE(s)` to `parse_json(s)` and `JSON_SERIALIZE(x)` to `to_json(x)`,
    /// with a warning that the result is a VARIANT, not a SUPER. A call followed by SUPER
    /// navigation (`JSON_PARSE(s).a.b`) is reported: VARIANT paths are written `:a.b`.
    ///
    /// ## Why it differs on Databricks
    /// Redshift's SUPER becomes Databricks' VARIANT (DBR 15.3+); navigation syntax differs
    /// (`v:a.b` instead of `v.a.b`) and VARIANT keys are case-sensitive. Below DBR 15.3 the calls
    /// are reported.
    ///
    /// ## Example
    /// ```sql
    /// SELECT JSON_SERIALIZE(JSON_PARSE(payload)) FROM events
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT to_json(parse_json(payload)) FROM events
    /// ```
    pub struct JsonParseSerialize;
    code: "RS552",
    name: "json-parse-serialize",
    summary: "JSON_PARSE/JSON_SERIALIZE become parse_json/to_json (SUPER becomes VARIANT)",
    confidence: Caveat,
    databricks_invalid: true,
}

impl Rule for JsonParseSerialize {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let name = Checker::fn_name(f);
        let new = match name.as_str() {
            "JSON_PARSE" => "parse_json",
            "JSON_SERIALIZE" => "to_json",
            _ => return,
        };
        if plain_args(f).map(|a| a.len()) != Some(1) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        // `JSON_PARSE(s).a.b` / `[0]`: SUPER navigation, which VARIANT spells `:a.b`.
        let toks = cx.tokens;
        let navigated = toks
            .next_sig(toks.at(call.range.end), cx.stmt.end)
            .is_some_and(|k| matches!(toks.toks[k].token, Token::Period | Token::LBracket));
        if navigated {
            cx.report(
                call.range,
                format!(
                    "{name}(…) followed by SUPER navigation: on Databricks write \
                         parse_json(…):path (VARIANT path syntax, case-sensitive keys)"
                ),
                None,
            );
            return;
        }
        if cx.opts.runtime < Runtime(15, 3) {
            cx.report(
                call.range,
                format!(
                    "{name} needs VARIANT (DBR 15.3+), above the target \
                runtime; keep the JSON as a STRING and use get_json_object"
                ),
                None,
            );
            return;
        }
        cx.fix(
            call.name,
            vec![new.into()],
            format!("{name} is {new} on Databricks; SUPER values become VARIANT (navigate with v:key, keys are case-sensitive)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn renames_both() {
        assert_eq!(
            out("SELECT JSON_SERIALIZE(JSON_PARSE(p)) FROM t"),
            "SELECT to_json(parse_json(p)) FROM t"
        );
        let nav = "SELECT JSON_PARSE(p).a.b FROM t";
        assert_eq!(out(nav), nav);
    }
}
