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
        text.contains("no change since the previous sheet"),
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
    assert!(text.contains("3 changes recorded"), "{text}");
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
    assert!(
        text.contains("no change since the previous sheet"),
        "{text}"
    );
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
