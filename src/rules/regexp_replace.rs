use sqlparser::ast::Expr;

use super::args::{int_literal, plain_call};
use super::regex_args::{pattern_pieces, Flags};
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Rewrites `REGEXP_REPLACE(s, p [, r [, position [, parameters]]])` to Databricks'
    /// `regexp_replace(s, p, r [, position])`: supplies `''` for an omitted replacement, encodes
    /// the `i` flag as a `(?i)` prefix and keeps the position (the three- and four-argument
    /// forms are the same on Databricks). Replacements containing `$` or
    /// `\` are reported.
    ///
    /// ## Why it differs on Databricks
    /// Databricks requires the replacement argument and takes no flags argument (a five-argument
    /// call fails). Its replacement string is a Java replacement: `$1` is a group reference and
    /// `\` an escape, so a replacement with those characters may not mean what it meant on
    /// Redshift; the rule does not guess and reports it. A non-literal replacement gets a
    /// warning for the same reason.
    ///
    /// ## Example
    /// ```sql
    /// SELECT REGEXP_REPLACE(phone, '[^0-9]'), REGEXP_REPLACE(s, 'abc', 'x', 1, 'i') FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT regexp_replace(phone, '[^0-9]', ''), regexp_replace(s, '(?i)abc', 'x', 1) FROM t
    /// ```
    pub struct RegexpReplace;
    code: "RS272",
    name: "regexp-replace",
    summary: "REGEXP_REPLACE gets an explicit replacement and (?i) for the i flag; $ and \\ in replacements are reported",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for RegexpReplace {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Some((f, args)) = plain_call(e, "REGEXP_REPLACE", 2..=5) else {
            return;
        };
        let Some(call) = cx.call(f) else { return };
        if let Some(r) = args.get(2) {
            match Checker::string_literal(r) {
                Some(v) if v.contains('$') || v.contains('\\') => {
                    cx.report(
                        call.range,
                        "REGEXP_REPLACE replacement contains `$` or `\\`: Databricks reads `$n` as \
                         a group reference and `\\` as an escape; check the intended result and \
                         escape them (`\\$`) by hand",
                        None,
                    );
                    return;
                }
                Some(_) => {}
                None if args.len() == 3 => {
                    cx.warn(
                        call.args[2].clone(),
                        "REGEXP_REPLACE replacement is not a literal: on Databricks any `$` or \
                         `\\` in its values is read as a group reference or escape",
                    );
                    return;
                }
                None => {}
            }
        }
        let pos = match args.get(3) {
            None => None,
            Some(a) => match int_literal(a) {
                Some(p) => Some(p.max(1)),
                None => {
                    cx.report(
                        call.range,
                        "REGEXP_REPLACE with a non-literal position is not \
                        translated",
                        None,
                    );
                    return;
                }
            },
        };
        let flags = match args.get(4) {
            None => Flags::default(),
            Some(a) => match Checker::string_literal(a).and_then(Flags::parse) {
                Some(fl) => fl,
                None => {
                    cx.report(
                        call.range,
                        "REGEXP_REPLACE parameters must be a literal made \
                        of c, i, p to be translated",
                        None,
                    );
                    return;
                }
            },
        };
        if args.len() == 3 || args.len() == 4 {
            return; // same call on Databricks (position included)
        }
        let p_range = call.args[1].clone();
        let Some(p) = pattern_pieces(cx.slice(&p_range), &p_range, flags.insensitive) else {
            return;
        };
        let mut pieces: Vec<Piece> = vec![(call.name.start..call.args[0].end).into(), ", ".into()];
        pieces.extend(p);
        pieces.push(", ".into());
        match call.args.get(2) {
            Some(r) => pieces.push(r.clone().into()),
            None => pieces.push("''".into()),
        }
        if let Some(p) = pos.filter(|p| *p > 1) {
            pieces.push(format!(", {p}").into());
        }
        pieces.push(")".into());
        cx.fix(
            call.range,
            pieces,
            "Databricks regexp_replace needs the replacement and takes no flags argument",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn omitted_replacement_and_flags() {
        assert_eq!(
            out("SELECT REGEXP_REPLACE(phone, '[^0-9]'), REGEXP_REPLACE(s, 'abc', 'x', 2, 'i') FROM t"),
            "SELECT REGEXP_REPLACE(phone, '[^0-9]', ''), REGEXP_REPLACE(s, '(?i)abc', 'x', 2) FROM t"
        );
        let once = out("SELECT REGEXP_REPLACE(s, 'abc', 'x', 2, 'i') FROM t");
        assert!(codes(&once).is_empty());
    }

    #[test]
    fn dollar_in_replacement_is_reported() {
        let sql = "SELECT REGEXP_REPLACE(s, 'a', '$1') FROM t";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS272"]);
    }

    #[test]
    fn plain_three_argument_call_is_left_alone() {
        let sql = "SELECT REGEXP_REPLACE(s, 'a', 'b') FROM t";
        assert_eq!(out(sql), sql);
        assert!(codes(sql).is_empty());
    }
}
