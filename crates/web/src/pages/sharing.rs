//! `/sharing` and `/sharing/{owner}`: whom agencies share plate-reader data with, by class and
//! state, and which of those edges the owner's law forbids, with citations.
//!
//! Everything comes from remit-sharing's queries (`lists`, `state_report`, `owner_report`,
//! `find_owner`, `edges`) on the store; this module only arranges it. Local file paths in the
//! reports are cut to file names before they are shown.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use remit_sharing::{EdgeFilter, EdgeRow, Sharing, SharingError};
use serde::Serialize;

use super::{file_name, state_name};
use crate::AppState;
use crate::html::{
    count, e, external_link, fragment, path_component, push, table_end, table_head, words,
};
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

fn demo_banner(body: &mut String, demo: bool) {
    if demo {
        body.push_str("<p class=\"error\"><strong>Demo data:</strong> a self-made sample sharing list, not a real agency's.</p>");
    }
}

fn render_states(
    body: &mut String,
    state: &AppState,
    lines: &[StateLine],
    lists: &[remit_sharing::ListRef],
) {
    body.push_str("<h1>Plate-reader sharing</h1>");
    demo_banner(body, state.options().demo);
    body.push_str("<p>Agencies publish whom they let reach their license-plate-reader data: transparency portals list the organizations with access, and public-records releases give sharing lists. Each entry is an edge from the data's owner to a recipient; Remit works out who the recipient is and asks the owner's law whether it may share with it on the list's date.</p>");
    table_head(
        body,
        &[
            "state",
            "owners",
            "sharing out of state or federally",
            "with forbidden edges",
            "recipients",
            "in state",
            "out of state",
            "federal",
            "private",
            "unknown",
            "forbidden edges",
        ],
    );
    for line in lines {
        push!(
            body,
            "<tr><td><a href=\"/sharing?state={}\">{}</a></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            e(&line.state),
            e(line.name),
            line.owners,
            line.owners_sharing_out_of_state_or_federal,
            line.owners_with_forbidden,
            count(line.totals.recipients),
            count(line.totals.in_state),
            count(line.totals.out_of_state),
            count(line.totals.federal),
            count(line.totals.private),
            count(line.totals.unknown),
            count(line.totals.forbidden)
        );
    }
    table_end(body);
    body.push_str("<h2>Lists</h2>");
    table_head(
        body,
        &[
            "Owner",
            "Dated",
            "Shares with",
            "Receives from",
            "Prohibits immigration use",
        ],
    );
    for list in lists {
        let owner = match &list.owner_key {
            Some(key) => format!("<a href=\"{}\">{}</a>", e(&owner_url(key)), e(&list.owner)),
            None => e(&list.owner).to_string(),
        };
        push!(
            body,
            "<tr><td>{owner}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            e(&list.date),
            count(list.outbound),
            count(list.inbound),
            if list.immigration_use_prohibited {
                "yes"
            } else {
                ""
            }
        );
    }
    table_end(body);
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

fn citations(body: &mut String, citations: &[remit_sharing::CitedRule]) {
    if citations.is_empty() {
        return;
    }
    body.push_str("<h2>The rules that forbid them</h2><ul>");
    for rule in citations {
        body.push_str("<li><strong>");
        external_link(body, &rule.url, &rule.citation);
        push!(
            body,
            "</strong> ({}): {} <span class=\"note\">rule <a href=\"/rules/{}\">{}</a>, {}, {} edges</span>",
            e(&rule.title),
            e(&rule.summary),
            e(&rule.id),
            e(&rule.id),
            e(&words(&rule.provenance)),
            count(rule.edges)
        );
        for also in &rule.also_cites {
            body.push_str(" · see also ");
            external_link(body, &also.url, &also.citation);
        }
        body.push_str("</li>");
    }
    body.push_str("</ul>");
}

fn caveats(body: &mut String, caveats: &[String], disclaimer: &str) {
    if !caveats.is_empty() {
        body.push_str("<h2>Caveats</h2><ul>");
        for caveat in caveats {
            push!(body, "<li>{}</li>", e(caveat));
        }
        body.push_str("</ul>");
    }
    push!(body, "<p class=\"disclaimer\">{}</p>", e(disclaimer));
}

fn render_state(body: &mut String, state: &AppState, report: &remit_sharing::StateReport) {
    push!(
        body,
        "<h1>Plate-reader sharing in {}</h1>",
        e(state_name(&report.state))
    );
    demo_banner(body, state.options().demo);
    push!(
        body,
        "<p class=\"headline\"><strong>{} owners with lists; {} share with out-of-state or federal recipients; {} have edges their state's law forbids ({} edges in all).</strong></p>",
        report.owners.len(),
        report.owners_sharing_out_of_state_or_federal,
        report.owners_with_forbidden,
        count(report.totals.forbidden)
    );
    body.push_str("<div class=\"chart\">");
    svg::bar_chart(body, "Recipients by class", &counts_bars(&report.totals));
    body.push_str("</div>");
    // Only owners with forbidden edges are ranked; the others are listed apart, so that a rank
    // never suggests a fault where the law found none, and an empty list is not ranked at all.
    let (forbidden, rest): (Vec<&remit_sharing::OwnerSummary>, Vec<_>) =
        report.owners.iter().partition(|o| o.counts.forbidden > 0);
    let (sharing, empty): (Vec<&remit_sharing::OwnerSummary>, Vec<_>) =
        rest.into_iter().partition(|o| o.counts.recipients > 0);
    let columns = [
        "Owner",
        "Dated",
        "Recipients",
        "In state",
        "Out of state",
        "Federal",
        "Private",
        "Forbidden",
        "Prohibits immigration use",
    ];
    let rows = |body: &mut String, owners: &[&remit_sharing::OwnerSummary], ranked: bool| {
        for (index, owner) in owners.iter().enumerate() {
            body.push_str("<tr>");
            if ranked {
                push!(body, "<td class=\"n\">{}</td>", index + 1);
            }
            push!(
                body,
                "<td><a href=\"{}\">{}</a></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                e(&owner_url(&owner.key)),
                e(&owner.owner),
                e(owner.date.as_deref().unwrap_or("")),
                count(owner.counts.recipients),
                count(owner.counts.in_state),
                count(owner.counts.out_of_state),
                count(owner.counts.federal),
                count(owner.counts.private),
                count(owner.counts.forbidden),
                if owner.immigration_use_prohibited {
                    "yes"
                } else {
                    ""
                }
            );
        }
    };
    if forbidden.is_empty() {
        body.push_str("<h2>Owners with forbidden edges</h2><p>None: no owner in this state shares with a recipient its state's law forbids, on the lists imported.</p>");
    } else {
        body.push_str("<h2>Owners ranked by forbidden edges</h2>");
        let mut ranked = vec!["Rank"];
        ranked.extend(columns);
        table_head(body, &ranked);
        rows(body, &forbidden, true);
        table_end(body);
    }
    if !sharing.is_empty() {
        body.push_str("<h2>Owners with no forbidden edges</h2>");
        table_head(body, &columns);
        rows(body, &sharing, false);
        table_end(body);
    }
    if !empty.is_empty() {
        body.push_str("<h2>Lists with no recipients</h2><ul>");
        for owner in &empty {
            push!(
                body,
                "<li><a href=\"{}\">{}</a> ({})</li>",
                e(&owner_url(&owner.key)),
                e(&owner.owner),
                e(owner.date.as_deref().unwrap_or("undated"))
            );
        }
        body.push_str("</ul>");
    }
    citations(body, &report.citations);
    caveats(body, &report.caveats, report.disclaimer);
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
                    push!(
                        &mut body,
                        "<h2>Agencies that share their data with it ({})</h2>",
                        into.len()
                    );
                    table_head(&mut body, &["Verdict", "Owner", "List dated"]);
                    for edge in into {
                        push!(
                            &mut body,
                            "<tr><td>{}</td><td><a href=\"{}\">{}</a></td><td>{}</td></tr>",
                            e(&words(edge.verdict.as_str())),
                            e(&owner_url(&edge.owner_key)),
                            e(&edge.owner),
                            e(&edge.date)
                        );
                    }
                    table_end(&mut body);
                }
            }
            if let Some(agency) = super::agencies::collect(&state)
                .ok()
                .and_then(|all| all.into_iter().find(|a| a.key == report.owner.key))
            {
                push!(
                    &mut body,
                    "<p><a href=\"{}\">Everything the records hold about {}</a>: its 287(g) history, audits of its data, the law that binds it.</p>",
                    e(&agency.url),
                    e(&agency.name)
                );
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
    push!(body, "<h1>{}</h1>", e(&owner.name));
    demo_banner(body, demo);
    push!(
        body,
        "<p>{}{}{} · lists dated {}</p>",
        e(owner.state.as_deref().map_or("", state_name)),
        owner.ori.as_deref().map_or(String::new(), |o| format!(
            "<details><summary>Technical details</summary>FBI agency code (ORI) <code>{}</code></details>",
            e(o)
        )),
        owner
            .kind
            .as_deref()
            .map_or(String::new(), |k| format!(" · {}", e(&words(k)))),
        e(report.date.as_deref().unwrap_or("?"))
    );
    push!(
        body,
        "<p class=\"headline\"><strong>Shares its plate-reader data with {} recipients ({} agencies): {} in state, {} out of state, {} federal, {} private, {} unknown. {} of these edges are forbidden by the law that binds it.</strong></p>",
        count(report.counts.recipients),
        count(report.counts.agencies),
        count(report.counts.in_state),
        count(report.counts.out_of_state),
        count(report.counts.federal),
        count(report.counts.private),
        count(report.counts.unknown),
        count(report.counts.forbidden)
    );
    if report.immigration_use_prohibited {
        body.push_str(
            "<p>Its published policy lists immigration enforcement as a prohibited use.</p>",
        );
    }
    body.push_str("<div class=\"chart\">");
    svg::bar_chart(body, "Recipients by class", &counts_bars(&report.counts));
    body.push_str("</div>");
    body.push_str("<h2>State and local recipients by state</h2>");
    let values: Vec<MapValue> = svg::TILES
        .iter()
        .map(|(code, _, _)| MapValue {
            state: code,
            name: state_name(code),
            value: report.by_state.get(*code).copied().unwrap_or(0),
            href: None,
        })
        .collect();
    body.push_str("<div class=\"chart\">");
    svg::tile_map(body, "Recipients per state", "recipients", &values);
    body.push_str("</div>");
    let verdicts: BTreeMap<String, u64> = report.counts.by_verdict.clone();
    body.push_str("<h2>What the law says</h2>");
    body.push_str("<div class=\"chart\">");
    svg::bar_chart(
        body,
        "Edges by verdict",
        &verdicts
            .iter()
            .filter(|(_, v)| **v > 0)
            .map(|(k, v)| Bar {
                label: words(k),
                value: *v,
                href: None,
            })
            .collect::<Vec<_>>(),
    );
    body.push_str("</div>");
    if !report.flagged.is_empty() {
        push!(body, "<h2>Forbidden edges ({})</h2>", report.flagged.len());
        let keys = marked.map(|(_, keys)| keys);
        if let Some((date, _)) = marked {
            push!(
                body,
                "<p class=\"note\">Recipients marked <span class=\"tag warn\">287(g)</span> held an agreement with ICE on {} (ICE's participating sheet as of that day).</p>",
                e(date)
            );
        }
        edges_paged(body, &report.flagged, keys);
    }
    citations(body, &report.citations);
    if !report.unchecked.is_empty() {
        push!(
            body,
            "<details><summary>{} not checked (a recipient that could not be told, the owner itself)</summary>",
            if report.unchecked.len() == 1 {
                "1 entry".to_string()
            } else {
                format!("{} entries", report.unchecked.len())
            }
        );
        edges_html(body, &report.unchecked, None);
        body.push_str("</details>");
    }
    push!(
        body,
        "<details><summary>Every recipient ({})</summary>",
        report.edges.len()
    );
    edges_html(body, &report.edges, marked.map(|(_, keys)| keys));
    body.push_str("</details>");
    body.push_str("<h2>Lists</h2>");
    table_head(
        body,
        &["Dated", "Shares with", "Receives from", "Uses it prohibits"],
    );
    for list in &report.lists {
        push!(
            body,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            e(&list.date),
            count(list.outbound),
            count(list.inbound),
            e(list.prohibited_uses.as_deref().unwrap_or(""))
        );
    }
    table_end(body);
    body.push_str("<details><summary>Technical details</summary><ul>");
    for list in &report.lists {
        push!(
            body,
            "<li>{}: file <code>{}</code>, read as <code>{}</code></li>",
            e(&list.date),
            e(file_name(&list.source_path)),
            e(&list.format)
        );
    }
    body.push_str("</ul></details>");
    caveats(body, &report.caveats, report.disclaimer);
}

/// Forbidden edges shown at once before the rest are folded away: a list of hundreds stays
/// readable on a phone.
const EDGES_SHOWN: usize = 50;

fn edges_paged(
    body: &mut String,
    edges: &[EdgeRow],
    marked: Option<&std::collections::BTreeSet<String>>,
) {
    edges_html(body, &edges[..edges.len().min(EDGES_SHOWN)], marked);
    if edges.len() > EDGES_SHOWN {
        push!(
            body,
            "<details><summary>The other {} forbidden edges</summary>",
            edges.len() - EDGES_SHOWN
        );
        edges_html(body, &edges[EDGES_SHOWN..], marked);
        body.push_str("</details>");
    }
}

fn edges_html(
    body: &mut String,
    edges: &[EdgeRow],
    marked: Option<&std::collections::BTreeSet<String>>,
) {
    table_head(
        body,
        &[
            "Verdict",
            "Recipient",
            "As the list writes it",
            "State",
            "Kind",
            "The law",
            "Line of the list",
        ],
    );
    for edge in edges {
        push!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>",
            e(&words(edge.verdict.as_str())),
            fragment(|out| {
                push!(out, "{}", e(&edge.recipient_name));
                let held = marked.is_some_and(|keys| {
                    keys.contains(&edge.recipient_key)
                        || edge
                            .recipient_ori
                            .as_ref()
                            .is_some_and(|o| keys.contains(o))
                });
                if held {
                    out.push_str(" <span class=\"tag warn\">287(g)</span>");
                }
            }),
            e(&edge.recipient),
            e(edge.recipient_state.as_deref().unwrap_or("")),
            e(&words(edge.group.as_str()))
        );
        for (index, rule) in edge.rules.iter().enumerate() {
            if index > 0 {
                body.push_str(", ");
            }
            push!(
                body,
                "<a href=\"/rules/{}\">rule {}</a>",
                e(rule),
                index + 1
            );
        }
        push!(body, "</td><td class=\"n\">{}</td></tr>", edge.line);
    }
    table_end(body);
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
