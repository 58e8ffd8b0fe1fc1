//! `--where` as people write it: `remit ask --where "Dallas, TX"`, `--where LAPD`, unknown and
//! ambiguous names; and every division the corpus names reads as itself.

#![expect(
    clippy::expect_used,
    reason = "test helpers stop the test on a bad setup"
)]

mod common;
use common::{run as remit, stderr};

const DALLAS: &str = "ocd-division/country:us/state:tx/place:dallas";
const LOS_ANGELES: &str = "ocd-division/country:us/state:ca/place:los_angeles";

fn ask(place: &str, json: bool) -> std::process::Output {
    let mut args = vec![
        "ask",
        "--where",
        place,
        "--actor",
        "local_police",
        "--action",
        "inquire_immigration_status",
        "--date",
        "2026-01-15",
    ];
    if json {
        args.push("--json");
    }
    remit(&args)
}

#[test]
fn a_city_with_its_state_is_asked_about_that_city() {
    let output = ask("Dallas, TX", true);
    assert!(output.status.success(), "{}", stderr(&output));
    let answer = common::json(&output);
    assert_eq!(answer["question"]["where"], DALLAS);
    // Dallas's own rules are among those considered.
    let trace = answer["trace"].as_array().expect("a trace");
    assert!(
        trace
            .iter()
            .any(|t| t["jurisdiction"].as_str() == Some(DALLAS)),
        "no rule of Dallas in the trace: {trace:?}"
    );
    // The same answer as for the id, and the human output says how the name was read.
    let by_id = common::json(&ask(DALLAS, true));
    assert_eq!(answer, by_id);
    let output = ask("dallas texas", false);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!(
            "note: `dallas texas` read as Dallas, Texas (`{DALLAS}`)"
        )),
        "{}",
        stderr(&output)
    );
}

#[test]
fn short_names_and_ids_in_any_case_read_as_their_places() {
    for (typed, expected) in [
        ("LAPD", LOS_ANGELES),
        ("lapd", LOS_ANGELES),
        (
            "OCD-Division/Country:US/State:CA/Place:Los_Angeles",
            LOS_ANGELES,
        ),
        ("NYC", "ocd-division/country:us/state:ny/place:new_york"),
        (
            "LASD",
            "ocd-division/country:us/state:ca/county:los_angeles",
        ),
        (
            "Harris County, TX",
            "ocd-division/country:us/state:tx/county:harris",
        ),
        (
            "Orleans Parish, LA",
            "ocd-division/country:us/state:la/parish:orleans",
        ),
    ] {
        let output = ask(typed, true);
        assert!(output.status.success(), "`{typed}`: {}", stderr(&output));
        assert_eq!(
            common::json(&output)["question"]["where"],
            expected,
            "`{typed}`"
        );
    }
    let output = ask("LAPD", false);
    assert!(
        stderr(&output).contains("`LAPD` read as Los Angeles Police Department (CA0194200)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn unknown_and_ambiguous_places_exit_2_with_candidates() {
    let output = ask("Nowhere City, ZZ", false);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("`where`: `ZZ` names no US state or territory"),
        "{err}"
    );

    let output = ask("Springfield PD", false);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("`where`: `Springfield PD` could be any of"),
        "{err}"
    );
    assert!(
        err.contains("`Springfield, MO`: Springfield, Missouri (`ocd-division/country:us/state:mo/place:springfield`)"),
        "{err}"
    );
    assert!(
        err.contains("`Springfield, IL`: Springfield, Illinois"),
        "{err}"
    );

    // One that dwarfs the others is read as it, and the note names the others.
    let output = ask("Dallas PD", false);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains(&format!("Dallas, Texas (`{DALLAS}`), the largest of")),
        "{err}"
    );
    assert!(err.contains("`Dallas, GA`"), "{err}");

    // Once read as an invented place with only its state's rules: now the nearest real one.
    let output = ask("ocd-division/country:us/state:ca/place:los_angelos", false);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("is not a county or place in Remit's gazetteer"),
        "{err}"
    );
    assert!(err.contains("did you mean"), "{err}");
    assert!(
        err.contains(&format!("`{LOS_ANGELES}`: Los Angeles, California")),
        "{err}"
    );

    let output = ask("Minneapolos, MN", false);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("Minneapolis, Minnesota"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn rules_list_reads_its_jurisdiction_the_same_way() {
    let output = remit(&["rules", "list", "--jurisdiction", "Dallas, TX", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = remit(&["rules", "list", "--jurisdiction", "Nowhere City, ZZ"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`--jurisdiction`: `ZZ` names no US state"));
}

/// Every OCD id written anywhere in the corpus folder (rules, scenarios, places, listings).
fn ids_in_corpus_files() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let mut ids = Vec::new();
    let mut folders = vec![root];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("the corpus folder") {
            let path = entry.expect("a corpus file").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).expect("a corpus file");
                for (at, _) in text.match_indices("ocd-division/") {
                    let id: String = text[at..]
                        .chars()
                        .take_while(|c| {
                            c.is_ascii_alphanumeric()
                                || matches!(c, '/' | ':' | '_' | '-' | '.' | '~')
                        })
                        .collect();
                    ids.push(id.trim_end_matches(['.', '/']).to_string());
                }
            }
        }
    }
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn every_division_the_corpus_names_reads_as_itself() {
    let corpus = remit_law::Corpus::embedded().expect("the embedded corpus");
    let mut ids: Vec<String> = corpus
        .rules()
        .iter()
        .map(|r| r.jurisdiction.as_str().to_string())
        .chain(
            corpus
                .scenarios()
                .iter()
                .map(|s| s.input.place.clone())
                .filter(|p| p.starts_with("ocd-division/")),
        )
        .collect();
    let from_rules = ids.len();
    ids.extend(ids_in_corpus_files());
    ids.sort();
    ids.dedup();
    assert!(from_rules > 0 && ids.len() > 50, "{} ids", ids.len());
    let mut wrong = Vec::new();
    for id in &ids {
        // With the gazetteer alone: no corpus to fall back on.
        match remit_agencies::read_place(id) {
            Ok(reading) if &reading.id == id => {}
            Ok(reading) => wrong.push(format!("{id} read as {}", reading.id)),
            Err(error) => wrong.push(format!("{id}: {error}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
