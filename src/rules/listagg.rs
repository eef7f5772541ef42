use sqlparser::ast::{DuplicateTreatment, Expr, FunctionArguments};

use super::{Rule, RuleInfo};
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;
use crate::sql::{Confidence, Runtime};

crate::rule! {
    /// ## What it does
    /// On Databricks Runtime 16.4+ keeps `LISTAGG(x, d) WITHIN GROUP (…)` and wraps the value in
    /// `NULLIF(x, '')`. Below 16.4, an unordered `LISTAGG(x, d)` becomes
    /// `array_join(collect_list(NULLIF(x, '')), d)`; ordered, windowed and DISTINCT forms are
    /// reported.
    ///
    /// ## Why it differs on Databricks
    /// Redshift's LISTAGG skips NULLs **and empty strings**, has no delimiter by default, and
    /// fails when the result exceeds 65 535 bytes; Databricks keeps empty strings (adding extra
    /// delimiters) and has no size limit. `listagg` exists only from DBR 16.4.
    ///
    /// ## Example
    /// ```sql
    /// SELECT customer_id, LISTAGG(product, ', ') FROM lines GROUP BY 1
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT customer_id, array_join(collect_list(NULLIF(product, '')), ', ') FROM lines GROUP BY 1
    /// ```
    pub struct Listagg;
    code: "RS305",
    name: "listagg",
    summary: "LISTAGG skips empty strings like Redshift; array_join(collect_list) below DBR 16.4",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for Listagg {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        if Checker::fn_name(f) != "LISTAGG" {
            return;
        }
        let FunctionArguments::List(list) = &f.args else {
            return;
        };
        let Some(call) = cx.call(f) else { return };
        if call.args.len() != list.args.len() || call.args.is_empty() || call.args.len() > 2 {
            return;
        }
        let distinct = matches!(list.duplicate_treatment, Some(DuplicateTreatment::Distinct));
        let x = call.args[0].clone();
        if cx.slice(&x).to_ascii_uppercase().starts_with("NULLIF(") {
            return; // already translated
        }
        if distinct || f.over.is_some() {
            cx.report(
                call.full.clone(),
                "LISTAGG with DISTINCT or OVER: write listagg(DISTINCT x, d) WITHIN GROUP (ORDER BY x) on DBR 16.4+, or array_join(array_sort(collect_set(x)), d) before; as a window, array_join(collect_list(x) OVER (…), d)",
                None,
            );
            return;
        }
        if cx.opts.runtime >= Runtime(16, 4) {
            cx.fix_in(
                Confidence::Caveat,
                call.full.clone(),
                x.clone(),
                vec!["NULLIF(".into(), Piece::Src(x), ", '')".into()],
                "Redshift LISTAGG skips empty strings (and errors above 65535 bytes)",
            );
            return;
        }
        if !f.within_group.is_empty() {
            cx.report(
                call.full.clone(),
                "ordered LISTAGG needs Databricks Runtime 16.4+ (listagg … WITHIN GROUP); below, use array_join(transform(array_sort(collect_list(struct(k, x))), e -> e.x), d) by hand",
                None,
            );
            return;
        }
        let mut p = vec![
            "array_join(collect_list(NULLIF(".into(),
            Piece::Src(x),
            ", ''))".into(),
        ];
        match call.args.get(1) {
            Some(d) => {
                p.push(", ".into());
                p.push(Piece::Src(d.clone()));
                p.push(")".into());
            }
            None => p.push(", '')".into()),
        }
        cx.fix(
            call.range,
            p,
            "Databricks below 16.4 has no listagg; Redshift skips NULLs and empty strings",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn unordered_becomes_array_join() {
        assert_eq!(
            out("SELECT LISTAGG(p, ', '), listagg(q) FROM t"),
            "SELECT array_join(collect_list(NULLIF(p, '')), ', '), array_join(collect_list(NULLIF(q, '')), '') FROM t"
        );
        assert_eq!(
            codes("SELECT LISTAGG(p, ',') WITHIN GROUP (ORDER BY p NULLS LAST) FROM t"),
            vec!["RS305"]
        );
    }

    #[test]
    fn new_runtime_keeps_listagg() {
        let opts = crate::sql::TranslateOptions {
            runtime: crate::sql::Runtime(16, 4),
            ..Default::default()
        };
        let t = crate::sql::translate(
            "SELECT LISTAGG(p, ',') WITHIN GROUP (ORDER BY p) FROM t",
            &opts,
        );
        assert_eq!(
            t.output,
            "SELECT LISTAGG(NULLIF(p, ''), ',') WITHIN GROUP (ORDER BY p NULLS LAST) FROM t"
        );
    }
}
