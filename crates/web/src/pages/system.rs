//! `/-/health` and `/-/version`: system pages, under `/-/` so they never collide with data.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;

use crate::AppState;
use crate::html::{e, push};
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
        Format::Html => {
            let mut body = String::new();
            push!(
                &mut body,
                "<h1>Health</h1><p>Status: <strong>{}</strong>. Rules loaded: {}. Store: {}.</p>",
                health.status,
                health.rules,
                e(health.store)
            );
            page.html(&body)
        }
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
        Format::Html => {
            let mut body = String::new();
            push!(
                &mut body,
                "<h1>Version</h1><table><tbody>\
                 <tr><th scope=\"row\">remit</th><td>{}</td></tr>\
                 <tr><th scope=\"row\">corpus</th><td>{} ({})</td></tr>\
                 <tr><th scope=\"row\">sources read through</th><td>{}</td></tr>\
                 <tr><th scope=\"row\">uploads</th><td>{}</td></tr>\
                 <tr><th scope=\"row\">demo data</th><td>{}</td></tr></tbody></table>",
                e(version.remit),
                e(&version.corpus),
                e(&version.corpus_title),
                e(&version.sources_read_through),
                if version.uploads { "on" } else { "off" },
                if version.demo { "yes" } else { "no" }
            );
            page.html(&body)
        }
    }
}
