//! Fetching ICE's 287(g) page and the workbooks it links.
//!
//! ICE moves and renames things, so the workbooks are found by what they are, never by a fixed
//! URL: a link whose file name says `participating` or `pending` and ends like a spreadsheet, or
//! whose text says "participating agencies" / "pending" and names a spreadsheet. Each download
//! has timeouts, is retried on timeouts, dropped connections and server errors (never on a
//! 404), is checked to be a complete workbook with a 287(g) header before anything is kept, and
//! is saved under the data folder by the day it was fetched. Only when every link found has
//! downloaded and checked are the files imported, so a failure leaves the store as it was.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::day::{Day, Period, SnapshotTime};
use crate::filename::time_from_name;
use crate::moa::percent_decode;
use crate::parse::{SheetKind, parse_sheet};
use crate::sheet::read_table;

/// ICE's 287(g) page, where the participating and pending workbooks are linked.
pub const ICE_PAGE: &str = "https://www.ice.gov/identify-and-arrest/287g";

/// The user agent every request sends: who is asking, and where to read about it.
pub const USER_AGENT: &str = concat!(
    "remit/",
    env!("CARGO_PKG_VERSION"),
    " (287(g) registry; +https://github.com/remit-project/remit)"
);

/// The largest page or workbook accepted (ICE's workbooks are under 100 kB).
const MAX_BYTES: u64 = 50 * 1024 * 1024;

/// Why a fetch failed. Nothing is saved or imported when it does.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The page links no workbook that looks like a participating or pending list.
    #[error("no participating or pending workbook is linked from `{url}`")]
    NoLinks {
        /// The page read.
        url: String,
        /// Some of the links the page has instead (`text -> href`).
        found: Vec<String>,
        /// How many links the page has in all.
        links: usize,
    },
    /// The server answered with an HTTP error status.
    #[error("`{url}` answered {status}")]
    Status {
        /// The address requested.
        url: String,
        /// The HTTP status code, e.g. 404.
        status: u16,
    },
    /// A workbook's address returned an HTML page (often an error or a block page).
    #[error("`{url}` sent a web page instead of a workbook")]
    NotAWorkbook {
        /// The address requested.
        url: String,
        /// The page's title, when it has one.
        title: Option<String>,
    },
    /// The connection closed before the announced length arrived.
    #[error("the download of `{url}` was cut short: {received} of {expected} bytes")]
    Truncated {
        /// The address requested.
        url: String,
        /// Bytes the server announced.
        expected: u64,
        /// Bytes received.
        received: u64,
    },
    /// Every attempt ran past the timeout.
    #[error("`{url}` did not answer within {seconds} s ({})", attempts_text(*attempts))]
    Timeout {
        /// The address requested.
        url: String,
        /// The whole-request timeout, in seconds.
        seconds: u64,
        /// Attempts made, the first included.
        attempts: u32,
    },
    /// Every attempt failed to connect or lost the connection.
    #[error("cannot reach `{url}` ({}): {message}", attempts_text(*attempts))]
    Network {
        /// The address requested.
        url: String,
        /// Attempts made, the first included.
        attempts: u32,
        /// The last failure, as the HTTP client reported it.
        message: String,
    },
    /// The download is not a readable workbook, or has no 287(g) header.
    #[error("`{url}` is not a 287(g) workbook: {message}")]
    BadWorkbook {
        /// The address downloaded.
        url: String,
        /// What is wrong with it.
        message: String,
    },
    /// A checked workbook could not be written under the data folder.
    #[error("cannot save `{}`", path.display())]
    Save {
        /// The file being written.
        path: PathBuf,
        /// What the operating system reported.
        #[source]
        source: std::io::Error,
    },
}

fn attempts_text(attempts: u32) -> String {
    if attempts == 1 {
        "1 attempt".to_string()
    } else {
        format!("{attempts} attempts")
    }
}

impl FetchError {
    /// Advice for the user, printed as a separate `help:` line.
    pub fn help(&self) -> Option<String> {
        match self {
            FetchError::NoLinks { found, links, .. } => Some(if found.is_empty() {
                format!(
                    "the page has {links} links and none looks like a workbook: ICE may have moved the lists; pass the page or a workbook with `--url`"
                )
            } else {
                format!(
                    "ICE may have moved the lists; the page links instead: {}; pass the page or a workbook with `--url`",
                    found.join(", ")
                )
            }),
            FetchError::Status { status: 404, .. } => Some(
                "the file is gone: ICE may have replaced it; fetch the page again or pass the new address with `--url`".to_string(),
            ),
            FetchError::Status { .. } | FetchError::Timeout { .. } | FetchError::Network { .. } => {
                Some("try again later, or raise `--timeout` and `--retries`".to_string())
            }
            FetchError::NotAWorkbook { title, .. } => Some(match title {
                Some(title) => format!("the page is titled `{title}`: often an error or a block page"),
                None => "often an error or a block page: open the address in a browser".to_string(),
            }),
            FetchError::Truncated { .. } => Some("try again: the connection was cut".to_string()),
            FetchError::BadWorkbook { .. } => Some(
                "open the file in a spreadsheet program; if ICE changed its columns, import it with `remit registry import` to see the details".to_string(),
            ),
            FetchError::Save { .. } => Some("check that the data folder is writable, or pass `--data-dir`".to_string()),
        }
    }
}

/// How to fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The page to read, or a workbook's own address.
    pub url: String,
    /// Downloads are kept under `<data_dir>/287g/<YYYY-MM-DD>/`.
    pub data_dir: PathBuf,
    /// The day (UTC) and hour of the fetch: the folder, and the time of a workbook whose name
    /// carries no date.
    pub fetched_on: Day,
    /// The hour of the fetch (UTC, 0 to 23): before noon is `am`, after is `pm`.
    pub fetched_hour: u32,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Extra attempts after a timeout, a dropped connection or a server error.
    pub retries: u32,
    /// Wait before the first retry (doubled each time).
    pub backoff: Duration,
}

impl FetchOptions {
    /// Options for fetching from `url` at the given day and hour (UTC): 60 s timeout, 2 retries,
    /// 2 s first backoff.
    pub fn new(url: &str, data_dir: &Path, fetched_on: Day, fetched_hour: u32) -> FetchOptions {
        FetchOptions {
            url: url.to_string(),
            data_dir: data_dir.to_path_buf(),
            fetched_on,
            fetched_hour,
            timeout: Duration::from_secs(60),
            retries: 2,
            backoff: Duration::from_secs(2),
        }
    }
}

/// A workbook link found on the page.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FoundLink {
    /// Participating or pending, as the file name or link text says.
    pub kind: SheetKind,
    /// The workbook's absolute address.
    pub url: String,
    /// The link's text, without tags.
    pub text: String,
    /// `file_name` or `link_text`: what identified it.
    pub found_by: &'static str,
}

/// A workbook downloaded, checked and saved.
#[derive(Debug, Clone, Serialize)]
pub struct Download {
    /// Participating or pending.
    pub kind: SheetKind,
    /// The address downloaded.
    pub url: String,
    /// Where the workbook was saved.
    pub path: PathBuf,
    /// The workbook's size in bytes.
    pub bytes: u64,
    /// Attempts the download took, the first included.
    pub attempts: u32,
    /// The time in the file name, else the fetch's day and half-day.
    pub taken: SnapshotTime,
    /// Whether the time came from the file name (`false`: the fetch's time was used).
    pub time_from_name: bool,
}

/// Every `<a href>` of a page, as (href, text without tags).
fn anchors(html: &str) -> Vec<(String, String)> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut position = 0;
    while let Some(offset) = lower[position..].find("<a") {
        let start = position + offset;
        position = start + 2;
        // `<abbr>`, `<area>`, `<aside>`: not a link.
        if !lower[position..].starts_with(|c: char| c.is_ascii_whitespace()) {
            continue;
        }
        let Some(tag_end) = lower[start..].find('>').map(|e| start + e) else {
            break;
        };
        let tag = &html[start..tag_end];
        let Some(href) = attribute(tag, "href") else {
            continue;
        };
        let close = lower[tag_end..]
            .find("</a")
            .map_or(html.len(), |e| tag_end + e);
        let text = strip_tags(&html[tag_end + 1..close.max(tag_end + 1)]);
        found.push((decode_entities(&href), text));
        position = close;
    }
    found
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(offset) = lower[from..].find(name) {
        let start = from + offset;
        from = start + name.len();
        let before = lower[..start].chars().last();
        if !before.is_some_and(|c| c.is_ascii_whitespace()) {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let value = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next().unwrap_or(""),
            _ => rest
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        return Some(value.trim().to_string());
    }
    None
}

fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    decode_entities(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn decode_entities(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .replace("&#160;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The page's `<title>`, for error messages.
fn title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open = start + lower[start..].find('>')? + 1;
    let close = open + lower[open..].find("</title")?;
    let title = strip_tags(&html[open..close]);
    (!title.is_empty()).then_some(title)
}

/// `href` read against the page's address.
pub fn resolve_url(base: &str, href: &str) -> String {
    if href.starts_with("http://") || href.starts_with("https://") {
        return href.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("https", base));
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if let Some(path) = href.strip_prefix("//") {
        return format!("{scheme}://{path}");
    }
    if href.starts_with('/') {
        return format!("{scheme}://{host}{href}");
    }
    let path = rest[host.len()..].split(['?', '#']).next().unwrap_or("");
    let folder = path.rfind('/').map_or("", |i| &path[..i]);
    format!("{scheme}://{host}{folder}/{href}")
}

/// The file name at the end of a URL, decoded, without query or fragment.
fn file_name_of(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    percent_decode(path.rsplit('/').next().unwrap_or(""))
}

fn is_spreadsheet_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".xlsx", ".xls", ".xlsm", ".ods", ".csv"]
        .iter()
        .any(|extension| lower.ends_with(extension))
}

/// What a link is: by its file name first (`participatingAgencies12052026pm.xlsx`), else by its
/// text when the text names a spreadsheet ("Participating Agencies (Excel)").
fn classify(url: &str, text: &str) -> Option<(SheetKind, &'static str)> {
    let name = file_name_of(url).to_ascii_lowercase();
    if is_spreadsheet_name(&name) {
        if name.contains("participating") {
            return Some((SheetKind::Participating, "file_name"));
        }
        if name.contains("pending") {
            return Some((SheetKind::Pending, "file_name"));
        }
    }
    let text = text.to_ascii_lowercase();
    let names_spreadsheet = ["xlsx", "excel", "spreadsheet", "workbook", ".xls"]
        .iter()
        .any(|w| text.contains(w))
        || is_spreadsheet_name(&name);
    if !names_spreadsheet {
        return None;
    }
    if text.contains("participating") {
        Some((SheetKind::Participating, "link_text"))
    } else if text.contains("pending") {
        Some((SheetKind::Pending, "link_text"))
    } else {
        None
    }
}

/// The workbook links of a page (one per list: the first found), or the error naming what the
/// page links instead.
pub fn find_links(page_url: &str, html: &str) -> Result<Vec<FoundLink>, FetchError> {
    let anchors = anchors(html);
    let mut links: Vec<FoundLink> = Vec::new();
    for (href, text) in &anchors {
        let url = resolve_url(page_url, href);
        if let Some((kind, found_by)) = classify(&url, text)
            && links.iter().all(|l| l.kind != kind)
        {
            links.push(FoundLink {
                kind,
                url,
                text: text.clone(),
                found_by,
            });
        }
    }
    if links.is_empty() {
        // What the page offers instead: spreadsheet and 287(g) links first.
        let mut found: Vec<&(String, String)> = anchors
            .iter()
            .filter(|(href, text)| {
                let both = format!("{href} {text}").to_ascii_lowercase();
                both.contains("287") || both.contains("xls") || both.contains("agenc")
            })
            .collect();
        if found.is_empty() {
            found = anchors.iter().collect();
        }
        return Err(FetchError::NoLinks {
            url: page_url.to_string(),
            found: found
                .iter()
                .take(8)
                .map(|(href, text)| format!("`{text}` ({href})"))
                .collect(),
            links: anchors.len(),
        });
    }
    links.sort_by_key(|l| l.kind != SheetKind::Participating);
    Ok(links)
}

struct Fetched {
    body: Vec<u8>,
    content_type: String,
    attempts: u32,
}

fn agent(options: &FetchOptions) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .timeout_connect(Some(options.timeout.min(Duration::from_secs(30))))
        .user_agent(USER_AGENT)
        .http_status_as_error(false)
        .build()
        .into()
}

/// One GET with retries. A 404 or another client error is final; timeouts, dropped or cut
/// connections and server errors are retried.
fn get(agent: &ureq::Agent, url: &str, options: &FetchOptions) -> Result<Fetched, FetchError> {
    let mut attempts = 0;
    let mut wait = options.backoff;
    loop {
        attempts += 1;
        let error = match get_once(agent, url, options, attempts) {
            Ok(fetched) => return Ok(fetched),
            Err(error) => error,
        };
        let retry = match &error {
            FetchError::Status { status, .. } => *status >= 500 || *status == 429,
            FetchError::Timeout { .. }
            | FetchError::Network { .. }
            | FetchError::Truncated { .. } => true,
            _ => false,
        };
        if !retry || attempts > options.retries {
            return Err(error);
        }
        std::thread::sleep(wait);
        wait = wait.saturating_mul(2);
    }
}

fn get_once(
    agent: &ureq::Agent,
    url: &str,
    options: &FetchOptions,
    attempts: u32,
) -> Result<Fetched, FetchError> {
    let failed = |error: ureq::Error| match error {
        ureq::Error::Timeout(_) => FetchError::Timeout {
            url: url.to_string(),
            seconds: options.timeout.as_secs().max(1),
            attempts,
        },
        other => FetchError::Network {
            url: url.to_string(),
            attempts,
            message: other.to_string(),
        },
    };
    let mut response = agent.get(url).call().map_err(failed)?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(FetchError::Status {
            url: url.to_string(),
            status,
        });
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header("content-type").unwrap_or_default();
    let expected = header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
    let mut body = Vec::new();
    let read = response
        .body_mut()
        .as_reader()
        .take(MAX_BYTES)
        .read_to_end(&mut body);
    if let Err(error) = read {
        // A body that ends before its announced length surfaces as a read error.
        return Err(match (expected, error.kind()) {
            (_, std::io::ErrorKind::TimedOut) => FetchError::Timeout {
                url: url.to_string(),
                seconds: options.timeout.as_secs().max(1),
                attempts,
            },
            (Some(expected), _) => FetchError::Truncated {
                url: url.to_string(),
                expected,
                received: body.len() as u64,
            },
            (None, _) => FetchError::Network {
                url: url.to_string(),
                attempts,
                message: error.to_string(),
            },
        });
    }
    if let Some(expected) = expected
        && expected != body.len() as u64
    {
        return Err(FetchError::Truncated {
            url: url.to_string(),
            expected,
            received: body.len() as u64,
        });
    }
    Ok(Fetched {
        body,
        content_type,
        attempts,
    })
}

fn looks_like_html(body: &[u8], content_type: &str) -> bool {
    let start: String = String::from_utf8_lossy(&body[..body.len().min(512)])
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase();
    content_type.to_ascii_lowercase().contains("text/html")
        || start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || start.starts_with("<?xml") && start.contains("<html")
}

/// The address is a workbook itself rather than a page.
fn is_workbook_url(url: &str) -> bool {
    is_spreadsheet_name(&file_name_of(url))
}

/// Finds, downloads and checks the workbooks; saves them under the data folder. Nothing is
/// saved unless every workbook found downloaded and checked.
pub fn fetch_workbooks(options: &FetchOptions) -> Result<Vec<Download>, FetchError> {
    let agent = agent(options);
    let links = if is_workbook_url(&options.url) {
        let name = file_name_of(&options.url);
        let Some(kind) = crate::filename::kind_from_name(&name) else {
            return Err(FetchError::BadWorkbook {
                url: options.url.clone(),
                message: format!(
                    "`{name}` does not say whether it lists participating or pending agencies; download it and use `remit registry import --kind`"
                ),
            });
        };
        vec![FoundLink {
            kind,
            url: options.url.clone(),
            text: name,
            found_by: "file_name",
        }]
    } else {
        let page = get(&agent, &options.url, options)?;
        let html = String::from_utf8_lossy(&page.body);
        find_links(&options.url, &html)?
    };
    let mut checked = Vec::new();
    for link in links {
        let fetched = get(&agent, &link.url, options)?;
        if looks_like_html(&fetched.body, &fetched.content_type) {
            return Err(FetchError::NotAWorkbook {
                url: link.url.clone(),
                title: title(&String::from_utf8_lossy(&fetched.body)),
            });
        }
        let mut name = sanitize(&file_name_of(&link.url));
        if !is_spreadsheet_name(&name) {
            name = format!("{}Agencies.xlsx", link.kind.as_str());
        }
        let (taken, from_name) = match time_from_name(&name) {
            Some(time) => (time, true),
            None => (
                SnapshotTime {
                    day: options.fetched_on,
                    period: if options.fetched_hour < 12 {
                        Period::Am
                    } else {
                        Period::Pm
                    },
                },
                false,
            ),
        };
        let check_path = PathBuf::from(&name);
        let table =
            read_table(&check_path, &fetched.body).map_err(|error| FetchError::BadWorkbook {
                url: link.url.clone(),
                message: error.to_string(),
            })?;
        parse_sheet(&check_path, &table, link.kind, taken).map_err(|error| {
            FetchError::BadWorkbook {
                url: link.url.clone(),
                message: error.to_string(),
            }
        })?;
        checked.push((link, fetched, name, taken, from_name));
    }
    let folder = options
        .data_dir
        .join("287g")
        .join(options.fetched_on.to_string());
    std::fs::create_dir_all(&folder).map_err(|source| FetchError::Save {
        path: folder.clone(),
        source,
    })?;
    let mut downloads = Vec::new();
    for (link, fetched, name, taken, time_from_name) in checked {
        let path = free_path(&folder, &name, &fetched.body);
        if !path.exists() {
            // Written beside and renamed, so a half-written file never carries the name.
            let partial = folder.join(format!(".{name}.part"));
            std::fs::write(&partial, &fetched.body)
                .and_then(|()| std::fs::rename(&partial, &path))
                .map_err(|source| FetchError::Save {
                    path: path.clone(),
                    source,
                })?;
        }
        downloads.push(Download {
            kind: link.kind,
            url: link.url,
            path,
            bytes: fetched.body.len() as u64,
            attempts: fetched.attempts,
            taken,
            time_from_name,
        });
    }
    Ok(downloads)
}

/// Letters, digits, `.`, `-` and `_` only: a file name from the web never leaves its folder.
fn sanitize(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    cleaned.trim_start_matches('.').to_string()
}

/// `name` in `folder`, or `name` with `-2`, `-3`... when a different file already has it (the
/// same content reuses the existing file).
fn free_path(folder: &Path, name: &str, content: &[u8]) -> PathBuf {
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    for attempt in 1..1000 {
        let candidate = if attempt == 1 {
            folder.join(name)
        } else {
            folder.join(format!("{stem}-{attempt}.{extension}"))
        };
        match std::fs::read(&candidate) {
            Ok(existing) if existing == content => return candidate,
            Ok(_) => continue,
            Err(_) => return candidate,
        }
    }
    folder.join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_found_by_name_or_text() {
        let html = r#"<html><body>
            <a href="/doclib/287g/participatingAgencies12052026pm.xlsx">Participating</a>
            <abbr>x</abbr>
            <A class='x' HREF='files/list.xlsx'>Pending agencies (Excel)</A>
            <a href="/about">About</a></body></html>"#;
        let links =
            find_links("https://www.ice.gov/identify-and-arrest/287g", html).unwrap_or_default();
        assert_eq!(links.len(), 2);
        assert_eq!(
            links[0].url,
            "https://www.ice.gov/doclib/287g/participatingAgencies12052026pm.xlsx"
        );
        assert_eq!(links[0].found_by, "file_name");
        assert_eq!(
            links[1].url,
            "https://www.ice.gov/identify-and-arrest/files/list.xlsx"
        );
        assert_eq!(links[1].kind, SheetKind::Pending);
        assert_eq!(links[1].found_by, "link_text");
    }

    #[test]
    fn a_page_without_workbooks_says_what_it_links() {
        let html = r#"<title>Moved</title><a href="/287g-new">287(g) program</a>"#;
        match find_links("https://www.ice.gov/x", html) {
            Err(FetchError::NoLinks { found, links, .. }) => {
                assert_eq!(links, 1);
                assert_eq!(found, vec!["`287(g) program` (/287g-new)".to_string()]);
            }
            other => unreachable!("{other:?}"),
        }
    }

    #[test]
    fn file_names_from_the_web_stay_in_their_folder() {
        assert_eq!(sanitize("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(file_name_of("https://x/a/b%20c.xlsx?v=1"), "b c.xlsx");
    }
}
