//! `remit registry check` end to end: the real binary on the FBI list, ICE's real sheets and the
//! MOA index in `../shared/data` (skipped with a notice when missing, unless
//! REMIT_REQUIRE_SHARED_DATA is set), and on bad input.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]

use std::path::PathBuf;

mod common;
use common::{json, remit, stderr, stdout};

/// A scratch folder with the FBI list, every sheet and the MOA index imported by the binary.
fn real() -> Option<PathBuf> {
    let data = common::shared_data("")?;
    let dir = common::scratch("registry-check-cli", "real");
    let path = |relative: &str| data.join(relative).to_str().unwrap().to_string();
    for args in [
        vec![
            "agencies".to_string(),
            "import".to_string(),
            path("agencies/fbi-lee.csv"),
        ],
        vec![
            "registry".to_string(),
            "import".to_string(),
            path("287g/ice-sheets"),
            path("287g/moa-index/moa_agreements.json"),
        ],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = remit(&dir, &args);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    Some(dir)
}

#[test]
fn texas_and_virginia_on_the_real_data() {
    let Some(dir) = real() else { return };
    let texas = json(&remit(
        &dir,
        &[
            "registry",
            "check",
            "--as-of",
            "2026-06-30",
            "--state",
            "TX",
            "--json",
        ],
    ));
    assert_eq!(texas["as_of"], "2026-06-30");
    assert_eq!(texas["data_as_of"], "2026-06-30");
    assert!(texas["stale"].is_null());
    assert_eq!(texas["totals"]["must"], 228);
    let required = texas["required_without_agreement"].as_array().unwrap();
    assert_eq!(
        texas["totals"]["required_without_agreement"].as_u64(),
        Some(required.len() as u64)
    );
    let harris = required
        .iter()
        .find(|f| f["agency"]["name"] == "Harris County Sheriff's Office")
        .unwrap();
    assert_eq!(harris["rules"][0]["id"], "us-tx/gov-ch753-287g");
    assert_eq!(harris["deadline"], "2026-12-01");
    assert_eq!(harris["past_deadline"], false);
    assert!(harris["agreements"].as_array().unwrap().is_empty());

    // Past the newest data: a warning, in words and in JSON.
    let late = remit(
        &dir,
        &[
            "registry",
            "check",
            "--as-of",
            "2026-12-07",
            "--state",
            "texas",
        ],
    );
    assert!(late.status.success(), "{}", stderr(&late));
    let text = stdout(&late);
    assert!(text.contains("warning: stale"), "{text}");
    assert!(
        text.contains("compliance due by 2026-12-01: past on this date"),
        "{text}"
    );
    assert!(text.contains("It is not legal advice"), "{text}");

    // The history says when Virginia's State Police came to hold an agreement the law forbids.
    let history = json(&remit(
        &dir,
        &["registry", "check", "--changes", "--state", "VA", "--json"],
    ));
    let change = history["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["agency"]["ori"] == "VAVSP0000")
        .unwrap();
    assert_eq!(change["date"], "2026-02-04");
    assert_eq!(change["to"], "forbidden_with_agreement");
}

#[test]
fn bad_input_is_an_error_with_help() {
    let dir = common::scratch("registry-check-cli", "bad");
    for (args, message) in [
        (
            vec!["registry", "check", "--as-of", "2026-13-01"],
            "`2026-13-01` is not a date",
        ),
        (
            vec!["registry", "check", "--state", "ZZ"],
            "`ZZ` is not a US state",
        ),
    ] {
        let output = remit(&dir, &args);
        assert_eq!(output.status.code(), Some(2));
        let text = stderr(&output);
        assert!(text.contains(message), "{text}");
        assert!(text.contains("help:"), "{text}");
    }
    // An empty store: nothing to check, and how to fill it.
    let output = remit(&dir, &["registry", "check", "--as-of", "2026-06-30"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("the registry is empty"), "{text}");
}
