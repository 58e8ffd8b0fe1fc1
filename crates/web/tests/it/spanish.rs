//! The dashboard in Spanish (issue 22): every page of the demo answers under `/es/` with
//! `lang="es"`, its links stay in Spanish, the language switch leads to the same page in the
//! other language, the translated pages show none of the English interface strings their English
//! pages show, and the JSON twins keep their keys.

use std::collections::{BTreeSet, VecDeque};

use axum::http::StatusCode;

use crate::common::{demo_state, get};

/// Every `href` and form `action` of a page that stays on the site, with `&amp;` read back, any
/// `#fragment` cut, and whether its tag is marked `hreflang="en"` (the way back to English).
pub(crate) fn site_links(html: &str) -> Vec<(String, bool)> {
    let mut links = Vec::new();
    for needle in ["href=\"", "action=\""] {
        let mut offset = 0;
        while let Some(found) = html[offset..].find(needle) {
            let start = offset + found + needle.len();
            let Some(end) = html[start..].find('"') else {
                break;
            };
            let tag = &html[html[..start].rfind('<').unwrap_or(0)..start];
            let link = html[start..start + end].replace("&amp;", "&");
            let link = link.split('#').next().unwrap_or("").to_string();
            if link.starts_with('/') && !link.starts_with("//") {
                links.push((link, tag.contains("hreflang=\"en\"")));
            }
            offset = start + end;
        }
    }
    links
}

/// Whether a site link is a file rather than a page: the stylesheet and the Atom feeds.
pub(crate) fn is_file(link: &str) -> bool {
    let path = link.split('?').next().unwrap_or(link);
    path.ends_with(".css") || path.ends_with(".atom")
}

/// A crawl of the Spanish demo from `/es/`, as the English crawl walks `/`: every page answers
/// 200, every HTML page is `lang="es"`, and every link on it leads to a Spanish page (but the
/// way back to English, the stylesheet and the feeds).
#[tokio::test]
async fn regression_issue_22_the_spanish_site_answers_and_keeps_its_links_in_spanish() {
    const LIMIT: usize = 2000;
    let (state, _folder, _direct) = demo_state();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> = VecDeque::new();
    queue.push_back(("/es/".to_string(), "the start".to_string()));
    seen.insert("/es/".to_string());
    let mut broken = Vec::new();
    let mut english = Vec::new();
    let mut visited = 0;
    let mut pages = 0;
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
        pages += 1;
        if !reply.body.contains("<html lang=\"es\">") {
            english.push(format!("{uri} is not marked lang=\"es\""));
        }
        for (link, to_english) in site_links(&reply.body) {
            if to_english || is_file(&link) {
                continue;
            }
            if !(link == "/es" || link.starts_with("/es/")) {
                english.push(format!("{uri} links to {link}"));
                continue;
            }
            if link.starts_with("/es/-/upload") {
                continue;
            }
            if seen.insert(link.clone()) {
                queue.push_back((link, uri.clone()));
            }
        }
    }
    assert!(
        pages > 100,
        "the crawl reached only {pages} pages: the links are not being followed"
    );
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(
        english.is_empty(),
        "Spanish pages leading to English:\n{}",
        english[..english.len().min(40)].join("\n")
    );
}

/// Pages in both languages for the checks below: each translated section, with data.
const PAGES: &[&str] = &[
    "/",
    "/search?q=el+cajon",
    "/ask",
    "/ask?where=CA&actor=local_police&action=share_alpr_data&counterparty=out_of_state_agency",
    "/guide",
    "/guide?where=CA&actor=local_police",
    "/rules",
    "/rules?jurisdiction=CA",
    "/rules/us-ca/gov-7284.6-a1B",
    "/coverage",
    "/sources",
    "/vocabulary",
    "/jurisdictions",
    "/jurisdictions/ocd-division/country:us/state:ca",
    "/agencies",
    "/-/health",
    "/-/version",
];

/// The language switch of a page leads to the same page in the other language, and `?lang=es`
/// answers as `/es/` does.
#[tokio::test]
async fn regression_issue_22_the_language_switch_leads_to_the_same_page() {
    let (state, _folder, _direct) = demo_state();
    for page in PAGES {
        let spanish_address = format!("/es{page}");
        let english = get(&state, page).await;
        let spanish = get(&state, &spanish_address).await;
        assert_eq!(english.status, StatusCode::OK, "{page}");
        assert_eq!(spanish.status, StatusCode::OK, "{spanish_address}");
        assert!(english.body.contains("<html lang=\"en\">"), "{page}");
        let to_spanish = format!(
            "<a hreflang=\"es\" lang=\"es\" href=\"{}\">Español</a>",
            spanish_address.replace('&', "&amp;")
        );
        assert!(
            english.body.contains(&to_spanish),
            "{page}: no `{to_spanish}`"
        );
        let to_english = format!(
            "<a hreflang=\"en\" lang=\"en\" href=\"{}\">English</a>",
            page.replace('&', "&amp;")
        );
        assert!(
            spanish.body.contains(&to_english),
            "{spanish_address}: no `{to_english}`"
        );
        let separator = if page.contains('?') { '&' } else { '?' };
        let by_query = get(&state, &format!("{page}{separator}lang=es")).await;
        assert_eq!(by_query.status, StatusCode::OK, "{page} with lang=es");
        assert!(
            by_query.body.contains("<html lang=\"es\">"),
            "{page} with lang=es"
        );
        assert!(by_query.body.contains(&to_english), "{page} with lang=es");
    }
    // A redirect from a Spanish page stays in Spanish.
    let reply = get(&state, "/es/jurisdictions?place=CA").await;
    let location = reply
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(location.starts_with("/es/jurisdictions/"), "{location}");
}

/// The text a reader meets in a page: its text and the attributes read aloud or shown
/// (`placeholder`, `aria-label`, `title`), without the markup, with `&amp;` read back. With
/// `skip_english`, what an element marked `lang="en"` holds is left out: on a Spanish page, that
/// is data kept in English (rule summaries, quotes, source titles) and the switch to English.
/// Program words (`code`) and the lists of data sources are left out in both.
pub(crate) fn reader_text(html: &str, skip_english: bool) -> String {
    let mut out = String::new();
    let mut rest = html;
    // The element whose content is being skipped, and how deep in it the reader is.
    let mut skipping: Option<(String, usize)> = None;
    while let Some(open) = rest.find('<') {
        if skipping.is_none() {
            out.push_str(&rest[..open]);
            out.push(' ');
        }
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let closing = tag.starts_with('/');
        let void = matches!(
            name.as_str(),
            "br" | "input" | "meta" | "link" | "img" | "hr"
        );
        match &mut skipping {
            Some((skipped, depth)) if *skipped == name && !void => {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skipping = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            Some(_) => {}
            // Program words (`code`) are the same in both languages, and the sources' own
            // descriptions (`class="sources"`) belong to the modules whose data they describe.
            None if !closing
                && !void
                && ((skip_english && tag.contains("lang=\"en\""))
                    || name == "code"
                    || tag.contains("class=\"sources\"")) =>
            {
                skipping = Some((name, 1));
            }
            None => {
                for attribute in ["placeholder=\"", "aria-label=\"", "title=\""] {
                    if let Some(start) = tag.find(attribute) {
                        let value = &tag[start + attribute.len()..];
                        out.push_str(value.split('"').next().unwrap_or(""));
                        out.push(' ');
                    }
                }
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// How many times `word` occurs in `text` as words of their own (not inside a longer word).
pub(crate) fn occurrences(text: &str, word: &str) -> usize {
    // Identifiers (`required_by_law`, `us-il/...-prohibited-purposes`, `state:or`) are not words
    // of text.
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || "_-/:".contains(c));
    text.match_indices(word)
        .filter(|(at, _)| {
            !is_word(text[..*at].chars().next_back())
                && !is_word(text[at + word.len()..].chars().next())
        })
        .count()
}

/// The translated pages show, in Spanish, none of the English interface strings their English
/// pages show: the list is every string of the interface's tables
/// (`remit_web::i18n::tables`), so it grows with them. Data kept in English on a Spanish page
/// (rule summaries, quotes, source titles) is marked `lang="en"` and left out; what is left is
/// the page's own words, and the data that reads the same in both languages (names, citations).
#[tokio::test]
async fn regression_issue_22_spanish_pages_show_no_english_interface_strings() {
    let (state, _folder, _direct) = demo_state();
    let tables = remit_web::i18n::tables();
    let mut found = Vec::new();
    let mut checked = 0;
    for page in PAGES {
        let english = reader_text(&get(&state, page).await.body, false);
        let spanish = reader_text(&get(&state, &format!("/es{page}")).await.body, true);
        for (table, entries) in &tables {
            for (field, en, es) in entries {
                for (en, es) in en.split('|').zip(es.split('|')) {
                    let en = en.trim();
                    // Names the languages share (287(g), JSON) are not English strings.
                    if en == es.trim() || occurrences(&english, en) == 0 {
                        continue;
                    }
                    checked += 1;
                    let left = occurrences(&spanish, en);
                    if left > 0 {
                        found.push(format!("/es{page}: `{en}` ({table}.{field}) {left} times"));
                    }
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} strings were checked");
    assert!(
        found.is_empty(),
        "English strings on Spanish pages:\n{}",
        found.join("\n")
    );
}

/// The keys of a JSON value, at every depth (array items merged), as `path.key` strings.
fn keys(value: &serde_json::Value, path: &str, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                let path = format!("{path}.{key}");
                out.insert(path.clone());
                keys(inner, &path, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                keys(item, &format!("{path}[]"), out);
            }
        }
        _ => {}
    }
}

/// A JSON twin in Spanish has the same keys as in English: programs read both alike.
#[tokio::test]
async fn regression_issue_22_spanish_json_twins_keep_their_keys() {
    let (state, _folder, _direct) = demo_state();
    for page in PAGES {
        let (path, query) = page.split_once('?').unwrap_or((page, ""));
        let twin = match path {
            "/" => "/index.json".to_string(),
            _ => format!("{path}.json"),
        };
        let twin = if query.is_empty() {
            twin
        } else {
            format!("{twin}?{query}")
        };
        let english = get(&state, &twin).await;
        let spanish = get(&state, &format!("/es{twin}")).await;
        assert_eq!(english.status, StatusCode::OK, "{twin}");
        assert_eq!(spanish.status, StatusCode::OK, "/es{twin}");
        let (mut english_keys, mut spanish_keys) = (BTreeSet::new(), BTreeSet::new());
        keys(&english.json(), "", &mut english_keys);
        keys(&spanish.json(), "", &mut spanish_keys);
        assert!(english_keys.len() > 2, "{twin}: {english_keys:?}");
        // An answer in Spanish says so (`lang: "es"`); an English one, as before, does not.
        spanish_keys.remove(".data.lang");
        assert_eq!(english_keys, spanish_keys, "{twin}");
    }
}

#[tokio::test]
async fn regression_issue_22_error_pages_speak_the_readers_language() {
    let (state, _folder, _direct) = demo_state();
    let english = get(&state, "/rules/no-such-rule").await;
    let spanish = get(&state, "/es/rules/no-such-rule").await;
    assert_eq!(english.status, StatusCode::NOT_FOUND);
    assert_eq!(spanish.status, StatusCode::NOT_FOUND);
    assert!(
        english.body.contains("<h1>Not Found</h1>"),
        "{}",
        english.body
    );
    assert!(spanish.body.contains("<html lang=\"es\">"));
    assert!(
        spanish.body.contains("<h1>No encontrado</h1>"),
        "{}",
        spanish.body
    );
    assert!(!spanish.body.contains("Not Found"));
}
