//! What changed between two lists of the same owner: the partners added or dropped when a newer
//! portal crawl (or release) of the same agency's list is imported, recorded once per pair of
//! lists for `remit watch`, the changes page and the feeds.
//!
//! Lists are never rewritten once imported, so a pair of lists always yields the same changes.
//! Two lists belong together when their owners resolve to the same agency (the party key) and
//! they list the same direction (shared with, or received from). A partner is the agency its
//! name resolves to, so a respelling between two crawls is no change. Recording reads the
//! derived edges: call it after [`crate::Sharing::refresh`].

use std::collections::{BTreeMap, HashSet};

use remit_store::rusqlite::{Connection, params};
use remit_store::{Migration, Schema};
use serde::Serialize;

use crate::error::SharingError;

/// The recorded changes, a schema of their own so that the sharing tables keep their version.
pub const CHANGES_SCHEMA: Schema = Schema {
    component: "sharing_changes",
    migrations: &[Migration {
        version: 1,
        name: "partners added or dropped between two lists of one owner",
        sql: "
CREATE TABLE sharing_changes (
    id INTEGER PRIMARY KEY,
    from_list INTEGER NOT NULL REFERENCES sharing_lists(id),
    to_list INTEGER NOT NULL REFERENCES sharing_lists(id),
    owner_key TEXT NOT NULL,
    owner TEXT NOT NULL,
    owner_state TEXT,
    direction TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    kind TEXT NOT NULL CHECK (kind IN ('added', 'dropped')),
    partner_key TEXT NOT NULL,
    partner TEXT NOT NULL,
    partner_state TEXT,
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (to_list, direction, kind, partner_key)
);
CREATE TABLE sharing_change_runs (
    to_list INTEGER NOT NULL REFERENCES sharing_lists(id),
    direction TEXT NOT NULL,
    from_list INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    changes INTEGER NOT NULL,
    PRIMARY KEY (to_list, direction)
);
",
    }],
};

/// One partner added to or dropped from an owner's list.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ListChange {
    /// The change's row id in the store, in recording order (see [`between`]); 0 before it is
    /// stored. Not part of the JSON.
    #[serde(skip)]
    pub id: i64,
    /// `added` or `dropped`.
    pub kind: String,
    /// The owner's identity key (ORI or directory id, else class, state, kind and name).
    pub owner_key: String,
    /// The owner's readable name as resolved.
    pub owner: String,
    /// Two-letter code of the owner's state; `None` when unknown.
    pub owner_state: Option<String>,
    /// `outbound` (the owner shares its data with the partner) or `inbound`.
    pub direction: String,
    /// The partner's identity key (ORI or directory id, else class, state, kind and name).
    pub partner_key: String,
    /// The partner's readable name as resolved.
    pub partner: String,
    /// Two-letter code of the partner's state; `None` for federal and private bodies and when
    /// unknown.
    pub partner_state: Option<String>,
    /// The earlier list's date (YYYY-MM-DD).
    pub from_date: String,
    /// The later list's date (YYYY-MM-DD).
    pub to_date: String,
    /// When the change was recorded: UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub recorded_at: String,
}

impl ListChange {
    /// One plain sentence.
    pub fn sentence(&self) -> String {
        let partner = match &self.partner_state {
            Some(state) => format!("{} ({state})", self.partner),
            None => self.partner.clone(),
        };
        let owner = match &self.owner_state {
            Some(state) => format!("{} ({state})", self.owner),
            None => self.owner.clone(),
        };
        match (self.kind.as_str(), self.direction.as_str()) {
            ("added", "outbound") => format!(
                "{owner} shares its plate-reader data with {partner} since its list of {}",
                self.to_date
            ),
            ("dropped", "outbound") => format!(
                "{owner} no longer lists {partner} among those it shares plate-reader data with (list of {}; listed on {})",
                self.to_date, self.from_date
            ),
            ("added", _) => format!(
                "{owner} receives plate-reader data from {partner} since its list of {}",
                self.to_date
            ),
            _ => format!(
                "{owner} no longer lists {partner} among those it receives plate-reader data from (list of {}; listed on {})",
                self.to_date, self.from_date
            ),
        }
    }
}

/// A list of one owner and direction, with its date.
#[derive(Debug, Clone)]
struct OwnedList {
    id: i64,
    date: String,
    owner_key: String,
    owner: String,
    owner_state: Option<String>,
    direction: String,
}

fn owned_lists(connection: &Connection) -> Result<Vec<OwnedList>, SharingError> {
    let mut statement = connection.prepare(
        "SELECT DISTINCT l.id, l.list_date, p.key, p.name, p.state, e.direction
         FROM sharing_lists l
         JOIN sharing_list_owners o ON o.list_id = l.id
         JOIN sharing_parties p ON p.id = o.party_id
         JOIN sharing_edges e ON e.list_id = l.id
         ORDER BY p.key, e.direction, l.list_date, l.id",
    )?;
    let rows = statement
        .query_map([], |row| {
            Ok(OwnedList {
                id: row.get(0)?,
                date: row.get(1)?,
                owner_key: row.get(2)?,
                owner: row.get(3)?,
                owner_state: row.get(4)?,
                direction: row.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A list's partners in one direction: key to name and state.
fn partners(
    connection: &Connection,
    list: i64,
    direction: &str,
) -> Result<BTreeMap<String, (String, Option<String>)>, SharingError> {
    let mut statement = connection.prepare_cached(
        "SELECT p.key, p.name, p.state FROM sharing_edges e
         JOIN sharing_parties p ON p.id = e.recipient_party
         WHERE e.list_id = ?1 AND e.direction = ?2",
    )?;
    let rows = statement.query_map(params![list, direction], |row| {
        Ok((
            row.get::<_, String>(0)?,
            (row.get::<_, String>(1)?, row.get::<_, Option<String>>(2)?),
        ))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (key, value) = row?;
        out.entry(key).or_insert(value);
    }
    Ok(out)
}

/// Records the changes of every pair of consecutive lists (same owner, same direction) not yet
/// recorded, and returns the ones recorded now, oldest list first. `recorded_at`: UTC,
/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn record(
    store: &mut remit_store::Store,
    recorded_at: &str,
) -> Result<Vec<ListChange>, SharingError> {
    store.migrate(&CHANGES_SCHEMA)?;
    let lists = owned_lists(store.connection())?;
    let done: HashSet<(i64, String)> = {
        let mut statement = store
            .connection()
            .prepare("SELECT to_list, direction FROM sharing_change_runs")?;
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<HashSet<_>, _>>()?
    };
    let mut pending: Vec<(OwnedList, OwnedList, Vec<ListChange>)> = Vec::new();
    for pair in lists.windows(2) {
        let (from, to) = (&pair[0], &pair[1]);
        if from.owner_key != to.owner_key
            || from.direction != to.direction
            || done.contains(&(to.id, to.direction.clone()))
        {
            continue;
        }
        let before = partners(store.connection(), from.id, &from.direction)?;
        let after = partners(store.connection(), to.id, &to.direction)?;
        let change = |kind: &str, key: &str, (name, state): &(String, Option<String>)| ListChange {
            id: 0,
            kind: kind.to_string(),
            owner_key: to.owner_key.clone(),
            owner: to.owner.clone(),
            owner_state: to.owner_state.clone(),
            direction: to.direction.clone(),
            partner_key: key.to_string(),
            partner: name.clone(),
            partner_state: state.clone(),
            from_date: from.date.clone(),
            to_date: to.date.clone(),
            recorded_at: recorded_at.to_string(),
        };
        let mut changes: Vec<ListChange> = after
            .iter()
            .filter(|(key, _)| !before.contains_key(*key))
            .map(|(key, value)| change("added", key, value))
            .collect();
        changes.extend(
            before
                .iter()
                .filter(|(key, _)| !after.contains_key(*key))
                .map(|(key, value)| change("dropped", key, value)),
        );
        pending.push((from.clone(), to.clone(), changes));
    }
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    store.transaction(|transaction| {
        let mut recorded = Vec::new();
        let mut insert = transaction.prepare_cached(
            "INSERT OR IGNORE INTO sharing_changes (from_list, to_list, owner_key, owner,
                owner_state, direction, kind, partner_key, partner, partner_state, from_date,
                to_date, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        for (from, to, changes) in &pending {
            for change in changes {
                let inserted = insert.execute(params![
                    from.id,
                    to.id,
                    change.owner_key,
                    change.owner,
                    change.owner_state,
                    change.direction,
                    change.kind,
                    change.partner_key,
                    change.partner,
                    change.partner_state,
                    change.from_date,
                    change.to_date,
                    change.recorded_at,
                ])?;
                if inserted > 0 {
                    recorded.push(ListChange {
                        id: transaction.last_insert_rowid(),
                        ..change.clone()
                    });
                }
            }
            transaction.execute(
                "INSERT INTO sharing_change_runs (to_list, direction, from_list, recorded_at,
                    changes) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    to.id,
                    to.direction,
                    from.id,
                    recorded_at,
                    changes.len() as i64
                ],
            )?;
        }
        Ok::<_, SharingError>(recorded)
    })
}

fn recorded(connection: &Connection) -> Result<bool, SharingError> {
    Ok(connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sharing_changes')",
        [],
        |row| row.get(0),
    )?)
}

/// The latest recorded changes, newest list first, at most `limit`; none when nothing was ever
/// recorded.
pub fn latest(connection: &Connection, limit: usize) -> Result<Vec<ListChange>, SharingError> {
    load(
        connection,
        &format!(
            "ORDER BY to_date DESC, to_list DESC, owner, direction, kind, partner LIMIT {limit}"
        ),
        params![],
    )
}

/// The changes with ids after `after` up to `upto`, oldest list first.
pub fn between(
    connection: &Connection,
    after: i64,
    upto: i64,
) -> Result<Vec<ListChange>, SharingError> {
    load(
        connection,
        "WHERE id > ?1 AND id <= ?2 ORDER BY to_date, to_list, owner, direction, kind, partner",
        params![after, upto],
    )
}

fn load(
    connection: &Connection,
    rest: &str,
    parameters: impl remit_store::rusqlite::Params,
) -> Result<Vec<ListChange>, SharingError> {
    if !recorded(connection)? {
        return Ok(Vec::new());
    }
    let mut statement = connection.prepare(&format!(
        "SELECT id, kind, owner_key, owner, owner_state, direction, partner_key, partner,
            partner_state, from_date, to_date, recorded_at
         FROM sharing_changes {rest}"
    ))?;
    let rows = statement
        .query_map(parameters, |row| {
            Ok(ListChange {
                id: row.get(0)?,
                kind: row.get(1)?,
                owner_key: row.get(2)?,
                owner: row.get(3)?,
                owner_state: row.get(4)?,
                direction: row.get(5)?,
                partner_key: row.get(6)?,
                partner: row.get(7)?,
                partner_state: row.get(8)?,
                from_date: row.get(9)?,
                to_date: row.get(10)?,
                recorded_at: row.get(11)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

impl crate::Sharing<'_> {
    /// Records the partners added or dropped between consecutive lists of each owner not yet
    /// recorded, and returns them (the edges must be fresh: see [`crate::Sharing::refresh`]).
    pub fn record_changes(&mut self, recorded_at: &str) -> Result<Vec<ListChange>, SharingError> {
        record(self.store, recorded_at)
    }

    /// The latest recorded list changes, newest list first.
    pub fn changes(&self, limit: usize) -> Result<Vec<ListChange>, SharingError> {
        latest(self.store.connection(), limit)
    }

    /// The recorded changes with ids after `after` up to `upto`, oldest list first.
    pub fn changes_between(&self, after: i64, upto: i64) -> Result<Vec<ListChange>, SharingError> {
        between(self.store.connection(), after, upto)
    }

    /// The id of the newest recorded change (0 when none) and how many are recorded.
    pub fn change_count(&self) -> Result<(i64, u64), SharingError> {
        if !recorded(self.store.connection())? {
            return Ok((0, 0));
        }
        let (newest, count): (i64, i64) = self.store.connection().query_row(
            "SELECT COALESCE(MAX(id), 0), COUNT(*) FROM sharing_changes",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok((newest, u64::try_from(count).unwrap_or(0)))
    }
}
