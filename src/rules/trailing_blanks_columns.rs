use sqlparser::ast::Expr;

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;
use crate::sql::types::is_comparison;

crate::rule! {
    /// ## What it does
    /// With a column-type CSV (`--column-types`, `mappings.column_types`), wraps CHAR/VARCHAR
    /// columns in `rtrim()` where Redshift compares them: `name = 'bob'` becomes
    /// `rtrim(name) = 'bob'`, `a.code <> b.code` becomes `rtrim(a.code) <> rtrim(b.code)`, and
    /// `name IN ('a', 'b')` becomes `rtrim(name) IN ('a', 'b')`. It applies to `=`, `<>`/`!=`,
    /// `<`, `<=`, `>`, `>=` and `IN (…)` lists when every compared value is either a column the
    /// CSV types as a string or a string literal. (Literals ending in blanks are RS267's, which
    /// trims both sides whatever the column type.) Nothing is changed when no column type is known
    /// (no CSV, no CREATE TABLE earlier in the SQL).
    ///
    /// ## Why it differs on Databricks
    /// Redshift ignores trailing blanks when it compares CHAR and VARCHAR values (`'bob  ' =
    /// 'bob'` is true, for VARCHAR too); Databricks compares strings exactly. A column that
    /// stores values with trailing blanks (fixed-width exports, CHAR columns, padded codes)
    /// silently matches fewer rows after migration. `rtrim` removes trailing spaces only, so
    /// trimmed comparisons give Redshift's answer for every value, NULL included.
    ///
    /// Not covered: GROUP BY, DISTINCT, joins with `USING`, and comparisons with expressions
    /// whose type is unknown (Redshift groups `'a'` and `'a '` together; Databricks does not).
    /// `rtrim` on a column can keep Databricks from skipping files by column statistics; if the
    /// data is known to hold no trailing blanks, disable this rule (`rules.disable: [RS268]`).
    ///
    /// ## Example
    /// ```sql
    /// SELECT id FROM customers WHERE status = 'active'
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT id FROM customers WHERE rtrim(status) = 'active'
    /// ```
    pub struct TrailingBlanksColumns;
    code: "RS268",
    name: "trailing-blanks-columns",
    summary: "Comparisons of CHAR/VARCHAR columns (known from --column-types) trim trailing blanks like Redshift",
    confidence: Exact,
    databricks_invalid: false,
}

/// What one compared value is.
enum Side {
    /// A column the catalog types as CHAR/VARCHAR.
    StringColumn,
    /// A string literal; `true` when it ends in a blank.
    Literal(bool),
}

fn side(cx: &Checker<'_, '_>, e: &Expr) -> Option<Side> {
    match e {
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) => cx
            .column_type(e)
            .filter(|t| t.is_string())
            .map(|_| Side::StringColumn),
        _ => Checker::string_literal(e).map(|s| Side::Literal(s.ends_with(' '))),
    }
}

const MESSAGE: &str = "Redshift ignores trailing blanks when it compares CHAR/VARCHAR values; \
                       rtrim() keeps that on Databricks (the column-type CSV types this column as \
                       a string)";

impl Rule for TrailingBlanksColumns {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        match e {
            Expr::BinaryOp { left, op, right } => {
                if !is_comparison(op) {
                    return;
                }
                let (Some(l), Some(r)) = (side(cx, left), side(cx, right)) else {
                    return;
                };
                let columns: Vec<&Expr> = match (&l, &r) {
                    (Side::StringColumn, Side::StringColumn) => vec![left, right],
                    (Side::StringColumn, Side::Literal(false)) => vec![left],
                    (Side::Literal(false), Side::StringColumn) => vec![right],
                    // A literal ending in blanks is RS267's (it trims both sides), and two
                    // literals need no column.
                    _ => return,
                };
                let Some(span) = cx
                    .expr_range(left)
                    .zip(cx.expr_range(right))
                    .map(|(a, b)| a.start..b.end)
                else {
                    return;
                };
                wrap(cx, span, &columns);
            }
            Expr::InList { expr, list, .. } => {
                if !matches!(side(cx, expr), Some(Side::StringColumn)) || list.is_empty() {
                    return;
                }
                for item in list {
                    // A literal ending in blanks makes the list RS267's (it trims both sides).
                    let Some(Side::Literal(false)) = side(cx, item) else {
                        return;
                    };
                }
                let Some(col) = cx.expr_range(expr) else {
                    return;
                };
                wrap(cx, col, &[&**expr]);
            }
            _ => {}
        }
    }
}

/// Rewrites each column to `rtrim(column)`; one finding per column, spanning the comparison.
fn wrap(cx: &mut Checker<'_, '_>, span: std::ops::Range<usize>, columns: &[&Expr]) {
    for c in columns {
        let Some(r) = cx.expr_range(c) else { return };
        cx.fix_in(
            TrailingBlanksColumns::INFO.confidence,
            span.clone(),
            r.clone(),
            vec!["rtrim(".into(), Piece::Src(r), ")".into()],
            MESSAGE,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    const DDL: &str = "CREATE TABLE p (id INT, name VARCHAR(10), code CHAR(2), n INT);\n";

    fn typed(sql: &str) -> String {
        let full = out(&format!("{DDL}{sql}"));
        // Other rules may rewrite the CREATE TABLE; the query follows its `;\n`.
        full.split_once(";\n")
            .map(|(_, q)| q.to_string())
            .unwrap_or(full)
    }

    #[test]
    fn string_columns_are_trimmed_in_comparisons() {
        assert_eq!(
            typed("SELECT id FROM p WHERE name = 'bob' AND 'x' <> code"),
            "SELECT id FROM p WHERE rtrim(name) = 'bob' AND 'x' <> rtrim(code)"
        );
        assert_eq!(
            typed("SELECT a.id FROM p a JOIN p b ON a.name = b.code"),
            "SELECT a.id FROM p a JOIN p b ON rtrim(a.name) = rtrim(b.code)"
        );
        assert_eq!(
            typed("SELECT id FROM p WHERE name IN ('a', 'b  ') AND name >= 'm'"),
            "SELECT id FROM p WHERE rtrim(name) IN ('a', 'b') AND rtrim(name) >= 'm'"
        );
        // A CTE column takes the type of the column it selects.
        assert_eq!(
            typed("WITH c AS (SELECT name AS nm FROM p) SELECT * FROM c WHERE nm = 'bob'"),
            "WITH c AS (SELECT name AS nm FROM p) SELECT * FROM c WHERE rtrim(nm) = 'bob'"
        );
        // Idempotent: a trimmed column is a call, not a column.
        let once = typed("SELECT id FROM p WHERE name = 'bob'");
        assert_eq!(typed(&once), once);
    }

    #[test]
    fn unknown_and_non_string_columns_are_left_alone() {
        for sql in [
            "SELECT id FROM p WHERE n = 1",
            "SELECT id FROM p WHERE name = upper(name)",
            "WITH c AS (SELECT name FROM p UNION SELECT 'x') SELECT * FROM c WHERE name = 'bob'",
            "SELECT id FROM p, q WHERE name = 'bob'",
            "SELECT id FROM p WHERE name LIKE 'bob%'",
        ] {
            assert_eq!(typed(sql), sql);
        }
        // Without column types nothing happens.
        assert!(codes("SELECT id FROM p WHERE name = 'bob'").is_empty());
        // A literal ending in blanks stays RS267's.
        assert_eq!(
            typed("SELECT id FROM p WHERE name = 'bob '"),
            "SELECT id FROM p WHERE rtrim(name) = 'bob'"
        );
    }
}
