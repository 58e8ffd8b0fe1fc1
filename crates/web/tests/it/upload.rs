//! Uploads: off unless asked for; with them on, an audit export in, its report out, and clear
//! refusals for everything else. Nothing reaches the store.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use remit_web::{AppState, Options};
use tower::ServiceExt as _;

use crate::common::{
    Reply, assert_error_envelope, assert_ok_envelope, corpus, get, law_state, send,
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
    let mut body = Vec::new();
    if let Some(owner) = owner {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"owner\"\r\n\r\n{owner}\r\n"
            )
            .as_bytes(),
        );
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
    let request = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap_or_else(|e| panic!("bad request: {e}"));
    let response = remit_web::app(state.clone())
        .oneshot(request)
        .await
        .unwrap_or_else(|e| match e {});
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 26)
        .await
        .unwrap_or_else(|e| panic!("cannot read the reply: {e}"));
    Reply {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap_or_else(|e| panic!("not UTF-8: {e}")),
    }
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
    // The audits page does not offer uploads either.
    assert!(!get(&state, "/audits").await.body.contains("/-/upload"));
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
    let (expected, findings, _) = remit_web::run_audit(
        &[SAMPLE.into()],
        Some("Sample City CA PD".to_string()),
        &corpus(),
        None,
    )
    .unwrap();
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
