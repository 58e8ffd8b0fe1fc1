//! Sharing lists as tables: CSV files, a worksheet of a workbook, and text with one name per
//! line.
//!
//! A table's header says its layout. `Organization Name` beside `Networks I'm Sharing` and
//! `Networks Shared With Me` is Flock's organisation export: a row whose `Networks I'm Sharing`
//! is filled is an organisation the owner shares with, a row whose `Networks Shared With Me` is
//! filled one that shares with the owner, and the owner's own name is the network it shares. A
//! name column (`Name`, `Organization Name`, `Agency`), with `State` and `Type` beside it when
//! present, is a plain list of the organisations the owner shares with. A worksheet with a
//! single column and no such header is one name per row.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use std::rc::Rc;

use calamine::{Data, Reader};

use crate::error::SharingError;
use crate::list::{DateFrom, Direction, Entry, Format, Issue, OwnerFrom, ParsedList, Severity};
use crate::read::{ListSink, ReadOptions, clean_name, push_entry};

/// Header words for the column of names.
const NAME_HEADERS: &[&str] = &[
    "name",
    "organization name",
    "organisation name",
    "organization",
    "agency",
    "agency name",
    "org name",
];
const STATE_HEADERS: &[&str] = &["state", "st"];
const TYPE_HEADERS: &[&str] = &["type", "agency type", "organization type"];
/// Columns only a search log has.
const SEARCH_LOG_HEADERS: &[&str] = &[
    "search time",
    "searchdate",
    "search date",
    "datetime",
    "reason",
    "license plate",
    "search_time",
];
const SHARING_HEADER: &str = "networks i'm sharing";
const SHARED_WITH_ME_HEADER: &str = "networks shared with me";

/// One row: its line in the file and its cells.
type Row = (u64, Vec<String>);

/// A header cell, compared without case, spacing or curly quotes.
fn header_key(cell: &str) -> String {
    cell.trim_start_matches('\u{feff}')
        .replace(['\u{2019}', '\u{2018}'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn find_column(header: &[String], words: &[&str]) -> Option<usize> {
    header
        .iter()
        .position(|cell| words.contains(&header_key(cell).as_str()))
}

/// Reads a CSV file held in memory.
pub(crate) fn read_csv(
    path: &Path,
    content: &[u8],
    options: &ReadOptions,
    sink: &mut dyn ListSink,
) -> Result<ParsedList, SharingError> {
    let prefix = |offset: u64| {
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(content.len());
        content[start..content.len().min(start + PREFIX_BYTES)].to_vec()
    };
    read_csv_stream(path, content, &prefix, options, sink)
}

/// How many bytes of a record too long to read are kept to quote in the error.
const PREFIX_BYTES: usize = 4 * remit_store::limits::QUOTE_CHARS;

/// The first bytes of the file at `path` from an offset, for an error's quote (empty when the
/// file cannot be read again).
pub(crate) fn prefix_of_file(path: &Path) -> impl Fn(u64) -> Vec<u8> + '_ {
    move |offset| {
        let mut prefix = Vec::new();
        if let Ok(mut file) = std::fs::File::open(path) {
            if file.seek(SeekFrom::Start(offset)).is_ok() {
                let _ = file.take(PREFIX_BYTES as u64).read_to_end(&mut prefix);
            }
        }
        prefix
    }
}

/// A reader that refuses to hand out more than `limit` bytes (and a buffer's worth) past the
/// start of the record being read, so that a record with no end never fills memory.
struct Bounded<R> {
    inner: R,
    read: u64,
    budget: Rc<Budget>,
}

/// The start of the record being read, and whether [`Bounded`] refused to read further.
#[derive(Debug, Default)]
struct Budget {
    record_start: Cell<u64>,
    limit: u64,
    tripped: Cell<bool>,
}

/// What the CSV reader may hold beyond the record limit: its own buffer (8 KiB) and some room.
const READ_AHEAD: u64 = 64 << 10;

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let held = self.read - self.budget.record_start.get();
        if held > self.budget.limit + READ_AHEAD {
            self.budget.tripped.set(true);
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "record too long",
            ));
        }
        let n = self.inner.read(buffer)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// The rows of a CSV stream, each checked against the limits as it is read.
struct CsvRows<'a, R: Read> {
    path: &'a Path,
    reader: csv::Reader<Bounded<R>>,
    budget: Rc<Budget>,
    record: csv::ByteRecord,
    limits: remit_store::limits::Limits,
    prefix: &'a dyn Fn(u64) -> Vec<u8>,
    /// The first line that was not UTF-8.
    lossy: Option<u64>,
}

impl<R: Read> Iterator for CsvRows<'_, R> {
    type Item = Result<Row, SharingError>;

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.reader.position().clone();
        self.budget.record_start.set(start.byte());
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                if let Err(e) =
                    remit_store::limits::check_record(line, self.record.iter(), &self.limits)
                {
                    return Some(Err(too_large(self.path, e)));
                }
                let cells = self
                    .record
                    .iter()
                    .map(|field| match std::str::from_utf8(field) {
                        Ok(text) => text.to_string(),
                        Err(_) => {
                            self.lossy.get_or_insert(line);
                            String::from_utf8_lossy(field).into_owned()
                        }
                    })
                    .collect();
                Some(Ok((line, cells)))
            }
            Err(_) if self.budget.tripped.get() => {
                let limit = self.limits.record_bytes;
                Some(Err(SharingError::Csv {
                    path: self.path.to_path_buf(),
                    line: start.line(),
                    message: format!(
                        "{}; it begins `{}`",
                        remit_store::limits::exceeded(
                            "the record",
                            limit,
                            "REMIT_MAX_RECORD_BYTES"
                        ),
                        remit_store::limits::quote_bytes(&(self.prefix)(start.byte()))
                    ),
                }))
            }
            Err(error) => {
                let line = error.position().map_or(start.line(), |p| p.line());
                let message = error.to_string();
                Some(Err(match error.into_kind() {
                    csv::ErrorKind::Io(source) => SharingError::Io {
                        path: self.path.to_path_buf(),
                        source,
                    },
                    _ => SharingError::Csv {
                        path: self.path.to_path_buf(),
                        line,
                        message,
                    },
                }))
            }
        }
    }
}

/// Reads a CSV file from a stream, a record at a time: memory stays within the record limit
/// whatever the file's size. `prefix` gives the input's first bytes from an offset, to quote a
/// record too long to read.
pub(crate) fn read_csv_stream<R: Read>(
    path: &Path,
    input: R,
    prefix: &dyn Fn(u64) -> Vec<u8>,
    options: &ReadOptions,
    sink: &mut dyn ListSink,
) -> Result<ParsedList, SharingError> {
    let limits = remit_store::limits::Limits::get();
    let budget = Rc::new(Budget {
        limit: limits.record_bytes,
        ..Budget::default()
    });
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(Bounded {
            inner: input,
            read: 0,
            budget: Rc::clone(&budget),
        });
    let mut rows = CsvRows {
        path,
        reader,
        budget,
        record: csv::ByteRecord::new(),
        limits,
        prefix,
        lossy: None,
    };
    let list = read_table(path, &mut rows, None, false, options, sink)?;
    // The rest of the file is read for its limits and syntax even when the table is done.
    for row in rows.by_ref() {
        row?;
    }
    if let Some(line) = rows.lossy {
        sink.add_issue(not_utf8(Some(line)))?;
    }
    Ok(list)
}

/// The error for a line or record past a limit.
fn too_large(path: &Path, exceeded: remit_store::limits::Exceeded) -> SharingError {
    SharingError::Csv {
        path: path.to_path_buf(),
        line: exceeded.line,
        message: match exceeded.field {
            Some(field) => format!("field {field}: {}", exceeded.message),
            None => exceeded.message,
        },
    }
}

/// The warning for a file that is not UTF-8 (at `line`, the first line found so, when known).
fn not_utf8(line: Option<u64>) -> Issue {
    Issue {
        line,
        field: String::new(),
        value: String::new(),
        severity: Severity::Warning,
        message: "the file is not UTF-8; characters that could not be read were replaced"
            .to_string(),
    }
}

/// Reads a text file with one name per line held in memory.
pub(crate) fn read_names(
    path: &Path,
    content: &[u8],
    options: &ReadOptions,
    sink: &mut dyn ListSink,
) -> Result<ParsedList, SharingError> {
    read_names_stream(path, content, options, sink)
}

/// The lines of a text stream (blank lines and lines starting with `#` skipped), each at most
/// the record limit long.
struct NameLines<'a, R: BufRead> {
    path: &'a Path,
    input: R,
    line: u64,
    buffer: Vec<u8>,
    limit: u64,
    lossy: bool,
}

impl<R: BufRead> Iterator for NameLines<'_, R> {
    type Item = Result<Row, SharingError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buffer.clear();
            let read = (&mut self.input)
                .take(self.limit.saturating_add(2))
                .read_until(b'\n', &mut self.buffer);
            match read {
                Ok(0) => return None,
                Ok(_) => {}
                Err(source) => {
                    return Some(Err(SharingError::Io {
                        path: self.path.to_path_buf(),
                        source,
                    }));
                }
            }
            self.line += 1;
            let mut text = self.buffer.as_slice();
            if let Some(rest) = text.strip_suffix(b"\n") {
                text = rest.strip_suffix(b"\r").unwrap_or(rest);
            }
            if text.len() as u64 > self.limit {
                return Some(Err(SharingError::Csv {
                    path: self.path.to_path_buf(),
                    line: self.line,
                    message: format!(
                        "{}; it begins `{}`",
                        remit_store::limits::exceeded(
                            "the line",
                            self.limit,
                            "REMIT_MAX_RECORD_BYTES"
                        ),
                        remit_store::limits::quote_bytes(text)
                    ),
                }));
            }
            let text = match std::str::from_utf8(text) {
                Ok(text) => text.to_string(),
                Err(_) => {
                    self.lossy = true;
                    String::from_utf8_lossy(text).into_owned()
                }
            };
            if text.trim_start().starts_with('#') {
                continue;
            }
            return Some(Ok((self.line, vec![text])));
        }
    }
}

/// Reads a text file with one name per line (blank lines and lines starting with `#` skipped)
/// from a stream, a line at a time.
pub(crate) fn read_names_stream<R: Read>(
    path: &Path,
    input: R,
    options: &ReadOptions,
    sink: &mut dyn ListSink,
) -> Result<ParsedList, SharingError> {
    let limits = remit_store::limits::Limits::get();
    let mut lines = NameLines {
        path,
        input: BufReader::with_capacity(64 << 10, input),
        line: 0,
        buffer: Vec::new(),
        limit: limits.record_bytes,
        lossy: false,
    };
    let list = read_table(path, &mut lines, None, true, options, sink)?;
    if lines.lossy {
        sink.add_issue(not_utf8(None))?;
    }
    Ok(list)
}

/// Reads one worksheet of a workbook: the one `--sheet` names, or the only one.
pub(crate) fn read_workbook(
    path: &Path,
    content: &[u8],
    options: &ReadOptions,
    sink: &mut dyn ListSink,
) -> Result<ParsedList, SharingError> {
    let unreadable = |message: String| SharingError::Workbook {
        path: path.to_path_buf(),
        message,
    };
    let limits = remit_store::limits::Limits::get();
    remit_store::limits::check_workbook(Cursor::new(content), &limits).map_err(unreadable)?;
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(content))
        .map_err(|e| unreadable(e.to_string()))?;
    let names = workbook.sheet_names();
    let listed = || {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sheet = match (&options.sheet, names.as_slice()) {
        (Some(wanted), _) => names
            .iter()
            .find(|n| *n == wanted)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)))
            .cloned()
            .ok_or_else(|| SharingError::NoSuchSheet {
                path: path.to_path_buf(),
                sheet: wanted.clone(),
                sheets: listed(),
            })?,
        (None, [only]) => only.clone(),
        (None, _) => {
            return Err(SharingError::WhichSheet {
                path: path.to_path_buf(),
                sheets: listed(),
            });
        }
    };
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| unreadable(format!("worksheet `{sheet}`: {e}")))?;
    let (rows, columns) = range.get_size();
    remit_store::limits::check_sheet(&sheet, rows, columns, &limits).map_err(unreadable)?;
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let rows: Vec<Row> = range
        .rows()
        .enumerate()
        .map(|(index, row)| {
            let cells = row.iter().map(cell_text).collect();
            (u64::from(first_row) + index as u64 + 1, cells)
        })
        .collect();
    drop(range);
    // A list of names only: nothing but the first column is ever filled.
    let one_column = rows
        .iter()
        .all(|(_, cells)| cells.iter().skip(1).all(|c| c.trim().is_empty()));
    read_table(
        path,
        &mut rows.into_iter().map(Ok),
        Some(sheet),
        one_column,
        options,
        sink,
    )
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{}", *number as i64)
        }
        other => other.to_string(),
    }
}

/// The layout from the header, then the entries, into `sink` as the rows come.
/// `names_without_header`: whether a table with no name column is a list of names (a text
/// file, or a worksheet with one column).
fn read_table(
    path: &Path,
    rows: &mut dyn Iterator<Item = Result<Row, SharingError>>,
    sheet: Option<String>,
    names_without_header: bool,
    options: &ReadOptions,
    sink: &mut dyn ListSink,
) -> Result<ParsedList, SharingError> {
    let mut rows = rows.filter(|row| {
        row.as_ref().map_or(true, |(_, cells)| {
            cells.iter().any(|c| !c.trim().is_empty())
        })
    });
    let Some(first) = rows.next() else {
        return Err(SharingError::EmptyList {
            path: path.to_path_buf(),
        });
    };
    let (header_line, header) = first?;
    // A search log has a name column too (the officer's): never read one as a list of agencies.
    if let Some(column) = header
        .iter()
        .find(|cell| SEARCH_LOG_HEADERS.contains(&header_key(cell).as_str()))
    {
        return Err(SharingError::SearchLog {
            path: path.to_path_buf(),
            column: remit_store::limits::quote(column.trim()),
        });
    }
    let name_column = find_column(&header, NAME_HEADERS);
    let sharing = find_column(&header, &[SHARING_HEADER]);
    let shared_with_me = find_column(&header, &[SHARED_WITH_ME_HEADER]);
    let (date, date_from) = match options.date {
        Some(date) => (date, DateFrom::Option),
        None => (options.today, DateFrom::ImportDay),
    };
    let mut list = ParsedList {
        format: Format::NameStateType,
        sheet,
        owner: options.owner.clone().unwrap_or_default(),
        owner_from: OwnerFrom::Option,
        owner_state_hint: None,
        slug: None,
        date,
        date_from,
        crawled_at: None,
        retention_days: None,
        prohibited_uses: None,
        immigration_use_prohibited: false,
        camera_count: None,
        searches_30d: None,
        entries: Vec::new(),
        issues: Vec::new(),
    };
    match (name_column, sharing.or(shared_with_me)) {
        (Some(name), Some(_)) => {
            list.format = Format::OrganizationSharing;
            organization_sharing(
                &mut list,
                sink,
                &mut rows,
                &header,
                name,
                sharing,
                shared_with_me,
            )?;
        }
        (Some(name), None) => {
            let state = find_column(&header, STATE_HEADERS);
            let kind = find_column(&header, TYPE_HEADERS);
            list.format = if state.is_some() || kind.is_some() {
                Format::NameStateType
            } else {
                Format::Names
            };
            sink.add_issue(Issue {
                line: Some(header_line),
                field: header[name].trim().to_string(),
                value: header.join(","),
                severity: Severity::Note,
                message: "header row".to_string(),
            })?;
            for row in rows {
                let (line, cells) = row?;
                let cell = |column: Option<usize>| {
                    column
                        .and_then(|c| cells.get(c))
                        .map(|v| v.trim().to_string())
                        .filter(|v| !v.is_empty())
                };
                push_entry(
                    sink,
                    Entry {
                        line,
                        field: header[name].trim().to_string(),
                        direction: options.direction.unwrap_or(Direction::Outbound),
                        name: clean_name(cells.get(name).map_or("", String::as_str)),
                        state_hint: cell(state),
                        type_hint: cell(kind),
                    },
                )?;
            }
        }
        (None, _) if names_without_header => {
            list.format = Format::Names;
            for row in std::iter::once(Ok((header_line, header))).chain(rows) {
                let (line, cells) = row?;
                push_entry(
                    sink,
                    Entry {
                        line,
                        field: "name".to_string(),
                        direction: options.direction.unwrap_or(Direction::Outbound),
                        name: clean_name(cells.first().map_or("", String::as_str)),
                        state_hint: None,
                        type_hint: None,
                    },
                )?;
            }
        }
        (None, _) => {
            return Err(SharingError::NoNameColumn {
                path: path.to_path_buf(),
                header: remit_store::limits::quote(&header.join(",")),
            });
        }
    }
    if list.owner.is_empty() {
        return Err(SharingError::NoOwner {
            path: path.to_path_buf(),
        });
    }
    Ok(list)
}

/// How many distinct names of the owner's networks are counted to find the owner (an export
/// names one or two; a file with more is not what it says it is).
const OWNER_NAMES: usize = 64;

/// Flock's organisation export: one row per organisation, with the networks shared each way.
fn organization_sharing(
    list: &mut ParsedList,
    sink: &mut dyn ListSink,
    rows: &mut dyn Iterator<Item = Result<Row, SharingError>>,
    header: &[String],
    name: usize,
    sharing: Option<usize>,
    shared_with_me: Option<usize>,
) -> Result<(), SharingError> {
    let field = header[name].trim().to_string();
    // The owner's networks, as named in `Networks I'm Sharing`: the most common first name.
    let mut owner_names: BTreeMap<String, usize> = BTreeMap::new();
    for row in rows {
        let (line, cells) = row?;
        let cell = |column: Option<usize>| {
            column
                .and_then(|c| cells.get(c))
                .map(|v| v.trim())
                .unwrap_or("")
        };
        let organization = clean_name(cell(Some(name)));
        let outbound = cell(sharing);
        let inbound = cell(shared_with_me);
        if let Some(first) = outbound.split(',').map(str::trim).find(|n| !n.is_empty()) {
            let first = clean_name(first);
            if let Some(count) = owner_names.get_mut(&first) {
                *count += 1;
            } else if owner_names.len() < OWNER_NAMES {
                owner_names.insert(first, 1);
            }
        }
        if outbound.is_empty() && inbound.is_empty() {
            sink.add_issue(Issue {
                line: Some(line),
                field: field.clone(),
                value: organization,
                severity: Severity::Note,
                message: "no network shared either way; skipped".to_string(),
            })?;
            continue;
        }
        for (filled, direction) in [
            (!outbound.is_empty(), Direction::Outbound),
            (!inbound.is_empty(), Direction::Inbound),
        ] {
            if filled {
                push_entry(
                    sink,
                    Entry {
                        line,
                        field: field.clone(),
                        direction,
                        name: organization.clone(),
                        state_hint: None,
                        type_hint: None,
                    },
                )?;
            }
        }
    }
    if list.owner.is_empty() {
        let mut ranked: Vec<(String, usize)> = owner_names.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        if let Some((owner, count)) = ranked.first() {
            list.owner = owner.clone();
            list.owner_from = OwnerFrom::Column;
            if ranked.len() > 1 {
                sink.add_issue(Issue {
                    line: None,
                    field: SHARING_HEADER.to_string(),
                    value: ranked
                        .iter()
                        .map(|(n, c)| format!("{n} ({c})"))
                        .collect::<Vec<_>>()
                        .join("; "),
                    severity: Severity::Warning,
                    message: format!(
                        "the owner's networks go by several names; the most common, `{owner}` ({count} rows), is taken as the owner"
                    ),
                })?;
            }
        }
    }
    Ok(())
}
