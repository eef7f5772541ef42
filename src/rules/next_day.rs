use sqlparser::ast::Expr;

use super::args::plain_call;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Normalises the weekday literal of `NEXT_DAY(d, 'day')` to the three-letter English
    /// abbreviation Databricks accepts (`'M'` → `'Mon'`, `'Tues'` → `'Tue'`); warns when the
    /// weekday is not a literal.
    ///
    /// ## Why it differs on Databricks
    /// Both return the first date strictly after `d` that falls on that weekday. Databricks
    /// accepts only two-letter, three-letter or full English names and fails on others;
    /// Redshift also accepts one-letter and other prefixes of the name.
    ///
    /// ## Example
    /// ```sql
    /// SELECT NEXT_DAY(order_date, 'M') FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT NEXT_DAY(order_date, 'Mon') FROM t
    /// ```
    pub struct NextDay;
    code: "RS151",
    name: "next-day",
    summary: "NEXT_DAY weekday names are normalised to what Databricks accepts",
    confidence: Caveat,
    databricks_invalid: false,
}

const DAYS: [&str; 7] = [
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];

/// The day a Redshift weekday spelling means, as `Mon`; `None` when ambiguous (`T`, `S`) or
/// unknown.
fn weekday(s: &str) -> Option<String> {
    let l = s.trim().to_ascii_lowercase();
    if l.is_empty() {
        return None;
    }
    let matches: Vec<&str> = DAYS.iter().copied().filter(|d| d.starts_with(&l)).collect();
    match matches.as_slice() {
        [one] => {
            let mut c = one[..3].to_string();
            c[..1].make_ascii_uppercase();
            Some(c)
        }
        _ => None,
    }
}

impl Rule for NextDay {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Some((f, args)) = plain_call(e, "NEXT_DAY", 2..=2) else {
            return;
        };
        let Some(call) = cx.call(f) else { return };
        let Some(day) = Checker::string_literal(args[1]) else {
            cx.warn(
                call.args[1].clone(),
                "NEXT_DAY weekday is not a literal: Databricks accepts only 2-letter, 3-letter or \
                 full English day names",
            );
            return;
        };
        let l = day.trim().to_ascii_lowercase();
        let accepted = l.len() == 2 || l.len() == 3 || DAYS.contains(&l.as_str());
        match weekday(day) {
            Some(_) if accepted => {}
            Some(norm) => cx.fix(
                call.args[1].clone(),
                vec![format!("'{norm}'").into()],
                format!("Databricks does not accept the weekday '{day}'; it means {norm}"),
            ),
            None => cx.report(
                call.args[1].clone(),
                format!(
                    "NEXT_DAY weekday '{day}' is ambiguous or unknown: write the full English day \
                     name (e.g. 'Tuesday' or 'Thursday' for 'T')"
                ),
                None,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn prefixes_are_normalised() {
        assert_eq!(
            out("SELECT NEXT_DAY(d, 'M'), NEXT_DAY(d, 'tues'), NEXT_DAY(d, 'Friday') FROM t"),
            "SELECT NEXT_DAY(d, 'Mon'), NEXT_DAY(d, 'Tue'), NEXT_DAY(d, 'Friday') FROM t"
        );
    }

    #[test]
    fn ambiguous_letter_is_reported() {
        let sql = "SELECT NEXT_DAY(d, 'T') FROM t";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS151"]);
    }
}
