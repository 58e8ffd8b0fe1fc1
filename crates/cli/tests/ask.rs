//! `remit ask` and `remit rules`, run as a user runs them: the real binary on the built-in corpus.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers stop the test on a bad setup"
)]

mod common;
use common::{run as remit, stderr, stdout};

fn json(args: &[&str]) -> serde_json::Value {
    common::json(&remit(args))
}

fn determining(answer: &serde_json::Value) -> Vec<String> {
    answer["determining"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| c["id"].as_str().expect("an id").to_string())
        .collect()
}

const LA: &str = "ocd-division/country:us/state:ca/place:los_angeles";

#[test]
fn los_angeles_police_may_not_hold_on_an_ice_detainer() {
    let answer = json(&[
        "ask",
        "--where",
        LA,
        "--actor",
        "local_police",
        "--action",
        "honor_detainer",
        "--counterparty",
        "ice",
        "--date",
        "2026-01-15",
        "--json",
    ]);
    assert_eq!(answer["verdict"], "must_not");
    assert_eq!(determining(&answer), ["us-ca/gov-7284.6-a1B"]);
    let first = &answer["determining"][0];
    assert_eq!(first["citation"], "Cal. Gov. Code § 7284.6(a)(1)(B)");
    assert!(
        first["url"]
            .as_str()
            .unwrap()
            .starts_with("https://leginfo.legislature.ca.gov/")
    );
    assert_eq!(answer["question"]["chain"].as_array().unwrap().len(), 3);
    assert!(
        answer["corpus_version"]
            .as_str()
            .unwrap()
            .starts_with("2026.12+")
    );
    assert!(
        answer["disclaimer"]
            .as_str()
            .unwrap()
            .contains("not legal advice")
    );
    // The federal permission is set aside, with the reason.
    let defeated = answer["defeated"].as_array().unwrap();
    assert!(defeated.iter().any(|d| {
        d["id"] == "us/8cfr-287.7-d"
            && d["reason"]
                .as_str()
                .unwrap()
                .contains("lower level may be stricter")
    }));
    // Every rule considered is traced.
    assert!(answer["trace"].as_array().unwrap().len() >= 10);
}

#[test]
fn a_texas_sheriffs_jail_must_honor_a_detainer() {
    let answer = json(&[
        "ask",
        "--where",
        "TX",
        "--actor",
        "jail",
        "--action",
        "honor_detainer",
        "--counterparty",
        "ice",
        "--date",
        "2026-01-15",
        "--json",
    ]);
    // The duty holds unless the person shows lawful status or the 48 hours have passed: the
    // headline says it depends, with each branch, and the verdict otherwise.
    assert_eq!(answer["verdict"], "depends");
    assert_eq!(answer["otherwise"], "must");
    assert_eq!(determining(&answer), ["us-tx/ccp-2a.060"]);
    let branches = answer["branches"].as_array().unwrap();
    let branch = |fact: &str| {
        branches
            .iter()
            .find(|b| b["facts"].as_array().unwrap().iter().any(|f| f == fact))
            .unwrap_or_else(|| panic!("no branch on {fact}: {branches:?}"))
    };
    assert_eq!(branch("proof_of_lawful_status_shown")["verdict"], "may");
    assert_eq!(branch("detainer_time_limit_passed")["verdict"], "must_not");
    assert!(
        answer["headline"]
            .as_str()
            .unwrap()
            .starts_with("depends: for a jail in Texas to keep someone in custody"),
        "{}",
        answer["headline"]
    );
    // Stating the facts settles it.
    let settled = json(&[
        "ask",
        "--where",
        "TX",
        "--actor",
        "jail",
        "--action",
        "honor_detainer",
        "--counterparty",
        "ice",
        "--date",
        "2026-01-15",
        "--not-fact",
        "proof_of_lawful_status_shown,detainer_time_limit_passed",
        "--json",
    ]);
    assert_eq!(settled["verdict"], "must");
    assert_eq!(settled["branches"].as_array().unwrap().len(), 0);
    // Before the recodification the former article decided.
    let earlier = json(&[
        "ask",
        "--where",
        "Texas",
        "--actor",
        "jail",
        "--action",
        "honor_detainer",
        "--counterparty",
        "ice",
        "--date",
        "2019-05-01",
        "--json",
    ]);
    assert_eq!(determining(&earlier), ["us-tx/ccp-2.251"]);
}

#[test]
fn human_output_states_verdict_citations_and_disclaimer() {
    let output = remit(&[
        "ask",
        "--where",
        "CA",
        "--actor",
        "local_police",
        "--action",
        "share_alpr_data",
        "--counterparty",
        "out_of_state_agency",
        "--date",
        "2026-01-15",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    // The verdict once, in capitals, then the sentence.
    assert!(
        text.starts_with(
            "MUST NOT: the law in force on 2026-01-15 forbids a municipal police department in California to share ALPR data with a state or local agency of another state"
        ),
        "{text}"
    );
    assert!(text.contains("1798.90.55(b)"), "{text}");
    assert!(text.contains("2023-DLE-06"), "{text}");
    assert!(text.contains("not legal advice"), "{text}");
}

#[test]
fn unknown_words_and_bad_places_exit_2_with_help() {
    let output = remit(&[
        "ask",
        "--where",
        "Californa",
        "--actor",
        "local_polce",
        "--action",
        "honor_detainer",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("`where`: `Californa` names no US state or territory"),
        "{err}"
    );
    assert!(err.contains("help: did you mean `California`?"), "{err}");
    assert!(err.contains("help: did you mean `local_police`?"), "{err}");

    let output = remit(&[
        "ask",
        "--where",
        "ocd-division/country:us/state:zz",
        "--actor",
        "jail",
        "--action",
        "honor_detainer",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("names no US state"));

    let output = remit(&[
        "ask",
        "--where",
        "TX",
        "--actor",
        "jail",
        "--action",
        "honor_detainer",
        "--date",
        "2026-02-30",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`--date`: `2026-02-30` is not a valid date"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn words_and_dates_are_read_as_people_write_them() {
    let answer = json(&[
        "ask",
        "--where",
        "CA",
        "--actor",
        "Sheriff's Office",
        "--action",
        "Transfer Custody",
        "--counterparty",
        "ERO",
        "--fact",
        "Judicial Warrant, person_in_custody",
        "--date",
        "Dec 7 2026",
        "--json",
    ]);
    assert_eq!(answer["question"]["actor"], "sheriff");
    assert_eq!(answer["question"]["counterparty"], "ice_ero");
    assert_eq!(answer["question"]["date"], "2026-12-07");
    assert_eq!(
        answer["question"]["facts"],
        serde_json::json!(["judicial_warrant", "person_in_custody"])
    );
    // With a judicial warrant the transfer is allowed, unless a fact California excludes holds.
    assert_eq!(answer["verdict"], "depends");
    assert_eq!(answer["otherwise"], "may");
    for date in ["12/07/2026", "December 7, 2026", "2026-12-07"] {
        let answer = json(&[
            "ask",
            "--where",
            "CA",
            "--actor",
            "jail",
            "--action",
            "transfer_custody",
            "--date",
            date,
            "--json",
        ]);
        assert_eq!(answer["question"]["date"], "2026-12-07", "{date}");
    }
}

#[test]
fn a_texas_sheriff_and_287g_depends_on_the_jail_unless_the_county_is_known() {
    // Statewide, whether the county runs a jail decides (Tex. Gov't Code ch. 753).
    let statewide = json(&[
        "ask",
        "--where",
        "TX",
        "--actor",
        "sheriff",
        "--action",
        "287(g)",
        "--counterparty",
        "ICE",
        "--date",
        "2026-06-01",
        "--json",
    ]);
    assert_eq!(statewide["verdict"], "depends");
    assert_eq!(statewide["otherwise"], "may");
    let branch = &statewide["branches"][0];
    assert_eq!(branch["facts"], serde_json::json!(["county_operates_jail"]));
    assert_eq!(branch["verdict"], "must");
    // Dallas County is known to run a jail (a cited place fact): the answer is settled.
    let dallas = json(&[
        "ask",
        "--where",
        "ocd-division/country:us/state:tx/county:dallas",
        "--actor",
        "sheriff",
        "--action",
        "enter_287g_agreement",
        "--counterparty",
        "ice",
        "--date",
        "2026-06-01",
        "--json",
    ]);
    assert_eq!(dallas["verdict"], "must");
    assert_eq!(dallas["assumed"][0]["fact"], "county_operates_jail");
    assert!(
        dallas["assumed"][0]["source"]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://www.tcjs.state.tx.us/")
    );
    // Before SB 8 took effect, no state duty.
    let before = json(&[
        "ask",
        "--where",
        "ocd-division/country:us/state:tx/county:dallas",
        "--actor",
        "sheriff",
        "--action",
        "enter_287g_agreement",
        "--counterparty",
        "ice",
        "--date",
        "2025-12-31",
        "--json",
    ]);
    assert_eq!(before["verdict"], "may");
}

#[test]
fn the_guide_answers_every_question_for_a_place_and_actor() {
    let guide = json(&[
        "guide",
        "--where",
        "ocd-division/country:us/state:ca/place:los_angeles",
        "--actor",
        "local_police",
        "--date",
        "2026-01-15",
        "--json",
    ]);
    let sections = guide["sections"].as_array().unwrap();
    assert!(sections.len() >= 5, "{sections:?}");
    let item = |action: &str| {
        sections
            .iter()
            .flat_map(|s| s["items"].as_array().unwrap())
            .find(|i| i["action"] == action)
            .unwrap_or_else(|| panic!("no {action} in the guide"))
    };
    assert_eq!(item("honor_detainer")["verdict"], "must_not");
    assert!(
        item("honor_detainer")["answer"]
            .as_str()
            .unwrap()
            .starts_with("Must not (Cal. Gov. Code")
    );
    assert!(
        item("use_immigration_agents_as_interpreters")["question"]
            .as_str()
            .unwrap()
            .contains("Los Angeles")
    );
    assert!(
        guide["disclaimer"]
            .as_str()
            .unwrap()
            .contains("not legal advice")
    );
    // Text and CSV forms.
    let text = stdout(&remit(&[
        "guide",
        "--where",
        "ocd-division/country:us/state:ca/place:los_angeles",
        "--actor",
        "local_police",
        "--date",
        "2026-01-15",
    ]));
    assert!(
        text.contains("Detainers, release notices and transfers"),
        "{text}"
    );
    assert!(text.contains("not legal advice"), "{text}");
    let csv = stdout(&remit(&[
        "guide", "--where", "CA", "--actor", "jail", "--csv",
    ]));
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("section,question,verdict,otherwise")
    );
    assert!(lines.count() >= 10, "{csv}");
    // A place that is not one is an error, exit 2.
    let output = remit(&["guide", "--where", "Nowhere City, ZZ", "--actor", "sheriff"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn fail_on_sets_the_exit_code() {
    let args = [
        "ask",
        "--where",
        LA,
        "--actor",
        "local_police",
        "--action",
        "honor_detainer",
        "--counterparty",
        "ice",
        "--date",
        "2026-01-15",
        "--fail-on",
        "must_not,conflict",
    ];
    assert_eq!(remit(&args).status.code(), Some(1));
    let output = remit(&[
        "ask",
        "--where",
        "TX",
        "--actor",
        "jail",
        "--action",
        "honor_detainer",
        "--date",
        "2026-01-15",
        "--fail-on",
        "must_not",
    ]);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn rules_check_and_test_pass_on_the_built_in_corpus() {
    let output = remit(&["rules", "check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("ok: "));
    let report = json(&["rules", "test", "--json"]);
    assert_eq!(report["failed"], 0);
    assert!(
        report["passed"].as_u64().unwrap() >= 250,
        "{}",
        report["passed"]
    );
}

#[test]
fn rules_test_shows_a_readable_difference_and_fails() {
    // Copy the built-in corpus, change one expectation, and run the scenarios on the copy.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let copy = std::env::temp_dir().join(format!("remit-corpus-test-{}", std::process::id()));
    copy_dir(&root, &copy);
    let scenarios = copy.join("us-ca/scenarios.toml");
    let text = std::fs::read_to_string(&scenarios).unwrap();
    let changed = text.replacen("expect = \"must_not\"", "expect = \"may\"", 1);
    assert_ne!(text, changed);
    std::fs::write(&scenarios, changed).unwrap();
    let output = remit(&["rules", "test", "--corpus", copy.to_str().unwrap()]);
    std::fs::remove_dir_all(&copy).ok();
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("FAIL us-ca/scenarios.toml:"), "{text}");
    assert!(
        text.contains("verdict: expected `may`, got `must_not`"),
        "{text}"
    );
    assert!(text.contains("1 failed"), "{text}");
}

#[test]
fn a_corpus_with_a_syntax_error_is_reported_with_file_and_line() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let copy = std::env::temp_dir().join(format!("remit-corpus-bad-{}", std::process::id()));
    copy_dir(&root, &copy);
    std::fs::write(
        copy.join("us-ca/broken.toml"),
        "[[rule]]\nid = \"us-ca/x\"\nsummary = \n",
    )
    .unwrap();
    let output = remit(&["rules", "check", "--corpus", copy.to_str().unwrap()]);
    std::fs::remove_dir_all(&copy).ok();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("us-ca/broken.toml:3:"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn coverage_shows_every_jurisdiction_of_the_corpus() {
    let coverage = json(&["rules", "coverage", "--date", "2026-03-01", "--json"]);
    let rows = coverage["rows"].as_array().unwrap();
    for state in [
        "ca", "wa", "or", "il", "ny", "nj", "co", "vt", "ma", "mn", "tx", "fl", "la", "tn", "ga",
        "al", "ia", "ok", "sc", "mt", "in", "nc", "wv",
    ] {
        let id = format!("ocd-division/country:us/state:{state}");
        assert!(
            rows.iter().any(|r| r["jurisdiction"] == id.as_str()),
            "{id} missing from coverage"
        );
    }
    let texas = rows
        .iter()
        .find(|r| r["jurisdiction"] == "ocd-division/country:us/state:tx")
        .unwrap();
    let detainer = texas["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["action"] == "honor_detainer")
        .unwrap();
    // Texas's detainer articles name ICE; the cell asks about federal immigration authorities
    // in general, which they do not all cover.
    assert!(detainer["rules_here"].as_u64().unwrap() >= 2, "{detainer}");
    assert_ne!(detainer["verdict"], "no_rule");
    let states = coverage["states"].as_array().unwrap();
    assert!(states.len() >= 52, "every state, DC and the territories");
    let texas = states.iter().find(|s| s["code"] == "TX").unwrap();
    assert!(
        texas["families"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f[1] != "not_yet_reviewed"),
        "{texas}"
    );
    let sources = json(&["rules", "sources", "--json"]);
    assert!(
        sources
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["url"].as_str().unwrap().starts_with("http"))
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn an_agency_name_is_asked_about_where_its_rules_bind_it() {
    let output = remit(&[
        "ask",
        "--where",
        "Los Angeles CA PD",
        "--actor",
        "local_police",
        "--action",
        "share_personal_information",
        "--counterparty",
        "ice",
        "--date",
        "2026-01-15",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["question"]["where"], LA);
    assert!(
        determining(&answer)
            .iter()
            .any(|id| id.starts_with("us-ca-los_angeles/"))
    );
    // Human output says how the name was read; an unknown name stays a place error.
    let output = remit(&[
        "ask",
        "--where",
        "El Cajon CA PD",
        "--actor",
        "local_police",
        "--action",
        "honor_detainer",
        "--date",
        "2026-01-15",
    ]);
    assert!(
        stderr(&output).contains("read as El Cajon Police Department"),
        "{}",
        stderr(&output)
    );
    let output = remit(&[
        "ask",
        "--where",
        "Narnia PD",
        "--actor",
        "local_police",
        "--action",
        "honor_detainer",
    ]);
    assert_eq!(output.status.code(), Some(2));
}
