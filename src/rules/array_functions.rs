use sqlparser::ast::Expr;

use super::args::{int_literal, plain_args};
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites Redshift's SUPER array functions to Databricks array functions:
    /// `ARRAY_CONCAT(a, b)` → `concat(a, b)`, `ARRAY_FLATTEN(a)` → `flatten(a)`,
    /// `GET_ARRAY_LENGTH(a)` → `size(a)`, `SUBARRAY(a, start, n)` → `slice(a, start + 1, n)`,
    /// `SPLIT_TO_ARRAY(s [, d])` → `split(s, <d as a regex>)`.
    ///
    /// ## Why it differs on Databricks
    /// The names differ, `SUBARRAY` counts from 0 while `slice` counts from 1, and `split`
    /// takes a **regular expression** (the delimiter is escaped; Redshift's default delimiter
    /// is a comma). The results are ARRAYs, not SUPER values: code that navigates them as SUPER
    /// needs a look.
    ///
    /// ## Example
    /// ```sql
    /// SELECT SUBARRAY(arr, 0, 2), SPLIT_TO_ARRAY(tags, '|') FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT slice(arr, 1, 2), split(tags, '\\|') FROM t
    /// ```
    pub struct ArrayFunctions;
    code: "RS556",
    name: "array-functions",
    summary: "ARRAY_CONCAT/ARRAY_FLATTEN/GET_ARRAY_LENGTH/SUBARRAY/SPLIT_TO_ARRAY become concat/flatten/size/slice/split",
    confidence: Caveat,
    databricks_invalid: true,
}

/// `d` escaped for Java regex, as the body of a SQL literal.
fn regex_literal_body(d: &str) -> String {
    let mut s = String::new();
    for c in d.chars() {
        if "\\^$.|?*+()[]{}".contains(c) {
            s.push_str("\\\\");
        }
        if c == '\'' {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

impl Rule for ArrayFunctions {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let name = Checker::fn_name(f);
        let Some(args) = plain_args(f) else { return };
        let n = args.len();
        let Some(call) = cx.call(f) else { return };
        let msg =
            format!("{name} has a different name on Databricks; the result is an ARRAY, not SUPER");
        match (name.as_str(), n) {
            ("ARRAY_CONCAT", 2) => cx.fix(call.name, vec!["concat".into()], msg),
            ("ARRAY_FLATTEN", 1) => cx.fix(call.name, vec!["flatten".into()], msg),
            ("GET_ARRAY_LENGTH", 1) => cx.fix(call.name, vec!["size".into()], msg),
            ("SUBARRAY", 3) => {
                let start = match int_literal(args[1]) {
                    Some(v) => vec![(v + 1).to_string().into()],
                    None => vec![call.args[1].clone().into(), " + 1".into()],
                };
                let mut pieces = vec!["slice(".into(), call.args[0].clone().into(), ", ".into()];
                pieces.extend(start);
                pieces.extend([", ".into(), call.args[2].clone().into(), ")".into()]);
                cx.fix(
                    call.range,
                    pieces,
                    "SUBARRAY counts from 0, Databricks slice from 1",
                );
            }
            ("SPLIT_TO_ARRAY", 1 | 2) => {
                let d = match args.get(1) {
                    None => ",",
                    Some(a) => match Checker::string_literal(a) {
                        Some(d) => d,
                        None => {
                            cx.report(
                                call.range,
                                "SPLIT_TO_ARRAY with a non-literal delimiter: \
                                Databricks split takes a regex; escape the delimiter by hand",
                                None,
                            );
                            return;
                        }
                    },
                };
                cx.fix(
                    call.range,
                    vec![
                        "split(".into(),
                        call.args[0].clone().into(),
                        format!(", '{}')", regex_literal_body(d)).into(),
                    ],
                    "SPLIT_TO_ARRAY becomes split(), whose delimiter is a regex (escaped here); the result is an ARRAY",
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn rewrites_each() {
        assert_eq!(
            out("SELECT SUBARRAY(a, 0, 2), SPLIT_TO_ARRAY(tags, '|'), SPLIT_TO_ARRAY(t2), GET_ARRAY_LENGTH(a) FROM t"),
            r"SELECT slice(a, 1, 2), split(tags, '\\|'), split(t2, ','), size(a) FROM t"
        );
    }
}
