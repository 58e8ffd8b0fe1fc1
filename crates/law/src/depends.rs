//! Answers with unknowns: when a fact, a purpose or the particular agency that the question
//! leaves unstated would change the verdict, the answer says so in its headline (`depends`) and
//! lists each branch.
//!
//! A question's facts are true (stated), false (stated with `!`) or unknown (not stated). The
//! engine decides with unknown facts taken as not holding; this module then asks, for each
//! unknown that a relevant rule's condition mentions, whether it holding would change the
//! verdict (and likewise for the purposes of purpose-limited rules when the purpose is not
//! stated, and for the narrower counterparties of rules limited to one, such as ICE, when the
//! question names a broader one, such as any federal immigration authority). Only unknowns that change the outcome become branches, in the manner of a residual
//! policy in partial evaluation.

use serde::Serialize;

use crate::answer::{Citation, citation};
use crate::corpus::Corpus;
use crate::engine::{Decision, Question, Verdict, check};
use crate::lang::Lang;
use crate::vocabulary::{CounterpartyId, FactId, PurposeId};

/// At most this many branches are listed; the rest are counted in the answer's caveats.
pub const MAX_BRANCHES: usize = 6;

/// One way the answer goes when an unstated fact or purpose holds.
#[derive(Clone, Debug, Serialize)]
pub struct Branch {
    /// The facts this branch assumes hold (vocabulary words).
    pub facts: Vec<String>,
    /// The same, as conditions a sentence can state.
    pub conditions: Vec<String>,
    /// `all` when every fact must hold, `any` when one is enough (several facts that each lead
    /// to the same verdict through the same rules).
    #[serde(rename = "match")]
    pub matching: Match,
    /// The purpose this branch assumes, when it turns on the purpose (its phrase, in `lang`).
    pub purpose: Option<String>,
    /// The same purpose as a vocabulary word, for asking again (`--purpose`, `?purpose=`).
    #[serde(skip)]
    pub purpose_word: Option<String>,
    /// The narrower counterparty this branch assumes, when it turns on which agency is involved
    /// (its phrase, in `lang`: `ICE`).
    pub counterparty: Option<String>,
    /// The same counterparty as a vocabulary word, for asking again (`--counterparty`).
    #[serde(skip)]
    pub counterparty_word: Option<String>,
    /// The verdict when the branch's facts or purpose hold.
    pub verdict: Verdict,
    /// The rules that set the verdict in this branch.
    pub determining: Vec<Citation>,
    /// The language of `conditions`, `purpose` and the texts built from them.
    #[serde(skip)]
    pub lang: Lang,
}

/// How a branch's facts combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// Every fact must hold.
    All,
    /// Any one of the facts is enough.
    Any,
}

impl Branch {
    /// `the county operates a jail` / `the purpose is civil immigration enforcement` / `one of
    /// these holds: ...; ...`.
    pub fn condition_text(&self) -> String {
        let es = self.lang == Lang::Es;
        let mut parts = self.conditions.clone();
        if let Some(counterparty) = &self.counterparty {
            parts.push(if es {
                format!("la agencia implicada es {counterparty}")
            } else {
                format!("the agency involved is {counterparty}")
            });
        }
        if let Some(purpose) = &self.purpose {
            parts.push(if es {
                format!("el fin es {purpose}")
            } else {
                format!("the purpose is {purpose}")
            });
        }
        match (self.matching, es) {
            (Match::Any, false) if parts.len() > 1 => {
                format!("one of these holds: {}", parts.join("; "))
            }
            (Match::Any, true) if parts.len() > 1 => {
                format!("se cumple una de estas condiciones: {}", parts.join("; "))
            }
            (_, false) => parts.join(" and "),
            (_, true) => parts.join(" y "),
        }
    }

    /// As [`Branch::condition_text`], but a list of more than two alternatives is counted, not
    /// spelled out (for a headline).
    pub fn short_condition_text(&self) -> String {
        match self.matching {
            Match::Any if self.conditions.len() > 2 => match self.lang {
                Lang::En => format!("one of {} facts holds", self.conditions.len()),
                Lang::Es => format!("se cumple uno de {} hechos", self.conditions.len()),
            },
            _ => self.condition_text(),
        }
    }
}

/// A branch already found: its facts, purpose, verdict and determining rules.
struct Seen {
    facts: Vec<FactId>,
    purpose: Option<PurposeId>,
    counterparty: Option<CounterpartyId>,
    verdict: Verdict,
    determining: Vec<usize>,
}

/// Which verdict a reader needs to see first.
fn severity(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::MustNot => 0,
        Verdict::Must => 1,
        Verdict::Conflict => 2,
        Verdict::May => 3,
        Verdict::NoRule => 4,
        Verdict::Depends => 5,
    }
}

impl Corpus {
    /// The branches of a question's answer: empty when no unstated fact or purpose changes it.
    pub fn branches(&self, question: &Question, decision: &Decision) -> Vec<Branch> {
        self.branches_in(question, decision, Lang::En)
    }

    /// [`Corpus::branches`], their conditions in `lang`.
    pub fn branches_in(&self, question: &Question, decision: &Decision, lang: Lang) -> Vec<Branch> {
        let date = question.date;
        // Rules that could apply but for a condition or a purpose.
        let soft = check::CONDITION | check::PURPOSE;
        // Rules that could apply but for a counterparty narrower than the question's (a rule on
        // ICE, asked about any federal immigration authority), with those counterparties.
        let v = &self.vocabulary;
        let mut narrower: Vec<CounterpartyId> = Vec::new();
        for &(i, failed) in &decision.considered {
            if failed & !(soft | check::COUNTERPARTY) != 0
                || failed & check::COUNTERPARTY == 0
                || !self.rules[i].binding
            {
                continue;
            }
            for &cp in &self.rules[i].compiled_on(date).counterparties {
                if cp != question.counterparty
                    && v.counterparty_within(cp, question.counterparty)
                    && !narrower.contains(&cp)
                {
                    narrower.push(cp);
                }
            }
        }
        let relevant: Vec<usize> = decision
            .considered
            .iter()
            .filter(|&&(i, failed)| failed & !soft == 0 && self.rules[i].binding)
            .map(|&(i, _)| i)
            .collect();

        let unknown = |f: FactId| !question.facts.contains(f) && !question.false_facts.contains(f);
        let mut tries: Vec<Vec<FactId>> = Vec::new();
        let push = |set: Vec<FactId>, tries: &mut Vec<Vec<FactId>>| {
            if !set.is_empty() && !tries.contains(&set) {
                tries.push(set);
            }
        };
        for &i in &relevant {
            let Some(when) = self.rules[i].compiled_on(date).when.as_ref() else {
                continue;
            };
            let missing: Vec<FactId> = when.facts().into_iter().filter(|&f| unknown(f)).collect();
            for &f in &missing {
                push(vec![f], &mut tries);
            }
            if missing.len() > 1 {
                // A conjunction needs all its facts: try the rule's unknowns together.
                let mut all = missing;
                all.sort();
                push(all, &mut tries);
            }
        }

        let mut branches: Vec<Branch> = Vec::new();
        let mut seen: Vec<Seen> = Vec::new();
        let mut consider = |facts: Vec<FactId>,
                            purpose: Option<PurposeId>,
                            counterparty: Option<CounterpartyId>,
                            branches: &mut Vec<Branch>| {
            let mut changed = question.clone();
            for &f in &facts {
                changed.facts.insert(f);
            }
            if let Some(p) = purpose {
                changed.purpose = p;
            }
            if let Some(cp) = counterparty {
                changed.counterparty = cp;
            }
            let outcome = self.decide(&changed);
            if outcome.verdict == decision.verdict {
                return;
            }
            let mut determining = outcome.determining.clone();
            determining.sort_unstable();
            // A larger set of facts that leads where a smaller one already does adds nothing.
            if seen.iter().any(|s| {
                s.purpose == purpose
                    && s.counterparty == counterparty
                    && s.verdict == outcome.verdict
                    && s.determining == determining
                    && s.facts.iter().all(|x| facts.contains(x))
            }) {
                return;
            }
            seen.push(Seen {
                facts: facts.clone(),
                purpose,
                counterparty,
                verdict: outcome.verdict,
                determining,
            });
            branches.push(Branch {
                facts: facts.iter().map(|&f| v.fact_name(f).to_string()).collect(),
                conditions: facts
                    .iter()
                    .map(|&f| v.fact_condition_in(f, lang))
                    .collect(),
                matching: Match::All,
                purpose: purpose.map(|p| v.purpose_phrase_in(p, lang).to_string()),
                purpose_word: purpose.map(|p| v.purpose_name(p).to_string()),
                counterparty: counterparty.map(|cp| v.counterparty_phrase_in(cp, lang).to_string()),
                counterparty_word: counterparty.map(|cp| v.counterparty_name(cp).to_string()),
                verdict: outcome.verdict,
                determining: outcome
                    .determining
                    .iter()
                    .map(|&i| citation(&self.rules[i], date))
                    .collect(),
                lang,
            });
        };
        tries.sort_by_key(Vec::len);
        for facts in tries {
            consider(facts, None, None, &mut branches);
        }
        if self.vocabulary.purpose_name(question.purpose) == "unspecified" {
            let mut purposes: Vec<PurposeId> = Vec::new();
            for &i in &relevant {
                for &p in &self.rules[i].compiled_on(date).purposes {
                    if !purposes.contains(&p) {
                        purposes.push(p);
                    }
                }
            }
            for purpose in purposes {
                consider(Vec::new(), Some(purpose), None, &mut branches);
            }
        }
        for counterparty in narrower {
            consider(Vec::new(), None, Some(counterparty), &mut branches);
        }
        // Single facts that each lead to the same verdict through the same rules are one branch.
        let mut merged: Vec<Branch> = Vec::new();
        for branch in branches {
            let ids = |b: &Branch| -> Vec<String> {
                let mut ids: Vec<String> = b.determining.iter().map(|c| c.id.clone()).collect();
                ids.sort();
                ids
            };
            let single = branch.facts.len() == 1
                && branch.purpose.is_none()
                && branch.counterparty.is_none();
            match merged.iter_mut().find(|m| {
                single
                    && m.purpose.is_none()
                    && m.counterparty.is_none()
                    && m.verdict == branch.verdict
                    && ids(m) == ids(&branch)
                    && (m.matching == Match::Any || m.facts.len() == 1)
            }) {
                Some(m) => {
                    m.matching = Match::Any;
                    m.facts.extend(branch.facts);
                    m.conditions.extend(branch.conditions);
                }
                None => merged.push(branch),
            }
        }
        merged.sort_by_key(|b| (severity(b.verdict), b.facts.len()));
        merged.truncate(MAX_BRANCHES);
        merged
    }
}
