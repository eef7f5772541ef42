use sqlparser::ast::{BinaryOperator, CastKind, DataType, Expr};

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::types::Ty;

crate::rule! {
    /// ## What it does
    /// Warns, once per cell, where text computed in the query (`SUBSTRING`, `SPLIT_PART`,
    /// `JSON_EXTRACT_PATH_TEXT`, `||` …) is cast to a number, date, timestamp or boolean
    /// (reference G9, ANSI mode). The text stays.
    ///
    /// ## Why it differs on Databricks
    /// A value that does not convert fails the query in Redshift, and on Databricks SQL
    /// warehouses, which run in ANSI mode. A cluster with `spark.sql.ansi.enabled = false`
    /// (older all-purpose clusters) instead returns NULL and the query succeeds with other rows.
    /// Casts of parsed text are where bad data shows up, so this is where the setting matters.
    ///
    /// ## Example
    /// ```sql
    /// SELECT SPLIT_PART(code, '-', 2)::int FROM t
    /// ```
    ///
    /// ## Use instead
    /// Run the notebook on a SQL warehouse, or set `spark.sql.ansi.enabled = true` on the
    /// cluster, and keep the cast. Write `try_cast(SPLIT_PART(code, '-', 2) AS int)` only where
    /// NULL for a bad value is what the query should return (Redshift never did that).
    pub struct AnsiMode;
    code: "RS470",
    name: "ansi-mode",
    summary: "Casts of parsed text fail on bad values in Redshift and in ANSI mode; non-ANSI clusters return NULL",
    confidence: Caveat,
    databricks_invalid: false,
}

/// Functions (Redshift names) whose result is text taken apart from other text.
const TEXT_FUNCTIONS: &[&str] = &[
    "SUBSTRING",
    "SUBSTR",
    "SPLIT_PART",
    "JSON_EXTRACT_PATH_TEXT",
    "JSON_EXTRACT_ARRAY_ELEMENT_TEXT",
    "TRIM",
    "BTRIM",
    "LTRIM",
    "RTRIM",
    "LEFT",
    "RIGHT",
    "REGEXP_SUBSTR",
    "REGEXP_REPLACE",
    "REPLACE",
    "TRANSLATE",
    "CONCAT",
    "LPAD",
    "RPAD",
    "TO_CHAR",
    "STRTOL",
];

fn parsed_text(e: &Expr) -> bool {
    match e {
        Expr::Nested(inner) => parsed_text(inner),
        Expr::Function(f) => TEXT_FUNCTIONS.contains(&Checker::fn_name(f).as_str()),
        Expr::Substring { .. } | Expr::Trim { .. } => true,
        Expr::BinaryOp { op, .. } => *op == BinaryOperator::StringConcat,
        _ => false,
    }
}

fn converts_strictly(t: &DataType) -> bool {
    !(Ty::of_data_type(t).is_string() || matches!(t, DataType::Custom(..)))
}

impl Rule for AnsiMode {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Cast {
            kind,
            expr,
            data_type,
            ..
        } = e
        else {
            return;
        };
        if !matches!(kind, CastKind::Cast | CastKind::DoubleColon)
            || !converts_strictly(data_type)
            || !parsed_text(expr)
        {
            return;
        }
        if cx.sink.findings.iter().any(|f| f.code == Self::INFO.code) {
            return; // once per cell: the advice is about where the notebook runs
        }
        let Some(range) = cx.expr_range(e) else {
            return;
        };
        cx.warn(
            range,
            "this cast fails the query on a value that does not convert, in Redshift and on SQL \
             warehouses (ANSI mode), but returns NULL on a cluster with spark.sql.ansi.enabled = \
             false: run the notebook on a SQL warehouse or set spark.sql.ansi.enabled = true",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    fn count(sql: &str) -> usize {
        codes(sql).iter().filter(|c| **c == "RS470").count()
    }

    #[test]
    fn parsed_text_cast_to_number_or_date_warns_once() {
        let sql = "SELECT SPLIT_PART(code, '-', 2)::int, CAST(SUBSTRING(s, 1, 10) AS DATE), \
                   (a || b)::decimal(10,2) FROM t";
        assert_eq!(count(sql), 1);
        assert!(out(sql).contains("SPLIT_PART(code, '-', 2)::int"));
    }

    #[test]
    fn columns_literals_text_targets_and_try_cast_are_left_alone() {
        for sql in [
            "SELECT amount::int, created::date FROM t",
            "SELECT '2024-01-01'::date",
            "SELECT SUBSTRING(s, 1, 2)::varchar FROM t",
            "SELECT TRY_CAST(SUBSTRING(s, 1, 2) AS INT) FROM t",
        ] {
            assert_eq!(count(sql), 0, "{sql}");
        }
    }
}
