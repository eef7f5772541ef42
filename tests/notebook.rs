//! The notebook engine against real and example Hex files: byte-exact round trips, Hex's scalar
//! style, splicing arbitrary SQL, and bad input.

use std::path::{Path, PathBuf};

use hex_migrate::notebook::{self, choose_style, emit_scalar, NotebookError, ScalarStyle, Splice};

#[path = "support/hex.rs"]
mod support;

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("notice: {} not found", dir.display());
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    out.sort();
    out
}

/// Every notebook the tests run on: the shared examples, the real export, and ours.
fn corpus() -> Vec<PathBuf> {
    let mut files = yaml_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"));
    match support::shared() {
        Some(shared) => {
            files.extend(yaml_files(&shared.join("examples")));
            files.extend(yaml_files(&shared.join("real-world/hex")));
        }
        None => eprintln!("notice: ../shared not found; testing bundled examples only"),
    }
    files
}

fn real_export() -> Option<PathBuf> {
    let dir = support::shared()?.join("real-world/hex");
    let files = yaml_files(&dir);
    if files.is_empty() {
        eprintln!("notice: no real export under {}", dir.display());
    }
    files.into_iter().next()
}

fn load(path: &Path) -> (String, notebook::Notebook) {
    let text = notebook::read(path, notebook::DEFAULT_SIZE_LIMIT).unwrap();
    let nb = notebook::parse(path, &text).unwrap_or_else(|e| panic!("{e}"));
    (text, nb)
}

#[test]
fn own_values_splice_back_byte_identical() {
    let files = corpus();
    assert!(!files.is_empty());
    for path in files {
        let (text, nb) = load(&path);
        assert!(notebook::is_hex(&text), "{}", path.display());
        assert!(!nb.sql_cells.is_empty(), "{} has no SQL", path.display());
        let splices: Vec<Splice> = nb
            .sql_cells
            .iter()
            .enumerate()
            .flat_map(|(i, c)| {
                let mut v = vec![Splice::Source {
                    cell: i,
                    value: c.source.value.clone(),
                }];
                if let Some(conn) = &c.connection {
                    v.push(Splice::Scalar {
                        range: conn.range.clone(),
                        text: conn.id.clone(),
                    });
                }
                v
            })
            .collect();
        assert_eq!(
            notebook::splice(&text, &nb, &splices),
            text,
            "{}",
            path.display()
        );
    }
}

/// Every `source` value in the files (SQL and Markdown), with the bytes it occupies. Parsed by
/// treating every cell as SQL: rename `cellType: MARKDOWN` to SQL for the parse.
fn all_sources(text: &str, path: &Path) -> Vec<(String, String, usize)> {
    let as_sql = text.replace("cellType: MARKDOWN", "cellType: SQL    ");
    let nb = notebook::parse(path, &as_sql).unwrap();
    nb.sql_cells
        .iter()
        .map(|c| {
            (
                c.source.value.clone(),
                as_sql[c.source.range.clone()].to_string(),
                c.source.key_indent,
            )
        })
        .collect()
}

fn header_style(raw: &str) -> ScalarStyle {
    match raw.as_bytes()[0] {
        b'|' => ScalarStyle::Literal,
        b'>' => ScalarStyle::Folded,
        b'"' => ScalarStyle::DoubleQuoted,
        b'\'' => ScalarStyle::SingleQuoted,
        _ => ScalarStyle::Plain,
    }
}

#[test]
fn chosen_style_and_bytes_match_what_hex_wrote() {
    let mut checked = 0;
    for path in corpus() {
        let text = std::fs::read_to_string(&path).unwrap();
        for (value, raw, indent) in all_sources(&text, &path) {
            let header = raw.lines().next().unwrap();
            assert_eq!(
                choose_style(&value),
                header_style(&raw),
                "{}: header {header:?}",
                path.display()
            );
            // Not just the style: the whole scalar comes out as Hex wrote it.
            assert_eq!(emit_scalar(&value, indent), raw, "{}", path.display());
            checked += 1;
        }
    }
    assert!(checked > 0);
}

#[test]
fn real_export_has_the_documented_cells() {
    let Some(path) = real_export() else {
        eprintln!("notice: real export not found; skipping");
        return;
    };
    let (text, nb) = load(&path);
    assert_eq!(nb.sql_cells.len(), 35);
    let sources = all_sources(&text, &path);
    let mut counts = std::collections::BTreeMap::new();
    for (_, raw, _) in &sources {
        let header = raw.lines().next().unwrap();
        let key = match header_style(raw) {
            ScalarStyle::Literal => header.to_string(),
            other => format!("{other:?}"),
        };
        *counts.entry(key).or_insert(0) += 1;
    }
    assert_eq!(sources.len(), 43, "{counts:?}");
    // Every warehouse cell's connection is listed with a name and a type.
    for cell in nb.sql_cells.iter().filter(|c| !c.dataframe) {
        let asset = nb.cell_connection(cell).expect("listed connection");
        assert_eq!(asset.kind.as_deref(), Some("redshift"));
        assert!(asset.name.as_deref().unwrap().starts_with("Redshift ("));
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn bad_input_errors_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let invalid = write(
        dir.path(),
        "invalid.yaml",
        b"schemaVersion: 3\nmeta: {}\ncells:\n  - cellType: SQL\n    config: {source: [}\n",
    );
    let text = notebook::read(&invalid, notebook::DEFAULT_SIZE_LIMIT).unwrap();
    let err = notebook::parse(&invalid, &text).unwrap_err();
    assert!(
        matches!(err, NotebookError::Yaml { line: 5, .. }),
        "{err:?}"
    );
    assert!(err
        .to_string()
        .starts_with(&format!("{}:5:", invalid.display())));

    let bomb = "schemaVersion: 3\nmeta: {}\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\ncells: *h\n";
    let err = notebook::parse(Path::new("bomb.yaml"), bomb).unwrap_err();
    assert!(
        matches!(err, NotebookError::Malformed { line: 11, .. }),
        "{err:?}"
    );

    let err = notebook::parse(
        Path::new("list.yaml"),
        "schemaVersion: 3\nmeta: {}\ncells:\n  cellType: SQL\n",
    )
    .unwrap_err();
    assert!(
        matches!(err, NotebookError::Malformed { line: 4, .. }),
        "{err:?}"
    );
}

#[test]
fn line_map_points_at_each_sql_character_in_the_file() {
    let mut checked = 0;
    for path in corpus() {
        let (text, nb) = load(&path);
        let file_lines: Vec<Vec<char>> = text.split('\n').map(|l| l.chars().collect()).collect();
        for cell in &nb.sql_cells {
            let map = notebook::LineMap::new(&text, cell);
            assert!(map.is_exact(), "{}:{}", path.display(), cell.line);
            for (li, sql_line) in cell.source.value.split('\n').enumerate() {
                for (ci, c) in sql_line.chars().enumerate() {
                    if c.is_whitespace() {
                        continue;
                    }
                    let (fl, fc) = map.map(li + 1, ci + 1);
                    let found = file_lines[fl - 1][fc - 1];
                    assert!(
                        found == c || found == '\\',
                        "{}: SQL {}:{} is {c:?}, file {fl}:{fc} is {found:?}",
                        path.display(),
                        li + 1,
                        ci + 1
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000);
}

// ---------------------------------------------------------------------------------------------
// Splicing arbitrary SQL: the result loads (with an independent YAML reader) with exactly the
// new text, every other value unchanged, and every byte outside the scalar unchanged.

mod splice_props {
    use super::*;
    use proptest::prelude::*;
    use serde_yaml_ng::Value;
    use std::sync::OnceLock;

    struct Doc {
        path: PathBuf,
        text: String,
        nb: notebook::Notebook,
        value: Value,
    }

    fn docs() -> &'static [Doc] {
        static DOCS: OnceLock<Vec<Doc>> = OnceLock::new();
        DOCS.get_or_init(|| {
            corpus()
                .into_iter()
                .map(|path| {
                    let (text, nb) = load(&path);
                    let value = serde_yaml_ng::from_str(&text).unwrap();
                    Doc {
                        path,
                        text,
                        nb,
                        value,
                    }
                })
                .collect()
        })
    }

    /// The `source` values of SQL cells in document order, nested cells included, as mutable
    /// references into a loaded document.
    fn sql_sources(v: &mut Value) -> Vec<&mut Value> {
        fn cells<'a>(list: &'a mut Value, out: &mut Vec<&'a mut Value>) {
            let Some(seq) = list.as_sequence_mut() else {
                return;
            };
            for cell in seq {
                let is_sql = cell.get("cellType").and_then(Value::as_str) == Some("SQL");
                let Some(config) = cell.get_mut("config") else {
                    continue;
                };
                if is_sql {
                    out.push(config.get_mut("source").unwrap());
                } else if let Some(children) = config.get_mut("cells") {
                    cells(children, out);
                }
            }
        }
        let mut out = Vec::new();
        cells(v.get_mut("cells").unwrap(), &mut out);
        out
    }

    fn sql_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just(String::new()),
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("  ".to_string()),
            Just(" ".to_string()),
            Just("\t".to_string()),
            Just("#".to_string()),
            Just(" # not a comment".to_string()),
            Just(": ".to_string()),
            Just("'".to_string()),
            Just("\"".to_string()),
            Just("\\".to_string()),
            Just("-".to_string()),
            Just("- ".to_string()),
            Just("|".to_string()),
            Just("--- ".to_string()),
            Just("...".to_string()),
            Just("{{ start_date }}".to_string()),
            Just("select getdate()".to_string()),
            Just("é€😀".to_string()),
            Just("true".to_string()),
            Just("12".to_string()),
            "[a-z ]{1,12}",
            "[a-z]{300,500}",
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..10).prop_map(|v| v.concat())
    }

    fn check(doc: &Doc, values: &[(usize, String)]) {
        let splices: Vec<Splice> = values
            .iter()
            .map(|(cell, value)| Splice::Source {
                cell: *cell,
                value: value.clone(),
            })
            .collect();
        let out = notebook::splice(&doc.text, &doc.nb, &splices);
        let loaded: Value = serde_yaml_ng::from_str(&out)
            .unwrap_or_else(|e| panic!("{}: {e}\n{values:?}", doc.path.display()));
        let mut expected = doc.value.clone();
        {
            let mut sources = sql_sources(&mut expected);
            for (cell, value) in values {
                *sources[*cell] = Value::String(value.clone());
            }
        }
        assert_eq!(loaded, expected, "{}: {values:?}", doc.path.display());
        // Our own parser reads the new file back with the same values.
        let reparsed = notebook::parse(&doc.path, &out).unwrap();
        for (cell, value) in values {
            assert_eq!(&reparsed.sql_cells[*cell].source.value, value);
        }
        // Bytes outside the spliced scalars are unchanged (checked for the first and last).
        let mut ranges: Vec<_> = values
            .iter()
            .filter(|(c, v)| *v != doc.nb.sql_cells[*c].source.value)
            .map(|(c, _)| doc.nb.sql_cells[*c].source.range.clone())
            .collect();
        ranges.sort_by_key(|r| r.start);
        if let (Some(first), Some(last)) = (ranges.first(), ranges.last()) {
            assert_eq!(out[..first.start], doc.text[..first.start]);
            let tail = doc.text.len() - last.end;
            assert_eq!(out[out.len() - tail..], doc.text[last.end..]);
        } else {
            assert_eq!(out, doc.text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn one_cell_any_text(doc_pick in any::<prop::sample::Index>(),
                             cell_pick in any::<prop::sample::Index>(),
                             value in sql_text()) {
            let doc = doc_pick.get(docs());
            let cell = cell_pick.index(doc.nb.sql_cells.len());
            check(doc, &[(cell, value)]);
        }

    }

    proptest! {
        // Each case rewrites every cell of a file (up to 35), so fewer cases cover as much.
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn every_cell_at_once(doc_pick in any::<prop::sample::Index>(),
                              values in prop::collection::vec(sql_text(), 60)) {
            let doc = doc_pick.get(docs());
            let values: Vec<(usize, String)> =
                values.into_iter().take(doc.nb.sql_cells.len()).enumerate().collect();
            check(doc, &values);
        }
    }

    #[test]
    fn edge_values_in_every_cell() {
        let edges = [
            "",
            "\n",
            "\n\n\n",
            " ",
            "  select 1",
            "\n  select 1\n",
            "select 1\n  ",
            "select 1\n\t",
            "select 1 \nfrom t \n",
            "a\u{85}b\u{2028}c\u{feff}d\re",
            "#### heading",
            "{{ start_date }}{{ start_date }}\n \n  ",
            "key: value",
            "select '# x' -- ok",
            "\tselect\t1",
            "x\n\n\n",
            "x\n \n",
            "   ",
            "- a",
            "--- \nselect 1",
        ];
        for doc in docs() {
            for (i, e) in edges.iter().enumerate() {
                check(doc, &[(i % doc.nb.sql_cells.len(), e.to_string())]);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// `hex-migrate cells` end to end, bad files included.

fn cells_cmd(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hex-migrate"))
        .arg("cells")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const GOOD: &str = "schemaVersion: 3
meta:
  title: Good
sharedAssets:
  dataConnections:
    - dataConnectionId: c-1 # Redshift (with raw tables) (redshift)
cells:
  - cellType: SQL
    cellId: s-1
    cellLabel: Orders
    config:
      source: |-

        select getdate()
      dataFrameCell: false
      dataConnectionId: c-1
      resultVariableName: orders
  - cellType: SQL
    cellId: s-2
    cellLabel: null
    config:
      source: select * from orders
      dataFrameCell: true
      dataConnectionId: null
      resultVariableName: df
";

#[test]
fn cells_lists_good_files_and_reports_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a good one.yaml", GOOD.as_bytes());
    write(d, "ci.yaml", b"on: push\njobs: {}\n");
    write(
        d,
        "invalid.yaml",
        b"schemaVersion: 3\nmeta: {}\ncells:\n  - cellType: SQL\n    config: {source: [}\n",
    );
    let mut bad_utf8 = GOOD.as_bytes().to_vec();
    bad_utf8.extend_from_slice(b"  - cellType: \xff\n");
    write(d, "latin1.yaml", &bad_utf8);
    write(
        d,
        "bomb.yaml",
        b"schemaVersion: 3\nmeta: {}\na: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\ncells: *b\n",
    );
    std::fs::create_dir(d.join("loop")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d.join("loop"), d.join("loop/again")).unwrap();
        std::os::unix::fs::symlink(d.join("nowhere"), d.join("broken.yaml")).unwrap();
    }
    let (code, stdout, stderr) = cells_cmd(&["."], d);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("a good one.yaml:8\tOrders\twarehouse\tRedshift (with raw tables) (redshift)\tselect getdate()"),
        "{stdout}"
    );
    assert!(stdout.contains("a good one.yaml:18\t(no label)\tdataframe\t-\tselect * from orders"));
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    let expect = [
        "invalid.yaml:5:",
        "latin1.yaml: not valid UTF-8 (first bad byte at line 26)",
        "bomb.yaml:5:",
    ];
    for e in expect {
        assert!(stderr.contains(e), "missing {e:?} in:\n{stderr}");
    }
    #[cfg(unix)]
    {
        assert!(stderr.contains("again: symbolic link loop"), "{stderr}");
        assert!(stderr.contains("broken.yaml"), "{stderr}");
    }
    assert!(!stderr.contains("ci.yaml"), "{stderr}");

    // Over the size limit.
    let (code, stdout, stderr) = cells_cmd(&["--max-file-size", "100", "a good one.yaml"], d);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("a good one.yaml: "), "{stderr}");
    assert!(
        stderr.contains("over the size limit of 100 bytes"),
        "{stderr}"
    );

    // Clean run: exit 0; JSON format.
    let (code, stdout, stderr) = cells_cmd(&["--format", "json", "a good one.yaml", "ci.yaml"], d);
    assert_eq!(code, 0, "{stderr}");
    let rows: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert_eq!(rows[0]["connection_type"], "redshift");
    assert_eq!(rows[0]["connection_name"], "Redshift (with raw tables)");
    assert_eq!(rows[0]["kind"], "warehouse");
    assert_eq!(rows[1]["kind"], "dataframe");
    assert_eq!(rows[1]["line"], 18);
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_an_error_and_others_still_listed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "good.yaml", GOOD.as_bytes());
    let locked = write(d, "locked.yaml", GOOD.as_bytes());
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        // Running as root: mode 000 does not stop reads. /proc/self/mem exists but fails to
        // read (EIO), which is the same situation for the tool.
        let mem = Path::new("/proc/self/mem");
        if !mem.exists() {
            eprintln!("notice: cannot make an unreadable file here; skipping");
            return;
        }
        let (code, stdout, stderr) = cells_cmd(&["good.yaml", "/proc/self/mem"], d);
        assert_eq!(code, 2);
        assert!(stdout.contains("good.yaml:8"), "{stdout}");
        assert!(stderr.contains("error: /proc/self/mem: "), "{stderr}");
        return;
    }
    let (code, stdout, stderr) = cells_cmd(&["."], d);
    assert_eq!(code, 2);
    assert!(stdout.contains("good.yaml:8"), "{stdout}");
    assert!(
        stderr.contains("locked.yaml: Permission denied"),
        "{stderr}"
    );
}
