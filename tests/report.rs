//! `hex-migrate report` through the real binary: every format on the real export with the real
//! mapping, and the HTML report rendered in headless Chromium.

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/hex.rs"]
mod support;

const OLD_EXT: &str = "63ebcea0-017f-4bcf-b58a-a2340a75845f";
const NEW: &str = "0b5e0b5e-0000-4000-8000-00000000000a";

fn shared() -> Option<PathBuf> {
    let found = support::shared_with("real-world");
    if found.is_none() {
        eprintln!("notice: ../shared not found; skipping");
    }
    found
}

/// A temp dir holding a copy of the real export, and the report arguments for it.
fn real_project(shared: &Path) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        shared.join("real-world/hex/Search QPR - WIP.yaml"),
        dir.path().join("Search QPR - WIP.yaml"),
    )
    .unwrap();
    let args = vec![
        "--tables".to_string(),
        shared
            .join("real-world/mappings/table-mapping.csv")
            .display()
            .to_string(),
        "--on-conflict".into(),
        "unmapped".into(),
        "--connection".into(),
        format!("{OLD_EXT}={NEW}"),
        ".".into(),
    ];
    (dir, args)
}

fn report(dir: &Path, format: &str, extra: &[String]) -> (i32, String, String) {
    let mut args = vec!["report".to_string(), "--format".into(), format.into()];
    args.extend_from_slice(extra);
    support::run_in(dir, args)
}

#[test]
fn every_format_on_the_real_export() {
    let Some(shared) = shared() else { return };
    let (dir, args) = real_project(&shared);
    let original = std::fs::read(dir.path().join("Search QPR - WIP.yaml")).unwrap();

    let (code, json, err) = report(dir.path(), "json", &args);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schema_version"], 1);
    let cells = v["notebooks"][0]["cells"].as_array().unwrap();
    assert_eq!(
        cells.len() as u64,
        v["totals"]["sql_cells"].as_u64().unwrap()
    );
    assert!(v["totals"]["cells_changed"].as_u64().unwrap() > 0);
    assert!(cells
        .iter()
        .any(|c| c["kind"] == "dataframe" && c["changed"] == false));
    assert_eq!(
        v["notebooks"][0]["connections_swapped"],
        serde_json::json!([{"from": OLD_EXT, "to": NEW}])
    );
    let unmapped: Vec<&str> = v["unmapped_tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["table"].as_str().unwrap())
        .collect();
    assert!(
        unmapped.contains(&"raw_product_external.feature_logs"),
        "{unmapped:?}"
    );

    let (code, csv, err) = report(dir.path(), "csv", &args);
    assert_eq!(code, 0, "{err}");
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        r.headers().unwrap(),
        vec![
            "notebook",
            "cell",
            "original_query",
            "transformed_query",
            "transformations_applied",
            "validation_status"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), cells.len());
    for (row, cell) in rows.iter().zip(cells) {
        assert_eq!(&row[2], cell["original"].as_str().unwrap());
        assert_eq!(&row[3], cell["translated"].as_str().unwrap());
    }
    assert!(rows.iter().any(|r| &r[5] == "skipped"));
    assert!(rows.iter().any(|r| &r[5] == "translated"));

    let (code, md, err) = report(dir.path(), "markdown", &args);
    assert_eq!(code, 0, "{err}");
    assert!(md.starts_with("# Hex migration report"));
    assert!(
        md.contains("| `raw_product_external.feature_logs` |"),
        "{md}"
    );
    assert!(md.contains(&format!("`{OLD_EXT}` → `{NEW}`")));

    let mut with_output = args.clone();
    with_output.extend(["-o".to_string(), "report.html".to_string()]);
    let (code, stdout, err) = report(dir.path(), "html", &with_output);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.is_empty());
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("<table class=\"diff\">"));

    // A report never writes the notebooks.
    assert_eq!(
        std::fs::read(dir.path().join("Search QPR - WIP.yaml")).unwrap(),
        original
    );
}

fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser"] {
        if let Ok(out) = Command::new("which").arg(name).output() {
            if out.status.success() {
                return Some(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
            }
        }
    }
    if std::env::var("HEX_MIGRATE_REQUIRE_TOOLS").as_deref() == Ok("1") {
        panic!("chromium is required (HEX_MIGRATE_REQUIRE_TOOLS=1) but not installed");
    }
    eprintln!("notice: chromium not installed; skipping the HTML rendering test");
    None
}

fn headless(chromium: &Path, profile: &Path, extra: &[&str], url: &str) -> std::process::Output {
    Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("run chromium")
}

/// Run by `scripts/test.d/html-report.sh`, which installs Chromium first.
#[test]
#[ignore = "needs Chromium; scripts/test.d/html-report.sh runs it"]
fn html_report_renders_in_headless_chromium() {
    let Some(shared) = shared() else { return };
    let Some(chromium) = chromium() else { return };
    let (dir, mut args) = real_project(&shared);
    args.extend(["-o".to_string(), "report.html".to_string()]);
    let (code, _, err) = report(dir.path(), "html", &args);
    assert_eq!(code, 0, "{err}");
    let url = format!("file://{}", dir.path().join("report.html").display());
    let profile = tempfile::tempdir().unwrap();

    let out = headless(&chromium, profile.path(), &["--dump-dom"], &url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(dom.contains("<h1>Hex migration report</h1>"));
    assert!(dom.contains("id=\"totals\""));
    assert!(dom.contains("id=\"unmapped\""));
    assert!(dom.contains("Search QPR - WIP"));
    // Side-by-side diffs with changed words marked.
    assert!(dom.matches("<table class=\"diff\">").count() > 5);
    assert!(dom.contains("<mark>"));

    let shot = dir.path().join("report.png");
    let out = headless(
        &chromium,
        profile.path(),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1400,1800",
        ],
        &url,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(
        png.len() > 20_000,
        "screenshot suspiciously small: {} bytes",
        png.len()
    );
    // Kept for a person to look at.
    let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join("migration-report.png");
    std::fs::copy(&shot, &keep).unwrap();
    eprintln!("screenshot: {}", keep.display());
}
