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
    Some(html! {
        p.note {
            @match &reading.read_as {
                remit_agencies::places::ReadAs::Agency { name, ori } => {
                    "“" (input.trim()) "” read as " strong { (name) }
                    @if let Some(ori) = ori { " (" (ori) ")" }
                    ", so the question is about the place whose rules bind it: " (reading.label) "."
                }
                _ => { "“" (input.trim()) "” read as " strong { (reading.label) } "." }
            }
            @if let Some(others) = others { " It is " (others) "." }
        }
        (parts::technical(html! { p { "Place id: " code { (reading.id) } } }))
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
            missing.push(Problem {
                message: format!("`{field}`: no value given"),
                help: Some(match field {
                    "where" => {
                        "give a city or county with its state such as `Dallas, TX`, a state code such as `CA`, an OCD division id, or an agency such as `El Cajon CA PD`"
                            .to_string()
                    }
                    _ => {
                        format!("choose one from the form, or see `/vocabulary` for every {field}")
                    }
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
    let page = Page::new("Ask", "/ask", "/ask")
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
                let answer = corpus.answer(&question);
                if format == Format::Json {
                    page.json(&answer)
                } else {
                    page.csv(&trace_table(&answer.trace))
                }
            }
        },
        Format::Html => match &result {
            Some(Ok(question)) => {
                let answer = corpus.answer(question);
                let title = format!(
                    "{}: {}",
                    answer.verdict.name().replace('_', " "),
                    answer.question.place_label
                );
                let note = reading
                    .as_ref()
                    .and_then(|r| r.as_ref().ok())
                    .and_then(|r| reading_note(&input.place, r));
                let body = html! {
                    @if let Some(note) = note { (note) }
                    (render_answer(corpus, &answer, &input))
                    h2 { "Ask another question" }
                    (render_form(corpus, &suggested_places(&state), &input, &[]))
                };
                Page { title, ..page }.html(&body.into_string())
            }
            Some(Err(problems)) => {
                let body = html! {
                    h1 { "Ask what the law says" }
                    (render_form(corpus, &suggested_places(&state), &input, problems))
                    (render_examples(corpus))
                };
                let mut response = page.html(&body.into_string());
                *response.status_mut() = StatusCode::BAD_REQUEST;
                response
            }
            None => {
                let body = html! {
                    h1 { "Ask what the law says" }
                    p { "May, must or must not this officer or agency do this, here, on this date? Remit resolves federal, state and local rules for the place and date and shows every reason, with citations." }
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
                vocabulary.definition(kind, name).unwrap_or("").to_string(),
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

pub fn modality_name(modality: Modality) -> &'static str {
    match modality {
        Modality::Prohibited => "prohibited",
        Modality::Required => "required",
        Modality::Permitted => "permitted",
    }
}

pub fn provenance_name(provenance: Provenance) -> &'static str {
    match provenance {
        Provenance::Primary => "primary source",
        Provenance::Secondary => "secondary source",
        Provenance::Unverified => "unverified",
    }
}

pub fn status_name(status: Status) -> &'static str {
    match status {
        Status::InForce => "in force",
        Status::Enjoined => "blocked by a court",
        Status::Stayed => "suspended by a court",
        Status::Vacated => "struck down by a court",
        Status::Repealed => "repealed",
        Status::Contested => "challenged in court",
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
                        option value=(name) selected[name == chosen] title=(vocabulary.definition(kind, name).unwrap_or("")) {
                            (parts::phrase(vocabulary, kind, name))
                        }
                    }
                }
            }
        }
    };
    html! {
        (parts::problems("The question cannot be answered yet:", &problems))
        form.ask method="get" action="/ask" {
            label for="where" { "Where?" span.hint { "a city or county with its state (Dallas, TX; Harris County, TX), a state (CA), or an agency (El Cajon CA PD, an ORI)" } }
            div {
                input type="text" #where name="where" list="places" required value=(input.place) size="48";
                datalist #places {
                    @for (code, name, _) in STATES { option value=(code) { (name) } }
                    @for place in places { option value=(place) { (place) } }
                }
            }
            label for="date" { "On what date?" span.hint { "the law as in force that day" } }
            div { input type="date" #date name="date" value=(date); }
            (select("actor", "Who acts?", "the officer or body the rule would bind", WordKind::Actor, &input.actor, Some("choose who acts")))
            (select("action", "Doing what?", "the act in question", WordKind::Action, &input.action, Some("choose what is done")))
            (select("counterparty", "With or for whom?", "the agency or body on the other side", WordKind::Counterparty, input.counterparty.as_deref().unwrap_or("federal_immigration"), None))
            (select("purpose", "Why?", "the purpose of the act", WordKind::Purpose, input.purpose.as_deref().unwrap_or("unspecified"), None))
            span { strong { "What facts hold?" } span.hint { "facts not ticked are taken as not holding; the answer says which would change it" } }
            div {
                details open[!input.facts.is_empty()] {
                    summary { (input.facts.len()) " facts ticked" }
                    fieldset {
                        legend { "Facts" }
                        @for name in vocabulary.names(WordKind::Fact) {
                            label {
                                input type="checkbox" name="fact" value=(name) checked[input.facts.iter().any(|f| f == name)];
                                " " (vocabulary.definition(WordKind::Fact, name).unwrap_or(""))
                            }
                        }
                    }
                }
            }
            span {}
            div { button type="submit" { "Ask" } }
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
    html! {
        h2 { "Example questions" }
        ul {
            li { a href=(ask_url(&example_question())) { "What does California law say about a police department sharing plate-reader data with an agency in Texas (another state)?" } }
            @for (url, text) in &examples { li { a href=(url) { (text) } } }
        }
        p.note { "The other examples are questions from the corpus's own test suite (its scenarios)." }
    }
}

fn citation_item(citation: &Citation) -> Markup {
    html! {
        li {
            strong { (parts::external(&citation.url, &citation.citation)) }
            " (" (citation.title) ") "
            (match citation.modality {
                Modality::Prohibited => "prohibits",
                Modality::Required => "requires",
                Modality::Permitted => "permits",
            })
            " "
            span class={ "tag" @if citation.provenance == Provenance::Unverified { " warn" } } { (provenance_name(citation.provenance)) }
            @if citation.status != Status::InForce {
                " " span.tag.warn { (status_name(citation.status)) }
            }
            br;
            (citation.summary)
            br;
            span.note {
                a href=(rule_url(&citation.id)) { "How Remit encodes it" }
                " · " (citation.kind.label())
                @for also in &citation.also_cites {
                    " · see also " (parts::external(&also.url, &also.citation))
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
            && let Some(word) = purpose_word(purpose)
        {
            with.purpose = Some(word.to_string());
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
    let rule_citation = |id: &str| {
        corpus
            .rule(id)
            .map_or_else(|| "the rule".to_string(), |r| r.source.citation.clone())
    };
    html! {
        section aria-labelledby="verdict" {
            h1 #verdict { span class={ "verdict v-" (answer.verdict.name()) } { (answer.verdict.name().replace('_', " ")) } }
            p.headline { strong { (answer.headline) } }
            p.note { (verdict_meaning(answer.verdict)) "." }
            p {
                "Asked about " a href=(place_url(&q.place)) { (q.place_label) } " on " (q.date) ": "
                "who acts: " em { (parts::phrase(v, WordKind::Actor, &q.actor)) }
                "; doing what: " em { (parts::phrase(v, WordKind::Action, &q.action)) }
                "; with or for whom: " em { (parts::phrase(v, WordKind::Counterparty, &q.counterparty)) }
                "; why: " em { (parts::phrase(v, WordKind::Purpose, &q.purpose)) }
                @if facts.is_empty() { "; no facts stated." } @else { "; facts: " (facts.join("; ")) "." }
            }
            @if !not_facts.is_empty() {
                p { "Stated not to hold: " (not_facts.join("; ")) "." }
            }
            @for assumed in &answer.assumed {
                @let without = QuestionInput { facts: input.facts.iter().cloned().chain([format!("!{}", assumed.fact)]).collect(), ..input.clone() };
                p.note {
                    "Taken as known: " (assumed.condition) " ("
                    (parts::external(&assumed.source.url, &assumed.source.citation))
                    "). " a href=(ask_url(&without)) { "Ask as if it did not hold" } "."
                }
            }
            @for implied in &answer.implied {
                p.note { "Also asked as: " (implied) }
            }
        }
        @if let Some(otherwise) = answer.otherwise {
            section.branches aria-labelledby="depends" {
                h2 #depends { "It depends on facts the question does not state" }
                p { "Answer the question that applies to see the settled answer:" }
                ul {
                    @for (url, condition, verdict, cited) in &branches {
                        li {
                            a.tap href=(url) { "If " (condition) } ": " (parts::verdict(*verdict))
                            @if !cited.is_empty() { " (" (cited) ")" }
                        }
                    }
                    li {
                        a.tap href=(ask_url(&none)) { "If none of these holds" } ": "
                        (parts::verdict(otherwise)) " (the reasons below)"
                    }
                }
            }
        }
        @if !answer.searched.is_empty() {
            h2 { "Where the law was searched" }
            ul {
                @for note in &answer.searched {
                    li { (note.name) ": " (note.found) " Searched " (note.date) " in: " (note.sources.join("; ")) "." }
                }
            }
        }
        @if !answer.determining.is_empty() {
            h2 { @if answer.otherwise.is_some() { "Because, when none of these holds" } @else { "Because" } }
            ul { @for citation in &answer.determining { (citation_item(citation)) } }
        }
        @if !answer.concurring.is_empty() {
            h2 { "Also applies" }
            ul { @for citation in &answer.concurring { (citation_item(citation)) } }
        }
        @if !answer.defeated.is_empty() {
            h2 { "Set aside" }
            ul {
                @for defeated in &answer.defeated {
                    li {
                        (parts::external(&defeated.url, &defeated.citation))
                        " (" a href=(rule_url(&defeated.id)) { "the rule" } ", which " (modality_verb(defeated.modality)) "): "
                        (defeated.reason)
                    }
                }
            }
        }
        @if !answer.caveats.is_empty() {
            h2 { "Caveats" }
            ul {
                @for caveat in &answer.caveats {
                    li {
                        span.tag.warn { (caveat_kind(caveat.kind)) } " " (caveat.message)
                        @if let Some(rule) = &caveat.rule {
                            " (" a href=(rule_url(rule)) { (caveat.citation.clone().unwrap_or_else(|| rule_citation(rule))) } ")"
                        }
                    }
                }
            }
        }
        @if !answer.context.is_empty() {
            h2 { "Context (not binding)" }
            ul { @for citation in &answer.context { (citation_item(citation)) } }
        }
        @if !answer.listings.is_empty() {
            h2 { "Government listings naming this place" }
            p.note { "Listings are context, not rules: they never change the verdict." }
            ul { @for listing in &answer.listings { (listing_item(listing)) } }
        }
        @if !answer.figures.is_empty() {
            h2 { "Figures" }
            ul { @for figure in &answer.figures { (figure_item(figure)) } }
        }
        details {
            summary { "Technical details: the " (answer.trace.len()) " rules considered, and why each did or did not apply" }
            (parts::table(&["Rule", "Level", "Says", "Outcome", "Reasons"], html! {
                @for entry in &answer.trace {
                    tr {
                        td { a href=(rule_url(&entry.rule)) { (entry.rule) } }
                        td { (entry.jurisdiction) }
                        td { (modality_name(entry.modality)) }
                        td { (words(entry.outcome)) }
                        td { (entry.reasons.join("; ")) }
                    }
                }
            }))
        }
        p.disclaimer { (answer.disclaimer) " Corpus " (answer.corpus_version) "." }
        p { a href=(ask_url(input)) { "A permanent link to this question" } " (to share or bookmark)" }
    }
}

/// What a rule of a modality does, as a verb.
fn modality_verb(modality: Modality) -> &'static str {
    match modality {
        Modality::Prohibited => "forbids it",
        Modality::Required => "requires it",
        Modality::Permitted => "allows it",
    }
}

fn caveat_kind(kind: remit_law::CaveatKind) -> &'static str {
    use remit_law::CaveatKind as K;
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
            remit_law::Jurisdiction::parse_ocd(name).map_or_else(|_| name.clone(), |j| j.phrase())
        })
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        li {
            strong { (listing.title) } " (" (listing.date.to_string()) ", " (provenance_name(listing.provenance)) "): "
            (listing.summary) " Names: " (names) "."
            @for note in &listing.entry_notes { " " (note) }
            @if let Some(note) = &listing.note { " " span.note { (note) } }
            @for source in &listing.sources { " · " (parts::external(&source.url, &source.citation)) }
        }
    }
}

pub fn figure_item(figure: &Figure) -> Markup {
    html! {
        li {
            (figure.statement) " (" (figure.date.to_string()) ", " (figure.jurisdiction.phrase()) ", "
            (provenance_name(figure.provenance)) "): "
            (parts::external(&figure.source.url, &figure.source.citation))
        }
    }
}
