use sqlparser::ast::{Expr, FunctionArguments};

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;
use crate::sql::{Confidence, Runtime};

crate::rule! {
    /// ## What it does
    /// Makes the source zone of two-argument `CONVERT_TIMEZONE('tgt', ts)` explicit:
    /// `convert_timezone('UTC', 'tgt', ts)`, and replaces Redshift time zone abbreviations by the
    /// fixed offsets they stand for (`'PST'` → `'-08:00'`, `'CEST'` → `'+02:00'`) and the POSIX
    /// forms `'GMT+2'` / `'UTC-3'` by ISO offsets with the sign flipped (`'-02:00'`, `'+03:00'`).
    /// Ambiguous or unknown abbreviations (`'IST'`, `'BST'`), POSIX forms with a daylight-saving
    /// part (`'EST5EDT'`) and bare numeric offsets are reported.
    ///
    /// ## Why it differs on Databricks
    /// With two arguments Redshift converts **from UTC**; Databricks converts from the session
    /// time zone. Redshift abbreviations are fixed offsets (PST is always −08:00, even in July)
    /// while Java maps short ids like PST to a region with daylight saving; POSIX `GMT+2` means 2
    /// hours *west* of Greenwich in Redshift and east in Java. Databricks' `convert_timezone`
    /// needs DBR 13.3+.
    ///
    /// ## Example
    /// ```sql
    /// SELECT CONVERT_TIMEZONE('America/New_York', created_at), CONVERT_TIMEZONE('UTC', 'PST', created_at) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT CONVERT_TIMEZONE('UTC', 'America/New_York', created_at), CONVERT_TIMEZONE('UTC', '-08:00', created_at) FROM t
    /// ```
    pub struct ConvertTimezone;
    code: "RS109",
    name: "convert-timezone",
    summary: "CONVERT_TIMEZONE: explicit 'UTC' source for the 2-argument form; abbreviations become fixed offsets",
    confidence: Exact,
    databricks_invalid: false,
}

/// Redshift time zone abbreviations (PostgreSQL's default set, `pg_timezone_abbrevs`) with the
/// fixed UTC offset each stands for. Only abbreviations with one conventional meaning are
/// listed; `IST` (Israel in Redshift, India to most readers), `BST`, `AST` and the like are
/// reported instead.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("UT", "+00:00"),
    ("UCT", "+00:00"),
    ("Z", "+00:00"),
    ("ZULU", "+00:00"),
    ("WET", "+00:00"),
    ("CET", "+01:00"),
    ("MET", "+01:00"),
    ("MEZ", "+01:00"),
    ("CEST", "+02:00"),
    ("MEST", "+02:00"),
    ("EET", "+02:00"),
    ("EEST", "+03:00"),
    ("JST", "+09:00"),
    ("NST", "-03:30"),
    ("NDT", "-02:30"),
    ("EST", "-05:00"),
    ("EDT", "-04:00"),
    ("CST", "-06:00"),
    ("CDT", "-05:00"),
    ("MST", "-07:00"),
    ("MDT", "-06:00"),
    ("PST", "-08:00"),
    ("PDT", "-07:00"),
    ("AKST", "-09:00"),
    ("AKDT", "-08:00"),
    ("HST", "-10:00"),
];

/// What a zone literal becomes.
#[derive(Debug, PartialEq, Eq)]
enum Zone {
    /// Means the same on Databricks (IANA names, UTC, GMT).
    Same,
    /// Replace by this Java zone id.
    Offset(String),
    /// Cannot be translated exactly: why.
    Unknown(String),
}

fn zone(name: &str) -> Zone {
    let upper = name.to_ascii_uppercase();
    if name.contains('/') || upper == "UTC" || upper == "GMT" {
        return Zone::Same;
    }
    if let Some((_, off)) = ABBREVIATIONS.iter().find(|(a, _)| *a == upper) {
        return Zone::Offset((*off).to_string());
    }
    // POSIX `GMT+2` / `UTC-3:30`: hours WEST of Greenwich (documented: GMT+2 is UTC−2).
    for prefix in ["UTC", "GMT"] {
        if let Some(rest) = upper.strip_prefix(prefix) {
            if let Some(off) = posix_offset(rest) {
                return Zone::Offset(off);
            }
        }
    }
    if name.starts_with(['+', '-']) || name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return Zone::Unknown(format!(
            "time zone '{name}': Redshift reads a numeric zone POSIX-style (positive = west of Greenwich), Java the other way; write an abbreviation, an IANA name or 'GMT+h' and check the sign"
        ));
    }
    if name.chars().any(|c| c.is_ascii_digit()) {
        return Zone::Unknown(format!(
            "time zone '{name}': a POSIX zone with daylight-saving rules (or an unusual offset) has no exact Databricks id; use the IANA name of the region (e.g. 'America/New_York')"
        ));
    }
    Zone::Unknown(format!(
        "time zone '{name}': not a Redshift abbreviation with one agreed offset (Java reads short ids differently, with daylight saving); look it up with pg_timezone_abbrevs() on the cluster and write the offset, e.g. '+05:30', or use an IANA name"
    ))
}

/// `+2`, `-3:30`, `5` (POSIX: positive = west) as an ISO offset (`-02:00`, `+03:30`, `-05:00`).
fn posix_offset(s: &str) -> Option<String> {
    let (west, digits) = match s.as_bytes().first()? {
        b'+' => (true, &s[1..]),
        b'-' => (false, &s[1..]),
        _ => (true, s),
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None => (digits, "0"),
    };
    let ok = |p: &str, max: u32| {
        !p.is_empty()
            && p.len() <= 2
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|v| v <= max)
    };
    if !ok(h, 14) || !ok(m, 59) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let sign = if h == 0 && m == 0 {
        '+'
    } else if west {
        '-'
    } else {
        '+'
    };
    Some(format!("{sign}{h:02}:{m:02}"))
}

impl Rule for ConvertTimezone {
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
        let zones = &call.args[..call.args.len() - 1];
        let mut replaced: Vec<Option<String>> = Vec::new();
        for zr in zones {
            let z = cx.slice(zr);
            if cx.has_jinja(zr) || !(z.len() >= 2 && z.starts_with('\'') && z.ends_with('\'')) {
                replaced.push(None);
                continue;
            }
            let name = &z[1..z.len() - 1];
            match zone(name) {
                Zone::Same => replaced.push(None),
                Zone::Offset(off) => replaced.push(Some(format!("'{off}'"))),
                Zone::Unknown(why) => {
                    cx.report(zr.clone(), why, None);
                    return;
                }
            }
        }
        if call.args.len() == 3 && replaced.iter().all(Option::is_none) {
            return;
        }
        // One edit over the zone arguments: the inserted 'UTC' and the offsets.
        let mut pieces: Vec<Piece> = Vec::new();
        if call.args.len() == 2 {
            pieces.push("'UTC', ".into());
        }
        for (i, zr) in zones.iter().enumerate() {
            if i > 0 {
                pieces.push(Piece::Src(zones[i - 1].end..zr.start));
            }
            match &replaced[i] {
                Some(off) => pieces.push(off.clone().into()),
                None => pieces.push(Piece::Src(zr.clone())),
            }
        }
        let message = match (call.args.len(), replaced.iter().any(Option::is_some)) {
            (2, false) => "two-argument CONVERT_TIMEZONE converts from UTC in Redshift, from the session zone on Databricks",
            (2, true) => "two-argument CONVERT_TIMEZONE converts from UTC in Redshift, from the session zone on Databricks; Redshift zone abbreviations are fixed offsets",
            _ => "Redshift zone abbreviations are fixed UTC offsets (Java reads short ids as regions with daylight saving; POSIX signs are inverted)",
        };
        cx.fix_in(
            Confidence::Exact,
            call.range.clone(),
            zones[0].start..zones[zones.len() - 1].end,
            pieces,
            message,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{posix_offset, zone, Zone};
    use crate::rules::test_support::{codes, out};

    #[test]
    fn two_args_get_utc() {
        assert_eq!(
            out("SELECT CONVERT_TIMEZONE('America/New_York', ts), convert_timezone('UTC', 'Europe/Paris', ts)"),
            "SELECT CONVERT_TIMEZONE('UTC', 'America/New_York', ts), convert_timezone('UTC', 'Europe/Paris', ts)"
        );
    }

    #[test]
    fn abbreviations_become_fixed_offsets() {
        assert_eq!(
            out("SELECT CONVERT_TIMEZONE('PST', ts), CONVERT_TIMEZONE('est', 'cest', ts), CONVERT_TIMEZONE('GMT+2', 'UTC', ts)"),
            "SELECT CONVERT_TIMEZONE('UTC', '-08:00', ts), CONVERT_TIMEZONE('-05:00', '+02:00', ts), CONVERT_TIMEZONE('-02:00', 'UTC', ts)"
        );
        assert_eq!(zone("NST"), Zone::Offset("-03:30".into()));
        assert_eq!(zone("Asia/Kolkata"), Zone::Same);
    }

    #[test]
    fn posix_offsets_are_west_positive() {
        assert_eq!(posix_offset("+2").as_deref(), Some("-02:00"));
        assert_eq!(posix_offset("-3:30").as_deref(), Some("+03:30"));
        assert_eq!(posix_offset("5").as_deref(), Some("-05:00"));
        assert_eq!(posix_offset("0").as_deref(), Some("+00:00"));
        assert_eq!(posix_offset("+2:75"), None);
        assert_eq!(posix_offset("x"), None);
        assert_eq!(posix_offset(""), None);
    }

    #[test]
    fn ambiguous_and_posix_dst_zones_are_reported() {
        for sql in [
            "SELECT CONVERT_TIMEZONE('IST', ts)",
            "SELECT CONVERT_TIMEZONE('UTC', 'EST5EDT', ts)",
            "SELECT CONVERT_TIMEZONE('UTC', '+02:00', ts)",
            "SELECT CONVERT_TIMEZONE('NEWZONE +2', 'UTC', ts)",
        ] {
            assert_eq!(codes(sql), vec!["RS109"], "{sql}");
            assert_eq!(out(sql), sql);
        }
    }
}
