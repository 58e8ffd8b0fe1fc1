//! The law and system pages as their readers need them (issue 17): plain words with identifiers
//! only in "Technical details", every error page keeping its form, the question's twins
//! describing the question, uploads visible with how to turn them on, a home page that leads with
//! the numbers of a real store, and a search that finds real agencies of the FBI directory however
//! they are typed.

use std::path::PathBuf;

use axum::http::StatusCode;
use remit_web::{AppState, Options};

use crate::common::{assert_ok_envelope, corpus, demo_state, get, law_state, shared_data};

/// The text a reader sees in a page's `<main>`: closed disclosures (`<details>`), markup and
/// attribute values left out.
fn shown_text(html: &str) -> String {
    let main = html
        .split("<main")
        .nth(1)
        .and_then(|rest| rest.split("</main>").next())
        .unwrap_or(html);
    let mut text = String::new();
    let mut rest = main;
    while let Some(start) = rest.find("<details") {
        text.push_str(&rest[..start]);
        rest = match rest[start..].find("</details>") {
            Some(end) => &rest[start + end + "</details>".len()..],
            None => "",
        };
    }
    text.push_str(rest);
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Words joined by underscores (`share_alpr_data`): the vocabulary's and the code's identifiers.
fn identifiers(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        .filter(|word| {
            word.contains('_')
                && word
                    .split('_')
                    .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
        })
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn the_identifier_check_can_fail() {
    let page = "<main><p>Doing what: share_alpr_data</p><details><summary>Technical details</summary>rule_id</details></main>";
    assert_eq!(identifiers(&shown_text(page)), vec!["share_alpr_data"]);
    assert!(
        identifiers(&shown_text(
            "<main><option value=\"a_b\">a b</option></main>"
        ))
        .is_empty()
    );
}

#[tokio::test]
async fn regression_issue_17_the_law_pages_speak_plain_words() {
    let (state, _folder, _direct) = demo_state();
    let rule = corpus().rules()[0].id.clone();
    for uri in [
        "/".to_string(),
        "/ask".to_string(),
        "/ask?where=CA&actor=local_police&action=share_alpr_data&counterparty=out_of_state_agency"
            .to_string(),
        "/ask?where=El+Cajon+CA+PD&actor=local_police&action=share_alpr_data&counterparty=out_of_state_agency&date=2026-01-15"
            .to_string(),
        "/ask?where=TX&actor=sheriff&action=honor_detainer&date=2026-01-15".to_string(),
        "/guide?where=El+Cajon%2C+CA&actor=local_police".to_string(),
        "/guide".to_string(),
        "/rules".to_string(),
        "/rules/us-ca/gov-7284.6-a1B".to_string(),
        format!("/rules/{rule}"),
        "/coverage".to_string(),
        "/sources".to_string(),
        "/vocabulary".to_string(),
        "/jurisdictions".to_string(),
        "/jurisdictions/CA".to_string(),
        "/jurisdictions/TX".to_string(),
        "/search?q=el+cajon".to_string(),
        "/search?q=detainer".to_string(),
        "/-/imports".to_string(),
        "/-/version".to_string(),
        "/-/health".to_string(),
        "/-/upload".to_string(),
    ] {
        let reply = get(&state, &uri).await;
        assert!(
            reply.status == StatusCode::OK || uri == "/-/upload",
            "{uri}: {}",
            reply.status
        );
        let ids = identifiers(&shown_text(&reply.body));
        assert!(
            ids.is_empty(),
            "{uri} shows identifiers outside the technical details: {ids:?}"
        );
        assert!(
            reply.body.contains("not legal advice"),
            "{uri} does not say it is not legal advice"
        );
    }
    // No rule's page shows an identifier outside its technical details.
    let mut shown = Vec::new();
    for rule in corpus().rules() {
        let uri = format!("/rules/{}", rule.id);
        let ids = identifiers(&shown_text(&get(&state, &uri).await.body));
        if !ids.is_empty() {
            shown.push(format!("{uri}: {ids:?}"));
        }
    }
    assert!(shown.is_empty(), "{}", shown.join("\n"));
    // The answer names the question in the vocabulary's phrases, and the rules by their
    // citations; the ids stay in the technical details.
    let corpus = corpus();
    let v = corpus.vocabulary();
    let answer = get(
        &state,
        "/ask?where=CA&actor=local_police&action=share_alpr_data&counterparty=out_of_state_agency&date=2026-01-15",
    )
    .await
    .body;
    let action = v
        .phrase(remit_law::vocabulary::WordKind::Action, "share_alpr_data")
        .unwrap_or_default()
        .replace(" with {counterparty}", "");
    assert!(
        answer.contains(&format!("doing what: <em>{action}</em>")),
        "{action}"
    );
    assert!(answer.contains("<summary>Technical details: the "));
    // The glossary defines every word of the vocabulary in its phrase, and the pages' own terms.
    let glossary = get(&state, "/vocabulary").await.body;
    for word in v.actions() {
        assert!(glossary.contains(&format!("<code>{}</code>", word.name)));
    }
    assert!(glossary.contains("<dt><strong>set aside</strong></dt>"));
}

#[tokio::test]
async fn regression_issue_17_the_question_twins_describe_the_question() {
    let state = law_state();
    let corpus = corpus();
    let data = assert_ok_envelope("/ask.json", &get(&state, "/ask.json").await);
    assert!(data["fields"]["where"].is_string());
    let csv = get(&state, "/ask.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type().starts_with("text/csv"));
    let (headers, rows) = csv.csv();
    assert_eq!(headers, ["field", "word", "phrase", "meaning", "required"]);
    for word in corpus.vocabulary().actions() {
        assert!(
            rows.iter()
                .any(|r| r[0] == "action" && r[1] == word.name && !r[2].contains('_')),
            "/ask.csv lacks the action {}",
            word.name
        );
    }
    assert_eq!(
        rows.iter().filter(|r| r[0] == "fact").count(),
        corpus.vocabulary().facts().len()
    );
    assert!(rows.iter().any(|r| r[0] == "where" && r[4] == "yes"));
    let guide = get(&state, "/guide.csv").await;
    assert_eq!(guide.status, StatusCode::OK);
    let (_, rows) = guide.csv();
    assert!(rows.iter().any(|r| r[0] == "actor" && r[1] == "sheriff"));
    // A question still gets its trace.
    let asked = get(
        &state,
        "/ask.csv?where=CA&actor=local_police&action=honor_detainer",
    )
    .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert_eq!(asked.csv().0[0], "rule");
}

#[tokio::test]
async fn regression_issue_17_every_error_page_keeps_its_form_and_says_what_to_do() {
    let state = law_state();
    for (uri, status, form, kept) in [
        (
            "/jurisdictions?place=Narnia",
            StatusCode::BAD_REQUEST,
            "action=\"/jurisdictions\"",
            "value=\"Narnia\"",
        ),
        (
            "/jurisdictions/Narnia",
            StatusCode::NOT_FOUND,
            "action=\"/jurisdictions\"",
            "value=\"Narnia\"",
        ),
        (
            "/jurisdictions/CA?date=yesterday-ish",
            StatusCode::BAD_REQUEST,
            "action=\"/jurisdictions/ocd-division/country:us/state:ca\"",
            "value=\"yesterday-ish\"",
        ),
        (
            "/rules?action=fly&q=detainer",
            StatusCode::BAD_REQUEST,
            "action=\"/rules\"",
            "value=\"detainer\"",
        ),
        (
            "/rules?jurisdiction=Narnia",
            StatusCode::BAD_REQUEST,
            "action=\"/rules\"",
            "value=\"Narnia\"",
        ),
        (
            "/coverage?date=2026-13-45",
            StatusCode::BAD_REQUEST,
            "action=\"/coverage\"",
            "value=\"2026-13-45\"",
        ),
        (
            "/ask?where=Narnia&actor=local_police&action=honor_detainer",
            StatusCode::BAD_REQUEST,
            "action=\"/ask\"",
            "value=\"Narnia\"",
        ),
        (
            "/guide?where=Narnia&actor=sheriff",
            StatusCode::BAD_REQUEST,
            "action=\"/guide\"",
            "value=\"Narnia\"",
        ),
    ] {
        let reply = get(&state, uri).await;
        assert_eq!(reply.status, status, "{uri}");
        assert!(reply.content_type().starts_with("text/html"), "{uri}");
        assert!(reply.body.contains(form), "{uri} lost its form");
        assert!(reply.body.contains(kept), "{uri} lost what was typed");
        assert!(
            reply.body.contains("role=\"alert\""),
            "{uri}: no problem shown"
        );
        assert!(reply.body.contains("What to do: "), "{uri}: no help");
        // The twins answer the same error in the envelope.
        let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
        let twin = format!("{path}.json?{query}");
        let json = get(&state, &twin).await;
        assert_eq!(json.status, status, "{twin}");
        assert_eq!(json.json()["ok"], false, "{twin}");
    }
}

#[tokio::test]
async fn regression_issue_17_uploads_are_visible_with_how_to_turn_them_on() {
    let state = law_state();
    let home = get(&state, "/").await.body;
    assert!(
        home.contains("href=\"/-/upload\""),
        "the home page hides uploads"
    );
    assert!(home.contains("remit serve --allow-uploads"));
    let page = get(&state, "/-/upload").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("How to turn uploads on"));
    assert!(page.body.contains("remit audit FILE --owner AGENCY"));
    // No form is served while uploads are off.
    assert!(!page.body.contains("enctype=\"multipart/form-data\""));
    let version = get(&state, "/-/version").await.body;
    assert!(version.contains("--allow-uploads"));
}

/// The home page over a store of ICE's real sheets: the headline numbers are the registry's,
/// the recent changes name the two latest sheets, and the import log is on its own page with its
/// issue kinds explained.
#[tokio::test]
async fn regression_issue_17_the_home_page_over_real_sheets_leads_with_the_numbers() {
    let Some(root) = shared_data() else { return };
    let sheets: Vec<PathBuf> = ["sheets_20250519_024922", "sheets_20250520_151813"]
        .iter()
        .filter_map(|folder| {
            std::fs::read_dir(root.join("287g/ice-sheets").join(folder))
                .ok()?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .find(|path| {
                    path.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("participatingAgencies"))
                })
        })
        .collect();
    assert_eq!(sheets.len(), 2, "the real sheets are missing: {sheets:?}");
    let folder = remit_web::demo::Folder::create().unwrap_or_else(|e| panic!("{e}"));
    let path = folder.path().join("remit.db");
    let mut store = remit_store::Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
    {
        let mut registry =
            remit_registry::Registry::open(&mut store).unwrap_or_else(|e| panic!("{e}"));
        for sheet in &sheets {
            registry
                .import(sheet, remit_registry::ImportOptions::default())
                .unwrap_or_else(|e| panic!("{}: {e}", sheet.display()));
        }
        registry
            .refresh(&mut remit_registry::NoDirectory)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let stats = remit_registry::Registry::open(&mut store)
        .and_then(|r| r.stats(None, &remit_registry::Filter::default()))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(stats.agreements > 500, "{} agreements", stats.agreements);
    let state = AppState::new(corpus(), Some(store), Options::default());
    let data = assert_ok_envelope("/.json", &get(&state, "/.json").await);
    let headline = &data["headlines"]["agreements"];
    assert_eq!(headline["agreements"], stats.agreements);
    assert!(headline["previous"].is_string(), "{headline}");
    let home = get(&state, "/").await.body;
    let count = remit_web::html::count(stats.agreements);
    assert!(
        home.contains(&format!("<span class=\"big\">{count}</span>")),
        "the home page does not lead with {count} agreements"
    );
    // Two months of sheets do not reach back a year, and the page says so rather than guess.
    assert!(home.contains("the sheets do not reach back a year"));
    assert!(home.contains("<h2>Recent changes</h2>"));
    assert!(home.contains("action=\"/ask\""));
    assert!(
        !home.contains("participatingAgencies"),
        "the import log is on the home page"
    );
    let imports = get(&state, "/-/imports").await.body;
    for sheet in &sheets {
        let name = sheet.file_name().and_then(|n| n.to_str()).unwrap_or("");
        assert!(imports.contains(name), "/-/imports does not list {name}");
    }
    assert!(
        imports.contains("<strong>ICE 287(g) sheet</strong>: a row Remit could not read whole")
    );
}

/// Real agencies of the FBI directory, typed as people type them, found by the site search; each
/// result leads to a page that answers.
#[tokio::test]
async fn regression_issue_17_search_finds_real_directory_agencies_however_typed() {
    let Some(root) = shared_data() else { return };
    let directory = remit_agencies::Directory::from_fbi_csv(&root.join("agencies/fbi-lee.csv"))
        .unwrap_or_else(|e| panic!("the FBI directory does not load: {e}"));
    let state = AppState::new(corpus(), None, Options::default()).with_directory(directory);
    for (query, title, ori) in [
        ("okaloosa", "Okaloosa County Sheriff's Office", "FL0460000"),
        (
            "OKALOOSA sheriff",
            "Okaloosa County Sheriff's Office",
            "FL0460000",
        ),
        (
            "okalosa county",
            "Okaloosa County Sheriff's Office",
            "FL0460000",
        ),
        (
            "harris county sherif",
            "Harris County Sheriff's Office",
            "TX1010000",
        ),
        ("nypd", "New York City Police Department", "NY0303000"),
        (
            "new york police",
            "New York City Police Department",
            "NY0303000",
        ),
        ("el cajon police", "El Cajon Police Department", "CA0370500"),
    ] {
        let uri = format!("/search.json?q={}", query.replace(' ', "+"));
        let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
        let results = data["results"].as_array().cloned().unwrap_or_default();
        let position = results
            .iter()
            .position(|r| r["kind"] == "agency" && r["id"] == ori)
            .unwrap_or_else(|| panic!("{uri}: no {ori} in {:?}", &results[..results.len().min(5)]));
        let found = &results[position];
        assert!(
            position < 5,
            "{uri}: {title} is only result {} of {}",
            position + 1,
            results.len()
        );
        if query != "harris county sherif" {
            assert_eq!(found["title"], title, "{uri}");
        } else {
            // Several Harrises have a sheriff; Texas's is among them, by its own title.
            assert!(results.iter().any(|r| r["title"] == title), "{uri}");
        }
        let url = found["url"].as_str().unwrap_or("");
        let page = get(&state, url).await;
        assert_eq!(page.status, StatusCode::OK, "{uri} -> {url}");
    }
    // The page shows the result by name, not by its code.
    let page = get(&state, "/search?q=okaloosa").await.body;
    assert!(
        page.contains("Okaloosa County Sheriff&#39;s Office")
            || page.contains("Okaloosa County Sheriff's Office")
    );
    assert!(identifiers(&shown_text(&page)).is_empty());
}

/// The places the ask form suggests are written as people write them, and each reads as a
/// place: choosing a suggestion never makes the question fail.
#[tokio::test]
async fn regression_issue_17_every_suggested_place_can_be_asked_about() {
    let state = law_state();
    let form = get(&state, "/ask").await.body;
    let list = form
        .split("<datalist id=\"places\">")
        .nth(1)
        .and_then(|rest| rest.split("</datalist>").next())
        .unwrap_or_else(|| panic!("the ask form suggests no places"));
    let values: Vec<String> = list
        .split("<option value=\"")
        .skip(1)
        .filter_map(|part| part.split('"').next())
        .map(|v| v.replace("&amp;", "&").replace("&quot;", "\""))
        .collect();
    assert!(values.len() > 50, "only {} suggestions", values.len());
    let mut failed = Vec::new();
    for value in &values {
        assert!(!value.starts_with("ocd-division"), "{value} is an id");
        let uri = format!(
            "/ask.json?{}",
            remit_web::html::query_string([
                ("where", value.as_str()),
                ("actor", "local_police"),
                ("action", "honor_detainer"),
            ])
        );
        let reply = get(&state, &uri).await;
        if reply.status != StatusCode::OK {
            failed.push(format!("{value}: {}", reply.body));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
