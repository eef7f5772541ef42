use sqlparser::tokenizer::Token;

use super::ddl_column_types::{map, Mapped};
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites Redshift's type-first `CONVERT(type, x)` to `CAST(x AS type)`, mapping the type
    /// name like column types are mapped (`varchar` → `string`, `int8` → `bigint`, bare
    /// `numeric` → `decimal(18,0)` …).
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no CONVERT function; CAST converts the same way.
    ///
    /// ## Example
    /// ```sql
    /// SELECT CONVERT(integer, '42'), CONVERT(varchar, id) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT CAST('42' AS integer), CAST(id AS string) FROM t
    /// ```
    pub struct ConvertFunction;
    code: "RS459",
    name: "convert-function",
    summary: "CONVERT(type, x) becomes CAST(x AS type)",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for ConvertFunction {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, parsed: bool) {
        if !parsed {
            return;
        }
        let toks = cx.tokens;
        for i in cx.stmt.clone() {
            let t = &toks.toks[i];
            if !t.is_word("CONVERT") {
                continue;
            }
            if toks
                .prev_sig(i, cx.stmt.start)
                .is_some_and(|p| toks.toks[p].token == Token::Period)
            {
                continue;
            }
            let Some(call) = toks.call(t.start, t.end, cx.stmt.end) else {
                continue;
            };
            let [ty, x] = call.args.as_slice() else {
                continue;
            };
            let (ty_toks, _) = call.arg_toks[0];
            let Some(first) = toks.next_sig(ty_toks, call.arg_toks[0].1) else {
                continue;
            };
            // The first argument must be exactly a type.
            if toks
                .type_end(first, call.arg_toks[0].1)
                .map(|e| toks.toks[e].end)
                != Some(ty.end)
            {
                continue;
            }
            let ty_text = cx.slice(ty).to_string();
            let new_ty: Vec<crate::sql::edit::Piece> = match map(&ty_text) {
                Mapped::Same => vec![ty.clone().into()],
                Mapped::To(new, _, _) => vec![new.into()],
                Mapped::Report(why) => {
                    cx.report(
                        call.range.clone(),
                        format!("CONVERT to `{ty_text}`: {why}"),
                        None,
                    );
                    continue;
                }
            };
            let mut pieces = vec!["CAST(".into(), x.clone().into(), " AS ".into()];
            pieces.extend(new_ty);
            pieces.push(")".into());
            cx.fix(
                call.range.clone(),
                pieces,
                "Databricks has no CONVERT(type, x); CAST(x AS type) converts the same way",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn becomes_cast_with_mapped_type() {
        assert_eq!(
            out("SELECT CONVERT(integer, '42'), CONVERT(varchar, 42) || '!', CONVERT(decimal(6,2), '12.5')"),
            "SELECT CAST('42' AS integer), CAST(42 AS string) || '!', CAST('12.5' AS decimal(6,2))"
        );
    }
}
