//! Step 5: the explanation. Turns a [`Decision`] into an [`Answer`] that names every reason:
//! determining rules with citations, defeated rules and why, caveats, context, and a trace of
//! every rule considered.

use serde::Serialize;

use crate::context::{Figure, ListingMatch};
use crate::corpus::Corpus;
use crate::engine::{Decision, Defeat, Question, Verdict, check};
use crate::lang::{self, Lang};
use crate::rule::{
    Enacted, Extent, Modality, Provenance, Rule, Source, SourceKind, Status, StatusEvent,
};
use crate::vocabulary::{COUNTERPARTY_SLOT, Vocabulary};

/// Shown with every answer.
pub const DISCLAIMER: &str = "Remit describes the law as encoded from the cited sources. It is not legal advice: laws change, courts differ, and facts matter. Read the sources and ask a lawyer about a specific situation.";

/// A rule as cited in an answer.
#[derive(Clone, Debug, Serialize)]
pub struct Citation {
    /// The rule's identifier in the corpus, e.g. `us-ca/gov-7284.6-a1B`.
    pub id: String,
    /// The legal citation of the source applied on the date asked (e.g. `8 U.S.C. § 1373`).
    pub citation: String,
    /// The title of that source.
    pub title: String,
    /// Where the source's text can be read.
    pub url: String,
    /// What kind of source it is (statute, regulation, order, guidance, ...).
    pub kind: SourceKind,
    /// How well the rule's content is established: a primary source, a secondary summary, or
    /// unverified.
    pub provenance: Provenance,
    /// The rule's legal status on the date asked (in force, contested, enjoined, repealed).
    pub status: Status,
    /// The OCD identifier of the place whose rule this is.
    pub jurisdiction: String,
    /// Whether the rule requires, permits or prohibits the act on the date asked.
    pub modality: Modality,
    /// The rule's plain summary as it reads on the date asked.
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
    /// The last day the rule was in force, as `YYYY-MM-DD`; `None` while it has no end date.
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
    /// How many versions the provision has.
    pub of: usize,
    /// The first day this version applies, as `YYYY-MM-DD`.
    pub from: String,
    /// The act that made this text (the original act for version 1).
    pub enacted: Option<String>,
}

/// A rule that applied but lost.
#[derive(Clone, Debug, Serialize)]
pub struct Defeated {
    /// The defeated rule's identifier in the corpus.
    pub id: String,
    /// The legal citation of the defeated rule's source on the date asked.
    pub citation: String,
    /// Where the defeated rule's source can be read.
    pub url: String,
    /// Whether the defeated rule requires, permits or prohibits the act.
    pub modality: Modality,
    /// The rule that defeated it.
    pub by: String,
    /// One sentence saying why it lost (an exception, preemption, a stricter lower level, ...).
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
    /// Why the answer deserves care.
    pub kind: CaveatKind,
    /// The identifier of the rule the caveat is about; `None` when it concerns the answer as a
    /// whole.
    pub rule: Option<String>,
    /// The legal citation of that rule's source; `None` when there is no such rule.
    pub citation: Option<String>,
    /// The caveat as a sentence for the reader.
    pub message: String,
}

/// One line of the trace: a rule considered and what became of it.
#[derive(Clone, Debug, Serialize)]
pub struct TraceEntry {
    /// The identifier of the rule considered.
    pub rule: String,
    /// The OCD identifier of the place whose rule it is.
    pub jurisdiction: String,
    /// Whether the rule requires, permits or prohibits the act on the date asked.
    pub modality: Modality,
    /// `determining`, `concurring`, `defeated`, `context` or `not_applicable`.
    pub outcome: &'static str,
    /// Sentences saying why the rule applied or did not (a fact missing, out of date, defeated by
    /// ...).
    pub reasons: Vec<String>,
}

/// The question, echoed in full words.
#[derive(Clone, Debug, Serialize)]
pub struct QuestionEcho {
    /// The OCD identifier of the place asked about.
    #[serde(rename = "where")]
    pub place: String,
    /// The place's name for people (e.g. `Harris County, Texas`).
    pub place_label: String,
    /// The place and every division containing it, country first.
    pub chain: Vec<String>,
    /// Divisions containing the place outside its OCD chain (the county a city lies in).
    pub within: Vec<String>,
    /// The date asked about, as `YYYY-MM-DD`.
    pub date: String,
    /// The actor asked about, by its vocabulary name.
    pub actor: String,
    /// The act asked about, by its vocabulary name.
    pub action: String,
    /// The counterparty asked about, by its vocabulary name.
    pub counterparty: String,
    /// The purpose asked about, by its vocabulary name.
    pub purpose: String,
    /// Facts stated to hold, by their vocabulary names.
    pub facts: Vec<String>,
    /// Facts stated not to hold.
    pub not_facts: Vec<String>,
}

/// A full answer.
#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    /// The question as understood, with names resolved.
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
    /// The rules that set the verdict.
    pub determining: Vec<Citation>,
    /// Surviving rules that agree with the verdict without setting it (a permission beside a duty).
    pub concurring: Vec<Citation>,
    /// Rules that applied but were defeated by another rule, each with the reason.
    pub defeated: Vec<Defeated>,
    /// Reasons to take care with the answer (a contested rule, an unknown start date, ...).
    pub caveats: Vec<Caveat>,
    /// Non-binding material that applies (guidance, case law notes).
    pub context: Vec<Citation>,
    /// Government listings naming the place or a division containing it (not rules).
    pub listings: Vec<ListingMatch>,
    /// Dated figures on the action, from sources, dated on or before the question (not rules).
    pub figures: Vec<Figure>,
    /// Every rule considered and what became of it, for the technical details.
    pub trace: Vec<TraceEntry>,
    /// The version of the corpus that answered, so an answer can be reproduced.
    pub corpus_version: String,
    /// The notice that the answer is not legal advice, in the language of the answer.
    pub disclaimer: &'static str,
    /// The language of the answer's sentences (shown only when not English). Citations, quotes,
    /// titles and summaries stay in the language of their source.
    #[serde(skip_serializing_if = "Lang::is_en")]
    pub lang: Lang,
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
    lang::modality_verb(modality, Lang::En)
}

impl Corpus {
    /// Answers a question in full: decision plus explanation.
    pub fn answer(&self, question: &Question) -> Answer {
        self.answer_in(question, Lang::En)
    }

    /// Answers a question in full, its sentences in `lang` (citations, quotes and rule summaries
    /// stay in the language of their source).
    pub fn answer_in(&self, question: &Question, lang: Lang) -> Answer {
        let decision = self.decide(question);
        self.explain_in(question, &decision, lang)
    }

    /// Step 5.
    pub fn explain(&self, question: &Question, decision: &Decision) -> Answer {
        self.explain_in(question, decision, Lang::En)
    }

    /// Step 5, its sentences in `lang`.
    pub fn explain_in(&self, question: &Question, decision: &Decision, lang: Lang) -> Answer {
        let es = lang == Lang::Es;
        let day = |d: crate::date::Date| lang::date(d, lang);
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
                let (by, reason) = if es { match defeat {
                    Defeat::Exception { by } => (by, format!("`{}` es una excepción a ella y se aplica", rule(by).id)),
                    Defeat::Preempted { by } => (by, format!("desplazada por `{}` ({}), de un nivel superior que prevalece sobre las normas inferiores contrarias", rule(by).id, rule(by).source_on(date).citation)),
                    Defeat::HigherProhibits { by } => (by, format!("un permiso de nivel inferior no puede autorizar lo que `{}` ({}) prohíbe", rule(by).id, rule(by).source_on(date).citation)),
                    Defeat::LowerStricter { by } => (by, format!("un nivel inferior puede ser más estricto: `{}` ({}) prohíbe lo que esta norma solo permite", rule(by).id, rule(by).source_on(date).citation)),
                    Defeat::SameLevelProhibition { by } => (by, format!("`{}` ({}) prohíbe el acto y este permiso no es una excepción a esa norma", rule(by).id, rule(by).source_on(date).citation)),
                } } else { match defeat {
                    Defeat::Exception { by } => (by, format!("`{}` is an exception to it and applies", rule(by).id)),
                    Defeat::Preempted { by } => (by, format!("preempted by `{}` ({}), a higher level that overrides conflicting lower rules", rule(by).id, rule(by).source_on(date).citation)),
                    Defeat::HigherProhibits { by } => (by, format!("a lower-level permission cannot authorise what `{}` ({}) prohibits", rule(by).id, rule(by).source_on(date).citation)),
                    Defeat::LowerStricter { by } => (by, format!("a lower level may be stricter: `{}` ({}) prohibits what this rule only permits", rule(by).id, rule(by).source_on(date).citation)),
                    Defeat::SameLevelProhibition { by } => (by, format!("`{}` ({}) prohibits the act and this permission is not an exception to it", rule(by).id, rule(by).source_on(date).citation)),
                } };
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
                if es {
                    format!(
                        "subsisten normas que no pueden cumplirse a la vez: {}; cuál prevalece es algo que debe decidir un tribunal",
                        names.join(", ")
                    )
                } else {
                    format!(
                        "rules that cannot both be obeyed survive: {}; which prevails is for a court to decide",
                        names.join(", ")
                    )
                },
            );
        }
        for &i in decision.determining.iter().chain(&decision.concurring) {
            let r = rule(i);
            if r.status_on(date) == Status::Contested {
                let note = r.status_event_on(date).map_or_else(
                    || {
                        if es {
                            "su validez está en disputa".to_string()
                        } else {
                            "its validity is disputed".to_string()
                        }
                    },
                    StatusEvent::describe,
                );
                caveat(
                    CaveatKind::Contested,
                    Some(r),
                    if es {
                        format!("`{}` está impugnada ante los tribunales: {note}", r.id)
                    } else {
                        format!("`{}` is challenged in court: {note}", r.id)
                    },
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
                    if es {
                        format!(
                            "no se sabe qué día entró en vigor `{}`; se aplica desde el {}, el primer día en que pudo estar vigente ({reason}, en inglés)",
                            r.id,
                            day(not_before)
                        )
                    } else {
                        format!(
                            "the day `{}` took effect is not known; it is applied from {not_before}, the earliest day it can have been in force ({reason})",
                            r.id
                        )
                    },
                );
            }
            if r.provenance == Provenance::Unverified {
                caveat(
                    CaveatKind::Unverified,
                    Some(r),
                    if es {
                        format!(
                            "`{}` se basa en una fuente que no ha sido confirmada; verifíquela antes de confiar en ella",
                            r.id
                        )
                    } else {
                        format!(
                            "`{}` rests on a source that has not been confirmed; check it before relying on it",
                            r.id
                        )
                    },
                );
            }
        }
        // Rules that fail only soft checks: say what would make them apply.
        for &(i, failed) in &decision.considered {
            let r = rule(i);
            if failed == 0 || failed & check::IRRELEVANT != 0 || !r.binding {
                continue;
            }
            let what = if es {
                format!(
                    "`{}` ({}) {} esto",
                    r.id,
                    r.source_on(date).citation,
                    lang::modality_verb(r.modality_on(date), lang)
                )
            } else {
                format!(
                    "`{}` ({}) {} this",
                    r.id,
                    r.source_on(date).citation,
                    modality_word(r.modality_on(date))
                )
            };
            let start = || r.start().map_or_else(String::new, day);
            let until = || r.effective_until.map_or_else(String::new, day);
            // Not yet in force and already blocked (a law enjoined before its effective date),
            // or past its end and blocked: the dates come first, the order is named too.
            let blocked = check::ENJOINED | check::REPEALED;
            let dated = failed & (check::NOT_YET_EFFECTIVE | check::EXPIRED);
            let failed = if dated != 0 && failed & blocked != 0 && failed & !(blocked | dated) == 0
            {
                if let Some(event) = r.status_event_on(date) {
                    let when = match (dated == check::NOT_YET_EFFECTIVE, es) {
                        (true, false) => format!("from {}, after the date asked", start()),
                        (false, false) => format!("only until {}", until()),
                        (true, true) => {
                            format!("a partir del {}, después de la fecha consultada", start())
                        }
                        (false, true) => format!("solo hasta el {}", until()),
                    };
                    caveat(
                        if dated == check::NOT_YET_EFFECTIVE {
                            CaveatKind::NotYetEffective
                        } else {
                            CaveatKind::NoLongerEffective
                        },
                        Some(r),
                        if es {
                            format!(
                                "{what} {when}, y en la fecha consultada está {}: {}",
                                lang::status_label(event.status, lang),
                                event.describe()
                            )
                        } else {
                            format!(
                                "{what} {when}, and is {} on the date asked: {}",
                                event.status.label(),
                                event.describe()
                            )
                        },
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
                        || {
                            if es {
                                "un tribunal la ha bloqueado".to_string()
                            } else {
                                "a court has blocked it".to_string()
                            }
                        },
                        StatusEvent::describe,
                    );
                    caveat(
                        CaveatKind::Enjoined,
                        Some(r),
                        if es {
                            format!(
                                "{what}, pero en la fecha consultada está {}: {note}",
                                lang::status_label(status, lang)
                            )
                        } else {
                            format!("{what} but is {} on the date asked: {note}", status.label())
                        },
                    );
                }
                check::REPEALED => caveat(
                    CaveatKind::Repealed,
                    Some(r),
                    if es {
                        format!("{what}, pero ha sido derogada")
                    } else {
                        format!("{what} but has been repealed")
                    },
                ),
                check::NOT_YET_EFFECTIVE => caveat(
                    CaveatKind::NotYetEffective,
                    Some(r),
                    if es {
                        format!(
                            "{what} a partir del {}, después de la fecha consultada",
                            start()
                        )
                    } else {
                        format!("{what} from {}, after the date asked", start())
                    },
                ),
                check::EXPIRED => caveat(
                    CaveatKind::NoLongerEffective,
                    Some(r),
                    if es {
                        format!("{what}, pero solo estuvo vigente hasta el {}", until())
                    } else {
                        format!("{what} but was in force only until {}", until())
                    },
                ),
                check::CONDITION => {
                    if let Some(message) =
                        self.condition_what_if(question, decision.verdict, i, lang)
                    {
                        caveat(CaveatKind::Condition, Some(r), message);
                    }
                }
                check::PURPOSE => {
                    if let Some(message) = self.purpose_what_if(question, decision.verdict, i, lang)
                    {
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
                    if es {
                        let actors: Vec<String> = r
                            .binds
                            .iter()
                            .map(|b| match v.actor(b) {
                                Ok(id) => v.actor_phrase_in(id, lang).to_string(),
                                Err(_) => b.replace('_', " "),
                            })
                            .collect();
                        format!(
                            "`{}` ({}) {} esto a {}, no a {}",
                            r.id,
                            r.source_on(date).citation,
                            lang::modality_verb(r.modality_on(date), lang),
                            actors.join(", "),
                            v.actor_phrase_in(question.actor, lang)
                        )
                    } else {
                        format!(
                            "`{}` ({}) {} this for {}, not for {}",
                            r.id,
                            r.source_on(date).citation,
                            modality_word(r.modality_on(date)),
                            r.binds.join(", ").replace('_', " "),
                            v.actor_name(question.actor).replace('_', " ")
                        )
                    },
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
                    reasons.push(if es {
                        "se aplica, pero no es vinculante (orientación o contexto)".to_string()
                    } else {
                        "applies, but is not binding (guidance or context)".to_string()
                    });
                    "context"
                } else {
                    "not_applicable"
                };
                if failed & check::OTHER_PLACE != 0 {
                    reasons.push(format!(
                        "{} {} {}",
                        question.place.label_in(lang),
                        if es { "está fuera de" } else { "is outside" },
                        r.jurisdiction.label_in(lang)
                    ));
                }
                if failed & check::ACTOR != 0 {
                    reasons.push(if es {
                        format!(
                            "obliga a {}, no a {}",
                            r.binds.join(", "),
                            v.actor_name(question.actor)
                        )
                    } else {
                        format!(
                            "binds {}, not {}",
                            r.binds.join(", "),
                            v.actor_name(question.actor)
                        )
                    });
                }
                if failed & check::COUNTERPARTY != 0 {
                    reasons.push(format!(
                        "{} {}, {} {}",
                        if es { "se refiere a" } else { "concerns" },
                        r.counterparty.join(", "),
                        if es { "no a" } else { "not" },
                        v.counterparty_name(question.counterparty)
                    ));
                }
                if failed & check::PURPOSE != 0 {
                    reasons.push(format!(
                        "{} {}, {} {}",
                        if es {
                            "se refiere al fin"
                        } else {
                            "concerns the purpose"
                        },
                        r.purpose.join(", "),
                        if es { "no a" } else { "not" },
                        v.purpose_name(question.purpose)
                    ));
                }
                if failed & check::NOT_YET_EFFECTIVE != 0 {
                    reasons.push(format!(
                        "{} {}",
                        if es {
                            "no está vigente hasta el"
                        } else {
                            "not in force until"
                        },
                        r.start().map_or_else(String::new, day)
                    ));
                }
                if failed & check::EXPIRED != 0 {
                    reasons.push(format!(
                        "{} {}",
                        if es {
                            "vigente solo hasta el"
                        } else {
                            "in force only until"
                        },
                        r.effective_until.map_or_else(String::new, day)
                    ));
                }
                if failed & check::ENJOINED != 0 {
                    reasons.push(match r.status_event_on(date) {
                        Some(event) => format!(
                            "{}: {}",
                            lang::status_label(event.status, lang),
                            event.describe()
                        ),
                        None => lang::status_label(Status::Enjoined, lang).to_string(),
                    });
                }
                if failed & check::REPEALED != 0 {
                    reasons.push(lang::status_label(Status::Repealed, lang).to_string());
                }
                if failed & check::CONDITION != 0 {
                    let condition = r
                        .version_on(date)
                        .map_or(r.when.as_deref(), |v| v.when.as_deref())
                        .unwrap_or("");
                    reasons.push(if es {
                        format!("no se cumple su condición `{condition}`")
                    } else {
                        format!("its condition `{condition}` does not hold")
                    });
                }
                if outcome == "determining" || outcome == "concurring" {
                    reasons.push(if es {
                        format!(
                            "se aplica y {} el acto",
                            lang::modality_verb(r.modality_on(date), lang)
                        )
                    } else {
                        format!("applies and {} the act", modality_word(r.modality_on(date)))
                    });
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
        let place = question.place.label_in(lang);
        let branches = self.branches_in(question, decision, lang);
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
                message: if es {
                    format!(
                        "las fuentes se revisaron hasta el {}; la ley puede haber cambiado entre esa fecha y el {}",
                        day(read_through),
                        day(date)
                    )
                } else {
                    format!(
                        "the sources were read through {read_through}; the law may have changed between then and {date}"
                    )
                },
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
        let headline = if es {
            spanish_headline(
                v,
                question,
                decision.verdict,
                best_efforts,
                &branches,
                &searched,
            )
        } else if branches.is_empty() {
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
                    act_phrase(v, question, Lang::En),
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
            assumed: crate::places::assumed(
                &self.place_facts,
                &question.assumed,
                v,
                question,
                lang,
            ),
            searched,
            implied: self
                .implications_for(question)
                .map(|i| v.implication_definition_in(i, lang).to_string())
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
            disclaimer: if es { lang::DISCLAIMER_ES } else { DISCLAIMER },
            lang,
        }
    }

    /// If stating one more fact (or all of a rule's facts) makes rule `index` apply and changes
    /// the verdict, says so.
    fn condition_what_if(
        &self,
        question: &Question,
        verdict: Verdict,
        index: usize,
        lang: Lang,
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
                    .map(|&f| self.vocabulary.fact_condition_in(f, lang))
                    .collect();
                if lang == Lang::Es {
                    return Some(format!(
                        "si {}, se aplicaría {} y la respuesta sería {}",
                        conditions.join(" y "),
                        r.source_on(question.date).citation,
                        lang::verdict_words(new_verdict, lang)
                    ));
                }
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
        lang: Lang,
    ) -> Option<String> {
        let r = &self.rules[index];
        for &purpose in &r.compiled_on(question.date).purposes {
            let mut changed = question.clone();
            changed.purpose = purpose;
            let new_verdict = self.decide(&changed).verdict;
            if self.failed_checks(index, &changed) == 0 && new_verdict != verdict {
                if lang == Lang::Es {
                    return Some(format!(
                        "para {}, se aplicaría {} y la respuesta sería {}",
                        self.vocabulary.purpose_phrase_in(purpose, lang),
                        r.source_on(question.date).citation,
                        lang::verdict_words(new_verdict, lang)
                    ));
                }
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
    let act = act_phrase(v, question, Lang::En);
    let date = question.date;
    let cases: Vec<String> = branches
        .iter()
        .map(|b| {
            let cited_unique = branch_citations(b);
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

/// The citations of a branch's determining rules, each once, in order.
fn branch_citations(branch: &crate::depends::Branch) -> Vec<&str> {
    let mut cited: Vec<&str> = Vec::new();
    for c in &branch.determining {
        if !cited.contains(&c.citation.as_str()) {
            cited.push(&c.citation);
        }
    }
    cited
}

/// The act in words of `lang`, with its counterparty and (when stated) its purpose.
fn act_phrase(v: &Vocabulary, question: &Question, lang: Lang) -> String {
    let mut act = v.action_phrase_in(question.action, lang).replace(
        COUNTERPARTY_SLOT,
        v.counterparty_phrase_in(question.counterparty, lang),
    );
    if v.purpose_name(question.purpose) != "unspecified" {
        act.push_str(match lang {
            Lang::En => " for ",
            Lang::Es => " para ",
        });
        act.push_str(v.purpose_phrase_in(question.purpose, lang));
    }
    act
}

/// The answer in one sentence, from the vocabulary's phrases: `must not: the law in force on
/// 2026-01-15 forbids a municipal police department in El Cajon, California to share ALPR data
/// with a state or local agency of another state`.
fn headline(v: &Vocabulary, question: &Question, verdict: Verdict, best_efforts: bool) -> String {
    let actor = v.actor_phrase(question.actor);
    let place = question.place.phrase();
    let act = act_phrase(v, question, Lang::En);
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

/// The answer in one Spanish sentence: `no debe: la ley vigente el 15 de enero de 2026 prohíbe a
/// un departamento de policía municipal en El Cajon, California compartir datos de ALPR con una
/// agencia estatal o local de otro estado`. Built like the English one, with branches and
/// searched notes in the same places.
fn spanish_headline(
    v: &Vocabulary,
    question: &Question,
    verdict: Verdict,
    best_efforts: bool,
    branches: &[crate::depends::Branch],
    searched: &[crate::searched::SearchedNote],
) -> String {
    let lang = Lang::Es;
    let actor = v.actor_phrase_in(question.actor, lang);
    let place = lang::place_phrase(&question.place, lang);
    let act = act_phrase(v, question, Lang::Es);
    let date = lang::date(question.date, lang);
    let line = if !branches.is_empty() {
        let cases: Vec<String> = branches
            .iter()
            .map(|b| {
                let cited = branch_citations(b);
                let words = lang::verdict_words(b.verdict, lang);
                if cited.is_empty() {
                    format!("{words} si {}", b.short_condition_text())
                } else {
                    format!(
                        "{words} si {} ({})",
                        b.short_condition_text(),
                        cited.join("; ")
                    )
                }
            })
            .collect();
        format!(
            "depende: para que {actor} en {place} pueda {act}, la ley vigente el {date} indica: {}; en los demás casos, {}",
            cases.join("; "),
            lang::verdict_words(verdict, lang)
        )
    } else if verdict == Verdict::NoRule && !searched.is_empty() {
        let names: Vec<String> = searched
            .iter()
            .map(|s| {
                format!(
                    "la ley de {} (revisada el {})",
                    s.name.replace("the United States", "Estados Unidos"),
                    lang::date_text(&s.date, lang)
                )
            })
            .collect();
        format!(
            "no se encontró ninguna norma: no se halló ninguna ley sobre si {actor} en {place} puede {act} el {date}: {} no contiene ninguna sobre esta cuestión; esto no significa que el acto sea lícito",
            names.join(" y ")
        )
    } else {
        match verdict {
            Verdict::MustNot => {
                format!("no debe: la ley vigente el {date} prohíbe a {actor} en {place} {act}")
            }
            Verdict::Must if best_efforts => format!(
                "debe: la ley vigente el {date} exige a {actor} en {place} hacer todo lo posible por {act}"
            ),
            Verdict::Must => {
                format!("debe: la ley vigente el {date} exige a {actor} en {place} {act}")
            }
            Verdict::May => format!(
                "puede: la ley vigente el {date} permite, pero no exige, a {actor} en {place} {act}"
            ),
            Verdict::Conflict => format!(
                "conflicto: normas vigentes el {date} a la vez prohíben y exigen a {actor} en {place} {act}"
            ),
            Verdict::NoRule => format!(
                "no se encontró ninguna norma: el corpus no tiene ninguna norma sobre si {actor} en {place} puede {act} el {date}; esto no significa que el acto sea lícito"
            ),
            Verdict::Depends => format!(
                "depende: para que {actor} en {place} pueda {act}, la ley vigente el {date} depende de hechos no indicados"
            ),
        }
    };
    lang::contract_es(&line)
}
