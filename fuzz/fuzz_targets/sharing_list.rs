//! The sharing-list readers, both ways a list is read: in memory (`remit_sharing::read_list`)
//! and as `sharing import` reads it, from its file through the streaming readers into a store
//! (`Sharing::import`), followed by the check after an import (`Sharing::refresh`, with a memo
//! small enough to drop names). Portal JSON, CSV, lists of names, workbooks as they come and
//! workbooks assembled around fuzzed sheet XML, with and without `--owner` and `--direction
//! inbound`.
//!
//! No panic; an error names the file and stores nothing; every entry has a name, appears once
//! in its direction and points at a line of the file; the import stores exactly the entries and
//! issues the in-memory reader returns, in the same order, and fails when it fails; the check
//! makes one edge per entry, each with a known verdict.
#![no_main]

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use libfuzzer_sys::fuzz_target;
use remit_fuzz::{split_nul, xlsx};
use remit_sharing::remit_agencies::{Directory, Resolver};
use remit_sharing::remit_law::{Corpus, Date, Scenarios};
use remit_sharing::remit_store::Store;
use remit_sharing::{
    Checker, Direction, EdgeVerdict, Entry, Issue, ReadOptions, Sharing, read_list,
};

/// What the readers are compared on: an entry's line, field, direction, name and hints.
type EntryRow = (u64, String, String, String, Option<String>, Option<String>);
/// An issue's line, field, value, severity and message.
type IssueRow = (Option<u64>, String, String, String, String);

fn entry_row(entry: &Entry) -> EntryRow {
    (
        entry.line,
        entry.field.clone(),
        entry.direction.as_str().to_string(),
        entry.name.clone(),
        entry.state_hint.clone(),
        entry.type_hint.clone(),
    )
}

fn issue_row(issue: &Issue) -> IssueRow {
    (
        issue.line,
        issue.field.clone(),
        issue.value.clone(),
        issue.severity.as_str().to_string(),
        issue.message.clone(),
    )
}

/// A folder of this process's own for the files it imports (in memory where the system has
/// `/dev/shm`).
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("remit-fuzz-sharing-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    })
}

/// One checker for the process: its decisions are kept from one input to the next (there are
/// few distinct questions), its names within a memo of 8, so that lists of more names drop some.
fn checker() -> std::sync::MutexGuard<'static, Checker<'static>> {
    static CHECKER: OnceLock<Mutex<Checker<'static>>> = OnceLock::new();
    CHECKER
        .get_or_init(|| {
            let corpus = Box::leak(Box::new(
                Corpus::embedded_with(Scenarios::Skip).expect("the embedded corpus"),
            ));
            Mutex::new(Checker::new(corpus, Resolver::new(Directory::builtin())).with_memo_limit(8))
        })
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// Every sharing row and import of the last input removed: the next input starts empty.
fn empty(store: &Store) {
    store
        .connection()
        .execute_batch(
            "DELETE FROM sharing_edges; DELETE FROM sharing_list_owners;
             DELETE FROM sharing_parties; DELETE FROM sharing_decisions;
             DELETE FROM sharing_rules; DELETE FROM sharing_meta;
             DELETE FROM sharing_entries; DELETE FROM sharing_issues;
             DELETE FROM sharing_lists; DELETE FROM imports;",
        )
        .expect("emptying the store");
}

fn count(store: &Store, sql: &str) -> i64 {
    store
        .connection()
        .query_row(sql, [], |row| row.get(0))
        .expect("a count")
}

fn rows<T>(
    store: &Store,
    sql: &str,
    row: impl FnMut(
        &remit_sharing::remit_store::rusqlite::Row<'_>,
    ) -> remit_sharing::remit_store::rusqlite::Result<T>,
) -> Vec<T> {
    let mut statement = store.connection().prepare(sql).expect("a query");
    statement
        .query_map([], row)
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows")
}

fuzz_target!(|input: &[u8]| {
    static STORE: OnceLock<Mutex<Store>> = OnceLock::new();
    let Some((&control, data)) = input.split_first() else {
        return;
    };
    let Some(today) = Date::new(2026, 5, 1) else {
        return;
    };
    let options = ReadOptions {
        owner: (control & 0x80 == 0).then(|| "Example CA PD".to_string()),
        date: None,
        sheet: None,
        direction: (control & 0x40 != 0).then_some(Direction::Inbound),
        today,
    };
    let assembled;
    let (name, content): (&str, &[u8]) = match (control & 0x3f) % 5 {
        0 => ("portal.json", data),
        1 => ("sharing-list.csv", data),
        2 => ("names.txt", data),
        3 => ("sharing.xlsx", data),
        _ => {
            let (sheet, strings) = split_nul(data);
            assembled = xlsx("A1", sheet, strings);
            ("sharing.xlsx", &assembled)
        }
    };

    // In memory.
    let in_memory = read_list(Path::new(name), content, &options);
    match &in_memory {
        Ok(list) => {
            let lines = content
                .iter()
                .filter(|&&b| b == b'\n' || b == b'\r')
                .count() as u64
                + 1;
            let mut seen = HashSet::new();
            for entry in &list.entries {
                assert!(!entry.name.is_empty(), "an entry without a name");
                assert!(
                    seen.insert((entry.direction, entry.name.as_str())),
                    "`{}` listed twice",
                    entry.name
                );
                if !name.ends_with(".xlsx") {
                    assert!(
                        entry.line >= 1 && entry.line <= lines,
                        "entry on line {}",
                        entry.line
                    );
                }
            }
        }
        Err(error) => {
            let message = error.to_string();
            assert!(
                message.contains(name),
                "the error does not name the file: {message}"
            );
        }
    }

    // As `sharing import` reads it: from the file, streamed where the format allows, into a
    // store.
    let path = scratch().join(name);
    std::fs::write(&path, content).expect("writing the input");
    let mut store = STORE
        .get_or_init(|| {
            let mut store = Store::open_in_memory().expect("a store in memory");
            Sharing::open(&mut store).expect("the sharing tables");
            Mutex::new(store)
        })
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    empty(&store);
    let mut sharing = Sharing::open(&mut store).expect("the sharing tables");
    let imported = sharing.import(&path, &options);
    match (&in_memory, &imported) {
        (Ok(list), Ok(report)) => {
            assert_eq!(report.status, "imported");
            let stored: Vec<EntryRow> = rows(
                sharing.store(),
                "SELECT line, field, direction, name, state_hint, type_hint
                 FROM sharing_entries ORDER BY id",
                |row| {
                    Ok((
                        row.get::<_, i64>(0)? as u64,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                    ))
                },
            );
            let read: Vec<EntryRow> = list.entries.iter().map(entry_row).collect();
            assert_eq!(
                stored, read,
                "the import and the in-memory reader differ on entries"
            );
            let stored: Vec<IssueRow> = rows(
                sharing.store(),
                "SELECT line, field, value, severity, message FROM sharing_issues ORDER BY id",
                |row| {
                    Ok((
                        row.get::<_, Option<i64>>(0)?.map(|l| l as u64),
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                    ))
                },
            );
            let read: Vec<IssueRow> = list.issues.iter().map(issue_row).collect();
            assert_eq!(
                stored, read,
                "the import and the in-memory reader differ on issues"
            );
            assert_eq!(report.owner, list.owner);
            assert_eq!(report.date, list.date.to_string());

            // The check after the import: one edge per entry.
            let mut checker = checker();
            let refreshed = sharing
                .refresh(&mut checker, "built-in sample")
                .expect("the check after an import");
            assert_eq!(refreshed.entries, list.entries.len() as u64);
            assert!(
                checker.memoised() <= 16,
                "{} names kept",
                checker.memoised()
            );
            let verdicts: Vec<String> = rows(
                sharing.store(),
                "SELECT verdict FROM sharing_edges",
                |row| row.get(0),
            );
            assert_eq!(verdicts.len(), list.entries.len());
            for verdict in verdicts {
                assert!(
                    EdgeVerdict::parse(&verdict).is_some(),
                    "verdict `{verdict}`"
                );
            }
        }
        (Err(_), Err(error)) => {
            let message = error.to_string();
            assert!(
                message.contains(name),
                "the import's error does not name the file: {message}"
            );
            assert_eq!(
                count(sharing.store(), "SELECT count(*) FROM sharing_lists"),
                0,
                "a failed import left a list behind"
            );
            assert_eq!(count(sharing.store(), "SELECT count(*) FROM imports"), 0);
        }
        (Ok(_), Err(error)) => panic!("the in-memory reader read it, the import failed: {error}"),
        (Err(error), Ok(_)) => panic!("the import read it, the in-memory reader failed: {error}"),
    }
});
