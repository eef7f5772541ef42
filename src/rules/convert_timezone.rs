use sqlparser::ast::{Expr, FunctionArguments};

use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;
use crate::sql::{Confidence, Runtime};

crate::rule! {
    /// ## What it does
    /// Makes the source zone of two-argument `CONVERT_TIMEZONE('tgt', ts)` explicit:
    /// `convert_timezone('UTC', 'tgt', ts)`. Reports zone names whose meaning differs
    /// (abbreviations such as `'PST'` and POSIX forms such as `'UTC+3'`).
    ///
    /// ## Why it differs on Databricks
    /// With two arguments Redshift converts **from UTC**; Databricks converts from the session
    /// time zone. Redshift abbreviations are fixed offsets (PST is always −08:00) while Java maps
    /// them to regions with daylight saving; POSIX `UTC+3` means 3 hours *west* in Redshift and
    /// east in Java. Databricks' `convert_timezone` needs DBR 13.3+.
    ///
    /// ## Example
    /// ```sql
    /// SELECT CONVERT_TIMEZONE('America/New_York', created_at) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT CONVERT_TIMEZONE('UTC', 'America/New_York', created_at) FROM t
    /// ```
    pub struct ConvertTimezone;
    code: "RS109",
    name: "convert-timezone",
    summary: "CONVERT_TIMEZONE: explicit 'UTC' source for the 2-argument form; odd zone names reported",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for ConvertTimezone {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "CONVERT_TIMEZONE" {
            return;
        }
        let FunctionArguments::List(list) = &f.args else {
            return;
        };
        let Some(call) = cx.call(f) else { return };
        if call.args.len() != list.args.len() || !(2..=3).contains(&call.args.len()) {
            return;
        }
        if cx.opts.runtime < Runtime(13, 3) {
            cx.report(call.range, "convert_timezone needs Databricks Runtime 13.3+; use from_utc_timestamp(to_utc_timestamp(ts, src), tgt)", None);
            return;
        }
        for zone in &call.args[..call.args.len() - 1] {
            let z = cx.slice(zone);
            if !z.starts_with('\'') {
                continue;
            }
            let name = z.trim_matches('\'');
            let odd = !name.contains('/')
                && !name.eq_ignore_ascii_case("UTC")
                && !name.eq_ignore_ascii_case("GMT")
                && !name.starts_with(['+', '-']);
            if odd {
                cx.report(
                    zone.clone(),
                    format!("time zone {z}: Redshift abbreviations are fixed offsets and POSIX offsets are inverted; Java reads it differently. Use an IANA name or an offset like '-08:00'"),
                    None,
                );
                return;
            }
        }
        if call.args.len() == 2 {
            let at = call.args[0].start;
            cx.fix_in(
                Confidence::Exact,
                call.range.clone(),
                at..at,
                vec!["'UTC', ".into()],
                "two-argument CONVERT_TIMEZONE converts from UTC in Redshift, from the session zone on Databricks",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn two_args_get_utc_odd_zones_reported() {
        assert_eq!(
            out("SELECT CONVERT_TIMEZONE('America/New_York', ts), convert_timezone('UTC', 'Europe/Paris', ts)"),
            "SELECT CONVERT_TIMEZONE('UTC', 'America/New_York', ts), convert_timezone('UTC', 'Europe/Paris', ts)"
        );
        assert_eq!(codes("SELECT CONVERT_TIMEZONE('PST', ts)"), vec!["RS109"]);
        assert_eq!(
            out("SELECT CONVERT_TIMEZONE('PST', ts)"),
            "SELECT CONVERT_TIMEZONE('PST', ts)"
        );
    }
}
