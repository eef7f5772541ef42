use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Warns, once per cell, where the SQL names the `TIMESTAMP` (or `TIMESTAMP WITHOUT TIME
    /// ZONE`) type for new values: a column definition, a typed literal, or a string literal cast
    /// to it (a cast of a column that already is a TIMESTAMP changes nothing) (reference G5 and the
    /// `TIMESTAMP` row of section 2). The text stays: with the session time zone at UTC it means
    /// the same thing.
    ///
    /// ## Why it differs on Databricks
    /// Redshift's `TIMESTAMP` is a wall-clock value with no time zone. Databricks' `TIMESTAMP`
    /// is an instant that is parsed and shown in the session time zone (`TIMESTAMP_NTZ` is the
    /// wall-clock type). In a UTC session (the SQL warehouse default) both hold and show the same
    /// values; in another zone, literals and casts from strings shift, and `date_trunc`,
    /// `extract`, `hour()` and `unix_timestamp` read the zone's local time.
    ///
    /// ## Example
    /// ```sql
    /// SELECT CAST('2024-03-10 02:30:00' AS TIMESTAMP), TIMESTAMP '2024-03-10 02:30:00'
    /// ```
    ///
    /// ## Use instead
    /// Keep the warehouse's `spark.sql.session.timeZone` (SQL: `SET TIME ZONE 'UTC'`) at UTC, or
    /// write the wall-clock type where the value must never shift:
    /// ```sql
    /// SELECT CAST('2024-03-10 02:30:00' AS TIMESTAMP_NTZ), TIMESTAMP_NTZ '2024-03-10 02:30:00'
    /// ```
    pub struct TimestampModel;
    code: "RS161",
    name: "timestamp-model",
    summary: "TIMESTAMP is a wall clock in Redshift, an instant in the session time zone on Databricks (same in UTC)",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for TimestampModel {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        if cx.sink.findings.iter().any(|f| f.code == Self::INFO.code) {
            return; // once per cell: the advice is about the session, not each value
        }
        let toks = cx.tokens;
        let (start, end) = (cx.stmt.start, cx.stmt.end);
        let ddl = toks
            .next_sig(start, end)
            .is_some_and(|f| toks.toks[f].is_word("CREATE") || toks.toks[f].is_word("ALTER"));
        for i in cx.stmt.clone() {
            let t = &toks.toks[i];
            if !t.is_word("TIMESTAMP") {
                continue;
            }
            let next = toks.next_sig(i + 1, end);
            // TIMESTAMP WITH TIME ZONE is TIMESTAMPTZ: an instant in both engines.
            if next.is_some_and(|n| toks.toks[n].is_word("WITH")) {
                continue;
            }
            let prev = toks.prev_sig(i, start).map(|p| &toks.toks[p]);
            let typed_literal =
                next.is_some_and(|n| matches!(toks.toks[n].token, Token::SingleQuotedString(_)));
            // A string literal cast to TIMESTAMP is parsed in the session time zone; a cast of
            // a column that already is a TIMESTAMP changes nothing, so only literals count.
            let is_str = |k: usize| matches!(toks.toks[k].token, Token::SingleQuotedString(_));
            let before = |k: usize| toks.prev_sig(k, start);
            let cast = match toks.prev_sig(i, start) {
                Some(p) if toks.toks[p].token == Token::DoubleColon => {
                    before(p).is_some_and(is_str)
                }
                Some(p) if toks.toks[p].is_word("AS") => before(p).is_some_and(|l| {
                    is_str(l)
                        && before(l).is_some_and(|o| {
                            toks.toks[o].token == Token::LParen
                                && before(o).is_some_and(|c| {
                                    toks.toks[c].is_word("CAST") || toks.toks[c].is_word("TRY_CAST")
                                })
                        })
                }),
                _ => false,
            };
            // `col TIMESTAMP` in CREATE TABLE / ALTER TABLE … ADD COLUMN.
            let column = ddl && prev.is_some_and(|p| matches!(p.token, Token::Word(_)));
            if typed_literal || cast || column {
                let last = toks.type_end(i, end).unwrap_or(i);
                let range = t.start..toks.toks[last].end;
                cx.warn(
                    range,
                    "Redshift TIMESTAMP is a wall-clock value; Databricks TIMESTAMP is an instant \
                     in the session time zone: the values agree only while the session time zone \
                     is UTC (the SQL warehouse default). Keep it UTC, or write TIMESTAMP_NTZ",
                );
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    fn count(sql: &str) -> usize {
        codes(sql).iter().filter(|c| **c == "RS161").count()
    }

    #[test]
    fn casts_literals_and_columns_warn_once_per_cell() {
        let sql = "SELECT CAST('2024-01-01 10:00' AS TIMESTAMP), '2024-01-02'::timestamp, \
                   TIMESTAMP '2024-01-01' FROM t";
        assert_eq!(out(sql), sql);
        assert_eq!(count(sql), 1);
        assert_eq!(
            count("SELECT 1; SELECT '2024-01-01'::timestamp without time zone"),
            1
        );
        assert_eq!(count("CREATE TABLE t (id INT, ts TIMESTAMP NOT NULL)"), 1);
        assert_eq!(count("ALTER TABLE t ADD COLUMN ts timestamp"), 1);
    }

    #[test]
    fn zoned_types_and_column_names_are_left_alone() {
        for sql in [
            "SELECT CAST(a AS TIMESTAMPTZ), b::timestamp with time zone FROM t",
            "SELECT timestamp, event FROM t",
            "SELECT CAST(a AS TIMESTAMP_NTZ) FROM t",
            "SELECT CAST(a AS TIMESTAMP), b::timestamp FROM t",
            "SELECT 'TIMESTAMP' AS x",
        ] {
            assert_eq!(count(sql), 0, "{sql}");
        }
    }
}
