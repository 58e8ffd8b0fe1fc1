//! `remit registry` end to end: the real binary on the committed CSV sample and on ICE's real
//! sheets in `../shared/data` (skipped with a notice when missing, unless
//! REMIT_REQUIRE_SHARED_DATA is set).

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

mod common;
use common::{json, json_lines, remit, stderr, stdout};

/// A scratch folder for this test binary's databases (and an empty data home, so that no
/// imported directory of the machine's user changes the results).
fn scratch(name: &str) -> PathBuf {
    common::scratch("registry-cli", name)
}

fn sample() -> PathBuf {
    common::fixture("registry", "sample")
}

/// ICE's sheets, or `None` (with a notice) when the shared data is missing.
fn sheets() -> Option<PathBuf> {
    common::shared_data("287g/ice-sheets")
}

/// A database with every real sheet imported through the binary, once per test run.
fn real() -> Option<&'static PathBuf> {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let sheets = sheets()?;
    Some(DIR.get_or_init(|| {
        let dir = scratch("real");
        let output = remit(&dir, &["registry", "import", sheets.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
        let text = stdout(&output);
        assert!(
            text.contains("64 files: 64 imported, 0 already imported (unchanged)"),
            "{text}"
        );
        dir
    }))
}

#[test]
fn importing_the_sample_twice_changes_nothing_the_second_time() {
    let dir = scratch("sample");
    let folder = sample();
    let first = remit(&dir, &["registry", "import", folder.to_str().unwrap()]);
    assert!(first.status.success(), "{}", stderr(&first));
    let text = stdout(&first);
    assert!(
        text.contains("4 files: 4 imported, 0 already imported"),
        "{text}"
    );
    assert!(
        text.contains("participating sheet of 2025-06-01 am, 7 rows, 7 agreements, 6 agencies"),
        "{text}"
    );
    assert!(
        text.contains("registry: 4 snapshots, 8 agencies, 9 agreements; 1 renames linked"),
        "{text}"
    );

    let second = remit(
        &dir,
        &["registry", "import", folder.to_str().unwrap(), "--json"],
    );
    assert!(second.status.success(), "{}", stderr(&second));
    let lines = json_lines(&second);
    assert_eq!(lines.len(), 5);
    for line in &lines[..4] {
        assert_eq!(line["type"], "file");
        assert_eq!(line["status"], "already_imported");
        assert!(
            line["previous"]["source_path"]
                .as_str()
                .unwrap()
                .ends_with(".csv")
        );
    }
    assert_eq!(lines[4]["type"], "summary");
    assert_eq!(lines[4]["imported"], 0);
    assert_eq!(lines[4]["already_imported"], 4);
    assert!(lines[4]["registry"].is_null(), "nothing to refresh");
}

#[test]
fn sample_queries_answer_in_tables_and_json() {
    let dir = scratch("sample-queries");
    let folder = sample();
    assert!(
        remit(&dir, &["registry", "import", folder.to_str().unwrap()])
            .status
            .success()
    );

    let stats = json(&remit(
        &dir,
        &["registry", "stats", "--as-of", "2025-06-01", "--json"],
    ));
    assert_eq!(stats["as_of"], "2025-06-01");
    assert_eq!(stats["snapshot"]["taken"], "2025-06-01 am");
    assert_eq!(stats["agreements"], 7);
    assert_eq!(stats["agencies"], 6);
    assert_eq!(stats["by_model"]["task_force"], 5);
    assert_eq!(stats["by_state"]["GA"], 3);
    assert_eq!(stats["pending"], 2);

    let table = remit(&dir, &["registry", "stats", "--by", "state"]);
    let text = stdout(&table);
    assert!(
        text.contains("participating sheet of 2025-06-15 pm"),
        "{text}"
    );
    let georgia = text.lines().find(|l| l.starts_with("GA")).unwrap();
    assert_eq!(
        georgia.split_whitespace().collect::<Vec<_>>(),
        vec!["GA", "4", "1", "3", "0"],
        "{text}"
    );

    let diff = stdout(&remit(
        &dir,
        &["registry", "diff", "2025-06-01", "2025-06-15"],
    ));
    assert!(diff.contains("added: 1 (Task Force Model 1)"), "{diff}");
    assert!(
        diff.contains("GA  Euharlee Sample Police Department  Task Force Model, signed 2025-06-10"),
        "{diff}"
    );
    assert!(
        diff.contains("removed: 1 (Warrant Service Officer 1)"),
        "{diff}"
    );

    let agency = stdout(&remit(&dir, &["registry", "agency", "lake clark shores"]));
    assert!(
        agency.contains("Lake Clarke Shores Police Department (FL)"),
        "{agency}"
    );
    assert!(
        agency.contains("Lake Clark Shores Police Department (2025-06-01 am .. 2025-06-01 am)"),
        "{agency}"
    );

    let csv = stdout(&remit(&dir, &["registry", "export", "--format", "csv"]));
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("state,agency,agency_type,county,model,signed,status")
    );
    assert_eq!(lines.count(), 9);
    let pending = stdout(&remit(
        &dir,
        &[
            "registry",
            "export",
            "--format",
            "json",
            "--as-of",
            "2025-06-15",
        ],
    ));
    let statuses: Vec<String> = pending
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["status"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(statuses.len(), 8);
    assert_eq!(statuses.iter().filter(|s| *s == "pending").count(), 1);

    let issues = stdout(&remit(
        &dir,
        &["registry", "quality", "--kind", "not_a_date"],
    ));
    assert!(
        issues.contains(
            "participatingAgencies06012025am.csv, row 8, column SIGNED (F): `7/72025` not a date"
        ),
        "{issues}"
    );
}

#[test]
fn bad_input_gets_a_clear_error_and_exit_code_2() {
    let dir = scratch("errors");
    let empty = remit(&dir, &["registry", "stats"]);
    assert_eq!(empty.status.code(), Some(2));
    let text = stderr(&empty);
    assert!(text.contains("error: the registry is empty"), "{text}");
    assert!(text.contains("help: import ICE's sheets first"), "{text}");

    let bad_date = remit(&dir, &["registry", "stats", "--as-of", "2025-13-01"]);
    assert_eq!(bad_date.status.code(), Some(2));
    let text = stderr(&bad_date);
    assert!(text.contains("error: `2025-13-01` is not a date"), "{text}");
    assert!(text.contains("help: write dates as YYYY-MM-DD"), "{text}");

    let bad_state = remit(&dir, &["registry", "stats", "--state", "Atlantis"]);
    assert_eq!(bad_state.status.code(), Some(2));
    assert!(stderr(&bad_state).contains("`Atlantis` is not a US state"));

    let missing = remit(&dir, &["registry", "import", "no/such/folder"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("cannot read `no/such/folder`"),
        "{}",
        stderr(&missing)
    );

    // A bad file in a batch is reported; the good ones are imported.
    let batch = dir.join("batch");
    std::fs::create_dir_all(&batch).unwrap();
    std::fs::write(batch.join("pendingAgencies06012025am.csv"), "NAME\nx\n").unwrap();
    std::fs::copy(
        sample().join("pendingAgencies06152025pm.csv"),
        batch.join("pendingAgencies06152025pm.csv"),
    )
    .unwrap();
    let output = remit(&dir, &["registry", "import", batch.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("has no 287(g) header row"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("2 files: 1 imported, 0 already imported (unchanged), 1 failed")
    );
}

#[test]
fn the_issues_question_on_the_real_sheets() {
    // "How many agencies in Georgia had a Task Force Model agreement on 2025-06-30, and which
    // were added since May?"
    let Some(dir) = real() else { return };
    let stats = json(&remit(
        dir,
        &[
            "registry",
            "stats",
            "--as-of",
            "2025-06-30",
            "--state",
            "GA",
            "--model",
            "task-force",
            "--json",
        ],
    ));
    for key in [
        "as_of",
        "snapshot",
        "agreements",
        "agencies",
        "by_model",
        "by_state",
        "pending",
    ] {
        assert!(stats.get(key).is_some(), "missing `{key}`");
    }
    assert_eq!(stats["snapshot"]["taken"], "2025-06-27 am");
    assert_eq!(stats["agencies"], 2);
    assert_eq!(stats["by_state"]["GA"], 2);
    let diff = json(&remit(
        dir,
        &[
            "registry",
            "diff",
            "2025-05-16",
            "2025-06-30",
            "--state",
            "GA",
            "--model",
            "TFM",
            "--json",
        ],
    ));
    let added: Vec<&str> = diff["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["agency"].as_str().unwrap())
        .collect();
    assert_eq!(added, vec!["Euharlee Police Department"]);
    assert_eq!(diff["removed"].as_array().unwrap().len(), 0);
}

#[test]
fn real_sheets_reimport_quality_and_history() {
    let Some(dir) = real() else { return };
    let Some(sheets) = sheets() else { return };
    let again = remit(
        dir,
        &["registry", "import", sheets.to_str().unwrap(), "--quiet"],
    );
    assert!(again.status.success());
    assert!(stdout(&again).contains("64 files: 0 imported, 64 already imported (unchanged)"));

    let latest = json(&remit(dir, &["registry", "stats", "--json"]));
    assert_eq!(latest["agreements"], 832);
    assert_eq!(latest["snapshot"]["rows"], 832);

    let quality = json(&remit(dir, &["registry", "quality", "--json"]));
    let kinds: Vec<&str> = quality["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "implausible_date",
        "not_a_date",
        "stray_whitespace",
        "unnamed_columns",
        "agency_on_several_rows",
        "header_changed",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    assert_eq!(quality["layouts"].as_array().unwrap().len(), 3);

    let boca = json(&remit(
        dir,
        &[
            "registry",
            "agency",
            "Boca Raton Police Department",
            "--json",
        ],
    ));
    let agency = &boca["agencies"][0];
    assert_eq!(agency["name"], "Boca Raton Police Services Department");
    assert_eq!(agency["names"].as_array().unwrap().len(), 2);
    assert_eq!(agency["agreements"][0]["first_seen"], "2025-05-16 am");

    let rates = json(&remit(dir, &["registry", "rates", "--json"]));
    let states = rates["states"].as_array().unwrap();
    assert!(
        states
            .iter()
            .any(|s| s["state"] == "FL" && s["agreements"].as_u64().unwrap() > 300)
    );
}
