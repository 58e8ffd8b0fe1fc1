//! `/-/health` and `/-/version`: system pages, under `/-/` so they never collide with data.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;

use crate::AppState;
use maud::html;

use crate::response::{Format, Page, WebError};

#[derive(Serialize)]
struct Health {
    status: &'static str,
    rules: usize,
    store: &'static str,
}

/// `/-/health`: answers when the server runs; says whether the store can be read.
pub async fn health(State(state): State<AppState>, format: Format) -> Response {
    let store = match state.with_store(|store| {
        store
            .connection()
            .query_row("SELECT 1", [], |row| row.get::<_, i64>(0))
    }) {
        None => "none",
        Some(Ok(_)) => "ok",
        Some(Err(error)) => {
            eprintln!("remit serve: health check: the store cannot be read: {error}");
            "unreadable"
        }
    };
    let health = Health {
        status: "ok",
        rules: state.corpus().rules().len(),
        store,
    };
    let page = Page::new("Health", "", "/-/health");
    match format {
        Format::Json => page.json(&health),
        Format::Csv => axum::response::IntoResponse::into_response(WebError::no_csv()),
        Format::Html => page.html(
            &html! {
                h1 { "Health" }
                p {
                    "Status: " strong { (health.status) } ". Rules loaded: " (health.rules)
                    ". Store: " (store_words(health.store)) "."
                }
            }
            .into_string(),
        ),
    }
}

#[derive(Serialize)]
struct Version {
    remit: &'static str,
    corpus: String,
    corpus_title: String,
    sources_read_through: String,
    uploads: bool,
    demo: bool,
}

/// `/-/version`: the program and corpus versions.
pub async fn version(State(state): State<AppState>, format: Format) -> Response {
    let corpus = state.corpus();
    let version = Version {
        remit: env!("CARGO_PKG_VERSION"),
        corpus: corpus.version().to_string(),
        corpus_title: corpus.metadata().title.clone(),
        sources_read_through: corpus.metadata().sources_read_through.to_string(),
        uploads: state.options().allow_uploads,
        demo: state.options().demo,
    };
    let page = Page::new("Version", "", "/-/version");
    match format {
        Format::Json => page.json(&version),
        Format::Csv => axum::response::IntoResponse::into_response(WebError::no_csv()),
        Format::Html => page.html(
            &html! {
                h1 { "Version" }
                table {
                    tbody {
                        tr { th scope="row" { "Remit" } td { (version.remit) } }
                        tr { th scope="row" { "Law corpus" } td { (version.corpus) " (" (version.corpus_title) ")" } }
                        tr { th scope="row" { "Sources read through" } td { (version.sources_read_through) } }
                        tr {
                            th scope="row" { "Uploads" }
                            td {
                                @if version.uploads {
                                    a href="/-/upload" { "on" }
                                } @else {
                                    "off (start the server with " code { "remit serve --allow-uploads" } " to turn them on)"
                                }
                            }
                        }
                        tr { th scope="row" { "Demo data" } td { @if version.demo { "yes" } @else { "no" } } }
                    }
                }
            }
            .into_string(),
        ),
    }
}

/// The store's state in words.
fn store_words(store: &str) -> &'static str {
    match store {
        "ok" => "open and readable",
        "none" => "none open",
        _ => "cannot be read (the server's log says why)",
    }
}
