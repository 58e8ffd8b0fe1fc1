//! `/rules`, `/rules/{id}`, `/coverage`, `/sources`, `/vocabulary`: the corpus itself.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use remit_law::vocabulary::WordKind;
use remit_law::{Jurisdiction, Rule};
use serde::Serialize;

use super::ask::{modality_name, provenance_name, source_kind_name, status_name, summary};
use super::{ask_url, corpus_source, place_url, rule_url};
use crate::AppState;
use crate::html::query_string;
use crate::i18n::{self, Lang, count, strings};
use crate::parts;
use crate::response::{Format, Page, Params, Table, WebError};
use maud::{Markup, html};

fn date_text(date: Option<remit_law::Date>) -> String {
    date.map_or_else(String::new, |d| d.to_string())
}

/// A date as the page shows it, in the request's language.
fn shown_date(date: Option<remit_law::Date>) -> String {
    date.map_or_else(String::new, |d| remit_law::lang::date(d, i18n::lang()))
}

/// A place as the page names it, in the request's language.
fn place_name(place: &Jurisdiction) -> String {
    remit_law::lang::place_phrase(place, i18n::lang())
}

/// `/rules?jurisdiction=CA&action=honor_detainer&q=detainer`.
pub async fn list(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let corpus = state.corpus();
    let t = RulesText::current();
    let refused = |error: WebError| {
        super::error_with_form(
            Page::new(t.rules, "/rules", "/rules").with_query(params.raw()),
            format,
            t.rules,
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
    let page = Page::new(t.rules, "/rules", "/rules")
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
            let offset = offset_param(&params);
            let vocabulary = corpus.vocabulary();
            let page_url = |offset: usize| paged_url("/rules", &params, offset);
            let body = html! {
                h1 { (t.rules) }
                p { (list_intro(rules.len(), corpus.rules().len(), place.as_ref())) }
                @if i18n::lang() == Lang::Es { p.note { (t.summaries_in_english) } }
                (filter_form(corpus, &params, action))
                (parts::table(&[t.column_rule, t.column_place, t.column_says, t.column_about, t.column_source, t.column_status, t.column_in_force], html! {
                    @for rule in rules.iter().skip(offset).take(RULES_PER_PAGE) {
                        tr {
                            td { a href=(rule_url(&rule.id)) lang=[i18n::pick(None, Some("en"))] { (rule.summary) } }
                            td { a href=(place_url(rule.jurisdiction.as_str())) { (place_name(&rule.jurisdiction)) } }
                            td { (modality_name(rule.modality)) }
                            td { (rule.actions.iter().map(|a| parts::phrase(vocabulary, WordKind::Action, a)).collect::<Vec<_>>().join("; ")) }
                            td { (parts::external(&rule.source.url, &rule.source.citation)) br; span.note { (provenance_name(rule.provenance)) } }
                            td { (status_name(rule.status)) }
                            td { (shown_date(rule.effective_from)) " – " (shown_date(rule.effective_until)) }
                        }
                    }
                }))
                (parts::pager(offset, RULES_PER_PAGE, rules.len(), page_url))
            };
            page.html(&body.into_string())
        }
    }
}

/// The sentence above the list of rules.
fn list_intro(shown: usize, total: usize, place: Option<&Jurisdiction>) -> String {
    let (shown, total) = (count(shown as u64), count(total as u64));
    match (i18n::lang(), place) {
        (Lang::En, None) => format!(
            "{shown} of the corpus's {total} rules. Each encodes one provision, in its own words, with its source."
        ),
        (Lang::En, Some(place)) => format!(
            "{shown} of the corpus's {total} rules that apply in {} (its own and every level above it). Each encodes one provision, in its own words, with its source.",
            place.phrase()
        ),
        (Lang::Es, None) => format!(
            "{shown} de las {total} normas del corpus. Cada una codifica una disposición, en sus propias palabras, con su fuente."
        ),
        (Lang::Es, Some(place)) => format!(
            "{shown} de las {total} normas del corpus que se aplican en {} (las suyas y las de cada nivel superior). Cada una codifica una disposición, en sus propias palabras, con su fuente.",
            place_name(place)
        ),
    }
}

/// The form that filters the rules, filled with what was asked.
fn filter_form(corpus: &remit_law::Corpus, params: &Params, action: Option<&str>) -> Markup {
    let vocabulary = corpus.vocabulary();
    let t = RulesText::current();
    html! {
        form method="get" action="/rules" {
            label for="jurisdiction" { (t.column_place) } " "
            input type="text" #jurisdiction name="jurisdiction" value=(params.get("jurisdiction").unwrap_or("")) placeholder="CA";
            " " label for="action" { (t.doing_what) } " "
            select #action name="action" {
                option value="" { (t.any) }
                @for name in vocabulary.names(WordKind::Action) {
                    option value=(name) selected[Some(name) == action] { (parts::phrase(vocabulary, WordKind::Action, name)) }
                }
            }
            " " label for="q" { (t.text) } " "
            input type="text" #q name="q" value=(params.get("q").unwrap_or(""));
            " " button type="submit" { (i18n::Common::current().filter) }
        }
    }
}

/// Rules listed per page.
const RULES_PER_PAGE: usize = 50;

/// Places per page of `/coverage`: each row holds a verdict for every action.
const PLACES_PER_PAGE: usize = 25;

/// Sources per page of `/sources`.
const SOURCES_PER_PAGE: usize = 50;

/// The `offset` of a paged list, 0 when absent or not a number.
fn offset_param(params: &Params) -> usize {
    params
        .get("offset")
        .and_then(|o| o.parse::<usize>().ok())
        .unwrap_or(0)
}

/// `path` with the request's parameters and `offset` set: the link to another page of a list.
fn paged_url(path: &str, params: &Params, offset: usize) -> String {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(params.raw().as_bytes())
        .filter(|(key, _)| key != "offset")
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    if offset > 0 {
        pairs.push(("offset".to_string(), offset.to_string()));
    }
    if pairs.is_empty() {
        return path.to_string();
    }
    format!(
        "{path}?{}",
        query_string(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    )
}

/// Whether `text` holds `needle` (lower case), ignoring case and accents.
fn holds(text: &str, needle: &str) -> bool {
    let folded: String = text
        .chars()
        .map(remit_agencies::places::fold_accent)
        .collect::<String>()
        .to_lowercase();
    folded.contains(needle)
}

/// The `q` parameter, lower case and without accents; `None` when absent or blank.
fn needle_param(params: &Params) -> Option<String> {
    params
        .get("q")
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(|q| {
            q.chars()
                .map(remit_agencies::places::fold_accent)
                .collect::<String>()
                .to_lowercase()
        })
}

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
    let t = RulesText::current();
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
                    (t.every_lower)
                } @else {
                    a href=(rule_url(id)) lang=[parts::english_data()] { (corpus.rule(id).map_or(*id, |r| r.source.citation.as_str())) }
                }
            }
        }
    };
    let exception_to: Vec<&str> = rule.exception_to.iter().map(String::as_str).collect();
    let preempts: Vec<&str> = rule.preempts.iter().map(String::as_str).collect();
    // The reason a start date is unknown is the encoder's, in English.
    let start = match (rule.effective_from, rule.effective_not_before) {
        (Some(d), _) => html! { (shown_date(Some(d))) },
        (None, Some(d)) => html! {
            (shown_date(Some(d))) " " (t.at_the_earliest) " "
            (parts::english(rule.effective_unknown_reason.as_deref().unwrap_or(""))) ")"
        },
        (None, None) => html! { (t.no_start) },
    };
    let end = rule
        .effective_until
        .map_or_else(|| t.no_end.to_string(), |d| shown_date(Some(d)));
    let row = |label: &str, value: Markup| {
        html! {
            @if !value.0.is_empty() {
                tr { th scope="row" { (label) } td { (value) } }
            }
        }
    };
    html! {
        h1 { (rule.source.citation) }
        p { strong { (summary(&rule.summary)) } }
        p {
            (parts::external(&rule.source.url, &rule.source.citation))
            " (" (parts::english(&rule.source.title)) ", " (source_kind_name(rule.source.kind)) ") "
            span class={ "tag" @if rule.provenance == remit_law::Provenance::Unverified { " warn" } } { (provenance_name(rule.provenance)) }
            " " span.tag { (status_name(rule.status)) }
        }
        div.scroll {
            table {
                tbody {
                    (row(t.column_place, html! { a href=(place_url(rule.jurisdiction.as_str())) { (place_name(&rule.jurisdiction)) } }))
                    (row(t.column_says, html! { (modality_name(rule.modality)) }))
                    (row(t.binds, html! { (listed(WordKind::Actor, &rule.binds)) }))
                    (row(t.column_about, html! { (listed(WordKind::Action, &rule.actions)) }))
                    (row(t.with_whom, html! { (listed(WordKind::Counterparty, &rule.counterparty)) }))
                    (row(t.why, html! { (listed(WordKind::Purpose, &rule.purpose)) }))
                    (row(t.only_when, html! { @if rule.when.is_some() { (t.condition_holds) } }))
                    (row(t.column_in_force, html! { (t.from) " " (start) " " (t.until) " " (end) }))
                    (row(t.enacted_by, html! {
                        @if let Some(en) = &rule.enacted {
                            (parts::english(&en.citation)) @if let Some(d) = en.date { ", " (shown_date(Some(d))) }
                        }
                    }))
                    (row(t.operative_words, html! { @if let Some(q) = &rule.quote { q lang="en" { (q) } } }))
                    (row(t.column_status, html! {
                        (status_name(rule.status))
                        @if !rule.history.is_empty() {
                            ul {
                                @for event in &rule.history {
                                    li { (event_words(event)) ": " (status_name(event.status)) " (" (parts::external(&event.source.url, &event.source.citation)) ")" }
                                }
                            }
                        }
                    }))
                    @if rule.versions.len() > 1 {
                        (row(t.versions, html! {
                            ol {
                                @for version in &rule.versions {
                                    li {
                                        (t.from) " " (shown_date(Some(version.from)))
                                        @if let Some(en) = &version.enacted { " (" (en.citation) ")" }
                                        ": " (summary(&version.summary))
                                    }
                                }
                            }
                        }))
                    }
                    (row(t.last_read, html! { @if let Some(d) = rule.reviewed { (shown_date(Some(d))) } }))
                    (row(t.binding, html! { @if rule.binding { (t.yes) } @else { (t.not_binding) } }))
                    (row(t.exception_to, links(&exception_to)))
                    (row(t.sets_aside, links(&preempts)))
                    (row(t.exceptions_to_it, links(exceptions)))
                    (row(t.set_aside_by, links(preempted_by)))
                }
            }
        }
        @if !rule.also_cites.is_empty() {
            h2 { (t.also_cites) }
            ul {
                @for source in &rule.also_cites {
                    li { (parts::external(&source.url, &source.citation)) " (" (parts::english(&source.title)) ", " (source_kind_name(source.kind)) ")" }
                }
            }
        }
        @if !scenarios.is_empty() {
            h2 { (t.examples) }
            ul {
                @for scenario in scenarios {
                    li {
                        a href=(ask_url(&scenario.input)) lang=[i18n::pick(None, Some("en"))] { (scenario.question_text) }
                        " (" (t.expected) " " (parts::verdict_words(scenario.expect)) ")"
                    }
                }
            }
        }
        (parts::technical(html! {
            ul {
                li { (t.rule_id) " " code { (rule.id) } }
                li { (t.place_id) " " code { (rule.jurisdiction.as_str()) } }
                @if let Some(when) = &rule.when { li { (t.condition) " " code { (when) } } }
                li { (t.encoded_in) " " code { "corpus/" (rule.location.file) } ", " (t.line) " " (rule.location.line) }
                @if let Some(note) = &rule.note { li { (t.encoder_note) " " span lang="en" { (note) } } }
            }
        }))
    }
}

/// A status event of a rule's history: its date in the request's language, then what happened
/// and the court as the source records them.
fn event_words(event: &remit_law::rule::StatusEvent) -> Markup {
    match i18n::lang() {
        Lang::En => html! { (event.describe()) },
        // The date in the page's language; what happened, the court and the case as the
        // corpus writes them.
        Lang::Es => html! {
            (shown_date(Some(event.date))) ": " (parts::english(&event.event))
            @if event.court.is_some() || event.case.is_some() {
                " ("
                @if let Some(court) = &event.court { (parts::english(court)) }
                @if event.court.is_some() && event.case.is_some() { "; " }
                @if let Some(case) = &event.case { (parts::english(case)) }
                ")"
            }
        },
    }
}

/// `/coverage?date=YYYY-MM-DD`: what the corpus speaks to, place by action.
pub async fn coverage(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let corpus = state.corpus();
    let t = RulesText::current();
    let date = match super::jurisdictions::date_param(&params) {
        Ok(date) => date,
        Err(error) => {
            return super::error_with_form(
                Page::new(t.coverage, "/rules", "/coverage").with_query(params.raw()),
                format,
                t.coverage,
                error,
                html! {
                    form method="get" action="/coverage" {
                        label for="date" { (t.as_of) } " "
                        input type="date" #date name="date" value=(params.get("date").unwrap_or(""));
                        " " button type="submit" { (t.show) }
                    }
                },
            );
        }
    };
    let mut matrix = corpus.coverage(date);
    // `q`: places whose name holds the text, in every form.
    if let Some(needle) = needle_param(&params) {
        matrix.rows.retain(|row| holds(&row.label, &needle));
    }
    let page = Page::new(t.coverage, "/rules", "/coverage")
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
            let mut columns = vec![t.column_place];
            columns.extend(phrases.iter().map(String::as_str));
            // A page of places at a time; each place's own page links every answer (the matrix
            // links only its places, so that a page stays small on a phone).
            let offset = offset_param(&params);
            let first = offset == 0 && params.get("q").is_none_or(|q| q.trim().is_empty());
            let place_link = |id: &str| match params.get("date") {
                Some(date) => format!("{}?{}", place_url(id), query_string([("date", date)])),
                None => place_url(id),
            };
            let body = html! {
                h1 { (t.coverage_on) " " (shown_date(Some(date))) }
                p { (t.coverage_intro) }
                @if first { (families_map(&matrix)) }
                form method="get" action="/coverage" {
                    label for="q" { (t.column_place) } " "
                    input type="text" #q name="q" value=(params.get("q").unwrap_or("")) placeholder="Texas";
                    @if let Some(date) = params.get("date") {
                        input type="hidden" name="date" value=(date);
                    }
                    " " button type="submit" { (i18n::Common::current().filter) }
                }
                (parts::table(&columns, html! {
                    @for row in matrix.rows.iter().skip(offset).take(PLACES_PER_PAGE) {
                        tr {
                            th scope="row" { a href=(place_link(&row.jurisdiction)) { (row.label) } }
                            @for cell in &row.cells {
                                td {
                                    (parts::verdict(cell.verdict))
                                    @if cell.rules_here > 0 { " " (count(cell.rules_here as u64)) }
                                }
                            }
                        }
                    }
                }))
                (parts::pager(offset, PLACES_PER_PAGE, matrix.rows.len(), |offset| paged_url("/coverage", &params, offset)))
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
    let t = RulesText::current();
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
                label: match i18n::lang() {
                    Lang::En => format!(
                        "{}: {encoded} of {total} question families encoded",
                        state.name
                    ),
                    Lang::Es => format!(
                        "{}: {encoded} de {total} familias de preguntas codificadas",
                        state.name
                    ),
                },
                href: Some(place_url(&state.code)),
            })
        })
        .collect();
    // The map and its key are drawn by the map module, which writes SVG whose text it escapes.
    let drawn = super::map::geo_map(
        map,
        &super::map::MapView {
            title: t.map_title,
            description: t.map_description,
            counties: false,
            focus: None,
            selected: None,
            id: "families-map",
        },
        &shades,
    );
    html! {
        h2 { (t.families_heading) }
        p { (families_intro(total)) }
        div.map { (drawn) }
        (super::map::key(&super::map::shade_bounds(&shades), i18n::pick(("question family", "question families"), ("familia de preguntas", "familias de preguntas"))))
        details {
            summary { (t.numbers_by_state) }
            (parts::table(&[t.column_state, t.families_encoded, t.searched_none, t.not_reviewed], html! {
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
        h2 { (t.every_place) }
    }
}

/// The sentence above the map of question families.
fn families_intro(total: usize) -> String {
    match i18n::lang() {
        Lang::En => format!(
            "How many of the {total} families of questions (detainers, status questions, data sharing, ...) each state's own rules answer; a state with few may still be searched and found silent, as the table says. Follow a state to its rules."
        ),
        Lang::Es => format!(
            "Cuántas de las {total} familias de preguntas (órdenes de detención migratoria, preguntas sobre el estatus migratorio, intercambio de datos, ...) responden las normas propias de cada estado; un estado con pocas puede haberse revisado sin encontrar nada, como indica la tabla. Siga un estado para ver sus normas."
        ),
    }
}

/// `/sources`: every cited source and the rules that cite it.
pub async fn sources(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let corpus = state.corpus();
    let mut sources = corpus.sources();
    // `q`: sources whose citation or title holds the text, in every form.
    if let Some(needle) = needle_param(&params) {
        sources.retain(|s| holds(&s.citation, &needle) || holds(&s.title, &needle));
    }
    let t = RulesText::current();
    let page = Page::new(t.sources, "/rules", "/sources")
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
            let offset = offset_param(&params);
            let body = html! {
                h1 { (t.sources) }
                p { (sources_intro(sources.len())) }
                @if i18n::lang() == Lang::Es { p.note { (t.summaries_in_english) } }
                form method="get" action="/sources" {
                    label for="q" { (t.text) } " "
                    input type="text" #q name="q" value=(params.get("q").unwrap_or("")) placeholder="Trust Act";
                    " " button type="submit" { (i18n::Common::current().filter) }
                }
                (parts::table(&[t.column_citation, t.column_title, t.column_kind, t.column_provenance, t.column_citing], html! {
                    @for source in sources.iter().skip(offset).take(SOURCES_PER_PAGE) {
                        tr {
                            td { (parts::external(&source.url, &source.citation)) }
                            td { (parts::english(&source.title)) }
                            td { (source_kind_name(source.kind)) }
                            td { (provenance_name(source.provenance)) }
                            td {
                                @for (index, id) in source.rules.iter().enumerate() {
                                    @if index > 0 { ", " }
                                    // The rule by what it says: its id is on its page.
                                    a href=(rule_url(id)) lang=[i18n::pick(None, Some("en"))] {
                                        (corpus.rule(id).map_or_else(|| format!("{} {}", t.rule_word, index + 1), |rule| rule.summary.clone()))
                                    }
                                }
                            }
                        }
                    }
                }))
                (parts::pager(offset, SOURCES_PER_PAGE, sources.len(), |offset| paged_url("/sources", &params, offset)))
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

/// The sentence above the list of sources.
fn sources_intro(total: usize) -> Markup {
    match i18n::lang() {
        Lang::En => html! {
            "The " (total) " documents the corpus cites. Provenance is the weakest among the rules citing each: "
            em { "primary" } " (read in an official code, opinion or government page), "
            em { "secondary" } " (a reputable summary), " em { "unverified" } " (reported, not confirmed)."
        },
        Lang::Es => html! {
            "Los " (count(total as u64)) " documentos que cita el corpus. La procedencia es la más débil entre las normas que citan cada uno: "
            em { "primaria" } " (leída en un código oficial, una sentencia o una página del gobierno), "
            em { "secundaria" } " (un resumen fiable), " em { "sin verificar" } " (informada, no confirmada)."
        },
    }
}

/// `/vocabulary`: the words questions and rules use.
pub async fn vocabulary(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let corpus = state.corpus();
    let v = corpus.vocabulary();
    let t = RulesText::current();
    let page = Page::new(t.glossary, "/rules", "/vocabulary")
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
                        v.definition_in(kind, name, i18n::lang())
                            .unwrap_or("")
                            .to_string(),
                    ]);
                }
            }
            page.csv(&table)
        }
        Format::Html => {
            let body = html! {
                h1 { (t.glossary) }
                p { (t.glossary_intro) }
                @for (label, kind) in kinds {
                    @let heading = glossary_heading(label);
                    h2 #(label) { (heading) }
                    (parts::table(&[t.term, t.meaning], html! {
                        @for name in v.names(kind) {
                            tr {
                                td { (parts::phrase(v, kind, name)) }
                                td { (v.definition_in(kind, name, i18n::lang()).unwrap_or("")) }
                            }
                        }
                    }))
                    (parts::technical(html! {
                        p { (t.program_words) }
                        ul { @for name in v.names(kind) { li { code { (name) } } } }
                    }))
                }
                h2 #terms { (t.other_terms) }
                dl {
                    @for (term, meaning) in i18n::pick(GLOSSARY, GLOSSARY_ES) {
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
    let t = RulesText::current();
    match kind {
        "actor" => t.who_acts,
        "counterparty" => t.with_whom,
        "action" => t.doing_what,
        "purpose" => t.why,
        _ => t.facts,
    }
}

/// [`GLOSSARY`] in Spanish.
const GLOSSARY_ES: &[(&str, &str)] = &[
    (
        "no debe",
        "La ley lo prohíbe: una norma dice que no, y ninguna excepción ni ley de rango superior lo deja sin efecto.",
    ),
    (
        "debe",
        "La ley lo exige, y nada deja sin efecto esa exigencia.",
    ),
    ("puede", "La ley lo permite, pero no lo exige."),
    (
        "conflicto",
        "Las normas se contradicen: una lo prohíbe y otra lo exige.",
    ),
    (
        "no se encontró ninguna norma",
        "Ninguna norma que tiene Remit trata este caso; eso no significa que el acto sea legal.",
    ),
    (
        "depende",
        "La respuesta depende de un hecho o una finalidad que la pregunta no indica.",
    ),
    (
        "sin efecto",
        "Una norma que se aplicaría pero no se aplica, porque una excepción excluye el caso o una ley de rango superior (una ley estatal sobre la de una ciudad, la ley federal sobre la de un estado) prevalece sobre ella.",
    ),
    (
        "acuerdo 287(g)",
        "Un acuerdo según la sección 287(g) de la Ley de Inmigración y Nacionalidad por el que ICE delega ciertas facultades de control migratorio en una agencia estatal o local.",
    ),
    (
        "orden de detención migratoria (detainer)",
        "Una solicitud de ICE para que una cárcel retenga a una persona hasta 48 horas después de su liberación, para que ICE pueda ponerla bajo su custodia.",
    ),
    (
        "lector de placas (ALPR)",
        "Un lector automático de placas: una cámara que registra las placas de los vehículos que pasan, con la hora y el lugar, en una base de datos que otros pueden consultar.",
    ),
    (
        "lista de intercambio de datos",
        "Las agencias a las que el propietario de los datos de lectores de placas permite consultarlos, tal como el propietario las publica.",
    ),
    (
        "búsqueda señalada",
        "Una búsqueda de un registro de auditoría cuyo motivo, autor o lugar pone en duda la ley o la política del propietario de los datos.",
    ),
    (
        "fuente primaria",
        "Una norma leída en un código oficial, una sentencia o una página del gobierno.",
    ),
    (
        "fuente secundaria",
        "Una norma leída en un resumen fiable, aún no en el texto oficial.",
    ),
    (
        "sin verificar",
        "Informada, pero no confirmada en ninguna fuente que Remit haya leído.",
    ),
    (
        "detalles técnicos",
        "Identificadores y nombres de archivo, para quienes comprueban el trabajo de Remit o usan sus datos; cerrados de forma predeterminada.",
    ),
];

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

strings! {
    /// The words of the rules, coverage, sources and glossary pages.
    pub struct RulesText {
        rules: "Rules", "Normas";
        summaries_in_english: "Rule summaries are in English, as are the sources they cite.", "Los resúmenes de las normas están en inglés, como las fuentes que citan.";
        column_rule: "Rule", "Norma";
        column_place: "Place", "Lugar";
        column_says: "Says", "Dice";
        column_about: "About", "Sobre";
        column_source: "Source", "Fuente";
        column_status: "Status", "Estado";
        column_in_force: "In force", "Vigencia";
        column_state: "State", "Estado";
        doing_what: "Doing what", "Haciendo qué";
        any: "any", "cualquiera";
        text: "Text", "Texto";
        every_lower: "every rule of a lower level", "cada norma de un nivel inferior";
        at_the_earliest: "at the earliest (start date unknown:", "como muy pronto (fecha de inicio desconocida:";
        no_start: "(no start date)", "(sin fecha de inicio)";
        no_end: "(no end date)", "(sin fecha de fin)";
        binds: "Binds", "Obliga a";
        with_whom: "With or for whom", "Con quién o para quién";
        why: "Why", "Para qué";
        who_acts: "Who acts", "Quién actúa";
        facts: "Facts", "Hechos";
        only_when: "Only when", "Solo cuando";
        condition_holds: "a condition holds (see the technical details below)", "se cumple una condición (vea los detalles técnicos más abajo)";
        from: "from", "desde";
        until: "until", "hasta";
        enacted_by: "Enacted by", "Aprobada por";
        operative_words: "Operative words", "Texto operativo";
        versions: "Versions", "Versiones";
        last_read: "Last read against its source", "Última lectura frente a su fuente";
        binding: "Binding", "Vinculante";
        yes: "yes", "sí";
        not_binding: "no (guidance or context)", "no (orientación o contexto)";
        exception_to: "An exception to", "Excepción a";
        sets_aside: "Sets aside", "Deja sin efecto";
        exceptions_to_it: "Exceptions to it", "Sus excepciones";
        set_aside_by: "Set aside by", "Dejada sin efecto por";
        also_cites: "Also cites", "También cita";
        examples: "Example questions that name this rule", "Preguntas de ejemplo que nombran esta norma";
        expected: "expected:", "respuesta esperada:";
        rule_id: "Rule id:", "Identificador de la norma:";
        place_id: "Place id:", "Identificador del lugar:";
        condition: "Condition:", "Condición:";
        encoded_in: "Encoded in", "Codificada en";
        line: "line", "línea";
        encoder_note: "The encoder's note:", "Nota de quien la codificó:";
        coverage: "Coverage", "Cobertura";
        as_of: "As of", "A fecha de";
        show: "Show", "Mostrar";
        coverage_on: "Coverage on", "Cobertura al";
        coverage_intro: "For every place with rules and every action: the verdict for the usual question (the officer or body the action most concerns, with federal immigration authorities, for no stated purpose, with no facts), counting every level above the place. A number is how many rules of the place itself name the action. Open a place for its own table, with a link to each answer and its reasons.", "Para cada lugar con normas y cada acción: la respuesta a la pregunta habitual (el agente o el organismo al que más concierne la acción, con las autoridades federales de inmigración, sin una finalidad indicada, sin hechos), contando cada nivel superior al lugar. Un número indica cuántas normas del propio lugar nombran la acción. Abra un lugar para ver su propia tabla, con un enlace a cada respuesta y sus razones.";
        map_title: "Question families encoded per state", "Familias de preguntas codificadas por estado";
        map_description: "A map of the states, DC and the territories, each shaded by how many question families its own rules answer and linked to its rules; the numbers are in the table below the map.", "Un mapa de los estados, DC y los territorios, cada uno sombreado según cuántas familias de preguntas responden sus propias normas y enlazado con sus normas; los números están en la tabla debajo del mapa.";
        families_heading: "Question families encoded, by state", "Familias de preguntas codificadas, por estado";
        numbers_by_state: "The numbers by state", "Los números por estado";
        families_encoded: "Families encoded", "Familias codificadas";
        searched_none: "Searched, none found", "Revisado, sin resultados";
        not_reviewed: "Not yet reviewed", "Aún no revisado";
        every_place: "Every place and action", "Cada lugar y cada acción";
        sources: "Sources", "Fuentes";
        column_citation: "Citation", "Cita";
        column_title: "Title", "Título";
        column_kind: "Kind", "Tipo";
        column_provenance: "Provenance", "Procedencia";
        column_citing: "Rules citing it", "Normas que la citan";
        rule_word: "rule", "norma";
        glossary: "Glossary", "Glosario";
        glossary_intro: "The words Remit's questions, rules and findings use, as the pages write them, with what each means. Programs use a short word for each (in the technical details under each list).", "Las palabras que usan las preguntas, las normas y los hallazgos de Remit, tal como las escriben las páginas, con lo que significa cada una (las definiciones están en inglés, el idioma del corpus). Los programas usan una palabra corta para cada una (en los detalles técnicos bajo cada lista).";
        term: "Term", "Término";
        meaning: "Meaning", "Significado";
        program_words: "The words programs use for these, in the same order:", "Las palabras que usan los programas para estos términos, en el mismo orden:";
        other_terms: "Other terms on these pages", "Otros términos de estas páginas";
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
