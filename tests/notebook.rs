//! The notebook engine against real and example Hex files: byte-exact round trips, Hex's scalar
//! style, splicing arbitrary SQL, and bad input.

use std::path::{Path, PathBuf};

use hex_migrate::notebook::{self, choose_style, emit_scalar, NotebookError, ScalarStyle, Splice};

/// `../shared` (or `../../shared` from a worktree), or `HEX_MIGRATE_SHARED`.
fn shared_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("HEX_MIGRATE_SHARED") {
        return Some(PathBuf::from(dir));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    ["../shared", "../../shared"]
        .iter()
        .map(|p| root.join(p))
        .find(|p| p.is_dir())
}

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
    match shared_dir() {
        Some(shared) => {
            files.extend(yaml_files(&shared.join("examples")));
            files.extend(yaml_files(&shared.join("real-world/hex")));
        }
        None => eprintln!("notice: ../shared not found; testing bundled examples only"),
    }
    files
}

fn real_export() -> Option<PathBuf> {
    let dir = shared_dir()?.join("real-world/hex");
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
