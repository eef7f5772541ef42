use sqlparser::ast::{DataType, Expr};

use super::args::plain_args;
use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;
use crate::sql::Runtime;

crate::rule! {
    /// ## What it does
    /// Rewrites Redshift's length functions to Databricks `length(x)`: `TEXTLEN(x)` always,
    /// `LEN(x)` when the target runtime is older than 11.3 (where `len` appeared). When the
    /// argument is visibly a `CHAR` value (`x::char(n)`, `CAST(x AS CHAR(n))`, `bpchar`), the
    /// rewrite is `length(rtrim(x))`.
    ///
    /// ## Why it differs on Databricks
    /// Both count characters, but Redshift ignores the trailing blanks of `CHAR` values, and
    /// Databricks counts them. `TEXTLEN` does not exist on Databricks. The trailing-blank
    /// difference also applies to `CHAR` *columns*, whose type this tool cannot see: check
    /// `LEN`/`LENGTH` over `CHAR` columns by hand.
    ///
    /// ## Example
    /// ```sql
    /// SELECT TEXTLEN(name), LEN(code::char(8)) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT length(name), LEN(rtrim(code::char(8))) FROM t
    /// ```
    pub struct Textlen;
    code: "RS250",
    name: "length-functions",
    summary: "TEXTLEN/LEN become length(); CHAR arguments get rtrim() (Redshift ignores their trailing blanks)",
    confidence: Exact,
    databricks_invalid: false,
}

fn is_char_cast(e: &Expr) -> bool {
    match e {
        Expr::Cast { data_type, .. } => {
            matches!(data_type, DataType::Char(_) | DataType::Character(_))
                || matches!(data_type, DataType::Custom(n, _) if n.to_string().eq_ignore_ascii_case("bpchar"))
        }
        Expr::Nested(inner) => is_char_cast(inner),
        _ => false,
    }
}

impl Rule for Textlen {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let name = Checker::fn_name(f);
        let known = [
            "TEXTLEN",
            "LEN",
            "LENGTH",
            "CHAR_LENGTH",
            "CHARACTER_LENGTH",
        ];
        if !known.contains(&name.as_str()) {
            return;
        }
        let Some(args) = plain_args(f) else { return };
        if args.len() != 1 {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        let rename = name == "TEXTLEN" || (name == "LEN" && cx.opts.runtime < Runtime(11, 3));
        let char_arg = is_char_cast(args[0]);
        if !rename && !char_arg {
            return;
        }
        let arg = call.args[0].clone();
        let mut pieces = vec![if rename {
            "length".into()
        } else {
            call.name.clone().into()
        }];
        pieces.push((call.name.end..arg.start).into());
        if char_arg {
            pieces.extend(["rtrim(".into(), arg.clone().into(), ")".into()]);
        } else {
            pieces.push(arg.clone().into());
        }
        pieces.push((arg.end..call.range.end).into());
        let msg = if char_arg {
            "Redshift ignores trailing blanks of CHAR values in length(); Databricks counts them"
        } else {
            "this length function does not exist on the target runtime; length() counts the same"
        };
        cx.fix(call.range, pieces, msg);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn textlen_becomes_length_and_char_gets_rtrim() {
        assert_eq!(
            out("SELECT TEXTLEN(name), LEN(code::char(8)) FROM t"),
            "SELECT length(name), LEN(rtrim(code::char(8))) FROM t"
        );
    }

    #[test]
    fn len_of_a_plain_column_is_left_alone_on_current_runtimes() {
        assert_eq!(out("SELECT LEN(name) FROM t"), "SELECT LEN(name) FROM t");
        assert!(codes("SELECT LEN(name) FROM t").is_empty());
    }
}
