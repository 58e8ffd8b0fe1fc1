//! The parser on each naming form the records use: what it reads as place, state (and where it
//! found it), kind, county and tags.

use remit_agencies::{AgencyKind, StateSource, parse};

struct Case {
    name: &'static str,
    place: &'static str,
    state: Option<&'static str>,
    source: Option<StateSource>,
    kind: Option<AgencyKind>,
    county: bool,
    tags: &'static [&'static str],
}

const fn case(
    name: &'static str,
    place: &'static str,
    state: Option<&'static str>,
    source: Option<StateSource>,
    kind: Option<AgencyKind>,
    county: bool,
    tags: &'static [&'static str],
) -> Case {
    Case {
        name,
        place,
        state,
        source,
        kind,
        county,
        tags,
    }
}

use AgencyKind as K;
use StateSource as S;

const CASES: &[Case] = &[
    // Flock organisation names: place, state code, kind.
    case(
        "El Cajon CA PD",
        "El Cajon",
        Some("CA"),
        Some(S::Code),
        Some(K::PoliceDepartment),
        false,
        &[],
    ),
    case(
        "Anoka County MN SO",
        "Anoka County",
        Some("MN"),
        Some(S::Code),
        Some(K::Sheriff),
        true,
        &[],
    ),
    case(
        "Albion MI DPS",
        "Albion",
        Some("MI"),
        Some(S::Code),
        Some(K::PoliceDepartment),
        false,
        &[],
    ),
    case(
        "Riverside County CA SD",
        "Riverside County",
        Some("CA"),
        Some(S::Code),
        Some(K::Sheriff),
        true,
        &[],
    ),
    case(
        "Polk County FL SO (LR)",
        "Polk County",
        Some("FL"),
        Some(S::Code),
        Some(K::Sheriff),
        true,
        &["lr"],
    ),
    case(
        "Brooklyn Park MN PD [Inactive]",
        "Brooklyn Park",
        Some("MN"),
        Some(S::Code),
        Some(K::PoliceDepartment),
        false,
        &["inactive"],
    ),
    case(
        "U.S. Border Patrol [Federal]",
        "U.S. Border Patrol",
        None,
        None,
        None,
        false,
        &["federal"],
    ),
    // Portal names: state in brackets, even with a space.
    case(
        "El Cajon PD ( CA)",
        "El Cajon",
        Some("CA"),
        Some(S::Brackets),
        Some(K::PoliceDepartment),
        false,
        &[],
    ),
    case(
        "Tombstone Marshals Office (AZ)",
        "Tombstone",
        Some("AZ"),
        Some(S::Brackets),
        Some(K::Marshal),
        false,
        &[],
    ),
    case(
        "Glendora (CA) PD",
        "Glendora",
        Some("CA"),
        Some(S::Brackets),
        Some(K::PoliceDepartment),
        false,
        &[],
    ),
    // State set off by a dash or a comma.
    case(
        "MN - Renville County SO",
        "Renville County",
        Some("MN"),
        Some(S::Segment),
        Some(K::Sheriff),
        true,
        &[],
    ),
    case(
        "ARROYO GRANDE POLICE DEPARTMENT-CA",
        "Arroyo Grande",
        Some("CA"),
        Some(S::Segment),
        Some(K::PoliceDepartment),
        false,
        &[],
    ),
    case(
        "Hayward, CA PD",
        "Hayward",
        Some("CA"),
        Some(S::Comma),
        Some(K::PoliceDepartment),
        false,
        &[],
    ),
    // Products and sub-accounts.
    case(
        "Texarkana TX PD - Falcon Flex",
        "Texarkana",
        Some("TX"),
        Some(S::Code),
        Some(K::PoliceDepartment),
        false,
        &["falcon", "flex"],
    ),
    case(
        "Chesapeake PD - VERRA MOBILITY (VA)",
        "Chesapeake",
        Some("VA"),
        Some(S::Brackets),
        Some(K::PoliceDepartment),
        false,
        &["verra_mobility"],
    ),
    case(
        "Alachua County FL SO Gunshot Detection",
        "Alachua County",
        Some("FL"),
        Some(S::Code),
        Some(K::Sheriff),
        true,
        &["gunshot_detection"],
    ),
    // ICE sheet names: no state in the name.
    case(
        "City of Boca Raton Police Department",
        "Boca Raton",
        None,
        None,
        Some(K::PoliceDepartment),
        false,
        &[],
    ),
    case(
        "Galveston County Sheriff’s Office",
        "Galveston County",
        None,
        None,
        Some(K::Sheriff),
        true,
        &[],
    ),
    // State agencies by the state's name.
    case(
        "Arizona Department of Public Safety",
        "Arizona",
        Some("AZ"),
        Some(S::Name),
        Some(K::StatePolice),
        false,
        &[],
    ),
    case(
        "NYS Crime Analysis Center Network",
        "NYS",
        Some("NY"),
        Some(S::Name),
        Some(K::IntelligenceCenter),
        false,
        &[],
    ),
    case(
        "Los Altos California Police Department",
        "Los Altos",
        Some("CA"),
        Some(S::Name),
        Some(K::PoliceDepartment),
        false,
        &[],
    ),
    // Places named like states.
    case(
        "Nevada County Sheriff's Office",
        "Nevada County",
        None,
        None,
        Some(K::Sheriff),
        true,
        &[],
    ),
    case(
        "Texas City TX PD",
        "Texas City",
        Some("TX"),
        Some(S::Code),
        Some(K::PoliceDepartment),
        false,
        &[],
    ),
    case(
        "Wyoming PD",
        "Wyoming",
        None,
        None,
        Some(K::PoliceDepartment),
        false,
        &[],
    ),
    // Traps.
    case(
        "Marshall TX PD",
        "Marshall",
        Some("TX"),
        Some(S::Code),
        Some(K::PoliceDepartment),
        false,
        &[],
    ),
    case("CAL FIRE", "Cal", None, None, Some(K::Fire), false, &[]),
    case(
        "Gasconade Co MO SO",
        "Gasconade County",
        Some("MO"),
        Some(S::Code),
        Some(K::Sheriff),
        true,
        &[],
    ),
    case(
        "College Park GA PD",
        "College Park",
        Some("GA"),
        Some(S::Code),
        Some(K::PoliceDepartment),
        false,
        &[],
    ),
    case(
        "Hoffman Estates IL PD",
        "Hoffman Estates",
        Some("IL"),
        Some(S::Code),
        Some(K::PoliceDepartment),
        false,
        &[],
    ),
    case(
        "Coolspring Township Constbales Office",
        "Coolspring Township",
        None,
        None,
        Some(K::Constable),
        false,
        &[],
    ),
    // Hosts: university, school, tribe.
    case(
        "Stanford University Department Of Public Safety",
        "Stanford University",
        None,
        None,
        Some(K::University),
        false,
        &[],
    ),
    case(
        "Cypress Fairbanks ISD (TX) PD",
        "Cypress Fairbanks ISD",
        Some("TX"),
        Some(S::Brackets),
        Some(K::School),
        false,
        &[],
    ),
    case(
        "Colville WA Tribal Police",
        "Colville Tribal",
        Some("WA"),
        Some(S::Code),
        Some(K::Tribal),
        false,
        &[],
    ),
    // Private.
    case(
        "Highlands HOA (CA)",
        "Highlands HOA",
        Some("CA"),
        Some(S::Brackets),
        Some(K::HomeownersAssociation),
        false,
        &[],
    ),
    case(
        "Muscle Shoals AL Walmart",
        "Muscle Shoals Walmart",
        Some("AL"),
        Some(S::Code),
        Some(K::Business),
        false,
        &[],
    ),
];

#[test]
fn every_form() {
    let mut failures = Vec::new();
    for case in CASES {
        let parsed = parse(case.name);
        let got = (
            parsed.place.as_str(),
            parsed.state,
            parsed.state_source,
            parsed.kind,
            parsed.county,
        );
        let want = (case.place, case.state, case.source, case.kind, case.county);
        if got != want {
            failures.push(format!("{}: got {got:?}, want {want:?}", case.name));
        }
        for tag in case.tags {
            if !parsed.tags.contains(tag) {
                failures.push(format!(
                    "{}: no tag `{tag}` in {:?}",
                    case.name, parsed.tags
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn federal_marker_and_notes() {
    assert!(parse("U.S. Border Patrol [Federal]").federal_marker);
    assert!(parse("US GSA Office of Inspector General").federal_marker);
    assert!(parse("(Federal) US Postal Inspection Service").federal_marker);
    assert!(!parse("Usher County SO").federal_marker);
    let nfta = parse("Niagara Frontier Transit Authority (NFTA) PD");
    assert_eq!(nfta.notes, ["NFTA"]);
    let stark = parse("Jackson Township OH PD (Stark County)");
    assert_eq!(stark.county_hint.as_deref(), Some("STARK"));
}

#[test]
fn state_level_names() {
    for name in [
        "Arizona Department of Public Safety",
        "Attorney General of Illinois",
        "CA DOJ - BUREAU OF FIREARMS (CA)",
        "FL - Department of Corrections",
        "Louisiana Military Department",
        "Highway Patrol (CA)",
    ] {
        assert!(parse(name).state_level, "{name}");
    }
    for name in [
        "Arizona City AZ PD",
        "Washington County OR SO",
        "Florida Atlantic University FL PD",
        "Indiana PA PD",
    ] {
        let parsed = parse(name);
        assert!(
            !parsed.state_level || parsed.kind == Some(K::University),
            "{name}: {parsed:?}"
        );
    }
}
