use sqlparser::ast::{Delete, FromTable, Statement, TableFactor};

use super::statement_text::{find_word, range};
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `DELETE FROM t USING s WHERE …` to
    /// `DELETE FROM t WHERE EXISTS (SELECT 1 FROM s WHERE …)`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks' DELETE has no USING clause. A row of `t` is deleted by Redshift when at least
    /// one combination of USING rows satisfies the WHERE condition, which is exactly a correlated
    /// EXISTS. Unlike a MERGE rewrite, EXISTS cannot fail on duplicate matches. When the USING
    /// list names the target table again the references would be ambiguous, so that case is
    /// reported.
    ///
    /// ## Example
    /// ```sql
    /// DELETE FROM orders USING cancelled c WHERE orders.id = c.order_id
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// DELETE FROM orders WHERE EXISTS (SELECT 1 FROM cancelled c WHERE orders.id = c.order_id)
    /// ```
    pub struct DeleteUsing;
    code: "RS850",
    name: "delete-using",
    summary: "DELETE … USING becomes DELETE … WHERE EXISTS (SELECT 1 FROM … WHERE …)",
    confidence: Exact,
    databricks_invalid: true,
}

fn target_name(d: &Delete) -> Option<String> {
    let tables = match &d.from {
        FromTable::WithFromKeyword(t) | FromTable::WithoutKeyword(t) => t,
    };
    match &tables.first()?.relation {
        TableFactor::Table { name, .. } => Some(name.to_string().to_lowercase()),
        _ => None,
    }
}

impl Rule for DeleteUsing {
    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        let Statement::Delete(d) = s else { return };
        let Some(using) = &d.using else { return };
        let Some(stmt) = range(cx) else { return };
        if d.returning.is_some() || !d.order_by.is_empty() || d.limit.is_some() {
            return;
        }
        let target = target_name(d);
        let self_join = using.iter().any(|t| match &t.relation {
            TableFactor::Table { name, .. } => Some(name.to_string().to_lowercase()) == target,
            _ => false,
        });
        let Some(u) = find_word(cx, "USING", cx.stmt.start, cx.stmt.end) else {
            return;
        };
        if self_join {
            cx.report(
                stmt,
                "DELETE … USING that names the target table again: rewrite by hand as \
                 DELETE FROM t WHERE EXISTS (SELECT 1 FROM … WHERE …) with distinct aliases",
                None,
            );
            return;
        }
        let w = find_word(cx, "WHERE", u + 1, cx.stmt.end);
        let toks = cx.tokens;
        let using_list = match w {
            Some(w) => toks.trimmed_bytes(u + 1, w),
            None => toks.trimmed_bytes(u + 1, cx.stmt.end),
        };
        let Some(using_list) = using_list else { return };
        let mut pieces = vec!["WHERE EXISTS (SELECT 1 FROM ".into(), using_list.into()];
        if let Some(w) = w {
            let Some(cond) = toks.trimmed_bytes(w + 1, cx.stmt.end) else {
                return;
            };
            pieces.extend([" WHERE ".into(), cond.into()]);
        }
        pieces.push(")".into());
        cx.fix(
            toks.toks[u].start..stmt.end,
            pieces,
            "Databricks DELETE has no USING; a correlated EXISTS deletes the same rows",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn becomes_exists() {
        assert_eq!(
            out("DELETE FROM orders USING cancelled c WHERE orders.id = c.order_id AND c.ts > 0"),
            "DELETE FROM orders WHERE EXISTS (SELECT 1 FROM cancelled c WHERE orders.id = c.order_id AND c.ts > 0)"
        );
    }

    #[test]
    fn self_join_is_reported() {
        let sql = "DELETE FROM t USING t AS o WHERE t.k = o.k AND t.v < o.v";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS850"]);
    }
}
