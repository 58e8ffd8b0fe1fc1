//! The shared vocabulary: actors, counterparties, actions, purposes and facts.
//!
//! Corpus, engine, audit findings and the API speak only these words, so a typo in a rule or a
//! question is caught at once, with a suggestion, instead of silently matching nothing.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

/// Which list a word belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WordKind {
    /// Who acts: a sheriff's office, a jail, a police department, a local government.
    Actor,
    /// Who the act is done with or for, e.g. ICE.
    Counterparty,
    /// What is done, e.g. honoring a detainer.
    Action,
    /// Why it is done, e.g. civil immigration enforcement.
    Purpose,
    /// A circumstance a rule's condition can test, e.g. a judicial warrant.
    Fact,
}

impl WordKind {
    /// The kind as the vocabulary and questions name it, e.g. `counterparty`.
    pub fn name(self) -> &'static str {
        match self {
            WordKind::Actor => "actor",
            WordKind::Counterparty => "counterparty",
            WordKind::Action => "action",
            WordKind::Purpose => "purpose",
            WordKind::Fact => "fact",
        }
    }
}

impl fmt::Display for WordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A word that is not in the vocabulary.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{word}`")]
pub struct UnknownWord {
    /// The kind of word looked up.
    pub kind: WordKind,
    /// The word as given.
    pub word: String,
    /// The nearest known word of that kind; `None` when none is close enough to be a likely typo.
    pub suggestion: Option<String>,
}

impl UnknownWord {
    /// A hint to show under the message: the nearest word, or where to find the list.
    pub fn help(&self) -> String {
        match &self.suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "see `corpus/vocabulary.toml` (or `remit rules vocabulary`) for every {}",
                self.kind
            ),
        }
    }
}

/// One word, its definition, and how a sentence names it (facts have no phrase).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Word {
    /// The word as questions and rules write it, e.g. `honor_detainer`.
    pub name: String,
    /// What the word means, in one plain sentence.
    pub definition: String,
    /// How a sentence names it, e.g. `a sheriff's office`; `None` for facts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phrase: Option<String>,
}

/// A counterparty, its place in the tree, and how a sentence names it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Counterparty {
    /// The word as questions and rules write it, e.g. `ice`.
    pub name: String,
    /// What the word means, in one plain sentence.
    pub definition: String,
    /// The broader counterparty it falls under (`federal_immigration` for `ice`); `None` at the top
    /// of the tree.
    pub parent: Option<String>,
    /// How a sentence names it, e.g. `ICE Enforcement and Removal Operations`.
    pub phrase: String,
}

/// An actor group and the concrete actors it stands for.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ActorGroup {
    /// The group's word, e.g. `any_law_enforcement`.
    pub name: String,
    /// What the group means, in one plain sentence.
    pub definition: String,
    /// The concrete actors it stands for, by name.
    pub members: Vec<String>,
}

/// Index of a concrete actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActorId(pub(crate) u16);
/// Index of a counterparty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CounterpartyId(pub(crate) u16);
/// Index of an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActionId(pub(crate) u16);
/// Index of a purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PurposeId(pub(crate) u16);
/// Index of a fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FactId(pub(crate) u16);

/// A set of facts that hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FactSet(Vec<u64>);

impl FactSet {
    /// Marks the fact as holding.
    pub fn insert(&mut self, fact: FactId) {
        let (word, bit) = (usize::from(fact.0) / 64, fact.0 % 64);
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << bit;
    }

    /// Whether the fact holds.
    pub fn contains(&self, fact: FactId) -> bool {
        let (word, bit) = (usize::from(fact.0) / 64, fact.0 % 64);
        self.0.get(word).is_some_and(|w| w & (1 << bit) != 0)
    }
}

/// The loaded vocabulary, with fast lookups both ways.
#[derive(Debug)]
pub struct Vocabulary {
    actors: Vec<Word>,
    actor_groups: Vec<ActorGroup>,
    counterparties: Vec<Counterparty>,
    /// For each counterparty, its parent's index.
    counterparty_parent: Vec<Option<u16>>,
    actions: Vec<Word>,
    purposes: Vec<Word>,
    facts: Vec<Word>,
    index: HashMap<(WordKind, String), u16>,
    group_index: HashMap<String, usize>,
    /// Other names, normalised (lowercase, `_` for spaces and hyphens), to the word's index.
    aliases: HashMap<(WordKind, String), u16>,
    /// Per action, the broader actions it implies.
    implications: Vec<Vec<Implication>>,
    /// The Spanish table (`vocabulary.es.toml`), when the corpus has one.
    spanish: Option<crate::lang::Spanish>,
}

/// A word as people may write it: trimmed, lowercase, spaces and hyphens as `_`, `'` and `.`
/// dropped (`Border Patrol` -> `border_patrol`, `ICE` -> `ice`).
pub fn normalize_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.trim().chars() {
        match c {
            ' ' | '-' | '/' => {
                if !out.ends_with('_') {
                    out.push('_');
                }
            }
            '\'' | '.' | '’' | '(' | ')' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out.trim_matches('_').to_string()
}

/// A problem in the vocabulary file itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct VocabularyError {
    /// What is wrong with the vocabulary file.
    pub message: String,
    /// The line of the problem in the file, counted from 1; `None` when it is not tied to one line.
    pub line: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVocabulary {
    actors: BTreeMap<String, String>,
    #[serde(default)]
    actor_groups: BTreeMap<String, RawGroup>,
    counterparties: BTreeMap<String, RawCounterparty>,
    actions: BTreeMap<String, String>,
    purposes: BTreeMap<String, String>,
    facts: BTreeMap<String, String>,
    phrases: RawPhrases,
    #[serde(default)]
    aliases: RawAliases,
    #[serde(default)]
    implies: BTreeMap<String, RawImplication>,
}

/// `[aliases.*]`: other names people use for a word (`ERO` for `ice_ero`), per kind.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAliases {
    #[serde(default)]
    actors: BTreeMap<String, String>,
    #[serde(default)]
    counterparties: BTreeMap<String, String>,
    #[serde(default)]
    actions: BTreeMap<String, String>,
    #[serde(default)]
    purposes: BTreeMap<String, String>,
    #[serde(default)]
    facts: BTreeMap<String, String>,
}

/// `[implies]`: an action that is also another, broader one (joining a task force for civil
/// immigration enforcement is assisting civil immigration enforcement).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImplication {
    actions: Vec<String>,
    /// Only for this purpose; omitted: for any purpose.
    #[serde(default)]
    purpose: Option<String>,
    definition: String,
}

/// One action implied by another: rules on `implied` answer questions on `action` too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Implication {
    /// The action asked about.
    pub action: String,
    /// The broader action whose rules also answer questions on `action`.
    pub implied: String,
    /// The only purpose for which the implication holds; `None` means every purpose.
    pub purpose: Option<String>,
    /// Why the one act is also the other, in one plain sentence.
    pub definition: String,
    #[serde(skip)]
    pub(crate) implied_id: ActionId,
    #[serde(skip)]
    pub(crate) purpose_id: Option<PurposeId>,
}

/// `[phrases.*]`: how a sentence names each actor, counterparty, action and purpose (in
/// `vocabulary.toml` and, in Spanish, `vocabulary.es.toml`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPhrases {
    pub(crate) actors: BTreeMap<String, String>,
    pub(crate) counterparties: BTreeMap<String, String>,
    pub(crate) actions: BTreeMap<String, String>,
    pub(crate) purposes: BTreeMap<String, String>,
}

/// Where an action's phrase names the counterparty.
pub const COUNTERPARTY_SLOT: &str = "{counterparty}";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    members: Vec<String>,
    definition: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCounterparty {
    #[serde(default)]
    parent: Option<String>,
    definition: String,
}

fn words(map: BTreeMap<String, String>) -> Vec<Word> {
    map.into_iter()
        .map(|(name, definition)| Word {
            name,
            definition,
            phrase: None,
        })
        .collect()
}

/// Takes each word's phrase out of `phrases` (section `section`): every word needs one, every
/// phrase needs a word, and only an action's phrase holds `{counterparty}` (exactly once).
fn take_phrases<'w>(
    section: &str,
    names: impl Iterator<Item = &'w str>,
    mut phrases: BTreeMap<String, String>,
) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for name in names {
        let Some(phrase) = phrases.remove(name) else {
            return Err(format!("`{name}` has no phrase in [phrases.{section}]"));
        };
        let slots = phrase.matches(COUNTERPARTY_SLOT).count();
        let wanted = usize::from(section == "actions");
        let braces = phrase.matches(['{', '}']).count();
        if phrase.trim().is_empty() || slots != wanted || braces != 2 * slots {
            return Err(if section == "actions" {
                format!(
                    "the phrase of action `{name}` must name `{COUNTERPARTY_SLOT}` once and hold no other braces"
                )
            } else {
                format!("the phrase of `{name}` in [phrases.{section}] must be text without braces")
            });
        }
        out.push(phrase);
    }
    if let Some(extra) = phrases.keys().next() {
        return Err(format!(
            "[phrases.{section}] has `{extra}`, which is not one of the {section}"
        ));
    }
    Ok(out)
}

impl Vocabulary {
    /// Reads `vocabulary.toml`.
    pub fn from_toml(text: &str) -> Result<Vocabulary, VocabularyError> {
        let raw: RawVocabulary = toml::from_str(text).map_err(|e| VocabularyError {
            message: e.message().to_string(),
            line: e
                .span()
                .map(|span| crate::corpus::line_of(text, span.start)),
        })?;
        let fail = |message: String| {
            Err(VocabularyError {
                message,
                line: None,
            })
        };
        let mut vocabulary = Vocabulary {
            actors: words(raw.actors),
            actor_groups: Vec::new(),
            counterparties: raw
                .counterparties
                .into_iter()
                .map(|(name, c)| Counterparty {
                    name,
                    definition: c.definition,
                    parent: c.parent,
                    phrase: String::new(),
                })
                .collect(),
            counterparty_parent: Vec::new(),
            actions: words(raw.actions),
            purposes: words(raw.purposes),
            facts: words(raw.facts),
            index: HashMap::new(),
            group_index: HashMap::new(),
            aliases: HashMap::new(),
            implications: Vec::new(),
            spanish: None,
        };
        if vocabulary.actors.len() > 64 {
            return fail("at most 64 actors are supported".to_string());
        }
        let lists: [(WordKind, Vec<&str>); 5] = [
            (
                WordKind::Actor,
                vocabulary.actors.iter().map(|w| w.name.as_str()).collect(),
            ),
            (
                WordKind::Counterparty,
                vocabulary
                    .counterparties
                    .iter()
                    .map(|w| w.name.as_str())
                    .collect(),
            ),
            (
                WordKind::Action,
                vocabulary.actions.iter().map(|w| w.name.as_str()).collect(),
            ),
            (
                WordKind::Purpose,
                vocabulary
                    .purposes
                    .iter()
                    .map(|w| w.name.as_str())
                    .collect(),
            ),
            (
                WordKind::Fact,
                vocabulary.facts.iter().map(|w| w.name.as_str()).collect(),
            ),
        ];
        let mut index = HashMap::new();
        for (kind, names) in lists {
            for (position, name) in names.into_iter().enumerate() {
                if !is_word(name) {
                    return fail(format!(
                        "{kind} `{name}` must be lowercase letters, digits and underscores"
                    ));
                }
                index.insert((kind, name.to_string()), position as u16);
            }
        }
        vocabulary.index = index;
        for counterparty in &vocabulary.counterparties {
            let parent = match &counterparty.parent {
                None => None,
                Some(p) => match vocabulary.lookup(WordKind::Counterparty, p) {
                    Ok(id) => Some(id),
                    Err(e) => {
                        return fail(format!(
                            "counterparty `{}` has parent `{p}`, which is not a counterparty; {}",
                            counterparty.name,
                            e.help()
                        ));
                    }
                },
            };
            vocabulary.counterparty_parent.push(parent);
        }
        // INVARIANT: the counterparty tree has no cycles, so walking up always ends.
        for start in 0..vocabulary.counterparties.len() {
            let mut current = vocabulary.counterparty_parent[start];
            let mut steps = 0;
            while let Some(parent) = current {
                steps += 1;
                if steps > vocabulary.counterparties.len() {
                    return fail(format!(
                        "counterparty `{}` is its own ancestor",
                        vocabulary.counterparties[start].name
                    ));
                }
                current = vocabulary.counterparty_parent[usize::from(parent)];
            }
        }
        for (name, group) in raw.actor_groups {
            if vocabulary
                .index
                .contains_key(&(WordKind::Actor, name.clone()))
            {
                return fail(format!("actor group `{name}` has the name of an actor"));
            }
            for member in &group.members {
                if let Err(e) = vocabulary.lookup(WordKind::Actor, member) {
                    return fail(format!(
                        "actor group `{name}` lists unknown actor `{member}`; {}",
                        e.help()
                    ));
                }
            }
            vocabulary
                .group_index
                .insert(name.clone(), vocabulary.actor_groups.len());
            vocabulary.actor_groups.push(ActorGroup {
                name,
                definition: group.definition,
                members: group.members,
            });
        }
        let phrases = raw.phrases;
        let actor_phrases = take_phrases(
            "actors",
            vocabulary.actors.iter().map(|w| w.name.as_str()),
            phrases.actors,
        );
        let counterparty_phrases = take_phrases(
            "counterparties",
            vocabulary.counterparties.iter().map(|w| w.name.as_str()),
            phrases.counterparties,
        );
        let action_phrases = take_phrases(
            "actions",
            vocabulary.actions.iter().map(|w| w.name.as_str()),
            phrases.actions,
        );
        let purpose_phrases = take_phrases(
            "purposes",
            vocabulary.purposes.iter().map(|w| w.name.as_str()),
            phrases.purposes,
        );
        let (actor_phrases, counterparty_phrases, action_phrases, purpose_phrases) = match (
            actor_phrases,
            counterparty_phrases,
            action_phrases,
            purpose_phrases,
        ) {
            (Ok(a), Ok(c), Ok(x), Ok(p)) => (a, c, x, p),
            (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => {
                return fail(e);
            }
        };
        for (word, phrase) in vocabulary.actors.iter_mut().zip(actor_phrases) {
            word.phrase = Some(phrase);
        }
        for (word, phrase) in vocabulary
            .counterparties
            .iter_mut()
            .zip(counterparty_phrases)
        {
            word.phrase = phrase;
        }
        for (word, phrase) in vocabulary.actions.iter_mut().zip(action_phrases) {
            word.phrase = Some(phrase);
        }
        for (word, phrase) in vocabulary.purposes.iter_mut().zip(purpose_phrases) {
            word.phrase = Some(phrase);
        }
        for (kind, section, table) in [
            (WordKind::Actor, "actors", raw.aliases.actors),
            (
                WordKind::Counterparty,
                "counterparties",
                raw.aliases.counterparties,
            ),
            (WordKind::Action, "actions", raw.aliases.actions),
            (WordKind::Purpose, "purposes", raw.aliases.purposes),
            (WordKind::Fact, "facts", raw.aliases.facts),
        ] {
            for (alias, target) in table {
                let Some(&id) = vocabulary.index.get(&(kind, target.clone())) else {
                    return fail(format!(
                        "[aliases.{section}] `{alias}` names `{target}`, which is not one of the {section}"
                    ));
                };
                let key = normalize_word(&alias);
                if let Some(&existing) = vocabulary.index.get(&(kind, key.clone()))
                    && existing != id
                {
                    return fail(format!(
                        "[aliases.{section}] `{alias}` is already the name of another {kind}"
                    ));
                }
                vocabulary.aliases.insert((kind, key), id);
            }
        }
        vocabulary.implications = vec![Vec::new(); vocabulary.actions.len()];
        for (action, implication) in raw.implies {
            let Some(&from) = vocabulary.index.get(&(WordKind::Action, action.clone())) else {
                return fail(format!("[implies] `{action}` is not an action"));
            };
            let purpose_id = match &implication.purpose {
                None => None,
                Some(p) => match vocabulary.lookup(WordKind::Purpose, p) {
                    Ok(id) => Some(PurposeId(id)),
                    Err(e) => return fail(format!("[implies] `{action}`: {e}")),
                },
            };
            for implied in &implication.actions {
                let Some(&to) = vocabulary.index.get(&(WordKind::Action, implied.clone())) else {
                    return fail(format!(
                        "[implies] `{action}` implies `{implied}`, which is not an action"
                    ));
                };
                if to == from {
                    return fail(format!("[implies] `{action}` cannot imply itself"));
                }
                vocabulary.implications[usize::from(from)].push(Implication {
                    action: action.clone(),
                    implied: implied.clone(),
                    purpose: implication.purpose.clone(),
                    definition: implication.definition.clone(),
                    implied_id: ActionId(to),
                    purpose_id,
                });
            }
        }
        for required in ["unspecified"] {
            if vocabulary.lookup(WordKind::Purpose, required).is_err() {
                return fail(format!("the purpose `{required}` must be defined"));
            }
        }
        for required in ["federal_immigration"] {
            if vocabulary.lookup(WordKind::Counterparty, required).is_err() {
                return fail(format!("the counterparty `{required}` must be defined"));
            }
        }
        Ok(vocabulary)
    }

    /// A word as written in the corpus, or as people write it: any case, spaces for `_`, or
    /// one of its aliases (`ERO`, `Border Patrol`).
    fn lookup(&self, kind: WordKind, word: &str) -> Result<u16, UnknownWord> {
        if let Some(&id) = self.index.get(&(kind, word.to_string())) {
            return Ok(id);
        }
        let normalized = normalize_word(word);
        self.index
            .get(&(kind, normalized.clone()))
            .or_else(|| self.aliases.get(&(kind, normalized)))
            .copied()
            .ok_or_else(|| UnknownWord {
                kind,
                word: word.to_string(),
                suggestion: self.suggest(kind, word),
            })
    }

    /// The nearest known word of that kind, if one is close enough to be a likely typo.
    pub fn suggest(&self, kind: WordKind, word: &str) -> Option<String> {
        let normalized = word.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        let mut candidates: Vec<&str> = self.names(kind).collect();
        if kind == WordKind::Actor {
            candidates.extend(self.actor_groups.iter().map(|g| g.name.as_str()));
        }
        if candidates.contains(&normalized.as_str()) && normalized != word {
            return Some(normalized);
        }
        candidates
            .into_iter()
            .map(|c| (strsim::jaro_winkler(&normalized, c), c))
            .filter(|(score, _)| *score >= 0.85)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, c)| c.to_string())
    }

    /// Every word of a kind, in order.
    pub fn names(&self, kind: WordKind) -> impl Iterator<Item = &str> {
        let list: Box<dyn Iterator<Item = &str>> = match kind {
            WordKind::Actor => Box::new(self.actors.iter().map(|w| w.name.as_str())),
            WordKind::Counterparty => Box::new(self.counterparties.iter().map(|w| w.name.as_str())),
            WordKind::Action => Box::new(self.actions.iter().map(|w| w.name.as_str())),
            WordKind::Purpose => Box::new(self.purposes.iter().map(|w| w.name.as_str())),
            WordKind::Fact => Box::new(self.facts.iter().map(|w| w.name.as_str())),
        };
        list
    }

    /// The definition of a word.
    pub fn definition(&self, kind: WordKind, word: &str) -> Option<&str> {
        let position = usize::from(*self.index.get(&(kind, word.to_string()))?);
        Some(match kind {
            WordKind::Actor => &self.actors[position].definition,
            WordKind::Counterparty => &self.counterparties[position].definition,
            WordKind::Action => &self.actions[position].definition,
            WordKind::Purpose => &self.purposes[position].definition,
            WordKind::Fact => &self.facts[position].definition,
        })
    }

    /// How a sentence names a word (`None` for a fact, or a word the vocabulary lacks); an
    /// action's phrase holds [`COUNTERPARTY_SLOT`].
    pub fn phrase(&self, kind: WordKind, word: &str) -> Option<&str> {
        let position = usize::from(*self.index.get(&(kind, word.to_string()))?);
        match kind {
            WordKind::Actor => self.actors[position].phrase.as_deref(),
            WordKind::Counterparty => Some(&self.counterparties[position].phrase),
            WordKind::Action => self.actions[position].phrase.as_deref(),
            WordKind::Purpose => self.purposes[position].phrase.as_deref(),
            WordKind::Fact => None,
        }
    }

    /// [`Vocabulary::phrase`], or the word as it is when it has none.
    pub fn phrase_or_word<'w>(&'w self, kind: WordKind, word: &'w str) -> &'w str {
        self.phrase(kind, word).unwrap_or(word)
    }

    /// Every concrete actor, in vocabulary order.
    pub fn actors(&self) -> &[Word] {
        &self.actors
    }
    /// Every actor group, in vocabulary order.
    pub fn actor_groups(&self) -> &[ActorGroup] {
        &self.actor_groups
    }
    /// Every counterparty, in vocabulary order.
    pub fn counterparties(&self) -> &[Counterparty] {
        &self.counterparties
    }
    /// Every action, in vocabulary order.
    pub fn actions(&self) -> &[Word] {
        &self.actions
    }
    /// Every purpose, in vocabulary order.
    pub fn purposes(&self) -> &[Word] {
        &self.purposes
    }
    /// Every fact, in vocabulary order.
    pub fn facts(&self) -> &[Word] {
        &self.facts
    }

    /// Looks up an actor by word or alias (case, spaces and hyphens aside); an error names the
    /// nearest word.
    pub fn actor(&self, word: &str) -> Result<ActorId, UnknownWord> {
        self.lookup(WordKind::Actor, word).map(ActorId)
    }

    /// An actor or an actor group, as the set of concrete actors it stands for (a bit mask).
    pub fn actor_mask(&self, word: &str) -> Result<u64, UnknownWord> {
        if let Some(&group) = self.group_index.get(word) {
            let mut mask = 0;
            for member in &self.actor_groups[group].members {
                mask |= 1 << self.actor(member)?.0;
            }
            return Ok(mask);
        }
        self.actor(word).map(|id| 1 << id.0)
    }

    /// Looks up a counterparty by word or alias; an error names the nearest word.
    pub fn counterparty(&self, word: &str) -> Result<CounterpartyId, UnknownWord> {
        self.lookup(WordKind::Counterparty, word)
            .map(CounterpartyId)
    }
    /// Looks up an action by word or alias; an error names the nearest word.
    pub fn action(&self, word: &str) -> Result<ActionId, UnknownWord> {
        self.lookup(WordKind::Action, word).map(ActionId)
    }
    /// Looks up a purpose by word or alias; an error names the nearest word.
    pub fn purpose(&self, word: &str) -> Result<PurposeId, UnknownWord> {
        self.lookup(WordKind::Purpose, word).map(PurposeId)
    }
    /// Looks up a fact by word or alias; an error names the nearest word.
    pub fn fact(&self, word: &str) -> Result<FactId, UnknownWord> {
        self.lookup(WordKind::Fact, word).map(FactId)
    }

    /// The actor's word, e.g. `sheriff`.
    pub fn actor_name(&self, id: ActorId) -> &str {
        &self.actors[usize::from(id.0)].name
    }
    /// How a sentence names the actor: `a municipal police department`.
    pub fn actor_phrase(&self, id: ActorId) -> &str {
        let word = &self.actors[usize::from(id.0)];
        word.phrase.as_deref().unwrap_or(&word.name)
    }
    /// How a sentence names the counterparty: `a state or local agency of another state`.
    pub fn counterparty_phrase(&self, id: CounterpartyId) -> &str {
        &self.counterparties[usize::from(id.0)].phrase
    }
    /// How a sentence names the action, with [`COUNTERPARTY_SLOT`] where the counterparty goes:
    /// `share ALPR data with {counterparty}`.
    pub fn action_phrase(&self, id: ActionId) -> &str {
        let word = &self.actions[usize::from(id.0)];
        word.phrase.as_deref().unwrap_or(&word.name)
    }
    /// How a sentence names the purpose: `a criminal investigation`.
    pub fn purpose_phrase(&self, id: PurposeId) -> &str {
        let word = &self.purposes[usize::from(id.0)];
        word.phrase.as_deref().unwrap_or(&word.name)
    }
    /// The counterparty's word, e.g. `ice`.
    pub fn counterparty_name(&self, id: CounterpartyId) -> &str {
        &self.counterparties[usize::from(id.0)].name
    }
    /// The action's word, e.g. `honor_detainer`.
    pub fn action_name(&self, id: ActionId) -> &str {
        &self.actions[usize::from(id.0)].name
    }
    /// The purpose's word, e.g. `civil_immigration_enforcement`.
    pub fn purpose_name(&self, id: PurposeId) -> &str {
        &self.purposes[usize::from(id.0)].name
    }
    /// The fact's word, e.g. `judicial_warrant`.
    pub fn fact_name(&self, id: FactId) -> &str {
        &self.facts[usize::from(id.0)].name
    }

    /// The broader actions an action implies, each with the purpose it is limited to.
    pub fn implications(&self, action: ActionId) -> &[Implication] {
        self.implications
            .get(usize::from(action.0))
            .map_or(&[], Vec::as_slice)
    }

    /// Every implication, for listing.
    pub fn all_implications(&self) -> impl Iterator<Item = &Implication> {
        self.implications.iter().flatten()
    }

    /// The aliases of a kind, as (alias, word) pairs.
    pub fn aliases(&self, kind: WordKind) -> Vec<(&str, &str)> {
        let names: Vec<&str> = self.names(kind).collect();
        let mut out: Vec<(&str, &str)> = self
            .aliases
            .iter()
            .filter(|((k, _), _)| *k == kind)
            .filter_map(|((_, alias), &id)| Some((alias.as_str(), *names.get(usize::from(id))?)))
            .collect();
        out.sort_unstable();
        out
    }

    /// A fact as a condition a sentence can state: its definition without the final stop and
    /// with a lowercase first word (`the county operates a jail`).
    pub fn fact_condition(&self, id: FactId) -> String {
        let definition = self.facts[usize::from(id.0)].definition.trim();
        let definition = definition.strip_suffix('.').unwrap_or(definition);
        let first_word = definition.split_whitespace().next().unwrap_or("");
        let acronym = first_word.chars().filter(|c| c.is_alphabetic()).count() > 1
            && first_word
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
        match definition.chars().next() {
            Some(first) if first.is_uppercase() && !acronym => {
                format!(
                    "{}{}",
                    first.to_lowercase(),
                    &definition[first.len_utf8()..]
                )
            }
            _ => definition.to_string(),
        }
    }

    /// Adds the Spanish table, checked word for word against this vocabulary.
    pub(crate) fn set_spanish(&mut self, text: &str) -> Result<(), VocabularyError> {
        self.spanish = Some(crate::lang::load_spanish(text, self)?);
        Ok(())
    }

    /// True when the corpus has its Spanish table (every word translated: the loader checks).
    pub fn has_spanish(&self) -> bool {
        self.spanish.is_some()
    }

    /// The Spanish table, when asked for Spanish and the corpus has one.
    fn spanish_for(&self, lang: crate::lang::Lang) -> Option<&crate::lang::Spanish> {
        match lang {
            crate::lang::Lang::En => None,
            crate::lang::Lang::Es => self.spanish.as_ref(),
        }
    }

    /// [`Vocabulary::actor_phrase`] in a language (English when the corpus lacks the table).
    pub fn actor_phrase_in(&self, id: ActorId, lang: crate::lang::Lang) -> &str {
        self.spanish_for(lang)
            .and_then(|s| s.phrases.get(WordKind::Actor, usize::from(id.0)))
            .unwrap_or_else(|| self.actor_phrase(id))
    }
    /// [`Vocabulary::counterparty_phrase`] in a language.
    pub fn counterparty_phrase_in(&self, id: CounterpartyId, lang: crate::lang::Lang) -> &str {
        self.spanish_for(lang)
            .and_then(|s| s.phrases.get(WordKind::Counterparty, usize::from(id.0)))
            .unwrap_or_else(|| self.counterparty_phrase(id))
    }
    /// [`Vocabulary::action_phrase`] in a language, with [`COUNTERPARTY_SLOT`].
    pub fn action_phrase_in(&self, id: ActionId, lang: crate::lang::Lang) -> &str {
        self.spanish_for(lang)
            .and_then(|s| s.phrases.get(WordKind::Action, usize::from(id.0)))
            .unwrap_or_else(|| self.action_phrase(id))
    }
    /// [`Vocabulary::purpose_phrase`] in a language.
    pub fn purpose_phrase_in(&self, id: PurposeId, lang: crate::lang::Lang) -> &str {
        self.spanish_for(lang)
            .and_then(|s| s.phrases.get(WordKind::Purpose, usize::from(id.0)))
            .unwrap_or_else(|| self.purpose_phrase(id))
    }
    /// [`Vocabulary::fact_condition`] in a language.
    pub fn fact_condition_in(&self, id: FactId, lang: crate::lang::Lang) -> String {
        self.spanish_for(lang)
            .and_then(|s| s.phrases.get(WordKind::Fact, usize::from(id.0)))
            .map_or_else(|| self.fact_condition(id), str::to_string)
    }

    /// An implication's definition in a language.
    pub fn implication_definition_in<'i>(
        &'i self,
        implication: &'i Implication,
        lang: crate::lang::Lang,
    ) -> &'i str {
        self.spanish_for(lang)
            .and_then(|s| s.implies.get(&implication.action))
            .map_or(implication.definition.as_str(), String::as_str)
    }

    /// [`Vocabulary::definition`] in a language (the English one when the corpus has no Spanish
    /// table; with one, the loader has checked that every word has its Spanish definition).
    pub fn definition_in(
        &self,
        kind: WordKind,
        word: &str,
        lang: crate::lang::Lang,
    ) -> Option<&str> {
        let Some(spanish) = self.spanish_for(lang) else {
            return self.definition(kind, word);
        };
        let position = usize::from(*self.index.get(&(kind, word.to_string()))?);
        spanish.definitions.get(kind, position)
    }

    /// [`Vocabulary::phrase`] in a language, by word; a fact gives its condition in Spanish
    /// (in English, facts have no phrase).
    pub fn phrase_in(&self, kind: WordKind, word: &str, lang: crate::lang::Lang) -> Option<&str> {
        let Some(spanish) = self.spanish_for(lang) else {
            return self.phrase(kind, word);
        };
        let position = usize::from(*self.index.get(&(kind, word.to_string()))?);
        spanish.phrases.get(kind, position)
    }

    /// How many actions the vocabulary has.
    pub fn action_count(&self) -> usize {
        self.actions.len()
    }

    /// True when `inner` is `outer` or lies below it in the counterparty tree.
    pub fn counterparty_within(&self, inner: CounterpartyId, outer: CounterpartyId) -> bool {
        let mut current = Some(inner.0);
        while let Some(id) = current {
            if id == outer.0 {
                return true;
            }
            current = self.counterparty_parent[usize::from(id)];
        }
        false
    }
}

fn is_word(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        Vocabulary::from_toml(include_str!("../../../corpus/vocabulary.toml")).unwrap()
    }

    #[test]
    fn suggests_near_words() {
        let v = vocabulary();
        let err = v.action("honor_detainers").unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("honor_detainer"));
        assert_eq!(err.help(), "did you mean `honor_detainer`?");
        assert_eq!(
            v.suggest(WordKind::Actor, "Local Police").as_deref(),
            Some("local_police")
        );
        assert_eq!(v.action("fly_to_the_moon").unwrap_err().suggestion, None);
    }

    #[test]
    fn counterparty_tree() {
        let v = vocabulary();
        let fed = v.counterparty("federal_immigration").unwrap();
        let bp = v.counterparty("border_patrol").unwrap();
        let ice = v.counterparty("ice").unwrap();
        assert!(v.counterparty_within(bp, fed));
        assert!(!v.counterparty_within(fed, bp));
        assert!(!v.counterparty_within(bp, ice));
    }

    #[test]
    fn groups_expand() {
        let v = vocabulary();
        let mask = v.actor_mask("any_law_enforcement").unwrap();
        assert_ne!(mask & v.actor_mask("sheriff").unwrap(), 0);
        assert_eq!(mask & v.actor_mask("court").unwrap(), 0);
    }

    #[test]
    fn rejects_bad_vocabulary() {
        let bad = "actors = {a = \"x\"}\ncounterparties = {c = {parent = \"nope\", definition = \"d\"}}\nactions = {}\npurposes = {}\nfacts = {}\nphrases = {actors = {}, counterparties = {}, actions = {}, purposes = {}}\n";
        let err = Vocabulary::from_toml(bad).unwrap_err();
        assert!(err.message.contains("parent `nope`"), "{}", err.message);
    }

    #[test]
    fn every_word_a_sentence_uses_has_a_phrase() {
        let text = include_str!("../../../corpus/vocabulary.toml");
        let v = Vocabulary::from_toml(text).unwrap();
        let share = v.lookup(WordKind::Action, "share_alpr_data").unwrap();
        assert_eq!(
            v.action_phrase(ActionId(share)),
            "share ALPR data with {counterparty}"
        );
        assert_eq!(v.phrase(WordKind::Counterparty, "ice"), Some("ICE"));
        assert_eq!(
            v.phrase(WordKind::Purpose, "criminal_investigation"),
            Some("a criminal investigation")
        );
        assert_eq!(v.phrase(WordKind::Fact, "judicial_warrant"), None);
        assert_eq!(v.phrase(WordKind::Counterparty, "nobody"), None);
        // A missing phrase, an unknown word, a missing slot, a slot outside an action: each is
        // refused, naming the word.
        let cases = [
            (
                "sheriff = \"a sheriff's office\"\n",
                "",
                "`sheriff` has no phrase",
            ),
            (
                "[phrases.actors]\n",
                "[phrases.actors]\nnobody = \"x\"\n",
                "has `nobody`, which is not one of the actors",
            ),
            (
                "share_alpr_data = \"share ALPR data with {counterparty}\"",
                "share_alpr_data = \"share ALPR data\"",
                "`share_alpr_data`",
            ),
            ("ice = \"ICE\"", "ice = \"{counterparty}\"", "`ice`"),
        ];
        for (from, to, expected) in cases {
            assert!(text.contains(from), "{from}");
            let err = Vocabulary::from_toml(&text.replacen(from, to, 1)).unwrap_err();
            assert!(err.message.contains(expected), "{}", err.message);
        }
    }
}
