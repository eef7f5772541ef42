use sqlparser::ast::{BinaryOperator, DataType, Expr, UnaryOperator, Value};
use sqlparser::tokenizer::Token;

use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `a / b` to `a div b` when both operands are visibly integers (integer literals,
    /// `COUNT(…)`, casts to integer types, `LENGTH`, ranking functions), and reports every other
    /// division whose operands could both be integers.
    ///
    /// ## Why it differs on Databricks
    /// In Redshift `integer / integer` is an integer truncated toward zero (`7 / 2` = 3); in
    /// Databricks `/` always returns a fraction (`7 / 2` = 3.5). Conversion rates and averages
    /// built from counts silently change. `div` truncates toward zero like Redshift. When the
    /// operand types are unknown (columns, `SUM(…)`), only a person can tell.
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

fn kind(e: &Expr) -> Kind {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => {
                if n.chars().all(|c| c.is_ascii_digit()) {
                    Kind::Int
                } else {
                    Kind::NotInt
                }
            }
            Value::Null => Kind::Unknown,
            _ => Kind::NotInt,
        },
        Expr::Nested(inner) => kind(inner),
        Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        } => kind(expr),
        Expr::BinaryOp { left, op, right } => {
            let (l, r) = (kind(left), kind(right));
            match op {
                BinaryOperator::Plus
                | BinaryOperator::Minus
                | BinaryOperator::Multiply
                | BinaryOperator::Modulo => {
                    if l == Kind::NotInt || r == Kind::NotInt {
                        Kind::NotInt
                    } else if l == Kind::Int && r == Kind::Int {
                        Kind::Int
                    } else {
                        Kind::Unknown
                    }
                }
                BinaryOperator::Divide => {
                    if l == Kind::NotInt || r == Kind::NotInt {
                        Kind::NotInt
                    } else {
                        Kind::Unknown
                    }
                }
                _ => Kind::Unknown,
            }
        }
        Expr::Cast { data_type, .. } => match data_type {
            DataType::Int(_)
            | DataType::Integer(_)
            | DataType::BigInt(_)
            | DataType::SmallInt(_)
            | DataType::TinyInt(_)
            | DataType::Int2(_)
            | DataType::Int4(_)
            | DataType::Int8(_) => Kind::Int,
            DataType::Custom(..) => Kind::Unknown,
            _ => Kind::NotInt,
        },
        Expr::Function(f) => match Checker::fn_name(f).as_str() {
            "COUNT" | "LENGTH" | "LEN" | "CHAR_LENGTH" | "CHARACTER_LENGTH" | "OCTET_LENGTH"
            | "ROW_NUMBER" | "RANK" | "DENSE_RANK" | "NTILE" | "STRPOS" | "CHARINDEX" => Kind::Int,
            "AVG" | "PERCENTILE_CONT" | "MEDIAN" | "STDDEV" | "STDDEV_SAMP" | "STDDEV_POP"
            | "VARIANCE" | "VAR_SAMP" | "VAR_POP" | "RANDOM" | "SQRT" | "LN" | "LOG" | "EXP"
            | "POWER" | "DATE_PART" | "RATIO_TO_REPORT" | "CUME_DIST" | "PERCENT_RANK" => {
                Kind::NotInt
            }
            _ => Kind::Unknown,
        },
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) => Kind::Unknown,
        Expr::Case { .. } | Expr::Subquery(_) => Kind::Unknown,
        _ => Kind::Unknown,
    }
}

impl Rule for IntegerDivision {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::BinaryOp {
            left,
            op: BinaryOperator::Divide,
            right,
        } = e
        else {
            return;
        };
        let (l, r) = (kind(left), kind(right));
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
            cx.report(
                span,
                "if both operands are integers, Redshift truncates this division (7 / 2 = 3) and \
                 Databricks does not (3.5): write `div` for integers, or cast one side to decimal",
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

    #[test]
    fn unknown_is_reported_fractions_left_alone() {
        assert_eq!(codes("SELECT a / b FROM t"), vec!["RS601"]);
        assert_eq!(out("SELECT a / b FROM t"), "SELECT a / b FROM t");
        assert!(codes("SELECT a * 1.0 / b, AVG(x) / 2 FROM t").is_empty());
    }
}
