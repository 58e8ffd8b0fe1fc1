//! `/rules`, `/rules/{id}`, `/coverage`, `/sources`, `/vocabulary`: the corpus itself.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use remit_law::coverage::default_actor;
use remit_law::vocabulary::WordKind;
use remit_law::{Jurisdiction, QuestionInput, Rule};
use serde::Serialize;

use super::ask::{modality_name, provenance_name, status_name};
use super::{ask_url, corpus_source, place_url, rule_url};
use crate::AppState;
use crate::html::{count, query_string};
use crate::parts;
use crate::response::{Format, Page, Params, Table, WebError};
use maud::{Markup, PreEscaped, html};

fn date_text(date: Option<remit_law::Date>) -> String {
    date.map_or_else(String::new, |d| d.to_string())
}

/// `/rules?jurisdiction=CA&action=honor_detainer&q=detainer`.
pub async fn list(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let corpus = state.corpus();
    let refused = |error: WebError| {
        super::error_with_form(
            Page::new("Rules", "/rules", "/rules").with_query(params.raw()),
            format,
            "Rules",
            error,
            filter_form(corpus, &params, None),
        )
    };
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
                return refused(
                    WebError::bad_request(format!("`jurisdiction`: {message}")).with_help(help),
                );
            }
        },
    };
    let action = params.get("action");
    if let Some(action) = action
        && let Err(error) = corpus.vocabulary().action(action)
    {
        return refused(
            WebError::bad_request(format!("`action`: {error}")).with_help(error.help()),
        );
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
            // A page of rules at a time: the corpus holds hundreds (the JSON and CSV give all).
            let offset = params
                .get("offset")
                .and_then(|o| o.parse::<usize>().ok())
                .unwrap_or(0);
            let vocabulary = corpus.vocabulary();
            let page_url = |offset: usize| {
                let mut pairs: Vec<(String, String)> =
                    form_urlencoded::parse(params.raw().as_bytes())
                        .filter(|(key, _)| key != "offset")
                        .map(|(key, value)| (key.into_owned(), value.into_owned()))
                        .collect();
                pairs.push(("offset".to_string(), offset.to_string()));
                format!(
                    "/rules?{}",
                    query_string(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                )
            };
            let body = html! {
                h1 { "Rules" }
                p {
                    (count(rules.len() as u64)) " of the corpus's " (count(corpus.rules().len() as u64)) " rules"
                    @if let Some(place) = &place { " that apply in " (place.phrase()) " (its own and every level above it)" }
                    ". Each encodes one provision, in its own words, with its source."
                }
                (filter_form(corpus, &params, action))
                (parts::table(&["Rule", "Place", "Says", "About", "Source", "Status", "In force"], html! {
                    @for rule in rules.iter().skip(offset).take(RULES_PER_PAGE) {
                        tr {
                            td { a href=(rule_url(&rule.id)) { (rule.summary) } }
                            td { a href=(place_url(rule.jurisdiction.as_str())) { (rule.jurisdiction.phrase()) } }
                            td { (modality_name(rule.modality)) }
                            td { (rule.actions.iter().map(|a| parts::phrase(vocabulary, WordKind::Action, a)).collect::<Vec<_>>().join("; ")) }
                            td { (parts::external(&rule.source.url, &rule.source.citation)) br; span.note { (provenance_name(rule.provenance)) } }
                            td { (status_name(rule.status)) }
                            td { (date_text(rule.effective_from)) " – " (date_text(rule.effective_until)) }
                        }
                    }
                }))
                (parts::pager(offset, RULES_PER_PAGE, rules.len(), page_url))
            };
            page.html(&body.into_string())
        }
    }
}

/// The form that filters the rules, filled with what was asked.
fn filter_form(corpus: &remit_law::Corpus, params: &Params, action: Option<&str>) -> Markup {
    let vocabulary = corpus.vocabulary();
    html! {
        form method="get" action="/rules" {
            label for="jurisdiction" { "Place" } " "
            input type="text" #jurisdiction name="jurisdiction" value=(params.get("jurisdiction").unwrap_or("")) placeholder="CA";
            " " label for="action" { "Doing what" } " "
            select #action name="action" {
                option value="" { "any" }
                @for name in vocabulary.names(WordKind::Action) {
                    option value=(name) selected[Some(name) == action] { (parts::phrase(vocabulary, WordKind::Action, name)) }
                }
            }
            " " label for="q" { "Text" } " "
            input type="text" #q name="q" value=(params.get("q").unwrap_or(""));
            " " button type="submit" { "Filter" }
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
    let page = Page::new(rule.source.citation.clone(), "/rules", rule_url(id))
        .with_sources(vec![corpus_source(corpus)]);
    match format {
        Format::Json => page.json(&RuleView {
            rule,
            exceptions,
            preempted_by,
            scenarios: scenarios.iter().map(|s| s.question_text.as_str()).collect(),
        }),
        Format::Csv => WebError::no_csv().into_response(),
        Format::Html => page
            .html(&rule_page(corpus, rule, &exceptions, &preempted_by, &scenarios).into_string()),
    }
}

/// The page of one rule: what it says in plain words, its source and dates, and how it stands
/// with the other rules; ids, the machine-read condition and the corpus file in the technical
/// details.
fn rule_page(
    corpus: &remit_law::Corpus,
    rule: &Rule,
    exceptions: &[&str],
    preempted_by: &[&str],
    scenarios: &[&remit_law::Scenario],
) -> Markup {
    let v = corpus.vocabulary();
    let listed = |kind: WordKind, words: &[String]| {
        words
            .iter()
            .map(|w| parts::phrase(v, kind, w))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let links = |ids: &[&str]| {
        html! {
            @for (index, id) in ids.iter().enumerate() {
                @if index > 0 { "; " }
                @if *id == "lower" {
                    "every rule of a lower level"
                } @else {
                    a href=(rule_url(id)) { (corpus.rule(id).map_or(*id, |r| r.source.citation.as_str())) }
                }
            }
        }
    };
    let exception_to: Vec<&str> = rule.exception_to.iter().map(String::as_str).collect();
    let preempts: Vec<&str> = rule.preempts.iter().map(String::as_str).collect();
    let start = match (rule.effective_from, rule.effective_not_before) {
        (Some(d), _) => d.to_string(),
        (None, Some(d)) => format!(
            "{d} at the earliest (start date unknown: {})",
            rule.effective_unknown_reason.as_deref().unwrap_or("")
        ),
        (None, None) => "(no start date)".to_string(),
    };
    let end = rule
        .effective_until
        .map_or_else(|| "(no end date)".to_string(), |d| d.to_string());
    let row = |label: &str, value: Markup| {
        html! {
            @if !value.0.is_empty() {
                tr { th scope="row" { (label) } td { (value) } }
            }
        }
    };
    html! {
        h1 { (rule.source.citation) }
        p { strong { (rule.summary) } }
        p {
            (parts::external(&rule.source.url, &rule.source.citation))
            " (" (rule.source.title) ", " (rule.source.kind.label()) ") "
            span class={ "tag" @if rule.provenance == remit_law::Provenance::Unverified { " warn" } } { (provenance_name(rule.provenance)) }
            " " span.tag { (status_name(rule.status)) }
        }
        div.scroll {
            table {
                tbody {
                    (row("Place", html! { a href=(place_url(rule.jurisdiction.as_str())) { (rule.jurisdiction.phrase()) } }))
                    (row("Says", html! { (modality_name(rule.modality)) }))
                    (row("Binds", html! { (listed(WordKind::Actor, &rule.binds)) }))
                    (row("About", html! { (listed(WordKind::Action, &rule.actions)) }))
                    (row("With or for whom", html! { (listed(WordKind::Counterparty, &rule.counterparty)) }))
                    (row("Why", html! { (listed(WordKind::Purpose, &rule.purpose)) }))
                    (row("Only when", html! { @if rule.when.is_some() { "a condition holds (see the technical details below)" } }))
                    (row("In force", html! { "from " (start) " until " (end) }))
                    (row("Enacted by", html! {
                        @if let Some(en) = &rule.enacted {
                            (en.citation) @if let Some(d) = en.date { ", " (d.to_string()) }
                        }
                    }))
                    (row("Operative words", html! { @if let Some(q) = &rule.quote { q { (q) } } }))
                    (row("Status", html! {
                        (status_name(rule.status))
                        @if !rule.history.is_empty() {
                            ul {
                                @for event in &rule.history {
                                    li { (event.describe()) ": " (status_name(event.status)) " (" (parts::external(&event.source.url, &event.source.citation)) ")" }
                                }
                            }
                        }
                    }))
                    @if rule.versions.len() > 1 {
                        (row("Versions", html! {
                            ol {
                                @for version in &rule.versions {
                                    li {
                                        "from " (version.from.to_string())
                                        @if let Some(en) = &version.enacted { " (" (en.citation) ")" }
                                        ": " (version.summary)
                                    }
                                }
                            }
                        }))
                    }
                    (row("Last read against its source", html! { @if let Some(d) = rule.reviewed { (d.to_string()) } }))
                    (row("Binding", html! { @if rule.binding { "yes" } @else { "no (guidance or context)" } }))
                    (row("An exception to", links(&exception_to)))
                    (row("Sets aside", links(&preempts)))
                    (row("Exceptions to it", links(exceptions)))
                    (row("Set aside by", links(preempted_by)))
                }
            }
        }
        @if !rule.also_cites.is_empty() {
            h2 { "Also cites" }
            ul {
                @for source in &rule.also_cites {
                    li { (parts::external(&source.url, &source.citation)) " (" (source.title) ", " (source.kind.label()) ")" }
                }
            }
        }
        @if !scenarios.is_empty() {
            h2 { "Example questions that name this rule" }
            ul {
                @for scenario in scenarios {
                    li { a href=(ask_url(&scenario.input)) { (scenario.question_text) } " (expected: " (scenario.expect.words()) ")" }
                }
            }
        }
        (parts::technical(html! {
            ul {
                li { "Rule id: " code { (rule.id) } }
                li { "Place id: " code { (rule.jurisdiction.as_str()) } }
                @if let Some(when) = &rule.when { li { "Condition: " code { (when) } } }
                li { "Encoded in " code { "corpus/" (rule.location.file) } ", line " (rule.location.line) }
                @if let Some(note) = &rule.note { li { "The encoder's note: " (note) } }
            }
        }))
    }
}

/// `/coverage?date=YYYY-MM-DD`: what the corpus speaks to, place by action.
pub async fn coverage(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let corpus = state.corpus();
    let date = match super::jurisdictions::date_param(&params) {
        Ok(date) => date,
        Err(error) => {
            return super::error_with_form(
                Page::new("Coverage", "/rules", "/coverage").with_query(params.raw()),
                format,
                "Coverage",
                error,
                html! {
                    form method="get" action="/coverage" {
                        label for="date" { "As of" } " "
                        input type="date" #date name="date" value=(params.get("date").unwrap_or(""));
                        " " button type="submit" { "Show" }
                    }
                },
            );
        }
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
            // Actions in the vocabulary's phrases (`share plate-reader data`), not their ids.
            let vocabulary = corpus.vocabulary();
            let phrases: Vec<String> = matrix
                .actions
                .iter()
                .map(|action| parts::phrase(vocabulary, WordKind::Action, action))
                .collect();
            let mut columns = vec!["Place"];
            columns.extend(phrases.iter().map(String::as_str));
            let body = html! {
                h1 { "Coverage on " (date.to_string()) }
                p { "For every place with rules and every action: the verdict for the usual question (the officer or body the action most concerns, with federal immigration authorities, for no stated purpose, with no facts), counting every level above the place. A number is how many rules of the place itself name the action. A place's page shows its own table." }
                (families_map(&matrix))
                (parts::table(&columns, html! {
                    @for row in &matrix.rows {
                        tr {
                            th scope="row" { a href=(place_url(&row.jurisdiction)) { (row.label) } }
                            @for cell in &row.cells {
                                @let question = QuestionInput {
                                    place: row.jurisdiction.clone(),
                                    date: Some(date.to_string()),
                                    actor: default_actor(&cell.action).to_string(),
                                    action: cell.action.clone(),
                                    counterparty: None,
                                    purpose: None,
                                    facts: Vec::new(),
                                };
                                td {
                                    a href=(ask_url(&question)) { (parts::verdict(cell.verdict)) }
                                    @if cell.rules_here > 0 { " " (cell.rules_here) }
                                }
                            }
                        }
                    }
                }))
            };
            page.html(&body.into_string())
        }
    }
}

/// A map of the states shaded by how many question families each has encoded, with the same
/// numbers in a table.
fn families_map(matrix: &remit_law::coverage::Coverage) -> Markup {
    use remit_law::searched::FamilyStatus;
    let Ok(map) = crate::geo::us_map() else {
        return html! {};
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
    // The map and its key are drawn by the map module, which writes SVG whose text it escapes.
    let mut drawn = String::new();
    super::map::geo_map(
        &mut drawn,
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
    html! {
        h2 { "Question families encoded, by state" }
        p { "How many of the " (total) " families of questions (detainers, status questions, data sharing, ...) each state's own rules answer; a state with few may still be searched and found silent, as the table says. Follow a state to its rules." }
        div.map { (PreEscaped(drawn)) }
        (super::map::key(&super::map::shade_bounds(&shades), ("question family", "question families")))
        details {
            summary { "The numbers by state" }
            (parts::table(&["State", "Families encoded", "Searched, none found", "Not yet reviewed"], html! {
                @for (state, encoded, searched) in &counts {
                    tr {
                        td { a href=(place_url(&state.code)) { (state.name) } }
                        td.n { (encoded) }
                        td.n { (searched) }
                        td.n { (total.saturating_sub(encoded + searched)) }
                    }
                }
            }))
        }
        h2 { "Every place and action" }
    }
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
            let body = html! {
                h1 { "Sources" }
                p {
                    "The " (sources.len()) " documents the corpus cites. Provenance is the weakest among the rules citing each: "
                    em { "primary" } " (read in an official code, opinion or government page), "
                    em { "secondary" } " (a reputable summary), " em { "unverified" } " (reported, not confirmed)."
                }
                (parts::table(&["Citation", "Title", "Kind", "Provenance", "Rules citing it"], html! {
                    @for source in &sources {
                        tr {
                            td { (parts::external(&source.url, &source.citation)) }
                            td { (source.title) }
                            td { (source.kind.label()) }
                            td { (provenance_name(source.provenance)) }
                            td {
                                @for (index, id) in source.rules.iter().enumerate() {
                                    @if index > 0 { ", " }
                                    // The rule by what it says: its id is on its page.
                                    a href=(rule_url(id)) {
                                        (corpus.rule(id).map_or_else(|| format!("rule {}", index + 1), |rule| rule.summary.clone()))
                                    }
                                }
                            }
                        }
                    }
                }))
            };
            page.html(&body.into_string())
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
    let page = Page::new("Glossary", "/rules", "/vocabulary")
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
            let body = html! {
                h1 { "Glossary" }
                p { "The words Remit's questions, rules and findings use, as the pages write them, with what each means. Programs use a short word for each (in the technical details under each list)." }
                @for (label, kind) in kinds {
                    @let heading = glossary_heading(label);
                    h2 #(label) { (heading) }
                    (parts::table(&["Term", "Meaning"], html! {
                        @for name in v.names(kind) {
                            tr {
                                td { (parts::phrase(v, kind, name)) }
                                td { (v.definition(kind, name).unwrap_or("")) }
                            }
                        }
                    }))
                    (parts::technical(html! {
                        p { "The words programs use for these, in the same order:" }
                        ul { @for name in v.names(kind) { li { code { (name) } } } }
                    }))
                }
                h2 #terms { "Other terms on these pages" }
                dl {
                    @for (term, meaning) in GLOSSARY {
                        dt { strong { (term) } }
                        dd { (meaning) }
                    }
                }
            };
            page.html(&body.into_string())
        }
    }
}

/// The heading of a list of the glossary.
fn glossary_heading(kind: &str) -> &'static str {
    match kind {
        "actor" => "Who acts",
        "counterparty" => "With or for whom",
        "action" => "Doing what",
        "purpose" => "Why",
        _ => "Facts",
    }
}

/// Terms the pages use beyond the vocabulary's words, in plain words.
const GLOSSARY: &[(&str, &str)] = &[
    (
        "must not",
        "The law forbids it: a rule says no, and no exception or higher law sets that aside.",
    ),
    (
        "must",
        "The law requires it, and nothing sets the requirement aside.",
    ),
    ("may", "The law allows it but does not require it."),
    (
        "conflict",
        "The rules disagree: one forbids it and another requires it.",
    ),
    (
        "no rule found",
        "No rule Remit holds speaks to this; that does not mean the act is lawful.",
    ),
    (
        "depends",
        "The answer turns on a fact or purpose the question does not state.",
    ),
    (
        "set aside",
        "A rule that would apply but does not, because an exception carves the case out of it or a higher law (a state law over a city's, federal law over a state's) overrides it.",
    ),
    (
        "287(g) agreement",
        "An agreement under section 287(g) of the Immigration and Nationality Act by which ICE delegates some immigration-enforcement powers to a state or local agency.",
    ),
    (
        "detainer",
        "A request from ICE that a jail hold someone for up to 48 hours beyond their release, so that ICE can take them into custody.",
    ),
    (
        "plate reader (ALPR)",
        "An automated license-plate reader: a camera that records the plates of passing cars, with the time and place, into a database that others may search.",
    ),
    (
        "sharing list",
        "The agencies an owner of plate-reader data lets search it, as the owner publishes it.",
    ),
    (
        "finding",
        "A search in an audit log whose stated reason, searcher or place the data owner's law or policy questions.",
    ),
    (
        "primary source",
        "A rule read in an official code, opinion or government page.",
    ),
    (
        "secondary source",
        "A rule read in a reputable summary, not yet in the official text.",
    ),
    (
        "unverified",
        "Reported, not confirmed in any source Remit has read.",
    ),
    (
        "technical details",
        "Identifiers and file names, for people who check Remit's work or use its data; closed by default.",
    ),
];

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
