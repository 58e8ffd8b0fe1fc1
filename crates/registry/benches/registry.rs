//! Import and query times on ICE's 64 real sheets (`../shared/data/287g/ice-sheets`).
//! Targets (issue "287(g) registry"): importing all 64 sheets under 5 s in a release build;
//! `stats` and `diff` under 50 ms. Run with `cargo bench -p remit-registry`; results are recorded
//! in BENCHMARKS.md ("The 287(g) registry").
#![expect(clippy::panic, reason = "a benchmark cannot run without its setup")]

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use remit_agencies::Directory;
use remit_registry::{
    Day, DirectoryLinker, Filter, ImportOptions, NoDirectory, Registry, collect_files,
};
use remit_store::Store;

fn shared(path: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(path);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipping: ../shared/data not found");
        None
    }
}

fn day(text: &str) -> Day {
    Day::parse_iso(text).unwrap_or_else(|| panic!("bad date {text}"))
}

fn import_all(path: &Path, files: &[PathBuf]) -> Store {
    let mut store = Store::open(path).unwrap_or_else(|e| panic!("{e}"));
    let mut registry = Registry::open(&mut store).unwrap_or_else(|e| panic!("{e}"));
    for file in files {
        registry
            .import(file, ImportOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    registry
        .refresh(&mut NoDirectory)
        .unwrap_or_else(|e| panic!("{e}"));
    store
}

fn bench(c: &mut Criterion) {
    let Some(sheets) = shared("287g/ice-sheets") else {
        return;
    };
    let files = collect_files(&[sheets], false).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(files.len(), 64);
    let scratch = std::env::temp_dir().join(format!("remit-registry-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap_or_else(|e| panic!("{e}"));

    let mut group = c.benchmark_group("import");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    let mut run = 0;
    group.bench_function("64 sheets into a new database file, with refresh", |b| {
        b.iter_batched(
            || {
                run += 1;
                scratch.join(format!("import-{run}.db"))
            },
            |path| import_all(&path, &files),
            BatchSize::PerIteration,
        );
    });
    group.bench_function("64 sheets again (every one already imported)", |b| {
        let path = scratch.join("reimport.db");
        let mut store = import_all(&path, &files);
        b.iter(|| {
            let mut registry = Registry::open(&mut store).unwrap_or_else(|e| panic!("{e}"));
            for file in &files {
                registry
                    .import(file, ImportOptions::default())
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        });
    });
    if let Some(fbi) = shared("agencies/fbi-lee.csv") {
        let directory = Directory::from_fbi_csv(&fbi).unwrap_or_else(|e| panic!("{e}"));
        let path = scratch.join("refresh.db");
        let mut store = import_all(&path, &files);
        group.bench_function(
            "refresh with links to the FBI directory (18,330 agencies)",
            |b| {
                b.iter(|| {
                    let mut linker = DirectoryLinker::new(directory.clone());
                    let mut registry = Registry::open(&mut store).unwrap_or_else(|e| panic!("{e}"));
                    registry
                        .refresh(&mut linker)
                        .unwrap_or_else(|e| panic!("{e}"))
                });
            },
        );
    }
    group.finish();

    let path = scratch.join("queries.db");
    let mut store = import_all(&path, &files);
    let registry = Registry::open(&mut store).unwrap_or_else(|e| panic!("{e}"));
    let georgia = Filter {
        state: Some("GA".into()),
        model: Some("task_force".into()),
    };
    let mut group = c.benchmark_group("query");
    group.bench_function("stats latest", |b| {
        b.iter(|| {
            registry
                .stats(None, &Filter::default())
                .unwrap_or_else(|e| panic!("{e}"))
        });
    });
    group.bench_function("stats as of 2025-06-30, GA task force", |b| {
        b.iter(|| {
            registry
                .stats(Some(day("2025-06-30")), &georgia)
                .unwrap_or_else(|e| panic!("{e}"))
        });
    });
    group.bench_function("diff 2025-05-16 2025-07-18", |b| {
        b.iter(|| {
            registry
                .diff(day("2025-05-16"), day("2025-07-18"), &Filter::default())
                .unwrap_or_else(|e| panic!("{e}"))
        });
    });
    group.bench_function("agency boca raton", |b| {
        b.iter(|| {
            registry
                .agency("boca raton", None)
                .unwrap_or_else(|e| panic!("{e}"))
        });
    });
    group.bench_function("quality report", |b| {
        b.iter(|| registry.quality().unwrap_or_else(|e| panic!("{e}")));
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&scratch);
}

criterion_group!(benches, bench);
criterion_main!(benches);
