//! Stores that must not be trusted or written: read-only files, stores from a newer Remit,
//! stores damaged by a crash, and a full disk (issue 18, part 5).

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]

use std::path::{Path, PathBuf};

use remit_store::{Access, ImportCounts, ImportSource, Migration, Schema, Store, StoreError};

/// A fresh folder under the system temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("remit-safety-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        set_mode(&self.0, 0o755);
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
}

const ROWS: Schema = Schema {
    component: "rows",
    migrations: &[Migration {
        version: 1,
        name: "rows",
        sql: "CREATE TABLE rows (id INTEGER PRIMARY KEY, text TEXT NOT NULL);",
    }],
};

/// A store at `path` with `count` rows of about 300 bytes each, closed cleanly.
fn store_with_rows(path: &Path, count: usize) {
    let mut store = Store::open(path).unwrap();
    store.migrate(&ROWS).unwrap();
    insert_rows(&mut store, count);
}

fn insert_rows(store: &mut Store, count: usize) {
    store
        .transaction(|transaction| {
            for i in 0..count {
                transaction.execute(
                    "INSERT INTO rows (text) VALUES (?1)",
                    [format!("row {i} {}", "x".repeat(300))],
                )?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

fn count(store: &Store) -> i64 {
    store
        .connection()
        .query_row("SELECT COUNT(*) FROM rows", [], |row| row.get(0))
        .unwrap()
}

/// Whether this process can write files whatever their mode says (root can).
fn ignores_modes(dir: &Path) -> bool {
    let probe = dir.join("probe");
    std::fs::write(&probe, b"").unwrap();
    set_mode(&probe, 0o444);
    let writes = std::fs::OpenOptions::new().write(true).open(&probe).is_ok();
    set_mode(&probe, 0o644);
    let _ = std::fs::remove_file(&probe);
    writes
}

#[test]
fn a_read_only_open_reads_and_never_writes() {
    let dir = TempDir::new("read-only");
    let path = dir.0.join("remit.db");
    store_with_rows(&path, 10);
    let before = std::fs::read(&path).unwrap();
    let mut store = Store::open_read_only(&path).unwrap();
    assert_eq!(store.access(), Access::ReadOnly);
    assert_eq!(count(&store), 10);
    assert_eq!(store.migrate(&ROWS).unwrap(), Vec::<u32>::new());
    let error = store
        .transaction(|t| t.execute("DELETE FROM rows", []).map_err(StoreError::from))
        .unwrap_err();
    assert!(matches!(error, StoreError::ReadOnly { .. }), "{error:?}");
    assert!(error.to_string().contains("remit.db"), "{error}");
    // A component it does not have cannot be added, and says why.
    let newer = Schema {
        component: "other",
        migrations: ROWS.migrations,
    };
    let error = store.migrate(&newer).unwrap_err();
    assert!(
        matches!(error, StoreError::ReadOnlyUpgrade { .. }),
        "{error:?}"
    );
    assert!(error.help().unwrap().contains("writable"));
    drop(store);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// Issue 18: a 0444 store, or one in a read-only folder, could not even be read ("attempt to
/// write a readonly database").
#[test]
fn issue_18_a_store_that_cannot_be_written_is_opened_read_only() {
    let dir = TempDir::new("mode");
    if ignores_modes(&dir.0) {
        eprintln!("notice: skipped: this process writes files whatever their mode (root)");
        return;
    }
    let folder = dir.0.join("data");
    std::fs::create_dir(&folder).unwrap();
    let path = folder.join("remit.db");
    store_with_rows(&path, 10);
    set_mode(&path, 0o444);
    let mut store = Store::open(&path).unwrap();
    assert!(store.is_read_only());
    assert_eq!(store.migrate(&ROWS).unwrap(), Vec::<u32>::new());
    assert_eq!(count(&store), 10);
    drop(store);
    // A read-only folder: SQLite cannot make the log's index, so the file is read as immutable.
    let folder = dir.0.join("locked");
    std::fs::create_dir(&folder).unwrap();
    let path = folder.join("remit.db");
    store_with_rows(&path, 10);
    assert!(!folder.join("remit.db-wal").exists());
    set_mode(&folder, 0o555);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(count(&store), 10);
    let error = store
        .transaction(|t| t.execute("DELETE FROM rows", []).map_err(StoreError::from))
        .unwrap_err();
    assert_eq!(store.access(), Access::Immutable);
    assert!(matches!(error, StoreError::ReadOnly { .. }), "{error:?}");
    drop(store);
    set_mode(&folder, 0o755);
}

#[test]
fn a_store_from_a_newer_remit_is_refused_even_read_only() {
    let dir = TempDir::new("newer");
    let path = dir.0.join("remit.db");
    store_with_rows(&path, 1);
    let store = Store::open(&path).unwrap();
    store
        .connection()
        .execute(
            "INSERT INTO schema_migrations (component, version, name) VALUES ('rows', 7, 'future')",
            [],
        )
        .unwrap();
    drop(store);
    for mut store in [
        Store::open(&path).unwrap(),
        Store::open_read_only(&path).unwrap(),
    ] {
        let error = store.migrate(&ROWS).unwrap_err();
        assert!(
            matches!(
                error,
                StoreError::SchemaTooNew {
                    found: 7,
                    known: 1,
                    ..
                }
            ),
            "{error:?}"
        );
    }
}

/// A copy of the store's files taken while a writer has it open: what a crash leaves.
fn crashed_copy(dir: &Path) -> PathBuf {
    let path = dir.join("live.db");
    let mut store = Store::open(&path).unwrap();
    store.migrate(&ROWS).unwrap();
    insert_rows(&mut store, 2000);
    store
        .connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    insert_rows(&mut store, 1);
    let copy = dir.join("crashed.db");
    std::fs::copy(&path, &copy).unwrap();
    std::fs::copy(dir.join("live.db-wal"), dir.join("crashed.db-wal")).unwrap();
    drop(store);
    copy
}

/// Overwrites pages of the file with noise, past its first few pages (the list of tables).
fn damage(path: &Path) {
    use std::io::{Seek, SeekFrom, Write};
    let length = std::fs::metadata(path).unwrap().len();
    let page = 16_384;
    assert!(
        length > 12 * page,
        "the store is too small to damage: {length}"
    );
    let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    for number in [6, 9] {
        file.seek(SeekFrom::Start(number * page)).unwrap();
        file.write_all(&[0xA5; 16_384]).unwrap();
    }
}

#[test]
fn a_crashed_store_that_is_sound_opens() {
    let dir = TempDir::new("crash-sound");
    let copy = crashed_copy(&dir.0);
    let store = Store::open(&copy).unwrap();
    assert_eq!(count(&store), 2001);
}

/// Issue 18: a store with damaged pages was written into and reported healthy.
#[test]
fn issue_18_a_damaged_store_is_refused_checked_and_recovered() {
    let dir = TempDir::new("crash-damaged");
    let copy = crashed_copy(&dir.0);
    damage(&copy);
    for result in [Store::open(&copy), Store::open_read_only(&copy)] {
        let error = result.unwrap_err();
        assert!(matches!(error, StoreError::Corrupt { .. }), "{error:?}");
        assert!(error.to_string().contains("crashed.db"), "{error}");
        let help = error.help().unwrap();
        assert!(help.contains("remit store check"), "{help}");
        assert!(help.contains("remit store recover"), "{help}");
    }
    let check = Store::check_file(&copy).unwrap();
    assert!(!check.is_sound());
    assert!(check.log_left_behind);

    let into = dir.0.join("recovered.db");
    let recovery = Store::recover(&copy, &into).unwrap();
    assert!(!recovery.is_complete());
    let rows = recovery.tables.iter().find(|t| t.name == "rows").unwrap();
    assert!(rows.damaged);
    // Two pages of about 50 rows each are lost; the rest, on both sides of them, is kept.
    assert!(
        rows.rows > 1500 && rows.rows < 2001,
        "recovered {} rows",
        rows.rows
    );
    let recovered = Store::open(&into).unwrap();
    assert_eq!(u64::try_from(count(&recovered)).unwrap(), rows.rows);
    let last: i64 = recovered
        .connection()
        .query_row("SELECT MAX(id) FROM rows", [], |row| row.get(0))
        .unwrap();
    assert_eq!(last, 2001, "rows past the damage are kept");
    assert_eq!(recovered.schema_version("rows").unwrap(), Some(1));
    drop(recovered);
    assert!(Store::check_file(&into).unwrap().is_sound());
    // The damaged file is left as it was, and a recovery never overwrites.
    let again = Store::recover(&copy, &into).unwrap_err();
    assert!(matches!(again, StoreError::Exists { .. }), "{again:?}");
}

/// A full disk, simulated with SQLite's page limit: the error names the store, says what to do,
/// and the store keeps what it had.
#[test]
fn a_full_disk_names_the_store_and_keeps_it_as_it_was() {
    let dir = TempDir::new("full");
    let path = dir.0.join("remit.db");
    store_with_rows(&path, 10);
    let mut store = Store::open(&path).unwrap();
    let pages: i64 = store
        .connection()
        .query_row("PRAGMA page_count", [], |row| row.get(0))
        .unwrap();
    store
        .connection()
        .execute_batch(&format!("PRAGMA max_page_count = {};", pages + 2))
        .unwrap();
    let source = ImportSource {
        kind: "rows",
        source_path: "big.csv",
        content_sha256: "abc",
        content_bytes: 1,
    };
    let result = store.import(&source, |transaction, _| {
        for i in 0..5000 {
            transaction
                .execute(
                    "INSERT INTO rows (text) VALUES (?1)",
                    [format!("row {i} {}", "y".repeat(300))],
                )
                .map_err(|error| StoreError::writing(&path, error))?;
        }
        Ok::<_, StoreError>(((), ImportCounts::default()))
    });
    let error = result.unwrap_err();
    assert!(matches!(error, StoreError::Full { .. }), "{error:?}");
    assert!(error.to_string().contains("remit.db"), "{error}");
    assert!(error.stops_a_batch());
    assert!(error.help().unwrap().contains("free some space"));
    assert_eq!(count(&store), 10);
    assert!(store.imports("").unwrap().is_empty());
}

#[test]
fn a_sound_store_is_recovered_whole_with_its_indexes() {
    let dir = TempDir::new("recover-sound");
    let path = dir.0.join("remit.db");
    store_with_rows(&path, 300);
    let mut store = Store::open(&path).unwrap();
    let keyed = Schema {
        component: "keyed",
        migrations: &[Migration {
            version: 1,
            name: "keyed",
            sql: "CREATE TABLE keyed (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                  CREATE INDEX keyed_value ON keyed (value);",
        }],
    };
    store.migrate(&keyed).unwrap();
    store
        .transaction(|transaction| {
            for i in 0..500 {
                transaction.execute(
                    "INSERT INTO keyed (key, value) VALUES (?1, ?2)",
                    rusqlite_params(i),
                )?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    drop(store);
    let into = dir.0.join("copy.db");
    let recovery = Store::recover(&path, &into).unwrap();
    assert!(recovery.is_complete(), "{recovery:?}");
    let copy = Store::open(&into).unwrap();
    assert_eq!(count(&copy), 300);
    let keyed_rows: i64 = copy
        .connection()
        .query_row("SELECT COUNT(*) FROM keyed", [], |row| row.get(0))
        .unwrap();
    assert_eq!(keyed_rows, 500);
    let index: i64 = copy
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'keyed_value'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(index, 1);
    assert!(Store::check_file(&into).unwrap().is_sound());
}

fn rusqlite_params(i: i64) -> (String, i64) {
    (format!("key {i:04}"), i % 7)
}
