//! Authorised against actual: the sample portal's list beside a self-made network audit, and
//! Okaloosa's real sharing list beside its real organisation audit in `../shared/data/alpr`
//! (skipped with a notice when missing, unless REMIT_REQUIRE_SHARED_DATA is set).

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]
#![expect(
    clippy::panic,
    reason = "a missing required data folder fails the test"
)]

use std::path::{Path, PathBuf};

use remit_agencies::{Directory, Resolver};
use remit_app::{CompareOptions, Comparison};
use remit_audit::Classifier;
use remit_law::{Corpus, Scenarios};
use remit_sharing::{Checker, ReadOptions, Sharing, SharingError};
use remit_store::Store;

// The sharing tests' helpers: their fixtures, the shared data, read options.
#[path = "../../sharing/tests/common/mod.rs"]
mod common;
use common::{fixture, options, shared};

/// Imports `list`, then compares its owner with `audits`.
fn run(
    list: &Path,
    read: &ReadOptions,
    owner: &str,
    audits: Vec<PathBuf>,
) -> Result<Comparison, SharingError> {
    let mut store = Store::open_in_memory().unwrap();
    let corpus = Corpus::embedded_with(Scenarios::Skip).unwrap();
    let resolver = Resolver::new(Directory::builtin());
    let classifier = Classifier::builtin().unwrap();
    let mut sharing = Sharing::open(&mut store).unwrap();
    sharing.import(list, read).unwrap();
    let mut checker = Checker::new(&corpus, resolver.clone());
    sharing.refresh(&mut checker, "built-in sample").unwrap();
    let key = sharing.find_owner(owner, Some(&resolver)).unwrap();
    let options = CompareOptions {
        audits,
        examples: 5,
        utc_offset: 0,
    };
    remit_app::compare(
        sharing.store().connection(),
        &key,
        &mut checker,
        &classifier,
        &options,
    )
}

#[test]
fn back_door_side_door_and_federal_searchers() {
    let comparison = run(
        &fixture("portal-el-cajon-sample.json"),
        &options(None),
        "El Cajon CA PD",
        vec![fixture("network-audit.csv")],
    )
    .unwrap();
    assert_eq!(comparison.searches, 10);
    assert_eq!(comparison.first.as_deref(), Some("2025-07-01"));
    assert_eq!(comparison.last.as_deref(), Some("2025-07-09"));
    assert_eq!(comparison.own_searches, 2);
    assert_eq!(comparison.own_immigration_searches, 1);
    assert_eq!(comparison.searchers, 6);
    assert_eq!(
        (comparison.searchers_on_list, comparison.searches_on_list),
        (3, 4)
    );
    // Home Depot, Sky Ranch and Decommissioned Org are listed but did not search.
    assert_eq!(comparison.authorised_not_searching, 3);

    let back: Vec<(&str, u64)> = comparison
        .back_door
        .examples
        .iter()
        .map(|r| (r.searcher.as_str(), r.searches))
        .collect();
    assert_eq!(
        back,
        [
            ("Chula Vista CA PD", 2),
            ("Santee CA PD", 1),
            ("Phoenix AZ PD", 1)
        ]
    );
    assert_eq!(comparison.back_door.searches, 4);
    assert_eq!(comparison.back_door.by_group.get("in_state"), Some(&2));
    assert_eq!(comparison.back_door.by_group.get("out_of_state"), Some(&1));

    let side: Vec<(&str, bool)> = comparison
        .side_door
        .examples
        .iter()
        .map(|r| (r.searcher.as_str(), r.on_list))
        .collect();
    assert_eq!(
        side,
        [
            ("Chula Vista CA PD", false),
            ("San Diego CA PD", true),
            ("Santee CA PD", false)
        ]
    );
    assert_eq!(comparison.side_door.searches, 3);
    // The immigration reason comes first among the examples, with file and line.
    let chula = &comparison.side_door.examples[0].examples[0];
    assert_eq!(chula.reason, "HSI request");
    assert_eq!(chula.line, 4);
    assert!(chula.file.ends_with("network-audit.csv"));

    assert_eq!(comparison.federal.searchers, 1);
    assert_eq!(
        comparison.federal.examples[0].searcher,
        "U.S. Border Patrol [Federal]"
    );
    assert!(comparison.federal.examples[0].on_list);
    // The audit's own law question for each search: California forbids sharing with it.
    assert_eq!(
        comparison.federal.examples[0].verdicts.get("must_not"),
        Some(&1)
    );
    let flag = comparison.prohibited_use_flag.unwrap();
    assert!(
        flag.contains("3 searches by 3 other agencies on its data name immigration work (1 of them on its list)"),
        "{flag}"
    );
}

#[test]
fn sharing_lists_are_not_audits() {
    let error = run(
        &fixture("portal-el-cajon-sample.json"),
        &options(None),
        "El Cajon CA PD",
        vec![fixture("name-state-type.csv")],
    );
    // The audit pipeline skips a sharing list and says what it was.
    let comparison = error.unwrap();
    assert_eq!(comparison.searches, 0);
    assert_eq!(
        comparison.audit_files[0].skipped.as_deref(),
        Some("a sharing list")
    );
}

#[test]
fn okaloosa_searched_only_for_itself() {
    let Some(list) = shared("okaloosa-fl/sharing-agencies.csv") else {
        return;
    };
    let Some(audit) = shared("okaloosa-fl/org-audit_2025-11-01_2025-12-08.csv") else {
        return;
    };
    let read = ReadOptions {
        date: Some("2025-12-08".parse().unwrap()),
        ..options(None)
    };
    let comparison = run(&list, &read, "Okaloosa County FL SO", vec![audit]).unwrap();
    // An organisation audit lists the owner's own users' searches: no sharing in it.
    assert_eq!(comparison.searches, 7_273);
    assert_eq!(comparison.own_searches, 7_273);
    assert_eq!(comparison.searchers, 0);
    assert_eq!(comparison.back_door.searchers, 0);
    assert_eq!(comparison.side_door.searchers, 0);
    // 535 entries, two of them the same agency, and the owner itself left out.
    assert_eq!(comparison.authorised, 533);
    assert_eq!(comparison.first.as_deref(), Some("2025-11-01"));
}
