//! `/guide`: every question the law answers for one actor in one place, on one page, grouped as
//! an officer or a records officer looks for them. Its address names the place and the actor
//! (`/guide?where=Dallas,+TX&actor=local_police`), so it can be bookmarked, printed and shared;
//! `/guide.json` and `/guide.csv` are its twins.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use remit_law::guide::{Guide, GuideInput, GuideItem};
use remit_law::{Corpus, QuestionInput, Verdict};

use super::{ask_url, corpus_source};
use crate::html::{e, push};
use crate::response::{Format, Page, Params, Table, WebError};
use crate::{AppState, today};

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
            Format::Csv => WebError::bad_request("no place or actor given")
                .with_help("e.g. `/guide.csv?where=El+Cajon,+CA&actor=local_police`")
                .into_response(),
            Format::Html => {
                // No guide yet, so no table: the page links no CSV twin it cannot give.
                let page = Page { csv: false, ..page };
                let mut body = String::new();
                body.push_str("<h1>A guide for one department</h1><p>Every question Remit can answer for one kind of officer or agency in one place, on one page: status questions, detainers, interviews, 287(g), data sharing, interpreters and more, each with its answer and the law that decides it.</p>");
                render_form(&mut body, corpus, &input, &[]);
                body.push_str("<p>Examples: <a href=\"/guide?where=El+Cajon%2C+CA&amp;actor=local_police\">police in El Cajon, California</a> · <a href=\"/guide?where=Dallas+County%2C+TX&amp;actor=sheriff\">the sheriff of Dallas County, Texas</a> · <a href=\"/guide?where=WA&amp;actor=state_police\">the Washington State Patrol</a></p>");
                page.html(&body)
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
            let mut body = String::with_capacity(32 * 1024);
            render_guide(&mut body, &guide, &asked);
            super::compliance::guide_section(
                &mut body,
                &state,
                &guide.place,
                &guide.actor,
                &guide.date,
            );
            body.push_str("<h2>Another place or actor</h2>");
            render_form(&mut body, corpus, &input, &[]);
            let title = format!("Guide: {} in {}", guide.actor_phrase, guide.place_name);
            Page { title, ..page }.html(&body)
        }
        (Format::Html, Err(problems)) => {
            let mut body = String::new();
            body.push_str("<h1>A guide for one department</h1>");
            render_form(&mut body, corpus, &input, &problems);
            let mut response = page.html(&body);
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

/// The verdict badge in plain words.
fn badge(out: &mut String, verdict: Verdict) {
    push!(
        out,
        "<span class=\"verdict v-{}\">{}</span>",
        verdict.name(),
        e(verdict.words())
    );
}

fn render_guide(out: &mut String, guide: &Guide, asked: &GuideInput) {
    push!(
        out,
        "<div class=\"guide\"><h1>What the law says for {} in {}</h1><p>On {}. Each answer links to the full reasons and citations. {}</p>",
        e(&guide.actor_phrase),
        e(&guide.place_name),
        e(&guide.date),
        e(guide.disclaimer)
    );
    if !guide.assumed.is_empty() {
        out.push_str("<p><strong>Taken as known about this place:</strong></p><ul>");
        for a in &guide.assumed {
            push!(
                out,
                "<li>{} ({}: <a href=\"{}\">{}</a>)</li>",
                e(&a.condition),
                e(&a.place_name),
                e(&a.source.url),
                e(&a.source.citation)
            );
        }
        out.push_str("</ul>");
    }
    let c = &guide.counts;
    push!(
        out,
        "<p class=\"counts\">{} questions: {} must not · {} must · {} may · {} depend on facts · {} conflict · {} with no rule found</p>",
        c.must_not + c.must + c.may + c.depends + c.conflict + c.no_rule,
        c.must_not,
        c.must,
        c.may,
        c.depends,
        c.conflict,
        c.no_rule
    );
    out.push_str("<nav class=\"toc\" aria-label=\"guide sections\"><ul>");
    for (n, section) in guide.sections.iter().enumerate() {
        push!(out, "<li><a href=\"#s{n}\">{}</a></li>", e(&section.title));
    }
    out.push_str("</ul></nav>");
    for (n, section) in guide.sections.iter().enumerate() {
        push!(out, "<h2 id=\"s{n}\">{}</h2><ol>", e(&section.title));
        for item in &section.items {
            render_item(out, item, guide, asked);
        }
        out.push_str("</ol>");
    }
    out.push_str("</div>");
}

fn render_item(out: &mut String, item: &GuideItem, guide: &Guide, asked: &GuideInput) {
    out.push_str("<li>");
    badge(out, item.verdict);
    push!(
        out,
        " <span class=\"q\">{}</span><p class=\"a\">{}</p>",
        e(&item.question),
        e(&item.answer)
    );
    let question = |facts: Vec<String>| QuestionInput {
        place: guide.place.clone(),
        date: asked.date.clone(),
        actor: guide.actor.clone(),
        action: item.action.clone(),
        counterparty: Some(item.counterparty.clone()),
        purpose: (item.purpose != "unspecified").then(|| item.purpose.clone()),
        facts,
    };
    if item.otherwise.is_some() {
        out.push_str("<ul class=\"branches\">");
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
            push!(
                out,
                "<li><a class=\"tap\" href=\"{}\">If {}: ",
                e(&ask_url(&input)),
                e(&branch.condition_text())
            );
            badge(out, branch.verdict);
            out.push_str("</a></li>");
        }
        let mut none = asked.facts.clone();
        for branch in &item.branches {
            for fact in &branch.facts {
                let negated = format!("!{fact}");
                if !none.contains(&negated) {
                    none.push(negated);
                }
            }
        }
        push!(
            out,
            "<li><a class=\"tap\" href=\"{}\">If none of these holds: ",
            e(&ask_url(&question(none)))
        );
        badge(out, item.otherwise.unwrap_or(Verdict::NoRule));
        out.push_str("</a></li></ul>");
    }
    push!(
        out,
        "<a class=\"tap more\" href=\"{}\">The full answer, with its reasons</a>",
        e(&ask_url(&question(asked.facts.clone())))
    );
    out.push_str("</li>");
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
    out: &mut String,
    corpus: &Corpus,
    input: &GuideInput,
    problems: &[(String, Option<String>)],
) {
    for (message, help) in problems {
        push!(out, "<p class=\"error\" role=\"alert\">{}", e(message));
        if let Some(help) = help {
            push!(out, "<br>{}", e(help));
        }
        out.push_str("</p>");
    }
    push!(
        out,
        "<form class=\"ask\" method=\"get\" action=\"/guide\"><label for=\"g-where\">Place<span class=\"hint\">a city or county with its state, a state, or an agency</span></label><input type=\"text\" id=\"g-where\" name=\"where\" value=\"{}\" placeholder=\"Dallas, TX\"><label for=\"g-actor\">Who acts</label><select id=\"g-actor\" name=\"actor\">",
        e(&input.place)
    );
    let v = corpus.vocabulary();
    for actor in ACTORS {
        let Ok(id) = v.actor(actor) else { continue };
        push!(
            out,
            "<option value=\"{actor}\"{}>{}</option>",
            if input.actor == *actor {
                " selected"
            } else {
                ""
            },
            e(v.actor_phrase(id))
        );
    }
    push!(
        out,
        "</select><label for=\"g-date\">Date<span class=\"hint\">empty for today</span></label><input type=\"text\" id=\"g-date\" name=\"date\" value=\"{}\" placeholder=\"2026-12-07\"><span></span><button type=\"submit\">Show the guide</button></form>",
        e(input.date.as_deref().unwrap_or(""))
    );
}
