use sqlparser::ast::Statement;
use sqlparser::tokenizer::Token;

use super::statement_text::{leading_words, range};
use super::Rule;
use crate::sql::checker::Checker;
use crate::sql::Confidence;

crate::rule! {
    /// ## What it does
    /// Rewrites `SET search_path TO s` (one schema) to `USE SCHEMA s` and `SET
    /// statement_timeout TO ms` (whole seconds) to `SET STATEMENT_TIMEOUT = s`. Reports longer
    /// search paths (suggesting `USE SCHEMA` of the first),
    /// other `SET`/`RESET` statements (`query_group`, `statement_timeout`, `enable_*`), and
    /// `SHOW search_path` (suggesting `SELECT current_schema()`).
    ///
    /// ## Why it differs on Databricks
    /// Databricks has no search path: `USE SCHEMA s` (and `USE CATALOG c` for the database
    /// level) selects one default schema, so only the first schema of a path can be honoured.
    /// Redshift's workload and planner settings do not exist (`SET STATEMENT_TIMEOUT = n`
    /// exists on SQL warehouses).
    ///
    /// ## Example
    /// ```sql
    /// SET search_path TO analytics, public
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// USE SCHEMA analytics
    /// ```
    pub struct SessionSettings;
    code: "RS856",
    name: "session-settings",
    summary: "SET search_path and other Redshift session settings are reported with their Databricks form",
    confidence: Review,
    databricks_invalid: false,
}

impl Rule for SessionSettings {
    fn check_statement(&self, cx: &mut Checker<'_, '_>, s: &Statement) {
        if !matches!(s, Statement::Set(_) | Statement::ShowVariable { .. }) {
            return;
        }
        self.check(cx);
    }

    fn check_tokens(&self, cx: &mut Checker<'_, '_>, parsed: bool) {
        if !parsed {
            self.check(cx);
        }
    }
}

impl SessionSettings {
    fn check(&self, cx: &mut Checker<'_, '_>) {
        let lead = leading_words(cx, 4);
        let words: Vec<&str> = lead.iter().map(|(_, w)| w.as_str()).collect();
        let Some(r) = range(cx) else { return };
        // The significant tokens after `SET name [TO | =]`.
        let values: Vec<usize> = {
            let toks = cx.tokens;
            let mut v = Vec::new();
            let mut i = lead.get(1).map_or(cx.stmt.end, |(k, _)| k + 1);
            while let Some(k) = toks.next_sig(i, cx.stmt.end) {
                v.push(k);
                i = k + 1;
            }
            if v.first()
                .is_some_and(|&k| toks.toks[k].is_word("TO") || toks.toks[k].token == Token::Eq)
            {
                v.remove(0);
            }
            v
        };
        let single = |cx: &Checker<'_, '_>| -> Option<String> {
            let [k] = values.as_slice() else { return None };
            match &cx.tokens.toks[*k].token {
                Token::Word(w) if !w.value.starts_with('$') => Some(
                    cx.slice(&(cx.tokens.toks[*k].start..cx.tokens.toks[*k].end))
                        .to_string(),
                ),
                Token::Number(n, _) => Some(n.clone()),
                _ => None,
            }
        };
        match words.as_slice() {
            // One schema: USE SCHEMA resolves unqualified names the same way.
            ["SET", "SEARCH_PATH", ..] if single(cx).is_some() => {
                let schema = single(cx).unwrap_or_default();
                cx.fix_with(
                    Confidence::Caveat,
                    r,
                    vec![format!("USE SCHEMA {schema}").into()],
                    "a search_path of one schema is USE SCHEMA on Databricks (the default schema \
                     for the rest of the session)",
                );
            }
            // Milliseconds in Redshift, seconds on SQL warehouses.
            ["SET", "STATEMENT_TIMEOUT", ..]
                if single(cx)
                    .and_then(|n| n.parse::<u64>().ok())
                    .is_some_and(|ms| ms % 1000 == 0) =>
            {
                let ms: u64 = single(cx).and_then(|n| n.parse().ok()).unwrap_or_default();
                cx.fix_with(
                    Confidence::Caveat,
                    r,
                    vec![format!("SET STATEMENT_TIMEOUT = {}", ms / 1000).into()],
                    "statement_timeout is in milliseconds in Redshift; Databricks SQL warehouses \
                     take STATEMENT_TIMEOUT in seconds (clusters ignore it)",
                );
            }
            ["SET", "SEARCH_PATH", ..] => {
                // The first schema of the path, as written.
                let first = lead
                    .iter()
                    .skip(2)
                    .find(|(_, w)| !w.is_empty() && w != "TO")
                    .map(|(k, _)| {
                        cx.slice(&(cx.tokens.toks[*k].start..cx.tokens.toks[*k].end))
                            .to_string()
                    });
                cx.report(
                    r,
                    "Databricks has no search_path: USE SCHEMA selects one default schema (only the \
                     first schema of the path is honoured)",
                    first.map(|s| format!("USE SCHEMA {s}")),
                );
            }
            ["SHOW", "SEARCH_PATH", ..] => cx.report(
                r,
                "Databricks has no search_path; current_schema() returns the default schema",
                Some("SELECT current_schema()".to_string()),
            ),
            ["SET", ..] | ["RESET", ..] => cx.report(
                r,
                "Redshift session setting: it does not exist on Databricks; remove the statement \
                 (statement_timeout: SET STATEMENT_TIMEOUT = seconds on SQL warehouses)",
                None,
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::fix;

    #[test]
    fn search_path_suggests_use_schema() {
        let t = fix("SET search_path TO analytics, public");
        assert_eq!(t.output, "SET search_path TO analytics, public");
        assert_eq!(t.findings[0].code, "RS856");
        assert_eq!(
            t.findings[0].suggestion.as_deref(),
            Some("USE SCHEMA analytics")
        );
    }

    #[test]
    fn one_schema_and_whole_second_timeouts_are_rewritten() {
        assert_eq!(fix("SET search_path TO sales").output, "USE SCHEMA sales");
        assert_eq!(fix("SET search_path = sales").output, "USE SCHEMA sales");
        assert_eq!(
            fix("SET statement_timeout TO 60000").output,
            "SET STATEMENT_TIMEOUT = 60"
        );
        assert_eq!(
            fix("set statement_timeout = 0").output,
            "SET STATEMENT_TIMEOUT = 0"
        );
        // Not a whole number of seconds, or a user variable in the path: reported.
        for sql in [
            "SET statement_timeout TO 1500",
            "SET search_path TO '$user', public",
        ] {
            let t = fix(sql);
            assert_eq!(t.output, sql);
            assert_eq!(t.findings[0].code, "RS856");
        }
    }

    #[test]
    fn other_settings_are_reported() {
        assert_eq!(fix("SET query_group TO 'etl'").findings[0].code, "RS856");
    }
}
