//! Redshift date-part names and their aliases (redshift-to-databricks.md §1C), shared by the
//! DATEADD, DATEDIFF, DATE_TRUNC, DATE_PART/EXTRACT and INTERVAL rules. Note `m` is MINUTE.

/// A Redshift date part, normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    Millennium,
    Century,
    Decade,
    Year,
    Quarter,
    Month,
    Week,
    Day,
    DayOfWeek,
    DayOfYear,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
    Epoch,
    Timezone,
    TimezoneHour,
    TimezoneMinute,
}

impl DatePart {
    /// Parses a Redshift date part or alias (case-insensitive, as written without quotes).
    pub fn parse(s: &str) -> Option<DatePart> {
        use DatePart::*;
        let l = s.trim().to_ascii_lowercase();
        Some(match l.as_str() {
            "millennium" | "millennia" | "mil" | "mils" => Millennium,
            "century" | "centuries" | "c" | "cent" | "cents" => Century,
            "decade" | "decades" | "dec" | "decs" => Decade,
            "year" | "years" | "y" | "yr" | "yrs" => Year,
            "quarter" | "quarters" | "qtr" | "qtrs" => Quarter,
            "month" | "months" | "mon" | "mons" => Month,
            "week" | "weeks" | "w" => Week,
            "day" | "days" | "d" => Day,
            "dayofweek" | "dow" | "dw" | "weekday" => DayOfWeek,
            "dayofyear" | "doy" | "dy" | "yearday" => DayOfYear,
            "hour" | "hours" | "h" | "hr" | "hrs" => Hour,
            "minute" | "minutes" | "m" | "min" | "mins" => Minute,
            "second" | "seconds" | "s" | "sec" | "secs" => Second,
            "millisecond" | "milliseconds" | "ms" | "msec" | "msecs" | "msecond" | "mseconds"
            | "millisec" | "millisecs" | "millisecon" => Millisecond,
            "microsecond" | "microseconds" | "microsec" | "microsecs" | "usecond" | "useconds"
            | "us" | "usec" | "usecs" => Microsecond,
            "epoch" => Epoch,
            "timezone" => Timezone,
            "timezone_hour" => TimezoneHour,
            "timezone_minute" => TimezoneMinute,
            _ => return None,
        })
    }

    /// The canonical `EXTRACT` field keyword for this part, which sqlparser (like PostgreSQL)
    /// accepts where Redshift also takes every alias (`EXTRACT(min FROM x)`).
    pub fn extract_field(self) -> &'static str {
        use DatePart::*;
        match self {
            Millennium => "MILLENNIUM",
            Century => "CENTURY",
            Decade => "DECADE",
            Year => "YEAR",
            Quarter => "QUARTER",
            Month => "MONTH",
            Week => "WEEK",
            Day => "DAY",
            DayOfWeek => "DOW",
            DayOfYear => "DOY",
            Hour => "HOUR",
            Minute => "MINUTE",
            Second => "SECOND",
            Millisecond => "MILLISECOND",
            Microsecond => "MICROSECOND",
            Epoch => "EPOCH",
            Timezone => "TIMEZONE",
            TimezoneHour => "TIMEZONE_HOUR",
            TimezoneMinute => "TIMEZONE_MINUTE",
        }
    }

    /// The Databricks unit keyword for `timestampadd`/`timestampdiff`, when there is one.
    pub fn databricks_unit(self) -> Option<&'static str> {
        use DatePart::*;
        Some(match self {
            Year => "YEAR",
            Quarter => "QUARTER",
            Month => "MONTH",
            Week => "WEEK",
            Day => "DAY",
            Hour => "HOUR",
            Minute => "MINUTE",
            Second => "SECOND",
            Millisecond => "MILLISECOND",
            Microsecond => "MICROSECOND",
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m_is_minute_and_mon_is_month() {
        assert_eq!(DatePart::parse("m"), Some(DatePart::Minute));
        assert_eq!(DatePart::parse("MON"), Some(DatePart::Month));
        assert_eq!(DatePart::parse("qtr"), Some(DatePart::Quarter));
        assert_eq!(DatePart::parse("fortnight"), None);
    }
}
