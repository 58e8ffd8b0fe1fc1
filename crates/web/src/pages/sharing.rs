//! `/sharing` and `/sharing/{owner}`: whom agencies share plate-reader data with, by class and
//! state, and which of those edges the owner's law forbids, with citations.
//!
//! Everything comes from remit-sharing's queries (`lists`, `state_report`, `owner_report`,
//! `find_owner`, `edges`) on the store; this module only arranges it. Local file paths in the
//! reports are cut to file names before they are shown.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use remit_sharing::{EdgeFilter, EdgeRow, Sharing, SharingError};
use serde::Serialize;

use super::{file_name, state_name};
use crate::AppState;
use maud::{Markup, html};

use crate::components::{Column, chart, number_cell, table, verdict_badge};
use crate::html::{count, path_component, words};
use crate::parts::{external, technical};
use crate::response::{DataSource, Format, Page, Params, Table, WebError};
use crate::svg::{self, Bar, MapValue};

/// The sharing tables in the store: `Ok(None)` when there is no store or it holds none. Serving
/// never writes: tables of another version are shown as absent.
pub(crate) fn with_sharing<T>(
    state: &AppState,
    read: impl FnOnce(&Sharing<'_>) -> Result<T, SharingError>,
) -> Result<Option<T>, WebError> {
    let result = state.with_store_mut(|store| {
        let version = store.schema_version(remit_sharing::SCHEMA.component)?;
        if version != Some(remit_sharing::SCHEMA.latest()) {
            return Ok(None);
        }
        let sharing = Sharing::open(store)?;
        read(&sharing).map(Some)
    });
    match result {
        None => Ok(None),
        Some(Ok(value)) => Ok(value),
        Some(Err(error)) => Err(sharing_error(error)),
    }
}

fn sharing_error(error: SharingError) -> WebError {
    let help = error.help();
    let web = match &error {
        SharingError::NoOwnerLists { .. } | SharingError::Empty => {
            WebError::not_found(error.to_string())
        }
        SharingError::AmbiguousOwner { .. } | SharingError::BadState { .. } => {
            WebError::bad_request(error.to_string())
        }
        _ => return WebError::internal(error),
    };
    match help {
        Some(help) => web.with_help(help),
        None => web,
    }
}

/// Cuts every local path in a report to its file name (`source_path`, `sources`).
fn strip_paths(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                match (key.as_str(), &mut *inner) {
                    ("source_path", serde_json::Value::String(path)) => {
                        *path = file_name(path).to_string();
                    }
                    ("sources", serde_json::Value::Array(items)) => {
                        for item in items.iter_mut() {
                            if let serde_json::Value::String(path) = item {
                                *path = file_name(path).to_string();
                            }
                        }
                    }
                    _ => strip_paths(inner),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_paths),
        _ => {}
    }
}

pub(crate) fn json_without_paths<T: Serialize>(value: &T) -> Result<serde_json::Value, WebError> {
    let mut json = serde_json::to_value(value).map_err(WebError::internal)?;
    strip_paths(&mut json);
    Ok(json)
}

/// Where the sharing lists come from, for the footer and the JSON twin.
pub(crate) fn source(state: &AppState, lists: &[remit_sharing::ListRef]) -> DataSource {
    let mut dates: Vec<&str> = lists.iter().map(|l| l.date.as_str()).collect();
    dates.sort_unstable();
    DataSource {
        name: format!(
            "{} sharing list{}: agencies' transparency portals and public-records releases",
            lists.len(),
            if lists.len() == 1 { "" } else { "s" }
        ),
        url: None,
        licence: "as published by each agency (public records)".to_string(),
        date: format!(
            "lists dated {} to {}",
            dates.first().copied().unwrap_or("?"),
            dates.last().copied().unwrap_or("?")
        ),
        note: state
            .options()
            .demo
            .then(|| "Demo: a self-made sample list, not a real agency's.".to_string()),
    }
}

fn owner_url(key: &str) -> String {
    format!("/sharing/{}", path_component(key))
}

pub(crate) fn edge_table(edges: &[EdgeRow]) -> Table {
    let mut table = Table::new(&[
        "owner",
        "recipient",
        "recipient_as_written",
        "recipient_ori",
        "recipient_state",
        "recipient_class",
        "group",
        "counterparty",
        "date",
        "verdict",
        "rules",
        "confidence",
        "direction",
        "list",
        "line",
    ]);
    for edge in edges {
        table.push(vec![
            edge.owner.clone(),
            edge.recipient_name.clone(),
            edge.recipient.clone(),
            edge.recipient_ori.clone().unwrap_or_default(),
            edge.recipient_state.clone().unwrap_or_default(),
            edge.recipient_class.clone(),
            edge.group.as_str().to_string(),
            edge.counterparty.clone().unwrap_or_default(),
            edge.date.clone(),
            edge.verdict.as_str().to_string(),
            edge.rules.join(" "),
            format!("{:.2}", edge.confidence),
            edge.direction.clone(),
            file_name(&edge.source_path).to_string(),
            edge.line.to_string(),
        ]);
    }
    table
}

fn empty(state: &AppState, page: Page, format: Format) -> Response {
    match format {
        Format::Html => {
            let advice = if state.has_store() {
                "The store holds no sharing lists."
            } else {
                "No store is open."
            };
            page.html(&format!(
                "<h1>Plate-reader sharing</h1><p>{advice} Import transparency-portal archives and sharing lists with <code>remit sharing import FILES</code>, then serve again; or run <code>remit serve --demo</code> to see this page with a sample list.</p>"
            ))
        }
        _ => no_lists().into_response(),
    }
}

/// The error of the JSON and CSV twins when the store holds no sharing lists.
fn no_lists() -> WebError {
    WebError::not_found("the store holds no sharing lists")
        .with_help("import lists with `remit sharing import FILES`, or run `remit serve --demo`")
}

#[derive(Serialize)]
struct StateLine {
    state: String,
    name: &'static str,
    owners: usize,
    owners_sharing_out_of_state_or_federal: u64,
    owners_with_forbidden: u64,
    #[serde(flatten)]
    totals: remit_sharing::Counts,
}

/// `/sharing` (every state with lists) and `/sharing?state=CA` (that state's owners ranked by
/// forbidden edges).
pub async fn overview(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let page = Page::new("Plate-reader sharing", "/sharing", "/sharing")
        .with_query(params.raw())
        .with_csv();
    let wanted = match params.get("state") {
        None => None,
        Some(text) => match remit_registry::parse_state(text) {
            Some(code) => Some(code.to_string()),
            None => {
                return WebError::bad_request(format!("`state`: `{text}` names no US state"))
                    .with_help("use a two-letter code such as `CA`")
                    .into_response();
            }
        },
    };
    let found = with_sharing(&state, |sharing| {
        let lists = sharing.lists()?;
        let mut states: Vec<String> = lists.iter().filter_map(|l| l.owner_state.clone()).collect();
        states.sort();
        states.dedup();
        let report = match &wanted {
            Some(code) => Some(sharing.state_report(code)?),
            None => None,
        };
        let mut lines = Vec::new();
        if report.is_none() {
            for code in &states {
                let report = sharing.state_report(code)?;
                lines.push(StateLine {
                    name: state_name(code),
                    state: code.clone(),
                    owners: report.owners.len(),
                    owners_sharing_out_of_state_or_federal: report
                        .owners_sharing_out_of_state_or_federal,
                    owners_with_forbidden: report.owners_with_forbidden,
                    totals: report.totals,
                });
            }
        }
        let edges = if format == Format::Csv {
            sharing.edges(&EdgeFilter {
                state: wanted.clone(),
                current_only: true,
                ..EdgeFilter::default()
            })?
        } else {
            Vec::new()
        };
        Ok((lists, lines, report, edges))
    });
    let (lists, lines, report, edges) = match found {
        Ok(Some(found)) if !found.0.is_empty() => found,
        Ok(_) => return empty(&state, page, format),
        Err(error) => return error.into_response(),
    };
    let page = page.with_sources(vec![
        source(&state, &lists),
        super::corpus_source(state.corpus()),
    ]);
    match format {
        Format::Csv => page.csv(&edge_table(&edges)),
        Format::Json => {
            let data = match &report {
                Some(report) => json_without_paths(report),
                None => json_without_paths(&serde_json::json!({ "states": lines, "lists": lists })),
            };
            match data {
                Ok(data) => page.json(&data),
                Err(error) => error.into_response(),
            }
        }
        Format::Html => {
            let mut body = String::with_capacity(64 * 1024);
            match &report {
                Some(report) => render_state(&mut body, &state, report),
                None => render_states(&mut body, &state, &lines, &lists),
            }
            page.html(&body)
        }
    }
}

/// The note that the demo's list is self-made.
fn demo_banner(demo: bool) -> Markup {
    html! {
        @if demo {
            p.error { strong { "Demo data:" } " a self-made sample sharing list, not a real agency's." }
        }
    }
}

fn render_states(
    body: &mut String,
    state: &AppState,
    lines: &[StateLine],
    lists: &[remit_sharing::ListRef],
) {
    let page = html! {
        h1 { "Plate-reader sharing" }
        (demo_banner(state.options().demo))
        p {
            "Agencies publish whom they let reach their license-plate-reader data: transparency portals list the organizations with access, and public-records releases give sharing lists. Each entry is an edge from the data's owner to a recipient; Remit works out who the recipient is and asks the owner's law whether it may share with it on the list's date."
        }
        (table(
            &[
                Column::text("State"),
                Column::number("Owners"),
                Column::number("Sharing out of state or federally"),
                Column::number("With forbidden edges"),
                Column::number("Recipients"),
                Column::number("In state"),
                Column::number("Out of state"),
                Column::number("Federal"),
                Column::number("Private"),
                Column::number("Unknown"),
                Column::number("Forbidden edges"),
            ],
            None,
            html! {
                @for line in lines {
                    tr {
                        td { a href={ "/sharing?state=" (line.state) } { (line.name) } }
                        (number_cell(line.owners as u64))
                        (number_cell(line.owners_sharing_out_of_state_or_federal))
                        (number_cell(line.owners_with_forbidden))
                        (number_cell(line.totals.recipients))
                        (number_cell(line.totals.in_state))
                        (number_cell(line.totals.out_of_state))
                        (number_cell(line.totals.federal))
                        (number_cell(line.totals.private))
                        (number_cell(line.totals.unknown))
                        (number_cell(line.totals.forbidden))
                    }
                }
            },
        ))
        h2 { "Lists" }
        (table(
            &[
                Column::text("Owner"),
                Column::text("Dated"),
                Column::number("Shares with"),
                Column::number("Receives from"),
                Column::text("Prohibits immigration use"),
            ],
            None,
            html! {
                @for list in lists {
                    tr {
                        td {
                            @match &list.owner_key {
                                Some(key) => a href=(owner_url(key)) { (list.owner) },
                                None => (list.owner),
                            }
                        }
                        td { (list.date) }
                        (number_cell(list.outbound))
                        (number_cell(list.inbound))
                        td { (if list.immigration_use_prohibited { "yes" } else { "" }) }
                    }
                }
            },
        ))
    };
    body.push_str(&page.into_string());
}

fn counts_bars(counts: &remit_sharing::Counts) -> Vec<Bar> {
    [
        ("in state", counts.in_state),
        ("out of state", counts.out_of_state),
        ("federal", counts.federal),
        ("private", counts.private),
        ("unknown", counts.unknown),
    ]
    .into_iter()
    .map(|(label, value)| Bar {
        label: label.to_string(),
        value,
        href: None,
    })
    .collect()
}

/// The rules that forbid the edges, each with its citation, summary and how many edges it
/// forbids.
fn citations(citations: &[remit_sharing::CitedRule]) -> Markup {
    html! {
        @if !citations.is_empty() {
            h2 { "The rules that forbid them" }
            ul {
                @for rule in citations {
                    li {
                        strong { (external(&rule.url, &rule.citation)) }
                        " (" (rule.title) "): " (rule.summary) " "
                        span.note {
                            a href=(super::rule_url(&rule.id)) { "the rule" } ", "
                            (words(&rule.provenance)) ", " (count(rule.edges))
                            (if rule.edges == 1 { " edge" } else { " edges" })
                        }
                        @for also in &rule.also_cites {
                            " · see also " (external(&also.url, &also.citation))
                        }
                        (technical(html! { "Rule " code { (rule.id) } }))
                    }
                }
            }
        }
    }
}

/// The caveats of a report and the disclaimer.
fn caveats(caveats: &[String], disclaimer: &str) -> Markup {
    html! {
        @if !caveats.is_empty() {
            h2 { "Caveats" }
            ul { @for caveat in caveats { li { (caveat) } } }
        }
        p.disclaimer { (disclaimer) }
    }
}

fn render_state(body: &mut String, state: &AppState, report: &remit_sharing::StateReport) {
    // Only owners with forbidden edges are ranked; the others are listed apart, so that a rank
    // never suggests a fault where the law found none, and an empty list is not ranked at all.
    let (forbidden, rest): (Vec<&remit_sharing::OwnerSummary>, Vec<_>) =
        report.owners.iter().partition(|o| o.counts.forbidden > 0);
    let (sharing, empty): (Vec<&remit_sharing::OwnerSummary>, Vec<_>) =
        rest.into_iter().partition(|o| o.counts.recipients > 0);
    let columns = [
        Column::text("Owner"),
        Column::text("Dated"),
        Column::number("Recipients"),
        Column::number("In state"),
        Column::number("Out of state"),
        Column::number("Federal"),
        Column::number("Private"),
        Column::number("Forbidden"),
        Column::text("Prohibits immigration use"),
    ];
    let rows = |owners: &[&remit_sharing::OwnerSummary], ranked: bool| {
        html! {
            @for (index, owner) in owners.iter().enumerate() {
                tr {
                    @if ranked { (number_cell(index as u64 + 1)) }
                    td { a href=(owner_url(&owner.key)) { (owner.owner) } }
                    td { (owner.date.as_deref().unwrap_or("")) }
                    (number_cell(owner.counts.recipients))
                    (number_cell(owner.counts.in_state))
                    (number_cell(owner.counts.out_of_state))
                    (number_cell(owner.counts.federal))
                    (number_cell(owner.counts.private))
                    (number_cell(owner.counts.forbidden))
                    td { (if owner.immigration_use_prohibited { "yes" } else { "" }) }
                }
            }
        }
    };
    let mut bars = String::new();
    svg::bar_chart(
        &mut bars,
        "Recipients by class",
        &counts_bars(&report.totals),
    );
    let ranked_columns: Vec<Column<'_>> = std::iter::once(Column::number("Rank"))
        .chain(columns.iter().copied())
        .collect();
    let page = html! {
        h1 { "Plate-reader sharing in " (state_name(&report.state)) }
        (demo_banner(state.options().demo))
        p.headline {
            strong {
                (report.owners.len()) " owners with lists; "
                (report.owners_sharing_out_of_state_or_federal) " share with out-of-state or federal recipients; "
                (report.owners_with_forbidden) " have edges their state's law forbids ("
                (count(report.totals.forbidden)) " edges in all)."
            }
        }
        (chart(&bars, None))
        @if forbidden.is_empty() {
            h2 { "Owners with forbidden edges" }
            p { "None: no owner in this state shares with a recipient its state's law forbids, on the lists imported." }
        } @else {
            h2 { "Owners ranked by forbidden edges" }
            (table(&ranked_columns, None, rows(&forbidden, true)))
        }
        @if !sharing.is_empty() {
            h2 { "Owners with no forbidden edges" }
            (table(&columns, None, rows(&sharing, false)))
        }
        @if !empty.is_empty() {
            h2 { "Lists with no recipients" }
            ul {
                @for owner in &empty {
                    li { a href=(owner_url(&owner.key)) { (owner.owner) } " (" (owner.date.as_deref().unwrap_or("undated")) ")" }
                }
            }
        }
        (citations(&report.citations))
        (caveats(&report.caveats, report.disclaimer))
    };
    body.push_str(&page.into_string());
}

/// `/sharing/{owner}`: one owner's recipients by class and state, and the forbidden edges with
/// their citations. The owner may be written as its key, an ORI or any name form.
pub async fn owner(
    State(state): State<AppState>,
    format: Format,
    Path(raw): Path<String>,
) -> Response {
    let text = format.id(&raw);
    let resolver = remit_agencies::Resolver::new(
        state
            .directory()
            .cloned()
            .unwrap_or_else(remit_agencies::Directory::builtin),
    );
    let found = with_sharing(&state, |sharing| {
        let key = sharing.find_owner(text, Some(&resolver))?;
        sharing.owner_report(&key)
    });
    let report = match found {
        Ok(Some(found)) => found,
        Ok(None) => {
            return no_lists().into_response();
        }
        Err(error) => {
            // A name written loosely (`Okaloosa`, a misspelling) goes to the one owner it reads
            // as; the error stands when it reads as none or as several.
            return match closest_owner(&state, text) {
                Some(url) => {
                    let target = match format {
                        Format::Html => url,
                        Format::Json => format!("{url}.json"),
                        Format::Csv => format!("{url}.csv"),
                    };
                    let mut response = StatusCode::SEE_OTHER.into_response();
                    if let Ok(value) = HeaderValue::from_str(&target) {
                        response.headers_mut().insert(header::LOCATION, value);
                    }
                    response
                }
                None => error
                    .with_help(
                        "search for the agency with the box above, or see every list at `/sharing`",
                    )
                    .into_response(),
            };
        }
    };
    // The twins keep the form the owner was asked for in.
    let page = Page::new(report.owner.name.clone(), "/sharing", owner_url(text))
        .with_csv()
        .with_sources(vec![
            source(&state, &report.lists),
            super::corpus_source(state.corpus()),
        ]);
    match format {
        Format::Json => match json_without_paths(&report) {
            Ok(data) => page.json(&data),
            Err(error) => error.into_response(),
        },
        Format::Csv => page.csv(&edge_table(&report.edges)),
        Format::Html => {
            let mut body = String::with_capacity(64 * 1024);
            let marked = held_287g(&state, &report);
            render_owner_marked(&mut body, state.options().demo, &report, marked.as_ref());
            // The other direction: the owners whose current lists name this agency as a
            // recipient, each edge checked against the law that binds that owner.
            let inbound = with_sharing(&state, |sharing| {
                sharing.edges(&EdgeFilter {
                    current_only: true,
                    ..EdgeFilter::default()
                })
            });
            if let Ok(Some(edges)) = inbound {
                let into: Vec<&EdgeRow> = edges
                    .iter()
                    .filter(|edge| {
                        edge.recipient_key == report.owner.key && edge.owner_key != report.owner.key
                    })
                    .collect();
                if !into.is_empty() {
                    let section = html! {
                        h2 { "Agencies that share their data with it (" (into.len()) ")" }
                        (table(
                            &[Column::text("Verdict"), Column::text("Owner"), Column::text("List dated")],
                            None,
                            html! {
                                @for edge in &into {
                                    tr {
                                        td { (verdict_badge(edge.verdict.as_str(), &words(edge.verdict.as_str()))) }
                                        td { a href=(owner_url(&edge.owner_key)) { (edge.owner) } }
                                        td { (edge.date) }
                                    }
                                }
                            },
                        ))
                    };
                    body.push_str(&section.into_string());
                }
            }
            if let Some(agency) = super::agencies::collect(&state)
                .ok()
                .and_then(|all| all.into_iter().find(|a| a.key == report.owner.key))
            {
                let link = html! {
                    p {
                        a href=(agency.url) { "Everything the records hold about " (agency.name) }
                        ": its 287(g) history, audits of its data, the law that binds it."
                    }
                };
                body.push_str(&link.into_string());
            }
            page.html(&body)
        }
    }
}

/// The page of the one list owner `text` reads as, by the site search's tolerant matching; `None`
/// when it reads as no owner, or as several equally well.
fn closest_owner(state: &AppState, text: &str) -> Option<String> {
    let agencies = super::agencies::collect(state).ok()?;
    let entries: Vec<super::search::Entry> = agencies
        .into_iter()
        .filter_map(|agency| {
            let url = agency.sharing?;
            Some(super::search::Entry {
                kind: super::search::Kind::Agency,
                title: agency.name,
                detail: String::new(),
                url,
                id: agency.key,
                aliases: agency.aliases,
            })
        })
        .collect();
    let hits = super::search::find(&entries, text);
    match hits.as_slice() {
        [(best, _)] => Some(best.url.clone()),
        [(best, first), (_, second), ..] if first > second => Some(best.url.clone()),
        _ => None,
    }
}

/// `demo` adds the demo banner (not for an uploaded list).
pub(crate) fn render_owner(body: &mut String, demo: bool, report: &remit_sharing::OwnerReport) {
    render_owner_marked(body, demo, report, None);
}

/// The recipients that held a 287(g) agreement with ICE on the date of the owner's list (on
/// the participating sheet as of that day), by party key and ORI; `None` when the store has no
/// sheet on or before that day.
fn held_287g(
    state: &AppState,
    report: &remit_sharing::OwnerReport,
) -> Option<(String, std::collections::BTreeSet<String>)> {
    let date = report.date.as_deref()?;
    let day = remit_registry::Day::parse_iso(date)?;
    let rows = super::registry::with_registry(state, |registry| {
        registry.export(Some(day), &remit_registry::Filter::default())
    })
    .ok()
    .flatten()?;
    let mut keys = std::collections::BTreeSet::new();
    for row in rows.iter().filter(|r| r.status == "active") {
        if let Some(ori) = &row.ori {
            keys.insert(ori.clone());
        }
        keys.insert(super::agencies::key_of(
            state,
            &row.agency,
            Some(&row.state),
        ));
    }
    Some((date.to_string(), keys))
}

/// [`render_owner`], with the recipients that held a 287(g) agreement on the list's date marked.
fn render_owner_marked(
    body: &mut String,
    demo: bool,
    report: &remit_sharing::OwnerReport,
    marked: Option<&(String, std::collections::BTreeSet<String>)>,
) {
    let owner = &report.owner;
    let keys = marked.map(|(_, keys)| keys);
    let mut classes = String::new();
    svg::bar_chart(
        &mut classes,
        "Recipients by class",
        &counts_bars(&report.counts),
    );
    let values: Vec<MapValue> = svg::TILES
        .iter()
        .map(|(code, _, _)| MapValue {
            state: code,
            name: state_name(code),
            value: report.by_state.get(*code).copied().unwrap_or(0),
            href: None,
        })
        .collect();
    let mut by_state = String::new();
    svg::tile_map(&mut by_state, "Recipients per state", "recipients", &values);
    let verdict_bars: Vec<Bar> = report
        .counts
        .by_verdict
        .iter()
        .filter(|(_, v)| **v > 0)
        .map(|(k, v)| Bar {
            label: words(k),
            value: *v,
            href: None,
        })
        .collect();
    let mut verdicts = String::new();
    svg::bar_chart(&mut verdicts, "Edges by verdict", &verdict_bars);
    let counts = &report.counts;
    let page = html! {
        h1 { (owner.name) }
        (demo_banner(demo))
        p {
            (owner.state.as_deref().map_or("", state_name))
            @if let Some(kind) = &owner.kind { " · " (words(kind)) }
            " · lists dated " (report.date.as_deref().unwrap_or("?"))
            @if let Some(ori) = &owner.ori {
                (technical(html! { "FBI agency code (ORI) " code { (ori) } }))
            }
        }
        p.headline {
            strong {
                "Shares its plate-reader data with " (count(counts.recipients)) " recipients ("
                (count(counts.agencies)) " agencies): " (count(counts.in_state)) " in state, "
                (count(counts.out_of_state)) " out of state, " (count(counts.federal)) " federal, "
                (count(counts.private)) " private, " (count(counts.unknown)) " unknown. "
                (count(counts.forbidden)) " of these edges are forbidden by the law that binds it."
            }
        }
        @if report.immigration_use_prohibited {
            p { "Its published policy lists immigration enforcement as a prohibited use." }
        }
        (chart(&classes, None))
        h2 { "State and local recipients by state" }
        (chart(&by_state, None))
        h2 { "What the law says" }
        (chart(&verdicts, None))
        @if !report.flagged.is_empty() {
            h2 { "Forbidden edges (" (report.flagged.len()) ")" }
            @if let Some((date, _)) = marked {
                p.note {
                    "Recipients marked " span.tag.warn { "287(g)" }
                    " held an agreement with ICE on " (date) " (ICE's participating sheet as of that day)."
                }
            }
            (edges_paged(&report.flagged, keys))
        }
        (citations(&report.citations))
        @if !report.unchecked.is_empty() {
            details {
                summary {
                    @if report.unchecked.len() == 1 { "1 entry" } @else { (report.unchecked.len()) " entries" }
                    " not checked (a recipient that could not be told, the owner itself)"
                }
                (edges_html(&report.unchecked, None))
            }
        }
        details {
            summary { "Every recipient (" (report.edges.len()) ")" }
            (edges_html(&report.edges, keys))
        }
        h2 { "Lists" }
        (table(
            &[
                Column::text("Dated"),
                Column::number("Shares with"),
                Column::number("Receives from"),
                Column::text("Uses it prohibits"),
            ],
            None,
            html! {
                @for list in &report.lists {
                    tr {
                        td { (list.date) }
                        (number_cell(list.outbound))
                        (number_cell(list.inbound))
                        td { (list.prohibited_uses.as_deref().unwrap_or("")) }
                    }
                }
            },
        ))
        (technical(html! {
            ul {
                @for list in &report.lists {
                    li { (list.date) ": file " code { (file_name(&list.source_path)) } ", read as " code { (list.format) } }
                }
            }
        }))
        (caveats(&report.caveats, report.disclaimer))
    };
    body.push_str(&page.into_string());
}

/// Forbidden edges shown at once before the rest are folded away: a list of hundreds stays
/// readable on a phone.
const EDGES_SHOWN: usize = 50;

fn edges_paged(edges: &[EdgeRow], marked: Option<&std::collections::BTreeSet<String>>) -> Markup {
    html! {
        (edges_html(&edges[..edges.len().min(EDGES_SHOWN)], marked))
        @if edges.len() > EDGES_SHOWN {
            details {
                summary { "The other " (edges.len() - EDGES_SHOWN) " forbidden edges" }
                (edges_html(&edges[EDGES_SHOWN..], marked))
            }
        }
    }
}

/// Edges of a list as a table, the verdict first; a recipient that held a 287(g) agreement on
/// the list's date (in `marked`, by party key or ORI) is tagged.
fn edges_html(edges: &[EdgeRow], marked: Option<&std::collections::BTreeSet<String>>) -> Markup {
    table(
        &[
            Column::text("Verdict"),
            Column::text("Recipient"),
            Column::text("As the list writes it"),
            Column::text("State"),
            Column::text("Kind"),
            Column::text("The law"),
            Column::number("Line of the list"),
        ],
        None,
        html! {
            @for edge in edges {
                @let held = marked.is_some_and(|keys| {
                    keys.contains(&edge.recipient_key)
                        || edge.recipient_ori.as_ref().is_some_and(|o| keys.contains(o))
                });
                tr {
                    td { (verdict_badge(edge.verdict.as_str(), &words(edge.verdict.as_str()))) }
                    td {
                        (crate::html::agency_name(&edge.recipient_name, &edge.recipient))
                        @if held { " " span.tag.warn { "287(g)" } }
                    }
                    td { (edge.recipient) }
                    td { (edge.recipient_state.as_deref().unwrap_or("")) }
                    td { (words(edge.group.as_str())) }
                    td {
                        @for (index, rule) in edge.rules.iter().enumerate() {
                            @if index > 0 { ", " }
                            a href=(super::rule_url(rule)) { "rule " (index + 1) }
                        }
                    }
                    td.n { (edge.line) }
                }
            }
        },
    )
}

/// Checks one uploaded list in a private in-memory store (never the served one): the same
/// import, resolution and law questions as `remit sharing import`, then the owner's report.
pub(crate) fn check_list(
    path: &std::path::Path,
    owner: Option<String>,
    date: Option<remit_law::Date>,
    sheet: Option<String>,
    corpus: &remit_law::Corpus,
    directory: Option<&remit_agencies::Directory>,
) -> Result<remit_sharing::OwnerReport, SharingError> {
    let mut store = remit_store::Store::open_in_memory()?;
    let mut sharing = Sharing::open(&mut store)?;
    sharing.import(
        path,
        &remit_sharing::ReadOptions {
            owner,
            date,
            sheet,
            direction: None,
            today: crate::today(),
        },
    )?;
    let resolver = remit_agencies::Resolver::new(
        directory
            .cloned()
            .unwrap_or_else(remit_agencies::Directory::builtin),
    );
    let mut checker = remit_sharing::Checker::new(corpus, resolver);
    sharing.refresh(&mut checker, "uploaded list")?;
    let key = sharing
        .lists()?
        .into_iter()
        .find_map(|list| list.owner_key)
        .ok_or_else(|| SharingError::NoOwner {
            path: path.to_path_buf(),
        })?;
    sharing.owner_report(&key)
}
