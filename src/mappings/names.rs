//! Dotted table names: splitting them as written in a mapping file, and quoting them for
//! Databricks.

/// Splits a dotted name such as `db.schema.table`, `"My Schema".t` or `` main.`a-b`.c `` into its
/// parts, quotes removed (a doubled quote inside a quoted part stands for one). Surrounding
/// whitespace is ignored. Returns a message when the name is empty or badly quoted.
pub fn split(name: &str) -> Result<Vec<String>, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("empty table name".to_string());
    }
    let mut parts = Vec::new();
    let mut chars = name.chars().peekable();
    loop {
        let mut part = String::new();
        match chars.peek() {
            Some(&q) if q == '"' || q == '`' => {
                chars.next();
                loop {
                    match chars.next() {
                        Some(c) if c == q => {
                            if chars.peek() == Some(&q) {
                                chars.next();
                                part.push(q);
                            } else {
                                break;
                            }
                        }
                        Some(c) => part.push(c),
                        None => return Err(format!("unterminated {q} quote in `{name}`")),
                    }
                }
                if part.is_empty() {
                    return Err(format!("empty quoted part in `{name}`"));
                }
            }
            _ => {
                while let Some(&c) = chars.peek() {
                    if c == '.' {
                        break;
                    }
                    if c == '"' || c == '`' || c.is_whitespace() {
                        return Err(format!("unexpected `{c}` in `{name}`"));
                    }
                    part.push(c);
                    chars.next();
                }
                if part.is_empty() {
                    return Err(format!("empty part in `{name}`"));
                }
            }
        }
        parts.push(part);
        match chars.next() {
            None => return Ok(parts),
            Some('.') => continue,
            Some(c) => return Err(format!("unexpected `{c}` after a quoted part in `{name}`")),
        }
    }
}

/// Words Databricks SQL does not accept as a bare identifier in a table name (the ANSI reserved
/// words Spark enforces in ANSI mode, plus the join keywords it always reserves). Quoting a word
/// that did not need it is harmless; leaving one bare that needed it is a syntax error.
const RESERVED: &[&str] = &[
    "all",
    "and",
    "anti",
    "any",
    "as",
    "authorization",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "cross",
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "distinct",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "in",
    "inner",
    "intersect",
    "into",
    "is",
    "join",
    "lateral",
    "leading",
    "left",
    "minus",
    "natural",
    "not",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "primary",
    "references",
    "right",
    "select",
    "semi",
    "session_user",
    "some",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "when",
    "where",
    "with",
];

/// Quotes one name part for Databricks: bare when it is a plain identifier (letters, digits and
/// `_`, not starting with a digit, not a reserved word), otherwise in backticks with inner
/// backticks doubled.
pub fn quote_part(part: &str) -> String {
    let plain = !part.is_empty()
        && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !part.starts_with(|c: char| c.is_ascii_digit())
        && !RESERVED.contains(&part.to_ascii_lowercase().as_str());
    if plain {
        part.to_string()
    } else {
        format!("`{}`", part.replace('`', "``"))
    }
}

/// Joins parts into a Databricks name, quoting each part as needed.
pub fn quote(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| quote_part(p))
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_plain_and_quoted_names() {
        assert_eq!(split(" a.b.c ").unwrap(), ["a", "b", "c"]);
        assert_eq!(
            split(r#""My Schema"."t""x""#).unwrap(),
            ["My Schema", "t\"x"]
        );
        assert_eq!(split("main.`a-b`.c").unwrap(), ["main", "a-b", "c"]);
        assert_eq!(split("warehouse.dim_*").unwrap(), ["warehouse", "dim_*"]);
    }

    #[test]
    fn rejects_malformed_names() {
        assert!(split("").is_err());
        assert!(split("a..b").is_err());
        assert!(split("a.").is_err());
        assert!(split("a.`b").is_err());
        assert!(split("a b.c").is_err());
        assert!(split("`a`x.c").is_err());
    }

    #[test]
    fn quotes_only_what_databricks_needs() {
        assert_eq!(quote_part("dim_account"), "dim_account");
        assert_eq!(quote_part("Sales2024"), "Sales2024");
        assert_eq!(quote_part("2024_sales"), "`2024_sales`");
        assert_eq!(quote_part("order"), "`order`");
        assert_eq!(quote_part("ORDER"), "`ORDER`");
        assert_eq!(quote_part("a-b"), "`a-b`");
        assert_eq!(quote_part("we`ird"), "`we``ird`");
        assert_eq!(
            quote(&["main".into(), "my schema".into(), "t".into()]),
            "main.`my schema`.t"
        );
    }
}
