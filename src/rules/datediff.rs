use sqlparser::ast::{Expr, FunctionArguments};

use super::dateparts::DatePart;
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;
use crate::sql::Confidence;

crate::rule! {
    /// ## What it does
    /// Rewrites `DATEDIFF(part, a, b)` (and `DATE_DIFF`) to an expression that counts
    /// **boundaries crossed**, as Redshift does:
    ///
    /// | part | Databricks |
    /// |---|---|
    /// | year | `(year(b) - year(a))` |
    /// | quarter | `((year(b) * 4 + quarter(b)) - (year(a) * 4 + quarter(a)))` |
    /// | month | `((year(b) * 12 + month(b)) - (year(a) * 12 + month(a)))` |
    /// | week | `CAST(datediff(date_trunc('WEEK', b), date_trunc('WEEK', a)) / 7 AS BIGINT)` |
    /// | day | `datediff(CAST(b AS DATE), CAST(a AS DATE))` |
    /// | hour … microsecond | `timestampdiff(UNIT, date_trunc('UNIT', a), date_trunc('UNIT', b))` |
    ///
    /// ## Why it differs on Databricks
    /// Databricks' `datediff(unit, a, b)` / `timestampdiff` count **whole elapsed units**:
    /// `DATEDIFF(month, '2024-01-31', '2024-02-01')` is 1 in Redshift and 0 there;
    /// `DATEDIFF(hour, '10:59', '11:00')` is 1 in Redshift and 0 there. Only the day count of
    /// the two-argument `datediff(end, start)` matches. Weeks assume Monday boundaries (as
    /// Redshift's `DATE_TRUNC('week')`), which is reported as a caveat.
    ///
    /// ## Example
    /// ```sql
    /// SELECT DATEDIFF(month, first_order, last_order), DATEDIFF(day, a, b) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT ((year(last_order) * 12 + month(last_order)) - (year(first_order) * 12 + month(first_order))), datediff(CAST(b AS DATE), CAST(a AS DATE)) FROM t
    /// ```
    pub struct Datediff;
    code: "RS104",
    name: "datediff",
    summary: "DATEDIFF(part, a, b) becomes a boundary-counting expression (Databricks counts elapsed units)",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for Datediff {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        let name = Checker::fn_name(f);
        if name != "DATEDIFF" && name != "DATE_DIFF" {
            return;
        }
        let FunctionArguments::List(list) = &f.args else {
            return;
        };
        if list.args.len() != 3 || f.over.is_some() {
            return; // Databricks' 2-argument datediff(end, start)
        }
        let Some(call) = cx.call(f) else { return };
        if call.args.len() != 3 {
            return;
        }
        let unit_range = call.args[0].clone();
        if cx.has_jinja(&unit_range) {
            cx.jinja_hides(call.range, "the DATEDIFF date part");
            return;
        }
        let unit_text = cx.slice(&unit_range);
        let unit = unit_text.trim_matches(|c| c == '\'' || c == '"');
        let (a, b) = (call.args[1].clone(), call.args[2].clone());
        let src = |r: &std::ops::Range<usize>| Piece::Src(r.clone());
        let t = |s: &str| Piece::Text(s.to_string());
        let Some(part) = DatePart::parse(unit) else {
            cx.report(
                call.range,
                format!("unknown DATEDIFF date part `{unit_text}`"),
                None,
            );
            return;
        };
        let mut conf = Confidence::Exact;
        let pieces: Vec<Piece> = match part {
            DatePart::Year => vec![t("(year("), src(&b), t(") - year("), src(&a), t("))")],
            DatePart::Quarter | DatePart::Month => {
                let (n, f) = if part == DatePart::Quarter {
                    ("4", "quarter")
                } else {
                    ("12", "month")
                };
                vec![
                    t("((year("),
                    src(&b),
                    t(&format!(") * {n} + {f}(")),
                    src(&b),
                    t(")) - (year("),
                    src(&a),
                    t(&format!(") * {n} + {f}(")),
                    src(&a),
                    t(")))"),
                ]
            }
            DatePart::Week => {
                conf = Confidence::Caveat;
                vec![
                    t("CAST(datediff(date_trunc('WEEK', "),
                    src(&b),
                    t("), date_trunc('WEEK', "),
                    src(&a),
                    t(")) / 7 AS BIGINT)"),
                ]
            }
            DatePart::Day => vec![
                t("datediff(CAST("),
                src(&b),
                t(" AS DATE), CAST("),
                src(&a),
                t(" AS DATE))"),
            ],
            p => {
                let Some(u) = p
                    .databricks_unit()
                    .filter(|_| !matches!(p, DatePart::Week | DatePart::Day))
                else {
                    cx.report(
                        call.range,
                        format!("DATEDIFF by `{unit_text}` has no Databricks unit: count the boundaries from the years by hand, e.g. floor(year(b) / 10) - floor(year(a) / 10) for decades"),
                        None,
                    );
                    return;
                };
                vec![
                    t(&format!("timestampdiff({u}, date_trunc('{u}', ")),
                    src(&a),
                    t(&format!("), date_trunc('{u}', ")),
                    src(&b),
                    t("))"),
                ]
            }
        };
        let msg = if conf == Confidence::Caveat {
            "DATEDIFF counts week boundaries in Redshift; rewritten assuming Monday week starts"
        } else {
            "DATEDIFF counts boundaries crossed in Redshift; Databricks counts elapsed units, so it is spelled out"
        };
        cx.fix_with(conf, call.range, pieces, msg);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn boundary_forms_per_unit() {
        assert_eq!(
            out("SELECT DATEDIFF(year, a, b), DATEDIFF('month', a, b), datediff(qtr, a, b)"),
            "SELECT (year(b) - year(a)), ((year(b) * 12 + month(b)) - (year(a) * 12 + month(a))), ((year(b) * 4 + quarter(b)) - (year(a) * 4 + quarter(a)))"
        );
        assert_eq!(
            out("SELECT DATEDIFF(day, first_seen, GETDATE()), DATEDIFF(m, a, b), DATEDIFF(w, a, b)"),
            "SELECT datediff(CAST(current_timestamp() AS DATE), CAST(first_seen AS DATE)), timestampdiff(MINUTE, date_trunc('MINUTE', a), date_trunc('MINUTE', b)), CAST(datediff(date_trunc('WEEK', b), date_trunc('WEEK', a)) / 7 AS BIGINT)"
        );
    }

    #[test]
    fn nested_rewrites_inside_repeated_arguments() {
        assert_eq!(
            out("SELECT DATEDIFF(year, NVL(a, b), SYSDATE)"),
            "SELECT (year(current_timestamp()) - year(coalesce(a, b)))"
        );
    }

    #[test]
    fn two_arg_datediff_and_unknown_units() {
        assert_eq!(out("SELECT datediff(b, a)"), "SELECT datediff(b, a)");
        assert_eq!(
            out("SELECT DATEDIFF(decade, a, b)"),
            "SELECT DATEDIFF(decade, a, b)"
        );
        assert_eq!(codes("SELECT DATEDIFF(decade, a, b)"), vec!["RS104"]);
    }
}
