//! Corpus properties of the SQL translation engine: no panic, idempotence, every translated
//! statement parses again, Jinja byte-identical, and a bounded fuzz of token soups and truncations.

use hex_migrate::sql::{translate, TranslateOptions, Translation};
use proptest::prelude::*;
use sqlparser::dialect::{DatabricksDialect, Dialect, GenericDialect, RedshiftSqlDialect};
use sqlparser::parser::Parser;

#[path = "support/hex.rs"]
mod support;

/// The probe corpus split on `-- @@` markers: (id, sql).
fn probe_corpus() -> Vec<(String, String)> {
    let Some(dir) = support::shared() else {
        eprintln!("notice: shared directory not found; probe corpus tests skipped");
        return Vec::new();
    };
    let Ok(text) = std::fs::read_to_string(dir.join("reference/probe-queries.sql")) else {
        eprintln!("notice: probe-queries.sql not found; probe corpus tests skipped");
        return Vec::new();
    };
    let mut out = Vec::new();
    for chunk in text.split("-- @@ ").skip(1) {
        let (head, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
        let id = head.split(':').next().unwrap_or(head).trim().to_string();
        out.push((id, body.to_string()));
    }
    out
}

/// Our own cases, beyond the probe corpus: comments, Jinja, nesting, odd spacing.
const OWN: &[&str] = &[
    "SELECT NVL(a, NVL(b, GETDATE())) -- c\nFROM t ORDER BY 1",
    "select dateadd(m,1,getdate()),DATEADD( 'mon' , -1 , sysdate )from t",
    "SELECT \"Col\" FROM \"Sch\".\"Tab\" WHERE \"x\" = 'a \"b\"'",
    "SELECT {{ a }}, NVL({{ b }}, 0) FROM {{ ref('t') }} {% if c %}WHERE d{% endif %}",
    "SELECT 1; ; SELECT GETDATE();",
    "/* only a comment */",
    "",
    "SELECT 'naïve café', NVL(größe, 0) FROM \"Bestände\".lager WHERE note ILIKE '%日本%'",
    "SELECT DATEADD(day, 1, x) FROM t -- hex-migrate: ignore[RS103]",
];

fn all_cases() -> Vec<(String, String)> {
    let mut v = probe_corpus();
    for (i, s) in OWN.iter().enumerate() {
        v.push((format!("own{i}"), s.to_string()));
    }
    v
}

fn parses(sql: &str, dialect: &dyn Dialect) -> bool {
    let masked = hex_migrate::sql::jinja::mask(sql);
    Parser::new(dialect)
        .with_recursion_limit(96)
        .try_with_sql(&masked.text)
        .and_then(|mut p| p.parse_statements())
        .is_ok()
}

#[test]
fn translation_is_idempotent_over_the_corpus() {
    for (id, sql) in all_cases() {
        let once = translate(&sql, &TranslateOptions::default());
        let twice = translate(&once.output, &TranslateOptions::default());
        assert_eq!(
            twice.output, once.output,
            "{id}: translating the output changed it"
        );
        assert!(
            twice.findings.iter().all(|f| !f.applied),
            "{id}: second pass applied {:?}",
            twice.findings
        );
    }
}

#[test]
fn no_output_fails_to_reparse() {
    for (id, sql) in all_cases() {
        let t: Translation = translate(&sql, &TranslateOptions::default());
        assert!(
            t.findings.iter().all(|f| f.code != "RS902"),
            "{id}: a rewrite produced SQL that does not parse: {:?}",
            t.findings
        );
        if t.output != sql && t.findings.iter().all(|f| f.code != "RS901") {
            let ok = parses(&t.output, &DatabricksDialect {})
                || parses(&t.output, &GenericDialect {})
                || (!parses(&sql, &GenericDialect {}) && parses(&t.output, &RedshiftSqlDialect {}));
            assert!(ok, "{id}: output does not parse:\n{}", t.output);
        }
    }
}

#[test]
fn findings_point_into_the_input_and_jinja_is_kept() {
    for (id, sql) in all_cases() {
        let t = translate(&sql, &TranslateOptions::default());
        for f in &t.findings {
            assert!(
                f.span.start <= f.span.end && f.span.end <= sql.len(),
                "{id}: span {:?} outside the input",
                f.span
            );
            assert!(sql.is_char_boundary(f.span.start) && sql.is_char_boundary(f.span.end));
        }
        let tags = |s: &str| {
            hex_migrate::sql::jinja::mask(s)
                .regions
                .iter()
                .map(|r| s[r.clone()].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(tags(&t.output), tags(&sql), "{id}: Jinja changed");
    }
}

const SOUP: &[&str] = &[
    "SELECT", "FROM", "WHERE", "(", ")", ",", ";", "::", "NVL", "GETDATE", "DATEADD", "day", "'m'",
    "\"q\"", "`b`", "1", "-", "/", "*", "{{", "}}", "{%", "%}", "{#", "#}", "--", "\n", " ", "'",
    "ORDER", "BY", "DESC", "NULLS", "OVER", "WITHIN", "GROUP", "CAST", "AS", "varchar", "[", "]",
    "TOP", "10", "x", "t.y", "CASE", "WHEN", "THEN", "END", "é", "日本", "/*", "*/", "$$",
    "ENCODE", "SORTKEY", "DISTKEY", "INTERVAL", "'7 days'", "TRUNC", "DATEDIFF", "LISTAGG", "~",
    "!~*",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn token_soups_never_panic(parts in proptest::collection::vec(0..SOUP.len(), 0..40)) {
        let sql: String = parts.iter().map(|&i| SOUP[i]).collect::<Vec<_>>().join(" ");
        let t = translate(&sql, &TranslateOptions::default());
        for f in &t.findings {
            prop_assert!(f.span.end <= sql.len());
        }
    }

    #[test]
    fn truncated_corpus_entries_never_panic(pick in 0usize..10_000, cut in 0usize..10_000) {
        let cases = all_cases();
        prop_assume!(!cases.is_empty());
        let (_, sql) = &cases[pick % cases.len()];
        let mut at = cut % (sql.len() + 1);
        while !sql.is_char_boundary(at) {
            at -= 1;
        }
        let t = translate(&sql[..at], &TranslateOptions::default());
        prop_assert!(t.findings.iter().all(|f| f.span.end <= at));
    }
}

fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_hex-migrate"))
}

fn run_sql(args: &[&str], stdin: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = bin()
        .arg("sql")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run hex-migrate");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn sql_command_json_shape_and_exit_codes() {
    let (code, out, _) = run_sql(&["--format", "json"], "SELECT NVL(a, b)\nFROM t");
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["sql"], "SELECT coalesce(a, b)\nFROM t");
    assert_eq!(v["changed"], true);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "RS301");
    assert_eq!(d["severity"], "info");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(1), Some(8))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(1), Some(17))
    );

    // An error finding remains: exit 1; text mode puts SQL on stdout, findings on stderr.
    let (code, out, err) = run_sql(&[], "SELECT a / b FROM t");
    assert_eq!(code, 1);
    assert_eq!(out, "SELECT a / b FROM t");
    assert!(err.contains("<stdin>:1:8: RS601 error"), "{err}");

    // Bad input: exit 2.
    let out = bin()
        .args(["sql", "/nonexistent/x.sql"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sql_command_takes_column_types_and_tables() {
    let dir = tempfile::tempdir().unwrap();
    let cols = dir.path().join("cols.csv");
    std::fs::write(
        &cols,
        "table_name,column_name,data_type\nt,a,integer\nt,b,bigint\nt,c,\"numeric(9,2)\"\n",
    )
    .unwrap();
    let tables = dir.path().join("tables.csv");
    std::fs::write(&tables, "Redshift Table,Databricks Table\ns.t,main.s.t\n").unwrap();
    let cols = cols.to_str().unwrap();
    let (code, out, err) = run_sql(
        &["--column-types", cols, "--tables", tables.to_str().unwrap()],
        "SELECT a / b, c / a FROM s.t",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "SELECT a div b, c / a FROM main.s.t");
    // Databricks SQL already names Databricks tables and columns: the mappings are not applied,
    // as for a notebook's Databricks cells.
    let (code, out, err) = run_sql(
        &[
            "--dialect",
            "databricks",
            "--column-types",
            cols,
            "--tables",
            tables.to_str().unwrap(),
        ],
        "SELECT a / b FROM s.t",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "SELECT a / b FROM s.t");
    // A CTE passes its columns' types on; a UNION's are unknown: still reported.
    let (code, out, _) = run_sql(
        &["--column-types", cols],
        "WITH x AS (SELECT a, b FROM t) SELECT a / b FROM x",
    );
    assert_eq!(code, 0);
    assert_eq!(out, "WITH x AS (SELECT a, b FROM t) SELECT a div b FROM x");
    let union = "WITH x AS (SELECT a, b FROM t UNION SELECT 1, 2) SELECT a / b FROM x";
    let (code, out, _) = run_sql(&["--column-types", cols], union);
    assert_eq!(code, 1);
    assert_eq!(out, union);
    let (code, _, err) = run_sql(&["--column-types", "/nonexistent/c.csv"], "SELECT 1");
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/c.csv"), "{err}");
}

#[test]
fn rules_command_lists_and_documents() {
    let out = bin().arg("rules").output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list
        .lines()
        .any(|l| l.starts_with("RS103  dateadd") && l.contains("exact")));
    let out = bin().args(["rules", "rs104"]).output().expect("run");
    let doc = String::from_utf8_lossy(&out.stdout);
    assert!(
        doc.contains("## Example")
            && doc.contains("## Use instead")
            && doc.contains("DATEDIFF(month")
    );
    let out = bin().args(["rules", "RS999"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
}

/// `hex-migrate sql big.sql | head -1`: the reader goes away after one line. The process must
/// end quietly (killed by SIGPIPE, like `cat`), not panic with "failed printing to stdout". The
/// output is larger than a pipe's buffer, so the write after the reader left is certain.
#[cfg(unix)]
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.sql");
    std::fs::write(&input, "SELECT NVL(a, 1) FROM t;\n".repeat(5_000)).unwrap();
    let mut child = bin()
        .arg("sql")
        .arg(&input)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first, "SELECT coalesce(a, 1) FROM t;\n");
    // The reader is dropped here; the rest of the output hits a closed pipe.
    let status = child.wait().unwrap();
    const SIGPIPE: i32 = 13; // Linux and the BSDs
    assert_eq!(status.signal(), Some(SIGPIPE), "{status:?}");
}
