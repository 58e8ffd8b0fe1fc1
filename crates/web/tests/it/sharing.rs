//! The sharing pages against remit-sharing's own reports on the same store: the demo's sample
//! list, imported and checked by remit-sharing.

use axum::http::StatusCode;
use remit_sharing::{EdgeFilter, Sharing};
use remit_web::html::{e, path_component};

use crate::common::{assert_error_envelope, assert_ok_envelope, demo_state, get};

/// A report as the pages give it: through JSON, with local paths cut to file names.
fn shown<T: serde::Serialize>(value: &T) -> serde_json::Value {
    fn name(path: &str) -> serde_json::Value {
        path.rsplit('/').next().unwrap_or(path).into()
    }
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, inner) in map.iter_mut() {
                    match (key.as_str(), &mut *inner) {
                        ("source_path", serde_json::Value::String(path)) => {
                            let cut = name(path);
                            *inner = cut;
                        }
                        ("sources", serde_json::Value::Array(items)) => {
                            for item in items.iter_mut() {
                                if let serde_json::Value::String(path) = item {
                                    let cut = name(path);
                                    *item = cut;
                                }
                            }
                        }
                        _ => strip(inner),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let text = serde_json::to_string(value).unwrap_or_else(|e| panic!("cannot serialise: {e}"));
    let mut json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("cannot read back: {e}"));
    strip(&mut json);
    json
}

#[tokio::test]
async fn a_state_and_an_owner_are_remit_sharings_reports() {
    let (state, _folder, mut direct) = demo_state();
    let sharing = Sharing::open(&mut direct).unwrap();
    let report = sharing.state_report("CA").unwrap();
    assert_eq!(report.owners.len(), 1);
    assert!(
        report.totals.forbidden > 0,
        "the sample list has out-of-state and federal recipients"
    );
    let uri = "/sharing.json?state=CA";
    assert_eq!(
        assert_ok_envelope(uri, &get(&state, uri).await),
        shown(&report)
    );
    let key = report.owners[0].key.clone();
    let owner = sharing.owner_report(&key).unwrap();
    let uri = format!("/sharing/{}.json", path_component(&key));
    let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
    assert_eq!(data, shown(&owner));
    assert!(
        !data.to_string().contains("/tmp/"),
        "local paths are cut to file names"
    );
    // Any name form the resolver understands finds the same owner.
    for name in ["Sample City CA PD", "Sample City PD (CA)"] {
        let uri = format!("/sharing/{}.json", path_component(name));
        let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
        assert_eq!(data["owner"]["key"], key.as_str(), "{name}");
    }
    // The page names every forbidden edge and the rule that forbids it.
    let page = get(&state, &format!("/sharing/{}", path_component(&key))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(&format!("Forbidden edges ({})", owner.flagged.len()))
    );
    for edge in &owner.flagged {
        assert!(page.body.contains(&e(&edge.recipient).to_string()));
    }
    for rule in &owner.citations {
        assert!(page.body.contains(&e(&rule.citation).to_string()));
    }
    let (_, rows) = get(&state, &format!("/sharing/{}.csv", path_component(&key)))
        .await
        .csv();
    assert_eq!(rows.len(), owner.edges.len());
}

#[tokio::test]
async fn the_overview_lists_states_and_lists() {
    let (state, _folder, mut direct) = demo_state();
    let sharing = Sharing::open(&mut direct).unwrap();
    let lists = sharing.lists().unwrap();
    let report = sharing.state_report("CA").unwrap();
    let data = assert_ok_envelope("/sharing.json", &get(&state, "/sharing.json").await);
    assert_eq!(data["lists"].as_array().unwrap().len(), lists.len());
    assert_eq!(data["lists"][0]["source_path"], "sample-city-ca-pd.csv");
    assert_eq!(data["states"][0]["state"], "CA");
    assert_eq!(data["states"][0]["forbidden"], report.totals.forbidden);
    assert_eq!(
        data["states"][0]["out_of_state"],
        report.totals.out_of_state
    );
    let edges = sharing
        .edges(&EdgeFilter {
            current_only: true,
            ..EdgeFilter::default()
        })
        .unwrap();
    let (headers, rows) = get(&state, "/sharing.csv").await.csv();
    assert_eq!(headers[0..2], ["owner", "recipient"]);
    assert_eq!(rows.len(), edges.len());
    let page = get(&state, "/sharing").await;
    assert!(
        page.body
            .contains("<a href=\"/sharing?state=CA\">California</a>")
    );
}

#[tokio::test]
async fn sharing_failures_are_the_error_envelope() {
    let (state, _folder, _direct) = demo_state();
    for (uri, status) in [
        ("/sharing.json?state=Atlantis", StatusCode::BAD_REQUEST),
        (
            "/sharing/Nobody%20Anywhere%20ZZ.json",
            StatusCode::NOT_FOUND,
        ),
        ("/sharing/Nobody%20Anywhere%20ZZ.csv", StatusCode::NOT_FOUND),
    ] {
        assert_error_envelope(uri, &get(&state, uri).await, status);
    }
}
