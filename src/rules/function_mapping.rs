use sqlparser::ast::Expr;

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Renames the functions listed as plain renames (`syntax_change` false) in the configured
    /// function mapping CSVs (`mappings.functions` in `.hex-migrate.yaml`, `--functions` on
    /// `sql`): typically the team's user-defined functions, which move to a Unity Catalog
    /// schema (`analytics.f_clean_email` → `main.udf.clean_email`). A name qualified in the SQL
    /// matches a row only when the row names it the same way.
    ///
    /// ## Why it differs on Databricks
    /// Redshift UDFs live in Redshift schemas; on Databricks the function is recreated under
    /// another name, so every call must follow. The mapping's author vouches that arguments and
    /// results are the same (rows with `syntax_change` true are advice and never applied).
    /// A built-in rule that rewrites the same call wins: its rewrite is exact, and the mapping
    /// row is not applied to that call.
    ///
    /// ## Example
    /// ```sql
    /// -- with the row: analytics.f_clean_email,main.udf.clean_email,false,
    /// SELECT analytics.f_clean_email(email) FROM users
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT main.udf.clean_email(email) FROM users
    /// ```
    pub struct FunctionMapping;
    code: "RS466",
    name: "function-mapping",
    summary: "functions listed as renames in the function mapping CSVs are renamed (built-in rules win)",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for FunctionMapping {
    fn checks_after(&self) -> bool {
        true
    }

    // After the built-in rules ran on the call, so a call they rewrote keeps their (exact) form.
    fn check_expr_after(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Some(map) = cx.opts.functions else { return };
        let Expr::Function(f) = e else { return };
        let written = f.name.to_string();
        let Some(row) = map.rename_row(&written) else {
            return;
        };
        let Some(name) = cx.name_range(&f.name) else {
            return;
        };
        if cx.edits_overlap(&name) {
            return;
        }
        let message = format!(
            "renamed to `{}` by the function mapping ({}:{})",
            row.databricks,
            row.file.display(),
            row.line
        );
        let new = row.databricks.clone();
        cx.fix_with(Self::INFO.confidence, name, vec![new.into()], message);
    }
}

#[cfg(test)]
mod tests {
    use crate::mappings::functions::FunctionMap;
    use crate::sql::{translate, TranslateOptions, Translation};
    use std::path::Path;

    fn with_map(sql: &str, csv: &str) -> Translation {
        let mut map = FunctionMap::default();
        map.add_csv(Path::new("functions.csv"), csv.as_bytes())
            .unwrap();
        translate(
            sql,
            &TranslateOptions {
                functions: Some(&map),
                ..TranslateOptions::default()
            },
        )
    }

    const CSV: &str = "redshift_function,databricks_function,syntax_change,compatibility_notes\n\
        analytics.f_clean_email,main.udf.clean_email,false,\n\
        f_score,main.udf.score,false,\n\
        f_shape,main.udf.shape,true,arguments reordered\n\
        replicate,my_repeat,false,\n";

    #[test]
    fn renames_listed_functions_and_nothing_else() {
        let t = with_map(
            "SELECT analytics.F_CLEAN_EMAIL(email), f_score(a, b), f_shape(x), other.f_score(y) FROM u",
            CSV,
        );
        assert_eq!(
            t.output,
            "SELECT main.udf.clean_email(email), main.udf.score(a, b), f_shape(x), other.f_score(y) FROM u"
        );
        let renamed: Vec<_> = t
            .findings
            .iter()
            .filter(|f| f.code == "RS466")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(renamed.len(), 2);
        assert!(renamed[1].contains("functions.csv:3"), "{renamed:?}");
    }

    #[test]
    fn composes_with_rewrites_around_and_inside_the_call() {
        let t = with_map("SELECT NVL(f_score(GETDATE()), 0) FROM u", CSV);
        assert_eq!(
            t.output,
            "SELECT coalesce(main.udf.score(current_timestamp()), 0) FROM u"
        );
    }

    #[test]
    fn a_built_in_rewrite_of_the_same_call_wins() {
        let t = with_map("SELECT REPLICATE('-', 3)", CSV);
        assert_eq!(t.output, "SELECT repeat('-', 3)");
        assert!(!t.findings.iter().any(|f| f.code == "RS466"));
    }

    #[test]
    fn without_a_mapping_nothing_changes() {
        let t = translate("SELECT f_score(a) FROM u", &TranslateOptions::default());
        assert_eq!(t.output, "SELECT f_score(a) FROM u");
    }
}
