//! Resolving a million names drawn from twenty thousand distinct ones, as an audit log or a
//! season of sharing lists presents them. Target (issue "Agency directory and name resolver"):
//! under one second, memoisation included, starting from an empty memo.
//!
//! The directory is the full FBI list from `../shared/data` when present (else the built-in
//! sample, with a notice). The 20,000 distinct names are written from the directory's agencies
//! in the forms records use (`El Cajon CA PD`, `ANOKA COUNTY SHERIFFS OFFICE (MN)`, `El Cajon PD
//! ( CA)`, `City of ... Police Department` with a state column, `... [Inactive]`), plus federal
//! and private names; the million are drawn from them with a fixed pseudo-random sequence.
//!
//! ```text
//! cargo bench -p remit-agencies
//! ```
#![expect(clippy::panic, reason = "a benchmark cannot run without its setup")]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use remit_agencies::{Agency, Directory, Resolver};

const DISTINCT: usize = 20_000;
const DRAWS: usize = 1_000_000;

fn directory() -> Directory {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/agencies/fbi-lee.csv"
    ));
    if path.is_file() {
        Directory::from_fbi_csv(&path).unwrap_or_else(|e| panic!("{e}"))
    } else {
        eprintln!("note: ../shared/data not found; benchmarking on the built-in sample");
        Directory::builtin()
    }
}

/// One name in one of the forms records use, chosen by `form`.
fn name_for(agency: &Agency, form: usize) -> Option<(String, Option<&'static str>)> {
    let state = agency.state.as_deref()?;
    let name = agency.name.trim_end_matches([':', ',', ' ']);
    let county = agency.agency_type == "County";
    let (place, role, long_role) = if county {
        (format!("{name} County"), "SO", "SHERIFFS OFFICE")
    } else {
        (name.to_string(), "PD", "POLICE DEPARTMENT")
    };
    let text = match form % 8 {
        0 => format!("{place} {state} {role}"),
        1 => format!("{} {long_role} ({state})", place.to_uppercase()),
        2 => format!("{place} {role} ( {state})"),
        3 => {
            let full = if county {
                format!("{place} Sheriff's Office")
            } else {
                format!("City of {place} Police Department")
            };
            let hint = remit_agencies::states::by_code(state).map(|s| s.name);
            return Some((full, hint));
        }
        4 => format!("{place} {state} {role} [Inactive]"),
        5 => format!("{state} - {place} {role}"),
        6 => format!("{place} {state} {role} (LR)"),
        _ => format!("{place} {role} {state}"),
    };
    Some((text, None))
}

fn names(directory: &Directory) -> (Vec<(String, Option<&'static str>)>, Vec<u32>) {
    let mut distinct: Vec<(String, Option<&'static str>)> = Vec::with_capacity(DISTINCT);
    let mut seen = std::collections::HashSet::new();
    let extra = [
        "U.S. Border Patrol [Federal]",
        "ICE ERO",
        "HSI MASTER",
        "Marshall Canyon Estates (CA)",
        "Decommissioned Org",
        "NYS Crime Analysis Center Network",
        "Arizona Department of Public Safety",
        "CAL FIRE",
    ];
    for name in extra {
        seen.insert(name.to_string());
        distinct.push((name.to_string(), None));
    }
    'outer: for form in 0..8 {
        for agency in directory.agencies().iter().filter(|a| a.has_ori()) {
            if distinct.len() >= DISTINCT {
                break 'outer;
            }
            if let Some((name, hint)) = name_for(agency, form + agency.ori.len()) {
                if seen.insert(name.clone()) {
                    distinct.push((name, hint));
                }
            }
        }
    }
    // A fixed linear congruential sequence: the same million draws every run.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut draws = Vec::with_capacity(DRAWS);
    for _ in 0..DRAWS {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let index = (state >> 33) % distinct.len() as u64;
        draws.push(index as u32);
    }
    (distinct, draws)
}

/// This thread's CPU time so far (user and system), from /proc on Linux: on a machine shared
/// with other work, CPU time varies much less than wall time.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// Wall and CPU seconds of one run of `f`, best of three.
fn timed(mut f: impl FnMut() -> usize) -> (f64, Option<f64>) {
    let mut best: (f64, Option<f64>) = (f64::MAX, None);
    for _ in 0..3 {
        let cpu = cpu_seconds();
        let start = std::time::Instant::now();
        black_box(f());
        let wall = start.elapsed().as_secs_f64();
        let cpu = cpu.zip(cpu_seconds()).map(|(a, b)| b - a);
        if wall < best.0 {
            best = (wall, cpu);
        }
    }
    best
}

fn bench(c: &mut Criterion) {
    let directory = directory();
    let (distinct, draws) = names(&directory);
    eprintln!(
        "directory: {} agencies ({}); {} distinct names, {} draws",
        directory.len(),
        directory.source(),
        distinct.len(),
        draws.len()
    );
    let owned = timed(|| {
        let resolver = Resolver::new(directory.clone());
        draws
            .iter()
            .map(|&i| {
                let (name, hint) = &distinct[i as usize];
                usize::from(resolver.resolve(name, *hint).counterparty.is_some())
            })
            .sum()
    });
    let shared = timed(|| {
        let resolver = Resolver::new(directory.clone());
        draws
            .iter()
            .map(|&i| {
                let (name, hint) = &distinct[i as usize];
                usize::from(
                    resolver
                        .resolve_shared(name, *hint, None)
                        .counterparty
                        .is_some(),
                )
            })
            .sum()
    });
    for (label, (wall, cpu)) in [("owned results", owned), ("shared results", shared)] {
        let cpu = cpu.map_or("unknown".to_string(), |c| format!("{c:.2} s"));
        eprintln!("1M names, fresh memo, {label}: best of 3 {wall:.3} s wall, {cpu} CPU");
    }

    let mut group = c.benchmark_group("resolve");
    group.sample_size(10);
    group.throughput(Throughput::Elements(DRAWS as u64));
    group.bench_function(
        "1M names from 20k distinct, fresh memo, owned results",
        |b| {
            b.iter(|| {
                let resolver = Resolver::new(directory.clone());
                let mut federal = 0usize;
                for &i in &draws {
                    let (name, hint) = &distinct[i as usize];
                    let r = resolver.resolve(name, *hint);
                    federal += usize::from(r.counterparty.is_some());
                }
                black_box(federal)
            });
        },
    );
    group.bench_function(
        "1M names from 20k distinct, fresh memo, shared results",
        |b| {
            b.iter(|| {
                let resolver = Resolver::new(directory.clone());
                let mut federal = 0usize;
                for &i in &draws {
                    let (name, hint) = &distinct[i as usize];
                    let r = resolver.resolve_shared(name, *hint, None);
                    federal += usize::from(r.counterparty.is_some());
                }
                black_box(federal)
            });
        },
    );
    group.finish();

    let mut group = c.benchmark_group("resolve_distinct");
    group.sample_size(10);
    group.throughput(Throughput::Elements(distinct.len() as u64));
    group.bench_function("20k distinct names, each once (all memo misses)", |b| {
        b.iter(|| {
            let resolver = Resolver::new(directory.clone());
            for (name, hint) in &distinct {
                black_box(resolver.resolve_shared(name, *hint, None));
            }
        });
    });
    group.finish();

    let fbi = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/agencies/fbi-lee.csv"
    ));
    if fbi.is_file() {
        let mut group = c.benchmark_group("directory");
        group.sample_size(10);
        group.bench_function("read and index the FBI list (18,330 rows)", |b| {
            b.iter(|| black_box(Directory::from_fbi_csv(&fbi).map(|d| d.len())));
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
