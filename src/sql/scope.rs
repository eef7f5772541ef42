//! Which relations a column reference can mean, and its type when the column-type catalog knows
//! it.
//!
//! The walk keeps one [`Scope`] per enclosing SELECT (innermost last): the relations of its FROM
//! clause with their aliases. A relation whose columns the tool cannot know (a CTE, a derived
//! table, a Hex dataframe, a table function, a table the catalog lacks) is kept too, so that an
//! unqualified name is never resolved past it. Types are keyed by the Redshift names as written
//! in the SQL (the table mapping is not applied).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use sqlparser::ast::{
    Expr, FromTable, Ident, ObjectName, ObjectNamePart, ObjectType, Query, Select, SelectItem,
    SetExpr, Statement, TableAliasColumnDef, TableFactor, TableWithJoins, UpdateTableFromKind,
};

use super::types::Ty;
use crate::mappings::columns::{ColType, ColumnList, ColumnTypes, Lookup};

/// Columns a CTE or derived table is known to have (lower-cased name → type; a column whose
/// type could not be inferred is [`ColType::Other`]).
pub type InlineColumns = Rc<HashMap<String, ColType>>;

/// Where a relation's columns come from.
#[derive(Debug, Clone)]
pub enum Cols {
    /// Unknown (a dataframe, table function, UNION subquery …): may hold any name.
    Unknown,
    /// A table looked up in the catalog or the tables created earlier in the SQL.
    Table(Vec<String>),
    /// A CTE or derived table whose select list was typed.
    Inline(InlineColumns),
}

/// One relation of a FROM clause.
#[derive(Debug, Clone)]
pub struct Rel {
    /// Lower-cased alias, when the relation has one.
    pub alias: Option<String>,
    /// Lower-cased name parts as written (a table or CTE name), for `name.col` references.
    pub name: Option<Vec<String>>,
    pub cols: Cols,
}

/// The relations one SELECT reads, and the aliases of its select list.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub rels: Vec<Rel>,
    /// Lower-cased output aliases (Redshift lets later items and WHERE refer to them).
    pub aliases: HashSet<String>,
}

/// What building a scope needs: names that are not tables, typed CTEs, and the column types.
#[derive(Debug, Clone, Copy)]
pub struct ScopeCx<'a> {
    /// Lower-cased names that are not warehouse tables in this statement (CTE names, Hex
    /// dataframes); a typed CTE in `ctes` wins over this.
    pub opaque: &'a HashSet<String>,
    pub ctes: &'a HashMap<String, InlineColumns>,
    /// Catalog and local tables (its scopes are ignored).
    pub env: TypeEnv<'a>,
}

/// Folds an identifier as Redshift does: lower case (quoted names too, unless the cluster set
/// `enable_case_sensitive_identifier`, in which case the catalog export is lower-case anyway).
fn fold(id: &Ident) -> String {
    id.value.to_lowercase()
}

pub fn name_parts(name: &ObjectName) -> Option<Vec<String>> {
    name.0
        .iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(id) => Some(fold(id)),
            _ => None,
        })
        .collect()
}

impl Scope {
    /// The scope of a SELECT.
    pub fn of_select(s: &Select, cx: &ScopeCx<'_>) -> Scope {
        let mut scope = Scope::default();
        scope.add_all(&s.from, cx);
        for item in &s.projection {
            if let SelectItem::ExprWithAlias { alias, .. } = item {
                scope.aliases.insert(fold(alias));
            }
        }
        scope
    }

    /// The scope of an UPDATE or DELETE: its table and FROM/USING relations (`None` for other
    /// statements; SELECTs push their own scopes while walking).
    pub fn of_statement(s: &Statement, cx: &ScopeCx<'_>) -> Option<Scope> {
        let mut scope = Scope::default();
        match s {
            Statement::Update(u) => {
                scope.add_all(std::slice::from_ref(&u.table), cx);
                if let Some(UpdateTableFromKind::BeforeSet(f) | UpdateTableFromKind::AfterSet(f)) =
                    &u.from
                {
                    scope.add_all(f, cx);
                }
            }
            Statement::Delete(d) => {
                let (FromTable::WithFromKeyword(f) | FromTable::WithoutKeyword(f)) = &d.from;
                scope.add_all(f, cx);
                if let Some(u) = &d.using {
                    scope.add_all(u, cx);
                }
            }
            _ => return None,
        }
        Some(scope)
    }

    /// Every relation of a FROM (or USING) list, joined ones included.
    fn add_all(&mut self, list: &[TableWithJoins], cx: &ScopeCx<'_>) {
        for twj in list {
            self.add(&twj.relation, cx);
            for j in &twj.joins {
                self.add(&j.relation, cx);
            }
        }
    }

    fn add(&mut self, t: &TableFactor, cx: &ScopeCx<'_>) {
        match t {
            TableFactor::Table {
                name,
                alias,
                args: None,
                ..
            } => {
                let parts = name_parts(name);
                let cols = match &parts {
                    Some(p) if p.len() == 1 && cx.ctes.contains_key(&p[0]) => {
                        Cols::Inline(cx.ctes[&p[0]].clone())
                    }
                    Some(p) if p.len() == 1 && cx.opaque.contains(&p[0]) => Cols::Unknown,
                    Some(p) if (1..=3).contains(&p.len()) => Cols::Table(p.clone()),
                    _ => Cols::Unknown,
                };
                self.rels.push(Rel {
                    alias: alias.as_ref().map(|a| fold(&a.name)),
                    name: parts,
                    cols,
                });
            }
            TableFactor::NestedJoin {
                table_with_joins,
                alias,
            } => {
                if alias.is_some() {
                    self.rels.push(Rel {
                        alias: alias.as_ref().map(|a| fold(&a.name)),
                        name: None,
                        cols: Cols::Unknown,
                    });
                    return;
                }
                self.add_all(std::slice::from_ref(&**table_with_joins), cx);
            }
            TableFactor::Derived {
                lateral: false,
                subquery,
                alias,
                ..
            } => {
                let cols = query_columns(subquery, cx, alias.as_ref().map(|a| &a.columns[..]))
                    .map_or(Cols::Unknown, |c| Cols::Inline(Rc::new(c)));
                self.rels.push(Rel {
                    alias: alias.as_ref().map(|a| fold(&a.name)),
                    name: None,
                    cols,
                });
            }
            other => {
                let alias = match other {
                    TableFactor::Derived { alias, .. }
                    | TableFactor::Table { alias, .. }
                    | TableFactor::TableFunction { alias, .. }
                    | TableFactor::Function { alias, .. }
                    | TableFactor::UNNEST { alias, .. } => alias.as_ref().map(|a| fold(&a.name)),
                    _ => None,
                };
                self.rels.push(Rel {
                    alias,
                    name: None,
                    cols: Cols::Unknown,
                });
            }
        }
    }
}

/// The output columns of a CTE or derived-table query and their types, when the query is one
/// SELECT whose every output column has a name the tool can tell (`renames` is the column list
/// of `WITH c(a, b) AS` / `AS d(a, b)`). `None` when any column could be missed: a UNION, a
/// nested WITH, a `*` over relations the tool cannot enumerate. A column whose type is not known
/// is kept with [`ColType::Other`], so that it still shadows outer names.
pub fn query_columns(
    q: &Query,
    cx: &ScopeCx<'_>,
    renames: Option<&[TableAliasColumnDef]>,
) -> Option<HashMap<String, ColType>> {
    let mut out = query_output(q, cx)?;
    if let Some(renames) = renames {
        rename_columns(&mut out, renames.iter().map(|r| &r.name))?;
    }
    let mut map = HashMap::new();
    for (name, ty) in out.columns {
        if map.insert(name.clone(), ty).is_some() {
            // Two output columns of one name: a reference to it is ambiguous.
            map.insert(name, ColType::Other("ambiguous".to_string()));
        }
    }
    Some(map)
}

/// Renames the columns of `out` by position (`WITH c(a, b) AS`, `AS d(a, b)`, `CREATE TABLE
/// t (a, b) AS`); an empty list renames nothing. `None` when the names cannot be matched: a
/// different number of them, or columns whose order is not known (a `*` over a catalog table).
fn rename_columns<'i>(
    out: &mut ColumnList,
    names: impl ExactSizeIterator<Item = &'i Ident>,
) -> Option<()> {
    if names.len() == 0 {
        return Some(());
    }
    if !out.ordered || names.len() != out.columns.len() {
        return None;
    }
    for (o, n) in out.columns.iter_mut().zip(names) {
        o.0 = fold(n);
    }
    Some(())
}

/// The output columns of a query with their types, in order unless a `*` expanded columns
/// whose order is not known (see [`query_columns`]).
pub fn query_output(q: &Query, cx: &ScopeCx<'_>) -> Option<ColumnList> {
    if q.with.is_some() {
        return None;
    }
    let SetExpr::Select(s) = &*q.body else {
        return None;
    };
    let scope = Scope::of_select(s, cx);
    let scopes = [scope];
    let env = TypeEnv {
        catalog: cx.env.catalog,
        local: cx.env.local,
        scopes: &scopes,
    };
    let unknown = || ColType::Other("unknown".to_string());
    let mut out = ColumnList {
        columns: Vec::new(),
        ordered: true,
    };
    let extend = |out: &mut ColumnList, list: ColumnList| {
        out.columns.extend(list.columns);
        out.ordered &= list.ordered;
    };
    for item in &s.projection {
        match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                let name = match (item, e) {
                    (SelectItem::ExprWithAlias { alias, .. }, _) => fold(alias),
                    (_, Expr::Identifier(id)) => fold(id),
                    (_, Expr::CompoundIdentifier(ids)) => fold(ids.last()?),
                    // Redshift names an unaliased call after the function.
                    (_, Expr::Function(f)) => match f.name.0.last()? {
                        ObjectNamePart::Identifier(id) => fold(id),
                        _ => return None,
                    },
                    // `?column?`: no outer query can name it.
                    _ => {
                        out.columns.push(("?column?".to_string(), unknown()));
                        continue;
                    }
                };
                let ty = env.column_type(e).unwrap_or_else(|| {
                    col_type_of_ty(super::types::infer(&env, e)).unwrap_or_else(unknown)
                });
                out.columns.push((name, ty));
            }
            SelectItem::Wildcard(_) => {
                for rel in &scopes[0].rels {
                    extend(&mut out, env.all_columns(rel)?);
                }
            }
            SelectItem::QualifiedWildcard(kind, _) => {
                let sqlparser::ast::SelectItemQualifiedWildcardKind::ObjectName(q) = kind else {
                    return None;
                };
                let qual = name_parts(q)?;
                let rel = scopes[0].rels.iter().find(|r| rel_matches(r, &qual))?;
                extend(&mut out, env.all_columns(rel)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Whether `qual` (lower-cased parts before the column) names `r`.
fn rel_matches(r: &Rel, qual: &[String]) -> bool {
    match (&r.alias, &r.name) {
        (Some(a), _) => qual.len() == 1 && qual[0] == *a,
        (None, Some(t)) => {
            // The shorter of the qualifier and the written name is a suffix of the other:
            // `t.col` or `s.t.col` for a table written `s.t` or `t`.
            let n = qual.len().min(t.len());
            t[t.len() - n..] == qual[qual.len() - n..]
        }
        (None, None) => false,
    }
}

/// Records what a statement tells about later statements' tables: `CREATE [TEMP] TABLE t (col
/// type, …)` defines t's columns; `CREATE TABLE t AS SELECT …` takes the select list's types
/// (see [`query_output`]); `DROP TABLE t` forgets it. `catalog` types the CTAS query's tables.
pub fn record_ddl(local: &mut ColumnTypes, catalog: Option<&ColumnTypes>, s: &Statement) {
    match s {
        Statement::CreateTable(ct) => {
            let Some(parts) = name_parts(&ct.name) else {
                return;
            };
            let cols = match &ct.query {
                Some(q) => {
                    let (opaque, ctes) = (HashSet::new(), HashMap::new());
                    let cx = ScopeCx {
                        opaque: &opaque,
                        ctes: &ctes,
                        env: TypeEnv {
                            catalog,
                            local: Some(&*local),
                            scopes: &[],
                        },
                    };
                    // `CREATE TABLE t (a, b) AS SELECT …` renames the columns.
                    let out = query_output(q, &cx).and_then(|mut out| {
                        rename_columns(&mut out, ct.columns.iter().map(|c| &c.name))?;
                        Some(out)
                    });
                    let Some(out) = out else {
                        local.forget(&parts);
                        return;
                    };
                    out
                }
                None if ct.columns.is_empty() => {
                    // LIKE or CLONE: the columns are another table's.
                    local.forget(&parts);
                    return;
                }
                None => ColumnList {
                    columns: ct
                        .columns
                        .iter()
                        .map(|c| (fold(&c.name), col_type_of(&c.data_type)))
                        .collect(),
                    ordered: true,
                },
            };
            local.define(&parts, cols);
        }
        Statement::Drop {
            object_type: ObjectType::Table,
            names,
            ..
        } => {
            for n in names {
                if let Some(parts) = name_parts(n) {
                    local.forget(&parts);
                }
            }
        }
        _ => {}
    }
}

/// A DDL data type as a catalog type (by its Redshift spelling).
fn col_type_of(d: &sqlparser::ast::DataType) -> ColType {
    col_type_of_ty(Ty::of_data_type(d))
        .unwrap_or_else(|| ColType::Other(d.to_string().to_lowercase()))
}

/// A type class as a representative catalog type (`None` for other and unknown types).
fn col_type_of_ty(t: Ty) -> Option<ColType> {
    Some(match t {
        Ty::Int => ColType::BigInt,
        Ty::Decimal => ColType::Numeric(18, 0),
        Ty::Float => ColType::Double,
        Ty::Char => ColType::Char,
        Ty::Varchar => ColType::Varchar,
        Ty::Date => ColType::Date,
        Ty::Timestamp => ColType::Timestamp,
        Ty::TimestampTz => ColType::TimestampTz,
        Ty::Bool => ColType::Boolean,
        Ty::Other | Ty::Unknown => return None,
    })
}

/// What column types are known while checking an expression.
#[derive(Debug, Clone, Copy)]
pub struct TypeEnv<'a> {
    /// The column-type catalog given by the user.
    pub catalog: Option<&'a ColumnTypes>,
    /// Tables created earlier in the same SQL (they hide catalog tables of the same name).
    pub local: Option<&'a ColumnTypes>,
    /// Enclosing SELECTs, innermost last.
    pub scopes: &'a [Scope],
}

impl TypeEnv<'_> {
    /// No catalog and no scope: every column is unknown.
    #[cfg(test)]
    pub const EMPTY: TypeEnv<'static> = TypeEnv {
        catalog: None,
        local: None,
        scopes: &[],
    };

    fn lookup(&self, table: &[String], column: &str) -> Lookup {
        self.table_source(table)
            .map_or(Lookup::NoTable, |c| c.column(table, column))
    }

    /// A column of a relation in scope.
    fn rel_column(&self, rel: &Rel, column: &str) -> Lookup {
        match &rel.cols {
            Cols::Unknown => Lookup::NoTable,
            Cols::Table(t) => self.lookup(t, column),
            Cols::Inline(m) => match m.get(column) {
                Some(t) => Lookup::Type(t.clone()),
                None => Lookup::NoColumn,
            },
        }
    }

    /// Every column of a relation, when the tool can enumerate them (for `SELECT *`).
    fn all_columns(&self, rel: &Rel) -> Option<ColumnList> {
        match &rel.cols {
            Cols::Unknown => None,
            // A CTE's or derived table's columns are kept by name only.
            Cols::Inline(m) => Some(ColumnList {
                columns: m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                ordered: false,
            }),
            Cols::Table(t) => self.table_source(t)?.all_columns(t),
        }
    }

    /// Where a table's columns come from: a table created earlier in the SQL hides a catalog
    /// table of the same name.
    fn table_source(&self, table: &[String]) -> Option<&ColumnTypes> {
        self.local.filter(|l| l.has_table(table)).or(self.catalog)
    }

    /// A table's columns in table order (only known for tables created earlier in the SQL).
    pub fn table_columns(&self, table: &[String]) -> Option<Vec<(String, ColType)>> {
        self.table_source(table)?.ordered_columns(table)
    }

    /// The type of a column of a named table (not through the scope).
    pub fn table_column(&self, table: &[String], column: &str) -> Option<ColType> {
        match self.lookup(table, &column.to_lowercase()) {
            Lookup::Type(t) => Some(t),
            _ => None,
        }
    }

    /// The type of a column reference (`col`, `t.col`, `alias.col`, `schema.t.col`), when exactly
    /// one relation in scope can hold it and the catalog knows its type.
    pub fn column_type(&self, e: &Expr) -> Option<ColType> {
        let parts: Vec<String> = match e {
            Expr::Identifier(id) => vec![fold(id)],
            Expr::CompoundIdentifier(ids) => ids.iter().map(fold).collect(),
            Expr::Nested(inner) => return self.column_type(inner),
            _ => return None,
        };
        let (column, qual) = parts.split_last()?;
        if qual.len() > 3 {
            return None;
        }
        for scope in self.scopes.iter().rev() {
            if qual.is_empty() {
                let mut holders = Vec::new();
                for rel in &scope.rels {
                    match self.rel_column(rel, column) {
                        // A relation with unknown columns may hold it.
                        Lookup::NoTable => return None,
                        Lookup::NoColumn => {}
                        found => holders.push(found),
                    }
                }
                match holders.as_slice() {
                    [] if scope.aliases.contains(column.as_str()) => return None,
                    [] => continue, // an outer query's column (correlated subquery)
                    [Lookup::Type(t)] => return Some(t.clone()),
                    _ => return None, // ambiguous
                }
            }
            let matching: Vec<&Rel> = scope.rels.iter().filter(|r| rel_matches(r, qual)).collect();
            match matching.as_slice() {
                [] => continue,
                [rel] => {
                    return match self.rel_column(rel, column) {
                        Lookup::Type(t) => Some(t),
                        _ => None,
                    };
                }
                _ => return None,
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::ast::{SetExpr, Statement};
    use sqlparser::dialect::RedshiftSqlDialect;
    use sqlparser::parser::Parser;
    use std::path::Path;

    fn catalog() -> ColumnTypes {
        let mut c = ColumnTypes::default();
        c.add_csv(
            Path::new("c.csv"),
            b"table_schema,table_name,column_name,data_type\n\
              public,orders,id,integer\npublic,orders,amount,\"numeric(10,2)\"\n\
              public,orders,ts,timestamp without time zone\n\
              public,users,id,bigint\npublic,users,name,character varying(20)\n",
        )
        .unwrap();
        c
    }

    /// The type of the first select item of `sql`, resolved in its SELECT's scope.
    fn first_item_type(sql: &str, c: &ColumnTypes) -> Option<ColType> {
        let stmt = Parser::parse_sql(&RedshiftSqlDialect {}, sql)
            .unwrap()
            .remove(0);
        let Statement::Query(q) = stmt else { panic!() };
        let SetExpr::Select(s) = &*q.body else {
            panic!()
        };
        let mut opaque = HashSet::new();
        if let Some(w) = &q.with {
            for cte in &w.cte_tables {
                opaque.insert(fold(&cte.alias.name));
            }
        }
        let ctes = HashMap::new();
        let cx = ScopeCx {
            opaque: &opaque,
            ctes: &ctes,
            env: TypeEnv {
                catalog: Some(c),
                local: None,
                scopes: &[],
            },
        };
        let scopes = [Scope::of_select(s, &cx)];
        let env = TypeEnv {
            catalog: Some(c),
            local: None,
            scopes: &scopes,
        };
        let expr = match &s.projection[0] {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e,
            _ => panic!(),
        };
        env.column_type(expr)
    }

    #[test]
    fn resolves_plain_qualified_and_aliased_columns() {
        let c = catalog();
        assert_eq!(
            first_item_type("SELECT amount FROM orders", &c),
            Some(ColType::Numeric(10, 2))
        );
        assert_eq!(
            first_item_type(
                "SELECT o.ts FROM public.orders o JOIN users u ON o.id = u.id",
                &c
            ),
            Some(ColType::Timestamp)
        );
        assert_eq!(
            first_item_type("SELECT Public.Orders.ID FROM public.orders", &c),
            Some(ColType::Integer)
        );
        assert_eq!(
            first_item_type("SELECT orders.id FROM orders", &c),
            Some(ColType::Integer)
        );
        // Only one relation holds `name`.
        assert_eq!(
            first_item_type("SELECT name FROM orders, users", &c),
            Some(ColType::Varchar)
        );
    }

    #[test]
    fn unknown_when_ambiguous_or_opaque() {
        let c = catalog();
        // Both tables have `id`.
        assert_eq!(first_item_type("SELECT id FROM orders, users", &c), None);
        // A CTE's columns are unknown, even when it is named like a table.
        assert_eq!(
            first_item_type(
                "WITH orders AS (SELECT 1.5 AS id) SELECT id FROM orders",
                &c
            ),
            None
        );
        // A derived table in scope may hold any unqualified name, unless its select list
        // is typed.
        assert_eq!(
            first_item_type("SELECT amount FROM orders, (SELECT 1 AS x) d", &c),
            Some(ColType::Numeric(10, 2))
        );
        assert_eq!(
            first_item_type("SELECT amount FROM orders, (SELECT 1 UNION SELECT 2) d", &c),
            None
        );
        assert_eq!(
            first_item_type("SELECT x FROM orders, (SELECT 1 AS x) d", &c),
            Some(ColType::BigInt)
        );
        // `SELECT *` of a known table, and a column whose type is unknown still shadows.
        assert_eq!(
            first_item_type("SELECT d.ts FROM (SELECT * FROM orders) d", &c),
            Some(ColType::Timestamp)
        );
        assert_eq!(
            first_item_type("SELECT name FROM users, (SELECT f(1) AS name) d", &c),
            None
        );
        // A table the catalog lacks.
        assert_eq!(
            first_item_type("SELECT amount FROM orders, other", &c),
            None
        );
        // An aliased table is no longer reachable by its name.
        assert_eq!(first_item_type("SELECT orders.id FROM orders o", &c), None);
        assert_eq!(first_item_type("SELECT nope FROM orders", &c), None);
    }

    #[test]
    fn columns_named_by_position_need_a_known_order() {
        let c = catalog();
        // A catalog export gives no column order: `d(a, b, t)` cannot say which column `a` is
        // (it used to be whichever came first in a hash map: `id` or `amount`, run to run).
        assert_eq!(
            first_item_type("SELECT d.a FROM (SELECT * FROM orders) AS d(a, b, t)", &c),
            None
        );
        // Named columns keep their names whatever the order.
        assert_eq!(
            first_item_type(
                "SELECT d.a FROM (SELECT amount AS a, id FROM orders) AS d(a, b)",
                &c
            ),
            Some(ColType::Numeric(10, 2))
        );
        // A table created in the SQL has its order: CTAS takes it, positions then work.
        let mut local = ColumnTypes::default();
        for sql in [
            "CREATE TABLE a (x INTEGER, y DATE)",
            "CREATE TABLE b AS SELECT * FROM a",
            "CREATE TABLE o AS SELECT * FROM orders",
        ] {
            let stmt = Parser::parse_sql(&RedshiftSqlDialect {}, sql)
                .unwrap()
                .remove(0);
            record_ddl(&mut local, Some(&c), &stmt);
        }
        let env = TypeEnv {
            catalog: Some(&c),
            local: Some(&local),
            scopes: &[],
        };
        assert_eq!(
            env.table_columns(&["b".to_string()]),
            // (DDL types are kept as their class's representative: INTEGER as BIGINT.)
            Some(vec![
                ("x".to_string(), ColType::BigInt),
                ("y".to_string(), ColType::Date)
            ])
        );
        // A copy of a catalog table knows its column types but not their positions.
        assert_eq!(env.table_columns(&["o".to_string()]), None);
        assert_eq!(
            env.table_column(&["o".to_string()], "ts"),
            Some(ColType::Timestamp)
        );
    }
}
