//! Limits on what one input may make Remit hold in memory.
//!
//! Every reader (audit logs, sharing lists, 287(g) sheets, workbooks, gzip streams) checks its
//! input against these limits and stops with an error that names the file, the line and the
//! limit, so that no file, however large or malformed, makes memory grow past a known ceiling.
//! Each default can be raised with an environment variable (see `docs/security.md`).

use std::sync::OnceLock;

/// The limits in force, each with the environment variable that raises it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes in one CSV record (`REMIT_MAX_RECORD_BYTES`).
    pub record_bytes: u64,
    /// Bytes in one CSV field or one worksheet cell (`REMIT_MAX_FIELD_BYTES`).
    pub field_bytes: u64,
    /// Columns in a header (`REMIT_MAX_COLUMNS`).
    pub columns: u64,
    /// Bytes a gzip file or a workbook's part may expand to (`REMIT_MAX_DECOMPRESSED_BYTES`).
    pub decompressed_bytes: u64,
    /// How many times larger than its compressed size a gzip stream or workbook part may
    /// expand, checked past the first 16 MiB (`REMIT_MAX_COMPRESSION_RATIO`).
    pub compression_ratio: u64,
    /// Rows in one worksheet (`REMIT_MAX_SHEET_ROWS`).
    pub sheet_rows: u64,
    /// Cells (rows times columns) in one worksheet (`REMIT_MAX_SHEET_CELLS`).
    pub sheet_cells: u64,
    /// Bytes one part of a workbook (a sheet, its shared strings) may expand to: a workbook is
    /// read whole into memory, at a few times this size (`REMIT_MAX_WORKBOOK_PART_BYTES`).
    pub workbook_part_bytes: u64,
}

/// Expansion below this many bytes is never refused for its ratio: small files of repeated
/// values compress very well and are harmless.
pub const RATIO_GRACE_BYTES: u64 = 16 << 20;

/// How much of an offending input an error quotes.
pub const QUOTE_CHARS: usize = 80;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            record_bytes: 1 << 20,
            field_bytes: 256 << 10,
            columns: 1_000,
            decompressed_bytes: 64 << 30,
            compression_ratio: 200,
            sheet_rows: 1_000_000,
            sheet_cells: 10_000_000,
            workbook_part_bytes: 128 << 20,
        }
    }
}

impl Limits {
    /// The defaults, raised or lowered by the environment variables that are set to a whole
    /// number (digits, optionally with a `K`, `M` or `G` suffix for 2^10, 2^20, 2^30).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Limits {
        let mut limits = Limits::default();
        let set = |name: &str, slot: &mut u64| {
            if let Some(value) = var(name).as_deref().and_then(parse_size) {
                *slot = value;
            }
        };
        set("REMIT_MAX_RECORD_BYTES", &mut limits.record_bytes);
        set("REMIT_MAX_FIELD_BYTES", &mut limits.field_bytes);
        set("REMIT_MAX_COLUMNS", &mut limits.columns);
        set(
            "REMIT_MAX_DECOMPRESSED_BYTES",
            &mut limits.decompressed_bytes,
        );
        set("REMIT_MAX_COMPRESSION_RATIO", &mut limits.compression_ratio);
        set("REMIT_MAX_SHEET_ROWS", &mut limits.sheet_rows);
        set("REMIT_MAX_SHEET_CELLS", &mut limits.sheet_cells);
        set(
            "REMIT_MAX_WORKBOOK_PART_BYTES",
            &mut limits.workbook_part_bytes,
        );
        limits
    }

    /// The limits of this process (read from the environment once).
    pub fn get() -> Limits {
        static LIMITS: OnceLock<Limits> = OnceLock::new();
        *LIMITS.get_or_init(|| Limits::from_vars(|name| std::env::var(name).ok()))
    }
}

/// Each limit's environment variable, what it bounds, and its default.
pub fn variables() -> [(&'static str, &'static str, u64); 8] {
    let d = Limits::default();
    [
        (
            "REMIT_MAX_RECORD_BYTES",
            "bytes in one CSV record or line",
            d.record_bytes,
        ),
        (
            "REMIT_MAX_FIELD_BYTES",
            "bytes in one field or cell",
            d.field_bytes,
        ),
        ("REMIT_MAX_COLUMNS", "columns in a header or row", d.columns),
        (
            "REMIT_MAX_DECOMPRESSED_BYTES",
            "bytes a gzip file or a workbook expands to",
            d.decompressed_bytes,
        ),
        (
            "REMIT_MAX_COMPRESSION_RATIO",
            "how many times a gzip stream or workbook part may expand",
            d.compression_ratio,
        ),
        (
            "REMIT_MAX_WORKBOOK_PART_BYTES",
            "bytes one part of a workbook (a sheet) expands to",
            d.workbook_part_bytes,
        ),
        (
            "REMIT_MAX_SHEET_ROWS",
            "rows in one worksheet",
            d.sheet_rows,
        ),
        (
            "REMIT_MAX_SHEET_CELLS",
            "cells in one worksheet",
            d.sheet_cells,
        ),
    ]
}

/// A size as the variables take it: `1M`, `256K`, `64G`, or a plain number.
pub fn format_size(value: u64) -> String {
    for (shift, suffix) in [(30, "G"), (20, "M"), (10, "K")] {
        if value >= 1 << shift && value % (1 << shift) == 0 {
            return format!("{}{suffix}", value >> shift);
        }
    }
    value.to_string()
}

/// The "Limits" paragraph of the `--help` of every command that reads input files: each
/// environment variable, what it bounds and its default.
pub fn help() -> String {
    let mut text = String::from(
        "Limits: input past a limit is refused with an error naming the file, line and limit. \
         Raise a limit by setting its environment variable (a number, or with K, M or G), \
         e.g. REMIT_MAX_RECORD_BYTES=8M:",
    );
    for (variable, what, default) in variables() {
        let default = if variable.ends_with("_BYTES") {
            format_size(default)
        } else {
            default.to_string()
        };
        text.push_str(&format!("\n  {variable:<30} {default:>9}  {what}"));
    }
    text
}

/// `123`, `64K`, `1M`, `2G` (binary multiples); `None` for anything else or zero.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let (digits, shift) = match text.char_indices().last()? {
        (i, 'k' | 'K') => (&text[..i], 10),
        (i, 'm' | 'M') => (&text[..i], 20),
        (i, 'g' | 'G') => (&text[..i], 30),
        _ => (text, 0),
    };
    let value: u64 = digits.trim().parse().ok()?;
    let value = value.checked_mul(1 << shift)?;
    (value > 0).then_some(value)
}

/// At most the first [`QUOTE_CHARS`] characters of `text`, saying how long it was when cut;
/// control characters (a NUL, an escape) are written as escapes so that a terminal shows them
/// as text.
pub fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_CHARS) {
        Some((end, _)) => format!("{}… ({} bytes in all)", escape(&text[..end]), text.len()),
        None => escape(text),
    }
}

fn escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_debug().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

/// [`quote`] for bytes that may not be UTF-8.
pub fn quote_bytes(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(QUOTE_CHARS * 4)];
    let text = String::from_utf8_lossy(cut);
    let end = text
        .char_indices()
        .nth(QUOTE_CHARS)
        .map_or(text.len(), |(i, _)| i);
    if end == text.len() && cut.len() == bytes.len() {
        escape(&text)
    } else {
        format!("{}… ({} bytes in all)", escape(&text[..end]), bytes.len())
    }
}

/// An error for input past a limit: what was too large, where, and how to raise the limit.
pub fn exceeded(what: &str, limit: u64, variable: &str) -> String {
    format!(
        "{what} is larger than the limit of {limit} (raise it with the environment variable `{variable}`)"
    )
}

/// Checks a zip-based workbook (XLSX, XLSM, XLSB, ODS) before a spreadsheet reader opens it:
/// every entry's declared size, and its actual size and compression ratio as it is inflated
/// (into nothing: only counted), must be within the limits. A file that is not a zip archive
/// passes (an old `.xls` is not one; the spreadsheet reader judges it).
pub fn check_workbook<R: std::io::Read + std::io::Seek>(
    reader: R,
    limits: &Limits,
) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(reader) else {
        return Ok(());
    };
    let max = limits.workbook_part_bytes;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| format!("the workbook's part {} cannot be read: {e}", i + 1))?;
        let name = quote(&entry.name().map(|n| n.into_owned()).unwrap_or_default());
        let compressed = entry.compressed_size().max(1);
        if entry.size() > max {
            return Err(format!(
                "part `{name}` declares {} bytes: {}",
                entry.size(),
                exceeded("a workbook part", max, "REMIT_MAX_WORKBOOK_PART_BYTES")
            ));
        }
        // The declared size may lie: count what actually comes out, and in a worksheet its rows
        // and cells (the spreadsheet reader would hold them all in memory).
        let worksheet = name.starts_with("xl/worksheets/");
        let (mut rows, mut cells) = (0_u64, 0_u64);
        let mut extent = Extent::default();
        let mut counted: u64 = 0;
        let mut buffer = vec![0_u8; 64 << 10];
        // The last bytes of the previous read, so that a tag split between reads is seen.
        let mut carry = 0;
        loop {
            let n = match std::io::Read::read(&mut entry, &mut buffer[carry..]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(format!("part `{name}` cannot be inflated: {e}")),
            };
            counted += n as u64;
            if worksheet {
                let seen = &buffer[..carry + n];
                let (r, c) = count_tags(seen);
                rows += r;
                cells += c;
                extent
                    .scan(&seen[carry..], limits)
                    .map_err(|e| format!("part `{name}`: {e}"))?;
                if rows > limits.sheet_rows {
                    return Err(format!(
                        "part `{name}`: {}",
                        exceeded(
                            &format!("a sheet of more than {} rows", limits.sheet_rows),
                            limits.sheet_rows,
                            "REMIT_MAX_SHEET_ROWS"
                        )
                    ));
                }
                if cells > limits.sheet_cells {
                    return Err(format!(
                        "part `{name}`: {}",
                        exceeded(
                            &format!("a sheet of more than {} cells", limits.sheet_cells),
                            limits.sheet_cells,
                            "REMIT_MAX_SHEET_CELLS"
                        )
                    ));
                }
                // Keep the last 4 bytes (shorter than a tag) for the next read.
                let keep = seen.len().min(4);
                let from = seen.len() - keep;
                buffer.copy_within(from..from + keep, 0);
                carry = keep;
            }
            if counted > max {
                return Err(format!(
                    "part `{name}` expands past {max} bytes: {}",
                    exceeded("a workbook part", max, "REMIT_MAX_WORKBOOK_PART_BYTES")
                ));
            }
            if counted > RATIO_GRACE_BYTES && counted / compressed > limits.compression_ratio {
                return Err(format!(
                    "part `{name}` expands from {compressed} bytes to more than {counted}: {}",
                    exceeded(
                        "the compression ratio",
                        limits.compression_ratio,
                        "REMIT_MAX_COMPRESSION_RATIO"
                    )
                ));
            }
        }
        total += counted;
        if total > limits.decompressed_bytes {
            return Err(exceeded(
                "the workbook's decompressed content",
                limits.decompressed_bytes,
                "REMIT_MAX_DECOMPRESSED_BYTES",
            ));
        }
    }
    Ok(())
}

/// A line or record past a limit: where, and which limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exceeded {
    /// The line (1-based) where the line or record starts.
    pub line: u64,
    /// The field (1-based), when one field is too long.
    pub field: Option<usize>,
    /// What was too large, the limit and how to raise it, and a short prefix of the input.
    pub message: String,
}

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.field {
            Some(field) => write!(f, "line {}, field {field}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// Checks a text file held in memory before it is parsed: no physical line may be longer than
/// the record limit (a record holds at least one whole line).
pub fn check_lines(content: &[u8], limits: &Limits) -> Result<(), Exceeded> {
    let max = usize::try_from(limits.record_bytes).unwrap_or(usize::MAX);
    if content.len() <= max {
        return Ok(());
    }
    for (i, line) in content.split(|b| *b == b'\n').enumerate() {
        if line.len() > max {
            return Err(Exceeded {
                line: i as u64 + 1,
                field: None,
                message: format!(
                    "{}; it begins `{}`",
                    exceeded(
                        &format!("a line of {} bytes", line.len()),
                        limits.record_bytes,
                        "REMIT_MAX_RECORD_BYTES"
                    ),
                    quote_bytes(line)
                ),
            });
        }
    }
    Ok(())
}

/// Checks one parsed record (at `line`): its size, its number of fields and each field's size.
pub fn check_record<'a>(
    line: u64,
    fields: impl IntoIterator<Item = &'a [u8]>,
    limits: &Limits,
) -> Result<(), Exceeded> {
    let mut total: u64 = 0;
    for (i, field) in fields.into_iter().enumerate() {
        if i as u64 >= limits.columns {
            return Err(Exceeded {
                line,
                field: None,
                message: exceeded(
                    &format!("a row of more than {} fields", limits.columns),
                    limits.columns,
                    "REMIT_MAX_COLUMNS",
                ),
            });
        }
        if field.len() as u64 > limits.field_bytes {
            return Err(Exceeded {
                line,
                field: Some(i + 1),
                message: format!(
                    "{}; it begins `{}`",
                    exceeded(
                        &format!("a field of {} bytes", field.len()),
                        limits.field_bytes,
                        "REMIT_MAX_FIELD_BYTES"
                    ),
                    quote_bytes(field)
                ),
            });
        }
        total += field.len() as u64;
    }
    if total > limits.record_bytes {
        return Err(Exceeded {
            line,
            field: None,
            message: exceeded(
                &format!("a record of {total} bytes"),
                limits.record_bytes,
                "REMIT_MAX_RECORD_BYTES",
            ),
        });
    }
    Ok(())
}

/// The longest row or cell tag ([`Extent`]) read: real ones are a few dozen bytes.
const MAX_TAG_BYTES: usize = 64 << 10;

/// The extent of a worksheet's cells, from the `r` references of its cells (`A1`, `XFD1048576`)
/// and rows: the spreadsheet reader allocates a grid of every row and column between the first
/// and the last cell that holds something, before anything can count them, so two cells far
/// apart in a file of a few hundred bytes would make it allocate gigabytes.
#[derive(Debug, Default)]
struct Extent {
    /// First and last row (1-based), first and last column (1-based).
    rows: Option<(u64, u64)>,
    columns: Option<(u64, u64)>,
    /// The number of the row being read (0 when it gave none).
    row: u64,
    /// The start of a tag cut by the end of the last read.
    pending: Vec<u8>,
}

impl Extent {
    /// Reads the references of the row and cell tags in `bytes` (after what was pending), and
    /// checks the extent so far against the limits.
    fn scan(&mut self, bytes: &[u8], limits: &Limits) -> Result<(), String> {
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(bytes);
        let mut at = 0;
        while let Some(offset) = data[at..].iter().position(|&b| b == b'<') {
            let start = at + offset;
            let Some(end) = tag_end(&data[start..]) else {
                if data.len() - start > MAX_TAG_BYTES {
                    return Err(format!(
                        "a tag of more than {MAX_TAG_BYTES} bytes; it begins `{}`",
                        quote_bytes(&data[start..])
                    ));
                }
                self.pending = data[start..].to_vec();
                return Ok(());
            };
            let tag = &data[start + 1..start + end];
            at = start + end + 1;
            let name_end = tag
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'/')
                .unwrap_or(tag.len());
            let name = &tag[..name_end];
            let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
            let is_row = local == b"row";
            if !is_row && local != b"c" {
                continue;
            }
            let reference = attribute(&tag[name_end..], b"r").unwrap_or_default();
            let letters = reference
                .iter()
                .take_while(|b| b.is_ascii_alphabetic())
                .count();
            let digits = &reference[letters..];
            let row = digits
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .fold(0_u64, |n, b| {
                    n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
                });
            if is_row {
                // A row's number is digits (the spreadsheet reader would read letters as a
                // column, and overflow on many).
                if letters > 0 {
                    return Err(format!(
                        "the row number `{}` is not a number",
                        quote_bytes(reference)
                    ));
                }
                // It places the cells in the row that give no reference; a row holds no value.
                self.row = row;
                continue;
            }
            // A cell with no content (`<c r="XFD1" s="3"/>`, formatting only) is not read.
            if tag.ends_with(b"/") {
                continue;
            }
            let row = if row > 0 { row } else { self.row };
            if row > 0 {
                widen(&mut self.rows, row);
            }
            if letters > 0 {
                let column = reference[..letters].iter().fold(0_u64, |n, b| {
                    n.saturating_mul(26)
                        .saturating_add(u64::from(b.to_ascii_uppercase() - b'A') + 1)
                });
                widen(&mut self.columns, column);
            }
            self.check(reference, limits)?;
        }
        Ok(())
    }

    fn check(&self, reference: &[u8], limits: &Limits) -> Result<(), String> {
        let span = |range: Option<(u64, u64)>| range.map_or(0, |(a, b)| b - a + 1);
        let (rows, columns) = (span(self.rows), span(self.columns));
        let at = || format!("the cells reach `{}`", quote_bytes(reference));
        if columns > limits.columns {
            return Err(format!(
                "{}: {}",
                at(),
                exceeded(
                    &format!("a sheet {columns} columns wide"),
                    limits.columns,
                    "REMIT_MAX_COLUMNS"
                )
            ));
        }
        if rows > limits.sheet_rows {
            return Err(format!(
                "{}: {}",
                at(),
                exceeded(
                    &format!("a sheet {rows} rows long"),
                    limits.sheet_rows,
                    "REMIT_MAX_SHEET_ROWS"
                )
            ));
        }
        let grid = rows.saturating_mul(columns);
        if grid > limits.sheet_cells {
            return Err(format!(
                "{}: {}",
                at(),
                exceeded(
                    &format!("a grid of {grid} cells ({rows} rows of {columns} columns)"),
                    limits.sheet_cells,
                    "REMIT_MAX_SHEET_CELLS"
                )
            ));
        }
        Ok(())
    }
}

/// Where the tag at the start of `data` ends (its `>`, not one inside an attribute value: a
/// quote opens a value only after `=`, as the XML reader reads it).
fn tag_end(data: &[u8]) -> Option<usize> {
    let mut quote = None;
    let mut after_equals = false;
    for (i, &byte) in data.iter().enumerate() {
        match (quote, byte) {
            (None, b'>') => return Some(i),
            (None, b'"' | b'\'') if after_equals => quote = Some(byte),
            (Some(open), _) if open == byte => quote = None,
            _ => {}
        }
        if !byte.is_ascii_whitespace() {
            after_equals = quote.is_none() && byte == b'=';
        }
    }
    None
}

/// Widens `range` to take in `value`.
fn widen(range: &mut Option<(u64, u64)>, value: u64) {
    *range = Some(match *range {
        Some((low, high)) => (low.min(value), high.max(value)),
        None => (value, value),
    });
}

/// The value of the attribute `name` (without a namespace prefix) in the attributes of a tag;
/// the last one when it is given twice, as the spreadsheet reader takes it.
fn attribute<'a>(attributes: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut rest = attributes;
    let mut found = None;
    loop {
        let Some(start) = rest.iter().position(|b| !b.is_ascii_whitespace()) else {
            return found;
        };
        rest = &rest[start..];
        let Some(equals) = rest.iter().position(|&b| b == b'=') else {
            return found;
        };
        let key = rest[..equals].trim_ascii_end();
        rest = rest[equals + 1..].trim_ascii_start();
        let Some(&quote) = rest.first() else {
            return found;
        };
        if quote != b'"' && quote != b'\'' {
            return found;
        }
        let Some(close) = rest[1..].iter().position(|&b| b == quote) else {
            return found;
        };
        let value = &rest[1..1 + close];
        rest = &rest[close + 2..];
        let local = key.rsplit(|&b| b == b':').next().unwrap_or(key);
        if local == name && !key.starts_with(b"xmlns") {
            found = Some(value);
        }
    }
}

/// Rows (`<row`) and cells (`<c ` or `<c>`) whose tags start in `bytes`, not counting a tag
/// that starts in the last 4 bytes (they are seen again with the next read).
fn count_tags(bytes: &[u8]) -> (u64, u64) {
    let (mut rows, mut cells) = (0, 0);
    let end = bytes.len().saturating_sub(4);
    for i in 0..end {
        if bytes[i] == b'<' {
            match &bytes[i + 1..i + 4] {
                [b'r', b'o', b'w'] => rows += 1,
                [b'c', b' ' | b'>', ..] => cells += 1,
                _ => {}
            }
        }
    }
    (rows, cells)
}

/// Checks a worksheet's size once read: rows and cells.
pub fn check_sheet(
    sheet: &str,
    rows: usize,
    columns: usize,
    limits: &Limits,
) -> Result<(), String> {
    let sheet = quote(sheet);
    if rows as u64 > limits.sheet_rows {
        return Err(format!(
            "sheet `{sheet}`: {}",
            exceeded(
                &format!("{rows} rows"),
                limits.sheet_rows,
                "REMIT_MAX_SHEET_ROWS"
            )
        ));
    }
    let cells = rows as u64 * columns as u64;
    if cells > limits.sheet_cells {
        return Err(format!(
            "sheet `{sheet}`: {}",
            exceeded(
                &format!("{cells} cells ({rows} rows of {columns} columns)"),
                limits.sheet_cells,
                "REMIT_MAX_SHEET_CELLS"
            )
        ));
    }
    if columns as u64 > limits.columns {
        return Err(format!(
            "sheet `{sheet}`: {}",
            exceeded(
                &format!("{columns} columns"),
                limits.columns,
                "REMIT_MAX_COLUMNS"
            )
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_environment() {
        assert_eq!(parse_size("64K"), Some(65_536));
        assert_eq!(parse_size(" 2g "), Some(2 << 30));
        assert_eq!(parse_size("10"), Some(10));
        assert_eq!(parse_size("0"), None);
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("99999999999999999999G"), None);
        let limits =
            Limits::from_vars(|name| (name == "REMIT_MAX_RECORD_BYTES").then(|| "4M".to_string()));
        assert_eq!(limits.record_bytes, 4 << 20);
        assert_eq!(limits.columns, Limits::default().columns);
    }

    #[test]
    fn quotes_are_cut_to_a_prefix() {
        assert_eq!(quote("short"), "short");
        let long = "é".repeat(10_000);
        let quoted = quote(&long);
        assert!(quoted.starts_with(&"é".repeat(80)));
        assert!(quoted.ends_with("(20000 bytes in all)"), "{quoted}");
        let bytes = vec![b'x'; 7_900_000];
        let quoted = quote_bytes(&bytes);
        assert!(quoted.len() < 120, "{quoted}");
        assert_eq!(quote_bytes(b"a\0\x1b[2Jb"), "a\\0\\u{1b}[2Jb");
        assert!(quoted.ends_with("(7900000 bytes in all)"), "{quoted}");
    }

    /// A zip archive with one entry `name` of `chunk` repeated `times` times, deflated.
    fn zip_of(name: &str, chunk: &[u8], times: usize) -> Vec<u8> {
        use std::io::Write;
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        writer.start_file(name, options).unwrap();
        for _ in 0..times {
            writer.write_all(chunk).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn cells_far_apart_are_refused_before_the_grid_is_allocated() {
        let limits = Limits::default();
        let check = |cells: &str| {
            let sheet = format!("<worksheet><sheetData>{cells}</sheetData></worksheet>");
            let zip = zip_of("xl/worksheets/sheet1.xml", sheet.as_bytes(), 1);
            check_workbook(std::io::Cursor::new(zip), &limits)
        };
        let value = "<v>1</v></c>";
        for (cells, variable) in [
            // 41 letters: past a 32-bit column number (found by fuzzing the 287(g) reader).
            (
                format!(
                    "<row r=\"2\"><c r=\"A2\">{value}<c r=\"{}C2\">{value}</row>",
                    "i".repeat(41)
                ),
                "REMIT_MAX_COLUMNS",
            ),
            // Two cells: a grid of 642 million (20 GB) in a workbook of 1 KB.
            (
                format!(
                    "<row r=\"2\"><c r=\"A2\">{value}<c r=\"ZZZZZZ2\" t=\"inlineStr\"><is><t>x</t></is></c></row>"
                ),
                "REMIT_MAX_COLUMNS",
            ),
            // A row four billion down, given by the row alone.
            (
                format!(
                    "<row r=\"1\"><c r=\"A1\">{value}</row><row r=\"4000000000\"><c>{value}</row>"
                ),
                "REMIT_MAX_SHEET_ROWS",
            ),
            // 38 columns by a million rows.
            (
                format!(
                    "<row r=\"1\"><c r=\"A1\">{value}</row><row r=\"1000000\"><c r=\"AL1000000\">{value}</row>"
                ),
                "REMIT_MAX_SHEET_CELLS",
            ),
            // A `>` inside an attribute value does not end the tag (found by fuzzing).
            (
                format!(
                    "<row r=\"1\"><c r=\"A1\" t=\"s >\">{value}<c t='>' r=\"ZZZ1\">{value}</row>"
                ),
                "REMIT_MAX_COLUMNS",
            ),
            // With a namespace prefix and single quotes.
            (
                format!(
                    "<x:row r='1'><x:c r = 'A1'>{value}<x:c r='ZZZ1'><x:v>2</x:v></x:c></x:row>"
                ),
                "REMIT_MAX_COLUMNS",
            ),
        ] {
            let error = check(&cells).unwrap_err();
            assert!(error.contains(variable), "{error}");
            assert!(error.contains("the cells reach"), "{error}");
            assert!(error.len() < 400, "{error}");
        }
        // A row numbered with letters (the reader would overflow on them).
        let error = check(&format!("<row r=\"{}1\"><c>{value}</row>", "i".repeat(41))).unwrap_err();
        assert!(error.contains("is not a number"), "{error}");
        // Formatting far away (empty cells and rows, as spreadsheet programs write) is not read,
        // and a sheet within the limits passes.
        assert_eq!(
            check(&format!(
                "<row r=\"1\"><c r=\"A1\">{value}<c r=\"XFD1\" s=\"3\"/></row><row r=\"1048576\" s=\"1\"/>"
            )),
            Ok(())
        );
        assert_eq!(
            check(&format!(
                "<row r=\"1\"><c r=\"A1\">{value}<c r=\"ALL9000\">{value}</row>"
            )),
            Ok(())
        );
    }

    #[test]
    fn workbook_bombs_are_refused_before_they_are_read() {
        let limits = Limits::default();
        // 100 MB of zeros in a sheet: the ratio gives it away past the first 16 MiB.
        let bomb = zip_of("xl/worksheets/sheet1.xml", &[0_u8; 1 << 20], 100);
        assert!(bomb.len() < 1 << 20, "{}", bomb.len());
        let error = check_workbook(std::io::Cursor::new(&bomb), &limits).unwrap_err();
        assert!(error.contains("xl/worksheets/sheet1.xml"), "{error}");
        assert!(error.contains("REMIT_MAX_COMPRESSION_RATIO"), "{error}");
        // With the ratio raised, the part's size stops it.
        let lenient = Limits {
            compression_ratio: u64::MAX,
            workbook_part_bytes: 32 << 20,
            ..Limits::default()
        };
        let error = check_workbook(std::io::Cursor::new(&bomb), &lenient).unwrap_err();
        assert!(error.contains("REMIT_MAX_WORKBOOK_PART_BYTES"), "{error}");
        // A part that declares more than the limit is refused without inflating it.
        let strict = Limits {
            workbook_part_bytes: 1 << 20,
            ..Limits::default()
        };
        let declared = zip_of("xl/sharedStrings.xml", b"<si><t>x</t></si>", 100_000);
        let error = check_workbook(std::io::Cursor::new(&declared), &strict).unwrap_err();
        assert!(error.contains("declares 1700000 bytes"), "{error}");
        // 1.5 million rows in 25 MB: the rows are counted as the part is inflated.
        let rows = zip_of(
            "xl/worksheets/sheet1.xml",
            b"<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>",
            1_500_000,
        );
        let error = check_workbook(std::io::Cursor::new(&rows), &limits).unwrap_err();
        assert!(error.contains("REMIT_MAX_SHEET_ROWS"), "{error}");
        let few = zip_of(
            "xl/worksheets/sheet1.xml",
            b"<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"B1\"><v>2</v></c></row>",
            999_000,
        );
        assert_eq!(check_workbook(std::io::Cursor::new(&few), &limits), Ok(()));
        assert_eq!(
            count_tags(b"<row><c r=\"A1\"><c><v>1</v></c></row>    "),
            (1, 2)
        );
        // An ordinary part passes, and so does a file that is not a zip archive.
        let fine = zip_of(
            "xl/worksheets/sheet1.xml",
            b"<row><c><v>1</v></c></row>",
            1000,
        );
        assert_eq!(check_workbook(std::io::Cursor::new(&fine), &limits), Ok(()));
        assert_eq!(
            check_workbook(std::io::Cursor::new(b"not a zip"), &limits),
            Ok(())
        );
    }

    #[test]
    fn sheets_lines_and_records_past_the_limits() {
        let limits = Limits::default();
        let error = check_sheet("Sheet1", 3_000_000, 2, &limits).unwrap_err();
        assert!(error.contains("REMIT_MAX_SHEET_ROWS"), "{error}");
        let error = check_sheet("Sheet1", 500_000, 50, &limits).unwrap_err();
        assert!(error.contains("REMIT_MAX_SHEET_CELLS"), "{error}");
        assert_eq!(check_sheet("Sheet1", 1_000, 20, &limits), Ok(()));
        let mut text = b"name\nok\n".to_vec();
        text.extend(std::iter::repeat_n(b'z', 2 << 20));
        let error = check_lines(&text, &limits).unwrap_err();
        assert_eq!(error.line, 3);
        assert!(
            error
                .to_string()
                .starts_with("line 3: a line of 2097152 bytes"),
            "{error}"
        );
        assert!(error.to_string().len() < 300, "{error}");
        let long = vec![b'f'; 300_000];
        let error = check_record(7, [b"a".as_slice(), long.as_slice()], &limits).unwrap_err();
        assert_eq!((error.line, error.field), (7, Some(2)));
        assert!(error.message.contains("REMIT_MAX_FIELD_BYTES"), "{error}");
        let wide = vec![b"c".as_slice(); 1_001];
        let error = check_record(1, wide, &limits).unwrap_err();
        assert!(error.message.contains("REMIT_MAX_COLUMNS"), "{error}");
        assert_eq!(check_record(2, [b"a".as_slice(), b"b"], &limits), Ok(()));
    }

    #[test]
    fn the_help_names_every_variable_with_its_default() {
        let help = help();
        for (variable, _, default) in variables() {
            // Each listed variable really sets a limit, and reads back the default it shows.
            let set = Limits::from_vars(|name| (name == variable).then(|| "7".to_string()));
            assert_ne!(set, Limits::default(), "{variable} sets nothing");
            let shown = Limits::from_vars(|name| (name == variable).then(|| format_size(default)));
            assert_eq!(
                shown,
                Limits::default(),
                "{variable}: {}",
                format_size(default)
            );
            assert!(help.contains(variable), "{help}");
        }
        let shown = |variable: &str| {
            help.lines()
                .find(|line| line.trim_start().starts_with(variable))
                .and_then(|line| line.split_whitespace().nth(1))
                .map(str::to_string)
        };
        assert_eq!(shown("REMIT_MAX_RECORD_BYTES").as_deref(), Some("1M"));
        assert_eq!(
            shown("REMIT_MAX_DECOMPRESSED_BYTES").as_deref(),
            Some("64G")
        );
        assert_eq!(shown("REMIT_MAX_SHEET_ROWS").as_deref(), Some("1000000"));
        assert_eq!(format_size(256 << 10), "256K");
        assert_eq!(format_size(1000), "1000");
    }
}
