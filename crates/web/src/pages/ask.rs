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

use super::{
    ask_url, corpus_source, example_question, place_url, rule_url, verdict_badge, verdict_meaning,
};
use crate::html::{e, external_link, push, table_end, table_head, words};
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

/// The sentence saying how a "where" was read, when it was not an id or a state as written.
fn reading_note(input: &str, reading: &remit_agencies::PlaceReading) -> Option<String> {
    reading.note(input)?;
    let others = reading
        .others_phrase(|typed| format!("<code>{}</code>", e(typed)))
        .map(|phrase| format!(" It is {phrase}."))
        .unwrap_or_default();
    let note = match &reading.read_as {
        remit_agencies::places::ReadAs::Agency { name, ori } => format!(
            "`{}` read as <strong>{}</strong>{}, so the question is about the place whose rules bind it: {} (<code>{}</code>).",
            e(input.trim()),
            e(name),
            ori.as_deref()
                .map(|o| format!(" ({})", e(o)))
                .unwrap_or_default(),
            e(&reading.label),
            e(&reading.id)
        ),
        _ => format!(
            "`{}` read as <strong>{}</strong> (<code>{}</code>).",
            e(input.trim()),
            e(&reading.label),
            e(&reading.id)
        ),
    };
    Some(note + &others)
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
        Format::Html => {
            let mut body = String::with_capacity(16 * 1024);
            match &result {
                Some(Ok(question)) => {
                    let answer = corpus.answer(question);
                    let title = format!(
                        "{}: {}",
                        answer.verdict.name().replace('_', " "),
                        answer.question.place_label
                    );
                    if let Some(note) = reading
                        .as_ref()
                        .and_then(|r| r.as_ref().ok())
                        .and_then(|r| reading_note(&input.place, r))
                    {
                        push!(&mut body, "<p class=\"note\">{note}</p>");
                    }
                    render_answer(&mut body, &answer, &input);
                    body.push_str("<h2>Ask another question</h2>");
                    render_form(&mut body, corpus, &input, &[]);
                    Page { title, ..page }.html(&body)
                }
                Some(Err(problems)) => {
                    body.push_str("<h1>Ask what the law says</h1>");
                    render_form(&mut body, corpus, &input, problems);
                    render_examples(&mut body, corpus);
                    let mut response = page.html(&body);
                    *response.status_mut() = StatusCode::BAD_REQUEST;
                    response
                }
                None => {
                    body.push_str("<h1>Ask what the law says</h1><p>May, must or must not this officer or agency do this, here, on this date? Remit resolves federal, state and local rules for the place and date and shows every reason, with citations.</p>");
                    render_form(&mut body, corpus, &input, &[]);
                    render_examples(&mut body, corpus);
                    page.html(&body)
                }
            }
        }
    }
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
fn render_form(out: &mut String, corpus: &Corpus, input: &QuestionInput, problems: &[Problem]) {
    let vocabulary = corpus.vocabulary();
    if !problems.is_empty() {
        out.push_str("<div class=\"error\" role=\"alert\"><p><strong>The question cannot be answered yet:</strong></p><ul>");
        for problem in problems {
            push!(out, "<li>{}", e(&problem.message));
            if let Some(help) = &problem.help {
                push!(out, "<br><span class=\"note\">help: {}</span>", e(help));
            }
            out.push_str("</li>");
        }
        out.push_str("</ul></div>");
    }
    out.push_str("<form class=\"ask\" method=\"get\" action=\"/ask\">");
    push!(
        out,
        "<label for=\"where\">Where?<span class=\"hint\">a city or county with its state (Dallas, TX; Harris County, TX), a state (CA), an Open Civic Data id, or an agency (El Cajon CA PD, an ORI)</span></label>\
         <div><input type=\"text\" id=\"where\" name=\"where\" list=\"places\" required value=\"{}\" size=\"48\"><datalist id=\"places\">",
        e(&input.place)
    );
    for (code, name, _) in STATES {
        push!(out, "<option value=\"{code}\">{}</option>", e(name));
    }
    for jurisdiction in corpus.jurisdictions() {
        if jurisdiction.depth() > 2 {
            push!(
                out,
                "<option value=\"{}\">{}</option>",
                e(jurisdiction.as_str()),
                e(&jurisdiction.label())
            );
        }
    }
    out.push_str("</datalist></div>");
    let date = input.date.clone().unwrap_or_else(|| today().to_string());
    push!(
        out,
        "<label for=\"date\">On what date?<span class=\"hint\">the law as in force that day</span></label>\
         <div><input type=\"date\" id=\"date\" name=\"date\" value=\"{}\"></div>",
        e(&date)
    );
    let select = |out: &mut String,
                  id: &str,
                  label: &str,
                  hint: &str,
                  kind: WordKind,
                  chosen: &str,
                  blank: Option<&str>| {
        push!(
            out,
            "<label for=\"{id}\">{label}<span class=\"hint\">{hint}</span></label><div><select id=\"{id}\" name=\"{id}\"{}>",
            if blank.is_some() { " required" } else { "" }
        );
        if let Some(blank) = blank {
            push!(out, "<option value=\"\">{}</option>", e(blank));
        }
        for name in vocabulary.names(kind) {
            // The vocabulary's phrase ("share plate-reader data"), short enough for a phone's
            // menu; the definition goes in the option's title.
            let definition = vocabulary.definition(kind, name).unwrap_or("");
            let phrase = match vocabulary.phrase(kind, name) {
                Some(phrase) => crate::html::without_counterparty(phrase),
                None => words(name),
            };
            push!(
                out,
                "<option value=\"{}\"{} title=\"{}\">{}</option>",
                e(name),
                if name == chosen { " selected" } else { "" },
                e(definition),
                e(&phrase)
            );
        }
        out.push_str("</select></div>");
    };
    select(
        out,
        "actor",
        "Who acts?",
        "the officer or body the rule would bind",
        WordKind::Actor,
        &input.actor,
        Some("choose who acts"),
    );
    select(
        out,
        "action",
        "Doing what?",
        "the act in question",
        WordKind::Action,
        &input.action,
        Some("choose what is done"),
    );
    select(
        out,
        "counterparty",
        "With or for whom?",
        "the agency or body on the other side",
        WordKind::Counterparty,
        input
            .counterparty
            .as_deref()
            .unwrap_or("federal_immigration"),
        None,
    );
    select(
        out,
        "purpose",
        "Why?",
        "the purpose of the act",
        WordKind::Purpose,
        input.purpose.as_deref().unwrap_or("unspecified"),
        None,
    );
    out.push_str("<span><strong>What facts hold?</strong><span class=\"hint\">facts not ticked are taken as not holding; the answer says which would change it</span></span><div><details");
    if !input.facts.is_empty() {
        out.push_str(" open");
    }
    push!(
        out,
        "><summary>{} facts ticked</summary><fieldset><legend>Facts</legend>",
        input.facts.len()
    );
    for name in vocabulary.names(WordKind::Fact) {
        let definition = vocabulary.definition(WordKind::Fact, name).unwrap_or("");
        let checked = input.facts.iter().any(|f| f == name);
        push!(
            out,
            "<label><input type=\"checkbox\" name=\"fact\" value=\"{}\"{}> {}</label>",
            e(name),
            if checked { " checked" } else { "" },
            e(definition)
        );
    }
    out.push_str("</fieldset></details></div><span></span><div><button type=\"submit\">Ask</button></div></form>");
}

/// Questions from the corpus's own scenarios, as links.
fn render_examples(out: &mut String, corpus: &Corpus) {
    out.push_str("<h2>Example questions</h2><ul>");
    push!(
        out,
        "<li><a href=\"{}\">What does California law say about a police department sharing plate-reader data with an agency in Texas (another state)?</a></li>",
        e(&ask_url(&example_question()))
    );
    let mut seen_files = Vec::new();
    for scenario in corpus.scenarios() {
        if seen_files.contains(&scenario.file) || seen_files.len() >= 15 {
            continue;
        }
        seen_files.push(scenario.file.clone());
        push!(
            out,
            "<li><a href=\"{}\">{}</a></li>",
            e(&ask_url(&scenario.input)),
            e(&scenario.question_text)
        );
    }
    out.push_str("</ul><p class=\"note\">The other examples are questions from the corpus's own test suite (its scenarios).</p>");
}

fn citation_item(out: &mut String, citation: &Citation) {
    out.push_str("<li><strong>");
    external_link(out, &citation.url, &citation.citation);
    push!(
        out,
        "</strong> ({}) {} <span class=\"tag{}\">{}</span>",
        e(&citation.title),
        e(&words(match citation.modality {
            Modality::Prohibited => "prohibits",
            Modality::Required => "requires",
            Modality::Permitted => "permits",
        })),
        if citation.provenance == Provenance::Unverified {
            " warn"
        } else {
            ""
        },
        provenance_name(citation.provenance)
    );
    if citation.status != Status::InForce {
        push!(
            out,
            " <span class=\"tag warn\">{}</span>",
            status_name(citation.status)
        );
    }
    push!(
        out,
        "<br>{}<br><span class=\"note\">rule <a href=\"{}\">{}</a> · {}",
        e(&citation.summary),
        e(&rule_url(&citation.id)),
        e(&citation.id),
        e(citation.kind.label())
    );
    for also in &citation.also_cites {
        out.push_str(" · see also ");
        external_link(out, &also.url, &also.citation);
    }
    out.push_str("</span></li>");
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

fn render_answer(out: &mut String, answer: &Answer, input: &QuestionInput) {
    let q = &answer.question;
    out.push_str("<section aria-labelledby=\"verdict\"><h1 id=\"verdict\">");
    verdict_badge(out, answer.verdict);
    push!(
        out,
        "</h1><p class=\"headline\"><strong>{}</strong></p><p class=\"note\">{}.</p>",
        e(&answer.headline),
        e(verdict_meaning(answer.verdict))
    );
    push!(
        out,
        "<p>Asked about <a href=\"{}\">{}</a> on {}: actor <em>{}</em>, action <em>{}</em>, with <em>{}</em>, purpose <em>{}</em>",
        e(&place_url(&q.place)),
        e(&q.place_label),
        e(&q.date),
        e(&words(&q.actor)),
        e(&words(&q.action)),
        e(&words(&q.counterparty)),
        e(&words(&q.purpose))
    );
    if q.facts.is_empty() {
        out.push_str(", no facts stated.</p>");
    } else {
        let facts: Vec<String> = q.facts.iter().map(|f| words(f)).collect();
        push!(out, ", facts: {}.</p>", e(&facts.join(", ")));
    }
    if !q.not_facts.is_empty() {
        let facts: Vec<String> = q.not_facts.iter().map(|f| words(f)).collect();
        push!(out, "<p>Stated not to hold: {}.</p>", e(&facts.join(", ")));
    }
    for assumed in &answer.assumed {
        let mut without = input.clone();
        without.facts.push(format!("!{}", assumed.fact));
        push!(
            out,
            "<p class=\"note\">Taken as known: {} (",
            e(&assumed.condition)
        );
        external_link(out, &assumed.source.url, &assumed.source.citation);
        push!(
            out,
            "). <a href=\"{}\">Ask as if it did not hold</a>.</p>",
            e(&ask_url(&without))
        );
    }
    for implied in &answer.implied {
        push!(out, "<p class=\"note\">Also asked as: {}</p>", e(implied));
    }
    out.push_str("</section>");

    if let Some(otherwise) = answer.otherwise {
        out.push_str("<section class=\"branches\" aria-labelledby=\"depends\"><h2 id=\"depends\">It depends on facts the question does not state</h2><p>Answer the question that applies to see the settled answer:</p><ul>");
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
            push!(
                out,
                "<li><a class=\"tap\" href=\"{}\">If {}</a>: ",
                e(&ask_url(&with)),
                e(&branch.condition_text())
            );
            verdict_badge(out, branch.verdict);
            let cited: Vec<&str> = branch
                .determining
                .iter()
                .map(|c| c.citation.as_str())
                .collect();
            if !cited.is_empty() {
                push!(out, " ({})", e(&cited.join("; ")));
            }
            out.push_str("</li>");
        }
        push!(
            out,
            "<li><a class=\"tap\" href=\"{}\">If none of these holds</a>: ",
            e(&ask_url(&none))
        );
        verdict_badge(out, otherwise);
        out.push_str(" (the reasons below)</li></ul></section>");
    }
    if !answer.searched.is_empty() {
        out.push_str("<h2>Where the law was searched</h2><ul>");
        for note in &answer.searched {
            push!(
                out,
                "<li>{}: {} Searched {} in: {}.</li>",
                e(&note.name),
                e(&note.found),
                e(&note.date),
                e(&note.sources.join("; "))
            );
        }
        out.push_str("</ul>");
    }

    if !answer.determining.is_empty() {
        out.push_str(if answer.otherwise.is_some() {
            "<h2>Because, when none of these holds</h2><ul>"
        } else {
            "<h2>Because</h2><ul>"
        });
        for citation in &answer.determining {
            citation_item(out, citation);
        }
        out.push_str("</ul>");
    }
    if !answer.concurring.is_empty() {
        out.push_str("<h2>Also applies</h2><ul>");
        for citation in &answer.concurring {
            citation_item(out, citation);
        }
        out.push_str("</ul>");
    }
    if !answer.defeated.is_empty() {
        out.push_str("<h2>Set aside</h2><ul>");
        for defeated in &answer.defeated {
            out.push_str("<li>");
            external_link(out, &defeated.url, &defeated.citation);
            push!(
                out,
                " (rule <a href=\"{}\">{}</a>, {}): {}</li>",
                e(&rule_url(&defeated.id)),
                e(&defeated.id),
                modality_name(defeated.modality),
                e(&defeated.reason)
            );
        }
        out.push_str("</ul>");
    }
    if !answer.caveats.is_empty() {
        out.push_str("<h2>Caveats</h2><ul>");
        for caveat in &answer.caveats {
            push!(
                out,
                "<li><span class=\"tag warn\">{}</span> {}",
                e(&words(caveat_kind(caveat.kind))),
                e(&caveat.message)
            );
            if let Some(rule) = &caveat.rule {
                push!(out, " (<a href=\"{}\">{}</a>)", e(&rule_url(rule)), e(rule));
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    if !answer.context.is_empty() {
        out.push_str("<h2>Context (not binding)</h2><ul>");
        for citation in &answer.context {
            citation_item(out, citation);
        }
        out.push_str("</ul>");
    }
    if !answer.listings.is_empty() {
        out.push_str("<h2>Government listings naming this place</h2><p class=\"note\">Listings are context, not rules: they never change the verdict.</p><ul>");
        for listing in &answer.listings {
            listing_item(out, listing);
        }
        out.push_str("</ul>");
    }
    if !answer.figures.is_empty() {
        out.push_str("<h2>Figures</h2><ul>");
        for figure in &answer.figures {
            figure_item(out, figure);
        }
        out.push_str("</ul>");
    }
    push!(
        out,
        "<details><summary>Trace: {} rules considered, and why each did or did not apply</summary>",
        answer.trace.len()
    );
    table_head(out, &["rule", "level", "modality", "outcome", "reasons"]);
    for entry in &answer.trace {
        push!(
            out,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(&rule_url(&entry.rule)),
            e(&entry.rule),
            e(&entry.jurisdiction),
            modality_name(entry.modality),
            e(&words(entry.outcome)),
            e(&entry.reasons.join("; "))
        );
    }
    table_end(out);
    out.push_str("</details>");
    push!(
        out,
        "<p class=\"disclaimer\">{} Corpus {}.</p><p><a href=\"{}\">A permanent link to this question</a> (to share or bookmark)</p>",
        e(answer.disclaimer),
        e(&answer.corpus_version),
        e(&ask_url(input))
    );
}

fn caveat_kind(kind: remit_law::CaveatKind) -> &'static str {
    use remit_law::CaveatKind as K;
    match kind {
        K::Contested => "contested",
        K::Unverified => "unverified",
        K::Enjoined => "enjoined",
        K::Repealed => "repealed",
        K::StartUnknown => "start date unknown",
        K::NotYetEffective => "not yet effective",
        K::NoLongerEffective => "no longer effective",
        K::Condition => "condition",
        K::Purpose => "purpose",
        K::Conflict => "conflict",
        K::OtherActor => "other actor",
        K::AfterReview => "law may have changed since",
    }
}

pub fn listing_item(out: &mut String, listing: &ListingMatch) {
    push!(
        out,
        "<li><strong>{}</strong> ({}, {}): {} Names: {}.",
        e(&listing.title),
        listing.date,
        provenance_name(listing.provenance),
        e(&listing.summary),
        e(&listing
            .names
            .iter()
            .map(|name| remit_law::Jurisdiction::parse_ocd(name)
                .map_or_else(|_| name.clone(), |j| j.label()))
            .collect::<Vec<_>>()
            .join(", "))
    );
    for note in &listing.entry_notes {
        push!(out, " {}", e(note));
    }
    if let Some(note) = &listing.note {
        push!(out, " <span class=\"note\">{}</span>", e(note));
    }
    for source in &listing.sources {
        out.push_str(" · ");
        external_link(out, &source.url, &source.citation);
    }
    out.push_str("</li>");
}

pub fn figure_item(out: &mut String, figure: &Figure) {
    push!(
        out,
        "<li>{} ({}, {}, {}): ",
        e(&figure.statement),
        figure.date,
        e(&figure.jurisdiction.label()),
        provenance_name(figure.provenance)
    );
    external_link(out, &figure.source.url, &figure.source.citation);
    out.push_str("</li>");
}
