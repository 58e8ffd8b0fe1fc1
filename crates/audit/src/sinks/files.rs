//! File sinks for `--out DIR`: `findings.csv`, `rejects.csv`, `summary.json`, `report.html`.
//!
//! Each writes to `NAME.partial` and renames it into place in `finish`, so an interrupted run
//! leaves no half-written file under the final name.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::aggregate::Summary;
use crate::error::AuditError;
use crate::event::Event;
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
pub struct FindingsCsv {
    file: PartialFile,
    writer: csv::Writer<BufWriter<File>>,
    redact: bool,
    rows: u64,
}

impl std::fmt::Debug for FindingsCsv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FindingsCsv")
            .field("path", &self.file.path)
            .field("rows", &self.rows)
            .finish()
    }
}

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

impl FindingsCsv {
    pub fn create(dir: &Path, redact: bool) -> Result<FindingsCsv, AuditError> {
        let (file, buffer) = PartialFile::create(dir, "findings.csv")?;
        let mut writer = csv::Writer::from_writer(buffer);
        writer
            .write_record(FINDINGS_HEADER)
            .map_err(|e| csv_error(&file.path, e))?;
        Ok(FindingsCsv {
            file,
            writer,
            redact,
            rows: 0,
        })
    }
}

/// One finding as text fields, shared by the CSV and the report.
pub fn finding_fields(event: &Event<'_>, tables: &Tables, redact: bool) -> [String; 23] {
    let searcher = tables.searcher(event.searcher);
    let reason = tables.reason(event.reason);
    let decision = tables.decision(event.outcome);
    let hide = |value: &str| {
        if redact && !value.is_empty() {
            REDACTED.to_string()
        } else {
            value.to_string()
        }
    };
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
        reason.text.clone(),
        reason.classification.primary.name().to_string(),
        reason.classification.categories.names().join(";"),
        reason.classification.evidence_text(),
        reason.classification.purpose.clone(),
        event.case_number.to_string(),
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

impl Sink for FindingsCsv {
    fn name(&self) -> &str {
        "findings.csv"
    }

    fn event(&mut self, event: &Event<'_>, tables: &Tables) -> Result<(), AuditError> {
        let fields = finding_fields(event, tables, self.redact);
        self.writer
            .write_record(&fields)
            .map_err(|e| csv_error(&self.file.path, e))?;
        self.rows += 1;
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, _tables: &Tables) -> Result<(), AuditError> {
        self.writer
            .flush()
            .map_err(|e| AuditError::io(&self.file.path, e))?;
        self.file.commit()
    }
}

/// Writes every rejected row: file, line, field and why.
pub struct RejectsCsv {
    file: PartialFile,
    writer: csv::Writer<BufWriter<File>>,
}

impl std::fmt::Debug for RejectsCsv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RejectsCsv")
            .field("path", &self.file.path)
            .finish()
    }
}

impl RejectsCsv {
    pub fn create(dir: &Path) -> Result<RejectsCsv, AuditError> {
        let (file, buffer) = PartialFile::create(dir, "rejects.csv")?;
        let mut writer = csv::Writer::from_writer(buffer);
        writer
            .write_record(["file", "line", "field", "reason"])
            .map_err(|e| csv_error(&file.path, e))?;
        Ok(RejectsCsv { file, writer })
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

/// Writes the self-contained `report.html` at the end, with the first findings as a table.
#[derive(Debug)]
pub struct ReportHtml {
    dir: PathBuf,
    redact: bool,
    /// Findings kept for the report's table, as text rows.
    rows: Vec<[String; 23]>,
    total: u64,
}

/// Findings shown in the report (the CSV has all of them).
pub const REPORT_FINDINGS: usize = 500;

impl ReportHtml {
    pub fn new(dir: &Path, redact: bool) -> ReportHtml {
        ReportHtml {
            dir: dir.to_path_buf(),
            redact,
            rows: Vec::new(),
            total: 0,
        }
    }
}

impl Sink for ReportHtml {
    fn name(&self) -> &str {
        "report.html"
    }

    fn event(&mut self, event: &Event<'_>, tables: &Tables) -> Result<(), AuditError> {
        self.total += 1;
        // Forbidden sharing first: keep those even when the table is full of other findings.
        let forbidden = event.flags.contains(crate::event::Flag::ForbiddenSharing);
        if self.rows.len() < REPORT_FINDINGS {
            self.rows.push(finding_fields(event, tables, self.redact));
        } else if forbidden
            && let Some(slot) = self.rows.iter().rposition(|r| {
                !matches!(r[20].as_str(), "must_not" | "conflict")
            })
        {
            self.rows[slot] = finding_fields(event, tables, self.redact);
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary, _tables: &Tables) -> Result<(), AuditError> {
        let html = crate::report::render(summary, &self.rows, self.total);
        let (file, mut writer) = PartialFile::create(&self.dir, "report.html")?;
        writer
            .write_all(html.as_bytes())
            .and_then(|()| writer.flush())
            .map_err(|e| AuditError::io(&file.path, e))?;
        drop(writer);
        file.commit()
    }
}
