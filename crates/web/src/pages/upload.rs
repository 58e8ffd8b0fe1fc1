//! `/-/upload`, only with `remit serve --allow-uploads`: a form to upload a plate-reader audit
//! export and get its report.
//!
//! An upload is written to a temporary folder, audited there by remit-audit's pipeline, shown,
//! and deleted. Nothing reaches the store: the server stays read-only. Files are limited to
//! [`UPLOAD_LIMIT`] bytes; a file that is not a search log Remit can read is refused with the
//! reason and what would help.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use remit_audit::AuditError;

use super::audits::{AuditReport, render_report};
use crate::html::{e, push};
use crate::response::{DataSource, Format, Page, Params, Table, WebError};
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

fn uploads_off() -> WebError {
    WebError::new(StatusCode::FORBIDDEN, "uploads are off on this server")
        .with_help("start the server with `remit serve --allow-uploads` to accept uploads")
}

fn page(state: &AppState) -> Page {
    Page::new("Upload an audit", "/audits", "/-/upload")
        .with_sources(vec![super::corpus_source(state.corpus())])
}

fn form(body: &mut String) {
    push!(
        body,
        "<form method=\"post\" action=\"/-/upload\" enctype=\"multipart/form-data\" class=\"ask\">\
         <label for=\"file\">Search log<span class=\"hint\">a Flock network, organization or portal audit, or a Vigilant audit: CSV, CSV.gz, XLSX or NDJSON, up to {} MB</span></label>\
         <div><input type=\"file\" id=\"file\" name=\"file\" required accept=\"{}\"></div>\
         <label for=\"owner\">Whose data?<span class=\"hint\">the agency whose cameras were searched, as you would write it: <code>El Cajon CA PD</code>, an ORI; leave empty for an organization or portal audit, which names it</span></label>\
         <div><input type=\"text\" id=\"owner\" name=\"owner\" size=\"40\"></div>\
         <span></span><div><button type=\"submit\">Audit it</button></div></form>\
         <p class=\"note\">The file is audited in a temporary folder and deleted after the report is shown; nothing is kept or sent anywhere. Officer names and plates are redacted in the report. Programs can post the same form to <code>/-/upload.json</code> (the summary and findings) or <code>/-/upload.csv</code> (the findings).</p>",
        UPLOAD_LIMIT / (1024 * 1024),
        ENDINGS.join(",")
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
                "<h1>Upload an audit</h1><p>Upload a plate-reader search log to get its report: who searched, why, and what the law of the data's owner says about sharing with each searcher.</p>",
            );
            form(&mut body);
            page(&state).html(&body)
        }
        _ => WebError::new(StatusCode::METHOD_NOT_ALLOWED, "post a file to this address")
            .with_help("send `multipart/form-data` with a `file` field and, for a network audit, an `owner` field")
            .into_response(),
    }
}

/// The ending of an uploaded file's name that says what it is, if Remit reads it.
fn ending(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    // Longest first: `.csv.gz` before `.csv`... `.gz` alone is not enough.
    let mut endings: Vec<&&str> = ENDINGS.iter().collect();
    endings.sort_by_key(|e| std::cmp::Reverse(e.len()));
    endings.into_iter().find(|e| lower.ends_with(**e)).copied()
}

/// The uploaded file's name, kept to letters, digits, spaces and `-._` (no folders), so that
/// the report names the file as the uploader knows it.
fn safe_name(name: &str, ending: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
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

/// `POST /-/upload` (and `.json`, `.csv`): audit the file and answer with its report.
pub async fn receive(
    State(state): State<AppState>,
    format: Format,
    mut multipart: Multipart,
) -> Response {
    if !state.options().allow_uploads {
        return uploads_off().into_response();
    }
    let folder = match demo::Folder::create() {
        Ok(folder) => folder,
        Err(error) => return WebError::internal(error).into_response(),
    };
    let mut owner: Option<String> = None;
    let mut file: Option<(String, std::path::PathBuf)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => {
                let status = error.status();
                return WebError::new(
                    status,
                    format!("the upload could not be read: {}", error.body_text()),
                )
                .into_response();
            }
        };
        match field.name().unwrap_or("") {
            "owner" => match field.text().await {
                Ok(text) => owner = Some(text.trim().to_string()).filter(|t| !t.is_empty()),
                Err(error) => {
                    return WebError::new(
                        error.status(),
                        format!("the upload could not be read: {}", error.body_text()),
                    )
                    .into_response();
                }
            },
            "file" => {
                let name = field.file_name().unwrap_or("upload").to_string();
                let Some(ending) = ending(&name) else {
                    return WebError::new(
                        StatusCode::UNSUPPORTED_MEDIA_TYPE,
                        format!("`{name}` is not a file Remit can audit"),
                    )
                    .with_help(format!(
                        "upload a search log ending in {}",
                        ENDINGS.join(", ")
                    ))
                    .into_response();
                };
                let bytes = match field.bytes().await {
                    Ok(bytes) => bytes,
                    Err(error) => {
                        return WebError::new(
                            error.status(),
                            format!("the upload could not be read: {}", error.body_text()),
                        )
                        .into_response();
                    }
                };
                if bytes.is_empty() {
                    return WebError::bad_request(format!("`{name}` is empty")).into_response();
                }
                let path = folder.path().join(safe_name(&name, ending));
                if let Err(error) = std::fs::write(&path, &bytes) {
                    return WebError::internal(format!("cannot write the upload: {error}"))
                        .into_response();
                }
                file = Some((name, path));
            }
            _ => {}
        }
    }
    let Some((name, path)) = file else {
        return WebError::bad_request("no file was uploaded")
            .with_help("send the search log in a field named `file`")
            .into_response();
    };
    let worker = state.clone();
    let audited = path.clone();
    let result = tokio::task::spawn_blocking(move || {
        crate::run_audit(
            std::slice::from_ref(&audited),
            owner,
            worker.corpus(),
            worker.directory(),
        )
    })
    .await;
    let (summary, findings, findings_total) = match result {
        Ok(Ok(run)) => run,
        Ok(Err(error)) => return audit_error(&error, &path, &name).into_response(),
        Err(error) => return WebError::internal(error).into_response(),
    };
    drop(folder);
    let report = AuditReport {
        id: "upload".to_string(),
        title: format!("Audit of `{name}`"),
        source: DataSource {
            name: format!("the uploaded file `{name}`"),
            url: None,
            licence: "as released by the agency that published it".to_string(),
            date: format!(
                "searches {} to {}",
                summary.period.first.as_deref().unwrap_or("?"),
                summary.period.last.as_deref().unwrap_or("?")
            ),
            note: Some("Audited on upload; not kept.".to_string()),
        },
        summary,
        findings,
        findings_total,
    };
    let page = page(&state).with_sources(vec![
        report.source.clone(),
        super::corpus_source(state.corpus()),
    ]);
    let page = Page { csv: true, ..page };
    match format {
        Format::Json => page.json(&UploadView {
            report: &report,
            columns: &remit_audit::sinks::files::FINDINGS_HEADER,
            findings: &report.findings,
        }),
        Format::Csv => {
            let mut table = Table::new(&remit_audit::sinks::files::FINDINGS_HEADER);
            for finding in &report.findings {
                table.push(finding.to_vec());
            }
            page.csv(&table)
        }
        Format::Html => {
            let mut body = String::with_capacity(128 * 1024);
            let all: Vec<&super::audits::Finding> = report.findings.iter().collect();
            render_report(&mut body, &state, &report, &Params::default(), &all, false);
            push!(
                &mut body,
                "<p class=\"note\">This report of <code>{}</code> is not kept. For the full outputs (findings.csv, summary.json, report.html), run <code>remit audit FILE --owner AGENCY --out DIR</code>.</p><h2>Upload another</h2>",
                e(&name)
            );
            form(&mut body);
            page.html(&body)
        }
    }
}

#[derive(serde::Serialize)]
struct UploadView<'a> {
    #[serde(flatten)]
    report: &'a AuditReport,
    columns: &'static [&'static str],
    /// The findings as `findings.csv` columns (see `columns`).
    findings: &'a [super::audits::Finding],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endings_are_read_longest_first() {
        assert_eq!(ending("log.CSV.GZ"), Some(".csv.gz"));
        assert_eq!(ending("audit.xlsx"), Some(".xlsx"));
        assert_eq!(ending("report.pdf"), None);
        assert_eq!(ending("archive.gz"), None);
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
