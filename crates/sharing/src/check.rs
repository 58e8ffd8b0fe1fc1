//! Checking an edge: may this data owner share plate-reader data with this recipient, on this
//! date?
//!
//! Both ends go through the agency resolver (memoised per distinct name there). The owner gives
//! the law's actor (a police department is `local_police`, a sheriff's office `sheriff`) and the
//! place whose rules bind it (its city or county inside its state, so that a city ordinance
//! applies to the city's police); the recipient gives the counterparty, relative to the owner:
//!
//! | recipient                         | counterparty                                    |
//! |-----------------------------------|-------------------------------------------------|
//! | state or local, same state        | `in_state_agency`                               |
//! | state or local, another state     | `out_of_state_agency`                           |
//! | federal                           | the resolver's word (`border_patrol`, `ice`...), else `federal_other` |
//! | private                           | `private_entity`                                |
//! | unknown, or a state or local agency whose state is unknown | none: reported as unresolved, never guessed |
//!
//! The law engine decides each distinct (place, actor, counterparty, date) once; the decision
//! and its explanation (determining rules with citations, caveats) are shared by every edge that
//! asks the same question.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use remit_agencies::{AgencyClass, Resolution, Resolver};
use remit_law::{Citation, Corpus, Date, Jurisdiction, Verdict};
use serde::Serialize;

use crate::memo::Memo;

/// The action every edge asks about.
pub const ACTION: &str = remit_law::SHARE_PLATE_DATA;

/// Below this confidence a resolution is the resolver's guess (a name with no agency word taken
/// as a neighbourhood, a name with no state): such a party is grouped `unknown` and its edges
/// are not checked, since a verdict on a guess would be a guess too.
pub const MIN_CONFIDENCE: f32 = 0.6;

/// An agency as resolved, with what the law needs when it owns data.
#[derive(Clone, Debug, Serialize)]
pub struct Party {
    /// The name as written.
    pub input: String,
    /// The identity across name forms: ORI or directory id, else class, state, kind and name.
    pub key: String,
    /// A readable name: the directory's, or the name's words with abbreviations spelled out.
    pub name: String,
    /// The FBI ORI of the agency, when the name matched a directory row that has one.
    pub ori: Option<String>,
    /// The directory key of the matched agency (its ORI, or a slug for a federal agency the FBI
    /// list does not carry); `None` when no agency was matched.
    pub agency_id: Option<String>,
    /// Two-letter code of the agency's state; `None` for federal agencies and when unknown.
    pub state: Option<String>,
    /// Local, state, federal, private or unknown.
    pub class: AgencyClass,
    /// The kind of agency (`police_department`, `sheriff`, `state_police`...), when the name says.
    pub kind: Option<String>,
    /// The resolver's counterparty word (federal and private bodies).
    pub counterparty: Option<String>,
    /// How sure the resolver is of the class, state and agency, from 0 to 1; a recipient below
    /// [`MIN_CONFIDENCE`] is grouped unknown and not checked.
    pub confidence: f32,
    /// Why the resolver concluded what it did, one sentence each.
    pub reasons: Vec<String>,
    /// As a data owner: the vocabulary actor.
    pub actor: Option<&'static str>,
    /// As a data owner: why there is no actor.
    pub actor_note: Option<String>,
    /// As a data owner: the place whose rules bind it.
    pub place: Option<Jurisdiction>,
}

/// An agency's identity across the forms of its name: its ORI or directory id when the
/// resolver matched one, else its class, state, kind and readable name
/// (`local:CA:police_department:el cajon police department`).
pub fn party_key(resolution: &Resolution) -> String {
    match (&resolution.ori, &resolution.agency_id) {
        (Some(ori), _) => ori.clone(),
        (None, Some(id)) => id.clone(),
        (None, None) => format!(
            "{}:{}:{}:{}",
            resolution.class.as_str(),
            resolution.state.as_deref().unwrap_or("-"),
            resolution.kind.as_deref().unwrap_or("-"),
            resolution.name.to_lowercase()
        ),
    }
}

impl Party {
    fn from_resolution(resolution: &Resolution) -> Party {
        let key = party_key(resolution);
        let (actor, actor_note) = match actor_for(resolution.class, resolution.kind.as_deref()) {
            Ok(actor) => (Some(actor), None),
            Err(why) => (None, Some(why)),
        };
        Party {
            input: resolution.input.clone(),
            key,
            name: resolution.name.clone(),
            ori: resolution.ori.clone(),
            agency_id: resolution.agency_id.clone(),
            state: resolution.state.clone(),
            class: resolution.class,
            kind: resolution.kind.clone(),
            counterparty: resolution.counterparty.clone(),
            confidence: resolution.confidence,
            reasons: resolution.reasons.clone(),
            actor,
            actor_note,
            place: place_for(resolution),
        }
    }
}

/// Which side of the owner a recipient is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// A state or local agency in the owner's state.
    InState,
    /// A state or local agency in another state.
    OutOfState,
    /// A federal agency.
    Federal,
    /// A private company or other non-government body.
    Private,
    /// Not known well enough to be checked: an unresolved name, a guess below
    /// [`MIN_CONFIDENCE`], or a state or local agency whose state (or the owner's) is unknown.
    Unknown,
}

impl Group {
    /// Every group, in the order reports list them.
    pub const ALL: [Group; 5] = [
        Group::InState,
        Group::OutOfState,
        Group::Federal,
        Group::Private,
        Group::Unknown,
    ];

    /// The group's word as stored and shown in JSON and CSV (`in_state`, `out_of_state`, `federal`,
    /// `private`, `unknown`).
    pub fn as_str(self) -> &'static str {
        match self {
            Group::InState => "in_state",
            Group::OutOfState => "out_of_state",
            Group::Federal => "federal",
            Group::Private => "private",
            Group::Unknown => "unknown",
        }
    }

    /// Reads a group's word back; `None` for any other text.
    pub fn from_word(word: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.as_str() == word)
    }
}

impl std::fmt::Display for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl PartialEq<&str> for Group {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl remit_store::rusqlite::types::FromSql for Group {
    fn column_result(
        value: remit_store::rusqlite::types::ValueRef<'_>,
    ) -> remit_store::rusqlite::types::FromSqlResult<Self> {
        let word = value.as_str()?;
        Group::from_word(word).ok_or_else(|| {
            remit_store::rusqlite::types::FromSqlError::Other(
                format!("`{word}` is not a recipient group").into(),
            )
        })
    }
}

/// The vocabulary actor for an agency that owns data, or why there is none
/// ([`remit_agencies::law::owner_actor`], shared with the audit pipeline).
pub fn actor_for(class: AgencyClass, kind: Option<&str>) -> Result<&'static str, String> {
    remit_agencies::law::owner_actor(class, kind)
}

/// The place whose rules bind an owner ([`remit_agencies::law::division`], shared with the audit
/// pipeline): its city or county inside its state, else the state.
pub fn place_for(resolution: &Resolution) -> Option<Jurisdiction> {
    let division = remit_agencies::law::division(resolution)?;
    Jurisdiction::parse_ocd(&division).ok().or_else(|| {
        resolution
            .state
            .as_deref()
            .and_then(Jurisdiction::for_state)
    })
}

/// Where the recipient stands relative to the owner, and the counterparty word if it can be
/// told; the note says why not, or what was assumed.
pub fn group_of(
    owner_state: Option<&str>,
    recipient: &Party,
) -> (Group, Option<String>, Option<String>) {
    if recipient.confidence < MIN_CONFIDENCE && recipient.class != AgencyClass::Unknown {
        return (
            Group::Unknown,
            None,
            Some(format!(
                "the resolver's guess (a {} body{}, confidence {:.2}, below {MIN_CONFIDENCE:.2}): not checked",
                recipient.class.as_str(),
                recipient
                    .state
                    .as_deref()
                    .map(|s| format!(" in {s}"))
                    .unwrap_or_default(),
                recipient.confidence
            )),
        );
    }
    match recipient.class {
        AgencyClass::Federal => match &recipient.counterparty {
            Some(word) => (Group::Federal, Some(word.clone()), None),
            None => (
                Group::Federal,
                Some("federal_other".to_string()),
                Some("a federal agency the federal-agency file does not know: checked as `federal_other`".to_string()),
            ),
        },
        AgencyClass::Private => (Group::Private, Some("private_entity".to_string()), None),
        AgencyClass::Local | AgencyClass::State => match (owner_state, recipient.state.as_deref()) {
            (Some(home), Some(state)) if home == state => {
                (Group::InState, Some("in_state_agency".to_string()), None)
            }
            (Some(_), Some(_)) => (Group::OutOfState, Some("out_of_state_agency".to_string()), None),
            (None, Some(_)) => (
                Group::Unknown,
                None,
                Some("the owner's state is unknown, so in or out of state cannot be told".to_string()),
            ),
            (_, None) => (
                Group::Unknown,
                None,
                Some(format!(
                    "a {} agency whose state is unknown: not guessed",
                    recipient.class.as_str()
                )),
            ),
        },
        AgencyClass::Unknown => (
            Group::Unknown,
            None,
            Some(format!("cannot tell what `{}` is: not guessed", recipient.input)),
        ),
    }
}

/// One distinct question and the law's answer.
#[derive(Clone, Debug, Serialize)]
pub struct DecisionSummary {
    /// The place whose rules were asked, as its division id (`ocd-division/country:us/state:ca`).
    pub place: String,
    /// The vocabulary actor that owns the data (`local_police`, `sheriff`...).
    pub actor: String,
    /// The vocabulary counterparty that would receive it (`in_state_agency`, `ice_ero`...).
    pub counterparty: String,
    /// The date the question was asked for (the list's date), as YYYY-MM-DD.
    pub date: String,
    /// The law's verdict when no unstated fact holds.
    pub verdict: Verdict,
    /// The answer in one plain sentence, saying when it turns on a fact a list cannot show.
    pub headline: String,
    /// Ids of the rules that set the verdict.
    pub determining: Vec<String>,
    /// Why the answer deserves care, one sentence each.
    pub caveats: Vec<String>,
}

/// An edge's verdict: the law's, or `unchecked` when the edge could not be asked about (see
/// the edge's note). Written and read as the word (`must_not`, `unchecked`) in the store, the
/// JSON and the CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeVerdict {
    /// The law's verdict on the edge.
    Decided(Verdict),
    /// Not asked: an end unresolved, no actor, or the owner itself.
    Unchecked,
}

impl EdgeVerdict {
    /// The word: a verdict's name, or `unchecked`.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeVerdict::Decided(verdict) => verdict.name(),
            EdgeVerdict::Unchecked => "unchecked",
        }
    }

    /// Reads the word back.
    pub fn parse(word: &str) -> Option<EdgeVerdict> {
        if word == "unchecked" {
            return Some(EdgeVerdict::Unchecked);
        }
        Verdict::ALL
            .into_iter()
            .chain([Verdict::Depends])
            .find(|v| v.name() == word)
            .map(EdgeVerdict::Decided)
    }

    /// A prohibition survives (alone or in conflict with a requirement).
    pub fn is_flagged(self) -> bool {
        matches!(
            self,
            EdgeVerdict::Decided(Verdict::MustNot | Verdict::Conflict)
        )
    }
}

impl std::fmt::Display for EdgeVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl PartialEq<&str> for EdgeVerdict {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for EdgeVerdict {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl remit_store::rusqlite::types::FromSql for EdgeVerdict {
    fn column_result(
        value: remit_store::rusqlite::types::ValueRef<'_>,
    ) -> remit_store::rusqlite::types::FromSqlResult<Self> {
        let word = value.as_str()?;
        EdgeVerdict::parse(word).ok_or_else(|| {
            remit_store::rusqlite::types::FromSqlError::Other(
                format!("`{word}` is not a verdict").into(),
            )
        })
    }
}

/// What became of one edge.
#[derive(Clone, Debug)]
pub struct EdgeCheck {
    /// Where the recipient stands relative to the owner.
    pub group: Group,
    /// The vocabulary counterparty word put to the law; `None` when it cannot be told.
    pub counterparty: Option<String>,
    /// `None` when the edge could not be checked (see `note`).
    pub decision: Option<Arc<DecisionSummary>>,
    /// Why the edge was not checked, or what was assumed in checking it; `None` when there is
    /// nothing to say.
    pub note: Option<String>,
}

impl EdgeCheck {
    /// The edge's verdict: the law's, or unchecked.
    pub fn verdict(&self) -> EdgeVerdict {
        self.decision
            .as_ref()
            .map_or(EdgeVerdict::Unchecked, |d| EdgeVerdict::Decided(d.verdict))
    }

    /// The verdict's word, or `unchecked`.
    pub fn verdict_word(&self) -> &'static str {
        self.verdict().as_str()
    }
}

type DecisionKey = (String, &'static str, String, Date);

/// How many resolved names a [`Checker`] keeps by default (in each of its memo's two
/// generations): more than the distinct names of every real list together (the 187 archived
/// portals and the released lists give about 5,000), so that they are each resolved once.
pub const DEFAULT_MEMO_LIMIT: usize = 8192;

/// Resolves parties and checks edges, memoising decisions per distinct question.
///
/// Resolved names are memoised within a bound ([`Checker::with_memo_limit`]), so that checking
/// lists of any number of distinct names needs the same memory; a name resolved again after it
/// was dropped resolves the same. Decisions are memoised whole: there is one per distinct
/// question (the owner's place, its actor, the recipient's counterparty word and the list's
/// date), so they grow with the lists, not with the names on them.
#[derive(Debug)]
pub struct Checker<'c> {
    corpus: &'c Corpus,
    resolver: Resolver,
    parties: Memo<(String, String, String), Arc<Party>>,
    decisions: HashMap<DecisionKey, Arc<DecisionSummary>>,
    rules: BTreeMap<String, Citation>,
}

impl<'c> Checker<'c> {
    /// A checker that asks `corpus` and resolves names with `resolver`, with empty memos that
    /// keep up to [`DEFAULT_MEMO_LIMIT`] names.
    pub fn new(corpus: &'c Corpus, resolver: Resolver) -> Checker<'c> {
        Checker {
            corpus,
            resolver,
            parties: Memo::new(DEFAULT_MEMO_LIMIT),
            decisions: HashMap::new(),
            rules: BTreeMap::new(),
        }
    }

    /// The same checker keeping at most `limit` resolved names in each of its two memo
    /// generations, and starting a resolver of its own (over the same directory) whenever the
    /// one it resolves with holds more than twice that many, so that the resolver's memo stays
    /// under three times `limit`: memory for names stays within the bound whatever their
    /// number, at the cost of resolving again a name met after it was dropped. A refresh also
    /// reads entries and remembers the store's ids of parties within this bound. At least 1.
    pub fn with_memo_limit(mut self, limit: usize) -> Checker<'c> {
        self.parties = Memo::new(limit);
        self
    }

    /// The memo limit ([`Checker::with_memo_limit`]).
    pub fn memo_limit(&self) -> usize {
        self.parties.limit()
    }

    /// How many resolved names the checker keeps now (at most twice its memo limit).
    pub fn memoised(&self) -> usize {
        self.parties.len()
    }

    /// The law corpus the checker asks.
    pub fn corpus(&self) -> &'c Corpus {
        self.corpus
    }

    /// The agency resolver the checker resolves names with.
    pub fn resolver(&self) -> &Resolver {
        &self.resolver
    }

    /// Resolves a name as written, with the state a list gives beside it and the state of the
    /// list's owner (which settles names found in several states).
    pub fn party(
        &mut self,
        name: &str,
        state_hint: Option<&str>,
        home_state: Option<&str>,
    ) -> Arc<Party> {
        let key = (
            name.to_string(),
            state_hint.unwrap_or("").to_string(),
            home_state.unwrap_or("").to_string(),
        );
        if let Some(found) = self.parties.get(&key) {
            return found;
        }
        let resolution = self.resolver.resolve_shared(name, state_hint, home_state);
        let party = Arc::new(Party::from_resolution(&resolution));
        if self.parties.insert(key, Arc::clone(&party)) {
            // The resolver memoises every name it is asked without a bound: once it holds more
            // than this checker keeps, the checker resolves with a resolver of its own over the
            // same directory (cheap: the directory is shared), starting with an empty memo.
            if self.resolver.cached() > 2 * self.parties.limit() {
                self.resolver = Resolver::new(self.resolver.directory().clone());
            }
        }
        party
    }

    /// Checks `owner` sharing with `recipient` on `date`.
    pub fn check(&mut self, owner: &Party, recipient: &Party, date: Date) -> EdgeCheck {
        let (group, counterparty, group_note) = group_of(owner.state.as_deref(), recipient);
        let unchecked = |note: String| EdgeCheck {
            group,
            counterparty: counterparty.clone(),
            decision: None,
            note: Some(note),
        };
        let Some(actor) = owner.actor else {
            let why = owner.actor_note.as_deref().unwrap_or("no actor");
            return unchecked(format!("owner not checked: {why}"));
        };
        let Some(place) = &owner.place else {
            return unchecked("owner not checked: its state is unknown".to_string());
        };
        if owner.confidence < MIN_CONFIDENCE {
            return unchecked(format!(
                "owner not checked: resolved with confidence {:.2}, below {MIN_CONFIDENCE:.2}",
                owner.confidence
            ));
        }
        let Some(word) = counterparty.clone() else {
            return unchecked(group_note.unwrap_or_else(|| "recipient unresolved".to_string()));
        };
        if recipient.key == owner.key {
            return unchecked("the owner itself".to_string());
        }
        let key: DecisionKey = (place.as_str().to_string(), actor, word, date);
        let decision = match self.decisions.get(&key) {
            Some(found) => Arc::clone(found),
            None => match self.decide(&key) {
                Ok(decision) => {
                    let decision = Arc::new(decision);
                    self.decisions.insert(key, Arc::clone(&decision));
                    decision
                }
                Err(why) => return unchecked(why),
            },
        };
        EdgeCheck {
            group,
            counterparty,
            decision: Some(decision),
            note: group_note,
        }
    }

    fn decide(&mut self, key: &DecisionKey) -> Result<DecisionSummary, String> {
        let (place, actor, counterparty, date) = key;
        let sharing = remit_law::SharingQuestion {
            place,
            actor,
            counterparty,
            purpose: None,
            date: *date,
        };
        let (question, decision) =
            self.corpus
                .may_share_plate_data(&sharing)
                .map_err(|errors| {
                    format!(
                        "the law engine refused the question: {}",
                        errors
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; ")
                    )
                })?;
        let answer = self.corpus.explain(&question, &decision);
        for citation in &answer.determining {
            self.rules
                .entry(citation.id.clone())
                .or_insert_with(|| citation.clone());
        }
        Ok(DecisionSummary {
            place: place.clone(),
            actor: (*actor).to_string(),
            counterparty: counterparty.clone(),
            date: date.to_string(),
            // An edge records the verdict when no unstated fact holds; the headline says when
            // the answer turns on one (`depends: ...; otherwise may`).
            verdict: decision.verdict,
            headline: answer.headline.clone(),
            determining: answer.determining.iter().map(|c| c.id.clone()).collect(),
            // The facts that would change the answer come first: a list cannot show them.
            caveats: answer
                .branches
                .iter()
                .map(|b| {
                    let cited: Vec<&str> =
                        b.determining.iter().map(|c| c.citation.as_str()).collect();
                    format!(
                        "if {}, the answer would be {} ({})",
                        b.condition_text(),
                        b.verdict.words(),
                        cited.join("; ")
                    )
                })
                .chain(answer.caveats.iter().map(|c| c.message.clone()))
                .collect(),
        })
    }

    /// Every rule cited so far, by id.
    pub fn rules(&self) -> &BTreeMap<String, Citation> {
        &self.rules
    }

    /// How many distinct questions were put to the law engine.
    pub fn decisions(&self) -> usize {
        self.decisions.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors_by_kind() {
        assert_eq!(
            actor_for(AgencyClass::Local, Some("police_department")),
            Ok("local_police")
        );
        assert_eq!(
            actor_for(AgencyClass::Local, Some("sheriff")),
            Ok("sheriff")
        );
        assert_eq!(
            actor_for(AgencyClass::State, Some("state_police")),
            Ok("state_police")
        );
        assert_eq!(
            actor_for(AgencyClass::Local, Some("university")),
            Ok("campus_police")
        );
        assert_eq!(
            actor_for(AgencyClass::State, Some("fire")),
            Ok("state_agency")
        );
        assert!(actor_for(AgencyClass::Local, Some("tribal")).is_err());
        assert!(actor_for(AgencyClass::Federal, Some("federal_agency")).is_err());
        assert!(actor_for(AgencyClass::Local, None).is_err());
    }
}
