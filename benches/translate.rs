//! Translation throughput over the probe corpus (statements per second).
//! `cargo bench --bench translate`; the corpus is read from ../shared at run time.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hex_migrate::sql::{translate, TranslateOptions};

fn corpus() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var("HEX_MIGRATE_SHARED")
        .map(PathBuf::from)
        .ok()
        .or_else(|| {
            ["../shared", "../../shared"]
                .iter()
                .map(|r| root.join(r))
                .find(|p| p.is_dir())
        });
    let Some(text) =
        dir.and_then(|d| std::fs::read_to_string(d.join("reference/probe-queries.sql")).ok())
    else {
        eprintln!("notice: probe-queries.sql not found; benchmark skipped");
        return Vec::new();
    };
    text.split("-- @@ ")
        .skip(1)
        .map(|c| c.split_once('\n').map_or("", |(_, b)| b).to_string())
        .collect()
}

fn bench(c: &mut Criterion) {
    let cells = corpus();
    if cells.is_empty() {
        return;
    }
    // Statements = top-level `;`-separated pieces with content (what the engine parses).
    let statements: u64 = cells
        .iter()
        .map(|c| c.split(';').filter(|s| !s.trim().is_empty()).count() as u64)
        .sum();
    let opts = TranslateOptions::default();
    let mut g = c.benchmark_group("translate");
    g.throughput(Throughput::Elements(statements));
    g.bench_function("probe_corpus", |b| {
        b.iter(|| {
            for cell in &cells {
                std::hint::black_box(translate(cell, &opts));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
