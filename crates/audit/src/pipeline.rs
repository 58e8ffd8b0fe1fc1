//! The pipeline: inputs in, events through the processor, sinks out.
//!
//! Plain CSV files, the big ones, are cut into blocks of [`BLOCK`] bytes that worker threads
//! parse at the same time. A block's worker cannot know whether the block starts inside a quoted
//! field, so it guesses that the first newline ends a record; the merger, which takes blocks in
//! order, checks the guess against where the previous block really ended and re-reads the block
//! itself in the rare case it was wrong. Events reach the sinks in input order, with absolute
//! line numbers, whatever the thread count. Workers add what they meet first to the shared
//! tables, so the tables' order depends on the schedule; the merger renumbers them, giving each
//! searcher, reason shape, search type and decision the next id when the input first meets it,
//! and the sinks see only those ids. Other inputs (gzip, workbooks, JSON) stream through
//! the same processor on one thread.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};

use remit_law::Corpus;

use crate::aggregate::{Aggregates, Summary};
use crate::classify::Classifier;
use crate::csvscan::{Record, Scanner, SliceScanner, StreamHash};
use crate::error::AuditError;
use crate::event::Outcome;
use crate::event::{Event, EventBuffer};
use crate::input::{
    CsvSource, InputKind, NdjsonSource, RecordSource, RowsSource, map_from, open_stream,
    read_json_document, workbook_sheets,
};
use crate::layout::{Detected, Field, Layout, LayoutKind, Mapping};
use crate::party::{Party, PartyResolver};
use crate::process::{AgreementLookup, Context, FileInfo, Processor, Reject, Seen, Tables};
use crate::redact::Redactor;
use crate::sinks::Sink;

/// Bytes per parallel block.
pub const BLOCK: u64 = 16 << 20;
/// Records per batch on the sequential path.
const BATCH: usize = 65_536;
/// How far ahead of the merger the workers may run, in blocks (bounds memory).
const AHEAD: usize = 6;

fn block_size(options: &AuditOptions) -> u64 {
    if options.block_bytes == 0 {
        BLOCK
    } else {
        options.block_bytes
    }
}

/// Options of a run.
#[derive(Clone, Debug, Default)]
pub struct AuditOptions {
    /// The data's owner as the user named it (`--owner`).
    pub owner: Option<String>,
    /// The user's `--map`: which column holds which field, over the detected layout.
    pub mapping: Mapping,
    /// Seconds east of UTC for times written without a zone.
    pub utc_offset: i32,
    /// Fail on the first bad row instead of setting it aside.
    pub strict: bool,
    /// Write every flagged search as a finding, reason-quality flags included.
    pub all_flags: bool,
    /// Worker threads for big CSV files (0 = one per core).
    pub threads: usize,
    /// Redact officer names and plates (recorded in the summary; sinks apply it).
    pub redact: bool,
    /// Bytes per parallel block (0: [`BLOCK`]); small values exercise the block logic in tests.
    pub block_bytes: u64,
    /// Read big CSV files with read calls into a buffer instead of through a memory map.
    pub no_map: bool,
}

/// Progress of a run, for a progress bar.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    /// Input bytes read so far, over all files.
    pub bytes_done: u64,
    /// Input bytes in all files.
    pub bytes_total: u64,
    /// Searches read so far.
    pub events: u64,
}

/// The result of a run.
#[derive(Debug)]
pub struct AuditRun {
    /// The run's summary, as `summary.json` shows it.
    pub summary: Summary,
    /// Everything distinct the run met: files, searchers, reasons, search types, decisions.
    pub tables: Tables,
    /// Files that were not search logs, with what they were.
    pub skipped: Vec<(PathBuf, String)>,
}

/// What a run reads from: the classifier, the law, the resolver and (optionally) the 287(g)
/// agreements, passed in by the caller (remit-app loads them from the registry), so this crate
/// does not depend on the registry.
pub struct Auditor<'a> {
    /// Sorts reasons into categories.
    pub classifier: &'a Classifier,
    /// The rules the law questions are answered from.
    pub corpus: &'a Corpus,
    /// Places searcher and owner names in the agency directory.
    pub resolver: &'a dyn PartyResolver,
    /// Who held a 287(g) agreement when (`None`: the `searcher_287g` flag is not raised).
    pub agreements: Option<&'a dyn AgreementLookup>,
    /// Called now and then with the run's progress (`None`: no reports).
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
}

impl std::fmt::Debug for Auditor<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auditor").finish_non_exhaustive()
    }
}

/// One input after its header was read.
enum Planned {
    Csv {
        gzip: bool,
        layout: Layout,
    },
    Ndjson {
        gzip: bool,
        layout: Layout,
    },
    Rows {
        layout: Layout,
        rows: Vec<(u64, Vec<String>)>,
        /// The sheet it came from, for the file name.
        sheet: Option<String>,
    },
    Skipped(String),
}

struct PlannedInput {
    path: PathBuf,
    planned: Planned,
    /// Sheets of the same workbook that list users (header, rows): names to mask in free text.
    users: Vec<(Vec<String>, Vec<Vec<String>>)>,
    /// An owner the file names (a portal archive's agency, an organization audit's org).
    owner_hint: Option<(String, Option<String>)>,
    bytes: u64,
}

fn layout_error(path: &Path, header: &[String], detail: Option<String>) -> AuditError {
    let shown: Vec<String> = header
        .iter()
        .take(16)
        .map(|h| {
            format!(
                "`{}`",
                remit_store::limits::quote(h.trim_start_matches('\u{feff}'))
            )
        })
        .collect();
    AuditError::Layout {
        path: path.to_path_buf(),
        message: detail.unwrap_or_else(|| {
            format!(
                "the header ({}) is not a layout Remit knows",
                if shown.is_empty() {
                    "empty".to_string()
                } else {
                    shown.join(", ")
                }
            )
        }),
        help: "name the columns with `--map time=<column>,org=<column>,reason=<column>`; docs/audit.md lists the known layouts".to_string(),
    }
}

fn detect(path: &Path, header: &[String], mapping: &Mapping) -> Result<Detected, AuditError> {
    Layout::detect(header, mapping).map_err(|detail| layout_error(path, header, Some(detail)))
}

/// A state code in a portal slug such as `alameda-ca-pd`.
fn state_in_slug(slug: &str) -> Option<String> {
    // The last two-letter state code: `de-soto-tx-pd` is in Texas, not Delaware.
    slug.split('-')
        .filter(|part| part.len() == 2)
        .rfind(|part| {
            remit_law::jurisdiction::STATES
                .iter()
                .any(|(code, _, _)| code.eq_ignore_ascii_case(part))
        })
        .map(str::to_ascii_uppercase)
}

fn combine(total: u64, block: u64) -> u64 {
    (total.rotate_left(7) ^ block).wrapping_mul(0x0100_0000_01b3)
}

/// Hash of bytes `[from, to)` of a file.
fn range_hash(path: &Path, from: u64, to: u64) -> Result<u64, AuditError> {
    let mut file = File::open(path).map_err(|e| AuditError::io(path, e))?;
    file.seek(SeekFrom::Start(from))
        .map_err(|e| AuditError::io(path, e))?;
    let mut hash = StreamHash::new();
    let mut left = to - from;
    let mut buffer = vec![0_u8; 1 << 20];
    while left > 0 {
        let want = left.min(buffer.len() as u64) as usize;
        file.read_exact(&mut buffer[..want])
            .map_err(|e| AuditError::io(path, e))?;
        hash.update(&buffer[..want]);
        left -= want as u64;
    }
    Ok(hash.finish())
}

/// The content hash of a file: the file cut where the parallel reader cuts it (at the first
/// line start after every [`BLOCK`] bytes), each piece hashed, the hashes combined in order.
/// The parallel reader gets the same value from the bytes it parses, without reading twice.
pub fn content_hash(path: &Path) -> Result<String, AuditError> {
    let size = std::fs::metadata(path)
        .map_err(|e| AuditError::io(path, e))?
        .len();
    let blocks = size.div_ceil(BLOCK).max(1) as usize;
    let mut total = 0_u64;
    let mut from = 0;
    for index in 0..blocks {
        let to = block_start(path, index + 1, 0, BLOCK)?.min(size);
        total = combine(total, range_hash(path, from, to.max(from))?);
        from = to.max(from);
    }
    Ok(format!("{total:016x}"))
}

/// What one block or batch produced.
#[derive(Debug, Default)]
struct ChunkResult {
    index: usize,
    start: u64,
    end: u64,
    newlines: u64,
    aggregates: Aggregates,
    events: EventBuffer,
    rejects: Vec<Reject>,
    hash: u64,
    /// The table ids the rows met (the workers' own numbering).
    seen: Seen,
    /// The user column's distinct values, when free text is redacted (names to mask).
    users: std::collections::HashSet<Vec<u8>, crate::process::FastHash>,
    /// The events' reasons and case numbers as the worker masked them.
    masked: Option<Masked>,
}

/// A block's reasons and case numbers masked by the worker that read it, so that the serial
/// merger does not have to. A worker knows the names of the blocks merged before it looked and
/// of its own block; the merger knows those of every block before this one. The worker's
/// masks are used only when it knew as many user names as the merger does when the block's
/// turn comes (its names being a subset, that means the same names); otherwise the merger
/// masks the block itself, as it would without this.
#[derive(Debug, Default)]
struct Masked {
    /// Distinct user values the worker's redactor had learned.
    learned_users: usize,
    texts: Vec<u8>,
    /// Per event: where its masked reason and case number start and end in `texts`, and which
    /// of the two masking changed (bit 0 the reason, bit 1 the case number).
    spans: Vec<MaskedSpan>,
}

#[derive(Clone, Copy, Debug)]
struct MaskedSpan {
    start: u32,
    reason_end: u32,
    case_end: u32,
    changed: u8,
}

impl Masked {
    /// Masks every event of `events` with `redactor`.
    fn of(events: &EventBuffer, redactor: &Redactor) -> Option<Masked> {
        let mut masked = Masked {
            learned_users: redactor.learned_users(),
            texts: Vec::new(),
            spans: Vec::with_capacity(events.len()),
        };
        let mut scratch = Vec::new();
        let offset = |texts: &Vec<u8>| u32::try_from(texts.len()).ok();
        for index in 0..events.len() {
            let event = events.get(index);
            let start = offset(&masked.texts)?;
            let mut changed = 0;
            if redactor.redact_into(event.reason_text, &mut scratch) {
                masked.texts.extend_from_slice(&scratch);
                changed |= 1;
            }
            let reason_end = offset(&masked.texts)?;
            if redactor.redact_into(event.case_number, &mut scratch) {
                masked.texts.extend_from_slice(&scratch);
                changed |= 2;
            }
            let case_end = offset(&masked.texts)?;
            masked.spans.push(MaskedSpan {
                start,
                reason_end,
                case_end,
                changed,
            });
        }
        Some(masked)
    }

    /// Event `index`'s masked reason and case number, each `None` where masking changed nothing.
    fn get(&self, index: usize) -> (Option<&[u8]>, Option<&[u8]>) {
        let span = self.spans[index];
        let (start, reason_end, case_end) = (
            span.start as usize,
            span.reason_end as usize,
            span.case_end as usize,
        );
        (
            (span.changed & 1 != 0).then(|| &self.texts[start..reason_end]),
            (span.changed & 2 != 0).then(|| &self.texts[reason_end..case_end]),
        )
    }
}

/// The merger's redactor as of the last block it merged, for workers to mask with.
type SharedRedactor = Mutex<Arc<Redactor>>;

/// Masks a block's findings in the worker that read it (see [`Masked`]).
fn mask_in_worker(shared: &SharedRedactor, result: &mut ChunkResult) {
    let snapshot = Arc::clone(
        &shared
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    let masked = if result.users.iter().all(|user| snapshot.knows_user(user)) {
        Masked::of(&result.events, &snapshot)
    } else {
        let mut redactor = (*snapshot).clone();
        for user in &result.users {
            redactor.learn_user(user);
        }
        Masked::of(&result.events, &redactor)
    };
    result.masked = masked;
}

/// No id yet.
const UNNUMBERED: u32 = u32::MAX;

/// The id `old` has in `table`, copying its entry from `shared` the first time.
fn number<T: Clone>(map: &mut Vec<u32>, table: &mut Vec<T>, shared: &[T], old: u32) -> u32 {
    let index = old as usize;
    if map.len() <= index {
        map.resize(index + 1, UNNUMBERED);
    }
    if map[index] == UNNUMBERED
        && let Some(entry) = shared.get(index)
    {
        map[index] = table.len() as u32;
        table.push(entry.clone());
    }
    map[index]
}

/// The run's tables as the sinks see them, numbered in input order, with the maps from the
/// shared tables' ids.
#[derive(Debug, Default)]
struct Numbered {
    tables: Tables,
    searchers: Vec<u32>,
    reasons: Vec<u32>,
    search_types: Vec<u32>,
    decisions: Vec<u32>,
}

impl Numbered {
    /// Starts from what the shared tables hold before any row (the owner, searcher 0).
    fn new(shared: &Tables) -> Numbered {
        let mut numbered = Numbered::default();
        for old in 0..shared.searchers.len() {
            numbered.searcher(shared, old as u32);
        }
        numbered
    }

    fn searcher(&mut self, shared: &Tables, old: u32) -> u32 {
        number(
            &mut self.searchers,
            &mut self.tables.searchers,
            &shared.searchers,
            old,
        )
    }

    /// A reason shape's id; the first time, `sample` (the reason as the input first writes
    /// it) becomes its text.
    fn reason(&mut self, shared: &Tables, old: u32, sample: Option<String>) -> u32 {
        let before = self.tables.reasons.len();
        let id = number(
            &mut self.reasons,
            &mut self.tables.reasons,
            &shared.reasons,
            old,
        );
        if self.tables.reasons.len() > before
            && let (Some(sample), Some(info)) = (sample, self.tables.reasons.last_mut())
        {
            info.text = sample;
        }
        id
    }

    fn search_type(&mut self, shared: &Tables, old: u32) -> u32 {
        number(
            &mut self.search_types,
            &mut self.tables.search_types,
            &shared.search_types,
            old,
        )
    }

    fn decision(&mut self, shared: &Tables, old: u32) -> u32 {
        number(
            &mut self.decisions,
            &mut self.tables.decisions,
            &shared.decisions,
            old,
        )
    }

    /// Numbers what a chunk met, in the order it met it, and rewrites the chunk's ids.
    fn renumber(&mut self, shared: &Tables, result: &mut ChunkResult) {
        self.tables.files.clone_from(&shared.files);
        let seen = std::mem::take(&mut result.seen);
        for old in seen.searchers {
            self.searcher(shared, old);
        }
        for (old, sample) in seen.reasons {
            self.reason(shared, old, Some(sample));
        }
        for old in seen.search_types {
            self.search_type(shared, old);
        }
        for old in seen.decisions {
            self.decision(shared, old);
        }
        // Every id the chunk holds is numbered by now; numbering them again is a cheap lookup
        // that keeps the ids valid whatever happened.
        result
            .events
            .renumber(|searcher, reason, search_type, outcome| {
                *searcher = self.searcher(shared, *searcher);
                *reason = self.reason(shared, *reason, None);
                *search_type = self.search_type(shared, *search_type);
                if let Outcome::Decided(decision) = outcome {
                    *decision = self.decision(shared, *decision);
                }
            });
        let aggregates = &result.aggregates;
        for (old, counts) in aggregates.by_searcher.iter().enumerate() {
            if counts.searches > 0 {
                self.searcher(shared, old as u32);
            }
        }
        for (old, &n) in aggregates.by_decision.iter().enumerate() {
            if n > 0 {
                self.decision(shared, old as u32);
            }
        }
        result.aggregates.renumber(&self.searchers, &self.decisions);
    }
}

/// Receives results in order and feeds the sinks.
struct Merger<'s, 'k> {
    sinks: &'s mut [&'k mut dyn Sink],
    /// Masks plates and users' names in reasons and case numbers (`redact`), after the
    /// classifier has read them and before any sink sees them.
    redactor: Option<Redactor>,
    redacted: (Vec<u8>, Vec<u8>),
    aggregates: Aggregates,
    strict: bool,
    all_flags: bool,
    events_delivered: u64,
    numbered: Numbered,
}

impl Merger<'_, '_> {
    fn deliver(
        &mut self,
        work: &Work<'_, '_>,
        result: &mut ChunkResult,
        line_base: u64,
    ) -> Result<(), AuditError> {
        let context = work.context;
        let mut masked_by_worker = None;
        if let Some(redactor) = &mut self.redactor {
            let before = redactor.learned_users();
            for user in result.users.drain() {
                redactor.learn_user(&user);
            }
            if let Some(shared) = work.redactor
                && redactor.learned_users() != before
            {
                *shared
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) =
                    Arc::new(redactor.clone());
            }
            masked_by_worker = result
                .masked
                .take()
                .filter(|masked| masked.learned_users == redactor.learned_users());
        }
        let reasons_before = self.numbered.tables.reasons.len();
        {
            let shared = context
                .tables
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            self.numbered.renumber(&shared, result);
        }
        if let Some(redactor) = &self.redactor {
            for info in &mut self.numbered.tables.reasons[reasons_before..] {
                redactor.redact_reason(&mut info.text, &mut info.classification);
            }
        }
        let tables = &self.numbered.tables;
        for reject in &mut result.rejects {
            reject.line += line_base;
            if self.strict {
                let path = tables
                    .files
                    .get(reject.file as usize)
                    .map(|f| PathBuf::from(&f.path))
                    .unwrap_or_default();
                return Err(AuditError::Row {
                    path,
                    line: reject.line,
                    field: reject.field.clone(),
                    message: reject.message.clone(),
                });
            }
            for sink in self.sinks.iter_mut() {
                sink.reject(reject, tables)?;
            }
        }
        result.events.shift_lines(line_base);
        for index in 0..result.events.len() {
            let mut event = result.events.get(index);
            let (reason, case) = &mut self.redacted;
            if let Some(masked) = &masked_by_worker {
                let (masked_reason, masked_case) = masked.get(index);
                if let Some(text) = masked_reason {
                    event.reason_text = text;
                }
                if let Some(text) = masked_case {
                    event.case_number = text;
                }
            } else if let Some(redactor) = &self.redactor {
                if redactor.redact_into(event.reason_text, reason) {
                    event.reason_text = reason;
                }
                if redactor.redact_into(event.case_number, case) {
                    event.case_number = case;
                }
            }
            let finding = keep_as_finding(&event, self.all_flags);
            for sink in self.sinks.iter_mut() {
                if finding || sink.wants_every_event() {
                    sink.event(&event, tables)?;
                }
            }
        }
        self.events_delivered += result.aggregates.events;
        self.aggregates.merge(&result.aggregates);
        Ok(())
    }
}

/// Per-file settings a worker needs.
struct Work<'c, 'a> {
    context: &'c Context<'a>,
    layout: Layout,
    file: u32,
    keep_all: bool,
    all_flags: bool,
    /// Collect the user column's values (names to mask).
    learn_users: bool,
    /// Mask findings' reasons and case numbers in the workers, with this redactor.
    redactor: Option<&'c SharedRedactor>,
}

impl Work<'_, '_> {
    fn handle(
        &self,
        processor: &mut Processor<'_, '_>,
        record: &Record,
        line: u64,
        result: &mut ChunkResult,
    ) {
        // A row with more fields than the header is misaligned unless the extra fields are
        // empty (trailing commas); a short row is padded with empty fields (trailing empty
        // columns cut off), as long as it reaches the time column.
        let width = self.layout.width;
        let needed = self.layout.column(Field::Time).map_or(0, |c| c + 1);
        let misaligned = record.len() > width && record.iter().skip(width).any(|f| !f.is_empty());
        if misaligned || record.len() < needed {
            result.aggregates.rejected += 1;
            result.rejects.push(Reject {
                file: self.file,
                line,
                field: String::new(),
                message: format!(
                    "the row has {} fields; the header has {width}",
                    record.len()
                ),
            });
            return;
        }
        match processor.process(|i| record.get(i), line) {
            Ok(event) => {
                let finding = keep_as_finding(&event, self.all_flags);
                result.aggregates.count(&event, finding);
                if self.learn_users && !event.user.is_empty() && !result.users.contains(event.user)
                {
                    result.users.insert(event.user.to_vec());
                }
                if finding || self.keep_all {
                    result.events.push(&event);
                }
            }
            Err(reject) => {
                result.aggregates.rejected += 1;
                result.rejects.push(reject);
            }
        }
    }
}

/// A workbook sheet that lists the agency's users (`Users`, `Officers`, `Personnel`; or a
/// `User Name`, `Officer`, `First Name`/`Last Name` column): its header and rows.
fn users_sheet(name: &str, rows: &[(u64, Vec<String>)]) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let header_at = rows
        .iter()
        .take(10)
        .position(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))?;
    let header = &rows[header_at].1;
    let sheet = name.to_lowercase();
    let named_for_users = ["user", "officer", "personnel", "staff", "employee"]
        .iter()
        .any(|w| sheet.contains(w));
    let column = |h: &String| -> String {
        h.to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect()
    };
    let user_column = header.iter().map(column).any(|h| {
        [
            "username",
            "user",
            "users",
            "officer",
            "officername",
            "firstname",
            "lastname",
            "employeename",
            "displayname",
        ]
        .contains(&h.as_str())
            || (named_for_users && ["name", "fullname"].contains(&h.as_str()))
    });
    user_column.then(|| {
        (
            header.clone(),
            rows[header_at + 1..]
                .iter()
                .map(|(_, cells)| cells.clone())
                .collect(),
        )
    })
}

fn keep_as_finding(event: &Event<'_>, all_flags: bool) -> bool {
    event.flags.is_finding() || (all_flags && !event.flags.is_empty())
}

impl Auditor<'_> {
    /// Audits `files` into `sinks`.
    pub fn run(
        &self,
        files: &[PathBuf],
        options: &AuditOptions,
        sinks: &mut [&mut dyn Sink],
    ) -> Result<AuditRun, AuditError> {
        let mut planned = Vec::new();
        for path in files {
            planned.push(self.plan(path, &options.mapping)?);
        }
        let owner = self.owner(&planned, options)?;
        let context = Context {
            classifier: self.classifier,
            corpus: self.corpus,
            resolver: self.resolver,
            agreements: self.agreements,
            owner,
            utc_offset: options.utc_offset,
            tables: Mutex::new(Tables::default()),
        };
        context.register_owner();
        let numbered = Numbered::new(
            &context
                .tables
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        let keep_all = sinks.iter().any(|s| s.wants_every_event());
        let redactor = options.redact.then(|| {
            let mut redactor = Redactor::new();
            for input in &planned {
                for (header, rows) in &input.users {
                    redactor.learn_users_sheet(header, rows);
                }
            }
            redactor
        });
        let shared_redactor: Option<SharedRedactor> = redactor
            .as_ref()
            .map(|redactor| Mutex::new(Arc::new(redactor.clone())));
        let mut merger = Merger {
            redactor,
            redacted: Default::default(),
            numbered,
            sinks,
            aggregates: Aggregates::default(),
            strict: options.strict,
            all_flags: options.all_flags,
            events_delivered: 0,
        };
        let bytes_total: u64 = planned.iter().map(|p| p.bytes).sum();
        let mut bytes_before = 0;
        let mut skipped = Vec::new();
        for (index, input) in planned.into_iter().enumerate() {
            let file = index as u32;
            let display = input.path.display().to_string();
            let (layout_name, skipped_kind) = match &input.planned {
                Planned::Csv { layout, .. }
                | Planned::Ndjson { layout, .. }
                | Planned::Rows { layout, .. } => (Some(layout.kind.name().to_string()), None),
                Planned::Skipped(kind) => (None, Some(kind.clone())),
            };
            let path_shown = match &input.planned {
                Planned::Rows {
                    sheet: Some(sheet), ..
                } => format!("{display}#{sheet}"),
                _ => display,
            };
            {
                let mut tables = context
                    .tables
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                tables.files.push(FileInfo {
                    path: path_shown,
                    layout: layout_name,
                    skipped: skipped_kind.clone(),
                    events: 0,
                    rejected: 0,
                    content_hash: String::new(),
                    bytes: input.bytes,
                });
            }
            let before_events = merger.aggregates.events;
            let before_rejected = merger.aggregates.rejected;
            let progress = |done: u64, events: u64| {
                if let Some(report) = self.progress {
                    report(Progress {
                        bytes_done: bytes_before + done,
                        bytes_total,
                        events,
                    });
                }
            };
            let ndjson = matches!(input.planned, Planned::Ndjson { .. });
            let hash = match input.planned {
                Planned::Skipped(kind) => {
                    skipped.push((input.path.clone(), kind));
                    content_hash(&input.path)?
                }
                Planned::Csv {
                    gzip: false,
                    layout,
                } if input.bytes > 2 * block_size(options) && options.threads != 1 => {
                    let work = Work {
                        context: &context,
                        layout,
                        file,
                        keep_all,
                        all_flags: options.all_flags,
                        learn_users: options.redact,
                        redactor: shared_redactor.as_ref(),
                    };
                    self.run_parallel(
                        &work,
                        &input.path,
                        input.bytes,
                        options,
                        &mut merger,
                        &progress,
                    )?
                }
                Planned::Csv { gzip, layout } | Planned::Ndjson { gzip, layout } => {
                    let (reader, count) = open_stream(&input.path, gzip)?;
                    let mut source: Box<dyn RecordSource> = if ndjson {
                        Box::new(NdjsonSource::open(&input.path, reader)?.1)
                    } else {
                        Box::new(CsvSource::open(&input.path, reader)?.1)
                    };
                    let work = Work {
                        context: &context,
                        layout,
                        file,
                        keep_all,
                        all_flags: options.all_flags,
                        learn_users: options.redact,
                        redactor: shared_redactor.as_ref(),
                    };
                    run_sequential(&work, source.as_mut(), &mut merger, &|events| {
                        progress(count.load(Ordering::Relaxed), events)
                    })?;
                    content_hash(&input.path)?
                }
                Planned::Rows { layout, rows, .. } => {
                    let mut source = RowsSource::new(rows);
                    let work = Work {
                        context: &context,
                        layout,
                        file,
                        keep_all,
                        all_flags: options.all_flags,
                        learn_users: options.redact,
                        redactor: shared_redactor.as_ref(),
                    };
                    run_sequential(&work, &mut source, &mut merger, &|events| {
                        progress(0, events)
                    })?;
                    progress(input.bytes, merger.events_delivered);
                    content_hash(&input.path)?
                }
            };
            bytes_before += input.bytes;
            let mut tables = context
                .tables
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(info) = tables.files.get_mut(index) {
                info.events = merger.aggregates.events - before_events;
                info.rejected = merger.aggregates.rejected - before_rejected;
                info.content_hash = hash;
            }
        }
        let shared = context
            .tables
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut tables = std::mem::take(&mut merger.numbered.tables);
        tables.files = shared.files;
        // Names met in the user column after a reason's first row are masked in it too.
        if let Some(redactor) = &merger.redactor {
            for info in &mut tables.reasons {
                redactor.redact_reason(&mut info.text, &mut info.classification);
            }
        }
        let summary = Summary::build(
            &merger.aggregates,
            &tables,
            self.corpus.version(),
            self.classifier.version(),
            options.redact,
        );
        for sink in merger.sinks.iter_mut() {
            sink.finish(&summary, &tables)?;
        }
        Ok(AuditRun {
            summary,
            tables,
            skipped,
        })
    }

    /// Resolves the owner: `--owner`, else an owner a file names.
    fn owner(
        &self,
        planned: &[PlannedInput],
        options: &AuditOptions,
    ) -> Result<Option<Party>, AuditError> {
        if let Some(name) = &options.owner {
            let party = self.resolver.resolve(name, None, None);
            return Ok(Some(party));
        }
        if let Some((name, state)) = planned.iter().find_map(|p| p.owner_hint.clone()) {
            let mut party = self.resolver.resolve(&name, state.as_deref(), None);
            if party.state.is_none() {
                party.state = state;
            }
            return Ok(Some(party));
        }
        let network = planned.iter().find(|p| {
            matches!(&p.planned, Planned::Csv { layout, .. } | Planned::Ndjson { layout, .. } | Planned::Rows { layout, .. } if layout.kind == LayoutKind::FlockNetworkAudit)
        });
        if let Some(input) = network {
            return Err(AuditError::Owner {
                message: format!(
                    "`{}` is a network audit: it lists other agencies' searches of one agency's data, and Remit needs to know whose",
                    input.path.display()
                ),
                help: "name the data's owner, e.g. `--owner \"El Cajon CA PD\"`".to_string(),
            });
        }
        Ok(None)
    }

    /// Reads a file's header and decides how to read it.
    fn plan(&self, path: &Path, mapping: &Mapping) -> Result<PlannedInput, AuditError> {
        let bytes = std::fs::metadata(path)
            .map_err(|e| AuditError::io(path, e))?
            .len();
        let kind = InputKind::of(path)?;
        let mut owner_hint = None;
        let mut user_sheets = Vec::new();
        let planned = match kind {
            InputKind::Csv { gzip } => {
                let (reader, _) = open_stream(path, gzip)?;
                let (header, mut source) = CsvSource::open(path, reader)?;
                match detect(path, &header, mapping)? {
                    Detected::SearchLog(layout) => {
                        if layout.kind == LayoutKind::FlockOrganizationAudit
                            && let Some(column) = layout.column(Field::Searcher)
                        {
                            let mut record = Record::default();
                            if source.next_record(&mut record)?.is_some() {
                                let name = String::from_utf8_lossy(record.get(column))
                                    .trim()
                                    .to_string();
                                if !name.is_empty() {
                                    owner_hint = Some((name, None));
                                }
                            }
                        }
                        Planned::Csv {
                            gzip,
                            layout: *layout,
                        }
                    }
                    Detected::NotASearchLog(what) => Planned::Skipped(what.to_string()),
                    Detected::Unknown => return Err(layout_error(path, &header, None)),
                }
            }
            InputKind::Ndjson { gzip } => {
                let (reader, _) = open_stream(path, gzip)?;
                let (header, _) = NdjsonSource::open(path, reader)?;
                match detect(path, &header, mapping)? {
                    Detected::SearchLog(layout) => Planned::Ndjson {
                        gzip,
                        layout: *layout,
                    },
                    Detected::NotASearchLog(what) => Planned::Skipped(what.to_string()),
                    Detected::Unknown => return Err(layout_error(path, &header, None)),
                }
            }
            InputKind::JsonDocument => {
                let archive = read_json_document(path)?;
                if let Some(agency) = &archive.agency {
                    owner_hint = Some((
                        agency.clone(),
                        archive.slug.as_deref().and_then(state_in_slug),
                    ));
                }
                if archive.no_audit {
                    Planned::Skipped(
                        "a transparency-portal archive without a search audit".to_string(),
                    )
                } else if archive.header.is_empty() {
                    // An empty audit: nothing to read, but nothing wrong either.
                    Planned::Rows {
                        layout: Layout {
                            kind: LayoutKind::TransparencyPortal,
                            columns: [None; Field::COUNT],
                            width: 0,
                            header: Vec::new(),
                        },
                        rows: Vec::new(),
                        sheet: None,
                    }
                } else {
                    match detect(path, &archive.header, mapping)? {
                        Detected::SearchLog(mut layout) => {
                            if archive.agency.is_some() {
                                layout.kind = LayoutKind::TransparencyPortal;
                            }
                            Planned::Rows {
                                layout: *layout,
                                rows: archive.rows,
                                sheet: None,
                            }
                        }
                        Detected::NotASearchLog(what) => Planned::Skipped(what.to_string()),
                        Detected::Unknown => {
                            return Err(layout_error(path, &archive.header, None));
                        }
                    }
                }
            }
            InputKind::Workbook => {
                let sheets = workbook_sheets(path)?;
                let mut found = None;
                let mut not_search = None;
                let mut names = Vec::new();
                for (name, rows) in sheets {
                    if found.is_some() {
                        if let Some(users) = users_sheet(&name, &rows) {
                            user_sheets.push(users);
                        }
                        continue;
                    }
                    names.push(format!("`{name}`"));
                    // The header is the first non-empty row among the first ten.
                    let Some(header_at) = rows
                        .iter()
                        .take(10)
                        .position(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
                    else {
                        continue;
                    };
                    let header = rows[header_at].1.clone();
                    match Layout::detect(&header, mapping) {
                        Ok(Detected::SearchLog(layout)) => {
                            let data = rows.into_iter().skip(header_at + 1).collect();
                            found = Some((name, layout, data));
                            break;
                        }
                        Ok(Detected::NotASearchLog(what)) => not_search = Some(what),
                        Ok(Detected::Unknown) | Err(_) => {
                            if let Some(users) = users_sheet(&name, &rows) {
                                user_sheets.push(users);
                            }
                        }
                    }
                }
                match (found, not_search) {
                    (Some((sheet, layout, rows)), _) => Planned::Rows {
                        layout: *layout,
                        rows,
                        sheet: Some(sheet),
                    },
                    (None, Some(what)) => Planned::Skipped(format!("a workbook holding {what}")),
                    (None, None) => {
                        return Err(AuditError::Layout {
                            path: path.to_path_buf(),
                            message: format!(
                                "no sheet has a search-log header (sheets: {})",
                                names.join(", ")
                            ),
                            help: "name the columns with `--map time=<column>,reason=<column>`; docs/audit.md lists the known layouts".to_string(),
                        });
                    }
                }
            }
        };
        Ok(PlannedInput {
            path: path.to_path_buf(),
            planned,
            users: user_sheets,
            owner_hint,
            bytes,
        })
    }

    /// Reads a plain CSV file with several threads.
    fn run_parallel(
        &self,
        work: &Work<'_, '_>,
        path: &Path,
        size: u64,
        options: &AuditOptions,
        merger: &mut Merger<'_, '_>,
        progress: &dyn Fn(u64, u64),
    ) -> Result<String, AuditError> {
        let (_, source) =
            CsvSource::open(path, File::open(path).map_err(|e| AuditError::io(path, e))?)?;
        let stamp = FileStamp::of(path)?;
        let map = !options.no_map && stamp.regular;
        let data = source.position();
        let header_hash = source.hash();
        let block = block_size(options);
        let blocks = size.div_ceil(block) as usize;
        let threads = match options.threads {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n,
        }
        .min(blocks)
        .max(1);
        let next = AtomicUsize::new(0);
        let gate = (Mutex::new(0_usize), Condvar::new());
        let failed = AtomicBool::new(false);
        let (sender, receiver) = mpsc::channel::<Result<ChunkResult, AuditError>>();

        std::thread::scope(|scope| -> Result<String, AuditError> {
            for _ in 0..threads {
                let sender = sender.clone();
                let next = &next;
                let gate = &gate;
                let failed = &failed;
                scope.spawn(move || {
                    let mut processor =
                        Processor::new(work.context, work.layout.clone(), work.file);
                    loop {
                        let index = next.fetch_add(1, Ordering::SeqCst);
                        if index >= blocks || failed.load(Ordering::SeqCst) {
                            break;
                        }
                        {
                            let (merged, wake) = gate;
                            let mut merged = merged
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner);
                            while index >= *merged + AHEAD && !failed.load(Ordering::SeqCst) {
                                merged = wake
                                    .wait(merged)
                                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                            }
                        }
                        let result =
                            block_start(path, index, data.offset, block).and_then(|start| {
                                let end =
                                    block_start(path, index + 1, data.offset, block)?.min(size);
                                // The first block's hash starts with the header's bytes.
                                let initial = if index == 0 {
                                    header_hash
                                } else {
                                    StreamHash::new()
                                };
                                let mut result = read_range(
                                    work,
                                    &mut processor,
                                    path,
                                    map.then_some(size),
                                    start,
                                    end,
                                    initial,
                                )?;
                                result.index = index;
                                if let Some(shared) = work.redactor {
                                    mask_in_worker(shared, &mut result);
                                }
                                if result.end != end {
                                    let from = if index == 0 { 0 } else { start };
                                    result.hash = range_hash(path, from, end.max(from))?;
                                }
                                Ok(result)
                            });
                        if sender.send(result).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(sender);

            let mut pending: BTreeMap<usize, ChunkResult> = BTreeMap::new();
            let mut expected = data.offset;
            let mut line = data.line;
            let mut total_hash = 0_u64;
            let mut fallback = Processor::new(work.context, work.layout.clone(), work.file);
            let outcome = (|| -> Result<(), AuditError> {
                for index in 0..blocks {
                    let mut result = loop {
                        if let Some(result) = pending.remove(&index) {
                            break result;
                        }
                        match receiver.recv() {
                            Ok(Ok(result)) => {
                                pending.insert(result.index, result);
                            }
                            Ok(Err(e)) => return Err(e),
                            Err(_) => {
                                return Err(AuditError::output(
                                    format!("`{}`", path.display()),
                                    "a reader thread stopped unexpectedly",
                                ));
                            }
                        }
                    };
                    if result.start != expected {
                        // The block started inside a quoted field (or the previous block ran
                        // past its end): read it again from where the previous block stopped.
                        let end = block_start(path, index + 1, data.offset, block)?.min(size);
                        let hash = result.hash;
                        result = if expected >= end {
                            ChunkResult {
                                index,
                                start: expected,
                                end: expected,
                                ..ChunkResult::default()
                            }
                        } else {
                            read_range(
                                work,
                                &mut fallback,
                                path,
                                map.then_some(size),
                                expected,
                                end,
                                StreamHash::new(),
                            )?
                        };
                        result.hash = hash;
                    }
                    merger.deliver(work, &mut result, line - 1)?;
                    total_hash = combine(total_hash, result.hash);
                    line += result.newlines;
                    expected = result.end;
                    progress(result.end, merger.events_delivered);
                    let (merged, wake) = &gate;
                    *merged
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) = index + 1;
                    wake.notify_all();
                }
                Ok(())
            })();
            if outcome.is_err() {
                failed.store(true, Ordering::SeqCst);
                let (merged, wake) = &gate;
                *merged
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = usize::MAX / 2;
                wake.notify_all();
                // Drain so that no worker blocks on a full channel.
                while receiver.recv().is_ok() {}
            }
            outcome?;
            if map && FileStamp::of(path)? != stamp {
                return Err(AuditError::io(
                    path,
                    std::io::Error::other(
                        "the file changed while it was being read; audit it again once it is \
                         complete",
                    ),
                ));
            }
            Ok(format!("{total_hash:016x}"))
        })
    }
}

/// Where block `index` starts: the first record start at or after `index * BLOCK` (guessing that
/// a newline ends a record), and never before the data.
fn block_start(path: &Path, index: usize, data_start: u64, block: u64) -> Result<u64, AuditError> {
    let nominal = index as u64 * block;
    if nominal <= data_start {
        return Ok(data_start);
    }
    let mut file = File::open(path).map_err(|e| AuditError::io(path, e))?;
    file.seek(SeekFrom::Start(nominal - 1))
        .map_err(|e| AuditError::io(path, e))?;
    let mut buffer = [0_u8; 64 * 1024];
    let mut offset = nominal - 1;
    loop {
        let n = file
            .read(&mut buffer)
            .map_err(|e| AuditError::io(path, e))?;
        if n == 0 {
            return Ok(offset);
        }
        if let Some(i) = memchr::memchr(b'\n', &buffer[..n]) {
            return Ok(offset + i as u64 + 1);
        }
        offset += n as u64;
    }
}

/// What identifies a file's contents cheaply: its length and last change.
#[derive(Debug, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    regular: bool,
}

impl FileStamp {
    fn of(path: &Path) -> Result<FileStamp, AuditError> {
        let metadata = std::fs::metadata(path).map_err(|e| AuditError::io(path, e))?;
        Ok(FileStamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            regular: metadata.is_file(),
        })
    }
}

/// Reads records starting in `[start, end)` (the last may run past `end`). Lines in the result
/// are relative: 1 is the line at `start`. With `mapped_size` (the file's size), the bytes from
/// `start` to the end of the file are read through a memory map, which the scanner parses in
/// place; otherwise through read calls into the scanner's buffer.
fn read_range(
    work: &Work<'_, '_>,
    processor: &mut Processor<'_, '_>,
    path: &Path,
    mapped_size: Option<u64>,
    start: u64,
    end: u64,
    hash: StreamHash,
) -> Result<ChunkResult, AuditError> {
    let mut file = File::open(path).map_err(|e| AuditError::io(path, e))?;
    let mut record = Record::default();
    let mut result = ChunkResult {
        start,
        ..ChunkResult::default()
    };
    let (position, hash) = match mapped_size {
        Some(size) => {
            let map = map_from(&file, path, start, size.saturating_sub(start))?;
            let mut scanner = SliceScanner::new(map.bytes(), start, 1, hash);
            while scanner.position().offset < end {
                match scanner
                    .next_record(&mut record)
                    .map_err(|e| AuditError::io(path, e))?
                {
                    Some(at) => work.handle(processor, &record, at.line, &mut result),
                    None => break,
                }
            }
            (scanner.position(), scanner.hash())
        }
        None => {
            file.seek(SeekFrom::Start(start))
                .map_err(|e| AuditError::io(path, e))?;
            let mut scanner = Scanner::new(file, start, 1).with_hash(hash);
            while scanner.position().offset < end {
                match scanner
                    .next_record(&mut record)
                    .map_err(|e| AuditError::io(path, e))?
                {
                    Some(at) => work.handle(processor, &record, at.line, &mut result),
                    None => break,
                }
            }
            (scanner.position(), scanner.hash())
        }
    };
    result.end = position.offset;
    result.newlines = position.line - 1;
    result.hash = hash.finish();
    result.seen = processor.take_seen();
    Ok(result)
}

/// Reads a source on this thread in batches.
fn run_sequential(
    work: &Work<'_, '_>,
    source: &mut dyn RecordSource,
    merger: &mut Merger<'_, '_>,
    progress: &dyn Fn(u64),
) -> Result<(), AuditError> {
    let mut processor = Processor::new(work.context, work.layout.clone(), work.file);
    let mut record = Record::default();
    let mut done = false;
    while !done {
        let mut result = ChunkResult::default();
        for _ in 0..BATCH {
            match source.next_record(&mut record)? {
                Some(line) => work.handle(&mut processor, &record, line, &mut result),
                None => {
                    done = true;
                    break;
                }
            }
        }
        result.seen = processor.take_seen();
        merger.deliver(work, &mut result, 0)?;
        progress(merger.events_delivered);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_name_states() {
        assert_eq!(state_in_slug("alameda-ca-pd").as_deref(), Some("CA"));
        assert_eq!(state_in_slug("-el-cajon-pd-ca").as_deref(), Some("CA"));
        assert_eq!(
            state_in_slug("amberley-village-oh-pd").as_deref(),
            Some("OH")
        );
        assert_eq!(state_in_slug("police"), None);
    }
}
