//! Coverage of the Redshift → Databricks reference by rules.
//!
//! `tests/reference/constructs.tsv` lists every construct row of the reference's tables
//! (sections 0.1, 1A–1M, 2 and 3.x of `../shared/reference/redshift-to-databricks.md`) with the
//! confidence the reference gives it and the rule code(s) that handle it. These tests:
//!
//! * re-extract the constructs from the reference (when `../shared` is present) and fail when the
//!   reference has a construct the list lacks, or the list has one the reference dropped;
//! * fail when a listed rule code is not in the rule registry;
//! * count the constructs that have no rule yet (strict mode fails on them).
//!
//! Regenerate the list after the reference changes (codes already filled in are kept):
//!
//! ```sh
//! HEX_MIGRATE_BLESS=1 cargo test --test reference_coverage
//! ```
//!
//! The `rules` column holds comma-separated rule codes, `-` when no rule handles the row yet, or
//! `none` when Databricks accepts the Redshift text unchanged with the same meaning (allowed only
//! for rows the reference marks `exact`, `keep`, `same` or `n/a`: a caveat needs at least a
//! warning).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[path = "support/hex.rs"]
mod support;

/// Every construct has a rule (issue 4): a row with `-` fails the suite.
/// (`HEX_MIGRATE_STRICT_COVERAGE=1` forced it on before every row had a rule.)
const STRICT: bool = true;

const LIST: &str = "tests/reference/constructs.tsv";
const HEADER: &str = "construct\tsection\tconfidence\trules";

/// One construct row of the reference.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Construct {
    /// Section id: `0.1`, `1A` … `1M`, `2`, `3.1` … `3.5`.
    section: String,
    /// The row's first cell (for section 0.1, the `#` and the topic), markdown emphasis removed.
    construct: String,
    /// The row's `conf` or `action` cell, `-` when the table has neither.
    confidence: String,
}

/// One row of the checked-in list.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listed {
    construct: Construct,
    rules: String,
}

/// Section ids whose tables list constructs; everything else in the reference (sources,
/// rankings, peer behaviour) describes rather than defines what to translate.
fn construct_section(heading: &str) -> Option<String> {
    let title = heading.trim_start_matches('#').trim();
    let id = title.split_whitespace().next()?.trim_end_matches('.');
    let wanted = id == "0.1"
        || id == "2"
        || (id.len() == 2 && id.starts_with('1') && ('A'..='M').contains(&id.chars().nth(1)?))
        || (id.starts_with("3.") && id[2..].parse::<u32>().is_ok());
    wanted.then(|| id.to_string())
}

/// Splits a markdown table row into cells; `\|` inside a cell is a literal bar.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cur.push('|');
                chars.next();
            }
            '|' => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out.iter().map(|c| clean(c)).collect()
}

/// Cell text as it goes into the list: emphasis markers removed, whitespace collapsed (the list
/// is tab-separated, one row a line).
fn clean(cell: &str) -> String {
    cell.replace("**", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Section 3's `action` cells mix an action word with the target form (`rewrite → MERGE …`,
/// `drop (or map to OPTIMIZE t)`); the list keeps the action word. A cell that is only a target
/// form (`` `DELETE FROM t WHERE …` ``) is a rewrite.
fn action_word(cell: &str) -> String {
    if cell.starts_with('`') {
        return "rewrite".to_string();
    }
    let first = cell.split_whitespace().next().unwrap_or("-");
    first.trim_end_matches([',', ';', ':']).to_string()
}

fn is_separator(cells: &[String]) -> bool {
    cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

/// Every construct row of every table in the construct sections, in reference order.
fn extract(markdown: &str) -> Vec<Construct> {
    let mut out = Vec::new();
    let mut section: Option<String> = None;
    let mut header: Option<Vec<String>> = None;
    let mut in_body = false;
    for line in markdown.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            section = construct_section(trimmed);
            header = None;
            in_body = false;
            continue;
        }
        if !trimmed.starts_with('|') {
            header = None;
            in_body = false;
            continue;
        }
        let Some(sec) = &section else { continue };
        let row = cells(trimmed);
        match &header {
            None => header = Some(row),
            Some(_) if !in_body => {
                assert!(is_separator(&row), "table without separator row: {line}");
                in_body = true;
            }
            Some(h) => {
                let construct = if h[0] == "#" {
                    format!(
                        "{} {}",
                        row[0],
                        row.get(1).map(String::as_str).unwrap_or("")
                    )
                } else {
                    row[0].clone()
                };
                let cell = |name: &str| {
                    h.iter()
                        .position(|c| c.eq_ignore_ascii_case(name))
                        .and_then(|i| row.get(i))
                        .filter(|c| !c.is_empty())
                };
                let confidence = match (cell("conf"), cell("action")) {
                    (Some(conf), _) => conf.clone(),
                    (None, Some(action)) => action_word(action),
                    (None, None) => "-".to_string(),
                };
                out.push(Construct {
                    section: sec.clone(),
                    construct,
                    confidence,
                });
            }
        }
    }
    out
}

fn parse_list(text: &str) -> Vec<Listed> {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(HEADER), "{LIST}: unexpected header");
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 4, "{LIST}: expected 4 tab-separated fields: {l:?}");
            Listed {
                construct: Construct {
                    construct: f[0].to_string(),
                    section: f[1].to_string(),
                    confidence: f[2].to_string(),
                },
                rules: f[3].to_string(),
            }
        })
        .collect()
}

fn render_list(rows: &[Listed]) -> String {
    let mut s = String::from(HEADER);
    s.push('\n');
    for r in rows {
        let c = &r.construct;
        s.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            c.construct, c.section, c.confidence, r.rules
        ));
    }
    s
}

fn key(c: &Construct) -> (String, String) {
    (c.section.clone(), c.construct.clone())
}

fn list_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(LIST)
}

fn read_list() -> Vec<Listed> {
    let path = list_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_list(&text)
}

/// Rule codes in `cell`, or an empty list for `-` and `none`.
fn codes(cell: &str) -> Vec<&str> {
    match cell {
        "-" | "none" => Vec::new(),
        _ => cell.split(',').map(str::trim).collect(),
    }
}

#[test]
fn constructs_list_matches_reference() {
    let Some(shared) = support::shared() else {
        eprintln!("skipping: ../shared not found (set HEX_MIGRATE_SHARED)");
        return;
    };
    let path = shared.join("reference/redshift-to-databricks.md");
    let markdown =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let extracted = extract(&markdown);

    let mut seen = BTreeSet::new();
    for c in &extracted {
        assert!(
            seen.insert(key(c)),
            "the reference lists {:?} twice in section {}: the list needs unique rows",
            c.construct,
            c.section
        );
    }

    let listed = if list_path().exists() {
        read_list()
    } else {
        Vec::new()
    };
    let by_key: BTreeMap<_, _> = listed.iter().map(|l| (key(&l.construct), l)).collect();

    if std::env::var_os("HEX_MIGRATE_BLESS").is_some() {
        let rows: Vec<Listed> = extracted
            .iter()
            .map(|c| Listed {
                construct: c.clone(),
                rules: by_key
                    .get(&key(c))
                    .map(|l| l.rules.clone())
                    .unwrap_or_else(|| "-".to_string()),
            })
            .collect();
        std::fs::write(list_path(), render_list(&rows)).expect("write the constructs list");
        eprintln!("wrote {} constructs to {LIST}", rows.len());
        return;
    }

    let mut problems = Vec::new();
    for c in &extracted {
        match by_key.get(&key(c)) {
            None => problems.push(format!(
                "missing from {LIST}: [{}] {} ({})",
                c.section, c.construct, c.confidence
            )),
            Some(l) if l.construct.confidence != c.confidence => problems.push(format!(
                "confidence changed in the reference: [{}] {}: listed {:?}, reference {:?}",
                c.section, c.construct, l.construct.confidence, c.confidence
            )),
            Some(_) => {}
        }
    }
    for l in &listed {
        if !seen.contains(&key(&l.construct)) {
            problems.push(format!(
                "listed but no longer in the reference: [{}] {}",
                l.construct.section, l.construct.construct
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s); after checking them, regenerate with HEX_MIGRATE_BLESS=1:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn listed_rule_codes_are_registered() {
    if std::env::var_os("HEX_MIGRATE_BLESS").is_some() {
        return; // the other test is rewriting the list
    }
    let listed = read_list();
    let registered = registered_codes();
    let mut problems = Vec::new();
    let mut unassigned = Vec::new();
    let mut passthrough = 0;
    for l in &listed {
        let c = &l.construct;
        match l.rules.as_str() {
            "-" => unassigned.push(format!("[{}] {}", c.section, c.construct)),
            "none" => {
                passthrough += 1;
                let conf = c.confidence.to_ascii_lowercase();
                let unchanged = ["exact", "keep", "same", "n/a"];
                if !unchanged.iter().any(|u| conf.starts_with(u)) {
                    problems.push(format!(
                        "[{}] {} is {:?} in the reference, so it needs a rule, not `none`",
                        c.section, c.construct, c.confidence
                    ));
                }
            }
            cell => {
                for code in codes(cell) {
                    if !registered.contains(code) {
                        problems.push(format!(
                            "[{}] {}: rule {code} is not in the registry",
                            c.section, c.construct
                        ));
                    }
                }
            }
        }
    }
    let with_rules = listed.len() - unassigned.len() - passthrough;
    eprintln!(
        "reference coverage: {} constructs; {with_rules} with rule codes, {passthrough} unchanged \
         on Databricks (`none`), {} without a rule yet",
        listed.len(),
        unassigned.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let strict = STRICT || std::env::var_os("HEX_MIGRATE_STRICT_COVERAGE").is_some();
    if strict {
        assert!(
            unassigned.is_empty(),
            "{} construct(s) have no rule:\n{}",
            unassigned.len(),
            unassigned.join("\n")
        );
    }
}

/// Rule codes the registry knows.
fn registered_codes() -> BTreeSet<String> {
    hex_migrate::rules::all()
        .iter()
        .map(|r| r.info().code.to_string())
        .collect()
}

#[test]
fn extractor_reads_sections_cells_and_confidence() {
    let md = "\
## 0. Scope
| tag | meaning |
|---|---|
| exact | not a construct |

## 0.1 Cross-cutting
| # | topic | Redshift | conf |
|---|---|---|---|
| G1 | **NULL sort order** | x | exact |

### 1I. Strings
| Redshift | Databricks | notes | conf |
|---|---|---|---|
| `a \\|\\| b` | `a \\|\\| b` | cast | **exact** |

text between tables ends the table
| part | expr |
|---|---|
| year | `year(b)` |

### 3.5 System tables
| family | purpose | replacement | action |
|---|---|---|---|
| `STL_*` | logs | system.query | block |
| `PG_TABLE_DEF` | columns | information_schema | rewrite (partial) |

### 3.3 DML
| Redshift | action | Databricks |
|---|---|---|
| `DELETE t` | `DELETE FROM t` | |
| `VACUUM t` | drop (or map to `OPTIMIZE t`) | never VACUUM |

## 4. Ranking
| rank | construct |
|---|---|
| 1 | ORDER BY |
";
    let got: Vec<(String, String, String)> = extract(md)
        .into_iter()
        .map(|c| (c.section, c.construct, c.confidence))
        .collect();
    let want = [
        ("0.1", "G1 NULL sort order", "exact"),
        ("1I", "`a || b`", "exact"),
        ("1I", "year", "-"),
        ("3.5", "`STL_*`", "block"),
        ("3.5", "`PG_TABLE_DEF`", "rewrite"),
        ("3.3", "`DELETE t`", "rewrite"),
        ("3.3", "`VACUUM t`", "drop"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn list_round_trips_through_render_and_parse() {
    let rows = vec![Listed {
        construct: Construct {
            section: "1L".into(),
            construct: "`LOG(x)` (= base-10)".into(),
            confidence: "exact".into(),
        },
        rules: "RS601,RS602".into(),
    }];
    let text = render_list(&rows);
    assert_eq!(
        text,
        format!("{HEADER}\n`LOG(x)` (= base-10)\t1L\texact\tRS601,RS602\n")
    );
    assert_eq!(parse_list(&text), rows);
    assert_eq!(codes(&rows[0].rules), vec!["RS601", "RS602"]);
}

/// Whether an error finding tells a person what to write instead: a suggested replacement, the
/// instruction to remove the statement, or an action verb together with a concrete SQL form
/// (a call, a quoted or back-ticked fragment, an upper-case keyword).
fn tells_what_to_do(message: &str, suggestion: Option<&str>) -> bool {
    use regex::Regex;
    use std::sync::LazyLock;
    static ACTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(use|write|remove|rewrite|port|replace|compare|run|set|add|keep|deduplicate|recompute|swap|unroll|make|cast|rename|suppress|grant|store|compute)\b",
        )
        .unwrap()
    });
    static FORM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\w\(|`|'[^']*'|\b[A-Z][A-Z_]{2,}\b").unwrap());
    if suggestion.is_some_and(|s| !s.trim().is_empty()) {
        return true;
    }
    let lower = message.to_ascii_lowercase();
    // "by hand" counts as concrete only with an action on a named place ("rewrite the syntax at
    // that position by hand"), never alone ("translate by hand").
    lower.contains("remove")
        || (ACTION.is_match(message) && (FORM.is_match(message) || lower.contains("by hand")))
}

/// The SQL of every conformance case (skipped ones too: they are still translated).
fn conformance_sql() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let doc: serde_yaml_ng::Value =
            serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for case in doc["cases"].as_sequence().into_iter().flatten() {
            if let (Some(id), Some(sql)) = (case["id"].as_str(), case["sql"].as_str()) {
                out.push((id.to_string(), sql.to_string()));
            }
        }
    }
    out
}

#[test]
fn error_findings_tell_what_to_write() {
    let cases = conformance_sql();
    assert!(
        cases.len() > 500,
        "only {} conformance cases found",
        cases.len()
    );
    let opts = hex_migrate::sql::TranslateOptions::default();
    let mut vague = BTreeMap::<&str, Vec<String>>::new();
    let mut errors = 0;
    for (id, sql) in &cases {
        for f in hex_migrate::sql::translate(sql, &opts).findings {
            if f.severity != hex_migrate::sql::finding::Severity::Error {
                continue;
            }
            errors += 1;
            if !tells_what_to_do(&f.message, f.suggestion.as_deref()) {
                vague
                    .entry(f.code)
                    .or_default()
                    .push(format!("{id}: {}", f.message));
            }
        }
    }
    assert!(
        errors > 50,
        "only {errors} error findings: the corpus is not being translated"
    );
    let unexpected: Vec<String> = vague
        .iter()
        .flat_map(|(code, msgs)| msgs.iter().map(move |m| format!("{code} {m}")))
        .collect();
    assert!(
        unexpected.is_empty(),
        "error findings that do not say what to write instead:\n{}",
        unexpected.join("\n")
    );
}

#[test]
fn vague_and_concrete_messages_are_told_apart() {
    assert!(!tells_what_to_do(
        "Databricks timestamps have no time zone field",
        None
    ));
    assert!(!tells_what_to_do(
        "TO_CHAR format 'J': `J` has no Java pattern; translate by hand",
        None
    ));
    assert!(tells_what_to_do(
        "LOCK has no Databricks equivalent; remove it",
        None
    ));
    assert!(tells_what_to_do(
        "write `div` for integers, or cast one side to decimal",
        None
    ));
    assert!(tells_what_to_do("no equivalent", Some("coalesce(a, b)")));
}
