//! The resolver: a raw agency name (and the state a record gives for it, if any) in; the
//! agency's ORI, name, state, class, counterparty word, a confidence and the reasons out.
//!
//! It decides in this order, and each step says so in the reasons:
//!
//! 1. a federal agency named by the federal-agency file (`ICE`, `U.S. Border Patrol`), or a
//!    name marked federal (`[Federal]`, `US ...`);
//! 2. a private body by its words (`LLC`, `HOA`, `Apartments`, a railroad or health system);
//! 3. a state agency the state-agency file knows by a nickname (`CAL FIRE`, `CHP`);
//! 4. otherwise the words: state (from the name, else the given state), kind, whether the name is
//!    a state government's, and a match in the FBI directory by state, place and kind;
//! 5. a name with no agency word: a city it names, else a private customer (Flock lists
//!    neighbourhoods as `Sky Ranch (CA)`), else unknown.
//!
//! Results are memoised per distinct (name, state hint, home state), so a log with a million
//! rows and twenty thousand distinct names does the work twenty thousand times.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use serde::Serialize;

use crate::aliases::NamedAgency;
use crate::directory::{
    Agency, AgencyClass, Derived, Directory, Hit, NO_STATE, compact, state_slot,
};
use crate::hash::FastMap;
use crate::kind::AgencyKind;
use crate::parse::{self, ParsedName};
use crate::states::{self, State};

/// What the resolver concluded about one name.
#[derive(Clone, Debug, Serialize)]
pub struct Resolution {
    /// The name as given.
    pub input: String,
    /// The FBI ORI of the agency, when the name was matched to a directory row that has one.
    pub ori: Option<String>,
    /// A readable name: the directory's, or the input's words with abbreviations spelled out.
    pub name: String,
    /// Two-letter code of the agency's state; `None` for federal agencies and when unknown.
    pub state: Option<String>,
    /// Local, state, federal, private or unknown.
    pub class: AgencyClass,
    /// A counterparty word of the vocabulary, for federal agencies (`ice_ero`, `border_patrol`,
    /// `federal_other`) and private bodies (`private_entity`). Whether a state or local agency is
    /// `in_state_agency` or `out_of_state_agency` depends on who asks: see
    /// [`Resolution::counterparty_for`].
    pub counterparty: Option<String>,
    /// 0 to 1: how sure the class, state and agency are (see docs/methodology.md#agency-names).
    pub confidence: f32,
    /// Why, one sentence each.
    pub reasons: Vec<String>,
    /// The kind of agency (`police_department`, `sheriff`, `state_police`...).
    pub kind: Option<String>,
    /// Tags from the name: `federal`, `inactive`, `demo`, `lr`, `flex`, `axon`...
    pub tags: Vec<String>,
    /// The directory key of the matched agency: its ORI, or a slug (`fed-ice-ero`) for federal
    /// agencies the FBI list does not carry.
    pub agency_id: Option<String>,
    /// The place the name gives (`El Cajon`, `Anoka County`).
    pub place: Option<String>,
}

impl Resolution {
    /// The counterparty word for a record whose data owner is in `home_state`: the federal or
    /// private word when set, else `in_state_agency` or `out_of_state_agency` for a state or
    /// local agency whose state is known; `None` when it cannot be told.
    pub fn counterparty_for(&self, home_state: &str) -> Option<&str> {
        if let Some(word) = self.counterparty.as_deref() {
            return Some(word);
        }
        match self.class {
            AgencyClass::Local | AgencyClass::State => {
                let home = states::parse(home_state)?;
                let state = self.state.as_deref()?;
                Some(if state == home.code {
                    "in_state_agency"
                } else {
                    "out_of_state_agency"
                })
            }
            AgencyClass::Private => Some("private_entity"),
            AgencyClass::Federal | AgencyClass::Unknown => None,
        }
    }
}

type Cache = FastMap<(u8, u8), FastMap<Box<str>, Arc<Resolution>>>;

#[derive(Debug)]
struct Inner {
    directory: Directory,
    cache: RwLock<Cache>,
}

/// Resolves agency names against a directory. Memoised per distinct (name, state hint, home
/// state); `Send + Sync`, and cloning shares the directory and the memo.
#[derive(Clone, Debug)]
pub struct Resolver {
    inner: Arc<Inner>,
}

/// Slot for a state hint that is not a state (`N/A`); the hint is then ignored.
const INVALID_HINT: u8 = u8::MAX - 1;

impl Resolver {
    /// A resolver over `directory`, with an empty memo.
    pub fn new(directory: Directory) -> Resolver {
        Resolver {
            inner: Arc::new(Inner {
                directory,
                cache: RwLock::new(Cache::default()),
            }),
        }
    }

    /// The directory it resolves against.
    pub fn directory(&self) -> &Directory {
        &self.inner.directory
    }

    /// Resolves `raw_name`. `state_hint` is the state the record gives for the agency (a state
    /// column: `CA`, `California`, `FLORIDA`); a state written in the name wins over it.
    ///
    /// Returns a copy of the memoised result, about a microsecond per call for its dozen
    /// strings; loops over large logs should use [`Resolver::resolve_shared`].
    pub fn resolve(&self, raw_name: &str, state_hint: Option<&str>) -> Resolution {
        Resolution::clone(&self.resolve_shared(raw_name, state_hint, None))
    }

    /// As [`Resolver::resolve`], and when a name with no state matches agencies in several
    /// states, the one in `home_state` (the state of the list's owner) is taken, with lower
    /// confidence and a reason saying so.
    pub fn resolve_near(
        &self,
        raw_name: &str,
        state_hint: Option<&str>,
        home_state: Option<&str>,
    ) -> Resolution {
        Resolution::clone(&self.resolve_shared(raw_name, state_hint, home_state))
    }

    /// The memoised resolution itself, without copying it: for hot loops.
    pub fn resolve_shared(
        &self,
        raw_name: &str,
        state_hint: Option<&str>,
        home_state: Option<&str>,
    ) -> Arc<Resolution> {
        let hint = state_hint.map_or(NO_STATE, hint_slot);
        let home = home_state.map_or(NO_STATE, hint_slot);
        if let Ok(cache) = self.inner.cache.read() {
            if let Some(found) = cache.get(&(hint, home)).and_then(|m| m.get(raw_name)) {
                return Arc::clone(found);
            }
        }
        // Copied once before it is kept: the copy's strings are allocated one after another,
        // away from the parser's temporaries, so that later copies of it (`resolve`) read a
        // few neighbouring cache lines instead of a dozen scattered ones.
        let resolution = Arc::new(self.resolve_uncached(raw_name, hint, home).clone());
        if let Ok(mut cache) = self.inner.cache.write() {
            cache
                .entry((hint, home))
                .or_default()
                .insert(raw_name.into(), Arc::clone(&resolution));
        }
        resolution
    }

    /// How many distinct inputs are memoised.
    pub fn cached(&self) -> usize {
        self.inner
            .cache
            .read()
            .map(|c| c.values().map(FastMap::len).sum())
            .unwrap_or(0)
    }

    fn resolve_uncached(&self, raw: &str, hint: u8, home: u8) -> Resolution {
        let directory = &self.inner.directory;
        let parsed = parse::parse(raw);
        let mut out = Draft::new(raw, &parsed);
        if hint == INVALID_HINT {
            out.reason("the given state is not a state; ignored".to_string());
        }
        let hint_state = slot_state(hint);
        let home_state = slot_state(home);

        if !raw.chars().any(char::is_alphanumeric) {
            out.reason("the name is empty".to_string());
            return out.finish(AgencyClass::Unknown, 0.0);
        }

        // 1. Federal.
        let business = matches!(
            parsed.kind,
            Some(AgencyKind::Business | AgencyKind::HomeownersAssociation)
        );
        let federal_allowed = parsed.federal_marker || !(parsed.state_level || business);
        if federal_allowed {
            if let Some(found) = directory
                .data
                .federal_aliases
                .find(&parsed.words, parsed.capitals)
            {
                if let Some(index) = directory.data.federal_targets.get(found.target) {
                    if let Some(agency) = directory.agency(*index) {
                        let how = if found.phrase { "names" } else { "is" };
                        out.reason(format!(
                            "`{}` {how} {} (federal-agency file)",
                            raw.trim(),
                            agency.name
                        ));
                        return out.federal(agency, if found.phrase { 0.95 } else { 0.9 });
                    }
                }
            }
        }
        if parsed.federal_marker {
            let listed = directory
                .data
                .keys
                .get(&(NO_STATE, parsed.key.clone()))
                .and_then(|hits| only_one(hits.iter().map(|h| h.index)));
            if let Some(agency) = listed.and_then(|i| directory.agency(i)) {
                out.reason(format!(
                    "marked federal; matched `{}` in the FBI list's federal agencies",
                    agency.name
                ));
                return out.federal(agency, 0.9);
            }
            out.reason(
                "marked federal, but not an agency of the federal-agency file: counterparty unknown"
                    .to_string(),
            );
            if let Some(code) = parsed.state {
                out.reason(format!(
                    "located in `{code}`; federal agencies carry no state"
                ));
            }
            out.kind = Some(AgencyKind::FederalAgency);
            out.state = None;
            return out.finish(AgencyClass::Federal, 0.7);
        }

        // The state: the name's, else the given one.
        let mut confidence_penalty = 0.0f32;
        let state: Option<&'static str> = match (parsed.state, hint_state) {
            (Some(named), Some(given)) if named == given.code => {
                out.push_state_reason(&parsed);
                Some(named)
            }
            (Some(named), Some(given)) => {
                out.reason(format!(
                    "the name says `{named}`; the given state `{}` was set aside",
                    given.code
                ));
                confidence_penalty = 0.1;
                Some(named)
            }
            (Some(named), None) => {
                out.push_state_reason(&parsed);
                Some(named)
            }
            (None, Some(given)) => {
                out.reason(format!(
                    "state `{}` from the given state (the name has none)",
                    given.code
                ));
                Some(given.code)
            }
            (None, None) => None,
        };
        for other in &parsed.other_states {
            out.reason(format!("the name also mentions `{other}`"));
        }
        // `Monterey County District Attorney's Office`: a county that only one state has.
        let state = state.or_else(|| {
            if !parsed.county || parsed.key.is_empty() {
                return None;
            }
            let states = directory.data.counties.get(&parsed.key)?;
            let [slot] = states.as_slice() else {
                return None;
            };
            let found = slot_state(*slot)?;
            out.reason(format!(
                "no state in the name; `{}` is a county only in `{}`",
                parsed.place, found.code
            ));
            confidence_penalty += 0.1;
            Some(found.code)
        });
        out.state = state.map(str::to_string);

        // 2. Private bodies.
        if let Some(kind) = parsed.kind {
            let private = match kind {
                AgencyKind::Business | AgencyKind::HomeownersAssociation => Some(0.85),
                AgencyKind::Railroad => Some(0.8),
                AgencyKind::Hospital => Some(0.6),
                _ => None,
            };
            if let Some(confidence) = private {
                out.reason(format!(
                    "`{}` names a {}: a private body",
                    parsed.kind_words,
                    kind.as_str().replace('_', " ")
                ));
                out.counterparty = Some("private_entity".to_string());
                return out.finish(AgencyClass::Private, confidence - confidence_penalty);
            }
        }

        // 3. State and local agencies known by an acronym or nickname, when the words do not
        // give both a kind and a state.
        if parsed.kind_words.is_empty() || parsed.state.is_none() {
            if let Some(found) = directory
                .data
                .named_aliases
                .find(&parsed.words, parsed.capitals)
            {
                if let Some(entry) = directory.data.named_entries.get(found.target) {
                    return self.named(out, entry, raw, confidence_penalty);
                }
            }
        }

        // 4. The words.
        let kind = parsed.kind;
        if parsed.tags.contains(&"demo") && kind.is_none() {
            out.reason("a demonstration or test entry, not an agency".to_string());
            return out.finish(AgencyClass::Unknown, 0.2);
        }
        let Some(kind) = kind else {
            return self.no_agency_word(out, &parsed, state, confidence_penalty);
        };
        out.kind = Some(kind);
        out.reason(if !parsed.kind_words.is_empty() {
            format!("kind `{}` from `{}`", kind.as_str(), parsed.kind_words)
        } else if parsed.municipal {
            format!(
                "kind `{}`: the name opens with `City of` or the like",
                kind.as_str()
            )
        } else {
            format!(
                "kind `{}`: a state's name with no other agency word",
                kind.as_str()
            )
        });
        let class = class_of_kind(kind, &parsed);
        if parsed.state_level {
            out.reason("the name is a state government's".to_string());
        }

        // Directory match.
        let searchable = !matches!(kind, AgencyKind::LocalGovernment) && parsed.has_place_words()
            || kind == AgencyKind::StatePolice;
        let mut confidence = match (state.is_some(), class) {
            (_, AgencyClass::Unknown) => 0.2,
            (true, _) => 0.8,
            (false, AgencyClass::State) => 0.4,
            (false, _) => 0.5,
        };
        if searchable {
            match self.find(&parsed, kind, state, home_state) {
                Found::One { index, how } => {
                    if let Some(agency) = directory.agency(index) {
                        let derived = directory.derived(index);
                        out.name = display_name(agency, derived, &parsed, kind);
                        let (text, value) = how.describe(agency, directory.is_complete());
                        out.matched(agency, text);
                        if out.state.is_none() {
                            out.state = agency.state.clone();
                        }
                        confidence = if parsed.state.is_some() || how.is_guess() {
                            value
                        } else {
                            value - 0.05
                        };
                    }
                }
                Found::Many { count, states } => {
                    if states.len() > 1 {
                        out.reason(format!(
                            "{count} agencies of this name and kind in {}: no state chosen",
                            states.join(", ")
                        ));
                    } else {
                        out.reason(format!(
                            "{count} agencies of this name and kind in the directory; none chosen"
                        ));
                        if out.state.is_none() {
                            out.state = states.first().cloned();
                            confidence = 0.7;
                        }
                    }
                }
                Found::None => {
                    if directory.is_complete() {
                        out.reason("no agency of this name and kind in the FBI list".to_string());
                    } else {
                        out.reason(
                            "not in the built-in sample directory (import the FBI list for a full check)"
                                .to_string(),
                        );
                    }
                }
            }
        }
        if out.state.is_none() && class != AgencyClass::Unknown {
            out.reason("the state is unknown".to_string());
        }
        out.finish(class, confidence - confidence_penalty)
    }

    /// A state or local agency of the named-agencies file.
    fn named(&self, mut out: Draft, entry: &NamedAgency, raw: &str, penalty: f32) -> Resolution {
        let directory = &self.inner.directory;
        let kind = AgencyKind::from_word(&entry.kind);
        out.reason(format!(
            "`{}` is the {} (named-agencies file)",
            raw.trim(),
            entry.name
        ));
        out.kind = kind;
        if out.state.as_deref().is_some_and(|s| s != entry.state) {
            out.reason(format!(
                "the agency is in `{}`; the other state was set aside",
                entry.state
            ));
        }
        out.state = Some(entry.state.clone());
        out.name = entry.name.clone();
        let listed = entry
            .ori
            .as_deref()
            .and_then(|ori| directory.by_ori(ori))
            .or_else(|| {
                (kind == Some(AgencyKind::StatePolice))
                    .then(|| {
                        directory
                            .data
                            .state_police
                            .get(&state_slot(Some(&entry.state)))
                    })
                    .flatten()
                    .and_then(|i| directory.agency(*i))
            });
        if let Some(agency) = listed {
            out.matched(
                agency,
                format!(
                    "the directory lists it as `{}` ({})",
                    agency.name.trim_end_matches([':', ',', ' ']),
                    agency.ori
                ),
            );
        }
        let class = if entry.level == "state" {
            AgencyClass::State
        } else {
            AgencyClass::Local
        };
        out.finish(class, 0.9 - penalty)
    }

    /// A name without an agency word: a city's name, a private customer, or unknown.
    fn no_agency_word(
        &self,
        mut out: Draft,
        parsed: &ParsedName,
        state: Option<&'static str>,
        penalty: f32,
    ) -> Resolution {
        let directory = &self.inner.directory;
        if let Some(code) = state {
            if parsed.has_place_words() {
                let slot = state_slot(Some(code));
                let names_a_city = directory
                    .data
                    .keys
                    .get(&(slot, parsed.key.clone()))
                    .is_some_and(|hits| {
                        hits.iter().any(|h| {
                            directory.agency(h.index).is_some_and(|a| {
                                a.agency_type == "City" || a.agency_type == "County"
                            })
                        })
                    });
                if names_a_city || parsed.municipal {
                    out.kind = Some(AgencyKind::LocalGovernment);
                    out.reason(format!(
                        "no agency word; `{}` is a city or county in `{code}`: taken as its government",
                        parsed.place
                    ));
                    return out.finish(AgencyClass::Local, 0.5 - penalty);
                }
                out.reason(
                    "no agency word: taken as a private customer (sharing lists name neighbourhoods and businesses this way)"
                        .to_string(),
                );
                out.counterparty = Some("private_entity".to_string());
                return out.finish(AgencyClass::Private, 0.5 - penalty);
            }
        }
        out.reason("no agency word and no state: cannot tell what this is".to_string());
        out.finish(AgencyClass::Unknown, 0.1)
    }

    fn find(
        &self,
        parsed: &ParsedName,
        kind: AgencyKind,
        state: Option<&'static str>,
        home: Option<&'static State>,
    ) -> Found {
        let directory = &self.inner.directory;
        let data = &directory.data;
        if let Some(code) = state {
            let slot = state_slot(Some(code));
            if kind == AgencyKind::StatePolice {
                if let Some(&index) = data.state_police.get(&slot) {
                    return Found::One {
                        index,
                        how: How::StatePolice,
                    };
                }
            }
            // Exact and alternative keys.
            let mut hits: Vec<(u32, bool)> = Vec::new();
            for (k, key) in std::iter::once(&parsed.key)
                .chain(&parsed.alt_keys)
                .enumerate()
            {
                if let Some(found) = data.keys.get(&(slot, key.clone())) {
                    hits.extend(
                        found
                            .iter()
                            .map(|h: &Hit| (h.index, h.alternative || k > 0)),
                    );
                }
            }
            let found = self.best(&hits, kind, parsed);
            if !matches!(found, Found::None) {
                return found;
            }
            // The same letters without spaces (`De Kalb` / `DeKalb`).
            if let Some(found) = data.compact.get(&(slot, compact(&parsed.key))) {
                let hits: Vec<(u32, bool)> = found.iter().map(|i| (*i, true)).collect();
                if let Found::One { index, .. } = self.best(&hits, kind, parsed) {
                    return Found::One {
                        index,
                        how: How::Compact,
                    };
                }
            }
            // A misspelling (`Lampass` for `Lampasas`).
            return self.fuzzy(parsed, kind, slot);
        }
        // No state: the name across all states.
        let mut hits: Vec<(u32, bool)> = Vec::new();
        for (k, key) in std::iter::once(&parsed.key)
            .chain(&parsed.alt_keys)
            .enumerate()
        {
            if let Some(found) = data.global.get(key) {
                hits.extend(found.iter().map(|i| (*i, k > 0)));
            }
        }
        match self.best(&hits, kind, parsed) {
            Found::One { index, .. } => Found::One {
                index,
                how: How::Unique,
            },
            Found::Many { count, states } => {
                if let Some(home) = home {
                    let in_home: Vec<(u32, bool)> = hits
                        .iter()
                        .copied()
                        .filter(|(i, _)| {
                            directory
                                .agency(*i)
                                .is_some_and(|a| a.state.as_deref() == Some(home.code))
                        })
                        .collect();
                    if let Found::One { index, .. } = self.best(&in_home, kind, parsed) {
                        return Found::One {
                            index,
                            how: How::Home(count),
                        };
                    }
                }
                Found::Many { count, states }
            }
            Found::None => Found::None,
        }
    }

    /// The best-fitting agencies among key hits: by how well their kind fits, then an exact
    /// key over another form, a whole FBI name over a cut-short one, and `Town of` only for a
    /// name that says `Town of`; a county in brackets settles what is left.
    fn best(&self, hits: &[(u32, bool)], kind: AgencyKind, parsed: &ParsedName) -> Found {
        let directory = &self.inner.directory;
        // (fit, exact key, whole name, same municipal prefix), index
        let mut scored: Vec<((u8, bool, bool, bool), u32)> = Vec::new();
        for &(index, alternative) in hits {
            let (Some(agency), Some(derived)) = (directory.agency(index), directory.derived(index))
            else {
                continue;
            };
            if let Some(fit) = fit(kind, parsed.county, agency, derived) {
                if !scored.iter().any(|s| s.1 == index) {
                    let rank = (
                        fit,
                        !alternative,
                        !derived.truncated,
                        derived.municipal == parsed.municipal,
                    );
                    scored.push((rank, index));
                }
            }
        }
        let Some(top) = scored.iter().map(|s| s.0).max() else {
            return Found::None;
        };
        let mut best: Vec<u32> = scored.iter().filter(|s| s.0 == top).map(|s| s.1).collect();
        let mut how = if top.1 { How::Exact } else { How::Alternative };
        if best.len() > 1 {
            if let Some(county) = &parsed.county_hint {
                let in_county: Vec<u32> = best
                    .iter()
                    .copied()
                    .filter(|i| {
                        directory
                            .agency(*i)
                            .and_then(|a| a.county.as_deref())
                            .is_some_and(|c| {
                                c.split(',').any(|c| c.trim().eq_ignore_ascii_case(county))
                            })
                    })
                    .collect();
                if in_county.len() == 1 {
                    best = in_county;
                    how = How::County;
                }
            }
        }
        if best.len() == 1 {
            return Found::One {
                index: best[0],
                how,
            };
        }
        let mut states: Vec<String> = best
            .iter()
            .filter_map(|i| directory.agency(*i).and_then(|a| a.state.clone()))
            .collect();
        states.sort();
        states.dedup();
        Found::Many {
            count: best.len(),
            states,
        }
    }

    fn fuzzy(&self, parsed: &ParsedName, kind: AgencyKind, slot: u8) -> Found {
        let directory = &self.inner.directory;
        let key = &parsed.key;
        let Some(first) = key.chars().next() else {
            return Found::None;
        };
        if key.chars().count() < 5 {
            return Found::None;
        }
        let Some(pool) = directory.data.fuzzy.get(&(slot, first)) else {
            return Found::None;
        };
        let mut best: Vec<(f64, u32)> = Vec::new();
        let length = key.len();
        for (candidate, index) in pool {
            if candidate.len().abs_diff(length) > 3 {
                continue;
            }
            let similarity = strsim::jaro_winkler(key, candidate);
            if similarity < 0.93 {
                continue;
            }
            let (Some(agency), Some(derived)) =
                (directory.agency(*index), directory.derived(*index))
            else {
                continue;
            };
            if fit(kind, parsed.county, agency, derived).is_some_and(|f| f >= 8) {
                best.push((similarity, *index));
            }
        }
        best.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        match best.as_slice() {
            [] => Found::None,
            [(similarity, index)] => Found::One {
                index: *index,
                how: How::Fuzzy(*similarity),
            },
            [(s1, index), (s2, _), ..] if s1 - s2 >= 0.02 => Found::One {
                index: *index,
                how: How::Fuzzy(*s1),
            },
            _ => Found::Many {
                count: best.len(),
                states: Vec::new(),
            },
        }
    }
}

/// How well an agency's kind fits the kind a name says (higher is better); `None` when it does
/// not fit at all.
fn fit(kind: AgencyKind, county: bool, agency: &Agency, derived: &Derived) -> Option<u8> {
    use AgencyKind as K;
    let theirs = agency.kind?;
    match kind {
        K::PoliceDepartment => match theirs {
            K::PoliceDepartment if county == derived.county => Some(10),
            K::PoliceDepartment => Some(6),
            // `Nassau County PD`: the FBI lists Nassau's county police as the bare `Nassau`.
            K::Sheriff if derived.county_primary && county => Some(7),
            _ => None,
        },
        K::Sheriff => (theirs == K::Sheriff).then_some(10),
        // A town marshal is the town's police: `Tombstone` (City).
        K::Marshal => match theirs {
            K::Marshal => Some(10),
            K::PoliceDepartment if !derived.county => Some(8),
            _ => None,
        },
        other => (theirs == other).then_some(10),
    }
}

/// The class a kind gives, given whether the name is a state government's.
fn class_of_kind(kind: AgencyKind, parsed: &ParsedName) -> AgencyClass {
    use AgencyKind as K;
    match kind {
        K::FederalAgency | K::Military => AgencyClass::Federal,
        K::Business | K::HomeownersAssociation | K::Railroad | K::Hospital => AgencyClass::Private,
        K::StatePolice | K::AttorneyGeneral => AgencyClass::State,
        // Campus, school, transit, airport and tribal police count as local, as the vocabulary's
        // `local_law_enforcement` group does for campus police.
        K::University | K::School | K::Transit | K::Airport | K::Tribal => AgencyClass::Local,
        // `Wisconsin State Capitol Police`: a state's own police that is not its patrol.
        K::PoliceDepartment if parsed.state_level => AgencyClass::State,
        K::PoliceDepartment | K::Sheriff | K::Marshal | K::Constable | K::LocalGovernment => {
            AgencyClass::Local
        }
        K::StateAgency => {
            if parsed.state_level || !parsed.has_place_words() {
                AgencyClass::State
            } else {
                AgencyClass::Local
            }
        }
        K::Corrections
        | K::Probation
        | K::Fire
        | K::Parks
        | K::IntelligenceCenter
        | K::Prosecutor
        | K::TaskForce => {
            if parsed.state_level {
                AgencyClass::State
            } else {
                AgencyClass::Local
            }
        }
    }
}

/// How a directory match was made.
#[derive(Clone, Copy, Debug)]
enum How {
    Exact,
    Alternative,
    Compact,
    Fuzzy(f64),
    StatePolice,
    /// One of several of that name in the state, told apart by the county the name gives.
    County,
    /// The only agency of that name and kind in the directory (no state given).
    Unique,
    /// One of this many, chosen for being in the home state.
    Home(usize),
}

impl How {
    fn describe(self, agency: &Agency, complete: bool) -> (String, f32) {
        let what = format!(
            "`{}` ({}{}, {})",
            agency.name.trim_end_matches([':', ',', ' ']),
            agency.agency_type,
            agency
                .state
                .as_deref()
                .map(|s| format!(", {s}"))
                .unwrap_or_default(),
            agency.ori
        );
        match self {
            How::Exact => (
                format!("matched {what} in the directory by place and kind"),
                0.95,
            ),
            How::Alternative => (
                format!("matched {what} in the directory by another form of the name"),
                0.9,
            ),
            How::Compact => (
                format!("matched {what} in the directory ignoring spaces"),
                0.85,
            ),
            How::Fuzzy(similarity) => (
                format!("closest name in the state: {what}, similarity {similarity:.2}"),
                0.75,
            ),
            How::StatePolice => (format!("the state's police in the directory: {what}"), 0.95),
            How::County => (
                format!("matched {what} in the directory by place, kind and the county given"),
                0.9,
            ),
            How::Unique if complete => (
                format!("no state given; {what} is the only agency of this name and kind"),
                0.8,
            ),
            How::Unique => (
                format!(
                    "no state given; {what} is the only agency of this name and kind in the built-in sample"
                ),
                0.6,
            ),
            How::Home(count) => (
                format!(
                    "no state given; {count} agencies of this name and kind, {what} taken for being in the list owner's state"
                ),
                0.6,
            ),
        }
    }

    fn is_guess(self) -> bool {
        matches!(self, How::Unique | How::Home(_) | How::Fuzzy(_))
    }
}

enum Found {
    One { index: u32, how: How },
    Many { count: usize, states: Vec<String> },
    None,
}

fn only_one(mut indexes: impl Iterator<Item = u32>) -> Option<u32> {
    let first = indexes.next()?;
    indexes.all(|i| i == first).then_some(first)
}

/// The display name for a directory match: the directory's name when it says what the agency
/// is (`Arizona Department of Public Safety`), else its place and the kind
/// (`El Cajon` -> `El Cajon Police Department`).
fn display_name(
    agency: &Agency,
    derived: Option<&Derived>,
    parsed: &ParsedName,
    kind: AgencyKind,
) -> String {
    let name = agency.name.trim();
    if derived.is_some_and(|d| d.truncated) {
        return parsed.display.clone();
    }
    if derived.is_none_or(|d| d.says_what) {
        return name.to_string();
    }
    let mut out = name.to_string();
    if agency.agency_type == "County" {
        let lower = name.to_lowercase();
        if !lower.ends_with(" county") && !lower.ends_with(" parish") {
            out.push_str(if agency.state.as_deref() == Some("LA") {
                " Parish"
            } else {
                " County"
            });
        }
    }
    out.push(' ');
    out.push_str(kind.label());
    out
}

/// A resolution being put together.
struct Draft {
    input: String,
    name: String,
    ori: Option<String>,
    agency_id: Option<String>,
    state: Option<String>,
    counterparty: Option<String>,
    kind: Option<AgencyKind>,
    reasons: Vec<String>,
    tags: Vec<String>,
    place: Option<String>,
}

impl Draft {
    fn new(raw: &str, parsed: &ParsedName) -> Draft {
        let mut reasons = Vec::new();
        for tag in &parsed.tags {
            reasons.push(match *tag {
                "inactive" => {
                    "marked inactive (deactivated, decommissioned or do-not-use)".to_string()
                }
                "federal" => "marked federal".to_string(),
                "demo" => "marked as a demonstration or test".to_string(),
                other => format!("tag `{other}` (a product or sub-account, set aside)"),
            });
        }
        for note in &parsed.notes {
            reasons.push(format!("set aside `{note}`"));
        }
        Draft {
            input: raw.to_string(),
            name: if parsed.display.is_empty() {
                raw.trim().to_string()
            } else {
                parsed.display.clone()
            },
            ori: None,
            agency_id: None,
            state: None,
            counterparty: None,
            kind: None,
            reasons,
            tags: parsed.tags.iter().map(|t| (*t).to_string()).collect(),
            place: (!parsed.place.is_empty()).then(|| parsed.place.clone()),
        }
    }

    fn reason(&mut self, text: String) {
        self.reasons.push(text);
    }

    fn push_state_reason(&mut self, parsed: &ParsedName) {
        if let Some(text) = parsed.state_reason() {
            self.reasons.push(text);
        }
    }

    fn matched(&mut self, agency: &Agency, text: String) {
        self.reasons.push(text);
        self.agency_id = Some(agency.ori.clone());
        self.ori = agency.has_ori().then(|| agency.ori.clone());
    }

    fn federal(mut self, agency: &Agency, confidence: f32) -> Resolution {
        self.name = agency.name.clone();
        self.agency_id = Some(agency.ori.clone());
        self.ori = agency.has_ori().then(|| agency.ori.clone());
        self.state = None;
        self.counterparty = agency.counterparty.clone();
        self.kind = agency.kind.or(Some(AgencyKind::FederalAgency));
        if self.counterparty.is_none() {
            self.reasons.push(
                "counterparty not set: the name does not say which component (ICE, CBP, the Secret Service...)"
                    .to_string(),
            );
        }
        if !self.tags.iter().any(|t| t == "federal") {
            self.tags.push("federal".to_string());
        }
        self.finish(AgencyClass::Federal, confidence)
    }

    fn finish(self, class: AgencyClass, confidence: f32) -> Resolution {
        let confidence = (confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0;
        Resolution {
            input: self.input,
            ori: self.ori,
            name: self.name,
            state: self.state,
            class,
            counterparty: self.counterparty,
            confidence,
            reasons: self.reasons,
            kind: self.kind.map(|k| k.as_str().to_string()),
            tags: self.tags,
            agency_id: self.agency_id,
            place: self.place,
        }
    }
}

fn slot_state(slot: u8) -> Option<&'static State> {
    states::STATES.get(usize::from(slot))
}

/// Reads a state hint without allocating: codes directly, names through a table of upper-case
/// names, anything else through [`states::parse`].
fn hint_slot(text: &str) -> u8 {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return NO_STATE;
    }
    if trimmed.len() == 2 {
        return states::by_code_ignore_case(trimmed)
            .map_or(INVALID_HINT, |s| state_slot(Some(s.code)));
    }
    let mut buffer = [0u8; 40];
    let mut length = 0;
    let mut space = false;
    let mut fits = true;
    for byte in trimmed.bytes() {
        if byte.is_ascii_whitespace() {
            space = length > 0;
            continue;
        }
        if space {
            if length >= buffer.len() {
                fits = false;
                break;
            }
            buffer[length] = b' ';
            length += 1;
            space = false;
        }
        if length >= buffer.len() {
            fits = false;
            break;
        }
        buffer[length] = byte.to_ascii_uppercase();
        length += 1;
    }
    if fits {
        if let Ok(upper) = std::str::from_utf8(&buffer[..length]) {
            if let Some(slot) = upper_names().get(upper) {
                return *slot;
            }
        }
    }
    states::parse(trimmed).map_or(INVALID_HINT, |s| state_slot(Some(s.code)))
}

fn upper_names() -> &'static HashMap<String, u8> {
    static NAMES: OnceLock<HashMap<String, u8>> = OnceLock::new();
    NAMES.get_or_init(|| {
        states::STATES
            .iter()
            .map(|s| (s.name.to_ascii_uppercase(), state_slot(Some(s.code))))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints() {
        assert_eq!(hint_slot("CA"), state_slot(Some("CA")));
        assert_eq!(hint_slot("ca"), state_slot(Some("CA")));
        assert_eq!(hint_slot("FLORIDA"), state_slot(Some("FL")));
        assert_eq!(hint_slot("  New   York "), state_slot(Some("NY")));
        assert_eq!(hint_slot("( CA)"), state_slot(Some("CA")));
        assert_eq!(hint_slot(""), NO_STATE);
        assert_eq!(hint_slot("N/A"), INVALID_HINT);
    }
}
