use std::ops::ControlFlow;

use sqlparser::ast::{Query, SetExpr, SetOperator, Statement, Visit, Visitor};

use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites the set operator `MINUS` to `EXCEPT`.
    ///
    /// ## Why it differs on Databricks
    /// `MINUS` is Redshift's synonym of `EXCEPT`. Databricks documents `EXCEPT` (recent Spark
    /// versions also accept `MINUS`); both remove duplicates, so the standard spelling is used.
    ///
    /// ## Example
    /// ```sql
    /// SELECT id FROM a MINUS SELECT id FROM b
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT id FROM a EXCEPT SELECT id FROM b
    /// ```
    pub struct MinusOperator;
    code: "RS450",
    name: "minus",
    summary: "MINUS becomes EXCEPT",
    confidence: Exact,
    databricks_invalid: false,
}

/// Finds a MINUS set operation anywhere in a statement.
struct FindMinus;

impl Visitor for FindMinus {
    type Break = ();
    fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<()> {
        if has_minus(&q.body) {
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }
}

fn has_minus(s: &SetExpr) -> bool {
    match s {
        SetExpr::SetOperation {
            op, left, right, ..
        } => *op == SetOperator::Minus || has_minus(left) || has_minus(right),
        _ => false,
    }
}

impl Rule for MinusOperator {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        if s.visit(&mut FindMinus).is_continue() {
            return;
        }
        // The operator has no span; MINUS is reserved in Redshift, so every unquoted MINUS word
        // of a statement that has a MINUS set operation is one.
        for i in cx.stmt.clone() {
            let t = &cx.tokens.toks[i];
            if t.is_word("MINUS") {
                cx.fix(
                    t.start..t.end,
                    vec!["EXCEPT".into()],
                    "MINUS is EXCEPT on Databricks",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn becomes_except() {
        assert_eq!(
            out(
                "SELECT id FROM a MINUS SELECT id FROM (SELECT id FROM b MINUS SELECT id FROM c) x"
            ),
            "SELECT id FROM a EXCEPT SELECT id FROM (SELECT id FROM b EXCEPT SELECT id FROM c) x"
        );
        assert_eq!(codes("SELECT 1 MINUS SELECT 2"), vec!["RS450"]);
    }
}
