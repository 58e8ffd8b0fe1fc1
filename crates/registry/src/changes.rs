//! What changed between consecutive participating sheets: agreements added, removed, renamed
//! or changed model, recorded once per pair of sheets for `remit watch` and the Atom feeds.
//!
//! Sheets are never rewritten once imported, so a pair of sheets always yields the same changes;
//! each pair is recorded once (`registry_change_runs`) and its changes keep their ids. A change
//! of model is one agency losing one model and gaining another between the same two sheets; a
//! rename is the same agreement listed under a name with another identity key (a respelling with
//! the same key is no change).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use remit_store::Store;
use remit_store::rusqlite::{Connection, Transaction, params};
use serde::Serialize;

use crate::error::RegistryError;
use crate::history::load_snapshots;
use crate::parse::SheetKind;

/// One recorded change.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    #[serde(skip)]
    pub id: i64,
    /// `added`, `removed`, `renamed` or `model_changed`.
    pub kind: String,
    pub state: String,
    /// The agency's name in the later sheet (in the earlier one for `removed`).
    pub agency: String,
    /// The agency's identity key, for stable feed entry ids.
    pub agency_key: String,
    /// The support model (the new one for `model_changed`; `None` for `renamed`).
    pub model: Option<String>,
    /// The earlier name (`renamed`) or model (`model_changed`).
    pub previous: Option<String>,
    pub signed: Option<String>,
    /// The sheet that shows the change (`2025-07-18 pm`) and the one before it.
    pub taken: String,
    pub from: String,
    pub to_file: String,
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
