//! The law's answer for one agency: the engine asked about `enter_287g_agreement` with ICE as the
//! counterparty, for the agency's actor and division, on a date, with the place's known facts
//! and, where the registry shows a signed agreement, `agreement_signed`.
//!
//! Answers are remembered per (division, actor, signed, period of the law): two dates between
//! the same changes of the corpus (a rule starting or ending, a court order, an amendment, a
//! fact about a place starting or ending) get the same answer, so a check over every date of the
//! registry's history asks the engine a few thousand times, not millions.

use std::collections::{BTreeSet, HashMap};

use remit_law::{Corpus, Date, Jurisdiction, QuestionInput, Rule, Verdict};
use serde::Serialize;

/// The action every question is about.
pub const ACTION: &str = "enter_287g_agreement";
/// The counterparty every question is about.
pub const COUNTERPARTY: &str = "ice";

/// A rule as a finding cites it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RuleRef {
    /// The rule's id in the corpus.
    pub id: String,
    /// Its source's citation (`Tex. Code Crim. Proc. art. 2.251`).
    pub citation: String,
    /// Its source's title.
    pub title: String,
    /// Where its source can be read.
    pub url: String,
    /// What the rule says, in one sentence.
    pub summary: String,
    /// `required` or `prohibited`.
    pub modality: String,
    /// The first day it is applied (`start_known` false: the earliest day it can have been in
    /// force).
    pub in_force_from: Option<String>,
    /// Whether the first day is known from the rule's sources.
    pub start_known: bool,
    /// The last day it is applied, when it ended.
    pub in_force_until: Option<String>,
    /// The day compliance is due, when the rule's own text names one ("compliance is due by
    /// Dec 1 2026").
    pub deadline: Option<String>,
    /// `primary`, `secondary` or `unverified`.
    pub provenance: String,
}

/// One branch of a `depends` answer.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Unknown {
    /// The facts Remit does not know for the agency (vocabulary words).
    pub facts: Vec<String>,
    /// The same as a sentence states them.
    pub condition: String,
    /// The verdict if they hold.
    pub verdict: Verdict,
    /// The rules that give that verdict.
    pub rules: Vec<RuleRef>,
}

/// The law's answer for one agency on one date.
#[derive(Clone, Debug, Default)]
pub(crate) struct Outcome {
    /// With unknown facts taken as not holding (the `otherwise` of a `depends` answer).
    pub verdict: Option<Verdict>,
    pub rules: Vec<RuleRef>,
    /// Empty unless the answer depends on a fact Remit does not know.
    pub unknowns: Vec<Unknown>,
    /// Why the engine could not be asked (a division it does not read).
    pub error: Option<String>,
}

/// The deadline a rule's own words give: `compliance is due by Dec 1 2026`.
pub(crate) fn deadline_of(rule: &Rule) -> Option<Date> {
    let texts = [Some(rule.summary.as_str()), rule.note.as_deref()];
    for text in texts.into_iter().flatten() {
        let lower = text.to_lowercase();
        let Some(at) = lower.find("due by ") else {
            continue;
        };
        let rest = &text[at + "due by ".len()..];
        let end = rest.find([',', ';', '.', '(', ')']).unwrap_or(rest.len());
        if let Ok(date) = Date::parse_loose(rest[..end].trim(), None) {
            return Some(date);
        }
    }
    None
}

pub(crate) fn rule_ref(rule: &Rule, date: Date) -> RuleRef {
    let source = rule.source_on(date);
    RuleRef {
        id: rule.id.clone(),
        citation: source.citation.clone(),
        title: source.title.clone(),
        url: source.url.clone(),
        summary: rule.summary_on(date).to_string(),
        modality: format!("{:?}", rule.modality_on(date)).to_lowercase(),
        in_force_from: rule.start().map(|d| d.to_string()),
        start_known: rule.effective_from.is_some(),
        in_force_until: rule.effective_until.map(|d| d.to_string()),
        deadline: deadline_of(rule).map(|d| d.to_string()),
        provenance: format!("{:?}", rule.provenance).to_lowercase(),
    }
}

/// The engine, with answers remembered.
pub(crate) struct Law<'a> {
    corpus: &'a Corpus,
    /// Every day on which some rule or fact about a place starts, ends or changes.
    changes: Vec<Date>,
    /// Divisions below a state that the corpus names (rules, facts about places).
    local: Vec<Jurisdiction>,
    divisions: HashMap<String, usize>,
    division_names: Vec<String>,
    memo: HashMap<(usize, &'static str, bool, usize), Outcome>,
}

impl<'a> Law<'a> {
    pub fn new(corpus: &'a Corpus) -> Law<'a> {
        let mut changes = BTreeSet::new();
        let mut local = BTreeSet::new();
        for rule in corpus.rules() {
            changes.extend(rule.start());
            changes.extend(
                rule.effective_until
                    .map(|d| Date::from_days_since_epoch(d.days_since_epoch() + 1)),
            );
            changes.extend(rule.history.iter().map(|e| e.date));
            changes.extend(rule.versions.iter().map(|v| v.from));
            if rule.jurisdiction.depth() > 2 {
                local.insert(rule.jurisdiction.clone());
            }
        }
        for fact in corpus.place_facts() {
            changes.extend(fact.from);
            changes.extend(
                fact.until
                    .map(|d| Date::from_days_since_epoch(d.days_since_epoch() + 1)),
            );
            if fact.place.depth() > 2 {
                local.insert(fact.place.clone());
            }
        }
        Law {
            corpus,
            changes: changes.into_iter().collect(),
            local: local.into_iter().collect(),
            divisions: HashMap::new(),
            division_names: Vec::new(),
            memo: HashMap::new(),
        }
    }

    /// The days on which the law on anything may change.
    pub fn change_days(&self) -> &[Date] {
        &self.changes
    }

    /// The division an answer is asked for: the agency's own when the corpus says anything
    /// about it or a division containing it below the state, else its state (whose answer is
    /// the same and is shared by every such agency).
    pub fn division_index(&mut self, division: &str) -> usize {
        let asked = match Jurisdiction::parse_ocd(division) {
            Ok(place) => {
                let local = self.local.iter().any(|j| j.contains(&place))
                    || !self.corpus.places_containing(&place).is_empty();
                match place.chain().get(1) {
                    Some(state) if !local => state.to_string(),
                    _ => place.to_string(),
                }
            }
            Err(_) => division.to_string(),
        };
        if let Some(&index) = self.divisions.get(&asked) {
            return index;
        }
        let index = self.division_names.len();
        self.division_names.push(asked.clone());
        self.divisions.insert(asked, index);
        index
    }

    /// The answer for a division (from [`Law::division_index`]) and actor on a date.
    pub fn outcome(
        &mut self,
        division: usize,
        actor: &'static str,
        signed: bool,
        date: Date,
    ) -> &Outcome {
        let period = self.changes.partition_point(|&d| d <= date);
        let key = (division, actor, signed, period);
        if !self.memo.contains_key(&key) {
            let outcome = self.ask(division, actor, signed, date);
            self.memo.insert(key, outcome);
        }
        &self.memo[&key]
    }

    fn ask(&self, division: usize, actor: &'static str, signed: bool, date: Date) -> Outcome {
        let place = self
            .division_names
            .get(division)
            .cloned()
            .unwrap_or_default();
        let input = QuestionInput {
            place,
            date: Some(date.to_string()),
            actor: actor.to_string(),
            action: ACTION.to_string(),
            counterparty: Some(COUNTERPARTY.to_string()),
            purpose: None,
            // What the registry shows is taken as the fact: a signed agreement, or none.
            facts: if signed {
                vec!["agreement_signed".to_string()]
            } else {
                vec!["!agreement_signed".to_string()]
            },
        };
        let question = match self.corpus.question(&input) {
            Ok(q) => q,
            Err(errors) => {
                let words: Vec<String> = errors.iter().map(ToString::to_string).collect();
                return Outcome {
                    error: Some(words.join("; ")),
                    ..Outcome::default()
                };
            }
        };
        let decision = self.corpus.decide(&question);
        let rules = self.corpus.rules();
        let refs = |indices: &[usize]| -> Vec<RuleRef> {
            indices
                .iter()
                .filter_map(|&i| rules.get(i))
                .map(|r| rule_ref(r, date))
                .collect()
        };
        let unknowns = self
            .corpus
            .branches(&question, &decision)
            .into_iter()
            .map(|branch| Unknown {
                condition: branch.condition_text(),
                facts: branch.facts,
                verdict: branch.verdict,
                rules: branch
                    .determining
                    .iter()
                    .filter_map(|c| self.corpus.rule(&c.id))
                    .map(|r| rule_ref(r, date))
                    .collect(),
            })
            .collect();
        Outcome {
            verdict: Some(decision.verdict),
            rules: refs(&decision.determining),
            unknowns,
            error: None,
        }
    }
}
