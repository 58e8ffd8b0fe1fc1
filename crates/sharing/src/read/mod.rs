//! Reading sharing lists: transparency-portal JSON, sharing-list CSVs (Eugene's `Name,State,Type`
//! and Flock's organisation export as Okaloosa released it), one name per line, and a column of a
//! workbook's sheet (Irvine's `A1`, "the names of agencies and organizations with which the
//! Agency shares ALPR data").
//!
//! Readers only read: they keep every name as written, with the line it came from, and report
//! what they could not use as issues. Resolving names and checking them is `check.rs`'s work.

mod portal;
mod table;

use std::path::{Path, PathBuf};

use remit_law::Date;

use crate::error::SharingError;
use crate::list::{Direction, Entry, Format, Issue, ParsedList, Severity};

pub use portal::{name_from_slug, read_portal, state_from_slug};
pub use table::{read_csv, read_names, read_workbook};

/// What the user says about a file that the file may not say itself.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// The agency whose list it is (required for lists that do not name their owner).
    pub owner: Option<String>,
    /// The day the list was true (overrides the portal's crawl date).
    pub date: Option<Date>,
    /// The sheet of a workbook.
    pub sheet: Option<String>,
    /// For lists of names: whether they are organisations the owner shares with (`Outbound`,
    /// the default) or organisations that share with the owner (`Inbound`, as Irvine's `A2`).
    /// Portal archives and organisation exports say each entry's direction themselves.
    pub direction: Option<Direction>,
    /// Today, for lists that carry no date and were given none.
    pub today: Date,
}

/// The kinds of file, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Json,
    Csv,
    Text,
    Workbook,
}

impl FileKind {
    pub fn of(path: &Path) -> Option<FileKind> {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())?;
        Some(match extension.as_str() {
            "json" => FileKind::Json,
            "csv" => FileKind::Csv,
            "txt" | "lst" => FileKind::Text,
            "xlsx" | "xlsm" | "xls" | "ods" => FileKind::Workbook,
            _ => return None,
        })
    }
}

/// Reads one file's bytes as the list its extension says.
pub fn read_list(
    path: &Path,
    content: &[u8],
    options: &ReadOptions,
) -> Result<ParsedList, SharingError> {
    let kind = FileKind::of(path).ok_or_else(|| SharingError::UnsupportedFile {
        path: path.to_path_buf(),
    })?;
    let list = match kind {
        FileKind::Json => {
            let text = std::str::from_utf8(content).map_err(|e| SharingError::Json {
                path: path.to_path_buf(),
                line: 1 + content[..e.valid_up_to()]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count(),
                message: "the file is not UTF-8 text".to_string(),
            })?;
            read_portal(path, text, options)?
        }
        FileKind::Csv => read_csv(path, content, options)?,
        FileKind::Text => read_names(path, content, options)?,
        FileKind::Workbook => read_workbook(path, content, options)?,
    };
    if options.direction.is_some()
        && matches!(list.format, Format::Portal | Format::OrganizationSharing)
    {
        return Err(SharingError::DirectionNotApplicable {
            path: path.to_path_buf(),
        });
    }
    if list.entries.is_empty() && kind != FileKind::Json {
        return Err(SharingError::EmptyList {
            path: path.to_path_buf(),
        });
    }
    Ok(list)
}

/// Expands files and folders (recursively, sorted) into the files to import: in folders, the
/// files whose extension Remit reads; named files are always taken (and refused later if they
/// cannot be read). Hidden files and spreadsheet lock files are skipped.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, SharingError> {
    remit_store::collect_files(paths, &|path, _| FileKind::of(path).is_some()).map_err(|error| {
        SharingError::Io {
            path: error.path,
            source: error.source,
        }
    })
}

/// A name as the list wrote it, trimmed, with runs of white space made one space.
pub fn clean_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Adds an entry unless it is blank or already on the list in the same direction (both noted).
pub(crate) fn push_entry(list: &mut ParsedList, entry: Entry) {
    if entry.name.is_empty() {
        list.issues.push(Issue {
            line: Some(entry.line),
            field: entry.field,
            value: String::new(),
            severity: Severity::Note,
            message: "blank name; skipped".to_string(),
        });
        return;
    }
    let duplicate = list
        .entries
        .iter()
        .any(|e| e.direction == entry.direction && e.name == entry.name);
    if duplicate {
        list.issues.push(Issue {
            line: Some(entry.line),
            field: entry.field,
            value: entry.name,
            severity: Severity::Note,
            message: "listed twice; counted once".to_string(),
        });
        return;
    }
    list.entries.push(entry);
}
