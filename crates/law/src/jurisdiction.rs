//! Places, named by Open Civic Data division ids.
//!
//! A place lies within its ancestors: `ocd-division/country:us/state:ca/place:los_angeles` is
//! inside `.../state:ca`, which is inside `ocd-division/country:us`. Rules attach to a division and
//! apply to every place inside it. Any well-formed id is accepted, known to the corpus or not, so
//! a town with no rules of its own still gets its state's and the federal ones.

use std::fmt;

/// The two-letter code and name of every US state, the District of Columbia and the territories,
/// with the OCD division type each uses.
pub const STATES: &[(&str, &str, &str)] = &STATE_ROWS;

/// [`STATES`] as the law reads it, built from the workspace's one table (`remit-states`).
const STATE_ROWS: [(&str, &str, &str); remit_states::STATES.len()] = {
    let mut rows = [("", "", ""); remit_states::STATES.len()];
    let mut index = 0;
    while index < rows.len() {
        let state = &remit_states::STATES[index];
        rows[index] = (state.code, state.name, state.division);
        index += 1;
    }
    rows
};

/// The root of every US place.
pub const UNITED_STATES: &str = "ocd-division/country:us";

/// A well-formed OCD division id under `ocd-division/country:us`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Jurisdiction(String);

/// Why a place could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaceError {
    /// The text (first) is not a well-formed OCD id, for the reason given (second).
    #[error("`{0}` is not a well-formed OCD division id: {1}")]
    Malformed(String, &'static str),
    /// The text names no US state or territory.
    #[error("`{input}` names no US state or territory")]
    UnknownState {
        /// The text as given.
        input: String,
        /// The nearest state code or name; `None` when none is close.
        suggestion: Option<String>,
    },
}

impl PlaceError {
    /// A hint to show under the message.
    pub fn help(&self) -> String {
        match self {
            PlaceError::Malformed(..) => "write a place as `ocd-division/country:us/state:ca/place:los_angeles`, a state code such as `CA`, or a state name such as `California`".to_string(),
            PlaceError::UnknownState { suggestion: Some(s), .. } => format!("did you mean `{s}`?"),
            PlaceError::UnknownState { .. } => "use a two-letter state code such as `TX`".to_string(),
        }
    }
}

impl Jurisdiction {
    /// Reads a full OCD id. Segment types and ids are lowercase `[a-z0-9_.~-]`, and an id written
    /// in another case (`OCD-Division/Country:US/State:CA`) is read as the same id in lower case;
    /// a state or territory segment must name a real one.
    pub fn parse_ocd(input: &str) -> Result<Jurisdiction, PlaceError> {
        let lowered;
        let input = if input.bytes().any(|b| b.is_ascii_uppercase()) {
            lowered = input.to_ascii_lowercase();
            lowered.as_str()
        } else {
            input
        };
        let malformed = |why| PlaceError::Malformed(input.to_string(), why);
        let rest = input
            .strip_prefix("ocd-division/")
            .ok_or_else(|| malformed("it must start with `ocd-division/`"))?;
        let mut segments = rest.split('/');
        if segments.next() != Some("country:us") {
            return Err(malformed("the first segment must be `country:us`"));
        }
        for (position, segment) in segments.enumerate() {
            let (kind, id) = segment
                .split_once(':')
                .ok_or_else(|| malformed("each segment must be `type:id`"))?;
            let allowed = |s: &str, extra: &[u8]| {
                !s.is_empty()
                    && s.bytes().all(|b| {
                        b.is_ascii_lowercase()
                            || b.is_ascii_digit()
                            || b == b'_'
                            || extra.contains(&b)
                    })
            };
            if !allowed(kind, b"") {
                return Err(malformed(
                    "segment types are lowercase words such as `state`",
                ));
            }
            if !allowed(id, b"-.~") {
                return Err(malformed(
                    "segment ids use lowercase letters, digits, `_`, `-`, `.` and `~`",
                ));
            }
            if position == 0 && matches!(kind, "state" | "territory" | "district") {
                let known = STATES
                    .iter()
                    .any(|(code, _, t)| *t == kind && code.eq_ignore_ascii_case(id));
                if !known {
                    return Err(PlaceError::UnknownState {
                        input: id.to_string(),
                        suggestion: suggest_state(id),
                    });
                }
            }
        }
        Ok(Jurisdiction(input.to_string()))
    }

    /// Reads a place as a user writes it: a full OCD id, a two-letter state code or a state name.
    pub fn parse_place(input: &str) -> Result<Jurisdiction, PlaceError> {
        let trimmed = input.trim();
        if trimmed
            .get(..13)
            .is_some_and(|p| p.eq_ignore_ascii_case("ocd-division/"))
        {
            return Jurisdiction::parse_ocd(trimmed);
        }
        if trimmed.eq_ignore_ascii_case("us") || trimmed.eq_ignore_ascii_case("united states") {
            return Ok(Jurisdiction(UNITED_STATES.to_string()));
        }
        if let Some(j) = Jurisdiction::for_state(trimmed) {
            return Ok(j);
        }
        if trimmed.contains('/') || trimmed.contains(':') {
            return Jurisdiction::parse_ocd(trimmed);
        }
        Err(PlaceError::UnknownState {
            input: trimmed.to_string(),
            suggestion: suggest_state(trimmed),
        })
    }

    /// The division of a state or territory, from its code or name (any case).
    pub fn for_state(code_or_name: &str) -> Option<Jurisdiction> {
        STATES
            .iter()
            .find(|(code, name, _)| {
                code.eq_ignore_ascii_case(code_or_name) || name.eq_ignore_ascii_case(code_or_name)
            })
            .map(|(code, _, kind)| {
                Jurisdiction(format!(
                    "{UNITED_STATES}/{kind}:{}",
                    code.to_ascii_lowercase()
                ))
            })
    }

    /// The whole country, `ocd-division/country:us`.
    pub fn united_states() -> Jurisdiction {
        Jurisdiction(UNITED_STATES.to_string())
    }

    /// The OCD division id, e.g. `ocd-division/country:us/state:ca`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Number of segments below `ocd-division/`: 1 for the country, 2 for a state.
    pub fn depth(&self) -> usize {
        self.0.matches('/').count()
    }

    /// True when `self` is `other` or contains it.
    pub fn contains(&self, other: &Jurisdiction) -> bool {
        other.0 == self.0
            || (other.0.len() > self.0.len()
                && other.0.starts_with(&self.0)
                && other.0.as_bytes()[self.0.len()] == b'/')
    }

    /// True when `self` contains `other` and is not `other`.
    pub fn strictly_contains(&self, other: &Jurisdiction) -> bool {
        self != other && self.contains(other)
    }

    /// The chain from the country down to this place, country first.
    pub fn chain(&self) -> Vec<Jurisdiction> {
        let mut chain = Vec::new();
        for (index, byte) in self.0.bytes().enumerate() {
            if byte == b'/' && index > "ocd-division".len() {
                chain.push(Jurisdiction(self.0[..index].to_string()));
            }
        }
        chain.push(self.clone());
        chain
    }

    /// The two-letter code of the state or territory this place lies in, if any.
    pub fn state_code(&self) -> Option<&'static str> {
        let segment = self.0.split('/').nth(2)?;
        let (kind, id) = segment.split_once(':')?;
        STATES
            .iter()
            .find(|(code, _, t)| *t == kind && code.eq_ignore_ascii_case(id))
            .map(|(code, _, _)| *code)
    }

    /// A short human label: `United States`, `California`, `California, Los Angeles (place)`.
    pub fn label(&self) -> String {
        self.label_in(crate::Lang::En)
    }

    /// [`Jurisdiction::label`] in a language: the kind of a division below the state is named
    /// in that language (`California, El Cajon (localidad)`, `Texas, Harris (condado)`).
    pub fn label_in(&self, lang: crate::Lang) -> String {
        let mut parts = Vec::new();
        for segment in self.0.split('/').skip(1) {
            match segment.split_once(':') {
                Some(("country", "us")) if lang == crate::Lang::Es => {
                    parts.push("Estados Unidos".to_string());
                }
                Some(("country", "us")) => parts.push("United States".to_string()),
                Some(("state" | "territory" | "district", id)) => {
                    parts.push(state_name(id).to_string());
                }
                Some((kind, id)) => {
                    let kind = match lang {
                        crate::Lang::En => kind,
                        crate::Lang::Es => kind_in_spanish(kind),
                    };
                    parts.push(format!("{} ({kind})", title_case(id)));
                }
                None => parts.push(segment.to_string()),
            }
        }
        if parts.len() > 1 {
            parts.remove(0);
        }
        parts.join(", ")
    }

    /// The place as a sentence names it, most specific first: `El Cajon, California`, `Los
    /// Angeles County, California`, `Orleans Parish, Louisiana`, `California`, `the United
    /// States`.
    pub fn phrase(&self) -> String {
        let mut parts = Vec::new();
        for segment in self.0.split('/').skip(1) {
            parts.push(match segment.split_once(':') {
                Some(("country", "us")) => "the United States".to_string(),
                Some(("state" | "territory" | "district", id)) => state_name(id).to_string(),
                Some(("county", id)) => format!("{} County", title_case(id)),
                Some(("parish", id)) => format!("{} Parish", title_case(id)),
                Some(("place", id)) => title_case(id),
                Some((kind, id)) => format!("{} ({})", title_case(id), kind.replace('_', " ")),
                None => segment.to_string(),
            });
        }
        if parts.len() > 1 {
            parts.remove(0);
        }
        parts.reverse();
        parts.join(", ")
    }
}

/// The Spanish word for a kind of division in a division id (`place` a `localidad`, `county` a
/// `condado`); an unknown kind stays as it is written.
fn kind_in_spanish(kind: &str) -> &str {
    match kind {
        "place" => "localidad",
        "county" => "condado",
        "parish" => "parroquia",
        "borough" => "distrito",
        "census_area" => "área censal",
        "municipio" => "municipio",
        "school_district" => "distrito escolar",
        other => other,
    }
}

/// The name of the state, territory or district with code `id` (the id itself when unknown).
fn state_name(id: &str) -> &str {
    STATES
        .iter()
        .find(|(code, _, _)| code.eq_ignore_ascii_case(id))
        .map_or(id, |(_, name, _)| name)
}

/// `los_angeles` as `Los Angeles`, `lewis_and_clark` as `Lewis and Clark`. Identifiers write an
/// apostrophe and a period as `_` or not at all, so the usual shapes are put back:
/// `prince_george_s` as `Prince George's`, `coeur_d_alene` as `Coeur d'Alene`, `o_fallon` as
/// `O'Fallon`, `st_louis` as `St. Louis`.
fn title_case(id: &str) -> String {
    let words: Vec<&str> = id.split(['_', '-']).filter(|w| !w.is_empty()).collect();
    let mut out = String::new();
    for (index, w) in words.iter().enumerate() {
        let next = words.get(index + 1);
        match *w {
            // `george_s`: the possessive of the word before.
            "s" if index > 0 => {
                out.push_str("'s");
                continue;
            }
            // `coeur_d_alene`: a lower-case elided article between two words.
            "d" if index > 0 && next.is_some() => {
                out.push_str(" d'");
                continue;
            }
            _ => {}
        }
        let after_elision = out.ends_with('\'');
        if index > 0 && !after_elision {
            out.push(' ');
        }
        if index > 0 && !after_elision && matches!(*w, "and" | "of" | "the") {
            out.push_str(w);
            continue;
        }
        match *w {
            "o" if next.is_some() => {
                out.push_str("O'");
                continue;
            }
            "st" | "ste" | "mt" | "ft" if next.is_some() => {
                out.push_str(&capitalised(w));
                out.push('.');
                continue;
            }
            _ => out.push_str(&capitalised(w)),
        }
    }
    out
}

/// `louis` as `Louis`.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect::<String>()
    })
}

fn suggest_state(input: &str) -> Option<String> {
    let lower = input.to_ascii_lowercase();
    STATES
        .iter()
        .flat_map(|(code, name, _)| [code.to_ascii_lowercase(), name.to_ascii_lowercase()])
        .map(|candidate| (strsim::levenshtein(&lower, &candidate), candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4) && *distance > 0)
        .min_by_key(|(distance, _)| *distance)
        .and_then(|(_, candidate)| {
            STATES
                .iter()
                .find(|(code, name, _)| {
                    code.eq_ignore_ascii_case(&candidate) || name.eq_ignore_ascii_case(&candidate)
                })
                .map(|(code, name, _)| {
                    if candidate.len() == 2 {
                        (*code).to_string()
                    } else {
                        (*name).to_string()
                    }
                })
        })
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for Jurisdiction {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apostrophes_and_abbreviations_come_back_in_names() {
        let phrase = |id: &str| Jurisdiction::parse_place(id).unwrap().phrase();
        assert_eq!(
            phrase("ocd-division/country:us/state:md/county:prince_george_s"),
            "Prince George's County, Maryland"
        );
        assert_eq!(
            phrase("ocd-division/country:us/state:md/county:st_mary_s"),
            "St. Mary's County, Maryland"
        );
        assert_eq!(
            phrase("ocd-division/country:us/state:id/place:coeur_d_alene"),
            "Coeur d'Alene, Idaho"
        );
        assert_eq!(
            phrase("ocd-division/country:us/state:mo/place:o_fallon"),
            "O'Fallon, Missouri"
        );
        assert_eq!(
            phrase("ocd-division/country:us/state:mn/place:st_paul"),
            "St. Paul, Minnesota"
        );
        assert_eq!(
            phrase("ocd-division/country:us/state:ma/place:somerville"),
            "Somerville, Massachusetts"
        );
        assert_eq!(
            phrase("ocd-division/country:us/state:tx/county:de_witt"),
            "De Witt County, Texas"
        );
    }

    #[test]
    fn places_are_named_for_a_sentence() {
        let phrase = |id: &str| Jurisdiction::parse_place(id).unwrap().phrase();
        assert_eq!(
            phrase("ocd-division/country:us/state:ca/place:el_cajon"),
            "El Cajon, California"
        );
        assert_eq!(
            phrase("ocd-division/country:us/state:mt/county:lewis_and_clark"),
            "Lewis and Clark County, Montana"
        );
        assert_eq!(
            phrase("ocd-division/country:us/state:la/parish:orleans"),
            "Orleans Parish, Louisiana"
        );
        assert_eq!(phrase("ocd-division/country:us/state:tx"), "Texas");
        assert_eq!(phrase("ocd-division/country:us"), "the United States");
    }

    #[test]
    fn accepts_places_known_or_not() {
        let la = Jurisdiction::parse_place("ocd-division/country:us/state:ca/place:los_angeles")
            .unwrap();
        assert_eq!(la.depth(), 3);
        assert_eq!(la.state_code(), Some("CA"));
        let chain: Vec<_> = la.chain().iter().map(|j| j.as_str().to_string()).collect();
        assert_eq!(
            chain,
            [
                "ocd-division/country:us",
                "ocd-division/country:us/state:ca",
                "ocd-division/country:us/state:ca/place:los_angeles"
            ]
        );
        assert!(
            Jurisdiction::parse_place("ocd-division/country:us/state:tx/place:el_cenizo").is_ok()
        );
    }

    #[test]
    fn expands_codes_and_names() {
        assert_eq!(
            Jurisdiction::parse_place("tx").unwrap().as_str(),
            "ocd-division/country:us/state:tx"
        );
        assert_eq!(
            Jurisdiction::parse_place("New York").unwrap().as_str(),
            "ocd-division/country:us/state:ny"
        );
        assert_eq!(
            Jurisdiction::parse_place("DC").unwrap().as_str(),
            "ocd-division/country:us/district:dc"
        );
    }

    #[test]
    fn rejects_bad_places_with_a_hint() {
        let err = Jurisdiction::parse_place("Californa").unwrap_err();
        assert_eq!(err.help(), "did you mean `California`?");
        assert!(matches!(
            Jurisdiction::parse_place("ocd-division/country:us/state:zz"),
            Err(PlaceError::UnknownState { .. })
        ));
        assert!(matches!(
            Jurisdiction::parse_place("ocd-division/country:ca/province:on"),
            Err(PlaceError::Malformed(..))
        ));
        assert!(matches!(
            Jurisdiction::parse_place("ocd-division/country:us/state:c a"),
            Err(PlaceError::Malformed(..))
        ));
    }

    #[test]
    fn ids_in_any_case_are_the_lowercase_id() {
        for written in [
            "ocd-division/country:us/state:CA",
            "OCD-Division/Country:US/State:CA",
            " OCD-DIVISION/COUNTRY:US/STATE:CA ",
        ] {
            assert_eq!(
                Jurisdiction::parse_place(written).map(|j| j.as_str().to_string()),
                Ok("ocd-division/country:us/state:ca".to_string()),
                "{written}"
            );
        }
    }

    #[test]
    fn containment_respects_segments() {
        let ca = Jurisdiction::parse_place("CA").unwrap();
        let la =
            Jurisdiction::parse_ocd("ocd-division/country:us/state:ca/place:los_angeles").unwrap();
        let other = Jurisdiction::parse_ocd("ocd-division/country:us/state:ca/place:los_angeles_x")
            .unwrap();
        assert!(ca.contains(&la) && ca.strictly_contains(&la) && !la.contains(&ca));
        assert!(!la.contains(&other));
        assert_eq!(la.label(), "California, Los Angeles (place)");
        assert_eq!(
            la.label_in(crate::Lang::Es),
            "California, Los Angeles (localidad)"
        );
        let harris =
            Jurisdiction::parse_ocd("ocd-division/country:us/state:tx/county:harris").unwrap();
        assert_eq!(harris.label_in(crate::Lang::Es), "Texas, Harris (condado)");
        let us = Jurisdiction::parse_ocd("ocd-division/country:us").unwrap();
        assert_eq!(us.label_in(crate::Lang::Es), "Estados Unidos");
    }
}
