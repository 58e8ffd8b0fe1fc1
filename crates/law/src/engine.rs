//! The decision engine: DESIGN.md's five steps.
//!
//! 1. Applicability: rules in force on the date, at the place or an ancestor, binding the actor,
//!    matching action, counterparty (through the tree), purpose, and whose `when` holds.
//! 2. Exceptions: an applicable rule that is `exception_to` X defeats X, unless it is itself
//!    defeated by an exception of its own (nesting).
//! 3. Levels: between surviving rules of different levels that conflict, a rule that `preempts`
//!    the other wins; a permission never outweighs a prohibition (a lower level may be stricter,
//!    and a lower permission cannot authorise what a higher level forbids).
//! 4. The verdict from what survives, in one `match` ([`verdict_from`]).
//! 5. The explanation, built separately in `answer.rs` so that bulk callers (the audit pipeline)
//!    pay only for steps 1 to 4.
//!
//! Nothing here depends on the order of rules in files.

use serde::{Deserialize, Serialize};

use crate::corpus::Corpus;
use crate::date::{Date, DateError};
use crate::jurisdiction::{Jurisdiction, PlaceError};
use crate::rule::{Modality, Status};
use crate::vocabulary::{
    ActionId, ActorId, CounterpartyId, FactSet, PurposeId, UnknownWord, Vocabulary,
};

/// The outcome of a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A prohibition survives.
    MustNot,
    /// A requirement survives.
    Must,
    /// Only permissions survive.
    May,
    /// A prohibition and a requirement both survive.
    Conflict,
    /// No rule in the corpus applies: the corpus is silent, which does not make the act lawful.
    NoRule,
    /// Only in answers, never from [`Corpus::decide`]: a fact or purpose the question leaves
    /// unstated would change the verdict; the answer lists each branch.
    Depends,
}

impl Verdict {
    /// The verdict as written in JSON and scenarios, e.g. `must_not`.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::MustNot => "must_not",
            Verdict::Must => "must",
            Verdict::May => "may",
            Verdict::Conflict => "conflict",
            Verdict::NoRule => "no_rule",
            Verdict::Depends => "depends",
        }
    }

    /// The verdict in plain words, as a headline says it: `must not`, `no rule found`.
    pub fn words(self) -> &'static str {
        match self {
            Verdict::MustNot => "must not",
            Verdict::Must => "must",
            Verdict::May => "may",
            Verdict::Conflict => "conflict",
            Verdict::NoRule => "no rule found",
            Verdict::Depends => "depends",
        }
    }

    /// The verdicts [`Corpus::decide`] gives (every one but `depends`).
    pub const ALL: [Verdict; 5] = [
        Verdict::MustNot,
        Verdict::Must,
        Verdict::May,
        Verdict::Conflict,
        Verdict::NoRule,
    ];
}

/// Step 4, the combining table. `prohibited`, `required` and `permitted` say whether at least
/// one surviving binding rule has that modality.
pub fn verdict_from(prohibited: bool, required: bool, permitted: bool) -> Verdict {
    match (prohibited, required, permitted) {
        // A prohibition and a requirement both survive: the officer cannot satisfy both. Name
        // both, decide neither.
        (true, true, _) => Verdict::Conflict,
        // A prohibition survives and nothing requires the act. Surviving permissions were
        // already defeated by the prohibition in step 3, so none can remain here.
        (true, false, _) => Verdict::MustNot,
        // A requirement survives and nothing prohibits: the act is a duty (permissions agree).
        (false, true, _) => Verdict::Must,
        // Only permissions survive: the act is allowed, not required.
        (false, false, true) => Verdict::May,
        // Nothing applies: the corpus is silent. Not the same as "lawful".
        (false, false, false) => Verdict::NoRule,
    }
}

/// A question as a user writes it, before validation.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct QuestionInput {
    /// An OCD id, a state code or a state name.
    pub place: String,
    /// `YYYY-MM-DD`; the caller supplies today's date when the user gives none.
    pub date: Option<String>,
    /// The actor asking, a vocabulary word or alias (one actor, not a group).
    pub actor: String,
    /// The act asked about, a vocabulary word or alias.
    pub action: String,
    /// Who the act is done with or for; `None` means `federal_immigration`.
    pub counterparty: Option<String>,
    /// Why the act is done; `None` means `unspecified`, which matches no rule limited to purposes.
    pub purpose: Option<String>,
    /// Facts stated to hold, as vocabulary words; a word prefixed `!` states that the fact does not
    /// hold.
    #[serde(default)]
    pub facts: Vec<String>,
}

/// A validated question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// The place asked about.
    pub place: Jurisdiction,
    /// Divisions that contain the place without being its ancestors in the OCD id (the county a
    /// city lies in), from the corpus's `places.toml`. Their rules apply too.
    pub within: Vec<Jurisdiction>,
    /// The day the question is asked about.
    pub date: Date,
    /// The actor asking.
    pub actor: ActorId,
    /// The act asked about.
    pub action: ActionId,
    /// Who the act is done with or for.
    pub counterparty: CounterpartyId,
    /// Why the act is done.
    pub purpose: PurposeId,
    /// Facts stated to hold, plus facts known about the place; every other fact is taken as not
    /// holding.
    pub facts: FactSet,
    /// The facts as given, for echoing back.
    pub fact_names: Vec<String>,
    /// Facts stated not to hold (`!fact`): never assumed, never offered as a branch.
    pub false_facts: FactSet,
    /// The facts stated not to hold as given, for echoing back.
    pub false_fact_names: Vec<String>,
    /// Facts known about the place that were added to `facts` (indices into the corpus's place
    /// facts), shown in the answer as assumed.
    pub assumed: Vec<usize>,
}

/// One thing wrong with a question, naming the field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuestionError {
    /// The place could not be read.
    #[error("`where`: {0}")]
    Place(PlaceError),
    /// The date could not be read.
    #[error("`date`: {0}")]
    Date(DateError),
    /// No date was given.
    #[error("`date`: no date given")]
    MissingDate,
    /// A word is not in the vocabulary.
    #[error("`{field}`: {source}")]
    Word {
        /// The question's field that holds the word (`actor`, `action`, `counterparty`, `purpose`,
        /// `facts`).
        field: &'static str,
        /// The word and the vocabulary's suggestions.
        source: UnknownWord,
    },
    /// The actor named is a group of actors (e.g. `any_law_enforcement`).
    #[error("`actor`: `{0}` is a group of actors; a question names one actor")]
    ActorGroup(String),
}

impl QuestionError {
    /// A hint on how to fix the question (the accepted forms or the nearest words); `None` when
    /// there is none.
    pub fn help(&self) -> Option<String> {
        match self {
            QuestionError::Place(e) => Some(e.help()),
            QuestionError::Date(_) | QuestionError::MissingDate => {
                Some("write dates as 2026-12-07, 12/07/2026 or Dec 7 2026".to_string())
            }
            QuestionError::Word { source, .. } => Some(source.help()),
            QuestionError::ActorGroup(_) => {
                Some("name one actor, e.g. `sheriff` or `local_police`".to_string())
            }
        }
    }
}

impl Question {
    /// Validates a question. `date` overrides the text date when given. All problems are
    /// reported at once.
    pub fn from_input(
        input: &QuestionInput,
        vocabulary: &Vocabulary,
        date: Option<Date>,
    ) -> Result<Question, Vec<QuestionError>> {
        let mut errors = Vec::new();
        let place = Jurisdiction::parse_place(&input.place)
            .map_err(|e| errors.push(QuestionError::Place(e)))
            .ok();
        let date = match (date, &input.date) {
            (Some(d), _) => Some(d),
            (None, Some(text)) => Date::parse_loose(text, None)
                .map_err(|e| errors.push(QuestionError::Date(e)))
                .ok(),
            (None, None) => {
                errors.push(QuestionError::MissingDate);
                None
            }
        };
        fn word<T>(
            field: &'static str,
            result: Result<T, UnknownWord>,
            errors: &mut Vec<QuestionError>,
        ) -> Option<T> {
            result
                .map_err(|source| errors.push(QuestionError::Word { field, source }))
                .ok()
        }
        let actor = if vocabulary
            .actor_groups()
            .iter()
            .any(|g| g.name == input.actor)
        {
            errors.push(QuestionError::ActorGroup(input.actor.clone()));
            None
        } else {
            word("actor", vocabulary.actor(&input.actor), &mut errors)
        };
        let action = word("action", vocabulary.action(&input.action), &mut errors);
        let counterparty = word(
            "counterparty",
            vocabulary.counterparty(
                input
                    .counterparty
                    .as_deref()
                    .unwrap_or("federal_immigration"),
            ),
            &mut errors,
        );
        let purpose = word(
            "purpose",
            vocabulary.purpose(input.purpose.as_deref().unwrap_or("unspecified")),
            &mut errors,
        );
        let mut facts = FactSet::default();
        let mut false_facts = FactSet::default();
        let mut fact_names = Vec::new();
        let mut false_fact_names = Vec::new();
        for text in input.facts.iter().flat_map(|f| f.split(',')) {
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let (negated, name) = match text.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => match text.strip_prefix("not ") {
                    Some(rest) => (true, rest.trim()),
                    None => (false, text),
                },
            };
            if let Some(id) = word("fact", vocabulary.fact(name), &mut errors) {
                let canonical = vocabulary.fact_name(id).to_string();
                if negated {
                    false_facts.insert(id);
                    false_fact_names.push(canonical);
                } else {
                    facts.insert(id);
                    fact_names.push(canonical);
                }
            }
        }
        match (place, date, actor, action, counterparty, purpose) {
            (
                Some(place),
                Some(date),
                Some(actor),
                Some(action),
                Some(counterparty),
                Some(purpose),
            ) if errors.is_empty() => Ok(Question {
                place,
                within: Vec::new(),
                date,
                actor,
                action,
                counterparty,
                purpose,
                facts,
                fact_names,
                false_facts,
                false_fact_names,
                assumed: Vec::new(),
            }),
            _ => Err(errors),
        }
    }
}

/// Why a rule did not apply. A rule can fail several checks; the first three (place, actor,
/// counterparty) make it irrelevant, the others make it "nearly applicable" and may become
/// caveats.
pub mod check {
    /// The rule is for another place.
    pub const OTHER_PLACE: u16 = 1 << 0;
    /// The rule does not bind the actor asking.
    pub const ACTOR: u16 = 1 << 1;
    /// The rule does not cover the counterparty.
    pub const COUNTERPARTY: u16 = 1 << 2;
    /// The rule is limited to other purposes.
    pub const PURPOSE: u16 = 1 << 3;
    /// The rule is not in force yet on the date asked.
    pub const NOT_YET_EFFECTIVE: u16 = 1 << 4;
    /// The rule was no longer in force on the date asked.
    pub const EXPIRED: u16 = 1 << 5;
    /// A court has blocked, suspended or struck down the rule on the date asked.
    pub const ENJOINED: u16 = 1 << 6;
    /// The rule was repealed by the date asked.
    pub const REPEALED: u16 = 1 << 7;
    /// The rule's `when` condition does not hold on the facts given.
    pub const CONDITION: u16 = 1 << 8;
    /// The three checks that make a rule irrelevant to the question.
    pub const IRRELEVANT: u16 = OTHER_PLACE | ACTOR | COUNTERPARTY;
}

/// How a surviving-or-not applicable rule was defeated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Defeat {
    /// An applicable exception (itself undefeated) carves the rule out.
    Exception {
        /// The index of the exception in the corpus's rules.
        by: usize,
    },
    /// A higher level's rule preempts it.
    Preempted {
        /// The index of the preempting rule in the corpus's rules.
        by: usize,
    },
    /// A permission that a higher level's prohibition outweighs.
    HigherProhibits {
        /// The index of the prohibiting rule in the corpus's rules.
        by: usize,
    },
    /// A permission that a lower level's stricter prohibition outweighs.
    LowerStricter {
        /// The index of the prohibiting rule in the corpus's rules.
        by: usize,
    },
    /// A permission at the same level as a prohibition that it is not an exception to.
    SameLevelProhibition {
        /// The index of the prohibiting rule in the corpus's rules.
        by: usize,
    },
}

/// Steps 1 to 4, without text.
#[derive(Clone, Debug)]
pub struct Decision {
    /// The verdict the surviving rules set (never [`Verdict::Depends`]).
    pub verdict: Verdict,
    /// Every rule indexed under the action, with its failed checks (0 = applies).
    pub considered: Vec<(usize, u16)>,
    /// Indices of the surviving rules that set the verdict.
    pub determining: Vec<usize>,
    /// Indices of the rules that applied but lost, each with how it lost.
    pub defeated: Vec<(usize, Defeat)>,
    /// Applicable rules that do not bind (guidance, context), shown beside the answer.
    pub context: Vec<usize>,
    /// Surviving binding rules that did not set the verdict (a permission beside a duty).
    pub concurring: Vec<usize>,
}

impl Corpus {
    /// Validates a question against this corpus's vocabulary.
    pub fn question(&self, input: &QuestionInput) -> Result<Question, Vec<QuestionError>> {
        let mut question = Question::from_input(input, &self.vocabulary, None)?;
        question.within = self.places_containing(&question.place);
        question.assumed = crate::places::apply(&self.place_facts, &mut question);
        Ok(question)
    }

    /// The broader actions the question's action implies for its purpose: their rules apply too.
    pub fn implications_for<'a>(
        &'a self,
        question: &'a Question,
    ) -> impl Iterator<Item = &'a crate::vocabulary::Implication> + 'a {
        self.vocabulary
            .implications(question.action)
            .iter()
            .filter(|i| i.purpose_id.is_none_or(|p| p == question.purpose))
    }

    /// Step 1 for one rule: the checks it fails (0 when it applies).
    pub(crate) fn failed_checks(&self, index: usize, question: &Question) -> u16 {
        let rule = &self.rules[index];
        let c = rule.compiled_on(question.date);
        let mut failed = 0;
        if !rule.jurisdiction.contains(&question.place)
            && !question
                .within
                .iter()
                .any(|w| rule.jurisdiction.contains(w))
        {
            failed |= check::OTHER_PLACE;
        }
        if c.binds_mask & (1 << question.actor.0) == 0 {
            failed |= check::ACTOR;
        }
        if !c.counterparties.is_empty()
            && !c.counterparties.iter().any(|&cp| {
                self.vocabulary
                    .counterparty_within(question.counterparty, cp)
            })
        {
            failed |= check::COUNTERPARTY;
        }
        if !c.purposes.is_empty() && !c.purposes.contains(&question.purpose) {
            failed |= check::PURPOSE;
        }
        if rule.start().is_some_and(|from| question.date < from) {
            failed |= check::NOT_YET_EFFECTIVE;
        }
        if rule
            .effective_until
            .is_some_and(|until| question.date > until)
        {
            failed |= check::EXPIRED;
        }
        match rule.status_on(question.date) {
            Status::Enjoined | Status::Stayed | Status::Vacated => failed |= check::ENJOINED,
            Status::Repealed => failed |= check::REPEALED,
            Status::InForce | Status::Contested => {}
        }
        if c.when.as_ref().is_some_and(|w| !w.holds(&question.facts)) {
            failed |= check::CONDITION;
        }
        failed
    }

    /// Steps 1 to 4.
    pub fn decide(&self, question: &Question) -> Decision {
        let date = question.date;
        let mut considered: Vec<(usize, u16)> = self.by_action[usize::from(question.action.0)]
            .iter()
            .map(|&i| (i, self.failed_checks(i, question)))
            .collect();
        // A way of doing a broader act is forbidden where the broader act is: prohibitions on
        // an implied action (and the exceptions carved out of them) apply. Duties and
        // permissions do not pass down: a duty to assist is not a duty to do every act that
        // assists.
        for implication in self.implications_for(question) {
            let reached = &self.by_action[usize::from(implication.implied_id.0)];
            let mut taken: Vec<usize> = reached
                .iter()
                .copied()
                .filter(|&i| self.rules[i].modality_on(date) == Modality::Prohibited)
                .collect();
            loop {
                let before = taken.len();
                for &i in reached {
                    if !taken.contains(&i)
                        && self.rules[i]
                            .compiled
                            .exception_to
                            .iter()
                            .any(|t| taken.contains(t))
                    {
                        taken.push(i);
                    }
                }
                if taken.len() == before {
                    break;
                }
            }
            for i in taken {
                if !considered.iter().any(|&(c, _)| c == i) {
                    considered.push((i, self.failed_checks(i, question)));
                }
            }
        }
        let applies = |index: usize| {
            considered
                .iter()
                .any(|&(i, failed)| i == index && failed == 0)
        };

        // Step 1: applicable rules; non-binding ones are context only.
        let mut context = Vec::new();
        let mut applicable = Vec::new();
        for &(index, failed) in &considered {
            if failed == 0 {
                if self.rules[index].binding {
                    applicable.push(index)
                } else {
                    context.push(index)
                }
            }
        }

        // Step 2: exceptions, nested. A rule survives when no surviving exception applies.
        let mut memo: Vec<(usize, Option<usize>)> = Vec::new();
        let mut defeated = Vec::new();
        let mut survivors = Vec::new();
        for &index in &applicable {
            match self.defeating_exception(index, &applies, &mut memo) {
                Some(by) => defeated.push((index, Defeat::Exception { by })),
                None => survivors.push(index),
            }
        }

        // Step 3a: preemption, from the highest level down, so that a preempted rule preempts
        // nothing.
        survivors.sort_by_key(|&i| (self.rules[i].jurisdiction.depth(), i));
        let mut alive = vec![true; survivors.len()];
        for h in 0..survivors.len() {
            if !alive[h] {
                continue;
            }
            let higher = &self.rules[survivors[h]];
            for l in 0..survivors.len() {
                let lower = &self.rules[survivors[l]];
                if alive[l]
                    && higher.jurisdiction.strictly_contains(&lower.jurisdiction)
                    && conflicts(higher.modality_on(date), lower.modality_on(date))
                    && (higher.compiled.preempts_lower
                        || higher.compiled.preempts_rules.contains(&survivors[l]))
                {
                    alive[l] = false;
                    defeated.push((survivors[l], Defeat::Preempted { by: survivors[h] }));
                }
            }
        }
        let survivors: Vec<usize> = survivors
            .iter()
            .zip(&alive)
            .filter(|(_, a)| **a)
            .map(|(i, _)| *i)
            .collect();

        // Step 3b: a surviving prohibition outweighs every surviving permission.
        let mut remaining = Vec::new();
        for &index in &survivors {
            let rule = &self.rules[index];
            let prohibition = (rule.modality_on(date) == Modality::Permitted)
                .then(|| {
                    survivors
                        .iter()
                        .copied()
                        .find(|&p| self.rules[p].modality_on(date) == Modality::Prohibited)
                })
                .flatten();
            match prohibition {
                None => remaining.push(index),
                Some(by) => {
                    let other = &self.rules[by].jurisdiction;
                    let reason = if other.strictly_contains(&rule.jurisdiction) {
                        Defeat::HigherProhibits { by }
                    } else if rule.jurisdiction.strictly_contains(other) {
                        Defeat::LowerStricter { by }
                    } else {
                        Defeat::SameLevelProhibition { by }
                    };
                    defeated.push((index, reason));
                }
            }
        }

        // Step 4.
        let has = |m: Modality| {
            remaining
                .iter()
                .any(|&i| self.rules[i].modality_on(date) == m)
        };
        let verdict = verdict_from(
            has(Modality::Prohibited),
            has(Modality::Required),
            has(Modality::Permitted),
        );
        let sets_verdict = |m: Modality| match verdict {
            Verdict::MustNot => m == Modality::Prohibited,
            Verdict::Must => m == Modality::Required,
            Verdict::May => m == Modality::Permitted,
            Verdict::Conflict => m != Modality::Permitted,
            Verdict::NoRule | Verdict::Depends => false,
        };
        let (determining, concurring) = remaining
            .into_iter()
            .partition(|&i| sets_verdict(self.rules[i].modality_on(date)));
        Decision {
            verdict,
            considered,
            determining,
            defeated,
            context,
            concurring,
        }
    }

    /// The undefeated applicable exception that defeats `index`, if any. `memo` caches answers
    /// per rule within one decision.
    fn defeating_exception(
        &self,
        index: usize,
        applies: &dyn Fn(usize) -> bool,
        memo: &mut Vec<(usize, Option<usize>)>,
    ) -> Option<usize> {
        if let Some(&(_, known)) = memo.iter().find(|(i, _)| *i == index) {
            return known;
        }
        let mut result = None;
        for &exception in &self.exceptions_of[index] {
            // INVARIANT: exceptions form no cycle (checked at load), so this recursion ends.
            if applies(exception)
                && self.rules[exception].binding
                && self.defeating_exception(exception, applies, memo).is_none()
            {
                result = Some(exception);
                break;
            }
        }
        memo.push((index, result));
        result
    }
}

/// Two modalities conflict when one prohibits the act and the other requires or permits it.
fn conflicts(a: Modality, b: Modality) -> bool {
    (a == Modality::Prohibited) != (b == Modality::Prohibited)
}
