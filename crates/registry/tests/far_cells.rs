//! Workbooks whose cells lie far apart (a few hundred bytes that made the spreadsheet reader
//! allocate a grid of every cell between them: 20 GB for `ZZZZZZ2`, and a 41-letter column
//! that overflowed its column number) are refused before they are read, naming the file and
//! the limit. Found by fuzzing the sheet reader (`fuzz/`, target `registry_sheet`).

use std::path::{Path, PathBuf};

use remit_registry::{Day, ImportOptions, Period, Registry, SheetKind, SnapshotTime, read_sheet};
use remit_store::Store;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/far-cells")
        .join(name)
}

#[test]
fn far_apart_cells_are_refused_before_the_sheet_is_read() {
    let taken = SnapshotTime {
        day: Day::parse_iso("2025-07-01").unwrap(),
        period: Period::Am,
    };
    for name in [
        "participatingAgencies07012025am.xlsx",
        "pendingAgencies07012025am.xlsx",
    ] {
        let path = fixture(name);
        let content = std::fs::read(&path).unwrap();
        assert!(content.len() < 2_000);
        let error = read_sheet(&path, &content, SheetKind::Participating, taken)
            .unwrap_err()
            .to_string();
        assert!(error.contains(name), "{error}");
        assert!(error.contains("REMIT_MAX_COLUMNS"), "{error}");
        assert!(error.contains("the cells reach"), "{error}");

        let mut store = Store::open_in_memory().unwrap();
        let mut registry = Registry::open(&mut store).unwrap();
        let error = registry
            .import(&path, ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(error.contains("REMIT_MAX_COLUMNS"), "{error}");
        assert!(registry.snapshots().unwrap().is_empty());
    }
}
