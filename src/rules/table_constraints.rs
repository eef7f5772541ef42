use sqlparser::tokenizer::Token;

use super::statement_text::{leading_words, starts_with};
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::Runtime;

crate::rule! {
    /// ## What it does
    /// Adjusts CREATE TABLE column clauses Databricks treats differently: removes `UNIQUE`
    /// (column or table constraint), rewrites `COLLATE CASE_INSENSITIVE` to
    /// `COLLATE UTF8_LCASE` on DBR 16.1+ (reported below), and warns on `DEFAULT` expressions.
    /// `PRIMARY KEY`, `FOREIGN KEY`, `CHECK` and `NOT NULL` are kept.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no UNIQUE constraint (Redshift does not enforce it either, so dropping it
    /// loses nothing). Case-insensitive collation is `UTF8_LCASE` on recent runtimes. Column
    /// defaults need the Delta table feature `delta.feature.allowColumnDefaults = 'supported'`
    /// (in TBLPROPERTIES). Databricks enforces CHECK constraints, which Redshift does not:
    /// existing rows that violate them make the load fail.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE t (email VARCHAR(100) UNIQUE, name VARCHAR(50) COLLATE CASE_INSENSITIVE)
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE t (email VARCHAR(100), name VARCHAR(50) COLLATE UTF8_LCASE)
    /// ```
    pub struct TableConstraints;
    code: "RS759",
    name: "table-constraints",
    summary: "UNIQUE is dropped, COLLATE CASE_INSENSITIVE becomes UTF8_LCASE, DEFAULT needs a Delta table feature",
    confidence: Caveat,
    databricks_invalid: true,
}

impl Rule for TableConstraints {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        let lead = leading_words(cx, 4);
        let is_create_table =
            starts_with(cx, &["CREATE"]) && lead.iter().any(|(_, w)| w == "TABLE");
        if !is_create_table {
            return;
        }
        let toks = cx.tokens;
        let (a, b) = (cx.stmt.start, cx.stmt.end);
        // Only inside the column list: from the first `(` to its match.
        let Some(open) = (a..b).find(|&i| toks.toks[i].token == Token::LParen) else {
            return;
        };
        let Some(close) = toks.matching_paren(open, b) else {
            return;
        };
        let mut i = open + 1;
        while i < close {
            let t = &toks.toks[i];
            if t.is_word("UNIQUE") {
                let prev = toks.prev_sig(i, open).unwrap_or(open);
                let next = toks.next_sig(i + 1, close);
                let table_level = next.is_some_and(|n| toks.toks[n].token == Token::LParen)
                    && matches!(toks.toks[prev].token, Token::Comma);
                if table_level {
                    // `, UNIQUE (a, b)` (optionally `, CONSTRAINT c UNIQUE (…)`)
                    let mut from = prev;
                    if let Some(c) = toks.prev_sig(i, open) {
                        if let Some(cc) = toks.prev_sig(c, open) {
                            if toks.toks[cc].is_word("CONSTRAINT") {
                                from = toks.prev_sig(cc, open).unwrap_or(cc);
                            }
                        }
                    }
                    let Some(n) = next else { break };
                    let Some(end) = toks.matching_paren(n, close) else {
                        break;
                    };
                    cx.fix(toks.toks[from].start..toks.toks[end].end, vec![], UNIQUE);
                    i = end + 1;
                    continue;
                }
                cx.fix(toks.toks[prev].end..t.end, vec![], UNIQUE);
            } else if t.is_word("COLLATE") {
                if let Some(n) = toks.next_sig(i + 1, close) {
                    if toks.toks[n].is_word("CASE_INSENSITIVE") {
                        let r = toks.toks[n].start..toks.toks[n].end;
                        if cx.opts.runtime >= Runtime(16, 1) {
                            cx.fix(
                                r,
                                vec!["UTF8_LCASE".into()],
                                "case-insensitive collation is UTF8_LCASE on Databricks",
                            );
                        } else {
                            cx.report(
                                r,
                                "COLLATE CASE_INSENSITIVE: write COLLATE UTF8_LCASE on DBR \
                                 16.1+; on older runtimes remove it and compare lower(col) = \
                                 lower(value) in the queries",
                                None,
                            );
                        }
                    }
                }
            } else if t.is_keyword(sqlparser::keywords::Keyword::DEFAULT) {
                cx.warn(
                    t.start..t.end,
                    "column DEFAULT needs TBLPROPERTIES ('delta.feature.allowColumnDefaults' = \
                     'supported') on the Delta table",
                );
            }
            i += 1;
        }
    }
}

const UNIQUE: &str = "Databricks has no UNIQUE constraint (Redshift does not enforce it either)";

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn unique_is_dropped() {
        assert_eq!(
            out("CREATE TABLE t (email VARCHAR(100) UNIQUE, id INT, UNIQUE (id))"),
            "CREATE TABLE t (email string, id INT)"
        );
    }

    #[test]
    fn collate_is_reported_below_16_1_and_default_warns() {
        let sql =
            "CREATE TABLE t (n VARCHAR(5) COLLATE CASE_INSENSITIVE, d DATE DEFAULT CURRENT_DATE)";
        assert_eq!(codes(sql).iter().filter(|c| **c == "RS759").count(), 2);
    }
}
