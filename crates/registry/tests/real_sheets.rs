//! The registry on ICE's real 287(g) sheets in `../shared/data/287g/ice-sheets` (64 workbooks,
//! 2025-05-15 .. 2025-07-18). Expected counts were read independently with openpyxl (non-empty
//! rows below the header) and are pinned here. Skipped with a notice when the shared data is
//! missing, unless REMIT_REQUIRE_SHARED_DATA is set.

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
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use remit_agencies::Directory;
use remit_registry::{
    Day, DirectoryLinker, Filter, ImportOptions, IssueFilter, NoDirectory, Registry, collect_files,
    state_figures,
};
use remit_store::Store;

/// The sheets folder, or `None` (with a notice) when the shared data is missing.
fn sheets() -> Option<PathBuf> {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/287g/ice-sheets"
    ));
    if path.is_dir() {
        return Some(path.to_path_buf());
    }
    if std::env::var_os("REMIT_REQUIRE_SHARED_DATA").is_some() {
        panic!(
            "../shared/data not found at {} and REMIT_REQUIRE_SHARED_DATA is set",
            path.display()
        );
    }
    eprintln!("skipping: ../shared/data not found");
    None
}

/// Non-empty data rows per workbook, as openpyxl reads them.
const ROWS: &[(&str, u64)] = &[
    (
        "sheets_20250519_024922/participatingAgencies05162025am.xlsx",
        571,
    ),
    ("sheets_20250519_024922/pendingAgencies05152025am.xlsx", 92),
    (
        "sheets_20250519_151802/participatingAgencies05192025am.xlsx",
        581,
    ),
    ("sheets_20250519_151802/pendingAgencies05192025am.xlsx", 82),
    (
        "sheets_20250520_151813/participatingAgencies05192025pm.xlsx",
        588,
    ),
    ("sheets_20250520_151813/pendingAgencies05192025pm.xlsx", 83),
    ("sheets_20250521_151835/pendingAgencies05202025pm.xlsx", 68),
    (
        "sheets_20250522_151740/participatingAgencies05202025pm.xlsx",
        603,
    ),
    ("sheets_20250522_151740/pendingAgencies05212025pm.xlsx", 87),
    (
        "sheets_20250523_151708/participatingAgencies05232025am.xlsx",
        627,
    ),
    ("sheets_20250523_151708/pendingAgencies05232025am.xlsx", 66),
    (
        "sheets_20250527_151813/participatingAgencies05232025pm.xlsx",
        628,
    ),
    ("sheets_20250527_151813/pendingAgencies05232025pm.xlsx", 65),
    (
        "sheets_20250528_151748/participatingAgencies05282025am.xlsx",
        628,
    ),
    ("sheets_20250528_151748/pendingAgencies05282025am.xlsx", 72),
    ("sheets_20250529_151733/pendingAgencies05292025am.xlsx", 68),
    (
        "sheets_20250601_151551/participatingAgencies05292025am.xlsx",
        635,
    ),
    ("sheets_20250601_151551/pendingAgencies05302025pm.xlsx", 82),
    ("sheets_20250603_152001/pendingAgencies06032025am.xlsx", 88),
    ("sheets_20250604_154117/pendingAgencies06032025pm.xlsx", 82),
    (
        "sheets_20250605_151847/participatingAgencies06042025am.xlsx",
        641,
    ),
    (
        "sheets_20250608_151716/participatingAgencies06062025am.xlsx",
        649,
    ),
    ("sheets_20250608_151716/pendingAgencies06062025am.xlsx", 79),
    ("sheets_20250610_151944/pendingAgencies06102025am.xlsx", 93),
    (
        "sheets_20250618_023204/participatingAgencies06172025pm.xlsx",
        706,
    ),
    ("sheets_20250618_023204/pendingAgencies06172025pm.xlsx", 69),
    (
        "sheets_20250621_151520/participatingAgencies06202025am.xlsx",
        719,
    ),
    ("sheets_20250621_151520/pendingAgencies06202025am.xlsx", 56),
    (
        "sheets_20250623_151827/participatingAgencies06232025am.xlsx",
        719,
    ),
    ("sheets_20250623_151827/pendingAgencies06232025am.xlsx", 58),
    ("sheets_20250624_151836/pendingAgencies06242025am.xlsx", 62),
    ("sheets_20250625_151837/pendingAgencies06252025am.xlsx", 75),
    (
        "sheets_20250626_151815/participatingAgencies06262025am.xlsx",
        728,
    ),
    ("sheets_20250626_151815/pendingAgencies06262025am.xlsx", 68),
    (
        "sheets_20250627_151725/participatingAgencies06272025am.xlsx",
        737,
    ),
    ("sheets_20250627_151725/pendingAgencies06272025am.xlsx", 61),
    ("sheets_20250630_151903/pendingAgencies06302025am.xlsx", 68),
    (
        "sheets_20250702_151826/participatingAgencies07012025pm.xlsx",
        744,
    ),
    ("sheets_20250702_151826/pendingAgencies07012025pm.xlsx", 63),
    (
        "sheets_20250703_151805/participatingAgencies07032025pm.xlsx",
        753,
    ),
    (
        "sheets_20250704_151659/participatingAgencies07032025pm.xlsx",
        777,
    ),
    ("sheets_20250704_151659/pendingAgencies07032025pm.xlsx", 47),
    (
        "sheets_20250707_151710/participatingAgencies07072025am.xlsx",
        777,
    ),
    ("sheets_20250707_151710/pendingAgencies07072025am.xlsx", 50),
    (
        "sheets_20250708_151823/participatingAgencies07072025pm.xlsx",
        776,
    ),
    ("sheets_20250708_151823/pendingAgencies07072025pm.xlsx", 51),
    (
        "sheets_20250709_151849/participatingAgencies07092025am.xlsx",
        807,
    ),
    ("sheets_20250709_151849/pendingAgencies07092025am.xlsx", 20),
    (
        "sheets_20250710_151854/participatingAgencies07092025pm.xlsx",
        806,
    ),
    ("sheets_20250710_151854/pendingAgencies07102025am.xlsx", 26),
    (
        "sheets_20250711_151820/participatingAgencies07112025am.xlsx",
        805,
    ),
    (
        "sheets_20250711_151820/pendingAgencies07112025am_b.xlsx",
        39,
    ),
    (
        "sheets_20250712_151631/participatingAgencies07112025pm.xlsx",
        811,
    ),
    ("sheets_20250712_151631/pendingAgencies07112025pm.xlsx", 38),
    (
        "sheets_20250714_151904/participatingAgencies07142025am.xlsx",
        811,
    ),
    ("sheets_20250714_151904/pendingAgencies07142025am.xlsx", 38),
    (
        "sheets_20250715_151733/participatingAgencies07152025am.xlsx",
        811,
    ),
    (
        "sheets_20250716_151931/participatingAgencies07162025am.xlsx",
        826,
    ),
    ("sheets_20250716_151931/pendingAgencies07162025am.xlsx", 24),
    ("sheets_20250717_151909/pendingAgencies07172025am.xlsx", 27),
    (
        "sheets_20250718_151752/participatingAgencies07182025am.xlsx",
        825,
    ),
    ("sheets_20250718_151752/pendingAgencies07182025am.xlsx", 31),
    (
        "sheets_20250719_151637/participatingAgencies07182025pm.xlsx",
        832,
    ),
    ("sheets_20250719_151637/pendingAgencies07182025pm.xlsx", 26),
];

/// One in-memory store with every sheet imported, shared by the tests (imported once per run).
fn open() -> Option<MutexGuard<'static, Store>> {
    static DATABASE: OnceLock<Mutex<Store>> = OnceLock::new();
    let sheets = sheets()?;
    let store = DATABASE.get_or_init(|| {
        let mut store = Store::open_in_memory().unwrap();
        let mut registry = Registry::open(&mut store).unwrap();
        let files = collect_files(&[sheets], false).unwrap();
        assert_eq!(files.len(), 64);
        for file in &files {
            let report = registry.import(file, ImportOptions::default()).unwrap();
            assert_eq!(report.status, "imported", "{}", file.display());
        }
        registry.refresh(&mut NoDirectory).unwrap();
        Mutex::new(store)
    });
    // A failed test poisons the lock; the store itself is still sound for the others.
    Some(store.lock().unwrap_or_else(PoisonError::into_inner))
}

fn day(text: &str) -> Day {
    Day::parse_iso(text).unwrap()
}

#[test]
fn row_counts_per_snapshot_equal_a_spreadsheet_tools() {
    let Some(mut store) = open() else { return };
    let registry = Registry::open(&mut store).unwrap();
    let snapshots = registry.snapshots().unwrap();
    assert_eq!(snapshots.len(), ROWS.len());
    let found: BTreeMap<String, u64> = snapshots
        .iter()
        .map(|s| {
            let path = Path::new(&s.file);
            let folder = path
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy();
            let file = path.file_name().unwrap().to_string_lossy();
            (format!("{folder}/{file}"), s.rows)
        })
        .collect();
    let expected: BTreeMap<String, u64> = ROWS
        .iter()
        .map(|(name, rows)| (name.to_string(), *rows))
        .collect();
    assert_eq!(found, expected);
    let participating = snapshots
        .iter()
        .filter(|s| s.kind.as_str() == "participating")
        .count();
    assert_eq!(participating, 29);
}

#[test]
fn the_latest_sheet_has_832_agreements_of_685_agencies() {
    let Some(mut store) = open() else { return };
    let registry = Registry::open(&mut store).unwrap();
    let stats = registry
        .stats(Some(day("2025-07-18")), &Filter::default())
        .unwrap();
    assert_eq!(stats.snapshot.taken.to_string(), "2025-07-18 pm");
    assert_eq!(stats.snapshot.rows, 832);
    assert_eq!(stats.agreements, 832);
    // 692 distinct (state, name) strings; two differ only by a trailing space, five more only by
    // a curly apostrophe (`Calhoun County Sheriff’s Office` beside `...Sheriff's Office`).
    // openpyxl, trimming and straightening apostrophes, also counts 685.
    assert_eq!(stats.agencies, 685);
    assert_eq!(stats.by_model.values().sum::<u64>(), 832);
    assert_eq!(stats.by_state.values().sum::<u64>(), 832);
    assert!(stats.by_state.keys().all(|state| state.len() == 2));
    assert_eq!(
        stats.pending_snapshot.as_ref().unwrap().taken.to_string(),
        "2025-07-18 pm"
    );
}

#[test]
fn the_issues_example_question_is_answered() {
    // "How many agencies in Georgia had a Task Force Model agreement on 2025-06-30, and which
    // were added since May?" The participating sheet as of 2025-06-30 is that of 2025-06-27 am;
    // the first May sheet is 2025-05-16 am. openpyxl reads 2 Georgia Task Force rows on
    // 2025-06-27 and 1 on 2025-05-16; the new one is Euharlee Police Department.
    let Some(mut store) = open() else { return };
    let registry = Registry::open(&mut store).unwrap();
    let filter = Filter {
        state: Some("GA".into()),
        model: Some("task_force".into()),
    };
    let stats = registry.stats(Some(day("2025-06-30")), &filter).unwrap();
    assert_eq!(stats.snapshot.taken.to_string(), "2025-06-27 am");
    assert_eq!(stats.agencies, 2);
    assert_eq!(stats.agreements, 2);
    let diff = registry.diff(day("2025-05-01"), day("2025-06-30"), &filter);
    assert!(diff.is_err(), "no sheet is dated on or before 2025-05-01");
    let diff = registry
        .diff(day("2025-05-16"), day("2025-06-30"), &filter)
        .unwrap();
    let added: Vec<&str> = diff.added.iter().map(|a| a.agency.as_str()).collect();
    assert_eq!(added, vec!["Euharlee Police Department"]);
    assert!(diff.removed.is_empty());
}

#[test]
fn renames_and_respellings_are_one_agency() {
    let Some(mut store) = open() else { return };
    let registry = Registry::open(&mut store).unwrap();
    // Boca Raton became "Police Services Department" on 2025-07-15; Ft. Myers became Fort Myers.
    let diff = registry
        .diff(day("2025-07-14"), day("2025-07-15"), &Filter::default())
        .unwrap();
    for agreement in diff.added.iter().chain(&diff.removed) {
        assert!(
            !agreement.agency.contains("Boca Raton") && !agreement.agency.contains("Myers"),
            "{agreement:?}"
        );
    }
    let boca = registry
        .agency("Boca Raton Police Department", Some("FL"))
        .unwrap();
    assert_eq!(boca.len(), 1);
    assert_eq!(boca[0].name, "Boca Raton Police Services Department");
    let names: Vec<&str> = boca[0].names.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "Boca Raton Police Department",
            "Boca Raton Police Services Department"
        ]
    );
    assert_eq!(boca[0].agreements[0].first_seen, "2025-05-16 am");
    assert_eq!(boca[0].agreements[0].status, "active");
    assert_eq!(boca[0].agreements[0].signed.as_deref(), Some("2025-03-25"));
    let periods = &boca[0].agreements[0].periods;
    assert_eq!(periods.len(), 1, "{periods:?}");
    assert_eq!(periods[0].to.as_deref(), Some("2025-07-18 pm"));
}

#[test]
fn every_defect_in_the_data_readme_is_reported() {
    let Some(mut store) = open() else { return };
    let registry = Registry::open(&mut store).unwrap();
    let report = registry.quality().unwrap();
    let all = registry.issues(&IssueFilter::default()).unwrap();
    let of_kind = |kind: &str| all.iter().filter(|i| i.kind == kind).collect::<Vec<_>>();

    // Three header versions: participating without and with ADDENDUM, pending without
    // SIGNED/MOA; the change is reported where it happens.
    let layouts: Vec<(String, String)> = report
        .layouts
        .iter()
        .map(|l| (l.kind.clone(), l.columns.join("|")))
        .collect();
    assert_eq!(
        layouts,
        vec![
            (
                "participating".to_string(),
                "STATE|LAW ENFORCEMENT AGENCY|TYPE|COUNTY|SUPPORT TYPE|SIGNED|MOA".to_string()
            ),
            (
                "participating".to_string(),
                "STATE|LAW ENFORCEMENT AGENCY|TYPE|COUNTY|SUPPORT TYPE|SIGNED|MOA|ADDENDUM"
                    .to_string()
            ),
            (
                "pending".to_string(),
                "STATE|LAW ENFORCEMENT AGENCY|TYPE|COUNTY|SUPPORT TYPE".to_string()
            ),
        ]
    );
    let header_changes = of_kind("header_changed");
    assert_eq!(header_changes.len(), 1);
    assert!(header_changes[0].message.contains("added `ADDENDUM`"));
    assert!(
        header_changes[0]
            .file
            .as_ref()
            .unwrap()
            .ends_with("participatingAgencies07012025pm.xlsx")
    );

    // A SIGNED date in year 5025, in each of the nine sheets from 2025-07-09 am on.
    let implausible = of_kind("implausible_date");
    assert_eq!(implausible.len(), 9);
    assert!(
        implausible
            .iter()
            .all(|i| i.value.as_deref() == Some("5025-07-07")
                && i.column.as_deref() == Some("SIGNED (F)")
                && i.row.is_some())
    );

    // Non-date SIGNED cells: `05/082025` in all 29 participating sheets, `7/72025` 13 times.
    let not_dates = of_kind("not_a_date");
    let count = |value: &str| {
        not_dates
            .iter()
            .filter(|i| i.value.as_deref() == Some(value))
            .count()
    };
    assert_eq!(count("05/082025"), 29);
    assert_eq!(count("7/72025"), 13);
    assert_eq!(not_dates.len(), 42);

    // Trailing spaces in SUPPORT TYPE (54 cells in all, openpyxl counts 53 + 1).
    let support_spaces: Vec<_> = of_kind("stray_whitespace")
        .into_iter()
        .filter(|i| i.column.as_deref() == Some("SUPPORT TYPE (E)"))
        .collect();
    assert_eq!(support_spaces.len(), 54);

    // Trailing empty columns: H..M in the early participating sheets, I in the later ones.
    let unnamed = of_kind("unnamed_columns");
    assert_eq!(unnamed.len(), 29);
    assert!(
        unnamed
            .iter()
            .any(|i| i.column.as_deref() == Some("H, I, J, K, L, M"))
    );
    assert!(unnamed.iter().any(|i| i.column.as_deref() == Some("I")));

    // Trailing empty rows (declared by the sheet, no values): 619 in all, as openpyxl sees them.
    let empty: i64 = store_empty_rows(&registry);
    assert_eq!(empty, 619);
    assert_eq!(of_kind("empty_rows").len(), 29);

    // One agency listed once per support model: 832 rows, 685 agencies in the latest sheet.
    let repeated = of_kind("agency_on_several_rows");
    let latest = repeated
        .iter()
        .find(|i| {
            i.file
                .as_ref()
                .unwrap()
                .ends_with("participatingAgencies07182025pm.xlsx")
        })
        .unwrap();
    assert!(
        latest.message.contains("832 agreements, 685 agencies"),
        "{}",
        latest.message
    );

    // And every summary line carries an example with its file.
    assert!(report.summary.iter().all(|s| s.example.file.is_some()));
}

fn store_empty_rows(registry: &Registry<'_>) -> i64 {
    registry
        .store()
        .connection()
        .query_row(
            "SELECT SUM(empty_rows) FROM registry_snapshots",
            [],
            |row| row.get(0),
        )
        .unwrap()
}

#[test]
fn reimporting_every_sheet_is_a_no_op() {
    let Some(sheets) = sheets() else { return };
    let Some(mut store) = open() else { return };
    let imports_before = store.imports("").unwrap();
    let rows_before: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM registry_rows", [], |row| row.get(0))
        .unwrap();
    let mut registry = Registry::open(&mut store).unwrap();
    for file in collect_files(&[sheets], false).unwrap() {
        let report = registry.import(&file, ImportOptions::default()).unwrap();
        assert_eq!(report.status, "already_imported", "{}", file.display());
    }
    assert!(!registry.is_stale(&NoDirectory).unwrap());
    assert_eq!(store.imports("").unwrap(), imports_before);
    let rows_after: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM registry_rows", [], |row| row.get(0))
        .unwrap();
    assert_eq!(rows_after, rows_before);
}

#[test]
fn agencies_link_to_the_fbi_directory() {
    let Some(sheets) = sheets() else { return };
    let fbi = sheets.join("../../agencies/fbi-lee.csv");
    let Some(mut store) = open() else { return };
    let mut registry = Registry::open(&mut store).unwrap();
    let directory = Directory::from_fbi_csv(&fbi).unwrap();
    let figures = state_figures(&directory);
    let mut linker = DirectoryLinker::new(directory.clone());
    let report = registry.refresh(&mut linker).unwrap();
    let connection = registry.store().connection();
    let linked: Vec<(String, String, String)> = connection
        .prepare("SELECT state, name, ori FROM registry_agencies WHERE ori IS NOT NULL")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // The latest participating sheet's agencies alone.
    let (latest_linked, latest_total): (i64, i64) = connection
        .query_row(
            "SELECT COUNT(DISTINCT g.id) FILTER (WHERE g.ori IS NOT NULL), COUNT(DISTINCT g.id)
             FROM registry_listings l
             JOIN registry_agreements a ON a.id = l.agreement_id
             JOIN registry_agencies g ON g.id = a.agency_id
             WHERE l.snapshot_id = (SELECT id FROM registry_snapshots WHERE kind = 'participating'
                 ORDER BY taken_day DESC, period_rank DESC, source_name DESC LIMIT 1)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    eprintln!(
        "ORI match rate: {} of {} agencies in all snapshots ({:.1}%); {latest_linked} of {latest_total} in the latest participating sheet ({:.1}%)",
        report.agencies_linked,
        report.agencies,
        report.link_rate * 100.0,
        latest_linked as f64 * 100.0 / latest_total as f64
    );
    assert_eq!(report.agencies, 724);
    assert_eq!(latest_total, 685);
    // Most agencies not linked are ones the FBI list does not carry (corrections departments,
    // county commissions, Pennsylvania constables, the National Guard).
    assert!(report.link_rate > 0.8, "{report:?}");
    assert_eq!(report.agencies_linked, linked.len() as u64);
    // A link never crosses a state.
    for (state, name, ori) in &linked {
        let agency = directory.by_ori(ori).unwrap();
        assert_eq!(
            agency.state.as_deref(),
            Some(state.as_str()),
            "{name} linked to {ori}"
        );
    }
    let boca = registry.agency("boca raton police", Some("FL")).unwrap();
    let boca_ori = boca[0].ori.as_deref().unwrap();
    assert_eq!(directory.by_ori(boca_ori).unwrap().name, "Boca Raton");

    // Rates: Florida's share of agencies with an agreement, against the FBI list.
    let rates = registry
        .rates(Some(day("2025-07-18")), &figures, "fbi-lee.csv")
        .unwrap();
    let florida = rates.states.iter().find(|r| r.state == "FL").unwrap();
    assert_eq!(florida.directory_agencies, figures["FL"].agencies);
    assert!(florida.agencies_with_agreement > 200);
    assert!(rates.states.iter().all(|r| r.state.len() == 2));
    let per_million: Vec<f64> = rates
        .states
        .iter()
        .map(|r| r.agreements_per_million.unwrap_or(-1.0))
        .collect();
    assert!(
        per_million.windows(2).all(|w| w[0] >= w[1]),
        "sorted by agreements per million"
    );
    registry.refresh(&mut NoDirectory).unwrap();
}
