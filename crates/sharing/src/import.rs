//! Importing list files: one store import (one transaction, idempotent by content) per file.
//!
//! A list's identity is its bytes plus what the user said about it (`--owner`, `--sheet`,
//! `--date`): the same file imported twice changes nothing, and the same file imported for
//! another owner or another sheet is another list.

use std::io::Read;
use std::path::{Path, PathBuf};

use remit_store::rusqlite::{Transaction, params};
use remit_store::{ImportCounts, ImportOutcome, ImportSource, Store};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::SharingError;
use crate::list::{Direction, Entry, Format, Issue, ParsedList, Severity};
use crate::read::{ListSink, ReadOptions, Source, read_into};

/// The import log's kind for sharing lists.
pub const IMPORT_KIND: &str = "sharing.list";

/// Issues by severity, and the earlier import of a file: the importers' shared scaffolding.
pub use remit_store::{IssueCounts, PreviousImport};

/// Whether a file was imported or its content was already in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Imported now.
    Imported,
    /// The same content, read with the same options, was imported before: nothing changed.
    AlreadyImported,
}

impl ImportStatus {
    /// The word, as the JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Imported => "imported",
            ImportStatus::AlreadyImported => "already_imported",
        }
    }
}

impl PartialEq<&str> for ImportStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The outcome of importing one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The file as given.
    pub path: PathBuf,
    /// `imported` or `already_imported`.
    pub status: ImportStatus,
    /// For `already_imported`: the file first imported with this content, and when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<PreviousImport>,
    /// The layout the file was read as; `None` when it was already imported and not read again.
    pub format: Option<Format>,
    /// The worksheet read, for workbooks; `None` otherwise and when already imported.
    pub sheet: Option<String>,
    /// The owner's name as the list (or `--owner`) gives it; empty when already imported.
    pub owner: String,
    /// The day the list is taken to describe, as YYYY-MM-DD; empty when already imported.
    pub date: String,
    /// Where that date came from (`archived_date`, `file_name`, `option`...); empty when already
    /// imported.
    pub date_from: String,
    /// Entries stored for agencies the owner shares its data with.
    pub outbound: u64,
    /// Entries stored for agencies that share their data with the owner.
    pub inbound: u64,
    /// Issues found reading the file, by severity (errors are entries set aside).
    pub issues: IssueCounts,
}

/// The identity of a list: its bytes and the options that change what it means. The file is
/// read as a stream; returns the hash and the file's size.
fn identity(path: &Path, options: &ReadOptions) -> Result<(String, u64), SharingError> {
    let io = |source| SharingError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0_u8; 256 << 10];
    let mut size = 0_u64;
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        hasher.update(&buffer[..n]);
        size += n as u64;
    }
    let described = format!(
        "\n\u{0}remit-sharing owner={} sheet={} date={} direction={}",
        options.owner.as_deref().unwrap_or(""),
        options.sheet.as_deref().unwrap_or(""),
        options.date.map(|d| d.to_string()).unwrap_or_default(),
        options.direction.map_or("", |d| d.as_str()),
    );
    hasher.update(described.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in hasher.finalize() {
        hex.push_str(&format!("{byte:02x}"));
    }
    Ok((hex, size))
}

/// Imports one list file. Re-importing the same content with the same options changes nothing
/// and says so. The derived tables are not refreshed here (see [`crate::Sharing::refresh`]).
///
/// CSV files and lists of names are read as a stream, their entries written into the store as
/// they are read (repeated names are found with a temporary table, not in memory), so that an
/// import needs the same memory for any size of list.
pub fn import_file(
    store: &mut Store,
    path: &Path,
    options: &ReadOptions,
) -> Result<FileReport, SharingError> {
    let (hash, size) = identity(path, options)?;
    if let Some(previous) = store.find_import(IMPORT_KIND, &hash)? {
        return Ok(already_imported(path, previous));
    }
    let display_path = path.display().to_string();
    let source = ImportSource {
        kind: IMPORT_KIND,
        source_path: &display_path,
        content_sha256: &hash,
        content_bytes: size,
    };
    let outcome = store.import(&source, |transaction, import_id| {
        let mut sink = StoreSink::start(transaction, import_id, &display_path)?;
        let list = read_into(path, Source::File, options, &mut sink)?;
        let issues = sink.finish(&list)?;
        let (outbound, inbound) = (sink.outbound, sink.inbound);
        let counts = ImportCounts {
            rows_read: outbound + inbound + issues.error,
            rows_stored: outbound + inbound,
            issues: issues.total(),
        };
        Ok::<_, SharingError>(((list, outbound, inbound, issues), counts))
    })?;
    match outcome {
        ImportOutcome::Imported {
            value: (list, outbound, inbound, issues),
            ..
        } => Ok(FileReport {
            path: path.to_path_buf(),
            status: ImportStatus::Imported,
            previous: None,
            format: Some(list.format),
            sheet: list.sheet.clone(),
            owner: list.owner.clone(),
            date: list.date.to_string(),
            date_from: list.date_from.as_str().to_string(),
            outbound,
            inbound,
            issues,
        }),
        // Another process imported the same content between the check and the transaction.
        ImportOutcome::AlreadyImported { previous } => Ok(already_imported(path, previous)),
    }
}

/// Writes a list into the store as it is read: its row first (completed at the end), then each
/// entry and issue as the reader finds it.
struct StoreSink<'t, 'c> {
    transaction: &'t Transaction<'c>,
    list_id: i64,
    outbound: u64,
    inbound: u64,
    issues: IssueCounts,
}

impl<'t, 'c> StoreSink<'t, 'c> {
    fn start(
        transaction: &'t Transaction<'c>,
        import_id: i64,
        display_path: &str,
    ) -> Result<StoreSink<'t, 'c>, SharingError> {
        // Placeholders, replaced by `finish` once the whole list is read.
        transaction.execute(
            "INSERT INTO sharing_lists (import_id, source_path, format, owner, owner_from,
                list_date, date_from, immigration_use_prohibited, outbound, inbound)
             VALUES (?1, ?2, 'names', '', 'option', '', 'import_day', 0, 0, 0)",
            params![import_id, display_path],
        )?;
        let list_id = transaction.last_insert_rowid();
        transaction.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS sharing_seen (
                direction TEXT NOT NULL,
                name TEXT NOT NULL,
                PRIMARY KEY (direction, name)
             ) WITHOUT ROWID;
             DELETE FROM temp.sharing_seen;",
        )?;
        Ok(StoreSink {
            transaction,
            list_id,
            outbound: 0,
            inbound: 0,
            issues: IssueCounts::default(),
        })
    }

    /// Completes the list's row; the issue counts by severity.
    fn finish(&mut self, list: &ParsedList) -> Result<IssueCounts, SharingError> {
        self.transaction.execute(
            "UPDATE sharing_lists SET format = ?2, sheet = ?3, owner = ?4, owner_from = ?5,
                owner_state_hint = ?6, slug = ?7, list_date = ?8, date_from = ?9, crawled_at = ?10,
                retention_days = ?11, prohibited_uses = ?12, immigration_use_prohibited = ?13,
                camera_count = ?14, searches_30d = ?15, outbound = ?16, inbound = ?17
             WHERE id = ?1",
            params![
                self.list_id,
                list.format.as_str(),
                list.sheet,
                list.owner,
                list.owner_from.as_str(),
                list.owner_state_hint,
                list.slug,
                list.date.to_string(),
                list.date_from.as_str(),
                list.crawled_at,
                list.retention_days,
                list.prohibited_uses,
                list.immigration_use_prohibited,
                list.camera_count,
                list.searches_30d,
                self.outbound as i64,
                self.inbound as i64,
            ],
        )?;
        self.transaction
            .execute_batch("DELETE FROM temp.sharing_seen;")?;
        Ok(self.issues)
    }
}

impl ListSink for StoreSink<'_, '_> {
    fn first_time(&mut self, direction: Direction, name: &str) -> Result<bool, SharingError> {
        let mut insert = self.transaction.prepare_cached(
            "INSERT OR IGNORE INTO temp.sharing_seen (direction, name) VALUES (?1, ?2)",
        )?;
        Ok(insert.execute(params![direction.as_str(), name])? == 1)
    }

    fn add_entry(&mut self, entry: Entry) -> Result<(), SharingError> {
        let mut insert = self.transaction.prepare_cached(
            "INSERT INTO sharing_entries (list_id, line, field, direction, name, state_hint,
                type_hint)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        insert.execute(params![
            self.list_id,
            entry.line as i64,
            entry.field,
            entry.direction.as_str(),
            entry.name,
            entry.state_hint,
            entry.type_hint,
        ])?;
        match entry.direction {
            Direction::Outbound => self.outbound += 1,
            Direction::Inbound => self.inbound += 1,
        }
        Ok(())
    }

    fn add_issue(&mut self, issue: Issue) -> Result<(), SharingError> {
        let mut insert = self.transaction.prepare_cached(
            "INSERT INTO sharing_issues (list_id, line, field, value, severity, message)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        insert.execute(params![
            self.list_id,
            issue.line.map(|l| l as i64),
            issue.field,
            issue.value,
            issue.severity.as_str(),
            issue.message,
        ])?;
        match issue.severity {
            Severity::Error => self.issues.error += 1,
            Severity::Warning => self.issues.warning += 1,
            Severity::Note => self.issues.note += 1,
        }
        Ok(())
    }

    fn count(&self, direction: Direction) -> u64 {
        match direction {
            Direction::Outbound => self.outbound,
            Direction::Inbound => self.inbound,
        }
    }
}

fn already_imported(path: &Path, previous: remit_store::ImportRecord) -> FileReport {
    FileReport {
        path: path.to_path_buf(),
        status: ImportStatus::AlreadyImported,
        previous: Some(PreviousImport {
            source_path: previous.source_path,
            imported_at: previous.imported_at,
        }),
        format: None,
        sheet: None,
        owner: String::new(),
        date: String::new(),
        date_from: String::new(),
        outbound: 0,
        inbound: 0,
        issues: IssueCounts::default(),
    }
}
