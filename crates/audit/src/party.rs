//! Who searched and whose data it was: agencies as the audit sees them.
//!
//! The resolver itself lives in remit-agencies (names as records write them -> agency, state,
//! class, counterparty). The pipeline sees it through [`PartyResolver`] so that resolution can
//! be memoised per distinct name, shared between threads, and so that the owner and each searcher
//! carry exactly what the law question needs.

use serde::Serialize;

/// What kind of body an agency is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyClass {
    /// A city, county or other local agency (police, sheriff, ...).
    Local,
    /// A state agency (state police, highway patrol, ...).
    State,
    /// A federal agency.
    Federal,
    /// A private company or organization.
    Private,
    /// An agency the directory could not place.
    Unknown,
}

impl PartyClass {
    /// The class's stable name, as in summaries and findings.
    pub fn name(self) -> &'static str {
        match self {
            PartyClass::Local => "local",
            PartyClass::State => "state",
            PartyClass::Federal => "federal",
            PartyClass::Private => "private",
            PartyClass::Unknown => "unknown",
        }
    }
}

/// A resolved agency.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Party {
    /// The name as the record wrote it.
    pub input: String,
    /// The directory's name for it (or the input, cleaned, when unresolved).
    pub name: String,
    /// The agency's FBI identifier (ORI), when the directory resolved it.
    pub ori: Option<String>,
    /// Two-letter state code.
    pub state: Option<String>,
    /// What kind of body the agency is.
    pub class: PartyClass,
    /// For federal agencies, the counterparty word (`ice`, `border_patrol`, `federal_other`).
    pub counterparty: Option<String>,
    /// The agency type as a vocabulary actor word where known (`local_police`, `sheriff`, ...),
    /// from [`remit_agencies::law::owner_actor`], as the sharing analysis reads it.
    pub kind: Option<String>,
    /// The OCD division whose rules bind the agency (its city or county, else its state), from
    /// [`remit_agencies::law::division`].
    pub division: Option<String>,
    /// How sure the resolution is, from 0 to 1 (0 when unresolved).
    pub confidence: f32,
    /// Why the name was resolved as it was, in plain words.
    pub reasons: Vec<String>,
}

impl Party {
    /// A party known only by name.
    pub fn unresolved(input: &str) -> Party {
        Party {
            input: input.to_string(),
            name: input.trim().to_string(),
            ori: None,
            state: None,
            class: PartyClass::Unknown,
            counterparty: None,
            kind: None,
            division: None,
            confidence: 0.0,
            reasons: vec!["not resolved".to_string()],
        }
    }

    /// The same agency as `other`: same ORI, or the same name and state.
    pub fn same_agency(&self, other: &Party) -> bool {
        match (&self.ori, &other.ori) {
            (Some(a), Some(b)) => a == b,
            _ => {
                crate::layout::normalise(&self.name) == crate::layout::normalise(&other.name)
                    && self.state == other.state
            }
        }
    }

    /// The vocabulary actor for this agency as a data owner.
    pub fn actor(&self) -> &str {
        match (self.kind.as_deref(), self.class) {
            (Some(kind), _) if ACTORS.contains(&kind) => kind,
            (_, PartyClass::State) => "state_police",
            _ => "local_police",
        }
    }

    /// Whether the party is a federal immigration authority.
    pub fn is_federal_immigration(&self) -> bool {
        self.class == PartyClass::Federal
            && self
                .counterparty
                .as_deref()
                .is_some_and(|c| IMMIGRATION_COUNTERPARTIES.contains(&c))
    }
}

/// Actor words an owner can be (a subset of the vocabulary's actors).
const ACTORS: [&str; 8] = [
    "local_police",
    "local_government",
    "sheriff",
    "jail",
    "state_police",
    "state_agency",
    "campus_police",
    "prosecutor",
];

/// Counterparty words below `federal_immigration` in the vocabulary.
pub const IMMIGRATION_COUNTERPARTIES: [&str; 9] = [
    "federal_immigration",
    "ice",
    "ice_ero",
    "ice_hsi",
    "cbp",
    "border_patrol",
    "cbp_ofo",
    "uscis",
    "dhs",
];

/// Resolves agency names. Implementations must be usable from several threads at once.
pub trait PartyResolver: Sync {
    /// `state_hint` is a state the record itself gives for the name; `home_state` is the data
    /// owner's state, used only to choose between same-named agencies in several states.
    fn resolve(&self, raw_name: &str, state_hint: Option<&str>, home_state: Option<&str>) -> Party;
}

impl PartyResolver for remit_agencies::Resolver {
    fn resolve(&self, raw_name: &str, state_hint: Option<&str>, home_state: Option<&str>) -> Party {
        let resolution = self.resolve_shared(raw_name, state_hint, home_state);
        let class = match resolution.class {
            remit_agencies::AgencyClass::Local => PartyClass::Local,
            remit_agencies::AgencyClass::State => PartyClass::State,
            remit_agencies::AgencyClass::Federal => PartyClass::Federal,
            remit_agencies::AgencyClass::Private => PartyClass::Private,
            remit_agencies::AgencyClass::Unknown => PartyClass::Unknown,
        };
        Party {
            input: resolution.input.clone(),
            name: resolution.name.clone(),
            ori: resolution.ori.clone(),
            state: resolution.state.clone(),
            class,
            counterparty: resolution.counterparty.clone(),
            kind: remit_agencies::law::owner_actor(resolution.class, resolution.kind.as_deref())
                .ok()
                .map(str::to_string),
            division: remit_agencies::law::division(&resolution),
            confidence: resolution.confidence,
            reasons: resolution.reasons.clone(),
        }
    }
}

/// The counterparty word for a searcher, seen from the data's owner (docs/methodology.md#plate-reader-search-audits):
/// a federal immigration authority is its own word (`ice`, `border_patrol`, ...), another federal
/// agency is `federal_other`, a state or local agency is `in_state_agency` or
/// `out_of_state_agency` by comparing states, a private body is `private_entity`. `None` when the
/// searcher could not be placed (unknown class, or a state or local agency without a state).
pub fn counterparty(owner: &Party, searcher: &Party) -> Option<String> {
    match searcher.class {
        PartyClass::Federal => Some(
            searcher
                .counterparty
                .clone()
                .unwrap_or_else(|| "federal_other".to_string()),
        ),
        PartyClass::Private => Some("private_entity".to_string()),
        PartyClass::Local | PartyClass::State => match (&owner.state, &searcher.state) {
            (Some(a), Some(b)) if a == b => Some("in_state_agency".to_string()),
            (Some(_), Some(_)) => Some("out_of_state_agency".to_string()),
            _ => None,
        },
        PartyClass::Unknown => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(class: PartyClass, state: Option<&str>, counterparty: Option<&str>) -> Party {
        Party {
            state: state.map(str::to_string),
            class,
            counterparty: counterparty.map(str::to_string),
            ..Party::unresolved("x")
        }
    }

    #[test]
    fn counterparty_words() {
        let owner = party(PartyClass::Local, Some("CA"), None);
        let cases = [
            (party(PartyClass::Federal, None, Some("ice")), Some("ice")),
            (
                party(PartyClass::Federal, None, None),
                Some("federal_other"),
            ),
            (
                party(PartyClass::Local, Some("TX"), None),
                Some("out_of_state_agency"),
            ),
            (
                party(PartyClass::State, Some("CA"), None),
                Some("in_state_agency"),
            ),
            (
                party(PartyClass::Private, None, None),
                Some("private_entity"),
            ),
            (party(PartyClass::Local, None, None), None),
            (party(PartyClass::Unknown, Some("CA"), None), None),
        ];
        for (searcher, expected) in cases {
            assert_eq!(counterparty(&owner, &searcher).as_deref(), expected);
        }
    }

    #[test]
    fn owner_actor() {
        let mut owner = party(PartyClass::Local, Some("CA"), None);
        assert_eq!(owner.actor(), "local_police");
        owner.kind = Some("sheriff".to_string());
        assert_eq!(owner.actor(), "sheriff");
        owner.kind = Some("fish_and_game".to_string());
        owner.class = PartyClass::State;
        assert_eq!(owner.actor(), "state_police");
    }
}
