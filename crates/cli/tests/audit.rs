//! `remit audit` and `remit demo gen-audit`, run as the real binary on real inputs.

use std::path::PathBuf;
use std::process::Output;

mod common;
use common::{stderr, stdout};

fn remit(args: &[&str]) -> Output {
    common::output(common::with_data_home(&temp_dir("data-home")).args(args))
}

#[expect(
    clippy::expect_used,
    reason = "a test helper: a test without its folder fails"
)]
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("remit-cli-audit-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// `../shared/data/alpr`, or `None` (with a notice) when it is missing.
fn shared_data() -> Option<PathBuf> {
    common::shared_data("alpr")
}

#[test]
fn demo_audit_finds_the_planted_search_and_cites_california() {
    let dir = temp_dir("demo");
    let input = dir.join("network.csv");
    let input_text = input.to_str().unwrap();
    let output = remit(&[
        "demo",
        "gen-audit",
        "--rows",
        "2000",
        "--seed",
        "4",
        "--out",
        input_text,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("planted immigration searches"));
    // Deterministic: the same seed writes the same bytes.
    let again = dir.join("again.csv");
    let output = remit(&[
        "demo",
        "gen-audit",
        "--rows",
        "2000",
        "--seed",
        "4",
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    assert_eq!(
        std::fs::read(&input).unwrap(),
        std::fs::read(&again).unwrap()
    );

    let out = dir.join("out");
    let output = remit(&[
        "audit",
        input_text,
        "--owner",
        "El Cajon CA PD",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["events"], 2000);
    assert_eq!(summary["rejected"], 0);
    assert!(summary["by_category"]["immigration"].as_u64().unwrap() >= 1);
    assert!(summary["by_verdict"]["must_not"].as_u64().unwrap() >= 1);
    assert!(summary["by_searcher_class"]["local"].as_u64().unwrap() > 0);
    assert!(!summary["top_searchers"].as_array().unwrap().is_empty());
    assert_eq!(summary["owner"]["state"], "CA");

    let findings = std::fs::read_to_string(out.join("findings.csv")).unwrap();
    let planted = findings
        .lines()
        .find(|l| l.contains("Tombstone") && l.contains(",immigration,immigration,"))
        .expect("the planted search by the Tombstone marshals is a finding");
    assert!(planted.contains(",out_of_state_agency,"), "{planted}");
    // The finding names its decision; the decision's citations are in decisions.csv.
    let header: Vec<&str> = findings.lines().next().unwrap().split(',').collect();
    let cells: Vec<&str> = planted.split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    assert_eq!(header.len(), 23);
    assert_eq!(
        cells[cells.len() - 23 + column("verdict")],
        "must_not",
        "{planted}"
    );
    let decision = cells[cells.len() - 23 + column("decision")];
    assert!(decision.parse::<u32>().unwrap() >= 1, "{planted}");
    let decisions = std::fs::read_to_string(out.join("decisions.csv")).unwrap();
    assert!(
        decisions
            .starts_with("decision,action,counterparty,purpose,date,verdict,citations,error\n")
    );
    let answer = decisions
        .lines()
        .find(|l| l.starts_with(&format!("{decision},")))
        .expect("the finding's decision is in decisions.csv");
    assert!(answer.contains(",out_of_state_agency,"), "{answer}");
    assert!(answer.contains(",must_not,"), "{answer}");
    assert!(answer.contains("Cal. Civ. Code"), "{answer}");
    assert!(answer.contains("1798.90.55"), "{answer}");
    assert!(!findings.contains("Cal. Civ. Code"));
    for name in ["rejects.csv", "summary.json", "report.html"] {
        assert!(out.join(name).is_file(), "{name}");
    }

    // With --full-findings, each finding carries its citations and there is no decisions.csv.
    let full = dir.join("full");
    let output = remit(&[
        "audit",
        input_text,
        "--owner",
        "El Cajon CA PD",
        "--out",
        full.to_str().unwrap(),
        "--full-findings",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!full.join("decisions.csv").exists());
    let full_findings = std::fs::read_to_string(full.join("findings.csv")).unwrap();
    assert_eq!(full_findings.lines().count(), findings.lines().count());
    let planted = full_findings
        .lines()
        .find(|l| l.contains("Tombstone") && l.contains(",immigration,immigration,"))
        .unwrap();
    assert!(planted.contains(",must_not,"), "{planted}");
    assert!(planted.contains("Cal. Civ. Code"), "{planted}");
    assert!(planted.contains("1798.90.55"), "{planted}");

    // Exit code 1 on forbidden sharing when asked.
    let output = remit(&[
        "audit",
        input_text,
        "--owner",
        "El Cajon CA PD",
        "--fail-on-forbidden",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let human = stdout(&output);
    assert!(
        human.contains("must not: sharing with a state or local agency of another state"),
        "{human}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_network_audit_needs_an_owner() {
    let dir = temp_dir("owner");
    let input = dir.join("network.csv");
    let output = remit(&[
        "demo",
        "gen-audit",
        "--rows",
        "50",
        "--out",
        input.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    let output = remit(&["audit", input.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr(&output);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("is a network audit"), "{stderr}");
    assert!(stderr.contains("help: name the data's owner"), "{stderr}");

    let output = remit(&["audit", dir.join("missing.csv").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("missing.csv"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain_reason_shows_matches_and_exclusions() {
    let output = remit(&["audit", "explain-reason", "meth ice sales"]);
    assert!(output.status.success());
    let stdout = stdout(&output);
    assert!(stdout.contains("category: criminal"), "{stdout}");
    assert!(
        stdout.contains("not counted: `ice` (immigration, term `ice`): `meth` is within 3 words"),
        "{stdout}"
    );
    let output = remit(&["audit", "explain-reason", "287(g) task force", "--json"]);
    assert!(output.status.success());
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["primary"], "immigration");
    assert_eq!(value["purpose"], "civil_immigration_enforcement");
}

#[test]
fn real_logs_and_sharing_lists() {
    let Some(root) = shared_data() else {
        return;
    };
    let okaloosa = root.join("okaloosa-fl/org-audit_2025-11-01_2025-12-08.csv");
    let output = remit(&["audit", okaloosa.to_str().unwrap(), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["events"], 7273);
    assert_eq!(summary["by_verdict"]["own_search"], 7273);

    let sharing = root.join("eugene-or/sharing-list.csv");
    let output = remit(&["audit", sharing.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let stderr = stderr(&output);
    assert!(
        stderr.contains("is a sharing list, not a search log"),
        "{stderr}"
    );
    assert!(stderr.contains("help: `remit sharing`"), "{stderr}");
}

/// The run goes into the store once (a second identical run is not stored again), and the
/// 287(g) flag comes from the registry in the same store: Polk County (FL) held agreements on
/// the sheets of May to July 2025, so its search of 2025-06-15 is flagged and its search of
/// 2024 (before any sheet Remit has) is not.
#[test]
fn store_and_287g_registry() {
    let Some(root) = shared_data() else {
        return;
    };
    let dir = temp_dir("store");
    let db = dir.join("remit.db");
    let db_text = db.to_str().unwrap();
    let sheets = root.join("../287g/ice-sheets");
    let output = remit(&[
        "--db",
        db_text,
        "-q",
        "registry",
        "import",
        sheets.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let input = dir.join("searches.csv");
    std::fs::write(
        &input,
        "When,Agency,Why\n\
         2025-06-15 10:00,Polk County FL SO,stolen vehicle\n\
         2025-06-15 11:00,Marshall TX PD,warrant\n\
         2024-01-15 11:00,Polk County FL SO,warrant\n",
    )
    .unwrap();
    let args = [
        "--db",
        db_text,
        "audit",
        input.to_str().unwrap(),
        "--owner",
        "El Cajon CA PD",
        "--map",
        "time=When,org=Agency,reason=Why",
        "--json",
    ];
    let output = remit(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["events"], 3);
    assert_eq!(summary["by_flag"]["searcher_287g"], 1);
    assert_eq!(summary["by_verdict"]["must_not"], 3);
    // Again: the same run is recognised and not stored twice. The human summary counts the
    // flags, the 287(g) one among them.
    let output = remit(&args[..args.len() - 1]);
    assert!(output.status.success(), "{}", stderr(&output));
    let human = stdout(&output);
    let flags = human
        .lines()
        .find(|l| l.starts_with("flags: "))
        .unwrap_or_else(|| panic!("{human}"));
    assert!(flags.contains("searcher_287g 1"), "{flags}");
    assert!(flags.contains("out_of_state_searcher 3"), "{flags}");
    assert!(
        stderr(&output).contains("the store already holds this run"),
        "{}",
        stderr(&output)
    );

    // A run that fails half-way (`--strict` on a bad row) leaves nothing in the store: the same
    // run without `--strict` is then stored as new.
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "When,Agency,Why\n2025-06-15 10:00,Polk County FL SO,theft\nlater,Yuma AZ PD,theft\n",
    )
    .unwrap();
    let bad_args = [
        "--db",
        db_text,
        "audit",
        bad.to_str().unwrap(),
        "--owner",
        "El Cajon CA PD",
        "--map",
        "time=When,org=Agency,reason=Why",
    ];
    let mut strict = bad_args.to_vec();
    strict.push("--strict");
    let output = remit(&strict);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("bad.csv` line 3, field `When`"));
    let output = remit(&bad_args);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("stored as import"),
        "{}",
        stderr(&output)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
