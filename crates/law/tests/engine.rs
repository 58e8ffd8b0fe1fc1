//! The engine's combining rules, each pinned on a small corpus written for the purpose. The real
//! corpus is pinned by its scenarios (tests/corpus.rs); these tests pin the mechanism.

#![expect(clippy::panic, reason = "test helpers stop the test on a bad setup")]

use remit_law::{CaveatKind, Corpus, QuestionInput, SourceFile, Verdict};

const VOCABULARY: &str = include_str!("../../../corpus/vocabulary.toml");
const METADATA: &str = "version = \"test\"\ntitle = \"test\"\nsources_read_through = 2026-01-01\n";

fn corpus(rules: &str) -> Result<Corpus, remit_law::CorpusError> {
    Corpus::from_files(vec![
        SourceFile {
            path: "vocabulary.toml".into(),
            text: VOCABULARY.into(),
        },
        SourceFile {
            path: "corpus.toml".into(),
            text: METADATA.into(),
        },
        SourceFile {
            path: "test/rules.toml".into(),
            text: rules.into(),
        },
    ])
}

const SOURCE: &str = r#"source = { kind = "statute", citation = "Test Code § 1", title = "Test Act", url = "https://example.org/test" }
provenance = "primary""#;

fn rule(id: &str, jurisdiction: &str, modality: &str, extra: &str) -> String {
    format!(
        "[[rule]]\nid = \"{id}\"\njurisdiction = \"{jurisdiction}\"\nsummary = \"{id}\"\nmodality = \"{modality}\"\nbinds = \"any_law_enforcement\"\naction = \"transfer_custody\"\ncounterparty = \"federal_immigration\"\n{SOURCE}\n{extra}\n\n"
    )
}

const US: &str = "ocd-division/country:us";
const CA: &str = "ocd-division/country:us/state:ca";
const LA: &str = "ocd-division/country:us/state:ca/place:los_angeles";

fn ask(corpus: &Corpus, place: &str, date: &str, facts: &[&str]) -> remit_law::Answer {
    let question = corpus
        .question(&QuestionInput {
            place: place.into(),
            date: Some(date.into()),
            actor: "sheriff".into(),
            action: "transfer_custody".into(),
            counterparty: Some("ice_ero".into()),
            purpose: None,
            facts: facts.iter().map(|f| f.to_string()).collect(),
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
    corpus.answer(&question)
}

fn ids(citations: &[remit_law::Citation]) -> Vec<&str> {
    citations.iter().map(|c| c.id.as_str()).collect()
}

#[test]
fn nested_exceptions() {
    let c = corpus(
        &[
            rule("base", CA, "prohibited", ""),
            rule(
                "exc",
                CA,
                "permitted",
                "when = \"judicial_warrant\"\nexception_to = \"base\"",
            ),
            rule(
                "exc-exc",
                CA,
                "prohibited",
                "when = \"judicial_warrant and imminent_safety_risk\"\nexception_to = \"exc\"",
            ),
        ]
        .concat(),
    )
    .unwrap();
    let plain = ask(&c, "CA", "2020-01-01", &[]);
    assert_eq!(plain.verdict, Verdict::MustNot);
    assert_eq!(ids(&plain.determining), ["base"]);
    // The unstated fact that would change the answer is named.
    assert!(
        plain
            .caveats
            .iter()
            .any(|cv| cv.kind == CaveatKind::Condition && cv.rule.as_deref() == Some("exc"))
    );

    let warrant = ask(&c, "CA", "2020-01-01", &["judicial_warrant"]);
    assert_eq!(warrant.verdict, Verdict::May);
    assert_eq!(ids(&warrant.determining), ["exc"]);
    assert_eq!(warrant.defeated[0].id, "base");
    assert_eq!(warrant.defeated[0].by, "exc");

    let both = ask(
        &c,
        "CA",
        "2020-01-01",
        &["judicial_warrant", "imminent_safety_risk"],
    );
    assert_eq!(both.verdict, Verdict::MustNot);
    // The exception to the exception defeats `exc`, which then defeats nothing: both
    // prohibitions stand.
    let mut determining = ids(&both.determining);
    determining.sort();
    assert_eq!(determining, ["base", "exc-exc"]);
}

#[test]
fn preemption_and_lower_strictness() {
    let c = corpus(
        &[
            rule("fed-permit", US, "permitted", ""),
            rule("state-require", CA, "required", "preempts = \"lower\""),
            rule("city-prohibit", LA, "prohibited", ""),
        ]
        .concat(),
    )
    .unwrap();
    let la = ask(&c, LA, "2020-01-01", &[]);
    assert_eq!(la.verdict, Verdict::Must);
    assert_eq!(ids(&la.determining), ["state-require"]);
    assert!(la.defeated.iter().any(|d| d.id == "city-prohibit"
        && d.by == "state-require"
        && d.reason.contains("preempted")));

    // Without preemption a lower prohibition beats a higher permission, and meets a higher
    // requirement as a conflict.
    let c = corpus(
        &[
            rule("fed-permit", US, "permitted", ""),
            rule("city-prohibit", LA, "prohibited", ""),
        ]
        .concat(),
    )
    .unwrap();
    let la = ask(&c, LA, "2020-01-01", &[]);
    assert_eq!(la.verdict, Verdict::MustNot);
    assert!(
        la.defeated
            .iter()
            .any(|d| d.id == "fed-permit" && d.reason.contains("lower level may be stricter"))
    );

    let c = corpus(
        &[
            rule("fed-require", US, "required", ""),
            rule("city-prohibit", LA, "prohibited", ""),
        ]
        .concat(),
    )
    .unwrap();
    let la = ask(&c, LA, "2020-01-01", &[]);
    assert_eq!(la.verdict, Verdict::Conflict);
    assert!(la.caveats.iter().any(|cv| cv.kind == CaveatKind::Conflict));
    // Outside the city the state-level silence leaves the federal duty.
    assert_eq!(ask(&c, "CA", "2020-01-01", &[]).verdict, Verdict::Must);
}

#[test]
fn dates_status_and_caveats() {
    let c = corpus(&[
        rule("new-duty", CA, "required", "effective = { from = 2026-01-01 }"),
        rule("blocked", CA, "prohibited", "status = \"enjoined\"\nstatus_note = \"enjoined by a test court\""),
        rule("disputed", US, "permitted", "status = \"contested\"\nstatus_note = \"held invalid by a test court\"\nprovenance = \"unverified\""
            .replace("provenance = \"unverified\"", "")
            .as_str()),
    ]
    .concat())
    .unwrap();
    let before = ask(&c, "CA", "2025-12-31", &[]);
    assert_eq!(before.verdict, Verdict::May);
    assert!(
        before
            .caveats
            .iter()
            .any(|cv| cv.kind == CaveatKind::NotYetEffective
                && cv.rule.as_deref() == Some("new-duty"))
    );
    assert!(
        before
            .caveats
            .iter()
            .any(|cv| cv.kind == CaveatKind::Enjoined && cv.rule.as_deref() == Some("blocked"))
    );
    assert!(
        before
            .caveats
            .iter()
            .any(|cv| cv.kind == CaveatKind::Contested && cv.rule.as_deref() == Some("disputed"))
    );
    let after = ask(&c, "CA", "2026-01-01", &[]);
    assert_eq!(after.verdict, Verdict::Must);
    assert_eq!(ids(&after.concurring), ["disputed"]);
    // Texas has none of California's rules.
    assert_eq!(ask(&c, "TX", "2026-01-01", &[]).verdict, Verdict::May);
    assert_eq!(
        ask(
            &c,
            "ocd-division/country:us/state:tx/place:austin",
            "2026-01-01",
            &[]
        )
        .trace
        .len(),
        3
    );
}

#[test]
fn silence_is_no_rule() {
    let c = corpus(&rule("ca-only", CA, "prohibited", "")).unwrap();
    let answer = ask(&c, "TX", "2020-01-01", &[]);
    assert_eq!(answer.verdict, Verdict::NoRule);
    assert!(answer.headline.contains("does not mean the act is lawful"));
    assert!(!answer.disclaimer.is_empty());
}

#[test]
fn loader_reports_every_problem_with_file_line_and_id() {
    let text = [
        rule("dup", CA, "prohibited", ""),
        rule("dup", CA, "prohibited", ""),
        rule(
            "bad-ref",
            CA,
            "permitted",
            "exception_to = \"nowhere\"\npreempts = \"dup-x\"",
        ),
        rule("cycle-a", CA, "permitted", "exception_to = \"cycle-b\""),
        rule("cycle-b", CA, "permitted", "exception_to = \"cycle-a\""),
        rule(
            "dates",
            CA,
            "permitted",
            "effective = { from = 2020-01-01, until = 2019-01-01 }",
        ),
        rule("words", CA, "permitted", "when = \"judicial_warant\"").replace(
            "action = \"transfer_custody\"",
            "action = \"honor_detainers\"",
        ),
        rule("no-url", CA, "permitted", "").replace("https://example.org/test", ""),
    ]
    .concat();
    let err = corpus(&text).unwrap_err();
    let shown = err.to_string();
    for needle in [
        "test/rules.toml:14: rule `dup`: duplicate rule id, first defined at test/rules.toml:2",
        "rule `bad-ref`: `exception_to` names `nowhere`, which is not a rule",
        "rule `bad-ref`: `preempts` names `dup-x`, which is not a rule",
        "exceptions form a cycle",
        "rule `dates`: the effective range ends (2019-01-01) before it starts (2020-01-01)",
        "rule `words`: unknown action `honor_detainers`\n  help: did you mean `honor_detainer`?",
        "did you mean `judicial_warrant`?",
        "rule `no-url`: source `Test Code § 1` has no URL",
    ] {
        assert!(shown.contains(needle), "missing `{needle}` in:\n{shown}");
    }
}

#[test]
fn syntax_errors_name_the_line() {
    let err = corpus("[[rule]]\nid = \"x\"\nsummary = \n").unwrap_err();
    assert_eq!(err.diagnostics[0].file, "test/rules.toml");
    assert_eq!(err.diagnostics[0].line, Some(3));
    let err = corpus(&rule("x", CA, "prohibited", "colour = \"red\"")).unwrap_err();
    assert!(err.to_string().contains("unknown field `colour`"), "{err}");
}
