use sqlparser::ast::Expr;

use super::args::{int_literal, plain_call};
use super::regex_args::{has_capture_group, pattern_pieces, Flags};
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Rewrites `REGEXP_SUBSTR(s, p [, position [, occurrence [, parameters]]])` to
    /// `regexp_extract(…, p, 0)` (first match) or
    /// `element_at(concat(regexp_extract_all(…, p, 0), array_repeat('', n)), n)` (n-th match),
    /// applying `position` with `substr(s, position)`, the `i` flag as a `(?i)` prefix and the
    /// `e` flag as capture group 1.
    ///
    /// ## Why it differs on Databricks
    /// Redshift returns an empty string when nothing matches; Databricks `regexp_substr` returns
    /// NULL, which changes comparisons such as `<> ''`. `regexp_extract(…, 0)` returns `''` on no
    /// match and NULL for a NULL input, like Redshift. Databricks' `regexp_substr` takes no
    /// position, occurrence or flags, and the two-argument `regexp_extract(s, p)` would return
    /// group 1, not the whole match. Position and occurrence must be integer literals.
    ///
    /// ## Example
    /// ```sql
    /// SELECT REGEXP_SUBSTR(email, '@[^.]*'), REGEXP_SUBSTR(s, '[0-9]+', 1, 2), REGEXP_SUBSTR(s, 'id=(\\d+)', 1, 1, 'ie') FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT regexp_extract(email, '@[^.]*', 0), element_at(concat(regexp_extract_all(s, '[0-9]+', 0), array_repeat('', 2)), 2), regexp_extract(s, '(?i)id=(\\d+)', 1) FROM t
    /// ```
    pub struct RegexpSubstr;
    code: "RS270",
    name: "regexp-substr",
    summary: "REGEXP_SUBSTR becomes regexp_extract/regexp_extract_all with position, occurrence and flags encoded ('' on no match)",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for RegexpSubstr {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Some((f, args)) = plain_call(e, "REGEXP_SUBSTR", 2..=5) else {
            return;
        };
        let Some(call) = cx.call(f) else { return };
        let Some(pattern) = Checker::string_literal(args[1]) else {
            cx.report(
                call.range,
                "REGEXP_SUBSTR with a pattern that is not a literal cannot be \
                translated safely; Redshift requires a literal pattern",
                None,
            );
            return;
        };
        let pos = match args.get(2) {
            None => 1,
            Some(a) => match int_literal(a) {
                Some(p) => p.max(1),
                None => return report_non_literal(cx, call.range, "position"),
            },
        };
        let occ = match args.get(3) {
            None => 1,
            Some(a) => match int_literal(a) {
                Some(o) if o >= 1 => o,
                _ => return report_non_literal(cx, call.range, "occurrence"),
            },
        };
        let flags = match args.get(4) {
            None => Flags::default(),
            Some(a) => match Checker::string_literal(a).and_then(Flags::parse) {
                Some(fl) => fl,
                None => {
                    cx.report(
                        call.range,
                        "REGEXP_SUBSTR parameters must be a literal made of \
                        c, i, e, p to be translated",
                        None,
                    );
                    return;
                }
            },
        };
        let group = if flags.subexpression && has_capture_group(pattern) {
            "1"
        } else {
            "0"
        };
        let p_range = call.args[1].clone();
        let Some(p) = pattern_pieces(cx.slice(&p_range), &p_range, flags.insensitive) else {
            return;
        };
        let s = call.args[0].clone();
        let mut subject: Vec<Piece> = if pos > 1 {
            vec!["substr(".into(), s.into(), format!(", {pos})").into()]
        } else {
            vec![s.into()]
        };
        let mut pieces: Vec<Piece> = Vec::new();
        if occ == 1 {
            pieces.push("regexp_extract(".into());
            pieces.append(&mut subject);
            pieces.push(", ".into());
            pieces.extend(p);
            pieces.push(format!(", {group})").into());
        } else {
            pieces.push("element_at(concat(regexp_extract_all(".into());
            pieces.append(&mut subject);
            pieces.push(", ".into());
            pieces.extend(p);
            pieces.push(format!(", {group}), array_repeat('', {occ})), {occ})").into());
        }
        cx.fix(
            call.range,
            pieces,
            "REGEXP_SUBSTR returns '' on no match and takes position/occurrence/flags; \
             regexp_extract keeps that meaning",
        );
    }
}

fn report_non_literal(cx: &mut Checker<'_, '_>, range: std::ops::Range<usize>, what: &str) {
    cx.report(
        range,
        format!("REGEXP_SUBSTR with a {what} that is not a positive integer literal is not translated; \
                 rewrite it with a literal or by hand with regexp_extract_all"),
        None,
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn first_match_keeps_empty_string_semantics() {
        assert_eq!(
            out("SELECT REGEXP_SUBSTR(email, '@[^.]*') FROM t"),
            "SELECT regexp_extract(email, '@[^.]*', 0) FROM t"
        );
    }

    #[test]
    fn position_occurrence_and_flags_are_encoded() {
        assert_eq!(
            out("SELECT REGEXP_SUBSTR(s, '[0-9]+', 3, 2) FROM t"),
            "SELECT element_at(concat(regexp_extract_all(substr(s, 3), '[0-9]+', 0), array_repeat('', 2)), 2) FROM t"
        );
        assert_eq!(
            out(r"SELECT REGEXP_SUBSTR(s, 'id=(\\d+)', 1, 1, 'ie') FROM t"),
            r"SELECT regexp_extract(s, '(?i)id=(\\d+)', 1) FROM t"
        );
    }

    #[test]
    fn e_flag_without_group_uses_the_whole_match() {
        assert_eq!(
            out("SELECT REGEXP_SUBSTR(s, 'ab', 1, 1, 'e') FROM t"),
            "SELECT regexp_extract(s, 'ab', 0) FROM t"
        );
    }

    #[test]
    fn non_literal_occurrence_is_reported() {
        let sql = "SELECT REGEXP_SUBSTR(s, 'a', 1, n) FROM t";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS270"]);
    }
}
