//! The pages as templates render them (issue 17): every HTML page of the demo obeys the content
//! security policy it is sent with (no script, no inline style, the one stylesheet served by the
//! site), and names keep the acronyms their agencies write.

use std::collections::{BTreeSet, VecDeque};

use axum::http::StatusCode;

use crate::common::{demo_state, get};

/// Every `href` of a page that stays on the site, with `&amp;` read back and any `#fragment` cut.
fn site_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|part| {
            let link = part[..part.find('"')?].replace("&amp;", "&");
            let link = link.split('#').next().unwrap_or("").to_string();
            (link.starts_with('/') && !link.starts_with("//")).then_some(link)
        })
        .collect()
}

/// Up to 400 HTML pages of the demo, breadth first from `/` (every kind of page is reached well
/// before that): none holds a script, a `<style>` element or a `style` attribute, which the policy
/// would block, and each links the stylesheet, which the site serves as CSS.
#[tokio::test]
async fn regression_issue_17_pages_need_nothing_the_content_security_policy_forbids() {
    const LIMIT: usize = 400;
    let (state, _folder, _direct) = demo_state();
    let mut seen: BTreeSet<String> = BTreeSet::from(["/".to_string()]);
    let mut queue: VecDeque<String> = VecDeque::from(["/".to_string()]);
    let mut problems = Vec::new();
    let mut pages = 0;
    let mut stylesheets = BTreeSet::new();
    while let Some(uri) = queue.pop_front() {
        if pages >= LIMIT {
            break;
        }
        let reply = get(&state, &uri).await;
        if reply.status != StatusCode::OK || !reply.content_type().starts_with("text/html") {
            continue;
        }
        pages += 1;
        let policy = reply
            .headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !policy.contains("script-src 'none'") || policy.contains("unsafe-inline") {
            problems.push(format!("{uri}: policy `{policy}`"));
        }
        let body = reply.body.to_lowercase();
        for forbidden in ["<script", "<style", " style=\"", " style='", "javascript:"] {
            if body.contains(forbidden) {
                problems.push(format!("{uri}: `{forbidden}`"));
            }
        }
        match reply.body.split("rel=\"stylesheet\" href=\"").nth(1) {
            Some(rest) => {
                stylesheets.insert(rest[..rest.find('"').unwrap_or(0)].replace("&amp;", "&"));
            }
            None => problems.push(format!("{uri}: no stylesheet")),
        }
        for link in site_links(&reply.body) {
            if !link.starts_with("/-/upload") && seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
    }
    assert!(pages > 100, "only {pages} pages were reached");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // One stylesheet for every page, served as CSS and kept by the browser.
    assert_eq!(stylesheets.len(), 1, "{stylesheets:?}");
    for href in &stylesheets {
        let reply = get(&state, href).await;
        assert_eq!(reply.status, StatusCode::OK, "{href}");
        assert!(reply.content_type().starts_with("text/css"), "{href}");
        assert!(reply.body.contains(".verdict") && reply.body.contains("@media"));
        assert!(
            reply
                .headers
                .get("cache-control")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("max-age")),
            "{href}"
        );
    }
}

/// The bars of a chart: `(label, count)` from each bar's tooltip (`<title>label: 1,234</title>`)
/// in the `<svg>` whose title is `title`.
fn bars_of(html: &str, title: &str) -> Vec<(String, u64)> {
    let Some(start) = html.find(&format!("<title>{title}</title>")) else {
        return Vec::new();
    };
    let chart = &html[start..start + html[start..].find("</svg>").unwrap_or(0)];
    chart
        .split("<g><title>")
        .skip(1)
        .filter_map(|part| {
            let text = &part[..part.find("</title>")?];
            let (label, number) = text.rsplit_once(": ")?;
            Some((label.to_string(), number.replace(',', "").parse().ok()?))
        })
        .collect()
}

/// Issue 17: "charts ignore the filter" on an audit report. With a filter chosen, the bar charts
/// count the findings that match it, as the JSON twin's facets do.
#[tokio::test]
async fn regression_issue_17_audit_charts_follow_the_filters() {
    let (state, _folder, _direct) = demo_state();
    let report = "/audits/demo-network-audit";
    let all = get(&state, &format!("{report}.json")).await.json();
    let states = all["data"]["facets"]["searcher_state"]
        .as_object()
        .unwrap_or_else(|| panic!("no searcher_state facet"));
    let (chosen, _) = states
        .iter()
        .find(|(code, _)| code.len() == 2)
        .unwrap_or_else(|| panic!("no state among {states:?}"));
    let filtered = get(&state, &format!("{report}.json?searcher_state={chosen}"))
        .await
        .json();
    let verdicts = filtered["data"]["facets"]["verdict"]
        .as_object()
        .unwrap_or_else(|| panic!("no verdict facet"));
    let page = get(&state, &format!("{report}?searcher_state={chosen}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let bars = bars_of(
        &page.body,
        "Findings that match the filters, by verdict on sharing with the searcher",
    );
    let expected: Vec<(String, u64)> = verdicts
        .iter()
        .filter_map(|(verdict, n)| Some((verdict.replace('_', " "), n.as_u64()?)))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert!(!expected.is_empty());
    let mut got = bars.clone();
    got.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(got, want, "bars {bars:?} against the facets {verdicts:?}");
    // Without a filter, the same chart counts every search.
    let whole = get(&state, report).await;
    let searches = bars_of(
        &whole.body,
        "Searches by verdict on sharing with the searcher",
    );
    let all_verdicts = all["data"]["summary"]["by_verdict"]
        .as_object()
        .unwrap_or_else(|| panic!("no summary verdicts"));
    assert_eq!(
        searches.iter().map(|(_, n)| n).sum::<u64>(),
        all_verdicts
            .values()
            .filter_map(serde_json::Value::as_u64)
            .sum::<u64>()
    );
}

/// The FBI agency directory of `../shared/data`, or `None` (with a notice) when it is missing;
/// with `REMIT_REQUIRE_SHARED_DATA` set, a missing file fails the test instead.
fn fbi_directory() -> Option<remit_agencies::Directory> {
    let path = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/agencies/fbi-lee.csv"
    ));
    if !path.is_file() {
        if std::env::var_os("REMIT_REQUIRE_SHARED_DATA").is_some() {
            panic!(
                "{} not found and REMIT_REQUIRE_SHARED_DATA is set",
                path.display()
            );
        }
        eprintln!(
            "skipping: {} not found, so the per-capita map is not checked",
            path.display()
        );
        return None;
    }
    Some(
        remit_agencies::Directory::from_fbi_csv(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

/// Issue 17: "no per capita view though the rates exist". With the FBI directory, the 287(g) map
/// can shade the states by agreements per million residents: each state's tooltip gives the rate
/// of the per-state table (`/287g.json`), and its class follows the rate, not the count.
#[tokio::test]
async fn regression_issue_17_the_287g_map_has_a_per_capita_choice() {
    let Some(directory) = fbi_directory() else {
        return;
    };
    let folder = remit_web::demo::Folder::create()
        .unwrap_or_else(|e| panic!("cannot create the demo folder: {e}"));
    let corpus = crate::common::corpus();
    let demo = remit_web::demo::build(&folder, &corpus)
        .unwrap_or_else(|e| panic!("cannot build the demo store: {e}"));
    let state = remit_web::AppState::new(
        corpus,
        Some(demo.store),
        remit_web::Options {
            demo: true,
            ..remit_web::Options::default()
        },
    )
    .with_directory(directory);

    let counts = get(&state, "/287g").await;
    assert_eq!(counts.status, StatusCode::OK);
    assert!(
        counts
            .body
            .contains("href=\"/287g?shade=per_million#map\">agreements per million residents</a>"),
        "no per-capita choice on the 287(g) page"
    );
    let page = get(&state, "/287g?shade=per_million").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("<strong aria-current=\"true\">agreements per million residents</strong>")
    );
    let data = get(&state, "/287g.json").await.json();
    let rows = data["data"]["by_state"]
        .as_array()
        .or_else(|| data["data"]["states"].as_array())
        .unwrap_or_else(|| panic!("no per-state rows in /287g.json"));
    let mut checked = 0;
    for row in rows {
        let (Some(name), Some(rate)) =
            (row["name"].as_str(), row["agreements_per_million"].as_f64())
        else {
            continue;
        };
        if rate <= 0.0 {
            continue;
        }
        let tooltip = format!("<title>{name}: {rate:.2} agreements per million residents</title>");
        assert!(page.body.contains(&tooltip), "{tooltip} not on the map");
        checked += 1;
    }
    assert!(checked > 0, "no state with a rate in {rows:?}");
    // The key gives rates, not counts.
    assert!(
        page.body
            .contains("aria-label=\"agreements per million residents per place: colour key\"")
    );
}
