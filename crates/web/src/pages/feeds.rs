//! `/feed.atom` and `/287g/{state}/feed.atom` (also `/feed.atom?state=TX`): Atom feeds of the
//! 287(g) agreements added, removed, renamed or changed model between consecutive participating
//! sheets, as `remit watch` (and every import) records them. For feed readers, so they sit
//! outside the page table: they are XML, not pages with JSON and CSV twins. `/287g/{state}`
//! sends the reader to the state's 287(g) page (`/287g?state=`), which links its feed.
//!
//! `/changes` lists every kind of recorded change on one page (with its JSON and CSV twins): the
//! 287(g) agreements, the partners added to or dropped from sharing lists when a newer list of
//! the same owner was imported, and the rules added, amended, removed or changed in status
//! between the corpus versions `remit watch` saw; `/changes/sharing.atom` and
//! `/changes/corpus.atom` are the feeds of the last two.

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use remit_registry::atom::{EntriesMeta, Entry, FeedMeta, entries_feed, feed, tag_component};

use crate::AppState;
use crate::html::path_component;
use crate::i18n::{self, Lang, strings};
use crate::parts;
use crate::response::{DataSource, Format, Page, Params, Table, WebError};
use maud::{Markup, html};
use remit_registry::{Change, CorpusChange};
use remit_sharing::changes::ListChange;
use serde::Serialize;

strings! {
    /// The words of the page of recorded changes (the Atom feeds stay in English: feed readers
    /// show them as they are).
    pub struct ChangesText {
        title: "What changed", "Qué cambió";
        feed_title: "287(g) agreements added and removed", "Acuerdos 287(g) añadidos y retirados";
        intro: "Changes are recorded when a newer record arrives: a newer 287(g) sheet from ICE, a newer sharing list of the same agency, a new version of the law as encoded here.", "Los cambios se registran cuando llega un registro más reciente: una hoja 287(g) más reciente de ICE, una lista de intercambio más reciente de la misma agencia, una nueva versión de la ley tal como se codifica aquí.";
        intro_watch: "records them and can call a command for each; the feeds below carry them to a feed reader. The latest 200 of each kind are listed, newest first.", "los registra y puede ejecutar un comando por cada uno; los canales de abajo los llevan a un lector de canales (en inglés). Se enumeran los 200 más recientes de cada tipo, del más reciente al más antiguo.";
        what_changed: "What changed", "Qué cambió";
        disclaimer: "Remit describes the law and the records; it is not legal advice.", "Remit describe la ley y los registros; no es asesoramiento legal.";
        registry_heading: "287(g) agreements", "Acuerdos 287(g)";
        none_recorded: "None recorded.", "No se registró ninguno.";
        sheet: "Sheet", "Hoja";
        sharing_heading: "Sharing lists", "Listas de intercambio";
        sharing_none: "None recorded: an agency needs two lists of different dates.", "No se registró ninguno: hacen falta dos listas de la misma agencia con fechas distintas.";
        list_of: "List of", "Lista del";
        corpus_heading: "The law as encoded", "La ley tal como se codifica";
        corpus: "Corpus", "Corpus";
        registry_about: "Added, removed, renamed or changed model between consecutive participating sheets. Feed:", "Añadidos, retirados, con otro nombre o con otro modelo entre hojas de participantes consecutivas. Canal:";
        all_states: "all states", "todos los estados";
        registry_about_end: "(each state has its own, linked from its page).", "(cada estado tiene el suyo, enlazado desde su página).";
        sharing_about: "Partners added to or dropped from an agency's list of whom it shares plate-reader data with (or receives it from), between two lists of the same agency. Feed:", "Socios añadidos a la lista de una agencia de con quién comparte datos de lectores de placas (o de quién los recibe), o retirados de ella, entre dos listas de la misma agencia. Canal:";
        sharing_feed: "sharing lists", "listas de intercambio";
        corpus_about: "Rules added, amended, removed, or now enjoined, stayed, vacated, repealed or in force, between the corpus versions", "Normas añadidas, modificadas, retiradas, o que ahora están suspendidas por orden judicial, en suspenso, anuladas, derogadas o vigentes, entre las versiones del corpus que";
        corpus_about_end: "saw. Feed:", "vio. Canal:";
    }
}

/// How many changes a feed lists (the newest).
const ENTRIES: usize = 200;

/// The feeds' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feed.atom", get(all))
        .route("/287g/{state}/feed.atom", get(one_state))
        .route("/287g/{state}", get(state_page))
        .route("/changes", get(changes_page))
        .route("/changes.json", get(changes_page))
        .route("/changes.csv", get(changes_page))
        .route("/changes/sharing.atom", get(sharing_feed))
        .route("/changes/corpus.atom", get(corpus_feed))
}

/// `/287g/TX` (with any other parameters): the page `/287g?state=TX`.
async fn state_page(Path(text): Path<String>, query: RawQuery) -> Response {
    match parse_state(&text) {
        Ok(code) => {
            let mut pairs = vec![("state".to_string(), code.to_string())];
            pairs.extend(
                form_urlencoded::parse(query.0.as_deref().unwrap_or("").as_bytes())
                    .filter(|(key, _)| key != "state")
                    .map(|(key, value)| (key.into_owned(), value.into_owned())),
            );
            let query =
                crate::html::query_string(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            Redirect::to(&format!("/287g?{query}")).into_response()
        }
        Err(error) => error.into_response(),
    }
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

/// Every recorded change, newest first, by source.
#[derive(Debug, Default, Serialize)]
struct Recorded {
    registry: Vec<Change>,
    sharing: Vec<ListChange>,
    corpus: Vec<CorpusChange>,
}

/// The recorded changes of every source (none where nothing is recorded).
fn recorded(state: &AppState) -> Result<Recorded, WebError> {
    let registry =
        match super::registry::with_registry(state, |registry| registry.changes(None, ENTRIES)) {
            Ok(changes) => changes.unwrap_or_default(),
            Err(error) => return Err(error),
        };
    let others = state.with_store_mut(|store| {
        let sharing = remit_sharing::changes::latest(store.connection(), ENTRIES)
            .map_err(WebError::internal)?;
        let corpus = remit_registry::latest_corpus_changes(store.connection(), ENTRIES)
            .map_err(WebError::internal)?;
        Ok::<_, WebError>((sharing, corpus))
    });
    let (sharing, corpus) = match others {
        Some(result) => result?,
        None => (Vec::new(), Vec::new()),
    };
    Ok(Recorded {
        registry,
        sharing,
        corpus,
    })
}

/// The page of a sharing list's owner.
fn owner_path(key: &str) -> String {
    format!("/sharing/{}", path_component(key))
}

/// `/changes`: what changed in the records and in the law as encoded.
async fn changes_page(State(state): State<AppState>, format: Format) -> Response {
    let t = ChangesText::current();
    let page = Page::new(t.title, "", "/changes")
        .with_csv()
        .with_feed(t.feed_title, "/feed.atom")
        .with_sources(vec![DataSource {
            name: "Changes recorded by remit watch and by every import, from ICE's 287(g) sheets, imported sharing lists and the corpus".to_string(),
            url: Some("/-/imports".to_string()),
            licence: "as each source's".to_string(),
            date: format!("as recorded by {}", crate::today()),
            note: None,
        }]);
    let recorded = match recorded(&state) {
        Ok(recorded) => recorded,
        Err(error) => return error.into_response(),
    };
    match format {
        Format::Json => page.json(&recorded),
        Format::Csv => {
            let mut table = Table::new(&["source", "kind", "date", "sentence"]);
            for source in Source::ALL {
                for row in recorded.rows(source) {
                    table.push(vec![
                        source.word().into(),
                        row.kind.to_string(),
                        row.date.to_string(),
                        row.sentence,
                    ]);
                }
            }
            page.csv(&table)
        }
        Format::Html => page.html(&render_changes(&recorded).into_string()),
    }
}

fn render_changes(recorded: &Recorded) -> Markup {
    let t = ChangesText::current();
    // The sentences are written by the registry, the sharing lists and the corpus, in English.
    let english = (i18n::lang() == Lang::Es).then_some("en");
    html! {
        h1 { (t.title) }
        p {
            (t.intro) " "
            code { "remit watch" } " " (t.intro_watch)
        }
        @for source in Source::ALL {
            @let rows = recorded.rows(source);
            @let (heading, empty, date_header) = source.texts();
            h2 { (heading) " (" (rows.len()) ")" }
            p.note { (source.about()) }
            @if rows.is_empty() {
                p { (empty) }
            } @else {
                (parts::table(&[date_header, t.what_changed], html! {
                    @for row in &rows {
                        tr { td { (row.shown) } td { a href=(row.href) lang=[english] { (row.sentence) } } }
                    }
                }))
            }
        }
        p.disclaimer { (t.disclaimer) }
    }
}

/// The three kinds of record whose changes are kept.
#[derive(Clone, Copy, Debug)]
enum Source {
    Registry,
    Sharing,
    Corpus,
}

impl Source {
    const ALL: [Source; 3] = [Source::Registry, Source::Sharing, Source::Corpus];

    /// The word in the CSV's `source` column.
    fn word(self) -> &'static str {
        match self {
            Source::Registry => "registry",
            Source::Sharing => "sharing",
            Source::Corpus => "corpus",
        }
    }

    /// The section's heading, its explanation (HTML), what it says when empty, and the header of
    /// its date column.
    /// The heading, what the page says when none is recorded, and the first column's heading.
    fn texts(self) -> (&'static str, &'static str, &'static str) {
        let t = ChangesText::current();
        match self {
            Source::Registry => (t.registry_heading, t.none_recorded, t.sheet),
            Source::Sharing => (t.sharing_heading, t.sharing_none, t.list_of),
            Source::Corpus => (t.corpus_heading, t.none_recorded, t.corpus),
        }
    }

    /// What the kind of change is, with a link to its feed.
    fn about(self) -> Markup {
        let t = ChangesText::current();
        match self {
            Source::Registry => html! {
                (t.registry_about) " "
                a href="/feed.atom" { (t.all_states) } " " (t.registry_about_end)
            },
            Source::Sharing => html! {
                (t.sharing_about) " "
                a href="/changes/sharing.atom" { (t.sharing_feed) } "."
            },
            Source::Corpus => html! {
                (t.corpus_about) " "
                code { "remit watch" } " " (t.corpus_about_end) " " a href="/changes/corpus.atom" { (t.corpus_heading) } "."
            },
        }
    }
}

/// One recorded change as the page and its CSV show it.
struct Row<'r> {
    kind: &'r str,
    /// The date in the CSV.
    date: &'r str,
    /// What the page's first column shows: the sheet's or list's date, the corpus's version.
    shown: &'r str,
    href: String,
    sentence: String,
}

impl Recorded {
    /// One source's changes, newest first.
    fn rows(&self, source: Source) -> Vec<Row<'_>> {
        match source {
            Source::Registry => self
                .registry
                .iter()
                .map(|c| Row {
                    kind: &c.kind,
                    date: &c.taken,
                    shown: &c.taken,
                    href: super::registry::agency_url(None, &c.state, &c.agency),
                    sentence: c.sentence(),
                })
                .collect(),
            Source::Sharing => self
                .sharing
                .iter()
                .map(|c| Row {
                    kind: &c.kind,
                    date: &c.to_date,
                    shown: &c.to_date,
                    href: owner_path(&c.owner_key),
                    sentence: c.sentence(),
                })
                .collect(),
            Source::Corpus => self
                .corpus
                .iter()
                .map(|c| Row {
                    kind: &c.kind,
                    date: &c.recorded_at,
                    shown: &c.to_version,
                    href: super::rule_url(&c.rule_id),
                    sentence: c.sentence(),
                })
                .collect(),
        }
    }
}

/// The site's address as the reader used it (the server binds 127.0.0.1 by default).
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1:8001");
    format!("http://{host}")
}

fn atom_response(xml: String) -> Response {
    let mut response = xml.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    response
}

/// `/changes/sharing.atom`.
async fn sharing_feed(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let meta = FeedTexts {
        self_path: "/changes/sharing.atom",
        id: "tag:remit,2026:sharing/changes",
        title: "Plate-reader sharing lists: partners added and dropped",
        subtitle: "Changes between two sharing lists of the same agency, as imported.",
        author: "Remit, from agencies' sharing lists and transparency portals",
    };
    source_feed(&state, &headers, &meta, |recorded| {
        recorded
            .sharing
            .iter()
            .map(|change| Entry {
                id: format!(
                    "tag:remit,2026:sharing/{}/{}/{}/{}/{}",
                    tag_component(&change.owner_key),
                    tag_component(&change.direction),
                    tag_component(&change.to_date),
                    tag_component(&change.kind),
                    tag_component(&change.partner_key)
                ),
                title: format!(
                    "{}: {} ({})",
                    if change.kind == "added" {
                        "Added"
                    } else {
                        "Dropped"
                    },
                    change.partner,
                    change.owner
                ),
                updated: format!("{}T00:00:00Z", change.to_date),
                path: owner_path(&change.owner_key),
                categories: vec![change.kind.clone(), change.direction.clone()],
                summary: format!("{}.", change.sentence()),
            })
            .collect()
    })
}

/// `/changes/corpus.atom`.
async fn corpus_feed(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let meta = FeedTexts {
        self_path: "/changes/corpus.atom",
        id: "tag:remit,2026:corpus/changes",
        title: "The law as encoded: rules added, amended, enjoined",
        subtitle: "Rules that changed between the corpus versions remit watch saw.",
        author: "Remit, from its corpus of cited rules",
    };
    source_feed(&state, &headers, &meta, |recorded| {
        recorded
            .corpus
            .iter()
            .map(|change| Entry {
                id: format!(
                    "tag:remit,2026:corpus/{}/{}/{}",
                    tag_component(&change.to_version),
                    tag_component(&change.kind),
                    tag_component(&change.rule_id)
                ),
                title: change.sentence(),
                updated: change.recorded_at.clone(),
                path: super::rule_url(&change.rule_id),
                categories: vec![change.kind.clone()],
                summary: format!(
                    "{}. Corpus {} compared with {}.",
                    change.sentence(),
                    change.to_version,
                    change.from_version
                ),
            })
            .collect()
    })
}

/// What a feed of recorded changes says about itself.
struct FeedTexts {
    self_path: &'static str,
    id: &'static str,
    title: &'static str,
    subtitle: &'static str,
    author: &'static str,
}

/// The Atom feed of the entries `entries` makes of the recorded changes.
fn source_feed(
    state: &AppState,
    headers: &HeaderMap,
    texts: &FeedTexts,
    entries: impl FnOnce(&Recorded) -> Vec<Entry>,
) -> Response {
    let recorded = match recorded(state) {
        Ok(recorded) => recorded,
        Err(error) => return error.into_response(),
    };
    let now = format!("{}T00:00:00Z", crate::today());
    atom_response(entries_feed(
        &entries(&recorded),
        &EntriesMeta {
            base_url: &base_url(headers),
            self_path: texts.self_path,
            page_path: "/changes",
            id: texts.id,
            title: texts.title,
            subtitle: texts.subtitle,
            author: texts.author,
            now: &now,
        },
    ))
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
    async fn the_287g_pages_link_their_feeds_and_a_state_path_leads_to_its_page() {
        let app = app_with_sample_sheets(true);
        let (status, _, body) = get_text(&app, "/287g").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            body.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"287(g) agreements added and removed\" href=\"/feed.atom\">"),
            "{body}"
        );
        let (_, _, body) = get_text(&app, "/287g?state=GA").await;
        assert!(body.contains("href=\"/287g/GA/feed.atom\""), "{body}");
        assert!(body.contains("added and removed in Georgia"));
        // Other pages are as before: no feed.
        let (_, _, body) = get_text(&app, "/rules").await;
        assert!(!body.contains("application/atom+xml"));

        let request = Request::builder()
            .uri("/287g/georgia?model=task_force&state=FL")
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers().get(header::LOCATION).unwrap(),
            "/287g?state=GA&model=task_force"
        );
        let (status, _, _) = get_text(&app, "/287g/XX").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
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

    /// A store with every kind of recorded change: the sample sheets' 287(g) changes, a newer
    /// list of the sample El Cajon portal (one partner dropped, one added), and a corpus seen in
    /// two versions (one rule enjoined, one added).
    fn app_with_every_kind_of_change() -> Router {
        let mut store = remit_store::Store::open_in_memory().unwrap();
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../registry/tests/fixtures/sample");
        {
            let mut registry = Registry::open(&mut store).unwrap();
            for file in collect_files(&[folder], false).unwrap() {
                registry.import(&file, ImportOptions::default()).unwrap();
            }
            registry.refresh(&mut NoDirectory).unwrap();
            registry.record_changes("2026-01-01T00:00:00Z").unwrap();
        }
        let corpus = remit_law::Corpus::embedded().unwrap();
        let dir = std::env::temp_dir().join(format!("remit-feeds-changes-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let portal = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../sharing/tests/fixtures/portal-el-cajon-sample.json");
        let text = std::fs::read_to_string(portal).unwrap();
        let mut later: serde_json::Value = serde_json::from_str(&text).unwrap();
        let outbound = later["sharing_outbound"].as_array_mut().unwrap();
        outbound.retain(|name| name != "Home Depot Corporation");
        outbound.push("Eugene OR PD".into());
        later["archived_date"] = "2026-05-29".into();
        let first = dir.join("el-cajon-pd-ca__2026-04-29.json");
        let second = dir.join("el-cajon-pd-ca__2026-05-29.json");
        std::fs::write(&first, &text).unwrap();
        std::fs::write(&second, later.to_string()).unwrap();
        {
            let mut sharing = remit_sharing::Sharing::open(&mut store).unwrap();
            let options = remit_sharing::ReadOptions {
                owner: None,
                date: None,
                sheet: None,
                direction: None,
                today: "2026-11-01".parse().unwrap(),
            };
            sharing.import(&first, &options).unwrap();
            sharing.import(&second, &options).unwrap();
            let resolver = remit_agencies::Resolver::new(remit_agencies::Directory::builtin());
            let mut checker = remit_sharing::Checker::new(&corpus, resolver);
            sharing.refresh(&mut checker, "built-in sample").unwrap();
            assert_eq!(
                sharing
                    .record_changes("2026-06-01T00:00:00Z")
                    .unwrap()
                    .len(),
                2
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
        let rule = |id: &str, status: &str, hash: &str| remit_registry::RuleState {
            id: id.into(),
            hash: hash.into(),
            status: status.into(),
            summary: format!("Summary of {id}"),
            citation: format!("Code {id}"),
            jurisdiction: "ocd-division/country:us/state:tx".into(),
        };
        let first = [
            rule("us-tx/a", "in_force", "1"),
            rule("us-tx/b", "in_force", "2"),
        ];
        assert!(
            remit_registry::record_corpus(&mut store, "2026.11", &first, "2026-11-01T00:00:00Z")
                .unwrap()
                .is_none()
        );
        let second = [
            rule("us-tx/a", "enjoined", "1"),
            rule("us-tx/b", "in_force", "2"),
            rule("us-tx/c", "in_force", "3"),
        ];
        let changes =
            remit_registry::record_corpus(&mut store, "2026.12", &second, "2026-12-01T00:00:00Z")
                .unwrap()
                .unwrap();
        assert_eq!(changes.len(), 2);
        crate::app(AppState::new(
            corpus,
            Some(store),
            crate::Options::default(),
        ))
    }

    #[tokio::test]
    async fn the_changes_page_and_its_feeds_show_every_kind_of_change() {
        let app = app_with_every_kind_of_change();
        let (status, _, page) = get_text(&app, "/changes").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("Euharlee Sample Police Department (GA) was added"),
            "{page}"
        );
        assert!(
            page.contains("shares its plate-reader data with Eugene"),
            "{page}"
        );
        assert!(page.contains("no longer lists Home Depot"), "{page}");
        assert!(
            page.contains("A rule is now enjoined (was in force): Summary of us-tx/a"),
            "{page}"
        );
        assert!(
            page.contains("A rule was added: Summary of us-tx/c (Code us-tx/c)"),
            "{page}"
        );
        assert!(page.contains("href=\"/rules/us-tx/a\""));
        assert!(page.contains("it is not legal advice"));

        let (_, _, json) = get_text(&app, "/changes.json").await;
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["ok"], true);
        assert_eq!(json["data"]["registry"].as_array().map(Vec::len), Some(3));
        assert_eq!(json["data"]["sharing"].as_array().map(Vec::len), Some(2));
        assert_eq!(json["data"]["corpus"].as_array().map(Vec::len), Some(2));
        let (_, content_type, csv) = get_text(&app, "/changes.csv").await;
        assert!(content_type.starts_with("text/csv"), "{content_type}");
        assert_eq!(csv.lines().count(), 1 + 3 + 2 + 2, "{csv}");

        let (status, content_type, xml) = get_text(&app, "/changes/sharing.atom").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(content_type, "application/atom+xml; charset=utf-8");
        assert_eq!(xml.matches("<entry>").count(), 2);
        assert!(
            xml.contains("<updated>2026-05-29T00:00:00Z</updated>"),
            "{xml}"
        );
        assert!(xml.contains("<title>Dropped: Home Depot"), "{xml}");
        let (_, _, xml) = get_text(&app, "/changes/corpus.atom").await;
        assert_eq!(xml.matches("<entry>").count(), 2);
        assert!(
            xml.contains("<id>tag:remit,2026:corpus/2026.12/status_changed/us-tx%2Fa</id>"),
            "{xml}"
        );
        assert!(
            xml.contains("href=\"http://127.0.0.1:8001/rules/us-tx/a\""),
            "{xml}"
        );

        // Without any recorded change the page says so and the feeds are empty and valid.
        let app = app_with_sample_sheets(false);
        let (status, _, page) = get_text(&app, "/changes").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page.matches("None recorded").count(), 3, "{page}");
        let (_, _, xml) = get_text(&app, "/changes/corpus.atom").await;
        assert!(xml.contains("<updated>") && !xml.contains("<entry>"));
    }
}
