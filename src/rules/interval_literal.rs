use sqlparser::ast::{Expr, Value};
use sqlparser::tokenizer::Token;

use super::dateparts::DatePart;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites Redshift interval strings (`INTERVAL '7 days'`, `'3 hours, 35 minutes'`,
    /// `'1w, 1h, 1m, 1s'`, `'0.5 days'`, `'30'`, `'2 days ago'`) to ANSI interval literals:
    /// `INTERVAL '7' DAY`, `INTERVAL '215' MINUTE`, `INTERVAL '12' HOUR`, `INTERVAL '30' SECOND`
    /// (the largest unit that holds the amount exactly; `DAY TO SECOND` otherwise). An interval with both months and days (`'1 month 2 days'`) is
    /// split into two literals when it is the right operand of `+`/`-`
    /// (`ts + INTERVAL '1' MONTH + INTERVAL '2' DAY`), and reported elsewhere.
    ///
    /// ## Why it differs on Databricks
    /// Databricks interval literals are ANSI: one class (year-month or day-time) per literal,
    /// integral values per field, and none of Redshift's unit abbreviations. In Redshift **`m`
    /// is minutes** (`mon` is months), `w` is 7 days and a number without a unit is seconds.
    /// Fractional months and years are reported (their day count is not defined the same way).
    ///
    /// ## Example
    /// ```sql
    /// SELECT ts + INTERVAL '1 month 2 days', ts - INTERVAL '90 m' FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT ts + INTERVAL '1' MONTH + INTERVAL '2' DAY, ts - INTERVAL '90' MINUTE FROM t
    /// ```
    pub struct IntervalLiteral;
    code: "RS111",
    name: "interval-literal",
    summary: "Redshift interval strings become ANSI interval literals (m = minute; months and days split)",
    confidence: Exact,
    databricks_invalid: false,
}

const MICROS_PER_SECOND: i128 = 1_000_000;
const MICROS_PER_DAY: i128 = 86_400 * MICROS_PER_SECOND;

/// A parsed Redshift interval: whole months plus microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parsed {
    months: i64,
    micros: i128,
}

/// Why an interval string cannot be translated.
#[derive(Debug, PartialEq, Eq)]
enum Unparsed {
    FractionalMonths,
    Unknown,
}

/// Parses `[+-]n unit` items separated by blanks or commas, an optional trailing `ago`, a bare
/// number (seconds) or `[-]h:mm[:ss[.f]]`.
fn parse(s: &str) -> Result<Parsed, Unparsed> {
    let mut text = s.trim().to_ascii_lowercase();
    let mut sign = 1i128;
    if let Some(rest) = text.strip_suffix("ago") {
        text = rest.trim().to_string();
        sign = -1;
    }
    if text.is_empty() {
        return Err(Unparsed::Unknown);
    }
    // A bare number is seconds.
    if text
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
    {
        return Ok(Parsed {
            months: 0,
            micros: sign * scaled(&text, MICROS_PER_SECOND).ok_or(Unparsed::Unknown)?,
        });
    }
    let mut months = 0i64;
    let mut micros = 0i128;
    let mut rest = text.as_str();
    loop {
        rest = rest.trim_start_matches([' ', ',', '\t']);
        if rest.is_empty() {
            break;
        }
        let num_len = rest
            .char_indices()
            .find(|(i, c)| {
                !(c.is_ascii_digit() || *c == '.' || ((*c == '-' || *c == '+') && *i == 0))
            })
            .map_or(rest.len(), |(i, _)| i);
        let num = &rest[..num_len];
        if num.is_empty() || num == "-" || num == "+" {
            return Err(Unparsed::Unknown);
        }
        rest = &rest[num_len..];
        // h:mm[:ss] time part
        if let Some(time) = rest.strip_prefix(':') {
            let end = time
                .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
                .unwrap_or(time.len());
            let mut fields = vec![num];
            fields.extend(time[..end].split(':'));
            if fields.len() > 3 {
                return Err(Unparsed::Unknown);
            }
            let neg = num.starts_with('-');
            let h: i128 = num
                .trim_start_matches(['-', '+'])
                .parse()
                .map_err(|_| Unparsed::Unknown)?;
            let m: i128 = fields[1].parse().map_err(|_| Unparsed::Unknown)?;
            let sec = match fields.get(2) {
                Some(s) => scaled(s, MICROS_PER_SECOND).ok_or(Unparsed::Unknown)?,
                None => 0,
            };
            let v = h * 3600 * MICROS_PER_SECOND + m * 60 * MICROS_PER_SECOND + sec;
            micros += if neg { -v } else { v };
            rest = &time[end..];
            continue;
        }
        rest = rest.trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic() && c != '_')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let part = if unit.is_empty() {
            DatePart::Second
        } else {
            DatePart::parse(unit).ok_or(Unparsed::Unknown)?
        };
        let month_factor = match part {
            DatePart::Millennium => Some(12_000),
            DatePart::Century => Some(1_200),
            DatePart::Decade => Some(120),
            DatePart::Year => Some(12),
            DatePart::Quarter => Some(3),
            DatePart::Month => Some(1),
            _ => None,
        };
        if let Some(f) = month_factor {
            let n: i64 = num.parse().map_err(|_| Unparsed::FractionalMonths)?;
            months += n * f;
            continue;
        }
        let unit_micros: i128 = match part {
            DatePart::Week => 7 * MICROS_PER_DAY,
            DatePart::Day => MICROS_PER_DAY,
            DatePart::Hour => 3600 * MICROS_PER_SECOND,
            DatePart::Minute => 60 * MICROS_PER_SECOND,
            DatePart::Second => MICROS_PER_SECOND,
            DatePart::Millisecond => 1000,
            DatePart::Microsecond => 1,
            _ => return Err(Unparsed::Unknown),
        };
        micros += scaled(num, unit_micros).ok_or(Unparsed::Unknown)?;
    }
    Ok(Parsed {
        months: months * sign as i64,
        micros: micros * sign,
    })
}

/// `num` (decimal text, optional sign) times `unit`, exactly; `None` if not a whole number of
/// microseconds.
fn scaled(num: &str, unit: i128) -> Option<i128> {
    let (neg, digits) = match num.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, num.strip_prefix('+').unwrap_or(num)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let int: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut v = int.checked_mul(unit)?;
    if !frac.is_empty() {
        let f: i128 = frac.parse().ok()?;
        let scale = 10i128.checked_pow(frac.len() as u32)?;
        let x = f.checked_mul(unit)?;
        if x % scale != 0 {
            return None;
        }
        v += x / scale;
    }
    Some(if neg { -v } else { v })
}

/// ANSI literal for a month count.
fn months_literal(m: i64) -> String {
    if m % 12 == 0 {
        format!("INTERVAL '{}' YEAR", m / 12)
    } else {
        format!("INTERVAL '{m}' MONTH")
    }
}

/// ANSI literal for a day-time amount.
fn micros_literal(us: i128) -> String {
    let units: [(i128, &str); 4] = [
        (MICROS_PER_DAY, "DAY"),
        (3600 * MICROS_PER_SECOND, "HOUR"),
        (60 * MICROS_PER_SECOND, "MINUTE"),
        (MICROS_PER_SECOND, "SECOND"),
    ];
    for (size, name) in units {
        if us % size == 0 {
            return format!("INTERVAL '{}' {name}", us / size);
        }
    }
    let neg = us < 0;
    let a = us.abs();
    let days = a / MICROS_PER_DAY;
    let rem = a % MICROS_PER_DAY;
    let secs = rem / MICROS_PER_SECOND;
    let frac = rem % MICROS_PER_SECOND;
    let mut s = format!(
        "{}{} {:02}:{:02}:{:02}",
        if neg { "-" } else { "" },
        days,
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    if frac != 0 {
        s.push_str(&format!(".{frac:06}"));
    }
    format!("INTERVAL '{s}' DAY TO SECOND")
}

impl Rule for IntervalLiteral {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Interval(iv) = e else { return };
        if iv.leading_field.is_some() || iv.last_field.is_some() {
            return; // already ANSI
        }
        let Expr::Value(v) = iv.value.as_ref() else {
            return;
        };
        let Value::SingleQuotedString(text) = &v.value else {
            return;
        };
        let Some(lit) = cx.range(v.span) else { return };
        let toks = cx.tokens;
        let li = toks.at(lit.start);
        let Some(kw) = toks.prev_sig(li, cx.stmt.start) else {
            return;
        };
        if !toks.toks[kw].is_word("INTERVAL") {
            return;
        }
        let range = toks.toks[kw].start..lit.end;
        if cx.has_jinja(&range) {
            return;
        }
        let parsed = match parse(text) {
            Ok(p) => p,
            Err(Unparsed::FractionalMonths) => {
                cx.report(
                    range,
                    format!("INTERVAL '{text}': fractional months or years have no exact ANSI form; write whole months plus days"),
                    None,
                );
                return;
            }
            Err(Unparsed::Unknown) => {
                cx.report(
                    range,
                    format!("INTERVAL '{text}' is not a Redshift interval this tool understands; write an ANSI literal such as INTERVAL '7' DAY"),
                    None,
                );
                return;
            }
        };
        let msg = "Databricks interval literals are ANSI (one unit class, no Redshift abbreviations; m = minute)";
        match (parsed.months, parsed.micros) {
            (0, us) => cx.fix(range, vec![micros_literal(us).into()], msg),
            (m, 0) => cx.fix(range, vec![months_literal(m).into()], msg),
            (m, us) => {
                // Only as the right operand of + or -: `x + I` becomes `x + M + D`.
                let prev = toks
                    .prev_sig(kw, cx.stmt.start)
                    .map(|i| &toks.toks[i].token);
                let next = toks
                    .next_sig(li + 1, cx.stmt.end)
                    .map(|i| &toks.toks[i].token);
                let ok_next = !matches!(
                    next,
                    Some(
                        Token::Mul
                            | Token::Div
                            | Token::Mod
                            | Token::DoubleColon
                            | Token::Caret
                            | Token::LBracket
                    )
                );
                let op = match prev {
                    Some(Token::Plus) => "+",
                    Some(Token::Minus) => "-",
                    _ => "",
                };
                if op.is_empty() || !ok_next {
                    cx.report(
                        range,
                        format!("INTERVAL '{text}' mixes months and days, which one Databricks interval cannot hold; add INTERVAL 'n' MONTH and INTERVAL 'n' DAY separately"),
                        None,
                    );
                    return;
                }
                cx.fix(
                    range,
                    vec![format!("{} {op} {}", months_literal(m), micros_literal(us)).into()],
                    format!("{msg}; months and days are added as two literals"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{codes, out};

    #[test]
    fn parses_redshift_forms() {
        let p = |s| parse(s).unwrap();
        assert_eq!(p("7 days").micros, 7 * MICROS_PER_DAY);
        assert_eq!(
            p("1w, 1h, 1m, 1s").micros,
            (7 * 86_400 + 3600 + 60 + 1) * MICROS_PER_SECOND
        );
        assert_eq!(p("30").micros, 30 * MICROS_PER_SECOND);
        assert_eq!(p("2 days ago").micros, -2 * MICROS_PER_DAY);
        assert_eq!(
            p("1 month 2 days"),
            Parsed {
                months: 1,
                micros: 2 * MICROS_PER_DAY
            }
        );
        assert_eq!(
            micros_literal(p("1 day 1.5 seconds").micros),
            "INTERVAL '1 00:00:01.500000' DAY TO SECOND"
        );
        assert_eq!(parse("1.5 months"), Err(Unparsed::FractionalMonths));
        assert_eq!(parse("3 fortnights"), Err(Unparsed::Unknown));
    }

    #[test]
    fn rewrites_single_class_literals() {
        assert_eq!(
            out("SELECT ts - INTERVAL '90 m', INTERVAL '0.5 days', INTERVAL '3 hours, 35 minutes', INTERVAL '2 years' FROM t"),
            "SELECT ts - INTERVAL '90' MINUTE, INTERVAL '12' HOUR, INTERVAL '215' MINUTE, INTERVAL '2' YEAR FROM t"
        );
    }

    #[test]
    fn months_and_days_are_split_after_plus_or_minus() {
        assert_eq!(
            out("SELECT ts + INTERVAL '1 month 2 days', ts - INTERVAL '1 month 2 days' FROM t"),
            "SELECT ts + INTERVAL '1' MONTH + INTERVAL '2' DAY, ts - INTERVAL '1' MONTH - INTERVAL '2' DAY FROM t"
        );
        let sql = "SELECT INTERVAL '1 month 2 days' * 2 FROM t";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS111"]);
    }

    #[test]
    fn ansi_literals_are_left_alone() {
        let sql = "SELECT ts + INTERVAL '1' DAY FROM t";
        assert_eq!(out(sql), sql);
        assert!(codes(sql).is_empty());
    }
}
