//! Rebuilding the derived layer: every list's owner and every entry resolved, every edge checked.
//!
//! The whole layer is rebuilt in one transaction whenever the lists, the agency directory or the
//! law corpus differ from what it was built from: real lists are small (the 187 archived portals
//! hold 45,000 entries, 1,750 distinct names and a few hundred distinct questions for the law),
//! so a full rebuild takes well under a second and can never leave old and new conclusions mixed.
//!
//! Lists can be large all the same (a list is imported as a stream, whatever its size), so the
//! rebuild holds no more of them in memory than a bound: each list's entries are read from the
//! store in batches, in the order they were stored, and each edge is written as it is checked;
//! names are resolved through the checker's bounded memo, and a party that memo has dropped is
//! found again in `sharing_parties` (by its unique name, state hint and home state), so that it
//! keeps its one row and id. The result is the same as when everything was held in memory.

use std::collections::{BTreeMap, HashMap};

use remit_law::Date;
use remit_store::Store;
use remit_store::rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::check::{Checker, DecisionSummary, Party};
use crate::error::SharingError;
use crate::list::Direction;
use crate::memo::Memo;

/// The most entries read from the store at once (fewer with a smaller memo limit).
const ENTRY_BATCH: usize = 4096;

/// What a rebuild produced.
#[derive(Debug, Clone, Serialize)]
pub struct RefreshReport {
    /// Sharing lists read.
    pub lists: u64,
    /// Entries turned into edges (one edge per entry).
    pub entries: u64,
    /// Distinct (name, state given, owner's state) resolved.
    pub parties: u64,
    /// Distinct questions put to the law engine.
    pub decisions: u64,
    /// Edges per recipient group, keyed by the group's word (`in_state`, `federal`...).
    pub by_group: BTreeMap<String, u64>,
    /// Edges per verdict, keyed by the verdict's word (`may`, `must_not`, `unchecked`...).
    pub by_verdict: BTreeMap<String, u64>,
    /// The version of the law corpus the verdicts came from.
    pub corpus_version: String,
    /// The agency directory the names were resolved against, as described by the caller (its source
    /// and size).
    pub directory: String,
}

/// The version of the rules that derive edges from lists (grouping, actors, places, the
/// confidence floor): a new version rebuilds the derived layer even when nothing else changed.
const DERIVATION: &str = concat!(env!("CARGO_PKG_VERSION"), "+check.1");

/// What the derived layer must match to be current.
fn signature(connection: &Connection) -> Result<String, SharingError> {
    let (count, last): (i64, Option<i64>) =
        connection.query_row("SELECT COUNT(*), MAX(id) FROM sharing_lists", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    Ok(format!("{count}:{}", last.unwrap_or(0)))
}

fn meta(connection: &Connection, key: &str) -> Result<Option<String>, SharingError> {
    Ok(connection
        .query_row(
            "SELECT value FROM sharing_meta WHERE key = ?1",
            [key],
            |row| row.get(0),
        )
        .optional()?)
}

/// Whether the derived layer must be rebuilt for this corpus version and directory.
pub fn is_stale(
    connection: &Connection,
    corpus_version: &str,
    directory_source: &str,
) -> Result<bool, SharingError> {
    Ok(
        meta(connection, "corpus_version")?.as_deref() != Some(corpus_version)
            || meta(connection, "directory")?.as_deref() != Some(directory_source)
            || meta(connection, "lists")?.as_deref() != Some(signature(connection)?.as_str())
            || meta(connection, "derivation")?.as_deref() != Some(DERIVATION),
    )
}

struct ListRow {
    id: i64,
    owner: String,
    owner_state_hint: Option<String>,
    date: Date,
}

/// Rebuilds parties, edges, decisions and rules from the lists.
pub fn refresh(
    store: &mut Store,
    checker: &mut Checker<'_>,
    directory_source: &str,
) -> Result<RefreshReport, SharingError> {
    let corpus_version = checker.corpus().version().to_string();
    store.transaction(|transaction| {
        transaction.execute_batch(
            "DELETE FROM sharing_edges;
             DELETE FROM sharing_list_owners;
             DELETE FROM sharing_parties;
             DELETE FROM sharing_decisions;
             DELETE FROM sharing_rules;
             DELETE FROM sharing_meta;",
        )?;
        let lists = load_lists(transaction)?;
        let batch = checker.memo_limit().min(ENTRY_BATCH);
        let mut writer = Writer {
            transaction,
            parties: Memo::new(checker.memo_limit()),
            decisions: HashMap::new(),
        };
        let mut report = RefreshReport {
            lists: lists.len() as u64,
            entries: 0,
            parties: 0,
            decisions: 0,
            by_group: BTreeMap::new(),
            by_verdict: BTreeMap::new(),
            corpus_version: corpus_version.clone(),
            directory: directory_source.to_string(),
        };
        for list in &lists {
            let owner = checker.party(&list.owner, list.owner_state_hint.as_deref(), None);
            let owner_id =
                writer.party(&owner, list.owner_state_hint.as_deref().unwrap_or(""), "")?;
            transaction.execute(
                "INSERT INTO sharing_list_owners (list_id, party_id) VALUES (?1, ?2)",
                params![list.id, owner_id],
            )?;
            let mut after = i64::MIN;
            loop {
                let entries = entry_batch(transaction, list.id, after, batch)?;
                let Some(last) = entries.last() else {
                    break;
                };
                after = last.id;
                for entry in entries {
                    writer.edge(checker, list, &owner, owner_id, entry, &mut report)?;
                }
            }
        }
        {
            let mut insert = transaction.prepare_cached(
                "INSERT INTO sharing_rules (id, citation, title, url, kind, provenance, status,
                    jurisdiction, modality, summary, also_cites)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            for citation in checker.rules().values() {
                insert.execute(params![
                    citation.id,
                    citation.citation,
                    citation.title,
                    citation.url,
                    word(&citation.kind),
                    word(&citation.provenance),
                    word(&citation.status),
                    citation.jurisdiction,
                    word(&citation.modality),
                    citation.summary,
                    serde_json::to_string(&citation.also_cites).unwrap_or_else(|_| "[]".into()),
                ])?;
            }
        }
        report.parties =
            transaction.query_row("SELECT COUNT(*) FROM sharing_parties", [], |row| {
                row.get::<_, i64>(0)
            })? as u64;
        report.decisions = writer.decisions.len() as u64;
        let lists_signature = signature(transaction)?;
        for (key, value) in [
            ("corpus_version", corpus_version.as_str()),
            ("directory", directory_source),
            ("lists", lists_signature.as_str()),
            ("derivation", DERIVATION),
        ] {
            transaction.execute(
                "INSERT INTO sharing_meta (key, value) VALUES (?1, ?2)",
                params![key, value],
            )?;
        }
        Ok(report)
    })
}

/// A serde enum's word (`must_not`, `primary`).
fn word<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        _ => String::new(),
    }
}

/// An entry as the derived layer reads it.
struct StoredEntry {
    id: i64,
    direction: String,
    name: String,
    state_hint: Option<String>,
}

/// Up to `limit` entries of a list after the entry `after`, in the order they were stored.
fn entry_batch(
    transaction: &Transaction<'_>,
    list_id: i64,
    after: i64,
    limit: usize,
) -> Result<Vec<StoredEntry>, SharingError> {
    let mut statement = transaction.prepare_cached(
        "SELECT id, direction, name, state_hint FROM sharing_entries
         WHERE list_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
    )?;
    let rows = statement
        .query_map(
            params![list_id, after, i64::try_from(limit).unwrap_or(i64::MAX)],
            |row| {
                Ok(StoredEntry {
                    id: row.get(0)?,
                    direction: row.get(1)?,
                    name: row.get(2)?,
                    state_hint: row.get(3)?,
                })
            },
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

fn load_lists(transaction: &Transaction<'_>) -> Result<Vec<ListRow>, SharingError> {
    let mut statement = transaction
        .prepare("SELECT id, owner, owner_state_hint, list_date FROM sharing_lists ORDER BY id")?;
    let rows = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(id, owner, owner_state_hint, date)| {
            let date = date
                .parse()
                .map_err(|_| SharingError::BadDate { text: date.clone() })?;
            Ok(ListRow {
                id,
                owner,
                owner_state_hint,
                date,
            })
        })
        .collect()
}

/// Writes parties and decisions, each once.
struct Writer<'t, 'c> {
    transaction: &'t Transaction<'c>,
    /// The ids of parties written, within the checker's memo limit (a party dropped from it is
    /// found again in the store).
    parties: Memo<(String, String, String), i64>,
    /// One per distinct question: they grow with the lists, not with the names on them.
    decisions: HashMap<(String, String, String, String), i64>,
}

impl Writer<'_, '_> {
    /// Checks one entry of `list`, whose owner is `owner`, and writes its edge.
    fn edge(
        &mut self,
        checker: &mut Checker<'_>,
        list: &ListRow,
        owner: &Party,
        owner_id: i64,
        entry: StoredEntry,
        report: &mut RefreshReport,
    ) -> Result<(), SharingError> {
        let direction = Direction::from_word(&entry.direction).unwrap_or(Direction::Outbound);
        let state_hint = entry.state_hint.as_deref();
        let other = checker.party(&entry.name, state_hint, owner.state.as_deref());
        let other_id = self.party(
            &other,
            state_hint.unwrap_or(""),
            owner.state.as_deref().unwrap_or(""),
        )?;
        let (data_owner, data_owner_id, recipient, recipient_id) = match direction {
            Direction::Outbound => (owner, owner_id, &*other, other_id),
            Direction::Inbound => (&*other, other_id, owner, owner_id),
        };
        let check = checker.check(data_owner, recipient, list.date);
        let decision_id = match &check.decision {
            Some(decision) => Some(self.decision(decision)?),
            None => None,
        };
        self.transaction
            .prepare_cached(
                "INSERT INTO sharing_edges (entry_id, list_id, direction, owner_party,
                    recipient_party, date, grouping, counterparty, decision_id, verdict, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                entry.id,
                list.id,
                direction.as_str(),
                data_owner_id,
                recipient_id,
                list.date.to_string(),
                check.group.as_str(),
                check.counterparty,
                decision_id,
                check.verdict_word(),
                check.note,
            ])?;
        report.entries += 1;
        *report
            .by_group
            .entry(check.group.as_str().to_string())
            .or_default() += 1;
        *report
            .by_verdict
            .entry(check.verdict_word().to_string())
            .or_default() += 1;
        Ok(())
    }

    /// The id of the party for `party` as written with `state_hint` on a list whose owner is in
    /// `home`: found, or written now.
    fn party(&mut self, party: &Party, state_hint: &str, home: &str) -> Result<i64, SharingError> {
        let key = (
            party.input.clone(),
            state_hint.to_string(),
            home.to_string(),
        );
        if let Some(id) = self.parties.get(&key) {
            return Ok(id);
        }
        let inserted = self
            .transaction
            .prepare_cached(
                "INSERT INTO sharing_parties (input, state_hint, home_state, key, name, ori,
                    agency_id, state, class, kind, counterparty, confidence, reasons, actor, place)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                 ON CONFLICT (input, state_hint, home_state) DO NOTHING",
            )?
            .execute(params![
                party.input,
                state_hint,
                home,
                party.key,
                party.name,
                party.ori,
                party.agency_id,
                party.state,
                party.class.as_str(),
                party.kind,
                party.counterparty,
                f64::from(party.confidence),
                serde_json::to_string(&party.reasons).unwrap_or_else(|_| "[]".into()),
                party.actor,
                party.place.as_ref().map(|p| p.as_str().to_string()),
            ])?;
        let id = if inserted == 1 {
            self.transaction.last_insert_rowid()
        } else {
            // Written before, and dropped from the memo since.
            self.transaction
                .prepare_cached(
                    "SELECT id FROM sharing_parties
                     WHERE input = ?1 AND state_hint = ?2 AND home_state = ?3",
                )?
                .query_row(params![key.0, key.1, key.2], |row| row.get::<_, i64>(0))?
        };
        self.parties.insert(key, id);
        Ok(id)
    }

    fn decision(&mut self, decision: &DecisionSummary) -> Result<i64, SharingError> {
        let key = (
            decision.place.clone(),
            decision.actor.clone(),
            decision.counterparty.clone(),
            decision.date.clone(),
        );
        if let Some(id) = self.decisions.get(&key) {
            return Ok(*id);
        }
        self.transaction
            .prepare_cached(
                "INSERT INTO sharing_decisions (place, actor, counterparty, date, verdict, headline,
                    determining, caveats)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                decision.place,
                decision.actor,
                decision.counterparty,
                decision.date,
                decision.verdict.name(),
                decision.headline,
                serde_json::to_string(&decision.determining).unwrap_or_else(|_| "[]".into()),
                serde_json::to_string(&decision.caveats).unwrap_or_else(|_| "[]".into()),
            ])?;
        let id = self.transaction.last_insert_rowid();
        self.decisions.insert(key, id);
        Ok(id)
    }
}
