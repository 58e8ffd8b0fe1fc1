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
use maud::{Markup, PreEscaped, html};

use crate::components::{self, Column, Field, Sorting, chart, filter_form, number_cell};
use crate::html::{path_component, query_string, words};
use crate::i18n::{self, count, count_of, date};
use crate::parts::{pager, technical};
use crate::response::{DataSource, Format, Page, Params, Table, WebError};
use crate::svg::{self, Series};
use crate::{AppState, today};

/// "Model", a word of the 287(g) pages that is also part of the data they show (ICE's names
/// of its models, "Jail Enforcement Model"), so it is kept out of the tables of interface
/// strings the test of Spanish pages reads, which could not tell it from data.
fn model_word() -> &'static str {
    i18n::pick("Model", "Modelo")
}

/// "County", which is also part of many agency names ("Bay County Sheriff's Office"): kept out
/// of the tables for the same reason as [`model_word`].
fn county_word() -> &'static str {
    i18n::pick("County", "Condado")
}

crate::i18n::strings! {
    /// The words of the 287(g) pages and of the agencies' 287(g) histories.
    pub struct RegistryText {
        title: "287(g) agreements", "Acuerdos 287(g)";
        title_in: "287(g) agreements in", "Acuerdos 287(g) en";
        the_united_states: "the United States", "Estados Unidos";
        demo: "Demo data:", "Datos de demostración:";
        demo_sheets: " small self-made sample sheets in ICE's format, not ICE's lists. Import the real sheets with ", " pequeñas hojas de muestra creadas para la demostración en el formato de ICE, no las listas de ICE. Importe las hojas reales con ";
        demo_agency: " a sample agency from self-made sheets, not ICE's lists.", " una agencia de muestra de hojas creadas para la demostración, no de las listas de ICE.";
        intro: "Under 8 U.S.C. 1357(g) (section 287(g)), ICE delegates immigration functions to state and local agencies by written agreement. ICE publishes the list of agencies with an agreement, and those with one pending, as spreadsheets that change daily and keep no history; every imported snapshot is kept here.", "En virtud de 8 U.S.C. 1357(g) (sección 287(g)), ICE delega funciones de inmigración en agencias estatales y locales mediante un acuerdo escrito. ICE publica la lista de agencias con un acuerdo, y la de las que tienen uno pendiente, como hojas de cálculo que cambian a diario y no guardan historial; aquí se conserva cada copia importada.";
        as_of: "As of", "A fecha de";
        state: "State", "Estado";
        all: "all", "todos";
        show: "Show", "Mostrar";
        the_latest_sheet: "The latest sheet", "La hoja más reciente";
        agreement: "agreement|agreements", "acuerdo|acuerdos";
        agency: "agency|agencies", "agencia|agencias";
        held_by: " held by ", " de ";
        more_pending: " more pending (", " más pendientes (";
        pending_sheet_of: " agencies, pending sheet of ", " agencias, hoja de pendientes del ";
        none_pending: "; none pending (pending sheet of ", "; ninguno pendiente (hoja de pendientes del ";
        latest_snapshot: "The latest snapshot on or before ", "La copia más reciente en la fecha indicada o antes, ";
        participating_sheet_of: " is ICE's participating sheet of ", ", es la hoja de participantes de ICE del ";
        row: "row|rows", "fila|filas";
        file: "File", "Archivo";
        law_of: "What the law of ", "Lo que dice la ley de ";
        says: " says: ", ": ";
        may_a_sheriff: "may a sheriff enter a 287(g) agreement?", "¿puede un sheriff firmar un acuerdo 287(g)?";
        every_rule_there: "every rule in force there", "todas las normas vigentes allí";
        by_model_and_type: "By model and agency type", "Por modelo y tipo de agencia";
        agreements: "Agreements", "Acuerdos";
        agencies: "Agencies", "Agencias";
        agency_type: "Agency type", "Tipo de agencia";
        all_models: "all models", "todos los modelos";
        over_time_chart: "Agreements over time, by model", "Acuerdos a lo largo del tiempo, por modelo";
        over_time: "Over time", "A lo largo del tiempo";
        each_days_sheet: "Agreements on each day's participating sheet", "Acuerdos en la hoja de participantes de cada día";
        in_this_state: " in this state", " en este estado";
        by_model_end: ", by model.", ", por modelo.";
        the_numbers: "The numbers", "Las cifras";
        day: "Day", "Día";
        snapshot: "Snapshot", "Copia";
        jail_enforcement: "Jail enforcement", "Control en cárceles";
        task_force: "Task force", "Grupo de trabajo";
        warrant_service_officer: "Warrant service officer", "Agente de ejecución de órdenes";
        pending: "Pending", "Pendientes";
        what_changed: "What changed between two dates", "Qué cambió entre dos fechas";
        every_change: "Every change recorded as sheets arrive, with those of sharing lists and of the law as encoded, is on ", "Cada cambio registrado al llegar las hojas, junto con los de las listas de intercambio y los de la ley tal como se codifica, está en ";
        what_changed_link: "what changed", "qué cambió";
        feed_reader: "; a feed reader can follow ", "; un lector de canales puede seguir ";
        this_feed: "this page's feed", "el canal de esta página";
        from: "From", "Desde";
        to: "to", "hasta";
        compare: "Compare", "Comparar";
        from_the_sheet: "From the sheet of ", "De la hoja del ";
        to_the_sheet: " to the sheet of ", " a la hoja del ";
        added_n: "added", "añadidos";
        removed_n: "removed", "retirados";
        added: "Added", "Añadidos";
        removed: "Removed", "Retirados";
        agency_column: "Agency", "Agencia";
        signed: "Signed", "Firmado";
        first_seen: "First seen", "Visto por primera vez";
        last_seen: "Last seen", "Visto por última vez";
        as_csv: "As CSV: ", "En CSV: ";
        csv_agreements: "agreements", "acuerdos";
        csv_states: "states", "estados";
        csv_timeline: "timeline", "evolución";
        csv_counties: "counties", "condados";
        per_state_chart: "Agreements per state (the twenty with most)", "Acuerdos por estado (los veinte con más)";
        agencies_with_one: "Agencies with one", "Agencias con uno";
        fbi_listed: "FBI-listed agencies", "Agencias en la lista del FBI";
        share: "Share", "Proporción";
        per_million: "Per million residents", "Por millón de habitantes";
        per_state: "Per state", "Por estado";
        rates_note: "Agencies with an agreement out of the agencies the FBI lists in the state, and agreements per million residents the FBI's agencies serve (all models).", "Agencias con un acuerdo entre las agencias que el FBI enumera en el estado, y acuerdos por millón de habitantes a los que sirven las agencias del FBI (todos los modelos).";
        no_rates_note: "Agreements and agencies holding them (all models). Rates against each state's agencies and population need the FBI agency directory: import it with ", "Acuerdos y agencias que los tienen (todos los modelos). Las tasas respecto a las agencias y la población de cada estado necesitan el directorio de agencias del FBI: impórtelo con ";
        serve_again: " and serve again.", " y vuelva a iniciar el servidor.";
        agreements_of_agencies_in: "Agreements of agencies in ", "Acuerdos de agencias en ";
        as_of_lower: " as of ", " a fecha de ";
        every_agreement_in: "Every agreement in ", "Todos los acuerdos en ";
        agreements_listed: "Agreements listed as of ", "Acuerdos en la lista a fecha de ";
        agency_or_county: "Agency or county", "Agencia o condado";
        kind: "Type", "Tipo";
        status: "Status", "Situación";
        no_map: "The map cannot be drawn; the numbers are in the tables below.", "No se puede dibujar el mapa; las cifras están en las tablas de abajo.";
        map_on_another_date: "The map on another date (", "El mapa en otra fecha (";
        sheets: "sheet|sheets", "hoja|hojas";
        by_state: "By state", "Por estado";
        shade_by: "Shade the states by: ", "Sombrear los estados por: ";
        number_of_agreements: "number of agreements", "número de acuerdos";
        per_million_lower: "agreements per million residents", "acuerdos por millón de habitantes";
        no_population: "no population figure", "sin cifra de población";
        per_million_note: "Agreements of every model per million residents the FBI's listed agencies serve in the state. The shades are quarters of the states that have any agreement, as the key gives; the rates are in the per-state table below.", "Acuerdos de todos los modelos por millón de habitantes a los que sirven en el estado las agencias que enumera el FBI. Los tonos son cuartos de los estados que tienen algún acuerdo, según la clave; las tasas están en la tabla por estado de abajo.";
        shades_note: "The shades are quarters of the places that have any agreement, as the key gives. Follow a state to its counties; the numbers are in the per-state table below.", "Los tonos son cuartos de los lugares que tienen algún acuerdo, según la clave. Siga un estado hasta sus condados; las cifras están en la tabla por estado de abajo.";
        state_map_description: "A map of the states, DC and the territories (Alaska, Hawaii and the territories in insets), each shaded by its number of agreements and linked to its own page; the numbers are in the per-state table below.", "Un mapa de los estados, DC y los territorios (Alaska, Hawái y los territorios en recuadros), cada uno sombreado según su número de acuerdos y enlazado a su propia página; las cifras están en la tabla por estado de abajo.";
        by_county_in: "By county in ", "Por condado en ";
        placed_of_the: "Of the ", "De los ";
        placed_on_sheet: " agreements on the sheet of ", " acuerdos de la hoja del ";
        placed_are: " are placed in a county: ", " están situados en un condado: ";
        placed_by_directory: " by the county the FBI agency list gives the agency (linked by name", " por el condado que da a la agencia la lista de agencias del FBI (vinculada por el nombre";
        full_list_missing: "; the full FBI list is not loaded: import it with ", "; la lista completa del FBI no está cargada: impórtela con ";
        placed_by_sheet: " by the county ICE's sheet gives. ", " por el condado que da la hoja de ICE. ";
        statewide: " are held by state agencies, which act statewide and are on no county. ", " los tienen agencias estatales, que actúan en todo el estado y no están en ningún condado. ";
        could_not_be_placed: " could not be placed", " no se pudieron situar";
        listed_below: " (listed below)", " (en la lista de abajo)";
        pending_not_counted: ". Pending agreements are not counted.", ". Los acuerdos pendientes no se cuentan.";
        numbers_by_county: "The numbers by county (", "Las cifras por condado (";
        counties_with_agreements: "county with agreements|counties with agreements", "condado con acuerdos|condados con acuerdos";
        not_placed: "Agreements not placed in a county (", "Acuerdos no situados en un condado (";
        why: "Why", "Motivo";
        in_the_directory_as: "In the FBI agency directory as ", "En el directorio de agencias del FBI como ";
        ori_matched: "FBI agency code (ORI) ", "Código de agencia del FBI (ORI) ";
        matched_with: ", matched with confidence ", ", vinculado con una confianza de ";
        not_linked: "Not linked to the FBI agency directory.", "Sin vínculo con el directorio de agencias del FBI.";
        agreements_heading: "Agreements", "Acuerdos";
        signed_lead: "Signed ", "Firmado el ";
        not_given: "(not given)", "(no consta)";
        first_seen_lead: " · first seen ", " · visto por primera vez el ";
        last_seen_lead: " · last seen ", " · visto por última vez el ";
        latest: "(latest)", "(la más reciente)";
        names_on_sheets: "Names on ICE's sheets", "Nombres en las hojas de ICE";
        name: "Name", "Nombre";
        how_linked: "How linked", "Cómo se vinculó";
        to_column: "To", "Hasta";
        snapshots: "Snapshots", "Copias";
        active: "active", "vigente";
        about_such: " says about such agreements: ", " sobre estos acuerdos: ";
        ask: "ask", "preguntar";
        in_287g: "287(g) in ", "287(g) en ";
        listing_periods: "listing periods", "periodos en las listas";
        on_participating: "on the participating sheet", "en la hoja de participantes";
        on_pending: "on the pending sheet", "en la hoja de pendientes";
        pending_lower: "pending", "pendiente";
        removed_lower: "removed", "retirado";
        latest_lower: "latest", "la más reciente";
        grey: " · grey: not listed", " · gris: fuera de las listas";
        no_sheets: "The store holds no 287(g) sheets. Import ICE's sheets with ", "La base de datos no contiene hojas 287(g). Importe las hojas de ICE con ";
        then_serve_again: ", then serve again; ", " y vuelva a iniciar el servidor; ";
        no_store: "No store is open. Import ICE's sheets with ", "No hay ninguna base de datos abierta. Importe las hojas de ICE con ";
        into_default: " (into the default store, or one named with ", " (en la base de datos predeterminada, o en la que indique ";
        then_run: "), then run ", ") y después ejecute ";
        or_run: "or run ", "o ejecute ";
        sample_data: " to see this page with sample data.", " para ver esta página con datos de muestra.";
    }
}

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
    // A date the sheets do not cover, in Spanish on a Spanish page (the form under it says
    // what to do).
    if i18n::lang() == i18n::Lang::Es
        && let RegistryError::NoSnapshot {
            kind,
            date: asked,
            earliest,
        } = &error
    {
        let sheet = match *kind {
            "pending" => "hoja de pendientes",
            _ => "hoja de participantes",
        };
        let web = WebError::bad_request(format!(
            "no hay ninguna {sheet} tomada el {} o antes",
            date(asked)
        ));
        return match earliest {
            Some(earliest) => web.with_help(format!("la primera es del {}", date(earliest))),
            None => web.with_help(
                "importe primero las hojas de ICE: `remit registry import <archivos o carpetas>`",
            ),
        };
    }
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
        name: i18n::pick(
            "U.S. Immigration and Customs Enforcement, 287(g) participating and pending agencies sheets",
            "Servicio de Inmigración y Control de Aduanas de EE. UU. (ICE), hojas de agencias participantes y pendientes del programa 287(g)",
        )
        .to_string(),
        url: Some("https://www.ice.gov/identify-and-arrest/287g".to_string()),
        licence: "US federal government work (public domain)".to_string(),
        date: i18n::pick(
            format!("{} snapshots imported, {first} to {last}", snapshots.len()),
            format!(
                "{} importadas, del {} al {}",
                count_of(snapshots.len() as u64, "copia|copias"),
                date(first),
                date(last)
            ),
        ),
        note: state.options().demo.then(|| {
            i18n::pick(
                "Demo: these are small self-made sample sheets in ICE's format, not ICE's data.",
                "Demostración: son pequeñas hojas de muestra creadas en el formato de ICE, no datos de ICE.",
            )
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
            WebError::bad_request(i18n::pick(
                format!("`{name}`: `{text}` is not a date"),
                format!("`{name}`: `{text}` no es una fecha"),
            ))
            .with_help(i18n::pick(
                "write dates as YYYY-MM-DD, e.g. 2025-07-01",
                "escriba las fechas como AAAA-MM-DD, por ejemplo 2025-07-01",
            ))
        }),
    }
}

fn query(params: &Params) -> Result<Query, WebError> {
    let state = match params.get("state") {
        None => None,
        Some(text) => Some(
            parse_state(text)
                .ok_or_else(|| {
                    WebError::bad_request(i18n::pick(
                        format!("`state`: `{text}` names no US state"),
                        format!("`state`: `{text}` no nombra ningún estado de EE. UU."),
                    ))
                    .with_help(i18n::pick(
                        "use a two-letter code such as `FL`",
                        "use un código de dos letras como `FL`",
                    ))
                })?
                .to_string(),
        ),
    };
    let model = match params.get("model") {
        None => None,
        Some(text) => Some(
            parse_model(text)
                .ok_or_else(|| {
                    WebError::bad_request(i18n::pick(
                        format!("`model`: unknown 287(g) model `{text}`"),
                        format!("`model`: modelo 287(g) desconocido `{text}`"),
                    ))
                    .with_help(i18n::pick(
                        "models are jail_enforcement, task_force and warrant_service_officer",
                        "los modelos son jail_enforcement, task_force y warrant_service_officer",
                    ))
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
            let t = RegistryText::current();
            let body = html! {
                h1 { (t.title) }
                p {
                    @if state.has_store() {
                        (t.no_sheets)
                        code { "remit registry import FILES" } (t.then_serve_again)
                    } @else {
                        (t.no_store) code { "remit registry import FILES" }
                        (t.into_default) code { "--db" } (t.then_run)
                        code { "remit serve" } "; "
                    }
                    (t.or_run) code { "remit serve --demo" } (t.sample_data)
                }
            };
            page.html(&body.into_string())
        }
        _ => WebError::not_found("the store holds no 287(g) sheets")
            .with_help("import ICE's sheets with `remit registry import FILES`, or run `remit serve --demo`")
            .into_response(),
    }
}

/// `/287g?as_of=&state=&model=&from=&to=`.
pub async fn overview(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let t = RegistryText::current();
    let page = Page::new(t.title, "/287g", "/287g")
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
            let body = html! {
                h1 { (t.title) }
                p.error { (error.message) }
                @if let Some(help) = &error.help {
                    p { (help) }
                }
                form method="get" action="/287g" {
                    label for="as_of" { (t.as_of) } " "
                    input type="date" id="as_of" name="as_of" value="";
                    " "
                    button type="submit" { (t.show) }
                }
                p { a href="/287g" { (t.the_latest_sheet) } }
            }
            .into_string();
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
            date: i18n::pick(
                format!("as imported: {directory}"),
                format!("tal como se importó: {directory}"),
            ),
            note: None,
        });
    }
    let page = page.with_sources(sources);
    // Feed readers find the changes of what the page shows: the state's, or every state's.
    let feed_title = super::feeds::ChangesText::current().feed_title;
    let page = match &overview.state {
        Some(code) => page.with_feed(
            format!(
                "{feed_title} {} {}",
                i18n::pick("in", "en"),
                state_name(code)
            ),
            format!("/287g/{code}/feed.atom"),
        ),
        None => page.with_feed(feed_title, "/feed.atom"),
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
        Format::Html => page.html(&render(&state, &overview, &params).into_string()),
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

fn render(state: &AppState, overview: &Overview, params: &Params) -> Markup {
    let place = overview
        .state
        .as_deref()
        .map_or(RegistryText::current().the_united_states.to_string(), |s| {
            state_name(s).to_string()
        });
    html! {
        (header(state, overview, params, &place))
        (maps(state, overview, params))
        (by_model_and_type(overview, params))
        (timeline(overview, params))
        (changes_between(overview, params))
        (per_state(overview, params))
        (listed(overview, params))
    }
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
    let t = RegistryText::current();
    html! {
        h1 { (t.title_in) " " (place) }
        @if state.options().demo {
            p.error {
                strong { (t.demo) }
                (t.demo_sheets)
                code { "remit registry import" } "."
            }
        }
        p { (t.intro) }
        form method="get" action="/287g" {
            label for="as_of" { (t.as_of) } " "
            input type="date" id="as_of" name="as_of" value=(as_of);
            " "
            label for="state" { (t.state) } " "
            select id="state" name="state" {
                option value="" { (t.all) }
                @for (code, name, _) in remit_law::jurisdiction::STATES {
                    option value=(code) selected[overview.state.as_deref() == Some(*code)] { (name) }
                }
            }
            " "
            label for="model" { (model_word()) } " "
            select id="model" name="model" {
                option value="" { (t.all) }
                @for model in remit_registry::MODELS {
                    option value=(model.slug) selected[overview.model.as_deref() == Some(model.slug)] { (model.label) }
                }
            }
            " "
            button type="submit" { (t.show) }
        }
        p.headline {
            strong {
                (t.as_of) " " (date(&overview.snapshot.taken)) ": " (count_of(overview.agreements, t.agreement))
                (model_words) (t.held_by) (count_of(overview.agencies, t.agency)) " " (i18n::pick("in", "en")) " " (place)
                @match &overview.pending_snapshot {
                    Some(pending) if overview.pending > 0 => {
                        "; " (count(overview.pending)) (t.more_pending) (count(overview.pending_agencies))
                        (t.pending_sheet_of) (date(&pending.taken)) ")"
                    }
                    Some(pending) => { (t.none_pending) (date(&pending.taken)) ")" }
                    None => {}
                }
                "."
            }
        }
        @if let Some(asked) = &overview.as_of {
            p.note {
                (t.latest_snapshot) (date(asked)) (t.participating_sheet_of)
                (date(&overview.snapshot.taken)) " (" (count_of(overview.snapshot.rows, t.row)) ")."
                (technical(html! { (t.file) " " code { (overview.snapshot.file) } }))
            }
        }
        @if let Some((ask, rules)) = &law {
            p {
                (t.law_of) (place) (t.says)
                a href=(ask) { (t.may_a_sheriff) } " · "
                a href=(rules) { (t.every_rule_there) }
            }
        }
    }
}

/// Agreements by model (each a link to the page filtered to it) and by agency type.
fn by_model_and_type(overview: &Overview, params: &Params) -> Markup {
    let t = RegistryText::current();
    html! {
        h2 { (t.by_model_and_type) }
        div.pair {
            div {
                (components::table(&[Column::text(model_word()), Column::number(t.agreements)], None, html! {
                    @for (model, number) in &overview.by_model {
                        tr {
                            td { a href=(with_params(params, &[("model", Some(model))])) { (model_label(model)) } }
                            (number_cell(*number))
                        }
                    }
                }))
            }
            div {
                (components::table(&[Column::text(t.agency_type), Column::number(t.agreements)], None, html! {
                    @for (kind, number) in &overview.by_type {
                        tr { td { (words(kind)) } (number_cell(*number)) }
                    }
                }))
            }
        }
    }
}

/// Agreements on each day's participating sheet, by model, as a chart and its numbers.
fn timeline(overview: &Overview, params: &Params) -> Markup {
    let t = RegistryText::current();
    let labels: Vec<String> = overview.timeline.iter().map(|p| p.day.clone()).collect();
    let mut series = vec![Series {
        name: t.all_models.to_string(),
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
    let svg = svg::line(t.over_time_chart, &labels, &series);
    html! {
        h2 { (t.over_time) }
        p {
            (t.each_days_sheet)
            @if overview.state.is_some() { (t.in_this_state) }
            (t.by_model_end)
        }
        (chart(svg, None))
        details {
            summary { (t.the_numbers) }
            (components::table(
                &[
                    Column::text(t.day),
                    Column::text(t.snapshot),
                    Column::number(t.agreements),
                    Column::number(t.agencies),
                    Column::number(t.jail_enforcement),
                    Column::number(t.task_force),
                    Column::number(t.warrant_service_officer),
                    Column::number(t.pending),
                ],
                None,
                html! {
                    @for point in &overview.timeline {
                        @let model = |m: &str| point.by_model.get(m).copied().unwrap_or(0);
                        tr {
                            td { a href=(with_params(params, &[("as_of", Some(&point.day))])) { (date(&point.day)) } }
                            td { (date(&point.snapshot)) }
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
    let t = RegistryText::current();
    html! {
        h2 { (t.what_changed) }
        p.note {
            (t.every_change)
            a href="/changes" { (t.what_changed_link) } (t.feed_reader) a href=(feed) { (t.this_feed) } "."
        }
        form method="get" action="/287g" {
            @for (name, value) in &hidden {
                input type="hidden" name=(name) value=(value);
            }
            label for="from" { (t.from) } " "
            input type="date" id="from" name="from" value=(changes.from.day);
            " "
            label for="to" { (t.to) } " "
            input type="date" id="to" name="to" value=(changes.to.day);
            " "
            button type="submit" { (t.compare) }
        }
        p {
            (t.from_the_sheet) (date(&changes.from.taken)) " (" (count_of(changes.from_agreements, t.agreement))
            ")" (t.to_the_sheet) (date(&changes.to.taken)) " (" (count_of(changes.to_agreements, t.agreement))
            "): "
            strong { (count(changes.added.len() as u64)) " " (t.added_n) ", " (count(changes.removed.len() as u64)) " " (t.removed_n) } "."
        }
        @if !changes.added.is_empty() || !changes.removed.is_empty() {
            (components::table(&[Column::text(model_word()), Column::number(t.added), Column::number(t.removed)], None, html! {
                @for model in remit_registry::MODELS {
                    @let added = changes.added_by_model.get(model.slug).copied().unwrap_or(0);
                    @let removed = changes.removed_by_model.get(model.slug).copied().unwrap_or(0);
                    @if added + removed > 0 {
                        tr { td { (model.label) } (number_cell(added)) (number_cell(removed)) }
                    }
                }
            }))
            @for (title, rows, name, label) in [(t.added, &changes.added, "added", t.added_n), (t.removed, &changes.removed, "removed", t.removed_n)] {
                @if !rows.is_empty() {
                    details {
                        summary { (title) ": " (count_of(rows.len() as u64, t.agreement)) }
                        (components::table(
                            &[
                                Column::text(t.state),
                                Column::text(t.agency_column),
                                Column::text(model_word()),
                                Column::text(t.signed),
                                Column::text(t.first_seen),
                                Column::text(t.last_seen),
                            ],
                            None,
                            html! {
                                @for row in rows.iter() {
                                    tr {
                                        td { (row.state) }
                                        td { a href=(agency_url(row.ori.as_deref(), &row.state, &row.agency)) { (row.agency) } }
                                        td { (model_label(&row.model)) }
                                        td { (date(row.signed.as_deref().unwrap_or(""))) }
                                        td { (date(&row.first_seen)) }
                                        td { (date(&row.last_seen)) }
                                    }
                                }
                            },
                        ))
                        p.note { (t.as_csv) a href=(csv_link(params, name)) { (label) } }
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
    let t = RegistryText::current();
    let svg = svg::bars(t.per_state_chart, &bars);
    let rates = overview.directory.is_some();
    let mut columns = vec![
        Column::text(t.state),
        Column::number(t.agreements),
        Column::number(t.agencies_with_one),
    ];
    if rates {
        columns.extend([
            Column::number(t.fbi_listed),
            Column::number(t.share),
            Column::number(t.per_million),
        ]);
    }
    html! {
        h2 { (t.per_state) }
        (chart(svg, None))
        @if rates {
            p { (t.rates_note) }
        } @else {
            p {
                (t.no_rates_note)
                code { "remit agencies import" } (t.serve_again)
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
                        td.n { (row.agency_share.map_or_else(String::new, |s| format!("{}%", i18n::decimal(s * 100.0, 1)))) }
                        td.n { (row.agreements_per_million.map_or_else(String::new, |r| i18n::decimal(r, 1))) }
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
    let t = RegistryText::current();
    html! {
        @match &overview.county {
            Some(county) => {
                h2 #agreements {
                    (t.agreements_of_agencies_in) (county.name) ", " (county.state) (t.as_of_lower)
                    (date(&overview.snapshot.day)) " (" (count(overview.listed.len() as u64)) ")"
                }
                p {
                    a href={ (with_params(params, &[("county", None), ("offset", None)])) "#agreements" } {
                        (t.every_agreement_in) (state_name(&county.state))
                    }
                }
            }
            None => h2 #agreements {
                (t.agreements_listed) (date(&overview.snapshot.day)) " (" (count(overview.listed.len() as u64)) ")"
            },
        }
        (filter_form(
            "/287g#agreements",
            &[Field { name: "q", label: t.agency_or_county, value: params.get("q").unwrap_or(""), short: false }],
            &hidden,
        ))
        (components::table(
            &[
                Column::text(t.state).sorts_by("state"),
                Column::text(t.agency_column).sorts_by("agency"),
                Column::text(t.kind),
                Column::text(county_word()),
                Column::text(model_word()).sorts_by("model"),
                Column::text(t.signed).sorts_by("signed"),
                Column::text(t.status),
            ],
            Some(&sorting),
            html! {
                @for row in rows.iter().skip(offset).take(AGREEMENTS_PER_PAGE) {
                    tr {
                        td { (row.state) }
                        td { a href=(agency_url(row.ori.as_deref(), &row.state, &row.agency)) { (row.agency) } }
                        td { (row.agency_type.as_deref().map(words).unwrap_or_default()) }
                        td { (row.county.as_deref().unwrap_or("")) }
                        td { (model_label(&row.model)) }
                        td { (date(row.signed.as_deref().unwrap_or(""))) }
                        td { (status_word(&row.status)) }
                    }
                }
            },
        ))
        (pager(offset, AGREEMENTS_PER_PAGE, matching, |offset| {
            let offset = offset.to_string();
            format!("{}#agreements", with_params(params, &[("offset", Some(offset.as_str()))]))
        }))
        p.note {
            (t.as_csv) a href=(csv_link(params, "agreements")) { (t.csv_agreements) }
            " · " a href=(csv_link(params, "states")) { (t.csv_states) }
            " · " a href=(csv_link(params, "timeline")) { (t.csv_timeline) }
        }
    }
}

/// The state and county maps, their legends, how agreements were placed, the dates to look at,
/// and the numbers as tables.
fn maps(state: &AppState, overview: &Overview, params: &Params) -> Markup {
    use super::map::{MapView, Shade, geo_map, key, key_of_hundredths, shade_bounds};
    let t = RegistryText::current();
    let map = match crate::geo::us_map() {
        Ok(map) => map,
        Err(error) => {
            eprintln!("remit serve: the built-in map cannot be read: {error}");
            return html! {
                p.error { (t.no_map) }
            };
        }
    };
    let when = &date(&overview.snapshot.taken);
    let model_words = overview
        .model
        .as_deref()
        .map_or(String::new(), |m| format!(" ({})", model_label(m)));
    // The model filter and the dates, as links (every view has its own address).
    let mut models = vec![(
        t.all_models,
        with_params(params, &[("model", None), ("offset", None)]),
        overview.model.is_none(),
    )];
    for model in remit_registry::MODELS {
        models.push((
            model.label,
            with_params(params, &[("model", Some(model.slug)), ("offset", None)]),
            overview.model.as_deref() == Some(model.slug),
        ));
    }
    let dates: Vec<(String, String, bool)> = overview
        .timeline
        .iter()
        .map(|point| {
            (
                date(&point.day),
                with_params(params, &[("as_of", Some(&point.day)), ("offset", None)]),
                point.day == overview.snapshot.day,
            )
        })
        .collect();

    // The states, with their real shapes: by their number of agreements, or (with the FBI
    // directory's populations) by agreements per million residents, so that a populous state
    // does not stand out for its size alone.
    let per_million = overview.directory.is_some() && params.get("shade") == Some("per_million");
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
                        "{}: {} {}",
                        state_name(code),
                        i18n::decimal(rate, 2),
                        t.per_million_lower
                    ),
                ),
                _ if per_million => (0, format!("{}: {}", state_name(code), t.no_population)),
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
        i18n::pick(
            format!("Agreements per million residents by state as of {when} (all models)"),
            format!(
                "Acuerdos por millón de habitantes por estado a fecha de {when} (todos los modelos)"
            ),
        )
    } else {
        i18n::pick(
            format!("Agreements per state as of {when}{model_words}"),
            format!("Acuerdos por estado a fecha de {when}{model_words}"),
        )
    };
    let state_map = geo_map(
        map,
        &MapView {
            title: &title,
            description: t.state_map_description,
            counties: false,
            focus: None,
            selected,
            id: "state-map",
        },
        &state_shades,
    );
    let state_key = if per_million {
        key_of_hundredths(
            &shade_bounds(&state_shades),
            (t.per_million_lower, t.per_million_lower),
        )
    } else {
        key(&shade_bounds(&state_shades), agreement_forms())
    };

    // The counties.
    let place = overview
        .state
        .as_deref()
        .map_or(t.the_united_states, state_name);
    let county_shades: Vec<Shade> = overview
        .counties
        .iter()
        .map(|row| Shade {
            fips: row.fips.clone(),
            value: row.agreements,
            label: format!(
                "{}, {}: {}, {}",
                row.county,
                row.state,
                agreements(row.agreements),
                count_of(row.agencies, t.agency),
            ),
            href: Some(county_url(params, &row.fips)),
        })
        .collect();
    let title = i18n::pick(
        format!("Agreements per county in {place} as of {when}{model_words}"),
        format!("Acuerdos por condado en {place} a fecha de {when}{model_words}"),
    );
    let counties_with_any = count(overview.counties.len() as u64);
    let description = match (i18n::lang(), overview.state.is_some()) {
        (i18n::Lang::En, state) => format!(
            "A map of the counties{}, each shaded by the agreements of the agencies placed in it and linked to their list; {counties_with_any} counties have any. The numbers are in the table below the map.",
            if state {
                " of the state"
            } else {
                " (Alaska, Hawaii and the territories in insets)"
            },
        ),
        (i18n::Lang::Es, state) => format!(
            "Un mapa de los condados{}, cada uno sombreado según los acuerdos de las agencias situadas en él y enlazado a su lista; {counties_with_any} condados tienen alguno. Las cifras están en la tabla debajo del mapa.",
            if state {
                " del estado"
            } else {
                " (Alaska, Hawái y los territorios en recuadros)"
            },
        ),
    };
    let county_map = geo_map(
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
    let county_key = key(&shade_bounds(&county_shades), agreement_forms());
    let placement = &overview.placement;
    let placed = placement.by_directory + placement.by_sheet;
    let full_directory = state
        .directory()
        .is_some_and(remit_agencies::Directory::is_complete);
    html! {
        p.filters {
            (model_word()) ": "
            @for (index, (label, href, current)) in models.iter().enumerate() {
                @if index > 0 { " · " }
                (current_or_link(label, href, *current))
            }
        }
        details.timeline {
            summary { (t.map_on_another_date) (count_of(overview.timeline.len() as u64, t.sheets)) ")" }
            p {
                @for (index, (day, href, current)) in dates.iter().enumerate() {
                    @if index > 0 { " · " }
                    (current_or_link(day, href, *current))
                }
            }
        }
        h2 #map { (t.by_state) }
        @if overview.directory.is_some() {
            p.filters {
                (t.shade_by)
                (current_or_link(t.number_of_agreements, &with_params(params, &[("shade", None)]), !per_million))
                " · "
                (current_or_link(
                    t.per_million_lower,
                    &with_params(params, &[("shade", Some("per_million"))]),
                    per_million,
                ))
            }
        }
        (components::map(state_map, state_key))
        @if per_million {
            p.note { (t.per_million_note) }
        } @else {
            p.note { (t.shades_note) }
        }
        h2 #counties { (t.by_county_in) (place) }
        (components::map(county_map, county_key))
        p.note {
            (t.placed_of_the) (count(placed + placement.statewide + placement.unplaced)) (t.placed_on_sheet)
            (when) (model_words) ", " (count(placed)) (t.placed_are)
            (count(placement.by_directory)) (t.placed_by_directory)
            @if !full_directory {
                (t.full_list_missing) code { "remit agencies import" }
            }
            "), " (count(placement.by_sheet)) (t.placed_by_sheet)
            (count(placement.statewide)) (t.statewide)
            strong { (count(placement.unplaced)) (t.could_not_be_placed) }
            @if placement.unplaced > 0 { (t.listed_below) }
            (t.pending_not_counted)
        }
        details {
            summary { (t.numbers_by_county) (count_of(overview.counties.len() as u64, t.counties_with_agreements)) ")" }
            (components::table(
                &[
                    Column::text(county_word()),
                    Column::text(t.state),
                    Column::number(t.agreements),
                    Column::number(t.agencies),
                ],
                None,
                html! {
                    @for row in &overview.counties {
                        tr {
                            td { a href=(county_url(params, &row.fips)) { (row.county) } }
                            td { (row.state) }
                            (number_cell(row.agreements))
                            (number_cell(row.agencies))
                        }
                    }
                },
            ))
            p.note { (t.as_csv) a href=(csv_link(params, "counties")) { (t.csv_counties) } }
        }
        @if !placement.not_placed.is_empty() {
            details {
                summary { (t.not_placed) (count(placement.unplaced)) ")" }
                (components::table(
                    &[
                        Column::text(t.state),
                        Column::text(t.agency_column),
                        Column::text(model_word()),
                        Column::text(t.why),
                    ],
                    None,
                    html! {
                        @for row in &placement.not_placed {
                            tr {
                                td { (row.state) }
                                td { (row.agency) }
                                td { (model_label(&row.model)) }
                                td { (row.reason) }
                            }
                        }
                    },
                ))
            }
        }
    }
}

/// A choice among views of the map: the one shown in bold, the others linked (to the map).
fn current_or_link(label: &str, href: &str, current: bool) -> Markup {
    html! {
        @if current {
            strong aria-current="true" { (label) }
        } @else {
            a href={ (href) "#map" } { (label) }
        }
    }
}

/// `1 agreement`, `3 agreements` (`1 acuerdo`, `3 acuerdos`).
fn agreements(number: u64) -> String {
    count_of(number, RegistryText::current().agreement)
}

/// A status of ICE's sheets (`active`, `pending`, `removed`) in the request's language; any
/// other as it is.
fn status_word(status: &str) -> String {
    let t = RegistryText::current();
    match status {
        "active" => t.active.to_string(),
        "pending" => t.pending_lower.to_string(),
        "removed" => t.removed_lower.to_string(),
        other => other.to_string(),
    }
}

/// The singular and plural of "agreement" in the request's language, for the maps' keys.
fn agreement_forms() -> (&'static str, &'static str) {
    let forms = RegistryText::current().agreement;
    forms.split_once('|').unwrap_or((forms, forms))
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
            // The other records of the agency (sharing lists, audits), as the agencies' pages
            // write them.
            let mut related = String::new();
            if let Some(agency) = joined.as_ref().ok().and_then(|all| {
                agencies
                    .first()
                    .and_then(|a| super::agencies::find(all, &url, &a.name))
            }) {
                super::agencies::related(&mut related, &state, agency);
            }
            let body = html! {
                @if state.options().demo {
                    p.error { strong { (RegistryText::current().demo) } (RegistryText::current().demo_agency) }
                }
                @for agency in &agencies {
                    (render_agency(agency, &snapshots))
                }
                (PreEscaped(related))
            };
            page.html(&body.into_string())
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
            let mut related = String::new();
            super::agencies::related(&mut related, state, agency);
            let body = html! {
                h1 { (agency.name) }
                p { (agency.detail()) }
                (PreEscaped(related))
            };
            page.html(&body.into_string())
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

fn render_agency(agency: &AgencyHistory, snapshots: &[SnapshotView]) -> Markup {
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
    let t = RegistryText::current();
    html! {
        h1 { (agency.name) }
        p {
            (state_name(&agency.state))
            @if let Some(kind) = &agency.agency_type { " · " (words(kind)) }
            @if let Some(county) = &agency.county { " · " (county) }
            " · " a href={ "/287g?state=" (agency.state) } { (t.in_287g) (state_name(&agency.state)) }
        }
        // The link to the directory in words; its code, confidence and reasons for whoever
        // checks it.
        @match &agency.ori {
            Some(ori) => p {
                (t.in_the_directory_as) (agency.directory_name.as_deref().unwrap_or(&agency.name)) "."
                (technical(html! {
                    (t.ori_matched) code { (ori) } (t.matched_with)
                    (i18n::decimal(agency.link_confidence.unwrap_or(0.0), 2))
                    @if !agency.link_reasons.is_empty() {
                        ":"
                        ul { @for reason in &agency.link_reasons { li { (reason) } } }
                    }
                }))
            },
            None => p.note { (t.not_linked) },
        }
        h2 { (t.agreements_heading) }
        @for agreement in &agency.agreements {
            h3 { (model_label(&agreement.model)) ": " (status_word(&agreement.status)) }
            p {
                (t.signed_lead) (agreement.signed.as_deref().map_or_else(|| t.not_given.to_string(), date))
                (t.first_seen_lead) (date(&agreement.first_seen)) (t.last_seen_lead) (date(&agreement.last_seen))
            }
            (periods_chart(&distinct, &agreement.periods))
            (components::table(
                &[
                    Column::text(t.status),
                    Column::text(t.from),
                    Column::text(t.to_column),
                    Column::number(t.snapshots),
                ],
                None,
                html! {
                    @for period in &agreement.periods {
                        tr {
                            td { (status_word(period.status)) }
                            td { (date(&period.from)) }
                            td { (period.to.as_deref().map_or_else(|| t.latest.to_string(), date)) }
                            td.n { (count(period.snapshots)) }
                        }
                    }
                },
            ))
        }
        @if agency.names.len() > 1 {
            h2 { (t.names_on_sheets) }
            (components::table(
                &[
                    Column::text(t.name),
                    Column::text(t.first_seen),
                    Column::text(t.last_seen),
                    Column::text(t.how_linked),
                ],
                None,
                html! {
                    @for name in &agency.names {
                        tr {
                            td { (name.name) }
                            td { (date(&name.first_seen)) }
                            td { (date(&name.last_seen)) }
                            td { (words(&name.link)) @if let Some(evidence) = &name.evidence { ": " (evidence) } }
                        }
                    }
                },
            ))
        }
        p {
            (t.law_of) (state_name(&agency.state)) (t.about_such)
            a href=(ask_url(&input)) { (t.ask) } "."
        }
    }
}

/// A strip over every snapshot time: dark where the agreement was on the participating sheet,
/// light where it was pending. SVG elements are closed explicitly (`<rect></rect>`): in an HTML
/// page an unclosed one would hold everything after it.
fn periods_chart(times: &[&str], periods: &[remit_registry::StatusPeriod]) -> Markup {
    let (Some(first), Some(last)) = (times.first(), times.last()) else {
        return html! {};
    };
    const WIDTH: f64 = 720.0;
    let t = RegistryText::current();
    let step = WIDTH / times.len() as f64;
    let position = |time: &str| times.iter().position(|t| *t == time);
    let bars: Vec<(String, String, &str, &str, String, String)> = periods
        .iter()
        .filter_map(|period| {
            let start = position(&period.from)?;
            let end = period
                .to
                .as_deref()
                .and_then(position)
                .unwrap_or(times.len() - 1);
            let (fill, label) = match period.status {
                "active" => (svg::SERIES[0], t.on_participating),
                "pending" => (svg::SERIES[4], t.pending_lower),
                _ => ("#bbb", t.removed_lower),
            };
            Some((
                format!("{:.1}", start as f64 * step),
                format!("{:.1}", (end + 1 - start) as f64 * step),
                fill,
                label,
                date(&period.from),
                period
                    .to
                    .as_deref()
                    .map_or_else(|| t.latest_lower.to_string(), date),
            ))
        })
        .collect();
    html! {
        svg role="img" aria-label=(t.listing_periods) viewBox="0 0 720 34" width="720" height="34" xmlns="http://www.w3.org/2000/svg" {
            rect x="0" y="4" width="720" height="14" fill="#f1f3f4" {}
            @for (x, width, fill, label, from, to) in &bars {
                rect x=(x) y="4" width=(width) height="14" fill=(fill) {
                    title { (label) ": " (from) " – " (to) }
                }
            }
            text x="0" y="31" font-size="12" { (date(first)) }
            text x="720" y="31" font-size="12" text-anchor="end" { (date(last)) }
        }
        p.note {
            span.c-active { "■" } " " (t.on_participating) " · "
            span.c-pending { "■" } " " (t.on_pending) (t.grey)
        }
    }
}
