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

use super::file_name;
use crate::AppState;
use crate::html::{count, e, push, query_string, table_end, table_head, words};
use crate::response::{DataSource, Format, Page, Params, Table, WebError};
use crate::svg::{self, Bar, Series};

/// A stored run that the server names and describes itself (the demo's audits): its address
/// `/audits/{slug}`, title and source replace the generic ones of a run `remit audit` stored.
#[derive(Debug, Clone)]
pub struct AuditLabel {
    pub slug: String,
    /// The run in the server's store (`audit_runs.id`).
    pub run_id: i64,
    pub title: String,
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

/// Whether `YYYY-MM-DD` is the last day of its month.
fn is_month_end(day: &str) -> bool {
    let (Some(year), Some(month), Some(date)) = (
        day.get(..4).and_then(|y| y.parse::<i32>().ok()),
        day.get(5..7).and_then(|m| m.parse::<u8>().ok()),
        day.get(8..10).and_then(|d| d.parse::<u8>().ok()),
    ) else {
        return false;
    };
    date == remit_law::date::days_in_month(year, month)
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
            let mut body = String::from(
                "<h1>Plate-reader audits</h1><p>Agencies release the logs of searches run on their license-plate-reader data. An audit reads such a log, sorts each search's stated reason into reviewable categories, works out who searched, and asks the law whether the data's owner could share its data with that searcher for that purpose on that day.</p>",
            );
            if state.options().demo && !state.audits().is_empty() {
                body.push_str("<p class=\"error\"><strong>Demo data:</strong> the audits marked (demo) are of self-made sample logs, not of a real agency's searches.</p>");
            }
            if entries.is_empty() {
                body.push_str("<p>No audit is loaded. Audit a log with <code>remit audit FILE --owner AGENCY</code>");
                if state.options().allow_uploads {
                    body.push_str(", or <a href=\"/-/upload\">upload one</a>");
                }
                body.push_str("; <code>remit serve --demo</code> shows a generated one.</p>");
            } else {
                table_head(
                    &mut body,
                    &["audit", "data owner", "searches", "findings", "period"],
                );
                for entry in &entries {
                    push!(
                        &mut body,
                        "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{} – {}</td></tr>",
                        e(&entry.page),
                        e(&entry.title),
                        e(entry.owner.as_deref().unwrap_or("")),
                        count(entry.events),
                        count(entry.findings),
                        e(entry.first.as_deref().unwrap_or("")),
                        e(entry.last.as_deref().unwrap_or(""))
                    );
                }
                table_end(&mut body);
            }
            if state.options().allow_uploads {
                body.push_str("<p><a href=\"/-/upload\">Upload an audit export or a sharing list</a> to get its report.</p>");
            }
            page.html(&body)
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
        Err(error) => push!(body, "<p class=\"error\">{}</p>", e(&error.to_string())),
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
    let counts = &selection.counts;
    let facet_url = |report: &Shown<'_>, params: &Params, set: &str, value: Option<&str>| {
        linked.then(|| facet_url(report, params, set, value))
    };
    let summary = &report.summary;
    push!(body, "<h1>{}</h1>", e(&report.title));
    if state.options().demo && report.demo {
        body.push_str("<p class=\"error\"><strong>Demo data:</strong> a self-made sample log, not a real agency's searches.</p>");
    }
    match &summary.owner {
        Some(owner) => push!(
            body,
            "<p>Data owner: <strong>{}</strong>{}{} (the agency whose cameras were searched; the law asked is the one that bound it).</p>",
            e(&owner.name),
            owner
                .state
                .as_deref()
                .map_or(String::new(), |s| format!(", {}", e(s))),
            owner.ori.as_deref().map_or(String::new(), |o| format!(
                "<details><summary>Technical details</summary>FBI agency code (ORI) <code>{}</code></details>",
                e(o)
            ))
        ),
        None => body
            .push_str("<p>The data's owner was not named, so no law question could be asked.</p>"),
    }
    // The owner's other records: its agency page joins its 287(g) history and sharing lists.
    if linked
        && let Some(owner) = &summary.owner
        && let Some(agency) = super::agencies::collect(state).ok().and_then(|all| {
            super::agencies::find(&all, "", &owner.name)
                .or_else(|| {
                    owner
                        .ori
                        .as_deref()
                        .and_then(|ori| super::agencies::find(&all, "", ori))
                })
                .cloned()
        })
    {
        push!(
            body,
            "<p><a href=\"{}\">Everything the records hold about {}</a>: its sharing list, 287(g) history, other audits and the law that binds it.</p>",
            e(&agency.url),
            e(&agency.name)
        );
    }
    push!(
        body,
        "<p class=\"headline\"><strong>{} searches from {} to {} by {} searcher{}; {} of them <a href=\"#findings\">findings</a>.</strong> {}</p>",
        count(summary.events),
        e(day_of(summary.period.first.as_deref().unwrap_or("?"))),
        e(day_of(summary.period.last.as_deref().unwrap_or("?"))),
        count(summary.searchers as u64),
        if summary.searchers == 1 { "" } else { "s" },
        count(report.findings_total),
        if summary.rejected == 0 {
            "Every row of the log could be read.".to_string()
        } else {
            format!(
                "{} rows could not be read and were set aside.",
                count(summary.rejected)
            )
        }
    );

    // Reach: one search can sweep many agencies' cameras at once.
    if summary.max_networks_searched > 0 || summary.max_devices_searched > 0 {
        push!(
            body,
            "<p>Reach: a single search here reached up to {} networks and {} cameras.</p>",
            count(u64::from(summary.max_networks_searched)),
            count(u64::from(summary.max_devices_searched))
        );
    }

    // The question most readers come with.
    let immigration = &counts.immigration_by_searcher;
    body.push_str("<h2 id=\"immigration\">Searches for immigration reasons</h2>");
    if immigration.is_empty() {
        body.push_str("<p>No search in this audit gives a reason the classifier reads as immigration enforcement.</p>");
    } else {
        push!(
            body,
            "<p>{} searches by {} searchers give a reason that names immigration enforcement (the matched words are shown with each search below).</p>",
            count(immigration.iter().map(|s| s.findings).sum()),
            immigration.len()
        );
        table_head(
            body,
            &[
                "Verdict for sharing with it",
                "Searcher",
                "State",
                "Kind",
                "Searches",
            ],
        );
        for searcher in immigration {
            let verdicts: Vec<String> = searcher.verdicts.iter().map(|v| words(v)).collect();
            push!(
                body,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                e(&verdicts.join(", ")),
                e(&searcher.searcher),
                e(&searcher.state),
                e(&words(&searcher.class)),
                count(searcher.findings)
            );
        }
        table_end(body);
        if let Some(url) = facet_url(report, params, "category", Some("immigration")) {
            push!(
                body,
                "<p><a href=\"{}\">Show only these searches</a></p>",
                e(&url)
            );
        }
    }

    // Charts.
    body.push_str("<h2>Searches per month</h2>");
    if FACETS
        .iter()
        .any(|(parameter, _)| params.get(parameter).is_some())
    {
        body.push_str("<p class=\"note\">The charts count every search of the audit; the filters chosen apply to the <a href=\"#findings\">findings</a> below.</p>");
    }
    // A month the log covers only in part is marked, so that its lower count is not read as a
    // drop in searching.
    let first = summary.period.first.as_deref().unwrap_or("");
    let last = summary.period.last.as_deref().unwrap_or("");
    let months: Vec<&String> = summary.by_month.keys().collect();
    let mut partial = Vec::new();
    let labels: Vec<String> = months
        .iter()
        .enumerate()
        .map(|(index, month)| {
            let starts_late = index == 0 && first.get(8..10).is_some_and(|d| d != "01");
            let ends_early =
                index + 1 == months.len() && last.get(..10).is_some_and(|day| !is_month_end(day));
            if starts_late || ends_early {
                partial.push((*month).clone());
                format!("{month}*")
            } else {
                (*month).clone()
            }
        })
        .collect();
    body.push_str("<div class=\"chart\">");
    svg::line_chart(
        body,
        "Searches per month",
        &labels,
        &[Series {
            name: "searches".to_string(),
            values: summary.by_month.values().copied().collect(),
        }],
    );
    body.push_str("</div>");
    if !partial.is_empty() {
        push!(
            body,
            "<p class=\"note\">* The log covers only part of {} (from {} to {}): a lower count there is not a drop in searching.</p>",
            e(&partial.join(" and ")),
            e(day_of(first)),
            e(day_of(last))
        );
    }
    // Each count as a bar chart whose bars link to the findings faceted on that value.
    let charts: [(&str, &str, &BTreeMap<String, u64>, &str); 4] = [
        (
            "<h2>Why: reason categories</h2><p class=\"note\">A search may fall in several categories, read from the words of the reason the searcher typed.</p><details><summary>Technical details</summary>The categories and their words are in <code>classifiers/reasons.toml</code>.</details>",
            "Searches by reason category",
            &summary.by_category,
            "category",
        ),
        (
            "<h2>Who: searchers by state</h2>",
            "Searches by searcher's state",
            &summary.by_searcher_state,
            "searcher_state",
        ),
        (
            "<h2>Who: searchers by class</h2>",
            "Searches by searcher class",
            &summary.by_searcher_class,
            "searcher_class",
        ),
        (
            "<h2>What the law says</h2>",
            "Searches by verdict on sharing with the searcher",
            &summary.by_verdict,
            "verdict",
        ),
    ];
    for (heading, title, counts, facet) in charts {
        body.push_str(heading);
        body.push_str("<div class=\"chart\">");
        svg::bar_chart(
            body,
            title,
            &bars(counts, |value| {
                facet_url(report, params, facet, Some(value))
            }),
        );
        body.push_str("</div>");
    }
    if !summary.decisions.is_empty() {
        // The law's questions in the vocabulary's phrases.
        let vocabulary = state.corpus().vocabulary();
        table_head(
            body,
            &[
                "sharing with",
                "purpose",
                "dates",
                "verdict",
                "searches",
                "because",
            ],
        );
        for decision in &summary.decisions {
            push!(
                body,
                "<tr><td>{}</td><td>{}</td><td>{} – {}</td><td>{}</td><td class=\"n\">{}</td><td>",
                e(vocabulary.phrase_or_word(WordKind::Counterparty, &decision.counterparty)),
                e(vocabulary.phrase_or_word(WordKind::Purpose, &decision.purpose)),
                e(&decision.from),
                e(&decision.until),
                e(&words(&decision.verdict)),
                count(decision.searches)
            );
            for (index, rule) in decision.determining.iter().enumerate() {
                if index > 0 {
                    body.push_str("; ");
                }
                crate::html::external_link(body, &rule.url, &rule.citation);
                push!(body, " (<a href=\"/rules/{}\">the rule</a>)", e(&rule.id));
            }
            if let Some(error) = &decision.error {
                push!(body, "{}", e(error));
            }
            body.push_str("</td></tr>");
        }
        table_end(body);
    }

    // Flags, with what each means.
    body.push_str("<h2>What was flagged</h2>");
    let flagged: Vec<(remit_audit::Flag, u64)> = remit_audit::Flag::ALL
        .iter()
        .filter_map(|&flag| {
            let searches = summary.by_flag.get(flag.name()).copied().unwrap_or(0);
            (searches > 0).then_some((flag, searches))
        })
        .collect();
    if flagged.is_empty() {
        body.push_str("<p>No search was flagged.</p>");
    } else {
        body.push_str("<p class=\"note\">A flag such as a vague reason marks a search for a reader's attention; only the flags marked \"yes\" below make a search a <em>finding</em>, so a searcher may have flagged searches and no findings.</p>");
        table_head(
            body,
            &["Flag", "Searches", "Counts as a finding", "Meaning"],
        );
        for (flag, searches) in flagged {
            push!(
                body,
                "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
                e(&words(flag.name())),
                count(searches),
                if flag.makes_finding() { "yes" } else { "no" },
                e(flag.meaning())
            );
        }
        table_end(body);
    }

    // Top searchers.
    body.push_str("<h2>Top searchers</h2>");
    table_head(
        body,
        &[
            "Searcher",
            "State",
            "Kind",
            "Searches",
            "Findings",
            "Forbidden",
            "First",
            "Last",
        ],
    );
    for searcher in &summary.top_searchers {
        push!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            e(&searcher.name),
            e(searcher.state.as_deref().unwrap_or("")),
            e(&words(&searcher.class)),
            count(searcher.searches),
            count(searcher.findings),
            count(searcher.forbidden),
            e(day_of(searcher.first.as_deref().unwrap_or(""))),
            e(day_of(searcher.last.as_deref().unwrap_or("")))
        );
    }
    table_end(body);

    // Findings, faceted.
    body.push_str("<h2 id=\"findings\">Findings</h2><p>Searches flagged by the audit: a verdict against sharing, a reason of concern, a federal or out-of-state searcher, a vague or missing reason. Officer names and plates are redacted, and plates and users' names written in reasons are masked, unless the audit was run to keep them.</p>");
    let active: Vec<(&str, &str)> = FACETS
        .iter()
        .filter_map(|(p, _)| params.get(p).map(|v| (*p, v)))
        .collect();
    if !active.is_empty() {
        body.push_str("<p>Showing only: ");
        for (parameter, value) in &active {
            push!(
                body,
                "{} = <strong>{}</strong> ",
                e(&words(parameter)),
                e(&words(value))
            );
            if let Some(url) = facet_url(report, params, parameter, None) {
                push!(body, "(<a href=\"{}\">remove</a>) ", e(&url));
            }
        }
        body.push_str("</p>");
    }
    body.push_str("<div style=\"display:flex;flex-wrap:wrap;gap:1.5rem\">");
    for (parameter, label) in FACETS {
        // A facet with no values (no finding has a searcher class, say) shows no empty heading.
        if facet(counts, parameter).is_empty() {
            continue;
        }
        push!(body, "<div><strong>By {}</strong><ul>", e(label));
        for (value, &number) in facet(counts, parameter) {
            match facet_url(report, params, parameter, Some(value)) {
                Some(url) => push!(
                    body,
                    "<li><a href=\"{}\">{}</a> {}</li>",
                    e(&url),
                    e(&words(value)),
                    count(number)
                ),
                None => push!(body, "<li>{} {}</li>", e(&words(value)), count(number)),
            }
        }
        body.push_str("</ul></div>");
    }
    body.push_str("</div>");
    match paged {
        Some(offset) => {
            push!(
                body,
                "<p>{} findings match; the CSV has all of them.</p>",
                count(counts.total)
            );
            let filtered = facet_url(report, params, "", None);
            crate::html::pager(
                body,
                offset,
                PAGE_OF_FINDINGS,
                usize::try_from(counts.total).unwrap_or(usize::MAX),
                |offset| {
                    let base = filtered
                        .as_deref()
                        .and_then(|url| url.split('#').next())
                        .unwrap_or_default()
                        .to_string();
                    let joiner = if base.contains('?') { '&' } else { '?' };
                    format!("{base}{joiner}offset={offset}#findings")
                },
            );
        }
        None => push!(
            body,
            "<p>{} findings match{}.</p>",
            count(counts.total),
            if counts.total > SHOWN as u64 {
                format!("; the first {SHOWN} are shown, the CSV has all of them")
            } else {
                String::new()
            }
        ),
    }
    table_head(
        body,
        &[
            "Verdict",
            "When (UTC)",
            "Searcher",
            "State",
            "Reason given",
            "Read as",
            "Why flagged",
            "Line",
        ],
    );
    for finding in &selection.rows {
        push!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            e(&words(&finding.verdict)),
            e(&finding.time_utc.replace('T', " ").replace('Z', "")),
            e(&finding.searcher),
            e(finding.searcher_state.as_deref().unwrap_or("")),
            e(&finding.reason),
            e(&evidence_words(
                &finding.categories.join(";"),
                &finding.evidence
            )),
            e(&flag_words(&finding.flags.join(";"))),
            finding.line
        );
    }
    table_end(body);
    push!(
        body,
        "<p class=\"disclaimer\">{} Corpus {}, classifier {}.</p>",
        e(&summary.disclaimer),
        e(&summary.corpus_version),
        e(&summary.classifier_version)
    );
}
