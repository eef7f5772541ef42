use sqlparser::ast::{Query, SetExpr, TopQuantity};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `SELECT TOP n …` to `SELECT … LIMIT n`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `TOP`. Redshift's `TOP` has no PERCENT or WITH TIES, so `LIMIT n` at the
    /// end of the same query is identical (it applies after `ORDER BY` in both).
    ///
    /// ## Example
    /// ```sql
    /// SELECT TOP 10 customer_id, SUM(amount) AS total FROM orders GROUP BY 1 ORDER BY total DESC
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT customer_id, SUM(amount) AS total FROM orders GROUP BY 1 ORDER BY total DESC LIMIT 10
    /// ```
    pub struct Top;
    code: "RS402",
    name: "top",
    summary: "SELECT TOP n becomes LIMIT n",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for Top {
    fn check_query(&self, cx: &mut Checker<'_, '_>, q: &Query) {
        let SetExpr::Select(select) = q.body.as_ref() else {
            return;
        };
        let Some(top) = &select.top else { return };
        if top.percent || top.with_ties || q.limit_clause.is_some() || q.fetch.is_some() {
            return;
        }
        let Some(TopQuantity::Constant(n)) = &top.quantity else {
            return;
        };
        let toks = cx.tokens;
        let Some(start) = cx.range(select.select_token.0.span).map(|r| r.start) else {
            return;
        };
        let s = toks.at(start);
        // `SELECT [ALL|DISTINCT]? TOP n`
        let mut k = s + 1;
        let top_i = loop {
            let Some(i) = toks.next_sig(k, cx.stmt.end) else {
                return;
            };
            if toks.toks[i].is_keyword(Keyword::TOP) {
                break i;
            }
            if !(toks.toks[i].is_keyword(Keyword::DISTINCT)
                || toks.toks[i].is_keyword(Keyword::ALL))
            {
                return;
            }
            k = i + 1;
        };
        let Some(num) = toks.next_sig(top_i + 1, cx.stmt.end) else {
            return;
        };
        if !matches!(&toks.toks[num].token, Token::Number(v, _) if v.parse::<u64>().ok() == Some(*n))
        {
            return;
        }
        let Some(after) = toks.next_sig(num + 1, cx.stmt.end) else {
            return;
        };
        // End of this query: a `)` closing it, or the end of the statement.
        let mut depth = 0i32;
        let mut end = cx.stmt.end;
        for i in after..cx.stmt.end {
            match toks.toks[i].token {
                Token::LParen => depth += 1,
                Token::RParen => {
                    depth -= 1;
                    if depth < 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(last) = toks.prev_sig(end, after) else {
            return;
        };
        let whole = toks.toks[top_i].start..toks.toks[last].end;
        if cx.has_jinja(&whole) {
            cx.jinja_hides(whole, "where the query ends, so LIMIT cannot be placed");
            return;
        }
        let remove = toks.toks[top_i].start..toks.toks[after].start;
        let at = toks.toks[last].end;
        let limit = format!(" LIMIT {n}");
        cx.fix_in(
            Self::INFO.confidence,
            whole.clone(),
            remove.start..at,
            vec![(remove.end..at).into(), limit.into()],
            "Databricks has no TOP; LIMIT at the end of the query",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn top_becomes_limit_after_order_by() {
        assert_eq!(
            out("SELECT TOP 10 customer_id, SUM(amount) AS total\nFROM o GROUP BY 1\nORDER BY total DESC NULLS FIRST"),
            "SELECT customer_id, SUM(amount) AS total\nFROM o GROUP BY 1\nORDER BY total DESC NULLS FIRST LIMIT 10"
        );
        assert_eq!(
            out("SELECT * FROM (SELECT TOP 5 DISTINCT a FROM t) s"),
            "SELECT * FROM (SELECT DISTINCT a FROM t LIMIT 5) s"
        );
    }
}
