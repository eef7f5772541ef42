use sqlparser::ast::{Expr, Select, TableFactor};

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports SUPER navigation that Databricks reads differently: subscripts such as
    /// `payload[0]` and `payload.items[1].id`, and PartiQL unnesting in FROM
    /// (`FROM events e, e.payload.items AS i`).
    ///
    /// ## Why it differs on Databricks
    /// On Databricks a SUPER column becomes a VARIANT (navigate with `payload:items[1].id`, then
    /// cast with `::type`; keys are case-sensitive) or a STRUCT/ARRAY (dotted paths work but
    /// arrays index from 0 with `[ ]` and fail out of range under ANSI). PartiQL unnesting
    /// becomes `LATERAL variant_explode(e.payload:items)` for VARIANT or
    /// `LATERAL VIEW explode(e.payload.items)` for ARRAY. Which one applies depends on how the
    /// column is migrated, so a person decides.
    ///
    /// ## Example
    /// ```sql
    /// SELECT i.sku FROM events e, e.payload.items AS i
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT i.value:sku FROM events e, LATERAL variant_explode(e.payload:items) AS i
    /// ```
    pub struct SuperNavigation;
    code: "RS555",
    name: "super-navigation",
    summary: "SUPER subscripts and PartiQL unnesting need the VARIANT/ARRAY form chosen by a person",
    confidence: Review,
    databricks_invalid: false,
}

impl Rule for SuperNavigation {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::JsonAccess { value, .. } = e else {
            return;
        };
        let Some(start) = cx.expr_range(value) else {
            return;
        };
        // The subscript path ends at the last `]` or identifier after the value.
        let toks = cx.tokens;
        let mut i = toks.at(start.end);
        let mut end = start.end;
        while let Some(k) = toks.next_sig(i, cx.stmt.end) {
            use sqlparser::tokenizer::Token;
            match toks.toks[k].token {
                Token::LBracket => {
                    let Some(close) =
                        (k..cx.stmt.end).find(|&j| toks.toks[j].token == Token::RBracket)
                    else {
                        break;
                    };
                    end = toks.toks[close].end;
                    i = close + 1;
                }
                Token::Period => {
                    let Some(w) = toks.next_sig(k + 1, cx.stmt.end) else {
                        break;
                    };
                    end = toks.toks[w].end;
                    i = w + 1;
                }
                _ => break,
            }
        }
        cx.report(
            start.start..end,
            "SUPER navigation: on Databricks use VARIANT paths (v:key[0], case-sensitive keys, then \
             ::type) or STRUCT/ARRAY access, depending on how the column is migrated",
            None,
        );
    }

    fn check_select(&self, cx: &mut Checker<'_, '_>, s: &Select) {
        // Aliases of earlier FROM items; a later item whose name starts with one is PartiQL.
        let mut aliases = Vec::new();
        for twj in &s.from {
            let TableFactor::Table { name, alias, .. } = &twj.relation else {
                continue;
            };
            let first = name
                .0
                .first()
                .and_then(|p| p.as_ident())
                .map(|i| i.value.to_lowercase());
            if name.0.len() > 1 && first.as_ref().is_some_and(|f| aliases.contains(f)) {
                if let Some(r) = cx.name_range(name) {
                    cx.report(
                        r,
                        "PartiQL unnesting of a SUPER array: use LATERAL variant_explode(…) for \
                         VARIANT or LATERAL VIEW explode(…) for ARRAY on Databricks",
                        None,
                    );
                }
            }
            if let Some(a) = alias {
                aliases.push(a.name.value.to_lowercase());
            } else if let Some(last) = name.0.last().and_then(|p| p.as_ident()) {
                aliases.push(last.value.to_lowercase());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn subscripts_and_partiql_are_reported() {
        let sql = "SELECT e.payload[0], i.sku FROM events e, e.payload.items AS i";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS555", "RS555"]);
    }

    #[test]
    fn ordinary_joins_are_not() {
        assert!(codes("SELECT a.x FROM s.a a, s.b b").is_empty());
    }
}
