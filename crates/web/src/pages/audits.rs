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
use crate::html::{query_string, words};
use crate::i18n::{self, Lang, count, strings};
use crate::parts::{pager, technical};
use crate::response::{DataSource, Format, Page, Params, Table, WebError};
use crate::svg::{self, Bar, Series};

strings! {
    /// The words of the audit pages.
    pub struct AuditsText {
        title: "Plate-reader audits", "Auditorías de lectores de placas";
        audit_of: "Audit of", "Auditoría de";
        imported: "imported", "importada el";
        unnamed_owner: "an unnamed owner", "un propietario sin nombre";
        intro: "Agencies release the logs of searches run on their license-plate-reader data. An audit reads such a log, sorts each search's stated reason into reviewable categories, works out who searched, and asks the law whether the data's owner could share its data with that searcher for that purpose on that day.", "Las agencias publican los registros de las búsquedas hechas en los datos de sus lectores automáticos de placas. Una auditoría lee ese registro, clasifica el motivo declarado de cada búsqueda en categorías revisables, identifica quién buscó y pregunta a la ley si el propietario de los datos podía compartirlos con ese autor de la búsqueda, para ese fin, ese día.";
        demo: "Demo data:", "Datos de demostración:";
        demo_list: "the audits marked (demo) are of self-made sample logs, not of a real agency's searches.", "las auditorías marcadas (demo) son de registros de muestra creados para la demostración, no de búsquedas de una agencia real.";
        demo_report: "a self-made sample log, not a real agency's searches.", "un registro de muestra creado para la demostración, no las búsquedas de una agencia real.";
        none_loaded: "No audit is loaded. Audit a log with", "No hay ninguna auditoría cargada. Audite un registro con";
        or: ", or", ", o";
        upload_one: "upload one", "suba uno";
        shows_generated: "shows a generated one.", "muestra una generada.";
        audit: "Audit", "Auditoría";
        data_owner: "Data owner", "Propietario de los datos";
        searches: "Searches", "Búsquedas";
        findings: "Findings", "Hallazgos";
        period: "Period", "Período";
        upload_link: "Upload an audit export or a sharing list", "Suba una exportación de auditoría o una lista de intercambio";
        to_get_report: "to get its report.", "para obtener su informe.";
        uploading_link: "Uploading an audit export or a sharing list", "La carga de exportaciones de auditoría y listas de intercambio";
        uploads_off: "is off on this server: start it with", "está desactivada en este servidor: inícielo con";
        uploads_off_end: "to audit a file in the browser (it is read in a temporary folder and never stored).", "para auditar un archivo en el navegador (se lee en una carpeta temporal y nunca se guarda).";
        owner_label: "Data owner:", "Propietario de los datos:";
        owner_note: "(the agency whose cameras were searched; the law asked is the one that bound it).", "(la agencia cuyas cámaras se consultaron; la ley consultada es la que la obligaba).";
        ori: "FBI agency code (ORI)", "Código de agencia del FBI (ORI)";
        no_owner: "The data's owner was not named, so no law question could be asked.", "No se indicó el propietario de los datos, así que no se pudo hacer ninguna pregunta a la ley.";
        everything_about: "Everything the records hold about", "Todo lo que dicen los registros sobre";
        everything_about_end: ": its sharing list, 287(g) history, other audits and the law that binds it.", ": su lista de intercambio, su historial 287(g), otras auditorías y la ley que la obliga.";
        every_row_read: "Every row of the log could be read.", "Se pudieron leer todas las filas del registro.";
        immigration_heading: "Searches for immigration reasons", "Búsquedas por motivos de inmigración";
        no_immigration: "No search in this audit gives a reason the classifier reads as immigration enforcement.", "Ninguna búsqueda de esta auditoría da un motivo que el clasificador interprete como control migratorio.";
        verdict_for_sharing: "Verdict for sharing with it", "Veredicto sobre compartir con él";
        searcher: "Searcher", "Autor de la búsqueda";
        state: "State", "Estado";
        kind: "Kind", "Tipo";
        show_only_these: "Show only these searches", "Mostrar solo estas búsquedas";
        per_month: "Searches per month", "Búsquedas por mes";
        searches_series: "searches", "búsquedas";
        why_heading: "Why: reason categories", "Por qué: categorías de motivo";
        why_title: "Searches by reason category", "Búsquedas por categoría de motivo";
        who_state_heading: "Who: searchers by state", "Quién: autores de búsquedas por estado";
        who_state_title: "Searches by searcher's state", "Búsquedas por estado del autor";
        who_class_heading: "Who: searchers by class", "Quién: autores de búsquedas por tipo";
        who_class_title: "Searches by searcher class", "Búsquedas por tipo de autor";
        law_heading: "What the law says", "Lo que dice la ley";
        law_title: "Searches by verdict on sharing with the searcher", "Búsquedas por veredicto sobre compartir con el autor";
        filtered_prefix: "Findings that match the filters,", "Hallazgos que cumplen los filtros,";
        chart_counts_all: "This chart counts every search of the audit; the charts below count the", "Este gráfico cuenta todas las búsquedas de la auditoría; los gráficos de abajo cuentan los";
        findings_word: "findings", "hallazgos";
        that_match: "that match the filters chosen.", "que cumplen los filtros elegidos.";
        several_categories: "A search may fall in several categories, read from the words of the reason the searcher typed.", "Una búsqueda puede caer en varias categorías, según las palabras del motivo que escribió su autor.";
        categories_in: "The categories and their words are in", "Las categorías y sus palabras están en";
        none: "None.", "Ninguna.";
        verdict: "Verdict", "Veredicto";
        sharing_with: "Sharing with", "Compartir con";
        purpose: "Purpose", "Finalidad";
        dates: "Dates", "Fechas";
        because: "Because", "Porque";
        flagged_heading: "What was flagged", "Qué se señaló";
        none_flagged: "No search was flagged.", "No se señaló ninguna búsqueda.";
        flag_note: "A flag such as a vague reason marks a search for a reader's attention; only the flags marked \"yes\" below make a search a", "Una señal, como un motivo impreciso, marca una búsqueda para que el lector la revise; solo las señales marcadas «sí» abajo hacen de una búsqueda un";
        finding: "finding", "hallazgo";
        flag_note_end: ", so a searcher may have flagged searches and no findings.", ", así que un autor puede tener búsquedas señaladas y ningún hallazgo.";
        flag: "Flag", "Señal";
        counts_as_finding: "Counts as a finding", "Cuenta como hallazgo";
        meaning: "Meaning", "Significado";
        yes: "yes", "sí";
        no: "no", "no";
        top_searchers: "Top searchers", "Autores con más búsquedas";
        forbidden: "Forbidden", "Prohibidas";
        first: "First", "Primera";
        last: "Last", "Última";
        findings_intro: "Searches flagged by the audit: a verdict against sharing, a reason of concern, a federal or out-of-state searcher, a vague or missing reason. Officer names and plates are redacted, and plates and users' names written in reasons are masked, unless the audit was run to keep them.", "Búsquedas señaladas por la auditoría: un veredicto contrario a compartir, un motivo preocupante, un autor federal o de otro estado, un motivo impreciso o ausente. Los nombres de los agentes y las placas se ocultan, y las placas y los nombres de usuarios escritos en los motivos se enmascaran, salvo que la auditoría se haya hecho para conservarlos.";
        showing_only: "Showing only:", "Solo se muestra:";
        remove: "remove", "quitar";
        by: "By", "Por";
        facet_category: "reason category", "categoría de motivo";
        facet_state: "searcher's state", "estado del autor";
        facet_verdict: "verdict", "veredicto";
        facet_class: "searcher class", "tipo de autor";
        csv_has_all: "the CSV has all of them.", "el CSV los tiene todos.";
        when_utc: "When (UTC)", "Cuándo (UTC)";
        reason_given: "Reason given", "Motivo declarado";
        read_as: "Read as", "Interpretado como";
        why_flagged: "Why flagged", "Por qué se señaló";
        line: "Line", "Línea";
        corpus: "Corpus", "Corpus";
        classifier: "classifier", "clasificador";
        category_immigration: "immigration", "inmigración";
        category_reproductive_health: "reproductive health", "salud reproductiva";
        category_first_amendment: "first amendment", "Primera Enmienda";
        category_protected_class_descriptor: "protected class descriptor", "descripción de una clase protegida";
        category_personal_use: "personal use", "uso personal";
        category_test_or_training: "test or training", "prueba o capacitación";
        category_criminal: "criminal", "penal";
        category_traffic: "traffic", "tránsito";
        category_missing_person_welfare: "missing person welfare", "persona desaparecida o bienestar";
        category_case_number: "case number", "número de caso";
        category_vague: "vague", "impreciso";
        category_missing: "missing", "sin motivo";
        category_other: "other", "otro";
        class_local: "local", "local";
        class_state: "state", "estatal";
        class_federal: "federal", "federal";
        class_private: "private", "privado";
        class_unknown: "unknown", "desconocido";
        flag_forbidden_sharing: "the owner's law forbids this sharing", "la ley del propietario prohíbe compartir";
        flag_out_of_state_searcher: "searcher in another state", "autor de otro estado";
        flag_federal_immigration_searcher: "searcher is a federal immigration agency", "el autor es una autoridad federal de inmigración";
        flag_federal_searcher: "federal searcher", "autor federal";
        flag_private_searcher: "private searcher", "autor privado";
        flag_unresolved_searcher: "unresolved searcher", "autor no identificado";
        flag_vague_reason: "vague reason", "motivo impreciso";
        flag_missing_reason: "no reason given", "sin motivo declarado";
        flag_missing_case_number: "no case number", "sin número de caso";
        flag_searcher_287g: "searcher held a 287(g) agreement that day", "el autor tenía un acuerdo 287(g) ese día";
        flag_concern_reason: "reason mentions immigration or a protected activity", "el motivo menciona la inmigración o una actividad protegida";
        flag_test_or_training: "test or training", "prueba o capacitación";
        flag_moderated: "moderated", "moderada";
        meaning_forbidden_sharing: "the law that bound the data's owner forbids sharing with this searcher for this purpose (verdict must not or conflict)", "la ley que obligaba al propietario de los datos prohíbe compartirlos con este autor para esta finalidad (veredicto «no debe» o «conflicto»)";
        meaning_concern_reason: "the reason names immigration enforcement, reproductive health, First Amendment activity, a protected-class descriptor or personal use", "el motivo nombra el control migratorio, la salud reproductiva, una actividad de la Primera Enmienda, la descripción de una clase protegida o un uso personal";
        meaning_federal_immigration_searcher: "the searcher is a federal immigration authority", "el autor es una autoridad federal de inmigración";
        meaning_federal_searcher: "the searcher is another federal agency", "el autor es otra agencia federal";
        meaning_out_of_state_searcher: "the searcher is a state or local agency of another state", "el autor es una agencia estatal o local de otro estado";
        meaning_private_searcher: "the searcher is a private body", "el autor es una entidad privada";
        meaning_searcher_287g: "the searcher held a 287(g) agreement with ICE on the search date, per ICE's published sheets", "el autor tenía un acuerdo 287(g) con ICE en la fecha de la búsqueda, según las hojas que publica ICE";
        meaning_unresolved_searcher: "the searcher could not be placed", "no se pudo identificar al autor";
        meaning_vague_reason: "the reason is too vague to tell why the search was run", "el motivo es demasiado impreciso para saber por qué se hizo la búsqueda";
        meaning_missing_reason: "no reason was given", "no se dio ningún motivo";
        meaning_missing_case_number: "the case number is empty and the reason carries none", "el número de caso está vacío y el motivo no incluye ninguno";
        meaning_test_or_training: "the search was a test or training", "la búsqueda fue una prueba o una capacitación";
        meaning_moderated: "Flock's moderation blocked or warned on the search", "la moderación de Flock bloqueó la búsqueda o advirtió sobre ella";
    }
}

/// A flag's name in plain words.
fn flag_name(flag: &str) -> String {
    let t = AuditsText::current();
    let found = match flag {
        "forbidden_sharing" => t.flag_forbidden_sharing,
        "out_of_state_searcher" => t.flag_out_of_state_searcher,
        "federal_immigration_searcher" => t.flag_federal_immigration_searcher,
        "federal_searcher" => t.flag_federal_searcher,
        "private_searcher" => t.flag_private_searcher,
        "unresolved_searcher" => t.flag_unresolved_searcher,
        "vague_reason" => t.flag_vague_reason,
        "missing_reason" => t.flag_missing_reason,
        "missing_case_number" => t.flag_missing_case_number,
        "searcher_287g" => t.flag_searcher_287g,
        "concern_reason" => t.flag_concern_reason,
        "test_or_training" => t.flag_test_or_training,
        "moderated" => t.flag_moderated,
        other => return words(other),
    };
    found.to_string()
}

/// What a flag says of a search, in the request's language.
fn flag_meaning(flag: remit_audit::Flag) -> &'static str {
    let t = AuditsText::current();
    match flag.name() {
        "forbidden_sharing" => t.meaning_forbidden_sharing,
        "concern_reason" => t.meaning_concern_reason,
        "federal_immigration_searcher" => t.meaning_federal_immigration_searcher,
        "federal_searcher" => t.meaning_federal_searcher,
        "out_of_state_searcher" => t.meaning_out_of_state_searcher,
        "private_searcher" => t.meaning_private_searcher,
        "searcher_287g" => t.meaning_searcher_287g,
        "unresolved_searcher" => t.meaning_unresolved_searcher,
        "vague_reason" => t.meaning_vague_reason,
        "missing_reason" => t.meaning_missing_reason,
        "missing_case_number" => t.meaning_missing_case_number,
        "test_or_training" => t.meaning_test_or_training,
        "moderated" => t.meaning_moderated,
        _ => flag.meaning(),
    }
}

/// A verdict's name (`must_not`) in the request's language.
fn verdict_name_words(verdict: &str) -> String {
    use remit_law::Verdict;
    [
        Verdict::MustNot,
        Verdict::Must,
        Verdict::May,
        Verdict::Conflict,
        Verdict::NoRule,
        Verdict::Depends,
    ]
    .into_iter()
    .find(|v| v.name() == verdict)
    .map_or_else(
        || words(verdict),
        |v| remit_law::lang::verdict_words(v, i18n::lang()).to_string(),
    )
}

/// A reason category's name in the request's language.
fn category_words(category: &str) -> String {
    let t = AuditsText::current();
    let found = match category {
        "immigration" => t.category_immigration,
        "reproductive_health" => t.category_reproductive_health,
        "first_amendment" => t.category_first_amendment,
        "protected_class_descriptor" => t.category_protected_class_descriptor,
        "personal_use" => t.category_personal_use,
        "test_or_training" => t.category_test_or_training,
        "criminal" => t.category_criminal,
        "traffic" => t.category_traffic,
        "missing_person_welfare" => t.category_missing_person_welfare,
        "case_number" => t.category_case_number,
        "vague" => t.category_vague,
        "missing" => t.category_missing,
        "other" => t.category_other,
        other => return words(other),
    };
    found.to_string()
}

/// A searcher class's name in the request's language.
fn class_words(class: &str) -> String {
    let t = AuditsText::current();
    let found = match class {
        "local" => t.class_local,
        "state" => t.class_state,
        "federal" => t.class_federal,
        "private" => t.class_private,
        "unknown" => t.class_unknown,
        other => return words(other),
    };
    found.to_string()
}

/// A facet's value in words: a category, a class or a verdict in the request's language, a
/// state as it is.
fn value_words(facet: &str, value: &str) -> String {
    match facet {
        "category" => category_words(value),
        "searcher_class" => class_words(value),
        "verdict" => verdict_name_words(value),
        // A searcher whose state is not known.
        "searcher_state" if value == "unknown" => AuditsText::current().class_unknown.to_string(),
        _ => words(value),
    }
}

/// A facet's label.
fn facet_words(facet: &str) -> &'static str {
    let t = AuditsText::current();
    match facet {
        "category" => t.facet_category,
        "searcher_state" => t.facet_state,
        "verdict" => t.facet_verdict,
        _ => t.facet_class,
    }
}

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
    /// The same title in Spanish.
    pub title_es: String,
    /// Where the run's data comes from, shown in place of the generic source.
    pub source: DataSource,
}

impl AuditLabel {
    /// The run's title in the request's language.
    pub fn title(&self) -> &str {
        i18n::pick(&self.title, &self.title_es)
    }
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
    let t = AuditsText::current();
    format!(
        "{} {}, {} {}",
        t.audit_of,
        run.owner.as_deref().unwrap_or(t.unnamed_owner),
        t.imported,
        i18n::date(run.imported_at.get(..10).unwrap_or(&run.imported_at))
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
        title: Cow::Owned(label.map_or_else(|| stored_title(&run), |l| l.title().to_string())),
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
        .map(flag_name)
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
                parts.push(format!("{} (“{}”)", category_words(category), term.trim()))
            }
            None => parts.push(category_words(item)),
        }
    }
    for category in categories
        .split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let category = category_words(category);
        if !parts.iter().any(|p| p.starts_with(&category)) {
            parts.push(category);
        }
    }
    parts.join("; ")
}

/// Facets a reader can filter findings by: parameter, label.
const FACETS: &[&str] = &["category", "searcher_state", "verdict", "searcher_class"];

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
            title: label.map_or_else(|| stored_title(run), |l| l.title().to_string()),
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
    let t = AuditsText::current();
    let page = Page::new(t.title, "/audits", "/audits")
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
                h1 { (t.title) }
                p { (t.intro) }
                @if state.options().demo && !state.audits().is_empty() {
                    p.error { strong { (t.demo) } " " (t.demo_list) }
                }
                @if entries.is_empty() {
                    p {
                        (t.none_loaded) " " code { "remit audit FILE --owner AGENCY" }
                        @if uploads { (t.or) " " a href="/-/upload" { (t.upload_one) } }
                        "; " code { "remit serve --demo" } " " (t.shows_generated)
                    }
                } @else {
                    (table(
                        &[
                            Column::text(t.audit),
                            Column::text(t.data_owner),
                            Column::number(t.searches),
                            Column::number(t.findings),
                            Column::text(t.period),
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
                                        (i18n::date(day_of(entry.first.as_deref().unwrap_or("")))) " – "
                                        (i18n::date(day_of(entry.last.as_deref().unwrap_or(""))))
                                    }
                                }
                            }
                        },
                    ))
                }
                // Uploading is shown either way, with how to turn it on when it is off.
                @if uploads {
                    p { a href="/-/upload" { (t.upload_link) } " " (t.to_get_report) }
                } @else {
                    p.note {
                        a href="/-/upload" { (t.uploading_link) }
                        " " (t.uploads_off) " " code { "remit serve --allow-uploads" }
                        " " (t.uploads_off_end)
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
    for parameter in FACETS {
        if let Some(value) = params.get(parameter) {
            filters.insert(*parameter, value);
        }
        facets.insert(*parameter, facet(&selection.counts, parameter));
    }
    let end = offset.saturating_add(selection.rows.len());
    let next = (paged && (end as u64) < selection.counts.total).then(|| {
        let mut pairs: Vec<(&str, String)> = FACETS
            .iter()
            .filter_map(|p| params.get(p).map(|v| (*p, v.to_string())))
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
    for parameter in FACETS {
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

fn bars(
    map: &BTreeMap<String, u64>,
    facet: &str,
    link: impl Fn(&str) -> Option<String>,
) -> Vec<Bar> {
    let mut bars: Vec<Bar> = map
        .iter()
        .filter(|(_, v)| **v > 0)
        .map(|(label, value)| Bar {
            label: value_words(facet, label),
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
    let t = AuditsText::current();
    let spanish = i18n::lang() == Lang::Es;
    let first = i18n::date(day_of(summary.period.first.as_deref().unwrap_or("?")));
    let last = i18n::date(day_of(summary.period.last.as_deref().unwrap_or("?")));
    let page = html! {
        h1 { (report.title) }
        @if state.options().demo && report.demo {
            p.error { strong { (t.demo) } " " (t.demo_report) }
        }
        @match &summary.owner {
            Some(owner) => p {
                (t.owner_label) " " strong { (owner.name) }
                @if let Some(code) = &owner.state { ", " (code) }
                " " (t.owner_note)
                @if let Some(ori) = &owner.ori {
                    (technical(html! { (t.ori) " " code { (ori) } }))
                }
            },
            None => p { (t.no_owner) },
        }
        @if let Some(agency) = &agency {
            p {
                a href=(agency.url) { (t.everything_about) " " (agency.name) }
                (t.everything_about_end)
            }
        }
        p.headline {
            @if spanish {
                strong {
                    (count(summary.events)) " búsquedas del " (first) " al " (last) " hechas por "
                    (count(summary.searchers as u64))
                    (if summary.searchers == 1 { " autor; " } else { " autores; " })
                    (count(report.findings_total)) " de ellas son " a href="#findings" { (t.findings_word) } "."
                }
            } @else {
                strong {
                    (count(summary.events)) " searches from " (first) " to " (last) " by "
                    (count(summary.searchers as u64))
                    (if summary.searchers == 1 { " searcher; " } else { " searchers; " })
                    (count(report.findings_total)) " of them " a href="#findings" { (t.findings_word) } "."
                }
            }
            " "
            @if summary.rejected == 0 {
                (t.every_row_read)
            } @else if spanish {
                (count(summary.rejected)) " filas no se pudieron leer y se apartaron."
            } @else {
                (count(summary.rejected)) " rows could not be read and were set aside."
            }
        }
        // Reach: one search can sweep many agencies' cameras at once.
        @if summary.max_networks_searched > 0 || summary.max_devices_searched > 0 {
            p {
                @if spanish {
                    "Alcance: una sola búsqueda llegó aquí a "
                    (count(u64::from(summary.max_networks_searched))) " redes y "
                    (count(u64::from(summary.max_devices_searched))) " cámaras como máximo."
                } @else {
                    "Reach: a single search here reached up to "
                    (count(u64::from(summary.max_networks_searched))) " networks and "
                    (count(u64::from(summary.max_devices_searched))) " cameras."
                }
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
    let t = AuditsText::current();
    let searches = count(immigration.iter().map(|s| s.findings).sum());
    let searchers = count(immigration.len() as u64);
    html! {
        h2 #immigration { (t.immigration_heading) }
        @if immigration.is_empty() {
            p { (t.no_immigration) }
        } @else {
            p {
                @if i18n::lang() == Lang::Es {
                    (searches) " búsquedas de " (searchers)
                    (if immigration.len() == 1 { " autor dan" } else { " autores dan" })
                    " un motivo que nombra el control migratorio (las palabras encontradas se muestran con cada búsqueda, abajo)."
                } @else {
                    (searches) " searches by " (searchers)
                    (if immigration.len() == 1 { " searcher give" } else { " searchers give" })
                    " a reason that names immigration enforcement (the matched words are shown with each search below)."
                }
            }
            (table(
                &[
                    Column::text(t.verdict_for_sharing),
                    Column::text(t.searcher),
                    Column::text(t.state),
                    Column::text(t.kind),
                    Column::number(t.searches),
                ],
                None,
                html! {
                    @for searcher in immigration {
                        tr {
                            td {
                                @for (index, verdict) in searcher.verdicts.iter().enumerate() {
                                    @if index > 0 { " " }
                                    (verdict_badge(verdict, &verdict_name_words(verdict)))
                                }
                            }
                            td lang=[crate::parts::english_data()] { (searcher.searcher) }
                            td { (value_words("searcher_state", &searcher.state)) }
                            td { (class_words(&searcher.class)) }
                            (number_cell(searcher.findings))
                        }
                    }
                },
            ))
            @if let Some(url) = only_these {
                p { a href=(url) { (t.show_only_these) } }
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
        .any(|parameter| params.get(parameter).is_some());
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
    let t = AuditsText::current();
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
    let per_month = svg::line(
        t.per_month,
        &labels,
        &[Series {
            name: t.searches_series.to_string(),
            values: summary.by_month.values().copied().collect(),
        }],
    );
    let note = (!partial.is_empty()).then(|| match i18n::lang() {
        Lang::En => format!(
            "* The log covers only part of {} (from {} to {}): a lower count there is not a drop in searching.",
            partial.join(" and "),
            day_of(first),
            day_of(last)
        ),
        Lang::Es => format!(
            "* El registro cubre solo una parte de {} (del {} al {}): un recuento menor allí no es una caída de las búsquedas.",
            partial.join(" y "),
            i18n::date(day_of(first)),
            i18n::date(day_of(last))
        ),
    });
    // Each count as a bar chart whose bars link to the findings faceted on that value.
    let bar_charts: [BarChart<'_>; 4] = [
        (
            t.why_heading,
            t.why_title,
            &summary.by_category,
            &counts.by_category,
            "category",
        ),
        (
            t.who_state_heading,
            t.who_state_title,
            &summary.by_searcher_state,
            &counts.by_searcher_state,
            "searcher_state",
        ),
        (
            t.who_class_heading,
            t.who_class_title,
            &summary.by_searcher_class,
            &counts.by_searcher_class,
            "searcher_class",
        ),
        (
            t.law_heading,
            t.law_title,
            &summary.by_verdict,
            &counts.by_verdict,
            "verdict",
        ),
    ];
    html! {
        h2 { (t.per_month) }
        @if filtered {
            p.note {
                (t.chart_counts_all) " "
                a href="#findings" { (t.findings_word) } " " (t.that_match)
            }
        }
        (chart(per_month, note.as_deref()))
        @for (heading, title, all, matching, facet) in bar_charts {
            h2 { (heading) }
            @if facet == "category" {
                p.note { (t.several_categories) }
                (technical(html! { (t.categories_in) " " code { "classifiers/reasons.toml" } "." }))
            }
            @let (title, counted) = if filtered {
                (title.replacen(t.searches, t.filtered_prefix, 1), matching)
            } else {
                (title.to_string(), all)
            };
            @let bars = bars(counted, facet, |value| link(facet, Some(value)));
            @if bars.is_empty() {
                p { (t.none) }
            } @else {
                (chart(svg::bars(&title, &bars), None))
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
    let lang = i18n::lang();
    let phrase = |kind: WordKind, word: &str| -> String {
        vocabulary
            .phrase_in(kind, word, lang)
            .unwrap_or_else(|| vocabulary.phrase_or_word(kind, word))
            .to_string()
    };
    let t = AuditsText::current();
    table(
        &[
            Column::text(t.verdict),
            Column::text(t.sharing_with),
            Column::text(t.purpose),
            Column::text(t.dates),
            Column::number(t.searches),
            Column::text(t.because),
        ],
        None,
        html! {
            @for decision in &summary.decisions {
                tr {
                    td { (verdict_badge(&decision.verdict, &verdict_name_words(&decision.verdict))) }
                    td { (phrase(WordKind::Counterparty, &decision.counterparty)) }
                    td { (phrase(WordKind::Purpose, &decision.purpose)) }
                    td { (i18n::date(&decision.from)) " – " (i18n::date(&decision.until)) }
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
    let t = AuditsText::current();
    html! {
        h2 { (t.flagged_heading) }
        @if flagged.is_empty() {
            p { (t.none_flagged) }
        } @else {
            p.note {
                (t.flag_note) " "
                em { (t.finding) } (t.flag_note_end)
            }
            (table(
                &[
                    Column::text(t.flag),
                    Column::number(t.searches),
                    Column::text(t.counts_as_finding),
                    Column::text(t.meaning),
                ],
                None,
                html! {
                    @for (flag, searches) in &flagged {
                        tr {
                            td { (flag_words(flag.name())) }
                            (number_cell(*searches))
                            td { (if flag.makes_finding() { t.yes } else { t.no }) }
                            td { (flag_meaning(*flag)) }
                        }
                    }
                },
            ))
        }
    }
}

/// The searchers with the most searches.
fn searchers_section(summary: &RunSummary) -> Markup {
    let t = AuditsText::current();
    html! {
        h2 { (t.top_searchers) }
        (table(
            &[
                Column::text(t.searcher),
                Column::text(t.state),
                Column::text(t.kind),
                Column::number(t.searches),
                Column::number(t.findings),
                Column::number(t.forbidden),
                Column::text(t.first),
                Column::text(t.last),
            ],
            None,
            html! {
                @for searcher in &summary.top_searchers {
                    tr {
                        td lang=[crate::parts::english_data()] { (searcher.name) }
                        td { (searcher.state.as_deref().unwrap_or("")) }
                        td { (class_words(&searcher.class)) }
                        (number_cell(searcher.searches))
                        (number_cell(searcher.findings))
                        (number_cell(searcher.forbidden))
                        td { (i18n::date(day_of(searcher.first.as_deref().unwrap_or("")))) }
                        td { (i18n::date(day_of(searcher.last.as_deref().unwrap_or("")))) }
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
        .filter_map(|p| params.get(p).map(|v| (*p, v)))
        .collect();
    let total = usize::try_from(counts.total).unwrap_or(usize::MAX);
    let t = AuditsText::current();
    let spanish = i18n::lang() == Lang::Es;
    html! {
        h2 #findings { (t.findings) }
        p { (t.findings_intro) }
        @if !active.is_empty() {
            p {
                (t.showing_only) " "
                @for (parameter, value) in &active {
                    (facet_words(parameter)) " = " strong { (value_words(parameter, value)) } " "
                    @if let Some(url) = link(parameter, None) {
                        "(" a href=(url) { (t.remove) } ") "
                    }
                }
            }
        }
        (facets(html! {
            @for parameter in FACETS {
                @let label = facet_words(parameter);
                @let values: Vec<Facet> = facet(counts, parameter)
                    .iter()
                    .map(|(value, number)| Facet {
                        label: value_words(parameter, value),
                        count: *number,
                        href: link(parameter, Some(value)),
                        selected: params.get(parameter) == Some(value.as_str()),
                    })
                    .collect();
                (facet_list(&format!("{} {label}", t.by), &values))
            }
        }))
        @match paged {
            Some(offset) => {
                p {
                    (count(counts.total))
                    (i18n::pick(" findings match; ", " hallazgos cumplen los filtros; "))
                    (t.csv_has_all)
                }
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
                @if spanish {
                    (count(counts.total)) " hallazgos cumplen los filtros"
                    @if counts.total > SHOWN as u64 {
                        "; se muestran los " (count(SHOWN as u64)) " primeros, el CSV los tiene todos"
                    }
                } @else {
                    (count(counts.total)) " findings match"
                    @if counts.total > SHOWN as u64 {
                        "; the first " (SHOWN) " are shown, the CSV has all of them"
                    }
                }
                "."
            },
        }
        (table(
            &[
                Column::text(t.verdict),
                Column::text(t.when_utc),
                Column::text(t.searcher),
                Column::text(t.state),
                Column::text(t.reason_given),
                Column::text(t.read_as),
                Column::text(t.why_flagged),
                Column::number(t.line),
            ],
            None,
            html! {
                @for finding in &selection.rows {
                    tr {
                        td { (verdict_badge(&finding.verdict, &verdict_name_words(&finding.verdict))) }
                        td { (finding.time_utc.replace('T', " ").replace('Z', "")) }
                        td lang=[crate::parts::english_data()] { (finding.searcher) }
                        td { (value_words("searcher_state", finding.searcher_state.as_deref().unwrap_or(""))) }
                        // The reason as the searcher typed it (data, in its own language).
                        td lang=[crate::parts::english_data()] { (finding.reason) }
                        td { (evidence_words(&finding.categories.join(";"), &finding.evidence)) }
                        td { (flag_words(&finding.flags.join(";"))) }
                        td.n { (finding.line) }
                    }
                }
            },
        ))
        p.disclaimer {
            (if spanish { i18n::Common::current().disclaimer } else { summary.disclaimer.as_str() })
            " " (t.corpus) " " (summary.corpus_version) ", " (t.classifier) " "
            (summary.classifier_version) "."
        }
    }
}
