//! HTML: the one page layout every page shares (a maud template, escaping by default), and the
//! small text helpers pages share (addresses, counts, vocabulary words and agency names as
//! readers see them). The layout carries the search box, the navigation, links to the page's
//! JSON and CSV twins, and the sources, licences and dates of the data the page shows.
//!
//! Pages, charts and maps write their markup as maud templates, which escape whatever they are
//! given: no markup is written into a string by hand here ([`e`] is for the publish command's
//! pages, which still are).

use maud::PreEscaped;

use crate::response::DataSource;

/// Formats a count with thousands separators.
pub use remit_html::count;

/// Text escaped for HTML, for markup that another crate still writes into a string (the pages
/// `remit publish` adds around the dashboard's); the dashboard itself writes none.
pub fn e(text: &str) -> remit_html::Escape<'_> {
    remit_html::Escape(text)
}

/// A query-string component, percent-encoded.
pub fn url_component(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A path segment, percent-encoded (every byte but `A-Z a-z 0-9 - . _ ~`).
pub fn path_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
    out
}

/// A query string (without `?`) from pairs.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        serializer.append_pair(key, value);
    }
    serializer.finish()
}

/// Whether a URL may be shown as a link: only web addresses, never `javascript:` or `data:`.
pub fn is_web_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// Replaces `_` with spaces: vocabulary words read as words.
pub fn words(name: &str) -> String {
    name.replace('_', " ")
}

/// Acronyms agencies and their networks go by, kept in capitals even in a name written all in
/// capitals (where capitals say nothing): task forces, intelligence centres, federal agencies.
const ACRONYMS: &[&str] = &[
    "ATF",
    "CBP",
    "DEA",
    "DHS",
    "DPS",
    "ERO",
    "FBI",
    "HIDTA",
    "HSI",
    "ICE",
    "LAPD",
    "MOCIC",
    "NCIS",
    "NYPD",
    "RISS",
    "ROCIC",
    "UCPAO",
    "USMS",
    "WSIN",
    "MAGLOCLEN",
    "NESPIN",
    "RMIN",
];

/// An agency's name as resolved (`Rocic`, title-cased from `TN ROCIC`), with the acronyms of the
/// name as the list wrote it (`as_written`) put back: a word of 2 to 5 letters written in
/// capitals in a name that is not all capitals (where capitals are a choice), a known acronym,
/// or a word with no vowel (`SO`, `PD` stay as the resolver spells them out).
pub fn agency_name(resolved: &str, as_written: &str) -> String {
    let written: Vec<&str> = as_written
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let all_capitals = !as_written.chars().any(char::is_lowercase);
    let acronym = |word: &str| {
        let letters = word.chars().count();
        word.chars().all(|c| c.is_ascii_uppercase())
            && (2..=5).contains(&letters)
            && (!all_capitals
                || !word.chars().any(|c| "AEIOUY".contains(c))
                || ACRONYMS.contains(&word))
            || ACRONYMS.contains(&word)
    };
    resolved
        .split(' ')
        .map(|word| {
            let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
            match written
                .iter()
                .find(|w| w.eq_ignore_ascii_case(bare) && acronym(w))
            {
                Some(capitals) if !bare.is_empty() => word.replacen(bare, capitals, 1),
                _ => word.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An action's phrase from the vocabulary (`share ALPR data with {counterparty}`) where no
/// counterparty is chosen yet, as in a menu or a column heading: the slot and the words that join
/// it go (`share ALPR data`), and a slot that cannot go reads "the other agency".
pub fn without_counterparty(phrase: &str) -> String {
    without_slot(
        phrase,
        &[
            ", involving {counterparty}",
            " involving {counterparty}",
            " with {counterparty}",
            " from {counterparty}",
            " to {counterparty}",
            " for {counterparty}",
        ],
        "the other agency",
    )
}

/// `phrase` without the counterparty slot: each of `joined` (the slot with the words that join
/// it) is taken out, and a slot left over reads `other`.
pub(crate) fn without_slot(phrase: &str, joined: &[&str], other: &str) -> String {
    let mut text = phrase.to_string();
    for words in joined {
        text = text.replace(words, "");
    }
    text.replace("{counterparty}", other)
}

/// Picks a string out of a table of the interface's words.
type Label = fn(&crate::i18n::Common) -> &'static str;

/// The sections in the navigation bar, each with its label in the request's language.
const NAVIGATION: &[(&str, Label)] = &[
    ("/", |t| t.nav_home),
    ("/ask", |t| t.nav_ask),
    ("/guide", |t| t.nav_guide),
    ("/jurisdictions", |t| t.nav_places),
    ("/rules", |t| t.nav_rules),
    ("/287g", |t| t.nav_287g),
    ("/agencies", |t| t.nav_agencies),
    ("/audits", |t| t.nav_audits),
    ("/sharing", |t| t.nav_sharing),
];

/// The stylesheet, served at [`stylesheet_url`] (a file of its own, so that the content security
/// policy needs no inline style): phone first (360 px without sideways scrolling; wide tables and
/// charts scroll
/// inside their own box), 44-pixel tap targets, chart text never scaled below 12 px.
const STYLE: &str = "
:root{--ink:#1b1b1b;--muted:#555;--line:#ccc;--accent:#0b4f8a;--bg:#fff;--soft:#f3f5f7}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);background:var(--bg);margin:0}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 .75rem}
main{overflow-wrap:anywhere}
header{border-bottom:1px solid var(--line);padding-top:.25rem;padding-bottom:.25rem}
header .top{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center}
header .brand{font-weight:700;font-size:1.2rem;color:var(--ink);text-decoration:none;min-height:44px;display:inline-flex;align-items:center}
form.search{display:flex;gap:.25rem;flex:1 1 14rem;max-width:28rem}
form.search input{flex:1;min-width:0;min-height:44px}
form.search button{min-height:44px}
nav{display:flex;flex-wrap:wrap;gap:0 .9rem}nav a{min-height:44px;display:inline-flex;align-items:center}
nav a[aria-current]{font-weight:700;color:var(--ink)}
.languages{margin:0;display:flex;gap:.4rem;align-items:center}.languages a{min-height:44px;display:inline-flex;align-items:center}
a{color:var(--accent)}
a:focus,button:focus,input:focus,select:focus,summary:focus{outline:3px solid #f2a900;outline-offset:1px}
h1{font-size:1.5rem;margin:1rem 0 .5rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}
th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{overflow-wrap:normal}
th{background:var(--soft)}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
th a{display:inline-block;min-height:32px}
.scroll,.chart{overflow-x:auto;max-width:100%}
.chart svg{max-width:none!important}
.chart svg[viewBox^='0 0 720']{min-width:790px}
.chart svg[viewBox^='0 0 600']{min-width:600px}
.twins{font-size:.9rem;color:var(--muted)}
.verdict{display:inline-block;white-space:nowrap;padding:.2rem .6rem;border-radius:.25rem;font-weight:700;text-transform:uppercase;letter-spacing:.03em;color:#fff}
:lang(es) .verdict{white-space:normal}
.v-must_not{background:#a4262c}.v-must{background:#0b4f8a}.v-may{background:#2e7d32}.v-conflict{background:#b35900}.v-no_rule{background:#5f6368}.v-depends{background:#5b4a8b}
.guide ol{list-style:none;padding:0}.guide ol>li{border:1px solid var(--line);border-radius:.3rem;padding:.5rem .75rem;margin:.5rem 0;break-inside:avoid}
.guide .q{font-weight:600}.guide .a{margin:.25rem 0}.guide .branches{padding-left:1rem;margin:.25rem 0}
.guide .toc ul{display:flex;flex-wrap:wrap;gap:0 1rem;padding:0;list-style:none}
a.tap{display:inline-block;min-height:44px;padding:.6rem 0}
.tag{display:inline-block;font-size:.8rem;padding:0 .35rem;border:1px solid var(--line);border-radius:.2rem;color:var(--muted)}
.tag.warn{border-color:#b35900;color:#8a4500}
.note,.disclaimer{color:var(--muted);font-size:.92rem}
.disclaimer{border-left:4px solid var(--line);padding-left:.75rem}
.error{border-left:4px solid #a4262c;padding:.25rem .75rem;background:#fdf1f1}
form.ask{display:grid;grid-template-columns:minmax(8rem,12rem) minmax(0,1fr);gap:.5rem 1rem;align-items:start;max-width:60rem}
form.ask label{font-weight:600}form.ask .hint{display:block;font-weight:400;color:var(--muted);font-size:.85rem}
select,input[type=text],input[type=search],input[type=date]{font:inherit;padding:.35rem;max-width:100%;min-height:44px}
form.ask select{width:100%}
fieldset{border:1px solid var(--line);min-width:0}fieldset label{display:block;font-weight:400}
button{font:inherit;padding:.3rem 1rem;min-height:44px}
details{margin:.5rem 0}summary{cursor:pointer;min-height:44px;padding:.6rem 0}
svg text{font-family:system-ui,sans-serif}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.5rem;padding:0;list-style:none}
.tiles li{border:1px solid var(--line);border-radius:.3rem;padding:.5rem .75rem}
.tiles .big{display:block;font-size:1.6rem;font-weight:700;font-variant-numeric:tabular-nums}
.boxes{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}
.boxes form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}.boxes form>p{min-width:0;max-width:100%}.boxes select{max-width:100%}.boxes label{display:block;font-weight:600}
.pager{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}.pager a{min-height:44px;display:inline-flex;align-items:center}
.results li{margin:.4rem 0}
svg{max-width:100%;height:auto}
svg.geo{max-height:560px}svg.geo path{vector-effect:non-scaling-stroke}
.pair{display:flex;flex-wrap:wrap;gap:0 2rem}
.c-active{color:#0072b2}.c-pending{color:#e69f00}
.facets{display:flex;flex-wrap:wrap;gap:0 1.5rem}.facet h3{margin:.5rem 0 0;font-size:1rem}.facet ul{padding-left:1.1rem;margin:.25rem 0}.facet li{min-height:44px;display:list-item}.facet a{display:inline-block;min-height:44px;padding:.6rem 0}
figure{margin:.5rem 0 1rem}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;margin:.25rem 0}
.swatch{display:inline-block;width:1em;height:1em;vertical-align:-.15em;border:1px solid #888}
.shade-0{background:#f1f3f4}.shade-1{background:#c6dbef}.shade-2{background:#6baed6}.shade-3{background:#2171b5}.shade-4{background:#08306b}
.v-none{background:#5f6368}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.25rem .5rem}
footer{border-top:1px solid var(--line);margin-top:2rem;padding-top:.5rem;padding-bottom:2rem;font-size:.88rem;color:var(--muted)}
@media (max-width:40rem){form.ask{grid-template-columns:minmax(0,1fr)}h1{font-size:1.3rem}}
@media print{header nav,form,.twins,.toc,.skip{display:none}a.tap{min-height:0;padding:0}body{font-size:11pt}.guide ol>li{padding:.2rem .4rem;margin:.2rem 0}}
";

/// The address of the stylesheet, with a digest of its text in the query, so that a browser that
/// kept an older one fetches the new one.
pub fn stylesheet_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| {
        // FNV-1a: stable across builds and platforms, unlike the standard library's hasher.
        let digest = STYLE.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
        format!("{STYLESHEET_PATH}?v={digest:016x}")
    })
}

/// Where the stylesheet is served.
pub const STYLESHEET_PATH: &str = "/-/style.css";

/// The stylesheet as a response, kept by browsers for a day (its address changes with it).
pub async fn stylesheet() -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let mut response = axum::response::Response::new(axum::body::Body::from(STYLE));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    response
}

/// What the layout needs to know about a page.
#[derive(Debug)]
pub struct Layout<'a> {
    /// The page's title, shown in the browser's tab (followed by `· Remit`).
    pub title: &'a str,
    /// The section the page belongs to, for the navigation bar (`/rules`, ...).
    pub section: &'a str,
    /// The page's JSON twin, if any.
    pub json: Option<&'a str>,
    /// The page's CSV twin, if any.
    pub csv: Option<&'a str>,
    /// Where the page's data comes from, listed in its footer; empty for a page with no data.
    pub sources: &'a [DataSource],
    /// An Atom feed of the page's changes (title, address), linked for feed readers.
    pub feed: Option<(&'a str, &'a str)>,
}

/// A whole HTML document around `body` (markup the pages wrote, every piece of data in it
/// escaped): the one layout, with the search box and the navigation on every page, in the
/// request's language ([`crate::i18n`]): its `lang`, the same page's address in the other
/// language as an alternate and as the language switch, and the layout's words.
pub fn document(layout: &Layout<'_>, body: &str) -> String {
    use crate::i18n::{self, Lang};
    let lang = i18n::lang();
    let t = i18n::Common::get(lang);
    let english = i18n::address();
    let spanish = i18n::address_in(&english, Lang::Es);
    let page = maud::html! {
        (PreEscaped("<!doctype html>\n"))
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { (layout.title) " · Remit" }
                link rel="alternate" hreflang="en" href=(english);
                link rel="alternate" hreflang="es" href=(spanish);
                @if let Some(json) = layout.json {
                    link rel="alternate" type="application/json" href=(json);
                }
                @if let Some(csv) = layout.csv {
                    link rel="alternate" type="text/csv" href=(csv);
                }
                @if let Some((title, href)) = layout.feed {
                    link rel="alternate" type="application/atom+xml" title=(title) href=(href);
                }
                link rel="stylesheet" href=(stylesheet_url());
            }
            body {
                a.skip href="#main" { (t.skip) }
                header {
                    div.top {
                        a.brand href="/" { "Remit" }
                        form.search action="/search" method="get" role="search" {
                            label.skip for="site-search" { (t.search_label) }
                            input #site-search type="search" name="q" placeholder=(t.search_placeholder);
                            button type="submit" { (t.search_button) }
                        }
                        p.languages aria-label=(t.language) {
                            @match lang {
                                Lang::En => {
                                    strong lang="en" aria-current="true" { "English" }
                                    " · "
                                    a hreflang="es" lang="es" href=(spanish) { "Español" }
                                }
                                Lang::Es => {
                                    a hreflang="en" lang="en" href=(english) { "English" }
                                    " · "
                                    strong lang="es" aria-current="true" { "Español" }
                                }
                            }
                        }
                    }
                    nav aria-label=(t.sections) {
                        @for (href, label) in NAVIGATION {
                            @if *href == layout.section {
                                a href=(href) aria-current="page" { (label(t)) }
                            } @else {
                                a href=(href) { (label(t)) }
                            }
                        }
                    }
                }
                main #main {
                    (PreEscaped(body))
                    @if layout.json.is_some() || layout.csv.is_some() {
                        p.twins {
                            (t.this_page_as_data) " "
                            @if let Some(json) = layout.json { a href=(json) { "JSON" } }
                            @if let Some(csv) = layout.csv {
                                @if layout.json.is_some() { " · " }
                                a href=(csv) { "CSV" }
                            }
                        }
                    }
                }
                footer {
                    @if !layout.sources.is_empty() {
                        p { strong { (t.data_on_this_page) } }
                        ul.sources {
                            @for source in layout.sources {
                                li {
                                    @match &source.url {
                                        Some(url) if url.starts_with('/') => a href=(url) { (source.name) },
                                        Some(url) if is_web_url(url) => a href=(url) rel="noreferrer" { (source.name) },
                                        _ => (source.name),
                                    }
                                    " (" (source.date) "). " (t.licence) " " (source.licence) "."
                                    @if let Some(note) = &source.note { " " (note) }
                                }
                            }
                        }
                    }
                    p {
                        (t.disclaimer) " "
                        a href="/vocabulary" { (t.glossary) } " · "
                        a href="/-/imports" { (t.imported_files) } " · "
                        a href="/-/version" { (t.version) } " · "
                        a href="/-/health" { (t.health) }
                    }
                }
            }
        }
    };
    let mut out = page.into_string();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_components_are_percent_encoded() {
        assert_eq!(
            path_component("Cobb County Sheriff's Office/x"),
            "Cobb%20County%20Sheriff%27s%20Office%2Fx"
        );
        assert_eq!(path_component("CA0194200"), "CA0194200");
    }

    #[test]
    fn regression_issue_17_agency_names_keep_their_acronyms() {
        // Title-cased by the resolver from names written all in capitals.
        assert_eq!(agency_name("Rocic", "TN ROCIC"), "ROCIC");
        assert_eq!(agency_name("Ucpao", "UCPAO AR"), "UCPAO");
        assert_eq!(
            agency_name("Gulf Coast Hidta", "GULF COAST HIDTA"),
            "Gulf Coast HIDTA"
        );
        // Ordinary words of a name in capitals stay title-cased.
        assert_eq!(
            agency_name("El Cajon Police Department", "EL CAJON PD"),
            "El Cajon Police Department"
        );
        assert_eq!(agency_name("Lee's Summit", "LEE'S SUMMIT"), "Lee's Summit");
        // In a name written in mixed case, its capitals are the writer's choice.
        assert_eq!(agency_name("Naples Pd Fl", "Naples PD FL"), "Naples PD FL");
        assert_eq!(
            agency_name("Stc Sheriff's Office", "STC Sheriff's Office"),
            "STC Sheriff's Office"
        );
        assert_eq!(agency_name("Mesa", "Mesa"), "Mesa");
        assert_eq!(agency_name("", "X"), "");
    }

    #[test]
    fn menus_name_actions_without_the_counterparty_slot() {
        assert_eq!(
            without_counterparty("share ALPR data with {counterparty}"),
            "share ALPR data"
        );
        assert_eq!(
            without_counterparty("tell {counterparty} when someone will be released"),
            "tell the other agency when someone will be released"
        );
        assert_eq!(without_counterparty("a plain phrase"), "a plain phrase");
    }
}
