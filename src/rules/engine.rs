//! Findings the engine itself reports (RS9xx). They have no checks of their own; they are in the
//! registry so that `hex-migrate rules RS901` documents them.

use super::Rule;

crate::rule! {
    /// ## What it does
    /// Reports a statement that sqlparser's Redshift dialect cannot parse and that no token-level
    /// rule could handle. The statement is left exactly as it was; other statements in the same
    /// cell are still translated.
    ///
    /// ## Why it differs on Databricks
    /// Without a syntax tree the tool cannot tell what the statement means, so it does not guess.
    ///
    /// ## Example
    /// ```sql
    /// CREATE MATERIALIZED VIEW mv AUTO REFRESH YES AS SELECT 1;
    /// ```
    ///
    /// ## Use instead
    /// Translate the statement by hand, or simplify it so that it parses.
    pub struct ParseError;
    code: "RS901",
    name: "statement-not-parsed",
    summary: "Statement could not be parsed; left unchanged",
    confidence: Block,
    databricks_invalid: false,
}

crate::rule! {
    /// ## What it does
    /// Reports a statement whose translated text did not parse again. The statement keeps its
    /// original text: the tool never writes SQL it could not parse back.
    ///
    /// ## Why it differs on Databricks
    /// A rewrite produced text that is not valid SQL; that is a bug in a rule. Please report it
    /// with the statement.
    ///
    /// ## Example
    /// (no known example; each one is a bug)
    ///
    /// ## Use instead
    /// Translate the statement by hand.
    pub struct ReparseError;
    code: "RS902",
    name: "output-not-parsed",
    summary: "Translated statement did not re-parse; original kept",
    confidence: Block,
    databricks_invalid: false,
}

crate::rule! {
    /// ## What it does
    /// Reports a construct a rule would rewrite, where Jinja (`{{ }}`, `{% %}`) stands in a place
    /// the rewrite would have to change or understand (a unit, a format string, a type).
    /// Jinja is never rewritten.
    ///
    /// ## Why it differs on Databricks
    /// The value is only known when Hex renders the template, so the tool cannot choose the
    /// Databricks form.
    ///
    /// ## Example
    /// ```sql
    /// SELECT DATEADD({{ unit }}, 1, created_at) FROM t
    /// ```
    ///
    /// ## Use instead
    /// Translate by hand, e.g. `timestampadd({{ unit }}, 1, created_at)` once you know the unit
    /// values are Databricks units.
    pub struct JinjaHidesStructure;
    code: "RS903",
    name: "jinja-hides-structure",
    summary: "Jinja hides the structure a rewrite needs; not translated",
    confidence: Review,
    databricks_invalid: false,
}

crate::rule! {
    /// ## What it does
    /// Notes that a statement sqlparser cannot parse (Redshift DDL such as `ENCODE`,
    /// `IDENTITY(1,1)`, column `DISTKEY`, `INTERLEAVED SORTKEY`, `APPROXIMATE`) was handled by
    /// token-level rules only. Their rewrites are applied; rules that need a syntax tree did not
    /// run on it.
    ///
    /// ## Why it differs on Databricks
    /// Expression-level differences inside such a statement (e.g. `DEFAULT GETDATE()`) are not
    /// looked at.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE t (id INT ENCODE az64) DISTSTYLE KEY DISTKEY (id);
    /// ```
    ///
    /// ## Use instead
    /// Review the statement after translation.
    pub struct TokensOnly;
    code: "RS904",
    name: "handled-by-tokens-only",
    summary: "Statement handled by token-level rules only",
    confidence: Exact,
    databricks_invalid: false,
}

crate::rule! {
    /// ## What it does
    /// Reports a code in a `-- hex-migrate: ignore[...]` comment that names no rule.
    ///
    /// ## Why it differs on Databricks
    /// A typo in a suppression would silently suppress nothing.
    ///
    /// ## Example
    /// ```sql
    /// SELECT GETDATE() -- hex-migrate: ignore[RS1O1]
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT GETDATE() -- hex-migrate: ignore[RS101]
    /// ```
    pub struct UnknownSuppression;
    code: "RS905",
    name: "unknown-suppression-code",
    summary: "Suppression comment names an unknown rule code",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for ParseError {}
impl Rule for ReparseError {}
impl Rule for JinjaHidesStructure {}
impl Rule for TokensOnly {}
impl Rule for UnknownSuppression {}
