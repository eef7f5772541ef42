use sqlparser::ast::Expr;

use super::args::plain_call;
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Rewrites `ADD_MONTHS(x, n)` to month arithmetic that keeps Redshift's month-end rule:
    /// `CASE WHEN to_date(x) = last_day(x) THEN <the last day of the shifted month, same time>
    /// ELSE timestampadd(MONTH, n, x) END`.
    ///
    /// ## Why it differs on Databricks
    /// Redshift keeps month ends (`ADD_MONTHS('2024-04-30', 1)` = May **31**) and returns a
    /// timestamp; Databricks' `add_months` only clamps (May 30) and returns a DATE, dropping the
    /// time of day. The rewrite assumes `x` is a date or timestamp (a caveat for strings).
    ///
    /// ## Example
    /// ```sql
    /// SELECT ADD_MONTHS(d, 1) FROM t
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT CASE WHEN to_date(d) = last_day(d) THEN timestampadd(DAY, datediff(last_day(timestampadd(MONTH, 1, d)), timestampadd(MONTH, 1, d)), timestampadd(MONTH, 1, d)) ELSE timestampadd(MONTH, 1, d) END FROM t
    /// ```
    pub struct AddMonths;
    code: "RS108",
    name: "add-months",
    summary: "ADD_MONTHS keeps Redshift's month-end rule and timestamp result",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for AddMonths {
    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Some((f, _)) = plain_call(e, "ADD_MONTHS", 2..=2) else {
            return;
        };
        let Some(call) = cx.call(f) else { return };
        if call.args.len() != 2 {
            return;
        }
        let (x, n) = (call.args[0].clone(), call.args[1].clone());
        let t = |s: &str| Piece::Text(s.to_string());
        let shifted = |v: &mut Vec<Piece>| {
            v.push(t("timestampadd(MONTH, "));
            v.push(Piece::Src(n.clone()));
            v.push(t(", "));
            v.push(Piece::Src(x.clone()));
            v.push(t(")"));
        };
        let mut p = vec![
            t("CASE WHEN to_date("),
            Piece::Src(x.clone()),
            t(") = last_day("),
        ];
        p.push(Piece::Src(x.clone()));
        p.push(t(") THEN timestampadd(DAY, datediff(last_day("));
        shifted(&mut p);
        p.push(t("), "));
        shifted(&mut p);
        p.push(t("), "));
        shifted(&mut p);
        p.push(t(") ELSE "));
        shifted(&mut p);
        p.push(t(" END"));
        cx.fix(
            call.range,
            p,
            "Redshift ADD_MONTHS keeps month ends and returns a timestamp; Databricks add_months does neither",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn month_end_rule_spelled_out() {
        assert_eq!(
            out("SELECT ADD_MONTHS(d, -1)"),
            "SELECT CASE WHEN to_date(d) = last_day(d) THEN timestampadd(DAY, datediff(last_day(timestampadd(MONTH, -1, d)), timestampadd(MONTH, -1, d)), timestampadd(MONTH, -1, d)) ELSE timestampadd(MONTH, -1, d) END"
        );
    }
}
