use sqlparser::tokenizer::Token;

use super::statement_text::leading_words;
use super::{Confidence, Rule};
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Maps Redshift column types in `CREATE TABLE (…)` and `ALTER TABLE … ADD [COLUMN]` to
    /// Databricks types: character types (`varchar(n)`, `varchar(max)`, `text`, `nvarchar`,
    /// `char(n)`, `bpchar`) → `string`, `int2/int4/int8` → `smallint/int/bigint`, bare `float` and
    /// `float8`/`double precision` → `double`, `float4` → `float`, bare `numeric`/`decimal` →
    /// `decimal(18,0)`, `bool` → `boolean`, `timestamptz`/`timestamp with[out] time zone` →
    /// `timestamp`, `varbyte`/`varbinary` → `binary`. `TIME`, `TIMETZ`, `SUPER`, `GEOMETRY`,
    /// `GEOGRAPHY`, `HLLSKETCH` and catalog types (`oid`, `regclass`, `name`) are reported.
    ///
    /// ## Why it differs on Databricks
    /// Several names do not exist on Databricks (`varchar(max)`, `int8`, `bpchar`, `timestamptz`);
    /// bare `FLOAT` is 4 bytes and bare `DECIMAL` is (10,0) there, so keeping them would lose
    /// precision. Redshift lengths count bytes and Databricks `varchar(n)` counts characters and
    /// is enforced on write: `string` is the safe target. `char(n)` columns lose Redshift's
    /// blank-padding semantics (a warning). Types without a Databricks counterpart need a
    /// decision: TIME as a string or seconds of the day, SUPER as VARIANT (DBR 15.3+) or JSON
    /// text, spatial types as `GEOMETRY(srid)` on recent runtimes or WKT/WKB, HLL sketches
    /// recomputed with Databricks sketch functions.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE t (id int8, name varchar(max), amount numeric, ratio float, code char(2))
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE t (id bigint, name string, amount decimal(18,0), ratio double, code string)
    /// ```
    pub struct DdlColumnTypes;
    code: "RS460",
    name: "ddl-column-types",
    summary: "Redshift column types in CREATE/ALTER TABLE become Databricks types; TIME, SUPER, spatial and HLL types are reported",
    confidence: Exact,
    databricks_invalid: false,
}

pub(crate) enum Mapped {
    Same,
    To(&'static str, Confidence, &'static str),
    Report(&'static str),
}

pub(crate) fn map(text: &str) -> Mapped {
    let lower = text.to_ascii_lowercase();
    let (base, args) = match lower.find('(') {
        Some(p) => (
            &lower[..p],
            Some(lower[p + 1..].trim_end_matches(')').trim()),
        ),
        None => (lower.as_str(), None),
    };
    let base = base.split_whitespace().collect::<Vec<_>>().join(" ");
    let ex = |to, why| Mapped::To(to, Confidence::Exact, why);
    match (base.as_str(), args) {
        ("varchar" | "character varying" | "nvarchar" | "text", _) => {
            ex("string", "character types become string (Redshift lengths count bytes)")
        }
        ("char" | "character" | "nchar" | "bpchar", _) => Mapped::To(
            "string",
            Confidence::Caveat,
            "char(n) becomes string: Redshift pads CHAR values and ignores trailing blanks in comparisons; Databricks strings keep them",
        ),
        ("int2", None) => ex("smallint", "int2 is smallint on Databricks"),
        ("int4", None) => ex("int", "int4 is int on Databricks"),
        ("int8", None) => ex("bigint", "int8 is bigint on Databricks"),
        ("float8" | "double precision", None) => ex("double", "8-byte floats are double on Databricks"),
        ("float", None) => ex("double", "Redshift FLOAT is 8 bytes; Databricks FLOAT is 4"),
        ("float4", None) => ex("float", "float4 is float on Databricks"),
        ("numeric" | "decimal", None) => ex(
            "decimal(18,0)",
            "bare NUMERIC/DECIMAL is (18,0) in Redshift but (10,0) on Databricks",
        ),
        ("bool", None) => ex("boolean", "bool is boolean on Databricks"),
        ("timestamptz" | "timestamp with time zone" | "timestamp without time zone", None) => {
            ex("timestamp", "Databricks spells this type timestamp")
        }
        ("varbyte" | "varbinary" | "binary varying", _) => ex("binary", "binary types are binary on Databricks"),
        ("time" | "timetz" | "time without time zone" | "time with time zone", _) => {
            Mapped::Report("Databricks has no TIME type: store a string ('HH:mm:ss') or seconds of the day")
        }
        ("super", None) => Mapped::Report("SUPER becomes VARIANT (DBR 15.3+), a JSON string, or a STRUCT/ARRAY if the shape is known; decide per column"),
        ("geometry" | "geography", _) => Mapped::Report("spatial types exist only on recent Databricks runtimes (GEOMETRY(srid)/GEOGRAPHY(srid)); otherwise store WKT strings or WKB binary"),
        ("hllsketch", None) => Mapped::Report("HLLSKETCH: declare the column BINARY and recompute the sketches with hll_sketch_agg(col) (Redshift sketches cannot be read on Databricks)"),
        ("oid" | "regclass" | "name", None) => Mapped::Report("Redshift catalog type: use string or bigint"),
        _ => Mapped::Same,
    }
}

const CONSTRAINT_WORDS: &[&str] = &[
    "CONSTRAINT",
    "PRIMARY",
    "UNIQUE",
    "FOREIGN",
    "CHECK",
    "LIKE",
];

impl Rule for DdlColumnTypes {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        let lead = leading_words(cx, 6);
        let words: Vec<&str> = lead.iter().map(|(_, w)| w.as_str()).collect();
        let toks = cx.tokens;
        let (a, b) = (cx.stmt.start, cx.stmt.end);
        // Each column definition: token index of its name.
        let mut names = Vec::new();
        if words.first() == Some(&"CREATE") && words.contains(&"TABLE") {
            let Some(open) = (a..b).find(|&i| toks.toks[i].token == Token::LParen) else {
                return;
            };
            // `CREATE TABLE t AS (SELECT …)` has no column list.
            if toks
                .prev_sig(open, a)
                .is_some_and(|p| toks.toks[p].is_word("AS"))
            {
                return;
            }
            let Some(close) = toks.matching_paren(open, b) else {
                return;
            };
            for (s, e) in toks.split_commas(open + 1, close) {
                if let Some(n) = toks.next_sig(s, e) {
                    names.push((n, e));
                }
            }
        } else if words.starts_with(&["ALTER", "TABLE"]) {
            for i in a..b {
                if toks.toks[i].is_word("ADD") {
                    let mut n = toks.next_sig(i + 1, b);
                    if n.is_some_and(|k| toks.toks[k].is_word("COLUMN")) {
                        n = toks.next_sig(n.unwrap() + 1, b);
                    }
                    if let Some(n) = n {
                        names.push((n, b));
                    }
                }
            }
        } else {
            return;
        }
        for (name, end) in names {
            let is_constraint = CONSTRAINT_WORDS.iter().any(|w| toks.toks[name].is_word(w));
            if is_constraint {
                continue;
            }
            let Some(ty) = toks.next_sig(name + 1, end) else {
                continue;
            };
            let Some(ty_end) = toks.type_end(ty, end) else {
                continue;
            };
            // Identity columns get their type from the identity rule.
            if (ty..end).any(|k| toks.toks[k].is_word("IDENTITY")) {
                continue;
            }
            let bytes = toks.toks[ty].start..toks.toks[ty_end].end;
            if cx.has_jinja(&bytes) {
                continue;
            }
            match map(cx.slice(&bytes)) {
                Mapped::Same => {}
                Mapped::To(new, conf, why) => cx.fix_with(conf, bytes, vec![new.into()], why),
                Mapped::Report(why) => cx.report(bytes, why, None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn column_types_are_mapped() {
        assert_eq!(
            out("CREATE TABLE t (id int8 NOT NULL, name varchar(max), amount numeric, ratio float, code char(2), d DATE, PRIMARY KEY (id))"),
            "CREATE TABLE t (id bigint NOT NULL, name string, amount decimal(18,0), ratio double, code string, d DATE, PRIMARY KEY (id))"
        );
        assert_eq!(
            out("ALTER TABLE t ADD COLUMN c varchar(20)"),
            "ALTER TABLE t ADD COLUMN c string"
        );
    }

    #[test]
    fn types_without_equivalent_are_reported() {
        let sql = "CREATE TABLE t (payload SUPER, at TIME)";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS460", "RS460"]);
    }
}
