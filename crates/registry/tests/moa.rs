//! The agreements index (`../shared/data/287g/moa-index/moa_agreements.json`) as a second
//! source: every defect reported with counts, counts by date reaching mid-2026 labelled "MOA
//! posted by", links to the sheets' agencies, and agency histories extended with the documents.
//! Expected counts were read independently with Python's json module. Skipped with a notice when
//! the shared data is missing, unless REMIT_REQUIRE_SHARED_DATA is set.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]
#![expect(
    clippy::panic,
    reason = "a missing required data folder fails the test"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use remit_registry::{
    Day, Filter, ImportOptions, MoaImportReport, NoDirectory, Registry, RegistryError,
};
use remit_store::Store;

fn shared(relative: &str) -> Option<PathBuf> {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/287g"
    ))
    .join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("REMIT_REQUIRE_SHARED_DATA").is_some() {
        panic!(
            "{} not found and REMIT_REQUIRE_SHARED_DATA is set",
            path.display()
        );
    }
    eprintln!("skipping: ../shared/data not found");
    None
}

fn index() -> Option<PathBuf> {
    shared("moa-index/moa_agreements.json")
}

fn day(text: &str) -> Day {
    Day::parse_iso(text).unwrap()
}

fn defects(report: &MoaImportReport) -> BTreeMap<&str, u64> {
    report
        .defects
        .iter()
        .map(|d| (d.kind.as_str(), d.count))
        .collect()
}

#[test]
fn every_defect_of_the_index_is_reported_and_nothing_dropped() {
    let Some(index) = index() else { return };
    let mut store = Store::open_in_memory().unwrap();
    let mut registry = Registry::open(&mut store).unwrap();
    let report = registry.import_moa_index(&index, &mut NoDirectory).unwrap();
    assert_eq!(report.status, "imported");
    assert_eq!((report.documents, report.documents_kept), (1681, 1681));
    // 1,433 keys, six of them a second spelling of another (`sheriff s` / `sheriffs`).
    assert_eq!(report.agencies, 1427);
    assert_eq!(report.states, 40);
    assert_eq!(report.first_posted, Some(day("2025-05-19")));
    assert_eq!(report.last_posted, Some(day("2026-06-30")));
    let counts = defects(&report);
    // 191 documents without a model: 145 whose file name names exactly one.
    assert_eq!(counts["model_from_file_name"], 145);
    assert_eq!(counts["missing_model"], 191 - 145);
    // 374 without a file-name date: read from another form in the name, or left empty.
    assert_eq!(
        counts["file_date_from_file_name"] + counts["missing_file_date"],
        374
    );
    assert_eq!(counts["several_documents"], 206);
    assert_eq!(counts["agency_under_several_keys"], 6);
    assert!(counts["key_lost_punctuation"] > 0);
    assert!(
        counts["bad_file_date"] > 0,
        "seven-digit dates such as `1162025`"
    );
    for defect in &report.defects {
        assert!(!defect.examples.is_empty(), "{}", defect.kind);
    }
    let missing = report
        .defects
        .iter()
        .find(|d| d.kind == "model_from_file_name")
        .unwrap();
    assert!(
        missing.examples[0].contains("says Warrant Service Officer"),
        "{:?}",
        missing.examples
    );

    // The same file again: nothing changes.
    let again = registry.import_moa_index(&index, &mut NoDirectory).unwrap();
    assert_eq!(again.status, "already_imported");
    let documents: i64 = registry
        .store()
        .connection()
        .query_row("SELECT count(*) FROM registry_moa_documents", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(documents, 1681);
}

#[test]
fn counts_by_date_reach_mid_2026_and_say_their_source() {
    let Some(index) = index() else { return };
    let mut store = Store::open_in_memory().unwrap();
    let mut registry = Registry::open(&mut store).unwrap();
    registry.import_moa_index(&index, &mut NoDirectory).unwrap();
    let stats = registry
        .moa_stats(Some(day("2026-06-01")), &Filter::default())
        .unwrap()
        .unwrap();
    assert_eq!(stats.source, "moa_index");
    assert_eq!(stats.label, "MOA posted by 2026-05-15");
    // 1,512 documents of 1,288 index keys (1,282 agencies) first seen by 2026-06-01.
    assert_eq!(stats.documents, 1512);
    assert_eq!(stats.agencies, 1282);
    assert_eq!(
        stats.by_model.values().sum::<u64>(),
        stats.agreements,
        "{:?}",
        stats.by_model
    );
    let texas = registry
        .moa_stats(
            Some(day("2026-06-01")),
            &Filter {
                state: Some("TX".into()),
                model: None,
            },
        )
        .unwrap()
        .unwrap();
    assert_eq!(texas.by_state.keys().collect::<Vec<_>>(), vec!["TX"]);
    assert!(texas.agencies < stats.agencies);
    // Later dates never count fewer: the index records postings, never endings.
    let end = registry
        .moa_stats(Some(day("2026-06-30")), &Filter::default())
        .unwrap()
        .unwrap();
    assert_eq!(end.documents, 1681);
    assert!(end.agencies >= stats.agencies);
    let early = registry
        .moa_stats(Some(day("2025-05-18")), &Filter::default())
        .unwrap()
        .unwrap();
    assert_eq!(
        (early.documents, early.label.as_str()),
        (0, "no MOA posted by then")
    );
}

#[test]
fn index_agencies_link_to_the_sheets_and_extend_their_history() {
    let (Some(index), Some(sheet)) = (
        index(),
        shared("ice-sheets/sheets_20250719_151637/participatingAgencies07182025pm.xlsx"),
    ) else {
        return;
    };
    let mut store = Store::open_in_memory().unwrap();
    let mut registry = Registry::open(&mut store).unwrap();
    // The index first, the sheet after: the refresh relinks.
    let before = registry.import_moa_index(&index, &mut NoDirectory).unwrap();
    assert_eq!(before.links.by_sheet_name, 0);
    registry.import(&sheet, ImportOptions::default()).unwrap();
    registry.refresh(&mut NoDirectory).unwrap();
    let histories = registry
        .agency("Kerr County Sheriff's Office", Some("TX"))
        .unwrap();
    assert_eq!(histories.len(), 1);
    let documents = &histories[0].moa_documents;
    let posted: Vec<(&str, Option<&str>, Option<&str>)> = documents
        .iter()
        .map(|d| {
            (
                d.posted_by.as_str(),
                d.model.as_deref(),
                d.file_date.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        posted,
        vec![
            ("2025-07-01", Some("task_force"), Some("2025-05-08")),
            // No `date_filename` in the index; `05.05.2025` in the name.
            (
                "2025-10-13",
                Some("warrant_service_officer"),
                Some("2025-05-05")
            ),
        ]
    );
    assert!(documents.iter().all(|d| d.link == "sheet_name"));
    let linked: i64 = registry
        .store()
        .connection()
        .query_row(
            "SELECT count(*) FROM registry_moa_links WHERE method = 'sheet_name'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(linked > 400, "{linked} index agencies linked by name");
}

#[test]
fn an_unreadable_index_names_line_and_column_and_changes_nothing() {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("moa-bad");
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("moa_agreements.json");
    std::fs::write(
        &path,
        "{\n  \"TX|a\": [\n    {\"model\": \"TFM\",}\n  ]\n}\n",
    )
    .unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let mut registry = Registry::open(&mut store).unwrap();
    let error = registry
        .import_moa_index(&path, &mut NoDirectory)
        .unwrap_err();
    assert!(matches!(error, RegistryError::Unreadable { .. }));
    assert!(error.to_string().contains("line 3, column"), "{error}");
    assert!(
        registry
            .moa_stats(None, &Filter::default())
            .unwrap()
            .is_none()
    );
}
