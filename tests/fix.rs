//! `hex-migrate fix`, driven through the real binary: on the real Hex export with the real table
//! mapping, and on small notebooks written here for the edge cases (bad input, idempotence,
//! configuration discovery, connection swaps).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use hex_migrate::mappings::{ConflictPolicy, TableMap};
use hex_migrate::notebook;

#[path = "support/hex.rs"]
mod support;

const OLD_EXT: &str = "63ebcea0-017f-4bcf-b58a-a2340a75845f";
const OLD_RAW: &str = "e2694948-2c20-47d3-b127-71448e2bf238";
const NEW_A: &str = "0b5e0b5e-0000-4000-8000-00000000000a";
const NEW_B: &str = "0b5e0b5e-0000-4000-8000-00000000000b";

/// `../shared` holding `real-world` (or `HEX_MIGRATE_SHARED`), or `None` with a printed notice.
fn shared() -> Option<PathBuf> {
    let found = support::shared_with("real-world");
    if found.is_none() {
        eprintln!("notice: ../shared not found; skipping the real-world test");
    }
    found
}

fn hex_migrate(args: &[&str], cwd: &Path) -> (i32, String, String) {
    support::run_in(cwd, args)
}

/// The file with every SQL source scalar and every connection id blanked out: what must not
/// change when SQL is rewritten and connections swapped.
fn skeleton(path: &Path, text: &str) -> String {
    let nb = notebook::parse(path, text).expect("parses");
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    for c in &nb.sql_cells {
        ranges.push(c.source.range.clone());
        if let Some(conn) = &c.connection {
            ranges.push(conn.range.clone());
        }
    }
    for a in &nb.connections {
        ranges.push(a.range.clone());
    }
    ranges.sort_by_key(|r| r.start);
    let mut out = String::new();
    let mut at = 0;
    for r in ranges {
        out.push_str(&text[at..r.start]);
        out.push_str("<>");
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// `schema.table` references after FROM/JOIN, comments removed, in the export's warehouse
/// schemas (`prod_*`, `raw_*`: this keeps out `EXTRACT(… FROM alias.column)`).
fn two_part_refs(sql: &str) -> Vec<String> {
    let no_comments: String = sql
        .lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let re =
        regex::Regex::new(r"(?i)\b(?:from|join)\s+([a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*)\b(\.)?")
            .unwrap();
    re.captures_iter(&no_comments)
        .filter(|c| c.get(2).is_none())
        .map(|c| c[1].to_lowercase())
        .filter(|name| name.starts_with("prod_") || name.starts_with("raw_"))
        .collect()
}

#[test]
fn real_export_with_real_mapping() {
    let Some(shared) = shared() else { return };
    let src = shared.join("real-world/hex/Search QPR - WIP.yaml");
    let csv = shared.join("real-world/mappings/table-mapping.csv");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Search QPR - WIP.yaml");
    std::fs::copy(&src, &file).unwrap();
    let input = std::fs::read_to_string(&file).unwrap();
    let csv_arg = csv.to_str().unwrap();
    let conn_a = format!("{OLD_EXT}={NEW_A}");
    let conn_b = format!("{OLD_RAW}={NEW_B}");
    let args = [
        "fix",
        "--tables",
        csv_arg,
        "--on-conflict",
        "unmapped",
        "--connection",
        &conn_a,
        "--connection",
        &conn_b,
        ".",
    ];

    // The real mapping gives 177 tables two or three targets: by default that is an error
    // naming the lines, and nothing is written.
    let strict = [
        "fix",
        "--tables",
        csv_arg,
        "--connection",
        &conn_a,
        "--connection",
        &conn_b,
        ".",
    ];
    let (code, _, err) = hex_migrate(&strict, dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("table-mapping.csv:14: tables mapped to different targets"),
        "{err}"
    );
    assert!(
        err.contains("line 13 maps it to `standardized.common.application`"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), input);

    let (code, _, err) = hex_migrate(&args, dir.path());
    assert_eq!(code, 0, "{err}");
    let output = std::fs::read_to_string(&file).unwrap();
    assert_ne!(output, input);

    // Bytes outside the SQL scalars and connection ids are identical.
    assert_eq!(skeleton(&file, &input), skeleton(&file, &output));

    // Connection ids swapped everywhere, in cells and assets.
    assert!(!output.contains(OLD_EXT) && !output.contains(OLD_RAW));
    assert!(output.contains(NEW_A) && output.contains(NEW_B));
    // Hex's comments are kept when no new name is asked for.
    assert!(output.contains(&format!(
        "- dataConnectionId: {NEW_A} # Redshift (with external tables) (redshift)"
    )));

    let mut map = TableMap::default();
    map.add_csv(
        &csv,
        &std::fs::read(&csv).unwrap(),
        ConflictPolicy::Unmapped,
    )
    .unwrap();
    let before = notebook::parse(&file, &input).unwrap();
    let after = notebook::parse(&file, &output).unwrap();
    assert_eq!(before.sql_cells.len(), after.sql_cells.len());
    let mut mapped_seen = 0;
    let mut unmapped_expected = HashSet::new();
    for (b, a) in before.sql_cells.iter().zip(&after.sql_cells) {
        if b.dataframe {
            assert_eq!(a.source.value, b.source.value, "dataframe cell changed");
            continue;
        }
        for r in two_part_refs(&b.source.value) {
            let parts: Vec<&str> = r.split('.').collect();
            match map.lookup(&parts) {
                Some(target) => {
                    mapped_seen += 1;
                    assert!(
                        a.source.value.to_lowercase().contains(&target),
                        "{r} → {target} missing in:\n{}",
                        a.source.value
                    );
                }
                None => {
                    unmapped_expected.insert(r);
                }
            }
        }
        // No mapped two-part name survives.
        for r in two_part_refs(&a.source.value) {
            let parts: Vec<&str> = r.split('.').collect();
            assert!(map.lookup(&parts).is_none(), "{r} left unmapped");
        }
    }
    assert!(mapped_seen > 50, "only {mapped_seen} mapped references");

    // The report (on the original) lists every unmapped table, and only unmappable names.
    std::fs::write(&file, &input).unwrap();
    let mut report_args = vec!["report", "--format", "json"];
    report_args.extend(&args[1..]);
    let (code, json, err) = hex_migrate(&report_args, dir.path());
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let listed: HashSet<String> = v["unmapped_tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["table"].as_str().unwrap().to_string())
        .collect();
    for t in &unmapped_expected {
        assert!(
            listed.contains(t),
            "{t} not reported; report has {listed:?}"
        );
    }
    for t in &listed {
        let parts: Vec<&str> = t.split('.').collect();
        assert!(map.lookup(&parts).is_none(), "{t} reported but mapped");
    }
    assert!(!unmapped_expected.is_empty());

    // The report wrote nothing; `--check` on the original says it needs fixing and writes
    // nothing either.
    assert_eq!(std::fs::read_to_string(&file).unwrap(), input);
    let check = [&["fix", "--check"][..], &args[1..]].concat();
    let (code, out, err) = hex_migrate(&check, dir.path());
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), input);
    // Fixing, then fixing again: the second run changes nothing.
    let (code, _, err) = hex_migrate(&args, dir.path());
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), output);
    let (code, out, err) = hex_migrate(&check, dir.path());
    assert_eq!(code, 0, "second run would change: {out}{err}");
}

const NOTEBOOK: &str = r#"schemaVersion: 3
meta:
  projectId: 11111111-1111-4111-8111-111111111111 # DO NOT CHANGE - Unique ID of the project from which this file was generated
  title: Small
projectAssets:
  dataConnections: []
sharedAssets:
  dataConnections:
    - dataConnectionId: aaaaaaaa-0000-4000-8000-000000000001 # Warehouse (redshift)
    - dataConnectionId: aaaaaaaa-0000-4000-8000-000000000002 # Raw (redshift)
cells:
  - cellType: SQL
    cellId: c1 # DO NOT CHANGE - Hex uses this to match up cells
    cellLabel: Orders
    config:
      source: |-
        select o.id from sales.orders o join previous p on p.id = o.id
      dataFrameCell: false
      dataConnectionId: aaaaaaaa-0000-4000-8000-000000000001
      resultVariableName: orders
  - cellType: SQL
    cellId: c2
    cellLabel: Previous
    config:
      source: select * from orders
      dataFrameCell: true
      dataConnectionId: null
      resultVariableName: previous
  - cellType: SQL
    cellId: c3
    cellLabel: Raw
    config:
      source: select * from raw.events
      dataFrameCell: false
      dataConnectionId: aaaaaaaa-0000-4000-8000-000000000002
      resultVariableName: events
"#;

const TABLES: &str = "Redshift Table,Databricks Table\nsales.orders,main.sales.orders\n";

fn small_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::create_dir(dir.path().join("notebooks")).unwrap();
    std::fs::write(dir.path().join("notebooks/small.yaml"), NOTEBOOK).unwrap();
    std::fs::write(dir.path().join("tables.csv"), TABLES).unwrap();
    dir
}

#[test]
fn diff_and_check_write_nothing() {
    let dir = small_project();
    let nb = dir.path().join("notebooks/small.yaml");
    let (code, out, err) = hex_migrate(
        &["fix", "--diff", "--tables", "tables.csv", "notebooks"],
        dir.path(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        out.lines()
            .any(|l| l.starts_with('-') && l.contains("select o.id from sales.orders o")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with('+') && l.contains("select o.id from main.sales.orders o")),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&nb).unwrap(), NOTEBOOK);
    let (code, out, _) = hex_migrate(
        &["fix", "--check", "--tables", "tables.csv", "notebooks"],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(out.contains("would fix notebooks/small.yaml"), "{out}");
    assert_eq!(std::fs::read_to_string(&nb).unwrap(), NOTEBOOK);
}

#[test]
fn config_at_the_repository_root_is_found_from_a_subdirectory() {
    let dir = small_project();
    std::fs::write(
        dir.path().join(".hex-migrate.yaml"),
        "mappings:\n  tables: tables.csv\nconnections:\n  \
         - from: aaaaaaaa-0000-4000-8000-000000000001\n    to: bbbbbbbb-0000-4000-8000-000000000001\n    name: Databricks SQL\n  \
         - from: aaaaaaaa-0000-4000-8000-000000000002\n    to: bbbbbbbb-0000-4000-8000-000000000001\n",
    )
    .unwrap();
    let sub = dir.path().join("notebooks");
    let (code, _, err) = hex_migrate(&["fix", "."], &sub);
    assert_eq!(code, 0, "{err}");
    let out = std::fs::read_to_string(sub.join("small.yaml")).unwrap();
    // Tables mapped; the chained-SQL name `previous` and the dataframe cell are left alone.
    assert!(
        out.contains("select o.id from main.sales.orders o join previous p"),
        "{out}"
    );
    assert!(out.contains("      source: select * from orders\n"));
    // Both Redshift connections moved to one Databricks connection: one asset entry, renamed.
    assert!(out.contains(
        "  dataConnections:\n    - dataConnectionId: bbbbbbbb-0000-4000-8000-000000000001 # Databricks SQL (databricks)\ncells:"
    ), "{out}");
    assert!(!out.contains("aaaaaaaa-"), "{out}");
    assert!(out.contains("# DO NOT CHANGE - Unique ID of the project"));
    // A second run changes nothing.
    let (code, _, err) = hex_migrate(&["fix", "--check", "."], &sub);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn bad_mapping_or_config_is_exit_2_and_writes_nothing() {
    let dir = small_project();
    let nb = dir.path().join("notebooks/small.yaml");
    let cases: [(&str, &str, &str); 4] = [
        (
            "bad.csv",
            "Redshift Table,Databricks Table\nsales.orders\n",
            "bad.csv:2: missing column `Databricks Table`",
        ),
        (
            "dup.csv",
            "Redshift Table,Databricks Table\na.b,c.d.e\nA.B,c.d.f\n",
            "dup.csv:3: tables mapped to different targets",
        ),
        (
            "latin1.csv",
            "Redshift Table,Databricks Table\na.b,c.d.\u{e9}\n",
            "latin1.csv:2: not valid UTF-8",
        ),
        (
            "header.csv",
            "from,to\na.b,c.d.e\n",
            "header.csv:1: unrecognised header",
        ),
    ];
    for (name, text, needle) in cases {
        let bytes = if name == "latin1.csv" {
            text.replace('\u{e9}', "\u{0}")
                .into_bytes()
                .into_iter()
                .map(|b| if b == 0 { 0xe9 } else { b })
                .collect()
        } else {
            text.as_bytes().to_vec()
        };
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let (code, _, err) = hex_migrate(&["fix", "--tables", name, "notebooks"], dir.path());
        assert_eq!(code, 2, "{name}: {err}");
        assert!(err.contains(needle), "{name}: {err}");
        assert_eq!(std::fs::read_to_string(&nb).unwrap(), NOTEBOOK);
    }
    std::fs::write(
        dir.path().join(".hex-migrate.yaml"),
        "mappings:\n  tables: tables.csv\nrules:\n  disabled: [RS101]\n",
    )
    .unwrap();
    let (code, _, err) = hex_migrate(&["fix", "notebooks"], dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(".hex-migrate.yaml:4: "), "{err}");
    assert!(err.contains("unknown field `disabled`"), "{err}");
    assert_eq!(std::fs::read_to_string(&nb).unwrap(), NOTEBOOK);
    let (code, _, err) = hex_migrate(
        &["fix", "--connection", "nonsense", "notebooks"],
        dir.path(),
    );
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_bad_notebook_does_not_stop_the_others() {
    let dir = small_project();
    let broken = "schemaVersion: 3\nmeta:\n  title: Broken\ncells:\n  - cellType: SQL\n    config:\n      source: \"unterminated\n";
    std::fs::write(dir.path().join("notebooks/broken.yaml"), broken).unwrap();
    std::fs::write(dir.path().join("notebooks/readme.yaml"), "just: yaml\n").unwrap();
    let (code, _, err) = hex_migrate(&["fix", "--tables", "tables.csv", "notebooks"], dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("broken.yaml:"), "{err}");
    let fixed = std::fs::read_to_string(dir.path().join("notebooks/small.yaml")).unwrap();
    assert!(fixed.contains("main.sales.orders"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notebooks/broken.yaml")).unwrap(),
        broken
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notebooks/readme.yaml")).unwrap(),
        "just: yaml\n"
    );
}

#[test]
fn configured_size_limit_applies_to_directory_walks() {
    // Discovery reads files to recognise them; it must use the configured limit, not the
    // built-in 20 MiB, or a notebook the config allows is rejected before it is read.
    let dir = small_project();
    let big = format!("{NOTEBOOK}# {}\n", "x".repeat(21 * 1024 * 1024));
    std::fs::write(dir.path().join("notebooks/small.yaml"), &big).unwrap();
    std::fs::write(
        dir.path().join(".hex-migrate.yaml"),
        "max_file_size: 64 MiB\n",
    )
    .unwrap();
    let (code, out, err) = hex_migrate(
        &["fix", "--check", "--tables", "tables.csv", "notebooks"],
        dir.path(),
    );
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("would fix notebooks/small.yaml"), "{out}");
}

/// Checks a mapping file `csv` (in the project's root) is applied to `notebook` (a path relative
/// to `dir`) both from the command-line `flag` (`fix --diff` shows the rewritten `source:` line,
/// `fixed`) and from the configuration key `mappings.<key>`, resolved against the
/// configuration's directory (`fix` writes it).
fn assert_mapping_applied(
    dir: &Path,
    notebook: &str,
    (flag, key, csv): (&str, &str, &str),
    fixed: &str,
) {
    let before = std::fs::read_to_string(dir.join(notebook)).unwrap();
    let (code, out, err) = hex_migrate(&["fix", "--diff", flag, csv, notebook], dir);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains(&format!("+      source: {fixed}")), "{out}");
    // `--diff` writes nothing.
    assert_eq!(std::fs::read_to_string(dir.join(notebook)).unwrap(), before);
    std::fs::write(
        dir.join(".hex-migrate.yaml"),
        format!("mappings:\n  {key}: {csv}\n"),
    )
    .unwrap();
    let (code, _, err) = hex_migrate(&["fix", notebook], dir);
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read_to_string(dir.join(notebook)).unwrap();
    assert!(written.contains(&format!("source: {fixed}")), "{written}");
}

/// A notebook whose division is exact only with column types.
const TYPED_NOTEBOOK: &str = r#"schemaVersion: 1
meta:
  title: Typed
cells:
  - cellType: SQL
    cellId: t1
    cellLabel: Conversion
    config:
      source: select o.buyers / o.visitors as conv from sales.funnel o
      dataFrameCell: false
      dataConnectionId: null
      resultVariableName: conv
"#;

#[test]
fn column_types_from_config_or_flag_make_integer_division_exact() {
    let dir = small_project();
    let nb = dir.path().join("notebooks/typed.yaml");
    std::fs::write(&nb, TYPED_NOTEBOOK).unwrap();
    std::fs::write(
        dir.path().join("columns.csv"),
        "table_schema,table_name,column_name,data_type\n\
         sales,funnel,buyers,integer\nsales,funnel,visitors,integer\n",
    )
    .unwrap();
    // Without types the division is reported and not rewritten.
    let (code, out, err) = hex_migrate(&["check", "notebooks/typed.yaml"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(format!("{out}{err}").contains("RS601"), "{out}{err}");
    let (_, _, _) = hex_migrate(&["fix", "notebooks/typed.yaml"], dir.path());
    assert_eq!(std::fs::read_to_string(&nb).unwrap(), TYPED_NOTEBOOK);
    assert_mapping_applied(
        dir.path(),
        "notebooks/typed.yaml",
        ("--column-types", "column_types", "columns.csv"),
        "select o.buyers div o.visitors as conv",
    );
    // A bad row is exit 2 naming the file and line.
    std::fs::write(
        dir.path().join("bad-columns.csv"),
        "table_name,column_name,data_type\nfunnel,buyers,integer\nfunnel,,integer\n",
    )
    .unwrap();
    let (code, _, err) = hex_migrate(
        &["check", "--column-types", "bad-columns.csv", "notebooks"],
        dir.path(),
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("bad-columns.csv:3: missing `column_name`"),
        "{err}"
    );
}

const UDF_NOTEBOOK: &str = r#"schemaVersion: 1
meta:
  title: Udf
cells:
  - cellType: SQL
    cellId: u1
    cellLabel: Clean
    config:
      source: select analytics.f_clean_email(email), f_shape(x) from sales.orders
      dataFrameCell: false
      dataConnectionId: null
      resultVariableName: clean
"#;

#[test]
fn function_mapping_renames_are_applied_from_config_or_flag() {
    let dir = small_project();
    let nb = dir.path().join("notebooks/udf.yaml");
    std::fs::write(&nb, UDF_NOTEBOOK).unwrap();
    std::fs::write(
        dir.path().join("functions.csv"),
        "redshift_function,databricks_function,syntax_change,compatibility_notes\n\
         analytics.f_clean_email,main.udf.clean_email,false,\n\
         f_shape,main.udf.shape,true,arguments reordered: translate by hand\n",
    )
    .unwrap();
    // Without a mapping the UDF calls stay as they are.
    let (code, out, err) = hex_migrate(&["fix", "--diff", "notebooks/udf.yaml"], dir.path());
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(std::fs::read_to_string(&nb).unwrap(), UDF_NOTEBOOK);
    // The rename row applies, the advice row does not.
    assert_mapping_applied(
        dir.path(),
        "notebooks/udf.yaml",
        ("--functions", "functions", "functions.csv"),
        "select main.udf.clean_email(email), f_shape(x) from sales.orders",
    );
    // A missing mapping file is exit 2 naming it.
    let (code, _, err) = hex_migrate(
        &["check", "--functions", "missing.csv", "notebooks"],
        dir.path(),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("missing.csv"), "{err}");
}
