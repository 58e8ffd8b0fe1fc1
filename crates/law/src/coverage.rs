//! What the corpus speaks to: a jurisdiction x action matrix, and the list of cited sources.
//!
//! Gaps in the law as encoded should be visible at a glance, not discovered by a user whose
//! question comes back `no_rule`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::corpus::Corpus;
use crate::date::Date;
use crate::engine::{Question, Verdict};
use crate::jurisdiction::Jurisdiction;
use crate::rule::{Provenance, SourceKind};
use crate::vocabulary::FactSet;

/// The actor a coverage cell asks about: the one the action most concerns.
pub fn default_actor(action: &str) -> &'static str {
    match action {
        "honor_detainer"
        | "notify_release"
        | "transfer_custody"
        | "allow_custody_interview"
        | "provide_facility_space"
        | "contract_immigration_detention" => "jail",
        "enter_287g_agreement" => "sheriff",
        "adopt_policy_limiting_cooperation" | "report_cooperation_requests" => "local_government",
        _ => "local_police",
    }
}

/// One cell: what the corpus says for the default question at this place.
#[derive(Clone, Debug, Serialize)]
pub struct CoverageCell {
    /// The action, as its vocabulary name.
    pub action: String,
    /// The actor of the default question for this action (e.g. `jail` for `honor_detainer`).
    pub actor: &'static str,
    /// Rules of exactly this jurisdiction that name the action.
    pub rules_here: usize,
    /// The verdict for the default question (actor above, counterparty `federal_immigration`,
    /// purpose `unspecified`, no facts) at this place, counting every level above it.
    pub verdict: Verdict,
}

/// One jurisdiction's row.
#[derive(Clone, Debug, Serialize)]
pub struct CoverageRow {
    /// The jurisdiction's OCD id.
    pub jurisdiction: String,
    /// The jurisdiction's name for people.
    pub label: String,
    /// How many rules belong to exactly this jurisdiction.
    pub rules: usize,
    /// One cell per action, in the order of [`Coverage::actions`].
    pub cells: Vec<CoverageCell>,
}

/// The whole matrix.
#[derive(Clone, Debug, Serialize)]
pub struct Coverage {
    /// The date the verdicts are for.
    pub date: Date,
    /// The version of the corpus that answered.
    pub corpus_version: String,
    /// Every action of the vocabulary, by name: the matrix's columns.
    pub actions: Vec<String>,
    /// One row per jurisdiction that has rules.
    pub rows: Vec<CoverageRow>,
    /// The question families (id, title), in order.
    pub families: Vec<(String, String)>,
    /// Every state, DC and territory by family: encoded, searched-none or not yet reviewed.
    pub states: Vec<crate::searched::StateCoverage>,
}

/// A cited source and the rules that cite it.
#[derive(Clone, Debug, Serialize)]
pub struct SourceEntry {
    /// The source's formal citation.
    pub citation: String,
    /// The title of the act or document.
    pub title: String,
    /// Where a reader can check the text.
    pub url: String,
    /// What kind of document the source is.
    pub kind: SourceKind,
    /// The weakest provenance among the rules citing it.
    pub provenance: Provenance,
    /// The ids of the rules citing it.
    pub rules: Vec<String>,
}

impl Corpus {
    /// Every jurisdiction that has rules, in id order.
    pub fn jurisdictions(&self) -> Vec<Jurisdiction> {
        let mut list: Vec<Jurisdiction> =
            self.rules.iter().map(|r| r.jurisdiction.clone()).collect();
        list.sort();
        list.dedup();
        list
    }

    /// The jurisdiction x action matrix on a date.
    pub fn coverage(&self, date: Date) -> Coverage {
        let v = &self.vocabulary;
        let actions: Vec<String> = v.actions().iter().map(|a| a.name.clone()).collect();
        let mut rows = Vec::new();
        for jurisdiction in self.jurisdictions() {
            let here: Vec<_> = self
                .rules
                .iter()
                .filter(|r| r.jurisdiction == jurisdiction)
                .collect();
            let mut cells = Vec::new();
            for action in &actions {
                let actor = default_actor(action);
                let rules_here = here
                    .iter()
                    .filter(|r| r.actions.iter().any(|a| a == action))
                    .count();
                let verdict = match (
                    v.actor(actor),
                    v.action(action),
                    v.counterparty("federal_immigration"),
                    v.purpose("unspecified"),
                ) {
                    (Ok(actor), Ok(action), Ok(counterparty), Ok(purpose)) => {
                        let question = Question {
                            within: self.places_containing(&jurisdiction),
                            place: jurisdiction.clone(),
                            date,
                            actor,
                            action,
                            counterparty,
                            purpose,
                            facts: FactSet::default(),
                            fact_names: Vec::new(),
                            false_facts: FactSet::default(),
                            false_fact_names: Vec::new(),
                            assumed: Vec::new(),
                        };
                        self.decide(&question).verdict
                    }
                    _ => Verdict::NoRule,
                };
                cells.push(CoverageCell {
                    action: action.clone(),
                    actor,
                    rules_here,
                    verdict,
                });
            }
            rows.push(CoverageRow {
                label: jurisdiction.label(),
                jurisdiction: jurisdiction.to_string(),
                rules: here.len(),
                cells,
            });
        }
        Coverage {
            date,
            corpus_version: self.version.clone(),
            families: self.families(),
            states: self.family_coverage(),
            actions,
            rows,
        }
    }

    /// Every cited source, with the rules that cite it, ordered by citation.
    pub fn sources(&self) -> Vec<SourceEntry> {
        let mut map: BTreeMap<(String, String), SourceEntry> = BTreeMap::new();
        for rule in &self.rules {
            for source in rule.citations() {
                let entry = map
                    .entry((source.citation.clone(), source.url.clone()))
                    .or_insert_with(|| SourceEntry {
                        citation: source.citation.clone(),
                        title: source.title.clone(),
                        url: source.url.clone(),
                        kind: source.kind,
                        provenance: rule.provenance,
                        rules: Vec::new(),
                    });
                entry.provenance = weakest(entry.provenance, rule.provenance);
                entry.rules.push(rule.id.clone());
            }
        }
        map.into_values().collect()
    }
}

fn weakest(a: Provenance, b: Provenance) -> Provenance {
    let rank = |p| match p {
        Provenance::Primary => 0,
        Provenance::Secondary => 1,
        Provenance::Unverified => 2,
    };
    if rank(b) > rank(a) { b } else { a }
}
