//! The guide: every question the corpus can answer for one actor in one place, answered at once
//! and grouped as a reader looks for them (`corpus/guide.toml`). It is what an officer needs
//! before a shift, rather than one question at a time.

use serde::{Deserialize, Serialize};

use crate::answer::DISCLAIMER;
use crate::corpus::{Corpus, Diagnostic, SourceFile};
use crate::depends::Branch;
use crate::engine::{QuestionError, QuestionInput, Verdict};
use crate::places::Assumed;
use crate::vocabulary::{ActionId, COUNTERPARTY_SLOT, CounterpartyId, PurposeId, Vocabulary};

/// One question of the guide's list, as read from `guide.toml`.
#[derive(Clone, Debug)]
pub(crate) struct GuideQuestion {
    pub action: ActionId,
    pub counterparty: CounterpartyId,
    pub purpose: Option<PurposeId>,
}

/// A titled group of questions.
#[derive(Clone, Debug)]
pub(crate) struct GuideSectionSpec {
    /// The question family's id (`detainers`).
    pub id: String,
    pub title: String,
    pub questions: Vec<GuideQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGuide {
    #[serde(rename = "section", default)]
    sections: Vec<toml::Spanned<RawSection>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: String,
    title: String,
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    action: String,
    counterparty: String,
    #[serde(default)]
    purpose: Option<String>,
}

/// Reads `guide.toml`, reporting every unknown word with its section's line.
pub(crate) fn load_guide(
    file: &SourceFile,
    vocabulary: &Vocabulary,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<GuideSectionSpec> {
    let parsed: RawGuide = match toml::from_str(&file.text) {
        Ok(p) => p,
        Err(e) => {
            diagnostics.push(crate::corpus::toml_diagnostic(file, &e));
            return Vec::new();
        }
    };
    let mut sections = Vec::new();
    let lines = crate::corpus::Lines::new(&file.text);
    for spanned in parsed.sections {
        let line = lines.line(spanned.span().start);
        let raw = spanned.into_inner();
        let mut questions = Vec::new();
        for q in raw.questions {
            let action = vocabulary.action(&q.action);
            let counterparty = vocabulary.counterparty(&q.counterparty);
            let purpose = q
                .purpose
                .as_deref()
                .map(|p| vocabulary.purpose(p))
                .transpose();
            match (action, counterparty, purpose) {
                (Ok(action), Ok(counterparty), Ok(purpose)) => questions.push(GuideQuestion {
                    action,
                    counterparty,
                    purpose,
                }),
                (a, c, p) => {
                    for e in [a.err(), c.err(), p.err()].into_iter().flatten() {
                        diagnostics.push(Diagnostic {
                            file: file.path.clone(),
                            line: Some(line),
                            rule: None,
                            message: format!("guide section \"{}\": {e}", raw.title),
                            help: Some(e.help()),
                        });
                    }
                }
            }
        }
        if sections.iter().any(|s: &GuideSectionSpec| s.id == raw.id) {
            diagnostics.push(Diagnostic {
                file: file.path.clone(),
                line: Some(line),
                rule: None,
                message: format!("guide section id `{}` is used twice", raw.id),
                help: None,
            });
        }
        sections.push(GuideSectionSpec {
            id: raw.id,
            title: raw.title,
            questions,
        });
    }
    // Every action belongs to a family, so that every question can be reported by family.
    for action in vocabulary.actions() {
        let Ok(id) = vocabulary.action(&action.name) else {
            continue;
        };
        if !sections
            .iter()
            .any(|s| s.questions.iter().any(|q| q.action == id))
        {
            diagnostics.push(Diagnostic {
                file: file.path.clone(),
                line: None,
                rule: None,
                message: format!("action `{}` is in no section of the guide", action.name),
                help: Some("add it to the section (question family) it belongs to".to_string()),
            });
        }
    }
    sections
}

/// What the guide is asked for.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct GuideInput {
    pub place: String,
    pub actor: String,
    pub date: Option<String>,
    /// Facts that hold (or, with `!`, do not) for every question.
    #[serde(default)]
    pub facts: Vec<String>,
}

/// One answered question of the guide.
#[derive(Clone, Debug, Serialize)]
pub struct GuideItem {
    /// The question in plain words.
    pub question: String,
    pub action: String,
    pub counterparty: String,
    pub purpose: String,
    pub verdict: Verdict,
    /// With `depends`: the verdict when none of the branches holds.
    pub otherwise: Option<Verdict>,
    /// With `depends`: each deciding fact and the verdict then.
    pub branches: Vec<Branch>,
    /// One line: the verdict and what decides it.
    pub answer: String,
    /// The full answer's headline.
    pub headline: String,
    /// The citations that decide the answer (or, with `depends`, the answer otherwise).
    pub deciding: Vec<String>,
    /// Whether any caveat needs the reader's attention (a blocked, contested or unverified rule).
    pub caveats: usize,
}

/// A titled group of answers.
#[derive(Clone, Debug, Serialize)]
pub struct GuideSection {
    pub title: String,
    pub items: Vec<GuideItem>,
}

/// The guide for one place and actor on one date.
#[derive(Clone, Debug, Serialize)]
pub struct Guide {
    pub place: String,
    pub place_name: String,
    pub actor: String,
    pub actor_phrase: String,
    pub date: String,
    pub facts: Vec<String>,
    pub not_facts: Vec<String>,
    /// Facts known about the place that the answers took as holding.
    pub assumed: Vec<Assumed>,
    pub sections: Vec<GuideSection>,
    pub counts: GuideCounts,
    pub corpus_version: String,
    pub disclaimer: &'static str,
}

/// How many answers of each verdict the guide holds.
#[derive(Clone, Debug, Default, Serialize)]
pub struct GuideCounts {
    pub must_not: usize,
    pub must: usize,
    pub may: usize,
    pub conflict: usize,
    pub no_rule: usize,
    pub depends: usize,
}

impl Guide {
    /// The columns of [`Guide::rows`].
    pub const COLUMNS: [&'static str; 12] = [
        "section",
        "question",
        "verdict",
        "otherwise",
        "answer",
        "deciding",
        "action",
        "counterparty",
        "purpose",
        "place",
        "actor",
        "date",
    ];

    /// The guide as a table, one row per question (the CSV form of the CLI and the web).
    pub fn rows(&self) -> Vec<[String; 12]> {
        let mut rows = Vec::new();
        for section in &self.sections {
            for item in &section.items {
                rows.push([
                    section.title.clone(),
                    item.question.clone(),
                    item.verdict.name().to_string(),
                    item.otherwise
                        .map_or(String::new(), |v| v.name().to_string()),
                    item.answer.clone(),
                    item.deciding.join("; "),
                    item.action.clone(),
                    item.counterparty.clone(),
                    item.purpose.clone(),
                    self.place.clone(),
                    self.actor.clone(),
                    self.date.clone(),
                ]);
            }
        }
        rows
    }
}

impl Corpus {
    /// Answers every guide question that some rule binds the actor on, for the place and date.
    pub fn guide(&self, input: &GuideInput) -> Result<Guide, Vec<QuestionError>> {
        let v = &self.vocabulary;
        // Validate the place, actor, date and facts once, through an ordinary question.
        let probe = self.question(&QuestionInput {
            place: input.place.clone(),
            date: input.date.clone(),
            actor: input.actor.clone(),
            action: v
                .actions()
                .first()
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            counterparty: None,
            purpose: None,
            facts: input.facts.clone(),
        })?;
        let actor_bit = 1u64 << probe.actor.0;
        let mut sections = Vec::new();
        let mut counts = GuideCounts::default();
        let mut assumed: Vec<Assumed> = Vec::new();
        for spec in &self.guide {
            let mut items = Vec::new();
            for q in &spec.questions {
                let bound = self.rules.iter().any(|r| {
                    r.compiled.binds_mask & actor_bit != 0 && r.compiled.actions.contains(&q.action)
                });
                if !bound {
                    continue;
                }
                let mut question = probe.clone();
                question.action = q.action;
                question.counterparty = q.counterparty;
                if let Some(p) = q.purpose {
                    question.purpose = p;
                }
                let answer = self.answer(&question);
                for a in answer.assumed {
                    if !assumed
                        .iter()
                        .any(|x| x.fact == a.fact && x.place == a.place)
                    {
                        assumed.push(a);
                    }
                }
                match answer.verdict {
                    Verdict::MustNot => counts.must_not += 1,
                    Verdict::Must => counts.must += 1,
                    Verdict::May => counts.may += 1,
                    Verdict::Conflict => counts.conflict += 1,
                    Verdict::NoRule => counts.no_rule += 1,
                    Verdict::Depends => counts.depends += 1,
                }
                let mut deciding: Vec<String> = Vec::new();
                for c in &answer.determining {
                    if !deciding.contains(&c.citation) {
                        deciding.push(c.citation.clone());
                    }
                }
                let line = match answer.otherwise {
                    Some(otherwise) => {
                        let mut cases: Vec<String> = answer
                            .branches
                            .iter()
                            .take(2)
                            .map(|b| {
                                format!("{} if {}", b.verdict.words(), b.short_condition_text())
                            })
                            .collect();
                        if answer.branches.len() > 2 {
                            cases.push(format!(
                                "{} more case{}",
                                answer.branches.len() - 2,
                                if answer.branches.len() == 3 { "" } else { "s" }
                            ));
                        }
                        format!(
                            "Depends: {}; otherwise {}",
                            cases.join("; "),
                            otherwise.words()
                        )
                    }
                    None => {
                        let mut words = answer.verdict.words().to_string();
                        if let Some(first) = words.get_mut(0..1) {
                            first.make_ascii_uppercase();
                        }
                        if deciding.is_empty() {
                            words
                        } else {
                            format!("{words} ({})", deciding.join("; "))
                        }
                    }
                };
                let caveats = answer
                    .caveats
                    .iter()
                    .filter(|c| {
                        matches!(
                            c.kind,
                            crate::CaveatKind::Contested
                                | crate::CaveatKind::Unverified
                                | crate::CaveatKind::Enjoined
                                | crate::CaveatKind::Conflict
                                | crate::CaveatKind::StartUnknown
                        )
                    })
                    .count();
                items.push(GuideItem {
                    question: question_sentence(v, &question),
                    action: v.action_name(q.action).to_string(),
                    counterparty: v.counterparty_name(q.counterparty).to_string(),
                    purpose: v.purpose_name(question.purpose).to_string(),
                    verdict: answer.verdict,
                    otherwise: answer.otherwise,
                    branches: answer.branches,
                    answer: line,
                    headline: answer.headline,
                    deciding,
                    caveats,
                });
            }
            if !items.is_empty() {
                sections.push(GuideSection {
                    title: spec.title.clone(),
                    items,
                });
            }
        }
        Ok(Guide {
            place: probe.place.to_string(),
            place_name: probe.place.phrase(),
            actor: v.actor_name(probe.actor).to_string(),
            actor_phrase: v.actor_phrase(probe.actor).to_string(),
            date: probe.date.to_string(),
            facts: probe.fact_names.clone(),
            not_facts: probe.false_fact_names.clone(),
            assumed,
            sections,
            counts,
            corpus_version: self.version.clone(),
            disclaimer: DISCLAIMER,
        })
    }
}

/// `May a sheriff's office in Dallas County, Texas keep someone in custody ... for ICE?`
fn question_sentence(v: &Vocabulary, q: &crate::engine::Question) -> String {
    let mut act = v
        .action_phrase(q.action)
        .replace(COUNTERPARTY_SLOT, v.counterparty_phrase(q.counterparty));
    let purpose = v.purpose_phrase(q.purpose);
    // `ask Border Patrol to interpret` needs no `for interpretation`.
    let stem: String = purpose.chars().take(9).collect();
    if v.purpose_name(q.purpose) != "unspecified" && !act.contains(&stem) {
        act.push_str(" for ");
        act.push_str(purpose);
    }
    let actor = v.actor_phrase(q.actor);
    format!("May {actor} in {} {act}?", q.place.phrase())
}
