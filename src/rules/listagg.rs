use std::ops::Range;

use sqlparser::ast::{DuplicateTreatment, Expr, FunctionArguments, OrderBySort};
use sqlparser::keywords::Keyword;

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;
use crate::sql::tokens::Call;
use crate::sql::{Confidence, Runtime};

crate::rule! {
    /// ## What it does
    /// On Databricks Runtime 16.4+ (the default target is 17.3 LTS) keeps `listagg` and makes the
    /// value skip empty strings like Redshift: `LISTAGG(x, d) WITHIN GROUP (ORDER BY k)` →
    /// `LISTAGG(NULLIF(CAST(x AS STRING), ''), d) WITHIN GROUP (ORDER BY k NULLS LAST)` (RS304
    /// spells out Redshift's NULL order). `LISTAGG(DISTINCT x, d) WITHIN GROUP (ORDER BY x)`
    /// wraps both `x` in `NULLIF(x, '')`, because Databricks requires the key of a DISTINCT
    /// listagg to be the aggregated expression. A window without WITHIN GROUP keeps its OVER; an
    /// ordered window (Databricks allows `listagg … OVER` only without WITHIN GROUP) becomes
    /// `array_join(transform(array_sort(collect_list(named_struct('v', …, 'k0', k)) OVER (…),
    /// <comparator in Redshift's order>), e -> e.v), d)` on every runtime. Below 16.4, an
    /// unordered `LISTAGG(x, d)` becomes `array_join(collect_list(NULLIF(CAST(x AS STRING),
    /// '')), d)`. Reported: DISTINCT windows, DISTINCT ordered by another expression, and
    /// ordered/DISTINCT/unordered-window forms below 16.4.
    ///
    /// ## Why it differs on Databricks
    /// Redshift's LISTAGG skips NULLs **and empty strings**, has no delimiter by default (the
    /// same result as Databricks' default `''`), takes values of any type, and fails when the
    /// result exceeds 65 535 bytes; Databricks keeps empty strings (adding extra delimiters) and
    /// has no size limit. `NULLIF(x, '')` on a non-string `x` fails under ANSI mode, hence the
    /// cast (the DISTINCT form cannot cast without changing the order: use it on strings). Its
    /// DISTINCT treats values that differ only in trailing blanks as duplicates; Databricks
    /// keeps both (the caveat). `listagg` exists only from DBR 16.4.
    ///
    /// ## Example
    /// ```sql
    /// SELECT customer_id, LISTAGG(product, ', ') WITHIN GROUP (ORDER BY line_no) FROM lines GROUP BY 1
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT customer_id, LISTAGG(NULLIF(CAST(product AS STRING), ''), ', ') WITHIN GROUP (ORDER BY line_no NULLS LAST) FROM lines GROUP BY 1
    /// ```
    pub struct Listagg;
    code: "RS305",
    name: "listagg",
    summary: "LISTAGG skips empty strings like Redshift (NULLIF); array_join(collect_list) below DBR 16.4",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for Listagg {
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
        let mut x = call.args[0].clone();
        if list.duplicate_treatment.is_some() {
            // The first argument's tokens start with DISTINCT/ALL; the value follows it.
            let toks = cx.tokens;
            let (a, b) = call.arg_toks[0];
            let Some(kw) = toks.next_sig(a, b) else {
                return;
            };
            let Some(value) = toks.trimmed_bytes(kw + 1, b) else {
                return;
            };
            x = value;
        }
        if cx.slice(&x).to_ascii_uppercase().starts_with("NULLIF(") {
            return; // already translated
        }
        let ordered = !f.within_group.is_empty();
        if f.over.is_some() && ordered && !distinct {
            return windowed_ordered(cx, f, &call, x);
        }
        if cx.opts.runtime < Runtime(16, 4) {
            return below_16_4(cx, &call, distinct || f.over.is_some(), ordered);
        }
        if f.over.is_some() && (ordered || distinct) {
            cx.report(
                call.full.clone(),
                "windowed LISTAGG with WITHIN GROUP or DISTINCT: Databricks allows listagg … OVER \
                 only without them; compute it per partition by hand, e.g. join to SELECT p, \
                 listagg(NULLIF(CAST(x AS STRING), ''), d) WITHIN GROUP (ORDER BY k NULLS LAST) \
                 … GROUP BY p",
                None,
            );
            return;
        }
        if distinct {
            // Databricks requires the WITHIN GROUP key of a DISTINCT listagg to be the aggregated
            // expression itself, so both become NULLIF(x, '') (which ignores the same values).
            let key = match f.within_group.as_slice() {
                [] => None,
                [k] => match cx.expr_range(&k.expr) {
                    Some(r) if same_text(cx.slice(&r), cx.slice(&x)) => Some(r),
                    _ => {
                        cx.report(
                            call.full.clone(),
                            "LISTAGG(DISTINCT x) ordered by another expression: Databricks \
                             requires the WITHIN GROUP key of a DISTINCT listagg to be x itself; \
                             rewrite by hand (e.g. aggregate the distinct values in a subquery)",
                            None,
                        );
                        return;
                    }
                },
                _ => {
                    cx.report(
                        call.full.clone(),
                        "LISTAGG(DISTINCT x) with several sort keys: Databricks requires the \
                         WITHIN GROUP key of a DISTINCT listagg to be x itself; rewrite by hand",
                        None,
                    );
                    return;
                }
            };
            let wrap = |r: &Range<usize>| -> Vec<Piece> {
                vec!["NULLIF(".into(), Piece::Src(r.clone()), ", '')".into()]
            };
            cx.fix_in(
                Confidence::Caveat,
                call.full.clone(),
                x.clone(),
                wrap(&x),
                "Redshift LISTAGG skips empty strings; its DISTINCT also treats values that differ \
                 only in trailing blanks as duplicates (Databricks keeps both), and it errors above \
                 65535 bytes",
            );
            if let Some(k) = key {
                // The key's last token is written as text, so that RS304's ` NULLS LAST`,
                // inserted right after the key, lands after the closing `, '')` rather than
                // inside the source piece.
                let toks = cx.tokens;
                let Some(last) = toks.prev_sig(toks.at(k.end), cx.stmt.start) else {
                    return;
                };
                let last = toks.toks[last].start..toks.toks[last].end;
                let pieces = vec![
                    "NULLIF(".into(),
                    Piece::Src(k.start..last.start),
                    cx.slice(&last).to_string().into(),
                    ", '')".into(),
                ];
                cx.fix_in(
                    Confidence::Caveat,
                    call.full.clone(),
                    k.clone(),
                    pieces,
                    "the WITHIN GROUP key of a DISTINCT listagg must be the aggregated expression \
                     on Databricks",
                );
            }
            return;
        }
        cx.fix_in(
            Confidence::Caveat,
            call.full.clone(),
            x.clone(),
            vec![
                "NULLIF(CAST(".into(),
                Piece::Src(x),
                " AS STRING), '')".into(),
            ],
            "Redshift LISTAGG skips empty strings (and errors above 65535 bytes); the cast keeps \
             non-string values working, as in Redshift",
        );
    }
}

/// `LISTAGG(x, d) WITHIN GROUP (ORDER BY k…) OVER (PARTITION BY p)`: Databricks has no ordered
/// listagg window, so the partition's values are collected with their sort keys, sorted by a
/// comparator that spells out Redshift's order (NULL keys last for ASC, first for DESC), and
/// joined. NULL and '' values are skipped by array_join; no value at all gives NULL, as in
/// Redshift. Works on every runtime (no listagg needed).
fn windowed_ordered(
    cx: &mut Checker<'_, '_>,
    f: &sqlparser::ast::Function,
    call: &Call,
    x: Range<usize>,
) {
    let toks = cx.tokens;
    let end = cx.stmt.end;
    let keys = (|| {
        let within = toks.next_sig(call.close + 1, end)?;
        let group = toks.next_sig(within + 1, end)?;
        let open = toks.next_sig(group + 1, end)?;
        let close = toks.matching_paren(open, end)?;
        let order = toks.next_sig(open + 1, close)?;
        let by = toks.next_sig(order + 1, close)?;
        if !(toks.toks[within].is_keyword(Keyword::WITHIN)
            && toks.toks[order].is_keyword(Keyword::ORDER)
            && toks.toks[by].is_keyword(Keyword::BY))
        {
            return None;
        }
        let over = toks.next_sig(close + 1, end)?;
        if !toks.toks[over].is_keyword(Keyword::OVER) {
            return None;
        }
        let mut keys = Vec::new();
        for (a, b) in toks.split_commas(by + 1, close) {
            // Drop the trailing ASC/DESC and NULLS FIRST/LAST (the AST gives them).
            let mut last = toks.prev_sig(b, a)?;
            if toks.toks[last].is_keyword(Keyword::FIRST)
                || toks.toks[last].is_keyword(Keyword::LAST)
            {
                last = toks.prev_sig(toks.prev_sig(last, a)?, a)?;
            }
            if toks.toks[last].is_keyword(Keyword::ASC) || toks.toks[last].is_keyword(Keyword::DESC)
            {
                last = toks.prev_sig(last, a)?;
            }
            keys.push(toks.trimmed_bytes(a, last + 1)?);
        }
        Some((keys, toks.toks[over].start))
    })();
    let Some((keys, over)) = keys.filter(|(k, _)| k.len() == f.within_group.len()) else {
        cx.report(
            call.full.clone(),
            "windowed LISTAGG … WITHIN GROUP the tool cannot delimit: Databricks allows listagg \
             OVER only without WITHIN GROUP; write array_join(transform(array_sort(collect_list(\
             named_struct('v', x, 'k', k)) OVER (PARTITION BY p), (l, r) -> …), e -> e.v), d) by \
             hand",
            None,
        );
        return;
    };
    if keys.iter().any(|k| cx.has_jinja(k)) {
        cx.jinja_hides(call.full.clone(), "the sort keys");
        return;
    }
    let mut p: Vec<Piece> = vec![
        "NULLIF(array_join(transform(array_sort(collect_list(named_struct('v', NULLIF(CAST(".into(),
        Piece::Src(x),
        " AS STRING), '')".into(),
    ];
    for (i, k) in keys.iter().enumerate() {
        p.push(format!(", 'k{i}', ").into());
        p.push(Piece::Src(k.clone()));
    }
    p.push(")) ".into());
    p.push(Piece::Src(over..call.full.end));
    // The comparator, innermost (last key) first.
    let mut cmp = "0".to_string();
    for (i, item) in f.within_group.iter().enumerate().rev() {
        let desc = matches!(item.options.sort, Some(OrderBySort::Desc));
        let nulls_first = item.options.nulls_first.unwrap_or(desc);
        let (lt, gt) = if desc { ("1", "-1") } else { ("-1", "1") };
        let (ln, rn) = if nulls_first {
            ("-1", "1")
        } else {
            ("1", "-1")
        };
        cmp = format!(
            "CASE WHEN l.k{i} IS NULL AND r.k{i} IS NULL THEN {cmp} WHEN l.k{i} IS NULL THEN {ln} \
             WHEN r.k{i} IS NULL THEN {rn} WHEN l.k{i} < r.k{i} THEN {lt} WHEN l.k{i} > r.k{i} \
             THEN {gt} ELSE {cmp} END"
        );
    }
    p.push(format!(", (l, r) -> {cmp}), e -> e.v), ").into());
    match call.args.get(1) {
        Some(d) => p.push(Piece::Src(d.clone())),
        None => p.push("''".into()),
    }
    p.push("), '')".into());
    cx.fix_with(
        Confidence::Caveat,
        call.full.clone(),
        p,
        "Databricks allows listagg OVER only without WITHIN GROUP: the partition's values are \
         sorted in Redshift's order (NULL keys last ascending) and joined, skipping NULLs and empty \
         strings (Redshift also errors above 65535 bytes)",
    );
}

/// Whether two expressions are written the same (case and blanks aside).
fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase()
    };
    norm(a) == norm(b)
}

/// Databricks Runtime below 16.4 has no listagg: unordered, plain calls become
/// `array_join(collect_list(…))`; the rest is reported with the hand-written form.
fn below_16_4(cx: &mut Checker<'_, '_>, call: &Call, distinct_or_over: bool, ordered: bool) {
    if distinct_or_over {
        cx.report(
            call.full.clone(),
            "LISTAGG with DISTINCT or OVER below Databricks Runtime 16.4 (no listagg): use \
             array_join(array_sort(array_distinct(collect_list(NULLIF(CAST(x AS STRING), '')))), d) \
             for DISTINCT, or collect_list(…) OVER (PARTITION BY p) for a window, by hand",
            None,
        );
        return;
    }
    if ordered {
        cx.report(
            call.full.clone(),
            "ordered LISTAGG needs Databricks Runtime 16.4+ (listagg … WITHIN GROUP); below, use array_join(transform(array_sort(collect_list(struct(k, x))), e -> e.x), d) by hand",
            None,
        );
        return;
    }
    let x = call.args[0].clone();
    let mut p = vec![
        "array_join(collect_list(NULLIF(CAST(".into(),
        Piece::Src(x),
        " AS STRING), '')), ".into(),
    ];
    match call.args.get(1) {
        Some(d) => p.push(Piece::Src(d.clone())),
        None => p.push("''".into()),
    }
    p.push(")".into());
    cx.fix(
        call.range.clone(),
        p,
        "Databricks below 16.4 has no listagg; Redshift skips NULLs and empty strings",
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, fix, out};
    use crate::sql::{translate, Runtime, TranslateOptions};

    fn at(runtime: Runtime, sql: &str) -> crate::sql::Translation {
        let opts = TranslateOptions {
            runtime,
            ..Default::default()
        };
        translate(sql, &opts)
    }

    #[test]
    fn ordered_listagg_is_kept_on_the_default_runtime() {
        let t = fix("SELECT LISTAGG(p, ',') WITHIN GROUP (ORDER BY k DESC), listagg(q) WITHIN GROUP (ORDER BY q) FROM t");
        assert_eq!(
            t.output,
            "SELECT LISTAGG(NULLIF(CAST(p AS STRING), ''), ',') WITHIN GROUP (ORDER BY k DESC NULLS FIRST), listagg(NULLIF(CAST(q AS STRING), '')) WITHIN GROUP (ORDER BY q NULLS LAST) FROM t"
        );
        assert!(t.findings.iter().all(|f| f.applied), "{:?}", t.findings);
        // A second run changes nothing.
        assert_eq!(out(&t.output), t.output);
    }

    #[test]
    fn distinct_wraps_the_value_and_its_sort_key() {
        assert_eq!(
            out("SELECT LISTAGG(DISTINCT t.x, ', ') WITHIN GROUP (ORDER BY T.X) FROM t"),
            "SELECT LISTAGG(DISTINCT NULLIF(t.x, ''), ', ') WITHIN GROUP (ORDER BY NULLIF(T.X, '') NULLS LAST) FROM t"
        );
        assert_eq!(
            codes("SELECT LISTAGG(DISTINCT x, ',') WITHIN GROUP (ORDER BY y) FROM t"),
            vec!["RS305", "RS304"]
        );
        let t = fix("SELECT LISTAGG(DISTINCT x, ',') WITHIN GROUP (ORDER BY y) FROM t");
        assert!(t.findings.iter().any(|f| f.code == "RS305" && !f.applied));
    }

    #[test]
    fn windows_keep_over_only_without_within_group() {
        assert_eq!(
            out("SELECT LISTAGG(x, ',') OVER (PARTITION BY g) FROM t"),
            "SELECT LISTAGG(NULLIF(CAST(x AS STRING), ''), ',') OVER (PARTITION BY g) FROM t"
        );
        let t = fix("SELECT LISTAGG(DISTINCT x, ',') OVER (PARTITION BY g) FROM t");
        let f = t.findings.iter().find(|f| f.code == "RS305").unwrap();
        assert!(!f.applied);
        assert!(f.message.contains("GROUP BY p"));
    }

    #[test]
    fn ordered_windows_sort_the_collected_values() {
        let t = fix("SELECT LISTAGG(x) WITHIN GROUP (ORDER BY k DESC, j NULLS FIRST) OVER (PARTITION BY g) FROM t");
        let inner = "CASE WHEN l.k1 IS NULL AND r.k1 IS NULL THEN 0 WHEN l.k1 IS NULL THEN -1 WHEN r.k1 IS NULL THEN 1 WHEN l.k1 < r.k1 THEN -1 WHEN l.k1 > r.k1 THEN 1 ELSE 0 END";
        assert_eq!(
            t.output,
            format!(
                "SELECT NULLIF(array_join(transform(array_sort(collect_list(named_struct('v', NULLIF(CAST(x AS STRING), ''), 'k0', k, 'k1', j)) OVER (PARTITION BY g), (l, r) -> \
                 CASE WHEN l.k0 IS NULL AND r.k0 IS NULL THEN {inner} WHEN l.k0 IS NULL THEN -1 WHEN r.k0 IS NULL THEN 1 \
                 WHEN l.k0 < r.k0 THEN 1 WHEN l.k0 > r.k0 THEN -1 ELSE {inner} END), e -> e.v), ''), '') FROM t"
            )
        );
        // RS304 leaves these keys to this rule: one applied finding, nothing reported.
        assert_eq!(t.findings.len(), 1);
        assert!(t.findings[0].applied);
        assert_eq!(out(&t.output), t.output);
    }

    #[test]
    fn older_runtimes_fall_back_or_report() {
        let old = Runtime(15, 4);
        assert_eq!(
            at(old, "SELECT LISTAGG(p, ', '), listagg(q) FROM t").output,
            "SELECT array_join(collect_list(NULLIF(CAST(p AS STRING), '')), ', '), array_join(collect_list(NULLIF(CAST(q AS STRING), '')), '') FROM t"
        );
        for sql in [
            "SELECT LISTAGG(p, ',') WITHIN GROUP (ORDER BY p) FROM t",
            "SELECT LISTAGG(DISTINCT p, ',') FROM t",
            "SELECT LISTAGG(p, ',') OVER (PARTITION BY g) FROM t",
        ] {
            let t = at(old, sql);
            let f = t.findings.iter().find(|f| f.code == "RS305").unwrap();
            assert!(!f.applied, "{sql}");
            assert!(!t.output.contains("NULLIF"), "{sql}");
        }
        // 16.4 is the first runtime with listagg.
        assert_eq!(
            at(Runtime(16, 4), "SELECT LISTAGG(p) FROM t").output,
            "SELECT LISTAGG(NULLIF(CAST(p AS STRING), '')) FROM t"
        );
    }
}
