//! Agreements placed in counties, for the 287(g) page's county map.
//!
//! ICE's sheets name agencies, not places. An agency linked to the FBI agency list (by the
//! resolver, when the sheets are imported with the list loaded) is placed in the county the FBI
//! gives it (the first, for the few agencies the FBI lists in several); an agency not linked is
//! placed in the county ICE's sheet gives, when it gives one the map knows. State agencies (a
//! department of corrections, a highway patrol) act statewide and are placed in no county; the
//! rest that cannot be placed are counted and named, never guessed.

use std::collections::{BTreeMap, BTreeSet};

use remit_agencies::Directory;
use remit_registry::ExportRow;
use serde::Serialize;

use crate::geo::UsMap;

/// How one agreement was placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spot {
    /// In a county (its FIPS code), by the FBI list (`true`) or by ICE's sheet.
    County { fips: String, by_directory: bool },
    /// A state agency: the whole state.
    Statewide,
    /// Not placed, and why.
    Unplaced(&'static str),
}

/// Where an agreement's agency lies.
pub fn place(row: &ExportRow, directory: Option<&Directory>, map: &UsMap) -> Spot {
    if row.agency_type.as_deref() == Some("state_agency") {
        return Spot::Statewide;
    }
    let listed = row
        .ori
        .as_deref()
        .and_then(|ori| directory.and_then(|d| d.by_ori(ori)));
    if let Some(agency) = listed {
        if matches!(
            agency.agency_type.as_str(),
            "State Police" | "Other State Agency"
        ) {
            return Spot::Statewide;
        }
        let first = agency
            .county
            .as_deref()
            .and_then(|c| c.split(',').next())
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if let Some(county) = first.and_then(|c| map.find_county(&row.state, c)) {
            return Spot::County {
                fips: county.fips.clone(),
                by_directory: true,
            };
        }
    }
    match row
        .county
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(name) => match map.find_county(&row.state, name) {
            Some(county) => Spot::County {
                fips: county.fips.clone(),
                by_directory: false,
            },
            None => Spot::Unplaced("the county named is not one of the state's counties"),
        },
        None if listed.is_some() => Spot::Unplaced("the FBI list gives no county the map knows"),
        None => Spot::Unplaced("not linked to the FBI list, and the sheet names no county"),
    }
}

/// Agreements in one county.
#[derive(Debug, Clone, Serialize)]
pub struct CountyRow {
    pub fips: String,
    pub county: String,
    pub state: String,
    pub agreements: u64,
    pub agencies: u64,
}

/// An agreement that could not be placed in a county.
#[derive(Debug, Clone, Serialize)]
pub struct NotPlaced {
    pub state: String,
    pub agency: String,
    pub model: String,
    pub reason: &'static str,
}

/// How the agreements on the county map were placed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Placement {
    /// Agreements placed by the FBI list's county of the linked agency.
    pub by_directory: u64,
    /// Placed by the county ICE's sheet gives.
    pub by_sheet: u64,
    /// Held by state agencies: on no county.
    pub statewide: u64,
    /// Not placed (see `not_placed`).
    pub unplaced: u64,
    pub not_placed: Vec<NotPlaced>,
}

/// The active agreements of `rows` (pending ones are not counted) per county, with how they
/// were placed; and each row's county, in the order of `rows`.
pub fn count(
    rows: &[ExportRow],
    directory: Option<&Directory>,
    map: &UsMap,
) -> (Vec<CountyRow>, Placement, Vec<Option<String>>) {
    let mut placement = Placement::default();
    let mut counties: BTreeMap<String, (u64, BTreeSet<(String, String)>)> = BTreeMap::new();
    let mut spots = Vec::with_capacity(rows.len());
    for row in rows {
        let spot = place(row, directory, map);
        spots.push(match &spot {
            Spot::County { fips, .. } => Some(fips.clone()),
            _ => None,
        });
        if row.status != "active" {
            continue;
        }
        match spot {
            Spot::County { fips, by_directory } => {
                if by_directory {
                    placement.by_directory += 1;
                } else {
                    placement.by_sheet += 1;
                }
                let entry = counties.entry(fips).or_default();
                entry.0 += 1;
                entry.1.insert((row.state.clone(), row.agency.clone()));
            }
            Spot::Statewide => placement.statewide += 1,
            Spot::Unplaced(reason) => {
                placement.unplaced += 1;
                placement.not_placed.push(NotPlaced {
                    state: row.state.clone(),
                    agency: row.agency.clone(),
                    model: row.model.clone(),
                    reason,
                });
            }
        }
    }
    let mut rows: Vec<CountyRow> = counties
        .into_iter()
        .filter_map(|(fips, (agreements, agencies))| {
            let county = map.county(&fips)?;
            Some(CountyRow {
                state: crate::geo::state_code(county.state_fips())
                    .unwrap_or_default()
                    .to_string(),
                county: county.name.clone(),
                fips,
                agreements,
                agencies: agencies.len() as u64,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.agreements
            .cmp(&a.agreements)
            .then_with(|| (&a.state, &a.county).cmp(&(&b.state, &b.county)))
    });
    (rows, placement, spots)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(state: &str, agency: &str, kind: &str, county: Option<&str>, status: &str) -> ExportRow {
        ExportRow {
            state: state.into(),
            agency: agency.into(),
            agency_type: Some(kind.into()),
            county: county.map(Into::into),
            model: "task_force".into(),
            signed: None,
            status: status.into(),
            first_seen: String::new(),
            last_seen: String::new(),
            first_active: None,
            last_active: None,
            first_pending: None,
            last_pending: None,
            ori: None,
            directory_name: None,
            link_confidence: None,
            other_names: String::new(),
        }
    }

    #[test]
    fn agreements_are_placed_by_the_sheet_county_when_no_directory_links_them() {
        let map = crate::geo::us_map().unwrap();
        let rows = vec![
            row(
                "TX",
                "Harris County Sheriff",
                "county",
                Some("Harris County"),
                "active",
            ),
            row(
                "TX",
                "Pasadena PD",
                "municipality",
                Some("Harris"),
                "active",
            ),
            row(
                "TX",
                "Pasadena PD",
                "municipality",
                Some("Harris"),
                "pending",
            ),
            row(
                "TX",
                "Texas Department of Public Safety",
                "state_agency",
                None,
                "active",
            ),
            row(
                "TX",
                "Nowhere PD",
                "municipality",
                Some("Atlantis County"),
                "active",
            ),
            row("TX", "Somewhere PD", "municipality", None, "active"),
        ];
        let (counties, placement, spots) = count(&rows, None, map);
        assert_eq!(counties.len(), 1);
        assert_eq!(counties[0].fips, "48201");
        assert_eq!(counties[0].county, "Harris");
        assert_eq!(counties[0].agreements, 2);
        assert_eq!(counties[0].agencies, 2);
        assert_eq!(placement.by_sheet, 2);
        assert_eq!(placement.by_directory, 0);
        assert_eq!(placement.statewide, 1);
        assert_eq!(placement.unplaced, 2);
        assert_eq!(placement.not_placed[0].agency, "Nowhere PD");
        // The pending agreement has its county too (for the list), but is not counted.
        assert_eq!(spots[2].as_deref(), Some("48201"));
        assert_eq!(spots[3], None);
    }

    /// `../shared/data`, or `None` (with a notice) when it is missing; with
    /// `REMIT_REQUIRE_SHARED_DATA` set, a missing folder fails the test instead.
    fn shared_data() -> Option<std::path::PathBuf> {
        let path =
            std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
        if path.is_dir() {
            return Some(path);
        }
        assert!(
            std::env::var_os("REMIT_REQUIRE_SHARED_DATA").is_none(),
            "../shared/data not found and REMIT_REQUIRE_SHARED_DATA is set"
        );
        eprintln!(
            "skipping: ../shared/data not found, so no county is checked against ICE's sheet"
        );
        None
    }

    /// ICE's participating sheet of 2025-07-18 (pm) with the FBI list, as `remit registry
    /// import` links them.
    fn real_store(data: &std::path::Path) -> (remit_store::Store, Directory) {
        use remit_registry::{DirectoryLinker, ImportOptions, Registry};
        let directory = Directory::from_fbi_csv(&data.join("agencies/fbi-lee.csv")).unwrap();
        let mut store = remit_store::Store::open_in_memory().unwrap();
        {
            let mut registry = Registry::open(&mut store).unwrap();
            let sheet = data.join(
                "287g/ice-sheets/sheets_20250719_151637/participatingAgencies07182025pm.xlsx",
            );
            registry.import(&sheet, ImportOptions::default()).unwrap();
            registry
                .refresh(&mut DirectoryLinker::new(directory.clone()))
                .unwrap();
        }
        (store, directory)
    }

    /// The counts docs/registry.md gives as checked by hand against the sheet: Brevard County,
    /// FL (six rows name the county; eight more, of its cities, say `#N/A` and are placed by the
    /// FBI list), Colbert County, AL (one sheriff, three models) and Collier County, FL.
    #[test]
    fn counties_checked_by_hand_against_ices_sheet_of_2025_07_18() {
        let Some(data) = shared_data() else {
            return;
        };
        let (mut store, directory) = real_store(&data);
        let registry = remit_registry::Registry::open(&mut store).unwrap();
        let rows = registry
            .export(None, &remit_registry::Filter::default())
            .unwrap();
        let map = crate::geo::us_map().unwrap();
        let (counties, placement, _) = count(&rows, Some(&directory), map);
        let county = |fips: &str| {
            counties
                .iter()
                .find(|c| c.fips == fips)
                .map(|c| (c.agreements, c.agencies))
        };
        assert_eq!(county("12009"), Some((14, 13)), "Brevard, FL");
        assert_eq!(county("01033"), Some((3, 1)), "Colbert, AL");
        assert_eq!(county("12021"), Some((4, 3)), "Collier, FL");
        // Every active agreement is counted once: in a county, statewide or not placed.
        let active = rows.iter().filter(|r| r.status == "active").count() as u64;
        let placed: u64 = counties.iter().map(|c| c.agreements).sum();
        assert_eq!(placement.by_directory + placement.by_sheet, placed);
        assert_eq!(placed + placement.statewide + placement.unplaced, active);
        assert_eq!(placement.unplaced, placement.not_placed.len() as u64);
        // State agencies are on no county: the Florida Highway Patrol is statewide.
        assert!(
            placement.statewide >= 60,
            "{} statewide",
            placement.statewide
        );
        assert!(placement.unplaced < 30, "{:?}", placement.not_placed);
    }

    /// The 287(g) page of Florida on the real sheet: Brevard County drawn with its count and its
    /// title, linked to its agreements; that list holds the fourteen.
    #[tokio::test]
    async fn the_florida_page_draws_brevard_with_its_count_and_lists_its_agreements() {
        use axum::body::Body;
        use axum::http::Request;
        use tower::ServiceExt as _;
        let Some(data) = shared_data() else {
            return;
        };
        let (store, directory) = real_store(&data);
        let corpus = remit_law::Corpus::embedded().unwrap();
        let app = crate::app(
            crate::AppState::new(corpus, Some(store), crate::Options::default())
                .with_directory(directory),
        );
        let get = |uri: &'static str| {
            let app = app.clone();
            async move {
                let response = app
                    .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200, "{uri}");
                let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .unwrap();
                String::from_utf8(bytes.to_vec()).unwrap()
            }
        };
        let page = get("/287g?state=FL").await;
        let link = "<a href=\"/287g?state=FL&amp;county=12009#agreements\"><path data-fips=\"12009\" data-value=\"14\"";
        assert!(page.contains(link), "no Brevard link");
        assert!(page.contains("<title>Brevard, FL: 14 agreements, 13 agencies</title>"));
        let alabama = get("/287g?state=AL").await;
        assert!(alabama.contains("<title>Colbert, AL: 3 agreements, 1 agency</title>"));
        // Both maps are well-formed SVG.
        for id in ["state-map", "county-map"] {
            let start = page
                .find(&format!("<svg class=\"geo\" id=\"{id}\""))
                .unwrap();
            let end = start + page[start..].find("</svg>").unwrap() + "</svg>".len();
            crate::geo::well_formed(&page[start..end]).unwrap();
        }
        // Only Florida's counties are drawn on its page.
        assert!(!page.contains("data-fips=\"01033\""));
        let list = get("/287g.json?state=FL&county=12009").await;
        let json: serde_json::Value = serde_json::from_str(&list).unwrap();
        assert_eq!(json["data"]["county"]["name"], "Brevard");
        assert_eq!(json["data"]["listed_total"], 14);
        let csv = get("/287g.csv?table=counties").await;
        assert!(csv.contains("12009,Brevard,FL,14,13"), "{csv}");
    }
}
