use std::ops::Range;

use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::Confidence;

crate::rule! {
    /// ## What it does
    /// Maps Redshift type names in `::` casts and `CAST(… AS …)` to Databricks types:
    /// `varchar`/`varchar(max)`/`text`/`character varying` → `string`, `int2`/`int4`/`int8` →
    /// `smallint`/`int`/`bigint`, `float`/`float8`/`double precision` → `double`, `float4` →
    /// `float`, bare `numeric`/`decimal` → `decimal(18,0)`, `bool` → `boolean`,
    /// `timestamptz`/`timestamp with[out] time zone` → `timestamp`, `varbyte` → `binary`.
    /// `TIME`, `TIMETZ` and `SUPER` have no Databricks type and are reported.
    ///
    /// ## Why it differs on Databricks
    /// Several names do not exist there (`varchar(max)`, `int8`, `timestamptz`), and two exist
    /// with another meaning: Redshift's bare `FLOAT` is 8 bytes (Databricks' is 4) and bare
    /// `NUMERIC` is (18,0) (Databricks' `DECIMAL` is (10,0), which overflows). Casting to
    /// `varchar(n)`/`char(n)` truncates to n bytes in Redshift; `string` does not truncate (a
    /// caveat).
    ///
    /// ## Example
    /// ```sql
    /// SELECT amount::numeric, id::varchar(max), ratio::float, CAST(n AS int8) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT amount::decimal(18,0), id::string, ratio::double, CAST(n AS bigint) FROM t
    /// ```
    pub struct CastType;
    code: "RS403",
    name: "cast-type",
    summary: "Redshift type names in casts become Databricks types (varchar → string, float → double, numeric → decimal(18,0))",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for CastType {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        let toks = cx.tokens;
        let end = cx.stmt.end;
        let mut found: Vec<Range<usize>> = Vec::new();
        for i in cx.stmt.clone() {
            let t = &toks.toks[i];
            if t.token == Token::DoubleColon {
                if let Some(first) = toks.next_sig(i + 1, end) {
                    if let Some(last) = toks.type_end(first, end) {
                        found.push(first..last);
                    }
                }
            // CONVERT(type, x) is RS459's: it maps the type while turning the call into a CAST.
            } else if t.is_keyword(Keyword::CAST) || t.is_keyword(Keyword::TRY_CAST) {
                let Some(open) = toks.next_sig(i + 1, end) else {
                    continue;
                };
                if toks.toks[open].token != Token::LParen {
                    continue;
                }
                let Some(close) = toks.matching_paren(open, end) else {
                    continue;
                };
                // The last `AS` at depth 1 inside the parentheses.
                let mut depth = 0i32;
                let mut as_i = None;
                for k in open..close {
                    match toks.toks[k].token {
                        Token::LParen => depth += 1,
                        Token::RParen => depth -= 1,
                        _ if depth == 1 && toks.toks[k].is_keyword(Keyword::AS) => as_i = Some(k),
                        _ => {}
                    }
                }
                let Some(as_i) = as_i else { continue };
                let Some(first) = toks.next_sig(as_i + 1, close) else {
                    continue;
                };
                let Some(last) = toks.prev_sig(close, first) else {
                    continue;
                };
                found.push(first..last.max(first));
            }
        }
        for r in found {
            let bytes = toks.toks[r.start].start..toks.toks[r.end].end;
            if cx.has_jinja(&bytes) {
                cx.jinja_hides(bytes, "the cast's type");
                continue;
            }
            let text = cx.slice(&bytes);
            match map_type(text) {
                Mapped::Same => {}
                Mapped::To(new, conf, why) => cx.fix_with(conf, bytes, vec![new.into()], why),
                Mapped::Unsupported(why) => cx.report(bytes, why, None),
            }
        }
    }
}

enum Mapped {
    Same,
    To(String, Confidence, String),
    Unsupported(String),
}

/// Maps one Redshift type (as written) to its Databricks form.
fn map_type(text: &str) -> Mapped {
    let lower = text.to_ascii_lowercase();
    let (base, args) = match lower.find('(') {
        Some(p) => (
            &lower[..p],
            Some(lower[p + 1..].trim_end_matches(')').trim().to_string()),
        ),
        None => (lower.as_str(), None),
    };
    let base = base.split_whitespace().collect::<Vec<_>>().join(" ");
    let exact = |to: &str, why: String| Mapped::To(to.to_string(), Confidence::Exact, why);
    match base.as_str() {
        "varchar" | "character varying" | "nvarchar" | "text" | "char" | "character" | "nchar"
        | "bpchar" => match args.as_deref() {
            None if matches!(base.as_str(), "varchar" | "character varying" | "nvarchar" | "text") => {
                exact("string", format!("`{text}` is `string` on Databricks"))
            }
            Some("max") => exact("string", format!("`{text}` is `string` on Databricks")),
            _ => Mapped::To(
                "string".to_string(),
                Confidence::Caveat,
                format!(
                    "`{text}` becomes `string`: Redshift truncates longer values to the length (in bytes) on cast, Databricks does not"
                ),
            ),
        },
        "int2" => exact("smallint", format!("`{text}` is `smallint` on Databricks")),
        "int4" => exact("int", format!("`{text}` is `int` on Databricks")),
        "int8" => exact("bigint", format!("`{text}` is `bigint` on Databricks")),
        "float8" | "double precision" => exact("double", format!("`{text}` is `double` on Databricks")),
        "float" if args.is_none() => exact(
            "double",
            "Redshift FLOAT is 8 bytes; Databricks FLOAT is 4, so it becomes `double`".to_string(),
        ),
        "float4" => exact("float", format!("`{text}` is `float` on Databricks")),
        "numeric" | "decimal" if args.is_none() => exact(
            "decimal(18,0)",
            "bare NUMERIC/DECIMAL is (18,0) in Redshift but (10,0) on Databricks".to_string(),
        ),
        "bool" => exact("boolean", format!("`{text}` is `boolean` on Databricks")),
        "timestamp without time zone" => exact("timestamp", format!("`{text}` is `timestamp` on Databricks")),
        "timestamptz" | "timestamp with time zone" => {
            exact("timestamp", format!("`{text}` is `timestamp` on Databricks"))
        }
        "varbyte" | "varbinary" | "binary varying" => {
            exact("binary", format!("`{text}` is `binary` on Databricks"))
        }
        "time" | "timetz" | "time without time zone" | "time with time zone" => Mapped::Unsupported(
            format!("`{text}`: Databricks has no TIME type; use a string or seconds of the day"),
        ),
        "super" => Mapped::Unsupported(format!(
            "`{text}`: SUPER becomes VARIANT (DBR 15.3+) or a JSON string; decide by hand"
        )),
        _ => Mapped::Same,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn casts_are_mapped() {
        assert_eq!(
            out("SELECT a::numeric, b::VARCHAR(MAX), c::float, CAST(d AS int8), e::double precision, f::date, CAST(g AS DECIMAL(12,4)) FROM t"),
            "SELECT a::decimal(18,0), b::string, c::double, CAST(d AS bigint), e::double, f::date, CAST(g AS DECIMAL(12,4)) FROM t"
        );
    }

    #[test]
    fn length_is_a_caveat_time_is_reported() {
        assert_eq!(out("SELECT a::varchar(20)"), "SELECT a::string");
        assert_eq!(codes("SELECT a::time"), vec!["RS403"]);
        assert_eq!(out("SELECT a::time"), "SELECT a::time");
    }
}
