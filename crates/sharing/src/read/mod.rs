//! Reading sharing lists: transparency-portal JSON, sharing-list CSVs (Eugene's `Name,State,Type`
//! and Flock's organisation export as Okaloosa released it), one name per line, and a column of a
//! workbook's sheet (Irvine's `A1`, "the names of agencies and organizations with which the
//! Agency shares ALPR data").
//!
//! Readers only read: they keep every name as written, with the line it came from, and report
//! what they could not use as issues. Resolving names and checking them is `check.rs`'s work.

mod portal;
mod table;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use remit_law::Date;

use crate::error::SharingError;
use crate::list::{Direction, Entry, Format, Issue, ParsedList, Severity};

pub use portal::{name_from_slug, read_portal, state_from_slug};
pub(crate) use table::{read_csv, read_names, read_workbook};

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
    /// `.json`: a transparency-portal archive.
    Json,
    /// `.csv`: a table with a column of names.
    Csv,
    /// `.txt` or `.lst`: one name per line.
    Text,
    /// `.xlsx`, `.xlsm`, `.xls` or `.ods`: a sheet of a workbook.
    Workbook,
}

impl FileKind {
    /// The kind a file's extension names, ignoring case; `None` for any other extension.
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
    let mut collected = Collected::default();
    let mut list = read_into(path, Source::Bytes(content), options, &mut collected)?;
    list.entries = collected.entries;
    list.issues = collected.issues;
    Ok(list)
}

/// Where a list's bytes are: in memory, or in its file (read as a stream where the format
/// allows).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Source<'a> {
    Bytes(&'a [u8]),
    File,
}

/// Reads the list at `path` into `sink` and returns what it says about itself (its `entries`
/// and `issues` are in the sink, not in the value returned). CSV files and lists of names are
/// read a record at a time, so that memory stays within the limits whatever the file's size;
/// portal archives and workbooks are read whole, within their own limits.
pub(crate) fn read_into(
    path: &Path,
    source: Source<'_>,
    options: &ReadOptions,
    sink: &mut dyn ListSink,
) -> Result<ParsedList, SharingError> {
    let kind = FileKind::of(path).ok_or_else(|| SharingError::UnsupportedFile {
        path: path.to_path_buf(),
    })?;
    let io = |source| SharingError::Io {
        path: path.to_path_buf(),
        source,
    };
    let list = match (kind, source) {
        (FileKind::Csv, Source::Bytes(content)) => read_csv(path, content, options, sink)?,
        (FileKind::Csv, Source::File) => {
            let file = std::fs::File::open(path).map_err(io)?;
            table::read_csv_stream(path, file, &table::prefix_of_file(path), options, sink)?
        }
        (FileKind::Text, Source::Bytes(content)) => read_names(path, content, options, sink)?,
        (FileKind::Text, Source::File) => {
            let file = std::fs::File::open(path).map_err(io)?;
            table::read_names_stream(path, file, options, sink)?
        }
        (FileKind::Json | FileKind::Workbook, Source::Bytes(content)) => {
            read_whole(path, kind, content, options, sink)?
        }
        (FileKind::Json | FileKind::Workbook, Source::File) => {
            let content = std::fs::read(path).map_err(io)?;
            read_whole(path, kind, &content, options, sink)?
        }
    };
    if options.direction.is_some()
        && matches!(list.format, Format::Portal | Format::OrganizationSharing)
    {
        return Err(SharingError::DirectionNotApplicable {
            path: path.to_path_buf(),
        });
    }
    let entries = sink.count(Direction::Outbound) + sink.count(Direction::Inbound);
    if entries == 0 && kind != FileKind::Json {
        return Err(SharingError::EmptyList {
            path: path.to_path_buf(),
        });
    }
    Ok(list)
}

/// A portal archive or a workbook, read from bytes in memory.
fn read_whole(
    path: &Path,
    kind: FileKind,
    content: &[u8],
    options: &ReadOptions,
    sink: &mut dyn ListSink,
) -> Result<ParsedList, SharingError> {
    if kind == FileKind::Workbook {
        return read_workbook(path, content, options, sink);
    }
    let text = std::str::from_utf8(content).map_err(|e| SharingError::Json {
        path: path.to_path_buf(),
        line: 1 + content[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count(),
        message: "the file is not UTF-8 text".to_string(),
    })?;
    let mut list = read_portal(path, text, options)?;
    for issue in std::mem::take(&mut list.issues) {
        sink.add_issue(issue)?;
    }
    for entry in std::mem::take(&mut list.entries) {
        sink.add_entry(entry)?;
    }
    Ok(list)
}

/// Where a reader puts the entries and issues it finds, as it finds them.
pub(crate) trait ListSink {
    /// Whether `name` is new in `direction` (it is remembered, so the next time it is not).
    fn first_time(&mut self, direction: Direction, name: &str) -> Result<bool, SharingError>;
    /// Keeps an entry (blank and repeated names are kept out by [`push_entry`]).
    fn add_entry(&mut self, entry: Entry) -> Result<(), SharingError>;
    /// Keeps an issue.
    fn add_issue(&mut self, issue: Issue) -> Result<(), SharingError>;
    /// The entries kept so far in `direction`.
    fn count(&self, direction: Direction) -> u64;
}

/// A sink that keeps everything in memory, for [`read_list`].
#[derive(Debug, Default)]
pub(crate) struct Collected {
    entries: Vec<Entry>,
    issues: Vec<Issue>,
    seen: HashSet<(Direction, String)>,
}

impl ListSink for Collected {
    fn first_time(&mut self, direction: Direction, name: &str) -> Result<bool, SharingError> {
        Ok(self.seen.insert((direction, name.to_string())))
    }

    fn add_entry(&mut self, entry: Entry) -> Result<(), SharingError> {
        self.entries.push(entry);
        Ok(())
    }

    fn add_issue(&mut self, issue: Issue) -> Result<(), SharingError> {
        self.issues.push(issue);
        Ok(())
    }

    fn count(&self, direction: Direction) -> u64 {
        self.entries
            .iter()
            .filter(|e| e.direction == direction)
            .count() as u64
    }
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
pub(crate) fn push_entry(sink: &mut dyn ListSink, entry: Entry) -> Result<(), SharingError> {
    if entry.name.is_empty() {
        return sink.add_issue(Issue {
            line: Some(entry.line),
            field: entry.field,
            value: String::new(),
            severity: Severity::Note,
            message: "blank name; skipped".to_string(),
        });
    }
    if !sink.first_time(entry.direction, &entry.name)? {
        return sink.add_issue(Issue {
            line: Some(entry.line),
            field: entry.field,
            value: entry.name,
            severity: Severity::Note,
            message: "listed twice; counted once".to_string(),
        });
    }
    sink.add_entry(entry)
}
