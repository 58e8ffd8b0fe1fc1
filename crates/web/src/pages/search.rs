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
use maud::html;

use crate::html::url_component;
use crate::i18n::{count, count_of, strings};
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
        let t = SearchText::current();
        match self {
            Kind::Place => t.places,
            Kind::Agency => t.agencies,
            Kind::Audit => t.audits,
            Kind::Rule => t.rules,
        }
    }
}

strings! {
    /// The words of the search page and of its results.
    pub struct SearchText {
        search: "Search", "Buscar";
        search_title: "Search:", "Búsqueda:";
        placeholder: "a place, an agency, a law", "un lugar, una agencia, una ley";
        places: "Places", "Lugares";
        agencies: "Agencies", "Agencias";
        audits: "Plate-reader audits", "Auditorías de lectores de placas";
        rules: "Rules", "Normas";
        place_detail: "the law in force there, action by action", "la ley vigente allí, acción por acción";
        audit_detail: "who searched this plate-reader data, and why", "quién buscó en estos datos de lectores de placas, y por qué";
        unnamed_owner: "unnamed owner", "propietario sin nombre";
        searches: "search|searches", "búsqueda|búsquedas";
        help: "Type a place (a state, county or city), an agency (a sheriff's office, a police department), a law (its citation or a word of it) or an audit. Case and small misspellings do not matter.", "Escriba un lugar (un estado, condado o ciudad), una agencia (una oficina del sheriff, un departamento de policía), una ley (su cita o una palabra de ella) o una auditoría. No importan las mayúsculas ni los pequeños errores de ortografía.";
        nothing_matches: "Nothing matches", "Nada coincide con";
        try_fewer: ". Try fewer words, a state's name, or browse", ". Pruebe con menos palabras o el nombre de un estado, o consulte";
        browse_places: "places", "los lugares";
        browse_agencies: "agencies", "las agencias";
        or: "or", "o";
        browse_rules: "rules", "las normas";
        result: "result|results", "resultado|resultados";
        for_query: "for", "para";
        more: "more: add a word to narrow the search, or get them all as", "más: añada una palabra para acotar la búsqueda, u obténgalos todos como";
    }
}

/// The title of an audit stored by `remit audit`, by its data's owner.
fn audit_title(owner: &str) -> String {
    match crate::i18n::lang() {
        crate::i18n::Lang::En => format!("Audit of {owner}'s plate-reader searches"),
        crate::i18n::Lang::Es => {
            format!("Auditoría de las búsquedas de lectores de placas de {owner}")
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
    let word_length = word.chars().count();
    // A word shorter by more than the edits allowed cannot be within them (nor contain the
    // query): most words of a large index are skipped here, before any distance is counted.
    if word_length + allowed < length {
        return 0;
    }
    // Compare with the word cut to the query's length too, so that a misspelt prefix matches.
    // Optimal string alignment counts a swap of two neighbours as one edit, like
    // Damerau-Levenshtein, without its table of every letter.
    let whole = if word_length <= length + allowed {
        strsim::osa_distance(query, word)
    } else {
        usize::MAX
    };
    let distance = whole.min(if word_length > length {
        let cut: String = word.chars().take(length).collect();
        strsim::osa_distance(query, &cut)
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
    let t = SearchText::current();
    let lang = crate::i18n::lang();
    let mut entries = Vec::new();
    for (code, name, _) in remit_law::jurisdiction::STATES {
        let id = super::ask::read_place(state, code).map(|r| r.id).ok();
        if let Some(id) = id {
            entries.push(Entry {
                kind: Kind::Place,
                title: (*name).to_string(),
                detail: t.place_detail.to_string(),
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
            title: remit_law::lang::place_phrase(&place, lang),
            detail: t.place_detail.to_string(),
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
    directory_names(state, &mut entries);
    for label in state.audits() {
        entries.push(Entry {
            kind: Kind::Audit,
            title: label.title().to_string(),
            detail: t.audit_detail.to_string(),
            url: format!("/audits/{}", label.slug),
            id: label.slug.clone(),
            // Found under its title in either language.
            aliases: vec![label.title.clone(), label.title_es.clone()],
        });
    }
    for run in super::audits::stored_run_list(state)? {
        if state.audits().iter().any(|l| l.run_id == run.id) {
            continue;
        }
        let owner = run
            .owner
            .clone()
            .unwrap_or_else(|| t.unnamed_owner.to_string());
        entries.push(Entry {
            kind: Kind::Audit,
            title: audit_title(&owner),
            detail: count_of(run.events, t.searches),
            url: format!("/audits/{}", run.id),
            id: run.id.to_string(),
            aliases: vec![owner],
        });
    }
    for rule in corpus.rules() {
        entries.push(Entry {
            kind: Kind::Rule,
            title: format!(
                "{} ({})",
                rule.source.citation,
                remit_law::lang::place_phrase(&rule.jurisdiction, lang)
            ),
            detail: rule.summary.clone(),
            url: rule_url(&rule.id),
            id: rule.id.clone(),
            aliases: vec![rule.source.title.clone(), rule.summary.clone()],
        });
    }
    Ok(entries)
}

/// The agencies of the complete directory (the FBI list, when the server was given it) as people
/// name them: a bare FBI name (`Okaloosa`) gets the name its kind gives it (`Okaloosa County
/// Sheriff's Office`), a known agency its official name and acronym (`NYPD`), and each is also
/// found by its FBI name, state and county.
fn directory_names(state: &AppState, entries: &mut [Entry]) {
    let Some(directory) = state.directory() else {
        return;
    };
    let named = remit_agencies::aliases::parse_named(remit_agencies::aliases::NAMED_AGENCIES_TOML)
        .unwrap_or_default();
    for entry in entries.iter_mut().filter(|e| e.kind == Kind::Agency) {
        let Some(agency) = directory.by_ori(&entry.id) else {
            continue;
        };
        if agency.name != entry.title {
            // The records name it in their own words: those stay its title.
            entry.aliases.push(agency.name.clone());
        } else {
            let listed = named
                .iter()
                .find(|n| n.ori.as_deref() == Some(agency.ori.as_str()));
            entry.title = match listed {
                Some(listed) => listed.name.clone(),
                None => display_name(&agency.name, kind_of(agency)),
            };
            entry.aliases.push(agency.name.clone());
            if let Some(listed) = listed {
                entry.aliases.extend(listed.acronyms.iter().cloned());
                entry.aliases.extend(listed.aliases.iter().cloned());
            }
        }
        entry.aliases.extend(agency.state.iter().cloned());
        entry.aliases.extend(agency.county.iter().cloned());
    }
}

/// Whether an FBI name is a bare place name (`Okaloosa`, `El Cajon`) rather than one that says
/// what the agency is (`Florida Highway Patrol`, `State University of New York Police:`).
fn is_bare(name: &str) -> bool {
    const SAYS_WHAT: &[&str] = &[
        "police",
        "sheriff",
        "department",
        "office",
        "patrol",
        "marshal",
        "constable",
        "university",
        "college",
        "school",
        "authority",
        "agency",
        "bureau",
        "division",
        "attorney",
        "commission",
        "service",
        "services",
        "district",
        "tribal",
        "corrections",
    ];
    !words(name).iter().any(|w| SAYS_WHAT.contains(&w.as_str()))
}

/// The kind of a directory agency: a bare County row is the county's sheriff and a bare City row
/// the city's police (as the directory reads them); otherwise the kind read from its name.
fn kind_of(agency: &remit_agencies::Agency) -> Option<remit_agencies::AgencyKind> {
    match agency.agency_type.as_str() {
        "County" if is_bare(&agency.name) => Some(remit_agencies::AgencyKind::Sheriff),
        "City" if is_bare(&agency.name) => Some(remit_agencies::AgencyKind::PoliceDepartment),
        _ => agency.kind,
    }
}

/// An agency's name as people write it, from the FBI's bare name and its kind (`Okaloosa` of a
/// county's sheriff: `Okaloosa County Sheriff's Office`); a name that says what it is stays.
fn display_name(name: &str, kind: Option<remit_agencies::AgencyKind>) -> String {
    let name = name.trim_end_matches([':', ',']).trim();
    if !is_bare(name) {
        return name.to_string();
    }
    let lower = name.to_lowercase();
    match kind {
        Some(remit_agencies::AgencyKind::Sheriff) => {
            if lower.contains("county") || lower.contains("parish") {
                format!("{name} Sheriff's Office")
            } else {
                format!("{name} County Sheriff's Office")
            }
        }
        Some(remit_agencies::AgencyKind::PoliceDepartment) => format!("{name} Police Department"),
        _ => name.to_string(),
    }
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
    // Equal scores: the kind, then the title with the fewest words the query did not ask for
    // (`New York City Police Department` before `New York City Department of Environmental
    // Protection Police`), then the alphabet.
    hits.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(a.0.kind.cmp(&b.0.kind))
            .then(words(&a.0.title).len().cmp(&words(&b.0.title).len()))
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
            SearchText::current().search.to_string()
        } else {
            format!("{} {query}", SearchText::current().search_title)
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
        Format::Html => page.html(&results_page(&query, &hits).into_string()),
    }
}

/// The search page: the box, filled in, and the results by kind.
fn results_page(query: &str, hits: &[(&Entry, u32)]) -> maud::Markup {
    let t = SearchText::current();
    html! {
        h1 { (t.search) }
        form.search action="/search" method="get" role="search" {
            label.skip for="q" { (t.search) }
            input #q type="search" name="q" value=(query) placeholder=(t.placeholder);
            button type="submit" { (t.search) }
        }
        @if query.is_empty() {
            p { (t.help) }
        } @else if hits.is_empty() {
            p {
                (t.nothing_matches) " " strong { (query) } (t.try_fewer) " "
                a href="/jurisdictions" { (t.browse_places) } ", " a href="/agencies" { (t.browse_agencies) } " " (t.or) " "
                a href="/rules" { (t.browse_rules) } "."
            }
        } @else {
            p { (count_of(hits.len() as u64, t.result)) " " (t.for_query) " " strong { (query) } "." }
            @for kind in [Kind::Place, Kind::Agency, Kind::Audit, Kind::Rule] {
                @let of_kind: Vec<&Entry> = hits.iter().filter(|(entry, _)| entry.kind == kind).map(|(entry, _)| *entry).collect();
                @if !of_kind.is_empty() {
                    h2 { (kind.heading()) " (" (count(of_kind.len() as u64)) ")" }
                    ul.results {
                        @for entry in of_kind.iter().take(SHOWN) {
                            li {
                                a href=(entry.url) { (entry.title) }
                                br;
                                @if entry.kind == Kind::Rule {
                                    span.note { (crate::parts::english(&entry.detail)) }
                                } @else {
                                    span.note { (entry.detail) }
                                }
                            }
                        }
                    }
                    @if of_kind.len() > SHOWN {
                        p.note {
                            (count((of_kind.len() - SHOWN) as u64)) " " (t.more) " "
                            a href={ "/search.csv?q=" (url_component(query)) } { "CSV" } "."
                        }
                    }
                }
            }
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
