use sqlparser::ast::{CreateTableLikeKind, Statement};
use sqlparser::tokenizer::Token;

use super::statement_text::find_word;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `CREATE TABLE t (LIKE u [INCLUDING|EXCLUDING DEFAULTS])` to
    /// `CREATE TABLE t LIKE u`, with a warning.
    ///
    /// ## Why it differs on Databricks
    /// Databricks writes LIKE without parentheses and copies the schema of a Delta table;
    /// Redshift's INCLUDING/EXCLUDING DEFAULTS choice has no counterpart (column defaults
    /// depend on the Delta table feature), and Redshift's DISTKEY/SORTKEY inheritance is moot.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE sales_copy (LIKE sales INCLUDING DEFAULTS)
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE sales_copy LIKE sales
    /// ```
    pub struct CreateTableLike;
    code: "RS757",
    name: "create-table-like",
    summary: "CREATE TABLE t (LIKE u) becomes CREATE TABLE t LIKE u (defaults handling differs)",
    confidence: Caveat,
    databricks_invalid: true,
}

impl Rule for CreateTableLike {
    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        let Statement::CreateTable(ct) = s else {
            return;
        };
        let Some(CreateTableLikeKind::Parenthesized(like)) = &ct.like else {
            return;
        };
        let Some(src) = cx.name_range(&like.name) else {
            return;
        };
        let toks = cx.tokens;
        let Some(like_kw) = find_word(cx, "LIKE", cx.stmt.start, cx.stmt.end)
            .or_else(|| (cx.stmt.start..cx.stmt.end).find(|&i| toks.toks[i].is_word("LIKE")))
        else {
            return;
        };
        let Some(open) = toks.prev_sig(like_kw, cx.stmt.start) else {
            return;
        };
        if toks.toks[open].token != Token::LParen {
            return;
        }
        let Some(close) = toks.matching_paren(open, cx.stmt.end) else {
            return;
        };
        cx.fix(
            toks.toks[open].start..toks.toks[close].end,
            vec!["LIKE ".into(), src.into()],
            "Databricks writes CREATE TABLE t LIKE u; INCLUDING/EXCLUDING DEFAULTS has no counterpart",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn parentheses_go() {
        assert_eq!(
            out("CREATE TABLE c (LIKE sales INCLUDING DEFAULTS)"),
            "CREATE TABLE c LIKE sales"
        );
    }
}
