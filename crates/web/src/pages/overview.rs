//! `/`: what is loaded, where it comes from and how recent it is, and where to go next.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::{ask_url, corpus_source, example_question, file_name};
use crate::AppState;
use maud::{Markup, html};

use crate::html::count;
use crate::parts;
use crate::response::{Format, Page, Params, Table, WebError};

#[derive(Serialize)]
struct CorpusSummary {
    version: String,
    title: String,
    sources_read_through: String,
    rules: usize,
    jurisdictions: usize,
    sources: usize,
    scenarios: usize,
}

#[derive(Serialize)]
struct Import {
    kind: String,
    source: String,
    imported_at: String,
    rows_read: u64,
    rows_stored: u64,
    issues: u64,
}

#[derive(Serialize)]
struct Section {
    path: &'static str,
    title: &'static str,
    description: &'static str,
}

#[derive(Serialize)]
struct Overview {
    corpus: CorpusSummary,
    /// `None` when no store is open.
    imports: Option<Vec<Import>>,
    /// Plate-reader audits the server holds (`/audits`).
    /// The headline numbers of the home page.
    headlines: Headlines,
    audits: usize,
    demo: bool,
    /// Whether the server takes uploads (`remit serve --allow-uploads`).
    uploads: bool,
    sections: Vec<Section>,
}

const SECTIONS: &[Section] = &[
    Section {
        path: "/ask",
        title: "Ask",
        description: "May, must or must not this officer or agency do this, here, today? A verdict with every reason and citation.",
    },
    Section {
        path: "/jurisdictions",
        title: "Places",
        description: "Every rule in force for a state, county or city, and what the law says there for each action.",
    },
    Section {
        path: "/rules",
        title: "Rules",
        description: "The corpus: each provision in its own words, with its source, dates and status.",
    },
    Section {
        path: "/coverage",
        title: "Coverage",
        description: "Place by action: what the corpus speaks to, and where it is silent.",
    },
    Section {
        path: "/287g",
        title: "287(g) agreements",
        description: "Which agencies held an agreement with ICE, by state, model and date.",
    },
    Section {
        path: "/audits",
        title: "Plate-reader audits",
        description: "Who searched an agency's license-plate-reader data, why, and what the owner's law says about it.",
    },
    Section {
        path: "/sharing",
        title: "Sharing",
        description: "Whom agencies share plate-reader data with, and which of those edges their state's law forbids.",
    },
];

/// The headline numbers of the home page; each `None` when the store holds no such records.
#[derive(Serialize, Default)]
struct Headlines {
    /// 287(g) agreements on the latest participating sheet, its date, and a year before it.
    agreements: Option<AgreementsHeadline>,
    audits: Option<AuditsHeadline>,
    sharing: Option<SharingHeadline>,
}

#[derive(Serialize)]
struct AgreementsHeadline {
    as_of: String,
    agreements: u64,
    agencies: u64,
    /// The date a year before and the count then, when the sheets reach back that far.
    year_before: Option<(String, u64)>,
    /// The sheet before the latest, and the agreements added and removed since.
    previous: Option<String>,
    added: u64,
    removed: u64,
}

#[derive(Serialize)]
struct AuditsHeadline {
    audits: usize,
    searches: u64,
    findings: u64,
}

#[derive(Serialize)]
struct SharingHeadline {
    lists: usize,
    owners: usize,
    owners_with_forbidden: u64,
}

fn headlines(state: &AppState) -> Result<Headlines, WebError> {
    use remit_registry::{Day, Filter};
    let filter = Filter::default();
    let agreements = super::registry::with_registry(state, |registry| {
        let snapshots = registry.snapshots()?;
        if snapshots.is_empty() {
            return Ok(None);
        }
        let now = registry.stats(None, &filter)?;
        let latest = now.snapshot.taken.day;
        let text = latest.to_string();
        let year_before = text
            .get(4..)
            .and_then(|rest| Day::parse_iso(&format!("{}{rest}", latest.year() - 1)));
        let year_before = match year_before {
            Some(day)
                if snapshots
                    .iter()
                    .any(|s| s.kind == now.snapshot.kind && s.taken.day <= day) =>
            {
                let then = registry.stats(Some(day), &filter)?;
                Some((day.to_string(), then.agreements))
            }
            _ => None,
        };
        let mut days: Vec<Day> = snapshots
            .iter()
            .filter(|s| s.kind == now.snapshot.kind && s.taken.day < latest)
            .map(|s| s.taken.day)
            .collect();
        days.sort();
        let (previous, added, removed) = match days.last() {
            Some(day) => {
                let diff = registry.diff(*day, latest, &filter)?;
                (
                    Some(diff.from.taken.to_string()),
                    diff.added.len() as u64,
                    diff.removed.len() as u64,
                )
            }
            None => (None, 0, 0),
        };
        Ok(Some(AgreementsHeadline {
            as_of: now.snapshot.taken.to_string(),
            agreements: now.agreements,
            agencies: now.agencies,
            year_before,
            previous,
            added,
            removed,
        }))
    })?
    .flatten();
    let runs = super::audits::stored_run_list(state)?;
    let audits = (!runs.is_empty()).then(|| AuditsHeadline {
        audits: runs.len(),
        searches: runs.iter().map(|r| r.events).sum(),
        findings: runs.iter().map(|r| r.findings).sum(),
    });
    let sharing = super::sharing::with_sharing(state, |sharing| {
        let lists = sharing.lists()?;
        if lists.is_empty() {
            return Ok(None);
        }
        let mut states: Vec<String> = lists.iter().filter_map(|l| l.owner_state.clone()).collect();
        states.sort();
        states.dedup();
        let mut owners = 0;
        let mut forbidden = 0;
        for code in &states {
            let report = sharing.state_report(code)?;
            owners += report.owners.len();
            forbidden += report.owners_with_forbidden;
        }
        Ok(Some(SharingHeadline {
            lists: lists.len(),
            owners,
            owners_with_forbidden: forbidden,
        }))
    })?
    .flatten();
    Ok(Headlines {
        agreements,
        audits,
        sharing,
    })
}

fn imports_of(state: &AppState) -> Result<Option<Vec<Import>>, WebError> {
    match state.with_store(|store| store.imports("")) {
        None => Ok(None),
        Some(Ok(records)) => Ok(Some(
            records
                .into_iter()
                .map(|r| Import {
                    kind: r.kind,
                    source: file_name(&r.source_path).to_string(),
                    imported_at: r.imported_at,
                    rows_read: r.counts.rows_read,
                    rows_stored: r.counts.rows_stored,
                    issues: r.counts.issues,
                })
                .collect::<Vec<_>>(),
        )),
        Some(Err(error)) => Err(WebError::internal(error)),
    }
}

pub async fn page(State(state): State<AppState>, format: Format) -> Response {
    let corpus = state.corpus();
    let imports = match imports_of(&state) {
        Ok(imports) => imports,
        Err(error) => return error.into_response(),
    };
    let headlines = match headlines(&state) {
        Ok(headlines) => headlines,
        Err(error) => return error.into_response(),
    };
    let overview = Overview {
        corpus: CorpusSummary {
            version: corpus.version().to_string(),
            title: corpus.metadata().title.clone(),
            sources_read_through: corpus.metadata().sources_read_through.to_string(),
            rules: corpus.rules().len(),
            jurisdictions: corpus.jurisdictions().len(),
            sources: corpus.sources().len(),
            scenarios: corpus.scenarios().len(),
        },
        imports,
        headlines,
        audits: state.audits().len(),
        demo: state.options().demo,
        uploads: state.options().allow_uploads,
        sections: SECTIONS
            .iter()
            .map(|s| Section {
                path: s.path,
                title: s.title,
                description: s.description,
            })
            .collect(),
    };
    let mut sources = vec![corpus_source(corpus)];
    match super::store_sources(&state) {
        Ok(mut more) => sources.append(&mut more),
        Err(error) => return error.into_response(),
    }
    let page = Page::new("Home", "/", "/").with_sources(sources);
    match format {
        Format::Json => page.json(&overview),
        Format::Csv => WebError::no_csv().into_response(),
        Format::Html => page.html(&render_home(&overview, &page).into_string()),
    }
}

/// The plural ending of a count.
fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

fn render_home(overview: &Overview, page: &Page) -> Markup {
    let h = &overview.headlines;
    let c = &overview.corpus;
    html! {
        h1 { "Remit" }
        p { "The rules and records of cooperation between US local police and federal immigration authorities (ICE, CBP and Border Patrol, HSI). Remit describes the law as encoded from cited sources and the records agencies publish; it takes no side, and it is not legal advice." }
        @if overview.demo {
            p.error { strong { "Demo data." } " The store behind this site was built from small bundled samples and generated records, so that every page has something to show. Its 287(g), audit and sharing figures describe those samples, not the real world. The law pages use the real corpus." }
        }
        @if h.agreements.is_some() || h.audits.is_some() || h.sharing.is_some() {
            h2 { "In the records" }
            ul.tiles {
                @if let Some(a) = &h.agreements {
                    li {
                        span.big { (count(a.agreements)) } " "
                        a href="/287g" { "287(g) agreements" } " with ICE, held by " (count(a.agencies)) " agencies, on the sheet of " (a.as_of)
                        @match &a.year_before {
                            Some((day, then)) => { " (a year earlier, " (day) ": " (count(*then)) ")" }
                            None => { " (the sheets do not reach back a year)" }
                        }
                    }
                }
                @if let Some(a) = &h.audits {
                    li {
                        span.big { (a.audits) } " "
                        a href="/audits" { "plate-reader audit" (plural(a.audits as u64, "", "s")) }
                        " covering " (count(a.searches)) " searches; " (count(a.findings))
                        " searches flagged for a reason the owner's law or policy questions"
                    }
                }
                @if let Some(s) = &h.sharing {
                    li {
                        span.big { (s.lists) } " "
                        a href="/sharing" { "sharing list" (plural(s.lists as u64, "", "s")) }
                        " from " (s.owners) " agenc" (plural(s.owners as u64, "y", "ies")) "; "
                        (s.owners_with_forbidden) " share" (plural(s.owners_with_forbidden, "s", ""))
                        " with a recipient its state's law forbids"
                    }
                }
            }
            @if let Some(a) = &h.agreements {
                @if let Some(previous) = &a.previous {
                    h2 { "Recent changes" }
                    p {
                        "Between ICE's sheets of " (previous) " and " (a.as_of) ": " (count(a.added))
                        " agreement" (plural(a.added, "", "s")) " added, " (count(a.removed)) " removed. "
                        a href="/287g" { "See which" } "."
                    }
                }
            }
        }
        div.boxes {
            section {
                h2 { "Ask a question" }
                form action="/ask" method="get" {
                    p {
                        label for="home-where" { "Where" }
                        input #home-where type="text" name="where" placeholder="a state, county or city" value="CA";
                    }
                    p {
                        label for="home-action" { "What" }
                        select #home-action name="action" {
                            option value="share_alpr_data" { "share plate-reader data" }
                            option value="honor_detainer" { "hold someone on an ICE detainer" }
                            option value="inquire_immigration_status" { "ask about immigration status" }
                            option value="notify_release" { "tell ICE when someone is released" }
                            option value="enter_287g_agreement" { "sign a 287(g) agreement" }
                        }
                        input type="hidden" name="actor" value="local_police";
                    }
                    p { button type="submit" { "Ask" } }
                }
                p.note {
                    "For the police of that place; " a href=(ask_url(&example_question())) { "an example answer" }
                    ", or " a href="/ask" { "the full form" } " for every actor, action and fact."
                }
            }
            section {
                h2 { "A guide for one department" }
                form action="/guide" method="get" {
                    p {
                        label for="home-guide" { "Place" }
                        input #home-guide type="text" name="where" placeholder="El Cajon, CA";
                    }
                    p {
                        label for="home-actor" { "For" }
                        select #home-actor name="actor" {
                            option value="local_police" { "a police department" }
                            option value="sheriff" { "a sheriff's office" }
                            option value="jail" { "a jail" }
                            option value="state_police" { "the state police" }
                        }
                    }
                    p { button type="submit" { "Show the guide" } }
                }
            }
        }
        h2 { "Sections" }
        ul {
            @for section in &overview.sections {
                li { a href=(section.path) { (section.title) } ": " (section.description) }
            }
            li {
                a href="/-/upload" { "Upload" } ": a plate-reader search log or a sharing list, read and reported on without being kept. "
                @if overview.uploads {
                    "Uploads are on."
                } @else {
                    "Uploads are off on this server; whoever runs it can turn them on by starting it with "
                    code { "remit serve --allow-uploads" } "."
                }
            }
        }
        h2 { "Data sources" }
        ul {
            @for source in &page.sources {
                li {
                    @match &source.url {
                        Some(url) if url.starts_with('/') => a href=(url) { (source.name) },
                        Some(url) => (parts::external(url, &source.name)),
                        None => (source.name),
                    }
                    " (" (source.date) "; licence: " (source.licence) ")"
                }
            }
        }
        h2 { "What is loaded" }
        p {
            "The law corpus " strong { (c.version) } " (" (c.title) "): " (count(c.rules as u64)) " rules in "
            (count(c.jurisdictions as u64)) " places, citing " a href="/sources" { (count(c.sources as u64)) " sources" }
            ", tested by " (count(c.scenarios as u64)) " scenarios. Sources were read through "
            (c.sources_read_through) "; later changes in the law are not reflected."
        }
        @match &overview.imports {
            None => p { "No store is open: the 287(g), audit and sharing pages are empty. Import data with " code { "remit registry import" } ", " code { "remit audit" } " or " code { "remit sharing import" } ", or run " code { "remit serve --demo" } "." },
            Some(imports) if imports.is_empty() => p { "The store is open but holds no imported files yet." },
            Some(imports) => p { "The store holds " a href="/-/imports" { (count(imports.len() as u64)) " imported files" } ", each with what was read and kept." },
        }
    }
}

/// What an issue counted on an import means, by the import's kind.
const ISSUE_KINDS: &[(&str, &str, &str)] = &[
    (
        "registry.sheet",
        "ICE 287(g) sheet",
        "a row Remit could not read whole (a missing agency name or state, an unreadable date or support model); the row is kept aside and the rest of the sheet is imported",
    ),
    (
        "sharing.list",
        "Sharing list",
        "an entry that names no agency Remit can identify, or a line it cannot read; the entry is listed on the owner's sharing page under the entries that could not be checked",
    ),
    (
        "audit",
        "Plate-reader audit",
        "a search-log row that could not be read (a bad time, a missing searcher); it is counted as rejected and the other rows are audited",
    ),
];

fn kind_label(kind: &str) -> &str {
    ISSUE_KINDS
        .iter()
        .find(|(k, _, _)| kind.starts_with(k))
        .map_or(kind, |(_, label, _)| label)
}

/// `/-/imports`: every file the store has imported, with what its issue counts mean.
pub async fn imports(State(state): State<AppState>, format: Format, params: Params) -> Response {
    if !state.has_store() {
        let page = Page::new("Imported files", "/", "/-/imports").with_csv();
        return super::no_store(page, format, "Imported files");
    }
    let imports = match imports_of(&state) {
        Ok(imports) => imports.unwrap_or_default(),
        Err(error) => return error.into_response(),
    };
    let sources = match super::store_sources(&state) {
        Ok(sources) => sources,
        Err(error) => return error.into_response(),
    };
    let page = Page::new("Imported files", "/", "/-/imports")
        .with_query(params.raw())
        .with_csv()
        .with_sources(sources);
    let (offset, size) = match params.page() {
        Ok(page) => page,
        Err(error) => return error.into_response(),
    };
    match format {
        Format::Json => page.json(&serde_json::json!({ "imports": imports, "issue_kinds": ISSUE_KINDS.iter().map(|(k, l, m)| serde_json::json!({"kind": k, "label": l, "issue": m})).collect::<Vec<_>>() })),
        Format::Csv => {
            let mut table = Table::new(&["kind", "file", "imported_at", "rows_read", "rows_stored", "issues"]);
            for import in &imports {
                table.push(vec![
                    import.kind.clone(),
                    import.source.clone(),
                    import.imported_at.clone(),
                    import.rows_read.to_string(),
                    import.rows_stored.to_string(),
                    import.issues.to_string(),
                ]);
            }
            page.csv(&table)
        }
        Format::Html => {
            let body = html! {
                h1 { "Imported files" }
                @if imports.is_empty() {
                    p {
                        "No files have been imported into this store. Import data with " code { "remit registry import" } ", "
                        code { "remit audit" } " or " code { "remit sharing import" } ", or run " code { "remit serve --demo" } ". "
                        a href="/" { "Back to the home page" } "."
                    }
                } @else {
                    p { (count(imports.len() as u64)) " files, oldest first. Rows read are the rows of the file, rows kept those stored. An " em { "issue" } " is:" }
                    ul {
                        @for (_, label, meaning) in ISSUE_KINDS {
                            li { strong { (label) } ": " (meaning) "." }
                        }
                    }
                    (parts::table(&["File", "What", "Imported (UTC)", "Rows read", "Rows kept", "Issues"], html! {
                        @for import in imports.iter().skip(offset).take(size) {
                            tr {
                                td { (import.source) }
                                td { (kind_label(&import.kind)) }
                                td { (import.imported_at.replace('T', " ").replace('Z', "")) }
                                td.n { (count(import.rows_read)) }
                                td.n { (count(import.rows_stored)) }
                                td.n { (count(import.issues)) }
                            }
                        }
                    }))
                    (parts::pager(offset, size, imports.len(), |offset| format!("/-/imports?offset={offset}&size={size}")))
                }
            };
            page.html(&body.into_string())
        }
    }
}
