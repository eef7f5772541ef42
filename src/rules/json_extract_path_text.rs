use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Value};

use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Rewrites `JSON_EXTRACT_PATH_TEXT(j, 'k1', 'k2' [, null_if_invalid])` to
    /// `CASE WHEN j IS NULL THEN NULL ELSE coalesce(get_json_object(j, '$.k1.k2'), '') END`.
    /// Keys that are not plain names use the bracket form (`$[\\'a b\\']` inside the literal). Non-literal keys are
    /// reported.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `JSON_EXTRACT_PATH_TEXT`. Redshift returns an empty string when the path
    /// is missing, `get_json_object` returns NULL, hence the `coalesce`. Invalid JSON is an error
    /// in Redshift (NULL with `null_if_invalid`) and NULL→'' here: a caveat.
    ///
    /// ## Example
    /// ```sql
    /// SELECT JSON_EXTRACT_PATH_TEXT(properties, 'utm', 'campaign') FROM events
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT CASE WHEN properties IS NULL THEN NULL ELSE coalesce(get_json_object(properties, '$.utm.campaign'), '') END FROM events
    /// ```
    pub struct JsonExtractPathText;
    code: "RS501",
    name: "json-extract-path-text",
    summary: "JSON_EXTRACT_PATH_TEXT becomes get_json_object with a '$.a.b' path ('' for missing paths)",
    confidence: Caveat,
    databricks_invalid: true,
}

impl Rule for JsonExtractPathText {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "JSON_EXTRACT_PATH_TEXT" {
            return;
        }
        let FunctionArguments::List(list) = &f.args else {
            return;
        };
        let Some(call) = cx.call(f) else { return };
        if call.args.len() != list.args.len() || call.args.len() < 2 {
            return;
        }
        let mut keys = Vec::new();
        for (i, a) in list.args.iter().enumerate().skip(1) {
            let FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v))) = a else {
                return cx.report(
                    call.range,
                    "JSON_EXTRACT_PATH_TEXT with a non-literal path: write get_json_object(j, concat('$.', key)) by hand",
                    None,
                );
            };
            match &v.value {
                Value::SingleQuotedString(k) => keys.push(k.clone()),
                Value::Boolean(true) if i == list.args.len() - 1 => {
                    // null_if_invalid: invalid JSON is NULL but a missing path is '' in
                    // Redshift; get_json_object cannot tell the two apart.
                    return cx.report(
                        call.range,
                        "JSON_EXTRACT_PATH_TEXT(…, true): Redshift gives NULL for invalid JSON and '' for a missing path: write get_json_object(j, '$.a.b') by hand and wrap it in coalesce(…, '') where a missing path must give ''",
                        None,
                    );
                }
                Value::Boolean(false) if i == list.args.len() - 1 => {}
                _ => {
                    return cx.report(
                        call.range,
                        "JSON_EXTRACT_PATH_TEXT with a non-literal path: write get_json_object(j, concat('$.', key)) by hand",
                        None,
                    );
                }
            }
        }
        if keys.is_empty()
            || cx.has_jinja(&call.range) && cx.has_jinja(&(call.args[1].start..call.range.end))
        {
            if !keys.is_empty() {
                cx.jinja_hides(call.range, "a JSON path element");
            }
            return;
        }
        let mut path = String::from("$");
        for k in &keys {
            if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                path.push('.');
                path.push_str(k);
            } else if !k.contains(['\'', ']', '\\']) {
                path.push_str(&format!("['{k}']"));
            } else {
                return cx.report(
                    call.range,
                    format!("JSON key {k:?} needs escaping in a JSON path: translate by hand"),
                    None,
                );
            }
        }
        let j = call.args[0].clone();
        cx.fix(
            call.range,
            vec![
                "CASE WHEN ".into(),
                Piece::Src(j.clone()),
                " IS NULL THEN NULL ELSE coalesce(get_json_object(".into(),
                Piece::Src(j),
                format!(", '{}'), '') END", path.replace('\'', "\\'")).into(),
            ],
            "missing paths give '' in Redshift and NULL from get_json_object; invalid JSON errors in Redshift",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn path_is_built_from_keys() {
        assert_eq!(
            out("SELECT JSON_EXTRACT_PATH_TEXT(p, 'utm', 'campaign name') FROM e"),
            "SELECT CASE WHEN p IS NULL THEN NULL ELSE coalesce(get_json_object(p, '$.utm[\\'campaign name\\']'), '') END FROM e"
        );
    }
}
