//! The agency directory kept in a store: `remit agencies import` writes the FBI file's rows here,
//! so that a store chosen with `--db` carries its own directory.
//!
//! Each import is recorded in the store's import log (kind [`IMPORT_KIND`], idempotent by
//! content hash) with its rows and its skipped rows beside it; one of the imports is the store's
//! directory (`directory_current`). Importing a file the store holds already changes nothing
//! when it is the store's directory, and makes it the store's directory again otherwise, without
//! reading the file's rows a second time. The rows of earlier imports are kept, as every import
//! of the store is.

use std::path::{Path, PathBuf};

use remit_agencies::{
    Agency, AgencyClass, Directory, DirectoryError, DirectorySource, FbiRows, RowProblem,
};
use remit_store::rusqlite::{self, OptionalExtension as _};
use remit_store::{
    ImportCounts, ImportOutcome, ImportRecord, ImportSource, Migration, Schema, Store, StoreError,
};

/// The directory's tables, owned by this crate: the agency directory joins the directory
/// (remit-agencies) with the store (remit-store), which do not know each other.
pub const SCHEMA: Schema = Schema {
    component: "directory",
    migrations: &[Migration {
        version: 1,
        name: "imported agency directories and the store's current one",
        sql: "
CREATE TABLE directory_agencies (
    import_id INTEGER NOT NULL REFERENCES imports(id),
    -- The order in which the file first gave each ORI: the directory's order.
    position INTEGER NOT NULL,
    ori TEXT NOT NULL,
    name TEXT NOT NULL,
    state TEXT,
    county TEXT,
    agency_type TEXT NOT NULL,
    population INTEGER,
    data_year INTEGER,
    PRIMARY KEY (import_id, position)
) WITHOUT ROWID;

CREATE TABLE directory_skipped (
    import_id INTEGER NOT NULL REFERENCES imports(id),
    line INTEGER NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX directory_skipped_import ON directory_skipped (import_id);

-- The store's directory: one row at most.
CREATE TABLE directory_current (
    only INTEGER PRIMARY KEY CHECK (only = 1),
    import_id INTEGER NOT NULL REFERENCES imports(id),
    chosen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);",
    }],
};

/// The kind of an imported FBI directory in the store's import log.
pub const IMPORT_KIND: &str = "agencies.fbi";

/// The store's directory, told without loading its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDirectory {
    /// The import that brought it (its file as given, content hash, time, counts).
    pub import: ImportRecord,
}

impl StoredDirectory {
    /// How many agencies of the FBI file it holds.
    pub fn agencies(&self) -> u64 {
        self.import.counts.rows_stored
    }

    /// The key derived tables record: the file as imported, the import's time and the start of
    /// the content's hash, so that another import (or the same file changed) is noticed.
    pub fn key(&self) -> String {
        let hash = self
            .import
            .content_sha256
            .get(..16)
            .unwrap_or(&self.import.content_sha256);
        format!(
            "{} imported into the store {} (sha256 {hash}, {} agencies)",
            self.import.source_path,
            self.import.imported_at,
            self.agencies()
        )
    }
}

/// What an import of a directory file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// The rows were read and stored; the file is now the store's directory.
    Imported,
    /// The store's directory is this file already; nothing changed.
    Unchanged,
    /// The store held this file from an earlier import; it is the store's directory again.
    MadeCurrent,
}

/// The result of [`import`].
#[derive(Debug, Clone)]
pub struct DirectoryImport {
    /// What was done.
    pub status: ImportStatus,
    /// The store's directory now.
    pub directory: StoredDirectory,
    /// The file's rows that were skipped, with line, field and reason.
    pub skipped: Vec<RowProblem>,
}

/// Why a directory could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read as an FBI directory.
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    /// The store could not be written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ImportError {
    fn from(error: rusqlite::Error) -> ImportError {
        ImportError::Store(StoreError::from(error))
    }
}

impl ImportError {
    /// Advice for the person who ran the command, if there is any.
    pub fn help(&self) -> Option<String> {
        match self {
            ImportError::Directory(error) => error.help(),
            ImportError::Store(_) => None,
        }
    }
}

/// Imports the FBI file at `path` into `store` as the store's directory: in one transaction, so
/// an error leaves the store's directory as it was. A file whose content the store holds already
/// is not read again (see [`ImportStatus`]).
pub fn import(store: &mut Store, path: &Path) -> Result<DirectoryImport, ImportError> {
    let content = std::fs::read(path).map_err(|source| DirectoryError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    store.migrate(&SCHEMA)?;
    let hash = remit_store::content_hash(&content);
    if let Some(previous) = store.find_import(IMPORT_KIND, &hash)? {
        return reselect(store, previous);
    }
    let rows = FbiRows::read(&content, path)?;
    let shown = path.display().to_string();
    let source = ImportSource {
        kind: IMPORT_KIND,
        source_path: &shown,
        content_sha256: &hash,
        content_bytes: u64::try_from(content.len()).unwrap_or(u64::MAX),
    };
    let outcome = store.import(&source, |transaction, import_id| {
        write_rows(transaction, import_id, &rows)?;
        choose(transaction, import_id)?;
        let counts = ImportCounts {
            rows_read: count(rows.agencies.len() + rows.problems.len()),
            rows_stored: count(rows.agencies.len()),
            issues: count(rows.problems.len()),
        };
        Ok::<_, ImportError>(((), counts))
    })?;
    match outcome {
        ImportOutcome::Imported { record, .. } => Ok(DirectoryImport {
            status: ImportStatus::Imported,
            directory: StoredDirectory { import: record },
            skipped: rows.problems,
        }),
        // Another process imported the same content in the meantime.
        ImportOutcome::AlreadyImported { previous } => reselect(store, previous),
    }
}

/// Makes an earlier import the store's directory again, unless it is already.
fn reselect(store: &mut Store, previous: ImportRecord) -> Result<DirectoryImport, ImportError> {
    let status = if current_import_id(store.connection())? == Some(previous.id) {
        ImportStatus::Unchanged
    } else {
        store.transaction(|transaction| {
            choose(transaction, previous.id).map_err(ImportError::from)
        })?;
        ImportStatus::MadeCurrent
    };
    let skipped = skipped_rows(store.connection(), previous.id)?;
    Ok(DirectoryImport {
        status,
        directory: StoredDirectory { import: previous },
        skipped,
    })
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn write_rows(
    transaction: &rusqlite::Transaction<'_>,
    import_id: i64,
    rows: &FbiRows,
) -> Result<(), rusqlite::Error> {
    let mut insert = transaction.prepare(
        "INSERT INTO directory_agencies (import_id, position, ori, name, state, county,
             agency_type, population, data_year)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (position, agency) in rows.agencies.iter().enumerate() {
        insert.execute(rusqlite::params![
            import_id,
            i64::try_from(position).unwrap_or(i64::MAX),
            agency.ori,
            agency.name,
            agency.state,
            agency.county,
            agency.agency_type,
            agency
                .population
                .map(|p| i64::try_from(p).unwrap_or(i64::MAX)),
            agency.data_year,
        ])?;
    }
    let mut skipped = transaction.prepare(
        "INSERT INTO directory_skipped (import_id, line, field, value, message)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for problem in &rows.problems {
        skipped.execute(rusqlite::params![
            import_id,
            i64::try_from(problem.line).unwrap_or(i64::MAX),
            problem.field,
            problem.value,
            problem.message,
        ])?;
    }
    Ok(())
}

fn choose(transaction: &rusqlite::Transaction<'_>, import_id: i64) -> Result<(), rusqlite::Error> {
    transaction.execute(
        "INSERT INTO directory_current (only, import_id) VALUES (1, ?1)
         ON CONFLICT (only) DO UPDATE SET import_id = excluded.import_id,
             chosen_at = excluded.chosen_at",
        [import_id],
    )?;
    Ok(())
}

/// Whether `store` has the directory's tables at a version this code reads; a store written by
/// a newer Remit is an error, as for every component.
fn has_tables(store: &Store) -> Result<bool, StoreError> {
    match store.schema_version(SCHEMA.component)? {
        None => Ok(false),
        Some(found) if found > SCHEMA.latest() => Err(StoreError::SchemaTooNew {
            component: SCHEMA.component.to_string(),
            found,
            known: SCHEMA.latest(),
        }),
        Some(_) => Ok(true),
    }
}

fn current_import_id(connection: &rusqlite::Connection) -> Result<Option<i64>, rusqlite::Error> {
    connection
        .query_row(
            "SELECT import_id FROM directory_current WHERE only = 1",
            [],
            |row| row.get(0),
        )
        .optional()
}

/// The store's directory, if it has one; reads one row (the store is not changed, so a
/// read-only store will do).
pub fn current(store: &Store) -> Result<Option<StoredDirectory>, StoreError> {
    if !has_tables(store)? {
        return Ok(None);
    }
    let Some(import_id) = current_import_id(store.connection())? else {
        return Ok(None);
    };
    let import = store
        .imports(IMPORT_KIND)?
        .into_iter()
        .find(|record| record.id == import_id);
    Ok(import.map(|import| StoredDirectory { import }))
}

/// The rows `import_id` skipped, in file order.
fn skipped_rows(
    connection: &rusqlite::Connection,
    import_id: i64,
) -> Result<Vec<RowProblem>, rusqlite::Error> {
    let path: String = connection.query_row(
        "SELECT source_path FROM imports WHERE id = ?1",
        [import_id],
        |row| row.get(0),
    )?;
    let mut statement = connection.prepare(
        "SELECT line, field, value, message FROM directory_skipped
         WHERE import_id = ?1 ORDER BY rowid",
    )?;
    statement
        .query_map([import_id], |row| {
            Ok(RowProblem {
                path: path.clone(),
                line: u64::try_from(row.get::<_, i64>(0)?).unwrap_or(0),
                field: row.get(1)?,
                value: row.get(2)?,
                message: row.get(3)?,
            })
        })?
        .collect()
}

/// The rows of `stored`, indexed as a directory (the federal-agency file merged in).
pub fn load(store: &Store, stored: &StoredDirectory) -> Result<Directory, DirectoryError> {
    let failed = |error: rusqlite::Error| store_error(store, &StoreError::from(error));
    let mut statement = store
        .connection()
        .prepare(
            "SELECT ori, name, state, county, agency_type, population, data_year
             FROM directory_agencies WHERE import_id = ?1 ORDER BY position",
        )
        .map_err(failed)?;
    let agencies = statement
        .query_map([stored.import.id], |row| {
            Ok(Agency {
                ori: row.get(0)?,
                name: row.get(1)?,
                state: row.get(2)?,
                county: row.get(3)?,
                agency_type: row.get(4)?,
                population: row
                    .get::<_, Option<i64>>(5)?
                    .and_then(|p| u64::try_from(p).ok()),
                class: AgencyClass::Unknown,
                data_year: row.get(6)?,
                kind: None,
                counterparty: None,
                aliases: Vec::new(),
            })
        })
        .map_err(failed)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(failed)?;
    Ok(Directory::from_agencies(
        agencies,
        DirectorySource::Stored(PathBuf::from(&stored.import.source_path)),
        true,
    ))
}

/// A store's error as a directory error, naming the store and every cause.
pub(crate) fn store_error(store: &Store, error: &StoreError) -> DirectoryError {
    DirectoryError::Store {
        path: store.path().map(Path::to_path_buf).unwrap_or_default(),
        message: super::chain(error),
    }
}
