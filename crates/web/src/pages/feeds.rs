//! `/feed.atom` and `/287g/{state}/feed.atom` (also `/feed.atom?state=TX`): Atom feeds of the
//! 287(g) agreements added, removed, renamed or changed model between consecutive participating
//! sheets, as `remit watch` (and every import) records them. For feed readers, so they sit
//! outside the page table: they are XML, not pages with JSON and CSV twins.

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use remit_registry::atom::{FeedMeta, feed};

use crate::AppState;
use crate::response::{Params, WebError};

/// How many changes a feed lists (the newest).
const ENTRIES: usize = 200;

/// The feeds' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feed.atom", get(all))
        .route("/287g/{state}/feed.atom", get(one_state))
}

async fn all(State(state): State<AppState>, headers: HeaderMap, query: RawQuery) -> Response {
    let params = Params::parse(query.0.as_deref().unwrap_or(""));
    match params.get("state") {
        Some(text) => match parse_state(text) {
            Ok(code) => answer(&state, &headers, Some(code), "/feed.atom"),
            Err(error) => error.into_response(),
        },
        None => answer(&state, &headers, None, "/feed.atom"),
    }
}

async fn one_state(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(text): Path<String>,
) -> Response {
    match parse_state(&text) {
        Ok(code) => {
            let path = format!("/287g/{code}/feed.atom");
            answer(&state, &headers, Some(code), &path)
        }
        Err(error) => error.into_response(),
    }
}

fn parse_state(text: &str) -> Result<&'static str, WebError> {
    remit_registry::parse_state(text).ok_or_else(|| {
        WebError::not_found(format!("`{text}` is not a US state"))
            .with_help("use a two-letter code, as in `/287g/TX/feed.atom`")
    })
}

fn answer(state: &AppState, headers: &HeaderMap, code: Option<&str>, self_path: &str) -> Response {
    let changes =
        match super::registry::with_registry(state, |registry| registry.changes(code, ENTRIES)) {
            Ok(changes) => changes.unwrap_or_default(),
            Err(error) => return error.into_response(),
        };
    // The feed's own address as the reader used it (the server binds 127.0.0.1 by default).
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1:8001");
    let base = format!("http://{host}");
    let now = crate::today().to_string();
    let xml = feed(
        &changes,
        &FeedMeta {
            base_url: &base,
            self_path,
            state: code,
            now: &format!("{now}T00:00:00Z"),
        },
    );
    let mut response = xml.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use remit_registry::{ImportOptions, NoDirectory, Registry, collect_files};
    use tower::ServiceExt as _;

    use super::*;

    async fn get_text(app: &Router, uri: &str) -> (StatusCode, String, String) {
        let request = Request::builder()
            .uri(uri)
            .header("host", "127.0.0.1:8001")
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            content_type,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    fn app_with_sample_sheets(record: bool) -> Router {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../registry/tests/fixtures/sample");
        let mut store = remit_store::Store::open_in_memory().unwrap();
        {
            let mut registry = Registry::open(&mut store).unwrap();
            for file in collect_files(&[folder], false).unwrap() {
                registry.import(&file, ImportOptions::default()).unwrap();
            }
            registry.refresh(&mut NoDirectory).unwrap();
            if record {
                registry.record_changes("2026-01-01T00:00:00Z").unwrap();
            }
        }
        let corpus = remit_law::Corpus::embedded().unwrap();
        crate::app(AppState::new(
            corpus,
            Some(store),
            crate::Options::default(),
        ))
    }

    #[tokio::test]
    async fn feeds_list_the_recorded_changes_by_state() {
        let app = app_with_sample_sheets(true);
        let (status, content_type, body) = get_text(&app, "/feed.atom").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(content_type, "application/atom+xml; charset=utf-8");
        assert!(body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
        assert!(
            body.contains("<updated>2025-06-15T12:00:00Z</updated>"),
            "{body}"
        );
        assert!(
            body.contains("Added: Euharlee Sample Police Department (GA)"),
            "{body}"
        );
        assert!(
            body.contains("Removed: Sample Beach Police Department (FL)"),
            "{body}"
        );
        assert!(body.contains("Renamed: Lake Clarke Shores Police Department (FL), formerly Lake Clark Shores Police Department"), "{body}");
        // `Ft. Sample` respelled `Fort Sample` is the same agency: no change.
        assert!(!body.contains("Sample Police Department (FL)"), "{body}");
        assert!(body.contains("href=\"http://127.0.0.1:8001/feed.atom\""));

        let (_, _, georgia) = get_text(&app, "/287g/GA/feed.atom").await;
        assert!(georgia.contains("Euharlee"));
        assert!(!georgia.contains("(FL)"), "{georgia}");
        assert!(georgia.contains("href=\"http://127.0.0.1:8001/287g/GA/feed.atom\""));
        let (_, _, by_query) = get_text(&app, "/feed.atom?state=georgia").await;
        assert_eq!(
            by_query.matches("<entry>").count(),
            georgia.matches("<entry>").count()
        );

        let (status, content_type, body) = get_text(&app, "/287g/XX/feed.atom").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(content_type.starts_with("text/html"), "{content_type}");
        assert!(body.contains("is not a US state"), "{body}");
    }

    #[tokio::test]
    async fn a_store_without_recorded_changes_has_an_empty_valid_feed() {
        let app = app_with_sample_sheets(false);
        let (status, _, body) = get_text(&app, "/feed.atom").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("<id>tag:remit,2025:287g/changes</id>"));
        assert!(body.contains("<updated>"));
        assert_eq!(body.matches("<entry>").count(), 0);
    }
}
