//! The built-in corpus loads cleanly and every scenario in it passes.

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
