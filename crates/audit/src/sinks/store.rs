//! The store sink: a run's metadata, counts, searchers, law decisions and every finding (with
//! file and line) written into the SQLite store, inside the import's one transaction, so that an
//! interrupted run leaves the store as it was and the same run imported twice is stored once.
//!
//! The tables are the `audit` component's migrations ([`SCHEMA`]); docs/audit.md shows them.

use remit_store::rusqlite::{self, Transaction, params};
use remit_store::{Identity, Migration, Schema};
use sha2::{Digest, Sha256};

use crate::aggregate::Summary;
use crate::error::AuditError;
use crate::event::{Event, text};
use crate::process::{FileInfo, Reject, Tables};
use crate::sinks::Sink;

/// What `Store::import` records audits under.
pub const IMPORT_KIND: &str = "audit";

/// The audit tables. A migration, once released, is never edited: changes are new migrations.
pub const SCHEMA: Schema = Schema {
    component: "audit",
    migrations: &[
        Migration {
        version: 1,
        name: "audit runs, counts, searchers, decisions, findings, rejects",
        sql: "CREATE TABLE audit_runs (
                id INTEGER PRIMARY KEY,
                import_id INTEGER NOT NULL REFERENCES imports(id),
                owner_name TEXT,
                owner_input TEXT,
                owner_ori TEXT,
                owner_state TEXT,
                owner_actor TEXT,
                corpus_version TEXT NOT NULL,
                classifier_version TEXT NOT NULL,
                events INTEGER NOT NULL DEFAULT 0,
                rejected INTEGER NOT NULL DEFAULT 0,
                findings INTEGER NOT NULL DEFAULT 0,
                first_time TEXT,
                last_time TEXT,
                redacted INTEGER NOT NULL,
                summary_json TEXT NOT NULL DEFAULT '{}'
              );
              CREATE TABLE audit_files (
                run_id INTEGER NOT NULL REFERENCES audit_runs(id),
                file_index INTEGER NOT NULL,
                path TEXT NOT NULL,
                layout TEXT,
                skipped TEXT,
                events INTEGER NOT NULL,
                rejected INTEGER NOT NULL,
                bytes INTEGER NOT NULL,
                PRIMARY KEY (run_id, file_index)
              );
              CREATE TABLE audit_counts (
                run_id INTEGER NOT NULL REFERENCES audit_runs(id),
                dimension TEXT NOT NULL,
                key TEXT NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (run_id, dimension, key)
              );
              CREATE TABLE audit_searchers (
                run_id INTEGER NOT NULL REFERENCES audit_runs(id),
                searcher_id INTEGER NOT NULL,
                name TEXT NOT NULL,
                input TEXT NOT NULL,
                ori TEXT,
                state TEXT,
                class TEXT NOT NULL,
                counterparty TEXT,
                own INTEGER NOT NULL,
                searches INTEGER NOT NULL,
                findings INTEGER NOT NULL,
                forbidden INTEGER NOT NULL,
                first_time TEXT,
                last_time TEXT,
                PRIMARY KEY (run_id, searcher_id)
              );
              CREATE TABLE audit_decisions (
                run_id INTEGER NOT NULL REFERENCES audit_runs(id),
                decision_id INTEGER NOT NULL,
                action TEXT NOT NULL,
                counterparty TEXT NOT NULL,
                purpose TEXT NOT NULL,
                date TEXT NOT NULL,
                verdict TEXT NOT NULL,
                determining_json TEXT NOT NULL,
                error TEXT,
                PRIMARY KEY (run_id, decision_id)
              );
              CREATE TABLE audit_reasons (
                run_id INTEGER NOT NULL REFERENCES audit_runs(id),
                reason_id INTEGER NOT NULL,
                text TEXT NOT NULL,
                category TEXT NOT NULL,
                categories TEXT NOT NULL,
                purpose TEXT NOT NULL,
                evidence TEXT NOT NULL,
                PRIMARY KEY (run_id, reason_id)
              );
              CREATE TABLE audit_flag_bits (
                bit INTEGER PRIMARY KEY,
                name TEXT NOT NULL
              );
              CREATE TABLE audit_findings (
                run_id INTEGER NOT NULL REFERENCES audit_runs(id),
                file_index INTEGER NOT NULL,
                line INTEGER NOT NULL,
                time INTEGER NOT NULL,
                searcher_id INTEGER NOT NULL,
                reason_id INTEGER NOT NULL,
                reason TEXT,
                case_number TEXT,
                user TEXT,
                plate TEXT,
                networks INTEGER,
                devices INTEGER,
                search_type TEXT,
                decision_id INTEGER,
                verdict TEXT NOT NULL,
                flags INTEGER NOT NULL
              );
              CREATE VIEW audit_findings_readable AS
                SELECT f.run_id, fl.path AS file, f.line,
                  strftime('%Y-%m-%dT%H:%M:%SZ', f.time, 'unixepoch') AS time_utc,
                  s.name AS searcher, s.input AS searcher_as_written, s.state AS searcher_state,
                  s.class AS searcher_class, s.counterparty,
                  coalesce(f.reason, r.text) AS reason, r.category, r.categories, r.purpose,
                  f.case_number, f.user, f.plate, f.networks, f.devices, f.search_type, f.verdict,
                  d.determining_json,
                  (SELECT group_concat(b.name, ';') FROM audit_flag_bits b
                    WHERE f.flags & (1 << b.bit)) AS flags
                FROM audit_findings f
                JOIN audit_files fl ON fl.run_id = f.run_id AND fl.file_index = f.file_index
                JOIN audit_searchers s ON s.run_id = f.run_id AND s.searcher_id = f.searcher_id
                JOIN audit_reasons r ON r.run_id = f.run_id AND r.reason_id = f.reason_id
                LEFT JOIN audit_decisions d ON d.run_id = f.run_id AND d.decision_id = f.decision_id;
              CREATE TABLE audit_rejects (
                run_id INTEGER NOT NULL REFERENCES audit_runs(id),
                file_index INTEGER NOT NULL,
                line INTEGER NOT NULL,
                field TEXT NOT NULL,
                reason TEXT NOT NULL
              );",
        },
        Migration {
            version: 2,
            name: "findings keep search types, verdicts and redaction as integers",
            // A finding row is written for every flagged search, millions per big audit: text
            // that repeats (the search type, the verdict, `[redacted]`) is an id or a bit, and
            // `run_id` is not declared a foreign key, whose check on every row costs more than
            // it protects (only the audit sink writes these rows, inside the run's import).
            sql: "CREATE TABLE audit_search_types (
                run_id INTEGER NOT NULL REFERENCES audit_runs(id),
                search_type_id INTEGER NOT NULL,
                name TEXT NOT NULL,
                PRIMARY KEY (run_id, search_type_id)
              );
              INSERT INTO audit_search_types (run_id, search_type_id, name)
                SELECT run_id, row_number() OVER (PARTITION BY run_id ORDER BY name) - 1, name
                FROM (SELECT DISTINCT run_id, coalesce(search_type, '') AS name
                      FROM audit_findings);
              CREATE TABLE audit_findings_v2 (
                run_id INTEGER NOT NULL,
                file_index INTEGER NOT NULL,
                line INTEGER NOT NULL,
                time INTEGER NOT NULL,
                searcher_id INTEGER NOT NULL,
                reason_id INTEGER NOT NULL,
                search_type_id INTEGER NOT NULL,
                outcome INTEGER NOT NULL,
                flags INTEGER NOT NULL,
                networks INTEGER,
                devices INTEGER,
                redacted INTEGER NOT NULL DEFAULT 0,
                reason TEXT,
                case_number TEXT,
                user TEXT,
                plate TEXT
              );
              INSERT INTO audit_findings_v2
                SELECT f.run_id, f.file_index, f.line, f.time, f.searcher_id, f.reason_id,
                  t.search_type_id,
                  CASE WHEN f.decision_id IS NOT NULL THEN f.decision_id
                       WHEN f.verdict = 'own_search' THEN -1 ELSE -2 END,
                  f.flags, f.networks, f.devices,
                  coalesce(f.user = '[redacted]', 0) | (coalesce(f.plate = '[redacted]', 0) << 1),
                  f.reason, f.case_number, nullif(f.user, '[redacted]'),
                  nullif(f.plate, '[redacted]')
                FROM audit_findings f
                JOIN audit_search_types t
                  ON t.run_id = f.run_id AND t.name = coalesce(f.search_type, '')
                ORDER BY f.rowid;
              DROP VIEW audit_findings_readable;
              DROP TABLE audit_findings;
              ALTER TABLE audit_findings_v2 RENAME TO audit_findings;
              CREATE VIEW audit_findings_readable AS
                SELECT f.run_id, fl.path AS file, f.line,
                  strftime('%Y-%m-%dT%H:%M:%SZ', f.time, 'unixepoch') AS time_utc,
                  s.name AS searcher, s.input AS searcher_as_written, s.state AS searcher_state,
                  s.class AS searcher_class, s.counterparty,
                  coalesce(f.reason, r.text) AS reason, r.category, r.categories, r.purpose,
                  f.case_number,
                  CASE WHEN f.redacted & 1 THEN '[redacted]' ELSE f.user END AS user,
                  CASE WHEN f.redacted & 2 THEN '[redacted]' ELSE f.plate END AS plate,
                  f.networks, f.devices, st.name AS search_type,
                  CASE WHEN f.outcome >= 0 THEN d.verdict
                       WHEN f.outcome = -1 THEN 'own_search' ELSE 'not_asked' END AS verdict,
                  d.determining_json,
                  (SELECT group_concat(b.name, ';') FROM audit_flag_bits b
                    WHERE f.flags & (1 << b.bit)) AS flags
                FROM audit_findings f
                JOIN audit_files fl ON fl.run_id = f.run_id AND fl.file_index = f.file_index
                JOIN audit_searchers s ON s.run_id = f.run_id AND s.searcher_id = f.searcher_id
                JOIN audit_reasons r ON r.run_id = f.run_id AND r.reason_id = f.reason_id
                JOIN audit_search_types st
                  ON st.run_id = f.run_id AND st.search_type_id = f.search_type_id
                LEFT JOIN audit_decisions d ON d.run_id = f.run_id AND d.decision_id = f.outcome;",
        },
        Migration {
            version: 3,
            name: "each run's range of finding rows",
            // A run's findings are written in one transaction by the only writer, so their
            // rowids are consecutive: queries read a run's findings by that range instead of
            // scanning every run's, and no index slows the inserts down.
            sql: "ALTER TABLE audit_runs ADD COLUMN first_finding INTEGER;
              ALTER TABLE audit_runs ADD COLUMN last_finding INTEGER;
              UPDATE audit_runs SET
                first_finding = (SELECT min(f.rowid) FROM audit_findings f
                                 WHERE f.run_id = audit_runs.id),
                last_finding = (SELECT max(f.rowid) FROM audit_findings f
                                WHERE f.run_id = audit_runs.id);",
        },
    ],
};

/// `audit_findings.outcome` of a search by the owner's own users.
pub const OUTCOME_OWN_SEARCH: i64 = -1;
/// `audit_findings.outcome` of a search whose law question could not be asked.
pub const OUTCOME_NOT_ASKED: i64 = -2;
/// `audit_findings.redacted` bit: an officer was recorded and is not stored.
pub const REDACTED_USER: i64 = 1;
/// `audit_findings.redacted` bit: a plate was recorded and is not stored.
pub const REDACTED_PLATE: i64 = 2;

fn db_error(e: impl std::fmt::Display) -> AuditError {
    AuditError::output("the store", e)
}

impl From<remit_store::StoreError> for AuditError {
    fn from(error: remit_store::StoreError) -> AuditError {
        db_error(error)
    }
}

fn signed(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 0x0f)]));
    }
    out
}

/// The identity of an audit run for the import log: SHA-256 over the files' content hashes and
/// sizes (each hashed as the file was read, so a big file is not read twice) and everything that
/// changes the result (owner, corpus and classifier versions, options). The same run twice is
/// stored once; the same files audited for another owner are another run.
pub fn run_identity(files: &[FileInfo], settings: &[(&str, String)]) -> Identity {
    let mut hasher = Sha256::new();
    let mut bytes = 0;
    for file in files {
        hasher.update(b"file\0");
        hasher.update(file.content_hash.as_bytes());
        hasher.update(file.bytes.to_le_bytes());
        bytes += file.bytes;
    }
    for (key, value) in settings {
        hasher.update(key.as_bytes());
        hasher.update(b"\0");
        hasher.update(value.as_bytes());
        hasher.update(b"\0");
    }
    Identity {
        content_sha256: hex(&hasher.finalize()),
        content_bytes: bytes,
    }
}

/// Writes a run into an open import transaction.
pub struct StoreSink<'t> {
    transaction: &'t Transaction<'t>,
    run_id: i64,
    redact: bool,
    findings: u64,
    rejects: u64,
    pending: crate::event::EventBuffer,
    /// The rowids of the first and last finding written.
    finding_rows: Option<(i64, i64)>,
}

impl std::fmt::Debug for StoreSink<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreSink")
            .field("run_id", &self.run_id)
            .field("findings", &self.findings)
            .finish_non_exhaustive()
    }
}

/// Findings are inserted this many to a statement: one statement per row costs twice as much.
const BATCH_ROWS: usize = 64;
const FINDING_COLUMNS: usize = 16;

/// `INSERT INTO audit_findings ... VALUES (...), (...), ...` for `rows` rows.
fn insert_findings_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO audit_findings (run_id, file_index, line, time, searcher_id, reason_id,
         search_type_id, outcome, flags, networks, devices, redacted, reason, case_number, user,
         plate) VALUES ",
    );
    for row in 0..rows {
        if row > 0 {
            sql.push(',');
        }
        sql.push('(');
        for column in 0..FINDING_COLUMNS {
            if column > 0 {
                sql.push(',');
            }
            sql.push('?');
        }
        sql.push(')');
    }
    sql
}

impl<'t> StoreSink<'t> {
    /// Starts a run row for import `import_id`.
    pub fn new(
        transaction: &'t Transaction<'t>,
        import_id: i64,
        corpus_version: &str,
        classifier_version: &str,
        redact: bool,
    ) -> Result<StoreSink<'t>, AuditError> {
        transaction
            .execute(
                "INSERT INTO audit_runs (import_id, corpus_version, classifier_version, redacted)
                 VALUES (?1, ?2, ?3, ?4)",
                params![import_id, corpus_version, classifier_version, redact],
            )
            .map_err(db_error)?;
        Ok(StoreSink {
            transaction,
            run_id: transaction.last_insert_rowid(),
            redact,
            findings: 0,
            rejects: 0,
            pending: crate::event::EventBuffer::default(),
            finding_rows: None,
        })
    }

    /// Inserts the pending findings in one statement.
    fn flush(&mut self, tables: &Tables) -> Result<(), AuditError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let sql = insert_findings_sql(self.pending.len());
        let mut statement = self.transaction.prepare_cached(&sql).map_err(db_error)?;
        // Parameters left unbound are NULL: clear what a previous use bound, then bind only
        // the values there are. Text is bound without copying it into a String where it is
        // valid UTF-8 (it nearly always is).
        statement.clear_bindings();
        let redact = self.redact;
        for row in 0..self.pending.len() {
            let event = self.pending.get(row);
            let at = |column: usize| row * FINDING_COLUMNS + column + 1;
            let mut int = |column: usize, value: i64| -> Result<(), AuditError> {
                statement
                    .raw_bind_parameter(at(column), value)
                    .map_err(db_error)
            };
            int(0, self.run_id)?;
            int(1, i64::from(event.file))?;
            int(2, signed(event.line))?;
            int(3, event.time)?;
            int(4, i64::from(event.searcher))?;
            int(5, i64::from(event.reason))?;
            int(6, i64::from(event.search_type))?;
            int(
                7,
                match event.outcome {
                    crate::event::Outcome::Decided(id) => i64::from(id),
                    crate::event::Outcome::OwnSearch => OUTCOME_OWN_SEARCH,
                    crate::event::Outcome::NotAsked => OUTCOME_NOT_ASKED,
                },
            )?;
            int(8, i64::from(event.flags.0))?;
            if let Some(n) = event.networks {
                int(9, i64::from(n))?;
            }
            if let Some(n) = event.devices {
                int(10, i64::from(n))?;
            }
            let hidden_user = redact && !event.user.is_empty();
            let hidden_plate = redact && !event.plate.is_empty();
            int(
                11,
                if hidden_user { REDACTED_USER } else { 0 }
                    | if hidden_plate { REDACTED_PLATE } else { 0 },
            )?;
            // A reason equal to its shape's sample is NULL (the view takes it from
            // `audit_reasons`); empty and redacted values are NULL.
            let reason = tables.reason(event.reason);
            for (column, value, stored) in [
                (
                    12,
                    event.reason_text,
                    event.reason_text != reason.text.as_bytes(),
                ),
                (13, event.case_number, !event.case_number.is_empty()),
                (14, event.user, !event.user.is_empty() && !hidden_user),
                (15, event.plate, !event.plate.is_empty() && !hidden_plate),
            ] {
                if stored {
                    match std::str::from_utf8(value) {
                        Ok(value) => statement.raw_bind_parameter(at(column), value),
                        Err(_) => statement.raw_bind_parameter(at(column), text(value).as_ref()),
                    }
                    .map_err(db_error)?;
                }
            }
        }
        statement.raw_execute().map_err(db_error)?;
        let last = self.transaction.last_insert_rowid();
        let first = last - self.pending.len() as i64 + 1;
        self.finding_rows = Some((self.finding_rows.map_or(first, |(first, _)| first), last));
        self.findings += self.pending.len() as u64;
        self.pending.clear();
        Ok(())
    }

    /// The run's id in `audit_runs`.
    pub fn run_id(&self) -> i64 {
        self.run_id
    }

    /// Findings and rejects written.
    pub fn rows(&self) -> u64 {
        self.findings + self.rejects
    }
}

impl Sink for StoreSink<'_> {
    fn name(&self) -> &str {
        "store"
    }

    fn event(&mut self, event: &Event<'_>, tables: &Tables) -> Result<(), AuditError> {
        self.pending.push(event);
        if self.pending.len() == BATCH_ROWS {
            self.flush(tables)?;
        }
        Ok(())
    }

    fn reject(&mut self, reject: &Reject, _tables: &Tables) -> Result<(), AuditError> {
        self.transaction
            .prepare_cached(
                "INSERT INTO audit_rejects (run_id, file_index, line, field, reason)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    self.run_id,
                    reject.file,
                    signed(reject.line),
                    reject.field,
                    reject.message
                ])
            })
            .map_err(db_error)?;
        self.rejects += 1;
        Ok(())
    }

    fn finish(&mut self, summary: &Summary, tables: &Tables) -> Result<(), AuditError> {
        self.flush(tables)?;
        let tx = self.transaction;
        let run = self.run_id;
        let owner = summary.owner.as_ref();
        let summary_json = serde_json::to_string(summary).map_err(db_error)?;
        tx.execute(
            "UPDATE audit_runs SET owner_name = ?2, owner_input = ?3, owner_ori = ?4,
                owner_state = ?5, owner_actor = ?6, events = ?7, rejected = ?8, findings = ?9,
                first_time = ?10, last_time = ?11, summary_json = ?12, first_finding = ?13,
                last_finding = ?14
             WHERE id = ?1",
            params![
                run,
                owner.map(|o| o.name.as_str()),
                owner.map(|o| o.input.as_str()),
                owner.and_then(|o| o.ori.as_deref()),
                owner.and_then(|o| o.state.as_deref()),
                owner.map(|o| o.actor.as_str()),
                signed(summary.events),
                signed(summary.rejected),
                signed(summary.findings),
                summary.period.first,
                summary.period.last,
                summary_json,
                self.finding_rows.map(|(first, _)| first),
                self.finding_rows.map(|(_, last)| last),
            ],
        )
        .map_err(db_error)?;
        for (index, file) in summary.files.iter().enumerate() {
            tx.execute(
                "INSERT INTO audit_files (run_id, file_index, path, layout, skipped, events,
                    rejected, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    run,
                    index as i64,
                    file.path,
                    file.layout,
                    file.skipped,
                    signed(file.events),
                    signed(file.rejected),
                    signed(file.bytes)
                ],
            )
            .map_err(db_error)?;
        }
        let mut counts = tx
            .prepare(
                "INSERT INTO audit_counts (run_id, dimension, key, count) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(db_error)?;
        let dimensions: [(&str, Vec<(String, u64)>); 6] = [
            ("category", pairs(&summary.by_category)),
            ("searcher_class", pairs(&summary.by_searcher_class)),
            ("searcher_state", pairs(&summary.by_searcher_state)),
            ("verdict", pairs(&summary.by_verdict)),
            ("flag", pairs(&summary.by_flag)),
            ("month", pairs(&summary.by_month)),
        ];
        for (dimension, values) in &dimensions {
            for (key, count) in values {
                counts
                    .execute(params![run, dimension, key, signed(*count)])
                    .map_err(db_error)?;
            }
        }
        let mut searchers = tx
            .prepare(
                "INSERT INTO audit_searchers (run_id, searcher_id, name, input, ori, state, class,
                    counterparty, own, searches, findings, forbidden, first_time, last_time)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )
            .map_err(db_error)?;
        for s in &summary.all_searchers {
            searchers
                .execute(params![
                    run,
                    s.id,
                    s.name,
                    s.input,
                    s.ori,
                    s.state,
                    s.class,
                    s.counterparty,
                    s.own,
                    signed(s.searches),
                    signed(s.findings),
                    signed(s.forbidden),
                    s.first,
                    s.last
                ])
                .map_err(db_error)?;
        }
        let mut reasons = tx
            .prepare(
                "INSERT INTO audit_reasons (run_id, reason_id, text, category, categories,
                    purpose, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(db_error)?;
        for (id, r) in tables.reasons.iter().enumerate() {
            let c = &r.classification;
            reasons
                .execute(params![
                    run,
                    id as i64,
                    r.text,
                    c.primary.name(),
                    c.categories.names().join(";"),
                    c.purpose,
                    c.evidence_text_in(&r.text)
                ])
                .map_err(db_error)?;
        }
        let mut search_types = tx
            .prepare(
                "INSERT INTO audit_search_types (run_id, search_type_id, name)
                 VALUES (?1, ?2, ?3)",
            )
            .map_err(db_error)?;
        for (id, name) in tables.search_types.iter().enumerate() {
            search_types
                .execute(params![run, id as i64, name])
                .map_err(db_error)?;
        }
        for flag in crate::event::Flag::ALL {
            tx.execute(
                "INSERT OR IGNORE INTO audit_flag_bits (bit, name) VALUES (?1, ?2)",
                params![flag as i64, flag.name()],
            )
            .map_err(db_error)?;
        }
        let mut decisions = tx
            .prepare(
                "INSERT INTO audit_decisions (run_id, decision_id, action, counterparty, purpose,
                    date, verdict, determining_json, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .map_err(db_error)?;
        for (id, d) in tables.decisions.iter().enumerate() {
            decisions
                .execute(params![
                    run,
                    id as i64,
                    d.action,
                    d.counterparty,
                    d.purpose,
                    d.date,
                    d.verdict_name(),
                    serde_json::to_string(&d.determining).map_err(db_error)?,
                    d.error
                ])
                .map_err(db_error)?;
        }
        Ok(())
    }
}

fn pairs<K: ToString>(map: &std::collections::BTreeMap<K, u64>) -> Vec<(String, u64)> {
    map.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// Reads back the findings of a run, for tests and the dashboard: `(file_index, line, verdict)`.
/// `audit_findings_readable` has every column as text.
pub fn stored_findings(
    connection: &rusqlite::Connection,
    run_id: i64,
) -> Result<Vec<(i64, i64, String)>, AuditError> {
    let mut statement = connection
        .prepare(
            "SELECT f.file_index, f.line, CASE WHEN f.outcome >= 0 THEN d.verdict
                    WHEN f.outcome = -1 THEN 'own_search' ELSE 'not_asked' END
             FROM audit_findings f
             LEFT JOIN audit_decisions d ON d.run_id = f.run_id AND d.decision_id = f.outcome
             WHERE f.run_id = ?1 ORDER BY f.rowid",
        )
        .map_err(db_error)?;
    let rows = statement
        .query_map([run_id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .map_err(db_error)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_error)?;
    Ok(rows)
}

/// A run [`audit_into`] wrote into the store, or found there already.
#[derive(Debug)]
pub struct StoredRun {
    /// The run itself: its summary and tables.
    pub run: crate::pipeline::AuditRun,
    /// The run's id in `audit_runs`: the earlier run's when the store already held this one.
    pub run_id: i64,
    /// The import row: new, or the earlier import of the same run.
    pub recorded: remit_store::Recorded,
}

/// Audits `files` into `store` as one import, with `sinks` (files, reports) fed alongside: the
/// audit tables are brought up to date, the run is written inside one transaction, and a run the
/// store already holds (the same files' contents with the same owner, corpus, classifier and
/// options; `map` is the column mapping as the user wrote it) is rolled back and reported as
/// the earlier one. What `remit audit` does without `--no-store`, and how the dashboard keeps
/// the demo's audits and an upload's.
pub fn audit_into(
    store: &mut remit_store::Store,
    auditor: &crate::pipeline::Auditor<'_>,
    files: &[std::path::PathBuf],
    options: &crate::pipeline::AuditOptions,
    map: Option<&str>,
    sinks: &mut [&mut dyn Sink],
) -> Result<StoredRun, AuditError> {
    store.migrate(&SCHEMA)?;
    let paths: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let corpus_version = auditor.corpus.version().to_string();
    let classifier_version = auditor.classifier.version().to_string();
    let mut written = 0;
    let (run, recorded) =
        store.import_then_identify(IMPORT_KIND, &paths.join(" "), |transaction, import_id| {
            let mut store_sink = StoreSink::new(
                transaction,
                import_id,
                &corpus_version,
                &classifier_version,
                options.redact,
            )?;
            written = store_sink.run_id;
            let mut all: Vec<&mut dyn Sink> = Vec::with_capacity(sinks.len() + 1);
            for sink in sinks.iter_mut() {
                all.push(&mut **sink);
            }
            all.push(&mut store_sink);
            let run = auditor.run(files, options, &mut all)?;
            let counts = remit_store::ImportCounts {
                rows_read: run.summary.events + run.summary.rejected,
                rows_stored: store_sink.rows(),
                issues: run.summary.rejected,
            };
            // The run's identity: the files' contents (hashed while they were read) and
            // everything that changes the result.
            let identity = run_identity(
                &run.summary.files,
                &[
                    ("owner", options.owner.clone().unwrap_or_default()),
                    ("corpus", corpus_version.clone()),
                    ("classifier", classifier_version.clone()),
                    ("map", map.unwrap_or_default().to_string()),
                    ("utc_offset", options.utc_offset.to_string()),
                    ("all_flags", options.all_flags.to_string()),
                    ("redact", options.redact.to_string()),
                ],
            );
            Ok::<_, AuditError>((run, counts, identity))
        })?;
    let run_id = match &recorded {
        remit_store::Recorded::New(_) => written,
        remit_store::Recorded::Duplicate(previous) => store
            .connection()
            .query_row(
                "SELECT id FROM audit_runs WHERE import_id = ?1",
                [previous.id],
                |row| row.get(0),
            )
            .map_err(db_error)?,
    };
    Ok(StoredRun {
        run,
        run_id,
        recorded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(hash: &str) -> FileInfo {
        FileInfo {
            path: "a.csv".to_string(),
            layout: None,
            skipped: None,
            events: 0,
            rejected: 0,
            content_hash: hash.to_string(),
            bytes: 10,
        }
    }

    #[test]
    fn run_identity_follows_contents_and_settings() {
        let settings = [("owner", "X".to_string())];
        let one = run_identity(&[file("1")], &settings);
        assert_eq!(one, run_identity(&[file("1")], &settings));
        assert_eq!(one.content_sha256.len(), 64);
        assert_eq!(one.content_bytes, 10);
        assert_ne!(one, run_identity(&[file("2")], &settings));
        assert_ne!(
            one,
            run_identity(&[file("1")], &[("owner", "Y".to_string())])
        );
        let mut longer = file("1");
        longer.bytes = 11;
        assert_ne!(one, run_identity(&[longer], &settings));
    }
}
