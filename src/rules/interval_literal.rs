use sqlparser::ast::Expr;
use sqlparser::keywords::Keyword;

use super::dateparts::DatePart;
use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites single-unit Redshift interval strings to ANSI interval literals:
    /// `INTERVAL '7 days'` → `INTERVAL '7' DAY`, `INTERVAL '30 m'` → `INTERVAL '30' MINUTE`,
    /// `INTERVAL '2 weeks'` → `INTERVAL '14' DAY`, `INTERVAL '30'` → `INTERVAL '30' SECOND`.
    /// Multi-part and fractional strings are reported.
    ///
    /// ## Why it differs on Databricks
    /// Redshift reads the unit from inside the string with its own aliases (`m` is MINUTE, a
    /// bare number is seconds, `w` is a week); Databricks' ANSI interval literals take the unit
    /// as a keyword, have no WEEK field, and require whole numbers for day-time fields.
    ///
    /// ## Example
    /// ```sql
    /// SELECT * FROM events WHERE ts > GETDATE() - INTERVAL '7 days'
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT * FROM events WHERE ts > current_timestamp() - INTERVAL '7' DAY
    /// ```
    pub struct IntervalLiteral;
    code: "RS111",
    name: "interval-literal",
    summary: "INTERVAL '7 days' becomes INTERVAL '7' DAY (Redshift unit aliases, m = minute)",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for IntervalLiteral {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Interval(iv) = e else { return };
        if iv.leading_field.is_some() || iv.last_field.is_some() {
            return; // already `INTERVAL '7' DAY`
        }
        let Some(value) = Checker::string_literal(&iv.value) else {
            return;
        };
        let Some(lit) = cx.expr_range(&iv.value) else {
            return;
        };
        let toks = cx.tokens;
        let li = toks.at(lit.start);
        let Some(kw) = toks.prev_sig(li, cx.stmt.start) else {
            return;
        };
        if !toks.toks[kw].is_keyword(Keyword::INTERVAL) {
            return;
        }
        let range = toks.toks[kw].start..lit.end;
        if cx.has_jinja(&range) {
            cx.jinja_hides(range, "the interval's value");
            return;
        }
        let parts: Vec<&str> = value.split_whitespace().collect();
        let (num, unit) = match parts.as_slice() {
            [n] => {
                // `'30'`, or `'30m'` written without a space
                let split = n.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(n.len());
                let (a, b) = n.split_at(split);
                (a, if b.is_empty() { "second" } else { b })
            }
            [n, u] => (*n, *u),
            _ => {
                cx.report(range, format!("multi-part interval '{value}': write it as a sum of single-unit INTERVALs (months and days cannot be combined on Databricks)"), None);
                return;
            }
        };
        let neg = num.starts_with('-');
        let digits = num.trim_start_matches(['-', '+']);
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            cx.report(
                range,
                format!("interval '{value}' is not a whole number of one unit; translate by hand"),
                None,
            );
            return;
        }
        let Some(part) = DatePart::parse(unit.trim_end_matches(',')) else {
            cx.report(range, format!("unknown interval unit in '{value}'"), None);
            return;
        };
        let Ok(n) = digits.parse::<u64>() else { return };
        let (n, field) = match part {
            DatePart::Week => (n.saturating_mul(7), "DAY"),
            DatePart::Decade => (n.saturating_mul(10), "YEAR"),
            DatePart::Century => (n.saturating_mul(100), "YEAR"),
            DatePart::Millennium => (n.saturating_mul(1000), "YEAR"),
            p => match p.databricks_unit() {
                Some(u @ ("YEAR" | "MONTH" | "DAY" | "HOUR" | "MINUTE" | "SECOND")) => (n, u),
                Some("QUARTER") => (n.saturating_mul(3), "MONTH"),
                _ => {
                    cx.report(range, format!("interval unit in '{value}' has no ANSI interval field; translate by hand"), None);
                    return;
                }
            },
        };
        let sign = if neg { "-" } else { "" };
        cx.fix(
            range,
            vec![format!("INTERVAL '{sign}{n}' {field}").into()],
            format!("Redshift reads '{value}' with its own unit aliases; ANSI interval literal"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn single_unit_strings_become_ansi_literals() {
        assert_eq!(
            out("SELECT ts - INTERVAL '7 days', ts + interval '30 m', ts + INTERVAL '2 weeks', ts + INTERVAL '30', ts + INTERVAL '1 hour'"),
            "SELECT ts - INTERVAL '7' DAY, ts + INTERVAL '30' MINUTE, ts + INTERVAL '14' DAY, ts + INTERVAL '30' SECOND, ts + INTERVAL '1' HOUR"
        );
        let done = "SELECT ts - INTERVAL '7' DAY";
        assert_eq!(out(done), done);
    }

    #[test]
    fn multi_part_is_reported() {
        assert_eq!(codes("SELECT INTERVAL '1 month 2 days'"), vec!["RS111"]);
    }
}
