//! No English interface string on any Spanish page of the demo (issue 22): a crawl of the
//! served demo from `/es/` (and the upload form, served only with uploads on) in which every
//! Spanish page is read beside its English twin, and checked against the English side of every
//! table of interface strings (`remit_web::i18n::tables`), so the list grows with the tables.
//!
//! Data is left out: what an element marked `lang="en"` holds (quotes, rule summaries, sentences
//! the records write in English) is not read on the Spanish page, and a short string (one or two
//! words, such as "State") counts only when the Spanish page shows it at least as often as the
//! English page does, since the same word may also be part of a name (an agency called "... State
//! University Police"). A string of three words or more is never data and counts wherever found.

use std::collections::{BTreeSet, VecDeque};

use axum::http::StatusCode;
use remit_web::Options;

use crate::common::{demo_state, demo_state_with, get};
use crate::spanish::{is_file, occurrences, reader_text, site_links};

/// The English interface strings a Spanish page shows, as `string (table.field) n times`, given
/// the page's English twin.
fn english_strings(
    tables: &[(&'static str, remit_web::i18n::Table)],
    english_html: &str,
    spanish_html: &str,
) -> Vec<String> {
    let english = reader_text(english_html, false);
    let spanish = reader_text(spanish_html, true);
    let mut found = Vec::new();
    for (table, entries) in tables {
        for (field, en, es) in entries {
            for (en, es) in en.split('|').zip(es.split('|')) {
                let en = en.trim();
                if en.is_empty() || en == es.trim() {
                    continue;
                }
                let on_english = occurrences(&english, en);
                if on_english == 0 {
                    continue;
                }
                let left = occurrences(&spanish, en);
                let sentence = en.split_whitespace().count() >= 3;
                if left > 0 && (sentence || left >= on_english) {
                    found.push(format!("`{en}` ({table}.{field}) {left} times"));
                }
            }
        }
    }
    found
}

/// Every Spanish page the demo links to, from `/es/`, shows no English interface string.
#[tokio::test]
async fn regression_issue_22_no_spanish_page_of_the_demo_shows_english_interface_strings() {
    const LIMIT: usize = 1500;
    let (state, _folder, _direct) = demo_state();
    let tables = remit_web::i18n::tables();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<String> = VecDeque::new();
    queue.push_back("/es/".to_string());
    seen.insert("/es/".to_string());
    let mut found = Vec::new();
    let mut pages = 0;
    let mut visited = 0;
    // One page of each path is enough for its words: the same page with another filter or
    // offset shows the same interface.
    let mut paths_checked: BTreeSet<String> = BTreeSet::new();
    while let Some(uri) = queue.pop_front() {
        if visited >= LIMIT {
            break;
        }
        visited += 1;
        let spanish = get(&state, &uri).await;
        if spanish.status != StatusCode::OK || !spanish.content_type().starts_with("text/html") {
            continue;
        }
        pages += 1;
        for (link, to_english) in site_links(&spanish.body) {
            if to_english || is_file(&link) || link.starts_with("/es/-/upload") {
                continue;
            }
            if (link == "/es" || link.starts_with("/es/")) && seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
        let path = uri.split('?').next().unwrap_or(&uri).to_string();
        // The shape of a path: its first two segments (`/es/rules/us-ca`), so that a page per
        // rule or agency is read once per section rather than once per record.
        let shape: String = path.split('/').take(4).collect::<Vec<_>>().join("/");
        let key = format!("{shape}?{}", uri.contains('?'));
        if !paths_checked.insert(key) {
            continue;
        }
        let english_uri = match uri.strip_prefix("/es") {
            Some("" | "/") => "/".to_string(),
            Some(rest) => rest.to_string(),
            None => continue,
        };
        let english = get(&state, &english_uri).await;
        for problem in english_strings(&tables, &english.body, &spanish.body) {
            found.push(format!("{uri}: {problem}"));
        }
    }
    assert!(
        pages > 100 && paths_checked.len() > 30,
        "the crawl reached only {pages} pages of {} kinds",
        paths_checked.len()
    );
    // The upload form is served only with uploads on.
    let (uploads, _folder, _direct) = demo_state_with(Options {
        demo: true,
        allow_uploads: true,
    });
    let english = get(&uploads, "/-/upload").await;
    let spanish = get(&uploads, "/es/-/upload").await;
    assert_eq!(spanish.status, StatusCode::OK, "/es/-/upload");
    assert!(spanish.body.contains("<html lang=\"es\">"), "/es/-/upload");
    for problem in english_strings(&tables, &english.body, &spanish.body) {
        found.push(format!("/es/-/upload: {problem}"));
    }
    assert!(
        found.is_empty(),
        "English interface strings on Spanish pages:\n{}",
        found.join("\n")
    );
}

/// The check above finds an English string when one is left: the English page, served as if it
/// were the Spanish one, fails it.
#[tokio::test]
async fn the_check_finds_english_strings_left_on_a_page() {
    let (state, _folder, _direct) = demo_state();
    let tables = remit_web::i18n::tables();
    for page in ["/audits", "/compliance", "/changes"] {
        let english = get(&state, page).await;
        assert_eq!(english.status, StatusCode::OK, "{page}");
        // The English page read as if it were the Spanish one (not marked English as a whole).
        let as_spanish = english
            .body
            .replacen("<html lang=\"en\">", "<html lang=\"es\">", 1);
        let found = english_strings(&tables, &english.body, &as_spanish);
        assert!(found.len() > 5, "{page}: only {found:?}");
        let spanish = get(&state, &format!("/es{page}")).await;
        let left = english_strings(&tables, &english.body, &spanish.body);
        assert!(left.is_empty(), "/es{page}: {left:?}");
    }
}
