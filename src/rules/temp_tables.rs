use sqlparser::ast::{ObjectName, Query, SetExpr, Statement};

use super::statement_text::{find_word, range};
use super::{Confidence, Rule};
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;
use crate::sql::Runtime;

crate::rule! {
    /// ## What it does
    /// Rewrites Redshift temporary tables: `CREATE TEMP TABLE t AS SELECT …`,
    /// `CREATE TABLE #t AS SELECT …` and `SELECT … INTO [TEMP] t|#t FROM …` become
    /// `CREATE OR REPLACE TEMPORARY VIEW t AS SELECT …` (with a warning), or
    /// `CREATE TEMPORARY TABLE t AS …` when the target runtime is 18.1 or newer. A plain
    /// `SELECT … INTO t` becomes `CREATE TABLE t AS SELECT …`. Temp tables declared with
    /// columns are reported below 18.1; `#name` references lose their `#`.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `SELECT … INTO` and no `#` names, and supports `CREATE TEMPORARY TABLE`
    /// only on recent runtimes (without `USING`). A temporary **view** re-runs its query each
    /// time it is read and cannot be inserted into or updated, so it is only equivalent for
    /// read-only scratch results whose sources do not change meanwhile.
    ///
    /// ## Example
    /// ```sql
    /// SELECT user_id, count(*) AS n INTO #active FROM events GROUP BY 1;
    /// SELECT * FROM #active
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE OR REPLACE TEMPORARY VIEW active AS SELECT user_id, count(*) AS n FROM events GROUP BY 1;
    /// SELECT * FROM active
    /// ```
    pub struct TempTables;
    code: "RS751",
    name: "temp-tables",
    summary: "Temp tables, #names and SELECT … INTO become temporary views (or CTAS / temp tables on DBR 18.1+)",
    confidence: Caveat,
    databricks_invalid: true,
}

fn is_hash(name: &ObjectName) -> bool {
    name.0
        .last()
        .and_then(|p| p.as_ident())
        .is_some_and(|i| i.value.starts_with('#'))
}

impl TempTables {
    /// The head to write before `AS SELECT`, and its confidence.
    fn head(cx: &Checker<'_, '_>, temp: bool) -> (&'static str, Confidence) {
        if !temp {
            ("CREATE TABLE", Confidence::Exact)
        } else if cx.opts.runtime >= Runtime(18, 1) {
            ("CREATE TEMPORARY TABLE", Confidence::Exact)
        } else {
            ("CREATE OR REPLACE TEMPORARY VIEW", Confidence::Caveat)
        }
    }
}

const VIEW_NOTE: &str = "a temporary view re-runs its query on every read and cannot be \
    inserted into; fine for read-only scratch results";

impl Rule for TempTables {
    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        match s {
            Statement::CreateTable(ct) => {
                let temp = ct.temporary || is_hash(&ct.name);
                if !temp {
                    return;
                }
                let Some(r) = range(cx) else { return };
                let toks = cx.tokens;
                let Some(table_kw) = find_word(cx, "TABLE", cx.stmt.start, cx.stmt.end) else {
                    return;
                };
                let Some(create) = toks.next_sig(cx.stmt.start, cx.stmt.end) else {
                    return;
                };
                if ct.query.is_none() {
                    if cx.opts.runtime >= Runtime(18, 1) {
                        cx.fix_with(
                            Confidence::Exact,
                            toks.toks[create].start..toks.toks[table_kw].end,
                            vec!["CREATE TEMPORARY TABLE".into()],
                            "Databricks spells it CREATE TEMPORARY TABLE (no LOCAL, no USING)",
                        );
                    } else {
                        cx.report(
                            r,
                            "temporary tables with a column list need DBR 18.1+ on Databricks: \
                             create a regular table in a scratch schema (and drop it after), or \
                             build the data with CREATE OR REPLACE TEMPORARY VIEW … AS SELECT",
                            None,
                        );
                    }
                    return;
                }
                let (head, conf) = Self::head(cx, true);
                let msg = if conf == Confidence::Exact {
                    "Databricks temporary tables are CREATE TEMPORARY TABLE".to_string()
                } else {
                    format!("temporary table becomes a temporary view: {VIEW_NOTE}")
                };
                cx.fix_with(
                    conf,
                    toks.toks[create].start..toks.toks[table_kw].end,
                    vec![head.into()],
                    msg,
                );
            }
            Statement::Query(q) => self.select_into(cx, q),
            _ => {}
        }
    }

    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        // `#name` is a session temp table in Redshift; `#` cannot start a Databricks name.
        for i in cx.stmt.clone() {
            let t = &cx.tokens.toks[i];
            if let sqlparser::tokenizer::Token::Word(w) = &t.token {
                if w.quote_style.is_none() && w.value.starts_with('#') && w.value.len() > 1 {
                    cx.fix_with(
                        Confidence::Exact,
                        t.start..t.start + 1,
                        vec![],
                        "`#` cannot start a Databricks name; the temp table is named without it",
                    );
                }
            }
        }
    }
}

impl TempTables {
    fn select_into(&self, cx: &mut Checker<'_, '_>, q: &Query) {
        let SetExpr::Select(sel) = q.body.as_ref() else {
            return;
        };
        let Some(into) = &sel.into else { return };
        let temp = into.temporary || into.targets.iter().any(is_hash_expr);
        let toks = cx.tokens;
        let (a, b) = (cx.stmt.start, cx.stmt.end);
        let Some(into_kw) = find_word(cx, "INTO", a, b) else {
            return;
        };
        let Some(from_kw) = find_word(cx, "FROM", into_kw, b) else {
            return;
        };
        // Tokens after INTO up to FROM: [TEMP|TEMPORARY] [TABLE] name.
        let mut name_from = into_kw + 1;
        while let Some(k) = toks.next_sig(name_from, from_kw) {
            let t = &toks.toks[k];
            if t.is_word("TEMP")
                || t.is_word("TEMPORARY")
                || t.is_word("UNLOGGED")
                || t.is_word("TABLE")
            {
                name_from = k + 1;
            } else {
                break;
            }
        }
        let Some(name) = toks.trimmed_bytes(name_from, from_kw) else {
            return;
        };
        let Some(stmt) = range(cx) else { return };
        let Some(prev) = toks.prev_sig(into_kw, a) else {
            return;
        };
        let (head, conf) = Self::head(cx, temp);
        let msg = if conf == Confidence::Exact {
            "Databricks has no SELECT … INTO; CREATE TABLE … AS SELECT creates the same table"
                .to_string()
        } else {
            format!("SELECT … INTO a temp table becomes a temporary view: {VIEW_NOTE}")
        };
        // Insert the head at the statement start and drop `INTO …` (with the blank before it).
        let head: Vec<Piece> = vec![head.into(), " ".into(), name.into(), " AS ".into()];
        cx.fix_with(conf, stmt.start..stmt.start, head, msg);
        cx.fix_with(
            conf,
            toks.toks[prev].end..toks.toks[from_kw].start,
            vec![" ".into()],
            "SELECT … INTO: the target moves to CREATE … AS",
        );
    }
}

fn is_hash_expr(e: &sqlparser::ast::Expr) -> bool {
    match e {
        sqlparser::ast::Expr::Identifier(i) => i.value.starts_with('#'),
        sqlparser::ast::Expr::CompoundIdentifier(p) => {
            p.last().is_some_and(|i| i.value.starts_with('#'))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn select_into_hash_becomes_temp_view_and_references_lose_the_hash() {
        assert_eq!(
            out("SELECT user_id INTO #active FROM events; SELECT * FROM #active"),
            "CREATE OR REPLACE TEMPORARY VIEW active AS SELECT user_id FROM events; SELECT * FROM active"
        );
    }

    #[test]
    fn plain_select_into_becomes_ctas() {
        assert_eq!(
            out("SELECT * INTO archive.t2 FROM t"),
            "CREATE TABLE archive.t2 AS SELECT * FROM t"
        );
    }

    #[test]
    fn temp_ctas_becomes_view_and_column_list_is_reported() {
        assert_eq!(
            out("CREATE TEMP TABLE x AS SELECT 1 AS a"),
            "CREATE OR REPLACE TEMPORARY VIEW x AS SELECT 1 AS a"
        );
        let sql = "CREATE TEMP TABLE x (a INT)";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS751"]);
    }
}
