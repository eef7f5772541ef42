use sqlparser::tokenizer::Token;

use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::edit::Piece;

crate::rule! {
    /// ## What it does
    /// Rewrites `GENERATE_SERIES(a, b [, step])` to `explode(sequence(a, b, step))`, naming the
    /// column `generate_series` like Redshift does: in a select list
    /// `explode(sequence(…)) AS generate_series`, in FROM
    /// `explode(sequence(…)) AS g(g)` (the alias names the column, as in Redshift).
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no `generate_series`. `sequence` counts **down** when `a > b` and no step
    /// is given, where Redshift returns no rows, so the step is always written out (`1` by
    /// default); with literal bounds that would count down, the call is reported. Redshift runs
    /// `generate_series` only on the leader node (it cannot be joined to tables there); on
    /// Databricks it can, so queries that were split around that limit may be simplified.
    ///
    /// ## Example
    /// ```sql
    /// SELECT generate_series(1, 7) AS day_offset
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SELECT explode(sequence(1, 7, 1)) AS day_offset
    /// ```
    pub struct GenerateSeries;
    code: "RS154",
    name: "generate-series",
    summary: "GENERATE_SERIES becomes explode(sequence(a, b, step)) with the step written out",
    confidence: Caveat,
    databricks_invalid: true,
}

fn int_text(t: &str) -> Option<i64> {
    t.trim().parse().ok()
}

impl Rule for GenerateSeries {
    fn check_tokens(&self, cx: &mut Checker<'_, '_>, parsed: bool) {
        if !parsed {
            return;
        }
        let toks = cx.tokens;
        let (a, b) = (cx.stmt.start, cx.stmt.end);
        for i in a..b {
            let t = &toks.toks[i];
            if !t.is_word("GENERATE_SERIES") {
                continue;
            }
            let Some(call) = toks.call(t.start, t.end, b) else {
                continue;
            };
            if !(2..=3).contains(&call.args.len()) {
                continue;
            }
            let texts: Vec<String> = call.args.iter().map(|r| cx.slice(r).to_string()).collect();
            let step = texts.get(2).and_then(|s| int_text(s)).unwrap_or(1);
            if let (Some(lo), Some(hi)) = (int_text(&texts[0]), int_text(&texts[1])) {
                if (step > 0 && lo > hi) || (step < 0 && lo < hi) || step == 0 {
                    cx.report(
                        call.range,
                        "GENERATE_SERIES with these bounds returns no rows on Redshift, but \
                         sequence() counts the other way or fails: remove the query (its result \
                         is empty) or swap the bounds if rows were meant",
                        None,
                    );
                    continue;
                }
            }
            let mut pieces: Vec<Piece> =
                vec!["explode(sequence(".into(), call.args[0].clone().into()];
            pieces.extend([", ".into(), call.args[1].clone().into(), ", ".into()]);
            match call.args.get(2) {
                Some(s) => pieces.push(s.clone().into()),
                None => pieces.push("1".into()),
            }
            pieces.push("))".into());
            let from_context = toks
                .prev_sig(i, a)
                .is_some_and(|p| toks.toks[p].is_word("FROM") || toks.toks[p].is_word("JOIN"));
            let close = call.close;
            let next = toks.next_sig(close + 1, b);
            let mut range_end = call.range.end;
            if from_context {
                // [AS] alias [(cols)]
                let mut k = next;
                if k.is_some_and(|k| toks.toks[k].is_word("AS")) {
                    k = toks.next_sig(k.unwrap() + 1, b);
                }
                let alias = k.filter(|&k| matches!(&toks.toks[k].token, Token::Word(w) if w.keyword == sqlparser::keywords::Keyword::NoKeyword || w.quote_style.is_some()));
                match alias {
                    Some(al) => {
                        let has_cols = toks
                            .next_sig(al + 1, b)
                            .is_some_and(|p| toks.toks[p].token == Token::LParen);
                        if !has_cols {
                            let name = cx
                                .slice(&(toks.toks[al].start..toks.toks[al].end))
                                .to_string();
                            pieces.push((call.range.end..toks.toks[al].end).into());
                            pieces.push(format!("({name})").into());
                            range_end = toks.toks[al].end;
                        }
                    }
                    None => pieces.push(" AS generate_series(generate_series)".into()),
                }
            } else {
                let aliased = next.is_some_and(|k| {
                    toks.toks[k].is_word("AS")
                        || matches!(&toks.toks[k].token, Token::Word(w) if w.keyword == sqlparser::keywords::Keyword::NoKeyword)
                });
                if !aliased {
                    pieces.push(" AS generate_series".into());
                }
            }
            cx.fix(
                call.range.start..range_end,
                pieces,
                "GENERATE_SERIES becomes explode(sequence(…)) with an explicit step (sequence \
                 counts down when the start is larger; Redshift returns no rows)",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{codes, out};

    #[test]
    fn select_list_and_from_forms() {
        assert_eq!(
            out("SELECT generate_series(1, 7) AS d"),
            "SELECT explode(sequence(1, 7, 1)) AS d"
        );
        assert_eq!(
            out("SELECT g FROM generate_series(1, n, 2) AS g"),
            "SELECT g FROM explode(sequence(1, n, 2)) AS g(g)"
        );
        assert_eq!(
            out("SELECT * FROM generate_series(0, 3)"),
            "SELECT * FROM explode(sequence(0, 3, 1)) AS generate_series(generate_series)"
        );
    }

    #[test]
    fn descending_literal_bounds_are_reported() {
        let sql = "SELECT generate_series(5, 1)";
        assert_eq!(out(sql), sql);
        assert_eq!(codes(sql), vec!["RS154"]);
    }
}
