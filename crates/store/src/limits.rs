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
}
