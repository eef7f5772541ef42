use sqlparser::ast::{
    Expr, NamedWindowExpr, OrderByExpr, OrderByKind, OrderBySort, Query, Select, WindowType,
};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Spells out Redshift's NULL ordering on every `ORDER BY` item that has no `NULLS FIRST` /
    /// `NULLS LAST`: in queries, window specifications and `WITHIN GROUP (ORDER BY …)`. `ASC`
    /// (or no direction) gets `NULLS LAST`, `DESC` gets `NULLS FIRST`.
    ///
    /// ## Why it differs on Databricks
    /// Redshift sorts NULL as the largest value (last when ascending, first when descending);
    /// Databricks does the opposite. Without the explicit clause, top-N lists, `ROW_NUMBER()`
    /// deduplication winners, `LAG`/`LEAD` and `LISTAGG` order silently change. Items that can
    /// never be NULL (`COUNT(…)`, ranking functions) are left alone.
    ///
    /// ## Example
    /// ```sql
    /// SELECT id, ROW_NUMBER() OVER (PARTITION BY k ORDER BY updated_at DESC) AS rn
    /// FROM t ORDER BY score, id DESC
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT id, ROW_NUMBER() OVER (PARTITION BY k ORDER BY updated_at DESC NULLS FIRST) AS rn
    /// FROM t ORDER BY score NULLS LAST, id DESC NULLS FIRST
    /// ```
    pub struct NullOrder;
    code: "RS304",
    name: "null-order",
    summary: "ORDER BY items get Redshift's NULL order spelled out (ASC NULLS LAST, DESC NULLS FIRST)",
    confidence: Exact,
    databricks_invalid: false,
}

impl Rule for NullOrder {
    fn check_query(&self, cx: &mut Checker<'_, '_>, q: &Query) {
        if let Some(ob) = &q.order_by {
            if let OrderByKind::Expressions(items) = &ob.kind {
                fix_list(cx, items);
            }
        }
    }

    fn check_select(&self, cx: &mut Checker<'_, '_>, s: &Select) {
        for w in &s.named_window {
            if let NamedWindowExpr::WindowSpec(spec) = &w.1 {
                fix_list(cx, &spec.order_by);
            }
        }
    }

    fn check_expr(&self, cx: &mut Checker<'_, '_>, e: &Expr) {
        let Expr::Function(f) = e else { return };
        // A windowed LISTAGG … WITHIN GROUP is rewritten whole by RS305 (Databricks has no such
        // window), whose comparator spells out Redshift's NULL order itself.
        if !(f.over.is_some() && Checker::fn_name(f) == "LISTAGG") {
            fix_list(cx, &f.within_group);
        }
        if let Some(WindowType::WindowSpec(spec)) = &f.over {
            fix_list(cx, &spec.order_by);
        }
    }
}

/// Words that end an ORDER BY list at depth 0.
const ENDS: &[Keyword] = &[
    Keyword::LIMIT,
    Keyword::OFFSET,
    Keyword::FETCH,
    Keyword::UNION,
    Keyword::EXCEPT,
    Keyword::INTERSECT,
    Keyword::MINUS,
    Keyword::ROWS,
    Keyword::RANGE,
    Keyword::GROUPS,
    Keyword::WINDOW,
    Keyword::FOR,
    Keyword::INTO,
    Keyword::QUALIFY,
];

fn fix_list(cx: &mut Checker<'_, '_>, items: &[OrderByExpr]) {
    if items
        .iter()
        .all(|i| i.options.nulls_first.is_some() || never_null(&i.expr))
    {
        return;
    }
    let Some(start) = items.first().and_then(|i| cx.expr_start(&i.expr)) else {
        return;
    };
    let toks = cx.tokens;
    let floor = cx.stmt.start;
    // The nearest `ORDER BY` before the first item.
    let mut k = toks.at(start).min(cx.stmt.end);
    let by = loop {
        let Some(p) = toks.prev_sig(k, floor) else {
            return;
        };
        if toks.toks[p].is_keyword(Keyword::BY) {
            match toks.prev_sig(p, floor) {
                Some(o) if toks.toks[o].is_keyword(Keyword::ORDER) => break p,
                _ => {}
            }
        }
        k = p;
    };
    // Split the list at depth-0 commas up to the first token that ends it.
    let mut segments = Vec::new();
    let mut depth = 0i32;
    let mut seg_start = by + 1;
    let mut i = by + 1;
    while i < cx.stmt.end {
        let t = &toks.toks[i];
        match &t.token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => {
                depth -= 1;
                if depth < 0 {
                    break;
                }
            }
            Token::Comma if depth == 0 => {
                segments.push((seg_start, i));
                seg_start = i + 1;
            }
            Token::Word(_) if depth == 0 && ENDS.iter().any(|&kw| t.is_keyword(kw)) => break,
            _ => {}
        }
        i += 1;
    }
    segments.push((seg_start, i));
    if segments.len() != items.len() {
        return; // the tokens do not confirm the AST; better no rewrite than a wrong one
    }
    for (item, &(a, b)) in items.iter().zip(&segments) {
        if item.options.nulls_first.is_some() || never_null(&item.expr) {
            continue;
        }
        let Some(range) = toks.trimmed_bytes(a, b) else {
            continue;
        };
        let last = toks.prev_sig(b, a).unwrap_or(a);
        let at = toks.toks[last].end;
        let desc = matches!(item.options.sort, Some(OrderBySort::Desc));
        if matches!(item.options.sort, Some(OrderBySort::Using(_))) {
            continue;
        }
        if cx.has_jinja(&range) {
            cx.jinja_hides(
                range,
                "an ORDER BY item, so its NULL order cannot be spelled out",
            );
            continue;
        }
        let clause = if desc { " NULLS FIRST" } else { " NULLS LAST" };
        cx.fix_in(
            NullOrder::INFO.confidence,
            range,
            at..at,
            vec![clause.into()],
            format!(
                "Redshift sorts NULLs {} here; Databricks would sort them {}",
                if desc { "first" } else { "last" },
                if desc { "last" } else { "first" }
            ),
        );
    }
}

/// Expressions that are never NULL, so their NULL order cannot matter.
fn never_null(e: &Expr) -> bool {
    match e {
        Expr::Function(f) => matches!(
            Checker::fn_name(f).as_str(),
            "COUNT" | "ROW_NUMBER" | "RANK" | "DENSE_RANK" | "NTILE" | "CUME_DIST" | "PERCENT_RANK"
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn query_window_and_within_group_items() {
        assert_eq!(
            out("SELECT a, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) rn\nFROM t\nORDER BY a, -- first\n  b DESC LIMIT 5"),
            "SELECT a, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) rn\nFROM t\nORDER BY a NULLS LAST, -- first\n  b DESC NULLS FIRST LIMIT 5"
        );
        assert_eq!(
            out("SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY CAST(x AS INT)) FROM t"),
            "SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY CAST(x AS INT) NULLS LAST) FROM t"
        );
    }

    #[test]
    fn explicit_and_never_null_items_are_left_alone() {
        let sql = "SELECT k, COUNT(*) FROM t GROUP BY k ORDER BY COUNT(*) DESC, k NULLS FIRST";
        assert_eq!(out(sql), sql);
        assert!(codes(sql).is_empty());
    }

    #[test]
    fn subquery_and_union() {
        assert_eq!(
            out("SELECT * FROM (SELECT a FROM t ORDER BY a) s UNION ALL SELECT b FROM u ORDER BY 1"),
            "SELECT * FROM (SELECT a FROM t ORDER BY a NULLS LAST) s UNION ALL SELECT b FROM u ORDER BY 1 NULLS LAST"
        );
    }

    #[test]
    fn jinja_item_is_reported() {
        let t = crate::rules::test_support::fix("SELECT a FROM t ORDER BY {{ sort }}");
        assert_eq!(t.output, "SELECT a FROM t ORDER BY {{ sort }}");
        assert_eq!(t.findings[0].code, "RS903");
    }
}
