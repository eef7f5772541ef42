use sqlparser::ast::{BinaryOperator, Expr, Value};

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `=`/`<>` comparisons against a string literal that ends in blanks:
    /// `code = 'AB '` becomes `rtrim(code) = 'AB'`; likewise `code IN ('AB ', 'C')` (every
    /// item a string literal) becomes `rtrim(code) IN ('AB', 'C')`.
    ///
    /// ## Why it differs on Databricks
    /// Redshift ignores trailing blanks when comparing CHAR and VARCHAR values (`'AB' = 'AB '`
    /// is true); Databricks compares them exactly. Trimming both sides keeps Redshift's result.
    /// The same difference applies to columns that *store* trailing blanks: with a column-type
    /// CSV (`--column-types`) RS268 trims CHAR/VARCHAR columns in comparisons; without one,
    /// compare such columns with `rtrim()` (or the `UTF8_BINARY_RTRIM` collation) by hand.
    ///
    /// ## Example
    /// ```sql
    /// SELECT * FROM t WHERE code = 'AB '
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT * FROM t WHERE rtrim(code) = 'AB'
    /// ```
    pub struct TrailingBlanks;
    code: "RS267",
    name: "trailing-blanks",
    summary: "Comparisons with literals ending in blanks trim both sides (Redshift ignores trailing blanks)",
    confidence: Exact,
    databricks_invalid: false,
}

fn blank_literal(e: &Expr) -> Option<sqlparser::tokenizer::Span> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) if s.ends_with(' ') => Some(v.span),
            _ => None,
        },
        _ => None,
    }
}

impl Rule for TrailingBlanks {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        if let Expr::InList { expr, list, .. } = e {
            in_list(cx, expr, list);
            return;
        }
        let Expr::BinaryOp { left, op, right } = e else {
            return;
        };
        if !matches!(op, BinaryOperator::Eq | BinaryOperator::NotEq) {
            return;
        }
        let (lit, other) = match (blank_literal(left), blank_literal(right)) {
            (None, Some(l)) => (l, left),
            (Some(l), None) => (l, right),
            _ => return,
        };
        let (Some(lit_range), Some(other_range)) = (cx.range(lit), cx.expr_range(other)) else {
            return;
        };
        cx.fix(
            other_range.clone(),
            vec!["rtrim(".into(), other_range.into(), ")".into()],
            "Redshift ignores trailing blanks in string comparisons; Databricks does not",
        );
        strip_blanks(cx, lit_range);
    }
}

/// Removes the blanks before the closing quote of the literal at `lit_range`.
fn strip_blanks(cx: &mut Checker<'_, '_>, lit_range: std::ops::Range<usize>) {
    let text = cx.slice(&lit_range);
    // The literal's source ends with `<blanks>'`; keep everything before the blanks.
    let trimmed_len = text[..text.len() - 1].trim_end_matches(' ').len();
    cx.fix(
        lit_range.start + trimmed_len..lit_range.end - 1,
        vec![],
        "trailing blanks removed from the compared literal",
    );
}

/// `x [NOT] IN ('a ', 'b')`: IN is a chain of `=` comparisons, so the same trimming applies.
/// Only when every item is a string literal: a column item could hold trailing blanks too,
/// which the tool cannot see.
fn in_list(cx: &mut Checker<'_, '_>, expr: &Expr, list: &[Expr]) {
    if !list.iter().all(|e| Checker::string_literal(e).is_some()) {
        return;
    }
    let blanks: Vec<_> = list.iter().filter_map(blank_literal).collect();
    if blanks.is_empty() {
        return;
    }
    let Some(expr_range) = cx.expr_range(expr) else {
        return;
    };
    let Some(ranges) = blanks
        .into_iter()
        .map(|s| cx.range(s))
        .collect::<Option<Vec<_>>>()
    else {
        return;
    };
    cx.fix(
        expr_range.clone(),
        vec!["rtrim(".into(), expr_range.into(), ")".into()],
        "Redshift ignores trailing blanks in string comparisons (IN compares with =); Databricks \
         does not",
    );
    for r in ranges {
        strip_blanks(cx, r);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn both_sides_are_trimmed() {
        assert_eq!(
            out("SELECT * FROM t WHERE code = 'AB  ' OR 'x ' <> c"),
            "SELECT * FROM t WHERE rtrim(code) = 'AB' OR 'x' <> rtrim(c)"
        );
    }

    #[test]
    fn in_lists_of_literals_are_trimmed() {
        assert_eq!(
            out("SELECT * FROM t WHERE code IN ('AB ', 'C') AND k NOT IN ('x  ')"),
            "SELECT * FROM t WHERE rtrim(code) IN ('AB', 'C') AND rtrim(k) NOT IN ('x')"
        );
        // A column item may hold blanks the tool cannot see: left alone.
        let mixed = "SELECT * FROM t WHERE code IN ('AB ', other)";
        assert_eq!(out(mixed), mixed);
        let plain = "SELECT * FROM t WHERE code IN ('AB', 'C')";
        assert_eq!(out(plain), plain);
    }
}
