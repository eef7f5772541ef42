use sqlparser::ast::Expr;

use super::args::plain_args;
use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports `REGEXP_INSTR` calls with more than two arguments (position, occurrence, option,
    /// parameters). The two-argument form is the same on Databricks and is left alone.
    ///
    /// ## Why it differs on Databricks
    /// Databricks' `regexp_instr` takes only `(str, regexp)`. Occurrence, end-position (`option`
    /// 1) and subexpression (`e`) semantics need manual arithmetic with `regexp_extract_all`
    /// and `locate`; the tool does not guess it.
    ///
    /// ## Example
    /// ```sql
    /// SELECT REGEXP_INSTR(s, '[0-9]+', 1, 2) FROM t
    /// ```
    ///
    /// ## Use instead
    /// Rewrite by hand, e.g. for the n-th match start: locate the n-th element of
    /// `regexp_extract_all(s, p, 0)` after the end of the previous one.
    pub struct RegexpInstr;
    code: "RS273",
    name: "regexp-instr",
    summary: "REGEXP_INSTR with position/occurrence/option/flags has no Databricks form; reported",
    confidence: Review,
    databricks_invalid: true,
}

impl Rule for RegexpInstr {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "REGEXP_INSTR" {
            return;
        }
        let Some(args) = plain_args(f) else { return };
        if args.len() <= 2 {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        cx.report(
            call.range,
            "Databricks regexp_instr takes only (str, regexp): rewrite position, occurrence, \
             option and flags by hand, e.g. for a start position: CASE WHEN \
             regexp_instr(substr(s, pos), re) > 0 THEN regexp_instr(substr(s, pos), re) + pos - 1 \
             ELSE 0 END",
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn extra_arguments_are_reported() {
        let sql = "SELECT REGEXP_INSTR(s, 'a', 1, 2) FROM t";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS273"]);
        assert!(codes("SELECT REGEXP_INSTR(s, 'a') FROM t").is_empty());
    }
}
