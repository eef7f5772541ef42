use std::ops::Range;

use sqlparser::ast::{CastKind, DataType, Expr, Spanned};

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::types::Ty;
use crate::sql::Confidence;

crate::rule! {
    /// ## What it does
    /// Rewrites `x AT TIME ZONE 'z'` when the type of `x` is visible (a `TIMESTAMP '…'` or
    /// `TIMESTAMPTZ '…'` literal, or a cast to one of them) and `z` is an IANA name or UTC:
    /// `to_utc_timestamp(x, 'z')` for TIMESTAMP, `from_utc_timestamp(x, 'z')` for TIMESTAMPTZ.
    /// Reports the rest, naming zone literals whose meaning differs between the engines
    /// (abbreviations such as `'PST'`, POSIX offsets such as `'UTC+3'`). Zone names in
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
    // As in CONVERT_TIMEZONE (RS109), a bare numeric zone is read POSIX-style.
    if u.starts_with(['+', '-']) || u.starts_with(|c: char| c.is_ascii_digit()) {
        return Some("Redshift reads a numeric zone POSIX-style (positive = west of Greenwich) and Databricks the other way; write the offset with the opposite sign after checking the value on Redshift");
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

#[derive(Clone, Copy)]
enum Kind {
    /// TIMESTAMP (WITHOUT TIME ZONE): a wall-clock value read as local time in the zone.
    Naive,
    /// TIMESTAMPTZ: an instant shown in the zone.
    Zoned,
}

fn type_kind(t: &DataType) -> Option<Kind> {
    match Ty::of_data_type(t) {
        Ty::Timestamp => Some(Kind::Naive),
        Ty::TimestampTz => Some(Kind::Zoned),
        _ => None,
    }
}

/// The operand's type when the SQL shows it: a typed literal or a cast.
fn visible_kind(e: &Expr) -> Option<Kind> {
    match e {
        Expr::TypedString(ts) => type_kind(&ts.data_type),
        Expr::Cast {
            kind: CastKind::Cast | CastKind::DoubleColon,
            data_type,
            ..
        } => type_kind(data_type),
        Expr::Nested(inner) => visible_kind(inner),
        _ => None,
    }
}

/// Byte range of the operand, from its first token to the token before `AT`.
fn operand_range(cx: &Checker<'_, '_>, e: &Expr) -> Option<Range<usize>> {
    let toks = cx.tokens;
    let inner = cx.range(e.span())?;
    let first = toks.at(inner.start);
    let mut start = first;
    match e {
        // `TIMESTAMP '…'`: the span is the literal; the type keyword comes before it.
        Expr::TypedString(_) => start = toks.prev_sig(first, cx.stmt.start)?,
        // `CAST(x AS …)`: walk back over `(` and CAST.
        Expr::Cast {
            kind: CastKind::Cast,
            ..
        } => {
            let mut k = first;
            while !toks.toks[k].is_word("CAST") {
                k = toks.prev_sig(k, cx.stmt.start)?;
            }
            start = k;
        }
        _ => {}
    }
    let at = (first..cx.stmt.end).find(|&k| toks.toks[k].is_word("AT"))?;
    let last = toks.prev_sig(at, start)?;
    Some(toks.toks[start].start..toks.toks[last].end)
}

impl Rule for AtTimeZone {
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
        if zone_note.is_empty() && Checker::string_literal(time_zone).is_some() {
            if let (Some(kind), Some(x)) = (visible_kind(timestamp), operand_range(cx, timestamp)) {
                let f = match kind {
                    Kind::Naive => "to_utc_timestamp(",
                    Kind::Zoned => "from_utc_timestamp(",
                };
                cx.fix_with(
                    Confidence::Caveat,
                    x.start..z.end,
                    vec![f.into(), x.into(), ", ".into(), z.into(), ")".into()],
                    "Databricks has no AT TIME ZONE: for this operand's type the function form \
                     gives the same value (shown in the session time zone, which must be UTC)",
                );
                return;
            }
        }
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
    fn visible_types_are_rewritten() {
        assert_eq!(
            crate::rules::test_support::out(
                "SELECT TIMESTAMP '2024-01-01 12:00:00' AT TIME ZONE 'America/New_York', \
                 CAST(x AS timestamptz) AT TIME ZONE 'UTC', y::timestamp AT TIME ZONE 'Europe/Paris' FROM t"
            ),
            "SELECT to_utc_timestamp(TIMESTAMP '2024-01-01 12:00:00', 'America/New_York'), \
             from_utc_timestamp(CAST(x AS timestamp), 'UTC'), to_utc_timestamp(y::timestamp, 'Europe/Paris') FROM t"
        );
        // Abbreviations and numeric zones keep the report even for a visible type.
        for zone in ["'PST'", "'+02:00'", "'-3'", "'5'"] {
            let sql = format!("SELECT TIMESTAMP '2024-01-01' AT TIME ZONE {zone}");
            let t = fix(&sql);
            assert_eq!(t.output, sql);
            let ours: Vec<_> = t.findings.iter().filter(|f| f.code == "RS157").collect();
            assert_eq!(ours.len(), 1, "{sql}");
            assert!(!ours[0].applied, "{sql}");
        }
    }

    #[test]
    fn operator_is_reported_with_zone_advice() {
        assert_eq!(codes("SELECT ts AT TIME ZONE 'UTC' FROM t"), vec!["RS157"]);
        let t = fix("SELECT ts AT TIME ZONE 'PST' FROM t");
        assert!(t.findings[0].message.contains("fixed offsets"));
        assert!(!codes("SELECT CONVERT_TIMEZONE('PST', ts) FROM t").contains(&"RS157"));
    }
}
