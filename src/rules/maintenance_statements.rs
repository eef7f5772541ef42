use sqlparser::ast::Statement;

use super::statement_text::{leading_words, range};
use super::{Confidence, Rule};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Handles Redshift maintenance statements: `ANALYZE t [(cols)]` becomes
    /// `ANALYZE TABLE t COMPUTE STATISTICS [FOR COLUMNS …]`; `VACUUM`, `ANALYZE COMPRESSION` and
    /// `LOCK` are reported; `EXPLAIN` gets a warning (its plan output differs).
    ///
    /// ## Why it differs on Databricks
    /// Delta tables need no vacuum-sort, compression analysis or explicit locks (optimistic
    /// concurrency). **Never** turn Redshift `VACUUM` into Databricks `VACUUM`: on Databricks it
    /// deletes old data files and with them time travel. Remove the statement, or use
    /// `OPTIMIZE t` if compaction is wanted.
    ///
    /// ## Example
    /// ```sql
    /// ANALYZE sales;
    /// VACUUM sales;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ANALYZE TABLE sales COMPUTE STATISTICS;
    /// -- (VACUUM removed, or OPTIMIZE sales)
    /// ```
    pub struct MaintenanceStatements;
    code: "RS854",
    name: "maintenance-statements",
    summary: "ANALYZE becomes ANALYZE TABLE … COMPUTE STATISTICS; VACUUM, ANALYZE COMPRESSION and LOCK are reported",
    confidence: Review,
    databricks_invalid: false,
}

impl Rule for MaintenanceStatements {
    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        let Some(r) = range(cx) else { return };
        match s {
            Statement::Vacuum(_) => cx.report(r, VACUUM, None),
            Statement::Lock(_) => cx.report(r, LOCK, None),
            Statement::Explain { .. } => cx.warn(
                r,
                "EXPLAIN runs on Databricks, but the plan it prints is Databricks' own and reads \
                 differently from a Redshift plan",
            ),
            Statement::Analyze(a) => {
                if a.compute_statistics || a.has_table_keyword {
                    return;
                }
                let Some(name) = a.table_name.as_ref().and_then(|n| cx.name_range(n)) else {
                    return;
                };
                let toks = cx.tokens;
                let cols = match toks.next_sig(toks.at(name.end), cx.stmt.end) {
                    Some(p) if toks.toks[p].token == sqlparser::tokenizer::Token::LParen => {
                        let Some(c) = toks.matching_paren(p, cx.stmt.end) else {
                            return;
                        };
                        let Some(list) = toks.trimmed_bytes(p + 1, c) else {
                            return;
                        };
                        vec![" COMPUTE STATISTICS FOR COLUMNS ".into(), list.into()]
                    }
                    _ => vec![" COMPUTE STATISTICS".into()],
                };
                let mut pieces = vec!["ANALYZE TABLE ".into(), name.into()];
                pieces.extend(cols);
                cx.fix_with(
                    Confidence::Exact,
                    r,
                    pieces,
                    "Databricks spells table statistics ANALYZE TABLE … COMPUTE STATISTICS",
                );
            }
            _ => {}
        }
    }

    fn check_tokens(&self, cx: &mut Checker<'_, '_>, parsed: bool) {
        if parsed {
            return;
        }
        let lead = leading_words(cx, 2);
        let words: Vec<&str> = lead.iter().map(|(_, w)| w.as_str()).collect();
        let msg = match words.as_slice() {
            ["ANALYZE", "COMPRESSION"] => {
                "ANALYZE COMPRESSION has no Databricks equivalent \
                (Delta chooses compression); remove the statement"
            }
            ["VACUUM", ..] => VACUUM,
            ["LOCK", ..] => LOCK,
            _ => return,
        };
        if let Some(r) = range(cx) {
            cx.report(r, msg, None);
        }
    }
}

const VACUUM: &str =
    "Redshift VACUUM has no Databricks equivalent: remove it (or use OPTIMIZE t); \
    never use Databricks VACUUM, which deletes old files and time travel";
const LOCK: &str =
    "LOCK has no Databricks equivalent (Delta uses optimistic concurrency); remove it";

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn analyze_is_rewritten() {
        assert_eq!(
            out("ANALYZE sales"),
            "ANALYZE TABLE sales COMPUTE STATISTICS"
        );
        assert_eq!(
            out("ANALYZE sales (a, b)"),
            "ANALYZE TABLE sales COMPUTE STATISTICS FOR COLUMNS a, b"
        );
    }

    #[test]
    fn vacuum_and_lock_are_reported() {
        assert_eq!(
            out("VACUUM FULL t TO 90 PERCENT"),
            "VACUUM FULL t TO 90 PERCENT"
        );
        assert_eq!(codes("VACUUM t"), vec!["RS854"]);
        assert_eq!(codes("LOCK t"), vec!["RS854"]);
    }
}
