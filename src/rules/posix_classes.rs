use std::ops::Range;

use sqlparser::ast::{BinaryOperator, Expr};

use super::args::plain_args;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Translates POSIX bracket classes (`[:alpha:]`, `[:digit:]`, `[:space:]` …) inside the
    /// literal patterns of `REGEXP_SUBSTR`, `REGEXP_COUNT`, `REGEXP_REPLACE`, `REGEXP_INSTR`,
    /// `REGEXP_LIKE` and the `~` operators to Java classes (`\p{Alpha}`, `\d`, `\s` …). It
    /// composes with the rewrites of the function or operator around the pattern.
    ///
    /// ## Why it differs on Databricks
    /// Databricks uses Java regular expressions, which do not know POSIX classes: `[[:digit:]]`
    /// silently becomes the set of the characters `:`, `d`, `i`, `g`, `t`. The backslash is
    /// doubled because Databricks string literals, like Redshift's, consume one.
    ///
    /// ## Example
    /// ```sql
    /// SELECT REGEXP_COUNT(s, '[[:digit:]]+') FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT REGEXP_COUNT(s, '[\\d]+') FROM t
    /// ```
    pub struct PosixClasses;
    code: "RS274",
    name: "posix-classes",
    summary: "POSIX classes like [[:alpha:]] in regex function patterns become Java classes",
    confidence: Exact,
    databricks_invalid: false,
}

/// The Java class for a POSIX class name, as source text inside a SQL literal.
fn java_class(name: &str) -> Option<&'static str> {
    Some(match name {
        "alpha" => r"\\p{Alpha}",
        "digit" => r"\\d",
        "alnum" => r"\\p{Alnum}",
        "upper" => r"\\p{Upper}",
        "lower" => r"\\p{Lower}",
        "space" => r"\\s",
        "punct" => r"\\p{Punct}",
        "xdigit" => r"\\p{XDigit}",
        "blank" => r"\\p{Blank}",
        "cntrl" => r"\\p{Cntrl}",
        "print" => r"\\p{Print}",
        "graph" => r"\\p{Graph}",
        "word" => r"\\w",
        _ => return None,
    })
}

impl Rule for PosixClasses {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        match e {
            Expr::Function(f) => {
                let name = Checker::fn_name(f);
                let functions = [
                    "REGEXP_SUBSTR",
                    "REGEXP_COUNT",
                    "REGEXP_REPLACE",
                    "REGEXP_INSTR",
                    "REGEXP_LIKE",
                ];
                if !functions.contains(&name.as_str()) {
                    return;
                }
                let Some(args) = plain_args(f) else { return };
                if args.len() < 2 || Checker::string_literal(args[1]).is_none() {
                    return;
                }
                let Some(call) = cx.call(f) else { return };
                let lit = call.args[1].clone();
                rewrite_classes(cx, lit);
            }
            // `s ~ '[[:digit:]]'`: RS202 turns the operator into RLIKE and keeps the pattern
            // body as a source piece, so these edits land inside its rewrite.
            Expr::BinaryOp {
                op:
                    BinaryOperator::PGRegexMatch
                    | BinaryOperator::PGRegexIMatch
                    | BinaryOperator::PGRegexNotMatch
                    | BinaryOperator::PGRegexNotIMatch,
                right,
                ..
            } => {
                if Checker::string_literal(right).is_none() {
                    return;
                }
                let Some(lit) = cx.expr_range(right) else {
                    return;
                };
                rewrite_classes(cx, lit);
            }
            _ => {}
        }
    }
}

/// One edit per POSIX class inside a bracket expression of the pattern literal at `lit`.
fn rewrite_classes(cx: &mut Checker<'_, '_>, lit: Range<usize>) {
    let text = cx.slice(&lit).to_string();
    if !text.starts_with('\'') {
        return;
    }
    let mut from = 0;
    while let Some(i) = text[from..].find("[:") {
        let start = from + i;
        let Some(len) = text[start + 2..].find(":]") else {
            break;
        };
        let class = &text[start + 2..start + 2 + len];
        let end = start + 2 + len + 2;
        // Only inside a bracket expression: `[[:alpha:]]`, `[a[:digit:]]`.
        let inside = text[..start]
            .rfind('[')
            .is_some_and(|b| !text[b..start].contains(']'));
        if let (Some(java), true) = (java_class(class), inside) {
            cx.fix(
                lit.start + start..lit.start + end,
                vec![java.into()],
                format!("Java regexes have no POSIX class [:{class}:]"),
            );
        }
        from = end;
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn classes_inside_brackets_are_translated() {
        assert_eq!(
            out("SELECT REGEXP_COUNT(s, '[[:digit:]]+[[:alpha:]_]') FROM t"),
            r"SELECT REGEXP_COUNT(s, '[\\d]+[\\p{Alpha}_]') FROM t"
        );
    }

    #[test]
    fn composes_with_the_flag_rewrite() {
        assert_eq!(
            out("SELECT REGEXP_SUBSTR(s, '[[:upper:]]+', 1, 1, 'i') FROM t"),
            r"SELECT regexp_extract(s, '(?i)[\\p{Upper}]+', 0) FROM t"
        );
    }

    #[test]
    fn composes_with_the_function_rewrite_and_every_finding_is_applied() {
        let t =
            crate::rules::test_support::fix("SELECT REGEXP_SUBSTR('ab12cd', '[[:digit:]]+') AS s");
        assert_eq!(
            t.output,
            r"SELECT regexp_extract('ab12cd', '[\\d]+', 0) AS s"
        );
        assert!(t.findings.iter().all(|f| f.applied), "{:?}", t.findings);
        assert_eq!(
            t.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
            vec!["RS270", "RS274"]
        );
    }

    #[test]
    fn composes_with_the_operator_rewrites() {
        let t = crate::rules::test_support::fix(
            "SELECT * FROM t WHERE a ~* '^[[:alpha:]]+$' AND b !~ '[[:space:]]' AND c ~ '[:x:]'",
        );
        assert_eq!(
            t.output,
            r"SELECT * FROM t WHERE a RLIKE '(?i)^[\\p{Alpha}]+$' AND b NOT RLIKE '[\\s]' AND c RLIKE '[:x:]'"
        );
        assert!(t.findings.iter().all(|f| f.applied), "{:?}", t.findings);
    }

    #[test]
    fn classes_outside_brackets_and_unknown_classes_stay() {
        assert_eq!(
            out("SELECT REGEXP_COUNT(s, '[:digit:] [[:nope:]]') FROM t"),
            "SELECT REGEXP_COUNT(s, '[:digit:] [[:nope:]]') FROM t"
        );
    }
}
