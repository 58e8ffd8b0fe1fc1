//! Partners added or dropped between two crawls of one agency's transparency portal: El Cajon's
//! archived portal in `../shared/data/alpr` (skipped with a notice when missing, unless
//! REMIT_REQUIRE_SHARED_DATA is set) and a later crawl made from it with two partners gone and
//! one new.

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
use remit_sharing::{Checker, Sharing};
use remit_store::Store;

#[expect(
    dead_code,
    reason = "this test reads the shared data, not the self-made fixtures"
)]
mod common;
use common::{options, shared};

#[test]
fn a_newer_crawl_of_the_same_portal_records_the_partners_added_and_dropped() {
    let Some(portal) = shared("transparency-portals/-el-cajon-pd-ca__2026-04-29.json") else {
        return;
    };
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sharing-changes");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(&portal).unwrap();
    let mut later: serde_json::Value = serde_json::from_str(&text).unwrap();
    let outbound = later["sharing_outbound"].as_array_mut().unwrap();
    let before = outbound.len();
    outbound.retain(|name| name != "Acworth GA PD" && name != "Ada County ID SO");
    assert_eq!(outbound.len(), before - 2, "the crawl lists both partners");
    outbound.push("Eugene OR PD".into());
    later["archived_date"] = "2026-05-29".into();
    let first = dir.join("el-cajon-pd-ca__2026-04-29.json");
    let second = dir.join("el-cajon-pd-ca__2026-05-29.json");
    std::fs::write(&first, &text).unwrap();
    std::fs::write(&second, later.to_string()).unwrap();

    let corpus = Corpus::embedded_with(Scenarios::Skip).unwrap();
    let resolver = Resolver::new(Directory::builtin());
    let mut store = Store::open_in_memory().unwrap();
    let mut sharing = Sharing::open(&mut store).unwrap();
    sharing.import(&first, &options(None)).unwrap();
    let mut checker = Checker::new(&corpus, resolver.clone());
    sharing.refresh(&mut checker, "built-in sample").unwrap();
    // One list: nothing to compare it with.
    assert!(
        sharing
            .record_changes("2026-06-01T00:00:00Z")
            .unwrap()
            .is_empty()
    );

    sharing.import(&second, &options(None)).unwrap();
    let mut checker = Checker::new(&corpus, resolver);
    sharing.refresh(&mut checker, "built-in sample").unwrap();
    let recorded = sharing.record_changes("2026-06-02T00:00:00Z").unwrap();
    let mut seen: Vec<(&str, &str)> = recorded
        .iter()
        .map(|c| (c.kind.as_str(), c.partner.as_str()))
        .collect();
    seen.sort_unstable();
    assert_eq!(seen.len(), 3, "{recorded:#?}");
    assert_eq!(seen[0].0, "added");
    assert!(seen[0].1.contains("Eugene"), "{seen:?}");
    assert_eq!(seen[1].0, "dropped");
    assert!(seen[1].1.contains("Acworth"), "{seen:?}");
    assert_eq!(seen[2].0, "dropped");
    assert!(seen[2].1.contains("Ada"), "{seen:?}");
    for change in &recorded {
        assert_eq!(change.direction, "outbound");
        assert_eq!(change.from_date, "2026-04-29");
        assert_eq!(change.to_date, "2026-05-29");
        assert!(change.owner.contains("El Cajon"), "{}", change.owner);
    }
    let added = recorded.iter().find(|c| c.kind == "added").unwrap();
    assert_eq!(added.partner_state.as_deref(), Some("OR"));
    assert!(
        added
            .sentence()
            .contains("shares its plate-reader data with")
            && added.sentence().contains("since its list of 2026-05-29"),
        "{}",
        added.sentence()
    );

    // Recorded once: a second run records nothing, and the changes are read back newest first.
    assert!(
        sharing
            .record_changes("2026-06-03T00:00:00Z")
            .unwrap()
            .is_empty()
    );
    let latest = sharing.changes(10).unwrap();
    assert_eq!(latest.len(), 3);
    assert!(
        latest
            .iter()
            .all(|c| c.recorded_at == "2026-06-02T00:00:00Z")
    );
}
