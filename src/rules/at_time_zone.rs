use sqlparser::ast::{Expr, Spanned};

use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports `x AT TIME ZONE 'z'`, naming zone literals whose meaning differs between the
    /// engines (abbreviations such as `'PST'`, POSIX offsets such as `'UTC+3'`). Zone names in
    /// `CONVERT_TIMEZONE` are checked by the CONVERT_TIMEZONE rule.
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no AT TIME ZONE operator. For a TIMESTAMP operand Redshift reads the value
    /// as local time in `z` (use `to_utc_timestamp(x, 'z')`); for a TIMESTAMPTZ operand it shows
    /// the instant in `z` (use `from_utc_timestamp(x, 'z')`); the tool cannot see which type
    /// `x` has. Redshift abbreviations are fixed offsets (`PST` is always -08:00) while Java
    /// maps `PST` to America/Los_Angeles with daylight saving time, and POSIX offsets have the
    /// opposite sign (`UTC+3` is three hours *west* in Redshift). Write IANA names or explicit
    /// offsets such as `'-08:00'`.
    ///
    /// ## Example
    /// ```sql
    /// SELECT created_at AT TIME ZONE 'America/New_York' FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT from_utc_timestamp(created_at, 'America/New_York') FROM t  -- if created_at is TIMESTAMPTZ
    /// ```
    pub struct AtTimeZone;
    code: "RS157",
    name: "at-time-zone",
    summary: "AT TIME ZONE depends on the operand type, and zone abbreviations/POSIX offsets differ; reported",
    confidence: Review,
    databricks_invalid: true,
}

/// Why a zone literal means something else on Databricks, if it does.
fn zone_problem(z: &str) -> Option<&'static str> {
    let u = z.trim().to_ascii_uppercase();
    if u == "UTC" || u == "GMT" || u.contains('/') {
        return None;
    }
    let posix = (u.starts_with("UTC") || u.starts_with("GMT")) && u[3..].starts_with(['+', '-'])
        || u.chars().any(|c| c.is_ascii_digit())
            && u.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if posix {
        return Some("POSIX-style offsets have the opposite sign in Redshift (UTC+3 is west of Greenwich); write an explicit offset such as '-03:00'");
    }
    if (3..=5).contains(&u.len()) && u.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some("Redshift time-zone abbreviations are fixed offsets, Java treats some as regions with daylight saving time; write an explicit offset (e.g. '-08:00' for PST) or an IANA name");
    }
    None
}

impl Rule for AtTimeZone {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::AtTimeZone {
            timestamp,
            time_zone,
        } = e
        else {
            return;
        };
        let (Some(a), Some(z)) = (cx.range(timestamp.span()), cx.range(time_zone.span())) else {
            return;
        };
        let zone_note = Checker::string_literal(time_zone)
            .and_then(zone_problem)
            .unwrap_or("");
        let (x, zone) = (cx.slice(&a), cx.slice(&z));
        let message = format!(
            "Databricks has no AT TIME ZONE: write to_utc_timestamp({x}, {zone}) if {x} is a \
             TIMESTAMP, from_utc_timestamp({x}, {zone}) if it is a TIMESTAMPTZ. {zone_note}"
        );
        cx.report(a.start..z.end, message.trim_end(), None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, fix};

    #[test]
    fn operator_is_reported_with_zone_advice() {
        assert_eq!(codes("SELECT ts AT TIME ZONE 'UTC' FROM t"), vec!["RS157"]);
        let t = fix("SELECT ts AT TIME ZONE 'PST' FROM t");
        assert!(t.findings[0].message.contains("fixed offsets"));
        assert!(!codes("SELECT CONVERT_TIMEZONE('PST', ts) FROM t").contains(&"RS157"));
    }
}
