use sqlparser::ast::{DataType, Expr};

use super::args::plain_args;
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::Runtime;

crate::rule! {
    /// ## What it does
    /// Rewrites `LEN(x)` to `length(x)` when the target runtime is older than 11.3 (where `len`
    /// appeared), and wraps the argument of `LEN`/`LENGTH`/`CHAR_LENGTH`/`CHARACTER_LENGTH` in
    /// `rtrim()` when it is visibly a `CHAR` value (`x::char(n)`, `CAST(x AS CHAR(n))`).
    /// (`TEXTLEN` is renamed by the string-function-names rule.)
    ///
    /// ## Why it differs on Databricks
    /// Both count characters, but Redshift ignores the trailing blanks of `CHAR` values, and
    /// Databricks counts them. The trailing-blank
    /// difference also applies to `CHAR` *columns*, whose type this tool cannot see: check
    /// `LEN`/`LENGTH` over `CHAR` columns by hand.
    ///
    /// ## Example
    /// ```sql
    /// SELECT LEN(code::char(8)) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT LEN(rtrim(code::char(8))) FROM t
    /// ```
    pub struct Textlen;
    code: "RS250",
    name: "length-functions",
    summary: "LEN becomes length() below DBR 11.3; CHAR arguments get rtrim() (Redshift ignores their trailing blanks)",
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
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let name = Checker::fn_name(f);
        let known = ["LEN", "LENGTH", "CHAR_LENGTH", "CHARACTER_LENGTH"];
        if !known.contains(&name.as_str()) {
            return;
        }
        let Some(args) = plain_args(f) else { return };
        if args.len() != 1 {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        let rename = name == "LEN" && cx.opts.runtime < Runtime(11, 3);
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
    fn char_argument_gets_rtrim_and_old_runtimes_get_length() {
        assert_eq!(
            out("SELECT LEN(CAST(code AS CHAR(8))) FROM t"),
            "SELECT LEN(rtrim(CAST(code AS string))) FROM t"
        );
        let opts = crate::sql::TranslateOptions {
            runtime: crate::sql::Runtime(10, 4),
            ..Default::default()
        };
        assert_eq!(
            crate::sql::translate("SELECT LEN(name) FROM t", &opts).output,
            "SELECT length(name) FROM t"
        );
    }

    #[test]
    fn len_of_a_plain_column_is_left_alone_on_current_runtimes() {
        assert_eq!(out("SELECT LEN(name) FROM t"), "SELECT LEN(name) FROM t");
        assert!(codes("SELECT LEN(name) FROM t").is_empty());
    }
}
