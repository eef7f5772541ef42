//! Walks a parsed statement: runs every rule's hooks on its nodes and maps table names.

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::rc::Rc;

use sqlparser::ast::{
    Expr, ObjectName, ObjectNamePart, Query, Select, Statement, TableFactor, Visit, Visitor,
};

use super::checker::{Checker, Sink};
use super::edit::{Edit, Piece};
use super::jinja::Masked;
use super::scope::{query_columns, InlineColumns, Scope, ScopeCx, TypeEnv};
use super::suppress::Suppressions;
use super::tokens::{LineIndex, Tokens};
use super::TranslateOptions;
use crate::rules::{Rule, RuleInfo};

/// Everything a walk needs, borrowed from `translate`.
pub struct Walk<'a, 'o> {
    pub src: &'a str,
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub src_index: &'a LineIndex,
    pub tokens: &'a Tokens,
    pub stmt: std::ops::Range<usize>,
    pub opts: &'a TranslateOptions<'o>,
    pub jinja: &'a Masked,
    pub suppress: &'a Suppressions,
    pub sink: &'a mut Sink,
    pub rules: &'a [&'static dyn Rule],
    /// The rules whose `check_expr_after` does something (see `Rule::checks_after`).
    pub after_rules: &'a [&'static dyn Rule],
    pub unmapped: &'a mut Vec<String>,
    /// Names that are not tables: CTE names, table aliases, `local_names`.
    pub local: HashSet<String>,
    /// Tables created earlier in the same SQL, with their column types.
    pub local_types: &'a crate::mappings::columns::ColumnTypes,
    /// Enclosing SELECTs' relations, innermost last.
    pub scopes: Vec<Scope>,
    /// Names that are not warehouse tables in this statement (CTEs, `local_names`), lower-cased.
    pub opaque: HashSet<String>,
    /// CTEs of this statement whose columns were typed (see `scope::query_columns`).
    pub ctes: HashMap<String, InlineColumns>,
    /// CTE names defined more than once in the statement (never typed).
    pub twice: HashSet<String>,
}

impl<'a, 'o> Walk<'a, 'o> {
    fn with<R>(&mut self, rule: &'static RuleInfo, f: impl FnOnce(&mut Checker<'_, 'o>) -> R) -> R {
        let mut cx = Checker {
            src: self.src,
            text: self.text,
            index: self.index,
            tokens: self.tokens,
            stmt: self.stmt.clone(),
            opts: self.opts,
            jinja: self.jinja,
            suppress: self.suppress,
            sink: self.sink,
            rule,
            src_index: self.src_index,
            types: TypeEnv {
                catalog: self.opts.column_types,
                local: Some(self.local_types),
                scopes: &self.scopes,
            },
        };
        f(&mut cx)
    }

    /// Runs every rule's token hook on the current statement.
    pub fn run_tokens(&mut self, parsed: bool) {
        for r in self.rules {
            self.with(r.info(), |cx| r.check_tokens(cx, parsed));
        }
    }

    /// Runs the rules over a parsed statement and maps its tables.
    pub fn run(&mut self, stmt: &Statement) {
        let mut names = Names::default();
        let _ = stmt.visit(&mut names);
        self.opaque = self.local.iter().cloned().collect();
        self.opaque
            .extend(names.ctes.iter().map(|n| n.to_lowercase()));
        self.local.extend(names.ctes);
        self.local.extend(names.aliases);
        self.scopes.clear();
        self.ctes.clear();
        self.twice.clear();
        if let Some(scope) = Scope::of_statement(stmt, &self.scope_cx()) {
            self.scopes.push(scope);
        }
        for r in self.rules {
            self.with(r.info(), |cx| r.check_statement(cx, stmt));
        }
        let _ = stmt.visit(self);
        self.run_tokens(true);
    }

    fn scope_cx(&self) -> ScopeCx<'_> {
        ScopeCx {
            opaque: &self.opaque,
            ctes: &self.ctes,
            env: TypeEnv {
                catalog: self.opts.column_types,
                local: Some(self.local_types),
                scopes: &[],
            },
        }
    }

    /// Types the columns of `q`'s CTEs, in order (a CTE may read the ones before it). A CTE that
    /// is recursive, shares its name with a known table, or is defined twice in the statement
    /// stays opaque: its columns are unknown.
    fn type_ctes(&mut self, q: &Query) {
        let Some(with) = &q.with else { return };
        if with.recursive {
            return;
        }
        for cte in &with.cte_tables {
            let name = cte.alias.name.value.to_lowercase();
            let known_table = self
                .opts
                .column_types
                .is_some_and(|c| c.has_table(std::slice::from_ref(&name)))
                || self.local_types.has_table(std::slice::from_ref(&name));
            if self.ctes.remove(&name).is_some() || known_table || self.twice.contains(&name) {
                self.twice.insert(name);
                continue;
            }
            let renames = Some(&cte.alias.columns[..]);
            if let Some(cols) = query_columns(&cte.query, &self.scope_cx(), renames) {
                self.ctes.insert(name, Rc::new(cols));
            }
        }
    }

    fn map_table(&mut self, name: &ObjectName) {
        let Some(map) = self.opts.tables else {
            return;
        };
        let mut parts = Vec::new();
        for p in &name.0 {
            let ObjectNamePart::Identifier(id) = p else {
                return;
            };
            parts.push(if id.quote_style.is_some() {
                id.value.clone()
            } else {
                id.value.to_lowercase()
            });
        }
        let Some(first) = parts.first() else {
            return;
        };
        if first.starts_with('#') {
            return; // session temp table
        }
        if parts.len() == 1 && self.local.contains(first) {
            return;
        }
        // PartiQL navigation `FROM t e, e.payload.items` starts with an alias.
        if parts.len() > 1 && self.local.contains(first) {
            return;
        }
        let (Some(ObjectNamePart::Identifier(a)), Some(ObjectNamePart::Identifier(b))) =
            (name.0.first(), name.0.last())
        else {
            return;
        };
        let (Some(ra), Some(rb)) = (
            self.index.range(self.text, a.span),
            self.index.range(self.text, b.span),
        ) else {
            return;
        };
        let range = ra.start..rb.end;
        if self.jinja.overlaps(&range) {
            return;
        }
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        match map.lookup(&refs) {
            Some(new) => {
                if self.src.get(range.clone()) != Some(new.as_str()) {
                    self.sink.edits.push(Edit {
                        range,
                        pieces: vec![Piece::Text(new)],
                        finding: usize::MAX,
                    });
                }
            }
            None => {
                let joined = parts.join(".");
                if !self.unmapped.contains(&joined) {
                    self.unmapped.push(joined);
                }
            }
        }
    }
}

impl Visitor for Walk<'_, '_> {
    type Break = ();

    fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<()> {
        self.type_ctes(q);
        for r in self.rules {
            self.with(r.info(), |cx| r.check_query(cx, q));
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, s: &Select) -> ControlFlow<()> {
        let scope = Scope::of_select(s, &self.scope_cx());
        self.scopes.push(scope);
        for r in self.rules {
            self.with(r.info(), |cx| r.check_select(cx, s));
        }
        ControlFlow::Continue(())
    }

    fn post_visit_select(&mut self, _s: &Select) -> ControlFlow<()> {
        self.scopes.pop();
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
        for r in self.rules {
            self.with(r.info(), |cx| r.check_expr(cx, e));
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
        for r in self.after_rules {
            self.with(r.info(), |cx| r.check_expr_after(cx, e));
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_relation(&mut self, name: &ObjectName) -> ControlFlow<()> {
        self.map_table(name);
        ControlFlow::Continue(())
    }
}

/// Collects CTE names and table aliases (lower-cased unless quoted).
#[derive(Default)]
struct Names {
    ctes: HashSet<String>,
    aliases: HashSet<String>,
}

impl Visitor for Names {
    type Break = ();

    fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<()> {
        if let Some(with) = &q.with {
            for cte in &with.cte_tables {
                self.ctes.insert(fold(&cte.alias.name));
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, t: &TableFactor) -> ControlFlow<()> {
        if let TableFactor::Table {
            alias: Some(alias), ..
        } = t
        {
            self.aliases.insert(fold(&alias.name));
        }
        ControlFlow::Continue(())
    }
}

fn fold(id: &sqlparser::ast::Ident) -> String {
    if id.quote_style.is_some() {
        id.value.clone()
    } else {
        id.value.to_lowercase()
    }
}
