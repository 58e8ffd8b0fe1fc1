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

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};

use crate::error::SharingError;
use crate::list::{DateFrom, Direction, Entry, Format, Issue, OwnerFrom, ParsedList, Severity};
use crate::read::{ReadOptions, clean_name, push_entry};

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

/// Reads a CSV file.
pub fn read_csv(
    path: &Path,
    content: &[u8],
    options: &ReadOptions,
) -> Result<ParsedList, SharingError> {
    let limits = remit_store::limits::Limits::get();
    remit_store::limits::check_lines(content, &limits).map_err(|e| too_large(path, e))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(content);
    let mut rows: Vec<Row> = Vec::new();
    let mut lossy = None;
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                remit_store::limits::check_record(line, record.iter(), &limits)
                    .map_err(|e| too_large(path, e))?;
                let cells = record
                    .iter()
                    .map(|field| match std::str::from_utf8(field) {
                        Ok(text) => text.to_string(),
                        Err(_) => {
                            lossy.get_or_insert(line);
                            String::from_utf8_lossy(field).into_owned()
                        }
                    })
                    .collect();
                rows.push((line, cells));
            }
            Err(error) => {
                return Err(SharingError::Csv {
                    path: path.to_path_buf(),
                    line: error.position().map_or(0, |p| p.line()),
                    message: error.to_string(),
                });
            }
        }
    }
    let mut list = read_table(path, rows, None, false, options)?;
    if let Some(line) = lossy {
        list.issues.push(not_utf8(Some(line)));
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

/// Reads a text file with one name per line (blank lines and lines starting with `#` skipped).
pub fn read_names(
    path: &Path,
    content: &[u8],
    options: &ReadOptions,
) -> Result<ParsedList, SharingError> {
    let limits = remit_store::limits::Limits::get();
    remit_store::limits::check_lines(content, &limits).map_err(|e| too_large(path, e))?;
    let text = String::from_utf8_lossy(content);
    let rows: Vec<Row> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with('#'))
        .map(|(index, line)| (index as u64 + 1, vec![line.to_string()]))
        .collect();
    let mut list = read_table(path, rows, None, true, options)?;
    if matches!(text, std::borrow::Cow::Owned(_)) {
        list.issues.push(not_utf8(None));
    }
    Ok(list)
}

/// Reads one worksheet of a workbook: the one `--sheet` names, or the only one.
pub fn read_workbook(
    path: &Path,
    content: &[u8],
    options: &ReadOptions,
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
    read_table(path, rows, Some(sheet), true, options)
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

/// The layout from the header, then the entries.
fn read_table(
    path: &Path,
    rows: Vec<Row>,
    sheet: Option<String>,
    single_column_names: bool,
    options: &ReadOptions,
) -> Result<ParsedList, SharingError> {
    let mut rows: Vec<Row> = rows
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    if rows.is_empty() {
        return Err(SharingError::EmptyList {
            path: path.to_path_buf(),
        });
    }
    let (header_line, header) = rows.remove(0);
    // A search log has a name column too (the officer's): never read one as a list of agencies.
    if let Some(column) = header
        .iter()
        .find(|cell| SEARCH_LOG_HEADERS.contains(&header_key(cell).as_str()))
    {
        return Err(SharingError::SearchLog {
            path: path.to_path_buf(),
            column: column.trim().to_string(),
        });
    }
    // A list of names only: nothing but the first column is ever filled.
    let one_column = std::iter::once(&header)
        .chain(rows.iter().map(|(_, cells)| cells))
        .all(|cells| cells.iter().skip(1).all(|c| c.trim().is_empty()));
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
                rows.into_iter(),
                &header,
                name,
                sharing,
                shared_with_me,
            );
            if list.owner.is_empty() {
                return Err(SharingError::NoOwner {
                    path: path.to_path_buf(),
                });
            }
        }
        (Some(name), None) => {
            let state = find_column(&header, STATE_HEADERS);
            let kind = find_column(&header, TYPE_HEADERS);
            list.format = if state.is_some() || kind.is_some() {
                Format::NameStateType
            } else {
                Format::Names
            };
            list.issues.push(Issue {
                line: Some(header_line),
                field: header[name].trim().to_string(),
                value: header.join(","),
                severity: Severity::Note,
                message: "header row".to_string(),
            });
            for (line, cells) in rows {
                let cell = |column: Option<usize>| {
                    column
                        .and_then(|c| cells.get(c))
                        .map(|v| v.trim().to_string())
                        .filter(|v| !v.is_empty())
                };
                push_entry(
                    &mut list,
                    Entry {
                        line,
                        field: header[name].trim().to_string(),
                        direction: options.direction.unwrap_or(Direction::Outbound),
                        name: clean_name(cells.get(name).map_or("", String::as_str)),
                        state_hint: cell(state),
                        type_hint: cell(kind),
                    },
                );
            }
        }
        (None, _) if single_column_names && one_column => {
            list.format = Format::Names;
            for (line, cells) in std::iter::once((header_line, header)).chain(rows) {
                push_entry(
                    &mut list,
                    Entry {
                        line,
                        field: "name".to_string(),
                        direction: options.direction.unwrap_or(Direction::Outbound),
                        name: clean_name(cells.first().map_or("", String::as_str)),
                        state_hint: None,
                        type_hint: None,
                    },
                );
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

/// Flock's organisation export: one row per organisation, with the networks shared each way.
fn organization_sharing(
    list: &mut ParsedList,
    rows: impl Iterator<Item = Row>,
    header: &[String],
    name: usize,
    sharing: Option<usize>,
    shared_with_me: Option<usize>,
) {
    let field = header[name].trim().to_string();
    // The owner's networks, as named in `Networks I'm Sharing`: the most common first name.
    let mut owner_names: BTreeMap<String, usize> = BTreeMap::new();
    for (line, cells) in rows {
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
            *owner_names.entry(clean_name(first)).or_default() += 1;
        }
        if outbound.is_empty() && inbound.is_empty() {
            list.issues.push(Issue {
                line: Some(line),
                field: field.clone(),
                value: organization,
                severity: Severity::Note,
                message: "no network shared either way; skipped".to_string(),
            });
            continue;
        }
        for (filled, direction) in [
            (!outbound.is_empty(), Direction::Outbound),
            (!inbound.is_empty(), Direction::Inbound),
        ] {
            if filled {
                push_entry(
                    list,
                    Entry {
                        line,
                        field: field.clone(),
                        direction,
                        name: organization.clone(),
                        state_hint: None,
                        type_hint: None,
                    },
                );
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
                list.issues.push(Issue {
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
                });
            }
        }
    }
}
