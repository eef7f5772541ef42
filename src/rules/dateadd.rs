use sqlparser::ast::{Expr, FunctionArguments};

use super::dateparts::DatePart;
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites `DATEADD(part, n, x)` (and Redshift's `DATE_ADD('part', n, x)`) to
    /// `timestampadd(UNIT, n, x)`, normalising Redshift's date-part aliases.
    ///
    /// ## Why it differs on Databricks
    /// Redshift accepts many aliases that Databricks does not, and one that means something else:
    /// **`m` is MINUTE in Redshift** (`mon` is month). Databricks' two-argument `date_add(x, n)`
    /// returns a DATE and drops the time of day, so it is never used. Both forms return a
    /// timestamp and clamp month arithmetic to the last day of the month. Decades, centuries and
    /// millennia have no Databricks unit and are reported.
    ///
    /// ## Example
    /// ```sql
    /// SELECT DATEADD(m, 30, created_at), DATEADD('qtr', 1, created_at) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT timestampadd(MINUTE, 30, created_at), timestampadd(QUARTER, 1, created_at) FROM t
    /// ```
    pub struct Dateadd;
    code: "RS103",
    name: "dateadd",
    summary: "DATEADD(part, n, x) becomes timestampadd(UNIT, n, x) with Redshift unit aliases (m = minute)",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for Dateadd {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let name = Checker::fn_name(f);
        if name != "DATEADD" && name != "DATE_ADD" {
            return;
        }
        let FunctionArguments::List(list) = &f.args else {
            return;
        };
        if list.args.len() != 3 {
            return; // Databricks' own 2-argument date_add, or something we do not know
        }
        let Some(call) = cx.call(f) else { return };
        if call.args.len() != 3 {
            return;
        }
        let unit_range = call.args[0].clone();
        if cx.has_jinja(&unit_range) {
            cx.fix(unit_range, vec![], "the date part is Jinja");
            return;
        }
        let unit_text = cx.slice(&unit_range);
        let unit = unit_text.trim_matches(|c| c == '\'' || c == '"');
        let Some(part) = DatePart::parse(unit) else {
            cx.report(
                call.range,
                format!("unknown DATEADD date part `{unit_text}`"),
                None,
            );
            return;
        };
        let Some(db) = part.databricks_unit() else {
            cx.report(
                call.range,
                format!("DATEADD by `{unit_text}` has no Databricks unit; multiply the count into years by hand"),
                None,
            );
            return;
        };
        cx.fix_in(
            Self::INFO.confidence,
            call.range.clone(),
            call.name.start..unit_range.end,
            vec![
                "timestampadd".into(),
                (call.name.end..unit_range.start).into(),
                db.into(),
            ],
            format!("{name} becomes timestampadd({db}, …)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn units_are_normalised_m_is_minute() {
        assert_eq!(
            out("SELECT DATEADD(m, 30, ts), dateadd('mon', 1, ts::date), DATE_ADD('hrs', 3, ts)"),
            "SELECT timestampadd(MINUTE, 30, ts), timestampadd(MONTH, 1, ts::date), timestampadd(HOUR, 3, ts)"
        );
    }

    #[test]
    fn nested_getdate_and_comments_survive() {
        assert_eq!(
            out("SELECT 1 FROM t WHERE ts >= DATEADD(day, -7, /* now */ GETDATE())"),
            "SELECT 1 FROM t WHERE ts >= timestampadd(DAY, -7, /* now */ current_timestamp())"
        );
    }

    #[test]
    fn decade_is_reported_not_rewritten() {
        assert_eq!(
            out("SELECT DATEADD(decade, 1, ts)"),
            "SELECT DATEADD(decade, 1, ts)"
        );
        assert_eq!(codes("SELECT DATEADD(decade, 1, ts)"), vec!["RS103"]);
    }

    #[test]
    fn databricks_two_arg_date_add_is_left_alone() {
        assert_eq!(out("SELECT date_add(d, 1)"), "SELECT date_add(d, 1)");
    }

    #[test]
    fn jinja_unit_is_not_guessed() {
        let t = crate::rules::test_support::fix("SELECT DATEADD({{ unit }}, 1, ts)");
        assert_eq!(t.output, "SELECT DATEADD({{ unit }}, 1, ts)");
        assert_eq!(t.findings[0].code, "RS903");
    }
}
