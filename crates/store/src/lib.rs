//! remit-store: the SQLite file that every Remit pipeline writes to and every view reads from.
//!
//! One embedded database (bundled SQLite, no system library) holds the imported records: the
//! 287(g) registry today, audit events and sharing edges later. This crate owns what they share:
//! opening the file (WAL, foreign keys, a busy timeout), the default location in the user's data
//! directory, schema migrations, and the `imports` table that makes every import idempotent by
//! content hash and atomic (one transaction per import: an interrupted import leaves the store as
//! it was).
//!
//! Each component (the registry, the audit pipeline, ...) keeps its own ordered list of
//! migrations next to the code that uses the tables, and calls [`Store::migrate`] with it before
//! use. Versions are counted per component in one `schema_migrations` table, so components evolve
//! independently and a database written by a newer Remit is refused instead of misread.

mod error;
mod import;
mod migrate;
mod path;

use std::path::{Path, PathBuf};

pub use error::StoreError;
pub use import::{
    Identity, ImportCounts, ImportOutcome, ImportRecord, ImportSource, Recorded, content_hash,
};
pub use migrate::{Migration, Schema};
pub use path::{default_path, default_path_from};
pub use rusqlite;

/// The store's own tables: the import log.
pub(crate) const CORE: Schema = Schema {
    component: "store",
    migrations: &[Migration {
        version: 1,
        name: "imports",
        sql: "CREATE TABLE imports (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                source_path TEXT NOT NULL,
                content_sha256 TEXT NOT NULL,
                content_bytes INTEGER NOT NULL,
                imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
                rows_read INTEGER NOT NULL DEFAULT 0,
                rows_stored INTEGER NOT NULL DEFAULT 0,
                issues INTEGER NOT NULL DEFAULT 0,
                UNIQUE (kind, content_sha256)
              );",
    }],
};

/// An open Remit database.
#[derive(Debug)]
pub struct Store {
    connection: rusqlite::Connection,
    path: Option<PathBuf>,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, with its parent folders, in WAL mode,
    /// and brings the store's own tables up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let open_error = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let connection = rusqlite::Connection::open(path).map_err(open_error)?;
        // 16 KiB pages for a new database (an existing one keeps its own): an audit writes
        // hundreds of thousands of finding rows in one import, and every page goes to the WAL
        // and back at the checkpoint one system call at a time, so larger pages make an import
        // cheaper; the dashboard's reads of a local file hardly notice.
        connection
            .execute_batch("PRAGMA page_size = 16384;")
            .map_err(open_error)?;
        // WAL lets the dashboard read while an import writes; NORMAL sync is durable at each
        // checkpoint and safe against corruption, which is what an import log needs.
        let mode: String = connection
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(open_error)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::NoWal {
                path: path.to_path_buf(),
                mode,
            });
        }
        Store::configure(connection, Some(path.to_path_buf()))
    }

    /// Opens the database at `path` if given, else at [`default_path`].
    pub fn open_or_default(path: Option<&Path>) -> Result<Store, StoreError> {
        match path {
            Some(path) => Store::open(path),
            None => Store::open(&default_path()?),
        }
    }

    /// A private in-memory database, for tests and one-off computations.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let connection = rusqlite::Connection::open_in_memory()?;
        Store::configure(connection, None)
    }

    fn configure(
        connection: rusqlite::Connection,
        path: Option<PathBuf>,
    ) -> Result<Store, StoreError> {
        connection.execute_batch(
            "PRAGMA foreign_keys = ON;
             PRAGMA synchronous = NORMAL;
             PRAGMA busy_timeout = 5000;",
        )?;
        let mut store = Store { connection, path };
        store.migrate(&CORE)?;
        Ok(store)
    }

    /// The file behind this store (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The connection, for reading queries. Writes go through [`Store::import`] or
    /// [`Store::transaction`] so that they are atomic.
    pub fn connection(&self) -> &rusqlite::Connection {
        &self.connection
    }

    /// A write transaction that holds the write lock from its start (no other writer can slip
    /// in between a check and a write).
    pub(crate) fn begin(&mut self) -> Result<rusqlite::Transaction<'_>, StoreError> {
        Ok(self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }

    /// Runs `work` in one write transaction: committed if it returns `Ok`, rolled back otherwise.
    pub fn transaction<T, E>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let transaction = self.begin()?;
        let value = work(&transaction)?;
        transaction.commit().map_err(StoreError::from)?;
        Ok(value)
    }
}
