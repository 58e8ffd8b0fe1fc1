//! `/agencies`: every agency the store's records name — 287(g) agreements, sharing lists (as
//! owner or as recipient) and plate-reader audits — in one index that can be filtered, sorted and
//! paged on the server, and on each agency's page the links that join its records.
//!
//! One agency appears under many names ("El Cajon CA PD", "El Cajon Police Department"): the
//! records are joined on remit-sharing's party key, the agency's ORI when the resolver knows it,
//! else its class, state, kind and readable name.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use remit_registry::Filter;
use serde::Serialize;

use super::registry::{agency_url, with_registry};
use super::sharing::with_sharing;
use super::state_name;
use crate::AppState;
use maud::html;

use crate::components::{Column, Field, Sorting, filter_form, table};
use crate::html::{path_component, query_string};
use crate::i18n::{self, Lang, count, count_of, strings};
use crate::parts::pager;
use crate::response::{Format, Page, Params, Table, WebError};

/// One agency and where its records are.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Agency {
    pub name: String,
    /// Two-letter code; empty for federal agencies and when unknown.
    pub state: String,
    pub ori: Option<String>,
    /// Its page: the 287(g) history when it had an agreement, else its sharing or audit page.
    pub url: String,
    /// 287(g) agreements by model with their status as of the latest sheets.
    pub agreements: Vec<(String, String)>,
    /// Its page as a sharing-list owner.
    pub sharing: Option<String>,
    /// Lists of other agencies naming it as a recipient.
    pub shared_into: u64,
    /// Audits of its data: title and page.
    pub audits: Vec<(String, String)>,
    /// The party key the records are joined on.
    pub key: String,
    #[serde(skip)]
    pub aliases: Vec<String>,
}

impl Agency {
    /// One line saying what the site holds about it.
    pub fn detail(&self) -> String {
        let t = AgenciesText::current();
        let mut parts = Vec::new();
        let place = state_name(&self.state);
        if !place.is_empty() {
            parts.push(place.to_string());
        }
        if !self.agreements.is_empty() {
            let active = self.agreements.iter().any(|(_, status)| status == "active");
            parts.push(if active {
                t.agreement_in_force.to_string()
            } else {
                t.agreement_not_in_force.to_string()
            });
        }
        if self.sharing.is_some() {
            parts.push(t.publishes_list.to_string());
        }
        if self.shared_into > 0 {
            parts.push(match i18n::lang() {
                Lang::En => format!("on {} other agencies' sharing lists", self.shared_into),
                Lang::Es => format!(
                    "en las listas de intercambio de datos de {} otras agencias",
                    count(self.shared_into)
                ),
            });
        }
        if !self.audits.is_empty() {
            parts.push(count_of(self.audits.len() as u64, t.audit));
        }
        parts.join(" · ")
    }
}

/// The join key of a name as the records give it.
pub(crate) fn key_of(state: &AppState, name: &str, code: Option<&str>) -> String {
    remit_sharing::check::party_key(&state.resolver().resolve(name, code))
}

/// Every agency the records name, joined across 287(g), sharing and audits.
pub(crate) fn collect(state: &AppState) -> Result<Vec<Agency>, WebError> {
    let mut by_key: BTreeMap<String, Agency> = BTreeMap::new();
    let blank = |name: &str, code: &str, ori: Option<String>, url: String, key: String| Agency {
        name: name.to_string(),
        state: code.to_string(),
        ori,
        url,
        agreements: Vec::new(),
        sharing: None,
        shared_into: 0,
        audits: Vec::new(),
        key,
        aliases: Vec::new(),
    };
    let rows = with_registry(state, |registry| registry.export(None, &Filter::default()))?;
    for row in rows.unwrap_or_default() {
        let key = match &row.ori {
            Some(ori) => ori.clone(),
            None => key_of(state, &row.agency, Some(&row.state)),
        };
        let url = agency_url(row.ori.as_deref(), &row.state, &row.agency);
        let agency = by_key
            .entry(key.clone())
            .or_insert_with(|| blank(&row.agency, &row.state, row.ori.clone(), url, key.clone()));
        agency
            .agreements
            .push((row.model.replace('_', " "), row.status.clone()));
        for other in row.other_names.split("; ").filter(|n| !n.is_empty()) {
            agency.aliases.push(other.to_string());
        }
    }
    let sharing = with_sharing(state, |sharing| {
        let lists = sharing.lists()?;
        let edges = sharing.edges(&remit_sharing::EdgeFilter {
            current_only: true,
            ..remit_sharing::EdgeFilter::default()
        })?;
        Ok((lists, edges))
    })?;
    if let Some((lists, edges)) = sharing {
        for list in &lists {
            let Some(key) = &list.owner_key else { continue };
            let url = format!("/sharing/{}", path_component(key));
            let code = list.owner_state.clone().unwrap_or_default();
            let ori = remit_agencies::is_ori(key).then(|| key.clone());
            let name = state.resolver().resolve(&list.owner, Some(&code)).name;
            let page = agency_url(ori.as_deref(), &code, &name);
            let agency = by_key
                .entry(key.clone())
                .or_insert_with(|| blank(&name, &code, ori, page, key.clone()));
            agency.sharing = Some(url);
            agency.aliases.push(list.owner.clone());
        }
        let mut into: BTreeMap<&str, BTreeMap<&str, ()>> = BTreeMap::new();
        for edge in &edges {
            into.entry(edge.recipient_key.as_str())
                .or_default()
                .insert(edge.owner_key.as_str(), ());
        }
        for (key, owners) in into {
            if let Some(agency) = by_key.get_mut(key) {
                agency.shared_into = owners.len() as u64;
            }
        }
    }
    for run in super::audits::stored_run_list(state)? {
        let Some(owner) = run.owner.clone() else {
            continue;
        };
        let key = match &run.owner_ori {
            Some(ori) => ori.clone(),
            None => key_of(state, &owner, run.owner_state.as_deref()),
        };
        let (title, url) = match state.audits().iter().find(|l| l.run_id == run.id) {
            Some(label) => (label.title().to_string(), format!("/audits/{}", label.slug)),
            None => (
                match i18n::lang() {
                    Lang::En => format!("Audit of {} searches", count(run.events)),
                    Lang::Es => format!(
                        "Auditoría de {}",
                        count_of(run.events, "búsqueda|búsquedas")
                    ),
                },
                format!("/audits/{}", run.id),
            ),
        };
        let code = run.owner_state.clone().unwrap_or_default();
        let page = agency_url(run.owner_ori.as_deref(), &code, &owner);
        let agency = by_key
            .entry(key.clone())
            .or_insert_with(|| blank(&owner, &code, run.owner_ori.clone(), page, key.clone()));
        agency.audits.push((title, url));
        agency.aliases.push(owner);
    }
    // Every agency of the imported FBI directory has a page, records or not: the law that binds
    // it and the guide for its officers are there for all.
    if let Some(directory) = state.directory() {
        for entry in directory.agencies().iter().filter(|a| a.has_ori()) {
            let code = entry.state.clone().unwrap_or_default();
            by_key.entry(entry.ori.clone()).or_insert_with(|| {
                blank(
                    &entry.name,
                    &code,
                    Some(entry.ori.clone()),
                    format!("/agencies/{}", entry.ori),
                    entry.ori.clone(),
                )
            });
        }
    }
    let mut agencies: Vec<Agency> = by_key.into_values().collect();
    agencies.sort_by(|a, b| a.state.cmp(&b.state).then(a.name.cmp(&b.name)));
    Ok(agencies)
}

/// The agency whose page is `url`, or whose name or ORI is `text`.
pub(crate) fn find<'a>(agencies: &'a [Agency], url: &str, text: &str) -> Option<&'a Agency> {
    let folded = text.to_lowercase();
    agencies.iter().find(|a| a.url == url).or_else(|| {
        agencies.iter().find(|a| {
            a.ori.as_deref() == Some(text)
                || a.name.to_lowercase() == folded
                || a.aliases.iter().any(|n| n.to_lowercase() == folded)
        })
    })
}

/// The section of an agency's page that links its other records: its sharing list, the lists
/// that name it, the audits of its data, the law that binds it and the guide for it.
pub(crate) fn related(body: &mut String, state: &AppState, agency: &Agency) {
    let t = AgenciesText::current();
    let records = html! {
        h2 { (t.records_about) }
        ul {
            @if agency.agreements.is_empty() {
                li { (t.no_agreement) }
            } @else if !agency.url.starts_with("/agencies/") {
                li { a href=(agency.url) { (t.history_287g) } }
            }
            @match &agency.sharing {
                Some(url) => li { a href=(url) { (t.whom_it_shares) } (t.what_law_says) },
                None => li { (t.no_list) },
            }
            @if agency.shared_into > 0 {
                li {
                    (t.named_as_recipient) " " (count_of(agency.shared_into, t.other_agency))
                    " (" a href="/sharing" { (t.sharing_lists) } ")"
                }
            }
            @for (title, url) in &agency.audits {
                li { a href=(url) { (title) } }
            }
            @if agency.audits.is_empty() {
                li { (t.no_audit) }
            }
        }
    };
    body.push_str(&records.into_string());
    super::compliance::agency_section(
        body,
        state,
        agency.ori.as_deref(),
        &agency.name,
        &agency.state,
    );
    let place = super::ask::read_place(state, &agency.name)
        .or_else(|_| super::ask::read_place(state, &agency.state));
    if let Ok(place) = place {
        let guide = format!(
            "/guide?{}",
            query_string([
                ("where", place.label.as_str()),
                ("actor", guide_actor(&agency.name)),
            ])
        );
        let law = html! {
            h2 { (t.law_that_binds) }
            p {
                a href=(super::place_url(&place.id)) { (t.rules_in_force_in) " " (place.label) }
                " · "
                a href=(guide) { (t.guide_for_officers) }
            }
        };
        body.push_str(&law.into_string());
    }
}

/// The actor a guide is for, from the agency's name.
fn guide_actor(name: &str) -> &'static str {
    let lower = name.to_lowercase();
    if lower.contains("sheriff") {
        "sheriff"
    } else if lower.contains("jail") || lower.contains("correction") || lower.contains("detention")
    {
        "jail"
    } else if lower.contains("highway patrol")
        || lower.contains("state police")
        || lower.contains("public safety")
    {
        "state_police"
    } else {
        "local_police"
    }
}

/// Rows per page of the index.
const PAGE_SIZE: usize = 50;

#[derive(Serialize)]
struct Index<'a> {
    total: usize,
    matching: usize,
    offset: usize,
    size: usize,
    next: Option<String>,
    agencies: Vec<&'a Agency>,
}

/// Picks a column's heading out of the page's words.
type Heading = fn(&AgenciesText) -> &'static str;

/// The sort orders the index offers: parameter value, column heading.
const SORTS: &[(&str, Heading)] = &[
    ("name", |t| t.column_agency),
    ("state", |t| t.column_state),
    ("records", |t| t.column_records),
];

pub async fn index(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let t = AgenciesText::current();
    let page = Page::new(t.agencies, "/agencies", "/agencies")
        .with_query(params.raw())
        .with_csv();
    if !state.has_store() {
        return super::no_store(page, format, t.agencies);
    }
    let sources = match super::store_sources(&state) {
        Ok(sources) => sources,
        Err(error) => return error.into_response(),
    };
    let page = page.with_sources(sources);
    let agencies = match collect(&state) {
        Ok(agencies) => agencies,
        Err(error) => return error.into_response(),
    };
    let q = params.get("q").unwrap_or("").trim().to_string();
    let wanted_state = params
        .get("state")
        .unwrap_or("")
        .trim()
        .to_ascii_uppercase();
    let sort = params.get("sort").unwrap_or("records");
    if !SORTS.iter().any(|(s, _)| *s == sort) {
        return WebError::bad_request(format!("`sort`: `{sort}` is not a column"))
            .with_help("use `name`, `state` or `records`")
            .into_response();
    }
    let (offset, size) = match params.page() {
        Ok((offset, size)) => (
            offset,
            if params.get("size").is_some() {
                size
            } else {
                PAGE_SIZE
            },
        ),
        Err(error) => return error.into_response(),
    };
    let terms: Vec<String> = q
        .to_lowercase()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut matching: Vec<&Agency> = agencies
        .iter()
        .filter(|a| wanted_state.is_empty() || a.state == wanted_state)
        .filter(|a| {
            let text = format!("{} {}", a.name, a.aliases.join(" ")).to_lowercase();
            terms.iter().all(|t| text.contains(t.as_str()))
        })
        .collect();
    let records = |a: &Agency| {
        a.agreements.len()
            + a.audits.len()
            + usize::from(a.sharing.is_some())
            + a.shared_into as usize
    };
    match sort {
        "name" => matching.sort_by(|a, b| a.name.cmp(&b.name)),
        "records" => matching.sort_by(|a, b| records(b).cmp(&records(a)).then(a.name.cmp(&b.name))),
        _ => {}
    }
    let url_for = |offset: usize, sort: &str| {
        let offset = offset.to_string();
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if !q.is_empty() {
            pairs.push(("q", &q));
        }
        if !wanted_state.is_empty() {
            pairs.push(("state", &wanted_state));
        }
        pairs.push(("sort", sort));
        if offset != "0" {
            pairs.push(("offset", &offset));
        }
        format!("/agencies?{}", query_string(pairs))
    };
    match format {
        Format::Csv => {
            let mut table = Table::new(&[
                "name",
                "state",
                "ori",
                "page",
                "agreements_287g",
                "sharing_list",
                "on_lists_of",
                "audits",
            ]);
            for agency in &matching {
                table.push(vec![
                    agency.name.clone(),
                    agency.state.clone(),
                    agency.ori.clone().unwrap_or_default(),
                    agency.url.clone(),
                    agency.agreements.len().to_string(),
                    agency.sharing.clone().unwrap_or_default(),
                    agency.shared_into.to_string(),
                    agency.audits.len().to_string(),
                ]);
            }
            page.csv(&table)
        }
        Format::Json => {
            let shown: Vec<&Agency> = matching.iter().copied().skip(offset).take(size).collect();
            let next = (offset + size < matching.len())
                .then(|| url_for(offset + size, sort).replacen("/agencies?", "/agencies.json?", 1));
            page.json(&Index {
                total: agencies.len(),
                matching: matching.len(),
                offset,
                size,
                next,
                agencies: shown,
            })
        }
        Format::Html => {
            let columns: Vec<Column<'_>> = SORTS
                .iter()
                .map(|(key, heading)| Column::text(heading(t)).sorts_by(key))
                .collect();
            let sort_url = |key: &str| url_for(0, key);
            let sorting = Sorting {
                current: sort,
                descending: sort == "records",
                url: &sort_url,
            };
            let body = html! {
                h1 { (t.agencies) }
                p { (count(agencies.len() as u64)) " " (t.intro) }
                (filter_form(
                    "/agencies",
                    &[
                        Field { name: "q", label: t.name, value: &q, short: false },
                        Field { name: "state", label: t.column_state, value: &wanted_state, short: true },
                    ],
                    &[("sort", sort)],
                ))
                @if matching.is_empty() {
                    p { (t.no_match) " " a href="/agencies" { (t.show_every) } "." }
                } @else {
                    (table(&columns, Some(&sorting), html! {
                        @for agency in matching.iter().skip(offset).take(size) {
                            tr {
                                td { a href=(agency.url) { (agency.name) } }
                                td { (state_name(&agency.state)) }
                                td { (agency.detail()) }
                            }
                        }
                    }))
                    (pager(offset, size, matching.len(), |offset| url_for(offset, sort)))
                }
            };
            page.html(&body.into_string())
        }
    }
}

strings! {
    /// The words of the agencies index and of the records part of an agency's page.
    pub struct AgenciesText {
        agencies: "Agencies", "Agencias";
        intro: "agencies named in this store's records: 287(g) agreements with ICE, plate-reader sharing lists (as owner or recipient) and audits. Each links to what the records say about it and to the law that binds it.", "agencias nombradas en los registros de esta base de datos: acuerdos 287(g) con ICE, listas de intercambio de datos de lectores de placas (como propietaria o destinataria) y auditorías. Cada una enlaza con lo que dicen de ella los registros y con la ley que la obliga.";
        name: "Name", "Nombre";
        column_agency: "Agency", "Agencia";
        column_state: "State", "Estado";
        column_records: "Records", "Registros";
        no_match: "No agency matches.", "Ninguna agencia coincide.";
        show_every: "Show every agency", "Ver todas las agencias";
        agreement_in_force: "287(g) agreement in force", "acuerdo 287(g) vigente";
        agreement_not_in_force: "287(g) agreement (not in force now)", "acuerdo 287(g) (no vigente ahora)";
        publishes_list: "publishes a sharing list", "publica una lista de intercambio de datos";
        audit: "audit|audits", "auditoría|auditorías";
        records_about: "Records about this agency", "Registros sobre esta agencia";
        no_agreement: "No 287(g) agreement on ICE's sheets in this store.", "Ningún acuerdo 287(g) en las listas de ICE de esta base de datos.";
        history_287g: "287(g) history", "Historial de 287(g)";
        whom_it_shares: "Whom it shares plate-reader data with", "Con quién comparte datos de lectores de placas";
        what_law_says: ", and what the law says about each", ", y qué dice la ley de cada intercambio";
        no_list: "No sharing list of its own in this store.", "Ninguna lista de intercambio de datos propia en esta base de datos.";
        named_as_recipient: "Named as a recipient on the sharing lists of", "Nombrada como destinataria en las listas de intercambio de datos de";
        other_agency: "other agency|other agencies", "otra agencia|otras agencias";
        sharing_lists: "sharing lists", "listas de intercambio de datos";
        no_audit: "No plate-reader audit of its data in this store.", "Ninguna auditoría de lectores de placas de sus datos en esta base de datos.";
        law_that_binds: "The law that binds it", "La ley que la obliga";
        rules_in_force_in: "The rules in force in", "Las normas vigentes en";
        guide_for_officers: "a guide for its officers: every question, answered", "una guía para sus agentes: todas las preguntas, respondidas";
    }
}
