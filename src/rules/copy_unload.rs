use sqlparser::ast::Statement;

use super::statement_text::{leading_words, range};
use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Reports `COPY … FROM 's3://…'` and `UNLOAD (…) TO 's3://…'`.
    ///
    /// ## Why it differs on Databricks
    /// Loading and unloading are configured differently: `COPY INTO t FROM '…' FILEFORMAT = CSV
    /// FORMAT_OPTIONS ('header' = 'true', 'sep' = …)` (idempotent: it skips files already
    /// loaded) or `read_files()`/Auto Loader with a Unity Catalog external location instead of
    /// IAM_ROLE; unloading is `INSERT OVERWRITE DIRECTORY '…' USING PARQUET SELECT …` or a
    /// notebook DataFrame write. Options such as MANIFEST, EXPLICIT_IDS, FIXEDWIDTH or
    /// JSONPATHS have no direct mapping, so a person ports each statement.
    ///
    /// ## Example
    /// ```sql
    /// COPY sales FROM 's3://bucket/sales/' IAM_ROLE 'arn:…' FORMAT AS CSV IGNOREHEADER 1
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// COPY INTO sales FROM 's3://bucket/sales/' FILEFORMAT = CSV FORMAT_OPTIONS ('header' = 'true')
    /// ```
    pub struct CopyUnload;
    code: "RS853",
    name: "copy-unload",
    summary: "COPY and UNLOAD need a manual port to COPY INTO / INSERT OVERWRITE DIRECTORY",
    confidence: Review,
    databricks_invalid: true,
}

const COPY: &str = "Redshift COPY: port it to Databricks COPY INTO t FROM '<path>' FILEFORMAT = … \
    FORMAT_OPTIONS (…) with a Unity Catalog external location instead of IAM_ROLE (or read_files())";
const UNLOAD: &str =
    "Redshift UNLOAD: port it to INSERT OVERWRITE DIRECTORY '<path>' USING PARQUET \
    SELECT … (or write the result from a notebook)";

impl Rule for CopyUnload {
    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        let msg = match s {
            Statement::Copy { .. } => COPY,
            Statement::Unload { .. } => UNLOAD,
            _ => return,
        };
        if let Some(r) = range(cx) {
            cx.report(r, msg, None);
        }
    }

    fn check_tokens(&self, cx: &mut Checker<'_, '_>, parsed: bool) {
        if parsed {
            return;
        }
        let msg = match leading_words(cx, 1).first().map(|(_, w)| w.as_str()) {
            Some("COPY") => COPY,
            Some("UNLOAD") => UNLOAD,
            _ => return,
        };
        if let Some(r) = range(cx) {
            cx.report(r, msg, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn copy_and_unload_are_reported() {
        let sql = "COPY t FROM 's3://b/k' IAM_ROLE 'arn' FORMAT AS CSV IGNOREHEADER 1";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS853"]);
        assert_eq!(
            codes("UNLOAD ('select * from t') TO 's3://b/k' IAM_ROLE 'arn'"),
            vec!["RS853"]
        );
    }
}
