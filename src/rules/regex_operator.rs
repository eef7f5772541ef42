use sqlparser::ast::{BinaryOperator, Expr};
use sqlparser::tokenizer::Token;

use super::regex_args::pattern_pieces;
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Rewrites the POSIX regex operators: `s ~ p` → `s RLIKE p`, `s !~ p` → `s NOT RLIKE p`,
    /// `s ~* p` / `s !~* p` → the same with `(?i)` put in front of the pattern literal. POSIX
    /// bracket classes in the pattern (`[[:digit:]]`) are RS274's, which composes with this rule.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `~` operators (other tools emit `REGEXP_ILIKE`, which does not exist).
    /// Both match anywhere in the string.
    ///
    /// ## Example
    /// ```sql
    /// SELECT * FROM t WHERE ua ~* 'iphone|android' AND code ~ '^[[:digit:]]+$'
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT * FROM t WHERE ua RLIKE '(?i)iphone|android' AND code RLIKE '^[\\d]+$'
    /// ```
    pub struct RegexOperator;
    code: "RS202",
    name: "regex-operator",
    summary: "~ ~* !~ !~* become RLIKE / NOT RLIKE (with (?i) for the case-insensitive forms)",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for RegexOperator {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::BinaryOp { left, op, right } = e else {
            return;
        };
        let (neg, icase) = match op {
            BinaryOperator::PGRegexMatch => (false, false),
            BinaryOperator::PGRegexIMatch => (false, true),
            BinaryOperator::PGRegexNotMatch => (true, false),
            BinaryOperator::PGRegexNotIMatch => (true, true),
            _ => return,
        };
        let (Some(ls), Some(rs)) = (cx.expr_start(left), cx.expr_start(right)) else {
            return;
        };
        let toks = cx.tokens;
        let (li, ri) = (toks.at(ls), toks.at(rs));
        let Some(opi) = (li..ri).rev().find(|&k| {
            matches!(
                toks.toks[k].token,
                Token::Tilde
                    | Token::TildeAsterisk
                    | Token::ExclamationMarkTilde
                    | Token::ExclamationMarkTildeAsterisk
            )
        }) else {
            return;
        };
        let op_range = toks.toks[opi].start..toks.toks[opi].end;
        let Some(pat) = cx.expr_range(right) else {
            cx.report(
                op_range,
                "regex operator with a pattern the tool cannot delimit; use RLIKE by hand",
                None,
            );
            return;
        };
        let literal = Checker::string_literal(right).is_some() && cx.slice(&pat).starts_with('\'');
        if icase && !literal {
            cx.report(
                op_range.start..pat.end,
                "case-insensitive regex on a non-literal pattern: write RLIKE concat('(?i)', pattern)",
                None,
            );
            return;
        }
        if cx.has_jinja(&pat) && icase {
            cx.jinja_hides(op_range.start..pat.end, "the regex pattern");
            return;
        }
        let word = if neg { "NOT RLIKE" } else { "RLIKE" };
        let span = toks.toks[li].start..pat.end;
        if icase {
            // The pattern body stays a source piece, so RS274's class rewrites inside it compose.
            let Some(pattern) = pattern_pieces(cx.slice(&pat), &pat, true) else {
                cx.report(
                    op_range.start..pat.end,
                    "case-insensitive regex: write RLIKE with '(?i)' in front of the pattern",
                    None,
                );
                return;
            };
            let mut pieces = vec![word.into(), Piece::Src(op_range.end..pat.start)];
            pieces.extend(pattern);
            cx.fix_in(
                Self::INFO.confidence,
                span,
                op_range.start..pat.end,
                pieces,
                "Databricks has no ~ operators; RLIKE (Java regex)",
            );
        } else {
            cx.fix_in(
                Self::INFO.confidence,
                span,
                op_range,
                vec![word.into()],
                "Databricks has no ~ operators; RLIKE (Java regex)",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn operators_and_classes() {
        assert_eq!(
            out("SELECT * FROM t WHERE ua ~* 'iphone|android' AND code ~ '^[[:digit:]]+$' AND x !~ y AND z !~* 'a'"),
            "SELECT * FROM t WHERE ua RLIKE '(?i)iphone|android' AND code RLIKE '^[\\\\d]+$' AND x NOT RLIKE y AND z NOT RLIKE '(?i)a'"
        );
    }

    #[test]
    fn posix_classes_in_regexp_functions() {
        assert_eq!(
            out("SELECT REGEXP_SUBSTR(s, '[[:digit:]]+'), REGEXP_COUNT(s, '[[:space:]]')"),
            // REGEXP_SUBSTR itself is RS270's; this rule only rewrites the class.
            "SELECT regexp_extract(s, '[\\\\d]+', 0), REGEXP_COUNT(s, '[\\\\s]')"
        );
    }

    #[test]
    fn icase_on_column_pattern_is_reported() {
        assert_eq!(codes("SELECT a ~* b FROM t"), vec!["RS202"]);
    }
}
