//! Every route, in every form it has, answers in the one envelope; every failure (unknown pages,
//! bad parameters, wrong methods, oversized bodies) answers `{"ok": false, "error", "status"}`
//! with the HTTP status, and never shows internals. Datasette enforces the same in
//! `tests/test_error_shape.py`.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use remit_web::AppState;

use crate::common::{
    assert_error_envelope, assert_ok_envelope, corpus, demo_state, get, law_state, send,
};

/// A URL that exercises a route: fixed routes as they are, wildcards with a real id.
fn sample(path: &str) -> String {
    let corpus = corpus();
    match path {
        "/rules/{*id}" => format!("/rules/{}", corpus.rules()[0].id),
        "/jurisdictions/{*id}" => {
            "/jurisdictions/ocd-division/country:us/state:ca?date=2026-01-15".to_string()
        }
        "/ask" => "/ask?where=CA&date=2026-01-15&actor=local_police&action=share_alpr_data&counterparty=out_of_state_agency".to_string(),
        "/guide" => "/guide?where=Los+Angeles%2C+CA&actor=local_police&date=2026-01-15".to_string(),
        "/agencies/{*id}" => "/agencies/TX/Montgomery%20Sample%20Police%20Department".to_string(),
        "/audits/{*id}" => "/audits/demo-network-audit".to_string(),
        "/compliance/{*state}" => "/compliance/TX?as_of=2025-07-18".to_string(),
        "/sharing/{*owner}" => "/sharing/Sample%20City%20CA%20PD".to_string(),
        fixed if !fixed.contains('{') => fixed.to_string(),
        other => panic!("route `{other}` has no sample URL here: add one"),
    }
}

/// `sample` in another format: the extension goes before the query.
fn twin(url: &str, extension: &str) -> String {
    let (path, query) = url
        .split_once('?')
        .map_or((url, None), |(p, q)| (p, Some(q)));
    match query {
        Some(query) => format!("{path}{extension}?{query}"),
        None => format!("{path}{extension}"),
    }
}

async fn walk(state: &AppState, routes: &[remit_web::Route]) {
    // The upload form is walked by the upload tests (it answers 403 unless uploads are on).
    for route in routes.iter().filter(|r| !r.upload) {
        let url = sample(route.path);
        let html = get(state, &url).await;
        assert_eq!(html.status, StatusCode::OK, "`{url}`");
        assert!(html.content_type().starts_with("text/html"), "`{url}`");
        assert!(html.body.starts_with("<!doctype html>"), "`{url}`");
        assert!(html.body.contains("<html lang=\"en\">"), "`{url}`");
        let json_url = twin(&url, ".json");
        let csv_url = twin(&url, ".csv");
        if route.json {
            assert!(
                html.link().contains(&format!(
                    "<{json_url}>; rel=\"alternate\"; type=\"application/json\""
                )),
                "`{url}`: Link header `{}`",
                html.link()
            );
            assert_ok_envelope(&json_url, &get(state, &json_url).await);
        }
        if route.csv {
            assert!(html.link().contains(&format!(
                "<{csv_url}>; rel=\"alternate\"; type=\"text/csv\""
            )));
            let reply = get(state, &csv_url).await;
            assert_eq!(reply.status, StatusCode::OK, "`{csv_url}`: {}", reply.body);
            assert!(reply.content_type().starts_with("text/csv"), "`{csv_url}`");
            let (headers, _) = reply.csv();
            assert!(!headers.is_empty(), "`{csv_url}`: no columns");
        } else {
            assert!(!html.link().contains("text/csv"), "`{url}`");
            let reply = get(state, &csv_url).await;
            assert_error_envelope(&csv_url, &reply, StatusCode::NOT_FOUND);
        }
        // Plain, self-contained pages: no script, nothing fetched from elsewhere.
        assert!(!html.body.contains("<script"), "`{url}`");
        assert!(!html.body.contains("src=\"http"), "`{url}`");
        assert!(!html.body.contains("@import"), "`{url}`");
        for header in ["content-security-policy", "x-content-type-options"] {
            assert!(html.headers.contains_key(header), "`{url}`: no {header}");
        }
    }
}

#[tokio::test]
async fn every_route_answers_in_every_form() {
    let routes = remit_web::routes();
    assert!(routes.len() >= 13);
    let (state, _folder, _direct) = demo_state();
    walk(&state, &routes).await;
    // Without a store, the law pages still answer; store pages explain how to fill them and
    // their twins answer 404 in the envelope.
    let without: Vec<remit_web::Route> = routes
        .iter()
        .copied()
        .filter(|r| !r.store && r.path != "/audits/{*id}")
        .collect();
    walk(&law_state(), &without).await;
    let state = law_state();
    for route in routes.iter().filter(|r| r.store) {
        let url = sample(route.path);
        let html = get(&state, &url).await;
        if route.path.contains('{') {
            assert_eq!(html.status, StatusCode::NOT_FOUND, "`{url}`");
        } else {
            assert_eq!(html.status, StatusCode::OK, "`{url}`");
            assert!(html.body.contains("remit serve --demo"), "`{url}`");
        }
        let json_url = twin(&url, ".json");
        assert_error_envelope(
            &json_url,
            &get(&state, &json_url).await,
            StatusCode::NOT_FOUND,
        );
    }
    // Without the demo, there is no demo audit.
    let url = sample("/audits/{*id}");
    assert_eq!(get(&state, &url).await.status, StatusCode::NOT_FOUND);
    let json_url = twin(&url, ".json");
    assert_error_envelope(
        &json_url,
        &get(&state, &json_url).await,
        StatusCode::NOT_FOUND,
    );
}

#[tokio::test]
async fn every_failure_is_the_error_envelope() {
    let state = law_state();
    let rule = corpus().rules()[0].id.clone();
    let cases: Vec<(String, StatusCode)> = vec![
        ("/nope.json".into(), StatusCode::NOT_FOUND),
        ("/nope.csv".into(), StatusCode::NOT_FOUND),
        ("/rules/no-such-rule.json".into(), StatusCode::NOT_FOUND),
        (format!("/rules/{rule}.csv"), StatusCode::NOT_FOUND),
        ("/.csv".into(), StatusCode::NOT_FOUND),
        ("/-/health.csv".into(), StatusCode::NOT_FOUND),
        ("/jurisdictions/XX.json".into(), StatusCode::NOT_FOUND),
        (
            "/jurisdictions/ocd-division/country:us/state:zz.json".into(),
            StatusCode::NOT_FOUND,
        ),
        (
            "/jurisdictions/ocd-division/country:fr.csv".into(),
            StatusCode::NOT_FOUND,
        ),
        (
            "/jurisdictions/CA.json?date=2026-02-30".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/jurisdictions.json?place=Narnia".into(),
            StatusCode::BAD_REQUEST,
        ),
        // `/ask.csv` without a question describes the question (tests/it/readers.rs).
        (
            "/guide.csv?where=Narnia&actor=sheriff".into(),
            StatusCode::BAD_REQUEST,
        ),
        ("/ask.json?where=CA".into(), StatusCode::BAD_REQUEST),
        (
            "/ask.json?where=CA&actor=nobody&action=honor_detainer".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/ask.json?where=CA&actor=jail&action=honor_detainer&date=yesterday".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/ask.json?where=CA&actor=any_law_enforcement&action=honor_detainer".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/ask.csv?where=Narnia&actor=jail&action=honor_detainer".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/ask.json?where=CA&actor=jail&action=honor_detainer&fact=full_moon".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/rules.json?jurisdiction=Narnia".into(),
            StatusCode::BAD_REQUEST,
        ),
        ("/rules.csv?action=fly".into(), StatusCode::BAD_REQUEST),
        (
            "/coverage.json?date=2026-13-01".into(),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (uri, status) in &cases {
        let reply = get(&state, uri).await;
        assert_error_envelope(uri, &reply, *status);
    }
    // Methods other than GET, and bodies over the limit.
    let reply = send(&state, Method::POST, "/ask.json", Body::empty()).await;
    assert_error_envelope("POST /ask.json", &reply, StatusCode::METHOD_NOT_ALLOWED);
    let reply = send(&state, Method::DELETE, "/rules.json", Body::empty()).await;
    assert_error_envelope("DELETE /rules.json", &reply, StatusCode::METHOD_NOT_ALLOWED);
    let big = vec![b'x'; remit_web::BODY_LIMIT + 1];
    let request = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/ask.json")
        .header("content-length", big.len())
        .body(Body::from(big))
        .unwrap();
    let response = tower::ServiceExt::oneshot(remit_web::app(state.clone()), request)
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json["ok"], false);
    assert_eq!(json["status"], 413);
}

#[tokio::test]
async fn html_failures_are_pages_with_the_message() {
    let state = law_state();
    let reply = get(&state, "/nope").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.content_type().starts_with("text/html"));
    assert!(reply.body.contains("no page at this address"));
    let reply = get(&state, "/rules/no-such-rule").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("no rule `no-such-rule` in the corpus"));
}
