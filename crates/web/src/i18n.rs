//! The dashboard in English and Spanish: the language of a request, the interface's words in
//! both languages, and numbers, dates and plurals as each language writes them.
//!
//! Many of the people the dashboard serves read Spanish first. Every page answers in Spanish
//! under `/es/` (`/es/rules?jurisdiction=CA`, `/es/` for the home page) and with `?lang=es` on
//! any path; English stays at the plain paths.
//!
//! # How a request gets its language
//!
//! [`language`], the outermost middleware, reads the language from the path (`/es/...`) or the
//! `lang` query parameter, takes both out of the address (so the routes, the handlers and the
//! twins' addresses are the same in both languages), and runs the rest of the request with the
//! language set: [`lang()`] returns it anywhere while the request is answered (a handler, the
//! layout, a component), and it is also in the request's extensions as a [`Lang`] for handlers
//! that prefer `Extension<Lang>`. Work moved to another thread (`spawn_blocking`) takes the
//! language with it through [`within`].
//!
//! # Links stay in the reader's language
//!
//! Pages write their internal links as in English (`href="/rules"`). On a Spanish page the
//! middleware rewrites every internal `href="/..."` and `action="/..."` of the HTML, and the
//! `Location` and `Link` headers, to `/es/...`, in one place ([`localize_links`]); the
//! stylesheet, Atom feeds and outside links are left as they are, and so is a link whose tag
//! carries `hreflang="en"` (the language switch and the English alternate).
//!
//! # Adding a string
//!
//! Every word of the interface has both languages side by side in a table made with
//! [`strings!`]: a struct of `&'static str` fields with one `const` per language, so a string
//! without its Spanish fails to compile, never the reader.
//!
//! ```ignore
//! crate::i18n::strings! {
//!     /// The words of the rules page.
//!     pub struct RulesText {
//!         heading: "Rules", "Normas";
//!         rule: "rule|rules", "norma|normas";   // singular|plural, for `count_of`
//!     }
//! }
//! let text = RulesText::current();          // the request's language
//! html! { h1 { (text.heading) } p { (i18n::count_of(12, text.rule)) } }
//! ```
//!
//! The layout's and the shared components' words are here ([`Common`]); a page's own words live
//! in a table in the page's module (`use crate::i18n::strings;`), registered in
//! `pages::string_tables` (which [`tables`] lists) so that the test of Spanish pages knows every
//! English string it must not find. A sentence with numbers or names in it is a small function
//! that matches on [`lang()`] (or [`pick`]s between two `format!`s), with [`count_of`] for
//! "1 rule" / "2 rules".
//! Numbers go through [`count`] and [`decimal`] (`1,234` / `1.234`, `2.50` / `2,50`), dates
//! through [`date`] (`2026-12-07` / `7 de diciembre de 2026`).
//!
//! What comes from data stays as it is in both languages: agency names, citations, rule quotes
//! and summaries (marked [`Common::summary_in_english`] on Spanish pages), source titles. Answers
//! and the guide come from the law engine in the reader's language (`Corpus::answer_in`,
//! `Corpus::guide_in`).

use axum::extract::Request;
use axum::http::{HeaderValue, Uri, header};
use axum::middleware::Next;
use axum::response::Response;

pub use remit_law::Lang;

tokio::task_local! {
    static CURRENT: Current;
}

/// What the request being answered asked for, as the layout needs it.
#[derive(Debug, Clone)]
struct Current {
    lang: Lang,
    /// The address without `/es` and without `lang`: the same page in English.
    address: String,
}

/// The language of the request being answered; English outside a request.
pub fn lang() -> Lang {
    CURRENT.try_with(|current| current.lang).unwrap_or_default()
}

/// The address of the page being answered in English (path and query, without `/es` and
/// `lang`); `/` outside a request.
pub fn address() -> String {
    CURRENT
        .try_with(|current| current.address.clone())
        .unwrap_or_else(|_| "/".to_string())
}

/// The address of an English address in `lang`: `/rules?a=1` is `/es/rules?a=1` in Spanish, `/`
/// is `/es/`.
pub fn address_in(english: &str, lang: Lang) -> String {
    match lang {
        Lang::En => english.to_string(),
        Lang::Es if english == "/" || english.starts_with("/?") => format!("/es{english}"),
        Lang::Es => format!("/es{english}"),
    }
}

/// Runs `work` with `lang` as the request's language (for work on another thread, such as
/// `spawn_blocking`, and for tests).
pub fn within<T>(lang: Lang, work: impl FnOnce() -> T) -> T {
    let address = CURRENT
        .try_with(|current| current.address.clone())
        .unwrap_or_else(|_| "/".to_string());
    CURRENT.sync_scope(Current { lang, address }, work)
}

/// The language an address asks for, and the address without what said so: `/es/...` (or
/// `/es`), else `lang=es` / `lang=en` in the query.
fn read(uri: &Uri) -> (Lang, String, Option<String>) {
    let path = uri.path();
    let (mut lang, path) = match path.strip_prefix("/es") {
        Some("") => (Some(Lang::Es), "/".to_string()),
        Some(rest) if rest.starts_with('/') => (Some(Lang::Es), rest.to_string()),
        _ => (None, path.to_string()),
    };
    let query = uri.query().map(|query| {
        let mut kept = Vec::new();
        for pair in query.split('&') {
            match pair.strip_prefix("lang=").map(Lang::parse) {
                Some(Some(asked)) => {
                    lang.get_or_insert(asked);
                }
                _ => kept.push(pair),
            }
        }
        kept.join("&")
    });
    let query = query.filter(|query| !query.is_empty());
    (lang.unwrap_or_default(), path, query)
}

/// The middleware that gives each request its language (see the module's documentation): it
/// must wrap the whole router, since it changes the address the routes see.
pub async fn language(mut request: Request, next: Next) -> Response {
    let (lang, path, query) = read(request.uri());
    let address = match &query {
        Some(query) => format!("{path}?{query}"),
        None => path.clone(),
    };
    if lang != Lang::En || request.uri().query() != query.as_deref() {
        let mut parts = request.uri().clone().into_parts();
        parts.path_and_query = address.parse().ok();
        if let Ok(uri) = Uri::from_parts(parts) {
            *request.uri_mut() = uri;
        }
    }
    request.extensions_mut().insert(lang);
    let response = CURRENT
        .scope(
            Current {
                lang,
                address: address.clone(),
            },
            next.run(request),
        )
        .await;
    match lang {
        Lang::En => response,
        Lang::Es => localize(response).await,
    }
}

/// The largest HTML page whose links are rewritten (the national county map is about 200 KB).
const LARGEST_PAGE: usize = 32 * 1024 * 1024;

/// A Spanish response with its internal links, redirects and `Link` header led to `/es/`.
async fn localize(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    for name in [header::LOCATION, header::CONTENT_LOCATION] {
        if let Some(value) = parts.headers.get(&name).and_then(|v| v.to_str().ok())
            && let Some(local) = local_target(value)
            && let Ok(value) = HeaderValue::from_str(&local)
        {
            parts.headers.insert(name, value);
        }
    }
    if let Some(value) = parts
        .headers
        .get(header::LINK)
        .and_then(|v| v.to_str().ok())
    {
        let rewritten = value
            .split(", ")
            .map(|link| match link.strip_prefix('<') {
                Some(rest) => match local_target(rest) {
                    Some(local) => format!("<{local}"),
                    None => link.to_string(),
                },
                None => link.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        if let Ok(value) = HeaderValue::from_str(&rewritten) {
            parts.headers.insert(header::LINK, value);
        }
    }
    let html = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, LARGEST_PAGE).await else {
        return Response::from_parts(parts, axum::body::Body::empty());
    };
    let text = String::from_utf8_lossy(&bytes);
    let local = localize_links(&text);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(local))
}

/// The Spanish address of an internal address (`/rules` -> `/es/rules`), or `None` for one that
/// stays as it is: outside links, the stylesheet, feeds, and addresses already in Spanish.
fn local_target(target: &str) -> Option<String> {
    let rest = target.strip_prefix('/')?;
    if rest.starts_with('/')
        || rest == "es"
        || rest.starts_with("es/")
        || rest.starts_with("es?")
        || target.starts_with(crate::html::STYLESHEET_PATH)
    {
        return None;
    }
    let path = target.split(['?', '#', '>']).next().unwrap_or(target);
    if path.ends_with(".atom") || path.ends_with(".css") {
        return None;
    }
    Some(format!("/es{target}"))
}

/// Rewrites the internal links of an HTML page to their Spanish addresses: every
/// `href="/..."` and `action="/..."` that [`local_target`] accepts, except in a tag that says
/// `hreflang="en"` before the link.
pub fn localize_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    loop {
        let next = ["href=\"/", "action=\"/"]
            .iter()
            .filter_map(|needle| rest.find(needle).map(|at| (at, needle.len() - 1)))
            .min();
        let Some((at, length)) = next else {
            out.push_str(rest);
            return out;
        };
        let value = at + length;
        out.push_str(&rest[..value]);
        let tag_start = out.rfind('<').unwrap_or(0);
        let english = out[tag_start..].contains("hreflang=\"en\"");
        let end = rest[value..]
            .find('"')
            .map_or(rest.len(), |end| value + end);
        let target = &rest[value..end];
        match local_target(target).filter(|_| !english) {
            Some(local) => out.push_str(&local),
            None => out.push_str(target),
        }
        rest = &rest[end..];
    }
}

/// A count with the language's thousands separator: `1,234` in English, `1.234` in Spanish.
pub fn count(value: u64) -> String {
    let english = remit_html::count(value);
    match lang() {
        Lang::En => english,
        Lang::Es => english.replace(',', "."),
    }
}

/// A count of any integer type that fits in `u64` (a `usize`, an `i64` that is not negative;
/// anything else is shown as 0).
pub fn count_any<T: TryInto<u64>>(value: T) -> String {
    count(value.try_into().unwrap_or(0))
}

/// A number with `places` decimals in the language's way: `2.50` in English, `2,50` in Spanish
/// (and the thousands as [`count`] writes them).
pub fn decimal(value: f64, places: usize) -> String {
    let english = format!("{value:.places$}");
    let (whole, fraction) = match english.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (english.as_str(), None),
    };
    let (sign, digits) = match whole.strip_prefix('-') {
        Some(digits) => ("-", digits),
        None => ("", whole),
    };
    let whole = digits
        .parse::<u64>()
        .map_or_else(|_| digits.to_string(), count);
    let point = match lang() {
        Lang::En => ".",
        Lang::Es => ",",
    };
    match fraction {
        Some(fraction) => format!("{sign}{whole}{point}{fraction}"),
        None => format!("{sign}{whole}"),
    }
}

/// A date written `YYYY-MM-DD` as the language writes it: as it is in English, `7 de diciembre
/// de 2026` in Spanish; other text as it is.
pub fn date(text: &str) -> String {
    // A sheet of ICE's is named by its day and half-day (`2025-07-18 pm`).
    let half = [(" am", "mañana"), (" pm", "tarde")]
        .into_iter()
        .find_map(|(suffix, words)| Some((text.strip_suffix(suffix)?, words)));
    match (lang(), half) {
        (Lang::Es, Some((day, words))) if day.len() == 10 => {
            format!("{} ({words})", remit_law::lang::date_text(day, Lang::Es))
        }
        _ => remit_law::lang::date_text(text, lang()),
    }
}

/// The singular or plural of a `"singular|plural"` string for `n` (one is singular in both
/// languages; zero takes the plural in both).
pub fn plural(n: u64, forms: &'static str) -> &'static str {
    let (one, many) = forms.split_once('|').unwrap_or((forms, forms));
    if n == 1 { one } else { many }
}

/// A count with its noun: `count_of(1234, "rule|rules")` is `1,234 rules` (`1.234 normas`).
pub fn count_of(n: u64, forms: &'static str) -> String {
    format!("{} {}", count(n), plural(n, forms))
}

/// Picks the text of the request's language from an English and a Spanish one (for a string
/// used once, where a table would be overkill; prefer a table for anything a page repeats).
pub fn pick<T>(english: T, spanish: T) -> T {
    match lang() {
        Lang::En => english,
        Lang::Es => spanish,
    }
}

/// Makes a table of interface strings with both languages side by side (see the module's
/// documentation): the struct, `EN` and `ES`, `get(lang)`, `current()` and `table()` (every
/// field's name and both texts, for tests).
macro_rules! strings {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$field_meta:meta])* $field:ident : $en:literal , $es:literal ; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug)]
        $vis struct $name {
            $( $(#[$field_meta])* #[doc = $en] pub $field: &'static str, )*
        }

        impl $name {
            /// The English strings.
            pub const EN: $name = $name { $( $field: $en, )* };
            /// The Spanish strings.
            pub const ES: $name = $name { $( $field: $es, )* };

            /// The strings of a language.
            pub fn get(lang: $crate::i18n::Lang) -> &'static $name {
                match lang {
                    $crate::i18n::Lang::En => &Self::EN,
                    $crate::i18n::Lang::Es => &Self::ES,
                }
            }

            /// The strings of the request's language.
            pub fn current() -> &'static $name {
                Self::get($crate::i18n::lang())
            }

            /// Every string: its field's name, its English and its Spanish.
            pub fn table() -> $crate::i18n::Table {
                ::std::vec![ $( (stringify!($field), $en, $es), )* ]
            }
        }
    };
}
pub(crate) use strings;

strings! {
    /// The words of the layout and of the components every page shares.
    pub struct Common {
        skip: "Skip to content", "Saltar al contenido";
        search_label: "Search places, agencies, rules and audits", "Buscar lugares, agencias, normas y auditorías";
        search_placeholder: "A place, agency or law", "Un lugar, una agencia o una ley";
        search_button: "Search", "Buscar";
        sections: "sections", "secciones";
        nav_home: "Home", "Inicio";
        nav_ask: "Ask", "Preguntar";
        nav_guide: "Guide", "Guía";
        nav_places: "Places", "Lugares";
        nav_rules: "Rules", "Normas";
        nav_287g: "287(g)", "287(g)";
        nav_agencies: "Agencies", "Agencias";
        nav_audits: "Audits", "Auditorías";
        nav_sharing: "Sharing", "Intercambio de datos";
        language: "Language", "Idioma";
        this_page_as_data: "This page as data:", "Esta página como datos:";
        data_on_this_page: "Data on this page", "Datos de esta página";
        licence: "Licence:", "Licencia:";
        disclaimer: "Remit describes the law as encoded from cited sources and the records agencies publish. It is not legal advice.", "Remit describe la ley tal como se codificó a partir de las fuentes citadas y los registros que publican las agencias. No es asesoramiento legal.";
        glossary: "Glossary", "Glosario";
        imported_files: "Imported files", "Archivos importados";
        version: "Version", "Versión";
        health: "Health", "Estado del servidor";
        technical_details: "Technical details", "Detalles técnicos";
        what_to_do: "What to do:", "Qué hacer:";
        filter: "Filter", "Filtrar";
        colour_key: "per place: colour key", "por lugar: clave de colores";
        the_rule: "the rule", "la norma";
        previous: "← Previous", "← Anteriores";
        next: "Next", "Siguientes";
        summary_in_english: "summary in English", "resumen en inglés";
        cannot_be_shown: "This cannot be shown:", "No se puede mostrar:";
        back_home: "Back to the home page", "Volver a la página de inicio";
    }
}

/// "Showing 51–100 of 120" in the request's language.
pub fn showing(first: u64, last: u64, total: u64) -> String {
    match lang() {
        Lang::En => format!(
            "Showing {}–{} of {}",
            count(first),
            count(last),
            count(total)
        ),
        Lang::Es => format!(
            "Se muestran {}–{} de {}",
            count(first),
            count(last),
            count(total)
        ),
    }
}

/// A table of interface strings as the tests read it: each field's name, English and Spanish.
pub type Table = Vec<(&'static str, &'static str, &'static str)>;

/// Every table of interface strings, by name, for the tests that check a Spanish page shows
/// none of the English strings its English page shows. A page's table is added to
/// `pages::string_tables` when the page is translated.
pub fn tables() -> Vec<(&'static str, Table)> {
    let mut tables = vec![("common", Common::table())];
    tables.extend(crate::pages::string_tables());
    tables
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_say_their_language() {
        let uri: Uri = "/es/rules?jurisdiction=CA".parse().unwrap_or_default();
        assert_eq!(
            read(&uri),
            (
                Lang::Es,
                "/rules".to_string(),
                Some("jurisdiction=CA".to_string())
            )
        );
        let uri: Uri = "/es".parse().unwrap_or_default();
        assert_eq!(read(&uri), (Lang::Es, "/".to_string(), None));
        let uri: Uri = "/rules?lang=es&q=a".parse().unwrap_or_default();
        assert_eq!(
            read(&uri),
            (Lang::Es, "/rules".to_string(), Some("q=a".to_string()))
        );
        let uri: Uri = "/estonia?lang=xx".parse().unwrap_or_default();
        assert_eq!(
            read(&uri),
            (
                Lang::En,
                "/estonia".to_string(),
                Some("lang=xx".to_string())
            )
        );
    }

    #[test]
    fn spanish_pages_link_to_spanish_pages() {
        let page = concat!(
            "<a href=\"/rules?a=1&amp;b=2\">x</a><a href=\"/\">home</a>",
            "<link rel=\"stylesheet\" href=\"/-/style.css?v=1\">",
            "<a href=\"https://law.example/\">law</a><a href=\"//evil.example/\">y</a>",
            "<a hreflang=\"en\" lang=\"en\" href=\"/rules\">English</a>",
            "<a href=\"/es/rules\">Español</a><a href=\"/feed.atom\">feed</a>",
            "<form action=\"/search\" method=\"get\"></form><a href=\"#main\">skip</a>",
        );
        assert_eq!(
            localize_links(page),
            concat!(
                "<a href=\"/es/rules?a=1&amp;b=2\">x</a><a href=\"/es/\">home</a>",
                "<link rel=\"stylesheet\" href=\"/-/style.css?v=1\">",
                "<a href=\"https://law.example/\">law</a><a href=\"//evil.example/\">y</a>",
                "<a hreflang=\"en\" lang=\"en\" href=\"/rules\">English</a>",
                "<a href=\"/es/rules\">Español</a><a href=\"/feed.atom\">feed</a>",
                "<form action=\"/es/search\" method=\"get\"></form><a href=\"#main\">skip</a>",
            )
        );
    }

    #[test]
    fn numbers_dates_and_plurals_in_both_languages() {
        within(Lang::En, || {
            assert_eq!(count(1_234_567), "1,234,567");
            assert_eq!(decimal(1234.5, 2), "1,234.50");
            assert_eq!(date("2026-12-07"), "2026-12-07");
            assert_eq!(date("2025-07-18 pm"), "2025-07-18 pm");
            assert_eq!(count_of(1, "rule|rules"), "1 rule");
            assert_eq!(count_of(0, "rule|rules"), "0 rules");
        });
        within(Lang::Es, || {
            assert_eq!(count(1_234_567), "1.234.567");
            assert_eq!(decimal(1234.5, 2), "1.234,50");
            assert_eq!(decimal(-0.25, 2), "-0,25");
            assert_eq!(date("2026-12-07"), "7 de diciembre de 2026");
            assert_eq!(date("2025-07-18 pm"), "18 de julio de 2025 (tarde)");
            assert_eq!(count_of(1, "norma|normas"), "1 norma");
            assert_eq!(count_of(2_000, "norma|normas"), "2.000 normas");
        });
        assert_eq!(lang(), Lang::En);
    }

    #[test]
    fn every_string_has_both_languages_and_plurals_have_two_forms() {
        for (table, entries) in tables() {
            for (field, en, es) in entries {
                assert!(
                    !en.trim().is_empty() && !es.trim().is_empty(),
                    "{table}.{field}"
                );
                assert_eq!(
                    en.contains('|'),
                    es.contains('|'),
                    "{table}.{field}: both or neither have singular|plural"
                );
            }
        }
    }
}
