//! `/search?q=`: one search box over everything the site holds — places, agencies (287(g)
//! agreements, sharing-list owners, audited owners), rules and audits — so that a reader who knows
//! a name never has to know which section keeps it.
//!
//! Matching forgives case, punctuation and small misspellings: every word of the query must match
//! a word of the entry exactly, as a prefix, or within one or two edits (Damerau-Levenshtein, by
//! length), and entries are ranked by how well.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::{corpus_source, place_url, rule_url};
use crate::AppState;
use crate::html::{e, push, url_component};
use crate::response::{Format, Page, Params, Table, WebError};

/// What one entry of the index is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    Place,
    Agency,
    Audit,
    Rule,
}

impl Kind {
    fn heading(self) -> &'static str {
        match self {
            Kind::Place => "Places",
            Kind::Agency => "Agencies",
            Kind::Audit => "Plate-reader audits",
            Kind::Rule => "Rules",
        }
    }
}

/// One thing a search can find.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Entry {
    pub kind: Kind,
    pub title: String,
    /// One line saying what it is.
    pub detail: String,
    pub url: String,
    /// The internal identifier (OCD id, rule id, ORI, run id), for the technical details.
    pub id: String,
    /// Other names it goes by, searched but not shown.
    #[serde(skip)]
    pub aliases: Vec<String>,
}

#[derive(Serialize)]
struct Hit<'a> {
    #[serde(flatten)]
    entry: &'a Entry,
    score: u32,
}

#[derive(Serialize)]
struct Results<'a> {
    query: &'a str,
    total: usize,
    results: Vec<Hit<'a>>,
}

/// The words of a text, lowercased, split at anything that is not a letter or digit.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// How well one query word matches one word of an entry (0: not at all).
fn word_score(query: &str, word: &str) -> u32 {
    if query == word {
        return 10;
    }
    if word.starts_with(query) {
        return if query.len() >= 3 { 7 } else { 4 };
    }
    let length = query.chars().count();
    if length < 4 {
        return 0;
    }
    let allowed = if length >= 8 { 2 } else { 1 };
    // Compare with the word cut to the query's length too, so that a misspelt prefix matches.
    let cut: String = word.chars().take(length).collect();
    let distance = strsim::damerau_levenshtein(query, word).min(if word.chars().count() > length {
        strsim::damerau_levenshtein(query, &cut)
    } else {
        usize::MAX
    });
    if distance <= allowed {
        if distance == 1 { 5 } else { 3 }
    } else if length >= 5 && word.contains(query) {
        3
    } else {
        0
    }
}

/// How well a query matches an entry (0: some query word matches nothing).
fn score(query: &[String], entry: &Entry) -> u32 {
    let mut haystack = words(&entry.title);
    let title_words = haystack.len();
    for alias in &entry.aliases {
        haystack.extend(words(alias));
    }
    haystack.extend(words(&entry.id));
    let mut total = 0;
    for term in query {
        let best = haystack
            .iter()
            .enumerate()
            .map(|(index, word)| {
                let score = word_score(term, word);
                // Words of the title count for more than aliases and ids.
                if index < title_words {
                    score * 2
                } else {
                    score
                }
            })
            .max()
            .unwrap_or(0);
        if best == 0 {
            return 0;
        }
        total += best;
    }
    // A whole-title match ranks first.
    if words(&entry.title) == query {
        total += 50;
    }
    total
}

/// Every place, agency, rule and audit the site holds.
pub(crate) fn index(state: &AppState) -> Result<Vec<Entry>, WebError> {
    let corpus = state.corpus();
    let mut entries = Vec::new();
    for (code, name, _) in remit_law::jurisdiction::STATES {
        let id = super::ask::read_place(state, code).map(|r| r.id).ok();
        if let Some(id) = id {
            entries.push(Entry {
                kind: Kind::Place,
                title: (*name).to_string(),
                detail: "the law in force there, action by action".to_string(),
                url: place_url(&id),
                id,
                aliases: vec![(*code).to_string()],
            });
        }
    }
    for place in corpus.jurisdictions() {
        let id = place.to_string();
        if entries.iter().any(|e| e.id == id) {
            continue;
        }
        entries.push(Entry {
            kind: Kind::Place,
            title: place.label(),
            detail: "the law in force there, action by action".to_string(),
            url: place_url(&id),
            id,
            aliases: Vec::new(),
        });
    }
    for agency in super::agencies::collect(state)? {
        entries.push(Entry {
            kind: Kind::Agency,
            detail: agency.detail(),
            url: agency.url.clone(),
            id: agency.ori.clone().unwrap_or_default(),
            aliases: agency.aliases.clone(),
            title: agency.name,
        });
    }
    for label in state.audits() {
        entries.push(Entry {
            kind: Kind::Audit,
            title: label.title.clone(),
            detail: "who searched this plate-reader data, and why".to_string(),
            url: format!("/audits/{}", label.slug),
            id: label.slug.clone(),
            aliases: Vec::new(),
        });
    }
    for run in super::audits::stored_run_list(state)? {
        if state.audits().iter().any(|l| l.run_id == run.id) {
            continue;
        }
        let owner = run
            .owner
            .clone()
            .unwrap_or_else(|| "unnamed owner".to_string());
        entries.push(Entry {
            kind: Kind::Audit,
            title: format!("Audit of {owner}'s plate-reader searches"),
            detail: format!("{} searches", crate::html::count(run.events)),
            url: format!("/audits/{}", run.id),
            id: run.id.to_string(),
            aliases: vec![owner],
        });
    }
    for rule in corpus.rules() {
        entries.push(Entry {
            kind: Kind::Rule,
            title: format!("{} ({})", rule.source.citation, rule.jurisdiction.label()),
            detail: rule.summary.clone(),
            url: rule_url(&rule.id),
            id: rule.id.clone(),
            aliases: vec![rule.source.title.clone(), rule.summary.clone()],
        });
    }
    Ok(entries)
}

/// The entries matching `query`, best first.
pub(crate) fn find<'a>(entries: &'a [Entry], query: &str) -> Vec<(&'a Entry, u32)> {
    let terms = words(query);
    if terms.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(&Entry, u32)> = entries
        .iter()
        .map(|entry| (entry, score(&terms, entry)))
        .filter(|(_, score)| *score > 0)
        .collect();
    hits.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(a.0.kind.cmp(&b.0.kind))
            .then(a.0.title.cmp(&b.0.title))
    });
    hits
}

/// Results shown per kind on the page (the JSON and CSV give every one).
const SHOWN: usize = 25;

pub async fn page(State(state): State<AppState>, format: Format, params: Params) -> Response {
    let query = params.get("q").unwrap_or("").trim().to_string();
    let page = Page::new(
        if query.is_empty() {
            "Search".to_string()
        } else {
            format!("Search: {query}")
        },
        "",
        "/search",
    )
    .with_query(params.raw())
    .with_csv()
    .with_sources(vec![corpus_source(state.corpus())]);
    let entries = match index(&state) {
        Ok(entries) => entries,
        Err(error) => return error.into_response(),
    };
    let hits = find(&entries, &query);
    match format {
        Format::Json => page.json(&Results {
            query: &query,
            total: hits.len(),
            results: hits
                .iter()
                .map(|(entry, score)| Hit {
                    entry,
                    score: *score,
                })
                .collect(),
        }),
        Format::Csv => {
            let mut table = Table::new(&["kind", "title", "detail", "url", "id", "score"]);
            for (entry, score) in &hits {
                table.push(vec![
                    serde_json::to_value(entry.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    entry.title.clone(),
                    entry.detail.clone(),
                    entry.url.clone(),
                    entry.id.clone(),
                    score.to_string(),
                ]);
            }
            page.csv(&table)
        }
        Format::Html => {
            let mut body = String::with_capacity(16 * 1024);
            body.push_str("<h1>Search</h1>");
            push!(
                &mut body,
                "<form class=\"search\" action=\"/search\" method=\"get\" role=\"search\"><label class=\"skip\" for=\"q\">Search</label><input id=\"q\" type=\"search\" name=\"q\" value=\"{}\" placeholder=\"a place, an agency, a law\"><button type=\"submit\">Search</button></form>",
                e(&query)
            );
            if query.is_empty() {
                body.push_str("<p>Type a place (a state, county or city), an agency (a sheriff's office, a police department), a law (its citation or a word of it) or an audit. Case and small misspellings do not matter.</p>");
            } else if hits.is_empty() {
                push!(
                    &mut body,
                    "<p>Nothing matches <strong>{}</strong>. Try fewer words, a state's name, or browse <a href=\"/jurisdictions\">places</a>, <a href=\"/agencies\">agencies</a> or <a href=\"/rules\">rules</a>.</p>",
                    e(&query)
                );
            } else {
                push!(
                    &mut body,
                    "<p>{} result{} for <strong>{}</strong>.</p>",
                    hits.len(),
                    if hits.len() == 1 { "" } else { "s" },
                    e(&query)
                );
                for kind in [Kind::Place, Kind::Agency, Kind::Audit, Kind::Rule] {
                    let of_kind: Vec<&(&Entry, u32)> = hits
                        .iter()
                        .filter(|(entry, _)| entry.kind == kind)
                        .collect();
                    if of_kind.is_empty() {
                        continue;
                    }
                    push!(
                        &mut body,
                        "<h2>{} ({})</h2><ul class=\"results\">",
                        kind.heading(),
                        of_kind.len()
                    );
                    for (entry, _) in of_kind.iter().take(SHOWN) {
                        push!(
                            &mut body,
                            "<li><a href=\"{}\">{}</a><br><span class=\"note\">{}</span></li>",
                            e(&entry.url),
                            e(&entry.title),
                            e(&entry.detail)
                        );
                    }
                    body.push_str("</ul>");
                    if of_kind.len() > SHOWN {
                        push!(
                            &mut body,
                            "<p class=\"note\">{} more: add a word to narrow the search, or get them all as <a href=\"/search.csv?q={}\">CSV</a>.</p>",
                            of_kind.len() - SHOWN,
                            url_component(&query)
                        );
                    }
                }
            }
            page.html(&body)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str) -> Entry {
        Entry {
            kind: Kind::Agency,
            title: title.to_string(),
            detail: String::new(),
            url: String::new(),
            id: String::new(),
            aliases: Vec::new(),
        }
    }

    #[test]
    fn forgives_case_and_small_misspellings() {
        let entries = vec![
            entry("Okaloosa County Sheriff's Office"),
            entry("El Cajon Police Department"),
        ];
        for query in [
            "okaloosa",
            "OKALOOSA sheriff",
            "Okalosa",
            "el cajon",
            "elcajon police",
        ] {
            let hits = find(&entries, query);
            if query == "elcajon police" {
                // Two words run together are not read apart.
                assert!(hits.is_empty(), "{query}: {hits:?}");
                continue;
            }
            assert_eq!(hits.len(), 1, "{query}: {hits:?}");
        }
        assert!(find(&entries, "Narnia").is_empty());
        assert!(find(&entries, "").is_empty());
    }
}
