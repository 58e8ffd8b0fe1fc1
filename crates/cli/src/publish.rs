//! `remit publish`: the dashboard as static files that any web host (or a folder opened from
//! disk) serves with nothing to run, for readers who will never build Remit.
//!
//! The pages are the dashboard's own: each is asked of the router in process (tower's
//! `oneshot`, no socket), starting from a fixed set of addresses (the home page, every section,
//! every place with rules, every rule, the guide for every place and actor, common questions for
//! every place) and following every link of the site found on them, with limits that keep the
//! copy to a size a host accepts (filtered views of a list are followed one step, from the list
//! itself). Every link is then rewritten to a relative file path, so the copy works from any
//! folder and from `file://`. What needs a live server (a question of one's own, uploads, the
//! server's search) links to a page that says so and shows the `remit serve` command; the search
//! box runs in the browser over a prebuilt index. See `docs/publish.md`.
//!
//! The copy is in English and Spanish: every starting point is also asked under `/es/`, the
//! Spanish pages' links lead to Spanish pages (the dashboard writes them so), and they are
//! written under `es/` in the copy (`es/rules/index.html`), with Spanish stand-ins for what
//! needs a live server. The language switch of each page is an ordinary link to the other
//! language's file.

mod files;
mod links;
mod pages;

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;

use anyhow::Context as _;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use remit_web::i18n::Lang;
use tower::ServiceExt as _;

pub use files::{Counts, MANIFEST};
pub use links::{Address, Kind, Tally};

use crate::output::UserError;

/// How many pages are rendered at once.
const BATCH: usize = 8;

/// The most files a copy holds unless `--max-files` says otherwise.
pub const DEFAULT_MAX_FILES: usize = 40_000;
/// The most filtered or sorted views of one list (and their pages) a copy holds unless
/// `--max-views` says otherwise; the pages of the plain list are not counted.
pub const DEFAULT_MAX_VIEWS: usize = 50;

/// What to publish, and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder the copy is written to.
    pub out: PathBuf,
    /// The address the copy will be served from (`https://example.org/remit/`), for the
    /// sitemap's and the feeds' absolute addresses.
    pub base_url: Option<String>,
    /// The places whose guides and common questions are published (state codes, names or
    /// division ids; a place includes the places within it); empty for every place.
    pub places: Vec<String>,
    /// At most this many files in the copy; what is left out is reported and linked to a page
    /// that says so.
    pub max_files: usize,
    /// At most this many filtered views (a list with a query) followed from each plain list.
    pub max_views: usize,
}

impl Options {
    /// Every place, the default limits.
    pub fn new(out: impl Into<PathBuf>) -> Options {
        Options {
            out: out.into(),
            base_url: None,
            places: Vec::new(),
            max_files: DEFAULT_MAX_FILES,
            max_views: DEFAULT_MAX_VIEWS,
        }
    }
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct Report {
    /// HTML pages in the copy (the dashboard's, and the ones written for it).
    pub pages: usize,
    /// Every file in the copy.
    pub files: usize,
    /// Files written, left unchanged and removed by this build.
    pub counts: Counts,
    /// Addresses the pages link to that were left out, by reason, with examples; their links
    /// lead to a page that says so.
    pub left_out: Tally,
    /// Addresses that need a live server, by what they are.
    pub live: Tally,
}

/// The questions published for every place: what people most often ask, each for the actor it
/// most concerns and with the counterparty the law names.
const COMMON_QUESTIONS: &[(&str, &str, &str)] = &[
    (
        "local_police",
        "inquire_immigration_status",
        "federal_immigration",
    ),
    ("jail", "honor_detainer", "ice"),
    ("jail", "notify_release", "ice"),
    ("jail", "allow_custody_interview", "ice"),
    ("local_police", "share_alpr_data", "federal_immigration"),
    ("local_police", "share_alpr_data", "out_of_state_agency"),
    ("sheriff", "enter_287g_agreement", "ice"),
    (
        "local_police",
        "use_immigration_agents_as_interpreters",
        "border_patrol",
    ),
];

/// The sections the crawl starts from besides the places, rules and questions.
const SECTIONS: &[&str] = &[
    "/",
    "/rules",
    "/jurisdictions",
    "/coverage",
    "/sources",
    "/vocabulary",
    "/287g",
    "/compliance",
    "/agencies",
    "/sharing",
    "/audits",
    "/changes",
    "/-/imports",
    "/-/version",
    "/-/health",
];

/// Pages that need a live server, each replaced by a page of the copy that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Live {
    /// A question of one's own (`/ask` with anything but the published questions).
    Ask,
    /// A guide for a place or actor that was not published, and the guide's form.
    Guide,
    /// The server's search (the copy's search runs in the browser).
    Search,
    /// Uploading a file to audit or check.
    Upload,
}

impl Live {
    /// The stand-in's file in the copy, in a language (the Spanish ones under `es/`).
    fn file_in(self, lang: Lang) -> String {
        match lang {
            Lang::En => self.file().to_string(),
            Lang::Es => format!("es/{}", self.file()),
        }
    }

    fn file(self) -> &'static str {
        match self {
            Live::Ask => "ask/index.html",
            Live::Guide => "guide/index.html",
            Live::Search => "search/index.html",
            Live::Upload => "-/upload/index.html",
        }
    }

    fn reason(self) -> &'static str {
        match self {
            Live::Ask => "a question other than the published ones (needs `remit serve`)",
            Live::Guide => "a guide other than the published ones (needs `remit serve`)",
            Live::Search => "the server's search (the copy searches in the browser)",
            Live::Upload => "uploads (need `remit serve --allow-uploads`)",
        }
    }
}

/// The page that links to what was left out lead to.
const LEFT_OUT_FILE: &str = "-/left-out/index.html";
/// The same page in Spanish.
const LEFT_OUT_FILE_ES: &str = "es/-/left-out/index.html";

/// The language of a page's path and the path in English: `/es/rules` is the Spanish
/// `/rules`, `/es/` the Spanish home page.
fn language_of(base: &str) -> (Lang, &str) {
    match base.strip_prefix("/es") {
        Some("") => (Lang::Es, "/"),
        Some(rest) if rest.starts_with('/') => (Lang::Es, rest),
        _ => (Lang::En, base),
    }
}

/// An English address of the dashboard in `lang` (`/rules` is `/es/rules` in Spanish).
fn in_language(url: &str, lang: Lang) -> String {
    match lang {
        Lang::En => url.to_string(),
        Lang::Es if url == "/" => "/es/".to_string(),
        Lang::Es => format!("/es{url}"),
    }
}

/// Where a link leads in the copy.
#[derive(Debug, Clone)]
enum Target {
    /// A file of the copy.
    File(String),
    /// The address the router redirected it to (or its canonical form).
    Alias(Address),
    /// A page that needs a live server, in a language.
    Live(Live, Lang),
    /// Left out, for this reason.
    LeftOut(String),
}

/// The dashboard's router, asked in process.
struct Fetcher {
    router: axum::Router,
    runtime: tokio::runtime::Runtime,
}

/// One answer of the router.
struct Fetched {
    status: StatusCode,
    content_type: String,
    location: Option<String>,
    body: Vec<u8>,
}

impl Fetcher {
    fn new(state: remit_web::AppState) -> anyhow::Result<Fetcher> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("cannot start the runtime that renders the pages")?;
        Ok(Fetcher {
            router: remit_web::app(state),
            runtime,
        })
    }

    fn get(&self, url: &str) -> anyhow::Result<Fetched> {
        self.runtime
            .block_on(ask(self.router.clone(), url.to_string()))
    }

    /// Several addresses at once (the runtime's threads render them side by side), answered
    /// in the order asked.
    fn get_all(&self, urls: Vec<String>) -> Vec<anyhow::Result<Fetched>> {
        self.runtime.block_on(async {
            let tasks: Vec<_> = urls
                .into_iter()
                .map(|url| tokio::spawn(ask(self.router.clone(), url)))
                .collect();
            let mut answers = Vec::with_capacity(tasks.len());
            for task in tasks {
                answers.push(match task.await {
                    Ok(answer) => answer,
                    Err(error) => Err(anyhow::anyhow!("rendering a page failed: {error}")),
                });
            }
            answers
        })
    }

    /// The `data` of a JSON answer.
    fn data(&self, url: &str) -> anyhow::Result<serde_json::Value> {
        let fetched = self.get(url)?;
        if !fetched.status.is_success() {
            anyhow::bail!("`{url}` answered {}", fetched.status.as_u16());
        }
        let mut envelope: serde_json::Value = serde_json::from_slice(&fetched.body)
            .with_context(|| format!("`{url}` did not answer JSON"))?;
        Ok(envelope
            .get_mut("data")
            .map(serde_json::Value::take)
            .unwrap_or_default())
    }
}

/// One request to the router, read to its end.
async fn ask(router: axum::Router, url: String) -> anyhow::Result<Fetched> {
    let request = Request::builder()
        .uri(&url)
        .header(header::HOST, links::HOST)
        .body(Body::empty())
        .with_context(|| format!("`{url}` is not an address the dashboard can read"))?;
    let response = match router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let status = response.status();
    let (parts, body) = response.into_parts();
    let text = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string)
    };
    let content_type = text(header::CONTENT_TYPE).unwrap_or_default();
    let location = text(header::LOCATION);
    drop(parts);
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .with_context(|| format!("`{url}` could not be read to its end"))?;
    Ok(Fetched {
        status,
        content_type,
        location,
        body: body.to_vec(),
    })
}

/// A place with rules, as the copy lists it.
#[derive(Debug, Clone)]
struct Place {
    id: String,
    label: String,
}

/// The crawl's state.
struct Crawl<'a> {
    fetcher: Fetcher,
    options: &'a Options,
    today: String,
    /// Every way a link may name a place (code, name, id; lowercase) -> its division id.
    place_names: HashMap<String, String>,
    ask_seeds: HashSet<Address>,
    guide_seeds: HashSet<Address>,
    targets: HashMap<Address, Target>,
    /// File name -> the address it holds.
    files: HashMap<String, Address>,
    queue: VecDeque<(Address, String)>,
    /// Base path -> the queries of its views accepted so far.
    views: HashMap<String, HashSet<Vec<(String, String)>>>,
    accepted: usize,
    /// Pages and feeds kept for their links to be rewritten once every target is known.
    documents: Vec<(String, Vec<u8>, Kind)>,
    writer: files::Writer,
}

/// Publishes the dashboard over `state` into `options.out`. `progress` is called with the
/// number of addresses read so far, now and then.
pub fn publish(
    state: remit_web::AppState,
    options: &Options,
    mut progress: impl FnMut(usize),
) -> anyhow::Result<Report> {
    if let Some(base) = &options.base_url
        && !(base.starts_with("https://") || base.starts_with("http://"))
    {
        return Err(UserError::with_help(
            format!("`--base-url`: `{base}` is not a web address"),
            "give the address the copy will be served from, such as `https://example.org/remit/`",
        )
        .into());
    }
    let writer = files::Writer::open(&options.out)?;
    let fetcher = Fetcher::new(state)?;
    let places: Vec<Place> = fetcher
        .data("/jurisdictions.json")?
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|place| {
                    Some(Place {
                        id: place.get("id")?.as_str()?.to_string(),
                        label: place.get("label")?.as_str()?.to_string(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let actors: Vec<String> = fetcher
        .data("/guide.json")?
        .pointer("/fields/actor")
        .and_then(serde_json::Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|actor| actor.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut crawl = Crawl {
        fetcher,
        options,
        today: remit_web::today().to_string(),
        place_names: place_names(&places),
        ask_seeds: HashSet::new(),
        guide_seeds: HashSet::new(),
        targets: HashMap::new(),
        files: HashMap::new(),
        queue: VecDeque::new(),
        views: HashMap::new(),
        accepted: 0,
        documents: Vec::new(),
        writer,
    };
    let chosen = crawl.chosen_places(&places)?;
    // The search's files are written at the end; the search page links them.
    for asset in [
        pages::SEARCH_INDEX_JSON,
        pages::SEARCH_INDEX_SCRIPT,
        pages::SEARCH_SCRIPT,
    ] {
        if let Some((address, _)) = links::parse(&format!("/{asset}")) {
            crawl.files.insert(asset.to_string(), address.clone());
            crawl
                .targets
                .insert(address, Target::File(asset.to_string()));
        }
    }

    // The starting points: sections, every place, every rule, the guides and the questions.
    for lang in [Lang::En, Lang::Es] {
        for section in SECTIONS {
            crawl.seed(&in_language(section, lang));
        }
    }
    for place in &places {
        crawl.seed(&format!("/jurisdictions/{}", place.id));
        crawl.seed(&format!("/es/jurisdictions/{}", place.id));
    }
    let rules = crawl.fetcher.data("/rules.json")?;
    for rule in rules
        .get("rules")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(id) = rule.get("id").and_then(serde_json::Value::as_str) {
            crawl.seed(&format!("/rules/{id}"));
            crawl.seed(&format!("/es/rules/{id}"));
        }
    }
    let mut guides = Vec::new();
    for lang in [Lang::En, Lang::Es] {
        let guide = in_language("/guide", lang);
        let ask = in_language("/ask", lang);
        for place in &chosen {
            for actor in &actors {
                let address = page_address(&guide, &[("actor", actor), ("where", &place.id)]);
                crawl.guide_seeds.insert(address.clone());
                crawl.accept(address.clone(), "the guides");
                if lang == Lang::En {
                    guides.push((place.clone(), actor.clone(), address));
                }
            }
            for (actor, action, counterparty) in COMMON_QUESTIONS {
                let address = crawl.canonical_question(&page_address(
                    &ask,
                    &[
                        ("action", action),
                        ("actor", actor),
                        ("counterparty", counterparty),
                        ("where", &place.id),
                    ],
                ));
                crawl.ask_seeds.insert(address.clone());
                crawl.accept(address, "the common questions");
            }
        }
    }

    // The pages written for the copy, in the dashboard's layout; their links are followed too.
    let envelope: Option<serde_json::Value> = crawl
        .fetcher
        .get("/index.json")
        .ok()
        .and_then(|fetched| serde_json::from_slice(&fetched.body).ok());
    let sources = pages::sources(envelope.as_ref());
    let mut written = pages::live_pages(&sources, &guides, Lang::En);
    written.extend(pages::live_pages(&sources, &guides, Lang::Es));
    let home = page_address("/", &[]);
    for (file, html) in written {
        let found = links::addresses(&html);
        for link in found {
            if let Some((address, _)) = links::parse(&link) {
                crawl.decide(&address, &home);
            }
        }
        crawl.documents.push((file, html.into_bytes(), Kind::Html));
    }

    // The crawl, breadth first, a batch at a time. Answers are filed in the order they were
    // queued, so the copy's file names do not depend on which page rendered first.
    let mut read = 0;
    while !crawl.queue.is_empty() {
        let batch: Vec<(Address, String)> = {
            let size = crawl.queue.len().min(BATCH);
            crawl.queue.drain(..size).collect()
        };
        let answers = crawl
            .fetcher
            .get_all(batch.iter().map(|(address, _)| address.url()).collect());
        for ((address, referrer), answer) in batch.into_iter().zip(answers) {
            crawl.file_answer(&address, &referrer, answer)?;
            read += 1;
            if read % 500 == 0 {
                progress(read);
            }
        }
    }
    progress(read);

    // Every target is known: rewrite the links of the pages and feeds and write them.
    let documents = std::mem::take(&mut crawl.documents);
    let mut left_out = Tally::default();
    let mut live = Tally::default();
    let mut html_files = Vec::new();
    // Each address is counted once, however many pages link to it.
    let mut counted: HashSet<Address> = HashSet::new();
    for (file, bytes, kind) in documents {
        let text = String::from_utf8_lossy(&bytes);
        let rewritten = links::rewrite(&text, |value| {
            let (address, fragment) = links::parse(value)?;
            let (target, why) = crawl.resolve(&address);
            // A Spanish page's link to what was left out leads to the Spanish page that says so.
            let target = if target == LEFT_OUT_FILE && file.starts_with("es/") {
                LEFT_OUT_FILE_ES.to_string()
            } else {
                target
            };
            if why.is_some() && counted.insert(address.clone()) {
                match why {
                    Some(Why::LeftOut(reason)) => left_out.add(&reason, &address.url()),
                    Some(Why::Live(page)) => live.add(page.reason(), &address.url()),
                    None => {}
                }
            }
            let mut out = if kind == Kind::Verbatim {
                match &options.base_url {
                    Some(base) => format!("{}{target}", with_slash(base)),
                    None => links::relative(&file, &target),
                }
            } else {
                links::relative(&file, &target)
            };
            if let Some(fragment) = fragment {
                out.push('#');
                out.push_str(&fragment);
            }
            Some(out)
        });
        crawl.writer.put(&file, rewritten.as_bytes())?;
        if kind == Kind::Html {
            html_files.push(file);
        }
    }

    // The search index, its script, and the sitemap.
    let entries = pages::search_entries(&crawl.fetcher, &places, |url| {
        let (address, _) = links::parse(url)?;
        match crawl.resolve(&address) {
            (file, None) => Some(file),
            _ => None,
        }
    })?;
    // Each entry also names its Spanish page where the copy has one, for the search of the
    // Spanish pages.
    let entries: Vec<serde_json::Value> = entries
        .into_iter()
        .map(|mut entry| {
            let spanish = entry
                .get("url")
                .and_then(serde_json::Value::as_str)
                .map(|file| format!("es/{file}"))
                .filter(|file| html_files.contains(file));
            if let (Some(spanish), Some(fields)) = (spanish, entry.as_object_mut()) {
                fields.insert("es".to_string(), serde_json::Value::String(spanish));
            }
            entry
        })
        .collect();
    let index = serde_json::json!({
        "generated": crawl.today,
        "entries": entries,
    });
    let index_json = serde_json::to_string(&index).context("cannot write the search index")?;
    crawl
        .writer
        .put(pages::SEARCH_INDEX_JSON, index_json.as_bytes())?;
    crawl.writer.put(
        pages::SEARCH_INDEX_SCRIPT,
        format!("window.remitSearchIndex = {index_json};\n").as_bytes(),
    )?;
    crawl.writer.put(
        pages::SEARCH_SCRIPT,
        include_str!("publish/search.js").as_bytes(),
    )?;
    html_files.sort();
    let sitemap = pages::sitemap(&html_files, options.base_url.as_deref().map(with_slash));
    crawl.writer.put("sitemap.xml", sitemap.as_bytes())?;
    // GitHub Pages runs Jekyll unless told not to, and Jekyll drops files it does not know.
    crawl.writer.put(".nojekyll", b"")?;
    let files = crawl.writer.produced().len();
    let counts = crawl.writer.finish()?;
    Ok(Report {
        pages: html_files.len(),
        files,
        counts,
        left_out,
        live,
    })
}

/// Why a link leads where it does, when it is not to a page of its own.
enum Why {
    LeftOut(String),
    Live(Live),
}

/// An address of an HTML page with these query pairs (empty values dropped, sorted).
fn page_address(base: &str, pairs: &[(&str, &str)]) -> Address {
    let mut query: Vec<(String, String)> = pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| ((*key).to_string(), (*value).to_string()))
        .collect();
    query.sort_by(|a, b| a.0.cmp(&b.0));
    Address {
        base: base.to_string(),
        kind: Kind::Html,
        query,
    }
}

/// `base` with one trailing `/`.
fn with_slash(base: &str) -> String {
    format!("{}/", base.trim_end_matches('/'))
}

/// Every way a link names a place: its id, its label, and for a state its code and name.
fn place_names(places: &[Place]) -> HashMap<String, String> {
    let mut names = HashMap::new();
    for place in places {
        names.insert(place.id.to_lowercase(), place.id.clone());
        names.insert(place.label.to_lowercase(), place.id.clone());
        let last = place.id.rsplit('/').next().unwrap_or("");
        if place.id.matches('/').count() == 2
            && let Some((_, code)) = last.split_once(':')
            && code.len() == 2
        {
            names.insert(code.to_lowercase(), place.id.clone());
        }
    }
    names
}

impl Crawl<'_> {
    /// The places `--place` chose (each with the places within it), or every place.
    fn chosen_places(&self, places: &[Place]) -> anyhow::Result<Vec<Place>> {
        if self.options.places.is_empty() {
            return Ok(places.to_vec());
        }
        let mut chosen = Vec::new();
        for name in &self.options.places {
            let Some(id) = self.place_names.get(&name.trim().to_lowercase()) else {
                return Err(UserError::with_help(
                    format!("`--place`: `{name}` names no place with rules"),
                    "give a state code (`TX`), a state's name, or a division id from `remit rules coverage`",
                )
                .into());
            };
            for place in places {
                let within = place.id == *id || place.id.starts_with(&format!("{id}/"));
                if within && !chosen.iter().any(|p: &Place| p.id == place.id) {
                    chosen.push(place.clone());
                }
            }
        }
        Ok(chosen)
    }

    /// Starts the crawl at `url` (a section, a place, a rule).
    fn seed(&mut self, url: &str) {
        if let Some((address, _)) = links::parse(url) {
            self.accept(address, "the starting pages");
        }
    }

    /// A question in the form the published questions are kept in: the place as its division
    /// id, today's date and the defaults (any federal immigration authority, no purpose) left
    /// out, as the page reads them.
    fn canonical_question(&self, address: &Address) -> Address {
        let mut query: Vec<(String, String)> = Vec::new();
        for (key, value) in &address.query {
            let key = if key == "place" {
                "where"
            } else {
                key.as_str()
            };
            let keep = match key {
                "date" => *value != self.today,
                "counterparty" => value != "federal_immigration",
                "purpose" => value != "unspecified",
                _ => true,
            };
            if !keep {
                continue;
            }
            let value = if key == "where" {
                self.place_names
                    .get(&value.to_lowercase())
                    .cloned()
                    .unwrap_or_else(|| value.clone())
            } else {
                value.clone()
            };
            query.push((key.to_string(), value));
        }
        query.sort();
        Address {
            query,
            ..address.clone()
        }
    }

    /// Accepts `address` into the copy: gives it a file and queues it to be read.
    fn accept(&mut self, address: Address, referrer: &str) -> Target {
        if let Some(Target::File(file)) = self.targets.get(&address) {
            return Target::File(file.clone());
        }
        let mut file = links::file_name(&address);
        if self
            .files
            .get(&file)
            .is_some_and(|holder| *holder != address)
            || Live::all()
                .iter()
                .any(|live| live.file_in(Lang::En) == file || live.file_in(Lang::Es) == file)
            || file == LEFT_OUT_FILE
            || file == LEFT_OUT_FILE_ES
        {
            file = links::disambiguated(&file, &address.url());
        }
        self.files.insert(file.clone(), address.clone());
        let target = Target::File(file);
        self.targets.insert(address.clone(), target.clone());
        self.accepted += 1;
        self.queue.push_back((address, referrer.to_string()));
        target
    }

    /// Decides where a link found on `from` leads, accepting it into the copy when it belongs.
    fn decide(&mut self, address: &Address, from: &Address) {
        match self.targets.get(address) {
            Some(Target::LeftOut(_)) | None => {}
            Some(_) => return,
        }
        let target = self.policy(address, from);
        let target = match target {
            Decision::Accept => self.accept(address.clone(), &from.url()),
            Decision::Alias(canonical) => {
                if !self.targets.contains_key(&canonical) {
                    self.accept(canonical.clone(), &from.url());
                }
                Target::Alias(canonical)
            }
            Decision::Live(live) => Target::Live(live, language_of(&address.base).0),
            Decision::LeftOut(reason) => Target::LeftOut(reason),
        };
        self.targets.insert(address.clone(), target);
    }

    /// Whether a link belongs in the copy.
    fn policy(&mut self, address: &Address, from: &Address) -> Decision {
        // Pages are decided alike in both languages.
        let base = language_of(&address.base).1;
        if base == "/search" || base.starts_with("/search/") {
            return Decision::Live(Live::Search);
        }
        if base == "/-/upload" || base.starts_with("/-/upload/") {
            return Decision::Live(Live::Upload);
        }
        if base == "/ask" || base == "/guide" {
            let (seeds, live) = if base == "/ask" {
                (&self.ask_seeds, Live::Ask)
            } else {
                (&self.guide_seeds, Live::Guide)
            };
            if address.query.is_empty() {
                return Decision::Live(live);
            }
            let canonical = self.canonical_question(address);
            if !seeds.contains(&canonical.page()) {
                return Decision::Live(live);
            }
            return if canonical == *address {
                Decision::Accept
            } else {
                Decision::Alias(canonical)
            };
        }
        // Assets (the stylesheet) and feeds belong wherever they are linked from.
        if address.query.is_empty() || address.kind == Kind::Verbatim {
            return self.within_limit();
        }
        let twin_or_page = from.base == address.base;
        let only_offset_differs = twin_or_page && {
            let strip = |query: &[(String, String)]| -> Vec<(String, String)> {
                query
                    .iter()
                    .filter(|(key, _)| key != "offset")
                    .cloned()
                    .collect()
            };
            strip(&from.query) == strip(&address.query)
        };
        if !from.query.is_empty() && !only_offset_differs {
            return Decision::LeftOut(
                "a filtered or sorted view linked only from another such view".to_string(),
            );
        }
        // The pages of a plain list (`offset` alone) are the list itself: never counted.
        let plain_pages = address.query.iter().all(|(key, _)| key == "offset");
        let views = self.views.entry(address.base.clone()).or_default();
        if !plain_pages && !views.contains(&address.query) {
            if views.len() >= self.options.max_views {
                return Decision::LeftOut(format!(
                    "more than {} filtered or sorted views of one list (`--max-views`)",
                    self.options.max_views
                ));
            }
            views.insert(address.query.clone());
        }
        self.within_limit()
    }

    /// Accepts unless the copy is full.
    fn within_limit(&self) -> Decision {
        if self.accepted >= self.options.max_files {
            Decision::LeftOut(format!(
                "over the limit of {} files (`--max-files`)",
                self.options.max_files
            ))
        } else {
            Decision::Accept
        }
    }

    /// Files the router's answer for an accepted address: a page's links are decided, a
    /// redirect becomes an alias, a failure stops the build.
    fn file_answer(
        &mut self,
        address: &Address,
        referrer: &str,
        answer: anyhow::Result<Fetched>,
    ) -> anyhow::Result<()> {
        let url = address.url();
        let fetched =
            answer.with_context(|| format!("cannot publish `{url}` (linked from {referrer})"))?;
        if fetched.status.is_redirection() {
            let Some(location) = fetched.location.as_deref() else {
                anyhow::bail!(
                    "`{url}` answered a redirect without an address (linked from {referrer})"
                );
            };
            let Some((target, _)) = links::parse(location) else {
                anyhow::bail!(
                    "`{url}` redirects off the site, to `{location}` (linked from {referrer})"
                );
            };
            self.decide(&target, address);
            if let Some(Target::File(file)) = self.targets.get(address) {
                self.files.remove(&file.clone());
            }
            self.targets.insert(address.clone(), Target::Alias(target));
            return Ok(());
        }
        if !fetched.status.is_success() {
            let error = String::from_utf8_lossy(&fetched.body);
            let error: String = error.chars().take(300).collect();
            return Err(UserError::with_help(
                format!(
                    "`{url}` answered {} (linked from {referrer}): {error}",
                    fetched.status.as_u16()
                ),
                "every page the copy links must answer; check the store with `remit store check`, or run `remit serve` and open that address",
            )
            .into());
        }
        let Some(Target::File(file)) = self.targets.get(address).cloned() else {
            return Ok(());
        };
        let is_html = fetched.content_type.starts_with("text/html");
        let is_feed = fetched.content_type.contains("xml");
        if is_html || is_feed {
            let text = String::from_utf8_lossy(&fetched.body).into_owned();
            for link in links::addresses(&text) {
                if let Some((found, _)) = links::parse(&link) {
                    self.decide(&found, address);
                }
            }
            let kind = if is_html { Kind::Html } else { Kind::Verbatim };
            self.documents.push((file, fetched.body, kind));
        } else {
            self.writer.put(&file, &fetched.body)?;
        }
        Ok(())
    }

    /// The file a link leads to, and why when it is not the page itself.
    fn resolve(&self, address: &Address) -> (String, Option<Why>) {
        let mut current = address.clone();
        for _ in 0..16 {
            match self.targets.get(&current) {
                Some(Target::File(file)) => return (file.clone(), None),
                Some(Target::Alias(next)) => current = next.clone(),
                Some(Target::Live(live, lang)) => {
                    return (live.file_in(*lang), Some(Why::Live(*live)));
                }
                Some(Target::LeftOut(reason)) => {
                    return (
                        left_out_file(address).to_string(),
                        Some(Why::LeftOut(reason.clone())),
                    );
                }
                None => break,
            }
        }
        (
            left_out_file(address).to_string(),
            Some(Why::LeftOut("not reached by the crawl".to_string())),
        )
    }
}

/// What the policy says of a link.
enum Decision {
    Accept,
    /// The link is another form of this address (a published question).
    Alias(Address),
    Live(Live),
    LeftOut(String),
}

impl Live {
    fn all() -> [Live; 4] {
        [Live::Ask, Live::Guide, Live::Search, Live::Upload]
    }
}

/// The page a link left out of the copy leads to, in the language of the link.
fn left_out_file(address: &Address) -> &'static str {
    match language_of(&address.base).0 {
        Lang::En => LEFT_OUT_FILE,
        Lang::Es => LEFT_OUT_FILE_ES,
    }
}
