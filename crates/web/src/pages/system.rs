//! `/-/health` and `/-/version`: system pages, under `/-/` so they never collide with data.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;

use crate::AppState;
use maud::html;

use crate::i18n::strings;
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
    let t = SystemText::current();
    let page = Page::new(t.health, "", "/-/health");
    match format {
        Format::Json => page.json(&health),
        Format::Csv => axum::response::IntoResponse::into_response(WebError::no_csv()),
        Format::Html => page.html(
            &html! {
                h1 { (t.health) }
                p {
                    (t.status) " " strong { (t.status_ok) } ". " (t.rules_loaded) " " (crate::i18n::count_any(health.rules))
                    ". " (t.store) " " (store_words(health.store)) "."
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
    let t = SystemText::current();
    let page = Page::new(t.version, "", "/-/version");
    match format {
        Format::Json => page.json(&version),
        Format::Csv => axum::response::IntoResponse::into_response(WebError::no_csv()),
        Format::Html => page.html(
            &html! {
                h1 { (t.version) }
                table {
                    tbody {
                        tr { th scope="row" { "Remit" } td { (version.remit) } }
                        tr { th scope="row" { (t.law_corpus) } td { (version.corpus) " (" (crate::parts::english(&version.corpus_title)) ")" } }
                        tr { th scope="row" { (t.sources_read_through) } td { (crate::i18n::date(&version.sources_read_through)) } }
                        tr {
                            th scope="row" { (t.uploads) }
                            td {
                                @if version.uploads {
                                    a href="/-/upload" { (t.on) }
                                } @else {
                                    (t.off_start) " " code { "remit serve --allow-uploads" } " " (t.off_end)
                                }
                            }
                        }
                        tr { th scope="row" { (t.demo_data) } td { @if version.demo { (t.yes) } @else { (t.no) } } }
                    }
                }
            }
            .into_string(),
        ),
    }
}

/// The store's state in words.
fn store_words(store: &str) -> &'static str {
    let t = SystemText::current();
    match store {
        "ok" => t.store_ok,
        "none" => t.store_none,
        _ => t.store_unreadable,
    }
}

strings! {
    /// The words of the health and version pages.
    pub struct SystemText {
        health: "Health", "Estado del servidor";
        status: "Status:", "Estado:";
        status_ok: "ok", "en funcionamiento";
        rules_loaded: "Rules loaded:", "Normas cargadas:";
        store: "Store:", "Base de datos:";
        store_ok: "open and readable", "abierta y legible";
        store_none: "none open", "ninguna abierta";
        store_unreadable: "cannot be read (the server's log says why)", "no se puede leer (el registro del servidor indica por qué)";
        version: "Version", "Versión";
        law_corpus: "Law corpus", "Corpus legal";
        sources_read_through: "Sources read through", "Fuentes leídas hasta";
        uploads: "Uploads", "Subida de archivos";
        on: "on", "activada";
        off_start: "off (start the server with", "desactivada (inicie el servidor con";
        off_end: "to turn them on)", "para activarla)";
        demo_data: "Demo data", "Datos de demostración";
        yes: "yes", "sí";
        no: "no", "no";
    }
}
