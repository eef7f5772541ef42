//! Argument helpers shared by rules that the engine's `Checker` lacks: the positional
//! arguments of a plain call and integer literals (string literals: `Checker::string_literal`).

use sqlparser::ast::{Expr, Function, FunctionArguments, UnaryOperator, Value};

/// The positional arguments of a plain call `f(a, b, …)`; `None` when the call has DISTINCT,
/// named arguments, clauses inside the parentheses, or an OVER/FILTER/WITHIN GROUP tail, which
/// the rules using this do not handle.
pub fn plain_args(f: &Function) -> Option<Vec<&Expr>> {
    if f.over.is_some() || f.filter.is_some() || !f.within_group.is_empty() {
        return None;
    }
    if f.null_treatment.is_some() {
        return None;
    }
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    if list.duplicate_treatment.is_some() || !list.clauses.is_empty() {
        return None;
    }
    crate::sql::types::call_args(f)
}

/// `e` as a plain call (see [`plain_args`]) of the built-in `name` (upper case, unquoted) with a
/// number of arguments in `arity`: the call and its arguments. The opening of most rules that
/// rewrite one function.
pub fn plain_call<'e>(
    e: &'e Expr,
    name: &str,
    arity: std::ops::RangeInclusive<usize>,
) -> Option<(&'e Function, Vec<&'e Expr>)> {
    let Expr::Function(f) = e else { return None };
    if crate::sql::checker::Checker::fn_name(f) != name {
        return None;
    }
    let args = plain_args(f)?;
    arity.contains(&args.len()).then_some((f, args))
}

/// The value of an integer literal, signed or parenthesised (`3`, `-2`, `(1)`).
pub fn int_literal(e: &Expr) -> Option<i64> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse().ok(),
            _ => None,
        },
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => int_literal(expr).map(|n| -n),
        Expr::UnaryOp {
            op: UnaryOperator::Plus,
            expr,
        } => int_literal(expr),
        Expr::Nested(inner) => int_literal(inner),
        _ => None,
    }
}

/// Whether the source text of an expression calls a function whose value changes per row or
/// per call, so that repeating the expression in a rewrite would change the result.
pub fn nondeterministic(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    ["random", "rand(", "randn(", "uuid(", "shuffle("]
        .iter()
        .any(|w| t.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(sql: &str) -> Expr {
        sqlparser::parser::Parser::new(&sqlparser::dialect::RedshiftSqlDialect {})
            .try_with_sql(sql)
            .unwrap()
            .parse_expr()
            .unwrap()
    }

    #[test]
    fn plain_call_takes_the_named_call_with_its_arity_only() {
        let count = |sql: &str| plain_call(&expr(sql), "NEXT_DAY", 2..=2).map(|(_, a)| a.len());
        assert_eq!(count("next_day(d, 'mon')"), Some(2));
        assert_eq!(count("next_day(d)"), None);
        assert_eq!(count("other(d, 'mon')"), None);
        assert_eq!(
            count("\"next_day\"(d, 'mon')"),
            None,
            "a quoted name is a user function"
        );
        assert_eq!(count("next_day(d, 'mon') over ()"), None);
        assert_eq!(count("x + 1"), None);
    }

    #[test]
    fn nondeterministic_calls_are_spotted() {
        assert!(nondeterministic("x * RANDOM()"));
        assert!(!nondeterministic("price * qty"));
    }
}
