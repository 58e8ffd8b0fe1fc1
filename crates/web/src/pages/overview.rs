//! `/`: what is loaded, where it comes from and how recent it is, and where to go next.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::{ask_url, corpus_source, example_question, file_name};
use crate::AppState;
use maud::{Markup, html};

use crate::i18n::{self, Common, Lang, count, count_of, strings};
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

const SECTIONS_ES: &[Section] = &[
    Section {
        path: "/ask",
        title: "Preguntar",
        description: "¿Puede, debe o no debe este agente o esta agencia hacer esto, aquí, hoy? Una respuesta con cada razón y cada cita.",
    },
    Section {
        path: "/jurisdictions",
        title: "Lugares",
        description: "Cada norma vigente en un estado, condado o ciudad, y lo que dice la ley allí sobre cada acción.",
    },
    Section {
        path: "/rules",
        title: "Normas",
        description: "El corpus: cada disposición en sus propias palabras, con su fuente, sus fechas y su estado.",
    },
    Section {
        path: "/coverage",
        title: "Cobertura",
        description: "Lugar por acción: sobre qué se pronuncia el corpus y dónde guarda silencio.",
    },
    Section {
        path: "/287g",
        title: "Acuerdos 287(g)",
        description: "Qué agencias tuvieron un acuerdo con ICE, por estado, modelo y fecha.",
    },
    Section {
        path: "/audits",
        title: "Auditorías de lectores de placas",
        description: "Quién buscó en los datos de lectores de placas de una agencia, por qué, y qué dice la ley del propietario de los datos al respecto.",
    },
    Section {
        path: "/sharing",
        title: "Intercambio de datos",
        description: "Con quién comparten las agencias los datos de lectores de placas, y cuáles de esos intercambios prohíbe la ley de su estado.",
    },
];

strings! {
    /// The words of the home page and the import log.
    pub struct HomeText {
        title: "Home", "Inicio";
        intro: "The rules and records of cooperation between US local police and federal immigration authorities (ICE, CBP and Border Patrol, HSI). Remit describes the law as encoded from cited sources and the records agencies publish; it takes no side, and it is not legal advice.", "Las normas y los registros de la cooperación entre la policía local de Estados Unidos y las autoridades federales de inmigración (ICE, CBP y la Patrulla Fronteriza, HSI). Remit describe la ley tal como se codificó a partir de las fuentes citadas y los registros que publican las agencias; no toma partido y no es asesoramiento legal.";
        demo_heading: "Demo data.", "Datos de demostración.";
        demo_text: "The store behind this site was built from small bundled samples and generated records, so that every page has something to show. Its 287(g), audit and sharing figures describe those samples, not the real world. The law pages use the real corpus.", "La base de datos de este sitio se creó con pequeñas muestras incluidas y registros generados, para que cada página tenga algo que mostrar. Sus cifras de 287(g), auditorías e intercambio de datos describen esas muestras, no el mundo real. Las páginas sobre la ley usan el corpus real.";
        in_the_records: "In the records", "En los registros";
        agreements_link: "287(g) agreements", "acuerdos 287(g)";
        recent_changes: "Recent changes", "Cambios recientes";
        see_which: "See which", "Ver cuáles";
        ask_heading: "Ask a question", "Hacer una pregunta";
        where_label: "Where", "Dónde";
        where_placeholder: "a state, county or city", "un estado, condado o ciudad";
        what_label: "What", "Qué";
        option_share_alpr: "share plate-reader data", "compartir datos de lectores de placas";
        option_detainer: "hold someone on an ICE detainer", "retener a alguien por una orden de detención migratoria de ICE";
        option_status: "ask about immigration status", "preguntar por el estatus migratorio";
        option_release: "tell ICE when someone is released", "informar a ICE cuándo se libera a alguien";
        option_287g: "sign a 287(g) agreement", "firmar un acuerdo 287(g)";
        ask_button: "Ask", "Preguntar";
        ask_note_start: "For the police of that place;", "Para la policía de ese lugar;";
        example_answer: "an example answer", "un ejemplo de respuesta";
        or: "or", "o";
        full_form: "the full form", "el formulario completo";
        ask_note_end: "for every actor, action and fact.", "para cada actor, acción y hecho.";
        guide_heading: "A guide for one department", "Una guía para un departamento";
        place_label: "Place", "Lugar";
        for_label: "For", "Para";
        option_police: "a police department", "un departamento de policía";
        option_sheriff: "a sheriff's office", "una oficina del sheriff";
        option_jail: "a jail", "una cárcel";
        option_state_police: "the state police", "la policía estatal";
        guide_button: "Show the guide", "Ver la guía";
        sections: "Sections", "Secciones";
        upload: "Upload", "Subir un archivo";
        upload_text: "a plate-reader search log or a sharing list, read and reported on without being kept.", "un registro de búsquedas de lectores de placas o una lista de intercambio de datos, que se lee y se resume sin guardarlo.";
        uploads_on: "Uploads are on.", "La subida de archivos está activada.";
        uploads_off: "Uploads are off on this server; whoever runs it can turn them on by starting it with", "La subida de archivos está desactivada en este servidor; quien lo administra puede activarla iniciándolo con";
        data_sources: "Data sources", "Fuentes de datos";
        licence: "licence:", "licencia:";
        what_is_loaded: "What is loaded", "Qué está cargado";
        no_store: "No store is open: the 287(g), audit and sharing pages are empty. Import data with", "No hay ninguna base de datos abierta: las páginas de 287(g), auditorías e intercambio de datos están vacías. Importe datos con";
        or_run: "or run", "o ejecute";
        empty_store: "The store is open but holds no imported files yet.", "La base de datos está abierta, pero todavía no contiene archivos importados.";
        store_holds: "The store holds", "La base de datos contiene";
        imported_file: "imported file|imported files", "archivo importado|archivos importados";
        each_with: ", each with what was read and kept.", ", cada uno con lo que se leyó y se guardó.";
        imports_title: "Imported files", "Archivos importados";
        no_imports: "No files have been imported into this store. Import data with", "No se ha importado ningún archivo en esta base de datos. Importe datos con";
        imports_intro: "Rows read are the rows of the file, rows kept those stored. An", "Las filas leídas son las filas del archivo; las filas guardadas, las que se almacenaron. Una";
        issue: "issue", "incidencia";
        is: "is:", "es:";
        column_file: "File", "Archivo";
        column_what: "What", "Tipo";
        column_imported: "Imported (UTC)", "Importado (UTC)";
        column_read: "Rows read", "Filas leídas";
        column_kept: "Rows kept", "Filas guardadas";
        column_issues: "Issues", "Incidencias";
        oldest_first: "oldest first.", "los más antiguos primero.";
        file: "file|files", "archivo|archivos";
    }
}

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
        sections: i18n::pick(SECTIONS, SECTIONS_ES)
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
    let page = Page::new(HomeText::current().title, "/", "/").with_sources(sources);
    match format {
        Format::Json => page.json(&overview),
        Format::Csv => WebError::no_csv().into_response(),
        Format::Html => page.html(&render_home(&overview, &page).into_string()),
    }
}

/// The sentences of the home page's tiles, which put numbers and words together.
fn agreements_tile(a: &AgreementsHeadline, link: Markup) -> Markup {
    match i18n::lang() {
        Lang::En => html! {
            span.big { (count(a.agreements)) } " " (link) " with ICE, held by " (count(a.agencies)) " agencies, on the sheet of " (a.as_of)
            @match &a.year_before {
                Some((day, then)) => { " (a year earlier, " (day) ": " (count(*then)) ")" }
                None => { " (the sheets do not reach back a year)" }
            }
        },
        Lang::Es => html! {
            span.big { (count(a.agreements)) } " " (link) " con ICE, de " (count_of(a.agencies, "agencia|agencias")) ", según la lista del " (i18n::date(&a.as_of))
            @match &a.year_before {
                Some((day, then)) => { " (un año antes, el " (i18n::date(day)) ": " (count(*then)) ")" }
                None => { " (las listas no abarcan un año atrás)" }
            }
        },
    }
}

fn audits_tile(a: &AuditsHeadline) -> Markup {
    let n = a.audits as u64;
    match i18n::lang() {
        Lang::En => html! {
            span.big { (count(n)) } " "
            a href="/audits" { (i18n::plural(n, "plate-reader audit|plate-reader audits")) }
            " covering " (count(a.searches)) " searches; " (count(a.findings))
            " searches flagged for a reason the owner's law or policy questions"
        },
        Lang::Es => html! {
            span.big { (count(n)) } " "
            a href="/audits" { (i18n::plural(n, "auditoría de lectores de placas|auditorías de lectores de placas")) }
            " que abarcan " (count_of(a.searches, "búsqueda|búsquedas")) "; " (count_of(a.findings, "búsqueda señalada|búsquedas señaladas"))
            " por un motivo que la ley o la política del propietario de los datos pone en duda"
        },
    }
}

fn sharing_tile(s: &SharingHeadline) -> Markup {
    let lists = s.lists as u64;
    let owners = s.owners as u64;
    let forbidden = s.owners_with_forbidden;
    match i18n::lang() {
        Lang::En => html! {
            span.big { (count(lists)) } " "
            a href="/sharing" { (i18n::plural(lists, "sharing list|sharing lists")) }
            " from " (count_of(owners, "agency|agencies")) "; "
            (count(forbidden)) " " (i18n::plural(forbidden, "shares|share"))
            " with a recipient its state's law forbids"
        },
        Lang::Es => html! {
            span.big { (count(lists)) } " "
            a href="/sharing" { (i18n::plural(lists, "lista de intercambio de datos|listas de intercambio de datos")) }
            " de " (count_of(owners, "agencia|agencias")) "; "
            (count(forbidden)) " " (i18n::plural(forbidden, "comparte|comparten"))
            " datos con un destinatario que la ley de su estado prohíbe"
        },
    }
}

fn changes_sentence(a: &AgreementsHeadline, previous: &str) -> Markup {
    match i18n::lang() {
        Lang::En => html! {
            "Between ICE's sheets of " (previous) " and " (a.as_of) ": " (count(a.added))
            " " (i18n::plural(a.added, "agreement|agreements")) " added, " (count(a.removed)) " removed. "
        },
        Lang::Es => html! {
            "Entre las listas de ICE del " (i18n::date(previous)) " y del " (i18n::date(&a.as_of)) ": "
            (count(a.added)) " " (i18n::plural(a.added, "acuerdo añadido|acuerdos añadidos")) ", "
            (count(a.removed)) " " (i18n::plural(a.removed, "retirado|retirados")) ". "
        },
    }
}

fn corpus_sentence(c: &CorpusSummary) -> Markup {
    let sources = html! { a href="/sources" { (count_of(c.sources as u64, i18n::pick("source|sources", "fuente|fuentes"))) } };
    match i18n::lang() {
        Lang::En => html! {
            "The law corpus " strong { (c.version) } " (" (c.title) "): " (count(c.rules as u64)) " rules in "
            (count(c.jurisdictions as u64)) " places, citing " (sources)
            ", tested by " (count(c.scenarios as u64)) " scenarios. Sources were read through "
            (c.sources_read_through) "; later changes in the law are not reflected."
        },
        Lang::Es => html! {
            "El corpus legal " strong { (c.version) } " (" (parts::english(&c.title)) "): " (count_of(c.rules as u64, "norma|normas")) " en "
            (count_of(c.jurisdictions as u64, "lugar|lugares")) ", que citan " (sources)
            ", comprobadas con " (count_of(c.scenarios as u64, "escenario|escenarios")) ". Las fuentes se leyeron hasta el "
            (i18n::date(&c.sources_read_through)) "; los cambios posteriores de la ley no se reflejan."
        },
    }
}

fn render_home(overview: &Overview, page: &Page) -> Markup {
    let h = &overview.headlines;
    let c = &overview.corpus;
    let t = HomeText::current();
    html! {
        h1 { "Remit" }
        p { (t.intro) }
        @if overview.demo {
            p.error { strong { (t.demo_heading) } " " (t.demo_text) }
        }
        @if h.agreements.is_some() || h.audits.is_some() || h.sharing.is_some() {
            h2 { (t.in_the_records) }
            ul.tiles {
                @if let Some(a) = &h.agreements {
                    li { (agreements_tile(a, html! { a href="/287g" { (t.agreements_link) } })) }
                }
                @if let Some(a) = &h.audits {
                    li { (audits_tile(a)) }
                }
                @if let Some(s) = &h.sharing {
                    li { (sharing_tile(s)) }
                }
            }
            @if let Some(a) = &h.agreements {
                @if let Some(previous) = &a.previous {
                    h2 { (t.recent_changes) }
                    p {
                        (changes_sentence(a, previous))
                        a href="/287g" { (t.see_which) } "."
                    }
                }
            }
        }
        div.boxes {
            section {
                h2 { (t.ask_heading) }
                form action="/ask" method="get" {
                    p {
                        label for="home-where" { (t.where_label) }
                        input #home-where type="text" name="where" placeholder=(t.where_placeholder) value="CA";
                    }
                    p {
                        label for="home-action" { (t.what_label) }
                        select #home-action name="action" {
                            option value="share_alpr_data" { (t.option_share_alpr) }
                            option value="honor_detainer" { (t.option_detainer) }
                            option value="inquire_immigration_status" { (t.option_status) }
                            option value="notify_release" { (t.option_release) }
                            option value="enter_287g_agreement" { (t.option_287g) }
                        }
                        input type="hidden" name="actor" value="local_police";
                    }
                    p { button type="submit" { (t.ask_button) } }
                }
                p.note {
                    (t.ask_note_start) " " a href=(ask_url(&example_question())) { (t.example_answer) }
                    ", " (t.or) " " a href="/ask" { (t.full_form) } " " (t.ask_note_end)
                }
            }
            section {
                h2 { (t.guide_heading) }
                form action="/guide" method="get" {
                    p {
                        label for="home-guide" { (t.place_label) }
                        input #home-guide type="text" name="where" placeholder="El Cajon, CA";
                    }
                    p {
                        label for="home-actor" { (t.for_label) }
                        select #home-actor name="actor" {
                            option value="local_police" { (t.option_police) }
                            option value="sheriff" { (t.option_sheriff) }
                            option value="jail" { (t.option_jail) }
                            option value="state_police" { (t.option_state_police) }
                        }
                    }
                    p { button type="submit" { (t.guide_button) } }
                }
            }
        }
        h2 { (t.sections) }
        ul {
            @for section in &overview.sections {
                li { a href=(section.path) { (section.title) } ": " (section.description) }
            }
            li {
                a href="/-/upload" { (t.upload) } ": " (t.upload_text) " "
                @if overview.uploads {
                    (t.uploads_on)
                } @else {
                    (t.uploads_off) " "
                    code { "remit serve --allow-uploads" } "."
                }
            }
        }
        h2 { (t.data_sources) }
        ul.sources {
            @for source in &page.sources {
                li {
                    @match &source.url {
                        Some(url) if url.starts_with('/') => a href=(url) { (source.name) },
                        // A source's name is the page's own words (in its language), not data.
                        Some(url) if crate::html::is_web_url(url) => a href=(url) rel="noreferrer" { (source.name) },
                        _ => (source.name),
                    }
                    " (" (source.date) "; " (t.licence) " " (source.licence) ")"
                }
            }
        }
        h2 { (t.what_is_loaded) }
        p { (corpus_sentence(c)) }
        @match &overview.imports {
            None => p { (t.no_store) " " code { "remit registry import" } ", " code { "remit audit" } " " (t.or) " " code { "remit sharing import" } ", " (t.or_run) " " code { "remit serve --demo" } "." },
            Some(imports) if imports.is_empty() => p { (t.empty_store) },
            Some(imports) => p { (t.store_holds) " " a href="/-/imports" { (count_of(imports.len() as u64, t.imported_file)) } (t.each_with) },
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

/// [`ISSUE_KINDS`] in Spanish.
const ISSUE_KINDS_ES: &[(&str, &str, &str)] = &[
    (
        "registry.sheet",
        "Lista 287(g) de ICE",
        "una fila que Remit no pudo leer completa (falta el nombre o el estado de la agencia, o una fecha o un modelo de apoyo no se pueden leer); la fila se aparta y el resto de la lista se importa",
    ),
    (
        "sharing.list",
        "Lista de intercambio de datos",
        "una entrada que no nombra ninguna agencia que Remit pueda identificar, o una línea que no puede leer; la entrada aparece en la página de intercambio del propietario entre las que no se pudieron comprobar",
    ),
    (
        "audit",
        "Auditoría de lectores de placas",
        "una fila del registro de búsquedas que no se pudo leer (una hora errónea, falta el autor de la búsqueda); se cuenta como rechazada y las demás filas se auditan",
    ),
];

fn issue_kinds() -> &'static [(&'static str, &'static str, &'static str)] {
    i18n::pick(ISSUE_KINDS, ISSUE_KINDS_ES)
}

fn kind_label(kind: &str) -> &str {
    issue_kinds()
        .iter()
        .find(|(k, _, _)| kind.starts_with(k))
        .map_or(kind, |(_, label, _)| label)
}

/// `/-/imports`: every file the store has imported, with what its issue counts mean.
pub async fn imports(State(state): State<AppState>, format: Format, params: Params) -> Response {
    if !state.has_store() {
        let title = HomeText::current().imports_title;
        let page = Page::new(title, "/", "/-/imports").with_csv();
        return super::no_store(page, format, title);
    }
    let imports = match imports_of(&state) {
        Ok(imports) => imports.unwrap_or_default(),
        Err(error) => return error.into_response(),
    };
    let sources = match super::store_sources(&state) {
        Ok(sources) => sources,
        Err(error) => return error.into_response(),
    };
    let t = HomeText::current();
    let page = Page::new(t.imports_title, "/", "/-/imports")
        .with_query(params.raw())
        .with_csv()
        .with_sources(sources);
    let (offset, size) = match params.page() {
        Ok(page) => page,
        Err(error) => return error.into_response(),
    };
    match format {
        Format::Json => page.json(&serde_json::json!({ "imports": imports, "issue_kinds": issue_kinds().iter().map(|(k, l, m)| serde_json::json!({"kind": k, "label": l, "issue": m})).collect::<Vec<_>>() })),
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
                h1 { (t.imports_title) }
                @if imports.is_empty() {
                    p {
                        (t.no_imports) " " code { "remit registry import" } ", "
                        code { "remit audit" } " " (t.or) " " code { "remit sharing import" } ", " (t.or_run) " " code { "remit serve --demo" } ". "
                        a href="/" { (Common::current().back_home) } "."
                    }
                } @else {
                    p { (count_of(imports.len() as u64, t.file)) ", " (t.oldest_first) " " (t.imports_intro) " " em { (t.issue) } " " (t.is) }
                    ul {
                        @for (_, label, meaning) in issue_kinds() {
                            li { strong { (label) } ": " (meaning) "." }
                        }
                    }
                    (parts::table(&[t.column_file, t.column_what, t.column_imported, t.column_read, t.column_kept, t.column_issues], html! {
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
