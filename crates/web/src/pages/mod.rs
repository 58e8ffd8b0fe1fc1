//! The pages, one module per section, each with its handlers beside its route list below.

use axum::Router;
use axum::routing::{MethodRouter, get};
use maud::html;
use remit_law::{Corpus, QuestionInput, Verdict};
use tower_http::limit::RequestBodyLimitLayer;

use crate::AppState;
use crate::html::query_string;
use crate::i18n::strings;
use crate::response::{DataSource, WebError};

mod agencies;
mod ask;
pub mod audits;
mod compliance;
mod feeds;
mod guide;
mod jurisdictions;
mod map;
mod overview;
mod registry;
mod rules;
mod search;
mod sharing;
mod system;
pub mod upload;

/// One route of the app, as the tests and the documentation list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The path as axum reads it (`/rules/{*id}` for a rule id that may contain `/`).
    pub path: &'static str,
    /// Whether `path.json` answers too.
    pub json: bool,
    /// Whether `path.csv` answers too (pages that show a table).
    pub csv: bool,
    /// Whether it shows data from the store (answers are cached until the store changes).
    pub store: bool,
    /// Whether it takes uploads by POST (only with `--allow-uploads`; larger bodies).
    pub upload: bool,
}

const fn route(path: &'static str, json: bool, csv: bool) -> Route {
    Route {
        path,
        json,
        csv,
        store: false,
        upload: false,
    }
}

const fn store_route(path: &'static str, json: bool, csv: bool) -> Route {
    Route {
        path,
        json,
        csv,
        store: true,
        upload: false,
    }
}

/// Every route with its handler. The single list both [`routes`] and [`list`] read, so that the
/// tests that walk every route cannot miss one.
fn table() -> Vec<(Route, MethodRouter<AppState>)> {
    vec![
        (route("/", true, false), get(overview::page)),
        (route("/ask", true, true), get(ask::page)),
        (route("/guide", true, true), get(guide::page)),
        (route("/rules", true, true), get(rules::list)),
        (route("/rules/{*id}", true, false), get(rules::show)),
        (route("/coverage", true, true), get(rules::coverage)),
        (route("/sources", true, true), get(rules::sources)),
        (route("/vocabulary", true, true), get(rules::vocabulary)),
        (
            route("/jurisdictions", true, true),
            get(jurisdictions::list),
        ),
        (
            route("/jurisdictions/{*id}", true, true),
            get(jurisdictions::show),
        ),
        (store_route("/287g", true, true), get(registry::overview)),
        (
            store_route("/compliance", true, true),
            get(compliance::national),
        ),
        (
            store_route("/compliance/{*state}", true, true),
            get(compliance::state_page),
        ),
        (store_route("/agencies", true, true), get(agencies::index)),
        (route("/search", true, true), get(search::page)),
        (
            store_route("/-/imports", true, true),
            get(overview::imports),
        ),
        (
            store_route("/agencies/{*id}", true, true),
            get(registry::agency),
        ),
        (store_route("/sharing", true, true), get(sharing::overview)),
        (
            store_route("/sharing/{*owner}", true, true),
            get(sharing::owner),
        ),
        (route("/audits", true, true), get(audits::list)),
        (route("/audits/{*id}", true, true), get(audits::show)),
        (
            Route {
                upload: true,
                ..route("/-/upload", true, true)
            },
            get(upload::show).post(upload::receive),
        ),
        (route("/-/health", true, false), get(system::health)),
        (route("/-/version", true, false), get(system::version)),
    ]
}

/// The tables of interface strings of the translated pages (see [`crate::i18n`]): add a page's
/// table here when it is translated, so that the Spanish pages are checked for its English.
pub(crate) fn string_tables() -> Vec<(&'static str, crate::i18n::Table)> {
    vec![
        ("shared", SharedText::table()),
        ("overview", overview::HomeText::table()),
        ("system", system::SystemText::table()),
        ("search", search::SearchText::table()),
        ("guide", guide::GuideText::table()),
        ("ask", ask::AskText::table()),
        ("rules", rules::RulesText::table()),
        ("jurisdictions", jurisdictions::PlacesText::table()),
        ("agencies", agencies::AgenciesText::table()),
        ("sharing", sharing::SharingText::table()),
        ("compliance", compliance::ComplianceText::table()),
        ("audits", audits::AuditsText::table()),
        ("changes", feeds::ChangesText::table()),
        ("upload", upload::UploadText::table()),
        ("registry", registry::RegistryText::table()),
    ]
}

/// Every route.
pub fn list() -> Vec<Route> {
    table().into_iter().map(|(route, _)| route).collect()
}

/// The router. A wildcard route reads its own twins from the extension; a fixed one gets
/// `.json` and `.csv` routes of its own (`/` has `/.json` and `/index.json`, as in Datasette).
/// Store pages are cached until the store changes.
pub fn routes(state: &AppState) -> Router<AppState> {
    let mut plain = Router::new();
    let mut cached = Router::new();
    let mut uploads = Router::new();
    for (route, handler) in table() {
        let mut paths = vec![route.path.to_string()];
        if route.path == "/" {
            paths.push("/.json".to_string());
            paths.push("/index.json".to_string());
        } else if !route.path.contains('{') {
            if route.json {
                paths.push(format!("{}.json", route.path));
            }
            if route.csv {
                paths.push(format!("{}.csv", route.path));
            }
        }
        for path in paths {
            if route.upload {
                uploads = uploads.route(&path, handler.clone());
            } else if route.store {
                cached = cached.route(&path, handler.clone());
            } else {
                plain = plain.route(&path, handler.clone());
            }
        }
    }
    let limit = || RequestBodyLimitLayer::new(crate::BODY_LIMIT);
    let cached = cached
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::cache::layer,
        ))
        .route_layer(limit());
    let uploads = uploads.route_layer(RequestBodyLimitLayer::new(upload::UPLOAD_LIMIT));
    plain
        .route_layer(limit())
        .merge(cached)
        .merge(uploads)
        .merge(feeds::routes())
        .fallback(not_found)
}

/// The answer of a store page when no store is open: the page says how to fill it, its twins
/// answer 404 in the envelope.
pub(crate) fn no_store(
    page: crate::response::Page,
    format: crate::response::Format,
    heading: &str,
) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    match format {
        crate::response::Format::Html => {
            let t = SharedText::current();
            page.html(
                &html! {
                    h1 { (heading) }
                    p {
                        (t.no_store) " "
                        code { "remit registry import" } ", " code { "remit audit" } " " (t.or) " "
                        code { "remit sharing import" } ", " (t.or_run) " " code { "remit serve --demo" }
                        " " (t.to_see_samples) " " a href="/" { (crate::i18n::Common::current().back_home) } "."
                    }
                }
                .into_string(),
            )
        }
        _ => WebError::not_found("no store is open")
            .with_help("import data with `remit registry import`, `remit audit` or `remit sharing import`, or run `remit serve --demo`")
            .into_response(),
    }
}

/// An error on a page that takes input, answered as the page with its form kept (filled with
/// what was sent) under the problem and what to do about it; its twins answer the error in the
/// envelope.
pub(crate) fn error_with_form(
    page: crate::response::Page,
    format: crate::response::Format,
    heading: &str,
    error: WebError,
    form: maud::Markup,
) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    if format != crate::response::Format::Html {
        return error.into_response();
    }
    let status = error.status;
    let problems = [(error.message, error.help)];
    let body = html! {
        h1 { (heading) }
        (crate::parts::problems(crate::i18n::Common::current().cannot_be_shown, &problems))
        (form)
    };
    let page = crate::response::Page { csv: false, ..page };
    let mut response = page.html(&body.into_string());
    *response.status_mut() = status;
    response
}

async fn not_found() -> WebError {
    WebError::not_found("no page at this address")
        .with_help("start from `/`, which links every section")
}

/// The source line for pages that show the law corpus.
pub fn corpus_source(corpus: &Corpus) -> DataSource {
    let metadata = corpus.metadata();
    let t = SharedText::current();
    DataSource {
        name: format!("{} {}", t.corpus_name, corpus.version()),
        url: Some("/sources".to_string()),
        licence: t.corpus_licence.to_string(),
        date: format!(
            "{} {}",
            t.read_through,
            crate::i18n::date(&metadata.sources_read_through.to_string())
        ),
        note: Some(t.corpus_note.to_string()),
    }
}

/// The sources of the data the server holds beyond the corpus: the store's records and the
/// audits it was started with.
pub fn store_sources(state: &AppState) -> Result<Vec<DataSource>, WebError> {
    let mut sources = Vec::new();
    let snapshots = registry::with_registry(state, |registry| registry.snapshots())?;
    if let Some(snapshots) = snapshots.filter(|s| !s.is_empty()) {
        let views: Vec<registry::SnapshotView> =
            snapshots.iter().map(registry::SnapshotView::from).collect();
        sources.push(registry::ice_source(state, &views));
    }
    let lists = sharing::with_sharing(state, |sharing| sharing.lists())?;
    if let Some(lists) = lists.filter(|l| !l.is_empty()) {
        sources.push(sharing::source(state, &lists));
    }
    for report in state.audits() {
        if !sources.iter().any(|s| s.name == report.source.name) {
            sources.push(report.source.clone());
        }
    }
    Ok(sources)
}

/// The address of a question on the ask page.
pub fn ask_url(input: &QuestionInput) -> String {
    let mut pairs: Vec<(&str, &str)> = vec![("where", &input.place)];
    if let Some(date) = &input.date {
        pairs.push(("date", date));
    }
    pairs.push(("actor", &input.actor));
    pairs.push(("action", &input.action));
    if let Some(counterparty) = &input.counterparty {
        pairs.push(("counterparty", counterparty));
    }
    if let Some(purpose) = &input.purpose {
        pairs.push(("purpose", purpose));
    }
    for fact in &input.facts {
        pairs.push(("fact", fact));
    }
    format!("/ask?{}", query_string(pairs))
}

/// The question the overview and the ask page offer first: California law on a police
/// department sharing plate-reader data with an agency in another state.
pub fn example_question() -> QuestionInput {
    QuestionInput {
        place: "CA".to_string(),
        date: None,
        actor: "local_police".to_string(),
        action: "share_alpr_data".to_string(),
        counterparty: Some("out_of_state_agency".to_string()),
        purpose: None,
        facts: Vec::new(),
    }
}

/// A file's name without the folders it lay in on the machine that imported or audited it:
/// pages name files, and those folders are nobody's business.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A state's name from its two-letter code (empty for a code that names no state).
pub fn state_name(code: &str) -> &'static str {
    remit_law::jurisdiction::STATES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or("", |(_, name, _)| name)
}

/// The page of a rule.
pub fn rule_url(id: &str) -> String {
    format!("/rules/{id}")
}

/// The page of a place.
pub fn place_url(ocd_id: &str) -> String {
    format!("/jurisdictions/{ocd_id}")
}

/// The words for a verdict in a sentence, in the request's language.
pub fn verdict_meaning(verdict: Verdict) -> &'static str {
    let t = SharedText::current();
    match verdict {
        Verdict::MustNot => t.meaning_must_not,
        Verdict::Must => t.meaning_must,
        Verdict::May => t.meaning_may,
        Verdict::Conflict => t.meaning_conflict,
        Verdict::NoRule => t.meaning_no_rule,
        Verdict::Depends => t.meaning_depends,
    }
}

strings! {
    /// The words the pages share: the page without a store, the corpus's source line, the
    /// verdicts' meanings.
    pub struct SharedText {
        no_store: "No store is open, so there are no records to show. Import data with", "No hay ninguna base de datos abierta, así que no hay registros que mostrar. Importe datos con";
        or: "or", "o";
        or_run: "or run", "o ejecute";
        to_see_samples: "to see this page with samples.", "para ver esta página con muestras.";
        corpus_name: "Remit law corpus", "Corpus legal de Remit";
        corpus_licence: "MIT OR Apache-2.0 for the encoding; the laws and documents it cites are public", "MIT o Apache-2.0 para la codificación; las leyes y los documentos que cita son públicos";
        read_through: "sources read through", "fuentes leídas hasta el";
        corpus_note: "Every rule links to the text it encodes.", "Cada norma enlaza con el texto que codifica.";
        meaning_must_not: "the law forbids it: a rule says no, and no exception or higher law sets that aside", "la ley lo prohíbe: una norma dice que no, y ninguna excepción ni ley de rango superior lo deja sin efecto";
        meaning_must: "the law requires it, and nothing sets the requirement aside", "la ley lo exige, y nada deja sin efecto esa exigencia";
        meaning_may: "the law allows it but does not require it", "la ley lo permite, pero no lo exige";
        meaning_conflict: "the rules disagree: one forbids it and another requires it", "las normas se contradicen: una lo prohíbe y otra lo exige";
        meaning_no_rule: "no rule Remit holds speaks to this; that does not mean the act is lawful", "ninguna norma que tiene Remit trata este caso; eso no significa que el acto sea legal";
        meaning_depends: "the answer turns on a fact or purpose the question does not state", "la respuesta depende de un hecho o una finalidad que la pregunta no indica";
    }
}
