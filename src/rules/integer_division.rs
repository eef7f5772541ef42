use sqlparser::ast::{BinaryOperator, Expr};
use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::types::Ty;

crate::rule! {
    /// ## What it does
    /// Rewrites `a / b` to `a div b` when both operands are visibly integers (integer literals,
    /// `COUNT(…)`, casts to integer types, `LENGTH`, ranking functions, `SUM`/`MIN`/`MAX`/`ABS`/
    /// `COALESCE`/`CASE` of those), and reports every other division whose operands could both
    /// be integers.
    ///
    /// With a column-type CSV (`--column-types`, `mappings.column_types`; see the README) columns
    /// count too: `buyers / visitors` over two INTEGER columns becomes `buyers div visitors`, and
    /// a NUMERIC or DOUBLE PRECISION column divided by anything is left alone. A CTE or derived
    /// table that is one SELECT passes its columns' types on; columns of UNIONs and dataframes,
    /// and unqualified names that more than one relation could hold, stay unknown and reported.
    ///
    /// ## Why it differs on Databricks
    /// In Redshift `integer / integer` is an integer truncated toward zero (`7 / 2` = 3); in
    /// Databricks `/` always returns a fraction (`7 / 2` = 3.5). Conversion rates and averages
    /// built from counts silently change. `div` truncates toward zero like Redshift. When the
    /// operand types are unknown (columns without a column-type CSV, `SUM(…)` of them), only a person
    /// can tell.
    ///
    /// ## Example
    /// ```sql
    /// SELECT COUNT(DISTINCT buyer) / COUNT(*) AS rate, 7 / 2 AS three FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT COUNT(DISTINCT buyer) div COUNT(*) AS rate, 7 div 2 AS three FROM t
    /// ```
    pub struct IntegerDivision;
    code: "RS601",
    name: "integer-division",
    summary: "integer / integer truncates in Redshift: `div` when both sides are integers, otherwise reported",
    confidence: Exact,
    databricks_invalid: false,
}

#[derive(PartialEq, Clone, Copy)]
enum Kind {
    Int,
    NotInt,
    Unknown,
}

/// Integer-ness of an operand in Redshift (see `sql::types`): literals, casts, functions, and
/// columns whose type the column-type catalog gives.
fn kind(cx: &Checker<'_, '_>, e: &Expr) -> Kind {
    match cx.ty(e) {
        Ty::Int => Kind::Int,
        Ty::Unknown => {
            // AVG of an unknown type is reported by RS354, which says what to write.
            if matches!(e, Expr::Function(f) if Checker::fn_name(f) == "AVG") {
                Kind::NotInt
            } else {
                Kind::Unknown
            }
        }
        _ => Kind::NotInt,
    }
}

impl Rule for IntegerDivision {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::BinaryOp {
            left,
            op: BinaryOperator::Divide,
            right,
        } = e
        else {
            return;
        };
        let (l, r) = (kind(cx, left), kind(cx, right));
        if l == Kind::NotInt || r == Kind::NotInt {
            return;
        }
        let (Some(ls), Some(rs)) = (cx.expr_start(left), cx.expr_start(right)) else {
            return;
        };
        let toks = cx.tokens;
        // The `/` is the last depth-0 Div token before the right operand's start.
        let ri = toks.at(rs);
        let li = toks.at(ls);
        let mut depth = 0i32;
        let mut slash = None;
        let mut k = ri;
        while k > li {
            k -= 1;
            match toks.toks[k].token {
                Token::RParen => depth += 1,
                Token::LParen => depth -= 1,
                Token::Div if depth == 0 => {
                    slash = Some(k);
                    break;
                }
                _ => {}
            }
        }
        let Some(slash) = slash else { return };
        let op = toks.toks[slash].start..toks.toks[slash].end;
        let before = toks
            .toks
            .get(slash.wrapping_sub(1))
            .is_some_and(|t| t.is_trivia());
        let after = toks.toks.get(slash + 1).is_some_and(|t| t.is_trivia());
        let div = format!(
            "{}div{}",
            if before { "" } else { " " },
            if after { "" } else { " " }
        );
        let left_start = toks.toks[li].start;
        let right_end = toks.toks[ri].end;
        let span = left_start.min(op.start)..right_end.max(op.end);
        if l == Kind::Int && r == Kind::Int {
            cx.fix_in(
                Self::INFO.confidence,
                span,
                op,
                vec![div.into()],
                "integer division truncates in Redshift; `div` does the same on Databricks",
            );
        } else {
            let hint = crate::sql::types::unknown_hint(cx);
            cx.report(
                span,
                format!(
                    "if both operands are integers, Redshift truncates this division (7 / 2 = 3) \
                     and Databricks does not (3.5): write `div` for integers, or cast one side to \
                     decimal{hint}"
                ),
                Some("div".to_string()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn known_integers_use_div() {
        assert_eq!(
            out("SELECT 7/2, COUNT(a) / COUNT(*), (n::int) / 3 FROM t"),
            "SELECT 7 div 2, COUNT(a) div COUNT(*), (n::int) div 3 FROM t"
        );
    }

    /// The output after the `CREATE TABLE` statements that give the column types.
    fn typed(sql: &str) -> String {
        let ddl = "CREATE TABLE f (b INT, v BIGINT, amt NUMERIC(10,2));\n\
                   CREATE TABLE g (b INT, n SMALLINT);\n";
        let full = out(&format!("{ddl}{sql}"));
        full[full.rfind(";\n").unwrap() + 2..].to_string()
    }

    #[test]
    fn known_column_types_make_the_rewrite_exact() {
        for (sql, want) in [
            ("SELECT b / v FROM f", "SELECT b div v FROM f"),
            (
                "SELECT x.b / x.v FROM f AS x",
                "SELECT x.b div x.v FROM f AS x",
            ),
            ("SELECT amt / v FROM f", "SELECT amt / v FROM f"),
            (
                "SELECT SUM(b) / COUNT(*) FROM f",
                "SELECT SUM(b) div COUNT(*) FROM f",
            ),
            ("UPDATE f SET amt = b / v", "UPDATE f SET amt = b div v"),
            // Correlated: `v` is the outer query's column.
            (
                "SELECT 1 FROM f WHERE EXISTS (SELECT 1 FROM g WHERE g.n / v > 0)",
                "SELECT 1 FROM f WHERE EXISTS (SELECT 1 FROM g WHERE g.n div v > 0)",
            ),
            (
                "WITH c AS (SELECT b AS x, v FROM f) SELECT x / v FROM c",
                "WITH c AS (SELECT b AS x, v FROM f) SELECT x div v FROM c",
            ),
            // CREATE TABLE AS takes the select list's types.
            (
                "CREATE TABLE h AS SELECT b AS q, v FROM f;\nSELECT q / v FROM h",
                "SELECT q div v FROM h",
            ),
        ] {
            assert_eq!(typed(sql), want, "{sql}");
        }
        for sql in [
            // Both tables have `b`: ambiguous (Redshift would refuse it).
            "SELECT b / n FROM f, g",
            // A dataframe-like unknown table may hold `v`.
            "SELECT b / v FROM f, other",
            "WITH c AS (SELECT b FROM f UNION SELECT 1) SELECT b / 2 FROM c",
        ] {
            assert_eq!(typed(sql), sql);
        }
    }

    #[test]
    fn unknown_is_reported_fractions_left_alone() {
        assert_eq!(codes("SELECT a / b FROM t"), vec!["RS601"]);
        assert_eq!(out("SELECT a / b FROM t"), "SELECT a / b FROM t");
        // (RS354 reports the AVG of an unknown type; this rule must not.)
        assert!(!codes("SELECT a * 1.0 / b, AVG(x) / 2 FROM t").contains(&"RS601"));
    }
}
