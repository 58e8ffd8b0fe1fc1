//! The store on real files: migrations, WAL, idempotent and atomic imports.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]

use std::path::PathBuf;

use remit_store::{
    Identity, ImportCounts, ImportOutcome, ImportSource, Migration, Recorded, Schema, Store,
    StoreError, content_hash,
};

/// A fresh folder under the system temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("remit-store-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const NOTES_V1: Migration = Migration {
    version: 1,
    name: "notes",
    sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, import_id INTEGER NOT NULL REFERENCES imports(id), text TEXT NOT NULL);",
};
const NOTES_V2: Migration = Migration {
    version: 2,
    name: "notes author",
    sql: "ALTER TABLE notes ADD COLUMN author TEXT;",
};
const NOTES: Schema = Schema {
    component: "notes",
    migrations: &[NOTES_V1, NOTES_V2],
};

fn tables(store: &Store) -> Vec<String> {
    let mut statement = store
        .connection()
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn count(store: &Store, table: &str) -> i64 {
    store
        .connection()
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .unwrap()
}

#[test]
fn creates_the_file_and_its_folders_in_wal_mode() {
    let dir = TempDir::new("wal");
    let path = dir.0.join("nested/deeper/remit.db");
    let store = Store::open(&path).unwrap();
    assert!(path.exists());
    assert_eq!(store.path(), Some(path.as_path()));
    let mode: String = store
        .connection()
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let foreign_keys: i64 = store
        .connection()
        .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
        .unwrap();
    assert_eq!(foreign_keys, 1);
    assert_eq!(store.schema_version("store").unwrap(), Some(1));
    let page_size = |store: &Store| -> i64 {
        store
            .connection()
            .query_row("PRAGMA page_size", [], |row| row.get(0))
            .unwrap()
    };
    assert_eq!(page_size(&store), 16384);

    // A database made elsewhere with another page size keeps it.
    let other = dir.0.join("other.db");
    let connection = remit_store::rusqlite::Connection::open(&other).unwrap();
    connection
        .execute_batch("PRAGMA page_size = 4096; CREATE TABLE t (x);")
        .unwrap();
    drop(connection);
    let store = Store::open(&other).unwrap();
    assert_eq!(page_size(&store), 4096);
}

#[test]
fn migrations_apply_once_in_order_and_survive_reopening() {
    let dir = TempDir::new("migrate");
    let path = dir.0.join("remit.db");
    {
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version("notes").unwrap(), None);
        assert_eq!(store.migrate(&NOTES).unwrap(), vec![1, 2]);
        assert_eq!(store.migrate(&NOTES).unwrap(), Vec::<u32>::new());
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version("notes").unwrap(), Some(2));
    assert_eq!(store.migrate(&NOTES).unwrap(), Vec::<u32>::new());
    let recorded: Vec<(String, u32, String)> = store
        .connection()
        .prepare(
            "SELECT component, version, name FROM schema_migrations ORDER BY component, version",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        recorded,
        vec![
            ("notes".to_string(), 1, "notes".to_string()),
            ("notes".to_string(), 2, "notes author".to_string()),
            ("store".to_string(), 1, "imports".to_string()),
        ]
    );
}

#[test]
fn an_older_schema_is_upgraded_step_by_step() {
    let mut store = Store::open_in_memory().unwrap();
    let first = Schema {
        component: "notes",
        migrations: &[NOTES_V1],
    };
    assert_eq!(store.migrate(&first).unwrap(), vec![1]);
    assert_eq!(store.migrate(&NOTES).unwrap(), vec![2]);
    store
        .connection()
        .execute(
            "INSERT INTO imports (kind, source_path, content_sha256, content_bytes) VALUES ('k', 'p', 'h', 0)",
            [],
        )
        .unwrap();
    store
        .connection()
        .execute(
            "INSERT INTO notes (import_id, text, author) VALUES (1, 'a', 'b')",
            [],
        )
        .unwrap();
}

#[test]
fn a_failing_migration_changes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let broken = Schema {
        component: "notes",
        migrations: &[
            NOTES_V1,
            Migration {
                version: 2,
                name: "broken",
                sql: "CREATE TABLE extra (id INTEGER); THIS IS NOT SQL;",
            },
        ],
    };
    let error = store.migrate(&broken).unwrap_err();
    assert!(
        matches!(&error, StoreError::Migration { version: 2, .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "migration 2 (`broken`) of `notes` failed"
    );
    assert!(!tables(&store).contains(&"notes".to_string()));
    assert!(!tables(&store).contains(&"extra".to_string()));
    assert_eq!(store.schema_version("notes").unwrap(), None);
}

#[test]
fn a_newer_database_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    store.migrate(&NOTES).unwrap();
    let older = Schema {
        component: "notes",
        migrations: &[NOTES_V1],
    };
    let error = store.migrate(&older).unwrap_err();
    assert!(matches!(
        error,
        StoreError::SchemaTooNew {
            found: 2,
            known: 1,
            ..
        }
    ));
    assert!(error.help().unwrap().contains("--db PATH"));
}

#[test]
fn misnumbered_migrations_are_refused() {
    let mut store = Store::open_in_memory().unwrap();
    let skipping = Schema {
        component: "notes",
        migrations: &[NOTES_V2],
    };
    assert!(matches!(
        store.migrate(&skipping),
        Err(StoreError::MigrationOrder {
            version: 2,
            position: 1,
            ..
        })
    ));
}

fn write_notes(
    transaction: &remit_store::rusqlite::Transaction<'_>,
    import_id: i64,
    texts: &[&str],
) -> Result<((), ImportCounts), StoreError> {
    for text in texts {
        transaction.execute(
            "INSERT INTO notes (import_id, text) VALUES (?1, ?2)",
            remit_store::rusqlite::params![import_id, text],
        )?;
    }
    Ok((
        (),
        ImportCounts {
            rows_read: texts.len() as u64,
            rows_stored: texts.len() as u64,
            issues: 0,
        },
    ))
}

#[test]
fn the_same_content_is_imported_once() {
    let mut store = Store::open_in_memory().unwrap();
    store.migrate(&NOTES).unwrap();
    let content = b"a\nb\n";
    let hash = content_hash(content);
    let source = ImportSource {
        kind: "notes",
        source_path: "first/notes.txt",
        content_sha256: &hash,
        content_bytes: content.len() as u64,
    };
    let first = store
        .import(&source, |tx, id| write_notes(tx, id, &["a", "b"]))
        .unwrap();
    let ImportOutcome::Imported { record, .. } = first else {
        panic!("expected a new import");
    };
    assert_eq!(record.counts.rows_stored, 2);
    assert_eq!(record.source_path, "first/notes.txt");
    assert_eq!(record.imported_at.len(), "2025-01-01T00:00:00Z".len());

    // Same bytes under another name: recognised, nothing written.
    let again = ImportSource {
        source_path: "elsewhere/renamed.txt",
        ..source
    };
    let second = store
        .import(&again, |tx, id| write_notes(tx, id, &["a", "b"]))
        .unwrap();
    match second {
        ImportOutcome::AlreadyImported { previous } => assert_eq!(previous, record),
        ImportOutcome::Imported { .. } => panic!("re-import wrote again"),
    }
    assert_eq!(count(&store, "notes"), 2);
    assert_eq!(count(&store, "imports"), 1);

    // Same bytes as another kind is another import.
    let other_kind = ImportSource {
        kind: "notes.other",
        ..source
    };
    assert!(matches!(
        store
            .import(&other_kind, |tx, id| write_notes(tx, id, &["c"]))
            .unwrap(),
        ImportOutcome::Imported { .. }
    ));
    assert_eq!(store.imports("notes").unwrap().len(), 2);
    assert_eq!(store.imports("notes.").unwrap().len(), 1);
    assert!(store.find_import("notes", &hash).unwrap().is_some());
}

#[test]
fn a_failed_import_leaves_the_store_as_before() {
    let dir = TempDir::new("rollback");
    let path = dir.0.join("remit.db");
    let mut store = Store::open(&path).unwrap();
    store.migrate(&NOTES).unwrap();
    let hash = content_hash(b"bad");
    let source = ImportSource {
        kind: "notes",
        source_path: "bad.txt",
        content_sha256: &hash,
        content_bytes: 3,
    };
    let result = store.import(
        &source,
        |tx, id| -> Result<((), ImportCounts), StoreError> {
            write_notes(tx, id, &["written", "then"])?;
            // A constraint violation halfway through, as a malformed file would cause.
            tx.execute(
                "INSERT INTO notes (import_id, text) VALUES (?1, NULL)",
                [id],
            )?;
            Ok(((), ImportCounts::default()))
        },
    );
    assert!(result.is_err());
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(count(&store, "notes"), 0);
    assert_eq!(count(&store, "imports"), 0);
    assert!(store.find_import("notes", &hash).unwrap().is_none());
}

/// Writes notes and names the content's identity only at the end, as a streaming importer does.
fn write_then_identify(
    transaction: &remit_store::rusqlite::Transaction<'_>,
    import_id: i64,
    texts: &[&str],
) -> Result<(usize, ImportCounts, Identity), StoreError> {
    let ((), counts) = write_notes(transaction, import_id, texts)?;
    let content = texts.join("\n");
    Ok((
        texts.len(),
        counts,
        Identity {
            content_sha256: content_hash(content.as_bytes()),
            content_bytes: content.len() as u64,
        },
    ))
}

#[test]
fn an_identity_known_at_the_end_still_imports_once() {
    let dir = TempDir::new("identify-after");
    let path = dir.0.join("remit.db");
    let mut store = Store::open(&path).unwrap();
    store.migrate(&NOTES).unwrap();
    let (value, first) = store
        .import_then_identify("notes", "a.txt", |tx, id| {
            write_then_identify(tx, id, &["a", "b"])
        })
        .unwrap();
    assert_eq!(value, 2);
    let Recorded::New(record) = first else {
        panic!("expected a new import, got {first:?}");
    };
    assert_eq!(record.content_sha256, content_hash(b"a\nb"));
    assert_eq!(record.content_bytes, 3);
    assert_eq!(record.counts.rows_stored, 2);

    // The same content again: the importer still runs and returns its value, but what it
    // wrote is rolled back and the first import is named.
    let (value, second) = store
        .import_then_identify("notes", "renamed.txt", |tx, id| {
            write_then_identify(tx, id, &["a", "b"])
        })
        .unwrap();
    assert_eq!(value, 2);
    assert_eq!(second, Recorded::Duplicate(record.clone()));
    assert_eq!(count(&store, "notes"), 2);
    assert_eq!(count(&store, "imports"), 1);

    // Other content is a new import; a failing importer leaves nothing, not even its row.
    let (_, third) = store
        .import_then_identify("notes", "c.txt", |tx, id| {
            write_then_identify(tx, id, &["c"])
        })
        .unwrap();
    assert!(matches!(third, Recorded::New(_)));
    let failed = store.import_then_identify("notes", "bad.txt", |tx, id| {
        write_notes(tx, id, &["half"])?;
        tx.execute(
            "INSERT INTO notes (import_id, text) VALUES (?1, NULL)",
            [id],
        )?;
        Ok::<_, StoreError>((
            (),
            ImportCounts::default(),
            Identity {
                content_sha256: "x".to_string(),
                content_bytes: 0,
            },
        ))
    });
    assert!(failed.is_err());
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(count(&store, "notes"), 3);
    assert_eq!(count(&store, "imports"), 2);
    assert!(store.find_import("notes", "pending").unwrap().is_none());
}
