//! The registry as the check reads it: every snapshot, listing, agreement and posted MOA document
//! loaded once into memory, so that the same store can be asked about any number of dates
//! without a query per agency and date.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use remit_registry::{Day, Period, SnapshotTime, model_label};
use remit_store::Store;
use remit_store::rusqlite;
use serde::Serialize;

use super::ComplianceError;

/// One snapshot, in the registry's order (day, half-day, file).
#[derive(Clone, Debug)]
pub(crate) struct Snapshot {
    pub id: i64,
    pub time: SnapshotTime,
    pub file: String,
}

/// One agreement (agency + model) of the sheets.
#[derive(Clone, Debug)]
pub(crate) struct SheetAgreement {
    pub id: i64,
    pub model: String,
    pub signed: Option<String>,
}

/// One agency of the sheets.
#[derive(Clone, Debug)]
pub(crate) struct SheetAgency {
    pub id: i64,
    pub state: String,
    pub name: String,
    pub agency_type: Option<String>,
    /// The COUNTY column of ICE's sheet (`Miami-Dade County`).
    pub county: Option<String>,
    pub ori: Option<String>,
    pub agreements: Vec<SheetAgreement>,
}

/// One posted MOA document of the index.
#[derive(Clone, Debug)]
pub(crate) struct MoaDocument {
    pub name: String,
    pub model: Option<String>,
    pub posted: Day,
    pub file_date: Option<String>,
    pub url: String,
}

/// One agency of the MOA index: its documents and its links.
#[derive(Clone, Debug)]
pub(crate) struct MoaAgency {
    pub state: String,
    pub agency_key: String,
    pub agency_id: Option<i64>,
    pub ori: Option<String>,
    pub documents: Vec<MoaDocument>,
}

/// Evidence of an agreement on a date, as the check reports it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Agreement {
    /// ICE's label of the model (`Task Force Model`), or `unknown model`.
    pub model: String,
    /// `listed` (ICE's participating sheet), `pending` (ICE's pending sheet: requested) or
    /// `posted` (an MOA document posted by then, from the MOA index).
    pub status: &'static str,
    /// The signing date the sheet gives, or the date in the MOA's file name.
    pub signed: Option<String>,
    /// `ice_sheet`, `ice_pending_sheet` or `moa_index`.
    pub source: &'static str,
    /// Where it was seen, in words: `listed in ICE's participating sheet of 2025-07-18 pm`.
    pub seen: String,
    /// The sheet's file name (without the importing machine's folder) or the MOA document's
    /// address.
    pub reference: String,
}

impl Agreement {
    /// Whether this evidence shows a signed agreement (not only a request).
    pub fn signed_agreement(&self) -> bool {
        self.status != "pending"
    }
}

/// Everything the check needs from the store.
#[derive(Debug, Default)]
pub(crate) struct RegistryData {
    pub participating: Vec<Snapshot>,
    pub pending: Vec<Snapshot>,
    pub listed: HashSet<(i64, i64)>,
    pub agencies: Vec<SheetAgency>,
    pub moa: Vec<MoaAgency>,
    pub moa_file: Option<String>,
}

fn sql(error: rusqlite::Error) -> ComplianceError {
    ComplianceError::Store(error.to_string())
}

fn has_table(connection: &rusqlite::Connection, name: &str) -> Result<bool, ComplianceError> {
    connection
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [name],
            |row| row.get::<_, i64>(0),
        )
        .map(|n| n > 0)
        .map_err(sql)
}

impl RegistryData {
    /// Reads the registry's tables; an empty registry when the store has none.
    pub fn load(store: &Store) -> Result<RegistryData, ComplianceError> {
        let connection = store.connection();
        let mut data = RegistryData::default();
        if !has_table(connection, "registry_snapshots")? {
            return Ok(data);
        }
        let mut statement = connection
            .prepare(
                "SELECT s.id, s.kind, s.taken_day, s.taken_period, i.source_path
                 FROM registry_snapshots s JOIN imports i ON i.id = s.import_id
                 ORDER BY s.taken_day, s.period_rank, s.source_name, s.id",
            )
            .map_err(sql)?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<String>>(4)?,
                ))
            })
            .map_err(sql)?;
        for row in rows {
            let (id, kind, day, period, file) = row.map_err(sql)?;
            let day = Day::parse_iso(&day).ok_or_else(|| {
                ComplianceError::Store(format!("snapshot {id}: `{day}` is not a date"))
            })?;
            let period = Period::from_str_opt(&period).unwrap_or(Period::Day);
            let snapshot = Snapshot {
                id,
                time: SnapshotTime { day, period },
                file: file.unwrap_or_default(),
            };
            if kind == "pending" {
                data.pending.push(snapshot);
            } else {
                data.participating.push(snapshot);
            }
        }
        let mut statement = connection
            .prepare("SELECT snapshot_id, agreement_id FROM registry_listings")
            .map_err(sql)?;
        let rows = statement
            .query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?)))
            .map_err(sql)?;
        for row in rows {
            data.listed.insert(row.map_err(sql)?);
        }
        let mut by_id: BTreeMap<i64, SheetAgency> = BTreeMap::new();
        let mut statement = connection
            .prepare("SELECT id, state, name, agency_type, county, ori FROM registry_agencies")
            .map_err(sql)?;
        let rows = statement
            .query_map([], |row| {
                Ok(SheetAgency {
                    id: row.get(0)?,
                    state: row.get(1)?,
                    name: row.get(2)?,
                    agency_type: row.get(3)?,
                    county: row.get(4)?,
                    ori: row.get(5)?,
                    agreements: Vec::new(),
                })
            })
            .map_err(sql)?;
        for row in rows {
            let agency = row.map_err(sql)?;
            by_id.insert(agency.id, agency);
        }
        let mut statement = connection
            .prepare("SELECT id, agency_id, model, signed FROM registry_agreements ORDER BY id")
            .map_err(sql)?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(1)?,
                    SheetAgreement {
                        id: row.get(0)?,
                        model: row.get(2)?,
                        signed: row.get(3)?,
                    },
                ))
            })
            .map_err(sql)?;
        for row in rows {
            let (agency_id, agreement) = row.map_err(sql)?;
            if let Some(agency) = by_id.get_mut(&agency_id) {
                agency.agreements.push(agreement);
            }
        }
        data.agencies = by_id.into_values().collect();
        if has_table(connection, "registry_moa_documents")? {
            data.load_moa(connection)?;
        }
        Ok(data)
    }

    fn load_moa(&mut self, connection: &rusqlite::Connection) -> Result<(), ComplianceError> {
        let mut links: HashMap<(String, String), (Option<i64>, Option<String>)> = HashMap::new();
        let mut statement = connection
            .prepare("SELECT state, agency_key, agency_id, ori FROM registry_moa_links")
            .map_err(sql)?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    (row.get::<_, String>(0)?, row.get::<_, String>(1)?),
                    (
                        row.get::<_, Option<i64>>(2)?,
                        row.get::<_, Option<String>>(3)?,
                    ),
                ))
            })
            .map_err(sql)?;
        for row in rows {
            let (key, link) = row.map_err(sql)?;
            links.insert(key, link);
        }
        let mut agencies: BTreeMap<(String, String), MoaAgency> = BTreeMap::new();
        let mut statement = connection
            .prepare(
                "SELECT d.state, d.agency_key, d.name, d.model, d.posted, d.file_date, d.url,
                        i.source_path
                 FROM registry_moa_documents d JOIN imports i ON i.id = d.import_id
                 WHERE d.state IS NOT NULL ORDER BY d.posted, d.id",
            )
            .map_err(sql)?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, Option<String>>(5)?,
                    row.get::<_, String>(6)?,
                    row.get::<_, Option<String>>(7)?,
                ))
            })
            .map_err(sql)?;
        for row in rows {
            let (state, key, name, model, posted, file_date, url, file) = row.map_err(sql)?;
            let Some(posted) = Day::parse_iso(&posted) else {
                return Err(ComplianceError::Store(format!(
                    "MOA document of `{name}` ({state}): `{posted}` is not a date"
                )));
            };
            if self.moa_file.is_none() {
                self.moa_file = file;
            }
            let (agency_id, ori) = links
                .get(&(state.clone(), key.clone()))
                .cloned()
                .unwrap_or((None, None));
            agencies
                .entry((state.clone(), key.clone()))
                .or_insert_with(|| MoaAgency {
                    state,
                    agency_key: key,
                    agency_id,
                    ori,
                    documents: Vec::new(),
                })
                .documents
                .push(MoaDocument {
                    name: name.trim().to_string(),
                    model,
                    posted,
                    file_date,
                    url,
                });
        }
        self.moa = agencies.into_values().collect();
        Ok(())
    }

    /// The latest snapshot of a list taken on or before `day`.
    fn as_of(list: &[Snapshot], day: Day) -> Option<&Snapshot> {
        list.iter().rev().find(|s| s.time.day <= day)
    }

    /// The participating sheet a check on `day` reads.
    pub fn sheet_as_of(&self, day: Day) -> Option<&Snapshot> {
        Self::as_of(&self.participating, day)
    }

    /// The newest day of any registry data: the last participating sheet or the last MOA posted.
    pub fn data_as_of(&self) -> Option<Day> {
        let sheet = self.participating.last().map(|s| s.time.day);
        let moa = self
            .moa
            .iter()
            .flat_map(|a| a.documents.iter().map(|d| d.posted))
            .max();
        sheet.max(moa)
    }

    /// The first day the registry says anything about agreements: its first participating
    /// sheet, else (with the MOA index alone) the first posting.
    pub fn first_day(&self) -> Option<Day> {
        self.participating.first().map(|s| s.time.day).or_else(|| {
            self.moa
                .iter()
                .flat_map(|a| a.documents.iter().map(|d| d.posted))
                .min()
        })
    }

    /// Every day on which the registry's data changes: each sheet's day and each posting day.
    pub fn days(&self) -> BTreeSet<Day> {
        let mut days: BTreeSet<Day> = self
            .participating
            .iter()
            .chain(&self.pending)
            .map(|s| s.time.day)
            .collect();
        for agency in &self.moa {
            days.extend(agency.documents.iter().map(|d| d.posted));
        }
        days
    }

    /// The evidence of agreements of the sheet agencies `sheet_ids` and the MOA agencies
    /// `moa_ids` (indices into `moa`) on `day`.
    ///
    /// A sheet as of the day decides for the agreements it can see: listed means held, absent
    /// means not held then. A posted MOA counts when no sheet is as of the day, or when it was
    /// posted after that sheet (the sheet cannot have seen it). The index records no endings, so
    /// a posted MOA shows an agreement was made, not that it was still in force.
    pub fn evidence(&self, sheet_ids: &[usize], moa_ids: &[usize], day: Day) -> Vec<Agreement> {
        let mut out = Vec::new();
        let sheet = self.sheet_as_of(day);
        let pending = Self::as_of(&self.pending, day);
        for &index in sheet_ids {
            let Some(agency) = self.agencies.get(index) else {
                continue;
            };
            for agreement in &agency.agreements {
                let label = model_label(&agreement.model).to_string();
                if let Some(s) = sheet
                    && self.listed.contains(&(s.id, agreement.id))
                {
                    out.push(Agreement {
                        model: label,
                        status: "listed",
                        signed: agreement.signed.clone(),
                        source: "ice_sheet",
                        seen: format!("listed in ICE's participating sheet of {}", s.time),
                        reference: super::file_name(&s.file),
                    });
                } else if let Some(p) = pending
                    && self.listed.contains(&(p.id, agreement.id))
                {
                    out.push(Agreement {
                        model: label,
                        status: "pending",
                        signed: agreement.signed.clone(),
                        source: "ice_pending_sheet",
                        seen: format!("requested: on ICE's pending sheet of {}", p.time),
                        reference: super::file_name(&p.file),
                    });
                }
            }
        }
        let sheet_day = sheet.map(|s| s.time.day);
        for &index in moa_ids {
            let Some(agency) = self.moa.get(index) else {
                continue;
            };
            for document in &agency.documents {
                if document.posted > day || sheet_day.is_some_and(|s| document.posted <= s) {
                    continue;
                }
                let model = document.model.as_deref().map_or_else(
                    || "unknown model".to_string(),
                    |m| model_label(m).to_string(),
                );
                if out
                    .iter()
                    .any(|a| a.source == "moa_index" && a.model == model)
                {
                    continue;
                }
                out.push(Agreement {
                    model,
                    status: "posted",
                    signed: document.file_date.clone(),
                    source: "moa_index",
                    seen: format!("MOA posted by {} (MOA index)", document.posted),
                    reference: document.url.clone(),
                });
            }
        }
        out
    }
}
