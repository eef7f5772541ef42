//! The Redshift type of an expression, as far as the SQL and the column-type catalog show it.
//!
//! Shared by the rules whose exact rewrite depends on a type (integer division, AVG of integers,
//! TRUNC, date arithmetic, trailing blanks). [`Ty::Unknown`] means "could be anything": rules
//! keep reporting then. Inference follows Redshift's rules (AWS "Numeric types", "Compute and
//! numeric operators", the aggregate function pages), not Databricks'.

use sqlparser::ast::{
    BinaryOperator, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, TimezoneInfo,
    UnaryOperator, Value,
};

use super::checker::Checker;
use super::scope::TypeEnv;
use crate::mappings::columns::ColType;

/// An expression's type class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// SMALLINT, INTEGER, BIGINT.
    Int,
    /// NUMERIC/DECIMAL (any scale), or a number that is certainly not an integer type.
    Decimal,
    /// REAL, DOUBLE PRECISION.
    Float,
    /// CHAR(n): blank-padded.
    Char,
    /// VARCHAR, TEXT, and string literals.
    Varchar,
    Date,
    Timestamp,
    TimestampTz,
    Bool,
    /// Known, but none of the above (TIME, SUPER, INTERVAL, GEOMETRY, …).
    Other,
    Unknown,
}

impl Ty {
    pub fn is_numeric(self) -> bool {
        matches!(self, Ty::Int | Ty::Decimal | Ty::Float)
    }

    pub fn is_string(self) -> bool {
        matches!(self, Ty::Char | Ty::Varchar)
    }

    /// The class of a catalog type.
    pub fn of_col(t: &ColType) -> Ty {
        match t {
            ColType::SmallInt | ColType::Integer | ColType::BigInt => Ty::Int,
            ColType::Numeric(..) => Ty::Decimal,
            ColType::Real | ColType::Double => Ty::Float,
            ColType::Boolean => Ty::Bool,
            ColType::Char => Ty::Char,
            ColType::Varchar => Ty::Varchar,
            ColType::Date => Ty::Date,
            ColType::Timestamp => Ty::Timestamp,
            ColType::TimestampTz => Ty::TimestampTz,
            ColType::Time | ColType::TimeTz | ColType::Super => Ty::Other,
            // A name the tool does not know: it might be an alias of an integer type.
            ColType::Other(_) => Ty::Unknown,
        }
    }

    /// The class of a SQL data type (a CAST target).
    pub fn of_data_type(d: &DataType) -> Ty {
        match d {
            DataType::Int(_)
            | DataType::Integer(_)
            | DataType::BigInt(_)
            | DataType::SmallInt(_)
            | DataType::TinyInt(_)
            | DataType::Int2(_)
            | DataType::Int4(_)
            | DataType::Int8(_) => Ty::Int,
            DataType::Decimal(_) | DataType::Numeric(_) | DataType::Dec(_) => Ty::Decimal,
            DataType::Float(_)
            | DataType::Real
            | DataType::Double(_)
            | DataType::DoublePrecision
            | DataType::Float4
            | DataType::Float8
            | DataType::Float64 => Ty::Float,
            DataType::Char(_) | DataType::Character(_) => Ty::Char,
            DataType::Varchar(_)
            | DataType::CharacterVarying(_)
            | DataType::CharVarying(_)
            | DataType::Nvarchar(_)
            | DataType::Text
            | DataType::String(_) => Ty::Varchar,
            DataType::Date => Ty::Date,
            DataType::Timestamp(_, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) => {
                Ty::TimestampTz
            }
            DataType::Timestamp(..) | DataType::TimestampNtz(..) | DataType::Datetime(..) => {
                Ty::Timestamp
            }
            DataType::Bool | DataType::Boolean => Ty::Bool,
            DataType::Custom(name, _) => match ColType::parse(&name.to_string()) {
                Some(t) => Ty::of_col(&t),
                None => Ty::Unknown,
            },
            _ => Ty::Other,
        }
    }

    /// The type of `a op b` for + - * / %: Redshift's numeric promotion (int / int stays an
    /// integer, like the other operators).
    fn arith(a: Ty, b: Ty) -> Ty {
        match (a, b) {
            (Ty::Int, Ty::Int) => Ty::Int,
            (Ty::Float, x) | (x, Ty::Float) if x.is_numeric() || x == Ty::Unknown => Ty::Float,
            (Ty::Decimal, x) | (x, Ty::Decimal) if x.is_numeric() || x == Ty::Unknown => {
                Ty::Decimal
            }
            _ => Ty::Unknown,
        }
    }

    /// The common type of branches (CASE, COALESCE, NVL, GREATEST …); NULLs are ignored.
    fn common(items: impl IntoIterator<Item = Ty>) -> Ty {
        let mut acc: Option<Ty> = None;
        for t in items {
            acc = Some(match acc {
                None => t,
                Some(a) if a == t => a,
                Some(a) if a.is_numeric() && t.is_numeric() => Ty::arith(a, t),
                Some(_) => return Ty::Unknown,
            });
        }
        acc.unwrap_or(Ty::Unknown)
    }
}

/// The end of a "type unknown" message: how to let the tool see types.
pub fn unknown_hint(cx: &Checker<'_, '_>) -> &'static str {
    if cx.has_column_types() {
        " (the column-type CSV does not settle it: a column of a UNION, dataframe or table \
         missing from the CSV, or an unqualified name more than one relation could hold; \
         qualify it as alias.column)"
    } else {
        " (or pass a column-type CSV exported from Redshift with --column-types, and the tool \
         rewrites it when the types are known)"
    }
}

fn is_null(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if matches!(v.value, Value::Null))
}

/// `=`, `<>`, `<`, `<=`, `>`, `>=`: the operators that compare two values of one type.
pub fn is_comparison(op: &BinaryOperator) -> bool {
    matches!(
        op,
        BinaryOperator::Eq
            | BinaryOperator::NotEq
            | BinaryOperator::Lt
            | BinaryOperator::LtEq
            | BinaryOperator::Gt
            | BinaryOperator::GtEq
    )
}

/// The unnamed expression arguments of a call (`None` if any is named, a wildcard, or a subquery).
pub fn call_args(f: &sqlparser::ast::Function) -> Option<Vec<&Expr>> {
    let FunctionArguments::List(list) = &f.args else {
        return match &f.args {
            FunctionArguments::None => Some(Vec::new()),
            _ => None,
        };
    };
    list.args
        .iter()
        .map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
            _ => None,
        })
        .collect()
}

/// The type of an expression in Redshift.
pub fn infer(env: &TypeEnv<'_>, e: &Expr) -> Ty {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => {
                if n.chars().all(|c| c.is_ascii_digit()) {
                    Ty::Int
                } else if n.contains(['e', 'E']) {
                    Ty::Float
                } else {
                    Ty::Decimal
                }
            }
            Value::SingleQuotedString(_) => Ty::Varchar,
            Value::Boolean(_) => Ty::Bool,
            Value::Null => Ty::Unknown,
            _ => Ty::Other,
        },
        Expr::Nested(inner) => infer(env, inner),
        Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        } => match infer(env, expr) {
            t if t.is_numeric() => t,
            _ => Ty::Unknown,
        },
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            ..
        } => Ty::Bool,
        Expr::BinaryOp { left, op, right } => {
            let (l, r) = (infer(env, left), infer(env, right));
            match op {
                BinaryOperator::Plus => match (l, r) {
                    (Ty::Date, Ty::Int) | (Ty::Int, Ty::Date) => Ty::Date,
                    _ => Ty::arith(l, r),
                },
                BinaryOperator::Minus => match (l, r) {
                    // Redshift: date - date is an INTEGER number of days.
                    (Ty::Date, Ty::Date) => Ty::Int,
                    (Ty::Date, Ty::Int) => Ty::Date,
                    _ => Ty::arith(l, r),
                },
                BinaryOperator::Multiply | BinaryOperator::Modulo => Ty::arith(l, r),
                BinaryOperator::Divide => Ty::arith(l, r),
                BinaryOperator::StringConcat => Ty::Varchar,
                BinaryOperator::And | BinaryOperator::Or => Ty::Bool,
                op if is_comparison(op) => Ty::Bool,
                _ => Ty::Unknown,
            }
        }
        Expr::IsNull(_)
        | Expr::IsNotNull(_)
        | Expr::Like { .. }
        | Expr::ILike { .. }
        | Expr::InList { .. }
        | Expr::InSubquery { .. }
        | Expr::Between { .. }
        | Expr::Exists { .. } => Ty::Bool,
        Expr::Cast { data_type, .. } => Ty::of_data_type(data_type),
        Expr::TypedString(ts) => Ty::of_data_type(&ts.data_type),
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
            if let Some(t) = env.column_type(e) {
                return Ty::of_col(&t);
            }
            match e {
                // Redshift's niladic date functions parse as bare names.
                Expr::Identifier(id) if id.quote_style.is_none() => {
                    match id.value.to_ascii_lowercase().as_str() {
                        "sysdate" | "current_timestamp" => Ty::Timestamp,
                        "current_date" => Ty::Date,
                        _ => Ty::Unknown,
                    }
                }
                _ => Ty::Unknown,
            }
        }
        Expr::Extract { expr, .. } => match infer(env, expr) {
            // AWS "EXTRACT function": INTEGER from TIMESTAMP/TIME, DOUBLE PRECISION from DATE and
            // TIMESTAMPTZ.
            Ty::Timestamp => Ty::Int,
            Ty::Date | Ty::TimestampTz => Ty::Float,
            _ => Ty::Unknown,
        },
        Expr::Case {
            conditions,
            else_result,
            ..
        } => Ty::common(
            conditions
                .iter()
                .map(|c| &c.result)
                .chain(else_result.as_deref())
                .filter(|r| !is_null(r))
                .map(|r| infer(env, r)),
        ),
        Expr::Function(f) => function(env, f),
        _ => Ty::Unknown,
    }
}

fn function(env: &TypeEnv<'_>, f: &sqlparser::ast::Function) -> Ty {
    let name = Checker::fn_name(f);
    let args = call_args(f);
    let first = || {
        args.as_ref()
            .and_then(|a| a.first().copied())
            .map_or(Ty::Unknown, |a| infer(env, a))
    };
    match name.as_str() {
        "COUNT" | "LENGTH" | "LEN" | "CHAR_LENGTH" | "CHARACTER_LENGTH" | "OCTET_LENGTH"
        | "ROW_NUMBER" | "RANK" | "DENSE_RANK" | "NTILE" | "STRPOS" | "CHARINDEX" | "DATEDIFF"
        | "DATE_DIFF" => Ty::Int,
        "PERCENTILE_CONT" | "MEDIAN" | "STDDEV" | "STDDEV_SAMP" | "STDDEV_POP" | "VARIANCE"
        | "VAR_SAMP" | "VAR_POP" | "RANDOM" | "SQRT" | "LN" | "LOG" | "EXP" | "POWER"
        | "DATE_PART" | "RATIO_TO_REPORT" | "CUME_DIST" | "PERCENT_RANK" | "DLOG10" | "DLOG1"
        | "DEXP" | "PI" => Ty::Float,
        // AWS: SUM of an integer type returns BIGINT; AVG of an integer type returns BIGINT
        // (the fraction is truncated); otherwise NUMERIC stays NUMERIC, floats stay DOUBLE.
        "SUM" | "AVG" | "MIN" | "MAX" | "ABS" | "ANY_VALUE" | "FIRST_VALUE" | "LAST_VALUE"
        | "LAG" | "LEAD" | "NTH_VALUE" => match first() {
            t if t.is_numeric() => t,
            t if matches!(name.as_str(), "MIN" | "MAX" | "ANY_VALUE") => t,
            _ => Ty::Unknown,
        },
        "COALESCE" | "NVL" | "GREATEST" | "LEAST" | "NULLIF" | "ISNULL" => match &args {
            Some(a) => {
                let items: Vec<&Expr> = if name == "NULLIF" {
                    a.iter().take(1).copied().collect()
                } else {
                    a.clone()
                };
                Ty::common(
                    items
                        .into_iter()
                        .filter(|x| !is_null(x))
                        .map(|x| infer(env, x)),
                )
            }
            None => Ty::Unknown,
        },
        "NVL2" => match &args {
            Some(a) if a.len() == 3 => {
                Ty::common(a[1..].iter().filter(|x| !is_null(x)).map(|x| infer(env, x)))
            }
            _ => Ty::Unknown,
        },
        "GETDATE" | "SYSDATE" | "CURRENT_TIMESTAMP" | "DATEADD" | "DATE_ADD" | "DATE_TRUNC"
        | "ADD_MONTHS" | "CONVERT_TIMEZONE" | "TO_TIMESTAMP" | "TIMESTAMPADD" => Ty::Timestamp,
        "CURRENT_DATE" | "TO_DATE" | "LAST_DAY" | "NEXT_DAY" => Ty::Date,
        "TRUNC" if args.as_ref().is_some_and(|a| a.len() == 1) => match first() {
            Ty::Date | Ty::Timestamp | Ty::TimestampTz => Ty::Date,
            t if t.is_numeric() => t,
            _ => Ty::Unknown,
        },
        "UPPER" | "LOWER" | "BTRIM" | "TRIM" | "LTRIM" | "RTRIM" | "SUBSTRING" | "SUBSTR"
        | "LEFT" | "RIGHT" | "REPLACE" | "CONCAT" | "LPAD" | "RPAD" | "TO_CHAR" | "INITCAP"
        | "REVERSE" | "REPEAT" | "TRANSLATE" | "SPLIT_PART" | "MD5" => Ty::Varchar,
        _ => Ty::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::ast::{SelectItem, SetExpr, Statement};
    use sqlparser::dialect::RedshiftSqlDialect;
    use sqlparser::parser::Parser;

    fn ty(expr: &str) -> Ty {
        let sql = format!("SELECT {expr}");
        let stmt = Parser::parse_sql(&RedshiftSqlDialect {}, &sql)
            .unwrap()
            .remove(0);
        let Statement::Query(q) = stmt else { panic!() };
        let SetExpr::Select(s) = &*q.body else {
            panic!()
        };
        let SelectItem::UnnamedExpr(e) = &s.projection[0] else {
            panic!()
        };
        infer(&TypeEnv::EMPTY, e)
    }

    #[test]
    fn literals_casts_and_arithmetic() {
        assert_eq!(ty("7"), Ty::Int);
        assert_eq!(ty("7.0"), Ty::Decimal);
        assert_eq!(ty("1e3"), Ty::Float);
        assert_eq!(ty("-(7 + 2) * 3 % 2 / 4"), Ty::Int);
        assert_eq!(ty("7 / 2.0"), Ty::Decimal);
        assert_eq!(ty("x * 1.0"), Ty::Decimal);
        assert_eq!(ty("x::float / 3"), Ty::Float);
        assert_eq!(ty("CAST(x AS BIGINT)"), Ty::Int);
        assert_eq!(ty("x::int8"), Ty::Int);
        assert_eq!(ty("x::timestamptz"), Ty::TimestampTz);
        assert_eq!(ty("x"), Ty::Unknown);
        assert_eq!(ty("x + 1"), Ty::Unknown);
        assert_eq!(ty("'2024-01-02'::date - '2024-01-01'::date"), Ty::Int);
        assert_eq!(ty("DATE '2024-01-01' + 1"), Ty::Date);
    }

    #[test]
    fn functions_and_branches() {
        assert_eq!(ty("COUNT(*)"), Ty::Int);
        assert_eq!(ty("SUM(x::int)"), Ty::Int);
        assert_eq!(ty("SUM(x)"), Ty::Unknown);
        assert_eq!(ty("AVG(x::smallint)"), Ty::Int);
        assert_eq!(ty("AVG(x::float)"), Ty::Float);
        assert_eq!(ty("COALESCE(NULL, 1, 2)"), Ty::Int);
        assert_eq!(ty("NVL(x, 0)"), Ty::Unknown);
        assert_eq!(ty("CASE WHEN a THEN 1 ELSE 2 END"), Ty::Int);
        assert_eq!(ty("CASE WHEN a THEN 1 ELSE 2.5 END"), Ty::Decimal);
        assert_eq!(ty("CASE WHEN a THEN 1 END"), Ty::Int);
        assert_eq!(
            ty("EXTRACT(epoch FROM '2024-01-01 10:00:00'::timestamp)"),
            Ty::Int
        );
        assert_eq!(ty("TRUNC(GETDATE())"), Ty::Date);
        assert_eq!(ty("SQRT(4)"), Ty::Float);
    }
}
