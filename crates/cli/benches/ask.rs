//! `remit ask` wall time end to end: process start, corpus load and validation, decision,
//! explanation, output. Target (issue "Law engine"): under 30 ms.
#![expect(clippy::panic, reason = "a benchmark cannot run without its setup")]

use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let binary = env!("CARGO_BIN_EXE_remit");
    let args = [
        "ask",
        "--where",
        "ocd-division/country:us/state:ca/place:los_angeles",
        "--actor",
        "local_police",
        "--action",
        "honor_detainer",
        "--counterparty",
        "ice",
        "--date",
        "2026-01-15",
        "--json",
    ];
    c.bench_function("remit-ask-end-to-end", |b| {
        b.iter(|| {
            let output = Command::new(binary)
                .args(args)
                .output()
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(output.status.success());
            output.stdout.len()
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
