use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Warns on `PIVOT (…)` / `UNPIVOT (…)` over tables, and reports Redshift's SUPER object
    /// unpivoting `UNPIVOT obj AS value AT key`.
    ///
    /// ## Why it differs on Databricks
    /// Both dialects have PIVOT and UNPIVOT with the same shape, but the names Databricks gives
    /// the pivoted columns (value, or `value_alias` when aggregates are aliased) and its
    /// handling of NULLs in UNPIVOT (`EXCLUDE NULLS` by default) should be checked against the
    /// query's consumers. SUPER object unpivoting becomes `LATERAL variant_explode(obj)`, which
    /// yields `key` and `value` columns, on a VARIANT column.
    ///
    /// ## Example
    /// ```sql
    /// SELECT * FROM sales PIVOT (sum(amount) FOR quarter IN ('Q1', 'Q2'))
    /// ```
    ///
    /// ## Use instead
    /// The same statement; check the output column names.
    pub struct PivotUnpivot;
    code: "RS457",
    name: "pivot-unpivot",
    summary: "PIVOT/UNPIVOT column naming may differ; SUPER UNPIVOT … AT needs variant_explode",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for PivotUnpivot {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        let toks = cx.tokens;
        for i in cx.stmt.clone() {
            let t = &toks.toks[i];
            let pivot = t.is_word("PIVOT");
            if !(pivot || t.is_word("UNPIVOT")) {
                continue;
            }
            let next = toks.next_sig(i + 1, cx.stmt.end);
            let table_form = next.is_some_and(|n| {
                toks.toks[n].token == Token::LParen
                    || toks.toks[n].is_word("INCLUDE")
                    || toks.toks[n].is_word("EXCLUDE")
            });
            if table_form {
                cx.warn(
                    t.start..t.end,
                    "PIVOT/UNPIVOT: same syntax on Databricks, but check the generated column \
                     names and NULL handling against the query's consumers",
                );
            } else if !pivot {
                cx.report(
                    t.start..t.end,
                    "UNPIVOT of a SUPER object: use LATERAL variant_explode(obj) (key, value) on a \
                     VARIANT column",
                    None,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::codes;

    #[test]
    fn pivot_warns() {
        assert!(codes("SELECT * FROM s PIVOT (sum(a) FOR q IN ('Q1', 'Q2'))").contains(&"RS457"));
    }
}
