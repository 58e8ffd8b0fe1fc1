//! The guide: every question the corpus can answer for one actor in one place, answered at once
//! and grouped as a reader looks for them (`corpus/guide.toml`). It is what an officer needs
//! before a shift, rather than one question at a time.

use serde::{Deserialize, Serialize};

use crate::answer::DISCLAIMER;
use crate::corpus::{Corpus, Diagnostic, SourceFile};
use crate::depends::Branch;
use crate::engine::{QuestionError, QuestionInput, Verdict};
use crate::lang::{self, Lang};
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
    /// The title in Spanish, from `guide.es.toml`.
    pub title_es: Option<String>,
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
            title_es: None,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpanishGuide {
    /// Section id to its Spanish title.
    sections: std::collections::BTreeMap<String, String>,
}

/// Reads `guide.es.toml`: a Spanish title for every section of `guide.toml`, and nothing else.
pub(crate) fn load_guide_spanish(
    file: &SourceFile,
    sections: &mut [GuideSectionSpec],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut parsed: RawSpanishGuide = match toml::from_str(&file.text) {
        Ok(p) => p,
        Err(e) => {
            diagnostics.push(crate::corpus::toml_diagnostic(file, &e));
            return;
        }
    };
    let header = file
        .text
        .lines()
        .position(|l| l.trim() == "[sections]")
        .map(|position| position + 1);
    let mut problem = |message: String| {
        diagnostics.push(Diagnostic {
            file: file.path.clone(),
            line: header,
            rule: None,
            message,
            help: Some(
                "every section `id` of `guide.toml` needs its Spanish title in [sections]"
                    .to_string(),
            ),
        });
    };
    for section in sections.iter_mut() {
        match parsed.sections.remove(&section.id) {
            Some(title) if !title.trim().is_empty() => section.title_es = Some(title),
            _ => problem(format!(
                "guide section `{}` has no Spanish title in [sections]",
                section.id
            )),
        }
    }
    for extra in parsed.sections.keys() {
        problem(format!(
            "[sections] has `{extra}`, which is not a section id of `guide.toml`"
        ));
    }
}

/// What the guide is asked for.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct GuideInput {
    /// An OCD id, a state code or a state name.
    pub place: String,
    /// The actor the guide is for, a vocabulary word or alias (one actor, not a group).
    pub actor: String,
    /// The date the answers are for (`YYYY-MM-DD` or another accepted form); `None` is refused as a
    /// missing date.
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
    /// The act asked about, as its vocabulary name.
    pub action: String,
    /// The counterparty asked about, as its vocabulary name.
    pub counterparty: String,
    /// The purpose asked about, as its vocabulary name (`unspecified` when the guide names none).
    pub purpose: String,
    /// The answer's verdict.
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
    /// The section's title, in the guide's language.
    pub title: String,
    /// The section's answers, in the order of `guide.toml`.
    pub items: Vec<GuideItem>,
}

/// The guide for one place and actor on one date.
#[derive(Clone, Debug, Serialize)]
pub struct Guide {
    /// The OCD id of the place.
    pub place: String,
    /// The place's name for people, in the guide's language.
    pub place_name: String,
    /// The actor, as its vocabulary name.
    pub actor: String,
    /// How a sentence names the actor, e.g. `a sheriff's office`.
    pub actor_phrase: String,
    /// The date the answers are for, as `YYYY-MM-DD`.
    pub date: String,
    /// Facts stated to hold, by their vocabulary names.
    pub facts: Vec<String>,
    /// Facts stated not to hold, by their vocabulary names.
    pub not_facts: Vec<String>,
    /// Facts known about the place that the answers took as holding.
    pub assumed: Vec<Assumed>,
    /// The answers, grouped by topic; sections with no question that binds the actor are left out.
    pub sections: Vec<GuideSection>,
    /// How many answers of each verdict the guide holds.
    pub counts: GuideCounts,
    /// The version of the corpus that answered.
    pub corpus_version: String,
    /// The notice that the guide is not legal advice, in the guide's language.
    pub disclaimer: &'static str,
    /// The language of the guide's sentences (shown only when not English).
    #[serde(skip_serializing_if = "Lang::is_en")]
    pub lang: Lang,
}

/// How many answers of each verdict the guide holds.
#[derive(Clone, Debug, Default, Serialize)]
pub struct GuideCounts {
    /// Answers that the act is prohibited.
    pub must_not: usize,
    /// Answers that the act is required.
    pub must: usize,
    /// Answers that the act is allowed.
    pub may: usize,
    /// Answers where a prohibition and a requirement both apply.
    pub conflict: usize,
    /// Answers where the corpus has no rule (which does not make the act lawful).
    pub no_rule: usize,
    /// Answers that turn on an unstated fact or purpose.
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
        self.guide_in(input, Lang::En)
    }

    /// [`Corpus::guide`], its questions, answers and titles in `lang` (citations stay as
    /// they are).
    pub fn guide_in(&self, input: &GuideInput, lang: Lang) -> Result<Guide, Vec<QuestionError>> {
        let es = lang == Lang::Es;
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
                let answer = self.answer_in(&question, lang);
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
                    Some(otherwise) if es => {
                        let mut cases: Vec<String> = answer
                            .branches
                            .iter()
                            .take(2)
                            .map(|b| {
                                format!(
                                    "{} si {}",
                                    lang::verdict_words(b.verdict, lang),
                                    b.short_condition_text()
                                )
                            })
                            .collect();
                        if answer.branches.len() > 2 {
                            cases.push(format!(
                                "{} caso{} más",
                                answer.branches.len() - 2,
                                if answer.branches.len() == 3 { "" } else { "s" }
                            ));
                        }
                        format!(
                            "Depende: {}; en los demás casos, {}",
                            cases.join("; "),
                            lang::verdict_words(otherwise, lang)
                        )
                    }
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
                        let mut words = lang::verdict_words(answer.verdict, lang).to_string();
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
                    question: if es {
                        question_sentence_es(v, &question)
                    } else {
                        question_sentence(v, &question)
                    },
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
                    title: match (&spec.title_es, es) {
                        (Some(title), true) => title.clone(),
                        _ => spec.title.clone(),
                    },
                    items,
                });
            }
        }
        Ok(Guide {
            place: probe.place.to_string(),
            place_name: lang::place_phrase(&probe.place, lang),
            actor: v.actor_name(probe.actor).to_string(),
            actor_phrase: v.actor_phrase_in(probe.actor, lang).to_string(),
            date: probe.date.to_string(),
            facts: probe.fact_names.clone(),
            not_facts: probe.false_fact_names.clone(),
            assumed,
            sections,
            counts,
            corpus_version: self.version.clone(),
            disclaimer: if es { lang::DISCLAIMER_ES } else { DISCLAIMER },
            lang,
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

/// `¿Puede una oficina del sheriff en Dallas County, Texas ...?`: the question in Spanish.
fn question_sentence_es(v: &Vocabulary, q: &crate::engine::Question) -> String {
    let lang = Lang::Es;
    let mut act = v.action_phrase_in(q.action, lang).replace(
        COUNTERPARTY_SLOT,
        v.counterparty_phrase_in(q.counterparty, lang),
    );
    let purpose = v.purpose_phrase_in(q.purpose, lang);
    // `pedir a agentes ... que interpreten` needs no `para interpretación`.
    let stem: String = purpose.chars().take(9).collect();
    if v.purpose_name(q.purpose) != "unspecified" && !act.contains(&stem) {
        act.push_str(" para ");
        act.push_str(purpose);
    }
    let actor = v.actor_phrase_in(q.actor, lang);
    lang::contract_es(&format!(
        "¿Puede {actor} en {} {act}?",
        lang::place_phrase(&q.place, lang)
    ))
}
