//! The 287(g) pages against the registry's own queries on the same store: the demo store, built
//! from the bundled sample sheets by remit-registry's importer.

use axum::http::StatusCode;
use remit_registry::{Day, Filter, Registry, SheetKind};
use remit_web::html::path_component;

use crate::common::{assert_error_envelope, assert_ok_envelope, demo_state, get};

fn day(text: &str) -> Day {
    Day::parse_iso(text).unwrap_or_else(|| panic!("`{text}` is not a date"))
}

#[tokio::test]
async fn the_overview_is_the_registrys_stats_diff_and_timeline() {
    let (state, _folder, mut direct) = demo_state();
    let registry = Registry::open(&mut direct).unwrap();
    let stats = registry.stats(None, &Filter::default()).unwrap();
    assert!(
        stats.agreements > 50,
        "the demo sheets list {}",
        stats.agreements
    );
    let data = assert_ok_envelope("/287g.json", &get(&state, "/287g.json").await);
    assert_eq!(data["agreements"], stats.agreements);
    assert_eq!(data["agencies"], stats.agencies);
    assert_eq!(data["pending"], stats.pending);
    assert_eq!(
        data["by_state"],
        serde_json::to_value(&stats.by_state).unwrap()
    );
    assert_eq!(
        data["by_model"],
        serde_json::to_value(&stats.by_model).unwrap()
    );
    assert_eq!(data["national_by_state"], data["by_state"]);
    assert_eq!(data["snapshot"]["taken"], stats.snapshot.taken.to_string());
    // Files are named without the folders they were imported from.
    assert_eq!(
        data["snapshot"]["file"],
        "participatingAgencies07182025pm.csv"
    );

    // One timeline point per day with a participating sheet, each the stats of that day.
    let snapshots = registry.snapshots().unwrap();
    let mut days: Vec<Day> = snapshots
        .iter()
        .filter(|s| s.kind == SheetKind::Participating)
        .map(|s| s.taken.day)
        .collect();
    days.dedup();
    let timeline = data["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), days.len());
    for (point, day) in timeline.iter().zip(&days) {
        let expected = registry.stats(Some(*day), &Filter::default()).unwrap();
        assert_eq!(point["day"], day.to_string());
        assert_eq!(point["agreements"], expected.agreements);
        assert_eq!(
            point["by_model"],
            serde_json::to_value(&expected.by_model).unwrap()
        );
    }
    // The default diff runs from the first sheet to the latest.
    let diff = registry
        .diff(days[0], *days.last().unwrap(), &Filter::default())
        .unwrap();
    assert_eq!(
        data["changes"]["added"].as_array().unwrap().len(),
        diff.added.len()
    );
    assert_eq!(
        data["changes"]["removed"].as_array().unwrap().len(),
        diff.removed.len()
    );
    assert!(
        !diff.removed.is_empty(),
        "the demo sheets remove agreements"
    );
}

#[tokio::test]
async fn how_many_florida_agencies_had_an_agreement_in_june() {
    let (state, _folder, mut direct) = demo_state();
    let registry = Registry::open(&mut direct).unwrap();
    let florida = Filter {
        state: Some("FL".to_string()),
        model: None,
    };
    let expected = registry.stats(Some(day("2025-06-30")), &florida).unwrap();
    assert!(expected.agencies > 0);
    let uri = "/287g.json?state=FL&as_of=2025-06-30";
    let data = assert_ok_envelope(uri, &get(&state, uri).await);
    assert_eq!(data["agencies"], expected.agencies);
    assert_eq!(data["agreements"], expected.agreements);
    assert_eq!(data["snapshot"]["taken"], "2025-06-16 am");
    // The map still shows the whole country.
    let national = registry
        .stats(Some(day("2025-06-30")), &Filter::default())
        .unwrap();
    assert_eq!(
        data["national_by_state"],
        serde_json::to_value(&national.by_state).unwrap()
    );
    // A reader clicking Florida on the map, then choosing the date, reads the same number.
    let map = get(&state, "/287g").await;
    assert!(map.body.contains("<a href=\"/287g?state=FL\">"));
    let page = get(&state, "/287g?as_of=2025-06-30&state=FL").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!(
        "agreements held by {} agencies in Florida",
        expected.agencies
    )));
    // Only Florida's agreements are listed.
    let (_, rows) = get(&state, "/287g.csv?state=FL&as_of=2025-06-30")
        .await
        .csv();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r[0] == "FL"));
}

#[tokio::test]
async fn the_diff_between_two_dates() {
    let (state, _folder, mut direct) = demo_state();
    let registry = Registry::open(&mut direct).unwrap();
    let diff = registry
        .diff(day("2025-06-01"), day("2025-07-02"), &Filter::default())
        .unwrap();
    let uri = "/287g.json?from=2025-06-01&to=2025-07-02";
    let data = assert_ok_envelope(uri, &get(&state, uri).await);
    let names = |value: &serde_json::Value| -> Vec<String> {
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|a| format!("{} {} {}", a["state"], a["agency"], a["model"]))
            .collect()
    };
    let expected_added: Vec<String> = diff
        .added
        .iter()
        .map(|a| format!("\"{}\" \"{}\" \"{}\"", a.state, a.agency, a.model))
        .collect();
    assert_eq!(names(&data["changes"]["added"]), expected_added);
    assert_eq!(
        data["changes"]["from"]["taken"],
        diff.from.taken.to_string()
    );
    let (_, rows) = get(
        &state,
        "/287g.csv?from=2025-06-01&to=2025-07-02&table=added",
    )
    .await
    .csv();
    assert_eq!(rows.len(), diff.added.len());
}

#[tokio::test]
async fn csv_tables_match_the_registry() {
    let (state, _folder, mut direct) = demo_state();
    let registry = Registry::open(&mut direct).unwrap();
    let latest = registry.stats(None, &Filter::default()).unwrap();
    let listed = registry
        .export(Some(latest.snapshot.taken.day), &Filter::default())
        .unwrap();
    let (headers, rows) = get(&state, "/287g.csv").await.csv();
    assert_eq!(headers[0..2], ["state", "agency"]);
    assert_eq!(rows.len(), listed.len());
    let (_, rows) = get(&state, "/287g.csv?table=states").await.csv();
    assert_eq!(rows.len(), latest.by_state.len());
    for row in &rows {
        assert_eq!(row[2], latest.by_state[&row[0]].to_string());
    }
    let (_, rows) = get(&state, "/287g.csv?table=timeline").await.csv();
    assert_eq!(rows.len(), 5);
    assert_error_envelope(
        "/287g.csv?table=nope",
        &get(&state, "/287g.csv?table=nope").await,
        StatusCode::BAD_REQUEST,
    );
}

#[tokio::test]
async fn json_lists_come_in_pages_and_csv_has_every_row() {
    let (state, _folder, _direct) = demo_state();
    let (_, all) = get(&state, "/287g.csv").await.csv();
    assert!(all.len() > 20);
    let data = assert_ok_envelope(
        "/287g.json?size=10",
        &get(&state, "/287g.json?size=10").await,
    );
    assert_eq!(data["listed_total"], all.len());
    assert_eq!(data["listed"].as_array().unwrap().len(), 10);
    let next = data["listed_next"].as_str().unwrap().to_string();
    assert_eq!(next, "/287g.json?offset=10&size=10");
    let page = assert_ok_envelope(&next, &get(&state, &next).await);
    let agencies: Vec<&str> = page["listed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["agency"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = all[10..20].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(agencies, expected);
    assert!(data["changes"]["added"].as_array().unwrap().len() <= 10);
    let uri = format!("/287g.json?offset={}", all.len());
    let last = assert_ok_envelope(&uri, &get(&state, &uri).await);
    assert_eq!(last["listed"], serde_json::json!([]));
    assert_eq!(last["listed_next"], serde_json::Value::Null);
    for uri in ["/287g.json?size=5000", "/287g.json?offset=-1"] {
        assert_error_envelope(uri, &get(&state, uri).await, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn every_agency_has_its_page() {
    let (state, _folder, mut direct) = demo_state();
    let registry = Registry::open(&mut direct).unwrap();
    let rows = registry.export(None, &Filter::default()).unwrap();
    assert!(rows.iter().any(|r| r.agency.contains('\'')));
    for row in &rows {
        let uri = format!(
            "/agencies/{}/{}.json",
            row.state,
            path_component(&row.agency)
        );
        let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
        let agencies = data["agencies"].as_array().unwrap();
        assert_eq!(agencies.len(), 1, "`{uri}`");
        assert_eq!(agencies[0]["name"], row.agency.as_str());
        let models: Vec<&str> = agencies[0]["agreements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["model"].as_str().unwrap())
            .collect();
        assert!(models.contains(&row.model.as_str()));
    }
    // The renamed department: one agency, both names, and its history.
    let uri = "/agencies/TX/Montgomery%20Sample%20Police%20Department";
    let page = get(&state, uri).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("City of Montgomery Sample Police Department")
    );
    assert!(page.body.contains("Names on ICE's sheets"));
    assert!(page.body.contains("pending"));
    let history = registry
        .agency("Montgomery Sample Police Department", Some("TX"))
        .unwrap();
    let data = assert_ok_envelope(uri, &get(&state, &format!("{uri}.json")).await);
    assert_eq!(
        data["agencies"][0]["agreements"],
        serde_json::to_value(&history[0].agreements).unwrap()
    );
}

#[tokio::test]
async fn registry_failures_are_the_error_envelope() {
    let (state, _folder, _direct) = demo_state();
    for (uri, status) in [
        ("/287g.json?as_of=2020-01-01", StatusCode::BAD_REQUEST),
        ("/287g.json?as_of=July", StatusCode::BAD_REQUEST),
        ("/287g.json?state=Narnia", StatusCode::BAD_REQUEST),
        ("/287g.csv?model=federal", StatusCode::BAD_REQUEST),
        ("/287g.json?from=2020-01-01", StatusCode::BAD_REQUEST),
        ("/agencies/TX/Nobody%20Here.json", StatusCode::NOT_FOUND),
        ("/agencies/ZZ/Nobody.json", StatusCode::NOT_FOUND),
        ("/agencies/XX0000000.json", StatusCode::NOT_FOUND),
    ] {
        assert_error_envelope(uri, &get(&state, uri).await, status);
    }
    let reply = get(&state, "/287g.json?as_of=2020-01-01").await;
    assert_eq!(
        reply.json()["help"],
        "the earliest is 2025-05-16 am",
        "the error says where the data starts"
    );
}

#[tokio::test]
async fn pages_follow_new_imports() {
    let (state, folder, mut direct) = demo_state();
    let before = assert_ok_envelope("/287g.json", &get(&state, "/287g.json").await);
    let again = get(&state, "/287g.json").await;
    assert_eq!(before, assert_ok_envelope("/287g.json", &again));
    // Another process imports a later sheet into the same store.
    let sheet = folder.path().join("participatingAgencies07252025pm.csv");
    std::fs::write(
        &sheet,
        "STATE,LAW ENFORCEMENT AGENCY,TYPE,COUNTY,SUPPORT TYPE,SIGNED,MOA,ADDENDUM\n\
         KANSAS,Sedgwick County Sample Sheriff's Office,County,Sedgwick County,Warrant Service Officer,7/20/2025,link,\n",
    )
    .unwrap();
    {
        let mut registry = Registry::open(&mut direct).unwrap();
        registry
            .import(&sheet, remit_registry::ImportOptions::default())
            .unwrap();
        registry.refresh(&mut remit_registry::NoDirectory).unwrap();
    }
    let after = assert_ok_envelope("/287g.json", &get(&state, "/287g.json").await);
    assert_eq!(after["snapshot"]["taken"], "2025-07-25 pm");
    assert_eq!(after["agreements"], 1);
    assert_ne!(before["snapshot"], after["snapshot"]);
}

#[tokio::test]
async fn the_overview_lists_the_imported_sheets_and_their_source() {
    let (state, _folder, direct) = demo_state();
    let imports = direct.imports("").unwrap();
    assert_eq!(
        imports.len(),
        11,
        "eight 287(g) sheets, a sharing list and the two audit logs"
    );
    let reply = get(&state, "/.json").await;
    let data = assert_ok_envelope("/.json", &reply);
    assert_eq!(data["demo"], true);
    assert_eq!(data["imports"].as_array().unwrap().len(), imports.len());
    // Only file names: the folders they were imported from stay private.
    assert!(
        data["imports"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| !i["source"].as_str().unwrap().contains('/'))
    );
    let sources = reply.json()["sources"].clone();
    assert_eq!(
        sources.as_array().unwrap().len(),
        5,
        "corpus, ICE sheets, sharing list, sample audit, generated audit"
    );
    assert_eq!(
        sources[1]["date"],
        "8 snapshots imported, 2025-05-16 am to 2025-07-18 pm"
    );
    assert_eq!(
        sources[1]["licence"],
        "US federal government work (public domain)"
    );
    let html = get(&state, "/").await;
    assert!(html.body.contains("<strong>Demo data.</strong>"));
    assert!(html.body.contains("<h2>Data sources</h2>"));
    // The import log has its own page, linked from the home page.
    assert!(html.body.contains("href=\"/-/imports\""));
    let log = get(&state, "/-/imports").await;
    assert!(log.body.contains("participatingAgencies07182025pm.csv"));
}
