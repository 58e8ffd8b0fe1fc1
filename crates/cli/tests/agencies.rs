//! `remit agencies` end to end: the real binary on the built-in directory, on names from a file,
//! and on the real FBI list and sharing lists in `../shared/data` (skipped with a notice when
//! missing, unless REMIT_REQUIRE_SHARED_DATA is set).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

mod common;
use common::{json_lines, shared_data, stderr, stdout};

/// A scratch folder for one test, with an empty data home so that no imported directory of the
/// machine's user changes the results.
fn scratch(name: &str) -> PathBuf {
    common::scratch("agencies-cli", name)
}

/// The binary on `args` with the data home of the scratch folder `dir` and no `HOME`.
fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = common::with_data_home(&dir.join("data-home"));
    command.args(args).env_remove("HOME");
    command
}

fn remit(dir: &Path, args: &[&str]) -> Output {
    common::output(&mut command(dir, args))
}

fn json(dir: &Path, args: &[&str]) -> Value {
    common::json(&remit(dir, args))
}

#[test]
fn resolves_one_name_for_people() {
    let dir = scratch("one-name");
    let output = remit(&dir, &["agencies", "resolve", "El Cajon PD ( CA)"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("El Cajon Police Department"), "{text}");
    assert!(text.contains("CA0370500"), "{text}");
    assert!(text.contains("local (police_department)"), "{text}");
    assert!(
        text.contains("state `CA` read from the name (in brackets)"),
        "{text}"
    );
    assert!(text.contains("directory: built-in sample"), "{text}");
}

#[test]
fn resolves_one_name_as_json_with_the_state_column() {
    let dir = scratch("one-json");
    let value = json(
        &dir,
        &[
            "agencies",
            "resolve",
            "City of Boca Raton Police Department",
            "--state",
            "FLORIDA",
            "--json",
        ],
    );
    assert_eq!(value["ori"], "FL0500200");
    assert_eq!(value["state"], "FL");
    assert_eq!(value["class"], "local");
    assert_eq!(value["counterparty"], Value::Null);
    for key in [
        "input",
        "ori",
        "name",
        "state",
        "class",
        "counterparty",
        "confidence",
        "reasons",
    ] {
        assert!(value.get(key).is_some(), "no `{key}` in {value}");
    }
    let border = json(
        &dir,
        &[
            "agencies",
            "resolve",
            "U.S. Border Patrol [Federal]",
            "--json",
        ],
    );
    assert_eq!(border["class"], "federal");
    assert_eq!(border["counterparty"], "border_patrol");
    assert_eq!(border["state"], Value::Null);
}

#[test]
fn resolves_a_list_in_input_order_one_json_line_each() {
    let dir = scratch("batch");
    let names = dir.join("names.txt");
    std::fs::write(
        &names,
        "Marshall TX PD\n\nTombstone Marshals Office (AZ)\r\nCAL FIRE\nDecommissioned Org\n\
         City of Boca Raton Police Department\tFLORIDA\nANOKA COUNTY SHERIFFS OFFICE (MN)\n",
    )
    .unwrap();
    let output = remit(
        &dir,
        &[
            "agencies",
            "resolve",
            "--input",
            names.to_str().unwrap(),
            "--home-state",
            "CA",
            "--json",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = json_lines(&output);
    let inputs: Vec<&str> = lines.iter().map(|l| l["input"].as_str().unwrap()).collect();
    assert_eq!(
        inputs,
        [
            "Marshall TX PD",
            "Tombstone Marshals Office (AZ)",
            "CAL FIRE",
            "Decommissioned Org",
            "City of Boca Raton Police Department",
            "ANOKA COUNTY SHERIFFS OFFICE (MN)",
        ]
    );
    let numbers: Vec<u64> = lines.iter().map(|l| l["line"].as_u64().unwrap()).collect();
    assert_eq!(numbers, [1, 3, 4, 5, 6, 7]);
    // Marshall, Texas is a city police, out of state for a California list; not the Marshals.
    assert_eq!(lines[0]["ori"], "TX1020200");
    assert_eq!(lines[0]["counterparty"], Value::Null);
    assert_eq!(lines[0]["home_counterparty"], "out_of_state_agency");
    assert_eq!(lines[1]["kind"], "marshal");
    assert_eq!(lines[1]["state"], "AZ");
    // CAL FIRE is California's, so in state.
    assert_eq!(lines[2]["state"], "CA");
    assert_eq!(lines[2]["class"], "state");
    assert_eq!(lines[2]["home_counterparty"], "in_state_agency");
    assert_eq!(lines[3]["class"], "unknown");
    assert_eq!(lines[3]["home_counterparty"], Value::Null);
    // The tab gives the line its own state.
    assert_eq!(lines[4]["ori"], "FL0500200");
    assert_eq!(lines[5]["ori"], "MN0020000");
}

#[test]
fn resolves_a_list_from_standard_input_as_a_table() {
    let dir = scratch("stdin");
    let mut child = command(
        &dir,
        &[
            "agencies",
            "resolve",
            "--input",
            "-",
            "--home-state",
            "California",
        ],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"El Cajon CA PD\nAnoka County MN SO\nICE ERO\nHighlands HOA (CA)\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("4 names: 2 local, 0 state, 1 federal, 1 private, 0 unknown"),
        "{text}"
    );
    assert!(
        text.contains(
            "state and local agencies: 1 in California, 1 out of state, 0 of unknown state"
        ),
        "{text}"
    );
    assert!(text.contains("MN0020000"), "{text}");
}

#[test]
fn search_and_show() {
    let dir = scratch("search");
    let output = remit(&dir, &["agencies", "search", "Marshall", "TX"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let first = text.lines().nth(1).unwrap_or_default();
    assert!(first.starts_with("TX1020200"), "{text}");
    let found = json(
        &dir,
        &[
            "agencies",
            "search",
            "border patrol",
            "--json",
            "--limit",
            "2",
        ],
    );
    assert_eq!(found["results"][0]["ori"], "fed-cbp-usbp");
    assert_eq!(found["results"][0]["counterparty"], "border_patrol");
    assert!(found["results"].as_array().unwrap().len() <= 2);
    let shown = json(&dir, &["agencies", "show", "fed-ice-ero", "--json"]);
    assert_eq!(shown["counterparty"], "ice_ero");
    let output = remit(&dir, &["agencies", "show", "CA0370500"]);
    assert!(stdout(&output).contains("El Cajon"), "{}", stdout(&output));
    let missing = remit(&dir, &["agencies", "show", "ZZ9999999"]);
    assert_eq!(missing.status.code(), Some(2));
    let text = stderr(&missing);
    assert!(
        text.contains("error: no agency `ZZ9999999` in the directory"),
        "{text}"
    );
    assert!(
        text.contains("help: search by name with `remit agencies search`"),
        "{text}"
    );
}

#[test]
fn bad_input_is_an_error_with_help() {
    let dir = scratch("errors");
    let output = remit(
        &dir,
        &["agencies", "resolve", "El Cajon CA PD", "--state", "Calif"],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("error: `--state`: `Calif` is not a state"),
        "{text}"
    );
    assert!(text.contains("help: give a two-letter code"), "{text}");

    let output = remit(
        &dir,
        &["agencies", "resolve", "--input", "no-such-file.txt"],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("error: cannot read `no-such-file.txt`"),
        "{text}"
    );

    let bad = dir.join("latin1.txt");
    std::fs::write(&bad, b"El Cajon CA PD\nPe\xf1a Blanca NM PD\n").unwrap();
    let output = remit(
        &dir,
        &["agencies", "resolve", "--input", bad.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("latin1.txt:2: the line is not UTF-8 text"),
        "{text}"
    );

    let tabbed = dir.join("tabbed.txt");
    std::fs::write(&tabbed, "El Cajon PD\tCalifornia\nAnoka County SO\tMinn\n").unwrap();
    let output = remit(
        &dir,
        &["agencies", "resolve", "--input", tabbed.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("tabbed.txt:2: `Minn` is not a state"),
        "{}",
        stderr(&output)
    );

    let output = remit(&dir, &["agencies", "resolve"]);
    assert_eq!(output.status.code(), Some(2));

    let directory = dir.join("missing-directory.csv");
    let output = remit(
        &dir,
        &[
            "agencies",
            "search",
            "anoka",
            "--directory",
            directory.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("error: cannot read `"), "{text}");
    assert!(text.contains("help: check the path"), "{text}");
}

#[test]
fn import_keeps_the_directory_for_later_commands() {
    let dir = scratch("import");
    let fbi = dir.join("fbi.csv");
    std::fs::write(
        &fbi,
        "ori,data_year,pub_agency_name,state_abbr,county_name,agency_type_name,population\n\
         WA0170700,2025,Kent,WA,KING,City,136000\n\
         WA0170000,2025,King,WA,KING,County,2270000\n\
         bad,2025,Nowhere,WA,KING,City,1\n\
         NBNSP0000,2025,Nebraska State Patrol,NB,NOT SPECIFIED,State Police,0\n",
    )
    .unwrap();
    let output = remit(&dir, &["agencies", "import", fbi.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let store = dir.join("data-home/remit/remit.db");
    assert!(
        text.contains(&format!(
            "imported 3 agencies from `{}` into the store `{}`",
            fbi.display(),
            store.display()
        )),
        "{text}"
    );
    assert!(text.contains("skipped 1 rows"), "{text}");
    assert!(text.contains("fbi.csv:4: field `ori`"), "{text}");
    // Kept in the default store, not as a file beside it.
    assert!(store.is_file());
    assert!(!dir.join("data-home/remit/agencies.csv").exists());
    let rejected =
        std::fs::read_to_string(dir.join("data-home/remit/remit.db.rejected.csv")).unwrap();
    assert!(
        rejected.contains("4,ori,bad,`bad` is not a nine-character ORI"),
        "{rejected}"
    );
    // A second import of the same file changes nothing.
    let again = json(
        &dir,
        &["agencies", "import", fbi.to_str().unwrap(), "--json"],
    );
    assert_eq!(again["status"], "unchanged");
    assert_eq!(again["agencies"], 3);
    assert_eq!(again["skipped"], 1);

    // Later commands use the imported directory: El Cajon is no longer in it, Kent is.
    let kent = json(&dir, &["agencies", "resolve", "Kent WA PD", "--json"]);
    assert_eq!(kent["ori"], "WA0170700");
    let el_cajon = json(&dir, &["agencies", "resolve", "El Cajon CA PD", "--json"]);
    assert_eq!(el_cajon["ori"], Value::Null);
    assert_eq!(el_cajon["state"], "CA");
    let reasons = el_cajon["reasons"].to_string();
    assert!(
        reasons.contains("no agency of this name and kind in the FBI list"),
        "{reasons}"
    );
    let output = remit(&dir, &["agencies", "search", "king"]);
    assert!(
        stdout(&output).contains(&format!(
            "directory: {}, as imported into the store (",
            fbi.display()
        )),
        "{}",
        stdout(&output)
    );
    // Federal agencies still resolve: they ship with Remit.
    let ice = json(&dir, &["agencies", "resolve", "ICE", "--json"]);
    assert_eq!(ice["counterparty"], "ice");

    // `--directory` writes and reads another file.
    let other = dir.join("other.csv");
    let imported = json(
        &dir,
        &[
            "agencies",
            "import",
            fbi.to_str().unwrap(),
            "--directory",
            other.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(imported["agencies"], 3);
    assert_eq!(imported["skipped"], 1);
    assert_eq!(imported["problems"][0]["line"], 4);
    let nebraska = json(
        &dir,
        &[
            "agencies",
            "show",
            "NBNSP0000",
            "--json",
            "--directory",
            other.to_str().unwrap(),
        ],
    );
    assert_eq!(nebraska["state"], "NE");
}

/// Two Oregon agencies the built-in sample does not have.
const OREGON: &str = "ori,pub_agency_name,state_abbr,agency_type_name\n\
                      OR0090100,Bend,OR,City\nOR0240200,Salem,OR,City\n";

/// Two Washington agencies the built-in sample does not have.
const WASHINGTON: &str = "ori,pub_agency_name,state_abbr,agency_type_name\n\
                          WA0171300,Renton,WA,City\nWA0172300,Tukwila,WA,City\n";

#[test]
fn each_store_resolves_with_its_own_directory() {
    let dir = scratch("two-stores");
    let oregon = dir.join("oregon.csv");
    let washington = dir.join("washington.csv");
    std::fs::write(&oregon, OREGON).unwrap();
    std::fs::write(&washington, WASHINGTON).unwrap();
    let (a, b) = (dir.join("a.db"), dir.join("b.db"));
    let with_db = |db: &Path, args: &[&str]| {
        let mut all = vec!["--db", db.to_str().unwrap()];
        all.extend_from_slice(args);
        remit(&dir, &all)
    };
    for (db, file) in [(&a, &oregon), (&b, &washington)] {
        let output = with_db(db, &["agencies", "import", file.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let ori = |db: &Path, name: &str| {
        let value = common::json(&with_db(db, &["agencies", "resolve", name, "--json"]));
        value["ori"].as_str().map(str::to_string)
    };
    assert_eq!(ori(&a, "Bend OR PD").as_deref(), Some("OR0090100"));
    assert_eq!(ori(&a, "Renton WA PD"), None);
    assert_eq!(ori(&b, "Renton WA PD").as_deref(), Some("WA0171300"));
    assert_eq!(ori(&b, "Bend OR PD"), None);
    // Without `--db`: the default store, which has no directory, so the built-in sample.
    let output = remit(&dir, &["agencies", "search", "Salem"]);
    assert!(
        stdout(&output).contains("directory: built-in sample"),
        "{}",
        stdout(&output)
    );
    // `remit ask` reads an ORI as its agency's place with the store's directory; the built-in
    // sample does not know it.
    let ask = [
        "ask",
        "--where",
        "OR0240200",
        "--actor",
        "local_police",
        "--action",
        "honor_detainer",
        "--counterparty",
        "ice",
        "--json",
    ];
    let answer = common::json(&with_db(&a, &ask));
    assert_eq!(
        answer["question"]["where"],
        "ocd-division/country:us/state:or/place:salem"
    );
    let output = remit(&dir, &ask);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`OR0240200` is not the ORI of an agency in the directory"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_directory_file_of_an_earlier_import_is_still_read() {
    let dir = scratch("earlier-file");
    let washington = dir.join("washington.csv");
    std::fs::write(&washington, WASHINGTON).unwrap();
    // Where an earlier Remit kept its import: `agencies.csv` in the data folder.
    let kept = dir.join("data-home/remit/agencies.csv");
    let output = remit(
        &dir,
        &[
            "agencies",
            "import",
            washington.to_str().unwrap(),
            "--directory",
            kept.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        !dir.join("data-home/remit/remit.db").exists(),
        "no store is made"
    );
    let renton = json(&dir, &["agencies", "resolve", "Renton WA PD", "--json"]);
    assert_eq!(renton["ori"], "WA0171300");
    let output = remit(&dir, &["agencies", "search", "Tukwila"]);
    assert!(
        stdout(&output).contains(&format!("directory: {} (", kept.display())),
        "{}",
        stdout(&output)
    );
    // Importing into the store moves it there: the store's directory comes first.
    let oregon = dir.join("oregon.csv");
    std::fs::write(&oregon, OREGON).unwrap();
    let output = remit(&dir, &["agencies", "import", oregon.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let renton = json(&dir, &["agencies", "resolve", "Renton WA PD", "--json"]);
    assert_eq!(renton["ori"], Value::Null);
    let bend = json(&dir, &["agencies", "resolve", "Bend OR PD", "--json"]);
    assert_eq!(bend["ori"], "OR0090100");
}

#[test]
fn a_bad_import_leaves_the_old_directory() {
    let dir = scratch("bad-import");
    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        "ori,pub_agency_name,state_abbr,agency_type_name\nWA0170700,Kent,WA,City\n",
    )
    .unwrap();
    assert!(
        remit(&dir, &["agencies", "import", good.to_str().unwrap()])
            .status
            .success()
    );
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "ori,name,state\nWA0170700,Kent,WA\n").unwrap();
    let output = remit(&dir, &["agencies", "import", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("bad.csv:1: missing column `pub_agency_name`"),
        "{text}"
    );
    assert!(
        text.contains("help: the file needs the FBI columns"),
        "{text}"
    );
    let kent = json(&dir, &["agencies", "resolve", "Kent WA PD", "--json"]);
    assert_eq!(kent["ori"], "WA0170700");
}

/// The done-when: the out-of-state count of a California agency's sharing list, right to
/// within a few names and explained per name. El Cajon's list has 361 agencies of other states
/// by the hand-checked labels (crates/agencies/tests/fixtures/labelled-names.csv).
#[test]
fn out_of_state_count_of_el_cajons_sharing_list_with_the_fbi_list() {
    let Some(data) = shared_data("") else {
        return;
    };
    let dir = scratch("el-cajon");
    let fbi = data.join("agencies/fbi-lee.csv");
    let output = remit(&dir, &["agencies", "import", fbi.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("imported 18330 agencies"),
        "{}",
        stdout(&output)
    );

    let portal = data.join("alpr/transparency-portals/-el-cajon-pd-ca__2026-04-29.json");
    let portal: Value = serde_json::from_str(&std::fs::read_to_string(portal).unwrap()).unwrap();
    let names: Vec<&str> = portal["sharing_outbound"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 683);
    let list = dir.join("el-cajon.txt");
    std::fs::write(&list, names.join("\n")).unwrap();
    let output = remit(
        &dir,
        &[
            "agencies",
            "resolve",
            "--input",
            list.to_str().unwrap(),
            "--home-state",
            "CA",
            "--json",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 683);
    let out_of_state: Vec<&Value> = lines
        .iter()
        .filter(|l| l["home_counterparty"] == "out_of_state_agency")
        .collect();
    assert!(
        out_of_state.len().abs_diff(361) <= 3,
        "{} out of state",
        out_of_state.len()
    );
    // Each is explained: a state other than CA, and a reason that names it.
    for line in &out_of_state {
        let state = line["state"].as_str().unwrap();
        assert_ne!(state, "CA");
        let reasons = line["reasons"].to_string();
        assert!(reasons.contains(state), "{line}");
    }
    let human = remit(
        &dir,
        &[
            "agencies",
            "resolve",
            "--input",
            list.to_str().unwrap(),
            "--home-state",
            "CA",
        ],
    );
    let text = stdout(&human);
    assert!(
        text.contains(&format!("{} out of state", out_of_state.len())),
        "{text}"
    );
}
