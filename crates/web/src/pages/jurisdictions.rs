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
use super::{ask_url, corpus_source, place_url, rule_url, verdict_badge};
use crate::html::{e, external_link, push, table_end, table_head, url_component, words};
use crate::response::{Format, Page, Params, Table, WebError};
use crate::{AppState, today};

/// The `date` parameter, today when absent.
pub fn date_param(params: &Params) -> Result<Date, WebError> {
    match params.get("date") {
        None => Ok(today()),
        Some(text) => text.parse::<Date>().map_err(|error| {
            WebError::bad_request(format!("`date`: {error}"))
                .with_help("write dates as YYYY-MM-DD, e.g. 2026-01-01")
        }),
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
            Err(error) => WebError::bad_request(format!("`place`: {error}"))
                .with_help(error.help())
                .into_response(),
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
    let page = Page::new("Places", "/jurisdictions", "/jurisdictions")
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
            let mut body = String::from(
                "<h1>Places</h1><p>Rules attach to a place and apply to every place inside it. Look up any state, county or city: it gets its own rules and every level above it.</p>\
                 <form method=\"get\" action=\"/jurisdictions\"><label for=\"place\">Place</label> <input type=\"text\" id=\"place\" name=\"place\" placeholder=\"CA, Texas, or ocd-division/country:us/state:ca/place:los_angeles\" size=\"56\" required> <button type=\"submit\">Show</button></form>\
                 <h2>Places with rules of their own</h2>",
            );
            table_head(&mut body, &["Place", "Rules of its own"]);
            for place in &places {
                push!(
                    &mut body,
                    "<tr><td><a href=\"{}\">{}</a></td><td class=\"n\">{}</td></tr>",
                    e(&place_url(&place.id)),
                    e(&place.label),
                    place.rules
                );
            }
            table_end(&mut body);
            page.html(&body)
        }
    }
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
    let text = format.id(&raw);
    let place = match super::ask::read_place(&state, text) {
        Ok(reading) => match Jurisdiction::parse_ocd(&reading.id) {
            Ok(place) => place,
            Err(error) => {
                return WebError::not_found(format!("no such place: {error}"))
                    .with_help(error.help())
                    .into_response();
            }
        },
        Err(error) => {
            return WebError::not_found(format!("no such place: {error}"))
                .with_help(error.help())
                .into_response();
        }
    };
    let date = match date_param(&params) {
        Ok(date) => date,
        Err(error) => return error.into_response(),
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
    let page = Page::new(place.label(), "/jurisdictions", place_url(place.as_str()))
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
            let mut body = String::with_capacity(48 * 1024);
            push!(
                &mut body,
                "<h1>{}</h1><p class=\"note\">",
                e(&place.label())
            );
            for (index, level) in place.chain().iter().enumerate() {
                if index > 0 {
                    body.push_str(" › ");
                }
                push!(
                    &mut body,
                    "<a href=\"{}\">{}</a>",
                    e(&place_url(level.as_str())),
                    e(&level.label())
                );
            }
            push!(
                &mut body,
                "</p><form method=\"get\" action=\"{}\"><label for=\"date\">As of</label> <input type=\"date\" id=\"date\" name=\"date\" value=\"{date}\"> <button type=\"submit\">Show</button></form>",
                e(&place_url(place.as_str()))
            );
            push!(
                &mut body,
                "<h2>What the law says here on {date}</h2><p>The verdict for each action's default question: the actor the action most concerns, with federal immigration authorities, for no stated purpose and with no facts. Follow a verdict to its full answer, where facts and purposes can be changed.</p>"
            );
            table_head(
                &mut body,
                &[
                    "action",
                    "actor",
                    "must not",
                    "must",
                    "may",
                    "conflict",
                    "no rule",
                    "determining rules",
                ],
            );
            for row in &rows {
                let question = QuestionInput {
                    place: place.to_string(),
                    date: Some(date.to_string()),
                    actor: row.actor.to_string(),
                    action: row.action.clone(),
                    counterparty: None,
                    purpose: None,
                    facts: Vec::new(),
                };
                push!(
                    &mut body,
                    "<tr><th scope=\"row\">{}</th><td>{}</td>",
                    e(&words(&row.action)),
                    e(&words(row.actor))
                );
                for verdict in Verdict::ALL {
                    if verdict == row.verdict {
                        push!(&mut body, "<td><a href=\"{}\">", e(&ask_url(&question)));
                        verdict_badge(&mut body, verdict);
                        body.push_str("</a></td>");
                    } else {
                        body.push_str("<td></td>");
                    }
                }
                body.push_str("<td>");
                for (index, id) in row.determining.iter().enumerate() {
                    if index > 0 {
                        body.push_str(", ");
                    }
                    push!(&mut body, "<a href=\"{}\">{}</a>", e(&rule_url(id)), e(id));
                }
                body.push_str("</td></tr>");
            }
            table_end(&mut body);
            push!(
                &mut body,
                "<p class=\"note\">As CSV: <a href=\"{}.csv?table=matrix&amp;date={date}\">this matrix</a>.</p>",
                e(&place_url(place.as_str()))
            );
            push!(
                &mut body,
                "<h2>Rules in force on {date} ({})</h2>",
                in_force.len()
            );
            rule_table(&mut body, &in_force, date);
            if !not_in_force.is_empty() {
                push!(
                    &mut body,
                    "<h2>Rules for this place not in force on {date} ({})</h2><p class=\"note\">Enjoined, repealed, not yet effective or expired.</p>",
                    not_in_force.len()
                );
                rule_table(&mut body, &not_in_force, date);
            }
            if !listings.is_empty() {
                body.push_str("<h2>Government listings naming this place</h2><ul>");
                for listing in &listings {
                    listing_item(&mut body, listing);
                }
                body.push_str("</ul>");
            }
            push!(
                &mut body,
                "<p><a href=\"/rules?jurisdiction={}\">Filter these rules by action or text</a></p>",
                url_component(place.as_str())
            );
            page.html(&body)
        }
    }
}

fn rule_table(body: &mut String, rules: &[&Rule], date: Date) {
    table_head(
        body,
        &[
            "rule", "level", "modality", "actions", "citation", "source", "status",
        ],
    );
    for rule in rules {
        push!(
            body,
            "<tr><td><a href=\"{}\">{}</a><br><span class=\"note\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>",
            e(&rule_url(&rule.id)),
            e(&rule.id),
            e(&rule.summary),
            e(&rule.jurisdiction.label()),
            modality_name(rule.modality),
            e(&words(&rule.actions.join(", ")))
        );
        external_link(body, &rule.source.url, &rule.source.citation);
        push!(
            body,
            "</td><td>{}</td><td>{}</td></tr>",
            provenance_name(rule.provenance),
            status_name(rule.status_on(date))
        );
    }
    table_end(body);
}
