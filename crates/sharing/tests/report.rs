//! Import, refresh and reports through the store: the self-made samples, and the 187 archived
//! transparency portals in `../shared/data/alpr` (skipped with a notice when missing, unless
//! REMIT_REQUIRE_SHARED_DATA is set).
//!
//! The portal counts pinned below were checked independently of Remit: a short Python script
//! (docs/methodology.md#plate-reader-sharing, "Checking a count by hand") counts each portal's
//! `sharing_outbound` by the state its names carry, and every name it could not place or placed
//! differently was looked up by hand (`RIV CO ARSON TF CA PD` is Riverside County's, not
//! Colorado's; `Summerset SD PD` is in South Dakota; `Shasta County SO`, `Yuba County Sheriffs
//! Office`, `Monterey County District Attorney's Office` and `Cal Fire` are Californian).

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]
#![expect(
    clippy::panic,
    reason = "a missing required data folder fails the test"
)]

use remit_agencies::{Directory, Resolver};
use remit_law::{Corpus, Scenarios};
use remit_sharing::{
    Checker, Counts, Direction, EdgeFilter, ReadOptions, Sharing, SharingError, collect_files,
};
use remit_store::Store;

mod common;
use common::{fixture, options, shared};

const DIRECTORY: &str = "built-in sample";

fn refresh(sharing: &mut Sharing<'_>, corpus: &Corpus, resolver: &Resolver) {
    let mut checker = Checker::new(corpus, resolver.clone());
    sharing.refresh(&mut checker, DIRECTORY).unwrap();
}

fn counts(recipients: u64, groups: [u64; 5], verdicts: &[(&str, u64)]) -> Counts {
    let by_verdict = verdicts.iter().map(|(v, n)| (v.to_string(), *n)).collect();
    Counts {
        recipients,
        agencies: 0,
        in_state: groups[0],
        out_of_state: groups[1],
        federal: groups[2],
        private: groups[3],
        unknown: groups[4],
        forbidden: verdicts
            .iter()
            .filter(|(v, _)| matches!(*v, "must_not" | "conflict"))
            .map(|(_, n)| n)
            .sum(),
        by_verdict,
    }
}

fn without_agencies(mut counts: Counts) -> Counts {
    counts.agencies = 0;
    counts
}

/// A store with the portal samples and the workbook's `A1` imported and checked.
fn sample_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let corpus = Corpus::embedded_with(Scenarios::Skip).unwrap();
    let resolver = Resolver::new(Directory::builtin());
    {
        let mut sharing = Sharing::open(&mut store).unwrap();
        for name in ["portal-el-cajon-sample.json", "portal-no-name.json"] {
            let report = sharing.import(&fixture(name), &options(None)).unwrap();
            assert_eq!(report.status, "imported");
        }
        let irvine = ReadOptions {
            owner: Some("Irvine CA PD".to_string()),
            sheet: Some("A1".to_string()),
            date: Some("2025-01-31".parse().unwrap()),
            ..options(None)
        };
        sharing
            .import(&fixture("vigilant-lists.xlsx"), &irvine)
            .unwrap();
        refresh(&mut sharing, &corpus, &resolver);
    }
    store
}

#[test]
fn an_owner_report_counts_its_list_entry_by_entry() {
    let mut store = sample_store();
    let sharing = Sharing::open(&mut store).unwrap();
    let resolver = Resolver::new(Directory::builtin());
    let key = sharing
        .find_owner("El Cajon CA PD", Some(&resolver))
        .unwrap();
    let report = sharing.owner_report(&key).unwrap();
    assert_eq!(report.owner.name, "El Cajon Police Department");
    assert_eq!(report.owner.actor.as_deref(), Some("local_police"));
    assert_eq!(report.date.as_deref(), Some("2026-04-29"));
    assert!(report.immigration_use_prohibited);
    // San Diego (in), El Cajon itself (in, unchecked), Acworth GA (out), Border Patrol
    // (federal), Home Depot (private), Sky Ranch (a guess) and Decommissioned Org (unknown).
    assert_eq!(
        without_agencies(report.counts.clone()),
        counts(
            7,
            [2, 1, 1, 1, 2],
            &[("may", 1), ("must_not", 3), ("unchecked", 3)]
        )
    );
    assert_eq!(report.counts.agencies, 7);
    let flagged: Vec<(&str, &str, i64)> = report
        .flagged
        .iter()
        .map(|e| (e.recipient.as_str(), e.group.as_str(), e.line))
        .collect();
    assert_eq!(
        flagged,
        [
            ("Acworth GA PD", "out_of_state", 11),
            ("U.S. Border Patrol [Federal]", "federal", 12),
            ("Home Depot Corporation", "private", 13),
        ]
    );
    let cited: Vec<(&str, u64)> = report
        .citations
        .iter()
        .map(|c| (c.id.as_str(), c.edges))
        .collect();
    assert_eq!(
        cited,
        [
            ("us-ca/civ-1798.90.55-b-out-of-state", 2),
            ("us-ca/civ-1798.90.55-b", 1),
        ]
    );
    let unchecked: Vec<&str> = report
        .unchecked
        .iter()
        .map(|e| e.recipient.as_str())
        .collect();
    assert_eq!(
        unchecked,
        ["Sky Ranch (CA)", "Decommissioned Org", "El Cajon CA PD"]
    );
    assert_eq!(report.by_state.get("GA"), Some(&1));
    assert_eq!(report.receives_from, 2);
    let json = serde_json::to_value(&report).unwrap();
    for field in [
        "owner",
        "recipients",
        "in_state",
        "out_of_state",
        "federal",
        "private",
        "unknown",
        "by_verdict",
        "flagged",
    ] {
        assert!(json.get(field).is_some(), "missing `{field}`");
    }
}

#[test]
fn owners_are_found_by_any_name_form_ori_slug_or_name_as_written() {
    let mut store = sample_store();
    let sharing = Sharing::open(&mut store).unwrap();
    let resolver = Resolver::new(Directory::builtin());
    let key = sharing
        .find_owner("El Cajon PD ( CA)", Some(&resolver))
        .unwrap();
    for form in [
        "El Cajon CA PD",
        "el cajon pd (ca)",
        "-el-cajon-pd-ca",
        "el-cajon-pd-ca",
    ] {
        assert_eq!(
            sharing.find_owner(form, Some(&resolver)).unwrap(),
            key,
            "{form}"
        );
    }
    // The portal without a name is found by the name its slug gives and by the slug.
    let dixon = sharing.find_owner("Dixon CA PD", Some(&resolver)).unwrap();
    assert_eq!(sharing.find_owner("dixon-ca-pd", None).unwrap(), dixon);
    let error = sharing.find_owner("El Cajun CA PD", None).unwrap_err();
    assert!(matches!(error, SharingError::NoOwnerLists { .. }));
    assert!(
        error
            .help()
            .unwrap_or_default()
            .contains("El Cajon PD ( CA)")
    );
}

#[test]
fn a_state_report_ranks_owners_by_forbidden_edges() {
    let mut store = sample_store();
    let sharing = Sharing::open(&mut store).unwrap();
    let report = sharing.state_report("CA").unwrap();
    let ranking: Vec<(&str, u64, u64)> = report
        .owners
        .iter()
        .map(|o| (o.owner.as_str(), o.counts.forbidden, o.counts.recipients))
        .collect();
    // Irvine's sample sheet names Reno (NV) among four Californian agencies.
    assert_eq!(
        ranking,
        [
            ("El Cajon Police Department", 3, 7),
            ("Dixon Police Department", 1, 2),
            ("Irvine Police Department", 1, 5),
        ]
    );
    assert_eq!(report.owners_sharing_out_of_state_or_federal, 3);
    assert_eq!(report.totals.forbidden, 5);
    assert_eq!(
        report.citations[0].id,
        "us-ca/civ-1798.90.55-b-out-of-state"
    );
    assert_eq!(report.citations[0].edges, 4);
    // Other states' owners are not in California's report.
    assert!(sharing.state_report("IL").unwrap().owners.is_empty());
}

#[test]
fn inbound_entries_are_checked_under_the_senders_law() {
    let mut store = sample_store();
    let sharing = Sharing::open(&mut store).unwrap();
    let edges = sharing
        .edges(&EdgeFilter {
            state: Some("IL".to_string()),
            ..EdgeFilter::default()
        })
        .unwrap();
    assert_eq!(edges.len(), 1);
    let edge = &edges[0];
    assert_eq!(edge.direction, "inbound");
    assert_eq!(edge.owner, "Hillside Police Department");
    assert_eq!(edge.recipient, "El Cajon PD ( CA)");
    assert_eq!(edge.verdict, "must_not");
    assert_eq!(edge.rules, ["us-il/625ilcs-5-2-130-declaration"]);
    assert!(
        edge.caveats[0].contains("written declaration"),
        "{:?}",
        edge.caveats
    );
    assert_eq!(edge.field, "sharing_inbound[0]");
}

#[test]
fn imports_are_idempotent_and_refresh_follows_what_changed() {
    let mut store = Store::open_in_memory().unwrap();
    let corpus = Corpus::embedded_with(Scenarios::Skip).unwrap();
    let resolver = Resolver::new(Directory::builtin());
    let mut sharing = Sharing::open(&mut store).unwrap();
    let path = fixture("portal-el-cajon-sample.json");
    assert_eq!(
        sharing.import(&path, &options(None)).unwrap().status,
        "imported"
    );
    let again = sharing.import(&path, &options(None)).unwrap();
    assert_eq!(again.status, "already_imported");
    assert!(again.previous.is_some());
    // The same file for another owner is another list.
    let other = ReadOptions {
        owner: Some("Santee CA PD".to_string()),
        ..options(None)
    };
    assert_eq!(sharing.import(&path, &other).unwrap().status, "imported");
    assert_eq!(sharing.lists().unwrap().len(), 2);

    let version = corpus.version().to_string();
    assert!(sharing.is_stale(&version, DIRECTORY).unwrap());
    refresh(&mut sharing, &corpus, &resolver);
    assert!(!sharing.is_stale(&version, DIRECTORY).unwrap());
    assert!(sharing.is_stale(&version, "another directory").unwrap());
    assert!(sharing.is_stale("another corpus", DIRECTORY).unwrap());
    sharing
        .import(&fixture("portal-no-name.json"), &options(None))
        .unwrap();
    assert!(sharing.is_stale(&version, DIRECTORY).unwrap());
    let mut checker = Checker::new(&corpus, resolver.clone());
    let report = sharing
        .ensure_fresh(&mut checker, DIRECTORY)
        .unwrap()
        .unwrap();
    assert_eq!(report.lists, 3);
    assert_eq!(report.entries, 9 + 9 + 2);
    assert!(
        sharing
            .ensure_fresh(&mut checker, DIRECTORY)
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_failed_import_leaves_nothing_behind() {
    let mut store = Store::open_in_memory().unwrap();
    let mut sharing = Sharing::open(&mut store).unwrap();
    let error = sharing
        .import(&fixture("portal-wrong-type.json"), &options(None))
        .unwrap_err();
    assert!(error.to_string().contains("portal-wrong-type.json"));
    assert!(sharing.lists().unwrap().is_empty());
    assert!(sharing.store().imports("").unwrap().is_empty());
}

#[test]
fn issues_are_kept_with_file_line_and_field() {
    let mut store = sample_store();
    let sharing = Sharing::open(&mut store).unwrap();
    let issues = sharing.issues(None).unwrap();
    let found: Vec<(Option<i64>, &str, &str)> = issues
        .iter()
        .map(|i| (i.line, i.field.as_str(), i.severity.as_str()))
        .collect();
    assert!(found.contains(&(Some(16), "sharing_outbound[6]", "error")));
    assert!(found.contains(&(Some(3), "crawled_name", "warning")));
    assert!(issues.iter().all(|i| !i.source_path.is_empty()));
}

#[test]
fn newer_lists_of_the_same_source_supersede_older_ones() {
    let mut store = Store::open_in_memory().unwrap();
    let corpus = Corpus::embedded_with(Scenarios::Skip).unwrap();
    let resolver = Resolver::new(Directory::builtin());
    let mut sharing = Sharing::open(&mut store).unwrap();
    let names = fixture("names.txt");
    for date in ["2025-01-01", "2025-06-01"] {
        let options = ReadOptions {
            owner: Some("Alameda County CA SO".to_string()),
            date: Some(date.parse().unwrap()),
            ..options(None)
        };
        sharing.import(&names, &options).unwrap();
    }
    refresh(&mut sharing, &corpus, &resolver);
    let lists = sharing.lists().unwrap();
    let current: Vec<(&str, bool)> = lists.iter().map(|l| (l.date.as_str(), l.current)).collect();
    assert_eq!(current, [("2025-01-01", false), ("2025-06-01", true)]);
    let key = sharing
        .find_owner("Alameda County CA SO", Some(&resolver))
        .unwrap();
    let report = sharing.owner_report(&key).unwrap();
    assert_eq!(report.date.as_deref(), Some("2025-06-01"));
    assert_eq!(
        report.counts.recipients, 4,
        "not 8: the older list is superseded"
    );
    let all = sharing
        .edges(&EdgeFilter {
            owner_key: Some(key),
            ..EdgeFilter::default()
        })
        .unwrap();
    assert_eq!(all.len(), 8);
    assert!(
        all.iter()
            .all(|e| e.direction == Direction::Outbound.as_str())
    );
}

/// The 187 archived portals, imported and checked with the built-in directory sample.
fn real_portals() -> Option<Store> {
    let folder = shared("transparency-portals")?;
    let mut store = Store::open_in_memory().unwrap();
    let corpus = Corpus::embedded_with(Scenarios::Skip).unwrap();
    let resolver = Resolver::new(Directory::builtin());
    {
        let mut sharing = Sharing::open(&mut store).unwrap();
        for file in collect_files(&[folder]).unwrap() {
            sharing.import(&file, &options(None)).unwrap();
        }
        refresh(&mut sharing, &corpus, &resolver);
    }
    Some(store)
}

#[test]
fn real_portals_california_ranking_and_pinned_counts() {
    let Some(mut store) = real_portals() else {
        return;
    };
    let sharing = Sharing::open(&mut store).unwrap();
    let report = sharing.state_report("CA").unwrap();
    assert_eq!(report.owners.len(), 180);
    let sharing_out: Vec<&str> = report
        .owners
        .iter()
        .filter(|o| o.counts.out_of_state + o.counts.federal > 0)
        .map(|o| o.owner.as_str())
        .collect();
    assert_eq!(
        sharing_out,
        [
            "El Cajon Police Department",
            "Seaside Police Department",
            "Westminster Police Department"
        ]
    );

    let el_cajon = &report.owners[0];
    assert_eq!(el_cajon.ori.as_deref(), Some("CA0370500"));
    assert_eq!(el_cajon.date.as_deref(), Some("2026-04-29"));
    assert_eq!(
        without_agencies(el_cajon.counts.clone()),
        counts(
            683,
            [319, 360, 0, 1, 3],
            &[("may", 319), ("must_not", 361), ("unchecked", 3)]
        )
    );
    assert_eq!(el_cajon.out_of_state_by_state.get("AZ"), Some(&33));
    assert_eq!(el_cajon.out_of_state_by_state.len(), 41);

    let seaside = report
        .owners
        .iter()
        .find(|o| o.owner == "Seaside Police Department")
        .unwrap();
    assert_eq!(
        without_agencies(seaside.counts.clone()),
        counts(
            350,
            [346, 1, 0, 0, 3],
            &[("may", 346), ("must_not", 1), ("unchecked", 3)]
        )
    );
    let westminster = report
        .owners
        .iter()
        .find(|o| o.owner == "Westminster Police Department")
        .unwrap();
    assert_eq!(westminster.counts.recipients, 329);
    assert_eq!(westminster.counts.out_of_state, 1);

    // The citations: Civil Code 1798.90.55(b) with the Attorney General's 2023 bulletin.
    let rule = &report.citations[0];
    assert_eq!(rule.id, "us-ca/civ-1798.90.55-b-out-of-state");
    assert!(rule.citation.contains("1798.90.55(b)"));
    assert!(rule.also_cites.iter().any(|s| s.citation
        == "California Attorney General Information Bulletin 2023-DLE-06 (Oct 30 2023)"));
    assert_eq!(rule.edges, 362);
}

#[test]
fn real_portal_owner_report_points_at_file_and_line() {
    let Some(mut store) = real_portals() else {
        return;
    };
    let sharing = Sharing::open(&mut store).unwrap();
    let resolver = Resolver::new(Directory::builtin());
    let key = sharing
        .find_owner("Seaside CA PD", Some(&resolver))
        .unwrap();
    let report = sharing.owner_report(&key).unwrap();
    assert_eq!(report.flagged.len(), 1);
    let edge = &report.flagged[0];
    assert_eq!(edge.recipient, "Goshen Village NY PD");
    assert_eq!(edge.recipient_state.as_deref(), Some("NY"));
    assert!(edge.source_path.ends_with("seaside-ca-pd__2026-04-23.json"));
    // The line holds the name, as a reader opening the file will see.
    let text = std::fs::read_to_string(&edge.source_path).unwrap();
    let line = text.lines().nth(edge.line as usize - 1).unwrap();
    assert!(line.contains("\"Goshen Village NY PD\""), "{line}");
    assert!(report.immigration_use_prohibited);
}
