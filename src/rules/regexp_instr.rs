use sqlparser::ast::Expr;

use super::args::{int_literal, plain_call};
use super::regex_args::Flags;
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Rewrites `REGEXP_INSTR(s, p, position, occurrence, option, parameters)` with literal
    /// arguments. The first match: `regexp_instr(substr(s, position), p)` shifted back by
    /// `position - 1` (plus the match's length for option 1). The n-th match (n > 1): the length
    /// of the text before it, found by a regex that steps over the first n - 1 matches one by
    /// one (each an atomic group, so it never re-splits an earlier match the way a plain regex
    /// would backtrack). The two-argument form is the same on Databricks and is left alone.
    ///
    /// ## Why it differs on Databricks
    /// Databricks' `regexp_instr` takes only `(str, regexp)`. Reported instead: non-literal
    /// arguments, the `e` (subexpression) parameter, and occurrences above 1 of a pattern that
    /// may match the empty string (successive empty matches are counted differently).
    ///
    /// ## Example
    /// ```sql
    /// SELECT REGEXP_INSTR(s, '[0-9]+', 1, 1, 1), REGEXP_INSTR(s, '[0-9]', 1, 2) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT CASE WHEN regexp_instr(s, '[0-9]+') > 0 THEN regexp_instr(s, '[0-9]+') + length(regexp_extract(s, '[0-9]+', 0)) ELSE regexp_instr(s, '[0-9]+') END,
    ///        CASE WHEN s RLIKE '^((?:(?>[\\s\\S]*?(?>[0-9]))){1}[\\s\\S]*?)(?=[0-9])' THEN length(regexp_extract(s, '^((?:(?>[\\s\\S]*?(?>[0-9]))){1}[\\s\\S]*?)(?=[0-9])', 1)) + 1 WHEN s IS NOT NULL THEN 0 END FROM t
    /// ```
    pub struct RegexpInstr;
    code: "RS273",
    name: "regexp-instr",
    summary: "REGEXP_INSTR with position/occurrence/option/flags becomes regexp_instr/regexp_extract arithmetic",
    confidence: Exact,
    databricks_invalid: true,
}

impl Rule for RegexpInstr {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Some((f, args)) = plain_call(e, "REGEXP_INSTR", 3..=6) else {
            return;
        };
        let Some(call) = cx.call(f) else { return };
        let hand = "rewrite by hand: the n-th match starts at length(regexp_extract(s, \
                    '^((?:(?>[\\\\s\\\\S]*?(?>p))){n-1}[\\\\s\\\\S]*?)(?=p)', 1)) + 1 when s RLIKE \
                    that regex, else 0";
        let lit = |i: usize, min: i64| args.get(i).map(|a| int_literal(a).filter(|v| *v >= min));
        let (pos, occ, option) = match (lit(2, i64::MIN), lit(3, 1), lit(4, 0)) {
            (Some(Some(p)), o, op)
                if !matches!(o, Some(None)) && !matches!(op, Some(None) | Some(Some(2..))) =>
            {
                (
                    p.max(1),
                    o.flatten().unwrap_or(1),
                    op.flatten().unwrap_or(0),
                )
            }
            _ => {
                cx.report(
                    call.range,
                    format!(
                        "REGEXP_INSTR with a position, occurrence or option that is not an \
                         integer literal (option 0 or 1) is not translated; {hand}"
                    ),
                    None,
                );
                return;
            }
        };
        let flags = match args.get(5) {
            None => Some(Flags::default()),
            Some(a) => Checker::string_literal(a).and_then(Flags::parse),
        };
        let pattern = Checker::string_literal(args[1]);
        let (Some(flags), Some(pattern)) = (flags, pattern) else {
            cx.report(
                call.range,
                format!(
                    "REGEXP_INSTR with a non-literal pattern or parameters is not translated; \
                     {hand}"
                ),
                None,
            );
            return;
        };
        if flags.subexpression {
            cx.report(
                call.range,
                "REGEXP_INSTR with the 'e' parameter (position of the first subexpression) is \
                 not translated; rewrite by hand with regexp_extract(s, p, 1) and locate",
                None,
            );
            return;
        }
        if occ > 1 && may_match_empty(pattern) {
            cx.report(
                call.range,
                format!(
                    "REGEXP_INSTR occurrence {occ} of a pattern that can match the empty string \
                     is not translated (empty matches are stepped over differently); {hand}"
                ),
                None,
            );
            return;
        }
        let p_range = call.args[1].clone();
        let ptext = cx.slice(&p_range);
        if !(ptext.len() >= 2 && ptext.starts_with('\'') && ptext.ends_with('\'')) {
            return;
        }
        // The pattern body as a source piece, so RS274's class rewrites inside it compose.
        let body = || Piece::Src(p_range.start + 1..p_range.end - 1);
        let icase = if flags.insensitive { "(?i)" } else { "" };
        let s = call.args[0].clone();
        let subject = || -> Vec<Piece> {
            if pos > 1 {
                vec![
                    "substr(".into(),
                    s.clone().into(),
                    format!(", {pos})").into(),
                ]
            } else {
                vec![s.clone().into()]
            }
        };
        let shift = if pos > 1 {
            format!(" + {}", pos - 1)
        } else {
            String::new()
        };
        let mut out: Vec<Piece> = Vec::new();
        if occ == 1 {
            // regexp_instr(sub, p) is 0 without a match, the 1-based start otherwise.
            let instr = |out: &mut Vec<Piece>| {
                out.push("regexp_instr(".into());
                out.extend(subject());
                out.push(format!(", '{icase}").into());
                out.push(body());
                out.push("')".into());
            };
            out.push("CASE WHEN ".into());
            instr(&mut out);
            out.push(" > 0 THEN ".into());
            instr(&mut out);
            out.push(shift.clone().into());
            if option == 1 {
                out.push(" + length(regexp_extract(".into());
                out.extend(subject());
                out.push(format!(", '{icase}").into());
                out.push(body());
                out.push("', 0))".into());
            }
            out.push(" ELSE ".into());
            instr(&mut out);
            out.push(" END".into());
        } else {
            // Steps over matches one at a time: each `(?>[\s\S]*?(?>p))` is the next match and
            // the text before it, as Redshift's successive search finds them.
            let regex = |out: &mut Vec<Piece>| {
                out.push(format!("'{icase}^((?:(?>[\\\\s\\\\S]*?(?>").into());
                out.push(body());
                if option == 1 {
                    out.push(format!("))){{{occ}}})'").into());
                } else {
                    out.push(format!("))){{{}}}[\\\\s\\\\S]*?)(?=", occ - 1).into());
                    out.push(body());
                    out.push(")'".into());
                }
            };
            out.push("CASE WHEN ".into());
            out.extend(subject());
            out.push(" RLIKE ".into());
            regex(&mut out);
            out.push(" THEN length(regexp_extract(".into());
            out.extend(subject());
            out.push(", ".into());
            regex(&mut out);
            out.push(format!(", 1)) + {pos} WHEN ").into());
            out.extend(subject());
            out.push(" IS NOT NULL THEN 0 END".into());
        }
        cx.fix(
            call.range,
            out,
            "Databricks regexp_instr takes only (str, regexp); position, occurrence and option \
             are computed around it",
        );
    }
}

/// Whether a regex might match the empty string. Conservative: `false` only when some
/// top-level atom outside any group must match at least one character.
fn may_match_empty(p: &str) -> bool {
    let b: Vec<char> = p.chars().collect();
    let mut i = 0;
    let mut depth = 0usize;
    // Alternation at the top level: some branch may be empty.
    let mut mandatory = false;
    while i < b.len() {
        let (atom_start_depth, consumes) = match b[i] {
            '\\' => {
                let zero_width = matches!(b.get(i + 1), Some('b' | 'B' | 'A' | 'z' | 'Z' | 'G'));
                i += 2;
                (depth, !zero_width)
            }
            '[' => {
                // Skip the bracket expression (a `]` right after `[` or `[^` is literal).
                let mut j = i + 1;
                if b.get(j) == Some(&'^') {
                    j += 1;
                }
                if b.get(j) == Some(&']') {
                    j += 1;
                }
                while j < b.len() && b[j] != ']' {
                    if b[j] == '[' && b.get(j + 1) == Some(&':') {
                        if let Some(k) = (j + 2..b.len().saturating_sub(1))
                            .find(|&k| b[k] == ':' && b[k + 1] == ']')
                        {
                            j = k + 2;
                            continue;
                        }
                    }
                    if b[j] == '\\' {
                        j += 1;
                    }
                    j += 1;
                }
                i = j + 1;
                (depth, true)
            }
            '(' => {
                depth += 1;
                i += 1;
                continue;
            }
            ')' => {
                // A group counts as possibly empty (conservative); skip its quantifier.
                depth = depth.saturating_sub(1);
                i += 1;
                while matches!(b.get(i), Some('*' | '+' | '?')) {
                    i += 1;
                }
                if b.get(i) == Some(&'{') {
                    while i < b.len() && b[i] != '}' {
                        i += 1;
                    }
                    i += 1;
                }
                continue;
            }
            '|' if depth == 0 => return true,
            '^' | '$' | '|' => {
                i += 1;
                continue;
            }
            _ => {
                i += 1;
                (depth, true)
            }
        };
        let optional = match b.get(i) {
            Some('*' | '?') => true,
            Some('{') => b.get(i + 1) == Some(&'0') || b.get(i + 1) == Some(&','),
            _ => false,
        };
        if atom_start_depth == 0 && consumes && !optional {
            mandatory = true;
        }
        // Skip the quantifier and its lazy/possessive suffix.
        match b.get(i) {
            Some('*' | '+' | '?') => i += 1,
            Some('{') => {
                while i < b.len() && b[i] != '}' {
                    i += 1;
                }
                i += 1;
            }
            _ => {}
        }
        if matches!(b.get(i), Some('?' | '+')) {
            i += 1;
        }
    }
    !mandatory
}

#[cfg(test)]
mod tests {
    use super::may_match_empty;
    use crate::rules::test_support::{codes, fix, out};

    #[test]
    fn two_arguments_are_left_alone() {
        assert!(codes("SELECT REGEXP_INSTR(s, 'a') FROM t").is_empty());
    }

    #[test]
    fn first_match_with_position_and_end_option() {
        assert_eq!(
            out("SELECT REGEXP_INSTR(s, '[0-9]+', 3, 1, 1, 'i') FROM t"),
            "SELECT CASE WHEN regexp_instr(substr(s, 3), '(?i)[0-9]+') > 0 THEN regexp_instr(substr(s, 3), '(?i)[0-9]+') + 2 + length(regexp_extract(substr(s, 3), '(?i)[0-9]+', 0)) ELSE regexp_instr(substr(s, 3), '(?i)[0-9]+') END FROM t"
        );
    }

    #[test]
    fn nth_match_steps_over_earlier_matches() {
        let t = fix("SELECT REGEXP_INSTR(s, '[[:digit:]]', 1, 2) FROM t");
        assert_eq!(
            t.output,
            r"SELECT CASE WHEN s RLIKE '^((?:(?>[\\s\\S]*?(?>[\\d]))){1}[\\s\\S]*?)(?=[\\d])' THEN length(regexp_extract(s, '^((?:(?>[\\s\\S]*?(?>[\\d]))){1}[\\s\\S]*?)(?=[\\d])', 1)) + 1 WHEN s IS NOT NULL THEN 0 END FROM t"
        );
        assert!(t.findings.iter().all(|f| f.applied), "{:?}", t.findings);
    }

    #[test]
    fn unsafe_forms_are_reported() {
        for sql in [
            "SELECT REGEXP_INSTR(s, 'a*', 1, 2) FROM t",
            "SELECT REGEXP_INSTR(s, 'a', 1, n) FROM t",
            "SELECT REGEXP_INSTR(s, p, 1, 2) FROM t",
            "SELECT REGEXP_INSTR(s, '(a)b', 1, 1, 0, 'e') FROM t",
            "SELECT REGEXP_INSTR(s, 'a', 1, 1, 2) FROM t",
        ] {
            let t = fix(sql);
            assert_eq!(t.output, sql);
            assert_eq!(t.findings.len(), 1, "{sql}");
            assert!(!t.findings[0].applied);
        }
    }

    #[test]
    fn empty_matching_patterns_are_recognised() {
        for p in [
            "a*",
            "",
            "(ab)",
            "(ab)?",
            "(a)*?",
            "a?b*",
            "x|yz",
            "^$",
            r"\b",
            "[0-9]{0,3}",
        ] {
            assert!(may_match_empty(p), "{p}");
        }
        for p in [
            "a",
            "[0-9]+",
            r"\d",
            "a*b",
            "(x)?y",
            "[]a]",
            "[[:digit:]]",
            "a{2}",
        ] {
            assert!(!may_match_empty(p), "{p}");
        }
    }
}
