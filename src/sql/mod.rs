//! Redshift → Databricks SQL translation (see DESIGN.md, "SQL translation").
//!
//! `translate` tokenizes, masks Jinja, splits statements, parses each with sqlparser's Redshift
//! dialect, runs the rules in `crate::rules`, applies their source-slice edits and re-parses the
//! output. It never fails: SQL it cannot handle comes back unchanged with an error finding.

pub mod checker;
pub mod edit;
pub mod finding;
pub mod jinja;
pub mod scope;
pub mod suppress;
pub mod tokens;
pub mod types;
mod walk;

use std::collections::HashSet;
use std::ops::Range;

use sqlparser::dialect::{
    DatabricksDialect, Dialect, GenericDialect, RedshiftSqlDialect, SparkSqlDialect,
};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

use checker::Sink;
use edit::Edit;
use tokens::{LineIndex, Tokens};

pub use finding::{Confidence, Finding, Severity};

use crate::mappings::columns::ColumnTypes;
use crate::mappings::TableMap;

/// Whose SQL this is, which decides which rules apply (DESIGN.md, "Findings and exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceDialect {
    /// A cell on a Redshift connection: migration debt, every rule applies and rewrites.
    #[default]
    Redshift,
    /// A cell already on a Databricks connection: only constructs that cannot run on Databricks
    /// are reported, never semantic rewrites.
    Databricks,
}

/// Databricks Runtime version the output must run on (major, minor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Runtime(pub u16, pub u16);

impl std::str::FromStr for Runtime {
    type Err = String;

    /// `"16.4"` (or `"16.4.x"`, as Databricks writes runtime versions).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let text = text.strip_suffix(".x").unwrap_or(text);
        let mut it = text.split('.');
        let parse = |s: Option<&str>| s.and_then(|s| s.parse::<u16>().ok());
        match (parse(it.next()), parse(it.next()), it.next()) {
            (Some(major), Some(minor), None) => Ok(Runtime(major, minor)),
            _ => Err(format!(
                "`{text}` is not a runtime version such as \"15.4\""
            )),
        }
    }
}

impl Default for Runtime {
    /// The current LTS: Databricks Runtime 17.3 LTS (Spark 4.0, released 2025-10-22, supported
    /// to 2028-10-22). Older runtimes are a `target_runtime` setting away; rules that need a
    /// newer feature (listagg 16.4, recursive CTEs 17.0 …) fall back or report below it.
    fn default() -> Self {
        Runtime(17, 3)
    }
}

/// Options for one `translate` call.
#[derive(Debug, Clone, Default)]
pub struct TranslateOptions<'a> {
    pub dialect: SourceDialect,
    /// Rule codes switched off (by config or suppression).
    pub disabled_rules: HashSet<String>,
    /// Apply `review` rewrites too (the user opted in).
    pub apply_review: bool,
    pub runtime: Runtime,
    /// Table mapping, when one is configured.
    pub tables: Option<&'a TableMap>,
    /// Names that are not warehouse tables and must never be mapped: other cells'
    /// `resultVariableName`s (chained SQL). CTE names are found by the engine itself.
    pub local_names: HashSet<String>,
    /// Column types exported from Redshift's catalog, when given: rewrites that are exact for
    /// known types (integer division, AVG of integers, TRUNC, date arithmetic, trailing blanks)
    /// are applied instead of reported.
    pub column_types: Option<&'a ColumnTypes>,
    /// Function renames from the configured function mapping CSVs (user-defined functions and
    /// the like), applied where no built-in rule rewrites the call.
    pub functions: Option<&'a crate::mappings::functions::FunctionMap>,
}

/// The result of translating one piece of SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub output: String,
    pub findings: Vec<Finding>,
    /// Tables referenced that the mapping did not cover (empty when no mapping was given).
    pub unmapped_tables: Vec<String>,
}

/// How deep the parser may nest. sqlparser's default (50) rejects 60 nested parentheses, which
/// generated SQL reaches; much deeper risks the stack of a 2 MiB test thread.
const RECURSION_LIMIT: usize = 96;

/// Translates Redshift SQL (possibly with Jinja) into Databricks SQL.
///
/// Never fails and never panics: SQL it cannot handle comes back unchanged with an error finding.
pub fn translate(sql: &str, opts: &TranslateOptions<'_>) -> Translation {
    let masked = jinja::mask(sql);
    let src_index = LineIndex::new(sql);
    let index = if masked.regions.is_empty() {
        src_index.clone()
    } else {
        LineIndex::new(&masked.text)
    };
    let mut sink = Sink::default();
    let mut unmapped = Vec::new();
    let redshift = RedshiftSqlDialect {};
    let Some(tokens) = Tokens::new(&redshift, &masked.text, &index) else {
        if opts.dialect == SourceDialect::Redshift && !sql.trim().is_empty() {
            sink.findings.push(Finding {
                code: "RS901",
                severity: Severity::Error,
                message: "the SQL could not be tokenized (unterminated string, quoted name or \
                          comment?); left unchanged"
                    .to_string(),
                span: 0..sql.len(),
                suggestion: None,
                applied: false,
            });
        }
        return Translation {
            output: sql.to_string(),
            findings: sink.findings,
            unmapped_tables: unmapped,
        };
    };
    let suppress = suppress::Suppressions::parse(sql, &tokens, &src_index, |c| {
        crate::rules::by_code(c).is_some()
    });
    let rules: Vec<&'static dyn crate::rules::Rule> = crate::rules::all()
        .iter()
        .copied()
        .filter(|r| !opts.disabled_rules.contains(r.info().code))
        .collect();
    let after_rules: Vec<&'static dyn crate::rules::Rule> =
        rules.iter().copied().filter(|r| r.checks_after()).collect();
    let engine = Engine {
        sql,
        text: &masked.text,
        src_index: &src_index,
        index: &index,
        tokens: &tokens,
        opts,
        masked: &masked,
        suppress: &suppress,
    };
    for (range, code) in &suppress.unknown {
        engine.push(
            &mut sink,
            "RS905",
            Severity::Warning,
            range.clone(),
            format!("unknown rule code `{code}` in a hex-migrate suppression comment"),
        );
    }

    let mut statements = Vec::new();
    // Tables created earlier in this SQL: their column types hold for the statements after.
    let mut local_types = ColumnTypes::default();
    for (a, b) in split_statements(&tokens) {
        if tokens.next_sig(a, b).is_none() {
            continue;
        }
        let edits_before = sink.edits.len();
        let findings_before = sink.findings.len();
        let parsed = engine.parse(a, b);
        let mut walk = walk::Walk {
            src: sql,
            text: &masked.text,
            index: &index,
            src_index: &src_index,
            tokens: &tokens,
            stmt: a..b,
            opts,
            jinja: &masked,
            suppress: &suppress,
            sink: &mut sink,
            rules: &rules,
            after_rules: &after_rules,
            unmapped: &mut unmapped,
            local: opts.local_names.iter().map(|n| n.to_lowercase()).collect(),
            local_types: &local_types,
            scopes: Vec::new(),
            opaque: std::collections::HashSet::new(),
            ctes: std::collections::HashMap::new(),
            twice: std::collections::HashSet::new(),
        };
        match &parsed {
            Ok(stmts) => {
                for s in stmts {
                    walk.run(s);
                }
            }
            Err(_) => walk.run_tokens(false),
        }
        if let Ok(stmts) = &parsed {
            for s in stmts {
                scope::record_ddl(&mut local_types, opts.column_types, s);
            }
        }
        let range = tokens.toks[a].start..tokens.toks[b - 1].end;
        let range = match tokens.trimmed_bytes(a, b) {
            Some(r) => r,
            None => range,
        };
        statements.push(Stmt {
            range,
            edits: edits_before..sink.edits.len(),
            findings: findings_before..sink.findings.len(),
            parse_error: parsed.err(),
        });
    }

    for st in &statements {
        engine.verify(&mut sink, st);
    }

    // Render the whole cell with the edits that survived.
    let mut used = vec![false; sink.edits.len()];
    let output = edit::render(sql, &sink.edits, 0..sql.len(), &mut used);
    let mut superseded = vec![false; sink.findings.len()];
    for (e, u) in sink.edits.iter().zip(&used) {
        if !u && e.finding != usize::MAX {
            // A table mapping replaced the whole name this edit was in (e.g. a quoted part).
            let mapped_over = sink.edits.iter().zip(&used).any(|(m, mu)| {
                *mu && m.finding == usize::MAX
                    && m.range.start <= e.range.start
                    && e.range.end <= m.range.end
            });
            if mapped_over {
                superseded[e.finding] = true;
                continue;
            }
            let f = &mut sink.findings[e.finding];
            if f.applied {
                f.applied = false;
                f.severity = Severity::Error;
                f.message
                    .push_str(" (not rewritten: it overlaps another rewrite; translate by hand)");
            }
        }
    }
    let mut findings: Vec<Finding> = sink
        .findings
        .into_iter()
        .zip(superseded)
        .filter(|(_, s)| !s)
        .map(|(f, _)| f)
        .collect();
    findings.sort_by_key(|f| (f.span.start, f.span.end));
    Translation {
        output,
        findings,
        unmapped_tables: unmapped,
    }
}

/// A statement of the cell and what was found in it.
struct Stmt {
    /// Byte range from its first to its last significant token.
    range: Range<usize>,
    edits: Range<usize>,
    findings: Range<usize>,
    parse_error: Option<String>,
}

/// Token index ranges of the statements (split at `;`, which are never inside a token).
fn split_statements(tokens: &Tokens) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in tokens.toks.iter().enumerate() {
        if t.token == Token::SemiColon {
            out.push((start, i));
            start = i + 1;
        }
    }
    if start < tokens.toks.len() {
        out.push((start, tokens.toks.len()));
    }
    out
}

struct Engine<'a, 'o> {
    sql: &'a str,
    text: &'a str,
    src_index: &'a LineIndex,
    index: &'a LineIndex,
    tokens: &'a Tokens,
    opts: &'a TranslateOptions<'o>,
    masked: &'a jinja::Masked,
    suppress: &'a suppress::Suppressions,
}

impl Engine<'_, '_> {
    fn parse(&self, a: usize, b: usize) -> Result<Vec<sqlparser::ast::Statement>, String> {
        // The parser consumes its tokens; the common case (Redshift parses) needs one copy, the
        // fallbacks below make their own (cloning up front cost the hook measurable time).
        let toks = || tokens::for_parser(&self.tokens.raw[a..b]);
        let first = Parser::new(&RedshiftSqlDialect {})
            .with_recursion_limit(RECURSION_LIMIT)
            .with_tokens_with_locations(toks())
            .parse_statements()
            .map_err(|e| e.to_string());
        if first.is_ok() {
            return first;
        }
        // Databricks syntax (our own output: `div`, backticks; or a cell already on Databricks)
        // parses with the Databricks or Spark dialect over the same tokens.
        for d in [&DatabricksDialect {} as &dyn Dialect, &SparkSqlDialect {}] {
            if let Ok(s) = Parser::new(d)
                .with_recursion_limit(RECURSION_LIMIT)
                .with_tokens_with_locations(toks())
                .parse_statements()
            {
                return Ok(s);
            }
        }
        first
    }

    fn push(
        &self,
        sink: &mut Sink,
        code: &'static str,
        severity: Severity,
        span: Range<usize>,
        message: String,
    ) {
        if self
            .suppress
            .suppressed(code, self.src_index.line_of(span.start))
        {
            return;
        }
        sink.findings.push(Finding {
            code,
            severity,
            message,
            span,
            suggestion: None,
            applied: false,
        });
    }

    /// Checks that the statement's output parses; otherwise drops its edits and reports.
    fn verify(&self, sink: &mut Sink, st: &Stmt) {
        let has_edits = sink.edits[st.edits.clone()].iter().any(|_| true);
        let jinja_note = if self.masked.overlaps(&st.range) {
            " (it contains Jinja, which is parsed as a placeholder)"
        } else {
            ""
        };
        if let Some(err) = &st.parse_error {
            if self.opts.dialect == SourceDialect::Databricks {
                return;
            }
            let ok = has_edits
                && self.render_parses(
                    sink,
                    st,
                    &[
                        &RedshiftSqlDialect {},
                        &DatabricksDialect {},
                        &GenericDialect {},
                        &SparkSqlDialect {},
                    ],
                );
            if ok {
                self.second_pass(sink, st);
                self.push(
                    sink,
                    "RS904",
                    Severity::Info,
                    st.range.clone(),
                    "statement handled by token-level rules only (sqlparser cannot parse the \
                     original); expressions inside it were not checked"
                        .to_string(),
                );
            } else {
                self.drop_edits(sink, st);
                self.push(
                    sink,
                    "RS901",
                    Severity::Error,
                    st.range.clone(),
                    format!(
                        "statement could not be parsed{jinja_note}; left unchanged ({err}): no rule \
                         looked inside it, so rewrite the Redshift-only syntax at that position by \
                         hand and run hex-migrate again for the rest"
                    ),
                );
            }
            return;
        }
        if !has_edits {
            return;
        }
        if self.render_parses(
            sink,
            st,
            &[
                &DatabricksDialect {},
                &GenericDialect {},
                &SparkSqlDialect {},
            ],
        ) {
            return;
        }
        // The original may use syntax neither Databricks nor the generic dialect parses (and that
        // no rule rewrote); then accept output that still parses as Redshift.
        let original = &self.text[st.range.clone()];
        let original_generic =
            parses(original, &GenericDialect {}) || parses(original, &DatabricksDialect {});
        if !original_generic && self.render_parses(sink, st, &[&RedshiftSqlDialect {}]) {
            return;
        }
        self.drop_edits(sink, st);
        self.push(
            sink,
            "RS902",
            Severity::Error,
            st.range.clone(),
            "the translated statement did not parse again; the original was kept (please report \
             this statement)"
                .to_string(),
        );
    }

    fn render_parses(&self, sink: &Sink, st: &Stmt, dialects: &[&dyn Dialect]) -> bool {
        let edits: Vec<Edit> = sink.edits[st.edits.clone()].to_vec();
        let mut used = vec![false; edits.len()];
        let out = edit::render(self.sql, &edits, st.range.clone(), &mut used);
        let m = jinja::mask(&out);
        dialects.iter().any(|d| parses(&m.text, *d))
    }

    /// Token-level rules made an unparsed statement parse: run every rule on the result too, so
    /// that expressions inside it (`DEFAULT GETDATE()`) are translated now and a second
    /// translation of the output changes nothing. The statement's edits are replaced by one
    /// edit with the second-pass text; second-pass findings get the statement's span.
    fn second_pass(&self, sink: &mut Sink, st: &Stmt) {
        if self.masked.overlaps(&st.range) {
            return;
        }
        let edits: Vec<Edit> = sink.edits[st.edits.clone()].to_vec();
        let mut used = vec![false; edits.len()];
        let out = edit::render(self.sql, &edits, st.range.clone(), &mut used);
        let inner = translate(&out, self.opts);
        let broken = inner
            .findings
            .iter()
            .any(|f| f.code == "RS901" || f.code == "RS902");
        if inner.output == out || broken {
            return;
        }
        for i in st.edits.clone() {
            // Their text is part of the new edit; their findings stay applied.
            sink.edits[i].range = usize::MAX..usize::MAX;
            sink.edits[i].finding = usize::MAX;
        }
        sink.edits.push(Edit {
            range: st.range.clone(),
            pieces: vec![edit::Piece::Text(inner.output)],
            finding: usize::MAX,
        });
        for mut f in inner.findings {
            if f.code.starts_with("RS9") {
                continue;
            }
            f.span = st.range.clone();
            sink.findings.push(f);
        }
    }

    fn drop_edits(&self, sink: &mut Sink, st: &Stmt) {
        for i in st.edits.clone() {
            let f = sink.edits[i].finding;
            if f != usize::MAX {
                let f = &mut sink.findings[f];
                if f.applied {
                    f.applied = false;
                    f.severity = Severity::Error;
                }
            }
            // An empty insertion at an impossible place, never rendered.
            sink.edits[i].range = usize::MAX..usize::MAX;
        }
        let _ = (&st.findings, self.index);
    }
}

fn parses(text: &str, dialect: &dyn Dialect) -> bool {
    Parser::new(dialect)
        .with_recursion_limit(RECURSION_LIMIT)
        .try_with_sql(text)
        .and_then(|mut p| p.parse_statements())
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(sql: &str) -> Translation {
        translate(sql, &TranslateOptions::default())
    }

    #[test]
    fn one_bad_statement_does_not_block_the_others() {
        let t = tr("SELECT GETDATE(); CREATE MATERIALIZED VIEW mv AUTO REFRESH YES AS SELECT 1;\nSELECT NVL(a, b) FROM t");
        assert_eq!(
            t.output,
            "SELECT current_timestamp(); CREATE MATERIALIZED VIEW mv AUTO REFRESH YES AS SELECT 1;\nSELECT coalesce(a, b) FROM t"
        );
        let codes: Vec<_> = t.findings.iter().map(|f| f.code).collect();
        // RS756 (materialized views need a manual port) reports the statement too.
        assert_eq!(codes, vec!["RS101", "RS756", "RS901", "RS301"]);
        let rs901 = &t.findings[2];
        assert_eq!(rs901.severity, Severity::Error);
        assert_eq!(
            &"SELECT GETDATE(); CREATE MATERIALIZED VIEW mv AUTO REFRESH YES AS SELECT 1;"
                [rs901.span.clone()],
            "CREATE MATERIALIZED VIEW mv AUTO REFRESH YES AS SELECT 1"
        );
    }

    #[test]
    fn untokenizable_input_is_kept_with_rs901() {
        let t = tr("SELECT 'unterminated");
        assert_eq!(t.output, "SELECT 'unterminated");
        assert_eq!(t.findings[0].code, "RS901");
    }

    #[test]
    fn suppression_on_line_next_line_and_cell() {
        let sql = "SELECT GETDATE(), -- hex-migrate: ignore[RS101]\n  NVL(a, b)\nFROM t";
        let t = tr(sql);
        assert_eq!(
            t.output,
            "SELECT GETDATE(), -- hex-migrate: ignore[RS101]\n  coalesce(a, b)\nFROM t"
        );
        assert_eq!(t.findings.len(), 1);

        let sql = "-- hex-migrate: ignore[rs301]\nSELECT NVL(a, b), GETDATE()";
        let t = tr(sql);
        assert_eq!(
            t.output,
            "-- hex-migrate: ignore[rs301]\nSELECT NVL(a, b), current_timestamp()"
        );

        let sql = "SELECT NVL(a, b)\n-- hex-migrate: ignore-cell\n, GETDATE()";
        let t = tr(sql);
        assert_eq!(t.output, sql);
        assert!(t.findings.is_empty());
    }

    #[test]
    fn unknown_suppression_code_is_reported() {
        let t = tr("SELECT 1 -- hex-migrate: ignore[RS1O1]");
        assert_eq!(t.findings.len(), 1);
        assert_eq!(t.findings[0].code, "RS905");
    }

    #[test]
    fn jinja_is_byte_identical_and_statements_still_translate() {
        let sql = "SELECT {{ col | sqlsafe }}, GETDATE()\nFROM {{ ref('orders') }}\n{% if x %}WHERE NVL(a, {{ d }}) > 1{% endif %}";
        let t = tr(sql);
        assert_eq!(
            t.output,
            "SELECT {{ col | sqlsafe }}, current_timestamp()\nFROM {{ ref('orders') }}\n{% if x %}WHERE coalesce(a, {{ d }}) > 1{% endif %}"
        );
    }

    #[test]
    fn databricks_cells_get_no_semantic_rewrites() {
        let opts = TranslateOptions {
            dialect: SourceDialect::Databricks,
            ..TranslateOptions::default()
        };
        let t = translate("SELECT NVL(a, b), SYSDATE, \"x\" FROM t", &opts);
        assert_eq!(t.output, "SELECT NVL(a, b), SYSDATE, \"x\" FROM t");
        let codes: Vec<_> = t.findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, vec!["RS102"]);
        assert!(!t.findings[0].applied);
    }

    #[test]
    fn unmapped_tables_skip_ctes_aliases_locals_and_temp_tables() {
        let map = crate::mappings::TableMap::default();
        let mut local = HashSet::new();
        local.insert("prev_cell".to_string());
        let opts = TranslateOptions {
            tables: Some(&map),
            local_names: local,
            ..TranslateOptions::default()
        };
        let t = translate(
            "WITH base AS (SELECT * FROM Prod.Orders o) SELECT * FROM base JOIN prev_cell p ON 1=1 JOIN \"Sales\".x ON 1=1 JOIN #tmp ON 1=1 JOIN prod.orders ON 1=1",
            &opts,
        );
        assert_eq!(
            t.unmapped_tables,
            vec!["prod.orders".to_string(), "Sales.x".to_string()]
        );
    }
}
