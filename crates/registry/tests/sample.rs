//! The registry on the small self-made CSV sample in tests/fixtures/sample: two participating and
//! two pending snapshots with a rename, a spelling change, an addition, a removal, a pending
//! request that became an agreement, and bad cells. Runs everywhere (no shared data needed).

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]

use std::path::{Path, PathBuf};

use remit_registry::{
    Day, Filter, ImportOptions, IssueFilter, NoDirectory, Registry, SheetKind, SnapshotTime,
    collect_files,
};
use remit_store::Store;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample")
}

fn day(text: &str) -> Day {
    Day::parse_iso(text).unwrap()
}

fn imported() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    {
        let mut registry = Registry::open(&mut store).unwrap();
        for file in collect_files(&[sample()], false).unwrap() {
            let report = registry.import(&file, ImportOptions::default()).unwrap();
            assert_eq!(report.status, "imported");
        }
        registry.refresh(&mut NoDirectory).unwrap();
    }
    store
}

fn names(rows: &[remit_registry::AgreementRow]) -> Vec<String> {
    rows.iter()
        .map(|a| format!("{} {} {}", a.state, a.agency, a.model))
        .collect()
}

#[test]
fn counts_as_of_a_date_use_the_latest_snapshot_on_or_before_it() {
    let mut store = imported();
    let registry = Registry::open(&mut store).unwrap();
    let june_1 = registry
        .stats(Some(day("2025-06-01")), &Filter::default())
        .unwrap();
    assert_eq!(june_1.snapshot.taken.to_string(), "2025-06-01 am");
    assert_eq!(june_1.snapshot.rows, 7);
    assert_eq!(june_1.agreements, 7);
    assert_eq!(june_1.agencies, 6);
    assert_eq!(june_1.by_state["GA"], 3);
    assert_eq!(june_1.by_state["FL"], 3);
    assert_eq!(june_1.by_state["UT"], 1, "`UTAHJ` is read as Utah");
    assert_eq!(june_1.by_model["task_force"], 5);
    // Euharlee is pending on June 1 and becomes an agreement by June 15.
    assert_eq!(june_1.pending, 2);
    let june_15 = registry
        .stats(Some(day("2025-06-30")), &Filter::default())
        .unwrap();
    assert_eq!(june_15.snapshot.taken.to_string(), "2025-06-15 pm");
    assert_eq!(june_15.agreements, 7);
    assert_eq!(june_15.pending, 1);
    let latest = registry.stats(None, &Filter::default()).unwrap();
    assert_eq!(latest.snapshot, june_15.snapshot);

    let georgia_task_force = Filter {
        state: Some("GA".into()),
        model: Some("task_force".into()),
    };
    let georgia = registry
        .stats(Some(day("2025-06-15")), &georgia_task_force)
        .unwrap();
    assert_eq!(georgia.agreements, 3);
    assert_eq!(georgia.agencies, 3);

    let error = registry
        .stats(Some(day("2025-05-31")), &Filter::default())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "no participating snapshot was taken on or before 2025-05-31"
    );
    assert_eq!(error.help().unwrap(), "the earliest is 2025-06-01 am");
}

#[test]
fn diff_lists_additions_and_removals_and_ignores_spelling_changes_and_renames() {
    let mut store = imported();
    let registry = Registry::open(&mut store).unwrap();
    let diff = registry
        .diff(day("2025-06-01"), day("2025-06-15"), &Filter::default())
        .unwrap();
    assert_eq!(
        names(&diff.added),
        vec!["GA Euharlee Sample Police Department task_force"]
    );
    assert_eq!(
        names(&diff.removed),
        vec!["FL Sample Beach Police Department warrant_service_officer"]
    );
    assert_eq!(diff.added_by_model["task_force"], 1);
    assert_eq!(diff.removed_by_state["FL"], 1);
    assert_eq!(diff.from_agreements, 7);
    assert_eq!(diff.to_agreements, 7);
    // The removed agreement is `removed` now; the added one `active`.
    assert_eq!(diff.removed[0].status, "removed");
    assert_eq!(diff.added[0].status, "active");
}

#[test]
fn an_agency_history_shows_names_and_periods() {
    let mut store = imported();
    let registry = Registry::open(&mut store).unwrap();
    let found = registry
        .agency("Lake Clark Shores Police Department", None)
        .unwrap();
    assert_eq!(found.len(), 1);
    let lake = &found[0];
    assert_eq!(lake.name, "Lake Clarke Shores Police Department");
    assert_eq!(lake.names.len(), 2);
    assert_eq!(lake.names[1].link, "renamed");
    assert!(
        lake.names[1]
            .evidence
            .as_ref()
            .unwrap()
            .contains("signed 2025-04-29")
    );
    assert_eq!(lake.agreements.len(), 1);
    assert_eq!(lake.agreements[0].first_seen, "2025-06-01 am");
    assert_eq!(lake.agreements[0].status, "active");

    let euharlee = &registry.agency("euharlee", Some("GA")).unwrap()[0];
    let periods: Vec<(&str, &str)> = euharlee.agreements[0]
        .periods
        .iter()
        .map(|p| (p.status, p.from.as_str()))
        .collect();
    assert_eq!(
        periods,
        vec![("pending", "2025-06-01 am"), ("active", "2025-06-15 pm")]
    );

    let beach = &registry
        .agency("Sample Beach Police Department", Some("FL"))
        .unwrap()[0];
    let periods: Vec<(&str, &str)> = beach.agreements[0]
        .periods
        .iter()
        .map(|p| (p.status, p.from.as_str()))
        .collect();
    assert_eq!(
        periods,
        vec![("active", "2025-06-01 am"), ("removed", "2025-06-15 pm")]
    );

    let error = registry.agency("Nowhere Constable", None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "no agency in the registry matches `Nowhere Constable`"
    );
}

#[test]
fn bad_cells_are_reported_with_file_row_and_column() {
    let mut store = imported();
    let registry = Registry::open(&mut store).unwrap();
    let issues = registry.issues(&IssueFilter::default()).unwrap();
    let find = |kind: &str| {
        issues
            .iter()
            .filter(|i| i.kind == kind)
            .map(|i| {
                (
                    Path::new(i.file.as_deref().unwrap_or(""))
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    i.row,
                    i.column.clone(),
                    i.value.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let first = "participatingAgencies06012025am.csv".to_string();
    let second = "participatingAgencies06152025pm.csv".to_string();
    assert_eq!(
        find("not_a_date"),
        vec![(
            first.clone(),
            Some(8),
            Some("SIGNED (F)".into()),
            Some("7/72025".into())
        )]
    );
    assert_eq!(
        find("implausible_date"),
        vec![(
            second.clone(),
            Some(8),
            Some("SIGNED (F)".into()),
            Some("5025-07-07".into())
        )]
    );
    assert_eq!(
        find("state_corrected"),
        vec![(
            first.clone(),
            Some(8),
            Some("STATE (A)".into()),
            Some("UTAHJ".into())
        )]
    );
    assert_eq!(
        find("stray_whitespace"),
        vec![(
            first.clone(),
            Some(7),
            Some("SUPPORT TYPE (E)".into()),
            Some("Task Force Model ".into())
        )]
    );
    assert_eq!(
        find("unnamed_columns"),
        vec![(first.clone(), None, Some("H, I".into()), None)]
    );
    assert_eq!(find("empty_rows").len(), 1);
    assert_eq!(find("agency_renamed").len(), 1);
    let header = issues.iter().find(|i| i.kind == "header_changed").unwrap();
    assert!(
        header.message.contains("added `ADDENDUM`"),
        "{}",
        header.message
    );
    // CSV dates are text by nature: no note for them.
    assert!(find("date_as_text").is_empty());

    let report = registry.quality().unwrap();
    assert_eq!(report.files, 4);
    assert_eq!(report.rows, 17);
    assert_eq!(report.layouts.len(), 3);
    assert_eq!(report.summary[0].severity, "error");
}

#[test]
fn reimporting_changes_nothing_and_says_so() {
    let mut store = imported();
    let before = fingerprint(&store);
    {
        let mut registry = Registry::open(&mut store).unwrap();
        for file in collect_files(&[sample()], false).unwrap() {
            let report = registry.import(&file, ImportOptions::default()).unwrap();
            assert_eq!(report.status, "already_imported");
            assert!(report.previous.is_some());
        }
        assert!(!registry.is_stale(&NoDirectory).unwrap());
        assert_eq!(registry.ensure_fresh(&mut NoDirectory).unwrap(), None);
    }
    assert_eq!(fingerprint(&store), before);
}

/// Every row of every registry table, as text: equal fingerprints mean equal contents.
fn fingerprint(store: &Store) -> Vec<(String, usize, String)> {
    let tables = [
        "imports",
        "registry_snapshots",
        "registry_rows",
        "registry_issues",
        "registry_agencies",
        "registry_agency_names",
        "registry_agreements",
        "registry_listings",
        "registry_meta",
    ];
    tables
        .iter()
        .map(|table| {
            let mut statement = store
                .connection()
                .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
                .unwrap();
            let columns = statement.column_count();
            let rows: Vec<String> = statement
                .query_map([], |row| {
                    (0..columns)
                        .map(|i| row.get::<_, remit_store::rusqlite::types::Value>(i))
                        .map(|value| value.map(|v| format!("{v:?}")))
                        .collect::<Result<Vec<_>, _>>()
                        .map(|values| values.join(","))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            (
                table.to_string(),
                rows.len(),
                remit_store::content_hash(rows.join("\n").as_bytes()),
            )
        })
        .collect()
}

#[test]
fn a_file_that_cannot_be_read_leaves_no_trace() {
    let dir = std::env::temp_dir().join(format!("remit-registry-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("participatingAgencies06012025am.csv");
    std::fs::write(&bad, "NAME,CITY\nx,y\n").unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let mut registry = Registry::open(&mut store).unwrap();
    let error = registry.import(&bad, ImportOptions::default()).unwrap_err();
    assert!(
        error.to_string().contains("has no 287(g) header row"),
        "{error}"
    );
    let unnamed = dir.join("agencies.csv");
    std::fs::write(&unnamed, "STATE,LAW ENFORCEMENT AGENCY,SUPPORT TYPE\n").unwrap();
    let error = registry
        .import(&unnamed, ImportOptions::default())
        .unwrap_err();
    assert!(
        error.to_string().contains("participating or pending"),
        "{error}"
    );
    let options = ImportOptions {
        kind: Some(SheetKind::Pending),
        as_of: None,
    };
    let error = registry.import(&unnamed, options).unwrap_err();
    assert!(error.to_string().contains("cannot tell when"), "{error}");
    assert!(error.help().unwrap().contains("--as-of"));
    let options = ImportOptions {
        kind: Some(SheetKind::Pending),
        as_of: SnapshotTime::parse("2025-06-02pm"),
    };
    let report = registry.import(&unnamed, options).unwrap();
    assert_eq!(report.taken.to_string(), "2025-06-02 pm");
    assert_eq!(report.rows, 0);
    assert_eq!(store.imports("").unwrap().len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}
