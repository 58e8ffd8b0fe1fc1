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
    assert_eq!(plain.verdict, Verdict::Depends);
    assert_eq!(plain.otherwise, Some(Verdict::MustNot));
    assert_eq!(ids(&plain.determining), ["base"]);
    // The unstated fact that would change the answer is named as a branch.
    assert_eq!(plain.branches.len(), 1);
    assert_eq!(plain.branches[0].facts, ["judicial_warrant"]);
    assert_eq!(ids(&plain.branches[0].determining), ["exc"]);

    let warrant = ask(&c, "CA", "2020-01-01", &["judicial_warrant"]);
    // With a warrant, the answer turns on the safety risk the exception to the exception names.
    assert_eq!(warrant.verdict, Verdict::Depends);
    assert_eq!(warrant.otherwise, Some(Verdict::May));
    assert_eq!(warrant.branches[0].facts, ["imminent_safety_risk"]);
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
    let c = corpus(
        &[
            rule(
                "new-duty",
                CA,
                "required",
                "effective = { from = 2026-01-01 }",
            ),
            rule(
                "blocked",
                CA,
                "prohibited",
                &history(&[("2020-01-01", "enjoined")]),
            ),
            rule(
                "disputed",
                US,
                "permitted",
                &history(&[("2020-01-01", "contested")]),
            ),
        ]
        .concat(),
    )
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

/// A `history = [...]` line with one entry per (date, status).
fn history(entries: &[(&str, &str)]) -> String {
    let entries: Vec<String> = entries
        .iter()
        .map(|(date, status)| {
            format!(
                "{{ date = {date}, status = \"{status}\", event = \"order of {date}\", court = \"Test Court\", case = \"Doe v. Test, No. 1\", source = {{ kind = \"court_decision\", citation = \"Doe v. Test ({date})\", title = \"Order\", url = \"https://example.org/order\" }} }}"
            )
        })
        .collect();
    format!("history = [{}]", entries.join(", "))
}

#[test]
fn court_history_decides_by_date() {
    // A duty enjoined on 2017-08-30, the injunction stayed on 2017-09-25: the answer follows the
    // order in force on each day, and names it.
    let c = corpus(&rule(
        "duty",
        CA,
        "required",
        &format!(
            "effective = {{ from = 2017-09-01 }}\n{}",
            history(&[("2017-08-30", "enjoined"), ("2017-09-25", "in_force")])
        ),
    ))
    .unwrap();
    let before = ask(&c, "CA", "2017-08-31", &[]);
    assert_eq!(before.verdict, Verdict::NoRule, "not in force yet");
    let enjoined = ask(&c, "CA", "2017-09-01", &[]);
    assert_eq!(enjoined.verdict, Verdict::NoRule);
    let caveat = enjoined
        .caveats
        .iter()
        .find(|cv| cv.kind == CaveatKind::Enjoined)
        .unwrap_or_else(|| panic!("no enjoined caveat: {:?}", enjoined.caveats));
    assert!(
        caveat
            .message
            .contains("2017-08-30: order of 2017-08-30 (Test Court; Doe v. Test, No. 1)"),
        "{}",
        caveat.message
    );
    let last_day = ask(&c, "CA", "2017-09-24", &[]);
    assert_eq!(last_day.verdict, Verdict::NoRule);
    let stayed = ask(&c, "CA", "2017-09-25", &[]);
    assert_eq!(stayed.verdict, Verdict::Must);
    let event = stayed.determining[0]
        .status_event
        .as_ref()
        .unwrap_or_else(|| panic!("the order of the day is named"));
    assert_eq!(event.date.to_string(), "2017-09-25");
    // Stayed and vacated laws decide nothing either.
    for status in ["stayed", "vacated", "repealed"] {
        let c = corpus(&rule(
            "gone",
            CA,
            "required",
            &history(&[("2020-01-01", status)]),
        ))
        .unwrap();
        assert_eq!(ask(&c, "CA", "2019-12-31", &[]).verdict, Verdict::Must);
        assert_eq!(
            ask(&c, "CA", "2020-01-01", &[]).verdict,
            Verdict::NoRule,
            "{status}"
        );
    }
}

#[test]
fn amended_provisions_apply_the_text_of_the_day() {
    // Original text: prohibited unless a judicial warrant; from 2021-07-19 the warrant exception
    // is gone from this rule's condition and the duty widens to every purpose.
    let c = corpus(&rule(
        "amended",
        CA,
        "prohibited",
        r#"effective = { from = 2017-07-06 }
enacted = { citation = "Act 1 (2017)", date = 2017-06-01 }
quote = "original words"
when = "not judicial_warrant"

[[rule.version]]
from = 2021-07-19
enacted = { citation = "Act 2 (2021)", date = 2021-07-01 }
quote = "amended words"
when = ""
summary = "amended summary""#,
    ))
    .unwrap();
    let old = ask(&c, "CA", "2021-07-18", &["judicial_warrant"]);
    assert_eq!(
        old.verdict,
        Verdict::NoRule,
        "the old text's condition fails"
    );
    let old = ask(&c, "CA", "2021-07-18", &[]);
    assert_eq!(
        old.otherwise,
        Some(Verdict::MustNot),
        "depends on the warrant"
    );
    let version = old.determining[0]
        .version
        .as_ref()
        .unwrap_or_else(|| panic!("version named"));
    assert_eq!((version.number, version.of), (1, 2));
    assert_eq!(old.determining[0].quote.as_deref(), Some("original words"));
    let new = ask(&c, "CA", "2021-07-19", &["judicial_warrant"]);
    assert_eq!(
        new.verdict,
        Verdict::MustNot,
        "the new text has no warrant condition"
    );
    let cited = &new.determining[0];
    assert_eq!(cited.summary, "amended summary");
    assert_eq!(cited.quote.as_deref(), Some("amended words"));
    assert_eq!(
        cited.enacted.as_ref().map(|e| e.citation.as_str()),
        Some("Act 2 (2021)")
    );
    assert_eq!(cited.version.as_ref().map(|v| v.number), Some(2));
    // Listings show the current text.
    assert_eq!(
        c.rule("amended").map(|r| r.summary.as_str()),
        Some("amended summary")
    );
}

#[test]
fn unknown_start_dates_apply_from_the_earliest_day_and_say_so() {
    let c = corpus(&rule(
        "undated",
        LA,
        "prohibited",
        r#"effective = { not_before = 2024-12-04, reason = "council vote of that day; approval date not found" }"#,
    ))
    .unwrap();
    assert_eq!(ask(&c, LA, "2024-12-03", &[]).verdict, Verdict::NoRule);
    let answer = ask(&c, LA, "2024-12-04", &[]);
    assert_eq!(answer.verdict, Verdict::MustNot);
    assert!(!answer.determining[0].start_known);
    assert!(
        answer
            .caveats
            .iter()
            .any(|cv| cv.kind == CaveatKind::StartUnknown
                && cv.message.contains("council vote of that day"))
    );
    let err = corpus(&rule(
        "no-reason",
        LA,
        "prohibited",
        "effective = { not_before = 2024-12-04 }",
    ))
    .unwrap_err();
    assert!(err.to_string().contains("needs a `reason`"), "{err}");
}

#[test]
fn rules_check_refuses_undated_unquoted_unreviewed_rules() {
    let complete = r#"effective = { from = 2019-07-01 }
enacted = { citation = "Ch. 2019-102", date = 2019-06-14 }
quote = "shall not"
reviewed = 2026-12-07"#;
    let c = corpus(
        &[
            rule("complete", CA, "prohibited", complete),
            rule("bare", CA, "prohibited", ""),
            rule(
                "wordy",
                CA,
                "prohibited",
                &complete.replace("\"shall not\"", &format!("\"{}\"", ["word"; 80].join(" "))),
            ),
        ]
        .concat(),
    )
    .unwrap();
    let problems = c.review_problems();
    let of = |id: &str| -> Vec<String> {
        problems
            .iter()
            .filter(|p| p.rule.as_deref() == Some(id))
            .map(|p| p.message.clone())
            .collect()
    };
    assert!(of("complete").is_empty(), "{:?}", of("complete"));
    let bare = of("bare");
    for needle in ["no start date", "`enacted`", "no `quote`", "no review date"] {
        assert!(
            bare.iter().any(|m| m.contains(needle)),
            "{needle}: {bare:?}"
        );
    }
    assert!(
        of("wordy").iter().any(|m| m.contains("80 words")),
        "{:?}",
        of("wordy")
    );
    let report = c.review(remit_law::Date::new(2028, 1, 1).unwrap_or_else(|| panic!("date")));
    assert_eq!(report.totals.rules, 3);
    assert_eq!(report.totals.without_quote, 1);
    assert_eq!(report.totals.without_start, 1);
    assert_eq!(report.totals.never_reviewed, 1);
    assert_eq!(
        report.totals.review_due, 2,
        "reviewed 2026-12-07, more than a year before 2028"
    );
}

#[test]
fn best_efforts_duties_say_so() {
    let c = corpus(&rule(
        "efforts",
        CA,
        "required",
        "extent = \"best_efforts\"",
    ))
    .unwrap();
    let answer = ask(&c, "CA", "2020-01-01", &[]);
    assert_eq!(answer.verdict, Verdict::Must);
    assert!(
        answer.headline.contains("best efforts"),
        "{}",
        answer.headline
    );
    let err = corpus(&rule("bad", CA, "permitted", "extent = \"best_efforts\"")).unwrap_err();
    assert!(err.to_string().contains("only a `required` rule"), "{err}");
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

fn ask_input(corpus: &Corpus, input: QuestionInput) -> remit_law::Answer {
    let question = corpus.question(&input).unwrap_or_else(|e| panic!("{e:?}"));
    corpus.answer(&question)
}

fn input(place: &str, facts: &[&str]) -> QuestionInput {
    QuestionInput {
        place: place.into(),
        date: Some("2026-01-01".into()),
        actor: "sheriff".into(),
        action: "transfer_custody".into(),
        counterparty: Some("ice_ero".into()),
        purpose: None,
        facts: facts.iter().map(|f| f.to_string()).collect(),
    }
}

#[test]
fn unstated_facts_that_change_the_verdict_make_it_depend() {
    // A duty for jails of counties that run one, as Texas SB 8 is written, and a permission
    // otherwise.
    let c = corpus(
        &[
            rule("allowed", US, "permitted", ""),
            rule("duty", CA, "required", "when = \"county_operates_jail\""),
            rule(
                "irrelevant-fact",
                CA,
                "permitted",
                "when = \"victim_or_witness\"",
            ),
        ]
        .concat(),
    )
    .unwrap();
    let answer = ask(&c, "CA", "2026-01-01", &[]);
    assert_eq!(answer.verdict, Verdict::Depends);
    assert_eq!(answer.otherwise, Some(Verdict::May));
    assert_eq!(
        answer.branches.len(),
        1,
        "only facts that change the verdict branch"
    );
    let branch = &answer.branches[0];
    assert_eq!(branch.facts, ["county_operates_jail"]);
    assert_eq!(branch.verdict, Verdict::Must);
    assert_eq!(ids(&branch.determining), ["duty"]);
    assert!(
        answer.headline.contains(
            "must if the sheriff's county operates a jail (Test Code § 1); otherwise may"
        ),
        "{}",
        answer.headline
    );
    // Stated either way, it is settled.
    assert_eq!(
        ask(&c, "CA", "2026-01-01", &["county_operates_jail"]).verdict,
        Verdict::Must
    );
    let settled = ask(&c, "CA", "2026-01-01", &["!county_operates_jail"]);
    assert_eq!(settled.verdict, Verdict::May);
    assert!(settled.branches.is_empty());
    assert_eq!(settled.question.not_facts, ["county_operates_jail"]);
    // Where no rule turns on an unstated fact, nothing depends.
    assert_eq!(ask(&c, "TX", "2026-01-01", &[]).verdict, Verdict::May);
}

#[test]
fn alternative_facts_that_lead_to_the_same_rule_are_one_branch() {
    let c = corpus(
        &[
            rule("ban", CA, "prohibited", ""),
            rule(
                "warrant",
                CA,
                "permitted",
                "when = \"judicial_warrant or judicial_probable_cause\"\nexception_to = \"ban\"",
            ),
        ]
        .concat(),
    )
    .unwrap();
    let answer = ask(&c, "CA", "2026-01-01", &[]);
    assert_eq!(answer.verdict, Verdict::Depends);
    assert_eq!(answer.otherwise, Some(Verdict::MustNot));
    assert_eq!(answer.branches.len(), 1);
    assert_eq!(answer.branches[0].matching, remit_law::depends::Match::Any);
    assert_eq!(
        answer.branches[0].facts,
        ["judicial_warrant", "judicial_probable_cause"]
    );
    // A conjunction needs every fact: one branch assuming both.
    let c = corpus(
        &[
            rule("ban", CA, "prohibited", ""),
            rule(
                "both",
                CA,
                "permitted",
                "when = \"person_in_custody and written_consent_given\"\nexception_to = \"ban\"",
            ),
        ]
        .concat(),
    )
    .unwrap();
    let answer = ask(&c, "CA", "2026-01-01", &[]);
    assert_eq!(answer.branches.len(), 1, "{:?}", answer.branches);
    assert_eq!(answer.branches[0].matching, remit_law::depends::Match::All);
    assert_eq!(answer.branches[0].facts.len(), 2);
    // With one fact stated, the other alone decides.
    let answer = ask(&c, "CA", "2026-01-01", &["person_in_custody"]);
    assert_eq!(answer.branches[0].facts, ["written_consent_given"]);
}

#[test]
fn words_as_people_write_them() {
    let c = corpus(&rule(
        "ban",
        CA,
        "prohibited",
        "when = \"judicial_warrant or county_operates_jail\"",
    ))
    .unwrap();
    let mut question = input("CA", &["Judicial Warrant, county-operates-jail"]);
    question.counterparty = Some("ERO".into());
    question.actor = "Sheriff's Office".into();
    question.action = "Transfer Custody".into();
    question.date = Some("Jan 1 2026".into());
    let answer = ask_input(&c, question);
    assert_eq!(answer.verdict, Verdict::MustNot);
    assert_eq!(answer.question.counterparty, "ice_ero");
    assert_eq!(answer.question.actor, "sheriff");
    assert_eq!(
        answer.question.facts,
        ["judicial_warrant", "county_operates_jail"]
    );
    assert_eq!(answer.question.date, "2026-01-01");
    for (counterparty, word) in [
        ("ICE", "ice"),
        ("HSI", "ice_hsi"),
        ("CBP", "cbp"),
        ("Border Patrol", "border_patrol"),
    ] {
        let mut q = input("CA", &[]);
        q.counterparty = Some(counterparty.into());
        assert_eq!(
            ask_input(&c, q).question.counterparty,
            word,
            "{counterparty}"
        );
    }
    let mut unknown = input("CA", &[]);
    unknown.counterparty = Some("Interpol".into());
    assert!(c.question(&unknown).is_err());
}

#[test]
fn implied_actions_bring_their_rules() {
    // A ban on assisting civil enforcement reaches joining a task force for that purpose.
    let text = rule("no-assist", CA, "prohibited", "").replace(
        "action = \"transfer_custody\"",
        "action = \"assist_civil_immigration_enforcement\"",
    );
    let c = corpus(&text).unwrap();
    let mut q = input("CA", &[]);
    q.action = "join_immigration_task_force".into();
    q.purpose = Some("civil_immigration_enforcement".into());
    let answer = ask_input(&c, q.clone());
    assert_eq!(answer.verdict, Verdict::MustNot);
    assert_eq!(ids(&answer.determining), ["no-assist"]);
    assert_eq!(answer.implied.len(), 1);
    q.purpose = Some("criminal_investigation".into());
    assert_eq!(ask_input(&c, q.clone()).verdict, Verdict::NoRule);
    // A duty to assist is not a duty to do every act that assists.
    let duty = rule("assist-duty", CA, "required", "").replace(
        "action = \"transfer_custody\"",
        "action = \"assist_civil_immigration_enforcement\"",
    );
    let c = corpus(&duty).unwrap();
    q.purpose = Some("civil_immigration_enforcement".into());
    assert_eq!(ask_input(&c, q).verdict, Verdict::NoRule);
}

#[test]
fn dates_after_the_sources_were_read_are_flagged() {
    let c = corpus(&rule("ban", CA, "prohibited", "")).unwrap();
    let before = ask(&c, "CA", "2026-01-01", &[]);
    assert!(
        !before
            .caveats
            .iter()
            .any(|cv| cv.kind == CaveatKind::AfterReview)
    );
    let after = ask(&c, "CA", "2029-06-01", &[]);
    assert!(
        after
            .caveats
            .iter()
            .any(|cv| cv.kind == CaveatKind::AfterReview && cv.message.contains("2026-01-01")),
        "{:?}",
        after.caveats
    );
}

#[test]
fn facts_known_about_a_place_are_assumed_and_cited() {
    let facts = r#"
[[fact]]
place = "ocd-division/country:us/state:ca/county:alpine"
holds = ["county_operates_jail"]
source = { kind = "guidance", citation = "Test jail list", title = "Jails", url = "https://example.org/jails" }
"#;
    let c = Corpus::from_files(vec![
        SourceFile {
            path: "vocabulary.toml".into(),
            text: VOCABULARY.into(),
        },
        SourceFile {
            path: "corpus.toml".into(),
            text: METADATA.into(),
        },
        SourceFile {
            path: "place-facts.toml".into(),
            text: facts.into(),
        },
        SourceFile {
            path: "test/rules.toml".into(),
            text: [
                rule("allowed", US, "permitted", ""),
                rule("duty", CA, "required", "when = \"county_operates_jail\""),
            ]
            .concat(),
        },
    ])
    .unwrap();
    let county = "ocd-division/country:us/state:ca/county:alpine";
    let answer = ask(&c, county, "2026-01-01", &[]);
    assert_eq!(answer.verdict, Verdict::Must, "the county's jail is known");
    assert_eq!(answer.assumed.len(), 1);
    assert_eq!(answer.assumed[0].fact, "county_operates_jail");
    assert_eq!(answer.assumed[0].source.url, "https://example.org/jails");
    // Another county is not known: it depends.
    let other = ask(
        &c,
        "ocd-division/country:us/state:ca/county:inyo",
        "2026-01-01",
        &[],
    );
    assert_eq!(other.verdict, Verdict::Depends);
    assert!(other.assumed.is_empty());
    // A reader who knows better says so.
    let denied = ask(&c, county, "2026-01-01", &["!county_operates_jail"]);
    assert_eq!(denied.verdict, Verdict::May);
    assert!(denied.assumed.is_empty());
    // An unknown fact in the file is refused with its line.
    let err = Corpus::from_files(vec![
        SourceFile {
            path: "vocabulary.toml".into(),
            text: VOCABULARY.into(),
        },
        SourceFile {
            path: "corpus.toml".into(),
            text: METADATA.into(),
        },
        SourceFile {
            path: "place-facts.toml".into(),
            text: facts.replace("county_operates_jail", "county_runs_jail"),
        },
    ])
    .unwrap_err();
    assert!(err.to_string().contains("place-facts.toml:2"), "{err}");
}

#[test]
fn a_law_enjoined_before_it_took_effect_is_named() {
    let c = corpus(&rule(
        "early-block",
        CA,
        "required",
        &format!(
            "effective = {{ from = 2017-09-01 }}\n{}",
            history(&[("2017-08-30", "enjoined")])
        ),
    ))
    .unwrap();
    let answer = ask(&c, "CA", "2017-08-31", &[]);
    assert_eq!(answer.verdict, Verdict::NoRule);
    let caveat = answer
        .caveats
        .iter()
        .find(|cv| cv.rule.as_deref() == Some("early-block"))
        .unwrap_or_else(|| panic!("no caveat: {:?}", answer.caveats));
    assert_eq!(caveat.kind, CaveatKind::NotYetEffective);
    assert!(
        caveat.message.contains("from 2017-09-01"),
        "{}",
        caveat.message
    );
    assert!(
        caveat.message.contains("blocked by a court"),
        "{}",
        caveat.message
    );
}

#[test]
fn a_search_that_found_nothing_is_said_and_counted() {
    let guide = include_str!("../../../corpus/guide.toml");
    let searched = r#"
jurisdiction = "ocd-division/country:us/state:ak"

[[searched]]
families = ["detainers", "status"]
date = 2026-12-07
sources = ["Alaska Statutes (akleg.gov)"]
terms = ["detainer"]
found = "No Alaska law on detainers was found."
"#;
    let files = |searched: &str, rules: String| {
        vec![
            SourceFile {
                path: "vocabulary.toml".into(),
                text: VOCABULARY.into(),
            },
            SourceFile {
                path: "corpus.toml".into(),
                text: METADATA.into(),
            },
            SourceFile {
                path: "guide.toml".into(),
                text: guide.into(),
            },
            SourceFile {
                path: "us-ak/searched.toml".into(),
                text: searched.into(),
            },
            SourceFile {
                path: "test/rules.toml".into(),
                text: rules,
            },
        ]
    };
    let c = Corpus::from_files(files(searched, rule("ca", CA, "prohibited", ""))).unwrap();
    let mut q = input("AK", &[]);
    q.action = "honor_detainer".into();
    let answer = ask_input(&c, q.clone());
    assert_eq!(answer.verdict, Verdict::NoRule);
    assert_eq!(answer.searched.len(), 1);
    assert!(
        answer
            .headline
            .contains("Alaska law (searched 2026-12-07) has none"),
        "{}",
        answer.headline
    );
    // A family not searched stays a plain "no rule".
    let mut other = q.clone();
    other.action = "share_alpr_data".into();
    let answer = ask_input(&c, other);
    assert!(answer.searched.is_empty());
    assert!(
        answer.headline.contains("the corpus has no rule"),
        "{}",
        answer.headline
    );
    // The national table.
    let alaska = c
        .family_coverage()
        .into_iter()
        .find(|s| s.code == "AK")
        .unwrap_or_else(|| panic!("Alaska is listed"));
    let status = |family: &str| {
        alaska
            .families
            .iter()
            .find(|(f, _)| f == family)
            .map(|(_, s)| *s)
    };
    assert_eq!(
        status("detainers"),
        Some(remit_law::searched::FamilyStatus::SearchedNone)
    );
    assert_eq!(
        status("data"),
        Some(remit_law::searched::FamilyStatus::NotYetReviewed)
    );
    // Claiming a family the jurisdiction has rules on is refused.
    let ak_rule = rule("ak", "ocd-division/country:us/state:ak", "prohibited", "").replace(
        "action = \"transfer_custody\"",
        "action = \"honor_detainer\"",
    );
    let err = Corpus::from_files(files(searched, ak_rule)).unwrap_err();
    assert!(
        err.to_string()
            .contains("family `detainers` is recorded as searched"),
        "{err}"
    );
    // An unknown family is refused with its line.
    let err = Corpus::from_files(files(
        &searched.replace("\"status\"", "\"stats\""),
        rule("ca", CA, "prohibited", ""),
    ))
    .unwrap_err();
    assert!(err.to_string().contains("us-ak/searched.toml:4"), "{err}");
}

/// A rule limited to a narrower counterparty (ICE) does not decide a question about any federal
/// immigration authority, but the answer names it as a branch ("must if the agency involved is
/// ICE") instead of leaving it out; asked about ICE or one of its parts, the rule decides.
#[test]
fn a_narrower_counterparty_is_a_branch() {
    let c = corpus(
        &[
            rule("federal", US, "permitted", ""),
            rule("ice-duty", CA, "required", "").replace(
                "counterparty = \"federal_immigration\"",
                "counterparty = \"ice\"",
            ),
            rule("cbp-ban", CA, "prohibited", "").replace(
                "counterparty = \"federal_immigration\"",
                "counterparty = \"cbp\"",
            ),
        ]
        .concat(),
    )
    .unwrap();
    let asked = |counterparty: Option<&str>| {
        let question = c
            .question(&QuestionInput {
                place: "CA".into(),
                date: Some("2020-01-01".into()),
                actor: "sheriff".into(),
                action: "transfer_custody".into(),
                counterparty: counterparty.map(Into::into),
                purpose: None,
                facts: Vec::new(),
            })
            .unwrap_or_else(|e| panic!("{e:?}"));
        c.answer(&question)
    };
    let any = asked(None);
    assert_eq!(any.verdict, Verdict::Depends);
    assert_eq!(any.otherwise, Some(Verdict::May));
    assert_eq!(ids(&any.determining), ["federal"]);
    let by_word: Vec<(Option<&str>, Verdict, Vec<&str>)> = any
        .branches
        .iter()
        .map(|b| {
            (
                b.counterparty_word.as_deref(),
                b.verdict,
                ids(&b.determining),
            )
        })
        .collect();
    assert_eq!(
        by_word,
        [
            (Some("cbp"), Verdict::MustNot, vec!["cbp-ban"]),
            (Some("ice"), Verdict::Must, vec!["ice-duty"]),
        ]
    );
    assert_eq!(any.branches[1].counterparty.as_deref(), Some("ICE"));
    assert_eq!(
        any.branches[1].condition_text(),
        "the agency involved is ICE"
    );
    assert!(
        any.headline.contains("must if the agency involved is ICE"),
        "{}",
        any.headline
    );
    // Asked about ICE, or a part of it, the duty decides and the CBP rule is out of the question.
    for counterparty in ["ice", "ice_ero"] {
        let answer = asked(Some(counterparty));
        assert_eq!(answer.verdict, Verdict::Must, "{counterparty}");
        assert!(answer.branches.is_empty(), "{counterparty}");
    }
    // A counterparty outside the federal tree has no such branch.
    let other = asked(Some("federal_other"));
    assert!(other.branches.iter().all(|b| b.counterparty.is_none()));
}
