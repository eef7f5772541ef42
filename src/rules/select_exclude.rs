use sqlparser::ast::{Select, SelectItem};

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `SELECT * EXCLUDE (c)` to `SELECT * EXCEPT (c)`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks spells the column exclusion `EXCEPT`; the meaning is the same.
    ///
    /// ## Example
    /// ```sql
    /// SELECT * EXCLUDE (ssn) FROM customers
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT * EXCEPT (ssn) FROM customers
    /// ```
    pub struct SelectExclude;
    code: "RS453",
    name: "select-exclude",
    summary: "SELECT * EXCLUDE (…) becomes SELECT * EXCEPT (…)",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for SelectExclude {
    fn check_select(&self, cx: &mut Checker<'_, '_>, s: &Select) {
        for item in &s.projection {
            let opts = match item {
                SelectItem::Wildcard(o) | SelectItem::QualifiedWildcard(_, o) => o,
                _ => continue,
            };
            if opts.opt_exclude.is_none() {
                continue;
            }
            let Some(star) = cx.range(opts.wildcard_token.0.span) else {
                continue;
            };
            let toks = cx.tokens;
            let Some(k) = toks.next_sig(toks.at(star.end), cx.stmt.end) else {
                continue;
            };
            if toks.toks[k].is_word("EXCLUDE") {
                cx.fix(
                    toks.toks[k].start..toks.toks[k].end,
                    vec!["EXCEPT".into()],
                    "Databricks spells SELECT * EXCLUDE as SELECT * EXCEPT",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn becomes_except() {
        assert_eq!(
            out("SELECT * EXCLUDE (ssn) FROM customers"),
            "SELECT * EXCEPT (ssn) FROM customers"
        );
    }
}
