//! One way to answer: every page in three forms (HTML, a `.json` twin in one envelope, a `.csv`
//! twin for tables), and one way to fail.
//!
//! The JSON envelope is `{"ok": true, "data": ..., "sources": [...]}` on success and
//! `{"ok": false, "error": "...", "status": 404}` (with `help` when there is advice) on failure,
//! for every route, including errors raised by the request limits. Handlers return [`WebError`];
//! the [`finish`] middleware renders it in the form the URL asked for, so the shape cannot drift
//! between routes.

use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::html::{self, Layout};

/// The form a URL asks for, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The page itself, for a browser.
    Html,
    /// The JSON twin (`.json`), in the envelope every page shares.
    Json,
    /// The CSV twin (`.csv`) of the page's table.
    Csv,
}

impl Format {
    /// The format of a path, and the path without its extension.
    pub fn split(path: &str) -> (&str, Format) {
        if let Some(stem) = path.strip_suffix(".json") {
            (stem, Format::Json)
        } else if let Some(stem) = path.strip_suffix(".csv") {
            (stem, Format::Csv)
        } else {
            (path, Format::Html)
        }
    }

    /// The format of a path.
    pub fn of_path(path: &str) -> Format {
        Format::split(path).1
    }

    /// The id a page's path names: the path as given for the HTML page, and without the twin's
    /// extension for the JSON and CSV twins (the extension is what chose this format).
    pub fn id(self, raw: &str) -> &str {
        match self {
            Format::Html => raw,
            _ => Format::split(raw).0,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Format {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Format::of_path(parts.uri.path()))
    }
}

/// The query string as pairs, repeated keys kept (`fact=a&fact=b`).
#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
    raw: String,
}

impl Params {
    /// Reads a query string (without `?`), decoding percent-escapes and `+`.
    pub fn parse(query: &str) -> Params {
        Params {
            pairs: form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            raw: query.to_string(),
        }
    }

    /// The first non-empty value of `key`, trimmed.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    }

    /// Every non-empty value of `key`, also split at commas.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// The query string as received (without `?`).
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Whether no key has a non-blank value.
    pub fn is_empty(&self) -> bool {
        self.pairs.iter().all(|(_, v)| v.trim().is_empty())
    }

    /// `offset` and `size` of one page of a list in a JSON twin: 0 and `PAGE` when not given, a
    /// size of at most `LARGEST_PAGE`.
    pub fn page(&self) -> Result<(usize, usize), WebError> {
        let number = |name: &str, default: usize, max: usize| match self.get(name) {
            None => Ok(default),
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| {
                    WebError::bad_request(format!(
                        "`{name}`: `{text}` is not a number from 0 to {max}"
                    ))
                }),
        };
        Ok((
            number("offset", 0, usize::MAX)?,
            number("size", PAGE, LARGEST_PAGE)?,
        ))
    }
}

/// The largest page of rows a JSON twin gives.
const LARGEST_PAGE: usize = 1000;
/// The page size when none is asked for.
const PAGE: usize = 100;

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Params::parse(parts.uri.query().unwrap_or("")))
    }
}

/// Where the data on a page comes from: shown in the footer of every page and in the `sources`
/// list of every JSON twin.
#[derive(Debug, Clone, Serialize)]
pub struct DataSource {
    /// The source's name, e.g. ICE's 287(g) participating and pending agencies sheets.
    pub name: String,
    /// Where the source can be read; `None` for sample or uploaded data that has no address.
    pub url: Option<String>,
    /// The licence or terms the data is used under.
    pub licence: String,
    /// When the data was read, published or imported, in words (`sources read through 2026-11-29`).
    pub date: String,
    /// Anything a reader should know about the source (e.g. that it is sample data); `None` when
    /// there is nothing.
    pub note: Option<String>,
}

/// A table for a CSV twin.
#[derive(Debug, Clone)]
pub struct Table {
    /// The header row.
    pub columns: Vec<&'static str>,
    /// The data rows, each as many cells as there are columns.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// An empty table with these column names.
    pub fn new(columns: &[&'static str]) -> Table {
        Table {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; its cells are in column order.
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

/// What a page says about itself, to render any of its forms.
#[derive(Debug)]
pub struct Page {
    /// The page's title, in the HTML page and the browser's tab.
    pub title: String,
    /// The navigation section it belongs to.
    pub section: &'static str,
    /// Its path without extension, e.g. `/rules` or `/` .
    pub path: String,
    /// The query string to carry over to its twins.
    pub query: String,
    /// Whether it has a CSV twin.
    pub csv: bool,
    /// Where the page's data comes from, shown in its footer and its JSON twin.
    pub sources: Vec<DataSource>,
    /// An Atom feed of the page's changes: its title and address.
    pub feed: Option<(String, String)>,
}

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    ok: bool,
    data: &'a T,
    sources: &'a [DataSource],
}

impl Page {
    /// A page with a title, a navigation section (e.g. `/rules`) and its path without extension; no
    /// twins' query, CSV, sources or feed yet.
    pub fn new(title: impl Into<String>, section: &'static str, path: impl Into<String>) -> Page {
        Page {
            title: title.into(),
            section,
            path: path.into(),
            query: String::new(),
            csv: false,
            sources: Vec::new(),
            feed: None,
        }
    }

    /// Names the page's Atom feed, for feed readers to discover.
    pub fn with_feed(mut self, title: impl Into<String>, href: impl Into<String>) -> Page {
        self.feed = Some((title.into(), href.into()));
        self
    }

    /// Carries the query string (without `?`) over to the page's twins.
    pub fn with_query(mut self, query: &str) -> Page {
        self.query = query.to_string();
        self
    }

    /// Says the page has a CSV twin.
    pub fn with_csv(mut self) -> Page {
        self.csv = true;
        self
    }

    /// Names where the page's data comes from.
    pub fn with_sources(mut self, sources: Vec<DataSource>) -> Page {
        self.sources = sources;
        self
    }

    /// The URL of the page in a format.
    pub fn url(&self, format: Format) -> String {
        let extension = match format {
            Format::Html => "",
            Format::Json => ".json",
            Format::Csv => ".csv",
        };
        let mut url = format!("{}{extension}", self.path);
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&self.query);
        }
        url
    }

    fn link_header(&self, current: Format) -> Option<HeaderValue> {
        let mut links = Vec::new();
        for (format, kind) in [
            (Format::Html, "text/html"),
            (Format::Json, "application/json"),
            (Format::Csv, "text/csv"),
        ] {
            if format == current || (format == Format::Csv && !self.csv) {
                continue;
            }
            links.push(format!(
                "<{}>; rel=\"alternate\"; type=\"{kind}\"",
                self.url(format)
            ));
        }
        if let Some((_, href)) = &self.feed {
            links.push(format!(
                "<{href}>; rel=\"alternate\"; type=\"application/atom+xml\""
            ));
        }
        HeaderValue::from_str(&links.join(", ")).ok()
    }

    fn respond(&self, format: Format, content_type: &'static str, body: Vec<u8>) -> Response {
        let mut response = Response::new(Body::from(body));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        if let Some(link) = self.link_header(format) {
            headers.insert(header::LINK, link);
        }
        response
    }

    /// The HTML form: `body` inside the shared layout.
    pub fn html(&self, body: &str) -> Response {
        let json = self.url(Format::Json);
        let csv = self.csv.then(|| self.url(Format::Csv));
        let document = html::document(
            &Layout {
                title: &self.title,
                section: self.section,
                json: Some(&json),
                csv: csv.as_deref(),
                sources: &self.sources,
                feed: self
                    .feed
                    .as_ref()
                    .map(|(title, href)| (title.as_str(), href.as_str())),
            },
            body,
        );
        self.respond(
            Format::Html,
            "text/html; charset=utf-8",
            document.into_bytes(),
        )
    }

    /// The JSON twin: `data` in the envelope.
    pub fn json<T: Serialize>(&self, data: &T) -> Response {
        let envelope = Envelope {
            ok: true,
            data,
            sources: &self.sources,
        };
        match serde_json::to_vec(&envelope) {
            Ok(body) => self.respond(Format::Json, "application/json", body),
            Err(error) => WebError::internal(error).into_response(),
        }
    }

    /// The CSV twin.
    pub fn csv(&self, table: &Table) -> Response {
        if !self.csv {
            return WebError::no_csv().into_response();
        }
        match write_csv(table) {
            Ok(body) => self.respond(Format::Csv, "text/csv; charset=utf-8", body),
            Err(error) => WebError::internal(error).into_response(),
        }
    }
}

impl Page {
    /// The CSV twin from a body already written (for tables too big to hold as [`Table`]).
    pub fn csv_body(&self, body: Vec<u8>) -> Response {
        if !self.csv {
            return WebError::no_csv().into_response();
        }
        self.respond(Format::Csv, "text/csv; charset=utf-8", body)
    }

    /// The CSV twin of a table too big to hold: `write` runs on a blocking thread and hands each
    /// piece of the body to `send` as it is made (`send` says false once the client has gone,
    /// and `write` should stop). The response goes out at once; an error after the first piece
    /// can only cut the body short, so `write` should fail, if it must, before sending.
    pub fn csv_stream<W>(&self, write: W) -> Response
    where
        W: FnOnce(&mut dyn FnMut(Vec<u8>) -> bool) -> Result<(), WebError> + Send + 'static,
    {
        if !self.csv {
            return WebError::no_csv().into_response();
        }
        let (sender, receiver) = tokio::sync::mpsc::channel(4);
        tokio::task::spawn_blocking(move || {
            let mut send = |piece: Vec<u8>| sender.blocking_send(Ok(Bytes::from(piece))).is_ok();
            if let Err(error) = write(&mut send) {
                let _ = sender.blocking_send(Err(std::io::Error::other(error.to_string())));
            }
        });
        let mut response = Response::new(Body::new(ChannelBody(receiver)));
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        );
        if let Some(link) = self.link_header(Format::Csv) {
            headers.insert(header::LINK, link);
        }
        response
    }
}

/// A response body fed through a channel by the thread that writes it.
struct ChannelBody(tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>);

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        self.0
            .poll_recv(context)
            .map(|piece| piece.map(|piece| piece.map(http_body::Frame::data)))
    }
}

tokio::task_local! {
    /// Whether the request being answered asked for its CSV as it is (`?raw=1`).
    static RAW_CSV: bool;
}

/// Whether the request being answered asked for CSV cells as they are (`?raw=1`): without the
/// quote put in front of a cell a spreadsheet would take as a formula
/// ([`remit_store::csv_out`]). False outside a request.
pub fn raw_csv() -> bool {
    RAW_CSV.try_with(|raw| *raw).unwrap_or(false)
}

/// Whether a query string says `raw=1` (or `raw=true`).
fn asks_raw(query: Option<&str>) -> bool {
    query.is_some_and(|query| {
        query
            .split('&')
            .any(|pair| matches!(pair, "raw=1" | "raw=true"))
    })
}

fn write_csv(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut writer = remit_store::csv_out::Writer::new(Vec::new(), raw_csv());
    writer.write_record(&table.columns)?;
    for row in &table.rows {
        writer.write_record(row)?;
    }
    writer.into_inner().map_err(csv::Error::from)
}

/// A failure to show to the user. Never carries internals: [`WebError::internal`] logs the cause
/// and says only that something went wrong on the server.
#[derive(Debug, Clone)]
pub struct WebError {
    /// The HTTP status to answer with.
    pub status: StatusCode,
    /// What went wrong, in plain words.
    pub message: String,
    /// How to put it right; `None` when there is no advice.
    pub help: Option<String>,
}

impl WebError {
    /// An error with this status and message, with no advice.
    pub fn new(status: StatusCode, message: impl Into<String>) -> WebError {
        WebError {
            status,
            message: message.into(),
            help: None,
        }
    }

    /// Adds advice on how to put it right.
    pub fn with_help(mut self, help: impl Into<String>) -> WebError {
        self.help = Some(help.into());
        self
    }

    /// A 404: what was asked for does not exist.
    pub fn not_found(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::NOT_FOUND, message)
    }

    /// A 400: the request itself is wrong (a bad parameter, a malformed form).
    pub fn bad_request(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::BAD_REQUEST, message)
    }

    /// Logs `cause` on the server's standard error and answers a plain 500.
    pub fn internal(cause: impl std::fmt::Display) -> WebError {
        eprintln!("remit serve: internal error: {cause}");
        WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
            .with_help("the server could not answer this request; its log has the details")
    }

    /// The 404 of a CSV twin asked of a page that has no table.
    pub fn no_csv() -> WebError {
        WebError::not_found("this page has no table to give as CSV")
            .with_help("use the `.json` twin of the page instead")
    }

    /// The standard message for a status that a layer (limits, routing) produced without words.
    fn for_status(status: StatusCode) -> WebError {
        let (message, help) = match status {
            StatusCode::NOT_FOUND => (
                "no page at this address",
                Some("start from `/`, which links every section"),
            ),
            StatusCode::METHOD_NOT_ALLOWED => (
                "this address does not accept that method",
                Some("pages are read with GET"),
            ),
            StatusCode::PAYLOAD_TOO_LARGE => ("the request body is too large", None),
            StatusCode::REQUEST_TIMEOUT => ("the request took too long to answer", None),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported content type", None),
            _ if status.is_server_error() => ("internal error", None),
            _ => ("the request cannot be answered", None),
        };
        WebError {
            status,
            message: message.to_string(),
            help: help.map(str::to_string),
        }
    }

    fn render(&self, format: Format) -> Response {
        let mut response = match format {
            Format::Json | Format::Csv => {
                #[derive(Serialize)]
                struct ErrorEnvelope<'a> {
                    ok: bool,
                    error: &'a str,
                    status: u16,
                    #[serde(skip_serializing_if = "Option::is_none")]
                    help: Option<&'a str>,
                }
                let body = serde_json::to_vec(&ErrorEnvelope {
                    ok: false,
                    error: &self.message,
                    status: self.status.as_u16(),
                    help: self.help.as_deref(),
                })
                .unwrap_or_else(|_| {
                    br#"{"ok":false,"error":"internal error","status":500}"#.to_vec()
                });
                let mut response = Response::new(Body::from(body));
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                response
            }
            Format::Html => {
                let heading = status_heading(self.status);
                let body = maud::html! {
                    h1 { (heading) }
                    p.error { (self.message) }
                    @if let Some(help) = &self.help {
                        p { (help) }
                    }
                }
                .into_string();
                let document = html::document(
                    &Layout {
                        title: heading,
                        section: "",
                        json: None,
                        csv: None,
                        sources: &[],
                        feed: None,
                    },
                    &body,
                );
                let mut response = Response::new(Body::from(document));
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                response
            }
        };
        *response.status_mut() = self.status;
        response
    }
}

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl IntoResponse for WebError {
    /// A placeholder carrying the error; [`finish`] renders it in the requested format.
    fn into_response(self) -> Response {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = self.status;
        response.extensions_mut().insert(self);
        response
    }
}

/// The content security policy of every response. No script at all (`script-src 'none'`): the
/// pages use none, so an injected one cannot run. Styles only from the site's own stylesheet
/// (`style-src 'self'`, no inline `<style>` or `style` attribute, so injected markup cannot restyle
/// a page either); images are the site's own or inline SVG; forms post only to this site; no other
/// site may frame the pages.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Headers every response carries: nothing is loaded from elsewhere, no script runs, the
/// browser trusts the declared content types, sends no referrer and shows the pages in no frame.
fn secure(headers: &mut HeaderMap) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

/// The outermost middleware: renders every error (from handlers, routing or the request limits)
/// in the format the URL asked for, and adds the common headers.
pub async fn finish(request: Request, next: Next) -> Response {
    let format = Format::of_path(request.uri().path());
    let raw = format == Format::Csv && asks_raw(request.uri().query());
    let mut response = RAW_CSV.scope(raw, next.run(request)).await;
    let error = response.extensions_mut().remove::<WebError>();
    let status = response.status();
    // Layers and the router answer errors in plain text or with no body at all; pages set HTML
    // or JSON themselves.
    let ours = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    let unexplained = (status.is_client_error() || status.is_server_error()) && !ours;
    if let Some(error) = error {
        response = error.render(format);
    } else if unexplained || (status.is_server_error() && format != Format::Html) {
        response = WebError::for_status(status).render(format);
    }
    secure(response.headers_mut());
    // A busy server (uploads at their limit) says when to come back.
    if response.status() == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    response
}

/// The heading of an error page: the status's name in the reader's language.
fn status_heading(status: StatusCode) -> &'static str {
    let english = status.canonical_reason().unwrap_or("Error");
    let spanish = match status.as_u16() {
        400 => "Solicitud no válida",
        403 => "Acceso denegado",
        404 => "No encontrado",
        405 => "Método no permitido",
        408 => "La solicitud tardó demasiado",
        413 => "Contenido demasiado grande",
        421 => "Solicitud mal dirigida",
        422 => "No se pudo procesar",
        429 => "Demasiadas solicitudes",
        500 => "Error interno",
        503 => "Servicio no disponible",
        _ => "Error",
    };
    crate::i18n::pick(english, spanish)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_extensions() {
        assert_eq!(Format::split("/rules.json"), ("/rules", Format::Json));
        assert_eq!(Format::split("/rules.csv"), ("/rules", Format::Csv));
        assert_eq!(
            Format::split("/rules/us-ca/gov-7284.6-a1B"),
            ("/rules/us-ca/gov-7284.6-a1B", Format::Html)
        );
        assert_eq!(Format::split("/.json"), ("/", Format::Json));
    }

    #[test]
    fn params_keep_repeats_and_skip_blanks() {
        let params = Params::parse("fact=a&fact=b%2Cc&counterparty=&where=CA+");
        assert_eq!(params.all("fact"), vec!["a", "b", "c"]);
        assert_eq!(params.get("counterparty"), None);
        assert_eq!(params.get("where"), Some("CA"));
        assert!(!params.is_empty());
        assert!(Params::parse("a=&b=").is_empty());
    }

    #[test]
    fn page_urls_carry_the_query() {
        let page = Page::new("t", "/", "/").with_query("a=1");
        assert_eq!(page.url(Format::Json), "/.json?a=1");
        assert_eq!(page.url(Format::Html), "/?a=1");
    }
}
