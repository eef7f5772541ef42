use std::ops::Range;

use sqlparser::ast::{BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::dateparts::DatePart;
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;
use crate::sql::Confidence;

crate::rule! {
    /// ## What it does
    /// Rewrites `DATE_PART(part, x)` and `EXTRACT(part FROM x)` field by field:
    /// day of week becomes `(dayofweek(x) - 1)`, epoch becomes
    /// `(unix_micros(CAST(x AS TIMESTAMP)) / 1000000.0)`, decade/century/millennium are computed
    /// from `year(x)`, `EXTRACT(second …)` becomes `second(x)`, and other parts get the
    /// Databricks field name (`'mon'` → `'MONTH'`, `m` → `MINUTE`).
    ///
    /// ## Why it differs on Databricks
    /// Redshift numbers weekdays 0–6 from Sunday, Databricks 1–7: passing `dow` through is off by
    /// one on every row. Databricks has no EPOCH field. Redshift's `EXTRACT(second …)` is a whole
    /// number, Databricks' keeps the fraction. Week numbers are ISO in both (a caveat: Redshift's
    /// is unverified). Epoch reads the timestamp as UTC: keep the session time zone UTC.
    ///
    /// ## Example
    /// ```sql
    /// SELECT DATE_PART(dow, created_at), EXTRACT(epoch FROM created_at), DATE_PART('mon', created_at) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT (dayofweek(created_at) - 1), (unix_micros(CAST(created_at AS TIMESTAMP)) / 1000000.0), DATE_PART('MONTH', created_at) FROM t
    /// ```
    pub struct DatePartRule;
    code: "RS107",
    name: "date-part",
    summary: "DATE_PART/EXTRACT fields mapped (dow 0-6 vs 1-7, epoch, second, decade…)",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for DatePartRule {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        match e {
            Expr::Function(f) => {
                let name = Checker::fn_name(f);
                if name != "DATE_PART" && name != "DATEPART" && name != "PGDATE_PART" {
                    return;
                }
                let FunctionArguments::List(list) = &f.args else {
                    return;
                };
                if list.args.len() != 2 {
                    return;
                }
                let Some(call) = cx.call(f) else { return };
                if call.args.len() != 2 {
                    return;
                }
                let (unit, x) = (call.args[0].clone(), call.args[1].clone());
                let operand = match &list.args[1] {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                    _ => None,
                };
                rewrite(cx, false, call.range, call.name, unit, x, operand);
            }
            Expr::Extract { expr, .. } => {
                let Some(inner) = cx.expr_start(expr) else {
                    return;
                };
                let toks = cx.tokens;
                // Walk back from the operand to `EXTRACT (`.
                let mut k = toks.at(inner);
                let ext = loop {
                    let Some(p) = toks.prev_sig(k, cx.stmt.start) else {
                        return;
                    };
                    if toks.toks[p].is_keyword(Keyword::EXTRACT) {
                        break p;
                    }
                    k = p;
                };
                let Some(open) = toks.next_sig(ext + 1, cx.stmt.end) else {
                    return;
                };
                if toks.toks[open].token != Token::LParen {
                    return;
                }
                let Some(close) = toks.matching_paren(open, cx.stmt.end) else {
                    return;
                };
                let Some(from) =
                    (open + 1..close).find(|&i| toks.toks[i].is_keyword(Keyword::FROM))
                else {
                    return;
                };
                let (Some(unit), Some(x)) = (
                    toks.trimmed_bytes(open + 1, from),
                    toks.trimmed_bytes(from + 1, close),
                ) else {
                    return;
                };
                let range = toks.toks[ext].start..toks.toks[close].end;
                let name = toks.toks[ext].start..toks.toks[ext].end;
                rewrite(cx, true, range, name, unit, x, Some(expr));
            }
            _ => {}
        }
    }
}

/// EPOCH of an interval is its length in seconds (reference 1C, "epoch (interval)"), which
/// `unix_micros(CAST(x AS TIMESTAMP))` cannot compute. Handles the two visible forms and
/// returns whether it did:
/// * `b - a` (neither side an interval literal): timestamps' difference, so
///   `(unix_micros(b) - unix_micros(a)) / 1e6`. If the sides are not timestamps or dates the
///   rewrite fails on Databricks (unix_micros takes no interval or number) rather than
///   returning other rows.
/// * an interval literal of days, hours, minutes, seconds or weeks: added to the epoch instant,
///   `unix_micros(timestamp_micros(0) + iv) / 1e6`; other literals (months, years) are reported.
fn epoch_of_interval(
    cx: &mut Checker<'_, '_>,
    range: Range<usize>,
    operand: Option<&Expr>,
) -> bool {
    let mut e = match operand {
        Some(e) => e,
        None => return false,
    };
    while let Expr::Nested(inner) = e {
        e = inner;
    }
    match e {
        Expr::Interval(iv) if day_time(iv) => {
            // From `INTERVAL` to the literal, or to its unit word (`INTERVAL '90' MINUTE`).
            let Some(x) = (|| {
                let lit_span = match iv.value.as_ref() {
                    Expr::Value(v) => v.span,
                    _ => return None,
                };
                let lit = cx.range(lit_span)?;
                let toks = cx.tokens;
                let kw = toks.prev_sig(toks.at(lit.start), cx.stmt.start)?;
                if !toks.toks[kw].is_word("INTERVAL") {
                    return None;
                }
                let mut end = lit.end;
                if iv.leading_field.is_some() {
                    let unit = toks.next_sig(toks.at(lit.end), cx.stmt.end)?;
                    end = toks.toks[unit].end;
                }
                Some(toks.toks[kw].start..end)
            })() else {
                return false;
            };
            cx.fix_with(
                Confidence::Exact,
                range,
                vec![
                    Piece::Text("(unix_micros(timestamp_micros(0) + ".into()),
                    Piece::Src(x),
                    Piece::Text(") / 1000000.0)".into()),
                ],
                "EPOCH of a day-time interval is its length in seconds: add it to the epoch \
                 instant and read unix_micros() (days are 24 hours in both engines)",
            );
            true
        }
        Expr::Interval(_) => {
            cx.report(
                range,
                "EXTRACT(EPOCH FROM interval literal): Databricks has no EPOCH field; write the \
                 interval's length in seconds as a number (INTERVAL '1 day 2 hours' is 93600)",
                None,
            );
            true
        }
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Minus,
            right,
        } if !matches!(**left, Expr::Interval(_)) && !matches!(**right, Expr::Interval(_)) => {
            let (Some(l), Some(r)) = (cx.expr_range(left), cx.expr_range(right)) else {
                return false;
            };
            cx.fix_with(
                Confidence::Caveat,
                range,
                vec![
                    Piece::Text("((unix_micros(".into()),
                    Piece::Src(l),
                    Piece::Text(") - unix_micros(".into()),
                    Piece::Src(r),
                    Piece::Text(")) / 1000000.0)".into()),
                ],
                "EPOCH of a timestamp difference is its length in seconds: the difference of \
                 unix_micros() on Databricks (both sides must be timestamps or dates)",
            );
            true
        }
        _ => false,
    }
}

/// Whether an interval literal has only day-time units (days, hours, minutes, seconds and
/// weeks, in Redshift's spellings): those are exact durations; months and years are not.
fn day_time(iv: &sqlparser::ast::Interval) -> bool {
    use sqlparser::ast::DateTimeField as F;
    const UNITS: &[&str] = &[
        "w",
        "week",
        "weeks",
        "d",
        "day",
        "days",
        "h",
        "hr",
        "hrs",
        "hour",
        "hours",
        "m",
        "min",
        "mins",
        "minute",
        "minutes",
        "s",
        "sec",
        "secs",
        "second",
        "seconds",
        "ms",
        "msec",
        "msecs",
        "millisecond",
        "milliseconds",
        "us",
        "usec",
        "usecs",
        "microsecond",
        "microseconds",
    ];
    if iv.last_field.is_some() {
        return false;
    }
    let Some(text) = Checker::string_literal(&iv.value) else {
        return false;
    };
    match &iv.leading_field {
        Some(F::Week(_) | F::Day | F::Hour | F::Minute | F::Second) => {
            text.trim().parse::<f64>().is_ok()
        }
        Some(_) => false,
        None => {
            let words: Vec<&str> = text.split_whitespace().collect();
            !words.is_empty()
                && words.len() % 2 == 0
                && words.chunks(2).all(|p| {
                    p[0].parse::<f64>().is_ok()
                        && UNITS.contains(&p[1].to_ascii_lowercase().as_str())
                })
        }
    }
}

fn rewrite(
    cx: &mut Checker<'_, '_>,
    extract: bool,
    range: Range<usize>,
    name: Range<usize>,
    unit: Range<usize>,
    x: Range<usize>,
    operand: Option<&Expr>,
) {
    if cx.has_jinja(&unit) {
        cx.jinja_hides(range, "the date part");
        return;
    }
    let unit_text = cx.slice(&unit);
    let Some(part) = DatePart::parse(unit_text.trim_matches('\'')) else {
        cx.report(range, format!("unknown date part `{unit_text}`"), None);
        return;
    };
    let t = |s: &str| Piece::Text(s.to_string());
    let src = || Piece::Src(x.clone());
    let whole = |cx: &mut Checker<'_, '_>, conf: Confidence, pieces: Vec<Piece>, msg: &str| {
        cx.fix_with(conf, range.clone(), pieces, msg.to_string());
    };
    let field = |f: &str| -> Option<&'static str> {
        Some(match f {
            "YEAR" => "YEAR",
            "QUARTER" => "QUARTER",
            "MONTH" => "MONTH",
            "WEEK" => "WEEK",
            "DAY" => "DAY",
            "HOUR" => "HOUR",
            "MINUTE" => "MINUTE",
            "SECOND" => "SECOND",
            _ => return None,
        })
    };
    match part {
        DatePart::DayOfWeek => whole(
            cx,
            Confidence::Exact,
            vec![t("(dayofweek("), src(), t(") - 1)")],
            "Redshift numbers weekdays 0-6 from Sunday, Databricks 1-7",
        ),
        DatePart::DayOfYear => whole(cx, Confidence::Exact, vec![t("dayofyear("), src(), t(")")], "day of year"),
        DatePart::Epoch if epoch_of_interval(cx, range.clone(), operand) => {}
        DatePart::Epoch => whole(
            cx,
            Confidence::Caveat,
            vec![t("(unix_micros(CAST("), src(), t(" AS TIMESTAMP)) / 1000000.0)")],
            "Databricks has no EPOCH field; seconds since 1970 from unix_micros (session time zone must be UTC)",
        ),
        DatePart::Decade => whole(cx, Confidence::Exact, vec![t("floor(year("), src(), t(") / 10)")], "decade from the year"),
        DatePart::Century => whole(cx, Confidence::Exact, vec![t("ceil(year("), src(), t(") / 100)")], "century from the year (centuries start in year ##01)"),
        DatePart::Millennium => whole(cx, Confidence::Exact, vec![t("ceil(year("), src(), t(") / 1000)")], "millennium from the year"),
        DatePart::Second if extract => whole(
            cx,
            Confidence::Exact,
            vec![t("second("), src(), t(")")],
            "Redshift EXTRACT(second) is a whole number; Databricks' keeps the fraction",
        ),
        DatePart::Millisecond | DatePart::Microsecond => {
            let scale = if part == DatePart::Millisecond { "1000" } else { "1000000" };
            // date_part('SECOND', x), not extract(SECOND FROM x): the same value on Databricks,
            // and a second translation of the output leaves it alone (this rule would turn an
            // EXTRACT(SECOND …) into the whole-number second(x)).
            let pieces = if extract {
                vec![
                    t("CAST(floor(date_part('SECOND', "),
                    src(),
                    t(&format!(") * {scale}) AS INT) % {scale}")),
                ]
            } else {
                vec![t("(date_part('SECOND', "), src(), t(&format!(") * {scale})"))]
            };
            whole(cx, Confidence::Caveat, pieces, "Databricks has no millisecond/microsecond field; computed from the seconds")
        }
        DatePart::Timezone | DatePart::TimezoneHour | DatePart::TimezoneMinute => {
            cx.report(
                range,
                "Databricks timestamps carry no time zone: Redshift returns the session's UTC \
                 offset here, so write 0 for a UTC session (or the zone's offset by hand)",
                None,
            );
        }
        p => {
            let Some(db) = p.databricks_unit().and_then(field) else {
                return;
            };
            let conf = if p == DatePart::Week { Confidence::Caveat } else { Confidence::Exact };
            let new = if extract { db.to_string() } else { format!("'{db}'") };
            if unit_text == new || (!extract && unit_text.eq_ignore_ascii_case(&new)) {
                return;
            }
            if extract && unit_text.eq_ignore_ascii_case(db) {
                return;
            }
            let _ = &name;
            cx.fix_in(
                conf,
                range.clone(),
                unit,
                vec![new.into()],
                if p == DatePart::Week {
                    "week number: ISO weeks in both (Redshift's unverified)"
                } else {
                    "date part named as Databricks knows it"
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn dow_epoch_and_aliases() {
        assert_eq!(
            out("SELECT DATE_PART(dow, ts), DATE_PART('mon', ts), date_part('day', ts), DATE_PART(epoch, ts), DATE_PART(m, ts)"),
            "SELECT (dayofweek(ts) - 1), DATE_PART('MONTH', ts), date_part('day', ts), (unix_micros(CAST(ts AS TIMESTAMP)) / 1000000.0), DATE_PART('MINUTE', ts)"
        );
    }

    #[test]
    fn epoch_of_a_difference_or_interval() {
        assert_eq!(
            out("SELECT EXTRACT(epoch FROM b - a), DATE_PART(epoch, (end_ts - start_ts)) FROM t"),
            "SELECT ((unix_micros(b) - unix_micros(a)) / 1000000.0), \
             ((unix_micros(end_ts) - unix_micros(start_ts)) / 1000000.0) FROM t"
        );
        // A timestamp minus an interval is a timestamp: the plain epoch form.
        assert_eq!(
            out("SELECT EXTRACT(epoch FROM ts - INTERVAL '1 hour') FROM t"),
            "SELECT (unix_micros(CAST(ts - INTERVAL '1' HOUR AS TIMESTAMP)) / 1000000.0) FROM t"
        );
        assert_eq!(
            out("SELECT EXTRACT(epoch FROM INTERVAL '1 day 2 hours'), DATE_PART(epoch, INTERVAL '90' MINUTE)"),
            "SELECT (unix_micros(timestamp_micros(0) + INTERVAL '26' HOUR) / 1000000.0), \
             (unix_micros(timestamp_micros(0) + INTERVAL '90' MINUTE) / 1000000.0)"
        );
        // Months have no fixed length: reported.
        let lit = "SELECT EXTRACT(epoch FROM INTERVAL '1 month')";
        assert!(out(lit).starts_with("SELECT EXTRACT(epoch FROM"));
        assert!(crate::rules::test_support::fix(lit)
            .findings
            .iter()
            .any(|f| f.code == "RS107" && f.severity == crate::sql::finding::Severity::Error));
    }

    #[test]
    fn extract_forms() {
        assert_eq!(
            out("SELECT EXTRACT(dow FROM ts), EXTRACT(year FROM ts), EXTRACT(second FROM ts), EXTRACT(epoch FROM ts::date)"),
            "SELECT (dayofweek(ts) - 1), EXTRACT(year FROM ts), second(ts), (unix_micros(CAST(ts::date AS TIMESTAMP)) / 1000000.0)"
        );
    }

    #[test]
    fn extract_takes_every_date_part_alias() {
        // sqlparser rejects these fields; the engine normalises them for parsing only and this
        // rule writes the Databricks form.
        let t = crate::rules::test_support::fix(
            "SELECT EXTRACT(min FROM ts), EXTRACT(sec FROM ts), EXTRACT(qtr FROM ts), EXTRACT(dw FROM ts), EXTRACT(Hrs FROM ts), EXTRACT(ms FROM ts)",
        );
        assert_eq!(
            t.output,
            "SELECT EXTRACT(MINUTE FROM ts), second(ts), EXTRACT(QUARTER FROM ts), (dayofweek(ts) - 1), EXTRACT(HOUR FROM ts), CAST(floor(date_part('SECOND', ts) * 1000) AS INT) % 1000"
        );
        // The output is final: translating it again changes nothing.
        assert_eq!(crate::rules::test_support::out(&t.output), t.output);
        let t = crate::rules::test_support::fix("SELECT DATE_PART(ms, ts), DATE_PART(us, ts)");
        assert_eq!(
            t.output,
            "SELECT (date_part('SECOND', ts) * 1000), (date_part('SECOND', ts) * 1000000)"
        );
        assert_eq!(crate::rules::test_support::out(&t.output), t.output);
        assert!(
            t.findings.iter().all(|f| f.code == "RS107" && f.applied),
            "{:?}",
            t.findings
        );
    }

    #[test]
    fn unknown_extract_field_is_still_unparsed() {
        let codes = crate::rules::test_support::codes("SELECT EXTRACT(fortnight FROM ts)");
        assert_eq!(codes, vec!["RS901"]);
    }
}
