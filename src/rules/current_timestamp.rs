use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Warns on bare `CURRENT_TIMESTAMP` (reference 1A): Databricks accepts it unchanged, but
    /// the value is taken at another moment.
    ///
    /// ## Why it differs on Databricks
    /// Redshift's `CURRENT_TIMESTAMP` is a TIMESTAMPTZ taken when the *transaction* started, so
    /// every statement of a `BEGIN … COMMIT` block sees the same value. Databricks has no
    /// multi-statement transactions: `CURRENT_TIMESTAMP` is the start of each *query*. Within
    /// one statement both are constant. Both are instants rendered in the session time zone, so
    /// a UTC session shows the same wall-clock value.
    ///
    /// ## Example
    /// ```sql
    /// BEGIN; INSERT INTO audit SELECT CURRENT_TIMESTAMP; INSERT INTO log SELECT CURRENT_TIMESTAMP; COMMIT;
    /// ```
    ///
    /// ## Use instead
    /// Keep `CURRENT_TIMESTAMP` in single statements. Where several statements must share one
    /// value, compute it once (a Hex input parameter or `DECLARE VARIABLE run_ts =
    /// current_timestamp()`) and use it in each statement.
    pub struct CurrentTimestamp;
    code: "RS160",
    name: "current-timestamp",
    summary: "CURRENT_TIMESTAMP is the query start on Databricks, the transaction start on Redshift",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for CurrentTimestamp {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        let toks = cx.tokens;
        let end = cx.stmt.end;
        let mut found = Vec::new();
        for i in cx.stmt.clone() {
            let t = &toks.toks[i];
            if !t.is_keyword(Keyword::CURRENT_TIMESTAMP) {
                continue;
            }
            // `current_timestamp()` is the Databricks spelling (our own rewrites emit it).
            let called = toks
                .next_sig(i + 1, end)
                .is_some_and(|n| toks.toks[n].token == Token::LParen);
            if !called {
                found.push(t.start..t.end);
            }
        }
        for r in found {
            cx.warn(
                r,
                "CURRENT_TIMESTAMP is the start of the transaction in Redshift but of each query \
                 on Databricks: statements of one BEGIN … COMMIT block no longer share the value; \
                 compute it once (a parameter or DECLARE VARIABLE) if they must",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn bare_keyword_warns_and_is_kept() {
        let sql = "SELECT CURRENT_TIMESTAMP AS now FROM t WHERE ts < current_timestamp";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS160", "RS160"]);
    }

    #[test]
    fn call_form_quoted_names_and_strings_are_left_alone() {
        for sql in [
            "SELECT current_timestamp()",
            "SELECT \"current_timestamp\" FROM t",
            "SELECT 'CURRENT_TIMESTAMP'",
        ] {
            assert!(!codes(sql).contains(&"RS160"), "{sql}");
        }
    }

    #[test]
    fn ddl_default_is_seen() {
        assert!(
            codes("CREATE TABLE t (a INT, ts TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP)")
                .contains(&"RS160")
        );
    }
}
