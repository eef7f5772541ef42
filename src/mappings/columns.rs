//! Column types exported from Redshift's catalog: a [`ColumnTypes`] catalog.
//!
//! Input is a CSV with a header naming its columns (case and spaces/underscores ignored, other
//! columns ignored, so `SELECT * FROM svv_columns` exports work too):
//!
//! - `table_schema,table_name,column_name,data_type` — what
//!   `SELECT table_schema, table_name, column_name, data_type FROM svv_columns` (or
//!   `information_schema.columns`) returns; `schemaname,tablename,column,type` (pg_table_def) is
//!   accepted as well;
//! - `table_name,column_name,data_type` — without the schema: the rows match the table in any
//!   schema.
//!
//! Names compare case-insensitively: Redshift folds unquoted identifiers to lower case (and, unless
//! `enable_case_sensitive_identifier` is on, quoted ones too). Types are Redshift's names
//! (`integer`, `character varying(256)`, `numeric(10,2)`, `timestamp without time zone`, …) or
//! their aliases (`int4`, `varchar`, `timestamptz`, …); a type the tool does not know is kept as
//! [`ColType::Other`] and never enables a rewrite. The engine also adds the columns of
//! `CREATE TABLE` statements it has seen earlier in the same SQL (see `sql::translate`).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::MappingError;

/// A Redshift column type, as far as the rules need to tell types apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColType {
    SmallInt,
    Integer,
    BigInt,
    /// NUMERIC/DECIMAL(precision, scale); Redshift's default is (18, 0).
    Numeric(u32, u32),
    Real,
    Double,
    Boolean,
    /// CHAR(n) / CHARACTER / NCHAR / BPCHAR (blank-padded).
    Char,
    /// VARCHAR(n) / CHARACTER VARYING / TEXT / NVARCHAR.
    Varchar,
    Date,
    /// TIMESTAMP WITHOUT TIME ZONE.
    Timestamp,
    /// TIMESTAMP WITH TIME ZONE.
    TimestampTz,
    Time,
    TimeTz,
    Super,
    /// Any other type name (lower-cased), e.g. `geometry`, `varbyte`, `hllsketch`.
    Other(String),
}

impl ColType {
    /// Parses a Redshift type name as the catalog prints it (`character varying(256)`,
    /// `numeric(12,2)`, `timestamp without time zone`) or as DDL writes it (`varchar`, `int8`,
    /// `timestamptz`, `float`). Returns `None` only for an empty name.
    pub fn parse(name: &str) -> Option<ColType> {
        let lower = name.trim().to_ascii_lowercase();
        if lower.is_empty() {
            return None;
        }
        // Split `base(args)`; whitespace inside the base collapses to one space.
        let (base, args) = match lower.find('(') {
            Some(i) => {
                let close = lower.rfind(')').unwrap_or(lower.len());
                (&lower[..i], lower.get(i + 1..close).unwrap_or(""))
            }
            None => (lower.as_str(), ""),
        };
        let base = base.split_whitespace().collect::<Vec<_>>().join(" ");
        // `timestamp(6) without time zone` puts the precision in the middle.
        let rest = lower
            .rfind(')')
            .map(|i| {
                lower[i + 1..]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        let full = if rest.is_empty() {
            base.clone()
        } else {
            format!("{base} {rest}")
        };
        let nums: Vec<u32> = args
            .split(',')
            .filter_map(|a| a.trim().parse().ok())
            .collect();
        Some(match full.as_str() {
            "smallint" | "int2" => ColType::SmallInt,
            "integer" | "int" | "int4" => ColType::Integer,
            "bigint" | "int8" => ColType::BigInt,
            "numeric" | "decimal" => ColType::Numeric(
                nums.first().copied().unwrap_or(18),
                nums.get(1).copied().unwrap_or(0),
            ),
            "real" | "float4" => ColType::Real,
            "double precision" | "float8" | "float" => ColType::Double,
            "boolean" | "bool" => ColType::Boolean,
            "character" | "char" | "nchar" | "bpchar" => ColType::Char,
            "character varying" | "varchar" | "nvarchar" | "text" | "string" => ColType::Varchar,
            "date" => ColType::Date,
            "timestamp" | "timestamp without time zone" => ColType::Timestamp,
            "timestamptz" | "timestamp with time zone" => ColType::TimestampTz,
            "time" | "time without time zone" => ColType::Time,
            "timetz" | "time with time zone" => ColType::TimeTz,
            "super" => ColType::Super,
            _ => ColType::Other(lower),
        })
    }

    /// CHAR or VARCHAR.
    pub fn is_string(&self) -> bool {
        matches!(self, ColType::Char | ColType::Varchar)
    }
}

/// The columns of one table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableColumns {
    /// Lower-cased column name → type.
    pub columns: HashMap<String, ColType>,
    /// The columns in table order, when known (a CREATE TABLE seen in the SQL).
    pub order: Option<Vec<String>>,
}

/// Columns with their types, and whether their order is the table's (a position may then be
/// matched with them: a column list `AS d(a, b)`, an `INSERT … VALUES` row).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnList {
    pub columns: Vec<(String, ColType)>,
    pub ordered: bool,
}

/// Column types by table, from catalog exports and DDL seen in the SQL.
#[derive(Debug, Clone, Default)]
pub struct ColumnTypes {
    /// Files the rows came from, in load order.
    pub files: Vec<PathBuf>,
    /// Lower-cased table name → lower-cased schema (`None`: a row without schema) → columns.
    tables: HashMap<String, BTreeMap<Option<String>, TableColumns>>,
    /// Where each (schema, table, column) was defined, for duplicate errors: (file, line).
    origin: HashMap<(Option<String>, String, String), (usize, usize)>,
}

impl ColumnTypes {
    /// Loads column-type files in order (later files add tables; a column given two different
    /// types is an error naming both lines).
    pub fn load(paths: &[PathBuf]) -> Result<ColumnTypes, MappingError> {
        let mut c = ColumnTypes::default();
        for path in paths {
            c.add_csv(path, &super::tables::read_file(path)?)?;
        }
        Ok(c)
    }

    /// True when no column is known.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    /// Adds the rows of one file given as bytes (`path` names it in errors).
    pub fn add_csv(&mut self, path: &Path, bytes: &[u8]) -> Result<(), MappingError> {
        let text = super::functions::decode_utf8(path, bytes)?;
        let file = self.files.len();
        self.files.push(path.to_path_buf());
        let mut header: Option<Header> = None;
        for row in super::tables::records(path, text) {
            let (line, record) = row?;
            let Some(h) = header else {
                header = Some(Header::parse(&record).ok_or_else(|| {
                    MappingError::new(
                        path,
                        Some(line),
                        format!(
                            "unrecognised header `{}`; expected `table_schema,table_name,\
                             column_name,data_type` (or `table_name,column_name,data_type`)",
                            record.iter().collect::<Vec<_>>().join(",")
                        ),
                    )
                })?);
                continue;
            };
            let get = |i: usize, name: &str| -> Result<&str, MappingError> {
                match record.get(i) {
                    Some(v) if !v.is_empty() => Ok(v),
                    _ => Err(MappingError::new(
                        path,
                        Some(line),
                        format!("missing `{name}`"),
                    )),
                }
            };
            let schema = match h.schema {
                Some(i) => Some(get(i, "table_schema")?.to_lowercase()),
                None => None,
            };
            let table = get(h.table, "table_name")?.to_lowercase();
            let column = get(h.column, "column_name")?.to_lowercase();
            let ty = ColType::parse(get(h.data_type, "data_type")?)
                .ok_or_else(|| MappingError::new(path, Some(line), "empty `data_type`"))?;
            let key = (schema.clone(), table.clone(), column.clone());
            let entry = self
                .tables
                .entry(table)
                .or_default()
                .entry(schema)
                .or_default();
            match entry.columns.get(&column) {
                Some(old) if *old != ty => {
                    let (f, l) = self.origin[&key];
                    let where_old = if f == file {
                        format!("line {l}")
                    } else {
                        format!("{}:{l}", self.files[f].display())
                    };
                    return Err(MappingError::new(
                        path,
                        Some(line),
                        format!(
                            "column `{}` has type {ty:?} here but {old:?} on {where_old}",
                            [key.0.as_deref().unwrap_or(""), &key.1, &key.2]
                                .iter()
                                .filter(|p| !p.is_empty())
                                .copied()
                                .collect::<Vec<_>>()
                                .join(".")
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    entry.columns.insert(column, ty);
                    self.origin.insert(key, (file, line));
                }
            }
        }
        if header.is_none() {
            return Err(MappingError::new(
                path,
                None,
                "empty column-types file (no header)",
            ));
        }
        Ok(())
    }

    /// Defines (or replaces) a table's columns, as `CREATE TABLE` does. `parts` are the name
    /// parts as written (unquoted parts already lower-cased or not: they are folded here).
    pub fn define(&mut self, parts: &[String], list: ColumnList) {
        let Some((table, schema)) = split_name(parts) else {
            return;
        };
        let columns: Vec<(String, ColType)> = list
            .columns
            .into_iter()
            .map(|(n, t)| (n.to_lowercase(), t))
            .collect();
        let t = TableColumns {
            order: list
                .ordered
                .then(|| columns.iter().map(|(n, _)| n.clone()).collect()),
            columns: columns.into_iter().collect(),
        };
        let by_schema = self.tables.entry(table).or_default();
        // A new definition hides any earlier one of the same name in the SQL.
        if schema.is_none() {
            by_schema.clear();
        }
        by_schema.insert(schema, t);
    }

    /// Forgets a table (`DROP TABLE`).
    pub fn forget(&mut self, parts: &[String]) {
        if let Some((table, _)) = split_name(parts) {
            self.tables.remove(&table);
        }
    }

    /// Whether a table of this name (parts as written) is known.
    pub fn has_table(&self, parts: &[String]) -> bool {
        self.candidates(parts).is_some_and(|c| !c.is_empty())
    }

    /// The column type of `column` in the table `parts` names. With an unqualified table name,
    /// every schema holding the table counts: the type is known when they agree.
    pub fn column(&self, parts: &[String], column: &str) -> Lookup {
        let Some(cands) = self.candidates(parts) else {
            return Lookup::NoTable;
        };
        if cands.is_empty() {
            return Lookup::NoTable;
        }
        column_in(&cands, column)
    }

    /// Every column of the table, when one schema's definition is meant (for `SELECT *`): in
    /// table order when that is known (a table defined in the SQL), else in no particular order
    /// (a catalog export's rows carry no position).
    pub fn all_columns(&self, parts: &[String]) -> Option<ColumnList> {
        if let Some(columns) = self.ordered_columns(parts) {
            return Some(ColumnList {
                columns,
                ordered: true,
            });
        }
        let cands = self.candidates(parts)?;
        let [t] = cands.as_slice() else {
            return None;
        };
        Some(ColumnList {
            columns: t
                .columns
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            ordered: false,
        })
    }

    /// The table's columns in table order, when one definition of it is known with its order.
    pub fn ordered_columns(&self, parts: &[String]) -> Option<Vec<(String, ColType)>> {
        let cands = self.candidates(parts)?;
        let [t] = cands.as_slice() else {
            return None;
        };
        let order = t.order.as_ref()?;
        order
            .iter()
            .map(|n| t.columns.get(n).map(|ty| (n.clone(), ty.clone())))
            .collect()
    }

    fn candidates(&self, parts: &[String]) -> Option<Vec<&TableColumns>> {
        let (table, schema) = split_name(parts)?;
        let by_schema = self.tables.get(&table)?;
        Some(match schema {
            // Unqualified: any schema on the search path; the tool does not know the path.
            None => by_schema.values().collect(),
            Some(s) => by_schema
                .iter()
                .filter(|(k, _)| k.is_none() || k.as_deref() == Some(s.as_str()))
                .map(|(_, v)| v)
                .collect(),
        })
    }
}

/// The type of `column` in the tables an unqualified name can mean (one per schema holding it):
/// known when they agree.
fn column_in(candidates: &[&TableColumns], column: &str) -> Lookup {
    let column = column.to_lowercase();
    let mut found: Option<&ColType> = None;
    for c in candidates {
        if let Some(t) = c.columns.get(&column) {
            match found {
                Some(f) if f != t => return Lookup::Ambiguous,
                _ => found = Some(t),
            }
        }
    }
    match found {
        Some(t) => Lookup::Type(t.clone()),
        None => Lookup::NoColumn,
    }
}

/// The answer to a column lookup in one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The catalog does not know the table.
    NoTable,
    /// The table is known and has no such column.
    NoColumn,
    /// Schemas holding the table disagree on the column's type.
    Ambiguous,
    Type(ColType),
}

/// (table, schema) of a name `t`, `s.t` or `db.s.t`, lower-cased.
fn split_name(parts: &[String]) -> Option<(String, Option<String>)> {
    match parts {
        [t] => Some((t.to_lowercase(), None)),
        [s, t] | [_, s, t] => Some((t.to_lowercase(), Some(s.to_lowercase()))),
        _ => None,
    }
}

/// Positions of the columns the loader uses.
#[derive(Debug, Clone, Copy)]
struct Header {
    schema: Option<usize>,
    table: usize,
    column: usize,
    data_type: usize,
}

impl Header {
    fn parse(record: &csv::StringRecord) -> Option<Header> {
        let norm = super::tables::normalized_header(record);
        let find = |names: &[&str]| norm.iter().position(|h| names.contains(&h.as_str()));
        Some(Header {
            schema: find(&["table_schema", "schemaname", "schema_name", "schema"]),
            table: find(&["table_name", "tablename", "table"])?,
            column: find(&["column_name", "columnname", "column"])?,
            data_type: find(&["data_type", "type", "datatype"])?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<ColumnTypes, MappingError> {
        let mut c = ColumnTypes::default();
        c.add_csv(Path::new("cols.csv"), text.as_bytes())?;
        Ok(c)
    }

    fn parts(s: &str) -> Vec<String> {
        s.split('.').map(str::to_string).collect()
    }

    #[test]
    fn parses_catalog_type_names_and_aliases() {
        assert_eq!(ColType::parse("integer"), Some(ColType::Integer));
        assert_eq!(ColType::parse(" INT8 "), Some(ColType::BigInt));
        assert_eq!(
            ColType::parse("numeric(12,2)"),
            Some(ColType::Numeric(12, 2))
        );
        assert_eq!(ColType::parse("decimal"), Some(ColType::Numeric(18, 0)));
        assert_eq!(
            ColType::parse("character varying(256)"),
            Some(ColType::Varchar)
        );
        assert_eq!(ColType::parse("character(3)"), Some(ColType::Char));
        assert_eq!(ColType::parse("double   precision"), Some(ColType::Double));
        assert_eq!(
            ColType::parse("timestamp without time zone"),
            Some(ColType::Timestamp)
        );
        assert_eq!(
            ColType::parse("timestamp(6) with time zone"),
            Some(ColType::TimestampTz)
        );
        assert_eq!(
            ColType::parse("geometry"),
            Some(ColType::Other("geometry".into()))
        );
        assert_eq!(ColType::parse("  "), None);
    }

    #[test]
    fn loads_svv_columns_export_case_insensitively() {
        let c = load(
            "\u{feff}Table_Schema,Table Name,column_name,data_type\n\
             sales,Funnel,Visitors,integer\n\
             sales,funnel,amount,\"numeric(10,2)\"\n\
             other,funnel,visitors,bigint\n",
        )
        .unwrap();
        assert_eq!(
            c.column(&parts("SALES.funnel"), "VISITORS"),
            Lookup::Type(ColType::Integer)
        );
        assert_eq!(
            c.column(&parts("db.sales.funnel"), "amount"),
            Lookup::Type(ColType::Numeric(10, 2))
        );
        // Unqualified: the schemas disagree, so the type is not known.
        assert_eq!(c.column(&parts("funnel"), "visitors"), Lookup::Ambiguous);
        assert_eq!(
            c.column(&parts("funnel"), "amount"),
            Lookup::Type(ColType::Numeric(10, 2))
        );
        assert_eq!(c.column(&parts("sales.funnel"), "nope"), Lookup::NoColumn);
        assert_eq!(c.column(&parts("nope"), "x"), Lookup::NoTable);
        assert_eq!(c.column(&parts("third.funnel"), "x"), Lookup::NoTable);
    }

    #[test]
    fn rows_without_schema_match_any_schema_and_extra_columns_are_ignored() {
        let c = load("ordinal_position,table_name,column_name,data_type\n1,t,x,date\n").unwrap();
        assert_eq!(c.column(&parts("s.t"), "x"), Lookup::Type(ColType::Date));
        assert_eq!(c.column(&parts("t"), "x"), Lookup::Type(ColType::Date));
    }

    #[test]
    fn errors_name_the_line() {
        let e = load("a,b\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("unrecognised header"), "{e}");
        let e = load("table_name,column_name,data_type\nt,x,integer\n\nt,,integer\n").unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(e
            .to_string()
            .starts_with("cols.csv:4: missing `column_name`"));
        let e = load("table_name,column_name,data_type\nt,x,integer\nT,X,date\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("line 2"), "{e}");
        // The same type twice is fine (two exports of one table).
        assert!(load("table_name,column_name,data_type\nt,x,int\nt,x,integer\n").is_ok());
        assert!(load("").is_err());
    }

    #[test]
    fn ddl_definitions_replace_earlier_ones() {
        let mut c = load("table_schema,table_name,column_name,data_type\ns,t,x,integer\n").unwrap();
        c.define(
            &parts("t"),
            ColumnList {
                columns: vec![("X".into(), ColType::Date), ("a".into(), ColType::Integer)],
                ordered: true,
            },
        );
        assert_eq!(c.column(&parts("s.t"), "x"), Lookup::Type(ColType::Date));
        assert_eq!(
            c.ordered_columns(&parts("t")),
            Some(vec![
                ("x".to_string(), ColType::Date),
                ("a".to_string(), ColType::Integer)
            ])
        );
        c.forget(&parts("t"));
        assert_eq!(c.column(&parts("t"), "x"), Lookup::NoTable);
    }
}
