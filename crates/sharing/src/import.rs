//! Importing list files: one store import (one transaction, idempotent by content) per file.
//!
//! A list's identity is its bytes plus what the user said about it (`--owner`, `--sheet`,
//! `--date`): the same file imported twice changes nothing, and the same file imported for
//! another owner or another sheet is another list.

use std::path::{Path, PathBuf};

use remit_store::rusqlite::{Transaction, params};
use remit_store::{ImportCounts, ImportOutcome, ImportSource, Store, content_hash};
use serde::Serialize;

use crate::error::SharingError;
use crate::list::{Format, ParsedList, Severity};
use crate::read::{ReadOptions, read_list};

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
    pub path: PathBuf,
    /// `imported` or `already_imported`.
    pub status: ImportStatus,
    /// For `already_imported`: the file first imported with this content, and when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<PreviousImport>,
    pub format: Option<Format>,
    pub sheet: Option<String>,
    pub owner: String,
    pub date: String,
    pub date_from: String,
    pub outbound: u64,
    pub inbound: u64,
    pub issues: IssueCounts,
}

/// The identity of a list: its bytes and the options that change what it means.
fn identity(content: &[u8], options: &ReadOptions) -> String {
    let mut bytes = content.to_vec();
    let described = format!(
        "\n\u{0}remit-sharing owner={} sheet={} date={} direction={}",
        options.owner.as_deref().unwrap_or(""),
        options.sheet.as_deref().unwrap_or(""),
        options.date.map(|d| d.to_string()).unwrap_or_default(),
        options.direction.map_or("", |d| d.as_str()),
    );
    bytes.extend_from_slice(described.as_bytes());
    content_hash(&bytes)
}

/// Imports one list file. Re-importing the same content with the same options changes nothing
/// and says so. The derived tables are not refreshed here (see [`crate::Sharing::refresh`]).
pub fn import_file(
    store: &mut Store,
    path: &Path,
    options: &ReadOptions,
) -> Result<FileReport, SharingError> {
    let content = std::fs::read(path).map_err(|source| SharingError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let hash = identity(&content, options);
    if let Some(previous) = store.find_import(IMPORT_KIND, &hash)? {
        return Ok(already_imported(path, previous));
    }
    let list = read_list(path, &content, options)?;
    let display_path = path.display().to_string();
    let source = ImportSource {
        kind: IMPORT_KIND,
        source_path: &display_path,
        content_sha256: &hash,
        content_bytes: content.len() as u64,
    };
    let outcome = store.import(&source, |transaction, import_id| {
        let issues = write_list(transaction, import_id, &display_path, &list)?;
        let counts = ImportCounts {
            rows_read: (list.entries.len() as u64) + issues.error,
            rows_stored: list.entries.len() as u64,
            issues: issues.total(),
        };
        Ok::<_, SharingError>((issues, counts))
    })?;
    match outcome {
        ImportOutcome::Imported { value, .. } => Ok(FileReport {
            path: path.to_path_buf(),
            status: ImportStatus::Imported,
            previous: None,
            format: Some(list.format),
            sheet: list.sheet.clone(),
            owner: list.owner.clone(),
            date: list.date.to_string(),
            date_from: list.date_from.as_str().to_string(),
            outbound: list.count(crate::list::Direction::Outbound) as u64,
            inbound: list.count(crate::list::Direction::Inbound) as u64,
            issues: value,
        }),
        // Another process imported the same content between the check and the transaction.
        ImportOutcome::AlreadyImported { previous } => Ok(already_imported(path, previous)),
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

fn write_list(
    transaction: &Transaction<'_>,
    import_id: i64,
    display_path: &str,
    list: &ParsedList,
) -> Result<IssueCounts, SharingError> {
    transaction.execute(
        "INSERT INTO sharing_lists (import_id, source_path, format, sheet, owner, owner_from,
            owner_state_hint, slug, list_date, date_from, crawled_at, retention_days,
            prohibited_uses, immigration_use_prohibited, camera_count, searches_30d, outbound,
            inbound)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        params![
            import_id,
            display_path,
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
            list.count(crate::list::Direction::Outbound) as i64,
            list.count(crate::list::Direction::Inbound) as i64,
        ],
    )?;
    let list_id = transaction.last_insert_rowid();
    {
        let mut insert = transaction.prepare_cached(
            "INSERT INTO sharing_entries (list_id, line, field, direction, name, state_hint,
                type_hint)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for entry in &list.entries {
            insert.execute(params![
                list_id,
                entry.line as i64,
                entry.field,
                entry.direction.as_str(),
                entry.name,
                entry.state_hint,
                entry.type_hint,
            ])?;
        }
    }
    let mut counts = IssueCounts::default();
    {
        let mut insert = transaction.prepare_cached(
            "INSERT INTO sharing_issues (list_id, line, field, value, severity, message)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for issue in &list.issues {
            insert.execute(params![
                list_id,
                issue.line.map(|l| l as i64),
                issue.field,
                issue.value,
                issue.severity.as_str(),
                issue.message,
            ])?;
            match issue.severity {
                Severity::Error => counts.error += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Note => counts.note += 1,
            }
        }
    }
    Ok(counts)
}
