use sqlparser::ast::Expr;

use super::args::plain_call;
use super::dateparts::DatePart;
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Normalises the unit of `DATE_TRUNC('unit', x)` to one Databricks accepts, e.g.
    /// `'qtr'` → `'QUARTER'`, `'y'` → `'YEAR'`, `'w'` → `'WEEK'`, `'hrs'` → `'HOUR'`, and quotes
    /// an unquoted unit.
    ///
    /// ## Why it differs on Databricks
    /// Databricks' `date_trunc` only knows YEAR/YYYY/YY, QUARTER, MONTH/MM/MON, WEEK, DAY/DD,
    /// HOUR, MINUTE, SECOND, MILLISECOND and MICROSECOND, and **returns NULL** for any other unit
    /// instead of failing. Both return a timestamp and start weeks on Monday. Decades, centuries
    /// and millennia have no Databricks unit: they become the first day of the period,
    /// `CAST(make_date(…, 1, 1) AS TIMESTAMP)` (centuries start in year ##01, as in Redshift).
    ///
    /// ## Example
    /// ```sql
    /// SELECT DATE_TRUNC('qtr', order_ts), DATE_TRUNC('month', order_ts) FROM orders
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT DATE_TRUNC('QUARTER', order_ts), DATE_TRUNC('month', order_ts) FROM orders
    /// ```
    pub struct DateTrunc;
    code: "RS105",
    name: "date-trunc-unit",
    summary: "DATE_TRUNC units normalised (Databricks returns NULL for Redshift aliases like 'qtr')",
    confidence: Exact,
    databricks_invalid: false,
}

/// Units Databricks' date_trunc accepts (lower case).
const ACCEPTED: &[&str] = &[
    "year",
    "yyyy",
    "yy",
    "quarter",
    "month",
    "mm",
    "mon",
    "week",
    "day",
    "dd",
    "hour",
    "minute",
    "second",
    "millisecond",
    "microsecond",
];

impl Rule for DateTrunc {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Some((f, _)) = plain_call(e, "DATE_TRUNC", 2..=2) else {
            return;
        };
        let Some(call) = cx.call(f) else { return };
        if call.args.len() != 2 {
            return;
        }
        let unit_range = call.args[0].clone();
        if cx.has_jinja(&unit_range) {
            cx.jinja_hides(call.range, "the DATE_TRUNC unit");
            return;
        }
        let text = cx.slice(&unit_range);
        let quoted = text.len() >= 2 && text.starts_with('\'') && text.ends_with('\'');
        let is_word = text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !quoted && !is_word {
            return; // an expression: nothing to normalise
        }
        let unit = text.trim_matches('\'');
        if quoted && ACCEPTED.contains(&unit.to_ascii_lowercase().as_str()) {
            return;
        }
        let Some(part) = DatePart::parse(unit) else {
            cx.report(call.range, format!("unknown DATE_TRUNC unit {text}: use one of 'year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'"), None);
            return;
        };
        // Decades start in year ###0, centuries and millennia in ##01 / #001 (Redshift's
        // documented DATE_TRUNC('millennium', 2020-04-30) is 2001-01-01). Databricks has no
        // such unit: build the first day of the period as a TIMESTAMP, like date_trunc returns.
        let first_year = match part {
            DatePart::Decade => Some("floor(year(@) / 10) * 10"),
            DatePart::Century => Some("floor((year(@) - 1) / 100) * 100 + 1"),
            DatePart::Millennium => Some("floor((year(@) - 1) / 1000) * 1000 + 1"),
            _ => None,
        };
        if let Some(year) = first_year {
            let (before, after) = year.split_once('@').unwrap_or((year, ""));
            cx.fix(
                call.range,
                vec![
                    format!("CAST(make_date(CAST({before}").into(),
                    Piece::Src(call.args[1].clone()),
                    format!("{after} AS INT), 1, 1) AS TIMESTAMP)").into(),
                ],
                format!("Databricks date_trunc has no {text} unit (it would return NULL)"),
            );
            return;
        }
        let Some(db) = part
            .databricks_unit()
            .filter(|_| !matches!(part, DatePart::DayOfWeek | DatePart::DayOfYear))
        else {
            cx.report(
                call.range,
                format!("DATE_TRUNC to {text} has no Databricks unit; use make_date(...) by hand"),
                None,
            );
            return;
        };
        cx.fix_in(
            Self::INFO.confidence,
            call.range.clone(),
            unit_range,
            vec![format!("'{db}'").into()],
            format!("Databricks date_trunc does not know {text} (it would return NULL)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn aliases_are_normalised_canonical_units_kept() {
        assert_eq!(
            out("SELECT DATE_TRUNC('qtr', ts), date_trunc('month', ts), DATE_TRUNC(w, ts), DATE_TRUNC('M', ts)"),
            "SELECT DATE_TRUNC('QUARTER', ts), date_trunc('month', ts), DATE_TRUNC('WEEK', ts), DATE_TRUNC('MINUTE', ts)"
        );
        assert!(codes("SELECT date_trunc('MONTH', ts)").is_empty());
    }

    #[test]
    fn decade_century_millennium_become_make_date() {
        assert_eq!(
            out("SELECT DATE_TRUNC('decade', ts), date_trunc(century, ts), DATE_TRUNC('mil', ts)"),
            "SELECT CAST(make_date(CAST(floor(year(ts) / 10) * 10 AS INT), 1, 1) AS TIMESTAMP), \
             CAST(make_date(CAST(floor((year(ts) - 1) / 100) * 100 + 1 AS INT), 1, 1) AS TIMESTAMP), \
             CAST(make_date(CAST(floor((year(ts) - 1) / 1000) * 1000 + 1 AS INT), 1, 1) AS TIMESTAMP)"
        );
        assert_eq!(codes("SELECT DATE_TRUNC('fortnight', ts)"), vec!["RS105"]);
    }
}
