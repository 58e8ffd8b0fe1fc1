//! Places as people write them (issue 21): communities without police of their own read as their
//! county, bare county names, bare city names near the dominance threshold, and the largest
//! agencies written the ways records and people write them.
#![expect(clippy::panic, reason = "test helpers stop the test on a bad setup")]

mod common;

use std::path::PathBuf;

use remit_agencies::places::{PlaceError, PlaceKind, gazetteer};
use remit_agencies::{Directory, PlaceReader, Resolver, read_place};

const US: &str = "ocd-division/country:us";

fn id(rest: &str) -> String {
    format!("{US}/{rest}")
}

fn reads_as(typed: &str, expected: &str) {
    let reading = read_place(typed).unwrap_or_else(|e| panic!("`{typed}`: {e}\n{}", e.help()));
    assert_eq!(
        reading.id,
        id(expected),
        "`{typed}` read as {}",
        reading.label
    );
}

/// Census-designated places and towns with no police of their own, with the county each lies in.
const COMMUNITIES: &[(&str, &str, &str)] = &[
    (
        "Metairie, LA",
        "state:la/parish:jefferson",
        "Jefferson Parish",
    ),
    (
        "Metairie, Louisiana",
        "state:la/parish:jefferson",
        "Jefferson Parish",
    ),
    (
        "East Los Angeles, CA",
        "state:ca/county:los_angeles",
        "Los Angeles County",
    ),
    ("Paradise, NV", "state:nv/county:clark", "Clark County"),
    ("Spring Valley, NV", "state:nv/county:clark", "Clark County"),
    ("Sunrise Manor, NV", "state:nv/county:clark", "Clark County"),
    ("Enterprise, NV", "state:nv/county:clark", "Clark County"),
    (
        "Brandon, FL",
        "state:fl/county:hillsborough",
        "Hillsborough County",
    ),
    (
        "Riverview, FL",
        "state:fl/county:hillsborough",
        "Hillsborough County",
    ),
    (
        "The Woodlands, TX",
        "state:tx/county:montgomery",
        "Montgomery County",
    ),
    ("Atascocita, TX", "state:tx/county:harris", "Harris County"),
    (
        "Highlands Ranch, CO",
        "state:co/county:douglas",
        "Douglas County",
    ),
    ("Columbia, MD", "state:md/county:howard", "Howard County"),
    (
        "Silver Spring, MD",
        "state:md/county:montgomery",
        "Montgomery County",
    ),
    (
        "Germantown, MD",
        "state:md/county:montgomery",
        "Montgomery County",
    ),
    (
        "Dundalk, MD",
        "state:md/county:baltimore",
        "Baltimore County",
    ),
    (
        "Arden-Arcade, CA",
        "state:ca/county:sacramento",
        "Sacramento County",
    ),
    (
        "Castro Valley, CA",
        "state:ca/county:alameda",
        "Alameda County",
    ),
    (
        "Kendall, FL",
        "state:fl/county:miami_dade",
        "Miami-Dade County",
    ),
    ("Lehigh Acres, FL", "state:fl/county:lee", "Lee County"),
    (
        "Centreville, VA",
        "state:va/county:fairfax",
        "Fairfax County",
    ),
    (
        "Arlington, VA",
        "state:va/county:arlington",
        "Arlington County",
    ),
    (
        "San Tan Valley, AZ",
        "state:az/county:pinal",
        "Pinal County",
    ),
    ("Casas Adobes, AZ", "state:az/county:pima", "Pima County"),
    (
        "Glen Burnie, MD",
        "state:md/county:anne_arundel",
        "Anne Arundel County",
    ),
    ("Waldorf, MD", "state:md/county:charles", "Charles County"),
];

#[test]
fn communities_read_as_their_county_and_say_so() {
    for (typed, county, county_name) in COMMUNITIES {
        let reading = read_place(typed).unwrap_or_else(|e| panic!("`{typed}`: {e}\n{}", e.help()));
        assert_eq!(reading.id, id(county), "`{typed}`");
        assert!(
            reading
                .label
                .contains(&format!("a community in {county_name}"))
                && reading.label.contains("no police department of its own"),
            "`{typed}`: {}",
            reading.label
        );
        assert!(
            reading
                .label_es
                .contains(&format!("una comunidad de {county_name}"))
                && reading
                    .label_es
                    .contains("sin departamento de policía propio"),
            "`{typed}`: {}",
            reading.label_es
        );
        // The note on how it was read carries the same words.
        let note = reading.note(typed).unwrap_or_default();
        assert!(note.contains("a community in"), "{note}");
    }
    let metairie = read_place("Metairie, LA").unwrap();
    assert_eq!(
        metairie.label,
        "Metairie, Louisiana (a community in Jefferson Parish with no police department of its own; its rules are the parish's)"
    );
    assert_eq!(
        metairie.label_es,
        "Metairie, Louisiana (una comunidad de Jefferson Parish sin departamento de policía propio; rigen las normas de la parroquia)"
    );
}

#[test]
fn communities_are_never_a_division_of_their_own() {
    let g = gazetteer();
    let communities: Vec<_> = g
        .entries()
        .iter()
        .filter(|e| e.kind == PlaceKind::Community)
        .collect();
    assert!(communities.len() > 800, "{}", communities.len());
    for community in communities {
        // Its id is its county's, and an id never reads as a community.
        let reading = read_place(&community.id()).unwrap_or_else(|e| panic!("{e}"));
        assert!(!reading.label.contains("a community"), "{}", reading.label);
        // No community shares a name with a place that has police in the same state.
        let name = community.names().next().unwrap_or_default();
        let places = g
            .entries()
            .iter()
            .filter(|e| std::ptr::eq(e.state, community.state) && e.kind.is_city())
            .filter(|e| e.names().any(|n| n.eq_ignore_ascii_case(name)))
            .count();
        assert_eq!(
            places,
            0,
            "{} is also a place with police",
            community.label()
        );
        assert!(community.population >= 10, "{}", community.label());
    }
}

/// `typed` reads as `city` and says it is a part of the city called `name`, in both languages.
fn reads_as_part_of(typed: &str, city: &str, name: &str) {
    let reading = read_place(typed).unwrap_or_else(|e| panic!("`{typed}`: {e}"));
    assert_eq!(reading.id, id(city), "`{typed}`: {}", reading.label);
    assert!(
        reading
            .label
            .contains(&format!("a part of the city of {name}")),
        "{}",
        reading.label
    );
    assert!(
        reading
            .label_es
            .contains(&format!("una parte de la ciudad de {name}")),
        "{}",
        reading.label_es
    );
}

#[test]
fn parts_of_a_city_that_fills_its_county_read_as_the_city() {
    for (typed, city, name) in [
        ("Brooklyn, NY", "state:ny/place:new_york", "New York"),
        ("Brooklyn", "state:ny/place:new_york", "New York"),
        ("The Bronx", "state:ny/place:new_york", "New York"),
        (
            "Staten Island, New York",
            "state:ny/place:new_york",
            "New York",
        ),
        ("Astoria, NY", "state:ny/place:new_york", "New York"),
        ("Kailua, HI", "state:hi/place:honolulu", "Honolulu"),
        ("Pearl City, HI", "state:hi/place:honolulu", "Honolulu"),
        ("Eagle River, AK", "state:ak/place:anchorage", "Anchorage"),
    ] {
        reads_as_part_of(typed, city, name);
    }
}

/// Sections of cities (GeoNames' `PPLX`) read as the city they are a part of: in a county one city
/// fills, that city; elsewhere, the large city that pulls them clearly hardest. Sections that
/// GeoNames gets wrong are communities of their own, read as their county.
#[test]
fn sections_of_cities_read_as_their_city() {
    for (typed, city, name) in [
        ("Harlem", "state:ny/place:new_york", "New York"),
        ("Park Slope, NY", "state:ny/place:new_york", "New York"),
        ("Hollywood, CA", "state:ca/place:los_angeles", "Los Angeles"),
        ("Van Nuys", "state:ca/place:los_angeles", "Los Angeles"),
        (
            "Boyle Heights, CA",
            "state:ca/place:los_angeles",
            "Los Angeles",
        ),
        ("Logan Square", "state:il/place:chicago", "Chicago"),
        ("La Jolla", "state:ca/place:san_diego", "San Diego"),
        (
            "Mission District",
            "state:ca/place:san_francisco",
            "San Francisco",
        ),
        ("Encanto, AZ", "state:az/place:phoenix", "Phoenix"),
    ] {
        reads_as_part_of(typed, city, name);
    }
    // A city of its own and unincorporated places that GeoNames lists as sections.
    reads_as("West Hollywood, CA", "state:ca/county:los_angeles");
    reads_as("Universal City, CA", "state:ca/county:los_angeles");
    // Hollywood, Florida is a city of 150,000: with no state, the name is not Los Angeles's.
    assert!(matches!(
        read_place("Hollywood"),
        Err(PlaceError::Ambiguous { .. })
    ));
    // San Pedro lies between Los Angeles and Long Beach: left out, not guessed.
    assert!(read_place("San Pedro, CA").is_err());
}

/// A part written with its whole after a comma: a section or part with its city, a place or a
/// community with its county, the whole by a short name too.
#[test]
fn a_part_reads_with_its_city_or_county_after_a_comma() {
    for (typed, expected) in [
        ("Hollywood, Los Angeles", "state:ca/place:los_angeles"),
        ("Logan Square, Chicago", "state:il/place:chicago"),
        ("Brooklyn, NYC", "state:ny/place:new_york"),
        ("Metairie, Jefferson Parish", "state:la/parish:jefferson"),
        ("Paradise, Clark County, NV", "state:nv/county:clark"),
        ("Springfield, Sangamon County", "state:il/place:springfield"),
        ("Hollywood, Broward County", "state:fl/place:hollywood"),
    ] {
        reads_as(typed, expected);
    }
    // A township's police named with its county, the state after a comma or not.
    reads_as(
        "Susquehanna Township, Dauphin County Police Department, PA",
        "state:pa/place:susquehanna_township",
    );
    reads_as(
        "Clay Township, Montgomery County PD OH",
        "state:oh/place:clay_township",
    );
    // A part that is not in the whole named is no reading.
    assert!(read_place("Logan Square, Los Angeles").is_err());
    assert!(read_place("Metairie, Orleans Parish").is_err());
}

#[test]
fn a_community_and_a_city_of_one_name_weigh_as_places_do() {
    // Brandon: Florida's community of 103,000 against Mississippi's city of 25,000.
    let error = read_place("Brandon").err();
    let Some(PlaceError::Ambiguous { candidates, .. }) = &error else {
        panic!("`Brandon`: {error:?}");
    };
    assert_eq!(candidates[0].typed, "Brandon, FL");
    let again = read_place(&candidates[0].typed).unwrap();
    assert_eq!(again.id, candidates[0].id);
    // Metairie is one community only.
    reads_as("Metairie", "state:la/parish:jefferson");
}

#[test]
fn a_bare_county_name_reads_as_the_county_when_it_dwarfs_the_places_of_that_name() {
    for (typed, county) in [
        ("Westchester", "state:ny/county:westchester"),
        ("Westchester, NY", "state:ny/county:westchester"),
        ("Westchester County", "state:ny/county:westchester"),
        ("Maricopa", "state:az/county:maricopa"),
        ("Cook", "state:il/county:cook"),
        ("Miami-Dade", "state:fl/county:miami_dade"),
        ("Hennepin", "state:mn/county:hennepin"),
        ("Harris", "state:tx/county:harris"),
        ("Fairfax", "state:va/county:fairfax"),
        ("Suffolk County, NY", "state:ny/county:suffolk"),
        ("Prince George's", "state:md/county:prince_george_s"),
    ] {
        reads_as(typed, county);
    }
    // A bare name is a city first: the city over its own county, and over counties elsewhere
    // that do not dwarf it.
    for (typed, place) in [
        ("Dallas", "state:tx/place:dallas"),
        ("Los Angeles", "state:ca/place:los_angeles"),
        ("Houston", "state:tx/place:houston"),
        ("Miami", "state:fl/place:miami"),
        ("El Paso", "state:tx/place:el_paso"),
        ("Mesa", "state:az/place:mesa"),
        ("Oakland", "state:ca/place:oakland"),
        ("Wichita", "state:ks/place:wichita"),
        ("Maricopa, AZ", "state:az/place:maricopa"),
        ("Dallas, TX", "state:tx/place:dallas"),
    ] {
        reads_as(typed, place);
    }
    // A county named by someone who means it, with its state.
    let reading = read_place("Maricopa").unwrap();
    assert!(reading.others.iter().any(|c| c.typed == "Maricopa, AZ"));
}

/// Names people use alone that several places share and none dwarfs.
const AMBIGUOUS: &[&str] = &[
    "Portland",
    "Springfield",
    "Columbus",
    "Kansas City",
    "Arlington",
    "Aurora",
    "Richmond",
    "Glendale",
    "Rochester",
    "Madison",
    "Jackson",
    "Pasadena",
];

#[test]
fn the_largest_cities_read_by_their_bare_name_and_shared_names_stay_ambiguous() {
    let g = gazetteer();
    let mut largest: Vec<_> = g
        .entries()
        .iter()
        .filter(|e| e.kind.is_city() && e.kind != PlaceKind::Whole)
        .collect();
    largest.sort_by_key(|e| std::cmp::Reverse(e.population));
    let mut checked = 0;
    for entry in largest.iter().take(100) {
        let name = entry.names().next().unwrap_or_default();
        // `New York` alone is the state.
        if AMBIGUOUS.contains(&name) || name == "New York" {
            continue;
        }
        let reading = read_place(name).unwrap_or_else(|e| panic!("`{name}`: {e}"));
        assert_eq!(reading.id, entry.id(), "`{name}` read as {}", reading.label);
        checked += 1;
    }
    assert!(checked >= 90, "{checked}");
    for name in AMBIGUOUS {
        let error = read_place(name).err();
        assert!(
            matches!(error, Some(PlaceError::Ambiguous { .. })),
            "`{name}`: {error:?}"
        );
    }
    // Near the threshold: a big city against small namesakes reads as the big city.
    for (typed, place) in [
        ("Birmingham", "state:al/place:birmingham"),
        ("Cleveland", "state:oh/place:cleveland"),
        ("Lexington", "state:ky/place:lexington"),
        ("Norfolk", "state:va/place:norfolk"),
        ("Fremont", "state:ca/place:fremont"),
        ("Huntsville", "state:al/place:huntsville"),
        ("Jacksonville", "state:fl/place:jacksonville"),
    ] {
        reads_as(typed, place);
    }
}

/// The largest agencies as records and people write them (without a directory).
const AGENCIES: &[(&str, &str)] = &[
    ("Unified Police, UT", "state:ut/county:salt_lake"),
    ("Unified Police Department", "state:ut/county:salt_lake"),
    ("LVMPD", "state:nv/county:clark"),
    ("Las Vegas Metro", "state:nv/county:clark"),
    ("Metro Nashville Police", "state:tn/place:nashville"),
    ("Charlotte-Mecklenburg Police", "state:nc/place:charlotte"),
    ("Miami-Dade Sheriff", "state:fl/county:miami_dade"),
    ("Miami-Dade Sheriff's Office", "state:fl/county:miami_dade"),
    ("Cook County Sheriff's Office", "state:il/county:cook"),
    (
        "Harris County Constable Precinct 1",
        "state:tx/county:harris",
    ),
    ("Harris County Constable Pct. 4", "state:tx/county:harris"),
    (
        "Maricopa County Sheriff's Office",
        "state:az/county:maricopa",
    ),
    ("Maricopa County SO", "state:az/county:maricopa"),
    ("Maricopa County Sheriff Dept", "state:az/county:maricopa"),
    ("Maricopa Co. Sheriff", "state:az/county:maricopa"),
    ("Fairfax County Police", "state:va/county:fairfax"),
    ("Baltimore County PD", "state:md/county:baltimore"),
    ("Suffolk County Police, NY", "state:ny/county:suffolk"),
    ("Nassau County Police Department", "state:ny/county:nassau"),
    (
        "Prince George's County Police",
        "state:md/county:prince_george_s",
    ),
    ("Montgomery County PD, MD", "state:md/county:montgomery"),
    ("Riverside County Sheriff", "state:ca/county:riverside"),
    ("Houston PD", "state:tx/place:houston"),
    ("Chicago Police Department", "state:il/place:chicago"),
    ("Phoenix PD", "state:az/place:phoenix"),
    ("Philadelphia Police", "state:pa/place:philadelphia"),
    ("Washington DC Police", "district:dc"),
    ("Columbus Division of Police", "state:oh/place:columbus"),
    (
        "Indianapolis Metropolitan Police Department",
        "state:in/place:indianapolis",
    ),
    ("IMPD", "state:in/place:indianapolis"),
    ("LMPD", "state:ky/place:louisville"),
    ("Louisville Metro Police", "state:ky/place:louisville"),
    (
        "St. Louis Metropolitan Police Department",
        "state:mo/place:st_louis",
    ),
    (
        "Jacksonville Sheriff's Office",
        "state:fl/place:jacksonville",
    ),
    ("Broward Sheriff's Office", "state:fl/county:broward"),
    (
        "Jefferson Parish Sheriff's Office",
        "state:la/parish:jefferson",
    ),
    ("JPSO", "state:la/parish:jefferson"),
    (
        "Gwinnett County Police Department",
        "state:ga/county:gwinnett",
    ),
    ("Bexar County Sheriff", "state:tx/county:bexar"),
    ("King County Sheriff's Office", "state:wa/county:king"),
];

/// County police departments named without their state: of the counties of the name, the one
/// whose county has a police department of its own, as the gazetteer records from the FBI's list,
/// with no agency directory at hand.
const COUNTY_POLICE: &[(&str, &str)] = &[
    (
        "Montgomery County Police Department",
        "state:md/county:montgomery",
    ),
    ("Montgomery County Police", "state:md/county:montgomery"),
    ("Howard County Police Department", "state:md/county:howard"),
    ("DeKalb County Police", "state:ga/county:dekalb"),
    (
        "Suffolk County Police Department",
        "state:ny/county:suffolk",
    ),
    ("St. Louis County Police", "state:mo/county:st_louis"),
    ("Chesterfield County PD", "state:va/county:chesterfield"),
];

/// Other word orders, short forms and other names people write.
#[test]
fn offices_before_their_county_and_short_county_words_read() {
    for (typed, expected) in [
        ("Sheriff of Cook County", "state:il/county:cook"),
        (
            "Office of the Sheriff of Cook County",
            "state:il/county:cook",
        ),
        (
            "Sheriff's Office of Orange County, FL",
            "state:fl/county:orange",
        ),
        ("County of Los Angeles", "state:ca/county:los_angeles"),
        (
            "Township of Cherry Hill, NJ",
            "state:nj/place:cherry_hill_township",
        ),
        ("Borough of State College", "state:pa/place:state_college"),
        ("Bexar Co", "state:tx/county:bexar"),
        ("Harris Co., TX", "state:tx/county:harris"),
        ("Miami Dade PD", "state:fl/county:miami_dade"),
        ("N. Las Vegas", "state:nv/place:north_las_vegas"),
        ("W. Palm Beach, FL", "state:fl/place:west_palm_beach"),
        ("Pt. St. Lucie", "state:fl/place:port_st_lucie"),
        ("Augusta, GA", "state:ga/county:richmond"),
        ("Butte, MT", "state:mt/county:silver_bow"),
        ("Athens-Clarke", "state:ga/place:athens_clarke_county"),
        ("Louisville-Jefferson County", "state:ky/place:louisville"),
        ("Urban Honolulu", "state:hi/place:honolulu"),
        ("Anchorage Municipality", "state:ak/place:anchorage"),
        ("Anne Arundel PD", "state:md/county:anne_arundel"),
    ] {
        reads_as(typed, expected);
    }
}

#[test]
fn a_county_police_department_without_its_state_reads_as_the_county_that_has_one() {
    for (typed, expected) in COUNTY_POLICE {
        reads_as(typed, expected);
    }
    // A sheriff's office of a shared county name stays ambiguous: every such county has one.
    assert!(matches!(
        read_place("Montgomery County Sheriff's Office"),
        Err(PlaceError::Ambiguous { .. })
    ));
    // With its state, the county of that state, police department or not.
    reads_as(
        "Montgomery County Police Department, TX",
        "state:tx/county:montgomery",
    );
    let flagged: Vec<String> = gazetteer()
        .entries()
        .iter()
        .filter(|e| e.county_police)
        .map(|e| e.id())
        .collect();
    assert!(flagged.len() > 30, "{flagged:?}");
    assert!(
        flagged.iter().all(|id| !id.contains("/place:")),
        "{flagged:?}"
    );
}

#[test]
fn the_largest_agencies_read_as_written() {
    for (typed, expected) in AGENCIES {
        reads_as(typed, expected);
    }
}

fn shared_data() -> Option<PathBuf> {
    common::shared_data("the FBI's largest agencies are not read")
}

/// The 100 agencies with the most officers in the FBI's list, written as people write them
/// (`<Name> Police Department`, `<Name> PD`, `<Name> County Sheriff's Office`, `<Name> SO`,
/// `<Name> Co. Sheriff`, `<Name> Sheriff Dept`, with and without the state), read through the
/// directory as `remit ask` reads them: each must read as a division of the agency's state.
#[test]
fn the_hundred_largest_fbi_agencies_read_in_the_ways_people_write_them() {
    let Some(data) = shared_data() else {
        return;
    };
    let path = data.join("agencies/fbi-lee.csv");
    let directory = Directory::from_fbi_csv(&path).unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut rows: Vec<(u64, String, String, String)> = text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            let officers = fields.get(7)?.parse().ok()?;
            let kind = fields.get(5)?.to_string();
            (kind == "City" || kind == "County")
                .then(|| (officers, fields[2].to_string(), fields[3].to_string(), kind))
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let resolver = Resolver::new(directory);
    let reader = PlaceReader::new().with_resolver(&resolver);
    let mut failures = Vec::new();
    let mut tried = 0;
    for (_, name, state, kind) in rows.iter().take(100) {
        // The FBI writes Nebraska `NB`; people write `NE`.
        let state = if state == "NB" { "NE" } else { state.as_str() };
        // Names the FBI gives for the agency itself are written as the agency.
        let base = name.trim();
        let agency_words = ["Police", "Sheriff", "Office", "Department", "Public Safety"];
        let county_like = kind == "County" && !agency_words.iter().any(|w| base.contains(w));
        let (county_word, short) = if state == "LA" {
            ("Parish", "Parish")
        } else {
            ("County", "Co.")
        };
        let forms: Vec<String> = if county_like {
            let county = base.trim_end_matches(" County");
            vec![
                format!("{county} {county_word} Sheriff's Office, {state}"),
                format!("{county} {county_word} SO {state}"),
                format!("{county} {short} Sheriff, {state}"),
                format!("{county} {county_word} Sheriff Dept ({state})"),
            ]
        } else if agency_words.iter().any(|w| base.contains(w)) {
            vec![format!("{base}, {state}")]
        } else {
            vec![
                format!("{base} Police Department, {state}"),
                format!("{base} PD, {state}"),
                format!("{base} Police ({state})"),
            ]
        };
        for form in forms {
            tried += 1;
            match reader.read(&form) {
                Ok(reading) if reading.id.contains(&format!(":{}", state.to_lowercase())) => {}
                Ok(reading) => failures.push(format!("`{form}` read as {}", reading.id)),
                Err(error) => failures.push(format!("`{form}`: {error}")),
            }
        }
    }
    assert!(tried >= 200, "{tried}");
    // Each must read as a division in the agency's state; a few may fall back to the state
    // itself (agencies whose county the words cannot tell), never to another state or an error.
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
