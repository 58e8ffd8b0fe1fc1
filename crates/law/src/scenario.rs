//! Scenarios: the corpus's own test suite.
//!
//! Each scenario is a question with the verdict and the determining rules a careful reader of the
//! sources expects. `remit rules test` runs them all; a corpus change that moves an answer shows
//! up as a failing scenario with a readable difference.

use std::collections::HashMap;

use serde::Deserialize;

use crate::corpus::{Corpus, Diagnostic};
use crate::engine::{Question, QuestionInput, Verdict};
use crate::rule::toml_date;
use crate::vocabulary::Vocabulary;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenarioFile {
    #[serde(rename = "scenario", default)]
    pub scenarios: Vec<toml::Spanned<RawScenario>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    /// The question in plain words, as a reader would ask it.
    pub question: String,
    #[serde(rename = "where")]
    pub place: String,
    pub date: toml::value::Datetime,
    pub actor: String,
    pub action: String,
    #[serde(default)]
    pub counterparty: Option<String>,
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(default)]
    pub facts: Vec<String>,
    pub expect: Verdict,
    #[serde(default)]
    pub determining: Vec<String>,
    /// Rules that must be among the defeated ones.
    #[serde(default)]
    pub defeated: Vec<String>,
    /// Rules that must be named in a caveat.
    #[serde(default)]
    pub caveats: Vec<String>,
}

/// A compiled scenario.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Scenario {
    /// The question in plain words, as a reader would ask it.
    pub question_text: String,
    /// The scenario file, relative to the corpus root.
    pub file: String,
    /// The scenario's line in that file, counted from 1.
    pub line: usize,
    /// The question as written in the file.
    pub input: QuestionInput,
    #[serde(skip)]
    pub(crate) question: Question,
    /// The verdict expected; for any verdict but `depends`, compared with the answer when no
    /// unstated fact holds.
    pub expect: Verdict,
    /// The ids of the rules expected to set the verdict, exactly.
    pub determining: Vec<String>,
    /// Ids of rules that must be among the defeated ones.
    pub defeated: Vec<String>,
    /// Ids of rules that must be named in a caveat.
    pub caveats: Vec<String>,
}

/// The result of running one scenario.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ScenarioOutcome {
    /// The question in plain words.
    pub question: String,
    /// The scenario file, relative to the corpus root.
    pub file: String,
    /// The scenario's line in that file, counted from 1.
    pub line: usize,
    /// Whether the answer matched every expectation.
    pub passed: bool,
    /// The verdict the scenario expects.
    pub expected_verdict: Verdict,
    /// The verdict the corpus gave.
    pub actual_verdict: Verdict,
    /// The ids of the rules expected to set the verdict, sorted.
    pub expected_determining: Vec<String>,
    /// The ids of the rules that did set it, sorted.
    pub actual_determining: Vec<String>,
    /// Human-readable differences, empty when the scenario passed.
    pub differences: Vec<String>,
}

impl Scenario {
    pub(crate) fn compile(
        raw: RawScenario,
        file: &str,
        line: usize,
        vocabulary: &Vocabulary,
        rule_ids: &HashMap<String, usize>,
        places: &HashMap<crate::Jurisdiction, Vec<crate::Jurisdiction>>,
        place_facts: &[crate::places::PlaceFact],
    ) -> Result<Scenario, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut problem = |message: String, help: Option<String>| {
            problems.push(Diagnostic {
                file: file.to_string(),
                line: Some(line),
                rule: None,
                message: format!("scenario \"{}\": {message}", raw.question),
                help,
            });
        };
        let date = match toml_date(&raw.date) {
            Ok(d) => Some(d),
            Err(message) => {
                problem(format!("`date`: {message}"), None);
                None
            }
        };
        for id in raw
            .determining
            .iter()
            .chain(&raw.defeated)
            .chain(&raw.caveats)
        {
            if !rule_ids.contains_key(id) {
                problem(
                    format!("names rule `{id}`, which is not in the corpus"),
                    None,
                );
            }
        }
        let input = QuestionInput {
            place: raw.place,
            date: date.map(|d| d.to_string()),
            actor: raw.actor,
            action: raw.action,
            counterparty: raw.counterparty,
            purpose: raw.purpose,
            facts: raw.facts,
        };
        let question = match Question::from_input(&input, vocabulary, date) {
            Ok(mut q) => {
                q.within = crate::corpus::containing(places, &q.place);
                q.assumed = crate::places::apply(place_facts, &mut q);
                Some(q)
            }
            Err(errors) => {
                for e in errors {
                    problem(e.to_string(), e.help());
                }
                None
            }
        };
        match (question, problems.is_empty()) {
            (Some(question), true) => Ok(Scenario {
                question_text: raw.question,
                file: file.to_string(),
                line,
                input,
                question,
                expect: raw.expect,
                determining: raw.determining,
                defeated: raw.defeated,
                caveats: raw.caveats,
            }),
            _ => Err(problems),
        }
    }
}

impl Corpus {
    /// Runs one scenario.
    pub fn run_scenario(&self, scenario: &Scenario) -> ScenarioOutcome {
        let answer = self.answer(&scenario.question);
        let mut actual: Vec<String> = answer.determining.iter().map(|c| c.id.clone()).collect();
        actual.sort();
        let mut expected = scenario.determining.clone();
        expected.sort();
        let mut differences = Vec::new();
        // `expect = "depends"` tests the headline; any other verdict tests the answer when no
        // unstated fact holds (the `otherwise` of a `depends`).
        let actual_verdict = if scenario.expect == Verdict::Depends {
            answer.verdict
        } else {
            answer.otherwise.unwrap_or(answer.verdict)
        };
        if actual_verdict != scenario.expect {
            differences.push(format!(
                "verdict: expected `{}`, got `{}`",
                scenario.expect.name(),
                actual_verdict.name()
            ));
        }
        for id in expected.iter().filter(|id| !actual.contains(id)) {
            differences.push(format!(
                "determining: expected `{id}`, which did not determine the answer"
            ));
        }
        for id in actual.iter().filter(|id| !expected.contains(id)) {
            differences.push(format!(
                "determining: `{id}` determined the answer but was not expected"
            ));
        }
        for id in &scenario.defeated {
            if !answer.defeated.iter().any(|d| &d.id == id) {
                differences.push(format!("defeated: expected `{id}` to be defeated"));
            }
        }
        for id in &scenario.caveats {
            if !answer
                .caveats
                .iter()
                .any(|c| c.rule.as_deref() == Some(id.as_str()))
            {
                differences.push(format!("caveats: expected a caveat about `{id}`"));
            }
        }
        ScenarioOutcome {
            question: scenario.question_text.clone(),
            file: scenario.file.clone(),
            line: scenario.line,
            passed: differences.is_empty(),
            expected_verdict: scenario.expect,
            actual_verdict,
            expected_determining: expected,
            actual_determining: actual,
            differences,
        }
    }

    /// Runs every scenario, in file order.
    pub fn run_scenarios(&self) -> Vec<ScenarioOutcome> {
        self.scenarios
            .iter()
            .map(|s| self.run_scenario(s))
            .collect()
    }
}
