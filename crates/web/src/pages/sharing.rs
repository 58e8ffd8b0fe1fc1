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

use std::collections::BTreeMap;

use crate::components::{self, Column, Facet, chart, number_cell, table, verdict_badge};
use crate::html::{path_component, query_string, words};
use crate::i18n::{self, count};
use crate::parts::{external, pager, technical};
use crate::response::{DataSource, Format, Page, Params, Table, WebError};
use crate::svg::{self, Bar, MapValue};

crate::i18n::strings! {
    /// The words of the sharing pages.
    pub struct SharingText {
        title: "Plate-reader sharing", "Intercambio de datos de lectores de placas";
        demo: "Demo data:", "Datos de demostración:";
        demo_list: "a self-made sample sharing list, not a real agency's.", "una lista de intercambio de muestra creada para la demostración, no la de una agencia real.";
        intro: "Agencies publish whom they let reach their license-plate-reader data: transparency portals list the organizations with access, and public-records releases give sharing lists. Each entry is an edge from the data's owner to a recipient; Remit works out who the recipient is and asks the owner's law whether it may share with it on the list's date.", "Las agencias publican a quién dejan acceder a los datos de sus lectores automáticos de placas: los portales de transparencia enumeran las organizaciones con acceso y las respuestas a solicitudes de registros públicos dan listas de intercambio. Cada entrada es un vínculo del propietario de los datos a un destinatario; Remit identifica al destinatario y pregunta a la ley que obliga al propietario si puede compartir con él en la fecha de la lista.";
        state: "State", "Estado";
        owners: "Owners", "Propietarios";
        sharing_out: "Sharing out of state or federally", "Comparten fuera del estado o con el gobierno federal";
        with_forbidden: "With forbidden edges", "Con vínculos prohibidos";
        recipients: "Recipients", "Destinatarios";
        in_state: "In state", "Del mismo estado";
        out_of_state: "Out of state", "De otro estado";
        federal: "Federal", "Federales";
        private: "Private", "Privados";
        unknown: "Unknown", "Desconocidos";
        forbidden_edges: "Forbidden edges", "Vínculos prohibidos";
        forbidden: "Forbidden", "Prohibidos";
        lists: "Lists", "Listas";
        owner: "Owner", "Propietario";
        dated: "Dated", "Fecha";
        shares_with: "Shares with", "Comparte con";
        receives_from: "Receives from", "Recibe de";
        prohibits_immigration_use: "Prohibits immigration use", "Prohíbe el uso para inmigración";
        uses_it_prohibits: "Uses it prohibits", "Usos que prohíbe";
        yes: "yes", "sí";
        group_in_state: "in state", "del mismo estado";
        group_out_of_state: "out of state", "de otro estado";
        group_federal: "federal", "federal";
        group_private: "private", "privado";
        group_unknown: "unknown", "desconocido";
        rules_that_forbid: "The rules that forbid them", "Las normas que los prohíben";
        the_rule: "the rule", "la norma";
        edge: "edge|edges", "vínculo|vínculos";
        see_also: "see also", "véase también";
        rule: "Rule", "Norma";
        rule_number: "rule", "norma";
        caveats: "Caveats", "Advertencias";
        rank: "Rank", "Puesto";
        sharing_in: "Plate-reader sharing in", "Intercambio de datos de lectores de placas en";
        recipients_by_class: "Recipients by class", "Destinatarios por clase";
        owners_with_forbidden: "Owners with forbidden edges", "Propietarios con vínculos prohibidos";
        no_owner_forbidden: "None: no owner in this state shares with a recipient its state's law forbids, on the lists imported.", "Ninguno: en las listas importadas, ningún propietario de este estado comparte con un destinatario que la ley de su estado prohíbe.";
        owners_ranked: "Owners ranked by forbidden edges", "Propietarios ordenados por vínculos prohibidos";
        owners_without_forbidden: "Owners with no forbidden edges", "Propietarios sin vínculos prohibidos";
        lists_without_recipients: "Lists with no recipients", "Listas sin destinatarios";
        undated: "undated", "sin fecha";
        everything_about: "Everything the records hold about", "Todo lo que dicen los registros sobre";
        everything_about_end: ": its 287(g) history, audits of its data, the law that binds it.", ": su historial 287(g), las auditorías de sus datos y la ley que la obliga.";
        show_all: "Every recipient", "Todos los destinatarios";
        show_federal: "Federal", "Federales";
        show_forbidden: "Forbidden by the owner's law", "Prohibidos por la ley del propietario";
        show_held: "Held a 287(g) agreement", "Con un acuerdo 287(g)";
        show_unchecked: "Not checked", "Sin comprobar";
        of_every_recipient: " (of every recipient)", " (de todos los destinatarios)";
        show: "Show", "Mostrar";
        none_on_this_page: "None on this page.", "Ninguno en esta página.";
        first_page: " The first page", " La primera página";
        lists_dated: "lists dated", "listas con fecha";
        sharing_list: "sharing list|sharing lists", "lista de intercambio|listas de intercambio";
        ori: "FBI agency code (ORI)", "Código de agencia del FBI (ORI)";
        list_them: "list them", "verlos";
        prohibited_use: "Its published policy lists immigration enforcement as a prohibited use.", "Su política publicada incluye el control migratorio entre los usos prohibidos.";
        federal_recipients: "Federal recipients", "Destinatarios federales";
        no_federal: "None: the list names no federal agency.", "Ninguno: la lista no nombra ninguna agencia federal.";
        by_state: "State and local recipients by state", "Destinatarios estatales y locales por estado";
        recipients_per_state: "Recipients per state", "Destinatarios por estado";
        recipient_unit: "recipients", "destinatarios";
        what_the_law_says: "What the law says", "Lo que dice la ley";
        edges_by_verdict: "Edges by verdict", "Vínculos por veredicto";
        a_page: "a page", "por página";
        not_checked_entry: "entry|entries", "entrada|entradas";
        not_checked: " not checked (a recipient that could not be told, the owner itself)", " sin comprobar (un destinatario que no se pudo identificar, o el propio propietario)";
        files: "file", "archivo";
        read_as: "read as", "leído como";
        inbound: "Agencies that share their data with it", "Agencias que comparten sus datos con ella";
        owner_of_data: "Owner of the data", "Propietario de los datos";
        list_dated: "List dated", "Fecha de la lista";
        verdict: "Verdict", "Veredicto";
        recipient: "Recipient", "Destinatario";
        as_written: "As the list writes it", "Como lo escribe la lista";
        kind: "Kind", "Tipo";
        the_law: "The law", "La ley";
        line: "Line of the list", "Línea de la lista";
        tag_pending: "287(g) pending", "287(g) en trámite";
        empty_store: "The store holds no sharing lists.", "La base de datos no contiene listas de intercambio.";
        no_store: "No store is open.", "No hay ninguna base de datos abierta.";
        empty_advice: "Import transparency-portal archives and sharing lists with", "Importe archivos de portales de transparencia y listas de intercambio con";
        empty_advice_end: ", then serve again; or run", " y vuelva a iniciar el servidor; o ejecute";
        empty_advice_demo: "to see this page with a sample list.", "para ver esta página con una lista de muestra.";
    }
}

/// A verdict on an edge in words (`must not`, `not checked`).
fn verdict_text(verdict: &str) -> String {
    let known = remit_law::Verdict::ALL.iter().find(|v| v.name() == verdict);
    match known {
        Some(verdict) => remit_law::lang::verdict_words(*verdict, i18n::lang()).to_string(),
        None if verdict == "unchecked" => SharingText::current().show_unchecked.to_lowercase(),
        None => words(verdict),
    }
}

/// A recipient group in words (`in state`, `federal`).
fn group_text(group: &str) -> &'static str {
    let t = SharingText::current();
    match group {
        "in_state" => t.group_in_state,
        "out_of_state" => t.group_out_of_state,
        "federal" => t.group_federal,
        "private" => t.group_private,
        _ => t.group_unknown,
    }
}

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
    let (first, last) = (
        dates
            .first()
            .map_or_else(|| "?".to_string(), |d| i18n::date(d)),
        dates
            .last()
            .map_or_else(|| "?".to_string(), |d| i18n::date(d)),
    );
    let lists = i18n::count_of(lists.len() as u64, SharingText::current().sharing_list);
    DataSource {
        name: i18n::pick(
            format!("{lists}: agencies' transparency portals and public-records releases"),
            format!(
                "{lists}: portales de transparencia de las agencias y respuestas a solicitudes de registros públicos"
            ),
        ),
        url: None,
        licence: i18n::pick(
            "as published by each agency (public records)",
            "tal como las publica cada agencia (registros públicos)",
        )
        .to_string(),
        date: i18n::pick(
            format!("lists dated {first} to {last}"),
            format!("listas con fecha del {first} al {last}"),
        ),
        note: state.options().demo.then(|| {
            i18n::pick(
                "Demo: a self-made sample list, not a real agency's.",
                "Demostración: una lista de muestra creada para la demostración, no la de una agencia real.",
            )
            .to_string()
        }),
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
            let t = SharingText::current();
            let body = html! {
                h1 { (t.title) }
                p {
                    (if state.has_store() { t.empty_store } else { t.no_store }) " "
                    (t.empty_advice) " " code { "remit sharing import FILES" } (t.empty_advice_end) " "
                    code { "remit serve --demo" } " " (t.empty_advice_demo)
                }
            };
            page.html(&body.into_string())
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
    let page = Page::new(SharingText::current().title, "/sharing", "/sharing")
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
            p.error { strong { (SharingText::current().demo) } " " (SharingText::current().demo_list) }
        }
    }
}

fn render_states(
    body: &mut String,
    state: &AppState,
    lines: &[StateLine],
    lists: &[remit_sharing::ListRef],
) {
    let t = SharingText::current();
    let page = html! {
        h1 { (t.title) }
        (demo_banner(state.options().demo))
        p {
            (t.intro)
        }
        (table(
            &[
                Column::text(t.state),
                Column::number(t.owners),
                Column::number(t.sharing_out),
                Column::number(t.with_forbidden),
                Column::number(t.recipients),
                Column::number(t.in_state),
                Column::number(t.out_of_state),
                Column::number(t.federal),
                Column::number(t.private),
                Column::number(t.unknown),
                Column::number(t.forbidden_edges),
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
        h2 { (t.lists) }
        (table(
            &[
                Column::text(t.owner),
                Column::text(t.dated),
                Column::number(t.shares_with),
                Column::number(t.receives_from),
                Column::text(t.prohibits_immigration_use),
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
                        td { (if list.immigration_use_prohibited { t.yes } else { "" }) }
                    }
                }
            },
        ))
    };
    body.push_str(&page.into_string());
}

fn counts_bars(counts: &remit_sharing::Counts) -> Vec<Bar> {
    let t = SharingText::current();
    [
        (t.group_in_state, counts.in_state),
        (t.group_out_of_state, counts.out_of_state),
        (t.group_federal, counts.federal),
        (t.group_private, counts.private),
        (t.group_unknown, counts.unknown),
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
    let t = SharingText::current();
    let english = (i18n::lang() == i18n::Lang::Es).then_some("en");
    html! {
        @if !citations.is_empty() {
            h2 { (t.rules_that_forbid) }
            ul {
                @for rule in citations {
                    li {
                        strong { (external(&rule.url, &rule.citation)) }
                        // The rule's title and summary are written in English.
                        " (" span lang=[english] { (rule.title) } "): " span lang=[english] { (rule.summary) } " "
                        span.note {
                            a href=(super::rule_url(&rule.id)) { (t.the_rule) } ", "
                            (words(&rule.provenance)) ", " (i18n::count_of(rule.edges, t.edge))
                        }
                        @for also in &rule.also_cites {
                            " · " (t.see_also) " " (external(&also.url, &also.citation))
                        }
                        (technical(html! { (t.rule) " " code { (rule.id) } }))
                    }
                }
            }
        }
    }
}

/// The caveats of a report and the disclaimer.
fn caveats(caveats: &[String], disclaimer: &str) -> Markup {
    // The caveats come from the law engine's rules in English; the disclaimer is the reader's.
    let (english, disclaimer) = match i18n::lang() {
        i18n::Lang::Es => (Some("en"), remit_law::lang::DISCLAIMER_ES),
        i18n::Lang::En => (None, disclaimer),
    };
    html! {
        @if !caveats.is_empty() {
            h2 { (SharingText::current().caveats) }
            ul { @for caveat in caveats { li lang=[english] { (caveat) } } }
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
    let t = SharingText::current();
    let columns = [
        Column::text(t.owner),
        Column::text(t.dated),
        Column::number(t.recipients),
        Column::number(t.in_state),
        Column::number(t.out_of_state),
        Column::number(t.federal),
        Column::number(t.private),
        Column::number(t.forbidden),
        Column::text(t.prohibits_immigration_use),
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
                    td { (if owner.immigration_use_prohibited { t.yes } else { "" }) }
                }
            }
        }
    };
    let bars = svg::bars(t.recipients_by_class, &counts_bars(&report.totals));
    let ranked_columns: Vec<Column<'_>> = std::iter::once(Column::number(t.rank))
        .chain(columns.iter().copied())
        .collect();
    let page = html! {
        h1 { (t.sharing_in) " " (state_name(&report.state)) }
        (demo_banner(state.options().demo))
        p.headline {
            strong { (state_headline(report)) }
        }
        (chart(bars, None))
        @if forbidden.is_empty() {
            h2 { (t.owners_with_forbidden) }
            p { (t.no_owner_forbidden) }
        } @else {
            h2 { (t.owners_ranked) }
            (table(&ranked_columns, None, rows(&forbidden, true)))
        }
        @if !sharing.is_empty() {
            h2 { (t.owners_without_forbidden) }
            (table(&columns, None, rows(&sharing, false)))
        }
        @if !empty.is_empty() {
            h2 { (t.lists_without_recipients) }
            ul {
                @for owner in &empty {
                    li { a href=(owner_url(&owner.key)) { (owner.owner) } " (" (owner.date.as_deref().map_or_else(|| t.undated.to_string(), i18n::date)) ")" }
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
    params: Params,
) -> Response {
    let text = format.id(&raw);
    let show = match Show::parse(params.get("show")) {
        Ok(show) => show,
        Err(error) => return error.into_response(),
    };
    let offset = match params.page() {
        Ok((offset, _)) => offset,
        Err(error) => return error.into_response(),
    };
    let inbound_offset = match params.get("inbound_offset").map(str::parse::<usize>) {
        None => 0,
        Some(Ok(offset)) => offset,
        Some(Err(_)) => {
            return WebError::bad_request("`inbound_offset`: not a number from 0")
                .with_help("use the page links")
                .into_response();
        }
    };
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
            // as; the error stands when it reads as none or as several. An agency code is exact:
            // an agency with no list of its own is not sent to another one's.
            if remit_agencies::is_ori(text) {
                return error
                    .with_help(format!(
                        "the store holds no sharing list of this agency; see what the records hold about it at `/agencies/{text}`"
                    ))
                    .into_response();
            }
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
            let url = owner_url(&report.owner.key);
            let listing = Listing {
                url: &url,
                show,
                offset,
                inbound_offset,
            };
            let marks = held_287g(&state, &report);
            let mut body = owner_page(
                state.options().demo,
                &report,
                marks.as_ref(),
                Some(&listing),
            )
            .into_string();
            // The other direction: the agencies whose data reaches this one, by their own lists
            // or by this one's, each edge checked against the law that binds the data's owner.
            let inbound = with_sharing(&state, |sharing| {
                let edges = sharing.edges(&EdgeFilter {
                    current_only: true,
                    ..EdgeFilter::default()
                })?;
                Ok((edges, sharing.lists()?))
            });
            let agencies = super::agencies::collect(&state).unwrap_or_default();
            if let Ok(Some((edges, lists))) = inbound {
                let into: Vec<&EdgeRow> = edges
                    .iter()
                    .filter(|edge| {
                        edge.recipient_key == report.owner.key && edge.owner_key != report.owner.key
                    })
                    .collect();
                // An agency named only on this owner's list has no list of its own: its link
                // is its agency page, where there is one.
                let link = |edge: &EdgeRow| {
                    if lists
                        .iter()
                        .any(|list| list.owner_key.as_deref() == Some(edge.owner_key.as_str()))
                    {
                        Some(owner_url(&edge.owner_key))
                    } else {
                        agencies
                            .iter()
                            .find(|agency| agency.key == edge.owner_key)
                            .map(|agency| agency.url.clone())
                    }
                };
                body.push_str(&inbound_section(&into, &listing, &link).into_string());
            }
            if let Some(agency) = agencies.into_iter().find(|a| a.key == report.owner.key) {
                let t = SharingText::current();
                let link = html! {
                    p {
                        a href=(agency.url) { (t.everything_about) " " (agency.name) }
                        (t.everything_about_end)
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

/// `demo` adds the demo banner (not for an uploaded list, which has no address to page: its
/// recipients are listed whole, folded).
pub(crate) fn render_owner(body: &mut String, demo: bool, report: &remit_sharing::OwnerReport) {
    body.push_str(&owner_page(demo, report, None, None).into_string());
}

/// Whether a recipient held a 287(g) agreement with ICE on the list's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Held287g {
    /// On ICE's pending sheet only.
    Pending,
    /// On ICE's participating sheet.
    Active,
}

/// The 287(g) status of agencies on the date of an owner's list, by party key and ORI.
#[derive(Debug)]
struct Marks {
    /// The list's date.
    date: String,
    /// The day of ICE's sheet read for it (the latest on or before the date).
    sheet: String,
    status: BTreeMap<String, Held287g>,
}

impl Marks {
    fn of(&self, edge: &EdgeRow) -> Option<Held287g> {
        let by_key = self.status.get(&edge.recipient_key).copied();
        let by_ori = edge
            .recipient_ori
            .as_ref()
            .and_then(|ori| self.status.get(ori).copied());
        by_key.max(by_ori)
    }
}

/// The agencies that held a 287(g) agreement with ICE (or had one pending) on the date of the
/// owner's list, from the participating and pending sheets as of that day; `None` when the store
/// has no sheet on or before that day.
fn held_287g(state: &AppState, report: &remit_sharing::OwnerReport) -> Option<Marks> {
    let date = report.date.as_deref()?;
    let day = remit_registry::Day::parse_iso(date)?;
    let (rows, stats) = super::registry::with_registry(state, |registry| {
        let filter = remit_registry::Filter::default();
        Ok((
            registry.export(Some(day), &filter)?,
            registry.stats(Some(day), &filter)?,
        ))
    })
    .ok()
    .flatten()?;
    let mut status = BTreeMap::new();
    for row in &rows {
        let held = match row.status.as_str() {
            "active" => Held287g::Active,
            "pending" => Held287g::Pending,
            _ => continue,
        };
        let key = super::agencies::key_of(state, &row.agency, Some(&row.state));
        for key in row.ori.iter().cloned().chain([key]) {
            let entry = status.entry(key).or_insert(held);
            *entry = (*entry).max(held);
        }
    }
    Some(Marks {
        date: date.to_string(),
        sheet: stats.snapshot.taken.day.to_string(),
        status,
    })
}

/// Which of an owner's recipients the paged list shows (`show=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    All,
    Federal,
    Forbidden,
    Held,
    Unchecked,
}

impl Show {
    const ALL: [Show; 5] = [
        Show::All,
        Show::Federal,
        Show::Forbidden,
        Show::Held,
        Show::Unchecked,
    ];

    fn parse(text: Option<&str>) -> Result<Show, WebError> {
        match text.unwrap_or("all") {
            "" | "all" => Ok(Show::All),
            "federal" => Ok(Show::Federal),
            "forbidden" => Ok(Show::Forbidden),
            "287g" => Ok(Show::Held),
            "unchecked" => Ok(Show::Unchecked),
            other => Err(
                WebError::bad_request(format!("`show`: no list `{other}` on this page"))
                    .with_help("show one of all, federal, forbidden, 287g or unchecked"),
            ),
        }
    }

    fn word(self) -> &'static str {
        match self {
            Show::All => "all",
            Show::Federal => "federal",
            Show::Forbidden => "forbidden",
            Show::Held => "287g",
            Show::Unchecked => "unchecked",
        }
    }

    fn label(self) -> &'static str {
        let t = SharingText::current();
        match self {
            Show::All => t.show_all,
            Show::Federal => t.show_federal,
            Show::Forbidden => t.show_forbidden,
            Show::Held => t.show_held,
            Show::Unchecked => t.show_unchecked,
        }
    }

    fn holds(self, edge: &EdgeRow, marks: Option<&Marks>) -> bool {
        match self {
            Show::All => true,
            Show::Federal => edge.group == remit_sharing::Group::Federal,
            Show::Forbidden => edge.is_flagged(),
            Show::Held => marks.and_then(|m| m.of(edge)).is_some(),
            Show::Unchecked => edge.verdict.as_str() == "unchecked",
        }
    }
}

/// Where the paged lists of an owner's page are (`/sharing/{owner}`), and which page of each to
/// show: its recipients (`show=`, `offset=`) and the agencies that share into it
/// (`inbound_offset=`).
#[derive(Debug)]
struct Listing<'a> {
    url: &'a str,
    show: Show,
    offset: usize,
    inbound_offset: usize,
}

impl Listing<'_> {
    /// The recipients shown as `show`, from `offset`.
    fn href(&self, show: Show, offset: usize) -> String {
        self.address(show, offset, self.inbound_offset, "recipients")
    }

    /// The agencies that share into the owner, from `offset`.
    fn inbound_href(&self, offset: usize) -> String {
        self.address(self.show, self.offset, offset, "inbound")
    }

    fn address(&self, show: Show, offset: usize, inbound_offset: usize, anchor: &str) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if show != Show::All {
            pairs.push(("show", show.word().to_string()));
        }
        if offset > 0 {
            pairs.push(("offset", offset.to_string()));
        }
        if inbound_offset > 0 {
            pairs.push(("inbound_offset", inbound_offset.to_string()));
        }
        let query = query_string(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        if query.is_empty() {
            format!("{}#{anchor}", self.url)
        } else {
            format!("{}?{query}#{anchor}", self.url)
        }
    }
}

/// "Shares its plate-reader data with 683 recipients (...)": the owner's headline.
fn owner_headline(counts: &remit_sharing::Counts) -> String {
    let (recipients, agencies, in_state, out_of_state) = (
        count(counts.recipients),
        count(counts.agencies),
        count(counts.in_state),
        count(counts.out_of_state),
    );
    let (federal, private, unknown, forbidden) = (
        count(counts.federal),
        count(counts.private),
        count(counts.unknown),
        count(counts.forbidden),
    );
    i18n::pick(
        format!(
            "Shares its plate-reader data with {recipients} recipients ({agencies} agencies): {in_state} in state, {out_of_state} out of state, {federal} federal, {private} private, {unknown} unknown. {forbidden} of these edges are forbidden by the law that binds it."
        ),
        format!(
            "Comparte los datos de sus lectores de placas con {recipients} destinatarios ({agencies} agencias): {in_state} del mismo estado, {out_of_state} de otro estado, {federal} federales, {private} privados y {unknown} desconocidos. La ley que la obliga prohíbe {forbidden} de estos vínculos."
        ),
    )
}

/// How many recipients held a 287(g) agreement on the list's date, and by which sheets.
fn held_sentence(held: usize, marks: &Marks) -> String {
    let (date, sheet) = (i18n::date(&marks.date), i18n::date(&marks.sheet));
    match (held, i18n::lang()) {
        (0, i18n::Lang::En) => format!(
            "None of the recipients held a 287(g) agreement with ICE or had one pending on {date} (ICE's sheets as of {sheet})."
        ),
        (0, i18n::Lang::Es) => format!(
            "Ninguno de los destinatarios tenía un acuerdo 287(g) con ICE, ni en trámite, el {date} (listas de ICE al {sheet})."
        ),
        (1, i18n::Lang::En) => format!(
            "1 recipient held a 287(g) agreement with ICE or had one pending on {date} (ICE's sheets as of {sheet}), marked below:"
        ),
        (1, i18n::Lang::Es) => format!(
            "1 destinatario tenía un acuerdo 287(g) con ICE, o uno en trámite, el {date} (listas de ICE al {sheet}), marcado abajo:"
        ),
        (n, i18n::Lang::En) => format!(
            "{} recipients held a 287(g) agreement with ICE or had one pending on {date} (ICE's sheets as of {sheet}), marked below:",
            count(n as u64)
        ),
        (n, i18n::Lang::Es) => format!(
            "{} destinatarios tenían un acuerdo 287(g) con ICE, o uno en trámite, el {date} (listas de ICE al {sheet}), marcados abajo:",
            count(n as u64)
        ),
    }
}

/// "All 362 forbidden edges".
fn all_forbidden(n: usize) -> String {
    let n = count(n as u64);
    i18n::pick(
        format!("All {n} forbidden edges"),
        format!("Los {n} vínculos prohibidos"),
    )
}

/// The headline of a state's page.
fn state_headline(report: &remit_sharing::StateReport) -> String {
    let owners = count(report.owners.len() as u64);
    let out = count(report.owners_sharing_out_of_state_or_federal);
    let with = count(report.owners_with_forbidden);
    let forbidden = count(report.totals.forbidden);
    i18n::pick(
        format!(
            "{owners} owners with lists; {out} share with out-of-state or federal recipients; {with} have edges their state's law forbids ({forbidden} edges in all)."
        ),
        format!(
            "{owners} propietarios con listas; {out} comparten con destinatarios de otro estado o federales; {with} tienen vínculos que la ley de su estado prohíbe ({forbidden} vínculos en total)."
        ),
    )
}

/// Recipients listed per page.
const RECIPIENTS_PER_PAGE: usize = 25;

/// Forbidden edges shown before the link to all of them: the reader sees what they are at once,
/// and a list of hundreds does not make the page long.
const EDGES_SHOWN: usize = 10;

/// An owner's page: who gets its data (federal recipients first and in full, since readers ask
/// about them first), what the law says, the forbidden edges, and every recipient a page at a
/// time, each marked with its 287(g) status on the list's date. Without a `listing` (an uploaded
/// list, which has no address) the recipients are listed whole, folded.
fn owner_page(
    demo: bool,
    report: &remit_sharing::OwnerReport,
    marks: Option<&Marks>,
    listing: Option<&Listing<'_>>,
) -> Markup {
    let owner = &report.owner;
    let t = SharingText::current();
    let classes = svg::bars(t.recipients_by_class, &counts_bars(&report.counts));
    let values: Vec<MapValue> = svg::TILES
        .iter()
        .map(|(code, _, _)| MapValue {
            state: code,
            name: state_name(code),
            value: report.by_state.get(*code).copied().unwrap_or(0),
            href: None,
        })
        .collect();
    let verdict_bars: Vec<Bar> = report
        .counts
        .by_verdict
        .iter()
        .filter(|(_, v)| **v > 0)
        .map(|(k, v)| Bar {
            label: verdict_text(k),
            value: *v,
            href: None,
        })
        .collect();
    let verdicts = svg::bars(t.edges_by_verdict, &verdict_bars);
    let counts = &report.counts;
    let federal: Vec<&EdgeRow> = report
        .edges
        .iter()
        .filter(|edge| Show::Federal.holds(edge, marks))
        .collect();
    let held = report
        .edges
        .iter()
        .filter(|edge| Show::Held.holds(edge, marks))
        .count();
    let flagged: Vec<&EdgeRow> = report.flagged.iter().collect();
    html! {
        h1 { (owner.name) }
        (demo_banner(demo))
        p {
            (owner.state.as_deref().map_or("", state_name))
            @if let Some(kind) = &owner.kind { " · " (words(kind)) }
            " · " (t.lists_dated) " " (report.date.as_deref().map_or_else(|| "?".to_string(), i18n::date))
            @if let Some(ori) = &owner.ori {
                (technical(html! { (t.ori) " " code { (ori) } }))
            }
        }
        p.headline { strong { (owner_headline(counts)) } }
        @if let Some(marks) = marks {
            p {
                (held_sentence(held, marks))
                @if held > 0 {
                    " " span.tag.warn { "287(g)" } " · " span.tag { (t.tag_pending) }
                    @if let Some(listing) = listing {
                        " · " a href=(listing.href(Show::Held, 0)) { (t.list_them) }
                    }
                }
            }
        }
        @if report.immigration_use_prohibited {
            p { (t.prohibited_use) }
        }
        h2 #federal { (t.federal_recipients) " (" (count(federal.len() as u64)) ")" }
        @if federal.is_empty() {
            p { (t.no_federal) }
        } @else {
            (edges_html(&federal, marks))
        }
        (chart(classes, None))
        h2 { (t.by_state) }
        (chart(svg::tile_grid(t.recipients_per_state, t.recipient_unit, &values), None))
        h2 { (t.what_the_law_says) }
        (chart(verdicts, None))
        @if !flagged.is_empty() {
            h2 { (t.forbidden_edges) " (" (count(flagged.len() as u64)) ")" }
            @match listing {
                Some(listing) => {
                    (edges_html(&flagged[..flagged.len().min(EDGES_SHOWN)], marks))
                    @if flagged.len() > EDGES_SHOWN {
                        p { a href=(listing.href(Show::Forbidden, 0)) { (all_forbidden(flagged.len())) } ", " (RECIPIENTS_PER_PAGE) " " (t.a_page) }
                    }
                }
                None => (edges_html(&flagged, marks)),
            }
        }
        (citations(&report.citations))
        @match listing {
            Some(listing) => (recipients(report, marks, listing)),
            None => {
                @if !report.unchecked.is_empty() {
                    details {
                        summary {
                            (i18n::count_of(report.unchecked.len() as u64, t.not_checked_entry))
                            (t.not_checked)
                        }
                        (edges_html(&report.unchecked.iter().collect::<Vec<_>>(), None))
                    }
                }
                details {
                    summary { (t.show_all) " (" (count(report.edges.len() as u64)) ")" }
                    (edges_html(&report.edges.iter().collect::<Vec<_>>(), marks))
                }
            }
        }
        h2 { (t.lists) }
        (table(
            &[
                Column::text(t.dated),
                Column::number(t.shares_with),
                Column::number(t.receives_from),
                Column::text(t.uses_it_prohibits),
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
                    li { (list.date) ": " (t.files) " " code { (file_name(&list.source_path)) } ", " (t.read_as) " " code { (list.format) } }
                }
            }
        }))
        (caveats(&report.caveats, report.disclaimer))
    }
}

/// The recipients, a page at a time: federal ones first, then those the law forbids, then the
/// rest in the list's order; with links to each kind (federal, forbidden, 287(g), not checked).
fn recipients(
    report: &remit_sharing::OwnerReport,
    marks: Option<&Marks>,
    listing: &Listing<'_>,
) -> Markup {
    let mut shown: Vec<&EdgeRow> = report
        .edges
        .iter()
        .filter(|edge| listing.show.holds(edge, marks))
        .collect();
    // A stable sort: the list's order within each kind.
    shown.sort_by_key(|edge| {
        (
            edge.group != remit_sharing::Group::Federal,
            !edge.is_flagged(),
        )
    });
    let facets: Vec<Facet> = Show::ALL
        .iter()
        .filter_map(|show| {
            let number = report
                .edges
                .iter()
                .filter(|edge| show.holds(edge, marks))
                .count();
            (number > 0 || *show == Show::All).then(|| Facet {
                label: show.label().to_string(),
                count: number as u64,
                href: Some(listing.href(*show, 0)),
                selected: *show == listing.show,
            })
        })
        .collect();
    let page: Vec<&EdgeRow> = shown
        .iter()
        .skip(listing.offset)
        .take(RECIPIENTS_PER_PAGE)
        .copied()
        .collect();
    let t = SharingText::current();
    html! {
        h2 #recipients {
            (listing.show.label())
            @if listing.show != Show::All { (t.of_every_recipient) }
        }
        (components::facets(components::facet_list(t.show, &facets)))
        @if page.is_empty() {
            p { (t.none_on_this_page) a href=(listing.href(listing.show, 0)) { (t.first_page) } "." }
        } @else {
            (edges_html(&page, marks))
        }
        (pager(listing.offset, RECIPIENTS_PER_PAGE, shown.len(), |offset| listing.href(listing.show, offset)))
    }
}

/// The agencies whose data reaches the owner (by their lists or by the owner's), a page at a
/// time, each with the verdict of the law that binds it and a link to its page where there is
/// one.
fn inbound_section(
    into: &[&EdgeRow],
    listing: &Listing<'_>,
    link: &dyn Fn(&EdgeRow) -> Option<String>,
) -> Markup {
    let t = SharingText::current();
    html! {
        @if !into.is_empty() {
            h2 #inbound { (t.inbound) " (" (count(into.len() as u64)) ")" }
            (table(
                &[Column::text(t.verdict), Column::text(t.owner_of_data), Column::text(t.list_dated)],
                None,
                html! {
                    @for edge in into.iter().skip(listing.inbound_offset).take(RECIPIENTS_PER_PAGE) {
                        tr {
                            td { (verdict_badge(edge.verdict.as_str(), &verdict_text(edge.verdict.as_str()))) }
                            td {
                                @match link(edge) {
                                    Some(url) => a href=(url) { (edge.owner) },
                                    None => (edge.owner),
                                }
                            }
                            td { (i18n::date(&edge.date)) }
                        }
                    }
                },
            ))
            (pager(listing.inbound_offset, RECIPIENTS_PER_PAGE, into.len(), |offset| listing.inbound_href(offset)))
        }
    }
}

/// Edges of a list as a table, the verdict first; a recipient that held a 287(g) agreement on
/// the list's date (or had one pending) is tagged.
fn edges_html(edges: &[&EdgeRow], marks: Option<&Marks>) -> Markup {
    let t = SharingText::current();
    table(
        &[
            Column::text(t.verdict),
            Column::text(t.recipient),
            Column::text(t.as_written),
            Column::text(t.state),
            Column::text(t.kind),
            Column::text(t.the_law),
            Column::number(t.line),
        ],
        None,
        html! {
            @for edge in edges {
                tr {
                    td { (verdict_badge(edge.verdict.as_str(), &verdict_text(edge.verdict.as_str()))) }
                    td {
                        (crate::html::agency_name(&edge.recipient_name, &edge.recipient))
                        @match marks.and_then(|m| m.of(edge)) {
                            Some(Held287g::Active) => { " " span.tag.warn { "287(g)" } }
                            Some(Held287g::Pending) => { " " span.tag { (t.tag_pending) } }
                            None => {}
                        }
                    }
                    td { (edge.recipient) }
                    td { (edge.recipient_state.as_deref().unwrap_or("")) }
                    td { (group_text(edge.group.as_str())) }
                    td {
                        @for (index, rule) in edge.rules.iter().enumerate() {
                            @if index > 0 { ", " }
                            a href=(super::rule_url(rule)) { (t.rule_number) " " (index + 1) }
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
