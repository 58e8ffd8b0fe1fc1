//! Questions a researcher asks of the registry: counts as of a date, what changed between two
//! dates, one agency's history, rates per state, the data-quality report, and exports.
//!
//! "As of a date" means the latest snapshot taken on or before that day (both halves of it).
//! Counts come from the participating sheet as of the date; `pending` from the pending sheet as
//! of the date, leaving out agreements the participating sheet already lists.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use remit_store::rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::day::{Day, Period, SnapshotTime};
use crate::error::RegistryError;
use crate::history::load_snapshots;
use crate::names::agency_key;
use crate::parse::SheetKind;

/// A snapshot, as queries name it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SnapshotRef {
    #[serde(skip)]
    /// The snapshot's row id in the store (not serialised).
    pub id: i64,
    /// Which sheet: participating or pending.
    pub kind: SheetKind,
    /// When ICE published the sheet: a day and, when the file name says, its half.
    pub taken: SnapshotTime,
    /// The imported file's path, as recorded at import.
    pub file: String,
    /// Non-empty data rows in the sheet.
    pub rows: u64,
}

/// The latest snapshot of `kind` taken on or before `as_of` (the latest of all when `None`).
pub fn snapshot_as_of(
    connection: &Connection,
    kind: SheetKind,
    as_of: Option<Day>,
) -> Result<Option<SnapshotRef>, RegistryError> {
    let limit = as_of.map_or_else(|| "9999-12-31".to_string(), |d| d.to_string());
    let found = connection
        .query_row(
            "SELECT s.id, s.taken_day, s.taken_period, i.source_path, s.rows
             FROM registry_snapshots s JOIN imports i ON i.id = s.import_id
             WHERE s.kind = ?1 AND s.taken_day <= ?2
             ORDER BY s.taken_day DESC, s.period_rank DESC, s.source_name DESC, s.id DESC
             LIMIT 1",
            params![kind.as_str(), limit],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, i64>(4)?,
                ))
            },
        )
        .optional()?;
    Ok(found.and_then(|(id, day, period, file, rows)| {
        Some(SnapshotRef {
            id,
            kind,
            taken: SnapshotTime {
                day: Day::parse_iso(&day)?,
                period: Period::from_str_opt(&period)?,
            },
            file,
            rows: u64::try_from(rows).unwrap_or(0),
        })
    }))
}

/// Like [`snapshot_as_of`], but an error naming the earliest snapshot when there is none.
pub fn require_snapshot(
    connection: &Connection,
    kind: SheetKind,
    as_of: Option<Day>,
) -> Result<SnapshotRef, RegistryError> {
    if let Some(snapshot) = snapshot_as_of(connection, kind, as_of)? {
        return Ok(snapshot);
    }
    let earliest = load_snapshots(connection, Some(kind))?
        .first()
        .map(|s| s.time.to_string());
    match as_of {
        None => Err(RegistryError::Empty),
        Some(date) => Err(RegistryError::NoSnapshot {
            kind: kind.as_str(),
            date: date.to_string(),
            earliest,
        }),
    }
}

/// Filters shared by the queries.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Two-letter code.
    pub state: Option<String>,
    /// Model slug.
    pub model: Option<String>,
}

impl Filter {
    fn matches(&self, state: &str, model: &str) -> bool {
        self.state.as_deref().is_none_or(|s| s == state)
            && self.model.as_deref().is_none_or(|m| m == model)
    }
}

/// One agreement as listed in a snapshot.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AgreementRow {
    #[serde(skip)]
    /// The agreement's row id in the store (not serialised).
    pub id: i64,
    #[serde(skip)]
    /// The agency's row id in the store (not serialised).
    pub agency_id: i64,
    /// Two-letter state code.
    pub state: String,
    /// The agency's name (the latest it was listed under).
    pub agency: String,
    /// The agency type this snapshot's row gives (`county`, `municipality`, `state_agency`), if
    /// any.
    pub agency_type: Option<String>,
    /// The county the sheet gives, if any.
    pub county: Option<String>,
    /// The support model's code (see [`crate::MODELS`]).
    pub model: String,
    /// The signing date the latest participating sheet listing it gives (`YYYY-MM-DD`), if
    /// any.
    pub signed: Option<String>,
    /// The first snapshot, of either kind, that lists the agreement.
    pub first_seen: String,
    /// The last snapshot, of either kind, that lists the agreement.
    pub last_seen: String,
    /// As of the latest snapshots in the store.
    pub status: String,
    /// The agency's FBI identifier (ORI) when linked to the directory; `None` when not linked.
    pub ori: Option<String>,
}

const AGREEMENT_COLUMNS: &str = "a.id, a.agency_id, a.state, g.name, r.agency_type, r.county,
    a.model, a.signed, a.first_seen, a.last_seen, a.status, g.ori";

fn read_agreement(
    row: &remit_store::rusqlite::Row<'_>,
) -> remit_store::rusqlite::Result<AgreementRow> {
    Ok(AgreementRow {
        id: row.get(0)?,
        agency_id: row.get(1)?,
        state: row.get(2)?,
        agency: row.get(3)?,
        agency_type: row.get(4)?,
        county: row.get(5)?,
        model: row.get(6)?,
        signed: row.get(7)?,
        first_seen: row.get(8)?,
        last_seen: row.get(9)?,
        status: row.get(10)?,
        ori: row.get(11)?,
    })
}

/// The agreements a snapshot lists, with the agency's type and county as that sheet gave them.
pub fn listed_in(
    connection: &Connection,
    snapshot_id: i64,
    filter: &Filter,
) -> Result<Vec<AgreementRow>, RegistryError> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {AGREEMENT_COLUMNS}
         FROM registry_listings l
         JOIN registry_agreements a ON a.id = l.agreement_id
         JOIN registry_agencies g ON g.id = a.agency_id
         JOIN registry_rows r ON r.id = l.row_id
         WHERE l.snapshot_id = ?1
         ORDER BY a.state, g.name, a.model"
    ))?;
    let rows = statement
        .query_map([snapshot_id], read_agreement)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .filter(|a| filter.matches(&a.state, &a.model))
        .collect())
}

/// The ids of the agreements `rows` lists.
fn agreement_ids(rows: &[AgreementRow]) -> BTreeSet<i64> {
    rows.iter().map(|a| a.id).collect()
}

/// How many distinct agencies `rows` lists.
fn distinct_agencies(rows: &[AgreementRow]) -> u64 {
    rows.iter()
        .map(|a| a.agency_id)
        .collect::<BTreeSet<_>>()
        .len() as u64
}

/// The ids of the agreements the latest snapshot of `kind` on or before `date` lists (none when
/// there is no such snapshot).
fn listed_ids_as_of(
    connection: &Connection,
    kind: SheetKind,
    date: Day,
    filter: &Filter,
) -> Result<BTreeSet<i64>, RegistryError> {
    Ok(match snapshot_as_of(connection, kind, Some(date))? {
        Some(snapshot) => agreement_ids(&listed_in(connection, snapshot.id, filter)?),
        None => BTreeSet::new(),
    })
}

/// Agreements per value of `key`.
fn count_by(rows: &[AgreementRow], key: fn(&AgreementRow) -> &String) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for row in rows {
        *counts.entry(key(row).clone()).or_default() += 1;
    }
    counts
}

/// `remit registry stats`.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// The date asked about (`null`: the latest snapshots).
    pub as_of: Option<Day>,
    /// The participating snapshot the counts come from.
    pub snapshot: SnapshotRef,
    /// The state and model filters applied.
    pub filter: FilterEcho,
    /// Agreements listed on the participating snapshot.
    pub agreements: u64,
    /// Distinct agencies among those agreements.
    pub agencies: u64,
    /// Agreements per support model code.
    pub by_model: BTreeMap<String, u64>,
    /// Agreements per two-letter state code.
    pub by_state: BTreeMap<String, u64>,
    /// Agreements per agency type (`unknown` when the sheet gives none).
    pub by_type: BTreeMap<String, u64>,
    /// Agreements on the pending sheet as of the date and not yet on the participating sheet.
    pub pending: u64,
    /// Distinct agencies among the pending agreements.
    pub pending_agencies: u64,
    /// The pending snapshot used (`None` when no pending sheet is imported for the date).
    pub pending_snapshot: Option<SnapshotRef>,
    /// Pending agreements per support model code.
    pub pending_by_model: BTreeMap<String, u64>,
    /// Per state, agreements by model.
    pub by_state_and_model: BTreeMap<String, BTreeMap<String, u64>>,
    /// Per agency type, agreements by model.
    pub by_type_and_model: BTreeMap<String, BTreeMap<String, u64>>,
}

/// The filters, as echoed in JSON.
#[derive(Debug, Clone, Serialize, Default)]
pub struct FilterEcho {
    /// Two-letter state code asked for (`None`: every state).
    pub state: Option<String>,
    /// Support model code asked for (`None`: every model).
    pub model: Option<String>,
}

impl From<&Filter> for FilterEcho {
    fn from(filter: &Filter) -> FilterEcho {
        FilterEcho {
            state: filter.state.clone(),
            model: filter.model.clone(),
        }
    }
}

pub fn stats(
    connection: &Connection,
    as_of: Option<Day>,
    filter: &Filter,
) -> Result<Stats, RegistryError> {
    let snapshot = require_snapshot(connection, SheetKind::Participating, as_of)?;
    let listed = listed_in(connection, snapshot.id, filter)?;
    let mut stats = Stats {
        as_of,
        snapshot,
        filter: filter.into(),
        agreements: listed.len() as u64,
        agencies: distinct_agencies(&listed),
        by_model: count_by(&listed, |a| &a.model),
        by_state: count_by(&listed, |a| &a.state),
        by_type: BTreeMap::new(),
        pending: 0,
        pending_agencies: 0,
        pending_snapshot: None,
        pending_by_model: BTreeMap::new(),
        by_state_and_model: BTreeMap::new(),
        by_type_and_model: BTreeMap::new(),
    };
    for agreement in &listed {
        let agency_type = agreement
            .agency_type
            .clone()
            .unwrap_or_else(|| "unknown".into());
        *stats.by_type.entry(agency_type.clone()).or_default() += 1;
        *stats
            .by_state_and_model
            .entry(agreement.state.clone())
            .or_default()
            .entry(agreement.model.clone())
            .or_default() += 1;
        *stats
            .by_type_and_model
            .entry(agency_type)
            .or_default()
            .entry(agreement.model.clone())
            .or_default() += 1;
    }
    if let Some(pending_snapshot) = snapshot_as_of(connection, SheetKind::Pending, as_of)? {
        let active = agreement_ids(&listed);
        let pending: Vec<AgreementRow> = listed_in(connection, pending_snapshot.id, filter)?
            .into_iter()
            .filter(|a| !active.contains(&a.id))
            .collect();
        stats.pending = pending.len() as u64;
        stats.pending_agencies = distinct_agencies(&pending);
        stats.pending_by_model = count_by(&pending, |a| &a.model);
        stats.pending_snapshot = Some(pending_snapshot);
    }
    Ok(stats)
}

/// `remit registry diff`.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// The participating snapshot as of the earlier date.
    pub from: SnapshotRef,
    /// The participating snapshot as of the later date.
    pub to: SnapshotRef,
    /// The state and model filters applied.
    pub filter: FilterEcho,
    /// Agreements listed on the earlier snapshot.
    pub from_agreements: u64,
    /// Agreements listed on the later snapshot.
    pub to_agreements: u64,
    /// Agreements listed on the later snapshot and not on the earlier one.
    pub added: Vec<AgreementRow>,
    /// Agreements listed on the earlier snapshot and not on the later one.
    pub removed: Vec<AgreementRow>,
    /// Added agreements per support model code.
    pub added_by_model: BTreeMap<String, u64>,
    /// Removed agreements per support model code.
    pub removed_by_model: BTreeMap<String, u64>,
    /// Added agreements per two-letter state code.
    pub added_by_state: BTreeMap<String, u64>,
    /// Removed agreements per two-letter state code.
    pub removed_by_state: BTreeMap<String, u64>,
}

/// Agreements on the participating sheet as of `to` and not as of `from` (added), and the
/// reverse (removed).
pub fn diff(
    connection: &Connection,
    from: Day,
    to: Day,
    filter: &Filter,
) -> Result<Diff, RegistryError> {
    let from_snapshot = require_snapshot(connection, SheetKind::Participating, Some(from))?;
    let to_snapshot = require_snapshot(connection, SheetKind::Participating, Some(to))?;
    let before = listed_in(connection, from_snapshot.id, filter)?;
    let after = listed_in(connection, to_snapshot.id, filter)?;
    let before_ids = agreement_ids(&before);
    let after_ids = agreement_ids(&after);
    let from_agreements = before.len() as u64;
    let to_agreements = after.len() as u64;
    let added: Vec<AgreementRow> = after
        .into_iter()
        .filter(|a| !before_ids.contains(&a.id))
        .collect();
    let removed: Vec<AgreementRow> = before
        .into_iter()
        .filter(|a| !after_ids.contains(&a.id))
        .collect();
    Ok(Diff {
        added_by_model: count_by(&added, |a| &a.model),
        removed_by_model: count_by(&removed, |a| &a.model),
        added_by_state: count_by(&added, |a| &a.state),
        removed_by_state: count_by(&removed, |a| &a.state),
        from: from_snapshot,
        to: to_snapshot,
        filter: filter.into(),
        from_agreements,
        to_agreements,
        added,
        removed,
    })
}

/// `remit registry agency`: one agency's names, directory link and agreements over time.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyHistory {
    /// Two-letter state code.
    pub state: String,
    /// The agency's latest listed name.
    pub name: String,
    /// The agency type (`county`, `municipality`, `state_agency`), when the sheets give one.
    pub agency_type: Option<String>,
    /// The county the sheets give, if any.
    pub county: Option<String>,
    /// The FBI identifier (ORI) of the linked directory agency; `None` when not linked.
    pub ori: Option<String>,
    /// The linked directory agency's name; `None` when not linked.
    pub directory_name: Option<String>,
    /// How sure the directory link is, from 0 to 1; `None` when not linked.
    pub link_confidence: Option<f64>,
    /// Why the directory link was made, in plain words.
    pub link_reasons: Vec<String>,
    /// Every name the agency was listed under, oldest first.
    pub names: Vec<AgencyName>,
    /// The agency's agreements, one per support model.
    pub agreements: Vec<AgreementHistory>,
    /// MOA documents posted for the agency, from the agreements index (a second source: posted
    /// by a date, not listed in a sheet).
    pub moa_documents: Vec<crate::moa::MoaDocument>,
}

/// One name an agency was listed under, with the snapshots that used it.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyName {
    /// The name as the sheet spelled it.
    pub name: String,
    /// The first snapshot listing the agency under this name.
    pub first_seen: String,
    /// The last snapshot listing the agency under this name.
    pub last_seen: String,
    /// `first` or `renamed`.
    pub link: String,
    /// Why a renamed name was taken as the same agency (`None` for a name with the agency's
    /// first identity key).
    pub evidence: Option<String>,
}

/// One of an agency's agreements (one support model) over time.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementHistory {
    /// The support model's code.
    pub model: String,
    /// The signing date the latest participating sheet gives (`YYYY-MM-DD`), if any.
    pub signed: Option<String>,
    /// As of the latest snapshots: `active`, `pending` or `removed`.
    pub status: String,
    /// The first snapshot, of either kind, listing the agreement.
    pub first_seen: String,
    /// The last snapshot, of either kind, listing the agreement.
    pub last_seen: String,
    /// The first participating snapshot listing it (`None`: never participating).
    pub first_active: Option<String>,
    /// The last participating snapshot listing it (`None`: never participating).
    pub last_active: Option<String>,
    /// The first pending snapshot listing it (`None`: never pending).
    pub first_pending: Option<String>,
    /// The last pending snapshot listing it (`None`: never pending).
    pub last_pending: Option<String>,
    /// Runs of consecutive snapshots with one status.
    pub periods: Vec<StatusPeriod>,
}

/// A run of consecutive snapshots of one kind listing the agreement, or the removal after it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StatusPeriod {
    /// `active`, `pending` or `removed`.
    pub status: &'static str,
    /// The run's first snapshot (for `removed`: the first snapshot no longer listing it).
    pub from: String,
    /// Last snapshot of the run (`null` for `removed`: until the latest snapshot).
    pub to: Option<String>,
    /// Snapshots in the run.
    pub snapshots: u64,
}

/// Agencies whose names match `query` (exact identity key first; else every agency with a name
/// containing the query's words), optionally in one state.
pub fn agency_history(
    connection: &Connection,
    query: &str,
    state: Option<&str>,
) -> Result<Vec<AgencyHistory>, RegistryError> {
    let key = agency_key(query, state);
    let mut statement = connection.prepare(
        "SELECT DISTINCT n.agency_id, n.key FROM registry_agency_names n
         JOIN registry_agencies g ON g.id = n.agency_id
         WHERE ?1 IS NULL OR g.state = ?1",
    )?;
    let candidates: Vec<(i64, String)> = statement
        .query_map([state], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let exact: BTreeSet<i64> = candidates
        .iter()
        .filter(|(_, k)| *k == key)
        .map(|(id, _)| *id)
        .collect();
    let ids = if exact.is_empty() {
        let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        candidates
            .iter()
            .filter(|(_, k)| {
                let have: Vec<&str> = k.split(' ').collect();
                !words.is_empty() && words.iter().all(|w| have.contains(w))
            })
            .map(|(id, _)| *id)
            .collect()
    } else {
        exact
    };
    if ids.is_empty() {
        return Err(RegistryError::NoAgency {
            name: query.to_string(),
        });
    }
    let snapshots = load_snapshots(connection, None)?;
    let mut histories = Vec::new();
    for id in ids {
        histories.push(one_agency(connection, id, &snapshots)?);
    }
    histories.sort_by(|a, b| (&a.state, &a.name).cmp(&(&b.state, &b.name)));
    Ok(histories)
}

fn one_agency(
    connection: &Connection,
    id: i64,
    snapshots: &[crate::history::Snapshot],
) -> Result<AgencyHistory, RegistryError> {
    let mut history = connection.query_row(
        "SELECT state, name, agency_type, county, ori, directory_name, link_confidence, link_reasons
         FROM registry_agencies WHERE id = ?1",
        [id],
        |row| {
            Ok(AgencyHistory {
                state: row.get(0)?,
                name: row.get(1)?,
                agency_type: row.get(2)?,
                county: row.get(3)?,
                ori: row.get(4)?,
                directory_name: row.get(5)?,
                link_confidence: row.get(6)?,
                link_reasons: row
                    .get::<_, Option<String>>(7)?
                    .and_then(|r| serde_json::from_str(&r).ok())
                    .unwrap_or_default(),
                names: Vec::new(),
                agreements: Vec::new(),
                moa_documents: Vec::new(),
            })
        },
    )?;
    history.moa_documents = crate::moa::documents_of(connection, id)?;
    let mut statement = connection.prepare_cached(
        "SELECT name, first_seen, last_seen, link, evidence FROM registry_agency_names
         WHERE agency_id = ?1",
    )?;
    let mut names: Vec<AgencyName> = statement
        .query_map([id], |row| {
            Ok(AgencyName {
                name: row.get(0)?,
                first_seen: row.get(1)?,
                last_seen: row.get(2)?,
                link: row.get(3)?,
                evidence: row.get(4)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let order: HashMap<String, usize> = snapshots
        .iter()
        .enumerate()
        .map(|(i, s)| (s.time.to_string(), i))
        .rev()
        .collect();
    names.sort_by_key(|n| order.get(&n.first_seen).copied());
    // Two spellings with one key (a curly apostrophe) are one line in the names list.
    names.dedup_by(|b, a| a.name == b.name);

    let mut statement = connection.prepare_cached(
        "SELECT id, model, signed, status, first_seen, last_seen, first_active, last_active,
            first_pending, last_pending
         FROM registry_agreements WHERE agency_id = ?1 ORDER BY model",
    )?;
    let rows: Vec<(i64, AgreementHistory)> = statement
        .query_map([id], |row| {
            Ok((
                row.get(0)?,
                AgreementHistory {
                    model: row.get(1)?,
                    signed: row.get(2)?,
                    status: row.get(3)?,
                    first_seen: row.get(4)?,
                    last_seen: row.get(5)?,
                    first_active: row.get(6)?,
                    last_active: row.get(7)?,
                    first_pending: row.get(8)?,
                    last_pending: row.get(9)?,
                    periods: Vec::new(),
                },
            ))
        })?
        .collect::<Result<_, _>>()?;
    let mut listed_statement = connection
        .prepare_cached("SELECT snapshot_id FROM registry_listings WHERE agreement_id = ?1")?;
    let mut agreements = Vec::new();
    for (agreement_id, mut history) in rows {
        let listed: BTreeSet<i64> = listed_statement
            .query_map([agreement_id], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        history.periods = periods(snapshots, &listed, &history.status);
        agreements.push(history);
    }
    history.names = names;
    history.agreements = agreements;
    Ok(history)
}

/// Runs of consecutive snapshots (per kind) listing an agreement, in time order, and the
/// removal after the last run when the agreement is no longer listed.
fn periods(
    snapshots: &[crate::history::Snapshot],
    listed: &BTreeSet<i64>,
    status: &str,
) -> Vec<StatusPeriod> {
    let mut periods = Vec::new();
    let mut removed_from: Option<(usize, SnapshotTime)> = None;
    for kind in [SheetKind::Pending, SheetKind::Participating] {
        let timeline: Vec<&crate::history::Snapshot> =
            snapshots.iter().filter(|s| s.kind == kind).collect();
        let mut run: Option<(usize, usize)> = None;
        let close = |run: &mut Option<(usize, usize)>, periods: &mut Vec<(usize, StatusPeriod)>| {
            if let Some((start, end)) = run.take() {
                periods.push((
                    start,
                    StatusPeriod {
                        status: if kind == SheetKind::Participating {
                            "active"
                        } else {
                            "pending"
                        },
                        from: timeline[start].time.to_string(),
                        to: Some(timeline[end].time.to_string()),
                        snapshots: (end - start + 1) as u64,
                    },
                ));
            }
        };
        for (index, snapshot) in timeline.iter().enumerate() {
            if listed.contains(&snapshot.id) {
                run = Some(run.map_or((index, index), |(start, _)| (start, index)));
            } else {
                close(&mut run, &mut periods);
            }
        }
        close(&mut run, &mut periods);
        // Where the agreement was last listed of this kind, the next snapshot of the kind is
        // the first without it.
        if let Some(last) = timeline.iter().rposition(|s| listed.contains(&s.id)) {
            if let Some(next) = timeline.get(last + 1) {
                let global = snapshots.iter().position(|s| s.id == next.id).unwrap_or(0);
                if removed_from.is_none_or(|(g, _)| global > g) {
                    removed_from = Some((global, next.time));
                }
            }
        }
    }
    // Order by time: map each period's start to its global position.
    let mut ordered: Vec<(SnapshotTime, StatusPeriod)> = periods
        .into_iter()
        .filter_map(|(_, p)| {
            let time = SnapshotTime::parse(&p.from)?;
            Some((time, p))
        })
        .collect();
    ordered.sort_by_key(|(time, _)| *time);
    let mut result: Vec<StatusPeriod> = ordered.into_iter().map(|(_, p)| p).collect();
    if status == "removed" {
        if let Some((_, time)) = removed_from {
            result.push(StatusPeriod {
                status: "removed",
                from: time.to_string(),
                to: None,
                snapshots: 0,
            });
        }
    }
    result
}

/// The FBI directory's figures for one state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StateFigures {
    /// Law-enforcement agencies the directory lists in the state.
    pub agencies: u64,
    /// Sum of the population the directory's agencies serve (the FBI's coverage counts each
    /// resident once, under the primary agency).
    pub population: u64,
}

/// One state in `remit registry rates`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RateRow {
    /// Two-letter state code.
    pub state: String,
    /// Distinct agencies in the state with an agreement on the snapshot.
    pub agencies_with_agreement: u64,
    /// Law-enforcement agencies the directory lists in the state.
    pub directory_agencies: u64,
    /// `agencies_with_agreement / directory_agencies` (`null` without directory agencies).
    pub agency_share: Option<f64>,
    /// Agreements in the state on the snapshot.
    pub agreements: u64,
    /// Population the state's directory agencies serve.
    pub population: u64,
    /// `agreements / population * 1,000,000` (`null` without population).
    pub agreements_per_million: Option<f64>,
}

/// `remit registry rates`: per state, agreements against the directory's agencies and population.
#[derive(Debug, Clone, Serialize)]
pub struct Rates {
    /// The date asked about (`None`: the latest snapshots).
    pub as_of: Option<Day>,
    /// The participating snapshot the rates come from.
    pub snapshot: SnapshotRef,
    /// The agency directory the counts come from, as the caller describes it.
    pub directory: String,
    /// One row per state, most agreements per million first.
    pub states: Vec<RateRow>,
}

/// Per state: agencies with an agreement out of the directory's agencies, and agreements per
/// million residents; sorted by agreements per million, then by agency share, both descending.
pub fn rates(
    connection: &Connection,
    as_of: Option<Day>,
    figures: &BTreeMap<String, StateFigures>,
    directory: &str,
) -> Result<Rates, RegistryError> {
    let snapshot = require_snapshot(connection, SheetKind::Participating, as_of)?;
    let listed = listed_in(connection, snapshot.id, &Filter::default())?;
    let mut per_state: BTreeMap<String, (BTreeSet<i64>, u64)> = BTreeMap::new();
    for agreement in &listed {
        let entry = per_state.entry(agreement.state.clone()).or_default();
        entry.0.insert(agreement.agency_id);
        entry.1 += 1;
    }
    let states: BTreeSet<&String> = per_state
        .keys()
        .chain(
            figures
                .keys()
                .filter(|s| crate::states::state_name(s).is_some()),
        )
        .collect();
    let mut rows: Vec<RateRow> = states
        .into_iter()
        .map(|state| {
            let (agencies, agreements) = per_state
                .get(state)
                .map_or((0, 0), |(a, n)| (a.len() as u64, *n));
            let figure = figures.get(state).copied().unwrap_or_default();
            RateRow {
                state: state.clone(),
                agencies_with_agreement: agencies,
                directory_agencies: figure.agencies,
                agency_share: (figure.agencies > 0)
                    .then(|| agencies as f64 / figure.agencies as f64),
                agreements,
                population: figure.population,
                agreements_per_million: (figure.population > 0)
                    .then(|| agreements as f64 * 1_000_000.0 / figure.population as f64),
            }
        })
        .collect();
    let descending = |x: Option<f64>| -x.unwrap_or(-1.0);
    rows.sort_by(|a, b| {
        descending(a.agreements_per_million)
            .total_cmp(&descending(b.agreements_per_million))
            .then(descending(a.agency_share).total_cmp(&descending(b.agency_share)))
            .then(a.state.cmp(&b.state))
    });
    Ok(Rates {
        as_of,
        snapshot,
        directory: directory.to_string(),
        states: rows,
    })
}

/// One agreement in `remit registry export`.
#[derive(Debug, Clone, Serialize)]
pub struct ExportRow {
    /// Two-letter state code.
    pub state: String,
    /// The agency's name (the latest it was listed under).
    pub agency: String,
    /// The agency type (`county`, `municipality`, `state_agency`), when the sheets give one.
    pub agency_type: Option<String>,
    /// The county the sheet gives, if any.
    pub county: Option<String>,
    /// The support model's code.
    pub model: String,
    /// The signing date (`YYYY-MM-DD`), when a participating sheet gives one.
    pub signed: Option<String>,
    /// As of the export's date, or of the latest snapshots.
    pub status: String,
    /// The first snapshot, of either kind, listing the agreement.
    pub first_seen: String,
    /// The last snapshot, of either kind, listing the agreement.
    pub last_seen: String,
    /// The first participating snapshot listing it (`None`: never participating).
    pub first_active: Option<String>,
    /// The last participating snapshot listing it (`None`: never participating).
    pub last_active: Option<String>,
    /// The first pending snapshot listing it (`None`: never pending).
    pub first_pending: Option<String>,
    /// The last pending snapshot listing it (`None`: never pending).
    pub last_pending: Option<String>,
    /// The linked directory agency's FBI identifier (ORI); `None` when not linked.
    pub ori: Option<String>,
    /// The linked directory agency's name; `None` when not linked.
    pub directory_name: Option<String>,
    /// How sure the directory link is, from 0 to 1; `None` when not linked.
    pub link_confidence: Option<f64>,
    /// Other names the agency was listed under, `; `-separated.
    pub other_names: String,
}

/// Every agreement (with `as_of`: those listed as of that date, active or pending then).
pub fn export(
    connection: &Connection,
    as_of: Option<Day>,
    filter: &Filter,
) -> Result<Vec<ExportRow>, RegistryError> {
    let mut names: HashMap<i64, Vec<String>> = HashMap::new();
    let mut statement = connection.prepare(
        "SELECT DISTINCT n.agency_id, n.name FROM registry_agency_names n
         JOIN registry_agencies g ON g.id = n.agency_id AND n.name <> g.name
         ORDER BY n.agency_id, n.first_seen",
    )?;
    for row in statement.query_map([], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
    })? {
        let (id, name) = row?;
        let list = names.entry(id).or_default();
        if !list.contains(&name) {
            list.push(name);
        }
    }
    let mut statement = connection.prepare(
        "SELECT a.id, a.state, g.name, g.agency_type, g.county, a.model, a.signed, a.status,
            a.first_seen, a.last_seen, a.first_active, a.last_active, a.first_pending,
            a.last_pending, g.ori, g.directory_name, g.link_confidence, g.id
         FROM registry_agreements a JOIN registry_agencies g ON g.id = a.agency_id
         ORDER BY a.state, g.name, a.model",
    )?;
    let mut rows: Vec<(i64, ExportRow)> = statement
        .query_map([], |row| {
            Ok((
                row.get(0)?,
                ExportRow {
                    state: row.get(1)?,
                    agency: row.get(2)?,
                    agency_type: row.get(3)?,
                    county: row.get(4)?,
                    model: row.get(5)?,
                    signed: row.get(6)?,
                    status: row.get(7)?,
                    first_seen: row.get(8)?,
                    last_seen: row.get(9)?,
                    first_active: row.get(10)?,
                    last_active: row.get(11)?,
                    first_pending: row.get(12)?,
                    last_pending: row.get(13)?,
                    ori: row.get(14)?,
                    directory_name: row.get(15)?,
                    link_confidence: row.get(16)?,
                    other_names: names
                        .get(&row.get::<_, i64>(17)?)
                        .map(|n| n.join("; "))
                        .unwrap_or_default(),
                },
            ))
        })?
        .collect::<Result<_, _>>()?;
    rows.retain(|(_, row)| filter.matches(&row.state, &row.model));
    if let Some(date) = as_of {
        let active = listed_ids_as_of(connection, SheetKind::Participating, date, filter)?;
        let pending = listed_ids_as_of(connection, SheetKind::Pending, date, filter)?;
        if active.is_empty() && pending.is_empty() {
            require_snapshot(connection, SheetKind::Participating, Some(date))?;
        }
        rows.retain(|(id, _)| active.contains(id) || pending.contains(id));
        for (id, row) in &mut rows {
            row.status = if active.contains(id) {
                "active"
            } else {
                "pending"
            }
            .to_string();
        }
    }
    Ok(rows.into_iter().map(|(_, row)| row).collect())
}

/// Writes export rows as CSV with a header. A cell a spreadsheet would take as a formula gets a
/// quote in front unless `raw` ([`remit_store::csv_out`]).
pub fn write_export_csv(
    rows: &[ExportRow],
    out: impl std::io::Write,
    raw: bool,
) -> std::io::Result<()> {
    let mut writer = remit_store::csv_out::Writer::new(out, raw);
    writer
        .write_record(EXPORT_HEADER)
        .map_err(std::io::Error::other)?;
    for row in rows {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        // As serde writes a float: `1.0`, not `1`.
        let confidence = row
            .link_confidence
            .and_then(|c| serde_json::to_string(&c).ok())
            .unwrap_or_default();
        writer
            .write_record([
                row.state.clone(),
                row.agency.clone(),
                text(&row.agency_type),
                text(&row.county),
                row.model.clone(),
                text(&row.signed),
                row.status.clone(),
                row.first_seen.clone(),
                row.last_seen.clone(),
                text(&row.first_active),
                text(&row.last_active),
                text(&row.first_pending),
                text(&row.last_pending),
                text(&row.ori),
                text(&row.directory_name),
                confidence,
                row.other_names.clone(),
            ])
            .map_err(std::io::Error::other)?;
    }
    writer.flush()
}

/// The CSV header of [`ExportRow`].
const EXPORT_HEADER: &[&str] = &[
    "state",
    "agency",
    "agency_type",
    "county",
    "model",
    "signed",
    "status",
    "first_seen",
    "last_seen",
    "first_active",
    "last_active",
    "first_pending",
    "last_pending",
    "ori",
    "directory_name",
    "link_confidence",
    "other_names",
];
