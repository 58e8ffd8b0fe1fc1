//! `/-/upload`, only with `remit serve --allow-uploads`: a form to upload a plate-reader audit
//! export or a sharing list and get its report.
//!
//! An upload is written to a temporary folder and read there: a search log by remit-audit's
//! pipeline into a store of its own in that folder (so that its report covers every finding,
//! like a stored run's), a sharing list by remit-sharing into a private in-memory store. The
//! report is shown and the folder deleted. Nothing reaches the served store: the server stays read-only. Files are
//! limited to [`UPLOAD_LIMIT`] bytes; a file Remit cannot read is refused with the reason and
//! what would help.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use remit_audit::AuditError;
use remit_store::Store;

use super::audits::{owned_csv, render_report, report_json, upload_report};
use crate::html::{e, push};
use crate::response::{DataSource, Format, Page, Params, WebError};
use crate::{AppState, demo};

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

fn page(state: &AppState) -> Page {
    Page::new("Upload", "/audits", "/-/upload")
        .with_sources(vec![super::corpus_source(state.corpus())])
}

fn form(body: &mut String) {
    push!(
        body,
        "<form method=\"post\" action=\"/-/upload\" enctype=\"multipart/form-data\" class=\"ask\">\
         <span><strong>What is it?</strong></span><fieldset><legend>Kind of file</legend>\
         <label><input type=\"radio\" name=\"kind\" value=\"audit\" checked> a search log: a Flock network, organization or portal audit, or a Vigilant audit (CSV, CSV.gz, XLSX, NDJSON)</label>\
         <label><input type=\"radio\" name=\"kind\" value=\"sharing\"> a sharing list: a transparency-portal archive (JSON), a list with a <code>Name</code> column (CSV), one name per line (TXT), or a sheet of a workbook</label></fieldset>\
         <label for=\"file\">File<span class=\"hint\">up to {} MB</span></label>\
         <div><input type=\"file\" id=\"file\" name=\"file\" required></div>\
         <label for=\"owner\">Whose data?<span class=\"hint\">the agency whose cameras were searched or whose list it is, as you would write it: <code>El Cajon CA PD</code>, an ORI; leave empty when the file names it (organization and portal audits, portal archives)</span></label>\
         <div><input type=\"text\" id=\"owner\" name=\"owner\" size=\"40\"></div>\
         <label for=\"date\">List's date<span class=\"hint\">sharing lists only: the day the list was true (default: the archive's crawl date, else today)</span></label>\
         <div><input type=\"date\" id=\"date\" name=\"date\"></div>\
         <label for=\"sheet\">Sheet<span class=\"hint\">sharing lists in a workbook with several sheets, e.g. <code>A1</code></span></label>\
         <div><input type=\"text\" id=\"sheet\" name=\"sheet\" size=\"12\"></div>\
         <span></span><div><button type=\"submit\">Read it</button></div></form>\
         <p class=\"note\">The file is read in a temporary folder and deleted after the report is shown; nothing is kept or sent anywhere. Officer names and plates are redacted in audit reports. Programs can post the same form to <code>/-/upload.json</code> (the report) or <code>/-/upload.csv</code> (an audit's findings, a list's edges).</p>",
        UPLOAD_LIMIT / (1024 * 1024)
    );
}

/// `GET /-/upload`: the form.
pub async fn show(State(state): State<AppState>, format: Format) -> Response {
    if !state.options().allow_uploads {
        return uploads_off().into_response();
    }
    match format {
        Format::Html => {
            let mut body = String::from(
                "<h1>Upload a search log or a sharing list</h1><p>Upload a plate-reader search log to get its report (who searched, why, and what the law of the data's owner says about sharing with each searcher), or a sharing list to see whom it shares with and which of those edges the owner's law forbids.</p>",
            );
            form(&mut body);
            page(&state).html(&body)
        }
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

/// The form's fields.
#[derive(Default)]
struct Fields {
    kind: Option<String>,
    owner: Option<String>,
    date: Option<String>,
    sheet: Option<String>,
    file: Option<(String, axum::body::Bytes)>,
}

async fn read_fields(multipart: &mut Multipart) -> Result<Fields, WebError> {
    let unreadable = |error: axum::extract::multipart::MultipartError| {
        WebError::new(
            error.status(),
            format!("the upload could not be read: {}", error.body_text()),
        )
    };
    let mut fields = Fields::default();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("upload").to_string();
            let bytes = field.bytes().await.map_err(unreadable)?;
            fields.file = Some((file_name, bytes));
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
    Ok(fields)
}

/// `POST /-/upload` (and `.json`, `.csv`): read the file and answer with its report.
pub async fn receive(
    State(state): State<AppState>,
    format: Format,
    mut multipart: Multipart,
) -> Response {
    if !state.options().allow_uploads {
        return uploads_off().into_response();
    }
    let fields = match read_fields(&mut multipart).await {
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
    let Some((name, bytes)) = fields.file else {
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
    if bytes.is_empty() {
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
    let folder = match demo::Folder::create() {
        Ok(folder) => folder,
        Err(error) => return WebError::internal(error).into_response(),
    };
    let path = folder.path().join(safe_name(&name, ending));
    if let Err(error) = std::fs::write(&path, &bytes) {
        return WebError::internal(format!("cannot write the upload: {error}")).into_response();
    }
    match kind {
        Kind::Audit => audit_upload(&state, format, name, folder, path, fields.owner).await,
        Kind::Sharing => {
            sharing_upload(&state, format, name, path, fields.owner, date, fields.sheet).await
        }
    }
}

async fn audit_upload(
    state: &AppState,
    format: Format,
    name: String,
    folder: demo::Folder,
    path: std::path::PathBuf,
    owner: Option<String>,
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
        let (run_id, summary) = crate::audit_into_store(
            &mut store,
            std::slice::from_ref(&audited),
            owner,
            worker.corpus(),
            worker.directory(),
            agreements.as_ref(),
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
        return owned_csv(&page, store, folder, run_id);
    }
    let report = match upload_report(&store, run_id, format!("Audit of `{name}`"), source) {
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
    let mut body = String::with_capacity(128 * 1024);
    render_report(&mut body, state, &report, &params, false);
    push!(
        &mut body,
        "<p class=\"note\">This report of <code>{}</code> is not kept. Its CSV (<code>POST /-/upload.csv</code>) has every finding; for the full outputs (findings.csv, summary.json, report.html), run <code>remit audit FILE --owner AGENCY --out DIR</code>.</p><h2>Upload another</h2>",
        e(&name)
    );
    form(&mut body);
    page.html(&body)
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
            let mut body = String::with_capacity(64 * 1024);
            super::sharing::render_owner(&mut body, false, &report);
            push!(
                &mut body,
                "<p class=\"note\">This report of <code>{}</code> is not kept. To keep lists and compare them with audits, run <code>remit sharing import FILE</code>.</p><h2>Upload another</h2>",
                e(&name)
            );
            form(&mut body);
            page.html(&body)
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
