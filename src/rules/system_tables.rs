use std::ops::ControlFlow;

use sqlparser::ast::{Expr, ObjectName, Statement, Visit, Visitor};

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports Redshift system tables and catalog objects (`STL_*`, `STV_*`, `SVL_*`, `SVV_*`,
    /// `SYS_*`, `PG_TABLE_DEF`, `pg_catalog.*`, `pg_class` …) and the catalog helper functions
    /// (`pg_last_copy_count()`, `pg_backend_pid()`, `has_table_privilege()`,
    /// `current_setting()` …). `information_schema` queries get a warning.
    ///
    /// ## Why it differs on Databricks
    /// These objects describe the Redshift engine and do not exist on Databricks. Query history
    /// is `system.query.history`, audit logs `system.access.audit`, table sizes `DESCRIBE
    /// DETAIL t`, columns `information_schema.columns` (no dist/sort keys). Databricks'
    /// `information_schema` exists per catalog with mostly the same column names, but
    /// Redshift-specific columns and rows differ.
    ///
    /// ## Example
    /// ```sql
    /// SELECT query, starttime FROM stl_query WHERE userid > 1
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT statement_id, start_time FROM system.query.history
    /// ```
    pub struct SystemTables;
    code: "RS858",
    name: "system-tables",
    summary: "Redshift system tables, pg_catalog and catalog functions do not exist on Databricks",
    confidence: Block,
    databricks_invalid: false,
}

const PREFIXES: &[&str] = &[
    "stl_", "stv_", "svl_", "svv_", "sys_", "svcs_", "stcs_", "pg_",
];
const FUNCTIONS: &[&str] = &[
    "PG_GET_LATE_BINDING_VIEW_COLS",
    "PG_LAST_COPY_COUNT",
    "PG_LAST_COPY_ID",
    "PG_LAST_QUERY_ID",
    "PG_LAST_UNLOAD_COUNT",
    "PG_BACKEND_PID",
    "PG_CANCEL_BACKEND",
    "PG_TERMINATE_BACKEND",
    "PG_GET_COLS",
    "PG_GET_VIEWDEF",
    "HAS_TABLE_PRIVILEGE",
    "HAS_SCHEMA_PRIVILEGE",
    "HAS_DATABASE_PRIVILEGE",
    "CURRENT_SETTING",
    "SET_CONFIG",
];

#[derive(Default)]
struct Relations(Vec<ObjectName>);

impl Visitor for Relations {
    type Break = ();
    fn pre_visit_relation(&mut self, r: &ObjectName) -> ControlFlow<()> {
        self.0.push(r.clone());
        ControlFlow::Continue(())
    }
}

impl Rule for SystemTables {
    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        let mut rels = Relations::default();
        let _ = s.visit(&mut rels);
        for name in rels.0 {
            let parts: Vec<String> = name
                .0
                .iter()
                .filter_map(|p| p.as_ident())
                .map(|i| i.value.to_lowercase())
                .collect();
            let Some(last) = parts.last() else { continue };
            let schema = parts.len().checked_sub(2).map(|i| parts[i].as_str());
            let Some(r) = cx.name_range(&name) else {
                continue;
            };
            if schema == Some("information_schema") {
                cx.warn(
                    r,
                    "information_schema exists per catalog on Databricks with mostly the same \
                     columns; Redshift-specific columns and rows differ",
                );
            } else if schema == Some("pg_catalog")
                // System tables live in pg_catalog and are used unqualified; a user table in
                // another schema may share a prefix (`analytics.sys_events`).
                || (schema.is_none() && PREFIXES.iter().any(|p| last.starts_with(p)))
            {
                cx.report(
                    r,
                    format!(
                        "`{}` is a Redshift system table: use Databricks system tables \
                        (system.query.history, system.access.audit), information_schema or \
                        DESCRIBE DETAIL instead",
                        parts.join(".")
                    ),
                    None,
                );
            }
        }
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let name = Checker::fn_name(f);
        let bare = name.rsplit('.').next().unwrap_or(&name);
        if !FUNCTIONS.contains(&bare) {
            return;
        }
        let Some(call) = cx.call(f) else { return };
        cx.report(
            call.range,
            format!(
                "{bare} is a Redshift catalog/session function with no Databricks equivalent: \
                     use current_user(), current_catalog() or current_schema() for the common \
                     uses, or remove it"
            ),
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn system_tables_and_functions_are_reported() {
        let sql = "SELECT * FROM stl_query q JOIN pg_catalog.pg_class c ON 1 = 1 WHERE pg_backend_pid() > 0";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS858", "RS858", "RS858"]);
    }

    #[test]
    fn information_schema_is_a_warning_and_user_tables_are_fine() {
        let t = crate::rules::test_support::fix("SELECT * FROM information_schema.columns");
        assert_eq!(t.findings[0].severity, crate::sql::Severity::Warning);
        assert!(
            codes("SELECT * FROM stlouis.sales JOIN analytics.sys_events e ON 1 = 1").is_empty()
        );
    }
}
