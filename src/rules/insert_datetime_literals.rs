use sqlparser::ast::{SetExpr, Statement, TableObject};

use super::Rule;
use crate::mappings::columns::ColType;
use crate::sql::checker::Checker;
use crate::sql::scope::name_parts;

crate::rule! {
    /// ## What it does
    /// In `INSERT INTO t [(cols)] VALUES (…)`, wraps a string literal that goes into a DATE or
    /// TIMESTAMP column in an explicit cast: `'2024-01-02'` becomes
    /// `CAST('2024-01-02' AS DATE)`. The column's type comes from a `CREATE TABLE` earlier in the
    /// same SQL, or, with an explicit column list, from a column-type CSV (`--column-types`).
    /// Only ISO literals (`YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]`) are rewritten; others are reported.
    ///
    /// ## Why it differs on Databricks
    /// Redshift casts string literals to the target column's type when it inserts them.
    /// Databricks (ANSI store assignment) refuses to write a STRING into a DATE or TIMESTAMP
    /// column. An explicit cast of an ISO literal gives the same value on both.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE t (id INT, created_at TIMESTAMP);
    /// INSERT INTO t VALUES (1, '2024-01-01 10:00:00')
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE t (id INT, created_at TIMESTAMP);
    /// INSERT INTO t VALUES (1, CAST('2024-01-01 10:00:00' AS TIMESTAMP))
    /// ```
    pub struct InsertDatetimeLiterals;
    code: "RS465",
    name: "insert-datetime-literals",
    summary: "String literals inserted into DATE/TIMESTAMP columns get an explicit CAST",
    confidence: Exact,
    databricks_invalid: false,
}

/// Whether `s` is an ISO date (`date_only`) or an ISO date with an optional time of day.
fn iso(s: &str, date_only: bool) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let date = b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10);
    if !date {
        return false;
    }
    let rest = &s[10..];
    if rest.is_empty() {
        return true;
    }
    if date_only {
        return false;
    }
    let t = rest.as_bytes();
    let hm = t.len() >= 6 && t[0] == b' ' && digits(11..13) && t[3] == b':' && digits(14..16);
    if !hm {
        return false;
    }
    match &rest[6..] {
        "" => true,
        sec => {
            let sb = sec.as_bytes();
            if sb.len() < 3 || sb[0] != b':' || !sb[1..3].iter().all(u8::is_ascii_digit) {
                return false;
            }
            let frac = &sec[3..];
            frac.is_empty()
                || (frac.starts_with('.')
                    && (2..=7).contains(&frac.len())
                    && frac[1..].bytes().all(|c| c.is_ascii_digit()))
        }
    }
}

impl Rule for InsertDatetimeLiterals {
    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        let Statement::Insert(ins) = s else { return };
        let TableObject::TableName(name) = &ins.table else {
            return;
        };
        let Some(source) = &ins.source else { return };
        let SetExpr::Values(values) = &*source.body else {
            return;
        };
        let Some(table) = name_parts(name) else {
            return;
        };
        let types: Vec<Option<ColType>> = if ins.columns.is_empty() {
            match cx.types().table_columns(&table) {
                Some(cols) => cols.into_iter().map(|(_, t)| Some(t)).collect(),
                None => return,
            }
        } else {
            ins.columns
                .iter()
                .map(|c| {
                    let col = name_parts(c)?;
                    cx.types().table_column(&table, col.last()?)
                })
                .collect()
        };
        for row in &values.rows {
            if row.len() != types.len() {
                continue;
            }
            for (e, ty) in row.iter().zip(&types) {
                let (target, date_only) = match ty {
                    Some(ColType::Date) => ("DATE", true),
                    Some(ColType::Timestamp) => ("TIMESTAMP", false),
                    _ => continue,
                };
                let (Some(text), Some(r)) = (Checker::string_literal(e), cx.expr_range(e)) else {
                    continue;
                };
                if iso(text, date_only) {
                    cx.fix(
                        r.clone(),
                        vec!["CAST(".into(), r.into(), format!(" AS {target})").into()],
                        format!(
                            "Redshift casts a string inserted into a {target} column; Databricks \
                             refuses it without an explicit CAST"
                        ),
                    );
                } else {
                    cx.report(
                        r,
                        format!(
                            "Redshift casts this string to the {target} column's type on insert; \
                             Databricks refuses a string there, and the literal is not ISO \
                             (YYYY-MM-DD[ HH:MM:SS]): write it as CAST('<ISO value>' AS {target})"
                        ),
                        None,
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::iso;
    use crate::rules::test_support::{codes, out};

    #[test]
    fn literals_into_date_and_timestamp_columns_are_cast() {
        assert_eq!(
            out("CREATE TABLE t (id INT, ts TIMESTAMP, d DATE);\n\
                 INSERT INTO t VALUES (1, '2024-01-01 10:00:00', '2024-01-02'), (2, NULL, '2024-02-03')"),
            "CREATE TABLE t (id INT, ts TIMESTAMP, d DATE);\n\
             INSERT INTO t VALUES (1, CAST('2024-01-01 10:00:00' AS TIMESTAMP), CAST('2024-01-02' AS DATE)), (2, NULL, CAST('2024-02-03' AS DATE))"
        );
        assert_eq!(
            out("CREATE TABLE t (id INT, d DATE);\nINSERT INTO t (d, id) VALUES ('2024-01-02', 1)"),
            "CREATE TABLE t (id INT, d DATE);\nINSERT INTO t (d, id) VALUES (CAST('2024-01-02' AS DATE), 1)"
        );
    }

    #[test]
    fn unknown_tables_and_odd_literals() {
        assert_eq!(
            out("INSERT INTO t VALUES (1, '2024-01-02')"),
            "INSERT INTO t VALUES (1, '2024-01-02')"
        );
        // Not an ISO literal: reported for a person, never cast.
        let sql = "CREATE TABLE t (d DATE);\nINSERT INTO t VALUES ('Jan 2, 2024')";
        assert!(codes(sql).contains(&"RS465"));
        assert_eq!(out(sql), sql);
        assert!(iso("2024-01-02", true));
        assert!(!iso("2024-01-02 10:00", true));
        assert!(iso("2024-01-02 10:00", false));
        assert!(iso("2024-01-02 10:00:01.123456", false));
        assert!(!iso("2024-01-02T10:00:01", false));
        assert!(!iso("2024-01-02 10:00:01+02", false));
    }
}
