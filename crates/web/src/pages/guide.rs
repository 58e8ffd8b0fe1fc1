//! `/guide`: every question the law answers for one actor in one place, on one page, grouped as
//! an officer or a records officer looks for them. Its address names the place and the actor
//! (`/guide?where=Dallas,+TX&actor=local_police`), so it can be bookmarked, printed and shared;
//! `/guide.json` and `/guide.csv` are its twins.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use remit_law::guide::{Guide, GuideInput, GuideItem};
use remit_law::{Corpus, QuestionInput};

use super::{ask_url, corpus_source};
use maud::{Markup, html};

use crate::parts;
use crate::response::{Format, Page, Params, Table, WebError};
use crate::{AppState, today};
use remit_law::vocabulary::WordKind;

/// The actors a reader picks from, in the order people think of them.
const ACTORS: &[&str] = &[
    "local_police",
    "sheriff",
    "jail",
    "state_police",
    "campus_police",
    "state_agency",
    "prosecutor",
    "court",
    "local_government",
    "state_government",
];

fn input_from(params: &Params) -> GuideInput {
    GuideInput {
        place: params
            .get("where")
            .or_else(|| params.get("place"))
            .unwrap_or("")
            .to_string(),
        actor: params.get("actor").unwrap_or("").to_string(),
        date: params.get("date").map(str::to_string),
        facts: params.all("fact"),
    }
}

pub async fn page(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let corpus = state.corpus();
    let page = Page::new("Guide", "/guide", "/guide")
        .with_query(params.raw())
        .with_csv()
        .with_sources(vec![corpus_source(corpus)]);
    let input = input_from(&params);
    if input.place.trim().is_empty() || input.actor.trim().is_empty() {
        return match format {
            Format::Json => page.json(&serde_json::json!({
                "question": "Give `where` (a place: `Dallas, TX`, `WA`, an OCD id or an agency name) and `actor` (one of the actors below) to get every answer for that actor there.",
                "fields": {
                    "where": "a place as people name it, a state, an OCD division id, or an agency name",
                    "actor": ACTORS,
                    "date": "optional: 2026-12-07, 12/07/2026, Dec 7 2026 or today (default today)",
                    "fact": "optional, repeatable: a fact that holds for every question; `!fact` for one that does not",
                },
                "example": "/guide.json?where=El+Cajon,+CA&actor=local_police",
            })),
            Format::Csv => {
                // The same description as a table: the fields, and the actors one may name.
                let vocabulary = corpus.vocabulary();
                let mut table = Table::new(&["field", "word", "phrase", "meaning", "required"]);
                table.push(vec![
                    "where".to_string(),
                    String::new(),
                    String::new(),
                    "a place as people name it (Dallas, TX), a state, an OCD division id, or an agency name".to_string(),
                    "yes".to_string(),
                ]);
                for actor in ACTORS {
                    table.push(vec![
                        "actor".to_string(),
                        (*actor).to_string(),
                        parts::phrase(vocabulary, WordKind::Actor, actor),
                        vocabulary.definition(WordKind::Actor, actor).unwrap_or("").to_string(),
                        "yes".to_string(),
                    ]);
                }
                table.push(vec![
                    "date".to_string(),
                    String::new(),
                    String::new(),
                    "2026-12-07, 12/07/2026, Dec 7 2026 or today (default today)".to_string(),
                    "no".to_string(),
                ]);
                table.push(vec![
                    "fact".to_string(),
                    String::new(),
                    String::new(),
                    "repeatable: a fact that holds for every question; !fact for one that does not".to_string(),
                    "no".to_string(),
                ]);
                page.csv(&table)
            }
            Format::Html => {
                // No guide yet, so no table: the page links no CSV twin it cannot give.
                let page = Page { csv: false, ..page };
                let body = html! {
                    h1 { "A guide for one department" }
                    p { "Every question Remit can answer for one kind of officer or agency in one place, on one page: status questions, detainers, interviews, 287(g), data sharing, interpreters and more, each with its answer and the law that decides it." }
                    (render_form(corpus, &input, &[]))
                    p {
                        "Examples: "
                        a href="/guide?where=El+Cajon%2C+CA&actor=local_police" { "police in El Cajon, California" }
                        " · "
                        a href="/guide?where=Dallas+County%2C+TX&actor=sheriff" { "the sheriff of Dallas County, Texas" }
                        " · "
                        a href="/guide?where=WA&actor=state_police" { "the Washington State Patrol" }
                    }
                };
                page.html(&body.into_string())
            }
        };
    }
    let mut problems = Vec::new();
    let mut asked = input.clone();
    match super::ask::read_place(&state, &input.place) {
        Ok(reading) => asked.place = reading.id,
        Err(error) => problems.push((format!("`where`: {error}"), Some(error.help()))),
    }
    if asked.date.is_none() {
        asked.date = Some(today().to_string());
    }
    let date_text = asked.date.clone().unwrap_or_default();
    match remit_law::Date::parse_loose(&date_text, Some(today())) {
        Ok(date) => asked.date = Some(date.to_string()),
        Err(error) => problems.push((
            format!("`date`: {error}"),
            Some("write dates as 2026-12-07, 12/07/2026, Dec 7 2026 or today".to_string()),
        )),
    }
    let guide = if problems.is_empty() {
        corpus.guide(&asked).map_err(|errors| {
            errors
                .iter()
                .map(|e| (e.to_string(), e.help()))
                .collect::<Vec<_>>()
        })
    } else {
        Err(problems)
    };
    match (format, guide) {
        (Format::Json, Ok(guide)) => page.json(&guide),
        (Format::Csv, Ok(guide)) => page.csv(&guide_table(&guide)),
        (Format::Json | Format::Csv, Err(problems)) => {
            let message = problems
                .iter()
                .map(|(m, _)| m.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            let help = problems
                .iter()
                .filter_map(|(_, h)| h.as_deref())
                .collect::<Vec<_>>()
                .join("; ");
            WebError::bad_request(message)
                .with_help(help)
                .into_response()
        }
        (Format::Html, Ok(guide)) => {
            let mut compliance = String::new();
            super::compliance::guide_section(
                &mut compliance,
                &state,
                &guide.place,
                &guide.actor,
                &guide.date,
            );
            let body = html! {
                (render_guide(&guide, &asked))
                (maud::PreEscaped(compliance))
                h2 { "Another place or actor" }
                (render_form(corpus, &input, &[]))
            };
            let title = format!("Guide: {} in {}", guide.actor_phrase, guide.place_name);
            Page { title, ..page }.html(&body.into_string())
        }
        (Format::Html, Err(problems)) => {
            let body = html! {
                h1 { "A guide for one department" }
                (render_form(corpus, &input, &problems))
            };
            let mut response = page.html(&body.into_string());
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}

/// The guide as a table: one row per question.
fn guide_table(guide: &Guide) -> Table {
    let mut table = Table::new(&Guide::COLUMNS);
    for row in guide.rows() {
        table.push(row.to_vec());
    }
    table
}

fn render_guide(guide: &Guide, asked: &GuideInput) -> Markup {
    let c = &guide.counts;
    html! {
        div.guide {
            h1 { "What the law says for " (guide.actor_phrase) " in " (guide.place_name) }
            p { "On " (guide.date) ". Each answer links to the full reasons and citations. " (guide.disclaimer) }
            @if !guide.assumed.is_empty() {
                p { strong { "Taken as known about this place:" } }
                ul {
                    @for a in &guide.assumed {
                        li { (a.condition) " (" (a.place_name) ": " (parts::external(&a.source.url, &a.source.citation)) ")" }
                    }
                }
            }
            p.counts {
                (c.must_not + c.must + c.may + c.depends + c.conflict + c.no_rule) " questions: "
                (c.must_not) " must not · " (c.must) " must · " (c.may) " may · "
                (c.depends) " depend on facts · " (c.conflict) " conflict · " (c.no_rule) " with no rule found"
            }
            nav.toc aria-label="guide sections" {
                ul {
                    @for (n, section) in guide.sections.iter().enumerate() {
                        li { a href={ "#s" (n) } { (section.title) } }
                    }
                }
            }
            @for (n, section) in guide.sections.iter().enumerate() {
                h2 id={ "s" (n) } { (section.title) }
                ol {
                    @for item in &section.items {
                        (render_item(item, guide, asked))
                    }
                }
            }
        }
    }
}

fn render_item(item: &GuideItem, guide: &Guide, asked: &GuideInput) -> Markup {
    let question = |facts: Vec<String>| QuestionInput {
        place: guide.place.clone(),
        date: asked.date.clone(),
        actor: guide.actor.clone(),
        action: item.action.clone(),
        counterparty: Some(item.counterparty.clone()),
        purpose: (item.purpose != "unspecified").then(|| item.purpose.clone()),
        facts,
    };
    let mut branches = Vec::new();
    let mut none = asked.facts.clone();
    if item.otherwise.is_some() {
        for branch in &item.branches {
            let mut facts = asked.facts.clone();
            facts.extend(branch.facts.iter().take(1).cloned());
            if branch.matching == remit_law::depends::Match::All {
                facts.extend(branch.facts.iter().skip(1).cloned());
            }
            let mut input = question(facts);
            if let Some(purpose) = &branch.purpose {
                // The branch names the purpose in words; the link asks with the purpose's word.
                if let Some(word) = purpose_word(purpose) {
                    input.purpose = Some(word.to_string());
                }
            }
            branches.push((ask_url(&input), branch.condition_text(), branch.verdict));
            for fact in &branch.facts {
                let negated = format!("!{fact}");
                if !none.contains(&negated) {
                    none.push(negated);
                }
            }
        }
    }
    html! {
        li {
            (parts::verdict(item.verdict))
            " "
            span.q { (item.question) }
            p.a { (item.answer) }
            @if let Some(otherwise) = item.otherwise {
                ul.branches {
                    @for (url, condition, verdict) in &branches {
                        li { a.tap href=(url) { "If " (condition) ": " (parts::verdict(*verdict)) } }
                    }
                    li { a.tap href=(ask_url(&question(none.clone()))) { "If none of these holds: " (parts::verdict(otherwise)) } }
                }
            }
            a.tap.more href=(ask_url(&question(asked.facts.clone()))) { "The full answer, with its reasons" }
        }
    }
}

/// The purpose word of a purpose phrase (the branch names the phrase).
fn purpose_word(phrase: &str) -> Option<&'static str> {
    [
        (
            "civil immigration enforcement",
            "civil_immigration_enforcement",
        ),
        ("a criminal investigation", "criminal_investigation"),
        ("interpretation", "interpretation"),
        ("traffic enforcement", "traffic_enforcement"),
    ]
    .iter()
    .find(|(p, _)| *p == phrase)
    .map(|(_, w)| *w)
}

fn render_form(
    corpus: &Corpus,
    input: &GuideInput,
    problems: &[(String, Option<String>)],
) -> Markup {
    let v = corpus.vocabulary();
    html! {
        (parts::problems("The guide cannot be shown yet:", problems))
        form.ask method="get" action="/guide" {
            label for="g-where" { "Place" span.hint { "a city or county with its state, a state, or an agency" } }
            input type="text" #g-where name="where" value=(input.place) placeholder="Dallas, TX";
            label for="g-actor" { "Who acts" }
            select #g-actor name="actor" {
                @for actor in ACTORS {
                    @if let Ok(id) = v.actor(actor) {
                        option value=(actor) selected[input.actor == *actor] { (v.actor_phrase(id)) }
                    }
                }
            }
            label for="g-date" { "Date" span.hint { "empty for today" } }
            input type="text" #g-date name="date" value=(input.date.as_deref().unwrap_or("")) placeholder="2026-12-07";
            span {}
            button type="submit" { "Show the guide" }
        }
    }
}
