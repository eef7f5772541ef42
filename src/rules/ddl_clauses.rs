use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, Whitespace};

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Removes Redshift's physical-layout clauses from `CREATE TABLE` / `ALTER TABLE` /
    /// CTAS: `DISTSTYLE …`, `DISTKEY (…)`, `[COMPOUND | INTERLEAVED] SORTKEY (…)`, `SORTKEY AUTO`,
    /// column-level `DISTKEY` / `SORTKEY`, `ENCODE …` and `BACKUP YES|NO`. Works on the tokens,
    /// so it also handles the statements sqlparser cannot parse.
    ///
    /// ## Why it differs on Databricks
    /// Databricks does not accept these clauses (Delta tables are laid out by the engine;
    /// clustering is `CLUSTER BY`, chosen separately). They do not change query results.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE t (id BIGINT ENCODE az64, ts TIMESTAMP SORTKEY)
    /// DISTSTYLE KEY DISTKEY (id) COMPOUND SORTKEY (ts) BACKUP NO;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE t (id BIGINT, ts TIMESTAMP);
    /// ```
    pub struct DdlClauses;
    code: "RS701",
    name: "ddl-layout-clauses",
    summary: "DISTSTYLE/DISTKEY/SORTKEY/ENCODE/BACKUP clauses removed from DDL",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for DdlClauses {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        let toks = cx.tokens;
        let end = cx.stmt.end;
        let Some(first) = toks.next_sig(cx.stmt.start, end) else {
            return;
        };
        if !(toks.toks[first].is_keyword(Keyword::CREATE)
            || toks.toks[first].is_keyword(Keyword::ALTER))
        {
            return;
        }
        // ALTER TABLE … ALTER DISTSTYLE/SORTKEY/DISTKEY: the whole statement is layout only.
        let mut i = first;
        while i < end {
            let t = &toks.toks[i];
            let word = |w: &str| t.is_word(w);
            let clause_end = if word("ENCODE") || word("DISTSTYLE") || word("BACKUP") {
                toks.next_sig(i + 1, end)
                    .filter(|&n| matches!(toks.toks[n].token, Token::Word(_)))
            } else if word("DISTKEY") || word("SORTKEY") {
                match toks.next_sig(i + 1, end) {
                    Some(n) if toks.toks[n].token == Token::LParen => toks.matching_paren(n, end),
                    Some(n) if toks.toks[n].is_word("AUTO") => Some(n),
                    _ => Some(i), // column-level DISTKEY / SORTKEY
                }
            } else {
                None
            };
            let Some(last) = clause_end else {
                i += 1;
                continue;
            };
            // Include a COMPOUND / INTERLEAVED before SORTKEY.
            let mut start = i;
            if word("SORTKEY") {
                if let Some(p) = toks.prev_sig(i, cx.stmt.start) {
                    if toks.toks[p].is_word("COMPOUND") || toks.toks[p].is_word("INTERLEAVED") {
                        start = p;
                    }
                }
            }
            // `ALTER TABLE t ALTER SORTKEY (…)` cannot lose its clause: report the statement.
            if let Some(p) = toks.prev_sig(start, cx.stmt.start) {
                if toks.toks[p].is_keyword(Keyword::ALTER) {
                    let whole = toks.toks[first].start..toks.toks[last].end;
                    cx.report(
                        whole,
                        "this ALTER TABLE only changes Redshift's physical layout; Databricks has no equivalent (drop the statement)",
                        None,
                    );
                    return;
                }
            }
            // Remove the whitespace before the clause too (not comments).
            let mut from = start;
            while from > cx.stmt.start
                && matches!(
                    toks.toks[from - 1].token,
                    Token::Whitespace(Whitespace::Space | Whitespace::Newline | Whitespace::Tab)
                )
            {
                from -= 1;
            }
            let range = toks.toks[from].start..toks.toks[last].end;
            let span = toks.toks[start].start..toks.toks[last].end;
            if cx.has_jinja(&range) {
                cx.jinja_hides(span, "part of a DDL layout clause");
            } else {
                let what = cx
                    .slice(&span)
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_uppercase();
                cx.fix_in(
                    Self::INFO.confidence,
                    span,
                    range,
                    vec![],
                    format!("{what} is Redshift physical layout; Databricks does not accept it"),
                );
            }
            i = last + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, fix, out};

    #[test]
    fn table_and_column_clauses_are_removed() {
        let sql = "CREATE TABLE t (\n  id BIGINT ENCODE az64,\n  ts TIMESTAMP SORTKEY -- when\n)\nDISTSTYLE KEY\nDISTKEY (id)\nINTERLEAVED SORTKEY (ts, id)\nBACKUP NO;";
        let t = fix(sql);
        assert_eq!(
            t.output,
            "CREATE TABLE t (\n  id BIGINT,\n  ts TIMESTAMP -- when\n);"
        );
        assert!(
            t.findings.iter().any(|f| f.code == "RS904"),
            "{:?}",
            t.findings
        );
    }

    #[test]
    fn ctas_and_select_untouched() {
        assert_eq!(
            out("CREATE TABLE x DISTKEY(a) SORTKEY(b) AS SELECT a, b FROM t"),
            "CREATE TABLE x AS SELECT a, b FROM t"
        );
        assert!(codes("SELECT distkey FROM t").is_empty());
    }
}
