//! Addresses in a published copy: the canonical form of a dashboard address (so that two links
//! to one page are one file), the stable file name each page gets, the relative path from one
//! file to another, and the rewriting of every `href`, `src` and `action` in a page.
//!
//! A static host and `file://` know files, not routes: `/rules/us-ca/x` must become
//! `rules/us-ca/x/index.html`, a query must become part of a file name, and every link must be
//! relative (no leading `/`) so that the copy works wherever it is put.

use std::collections::BTreeMap;

/// The host the pages are requested for. Pages that write absolute addresses (the Atom feeds)
/// write them with this host, and the rewriter reads them back as the site's own.
pub const HOST: &str = "remit.publish.invalid";

/// What kind of file an address answers with, read from its extension as the router does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A page.
    Html,
    /// A page's JSON twin (`.json`).
    Json,
    /// A table's CSV twin (`.csv`).
    Csv,
    /// A file served as it is named (`/feed.atom`, an asset).
    Verbatim,
}

/// A same-site address split into its parts, in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address {
    /// The path without the twin's extension (`/rules` for `/rules.json`; `/` for `/.json`).
    pub base: String,
    /// Which of the page and its twins the address asks for.
    pub kind: Kind,
    /// The query's pairs, empty values dropped, sorted by name (stable: repeated names keep
    /// their order).
    pub query: Vec<(String, String)>,
}

impl Address {
    /// The address as the router reads it.
    pub fn url(&self) -> String {
        let mut url = match self.kind {
            Kind::Html | Kind::Verbatim => self.base.clone(),
            Kind::Json if self.base == "/" => "/index.json".to_string(),
            Kind::Csv if self.base == "/" => "/index.csv".to_string(),
            Kind::Json => format!("{}.json", self.base),
            Kind::Csv => format!("{}.csv", self.base),
        };
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&query_string(&self.query));
        }
        url
    }

    /// The same address as an HTML page (a twin's page).
    pub fn page(&self) -> Address {
        Address {
            kind: Kind::Html,
            ..self.clone()
        }
    }

    /// The query's value for `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A query string from pairs.
pub fn query_string(pairs: &[(String, String)]) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        serializer.append_pair(key, value);
    }
    serializer.finish()
}

/// A link as written in a page, split into the site's address and its fragment; `None` for a
/// link elsewhere (another site, `mailto:`, a fragment of the page itself).
pub fn parse(link: &str) -> Option<(Address, Option<String>)> {
    let own = format!("http://{HOST}");
    let link = link.strip_prefix(&own).unwrap_or(link);
    if !link.starts_with('/') || link.starts_with("//") {
        return None;
    }
    let (rest, fragment) = match link.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment.to_string())),
        None => (link, None),
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (base, kind) = split_kind(path);
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    Some((
        Address {
            base,
            kind,
            query: pairs,
        },
        fragment,
    ))
}

/// A path's base and kind: `/rules.json` is the JSON twin of `/rules`, `/.json` and
/// `/index.json` of `/`.
fn split_kind(path: &str) -> (String, Kind) {
    if matches!(path, "/.json" | "/index.json") {
        return ("/".to_string(), Kind::Json);
    }
    if matches!(path, "/.csv" | "/index.csv") {
        return ("/".to_string(), Kind::Csv);
    }
    if let Some(base) = path.strip_suffix(".json") {
        return (base.to_string(), Kind::Json);
    }
    if let Some(base) = path.strip_suffix(".csv") {
        return (base.to_string(), Kind::Csv);
    }
    let last = path.rsplit('/').next().unwrap_or("");
    let verbatim = [
        ".atom", ".xml", ".css", ".js", ".txt", ".svg", ".png", ".ico",
    ]
    .iter()
    .any(|extension| last.ends_with(extension));
    let kind = if verbatim { Kind::Verbatim } else { Kind::Html };
    (path.to_string(), kind)
}

/// Percent-decodes a path segment (invalid escapes are kept as written).
fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[index + 1..index + 3]).ok();
            if let Some(value) = hex.and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                out.push(value);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A piece of a file name: lowercase letters, digits, `-`, `_` and `.`, anything else as `-`
/// (runs of it as one), never empty, `.` or `..`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars().flat_map(char::to_lowercase) {
        let keep = character.is_ascii_alphanumeric() || matches!(character, '_' | '.');
        if keep {
            out.push(character);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() || out.chars().all(|c| c == '.') {
        "-".to_string()
    } else {
        out
    }
}

/// The longest a query may make a file name before it is replaced by its hash.
const LONGEST_QUERY_NAME: usize = 48;

/// A stable 64-bit hash (FNV-1a): file names must not change between Rust versions, which
/// the standard library's hasher does not promise.
pub fn hash(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The file an address is published as, relative to the site's folder: a page is a folder
/// with `index.html` in it (so that `/jurisdictions/x` and `/jurisdictions/x/y` cannot clash),
/// its twins `index.json` and `index.csv` beside it, and a query names the file instead of
/// `index` (`287g/state-tx.html`; a long query by its hash, `287g/q-1f2e3d4c5b6a.html`).
pub fn file_name(address: &Address) -> String {
    let segments: Vec<String> = address
        .base
        .split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| slug(&decode(segment)))
        .collect();
    if address.kind == Kind::Verbatim {
        let name = segments.join("/");
        // A query on a file (a stylesheet's version) goes into its name, before the extension
        // that tells a browser reading `file://` what the file is.
        return if address.query.is_empty() {
            name
        } else {
            disambiguated(&name, &query_string(&address.query))
        };
    }
    let stem = if address.query.is_empty() {
        "index".to_string()
    } else {
        let words: Vec<String> = address
            .query
            .iter()
            .map(|(key, value)| format!("{}-{}", slug(key), slug(value)))
            .collect();
        let name = words.join("_");
        if name.len() > LONGEST_QUERY_NAME || name == "index" {
            format!("q-{:012x}", hash(&query_string(&address.query)) >> 16)
        } else {
            name
        }
    };
    let extension = match address.kind {
        Kind::Html | Kind::Verbatim => "html",
        Kind::Json => "json",
        Kind::Csv => "csv",
    };
    let mut name = segments.join("/");
    if !name.is_empty() {
        name.push('/');
    }
    name.push_str(&format!("{stem}.{extension}"));
    name
}

/// A file name with a short hash of `key` before its extension, for the second of two
/// addresses that would otherwise share one file.
pub fn disambiguated(name: &str, key: &str) -> String {
    let suffix = format!("-{:08x}", hash(key) >> 32);
    match name.rfind('.') {
        Some(dot) if !name[dot..].contains('/') => {
            format!("{}{suffix}{}", &name[..dot], &name[dot..])
        }
        _ => format!("{name}{suffix}"),
    }
}

/// The relative path from the file `from` to the file `to`, both relative to the site's folder:
/// `../../rules/index.html`. Works from any folder and from `file://`.
pub fn relative(from: &str, to: &str) -> String {
    let from_folders: Vec<&str> = from.split('/').collect();
    let from_folders = &from_folders[..from_folders.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let (to_folders, to_file) = to_parts.split_at(to_parts.len().saturating_sub(1));
    let shared = from_folders
        .iter()
        .zip(to_folders)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_folders.len() - shared];
    parts.extend(&to_folders[shared..]);
    parts.extend(to_file);
    // INVARIANT: a relative link never starts with `/`, and no segment holds a `:` (which in
    // the first segment would read as a scheme): `slug` rules both out.
    parts.join("/")
}

/// Text as it stands in a double-quoted attribute, unescaped.
pub fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Text escaped for a double-quoted attribute.
pub fn escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The attributes whose values are addresses.
const ATTRIBUTES: [&str; 3] = ["href", "src", "action"];

/// Calls `visit` with every address in `html` (the values of `href`, `src` and `action`,
/// `xlink:href` included, unescaped) and replaces each with what it returns (`None` keeps it).
pub fn rewrite(html: &str, mut visit: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(value_start) = next_attribute(rest) {
        let Some(length) = rest[value_start..].find('"') else {
            break;
        };
        let value = &rest[value_start..value_start + length];
        out.push_str(&rest[..value_start]);
        match visit(&unescape(value)) {
            Some(replacement) => out.push_str(&escape(&replacement)),
            None => out.push_str(value),
        }
        rest = &rest[value_start + length..];
    }
    out.push_str(rest);
    out
}

/// Every address in `html`, unescaped, in order.
pub fn addresses(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    rewrite(html, |value| {
        found.push(value.to_string());
        None
    });
    found
}

/// Where the value of the next address attribute (`name="`) in `html` starts.
fn next_attribute(html: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut from = 0;
    loop {
        let mut best: Option<(usize, usize)> = None;
        for name in ATTRIBUTES {
            let pattern = format!("{name}=\"");
            if let Some(position) = html[from..].find(&pattern) {
                let start = from + position;
                if best.is_none_or(|(current, _)| start < current) {
                    best = Some((start, start + pattern.len()));
                }
            }
        }
        let (start, value_start) = best?;
        // An attribute's name follows a space or a namespace's colon (`xlink:href`); anything
        // else is text that happens to contain the letters (`data-href="`).
        let before = start.checked_sub(1).map(|index| bytes[index]);
        if matches!(before, Some(b' ' | b'\n' | b'\t' | b':')) {
            return Some(value_start);
        }
        from = value_start;
    }
}

/// Counts of what happened to links, by reason, with a few examples of each.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// For each reason, how many addresses and the first three of them.
    pub reasons: BTreeMap<String, (usize, Vec<String>)>,
}

impl Tally {
    /// Records one address under `reason`, keeping the first three as examples.
    pub fn add(&mut self, reason: &str, url: &str) {
        let entry = self.reasons.entry(reason.to_string()).or_default();
        entry.0 += 1;
        if entry.1.len() < 3 {
            entry.1.push(url.to_string());
        }
    }

    /// How many addresses were recorded, under every reason.
    pub fn total(&self) -> usize {
        self.reasons.values().map(|(count, _)| count).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(link: &str) -> Address {
        parse(link).expect("a same-site link").0
    }

    #[test]
    fn pages_are_folders_and_queries_name_files() {
        assert_eq!(file_name(&address("/")), "index.html");
        assert_eq!(file_name(&address("/.json")), "index.json");
        assert_eq!(file_name(&address("/index.json")), "index.json");
        assert_eq!(file_name(&address("/287g")), "287g/index.html");
        assert_eq!(file_name(&address("/287g.csv")), "287g/index.csv");
        assert_eq!(file_name(&address("/287g?state=TX")), "287g/state-tx.html");
        assert_eq!(
            file_name(&address("/287g.json?state=TX&as_of=")),
            "287g/state-tx.json"
        );
        assert_eq!(
            file_name(&address("/jurisdictions/ocd-division/country:us/state:ca")),
            "jurisdictions/ocd-division/country-us/state-ca/index.html"
        );
        assert_eq!(
            file_name(&address("/agencies/FL/Bay%20County%20Sheriff%27s%20Office")),
            "agencies/fl/bay-county-sheriff-s-office/index.html"
        );
        assert_eq!(file_name(&address("/feed.atom")), "feed.atom");
        let style = file_name(&address("/-/style.css?v=0123"));
        assert!(
            style.starts_with("-/style-") && style.ends_with(".css"),
            "{style}"
        );
        let long = file_name(&address(
            "/ask?where=ocd-division%2Fcountry%3Aus%2Fstate%3Aca&actor=local_police&action=share_alpr_data",
        ));
        assert!(
            long.starts_with("ask/q-") && long.ends_with(".html"),
            "{long}"
        );
    }

    #[test]
    fn queries_are_canonical() {
        assert_eq!(
            address("/287g?state=TX&as_of=&model=x"),
            address("/287g?model=x&state=TX")
        );
        assert_eq!(address("/287g?state=TX").url(), "/287g?state=TX");
        assert_eq!(address("/rules.json?q=a+b").url(), "/rules.json?q=a+b");
        assert_eq!(address("/.json").url(), "/index.json");
        assert!(parse("https://example.org/").is_none());
        assert!(parse("//example.org/").is_none());
        assert!(parse("#main").is_none());
        let (own, fragment) = parse(&format!("http://{HOST}/287g#map")).expect("own");
        assert_eq!(own.base, "/287g");
        assert_eq!(fragment.as_deref(), Some("map"));
    }

    #[test]
    fn relative_paths_work_from_any_folder() {
        assert_eq!(
            relative("index.html", "rules/index.html"),
            "rules/index.html"
        );
        assert_eq!(relative("rules/index.html", "index.html"), "../index.html");
        assert_eq!(
            relative("rules/us-ca/x/index.html", "rules/index.json"),
            "../../index.json"
        );
        assert_eq!(
            relative("rules/us-ca/x/index.html", "287g/index.html"),
            "../../../287g/index.html"
        );
        assert_eq!(
            relative("287g/index.html", "287g/state-tx.html"),
            "state-tx.html"
        );
    }

    #[test]
    fn rewrites_every_address_attribute() {
        let html = "<a href=\"/a?x=1&amp;y=2\">a</a><img src=\"/b\"><form action=\"/c\"></form>\
                    <svg><a xlink:href=\"/d\"></a></svg><p data-href=\"/e\">";
        assert_eq!(addresses(html), ["/a?x=1&y=2", "/b", "/c", "/d"]);
        let out = rewrite(html, |value| Some(format!("x{value}")));
        assert!(out.contains("href=\"x/a?x=1&amp;y=2\""), "{out}");
        assert!(out.contains("xlink:href=\"x/d\""), "{out}");
        assert!(out.contains("data-href=\"/e\""), "{out}");
    }

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("state:ca"), "state-ca");
        assert_eq!(slug(".."), "-");
        assert_eq!(slug("Sheriff's  Office"), "sheriff-s-office");
        assert_eq!(disambiguated("a/b.html", "k").len(), "a/b.html".len() + 9);
    }
}
