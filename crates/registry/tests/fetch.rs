//! `fetch_workbooks` against a local HTTP server (127.0.0.1 only) serving a page shaped like
//! ICE's and ICE's real workbooks from `../shared/data/287g/ice-sheets`, and every failure the
//! issue names: the page moved, a 404, an HTML error page, a cut download, a timeout, a server
//! error then success. A failure saves nothing and imports nothing. Tests that need the real
//! sheets skip with a notice when the shared data is missing, unless REMIT_REQUIRE_SHARED_DATA
//! is set.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]
#![expect(
    clippy::panic,
    reason = "a missing required data folder fails the test"
)]

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use remit_registry::{
    Day, FetchError, FetchOptions, ImportOptions, NoDirectory, Registry, RegistryError, SheetKind,
    USER_AGENT, fetch_workbooks,
};
use remit_store::Store;
use support::server::{Answer, Server, XLSX, page};

const PARTICIPATING: &str = "sheets_20250719_151637/participatingAgencies07182025pm.xlsx";
const PENDING: &str = "sheets_20250719_151637/pendingAgencies07182025pm.xlsx";

/// A real workbook's bytes, or `None` (with a notice) when the shared data is missing.
fn sheet(name: &str) -> Option<Vec<u8>> {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/287g/ice-sheets"
    ))
    .join(name);
    if let Ok(bytes) = std::fs::read(&path) {
        return Some(bytes);
    }
    if std::env::var_os("REMIT_REQUIRE_SHARED_DATA").is_some() {
        panic!(
            "{} not found and REMIT_REQUIRE_SHARED_DATA is set",
            path.display()
        );
    }
    eprintln!("skipping: ../shared/data not found");
    None
}

/// A fresh folder under the target directory.
fn folder(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fetch-{name}"));
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path).unwrap();
    path
}

fn options(url: &str, data_dir: &Path) -> FetchOptions {
    let mut options = FetchOptions::new(url, data_dir, Day::new(2025, 7, 19).unwrap(), 15);
    options.timeout = Duration::from_secs(5);
    options.retries = 1;
    options.backoff = Duration::from_millis(10);
    options
}

fn files_under(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

fn xlsx(body: Vec<u8>) -> Answer {
    Answer::Ok {
        content_type: XLSX,
        body,
    }
}

#[test]
fn finds_downloads_and_imports_ices_workbooks_once() {
    let (Some(participating), Some(pending)) = (sheet(PARTICIPATING), sheet(PENDING)) else {
        return;
    };
    let server = Server::start();
    // Links found by file name (relative and absolute) and by link text.
    server.route(
        "/identify-and-arrest/287g",
        page(&[
            (
                "/doclib/287g/participatingAgencies07182025pm.xlsx",
                "Participating agencies",
            ),
            (
                &server.url("/doclib/287g/list-b.xlsx"),
                "Pending Agencies (Excel, 12 KB)",
            ),
        ]),
    );
    server.route(
        "/doclib/287g/participatingAgencies07182025pm.xlsx",
        xlsx(participating.clone()),
    );
    server.route("/doclib/287g/list-b.xlsx", xlsx(pending));
    let data = folder("ok");
    let downloads =
        fetch_workbooks(&options(&server.url("/identify-and-arrest/287g"), &data)).unwrap();
    assert_eq!(downloads.len(), 2);
    assert_eq!(downloads[0].kind, SheetKind::Participating);
    assert_eq!(
        downloads[0].path,
        data.join("287g/2025-07-19/participatingAgencies07182025pm.xlsx")
    );
    assert!(downloads[0].time_from_name);
    assert_eq!(downloads[0].taken.to_string(), "2025-07-18 pm");
    assert_eq!(std::fs::read(&downloads[0].path).unwrap(), participating);
    // A name without a date takes the fetch's day and half-day.
    assert_eq!(downloads[1].kind, SheetKind::Pending);
    assert!(!downloads[1].time_from_name);
    assert_eq!(downloads[1].taken.to_string(), "2025-07-19 pm");
    assert!(
        server
            .log
            .lock()
            .unwrap()
            .user_agents
            .iter()
            .all(|agent| agent == USER_AGENT)
    );

    let mut store = Store::open_in_memory().unwrap();
    let mut registry = Registry::open(&mut store).unwrap();
    for download in &downloads {
        let options = ImportOptions {
            kind: Some(download.kind),
            as_of: (!download.time_from_name).then_some(download.taken),
        };
        let report = registry.import(&download.path, options).unwrap();
        assert_eq!(report.status, "imported");
    }
    registry.refresh(&mut NoDirectory).unwrap();
    let stats = registry
        .stats(None, &remit_registry::Filter::default())
        .unwrap();
    // As `real_sheets.rs` pins for this sheet imported from disk.
    assert_eq!((stats.agreements, stats.agencies), (832, 685));

    // The same workbooks again: the same files, recognised as already imported.
    let again = fetch_workbooks(&options(&server.url("/identify-and-arrest/287g"), &data)).unwrap();
    assert_eq!(again[0].path, downloads[0].path);
    assert_eq!(files_under(&data).len(), 2);
    let report = registry
        .import(&again[0].path, ImportOptions::default())
        .unwrap();
    assert_eq!(report.status, "already_imported");
}

#[test]
fn a_workbook_address_is_fetched_directly() {
    let Some(participating) = sheet(PARTICIPATING) else {
        return;
    };
    let server = Server::start();
    server.route(
        "/x/participatingAgencies07182025pm.xlsx",
        xlsx(participating),
    );
    let data = folder("direct");
    let downloads = fetch_workbooks(&options(
        &server.url("/x/participatingAgencies07182025pm.xlsx"),
        &data,
    ))
    .unwrap();
    assert_eq!(downloads.len(), 1);
    assert_eq!(downloads[0].kind, SheetKind::Participating);
    // A workbook whose name does not say which list it is: refused before downloading.
    let error = fetch_workbooks(&options(&server.url("/x/list.xlsx"), &data)).unwrap_err();
    assert!(matches!(error, FetchError::BadWorkbook { .. }), "{error:?}");
    assert_eq!(server.requests("/x/list.xlsx"), 0);
}

#[test]
fn a_moved_page_says_what_it_links_instead_and_saves_nothing() {
    let server = Server::start();
    server.route(
        "/287g",
        page(&[
            ("/287g-program", "287(g) program, new page"),
            ("/news", "News"),
        ]),
    );
    let data = folder("moved");
    let error = fetch_workbooks(&options(&server.url("/287g"), &data)).unwrap_err();
    match &error {
        FetchError::NoLinks { found, links, .. } => {
            assert_eq!(*links, 3);
            assert_eq!(
                found,
                &vec!["`287(g) program, new page` (/287g-program)".to_string()]
            );
        }
        other => panic!("{other:?}"),
    }
    let help = RegistryError::Fetch(error).help().unwrap();
    assert!(help.contains("287g-program"), "{help}");
    assert!(files_under(&data).is_empty());
}

#[test]
fn a_404_is_not_retried_and_saves_nothing() {
    let server = Server::start();
    server.route(
        "/287g",
        page(&[(
            "/gone/participatingAgencies07182025pm.xlsx",
            "Participating",
        )]),
    );
    server.route(
        "/gone/participatingAgencies07182025pm.xlsx",
        Answer::Status(404),
    );
    let data = folder("404");
    let error = fetch_workbooks(&options(&server.url("/287g"), &data)).unwrap_err();
    assert!(
        matches!(error, FetchError::Status { status: 404, .. }),
        "{error:?}"
    );
    assert_eq!(
        server.requests("/gone/participatingAgencies07182025pm.xlsx"),
        1
    );
    assert!(files_under(&data).is_empty());
}

#[test]
fn an_html_error_page_is_not_a_workbook() {
    let server = Server::start();
    server.route(
        "/287g",
        page(&[("/f/participatingAgencies07182025pm.xlsx", "Participating")]),
    );
    server.route(
        "/f/participatingAgencies07182025pm.xlsx",
        Answer::Ok {
            content_type: "text/html",
            body: b"<!DOCTYPE html><html><head><title>Access Denied</title></head><body>Reference #18</body></html>".to_vec(),
        },
    );
    let data = folder("html");
    match fetch_workbooks(&options(&server.url("/287g"), &data)).unwrap_err() {
        FetchError::NotAWorkbook { title, .. } => {
            assert_eq!(title.as_deref(), Some("Access Denied"));
        }
        other => panic!("{other:?}"),
    }
    assert!(files_under(&data).is_empty());
}

#[test]
fn a_cut_download_is_retried_then_reported() {
    let server = Server::start();
    let body: Vec<u8> = (0..4000u32).map(|i| (i % 251) as u8).collect();
    server.route(
        "/287g",
        page(&[("/f/participatingAgencies07182025pm.xlsx", "Participating")]),
    );
    server.route(
        "/f/participatingAgencies07182025pm.xlsx",
        Answer::Truncated(body),
    );
    let data = folder("cut");
    let error = fetch_workbooks(&options(&server.url("/287g"), &data)).unwrap_err();
    match &error {
        FetchError::Truncated {
            expected, received, ..
        } => {
            assert_eq!(*expected, 4000);
            assert!(*received < 4000);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        server.requests("/f/participatingAgencies07182025pm.xlsx"),
        2
    );
    assert!(files_under(&data).is_empty());
}

#[test]
fn a_slow_server_times_out_after_the_retries() {
    let server = Server::start();
    server.route(
        "/287g",
        page(&[("/f/participatingAgencies07182025pm.xlsx", "Participating")]),
    );
    server.route(
        "/f/participatingAgencies07182025pm.xlsx",
        Answer::Slow(Duration::from_secs(3), b"late".to_vec()),
    );
    let data = folder("slow");
    let mut options = options(&server.url("/287g"), &data);
    options.timeout = Duration::from_millis(500);
    let error = fetch_workbooks(&options).unwrap_err();
    assert!(
        matches!(error, FetchError::Timeout { attempts: 2, .. }),
        "{error:?}"
    );
    assert!(files_under(&data).is_empty());
}

#[test]
fn a_server_error_is_retried() {
    let Some(participating) = sheet(PARTICIPATING) else {
        return;
    };
    let server = Server::start();
    server.route(
        "/287g",
        page(&[("/f/participatingAgencies07182025pm.xlsx", "Participating")]),
    );
    server.route(
        "/f/participatingAgencies07182025pm.xlsx",
        Answer::FailOnce(participating),
    );
    let data = folder("retry");
    let downloads = fetch_workbooks(&options(&server.url("/287g"), &data)).unwrap();
    assert_eq!(downloads[0].attempts, 2);
}

#[test]
fn a_spreadsheet_without_a_287g_header_is_refused() {
    let server = Server::start();
    server.route(
        "/287g",
        page(&[("/f/participatingAgencies07182025pm.csv", "Participating")]),
    );
    server.route(
        "/f/participatingAgencies07182025pm.csv",
        Answer::Ok {
            content_type: "text/csv",
            body: b"name,value\na,1\n".to_vec(),
        },
    );
    let data = folder("header");
    let error = fetch_workbooks(&options(&server.url("/287g"), &data)).unwrap_err();
    assert!(matches!(error, FetchError::BadWorkbook { .. }), "{error:?}");
    assert!(files_under(&data).is_empty());
}
