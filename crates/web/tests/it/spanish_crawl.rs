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
//!
//! The mark itself is checked too (issue 17): an element marked `lang="en"` on a Spanish page
//! must hold data, and data is what the corpus's files and the store's records hold. Its text
//! must be found in them as it is: a value of the corpus's TOML (a summary, a quote, a citation,
//! a source's title, a scenario's question) or of a column of the demo store (an agency's name, a
//! searcher, a reason). A sentence the application writes (a note, a warning, a title of its own,
//! a definition it translates) is in neither, whatever it says, so no list of sentences is kept.

use std::collections::{BTreeSet, HashSet, VecDeque};
use std::path::Path;

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

/// The text of every element a page marks `lang="en"` (the outermost one, with the text of all
/// it holds, entities read back and spaces collapsed), but the way back to English
/// (`hreflang="en"`).
fn english_marked(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    // The marked element being read: its name, how deep in it the reader is, and its text.
    let mut reading: Option<(String, usize, String)> = None;
    while let Some(open) = rest.find('<') {
        if let Some((_, _, text)) = &mut reading {
            text.push_str(&rest[..open]);
        }
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let void = tag.ends_with('/')
            || matches!(
                name.as_str(),
                "br" | "input" | "meta" | "link" | "img" | "hr"
            );
        match &mut reading {
            Some((marked, depth, text)) if *marked == name && !void => {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        found.push(plain(text));
                        reading = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            Some(_) => {}
            None if !closing
                && !void
                && name != "html"
                && tag.contains(" lang=\"en\"")
                && !tag.contains("hreflang=") =>
            {
                reading = Some((name, 1, String::new()));
            }
            None => {}
        }
    }
    found
}

/// Text as the reader sees it: entities read back, spaces collapsed.
fn plain(text: &str) -> String {
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every piece of data a page may show in English: each string value of the corpus's files and
/// each text value of the store's tables, spaces collapsed; as a set, and joined for finding a
/// piece of one.
struct Data {
    values: HashSet<String>,
    joined: String,
}

impl Data {
    fn read(corpus: &Path, store: &remit_store::Store) -> Data {
        fn strings(value: &toml::Value, out: &mut Vec<String>) {
            match value {
                toml::Value::String(text) => out.push(plain(text)),
                toml::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
                toml::Value::Table(table) => table.values().for_each(|v| strings(v, out)),
                _ => {}
            }
        }
        fn files(dir: &Path, out: &mut Vec<String>) {
            let entries =
                std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    files(&path, out);
                } else if path.extension().is_some_and(|e| e == "toml") {
                    let text = std::fs::read_to_string(&path)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    let table: toml::Table = text
                        .parse()
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    table.values().for_each(|v| strings(v, out));
                }
            }
        }
        let mut values = Vec::new();
        files(corpus, &mut values);
        let corpus_values = values.len();
        let connection = store.connection();
        let mut tables = connection
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<String> = tables
            .query_map([], |row| row.get(0))
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
            .collect();
        for name in names {
            let mut rows = connection
                .prepare(&format!("SELECT * FROM \"{name}\""))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let columns = rows.column_count();
            let mut rows = rows.query([]).unwrap_or_else(|e| panic!("{name}: {e}"));
            while let Ok(Some(row)) = rows.next() {
                for column in 0..columns {
                    if let Ok(text) = row.get_ref(column).and_then(|v| Ok(v.as_str()?)) {
                        values.push(plain(text));
                    }
                }
            }
        }
        assert!(
            corpus_values > 1000 && values.len() > corpus_values + 1000,
            "too little data read: {corpus_values} values of the corpus, {} in all",
            values.len()
        );
        let joined = values.join("\n");
        Data {
            values: values.into_iter().collect(),
            joined,
        }
    }

    /// Whether `text` is data: a value, or a piece of one.
    fn holds(&self, text: &str) -> bool {
        self.values.contains(text) || self.joined.contains(text)
    }
}

/// What a Spanish page marks as English but is not data, as `"text"`.
fn marked_but_not_data(data: &Data, checked: &mut HashSet<String>, html: &str) -> Vec<String> {
    english_marked(html)
        .into_iter()
        .filter(|text| !text.is_empty())
        .filter(|text| checked.insert(text.clone()))
        .filter(|text| !data.holds(text))
        .map(|text| format!("\"{text}\""))
        .collect()
}

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus");

/// Every Spanish page the demo links to, from `/es/`, shows no English interface string.
#[tokio::test]
async fn regression_issue_22_no_spanish_page_of_the_demo_shows_english_interface_strings() {
    const LIMIT: usize = 1500;
    let (state, _folder, direct) = demo_state();
    let tables = remit_web::i18n::tables();
    let data = Data::read(Path::new(CORPUS), &direct);
    let mut checked: HashSet<String> = HashSet::new();
    let mut marked = Vec::new();
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
        // Every page's English marks are read (a record's page has sentences of its own).
        for text in marked_but_not_data(&data, &mut checked, &spanish.body) {
            marked.push(format!("{uri}: {text}"));
        }
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
    assert!(
        checked.len() > 1000,
        "only {} texts marked English were read",
        checked.len()
    );
    assert!(
        marked.is_empty(),
        "regression issue 17: text marked English on Spanish pages that is not data (neither in the corpus nor in the store):\n{}",
        marked.join("\n")
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

/// The check on English marks tells data from the page's own words: a rule's summary and an
/// agency's name marked English pass, and an interface sentence marked English fails, whether
/// it comes from a table of interface strings or is written by the check of the registry.
#[tokio::test]
async fn regression_issue_17_the_check_tells_data_from_the_pages_own_words() {
    let (state, _folder, direct) = demo_state();
    let data = Data::read(Path::new(CORPUS), &direct);
    let page = get(&state, "/es/rules/us-ca/civ-1798.90.55-b-out-of-state").await;
    assert_eq!(page.status, StatusCode::OK);
    let marks = english_marked(&page.body);
    assert!(marks.len() > 3, "{marks:?}");
    let mut checked = HashSet::new();
    let left = marked_but_not_data(&data, &mut checked, &page.body);
    assert!(left.is_empty(), "{left:?}");
    // An agency's name from the store, and interface sentences, marked English.
    let disclaimer = remit_web::i18n::Common::EN.disclaimer;
    let note = remit_app::compliance::REGISTRY_NOTE;
    let injected = page.body.replacen(
        "</main>",
        &format!(
            "<p lang=\"en\">Sample City CA PD</p><p lang=\"en\">{disclaimer}</p><div lang=\"en\"><span>{note}</span></div></main>"
        ),
        1,
    );
    let mut checked = HashSet::new();
    let left = marked_but_not_data(&data, &mut checked, &injected);
    assert_eq!(left, [format!("\"{disclaimer}\""), format!("\"{note}\"")]);
}
