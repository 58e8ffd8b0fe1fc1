//! `remit sharing` end to end: the real binary on the sharing crate's self-made samples and on
//! the 187 archived transparency portals in `../shared/data` (skipped with a notice when
//! missing, unless REMIT_REQUIRE_SHARED_DATA is set). Names are resolved with the built-in
//! directory sample: every run gets an empty data home.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]

use std::path::PathBuf;

use serde_json::Value;

mod common;
use common::{json, json_lines, remit, stderr, stdout};

/// A scratch folder for one test's database, with an empty data home.
fn scratch(name: &str) -> PathBuf {
    common::scratch("sharing-cli", name)
}

fn fixture(name: &str) -> String {
    common::fixture("sharing", name).display().to_string()
}

/// The archived portals, or `None` (with a notice) when the shared data is missing.
fn portals() -> Option<String> {
    common::shared_data("alpr/transparency-portals").map(|path| path.display().to_string())
}

fn count(report: &Value, field: &str) -> u64 {
    report[field].as_u64().unwrap()
}

#[test]
fn import_then_report_one_owner() {
    let dir = scratch("owner");
    let output = remit(
        &dir,
        &["sharing", "import", &fixture("portal-el-cajon-sample.json")],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("`El Cajon PD ( CA)`, 7 outbound, 2 inbound"),
        "{text}"
    );
    assert!(text.contains("1 imported"), "{text}");

    let again = remit(
        &dir,
        &["sharing", "import", &fixture("portal-el-cajon-sample.json")],
    );
    assert!(stdout(&again).contains("already imported"));

    let report = json(&remit(
        &dir,
        &["sharing", "report", "--owner", "El Cajon CA PD", "--json"],
    ));
    assert_eq!(report["owner"]["name"], "El Cajon Police Department");
    assert_eq!(count(&report, "recipients"), 7);
    assert_eq!(count(&report, "in_state"), 2);
    assert_eq!(count(&report, "out_of_state"), 1);
    assert_eq!(count(&report, "federal"), 1);
    assert_eq!(count(&report, "private"), 1);
    assert_eq!(count(&report, "unknown"), 2);
    assert_eq!(report["by_verdict"]["must_not"], 3);
    assert_eq!(report["flagged"].as_array().unwrap().len(), 3);
    assert_eq!(report["flagged"][0]["recipient"], "Acworth GA PD");
    assert_eq!(report["flagged"][0]["line"], 11);

    let human = remit(&dir, &["sharing", "report", "--owner", "El Cajon PD ( CA)"]);
    let text = stdout(&human);
    assert!(
        text.contains("Forbidden by the owner's law (3 edges)"),
        "{text}"
    );
    assert!(
        text.contains("Cal. Civ. Code §§ 1798.90.55(b), 1798.90.5(f)"),
        "{text}"
    );
    assert!(
        text.contains("see also: California Attorney General Information Bulletin 2023-DLE-06"),
        "{text}"
    );
    assert!(text.contains("`Sky Ranch (CA)`"), "{text}");
    assert!(text.contains("It is not legal advice"), "{text}");

    let failing = remit(
        &dir,
        &[
            "sharing",
            "report",
            "--owner",
            "El Cajon CA PD",
            "--fail-on-forbidden",
        ],
    );
    assert_eq!(failing.status.code(), Some(1));
}

#[test]
fn lists_without_an_owner_and_unknown_owners_are_errors_with_help() {
    let dir = scratch("errors");
    let output = remit(
        &dir,
        &["sharing", "import", &fixture("name-state-type.csv")],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("does not say whose list it is"), "{text}");
    assert!(text.contains("help: pass `--owner NAME`"), "{text}");

    let output = remit(
        &dir,
        &["sharing", "import", &fixture("portal-wrong-type.json")],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("line 5, field `sharing_outbound`: expected a list of names"),
        "{text}"
    );

    let output = remit(&dir, &["sharing", "report", "--owner", "El Cajon CA PD"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("help: import lists first"));

    remit(
        &dir,
        &["sharing", "import", &fixture("portal-no-name.json")],
    );
    let output = remit(&dir, &["sharing", "report", "--owner", "Dixen CA PD"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("no imported sharing list belongs to `Dixen CA PD`"),
        "{text}"
    );
    assert!(
        text.contains("help: owners with lists include `Dixon CA PD`"),
        "{text}"
    );

    let output = remit(
        &dir,
        &[
            "sharing",
            "import",
            &fixture("names.txt"),
            "--owner",
            "X",
            "--date",
            "2025-13-01",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`2025-13-01` is not a date"));
}

#[test]
fn csv_lists_sheets_and_exports() {
    let dir = scratch("exports");
    let output = remit(
        &dir,
        &[
            "sharing",
            "import",
            &fixture("vigilant-lists.xlsx"),
            "--sheet",
            "A1",
            "--owner",
            "Irvine CA PD",
            "--date",
            "2025-01-31",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let output = remit(
        &dir,
        &[
            "sharing",
            "import",
            &fixture("vigilant-lists.xlsx"),
            "--sheet",
            "A2",
            "--owner",
            "Irvine CA PD",
            "--date",
            "2025-01-31",
            "--direction",
            "inbound",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));

    let report = json(&remit(
        &dir,
        &["sharing", "report", "--owner", "Irvine CA PD", "--json"],
    ));
    assert_eq!(count(&report, "recipients"), 5);
    assert_eq!(count(&report, "out_of_state"), 1);
    assert_eq!(count(&report, "receives_from"), 2);
    assert_eq!(
        report["flagged"][0]["recipient"],
        "RENO POLICE DEPARTMENT (NV)"
    );

    let csv = remit(
        &dir,
        &["sharing", "edges", "--owner", "Irvine CA PD", "--csv"],
    );
    let text = stdout(&csv);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("source_path,line,field,direction,owner"));
    assert_eq!(lines.len(), 1 + 5);
    let lines = remit(
        &dir,
        &["sharing", "edges", "--verdict", "must_not", "--json"],
    );
    let rows = json_lines(&lines);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["rules"][0], "us-ca/civ-1798.90.55-b-out-of-state");

    let listed = stdout(&remit(&dir, &["sharing", "lists"]));
    assert!(listed.contains("2 lists"), "{listed}");
    let issues = stdout(&remit(&dir, &["sharing", "issues"]));
    assert!(issues.contains("header row"), "{issues}");
}

#[test]
fn compare_finds_the_back_and_side_doors() {
    let dir = scratch("compare");
    remit(
        &dir,
        &["sharing", "import", &fixture("portal-el-cajon-sample.json")],
    );
    let output = remit(
        &dir,
        &[
            "sharing",
            "compare",
            "--owner",
            "El Cajon CA PD",
            "--audit",
            &fixture("network-audit.csv"),
            "--json",
        ],
    );
    let comparison = json(&output);
    assert_eq!(comparison["searches"], 10);
    assert_eq!(comparison["back_door"]["searchers"], 3);
    assert_eq!(comparison["side_door"]["searchers"], 3);
    assert_eq!(comparison["federal"]["searchers"], 1);
    assert!(comparison["prohibited_use_flag"].is_string());

    let human = remit(
        &dir,
        &[
            "sharing",
            "compare",
            "--owner",
            "El Cajon CA PD",
            "--audit",
            &fixture("network-audit.csv"),
            "--fail-on-findings",
        ],
    );
    assert_eq!(human.status.code(), Some(1));
    let text = stdout(&human);
    assert!(
        text.contains(
            "Back door: agencies not on its list searched its data: 3 agencies, 4 searches"
        ),
        "{text}"
    );
    assert!(text.contains("`HSI request`"), "{text}");
}

#[test]
fn real_portals_california_report() {
    let Some(portals) = portals() else {
        return;
    };
    let dir = scratch("portals");
    let output = remit(&dir, &["sharing", "import", &portals]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("187 files: 187 imported"));

    let report = json(&remit(
        &dir,
        &["sharing", "report", "--state", "CA", "--json"],
    ));
    assert_eq!(report["owners"].as_array().unwrap().len(), 180);
    assert_eq!(report["owners_sharing_out_of_state_or_federal"], 3);
    let owner = |name: &str| {
        report["owners"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["owner"] == name)
            .cloned()
            .unwrap()
    };
    // Verified independently of Remit (see crates/sharing/tests/report.rs).
    let el_cajon = owner("El Cajon Police Department");
    assert_eq!(el_cajon["rank"], 1);
    for (field, value) in [
        ("recipients", 683),
        ("in_state", 319),
        ("out_of_state", 360),
        ("federal", 0),
        ("private", 1),
        ("unknown", 3),
        ("forbidden", 361),
    ] {
        assert_eq!(count(&el_cajon, field), value, "El Cajon {field}");
    }
    let seaside = owner("Seaside Police Department");
    for (field, value) in [
        ("recipients", 350),
        ("in_state", 346),
        ("out_of_state", 1),
        ("unknown", 3),
        ("forbidden", 1),
    ] {
        assert_eq!(count(&seaside, field), value, "Seaside {field}");
    }
    let citation = &report["citations"][0];
    assert_eq!(
        citation["citation"],
        "Cal. Civ. Code §§ 1798.90.55(b), 1798.90.5(f)"
    );
    assert_eq!(
        citation["also_cites"][0]["citation"],
        "California Attorney General Information Bulletin 2023-DLE-06 (Oct 30 2023)"
    );

    let human = stdout(&remit(&dir, &["sharing", "report", "--state", "CA"]));
    let first = human
        .lines()
        .find(|l| l.trim_start().starts_with("1 "))
        .unwrap();
    assert!(first.contains("El Cajon Police Department"), "{first}");
    assert!(
        first.contains(" 683 ") && first.contains(" 360 "),
        "{first}"
    );
    assert!(human.contains("Bulletin 2023-DLE-06"), "{human}");
}
