//! Step 5: the explanation. Turns a [`Decision`] into an [`Answer`] that names every reason:
//! determining rules with citations, defeated rules and why, caveats, context, and a trace of
//! every rule considered.

use serde::Serialize;

use crate::context::{Figure, ListingMatch};
use crate::corpus::Corpus;
use crate::engine::{Decision, Defeat, Question, Verdict, check};
use crate::rule::{
    Enacted, Extent, Modality, Provenance, Rule, Source, SourceKind, Status, StatusEvent,
};
use crate::vocabulary::{COUNTERPARTY_SLOT, Vocabulary};

/// Shown with every answer.
pub const DISCLAIMER: &str = "Remit describes the law as encoded from the cited sources. It is not legal advice: laws change, courts differ, and facts matter. Read the sources and ask a lawyer about a specific situation.";

/// A rule as cited in an answer.
#[derive(Clone, Debug, Serialize)]
pub struct Citation {
    pub id: String,
    pub citation: String,
    pub title: String,
    pub url: String,
    pub kind: SourceKind,
    pub provenance: Provenance,
    pub status: Status,
    pub jurisdiction: String,
    pub modality: Modality,
    pub summary: String,
    /// Further sources for the same provision (an interpreting bulletin, a secondary summary).
    pub also_cites: Vec<Source>,
    /// The operative words of the text applied, verbatim.
    pub quote: Option<String>,
    /// The act or order that made the text applied (for an amended provision, the amendment).
    pub enacted: Option<Enacted>,
    /// The first day the rule was in force (or could have been, see `start_known`).
    pub effective_from: Option<String>,
    /// False when the start date is unknown and `effective_from` is the earliest possible day.
    pub start_known: bool,
    pub effective_until: Option<String>,
    /// For an amended provision: which version applies on the date asked.
    pub version: Option<VersionEcho>,
    /// The court order or other status change in effect on the date asked, if any.
    pub status_event: Option<StatusEvent>,
    /// `best_efforts` when the duty is one of best efforts.
    pub extent: Option<Extent>,
    /// When the rule was last read against its source.
    pub reviewed: Option<String>,
}

/// Which text of an amended provision an answer applies.
#[derive(Clone, Debug, Serialize)]
pub struct VersionEcho {
    /// 1 for the original text.
    pub number: usize,
    pub of: usize,
    pub from: String,
    /// The act that made this text (the original act for version 1).
    pub enacted: Option<String>,
}

/// A rule that applied but lost.
#[derive(Clone, Debug, Serialize)]
pub struct Defeated {
    pub id: String,
    pub citation: String,
    pub url: String,
    pub modality: Modality,
    /// The rule that defeated it.
    pub by: String,
    pub reason: String,
}

/// Why an answer deserves care.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaveatKind {
    /// A determining rule is under legal challenge.
    Contested,
    /// A determining rule rests on an unconfirmed source.
    Unverified,
    /// A rule would apply but a court has blocked it.
    Enjoined,
    /// A rule would apply but has been repealed.
    Repealed,
    /// A determining rule's start date is unknown: it is applied from the earliest possible day.
    StartUnknown,
    /// A rule would apply but is not in force yet on the date asked.
    NotYetEffective,
    /// A rule would apply but was no longer in force on the date asked.
    NoLongerEffective,
    /// The answer changes if a fact not stated holds.
    Condition,
    /// The answer changes for another purpose.
    Purpose,
    /// The verdict is a conflict between levels or rules.
    Conflict,
    /// A rule here on the same act binds another actor (e.g. city police, not the sheriff).
    OtherActor,
    /// The date asked is after the day the corpus's sources were read through.
    AfterReview,
}

/// One caveat.
#[derive(Clone, Debug, Serialize)]
pub struct Caveat {
    pub kind: CaveatKind,
    pub rule: Option<String>,
    pub citation: Option<String>,
    pub message: String,
}

/// One line of the trace: a rule considered and what became of it.
#[derive(Clone, Debug, Serialize)]
pub struct TraceEntry {
    pub rule: String,
    pub jurisdiction: String,
    pub modality: Modality,
    /// `determining`, `concurring`, `defeated`, `context` or `not_applicable`.
    pub outcome: &'static str,
    pub reasons: Vec<String>,
}

/// The question, echoed in full words.
#[derive(Clone, Debug, Serialize)]
pub struct QuestionEcho {
    #[serde(rename = "where")]
    pub place: String,
    pub place_label: String,
    /// The place and every division containing it, country first.
    pub chain: Vec<String>,
    /// Divisions containing the place outside its OCD chain (the county a city lies in).
    pub within: Vec<String>,
    pub date: String,
    pub actor: String,
    pub action: String,
    pub counterparty: String,
    pub purpose: String,
    pub facts: Vec<String>,
    /// Facts stated not to hold.
    pub not_facts: Vec<String>,
}

/// A full answer.
#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    pub question: QuestionEcho,
    /// `depends` when an unstated fact or purpose would change the verdict (see `branches`).
    pub verdict: Verdict,
    /// With `depends`: the verdict when none of the branches' facts or purposes holds. The
    /// determining rules, defeated rules and caveats below are those of this verdict.
    pub otherwise: Option<Verdict>,
    /// With `depends`: each fact or purpose that would change the verdict, and the verdict then.
    pub branches: Vec<crate::depends::Branch>,
    /// Broader actions the question's action implies (their rules were applied too).
    pub implied: Vec<String>,
    /// Facts known about the place that the answer took as holding, with their sources.
    pub assumed: Vec<crate::places::Assumed>,
    /// When no rule decides: the divisions whose law was searched on this question's family and
    /// found silent, with where and when.
    pub searched: Vec<crate::searched::SearchedNote>,
    /// One sentence stating the verdict.
    pub headline: String,
    pub determining: Vec<Citation>,
    /// Surviving rules that agree with the verdict without setting it (a permission beside a duty).
    pub concurring: Vec<Citation>,
    pub defeated: Vec<Defeated>,
    pub caveats: Vec<Caveat>,
    /// Non-binding material that applies (guidance, case law notes).
    pub context: Vec<Citation>,
    /// Government listings naming the place or a division containing it (not rules).
    pub listings: Vec<ListingMatch>,
    /// Dated figures on the action, from sources, dated on or before the question (not rules).
    pub figures: Vec<Figure>,
    pub trace: Vec<TraceEntry>,
    pub corpus_version: String,
    pub disclaimer: &'static str,
}

pub(crate) fn citation(rule: &Rule, date: crate::date::Date) -> Citation {
    let version = rule.version_on(date);
    let source = rule.source_on(date);
    Citation {
        id: rule.id.clone(),
        citation: source.citation.clone(),
        title: source.title.clone(),
        url: source.url.clone(),
        kind: source.kind,
        provenance: rule.provenance,
        status: rule.status_on(date),
        jurisdiction: rule.jurisdiction.to_string(),
        modality: rule.modality_on(date),
        summary: rule.summary_on(date).to_string(),
        also_cites: version.map_or(&rule.also_cites, |v| &v.also_cites).clone(),
        quote: version.map_or(&rule.quote, |v| &v.quote).clone(),
        enacted: version.map_or(&rule.enacted, |v| &v.enacted).clone(),
        effective_from: rule.start().map(|d| d.to_string()),
        start_known: rule.effective_from.is_some(),
        effective_until: rule.effective_until.map(|d| d.to_string()),
        version: version.and_then(|v| {
            let number = rule.versions.iter().position(|x| std::ptr::eq(x, v))? + 1;
            Some(VersionEcho {
                number,
                of: rule.versions.len(),
                from: v.from.to_string(),
                enacted: v.enacted.as_ref().map(|e| e.citation.clone()),
            })
        }),
        status_event: rule.status_event_on(date).cloned(),
        extent: version.map_or(rule.extent, |v| v.extent),
        reviewed: rule.reviewed.map(|d| d.to_string()),
    }
}

fn modality_word(modality: Modality) -> &'static str {
    match modality {
        Modality::Prohibited => "prohibits",
        Modality::Required => "requires",
        Modality::Permitted => "permits",
    }
}

impl Corpus {
    /// Answers a question in full: decision plus explanation.
    pub fn answer(&self, question: &Question) -> Answer {
        let decision = self.decide(question);
        self.explain(question, &decision)
    }

    /// Step 5.
    pub fn explain(&self, question: &Question, decision: &Decision) -> Answer {
        let v = &self.vocabulary;
        let rule = |i: usize| &self.rules[i];
        let date = question.date;
        let determining: Vec<Citation> = decision
            .determining
            .iter()
            .map(|&i| citation(rule(i), date))
            .collect();
        let concurring: Vec<Citation> = decision
            .concurring
            .iter()
            .map(|&i| citation(rule(i), date))
            .collect();
        let context: Vec<Citation> = decision
            .context
            .iter()
            .map(|&i| citation(rule(i), date))
            .collect();

        let defeated: Vec<Defeated> = decision
            .defeated
            .iter()
            .map(|&(i, defeat)| {
                let (by, reason) = match defeat {
                    Defeat::Exception { by } => (by, format!("`{}` is an exception to it and applies", rule(by).id)),
                    Defeat::Preempted { by } => (by, format!("preempted by `{}` ({}), a higher level that overrides conflicting lower rules", rule(by).id, rule(by).source_on(date).citation)),
                    Defeat::HigherProhibits { by } => (by, format!("a lower-level permission cannot authorise what `{}` ({}) prohibits", rule(by).id, rule(by).source_on(date).citation)),
                    Defeat::LowerStricter { by } => (by, format!("a lower level may be stricter: `{}` ({}) prohibits what this rule only permits", rule(by).id, rule(by).source_on(date).citation)),
                    Defeat::SameLevelProhibition { by } => (by, format!("`{}` ({}) prohibits the act and this permission is not an exception to it", rule(by).id, rule(by).source_on(date).citation)),
                };
                Defeated {
                    id: rule(i).id.clone(),
                    citation: rule(i).source_on(date).citation.clone(),
                    url: rule(i).source_on(date).url.clone(),
                    modality: rule(i).modality_on(date),
                    by: rule(by).id.clone(),
                    reason,
                }
            })
            .collect();

        let mut caveats = Vec::new();
        let mut caveat = |kind, r: Option<&Rule>, message: String| {
            caveats.push(Caveat {
                kind,
                rule: r.map(|r| r.id.clone()),
                citation: r.map(|r| r.source_on(date).citation.clone()),
                message,
            });
        };
        if decision.verdict == Verdict::Conflict {
            let names: Vec<_> = decision
                .determining
                .iter()
                .map(|&i| format!("`{}`", rule(i).id))
                .collect();
            caveat(
                CaveatKind::Conflict,
                None,
                format!(
                    "rules that cannot both be obeyed survive: {}; which prevails is for a court to decide",
                    names.join(", ")
                ),
            );
        }
        for &i in decision.determining.iter().chain(&decision.concurring) {
            let r = rule(i);
            if r.status_on(date) == Status::Contested {
                let note = r.status_event_on(date).map_or_else(
                    || "its validity is disputed".to_string(),
                    StatusEvent::describe,
                );
                caveat(
                    CaveatKind::Contested,
                    Some(r),
                    format!("`{}` is challenged in court: {note}", r.id),
                );
            }
            if r.effective_from.is_none()
                && let Some(not_before) = r.effective_not_before
            {
                let reason = r
                    .effective_unknown_reason
                    .as_deref()
                    .unwrap_or("the start date was not found");
                caveat(
                    CaveatKind::StartUnknown,
                    Some(r),
                    format!(
                        "the day `{}` took effect is not known; it is applied from {not_before}, the earliest day it can have been in force ({reason})",
                        r.id
                    ),
                );
            }
            if r.provenance == Provenance::Unverified {
                caveat(
                    CaveatKind::Unverified,
                    Some(r),
                    format!(
                        "`{}` rests on a source that has not been confirmed; check it before relying on it",
                        r.id
                    ),
                );
            }
        }
        // Rules that fail only soft checks: say what would make them apply.
        for &(i, failed) in &decision.considered {
            let r = rule(i);
            if failed == 0 || failed & check::IRRELEVANT != 0 || !r.binding {
                continue;
            }
            let what = format!(
                "`{}` ({}) {} this",
                r.id,
                r.source_on(date).citation,
                modality_word(r.modality_on(date))
            );
            // Not yet in force and already blocked (a law enjoined before its effective date),
            // or past its end and blocked: the dates come first, the order is named too.
            let blocked = check::ENJOINED | check::REPEALED;
            let dated = failed & (check::NOT_YET_EFFECTIVE | check::EXPIRED);
            let failed = if dated != 0 && failed & blocked != 0 && failed & !(blocked | dated) == 0
            {
                if let Some(event) = r.status_event_on(date) {
                    let when = if dated == check::NOT_YET_EFFECTIVE {
                        format!(
                            "from {}, after the date asked",
                            r.start().map_or_else(String::new, |d| d.to_string())
                        )
                    } else {
                        format!(
                            "only until {}",
                            r.effective_until
                                .map_or_else(String::new, |d| d.to_string())
                        )
                    };
                    caveat(
                        if dated == check::NOT_YET_EFFECTIVE {
                            CaveatKind::NotYetEffective
                        } else {
                            CaveatKind::NoLongerEffective
                        },
                        Some(r),
                        format!(
                            "{what} {when}, and is {} on the date asked: {}",
                            event.status.label(),
                            event.describe()
                        ),
                    );
                }
                continue;
            } else {
                failed
            };
            match failed {
                check::ENJOINED => {
                    let status = r.status_on(date);
                    let note = r.status_event_on(date).map_or_else(
                        || "a court has blocked it".to_string(),
                        StatusEvent::describe,
                    );
                    caveat(
                        CaveatKind::Enjoined,
                        Some(r),
                        format!("{what} but is {} on the date asked: {note}", status.label()),
                    );
                }
                check::REPEALED => caveat(
                    CaveatKind::Repealed,
                    Some(r),
                    format!("{what} but has been repealed"),
                ),
                check::NOT_YET_EFFECTIVE => {
                    let from = r.start().map_or_else(String::new, |d| d.to_string());
                    caveat(
                        CaveatKind::NotYetEffective,
                        Some(r),
                        format!("{what} from {from}, after the date asked"),
                    );
                }
                check::EXPIRED => {
                    let until = r
                        .effective_until
                        .map_or_else(String::new, |d| d.to_string());
                    caveat(
                        CaveatKind::NoLongerEffective,
                        Some(r),
                        format!("{what} but was in force only until {until}"),
                    );
                }
                check::CONDITION => {
                    if let Some(message) = self.condition_what_if(question, decision.verdict, i) {
                        caveat(CaveatKind::Condition, Some(r), message);
                    }
                }
                check::PURPOSE => {
                    if let Some(message) = self.purpose_what_if(question, decision.verdict, i) {
                        caveat(CaveatKind::Purpose, Some(r), message);
                    }
                }
                _ => {}
            }
        }
        // Rules that would apply but for the actor: a reader asking about a deputy should learn
        // that the city's police are bound.
        for &(i, failed) in &decision.considered {
            let r = rule(i);
            if failed == check::ACTOR && r.binding {
                caveat(
                    CaveatKind::OtherActor,
                    Some(r),
                    format!(
                        "`{}` ({}) {} this for {}, not for {}",
                        r.id,
                        r.source_on(date).citation,
                        modality_word(r.modality_on(date)),
                        r.binds.join(", ").replace('_', " "),
                        v.actor_name(question.actor).replace('_', " ")
                    ),
                );
            }
        }

        let trace = decision
            .considered
            .iter()
            .map(|&(i, failed)| {
                let r = rule(i);
                let mut reasons = Vec::new();
                let outcome = if decision.determining.contains(&i) {
                    "determining"
                } else if decision.concurring.contains(&i) {
                    "concurring"
                } else if let Some(d) = defeated.iter().find(|d| d.id == r.id) {
                    reasons.push(d.reason.clone());
                    "defeated"
                } else if decision.context.contains(&i) {
                    reasons.push("applies, but is not binding (guidance or context)".to_string());
                    "context"
                } else {
                    "not_applicable"
                };
                if failed & check::OTHER_PLACE != 0 {
                    reasons.push(format!(
                        "{} is outside {}",
                        question.place.label(),
                        r.jurisdiction.label()
                    ));
                }
                if failed & check::ACTOR != 0 {
                    reasons.push(format!(
                        "binds {}, not {}",
                        r.binds.join(", "),
                        v.actor_name(question.actor)
                    ));
                }
                if failed & check::COUNTERPARTY != 0 {
                    reasons.push(format!(
                        "concerns {}, not {}",
                        r.counterparty.join(", "),
                        v.counterparty_name(question.counterparty)
                    ));
                }
                if failed & check::PURPOSE != 0 {
                    reasons.push(format!(
                        "concerns the purpose {}, not {}",
                        r.purpose.join(", "),
                        v.purpose_name(question.purpose)
                    ));
                }
                if failed & check::NOT_YET_EFFECTIVE != 0 {
                    reasons.push(format!(
                        "not in force until {}",
                        r.start().map_or_else(String::new, |d| d.to_string())
                    ));
                }
                if failed & check::EXPIRED != 0 {
                    reasons.push(format!(
                        "in force only until {}",
                        r.effective_until
                            .map_or_else(String::new, |d| d.to_string())
                    ));
                }
                if failed & check::ENJOINED != 0 {
                    reasons.push(match r.status_event_on(date) {
                        Some(event) => format!("{}: {}", event.status.label(), event.describe()),
                        None => "blocked by a court".to_string(),
                    });
                }
                if failed & check::REPEALED != 0 {
                    reasons.push("repealed".to_string());
                }
                if failed & check::CONDITION != 0 {
                    reasons.push(format!(
                        "its condition `{}` does not hold",
                        r.version_on(date)
                            .map_or(r.when.as_deref(), |v| v.when.as_deref())
                            .unwrap_or("")
                    ));
                }
                if outcome == "determining" || outcome == "concurring" {
                    reasons.push(format!(
                        "applies and {} the act",
                        modality_word(r.modality_on(date))
                    ));
                }
                TraceEntry {
                    rule: r.id.clone(),
                    jurisdiction: r.jurisdiction.to_string(),
                    modality: r.modality_on(date),
                    outcome,
                    reasons,
                }
            })
            .collect();

        let action = v.action_name(question.action);
        let actor = v.actor_name(question.actor);
        let counterparty = v.counterparty_name(question.counterparty);
        let place = question.place.label();
        let branches = self.branches(question, decision);
        // A what-if caveat that a branch already states says nothing more.
        caveats.retain(|c| {
            !matches!(c.kind, CaveatKind::Condition | CaveatKind::Purpose)
                || !branches.iter().any(|b| {
                    b.determining
                        .iter()
                        .any(|d| Some(d.id.as_str()) == c.rule.as_deref())
                })
        });
        let (verdict, otherwise) = if branches.is_empty() {
            (decision.verdict, None)
        } else {
            (Verdict::Depends, Some(decision.verdict))
        };
        let read_through = crate::rule::toml_date(&self.metadata.sources_read_through).ok();
        if let Some(read_through) = read_through
            && date > read_through
        {
            caveats.push(Caveat {
                kind: CaveatKind::AfterReview,
                rule: None,
                citation: None,
                message: format!(
                    "the sources were read through {read_through}; the law may have changed between then and {date}"
                ),
            });
        }
        let best_efforts = decision.verdict == Verdict::Must
            && !determining.is_empty()
            && determining
                .iter()
                .all(|c| c.extent == Some(Extent::BestEfforts));
        let searched = if otherwise.unwrap_or(verdict) == Verdict::NoRule {
            self.searched_notes(
                &question.place,
                &question.within,
                v.action_name(question.action),
            )
        } else {
            Vec::new()
        };
        let headline = if branches.is_empty() {
            let mut line = headline(v, question, decision.verdict, best_efforts);
            if decision.verdict == Verdict::NoRule && !searched.is_empty() {
                let names: Vec<String> = searched
                    .iter()
                    .map(|s| format!("{} law (searched {})", s.name, s.date))
                    .collect();
                line = format!(
                    "no rule: no law found on whether {} in {} may {} on {}: {} has none on this question; this does not mean the act is lawful",
                    v.actor_phrase(question.actor),
                    question.place.phrase(),
                    act_phrase(v, question),
                    question.date,
                    names.join(" and ")
                );
            }
            line
        } else {
            depends_headline(v, question, decision.verdict, &branches)
        };

        Answer {
            question: QuestionEcho {
                place: question.place.to_string(),
                place_label: place,
                chain: question
                    .place
                    .chain()
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                within: question.within.iter().map(ToString::to_string).collect(),
                date: date.to_string(),
                actor: actor.to_string(),
                action: action.to_string(),
                counterparty: counterparty.to_string(),
                purpose: v.purpose_name(question.purpose).to_string(),
                facts: question.fact_names.clone(),
                not_facts: question.false_fact_names.clone(),
            },
            verdict,
            otherwise,
            branches,
            assumed: crate::places::assumed(&self.place_facts, &question.assumed, v, question),
            searched,
            implied: self
                .implications_for(question)
                .map(|i| i.definition.clone())
                .collect(),
            headline,
            determining,
            concurring,
            defeated,
            caveats,
            context,
            listings: self
                .listings
                .iter()
                .filter(|l| l.date <= date)
                .filter_map(|l| l.matching(&question.place, &question.within))
                .collect(),
            figures: self
                .figures
                .iter()
                .filter(|f| {
                    f.date <= date
                        && (f.jurisdiction.contains(&question.place)
                            || question.within.iter().any(|w| f.jurisdiction.contains(w)))
                })
                .filter(|f| f.actions.is_empty() || f.actions.iter().any(|a| a == action))
                .cloned()
                .collect(),
            trace,
            corpus_version: self.version.clone(),
            disclaimer: DISCLAIMER,
        }
    }

    /// If stating one more fact (or all of a rule's facts) makes rule `index` apply and changes
    /// the verdict, says so.
    fn condition_what_if(
        &self,
        question: &Question,
        verdict: Verdict,
        index: usize,
    ) -> Option<String> {
        let r = &self.rules[index];
        let when = r.compiled_on(question.date).when.as_ref()?;
        let missing: Vec<_> = when
            .facts()
            .into_iter()
            .filter(|f| !question.facts.contains(*f))
            .collect();
        let mut tries: Vec<Vec<_>> = missing.iter().map(|f| vec![*f]).collect();
        if missing.len() > 1 {
            tries.push(missing.clone());
        }
        for added in tries {
            let mut changed = question.clone();
            for &fact in &added {
                changed.facts.insert(fact);
                changed
                    .fact_names
                    .push(self.vocabulary.fact_name(fact).to_string());
            }
            if self.failed_checks(index, &changed) != 0 {
                continue;
            }
            let new_verdict = self.decide(&changed).verdict;
            if new_verdict != verdict {
                let conditions: Vec<_> = added
                    .iter()
                    .map(|&f| self.vocabulary.fact_condition(f))
                    .collect();
                return Some(format!(
                    "if {}, {} would apply and the answer would be {}",
                    conditions.join(" and "),
                    r.source_on(question.date).citation,
                    new_verdict.words()
                ));
            }
        }
        None
    }

    /// If another of the rule's purposes makes it apply and changes the verdict, says so.
    fn purpose_what_if(
        &self,
        question: &Question,
        verdict: Verdict,
        index: usize,
    ) -> Option<String> {
        let r = &self.rules[index];
        for &purpose in &r.compiled_on(question.date).purposes {
            let mut changed = question.clone();
            changed.purpose = purpose;
            let new_verdict = self.decide(&changed).verdict;
            if self.failed_checks(index, &changed) == 0 && new_verdict != verdict {
                return Some(format!(
                    "for {}, {} would apply and the answer would be {}",
                    self.vocabulary.purpose_phrase(purpose),
                    r.source_on(question.date).citation,
                    new_verdict.words()
                ));
            }
        }
        None
    }
}

/// `depends: for a sheriff's office in Texas to enter a 287(g) agreement with ICE, the law in
/// force on 2026-12-07 gives: must if the sheriff's county operates a jail (Tex. Gov't Code ch.
/// 753); otherwise may`.
fn depends_headline(
    v: &Vocabulary,
    question: &Question,
    otherwise: Verdict,
    branches: &[crate::depends::Branch],
) -> String {
    let actor = v.actor_phrase(question.actor);
    let place = question.place.phrase();
    let act = act_phrase(v, question);
    let date = question.date;
    let cases: Vec<String> = branches
        .iter()
        .map(|b| {
            let cited: Vec<&str> = b.determining.iter().map(|c| c.citation.as_str()).collect();
            let mut cited_unique: Vec<&str> = Vec::new();
            for c in cited {
                if !cited_unique.contains(&c) {
                    cited_unique.push(c);
                }
            }
            if cited_unique.is_empty() {
                format!("{} if {}", b.verdict.words(), b.short_condition_text())
            } else {
                format!(
                    "{} if {} ({})",
                    b.verdict.words(),
                    b.short_condition_text(),
                    cited_unique.join("; ")
                )
            }
        })
        .collect();
    format!(
        "depends: for {actor} in {place} to {act}, the law in force on {date} gives: {}; otherwise {}",
        cases.join("; "),
        otherwise.words()
    )
}

/// The act in words, with its counterparty and (when stated) its purpose.
fn act_phrase(v: &Vocabulary, question: &Question) -> String {
    let mut act = v.action_phrase(question.action).replace(
        COUNTERPARTY_SLOT,
        v.counterparty_phrase(question.counterparty),
    );
    if v.purpose_name(question.purpose) != "unspecified" {
        act.push_str(" for ");
        act.push_str(v.purpose_phrase(question.purpose));
    }
    act
}

/// The answer in one sentence, from the vocabulary's phrases: `must not: the law in force on
/// 2026-01-15 forbids a municipal police department in El Cajon, California to share ALPR data
/// with a state or local agency of another state`.
fn headline(v: &Vocabulary, question: &Question, verdict: Verdict, best_efforts: bool) -> String {
    let actor = v.actor_phrase(question.actor);
    let place = question.place.phrase();
    let act = act_phrase(v, question);
    let date = question.date;
    match verdict {
        Verdict::MustNot => {
            format!("must not: the law in force on {date} forbids {actor} in {place} to {act}")
        }
        Verdict::Must if best_efforts => format!(
            "must: the law in force on {date} requires {actor} in {place} to use its best efforts to {act}"
        ),
        Verdict::Must => {
            format!("must: the law in force on {date} requires {actor} in {place} to {act}")
        }
        Verdict::May => format!(
            "may: the law in force on {date} permits, but does not require, {actor} in {place} to {act}"
        ),
        Verdict::Conflict => format!(
            "conflict: rules in force on {date} both forbid and require {actor} in {place} to {act}"
        ),
        Verdict::NoRule => format!(
            "no rule: the corpus has no rule on whether {actor} in {place} may {act} on {date}; this does not mean the act is lawful"
        ),
        // Answers with branches take `depends_headline`.
        Verdict::Depends => format!(
            "depends: for {actor} in {place} to {act}, the law in force on {date} turns on facts not stated"
        ),
    }
}
