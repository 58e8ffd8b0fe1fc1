//! Reading, writing and searching the directory: the FBI file and its defects, the built-in
//! sample, the federal and named-agencies files against the vocabulary and the FBI list.
#![expect(clippy::panic, reason = "test helpers stop the test on a bad setup")]

mod common;

use std::path::{Path, PathBuf};

use remit_agencies::{AgencyClass, Directory, DirectoryError, DirectorySource};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn shared_data() -> Option<PathBuf> {
    common::shared_data("the FBI list is not read")
}

fn federal_file_count() -> usize {
    remit_agencies::aliases::parse_federal(remit_agencies::aliases::FEDERAL_AGENCIES_TOML)
        .unwrap_or_else(|e| panic!("{e}"))
        .len()
}

#[test]
fn reads_the_fbi_format_keeping_the_latest_year_and_listing_bad_rows() {
    let path = fixture("fbi-small.csv");
    let directory = Directory::from_fbi_csv(&path).unwrap_or_else(|e| panic!("{e}"));
    // Six good ORIs; the FBI row is enriched by the federal file, the other federal agencies
    // are added.
    let fbi_rows = 6;
    assert_eq!(directory.len(), fbi_rows + federal_file_count() - 1);
    assert!(directory.is_complete());
    assert_eq!(directory.source(), DirectorySource::File(path.clone()));

    let anoka = directory
        .by_ori("MN0020000")
        .unwrap_or_else(|| panic!("no Anoka"));
    assert_eq!(anoka.data_year, Some(2025));
    assert_eq!(anoka.population, Some(372_000));
    // The later row of an ORI wins even when it comes first in the file.
    let marshall = directory
        .by_ori("TX1020200")
        .unwrap_or_else(|| panic!("no Marshall"));
    assert_eq!(marshall.name, "Marshall");
    assert_eq!(marshall.data_year, Some(2025));
    // The FBI writes Nebraska `NB`.
    let nebraska = directory
        .by_ori("NBNSP0000")
        .unwrap_or_else(|| panic!("no NSP"));
    assert_eq!(nebraska.state.as_deref(), Some("NE"));
    assert_eq!(nebraska.class, AgencyClass::State);
    assert_eq!(nebraska.county, None);
    // `FS` is federal: no state.
    let fbi = directory
        .by_ori("dcfbiwa01")
        .unwrap_or_else(|| panic!("no FBI"));
    assert_eq!(fbi.state, None);
    assert_eq!(fbi.class, AgencyClass::Federal);
    assert_eq!(fbi.counterparty.as_deref(), Some("federal_other"));
    // `NULL` population is no population.
    let tombstone = directory
        .by_ori("AZ0021100")
        .unwrap_or_else(|| panic!("no Tombstone"));
    assert_eq!(tombstone.population, None);

    let problems: Vec<(u64, &str)> = directory
        .problems()
        .iter()
        .map(|p| (p.line, p.field.as_str()))
        .collect();
    assert_eq!(
        problems,
        [
            (9, "ori"),
            (10, "state_abbr"),
            (11, "population"),
            (12, "pub_agency_name"),
            (13, "data_year"),
        ]
    );
    let first = directory.problems()[0].to_string();
    assert!(first.contains("fbi-small.csv:9: field `ori`"), "{first}");
    assert!(
        first.contains("`bad-ori` is not a nine-character ORI"),
        "{first}"
    );
    let population = directory.problems()[2].to_string();
    assert!(
        population.contains("`12a` is not a whole number"),
        "{population}"
    );
}

#[test]
fn errors_name_the_file_and_what_is_wrong() {
    let missing = fixture("fbi-missing-column.csv");
    let error = Directory::from_fbi_csv(&missing)
        .err()
        .unwrap_or_else(|| panic!("read"));
    let text = error.to_string();
    assert!(
        text.contains("fbi-missing-column.csv:1: missing column `state_abbr`"),
        "{text}"
    );
    assert!(error.help().is_some_and(|h| h.contains("state_abbr")));

    let nowhere = fixture("no-such-file.csv");
    let error = Directory::from_fbi_csv(&nowhere)
        .err()
        .unwrap_or_else(|| panic!("read"));
    assert!(matches!(error, DirectoryError::Read { .. }));
    assert!(error.to_string().starts_with("cannot read `"), "{error}");
    assert!(error.to_string().contains("no-such-file.csv"), "{error}");

    let all_bad = fixture("fbi-all-bad.csv");
    let error = Directory::from_fbi_csv(&all_bad)
        .err()
        .unwrap_or_else(|| panic!("read"));
    assert!(
        error
            .to_string()
            .contains("no usable agency rows (2 skipped)"),
        "{error}"
    );

    let latin1 = fixture("fbi-latin1.csv");
    let error = Directory::from_fbi_csv(&latin1)
        .err()
        .unwrap_or_else(|| panic!("read"));
    let text = error.to_string();
    assert!(
        text.contains("fbi-latin1.csv:2: the file is not UTF-8 text"),
        "{text}"
    );
}

#[test]
fn written_directories_read_back_the_same() {
    let directory =
        Directory::from_fbi_csv(&fixture("fbi-small.csv")).unwrap_or_else(|e| panic!("{e}"));
    let folder = std::env::temp_dir().join(format!("remit-agencies-test-{}", std::process::id()));
    let path = folder.join("nested/agencies.csv");
    directory.write_csv(&path).unwrap_or_else(|e| panic!("{e}"));
    let again = Directory::from_fbi_csv(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.len(), directory.len());
    assert!(again.problems().is_empty(), "{:?}", again.problems());
    for agency in directory.agencies() {
        let other = again
            .by_ori(&agency.ori)
            .unwrap_or_else(|| panic!("lost {}", agency.ori));
        assert_eq!(
            (&other.name, &other.state, &other.county, &other.agency_type),
            (
                &agency.name,
                &agency.state,
                &agency.county,
                &agency.agency_type
            )
        );
        assert_eq!(
            (other.population, other.data_year),
            (agency.population, agency.data_year)
        );
        assert_eq!(other.class, agency.class);
    }
    assert!(!folder.join("nested/agencies.csv.partial").exists());
    let _ = std::fs::remove_dir_all(&folder);
}

#[test]
fn the_builtin_directory_works_with_no_import() {
    let directory = Directory::builtin();
    assert!(directory.len() > 500, "{}", directory.len());
    assert!(!directory.is_complete());
    assert_eq!(directory.source(), DirectorySource::Builtin);
    assert!(
        directory.problems().is_empty(),
        "{:?}",
        directory.problems()
    );
    let ero = directory
        .by_ori("fed-ice-ero")
        .unwrap_or_else(|| panic!("no ERO"));
    assert_eq!(ero.counterparty.as_deref(), Some("ice_ero"));
    assert!(!ero.has_ori());
    let el_cajon = directory
        .by_ori("ca0370500")
        .unwrap_or_else(|| panic!("no El Cajon"));
    assert_eq!(el_cajon.name, "El Cajon");
    assert!(el_cajon.has_ori());
    // The sample is small, as promised.
    assert!(remit_agencies::directory::BUILTIN_SAMPLE_CSV.len() < 100_000);
}

#[test]
fn search_finds_by_name_state_and_ori() {
    let directory = Directory::builtin();
    let marshall = directory.search("Marshall TX", 5);
    assert_eq!(marshall.first().map(|a| a.ori.as_str()), Some("TX1020200"));
    assert!(marshall.iter().all(|a| a.state.as_deref() == Some("TX")));
    let anoka: Vec<&str> = directory
        .search("anoka", 10)
        .iter()
        .map(|a| a.ori.as_str())
        .collect();
    assert!(
        anoka.contains(&"MN0020000") && anoka.contains(&"MN0020100"),
        "{anoka:?}"
    );
    assert_eq!(directory.search("anoka", 1).len(), 1);
    assert_eq!(directory.search("El Cajon", 0).len(), 0);
    let by_ori = directory.search("CA0370500", 5);
    assert_eq!(by_ori.len(), 1);
    assert_eq!(by_ori[0].name, "El Cajon");
    let border = directory.search("border patrol", 3);
    assert_eq!(border.first().map(|a| a.ori.as_str()), Some("fed-cbp-usbp"));
    assert!(directory.search("zzzz qqqq", 5).is_empty());
}

/// Every counterparty word in the federal file is a word of corpus/vocabulary.toml.
#[test]
fn federal_counterparties_are_vocabulary_words() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/vocabulary.toml");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let vocabulary: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let Some(counterparties) = vocabulary.get("counterparties").and_then(|c| c.as_table()) else {
        panic!("{path} has no [counterparties]");
    };
    let federal =
        remit_agencies::aliases::parse_federal(remit_agencies::aliases::FEDERAL_AGENCIES_TOML)
            .unwrap_or_else(|e| panic!("{e}"));
    let mut words = 0;
    for agency in &federal {
        if let Some(word) = &agency.counterparty {
            assert!(
                counterparties.contains_key(word),
                "`{}`: `{word}` is not in [counterparties]",
                agency.id
            );
            words += 1;
        }
    }
    assert!(words > 30);
    for word in ["private_entity", "federal_other"] {
        assert!(counterparties.contains_key(word), "{word}");
    }
    // The words the federal file does not use yet are still the vocabulary's.
    for agency in Directory::builtin().agencies() {
        if let Some(word) = &agency.counterparty {
            assert!(counterparties.contains_key(word), "{}: {word}", agency.ori);
        }
    }
}

#[test]
fn the_full_fbi_list() {
    let Some(data) = shared_data() else {
        return;
    };
    let directory = Directory::from_fbi_csv(&data.join("agencies/fbi-lee.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        directory.problems().is_empty(),
        "{:?}",
        directory.problems()
    );
    let from_fbi = directory.agencies().iter().filter(|a| a.has_ori()).count();
    assert!(from_fbi >= 18_330, "{from_fbi}");
    assert!(
        directory
            .agencies()
            .iter()
            .all(|a| a.state.as_deref() != Some("NB"))
    );
    // ORIs in the maintained files are real and in the right place.
    let federal =
        remit_agencies::aliases::parse_federal(remit_agencies::aliases::FEDERAL_AGENCIES_TOML)
            .unwrap_or_else(|e| panic!("{e}"));
    for entry in federal.iter().filter(|e| e.ori.is_some()) {
        let ori = entry.ori.as_deref().unwrap_or_default();
        let agency = directory
            .by_ori(ori)
            .unwrap_or_else(|| panic!("{}: no {ori}", entry.id));
        assert_eq!(agency.agency_type, "Federal", "{}", entry.id);
    }
    let named = remit_agencies::aliases::parse_named(remit_agencies::aliases::NAMED_AGENCIES_TOML)
        .unwrap_or_else(|e| panic!("{e}"));
    for entry in named.iter().filter(|e| e.ori.is_some()) {
        let ori = entry.ori.as_deref().unwrap_or_default();
        let agency = directory
            .by_ori(ori)
            .unwrap_or_else(|| panic!("{}: no {ori}", entry.name));
        assert_eq!(
            agency.state.as_deref(),
            Some(entry.state.as_str()),
            "{}",
            entry.name
        );
    }
    // Every built-in sample row is an FBI row with the same name.
    for agency in Directory::builtin()
        .agencies()
        .iter()
        .filter(|a| a.has_ori())
    {
        let full = directory
            .by_ori(&agency.ori)
            .unwrap_or_else(|| panic!("{}", agency.ori));
        assert_eq!(full.name, agency.name);
    }
}

#[test]
fn a_directory_from_rows_read_elsewhere_matches_the_file() {
    let from_file =
        Directory::from_fbi_csv(&fixture("fbi-small.csv")).unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<remit_agencies::Agency> = from_file.fbi_agencies().cloned().collect();
    assert_eq!(rows.len(), 6);
    let from_rows = Directory::from_agencies(rows, DirectorySource::Builtin, true);
    assert_eq!(from_rows.len(), from_file.len());
    assert_eq!(from_rows.fbi_len(), from_file.fbi_len());
    for agency in from_file.agencies() {
        let other = from_rows
            .by_ori(&agency.ori)
            .unwrap_or_else(|| panic!("{}", agency.ori));
        assert_eq!(
            (other.class, other.kind),
            (agency.class, agency.kind),
            "{}",
            agency.ori
        );
        assert_eq!(other.counterparty, agency.counterparty, "{}", agency.ori);
    }
}
