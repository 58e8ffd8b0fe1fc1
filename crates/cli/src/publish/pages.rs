//! The pages a published copy adds to the dashboard's: the ones that stand in for what needs a
//! live server (a question of one's own, uploads, the server's search, views left out), the
//! list of published guides, the search index the browser searches, and the sitemap. The pages
//! use the dashboard's own layout, so the disclaimer, the sections and the data's sources and
//! dates are on them as on every other page.

use remit_web::DataSource;
use remit_web::html::{Layout, document, e};
use remit_web::i18n::{self, Lang};

use super::links;
use super::{Address, Place};

/// The search index as data, for programs.
pub const SEARCH_INDEX_JSON: &str = "-/assets/search-index.json";
/// The same index as a script that sets `window.remitSearchIndex`: a browser reading a copy
/// from `file://` runs scripts but refuses to fetch JSON.
pub const SEARCH_INDEX_SCRIPT: &str = "-/assets/search-index.js";
/// The script that searches the index.
pub const SEARCH_SCRIPT: &str = "-/assets/search.js";

/// The sources the home page names (in its JSON envelope), for the footer of the added pages.
pub fn sources(envelope: Option<&serde_json::Value>) -> Vec<DataSource> {
    let text = |value: &serde_json::Value, key: &str| {
        value
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
    };
    envelope
        .and_then(|envelope| envelope.get("sources"))
        .and_then(serde_json::Value::as_array)
        .map(|list| {
            list.iter()
                .map(|source| DataSource {
                    name: text(source, "name").unwrap_or_default(),
                    url: text(source, "url"),
                    licence: text(source, "licence").unwrap_or_default(),
                    date: text(source, "date").unwrap_or_default(),
                    note: text(source, "note"),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A page in the dashboard's layout, its links still the dashboard's addresses (the rewriter
/// makes them relative with every other page's).
/// A Spanish page is laid out in Spanish and its links lead to the Spanish pages, as the
/// dashboard's own Spanish pages are.
fn page(lang: Lang, title: &str, section: &str, sources: &[DataSource], body: &str) -> String {
    let html = i18n::within(lang, || {
        document(
            &Layout {
                title,
                section,
                json: None,
                csv: None,
                sources,
                feed: None,
            },
            body,
        )
    });
    match lang {
        Lang::En => html,
        Lang::Es => i18n::localize_links(&html),
    }
}

/// How to run Remit, for the pages that need it.
const RUN_REMIT: &str = "<p>To do this, run Remit on a computer (it is free and open source) and open the address it prints:</p>\
<pre><code>remit serve</code></pre>\
<p class=\"note\">Or over the bundled samples: <code>remit serve --demo</code>.</p>";

/// The same in Spanish.
const RUN_REMIT_ES: &str = "<p>Para hacerlo, ejecute Remit en una computadora (es gratuito y de código abierto) y abra la dirección que muestra:</p>\
<pre><code>remit serve</code></pre>\
<p class=\"note\">O con los datos de muestra incluidos: <code>remit serve --demo</code>.</p>";

/// The words of a vocabulary name, as a reader reads them (`local_police`: "local police").
fn plain(name: &str) -> String {
    name.replace('_', " ")
}

/// The pages that stand in for the live server's, each with its file in the copy.
pub fn live_pages(
    sources: &[DataSource],
    guides: &[(Place, String, Address)],
    lang: Lang,
) -> Vec<(String, String)> {
    match lang {
        Lang::En => live_pages_en(sources, guides),
        Lang::Es => live_pages_es(sources, guides),
    }
}

/// The stand-ins in Spanish, under `es/`.
fn live_pages_es(
    sources: &[DataSource],
    guides: &[(Place, String, Address)],
) -> Vec<(String, String)> {
    let lang = Lang::Es;
    let mut pages = Vec::new();
    let disclaimer = format!(
        "<p class=\"disclaimer\">{}</p>",
        e(remit_law::DISCLAIMER_ES)
    );
    let ask = format!(
        "<h1>Hacer una pregunta</h1>\
         <p>Esta es una copia publicada de Remit: sus páginas se escribieron de antemano, así que no puede calcular la respuesta a una pregunta propia.</p>\
         <p>Sí contiene las respuestas a preguntas frecuentes para cada lugar (preguntas sobre el estatus migratorio, solicitudes de detención, avisos de liberación, entrevistas bajo custodia, datos de lectores de placas, acuerdos 287(g), intérpretes): abra un lugar desde <a href=\"/jurisdictions\">Lugares</a>, o lea <a href=\"/guide\">la guía</a> de un lugar y del tipo de agencia para el que trabaja, que responde a todas las preguntas que Remit conoce para él.</p>\
         {RUN_REMIT_ES}\
         <p>Luego elija <strong>Preguntar</strong>. Desde una terminal: <code>remit ask --lang es --where TX --actor jail --action honor_detainer</code>.</p>\
         {disclaimer}"
    );
    pages.push((
        super::Live::Ask.file_in(lang),
        page(lang, "Hacer una pregunta", "/ask", sources, &ask),
    ));

    let mut guide = String::from(
        "<h1>Guías</h1>\
         <p>Una guía responde a todas las preguntas que Remit conoce para un tipo de agencia en un lugar, con las normas que respaldan cada respuesta. Esta copia publicada contiene estas guías; para otro lugar u otra fecha, ejecute <code>remit serve</code> (o <code>remit guide --lang es --where \"El Cajon, CA\" --actor local_police</code>).</p>",
    );
    guide_list(
        &mut guide,
        guides,
        "<p>No se publicó ninguna guía en esta copia.</p>",
        true,
    );
    guide.push_str(&disclaimer);
    pages.push((
        super::Live::Guide.file_in(lang),
        page(lang, "Guías", "/guide", sources, &guide),
    ));

    let search = format!(
        "<h1>Buscar</h1>\
         <form class=\"search\" action=\"/search\" method=\"get\" role=\"search\">\
         <label class=\"skip\" for=\"search-query\">Un lugar, una agencia o una ley</label>\
         <input id=\"search-query\" type=\"search\" name=\"q\" placeholder=\"Un lugar, una agencia o una ley\"><button type=\"submit\">Buscar</button></form>\
         <div id=\"search-results\" data-root=\"../../\" data-lang=\"es\" aria-live=\"polite\">\
         <noscript><p>Para buscar en esta copia publicada hace falta JavaScript. Sin él, consulte los <a href=\"/jurisdictions\">lugares</a>, las <a href=\"/agencies\">agencias</a> o las <a href=\"/rules\">normas</a>.</p></noscript>\
         </div>\
         <p class=\"note\">Esta copia busca lugares, agencias, normas y auditorías en su navegador. La búsqueda de un Remit en funcionamiento (<code>remit serve</code>) hace lo mismo con todo lo que contiene.</p>\
         <script src=\"/{SEARCH_INDEX_SCRIPT}\"></script><script src=\"/{SEARCH_SCRIPT}\"></script>"
    );
    pages.push((
        super::Live::Search.file_in(lang),
        page(lang, "Buscar", "/search", sources, &search),
    ));

    let upload = format!(
        "<h1>Subir un archivo</h1>\
         <p>Esta es una copia publicada de Remit, así que no puede leer un archivo suyo: un registro de búsquedas de lectores de placas o una lista de intercambio los verifica Remit mismo, en su computadora.</p>\
         <pre><code>remit serve --allow-uploads</code></pre>\
         {RUN_REMIT_ES}\
         <p>Desde una terminal: <code>remit audit network-audit.csv --owner \"El Cajon CA PD\"</code> o <code>remit sharing import FILE</code>.</p>"
    );
    pages.push((
        super::Live::Upload.file_in(lang),
        page(lang, "Subir un archivo", "/audits", sources, &upload),
    ));

    let left_out = format!(
        "<h1>No está en esta copia</h1>\
         <p>Esta copia publicada de Remit deja fuera algunas vistas de sus listas (una lista filtrada y luego ordenada de nuevo, o más allá del límite de tamaño de la copia), para que siga siendo lo bastante pequeña para cualquier servicio de alojamiento web. Todos los registros siguen aquí: empiece por <a href=\"/\">la página de inicio</a>, <a href=\"/jurisdictions\">Lugares</a>, <a href=\"/rules\">Normas</a> o <a href=\"/agencies\">Agencias</a>.</p>\
         {RUN_REMIT_ES}"
    );
    pages.push((
        super::LEFT_OUT_FILE_ES.to_string(),
        page(lang, "No está en esta copia", "/", sources, &left_out),
    ));
    pages
}

/// The list of published guides, by place; `english_actors` marks the actors' names, which
/// are the vocabulary's words in English, as English.
fn guide_list(
    out: &mut String,
    guides: &[(Place, String, Address)],
    none: &str,
    english_actors: bool,
) {
    if guides.is_empty() {
        out.push_str(none);
        return;
    }
    let lang = if english_actors { " lang=\"en\"" } else { "" };
    out.push_str("<ul class=\"results\">");
    let mut current: Option<&str> = None;
    for (place, actor, address) in guides {
        if current != Some(place.id.as_str()) {
            if current.is_some() {
                out.push_str("</li>");
            }
            out.push_str(&format!("<li><strong>{}</strong>: ", e(&place.label)));
            current = Some(place.id.as_str());
        } else {
            out.push_str(" · ");
        }
        out.push_str(&format!(
            "<a href=\"{}\"{lang}>{}</a>",
            e(&address.url()),
            e(&plain(actor))
        ));
    }
    out.push_str("</li></ul>");
}

/// The stand-ins in English.
fn live_pages_en(
    sources: &[DataSource],
    guides: &[(Place, String, Address)],
) -> Vec<(String, String)> {
    let lang = Lang::En;
    let mut pages = Vec::new();

    let ask = format!(
        "<h1>Ask a question</h1>\
         <p>This is a published copy of Remit: its pages were written out ahead of time, so it cannot work out the answer to a question of your own.</p>\
         <p>It does hold the answers to common questions for every place (status questions, detainers, release notices, custody interviews, plate-reader data, 287(g) agreements, interpreters): open a place from <a href=\"/jurisdictions\">Places</a>, or read <a href=\"/guide\">the guide</a> for a place and the kind of agency you work for, which answers every question Remit knows for it.</p>\
         {RUN_REMIT}\
         <p>Then choose <strong>Ask</strong>. From a terminal: <code>remit ask --where TX --actor jail --action honor_detainer</code>.</p>\
         <p class=\"disclaimer\">Remit describes the law as encoded from cited sources. It is not legal advice.</p>"
    );
    pages.push((
        super::Live::Ask.file_in(lang),
        page(lang, "Ask a question", "/ask", sources, &ask),
    ));

    let mut guide = String::from(
        "<h1>Guides</h1>\
         <p>A guide answers every question Remit knows for one kind of agency in one place, with the rules behind each answer. This published copy holds these guides; for another place or date, run <code>remit serve</code> (or <code>remit guide --where \"El Cajon, CA\" --actor local_police</code>).</p>",
    );
    guide_list(
        &mut guide,
        guides,
        "<p>No guides were published in this copy.</p>",
        false,
    );
    guide.push_str("<p class=\"disclaimer\">Remit describes the law as encoded from cited sources. It is not legal advice.</p>");
    pages.push((
        super::Live::Guide.file_in(lang),
        page(lang, "Guides", "/guide", sources, &guide),
    ));

    let search = format!(
        "<h1>Search</h1>\
         <form class=\"search\" action=\"/search\" method=\"get\" role=\"search\">\
         <label class=\"skip\" for=\"search-query\">A place, agency or law</label>\
         <input id=\"search-query\" type=\"search\" name=\"q\" placeholder=\"A place, agency or law\"><button type=\"submit\">Search</button></form>\
         <div id=\"search-results\" data-root=\"../\" aria-live=\"polite\">\
         <noscript><p>Searching this published copy needs JavaScript. Without it, browse <a href=\"/jurisdictions\">places</a>, <a href=\"/agencies\">agencies</a> or <a href=\"/rules\">rules</a>.</p></noscript>\
         </div>\
         <p class=\"note\">This copy searches places, agencies, rules and audits in your browser. The search of a running Remit (<code>remit serve</code>) does the same over everything it holds.</p>\
         <script src=\"/{SEARCH_INDEX_SCRIPT}\"></script><script src=\"/{SEARCH_SCRIPT}\"></script>"
    );
    pages.push((
        super::Live::Search.file_in(lang),
        page(lang, "Search", "/search", sources, &search),
    ));

    let upload = format!(
        "<h1>Upload a file</h1>\
         <p>This is a published copy of Remit, so it cannot read a file of yours: a plate-reader search log or a sharing list is checked by Remit itself, on your computer.</p>\
         <pre><code>remit serve --allow-uploads</code></pre>\
         {RUN_REMIT}\
         <p>From a terminal: <code>remit audit network-audit.csv --owner \"El Cajon CA PD\"</code> or <code>remit sharing import FILE</code>.</p>"
    );
    pages.push((
        super::Live::Upload.file_in(lang),
        page(lang, "Upload a file", "/audits", sources, &upload),
    ));

    let left_out = format!(
        "<h1>Not in this copy</h1>\
         <p>This published copy of Remit leaves out some views of its lists (a list filtered and then sorted again, or beyond the copy's size limit), so that it stays small enough for any web host. Every record is still here: start from <a href=\"/\">the home page</a>, <a href=\"/jurisdictions\">Places</a>, <a href=\"/rules\">Rules</a> or <a href=\"/agencies\">Agencies</a>.</p>\
         {RUN_REMIT}"
    );
    pages.push((
        super::LEFT_OUT_FILE.to_string(),
        page(lang, "Not in this copy", "/", sources, &left_out),
    ));
    pages
}

/// The entries of the search index: every published place, agency, audit and rule, each with
/// its file in the copy (relative to the copy's folder). `file` gives the file of a page, or
/// `None` when the page is not in the copy (it is then not listed).
pub fn search_entries(
    fetcher: &super::Fetcher,
    places: &[Place],
    file: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<Vec<serde_json::Value>> {
    let text = |value: &serde_json::Value, pointer: &str| {
        value
            .pointer(pointer)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let mut entries = Vec::new();
    let mut push = |kind: &str, title: String, detail: String, url: &str, aliases: Vec<String>| {
        if let Some(file) = file(url) {
            entries.push(serde_json::json!({
                "kind": kind,
                "title": title,
                "detail": detail,
                "url": file,
                "aliases": aliases,
            }));
        }
    };
    for place in places {
        let mut aliases = Vec::new();
        if place.id.matches('/').count() == 2
            && let Some((_, code)) = place.id.rsplit('/').next().unwrap_or("").split_once(':')
        {
            aliases.push(code.to_uppercase());
        }
        push(
            "place",
            place.label.clone(),
            "the law in force there, action by action".to_string(),
            &format!("/jurisdictions/{}", place.id),
            aliases,
        );
    }
    let mut next = Some("/agencies.json?size=1000".to_string());
    let mut pages = 0;
    while let Some(url) = next.take() {
        let data = fetcher.data(&url)?;
        for agency in data
            .get("agencies")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
        {
            let state = text(agency, "/state");
            let name = text(agency, "/name");
            let detail = match remit_law::jurisdiction::STATES
                .iter()
                .find(|(code, _, _)| *code == state)
            {
                Some((_, state_name, _)) => format!("an agency in {state_name}"),
                None => "an agency".to_string(),
            };
            let ori = text(agency, "/ori");
            let aliases = [state, ori].into_iter().filter(|a| !a.is_empty()).collect();
            push("agency", name, detail, &text(agency, "/url"), aliases);
        }
        pages += 1;
        next = data
            .get("next")
            .and_then(serde_json::Value::as_str)
            .filter(|_| pages < 1000)
            .map(str::to_string);
    }
    let audits = fetcher.data("/audits.json")?;
    for audit in audits.as_array().into_iter().flatten() {
        push(
            "audit",
            text(audit, "/title"),
            "who searched this plate-reader data, and why".to_string(),
            &text(audit, "/page"),
            vec![text(audit, "/owner")],
        );
    }
    let labels: std::collections::HashMap<&str, &str> = places
        .iter()
        .map(|place| (place.id.as_str(), place.label.as_str()))
        .collect();
    let rules = fetcher.data("/rules.json")?;
    for rule in rules
        .get("rules")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = text(rule, "/id");
        let jurisdiction = text(rule, "/jurisdiction");
        let place = labels
            .get(jurisdiction.as_str())
            .copied()
            .unwrap_or(jurisdiction.as_str());
        push(
            "rule",
            format!("{} ({place})", text(rule, "/source/citation")),
            text(rule, "/summary"),
            &format!("/rules/{id}"),
            vec![text(rule, "/source/title"), id.clone()],
        );
    }
    Ok(entries)
}

/// The sitemap: every page of the copy, by its address under `base` when the copy's address is
/// known, else by its path in the copy.
pub fn sitemap(pages: &[String], base: Option<String>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages {
        let location = match &base {
            Some(base) => format!("{base}{page}"),
            None => page.clone(),
        };
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            links::escape(&location)
        ));
    }
    out.push_str("</urlset>\n");
    out
}
