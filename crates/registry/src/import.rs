//! Importing sheet files: one store import (one transaction, idempotent by content) per file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use remit_store::rusqlite::{Transaction, params};
use remit_store::{ImportCounts, ImportOutcome, ImportSource, Store, content_hash};
use serde::Serialize;

use crate::day::SnapshotTime;
use crate::error::RegistryError;
use crate::filename::{kind_from_name, time_from_name};
use crate::parse::{ParsedSheet, Severity, SheetKind, parse_sheet};
use crate::sheet::read_table;

/// The import log's kind for registry sheets.
pub const IMPORT_KIND: &str = "registry.sheet";

/// What the user can override when a file's name does not say.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Participating or pending, taking precedence over the file name (`None`: read from it).
    pub kind: Option<SheetKind>,
    /// When the sheet was published, taking precedence over the file name (`None`: read from
    /// it).
    pub as_of: Option<SnapshotTime>,
}

/// The outcome of importing one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The file imported.
    pub path: PathBuf,
    /// Participating or pending.
    pub kind: SheetKind,
    /// When ICE published the sheet.
    pub taken: SnapshotTime,
    /// `imported` or `already_imported`.
    pub status: &'static str,
    /// For `already_imported`: the file first imported with this content, and when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<PreviousImport>,
    /// Non-empty data rows in the sheet.
    pub rows: u64,
    /// Rows that list an agreement (state, agency and model known, not a duplicate).
    pub agreements: u64,
    /// Distinct agencies among those rows.
    pub agencies: u64,
    /// The known headers in sheet order, e.g. `STATE|AGENCY|...`: the layout's identity.
    pub layout: String,
    /// Data-quality issues found, by severity.
    pub issues: IssueCounts,
}

/// Issues by severity, and the earlier import of a file: the importers' shared scaffolding.
pub use remit_store::{IssueCounts, PreviousImport};

/// Expands files and folders (recursively) into the sheet files to import, sorted so that
/// archives named by download time import in that order. In folders, only files whose names
/// say `participating` or `pending` are taken unless `any_name` is set.
pub fn collect_files(paths: &[PathBuf], any_name: bool) -> Result<Vec<PathBuf>, RegistryError> {
    let is_sheet = |path: &Path, name: &str| {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "ods" | "csv")
            && (any_name || kind_from_name(name).is_some())
    };
    remit_store::collect_files(paths, &is_sheet).map_err(|error| RegistryError::Io {
        path: error.path,
        source: error.source,
    })
}

/// The folder and file name: how two snapshots of the same time are ordered.
fn source_name(path: &Path) -> String {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match path
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy())
    {
        Some(parent) => format!("{parent}/{file}"),
        None => file,
    }
}

/// Imports one sheet file. Re-importing the same content changes nothing and says so.
/// The derived tables are not refreshed here (see [`crate::Registry::refresh`]).
pub fn import_file(
    store: &mut Store,
    path: &Path,
    options: ImportOptions,
) -> Result<FileReport, RegistryError> {
    let content = std::fs::read(path).map_err(|source| RegistryError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let kind = options
        .kind
        .or_else(|| kind_from_name(&file_name))
        .ok_or_else(|| RegistryError::UnknownKind {
            path: path.to_path_buf(),
        })?;
    let (taken, time_from) = match options.as_of {
        Some(time) => (time, "option"),
        None => (
            time_from_name(&file_name).ok_or_else(|| RegistryError::UnknownTime {
                path: path.to_path_buf(),
            })?,
            "file_name",
        ),
    };
    let hash = content_hash(&content);
    let display_path = path.display().to_string();
    let source = ImportSource {
        kind: IMPORT_KIND,
        source_path: &display_path,
        content_sha256: &hash,
        content_bytes: content.len() as u64,
    };
    // Parse before opening the transaction only when the content is new: a re-import must not
    // pay for parsing, and a file that cannot be read must not leave a trace.
    if let Some(previous) = store.find_import(IMPORT_KIND, &hash)? {
        return Ok(already_imported(path, kind, taken, previous));
    }
    let table = read_table(path, &content)?;
    let sheet = parse_sheet(path, &table, kind, taken)?;
    let layout = sheet.header.signature();
    let source_name = source_name(path);
    let outcome = store.import(&source, |transaction, import_id| {
        let written = write_sheet(
            transaction,
            import_id,
            &SheetMeta {
                display_path: &display_path,
                kind,
                taken,
                time_from,
                source_name: &source_name,
                sheet_name: table.sheet_name.as_deref(),
                layout: &layout,
            },
            &sheet,
        )?;
        Ok::<_, RegistryError>((written, written.counts))
    })?;
    match outcome {
        ImportOutcome::Imported { value, .. } => Ok(FileReport {
            path: path.to_path_buf(),
            kind,
            taken,
            status: "imported",
            previous: None,
            rows: value.counts.rows_read,
            agreements: value.agreements,
            agencies: value.agencies,
            layout,
            issues: value.issues,
        }),
        // Another process imported the same content between the check and the transaction.
        ImportOutcome::AlreadyImported { previous } => {
            Ok(already_imported(path, kind, taken, previous))
        }
    }
}

fn already_imported(
    path: &Path,
    kind: SheetKind,
    taken: SnapshotTime,
    previous: remit_store::ImportRecord,
) -> FileReport {
    FileReport {
        path: path.to_path_buf(),
        kind,
        taken,
        status: "already_imported",
        rows: previous.counts.rows_read,
        previous: Some(PreviousImport {
            source_path: previous.source_path,
            imported_at: previous.imported_at,
        }),
        agreements: 0,
        agencies: 0,
        layout: String::new(),
        issues: IssueCounts::default(),
    }
}

struct SheetMeta<'a> {
    display_path: &'a str,
    kind: SheetKind,
    taken: SnapshotTime,
    time_from: &'static str,
    source_name: &'a str,
    sheet_name: Option<&'a str>,
    layout: &'a str,
}

#[derive(Debug, Clone, Copy)]
struct Written {
    counts: ImportCounts,
    agreements: u64,
    agencies: u64,
    issues: IssueCounts,
}

fn write_sheet(
    transaction: &Transaction<'_>,
    import_id: i64,
    meta: &SheetMeta<'_>,
    sheet: &ParsedSheet,
) -> Result<Written, RegistryError> {
    let counted: Vec<_> = sheet.listings.iter().filter(|l| l.counted).collect();
    let agencies: HashSet<(&str, &str)> = counted
        .iter()
        .filter_map(|l| Some((l.state?, l.agency_key.as_deref()?)))
        .collect();
    transaction.execute(
        "INSERT INTO registry_snapshots (import_id, kind, taken_day, taken_period, period_rank,
            source_name, time_from, sheet_name, layout, rows, agreements, agencies, empty_rows)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            import_id,
            meta.kind.as_str(),
            meta.taken.day.to_string(),
            meta.taken.period.as_str(),
            meta.taken.period.rank(),
            meta.source_name,
            meta.time_from,
            meta.sheet_name,
            meta.layout,
            sheet.listings.len() as i64,
            counted.len() as i64,
            agencies.len() as i64,
            sheet.empty_rows as i64,
        ],
    )?;
    let snapshot_id = transaction.last_insert_rowid();
    {
        let mut insert = transaction.prepare_cached(
            "INSERT INTO registry_rows (snapshot_id, row, state_raw, state, agency_raw, agency,
                agency_key, agency_type_raw, agency_type, county, support_raw, model, signed_raw,
                signed, moa, addendum, counted)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        )?;
        for listing in &sheet.listings {
            insert.execute(params![
                snapshot_id,
                listing.row,
                listing.state_raw,
                listing.state,
                listing.agency_raw,
                listing.agency,
                listing.agency_key,
                listing.agency_type_raw,
                listing.agency_type,
                listing.county,
                listing.support_raw,
                listing.model,
                listing.signed_raw,
                listing.signed.map(|d| d.to_string()),
                listing.moa,
                listing.addendum,
                listing.counted,
            ])?;
        }
    }
    let mut issues = IssueCounts::default();
    {
        let mut insert = transaction.prepare_cached(
            "INSERT INTO registry_issues (origin, import_id, snapshot_id, source_path, row,
                column_name, kind, severity, value, message)
             VALUES ('sheet', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for issue in &sheet.issues {
            insert.execute(params![
                import_id,
                snapshot_id,
                meta.display_path,
                issue.row,
                issue.column,
                issue.kind,
                issue.severity.as_str(),
                issue.value,
                issue.message,
            ])?;
            match issue.severity {
                Severity::Error => issues.error += 1,
                Severity::Warning => issues.warning += 1,
                Severity::Note => issues.note += 1,
            }
        }
    }
    Ok(Written {
        counts: ImportCounts {
            rows_read: sheet.listings.len() as u64,
            rows_stored: sheet.listings.len() as u64,
            issues: issues.total(),
        },
        agreements: counted.len() as u64,
        agencies: agencies.len() as u64,
        issues,
    })
}
