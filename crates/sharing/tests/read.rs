//! Reading sharing lists: the self-made samples in `tests/fixtures`, and the real archives and
//! releases in `../shared/data/alpr` (skipped with a notice when missing, unless
//! REMIT_REQUIRE_SHARED_DATA is set).

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]
#![expect(
    clippy::panic,
    reason = "a missing required data folder fails the test"
)]

use std::path::Path;

use remit_sharing::{
    Direction, Format, ParsedList, ReadOptions, Severity, SharingError, collect_files, read_list,
};

mod common;
use common::{fixture, options, shared};

fn read(path: &Path, options: &ReadOptions) -> Result<ParsedList, SharingError> {
    let content = std::fs::read(path).unwrap();
    read_list(path, &content, options)
}

fn names(list: &ParsedList, direction: Direction) -> Vec<&str> {
    list.entries
        .iter()
        .filter(|e| e.direction == direction)
        .map(|e| e.name.as_str())
        .collect()
}

#[test]
fn portal_sample_keeps_every_name_with_its_place_and_sets_aside_the_rest() {
    let list = read(&fixture("portal-el-cajon-sample.json"), &options(None)).unwrap();
    assert_eq!(list.format, Format::Portal);
    assert_eq!(list.owner, "El Cajon PD ( CA)");
    assert_eq!(list.owner_state_hint.as_deref(), Some("CA"));
    assert_eq!(list.date.to_string(), "2026-04-29");
    assert_eq!(list.retention_days, Some(30));
    assert_eq!(list.searches_30d, Some(614), "a number written as text");
    assert!(list.immigration_use_prohibited);
    assert_eq!(
        names(&list, Direction::Outbound),
        [
            "San Diego CA PD",
            "Acworth GA PD",
            "U.S. Border Patrol [Federal]",
            "Home Depot Corporation",
            "Sky Ranch (CA)",
            "Decommissioned Org",
            "El Cajon CA PD",
        ]
    );
    assert_eq!(
        names(&list, Direction::Inbound),
        ["Hillside IL PD", "Chula Vista CA PD"]
    );
    let acworth = &list.entries[1];
    assert_eq!(acworth.field, "sharing_outbound[1]");
    assert_eq!(acworth.line, 11, "the line the name is on");
    // The number is set aside as an error, the blank and the duplicate as notes.
    let issues: Vec<(Severity, &str)> = list
        .issues
        .iter()
        .map(|i| (i.severity, i.field.as_str()))
        .collect();
    assert_eq!(
        issues,
        [
            (Severity::Error, "sharing_outbound[6]"),
            (Severity::Note, "sharing_outbound[7]"),
            (Severity::Note, "sharing_outbound[8]"),
        ]
    );
    assert!(list.issues[0].message.contains("found a number"));
    assert_eq!(list.issues[0].line, Some(16));
}

#[test]
fn portal_without_a_name_is_read_from_its_slug_and_dated_by_its_crawl() {
    let list = read(&fixture("portal-no-name.json"), &options(None)).unwrap();
    assert_eq!(list.owner, "Dixon CA PD");
    assert_eq!(list.owner_state_hint.as_deref(), Some("CA"));
    assert_eq!(list.date.to_string(), "2026-04-26");
    assert_eq!(list.date_from.as_str(), "crawled_at");
    assert_eq!(list.retention_days, None);
    let fields: Vec<&str> = list.issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(fields, ["crawled_name", "data_retention_days"]);
    assert!(list.issues[1].message.contains("whole number"));
}

#[test]
fn options_override_what_the_portal_says() {
    let options = ReadOptions {
        owner: Some("El Cajon CA PD".to_string()),
        date: Some("2025-01-01".parse().unwrap()),
        ..options(None)
    };
    let list = read(&fixture("portal-el-cajon-sample.json"), &options).unwrap();
    assert_eq!(list.owner, "El Cajon CA PD");
    assert_eq!(list.date.to_string(), "2025-01-01");
    assert_eq!(list.date_from.as_str(), "option");
}

#[test]
fn broken_json_names_file_and_line() {
    let path = fixture("portal-broken.json");
    let error = read(&path, &options(None)).unwrap_err();
    let message = error.to_string();
    assert!(
        matches!(error, SharingError::Json { line: 5, .. }),
        "{message}"
    );
    assert!(message.contains("portal-broken.json"), "{message}");
    assert!(message.contains("line 5"), "{message}");
}

#[test]
fn a_list_of_the_wrong_type_names_file_line_and_field() {
    let error = read(&fixture("portal-wrong-type.json"), &options(None)).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("line 5, field `sharing_outbound`: expected a list of names, found text"),
        "{message}"
    );
}

#[test]
fn json_that_is_not_a_portal_is_refused_with_advice() {
    let error = read(&fixture("not-a-portal.json"), &options(None)).unwrap_err();
    assert!(matches!(error, SharingError::NotAPortal { .. }));
    assert!(
        error
            .help()
            .unwrap_or_default()
            .contains("sharing_outbound")
    );
}

#[test]
fn name_state_type_csv_needs_an_owner_and_keeps_the_columns() {
    let path = fixture("name-state-type.csv");
    let error = read(&path, &options(None)).unwrap_err();
    assert!(matches!(error, SharingError::NoOwner { .. }));
    assert!(error.help().unwrap_or_default().contains("--owner"));

    let options = ReadOptions {
        owner: Some("Eugene OR PD".to_string()),
        ..options(None)
    };
    let list = read(&path, &options).unwrap();
    assert_eq!(list.format, Format::NameStateType);
    assert_eq!(list.date.to_string(), "2026-11-01");
    assert_eq!(list.date_from.as_str(), "import_day");
    assert_eq!(list.entries.len(), 5);
    let carson = &list.entries[1];
    assert_eq!(carson.name, "Carson City NV SO");
    assert_eq!(carson.state_hint.as_deref(), Some("WA"));
    assert_eq!(carson.type_hint.as_deref(), Some("Sheriff's Office"));
    assert_eq!(carson.line, 3);
    assert_eq!(carson.field, "Name");
    // The blank row is skipped without a trace; the header is a note.
    assert_eq!(list.entries[4].line, 7);
}

#[test]
fn organization_export_gives_both_directions_and_its_owner() {
    let list = read(&fixture("organization-sharing.csv"), &options(None)).unwrap();
    assert_eq!(list.format, Format::OrganizationSharing);
    assert_eq!(list.owner, "Okaloosa County FL SO");
    assert_eq!(list.owner_from.as_str(), "column");
    assert_eq!(
        names(&list, Direction::Outbound),
        [
            "Walton County FL SO",
            "Cape Coral FL PD",
            "Polk County FL SO"
        ]
    );
    assert_eq!(
        names(&list, Direction::Inbound),
        [
            "Walton County FL SO",
            "Orange Beach AL PD",
            "Polk County FL SO"
        ]
    );
    let notes: Vec<(Option<u64>, &str)> = list
        .issues
        .iter()
        .map(|i| (i.line, i.message.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            (Some(6), "no network shared either way; skipped"),
            (Some(7), "listed twice; counted once"),
        ]
    );
}

#[test]
fn direction_applies_to_lists_of_names_only() {
    let options = ReadOptions {
        direction: Some(Direction::Inbound),
        ..options(None)
    };
    let error = read(&fixture("organization-sharing.csv"), &options).unwrap_err();
    assert!(matches!(error, SharingError::DirectionNotApplicable { .. }));
    let options = ReadOptions {
        owner: Some("Example County CA SO".to_string()),
        ..options
    };
    let list = read(&fixture("names.txt"), &options).unwrap();
    assert!(
        list.entries
            .iter()
            .all(|e| e.direction == Direction::Inbound)
    );
}

#[test]
fn text_lists_skip_comments_and_blank_lines() {
    let options = ReadOptions {
        owner: Some("Example County CA SO".to_string()),
        ..options(None)
    };
    let list = read(&fixture("names.txt"), &options).unwrap();
    assert_eq!(list.format, Format::Names);
    let found: Vec<(u64, &str)> = list
        .entries
        .iter()
        .map(|e| (e.line, e.name.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (2, "ALAMEDA COUNTY SHERIFFS OFFICE (CA)"),
            (3, "ANTIOCH POLICE DEPARTMENT CA"),
            (5, "ARROYO GRANDE POLICE DEPARTMENT-CA"),
            (6, "Reno NV PD"),
        ]
    );
}

#[test]
fn workbooks_need_a_sheet_when_they_have_several() {
    let path = fixture("vigilant-lists.xlsx");
    let error = read(&path, &options(None)).unwrap_err();
    assert!(
        error.to_string().contains("`Request`, `A1`, `A2`"),
        "{error}"
    );
    let options = ReadOptions {
        owner: Some("Irvine CA PD".to_string()),
        sheet: Some("a1".to_string()),
        ..options(None)
    };
    let list = read(&path, &options).unwrap();
    assert_eq!(list.sheet.as_deref(), Some("A1"));
    assert_eq!(
        names(&list, Direction::Outbound),
        [
            "ALAMEDA COUNTY SHERIFFS OFFICE (CA)",
            "ANAHEIM CA PD",
            "ARROYO GRANDE POLICE DEPARTMENT-CA",
            "CAL FIRE",
            "RENO POLICE DEPARTMENT (NV)",
        ]
    );
    assert_eq!(list.entries[0].line, 2, "the sheet row");
    let missing = ReadOptions {
        sheet: Some("A9".to_string()),
        ..options
    };
    let error = read(&path, &missing).unwrap_err();
    assert!(matches!(error, SharingError::NoSuchSheet { .. }));
}

#[test]
fn tables_without_a_name_column_or_with_broken_quotes_are_refused() {
    let options = ReadOptions {
        owner: Some("Eugene OR PD".to_string()),
        ..options(None)
    };
    let error = read(&fixture("no-name-column.csv"), &options).unwrap_err();
    assert!(
        error.to_string().contains("header is `Agency Code,Region`"),
        "{error}"
    );
    let error = read(&fixture("bad-quotes.csv"), &options);
    // The CSV reader takes an unclosed quote to the end of the file: one name with a line
    // break in it, which the list keeps as written (whitespace made single).
    let list = error.unwrap();
    assert_eq!(list.entries.len(), 2);
    assert_eq!(list.entries[1].name, "Unclosed quote,OR");
}

#[test]
fn search_logs_are_not_read_as_lists_of_agencies() {
    // A network audit has a `Name` column: the officer's.
    let options = ReadOptions {
        owner: Some("El Cajon CA PD".to_string()),
        ..options(None)
    };
    let error = read(&fixture("network-audit.csv"), &options).unwrap_err();
    assert!(matches!(error, SharingError::SearchLog { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("is a search log (it has a `License Plate` column)"),
        "{error}"
    );
    assert!(
        error
            .help()
            .unwrap_or_default()
            .contains("remit sharing compare")
    );
}

#[test]
fn unknown_extensions_are_refused_and_folders_are_searched() {
    let error = read(&fixture("README.md"), &options(None)).unwrap_err();
    assert!(matches!(error, SharingError::UnsupportedFile { .. }));
    let files = collect_files(&[fixture("")]).unwrap();
    let names: Vec<String> = files
        .iter()
        .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    assert!(names.contains(&"portal-el-cajon-sample.json".to_string()));
    assert!(names.contains(&"vigilant-lists.xlsx".to_string()));
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with(".md") || n.ends_with(".py"))
    );
}

#[test]
fn real_portals_all_read_with_their_entry_counts() {
    let Some(folder) = shared("transparency-portals") else {
        return;
    };
    let files = collect_files(&[folder]).unwrap();
    assert_eq!(files.len(), 187);
    let (mut outbound, mut inbound, mut from_slug) = (0, 0, 0);
    for file in &files {
        let list = read(file, &options(None)).unwrap();
        outbound += list.count(Direction::Outbound);
        inbound += list.count(Direction::Inbound);
        if list.owner_from.as_str() == "crawled_slug" {
            from_slug += 1;
        }
        assert!(list.issues.iter().all(|i| i.severity != Severity::Error));
    }
    // The data README's count of outbound entries; no list repeats a name.
    assert_eq!(outbound, 40_553);
    assert_eq!(inbound, 4_560);
    assert_eq!(from_slug, 7);
}

#[test]
fn real_sharing_lists_read_in_their_layouts() {
    let Some(eugene) = shared("eugene-or/sharing-list.csv") else {
        return;
    };
    let options = ReadOptions {
        owner: Some("Eugene OR PD".to_string()),
        ..options(None)
    };
    let list = read(&eugene, &options).unwrap();
    assert_eq!(list.format, Format::NameStateType);
    assert_eq!(list.entries.len(), 59);

    let Some(okaloosa) = shared("okaloosa-fl/sharing-agencies.csv") else {
        return;
    };
    let list = read(&okaloosa, &self::options(None)).unwrap();
    assert_eq!(list.owner, "Okaloosa County FL SO");
    // 536 rows with `Networks I'm Sharing` filled, one organisation listed twice.
    assert_eq!(list.count(Direction::Outbound), 535);
    assert_eq!(list.count(Direction::Inbound), 655);

    let Some(irvine) = shared("irvine-ca/vigilant-audit_2021-12_2025-01.xlsx") else {
        return;
    };
    let options = ReadOptions {
        owner: Some("Irvine CA PD".to_string()),
        sheet: Some("A1".to_string()),
        ..self::options(None)
    };
    let list = read(&irvine, &options).unwrap();
    assert_eq!(list.entries.len(), 316);
    assert_eq!(list.entries[0].name, "ALAMEDA COUNTY NARCOTICS TASK FORCE");
}
