//! `/jurisdictions` and `/jurisdictions/{ocd-id}`: every rule in force for a place on a date, and
//! an action x verdict matrix for it.
//!
//! Any well-formed place is accepted, known to the corpus or not: a town with no rules of its own
//! still gets its state's and the federal ones.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use remit_law::coverage::default_actor;
use remit_law::vocabulary::FactSet;
use remit_law::{Corpus, Date, Jurisdiction, Question, QuestionInput, Rule, Status, Verdict};
use serde::Serialize;

use super::ask::{listing_item, modality_name, provenance_name, status_name};
use super::{ask_url, corpus_source, place_url, rule_url};
use crate::html::url_component;
use crate::i18n::{self, count, strings};
use crate::parts;
use crate::response::{Format, Page, Params, Table, WebError};
use crate::{AppState, today};
use maud::{Markup, html};
use remit_law::vocabulary::WordKind;

/// The `date` parameter, today when absent.
pub fn date_param(params: &Params) -> Result<Date, WebError> {
    match params.get("date") {
        None => Ok(today()),
        Some(text) => text.parse::<Date>().map_err(|error| {
            WebError::bad_request(format!("`date`: {error}"))
                .with_help(PlacesText::current().date_help)
        }),
    }
}

/// The form that looks a place up, filled with `value`.
fn place_form(value: &str) -> Markup {
    let t = PlacesText::current();
    html! {
        form method="get" action="/jurisdictions" {
            label for="place" { (t.place) } " "
            input type="text" #place name="place" value=(value) placeholder=(t.place_placeholder) size="56" required;
            " " button type="submit" { (t.show) }
        }
    }
}

/// The form that shows a place on another date, filled with `value`.
fn date_form(action: &str, value: &str) -> Markup {
    let t = PlacesText::current();
    html! {
        form method="get" action=(action) {
            label for="date" { (t.as_of) } " "
            input type="date" #date name="date" value=(value);
            " " button type="submit" { (t.show) }
        }
    }
}

#[derive(Serialize)]
struct PlaceEntry {
    id: String,
    label: String,
    rules: usize,
}

/// `/jurisdictions`: the places the corpus has rules for; `?place=CA` jumps to one.
pub async fn list(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let corpus = state.corpus();
    let t = PlacesText::current();
    if let Some(place) = params.get("place") {
        return match super::ask::read_place(&state, place).map(|reading| reading.id) {
            Ok(place) => {
                let mut response = StatusCode::SEE_OTHER.into_response();
                let target = match format {
                    Format::Html => place_url(place.as_str()),
                    Format::Json => format!("{}.json", place_url(place.as_str())),
                    Format::Csv => format!("{}.csv", place_url(place.as_str())),
                };
                if let Ok(value) = HeaderValue::from_str(&target) {
                    response.headers_mut().insert(header::LOCATION, value);
                }
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                );
                response
            }
            Err(error) => super::error_with_form(
                Page::new(t.places, "/jurisdictions", "/jurisdictions").with_query(params.raw()),
                format,
                t.places,
                WebError::bad_request(format!("`place`: {error}")).with_help(error.help()),
                place_form(place),
            ),
        };
    }
    let places: Vec<PlaceEntry> = corpus
        .jurisdictions()
        .into_iter()
        .map(|j| PlaceEntry {
            rules: corpus
                .rules()
                .iter()
                .filter(|r| r.jurisdiction == j)
                .count(),
            label: j.label(),
            id: j.to_string(),
        })
        .collect();
    let page = Page::new(t.places, "/jurisdictions", "/jurisdictions")
        .with_query(params.raw())
        .with_csv()
        .with_sources(vec![corpus_source(corpus)]);
    match format {
        Format::Json => page.json(&places),
        Format::Csv => {
            let mut table = Table::new(&["id", "label", "rules"]);
            for place in &places {
                table.push(vec![
                    place.id.clone(),
                    place.label.clone(),
                    place.rules.to_string(),
                ]);
            }
            page.csv(&table)
        }
        Format::Html => {
            let body = html! {
                h1 { (t.places) }
                p { (t.intro) }
                (place_form(""))
                h2 { (t.with_rules) }
                (parts::table(&[t.place, t.rules_of_its_own], html! {
                    @for place in &places {
                        tr {
                            td { a href=(place_url(&place.id)) { (Jurisdiction::parse_ocd(&place.id).map_or_else(|_| place.label.clone(), |j| place_name(&j))) } }
                            td.n { (count(place.rules as u64)) }
                        }
                    }
                }))
            };
            page.html(&body.into_string())
        }
    }
}

/// A place as the page names it, in the request's language.
fn place_name(place: &Jurisdiction) -> String {
    remit_law::lang::place_phrase(place, i18n::lang())
}

/// A date as the page shows it, in the request's language.
fn shown(date: Date) -> String {
    remit_law::lang::date(date, i18n::lang())
}

/// One row of the matrix: the default question for an action, and its verdict.
#[derive(Serialize)]
struct MatrixRow {
    action: String,
    actor: &'static str,
    counterparty: &'static str,
    verdict: Verdict,
    determining: Vec<String>,
}

/// A rule as listed on a place's page.
#[derive(Serialize)]
struct PlaceRule<'a> {
    id: &'a str,
    jurisdiction: &'a str,
    modality: &'static str,
    actions: &'a [String],
    citation: &'a str,
    url: &'a str,
    provenance: &'static str,
    status: &'static str,
    summary: &'a str,
    binding: bool,
}

impl<'a> PlaceRule<'a> {
    fn of(rule: &'a Rule, date: Date) -> PlaceRule<'a> {
        PlaceRule {
            id: &rule.id,
            jurisdiction: rule.jurisdiction.as_str(),
            modality: modality_name(rule.modality),
            actions: &rule.actions,
            citation: &rule.source.citation,
            url: &rule.source.url,
            provenance: provenance_name(rule.provenance),
            status: status_name(rule.status_on(date)),
            summary: &rule.summary,
            binding: rule.binding,
        }
    }
}

#[derive(Serialize)]
struct PlaceView<'a> {
    id: String,
    label: String,
    date: Date,
    chain: Vec<String>,
    in_force: Vec<PlaceRule<'a>>,
    not_in_force: Vec<PlaceRule<'a>>,
    matrix: Vec<MatrixRow>,
    listings: Vec<remit_law::context::ListingMatch>,
}

/// The verdict for each action's default question at `place`.
fn matrix(corpus: &Corpus, place: &Jurisdiction, date: Date) -> Vec<MatrixRow> {
    let v = corpus.vocabulary();
    let mut rows = Vec::new();
    for action in v.actions() {
        let actor = default_actor(&action.name);
        let (Ok(actor_id), Ok(action_id), Ok(counterparty), Ok(purpose)) = (
            v.actor(actor),
            v.action(&action.name),
            v.counterparty("federal_immigration"),
            v.purpose("unspecified"),
        ) else {
            continue;
        };
        let question = Question {
            place: place.clone(),
            within: corpus.places_containing(place),
            date,
            actor: actor_id,
            action: action_id,
            counterparty,
            purpose,
            facts: FactSet::default(),
            fact_names: Vec::new(),
            false_facts: FactSet::default(),
            false_fact_names: Vec::new(),
            assumed: Vec::new(),
        };
        let decision = corpus.decide(&question);
        rows.push(MatrixRow {
            action: action.name.clone(),
            actor,
            counterparty: "federal_immigration",
            verdict: decision.verdict,
            determining: decision
                .determining
                .iter()
                .filter_map(|&i| corpus.rules().get(i).map(|r| r.id.clone()))
                .collect(),
        });
    }
    rows
}

/// `/jurisdictions/{ocd-id}?date=YYYY-MM-DD`.
pub async fn show(
    State(state): State<AppState>,
    format: Format,
    Path(raw): Path<String>,
    params: Params,
) -> Response {
    let corpus = state.corpus();
    let t = PlacesText::current();
    let text = format.id(&raw);
    let no_such_place = |message: String, help: String| {
        super::error_with_form(
            Page::new(t.no_such_place, "/jurisdictions", "/jurisdictions"),
            format,
            t.no_such_place,
            WebError::not_found(message).with_help(help),
            place_form(text),
        )
    };
    let place = match super::ask::read_place(&state, text) {
        Ok(reading) => match Jurisdiction::parse_ocd(&reading.id) {
            Ok(place) => place,
            Err(error) => return no_such_place(format!("no such place: {error}"), error.help()),
        },
        Err(error) => return no_such_place(format!("no such place: {error}"), error.help()),
    };
    let date = match date_param(&params) {
        Ok(date) => date,
        Err(error) => {
            return super::error_with_form(
                Page::new(
                    place_name(&place),
                    "/jurisdictions",
                    place_url(place.as_str()),
                )
                .with_query(params.raw()),
                format,
                &place_name(&place),
                error,
                date_form(&place_url(place.as_str()), params.get("date").unwrap_or("")),
            );
        }
    };
    let applicable: Vec<&Rule> = corpus
        .rules()
        .iter()
        .filter(|r| r.jurisdiction.contains(&place))
        .collect();
    let in_force_now = |r: &&Rule| {
        r.effective_on(date) && matches!(r.status_on(date), Status::InForce | Status::Contested)
    };
    let in_force: Vec<&Rule> = applicable.iter().copied().filter(in_force_now).collect();
    let not_in_force: Vec<&Rule> = applicable
        .iter()
        .copied()
        .filter(|r| !in_force_now(r))
        .collect();
    let rows = matrix(corpus, &place, date);
    let listings: Vec<remit_law::context::ListingMatch> = corpus
        .listings()
        .iter()
        .filter(|l| l.date <= date)
        .filter_map(|l| l.matching(&place, &corpus.places_containing(&place)))
        .collect();
    let page = Page::new(
        place_name(&place),
        "/jurisdictions",
        place_url(place.as_str()),
    )
    .with_query(params.raw())
    .with_csv()
    .with_sources(vec![corpus_source(corpus)]);
    match format {
        Format::Json => page.json(&PlaceView {
            id: place.to_string(),
            label: place.label(),
            date,
            chain: place.chain().iter().map(ToString::to_string).collect(),
            in_force: in_force.iter().map(|r| PlaceRule::of(r, date)).collect(),
            not_in_force: not_in_force
                .iter()
                .map(|r| PlaceRule::of(r, date))
                .collect(),
            matrix: rows,
            listings,
        }),
        Format::Csv => {
            if params.get("table") == Some("matrix") {
                let mut table =
                    Table::new(&["action", "actor", "counterparty", "verdict", "determining"]);
                for row in &rows {
                    table.push(vec![
                        row.action.clone(),
                        row.actor.to_string(),
                        row.counterparty.to_string(),
                        row.verdict.name().to_string(),
                        row.determining.join(" "),
                    ]);
                }
                return page.csv(&table);
            }
            let mut table = Table::new(&[
                "id",
                "jurisdiction",
                "modality",
                "actions",
                "citation",
                "url",
                "provenance",
                "status",
                "in_force_on_date",
                "summary",
            ]);
            for (rule, now) in in_force
                .iter()
                .map(|r| (r, true))
                .chain(not_in_force.iter().map(|r| (r, false)))
            {
                table.push(vec![
                    rule.id.clone(),
                    rule.jurisdiction.to_string(),
                    modality_name(rule.modality).to_string(),
                    rule.actions.join(" "),
                    rule.source.citation.clone(),
                    rule.source.url.clone(),
                    provenance_name(rule.provenance).to_string(),
                    status_name(rule.status_on(date)).to_string(),
                    now.to_string(),
                    rule.summary.clone(),
                ]);
            }
            page.csv(&table)
        }
        Format::Html => {
            let v = corpus.vocabulary();
            let place_path = place_url(place.as_str());
            let body = html! {
                h1 { (place_name(&place)) }
                p.note {
                    @for (index, level) in place.chain().iter().enumerate() {
                        @if index > 0 { " › " }
                        a href=(place_url(level.as_str())) { (place_name(level)) }
                    }
                }
                (date_form(&place_path, &date.to_string()))
                h2 { (t.law_here_on) " " (shown(date)) }
                p { (t.matrix_intro) }
                (parts::table(&[t.doing_what, t.who_acts, t.must_not, t.must, t.may, t.conflict, t.no_rule, t.because_of], html! {
                    @for row in &rows {
                        @let question = QuestionInput {
                            place: place.to_string(),
                            date: Some(date.to_string()),
                            actor: row.actor.to_string(),
                            action: row.action.clone(),
                            counterparty: None,
                            purpose: None,
                            facts: Vec::new(),
                        };
                        tr {
                            th scope="row" { (parts::phrase(v, WordKind::Action, &row.action)) }
                            td { (parts::phrase(v, WordKind::Actor, row.actor)) }
                            @for verdict in Verdict::ALL {
                                td {
                                    @if verdict == row.verdict {
                                        a href=(ask_url(&question)) { (parts::verdict(verdict)) }
                                    }
                                }
                            }
                            td {
                                @for (index, id) in row.determining.iter().enumerate() {
                                    @if index > 0 { ", " }
                                    a href=(rule_url(id)) { (corpus.rule(id).map_or(id.as_str(), |r| r.source.citation.as_str())) }
                                }
                            }
                        }
                    }
                }))
                p.note { (t.as_csv) " " a href={ (place_path) ".csv?table=matrix&date=" (date.to_string()) } { (t.this_table) } "." }
                h2 { (t.in_force_on) " " (shown(date)) " (" (count(in_force.len() as u64)) ")" }
                (rule_table(corpus, &in_force, date))
                @if !not_in_force.is_empty() {
                    h2 { (t.not_in_force_on) " " (shown(date)) " (" (count(not_in_force.len() as u64)) ")" }
                    p.note { (t.not_in_force_note) }
                    (rule_table(corpus, &not_in_force, date))
                }
                @if !listings.is_empty() {
                    h2 { (t.listings) }
                    ul { @for listing in &listings { (listing_item(listing)) } }
                }
                p { a href={ "/rules?jurisdiction=" (url_component(place.as_str())) } { (t.filter_rules) } }
                (parts::technical(html! { p { (t.place_id) " " code { (place.as_str()) } } }))
            };
            page.html(&body.into_string())
        }
    }
}

fn rule_table(corpus: &Corpus, rules: &[&Rule], date: Date) -> Markup {
    let v = corpus.vocabulary();
    let t = PlacesText::current();
    parts::table(
        &[t.rule, t.level, t.says, t.about, t.source, t.status],
        html! {
            @for rule in rules {
                tr {
                    td { a href=(rule_url(&rule.id)) lang=[i18n::pick(None, Some("en"))] { (rule.summary) } }
                    td { (place_name(&rule.jurisdiction)) }
                    td { (modality_name(rule.modality)) }
                    td { (rule.actions.iter().map(|a| parts::phrase(v, WordKind::Action, a)).collect::<Vec<_>>().join("; ")) }
                    td { (parts::external(&rule.source.url, &rule.source.citation)) br; span.note { (provenance_name(rule.provenance)) } }
                    td { (status_name(rule.status_on(date))) }
                }
            }
        },
    )
}

strings! {
    /// The words of the places pages.
    pub struct PlacesText {
        places: "Places", "Lugares";
        place: "Place", "Lugar";
        place_placeholder: "CA, Texas, or Harris County, TX", "CA, Texas o Harris County, TX";
        show: "Show", "Mostrar";
        as_of: "As of", "A fecha de";
        date_help: "write dates as YYYY-MM-DD, e.g. 2026-01-01", "escriba las fechas como AAAA-MM-DD, por ejemplo 2026-01-01";
        intro: "Rules attach to a place and apply to every place inside it. Look up any state, county or city: it gets its own rules and every level above it.", "Las normas pertenecen a un lugar y se aplican a cada lugar que este contiene. Busque cualquier estado, condado o ciudad: tiene sus propias normas y las de cada nivel superior.";
        with_rules: "Places with rules of their own", "Lugares con normas propias";
        rules_of_its_own: "Rules of its own", "Normas propias";
        no_such_place: "No such place", "Lugar desconocido";
        law_here_on: "What the law says here on", "Lo que dice la ley aquí el";
        matrix_intro: "The verdict for each action's usual question: the officer or body the action most concerns, with federal immigration authorities, for no stated purpose and with no facts. Follow a verdict to its full answer, where facts and purposes can be changed.", "La respuesta a la pregunta habitual de cada acción: el agente o el organismo al que más concierne la acción, con las autoridades federales de inmigración, sin una finalidad indicada y sin hechos. Siga una respuesta para verla completa, donde se pueden cambiar los hechos y la finalidad.";
        doing_what: "Doing what", "Haciendo qué";
        who_acts: "Who acts", "Quién actúa";
        must_not: "Must not", "No debe";
        must: "Must", "Debe";
        may: "May", "Puede";
        conflict: "Conflict", "Conflicto";
        no_rule: "No rule found", "Ninguna norma";
        because_of: "Because of", "Por";
        as_csv: "As CSV:", "En CSV:";
        this_table: "this table", "esta tabla";
        in_force_on: "Rules in force on", "Normas vigentes el";
        not_in_force_on: "Rules for this place not in force on", "Normas de este lugar no vigentes el";
        not_in_force_note: "Blocked by a court, repealed, not yet in effect or expired.", "Bloqueadas por un tribunal, derogadas, aún no en vigor o vencidas.";
        listings: "Government listings naming this place", "Listas oficiales que nombran este lugar";
        filter_rules: "Filter these rules by action or text", "Filtrar estas normas por acción o texto";
        place_id: "Place id:", "Identificador del lugar:";
        rule: "Rule", "Norma";
        level: "Level", "Nivel";
        says: "Says", "Dice";
        about: "About", "Sobre";
        source: "Source", "Fuente";
        status: "Status", "Estado";
    }
}
