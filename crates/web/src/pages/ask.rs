//! `/ask`: the question form in plain words, and the answer with every reason.
//!
//! The form is sent with GET, so every question has its own address that can be bookmarked,
//! shared and fetched as JSON (`/ask.json?...`, the API: the law engine's `Answer` in the
//! envelope) or as CSV (`/ask.csv?...`: the trace, one row per rule considered).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use remit_law::answer::TraceEntry;
use remit_law::context::{Figure, ListingMatch};
use remit_law::jurisdiction::STATES;
use remit_law::vocabulary::WordKind;
use remit_law::{Answer, Citation, Corpus, Modality, Provenance, QuestionInput, Status};

use maud::{Markup, html};

use super::{ask_url, corpus_source, example_question, place_url, rule_url, verdict_meaning};
use crate::html::words;
use crate::i18n::{self, Common, Lang, count, strings};
use crate::parts;
use crate::response::{Format, Page, Params, Table, WebError};
use crate::{AppState, today};

/// The question as read from the query string.
fn input_from(params: &Params) -> QuestionInput {
    QuestionInput {
        place: params
            .get("where")
            .or_else(|| params.get("place"))
            .unwrap_or("")
            .to_string(),
        date: params.get("date").map(str::to_string),
        actor: params.get("actor").unwrap_or("").to_string(),
        action: params.get("action").unwrap_or("").to_string(),
        counterparty: params.get("counterparty").map(str::to_string),
        purpose: params.get("purpose").map(str::to_string),
        facts: params.all("fact"),
    }
}

/// A place as people name it, read as `remit ask --where` reads it (`remit_agencies::places`):
/// `Dallas, TX`, `Harris County, Texas`, a state, an OCD id in any case, `NYC`, or an agency read
/// as the division whose rules bind it (with the app's agency directory); ids the corpus has
/// rules for are always accepted. Never an invented place: unknown and ambiguous names are
/// errors listing the candidates.
pub(crate) fn read_place(
    state: &AppState,
    text: &str,
) -> Result<remit_agencies::PlaceReading, remit_agencies::PlaceError> {
    let corpus = state.corpus();
    remit_agencies::PlaceReader::new()
        .with_resolver(state.resolver())
        .with_known_ids(|id| corpus.rules().iter().any(|r| r.jurisdiction.as_str() == id))
        .read(text)
}

/// The sentence saying how a "where" was read, when it was not an id or a state as written; the
/// division's id goes in the technical details.
fn reading_note(input: &str, reading: &remit_agencies::PlaceReading) -> Option<Markup> {
    reading.note(input)?;
    // The other places of the name, each as typed: written as text here, so escaped once.
    let others = reading.others_phrase(|typed| format!("“{typed}”"));
    let t = AskText::current();
    // The place's name in the page's language ("a community in Jefferson Parish with no police
    // department of its own" / "una comunidad de ... sin departamento de policía propio").
    let label = match i18n::lang() {
        Lang::En => reading.label.as_str(),
        Lang::Es => reading.label_es.as_str(),
    };
    Some(html! {
        p.note {
            @match &reading.read_as {
                remit_agencies::places::ReadAs::Agency { name, ori } => {
                    "“" (input.trim()) "” " (t.read_as) " " strong { (name) }
                    @if let Some(ori) = ori { " (" (ori) ")" }
                    (t.so_the_place) " " (label) "."
                }
                _ => { "“" (input.trim()) "” " (t.read_as) " " strong { (label) } "." }
            }
            // The other readings are the place reader's English sentence; a Spanish page shows
            // the names alone.
            @if let Some(others) = others {
                @match i18n::lang() {
                    Lang::En => { " It is " (others) "." }
                    Lang::Es => {}
                }
            }
        }
        (parts::technical(html! { p { (t.place_id) " " code { (reading.id) } } }))
    })
}

/// One problem with the question, for the form and the JSON error.
struct Problem {
    message: String,
    help: Option<String>,
}

/// Checks the question; the date defaults to today.
fn check(corpus: &Corpus, input: &QuestionInput) -> Result<remit_law::Question, Vec<Problem>> {
    let mut missing = Vec::new();
    for (field, value) in [
        ("where", &input.place),
        ("actor", &input.actor),
        ("action", &input.action),
    ] {
        if value.is_empty() {
            let t = AskText::current();
            missing.push(Problem {
                message: format!("`{field}`: {}", t.no_value),
                help: Some(match (field, i18n::lang()) {
                    ("where", _) => t.where_help.to_string(),
                    (_, Lang::En) => {
                        format!("choose one from the form, or see `/vocabulary` for every {field}")
                    }
                    (_, Lang::Es) => format!(
                        "elija una opción del formulario, o vea en `/vocabulary` todas las opciones de `{field}`"
                    ),
                }),
            });
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut dated = input.clone();
    if dated.date.is_none() {
        dated.date = Some(today().to_string());
    }
    corpus.question(&dated).map_err(|errors| {
        errors
            .iter()
            .map(|error| Problem {
                message: error.to_string(),
                help: error.help(),
            })
            .collect()
    })
}

pub async fn page(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let corpus = state.corpus();
    let input = input_from(&params);
    let asked = !params.is_empty();
    // The trace is the page's table: without a question there is none, and no CSV twin to link.
    let t = AskText::current();
    let lang = i18n::lang();
    let page = Page::new(t.title, "/ask", "/ask")
        .with_query(params.raw())
        .with_sources(vec![corpus_source(corpus)]);
    let page = if asked { page.with_csv() } else { page };
    // "where" is read as one division (a name, a state, an id, or an agency whose rules bind it),
    // and the page says how the name was read; a "where" that reads as none is the first problem.
    let reading = (!input.place.trim().is_empty()).then(|| read_place(&state, &input.place));
    let result = asked.then(|| {
        let mut asked = input.clone();
        let mut where_problem = None;
        match &reading {
            Some(Ok(reading)) => asked.place.clone_from(&reading.id),
            Some(Err(error)) => {
                where_problem = Some(Problem {
                    message: format!("`where`: {error}"),
                    help: Some(error.help()),
                });
                // Checked with the whole country, so that the other fields' problems show too.
                asked.place = remit_law::jurisdiction::UNITED_STATES.to_string();
            }
            None => {}
        }
        match (check(corpus, &asked), where_problem) {
            (checked, None) => checked,
            (Ok(_), Some(problem)) => Err(vec![problem]),
            (Err(mut problems), Some(problem)) => {
                problems.insert(0, problem);
                Err(problems)
            }
        }
    });
    match format {
        Format::Json if result.is_none() => {
            // Without a question, the JSON twin says how to ask one: the fields and the words each
            // takes, with their definitions.
            let vocabulary = corpus.vocabulary();
            page.json(&serde_json::json!({
                "question": "Give `where`, `actor` and `action` (and optionally `date`, `counterparty`, `purpose` and `fact`) to get the law's answer.",
                "fields": {
                    "where": "a place as people name it (`Dallas, TX`), a state, an OCD division id, or an agency name",
                    "date": "optional: 2026-12-07 (default today, UTC)",
                    "actor": vocabulary.actors(),
                    "action": vocabulary.actions(),
                    "counterparty": vocabulary.counterparties(),
                    "purpose": vocabulary.purposes(),
                    "fact": vocabulary.facts(),
                },
                "example": "/ask.json?where=CA&actor=local_police&action=share_alpr_data&counterparty=out_of_state_agency",
            }))
        }
        Format::Csv if result.is_none() => {
            // Without a question, the CSV twin is the same description as a table: one row per
            // field that takes free text and per word a field allows.
            Page { csv: true, ..page }.csv(&question_fields(corpus))
        }
        Format::Json | Format::Csv => match result {
            None => WebError::bad_request("no question given")
                .with_help("e.g. `/ask.json?where=CA&actor=local_police&action=share_alpr_data&counterparty=out_of_state_agency`")
                .into_response(),
            Some(Err(problems)) => problem_error(&problems).into_response(),
            Some(Ok(question)) => {
                let answer = corpus.answer_in(&question, lang);
                if format == Format::Json {
                    page.json(&answer)
                } else {
                    page.csv(&trace_table(&answer.trace))
                }
            }
        },
        Format::Html => match &result {
            Some(Ok(question)) => {
                let answer = corpus.answer_in(question, lang);
                let title = match lang {
                    Lang::En => format!(
                        "{}: {}",
                        answer.verdict.name().replace('_', " "),
                        answer.question.place_label
                    ),
                    Lang::Es => format!(
                        "{}: {}",
                        parts::verdict_words(answer.verdict),
                        answer.question.place_label
                    ),
                };
                let note = reading
                    .as_ref()
                    .and_then(|r| r.as_ref().ok())
                    .and_then(|r| reading_note(&input.place, r));
                let body = html! {
                    @if let Some(note) = note { (note) }
                    (render_answer(corpus, &answer, &input))
                    h2 { (t.ask_another) }
                    (render_form(corpus, &suggested_places(&state), &input, &[]))
                };
                Page { title, ..page }.html(&body.into_string())
            }
            Some(Err(problems)) => {
                let body = html! {
                    h1 { (t.heading) }
                    (render_form(corpus, &suggested_places(&state), &input, problems))
                    (render_examples(corpus))
                };
                let mut response = page.html(&body.into_string());
                *response.status_mut() = StatusCode::BAD_REQUEST;
                response
            }
            None => {
                let body = html! {
                    h1 { (t.heading) }
                    p { (t.intro) }
                    (render_form(corpus, &suggested_places(&state), &input, &[]))
                    (render_examples(corpus))
                };
                page.html(&body.into_string())
            }
        },
    }
}

/// The question's fields as a table: `where` and `date` with what they take, then every word each
/// other field allows, with its phrase and its definition.
fn question_fields(corpus: &Corpus) -> Table {
    let vocabulary = corpus.vocabulary();
    let mut table = Table::new(&["field", "word", "phrase", "meaning", "required"]);
    table.push(vec![
        "where".to_string(),
        String::new(),
        String::new(),
        "a place as people name it (Dallas, TX), a state, an OCD division id, or an agency name"
            .to_string(),
        "yes".to_string(),
    ]);
    table.push(vec![
        "date".to_string(),
        String::new(),
        String::new(),
        "the day the law is read for, as 2026-12-07 (default today, UTC)".to_string(),
        "no".to_string(),
    ]);
    for (field, kind, required) in [
        ("actor", WordKind::Actor, "yes"),
        ("action", WordKind::Action, "yes"),
        ("counterparty", WordKind::Counterparty, "no"),
        ("purpose", WordKind::Purpose, "no"),
        ("fact", WordKind::Fact, "no"),
    ] {
        for name in vocabulary.names(kind) {
            table.push(vec![
                field.to_string(),
                name.to_string(),
                parts::phrase(vocabulary, kind, name),
                vocabulary
                    .definition_in(kind, name, i18n::lang())
                    .unwrap_or("")
                    .to_string(),
                required.to_string(),
            ]);
        }
    }
    table
}

fn problem_error(problems: &[Problem]) -> WebError {
    let message = problems
        .iter()
        .map(|p| p.message.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let help = problems
        .iter()
        .filter_map(|p| p.help.as_deref())
        .collect::<Vec<_>>()
        .join("; ");
    let error = WebError::bad_request(message);
    if help.is_empty() {
        error
    } else {
        error.with_help(help)
    }
}

fn trace_table(trace: &[TraceEntry]) -> Table {
    let mut table = Table::new(&["rule", "jurisdiction", "modality", "outcome", "reasons"]);
    for entry in trace {
        table.push(vec![
            entry.rule.clone(),
            entry.jurisdiction.clone(),
            modality_name(entry.modality).to_string(),
            entry.outcome.to_string(),
            entry.reasons.join("; "),
        ]);
    }
    table
}

/// What a rule does, in a word of the request's language (`prohibited`, `prohibida`).
pub fn modality_name(modality: Modality) -> &'static str {
    let t = AskText::current();
    match modality {
        Modality::Prohibited => t.prohibited,
        Modality::Required => t.required,
        Modality::Permitted => t.permitted,
    }
}

/// How sure the encoding is of its source, in the request's language.
pub fn provenance_name(provenance: Provenance) -> &'static str {
    let t = AskText::current();
    match provenance {
        Provenance::Primary => t.primary_source,
        Provenance::Secondary => t.secondary_source,
        Provenance::Unverified => t.unverified,
    }
}

/// A rule's legal status, in the request's language.
pub fn status_name(status: Status) -> &'static str {
    let t = AskText::current();
    match status {
        Status::InForce => t.in_force,
        Status::Enjoined => t.blocked,
        Status::Stayed => t.suspended,
        Status::Vacated => t.struck_down,
        Status::Repealed => t.repealed,
        Status::Contested => t.challenged,
    }
}

/// The kind of a source (`statute`, `ley`), in the request's language.
pub fn source_kind_name(kind: remit_law::rule::SourceKind) -> &'static str {
    use remit_law::rule::SourceKind as K;
    match i18n::lang() {
        Lang::En => kind.label(),
        Lang::Es => match kind {
            K::Constitution => "constitución",
            K::Statute => "ley",
            K::Regulation => "reglamento",
            K::CourtDecision => "decisión judicial",
            K::ExecutiveOrder => "orden ejecutiva",
            K::AgDirective => "directiva del fiscal general",
            K::Ordinance => "ordenanza",
            K::Resolution => "resolución",
            K::AgencyPolicy => "política de la agencia",
            K::Agreement => "acuerdo",
            K::Guidance => "orientación",
        },
    }
}

/// A rule summary as the page shows it: as written (in English), marked as English on a Spanish
/// page.
pub fn summary(text: &str) -> Markup {
    html! {
        @match i18n::lang() {
            Lang::En => (text),
            Lang::Es => { span lang="en" { (text) } " " span.note { "(" (Common::current().summary_in_english) ")" } },
        }
    }
}

/// The form, filled with what was asked, with problems shown above it.
/// The counties and cities with rules of their own, as the form suggests them: each named as the
/// place reader names it (`Prince George's County, Maryland`), so that a suggestion reads back as
/// that place.
fn suggested_places(state: &AppState) -> Vec<String> {
    state
        .corpus()
        .jurisdictions()
        .into_iter()
        .filter(|j| j.depth() > 2)
        .map(|j| {
            read_place(state, j.as_str())
                .ok()
                .filter(|reading| reading.id == j.as_str())
                .map_or_else(|| j.phrase(), |reading| reading.label)
        })
        .collect()
}

fn render_form(
    corpus: &Corpus,
    places: &[String],
    input: &QuestionInput,
    problems: &[Problem],
) -> Markup {
    let vocabulary = corpus.vocabulary();
    let problems: Vec<(String, Option<String>)> = problems
        .iter()
        .map(|p| (p.message.clone(), p.help.clone()))
        .collect();
    let date = input.date.clone().unwrap_or_else(|| today().to_string());
    let t = AskText::current();
    let select = |id: &str,
                  label: &str,
                  hint: &str,
                  kind: WordKind,
                  chosen: &str,
                  blank: Option<&str>| {
        html! {
            label for=(id) { (label) span.hint { (hint) } }
            div {
                select id=(id) name=(id) required[blank.is_some()] {
                    @if let Some(blank) = blank { option value="" { (blank) } }
                    @for name in vocabulary.names(kind) {
                        // The vocabulary's phrase ("share plate-reader data"), short enough for a
                        // phone's menu; the definition goes in the option's title.
                        option value=(name) selected[name == chosen] title=[definition_title(vocabulary, kind, name)] {
                            (parts::phrase(vocabulary, kind, name))
                        }
                    }
                }
            }
        }
    };
    html! {
        (parts::problems(t.cannot_answer, &problems))
        form.ask method="get" action="/ask" {
            label for="where" { (t.where_label) span.hint { (t.where_hint) } }
            div {
                input type="text" #where name="where" list="places" required value=(input.place) size="48";
                datalist #places {
                    @for (code, name, _) in STATES { option value=(code) { (name) } }
                    @for place in places { option value=(place) { (place) } }
                }
            }
            label for="date" { (t.date_label) span.hint { (t.date_hint) } }
            div { input type="date" #date name="date" value=(date); }
            (select("actor", t.actor_label, t.actor_hint, WordKind::Actor, &input.actor, Some(t.actor_blank)))
            (select("action", t.action_label, t.action_hint, WordKind::Action, &input.action, Some(t.action_blank)))
            (select("counterparty", t.counterparty_label, t.counterparty_hint, WordKind::Counterparty, input.counterparty.as_deref().unwrap_or("federal_immigration"), None))
            (select("purpose", t.purpose_label, t.purpose_hint, WordKind::Purpose, input.purpose.as_deref().unwrap_or("unspecified"), None))
            span { strong { (t.facts_label) } span.hint { (t.facts_hint) } }
            div {
                details open[!input.facts.is_empty()] {
                    summary { (count(input.facts.len() as u64)) " " (i18n::plural(input.facts.len() as u64, t.facts_ticked)) }
                    fieldset {
                        legend { (t.facts) }
                        @for name in vocabulary.names(WordKind::Fact) {
                            label {
                                input type="checkbox" name="fact" value=(name) checked[input.facts.iter().any(|f| f == name)];
                                " " (fact_definition(vocabulary, name))
                            }
                        }
                    }
                }
            }
            span {}
            div { button type="submit" { (t.ask) } }
        }
    }
}

/// Questions from the corpus's own scenarios, as links.
fn render_examples(corpus: &Corpus) -> Markup {
    let mut seen_files = Vec::new();
    let mut examples = Vec::new();
    for scenario in corpus.scenarios() {
        if seen_files.contains(&scenario.file) || seen_files.len() >= 15 {
            continue;
        }
        seen_files.push(scenario.file.clone());
        examples.push((ask_url(&scenario.input), scenario.question_text.as_str()));
    }
    let t = AskText::current();
    html! {
        h2 { (t.examples) }
        ul {
            li { a href=(ask_url(&example_question())) { (t.example_california) } }
            @for (url, text) in &examples {
                li {
                    a href=(url) lang=[(i18n::lang() == Lang::Es).then_some("en")] { (text) }
                    @if i18n::lang() == Lang::Es { " " span.note { (t.in_english) } }
                }
            }
        }
        p.note { (t.examples_note) }
    }
}

fn citation_item(citation: &Citation) -> Markup {
    let t = AskText::current();
    html! {
        li {
            strong { (parts::external(&citation.url, &citation.citation)) }
            " (" (parts::english(&citation.title)) ") "
            (remit_law::lang::modality_verb(citation.modality, i18n::lang()))
            " "
            span class={ "tag" @if citation.provenance == Provenance::Unverified { " warn" } } { (provenance_name(citation.provenance)) }
            @if citation.status != Status::InForce {
                " " span.tag.warn { (status_name(citation.status)) }
            }
            br;
            (summary(&citation.summary))
            br;
            span.note {
                a href=(rule_url(&citation.id)) { (t.how_encoded) }
                " · " (source_kind_name(citation.kind))
                @for also in &citation.also_cites {
                    " · " (t.see_also) " " (parts::external(&also.url, &also.citation))
                }
            }
        }
    }
}

/// The purpose word of a branch's purpose phrase.
fn purpose_word(phrase: &str) -> Option<&'static str> {
    [
        (
            "civil immigration enforcement",
            "civil_immigration_enforcement",
        ),
        ("a criminal investigation", "criminal_investigation"),
        ("interpretation", "interpretation"),
        ("traffic enforcement", "traffic_enforcement"),
        (
            "an investigation of reproductive health care",
            "reproductive_health_investigation",
        ),
        (
            "monitoring speech, assembly, protest or religious activity",
            "first_amendment_activity",
        ),
    ]
    .iter()
    .find(|(p, _)| *p == phrase)
    .map(|(_, w)| *w)
}

fn render_answer(corpus: &Corpus, answer: &Answer, input: &QuestionInput) -> Markup {
    let q = &answer.question;
    let v = corpus.vocabulary();
    let facts: Vec<String> = q
        .facts
        .iter()
        .map(|f| parts::phrase(v, WordKind::Fact, f))
        .collect();
    let not_facts: Vec<String> = q
        .not_facts
        .iter()
        .map(|f| parts::phrase(v, WordKind::Fact, f))
        .collect();
    // The branches of a "depends" answer, each with the address of its settled question.
    let mut branches = Vec::new();
    let mut none = input.clone();
    for branch in &answer.branches {
        let mut with = input.clone();
        match branch.matching {
            remit_law::depends::Match::All => with.facts.extend(branch.facts.iter().cloned()),
            remit_law::depends::Match::Any => with.facts.extend(branch.facts.first().cloned()),
        }
        if let Some(purpose) = &branch.purpose
            && let Some(word) = branch
                .purpose_word
                .as_deref()
                .or_else(|| purpose_word(purpose))
        {
            with.purpose = Some(word.to_string());
        }
        // A branch on a narrower agency (ICE, asked about any federal immigration authority)
        // asks again naming it.
        if let Some(word) = &branch.counterparty_word {
            with.counterparty = Some(word.clone());
        }
        for fact in &branch.facts {
            let negated = format!("!{fact}");
            if !none.facts.contains(&negated) {
                none.facts.push(negated);
            }
        }
        let cited: Vec<&str> = branch
            .determining
            .iter()
            .map(|c| c.citation.as_str())
            .collect();
        branches.push((
            ask_url(&with),
            branch.condition_text(),
            branch.verdict,
            cited.join("; "),
        ));
    }
    let t = AskText::current();
    let rule_citation = |id: &str| {
        corpus
            .rule(id)
            .map_or_else(|| t.the_rule.to_string(), |r| r.source.citation.clone())
    };
    html! {
        section aria-labelledby="verdict" {
            h1 #verdict {
                span class={ "verdict v-" (answer.verdict.name()) } {
                    @match i18n::lang() {
                        Lang::En => (answer.verdict.name().replace('_', " ")),
                        Lang::Es => (parts::verdict_words(answer.verdict)),
                    }
                }
            }
            p.headline { strong { (answer.headline) } }
            p.note { (verdict_meaning(answer.verdict)) "." }
            p {
                (t.asked_about) " " a href=(place_url(&q.place)) { (q.place_label) } " " (t.on) " " (i18n::date(&q.date)) ": "
                (t.who_acts) " " em { (parts::phrase(v, WordKind::Actor, &q.actor)) }
                "; " (t.doing_what) " " em { (parts::phrase(v, WordKind::Action, &q.action)) }
                "; " (t.with_whom) " " em { (parts::phrase(v, WordKind::Counterparty, &q.counterparty)) }
                "; " (t.why) " " em { (parts::phrase(v, WordKind::Purpose, &q.purpose)) }
                @if facts.is_empty() { "; " (t.no_facts) } @else { "; " (t.facts_colon) " " (facts.join("; ")) "." }
            }
            @if !not_facts.is_empty() {
                p { (t.not_to_hold) " " (not_facts.join("; ")) "." }
            }
            @for assumed in &answer.assumed {
                @let without = QuestionInput { facts: input.facts.iter().cloned().chain([format!("!{}", assumed.fact)]).collect(), ..input.clone() };
                p.note {
                    (t.taken_as_known) " " (assumed.condition) " ("
                    (parts::external(&assumed.source.url, &assumed.source.citation))
                    "). " a href=(ask_url(&without)) { (t.as_if_not) } "."
                }
            }
            @for implied in &answer.implied {
                p.note { (t.also_asked_as) " " (implied) }
            }
        }
        @if let Some(otherwise) = answer.otherwise {
            section.branches aria-labelledby="depends" {
                h2 #depends { (t.depends_heading) }
                p { (t.depends_intro) }
                ul {
                    @for (url, condition, verdict, cited) in &branches {
                        li {
                            a.tap href=(url) { (t.if_) " " (condition) } ": " (parts::verdict(*verdict))
                            @if !cited.is_empty() { " (" (cited) ")" }
                        }
                    }
                    li {
                        a.tap href=(ask_url(&none)) { (t.if_none) } ": "
                        (parts::verdict(otherwise)) " " (t.reasons_below)
                    }
                }
            }
        }
        @if !answer.searched.is_empty() {
            h2 { (t.searched_heading) }
            ul {
                @for note in &answer.searched {
                    li { (note.name) ": " (note.found) " " (t.searched) " " (i18n::date(&note.date)) " " (t.in_) " " (note.sources.join("; ")) "." }
                }
            }
        }
        @if !answer.determining.is_empty() {
            h2 { @if answer.otherwise.is_some() { (t.because_none) } @else { (t.because) } }
            ul { @for citation in &answer.determining { (citation_item(citation)) } }
        }
        @if !answer.concurring.is_empty() {
            h2 { (t.also_applies) }
            ul { @for citation in &answer.concurring { (citation_item(citation)) } }
        }
        @if !answer.defeated.is_empty() {
            h2 { (t.set_aside) }
            ul {
                @for defeated in &answer.defeated {
                    li {
                        (parts::external(&defeated.url, &defeated.citation))
                        " (" a href=(rule_url(&defeated.id)) { (t.the_rule) } ", " (t.which) " " (modality_verb(defeated.modality)) "): "
                        (parts::cited(corpus, &defeated.reason))
                    }
                }
            }
        }
        @if !answer.caveats.is_empty() {
            h2 { (t.caveats) }
            ul {
                @for caveat in &answer.caveats {
                    li {
                        span.tag.warn { (caveat_kind(caveat.kind)) } " " (parts::cited(corpus, &caveat.message))
                        @if let Some(rule) = &caveat.rule {
                            " (" a href=(rule_url(rule)) { (caveat.citation.clone().unwrap_or_else(|| rule_citation(rule))) } ")"
                        }
                    }
                }
            }
        }
        @if !answer.context.is_empty() {
            h2 { (t.context) }
            ul { @for citation in &answer.context { (citation_item(citation)) } }
        }
        @if !answer.listings.is_empty() {
            h2 { (t.listings) }
            p.note { (t.listings_note) }
            ul { @for listing in &answer.listings { (listing_item(listing)) } }
        }
        @if !answer.figures.is_empty() {
            h2 { (t.figures) }
            ul { @for figure in &answer.figures { (figure_item(figure)) } }
        }
        details {
            summary { (trace_summary(answer.trace.len())) }
            (parts::table(&[t.column_rule, t.column_level, t.column_says, t.column_outcome, t.column_reasons], html! {
                @for entry in &answer.trace {
                    tr {
                        td { a href=(rule_url(&entry.rule)) { (entry.rule) } }
                        td { (entry.jurisdiction) }
                        td { (modality_name(entry.modality)) }
                        td { (outcome_words(entry.outcome)) }
                        td { (entry.reasons.join("; ")) }
                    }
                }
            }))
        }
        p.disclaimer { (answer.disclaimer) " " (t.corpus) " " (answer.corpus_version) "." }
        p { a href=(ask_url(input)) { (t.permanent_link) } " " (t.to_share) }
    }
}

/// The trace's disclosure, in the request's language.
fn trace_summary(rules: usize) -> String {
    match i18n::lang() {
        Lang::En => format!(
            "Technical details: the {rules} rules considered, and why each did or did not apply"
        ),
        Lang::Es if rules == 1 => {
            "Detalles técnicos: la norma considerada, y por qué se aplicó o no".to_string()
        }
        Lang::Es => format!(
            "Detalles técnicos: las {} normas consideradas, y por qué cada una se aplicó o no",
            count(rules as u64)
        ),
    }
}

/// A trace entry's outcome in words (`applies`, `set aside`, ...).
fn outcome_words(outcome: &str) -> String {
    match i18n::lang() {
        Lang::En => words(outcome),
        Lang::Es => match outcome {
            "determining" => "decide la respuesta".to_string(),
            "concurring" => "también se aplica".to_string(),
            "defeated" => "se deja sin efecto".to_string(),
            "context" => "contexto".to_string(),
            "not_applicable" => "no se aplica".to_string(),
            other => words(other),
        },
    }
}

/// A fact's definition for the form, in the page's language.
fn fact_definition(vocabulary: &remit_law::vocabulary::Vocabulary, name: &str) -> String {
    vocabulary
        .definition_in(WordKind::Fact, name, i18n::lang())
        .unwrap_or("")
        .to_string()
}

/// A word's definition as a menu option's tooltip, in the page's language.
fn definition_title<'v>(
    vocabulary: &'v remit_law::vocabulary::Vocabulary,
    kind: WordKind,
    name: &str,
) -> Option<&'v str> {
    vocabulary.definition_in(kind, name, i18n::lang())
}

/// What a rule of a modality does, as a verb.
fn modality_verb(modality: Modality) -> &'static str {
    let t = AskText::current();
    match modality {
        Modality::Prohibited => t.forbids_it,
        Modality::Required => t.requires_it,
        Modality::Permitted => t.allows_it,
    }
}

fn caveat_kind(kind: remit_law::CaveatKind) -> &'static str {
    use remit_law::CaveatKind as K;
    if i18n::lang() == Lang::Es {
        return match kind {
            K::Contested => "impugnada ante los tribunales",
            K::Unverified => "sin confirmar",
            K::Enjoined => "bloqueada por un tribunal",
            K::Repealed => "derogada",
            K::StartUnknown => "fecha de inicio desconocida",
            K::NotYetEffective => "aún no en vigor",
            K::NoLongerEffective => "ya no está en vigor",
            K::Condition => "depende de una condición",
            K::Purpose => "depende de la finalidad",
            K::Conflict => "conflicto",
            K::OtherActor => "obliga a otra persona u organismo",
            K::AfterReview => "la ley puede haber cambiado desde entonces",
        };
    }
    match kind {
        K::Contested => "challenged in court",
        K::Unverified => "not confirmed",
        K::Enjoined => "blocked by a court",
        K::Repealed => "repealed",
        K::StartUnknown => "start date unknown",
        K::NotYetEffective => "not yet effective",
        K::NoLongerEffective => "no longer effective",
        K::Condition => "depends on a condition",
        K::Purpose => "depends on the purpose",
        K::Conflict => "conflict",
        K::OtherActor => "binds someone else",
        K::AfterReview => "law may have changed since",
    }
}

pub fn listing_item(listing: &ListingMatch) -> Markup {
    let names = listing
        .names
        .iter()
        .map(|name| {
            remit_law::Jurisdiction::parse_ocd(name).map_or_else(
                |_| name.clone(),
                |j| remit_law::lang::place_phrase(&j, i18n::lang()),
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let t = AskText::current();
    html! {
        li {
            strong { (parts::english(&listing.title)) } " (" (i18n::date(&listing.date.to_string())) ", " (provenance_name(listing.provenance)) "): "
            (summary(&listing.summary)) " " (t.names) " " (names) "."
            @for note in &listing.entry_notes { " " (parts::english(note)) }
            @if let Some(note) = &listing.note { " " span.note { (parts::english(note)) } }
            @for source in &listing.sources { " · " (parts::external(&source.url, &source.citation)) }
        }
    }
}

pub fn figure_item(figure: &Figure) -> Markup {
    html! {
        li {
            (summary(&figure.statement)) " (" (i18n::date(&figure.date.to_string())) ", " (remit_law::lang::place_phrase(&figure.jurisdiction, i18n::lang())) ", "
            (provenance_name(figure.provenance)) "): "
            (parts::external(&figure.source.url, &figure.source.citation))
        }
    }
}

strings! {
    /// The words of the question form and of the answer.
    pub struct AskText {
        title: "Ask", "Preguntar";
        heading: "Ask what the law says", "Pregunte qué dice la ley";
        intro: "May, must or must not this officer or agency do this, here, on this date? Remit resolves federal, state and local rules for the place and date and shows every reason, with citations.", "¿Puede, debe o no debe este agente o esta agencia hacer esto, aquí, en esta fecha? Remit aplica las normas federales, estatales y locales al lugar y la fecha, y muestra cada razón, con sus citas.";
        ask_another: "Ask another question", "Hacer otra pregunta";
        read_as: "read as", "se interpretó como";
        so_the_place: ", so the question is about the place whose rules bind it:", ", así que la pregunta trata del lugar cuyas normas la obligan:";
        place_id: "Place id:", "Identificador del lugar:";
        prohibited: "prohibited", "prohibida";
        required: "required", "exigida";
        permitted: "permitted", "permitida";
        primary_source: "primary source", "fuente primaria";
        secondary_source: "secondary source", "fuente secundaria";
        unverified: "unverified", "sin verificar";
        in_force: "in force", "vigente";
        blocked: "blocked by a court", "bloqueada por un tribunal";
        suspended: "suspended by a court", "suspendida por un tribunal";
        struck_down: "struck down by a court", "anulada por un tribunal";
        repealed: "repealed", "derogada";
        challenged: "challenged in court", "impugnada ante los tribunales";
        cannot_answer: "The question cannot be answered yet:", "Todavía no se puede responder la pregunta:";
        where_label: "Where?", "¿Dónde?";
        where_hint: "a city or county with its state (Dallas, TX; Harris County, TX), a state (CA), or an agency (El Cajon CA PD, an ORI)", "una ciudad o un condado con su estado (Dallas, TX; Harris County, TX), un estado (CA) o una agencia (El Cajon CA PD, un código ORI)";
        date_label: "On what date?", "¿En qué fecha?";
        date_hint: "the law as in force that day", "la ley vigente ese día";
        actor_label: "Who acts?", "¿Quién actúa?";
        actor_hint: "the officer or body the rule would bind", "el agente o el organismo al que obligaría la norma";
        actor_blank: "choose who acts", "elija quién actúa";
        action_label: "Doing what?", "¿Haciendo qué?";
        action_hint: "the act in question", "el acto del que se trata";
        action_blank: "choose what is done", "elija qué se hace";
        counterparty_label: "With or for whom?", "¿Con quién o para quién?";
        counterparty_hint: "the agency or body on the other side", "la agencia o el organismo de la otra parte";
        purpose_label: "Why?", "¿Para qué?";
        purpose_hint: "the purpose of the act", "la finalidad del acto";
        facts_label: "What facts hold?", "¿Qué hechos se dan?";
        facts_hint: "facts not ticked are taken as not holding; the answer says which would change it", "los hechos no marcados se dan por no ocurridos; la respuesta indica cuáles la cambiarían";
        facts_ticked: "fact ticked|facts ticked", "hecho marcado|hechos marcados";
        facts: "Facts", "Hechos";
        ask: "Ask", "Preguntar";
        examples: "Example questions", "Preguntas de ejemplo";
        example_california: "What does California law say about a police department sharing plate-reader data with an agency in Texas (another state)?", "¿Qué dice la ley de California sobre un departamento de policía que comparte datos de lectores de placas con una agencia de Texas (otro estado)?";
        in_english: "(in English)", "(en inglés)";
        examples_note: "The other examples are questions from the corpus's own test suite (its scenarios).", "Los demás ejemplos son preguntas de las pruebas del propio corpus (sus escenarios).";
        how_encoded: "How Remit encodes it", "Cómo la codifica Remit";
        see_also: "see also", "véase también";
        the_rule: "the rule", "la norma";
        asked_about: "Asked about", "Pregunta sobre";
        on: "on", "el";
        who_acts: "who acts:", "quién actúa:";
        doing_what: "doing what:", "haciendo qué:";
        with_whom: "with or for whom:", "con quién o para quién:";
        why: "why:", "para qué:";
        no_facts: "no facts stated.", "no se indicó ningún hecho.";
        facts_colon: "facts:", "hechos:";
        not_to_hold: "Stated not to hold:", "Se indicó que no ocurre:";
        taken_as_known: "Taken as known:", "Se da por sabido:";
        as_if_not: "Ask as if it did not hold", "Preguntar como si no fuera así";
        also_asked_as: "Also asked as:", "También se preguntó como:";
        depends_heading: "It depends on facts the question does not state", "Depende de hechos que la pregunta no indica";
        depends_intro: "Answer the question that applies to see the settled answer:", "Elija el caso que corresponde para ver la respuesta definitiva:";
        if_: "If", "Si";
        if_none: "If none of these holds", "Si no se cumple ninguna de estas condiciones";
        reasons_below: "(the reasons below)", "(las razones, más abajo)";
        searched_heading: "Where the law was searched", "Dónde se buscó la ley";
        searched: "Searched", "Búsqueda del";
        in_: "in:", "en:";
        because_none: "Because, when none of these holds", "Porque, cuando no se cumple ninguna de estas condiciones";
        because: "Because", "Porque";
        also_applies: "Also applies", "También se aplica";
        set_aside: "Set aside", "Sin efecto";
        which: "which", "que";
        forbids_it: "forbids it", "lo prohíbe";
        requires_it: "requires it", "lo exige";
        allows_it: "allows it", "lo permite";
        caveats: "Caveats", "Advertencias";
        context: "Context (not binding)", "Contexto (no vinculante)";
        listings: "Government listings naming this place", "Listas oficiales que nombran este lugar";
        listings_note: "Listings are context, not rules: they never change the verdict.", "Las listas son contexto, no normas: nunca cambian la respuesta.";
        figures: "Figures", "Cifras";
        column_rule: "Rule", "Norma";
        column_level: "Level", "Nivel";
        column_says: "Says", "Dice";
        column_outcome: "Outcome", "Resultado";
        column_reasons: "Reasons", "Razones";
        corpus: "Corpus", "Corpus";
        permanent_link: "A permanent link to this question", "Un enlace permanente a esta pregunta";
        to_share: "(to share or bookmark)", "(para compartirla o guardarla)";
        names: "Names:", "Nombra:";
        no_value: "no value given", "no se indicó ningún valor";
        where_help: "give a city or county with its state such as `Dallas, TX`, a state code such as `CA`, an OCD division id, or an agency such as `El Cajon CA PD`", "indique una ciudad o un condado con su estado, como `Dallas, TX`, el código de un estado, como `CA`, un identificador de división OCD o una agencia, como `El Cajon CA PD`";
    }
}
