//! Places as people type them, read through the gazetteer: names with and without their state,
//! counties, agencies, short names and OCD ids in any case; ambiguous and unknown names are
//! errors that list the candidates. And the gazetteer itself: rebuilt from ../shared/data, it
//! must equal the committed file.
#![expect(clippy::panic, reason = "test helpers stop the test on a bad setup")]

use std::path::{Path, PathBuf};

use remit_agencies::places::{
    Area, PlaceError, PlaceKind, ReadAs, build_gazetteer, communities_in, gazetteer,
};
use remit_agencies::{Directory, PlaceReader, Resolver, read_place};

const US: &str = "ocd-division/country:us";

fn id(rest: &str) -> String {
    format!("{US}/{rest}")
}

/// Typed text -> the division it must read as.
const READS_AS: &[(&str, &str)] = &[
    // Cities with their state, every way it is written.
    ("Dallas, TX", "state:tx/place:dallas"),
    ("Dallas TX", "state:tx/place:dallas"),
    ("dallas, tx", "state:tx/place:dallas"),
    ("  DALLAS,TX  ", "state:tx/place:dallas"),
    ("Dallas, Texas", "state:tx/place:dallas"),
    ("Dallas Texas", "state:tx/place:dallas"),
    ("Dallas (TX)", "state:tx/place:dallas"),
    ("Minneapolis, MN", "state:mn/place:minneapolis"),
    ("Philadelphia PA", "state:pa/place:philadelphia"),
    ("Portland, OR", "state:or/place:portland"),
    ("Portland, Maine", "state:me/place:portland"),
    ("St. Paul, MN", "state:mn/place:st_paul"),
    ("Saint Paul, Minnesota", "state:mn/place:st_paul"),
    ("New York, NY", "state:ny/place:new_york"),
    ("Kansas City, MO", "state:mo/place:kansas_city"),
    ("Kansas City Missouri", "state:mo/place:kansas_city"),
    ("Nashville, TN", "state:tn/place:nashville"),
    ("Louisville, KY", "state:ky/place:louisville"),
    ("Las Vegas, NV", "state:nv/place:las_vegas"),
    ("City of Boston, MA", "state:ma/place:boston"),
    ("Washington, DC", "district:dc"),
    (
        "Washington Township, Bergen County, NJ",
        "state:nj/place:washington_township",
    ),
    ("Moon, PA", "state:pa/place:moon_township"),
    // A name only one place has needs no state.
    ("Los Angeles", "state:ca/place:los_angeles"),
    ("Hennepin County", "state:mn/county:hennepin"),
    // Counties and county equivalents.
    ("Harris County, TX", "state:tx/county:harris"),
    ("harris county texas", "state:tx/county:harris"),
    ("Harris, TX", "state:tx/county:harris"),
    (
        "los angeles county, california",
        "state:ca/county:los_angeles",
    ),
    ("Orleans Parish, LA", "state:la/parish:orleans"),
    (
        "East Baton Rouge Parish, Louisiana",
        "state:la/parish:east_baton_rouge",
    ),
    (
        "Lewis and Clark County, MT",
        "state:mt/county:lewis_and_clark",
    ),
    ("St. Louis County, MO", "state:mo/county:st_louis"),
    ("St. Louis, MO", "state:mo/place:st_louis"),
    ("Richmond, VA", "state:va/place:richmond"),
    ("Richmond County, VA", "state:va/county:richmond"),
    ("Baltimore County, MD", "state:md/county:baltimore"),
    ("Anchorage Borough, AK", "state:ak/borough:anchorage"),
    ("Doña Ana County, NM", "state:nm/county:dona_ana"),
    ("Dona Ana County, NM", "state:nm/county:dona_ana"),
    // States and the country.
    ("TX", "state:tx"),
    ("texas", "state:tx"),
    ("New York", "state:ny"),
    ("DC", "district:dc"),
    ("Puerto Rico", "territory:pr"),
    // Short names: places, and agencies (named-agencies file).
    ("NYC", "state:ny/place:new_york"),
    ("New York City", "state:ny/place:new_york"),
    ("nypd", "state:ny/place:new_york"),
    ("LAPD", "state:ca/place:los_angeles"),
    ("LASD", "state:ca/county:los_angeles"),
    ("SFPD", "state:ca/place:san_francisco"),
    ("CHP", "state:ca"),
    ("Portland Police Bureau", "state:or/place:portland"),
    ("PPB", "state:or/place:portland"),
    ("Philly", "state:pa/place:philadelphia"),
    ("NOLA", "state:la/place:new_orleans"),
    ("NOPD", "state:la/place:new_orleans"),
    ("CMPD", "state:nc/place:charlotte"),
    // Metropolitan and consolidated departments: the division the file gives.
    ("LVMPD", "state:nv/county:clark"),
    (
        "Las Vegas Metropolitan Police Department",
        "state:nv/county:clark",
    ),
    ("Metro Nashville", "state:tn/place:nashville"),
    (
        "Metropolitan Nashville Police Department",
        "state:tn/place:nashville",
    ),
    (
        "Jacksonville Sheriff's Office",
        "state:fl/place:jacksonville",
    ),
    ("Miami-Dade Police", "state:fl/county:miami_dade"),
    ("Miami-Dade Police Department", "state:fl/county:miami_dade"),
    ("MPD DC", "district:dc"),
    ("DC Police", "district:dc"),
    // Agencies, read as the division whose rules bind them.
    ("Harris County Sheriff, TX", "state:tx/county:harris"),
    (
        "Harris County Sheriff's Office TX",
        "state:tx/county:harris",
    ),
    ("Dallas Police Department, TX", "state:tx/place:dallas"),
    ("Dallas PD, Texas", "state:tx/place:dallas"),
    ("El Cajon CA PD", "state:ca/place:el_cajon"),
    ("Anoka County MN SO", "state:mn/county:anoka"),
    (
        "Minneapolis Police Department, MN",
        "state:mn/place:minneapolis",
    ),
    (
        "Hennepin County Sheriff's Office",
        "state:mn/county:hennepin",
    ),
    (
        "Los Angeles County Sheriff's Department",
        "state:ca/county:los_angeles",
    ),
    (
        "San Francisco Sheriff's Office",
        "state:ca/county:san_francisco",
    ),
    (
        "Richmond City Sheriff's Office, VA",
        "state:va/place:richmond",
    ),
    ("Arizona Department of Public Safety", "state:az"),
    ("Texas Highway Patrol", "state:tx"),
    // OCD ids, in any case.
    ("OCD-Division/Country:US/State:CA", "state:ca"),
    ("ocd-division/country:us", ""),
    (
        "OCD-DIVISION/COUNTRY:US/STATE:CA/PLACE:LOS_ANGELES",
        "state:ca/place:los_angeles",
    ),
    (
        "ocd-division/country:us/state:mn/county:hennepin",
        "state:mn/county:hennepin",
    ),
];

#[test]
fn typed_names_read_as_their_divisions() {
    let mut wrong = Vec::new();
    for (typed, expected) in READS_AS {
        let expected = if expected.is_empty() {
            US.to_string()
        } else {
            id(expected)
        };
        match read_place(typed) {
            Ok(reading) if reading.id == expected => {}
            Ok(reading) => wrong.push(format!(
                "`{typed}`: read as `{}`, not `{expected}`",
                reading.id
            )),
            Err(error) => wrong.push(format!("`{typed}`: {error}; {}", error.help())),
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// The ids of the candidates an error lists.
fn candidates(error: &PlaceError) -> Vec<String> {
    error.candidates().iter().map(|c| c.id.clone()).collect()
}

#[test]
fn a_name_several_places_share_is_an_error_listing_them() {
    // No one of them dwarfs the others: Oregon's Portland serves about nine times Maine's.
    for (typed, some_of) in [
        (
            "Portland",
            &["state:or/place:portland", "state:me/place:portland"][..],
        ),
        (
            "Springfield",
            &[
                "state:il/place:springfield",
                "state:mo/place:springfield",
                "state:ma/place:springfield",
            ],
        ),
        (
            "Kansas City",
            &["state:mo/place:kansas_city", "state:ks/place:kansas_city"],
        ),
        (
            "Columbus Police Department",
            &["state:oh/place:columbus", "state:ga/place:columbus"],
        ),
        (
            "Orange County Sheriff",
            &["state:ca/county:orange", "state:fl/county:orange"],
        ),
        (
            "Port Washington",
            &[
                "state:ny/place:port_washington",
                "state:wi/place:port_washington",
            ],
        ),
    ] {
        let error = match read_place(typed) {
            Err(error @ PlaceError::Ambiguous { .. }) => error,
            other => panic!("`{typed}`: expected an ambiguity, got {other:?}"),
        };
        let listed = candidates(&error);
        for expected in some_of {
            assert!(
                listed.contains(&id(expected)),
                "`{typed}`: {listed:?} lacks {expected}"
            );
        }
        // Each candidate says its state and id, and how to write it so it reads as that one.
        let help = error.help();
        assert!(help.contains(&id(some_of[0])), "{help}");
        for candidate in error.candidates() {
            let again = read_place(&candidate.typed)
                .unwrap_or_else(|e| panic!("`{}`: {e}", candidate.typed));
            assert_eq!(again.id, candidate.id, "`{}`", candidate.typed);
        }
    }
    // The most populous first.
    let error = read_place("Springfield").err();
    let first = error
        .as_ref()
        .and_then(|e| e.candidates().first())
        .map(|c| c.id.clone());
    assert_eq!(first, Some(id("state:mo/place:springfield")));
}

#[test]
fn a_name_one_place_dwarfs_the_others_with_is_read_as_it_with_the_others_named() {
    for (typed, meant, some_others) in [
        (
            "Dallas Police Department",
            "state:tx/place:dallas",
            &["state:ga/place:dallas", "state:or/place:dallas"][..],
        ),
        (
            "Dallas PD",
            "state:tx/place:dallas",
            &["state:pa/place:dallas"],
        ),
        (
            "Dallas",
            "state:tx/place:dallas",
            &["state:ga/place:dallas"],
        ),
        (
            "Houston Police Department",
            "state:tx/place:houston",
            &["state:mo/place:houston"],
        ),
        (
            "Minneapolis",
            "state:mn/place:minneapolis",
            &["state:ks/place:minneapolis"],
        ),
        (
            "Minneapolis Police Department",
            "state:mn/place:minneapolis",
            &["state:ks/place:minneapolis"],
        ),
        // Georgia has a Harris County too, with under a hundredth of the people.
        (
            "Harris County Sheriff",
            "state:tx/county:harris",
            &["state:ga/county:harris"],
        ),
        (
            "Harris County Sheriff's Office",
            "state:tx/county:harris",
            &["state:ga/county:harris"],
        ),
        (
            "Harris County",
            "state:tx/county:harris",
            &["state:ga/county:harris"],
        ),
        (
            "Cook County",
            "state:il/county:cook",
            &["state:ga/county:cook"],
        ),
    ] {
        let reading = read_place(typed).unwrap_or_else(|e| panic!("`{typed}`: {e}"));
        assert_eq!(reading.id, id(meant), "`{typed}`");
        let others: Vec<String> = reading.others.iter().map(|c| c.id.clone()).collect();
        for other in some_others {
            assert!(
                others.contains(&id(other)),
                "`{typed}`: {others:?} lacks {other}"
            );
        }
        assert!(!others.contains(&reading.id), "`{typed}`");
        // The note says so, and each other one reads as itself when written as shown.
        let note = reading.note(typed).unwrap_or_default();
        assert!(note.contains("the largest of"), "`{typed}`: {note}");
        assert!(
            note.contains(&format!("`{}`", reading.others[0].typed)),
            "{note}"
        );
        for other in &reading.others {
            let again =
                read_place(&other.typed).unwrap_or_else(|e| panic!("`{}`: {e}", other.typed));
            assert_eq!(again.id, other.id, "`{}`", other.typed);
        }
    }
    // With a state, no note of others.
    let reading = read_place("Dallas, TX").unwrap();
    assert!(reading.others.is_empty());
}

#[test]
fn an_unknown_name_is_an_error_with_the_nearest_names() {
    let error = read_place("Minneapolos, MN").err();
    assert!(
        matches!(error, Some(PlaceError::Unknown { .. })),
        "{error:?}"
    );
    let listed = error.as_ref().map(candidates).unwrap_or_default();
    assert_eq!(
        listed.first(),
        Some(&id("state:mn/place:minneapolis")),
        "{listed:?}"
    );
    assert!(error.is_some_and(|e| e.help().contains("did you mean")));

    let error = read_place("Nowhere City, ZZ").err();
    assert!(
        matches!(&error, Some(PlaceError::UnknownState { input, .. }) if input == "ZZ"),
        "{error:?}"
    );
    assert!(error.is_some_and(|e| e.to_string() == "`ZZ` names no US state or territory"));

    let error = read_place("Californa").err();
    assert!(error.is_some_and(|e| e.help() == "did you mean `California`?"));

    let error = read_place("Dallas, Texsa").err();
    assert!(error.is_some_and(|e| e.help() == "did you mean `Texas`?"));

    for unknown in ["Narnia", "Narnia PD", "Nowhere Special", "Gotham City, NJ"] {
        let error = read_place(unknown).err();
        assert!(
            matches!(error, Some(PlaceError::Unknown { .. })),
            "`{unknown}`: {error:?}"
        );
    }
    assert!(matches!(read_place("   "), Err(PlaceError::Empty)));
}

#[test]
fn no_place_is_invented() {
    // Once read as the places `lapd` and `nypd`: now the agencies' places.
    for (typed, expected) in [
        ("LAPD", "state:ca/place:los_angeles"),
        ("NYPD", "state:ny/place:new_york"),
    ] {
        assert_eq!(read_place(typed).map(|r| r.id).ok(), Some(id(expected)));
    }
    // A well-formed id of no county or place is an error that offers the nearest id.
    let error = read_place("ocd-division/country:us/state:ca/place:los_angelos").err();
    assert!(
        matches!(error, Some(PlaceError::UnknownDivision { .. })),
        "{error:?}"
    );
    let listed = error.as_ref().map(candidates).unwrap_or_default();
    assert_eq!(listed.first(), Some(&id("state:ca/place:los_angeles")));
    assert!(error.is_some_and(|e| {
        e.help()
            .contains("ocd-division/country:us/state:ca/place:los_angeles")
    }));
    assert!(read_place("ocd-division/country:us/state:ca/place:lapd").is_err());
    assert!(matches!(
        read_place("ocd-division/country:us/state:zz"),
        Err(PlaceError::UnknownState { .. })
    ));
    assert!(matches!(
        read_place("ocd-division/country:us/state:ca/place:los angeles"),
        Err(PlaceError::Malformed { .. })
    ));
    // Unless the caller's corpus has rules for it.
    let reader =
        PlaceReader::new().with_known_ids(|id| id.ends_with("/place:springfield_township_special"));
    let reading =
        reader.read("ocd-division/country:us/state:oh/place:springfield_township_special");
    assert_eq!(reading.map(|r| r.read_as).ok(), Some(ReadAs::Corpus));
}

#[test]
fn readings_say_how_they_were_read() {
    let reading = read_place("Dallas, TX").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reading.label, "Dallas, Texas");
    assert_eq!(
        reading.note("Dallas, TX").as_deref(),
        Some(
            "`Dallas, TX` read as Dallas, Texas (`ocd-division/country:us/state:tx/place:dallas`)"
        )
    );
    let reading = read_place("LAPD").unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(&reading.read_as, ReadAs::Agency { name, .. } if name == "Los Angeles Police Department")
    );
    assert!(
        reading
            .note("LAPD")
            .is_some_and(|n| n.contains("Los Angeles Police Department"))
    );
    let reading = read_place("CA").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reading.note("CA"), None);
    let reading = read_place("ocd-division/country:us/state:ca").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reading.note("ocd-division/country:us/state:ca"), None);
}

#[test]
fn with_a_directory_agencies_and_oris_read_too() {
    let resolver = Resolver::new(Directory::builtin());
    let reader = PlaceReader::new().with_resolver(&resolver);
    // The ORI of the Los Angeles Police Department and of the Anoka County Sheriff.
    assert_eq!(
        reader.read("CA0194200").map(|r| r.id).ok(),
        Some(id("state:ca/place:los_angeles"))
    );
    assert_eq!(
        reader.read("mn0020000").map(|r| r.id).ok(),
        Some(id("state:mn/county:anoka"))
    );
    let reading = reader
        .read("El Cajon CA PD")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        reading
            .note("El Cajon CA PD")
            .is_some_and(|n| n.contains("read as El Cajon Police Department")),
        "{reading:?}"
    );
    assert!(matches!(
        reader.read("U.S. Border Patrol [Federal]"),
        Err(PlaceError::NotAPlace { .. })
    ));
    assert!(reader.read("Narnia PD").is_err());
}

#[test]
fn the_gazetteer_has_every_county_and_the_big_cities() {
    let gazetteer = gazetteer();
    let county_level = gazetteer
        .entries()
        .iter()
        .filter(|e| e.kind.is_county_level())
        .count();
    assert_eq!(
        county_level, 3231,
        "every feature of the Census county file"
    );
    assert!(gazetteer.len() > 14_000, "{}", gazetteer.len());
    let harris = gazetteer.by_id(&id("state:tx/county:harris"));
    assert_eq!(harris.map(|e| e.fips()), Some(vec!["48201".to_string()]));
    let dallas = gazetteer.by_id(&id("state:tx/place:dallas"));
    assert_eq!(dallas.map(|e| e.kind), Some(PlaceKind::Place));
    assert!(dallas.is_some_and(|e| e.fips().contains(&"48113".to_string())));
    // Every id is well formed and appears once.
    let mut ids = std::collections::HashSet::new();
    for entry in gazetteer.entries() {
        let entry_id = entry.id();
        // A community's id is the county's it lies in, or the city's that fills that county.
        if entry.kind == PlaceKind::Community {
            let division = gazetteer.by_id(&entry_id);
            assert!(
                division.is_some_and(|d| (d.kind.is_county_level() && d.fips() == entry.fips())
                    || (d.kind.is_city() && entry.label().contains("a part of the city of"))),
                "{} reads as {entry_id}",
                entry.label()
            );
            continue;
        }
        let last = entry_id.rsplit('/').next().unwrap_or("");
        assert!(
            last.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_:-.~".contains(&b)),
            "{entry_id}"
        );
        // Each id is one entry, found by its id.
        assert_eq!(
            gazetteer.by_id(&entry_id).map(|e| e.id()),
            Some(entry_id.clone())
        );
        assert!(ids.insert(entry_id.clone()), "{entry_id} twice");
    }
}

/// `../shared/data`, or `None` (with a notice) when it is missing; with
/// `REMIT_REQUIRE_SHARED_DATA` set, a missing folder fails the test instead.
fn shared_data() -> Option<PathBuf> {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    if path.is_dir() {
        return Some(path);
    }
    if std::env::var_os("REMIT_REQUIRE_SHARED_DATA").is_some() {
        panic!("../shared/data not found and REMIT_REQUIRE_SHARED_DATA is set");
    }
    eprintln!(
        "skipping: ../shared/data not found, so the gazetteer is not rebuilt from its sources"
    );
    None
}

fn areas(path: &Path) -> Vec<Area> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    json["features"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no features", path.display()))
        .iter()
        .map(|f| Area {
            fips: f["id"].as_str().unwrap_or_default().to_string(),
            name: f["properties"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        })
        .collect()
}

#[test]
fn the_committed_gazetteer_is_what_its_sources_give() {
    let Some(data) = shared_data() else {
        return;
    };
    let states = areas(&data.join("geo/us-states-inset.geojson"));
    let counties = areas(&data.join("geo/us-counties-inset.geojson"));
    let directory = Directory::from_fbi_csv(&data.join("agencies/fbi-lee.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    // The communities come from a GeoNames extract that is not kept here: the file's own are
    // taken as given, and everything else is rebuilt around them.
    let committed = remit_agencies::places::GAZETTEER_TSV;
    let communities = communities_in(committed);
    let built = build_gazetteer(&states, &counties, &directory, &communities)
        .unwrap_or_else(|e| panic!("{e}"));
    if built != committed {
        let first = built
            .lines()
            .zip(committed.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| built.lines().count().min(committed.lines().count()));
        panic!(
            "data/gazetteer.tsv differs from its sources from line {}: rebuild it with `cargo run -p remit-agencies --example build_gazetteer -- ../shared/data - crates/agencies/data/gazetteer.tsv` (see docs/ask.md)",
            first + 1
        );
    }
}
