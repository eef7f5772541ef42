use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports positional parameters (`$1`) and dollar-quoted bodies (`$$ … $$`) outside
    /// `CREATE FUNCTION`/`PROCEDURE`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks uses named parameter markers (`:name`) or `?`; in a notebook cell `$name` is a
    /// widget reference. Redshift's `$1` only has a meaning inside prepared statements and
    /// function bodies, so the value it stands for must be supplied another way (a Hex
    /// parameter, for example).
    ///
    /// ## Example
    /// ```sql
    /// SELECT * FROM t WHERE id = $1
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT * FROM t WHERE id = {{ id }}
    /// ```
    pub struct PositionalParameters;
    code: "RS455",
    name: "positional-parameters",
    summary: "$1 parameters and $$ bodies need Databricks parameter markers or Hex parameters",
    confidence: Review,
    databricks_invalid: true,
}

impl Rule for PositionalParameters {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        let lead = super::statement_text::leading_words(cx, 4);
        if lead
            .iter()
            .any(|(_, w)| w == "FUNCTION" || w == "PROCEDURE")
        {
            return; // reported by the routines rule
        }
        for i in cx.stmt.clone() {
            let t = &cx.tokens.toks[i];
            let what = match &t.token {
                Token::Placeholder(p) if p.starts_with('$') => "positional parameter",
                Token::DollarQuotedString(_) => "dollar-quoted string",
                _ => continue,
            };
            cx.report(
                t.start..t.end,
                format!(
                    "{what}: write a named parameter marker `:name` or a Hex parameter \
                         `{{{{ name }}}}` instead; $ starts a widget reference in notebooks"
                ),
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::codes;

    #[test]
    fn placeholders_are_reported() {
        assert_eq!(codes("SELECT * FROM t WHERE id = $1"), vec!["RS455"]);
        assert!(codes("SELECT '$1' FROM t").is_empty());
    }
}
