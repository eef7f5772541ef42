use sqlparser::ast::Expr;

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports Redshift SUPER, HyperLogLog and spatial functions that have no one-to-one
    /// Databricks form: `JSON_TYPEOF`, the `IS_ARRAY`/`IS_OBJECT`/`IS_VARCHAR`/… type tests,
    /// `OBJECT`, `OBJECT_TRANSFORM`, `HLL*` and `ST_*`.
    ///
    /// ## Why it differs on Databricks
    /// SUPER becomes VARIANT, whose type tests are `schema_of_variant(v)` / `variant_get`
    /// (or `try_variant_get(v, '$', 'type') IS NOT NULL`); objects are built with `named_struct`
    /// or `parse_json`; HyperLogLog sketches are `hll_sketch_agg` / `hll_sketch_estimate` /
    /// `hll_union` with incompatible bytes; spatial functions exist as `st_*` on recent
    /// runtimes with different signatures. Each call needs a person.
    ///
    /// ## Example
    /// ```sql
    /// SELECT JSON_TYPEOF(payload), HLL_CARDINALITY(sketch) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT schema_of_variant(payload), hll_sketch_estimate(sketch) FROM t  -- after migrating the data
    /// ```
    pub struct SuperFunctions;
    code: "RS554",
    name: "super-hll-spatial-functions",
    summary: "SUPER type tests, OBJECT, HLL and ST_ functions need a manual port",
    confidence: Review,
    databricks_invalid: true,
}

/// The advice for a function name, or `None` if the rule does not cover it.
fn advice(name: &str) -> Option<&'static str> {
    let type_tests = [
        "IS_ARRAY",
        "IS_OBJECT",
        "IS_SCALAR",
        "IS_VARCHAR",
        "IS_CHAR",
        "IS_INTEGER",
        "IS_BIGINT",
        "IS_SMALLINT",
        "IS_DECIMAL",
        "IS_FLOAT",
        "IS_FP",
        "IS_BOOLEAN",
        "IS_NUMBER",
        "IS_STRING",
    ];
    Some(if name == "JSON_TYPEOF" || type_tests.contains(&name) {
        "SUPER type tests become VARIANT tests: schema_of_variant(v) or try_variant_get(v, '$', '<type>') IS NOT NULL"
    } else if name == "OBJECT" || name == "OBJECT_TRANSFORM" {
        "build objects with named_struct(...) or parse_json(...) on Databricks"
    } else if name.starts_with("HLL") {
        "HyperLogLog sketches are hll_sketch_agg/hll_sketch_estimate/hll_union on Databricks; \
         sketches are not binary-compatible, so recompute them"
    } else if name.starts_with("ST_") {
        "spatial functions exist as st_* on recent Databricks runtimes with different types and \
         signatures; port each call"
    } else {
        return None;
    })
}

impl Rule for SuperFunctions {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let name = Checker::fn_name(f);
        let Some(advice) = advice(&name) else { return };
        let Some(call) = cx.call(f) else { return };
        cx.report(
            call.range,
            format!("{name} has no direct Databricks equivalent: {advice}"),
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn reports_and_leaves_text() {
        let sql = "SELECT JSON_TYPEOF(p), IS_ARRAY(p), HLL_CARDINALITY(s), ST_AREA(g) FROM t";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS554", "RS554", "RS554", "RS554"]);
    }
}
