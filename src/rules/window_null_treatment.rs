use sqlparser::ast::{Expr, FunctionArgumentClause, FunctionArguments};
use sqlparser::keywords::Keyword;

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Moves `IGNORE NULLS` / `RESPECT NULLS` written inside the parentheses of `FIRST_VALUE` and
    /// `LAST_VALUE` after the closing parenthesis: `FIRST_VALUE(x IGNORE NULLS) OVER (…)` →
    /// `FIRST_VALUE(x) IGNORE NULLS OVER (…)`.
    ///
    /// ## Why it differs on Databricks
    /// Redshift accepts the null treatment inside the call (its older documented form) as well
    /// as after it; Databricks only after it, and rejects the inside form with a syntax error.
    /// The meaning is the same: the first (last) non-NULL value of the frame. `LAG`, `LEAD` and
    /// `NTH_VALUE` take the null treatment after the call in both dialects already.
    ///
    /// ## Example
    /// ```sql
    /// SELECT FIRST_VALUE(v IGNORE NULLS) OVER (ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM r
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT FIRST_VALUE(v) IGNORE NULLS OVER (ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM r
    /// ```
    pub struct WindowNullTreatment;
    code: "RS355",
    name: "window-null-treatment",
    summary: "FIRST_VALUE/LAST_VALUE(x IGNORE NULLS) becomes FIRST_VALUE(x) IGNORE NULLS",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for WindowNullTreatment {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let FunctionArguments::List(list) = &f.args else {
            return;
        };
        if !list
            .clauses
            .iter()
            .any(|c| matches!(c, FunctionArgumentClause::IgnoreOrRespectNulls(_)))
        {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        let toks = cx.tokens;
        // `NULLS` is the last token before `)`, `IGNORE`/`RESPECT` the one before it.
        let close = call.close;
        let Some(nulls) = toks.prev_sig(close, call.open) else {
            return;
        };
        let Some(kw) = toks.prev_sig(nulls, call.open) else {
            return;
        };
        let Some(expr_end) = toks.prev_sig(kw, call.open) else {
            return;
        };
        if !toks.toks[nulls].is_keyword(Keyword::NULLS)
            || !(toks.toks[kw].is_keyword(Keyword::IGNORE)
                || toks.toks[kw].is_keyword(Keyword::RESPECT))
            || expr_end == call.open
        {
            cx.report(
                call.full.clone(),
                "IGNORE/RESPECT NULLS inside the call: Databricks takes it after the closing \
                 parenthesis (f(x) IGNORE NULLS OVER (…)); move it by hand",
                None,
            );
            return;
        }
        let clause = toks.toks[kw].start..toks.toks[nulls].end;
        cx.fix_in(
            Self::INFO.confidence,
            call.full.clone(),
            toks.toks[expr_end].end..toks.toks[close].end,
            vec![")".into(), " ".into(), Piece::Src(clause)],
            "Databricks takes IGNORE/RESPECT NULLS after the call's parentheses, not inside",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, fix, out};

    #[test]
    fn null_treatment_moves_after_the_parenthesis() {
        let t = fix("SELECT FIRST_VALUE(v IGNORE NULLS) OVER (PARTITION BY g ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), last_value( a + 1  respect nulls ) OVER () FROM r");
        assert_eq!(
            t.output,
            "SELECT FIRST_VALUE(v) IGNORE NULLS OVER (PARTITION BY g ORDER BY t NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), last_value( a + 1) respect nulls OVER () FROM r"
        );
        let ours: Vec<_> = t.findings.iter().filter(|f| f.code == "RS355").collect();
        assert_eq!(ours.len(), 2);
        assert!(ours.iter().all(|f| f.applied));
    }

    #[test]
    fn the_databricks_spelling_is_left_alone() {
        let sql = "SELECT FIRST_VALUE(v) IGNORE NULLS OVER (ORDER BY t NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), LAG(v) IGNORE NULLS OVER (ORDER BY t NULLS LAST) FROM r";
        assert_eq!(out(sql), sql);
        assert!(!codes(sql).contains(&"RS355"));
    }
}
