//! The reason classifier against its test cases (`classifiers/reasons.tests.toml`): misses and
//! false positives, and every distinct reason in the real audit logs of `../shared/data/alpr`.

#[path = "support/shared_data.rs"]
mod shared_data;

use remit_audit::{Category, Classifier};
use serde::Deserialize;
use shared_data::shared_data;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    reason: String,
    primary: Option<String>,
    purpose: Option<String>,
    #[serde(default)]
    also: Vec<String>,
    #[serde(default)]
    not: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Cases {
    case: Vec<Case>,
}

const CASES: &str = include_str!("../../../classifiers/reasons.tests.toml");

#[expect(
    clippy::panic,
    reason = "a test helper: a bad case file fails the test"
)]
fn category(name: &str) -> Category {
    Category::from_name(name).unwrap_or_else(|| panic!("unknown category `{name}` in the cases"))
}

#[test]
fn every_case_in_the_test_file() {
    let classifier = Classifier::builtin().unwrap();
    let cases: Cases = toml::from_str(CASES).unwrap();
    assert!(cases.case.len() >= 80, "the case file lost cases");
    let mut failures = Vec::new();
    for case in &cases.case {
        let explanation = classifier.explain(&case.reason);
        let c = &explanation.classification;
        let mut wrong = Vec::new();
        if let Some(primary) = &case.primary
            && c.primary != category(primary)
        {
            wrong.push(format!("primary `{}`, expected `{primary}`", c.primary));
        }
        if let Some(purpose) = &case.purpose
            && &c.purpose != purpose
        {
            wrong.push(format!("purpose `{}`, expected `{purpose}`", c.purpose));
        }
        for name in &case.also {
            if !c.categories.contains(category(name)) {
                wrong.push(format!("missing category `{name}`"));
            }
        }
        for name in &case.not {
            if c.categories.contains(category(name)) {
                wrong.push(format!("has category `{name}` (false positive)"));
            }
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "`{}`: {} (evidence: {}; excluded: {:?})",
                case.reason,
                wrong.join(", "),
                c.evidence_text(),
                explanation.excluded
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn evidence_quotes_the_words_as_typed() {
    let classifier = Classifier::builtin().unwrap();
    let c = classifier.classify("Assist U.S. Border Patrol w/ 287(g) op");
    assert_eq!(c.primary, Category::Immigration);
    let texts: Vec<&str> = c.evidence.iter().map(|e| e.text.as_str()).collect();
    assert!(texts.contains(&"Border Patrol"), "{texts:?}");
    assert!(texts.contains(&"287(g"), "{texts:?}");
    assert!(!c.categories.contains(Category::Criminal), "{texts:?}");
    let explanation = classifier.explain("meth ice sales");
    assert_eq!(explanation.excluded.len(), 1);
    assert_eq!(explanation.excluded[0].text, "ice");
    assert!(explanation.excluded[0].because.contains("meth"));
}

#[test]
fn a_custom_classifier_file_changes_the_words() {
    let text = include_str!("../../../classifiers/reasons.toml").replace(
        "    \"immigration*\",\n",
        "    \"immigration*\",\n    \"la frontera\",\n",
    );
    let classifier = Classifier::from_toml(&text, "custom.toml").unwrap();
    assert_eq!(
        classifier.classify("la frontera").primary,
        Category::Immigration
    );
    assert_eq!(
        Classifier::builtin()
            .unwrap()
            .classify("la frontera")
            .primary,
        Category::Other
    );
}

/// No real reason in the shared audit logs is read as immigration: the logs hold none (the
/// agencies' searches are their own), and Irvine's three "ICE impersonation" reasons are a crime.
/// A false positive here would put a search in front of an auditor for nothing.
#[test]
fn real_reasons_without_false_immigration_matches() {
    let Some(root) = shared_data() else {
        return;
    };
    let classifier = Classifier::builtin().unwrap();
    let mut reasons = std::collections::BTreeSet::new();
    for (file, column) in [
        ("eugene-or/EPDSearchAuditLogs.csv", "reason"),
        ("okaloosa-fl/org-audit_2025-11-01_2025-12-08.csv", "Reason"),
        ("san-mateo-ca/W012541_search_audit.a871b2fc.csv", "reason"),
        ("san-mateo-ca/W012541_search_audit.f5f2e2bb.csv", "reason"),
    ] {
        let mut reader = csv::Reader::from_path(root.join(file)).unwrap();
        let headers = reader.headers().unwrap().clone();
        let index = headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == column)
            .unwrap();
        for record in reader.records() {
            reasons.insert(record.unwrap()[index].to_string());
        }
    }
    assert!(reasons.len() > 500, "{}", reasons.len());
    let immigration: Vec<&String> = reasons
        .iter()
        .filter(|r| {
            classifier
                .classify(r)
                .categories
                .contains(Category::Immigration)
        })
        .collect();
    assert!(immigration.is_empty(), "{immigration:?}");
    // And the categories are sensible: most reasons are named offences, vague words or numbers.
    let other = reasons
        .iter()
        .filter(|r| classifier.classify(r).primary == Category::Other)
        .count();
    assert!(
        other * 4 < reasons.len(),
        "{other} of {} distinct reasons matched nothing",
        reasons.len()
    );
}
