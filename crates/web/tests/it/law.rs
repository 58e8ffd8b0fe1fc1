//! The law pages against the law engine: what a page shows is what `remit-law` answers.

use axum::http::StatusCode;
use remit_law::{Date, Jurisdiction, QuestionInput, Verdict};
use remit_web::html::query_string;

use crate::common::{assert_ok_envelope, corpus, get, law_state};

const DATE: &str = "2026-01-15";

/// Text as the pages' templates escape it (`&`, `<`, `>` and `"`).
fn e(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn ask_query(input: &QuestionInput) -> String {
    let mut pairs: Vec<(&str, &str)> = vec![("where", &input.place), ("actor", &input.actor)];
    pairs.push(("action", &input.action));
    if let Some(date) = &input.date {
        pairs.push(("date", date));
    }
    if let Some(counterparty) = &input.counterparty {
        pairs.push(("counterparty", counterparty));
    }
    if let Some(purpose) = &input.purpose {
        pairs.push(("purpose", purpose));
    }
    for fact in &input.facts {
        pairs.push(("fact", fact));
    }
    query_string(pairs)
}

fn question(place: &str, actor: &str, action: &str, counterparty: &str) -> QuestionInput {
    QuestionInput {
        place: place.to_string(),
        date: Some(DATE.to_string()),
        actor: actor.to_string(),
        action: action.to_string(),
        counterparty: Some(counterparty.to_string()),
        purpose: None,
        facts: Vec::new(),
    }
}

#[tokio::test]
async fn ask_json_is_the_engines_answer_for_every_scenario() {
    let state = law_state();
    let corpus = corpus();
    assert!(!corpus.scenarios().is_empty());
    for scenario in corpus.scenarios() {
        let mut input = scenario.input.clone();
        if input.date.is_none() {
            input.date = Some(DATE.to_string());
        }
        let uri = format!("/ask.json?{}", ask_query(&input));
        let reply = get(&state, &uri).await;
        let data = assert_ok_envelope(&uri, &reply);
        let question = corpus
            .question(&input)
            .unwrap_or_else(|e| panic!("scenario `{}`: {e:?}", scenario.question_text));
        let expected = serde_json::to_value(corpus.answer(&question)).unwrap();
        assert_eq!(data, expected, "`{uri}`");
    }
}

#[tokio::test]
async fn ask_page_shows_verdict_reasons_citations_trace_and_disclaimer() {
    let state = law_state();
    let corpus = corpus();
    let input = question(
        "CA",
        "local_police",
        "share_alpr_data",
        "out_of_state_agency",
    );
    let answer = corpus.answer(&corpus.question(&input).unwrap());
    let uri = format!("/ask?{}", ask_query(&input));
    let reply = get(&state, &uri).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.content_type().starts_with("text/html"));
    let body = &reply.body;
    assert!(body.contains(&format!("class=\"verdict v-{}\"", answer.verdict.name())));
    assert!(body.contains(&e(&answer.headline).to_string()));
    assert!(
        !answer.determining.is_empty(),
        "the corpus has no rule for this question"
    );
    for citation in &answer.determining {
        assert!(
            body.contains(&e(&citation.citation).to_string()),
            "{}",
            citation.citation
        );
        assert!(body.contains(&format!("href=\"{}\"", e(&citation.url))));
        assert!(body.contains(&format!("href=\"/rules/{}\"", citation.id)));
    }
    for caveat in &answer.caveats {
        assert!(body.contains(&e(&caveat.message).to_string()));
    }
    // The trace names rules by their ids, so it is technical details, closed by default.
    assert!(body.contains("<details><summary>Technical details: the "));
    for entry in &answer.trace {
        assert!(body.contains(&format!(">{}</a>", e(&entry.rule))));
    }
    assert!(body.contains(&e(answer.disclaimer).to_string()));
    // The twins, linked from the page and in the Link header, keep the question.
    let twin = format!("/ask.json?{}", ask_query(&input));
    assert!(
        reply
            .link()
            .contains(&format!("<{twin}>; rel=\"alternate\""))
    );
    assert!(body.contains(&e(&twin).to_string()));
    // The form is filled in with the question, for the next one.
    assert!(body.contains("<option value=\"share_alpr_data\" selected"));
    assert!(body.contains("<option value=\"out_of_state_agency\" selected"));
}

#[tokio::test]
async fn ask_csv_is_the_trace() {
    let state = law_state();
    let corpus = corpus();
    let input = question("TX", "jail", "honor_detainer", "ice");
    let answer = corpus.answer(&corpus.question(&input).unwrap());
    let reply = get(&state, &format!("/ask.csv?{}", ask_query(&input))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.content_type().starts_with("text/csv"));
    let (headers, rows) = reply.csv();
    assert_eq!(
        headers,
        ["rule", "jurisdiction", "modality", "outcome", "reasons"]
    );
    let rules: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let expected: Vec<&str> = answer.trace.iter().map(|t| t.rule.as_str()).collect();
    assert_eq!(rules, expected);
}

#[tokio::test]
async fn facts_and_blank_fields_are_read_as_a_browser_sends_them() {
    let state = law_state();
    let corpus = corpus();
    // A GET form sends empty optional fields and one `fact` per ticked box.
    let uri = format!(
        "/ask.json?where=CA&date={DATE}&actor=jail&action=transfer_custody&counterparty=ice&purpose=&fact=judicial_warrant&fact=person_in_custody"
    );
    let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
    let mut input = question("CA", "jail", "transfer_custody", "ice");
    input.facts = vec![
        "judicial_warrant".to_string(),
        "person_in_custody".to_string(),
    ];
    let expected = corpus.answer(&corpus.question(&input).unwrap());
    assert_eq!(data, serde_json::to_value(&expected).unwrap());
    assert_eq!(data["question"]["facts"].as_array().map(Vec::len), Some(2));
    assert_eq!(data["question"]["purpose"], "unspecified");
}

#[tokio::test]
async fn ask_without_a_date_asks_about_today() {
    let state = law_state();
    let uri = "/ask.json?where=CA&actor=local_police&action=honor_detainer";
    let data = assert_ok_envelope(uri, &get(&state, uri).await);
    assert_eq!(data["question"]["date"], remit_web::today().to_string());
}

/// `where` may name an agency, as `remit ask --where` takes it: the question is about the
/// division whose rules bind the agency, the same answer as asking about that division.
#[tokio::test]
async fn where_may_name_an_agency() {
    let state = law_state();
    let query = |place: &str| {
        format!(
            "where={}&date={DATE}&actor=local_police&action=share_alpr_data&counterparty=out_of_state_agency",
            place.replace(' ', "+")
        )
    };
    let by_name = format!("/ask.json?{}", query("El Cajon CA PD"));
    let data = assert_ok_envelope(&by_name, &get(&state, &by_name).await);
    let division = "ocd-division/country:us/state:ca/place:el_cajon";
    assert_eq!(data["question"]["where"], division);
    let by_place = format!("/ask.json?{}", query(division));
    let direct = assert_ok_envelope(&by_place, &get(&state, &by_place).await);
    assert_eq!(data, direct);
    assert_eq!(data["verdict"], "must_not");

    // The page says how the name was read, and the form keeps what was typed.
    let page = get(&state, &format!("/ask?{}", query("El Cajon CA PD"))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("read as <strong>El Cajon Police Department</strong> (CA0370500)")
    );
    assert!(page.body.contains("value=\"El Cajon CA PD\""));

    // A name one place dwarfs the others with is read as it, and the page names the others.
    let page = get(
        &state,
        &format!("/ask?{}", query("Houston Police Department")),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("bind it: Houston, Texas."));
    // The division's id is in the technical details, not in the sentence.
    assert!(page.body.contains(
        "<summary>Technical details</summary><p>Place id: <code>ocd-division/country:us/state:tx/place:houston</code>"
    ));
    assert!(page.body.contains("It is the largest of"), "{}", page.body);
    assert!(page.body.contains("“Houston, MO”"));

    // A name the resolver cannot place is the usual error about `where`.
    let unknown = "/ask.json?where=Nowhere+Special&actor=local_police&action=share_alpr_data";
    assert_eq!(get(&state, unknown).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_empty_form_offers_every_word_of_the_vocabulary() {
    let state = law_state();
    let corpus = corpus();
    let reply = get(&state, "/ask").await;
    assert_eq!(reply.status, StatusCode::OK);
    for action in corpus.vocabulary().actions() {
        assert!(
            reply
                .body
                .contains(&format!("<option value=\"{}\"", action.name))
        );
    }
    for fact in corpus.vocabulary().facts() {
        assert!(reply.body.contains(&format!(
            "<input type=\"checkbox\" name=\"fact\" value=\"{}\"",
            fact.name
        )));
    }
    assert!(
        reply
            .body
            .contains("<form class=\"ask\" method=\"get\" action=\"/ask\">")
    );
    // Example questions from the corpus's scenarios link to their answers.
    let first = &corpus.scenarios()[0];
    assert!(reply.body.contains(&e(&first.question_text).to_string()));
}

#[tokio::test]
async fn a_bad_question_shows_the_form_again_with_every_problem() {
    let state = law_state();
    let reply = get(
        &state,
        "/ask?where=Californa&actor=polise&action=honor_detainer&date=2026-02-30",
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.content_type().starts_with("text/html"));
    assert!(reply.body.contains("role=\"alert\""));
    assert!(reply.body.contains("`where`"), "{}", reply.body);
    assert!(reply.body.contains("did you mean `California`?"));
    assert!(reply.body.contains("`actor`"));
    assert!(reply.body.contains("`date`"));
    assert!(reply.body.contains("value=\"Californa\""));
}

#[tokio::test]
async fn user_input_is_escaped() {
    let state = law_state();
    let reply = get(
        &state,
        "/ask?where=%3Cscript%3Ealert(1)%3C%2Fscript%3E&actor=local_police&action=honor_detainer",
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(!reply.body.contains("<script>"));
    assert!(reply.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[tokio::test]
async fn every_rule_has_its_page() {
    let state = law_state();
    let corpus = corpus();
    for rule in corpus.rules() {
        let uri = format!("/rules/{}.json", rule.id);
        let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
        assert_eq!(data["rule"]["id"], rule.id.as_str());
        assert_eq!(data["rule"]["source"]["url"], rule.source.url.as_str());
        let exceptions: Vec<&str> = corpus
            .rules()
            .iter()
            .filter(|r| r.exception_to.contains(&rule.id))
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(data["exceptions"], serde_json::json!(exceptions));
        let html = get(&state, &format!("/rules/{}", rule.id)).await;
        assert_eq!(html.status, StatusCode::OK, "{}", rule.id);
        assert!(html.body.contains(&e(&rule.summary).to_string()));
        assert!(
            html.body
                .contains(&format!("href=\"{}\"", e(&rule.source.url)))
        );
        assert!(
            html.link()
                .contains(&format!("</rules/{}.json>; rel=\"alternate\"", rule.id))
        );
    }
}

#[tokio::test]
async fn an_unknown_rule_suggests_the_nearest() {
    let state = law_state();
    let corpus = corpus();
    let rule = &corpus.rules()[0];
    let mistyped = format!("{}x", rule.id);
    let reply = get(&state, &format!("/rules/{mistyped}.json")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let json = reply.json();
    assert_eq!(json["error"], format!("no rule `{mistyped}` in the corpus"));
    assert_eq!(json["help"], format!("did you mean `{}`?", rule.id));
}

#[tokio::test]
async fn rules_filter_by_place_action_and_text() {
    let state = law_state();
    let corpus = corpus();
    let california = Jurisdiction::for_state("CA").unwrap();
    let expected: Vec<&str> = corpus
        .rules()
        .iter()
        .filter(|r| r.jurisdiction.contains(&california))
        .map(|r| r.id.as_str())
        .collect();
    assert!(expected.len() > 1);
    let uri = "/rules.json?jurisdiction=CA";
    let data = assert_ok_envelope(uri, &get(&state, uri).await);
    let ids: Vec<&str> = data["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(data["count"], expected.len());
    assert_eq!(data["total"], corpus.rules().len());

    let uri = "/rules.csv?jurisdiction=California&action=honor_detainer";
    let reply = get(&state, uri).await;
    let (headers, rows) = reply.csv();
    assert_eq!(headers[0], "id");
    let expected: Vec<&str> = corpus
        .rules()
        .iter()
        .filter(|r| r.jurisdiction.contains(&california))
        .filter(|r| r.actions.iter().any(|a| a == "honor_detainer"))
        .map(|r| r.id.as_str())
        .collect();
    assert!(!expected.is_empty());
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, expected);

    let rule = &corpus.rules()[corpus.rules().len() / 2];
    let uri = format!(
        "/rules.json?q={}",
        remit_web::html::url_component(&rule.source.citation)
    );
    let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
    assert!(
        data["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == rule.id.as_str())
    );
}

#[tokio::test]
async fn a_place_shows_its_rules_in_force_and_the_engines_matrix() {
    let state = law_state();
    let corpus = corpus();
    let date: Date = DATE.parse().unwrap();
    let coverage = corpus.coverage(date);
    let row = coverage
        .rows
        .iter()
        .find(|r| r.jurisdiction == "ocd-division/country:us/state:ca")
        .expect("the corpus has California rules");
    for uri in [
        format!("/jurisdictions/ocd-division/country:us/state:ca.json?date={DATE}"),
        format!("/jurisdictions/CA.json?date={DATE}"),
    ] {
        let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
        assert_eq!(data["id"], "ocd-division/country:us/state:ca");
        let matrix = data["matrix"].as_array().unwrap();
        assert_eq!(matrix.len(), row.cells.len());
        for (cell, line) in row.cells.iter().zip(matrix) {
            assert_eq!(line["action"], cell.action.as_str());
            assert_eq!(line["verdict"], cell.verdict.name(), "{}", cell.action);
        }
        let california = Jurisdiction::for_state("CA").unwrap();
        let in_force: Vec<&str> = corpus
            .rules()
            .iter()
            .filter(|r| r.jurisdiction.contains(&california) && r.effective_on(date))
            .filter(|r| {
                matches!(
                    r.status_on(date),
                    remit_law::Status::InForce | remit_law::Status::Contested
                )
            })
            .map(|r| r.id.as_str())
            .collect();
        let shown: Vec<&str> = data["in_force"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(shown, in_force);
    }
    let reply = get(
        &state,
        &format!("/jurisdictions/CA.csv?table=matrix&date={DATE}"),
    )
    .await;
    let (headers, rows) = reply.csv();
    assert_eq!(
        headers,
        ["action", "actor", "counterparty", "verdict", "determining"]
    );
    assert_eq!(rows.len(), row.cells.len());
    let html = get(&state, &format!("/jurisdictions/CA?date={DATE}")).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.contains("<h1>California</h1>"));
    let must_not = row
        .cells
        .iter()
        .filter(|c| c.verdict == Verdict::MustNot)
        .count();
    assert_eq!(
        html.body.matches("class=\"verdict v-must_not\"").count(),
        must_not
    );
}

#[tokio::test]
async fn a_place_without_rules_of_its_own_gets_the_levels_above() {
    let state = law_state();
    let uri =
        format!("/jurisdictions/ocd-division/country:us/state:oh/place:columbus.json?date={DATE}");
    let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
    assert_eq!(
        data["chain"],
        serde_json::json!([
            "ocd-division/country:us",
            "ocd-division/country:us/state:oh",
            "ocd-division/country:us/state:oh/place:columbus"
        ])
    );
    let levels: Vec<&str> = data["in_force"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["jurisdiction"].as_str().unwrap())
        .collect();
    assert!(!levels.is_empty());
    assert!(
        levels
            .iter()
            .all(|l| "ocd-division/country:us/state:oh/place:columbus".starts_with(l))
    );
}

#[tokio::test]
async fn the_place_form_redirects_to_the_place() {
    let state = law_state();
    let reply = get(&state, "/jurisdictions?place=Texas").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.headers.get("location").unwrap(),
        "/jurisdictions/ocd-division/country:us/state:tx"
    );
}

#[tokio::test]
async fn coverage_sources_and_vocabulary_match_the_corpus() {
    let state = law_state();
    let corpus = corpus();
    let date: Date = DATE.parse().unwrap();
    let coverage = corpus.coverage(date);
    let reply = get(&state, &format!("/coverage.csv?date={DATE}")).await;
    let (_, rows) = reply.csv();
    assert_eq!(rows.len(), coverage.rows.len() * coverage.actions.len());
    let uri = "/sources.json";
    let data = assert_ok_envelope(uri, &get(&state, uri).await);
    assert_eq!(data.as_array().map(Vec::len), Some(corpus.sources().len()));
    let reply = get(&state, "/vocabulary.csv").await;
    let (_, rows) = reply.csv();
    let v = corpus.vocabulary();
    assert_eq!(
        rows.len(),
        v.actors().len()
            + v.counterparties().len()
            + v.actions().len()
            + v.purposes().len()
            + v.facts().len()
    );
}

#[tokio::test]
async fn the_overview_says_what_is_loaded() {
    let state = law_state();
    let corpus = corpus();
    for uri in ["/.json", "/index.json"] {
        let data = assert_ok_envelope(uri, &get(&state, uri).await);
        assert_eq!(data["corpus"]["rules"], corpus.rules().len());
        assert_eq!(data["corpus"]["version"], corpus.version());
        assert_eq!(data["imports"], serde_json::Value::Null);
    }
    let reply = get(&state, "/").await;
    assert!(reply.body.contains(&e(corpus.version()).to_string()));
    assert!(reply.body.contains("No store is open"));
    // Source, licence and date of the data in the footer.
    assert!(reply.body.contains("Licence:"));
    assert!(reply.body.contains(&format!(
        "sources read through {}",
        corpus.metadata().sources_read_through
    )));
}

#[tokio::test]
async fn system_pages() {
    let state = law_state();
    let data = assert_ok_envelope("/-/health.json", &get(&state, "/-/health.json").await);
    assert_eq!(data["status"], "ok");
    assert_eq!(data["store"], "none");
    let data = assert_ok_envelope("/-/version.json", &get(&state, "/-/version.json").await);
    assert_eq!(data["remit"], env!("CARGO_PKG_VERSION"));
    assert_eq!(data["corpus"], corpus().version());
    assert_eq!(data["uploads"], false);
}

/// A Texas jail asked about a detainer from any federal immigration authority: the state's duty
/// concerns ICE's detainers, so the answer depends on the agency, and one link asks about ICE.
#[tokio::test]
async fn an_answer_that_depends_on_the_agency_links_to_the_question_naming_it() {
    let state = law_state();
    let url = "/ask?where=TX&actor=jail&action=honor_detainer&date=2026-12-01";
    let reply = get(&state, url).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("v-depends"), "{}", reply.body);
    assert!(
        reply.body.contains("the agency involved is ICE"),
        "{}",
        reply.body
    );
    let link = "/ask?where=TX&amp;date=2026-12-01&amp;actor=jail&amp;action=honor_detainer&amp;counterparty=ice";
    assert!(reply.body.contains(link), "{}", reply.body);
    let settled = answer_of_link(&state, link).await;
    assert!(
        settled.body.contains("\"otherwise\":\"must\"")
            || settled.body.contains("\"verdict\":\"must\""),
        "{}",
        settled.body
    );
    // The JSON twin names the branch's agency.
    let json = get(&state, &url.replace("/ask?", "/ask.json?")).await;
    assert!(
        json.body.contains("\"counterparty\":\"ICE\""),
        "{}",
        json.body
    );
}

/// The JSON answer behind an ask link as a page writes it (`&amp;` between its parameters),
/// which must be a 200.
async fn answer_of_link(state: &remit_web::AppState, link: &str) -> crate::common::Reply {
    let reply = get(
        state,
        &link.replace("&amp;", "&").replace("/ask?", "/ask.json?"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{link}");
    reply
}

/// A community with no police of its own is named as such, in the page's language.
#[tokio::test]
async fn a_community_without_police_is_read_as_its_parish_in_either_language() {
    let state = law_state();
    let english = get(
        &state,
        "/ask?where=Metairie%2C+LA&actor=sheriff&action=honor_detainer&date=2026-12-01",
    )
    .await;
    assert_eq!(english.status, StatusCode::OK);
    assert!(
        english
            .body
            .contains("a community in Jefferson Parish with no police department of its own"),
        "{}",
        english.body
    );
    let spanish = get(
        &state,
        "/es/ask?where=Metairie%2C+LA&actor=sheriff&action=honor_detainer&date=2026-12-01",
    )
    .await;
    assert_eq!(spanish.status, StatusCode::OK);
    assert!(
        spanish.body.contains("sin departamento de policía propio"),
        "{}",
        spanish.body
    );
    assert!(
        !spanish.body.contains("with no police department"),
        "{}",
        spanish.body
    );
}

#[tokio::test]
async fn an_answer_that_depends_offers_each_deciding_fact_as_a_link() {
    let state = law_state();
    let url =
        "/ask?where=TX&actor=sheriff&action=enter_287g_agreement&counterparty=ice&date=2026-06-01";
    let reply = get(&state, url).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("v-depends"), "{}", reply.body);
    assert!(
        reply
            .body
            .contains("It depends on facts the question does not state")
    );
    // One click settles it: the link adds the fact, and that answer is no longer `depends`.
    let link = "/ask?where=TX&amp;date=2026-06-01&amp;actor=sheriff&amp;action=enter_287g_agreement&amp;counterparty=ice&amp;fact=county_operates_jail";
    assert!(reply.body.contains(link), "{}", reply.body);
    let settled = answer_of_link(&state, link).await;
    assert!(
        settled.body.contains("\"verdict\":\"must\""),
        "{}",
        settled.body
    );
    // The JSON twin keeps `verdict` and adds `branches` and `otherwise`.
    let json = get(&state, &url.replace("/ask?", "/ask.json?")).await;
    assert!(
        json.body.contains("\"verdict\":\"depends\""),
        "{}",
        json.body
    );
    assert!(json.body.contains("\"otherwise\":\"may\""), "{}", json.body);
    assert!(json.body.contains("\"branches\":[{"), "{}", json.body);
}

#[tokio::test]
async fn the_guide_lists_every_question_with_its_answer_and_twins() {
    let state = law_state();
    let url = "/guide?where=Los+Angeles%2C+CA&actor=local_police&date=2026-01-15";
    let reply = get(&state, url).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.body.contains(
            "What the law says for a municipal police department in Los Angeles, California"
        ),
        "{}",
        reply.body
    );
    assert!(
        reply
            .body
            .contains("Detainers, release notices and transfers")
    );
    assert!(reply.body.contains("not legal advice"));
    let json = get(&state, &url.replace("/guide?", "/guide.json?")).await;
    assert_eq!(json.status, StatusCode::OK);
    assert!(json.body.contains("\"sections\":["));
    let csv = get(&state, &url.replace("/guide?", "/guide.csv?")).await;
    assert_eq!(csv.status, StatusCode::OK);
    let (headers, rows) = csv.csv();
    assert_eq!(headers[0], "section");
    assert!(rows.len() >= 10, "{} rows", rows.len());
    // Without a place, the page is the form, and the JSON describes the fields.
    let empty = get(&state, "/guide.json").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("\"fields\""));
    let bad = get(&state, "/guide?where=Nowhere+City%2C+ZZ&actor=sheriff").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("role=\"alert\""));
    assert!(bad.body.contains("value=\"Nowhere City, ZZ\""));
}

/// The pages of a paged list, followed by their `rel="next"` links from `first`, with each page's
/// rows: the text after each `start` up to the next `end`.
async fn pages_of(
    state: &remit_web::AppState,
    first: &str,
    start: &str,
    end: &str,
) -> Vec<(String, Vec<String>)> {
    let mut pages = Vec::new();
    let mut next = Some(first.to_string());
    while let Some(uri) = next.take() {
        let reply = get(state, &uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        let mut rows = Vec::new();
        for piece in reply.body.split(start).skip(1) {
            let text = piece.split(end).next().unwrap_or("");
            rows.push(text.to_string());
        }
        next = reply
            .body
            .split("rel=\"next\"")
            .next()
            .filter(|before| before.len() < reply.body.len())
            .and_then(|before| before.rsplit("href=\"").next())
            .map(|href| href.split('"').next().unwrap_or("").replace("&amp;", "&"));
        pages.push((uri, rows));
        assert!(pages.len() < 100, "the pages of {first} do not end");
    }
    pages
}

#[tokio::test]
async fn regression_issue_17_coverage_and_sources_are_paged_and_filtered() {
    let state = law_state();
    let corpus = corpus();
    let date: Date = DATE.parse().unwrap();
    let coverage = corpus.coverage(date);
    // Every place of the matrix once, in order, over pages that each stay small.
    let pages = pages_of(
        &state,
        &format!("/coverage?date={DATE}"),
        "<th scope=\"row\"><a href=\"/jurisdictions/",
        "\"",
    )
    .await;
    assert!(pages.len() > 1);
    let shown: Vec<String> = pages
        .iter()
        .flat_map(|(_, rows)| {
            rows.iter()
                .map(|r| r.split('?').next().unwrap_or("").to_string())
        })
        .collect();
    let expected: Vec<String> = coverage
        .rows
        .iter()
        .map(|r| r.jurisdiction.clone())
        .collect();
    assert_eq!(shown, expected);
    for (uri, _) in &pages[1..] {
        let reply = get(&state, uri).await;
        assert!(
            reply.body.len() < 100_000,
            "{uri}: {} bytes",
            reply.body.len()
        );
    }
    // A place's row carries the date the matrix is for.
    assert!(
        pages[0].1[0].ends_with(&format!("?date={DATE}")),
        "{:?}",
        pages[0].1[0]
    );
    // `q` keeps the places whose name holds the text, in every form.
    let texas: Vec<&str> = coverage
        .rows
        .iter()
        .filter(|r| r.label.to_lowercase().contains("texas"))
        .map(|r| r.jurisdiction.as_str())
        .collect();
    assert!(texas.len() > 3);
    let data = assert_ok_envelope(
        "/coverage.json?q=TEXAS",
        &get(&state, &format!("/coverage.json?q=TEXAS&date={DATE}")).await,
    );
    let ids: Vec<&str> = data["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["jurisdiction"].as_str().unwrap())
        .collect();
    assert_eq!(ids, texas);

    // Sources: every one once over the pages; `q` over citation and title, accents ignored.
    let sources = corpus.sources();
    let pages = pages_of(&state, "/sources", "<tr><td>", "</td>").await;
    let rows: usize = pages.iter().map(|(_, rows)| rows.len()).sum();
    assert_eq!(rows, sources.len());
    assert!(pages.len() > 1);
    let trust = sources
        .iter()
        .filter(|s| {
            s.citation.to_lowercase().contains("trust act")
                || s.title.to_lowercase().contains("trust act")
        })
        .count();
    assert!(trust > 0);
    let data = assert_ok_envelope(
        "/sources.json?q=Trust%20Act",
        &get(&state, "/sources.json?q=Trust%20Act").await,
    );
    assert_eq!(data.as_array().map(Vec::len), Some(trust));
}
