use sqlparser::ast::Statement;

use super::statement_text::find_word;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Removes `WITH NO SCHEMA BINDING` from `CREATE VIEW`.
    ///
    /// ## Why it differs on Databricks
    /// Redshift late-binding views resolve their tables at query time; Databricks views always
    /// do, and reject the clause as a syntax error. The view means the same without it.
    ///
    /// ## Example
    /// ```sql
    /// CREATE VIEW v AS SELECT * FROM s.t WITH NO SCHEMA BINDING
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE VIEW v AS SELECT * FROM s.t
    /// ```
    pub struct ViewSchemaBinding;
    code: "RS754",
    name: "view-no-schema-binding",
    summary: "WITH NO SCHEMA BINDING is removed from views",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for ViewSchemaBinding {
    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        if !matches!(s, Statement::CreateView(_)) {
            return;
        }
        let toks = cx.tokens;
        let (a, b) = (cx.stmt.start, cx.stmt.end);
        let Some(binding) = find_word(cx, "BINDING", a, b) else {
            return;
        };
        // Walk back over SCHEMA, NO, WITH.
        let mut first = binding;
        for w in ["SCHEMA", "NO", "WITH"] {
            let Some(p) = toks.prev_sig(first, a) else {
                return;
            };
            if !toks.toks[p].is_word(w) {
                return;
            }
            first = p;
        }
        let Some(before) = toks.prev_sig(first, a) else {
            return;
        };
        cx.fix(
            toks.toks[before].end..toks.toks[binding].end,
            vec![],
            "Databricks views always bind late and reject WITH NO SCHEMA BINDING",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn clause_is_removed() {
        assert_eq!(
            out("CREATE VIEW v AS SELECT * FROM s.t WITH NO SCHEMA BINDING"),
            "CREATE VIEW v AS SELECT * FROM s.t"
        );
    }
}
