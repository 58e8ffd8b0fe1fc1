//! `/rules`, `/rules/{id}`, `/coverage`, `/sources`, `/vocabulary`: the corpus itself.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use remit_law::coverage::default_actor;
use remit_law::vocabulary::WordKind;
use remit_law::{Jurisdiction, QuestionInput, Rule};
use serde::Serialize;

use super::ask::{modality_name, provenance_name, status_name};
use super::{ask_url, corpus_source, place_url, rule_url, verdict_badge};
use crate::AppState;
use crate::html::{count, e, external_link, push, table_end, table_head, words};
use crate::response::{Format, Page, Params, Table, WebError};

fn date_text(date: Option<remit_law::Date>) -> String {
    date.map_or_else(String::new, |d| d.to_string())
}

/// `/rules?jurisdiction=CA&action=honor_detainer&q=detainer`.
pub async fn list(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let corpus = state.corpus();
    let place = match params.get("jurisdiction") {
        None => None,
        Some(text) => match super::ask::read_place(&state, text)
            .map_err(|error| (error.to_string(), error.help()))
            .and_then(|reading| {
                Jurisdiction::parse_ocd(&reading.id)
                    .map_err(|error| (error.to_string(), error.help()))
            }) {
            Ok(place) => Some(place),
            Err((message, help)) => {
                return WebError::bad_request(format!("`jurisdiction`: {message}"))
                    .with_help(help)
                    .into_response();
            }
        },
    };
    let action = params.get("action");
    if let Some(action) = action
        && let Err(error) = corpus.vocabulary().action(action)
    {
        return WebError::bad_request(format!("`action`: {error}"))
            .with_help(error.help())
            .into_response();
    }
    let needle = params.get("q").map(str::to_lowercase);
    let rules: Vec<&Rule> = corpus
        .rules()
        .iter()
        .filter(|r| place.as_ref().is_none_or(|p| r.jurisdiction.contains(p)))
        .filter(|r| action.is_none_or(|a| r.actions.iter().any(|x| x == a)))
        .filter(|r| {
            needle.as_ref().is_none_or(|n| {
                r.id.to_lowercase().contains(n)
                    || r.summary.to_lowercase().contains(n)
                    || r.citations().any(|s| {
                        s.citation.to_lowercase().contains(n) || s.title.to_lowercase().contains(n)
                    })
            })
        })
        .collect();
    let page = Page::new("Rules", "/rules", "/rules")
        .with_query(params.raw())
        .with_csv()
        .with_sources(vec![corpus_source(corpus)]);
    match format {
        Format::Json => page.json(&serde_json::json!({
            "count": rules.len(),
            "total": corpus.rules().len(),
            "rules": rules,
        })),
        Format::Csv => {
            let mut table = Table::new(&[
                "id",
                "jurisdiction",
                "modality",
                "actions",
                "binds",
                "counterparty",
                "purpose",
                "when",
                "citation",
                "url",
                "provenance",
                "status",
                "effective_from",
                "effective_until",
                "binding",
                "summary",
            ]);
            for rule in &rules {
                table.push(vec![
                    rule.id.clone(),
                    rule.jurisdiction.to_string(),
                    modality_name(rule.modality).to_string(),
                    rule.actions.join(" "),
                    rule.binds.join(" "),
                    rule.counterparty.join(" "),
                    rule.purpose.join(" "),
                    rule.when.clone().unwrap_or_default(),
                    rule.source.citation.clone(),
                    rule.source.url.clone(),
                    provenance_name(rule.provenance).to_string(),
                    status_name(rule.status).to_string(),
                    date_text(rule.effective_from),
                    date_text(rule.effective_until),
                    rule.binding.to_string(),
                    rule.summary.clone(),
                ]);
            }
            page.csv(&table)
        }
        Format::Html => {
            let mut body = String::with_capacity(32 * 1024);
            push!(
                &mut body,
                "<h1>Rules</h1><p>{} of the corpus's {} rules{}. Each encodes one provision, in its own words, with its source.</p>",
                count(rules.len() as u64),
                count(corpus.rules().len() as u64),
                match &place {
                    Some(place) => format!(
                        " that apply in {} (its own and every level above it)",
                        place.label()
                    ),
                    None => String::new(),
                }
            );
            body.push_str(
                "<form method=\"get\" action=\"/rules\"><label for=\"jurisdiction\">Place</label> ",
            );
            push!(
                &mut body,
                "<input type=\"text\" id=\"jurisdiction\" name=\"jurisdiction\" value=\"{}\" placeholder=\"CA\"> <label for=\"action\">Action</label> <select id=\"action\" name=\"action\"><option value=\"\">any</option>",
                e(params.get("jurisdiction").unwrap_or(""))
            );
            for name in corpus.vocabulary().names(WordKind::Action) {
                push!(
                    &mut body,
                    "<option value=\"{}\"{}>{}</option>",
                    e(name),
                    if Some(name) == action {
                        " selected"
                    } else {
                        ""
                    },
                    e(&words(name))
                );
            }
            push!(
                &mut body,
                "</select> <label for=\"q\">Text</label> <input type=\"text\" id=\"q\" name=\"q\" value=\"{}\"> <button type=\"submit\">Filter</button></form>",
                e(params.get("q").unwrap_or(""))
            );
            table_head(
                &mut body,
                &[
                    "Rule", "Place", "Says", "About", "Citation", "Source", "Status", "In force",
                ],
            );
            // A page of rules at a time: the corpus holds hundreds (the JSON and CSV give all).
            let offset = params
                .get("offset")
                .and_then(|o| o.parse::<usize>().ok())
                .unwrap_or(0);
            let vocabulary = corpus.vocabulary();
            for rule in rules.iter().skip(offset).take(RULES_PER_PAGE) {
                let actions: Vec<String> = rule
                    .actions
                    .iter()
                    .map(|action| match vocabulary.phrase(WordKind::Action, action) {
                        Some(phrase) => crate::html::without_counterparty(phrase),
                        None => words(action),
                    })
                    .collect();
                push!(
                    &mut body,
                    "<tr><td><a href=\"{}\">{}</a></td><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>",
                    e(&rule_url(&rule.id)),
                    e(&rule.summary),
                    e(&place_url(rule.jurisdiction.as_str())),
                    e(&rule.jurisdiction.label()),
                    words(modality_name(rule.modality)),
                    e(&actions.join("; "))
                );
                external_link(&mut body, &rule.source.url, &rule.source.citation);
                push!(
                    &mut body,
                    "</td><td>{}</td><td>{}</td><td>{} – {}</td></tr>",
                    provenance_name(rule.provenance),
                    status_name(rule.status),
                    date_text(rule.effective_from),
                    date_text(rule.effective_until)
                );
            }
            table_end(&mut body);
            crate::html::pager(&mut body, offset, RULES_PER_PAGE, rules.len(), |offset| {
                let mut pairs: Vec<(String, String)> =
                    form_urlencoded::parse(params.raw().as_bytes())
                        .filter(|(key, _)| key != "offset")
                        .map(|(key, value)| (key.into_owned(), value.into_owned()))
                        .collect();
                pairs.push(("offset".to_string(), offset.to_string()));
                format!(
                    "/rules?{}",
                    crate::html::query_string(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                )
            });
            page.html(&body)
        }
    }
}

/// Rules listed per page.
const RULES_PER_PAGE: usize = 50;

#[derive(Serialize)]
struct RuleView<'a> {
    rule: &'a Rule,
    /// Rules that carve exceptions out of this one.
    exceptions: Vec<&'a str>,
    /// Rules that preempt this one by name.
    preempted_by: Vec<&'a str>,
    /// Scenarios whose expected answer names this rule.
    scenarios: Vec<&'a str>,
}

/// `/rules/{id}`: one rule in full.
pub async fn show(
    State(state): State<AppState>,
    format: Format,
    Path(raw): Path<String>,
) -> Response {
    let corpus = state.corpus();
    // A rule id ending in `.json` would be read as the JSON twin; ids never do.
    let id = format.id(&raw);
    let Some(rule) = corpus.rule(id) else {
        let mut error = WebError::not_found(format!("no rule `{id}` in the corpus"));
        error = match corpus.suggest_rule(id) {
            Some(suggestion) => error.with_help(format!("did you mean `{suggestion}`?")),
            None => error.with_help("`/rules` lists every rule"),
        };
        return error.into_response();
    };
    let exceptions: Vec<&str> = corpus
        .rules()
        .iter()
        .filter(|r| r.exception_to.iter().any(|x| x == id))
        .map(|r| r.id.as_str())
        .collect();
    let preempted_by: Vec<&str> = corpus
        .rules()
        .iter()
        .filter(|r| r.preempts.iter().any(|x| x == id))
        .map(|r| r.id.as_str())
        .collect();
    let scenarios: Vec<&remit_law::Scenario> = corpus
        .scenarios()
        .iter()
        .filter(|s| {
            s.determining
                .iter()
                .chain(&s.defeated)
                .chain(&s.caveats)
                .any(|x| x == id)
        })
        .collect();
    let page = Page::new(format!("Rule {id}"), "/rules", rule_url(id))
        .with_sources(vec![corpus_source(corpus)]);
    match format {
        Format::Json => page.json(&RuleView {
            rule,
            exceptions,
            preempted_by,
            scenarios: scenarios.iter().map(|s| s.question_text.as_str()).collect(),
        }),
        Format::Csv => WebError::no_csv().into_response(),
        Format::Html => {
            let mut body = String::with_capacity(8 * 1024);
            push!(
                &mut body,
                "<h1>{}</h1><p><strong>{}</strong></p><details><summary>Technical details</summary>Rule id <code>{}</code>; place <code>{}</code></details><p>",
                e(&rule.source.citation),
                e(&rule.summary),
                e(&rule.id),
                e(rule.jurisdiction.as_str())
            );
            external_link(&mut body, &rule.source.url, &rule.source.citation);
            push!(
                &mut body,
                " ({}, {}) <span class=\"tag{}\">{}</span> <span class=\"tag\">{}</span></p>",
                e(&rule.source.title),
                e(rule.source.kind.label()),
                if rule.provenance == remit_law::Provenance::Unverified {
                    " warn"
                } else {
                    ""
                },
                provenance_name(rule.provenance),
                status_name(rule.status)
            );
            body.push_str("<div class=\"scroll\"><table><tbody>");
            let mut row = |label: &str, value: String| {
                if !value.is_empty() {
                    push!(
                        &mut body,
                        "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                        e(label),
                        value
                    );
                }
            };
            row(
                "place",
                format!(
                    "<a href=\"{}\">{}</a>",
                    e(&place_url(rule.jurisdiction.as_str())),
                    e(&rule.jurisdiction.label())
                ),
            );
            row("modality", modality_name(rule.modality).to_string());
            row("binds", e(&words(&rule.binds.join(", "))).to_string());
            row("actions", e(&words(&rule.actions.join(", "))).to_string());
            row(
                "counterparty",
                e(&words(&rule.counterparty.join(", "))).to_string(),
            );
            row("purpose", e(&words(&rule.purpose.join(", "))).to_string());
            row(
                "when",
                rule.when
                    .as_deref()
                    .map_or_else(String::new, |w| format!("<code>{}</code>", e(w))),
            );
            row(
                "in force",
                format!(
                    "from {} until {}",
                    match (rule.effective_from, rule.effective_not_before) {
                        (Some(d), _) => d.to_string(),
                        (None, Some(d)) => format!(
                            "{d} at the earliest (start date unknown: {})",
                            e(rule.effective_unknown_reason.as_deref().unwrap_or(""))
                        ),
                        (None, None) => "(no start date)".to_string(),
                    },
                    rule.effective_until
                        .map_or_else(|| "(no end date)".to_string(), |d| d.to_string())
                ),
            );
            row(
                "enacted by",
                rule.enacted.as_ref().map_or_else(String::new, |en| {
                    format!(
                        "{}{}",
                        e(&en.citation),
                        en.date.map_or_else(String::new, |d| format!(", {d}"))
                    )
                }),
            );
            row(
                "operative words",
                rule.quote
                    .as_deref()
                    .map_or_else(String::new, |q| format!("<q>{}</q>", e(q))),
            );
            row(
                "status",
                if rule.history.is_empty() {
                    status_name(rule.status).to_string()
                } else {
                    format!(
                        "{}<ul>{}</ul>",
                        status_name(rule.status),
                        rule.history
                            .iter()
                            .map(|event| format!(
                                "<li>{}: {} (<a href=\"{}\">{}</a>)</li>",
                                e(&event.describe()),
                                status_name(event.status),
                                e(&event.source.url),
                                e(&event.source.citation)
                            ))
                            .collect::<String>()
                    )
                },
            );
            if rule.versions.len() > 1 {
                row(
                    "versions",
                    format!(
                        "<ol>{}</ol>",
                        rule.versions
                            .iter()
                            .map(|v| format!(
                                "<li>from {}{}: {}</li>",
                                v.from,
                                v.enacted.as_ref().map_or_else(String::new, |en| format!(
                                    " ({})",
                                    e(&en.citation)
                                )),
                                e(&v.summary)
                            ))
                            .collect::<String>()
                    ),
                );
            }
            row(
                "last read against its source",
                rule.reviewed.map_or_else(String::new, |d| d.to_string()),
            );
            row(
                "binding",
                if rule.binding {
                    "yes".to_string()
                } else {
                    "no (guidance or context)".to_string()
                },
            );
            let links = |ids: &[String]| {
                ids.iter()
                    .map(|id| {
                        if id == "lower" {
                            "every rule of a lower level".to_string()
                        } else {
                            format!("<a href=\"{}\">{}</a>", e(&rule_url(id)), e(id))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            row("exception to", links(&rule.exception_to));
            row("preempts", links(&rule.preempts));
            let owned = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            row("exceptions to it", links(&owned(&exceptions)));
            row("preempted by", links(&owned(&preempted_by)));
            row(
                "note",
                rule.note
                    .as_deref()
                    .map_or_else(String::new, |n| e(n).to_string()),
            );
            row(
                "encoded in",
                format!(
                    "<code>corpus/{}</code>, line {}",
                    e(&rule.location.file),
                    rule.location.line
                ),
            );
            body.push_str("</tbody></table></div>");
            if !rule.also_cites.is_empty() {
                body.push_str("<h2>Also cites</h2><ul>");
                for source in &rule.also_cites {
                    body.push_str("<li>");
                    external_link(&mut body, &source.url, &source.citation);
                    push!(
                        &mut body,
                        " ({}, {})</li>",
                        e(&source.title),
                        e(source.kind.label())
                    );
                }
                body.push_str("</ul>");
            }
            if !scenarios.is_empty() {
                body.push_str("<h2>Scenarios that name this rule</h2><ul>");
                for scenario in &scenarios {
                    push!(
                        &mut body,
                        "<li><a href=\"{}\">{}</a> (expected: {})</li>",
                        e(&ask_url(&scenario.input)),
                        e(&scenario.question_text),
                        words(scenario.expect.name())
                    );
                }
                body.push_str("</ul>");
            }
            page.html(&body)
        }
    }
}

/// `/coverage?date=YYYY-MM-DD`: what the corpus speaks to, place by action.
pub async fn coverage(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let corpus = state.corpus();
    let date = match super::jurisdictions::date_param(&params) {
        Ok(date) => date,
        Err(error) => return error.into_response(),
    };
    let matrix = corpus.coverage(date);
    let page = Page::new("Coverage", "/rules", "/coverage")
        .with_query(params.raw())
        .with_csv()
        .with_sources(vec![corpus_source(corpus)]);
    match format {
        Format::Json => page.json(&matrix),
        Format::Csv => {
            let mut table = Table::new(&[
                "jurisdiction",
                "label",
                "action",
                "actor",
                "rules_here",
                "verdict",
            ]);
            for row in &matrix.rows {
                for cell in &row.cells {
                    table.push(vec![
                        row.jurisdiction.clone(),
                        row.label.clone(),
                        cell.action.clone(),
                        cell.actor.to_string(),
                        cell.rules_here.to_string(),
                        cell.verdict.name().to_string(),
                    ]);
                }
            }
            page.csv(&table)
        }
        Format::Html => {
            let mut body = String::with_capacity(64 * 1024);
            push!(
                &mut body,
                "<h1>Coverage on {date}</h1><p>For every place with rules and every action: the verdict for the default question (the actor the action most concerns, counterparty federal immigration, no purpose, no facts), counting every level above the place. A number is how many rules of the place itself name the action. A place's page shows its own matrix.</p>"
            );
            families_map(&mut body, &matrix);
            // Actions in the vocabulary's phrases (`share plate-reader data`), not their ids.
            let vocabulary = corpus.vocabulary();
            let phrases: Vec<String> = matrix
                .actions
                .iter()
                .map(|action| match vocabulary.phrase(WordKind::Action, action) {
                    Some(phrase) => crate::html::without_counterparty(phrase),
                    None => words(action),
                })
                .collect();
            let mut columns = vec!["Place"];
            columns.extend(phrases.iter().map(String::as_str));
            table_head(&mut body, &columns);
            for row in &matrix.rows {
                push!(
                    &mut body,
                    "<tr><th scope=\"row\"><a href=\"{}\">{}</a></th>",
                    e(&place_url(&row.jurisdiction)),
                    e(&row.label)
                );
                for cell in &row.cells {
                    let question = QuestionInput {
                        place: row.jurisdiction.clone(),
                        date: Some(date.to_string()),
                        actor: default_actor(&cell.action).to_string(),
                        action: cell.action.clone(),
                        counterparty: None,
                        purpose: None,
                        facts: Vec::new(),
                    };
                    push!(&mut body, "<td><a href=\"{}\">", e(&ask_url(&question)));
                    verdict_badge(&mut body, cell.verdict);
                    body.push_str("</a>");
                    if cell.rules_here > 0 {
                        push!(&mut body, " {}", cell.rules_here);
                    }
                    body.push_str("</td>");
                }
                body.push_str("</tr>");
            }
            table_end(&mut body);
            page.html(&body)
        }
    }
}

/// A map of the states shaded by how many question families each has encoded, with the same
/// numbers in a table.
fn families_map(body: &mut String, matrix: &remit_law::coverage::Coverage) {
    use remit_law::searched::FamilyStatus;
    let Ok(map) = crate::geo::us_map() else {
        return;
    };
    let total = matrix.families.len();
    let counts: Vec<(&remit_law::searched::StateCoverage, usize, usize)> = matrix
        .states
        .iter()
        .map(|state| {
            let of =
                |status: FamilyStatus| state.families.iter().filter(|(_, s)| *s == status).count();
            (
                state,
                of(FamilyStatus::Encoded),
                of(FamilyStatus::SearchedNone),
            )
        })
        .collect();
    let shades: Vec<super::map::Shade> = counts
        .iter()
        .filter_map(|(state, encoded, _)| {
            Some(super::map::Shade {
                fips: crate::geo::state_fips(&state.code)?.to_string(),
                value: *encoded as u64,
                label: format!(
                    "{}: {encoded} of {total} question families encoded",
                    state.name
                ),
                href: Some(place_url(&state.code)),
            })
        })
        .collect();
    push!(
        body,
        "<h2>Question families encoded, by state</h2><p>How many of the {total} families of questions (detainers, status questions, data sharing, ...) each state's own rules answer; a state with few may still be searched and found silent, as the table says. Follow a state to its rules.</p><div class=\"map\">"
    );
    super::map::geo_map(
        body,
        map,
        &super::map::MapView {
            title: "Question families encoded per state",
            description: "A map of the states, DC and the territories, each shaded by how many question families its own rules answer and linked to its rules; the numbers are in the table below the map.",
            counties: false,
            focus: None,
            selected: None,
            id: "families-map",
        },
        &shades,
    );
    body.push_str("</div>");
    super::map::legend(
        body,
        &super::map::shade_bounds(&shades),
        ("question family", "question families"),
    );
    body.push_str("<details><summary>The numbers by state</summary>");
    table_head(
        body,
        &[
            "state",
            "families encoded",
            "searched, none found",
            "not yet reviewed",
        ],
    );
    for (state, encoded, searched) in &counts {
        push!(
            body,
            "<tr><td><a href=\"{}\">{}</a></td><td class=\"n\">{encoded}</td><td class=\"n\">{searched}</td><td class=\"n\">{}</td></tr>",
            e(&place_url(&state.code)),
            e(&state.name),
            total.saturating_sub(encoded + searched)
        );
    }
    table_end(body);
    body.push_str("</details><h2>Every place and action</h2>");
}

/// `/sources`: every cited source and the rules that cite it.
pub async fn sources(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let corpus = state.corpus();
    let sources = corpus.sources();
    let page = Page::new("Sources", "/rules", "/sources")
        .with_query(params.raw())
        .with_csv()
        .with_sources(vec![corpus_source(corpus)]);
    match format {
        Format::Json => page.json(&sources),
        Format::Csv => {
            let mut table =
                Table::new(&["citation", "title", "url", "kind", "provenance", "rules"]);
            for source in &sources {
                table.push(vec![
                    source.citation.clone(),
                    source.title.clone(),
                    source.url.clone(),
                    source.kind.label().to_string(),
                    provenance_name(source.provenance).to_string(),
                    source.rules.join(" "),
                ]);
            }
            page.csv(&table)
        }
        Format::Html => {
            let mut body = String::with_capacity(32 * 1024);
            push!(
                &mut body,
                "<h1>Sources</h1><p>The {} documents the corpus cites. Provenance is the weakest among the rules citing each: <em>primary</em> (read in an official code, opinion or government page), <em>secondary</em> (a reputable summary), <em>unverified</em> (reported, not confirmed).</p>",
                sources.len()
            );
            table_head(
                &mut body,
                &["Citation", "Title", "Kind", "Provenance", "Rules citing it"],
            );
            for source in &sources {
                body.push_str("<tr><td>");
                external_link(&mut body, &source.url, &source.citation);
                push!(
                    &mut body,
                    "</td><td>{}</td><td>{}</td><td>{}</td><td>",
                    e(&source.title),
                    e(source.kind.label()),
                    provenance_name(source.provenance)
                );
                for (index, id) in source.rules.iter().enumerate() {
                    if index > 0 {
                        body.push_str(", ");
                    }
                    // The rule by what it says: its id is on its page.
                    let label = corpus.rule(id).map_or_else(
                        || format!("rule {}", index + 1),
                        |rule| rule.summary.clone(),
                    );
                    push!(
                        &mut body,
                        "<a href=\"{}\">{}</a>",
                        e(&rule_url(id)),
                        e(&label)
                    );
                }
                body.push_str("</td></tr>");
            }
            table_end(&mut body);
            page.html(&body)
        }
    }
}

#[derive(Serialize)]
struct VocabularyView<'a> {
    actors: &'a [remit_law::vocabulary::Word],
    actor_groups: &'a [remit_law::vocabulary::ActorGroup],
    counterparties: &'a [remit_law::vocabulary::Counterparty],
    actions: &'a [remit_law::vocabulary::Word],
    purposes: &'a [remit_law::vocabulary::Word],
    facts: &'a [remit_law::vocabulary::Word],
}

/// `/vocabulary`: the words questions and rules use.
pub async fn vocabulary(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let corpus = state.corpus();
    let v = corpus.vocabulary();
    let page = Page::new("Vocabulary", "/rules", "/vocabulary")
        .with_query(params.raw())
        .with_csv()
        .with_sources(vec![corpus_source(corpus)]);
    let kinds = [
        ("actor", WordKind::Actor),
        ("counterparty", WordKind::Counterparty),
        ("action", WordKind::Action),
        ("purpose", WordKind::Purpose),
        ("fact", WordKind::Fact),
    ];
    match format {
        Format::Json => page.json(&VocabularyView {
            actors: v.actors(),
            actor_groups: v.actor_groups(),
            counterparties: v.counterparties(),
            actions: v.actions(),
            purposes: v.purposes(),
            facts: v.facts(),
        }),
        Format::Csv => {
            let mut table = Table::new(&["kind", "word", "definition"]);
            for (label, kind) in kinds {
                for name in v.names(kind) {
                    table.push(vec![
                        label.to_string(),
                        name.to_string(),
                        v.definition(kind, name).unwrap_or("").to_string(),
                    ]);
                }
            }
            page.csv(&table)
        }
        Format::Html => {
            let mut body = String::from(
                "<h1>Vocabulary</h1><p>Rules, questions and findings use only these words.</p>",
            );
            for (label, kind) in kinds {
                push!(&mut body, "<h2>{}s</h2>", e(&words(label)));
                table_head(&mut body, &["word", "definition"]);
                for name in v.names(kind) {
                    push!(
                        &mut body,
                        "<tr><td><code>{}</code></td><td>{}</td></tr>",
                        e(name),
                        e(v.definition(kind, name).unwrap_or(""))
                    );
                }
                table_end(&mut body);
            }
            page.html(&body)
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt as _;

    #[tokio::test]
    async fn the_coverage_page_maps_the_families_each_state_has_encoded() {
        let corpus = remit_law::Corpus::embedded().unwrap();
        let expected = corpus.coverage("2026-12-01".parse().unwrap());
        let app = crate::app(crate::AppState::new(
            corpus,
            None,
            crate::Options::default(),
        ));
        let response = app
            .oneshot(
                Request::builder()
                    .uri("/coverage?date=2026-12-01")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let page = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(page.contains("<svg class=\"geo\" id=\"families-map\""));
        let total = expected.families.len();
        let texas = expected.states.iter().find(|s| s.code == "TX").unwrap();
        let encoded = texas
            .families
            .iter()
            .filter(|(_, s)| *s == remit_law::searched::FamilyStatus::Encoded)
            .count();
        assert!(encoded > 0);
        assert!(
            page.contains(&format!("data-fips=\"48\" data-value=\"{encoded}\"")),
            "Texas is not shaded for {encoded}"
        );
        assert!(page.contains(&format!(
            "<title>Texas: {encoded} of {total} question families encoded</title>"
        )));
        // Every state and territory of the corpus's list is drawn.
        assert_eq!(
            page.matches("<path data-fips=").count(),
            expected.states.len()
        );
    }
}
