use super::statement_text::{find_word, leading_words, range};
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports DDL with no Databricks counterpart the tool could write: `CREATE EXTERNAL
    /// TABLE/SCHEMA` (Spectrum), `CREATE [OR REPLACE] PROCEDURE` (PL/pgSQL), `CREATE FUNCTION`
    /// (SQL, Python or Lambda UDFs), `CREATE MATERIALIZED VIEW`, and `ALTER TABLE … APPEND FROM`.
    /// `CALL p(…)` gets a warning: it works once the procedure exists on Databricks.
    ///
    /// ## Why it differs on Databricks
    /// External data is reached through Unity Catalog external locations, `CREATE TABLE …
    /// LOCATION` or foreign catalogs (IAM roles mean nothing there). Procedures become
    /// `CREATE PROCEDURE … AS BEGIN … END` (SQL scripting, DBR 17.0+) or a notebook job; SQL
    /// UDFs become `CREATE FUNCTION f(p1 t1) RETURNS t RETURN <expr>` with named parameters;
    /// Python UDFs become `LANGUAGE PYTHON`. Materialized views exist on SQL warehouses with
    /// their own refresh schedule (no AUTO REFRESH, BACKUP, DISTKEY or SORTKEY).
    /// `ALTER TABLE t APPEND FROM u` is `INSERT INTO t SELECT * FROM u` followed by
    /// `TRUNCATE TABLE u` — not atomic. Each needs a person.
    ///
    /// ## Example
    /// ```sql
    /// CREATE MATERIALIZED VIEW mv AUTO REFRESH YES AS SELECT region, sum(x) FROM t GROUP BY 1
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE MATERIALIZED VIEW mv SCHEDULE EVERY 1 HOUR AS SELECT region, sum(x) FROM t GROUP BY 1
    /// ```
    pub struct UnsupportedDdl;
    code: "RS756",
    name: "unsupported-ddl",
    summary: "External tables, procedures, UDFs, materialized views and ALTER TABLE APPEND need a manual port",
    confidence: Block,
    databricks_invalid: false,
}

impl Rule for UnsupportedDdl {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        let lead = leading_words(cx, 5);
        let mut words: Vec<&str> = lead.iter().map(|(_, w)| w.as_str()).collect();
        if words.len() >= 3 && words[0] == "CREATE" && words[1] == "OR" && words[2] == "REPLACE" {
            words.drain(1..3);
        }
        if words.first() == Some(&"CALL") {
            if let Some(r) = range(cx) {
                cx.warn(
                    r,
                    "CALL runs on Databricks only once the procedure has been ported (CREATE \
                     PROCEDURE, DBR 17.0+, Unity Catalog)",
                );
            }
            return;
        }
        let msg = match words.as_slice() {
            ["CREATE", "EXTERNAL", ..] => {
                "Redshift Spectrum external table/schema: use a Unity \
                Catalog external location with CREATE TABLE … LOCATION, or a foreign catalog"
            }
            ["CREATE", "PROCEDURE", ..] => {
                "stored procedure: port it by hand to Databricks \
                CREATE PROCEDURE … AS BEGIN … END (SQL scripting, DBR 17.0+) or a notebook job"
            }
            ["CREATE", "FUNCTION", ..] => {
                "user-defined function: port it to CREATE FUNCTION \
                f(p1 type) RETURNS type RETURN <expr> with named parameters (Python UDFs: \
                LANGUAGE PYTHON; Lambda UDFs have no equivalent)"
            }
            ["CREATE", "MATERIALIZED", "VIEW", ..] => {
                "materialized view: Databricks materialized \
                views (SQL warehouses, Unity Catalog) refresh on a schedule; drop AUTO REFRESH, \
                BACKUP, DISTKEY and SORTKEY and choose a refresh"
            }
            ["ALTER", "TABLE", ..]
                if find_word(cx, "APPEND", cx.stmt.start, cx.stmt.end).is_some() =>
            {
                "ALTER TABLE … APPEND FROM moves rows: write INSERT INTO t SELECT * FROM u; \
                 TRUNCATE TABLE u (not atomic on Databricks)"
            }
            _ => return,
        };
        if let Some(r) = range(cx) {
            cx.report(r, msg, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::codes;

    #[test]
    fn each_form_is_reported() {
        for sql in [
            "CREATE EXTERNAL SCHEMA s FROM DATA CATALOG DATABASE 'd' IAM_ROLE 'arn'",
            "CREATE OR REPLACE PROCEDURE p() AS $$ BEGIN NULL; END $$ LANGUAGE plpgsql",
            "CREATE MATERIALIZED VIEW mv AUTO REFRESH YES AS SELECT 1",
            "ALTER TABLE t APPEND FROM u",
        ] {
            assert!(codes(sql).contains(&"RS756"), "{sql}");
        }
    }
}
