//! `/compliance` and `/compliance/{state}`: the 287(g) registry checked against the law. Which
//! agencies the law requires to request and enter an agreement and the registry shows without
//! one, which hold one the law forbids, and which turn on a fact Remit does not know; nationally
//! with a state map, and per state. The table has a CSV twin, the page a JSON twin (remit-app's
//! check as it is).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use remit_app::compliance::{Agreement, Check, Compliance, Finding, History, Standing};
use remit_law::Verdict;
use remit_law::vocabulary::Vocabulary;
use remit_registry::{Day, parse_state};

use super::state_name;
use crate::AppState;
use maud::{Markup, html};

use crate::components::{Column, Sorting, chart, number_cell, table};
use crate::html::query_string;
use crate::i18n::{self, Lang, count, strings};
use crate::parts::{pager, technical};
use crate::response::{DataSource, Format, Page, Params, Table, WebError};
use crate::svg::{self, MapValue};

strings! {
    /// The words of the 287(g) compliance pages.
    pub struct ComplianceText {
        title: "287(g) agreements and the law", "Acuerdos 287(g) y la ley";
        tech_actor: "actor", "actor";
        tech_division: "division", "división";
        tech_found_in: "found in", "hallada en";
        tech_finding: "finding", "resultado";
        tech_rules: "rules", "normas";
        sort_finding: "Finding", "Resultado";
        sort_agency: "Agency", "Agencia";
        sort_state: "State", "Estado";
        kind_required: "Required to enter an agreement, none in the registry", "Obligada a firmar un acuerdo, sin ninguno en el registro";
        kind_forbidden: "Forbidden an agreement, one in the registry", "Con un acuerdo prohibido, que figura en el registro";
        kind_depends: "Turns on a fact Remit does not know", "Depende de un hecho que Remit no conoce";
        agencies_checked: "Agencies checked", "Agencias verificadas";
        no_registry: "No 287(g) sheet or MOA index is in this store, so there is nothing to check against the law. Import ICE's sheets with", "Esta base de datos no tiene ninguna hoja 287(g) ni índice de acuerdos (MOA), así que no hay nada que comparar con la ley. Importe las hojas de ICE con";
        or_run: ", or run", ", o ejecute";
        to_see_samples: "to see this page with samples.", "para ver esta página con datos de muestra.";
        none: "none", "ninguno";
        due_past: "past", "vencido";
        due_not_yet: "not yet", "aún no";
        due_by: "due by", "plazo hasta el";
        stale: "Stale:", "Desactualizado:";
        registry_note: "The registry is ICE's list of agencies with a 287(g) agreement (its participating and pending sheets) and the index of agreements ICE posted. It shows who ICE lists, not whether an agreement is lawful or in force: a listed agreement may have ended, and an agency may have an agreement ICE does not list yet.", "El registro es la lista de ICE de las agencias con un acuerdo 287(g) (sus hojas de participantes y de solicitudes pendientes) y el índice de acuerdos que ICE publicó. Muestra a quién incluye ICE, no si un acuerdo es legal o está vigente: un acuerdo de la lista puede haber terminado, y una agencia puede tener un acuerdo que ICE aún no incluye.";
        standing_none: "No standing", "Sin hallazgo";
        registry_as_of: "Remit reads the registry as of the date: ICE's sheet as of then (a pending request counts as a request), and the agreements posted since that sheet.", "Remit lee el registro en la fecha indicada: la hoja de ICE vigente entonces (una solicitud en trámite cuenta como solicitud) y los acuerdos publicados desde esa hoja.";
        on: "On", "Fecha";
        check: "Check", "Verificar";
        the_law: "The law", "La ley";
        registry: "Registry", "Registro";
        deadline: "Deadline", "Plazo";
        agencies: "Agencies", "Agencias";
        all: "all", "todas";
        none_found: "None.", "Ninguna.";
        in_force_from: "in force from", "vigente desde el";
        standing_changed: "When agencies' standing changed", "Cuándo cambió la situación de las agencias";
        date: "Date", "Fecha";
        before: "Before", "Antes";
        after: "After", "Después";
        days_before: "Days before", "Días antes";
        why: "Why", "Motivo";
        law_changed: "the law changed", "cambió la ley";
        registry_changed: "the registry changed", "cambió el registro";
        both_changed: "the law and the registry changed", "cambiaron la ley y el registro";
        map_title: "287(g) findings by state", "Resultados 287(g) por estado";
        map_unit: "agencies with a finding", "agencias con un resultado";
        by_state: "By state", "Por estado";
        by_state_intro: "Agencies required to hold an agreement and shown without one, plus agencies holding one the law forbids. Each state links to its page.", "Agencias obligadas a tener un acuerdo que figuran sin él, y agencias con un acuerdo que la ley prohíbe. Cada estado enlaza con su página.";
        with_agreement: "With an agreement", "Con acuerdo";
        required_none: "Required, none", "Obligadas, sin acuerdo";
        past_deadline: "Past deadline", "Plazo vencido";
        forbidden_held: "Forbidden, held", "Prohibido, vigente";
        depends: "Depends", "Depende";
        every_state: "Every state", "Todos los estados";
        how_checked: "How this is checked", "Cómo se verifica";
        method: "For every agency in the agency list and every agency in the registry, Remit asks the law whether it must, may or must not request, sign or keep a 287(g) agreement with ICE on the date, using what is known about its county (whether it runs a jail, and who runs it). An agency is listed when the law requires an agreement and the registry shows none, or forbids one and the registry shows one. A deadline that the law sets is shown; before it, no agency is called late.", "Para cada agencia de la lista de agencias y cada agencia del registro, Remit pregunta a la ley si debe, puede o no debe solicitar, firmar o mantener un acuerdo 287(g) con ICE en la fecha indicada, según lo que se sabe de su condado (si administra una cárcel y quién la administra). Una agencia figura en la lista cuando la ley exige un acuerdo y el registro no muestra ninguno, o lo prohíbe y el registro muestra uno. Se indica el plazo que fija la ley; antes de que venza, ninguna agencia se considera atrasada.";
        ice_page: "ICE's 287(g) page", "la página 287(g) de ICE";
        the_united_states: "the United States", "los Estados Unidos";
        guide_heading: "287(g) agreements: the law beside ICE's registry", "Acuerdos 287(g): la ley junto al registro de ICE";
        every_agency_checked: "checked against the law", "verificadas con la ley";
        every_agency_in: "Every agency in", "Todas las agencias de";
        lead_required: "The law requires this agency to request and enter a 287(g) agreement with ICE, and the registry shows none.", "La ley exige que esta agencia solicite y firme un acuerdo 287(g) con ICE, y el registro no muestra ninguno.";
        lead_forbidden: "The law forbids this agency a 287(g) agreement with ICE, and the registry shows one.", "La ley prohíbe a esta agencia un acuerdo 287(g) con ICE, y el registro muestra uno.";
        lead_depends: "Whether the law requires or forbids this agency a 287(g) agreement turns on a fact Remit does not know about it.", "Que la ley exija o prohíba a esta agencia un acuerdo 287(g) depende de un hecho que Remit no conoce sobre ella.";
        lead_nothing: "Nothing to report: the law does not require an agreement the registry lacks, nor forbid one it shows.", "Nada que señalar: la ley no exige un acuerdo que falte en el registro ni prohíbe uno que figure en él.";
        agency_heading: "Its 287(g) agreement and the law", "Su acuerdo 287(g) y la ley";
    }
}

/// Rows per page of the findings table.
const PAGE_SIZE: usize = 50;

/// The sort orders the findings table offers: parameter value, column heading.
const SORTS: &[&str] = &["finding", "agency", "state"];

/// The heading of a sort order's column.
fn sort_words(sort: &str) -> &'static str {
    let t = ComplianceText::current();
    match sort {
        "agency" => t.sort_agency,
        "state" => t.sort_state,
        _ => t.sort_finding,
    }
}

/// The finding kinds in the order a reader needs them, with their plain words.
const KINDS: &[&str] = &[
    "required_without_agreement",
    "forbidden_with_agreement",
    "depends",
];

/// The directory the check takes its agencies from, as the page names it.
fn directory_label(state: &AppState) -> String {
    match state.directory() {
        Some(_) => "the FBI's list of law enforcement agencies (as imported)".to_string(),
        None => "the built-in sample of agencies (import the FBI list with `remit agencies import` for every agency)".to_string(),
    }
}

/// Runs `work` over a compliance check of the store's registry; `None` without a store or a
/// registry.
fn with_compliance<T>(
    state: &AppState,
    work: impl FnOnce(&mut Compliance<'_>) -> T,
) -> Result<Option<T>, WebError> {
    let label = directory_label(state);
    let result = state.with_store(|store| {
        match super::registry::has_current_registry(store) {
            Ok(false) => return Ok(None),
            Ok(true) => {}
            Err(error) => return Err(WebError::internal(error)),
        }
        match Compliance::load(state.corpus(), state.resolver(), store, &label) {
            Ok(mut compliance) => Ok(Some(work(&mut compliance))),
            Err(remit_app::compliance::ComplianceError::EmptyRegistry) => Ok(None),
            Err(error) => Err(WebError::internal(error)),
        }
    });
    result.unwrap_or(Ok(None))
}

/// The date asked (`?as_of=`), else today.
fn as_of(params: &Params) -> Result<Day, WebError> {
    match params.get("as_of").map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => Day::parse_iso(text).ok_or_else(|| {
            WebError::bad_request(format!("`as_of`: `{text}` is not a date"))
                .with_help("write the date as YYYY-MM-DD, e.g. 2026-06-30")
        }),
        None => Day::parse_iso(&crate::today().to_string())
            .ok_or_else(|| WebError::internal("today is not a date")),
    }
}

fn sources(state: &AppState, check: &Check) -> Vec<DataSource> {
    let mut sources = vec![super::corpus_source(state.corpus())];
    let mut registry = Vec::new();
    if let Some(sheet) = &check.sources.sheet {
        registry.push(format!("ICE's participating sheet of {sheet}"));
    }
    if let Some(posted) = &check.sources.moa_posted_by {
        registry.push(format!("MOA documents posted by {posted} (MOA index)"));
    }
    sources.push(DataSource {
        name: "ICE 287(g) participating and pending agencies, and the index of posted agreements"
            .to_string(),
        url: Some("https://www.ice.gov/identify-and-arrest/287g".to_string()),
        licence: "US federal government work (public domain)".to_string(),
        date: if registry.is_empty() {
            "no registry data on or before the date".to_string()
        } else {
            registry.join("; ")
        },
        note: Some(check.registry_note.to_string()),
    });
    sources.push(DataSource {
        name: "Agencies checked".to_string(),
        url: None,
        licence: "FBI list: US federal government work (public domain)".to_string(),
        date: check.sources.directory.clone(),
        note: None,
    });
    sources
}

fn empty(page: Page, format: Format, heading: &str) -> Response {
    match format {
        Format::Html => page.html(
            &html! {
                h1 { (heading) }
                p {
                    (ComplianceText::current().no_registry) " "
                    code { "remit registry import" } (ComplianceText::current().or_run) " " code { "remit serve --demo" }
                    " " (ComplianceText::current().to_see_samples) " " a href="/" { (i18n::Common::current().back_home) } "."
                }
            }
            .into_string(),
        ),
        _ => WebError::not_found("no 287(g) registry in this store")
            .with_help("import ICE's sheets with `remit registry import`, or run `remit serve --demo`")
            .into_response(),
    }
}

/// Every finding of a check with its kind, in the table's order.
fn findings(check: &Check) -> Vec<(&'static str, &Finding)> {
    let mut out = Vec::new();
    for kind in KINDS {
        let list = match *kind {
            "required_without_agreement" => &check.required_without_agreement,
            "forbidden_with_agreement" => &check.forbidden_with_agreement,
            _ => &check.depends,
        };
        out.extend(list.iter().map(|f| (*kind, f)));
    }
    out
}

fn kind_words(kind: &str) -> &'static str {
    let t = ComplianceText::current();
    match kind {
        "required_without_agreement" => t.kind_required,
        "forbidden_with_agreement" => t.kind_forbidden,
        "depends" => t.kind_depends,
        _ => t.standing_none,
    }
}

/// The first `YYYY-MM-DD` in a sentence the check wrote, to say it again in the page's language.
fn first_day_in(text: &str) -> Option<&str> {
    text.char_indices().find_map(|(start, _)| {
        let day = text.get(start..start + 10)?;
        Day::parse_iso(day).map(|_| day)
    })
}

/// The check's warning that the date asked is past the registry's newest data, in the page's
/// language (the newest day from the check's own field, else from its sentence).
fn stale_words(sentence: &str, newest: Option<&str>, as_of: &str) -> String {
    let Some(newest) = newest.or_else(|| first_day_in(sentence)) else {
        return sentence.trim_start_matches("stale: ").to_string();
    };
    match i18n::lang() {
        Lang::En => format!(
            "the newest registry data is of {newest}, before {as_of}; agreements made or ended since are not seen"
        ),
        Lang::Es => format!(
            "los datos más recientes del registro son del {}, anteriores al {}; no se ven los acuerdos firmados o terminados desde entonces",
            i18n::date(newest),
            i18n::date(as_of)
        ),
    }
}

/// The check's warning that the date asked is before the registry's first data, in the page's
/// language.
fn before_words(sentence: &str) -> String {
    let Some(first) = first_day_in(sentence) else {
        return sentence.to_string();
    };
    match i18n::lang() {
        Lang::En => format!(
            "before the registry's first data ({first}): the registry cannot show an agreement then"
        ),
        Lang::Es => format!(
            "antes de los primeros datos del registro ({}): el registro no puede mostrar un acuerdo en esa fecha",
            i18n::date(first)
        ),
    }
}

/// What the registry shows for a finding, in words.
fn registry_words(finding: &Finding) -> String {
    if finding.agreements.is_empty() {
        return ComplianceText::current().none.to_string();
    }
    finding
        .agreements
        .iter()
        .map(|a| format!("{}: {}", a.model, seen_words(a)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Where the registry shows an agreement, in the page's language (the check writes it in
/// English: `listed in ICE's participating sheet of 2025-07-18 pm`).
fn seen_words(agreement: &Agreement) -> String {
    let when = first_day_in(&agreement.seen).and_then(|day| {
        let start = agreement.seen.find(day)?;
        agreement.seen[start..].split(" (").next()
    });
    match (i18n::lang(), when) {
        (Lang::Es, Some(when)) => {
            let when = i18n::date(when);
            match agreement.status {
                "listed" => format!("en la hoja de participantes de ICE del {when}"),
                "pending" => {
                    format!("solicitado: en la hoja de solicitudes pendientes de ICE del {when}")
                }
                _ => format!("acuerdo (MOA) publicado a más tardar el {when} (índice de acuerdos)"),
            }
        }
        _ => agreement.seen.clone(),
    }
}

/// The check's sentence on one agency, in the page's language: as the check wrote it in English,
/// and said again from the standing's parts in Spanish.
fn standing_words(vocabulary: &Vocabulary, standing: &Standing) -> Markup {
    if i18n::lang() == Lang::En {
        return html! { (standing.sentence) };
    }
    let name = &standing.agency.name;
    let day = i18n::date(&standing.as_of);
    let agreements = standing
        .agreements
        .iter()
        .map(|a| format!("{}, {}", a.model, seen_words(a)))
        .collect::<Vec<_>>()
        .join("; ");
    // Each citation as the source writes it.
    let cited = html! {
        @for (index, rule) in standing.rules.iter().enumerate() {
            @if index > 0 { "; " }
            span lang="en" { (rule.citation) }
        }
    };
    match standing.finding {
        "required_without_agreement" => html! {
            "El " (day) ", la ley obligaba a " (name) " a solicitar y firmar un acuerdo 287(g) con ICE ("
            (cited) "); el registro no muestra ninguno."
            @match (&standing.deadline, standing.past_deadline) {
                (Some(due), Some(true)) => { " El plazo para cumplir vencía el " (i18n::date(due)) "." }
                (Some(due), _) => { " El plazo para cumplir vence el " (i18n::date(due)) ", que no había llegado el " (day) "." }
                _ => {}
            }
        },
        "forbidden_with_agreement" => html! {
            "El " (day) ", la ley prohibía a " (name) " solicitar, firmar o mantener un acuerdo 287(g) con ICE ("
            (cited) "); el registro muestra uno: " (agreements) "."
        },
        "depends" => html! {
            "El " (day) ", la ley sobre el acuerdo 287(g) de " (name) " depende de un hecho que Remit no conoce sobre ella: "
            @for (index, unknown) in standing.unknowns.iter().enumerate() {
                @if index > 0 { "; " }
                (unknown_words(vocabulary, unknown))
            }
            "; en otro caso, " (standing.verdict.map_or("sin respuesta", crate::parts::verdict_words)) ". "
            (if standing.agreements.is_empty() { "El registro no muestra ningún acuerdo." } else { "El registro muestra un acuerdo." })
        },
        _ => {
            let registry = if standing.agreements.is_empty() {
                "el registro no muestra ninguno".to_string()
            } else {
                format!("el registro muestra uno ({agreements})")
            };
            let law = match standing.verdict {
                Some(Verdict::Must) => format!(
                    "la ley obligaba a {name} a solicitar y firmar un acuerdo 287(g) con ICE"
                ),
                Some(Verdict::MustNot) => {
                    format!("la ley prohibía a {name} un acuerdo 287(g) con ICE")
                }
                Some(Verdict::May) => {
                    format!("la ley permitía a {name} un acuerdo 287(g) con ICE sin exigirlo")
                }
                Some(Verdict::Conflict) => format!(
                    "se aplicaban al acuerdo 287(g) de {name} normas que no se pueden cumplir a la vez"
                ),
                Some(Verdict::Depends) => format!(
                    "la ley sobre el acuerdo 287(g) de {name} dependía de un hecho que Remit no conoce, que no cambiaría esto"
                ),
                Some(Verdict::NoRule) => format!(
                    "ninguna norma del corpus respondía si {name} puede tener un acuerdo 287(g)"
                ),
                None => return html! { "No se pudo verificar " (name) "." },
            };
            html! { "El " (day) ", " (law) ", y " (registry) ": nada que señalar." }
        }
    }
}

/// The law for a finding, in words: its rules, or with `depends` the unknown facts.
fn law_words(vocabulary: &Vocabulary, finding: &Finding) -> Markup {
    if !finding.unknowns.is_empty() {
        return html! {
            @for (index, unknown) in finding.unknowns.iter().enumerate() {
                @if index > 0 { "; " }
                (unknown_words(vocabulary, unknown))
            }
        };
    }
    html! { (citations(finding)) }
}

/// One branch of a finding that turns on a fact: its verdict and the facts it needs, in the
/// page's language. The check writes the condition in English; it is said again from the
/// vocabulary's words when they give back the check's own sentence (facts that must all hold),
/// and shown as the check wrote it, marked English, when the condition is of another shape.
fn unknown_words(vocabulary: &Vocabulary, unknown: &remit_app::compliance::Unknown) -> Markup {
    let condition_in = |lang: Lang| {
        let facts: Option<Vec<String>> = unknown
            .facts
            .iter()
            .map(|fact| {
                let id = vocabulary.fact(fact).ok()?;
                Some(vocabulary.fact_condition_in(id, lang))
            })
            .collect();
        facts.map(|facts| facts.join(if lang == Lang::Es { " y " } else { " and " }))
    };
    let verdict = crate::parts::verdict_words(unknown.verdict);
    match (i18n::lang(), condition_in(Lang::En)) {
        (Lang::Es, Some(english)) if english == unknown.condition => {
            html! { (verdict) " si " (condition_in(Lang::Es).unwrap_or_default()) }
        }
        (Lang::Es, _) => html! { (verdict) " si " span lang="en" { (unknown.condition) } },
        (Lang::En, _) => html! { (verdict) " if " (unknown.condition) },
    }
}

/// The citations of a finding's rules, joined.
fn citations(finding: &Finding) -> String {
    finding
        .rules
        .iter()
        .map(|r| r.citation.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

fn deadline_words(finding: &Finding) -> String {
    match (&finding.deadline, finding.past_deadline) {
        (Some(day), Some(true)) => {
            let t = ComplianceText::current();
            format!("{} {}: {}", t.due_by, i18n::date(day), t.due_past)
        }
        (Some(day), _) => {
            let t = ComplianceText::current();
            format!("{} {}: {}", t.due_by, i18n::date(day), t.due_not_yet)
        }
        _ => String::new(),
    }
}

fn csv(page: &Page, check: &Check) -> Response {
    let mut table = Table::new(&[
        "finding",
        "state",
        "agency",
        "ori",
        "actor",
        "verdict",
        "rules",
        "citations",
        "in_force_from",
        "deadline",
        "past_deadline",
        "registry",
        "sources",
        "unknown_facts",
        "as_of",
        "data_as_of",
    ]);
    for (kind, finding) in findings(check) {
        table.push(vec![
            kind.to_string(),
            finding.agency.state.clone(),
            finding.agency.name.clone(),
            finding.agency.ori.clone().unwrap_or_default(),
            finding.agency.actor.clone(),
            finding.verdict.name().to_string(),
            finding
                .rules
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            finding
                .rules
                .iter()
                .map(|r| r.citation.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            finding
                .rules
                .iter()
                .filter_map(|r| r.in_force_from.as_deref())
                .collect::<Vec<_>>()
                .join("; "),
            finding.deadline.clone().unwrap_or_default(),
            finding
                .past_deadline
                .map_or_else(String::new, |p| p.to_string()),
            registry_words(finding),
            finding
                .agreements
                .iter()
                .map(|a| a.source)
                .collect::<Vec<_>>()
                .join("; "),
            finding
                .unknowns
                .iter()
                .map(|u| u.facts.join("+"))
                .collect::<Vec<_>>()
                .join("; "),
            check.as_of.clone(),
            check.data_as_of.clone().unwrap_or_default(),
        ]);
    }
    page.csv(&table)
}

/// The finding first, in one paragraph.
fn headline(body: &mut String, check: &Check, place: &str) {
    let totals = &check.totals;
    let spanish = i18n::lang() == Lang::Es;
    let late = if totals.required_without_agreement == 0 {
        String::new()
    } else if totals.required_past_deadline == totals.required_without_agreement {
        i18n::pick(
            " (all past the law's compliance deadline)",
            " (todas con el plazo legal de cumplimiento vencido)",
        )
        .to_string()
    } else if totals.required_past_deadline == 0 {
        i18n::pick(
            " (none of them past a compliance deadline the law sets, so none is late yet)",
            " (ninguna con un plazo legal de cumplimiento vencido, así que ninguna está atrasada todavía)",
        )
        .to_string()
    } else if spanish {
        format!(
            " ({} con el plazo legal de cumplimiento vencido)",
            count(totals.required_past_deadline)
        )
    } else {
        format!(
            " ({} past the law's compliance deadline)",
            count(totals.required_past_deadline)
        )
    };
    let t = ComplianceText::current();
    let markup = html! {
        @if spanish {
            p.lede {
                "El " (i18n::date(&check.as_of)) ", en " (place) ", "
                strong { (count(totals.required_without_agreement)) }
                " agencias a las que la ley obliga a solicitar y firmar un acuerdo 287(g) con ICE no tienen ninguno en el registro"
                (late) "; " strong { (count(totals.forbidden_with_agreement)) }
                " tienen uno que la ley prohíbe; y la respuesta para " strong { (count(totals.depends)) }
                " depende de un hecho que Remit no conoce sobre ellas. " (count(totals.agencies)) " agencias verificadas."
            }
        } @else {
            p.lede {
                "On " (check.as_of) " in " (place) ", "
                strong { (count(totals.required_without_agreement)) }
                " agencies that the law requires to request and enter a 287(g) agreement with ICE have none in the registry"
                (late) "; " strong { (count(totals.forbidden_with_agreement)) }
                " hold one that the law forbids; and the answer for " strong { (count(totals.depends)) }
                " turns on a fact Remit does not know about them. " (count(totals.agencies)) " agencies checked."
            }
        }
        @if let Some(stale) = &check.stale {
            p.warning { strong { (t.stale) } " " (stale_words(stale, check.data_as_of.as_deref(), &check.as_of)) }
        }
        @if let Some(before) = &check.before_data {
            p.warning { (before_words(before)) }
        }
        p.note {
            (t.registry_note)
            " " (t.registry_as_of)
        }
    };
    body.push_str(&markup.into_string());
}

/// The date to check on.
fn form(body: &mut String, action: &str, as_of: &str) {
    let markup = html! {
        form method="get" action=(action) {
            label for="as_of" { (ComplianceText::current().on) } " "
            input type="date" id="as_of" name="as_of" value=(as_of);
            " "
            button type="submit" { (ComplianceText::current().check) }
        }
    };
    body.push_str(&markup.into_string());
}

/// The agencies checked, filtered by finding, sorted and paged on the server, with their ids in
/// a technical-details disclosure.
fn findings_table(
    body: &mut String,
    vocabulary: &Vocabulary,
    check: &Check,
    params: &Params,
    path: &str,
) -> Result<(), WebError> {
    let (offset, size) = params.page()?;
    let size = if params.get("size").is_some() {
        size
    } else {
        PAGE_SIZE
    };
    let wanted = params.get("finding").unwrap_or("");
    if !wanted.is_empty() && !KINDS.contains(&wanted) {
        return Err(
            WebError::bad_request(format!("`finding`: `{wanted}` is not a finding")).with_help(
                "use `required_without_agreement`, `forbidden_with_agreement` or `depends`",
            ),
        );
    }
    let sort = params.get("sort").unwrap_or("finding");
    if !SORTS.contains(&sort) {
        return Err(
            WebError::bad_request(format!("`sort`: `{sort}` is not a column"))
                .with_help("use `finding`, `agency` or `state`"),
        );
    }
    let mut rows: Vec<(&str, &Finding)> = findings(check)
        .into_iter()
        .filter(|(k, _)| wanted.is_empty() || *k == wanted)
        .collect();
    match sort {
        "agency" => rows.sort_by(|a, b| a.1.agency.name.cmp(&b.1.agency.name)),
        "state" => rows.sort_by(|a, b| {
            state_name(&a.1.agency.state)
                .cmp(state_name(&b.1.agency.state))
                .then(a.1.agency.name.cmp(&b.1.agency.name))
        }),
        // The findings' own order: by kind, then state and name.
        _ => {}
    }
    let url_for = |offset: usize, sort: &str| {
        let offset = offset.to_string();
        let mut pairs = vec![("as_of", check.as_of.as_str())];
        if !wanted.is_empty() {
            pairs.push(("finding", wanted));
        }
        if sort != "finding" {
            pairs.push(("sort", sort));
        }
        if offset != "0" {
            pairs.push(("offset", offset.as_str()));
        }
        format!("{path}?{}", query_string(pairs))
    };
    let sort_url = |key: &str| url_for(0, key);
    let sorting = Sorting {
        current: sort,
        descending: false,
        url: &sort_url,
    };
    let t = ComplianceText::current();
    let columns = [
        Column::text(sort_words(SORTS[1])).sorts_by(SORTS[1]),
        Column::text(sort_words(SORTS[2])).sorts_by(SORTS[2]),
        Column::text(sort_words(SORTS[0])).sorts_by(SORTS[0]),
        Column::text(t.the_law),
        Column::text(t.registry),
        Column::text(t.deadline),
    ];
    let shown: Vec<&(&str, &Finding)> = rows.iter().skip(offset).take(size).collect();
    let markup = html! {
        h2 { (t.agencies) }
        p {
            @for kind in KINDS {
                a href={ (path) "?" (query_string([("as_of", check.as_of.as_str()), ("finding", *kind)])) } {
                    (kind_words(kind)) " (" (count(rows_of(check, kind))) ")"
                }
                " · "
            }
            a href={ (path) "?" (query_string([("as_of", check.as_of.as_str())])) } { (t.all) }
        }
        @if rows.is_empty() {
            p { (t.none_found) }
        } @else {
            (table(&columns, Some(&sorting), html! {
                @for (kind, finding) in &shown {
                    tr {
                        td { (finding.agency.name) }
                        td { (state_name(&finding.agency.state)) }
                        td { (kind_words(kind)) }
                        td {
                            @if finding.unknowns.is_empty() {
                                @for (index, rule) in finding.rules.iter().enumerate() {
                                    @if index > 0 { "; " }
                                    a href=(super::rule_url(&rule.id)) lang=[crate::parts::english_data()] { (rule.citation) }
                                    @if let Some(from) = &rule.in_force_from { " (" (t.in_force_from) " " (i18n::date(from)) ")" }
                                }
                            } @else {
                                (law_words(vocabulary, finding))
                            }
                        }
                        td { (registry_words(finding)) }
                        td { (deadline_words(finding)) }
                    }
                }
            }))
            (pager(offset, size, rows.len(), |offset| url_for(offset, sort)))
            (technical(html! {
                ul {
                    @for (kind, finding) in &shown {
                        li {
                            (finding.agency.name) ": " code { (finding.agency.key) }
                            ", " (t.tech_actor) " " code { (finding.agency.actor) }
                            ", " (t.tech_division) " " code { (finding.agency.division) }
                            ", " (t.tech_found_in) " " code { (finding.agency.found_in) }
                            ", " (t.tech_finding) " " code { (kind) }
                            ", " (t.tech_rules) " " code { (finding.rules.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(", ")) }
                        }
                    }
                }
            }))
        }
    };
    body.push_str(&markup.into_string());
    Ok(())
}

fn rows_of(check: &Check, kind: &str) -> u64 {
    match kind {
        "required_without_agreement" => check.totals.required_without_agreement,
        "forbidden_with_agreement" => check.totals.forbidden_with_agreement,
        _ => check.totals.depends,
    }
}

/// How many changes of standing a state's page lists.
const CHANGES_SHOWN: usize = 30;

/// The latest changes of standing on or before the check's date, newest first.
fn changes_section(body: &mut String, history: &History, as_of: &str) {
    let changes: Vec<_> = history
        .changes
        .iter()
        .rev()
        .filter(|c| c.date.as_str() <= as_of)
        .collect();
    let t = ComplianceText::current();
    let markup = html! {
        h2 { (t.standing_changed) }
        @if i18n::lang() == Lang::Es {
            p {
                "La misma verificación en cada fecha del historial del registro (" (count(history.points.len() as u64))
                " fechas, " (history.first.as_deref().map_or_else(|| "-".to_string(), i18n::date)) " a "
                (history.data_as_of.as_deref().map_or_else(|| "-".to_string(), i18n::date)) "): " (count(changes.len() as u64))
                " cambios hasta el " (i18n::date(as_of)) "; abajo, los " (count(changes.len().min(CHANGES_SHOWN) as u64))
                " más recientes. La ley cambia el día en que una norma entra en vigor; el registro, el día en que una hoja o un acuerdo publicado lo muestra por primera vez."
            }
        } @else { p {
            "The same check on every date of the registry's history (" (count(history.points.len() as u64))
            " dates, " (history.first.as_deref().unwrap_or("-")) " to "
            (history.data_as_of.as_deref().unwrap_or("-")) "): " (count(changes.len() as u64))
            " changes on or before " (as_of) ", the latest " (count(changes.len().min(CHANGES_SHOWN) as u64))
            " below. The law changes on the day a rule takes effect; the registry on the day a sheet or a posted agreement first shows it."
        } }
        @if !changes.is_empty() {
            (table(
                &[
                    Column::text(t.date),
                    Column::text(t.sort_agency),
                    Column::text(t.before),
                    Column::text(t.after),
                    Column::number(t.days_before),
                    Column::text(t.why),
                ],
                None,
                html! {
                    @for change in changes.iter().take(CHANGES_SHOWN) {
                        tr {
                            td { (i18n::date(&change.date)) }
                            td { (change.agency.name) }
                            td { (kind_words(change.from)) }
                            td { (kind_words(change.to)) }
                            (number_cell(u64::try_from(change.days).unwrap_or(0)))
                            td {
                                (match change.cause {
                                    "law" => t.law_changed,
                                    "registry" => t.registry_changed,
                                    _ => t.both_changed,
                                })
                            }
                        }
                    }
                },
            ))
        }
    };
    body.push_str(&markup.into_string());
}

fn respond(
    state: &AppState,
    page: Page,
    format: Format,
    params: &Params,
    check: &Check,
    place: &str,
    history: Option<&History>,
) -> Response {
    let national = history.is_none();
    let page = page.with_sources(sources(state, check));
    match format {
        Format::Json => page.json(check),
        Format::Csv => csv(&page, check),
        Format::Html => {
            let mut body = html! {
                h1 { (ComplianceText::current().title) @if !national { (i18n::pick(" in ", " en ")) (place) } }
            }
            .into_string();
            headline(&mut body, check, place);
            let path = page.path.clone();
            form(&mut body, &path, &check.as_of);
            let state_url = |code: &str| {
                format!(
                    "/compliance/{code}?{}",
                    query_string([("as_of", check.as_of.as_str())])
                )
            };
            if national {
                let values: Vec<MapValue> = remit_law::jurisdiction::STATES
                    .iter()
                    .map(|(code, name, _)| {
                        let counts = check.counts.get(*code);
                        let value = counts.map_or(0, |c| {
                            c.required_without_agreement + c.forbidden_with_agreement
                        });
                        MapValue {
                            state: code,
                            name,
                            value,
                            href: Some(state_url(code)),
                        }
                    })
                    .collect();
                let map = svg::tile_grid(
                    ComplianceText::current().map_title,
                    ComplianceText::current().map_unit,
                    &values,
                );
                let with_findings: Vec<_> = check
                    .counts
                    .iter()
                    .filter(|(_, c)| {
                        c.required_without_agreement + c.forbidden_with_agreement + c.depends > 0
                    })
                    .collect();
                let t = ComplianceText::current();
                let section = html! {
                    h2 { (t.by_state) }
                    p { (t.by_state_intro) }
                    (chart(map, None))
                    @if !with_findings.is_empty() {
                        (table(
                            &[
                                Column::text(t.sort_state),
                                Column::number(t.agencies_checked),
                                Column::number(t.with_agreement),
                                Column::number(t.required_none),
                                Column::number(t.past_deadline),
                                Column::number(t.forbidden_held),
                                Column::number(t.depends),
                            ],
                            None,
                            html! {
                                @for (code, c) in &with_findings {
                                    tr {
                                        td { a href=(state_url(code)) { (state_name(code)) } }
                                        (number_cell(c.agencies))
                                        (number_cell(c.with_agreement))
                                        (number_cell(c.required_without_agreement))
                                        (number_cell(c.required_past_deadline))
                                        (number_cell(c.forbidden_with_agreement))
                                        (number_cell(c.depends))
                                    }
                                }
                            },
                        ))
                    }
                };
                body.push_str(&section.into_string());
            } else {
                body.push_str(
                    &html! { p { a href="/compliance" { (ComplianceText::current().every_state) } } }
                        .into_string(),
                );
            }
            if let Err(error) =
                findings_table(&mut body, state.corpus().vocabulary(), check, params, &path)
            {
                return error.into_response();
            }
            if let Some(history) = history {
                changes_section(&mut body, history, &check.as_of);
            }
            let t = ComplianceText::current();
            let method = html! {
                h2 { (t.how_checked) }
                p {
                    (t.method) " "
                    // The link's words are the page's own, not data: not marked as English.
                    a href="https://www.ice.gov/identify-and-arrest/287g" rel="noreferrer" { (t.ice_page) } "."
                }
                p.disclaimer { (disclaimer(check.disclaimer)) }
            };
            body.push_str(&method.into_string());
            page.html(&body)
        }
    }
}

/// `/compliance`: every state.
pub async fn national(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let title = ComplianceText::current().title;
    let page = Page::new(title, "/287g", "/compliance")
        .with_query(params.raw())
        .with_csv();
    if !state.has_store() {
        return super::no_store(page, format, title);
    }
    let as_of = match as_of(&params) {
        Ok(day) => day,
        Err(error) => return error.into_response(),
    };
    match with_compliance(&state, |c| c.check(as_of, None)) {
        Ok(Some(check)) => respond(
            &state,
            page,
            format,
            &params,
            &check,
            ComplianceText::current().the_united_states,
            None,
        ),
        Ok(None) => empty(page, format, title),
        Err(error) => error.into_response(),
    }
}

/// `/compliance/{state}`: one state.
pub async fn state_page(
    State(state): State<AppState>,
    format: Format,
    params: Params,
    Path(raw): Path<String>,
) -> Response {
    let id = format.id(&raw);
    let Some(code) = parse_state(id) else {
        return WebError::not_found(format!("`{id}` is not a US state"))
            .with_help("use a two-letter code, e.g. /compliance/TX")
            .into_response();
    };
    let name = state_name(code);
    let page = Page::new(
        format!(
            "{}{}{name}",
            ComplianceText::current().title,
            i18n::pick(" in ", " en ")
        ),
        "/287g",
        format!("/compliance/{code}"),
    )
    .with_query(params.raw())
    .with_csv();
    if !state.has_store() {
        return WebError::not_found("no store is open")
            .with_help("import data with `remit registry import`, or run `remit serve --demo`")
            .into_response();
    }
    let as_of = match as_of(&params) {
        Ok(day) => day,
        Err(error) => return error.into_response(),
    };
    // The history only for the page: the twins carry the check on the date.
    let with_history = format == Format::Html;
    let result = with_compliance(&state, |c| {
        let history = with_history.then(|| c.history(Some(code)));
        (c.check(as_of, Some(code)), history)
    });
    match result {
        Ok(Some((check, history))) => {
            let empty = History {
                state: Some(code.to_string()),
                first: None,
                data_as_of: None,
                points: Vec::new(),
                changes: Vec::new(),
                registry_note: check.registry_note,
                disclaimer: check.disclaimer,
            };
            let history = history.unwrap_or(empty);
            respond(&state, page, format, &params, &check, name, Some(&history))
        }
        Ok(None) => WebError::not_found("no 287(g) registry in this store")
            .with_help(
                "import ICE's sheets with `remit registry import`, or run `remit serve --demo`",
            )
            .into_response(),
        Err(error) => error.into_response(),
    }
}

/// The standing of one agency today, for its page; `None` without a registry or when the check
/// does not know the agency.
pub(crate) fn standing(
    state: &AppState,
    ori: Option<&str>,
    name: &str,
    code: &str,
) -> Option<Standing> {
    let today = Day::parse_iso(&crate::today().to_string())?;
    with_compliance(state, |c| c.standing(ori, name, code, today))
        .ok()
        .flatten()
        .flatten()
}

/// The section of the guide for a sheriff (or a jail): the registry beside the law's answer on
/// the 287(g) question, for the county's agency when the check knows it, and the state's page.
pub(crate) fn guide_section(
    body: &mut String,
    state: &AppState,
    place: &str,
    actor: &str,
    date: &str,
) {
    if !matches!(actor, "sheriff" | "jail") {
        return;
    }
    let Some(code) = remit_law::Jurisdiction::parse_ocd(place)
        .ok()
        .and_then(|p| p.state_code())
        .map(str::to_ascii_uppercase)
    else {
        return;
    };
    let Some(day) = Day::parse_iso(date) else {
        return;
    };
    let found = with_compliance(state, |c| c.standing_in(place, actor, day))
        .ok()
        .flatten();
    let Some(found) = found else {
        return;
    };
    let t = ComplianceText::current();
    let markup = html! {
        h2 { (t.guide_heading) }
        @if let Some(standing) = &found {
            p { (standing.agency.name) ": " (standing_words(state.corpus().vocabulary(), standing)) }
            @if let Some(stale) = &standing.stale { p.warning { strong { (t.stale) } " " (stale_words(stale, None, &standing.as_of)) } }
        }
        p {
            a href={ "/compliance/" (code) "?" (query_string([("as_of", date)])) } {
                (t.every_agency_in) " " (state_name(&code)) " " (t.every_agency_checked)
            }
            ". " span.note { (t.registry_note) }
        }
    };
    body.push_str(&markup.into_string());
}

/// The section of an agency's page on its 287(g) agreement and the law.
pub(crate) fn agency_section(
    body: &mut String,
    state: &AppState,
    ori: Option<&str>,
    name: &str,
    code: &str,
) {
    let Some(standing) = standing(state, ori, name, code) else {
        return;
    };
    let t = ComplianceText::current();
    let lead = match standing.finding {
        "required_without_agreement" => t.lead_required,
        "forbidden_with_agreement" => t.lead_forbidden,
        "depends" => t.lead_depends,
        _ => t.lead_nothing,
    };
    let markup = html! {
        h2 { (t.agency_heading) }
        p { (lead) " " (standing_words(state.corpus().vocabulary(), &standing)) }
        @if let Some(stale) = &standing.stale { p.warning { strong { (t.stale) } " " (stale_words(stale, None, &standing.as_of)) } }
        p.note {
            (t.registry_note) " "
            a href={ "/compliance/" (code) } { (t.every_agency_in) " " (state_name(code)) } "."
        }
        p.disclaimer { (disclaimer(standing.disclaimer)) }
    };
    body.push_str(&markup.into_string());
}

/// The check's disclaimer in the request's language: the layout's own in Spanish (the check
/// writes its English one).
fn disclaimer(english: &str) -> &str {
    match i18n::lang() {
        Lang::En => english,
        Lang::Es => i18n::Common::current().disclaimer,
    }
}
