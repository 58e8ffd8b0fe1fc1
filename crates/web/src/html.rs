//! HTML without a template engine: an escaping wrapper for text and attributes, and the one page
//! layout every page shares (navigation, links to the page's JSON and CSV twins, and the sources,
//! licences and dates of the data it shows).
//!
//! Everything a page prints that came from data or from the user goes through [`Escape`], so the
//! only markup on a page is markup written here.

use std::fmt::{self, Write as _};

use crate::response::DataSource;

/// Appends formatted text to a `String`. Writing to a `String` cannot fail, so the result of
/// `write!` is dropped here once instead of at every call.
macro_rules! push {
    ($out:expr, $($arg:tt)*) => {{
        let _ = ::std::fmt::Write::write_fmt($out, format_args!($($arg)*));
    }};
}
pub(crate) use push;

/// Text escaped for HTML element content and double-quoted attribute values.
#[derive(Debug, Clone, Copy)]
pub struct Escape<'a>(pub &'a str);

impl fmt::Display for Escape<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut last = 0;
        for (index, byte) in self.0.bytes().enumerate() {
            let replacement = match byte {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            f.write_str(&self.0[last..index])?;
            f.write_str(replacement)?;
            last = index + 1;
        }
        f.write_str(&self.0[last..])
    }
}

/// Shorthand for [`Escape`].
pub fn e(text: &str) -> Escape<'_> {
    Escape(text)
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
            push!(&mut out, "%{byte:02X}");
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

/// A link to an outside source, or its text alone when the address is not a web address.
pub fn external_link(out: &mut String, url: &str, text: &str) {
    if is_web_url(url) {
        push!(
            out,
            "<a href=\"{}\" rel=\"noreferrer\">{}</a>",
            e(url),
            e(text)
        );
    } else {
        push!(out, "{}", e(text));
    }
}

/// Replaces `_` with spaces: vocabulary words read as words.
pub fn words(name: &str) -> String {
    name.replace('_', " ")
}

/// The sections in the navigation bar.
const NAVIGATION: &[(&str, &str)] = &[
    ("/", "Overview"),
    ("/ask", "Ask"),
    ("/guide", "Guide"),
    ("/rules", "Rules"),
    ("/jurisdictions", "Places"),
    ("/287g", "287(g)"),
    ("/audits", "Audits"),
    ("/sharing", "Sharing"),
];

const STYLE: &str = "
:root{--ink:#1b1b1b;--muted:#555;--line:#ccc;--accent:#0b4f8a;--bg:#fff;--soft:#f3f5f7}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);background:var(--bg);margin:0}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
header{border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline;padding-top:.5rem;padding-bottom:.5rem}
header .brand{font-weight:700;font-size:1.2rem;color:var(--ink);text-decoration:none}
nav{display:flex;flex-wrap:wrap;gap:0 .75rem}nav a{padding:.35rem 0}
a{color:var(--accent)}
a:focus,button:focus,input:focus,select:focus,summary:focus{outline:3px solid #f2a900;outline-offset:1px}
h1{font-size:1.6rem;margin:1rem 0 .5rem}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}
th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:var(--soft)}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}
.twins{font-size:.9rem;color:var(--muted)}
.verdict{display:inline-block;white-space:nowrap;padding:.2rem .6rem;border-radius:.25rem;font-weight:700;text-transform:uppercase;letter-spacing:.03em;color:#fff}
.v-must_not{background:#a4262c}.v-must{background:#0b4f8a}.v-may{background:#2e7d32}.v-conflict{background:#b35900}.v-no_rule{background:#5f6368}.v-depends{background:#5b4a8b}
.guide ol{list-style:none;padding:0}.guide ol>li{border:1px solid var(--line);border-radius:.3rem;padding:.5rem .75rem;margin:.5rem 0;break-inside:avoid}
.guide .q{font-weight:600}.guide .a{margin:.25rem 0}.guide .branches{padding-left:1rem;margin:.25rem 0}
.guide .toc ul{display:flex;flex-wrap:wrap;gap:0 1rem;padding:0;list-style:none}
a.tap{display:inline-block;min-height:44px;padding:.6rem 0}
@media (max-width:40rem){form.ask{grid-template-columns:minmax(0,1fr)}}
@media print{header nav,form,.twins,.toc,.skip{display:none}a.tap{min-height:0;padding:0}body{font-size:11pt}.guide ol>li{padding:.2rem .4rem;margin:.2rem 0}}
.tag{display:inline-block;font-size:.8rem;padding:0 .35rem;border:1px solid var(--line);border-radius:.2rem;color:var(--muted)}
.tag.warn{border-color:#b35900;color:#8a4500}
.note,.disclaimer{color:var(--muted);font-size:.92rem}
.disclaimer{border-left:4px solid var(--line);padding-left:.75rem}
.error{border-left:4px solid #a4262c;padding:.25rem .75rem;background:#fdf1f1}
form.ask{display:grid;grid-template-columns:minmax(8rem,12rem) minmax(0,1fr);gap:.5rem 1rem;align-items:start;max-width:60rem}
form.ask label{font-weight:600}form.ask .hint{display:block;font-weight:400;color:var(--muted);font-size:.85rem}
select,input[type=text],input[type=date]{font:inherit;padding:.2rem;max-width:100%}
form.ask select{width:100%}
fieldset{border:1px solid var(--line)}fieldset label{display:block;font-weight:400}
button{font:inherit;padding:.3rem 1rem}
details{margin:.5rem 0}summary{cursor:pointer}
svg text{font-family:system-ui,sans-serif}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.25rem .5rem}
footer{border-top:1px solid var(--line);margin-top:2rem;padding-top:.5rem;padding-bottom:2rem;font-size:.88rem;color:var(--muted)}
";

/// What the layout needs to know about a page.
#[derive(Debug)]
pub struct Layout<'a> {
    pub title: &'a str,
    /// The section the page belongs to, for the navigation bar (`/rules`, ...).
    pub section: &'a str,
    /// The page's JSON twin, if any.
    pub json: Option<&'a str>,
    /// The page's CSV twin, if any.
    pub csv: Option<&'a str>,
    pub sources: &'a [DataSource],
}

/// A whole HTML document around `body`.
pub fn document(layout: &Layout<'_>, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 4096);
    push!(
        &mut out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{} · Remit</title>",
        e(layout.title)
    );
    if let Some(json) = layout.json {
        push!(
            &mut out,
            "<link rel=\"alternate\" type=\"application/json\" href=\"{}\">",
            e(json)
        );
    }
    if let Some(csv) = layout.csv {
        push!(
            &mut out,
            "<link rel=\"alternate\" type=\"text/csv\" href=\"{}\">",
            e(csv)
        );
    }
    push!(
        &mut out,
        "<style>{STYLE}</style></head><body><a class=\"skip\" href=\"#main\">Skip to content</a>"
    );
    out.push_str("<header><a class=\"brand\" href=\"/\">Remit</a><nav aria-label=\"sections\">");
    for (href, label) in NAVIGATION {
        if *href == layout.section {
            push!(
                &mut out,
                "<a href=\"{href}\" aria-current=\"page\">{label}</a>"
            );
        } else {
            push!(&mut out, "<a href=\"{href}\">{label}</a>");
        }
    }
    out.push_str("</nav></header><main id=\"main\">");
    out.push_str(body);
    if layout.json.is_some() || layout.csv.is_some() {
        out.push_str("<p class=\"twins\">This page as data: ");
        if let Some(json) = layout.json {
            push!(&mut out, "<a href=\"{}\">JSON</a>", e(json));
        }
        if let Some(csv) = layout.csv {
            if layout.json.is_some() {
                out.push_str(" · ");
            }
            push!(&mut out, "<a href=\"{}\">CSV</a>", e(csv));
        }
        out.push_str("</p>");
    }
    out.push_str("</main><footer>");
    if !layout.sources.is_empty() {
        out.push_str("<p><strong>Data on this page</strong></p><ul>");
        for source in layout.sources {
            out.push_str("<li>");
            match &source.url {
                Some(url) if url.starts_with('/') => {
                    push!(&mut out, "<a href=\"{}\">{}</a>", e(url), e(&source.name));
                }
                Some(url) => external_link(&mut out, url, &source.name),
                None => push!(&mut out, "{}", e(&source.name)),
            }
            push!(
                &mut out,
                " ({}). Licence: {}.",
                e(&source.date),
                e(&source.licence)
            );
            if let Some(note) = &source.note {
                push!(&mut out, " {}", e(note));
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str(
        "<p>Remit describes the law as encoded from cited sources and the records agencies \
         publish. It is not legal advice. <a href=\"/-/version\">Version</a> · \
         <a href=\"/-/health\">Health</a></p></footer></body></html>\n",
    );
    out
}

/// A `<table>` header row.
pub fn table_head(out: &mut String, columns: &[&str]) {
    out.push_str("<div class=\"scroll\"><table><thead><tr>");
    for column in columns {
        push!(out, "<th scope=\"col\">{}</th>", e(column));
    }
    out.push_str("</tr></thead><tbody>");
}

/// Closes what [`table_head`] opened.
pub fn table_end(out: &mut String) {
    out.push_str("</tbody></table></div>");
}

/// Formats a count with thousands separators.
pub fn count(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Writes `text` and returns the string, for building small fragments inline.
pub fn fragment(build: impl FnOnce(&mut String)) -> String {
    let mut out = String::new();
    build(&mut out);
    out
}

/// Writes `text` escaped.
pub fn text(out: &mut String, text: &str) {
    let _ = write!(out, "{}", e(text));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            e("<a href=\"x\">Tom & Jerry's</a>").to_string(),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(e("plain").to_string(), "plain");
        assert_eq!(e("").to_string(), "");
    }

    #[test]
    fn only_web_addresses_become_links() {
        let mut out = String::new();
        external_link(&mut out, "javascript:alert(1)", "x");
        assert_eq!(out, "x");
        out.clear();
        external_link(&mut out, "https://example.org/?a=1&b=2", "law");
        assert_eq!(
            out,
            "<a href=\"https://example.org/?a=1&amp;b=2\" rel=\"noreferrer\">law</a>"
        );
    }

    #[test]
    fn path_components_are_percent_encoded() {
        assert_eq!(
            path_component("Cobb County Sheriff's Office/x"),
            "Cobb%20County%20Sheriff%27s%20Office%2Fx"
        );
        assert_eq!(path_component("CA0194200"), "CA0194200");
    }

    #[test]
    fn counts_have_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
