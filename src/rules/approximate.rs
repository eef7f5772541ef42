use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Rewrites `APPROXIMATE COUNT(DISTINCT x)` to `approx_count_distinct(x)` and
    /// `APPROXIMATE PERCENTILE_DISC(p) WITHIN GROUP (ORDER BY x)` to `approx_percentile(x, p)`.
    /// Works on the tokens (sqlparser cannot parse `APPROXIMATE`).
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `APPROXIMATE` keyword. Both sides use sketches (HyperLogLog for
    /// distinct counts) but with different error bounds, so the estimates are not bit-identical.
    ///
    /// ## Example
    /// ```sql
    /// SELECT APPROXIMATE COUNT(DISTINCT user_id) FROM events
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT approx_count_distinct(user_id) FROM events
    /// ```
    pub struct Approximate;
    code: "RS307",
    name: "approximate",
    summary: "APPROXIMATE COUNT(DISTINCT x) / PERCENTILE_DISC become approx_count_distinct / approx_percentile",
    confidence: Caveat,
    databricks_invalid: true,
}

impl Rule for Approximate {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, _parsed: bool) {
        let toks = cx.tokens;
        let end = cx.stmt.end;
        for i in cx.stmt.clone() {
            if !toks.toks[i].is_word("APPROXIMATE") {
                continue;
            }
            let Some(f) = toks.next_sig(i + 1, end) else {
                continue;
            };
            let Some(open) = toks.next_sig(f + 1, end) else {
                continue;
            };
            if toks.toks[open].token != Token::LParen {
                continue;
            }
            let Some(close) = toks.matching_paren(open, end) else {
                continue;
            };
            if toks.toks[f].is_word("COUNT") {
                let Some(d) = toks.next_sig(open + 1, close) else {
                    continue;
                };
                if !toks.toks[d].is_keyword(Keyword::DISTINCT) {
                    continue;
                }
                let Some(arg) = toks.trimmed_bytes(d + 1, close) else {
                    continue;
                };
                let range = toks.toks[i].start..toks.toks[close].end;
                cx.fix(
                    range,
                    vec!["approx_count_distinct(".into(), Piece::Src(arg), ")".into()],
                    "APPROXIMATE COUNT(DISTINCT) is approx_count_distinct on Databricks (different error bound)",
                );
            } else if toks.toks[f].is_word("PERCENTILE_DISC") {
                let Some(p) = toks.trimmed_bytes(open + 1, close) else {
                    continue;
                };
                // WITHIN GROUP (ORDER BY x)
                let Some(w) = toks.next_sig(close + 1, end) else {
                    continue;
                };
                let Some(g) = toks.next_sig(w + 1, end) else {
                    continue;
                };
                let Some(o) = toks.next_sig(g + 1, end) else {
                    continue;
                };
                if !(toks.toks[w].is_keyword(Keyword::WITHIN)
                    && toks.toks[g].is_keyword(Keyword::GROUP))
                    || toks.toks[o].token != Token::LParen
                {
                    continue;
                }
                let Some(oc) = toks.matching_paren(o, end) else {
                    continue;
                };
                let Some(ord) = toks.next_sig(o + 1, oc) else {
                    continue;
                };
                let Some(by) = toks.next_sig(ord + 1, oc) else {
                    continue;
                };
                if !(toks.toks[ord].is_keyword(Keyword::ORDER)
                    && toks.toks[by].is_keyword(Keyword::BY))
                {
                    continue;
                }
                let Some(x) = toks.trimmed_bytes(by + 1, oc) else {
                    continue;
                };
                let range = toks.toks[i].start..toks.toks[oc].end;
                let xs = cx.slice(&x).to_ascii_uppercase();
                if xs.ends_with(" DESC") || xs.contains(',') {
                    cx.report(
                        range,
                        "APPROXIMATE PERCENTILE_DISC with DESC or several keys: write the exact percentile_disc(p) WITHIN GROUP (ORDER BY x DESC), or approx_percentile(x, 1 - p) for one DESC key",
                        None,
                    );
                    continue;
                }
                let x = if xs.ends_with(" ASC") {
                    x.start..x.end - 4
                } else {
                    x
                };
                cx.fix(
                    range,
                    vec!["approx_percentile(".into(), Piece::Src(x), ", ".into(), Piece::Src(p), ")".into()],
                    "APPROXIMATE PERCENTILE_DISC is approx_percentile on Databricks (different error bound)",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::out;

    #[test]
    fn approximate_forms() {
        assert_eq!(
            out("SELECT APPROXIMATE COUNT(DISTINCT user_id), APPROXIMATE PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY price) FROM t"),
            "SELECT approx_count_distinct(user_id), approx_percentile(price, 0.5) FROM t"
        );
    }
}
