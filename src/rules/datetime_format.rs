use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr, FunctionArguments};

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Translates Redshift datetime format strings to Databricks.
    /// `TO_CHAR(ts, 'YYYY-MM-DD HH24:MI:SS')` → `date_format(ts, 'yyyy-MM-dd HH:mm:ss')`. Fields
    /// without a Java pattern letter become expressions of the argument joined with `concat`:
    /// `MON` → `upper(date_format(ts, 'MMM'))`, padded `Month` → `rpad(date_format(ts, 'MMMM'), 9,
    /// ' ')`, `D` (Sunday = 1) → `dayofweek(ts)`, `IYYY`/`IW` (ISO year/week), `WW`, `W`, `CC`,
    /// `J` (Julian day), `ID`, `IDDD`, `Y,YYY`, `am`/`A.M.` …. Such a rewrite repeats the
    /// argument, so it is applied only when the argument is a column, a literal, a cast of one or
    /// a per-query constant (`GETDATE()`); otherwise it is reported. The format of `TO_DATE` /
    /// `TO_TIMESTAMP` is translated to a parsing pattern (single letters, `'yyyy-M-d'`, accept one
    /// or two digits like Redshift); fields a pattern cannot parse (`IW`, `J`, two-digit `YY` …)
    /// are reported. `"quoted text"` becomes `'quoted text'`, `FM` drops padding. Numeric formats,
    /// `TZ`/`OF`, `RM`, `TH`/`SP` suffixes and unknown letters are reported.
    ///
    /// ## Why it differs on Databricks
    /// Every letter means something else: Java `mm` is minutes (Redshift `MI`), `YYYY` is the
    /// week-based year, Redshift `HH` is the **12-hour** clock (Java `hh`), `DDD` vs `D`, and any
    /// unquoted ASCII letter is a pattern letter in Java. Redshift pads month and day names to 9
    /// characters and writes them in the case of the field (`MON` → `MAR`). Passing Redshift
    /// formats through gives wrong text or errors.
    ///
    /// ## Example
    /// ```sql
    /// SELECT TO_CHAR(order_ts, 'YYYY-MM-DD HH24:MI'), TO_CHAR(order_ts, 'MON-YY'),
    ///        TO_CHAR(order_ts, 'IYYY-IW'), TO_DATE(s, 'DD/MM/YYYY') FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT date_format(order_ts, 'yyyy-MM-dd HH:mm'), upper(date_format(order_ts, 'MMM-yy')),
    ///        concat(lpad(CAST(date_part('YEAROFWEEK', order_ts) AS STRING), 4, '0'), '-',
    ///        lpad(CAST(weekofyear(order_ts) AS STRING), 2, '0')), TO_DATE(s, 'd/M/yyyy') FROM t
    /// ```
    pub struct DatetimeFormat;
    code: "RS110",
    name: "datetime-format",
    summary: "TO_CHAR/TO_DATE/TO_TIMESTAMP format strings translated to Java patterns and expressions",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for DatetimeFormat {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let name = Checker::fn_name(f);
        let parse = match name.as_str() {
            "TO_CHAR" => false,
            "TO_DATE" | "TO_TIMESTAMP" => true,
            _ => return,
        };
        let FunctionArguments::List(list) = &f.args else {
            return;
        };
        let Some(call) = cx.call(f) else { return };
        if call.args.len() != list.args.len() || call.args.len() < 2 {
            return;
        }
        if call.args.len() > 2 {
            cx.report(
                call.range,
                format!("{name} with a strictness argument: remove it and use {}(s, javaPattern) (Databricks parsing is always strict: an error under ANSI, NULL with try_to_timestamp; Redshift's default is lenient)", name.to_ascii_lowercase()),
                None,
            );
            return;
        }
        let fmt_range = call.args[1].clone();
        if cx.has_jinja(&fmt_range) {
            cx.jinja_hides(call.range, "the format string");
            return;
        }
        let arg = |i: usize| match list.args.get(i) {
            Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(e))) => Some(e),
            _ => None,
        };
        let Some(fmt) = arg(1).and_then(Checker::string_literal) else {
            cx.report(
                call.range,
                format!("{name} with a non-literal format: write the format as a string literal, or use date_format(x, javaPattern) with a Java pattern"),
                None,
            );
            return;
        };
        if !parse
            && fmt
                .chars()
                .all(|c| "09.,$SGDLPRMIVBEFNTH ".contains(c.to_ascii_uppercase()))
            && fmt.contains(['9', '0'])
        {
            cx.report(
                call.range,
                "numeric TO_CHAR: Databricks to_char(number, fmt) supports only 0 9 . , $ S MI PR; use to_char with those letters or format_number(n, decimals), and check the leading blank Redshift adds for the sign",
                None,
            );
            return;
        }
        let items = match tokenize(fmt) {
            Ok(items) => items,
            Err(why) => {
                cx.report(call.range, format!("{name} format '{fmt}': {why}"), None);
                return;
            }
        };
        if parse {
            let java = match parse_pattern(fmt, &items) {
                Ok(j) => j,
                Err(why) => {
                    cx.report(call.range, format!("{name} format '{fmt}': {why}"), None);
                    return;
                }
            };
            let lit = sql_str(&java);
            if cx.slice(&fmt_range) == lit {
                return;
            }
            cx.fix_in(
                Self::INFO.confidence,
                call.range.clone(),
                fmt_range,
                vec![lit.into()],
                "Redshift format letters differ from Java patterns",
            );
            return;
        }
        let template = match format_template(&items) {
            Ok(t) => t,
            Err(why) => {
                cx.report(call.range, format!("{name} format '{fmt}': {why}"), None);
                return;
            }
        };
        let uses = template.matches(ARG).count();
        if uses > 1 && cx.has_jinja(&call.args[0]) {
            cx.jinja_hides(call.range, "the TO_CHAR argument the rewrite would repeat");
            return;
        }
        if uses > 1 && !arg(0).is_some_and(repeatable) {
            let fields: Vec<&str> = items
                .iter()
                .filter_map(|i| match i {
                    Item::Field(t) if needs_expression(t) => Some(&fmt[t.start..t.start + t.len]),
                    _ => None,
                })
                .collect();
            cx.report(
                call.range,
                format!(
                    "TO_CHAR format '{fmt}': {} has no Java pattern letter, so the rewrite repeats \
                     the argument, which is not a plain column, literal, cast or per-query \
                     constant; compute the argument once (a column of a subquery or CTE) and \
                     format that",
                    fields
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None,
            );
            return;
        }
        let mut pieces: Vec<Piece> = Vec::new();
        for (i, part) in template.split(ARG).enumerate() {
            if i > 0 {
                pieces.push(Piece::Src(call.args[0].clone()));
            }
            if !part.is_empty() {
                pieces.push(part.to_string().into());
            }
        }
        cx.fix(
            call.range,
            pieces,
            "Redshift TO_CHAR format fields differ from Java patterns (date_format and expressions)",
        );
    }
}

/// Placeholder for the argument in a rewrite template.
const ARG: &str = "\u{1}";

/// A Databricks string literal (backslash escapes, as Databricks reads them).
fn sql_str(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Whether repeating the expression in a rewrite gives the same value every time: columns,
/// literals, casts and arithmetic of those, and per-query constants such as `GETDATE()`.
fn repeatable(e: &Expr) -> bool {
    match e {
        Expr::Identifier(_)
        | Expr::CompoundIdentifier(_)
        | Expr::Value(_)
        | Expr::TypedString { .. }
        | Expr::Interval(_) => true,
        Expr::Nested(x) | Expr::Cast { expr: x, .. } | Expr::UnaryOp { expr: x, .. } => {
            repeatable(x)
        }
        Expr::BinaryOp { left, right, .. } => repeatable(left) && repeatable(right),
        Expr::Function(f) => {
            let name = Checker::fn_name(f);
            let constant = matches!(
                name.as_str(),
                "GETDATE"
                    | "SYSDATE"
                    | "CURRENT_DATE"
                    | "CURRENT_TIMESTAMP"
                    | "NOW"
                    | "LOCALTIMESTAMP"
                    | "TRUNC"
                    | "DATE_TRUNC"
                    | "DATEADD"
                    | "DATE_ADD"
                    | "CONVERT_TIMEZONE"
                    | "TO_DATE"
                    | "TO_TIMESTAMP"
                    | "DATE"
                    | "COALESCE"
                    | "NVL"
                    | "MIN"
                    | "MAX"
            );
            if !constant || f.over.is_some() || f.filter.is_some() {
                return false;
            }
            match &f.args {
                FunctionArguments::None => true,
                FunctionArguments::List(l) => {
                    l.duplicate_treatment.is_none()
                        && l.clauses.is_empty()
                        && l.args.iter().all(|a| {
                            matches!(a, FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) if repeatable(x))
                        })
                }
                FunctionArguments::Subquery(_) => false,
            }
        }
        _ => false,
    }
}

/// How the letters of a field are written: `MON`, `mon`, `Mon`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Upper,
    Lower,
    Capital,
}

/// One field of a format string.
#[derive(Debug, Clone)]
struct Field {
    /// The field in upper case, as in [`FIELDS`].
    key: &'static str,
    case: Case,
    /// Preceded by `FM` (no padding).
    fm: bool,
    /// Byte offset and length in the format.
    start: usize,
    len: usize,
}

#[derive(Debug, Clone)]
enum Item {
    /// Text copied as is.
    Text(String),
    Field(Field),
}

/// Redshift datetime fields and modifiers, longest first so that the longest one matches
/// (PostgreSQL's rule, which Redshift inherits): `DDD` before `DD` before `D`.
const FIELDS: &[&str] = &[
    "SSSSS", "Y,YYY", "MONTH", "HH24", "HH12", "YYYY", "IYYY", "IDDD", "SSSS", "A.M.", "P.M.",
    "A.D.", "B.C.", "YYY", "IYY", "MON", "DDD", "DAY", "HH", "YY", "IY", "ID", "IW", "MM", "MI",
    "MS", "US", "SS", "DD", "DY", "WW", "CC", "AM", "PM", "AD", "BC", "RM", "TZ", "OF", "FM", "FX",
    "TM", "TH", "SP", "Y", "I", "D", "W", "J", "Q",
];

/// Fields whose mixed-case spelling (`Month`) means something.
fn has_capital_form(key: &str) -> bool {
    matches!(key, "MONTH" | "MON" | "DAY" | "DY")
}

/// Splits a Redshift format into literal text and fields.
fn tokenize(fmt: &str) -> Result<Vec<Item>, String> {
    let mut items: Vec<Item> = Vec::new();
    let text = |items: &mut Vec<Item>, s: &str| match items.last_mut() {
        Some(Item::Text(t)) => t.push_str(s),
        _ => items.push(Item::Text(s.to_string())),
    };
    let mut fm = false;
    let mut i = 0;
    while i < fmt.len() {
        let rest = &fmt[i..];
        let c = rest.chars().next().unwrap_or(' ');
        if fm && !c.is_ascii_alphabetic() {
            return Err("FM must be followed directly by a field: remove it or move it before the field (`FMDD`)".into());
        }
        if c == '\\' {
            return Err("a backslash in the format (Redshift escapes with it): write literal text in double quotes (`\"text\"`)".into());
        }
        if c == '"' {
            let end = rest[1..]
                .find('"')
                .ok_or("unterminated quoted text: add the closing `\"`")?;
            text(&mut items, &rest[1..1 + end]);
            i += end + 2;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            text(&mut items, &rest[..c.len_utf8()]);
            i += c.len_utf8();
            continue;
        }
        let Some(&key) = FIELDS.iter().find(|k| {
            rest.get(..k.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(k))
        }) else {
            return Err(format!(
                "`{c}` is not a Redshift format field: write literal text in double quotes (`\"{c}\"`)"
            ));
        };
        let src = &rest[..key.len()];
        let letters: Vec<char> = src.chars().filter(char::is_ascii_alphabetic).collect();
        let case = if letters.iter().all(char::is_ascii_uppercase) {
            Case::Upper
        } else if letters.iter().all(char::is_ascii_lowercase) {
            Case::Lower
        } else if has_capital_form(key) && letters[1..].iter().all(char::is_ascii_lowercase) {
            Case::Capital
        } else {
            return Err(format!(
                "`{src}` mixes upper and lower case (Redshift reads it as other fields); write `{key}` or `{}`",
                key.to_ascii_lowercase()
            ));
        };
        match key {
            "FM" => {
                fm = true;
                i += 2;
                continue;
            }
            "TH" | "SP" => {
                return Err(format!("the `{src}` suffix (ordinal or spelled-out numbers) has no Databricks equivalent: remove it, or add the suffix with a CASE expression on day(x)"));
            }
            "FX" | "TM" => {
                return Err(format!("the `{src}` modifier has no Databricks equivalent: remove it (Databricks writes English names)"))
            }
            "TZ" | "OF" => {
                return Err(format!("`{src}` (time zone of a TIMESTAMPTZ) has no Databricks equivalent: Databricks timestamps carry no zone; write the zone as literal text (`\"UTC\"`)"));
            }
            "RM" => {
                return Err("Roman-numeral months (`RM`): use element_at(array('I','II',…,'XII'), month(x)) padded as Redshift pads it".into());
            }
            "SSSS" | "SSSSS" => {
                return Err(format!("`{src}` (seconds past midnight) is not a documented Redshift field; use hour(x)*3600 + minute(x)*60 + second(x)"));
            }
            _ => {}
        }
        if fm && matches!(key, "MS" | "US") {
            return Err(format!(
                "FM before `{src}`: Redshift's padding of fractional seconds is undocumented; remove FM (padded: date_format(x, 'SSS')) or compute the value by hand"
            ));
        }
        items.push(Item::Field(Field {
            key,
            case,
            fm,
            start: i,
            len: key.len(),
        }));
        fm = false;
        i += key.len();
    }
    if fm {
        return Err("FM at the end of the format: remove it".into());
    }
    Ok(items)
}

/// Appends literal text to a Java pattern: separators as they are, anything else quoted (any
/// ASCII letter is a pattern letter in Java).
fn java_text(out: &mut String, s: &str) {
    let mut quoted = String::new();
    let flush = |out: &mut String, q: &mut String| {
        if !q.is_empty() {
            out.push('\'');
            out.push_str(&q.replace('\'', "''"));
            out.push('\'');
            q.clear();
        }
    };
    for c in s.chars() {
        if matches!(c, '-' | '/' | ':' | ',' | '.' | ' ' | ';') {
            flush(out, &mut quoted);
            out.push(c);
        } else {
            quoted.push(c);
        }
    }
    flush(out, &mut quoted);
}

/// The parsing pattern for TO_DATE / TO_TIMESTAMP.
fn parse_pattern(fmt: &str, items: &[Item]) -> Result<String, String> {
    let mut out = String::new();
    for item in items {
        let f = match item {
            Item::Text(t) => {
                java_text(&mut out, t);
                continue;
            }
            Item::Field(f) => f,
        };
        // One letter accepts one or two digits (Redshift is lenient), but only when separators
        // delimit the field: in `YYYYMMDD` the widths must stay fixed.
        let prev_alnum = fmt[..f.start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        let next_alnum = fmt[f.start + f.len..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        let flexible = f.fm || (!prev_alnum && !next_alnum);
        let two = |a: &str, one: &str| {
            if flexible {
                one.to_string()
            } else {
                a.to_string()
            }
        };
        let src = &fmt[f.start..f.start + f.len];
        let pat = match f.key {
            "HH24" => two("HH", "H"),
            "HH12" | "HH" => two("hh", "h"),
            "YYYY" => "yyyy".into(),
            "MM" => two("MM", "M"),
            "MI" => two("mm", "m"),
            "SS" => two("ss", "s"),
            "MS" => "SSS".into(),
            "US" => "SSSSSS".into(),
            "DD" => two("dd", "d"),
            "DDD" => "DDD".into(),
            // Databricks parses names without regard to case, like Redshift.
            "MON" => "MMM".into(),
            // Spark 3+ refuses to parse with day-of-week letters (E): an error at run time.
            "DY" | "DAY" => {
                return Err(format!("Databricks cannot parse weekday names (`{src}`); remove the weekday from the text and the format, e.g. to_date(regexp_replace(s, '^[A-Za-z]+,? *', ''), …)"));
            }
            "MONTH" if !f.fm => {
                return Err(format!("`{src}` expects a name blank-padded to 9 characters, which a Java pattern cannot parse; use `FM{src}` if the text is not padded, or trim it: to_date(regexp_replace(s, ' +', ' '), …)"));
            }
            "MONTH" => "MMMM".into(),
            "AM" | "PM" => "a".into(),
            "YY" => {
                return Err("`YY` in a parse format: Redshift reads 70–99 as 19xx and 00–69 as 20xx, Java reads every two-digit year as 20xx; use `YYYY` if the text has four digits, or make_date(CASE WHEN yy < 70 THEN 2000 + yy ELSE 1900 + yy END, …) with yy from regexp_extract(s, …)".into());
            }
            _ => {
                return Err(format!("`{src}` cannot be parsed with a Databricks (Java) pattern; use regexp_extract(s, …) for the parts and make_date(…) / make_timestamp(…) to build the value"));
            }
        };
        out.push_str(&pat);
    }
    Ok(out)
}

/// Whether the field needs an expression (not a Java pattern letter) in TO_CHAR.
fn needs_expression(f: &Field) -> bool {
    !matches!(format_field(f), Ok(Out::Pattern { .. }))
}

/// The case of a field's text: digits have none; Java writes names capitalised and AM/PM, AD/BC
/// in capitals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextCase {
    None,
    Upper,
    Lower,
    Capital,
}

/// What a TO_CHAR field becomes.
#[derive(Debug, Clone)]
enum Out {
    /// Java pattern letters; `java` is the case Java writes, `want` the case Redshift writes.
    Pattern {
        pattern: String,
        java: TextCase,
        want: TextCase,
    },
    /// A Spark SQL string expression of the argument ([`ARG`]).
    Expr(String),
}

fn df(pattern: &str) -> String {
    format!("date_format({ARG}, '{pattern}')")
}

/// Zero-padded to `width` unless FM; `v` is a non-negative integer expression whose value never
/// has more than `width` digits.
fn padded(v: &str, width: usize, fm: bool) -> String {
    if fm || width <= 1 {
        format!("CAST({v} AS STRING)")
    } else {
        format!("lpad(CAST({v} AS STRING), {width}, '0')")
    }
}

fn format_field(f: &Field) -> Result<Out, String> {
    let fm = f.fm;
    let pat = |p: &str| Out::Pattern {
        pattern: p.to_string(),
        java: TextCase::None,
        want: TextCase::None,
    };
    let want = match f.case {
        Case::Upper => TextCase::Upper,
        Case::Lower => TextCase::Lower,
        Case::Capital => TextCase::Capital,
    };
    let text = |p: &str, java: TextCase| Out::Pattern {
        pattern: p.to_string(),
        java,
        want,
    };
    let cased = |e: String| match f.case {
        Case::Upper => Out::Expr(format!("upper({e})")),
        Case::Lower => Out::Expr(format!("lower({e})")),
        Case::Capital => Out::Expr(e),
    };
    let iso_year = format!("date_part('YEAROFWEEK', {ARG})");
    Ok(match f.key {
        "YYYY" => pat(if fm { "y" } else { "yyyy" }),
        "YYY" => Out::Expr(padded(&format!("year({ARG}) % 1000"), 3, fm)),
        "YY" if fm => Out::Expr(padded(&format!("year({ARG}) % 100"), 2, fm)),
        "YY" => pat("yy"),
        "Y" => Out::Expr(padded(&format!("year({ARG}) % 10"), 1, fm)),
        "Y,YYY" => Out::Expr(format!(
            "concat(CAST(floor(year({ARG}) / 1000) AS STRING), ',', lpad(CAST(year({ARG}) % 1000 AS STRING), 3, '0'))"
        )),
        "IYYY" => Out::Expr(padded(&iso_year, 4, fm)),
        "IYY" => Out::Expr(padded(&format!("{iso_year} % 1000"), 3, fm)),
        "IY" => Out::Expr(padded(&format!("{iso_year} % 100"), 2, fm)),
        "I" => Out::Expr(padded(&format!("{iso_year} % 10"), 1, fm)),
        "IW" => Out::Expr(padded(&format!("weekofyear({ARG})"), 2, fm)),
        "IDDD" => Out::Expr(padded(
            &format!("(weekofyear({ARG}) - 1) * 7 + weekday({ARG}) + 1"),
            3,
            fm,
        )),
        "ID" => Out::Expr(padded(&format!("weekday({ARG}) + 1"), 1, fm)),
        "WW" => Out::Expr(padded(&format!("ceil(dayofyear({ARG}) / 7)"), 2, fm)),
        "W" => Out::Expr(padded(&format!("ceil(day({ARG}) / 7)"), 1, fm)),
        "D" => Out::Expr(padded(&format!("dayofweek({ARG})"), 1, fm)),
        "J" => Out::Expr(padded(
            &format!("unix_date(CAST({ARG} AS DATE)) + 2440588"),
            1,
            fm,
        )),
        // Century 21 is 2001–2100. Two digits; three from year 9901 on, which lpad would cut.
        "CC" if fm => Out::Expr(padded(&format!("ceil(year({ARG}) / 100)"), 1, fm)),
        "CC" => Out::Expr(format!(
            "CASE WHEN year({ARG}) > 900 THEN CAST(ceil(year({ARG}) / 100) AS STRING) ELSE lpad(CAST(ceil(year({ARG}) / 100) AS STRING), 2, '0') END"
        )),
        "Q" => pat("Q"),
        "MM" => pat(if fm { "M" } else { "MM" }),
        "DDD" => pat(if fm { "D" } else { "DDD" }),
        "DD" => pat(if fm { "d" } else { "dd" }),
        "HH24" => pat(if fm { "H" } else { "HH" }),
        "HH" | "HH12" => pat(if fm { "h" } else { "hh" }),
        "MI" => pat(if fm { "m" } else { "mm" }),
        "SS" => pat(if fm { "s" } else { "ss" }),
        "MS" => pat("SSS"),
        "US" => pat("SSSSSS"),
        "MON" => text("MMM", TextCase::Capital),
        "DY" => text("EEE", TextCase::Capital),
        "MONTH" | "DAY" => {
            let p = if f.key == "MONTH" { "MMMM" } else { "EEEE" };
            if fm {
                text(p, TextCase::Capital)
            } else {
                // Names are blank-padded to 9 characters (the longest, September/Wednesday).
                cased(format!("rpad({}, 9, ' ')", df(p)))
            }
        }
        "AM" | "PM" => text("a", TextCase::Upper),
        "AD" | "BC" => text("G", TextCase::Upper),
        "A.M." | "P.M." => cased(format!(
            "replace(replace({}, 'AM', 'A.M.'), 'PM', 'P.M.')",
            df("a")
        )),
        "A.D." | "B.C." => cased(format!(
            "replace(replace({}, 'AD', 'A.D.'), 'BC', 'B.C.')",
            df("G")
        )),
        // tokenize() rejects the rest; never guess.
        other => return Err(format!("`{other}` has no Databricks equivalent; remove it")),
    })
}

/// The TO_CHAR rewrite with [`ARG`] where the argument goes.
fn format_template(items: &[Item]) -> Result<String, String> {
    let outs: Vec<Option<Out>> = items
        .iter()
        .map(|i| match i {
            Item::Text(_) => Ok(None),
            Item::Field(f) => format_field(f).map(Some),
        })
        .collect::<Result<_, _>>()?;
    let texts = |i: usize| match &items[i] {
        Item::Text(t) => t.as_str(),
        Item::Field(_) => "",
    };
    // All fields are pattern letters: one date_format, wrapped in upper()/lower() when that
    // gives every field its case and leaves the literal text alone.
    let patterns: Option<Vec<(&str, TextCase, TextCase)>> = outs
        .iter()
        .flatten()
        .map(|o| match o {
            Out::Pattern {
                pattern,
                java,
                want,
            } => Some((pattern.as_str(), *java, *want)),
            Out::Expr(_) => None,
        })
        .collect();
    if let Some(patterns) = patterns {
        let fits = |wrap: TextCase| {
            patterns.iter().all(|&(_, java, want)| match wrap {
                TextCase::None => java == want || java == TextCase::None,
                w => want == w || java == TextCase::None,
            }) && (0..items.len()).all(|i| {
                let t = texts(i);
                match wrap {
                    TextCase::Upper => t.chars().all(|c| c.is_ascii() && !c.is_ascii_lowercase()),
                    TextCase::Lower => t.chars().all(|c| c.is_ascii() && !c.is_ascii_uppercase()),
                    _ => true,
                }
            })
        };
        if let Some(wrap) = [TextCase::None, TextCase::Upper, TextCase::Lower]
            .into_iter()
            .find(|&w| fits(w))
        {
            let mut java = String::new();
            for (i, item) in items.iter().enumerate() {
                match (&outs[i], item) {
                    (Some(Out::Pattern { pattern, .. }), _) => java.push_str(pattern),
                    (_, Item::Text(t)) => java_text(&mut java, t),
                    _ => {}
                }
            }
            let call = format!("date_format({ARG}, {})", sql_str(&java));
            return Ok(match wrap {
                TextCase::Upper => format!("upper({call})"),
                TextCase::Lower => format!("lower({call})"),
                _ => call,
            });
        }
    }
    // Otherwise concat(…) of date_format runs, expressions and literal text.
    let mut parts: Vec<String> = Vec::new();
    let mut run = String::new();
    let mut run_has_field = false;
    let mut run_text = String::new();
    let flush = |parts: &mut Vec<String>, run: &mut String, has: &mut bool, raw: &mut String| {
        if *has {
            parts.push(format!("date_format({ARG}, {})", sql_str(run)));
        } else if !raw.is_empty() {
            parts.push(sql_str(raw));
        }
        run.clear();
        raw.clear();
        *has = false;
    };
    for (i, item) in items.iter().enumerate() {
        match (&outs[i], item) {
            (
                Some(Out::Pattern {
                    pattern,
                    java,
                    want,
                }),
                _,
            ) if java == want || *java == TextCase::None => {
                run.push_str(pattern);
                run_has_field = true;
            }
            (Some(Out::Pattern { pattern, want, .. }), _) => {
                flush(&mut parts, &mut run, &mut run_has_field, &mut run_text);
                let f = if *want == TextCase::Lower {
                    "lower"
                } else {
                    "upper"
                };
                parts.push(format!("{f}({})", df(pattern)));
            }
            (Some(Out::Expr(e)), _) => {
                flush(&mut parts, &mut run, &mut run_has_field, &mut run_text);
                parts.push(e.clone());
            }
            (None, Item::Text(t)) => {
                java_text(&mut run, t);
                run_text.push_str(t);
            }
            (None, Item::Field(_)) => {}
        }
    }
    flush(&mut parts, &mut run, &mut run_has_field, &mut run_text);
    Ok(if parts.len() == 1 {
        parts.remove(0)
    } else {
        format!("concat({})", parts.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::{tokenize, Item, FIELDS};
    use crate::rules::test_support::{codes, fix, out};

    #[test]
    fn pattern_formats_are_translated() {
        assert_eq!(
            out("SELECT TO_CHAR(ts, 'YYYY-MM-DD HH24:MI:SS'), to_char(ts, 'Dy, DD Mon YYYY \"at\" HH:MI AM'), TO_DATE(s, 'DD/MM/YYYY')"),
            "SELECT date_format(ts, 'yyyy-MM-dd HH:mm:ss'), date_format(ts, 'EEE, dd MMM yyyy \\'at\\' hh:mm a'), TO_DATE(s, 'd/M/yyyy')"
        );
        assert_eq!(
            out("SELECT TO_DATE(k, 'YYYYMMDD'), TO_TIMESTAMP(t, 'YYYY-MM-DD HH24:MI:SS')"),
            "SELECT TO_DATE(k, 'yyyyMMdd'), TO_TIMESTAMP(t, 'yyyy-M-d H:m:s')"
        );
        // FM drops padding of numbers; lower-case numeric fields mean the same.
        assert_eq!(
            out("SELECT TO_CHAR(ts, 'FMDD/FMMM/YYYY FMHH24:mi'), TO_CHAR(ts, 'FMDDD FMYYYY')"),
            "SELECT date_format(ts, 'd/M/yyyy H:mm'), date_format(ts, 'D y')"
        );
    }

    #[test]
    fn case_of_names_is_kept_with_upper_or_lower() {
        assert_eq!(
            out("SELECT TO_CHAR(ts, 'MON-YY'), TO_CHAR(ts, 'DY'), TO_CHAR(ts, 'HH:MI am'), TO_CHAR(ts, 'mon dy')"),
            "SELECT upper(date_format(ts, 'MMM-yy')), upper(date_format(ts, 'EEE')), lower(date_format(ts, 'hh:mm a')), lower(date_format(ts, 'MMM EEE'))"
        );
        // Mixed: the upper-case name alone is wrapped, the rest stays one pattern.
        assert_eq!(
            out("SELECT TO_CHAR(ts, 'DD MON \"at\" HH24')"),
            "SELECT concat(date_format(ts, 'dd '), upper(date_format(ts, 'MMM')), date_format(ts, ' \\'at\\' HH'))"
        );
    }

    #[test]
    fn padded_names_and_fields_without_letters_become_expressions() {
        assert_eq!(
            out("SELECT TO_CHAR(ts, 'Month'), TO_CHAR(ts, 'MONTH YYYY'), TO_CHAR(ts, 'FMMonth')"),
            "SELECT rpad(date_format(ts, 'MMMM'), 9, ' '), concat(upper(rpad(date_format(ts, 'MMMM'), 9, ' ')), date_format(ts, ' yyyy')), date_format(ts, 'MMMM')"
        );
        assert_eq!(
            out("SELECT TO_CHAR(d, 'D'), TO_CHAR(d, 'IYYY-IW'), TO_CHAR(d, 'WW'), TO_CHAR(d, 'J')"),
            "SELECT CAST(dayofweek(d) AS STRING), concat(lpad(CAST(date_part('YEAROFWEEK', d) AS STRING), 4, '0'), '-', lpad(CAST(weekofyear(d) AS STRING), 2, '0')), lpad(CAST(ceil(dayofyear(d) / 7) AS STRING), 2, '0'), CAST(unix_date(CAST(d AS DATE)) + 2440588 AS STRING)"
        );
        assert_eq!(
            out("SELECT TO_CHAR(d, 'cc'), TO_CHAR(d, 'FMCC'), TO_CHAR(d, 'Y,YYY'), TO_CHAR(d, 'ID'), TO_CHAR(d, 'a.m.')"),
            "SELECT CASE WHEN year(d) > 900 THEN CAST(ceil(year(d) / 100) AS STRING) ELSE lpad(CAST(ceil(year(d) / 100) AS STRING), 2, '0') END, \
             CAST(ceil(year(d) / 100) AS STRING), \
             concat(CAST(floor(year(d) / 1000) AS STRING), ',', lpad(CAST(year(d) % 1000 AS STRING), 3, '0')), \
             CAST(weekday(d) + 1 AS STRING), \
             lower(replace(replace(date_format(d, 'a'), 'AM', 'A.M.'), 'PM', 'P.M.'))"
        );
        // The Redshift documentation's example: padded MONTH, DY, then a 12-hour clock.
        assert_eq!(
            out("SELECT to_char(timestamp '2009-12-31 23:15:59', 'MONTH-DY-DD-YYYY HH12:MIPM')"),
            "SELECT concat(upper(rpad(date_format(timestamp '2009-12-31 23:15:59', 'MMMM'), 9, ' ')), '-', upper(date_format(timestamp '2009-12-31 23:15:59', 'EEE')), date_format(timestamp '2009-12-31 23:15:59', '-dd-yyyy hh:mma'))"
        );
    }

    #[test]
    fn repeated_arguments_must_be_repeatable() {
        // A cast of a column, a per-query constant, arithmetic with a literal: fine.
        assert_eq!(
            out("SELECT TO_CHAR(ts::date, 'D DY'), TO_CHAR(CURRENT_DATE, 'D DY'), TO_CHAR(ts + 1, 'D DY')"),
            "SELECT concat(CAST(dayofweek(ts::date) AS STRING), ' ', upper(date_format(ts::date, 'EEE'))), \
             concat(CAST(dayofweek(CURRENT_DATE) AS STRING), ' ', upper(date_format(CURRENT_DATE, 'EEE'))), \
             concat(CAST(dayofweek(ts + 1) AS STRING), ' ', upper(date_format(ts + 1, 'EEE')))"
        );
        // A subquery or RANDOM() could change between the copies: reported, left alone.
        let sql = "SELECT TO_CHAR((SELECT max(ts) FROM t), 'Month YYYY')";
        assert_eq!(codes(sql), vec!["RS110"]);
        assert_eq!(out(sql), sql);
        // Aggregates are one value per group.
        assert_eq!(
            out("SELECT TO_CHAR(MAX(ts), 'D') FROM t"),
            "SELECT CAST(dayofweek(MAX(ts)) AS STRING) FROM t"
        );
        assert_eq!(
            out("SELECT TO_CHAR(MAX(ts), 'Month') FROM t"),
            "SELECT rpad(date_format(MAX(ts), 'MMMM'), 9, ' ') FROM t"
        );
        // One copy only: any argument.
        assert_eq!(
            out("SELECT TO_CHAR((SELECT max(ts) FROM t), 'MON')"),
            "SELECT upper(date_format((SELECT max(ts) FROM t), 'MMM'))"
        );
    }

    #[test]
    fn untranslatable_formats_are_reported() {
        for sql in [
            "SELECT TO_CHAR(ts, 'HH24 TZ')",
            "SELECT TO_CHAR(ts, 'DDth')",
            "SELECT TO_CHAR(ts, 'RM')",
            "SELECT TO_CHAR(ts, 'Yyyy')",
            "SELECT TO_CHAR(ts, 'YYYY-MM-DDTHH24')",
            "SELECT TO_CHAR(ts, 'FMMS')",
            "SELECT TO_CHAR(n, '999,999.00')",
            // Parsing cannot use expressions.
            "SELECT TO_DATE(s, 'IYYY-IW')",
            "SELECT TO_DATE(s, 'DD/MM/YY')",
            "SELECT TO_DATE(s, 'Month DD, YYYY')",
            "SELECT TO_DATE(s, 'Dy DD Mon YYYY')",
        ] {
            assert_eq!(codes(sql), vec!["RS110"], "{sql}");
            assert_eq!(out(sql), sql);
            // Each report names what to write instead, not just "by hand".
            let msg = fix(sql).findings[0].message.clone();
            assert!(
                msg.contains('`') || msg.contains('(') || msg.contains("remove"),
                "{msg}"
            );
            assert!(!msg.ends_with("translate by hand"), "{msg}");
        }
    }

    #[test]
    fn parse_formats_take_names_in_any_case() {
        assert_eq!(
            out("SELECT TO_DATE(s, 'DD-MON-YYYY'), TO_DATE(s, 'FMMonth FMDD, YYYY')"),
            "SELECT TO_DATE(s, 'd-MMM-yyyy'), TO_DATE(s, 'MMMM d, yyyy')"
        );
    }

    #[test]
    fn every_field_is_handled_or_rejected() {
        for key in FIELDS {
            for spelling in [key.to_string(), key.to_ascii_lowercase()] {
                match tokenize(&spelling) {
                    Ok(items) => {
                        assert!(
                            items.iter().all(|i| match i {
                                Item::Field(f) => super::format_field(f).is_ok(),
                                Item::Text(_) => true,
                            }),
                            "{spelling}"
                        );
                    }
                    Err(e) => assert!(!e.is_empty()),
                }
            }
        }
    }
}
