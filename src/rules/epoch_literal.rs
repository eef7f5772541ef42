use sqlparser::ast::{DataType, Expr, Value};

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Rewrites Redshift's special timestamp value `'epoch'` (`TIMESTAMP 'epoch'`,
    /// `'epoch'::timestamp`, `CAST('epoch' AS TIMESTAMP)`) to the literal
    /// `'1970-01-01 00:00:00'`. With the interval rule, the usual epoch conversion
    /// `TIMESTAMP 'epoch' + n * INTERVAL '1 second'` becomes
    /// `TIMESTAMP '1970-01-01 00:00:00' + n * INTERVAL '1' SECOND`.
    ///
    /// ## Why it differs on Databricks
    /// Special datetime strings such as `'epoch'` are a PostgreSQL feature; Databricks does not
    /// document them (recent Spark versions only accept them in some casts). The explicit literal
    /// means the same wall-clock value in every runtime; like the Redshift original it is read in
    /// the session time zone, so keep the session in UTC for epoch arithmetic.
    ///
    /// ## Example
    /// ```sql
    /// SELECT TIMESTAMP 'epoch' + ts_seconds * INTERVAL '1 second' FROM events
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT TIMESTAMP '1970-01-01 00:00:00' + ts_seconds * INTERVAL '1' SECOND FROM events
    /// ```
    pub struct EpochLiteral;
    code: "RS153",
    name: "epoch-literal",
    summary: "TIMESTAMP 'epoch' becomes TIMESTAMP '1970-01-01 00:00:00'",
    confidence: Exact,
    databricks_invalid: false,
}

fn is_timestamp(t: &DataType) -> bool {
    matches!(t, DataType::Timestamp(..) | DataType::Datetime(_))
}

impl Rule for EpochLiteral {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let lit = match e {
            Expr::TypedString(ts) if is_timestamp(&ts.data_type) => &ts.value,
            Expr::Cast {
                expr, data_type, ..
            } if is_timestamp(data_type) => match expr.as_ref() {
                Expr::Value(v) => v,
                _ => return,
            },
            _ => return,
        };
        let Value::SingleQuotedString(s) = &lit.value else {
            return;
        };
        if !s.trim().eq_ignore_ascii_case("epoch") {
            return;
        }
        let Some(range) = cx.range(lit.span) else {
            return;
        };
        cx.fix(
            range,
            vec!["'1970-01-01 00:00:00'".into()],
            "the special value 'epoch' is not documented on Databricks; the explicit literal is",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn epoch_becomes_an_explicit_literal() {
        assert_eq!(
            out("SELECT TIMESTAMP 'epoch' + n * INTERVAL '1 second' FROM t"),
            "SELECT TIMESTAMP '1970-01-01 00:00:00' + n * INTERVAL '1' SECOND FROM t"
        );
    }
}
