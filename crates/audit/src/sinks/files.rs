//! File sinks for `--out DIR`: `findings.csv` (with `decisions.csv` beside it unless the findings
//! carry their citations), `rejects.csv`, `summary.json`, `report.html`.
//!
//! Each writes to `NAME.partial` and renames it into place in `finish`, so an interrupted run
//! leaves no half-written file under the final name.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::aggregate::Summary;
use crate::error::AuditError;
use crate::event::{Event, text};
use crate::process::{Reject, Tables};
use crate::sinks::Sink;
use crate::time::format_utc;

/// Shown instead of officer names and plates unless the user asks otherwise.
pub const REDACTED: &str = "[redacted]";

struct PartialFile {
    path: PathBuf,
    partial: PathBuf,
}

impl PartialFile {
    fn create(dir: &Path, name: &str) -> Result<(PartialFile, BufWriter<File>), AuditError> {
        let path = dir.join(name);
        let partial = dir.join(format!("{name}.partial"));
        let file = File::create(&partial).map_err(|e| AuditError::io(&partial, e))?;
        Ok((
            PartialFile { path, partial },
            BufWriter::with_capacity(1 << 16, file),
        ))
    }

    fn commit(&self) -> Result<(), AuditError> {
        std::fs::rename(&self.partial, &self.path).map_err(|e| AuditError::io(&self.path, e))
    }
}

fn csv_error(path: &Path, e: csv::Error) -> AuditError {
    AuditError::output(format!("`{}`", path.display()), e)
}

/// Writes one row per finding, with its provenance, reason evidence, verdict and citations.
///
/// Rows are assembled by hand into one buffer: what is the same for every finding of a
/// searcher, reason shape or decision is escaped once and copied, and only the row's own
/// fields (the reason as written, case number, officer, plate) are checked for characters that
/// need quoting. The output is what the `csv` crate writes (RFC 4180, quotes only where needed).
pub struct FindingsCsv {
    file: PartialFile,
    writer: BufWriter<File>,
    buffer: Vec<u8>,
    redact: bool,
    /// Cells as they are, without the formula quote.
    raw: bool,
    /// Each finding names its decision (a number in `decisions.csv`) instead of repeating the
    /// decision's citations.
    decisions_file: Option<PartialFile>,
    rows: u64,
    cache: Cached,
}

impl std::fmt::Debug for FindingsCsv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FindingsCsv")
            .field("path", &self.file.path)
            .field("rows", &self.rows)
            .finish()
    }
}

/// `findings.csv`'s header: the 23 columns of a finding, in order.
pub const FINDINGS_HEADER: [&str; 23] = [
    "file",
    "line",
    "time_utc",
    "searcher",
    "searcher_as_written",
    "searcher_ori",
    "searcher_state",
    "searcher_class",
    "counterparty",
    "reason",
    "category",
    "categories",
    "evidence",
    "purpose",
    "case_number",
    "user",
    "plate",
    "networks",
    "devices",
    "search_type",
    "verdict",
    "citations",
    "flags",
];

/// `findings.csv`'s header when its findings refer to `decisions.csv`: `decision` (the
/// decision's number there) in the place of `citations`.
pub const FINDINGS_HEADER_WITH_DECISIONS: [&str; 23] = {
    let mut header = FINDINGS_HEADER;
    header[21] = "decision";
    header
};

/// `decisions.csv`'s header: every law question the run asked, by number.
pub const DECISIONS_HEADER: [&str; 8] = [
    "decision",
    "action",
    "counterparty",
    "purpose",
    "date",
    "verdict",
    "citations",
    "error",
];

/// Flush the row buffer to the file past this many bytes.
const FLUSH_AT: usize = 1 << 20;

impl FindingsCsv {
    /// Starts `findings.csv` in `dir` (written as `findings.csv.partial` until the run ends);
    /// `redact` masks officer names and plates.
    pub fn create(dir: &Path, redact: bool) -> Result<FindingsCsv, AuditError> {
        let (file, writer) = PartialFile::create(dir, "findings.csv")?;
        let mut buffer = Vec::with_capacity(FLUSH_AT + (64 << 10));
        for (i, name) in FINDINGS_HEADER.iter().enumerate() {
            if i > 0 {
                buffer.push(b',');
            }
            push_field(&mut buffer, name.as_bytes(), true);
        }
        buffer.push(b'\n');
        Ok(FindingsCsv {
            file,
            writer,
            buffer,
            redact,
            raw: false,
            decisions_file: None,
            rows: 0,
            cache: Cached::default(),
        })
    }

    /// Writes cells as they are, without a quote in front of those a spreadsheet would take as
    /// formulas (`--raw-csv`, for programs).
    pub fn raw_csv(mut self, raw: bool) -> FindingsCsv {
        self.raw = raw;
        self
    }

    /// Writes each finding's decision as its number in `decisions.csv`, written beside it, in
    /// the place of its citations: the citations of a decision are written once, not on every
    /// finding of it (a quarter of a row's bytes). The verdict stays on every finding.
    pub fn with_decisions_file(mut self, dir: &Path) -> Result<FindingsCsv, AuditError> {
        let (file, _) = PartialFile::create(dir, "decisions.csv")?;
        self.decisions_file = Some(file);
        self.buffer.clear();
        for (i, name) in FINDINGS_HEADER_WITH_DECISIONS.iter().enumerate() {
            if i > 0 {
                self.buffer.push(b',');
            }
            push_field(&mut self.buffer, name.as_bytes(), true);
        }
        self.buffer.push(b'\n');
        Ok(self)
    }

    /// Writes `decisions.csv`: every decision of the run, numbered from 1 in the order the
    /// input first met them.
    fn write_decisions(&self, file: &PartialFile, tables: &Tables) -> Result<(), AuditError> {
        let handle = File::create(&file.partial).map_err(|e| AuditError::io(&file.partial, e))?;
        let mut writer =
            remit_store::csv_out::Writer::new(BufWriter::with_capacity(1 << 16, handle), self.raw);
        writer
            .write_record(DECISIONS_HEADER)
            .map_err(|e| csv_error(&file.path, e))?;
        for (id, decision) in tables.decisions.iter().enumerate() {
            writer
                .write_record([
                    (id + 1).to_string().as_str(),
                    decision.action,
                    &decision.counterparty,
                    &decision.purpose,
                    &decision.date,
                    decision.verdict_name(),
                    &decision.citations_text(),
                    decision.error.as_deref().unwrap_or_default(),
                ])
                .map_err(|e| csv_error(&file.path, e))?;
        }
        writer.flush().map_err(|e| AuditError::io(&file.path, e))?;
        drop(writer);
        file.commit()
    }

    fn write_out(&mut self) -> Result<(), AuditError> {
        self.writer
            .write_all(&self.buffer)
            .map_err(|e| AuditError::io(&self.file.path, e))?;
        self.buffer.clear();
        Ok(())
    }
}

/// Appends `field` as one CSV field, neutralised unless `raw` and quoted only when it must be
/// ([`remit_store::csv_out::push_field`]).
fn push_field(out: &mut Vec<u8>, field: &[u8], raw: bool) {
    remit_store::csv_out::push_field(out, field, raw);
}

/// Fields joined as one piece of a CSV row (no leading or trailing comma).
fn joined(fields: &[&str], raw: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_field(&mut out, field.as_bytes(), raw);
    }
    out
}

/// One finding as text fields, shared by the CSV and the report.
pub fn finding_fields(event: &Event<'_>, tables: &Tables, redact: bool) -> [String; 23] {
    let searcher = tables.searcher(event.searcher);
    let reason = tables.reason(event.reason);
    let decision = tables.decision(event.outcome);
    let hide = |value: &[u8]| {
        if redact && !value.is_empty() {
            REDACTED.to_string()
        } else {
            text(value).into_owned()
        }
    };
    let reason_text = text(event.reason_text);
    [
        tables
            .files
            .get(event.file as usize)
            .map(|f| f.path.clone())
            .unwrap_or_default(),
        event.line.to_string(),
        format_utc(event.time),
        searcher.party.name.clone(),
        searcher.party.input.clone(),
        searcher.party.ori.clone().unwrap_or_default(),
        searcher.party.state.clone().unwrap_or_default(),
        if searcher.own {
            "own".to_string()
        } else {
            searcher.party.class.name().to_string()
        },
        searcher.counterparty.clone().unwrap_or_default(),
        reason_text.to_string(),
        reason.classification.primary.name().to_string(),
        reason.classification.categories.names().join(";"),
        reason.classification.evidence_text_in(&reason_text),
        reason.classification.purpose.clone(),
        text(event.case_number).into_owned(),
        hide(event.user),
        hide(event.plate),
        event.networks.map(|n| n.to_string()).unwrap_or_default(),
        event.devices.map(|n| n.to_string()).unwrap_or_default(),
        tables
            .search_types
            .get(event.search_type as usize)
            .cloned()
            .unwrap_or_default(),
        tables.verdict_name(event.outcome).to_string(),
        decision.map(|d| d.citations_text()).unwrap_or_default(),
        event.flags.names(),
    ]
}

/// Row pieces that are the same for every finding of one searcher, reason shape, decision or
/// file, escaped once.
#[derive(Debug, Default)]
struct Cached {
    /// `searcher,searcher_as_written,searcher_ori,searcher_state,searcher_class,counterparty`
    searchers: Vec<Option<Vec<u8>>>,
    /// `category,categories`, the evidence for the shape's sample text, and `purpose`.
    reasons: Vec<Option<[Vec<u8>; 3]>>,
    /// `verdict,citations`, or `verdict,decision` when the findings refer to `decisions.csv`
    decisions: Vec<Option<Vec<u8>>>,
    files: Vec<Option<Vec<u8>>>,
    flags: std::collections::HashMap<u16, Vec<u8>>,
}

fn cached<T>(slots: &mut Vec<Option<T>>, id: usize, make: impl FnOnce() -> T) -> &T {
    if slots.len() <= id {
        slots.resize_with(id + 1, || None);
    }
    slots[id].get_or_insert_with(make)
}

impl Sink for FindingsCsv {
    fn name(&self) -> &str {
        "findings.csv"
    }

    fn event(&mut self, event: &Event<'_>, tables: &Tables) -> Result<(), AuditError> {
        let raw = self.raw;
        let refer = self.decisions_file.is_some();
        let out = &mut self.buffer;
        let cache = &mut self.cache;
        let piece: &Vec<u8> = cached(&mut cache.files, event.file as usize, || {
            let path = tables
                .files
                .get(event.file as usize)
                .map_or("", |f| f.path.as_str());
            joined(&[path], raw)
        });
        out.extend_from_slice(piece);
        out.push(b',');
        let mut number = itoa_buffer();
        out.extend_from_slice(format_number(&mut number, event.line));
        out.push(b',');
        let mut time = [0_u8; 20];
        out.extend_from_slice(crate::time::format_utc_into(&mut time, event.time));
        out.push(b',');
        let piece: &Vec<u8> = cached(&mut cache.searchers, event.searcher as usize, || {
            let s = tables.searcher(event.searcher);
            joined(
                &[
                    &s.party.name,
                    &s.party.input,
                    s.party.ori.as_deref().unwrap_or_default(),
                    s.party.state.as_deref().unwrap_or_default(),
                    if s.own { "own" } else { s.party.class.name() },
                    s.counterparty.as_deref().unwrap_or_default(),
                ],
                raw,
            )
        });
        out.extend_from_slice(piece);
        out.push(b',');
        push_field(out, event.reason_text, raw);
        out.push(b',');
        let reason = tables.reason(event.reason);
        let pieces = cached(&mut cache.reasons, event.reason as usize, || {
            let c = &reason.classification;
            [
                joined(&[c.primary.name(), &c.categories.names().join(";")], raw),
                joined(&[&c.evidence_text_in(&reason.text)], raw),
                joined(&[&c.purpose], raw),
            ]
        });
        out.extend_from_slice(&pieces[0]);
        out.push(b',');
        // Reasons of one shape differ only in long numbers: quote this one's own digits.
        if event.reason_text == reason.text.as_bytes() {
            out.extend_from_slice(&pieces[1]);
        } else {
            let evidence = reason
                .classification
                .evidence_text_in(&text(event.reason_text));
            push_field(out, evidence.as_bytes(), raw);
        }
        out.push(b',');
        out.extend_from_slice(&pieces[2]);
        out.push(b',');
        push_field(out, event.case_number, raw);
        for value in [event.user, event.plate] {
            out.push(b',');
            if self.redact && !value.is_empty() {
                out.extend_from_slice(REDACTED.as_bytes());
            } else {
                push_field(out, value, raw);
            }
        }
        for value in [event.networks, event.devices] {
            out.push(b',');
            if let Some(n) = value {
                out.extend_from_slice(format_number(&mut number, u64::from(n)));
            }
        }
        out.push(b',');
        push_field(
            out,
            tables
                .search_types
                .get(event.search_type as usize)
                .map_or("", String::as_str)
                .as_bytes(),
            raw,
        );
        out.push(b',');
        match event.outcome {
            crate::event::Outcome::Decided(id) => {
                let piece: &Vec<u8> = cached(&mut cache.decisions, id as usize, || {
                    let citations = if refer {
                        (u64::from(id) + 1).to_string()
                    } else {
                        tables
                            .decision(event.outcome)
                            .map(|d| d.citations_text())
                            .unwrap_or_default()
                    };
                    joined(&[tables.verdict_name(event.outcome), &citations], raw)
                });
                out.extend_from_slice(piece);
            }
            _ => {
                out.extend_from_slice(tables.verdict_name(event.outcome).as_bytes());
                out.push(b',');
            }
        }
        out.push(b',');
        out.extend_from_slice(
            cache
                .flags
                .entry(event.flags.0)
                .or_insert_with(|| joined(&[&event.flags.names()], raw)),
        );
        out.push(b'\n');
        self.rows += 1;
        if self.buffer.len() >= FLUSH_AT {
            self.write_out()?;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, tables: &Tables) -> Result<(), AuditError> {
        self.write_out()?;
        self.writer
            .flush()
            .map_err(|e| AuditError::io(&self.file.path, e))?;
        if let Some(file) = &self.decisions_file {
            self.write_decisions(file, tables)?;
        }
        self.file.commit()
    }
}

fn itoa_buffer() -> [u8; 20] {
    [0; 20]
}

/// Formats a number without allocating.
fn format_number(buffer: &mut [u8; 20], mut n: u64) -> &[u8] {
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buffer[at..]
}

/// Writes every rejected row: file, line, field and why.
pub struct RejectsCsv {
    file: PartialFile,
    writer: remit_store::csv_out::Writer<BufWriter<File>>,
}

impl std::fmt::Debug for RejectsCsv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RejectsCsv")
            .field("path", &self.file.path)
            .finish()
    }
}

impl RejectsCsv {
    /// Starts `rejects.csv` in `dir` (written as `rejects.csv.partial` until the run ends).
    pub fn create(dir: &Path) -> Result<RejectsCsv, AuditError> {
        let (file, buffer) = PartialFile::create(dir, "rejects.csv")?;
        let mut writer = remit_store::csv_out::Writer::new(buffer, false);
        writer
            .write_record(["file", "line", "field", "reason"])
            .map_err(|e| csv_error(&file.path, e))?;
        Ok(RejectsCsv { file, writer })
    }

    /// Writes cells as they are, without a quote in front of those a spreadsheet would take as
    /// formulas (`--raw-csv`, for programs).
    pub fn raw_csv(mut self, raw: bool) -> RejectsCsv {
        self.writer.set_raw(raw);
        self
    }
}

impl Sink for RejectsCsv {
    fn name(&self) -> &str {
        "rejects.csv"
    }

    fn event(&mut self, _event: &Event<'_>, _tables: &Tables) -> Result<(), AuditError> {
        Ok(())
    }

    fn reject(&mut self, reject: &Reject, tables: &Tables) -> Result<(), AuditError> {
        let path = tables
            .files
            .get(reject.file as usize)
            .map(|f| f.path.as_str())
            .unwrap_or_default();
        self.writer
            .write_record([
                path,
                &reject.line.to_string(),
                &reject.field,
                &reject.message,
            ])
            .map_err(|e| csv_error(&self.file.path, e))
    }

    fn finish(&mut self, _summary: &Summary, _tables: &Tables) -> Result<(), AuditError> {
        self.writer
            .flush()
            .map_err(|e| AuditError::io(&self.file.path, e))?;
        self.file.commit()
    }
}

/// Writes `summary.json` at the end.
#[derive(Debug)]
pub struct SummaryJson {
    dir: PathBuf,
}

impl SummaryJson {
    /// Writes into `dir` when the run ends.
    pub fn new(dir: &Path) -> SummaryJson {
        SummaryJson {
            dir: dir.to_path_buf(),
        }
    }
}

impl Sink for SummaryJson {
    fn name(&self) -> &str {
        "summary.json"
    }

    fn event(&mut self, _event: &Event<'_>, _tables: &Tables) -> Result<(), AuditError> {
        Ok(())
    }

    fn finish(&mut self, summary: &Summary, _tables: &Tables) -> Result<(), AuditError> {
        let (file, mut writer) = PartialFile::create(&self.dir, "summary.json")?;
        serde_json::to_writer_pretty(&mut writer, summary)
            .map_err(|e| AuditError::output("summary.json", e))?;
        writer
            .write_all(b"\n")
            .and_then(|()| writer.flush())
            .map_err(|e| AuditError::io(&file.path, e))?;
        drop(writer);
        file.commit()
    }
}

/// Writes the self-contained `report.html` at the end, with the first findings as a table
/// (findings the law forbids first).
#[derive(Debug)]
pub struct ReportHtml {
    dir: PathBuf,
    redact: bool,
    /// How the report names counterparties and purposes (their vocabulary phrases).
    phrases: crate::report::Phrases,
    /// Findings kept for the report's table, as text rows: forbidden sharing, then the rest.
    forbidden: Vec<[String; 23]>,
    others: Vec<[String; 23]>,
    total: u64,
}

/// Findings shown in the report (the CSV has all of them).
pub const REPORT_FINDINGS: usize = 500;

impl ReportHtml {
    /// Writes into `dir` when the run ends; `redact` masks officer names and plates.
    pub fn new(dir: &Path, redact: bool) -> ReportHtml {
        ReportHtml {
            dir: dir.to_path_buf(),
            redact,
            phrases: crate::report::Phrases::default(),
            forbidden: Vec::new(),
            others: Vec::new(),
            total: 0,
        }
    }
}

impl ReportHtml {
    /// Names the law's questions with `vocabulary`'s phrases (`a state or local agency of
    /// another state`) instead of its words (`out_of_state_agency`).
    pub fn with_vocabulary(mut self, vocabulary: &remit_law::vocabulary::Vocabulary) -> ReportHtml {
        self.phrases = crate::report::Phrases::of(vocabulary);
        self
    }
}

impl Sink for ReportHtml {
    fn name(&self) -> &str {
        "report.html"
    }

    fn event(&mut self, event: &Event<'_>, tables: &Tables) -> Result<(), AuditError> {
        self.total += 1;
        let list = if event.flags.contains(crate::event::Flag::ForbiddenSharing) {
            &mut self.forbidden
        } else {
            &mut self.others
        };
        if list.len() < REPORT_FINDINGS {
            list.push(finding_fields(event, tables, self.redact));
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary, _tables: &Tables) -> Result<(), AuditError> {
        let mut rows = std::mem::take(&mut self.forbidden);
        let room = REPORT_FINDINGS.saturating_sub(rows.len());
        rows.extend(self.others.drain(..).take(room));
        let html = crate::report::render(summary, &rows, self.total, &self.phrases);
        let (file, mut writer) = PartialFile::create(&self.dir, "report.html")?;
        writer
            .write_all(html.as_bytes())
            .and_then(|()| writer.flush())
            .map_err(|e| AuditError::io(&file.path, e))?;
        drop(writer);
        file.commit()
    }
}
