//! `remit registry fetch`, `remit watch` and the MOA index end to end: the real binary against a
//! local HTTP server on 127.0.0.1 (no network leaves the machine) serving a page shaped like
//! ICE's and the registry's committed sample sheets, then a newer sheet; and the MOA index in
//! `../shared/data` (skipped with a notice when missing, unless REMIT_REQUIRE_SHARED_DATA is
//! set).

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

mod common;
use common::{json, remit, stderr, stdout};

type Routes = Arc<Mutex<HashMap<String, (&'static str, Vec<u8>)>>>;

/// Serves `routes` (path to content type and body; anything else is a 404) on 127.0.0.1 until
/// the test process ends. Returns the base address.
fn serve(routes: Routes) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut request = Vec::new();
            let mut buffer = [0; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let text = String::from_utf8_lossy(&request).into_owned();
            let path = text.split(' ').nth(1).unwrap_or("/").to_string();
            let answer = routes.lock().unwrap().get(&path).cloned();
            let (status, content_type, body) = match answer {
                Some((content_type, body)) => ("200 OK", content_type, body),
                None => ("404 Not Found", "text/plain", b"not found".to_vec()),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    base
}

fn page(links: &[(&str, &str)]) -> (&'static str, Vec<u8>) {
    let mut html = String::from("<!doctype html><title>287(g)</title><a href=\"/about\">About</a>");
    for (href, text) in links {
        html.push_str(&format!("<a href=\"{href}\">{text}</a>"));
    }
    ("text/html", html.into_bytes())
}

fn sample(name: &str) -> (&'static str, Vec<u8>) {
    let path = common::fixture("registry", "sample").join(name);
    ("text/csv", std::fs::read(path).unwrap())
}

fn lines(path: &PathBuf) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn watch_fetches_records_changes_calls_the_hook_and_writes_the_feed() {
    let dir = common::scratch("watch-cli", "watch");
    let routes: Routes = Arc::default();
    let base = serve(routes.clone());
    let first = "/f/participatingAgencies06012025am.csv";
    let second = "/f/participatingAgencies06152025pm.csv";
    routes.lock().unwrap().extend([
        (
            "/287g".to_string(),
            page(&[(first, "Participating agencies")]),
        ),
        (
            first.to_string(),
            sample("participatingAgencies06012025am.csv"),
        ),
        (
            second.to_string(),
            sample("participatingAgencies06152025pm.csv"),
        ),
    ]);
    let url = format!("{base}/287g");
    let data = dir.join("downloads");
    let hook = dir.join("hook.jsonl");
    let feed = dir.join("feed.atom");
    let watch = |dir: &PathBuf| {
        remit(
            dir,
            &[
                "watch",
                "--url",
                &url,
                "--data-dir",
                data.to_str().unwrap(),
                "--retries",
                "0",
                "--exec",
                &format!("cat >> '{}'", hook.display()),
                "--feed",
                feed.to_str().unwrap(),
            ],
        )
    };

    let output = watch(&dir);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("1 workbooks: 1 imported"), "{text}");
    assert!(
        text.contains(
            "first run in this store: a baseline is recorded (0 changes already on record"
        ),
        "{text}"
    );
    assert!(lines(&hook).is_empty());
    let xml = std::fs::read_to_string(&feed).unwrap();
    assert_eq!(xml.matches("<entry>").count(), 0);
    assert!(data.join("287g").read_dir().unwrap().flatten().any(|day| {
        day.path()
            .join("participatingAgencies06012025am.csv")
            .is_file()
    }));

    // ICE posts a newer sheet.
    routes
        .lock()
        .unwrap()
        .insert("/287g".into(), page(&[(second, "Participating agencies")]));
    let output = watch(&dir);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("3 new changes since the last run"), "{text}");
    assert!(
        text.contains("Euharlee Sample Police Department (GA) was added"),
        "{text}"
    );
    let calls = lines(&hook);
    let kinds: Vec<&str> = calls.iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["added", "removed", "renamed"]);
    assert_eq!(calls[2]["previous"], "Lake Clark Shores Police Department");
    assert_eq!(calls[0]["taken"], "2025-06-15 pm");
    let xml = std::fs::read_to_string(&feed).unwrap();
    assert_eq!(xml.matches("<entry>").count(), 3);
    assert!(xml.contains("<updated>2025-06-15T12:00:00Z</updated>"));

    // Nothing new: the sheet is recognised, the hook is not called again.
    let output = watch(&dir);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("0 imported, 1 already imported"), "{text}");
    assert!(text.contains("nothing new since the last run"), "{text}");
    assert_eq!(lines(&hook).len(), 3);

    // The page moves: a clear error naming what it links instead; the store is unchanged.
    routes.lock().unwrap().insert(
        "/287g".into(),
        page(&[("/287g-new", "287(g) program (new page)")]),
    );
    let output = remit(
        &dir,
        &["registry", "fetch", "--url", &url, "--retries", "0"],
    );
    assert_eq!(output.status.code(), Some(2));
    let error = stderr(&output);
    assert!(
        error.contains("no participating or pending workbook is linked from"),
        "{error}"
    );
    assert!(error.contains("287(g) program (new page)"), "{error}");
    let snapshots = json(&remit(&dir, &["registry", "snapshots", "--json"]));
    assert_eq!(
        snapshots["snapshots"].as_array().map(Vec::len),
        Some(2),
        "{snapshots}"
    );

    // A failing hook is reported and the command fails, with the changes kept.
    let other = common::scratch("watch-cli", "failing-hook");
    routes
        .lock()
        .unwrap()
        .insert("/287g".into(), page(&[(first, "Participating")]));
    let run = |dir: &PathBuf| {
        remit(
            dir,
            &[
                "watch",
                "--url",
                &url,
                "--data-dir",
                data.to_str().unwrap(),
                "--exec",
                "exit 3",
            ],
        )
    };
    assert!(
        run(&other).status.success(),
        "one sheet: no change, no hook"
    );
    routes
        .lock()
        .unwrap()
        .insert("/287g".into(), page(&[(second, "Participating")]));
    let output = run(&other);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the hook failed for 3 of 3 changes"),
        "{}",
        stderr(&output)
    );
}

/// The first `watch` in a store that already holds history records a baseline and replays
/// nothing; the next reports only what came after, including changes another command recorded
/// in between; and the JSON says which run it was.
#[test]
fn the_first_watch_records_a_baseline_and_later_runs_report_only_what_is_new() {
    let dir = common::scratch("watch-cli", "baseline");
    let fixtures = common::fixture("registry", "sample");
    // History first: both sample sheets imported by hand (their three changes are recorded).
    let output = remit(&dir, &["registry", "import", fixtures.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));

    let routes: Routes = Arc::default();
    let base = serve(routes.clone());
    let second = "/f/participatingAgencies06152025pm.csv";
    let third = "/f/participatingAgencies07012025pm.csv";
    // A third sheet: the second without its first agency (Cobb County's two agreements).
    let text =
        std::fs::read_to_string(fixtures.join("participatingAgencies06152025pm.csv")).unwrap();
    let newer: String = text
        .lines()
        .filter(|line| !line.contains("Cobb County Sheriff"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(text.lines().count() - 2, newer.lines().count());
    routes.lock().unwrap().extend([
        (
            "/287g".to_string(),
            page(&[(second, "Participating agencies")]),
        ),
        (
            second.to_string(),
            sample("participatingAgencies06152025pm.csv"),
        ),
        (third.to_string(), ("text/csv", newer.into_bytes())),
    ]);
    let url = format!("{base}/287g");
    let data = dir.join("downloads");
    let hook = dir.join("hook.jsonl");
    let watch = |json: bool| {
        let hook_command = format!("cat >> '{}'", hook.display());
        let mut args = vec![
            "watch",
            "--url",
            &url,
            "--data-dir",
            data.to_str().unwrap(),
            "--retries",
            "0",
            "--exec",
            &hook_command,
        ];
        if json {
            args.push("--json");
        }
        remit(&dir, &args)
    };

    // The first run: the sheet is already imported, the three changes on record are the
    // baseline, and the hook is not called.
    let output = watch(false);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("a baseline is recorded (3 changes already on record are not reported)"),
        "{text}"
    );
    assert!(!text.contains("Euharlee"), "{text}");
    assert!(lines(&hook).is_empty());

    // A later run with nothing new.
    let report = json(&watch(true));
    assert_eq!(report["baseline"], false, "{report}");
    assert_eq!(report["changes"].as_array().map(Vec::len), Some(0));

    // ICE posts a third sheet: only its changes are reported and handed to the hook.
    routes
        .lock()
        .unwrap()
        .insert("/287g".into(), page(&[(third, "Participating agencies")]));
    let output = watch(false);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("2 new changes since the last run"), "{text}");
    let calls = lines(&hook);
    assert_eq!(calls.len(), 2, "{calls:?}");
    for call in &calls {
        assert_eq!(call["kind"], "removed");
        assert_eq!(call["agency"], "Cobb County Sheriff's Office");
        assert_eq!(call["taken"], "2025-07-01 pm");
    }

    // A sheet imported by another command between two runs is news for the next run: Cobb
    // County is listed again (the second sheet's rows, with its rows in another order so that
    // the file is a new one).
    let fourth = dir.join("participatingAgencies07152025pm.csv");
    let second_text = text_of(&fixtures.join("participatingAgencies06152025pm.csv"));
    let mut reordered: Vec<&str> = second_text.lines().collect();
    reordered[1..].reverse();
    std::fs::write(&fourth, reordered.join("\n") + "\n").unwrap();
    let output = remit(&dir, &["registry", "import", fourth.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = json(&watch(true));
    assert_eq!(report["baseline"], false);
    let kinds: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["added", "added"], "{report}");
    assert_eq!(lines(&hook).len(), 4);
    // And once reported, never again.
    let report = json(&watch(true));
    assert_eq!(
        report["changes"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
}

/// Beyond the registry: a newer crawl of the same agency's portal (partners added and dropped)
/// and an amended rule in the corpus watched are reported once, with their source, after the
/// baseline of the first run.
#[test]
fn watch_reports_sharing_list_and_corpus_changes_after_the_baseline() {
    let Some(portals) = common::shared_data("alpr/transparency-portals") else {
        return;
    };
    let dir = common::scratch("watch-cli", "beyond");
    let routes: Routes = Arc::default();
    let base = serve(routes.clone());
    let sheet = "/f/participatingAgencies06012025am.csv";
    routes.lock().unwrap().extend([
        (
            "/287g".to_string(),
            page(&[(sheet, "Participating agencies")]),
        ),
        (
            sheet.to_string(),
            sample("participatingAgencies06012025am.csv"),
        ),
    ]);
    // A copy of the corpus to amend, and El Cajon's portal with a later crawl of it.
    let corpus = dir.join("corpus");
    copy_folder(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus"),
        &corpus,
    );
    let portal = portals.join("-el-cajon-pd-ca__2026-04-29.json");
    let text = text_of(&portal);
    let mut later: serde_json::Value = serde_json::from_str(&text).unwrap();
    let outbound = later["sharing_outbound"].as_array_mut().unwrap();
    outbound.retain(|name| name != "Acworth GA PD");
    outbound.push("Eugene OR PD".into());
    later["archived_date"] = "2026-05-29".into();
    let first = dir.join("el-cajon-pd-ca__2026-04-29.json");
    let second = dir.join("el-cajon-pd-ca__2026-05-29.json");
    std::fs::write(&first, &text).unwrap();
    std::fs::write(&second, later.to_string()).unwrap();
    let output = remit(&dir, &["sharing", "import", first.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));

    let url = format!("{base}/287g");
    let data = dir.join("downloads");
    let watch = || {
        json(&remit(
            &dir,
            &[
                "watch",
                "--url",
                &url,
                "--data-dir",
                data.to_str().unwrap(),
                "--retries",
                "0",
                "--corpus",
                corpus.to_str().unwrap(),
                "--json",
            ],
        ))
    };
    let report = watch();
    assert_eq!(report["baselines"]["sharing"], true, "{report}");
    assert_eq!(report["baselines"]["corpus"], true, "{report}");
    assert_eq!(report["changes"].as_array().map(Vec::len), Some(0));

    // A newer crawl of the same portal, and one rule's summary amended.
    let output = remit(&dir, &["sharing", "import", second.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let amended = amend_one_summary(&corpus).unwrap();
    let report = watch();
    assert_eq!(report["baselines"]["sharing"], false, "{report}");
    let changes = report["changes"].as_array().unwrap();
    let of = |source: &str| -> Vec<&serde_json::Value> {
        changes.iter().filter(|c| c["source"] == source).collect()
    };
    let sharing = of("sharing");
    let mut kinds: Vec<&str> = sharing
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    kinds.sort_unstable();
    assert_eq!(kinds, vec!["added", "dropped"], "{report}");
    assert!(
        sharing
            .iter()
            .any(|c| c["partner"].as_str().unwrap().contains("Eugene"))
    );
    assert!(sharing.iter().all(|c| c["to_date"] == "2026-05-29"));
    let corpus_changes = of("corpus");
    assert_eq!(corpus_changes.len(), 1, "{report}");
    assert_eq!(corpus_changes[0]["kind"], "amended");
    assert_eq!(corpus_changes[0]["rule_id"], amended.as_str());
    assert!(of("registry").is_empty());

    // Reported once.
    let report = watch();
    assert_eq!(
        report["changes"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
}

/// Copies a folder tree.
fn copy_folder(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Changes the summary of the first rule of the first rules file found (in name order) whose
/// summary is a one-line string, and returns that rule's id.
fn amend_one_summary(corpus: &std::path::Path) -> Option<String> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut folders = vec![corpus.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.sort();
    let key = "\nsummary = \"";
    for file in files {
        let text = text_of(&file);
        let Some(at) = text.find(key) else {
            continue;
        };
        let start = at + key.len();
        if text[start..].starts_with('"') {
            continue;
        }
        // Only a rule's summary (not a context figure's or a scenario's).
        if !text[..at]
            .rfind("\n[[")
            .is_some_and(|header| text[header..].starts_with("\n[[rule]]"))
        {
            continue;
        }
        let Some(id_at) = text[..at].rfind("\nid = \"") else {
            continue;
        };
        let id_start = id_at + "\nid = \"".len();
        let id_end = id_start + text[id_start..].find('"')?;
        let id = text[id_start..id_end].to_string();
        let amended = format!("{}(amended) {}", &text[..start], &text[start..]);
        std::fs::write(&file, amended).unwrap();
        return Some(id);
    }
    None
}

fn text_of(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn stats_after_the_last_sheet_answer_from_the_moa_index_and_say_so() {
    let Some(index) = common::shared_data("287g/moa-index") else {
        return;
    };
    let dir = common::scratch("watch-cli", "moa");
    let file = index.join("moa_agreements.json");
    let output = remit(
        &dir,
        &[
            "registry",
            "import",
            common::fixture("registry", "sample").to_str().unwrap(),
            file.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("imported MOA index") && text.contains("1681 documents of 1427 agencies"),
        "{text}"
    );
    assert!(text.contains("missing_model (warning)"), "{text}");

    let output = remit(&dir, &["registry", "stats", "--as-of", "2026-06-01"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("source: MOA posted by 2026-05-15, from the MOA index"),
        "{text}"
    );
    assert!(text.contains("agencies    1282"), "{text}");
    let stats = json(&remit(
        &dir,
        &["registry", "stats", "--as-of", "2026-06-01", "--json"],
    ));
    assert_eq!(stats["source"], "moa_index");
    assert_eq!(stats["latest_sheet"]["taken"], "2025-06-15 pm");

    // A date the sheets cover answers from the sheet and names the index as a second source.
    let stats = json(&remit(
        &dir,
        &["registry", "stats", "--as-of", "2025-06-15", "--json"],
    ));
    assert_eq!(stats["source"], "ice_sheet");
    assert_eq!(stats["moa_index"]["source"], "moa_index");
}
