//! The resolver on the names the issue and the data README call out, with the built-in
//! directory (no import needed). Each test pins one trap.

use std::sync::{Arc, OnceLock};

use remit_agencies::{AgencyClass, Directory, Resolution, Resolver};

fn resolver() -> &'static Resolver {
    static RESOLVER: OnceLock<Resolver> = OnceLock::new();
    RESOLVER.get_or_init(|| Resolver::new(Directory::builtin()))
}

fn resolve(name: &str) -> Resolution {
    resolver().resolve(name, None)
}

fn resolve_in(name: &str, state: &str) -> Resolution {
    resolver().resolve(name, Some(state))
}

#[track_caller]
fn check(r: &Resolution, state: Option<&str>, class: AgencyClass, ori: Option<&str>) {
    assert_eq!(
        r.state.as_deref(),
        state,
        "state of `{}`: {:#?}",
        r.input,
        r
    );
    assert_eq!(r.class, class, "class of `{}`: {:#?}", r.input, r);
    assert_eq!(r.ori.as_deref(), ori, "ORI of `{}`: {:#?}", r.input, r);
}

#[test]
fn flock_and_portal_forms_of_el_cajon() {
    for name in [
        "El Cajon CA PD",
        "El Cajon PD ( CA)",
        "EL CAJON POLICE DEPARTMENT (CA)",
    ] {
        let r = resolve(name);
        check(&r, Some("CA"), AgencyClass::Local, Some("CA0370500"));
        assert_eq!(r.name, "El Cajon Police Department");
        assert_eq!(r.kind.as_deref(), Some("police_department"));
        assert!(r.confidence >= 0.9, "{r:#?}");
        assert_eq!(r.counterparty, None);
    }
}

#[test]
fn county_sheriff_and_city_police_of_the_same_name() {
    let sheriff = resolve("Anoka County MN SO");
    check(&sheriff, Some("MN"), AgencyClass::Local, Some("MN0020000"));
    assert_eq!(sheriff.name, "Anoka County Sheriff's Office");
    assert_eq!(sheriff.kind.as_deref(), Some("sheriff"));
    let police = resolve("Anoka MN PD");
    check(&police, Some("MN"), AgencyClass::Local, Some("MN0020100"));
    // Cobb County has both: the bare county row is the sheriff, the county police is named.
    check(
        &resolve("Cobb County GA SO"),
        Some("GA"),
        AgencyClass::Local,
        Some("GA0330000"),
    );
    check(
        &resolve("Cobb County GA PD"),
        Some("GA"),
        AgencyClass::Local,
        Some("GA0330200"),
    );
    // Nassau County's police is listed as the bare county.
    let nassau = resolve_in("Nassau County Police Department", "NEW YORK");
    check(&nassau, Some("NY"), AgencyClass::Local, Some("NY0290000"));
    assert_eq!(nassau.name, "Nassau County Police Department");
}

#[test]
fn border_patrol_is_federal_immigration() {
    let r = resolve("U.S. Border Patrol [Federal]");
    check(&r, None, AgencyClass::Federal, None);
    assert_eq!(r.counterparty.as_deref(), Some("border_patrol"));
    assert_eq!(r.agency_id.as_deref(), Some("fed-cbp-usbp"));
    assert!(r.tags.contains(&"federal".to_string()));
    let sector = resolve("SAN DIEGO SECTOR BORDER PATROL (CA)");
    assert_eq!(sector.counterparty.as_deref(), Some("border_patrol"));
    assert_eq!(sector.state, None, "federal agencies carry no state");
}

#[test]
fn immigration_components_resolve_to_the_narrowest_word() {
    let cases = [
        ("ICE", Some("ice")),
        ("ICE ERO", Some("ice_ero")),
        ("ERO Los Angeles", Some("ice_ero")),
        ("Enforcement and Removal Operations", Some("ice_ero")),
        ("HSI MASTER", Some("ice_hsi")),
        ("DHS HSI San Diego", Some("ice_hsi")),
        ("Homeland Security Investigations", Some("ice_hsi")),
        ("U.S. Immigration and Customs Enforcement", Some("ice")),
        ("CBP", Some("cbp")),
        ("CBP Office of Field Operations", Some("cbp_ofo")),
        ("USBP", Some("border_patrol")),
        ("USCIS", Some("uscis")),
        // DHS without a component could be ICE or the Secret Service: no word is claimed.
        ("Department of Homeland Security", None),
    ];
    for (name, word) in cases {
        let r = resolve(name);
        assert_eq!(r.class, AgencyClass::Federal, "{name}: {r:#?}");
        assert_eq!(r.counterparty.as_deref(), word, "{name}: {r:#?}");
    }
}

#[test]
fn other_federal_agencies_are_federal_other() {
    for (name, ori) in [
        ("FBI", Some("DCFBIWA01")),
        ("Drug Enforcement Administration", Some("DEDEA0100")),
        ("ATF NATIONAL ACCOUNT", None),
        ("US Marshals Service", None),
        ("USMS Fugitive Task Force", None),
        ("VA Police", Some("DCVA00000")),
        (
            "[Federal] Loma Linda Healthcare System CA Veterans Affairs PD",
            Some("DCVA00000"),
        ),
        ("(Federal) Wright-Patterson OH Air Force Base", None),
        ("US POSTAL INSPECTION SERVICE", None),
        ("US - GSA Office of Inspector General", None),
    ] {
        let r = resolve(name);
        assert_eq!(r.class, AgencyClass::Federal, "{name}: {r:#?}");
        assert_eq!(
            r.counterparty.as_deref(),
            Some("federal_other"),
            "{name}: {r:#?}"
        );
        assert_eq!(r.ori.as_deref(), ori, "{name}: {r:#?}");
    }
}

#[test]
fn marshall_texas_is_not_the_us_marshals() {
    let r = resolve("Marshall TX PD");
    check(&r, Some("TX"), AgencyClass::Local, Some("TX1020200"));
    assert_eq!(r.counterparty, None);
    assert_eq!(r.kind.as_deref(), Some("police_department"));
    // Nor is a town marshal.
    let tombstone = resolve("Tombstone Marshals Office (AZ)");
    check(
        &tombstone,
        Some("AZ"),
        AgencyClass::Local,
        Some("AZ0021100"),
    );
    assert_eq!(tombstone.kind.as_deref(), Some("marshal"));
    assert_eq!(tombstone.name, "Tombstone Marshal's Office");
    // Nor a neighbourhood named Marshall.
    let canyon = resolve("Marshall Canyon Estates (CA)");
    assert_eq!(canyon.class, AgencyClass::Private, "{canyon:#?}");
    assert_eq!(canyon.counterparty.as_deref(), Some("private_entity"));
}

#[test]
fn cal_fire_is_californias_not_a_state_code() {
    // The words carry no state code: `CA` inside `CAL` is not one.
    assert_eq!(remit_agencies::parse("CAL FIRE").state, None);
    assert_eq!(remit_agencies::parse("Cal Fire").state, None);
    for name in ["CAL FIRE", "Cal Fire", "CAL-FIRE WING"] {
        let r = resolve(name);
        check(&r, Some("CA"), AgencyClass::State, None);
        assert_eq!(r.kind.as_deref(), Some("fire"));
        assert!(
            r.reasons
                .iter()
                .any(|reason| reason.contains("named-agencies file")),
            "{r:#?}"
        );
    }
}

#[test]
fn state_agencies_by_name() {
    let dps = resolve("Arizona Department of Public Safety [Inactive]");
    check(&dps, Some("AZ"), AgencyClass::State, Some("AZCCHPX00"));
    assert_eq!(dps.kind.as_deref(), Some("state_police"));
    assert!(dps.tags.contains(&"inactive".to_string()));
    let nys = resolve("NYS Crime Analysis Center Network");
    check(&nys, Some("NY"), AgencyClass::State, None);
    let tennessee = resolve("Tennessee Department of Safety and Homeland Security");
    check(&tennessee, Some("TN"), AgencyClass::State, None);
    let patrol = resolve("California Highway Patrol");
    assert_eq!(patrol.class, AgencyClass::State);
    assert_eq!(patrol.kind.as_deref(), Some("state_police"));
    // A state's name that is a place's name: a city police, not the state.
    let texas_city = resolve("Texas City TX PD");
    check(&texas_city, Some("TX"), AgencyClass::Local, None);
    let nevada_county = resolve("Nevada County CA SO");
    assert_eq!(nevada_county.class, AgencyClass::Local);
    assert_eq!(nevada_county.state.as_deref(), Some("CA"));
}

#[test]
fn ice_sheet_names_with_the_state_column() {
    for hint in ["FLORIDA", "Florida", "FL", "fl", "( FL)"] {
        let r = resolve_in("City of Boca Raton Police Department", hint);
        check(&r, Some("FL"), AgencyClass::Local, Some("FL0500200"));
    }
    let orange = resolve_in("Orange County Sheriff's Office", "TEXAS");
    check(&orange, Some("TX"), AgencyClass::Local, Some("TX1810000"));
    // `Colorado` is a Texas county here, not the state.
    let colorado = resolve_in("Colorado County Sheriff's Office", "TEXAS");
    check(&colorado, Some("TX"), AgencyClass::Local, Some("TX0450000"));
}

#[test]
fn a_state_in_the_name_beats_a_wrong_state_column() {
    let r = resolve_in("Carson City NV SO", "WA");
    check(&r, Some("NV"), AgencyClass::Local, Some("NV0130000"));
    assert!(
        r.reasons
            .iter()
            .any(|reason| reason.contains("`WA` was set aside")),
        "{r:#?}"
    );
}

#[test]
fn tags_are_read_and_set_aside() {
    let cases: [(&str, &[&str]); 6] = [
        ("Polk County FL SO (LR)", &["lr"]),
        ("Texarkana TX PD - Falcon Flex", &["falcon", "flex"]),
        ("Albany GA PD Raven", &["raven"]),
        ("Brooklyn Park MN PD [Inactive]", &["inactive"]),
        ("Iberia MO PD (deactivated)", &["inactive"]),
        ("DNU - Glendale PD CA (Condor)", &["inactive", "condor"]),
    ];
    for (name, tags) in cases {
        let r = resolve(name);
        for tag in tags {
            assert!(r.tags.iter().any(|t| t == tag), "{name}: {r:#?}");
        }
        assert_eq!(r.class, AgencyClass::Local, "{name}: {r:#?}");
        assert!(r.state.is_some(), "{name}: {r:#?}");
    }
    // A place that shares a word with a tag keeps it.
    let crow_wing = resolve("Crow Wing County MN SO");
    assert_eq!(
        crow_wing.ori.as_deref(),
        Some("MN0180000"),
        "{crow_wing:#?}"
    );
}

#[test]
fn every_way_of_writing_the_state() {
    let cases = [
        ("MN - Renville County SO", "MN"),
        ("ARROYO GRANDE POLICE DEPARTMENT-CA", "CA"),
        ("Hayward, CA PD", "CA"),
        ("Lumpkin County SO GA", "GA"),
        ("HOQUIAM PD WA", "WA"),
        ("Glendora (CA) PD", "CA"),
        ("Los Altos California Police Department", "CA"),
        ("Gasconade Co MO SO", "MO"),
        ("DE PERE WI PD", "WI"),
        ("INDIANA STATE POLICE IN PD", "IN"),
        ("Cow Creek OR Tribal Police", "OR"),
        ("University of North FL PD", "FL"),
        ("AZ - UNIVERSITY OF ARIZONA CAMPUS PD", "AZ"),
    ];
    for (name, state) in cases {
        let r = resolve(name);
        assert_eq!(r.state.as_deref(), Some(state), "{name}: {r:#?}");
        assert_ne!(r.class, AgencyClass::Unknown, "{name}: {r:#?}");
    }
    let gasconade = remit_agencies::parse("Gasconade Co MO SO");
    assert!(gasconade.county);
    assert_eq!(gasconade.place, "Gasconade County");
}

#[test]
fn virginia_is_a_state_code_before_a_police_word() {
    let alexandria = resolve("Alexandria VA PD");
    check(&alexandria, Some("VA"), AgencyClass::Local, None);
    let fort_bragg = resolve("Fort Bragg CA PD");
    assert_eq!(fort_bragg.class, AgencyClass::Local, "{fort_bragg:#?}");
    assert_eq!(fort_bragg.state.as_deref(), Some("CA"));
}

#[test]
fn private_bodies_and_placeholders() {
    for name in [
        "Muscle Shoals AL Walmart",
        "AHPC PARKS AT RIVERCREST LLC (SC)",
        "Highlands HOA (CA)",
        "Pacific Palisades Residents Association (CA)",
        "Sky Ranch (CA)",
        "CSX Railroad TN PD",
    ] {
        let r = resolve(name);
        assert_eq!(r.class, AgencyClass::Private, "{name}: {r:#?}");
        assert_eq!(r.counterparty.as_deref(), Some("private_entity"));
    }
    for name in [
        "Decommissioned Org",
        "Demo",
        "DNU",
        "",
        "   ",
        "Test Demo 1234",
    ] {
        let r = resolve(name);
        assert_eq!(r.class, AgencyClass::Unknown, "{name:?}: {r:#?}");
        assert!(r.confidence <= 0.2, "{name:?}: {r:#?}");
    }
    assert!(
        resolve("Decommissioned Org")
            .tags
            .contains(&"inactive".to_string())
    );
}

#[test]
fn campus_school_tribal_and_prosecutors_are_local() {
    for (name, kind) in [
        ("Stanford University CA PD", "university"),
        ("Cypress Fairbanks ISD (TX) PD", "school"),
        ("Colville WA Tribal Police", "tribal"),
        ("Marin County CA DA", "prosecutor"),
        ("Cherokee County GA DA", "prosecutor"),
        ("BAY AREA RAPID TRANSIT POLICE (CA)", "transit"),
    ] {
        let r = resolve(name);
        assert_eq!(r.class, AgencyClass::Local, "{name}: {r:#?}");
        assert_eq!(r.kind.as_deref(), Some(kind), "{name}: {r:#?}");
    }
    // `College Park` is a city.
    assert_eq!(
        resolve("College Park GA PD").kind.as_deref(),
        Some("police_department")
    );
}

#[test]
fn a_county_only_one_state_has_gives_the_state() {
    let r = resolve("Monterey County District Attorney's Office");
    assert_eq!(r.state.as_deref(), Some("CA"), "{r:#?}");
    assert_eq!(r.class, AgencyClass::Local);
}

#[test]
fn the_list_owners_state_breaks_a_tie_only_when_asked() {
    // Orange, California and Orange, Texas both have city police in the built-in sample.
    let alone = resolver().resolve("ORANGE POLICE DEPARTMENT", None);
    assert_eq!(alone.ori, None, "{alone:#?}");
    assert_eq!(alone.state, None);
    let near = resolver().resolve_near("ORANGE POLICE DEPARTMENT", None, Some("CA"));
    assert_eq!(near.state.as_deref(), Some("CA"), "{near:#?}");
    assert!(near.ori.is_some());
    assert!(near.confidence < alone.confidence.max(0.7), "{near:#?}");
}

#[test]
fn counterparty_depends_on_who_asks() {
    let anoka = resolve("Anoka County MN SO");
    assert_eq!(anoka.counterparty_for("CA"), Some("out_of_state_agency"));
    assert_eq!(anoka.counterparty_for("Minnesota"), Some("in_state_agency"));
    let ice = resolve("ICE ERO");
    assert_eq!(ice.counterparty_for("CA"), Some("ice_ero"));
    assert_eq!(
        resolve("Highlands HOA (CA)").counterparty_for("CA"),
        Some("private_entity")
    );
    assert_eq!(resolve("Decommissioned Org").counterparty_for("CA"), None);
}

#[test]
fn results_are_memoised_per_distinct_input() {
    let resolver = Resolver::new(Directory::builtin());
    let first = resolver.resolve_shared("El Cajon CA PD", None, None);
    let second = resolver.resolve_shared("El Cajon CA PD", None, None);
    assert!(Arc::ptr_eq(&first, &second));
    let hinted = resolver.resolve_shared("El Cajon CA PD", Some("CA"), None);
    assert!(!Arc::ptr_eq(&first, &hinted));
    // Spellings of one state share an entry.
    let spelled = resolver.resolve_shared("El Cajon CA PD", Some("California"), None);
    assert!(Arc::ptr_eq(&hinted, &spelled));
    assert_eq!(resolver.cached(), 2);
    // Clones share the memo; the resolver crosses threads.
    let clone = resolver.clone();
    let handle = std::thread::spawn(move || clone.resolve("Anoka County MN SO", None));
    let r = handle
        .join()
        .unwrap_or_else(|_| panic!("the thread panicked"));
    assert_eq!(r.ori.as_deref(), Some("MN0020000"));
    assert_eq!(resolver.cached(), 3);
}

#[test]
fn json_has_the_documented_keys() {
    let r = resolve("Anoka County MN SO");
    let value = serde_json::to_value(&r).unwrap_or_else(|e| panic!("{e}"));
    for key in [
        "input",
        "ori",
        "name",
        "state",
        "class",
        "counterparty",
        "confidence",
        "reasons",
        "kind",
        "tags",
        "agency_id",
        "place",
    ] {
        assert!(value.get(key).is_some(), "missing `{key}` in {value}");
    }
    assert_eq!(value["class"], "local");
    assert_eq!(value["state"], "MN");
    // Written as text, the confidence keeps its two decimals.
    let text = serde_json::to_string(&r).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("\"confidence\":0.95,"), "{text}");
}

#[test]
fn an_unknown_state_hint_is_ignored_with_a_reason() {
    let r = resolve_in("Anoka County SO", "N/A");
    assert!(
        r.reasons
            .iter()
            .any(|reason| reason.contains("not a state")),
        "{r:#?}"
    );
}

#[test]
fn odd_inputs_do_not_panic() {
    let fixed = [
        "(",
        ")",
        "[",
        "]",
        "((CA",
        "CA)",
        "- - -",
        "-CA",
        "X-CA",
        "é-CA",
        "Peña Blanca NM PD",
        "ÉL CAJÓN PD (CA)",
        "\u{0}\u{7}",
        "  ,  ",
        "&",
        "A&",
        "&B",
        "U.S.",
        ".",
        "''",
        "’",
        "(CA) (TX) (ZZ)",
        "[Federal]",
        "[Federal] [Inactive] (LR)",
        "DNU",
        "the",
        "City of",
        "County of",
        "Co",
        "SD",
        "CA SD",
        "of",
        "University of",
        "North FL",
        "Police",
        "中文 警察",
        "🚓 PD",
        "\"",
        "\t\tCA\tPD",
    ];
    let charset: Vec<char> = "AbCz ()[]-,/&.'’éÑ中🚓SOPDCA\t".chars().collect();
    let mut inputs: Vec<String> = fixed.iter().map(|s| (*s).to_string()).collect();
    inputs.push("Los Angeles County Sheriff's Department ".repeat(200));
    let mut state: u64 = 7;
    for _ in 0..2_000 {
        let mut text = String::new();
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        let len = (state >> 59) as usize + 1;
        for _ in 0..len * 2 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            text.push(charset[(state >> 40) as usize % charset.len()]);
        }
        inputs.push(text);
    }
    let resolver = Resolver::new(Directory::builtin());
    for input in &inputs {
        for hint in [None, Some("CA"), Some("(("), Some("")] {
            let r = resolver.resolve_near(input, hint, Some("CA"));
            assert!((0.0..=1.0).contains(&r.confidence), "{input:?}: {r:#?}");
            assert_eq!(r.input, *input);
        }
    }
    let directory = Directory::builtin();
    for input in inputs.iter().take(200) {
        let _ = directory.search(input, 5);
    }
}
