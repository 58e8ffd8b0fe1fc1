//! `/-/upload`, only with `remit serve --allow-uploads`: a form to upload a plate-reader audit
//! export or a sharing list and get its report.
//!
//! An upload is streamed to a private temporary folder (0700, its file 0600; see
//! [`crate::scratch`]) and read there: a search log by remit-audit's pipeline into a store of its
//! own in that folder (so that its report covers every finding, like a stored run's), a sharing
//! list by remit-sharing into a private in-memory store. The report is shown and the folder
//! deleted. Nothing reaches the served store: the server stays read-only. Files are limited to
//! [`UPLOAD_LIMIT`] bytes, uploads in flight by number and bytes, and the work an upload starts
//! stops when its request ends (answered, timed out, or its client gone). A served form must
//! carry the server's token before its file (see [`crate::guard`]). A file Remit cannot read is
//! refused with the reason and what would help.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Extension;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use remit_audit::AuditError;
use remit_store::Store;

use super::audits::{owned_csv, render_report, report_json, upload_report};
use crate::AppState;
use crate::guard::{TOKEN_FIELD, TokenRequired};
use crate::i18n::strings;
use crate::response::{DataSource, Format, Page, Params, WebError};
use crate::scratch::{Busy, Scratch};
use maud::{Markup, PreEscaped, html};

/// The largest upload accepted.
pub const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;

/// File endings the audit pipeline reads.
const ENDINGS: &[&str] = &[
    ".csv",
    ".csv.gz",
    ".xlsx",
    ".xls",
    ".ods",
    ".ndjson",
    ".ndjson.gz",
    ".jsonl",
    ".json",
];

/// File endings remit-sharing reads.
const LIST_ENDINGS: &[&str] = &[".json", ".csv", ".txt", ".xlsx", ".xls", ".ods"];

/// What was uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Audit,
    Sharing,
}

impl Kind {
    fn endings(self) -> &'static [&'static str] {
        match self {
            Kind::Audit => ENDINGS,
            Kind::Sharing => LIST_ENDINGS,
        }
    }
}

fn uploads_off() -> WebError {
    WebError::new(StatusCode::FORBIDDEN, "uploads are off on this server")
        .with_help("start the server with `remit serve --allow-uploads` to accept uploads")
}

strings! {
    /// The words of the upload page.
    pub struct UploadText {
        title: "Upload", "Subir un archivo";
        what_it_does: "Upload a plate-reader search log to get its report (who searched, why, and what the law of the data's owner says about sharing with each searcher), or a sharing list to see whom it shares with and which of those edges the owner's law forbids.", "Suba un registro de búsquedas de lectores de placas para obtener su informe (quién buscó, por qué y qué dice la ley del propietario de los datos sobre compartirlos con cada autor), o una lista de intercambio para ver con quién comparte y cuáles de esos vínculos prohíbe la ley del propietario.";
        what_is_it: "What is it?", "¿Qué es?";
        kind_of_file: "Kind of file", "Tipo de archivo";
        kind_audit: "a search log: a Flock network, organization or portal audit, or a Vigilant audit (CSV, CSV.gz, XLSX, NDJSON)", "un registro de búsquedas: una auditoría de red, de organización o de portal de Flock, o una auditoría de Vigilant (CSV, CSV.gz, XLSX, NDJSON)";
        kind_sharing: "a sharing list: a transparency-portal archive (JSON), a list with a", "una lista de intercambio: un archivo de un portal de transparencia (JSON), una lista con una columna";
        kind_sharing_end: "column (CSV), one name per line (TXT), or a sheet of a workbook", "(CSV), un nombre por línea (TXT) o una hoja de un libro de cálculo";
        file: "File", "Archivo";
        up_to: "up to", "hasta";
        whose_data: "Whose data?", "¿De quién son los datos?";
        whose_hint: "the agency whose cameras were searched or whose list it is, as you would write it:", "la agencia cuyas cámaras se consultaron o cuya lista es, escrita como usted la escribiría:";
        whose_hint_end: ", an ORI; leave empty when the file names it (organization and portal audits, portal archives)", ", un ORI; déjelo vacío cuando el archivo la nombre (auditorías de organización y de portal, archivos de portal)";
        list_date: "List's date", "Fecha de la lista";
        list_date_hint: "sharing lists only: the day the list was true (default: the archive's crawl date, else today)", "solo listas de intercambio: el día en que la lista era válida (por defecto, la fecha en que se copió el archivo; si no, hoy)";
        sheet: "Sheet", "Hoja";
        sheet_hint: "sharing lists in a workbook with several sheets, e.g.", "listas de intercambio en un libro de cálculo con varias hojas, por ejemplo";
        read_it: "Read it", "Leerlo";
        privacy: "The file is read in a temporary folder and deleted after the report is shown; nothing is kept or sent anywhere. Officer names and plates are redacted in audit reports, and plates and the log's own users' names written in reasons and case numbers are masked. Programs can post the same form, with its", "El archivo se lee en una carpeta temporal y se borra después de mostrar el informe; no se guarda ni se envía nada a ningún lugar. En los informes de auditoría se ocultan los nombres de los agentes y las placas, y se enmascaran las placas y los nombres de los usuarios del registro escritos en los motivos y los números de caso. Los programas pueden enviar el mismo formulario, con su campo";
        field_first_to: "field first, to", "primero, a";
        the_report: "(the report) or", "(el informe) o a";
        csv_what: "(an audit's findings, a list's edges).", "(los hallazgos de una auditoría, los vínculos de una lista).";
        heading: "Upload a search log or a sharing list", "Suba un registro de búsquedas o una lista de intercambio";
        off: "Uploads are off on this server.", "La carga de archivos está desactivada en este servidor.";
        off_why: "A server takes uploads only when whoever runs it allows them.", "Un servidor solo acepta archivos cuando quien lo administra lo permite.";
        turn_on: "How to turn uploads on", "Cómo activar la carga de archivos";
        start_with: "Start the server with", "Inicie el servidor con";
        add: "(add", "(añada";
        to_try: "to try it on samples). The form then appears here, and the audits page links it.", "para probarlo con datos de muestra). El formulario aparecerá entonces aquí, y la página de auditorías lo enlazará.";
        without: "Without uploads", "Sin carga de archivos";
        command_line: "The same reports come from the command line:", "Los mismos informes se obtienen desde la línea de comandos:";
        for_search_log: "for a search log,", "para un registro de búsquedas,";
        for_sharing_list: "for a sharing list. Or browse the", "para una lista de intercambio. O consulte las";
        audits: "audits", "auditorías";
        and: "and", "y las";
        sharing_lists: "sharing lists", "listas de intercambio";
        already_holds: "this server already holds.", "que ya tiene este servidor.";
        not_kept: "This report of", "Este informe de";
        not_kept_audit: "is not kept. Its CSV (", "no se guarda. Su CSV (";
        not_kept_audit_end: ") has every finding; for the full outputs (findings.csv, summary.json, report.html), run", ") tiene todos los hallazgos; para obtener todos los resultados (findings.csv, summary.json, report.html), ejecute";
        not_kept_list: "is not kept. To keep lists and compare them with audits, run", "no se guarda. Para guardar listas y compararlas con auditorías, ejecute";
        another: "Upload another", "Subir otro";
    }
}

fn page(state: &AppState) -> Page {
    Page::new(UploadText::current().title, "/audits", "/-/upload")
        .with_sources(vec![super::corpus_source(state.corpus())])
}

fn form(state: &AppState) -> Markup {
    let t = UploadText::current();
    html! {
        // The token goes first: a served upload without it is refused before its file is read.
        form.ask method="post" action="/-/upload" enctype="multipart/form-data" {
            input type="hidden" name=(TOKEN_FIELD) value=(state.token().as_str());
            span { strong { (t.what_is_it) } }
            fieldset {
                legend { (t.kind_of_file) }
                label { input type="radio" name="kind" value="audit" checked; " " (t.kind_audit) }
                label { input type="radio" name="kind" value="sharing"; " " (t.kind_sharing) " " code { "Name" } " " (t.kind_sharing_end) }
            }
            label for="file" { (t.file) span.hint { (t.up_to) " " (UPLOAD_LIMIT / (1024 * 1024)) " MB" } }
            div { input type="file" #file name="file" required; }
            label for="owner" { (t.whose_data) span.hint { (t.whose_hint) " " code { "El Cajon CA PD" } (t.whose_hint_end) } }
            div { input type="text" #owner name="owner" size="40"; }
            label for="date" { (t.list_date) span.hint { (t.list_date_hint) } }
            div { input type="date" #date name="date"; }
            label for="sheet" { (t.sheet) span.hint { (t.sheet_hint) " " code { "A1" } } }
            div { input type="text" #sheet name="sheet" size="12"; }
            span {}
            div { button type="submit" { (t.read_it) } }
        }
        p.note {
            (t.privacy) " "
            code { "token" } " " (t.field_first_to) " " code { "/-/upload.json" } " " (t.the_report) " "
            code { "/-/upload.csv" } " " (t.csv_what)
        }
    }
}

/// `GET /-/upload` while uploads are off: what the page would do, why it does not, and how
/// whoever runs the server turns it on (with the 403 that says the form is not served).
fn uploads_off_page(state: &AppState) -> Response {
    let t = UploadText::current();
    let body = html! {
        h1 { (t.heading) }
        p { (t.what_it_does) }
        div.error role="alert" {
            p { strong { (t.off) } " " (t.off_why) }
        }
        h2 { (t.turn_on) }
        p { (t.start_with) " " code { "remit serve --allow-uploads" } " " (t.add) " " code { "--demo" } " " (t.to_try) }
        h2 { (t.without) }
        p {
            (t.command_line) " " code { "remit audit FILE --owner AGENCY --out DIR" }
            " " (t.for_search_log) " " code { "remit sharing import FILE" } " " (t.for_sharing_list) " "
            a href="/audits" { (t.audits) } " " (t.and) " " a href="/sharing" { (t.sharing_lists) } " " (t.already_holds)
        }
    };
    let mut response = page(state).html(&body.into_string());
    *response.status_mut() = StatusCode::FORBIDDEN;
    response
}

/// `GET /-/upload`: the form.
pub async fn show(State(state): State<AppState>, format: Format) -> Response {
    match format {
        Format::Html if !state.options().allow_uploads => uploads_off_page(&state),
        Format::Html => {
            let t = UploadText::current();
            let body = html! {
                h1 { (t.heading) }
                p { (t.what_it_does) }
                (form(&state))
            };
            page(&state).html(&body.into_string())
        }
        _ if !state.options().allow_uploads => uploads_off().into_response(),
        _ => WebError::new(StatusCode::METHOD_NOT_ALLOWED, "post a file to this address")
            .with_help("send `multipart/form-data` with a `file` field, `kind` (`audit` or `sharing`) and, when the file does not name it, `owner`")
            .into_response(),
    }
}

/// The ending of an uploaded file's name that says what it is, if it is one of `endings`.
fn ending(name: &str, endings: &[&'static str]) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    // Longest first: `.csv.gz` before `.csv`; `.gz` alone says nothing.
    let mut sorted: Vec<&'static str> = endings.to_vec();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.len()));
    sorted.into_iter().find(|e| lower.ends_with(e))
}

/// The uploaded file's name, kept to letters, digits, spaces and `-._` (no folders), so that
/// the report names the file as the uploader knows it.
fn safe_name(name: &str, ending: &str) -> String {
    let base = super::file_name(name);
    let kept: String = base
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || " -._".contains(*c))
        .collect();
    let kept = kept.trim_start_matches('.');
    if kept.to_ascii_lowercase().ends_with(ending) && kept.len() > ending.len() {
        kept.to_string()
    } else {
        format!("upload{ending}")
    }
}

/// An audit error as the uploader sees it, with the temporary path replaced by their file name.
fn audit_error(error: &AuditError, path: &std::path::Path, name: &str) -> WebError {
    let message = error.to_string().replace(&path.display().to_string(), name);
    let web = match error {
        AuditError::Io { .. } | AuditError::Output { .. } | AuditError::Interrupted => {
            return WebError::internal(error);
        }
        _ => WebError::bad_request(message),
    };
    match error.help() {
        Some(help) => web.with_help(help),
        None => web,
    }
}

/// The form's fields; the file is streamed to `scratch` as it arrives.
#[derive(Default)]
struct Fields {
    kind: Option<String>,
    owner: Option<String>,
    date: Option<String>,
    sheet: Option<String>,
    /// The file's name as uploaded, where it was written, and its size.
    file: Option<(String, std::path::PathBuf, u64)>,
}

fn token_refused() -> WebError {
    WebError::new(StatusCode::FORBIDDEN, "the form's token is missing or is not this server's")
        .with_help("reload the upload form and send it again; programs send the form's `token` field before the file")
}

/// Reads the form. With `token` (a served request), the first field must be the token.
async fn read_fields(
    multipart: &mut Multipart,
    scratch: &Scratch,
    token: Option<&crate::guard::Token>,
) -> Result<Fields, WebError> {
    let unreadable = |error: axum::extract::multipart::MultipartError| {
        WebError::new(
            error.status(),
            format!("the upload could not be read: {}", error.body_text()),
        )
    };
    let write_failed =
        |error: std::io::Error| WebError::internal(format!("cannot write the upload: {error}"));
    let mut fields = Fields::default();
    let mut first = true;
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_string();
        if std::mem::take(&mut first)
            && let Some(token) = token
        {
            let given = if name == TOKEN_FIELD {
                field.text().await.map_err(unreadable)?
            } else {
                String::new()
            };
            if !token.matches(&given) {
                return Err(token_refused());
            }
            continue;
        }
        if name == "file" {
            let file_name = field.file_name().unwrap_or("upload").to_string();
            let (path, mut file) = scratch.create_file("upload.part").map_err(write_failed)?;
            let mut written = 0u64;
            // Chunks of a few kilobytes into the page cache: written in place rather than handed
            // to another thread each.
            while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                std::io::Write::write_all(&mut file, &chunk).map_err(write_failed)?;
                written += chunk.len() as u64;
            }
            fields.file = Some((file_name, path, written));
            continue;
        }
        let text = field.text().await.map_err(unreadable)?;
        let value = Some(text.trim().to_string()).filter(|t| !t.is_empty());
        match name.as_str() {
            "kind" => fields.kind = value,
            "owner" => fields.owner = value,
            "date" => fields.date = value,
            "sheet" => fields.sheet = value,
            _ => {}
        }
    }
    if first && token.is_some() {
        return Err(token_refused());
    }
    Ok(fields)
}

fn busy(why: Busy) -> Response {
    let message = match why {
        Busy::Uploads => "the server is reading other uploads",
        Busy::Bytes => "the uploads under way are as large as the server takes at once",
    };
    WebError::new(StatusCode::SERVICE_UNAVAILABLE, message)
        .with_help("try again in a few seconds")
        .into_response()
}

/// `POST /-/upload` (and `.json`, `.csv`): read the file and answer with its report.
pub async fn receive(
    State(state): State<AppState>,
    format: Format,
    headers: HeaderMap,
    token_required: Option<Extension<TokenRequired>>,
    mut multipart: Multipart,
) -> Response {
    if !state.options().allow_uploads {
        return uploads_off().into_response();
    }
    // The bytes this upload may hold: as announced, else as many as any upload may.
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok())
        .unwrap_or(UPLOAD_LIMIT as u64)
        .min(UPLOAD_LIMIT as u64);
    // Held until this function returns or its future is dropped (the request ended): then the
    // work it started is told to stop.
    let admitted = match state.uploads().admit(announced) {
        Ok(admitted) => admitted,
        Err(why) => return busy(why),
    };
    let cancelled = admitted.cancelled();
    let scratch = match Scratch::create() {
        Ok(scratch) => scratch,
        Err(error) => {
            return WebError::internal(format!("cannot make a folder for the upload: {error}"))
                .into_response();
        }
    };
    let token = token_required.map(|_| state.token());
    let fields = match read_fields(&mut multipart, &scratch, token).await {
        Ok(fields) => fields,
        Err(error) => return error.into_response(),
    };
    let kind = match fields.kind.as_deref() {
        None | Some("audit") => Kind::Audit,
        Some("sharing") => Kind::Sharing,
        Some(other) => {
            return WebError::bad_request(format!("`kind`: `{other}` is not a kind of upload"))
                .with_help("`kind` is `audit` (a search log) or `sharing` (a sharing list)")
                .into_response();
        }
    };
    let Some((name, written, size)) = fields.file else {
        return WebError::bad_request("no file was uploaded")
            .with_help("send the file in a field named `file`")
            .into_response();
    };
    let Some(ending) = ending(&name, kind.endings()) else {
        let what = match kind {
            Kind::Audit => "audit",
            Kind::Sharing => "read as a sharing list",
        };
        return WebError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("`{name}` is not a file Remit can {what}"),
        )
        .with_help(format!(
            "upload a file ending in {}",
            kind.endings().join(", ")
        ))
        .into_response();
    };
    if size == 0 {
        return WebError::bad_request(format!("`{name}` is empty")).into_response();
    }
    let date = match &fields.date {
        None => None,
        Some(text) => match text.parse::<remit_law::Date>() {
            Ok(date) => Some(date),
            Err(_) => {
                return WebError::bad_request(format!("`date`: `{text}` is not a date"))
                    .with_help("write dates as YYYY-MM-DD, e.g. 2025-01-31")
                    .into_response();
            }
        },
    };
    // The pipeline tells formats apart by the name's ending.
    let path = scratch.path().join(safe_name(&name, ending));
    if let Err(error) = std::fs::rename(&written, &path) {
        return WebError::internal(format!("cannot write the upload: {error}")).into_response();
    }
    let response = match kind {
        Kind::Audit => {
            audit_upload(&state, format, name, scratch, path, fields.owner, cancelled).await
        }
        Kind::Sharing => {
            sharing_upload(&state, format, name, path, fields.owner, date, fields.sheet).await
        }
    };
    drop(admitted);
    response
}

/// A sink that stops the audit when its upload's request has ended: the pipeline hands it every
/// block of events, and its error rolls the run back.
struct StopWhenCancelled(Arc<AtomicBool>);

impl StopWhenCancelled {
    fn check(&self) -> Result<(), AuditError> {
        if self.0.load(Ordering::Acquire) {
            Err(AuditError::Interrupted)
        } else {
            Ok(())
        }
    }
}

impl remit_audit::Sink for StopWhenCancelled {
    fn name(&self) -> &str {
        "cancellation"
    }

    fn wants_every_event(&self) -> bool {
        true
    }

    fn event(
        &mut self,
        _event: &remit_audit::Event<'_>,
        _tables: &remit_audit::process::Tables,
    ) -> Result<(), AuditError> {
        self.check()
    }

    fn reject(
        &mut self,
        _reject: &remit_audit::process::Reject,
        _tables: &remit_audit::process::Tables,
    ) -> Result<(), AuditError> {
        self.check()
    }

    fn finish(
        &mut self,
        _summary: &remit_audit::Summary,
        _tables: &remit_audit::process::Tables,
    ) -> Result<(), AuditError> {
        self.check()
    }
}

/// Audits the uploaded file into `store`, as [`crate::audit_into_store`] does, stopping when
/// `cancelled` turns true.
fn audit_cancellable(
    store: &mut Store,
    file: &std::path::Path,
    owner: Option<String>,
    state: &AppState,
    agreements: Option<&remit_app::RegistryAgreements>,
    cancelled: Arc<AtomicBool>,
) -> Result<(i64, remit_audit::Summary), AuditError> {
    let mut stop = StopWhenCancelled(cancelled);
    stop.check()?;
    remit_app::audit::audit_redacted_into_store(
        store,
        &[file.to_path_buf()],
        owner,
        state.corpus(),
        state.directory(),
        agreements,
        &mut [&mut stop],
    )
}

async fn audit_upload(
    state: &AppState,
    format: Format,
    name: String,
    folder: Scratch,
    path: std::path::PathBuf,
    owner: Option<String>,
    cancelled: Arc<AtomicBool>,
) -> Response {
    let worker = state.clone();
    let audited = path.clone();
    // The run goes into a store of its own beside the upload, deleted with it: its findings are
    // then counted, faceted and listed like a stored run's, however many there are.
    let result = tokio::task::spawn_blocking(move || {
        // Searchers that held a 287(g) agreement are flagged from the served store's registry.
        let agreements = worker
            .with_store_mut(crate::registry_agreements)
            .transpose()?
            .flatten();
        let mut store = Store::open(&audited.with_file_name("upload.db"))?;
        let (run_id, summary) = audit_cancellable(
            &mut store,
            &audited,
            owner,
            &worker,
            agreements.as_ref(),
            cancelled,
        )?;
        Ok::<_, AuditError>((store, run_id, summary))
    })
    .await;
    let (store, run_id, summary) = match result {
        Ok(Ok(run)) => run,
        Ok(Err(error)) => return audit_error(&error, &path, &name).into_response(),
        Err(error) => return WebError::internal(error).into_response(),
    };
    let source = DataSource {
        name: format!("the uploaded file `{name}`"),
        url: None,
        licence: "as released by the agency that published it".to_string(),
        date: format!(
            "searches {} to {}",
            summary.period.first.as_deref().unwrap_or("?"),
            summary.period.last.as_deref().unwrap_or("?")
        ),
        note: Some("Audited on upload; not kept.".to_string()),
    };
    let page = Page {
        csv: true,
        ..page(state).with_sources(vec![source.clone(), super::corpus_source(state.corpus())])
    };
    if format == Format::Csv {
        // Every finding, sent as it is read; the store and its folder go when it is all sent.
        return owned_csv(&page, store, folder.into_folder(), run_id);
    }
    let title = format!("{} `{name}`", super::audits::AuditsText::current().audit_of);
    let report = match upload_report(&store, run_id, title, source) {
        Ok(report) => report,
        Err(error) => return error.into_response(),
    };
    let params = Params::default();
    if format == Format::Json {
        // The first findings, as many as a JSON page holds; the CSV has every one. An upload is
        // not kept, so there is no next page to ask for.
        return report_json(
            page,
            state,
            &report,
            &params,
            0,
            UPLOAD_JSON_FINDINGS,
            false,
        );
    }
    let mut report_html = String::with_capacity(128 * 1024);
    render_report(&mut report_html, state, &report, &params, false);
    let t = UploadText::current();
    let body = html! {
        // The report is written by the audit pages, which escape what they print.
        (PreEscaped(report_html))
        p.note {
            (t.not_kept) " " strong { (name) } " " (t.not_kept_audit) code { "POST /-/upload.csv" }
            (t.not_kept_audit_end) " "
            code { "remit audit FILE --owner AGENCY --out DIR" } "."
        }
        h2 { (t.another) }
        (form(state))
    };
    page.html(&body.into_string())
}

/// The findings an upload's JSON lists: the largest page a JSON twin gives.
const UPLOAD_JSON_FINDINGS: usize = 1000;

async fn sharing_upload(
    state: &AppState,
    format: Format,
    name: String,
    path: std::path::PathBuf,
    owner: Option<String>,
    date: Option<remit_law::Date>,
    sheet: Option<String>,
) -> Response {
    let worker = state.clone();
    let read = path.clone();
    let result = tokio::task::spawn_blocking(move || {
        super::sharing::check_list(
            &read,
            owner,
            date,
            sheet,
            worker.corpus(),
            worker.directory(),
        )
    })
    .await;
    let report = match result {
        Ok(Ok(report)) => report,
        Ok(Err(error)) => return sharing_error(&error, &path, &name).into_response(),
        Err(error) => return WebError::internal(error).into_response(),
    };
    let source = DataSource {
        name: format!("the uploaded list `{name}`"),
        url: None,
        licence: "as published by the agency".to_string(),
        date: format!("dated {}", report.date.as_deref().unwrap_or("?")),
        note: Some("Checked on upload; not kept.".to_string()),
    };
    let page = Page {
        csv: true,
        ..page(state).with_sources(vec![source, super::corpus_source(state.corpus())])
    };
    match format {
        Format::Json => match super::sharing::json_without_paths(&report) {
            Ok(data) => page.json(&data),
            Err(error) => error.into_response(),
        },
        Format::Csv => page.csv(&super::sharing::edge_table(&report.edges)),
        Format::Html => {
            let mut report_html = String::with_capacity(64 * 1024);
            super::sharing::render_owner(&mut report_html, false, &report);
            let t = UploadText::current();
            let body = html! {
                // The report is written by the sharing pages, which escape what they print.
                (PreEscaped(report_html))
                p.note {
                    (t.not_kept) " " strong { (name) } " " (t.not_kept_list) " "
                    code { "remit sharing import FILE" } "."
                }
                h2 { (t.another) }
                (form(state))
            };
            page.html(&body.into_string())
        }
    }
}

/// A sharing error as the uploader sees it: their file's name, never the temporary path.
fn sharing_error(
    error: &remit_sharing::SharingError,
    path: &std::path::Path,
    name: &str,
) -> WebError {
    use remit_sharing::SharingError as E;
    let message = error.to_string().replace(&path.display().to_string(), name);
    let web = match error {
        E::Io { .. } | E::Store(_) => return WebError::internal(error),
        _ => WebError::bad_request(message),
    };
    match error.help() {
        // The command-line flags have fields of the same name on the form.
        Some(help) => web.with_help(help.replace("--owner", "owner").replace("--sheet", "sheet")),
        None => web,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 18: a 408 did not stop the upload's work. The audit stops when its request ends.
    #[test]
    fn issue_18_an_audit_stops_when_its_request_ends() {
        let sample = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/demo/alpr/network-audit-sample.csv"
        ))
        .unwrap();
        let (header, rows) = sample.split_once('\n').unwrap();
        let scratch = Scratch::create().unwrap();
        let (path, mut file) = scratch.create_file("big.csv").unwrap();
        std::io::Write::write_all(&mut file, format!("{header}\n").as_bytes()).unwrap();
        // About 40 MB: seconds of work in any build.
        while std::fs::metadata(&path).unwrap().len() < 40 * 1024 * 1024 {
            std::io::Write::write_all(&mut file, rows.as_bytes()).unwrap();
        }
        drop(file);
        let corpus = remit_law::Corpus::embedded().unwrap();
        let state = AppState::new(corpus, None, crate::Options::default());
        let run = |cancelled: Arc<AtomicBool>| {
            let mut store = Store::open(&scratch.path().join(format!(
                "run-{}.db",
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos())
            )))
            .unwrap();
            audit_cancellable(
                &mut store,
                &path,
                Some("Sample City CA PD".to_string()),
                &state,
                None,
                cancelled,
            )
        };
        // Ended before it started: nothing is read.
        let result = run(Arc::new(AtomicBool::new(true)));
        assert!(
            matches!(result, Err(AuditError::Interrupted)),
            "an audit ran although its request had ended"
        );
        // Ended while it runs.
        let cancelled = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&cancelled);
        let ender = std::thread::spawn(move || {
            // Soon enough that an optimised build is still reading the 40 MB.
            std::thread::sleep(std::time::Duration::from_millis(20));
            flag.store(true, Ordering::Release);
        });
        let started = std::time::Instant::now();
        let result = run(cancelled);
        let took = started.elapsed();
        ender.join().unwrap();
        assert!(
            matches!(result, Err(AuditError::Interrupted)),
            "the audit went on to its end after its request ended ({took:?})"
        );
        // Interrupted, not finished, is the behaviour; the bound only catches an audit that
        // runs on for its whole file (tens of seconds in a debug build on a busy machine).
        assert!(
            took < std::time::Duration::from_secs(30),
            "stopped after {took:?}"
        );
    }

    #[test]
    fn endings_are_read_longest_first() {
        assert_eq!(ending("log.CSV.GZ", ENDINGS), Some(".csv.gz"));
        assert_eq!(ending("audit.xlsx", ENDINGS), Some(".xlsx"));
        assert_eq!(ending("report.pdf", ENDINGS), None);
        assert_eq!(ending("archive.gz", ENDINGS), None);
        assert_eq!(ending("names.txt", LIST_ENDINGS), Some(".txt"));
        assert_eq!(ending("names.txt", ENDINGS), None);
    }

    #[test]
    fn uploaded_names_stay_in_the_folder() {
        assert_eq!(safe_name("../../etc/passwd.csv", ".csv"), "passwd.csv");
        assert_eq!(
            safe_name("C:\\logs\\audit 2025.csv", ".csv"),
            "audit 2025.csv"
        );
        assert_eq!(safe_name(".csv", ".csv"), "upload.csv");
        assert_eq!(safe_name("a<b>.csv", ".csv"), "ab.csv");
    }
}
