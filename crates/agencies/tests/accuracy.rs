//! How well the resolver does on names from the real data in `../shared/data`, against the
//! hand-checked labels in `tests/fixtures/labelled-names.csv` (how the labels were made:
//! docs/methodology.md#agency-names).
//!
//! Three sets: `sample`, 410 names drawn at random from every sharing list, portal file and
//! 287(g) sheet; `holdout`, 150 more drawn the same way once the rules were final and run once;
//! `el-cajon`, the whole outbound sharing list of El Cajon (CA) PD's transparency portal, 683
//! names, for the out-of-state count. The resolver uses the full FBI list, so these tests need
//! `../shared/data`.
#![expect(clippy::panic, reason = "test helpers stop the test on a bad setup")]

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use remit_agencies::{AgencyClass, Directory, Resolution, Resolver};

fn shared_data() -> Option<PathBuf> {
    common::shared_data("the labelled real names are not read")
}

fn resolver(data: &std::path::Path) -> &'static Resolver {
    static RESOLVER: OnceLock<Resolver> = OnceLock::new();
    RESOLVER.get_or_init(|| {
        let directory = Directory::from_fbi_csv(&data.join("agencies/fbi-lee.csv"))
            .unwrap_or_else(|e| panic!("{e}"));
        Resolver::new(directory)
    })
}

#[derive(Debug, serde::Deserialize)]
struct Label {
    set: String,
    source: String,
    home_state: String,
    state_column: String,
    name: String,
    state: String,
    class: String,
    ori: String,
    #[expect(
        dead_code,
        reason = "read for completeness; shown in the file for reviewers"
    )]
    note: String,
}

fn labels() -> Vec<Label> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/labelled-names.csv"
    );
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    reader
        .deserialize()
        .map(|row| row.unwrap_or_else(|e| panic!("{path}: {e}")))
        .collect()
}

fn resolve(resolver: &Resolver, label: &Label) -> Resolution {
    let hint = Some(label.state_column.as_str()).filter(|s| !s.is_empty());
    let home = Some(label.home_state.as_str()).filter(|s| !s.is_empty());
    resolver.resolve_near(&label.name, hint, home)
}

/// Precision and recall of one prediction against labels.
#[derive(Default, Debug)]
struct Score {
    /// Predicted, and the prediction equals the label.
    right: usize,
    /// Predicted (something other than nothing).
    predicted: usize,
    /// Labelled (something other than nothing).
    labelled: usize,
}

impl Score {
    fn precision(&self) -> f64 {
        ratio(self.right, self.predicted)
    }
    fn recall(&self) -> f64 {
        ratio(self.right, self.labelled)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

struct Report {
    state: Score,
    classes: HashMap<&'static str, Score>,
    class_right: usize,
    class_total: usize,
    excluded: usize,
    misses: Vec<String>,
}

fn evaluate(resolver: &Resolver, labels: &[&Label]) -> Report {
    let mut report = Report {
        state: Score::default(),
        classes: HashMap::new(),
        class_right: 0,
        class_total: 0,
        excluded: 0,
        misses: Vec::new(),
    };
    for label in labels {
        if label.class == "?" {
            report.excluded += 1;
            continue;
        }
        let r = resolve(resolver, label);
        let predicted_state = r.state.as_deref().unwrap_or("");
        if !predicted_state.is_empty() {
            report.state.predicted += 1;
        }
        if !label.state.is_empty() {
            report.state.labelled += 1;
        }
        if !predicted_state.is_empty() && predicted_state == label.state {
            report.state.right += 1;
        }
        let predicted_class = r.class.as_str();
        report.class_total += 1;
        if predicted_class == label.class {
            report.class_right += 1;
        }
        for class in ["local", "state", "federal", "private", "unknown"] {
            let score = report.classes.entry(class).or_default();
            if predicted_class == class {
                score.predicted += 1;
            }
            if label.class == class {
                score.labelled += 1;
            }
            if predicted_class == class && label.class == class {
                score.right += 1;
            }
        }
        if predicted_state != label.state || predicted_class != label.class {
            report.misses.push(format!(
                "{:<60} labelled {}/{} got {}/{} ({})",
                label.name,
                if label.state.is_empty() {
                    "-"
                } else {
                    &label.state
                },
                label.class,
                if predicted_state.is_empty() {
                    "-"
                } else {
                    predicted_state
                },
                predicted_class,
                r.reasons.join("; ")
            ));
        }
    }
    report
}

fn print(title: &str, report: &Report) {
    println!("\n{title}");
    println!(
        "  state: precision {:.3} ({}/{}), recall {:.3} ({}/{})",
        report.state.precision(),
        report.state.right,
        report.state.predicted,
        report.state.recall(),
        report.state.right,
        report.state.labelled
    );
    println!(
        "  class: accuracy {:.3} ({}/{}); {} left out as unlabellable",
        ratio(report.class_right, report.class_total),
        report.class_right,
        report.class_total,
        report.excluded
    );
    for class in ["local", "state", "federal", "private", "unknown"] {
        let s = &report.classes[class];
        println!(
            "    {class:<8} precision {:.3} ({}/{}), recall {:.3} ({}/{})",
            s.precision(),
            s.right,
            s.predicted,
            s.recall(),
            s.right,
            s.labelled
        );
    }
    println!("  misses ({}):", report.misses.len());
    for miss in &report.misses {
        println!("    {miss}");
    }
}

#[test]
fn state_and_class_on_the_random_sample() {
    let Some(data) = shared_data() else {
        return;
    };
    let resolver = resolver(&data);
    let all = labels();
    let sample: Vec<&Label> = all.iter().filter(|l| l.set == "sample").collect();
    assert!(sample.len() >= 400, "the sample has {} names", sample.len());
    let report = evaluate(resolver, &sample);
    print("random sample", &report);
    assert!(report.state.precision() >= 0.97, "state precision fell");
    assert!(report.state.recall() >= 0.95, "state recall fell");
    assert!(
        ratio(report.class_right, report.class_total) >= 0.95,
        "class accuracy fell"
    );
    assert!(report.classes["local"].precision() >= 0.97);
    assert!(report.classes["local"].recall() >= 0.97);
}

#[test]
fn state_and_class_on_the_held_out_sample() {
    let Some(data) = shared_data() else {
        return;
    };
    let resolver = resolver(&data);
    let all = labels();
    let holdout: Vec<&Label> = all.iter().filter(|l| l.set == "holdout").collect();
    assert_eq!(holdout.len(), 150);
    let report = evaluate(resolver, &holdout);
    print("held-out sample", &report);
    assert!(report.state.precision() >= 0.97, "state precision fell");
    assert!(report.state.recall() >= 0.95, "state recall fell");
    assert!(
        ratio(report.class_right, report.class_total) >= 0.95,
        "class accuracy fell"
    );
}

#[test]
fn el_cajon_out_of_state_count() {
    let Some(data) = shared_data() else {
        return;
    };
    let resolver = resolver(&data);
    let all = labels();
    let list: Vec<&Label> = all.iter().filter(|l| l.set == "el-cajon").collect();
    assert_eq!(list.len(), 683);
    let government = |class: &str| class == "local" || class == "state";
    let labelled_out = list
        .iter()
        .filter(|l| government(&l.class) && !l.state.is_empty() && l.state != "CA")
        .count();
    let mut resolved_out: usize = 0;
    let mut unknown_state = 0;
    for label in &list {
        let r = resolve(resolver, label);
        if matches!(r.class, AgencyClass::Local | AgencyClass::State) {
            match r.counterparty_for("CA") {
                Some("out_of_state_agency") => resolved_out += 1,
                Some(_) => {}
                None => unknown_state += 1,
            }
        }
    }
    let report = evaluate(resolver, &list);
    print("El Cajon (CA) PD outbound sharing list", &report);
    println!(
        "  out-of-state agencies: labelled {labelled_out}, resolved {resolved_out}; state unknown for {unknown_state}"
    );
    assert!(
        resolved_out.abs_diff(labelled_out) <= 3,
        "out-of-state count {resolved_out}, labelled {labelled_out}"
    );
    assert!(unknown_state <= 3);
}

#[test]
fn ori_match_on_the_287g_sample() {
    let Some(data) = shared_data() else {
        return;
    };
    let resolver = resolver(&data);
    let all = labels();
    for set in ["sample", "holdout"] {
        ori_match(resolver, &all, set);
    }
}

fn ori_match(resolver: &Resolver, all: &[Label], set: &str) {
    let rows: Vec<&Label> = all
        .iter()
        .filter(|l| l.set == set && l.source.starts_with("287g") && !l.ori.is_empty())
        .collect();
    let listed = rows.iter().filter(|l| l.ori != "-").count();
    let mut right = 0;
    let mut wrong = Vec::new();
    let mut missed = Vec::new();
    let mut invented = Vec::new();
    for label in &rows {
        let r = resolve(resolver, label);
        match (label.ori.as_str(), r.ori.as_deref()) {
            ("-", None) => {}
            ("-", Some(got)) => invented.push(format!("{} -> {got}", label.name)),
            (want, Some(got)) if want == got => right += 1,
            (want, Some(got)) => wrong.push(format!("{}: want {want}, got {got}", label.name)),
            (want, None) => missed.push(format!(
                "{}: want {want} ({})",
                label.name,
                r.reasons.join("; ")
            )),
        }
    }
    println!(
        "\n287(g) agencies, {set}: {} agencies, {listed} in the FBI list; ORI right for {right} ({:.3}), wrong for {}, missed for {}; {} of {} not in the list given an ORI",
        rows.len(),
        ratio(right, listed),
        wrong.len(),
        missed.len(),
        invented.len(),
        rows.len() - listed
    );
    for line in wrong.iter().chain(&missed).chain(&invented) {
        println!("    {line}");
    }
    assert!(ratio(right, listed) >= 0.9, "ORI match rate fell");
    assert!(wrong.len() <= 1, "wrong ORIs: {wrong:?}");
    assert!(
        invented.is_empty(),
        "ORIs for agencies not in the list: {invented:?}"
    );
}

/// The labelled names are real: each name from a CSV or JSON source occurs in that file.
#[test]
fn labelled_names_occur_in_the_shared_data() {
    let Some(data) = shared_data() else {
        return;
    };
    let mut texts: HashMap<String, String> = HashMap::new();
    let mut read = |path: PathBuf| -> String {
        let key = path.display().to_string();
        texts
            .entry(key)
            .or_insert_with(|| std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}")))
            .clone()
    };
    let mut checked = 0;
    for label in labels() {
        let file = if label.source.starts_with("portal:") {
            let slug = label.source.split(':').nth(1).unwrap_or_default();
            let folder = data.join("alpr/transparency-portals");
            let Some(entry) = std::fs::read_dir(&folder)
                .unwrap_or_else(|e| panic!("{e}"))
                .filter_map(Result::ok)
                .find(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .starts_with(&format!("{slug}__"))
                })
            else {
                panic!("no portal file for `{slug}`");
            };
            entry.path()
        } else if label.source.starts_with("okaloosa") {
            data.join("alpr/okaloosa-fl/sharing-agencies.csv")
        } else if label.source.starts_with("eugene") {
            data.join("alpr/eugene-or/sharing-list.csv")
        } else {
            continue; // spreadsheets: Irvine's workbook and the 287(g) sheets
        };
        let text = read(file);
        let escaped = serde_json::to_string(&label.name).unwrap_or_default();
        let bare = escaped.trim_matches('"');
        assert!(
            text.contains(&label.name) || text.contains(bare),
            "`{}` is not in its source `{}`",
            label.name,
            label.source
        );
        checked += 1;
    }
    assert!(checked > 800, "only {checked} names checked");
}
