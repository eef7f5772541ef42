use sqlparser::ast::{Expr, FunctionArguments};

use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Translates Redshift datetime format strings to Databricks (Java) patterns:
    /// `TO_CHAR(ts, 'YYYY-MM-DD HH24:MI:SS')` → `date_format(ts, 'yyyy-MM-dd HH:mm:ss')`, and the
    /// format of `TO_DATE` / `TO_TIMESTAMP` (parsing uses single letters, `'yyyy-M-d'`, which
    /// accept one or two digits like Redshift). `"quoted text"` becomes `'quoted text'`, `FM`
    /// drops padding. Formats with no pattern equivalent (`MON` in capitals, padded `Month`,
    /// `D`, `IW`, `TZ` …) and numeric formats are reported.
    ///
    /// ## Why it differs on Databricks
    /// Every letter means something else: Java `mm` is minutes (Redshift `MI`), `YYYY` is the
    /// week-based year, Redshift `HH` is the **12-hour** clock (Java `hh`), `DDD` vs `D`, and any
    /// unquoted ASCII letter is a pattern letter in Java. Passing Redshift formats through gives
    /// wrong text or errors.
    ///
    /// ## Example
    /// ```sql
    /// SELECT TO_CHAR(order_ts, 'YYYY-MM-DD HH24:MI'), TO_DATE(s, 'DD/MM/YYYY') FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT date_format(order_ts, 'yyyy-MM-dd HH:mm'), TO_DATE(s, 'd/M/yyyy') FROM t
    /// ```
    pub struct DatetimeFormat;
    code: "RS110",
    name: "datetime-format",
    summary: "TO_CHAR/TO_DATE/TO_TIMESTAMP format strings translated to Java patterns",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for DatetimeFormat {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let name = Checker::fn_name(f);
        let parse = match name.as_str() {
            "TO_CHAR" => false,
            "TO_DATE" | "TO_TIMESTAMP" => true,
            _ => return,
        };
        let FunctionArguments::List(list) = &f.args else {
            return;
        };
        let Some(call) = cx.call(f) else { return };
        if call.args.len() != list.args.len() || call.args.len() < 2 {
            return;
        }
        if call.args.len() > 2 {
            cx.report(
                call.range,
                format!("{name} with a strictness argument: translate by hand"),
                None,
            );
            return;
        }
        let fmt_range = call.args[1].clone();
        if cx.has_jinja(&fmt_range) {
            cx.jinja_hides(call.range, "the format string");
            return;
        }
        let FunctionArguments::List(l) = &f.args else {
            return;
        };
        let fmt = match l.args.get(1) {
            Some(sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(
                e,
            ))) => Checker::string_literal(e),
            _ => None,
        };
        let Some(fmt) = fmt else {
            cx.report(
                call.range,
                format!("{name} with a non-literal format: translate by hand"),
                None,
            );
            return;
        };
        if !parse
            && fmt
                .chars()
                .all(|c| "09.,$SGDLPRMIVBEFNTH ".contains(c.to_ascii_uppercase()))
            && fmt.contains(['9', '0'])
        {
            cx.report(
                call.range,
                "numeric TO_CHAR: Databricks to_char(number, fmt) supports only 0 9 . , $ S MI PR; check by hand",
                None,
            );
            return;
        }
        let java = match translate(fmt, parse) {
            Ok(j) => j,
            Err(why) => {
                cx.report(
                    call.range,
                    format!("{name} format '{fmt}': {why}; translate by hand"),
                    None,
                );
                return;
            }
        };
        let lit = format!("'{}'", java.replace('\\', "\\\\").replace('\'', "\\'"));
        if parse {
            if cx.slice(&fmt_range) == lit {
                return;
            }
            cx.fix_in(
                Self::INFO.confidence,
                call.range.clone(),
                fmt_range,
                vec![lit.into()],
                "Redshift format letters differ from Java patterns",
            );
        } else {
            cx.fix(
                call.range,
                vec![
                    "date_format(".into(),
                    Piece::Src(call.args[0].clone()),
                    format!(", {lit})").into(),
                ],
                "Redshift TO_CHAR format letters differ from Java patterns (date_format)",
            );
        }
    }
}

/// Redshift datetime format → Java pattern (as the pattern's value).
fn translate(fmt: &str, parse: bool) -> Result<String, String> {
    let mut out = String::new();
    let b = fmt;
    let mut i = 0;
    let mut fm = false;
    let up = fmt.to_ascii_uppercase();
    let starts = |i: usize, p: &str| up[i..].starts_with(p);
    let mut literal = String::new();
    let flush = |out: &mut String, lit: &mut String| {
        if !lit.is_empty() {
            out.push('\'');
            out.push_str(&lit.replace('\'', "''"));
            out.push('\'');
            lit.clear();
        }
    };
    while i < b.len() {
        let rest = &b[i..];
        let c = rest.chars().next().unwrap_or(' ');
        if c == '"' {
            let end = rest[1..].find('"').ok_or("unterminated quoted text")?;
            literal.push_str(&rest[1..1 + end]);
            i += end + 2;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            if matches!(c, '-' | '/' | ':' | ',' | '.' | ' ' | ';') {
                flush(&mut out, &mut literal);
                out.push(c);
            } else {
                literal.push(c);
            }
            i += c.len_utf8();
            continue;
        }
        flush(&mut out, &mut literal);
        let two = |a: &str, one: &str, fm: bool| -> String {
            if parse || fm {
                one.to_string()
            } else {
                a.to_string()
            }
        };
        let (pat, len): (String, usize) = if starts(i, "FM") {
            fm = true;
            i += 2;
            continue;
        } else if starts(i, "HH24") {
            (two("HH", "H", fm), 4)
        } else if starts(i, "HH12") {
            (two("hh", "h", fm), 4)
        } else if starts(i, "HH") {
            (two("hh", "h", fm), 2)
        } else if starts(i, "YYYY") {
            ("yyyy".into(), 4)
        } else if starts(i, "YYY") || starts(i, "IY") || starts(i, "IW") || starts(i, "ID") {
            return Err("ISO and partial years have no pattern letter".into());
        } else if starts(i, "YY") {
            ("yy".into(), 2)
        } else if starts(i, "MONTH") {
            if !fm || &rest[..5] != "Month" {
                return Err("padded or capitalised month names have no pattern".into());
            }
            ("MMMM".into(), 5)
        } else if starts(i, "MON") {
            if &rest[..3] != "Mon" {
                return Err("upper/lower-case month abbreviations have no pattern".into());
            }
            ("MMM".into(), 3)
        } else if starts(i, "MM") {
            (two("MM", "M", fm), 2)
        } else if starts(i, "MI") {
            (two("mm", "m", fm), 2)
        } else if starts(i, "MS") {
            ("SSS".into(), 2)
        } else if starts(i, "US") {
            ("SSSSSS".into(), 2)
        } else if starts(i, "SS") {
            (two("ss", "s", fm), 2)
        } else if starts(i, "DDD") {
            ("DDD".into(), 3)
        } else if starts(i, "DD") {
            (two("dd", "d", fm), 2)
        } else if starts(i, "DAY") {
            if !fm || &rest[..3] != "Day" {
                return Err("padded or capitalised day names have no pattern".into());
            }
            ("EEEE".into(), 3)
        } else if starts(i, "DY") {
            if &rest[..2] != "Dy" {
                return Err("upper/lower-case day abbreviations have no pattern".into());
            }
            ("EEE".into(), 2)
        } else if rest.starts_with("AM") || rest.starts_with("PM") {
            ("a".into(), 2)
        } else if starts(i, "Q") && !parse {
            ("Q".into(), 1)
        } else {
            return Err(format!("`{}` has no Java pattern", &rest[..c.len_utf8()]));
        };
        fm = false;
        out.push_str(&pat);
        i += len;
    }
    flush(&mut out, &mut literal);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn formats_are_translated() {
        assert_eq!(
            out("SELECT TO_CHAR(ts, 'YYYY-MM-DD HH24:MI:SS'), to_char(ts, 'Dy, DD Mon YYYY \"at\" HH:MI AM'), TO_DATE(s, 'DD/MM/YYYY')"),
            "SELECT date_format(ts, 'yyyy-MM-dd HH:mm:ss'), date_format(ts, 'EEE, dd MMM yyyy \\'at\\' hh:mm a'), TO_DATE(s, 'd/M/yyyy')"
        );
    }

    #[test]
    fn untranslatable_formats_are_reported() {
        assert_eq!(codes("SELECT TO_CHAR(ts, 'MON YYYY')"), vec!["RS110"]);
        assert_eq!(
            out("SELECT TO_CHAR(ts, 'MON YYYY')"),
            "SELECT TO_CHAR(ts, 'MON YYYY')"
        );
        assert_eq!(codes("SELECT TO_CHAR(n, '999,999.00')"), vec!["RS110"]);
    }
}
