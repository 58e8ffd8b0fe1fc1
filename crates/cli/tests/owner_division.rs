//! The audit pipeline asks the law about the data owner where the owner stands: its city or
//! county, not only its state, so a city ordinance binds the city's police and not the county's
//! sheriff (the same reading as `remit sharing`, from `remit_agencies::law`).

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]

mod common;
use common::{run as remit, stderr};

/// The rule ids that determined each law question of an audit, by counterparty.
fn determining(owner: &str, log: &str) -> Vec<(String, Vec<String>)> {
    let output = remit(&[
        "audit",
        log,
        "--owner",
        owner,
        "--json",
        "--no-store",
        "--quiet",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    summary["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let ids = d["determining"].as_array().unwrap().iter();
            (
                d["counterparty"].as_str().unwrap().to_string(),
                ids.map(|r| r["id"].as_str().unwrap().to_string()).collect(),
            )
        })
        .collect()
}

#[test]
fn a_city_ordinance_binds_the_citys_police_in_audits() {
    let log = std::env::temp_dir().join(format!("remit-owner-division-{}.csv", std::process::id()));
    let log = log.to_str().unwrap().to_string();
    let generated = remit(&[
        "demo",
        "gen-audit",
        "--rows",
        "3000",
        "--seed",
        "3",
        "--out",
        &log,
    ]);
    assert!(generated.status.success(), "{}", stderr(&generated));

    let police = determining("Los Angeles CA PD", &log);
    let federal: Vec<_> = police
        .iter()
        .filter(|(c, _)| c == "border_patrol")
        .collect();
    assert!(
        !federal.is_empty(),
        "the generated log has Border Patrol searches"
    );
    for (_, ids) in &federal {
        assert!(
            ids.contains(&"us-ca-los_angeles/sanctuary-ordinance-data".to_string()),
            "{ids:?}"
        );
        assert!(
            ids.contains(&"us-ca/civ-1798.90.55-b-out-of-state".to_string()),
            "{ids:?}"
        );
    }

    let sheriff = determining("Los Angeles County CA SO", &log);
    std::fs::remove_file(&log).ok();
    assert!(!sheriff.is_empty());
    for (_, ids) in &sheriff {
        assert!(
            ids.iter().all(|id| !id.starts_with("us-ca-los_angeles/")),
            "{ids:?}"
        );
    }
}
