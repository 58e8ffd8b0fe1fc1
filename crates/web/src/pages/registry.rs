//! `/287g` and `/agencies/{id}`: who held a 287(g) agreement with ICE, by state, model and date,
//! from ICE's sheets as imported by remit-registry.
//!
//! Everything here comes from the registry's public queries (`stats`, `diff`, `rates`, `export`,
//! `agency`, `snapshots`); this module only arranges it. "As of a date" means the latest snapshot
//! taken on or before that day, as in `remit registry stats`.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use remit_law::QuestionInput;
use remit_registry::{
    AgencyHistory, Day, ExportRow, Filter, Registry, RegistryError, SheetKind, SnapshotRef, Stats,
    model_label, parse_model, parse_state,
};
use serde::Serialize;

use super::{ask_url, file_name, place_url, state_name};
use maud::{Markup, html};

use crate::components::{self, Column, Field, Sorting, chart, filter_form, number_cell};
use crate::html::{count, e, path_component, push, query_string, table_end, table_head, words};
use crate::parts::{pager, technical};
use crate::response::{DataSource, Format, Page, Params, Table, WebError};
use crate::svg::{self, Series};
use crate::{AppState, today};

/// The registry in the store: `Ok(None)` when there is no store or it holds no registry.
/// Serving never writes: a store whose registry tables are of another version is shown as
/// holding none, with advice.
pub(crate) fn with_registry<T>(
    state: &AppState,
    read: impl FnOnce(&Registry<'_>) -> Result<T, RegistryError>,
) -> Result<Option<T>, WebError> {
    let result = state.with_store_mut(|store| {
        if !has_current_registry(store)? {
            return Ok(None);
        }
        let registry = Registry::open(store)?;
        read(&registry).map(Some)
    });
    match result {
        None => Ok(None),
        Some(Ok(value)) => Ok(value),
        Some(Err(error)) => Err(registry_error(error)),
    }
}

/// Whether `store` holds registry tables of the version this program writes (serving reads no
/// other and makes none).
pub(crate) fn has_current_registry(
    store: &remit_store::Store,
) -> Result<bool, remit_store::StoreError> {
    let version = store.schema_version(remit_registry::SCHEMA.component)?;
    Ok(version == Some(remit_registry::SCHEMA.latest()))
}

/// A registry error as the user sees it: their question's problem, or a plain 500.
fn registry_error(error: RegistryError) -> WebError {
    let help = error.help();
    let web = match &error {
        RegistryError::NoSnapshot { .. } | RegistryError::BadDate { .. } => {
            WebError::bad_request(error.to_string())
        }
        RegistryError::NoAgency { .. } | RegistryError::Empty => {
            WebError::not_found(error.to_string())
        }
        _ => return WebError::internal(error),
    };
    match help {
        Some(help) => web.with_help(help.replace("remit registry agency", "search for")),
        None => web,
    }
}

/// A snapshot as pages show it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SnapshotView {
    kind: &'static str,
    taken: String,
    day: String,
    file: String,
    rows: u64,
}

impl From<&SnapshotRef> for SnapshotView {
    fn from(snapshot: &SnapshotRef) -> SnapshotView {
        SnapshotView {
            kind: snapshot.kind.as_str(),
            taken: snapshot.taken.to_string(),
            day: snapshot.taken.day.to_string(),
            file: file_name(&snapshot.file).to_string(),
            rows: snapshot.rows,
        }
    }
}

/// Where the registry's data comes from, for the footer and the JSON twin.
pub(crate) fn ice_source(state: &AppState, snapshots: &[SnapshotView]) -> DataSource {
    let first = snapshots.first().map_or("", |s| s.taken.as_str());
    let last = snapshots.last().map_or("", |s| s.taken.as_str());
    DataSource {
        name: "U.S. Immigration and Customs Enforcement, 287(g) participating and pending agencies sheets".to_string(),
        url: Some("https://www.ice.gov/identify-and-arrest/287g".to_string()),
        licence: "US federal government work (public domain)".to_string(),
        date: format!("{} snapshots imported, {first} to {last}", snapshots.len()),
        note: state.options().demo.then(|| {
            "Demo: these are small self-made sample sheets in ICE's format, not ICE's data."
                .to_string()
        }),
    }
}

/// The page of an agency: its ORI when known, else its state and name.
pub(crate) fn agency_url(ori: Option<&str>, state: &str, name: &str) -> String {
    match ori {
        Some(ori) if remit_agencies::is_ori(ori) => format!("/agencies/{ori}"),
        _ => format!("/agencies/{state}/{}", path_component(name)),
    }
}

#[derive(Debug, Serialize)]
struct StateRow {
    state: String,
    name: &'static str,
    agreements: u64,
    agencies_with_agreement: u64,
    directory_agencies: Option<u64>,
    agency_share: Option<f64>,
    population: Option<u64>,
    agreements_per_million: Option<f64>,
}

#[derive(Debug, Serialize)]
struct TimelinePoint {
    day: String,
    snapshot: String,
    agreements: u64,
    agencies: u64,
    by_model: BTreeMap<String, u64>,
    pending: u64,
}

#[derive(Debug, Serialize)]
struct Changes {
    from: SnapshotView,
    to: SnapshotView,
    from_agreements: u64,
    to_agreements: u64,
    added_by_model: BTreeMap<String, u64>,
    removed_by_model: BTreeMap<String, u64>,
    added_by_state: BTreeMap<String, u64>,
    removed_by_state: BTreeMap<String, u64>,
    /// In the JSON twin, the first `size` (see `added_total`); every one in the CSV twin.
    added: Vec<remit_registry::AgreementRow>,
    removed: Vec<remit_registry::AgreementRow>,
    added_total: usize,
    removed_total: usize,
}

#[derive(Debug, Serialize)]
struct Overview {
    /// The date asked about (`null`: the latest snapshots).
    as_of: Option<String>,
    snapshot: SnapshotView,
    pending_snapshot: Option<SnapshotView>,
    state: Option<String>,
    model: Option<String>,
    agreements: u64,
    agencies: u64,
    pending: u64,
    pending_agencies: u64,
    by_model: BTreeMap<String, u64>,
    by_type: BTreeMap<String, u64>,
    by_state: BTreeMap<String, u64>,
    /// Agreements per state in the whole country (with the model filter only): the map.
    national_by_state: BTreeMap<String, u64>,
    states: Vec<StateRow>,
    timeline: Vec<TimelinePoint>,
    changes: Changes,
    /// Active agreements per county as of the date (with the state and model filters), the
    /// county map's numbers; `placement` says how agreements were placed in counties and which
    /// could not be.
    counties: Vec<crate::countymap::CountyRow>,
    placement: crate::countymap::Placement,
    /// The county asked about (`county=`): `listed` holds its agreements only.
    county: Option<CountyName>,
    /// Agreements listed as of the date (active or pending then). The JSON twin gives one page
    /// of them (`offset`, `size`); the CSV twin gives all.
    listed: Vec<ExportRow>,
    listed_total: usize,
    listed_offset: usize,
    /// The next page of `listed`, if any.
    listed_next: Option<String>,
    snapshots: Vec<SnapshotView>,
    directory: Option<String>,
}

impl Overview {
    /// Cuts the lists to one page for the JSON twin; the counts and the link to the next page
    /// say what was left out, and the CSV twin has every row.
    fn paginate(&mut self, params: &Params, offset: usize, size: usize) {
        self.listed_total = self.listed.len();
        self.listed_offset = offset;
        let end = offset.saturating_add(size).min(self.listed.len());
        self.listed = if offset < self.listed.len() {
            self.listed[offset..end].to_vec()
        } else {
            Vec::new()
        };
        if end < self.listed_total {
            let mut pairs: Vec<(&str, String)> = Vec::new();
            for key in ["as_of", "state", "model", "county", "from", "to"] {
                if let Some(value) = params.get(key) {
                    pairs.push((key, value.to_string()));
                }
            }
            pairs.push(("offset", end.to_string()));
            pairs.push(("size", size.to_string()));
            self.listed_next = Some(format!(
                "/287g.json?{}",
                query_string(pairs.iter().map(|(k, v)| (*k, v.as_str())))
            ));
        }
        self.changes.added_total = self.changes.added.len();
        self.changes.removed_total = self.changes.removed.len();
        self.changes.added.truncate(size);
        self.changes.removed.truncate(size);
    }
}

#[derive(Debug, Serialize)]
struct CountyName {
    fips: String,
    name: String,
    state: String,
}

struct Query {
    as_of: Option<Day>,
    from: Option<Day>,
    to: Option<Day>,
    filter: Filter,
    /// A county's FIPS code: the list shows the agreements placed in it.
    county: Option<String>,
}

fn day_param(params: &Params, name: &str) -> Result<Option<Day>, WebError> {
    match params.get(name) {
        None => Ok(None),
        Some(text) => Day::parse_iso(text).map(Some).ok_or_else(|| {
            WebError::bad_request(format!("`{name}`: `{text}` is not a date"))
                .with_help("write dates as YYYY-MM-DD, e.g. 2025-07-01")
        }),
    }
}

fn query(params: &Params) -> Result<Query, WebError> {
    let state = match params.get("state") {
        None => None,
        Some(text) => Some(
            parse_state(text)
                .ok_or_else(|| {
                    WebError::bad_request(format!("`state`: `{text}` names no US state"))
                        .with_help("use a two-letter code such as `FL`")
                })?
                .to_string(),
        ),
    };
    let model = match params.get("model") {
        None => None,
        Some(text) => Some(
            parse_model(text)
                .ok_or_else(|| {
                    WebError::bad_request(format!("`model`: unknown 287(g) model `{text}`"))
                        .with_help(
                            "models are jail_enforcement, task_force and warrant_service_officer",
                        )
                })?
                .slug
                .to_string(),
        ),
    };
    let county = match params.get("county") {
        None => None,
        Some(text) => {
            let known = crate::geo::us_map()
                .ok()
                .and_then(|map| map.county(text))
                .and_then(|county| crate::geo::state_code(county.state_fips()));
            match known {
                Some(code) if state.as_deref().is_none_or(|s| s == code) => Some(text.to_string()),
                Some(_) => {
                    return Err(WebError::bad_request(format!(
                        "`county`: county `{text}` is not in the state asked about"
                    ))
                    .with_help("follow a county from the map of its state"));
                }
                None => {
                    return Err(WebError::bad_request(format!(
                        "`county`: `{text}` is not a county's five-digit FIPS code"
                    ))
                    .with_help("follow a county from the map, e.g. `county=48201` for Harris County, Texas"));
                }
            }
        }
    };
    // A county implies its state.
    let state = state.or_else(|| {
        county
            .as_deref()
            .and_then(|c| crate::geo::state_code(c.get(..2)?))
            .map(str::to_string)
    });
    Ok(Query {
        as_of: day_param(params, "as_of")?,
        from: day_param(params, "from")?,
        to: day_param(params, "to")?,
        filter: Filter { state, model },
        county,
    })
}

fn compute(
    registry: &Registry<'_>,
    query: &Query,
    directory: Option<&remit_agencies::Directory>,
) -> Result<Overview, RegistryError> {
    let snapshots = registry.snapshots()?;
    let participating: Vec<&SnapshotRef> = snapshots
        .iter()
        .filter(|s| s.kind == SheetKind::Participating)
        .collect();
    let stats: Stats = registry.stats(query.as_of, &query.filter)?;
    let as_of_day = stats.snapshot.taken.day;
    let national_filter = Filter {
        state: None,
        model: query.filter.model.clone(),
    };
    let national = if query.filter.state.is_some() {
        registry.stats(query.as_of, &national_filter)?.by_state
    } else {
        stats.by_state.clone()
    };
    let mut days: Vec<Day> = participating.iter().map(|s| s.taken.day).collect();
    days.dedup();
    let mut timeline = Vec::with_capacity(days.len());
    for day in &days {
        let point = registry.stats(Some(*day), &query.filter)?;
        timeline.push(TimelinePoint {
            day: day.to_string(),
            snapshot: point.snapshot.taken.to_string(),
            agreements: point.agreements,
            agencies: point.agencies,
            by_model: point.by_model,
            pending: point.pending,
        });
    }
    let from = query
        .from
        .or_else(|| days.first().copied())
        .unwrap_or(as_of_day);
    let to = query.to.unwrap_or(as_of_day);
    let diff = registry.diff(from, to, &query.filter)?;
    let (figures, directory_label) = match directory {
        Some(directory) => (
            remit_registry::state_figures(directory),
            Some(format!(
                "{} ({} agencies)",
                directory.source(),
                directory.len()
            )),
        ),
        None => (BTreeMap::new(), None),
    };
    let rates = registry.rates(
        query.as_of,
        &figures,
        directory_label.as_deref().unwrap_or("none"),
    )?;
    let mut states: Vec<StateRow> = rates
        .states
        .iter()
        .filter(|r| directory.is_some() || r.agreements > 0)
        .map(|r| StateRow {
            state: r.state.clone(),
            name: state_name(&r.state),
            agreements: r.agreements,
            agencies_with_agreement: r.agencies_with_agreement,
            directory_agencies: directory.map(|_| r.directory_agencies),
            agency_share: r.agency_share,
            population: directory.map(|_| r.population),
            agreements_per_million: r.agreements_per_million,
        })
        .collect();
    if directory.is_none() {
        states.sort_by(|a, b| b.agreements.cmp(&a.agreements).then(a.state.cmp(&b.state)));
    }
    let mut listed = registry.export(Some(as_of_day), &query.filter)?;
    let (counties, placement, county) = match crate::geo::us_map() {
        Ok(map) => {
            let (counties, placement, spots) = crate::countymap::count(&listed, directory, map);
            let county = query.county.as_deref().and_then(|fips| {
                let place = map.county(fips)?;
                let mut spot = spots.iter();
                listed.retain(|_| spot.next().is_some_and(|s| s.as_deref() == Some(fips)));
                Some(CountyName {
                    fips: fips.to_string(),
                    name: place.name.clone(),
                    state: crate::geo::state_code(place.state_fips())
                        .unwrap_or_default()
                        .to_string(),
                })
            });
            (counties, placement, county)
        }
        Err(error) => {
            eprintln!("remit serve: the built-in map cannot be read: {error}");
            (Vec::new(), crate::countymap::Placement::default(), None)
        }
    };
    let snapshot_views: Vec<SnapshotView> = snapshots.iter().map(SnapshotView::from).collect();
    Ok(Overview {
        as_of: query.as_of.map(|d| d.to_string()),
        snapshot: SnapshotView::from(&stats.snapshot),
        pending_snapshot: stats.pending_snapshot.as_ref().map(SnapshotView::from),
        state: query.filter.state.clone(),
        model: query.filter.model.clone(),
        agreements: stats.agreements,
        agencies: stats.agencies,
        pending: stats.pending,
        pending_agencies: stats.pending_agencies,
        by_model: stats.by_model,
        by_type: stats.by_type,
        by_state: stats.by_state,
        national_by_state: national,
        states,
        timeline,
        changes: Changes {
            from: SnapshotView::from(&diff.from),
            to: SnapshotView::from(&diff.to),
            from_agreements: diff.from_agreements,
            to_agreements: diff.to_agreements,
            added_by_model: diff.added_by_model,
            removed_by_model: diff.removed_by_model,
            added_by_state: diff.added_by_state,
            removed_by_state: diff.removed_by_state,
            added_total: diff.added.len(),
            removed_total: diff.removed.len(),
            added: diff.added,
            removed: diff.removed,
        },
        counties,
        placement,
        county,
        listed_total: listed.len(),
        listed_offset: 0,
        listed_next: None,
        listed,
        snapshots: snapshot_views,
        directory: directory_label,
    })
}

/// The page when the store holds no registry.
fn empty(state: &AppState, page: Page, format: Format) -> Response {
    match format {
        Format::Html => {
            let body = if state.has_store() {
                "<h1>287(g) agreements</h1><p>The store holds no 287(g) sheets. Import ICE's sheets with <code>remit registry import FILES</code>, then serve again; or run <code>remit serve --demo</code> to see this page with sample data.</p>"
            } else {
                "<h1>287(g) agreements</h1><p>No store is open. Import ICE's sheets with <code>remit registry import FILES</code> (into the default store, or one named with <code>--db</code>), then run <code>remit serve</code>; or run <code>remit serve --demo</code> to see this page with sample data.</p>"
            };
            page.html(body)
        }
        _ => WebError::not_found("the store holds no 287(g) sheets")
            .with_help("import ICE's sheets with `remit registry import FILES`, or run `remit serve --demo`")
            .into_response(),
    }
}

/// `/287g?as_of=&state=&model=&from=&to=`.
pub async fn overview(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let page = Page::new("287(g) agreements", "/287g", "/287g")
        .with_query(params.raw())
        .with_csv();
    let query = match query(&params) {
        Ok(query) => query,
        Err(error) => return error.into_response(),
    };
    let (offset, size) = match params.page() {
        Ok(page) => page,
        Err(error) => return error.into_response(),
    };
    let mut overview = match with_registry(&state, |registry| {
        compute(registry, &query, state.directory())
    }) {
        Ok(Some(overview)) => overview,
        Ok(None) => return empty(&state, page, format),
        Err(error) if format == Format::Html && error.status == StatusCode::BAD_REQUEST => {
            // A date the sheets do not cover, say: the page keeps its form and says what to do.
            let mut body = String::new();
            push!(
                &mut body,
                "<h1>287(g) agreements</h1><p class=\"error\">{}</p>",
                e(&error.message)
            );
            if let Some(help) = &error.help {
                push!(&mut body, "<p>{}</p>", e(help));
            }
            push!(
                &mut body,
                "<form method=\"get\" action=\"/287g\"><label for=\"as_of\">As of</label> <input type=\"date\" id=\"as_of\" name=\"as_of\" value=\"\"> <button type=\"submit\">Show</button></form><p><a href=\"/287g\">The latest sheet</a></p>"
            );
            let mut response = page.html(&body);
            *response.status_mut() = StatusCode::BAD_REQUEST;
            return response;
        }
        Err(error) => return error.into_response(),
    };
    let mut sources = vec![ice_source(&state, &overview.snapshots)];
    if let Some(directory) = &overview.directory {
        sources.push(DataSource {
            name: "FBI Crime Data Explorer, law enforcement employees by agency (agency counts and population served)".to_string(),
            url: Some("https://cde.ucr.cjis.gov/".to_string()),
            licence: "US federal government work (public domain)".to_string(),
            date: format!("as imported: {directory}"),
            note: None,
        });
    }
    let page = page.with_sources(sources);
    // Feed readers find the changes of what the page shows: the state's, or every state's.
    let page = match &overview.state {
        Some(code) => page.with_feed(
            format!(
                "287(g) agreements added and removed in {}",
                state_name(code)
            ),
            format!("/287g/{code}/feed.atom"),
        ),
        None => page.with_feed("287(g) agreements added and removed", "/feed.atom"),
    };
    match format {
        Format::Json => {
            overview.paginate(&params, offset, size);
            page.json(&overview)
        }
        Format::Csv => match table(&overview, params.get("table")) {
            Ok(table) => page.csv(&table),
            Err(error) => error.into_response(),
        },
        Format::Html => page.html(&render(&state, &overview, &params)),
    }
}

/// The CSV table of agreements, for the listed ones (`ExportRow`) and for the added or removed
/// ones (`AgreementRow`). A macro because the two types share these fields but no trait.
macro_rules! agreement_table {
    ($rows:expr) => {{
        let optional = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut table = Table::new(&[
            "state",
            "agency",
            "agency_type",
            "county",
            "model",
            "signed",
            "status",
            "first_seen",
            "last_seen",
            "ori",
        ]);
        for row in $rows {
            table.push(vec![
                row.state.clone(),
                row.agency.clone(),
                optional(&row.agency_type),
                optional(&row.county),
                row.model.clone(),
                optional(&row.signed),
                row.status.clone(),
                row.first_seen.clone(),
                row.last_seen.clone(),
                optional(&row.ori),
            ]);
        }
        table
    }};
}

fn table(overview: &Overview, name: Option<&str>) -> Result<Table, WebError> {
    let number = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v:.6}"));
    match name.unwrap_or("agreements") {
        "agreements" => Ok(agreement_table!(&overview.listed)),
        "added" => Ok(agreement_table!(&overview.changes.added)),
        "removed" => Ok(agreement_table!(&overview.changes.removed)),
        "states" => {
            let mut table = Table::new(&[
                "state",
                "name",
                "agreements",
                "agencies_with_agreement",
                "directory_agencies",
                "agency_share",
                "population",
                "agreements_per_million",
            ]);
            for row in &overview.states {
                table.push(vec![
                    row.state.clone(),
                    row.name.to_string(),
                    row.agreements.to_string(),
                    row.agencies_with_agreement.to_string(),
                    row.directory_agencies
                        .map_or_else(String::new, |v| v.to_string()),
                    number(row.agency_share),
                    row.population.map_or_else(String::new, |v| v.to_string()),
                    number(row.agreements_per_million),
                ]);
            }
            Ok(table)
        }
        "counties" => {
            let mut table = Table::new(&["fips", "county", "state", "agreements", "agencies"]);
            for row in &overview.counties {
                table.push(vec![
                    row.fips.clone(),
                    row.county.clone(),
                    row.state.clone(),
                    row.agreements.to_string(),
                    row.agencies.to_string(),
                ]);
            }
            Ok(table)
        }
        "timeline" => {
            let mut table = Table::new(&[
                "day",
                "snapshot",
                "agreements",
                "agencies",
                "jail_enforcement",
                "task_force",
                "warrant_service_officer",
                "pending",
            ]);
            for point in &overview.timeline {
                let model = |m: &str| point.by_model.get(m).copied().unwrap_or(0).to_string();
                table.push(vec![
                    point.day.clone(),
                    point.snapshot.clone(),
                    point.agreements.to_string(),
                    point.agencies.to_string(),
                    model("jail_enforcement"),
                    model("task_force"),
                    model("warrant_service_officer"),
                    point.pending.to_string(),
                ]);
            }
            Ok(table)
        }
        other => Err(
            WebError::bad_request(format!("`table`: no table `{other}` on this page"))
                .with_help("tables are agreements, added, removed, states, counties and timeline"),
        ),
    }
}

/// The URL of the page with some parameters changed (`None` removes one).
fn with_params(params: &Params, changes: &[(&str, Option<&str>)]) -> String {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for key in [
        "as_of", "state", "model", "county", "from", "to", "q", "sort", "offset", "shade",
    ] {
        let value = changes
            .iter()
            .find(|(k, _)| *k == key)
            .map_or_else(|| params.get(key), |(_, v)| *v);
        if let Some(value) = value {
            pairs.push((key, value));
        }
    }
    if pairs.is_empty() {
        "/287g".to_string()
    } else {
        format!("/287g?{}", query_string(pairs))
    }
}

fn render(state: &AppState, overview: &Overview, params: &Params) -> String {
    let place = overview
        .state
        .as_deref()
        .map_or("the United States".to_string(), |s| {
            state_name(s).to_string()
        });
    let mut body = String::with_capacity(256 * 1024);
    body.push_str(&header(state, overview, params, &place).into_string());
    // The maps.
    maps(&mut body, state, overview, params);
    body.push_str(&by_model_and_type(overview, params).into_string());
    body.push_str(&timeline(overview, params).into_string());
    body.push_str(&changes_between(overview, params).into_string());
    body.push_str(&per_state(overview, params).into_string());
    body.push_str(&listed(overview, params).into_string());
    body
}

/// The heading, the form (every view has its own address), the headline numbers and the law.
fn header(state: &AppState, overview: &Overview, params: &Params, place: &str) -> Markup {
    let model_words = overview
        .model
        .as_deref()
        .map_or(String::new(), |m| format!(" ({})", model_label(m)));
    // Never a blank box: without a date asked for, the day of the sheet shown.
    let as_of = params
        .get("as_of")
        .unwrap_or(overview.snapshot.taken.get(..10).unwrap_or_default());
    let law = overview.state.as_ref().map(|code| {
        let input = QuestionInput {
            place: code.clone(),
            date: Some(today().to_string()),
            actor: "sheriff".to_string(),
            action: "enter_287g_agreement".to_string(),
            counterparty: Some("ice".to_string()),
            purpose: None,
            facts: Vec::new(),
        };
        // By its code, which the place page reads for DC and the territories too (their
        // divisions are `district:` and `territory:`, not `state:`).
        (ask_url(&input), place_url(code))
    });
    html! {
        h1 { "287(g) agreements in " (place) }
        @if state.options().demo {
            p.error {
                strong { "Demo data:" }
                " small self-made sample sheets in ICE's format, not ICE's lists. Import the real sheets with "
                code { "remit registry import" } "."
            }
        }
        p { "Under 8 U.S.C. 1357(g) (section 287(g)), ICE delegates immigration functions to state and local agencies by written agreement. ICE publishes the list of agencies with an agreement, and those with one pending, as spreadsheets that change daily and keep no history; every imported snapshot is kept here." }
        form method="get" action="/287g" {
            label for="as_of" { "As of" } " "
            input type="date" id="as_of" name="as_of" value=(as_of);
            " "
            label for="state" { "State" } " "
            select id="state" name="state" {
                option value="" { "all" }
                @for (code, name, _) in remit_law::jurisdiction::STATES {
                    option value=(code) selected[overview.state.as_deref() == Some(*code)] { (name) }
                }
            }
            " "
            label for="model" { "Model" } " "
            select id="model" name="model" {
                option value="" { "all" }
                @for model in remit_registry::MODELS {
                    option value=(model.slug) selected[overview.model.as_deref() == Some(model.slug)] { (model.label) }
                }
            }
            " "
            button type="submit" { "Show" }
        }
        p.headline {
            strong {
                "As of " (overview.snapshot.taken) ": " (count(overview.agreements)) " agreements"
                (model_words) " held by " (count(overview.agencies)) " agencies in " (place)
                @match &overview.pending_snapshot {
                    Some(pending) if overview.pending > 0 => {
                        "; " (count(overview.pending)) " more pending (" (count(overview.pending_agencies))
                        " agencies, pending sheet of " (pending.taken) ")"
                    }
                    Some(pending) => { "; none pending (pending sheet of " (pending.taken) ")" }
                    None => {}
                }
                "."
            }
        }
        @if let Some(asked) = &overview.as_of {
            p.note {
                "The latest snapshot on or before " (asked) " is ICE's participating sheet of "
                (overview.snapshot.taken) " (" (count(overview.snapshot.rows)) " rows)."
                (technical(html! { "File " code { (overview.snapshot.file) } }))
            }
        }
        @if let Some((ask, rules)) = &law {
            p {
                "What the law of " (place) " says: "
                a href=(ask) { "may a sheriff enter a 287(g) agreement?" } " · "
                a href=(rules) { "every rule in force there" }
            }
        }
    }
}

/// Agreements by model (each a link to the page filtered to it) and by agency type.
fn by_model_and_type(overview: &Overview, params: &Params) -> Markup {
    html! {
        h2 { "By model and agency type" }
        div.pair {
            div {
                (components::table(&[Column::text("Model"), Column::number("Agreements")], None, html! {
                    @for (model, number) in &overview.by_model {
                        tr {
                            td { a href=(with_params(params, &[("model", Some(model))])) { (model_label(model)) } }
                            (number_cell(*number))
                        }
                    }
                }))
            }
            div {
                (components::table(&[Column::text("Agency type"), Column::number("Agreements")], None, html! {
                    @for (kind, number) in &overview.by_type {
                        tr { td { (kind) } (number_cell(*number)) }
                    }
                }))
            }
        }
    }
}

/// Agreements on each day's participating sheet, by model, as a chart and its numbers.
fn timeline(overview: &Overview, params: &Params) -> Markup {
    let labels: Vec<String> = overview.timeline.iter().map(|p| p.day.clone()).collect();
    let mut series = vec![Series {
        name: "all models".to_string(),
        values: overview.timeline.iter().map(|p| p.agreements).collect(),
    }];
    for model in remit_registry::MODELS {
        let values: Vec<u64> = overview
            .timeline
            .iter()
            .map(|p| p.by_model.get(model.slug).copied().unwrap_or(0))
            .collect();
        if values.iter().any(|v| *v > 0) {
            series.push(Series {
                name: model.label.to_string(),
                values,
            });
        }
    }
    let mut svg = String::new();
    svg::line_chart(&mut svg, "Agreements over time, by model", &labels, &series);
    html! {
        h2 { "Over time" }
        p {
            "Agreements on each day's participating sheet"
            @if overview.state.is_some() { " in this state" }
            ", by model."
        }
        (chart(&svg, None))
        details {
            summary { "The numbers" }
            (components::table(
                &[
                    Column::text("Day"),
                    Column::text("Snapshot"),
                    Column::number("Agreements"),
                    Column::number("Agencies"),
                    Column::number("Jail enforcement"),
                    Column::number("Task force"),
                    Column::number("Warrant service officer"),
                    Column::number("Pending"),
                ],
                None,
                html! {
                    @for point in &overview.timeline {
                        @let model = |m: &str| point.by_model.get(m).copied().unwrap_or(0);
                        tr {
                            td { a href=(with_params(params, &[("as_of", Some(&point.day))])) { (point.day) } }
                            td { (point.snapshot) }
                            (number_cell(point.agreements))
                            (number_cell(point.agencies))
                            (number_cell(model("jail_enforcement")))
                            (number_cell(model("task_force")))
                            (number_cell(model("warrant_service_officer")))
                            (number_cell(point.pending))
                        }
                    }
                },
            ))
        }
    }
}

/// The agreements added and removed between two sheets, with the form to choose them.
fn changes_between(overview: &Overview, params: &Params) -> Markup {
    let changes = &overview.changes;
    let feed = overview.state.as_deref().map_or_else(
        || "/feed.atom".to_string(),
        |code| format!("/287g/{code}/feed.atom"),
    );
    let hidden: Vec<(&str, &str)> = ["as_of", "state", "model"]
        .into_iter()
        .filter_map(|key| Some((key, params.get(key)?)))
        .collect();
    html! {
        h2 { "What changed between two dates" }
        p.note {
            "Every change recorded as sheets arrive, with those of sharing lists and of the law as encoded, is on "
            a href="/changes" { "what changed" } "; a feed reader can follow " a href=(feed) { "this page's feed" } "."
        }
        form method="get" action="/287g" {
            @for (name, value) in &hidden {
                input type="hidden" name=(name) value=(value);
            }
            label for="from" { "From" } " "
            input type="date" id="from" name="from" value=(changes.from.day);
            " "
            label for="to" { "to" } " "
            input type="date" id="to" name="to" value=(changes.to.day);
            " "
            button type="submit" { "Compare" }
        }
        p {
            "From the sheet of " (changes.from.taken) " (" (count(changes.from_agreements))
            " agreements) to the sheet of " (changes.to.taken) " (" (count(changes.to_agreements))
            " agreements): "
            strong { (count(changes.added.len() as u64)) " added, " (count(changes.removed.len() as u64)) " removed" } "."
        }
        @if !changes.added.is_empty() || !changes.removed.is_empty() {
            (components::table(&[Column::text("Model"), Column::number("Added"), Column::number("Removed")], None, html! {
                @for model in remit_registry::MODELS {
                    @let added = changes.added_by_model.get(model.slug).copied().unwrap_or(0);
                    @let removed = changes.removed_by_model.get(model.slug).copied().unwrap_or(0);
                    @if added + removed > 0 {
                        tr { td { (model.label) } (number_cell(added)) (number_cell(removed)) }
                    }
                }
            }))
            @for (title, rows, name) in [("Added", &changes.added, "added"), ("Removed", &changes.removed, "removed")] {
                @if !rows.is_empty() {
                    details {
                        summary { (title) ": " (rows.len()) " agreements" }
                        (components::table(
                            &[
                                Column::text("State"),
                                Column::text("Agency"),
                                Column::text("Model"),
                                Column::text("Signed"),
                                Column::text("First seen"),
                                Column::text("Last seen"),
                            ],
                            None,
                            html! {
                                @for row in rows.iter() {
                                    tr {
                                        td { (row.state) }
                                        td { a href=(agency_url(row.ori.as_deref(), &row.state, &row.agency)) { (row.agency) } }
                                        td { (model_label(&row.model)) }
                                        td { (row.signed.as_deref().unwrap_or("")) }
                                        td { (row.first_seen) }
                                        td { (row.last_seen) }
                                    }
                                }
                            },
                        ))
                        p.note { "As CSV: " a href=(csv_link(params, name)) { (name) } }
                    }
                }
            }
        }
    }
}

/// Per-state figures: the twenty states with most agreements as bars, and every state's numbers
/// (rates against the FBI directory when it is loaded).
fn per_state(overview: &Overview, params: &Params) -> Markup {
    let mut bars: Vec<svg::Bar> = overview
        .states
        .iter()
        .filter(|r| r.agreements > 0)
        .map(|r| svg::Bar {
            label: r.name.to_string(),
            value: r.agreements,
            href: Some(with_params(params, &[("state", Some(&r.state))])),
        })
        .collect();
    bars.sort_by(|a, b| b.value.cmp(&a.value).then(a.label.cmp(&b.label)));
    bars.truncate(20);
    let mut svg = String::new();
    svg::bar_chart(
        &mut svg,
        "Agreements per state (the twenty with most)",
        &bars,
    );
    let rates = overview.directory.is_some();
    let mut columns = vec![
        Column::text("State"),
        Column::number("Agreements"),
        Column::number("Agencies with one"),
    ];
    if rates {
        columns.extend([
            Column::number("FBI-listed agencies"),
            Column::number("Share"),
            Column::number("Per million residents"),
        ]);
    }
    html! {
        h2 { "Per state" }
        (chart(&svg, None))
        @if rates {
            p { "Agencies with an agreement out of the agencies the FBI lists in the state, and agreements per million residents the FBI's agencies serve (all models)." }
        } @else {
            p {
                "Agreements and agencies holding them (all models). Rates against each state's agencies and population need the FBI agency directory: import it with "
                code { "remit agencies import" } " and serve again."
            }
        }
        (components::table(&columns, None, html! {
            @for row in &overview.states {
                tr {
                    td { a href=(with_params(params, &[("state", Some(&row.state))])) { (row.name) } }
                    (number_cell(row.agreements))
                    (number_cell(row.agencies_with_agreement))
                    @if rates {
                        (number_cell(row.directory_agencies.unwrap_or(0)))
                        td.n { (row.agency_share.map_or_else(String::new, |s| format!("{:.1}%", s * 100.0))) }
                        td.n { (row.agreements_per_million.map_or_else(String::new, |r| format!("{r:.1}"))) }
                    }
                }
            }
        }))
    }
}

/// The agreements listed: filtered by agency or county name, sorted and paged on the server.
fn listed(overview: &Overview, params: &Params) -> Markup {
    let q = params.get("q").unwrap_or("").to_lowercase();
    let sort = params.get("sort").unwrap_or("state");
    let offset = params
        .get("offset")
        .and_then(|o| o.parse::<usize>().ok())
        .unwrap_or(0);
    let mut rows: Vec<&ExportRow> = overview
        .listed
        .iter()
        .filter(|row| {
            q.is_empty()
                || row.agency.to_lowercase().contains(&q)
                || row
                    .county
                    .as_deref()
                    .is_some_and(|c| c.to_lowercase().contains(&q))
        })
        .collect();
    match sort {
        "agency" => rows.sort_by(|a, b| a.agency.cmp(&b.agency)),
        "model" => rows.sort_by(|a, b| a.model.cmp(&b.model).then(a.agency.cmp(&b.agency))),
        "signed" => rows.sort_by(|a, b| b.signed.cmp(&a.signed).then(a.agency.cmp(&b.agency))),
        _ => {}
    }
    let hidden: Vec<(&str, &str)> = ["as_of", "state", "model", "county", "sort"]
        .into_iter()
        .filter_map(|key| Some((key, params.get(key)?)))
        .collect();
    let sort_url = |key: &str| {
        format!(
            "{}#agreements",
            with_params(params, &[("sort", Some(key)), ("offset", None)])
        )
    };
    let sorting = Sorting {
        current: sort,
        descending: sort == "signed",
        url: &sort_url,
    };
    let matching = rows.len();
    html! {
        @match &overview.county {
            Some(county) => {
                h2 #agreements {
                    "Agreements of agencies in " (county.name) ", " (county.state) " as of "
                    (overview.snapshot.day) " (" (count(overview.listed.len() as u64)) ")"
                }
                p {
                    a href={ (with_params(params, &[("county", None), ("offset", None)])) "#agreements" } {
                        "Every agreement in " (state_name(&county.state))
                    }
                }
            }
            None => h2 #agreements {
                "Agreements listed as of " (overview.snapshot.day) " (" (count(overview.listed.len() as u64)) ")"
            },
        }
        (filter_form(
            "/287g#agreements",
            &[Field { name: "q", label: "Agency or county", value: params.get("q").unwrap_or(""), short: false }],
            &hidden,
        ))
        (components::table(
            &[
                Column::text("State").sorts_by("state"),
                Column::text("Agency").sorts_by("agency"),
                Column::text("Type"),
                Column::text("County"),
                Column::text("Model").sorts_by("model"),
                Column::text("Signed").sorts_by("signed"),
                Column::text("Status"),
            ],
            Some(&sorting),
            html! {
                @for row in rows.iter().skip(offset).take(AGREEMENTS_PER_PAGE) {
                    tr {
                        td { (row.state) }
                        td { a href=(agency_url(row.ori.as_deref(), &row.state, &row.agency)) { (row.agency) } }
                        td { (row.agency_type.as_deref().unwrap_or("")) }
                        td { (row.county.as_deref().unwrap_or("")) }
                        td { (model_label(&row.model)) }
                        td { (row.signed.as_deref().unwrap_or("")) }
                        td { (row.status) }
                    }
                }
            },
        ))
        (pager(offset, AGREEMENTS_PER_PAGE, matching, |offset| {
            let offset = offset.to_string();
            format!("{}#agreements", with_params(params, &[("offset", Some(offset.as_str()))]))
        }))
        p.note {
            "As CSV: " a href=(csv_link(params, "agreements")) { "agreements" }
            " · " a href=(csv_link(params, "states")) { "states" }
            " · " a href=(csv_link(params, "timeline")) { "timeline" }
        }
    }
}

/// The state and county maps, their legends, how agreements were placed, the dates to look at,
/// and the numbers as tables.
fn maps(body: &mut String, state: &AppState, overview: &Overview, params: &Params) {
    use super::map::{MapView, Shade, geo_map, legend, shade_bounds};
    let map = match crate::geo::us_map() {
        Ok(map) => map,
        Err(error) => {
            eprintln!("remit serve: the built-in map cannot be read: {error}");
            body.push_str("<p class=\"error\">The map cannot be drawn; the numbers are in the tables below.</p>");
            return;
        }
    };
    let when = &overview.snapshot.taken;
    let model_words = overview
        .model
        .as_deref()
        .map_or(String::new(), |m| format!(" ({})", model_label(m)));
    // The model filter and the dates, as links (every view has its own address).
    body.push_str("<p class=\"filters\">Model: ");
    let mut links = vec![(
        "all models".to_string(),
        with_params(params, &[("model", None), ("offset", None)]),
        overview.model.is_none(),
    )];
    for model in remit_registry::MODELS {
        links.push((
            model.label.to_string(),
            with_params(params, &[("model", Some(model.slug)), ("offset", None)]),
            overview.model.as_deref() == Some(model.slug),
        ));
    }
    let mut first = true;
    for (label, href, current) in &links {
        if !first {
            body.push_str(" · ");
        }
        first = false;
        if *current {
            push!(body, "<strong aria-current=\"true\">{}</strong>", e(label));
        } else {
            push!(body, "<a href=\"{}#map\">{}</a>", e(href), e(label));
        }
    }
    body.push_str("</p>");
    push!(
        body,
        "<details class=\"timeline\"><summary>The map on another date ({} sheets)</summary><p>",
        overview.timeline.len()
    );
    for (index, point) in overview.timeline.iter().enumerate() {
        if index > 0 {
            body.push_str(" · ");
        }
        if point.day == overview.snapshot.day {
            push!(
                body,
                "<strong aria-current=\"true\">{}</strong>",
                e(&point.day)
            );
        } else {
            push!(
                body,
                "<a href=\"{}#map\">{}</a>",
                e(&with_params(
                    params,
                    &[("as_of", Some(&point.day)), ("offset", None)]
                )),
                e(&point.day)
            );
        }
    }
    body.push_str("</p></details>");

    // The states, with their real shapes: by their number of agreements, or (with the FBI
    // directory's populations) by agreements per million residents, so that a populous state
    // does not stand out for its size alone.
    body.push_str("<h2 id=\"map\">By state</h2>");
    let per_million = overview.directory.is_some() && params.get("shade") == Some("per_million");
    if overview.directory.is_some() {
        let choice = |label: &str, value: Option<&str>, current: bool| {
            if current {
                format!("<strong aria-current=\"true\">{}</strong>", e(label))
            } else {
                format!(
                    "<a href=\"{}#map\">{}</a>",
                    e(&with_params(params, &[("shade", value)])),
                    e(label)
                )
            }
        };
        push!(
            body,
            "<p class=\"filters\">Shade the states by: {} · {}</p>",
            choice("number of agreements", None, !per_million),
            choice(
                "agreements per million residents",
                Some("per_million"),
                per_million
            )
        );
    }
    let rate_of = |code: &str| {
        overview
            .states
            .iter()
            .find(|row| row.state == code)
            .and_then(|row| row.agreements_per_million)
    };
    let state_shades: Vec<Shade> = STATE_CODES_WITH_FIPS
        .iter()
        .map(|(code, fips)| {
            let value = overview.national_by_state.get(*code).copied().unwrap_or(0);
            let (value, label) = match rate_of(code) {
                // Hundredths, so that the classes can split rates below one.
                Some(rate) if per_million => (
                    (rate * 100.0).round() as u64,
                    format!(
                        "{}: {rate:.2} agreements per million residents",
                        state_name(code)
                    ),
                ),
                _ if per_million => (0, format!("{}: no population figure", state_name(code))),
                _ => (
                    value,
                    format!("{}: {}", state_name(code), agreements(value)),
                ),
            };
            Shade {
                fips: (*fips).to_string(),
                value,
                label,
                href: Some(format!(
                    "{}#map",
                    with_params(
                        params,
                        &[("state", Some(code)), ("county", None), ("offset", None)]
                    )
                )),
            }
        })
        .collect();
    let selected = overview.state.as_deref().and_then(crate::geo::state_fips);
    let title = if per_million {
        format!("Agreements per million residents by state as of {when} (all models)")
    } else {
        format!("Agreements per state as of {when}{model_words}")
    };
    body.push_str("<div class=\"map\">");
    geo_map(
        body,
        map,
        &MapView {
            title: &title,
            description: "A map of the states, DC and the territories (Alaska, Hawaii and the territories in insets), each shaded by its number of agreements and linked to its own page; the numbers are in the per-state table below.",
            counties: false,
            focus: None,
            selected,
            id: "state-map",
        },
        &state_shades,
    );
    body.push_str("</div>");
    if per_million {
        body.push_str(
            &super::map::key_of_hundredths(
                &shade_bounds(&state_shades),
                (
                    "agreements per million residents",
                    "agreements per million residents",
                ),
            )
            .into_string(),
        );
        body.push_str("<p class=\"note\">Agreements of every model per million residents the FBI's listed agencies serve in the state. The shades are quarters of the states that have any agreement, as the key gives; the rates are in the per-state table below.</p>");
    } else {
        legend(
            body,
            &shade_bounds(&state_shades),
            ("agreement", "agreements"),
        );
        body.push_str("<p class=\"note\">The shades are quarters of the places that have any agreement, as the key gives. Follow a state to its counties; the numbers are in the per-state table below.</p>");
    }

    // The counties.
    let place = overview
        .state
        .as_deref()
        .map_or("the United States", state_name);
    push!(body, "<h2 id=\"counties\">By county in {}</h2>", e(place));
    let county_shades: Vec<Shade> = overview
        .counties
        .iter()
        .map(|row| Shade {
            fips: row.fips.clone(),
            value: row.agreements,
            label: format!(
                "{}, {}: {}, {} {}",
                row.county,
                row.state,
                agreements(row.agreements),
                count(row.agencies),
                if row.agencies == 1 {
                    "agency"
                } else {
                    "agencies"
                }
            ),
            href: Some(county_url(params, &row.fips)),
        })
        .collect();
    let title = format!("Agreements per county in {place} as of {when}{model_words}");
    let description = format!(
        "A map of the counties{}, each shaded by the agreements of the agencies placed in it and linked to their list; {} counties have any. The numbers are in the table below the map.",
        if overview.state.is_some() {
            " of the state"
        } else {
            " (Alaska, Hawaii and the territories in insets)"
        },
        count(overview.counties.len() as u64)
    );
    body.push_str("<div class=\"map\">");
    geo_map(
        body,
        map,
        &MapView {
            title: &title,
            description: &description,
            counties: true,
            focus: selected,
            selected: None,
            id: "county-map",
        },
        &county_shades,
    );
    body.push_str("</div>");
    legend(
        body,
        &shade_bounds(&county_shades),
        ("agreement", "agreements"),
    );
    let placement = &overview.placement;
    let placed = placement.by_directory + placement.by_sheet;
    push!(
        body,
        "<p class=\"note\">Of the {} agreements on the sheet of {when}{}, {} are placed in a county: {} by the county the FBI agency list gives the agency (linked by name{}), {} by the county ICE's sheet gives. {} are held by state agencies, which act statewide and are on no county. <strong>{} could not be placed</strong>{}. Pending agreements are not counted.</p>",
        count(placed + placement.statewide + placement.unplaced),
        e(&model_words),
        count(placed),
        count(placement.by_directory),
        if state
            .directory()
            .is_some_and(remit_agencies::Directory::is_complete)
        {
            ""
        } else {
            "; the full FBI list is not loaded: import it with <code>remit agencies import</code>"
        },
        count(placement.by_sheet),
        count(placement.statewide),
        count(placement.unplaced),
        if placement.unplaced > 0 {
            " (listed below)"
        } else {
            ""
        }
    );
    push!(
        body,
        "<details><summary>The numbers by county ({} counties with agreements)</summary>",
        count(overview.counties.len() as u64)
    );
    table_head(body, &["county", "state", "agreements", "agencies"]);
    for row in &overview.counties {
        push!(
            body,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            e(&county_url(params, &row.fips)),
            e(&row.county),
            e(&row.state),
            count(row.agreements),
            count(row.agencies)
        );
    }
    table_end(body);
    push!(
        body,
        "<p class=\"note\">As CSV: <a href=\"{}\">counties</a></p></details>",
        e(&csv_link(params, "counties"))
    );
    if !placement.not_placed.is_empty() {
        push!(
            body,
            "<details><summary>Agreements not placed in a county ({})</summary>",
            count(placement.unplaced)
        );
        table_head(body, &["state", "agency", "model", "why"]);
        for row in &placement.not_placed {
            push!(
                body,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                e(&row.state),
                e(&row.agency),
                e(model_label(&row.model)),
                e(row.reason)
            );
        }
        table_end(body);
        body.push_str("</details>");
    }
}

/// `1 agreement`, `3 agreements`.
fn agreements(number: u64) -> String {
    if number == 1 {
        "1 agreement".to_string()
    } else {
        format!("{} agreements", count(number))
    }
}

/// The page listing a county's agreements.
fn county_url(params: &Params, fips: &str) -> String {
    let state = crate::geo::state_code(fips.get(..2).unwrap_or_default());
    format!(
        "{}#agreements",
        with_params(
            params,
            &[
                ("county", Some(fips)),
                ("state", state),
                ("q", None),
                ("offset", None)
            ]
        )
    )
}

/// The states and territories on the map, by code and FIPS code.
const STATE_CODES_WITH_FIPS: &[(&str, &str)] = crate::geo::STATE_FIPS;

/// Agreements listed per page.
const AGREEMENTS_PER_PAGE: usize = 50;

fn csv_link(params: &Params, table: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for key in ["as_of", "state", "model", "county", "from", "to"] {
        if let Some(value) = params.get(key) {
            pairs.push((key, value));
        }
    }
    pairs.push(("table", table));
    format!("/287g.csv?{}", query_string(pairs))
}

#[derive(Debug, Serialize)]
struct AgencyView<'a> {
    agencies: &'a [AgencyHistory],
    snapshots: Vec<SnapshotView>,
}

/// `/agencies/{ORI}` or `/agencies/{STATE}/{name}`: an agency's 287(g) history.
pub async fn agency(
    State(state): State<AppState>,
    format: Format,
    Path(raw): Path<String>,
) -> Response {
    let id = format.id(&raw);
    let found = with_registry(&state, |registry| {
        let (name, code) = if remit_agencies::is_ori(id) {
            let rows = registry.export(None, &Filter::default())?;
            match rows.into_iter().find(|r| r.ori.as_deref() == Some(id)) {
                Some(row) => (row.agency, row.state),
                None => {
                    return Err(RegistryError::NoAgency {
                        name: id.to_string(),
                    });
                }
            }
        } else {
            let (code, name) = id.split_once('/').unwrap_or(("", id));
            match parse_state(code) {
                Some(code) => (name.to_string(), code.to_string()),
                None => {
                    return Err(RegistryError::NoAgency {
                        name: id.to_string(),
                    });
                }
            }
        };
        let histories = registry.agency(&name, Some(&code))?;
        // The exact agency first: the query also finds names that contain the words.
        let mut exact: Vec<AgencyHistory> = histories
            .iter()
            .filter(|h| h.name == name || h.names.iter().any(|n| n.name == name))
            .cloned()
            .collect();
        if exact.is_empty() {
            exact = histories;
        }
        Ok((exact, registry.snapshots()?))
    });
    // The agency as the other records know it (sharing lists, audits): its page joins them.
    let joined = super::agencies::collect(&state);
    let url = format!("/agencies/{}", id_path(id));
    let known = joined
        .as_ref()
        .ok()
        .and_then(|all| super::agencies::find(all, &url, id).cloned());
    let (agencies, snapshots) = match (found, known) {
        (Ok(Some(found)), _) if !found.0.is_empty() => found,
        (_, Some(agency)) => return other_records_page(&state, format, &url, &agency),
        (Ok(None), None) => {
            return WebError::not_found("the store holds no 287(g) sheets")
                .with_help("import ICE's sheets with `remit registry import FILES`, or run `remit serve --demo`")
                .into_response();
        }
        (Ok(Some(found)), None) => found,
        (Err(error), None) => return error.into_response(),
    };
    let snapshots: Vec<SnapshotView> = snapshots.iter().map(SnapshotView::from).collect();
    let title = agencies
        .first()
        .map_or_else(|| id.to_string(), |a| format!("{} ({})", a.name, a.state));
    let page = Page::new(title.clone(), "/287g", format!("/agencies/{}", id_path(id)))
        .with_csv()
        .with_sources(vec![ice_source(&state, &snapshots)]);
    match format {
        Format::Json => page.json(&AgencyView {
            agencies: &agencies,
            snapshots,
        }),
        Format::Csv => {
            let mut table = Table::new(&[
                "state",
                "agency",
                "model",
                "signed",
                "status",
                "period_status",
                "period_from",
                "period_to",
                "snapshots",
            ]);
            for agency in &agencies {
                for agreement in &agency.agreements {
                    for period in &agreement.periods {
                        table.push(vec![
                            agency.state.clone(),
                            agency.name.clone(),
                            agreement.model.clone(),
                            agreement.signed.clone().unwrap_or_default(),
                            agreement.status.clone(),
                            period.status.to_string(),
                            period.from.clone(),
                            period.to.clone().unwrap_or_default(),
                            period.snapshots.to_string(),
                        ]);
                    }
                }
            }
            page.csv(&table)
        }
        Format::Html => {
            let mut body = String::with_capacity(16 * 1024);
            if state.options().demo {
                body.push_str("<p class=\"error\"><strong>Demo data:</strong> a sample agency from self-made sheets, not ICE's lists.</p>");
            }
            for agency in &agencies {
                render_agency(&mut body, agency, &snapshots);
            }
            if let Some(agency) = joined.as_ref().ok().and_then(|all| {
                agencies
                    .first()
                    .and_then(|a| super::agencies::find(all, &url, &a.name))
            }) {
                super::agencies::related(&mut body, &state, agency);
            }
            page.html(&body)
        }
    }
}

/// The page of an agency with no 287(g) agreement in the store but other records (a sharing
/// list, an audit): what the records hold about it, linked.
fn other_records_page(
    state: &AppState,
    format: Format,
    url: &str,
    agency: &super::agencies::Agency,
) -> Response {
    let sources = match super::store_sources(state) {
        Ok(sources) => sources,
        Err(error) => return error.into_response(),
    };
    let page = Page::new(agency.name.clone(), "/agencies", url.to_string()).with_sources(sources);
    match format {
        Format::Json => page.json(&serde_json::json!({ "agency": agency })),
        Format::Csv => WebError::no_csv().into_response(),
        Format::Html => {
            let mut body = String::with_capacity(4096);
            push!(
                &mut body,
                "<h1>{}</h1><p>{}</p>",
                e(&agency.name),
                e(&agency.detail())
            );
            super::agencies::related(&mut body, state, agency);
            page.html(&body)
        }
    }
}

/// The id as it goes back into a URL: the state and name form keeps its slash.
fn id_path(id: &str) -> String {
    match id.split_once('/') {
        Some((state, name)) => format!("{state}/{}", path_component(name)),
        None => path_component(id),
    }
}

fn render_agency(body: &mut String, agency: &AgencyHistory, snapshots: &[SnapshotView]) {
    // One bar per agreement across the snapshots: active, pending, or absent.
    let times: Vec<&str> = snapshots.iter().map(|s| s.taken.as_str()).collect();
    let mut distinct: Vec<&str> = times.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let input = QuestionInput {
        place: agency.state.clone(),
        date: Some(today().to_string()),
        actor: if agency
            .agency_type
            .as_deref()
            .is_some_and(|t| t.to_lowercase().contains("county"))
        {
            "sheriff"
        } else {
            "local_police"
        }
        .to_string(),
        action: "enter_287g_agreement".to_string(),
        counterparty: Some("ice".to_string()),
        purpose: None,
        facts: Vec::new(),
    };
    let page = html! {
        h1 { (agency.name) }
        p {
            (state_name(&agency.state))
            @if let Some(kind) = &agency.agency_type { " · " (kind) }
            @if let Some(county) = &agency.county { " · " (county) }
            " · " a href={ "/287g?state=" (agency.state) } { "287(g) in " (state_name(&agency.state)) }
        }
        // The link to the directory in words; its code, confidence and reasons for whoever
        // checks it.
        @match &agency.ori {
            Some(ori) => p {
                "In the FBI agency directory as " (agency.directory_name.as_deref().unwrap_or(&agency.name)) "."
                (technical(html! {
                    "FBI agency code (ORI) " code { (ori) } ", matched with confidence "
                    (format!("{:.2}", agency.link_confidence.unwrap_or(0.0)))
                    @if !agency.link_reasons.is_empty() {
                        ":"
                        ul { @for reason in &agency.link_reasons { li { (reason) } } }
                    }
                }))
            },
            None => p.note { "Not linked to the FBI agency directory." },
        }
        h2 { "Agreements" }
        @for agreement in &agency.agreements {
            h3 { (model_label(&agreement.model)) ": " (agreement.status) }
            p {
                "Signed " (agreement.signed.as_deref().unwrap_or("(not given)"))
                " · first seen " (agreement.first_seen) " · last seen " (agreement.last_seen)
            }
            ({
                let mut strip = String::new();
                periods_chart(&mut strip, &distinct, &agreement.periods);
                maud::PreEscaped(strip)
            })
            (components::table(
                &[
                    Column::text("Status"),
                    Column::text("From"),
                    Column::text("To"),
                    Column::number("Snapshots"),
                ],
                None,
                html! {
                    @for period in &agreement.periods {
                        tr {
                            td { (period.status) }
                            td { (period.from) }
                            td { (period.to.as_deref().unwrap_or("(latest)")) }
                            td.n { (period.snapshots) }
                        }
                    }
                },
            ))
        }
        @if agency.names.len() > 1 {
            h2 { "Names on ICE's sheets" }
            (components::table(
                &[
                    Column::text("Name"),
                    Column::text("First seen"),
                    Column::text("Last seen"),
                    Column::text("How linked"),
                ],
                None,
                html! {
                    @for name in &agency.names {
                        tr {
                            td { (name.name) }
                            td { (name.first_seen) }
                            td { (name.last_seen) }
                            td { (words(&name.link)) @if let Some(evidence) = &name.evidence { ": " (evidence) } }
                        }
                    }
                },
            ))
        }
        p {
            "What the law of " (state_name(&agency.state)) " says about such agreements: "
            a href=(ask_url(&input)) { "ask" } "."
        }
    };
    body.push_str(&page.into_string());
}

/// A strip over every snapshot time: dark where the agreement was on the participating sheet,
/// light where it was pending.
fn periods_chart(body: &mut String, times: &[&str], periods: &[remit_registry::StatusPeriod]) {
    if times.is_empty() {
        return;
    }
    let width = 720.0_f64;
    let step = width / times.len() as f64;
    let position = |time: &str| times.iter().position(|t| *t == time);
    push!(
        body,
        "<svg role=\"img\" aria-label=\"listing periods\" viewBox=\"0 0 {width} 34\" width=\"{width}\" height=\"34\" xmlns=\"http://www.w3.org/2000/svg\"><rect x=\"0\" y=\"4\" width=\"{width}\" height=\"14\" fill=\"#f1f3f4\"/>"
    );
    for period in periods {
        let Some(start) = position(&period.from) else {
            continue;
        };
        let end = period
            .to
            .as_deref()
            .and_then(position)
            .unwrap_or(times.len() - 1);
        let (fill, label) = match period.status {
            "active" => (svg::SERIES[0], "on the participating sheet"),
            "pending" => (svg::SERIES[4], "pending"),
            _ => ("#bbb", "removed"),
        };
        push!(
            body,
            "<rect x=\"{:.1}\" y=\"4\" width=\"{:.1}\" height=\"14\" fill=\"{fill}\"><title>{label}: {} to {}</title></rect>",
            start as f64 * step,
            (end + 1 - start) as f64 * step,
            e(&period.from),
            e(period.to.as_deref().unwrap_or("latest"))
        );
    }
    push!(
        body,
        "<text x=\"0\" y=\"31\" font-size=\"12\">{}</text><text x=\"{width}\" y=\"31\" font-size=\"12\" text-anchor=\"end\">{}</text></svg>",
        e(times[0]),
        e(times[times.len() - 1])
    );
    push!(
        body,
        "<p class=\"note\"><span class=\"c-active\">■</span> on the participating sheet · <span class=\"c-pending\">■</span> on the pending sheet · grey: not listed</p>"
    );
}
