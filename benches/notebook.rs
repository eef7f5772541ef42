//! Reading, parsing and splicing the real 173 KB Hex export (target: well under 10 ms).
//!
//! `cargo bench --bench notebook`. Needs `../shared/real-world/hex/` (or `HEX_MIGRATE_SHARED`);
//! without it the bench prints a notice and measures nothing.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use hex_migrate::notebook::{self, Splice};

fn real_export() -> Option<PathBuf> {
    let shared = match std::env::var("HEX_MIGRATE_SHARED") {
        Ok(dir) => PathBuf::from(dir),
        Err(_) => {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            ["../shared", "../../shared"]
                .iter()
                .map(|p| root.join(p))
                .find(|p| p.is_dir())?
        }
    };
    let dir = shared.join("real-world/hex");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files.into_iter().next()
}

fn bench(c: &mut Criterion) {
    let Some(path) = real_export() else {
        eprintln!("notice: ../shared/real-world/hex not found; nothing to measure");
        return;
    };
    // Every SQL cell gets a changed value (so every scalar is re-emitted, not copied).
    let text = notebook::read(&path, notebook::DEFAULT_SIZE_LIMIT).unwrap();
    let nb = notebook::parse(&path, &text).unwrap();
    let new_values: Vec<String> = nb
        .sql_cells
        .iter()
        .map(|c| c.source.value.replace("select", "SELECT") + "\n-- migrated\n")
        .collect();

    c.bench_function("read + parse + splice all SQL cells (173 KB export)", |b| {
        b.iter(|| {
            let text = notebook::read(&path, notebook::DEFAULT_SIZE_LIMIT).unwrap();
            let nb = notebook::parse(&path, &text).unwrap();
            let splices: Vec<Splice> = new_values
                .iter()
                .enumerate()
                .map(|(cell, value)| Splice::Source {
                    cell,
                    value: value.clone(),
                })
                .collect();
            notebook::splice(&text, &nb, &splices)
        })
    });
    c.bench_function("parse only (173 KB export)", |b| {
        b.iter(|| notebook::parse(&path, &text).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
