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

/// Bytes per piece of [`file_digest`].
const PIECE: u64 = 64 << 20;

/// A file's identity for the import log: SHA-256 over the SHA-256 digests of its 64 MiB pieces
/// (lowercase hex). The pieces are hashed by several threads at once, so a big file costs a
/// fraction of one SHA-256 pass; any change to any byte changes the result.
pub fn file_digest(path: &Path) -> Result<String, AuditError> {
    let size = std::fs::metadata(path)
        .map_err(|e| AuditError::io(path, e))?
        .len();
    let pieces = size.div_ceil(PIECE).max(1) as usize;
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(pieces);
    let hash_piece = |index: usize| -> Result<[u8; 32], AuditError> {
        use std::io::Seek;
        let mut file = std::fs::File::open(path).map_err(|e| AuditError::io(path, e))?;
        let from = index as u64 * PIECE;
        file.seek(std::io::SeekFrom::Start(from))
            .map_err(|e| AuditError::io(path, e))?;
        let mut left = PIECE.min(size - from.min(size));
        let mut hasher = Sha256::new();
        let mut buffer = vec![0_u8; 1 << 20];
        while left > 0 {
            let want = left.min(buffer.len() as u64) as usize;
            let n = file
                .read(&mut buffer[..want])
                .map_err(|e| AuditError::io(path, e))?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            left -= n as u64;
        }
        Ok(hasher.finalize().into())
    };
    let mut digests = vec![[0_u8; 32]; pieces];
    std::thread::scope(|scope| -> Result<(), AuditError> {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let hash_piece = &hash_piece;
                scope.spawn(move || {
                    (t..pieces)
                        .step_by(threads)
                        .map(|i| hash_piece(i).map(|d| (i, d)))
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        for handle in handles {
            let done = handle.join().map_err(|_| {
                AuditError::output(format!("`{}`", path.display()), "a hashing thread failed")
            })??;
            for (i, digest) in done {
                digests[i] = digest;
            }
        }
        Ok(())
    })?;
    let mut hasher = Sha256::new();
    hasher.update(size.to_le_bytes());
    for digest in &digests {
        hasher.update(digest);
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
    pending: crate::event::EventBuffer,
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
         reason, case_number, user, plate, networks, devices, search_type, decision_id, verdict,
         flags) VALUES ",
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
        })
    }

    /// Inserts the pending findings in one statement.
    fn flush(&mut self, tables: &Tables) -> Result<(), AuditError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let sql = insert_findings_sql(self.pending.len());
        let mut statement = self.transaction.prepare_cached(&sql).map_err(db_error)?;
        let mut index = 1;
        let mut bind = |value: &dyn rusqlite::ToSql| -> Result<(), AuditError> {
            statement
                .raw_bind_parameter(index, value)
                .map_err(db_error)?;
            index += 1;
            Ok(())
        };
        // Text is bound without copying where it is valid UTF-8 (it nearly always is); empty
        // and redacted values are stored as NULL; a reason equal to its shape's sample is NULL
        // too (the view takes it from `audit_reasons`).
        let redact = self.redact;
        fn optional(value: &[u8], hidden: bool) -> Option<std::borrow::Cow<'_, str>> {
            if value.is_empty() {
                None
            } else if hidden {
                Some(std::borrow::Cow::Borrowed(REDACTED))
            } else {
                Some(text(value))
            }
        }
        for index in 0..self.pending.len() {
            let event = self.pending.get(index);
            let reason = tables.reason(event.reason);
            bind(&self.run_id)?;
            bind(&event.file)?;
            bind(&signed(event.line))?;
            bind(&event.time)?;
            bind(&event.searcher)?;
            bind(&event.reason)?;
            let own_text =
                (event.reason_text != reason.text.as_bytes()).then(|| text(event.reason_text));
            bind(&own_text)?;
            bind(&optional(event.case_number, false))?;
            bind(&optional(event.user, redact))?;
            bind(&optional(event.plate, redact))?;
            bind(&event.networks)?;
            bind(&event.devices)?;
            bind(
                &tables
                    .search_types
                    .get(event.search_type as usize)
                    .map(String::as_str),
            )?;
            bind(&match event.outcome {
                crate::event::Outcome::Decided(id) => Some(i64::from(id)),
                _ => None,
            })?;
            bind(&tables.verdict_name(event.outcome))?;
            bind(&event.flags.0)?;
        }
        statement.raw_execute().map_err(db_error)?;
        self.findings += self.pending.len() as u64;
        self.pending.clear();
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_digest_follows_every_byte() {
        let dir = std::env::temp_dir().join(format!("remit-digest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let a = dir.join("a");
        let b = dir.join("b");
        std::fs::write(&a, b"id,reason\n1,inv\n").unwrap();
        std::fs::write(&b, b"id,reason\n1,inv\n").unwrap();
        assert_eq!(file_digest(&a).unwrap(), file_digest(&b).unwrap());
        std::fs::write(&b, b"id,reason\n1,inw\n").unwrap();
        assert_ne!(file_digest(&a).unwrap(), file_digest(&b).unwrap());
        assert_eq!(file_digest(&a).unwrap().len(), 64);
        let settings = [("owner", "X".to_string())];
        assert_ne!(
            run_identity(&["1".to_string()], &settings),
            run_identity(&["1".to_string()], &[("owner", "Y".to_string())])
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
