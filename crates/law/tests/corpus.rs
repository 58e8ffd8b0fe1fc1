//! The built-in corpus loads cleanly and every scenario in it passes.

#![expect(clippy::panic, reason = "test helpers stop the test on a bad setup")]

use remit_law::Corpus;

#[test]
fn embedded_corpus_loads() {
    if let Err(e) = Corpus::embedded() {
        panic!("{e}");
    }
}

#[test]
fn every_scenario_passes() {
    let corpus = Corpus::embedded().unwrap_or_else(|e| panic!("{e}"));
    let outcomes = corpus.run_scenarios();
    let failures: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| {
            format!(
                "{}:{}: {}\n    {}",
                o.file,
                o.line,
                o.question,
                o.differences.join("\n    ")
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failures.len(),
        outcomes.len(),
        failures.join("\n")
    );
}

fn ask(corpus: &Corpus, place: &str, date: &str, action: &str) -> remit_law::Answer {
    let question = corpus
        .question(&remit_law::QuestionInput {
            place: place.into(),
            date: Some(date.into()),
            actor: "sheriff".into(),
            action: action.into(),
            counterparty: Some("ice".into()),
            purpose: None,
            facts: Vec::new(),
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
    corpus.answer(&question)
}

#[test]
fn doj_listing_shows_with_answers_for_listed_places_only() {
    let corpus = Corpus::embedded().unwrap_or_else(|e| panic!("{e}"));
    let la = ask(
        &corpus,
        "ocd-division/country:us/state:ca/place:los_angeles",
        "2026-01-15",
        "honor_detainer",
    );
    assert_eq!(la.listings.len(), 1);
    assert_eq!(
        la.listings[0].names,
        [
            "ocd-division/country:us/state:ca",
            "ocd-division/country:us/state:ca/place:los_angeles"
        ]
    );
    // Before publication the listing did not exist.
    assert!(
        ask(
            &corpus,
            "ocd-division/country:us/state:ca/place:los_angeles",
            "2025-08-04",
            "honor_detainer"
        )
        .listings
        .is_empty()
    );
    // Texas is not listed; Baltimore County is, with its objection noted.
    assert!(
        ask(&corpus, "TX", "2026-01-15", "honor_detainer")
            .listings
            .is_empty()
    );
    let baltimore = ask(
        &corpus,
        "ocd-division/country:us/state:md/county:baltimore",
        "2026-01-15",
        "honor_detainer",
    );
    assert_eq!(baltimore.listings[0].entry_notes.len(), 1);
    assert!(baltimore.listings[0].entry_notes[0].contains("error"));
}

#[test]
fn program_figures_show_for_287g_questions_dated_after_them() {
    let corpus = Corpus::embedded().unwrap_or_else(|e| panic!("{e}"));
    let answer = ask(&corpus, "FL", "2026-03-01", "enter_287g_agreement");
    let ids: Vec<_> = answer.figures.iter().map(|f| f.id.as_str()).collect();
    assert!(ids.contains(&"us/287g-agreements-2026-02-13"), "{ids:?}");
    let earlier = ask(&corpus, "FL", "2025-06-01", "enter_287g_agreement");
    assert!(
        earlier
            .figures
            .iter()
            .all(|f| f.date.to_string().as_str() <= "2025-06-01")
    );
    assert!(
        ask(&corpus, "FL", "2026-03-01", "honor_detainer")
            .figures
            .is_empty()
    );
}
