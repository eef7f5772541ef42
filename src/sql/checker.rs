//! What a rule sees while it checks a statement, and how it reports and rewrites.

use std::ops::Range;

use sqlparser::ast::{Expr, Function, ObjectName, ObjectNamePart, Value};
use sqlparser::tokenizer::Span;

use super::edit::{Edit, Piece};
use super::finding::{Confidence, Finding, Severity};
use super::jinja::Masked;
use super::scope::TypeEnv;
use super::suppress::Suppressions;
use super::tokens::{Call, LineIndex, Tokens};
use super::types::{self, Ty};
use super::{SourceDialect, TranslateOptions};
use crate::mappings::columns::ColType;
use crate::rules::RuleInfo;

/// Findings and edits collected for one cell.
#[derive(Debug, Default)]
pub struct Sink {
    pub findings: Vec<Finding>,
    pub edits: Vec<Edit>,
}

/// The context a rule's check function gets: the source, its tokens, the current statement, the
/// options, and the methods to report findings and propose edits.
pub struct Checker<'a, 'o> {
    /// The original cell text (edits and findings refer to its bytes).
    pub src: &'a str,
    /// The Jinja-masked text the tokens and AST were built from (same byte length).
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub tokens: &'a Tokens,
    /// Token index range of the current statement (without its `;`).
    pub stmt: Range<usize>,
    pub opts: &'a TranslateOptions<'o>,
    pub(crate) jinja: &'a Masked,
    pub(crate) suppress: &'a Suppressions,
    pub(crate) sink: &'a mut Sink,
    pub(crate) rule: &'static RuleInfo,
    pub(crate) src_index: &'a LineIndex,
    /// Column types in scope (catalog, earlier CREATE TABLEs, enclosing SELECTs).
    pub(crate) types: TypeEnv<'a>,
}

impl<'a, 'o> Checker<'a, 'o> {
    /// Byte range of an AST span (exact only for names, identifiers and literals).
    pub fn range(&self, span: Span) -> Option<Range<usize>> {
        self.index.range(self.text, span)
    }

    /// The original text of a byte range.
    pub fn slice(&self, r: &Range<usize>) -> &'a str {
        self.src.get(r.clone()).unwrap_or("")
    }

    /// Whether the byte range contains or touches Jinja.
    pub fn has_jinja(&self, r: &Range<usize>) -> bool {
        self.jinja.overlaps(r)
    }

    /// Byte range of a (possibly qualified) name.
    pub fn name_range(&self, name: &ObjectName) -> Option<Range<usize>> {
        let first = name.0.first()?;
        let last = name.0.last()?;
        let (ObjectNamePart::Identifier(a), ObjectNamePart::Identifier(b)) = (first, last) else {
            return None;
        };
        let s = self.range(a.span)?;
        let e = self.range(b.span)?;
        Some(s.start..e.end)
    }

    /// A call delimited by tokens (name to matching `)`, plus tails), or `None` for paren-less
    /// calls and anything the tokens do not confirm.
    pub fn call(&self, f: &Function) -> Option<Call> {
        let name = self.name_range(&f.name)?;
        self.tokens.call(name.start, name.end, self.stmt.end)
    }

    /// The byte range a whole expression covers, for the expression kinds whose extent the
    /// tokens can confirm: identifiers, literals, calls (with tails), nested parentheses, and
    /// `::` casts of those.
    pub fn expr_range(&self, e: &Expr) -> Option<Range<usize>> {
        match e {
            Expr::Identifier(i) => self.range(i.span),
            Expr::CompoundIdentifier(parts) => {
                let a = self.range(parts.first()?.span)?;
                let b = self.range(parts.last()?.span)?;
                Some(a.start..b.end)
            }
            Expr::Value(v) => {
                let r = self.range(v.span)?;
                // A typed string such as `DATE '2024-01-01'` is a separate node; plain values
                // are exact.
                Some(r)
            }
            Expr::Function(f) => match f.args {
                sqlparser::ast::FunctionArguments::None => self.name_range(&f.name),
                _ => self.call(f).map(|c| c.full),
            },
            Expr::Nested(inner) => {
                let r = self.expr_range(inner)?;
                let t = self.tokens;
                let open = t.prev_sig(t.at(r.start), self.stmt.start)?;
                if t.toks[open].token != sqlparser::tokenizer::Token::LParen {
                    return None;
                }
                let close = t.matching_paren(open, self.stmt.end)?;
                (t.next_sig(t.at(r.end), self.stmt.end)? == close)
                    .then(|| t.toks[open].start..t.toks[close].end)
            }
            Expr::Cast { kind, expr, .. } => {
                let r = self.expr_range(expr)?;
                let t = self.tokens;
                if matches!(kind, sqlparser::ast::CastKind::DoubleColon) {
                    let ty = t.cast_type(r.end, self.stmt.end)?;
                    return Some(r.start..ty.end);
                }
                let open = t.prev_sig(t.at(r.start), self.stmt.start)?;
                let name = t.prev_sig(open, self.stmt.start)?;
                if t.toks[open].token != sqlparser::tokenizer::Token::LParen
                    || !(t.toks[name].is_word("CAST") || t.toks[name].is_word("TRY_CAST"))
                {
                    return None;
                }
                let close = t.matching_paren(open, self.stmt.end)?;
                Some(t.toks[name].start..t.toks[close].end)
            }
            _ => None,
        }
    }

    /// The string value of a literal (single-quoted), if `e` is one.
    pub fn string_literal(e: &Expr) -> Option<&str> {
        match e {
            Expr::Value(v) => match &v.value {
                Value::SingleQuotedString(s) => Some(s.as_str()),
                _ => None,
            },
            _ => None,
        }
    }

    /// The name of a function as one upper-case string (`NVL`, `PG_CATALOG.NOW`).
    pub fn fn_name(f: &Function) -> String {
        let mut s = String::new();
        for (i, p) in f.name.0.iter().enumerate() {
            if i > 0 {
                s.push('.');
            }
            if let ObjectNamePart::Identifier(id) = p {
                if id.quote_style.is_some() {
                    // A quoted name is not the built-in (`"nvl"(…)` calls a user function).
                    s.push('"');
                }
                s.push_str(&id.value.to_ascii_uppercase());
            }
        }
        s
    }

    /// The catalog type of a column reference (`col`, `t.col`, `alias.col`, `schema.t.col`) when
    /// exactly one relation of the enclosing SELECTs can hold it and the column-type catalog (or
    /// a CREATE TABLE earlier in the SQL) gives its type; `None` otherwise.
    pub fn column_type(&self, e: &Expr) -> Option<ColType> {
        self.types.column_type(e)
    }

    /// The Redshift type class of an expression ([`Ty::Unknown`] when it cannot be seen).
    pub fn ty(&self, e: &Expr) -> Ty {
        types::infer(&self.types, e)
    }

    /// The column-type environment (catalog, tables created earlier in the SQL, scopes).
    pub fn types(&self) -> &TypeEnv<'a> {
        &self.types
    }

    /// Whether any column type is known at all (a catalog was given or the SQL created tables):
    /// messages then say what to add to it.
    pub fn has_column_types(&self) -> bool {
        self.types.catalog.is_some() || self.types.local.is_some_and(|l| !l.is_empty())
    }

    /// The rule currently checking.
    pub fn rule(&self) -> &'static RuleInfo {
        self.rule
    }

    /// Rewrites `range` to `pieces` with the current rule's confidence. Whether the rewrite is
    /// applied depends on that confidence, the options, suppression and Jinja; the finding is
    /// reported either way.
    pub fn fix(&mut self, range: Range<usize>, pieces: Vec<Piece>, message: impl Into<String>) {
        let conf = self.rule.confidence;
        self.fix_with(conf, range, pieces, message);
    }

    /// Like [`Checker::fix`] with an explicit confidence (a rule whose outcome depends on the
    /// input, e.g. exact for dates and review for unknown types).
    pub fn fix_with(
        &mut self,
        conf: Confidence,
        range: Range<usize>,
        pieces: Vec<Piece>,
        message: impl Into<String>,
    ) {
        self.fix_in(conf, range.clone(), range, pieces, message);
    }

    /// The general form: the finding covers `span` (the whole node, shown to users), the edit
    /// replaces `range` (usually a part of it, for the smallest diff).
    pub fn fix_in(
        &mut self,
        conf: Confidence,
        span: Range<usize>,
        range: Range<usize>,
        pieces: Vec<Piece>,
        message: impl Into<String>,
    ) {
        let mut message = message.into();
        let span = if span.start <= range.start && range.end <= span.end {
            span
        } else {
            range.clone()
        };
        let suggestion = format!(
            "{}{}{}",
            self.slice(&(span.start..range.start)),
            self.plain(&pieces),
            self.slice(&(range.end..span.end))
        );
        // Jinja is never rewritten: every byte the edit drops must lie outside Jinja.
        if self.consumes_jinja(&range, &pieces) {
            self.emit_code(
                "RS903",
                Severity::Error,
                span,
                format!(
                    "{}: Jinja hides the structure this rewrite needs ({}); write the Databricks \
                     form around the Jinja by hand (`hex-migrate rules {}` shows it)",
                    self.rule.code, message, self.rule.code
                ),
                Some(suggestion),
                false,
            );
            return;
        }
        let databricks = self.opts.dialect == SourceDialect::Databricks;
        if databricks {
            if !self.rule.databricks_invalid {
                return;
            }
            message = format!("{message} (this does not run on Databricks)");
            self.emit(Severity::Error, span, message, Some(suggestion), None);
            return;
        }
        let apply = match conf {
            Confidence::Exact | Confidence::Caveat => true,
            Confidence::Review => self.opts.apply_review,
            Confidence::Block => false,
        };
        let sev = conf.severity();
        if apply {
            self.emit(sev, span, message, Some(suggestion), Some((range, pieces)));
        } else {
            self.emit(sev, span, message, Some(suggestion), None);
        }
    }

    /// Reports that Jinja hides what the current rule needs (RS903); nothing is rewritten.
    pub fn jinja_hides(&mut self, span: Range<usize>, what: &str) {
        if self.opts.dialect == SourceDialect::Databricks {
            return;
        }
        let message = format!(
            "{}: Jinja hides {what}; not translated: write the Databricks form around the Jinja \
             by hand (`hex-migrate rules {}` shows it)",
            self.rule.code, self.rule.code
        );
        self.emit_code("RS903", Severity::Error, span, message, None, false);
    }

    /// Byte offset where an expression starts, as far as its span says (exact for names,
    /// identifiers, literals and calls; may point inside the node for casts, parentheses or
    /// unary minus, which is enough to find the clause it belongs to).
    pub fn expr_start(&self, e: &Expr) -> Option<usize> {
        use sqlparser::ast::Spanned;
        self.index.byte(self.text, e.span().start)
    }

    /// Reports without rewriting (a person must look), severity error.
    pub fn report(
        &mut self,
        range: Range<usize>,
        message: impl Into<String>,
        suggestion: Option<String>,
    ) {
        if self.opts.dialect == SourceDialect::Databricks && !self.rule.databricks_invalid {
            return;
        }
        self.emit(Severity::Error, range, message.into(), suggestion, None);
    }

    /// Reports a caveat without rewriting, severity warning.
    pub fn warn(&mut self, range: Range<usize>, message: impl Into<String>) {
        if self.opts.dialect == SourceDialect::Databricks && !self.rule.databricks_invalid {
            return;
        }
        self.emit(Severity::Warning, range, message.into(), None, None);
    }

    fn consumes_jinja(&self, range: &Range<usize>, pieces: &[Piece]) -> bool {
        if !self.jinja.overlaps(range) {
            return false;
        }
        let mut covered: Vec<Range<usize>> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Src(r) => Some(r.clone()),
                Piece::Text(_) => None,
            })
            .collect();
        covered.sort_by_key(|r| r.start);
        self.jinja.regions.iter().any(|j| {
            j.start < range.end
                && range.start < j.end
                && !covered.iter().any(|c| c.start <= j.start && j.end <= c.end)
        })
    }

    /// A replacement as plain text (source pieces verbatim), for suggestions.
    fn plain(&self, pieces: &[Piece]) -> String {
        let mut s = String::new();
        for p in pieces {
            match p {
                Piece::Text(t) => s.push_str(t),
                Piece::Src(r) => s.push_str(self.slice(r)),
            }
        }
        s
    }

    fn emit(
        &mut self,
        sev: Severity,
        range: Range<usize>,
        message: String,
        suggestion: Option<String>,
        pieces: Option<(Range<usize>, Vec<Piece>)>,
    ) {
        let code = self.rule.code;
        let applied = pieces.is_some();
        if self.emit_code(code, sev, range, message, suggestion, applied) {
            if let Some((range, pieces)) = pieces {
                let finding = self.sink.findings.len() - 1;
                self.sink.edits.push(Edit {
                    range,
                    pieces,
                    finding,
                });
            }
        }
    }

    /// Pushes a finding unless suppressed; returns whether it was pushed.
    fn emit_code(
        &mut self,
        code: &'static str,
        severity: Severity,
        span: Range<usize>,
        message: String,
        suggestion: Option<String>,
        applied: bool,
    ) -> bool {
        let line = self.src_index.line_of(span.start);
        if self.suppress.suppressed(code, line) {
            return false;
        }
        self.sink.findings.push(Finding {
            code,
            severity,
            message,
            span,
            suggestion,
            applied,
        });
        true
    }
}
