use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports Oracle-style outer-join markers `a.x = b.x(+)`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `(+)` syntax, and dropping the marker silently turns the outer join
    /// into an inner join. Moving the predicate into `LEFT JOIN … ON` needs the whole FROM
    /// clause restructured, which the tool leaves to a person.
    ///
    /// ## Example
    /// ```sql
    /// SELECT * FROM orders o, customers c WHERE o.cust_id = c.id(+)
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT * FROM orders o LEFT JOIN customers c ON o.cust_id = c.id
    /// ```
    pub struct OracleOuterJoin;
    code: "RS451",
    name: "oracle-outer-join",
    summary: "(+) outer-join markers must become LEFT/RIGHT JOIN … ON by hand",
    confidence: Review,
    databricks_invalid: true,
}

impl Rule for OracleOuterJoin {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        let toks = cx.tokens;
        let end = cx.stmt.end;
        for i in cx.stmt.clone() {
            if toks.toks[i].token != Token::LParen {
                continue;
            }
            let Some(p) = toks.next_sig(i + 1, end) else {
                continue;
            };
            if toks.toks[p].token != Token::Plus {
                continue;
            }
            let Some(c) = toks.next_sig(p + 1, end) else {
                continue;
            };
            if toks.toks[c].token != Token::RParen {
                continue;
            }
            cx.report(
                toks.toks[i].start..toks.toks[c].end,
                "Oracle (+) outer join: Databricks has no such marker (dropping it makes an inner \
                 join); rewrite the FROM clause with LEFT/RIGHT JOIN … ON",
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn marker_is_reported() {
        let sql = "SELECT * FROM o, c WHERE o.cid = c.id(+)";
        assert_eq!(out(sql), sql);
        assert!(codes(sql).contains(&"RS451"));
        assert!(!codes("SELECT f(+1)").contains(&"RS451"));
    }
}
