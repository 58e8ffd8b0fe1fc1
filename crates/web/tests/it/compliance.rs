//! `/compliance`: the registry checked against the law, over the demo store. The page and its
//! twins must say what remit-app's check says on the same store and date, warn when the date is
//! past the newest data, and answer bad input in the envelope.

use axum::http::StatusCode;
use remit_agencies::{Directory, Resolver};
use remit_app::compliance::Compliance;
use remit_registry::Day;

use crate::common::{assert_error_envelope, assert_ok_envelope, corpus, demo_state, get};

#[tokio::test]
async fn the_page_and_its_twins_say_what_the_check_says() {
    let (state, _folder, direct) = demo_state();
    let corpus = corpus();
    let resolver = Resolver::new(Directory::builtin());
    let mut compliance = Compliance::load(&corpus, &resolver, &direct, "built-in sample")
        .unwrap_or_else(|e| panic!("{e}"));
    for as_of in ["2025-07-18", "2026-06-30"] {
        let day = Day::parse_iso(as_of).unwrap_or_else(|| panic!("{as_of}"));
        let expected = compliance.check(day, None);
        if as_of == "2026-06-30" {
            // The sample sheets leave county jails that Florida requires to hold one without.
            assert!(!expected.required_without_agreement.is_empty());
        }
        let url = format!("/compliance.json?as_of={as_of}");
        let data = assert_ok_envelope(&url, &get(&state, &url).await);
        assert_eq!(data["as_of"], as_of);
        assert_eq!(
            data["totals"],
            serde_json::to_value(&expected.totals).unwrap_or_default(),
            "{url}"
        );
        let names = |key: &str| -> Vec<String> {
            data[key]
                .as_array()
                .map(|list| {
                    list.iter()
                        .map(|f| f["agency"]["name"].as_str().unwrap_or("").to_string())
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(
            names("required_without_agreement"),
            expected
                .required_without_agreement
                .iter()
                .map(|f| f.agency.name.clone())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            names("forbidden_with_agreement").len(),
            expected.forbidden_with_agreement.len()
        );
        // The CSV has one row per finding.
        let csv_url = format!("/compliance.csv?as_of={as_of}");
        let (header, rows) = get(&state, &csv_url).await.csv();
        assert_eq!(header[0], "finding");
        assert_eq!(
            rows.len(),
            expected.required_without_agreement.len()
                + expected.forbidden_with_agreement.len()
                + expected.depends.len()
        );
        // The page states the counts first, and what the registry is.
        let html = get(&state, &format!("/compliance?as_of={as_of}")).await;
        assert_eq!(html.status, StatusCode::OK);
        assert!(html.body.contains(&format!(
            "<strong>{}</strong> agencies that the law requires",
            expected.totals.required_without_agreement
        )));
        assert!(
            html.body
                .contains("not whether an agreement is lawful or in force")
        );
        assert!(html.body.contains("It is not legal advice"));
        assert!(html.body.contains("<svg"), "the state map");
    }
    // The demo's sheets end on 2025-07-18: a later date is stale, on the page and in the data.
    let url = "/compliance/TX.json?as_of=2026-12-07";
    let data = assert_ok_envelope(url, &get(&state, url).await);
    assert!(data["stale"].as_str().unwrap_or("").contains("2025-07-18"));
    assert_eq!(data["state"], "TX");
    let html = get(&state, "/compliance/TX?as_of=2026-12-07").await;
    assert!(html.body.contains("<strong>Stale:</strong>"));
    // A state's page lists when standings changed over the registry's history.
    assert!(
        html.body.contains("When agencies&#39; standing changed")
            || html.body.contains("When agencies' standing changed")
    );
    // The table sorts by its columns and pages.
    let sorted = get(&state, "/compliance?as_of=2026-06-30&sort=agency").await;
    assert_eq!(sorted.status, StatusCode::OK);
    assert!(sorted.body.contains("aria-sort=\"ascending\">Agency"));
    let bad = get(&state, "/compliance?sort=color").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn bad_input_is_the_error_envelope() {
    let (state, _folder, _direct) = demo_state();
    for (url, status) in [
        ("/compliance.json?as_of=2026-13-01", StatusCode::BAD_REQUEST),
        ("/compliance/ZZ.json", StatusCode::NOT_FOUND),
        ("/compliance/TX.json?finding=lawful", StatusCode::OK),
    ] {
        let reply = get(&state, url).await;
        if status == StatusCode::OK {
            assert_ok_envelope(url, &reply);
        } else {
            assert_error_envelope(url, &reply, status);
        }
    }
    let html = get(&state, "/compliance/TX?finding=lawful").await;
    assert_eq!(html.status, StatusCode::BAD_REQUEST);
}
