//! The maintained alias files: federal agencies (with their counterparty words), and the state
//! and local agencies that records name by an acronym the words alone do not resolve (`CAL
//! FIRE`, `CHP`, `LASD`).
//!
//! Both files ship inside the library (`data/*.toml`), so the resolver knows ICE from the FBI
//! with no import.

use serde::Deserialize;

use crate::hash::FastMap;
use crate::kind::AgencyKind;
use crate::parse::Word;
use crate::text::{self, Break};

/// The federal-agency file, as shipped.
pub const FEDERAL_AGENCIES_TOML: &str = include_str!("../data/federal-agencies.toml");
/// The named state and local agencies file, as shipped.
pub const NAMED_AGENCIES_TOML: &str = include_str!("../data/named-agencies.toml");

/// One federal agency of `data/federal-agencies.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FederalAgency {
    /// The stable slug (`fed-ice-ero`).
    pub id: String,
    /// The name.
    pub name: String,
    /// The FBI ORI, when it has one.
    #[serde(default)]
    pub ori: Option<String>,
    /// The counterparty word of the law's vocabulary (`ice_ero`, `federal_other`).
    #[serde(default)]
    pub counterparty: Option<String>,
    /// The slug of the agency it belongs to.
    #[serde(default)]
    pub parent: Option<String>,
    /// The kind of agency, when it is not a federal agency proper (`military`).
    #[serde(default)]
    pub kind: Option<String>,
    /// Other names it goes by.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Acronyms it goes by (`ICE`, `HSI`).
    #[serde(default)]
    pub acronyms: Vec<String>,
    /// Words records put before its name.
    #[serde(default)]
    pub leading: Vec<String>,
}

/// One agency of `data/named-agencies.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedAgency {
    /// The name.
    pub name: String,
    /// Its state (two letters).
    pub state: String,
    /// Its kind (`police_department`, `state_police`, ...).
    pub kind: String,
    /// `state` or `local`.
    pub level: String,
    /// The FBI ORI, when known.
    #[serde(default)]
    pub ori: Option<String>,
    /// Other names it goes by.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Acronyms it goes by.
    #[serde(default)]
    pub acronyms: Vec<String>,
    /// The OCD division whose rules bind it, where its name's words do not tell (a consolidated
    /// or metropolitan department: `Las Vegas Metropolitan Police Department` serves the city
    /// and unincorporated Clark County).
    #[serde(default)]
    pub division: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FederalFile {
    agency: Vec<FederalAgency>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamedFile {
    agency: Vec<NamedAgency>,
}

/// Reads a federal-agency file and checks what can be checked without the vocabulary: unique
/// ids, known parents, well-formed ORIs, known kinds.
pub fn parse_federal(text: &str) -> Result<Vec<FederalAgency>, String> {
    let file: FederalFile = toml::from_str(text).map_err(|e| e.to_string())?;
    for (i, agency) in file.agency.iter().enumerate() {
        if file.agency[..i].iter().any(|a| a.id == agency.id) {
            return Err(format!("agency `{}` is listed twice", agency.id));
        }
        if let Some(parent) = &agency.parent {
            if !file.agency.iter().any(|a| &a.id == parent) {
                return Err(format!(
                    "agency `{}`: parent `{parent}` is not an id in the file",
                    agency.id
                ));
            }
        }
        if let Some(ori) = &agency.ori {
            if !crate::directory::is_ori(ori) {
                return Err(format!(
                    "agency `{}`: `{ori}` is not a nine-character ORI",
                    agency.id
                ));
            }
        }
        match agency.kind.as_deref() {
            None | Some("federal_agency") | Some("military") => {}
            Some(other) => {
                return Err(format!(
                    "agency `{}`: kind `{other}` is not `federal_agency` or `military`",
                    agency.id
                ));
            }
        }
    }
    Ok(file.agency)
}

/// Reads a named-agencies file, checking states, kinds, levels and ORIs.
pub fn parse_named(text: &str) -> Result<Vec<NamedAgency>, String> {
    let file: NamedFile = toml::from_str(text).map_err(|e| e.to_string())?;
    for agency in &file.agency {
        if agency.level != "state" && agency.level != "local" {
            return Err(format!(
                "`{}`: level `{}` is not `state` or `local`",
                agency.name, agency.level
            ));
        }
        if let Some(ori) = &agency.ori {
            if !crate::directory::is_ori(ori) {
                return Err(format!(
                    "`{}`: `{ori}` is not a nine-character ORI",
                    agency.name
                ));
            }
        }
        if crate::states::by_code(&agency.state).is_none() {
            return Err(format!(
                "`{}`: `{}` is not a state code",
                agency.name, agency.state
            ));
        }
        if AgencyKind::from_word(&agency.kind).is_none() {
            return Err(format!(
                "`{}`: `{}` is not an agency kind",
                agency.name, agency.kind
            ));
        }
        if let Some(division) = &agency.division {
            if crate::places::gazetteer().by_id(division).is_none() {
                return Err(format!(
                    "`{}`: division `{division}` is not a county or place of the gazetteer",
                    agency.name
                ));
            }
        }
    }
    Ok(file.agency)
}

/// How an alias may match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Whole words, anywhere in the name.
    Anywhere,
    /// One word, written in capitals (or anywhere in a name written all in capitals), and not
    /// taken as a state code.
    Acronym,
    /// Whole words at the start of the name (after `US`, `the`, `federal`).
    Leading,
}

#[derive(Clone, Debug)]
struct Alias {
    words: Vec<String>,
    mode: Mode,
    target: usize,
}

/// A compiled alias list: which entry a name mentions, preferring the longest alias and then
/// the narrowest agency (`ICE ERO` is ERO, not ICE).
#[derive(Clone, Debug, Default)]
pub(crate) struct AliasTable {
    aliases: Vec<Alias>,
    /// How deep each target sits under its parents (0 for a top-level agency).
    depth: Vec<u8>,
    /// Aliases by their first word, so that a name is checked only against the few aliases
    /// that could start at each of its words.
    by_first_word: FastMap<String, Vec<usize>>,
}

/// A name's match in an alias table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AliasMatch {
    pub target: usize,
    /// Number of words matched.
    pub words: usize,
    /// The alias was the agency's full name or a multi-word alias, not an acronym.
    pub phrase: bool,
}

fn words_of(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    text::tokenize(&text::clean(text), Break::Start, &mut tokens);
    tokens.into_iter().map(|t| t.norm).collect()
}

impl AliasTable {
    pub(crate) fn federal(agencies: &[FederalAgency]) -> AliasTable {
        let mut table = AliasTable::default();
        for (i, agency) in agencies.iter().enumerate() {
            table.add(i, &agency.name, Mode::Anywhere);
            for alias in &agency.aliases {
                table.add(i, alias, Mode::Anywhere);
            }
            for acronym in &agency.acronyms {
                table.add(i, acronym, Mode::Acronym);
            }
            for leading in &agency.leading {
                table.add(i, leading, Mode::Leading);
            }
            let mut depth = 0u8;
            let mut parent = agency.parent.as_deref();
            while let Some(id) = parent {
                depth = depth.saturating_add(1);
                parent = agencies
                    .iter()
                    .find(|a| a.id == id)
                    .and_then(|a| a.parent.as_deref());
                if depth > 8 {
                    break;
                }
            }
            table.depth.push(depth);
        }
        table
    }

    pub(crate) fn named(agencies: &[NamedAgency]) -> AliasTable {
        let mut table = AliasTable::default();
        for (i, agency) in agencies.iter().enumerate() {
            table.add(i, &agency.name, Mode::Anywhere);
            for alias in &agency.aliases {
                table.add(i, alias, Mode::Anywhere);
            }
            for acronym in &agency.acronyms {
                table.add(i, acronym, Mode::Acronym);
            }
            table.depth.push(0);
        }
        table
    }

    fn add(&mut self, target: usize, text: &str, mode: Mode) {
        let words = words_of(text);
        if words.is_empty() {
            return;
        }
        let mode = if mode == Mode::Acronym && words.len() > 1 {
            Mode::Anywhere
        } else {
            mode
        };
        self.by_first_word
            .entry(words[0].clone())
            .or_default()
            .push(self.aliases.len());
        self.aliases.push(Alias {
            words,
            mode,
            target,
        });
    }

    /// The best alias found in `words`; `capitals` says the name was written all in capitals.
    pub(crate) fn find(&self, words: &[Word], capitals: bool) -> Option<AliasMatch> {
        let lead = leading_skip(words);
        let mut best: Option<AliasMatch> = None;
        for (i, word) in words.iter().enumerate() {
            let Some(candidates) = self.by_first_word.get(word.norm.as_str()) else {
                continue;
            };
            for &a in candidates {
                let alias = &self.aliases[a];
                let n = alias.words.len();
                if i + n > words.len() || !words_match(&words[i..i + n], &alias.words) {
                    continue;
                }
                let found = match alias.mode {
                    Mode::Anywhere => true,
                    Mode::Acronym => (capitals || word.upper) && !word.state_code,
                    Mode::Leading => {
                        i == lead && (n > 1 || words.len() == lead + 1 || !word.state_code)
                    }
                };
                if !found {
                    continue;
                }
                let candidate = AliasMatch {
                    target: alias.target,
                    words: n,
                    phrase: alias.mode == Mode::Anywhere && n > 1,
                };
                best = match best {
                    None => Some(candidate),
                    Some(current) => {
                        let better = (candidate.words, self.depth[candidate.target])
                            > (current.words, self.depth[current.target]);
                        Some(if better { candidate } else { current })
                    }
                };
            }
        }
        best
    }
}

fn words_match(words: &[Word], alias: &[String]) -> bool {
    words.len() == alias.len() && words.iter().zip(alias).all(|(w, a)| w.norm == *a)
}

/// How many words to skip before a `leading` alias: `US`, `the`, `federal`, `united states`.
fn leading_skip(words: &[Word]) -> usize {
    let mut i = 0;
    while i < words.len() {
        match words[i].norm.as_str() {
            "us" | "usa" | "the" | "federal" => i += 1,
            "united" if words.get(i + 1).is_some_and(|w| w.norm == "states") => i += 2,
            _ => break,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_parse() {
        let federal = parse_federal(FEDERAL_AGENCIES_TOML).unwrap();
        assert!(federal.iter().any(|a| a.id == "fed-ice-ero"));
        let named = parse_named(NAMED_AGENCIES_TOML).unwrap();
        assert!(
            named
                .iter()
                .any(|a| a.acronyms.contains(&"CHP".to_string()))
        );
    }

    #[test]
    fn bad_files_are_refused() {
        let twice = "[[agency]]\nid = \"a\"\nname = \"A\"\n[[agency]]\nid = \"a\"\nname = \"B\"\n";
        assert!(parse_federal(twice).unwrap_err().contains("listed twice"));
        let orphan = "[[agency]]\nid = \"a\"\nname = \"A\"\nparent = \"b\"\n";
        assert!(parse_federal(orphan).unwrap_err().contains("parent `b`"));
        let ori = "[[agency]]\nid = \"a\"\nname = \"A\"\nori = \"X1\"\n";
        assert!(parse_federal(ori).unwrap_err().contains("ORI"));
        let field = "[[agency]]\nid = \"a\"\nname = \"A\"\nalias = [\"x\"]\n";
        assert!(parse_federal(field).is_err());
        let state =
            "[[agency]]\nname = \"A\"\nstate = \"ZZ\"\nkind = \"fire\"\nlevel = \"state\"\n";
        assert!(parse_named(state).unwrap_err().contains("`ZZ`"));
        let level = "[[agency]]\nname = \"A\"\nstate = \"CA\"\nkind = \"fire\"\nlevel = \"city\"\n";
        assert!(parse_named(level).unwrap_err().contains("`city`"));
        let division = "[[agency]]\nname = \"A\"\nstate = \"NV\"\nkind = \"sheriff\"\nlevel = \"local\"\ndivision = \"ocd-division/country:us/state:nv/county:clarke\"\n";
        assert!(parse_named(division).unwrap_err().contains("county:clarke"));
    }
}
