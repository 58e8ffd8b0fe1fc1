//! The query API over stored runs: the real pipeline writes a run into a temporary store (a
//! generated network audit, and a real released log from `../shared/data/alpr`), and the queries
//! must give back what the pipeline itself said: its summary, and every finding with its file and
//! line as `findings.csv` writes it.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers stop the test on a bad setup"
)]

#[path = "support/setup.rs"]
mod setup;
#[path = "support/shared_data.rs"]
mod shared_data;
#[path = "support/temp.rs"]
mod temp;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use remit_audit::process::Tables;
use remit_audit::query::{self, FindingFilter, RunSummary};
use remit_audit::remit_store::{Recorded, Store};
use remit_audit::sinks::files::{FINDINGS_HEADER, REDACTED, finding_fields};
use remit_audit::sinks::store::audit_into;
use remit_audit::{AuditError, AuditOptions, Event, Sink, Summary};
use setup::Setup;
use shared_data::shared_data;
use temp::temp_dir;

/// The findings as `findings.csv` writes them, collected beside the store sink in the same run.
struct Collect(Vec<[String; 23]>);

impl Sink for Collect {
    fn name(&self) -> &str {
        "collect"
    }

    fn event(&mut self, event: &Event<'_>, tables: &Tables) -> Result<(), AuditError> {
        self.0.push(finding_fields(event, tables, true));
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, _tables: &Tables) -> Result<(), AuditError> {
        Ok(())
    }
}

/// A stored run and what the pipeline said about it.
struct Stored {
    store: Store,
    run_id: i64,
    summary: Summary,
    findings: Vec<[String; 23]>,
}

/// Audits `files` into the store in `dir` (made if there is none), as `remit audit` does (one
/// import, redacted);
/// `all_flags` also makes findings of searches with only reason-quality flags.
fn store_run(dir: &Path, files: &[PathBuf], owner: Option<&str>, all_flags: bool) -> Stored {
    let setup = Setup::new();
    let auditor = setup.auditor();
    let options = AuditOptions {
        owner: owner.map(str::to_string),
        redact: true,
        all_flags,
        ..AuditOptions::default()
    };
    let mut store = Store::open(&dir.join("remit.db")).unwrap();
    let mut collect = Collect(Vec::new());
    let stored = audit_into(
        &mut store,
        &auditor,
        files,
        &options,
        None,
        &mut [&mut collect],
    )
    .unwrap();
    let Recorded::New(_) = stored.recorded else {
        panic!("a new store already held the run");
    };
    let (summary, run_id) = (stored.run.summary, stored.run_id);
    Stored {
        store,
        run_id,
        summary,
        findings: collect.0,
    }
}

/// A filter on one column's value.
type MakeFilter = fn(String) -> FindingFilter;

fn column(name: &str) -> usize {
    FINDINGS_HEADER.iter().position(|c| *c == name).unwrap()
}

/// Every check of the query API against the pipeline's own account of the run.
fn check(stored: &Stored) {
    let Stored {
        store,
        run_id,
        summary,
        findings,
    } = stored;
    let run_id = *run_id;

    // The list.
    let runs = query::runs(store).unwrap();
    assert_eq!(runs.len(), 1);
    let listing = &runs[0];
    assert_eq!(listing.id, run_id);
    assert_eq!(
        listing.owner.as_deref(),
        summary.owner.as_ref().map(|o| o.name.as_str())
    );
    let paths: Vec<&str> = summary.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(listing.files, paths);
    assert_eq!(listing.events, summary.events);
    assert_eq!(listing.rejected, summary.rejected);
    assert_eq!(listing.findings, summary.findings);
    assert_eq!(listing.first, summary.period.first);
    assert_eq!(listing.last, summary.period.last);
    assert!(listing.redacted);
    assert_eq!(listing.imported_at.len(), 20, "{}", listing.imported_at);

    // The summary: the same fields and values as the pipeline's.
    let read = query::summary(store, run_id).unwrap().unwrap();
    assert_eq!(read, RunSummary::from_summary(summary).unwrap());
    assert_eq!(read.events, summary.events);
    let owned = |map: &BTreeMap<&'static str, u64>| -> BTreeMap<String, u64> {
        map.iter().map(|(k, v)| ((*k).to_string(), *v)).collect()
    };
    assert_eq!(read.by_category, owned(&summary.by_category));
    assert_eq!(read.by_verdict, owned(&summary.by_verdict));
    assert_eq!(read.by_searcher_class, owned(&summary.by_searcher_class));
    assert_eq!(read.by_searcher_state, summary.by_searcher_state);
    assert_eq!(read.by_month, summary.by_month);
    assert_eq!(read.top_searchers.len(), summary.top_searchers.len());
    for (a, b) in read.top_searchers.iter().zip(&summary.top_searchers) {
        assert_eq!(
            (&a.name, a.searches, a.findings),
            (&b.name, b.searches, b.findings)
        );
    }
    assert_eq!(read.decisions.len(), summary.decisions.len());
    assert_eq!(
        serde_json::to_value(&read).unwrap(),
        serde_json::to_value(summary).unwrap(),
        "a stored summary serializes as the pipeline's"
    );

    // Every finding, in input order, with the fields of findings.csv.
    let all = query::findings(store, run_id, &FindingFilter::default(), 0, u64::MAX).unwrap();
    assert_eq!(all.total, summary.findings);
    assert_eq!(all.findings.len(), findings.len());
    for (got, want) in all.findings.iter().zip(findings) {
        let fields = got.fields();
        for (index, name) in FINDINGS_HEADER.iter().enumerate() {
            if *name == "evidence" {
                // The store keeps the evidence of the reason's shape (its sample's words): the
                // same categories, in the same order, as the finding's own.
                let categories = |text: &str| -> Vec<String> {
                    text.split("; ")
                        .filter_map(|e| e.split(':').next())
                        .map(str::to_string)
                        .collect()
                };
                assert_eq!(categories(&fields[index]), categories(&want[index]));
                continue;
            }
            assert_eq!(
                fields[index], want[index],
                "`{name}` of the finding at line {}",
                want[1]
            );
        }
        for hidden in [&got.user, &got.plate].into_iter().flatten() {
            assert_eq!(hidden, REDACTED);
        }
    }

    // Pages put together are the whole.
    let mut paged = Vec::new();
    let mut offset = 0;
    loop {
        let page = query::findings(store, run_id, &FindingFilter::default(), offset, 7).unwrap();
        assert_eq!(page.total, summary.findings);
        assert_eq!(page.offset, offset);
        if page.findings.is_empty() {
            break;
        }
        offset += page.findings.len() as u64;
        paged.extend(page.findings);
    }
    assert_eq!(paged, all.findings);
    // So are chunks read by cursor, the way a CSV is written, whole or filtered.
    for filter in [
        FindingFilter::default(),
        FindingFilter {
            verdict: Some("must_not".to_string()),
            ..FindingFilter::default()
        },
    ] {
        let mut chunked = Vec::new();
        let mut after = None;
        loop {
            let (chunk, next) = query::findings_after(store, run_id, &filter, after, 7).unwrap();
            assert!(chunk.len() <= 7);
            chunked.extend(chunk);
            match next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        let whole = query::findings(store, run_id, &filter, 0, u64::MAX).unwrap();
        assert_eq!(chunked, whole.findings);
    }

    // Each filter finds exactly the findings with that value, and filters combine.
    let values = |name: &str| -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for finding in findings {
            let cell = &finding[column(name)];
            let cells: Vec<&str> = if name == "categories" {
                cell.split(';').filter(|c| !c.is_empty()).collect()
            } else if cell.is_empty() {
                vec!["unknown"]
            } else {
                vec![cell.as_str()]
            };
            for value in cells {
                *counts.entry(value.to_string()).or_default() += 1;
            }
        }
        counts
    };
    let filters: [(&str, MakeFilter); 4] = [
        ("categories", |v| FindingFilter {
            category: Some(v),
            ..FindingFilter::default()
        }),
        ("verdict", |v| FindingFilter {
            verdict: Some(v),
            ..FindingFilter::default()
        }),
        ("searcher_class", |v| FindingFilter {
            searcher_class: Some(v),
            ..FindingFilter::default()
        }),
        ("searcher_state", |v| FindingFilter {
            searcher_state: Some(v),
            ..FindingFilter::default()
        }),
    ];
    for (name, make) in filters {
        let counts = values(name);
        for (value, expected) in &counts {
            let page = query::findings(store, run_id, &make(value.clone()), 0, 3).unwrap();
            assert_eq!(page.total, *expected as u64, "{name} = {value}");
            assert!(page.findings.len() <= 3);
        }
        let none = query::findings(store, run_id, &make("no such value".into()), 0, 10).unwrap();
        assert_eq!(none.total, 0);
    }
    if let Some(finding) = findings.first() {
        let filter = FindingFilter {
            verdict: Some(finding[column("verdict")].clone()),
            searcher_class: Some(finding[column("searcher_class")].clone()),
            ..FindingFilter::default()
        };
        let expected = findings
            .iter()
            .filter(|f| {
                f[column("verdict")] == finding[column("verdict")]
                    && f[column("searcher_class")] == finding[column("searcher_class")]
            })
            .count();
        let page = query::findings(store, run_id, &filter, 0, u64::MAX).unwrap();
        assert_eq!(page.total, expected as u64);
        assert!(page.findings.iter().all(|f| f.verdict == finding[20]));
    }

    // Counts by facet, over all findings and over a filtered set, as the findings give them.
    let as_u64 = |counts: BTreeMap<String, usize>| -> BTreeMap<String, u64> {
        counts.into_iter().map(|(k, v)| (k, v as u64)).collect()
    };
    let counts = query::finding_counts(store, run_id, &FindingFilter::default()).unwrap();
    assert_eq!(counts.total, summary.findings);
    assert_eq!(counts.by_category, as_u64(values("categories")));
    assert_eq!(counts.by_verdict, as_u64(values("verdict")));
    assert_eq!(counts.by_searcher_class, as_u64(values("searcher_class")));
    assert_eq!(counts.by_searcher_state, as_u64(values("searcher_state")));
    let mut immigration: BTreeMap<(String, String, String), (u64, Vec<String>)> = BTreeMap::new();
    for finding in findings {
        if finding[column("categories")]
            .split(';')
            .any(|c| c == "immigration")
        {
            let entry = immigration
                .entry((
                    finding[column("searcher")].clone(),
                    finding[column("searcher_state")].clone(),
                    finding[column("searcher_class")].clone(),
                ))
                .or_default();
            entry.0 += 1;
            if !entry.1.contains(&finding[column("verdict")]) {
                entry.1.push(finding[column("verdict")].clone());
                entry.1.sort();
            }
        }
    }
    let got: BTreeMap<(String, String, String), (u64, Vec<String>)> = counts
        .immigration_by_searcher
        .iter()
        .map(|s| {
            (
                (s.searcher.clone(), s.state.clone(), s.class.clone()),
                (s.findings, s.verdicts.clone()),
            )
        })
        .collect();
    assert_eq!(got, immigration);
    if let Some(finding) = findings.first() {
        let verdict = finding[column("verdict")].clone();
        let filter = FindingFilter {
            verdict: Some(verdict.clone()),
            ..FindingFilter::default()
        };
        let counts = query::finding_counts(store, run_id, &filter).unwrap();
        let expected = findings
            .iter()
            .filter(|f| f[column("verdict")] == verdict)
            .count() as u64;
        assert_eq!(counts.total, expected);
        assert_eq!(
            counts.by_verdict.into_iter().collect::<Vec<_>>(),
            [(verdict, expected)]
        );
        assert_eq!(counts.by_searcher_class.values().sum::<u64>(), expected);
    }
    // Both at once give what each gives alone.
    for filter in [
        FindingFilter::default(),
        FindingFilter {
            category: Some("immigration".to_string()),
            ..FindingFilter::default()
        },
    ] {
        let (counts, page) = query::findings_and_counts(store, run_id, &filter, 2, 5).unwrap();
        assert_eq!(
            counts,
            query::finding_counts(store, run_id, &filter).unwrap()
        );
        assert_eq!(page, query::findings(store, run_id, &filter, 2, 5).unwrap());
    }
    let none = query::finding_counts(store, run_id + 1000, &FindingFilter::default()).unwrap();
    assert_eq!(none, query::FindingCounts::default());

    // A run that is not there.
    assert_eq!(query::summary(store, run_id + 1000).unwrap(), None);
    let missing = query::findings(store, run_id + 1000, &FindingFilter::default(), 0, 10).unwrap();
    assert_eq!(missing.total, 0);
}

/// Two runs in one store: each run's queries read its own findings and no other's.
#[test]
fn runs_in_one_store_keep_their_own_findings() {
    let dir = temp_dir("two-runs");
    let path = dir.join("network-audit.csv");
    let mut file = std::fs::File::create(&path).unwrap();
    remit_audit::demo::generate(3_000, 4, &mut file).unwrap();
    drop(file);
    let first = store_run(
        &dir,
        std::slice::from_ref(&path),
        Some("El Cajon CA PD"),
        false,
    );
    drop(first.store);
    let second = store_run(&dir, std::slice::from_ref(&path), Some("Yuma AZ PD"), true);
    assert_ne!(first.run_id, second.run_id);
    assert_eq!(query::runs(&second.store).unwrap().len(), 2);
    for (run_id, summary, findings) in [
        (first.run_id, &first.summary, &first.findings),
        (second.run_id, &second.summary, &second.findings),
    ] {
        let page = query::findings(
            &second.store,
            run_id,
            &FindingFilter::default(),
            0,
            u64::MAX,
        )
        .unwrap();
        assert_eq!(page.total, summary.findings);
        let lines: Vec<String> = page.findings.iter().map(|f| f.line.to_string()).collect();
        let expected: Vec<String> = findings.iter().map(|f| f[1].clone()).collect();
        assert_eq!(lines, expected);
        let counts =
            query::finding_counts(&second.store, run_id, &FindingFilter::default()).unwrap();
        assert_eq!(counts.total, summary.findings);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_generated_audit_reads_back_as_the_pipeline_said() {
    let dir = temp_dir("generated");
    let path = dir.join("network-audit.csv");
    let mut file = std::fs::File::create(&path).unwrap();
    remit_audit::demo::generate(4_000, 3, &mut file).unwrap();
    drop(file);
    let stored = store_run(&dir, &[path], Some("El Cajon CA PD"), false);
    // The generator plants immigration searches by out-of-state and federal agencies, which
    // California law forbids sharing with: the stored run must hold them.
    assert!(stored.summary.findings > 0);
    let forbidden = query::findings(
        &stored.store,
        stored.run_id,
        &FindingFilter {
            category: Some("immigration".into()),
            verdict: Some("must_not".into()),
            ..FindingFilter::default()
        },
        0,
        u64::MAX,
    )
    .unwrap();
    assert!(forbidden.total > 0);
    for finding in &forbidden.findings {
        assert!(finding.categories.iter().any(|c| c == "immigration"));
        assert!(!finding.citations.is_empty(), "line {}", finding.line);
        assert!(finding.line >= 2);
        assert!(finding.file.ends_with("network-audit.csv"));
    }
    check(&stored);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_real_released_log_reads_back_as_the_pipeline_said() {
    let Some(root) = shared_data() else {
        return;
    };
    let dir = temp_dir("eugene");
    let stored = store_run(
        &dir,
        &[root.join("eugene-or/EPDSearchAuditLogs.csv")],
        Some("Eugene OR PD"),
        true,
    );
    assert!(stored.summary.events > 1_000);
    assert!(stored.summary.findings > 0);
    check(&stored);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_store_without_audits_has_no_runs() {
    let store = Store::open_in_memory().unwrap();
    assert!(query::runs(&store).unwrap().is_empty());
    assert_eq!(query::summary(&store, 1).unwrap(), None);
    let page = query::findings(&store, 1, &FindingFilter::default(), 0, 10).unwrap();
    assert_eq!(page.total, 0);
}
