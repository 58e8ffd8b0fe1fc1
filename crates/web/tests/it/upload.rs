//! Uploads: off unless asked for; with them on, an audit export in, its report out, and clear
//! refusals for everything else. Nothing reaches the store.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use remit_web::{AppState, Options};
use tower::ServiceExt as _;

use crate::common::{
    Reply, assert_error_envelope, assert_ok_envelope, audit_oracle, corpus, demo_state_with, facet,
    get, law_state, send,
};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/demo/alpr/network-audit-sample.csv"
);
const BOUNDARY: &str = "remit-test-boundary-7d3f";

fn uploads_on() -> AppState {
    let options = Options {
        allow_uploads: true,
        ..Options::default()
    };
    AppState::new(corpus(), None, options)
}

/// A multipart body with an `owner` field (when given) and a `file` field.
fn form(owner: Option<&str>, file: Option<(&str, &[u8])>) -> Vec<u8> {
    form_with(&[], owner, file)
}

/// A multipart body with text `fields`, an `owner` field (when given) and a `file` field.
fn form_with(fields: &[(&str, &str)], owner: Option<&str>, file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    let mut text = |name: &str, value: &str| {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    };
    for (name, value) in fields {
        text(name, value);
    }
    if let Some(owner) = owner {
        text("owner", owner);
    }
    if let Some((name, content)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post(state: &AppState, uri: &str, body: Vec<u8>) -> Reply {
    crate::common::post_multipart(state, uri, BOUNDARY, body).await
}

#[tokio::test]
async fn uploads_are_off_by_default() {
    let state = law_state();
    let page = get(&state, "/-/upload").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("--allow-uploads"));
    assert_error_envelope(
        "/-/upload.json",
        &get(&state, "/-/upload.json").await,
        StatusCode::FORBIDDEN,
    );
    let content = std::fs::read(SAMPLE).unwrap();
    let reply = post(
        &state,
        "/-/upload.json",
        form(None, Some(("log.csv", &content))),
    )
    .await;
    assert_error_envelope("POST /-/upload.json", &reply, StatusCode::FORBIDDEN);
    // The audits page says uploads are off and how to turn them on (issue 17: not invisible).
    let audits = get(&state, "/audits").await.body;
    assert!(audits.contains("is off on this server") && audits.contains("--allow-uploads"));
}

#[tokio::test]
async fn an_uploaded_audit_gets_its_report() {
    let state = uploads_on();
    let page = get(&state, "/-/upload").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    assert!(
        get(&state, "/audits")
            .await
            .body
            .contains("href=\"/-/upload\"")
    );

    let content = std::fs::read(SAMPLE).unwrap();
    let (expected, findings) = audit_oracle(SAMPLE, "Sample City CA PD", None);
    let body = || {
        form(
            Some("Sample City CA PD"),
            Some(("network audit.csv", &content)),
        )
    };
    let reply = post(&state, "/-/upload.json", body()).await;
    let data = assert_ok_envelope("POST /-/upload.json", &reply);
    assert_eq!(data["summary"]["events"], expected.events);
    assert_eq!(
        data["summary"]["by_verdict"],
        serde_json::to_value(&expected.by_verdict).unwrap()
    );
    assert_eq!(data["findings"].as_array().unwrap().len(), findings.len());
    assert!(
        !reply.body.contains("/tmp/"),
        "the temporary folder is not shown"
    );

    let html = post(&state, "/-/upload", body()).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.contains("Audit of `network audit.csv`"));
    assert!(html.body.contains("Searches for immigration reasons"));
    assert!(html.body.contains("is not kept"));
    assert!(
        !html.body.contains("href=\"/audits/upload"),
        "an upload has no address to link to"
    );

    let csv = post(&state, "/-/upload.csv", body()).await;
    assert_eq!(csv.status, StatusCode::OK);
    let (_, rows) = csv.csv();
    assert_eq!(rows.len(), findings.len());
    // Nothing was kept: the server still holds no audit.
    assert_eq!(
        assert_ok_envelope("/audits.json", &get(&state, "/audits.json").await),
        serde_json::json!([])
    );
}

/// An upload is audited into a store of its own: its counts, facets and CSV cover every finding,
/// however many there are.
#[tokio::test]
async fn a_big_upload_is_reported_whole() {
    let state = uploads_on();
    let mut content = Vec::new();
    // Large enough for more findings than a page shows (1,000 in JSON, 500 in HTML), small
    // enough to stay well inside the server's request timeout in a debug build on a busy machine.
    remit_audit::demo::generate(60_000, 3, &mut content).unwrap_or_else(|e| panic!("{e}"));
    let body = || form(Some("El Cajon CA PD"), Some(("network.csv", &content)));
    let reply = post(&state, "/-/upload.json", body()).await;
    let data = assert_ok_envelope("POST /-/upload.json", &reply);
    let total = data["findings_total"].as_u64().unwrap_or(0);
    assert!(total > 5_000, "{total}");
    assert_eq!(data["summary"]["events"], 60_000);
    assert_eq!(data["findings_matching"], total);
    // The JSON lists a page of them; the CSV, sent as it is read, has every one.
    assert_eq!(data["findings"].as_array().map(Vec::len), Some(1000));
    assert!(data["next"].is_null(), "an upload has no next page");
    assert_eq!(facet(&data, "verdict").1, total);

    let (_, rows) = post(&state, "/-/upload.csv", body()).await.csv();
    assert_eq!(rows.len() as u64, total);
    let html = post(&state, "/-/upload", body()).await;
    assert!(
        html.body.contains(&format!(
            "{} findings match; the first 500 are shown",
            remit_web::html::count(total)
        )),
        "{}",
        html.body
    );
}

/// Searchers that held a 287(g) agreement on the search date are flagged from the served
/// store's registry, as `remit audit` flags them from its store's.
#[tokio::test]
async fn an_upload_is_checked_against_the_served_registry() {
    // Kerr County's sample sheriff's office is listed as active in the demo's sheets from
    // 2025-06-02 to 2025-07-18: the June search is flagged, the August one and the other
    // county's are not.
    let log = "Name,Org Name,Total Networks Searched,Total Devices Searched,Time Frame,License Plate,Reason,Case #,Filters,Search Time,Search Type,Text Prompt,Moderation
A. Officer,Kerr County Sample TX SO,1,110,,1ABC000,stolen vehicle,25-1,,\"06/20/2025, 12:15:28 AM UTC\",lookup,,
A. Officer,Kerr County Sample TX SO,1,110,,1ABC000,stolen vehicle,25-2,,\"08/20/2025, 12:15:28 AM UTC\",lookup,,
A. Officer,Sample County TX SO,1,110,,1ABC000,stolen vehicle,25-3,,\"06/20/2025, 12:15:28 AM UTC\",lookup,,
";
    let body = || {
        form(
            Some("Sample City CA PD"),
            Some(("kerr.csv", log.as_bytes())),
        )
    };
    let flagged = |data: &serde_json::Value| data["summary"]["by_flag"]["searcher_287g"].clone();
    let (state, _folder, _direct) = demo_state_with(Options {
        demo: true,
        allow_uploads: true,
    });
    let data = assert_ok_envelope(
        "POST /-/upload.json",
        &post(&state, "/-/upload.json", body()).await,
    );
    assert_eq!(data["summary"]["events"], 3);
    assert_eq!(flagged(&data), 1);
    let (header, rows) = post(&state, "/-/upload.csv", body()).await.csv();
    let flags = header.iter().position(|c| c == "flags").unwrap();
    let line = header.iter().position(|c| c == "line").unwrap();
    let with_287g: Vec<&str> = rows
        .iter()
        .filter(|r| r[flags].split(';').any(|f| f == "searcher_287g"))
        .map(|r| r[line].as_str())
        .collect();
    assert_eq!(with_287g, ["2"]);

    // A server without a registry cannot tell.
    let data = assert_ok_envelope(
        "POST /-/upload.json",
        &post(&uploads_on(), "/-/upload.json", body()).await,
    );
    assert_eq!(flagged(&data), 0);
}

#[tokio::test]
async fn what_cannot_be_audited_is_refused_with_the_reason() {
    let state = uploads_on();
    let cases: Vec<(Vec<u8>, StatusCode, &str)> = vec![
        (
            form(None, Some(("scan.pdf", b"%PDF-1.4"))),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "`scan.pdf` is not a file Remit can audit",
        ),
        (
            form(Some("Sample City CA PD"), Some(("empty.csv", b""))),
            StatusCode::BAD_REQUEST,
            "`empty.csv` is empty",
        ),
        (
            form(Some("Sample City CA PD"), None),
            StatusCode::BAD_REQUEST,
            "no file was uploaded",
        ),
        (
            form(
                Some("Eugene OR PD"),
                Some(("sharing.csv", b"Name,State,Type\nSpringfield PD,OR,Local\n")),
            ),
            StatusCode::BAD_REQUEST,
            "`sharing.csv`",
        ),
        (
            form(
                Some("Sample City CA PD"),
                Some(("odd.csv", b"when,who,what\n1,2,3\n")),
            ),
            StatusCode::BAD_REQUEST,
            "`odd.csv`",
        ),
    ];
    for (body, status, message) in cases {
        let reply = post(&state, "/-/upload.json", body).await;
        assert_error_envelope("POST /-/upload.json", &reply, status);
        let error = reply.json()["error"].as_str().unwrap().to_string();
        assert!(error.contains(message), "{error}");
    }
    // Not a form at all.
    let reply = send(
        &state,
        Method::POST,
        "/-/upload.json",
        Body::from("plain text"),
    )
    .await;
    assert_error_envelope(
        "POST /-/upload.json (no form)",
        &reply,
        StatusCode::BAD_REQUEST,
    );
    // Over the size limit, refused before it is read.
    let request = Request::builder()
        .method(Method::POST)
        .uri("/-/upload.json")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("content-length", remit_web::UPLOAD_LIMIT + 1)
        .body(Body::from(form(None, None)))
        .unwrap();
    let response = remit_web::app(state.clone())
        .oneshot(request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(json["status"], 413);
}

const LIST: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/demo/sharing/sample-city-ca-pd.csv"
);

#[tokio::test]
async fn an_uploaded_sharing_list_gets_its_owners_report() {
    let state = uploads_on();
    let content = std::fs::read(LIST).unwrap();
    // What remit-sharing reports for the same list, imported and checked directly.
    let mut store = remit_store::Store::open_in_memory().unwrap();
    let mut sharing = remit_sharing::Sharing::open(&mut store).unwrap();
    let date: remit_law::Date = "2025-12-01".parse().unwrap();
    sharing
        .import(
            std::path::Path::new(LIST),
            &remit_sharing::ReadOptions {
                owner: Some("Sample City CA PD".to_string()),
                date: Some(date),
                sheet: None,
                direction: None,
                today: date,
            },
        )
        .unwrap();
    let corpus = corpus();
    let mut checker = remit_sharing::Checker::new(
        &corpus,
        remit_agencies::Resolver::new(remit_agencies::Directory::builtin()),
    );
    sharing.refresh(&mut checker, "test").unwrap();
    let key = sharing.lists().unwrap()[0].owner_key.clone().unwrap();
    let expected = sharing.owner_report(&key).unwrap();
    assert!(expected.counts.forbidden > 0);

    let body = || {
        form_with(
            &[("kind", "sharing"), ("date", "2025-12-01")],
            Some("Sample City CA PD"),
            Some(("sample list.csv", &content)),
        )
    };
    let reply = post(&state, "/-/upload.json", body()).await;
    let data = assert_ok_envelope("POST /-/upload.json (sharing)", &reply);
    assert_eq!(data["owner"]["key"], key.as_str());
    assert_eq!(data["forbidden"], expected.counts.forbidden);
    assert_eq!(data["out_of_state"], expected.counts.out_of_state);
    assert_eq!(data["federal"], expected.counts.federal);
    let flagged: Vec<&str> = data["flagged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["recipient"].as_str().unwrap())
        .collect();
    let expected_flagged: Vec<&str> = expected
        .flagged
        .iter()
        .map(|e| e.recipient.as_str())
        .collect();
    assert_eq!(flagged, expected_flagged);
    assert!(!reply.body.contains("/tmp/"));
    let page = post(&state, "/-/upload", body()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(&format!("Forbidden edges ({})", expected.flagged.len()))
    );
    assert!(!page.body.contains("Demo data"));
    let (_, rows) = post(&state, "/-/upload.csv", body()).await.csv();
    assert_eq!(rows.len(), expected.edges.len());
}

#[tokio::test]
async fn a_sharing_list_that_cannot_be_read_is_refused_with_the_reason() {
    let state = uploads_on();
    let content = std::fs::read(LIST).unwrap();
    let cases: Vec<(Vec<u8>, StatusCode, &str)> = vec![
        (
            form_with(&[("kind", "sharing")], None, Some(("list.csv", &content))),
            StatusCode::BAD_REQUEST,
            "does not say whose list it is",
        ),
        (
            form_with(
                &[("kind", "sharing")],
                Some("X"),
                Some(("list.pdf", b"%PDF")),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "`list.pdf` is not a file Remit can read as a sharing list",
        ),
        (
            form_with(
                &[("kind", "photos")],
                Some("X"),
                Some(("list.csv", &content)),
            ),
            StatusCode::BAD_REQUEST,
            "`kind`: `photos` is not a kind of upload",
        ),
        (
            form_with(
                &[("kind", "sharing"), ("date", "last week")],
                Some("X"),
                Some(("list.csv", &content)),
            ),
            StatusCode::BAD_REQUEST,
            "`date`: `last week` is not a date",
        ),
    ];
    for (body, status, message) in cases {
        let reply = post(&state, "/-/upload.json", body).await;
        assert_error_envelope("POST /-/upload.json", &reply, status);
        let error = reply.json()["error"].as_str().unwrap().to_string();
        assert!(error.contains(message), "{error}");
    }
    let reply = post(
        &state,
        "/-/upload.json",
        form_with(&[("kind", "sharing")], None, Some(("list.csv", &content))),
    )
    .await;
    let help = reply.json()["help"].as_str().unwrap_or("").to_string();
    assert!(help.contains("owner"), "{help}");
    assert!(!help.contains("--owner"), "{help}");
}
