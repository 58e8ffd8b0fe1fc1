//! The store sink: a run's metadata, counts, searchers, law decisions and every finding (with
//! file and line) written into the SQLite store, inside the import's one transaction, so that an
//! interrupted run leaves the store as it was and the same run imported twice is stored once.
//!
//! The tables are the `audit` component's migrations ([`SCHEMA`]); docs/audit.md shows them.

use std::io::Read;
use std::path::Path;

use remit_store::rusqlite::{self, Transaction, params};
use remit_store::{Migration, Schema};
use sha2::{Digest, Sha256};

use crate::aggregate::Summary;
use crate::error::AuditError;
use crate::event::{Event, text};
use crate::process::{Reject, Tables};
use crate::sinks::Sink;
use crate::sinks::files::REDACTED;

/// What `Store::import` records audits under.
pub const IMPORT_KIND: &str = "audit";

/// The audit tables. A migration, once released, is never edited: changes are new migrations.
pub const SCHEMA: Schema = Schema {
    component: "audit",
    migrations: &[Migration {
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
              CREATE TABLE audit_findings (
                run_id INTEGER NOT NULL REFERENCES audit_runs(id),
                file_index INTEGER NOT NULL,
                line INTEGER NOT NULL,
                time_utc TEXT NOT NULL,
                searcher_id INTEGER NOT NULL,
                reason TEXT NOT NULL,
                category TEXT NOT NULL,
                purpose TEXT NOT NULL,
                case_number TEXT NOT NULL,
                user TEXT NOT NULL,
                plate TEXT NOT NULL,
                networks INTEGER,
                devices INTEGER,
                search_type TEXT NOT NULL,
                decision_id INTEGER,
                verdict TEXT NOT NULL,
                flags TEXT NOT NULL
              );
              CREATE INDEX audit_findings_by_run ON audit_findings (run_id, verdict);
              CREATE TABLE audit_rejects (
                run_id INTEGER NOT NULL REFERENCES audit_runs(id),
                file_index INTEGER NOT NULL,
                line INTEGER NOT NULL,
                field TEXT NOT NULL,
                reason TEXT NOT NULL
              );",
    }],
};

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

/// SHA-256 of a file, streamed (lowercase hex).
pub fn file_sha256(path: &Path) -> Result<String, AuditError> {
    let mut file = std::fs::File::open(path).map_err(|e| AuditError::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0_u8; 1 << 20];
    loop {
        let n = file
            .read(&mut buffer)
            .map_err(|e| AuditError::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 0x0f)]));
    }
    out
}

/// The identity of an audit run for the import log: the files' contents and everything that
/// changes the result (owner, corpus and classifier versions, options). The same run twice is
/// stored once; the same files audited for another owner are another run.
pub fn run_identity(file_hashes: &[String], settings: &[(&str, String)]) -> String {
    let mut hasher = Sha256::new();
    for hash in file_hashes {
        hasher.update(b"file\0");
        hasher.update(hash.as_bytes());
    }
    for (key, value) in settings {
        hasher.update(key.as_bytes());
        hasher.update(b"\0");
        hasher.update(value.as_bytes());
        hasher.update(b"\0");
    }
    hex(&hasher.finalize())
}

/// Writes a run into an open import transaction.
pub struct StoreSink<'t> {
    transaction: &'t Transaction<'t>,
    run_id: i64,
    redact: bool,
    findings: u64,
    rejects: u64,
}

impl std::fmt::Debug for StoreSink<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreSink")
            .field("run_id", &self.run_id)
            .field("findings", &self.findings)
            .finish_non_exhaustive()
    }
}

const INSERT_FINDING: &str = "INSERT INTO audit_findings (run_id, file_index, line, time_utc,
    searcher_id, reason, category, purpose, case_number, user, plate, networks, devices,
    search_type, decision_id, verdict, flags)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";

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
        })
    }

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
        let reason = tables.reason(event.reason);
        let hide = |value: &[u8]| {
            if self.redact && !value.is_empty() {
                REDACTED.to_string()
            } else {
                text(value).into_owned()
            }
        };
        let decision = match event.outcome {
            crate::event::Outcome::Decided(id) => Some(i64::from(id)),
            _ => None,
        };
        let mut time = [0_u8; 20];
        let time = crate::time::format_utc_into(&mut time, event.time);
        let mut statement = self
            .transaction
            .prepare_cached(INSERT_FINDING)
            .map_err(db_error)?;
        statement
            .execute(params![
                self.run_id,
                event.file,
                signed(event.line),
                std::str::from_utf8(time).unwrap_or_default(),
                event.searcher,
                text(event.reason_text),
                event.category.name(),
                reason.classification.purpose,
                text(event.case_number),
                hide(event.user),
                hide(event.plate),
                event.networks,
                event.devices,
                tables
                    .search_types
                    .get(event.search_type as usize)
                    .map_or("", String::as_str),
                decision,
                tables.verdict_name(event.outcome),
                event.flags.names(),
            ])
            .map_err(db_error)?;
        self.findings += 1;
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
        let tx = self.transaction;
        let run = self.run_id;
        let owner = summary.owner.as_ref();
        let summary_json = serde_json::to_string(summary).map_err(db_error)?;
        tx.execute(
            "UPDATE audit_runs SET owner_name = ?2, owner_input = ?3, owner_ori = ?4,
                owner_state = ?5, owner_actor = ?6, events = ?7, rejected = ?8, findings = ?9,
                first_time = ?10, last_time = ?11, summary_json = ?12
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
pub fn stored_findings(
    connection: &rusqlite::Connection,
    run_id: i64,
) -> Result<Vec<(i64, i64, String)>, AuditError> {
    let mut statement = connection
        .prepare(
            "SELECT file_index, line, verdict FROM audit_findings WHERE run_id = ?1
             ORDER BY rowid",
        )
        .map_err(db_error)?;
    let rows = statement
        .query_map([run_id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .map_err(db_error)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_error)?;
    Ok(rows)
}
