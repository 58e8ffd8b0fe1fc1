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

#![warn(missing_docs)]

pub mod csv_out;
mod error;
mod files;
mod health;
mod import;
pub mod limits;
mod migrate;
mod path;

use std::path::{Path, PathBuf};

pub use error::StoreError;
pub use files::{FileError, IssueCounts, PreviousImport, check_readable, collect_files};
pub use health::{Check, Recovery, TableRecovery};
pub use import::{
    Identity, ImportCounts, ImportOutcome, ImportRecord, ImportSource, Recorded, content_hash,
};
pub use migrate::{Migration, Schema};
pub use path::{data_dir, data_dir_from, default_path, default_path_from};
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
    access: Access,
}

/// How a store was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads and writes.
    ReadWrite,
    /// Reads only: SQLite was asked for a read-only connection, so nothing (not even the
    /// write-ahead log's index) is written.
    ReadOnly,
    /// Reads only, of a file SQLite is told cannot change (`immutable`): a store in a folder that
    /// cannot be written, where even a read-only connection cannot make the log's index.
    Immutable,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, with its parent folders, in WAL mode,
    /// and brings the store's own tables up to date. A store that exists but cannot be written
    /// (a read-only file, folder or file system) is opened read-only instead: it can be read,
    /// and a write fails with [`StoreError::ReadOnly`]. A store that was not closed cleanly is
    /// checked first (`PRAGMA quick_check`) and refused when it is damaged.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if path.is_file() && !health::writable(path) {
            return Store::open_read_only(path);
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        if health::log_left_behind(path) {
            // Checked through a read-only connection: closing a writer's would checkpoint the
            // log into the damaged file.
            let (reader, _) = health::connect_read_only(path)?;
            health::refuse_if_damaged(&reader, path)?;
        }
        let open_error = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let connection = match rusqlite::Connection::open(path) {
            Ok(connection) => connection,
            Err(error) if path.is_file() && health::is_read_only_error(&error) => {
                return Store::open_read_only(path);
            }
            Err(error) => return Err(open_error(error)),
        };
        // SQLite opens a file it may not write read-only without saying so.
        if connection.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            drop(connection);
            return Store::open_read_only(path);
        }
        // 16 KiB pages for a new database (an existing one keeps its own): an audit writes
        // hundreds of thousands of finding rows in one import, and every page goes to the WAL
        // and back at the checkpoint one system call at a time, so larger pages make an import
        // cheaper; the dashboard's reads of a local file hardly notice.
        connection
            .execute_batch("PRAGMA page_size = 16384;")
            .map_err(open_error)?;
        // WAL lets the dashboard read while an import writes; NORMAL sync is durable at each
        // checkpoint and safe against corruption, which is what an import log needs.
        let mode: String =
            match connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)) {
                Ok(mode) => mode,
                Err(error) if health::is_read_only_error(&error) => {
                    drop(connection);
                    return Store::open_read_only(path);
                }
                Err(error) => return Err(open_error(error)),
            };
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::NoWal {
                path: path.to_path_buf(),
                mode,
            });
        }
        let store = Store::configure(connection, Some(path.to_path_buf()), Access::ReadWrite)?;
        // A writer makes the log beside the file on its first read; none means that the folder
        // cannot be written, and so neither can the store.
        if !health::log_exists(path) {
            drop(store);
            return Store::open_read_only(path);
        }
        Ok(store)
    }

    /// Opens the existing database at `path` for reading only, as the dashboard and every read
    /// command need: SQLite's read-only mode, so that a read-only file or folder is no obstacle
    /// and nothing is ever written. When the folder cannot be written either (so SQLite cannot
    /// make the log's index beside the file), the file is opened as immutable. A store that was
    /// not closed cleanly is checked first, as in [`Store::open`]; a store whose schema is newer
    /// than this Remit's is refused by the first [`Store::migrate`].
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        let unclean = health::log_left_behind(path);
        let (connection, access) = health::connect_read_only(path)?;
        if unclean {
            health::refuse_if_damaged(&connection, path)?;
        }
        Store::configure(connection, Some(path.to_path_buf()), access)
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
        Store::configure(connection, None, Access::ReadWrite)
    }

    fn configure(
        connection: rusqlite::Connection,
        path: Option<PathBuf>,
        access: Access,
    ) -> Result<Store, StoreError> {
        connection.execute_batch(
            "PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 5000;",
        )?;
        if access == Access::ReadWrite {
            connection.execute_batch("PRAGMA synchronous = NORMAL;")?;
        }
        let mut store = Store {
            connection,
            path,
            access,
        };
        store.migrate(&CORE)?;
        Ok(store)
    }

    /// How this store was opened.
    pub fn access(&self) -> Access {
        self.access
    }

    /// Whether this store refuses writes.
    pub fn is_read_only(&self) -> bool {
        self.access != Access::ReadWrite
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
        if self.is_read_only() {
            return Err(self.read_only_error());
        }
        let path = self.path.clone();
        self.connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|source| StoreError::write(path.as_deref(), source))
    }

    fn read_only_error(&self) -> StoreError {
        StoreError::ReadOnly {
            path: self.path.clone().unwrap_or_default(),
        }
    }

    /// Runs `work` in one write transaction: committed if it returns `Ok`, rolled back otherwise.
    pub fn transaction<T, E>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let path = self.path.clone();
        let transaction = self.begin()?;
        let value = work(&transaction)?;
        transaction
            .commit()
            .map_err(|source| StoreError::write(path.as_deref(), source))?;
        Ok(value)
    }
}
