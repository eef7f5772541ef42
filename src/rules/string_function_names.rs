use sqlparser::ast::{Expr, FunctionArguments};

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Renames Redshift string functions that Databricks has under another name with the same
    /// arguments and result: `STRPOS(s, sub)` → `instr(s, sub)`, `REPLICATE(s, n)` →
    /// `repeat(s, n)`, `TEXTLEN(s)` → `length(s)`. (Two-argument LTRIM/RTRIM, whose arguments
    /// Databricks reverses, have their own rule, RS255.)
    ///
    /// ## Why it differs on Databricks
    /// The Redshift names do not exist there (the query fails). Both positions are 1-based and 0
    /// when absent.
    ///
    /// ## Example
    /// ```sql
    /// SELECT STRPOS(email, '@'), REPLICATE('-', 10) FROM users
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT instr(email, '@'), repeat('-', 10) FROM users
    /// ```
    pub struct StringFunctionNames;
    code: "RS204",
    name: "string-function-names",
    summary: "STRPOS → instr, REPLICATE → repeat, TEXTLEN → length",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for StringFunctionNames {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let FunctionArguments::List(list) = &f.args else {
            return;
        };
        let name = Checker::fn_name(f);
        let (new, n) = match name.as_str() {
            "STRPOS" => ("instr", 2),
            "REPLICATE" => ("repeat", 2),
            "TEXTLEN" => ("length", 1),
            _ => return,
        };
        if list.args.len() != n {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        cx.fix_in(
            Self::INFO.confidence,
            call.range.clone(),
            call.name,
            vec![new.into()],
            format!("this function is {new} on Databricks"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn renames() {
        assert_eq!(
            out("SELECT STRPOS(e, '@'), replicate('-', 3), TEXTLEN(s)"),
            "SELECT instr(e, '@'), repeat('-', 3), length(s)"
        );
    }
}
