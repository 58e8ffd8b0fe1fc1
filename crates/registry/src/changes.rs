//! What changed between consecutive participating sheets: agreements added, removed, renamed
//! or changed model, recorded once per pair of sheets for `remit watch` and the Atom feeds.
//!
//! Sheets are never rewritten once imported, so a pair of sheets always yields the same changes;
//! each pair is recorded once (`registry_change_runs`) and its changes keep their ids. A change
//! of model is one agency losing one model and gaining another between the same two sheets; a
//! rename is the same agreement listed under a name with another identity key (a respelling with
//! the same key is no change).
//!
//! `remit watch` reports what is new since its last run: its first run records a baseline (the
//! changes already on record are not replayed as news), and every run stores the last change it
//! reported (`registry_watch`, a schema of its own so that the registry's tables keep their
//! version).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use remit_store::rusqlite::{Connection, OptionalExtension as _, Transaction, params};
use remit_store::{Migration, Schema, Store};
use serde::Serialize;

use crate::error::RegistryError;
use crate::history::load_snapshots;
use crate::parse::SheetKind;

/// One recorded change.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    /// The change's row id in the store (not serialised).
    #[serde(skip)]
    pub id: i64,
    /// `added`, `removed`, `renamed` or `model_changed`.
    pub kind: String,
    /// Two-letter state code.
    pub state: String,
    /// The agency's name in the later sheet (in the earlier one for `removed`).
    pub agency: String,
    /// The agency's identity key, for stable feed entry ids.
    pub agency_key: String,
    /// The support model (the new one for `model_changed`; `None` for `renamed`).
    pub model: Option<String>,
    /// The earlier name (`renamed`) or model (`model_changed`).
    pub previous: Option<String>,
    /// The signing date the sheet gives (`YYYY-MM-DD`), if any.
    pub signed: Option<String>,
    /// The sheet that shows the change, e.g. `2025-07-18 pm`.
    pub taken: String,
    /// The participating sheet before it, in the same form.
    pub from: String,
    /// The file of the sheet that shows the change, as recorded at import.
    pub to_file: String,
    /// When the change was recorded: UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub recorded_at: String,
}

impl Change {
    /// One plain sentence.
    pub fn sentence(&self) -> String {
        let model = self.model.as_deref().map_or("", crate::vocab::model_label);
        match self.kind.as_str() {
            "added" => format!(
                "{} ({}) was added with a {} agreement{}",
                self.agency,
                self.state,
                model,
                self.signed
                    .as_deref()
                    .map_or_else(String::new, |s| format!(" signed {s}"))
            ),
            "removed" => format!(
                "{} ({}) is no longer listed with its {} agreement",
                self.agency, self.state, model
            ),
            "renamed" => format!(
                "{} ({}) is now listed as {}",
                self.previous.as_deref().unwrap_or("an agency"),
                self.state,
                self.agency
            ),
            _ => format!(
                "{} ({}) changed model: {} replaced {}",
                self.agency,
                self.state,
                model,
                self.previous
                    .as_deref()
                    .map_or("", crate::vocab::model_label)
            ),
        }
    }
}

#[derive(Debug, Clone)]
struct Listed {
    agency_id: i64,
    state: String,
    model: String,
    name: String,
    key: String,
    signed: Option<String>,
}

fn listed(connection: &Connection, snapshot_id: i64) -> Result<Vec<Listed>, RegistryError> {
    let mut statement = connection.prepare_cached(
        "SELECT a.agency_id, a.state, a.model, r.agency, r.agency_key, a.signed
         FROM registry_listings l
         JOIN registry_agreements a ON a.id = l.agreement_id
         JOIN registry_rows r ON r.id = l.row_id
         WHERE l.snapshot_id = ?1
         ORDER BY a.state, r.agency, a.model",
    )?;
    let rows = statement
        .query_map([snapshot_id], |row| {
            Ok(Listed {
                agency_id: row.get(0)?,
                state: row.get(1)?,
                model: row.get(2)?,
                name: row.get::<_, Option<String>>(3)?.unwrap_or_default(),
                key: row.get::<_, Option<String>>(4)?.unwrap_or_default(),
                signed: row.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

struct Pending {
    kind: &'static str,
    state: String,
    agency: String,
    key: String,
    model: Option<String>,
    previous: Option<String>,
    signed: Option<String>,
}

/// The changes from the sheet listing `before` to the one listing `after`.
fn compare(before: &[Listed], after: &[Listed]) -> Vec<Pending> {
    let group = |rows: &[Listed]| {
        let mut agencies: BTreeMap<i64, Vec<Listed>> = BTreeMap::new();
        for row in rows {
            agencies.entry(row.agency_id).or_default().push(row.clone());
        }
        agencies
    };
    let before = group(before);
    let after = group(after);
    let agencies: BTreeSet<i64> = before.keys().chain(after.keys()).copied().collect();
    let mut changes = Vec::new();
    let empty = Vec::new();
    for agency in agencies {
        let old = before.get(&agency).unwrap_or(&empty);
        let new = after.get(&agency).unwrap_or(&empty);
        let old_models: BTreeSet<&str> = old.iter().map(|l| l.model.as_str()).collect();
        let new_models: BTreeSet<&str> = new.iter().map(|l| l.model.as_str()).collect();
        let gained: Vec<&Listed> = new
            .iter()
            .filter(|l| !old_models.contains(l.model.as_str()))
            .collect();
        let lost: Vec<&Listed> = old
            .iter()
            .filter(|l| !new_models.contains(l.model.as_str()))
            .collect();
        let pairs = gained.len().min(lost.len());
        for (new_row, old_row) in gained.iter().zip(&lost).take(pairs) {
            changes.push(Pending {
                kind: "model_changed",
                state: new_row.state.clone(),
                agency: new_row.name.clone(),
                key: new_row.key.clone(),
                model: Some(new_row.model.clone()),
                previous: Some(old_row.model.clone()),
                signed: new_row.signed.clone(),
            });
        }
        for row in gained.iter().skip(pairs) {
            changes.push(Pending {
                kind: "added",
                state: row.state.clone(),
                agency: row.name.clone(),
                key: row.key.clone(),
                model: Some(row.model.clone()),
                previous: None,
                signed: row.signed.clone(),
            });
        }
        for row in lost.iter().skip(pairs) {
            changes.push(Pending {
                kind: "removed",
                state: row.state.clone(),
                agency: row.name.clone(),
                key: row.key.clone(),
                model: Some(row.model.clone()),
                previous: None,
                signed: row.signed.clone(),
            });
        }
        if let (Some(old_row), Some(new_row)) = (old.first(), new.first())
            && old_row.key != new_row.key
        {
            changes.push(Pending {
                kind: "renamed",
                state: new_row.state.clone(),
                agency: new_row.name.clone(),
                key: new_row.key.clone(),
                model: None,
                previous: Some(old_row.name.clone()),
                signed: None,
            });
        }
    }
    changes
}

/// Records the changes of every pair of consecutive participating sheets not yet recorded, and
/// returns the ones recorded now. The derived tables must be fresh (see
/// [`crate::Registry::refresh`]). `recorded_at` is UTC, `YYYY-MM-DDTHH:MM:SSZ`.
pub fn record(store: &mut Store, recorded_at: &str) -> Result<Vec<Change>, RegistryError> {
    let snapshots = load_snapshots(store.connection(), Some(SheetKind::Participating))?;
    let done: HashSet<i64> = {
        let mut statement = store
            .connection()
            .prepare("SELECT to_snapshot FROM registry_change_runs")?;
        statement
            .query_map([], |row| row.get(0))?
            .collect::<Result<HashSet<i64>, _>>()?
    };
    let mut pending = Vec::new();
    for pair in snapshots.windows(2) {
        let (from, to) = (&pair[0], &pair[1]);
        if done.contains(&to.id) {
            continue;
        }
        let before = listed(store.connection(), from.id)?;
        let after = listed(store.connection(), to.id)?;
        pending.push((
            from.id,
            to.id,
            to.time.to_string(),
            compare(&before, &after),
        ));
    }
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    let ids = store.transaction(|transaction| write(transaction, &pending, recorded_at))?;
    let mut recorded = Vec::new();
    for id in ids {
        recorded.extend(load(store.connection(), "c.id = ?1", params![id], 1)?);
    }
    // Oldest sheet first (the order a hook should see them), then as the feeds list them.
    recorded.sort_by(|a, b| {
        (&a.taken, &a.kind, &a.state, &a.agency).cmp(&(&b.taken, &b.kind, &b.state, &b.agency))
    });
    Ok(recorded)
}

type PendingPair = (i64, i64, String, Vec<Pending>);

fn write(
    transaction: &Transaction<'_>,
    pending: &[PendingPair],
    recorded_at: &str,
) -> Result<Vec<i64>, RegistryError> {
    let mut ids = Vec::new();
    let mut insert = transaction.prepare_cached(
        "INSERT OR IGNORE INTO registry_changes (from_snapshot, to_snapshot, taken, recorded_at,
            kind, state, agency, agency_key, model, previous, signed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for (from, to, taken, changes) in pending {
        for change in changes {
            let inserted = insert.execute(params![
                from,
                to,
                taken,
                recorded_at,
                change.kind,
                change.state,
                change.agency,
                change.key,
                change.model,
                change.previous,
                change.signed,
            ])?;
            if inserted > 0 {
                ids.push(transaction.last_insert_rowid());
            }
        }
        transaction.execute(
            "INSERT INTO registry_change_runs (to_snapshot, from_snapshot, recorded_at, changes)
             VALUES (?1, ?2, ?3, ?4)",
            params![to, from, recorded_at, changes.len() as i64],
        )?;
    }
    Ok(ids)
}

fn load(
    connection: &Connection,
    condition: &str,
    parameters: impl remit_store::rusqlite::Params,
    limit: usize,
) -> Result<Vec<Change>, RegistryError> {
    let mut statement = connection.prepare(&format!(
        "SELECT c.id, c.kind, c.state, c.agency, c.agency_key, c.model, c.previous, c.signed,
            c.taken, f.taken_day || CASE f.taken_period WHEN '' THEN '' ELSE ' ' || f.taken_period END,
            i.source_path, c.recorded_at
         FROM registry_changes c
         JOIN registry_snapshots f ON f.id = c.from_snapshot
         JOIN registry_snapshots t ON t.id = c.to_snapshot
         JOIN imports i ON i.id = t.import_id
         WHERE {condition}
         ORDER BY t.taken_day DESC, t.period_rank DESC, t.source_name DESC, c.kind, c.state,
            c.agency
         LIMIT {limit}"
    ))?;
    let rows = statement
        .query_map(parameters, |row| {
            Ok(Change {
                id: row.get(0)?,
                kind: row.get(1)?,
                state: row.get(2)?,
                agency: row.get(3)?,
                agency_key: row.get(4)?,
                model: row.get(5)?,
                previous: row.get(6)?,
                signed: row.get(7)?,
                taken: row.get(8)?,
                from: row.get(9)?,
                to_file: row.get(10)?,
                recorded_at: row.get(11)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The latest recorded changes, newest sheet first (within a sheet by kind, state and agency),
/// optionally in one state.
pub fn latest(
    connection: &Connection,
    state: Option<&str>,
    limit: usize,
) -> Result<Vec<Change>, RegistryError> {
    match state {
        Some(state) => load(connection, "c.state = ?1", params![state], limit),
        None => load(connection, "1 = 1", params![], limit),
    }
}

/// What `remit watch` last reported, per source of changes (`registry`, `sharing`, `corpus`).
pub const WATCH_SCHEMA: Schema = Schema {
    component: "watch",
    migrations: &[Migration {
        version: 1,
        name: "the last change remit watch reported, per source",
        sql: "
CREATE TABLE watch_cursors (
    source TEXT PRIMARY KEY,
    -- The id of the newest change reported (0: none); later changes are news.
    last_change INTEGER NOT NULL,
    baseline_at TEXT NOT NULL,
    last_run_at TEXT NOT NULL
) WITHOUT ROWID;
",
    }],
};

/// Moves `remit watch`'s cursor for `source` to `newest` (the id of the newest change of that
/// source on record) and returns where it was: `None` on the first run for the source, which
/// records the baseline. `now`: UTC, `YYYY-MM-DDTHH:MM:SSZ`.
pub fn advance_watch(
    store: &mut Store,
    source: &str,
    newest: i64,
    now: &str,
) -> Result<Option<i64>, RegistryError> {
    store.migrate(&WATCH_SCHEMA)?;
    let last: Option<i64> = store
        .connection()
        .query_row(
            "SELECT last_change FROM watch_cursors WHERE source = ?1",
            [source],
            |row| row.get(0),
        )
        .optional()?;
    store.transaction(|transaction| {
        transaction.execute(
            "INSERT INTO watch_cursors (source, last_change, baseline_at, last_run_at)
             VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (source) DO UPDATE SET
                last_change = MAX(last_change, excluded.last_change),
                last_run_at = excluded.last_run_at",
            params![source, newest, now],
        )?;
        Ok::<_, RegistryError>(())
    })?;
    Ok(last)
}

/// What a watch run has to report.
#[derive(Debug, Clone, PartialEq)]
pub enum WatchReport {
    /// The first run: the changes already on record are the baseline, not news.
    Baseline {
        /// How many changes were on record.
        on_record: u64,
    },
    /// A later run: the changes recorded since the last run, oldest sheet first.
    New(Vec<Change>),
}

impl crate::Registry<'_> {
    /// The changes recorded since the previous watch run (by this or any other command), and
    /// marks them reported; on the first run, records the baseline instead. `now`: UTC,
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn watch_report(&mut self, now: &str) -> Result<WatchReport, RegistryError> {
        let (newest, on_record): (i64, i64) = self.store.connection().query_row(
            "SELECT COALESCE(MAX(id), 0), COUNT(*) FROM registry_changes",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let Some(last) = advance_watch(self.store, "registry", newest, now)? else {
            return Ok(WatchReport::Baseline {
                on_record: u64::try_from(on_record).unwrap_or(0),
            });
        };
        let mut new = load(
            self.store.connection(),
            "c.id > ?1 AND c.id <= ?2",
            params![last, newest],
            usize::try_from(newest.saturating_sub(last)).unwrap_or(0),
        )?;
        new.sort_by(|a, b| {
            (&a.taken, &a.kind, &a.state, &a.agency).cmp(&(&b.taken, &b.kind, &b.state, &b.agency))
        });
        Ok(WatchReport::New(new))
    }
}

/// The corpus as `remit watch` last saw it, and the rules added, amended, removed or changed in
/// status between two corpus versions.
pub const CORPUS_SCHEMA: Schema = Schema {
    component: "corpus_changes",
    migrations: &[Migration {
        version: 1,
        name: "rules seen and rule changes between corpus versions",
        sql: "
CREATE TABLE corpus_rules_seen (
    rule_id TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    status TEXT NOT NULL,
    summary TEXT NOT NULL,
    citation TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    corpus_version TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE corpus_changes (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('added', 'amended', 'status_changed', 'removed')),
    rule_id TEXT NOT NULL,
    summary TEXT NOT NULL,
    citation TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    previous TEXT,
    current TEXT,
    from_version TEXT NOT NULL,
    to_version TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
",
    }],
};

/// One rule of a corpus as watched: its id, a hash of its content and its status on the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleState {
    /// The rule's id in the corpus.
    pub id: String,
    /// A content hash of the rule's data: a different hash means the rule was amended.
    pub hash: String,
    /// `in_force`, `enjoined`, `stayed`, `vacated`, `repealed` or `contested`.
    pub status: String,
    /// The rule's one-line summary.
    pub summary: String,
    /// The rule's source citation.
    pub citation: String,
    /// The jurisdiction the rule belongs to, as the corpus names it.
    pub jurisdiction: String,
}

/// A rule added, amended, removed or changed in status between two corpus versions.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CorpusChange {
    /// The change's row id in the store (not serialised).
    #[serde(skip)]
    pub id: i64,
    /// `added`, `amended` (its content changed), `status_changed` or `removed`.
    pub kind: String,
    /// The rule's id in the corpus.
    pub rule_id: String,
    /// The rule's one-line summary.
    pub summary: String,
    /// The rule's source citation.
    pub citation: String,
    /// The jurisdiction the rule belongs to.
    pub jurisdiction: String,
    /// The status before (`status_changed`; `None` for other kinds).
    pub previous: Option<String>,
    /// The status after (`status_changed`; `None` for other kinds).
    pub current: Option<String>,
    /// The corpus version the rule was last recorded in.
    pub from_version: String,
    /// The corpus version loaded now.
    pub to_version: String,
    /// When the change was recorded: UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub recorded_at: String,
}

impl CorpusChange {
    /// One plain sentence.
    pub fn sentence(&self) -> String {
        let status = |s: Option<&str>| s.unwrap_or("").replace('_', " ");
        match self.kind.as_str() {
            "added" => format!("A rule was added: {} ({})", self.summary, self.citation),
            "amended" => format!("A rule was amended: {} ({})", self.summary, self.citation),
            "removed" => format!("A rule was removed: {} ({})", self.summary, self.citation),
            _ => format!(
                "A rule is now {} (was {}): {} ({})",
                status(self.current.as_deref()),
                status(self.previous.as_deref()),
                self.summary,
                self.citation
            ),
        }
    }
}

/// Compares `rules` (the corpus loaded, version `version`) with the corpus recorded at the last
/// run, records the differences and the corpus as now seen, and returns the differences
/// recorded now. The first run records the corpus as the baseline and returns `None`.
pub fn record_corpus(
    store: &mut Store,
    version: &str,
    rules: &[RuleState],
    recorded_at: &str,
) -> Result<Option<Vec<CorpusChange>>, RegistryError> {
    store.migrate(&CORPUS_SCHEMA)?;
    let mut seen: BTreeMap<String, (RuleState, String)> = BTreeMap::new();
    {
        let mut statement = store.connection().prepare(
            "SELECT rule_id, hash, status, summary, citation, jurisdiction, corpus_version
             FROM corpus_rules_seen",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                RuleState {
                    id: row.get(0)?,
                    hash: row.get(1)?,
                    status: row.get(2)?,
                    summary: row.get(3)?,
                    citation: row.get(4)?,
                    jurisdiction: row.get(5)?,
                },
                row.get::<_, String>(6)?,
            ))
        })?;
        for row in rows {
            let (rule, seen_version) = row?;
            seen.insert(rule.id.clone(), (rule, seen_version));
        }
    }
    let first = seen.is_empty();
    let mut changes = Vec::new();
    let change = |kind: &str, rule: &RuleState, from: &str, previous, current| CorpusChange {
        id: 0,
        kind: kind.to_string(),
        rule_id: rule.id.clone(),
        summary: rule.summary.clone(),
        citation: rule.citation.clone(),
        jurisdiction: rule.jurisdiction.clone(),
        previous,
        current,
        from_version: from.to_string(),
        to_version: version.to_string(),
        recorded_at: recorded_at.to_string(),
    };
    if !first {
        let earlier = seen
            .values()
            .next()
            .map_or("", |(_, v)| v.as_str())
            .to_string();
        let loaded: HashSet<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        for rule in rules {
            match seen.get(&rule.id) {
                None => changes.push(change("added", rule, &earlier, None, None)),
                Some((old, from)) => {
                    if old.status != rule.status {
                        changes.push(change(
                            "status_changed",
                            rule,
                            from,
                            Some(old.status.clone()),
                            Some(rule.status.clone()),
                        ));
                    } else if old.hash != rule.hash {
                        changes.push(change("amended", rule, from, None, None));
                    }
                }
            }
        }
        for (id, (old, from)) in &seen {
            if !loaded.contains(id.as_str()) {
                changes.push(change("removed", old, from, None, None));
            }
        }
    }
    let recorded = store.transaction(|transaction| {
        let mut recorded = Vec::new();
        {
            let mut insert = transaction.prepare_cached(
                "INSERT INTO corpus_changes (kind, rule_id, summary, citation, jurisdiction,
                    previous, current, from_version, to_version, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            for change in &changes {
                insert.execute(params![
                    change.kind,
                    change.rule_id,
                    change.summary,
                    change.citation,
                    change.jurisdiction,
                    change.previous,
                    change.current,
                    change.from_version,
                    change.to_version,
                    change.recorded_at,
                ])?;
                recorded.push(CorpusChange {
                    id: transaction.last_insert_rowid(),
                    ..change.clone()
                });
            }
        }
        transaction.execute("DELETE FROM corpus_rules_seen", [])?;
        let mut insert = transaction.prepare_cached(
            "INSERT INTO corpus_rules_seen (rule_id, hash, status, summary, citation,
                jurisdiction, corpus_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for rule in rules {
            insert.execute(params![
                rule.id,
                rule.hash,
                rule.status,
                rule.summary,
                rule.citation,
                rule.jurisdiction,
                version,
            ])?;
        }
        Ok::<_, RegistryError>(recorded)
    })?;
    Ok((!first).then_some(recorded))
}

/// The latest recorded corpus changes, newest first; none when nothing was ever recorded.
pub fn latest_corpus_changes(
    connection: &Connection,
    limit: usize,
) -> Result<Vec<CorpusChange>, RegistryError> {
    let exists: bool = connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'corpus_changes')",
        [],
        |row| row.get(0),
    )?;
    if !exists {
        return Ok(Vec::new());
    }
    let mut statement = connection.prepare(&format!(
        "SELECT id, kind, rule_id, summary, citation, jurisdiction, previous, current,
            from_version, to_version, recorded_at
         FROM corpus_changes ORDER BY id DESC LIMIT {limit}"
    ))?;
    let rows = statement
        .query_map([], |row| {
            Ok(CorpusChange {
                id: row.get(0)?,
                kind: row.get(1)?,
                rule_id: row.get(2)?,
                summary: row.get(3)?,
                citation: row.get(4)?,
                jurisdiction: row.get(5)?,
                previous: row.get(6)?,
                current: row.get(7)?,
                from_version: row.get(8)?,
                to_version: row.get(9)?,
                recorded_at: row.get(10)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
