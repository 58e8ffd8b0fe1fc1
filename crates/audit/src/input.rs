//! Opening an input: CSV, CSV.gz, XLSX, NDJSON(.gz), and transparency-portal archives (JSON).
//!
//! Every kind ends up as a header plus a [`RecordSource`] that fills a [`Record`] with the row's
//! fields as text, so one processor serves them all. Plain CSV files are also read in parallel
//! by the pipeline (see `pipeline.rs`); the sources here are the sequential path.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::csvscan::{Record, Scanner};
use crate::error::AuditError;

/// What a file is, from its name and first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// Comma-separated values.
    Csv {
        /// Whether the file is gzip-compressed.
        gzip: bool,
    },
    /// One JSON object per line.
    Ndjson {
        /// Whether the file is gzip-compressed.
        gzip: bool,
    },
    /// A spreadsheet (XLSX, XLS, ODS).
    Workbook,
    /// A JSON document: a transparency-portal archive, or an array of search objects.
    JsonDocument,
}

impl InputKind {
    /// How to read `path`, from its name. Refuses at once, without opening it, what cannot be
    /// read more than once: `-` (standard input), a named pipe, a socket or a device
    /// ([`remit_store::check_readable`]).
    pub fn of(path: &Path) -> Result<InputKind, AuditError> {
        remit_store::check_readable(path).map_err(|e| AuditError::io(path, e))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let (stem, gzip) = match name.strip_suffix(".gz") {
            Some(stem) => (stem.to_string(), true),
            None => (name.clone(), false),
        };
        let extension = stem.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        Ok(match extension {
            "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" if !gzip => InputKind::Workbook,
            "ndjson" | "jsonl" => InputKind::Ndjson { gzip },
            "json" if gzip => InputKind::Ndjson { gzip },
            "json" => {
                // A `.json` file holding one object per line is NDJSON; one document is not.
                let mut first = String::new();
                let file = File::open(path).map_err(|e| AuditError::io(path, e))?;
                BufReader::new(file)
                    .read_line(&mut first)
                    .map_err(|e| AuditError::io(path, e))?;
                let line = first.trim();
                if line.starts_with('{')
                    && line.ends_with('}')
                    && serde_json::from_str::<serde_json::Value>(line).is_ok()
                    && std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
                        > first.len() as u64 + 2
                {
                    InputKind::Ndjson { gzip: false }
                } else {
                    InputKind::JsonDocument
                }
            }
            _ => InputKind::Csv { gzip },
        })
    }
}

/// Rows read into memory: `(line, fields)`.
pub type Rows = Vec<(u64, Vec<String>)>;

/// One JSON object of an NDJSON file, with its line.
type JsonLine = (u64, serde_json::Map<String, serde_json::Value>);

/// Rows of an input, after its header.
pub trait RecordSource {
    /// Reads the next row into `record`; returns its line (or row, or record number).
    fn next_record(&mut self, record: &mut Record) -> Result<Option<u64>, AuditError>;
}

/// Counts bytes read through it.
#[derive(Debug)]
pub struct Counting<R> {
    inner: R,
    /// Bytes read so far, shared with whoever reports progress.
    pub count: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// A CSV source over any reader.
#[derive(Debug)]
pub struct CsvSource<R: Read> {
    path: PathBuf,
    scanner: Scanner<R>,
}

impl<R: Read> CsvSource<R> {
    /// Opens a CSV stream and reads its header.
    pub fn open(path: &Path, reader: R) -> Result<(Vec<String>, CsvSource<R>), AuditError> {
        let mut scanner = Scanner::new(reader, 0, 1);
        scanner.skip_bom().map_err(|e| AuditError::io(path, e))?;
        let mut record = Record::default();
        let start = scanner
            .next_record(&mut record)
            .map_err(|e| AuditError::io(path, e))?;
        let header = match start {
            Some(_) => record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect(),
            None => Vec::new(),
        };
        let limit = remit_store::limits::Limits::get().columns;
        if header.len() as u64 > limit {
            return Err(AuditError::io(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "line {}: {}",
                        start.map_or(1, |p| p.line),
                        remit_store::limits::exceeded(
                            &format!("a header of {} columns", header.len()),
                            limit,
                            "REMIT_MAX_COLUMNS"
                        )
                    ),
                ),
            ));
        }
        Ok((
            header,
            CsvSource {
                path: path.to_path_buf(),
                scanner,
            },
        ))
    }
}

impl<R: Read> CsvSource<R> {
    /// Where the next record starts (after the header: where the data starts).
    pub fn position(&self) -> crate::csvscan::Position {
        self.scanner.position()
    }

    /// The hash of the bytes read so far (after the header: the header's).
    pub fn hash(&self) -> crate::csvscan::StreamHash {
        self.scanner.hash()
    }
}

impl<R: Read> RecordSource for CsvSource<R> {
    fn next_record(&mut self, record: &mut Record) -> Result<Option<u64>, AuditError> {
        Ok(self
            .scanner
            .next_record(record)
            .map_err(|e| AuditError::io(&self.path, e))?
            .map(|p| p.line))
    }
}

/// Rows held in memory (a worksheet, a portal archive's audit, NDJSON objects as read).
#[derive(Debug, Default)]
pub struct RowsSource {
    rows: std::vec::IntoIter<(u64, Vec<String>)>,
}

impl RowsSource {
    /// A source over `rows`: each row's line (or row, or record number) and its cells.
    pub fn new(rows: Vec<(u64, Vec<String>)>) -> RowsSource {
        RowsSource {
            rows: rows.into_iter(),
        }
    }
}

impl RecordSource for RowsSource {
    fn next_record(&mut self, record: &mut Record) -> Result<Option<u64>, AuditError> {
        record.clear();
        match self.rows.next() {
            Some((line, fields)) => {
                for field in &fields {
                    record.push(field.as_bytes());
                }
                Ok(Some(line))
            }
            None => Ok(None),
        }
    }
}

/// NDJSON: one object per line, fields by the keys of the first object.
pub struct NdjsonSource {
    path: PathBuf,
    reader: BufReader<Box<dyn Read + Send>>,
    buffer: Vec<u8>,
    keys: Vec<String>,
    line: u64,
    pending: Option<JsonLine>,
}

impl std::fmt::Debug for NdjsonSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NdjsonSource")
            .field("path", &self.path)
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

fn value_text(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

impl NdjsonSource {
    /// Reads the first object and returns its keys as the header, with a source positioned to
    /// give that object as the first record. Errors name the file and line.
    pub fn open(
        path: &Path,
        reader: Box<dyn Read + Send>,
    ) -> Result<(Vec<String>, NdjsonSource), AuditError> {
        let mut source = NdjsonSource {
            path: path.to_path_buf(),
            reader: BufReader::new(reader),
            buffer: Vec::new(),
            keys: Vec::new(),
            line: 0,
            pending: None,
        };
        if let Some((line, object)) = source.next_object()? {
            let limit = remit_store::limits::Limits::get().columns;
            if object.len() as u64 > limit {
                return Err(AuditError::Json {
                    path: path.to_path_buf(),
                    line,
                    message: remit_store::limits::exceeded(
                        &format!("an object of {} keys", object.len()),
                        limit,
                        "REMIT_MAX_COLUMNS",
                    ),
                });
            }
            source.keys = object.keys().cloned().collect();
            source.pending = Some((line, object));
        }
        Ok((source.keys.clone(), source))
    }

    fn next_object(&mut self) -> Result<Option<JsonLine>, AuditError> {
        let limit = remit_store::limits::Limits::get().record_bytes;
        loop {
            // One line, read no further than one byte past the record limit.
            self.buffer.clear();
            let read = (&mut self.reader)
                .take(limit + 1)
                .read_until(b'\n', &mut self.buffer)
                .map_err(|e| AuditError::io(&self.path, e))?;
            if read == 0 {
                return Ok(None);
            }
            self.line += 1;
            let body = self.buffer.strip_suffix(b"\n").unwrap_or(&self.buffer);
            if body.len() as u64 > limit {
                return Err(AuditError::io(
                    &self.path,
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "line {}: {}; it begins `{}`",
                            self.line,
                            remit_store::limits::exceeded(
                                &format!("a line of more than {limit} bytes"),
                                limit,
                                "REMIT_MAX_RECORD_BYTES"
                            ),
                            remit_store::limits::quote_bytes(body)
                        ),
                    ),
                ));
            }
            let line = std::str::from_utf8(body).map_err(|e| AuditError::Json {
                path: self.path.clone(),
                line: self.line,
                message: format!("the line is not UTF-8 text ({e})"),
            })?;
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            return match serde_json::from_str::<serde_json::Value>(trimmed) {
                Ok(serde_json::Value::Object(object)) => Ok(Some((self.line, object))),
                Ok(_) => Err(AuditError::Json {
                    path: self.path.clone(),
                    line: self.line,
                    message: "the line is not a JSON object".to_string(),
                }),
                Err(e) => Err(AuditError::Json {
                    path: self.path.clone(),
                    line: self.line,
                    message: e.to_string(),
                }),
            };
        }
    }
}

impl RecordSource for NdjsonSource {
    fn next_record(&mut self, record: &mut Record) -> Result<Option<u64>, AuditError> {
        record.clear();
        let next = match self.pending.take() {
            Some(p) => Some(p),
            None => match self.next_object() {
                Ok(next) => next,
                // A line that is not JSON is one bad row, not a bad file: hand the pipeline an
                // empty record at that line and let it reject it.
                Err(AuditError::Json { line, .. }) => {
                    for _ in &self.keys {
                        record.push(b"");
                    }
                    return Ok(Some(line));
                }
                Err(e) => return Err(e),
            },
        };
        let Some((line, object)) = next else {
            return Ok(None);
        };
        for key in &self.keys {
            record.push(value_text(object.get(key)).as_bytes());
        }
        Ok(Some(line))
    }
}

/// A worksheet's rows as text. Dates become Excel serial numbers, which the time parser reads.
pub fn sheet_rows(range: &calamine::Range<calamine::Data>) -> Vec<(u64, Vec<String>)> {
    use calamine::Data;
    let first_row = range.start().map_or(0, |(row, _)| row);
    range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let cells = row
                .iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    Data::Float(f) => {
                        if f.fract() == 0.0 && f.abs() < 1e15 {
                            format!("{}", *f as i64)
                        } else {
                            format!("{f}")
                        }
                    }
                    Data::Int(i) => i.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(d) => {
                        let (year, month, day, hour, minute, second, _) = d.to_ymd_hms_milli();
                        format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
                    }
                    Data::Error(e) => format!("#{e:?}"),
                })
                .collect();
            // Worksheet rows are 1-based.
            (u64::from(first_row) + i as u64 + 1, cells)
        })
        .collect()
}

/// Reads a workbook's sheets, in order, as `(sheet name, rows)`.
pub fn workbook_sheets(path: &Path) -> Result<Vec<(String, Rows)>, AuditError> {
    use calamine::Reader;
    let limits = remit_store::limits::Limits::get();
    let file = File::open(path).map_err(|e| AuditError::io(path, e))?;
    remit_store::limits::check_workbook(BufReader::new(file), &limits).map_err(|message| {
        AuditError::Workbook {
            path: path.to_path_buf(),
            message,
        }
    })?;
    let mut workbook = calamine::open_workbook_auto(path).map_err(|e| AuditError::Workbook {
        path: path.to_path_buf(),
        message: format!("cannot open the workbook: {e}"),
    })?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| AuditError::Workbook {
                path: path.to_path_buf(),
                message: format!("sheet `{name}`: {e}"),
            })?;
        let (rows, columns) = range.get_size();
        remit_store::limits::check_sheet(&name, rows, columns, &limits).map_err(|message| {
            AuditError::Workbook {
                path: path.to_path_buf(),
                message,
            }
        })?;
        sheets.push((name, sheet_rows(&range)));
    }
    Ok(sheets)
}

/// A transparency-portal archive: the agency's name and its embedded search audit.
#[derive(Debug, Default)]
pub struct PortalArchive {
    /// The agency's name as the archive gives it (`crawled_name`), if any.
    pub agency: Option<String>,
    /// The portal's short name for the agency (`crawled_slug`), if any.
    pub slug: Option<String>,
    /// The audit's column names.
    pub header: Vec<String>,
    /// The audit's rows: each one's record number and its cells.
    pub rows: Vec<(u64, Vec<String>)>,
    /// True when the document has no search audit at all.
    pub no_audit: bool,
}

/// Reads a JSON document: a portal archive (`{"crawled_name": ..., "search_audit_csv": [...]}`)
/// or a plain array of search objects.
pub fn read_json_document(path: &Path) -> Result<PortalArchive, AuditError> {
    let text = std::fs::read_to_string(path).map_err(|e| AuditError::io(path, e))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| AuditError::Json {
        path: path.to_path_buf(),
        line: e.line() as u64,
        message: e.to_string(),
    })?;
    let mut archive = PortalArchive::default();
    let records = match &value {
        serde_json::Value::Array(items) => Some(items),
        serde_json::Value::Object(object) => {
            archive.agency = object
                .get("crawled_name")
                .and_then(|v| v.as_str())
                .map(str::to_string);
            archive.slug = object
                .get("crawled_slug")
                .and_then(|v| v.as_str())
                .map(str::to_string);
            match object.get("search_audit_csv") {
                Some(serde_json::Value::Array(items)) => Some(items),
                Some(serde_json::Value::Null) | None => None,
                Some(_) => {
                    return Err(AuditError::Json {
                        path: path.to_path_buf(),
                        line: 1,
                        message: "`search_audit_csv` is not a list of searches".to_string(),
                    });
                }
            }
        }
        _ => {
            return Err(AuditError::Json {
                path: path.to_path_buf(),
                line: 1,
                message: "expected a transparency-portal archive or a list of searches".to_string(),
            });
        }
    };
    let Some(records) = records else {
        archive.no_audit = true;
        return Ok(archive);
    };
    // The header is the union of keys, in order of first appearance: portals add `caseNumber`
    // and `offenseType` to some rows only.
    for record in records {
        if let Some(object) = record.as_object() {
            for key in object.keys() {
                if !archive.header.contains(key) {
                    archive.header.push(key.clone());
                }
            }
        }
    }
    for (i, record) in records.iter().enumerate() {
        let fields = match record.as_object() {
            Some(object) => archive
                .header
                .iter()
                .map(|key| value_text(object.get(key)))
                .collect(),
            None => vec![String::new(); archive.header.len()],
        };
        archive.rows.push((i as u64 + 1, fields));
    }
    Ok(archive)
}

/// Opens a file as a byte stream, decompressing gzip.
pub fn open_stream(
    path: &Path,
    gzip: bool,
) -> Result<
    (
        Box<dyn Read + Send>,
        std::sync::Arc<std::sync::atomic::AtomicU64>,
    ),
    AuditError,
> {
    let file = File::open(path).map_err(|e| AuditError::io(path, e))?;
    let count = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counting = Counting {
        inner: file,
        count: count.clone(),
    };
    let reader: Box<dyn Read + Send> = if gzip {
        Box::new(Inflated::new(
            flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 16, counting)),
            count.clone(),
            &remit_store::limits::Limits::get(),
        ))
    } else {
        Box::new(counting)
    };
    Ok((reader, count))
}

/// A decompressing reader held to the decompressed-size and compression-ratio limits: past
/// either it fails with an error saying which limit, after how many bytes.
#[derive(Debug)]
pub struct Inflated<R> {
    inner: R,
    /// Compressed bytes read so far (shared with the reader under the decoder).
    compressed: std::sync::Arc<std::sync::atomic::AtomicU64>,
    out: u64,
    max_out: u64,
    max_ratio: u64,
}

impl<R: Read> Inflated<R> {
    /// A reader over the decoder `inner`; `compressed` counts the compressed bytes read under
    /// it, and `limits` gives the largest decompressed size and ratio allowed.
    pub fn new(
        inner: R,
        compressed: std::sync::Arc<std::sync::atomic::AtomicU64>,
        limits: &remit_store::limits::Limits,
    ) -> Inflated<R> {
        Inflated {
            inner,
            compressed,
            out: 0,
            max_out: limits.decompressed_bytes,
            max_ratio: limits.compression_ratio,
        }
    }
}

impl<R: Read> Read for Inflated<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use remit_store::limits::{RATIO_GRACE_BYTES, exceeded};
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        if self.out > self.max_out {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                exceeded(
                    "the decompressed content",
                    self.max_out,
                    "REMIT_MAX_DECOMPRESSED_BYTES",
                ),
            ));
        }
        let compressed = self
            .compressed
            .load(std::sync::atomic::Ordering::Relaxed)
            .max(1);
        if self.out > RATIO_GRACE_BYTES && self.out / compressed > self.max_ratio {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{} bytes expanded to {}: {}",
                    compressed,
                    self.out,
                    exceeded(
                        "the compression ratio",
                        self.max_ratio,
                        "REMIT_MAX_COMPRESSION_RATIO"
                    )
                ),
            ));
        }
        Ok(n)
    }
}

/// Bytes of a file read through a memory map (see [`map_from`]).
#[derive(Debug)]
pub struct Mapped {
    map: Option<memmap2::Mmap>,
}

impl Mapped {
    /// The file's bytes (empty for an empty file).
    pub fn bytes(&self) -> &[u8] {
        self.map.as_deref().unwrap_or_default()
    }
}

/// Maps `len` bytes of a plain file from `offset` for reading, so that the parser reads the page
/// cache in place instead of copying the file into a buffer first. Only regular files are
/// mapped: pipes, standard input and gzip streams are read with read calls.
#[expect(
    unsafe_code,
    reason = "mapping a file is unsafe in memmap2; the one call is below, with its SAFETY note"
)]
pub fn map_from(file: &File, path: &Path, offset: u64, len: u64) -> Result<Mapped, AuditError> {
    if len == 0 {
        return Ok(Mapped { map: None });
    }
    let len = usize::try_from(len).map_err(|_| {
        AuditError::io(
            path,
            std::io::Error::other("the file is too large to map on this machine"),
        )
    })?;
    // SAFETY: the map is read-only and private, and all our reads of it go through bounds-checked
    // slices of `len` bytes, which the file had when the run started. The risk is another process
    // changing the file while it is mapped: bytes rewritten in place are read as they are at the
    // time (a row may mix old and new text, as with read calls), and a file truncated below the
    // mapped range makes reading the missing pages fail with SIGBUS, which ends the process
    // instead of the run reporting an error. What we do about it: only regular files are mapped
    // (never pipes, standard input or gzip), each map covers the rest of the file from one block
    // and lives only while that block is parsed, and the pipeline compares the file's length and
    // modification time after the run and fails the run if either changed, so a changed file never
    // gives a finished audit. Audit logs are exports that nobody writes to while they are audited;
    // `--no-map` reads with read calls where that cannot be promised.
    let map = unsafe {
        memmap2::MmapOptions::new()
            .offset(offset)
            .len(len)
            .map(file)
    }
    .map_err(|e| AuditError::io(path, e))?;
    // Advice only: the kernel reads ahead further. Failing to take it changes nothing else.
    let _ = map.advise(memmap2::Advice::Sequential);
    Ok(Mapped { map: Some(map) })
}
