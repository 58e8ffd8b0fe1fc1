//! Whether a store can be trusted, and what to do when it cannot.
//!
//! A store may hold personal data gathered over months of imports; losing it silently, or
//! writing more rows into a damaged file, is worse than stopping. So: a file that cannot be
//! written is opened read-only rather than failing; a store that was not closed cleanly (its
//! write-ahead log was left behind by a killed process or a crash) is checked with SQLite's
//! `quick_check` before use and refused when damaged; `remit store check` runs the full
//! `integrity_check`, and `remit store recover` copies every row that can still be read into a
//! new file, leaving the damaged one untouched.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::{Access, StoreError};

/// The problems a check lists at most in an error message.
const PROBLEMS_SHOWN: usize = 5;

/// `path` with `suffix` appended to its file name (`remit.db-wal`).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name: OsString = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether the file at `path` can be opened for writing (a read-only file, folder or file
/// system, or another user's file, cannot). Opening for writing changes nothing.
pub(crate) fn writable(path: &Path) -> bool {
    std::fs::OpenOptions::new().write(true).open(path).is_ok()
}

/// Whether the last process that wrote the store left its write-ahead log behind: SQLite
/// removes the log when the last connection closes, so a non-empty one means a crash, a killed
/// import, or another process that has the store open right now.
pub(crate) fn log_left_behind(path: &Path) -> bool {
    std::fs::metadata(sibling(path, "-wal")).is_ok_and(|metadata| metadata.len() > 0)
}

/// Whether the store's write-ahead log exists (a writer makes it on its first read).
pub(crate) fn log_exists(path: &Path) -> bool {
    sibling(path, "-wal").exists()
}

/// Whether SQLite failed because it may not write the file or its folder.
pub(crate) fn is_read_only_error(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied)
    )
}

fn open_error(path: &Path, source: rusqlite::Error) -> StoreError {
    match source.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_path_buf(),
            problems: source.to_string(),
        },
        _ => StoreError::Open {
            path: path.to_path_buf(),
            source,
        },
    }
}

/// `path` as an SQLite `file:` URI asking for an immutable file: every byte outside the
/// unreserved set and `/` is percent-encoded, so no `?` or `#` in a name can add parameters.
fn immutable_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for byte in absolute.as_os_str().as_encoded_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(byte) {
            uri.push(char::from(*byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// A connection that never writes: SQLite's read-only mode, else (when the folder cannot hold
/// the log's index either) the file opened as immutable.
pub(crate) fn connect_read_only(path: &Path) -> Result<(Connection, Access), StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let first = Connection::open_with_flags(path, flags).and_then(|connection| {
        // The open is lazy: the first read is what finds a log index it cannot make.
        connection.query_row("SELECT COUNT(*) FROM sqlite_master", [], |row| {
            row.get::<_, i64>(0)
        })?;
        Ok(connection)
    });
    match first {
        Ok(connection) => Ok((connection, Access::ReadOnly)),
        Err(error) if is_read_only_error(&error) => {
            let connection = Connection::open_with_flags(
                immutable_uri(path),
                flags | OpenFlags::SQLITE_OPEN_URI,
            )
            .and_then(|connection| {
                connection.query_row("SELECT COUNT(*) FROM sqlite_master", [], |row| {
                    row.get::<_, i64>(0)
                })?;
                Ok(connection)
            })
            .map_err(|source| open_error(path, source))?;
            Ok((connection, Access::Immutable))
        }
        Err(error) => Err(open_error(path, error)),
    }
}

/// The problems `pragma` (`quick_check` or `integrity_check`) finds; empty when it says `ok`.
fn problems(connection: &Connection, pragma: &str) -> Result<Vec<String>, rusqlite::Error> {
    let mut statement = connection.prepare(&format!("PRAGMA {pragma}"))?;
    let rows = statement
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>();
    match rows {
        Ok(rows) if rows.len() == 1 && rows[0] == "ok" => Ok(Vec::new()),
        Ok(rows) => Ok(rows),
        // The check itself can stop on a page it cannot read: that is its finding.
        Err(error)
            if matches!(
                error.sqlite_error_code(),
                Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
            ) =>
        {
            Ok(vec![error.to_string()])
        }
        Err(error) => Err(error),
    }
}

fn summary(problems: &[String]) -> String {
    let mut text = problems
        .iter()
        .take(PROBLEMS_SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("; ");
    if problems.len() > PROBLEMS_SHOWN {
        text.push_str(&format!(
            "; and {} more problems",
            problems.len() - PROBLEMS_SHOWN
        ));
    }
    text
}

/// Refuses a damaged store: `quick_check` (every page and record, without cross-checking the
/// indexes: a fraction of `integrity_check`'s time).
pub(crate) fn refuse_if_damaged(connection: &Connection, path: &Path) -> Result<(), StoreError> {
    let found = problems(connection, "quick_check").map_err(|source| open_error(path, source))?;
    if found.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            problems: summary(&found),
        })
    }
}

/// What `remit store check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The file checked.
    pub path: PathBuf,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// Whether a write-ahead log was left behind (a crash, a killed import, or a process that
    /// has the store open now).
    pub log_left_behind: bool,
    /// Whether the file can be written.
    pub writable: bool,
    /// Each component's schema version, by name.
    pub schema: Vec<(String, u32)>,
    /// What `integrity_check` reported; empty when the store is sound.
    pub problems: Vec<String>,
}

impl Check {
    /// Whether the integrity check found nothing wrong.
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

impl crate::Store {
    /// Refuses this store if SQLite's `quick_check` finds damage (every page and record is
    /// read; the indexes are not cross-checked against the tables).
    pub fn refuse_if_damaged(&self) -> Result<(), StoreError> {
        refuse_if_damaged(
            self.connection(),
            self.path().unwrap_or_else(|| Path::new(":memory:")),
        )
    }

    /// Checks the store at `path` without changing it: SQLite's full `integrity_check`, and
    /// the schema versions it records. A damaged store is reported, not refused.
    pub fn check_file(path: &Path) -> Result<Check, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        let log_left_behind = log_left_behind(path);
        let (connection, _) = connect_read_only(path)?;
        let problems =
            problems(&connection, "integrity_check").map_err(|source| open_error(path, source))?;
        // The versions are read only from a sound list of tables.
        let schema = if problems.is_empty() {
            schema_versions(&connection).map_err(|source| open_error(path, source))?
        } else {
            Vec::new()
        };
        Ok(Check {
            path: path.to_path_buf(),
            bytes: std::fs::metadata(path).map_or(0, |m| m.len()),
            log_left_behind,
            writable: writable(path),
            schema,
            problems,
        })
    }

    /// Copies every row that can still be read from the store at `from` into a new store at
    /// `into` (which must not exist), table by table, skipping damaged pages; `from` is not
    /// changed. The tables, indexes and views are made as `from` declares them.
    pub fn recover(from: &Path, into: &Path) -> Result<Recovery, StoreError> {
        if !from.is_file() {
            return Err(StoreError::Missing {
                path: from.to_path_buf(),
            });
        }
        if into.exists() {
            return Err(StoreError::Exists {
                path: into.to_path_buf(),
            });
        }
        let (source, _) = connect_read_only(from)?;
        let objects = schema_objects(&source).map_err(|error| StoreError::Corrupt {
            path: from.to_path_buf(),
            problems: format!(
                "its list of tables cannot be read ({error}), so nothing can be recovered"
            ),
        })?;
        let target = Connection::open(into).map_err(|source| StoreError::Open {
            path: into.to_path_buf(),
            source,
        })?;
        let write = |source| StoreError::write(Some(into), source);
        target
            .execute_batch("PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; BEGIN;")
            .map_err(write)?;
        let mut recovery = Recovery::default();
        for object in objects.iter().filter(|o| o.kind == "table") {
            if let Err(error) = target.execute_batch(&object.sql) {
                recovery.notes.push(format!(
                    "the table `{}` could not be made: {error}",
                    object.name
                ));
                continue;
            }
            recovery
                .tables
                .push(copy_table(&source, &target, &object.name).map_err(write)?);
        }
        for object in objects.iter().filter(|o| o.kind != "table") {
            if let Err(error) = target.execute_batch(&object.sql) {
                recovery.notes.push(format!(
                    "the {} `{}` could not be made: {error}",
                    object.kind, object.name
                ));
            }
        }
        target.execute_batch("COMMIT;").map_err(write)?;
        Ok(recovery)
    }
}

/// What `remit store recover` copied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Each table copied.
    pub tables: Vec<TableRecovery>,
    /// Indexes, views or tables that could not be made in the new file.
    pub notes: Vec<String>,
}

impl Recovery {
    /// Whether every row of every table was read.
    pub fn is_complete(&self) -> bool {
        self.notes.is_empty() && self.tables.iter().all(|t| !t.damaged)
    }
}

/// One table's recovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRecovery {
    /// The table.
    pub name: String,
    /// Rows copied.
    pub rows: u64,
    /// Whether some rows could not be read (they are missing from the copy).
    pub damaged: bool,
}

fn schema_versions(connection: &Connection) -> Result<Vec<(String, u32)>, rusqlite::Error> {
    let exists: bool = connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')",
        [],
        |row| row.get(0),
    )?;
    if !exists {
        return Ok(Vec::new());
    }
    let mut statement = connection.prepare(
        "SELECT component, MAX(version) FROM schema_migrations GROUP BY component ORDER BY component",
    )?;
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect()
}

struct SchemaObject {
    kind: String,
    name: String,
    sql: String,
}

/// The tables, then the indexes, views and triggers, that `connection` declares (SQLite's own
/// tables are made by SQLite).
fn schema_objects(connection: &Connection) -> Result<Vec<SchemaObject>, rusqlite::Error> {
    let mut statement = connection.prepare(
        "SELECT type, name, sql FROM sqlite_master
         WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
         ORDER BY type = 'table' DESC, rowid",
    )?;
    statement
        .query_map([], |row| {
            Ok(SchemaObject {
                kind: row.get(0)?,
                name: row.get(1)?,
                sql: row.get(2)?,
            })
        })?
        .collect()
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// How many times a table's copy tries to step over a damaged stretch of rows.
const SKIPS: u32 = 48;

/// Copies the rows of `table` that can be read, in rowid order; past a damaged page it tries
/// to resume at ever larger rowids, so that rows beyond the damage are kept. Reading errors are
/// the damage; writing errors (a full disk) are returned.
fn copy_table(
    source: &Connection,
    target: &Connection,
    table: &str,
) -> Result<TableRecovery, rusqlite::Error> {
    let name = quoted(table);
    let mut recovered = TableRecovery {
        name: table.to_string(),
        rows: 0,
        damaged: false,
    };
    let Ok(mut read) = source.prepare(&format!(
        "SELECT rowid, * FROM {name} WHERE rowid >= ?1 ORDER BY rowid"
    )) else {
        // A table without rowids: one pass, up to the first damage.
        return copy_in_order(source, target, table, recovered);
    };
    let columns = read.column_count() - 1;
    let placeholders = vec!["?"; columns].join(", ");
    let mut insert = target.prepare(&format!(
        "INSERT OR IGNORE INTO {name} (rowid, {}) VALUES (?, {placeholders})",
        (0..columns)
            .map(|i| read.column_name(i + 1).map(quoted))
            .collect::<Result<Vec<_>, _>>()?
            .join(", ")
    ))?;
    let mut next: i64 = i64::MIN;
    let mut jump: i64 = 1;
    let mut skips = 0;
    loop {
        let mut rows = read.query([next])?;
        let failed = loop {
            match rows.next() {
                Ok(Some(row)) => {
                    let Ok(values) = (0..=columns)
                        .map(|i| row.get::<_, rusqlite::types::Value>(i))
                        .collect::<Result<Vec<_>, _>>()
                    else {
                        break true;
                    };
                    let rowid = match values[0] {
                        rusqlite::types::Value::Integer(id) => id,
                        _ => next,
                    };
                    insert.execute(rusqlite::params_from_iter(values.iter()))?;
                    recovered.rows += 1;
                    next = rowid.saturating_add(1);
                    jump = 1;
                }
                Ok(None) => break false,
                Err(_) => break true,
            }
        };
        if !failed || next == i64::MAX {
            return Ok(recovered);
        }
        recovered.damaged = true;
        skips += 1;
        if skips > SKIPS {
            return Ok(recovered);
        }
        // Damage before the first row: rowids start at 1.
        next = next.max(1).saturating_add(jump);
        jump = jump.saturating_mul(4);
    }
}

fn copy_in_order(
    source: &Connection,
    target: &Connection,
    table: &str,
    mut recovered: TableRecovery,
) -> Result<TableRecovery, rusqlite::Error> {
    let name = quoted(table);
    let Ok(mut read) = source.prepare(&format!("SELECT * FROM {name}")) else {
        recovered.damaged = true;
        return Ok(recovered);
    };
    let columns = read.column_count();
    let mut insert = target.prepare(&format!(
        "INSERT OR IGNORE INTO {name} VALUES ({})",
        vec!["?"; columns].join(", ")
    ))?;
    let mut rows = read.query([])?;
    loop {
        match rows.next() {
            Ok(Some(row)) => {
                let Ok(values) = (0..columns)
                    .map(|i| row.get::<_, rusqlite::types::Value>(i))
                    .collect::<Result<Vec<_>, _>>()
                else {
                    recovered.damaged = true;
                    return Ok(recovered);
                };
                insert.execute(rusqlite::params_from_iter(values.iter()))?;
                recovered.rows += 1;
            }
            Ok(None) => return Ok(recovered),
            Err(_) => {
                recovered.damaged = true;
                return Ok(recovered);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn immutable_uris_cannot_gain_parameters() {
        let uri = immutable_uri(Path::new("/data/a b?mode=rw#x.db"));
        assert_eq!(uri, "file:/data/a%20b%3Fmode%3Drw%23x.db?immutable=1");
    }
}
