//! `/`: what is loaded, where it comes from and how recent it is, and where to go next.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::{ask_url, corpus_source, example_question, file_name};
use crate::AppState;
use crate::html::{count, e, push, table_end, table_head};
use crate::response::{Format, Page, WebError};

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
    audits: usize,
    demo: bool,
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

pub async fn page(State(state): State<AppState>, format: Format) -> Response {
    let corpus = state.corpus();
    let imports = match state.with_store(|store| store.imports("")) {
        None => None,
        Some(Ok(records)) => Some(
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
        ),
        Some(Err(error)) => return WebError::internal(error).into_response(),
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
        audits: state.audits().len(),
        demo: state.options().demo,
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
    let page = Page::new("Overview", "/", "/").with_sources(sources);
    match format {
        Format::Json => page.json(&overview),
        Format::Csv => WebError::no_csv().into_response(),
        Format::Html => {
            let mut body = String::with_capacity(16 * 1024);
            body.push_str("<h1>Remit</h1><p>The rules and records of cooperation between US local police and federal immigration authorities (ICE, CBP and Border Patrol, HSI). Remit describes the law as encoded from cited sources and the records agencies publish; it takes no side, and it is not legal advice.</p>");
            if overview.demo {
                body.push_str("<p class=\"error\"><strong>Demo data.</strong> The store behind this site was built from small bundled samples and generated records, so that every page has something to show. Its 287(g), audit and sharing figures describe those samples, not the real world. The law pages use the real corpus.</p>");
            }
            push!(
                &mut body,
                "<h2>Ask a question</h2><p>Try: <a href=\"{}\">what does California law say about sharing plate-reader data with Texas?</a> · <a href=\"/ask\">the full question form</a></p>",
                e(&ask_url(&example_question()))
            );
            body.push_str("<h2>Sections</h2><ul>");
            for section in &overview.sections {
                push!(
                    &mut body,
                    "<li><a href=\"{}\">{}</a>: {}</li>",
                    section.path,
                    e(section.title),
                    e(section.description)
                );
            }
            body.push_str("</ul><h2>Data sources</h2>");
            table_head(&mut body, &["data", "licence", "date"]);
            for source in &page.sources {
                body.push_str("<tr><td>");
                match &source.url {
                    Some(url) if url.starts_with('/') => {
                        push!(&mut body, "<a href=\"{}\">{}</a>", e(url), e(&source.name));
                    }
                    Some(url) => crate::html::external_link(&mut body, url, &source.name),
                    None => push!(&mut body, "{}", e(&source.name)),
                }
                if let Some(note) = &source.note {
                    push!(&mut body, "<br><span class=\"note\">{}</span>", e(note));
                }
                push!(
                    &mut body,
                    "</td><td>{}</td><td>{}</td></tr>",
                    e(&source.licence),
                    e(&source.date)
                );
            }
            table_end(&mut body);
            body.push_str("<h2>What is loaded</h2>");
            let c = &overview.corpus;
            push!(
                &mut body,
                "<p>The law corpus <strong>{}</strong> ({}): {} rules in {} places, citing <a href=\"/sources\">{} sources</a>, tested by {} scenarios. Sources were read through {}; later changes in the law are not reflected.</p>",
                e(&c.version),
                e(&c.title),
                count(c.rules as u64),
                count(c.jurisdictions as u64),
                count(c.sources as u64),
                count(c.scenarios as u64),
                e(&c.sources_read_through)
            );
            match &overview.imports {
                None => body.push_str("<p>No store is open: the 287(g), audit and sharing pages are empty. Import data with <code>remit registry import</code>, <code>remit audit</code> or <code>remit sharing import</code>, or run <code>remit serve --demo</code>.</p>"),
                Some(imports) if imports.is_empty() => body.push_str("<p>The store is open but holds no imported files yet.</p>"),
                Some(imports) => {
                    push!(&mut body, "<p>The store holds {} imported files:</p>", imports.len());
                    table_head(&mut body, &["kind", "file", "imported (UTC)", "rows read", "rows stored", "issues"]);
                    for import in imports {
                        push!(
                            &mut body,
                            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                            e(&import.kind),
                            e(&import.source),
                            e(&import.imported_at),
                            count(import.rows_read),
                            count(import.rows_stored),
                            count(import.issues)
                        );
                    }
                    table_end(&mut body);
                }
            }
            if overview.audits > 0 {
                push!(
                    &mut body,
                    "<p>{} plate-reader <a href=\"/audits\">audit{}</a> loaded.</p>",
                    overview.audits,
                    if overview.audits == 1 { " is" } else { "s are" }
                );
            }
            page.html(&body)
        }
    }
}
