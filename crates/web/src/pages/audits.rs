//! `/audits` and `/audits/{id}`: plate-reader search audits, each as a report with charts and a
//! findings table faceted by category, searcher state and verdict.
//!
//! A report is an audit run in a store, read back through remit-audit's query API: the summary
//! the pipeline wrote, and the findings (flagged searches) counted, faceted and paged by SQL as a
//! page asks, so a run of millions of searches is reported whole. The runs `remit audit` stored
//! are shown under their run ids (`/audits/3`); the demo's audits are runs in the demo store,
//! under names of their own (`/audits/demo-network-audit`); an upload is audited into a store
//! of its own in a temporary folder and shown once. Nothing here re-implements the audit.

use std::borrow::Cow;
use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use remit_app::RegistryAgreements;
use remit_audit::AuditError;
use remit_audit::query::{self, FindingFilter, RunListing, RunSummary};
use remit_audit::sinks::files::FINDINGS_HEADER;
use remit_law::vocabulary::WordKind;
use remit_store::Store;
use serde::Serialize;

use maud::{Markup, html};

use super::file_name;
use crate::AppState;
use crate::components::{
    Column, Facet, chart, citation, facet_list, facets, number_cell, table, verdict_badge,
};
use crate::html::{count, query_string, words};
use crate::parts::{pager, technical};
use crate::response::{DataSource, Format, Page, Params, Table, WebError};
use crate::svg::{self, Bar, Series};

/// A stored run that the server names and describes itself (the demo's audits): its address
/// `/audits/{slug}`, title and source replace the generic ones of a run `remit audit` stored.
#[derive(Debug, Clone)]
pub struct AuditLabel {
    /// The last part of the run's address `/audits/{slug}`.
    pub slug: String,
    /// The run in the server's store (`audit_runs.id`).
    pub run_id: i64,
    /// The run's title, shown in place of the generic one.
    pub title: String,
    /// Where the run's data comes from, shown in place of the generic source.
    pub source: DataSource,
}

/// Where a report's run is.
#[derive(Clone, Copy)]
pub(crate) enum RunStore<'a> {
    /// In the server's store.
    Server(i64),
    /// In a store of its own (an upload's).
    Own(&'a Store, i64),
}

/// A report as the pages draw it: a run and how to name it.
pub(crate) struct Shown<'a> {
    id: Cow<'a, str>,
    title: Cow<'a, str>,
    source: DataSource,
    summary: RunSummary,
    run: RunStore<'a>,
    findings_total: u64,
    /// Whether the demo made it (pages then say the data is self-made).
    demo: bool,
}

impl Shown<'_> {
    /// Reads from the report's store.
    fn read<R>(
        &self,
        state: &AppState,
        read: impl FnOnce(&Store, i64) -> Result<R, AuditError>,
    ) -> Result<R, WebError> {
        match self.run {
            RunStore::Server(run_id) => state
                .with_store(|store| read(store, run_id))
                .ok_or_else(|| WebError::internal("the store is gone"))?
                .map_err(audit_error),
            RunStore::Own(store, run_id) => read(store, run_id).map_err(audit_error),
        }
    }
}

/// The findings part of a report for the filters in force: counts over every matching finding,
/// and the rows a page asks for.
struct Selection {
    counts: query::FindingCounts,
    /// The findings, each file by its name.
    rows: Vec<query::StoredFinding>,
}

/// The filters of a request, as the query API takes them.
fn finding_filter(params: &Params) -> FindingFilter {
    let get = |name: &str| params.get(name).map(str::to_string);
    FindingFilter {
        category: get("category"),
        searcher_state: get("searcher_state"),
        verdict: get("verdict"),
        searcher_class: get("searcher_class"),
    }
}

/// The counts of a facet by its parameter name.
fn facet<'c>(counts: &'c query::FindingCounts, parameter: &str) -> &'c BTreeMap<String, u64> {
    match parameter {
        "category" => &counts.by_category,
        "searcher_state" => &counts.by_searcher_state,
        "verdict" => &counts.by_verdict,
        _ => &counts.by_searcher_class,
    }
}

/// The findings of `report` that pass the filters in `params`: their counts, and `limit` of
/// them from `offset`.
fn select(
    state: &AppState,
    report: &Shown<'_>,
    params: &Params,
    offset: usize,
    limit: usize,
) -> Result<Selection, WebError> {
    let filter = finding_filter(params);
    let (counts, page) = report.read(state, |store, run_id| {
        query::findings_and_counts(store, run_id, &filter, offset as u64, limit as u64)
    })?;
    Ok(Selection {
        counts,
        rows: page
            .findings
            .into_iter()
            .map(|mut finding| {
                finding.file = file_name(&finding.file).to_string();
                finding
            })
            .collect(),
    })
}

/// A stored finding as a row of `findings.csv`'s columns, the file by its name.
fn csv_row(finding: &query::StoredFinding) -> [String; 23] {
    let mut fields = finding.fields();
    // The file is the first column.
    fields[0] = file_name(&finding.file).to_string();
    fields
}

fn audit_error(error: AuditError) -> WebError {
    WebError::internal(format!("cannot read the audit: {error}"))
}

/// The title of a stored run.
fn stored_title(run: &RunListing) -> String {
    format!(
        "Audit of {}, imported {}",
        run.owner.as_deref().unwrap_or("an unnamed owner"),
        run.imported_at.get(..10).unwrap_or(&run.imported_at)
    )
}

/// Where a stored run came from.
fn stored_source(run: &RunListing) -> DataSource {
    let files: Vec<String> = run.files.iter().map(|f| file_name(f).to_string()).collect();
    DataSource {
        name: format!("`remit audit` of {}", files.join(", ")),
        url: None,
        licence: "as released by the agency under public records law".to_string(),
        date: format!(
            "searches {} to {}, audited {}",
            run.first.as_deref().unwrap_or("?"),
            run.last.as_deref().unwrap_or("?"),
            run.imported_at
        ),
        note: Some(format!(
            "stored as import {} in the store; corpus {}, classifier {}",
            run.import_id, run.corpus_version, run.classifier_version
        )),
    }
}

/// The runs the store holds (none without a store or audit tables).
fn stored_runs(state: &AppState) -> Result<Vec<RunListing>, WebError> {
    state
        .with_store(query::runs)
        .transpose()
        .map_err(audit_error)
        .map(Option::unwrap_or_default)
}

/// The runs the store holds, for the search and the agency pages.
pub(crate) fn stored_run_list(state: &AppState) -> Result<Vec<RunListing>, WebError> {
    stored_runs(state)
}

/// A run's summary with its files named as a page shows them; `None` when there is no such run.
fn run_summary(store: &Store, run_id: i64) -> Result<Option<RunSummary>, AuditError> {
    let Some(mut summary) = query::summary(store, run_id)? else {
        return Ok(None);
    };
    for file in &mut summary.files {
        file.path = file_name(&file.path).to_string();
    }
    Ok(Some(summary))
}

/// The report at `/audits/{id}` and its run's id in the server's store: a labelled run by its
/// name, any other stored run by its id; `None` when the store holds no such run.
fn stored_report(state: &AppState, id: &str) -> Result<Option<(Shown<'static>, i64)>, WebError> {
    let label = state
        .audits()
        .iter()
        .find(|label| label.slug == id || label.run_id.to_string() == id);
    let run_id = match label {
        Some(label) => label.run_id,
        None => match id.parse::<i64>() {
            Ok(run_id) => run_id,
            Err(_) => return Ok(None),
        },
    };
    let Some(run) = stored_runs(state)?.into_iter().find(|r| r.id == run_id) else {
        return Ok(None);
    };
    let read = state.with_store(|store| run_summary(store, run_id));
    let Some(Some(summary)) = read.transpose().map_err(audit_error)? else {
        return Ok(None);
    };
    let report = Shown {
        id: Cow::Owned(label.map_or_else(|| run.id.to_string(), |l| l.slug.clone())),
        title: Cow::Owned(label.map_or_else(|| stored_title(&run), |l| l.title.clone())),
        source: label.map_or_else(|| stored_source(&run), |l| l.source.clone()),
        summary,
        run: RunStore::Server(run_id),
        findings_total: run.findings,
        demo: label.is_some(),
    };
    Ok(Some((report, run_id)))
}

/// An upload's report: run `run_id` of the upload's own store.
pub(crate) fn upload_report<'a>(
    store: &'a Store,
    run_id: i64,
    title: String,
    source: DataSource,
) -> Result<Shown<'a>, WebError> {
    let summary = run_summary(store, run_id)
        .map_err(audit_error)?
        .ok_or_else(|| WebError::internal("the upload's run was not stored"))?;
    Ok(Shown {
        id: Cow::Borrowed("upload"),
        title: Cow::Owned(title),
        source,
        findings_total: summary.findings,
        summary,
        run: RunStore::Own(store, run_id),
        demo: false,
    })
}

/// The 287(g) agreements of the registry in `store`, for the audit's 287(g) flag: `None` when
/// the store holds no registry of the current version (serving never makes or changes tables).
pub fn registry_agreements(store: &mut Store) -> Result<Option<RegistryAgreements>, AuditError> {
    remit_app::current_agreements(store)
}

/// The day of a UTC timestamp (`2025-07-01T00:15:28Z` reads `2025-07-01`).
fn day_of(time: &str) -> &str {
    time.get(..10)
        .filter(|d| d.as_bytes().get(4) == Some(&b'-'))
        .unwrap_or(time)
}

/// A finding's flags in plain words.
fn flag_words(flags: &str) -> String {
    flags
        .split(';')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(|flag| match flag {
            "forbidden_sharing" => "the owner's law forbids this sharing".to_string(),
            "out_of_state_searcher" => "searcher in another state".to_string(),
            "federal_immigration_searcher" => {
                "searcher is a federal immigration agency".to_string()
            }
            "vague_reason" => "vague reason".to_string(),
            "missing_reason" => "no reason given".to_string(),
            "missing_case_number" => "no case number".to_string(),
            "searcher_287g" => "searcher held a 287(g) agreement that day".to_string(),
            "concern_reason" => "reason mentions immigration or a protected activity".to_string(),
            other => words(other),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// How a reason was read: its categories in words, and the words that decided them
/// (`vague:Investigation` reads "vague (“Investigation”)").
fn evidence_words(categories: &str, evidence: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for item in evidence.split(';').map(str::trim).filter(|i| !i.is_empty()) {
        match item.split_once(':') {
            Some((category, term)) => {
                parts.push(format!("{} (“{}”)", words(category), term.trim()))
            }
            None => parts.push(words(item)),
        }
    }
    for category in categories
        .split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let category = words(category);
        if !parts.iter().any(|p| p.starts_with(&category)) {
            parts.push(category);
        }
    }
    parts.join("; ")
}

/// Facets a reader can filter findings by: parameter, label.
const FACETS: &[(&str, &str)] = &[
    ("category", "reason category"),
    ("searcher_state", "searcher's state"),
    ("verdict", "verdict"),
    ("searcher_class", "searcher class"),
];

#[derive(Serialize)]
struct AuditListEntry {
    id: String,
    title: String,
    owner: Option<String>,
    events: u64,
    findings: u64,
    first: Option<String>,
    last: Option<String>,
    /// Made by the demo from a self-made log, rather than stored by `remit audit`.
    demo: bool,
    page: String,
}

fn sources(state: &AppState, runs: &[RunListing]) -> Vec<DataSource> {
    let mut sources: Vec<DataSource> = Vec::new();
    let labelled = state.audits().iter().map(|label| label.source.clone());
    let others = runs
        .iter()
        .filter(|run| label_of(state, run.id).is_none())
        .map(stored_source);
    for source in labelled.chain(others) {
        if !sources.iter().any(|s| s.name == source.name) {
            sources.push(source);
        }
    }
    sources.push(super::corpus_source(state.corpus()));
    sources
}

/// The server's own name for run `run_id`, if it gave it one.
fn label_of(state: &AppState, run_id: i64) -> Option<&AuditLabel> {
    state.audits().iter().find(|label| label.run_id == run_id)
}

/// `/audits`: the runs the server names (the demo's), then the other runs in the store, newest
/// first.
pub async fn list(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let runs = match stored_runs(&state) {
        Ok(runs) => runs,
        Err(error) => return error.into_response(),
    };
    let entry = |run: &RunListing, label: Option<&AuditLabel>| {
        let id = label.map_or_else(|| run.id.to_string(), |l| l.slug.clone());
        AuditListEntry {
            title: label.map_or_else(|| stored_title(run), |l| l.title.clone()),
            owner: run.owner.clone(),
            events: run.events,
            findings: run.findings,
            first: run.first.clone(),
            last: run.last.clone(),
            demo: label.is_some(),
            page: format!("/audits/{id}"),
            id,
        }
    };
    let labelled = state.audits().iter().filter_map(|label| {
        runs.iter()
            .find(|run| run.id == label.run_id)
            .map(|run| entry(run, Some(label)))
    });
    let others = runs
        .iter()
        .filter(|run| label_of(&state, run.id).is_none())
        .map(|run| entry(run, None));
    let entries: Vec<AuditListEntry> = labelled.chain(others).collect();
    let page = Page::new("Plate-reader audits", "/audits", "/audits")
        .with_query(params.raw())
        .with_csv()
        .with_sources(sources(&state, &runs));
    match format {
        Format::Json => page.json(&entries),
        Format::Csv => {
            let mut table = Table::new(&[
                "id", "title", "owner", "events", "findings", "first", "last", "demo",
            ]);
            for entry in &entries {
                table.push(vec![
                    entry.id.clone(),
                    entry.title.clone(),
                    entry.owner.clone().unwrap_or_default(),
                    entry.events.to_string(),
                    entry.findings.to_string(),
                    entry.first.clone().unwrap_or_default(),
                    entry.last.clone().unwrap_or_default(),
                    entry.demo.to_string(),
                ]);
            }
            page.csv(&table)
        }
        Format::Html => {
            let uploads = state.options().allow_uploads;
            let body = html! {
                h1 { "Plate-reader audits" }
                p {
                    "Agencies release the logs of searches run on their license-plate-reader data. An audit reads such a log, sorts each search's stated reason into reviewable categories, works out who searched, and asks the law whether the data's owner could share its data with that searcher for that purpose on that day."
                }
                @if state.options().demo && !state.audits().is_empty() {
                    p.error { strong { "Demo data:" } " the audits marked (demo) are of self-made sample logs, not of a real agency's searches." }
                }
                @if entries.is_empty() {
                    p {
                        "No audit is loaded. Audit a log with " code { "remit audit FILE --owner AGENCY" }
                        @if uploads { ", or " a href="/-/upload" { "upload one" } }
                        "; " code { "remit serve --demo" } " shows a generated one."
                    }
                } @else {
                    (table(
                        &[
                            Column::text("Audit"),
                            Column::text("Data owner"),
                            Column::number("Searches"),
                            Column::number("Findings"),
                            Column::text("Period"),
                        ],
                        None,
                        html! {
                            @for entry in &entries {
                                tr {
                                    td { a href=(entry.page) { (entry.title) } }
                                    td { (entry.owner.as_deref().unwrap_or("")) }
                                    (number_cell(entry.events))
                                    (number_cell(entry.findings))
                                    td {
                                        (day_of(entry.first.as_deref().unwrap_or(""))) " – "
                                        (day_of(entry.last.as_deref().unwrap_or("")))
                                    }
                                }
                            }
                        },
                    ))
                }
                // Uploading is shown either way, with how to turn it on when it is off.
                @if uploads {
                    p { a href="/-/upload" { "Upload an audit export or a sharing list" } " to get its report." }
                } @else {
                    p.note {
                        a href="/-/upload" { "Uploading an audit export or a sharing list" }
                        " is off on this server: start it with " code { "remit serve --allow-uploads" }
                        " to audit a file in the browser (it is read in a temporary folder and never stored)."
                    }
                }
            };
            page.html(&body.into_string())
        }
    }
}

#[derive(Serialize)]
struct ReportView<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a RunSummary,
    findings_total: u64,
    /// Findings passing the filters.
    findings_matching: u64,
    filters: BTreeMap<&'static str, &'a str>,
    facets: BTreeMap<&'static str, &'a BTreeMap<String, u64>>,
    columns: &'static [&'static str],
    /// One page of the matching findings (`offset`, `size`), each as the 23 text fields of
    /// `findings.csv` in the order of `columns`.
    findings: Vec<[String; 23]>,
    offset: usize,
    next: Option<String>,
}

/// `/audits/{id}?category=&searcher_state=&verdict=&searcher_class=`.
pub async fn show(
    State(state): State<AppState>,
    format: Format,
    Path(raw): Path<String>,
    params: Params,
) -> Response {
    let id = format.id(&raw);
    let (report, run_id) = match stored_report(&state, id) {
        Ok(Some(found)) => found,
        Ok(None) => {
            return WebError::not_found(format!("no audit `{id}`"))
                .with_help("`/audits` lists the audits this server holds")
                .into_response();
        }
        Err(error) => return error.into_response(),
    };
    let report = &report;
    let (offset, size) = match params.page() {
        Ok(page) => page,
        Err(error) => return error.into_response(),
    };
    let page = Page::new(
        report.title.to_string(),
        "/audits",
        format!("/audits/{}", report.id),
    )
    .with_query(params.raw())
    .with_csv()
    .with_sources(vec![
        report.source.clone(),
        super::corpus_source(state.corpus()),
    ]);
    match format {
        Format::Json => report_json(page, &state, report, &params, offset, size, true),
        Format::Csv => server_csv(&page, &state, run_id, &params),
        Format::Html => {
            let selection = match select(&state, report, &params, offset, PAGE_OF_FINDINGS) {
                Ok(selection) => selection,
                Err(error) => return error.into_response(),
            };
            let mut body = String::with_capacity(128 * 1024);
            render(&mut body, &state, report, &params, &selection, Some(offset));
            page.html(&body)
        }
    }
}

/// A report as JSON: the summary, the counts by facet, and `size` of the matching findings from
/// `offset`, with the address of the next page when `paged`.
pub(crate) fn report_json(
    page: Page,
    state: &AppState,
    report: &Shown<'_>,
    params: &Params,
    offset: usize,
    size: usize,
    paged: bool,
) -> Response {
    let selection = match select(state, report, params, offset, size) {
        Ok(selection) => selection,
        Err(error) => return error.into_response(),
    };
    let mut filters = BTreeMap::new();
    let mut facets = BTreeMap::new();
    for (parameter, _) in FACETS {
        if let Some(value) = params.get(parameter) {
            filters.insert(*parameter, value);
        }
        facets.insert(*parameter, facet(&selection.counts, parameter));
    }
    let end = offset.saturating_add(selection.rows.len());
    let next = (paged && (end as u64) < selection.counts.total).then(|| {
        let mut pairs: Vec<(&str, String)> = FACETS
            .iter()
            .filter_map(|(p, _)| params.get(p).map(|v| (*p, v.to_string())))
            .collect();
        pairs.push(("offset", end.to_string()));
        pairs.push(("size", size.to_string()));
        format!(
            "/audits/{}.json?{}",
            report.id,
            query_string(pairs.iter().map(|(k, v)| (*k, v.as_str())))
        )
    });
    page.json(&ReportView {
        id: &report.id,
        title: &report.title,
        summary: &report.summary,
        findings_total: report.findings_total,
        findings_matching: selection.counts.total,
        filters,
        facets,
        columns: &FINDINGS_HEADER,
        findings: selection
            .rows
            .iter()
            .map(query::StoredFinding::fields)
            .collect(),
        offset,
        next,
    })
}

/// Findings a CSV reads from the store at a time.
const CSV_CHUNK: u64 = 10_000;

/// Every finding of a run that passes `filter`, as CSV: `read` gives the chunk after a cursor
/// (as [`query::findings_after`]), on a blocking thread, and each chunk is sent as it is
/// written, so that a run of any size goes out in constant memory.
pub(crate) fn findings_csv<R>(page: &Page, filter: FindingFilter, mut read: R) -> Response
where
    R: FnMut(&FindingFilter, Option<i64>) -> Result<ChunkOfFindings, WebError> + Send + 'static,
{
    let raw = crate::response::raw_csv();
    page.csv_stream(move |send| {
        let write_error = |e: csv::Error| WebError::internal(e);
        let mut after = None;
        let mut first = true;
        loop {
            let (chunk, next) = read(&filter, after)?;
            let mut writer = remit_store::csv_out::Writer::new(Vec::new(), raw);
            if first {
                writer.write_record(FINDINGS_HEADER).map_err(write_error)?;
                first = false;
            }
            for finding in &chunk {
                writer.write_record(csv_row(finding)).map_err(write_error)?;
            }
            let piece = writer.into_inner().map_err(WebError::internal)?;
            if !send(piece) {
                return Ok(());
            }
            match next {
                Some(next) => after = Some(next),
                None => return Ok(()),
            }
        }
    })
}

/// A chunk of findings and where the next starts.
pub(crate) type ChunkOfFindings = (Vec<query::StoredFinding>, Option<i64>);

/// The findings of a run in the server's store, as CSV.
fn server_csv(page: &Page, state: &AppState, run_id: i64, params: &Params) -> Response {
    let state = state.clone();
    findings_csv(page, finding_filter(params), move |filter, after| {
        state
            .with_store(|store| query::findings_after(store, run_id, filter, after, CSV_CHUNK))
            .ok_or_else(|| WebError::internal("the store is gone"))?
            .map_err(audit_error)
    })
}

/// The findings of run `run_id` of a store the response owns (an upload's, with the folder it
/// lives in), as CSV.
pub(crate) fn owned_csv(
    page: &Page,
    store: Store,
    folder: crate::demo::Folder,
    run_id: i64,
) -> Response {
    findings_csv(page, FindingFilter::default(), move |filter, after| {
        // The folder goes when the last chunk is sent.
        let _kept = &folder;
        query::findings_after(&store, run_id, filter, after, CSV_CHUNK).map_err(audit_error)
    })
}

fn facet_url(report: &Shown<'_>, params: &Params, set: &str, value: Option<&str>) -> String {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for (parameter, _) in FACETS {
        let current = if *parameter == set {
            value
        } else {
            params.get(parameter)
        };
        if let Some(current) = current {
            pairs.push((parameter, current));
        }
    }
    // The link lands on the findings it filters, not at the top of the report.
    if pairs.is_empty() {
        format!("/audits/{}#findings", report.id)
    } else {
        format!("/audits/{}?{}#findings", report.id, query_string(pairs))
    }
}

fn bars(map: &BTreeMap<String, u64>, link: impl Fn(&str) -> Option<String>) -> Vec<Bar> {
    let mut bars: Vec<Bar> = map
        .iter()
        .filter(|(_, v)| **v > 0)
        .map(|(label, value)| Bar {
            label: words(label),
            value: *value,
            href: link(label),
        })
        .collect();
    bars.sort_by(|a, b| b.value.cmp(&a.value).then(a.label.cmp(&b.label)));
    bars
}

/// The report: who owns the data, what was searched and why, what the law says, and the findings.
/// `linked` is false for a report that has no address of its own (an upload): its facets and
/// bars are then plain text.
pub(crate) fn render_report(
    body: &mut String,
    state: &AppState,
    report: &Shown<'_>,
    params: &Params,
    linked: bool,
) {
    match select(state, report, params, 0, SHOWN) {
        Ok(selection) => render(body, state, report, params, &selection, linked.then_some(0)),
        Err(error) => body.push_str(&html! { p.error { (error.to_string()) } }.into_string()),
    }
}

/// Findings an upload's report lists (it has no address to page: the CSV has all that match).
const SHOWN: usize = 500;
/// Findings a stored report lists per page.
const PAGE_OF_FINDINGS: usize = 100;

/// `paged` is the offset of the findings shown when the report has an address of its own (its
/// facets, bars and pages are links), `None` for an upload's.
fn render(
    body: &mut String,
    state: &AppState,
    report: &Shown<'_>,
    params: &Params,
    selection: &Selection,
    paged: Option<usize>,
) {
    let linked = paged.is_some();
    let link =
        |set: &str, value: Option<&str>| linked.then(|| facet_url(report, params, set, value));
    let summary = &report.summary;
    // The owner's other records: its agency page joins its 287(g) history and sharing lists.
    let agency = summary.owner.as_ref().filter(|_| linked).and_then(|owner| {
        let all = super::agencies::collect(state).ok()?;
        super::agencies::find(&all, "", &owner.name)
            .or_else(|| {
                owner
                    .ori
                    .as_deref()
                    .and_then(|ori| super::agencies::find(&all, "", ori))
            })
            .cloned()
    });
    let page = html! {
        h1 { (report.title) }
        @if state.options().demo && report.demo {
            p.error { strong { "Demo data:" } " a self-made sample log, not a real agency's searches." }
        }
        @match &summary.owner {
            Some(owner) => p {
                "Data owner: " strong { (owner.name) }
                @if let Some(code) = &owner.state { ", " (code) }
                " (the agency whose cameras were searched; the law asked is the one that bound it)."
                @if let Some(ori) = &owner.ori {
                    (technical(html! { "FBI agency code (ORI) " code { (ori) } }))
                }
            },
            None => p { "The data's owner was not named, so no law question could be asked." },
        }
        @if let Some(agency) = &agency {
            p {
                a href=(agency.url) { "Everything the records hold about " (agency.name) }
                ": its sharing list, 287(g) history, other audits and the law that binds it."
            }
        }
        p.headline {
            strong {
                (count(summary.events)) " searches from "
                (day_of(summary.period.first.as_deref().unwrap_or("?"))) " to "
                (day_of(summary.period.last.as_deref().unwrap_or("?"))) " by "
                (count(summary.searchers as u64))
                (if summary.searchers == 1 { " searcher; " } else { " searchers; " })
                (count(report.findings_total)) " of them " a href="#findings" { "findings" } "."
            }
            " "
            @if summary.rejected == 0 {
                "Every row of the log could be read."
            } @else {
                (count(summary.rejected)) " rows could not be read and were set aside."
            }
        }
        // Reach: one search can sweep many agencies' cameras at once.
        @if summary.max_networks_searched > 0 || summary.max_devices_searched > 0 {
            p {
                "Reach: a single search here reached up to "
                (count(u64::from(summary.max_networks_searched))) " networks and "
                (count(u64::from(summary.max_devices_searched))) " cameras."
            }
        }
        (immigration_section(&selection.counts, link("category", Some("immigration"))))
        (charts(summary, params, &selection.counts, &link))
        (law_section(state, summary))
        (flags_section(summary))
        (searchers_section(summary))
        (findings_section(summary, params, selection, paged, &link))
    };
    body.push_str(&page.into_string());
}

/// The question most readers come with: who searched for immigration reasons, and what the law
/// says about sharing with them.
fn immigration_section(counts: &query::FindingCounts, only_these: Option<String>) -> Markup {
    let immigration = &counts.immigration_by_searcher;
    html! {
        h2 #immigration { "Searches for immigration reasons" }
        @if immigration.is_empty() {
            p { "No search in this audit gives a reason the classifier reads as immigration enforcement." }
        } @else {
            p {
                (count(immigration.iter().map(|s| s.findings).sum()))
                " searches by " (immigration.len())
                (if immigration.len() == 1 { " searcher give" } else { " searchers give" })
                " a reason that names immigration enforcement (the matched words are shown with each search below)."
            }
            (table(
                &[
                    Column::text("Verdict for sharing with it"),
                    Column::text("Searcher"),
                    Column::text("State"),
                    Column::text("Kind"),
                    Column::number("Searches"),
                ],
                None,
                html! {
                    @for searcher in immigration {
                        tr {
                            td {
                                @for (index, verdict) in searcher.verdicts.iter().enumerate() {
                                    @if index > 0 { " " }
                                    (verdict_badge(verdict, &words(verdict)))
                                }
                            }
                            td { (searcher.searcher) }
                            td { (searcher.state) }
                            td { (words(&searcher.class)) }
                            (number_cell(searcher.findings))
                        }
                    }
                },
            ))
            @if let Some(url) = only_these {
                p { a href=(url) { "Show only these searches" } }
            }
        }
    }
}

/// One bar chart of a report: its heading, its title, the counts of every search, the counts of
/// the findings that match the filters, and the facet its bars filter on.
type BarChart<'a> = (
    &'static str,
    &'static str,
    &'a BTreeMap<String, u64>,
    &'a BTreeMap<String, u64>,
    &'static str,
);

/// The charts: searches per month (partial months marked), then the reasons, searchers and
/// verdicts as bars linked to the findings they count. With a filter chosen, the bars count the
/// findings that match it, as the facets and the list below do.
fn charts(
    summary: &RunSummary,
    params: &Params,
    counts: &query::FindingCounts,
    link: &dyn Fn(&str, Option<&str>) -> Option<String>,
) -> Markup {
    let filtered = FACETS
        .iter()
        .any(|(parameter, _)| params.get(parameter).is_some());
    // A month the log covers only in part is marked, so that its lower count is not read as a
    // drop in searching.
    let first = summary.period.first.as_deref().unwrap_or("");
    let last = summary.period.last.as_deref().unwrap_or("");
    let months: Vec<&str> = summary.by_month.keys().map(String::as_str).collect();
    let marks = svg::partial_months(&months, first, last);
    let partial: Vec<&str> = months
        .iter()
        .zip(&marks)
        .filter_map(|(month, partial)| partial.then_some(*month))
        .collect();
    let labels: Vec<String> = months
        .iter()
        .zip(&marks)
        .map(|(month, partial)| {
            if *partial {
                format!("{month}*")
            } else {
                (*month).to_string()
            }
        })
        .collect();
    let mut per_month = String::new();
    svg::line_chart(
        &mut per_month,
        "Searches per month",
        &labels,
        &[Series {
            name: "searches".to_string(),
            values: summary.by_month.values().copied().collect(),
        }],
    );
    let note = (!partial.is_empty()).then(|| {
        format!(
            "* The log covers only part of {} (from {} to {}): a lower count there is not a drop in searching.",
            partial.join(" and "),
            day_of(first),
            day_of(last)
        )
    });
    // Each count as a bar chart whose bars link to the findings faceted on that value.
    let bar_charts: [BarChart<'_>; 4] = [
        (
            "Why: reason categories",
            "Searches by reason category",
            &summary.by_category,
            &counts.by_category,
            "category",
        ),
        (
            "Who: searchers by state",
            "Searches by searcher's state",
            &summary.by_searcher_state,
            &counts.by_searcher_state,
            "searcher_state",
        ),
        (
            "Who: searchers by class",
            "Searches by searcher class",
            &summary.by_searcher_class,
            &counts.by_searcher_class,
            "searcher_class",
        ),
        (
            "What the law says",
            "Searches by verdict on sharing with the searcher",
            &summary.by_verdict,
            &counts.by_verdict,
            "verdict",
        ),
    ];
    html! {
        h2 { "Searches per month" }
        @if filtered {
            p.note {
                "This chart counts every search of the audit; the charts below count the "
                a href="#findings" { "findings" } " that match the filters chosen."
            }
        }
        (chart(&per_month, note.as_deref()))
        @for (heading, title, all, matching, facet) in bar_charts {
            h2 { (heading) }
            @if facet == "category" {
                p.note { "A search may fall in several categories, read from the words of the reason the searcher typed." }
                (technical(html! { "The categories and their words are in " code { "classifiers/reasons.toml" } "." }))
            }
            @let (title, counted) = if filtered {
                (title.replacen("Searches", "Findings that match the filters,", 1), matching)
            } else {
                (title.to_string(), all)
            };
            @let bars = bars(counted, |value| link(facet, Some(value)));
            @if bars.is_empty() {
                p { "None." }
            } @else {
                @let mut svg = String::new();
                ({ svg::bar_chart(&mut svg, &title, &bars); chart(&svg, None) })
            }
        }
    }
}

/// The law's questions, in the vocabulary's phrases: for each kind of sharing, the verdict and
/// the rules that decide it.
fn law_section(state: &AppState, summary: &RunSummary) -> Markup {
    if summary.decisions.is_empty() {
        return html! {};
    }
    let vocabulary = state.corpus().vocabulary();
    table(
        &[
            Column::text("Verdict"),
            Column::text("Sharing with"),
            Column::text("Purpose"),
            Column::text("Dates"),
            Column::number("Searches"),
            Column::text("Because"),
        ],
        None,
        html! {
            @for decision in &summary.decisions {
                tr {
                    td { (verdict_badge(&decision.verdict, &words(&decision.verdict))) }
                    td { (vocabulary.phrase_or_word(WordKind::Counterparty, &decision.counterparty)) }
                    td { (vocabulary.phrase_or_word(WordKind::Purpose, &decision.purpose)) }
                    td { (decision.from) " – " (decision.until) }
                    (number_cell(decision.searches))
                    td {
                        @for (index, rule) in decision.determining.iter().enumerate() {
                            @if index > 0 { "; " }
                            (citation(&rule.citation, Some(&rule.url), Some(&super::rule_url(&rule.id))))
                        }
                        @if let Some(error) = &decision.error { (error) }
                    }
                }
            }
        },
    )
}

/// The flags, with what each means and whether it makes a search a finding.
fn flags_section(summary: &RunSummary) -> Markup {
    let flagged: Vec<(remit_audit::Flag, u64)> = remit_audit::Flag::ALL
        .iter()
        .filter_map(|&flag| {
            let searches = summary.by_flag.get(flag.name()).copied().unwrap_or(0);
            (searches > 0).then_some((flag, searches))
        })
        .collect();
    html! {
        h2 { "What was flagged" }
        @if flagged.is_empty() {
            p { "No search was flagged." }
        } @else {
            p.note {
                "A flag such as a vague reason marks a search for a reader's attention; only the flags marked \"yes\" below make a search a "
                em { "finding" } ", so a searcher may have flagged searches and no findings."
            }
            (table(
                &[
                    Column::text("Flag"),
                    Column::number("Searches"),
                    Column::text("Counts as a finding"),
                    Column::text("Meaning"),
                ],
                None,
                html! {
                    @for (flag, searches) in &flagged {
                        tr {
                            td { (flag_words(flag.name())) }
                            (number_cell(*searches))
                            td { (if flag.makes_finding() { "yes" } else { "no" }) }
                            td { (flag.meaning()) }
                        }
                    }
                },
            ))
        }
    }
}

/// The searchers with the most searches.
fn searchers_section(summary: &RunSummary) -> Markup {
    html! {
        h2 { "Top searchers" }
        (table(
            &[
                Column::text("Searcher"),
                Column::text("State"),
                Column::text("Kind"),
                Column::number("Searches"),
                Column::number("Findings"),
                Column::number("Forbidden"),
                Column::text("First"),
                Column::text("Last"),
            ],
            None,
            html! {
                @for searcher in &summary.top_searchers {
                    tr {
                        td { (searcher.name) }
                        td { (searcher.state.as_deref().unwrap_or("")) }
                        td { (words(&searcher.class)) }
                        (number_cell(searcher.searches))
                        (number_cell(searcher.findings))
                        (number_cell(searcher.forbidden))
                        td { (day_of(searcher.first.as_deref().unwrap_or(""))) }
                        td { (day_of(searcher.last.as_deref().unwrap_or(""))) }
                    }
                }
            },
        ))
    }
}

/// The findings: the filters in force, the facets, one page of the matching findings (the
/// verdict first) and the pager.
fn findings_section(
    summary: &RunSummary,
    params: &Params,
    selection: &Selection,
    paged: Option<usize>,
    link: &dyn Fn(&str, Option<&str>) -> Option<String>,
) -> Markup {
    let counts = &selection.counts;
    let active: Vec<(&str, &str)> = FACETS
        .iter()
        .filter_map(|(p, _)| params.get(p).map(|v| (*p, v)))
        .collect();
    let total = usize::try_from(counts.total).unwrap_or(usize::MAX);
    html! {
        h2 #findings { "Findings" }
        p {
            "Searches flagged by the audit: a verdict against sharing, a reason of concern, a federal or out-of-state searcher, a vague or missing reason. Officer names and plates are redacted, and plates and users' names written in reasons are masked, unless the audit was run to keep them."
        }
        @if !active.is_empty() {
            p {
                "Showing only: "
                @for (parameter, value) in &active {
                    (words(parameter)) " = " strong { (words(value)) } " "
                    @if let Some(url) = link(parameter, None) {
                        "(" a href=(url) { "remove" } ") "
                    }
                }
            }
        }
        (facets(html! {
            @for (parameter, label) in FACETS {
                @let values: Vec<Facet> = facet(counts, parameter)
                    .iter()
                    .map(|(value, number)| Facet {
                        label: words(value),
                        count: *number,
                        href: link(parameter, Some(value)),
                        selected: params.get(parameter) == Some(value.as_str()),
                    })
                    .collect();
                (facet_list(&format!("By {label}"), &values))
            }
        }))
        @match paged {
            Some(offset) => {
                p { (count(counts.total)) " findings match; the CSV has all of them." }
                @let base = link("", None)
                    .as_deref()
                    .and_then(|url| url.split('#').next())
                    .unwrap_or_default()
                    .to_string();
                (pager(offset, PAGE_OF_FINDINGS, total, |offset| {
                    let joiner = if base.contains('?') { '&' } else { '?' };
                    format!("{base}{joiner}offset={offset}#findings")
                }))
            }
            None => p {
                (count(counts.total)) " findings match"
                @if counts.total > SHOWN as u64 {
                    "; the first " (SHOWN) " are shown, the CSV has all of them"
                }
                "."
            },
        }
        (table(
            &[
                Column::text("Verdict"),
                Column::text("When (UTC)"),
                Column::text("Searcher"),
                Column::text("State"),
                Column::text("Reason given"),
                Column::text("Read as"),
                Column::text("Why flagged"),
                Column::number("Line"),
            ],
            None,
            html! {
                @for finding in &selection.rows {
                    tr {
                        td { (verdict_badge(&finding.verdict, &words(&finding.verdict))) }
                        td { (finding.time_utc.replace('T', " ").replace('Z', "")) }
                        td { (finding.searcher) }
                        td { (finding.searcher_state.as_deref().unwrap_or("")) }
                        td { (finding.reason) }
                        td { (evidence_words(&finding.categories.join(";"), &finding.evidence)) }
                        td { (flag_words(&finding.flags.join(";"))) }
                        td.n { (finding.line) }
                    }
                }
            },
        ))
        p.disclaimer {
            (summary.disclaimer) " Corpus " (summary.corpus_version) ", classifier "
            (summary.classifier_version) "."
        }
    }
}
