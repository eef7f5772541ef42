//! Loading the real 4,456-row table mapping and migrating the real Hex export with it (issue 5:
//! "well under 50 ms"). Run: `cargo bench --bench migrate`. Needs `../shared/real-world/`
//! (or `HEX_MIGRATE_SHARED`); prints a notice and measures nothing without it.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use hex_migrate::mappings::{ConflictPolicy, ConnectionMap, TableMap};
use hex_migrate::migrate::{migrate_notebook, Context};

fn shared() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("HEX_MIGRATE_SHARED") {
        return Some(PathBuf::from(p));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    ["../shared", "../../shared"]
        .iter()
        .map(|rel| root.join(rel))
        .find(|p| p.join("real-world").is_dir())
}

fn bench(c: &mut Criterion) {
    let Some(shared) = shared() else {
        eprintln!("notice: ../shared not found; nothing to measure");
        return;
    };
    let csv = shared.join("real-world/mappings/table-mapping.csv");
    let nb_path = shared.join("real-world/hex/Search QPR - WIP.yaml");
    let text = std::fs::read_to_string(&nb_path).unwrap();
    let load =
        || TableMap::load(std::slice::from_ref(&csv), ConflictPolicy::Unmapped, None).unwrap();
    let context = |tables: TableMap| {
        let mut connections = ConnectionMap::default();
        connections
            .insert(
                "63ebcea0-017f-4bcf-b58a-a2340a75845f",
                "0b5e0b5e-0000-4000-8000-00000000000a",
                None,
            )
            .unwrap();
        Context {
            tables,
            connections,
            ..Context::default()
        }
    };

    c.bench_function("load table mapping (4,456 rows)", |b| b.iter(load));
    let ctx = context(load());
    c.bench_function("migrate real export (35 SQL cells)", |b| {
        b.iter(|| migrate_notebook(&nb_path, &text, &ctx).unwrap())
    });
    c.bench_function("load mapping + migrate real export", |b| {
        b.iter(|| {
            let ctx = context(load());
            migrate_notebook(&nb_path, &text, &ctx).unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
