//! The dashboard as its readers use it (issue 17): no link leads nowhere, one search finds places,
//! agencies, rules and audits whatever the case or a small misspelling, every agency the records
//! name has a page joining them, and the home page leads with the records' headline numbers.

use std::collections::{BTreeSet, VecDeque};

use axum::http::StatusCode;

use crate::common::{assert_ok_envelope, demo_state, get};

/// Every `href` of a page that stays on the site, with `&amp;` read back and any `#fragment` cut.
fn site_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for part in html.split("href=\"").skip(1) {
        let Some(end) = part.find('"') else { continue };
        let link = part[..end].replace("&amp;", "&");
        let link = link.split('#').next().unwrap_or("").to_string();
        if link.starts_with('/') && !link.starts_with("//") {
            links.push(link);
        }
    }
    links
}

/// A crawl of the demo from `/`: every page a link leads to answers 200 (HTML, JSON and CSV
/// twins alike). Pages of the same list at other offsets and facet combinations are many; the
/// crawl visits up to `LIMIT` addresses, breadth first, so that every kind of page is reached.
#[tokio::test]
async fn regression_issue_17_no_link_on_the_demo_leads_nowhere() {
    const LIMIT: usize = 2000;
    let (state, _folder, _direct) = demo_state();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> = VecDeque::new();
    queue.push_back(("/".to_string(), "the start".to_string()));
    seen.insert("/".to_string());
    let mut broken = Vec::new();
    let mut visited = 0;
    while let Some((uri, from)) = queue.pop_front() {
        if visited >= LIMIT {
            break;
        }
        visited += 1;
        let reply = get(&state, &uri).await;
        if reply.status != StatusCode::OK {
            broken.push(format!("{uri} ({}) linked from {from}", reply.status));
            continue;
        }
        if !reply.content_type().starts_with("text/html") {
            continue;
        }
        for link in site_links(&reply.body) {
            // The upload form is off unless the server is started with `--allow-uploads`, and
            // says so with 403; it is linked so that readers learn how to turn it on.
            if link.starts_with("/-/upload") {
                continue;
            }
            // The Spanish pages (the language switch) are crawled by `spanish.rs`.
            if link.starts_with("/es/") {
                continue;
            }
            if seen.insert(link.clone()) {
                queue.push_back((link, uri.clone()));
            }
        }
    }
    assert!(
        visited > 100,
        "the crawl reached only {visited} pages: the links are not being followed"
    );
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[tokio::test]
async fn regression_issue_17_search_forgives_case_and_spelling() {
    let (state, _folder, _direct) = demo_state();
    for (query, kind, title) in [
        ("texas", "place", "Texas"),
        ("TEXAS", "place", "Texas"),
        ("Texsa", "place", "Texas"),
        ("el cajon", "agency", "El Cajon Police Department"),
        ("El Cahon police", "agency", "El Cajon Police Department"),
        ("sampel city", "agency", "Sample City Police Department"),
        ("values act", "rule", ""),
    ] {
        let uri = format!("/search.json?q={}", query.replace(' ', "+"));
        let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
        let results = data["results"].as_array().cloned().unwrap_or_default();
        assert!(
            results
                .iter()
                .any(|r| r["kind"] == kind && (title.is_empty() || r["title"] == title)),
            "{uri}: no {kind} `{title}` in {results:?}"
        );
        // Every result leads to a page that answers.
        for result in results.iter().take(5) {
            let url = result["url"].as_str().unwrap_or("");
            assert_eq!(
                get(&state, url).await.status,
                StatusCode::OK,
                "{uri} -> {url}"
            );
        }
    }
    let data = assert_ok_envelope(
        "/search.json?q=narnia",
        &get(&state, "/search.json?q=narnia").await,
    );
    assert_eq!(data["total"], 0);
    // The search box is on every page.
    for uri in ["/", "/rules", "/287g", "/audits", "/agencies"] {
        let body = get(&state, uri).await.body;
        assert!(
            body.contains("<form class=\"search\" action=\"/search\""),
            "{uri} has no search box"
        );
    }
}

#[tokio::test]
async fn regression_issue_17_every_agency_has_a_page_joining_its_records() {
    let (state, _folder, _direct) = demo_state();
    let data = assert_ok_envelope(
        "/agencies.json?size=1000",
        &get(&state, "/agencies.json?size=1000").await,
    );
    let agencies = data["agencies"].as_array().cloned().unwrap_or_default();
    assert!(
        agencies.len() > 5,
        "the demo's agencies are missing: {data}"
    );
    assert_eq!(data["matching"], agencies.len());
    // An agency with an audit but no 287(g) agreement still has a page, and it links the audit.
    let audited = agencies
        .iter()
        .find(|a| {
            a["agreements"].as_array().is_some_and(Vec::is_empty)
                && a["audits"].as_array().is_some_and(|v| !v.is_empty())
        })
        .unwrap_or_else(|| panic!("no audited agency without an agreement in {agencies:?}"));
    let url = audited["url"].as_str().unwrap_or("");
    assert!(url.starts_with("/agencies/"), "{url}");
    let page = get(&state, url).await;
    assert_eq!(page.status, StatusCode::OK, "{url}");
    let audit_url = audited["audits"][0][1].as_str().unwrap_or("");
    assert!(
        page.body.contains(&format!("href=\"{audit_url}\"")),
        "{url} does not link {audit_url}"
    );
    assert!(
        page.body.contains("href=\"/guide?"),
        "{url} does not link the guide"
    );
    // And the audit links back to the agency's page.
    let audit = get(&state, audit_url).await;
    assert!(
        audit.body.contains(&format!("href=\"{url}\"")),
        "{audit_url} does not link {url}"
    );
    // Filtered, sorted and paged on the server.
    let filtered = assert_ok_envelope(
        "/agencies.json?state=AL&sort=name&size=2",
        &get(&state, "/agencies.json?state=AL&sort=name&size=2").await,
    );
    let shown = filtered["agencies"].as_array().cloned().unwrap_or_default();
    assert!(shown.len() <= 2);
    assert!(shown.iter().all(|a| a["state"] == "AL"));
    if filtered["matching"].as_u64().unwrap_or(0) > 2 {
        assert!(
            filtered["next"]
                .as_str()
                .is_some_and(|n| n.contains("offset=2"))
        );
    }
    let bad = get(&state, "/agencies.json?sort=colour").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn regression_issue_17_home_leads_with_the_numbers_and_the_import_log_has_its_page() {
    let (state, _folder, mut direct) = demo_state();
    let data = assert_ok_envelope("/.json", &get(&state, "/.json").await);
    let stats = remit_registry::Registry::open(&mut direct)
        .and_then(|registry| registry.stats(None, &remit_registry::Filter::default()))
        .unwrap_or_else(|e| panic!("no 287(g) figures in the demo store: {e}"));
    assert_eq!(
        data["headlines"]["agreements"]["agreements"],
        stats.agreements
    );
    let runs = remit_audit::query::runs(&direct).unwrap_or_else(|e| panic!("no runs: {e}"));
    assert_eq!(data["headlines"]["audits"]["audits"], runs.len());
    assert_eq!(
        data["headlines"]["audits"]["findings"],
        runs.iter().map(|r| r.findings).sum::<u64>()
    );
    let home = get(&state, "/").await.body;
    assert!(
        home.contains("action=\"/ask\""),
        "no ask box on the home page"
    );
    assert!(
        home.contains("action=\"/guide\""),
        "no guide box on the home page"
    );
    assert!(
        !home.contains("participatingAgencies"),
        "the import log is still on the home page"
    );
    let imports = get(&state, "/-/imports").await;
    assert_eq!(imports.status, StatusCode::OK);
    assert!(imports.body.contains("participatingAgencies07182025pm.csv"));
    assert!(imports.body.contains("An <em>issue</em> is"));
}

#[tokio::test]
async fn regression_issue_17_ask_json_without_a_question_describes_the_question() {
    let (state, _folder, _direct) = demo_state();
    let data = assert_ok_envelope("/ask.json", &get(&state, "/ask.json").await);
    assert!(
        data["fields"]["action"]
            .as_array()
            .is_some_and(|a| a.iter().any(|w| w["name"] == "share_alpr_data"))
    );
    // The empty form does not link a CSV twin it cannot give.
    let page = get(&state, "/ask").await.body;
    assert!(!page.contains("href=\"/ask.csv\""));
}

#[tokio::test]
async fn regression_issue_17_long_lists_are_sorted_filtered_and_paged_on_the_server() {
    let (state, _folder, _direct) = demo_state();
    // The 287(g) agreements: fifty a page, sorted by a column, filtered by name.
    let data = assert_ok_envelope("/287g.json", &get(&state, "/287g.json").await);
    let total = data["listed_total"].as_u64().unwrap_or(0);
    assert!(total > 50, "the demo lists {total} agreements");
    let page = get(&state, "/287g").await.body;
    assert!(
        page.contains(&format!("Showing 1–50 of {total}")),
        "no pager on /287g"
    );
    let next = get(&state, "/287g?offset=50").await.body;
    assert!(next.contains(&format!("Showing 51–{total} of {total}")));
    let filtered = get(&state, "/287g?q=etowah").await.body;
    let list = filtered
        .split("id=\"agreements\"")
        .nth(1)
        .unwrap_or_default();
    assert!(list.contains("Etowah County Sample Sheriff"));
    assert!(!list.contains("Baldwin County Sample Sheriff"));
    let by_signed = get(&state, "/287g?sort=signed").await.body;
    assert!(by_signed.contains("aria-sort=\"descending\">Signed"));
    // The rules: fifty a page, the filters kept on the next page's link.
    let rules = get(&state, "/rules?jurisdiction=CA").await.body;
    assert!(rules.contains("Showing 1–50 of"), "no pager on /rules");
    assert!(rules.contains("jurisdiction=CA&amp;offset=50"));
}

#[tokio::test]
async fn regression_issue_17_loose_names_and_bad_dates_are_not_dead_ends() {
    let (state, _folder, _direct) = demo_state();
    // A sharing owner written loosely goes to its page.
    let reply = get(&state, "/sharing/Sampel%20City").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let target = reply
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(target.starts_with("/sharing/"), "{target}");
    assert_eq!(get(&state, &target).await.status, StatusCode::OK);
    let json = get(&state, "/sharing/Sampel%20City.json").await;
    assert_eq!(json.status, StatusCode::SEE_OTHER);
    // A name that reads as no owner stays an error.
    assert_eq!(
        get(&state, "/sharing/Narnia").await.status,
        StatusCode::NOT_FOUND
    );
    // A date before the first sheet: the page says so and keeps its form.
    let early = get(&state, "/287g?as_of=1999-01-01").await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST);
    assert!(
        early
            .body
            .contains("<form method=\"get\" action=\"/287g\">")
    );
    assert!(early.body.contains("class=\"error\""));
}

#[tokio::test]
async fn regression_issue_17_the_287g_page_links_dc_and_the_territories_to_their_place_pages() {
    let (state, _folder, _direct) = demo_state();
    for code in ["DC", "GU", "PR", "VI", "TX"] {
        let page = get(&state, &format!("/287g?state={code}")).await;
        assert_eq!(page.status, StatusCode::OK, "/287g?state={code}");
        let places: Vec<String> = site_links(&page.body)
            .into_iter()
            .filter(|l| l.starts_with("/jurisdictions/"))
            .collect();
        assert!(!places.is_empty(), "/287g?state={code} links no place page");
        for place in places {
            assert_eq!(get(&state, &place).await.status, StatusCode::OK, "{place}");
        }
    }
}
