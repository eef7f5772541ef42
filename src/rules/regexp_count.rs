use sqlparser::ast::Expr;

use super::args::{int_literal, plain_call};
use super::regex_args::{pattern_pieces, Flags};
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Rewrites `REGEXP_COUNT(s, p, position [, parameters])` to
    /// `regexp_count(substr(s, position), p)`, with the `i` flag as a `(?i)` prefix. The
    /// two-argument form is the same on Databricks and is left alone.
    ///
    /// ## Why it differs on Databricks
    /// Databricks' `regexp_count` (DBR 11.3+) takes only the string and the pattern. Counting
    /// in the suffix that starts at `position` is what Redshift's position means. Never use the
    /// `length(s) - length(regexp_replace(…))` trick: it is wrong for patterns that match more
    /// than one character.
    ///
    /// ## Example
    /// ```sql
    /// SELECT REGEXP_COUNT(s, 'ab', 3, 'i') FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT regexp_count(substr(s, 3), '(?i)ab') FROM t
    /// ```
    pub struct RegexpCount;
    code: "RS271",
    name: "regexp-count",
    summary: "REGEXP_COUNT with position/flags becomes regexp_count(substr(s, pos), [(?i)]p)",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for RegexpCount {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Some((f, args)) = plain_call(e, "REGEXP_COUNT", 3..=4) else {
            return;
        };
        let Some(call) = cx.call(f) else { return };
        let (Some(pos), Some(flags)) = (
            int_literal(args[2]),
            match args.get(3) {
                None => Some(Flags::default()),
                Some(a) => Checker::string_literal(a).and_then(Flags::parse),
            },
        ) else {
            cx.report(
                call.range,
                "REGEXP_COUNT with a non-literal position or unknown parameters is not \
                 translated; use regexp_count(substr(s, position), pattern) by hand",
                None,
            );
            return;
        };
        let p_range = call.args[1].clone();
        let Some(p) = pattern_pieces(cx.slice(&p_range), &p_range, flags.insensitive) else {
            return;
        };
        let s = call.args[0].clone();
        let mut pieces: Vec<Piece> = vec!["regexp_count(".into()];
        if pos > 1 {
            pieces.extend(["substr(".into(), s.into(), format!(", {pos})").into()]);
        } else {
            pieces.push(s.into());
        }
        pieces.push(", ".into());
        pieces.extend(p);
        pieces.push(")".into());
        cx.fix(
            call.range,
            pieces,
            "Databricks regexp_count takes no position or flags; encoded with substr and (?i)",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn position_and_flags_are_encoded() {
        assert_eq!(
            out("SELECT REGEXP_COUNT(s, 'ab', 3, 'i') FROM t"),
            "SELECT regexp_count(substr(s, 3), '(?i)ab') FROM t"
        );
        assert_eq!(
            out("SELECT REGEXP_COUNT(s, 'ab', 1) FROM t"),
            "SELECT regexp_count(s, 'ab') FROM t"
        );
    }

    #[test]
    fn two_arguments_are_left_alone() {
        assert_eq!(
            out("SELECT REGEXP_COUNT(s, 'a')"),
            "SELECT REGEXP_COUNT(s, 'a')"
        );
        assert!(codes("SELECT REGEXP_COUNT(s, 'a')").is_empty());
    }
}
