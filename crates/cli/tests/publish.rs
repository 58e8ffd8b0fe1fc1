//! `remit publish` of the demo, read back offline: every link and asset reference of every
//! page resolves to a file of the copy, no link is absolute, the sitemap lists every page, the
//! search index points at published pages, and publishing again changes nothing.

#![expect(
    clippy::expect_used,
    reason = "test helpers stop the test on a bad setup or an unreadable copy"
)]

use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use remit_cli::publish::{self, Options, Report};

/// A folder removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path =
            std::env::temp_dir().join(format!("remit-publish-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create the test folder");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The dashboard over the demo store, as `remit publish --demo` builds it.
fn demo_state(folder: &remit_web::demo::Folder) -> remit_web::AppState {
    let corpus = remit_cli::output::load_corpus(None, remit_law::Scenarios::Skip)
        .expect("the built-in corpus loads");
    let demo = remit_web::demo::build(folder, &corpus).expect("the demo store builds");
    remit_web::AppState::new(
        corpus,
        Some(demo.store),
        remit_web::Options {
            allow_uploads: false,
            demo: true,
        },
    )
    .with_audits(demo.audits)
}

/// A small copy, quick to build: one city's guides and questions, a few views of each list, and
/// past the starting pages (every section, place and rule) at most 1,500 files.
fn options(out: &Path, places: &[&str]) -> Options {
    Options {
        base_url: None,
        places: places.iter().map(|place| (*place).to_string()).collect(),
        max_views: 4,
        max_files: 3_000,
        ..Options::new(out)
    }
}

/// Every file under `root`, relative, with `/` separators.
fn files(root: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read a folder of the copy") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path.strip_prefix(root).expect("under the root");
                found.insert(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found
}

/// The values of `href`, `src` and `action` in a page, unescaped.
fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for name in ["href=\"", "src=\"", "action=\""] {
        let mut rest = html;
        while let Some(position) = rest.find(name) {
            let before = rest[..position].chars().last();
            let value_start = position + name.len();
            let length = rest[value_start..].find('"').unwrap_or(0);
            if matches!(before, Some(' ' | '\n' | ':')) {
                found.push(rest[value_start..value_start + length].replace("&amp;", "&"));
            }
            rest = &rest[value_start + length..];
        }
    }
    found
}

/// Each `href` of a page with the tag it is in (up to the link).
fn tags_and_links(html: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(position) = rest.find(" href=\"") {
        let value_start = position + " href=\"".len();
        let length = rest[value_start..].find('"').unwrap_or(0);
        let tag_start = rest[..position].rfind('<').unwrap_or(0);
        found.push((
            rest[tag_start..position].to_string(),
            rest[value_start..value_start + length].replace("&amp;", "&"),
        ));
        rest = &rest[value_start + length..];
    }
    found
}

/// Decodes `%XX` escapes in a relative link.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && index + 2 < bytes.len()
            && let Ok(value) = u8::from_str_radix(&text[index + 1..index + 3], 16)
        {
            out.push(value);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8(out).expect("utf-8 link")
}

/// The file a relative link from `page` (a file of the copy) leads to, relative to the root;
/// `None` when it climbs out of the copy.
fn follow(page: &str, link: &str) -> Option<String> {
    let path = link.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<String> = page.split('/').map(str::to_string).collect();
    parts.pop();
    if path.is_empty() {
        return Some(page.to_string());
    }
    for part in percent_decode(path).split('/') {
        match part {
            ".." => {
                parts.pop()?;
            }
            "." | "" => {}
            other => parts.push(other.to_string()),
        }
    }
    Some(parts.join("/"))
}

/// Reads the copy from `index.html` as a browser on `file://` would, following every link and
/// asset reference of every page it reaches; returns the pages reached. Fails on a link that
/// does not lead to a file, or that is absolute.
fn crawl_offline(root: &Path, all: &BTreeSet<String>) -> BTreeSet<String> {
    let mut reached = BTreeSet::from(["index.html".to_string()]);
    let mut queue = VecDeque::from(["index.html".to_string()]);
    let mut problems = Vec::new();
    while let Some(page) = queue.pop_front() {
        let html = std::fs::read_to_string(root.join(&page)).expect("read a page of the copy");
        for link in references(&html) {
            let own_server = [
                "http://127.0.0.1",
                "http://localhost",
                "http://remit.publish.invalid",
            ]
            .iter()
            .any(|server| link.starts_with(server));
            if link.starts_with('/') || own_server {
                problems.push(format!("{page}: absolute link `{link}`"));
                continue;
            }
            // Fragments of the page itself, and the cited sources elsewhere on the web.
            let elsewhere = ["https://", "http://", "mailto:"]
                .iter()
                .any(|scheme| link.starts_with(scheme));
            if link.starts_with('#') || elsewhere {
                continue;
            }
            let Some(target) = follow(&page, &link) else {
                problems.push(format!("{page}: `{link}` climbs out of the copy"));
                continue;
            };
            if !all.contains(&target) {
                problems.push(format!("{page}: `{link}` leads to no file ({target})"));
                continue;
            }
            if target.ends_with(".html") && reached.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} broken links, the first: {:#?}",
        problems.len(),
        &problems[..problems.len().min(20)]
    );
    reached
}

fn publish(state: &remit_web::AppState, options: &Options) -> Report {
    publish::publish(state.clone(), options, |_| {}).expect("the demo publishes")
}

#[test]
fn demo_copy_works_offline_and_rebuilds_only_what_changed() {
    let demo = remit_web::demo::Folder::create().expect("a folder for the demo store");
    let state = demo_state(&demo);
    let temp = TempDir::new("demo");
    let out = temp.0.join("site");
    let first = publish(
        &state,
        &options(
            &out,
            &["ocd-division/country:us/state:ca/place:los_angeles"],
        ),
    );
    let all = files(&out);
    assert_eq!(first.files + 1, all.len(), "every file but the manifest");
    assert_eq!(first.counts.written, first.files);
    assert!(first.pages > 900, "{} pages", first.pages);

    // Every link resolves offline, and the crawl from the home page reaches the sections, the
    // places, the rules, the published questions and guides, and the pages that stand in for
    // the live server.
    let reached = crawl_offline(&out, &all);
    for page in [
        "287g/index.html",
        "rules/index.html",
        "jurisdictions/index.html",
        "jurisdictions/ocd-division/country-us/state-ca/index.html",
        "audits/index.html",
        "search/index.html",
        "ask/index.html",
        "guide/index.html",
    ] {
        assert!(
            reached.contains(page),
            "`{page}` is not reached from the home page"
        );
    }
    // What was left out, and what needs a live server, is counted and leads to pages that say so.
    assert!(first.left_out.total() > 0, "the limits left nothing out");
    assert!(reached.contains("-/left-out/index.html"));
    assert!(
        first
            .live
            .reasons
            .keys()
            .any(|reason| reason.contains("question"))
    );
    let upload = std::fs::read_to_string(out.join("-/upload/index.html")).expect("upload page");
    assert!(upload.contains("remit serve --allow-uploads"));
    let questions = reached
        .iter()
        .filter(|page| page.starts_with("ask/") && *page != "ask/index.html")
        .count();
    assert!(questions >= 5, "{questions} published questions reached");
    let guides = reached
        .iter()
        .filter(|page| page.starts_with("guide/") && *page != "guide/index.html")
        .count();
    assert_eq!(guides, 10, "one guide per actor for the one place");

    // The Spanish half: the same sections, stand-ins and guides under `es/`, reached from the
    // English home page through the language switch.
    for page in [
        "es/index.html",
        "es/287g/index.html",
        "es/rules/index.html",
        "es/jurisdictions/index.html",
        "es/audits/index.html",
        "es/search/index.html",
        "es/ask/index.html",
        "es/guide/index.html",
        "es/-/upload/index.html",
    ] {
        assert!(
            reached.contains(page),
            "`{page}` is not reached from the home page"
        );
    }
    for page in ["es/compliance/index.html", "es/changes/index.html"] {
        assert!(all.contains(page), "`{page}` is not in the copy");
    }
    let spanish_guides = reached
        .iter()
        .filter(|page| page.starts_with("es/guide/") && *page != "es/guide/index.html")
        .count();
    assert_eq!(spanish_guides, 10, "one Spanish guide per actor");
    let spanish_questions = reached
        .iter()
        .filter(|page| page.starts_with("es/ask/") && *page != "es/ask/index.html")
        .count();
    assert_eq!(
        spanish_questions, questions,
        "the questions in both languages"
    );

    // Every page keeps the layout's disclaimer in its language, a Spanish page is marked so and
    // links only to Spanish pages (but for its switch back to English), and twins are files
    // beside their pages.
    let mut spanish_pages = 0;
    for page in all.iter().filter(|file| file.ends_with(".html")) {
        let html = std::fs::read_to_string(out.join(page)).expect("read a page");
        if page.starts_with("es/") {
            spanish_pages += 1;
            assert!(
                html.contains("<html lang=\"es\">"),
                "`{page}` is not lang=\"es\""
            );
            assert!(
                html.contains("No es asesoramiento legal"),
                "`{page}` lost the disclaimer"
            );
            for (tag, link) in tags_and_links(&html) {
                if link.contains("://") || link.starts_with('#') || link.starts_with("mailto:") {
                    continue;
                }
                let target = follow(page, &link).unwrap_or_default();
                if target.ends_with(".html")
                    && !target.starts_with("es/")
                    && !tag.contains("hreflang=\"en\"")
                {
                    panic!("`{page}` leads to the English page `{target}` ({link})");
                }
            }
            continue;
        }
        assert!(
            html.contains("It is not legal advice"),
            "`{page}` lost the disclaimer"
        );
        assert!(
            !html.contains("remit.publish.invalid"),
            "`{page}` names the render host"
        );
    }
    // Every place and rule is published in both languages.
    assert!(
        spanish_pages * 10 > first.pages * 4,
        "{spanish_pages} Spanish pages of {}",
        first.pages
    );
    assert!(all.contains("287g/index.json") && all.contains("287g/index.csv"));
    let health: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("-/health/index.json")).expect("health"))
            .expect("JSON");
    assert_eq!(health["ok"], true);

    // The sitemap lists every page and nothing else.
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap");
    let listed: BTreeSet<String> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|part| part.split("</loc>").next())
        .map(|loc| loc.replace("&amp;", "&"))
        .collect();
    let pages: BTreeSet<String> = all
        .iter()
        .filter(|f| f.ends_with(".html"))
        .cloned()
        .collect();
    assert_eq!(listed, pages);

    // The search index lists published pages only, and finds California.
    let index: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.join("-/assets/search-index.json")).expect("search index"),
    )
    .expect("JSON");
    let entries = index["entries"].as_array().expect("entries");
    assert!(entries.len() > 800, "{} entries", entries.len());
    for entry in entries {
        let url = entry["url"].as_str().expect("url");
        assert!(
            all.contains(url),
            "the index points at `{url}`, not in the copy"
        );
    }
    assert!(entries.iter().any(|entry| entry["kind"] == "place"
        && entry["title"] == "California"
        && entry["url"] == "jurisdictions/ocd-division/country-us/state-ca/index.html"));
    let script = std::fs::read_to_string(out.join("-/assets/search-index.js")).expect("script");
    assert!(script.starts_with("window.remitSearchIndex = {"));
    // The search of the Spanish pages leads to the Spanish pages.
    let with_spanish = entries
        .iter()
        .filter_map(|entry| entry["es"].as_str())
        .inspect(|file| assert!(all.contains(*file), "the index points at `{file}`"))
        .count();
    assert!(
        with_spanish * 2 > entries.len(),
        "{with_spanish} of {} entries have a Spanish page",
        entries.len()
    );
    let search = std::fs::read_to_string(out.join("es/search/index.html")).expect("search");
    assert!(search.contains("data-lang=\"es\""));
    assert!(search.contains("data-root=\"../../\""));

    // Publishing again into the same folder changes nothing.
    let second = publish(
        &state,
        &options(
            &out,
            &["ocd-division/country:us/state:ca/place:los_angeles"],
        ),
    );
    assert_eq!(second.files, first.files);
    assert_eq!(second.counts.written, 0, "{:?}", second.counts);
    assert_eq!(second.counts.removed, 0);
    assert_eq!(second.counts.unchanged, first.files);

    // Another place: the old place's guides go, files the reader put there stay.
    std::fs::write(out.join("CNAME"), "remit.example.org\n").expect("a file of the reader's");
    let third = publish(
        &state,
        &options(&out, &["ocd-division/country:us/state:ca/place:berkeley"]),
    );
    assert!(third.counts.removed >= 10, "{:?}", third.counts);
    assert!(third.counts.written >= 10, "{:?}", third.counts);
    let now = files(&out);
    assert_eq!(
        third.files + 2,
        now.len(),
        "every file, the manifest and CNAME"
    );
    assert!(now.contains("CNAME"));
    crawl_offline(&out, &now);
}

#[test]
fn refuses_a_folder_it_did_not_make_and_a_bad_base_url() {
    let demo = remit_web::demo::Folder::create().expect("a folder for the demo store");
    let state = demo_state(&demo);
    let temp = TempDir::new("refuse");
    std::fs::write(temp.0.join("notes.txt"), "mine").expect("a file");
    let error = publish::publish(state.clone(), &options(&temp.0, &["CA"]), |_| {})
        .expect_err("a folder with someone's files is refused");
    assert!(error.to_string().contains("did not write"), "{error}");
    assert_eq!(
        std::fs::read_to_string(temp.0.join("notes.txt")).expect("kept"),
        "mine"
    );

    let options = Options {
        base_url: Some("example.org".to_string()),
        ..options(&temp.0.join("site"), &["CA"])
    };
    let error = publish::publish(state.clone(), &options, |_| {}).expect_err("a bad base URL");
    assert!(error.to_string().contains("--base-url"), "{error}");
    let options = Options {
        places: vec!["Narnia".to_string()],
        ..Options::new(temp.0.join("other"))
    };
    let error = publish::publish(state, &options, |_| {}).expect_err("an unknown place");
    assert!(error.to_string().contains("Narnia"), "{error}");
}
