//! Imports: one transaction each, recorded once per content.
//!
//! Every importer hands its file's content hash to [`Store::import`] with a closure that writes
//! the rows. The same content of the same kind is imported at most once, whatever the file is
//! called or where it lies: a second import finds the first and changes nothing. The closure runs
//! inside the import's transaction, so an error or an interruption (a killed process, a full
//! disk) leaves the store exactly as it was before.

use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use crate::{Store, StoreError};

/// The lowercase hex SHA-256 of `content`: the identity of an imported file.
pub fn content_hash(content: &[u8]) -> String {
    let digest = Sha256::digest(content);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 0x0f)]));
    }
    hex
}

/// What is being imported.
#[derive(Debug, Clone, Copy)]
pub struct ImportSource<'a> {
    /// What the content is, e.g. `registry.participating`; idempotency is per kind.
    pub kind: &'a str,
    /// Where it was read from, as the user gave it (recorded, not part of its identity).
    pub source_path: &'a str,
    /// [`content_hash`] of the content.
    pub content_sha256: &'a str,
    /// The content's size in bytes.
    pub content_bytes: u64,
}

/// Row counts an importer reports for the import log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// Data rows read from the source.
    pub rows_read: u64,
    /// Rows written to the store.
    pub rows_stored: u64,
    /// Data-quality issues recorded.
    pub issues: u64,
}

/// One entry of the import log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRecord {
    /// The import's id.
    pub id: i64,
    /// What the content is, e.g. `registry.participating`.
    pub kind: String,
    /// Where it was read from, as the user gave it.
    pub source_path: String,
    /// The content's hash.
    pub content_sha256: String,
    /// The content's size in bytes.
    pub content_bytes: u64,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub imported_at: String,
    /// What the importer counted.
    pub counts: ImportCounts,
}

/// The result of [`Store::import`].
#[derive(Debug)]
pub enum ImportOutcome<T> {
    /// Written now, with what the importer returned.
    Imported {
        /// The new entry of the import log.
        record: ImportRecord,
        /// What the importer returned.
        value: T,
    },
    /// The same content of the same kind was imported before; nothing changed.
    AlreadyImported {
        /// The earlier import.
        previous: ImportRecord,
    },
}

/// The identity of content imported with [`Store::import_then_identify`], known at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// A hex digest of the content (the column keeps its historical name).
    pub content_sha256: String,
    /// The content's size in bytes.
    pub content_bytes: u64,
}

/// What [`Store::import_then_identify`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// Stored now.
    New(ImportRecord),
    /// The same content of the same kind was imported before; nothing changed.
    Duplicate(ImportRecord),
}

/// The identity an import row has until its importer has read everything.
const PENDING: &str = "pending";

const SELECT_IMPORT: &str =
    "SELECT id, kind, source_path, content_sha256, content_bytes, imported_at,
        rows_read, rows_stored, issues FROM imports";

// SQLite integers are signed; counts and sizes never approach either limit.
fn unsigned(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

fn signed(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn read_import(row: &rusqlite::Row<'_>) -> rusqlite::Result<ImportRecord> {
    Ok(ImportRecord {
        id: row.get(0)?,
        kind: row.get(1)?,
        source_path: row.get(2)?,
        content_sha256: row.get(3)?,
        content_bytes: unsigned(row.get(4)?),
        imported_at: row.get(5)?,
        counts: ImportCounts {
            rows_read: unsigned(row.get(6)?),
            rows_stored: unsigned(row.get(7)?),
            issues: unsigned(row.get(8)?),
        },
    })
}

impl Store {
    /// Imports `source` by running `write` in one transaction, unless the same content of the
    /// same kind is already in the store. `write` gets the transaction and the new import's id
    /// (to tag its rows) and returns a value and the counts for the log. Any error from `write`
    /// rolls everything back.
    pub fn import<T, E>(
        &mut self,
        source: &ImportSource<'_>,
        write: impl FnOnce(&rusqlite::Transaction<'_>, i64) -> Result<(T, ImportCounts), E>,
    ) -> Result<ImportOutcome<T>, E>
    where
        E: From<StoreError>,
    {
        self.transaction(|transaction| {
            let previous =
                find(transaction, source.kind, source.content_sha256).map_err(StoreError::from)?;
            if let Some(previous) = previous {
                return Ok(ImportOutcome::AlreadyImported { previous });
            }
            let identity = Identity {
                content_sha256: source.content_sha256.to_string(),
                content_bytes: source.content_bytes,
            };
            let id = open_import(transaction, source.kind, source.source_path, &identity)?;
            let (value, counts) = write(transaction, id)?;
            let record = close_import(transaction, id, &identity, &counts)?;
            Ok(ImportOutcome::Imported { record, value })
        })
    }

    /// Imports like [`Store::import`], for an importer that learns its content's identity only
    /// by reading it all (a big file hashed while it is parsed, instead of read twice). `write`
    /// runs in the transaction and returns its value, the counts and the identity; if the store
    /// already holds that identity for this kind, everything `write` wrote is rolled back and
    /// the earlier import is returned as [`Recorded::Duplicate`], with the value all the same.
    pub fn import_then_identify<T, E>(
        &mut self,
        kind: &str,
        source_path: &str,
        write: impl FnOnce(&rusqlite::Transaction<'_>, i64) -> Result<(T, ImportCounts, Identity), E>,
    ) -> Result<(T, Recorded), E>
    where
        E: From<StoreError>,
    {
        let transaction = self.begin()?;
        // The row is written first so that the importer's rows can name it; its identity is
        // filled in at the end. `kind` and the placeholder are unique within this transaction,
        // which is the only writer.
        let pending = Identity {
            content_sha256: PENDING.to_string(),
            content_bytes: 0,
        };
        let id = open_import(&transaction, kind, source_path, &pending)?;
        let (value, counts, identity) = write(&transaction, id)?;
        if let Some(previous) =
            find(&transaction, kind, &identity.content_sha256).map_err(StoreError::from)?
        {
            transaction.rollback().map_err(StoreError::from)?;
            return Ok((value, Recorded::Duplicate(previous)));
        }
        let record = close_import(&transaction, id, &identity, &counts)?;
        transaction.commit().map_err(StoreError::from)?;
        Ok((value, Recorded::New(record)))
    }

    /// The import of this content and kind, if any.
    pub fn find_import(
        &self,
        kind: &str,
        content_sha256: &str,
    ) -> Result<Option<ImportRecord>, StoreError> {
        Ok(find(&self.connection, kind, content_sha256)?)
    }

    /// The import log, oldest first, for kinds starting with `kind_prefix` (`""` for all).
    pub fn imports(&self, kind_prefix: &str) -> Result<Vec<ImportRecord>, StoreError> {
        let mut statement = self.connection.prepare(&format!(
            "{SELECT_IMPORT} WHERE substr(kind, 1, length(?1)) = ?1 ORDER BY id"
        ))?;
        let records = statement
            .query_map([kind_prefix], read_import)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(records)
    }
}

/// Writes the row of a new import; its id.
fn open_import(
    transaction: &rusqlite::Transaction<'_>,
    kind: &str,
    source_path: &str,
    identity: &Identity,
) -> Result<i64, StoreError> {
    transaction.execute(
        "INSERT INTO imports (kind, source_path, content_sha256, content_bytes)
         VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![
            kind,
            source_path,
            identity.content_sha256,
            signed(identity.content_bytes)
        ],
    )?;
    Ok(transaction.last_insert_rowid())
}

/// Records an import's identity and counts at its end; its row as the log now holds it.
fn close_import(
    transaction: &rusqlite::Transaction<'_>,
    id: i64,
    identity: &Identity,
    counts: &ImportCounts,
) -> Result<ImportRecord, StoreError> {
    transaction.execute(
        "UPDATE imports SET content_sha256 = ?2, content_bytes = ?3, rows_read = ?4,
            rows_stored = ?5, issues = ?6 WHERE id = ?1",
        rusqlite::params![
            id,
            identity.content_sha256,
            signed(identity.content_bytes),
            signed(counts.rows_read),
            signed(counts.rows_stored),
            signed(counts.issues)
        ],
    )?;
    Ok(transaction.query_row(&format!("{SELECT_IMPORT} WHERE id = ?1"), [id], read_import)?)
}

fn find(
    connection: &rusqlite::Connection,
    kind: &str,
    content_sha256: &str,
) -> rusqlite::Result<Option<ImportRecord>> {
    connection
        .query_row(
            &format!("{SELECT_IMPORT} WHERE kind = ?1 AND content_sha256 = ?2"),
            [kind, content_sha256],
            read_import,
        )
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_like_sha256sum() {
        assert_eq!(
            content_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
