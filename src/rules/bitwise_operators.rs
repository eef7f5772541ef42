use sqlparser::ast::{BinaryOperator, Expr};
use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites Redshift's bitwise XOR `a # b` to `a ^ b`, and the shifts `a << n` / `a >> n` to
    /// `shiftleft(a, n)` / `shiftright(a, n)`. `&`, `|` and `~` are the same on Databricks.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `#` operator (XOR is `^`) and no `<<`/`>>` operators on older runtimes.
    /// Operator precedence differs between the dialects (Databricks binds `&` tighter than `^`
    /// and `|`; Redshift gives them equal precedence), so mixed bitwise expressions without
    /// parentheses are reported instead of rewritten.
    ///
    /// ## Example
    /// ```sql
    /// SELECT flags # mask, flags << 2 FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT flags ^ mask, shiftleft(flags, 2) FROM t
    /// ```
    pub struct BitwiseOperators;
    code: "RS653",
    name: "bitwise-operators",
    summary: "# (XOR), << and >> become ^, shiftleft() and shiftright()",
    confidence: Exact,
    databricks_invalid: true,
}

fn is_bitwise(op: &BinaryOperator) -> bool {
    matches!(
        op,
        BinaryOperator::BitwiseAnd
            | BinaryOperator::BitwiseOr
            | BinaryOperator::PGBitwiseXor
            | BinaryOperator::BitwiseXor
            | BinaryOperator::PGBitwiseShiftLeft
            | BinaryOperator::PGBitwiseShiftRight
    )
}

impl Rule for BitwiseOperators {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::BinaryOp { left, op, right } = e else {
            return;
        };
        let shift = !matches!(op, BinaryOperator::PGBitwiseXor);
        if shift && cx.opts.dialect == crate::sql::SourceDialect::Databricks {
            return; // recent Databricks runtimes have << and >> themselves
        }
        let (sym, func) = match op {
            BinaryOperator::PGBitwiseXor => (Token::Sharp, None),
            BinaryOperator::PGBitwiseShiftLeft => (Token::ShiftLeft, Some("shiftleft")),
            BinaryOperator::PGBitwiseShiftRight => (Token::ShiftRight, Some("shiftright")),
            _ => return,
        };
        let (Some(l), Some(r)) = (cx.expr_range(left), cx.expr_range(right)) else {
            report(cx, left, right, "its operands are too complex to delimit");
            return;
        };
        let mixed = [left.as_ref(), right.as_ref()]
            .iter()
            .any(|x| matches!(x, Expr::BinaryOp { op: o, .. } if is_bitwise(o) && o != op));
        if mixed {
            cx.report(
                l.start..r.end,
                "mixed bitwise operators without parentheses: \
                precedence differs on Databricks; add parentheses",
                None,
            );
            return;
        }
        let toks = cx.tokens;
        let Some(opi) = (toks.at(l.end)..toks.at(r.start)).find(|&i| toks.toks[i].token == sym)
        else {
            return;
        };
        match func {
            None => cx.fix(
                toks.toks[opi].start..toks.toks[opi].end,
                vec!["^".into()],
                "Redshift's XOR operator # is ^ on Databricks",
            ),
            Some(name) => cx.fix(
                l.start..r.end,
                vec![
                    format!("{name}(").into(),
                    l.into(),
                    ", ".into(),
                    r.into(),
                    ")".into(),
                ],
                format!("bit shifts are {name}() on Databricks"),
            ),
        }
    }
}

fn report(cx: &mut Checker<'_, '_>, left: &Expr, right: &Expr, why: &str) {
    let (Some(a), Some(b)) = (first_byte(cx, left), first_byte(cx, right)) else {
        return;
    };
    cx.report(
        a..b,
        format!(
            "Redshift bitwise operator (#, << or >>) not rewritten because {why}; use ^, \
                 shiftleft() or shiftright()"
        ),
        None,
    );
}

fn first_byte(cx: &Checker<'_, '_>, e: &Expr) -> Option<usize> {
    use sqlparser::ast::Spanned;
    cx.range(e.span()).map(|r| r.start)
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn xor_and_shifts() {
        assert_eq!(
            out("SELECT flags # mask, flags << 2, x >> 1 FROM t"),
            "SELECT flags ^ mask, shiftleft(flags, 2), shiftright(x, 1) FROM t"
        );
    }
}
