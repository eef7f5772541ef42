use sqlparser::ast::{BinaryOperator, Expr};
use sqlparser::tokenizer::Token;

use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Rewrites the POSIX regex operators: `s ~ p` → `s RLIKE p`, `s !~ p` → `s NOT RLIKE p`,
    /// `s ~* p` / `s !~* p` → the same with `(?i)` put in front of the pattern literal. POSIX
    /// bracket classes in a pattern literal (`[[:digit:]]`, `[[:alpha:]]` …) become Java classes
    /// (`[\\d]`, `[\\p{Alpha}]`).
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `~` operators (other tools emit `REGEXP_ILIKE`, which does not exist).
    /// Both match anywhere in the string. Java regular expressions do not know POSIX classes:
    /// `[[:digit:]]` would match the characters `[ : d i g t ]`.
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
    summary: "~ ~* !~ !~* become RLIKE / NOT RLIKE (with (?i)); POSIX classes become Java classes",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for RegexOperator {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        // POSIX classes in the pattern of the REGEXP_* functions.
        if let Expr::Function(f) = e {
            if !Checker::fn_name(f).starts_with("REGEXP_") {
                return;
            }
            let Some(call) = cx.call(f) else { return };
            let Some(pat) = call.args.get(1).cloned() else {
                return;
            };
            let text = cx.slice(&pat);
            if !(text.len() >= 2
                && text.starts_with('\'')
                && text.ends_with('\'')
                && has_posix(text))
            {
                return;
            }
            if cx.has_jinja(&pat) {
                cx.jinja_hides(call.range, "the regex pattern");
                return;
            }
            let new = format!("'{}'", posix_to_java(&text[1..text.len() - 1]));
            cx.fix_in(
                Self::INFO.confidence,
                call.range.clone(),
                pat,
                vec![new.into()],
                "Java regular expressions do not know POSIX classes",
            );
            return;
        }
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
        if cx.has_jinja(&pat) && (icase || has_posix(cx.slice(&pat))) {
            cx.jinja_hides(op_range.start..pat.end, "the regex pattern");
            return;
        }
        let word = if neg { "NOT RLIKE" } else { "RLIKE" };
        let span = toks.toks[li].start..pat.end;
        if literal && (icase || has_posix(cx.slice(&pat))) {
            let body = &cx.slice(&pat)[1..pat.len() - 1];
            let new = format!(
                "'{}{}'",
                if icase { "(?i)" } else { "" },
                posix_to_java(body)
            );
            cx.fix_in(
                Self::INFO.confidence,
                span,
                op_range.start..pat.end,
                vec![word.into(), Piece::Src(op_range.end..pat.start), new.into()],
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

const CLASSES: &[(&str, &str)] = &[
    ("[:alpha:]", "\\\\p{Alpha}"),
    ("[:digit:]", "\\\\d"),
    ("[:alnum:]", "\\\\p{Alnum}"),
    ("[:upper:]", "\\\\p{Upper}"),
    ("[:lower:]", "\\\\p{Lower}"),
    ("[:space:]", "\\\\s"),
    ("[:punct:]", "\\\\p{Punct}"),
    ("[:xdigit:]", "\\\\p{XDigit}"),
    ("[:blank:]", "\\\\p{Blank}"),
    ("[:cntrl:]", "\\\\p{Cntrl}"),
    ("[:print:]", "\\\\p{Print}"),
    ("[:graph:]", "\\\\p{Graph}"),
];

/// Whether a pattern literal uses a POSIX bracket class.
pub(crate) fn has_posix(s: &str) -> bool {
    CLASSES.iter().any(|(p, _)| s.contains(p))
}

/// Replaces POSIX bracket classes (inside a bracket expression) with Java ones, written for a
/// SQL literal with backslash escapes.
pub(crate) fn posix_to_java(s: &str) -> String {
    let mut out = s.to_string();
    for (p, j) in CLASSES {
        out = out.replace(p, j);
    }
    out
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
