//! From snapshots to agencies and agreements with history.
//!
//! Identity: an agreement is a state, an agency and a support model. Rows name the agency by an
//! identity key (see `names.rs`); keys that the history shows to be one agency renamed are then
//! linked, under a strict rule (all must hold):
//!
//! 1. between two consecutive participating snapshots, one key disappears and the other appears,
//!    in the same state;
//! 2. the two keys are never listed in the same snapshot, of either kind;
//! 3. the disappearing key's listing and the appearing key's share a support model and a valid
//!    signing date (the agreement is the same document);
//! 4. the names are similar: one's words contain the other's, or a long name differs by at most
//!    two letters (a typo fixed).
//!
//! A transition that meets 1 to 3 but not 4 is reported as a `possible_rename` and not linked.
//! The derived tables are rebuilt in one transaction from the stored rows, so the result depends
//! only on which snapshots are in the store, never on the order they were imported in.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use remit_store::Store;
use remit_store::rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::day::{Day, Period, SnapshotTime};
use crate::error::RegistryError;
use crate::names::similar;
use crate::parse::SheetKind;

/// Links a registry agency to the agency directory (FBI ORI list).
pub trait Linker {
    /// A short description of the directory, recorded so that a changed directory triggers a
    /// refresh (e.g. `builtin sample (212 agencies)`).
    fn source(&self) -> String;
    /// The directory's match for an agency name in a state (two-letter code).
    fn link(&mut self, name: &str, state: &str) -> AgencyLink;
}

/// The directory's answer for one agency.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AgencyLink {
    /// The directory agency's FBI identifier (ORI); `None` when not linked.
    pub ori: Option<String>,
    /// The directory's name for the agency.
    pub name: Option<String>,
    /// How sure the link is, from 0 to 1 (0 when not linked).
    pub confidence: f32,
    /// Why the agency was linked or not, in plain words.
    pub reasons: Vec<String>,
}

/// A linker for when no directory is available: links nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoDirectory;

impl Linker for NoDirectory {
    fn source(&self) -> String {
        "none".to_string()
    }

    fn link(&mut self, _name: &str, _state: &str) -> AgencyLink {
        AgencyLink {
            reasons: vec!["no agency directory".to_string()],
            ..AgencyLink::default()
        }
    }
}

/// What a refresh built.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct RefreshReport {
    /// Snapshots the derived tables were built from.
    pub snapshots: u64,
    /// Agencies: one identity across spelling changes and linked renames.
    pub agencies: u64,
    /// Agreements: one per agency and support model.
    pub agreements: u64,
    /// Renames linked as one agency (a name gone and a similar one new, with the same agreement).
    pub renames_linked: u64,
    /// Names that may be a rename but were left apart (not similar, or ambiguous); each is a
    /// warning.
    pub possible_renames: u64,
    /// Agencies linked to a directory agency.
    pub agencies_linked: u64,
    /// `agencies_linked / agencies`.
    pub link_rate: f64,
    /// The directory the links come from, as the linker describes it (`none` without one).
    pub directory: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub id: i64,
    pub kind: SheetKind,
    pub time: SnapshotTime,
    pub source_name: String,
    pub source_path: String,
    pub layout: String,
}

/// Snapshots of one kind (or both), in time order; ties by folder and file name, then id.
pub(crate) fn load_snapshots(
    connection: &Connection,
    kind: Option<SheetKind>,
) -> Result<Vec<Snapshot>, RegistryError> {
    let mut statement = connection.prepare_cached(
        "SELECT s.id, s.kind, s.taken_day, s.taken_period, s.source_name, i.source_path, s.layout
         FROM registry_snapshots s JOIN imports i ON i.id = s.import_id
         WHERE ?1 IS NULL OR s.kind = ?1
         ORDER BY s.taken_day, s.period_rank, s.source_name, s.id",
    )?;
    let rows = statement.query_map([kind.map(SheetKind::as_str)], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, String>(5)?,
            row.get::<_, String>(6)?,
        ))
    })?;
    let mut snapshots = Vec::new();
    for row in rows {
        let (id, kind, day, period, source_name, source_path, layout) = row?;
        let (Some(kind), Some(day), Some(period)) = (
            SheetKind::from_str_opt(&kind),
            Day::parse_iso(&day),
            Period::from_str_opt(&period),
        ) else {
            continue;
        };
        snapshots.push(Snapshot {
            id,
            kind,
            time: SnapshotTime { day, period },
            source_name,
            source_path,
            layout,
        });
    }
    Ok(snapshots)
}

/// A fingerprint of the stored snapshots and the directory, to tell when to refresh.
fn fingerprint(connection: &Connection, directory: &str) -> Result<String, RegistryError> {
    let (count, max): (i64, i64) = connection.query_row(
        "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM registry_snapshots",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    Ok(format!(
        "snapshots {count} up to {max}; directory {directory}"
    ))
}

/// Whether the derived tables need a refresh for this directory.
pub fn is_stale(connection: &Connection, directory: &str) -> Result<bool, RegistryError> {
    let stored: Option<String> = connection
        .query_row(
            "SELECT value FROM registry_meta WHERE key = 'derived_from'",
            [],
            |row| row.get(0),
        )
        .optional()?;
    Ok(stored.as_deref() != Some(fingerprint(connection, directory)?.as_str()))
}

struct Row {
    id: i64,
    snapshot: usize,
    state: String,
    key: String,
    agency: String,
    model: String,
    signed: Option<String>,
    agency_type: Option<String>,
    county: Option<String>,
}

type Node = (String, String);

struct UnionFind {
    parent: HashMap<Node, Node>,
}

impl UnionFind {
    fn find(&mut self, node: &Node) -> Node {
        let mut current = node.clone();
        while let Some(parent) = self.parent.get(&current).filter(|p| **p != current) {
            current = parent.clone();
        }
        current
    }

    /// Links `newer` under `older`'s root.
    fn union(&mut self, older: &Node, newer: &Node) {
        let (root_old, root_new) = (self.find(older), self.find(newer));
        if root_old != root_new {
            self.parent.insert(root_new, root_old);
        }
    }
}

struct HistoryIssue {
    snapshot_id: Option<i64>,
    source_path: Option<String>,
    kind: &'static str,
    severity: &'static str,
    value: Option<String>,
    message: String,
}

/// Rebuilds agencies, agreements, listings, directory links and history issues from the stored
/// snapshots, in one transaction.
pub fn refresh(store: &mut Store, linker: &mut dyn Linker) -> Result<RefreshReport, RegistryError> {
    let directory = linker.source();
    let snapshots = load_snapshots(store.connection(), None)?;
    let position: HashMap<i64, usize> = snapshots
        .iter()
        .enumerate()
        .map(|(index, s)| (s.id, index))
        .collect();
    let rows = load_rows(store.connection(), &position)?;

    // Which nodes each snapshot lists, and with which (model, signed).
    let mut listed: Vec<HashMap<Node, Vec<usize>>> = vec![HashMap::new(); snapshots.len()];
    for (index, row) in rows.iter().enumerate() {
        listed[row.snapshot]
            .entry((row.state.clone(), row.key.clone()))
            .or_default()
            .push(index);
    }
    let mut together: HashMap<Node, HashSet<usize>> = HashMap::new();
    for (snapshot, nodes) in listed.iter().enumerate() {
        for node in nodes.keys() {
            together.entry(node.clone()).or_default().insert(snapshot);
        }
    }

    let mut union = UnionFind {
        parent: HashMap::new(),
    };
    let mut issues = Vec::new();
    let mut rename_evidence: HashMap<Node, String> = HashMap::new();
    let participating: Vec<usize> = (0..snapshots.len())
        .filter(|i| snapshots[*i].kind == SheetKind::Participating)
        .collect();
    let mut renames_linked = 0;
    let mut possible_renames = 0;
    for pair in participating.windows(2) {
        let (before, after) = (pair[0], pair[1]);
        let vanished: BTreeSet<&Node> = listed[before]
            .keys()
            .filter(|n| !listed[after].contains_key(*n))
            .collect();
        let appeared: BTreeSet<&Node> = listed[after]
            .keys()
            .filter(|n| !listed[before].contains_key(*n))
            .collect();
        let mut candidates: Vec<(&Node, &Node, bool, String)> = Vec::new();
        for old in &vanished {
            for new in appeared.iter().filter(|n| n.0 == old.0) {
                let never_together = together[*old].is_disjoint(&together[*new]);
                let shared = shared_agreement(&rows, &listed[before][*old], &listed[after][*new]);
                if let (true, Some((model, signed))) = (never_together, shared) {
                    let evidence = format!(
                        "`{}` last listed {}, `{}` first listed {}: same state, same {} agreement signed {}",
                        rows[listed[before][*old][0]].agency,
                        snapshots[before].time,
                        rows[listed[after][*new][0]].agency,
                        snapshots[after].time,
                        crate::vocab::model_label(&model),
                        signed
                    );
                    candidates.push((old, new, similar(&old.1, &new.1), evidence));
                }
            }
        }
        for (old, new, is_similar, evidence) in &candidates {
            // A name that could be renamed to (or from) two others is ambiguous: left unlinked.
            let unique = candidates.iter().filter(|c| c.0 == *old && c.2).count() == 1
                && candidates.iter().filter(|c| c.1 == *new && c.2).count() == 1;
            if *is_similar && unique {
                union.union(old, new);
                rename_evidence.insert((*new).clone(), evidence.clone());
                renames_linked += 1;
                issues.push(HistoryIssue {
                    snapshot_id: Some(snapshots[after].id),
                    source_path: Some(snapshots[after].source_path.clone()),
                    kind: "agency_renamed",
                    severity: "note",
                    value: Some(rows[listed[after][*new][0]].agency.clone()),
                    message: format!("linked as one agency renamed: {evidence}"),
                });
            } else {
                possible_renames += 1;
                issues.push(HistoryIssue {
                    snapshot_id: Some(snapshots[after].id),
                    source_path: Some(snapshots[after].source_path.clone()),
                    kind: "possible_rename",
                    severity: "warning",
                    value: Some(rows[listed[after][*new][0]].agency.clone()),
                    message: format!(
                        "not linked ({}): {evidence}",
                        if *is_similar {
                            "ambiguous"
                        } else {
                            "names not similar"
                        }
                    ),
                });
            }
        }
    }
    issues.extend(layout_and_time_issues(&snapshots));

    // Agencies: one per union-find root, named as in their latest listing.
    let mut groups: BTreeMap<Node, Vec<usize>> = BTreeMap::new();
    for (index, row) in rows.iter().enumerate() {
        let root = union.find(&(row.state.clone(), row.key.clone()));
        groups.entry(root).or_default().push(index);
    }

    let report = store.transaction(|transaction| -> Result<RefreshReport, RegistryError> {
        transaction.execute_batch(
            "DELETE FROM registry_listings;
             DELETE FROM registry_agreements;
             DELETE FROM registry_agency_names;
             DELETE FROM registry_agencies;
             DELETE FROM registry_issues WHERE origin = 'history';",
        )?;
        let mut insert_agency = transaction.prepare_cached(
            "INSERT INTO registry_agencies (state, name, agency_type, county, ori, directory_name,
                link_confidence, link_reasons) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut insert_name = transaction.prepare_cached(
            "INSERT INTO registry_agency_names (agency_id, key, name, first_seen, last_seen, link,
                evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut insert_agreement = transaction.prepare_cached(
            "INSERT INTO registry_agreements (agency_id, state, model, signed, first_seen,
                last_seen, first_active, last_active, first_pending, last_pending, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        let mut insert_listing = transaction.prepare_cached(
            "INSERT OR IGNORE INTO registry_listings (snapshot_id, agreement_id, row_id)
             VALUES (?1, ?2, ?3)",
        )?;
        let latest_participating = participating.last().copied();
        let latest_pending = (0..snapshots.len())
            .rev()
            .find(|i| snapshots[*i].kind == SheetKind::Pending);

        let mut agreements = 0u64;
        let mut linked = 0u64;
        for (root, members) in &groups {
            // Rows in time order, so the last is the latest listing.
            let mut members = members.clone();
            members.sort_by_key(|i| (rows[*i].snapshot, rows[*i].id));
            let Some(latest) = members.last().map(|i| &rows[*i]) else {
                continue;
            };
            let mut link = linker.link(&latest.agency, &root.0);
            if link.ori.is_none() {
                // An older name may be the one the directory knows.
                let mut older: Vec<&str> =
                    members.iter().map(|i| rows[*i].agency.as_str()).collect();
                older.dedup();
                for name in older.iter().rev().filter(|n| **n != latest.agency) {
                    let candidate = linker.link(name, &root.0);
                    if candidate.ori.is_some() {
                        link = candidate;
                        break;
                    }
                }
            }
            if link.ori.is_some() {
                linked += 1;
            }
            let reasons = serde_json::to_string(&link.reasons).unwrap_or_default();
            insert_agency.execute(params![
                root.0,
                latest.agency,
                latest.agency_type,
                latest.county,
                link.ori,
                link.name,
                f64::from(link.confidence),
                reasons,
            ])?;
            let agency_id = transaction.last_insert_rowid();

            // Names: each (key, name) with its first and last listing.
            let mut names: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
            for index in &members {
                let row = &rows[*index];
                let entry = names
                    .entry((row.key.clone(), row.agency.clone()))
                    .or_insert((row.snapshot, row.snapshot));
                entry.0 = entry.0.min(row.snapshot);
                entry.1 = entry.1.max(row.snapshot);
            }
            for ((key, name), (first, last)) in &names {
                let node = (root.0.clone(), key.clone());
                let (link_kind, evidence) = match rename_evidence.get(&node) {
                    Some(evidence) if *key != root.1 => ("renamed", Some(evidence.clone())),
                    _ => ("first", None),
                };
                insert_name.execute(params![
                    agency_id,
                    key,
                    name,
                    snapshots[*first].time.to_string(),
                    snapshots[*last].time.to_string(),
                    link_kind,
                    evidence,
                ])?;
            }

            // Agreements: one per model.
            let mut by_model: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for index in &members {
                by_model
                    .entry(rows[*index].model.as_str())
                    .or_default()
                    .push(*index);
            }
            for (model, listing_rows) in by_model {
                let times = |kind: SheetKind| {
                    let mut of_kind = listing_rows
                        .iter()
                        .map(|i| rows[*i].snapshot)
                        .filter(|s| snapshots[*s].kind == kind);
                    let first = of_kind.next();
                    let last = of_kind.next_back().or(first);
                    (first, last)
                };
                let (first_active, last_active) = times(SheetKind::Participating);
                let (first_pending, last_pending) = times(SheetKind::Pending);
                let first_seen = listing_rows.iter().map(|i| rows[*i].snapshot).min();
                let last_seen = listing_rows.iter().map(|i| rows[*i].snapshot).max();
                let (Some(first_seen), Some(last_seen)) = (first_seen, last_seen) else {
                    continue;
                };
                let signed = listing_rows
                    .iter()
                    .rev()
                    .filter(|i| snapshots[rows[**i].snapshot].kind == SheetKind::Participating)
                    .find_map(|i| rows[*i].signed.clone());
                let status =
                    if latest_participating.is_some() && last_active == latest_participating {
                        "active"
                    } else if latest_pending.is_some() && last_pending == latest_pending {
                        "pending"
                    } else {
                        "removed"
                    };
                let time = |index: Option<usize>| index.map(|i| snapshots[i].time.to_string());
                insert_agreement.execute(params![
                    agency_id,
                    root.0,
                    model,
                    signed,
                    snapshots[first_seen].time.to_string(),
                    snapshots[last_seen].time.to_string(),
                    time(first_active),
                    time(last_active),
                    time(first_pending),
                    time(last_pending),
                    status,
                ])?;
                let agreement_id = transaction.last_insert_rowid();
                agreements += 1;
                for index in listing_rows {
                    let row = &rows[index];
                    insert_listing.execute(params![
                        snapshots[row.snapshot].id,
                        agreement_id,
                        row.id
                    ])?;
                }
            }
        }

        let mut insert_issue = transaction.prepare_cached(
            "INSERT INTO registry_issues (origin, snapshot_id, source_path, kind, severity, value,
                message) VALUES ('history', ?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for issue in &issues {
            insert_issue.execute(params![
                issue.snapshot_id,
                issue.source_path,
                issue.kind,
                issue.severity,
                issue.value,
                issue.message,
            ])?;
        }
        // The agreements index links to agencies by id: rebuilt with them.
        crate::moa::relink(transaction, linker)?;
        transaction.execute(
            "INSERT OR REPLACE INTO registry_meta (key, value) VALUES ('derived_from', ?1)",
            [fingerprint(transaction, &directory)?],
        )?;
        let agencies = groups.len() as u64;
        Ok(RefreshReport {
            snapshots: snapshots.len() as u64,
            agencies,
            agreements,
            renames_linked,
            possible_renames,
            agencies_linked: linked,
            link_rate: if agencies == 0 {
                0.0
            } else {
                linked as f64 / agencies as f64
            },
            directory: directory.clone(),
        })
    })?;
    Ok(report)
}

fn load_rows(
    connection: &Connection,
    position: &HashMap<i64, usize>,
) -> Result<Vec<Row>, RegistryError> {
    let mut statement = connection.prepare(
        "SELECT id, snapshot_id, state, agency_key, agency, model, signed, agency_type, county
         FROM registry_rows WHERE counted = 1 ORDER BY snapshot_id, row",
    )?;
    let mut rows = Vec::new();
    let mut query = statement.query([])?;
    while let Some(row) = query.next()? {
        let snapshot_id: i64 = row.get(1)?;
        let Some(snapshot) = position.get(&snapshot_id).copied() else {
            continue;
        };
        rows.push(Row {
            id: row.get(0)?,
            snapshot,
            state: row.get(2)?,
            key: row.get(3)?,
            agency: row.get(4)?,
            model: row.get(5)?,
            signed: row.get(6)?,
            agency_type: row.get(7)?,
            county: row.get(8)?,
        });
    }
    Ok(rows)
}

/// A (model, signed date) listed by both sets of rows, if any.
fn shared_agreement(rows: &[Row], before: &[usize], after: &[usize]) -> Option<(String, String)> {
    before.iter().find_map(|b| {
        let (model, signed) = (&rows[*b].model, rows[*b].signed.as_ref()?);
        after
            .iter()
            .any(|a| rows[*a].model == *model && rows[*a].signed.as_ref() == Some(signed))
            .then(|| (model.clone(), signed.clone()))
    })
}

/// Header changes between consecutive snapshots of a kind, and different sheets dated alike.
fn layout_and_time_issues(snapshots: &[Snapshot]) -> Vec<HistoryIssue> {
    let mut issues = Vec::new();
    for kind in [SheetKind::Participating, SheetKind::Pending] {
        let of_kind: Vec<&Snapshot> = snapshots.iter().filter(|s| s.kind == kind).collect();
        for pair in of_kind.windows(2) {
            let (before, after) = (pair[0], pair[1]);
            if before.layout != after.layout {
                let old: Vec<&str> = before.layout.split('|').collect();
                let new: Vec<&str> = after.layout.split('|').collect();
                let added: Vec<String> = new
                    .iter()
                    .filter(|c| !old.contains(c))
                    .map(|c| format!("`{c}`"))
                    .collect();
                let removed: Vec<String> = old
                    .iter()
                    .filter(|c| !new.contains(c))
                    .map(|c| format!("`{c}`"))
                    .collect();
                let mut changes = Vec::new();
                if !added.is_empty() {
                    changes.push(format!("added {}", added.join(", ")));
                }
                if !removed.is_empty() {
                    changes.push(format!("removed {}", removed.join(", ")));
                }
                if changes.is_empty() {
                    changes.push("columns reordered".to_string());
                }
                issues.push(HistoryIssue {
                    snapshot_id: Some(after.id),
                    source_path: Some(after.source_path.clone()),
                    kind: "header_changed",
                    severity: "note",
                    value: Some(after.layout.clone()),
                    message: format!(
                        "the {} sheet's header changed at {} ({}); both versions are read",
                        kind.as_str(),
                        after.time,
                        changes.join("; ")
                    ),
                });
            }
            if before.time == after.time {
                issues.push(HistoryIssue {
                    snapshot_id: Some(after.id),
                    source_path: Some(after.source_path.clone()),
                    kind: "same_snapshot_time",
                    severity: "warning",
                    value: Some(after.time.to_string()),
                    message: format!(
                        "two different {} sheets are dated {}: `{}` and `{}`; the second (by folder and file name) counts as the later",
                        kind.as_str(),
                        after.time,
                        before.source_name,
                        after.source_name
                    ),
                });
            }
        }
    }
    issues
}
