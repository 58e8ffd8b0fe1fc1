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

use crate::i18n::{self, Lang, count, strings};
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
    let t = GuideText::current();
    let page = Page::new(t.title, "/guide", "/guide")
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
                        vocabulary
                            .definition_in(WordKind::Actor, actor, i18n::lang())
                            .unwrap_or("")
                            .to_string(),
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
                    h1 { (t.heading) }
                    p { (t.intro) }
                    (render_form(corpus, &input, &[]))
                    p {
                        (t.examples) " "
                        a href="/guide?where=El+Cajon%2C+CA&actor=local_police" { (t.example_el_cajon) }
                        " · "
                        a href="/guide?where=Dallas+County%2C+TX&actor=sheriff" { (t.example_dallas) }
                        " · "
                        a href="/guide?where=WA&actor=state_police" { (t.example_washington) }
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
        Err(error) => problems.push((format!("`date`: {error}"), Some(t.date_help.to_string()))),
    }
    let guide = if problems.is_empty() {
        corpus.guide_in(&asked, i18n::lang()).map_err(|errors| {
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
                h2 { (t.another) }
                (render_form(corpus, &input, &[]))
            };
            let title = match i18n::lang() {
                Lang::En => format!("Guide: {} in {}", guide.actor_phrase, guide.place_name),
                Lang::Es => format!("Guía: {} en {}", guide.actor_phrase, guide.place_name),
            };
            Page { title, ..page }.html(&body.into_string())
        }
        (Format::Html, Err(problems)) => {
            let body = html! {
                h1 { (t.heading) }
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

/// The guide's title, in the request's language.
fn guide_heading(guide: &Guide) -> String {
    match i18n::lang() {
        Lang::En => format!(
            "What the law says for {} in {}",
            guide.actor_phrase, guide.place_name
        ),
        Lang::Es => format!(
            "Lo que dice la ley para {} en {}",
            guide.actor_phrase, guide.place_name
        ),
    }
}

/// How many questions have each verdict, in the request's language.
fn counts_line(c: &remit_law::guide::GuideCounts) -> String {
    let total = c.must_not + c.must + c.may + c.depends + c.conflict + c.no_rule;
    let n = |value: usize| count(value as u64);
    match i18n::lang() {
        Lang::En => format!(
            "{} questions: {} must not · {} must · {} may · {} depend on facts · {} conflict · {} with no rule found",
            total, c.must_not, c.must, c.may, c.depends, c.conflict, c.no_rule
        ),
        Lang::Es => format!(
            "{} {}: {} no debe · {} debe · {} puede · {} {} de los hechos · {} en conflicto · {} sin ninguna norma",
            n(total),
            i18n::plural(total as u64, "pregunta|preguntas"),
            n(c.must_not),
            n(c.must),
            n(c.may),
            n(c.depends),
            i18n::plural(c.depends as u64, "depende|dependen"),
            n(c.conflict),
            n(c.no_rule)
        ),
    }
}

fn render_guide(guide: &Guide, asked: &GuideInput) -> Markup {
    let c = &guide.counts;
    let t = GuideText::current();
    html! {
        div.guide {
            h1 { (guide_heading(guide)) }
            p { (t.on) " " (i18n::date(&guide.date)) ". " (t.each_answer) " " (guide.disclaimer) }
            @if !guide.assumed.is_empty() {
                p { strong { (t.assumed) } }
                ul {
                    @for a in &guide.assumed {
                        li { (a.condition) " (" (a.place_name) ": " (parts::external(&a.source.url, &a.source.citation)) ")" }
                    }
                }
            }
            p.counts { (counts_line(c)) }
            nav.toc aria-label=(t.sections) {
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
                if let Some(word) = branch
                    .purpose_word
                    .as_deref()
                    .or_else(|| purpose_word(purpose))
                {
                    input.purpose = Some(word.to_string());
                }
            }
            if let Some(word) = &branch.counterparty_word {
                input.counterparty = Some(word.clone());
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
    let t = GuideText::current();
    html! {
        li {
            (parts::verdict(item.verdict))
            " "
            span.q { (item.question) }
            p.a { (item.answer) }
            @if let Some(otherwise) = item.otherwise {
                ul.branches {
                    @for (url, condition, verdict) in &branches {
                        li { a.tap href=(url) { (t.if_) " " (condition) ": " (parts::verdict(*verdict)) } }
                    }
                    li { a.tap href=(ask_url(&question(none.clone()))) { (t.if_none) " " (parts::verdict(otherwise)) } }
                }
            }
            a.tap.more href=(ask_url(&question(asked.facts.clone()))) { (t.full_answer) }
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
    let t = GuideText::current();
    let lang = i18n::lang();
    html! {
        (parts::problems(t.cannot_show, problems))
        form.ask method="get" action="/guide" {
            label for="g-where" { (t.place) span.hint { (t.place_hint) } }
            input type="text" #g-where name="where" value=(input.place) placeholder="Dallas, TX";
            label for="g-actor" { (t.who_acts) }
            select #g-actor name="actor" {
                @for actor in ACTORS {
                    @if let Ok(id) = v.actor(actor) {
                        option value=(actor) selected[input.actor == *actor] { (v.actor_phrase_in(id, lang)) }
                    }
                }
            }
            label for="g-date" { (t.date) span.hint { (t.date_hint) } }
            input type="text" #g-date name="date" value=(input.date.as_deref().unwrap_or("")) placeholder="2026-12-07";
            span {}
            button type="submit" { (t.show) }
        }
    }
}

strings! {
    /// The words of the guide page.
    pub struct GuideText {
        title: "Guide", "Guía";
        heading: "A guide for one department", "Una guía para un departamento";
        intro: "Every question Remit can answer for one kind of officer or agency in one place, on one page: status questions, detainers, interviews, 287(g), data sharing, interpreters and more, each with its answer and the law that decides it.", "Todas las preguntas que Remit puede responder para un tipo de agente o de agencia en un lugar, en una sola página: preguntas sobre el estatus migratorio, órdenes de detención migratoria, entrevistas, 287(g), intercambio de datos, intérpretes y más, cada una con su respuesta y la ley que la decide.";
        examples: "Examples:", "Ejemplos:";
        example_el_cajon: "police in El Cajon, California", "la policía de El Cajon, California";
        example_dallas: "the sheriff of Dallas County, Texas", "el sheriff del condado de Dallas, Texas";
        example_washington: "the Washington State Patrol", "la Patrulla Estatal de Washington";
        date_help: "write dates as 2026-12-07, 12/07/2026, Dec 7 2026 or today", "escriba las fechas como 2026-12-07, 12/07/2026, Dec 7 2026 o today";
        another: "Another place or actor", "Otro lugar u otro actor";
        on: "On", "A fecha del";
        each_answer: "Each answer links to the full reasons and citations.", "Cada respuesta enlaza con todas las razones y citas.";
        assumed: "Taken as known about this place:", "Se da por sabido sobre este lugar:";
        sections: "guide sections", "secciones de la guía";
        if_: "If", "Si";
        if_none: "If none of these holds:", "Si no se cumple ninguna de estas condiciones:";
        full_answer: "The full answer, with its reasons", "La respuesta completa, con sus razones";
        cannot_show: "The guide cannot be shown yet:", "Todavía no se puede mostrar la guía:";
        place: "Place", "Lugar";
        place_hint: "a city or county with its state, a state, or an agency", "una ciudad o un condado con su estado, un estado o una agencia";
        who_acts: "Who acts", "Quién actúa";
        date: "Date", "Fecha";
        date_hint: "empty for today", "vacío para hoy";
        show: "Show the guide", "Ver la guía";
    }
}
