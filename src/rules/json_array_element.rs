use sqlparser::ast::Expr;

use super::args::{int_literal, nondeterministic, plain_call};
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `JSON_EXTRACT_ARRAY_ELEMENT_TEXT(j, n [, null_if_invalid])` to
    /// `nvl2(j, coalesce(get_json_object(j, '$[n]'), ''), NULL)` for a literal index, or with
    /// `try_element_at(from_json(j, 'array<string>'), n + 1)` for a computed one.
    ///
    /// ## Why it differs on Databricks
    /// The function does not exist on Databricks. Redshift returns an empty string for an index
    /// out of range and NULL for a NULL document; the `coalesce`/`nvl2` keep that. Invalid JSON
    /// is an error on Redshift (NULL with `null_if_invalid`) but gives `''` here, and a JSON
    /// `null` element gives `''` too: check inputs if those cases matter.
    ///
    /// ## Example
    /// ```sql
    /// SELECT JSON_EXTRACT_ARRAY_ELEMENT_TEXT(items, 0) FROM orders
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT nvl2(items, coalesce(get_json_object(items, '$[0]'), ''), NULL) FROM orders
    /// ```
    pub struct JsonArrayElement;
    code: "RS550",
    name: "json-extract-array-element-text",
    summary: "JSON_EXTRACT_ARRAY_ELEMENT_TEXT becomes get_json_object(j, '$[n]') with Redshift's '' for missing elements",
    confidence: Caveat,
    databricks_invalid: true,
}

impl Rule for JsonArrayElement {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Some((f, args)) = plain_call(e, "JSON_EXTRACT_ARRAY_ELEMENT_TEXT", 2..=3) else {
            return;
        };
        let Some(call) = cx.call(f) else { return };
        let (j, n) = (call.args[0].clone(), call.args[1].clone());
        if nondeterministic(cx.slice(&j)) {
            return;
        }
        let msg = "JSON_EXTRACT_ARRAY_ELEMENT_TEXT becomes get_json_object: invalid JSON and JSON \
                   null elements give '' instead of an error / NULL";
        let inner: Vec<crate::sql::edit::Piece> = match int_literal(args[1]) {
            Some(i) if i >= 0 => vec![
                "get_json_object(".into(),
                j.clone().into(),
                format!(", '$[{i}]')").into(),
            ],
            Some(_) => {
                cx.report(
                    call.range,
                    "JSON_EXTRACT_ARRAY_ELEMENT_TEXT with a negative index \
                    always returns '' on Redshift; replace the call by ''",
                    None,
                );
                return;
            }
            None => vec![
                "try_element_at(from_json(".into(),
                j.clone().into(),
                ", 'array<string>'), ".into(),
                n.into(),
                " + 1)".into(),
            ],
        };
        let mut pieces = vec!["nvl2(".into(), j.into(), ", coalesce(".into()];
        pieces.extend(inner);
        pieces.push(", ''), NULL)".into());
        cx.fix(call.range, pieces, msg);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn literal_and_computed_indexes() {
        assert_eq!(
            out("SELECT JSON_EXTRACT_ARRAY_ELEMENT_TEXT(items, 2), JSON_EXTRACT_ARRAY_ELEMENT_TEXT(items, i, true) FROM t"),
            "SELECT nvl2(items, coalesce(get_json_object(items, '$[2]'), ''), NULL), \
             nvl2(items, coalesce(try_element_at(from_json(items, 'array<string>'), i + 1), ''), NULL) FROM t"
        );
    }
}
