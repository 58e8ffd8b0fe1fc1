//! The 287(g) registry checked against the law, on ICE's real sheets
//! (`../shared/data/287g/ice-sheets`, 64 workbooks to 2025-07-18), the MOA index (to 2026-06-30)
//! and the FBI's list of agencies, with the real corpus. Skipped with a notice when the shared
//! data is missing, unless REMIT_REQUIRE_SHARED_DATA is set.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]
#![expect(
    clippy::panic,
    reason = "a missing required data folder fails the test"
)]

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use remit_agencies::{Directory, Resolver};
use remit_app::compliance::{Check, Compliance, Finding};
use remit_law::{Corpus, Verdict};
use remit_registry::{Day, DirectoryLinker, ImportOptions, Registry, collect_files};
use remit_store::Store;

fn shared() -> Option<PathBuf> {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    if path.join("287g/ice-sheets").is_dir() {
        return Some(path.to_path_buf());
    }
    if std::env::var_os("REMIT_REQUIRE_SHARED_DATA").is_some() {
        panic!(
            "{} not found and REMIT_REQUIRE_SHARED_DATA is set",
            path.display()
        );
    }
    eprintln!("skipping: ../shared/data not found");
    None
}

struct World {
    store: Store,
    corpus: Corpus,
    resolver: Resolver,
}

/// One store with every sheet and the MOA index imported and linked to the FBI list, built once
/// per run and shared by the tests.
fn world() -> Option<MutexGuard<'static, World>> {
    static WORLD: OnceLock<Mutex<World>> = OnceLock::new();
    let data = shared()?;
    let world = WORLD.get_or_init(|| {
        let directory = Directory::from_fbi_csv(&data.join("agencies/fbi-lee.csv")).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let mut registry = Registry::open(&mut store).unwrap();
        let files = collect_files(&[data.join("287g/ice-sheets")], false).unwrap();
        assert_eq!(files.len(), 64);
        for file in &files {
            registry.import(file, ImportOptions::default()).unwrap();
        }
        let mut linker = DirectoryLinker::new(directory.clone());
        registry.refresh(&mut linker).unwrap();
        registry
            .import_moa_index(
                &data.join("287g/moa-index/moa_agreements.json"),
                &mut linker,
            )
            .unwrap();
        Mutex::new(World {
            store,
            corpus: Corpus::embedded().unwrap(),
            resolver: Resolver::new(directory),
        })
    });
    Some(world.lock().unwrap_or_else(PoisonError::into_inner))
}

fn day(text: &str) -> Day {
    Day::parse_iso(text).unwrap()
}

fn check(world: &World, as_of: &str, state: Option<&str>) -> Check {
    let mut compliance =
        Compliance::load(&world.corpus, &world.resolver, &world.store, "fbi-lee.csv").unwrap();
    compliance.check(day(as_of), state)
}

fn names(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.agency.name.as_str()).collect()
}

fn place_fact_holds(corpus: &Corpus, division: &str, fact: &str) -> bool {
    corpus
        .place_facts()
        .iter()
        .any(|f| f.place.as_str() == division && f.holds.iter().any(|h| h == fact))
}

#[test]
fn texas_sheriffs_before_and_after_sb8() {
    let Some(world) = world() else { return };
    // Before Jan 1 2026 ch. 753 is not in force: nothing is required of Texas sheriffs.
    let before = check(&world, "2025-12-31", Some("TX"));
    assert_eq!(before.totals.must, 0, "{:?}", before.totals);
    assert!(before.required_without_agreement.is_empty());
    assert!(before.totals.agencies > 1000, "{:?}", before.totals);
    assert!(before.counts.keys().all(|s| s == "TX"));

    let after = check(&world, "2026-01-01", Some("TX"));
    // Every sheriff of the 228 counties that the corpus knows run a jail must; no one else.
    let jail_counties = world
        .corpus
        .place_facts()
        .iter()
        .filter(|f| {
            f.place
                .as_str()
                .starts_with("ocd-division/country:us/state:tx/county:")
                && f.holds.iter().any(|h| h == "county_operates_jail")
        })
        .count();
    assert_eq!(jail_counties, 228);
    assert_eq!(after.totals.must, 228, "{:?}", after.totals);
    assert!(!after.required_without_agreement.is_empty());
    assert!(after.required_without_agreement.len() < 228);
    for finding in &after.required_without_agreement {
        assert_eq!(finding.agency.actor, "sheriff", "{}", finding.agency.name);
        assert!(
            place_fact_holds(
                &world.corpus,
                &finding.agency.division,
                "county_operates_jail"
            ),
            "{}",
            finding.agency.division
        );
        assert_eq!(finding.verdict, Verdict::Must);
        assert!(finding.agreements.is_empty());
        assert_eq!(finding.rules[0].id, "us-tx/gov-ch753-287g");
        assert_eq!(
            finding.rules[0].in_force_from.as_deref(),
            Some("2026-01-01")
        );
        // The rule's own words give the deadline; before it, no one is called late.
        assert_eq!(finding.deadline.as_deref(), Some("2026-12-01"));
        assert_eq!(finding.past_deadline, Some(false));
        assert!(
            finding
                .sentence
                .contains("due by 2026-12-01, which had not come")
        );
    }
    assert_eq!(after.totals.required_past_deadline, 0);
    // Counties with no jail fact are not called out: their answer depends on it, named.
    for finding in &after.depends {
        assert!(
            finding
                .unknowns
                .iter()
                .any(|u| u.facts == ["county_operates_jail"] && u.verdict == Verdict::Must),
            "{:?}",
            finding.unknowns
        );
    }
    assert!(!after.depends.is_empty());
    // Kerr County's sheriff holds an agreement (ICE's sheets and a posted MOA): not a finding.
    let kerr = names(&after.required_without_agreement);
    assert!(!kerr.contains(&"Kerr County Sheriff's Office"));
    assert!(
        kerr.contains(&"Bandera County Sheriff's Office"),
        "{kerr:?}"
    );

    // Past the deadline and past the newest data: late, and stale.
    let late = check(&world, "2026-12-07", Some("TX"));
    assert_eq!(late.data_as_of.as_deref(), Some("2026-06-30"));
    assert!(late.stale.as_deref().unwrap().contains("2026-06-30"));
    assert_eq!(
        late.totals.required_past_deadline,
        late.totals.required_without_agreement
    );
    assert!(after.stale.is_none());
}

#[test]
fn florida_county_jails() {
    let Some(world) = world() else { return };
    let florida = check(&world, "2025-07-18", Some("FL"));
    // Fla. Stat. 908.11 reaches the sheriff where the sheriff runs the jail, and the county
    // corrections department where it does (Miami-Dade, Orange, Volusia, Osceola, Escambia).
    // 16 since the corpus records that Pasco's and Manatee's sheriffs run their jails.
    assert_eq!(florida.totals.must, 16, "{:?}", florida.totals);
    let mut compliance =
        Compliance::load(&world.corpus, &world.resolver, &world.store, "fbi-lee.csv").unwrap();
    let orange = compliance
        .standing(
            None,
            "Orange County Corrections Department",
            "FL",
            day("2025-07-18"),
        )
        .unwrap();
    assert_eq!(orange.agency.actor, "jail");
    assert_eq!(
        orange.agency.division,
        "ocd-division/country:us/state:fl/county:orange"
    );
    assert_eq!(orange.verdict, Some(Verdict::Must));
    assert_eq!(orange.finding, "none");
    assert_eq!(orange.agreements[0].source, "ice_sheet");
    // Orange County's sheriff does not run the jail: the duty is not the sheriff's.
    let sheriff = compliance
        .standing(
            Some("FL0480000"),
            "Orange County Sheriff's Office",
            "FL",
            day("2025-07-18"),
        )
        .unwrap();
    assert_ne!(sheriff.verdict, Some(Verdict::Must));
    // Escambia's jail agreement is listed under its Board of County Commissioners, which the
    // check cannot tell is the jail: reported, with the rule.
    let required = names(&florida.required_without_agreement);
    assert_eq!(
        required,
        vec!["Escambia County jail (run by a county corrections department)"]
    );
    assert_eq!(
        florida.required_without_agreement[0].rules[0].id,
        "us-fl/908.11-county-corrections"
    );
    assert!(florida.forbidden_with_agreement.is_empty());
}

#[test]
fn agreements_held_where_the_state_forbids_them() {
    let Some(world) = world() else { return };
    // Virginia's Executive Directive 1 (Feb 4 2026) ended state agencies' agreements; ICE's
    // last sheet still lists them.
    let before = check(&world, "2026-02-03", Some("VA"));
    assert!(before.forbidden_with_agreement.is_empty());
    let after = check(&world, "2026-02-04", Some("VA"));
    let police = after
        .forbidden_with_agreement
        .iter()
        .find(|f| f.agency.ori.as_deref() == Some("VAVSP0000"))
        .unwrap();
    assert_eq!(police.verdict, Verdict::MustNot);
    assert_eq!(police.rules[0].id, "us-va/ed-1-2026");
    assert_eq!(police.agreements[0].source, "ice_sheet");
    assert_eq!(police.agreements[0].model, "Task Force Model");
    assert!(police.agreements[0].seen.contains("2025-07-18 pm"));
    assert!(after.forbidden_with_agreement.len() >= 5);
    for finding in &after.forbidden_with_agreement {
        assert!(
            matches!(
                finding.agency.actor.as_str(),
                "state_police" | "state_agency"
            ),
            "{:?}",
            finding.agency
        );
    }
    // Local agencies with an agreement are not reached by the directive.
    assert!(after.totals.with_agreement > after.forbidden_with_agreement.len() as u64);

    // New Mexico's HB 9 (May 20 2026): Torrance County's MOA was posted by May 6 2026.
    let nm = check(&world, "2026-05-20", Some("NM"));
    let torrance = nm
        .forbidden_with_agreement
        .iter()
        .find(|f| f.agency.name == "Torrance County Sheriff's Office")
        .unwrap();
    assert_eq!(torrance.agreements[0].source, "moa_index");
    assert_eq!(torrance.rules[0].id, "us-nm/hb9-2026-287g");
    assert!(
        check(&world, "2026-05-19", Some("NM"))
            .forbidden_with_agreement
            .is_empty()
    );

    // Maryland's ban (Feb 17 2026) let existing agreements stand until June 30 2026.
    let during = check(&world, "2026-06-30", Some("MD"));
    let frederick = |c: &Check| {
        c.forbidden_with_agreement
            .iter()
            .any(|f| f.agency.ori.as_deref() == Some("MD0110000"))
    };
    assert!(!frederick(&during));
    let ended = check(&world, "2026-07-01", Some("MD"));
    assert!(frederick(&ended));
    assert!(ended.stale.is_some(), "one day past the newest data");
}

#[test]
fn history_says_when_standing_changed() {
    let Some(world) = world() else { return };
    let mut compliance =
        Compliance::load(&world.corpus, &world.resolver, &world.store, "fbi-lee.csv").unwrap();
    let days = compliance.history_days();
    assert_eq!(
        days.first().map(ToString::to_string).as_deref(),
        Some("2025-05-16")
    );
    assert_eq!(
        days.last().map(ToString::to_string).as_deref(),
        Some("2026-06-30")
    );
    // The law's dates are among them.
    assert!(days.contains(&day("2026-01-01")));
    assert!(days.contains(&day("2026-02-04")));
    let history = compliance.history(Some("VA"));
    let police: Vec<_> = history
        .changes
        .iter()
        .filter(|c| c.agency.ori.as_deref() == Some("VAVSP0000"))
        .collect();
    assert_eq!(police.len(), 1, "{police:?}");
    assert_eq!(police[0].date, "2026-02-04");
    assert_eq!(
        (police[0].from, police[0].to),
        ("none", "forbidden_with_agreement")
    );
    assert!(police[0].cause.starts_with("law"), "{:?}", police[0]);
    assert!(
        police[0]
            .sentence
            .contains("forbidden an agreement, and holding one from 2026-02-04")
    );
    assert_eq!(history.points.len(), days.len());
    // Counts on a date of the history equal the check on that date.
    let point = history
        .points
        .iter()
        .find(|p| p.date.as_str() > "2026-02-04")
        .unwrap();
    let again = compliance.check(Day::parse_iso(&point.date).unwrap(), Some("VA"));
    assert_eq!(point.totals, again.totals);

    let texas = compliance.history(Some("TX"));
    let came_due: Vec<_> = texas
        .changes
        .iter()
        .filter(|c| c.date == "2026-01-01" && c.to == "required_without_agreement")
        .collect();
    assert!(!came_due.is_empty());
    // A sheriff whose MOA was posted later leaves the list on the day it was posted.
    let left: Vec<_> = texas
        .changes
        .iter()
        .filter(|c| c.from == "required_without_agreement" && c.to == "none")
        .collect();
    assert!(!left.is_empty());
    for change in &left {
        assert_eq!(change.cause, "registry", "{change:?}");
        assert!(change.date.as_str() > "2026-01-01");
        assert!(change.days > 0);
    }
}
