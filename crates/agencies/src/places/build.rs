//! Builds the gazetteer file (`data/gazetteer.tsv`) from public data, so that the file can be
//! checked against its sources and rebuilt when they change:
//!
//! - every county and county equivalent (parishes, boroughs and census areas, independent cities,
//!   the District of Columbia, Puerto Rico's municipios and the territories' districts), named and
//!   numbered as in the Census Bureau's cartographic boundary file (5-digit county FIPS);
//! - every place with a police agency of its own: the `City` rows of the FBI's list of
//!   law-enforcement agencies, with the counties the FBI gives for each.
//!
//! `examples/build_gazetteer.rs` reads the two files and writes the result; a test of the crate
//! rebuilds it and compares it with the committed file.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use crate::directory::{Directory, fbi_base_name};
use crate::kind::AgencyKind;
use crate::law::ocd_id;
use crate::parse;
use crate::states::{self, State};

use super::PlaceKind;

/// A state or a county as the Census boundary file gives it: FIPS code and name.
#[derive(Clone, Debug)]
pub struct Area {
    /// The FIPS code.
    pub fips: String,
    /// The name.
    pub name: String,
}

/// Alaska's census areas: county equivalents that are not boroughs (Census Bureau, "Alaska
/// boroughs and census areas"; OCD ids use `censusarea:` for them).
const ALASKA_CENSUS_AREAS: &[&str] = &[
    "02016", "02050", "02063", "02066", "02070", "02105", "02158", "02180", "02198", "02240",
    "02261", "02270", "02290",
];

/// FBI `City` rows whose name is the agency's, not the place's (or not the place's official
/// name): the place each serves.
const PLACE_OF_AGENCY: &[(&str, &str, &str)] = &[
    // Census and Open Civic Data name the city `Boise City`; the FBI names its police `Boise`.
    ("ID", "Boise", "Boise City"),
    ("KY", "Louisville Metro", "Louisville"),
    ("NC", "Charlotte-Mecklenburg", "Charlotte"),
    ("NJ", "Camden County Police Department", "Camden"),
    (
        "NV",
        "Las Vegas Metropolitan Police Department",
        "Las Vegas",
    ),
    (
        "TN",
        "Metropolitan Nashville Police Department",
        "Nashville",
    ),
];

/// Other names people use for a place: consolidated governments named for the city and the
/// county.
const OTHER_NAMES: &[(&str, &str, &str)] = &[
    ("GA", "Athens-Clarke County", "Athens"),
    ("ID", "Boise City", "Boise"),
    ("NC", "Charlotte", "Charlotte-Mecklenburg"),
    ("KY", "Louisville", "Louisville Metro"),
];

/// The header of the file, before the first state.
const HEADER: &str = "\
# Remit's gazetteer: every US county and county equivalent, and every place with a police agency.
# Built by `cargo run -p remit-agencies --example build_gazetteer -- ../shared/data` from the
# Census Bureau's county boundaries (names, FIPS) and the FBI's list of law-enforcement agencies
# (`City` rows: the places, their counties and the population they serve). Do not edit by hand.
#
# `=XX<TAB>state FIPS` opens a state. Then one line a division:
#   kind<TAB>name[|other name...]<TAB>FIPS<TAB>population served, in thousands (places)
# kind: c county, p parish, b borough, a census area, m municipio, d district, n municipality,
#   w the whole state or territory (DC, Guam), i independent city (a place that is its own county
#   equivalent), t city, town or village.
# FIPS: the county's last three digits; for a place, those of the counties it lies in.
# The OCD id is `.../<state>/<county|parish|borough|censusarea|municipio|district|municipality|place>:<id>`
# with the id written from the name: lower case, every run of other characters as `_`.
";

#[derive(Debug)]
struct Row {
    kind: PlaceKind,
    names: Vec<String>,
    fips: Vec<String>,
    population: u64,
}

/// The gazetteer file for these states, counties and FBI agencies; an error names a state the
/// boundary file has that Remit does not know.
pub fn build(
    state_areas: &[Area],
    counties: &[Area],
    directory: &Directory,
) -> Result<String, String> {
    let mut state_of_fips: HashMap<&str, &'static State> = HashMap::new();
    for area in state_areas {
        let name = area
            .name
            .trim_start_matches("Commonwealth of the ")
            .trim_start_matches("United States ");
        let state = states::parse(name).ok_or_else(|| {
            format!(
                "state `{}` ({}) is not a state Remit knows",
                area.name, area.fips
            )
        })?;
        state_of_fips.insert(area.fips.as_str(), state);
    }
    let mut blocks: BTreeMap<&'static str, (String, Vec<Row>)> = BTreeMap::new();
    for area in counties {
        let (Some(state_fips), Some(county_fips)) = (area.fips.get(..2), area.fips.get(2..)) else {
            return Err(format!(
                "county `{}`: `{}` is not a FIPS code",
                area.name, area.fips
            ));
        };
        let state = state_of_fips.get(state_fips).ok_or_else(|| {
            format!(
                "county `{}` ({}): no state {state_fips}",
                area.name, area.fips
            )
        })?;
        let kind = county_kind(state.code, &area.fips);
        let block = blocks
            .entry(state.code)
            .or_insert_with(|| (state_fips.to_string(), Vec::new()));
        block.1.push(Row {
            kind,
            names: vec![area.name.clone()],
            fips: vec![county_fips.to_string()],
            population: 0,
        });
    }

    // The counties of each state by the FBI's spelling (`ST LOUIS`, `LA SALLE`, `BALTIMORE CITY`).
    let mut county_codes: HashMap<(&str, String), String> = HashMap::new();
    for (code, (_, rows)) in &blocks {
        for row in rows {
            let (Some(name), Some(fips)) = (row.names.first(), row.fips.first()) else {
                continue;
            };
            let key = if row.kind == PlaceKind::IndependentCity {
                compact(&format!("{name} city"))
            } else {
                compact(name)
            };
            county_codes.insert((code, key), fips.clone());
        }
    }

    let mut places: BTreeMap<&'static str, Vec<Row>> = BTreeMap::new();
    for agency in directory.fbi_agencies() {
        if agency.agency_type != "City" {
            continue;
        }
        let Some(state) = agency.state.as_deref().and_then(states::by_code) else {
            continue;
        };
        let Some(name) = place_name(state.code, &agency.name) else {
            continue;
        };
        let mut fips: Vec<String> = agency
            .county
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|county| county_codes.get(&(state.code, compact(county))).cloned())
            .collect();
        fips.sort();
        fips.dedup();
        places.entry(state.code).or_default().push(Row {
            kind: PlaceKind::Place,
            names: vec![name],
            fips,
            population: agency.population.unwrap_or(0),
        });
    }

    for (code, found) in places {
        let Some((_, rows)) = blocks.get_mut(code) else {
            continue;
        };
        merge_places(rows, found);
    }

    for (code, name, other) in OTHER_NAMES {
        if let Some((_, rows)) = blocks.get_mut(code) {
            for row in rows.iter_mut() {
                if row.kind == PlaceKind::Place
                    && row.names.first().is_some_and(|n| n == name)
                    && !row.names.iter().any(|n| n == other)
                {
                    row.names.push((*other).to_string());
                }
            }
        }
    }

    let mut out = String::from(HEADER);
    for (code, (fips, rows)) in &mut blocks {
        rows.sort_by(|a, b| {
            let county_level = |r: &Row| r.kind != PlaceKind::Place;
            county_level(b).cmp(&county_level(a)).then_with(|| {
                if county_level(a) {
                    a.fips.cmp(&b.fips)
                } else {
                    a.names.cmp(&b.names)
                }
            })
        });
        let _ = writeln!(out, "={code}\t{fips}");
        for row in rows.iter() {
            let _ = write!(
                out,
                "{}\t{}\t{}",
                row.kind.letter(),
                row.names.join("|"),
                row.fips.join(",")
            );
            if matches!(row.kind, PlaceKind::Place | PlaceKind::IndependentCity) {
                let _ = write!(out, "\t{}", row.population.saturating_add(500) / 1000);
            }
            out.push('\n');
        }
    }
    Ok(out)
}

/// The kind of a county equivalent, from its state and FIPS code.
fn county_kind(state: &str, fips: &str) -> PlaceKind {
    let county: u32 = fips.get(2..).and_then(|c| c.parse().ok()).unwrap_or(0);
    match state {
        "DC" | "GU" => PlaceKind::Whole,
        "LA" => PlaceKind::Parish,
        "AK" if ALASKA_CENSUS_AREAS.contains(&fips) => PlaceKind::CensusArea,
        "AK" => PlaceKind::Borough,
        "PR" => PlaceKind::Municipio,
        "AS" | "VI" => PlaceKind::District,
        "MP" => PlaceKind::Municipality,
        // Virginia's independent cities are numbered from 510; Baltimore, St. Louis and Carson
        // City are 510 in their states.
        "VA" if county >= 500 => PlaceKind::IndependentCity,
        "MD" | "MO" | "NV" if county == 510 => PlaceKind::IndependentCity,
        _ => PlaceKind::County,
    }
}

/// The place an FBI `City` row stands for: its name without a county qualifier (`Washington
/// Township, Bergen County`), or the place an agency named for itself serves; `None` for a
/// sheriff's office or other agency that is not a place's police.
pub(super) fn place_name(state: &str, fbi_name: &str) -> Option<String> {
    let base = fbi_base_name(fbi_name).trim();
    if let Some((_, _, place)) = PLACE_OF_AGENCY
        .iter()
        .find(|(code, name, _)| *code == state && *name == base)
    {
        return Some((*place).to_string());
    }
    // Most rows are the place's bare name. A police department's name gives its place; a
    // sheriff's office in a city's row is no place of its own. Other agency words are the
    // place's (`Mount Prospect`, `Hoffman Estates`, `State College`).
    let parsed = parse::parse(base);
    let name = match parsed.kind {
        _ if parsed.kind_words.is_empty() => base.trim_end_matches([',', ':']).trim().to_string(),
        Some(AgencyKind::PoliceDepartment) if !parsed.county => parsed.place.clone(),
        Some(AgencyKind::PoliceDepartment | AgencyKind::Sheriff) => return None,
        _ => base.to_string(),
    };
    // Regional and metropolitan police serve several places and are none of them (`Central
    // Bucks Regional`, `Mountain Bay Metropolitan`, `Lakes Area`).
    let joint = name
        .split_whitespace()
        .any(|w| matches!(w, "Regional" | "Metropolitan" | "Metro"))
        || name.ends_with(" District")
        || name.ends_with(" Area");
    (!joint && !ocd_id(&name).is_empty()).then_some(name)
}

/// Adds the places of one state to its counties: a place with the id of an independent city is
/// that city (Richmond, Virginia); places of one id (townships of one name in several counties)
/// are one row with all their counties.
fn merge_places(rows: &mut Vec<Row>, mut found: Vec<Row>) {
    // The most populous first, so that its spelling names the row.
    found.sort_by(|a, b| {
        b.population
            .cmp(&a.population)
            .then_with(|| a.names.cmp(&b.names))
    });
    let mut at: HashMap<(PlaceKind, String), usize> = HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        if let Some(name) = row.names.first() {
            let kind = if row.kind == PlaceKind::IndependentCity {
                PlaceKind::Place
            } else {
                row.kind
            };
            at.insert((kind, ocd_id(name)), index);
        }
    }
    let whole = rows.iter().position(|r| r.kind == PlaceKind::Whole);
    for place in found {
        let Some(name) = place.names.first() else {
            continue;
        };
        // In DC and Guam the one city is the whole district or territory (`Washington`).
        let existing = whole.or_else(|| at.get(&(PlaceKind::Place, ocd_id(name))).copied());
        match existing.and_then(|index| rows.get_mut(index)) {
            Some(row) => {
                if !row.names.iter().any(|n| ocd_id(n) == ocd_id(name)) {
                    row.names.push(name.clone());
                }
                if row.kind == PlaceKind::Place {
                    row.fips.extend(place.fips);
                    row.fips.sort();
                    row.fips.dedup();
                }
                row.population = row.population.max(place.population);
            }
            None => {
                at.insert((PlaceKind::Place, ocd_id(name)), rows.len());
                rows.push(place);
            }
        }
    }
    for row in rows.iter_mut() {
        if row.kind == PlaceKind::Whole {
            row.population = 0;
        }
    }
}

/// A county name in any spelling as one word: `ST LOUIS`, `St. Louis` -> `stlouis`.
fn compact(name: &str) -> String {
    name.chars()
        .map(super::fold_accent)
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn county_kinds() {
        assert_eq!(county_kind("VA", "51760"), PlaceKind::IndependentCity);
        assert_eq!(county_kind("VA", "51159"), PlaceKind::County);
        assert_eq!(county_kind("MO", "29510"), PlaceKind::IndependentCity);
        assert_eq!(county_kind("LA", "22071"), PlaceKind::Parish);
        assert_eq!(county_kind("AK", "02050"), PlaceKind::CensusArea);
        assert_eq!(county_kind("AK", "02020"), PlaceKind::Borough);
        assert_eq!(county_kind("DC", "11001"), PlaceKind::Whole);
    }

    #[test]
    fn place_names_from_fbi_rows() {
        assert_eq!(place_name("TX", "Dallas").as_deref(), Some("Dallas"));
        assert_eq!(
            place_name("NJ", "Washington Township, Bergen County").as_deref(),
            Some("Washington Township")
        );
        assert_eq!(
            place_name("TN", "Metropolitan Nashville Police Department").as_deref(),
            Some("Nashville")
        );
        assert_eq!(place_name("MD", "Baltimore City Sheriff"), None);
        assert_eq!(place_name("PA", "Central Bucks Regional"), None);
        assert_eq!(
            place_name("IL", "Mount Prospect").as_deref(),
            Some("Mount Prospect")
        );
        assert_eq!(
            place_name("NC", "Charlotte-Mecklenburg").as_deref(),
            Some("Charlotte")
        );
        assert_eq!(
            place_name("MD", "District Heights").as_deref(),
            Some("District Heights")
        );
        assert_eq!(compact("ST LOUIS"), compact("St. Louis"));
        assert_eq!(compact("DONA ANA"), compact("Doña Ana"));
    }
}
