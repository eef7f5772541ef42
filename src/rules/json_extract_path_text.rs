use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Value};

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;
use crate::sql::Runtime;

crate::rule! {
    /// ## What it does
    /// Rewrites `JSON_EXTRACT_PATH_TEXT(j, 'k1', 'k2')` to
    /// `CASE WHEN j IS NULL THEN NULL ELSE coalesce(get_json_object(j, '$.k1.k2'), '') END`, and
    /// the `null_if_invalid` form `JSON_EXTRACT_PATH_TEXT(j, 'k1', true)` to
    /// `CASE WHEN try_parse_json(j) IS NULL THEN NULL ELSE coalesce(get_json_object(j, '$.k1'), '') END`
    /// (DBR 15.3+). Keys that are not plain names use the bracket form (`$[\\'a b\\']` inside the
    /// literal). Non-literal keys are reported.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `JSON_EXTRACT_PATH_TEXT`. Redshift returns an empty string when the path
    /// is missing, `get_json_object` returns NULL, hence the `coalesce`. Invalid JSON is an error
    /// in Redshift without `null_if_invalid` and '' here (a caveat); with `null_if_invalid` it is
    /// NULL in both, because `try_parse_json` tells invalid text apart from a missing path. Both
    /// Databricks parsers ignore text after a complete JSON value (`{"a":1} x`), which Redshift
    /// may reject.
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

const NON_LITERAL_PATH: &str =
    "JSON_EXTRACT_PATH_TEXT with a non-literal path: write get_json_object(j, concat('$.', key)) by hand";

impl Rule for JsonExtractPathText {
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
        let mut null_if_invalid = false;
        for (i, a) in list.args.iter().enumerate().skip(1) {
            let FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v))) = a else {
                return cx.report(call.range, NON_LITERAL_PATH, None);
            };
            match &v.value {
                Value::SingleQuotedString(k) => keys.push(k.clone()),
                Value::Boolean(true) if i == list.args.len() - 1 => {
                    // null_if_invalid: invalid JSON is NULL but a missing path is '' in
                    // Redshift; get_json_object gives NULL for both, try_parse_json tells them
                    // apart.
                    if cx.opts.runtime < Runtime(15, 3) {
                        return cx.report(
                            call.range,
                            "JSON_EXTRACT_PATH_TEXT(…, true): Redshift gives NULL for invalid JSON and '' for a missing path; on Databricks Runtime 15.3+ use CASE WHEN try_parse_json(j) IS NULL THEN NULL ELSE coalesce(get_json_object(j, '$.a.b'), '') END (set the runtime), below it write get_json_object by hand",
                            None,
                        );
                    }
                    null_if_invalid = true;
                }
                Value::Boolean(false) if i == list.args.len() - 1 => {}
                _ => {
                    return cx.report(call.range, NON_LITERAL_PATH, None);
                }
            }
        }
        // `'t'` / `'false'` last may be the null_if_invalid flag written as text (the AWS
        // documentation spells the flag `true (t)`); a key of that name is unlikely: ask.
        if keys.len() >= 2
            && !null_if_invalid
            && keys.last().is_some_and(|k| {
                ["t", "f", "true", "false"]
                    .iter()
                    .any(|w| k.eq_ignore_ascii_case(w))
            })
        {
            return cx.report(
                call.range,
                "JSON_EXTRACT_PATH_TEXT: the last argument may be the null_if_invalid flag written as a string; write it as true/false (unquoted), or use get_json_object(j, '$.a.t') if it is a key",
                None,
            );
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
                    format!("JSON key {k:?} needs escaping in a JSON path: write get_json_object(j, path) with the key escaped by hand, or use from_json(j, 'map<string,string>')[key]"),
                    None,
                );
            }
        }
        let j = call.args[0].clone();
        let (test, message) = if null_if_invalid {
            (
                vec!["CASE WHEN try_parse_json(".into(), Piece::Src(j.clone()), ") IS NULL".into()],
                "missing paths give '' in Redshift and NULL from get_json_object; invalid JSON (NULL with null_if_invalid) is found with try_parse_json, which like get_json_object ignores text after a complete JSON value",
            )
        } else {
            (
                vec!["CASE WHEN ".into(), Piece::Src(j.clone()), " IS NULL".into()],
                "missing paths give '' in Redshift and NULL from get_json_object; invalid JSON errors in Redshift and gives '' here",
            )
        };
        let mut pieces: Vec<Piece> = test;
        pieces.extend([
            " THEN NULL ELSE coalesce(get_json_object(".into(),
            Piece::Src(j),
            format!(", '{}'), '') END", path.replace('\'', "\\'")).into(),
        ]);
        cx.fix(call.range, pieces, message);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};
    use crate::sql::{translate, Runtime, TranslateOptions};

    #[test]
    fn null_if_invalid_tells_invalid_json_from_missing_paths() {
        assert_eq!(
            out("SELECT JSON_EXTRACT_PATH_TEXT(p, 'a', 'b', true), JSON_EXTRACT_PATH_TEXT(p, 'a', false) FROM e"),
            "SELECT CASE WHEN try_parse_json(p) IS NULL THEN NULL ELSE coalesce(get_json_object(p, '$.a.b'), '') END, \
             CASE WHEN p IS NULL THEN NULL ELSE coalesce(get_json_object(p, '$.a'), '') END FROM e"
        );
        // try_parse_json needs DBR 15.3: reported below.
        let sql = "SELECT JSON_EXTRACT_PATH_TEXT(p, 'a', true) FROM e";
        let old = TranslateOptions {
            runtime: Runtime(14, 3),
            ..TranslateOptions::default()
        };
        let t = translate(sql, &old);
        assert_eq!(t.output, sql);
        assert_eq!(
            t.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
            vec!["RS501"]
        );
        // A quoted 't' is a key or the flag: asked, not guessed.
        assert_eq!(
            codes("SELECT JSON_EXTRACT_PATH_TEXT(p, 'a', 't') FROM e"),
            vec!["RS501"]
        );
        // A non-literal flag is not guessed.
        assert_eq!(
            codes("SELECT JSON_EXTRACT_PATH_TEXT(p, 'a', flag) FROM e"),
            vec!["RS501"]
        );
    }

    #[test]
    fn path_is_built_from_keys() {
        assert_eq!(
            out("SELECT JSON_EXTRACT_PATH_TEXT(p, 'utm', 'campaign name') FROM e"),
            "SELECT CASE WHEN p IS NULL THEN NULL ELSE coalesce(get_json_object(p, '$.utm[\\'campaign name\\']'), '') END FROM e"
        );
    }
}
