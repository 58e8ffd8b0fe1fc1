//! Large sharing lists are imported as a stream: entries go into the store as they are read and
//! repeated names are found in the store, so a list of any size needs the same memory (measured
//! by `bench/bombs/run.sh`, `sharing-list` and `sharing-names`). These tests check that what a
//! streamed import stores is exactly what the list says, on generated lists of 200,000 rows.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]
#![expect(
    clippy::panic,
    reason = "the shared helpers fail a test whose required data folder is missing"
)]

use std::io::Write;
use std::path::{Path, PathBuf};

use remit_sharing::remit_store::Store;
use remit_sharing::{Direction, Severity, Sharing, read_list};

#[expect(
    dead_code,
    reason = "these tests make their own lists: only the read options are shared"
)]
mod common;
use common::options;

const ROWS: usize = 200_000;

/// A folder of this test's own under the target directory, emptied.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `Name,State,Type` rows: ROWS distinct names, a blank name every 1,000 rows, every 100th name
/// again at the end, and one line that is not UTF-8.
fn write_csv(path: &Path) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "Name,State,Type").unwrap();
    for i in 0..ROWS {
        if i % 1_000 == 999 {
            writeln!(out, ",CA,Police").unwrap();
        }
        writeln!(out, "Agency number {i} Police Department,CA,Police").unwrap();
    }
    out.write_all(b"Caf\xe9 Agency PD,CA,Police\n").unwrap();
    for i in (0..ROWS).step_by(100) {
        writeln!(out, "\"Agency number {i} Police Department\",CA,Police").unwrap();
    }
    out.flush().unwrap();
}

fn count(store: &Store, sql: &str) -> i64 {
    store
        .connection()
        .query_row(sql, [], |row| row.get(0))
        .unwrap()
}

#[test]
fn a_large_csv_list_is_stored_entry_by_entry_as_read() {
    let dir = scratch("stream-csv");
    let path = dir.join("large.csv");
    write_csv(&path);
    let options = options(Some("El Cajon CA PD"));

    let mut store = Store::open_in_memory().unwrap();
    let report = Sharing::open(&mut store)
        .unwrap()
        .import(&path, &options)
        .unwrap();
    assert_eq!(report.status, "imported");
    assert_eq!(
        report.outbound,
        ROWS as u64 + 1,
        "every distinct name, once"
    );
    assert_eq!(report.inbound, 0);
    let blanks = (ROWS / 1_000) as u64;
    let repeats = (ROWS / 100) as u64;
    // The header row, the blank names and the repeats are notes; the byte that is not UTF-8 a
    // warning.
    assert_eq!(report.issues.note, 1 + blanks + repeats);
    assert_eq!(report.issues.warning, 1);
    assert_eq!(report.issues.error, 0);

    assert_eq!(
        count(&store, "SELECT count(*) FROM sharing_entries"),
        ROWS as i64 + 1
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(DISTINCT name) FROM sharing_entries WHERE direction = 'outbound'"
        ),
        ROWS as i64 + 1
    );
    assert_eq!(
        count(
            &store,
            "SELECT outbound FROM sharing_lists WHERE owner = 'El Cajon CA PD' AND format = 'name_state_type'"
        ),
        ROWS as i64 + 1
    );
    // Lines are the file's: the first name on line 2, the 1,000th after its blank row on 1,002.
    assert_eq!(
        count(
            &store,
            "SELECT line FROM sharing_entries WHERE name = 'Agency number 0 Police Department'"
        ),
        2
    );
    assert_eq!(
        count(
            &store,
            "SELECT line FROM sharing_entries WHERE name = 'Agency number 999 Police Department'"
        ),
        1_002
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM sharing_issues WHERE message = 'listed twice; counted once'"
        ),
        repeats as i64
    );

    // The same file read into memory gives the same entries and issues, in the same order.
    let list = read_list(&path, &std::fs::read(&path).unwrap(), &options).unwrap();
    assert_eq!(list.count(Direction::Outbound), ROWS + 1);
    let stored: Vec<(i64, String)> = {
        let connection = store.connection();
        let mut statement = connection
            .prepare("SELECT line, name FROM sharing_entries ORDER BY id")
            .unwrap();
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let read: Vec<(i64, String)> = list
        .entries
        .iter()
        .map(|e| (e.line as i64, e.name.clone()))
        .collect();
    assert!(
        stored == read,
        "the streamed and in-memory readers disagree"
    );
    let notes = list
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Note)
        .count();
    assert_eq!(notes as u64, report.issues.note);

    // Imported again: nothing changes.
    let again = Sharing::open(&mut store)
        .unwrap()
        .import(&path, &options)
        .unwrap();
    assert_eq!(again.status, "already_imported");
    assert_eq!(count(&store, "SELECT count(*) FROM sharing_lists"), 1);
}

#[test]
fn a_large_text_list_is_stored_as_read() {
    let dir = scratch("stream-text");
    let path = dir.join("large.txt");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(out, "# agencies we share with").unwrap();
    for i in 0..ROWS {
        writeln!(out, "Agency number {i} Police Department\r").unwrap();
    }
    writeln!(out, "Agency number 7 Police Department").unwrap();
    drop(out);
    let mut store = Store::open_in_memory().unwrap();
    let report = Sharing::open(&mut store)
        .unwrap()
        .import(&path, &options(Some("El Cajon CA PD")))
        .unwrap();
    assert_eq!(report.outbound, ROWS as u64);
    assert_eq!(report.issues.note, 1, "the repeat");
    assert_eq!(
        count(
            &store,
            "SELECT line FROM sharing_issues WHERE message = 'listed twice; counted once'"
        ),
        ROWS as i64 + 2
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM sharing_entries WHERE name LIKE '%' || char(13)"
        ),
        0,
        "carriage returns are not part of names"
    );
}

#[test]
fn a_record_too_long_at_the_end_of_a_large_list_leaves_nothing_behind() {
    let dir = scratch("stream-long");
    let path = dir.join("long-at-end.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(out, "Organization Name").unwrap();
    for i in 0..ROWS {
        writeln!(out, "Agency number {i} Police Department").unwrap();
    }
    // A quoted field that never ends: the rest of the file would be one record.
    out.write_all(b"\"Agency that never ends ").unwrap();
    for _ in 0..(3 << 20) / 64 {
        out.write_all(&[b'z'; 64]).unwrap();
        out.write_all(b"\n").unwrap();
    }
    drop(out);
    let mut store = Store::open_in_memory().unwrap();
    let error = Sharing::open(&mut store)
        .unwrap()
        .import(&path, &options(Some("El Cajon CA PD")))
        .unwrap_err()
        .to_string();
    let line = ROWS + 2;
    assert!(error.contains("long-at-end.csv"), "{error}");
    assert!(error.contains(&format!("line {line}:")), "{error}");
    assert!(error.contains("REMIT_MAX_RECORD_BYTES"), "{error}");
    assert!(error.contains("Agency that never ends"), "{error}");
    assert!(error.len() < 400, "{error}");
    assert_eq!(count(&store, "SELECT count(*) FROM sharing_lists"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM sharing_entries"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM imports"), 0);
}
