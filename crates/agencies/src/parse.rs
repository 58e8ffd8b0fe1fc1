//! Reading an agency name as a record writes it: place, state, kind and tags.
//!
//! The forms seen in released records, and what is read from each:
//!
//! | form | example |
//! |---|---|
//! | place, state code, kind (Flock) | `El Cajon CA PD`, `Anoka County MN SO` |
//! | place, kind, state in parentheses | `Tombstone Marshals Office (AZ)`, `El Cajon PD ( CA)` |
//! | place, kind, state code last | `Lumpkin County SO GA`, `HOQUIAM PD WA` |
//! | state code, dash, name | `MN - Renville County SO`, `AZ - MOHAVE COUNTY SHERIFF'S OFFICE` |
//! | full name, state elsewhere | `City of Boca Raton Police Department` (state column `FLORIDA`) |
//! | state agency by state name | `Arizona Department of Public Safety`, `NYS Crime Analysis Center Network` |
//! | tags | `[Federal]`, `[Inactive]`, `(LR)`, `(Flex)`, ` - Axon`, `DNU - `, `(deactivated)` |
//!
//! The parser never guesses from the directory; it reports what the words say, and the resolver
//! (crate::resolve) weighs that against the directory.

use serde::Serialize;

use crate::hash::FastMap;
use crate::kind::{AgencyKind, PHRASES, PLACE_AFTER_CAMPUS_WORD, Phrase};
use crate::states::{self, State};
use crate::text::{self, Break, Token};

/// Where the parser found the state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StateSource {
    /// In brackets: `(AZ)`, `( CA)`.
    Brackets,
    /// As its own dash-separated part: `MN - Renville County SO`, `...DEPARTMENT-CA`.
    Segment,
    /// After a comma: `Hayward, CA PD`.
    Comma,
    /// As a two-letter code among the words: `El Cajon CA PD`.
    Code,
    /// As a state's name: `Arizona Department of Public Safety`, `NYS ...`.
    Name,
}

impl StateSource {
    fn describe(self) -> &'static str {
        match self {
            StateSource::Brackets => "in brackets",
            StateSource::Segment => "set off by a dash",
            StateSource::Comma => "after a comma",
            StateSource::Code => "as a two-letter code",
            StateSource::Name => "by name",
        }
    }
}

/// One word of a parsed name, with what the parser made of it.
#[derive(Clone, Debug)]
pub(crate) struct Word {
    pub norm: String,
    pub original: String,
    pub upper: bool,
    pub before: Break,
    /// Taken as the state's two-letter code.
    pub state_code: bool,
    /// Part of the state's name (kept in the key unless `drop`).
    pub state_name: bool,
    /// Part of a phrase naming the police role (`PD`, `Sheriff's Office`).
    pub role: bool,
    /// Part of a phrase naming the host body or kind (`University`, `Department of`).
    pub host: bool,
    /// A tag word (`Raven`, `Demo`), a county word, `City of`, `the`: not part of the place.
    pub drop: bool,
}

impl From<Token> for Word {
    fn from(t: Token) -> Word {
        Word {
            norm: t.norm,
            original: t.original,
            upper: t.upper,
            before: t.before,
            state_code: false,
            state_name: false,
            role: false,
            host: false,
            drop: false,
        }
    }
}

/// What a name says about the agency it names.
#[derive(Clone, Debug, Default)]
pub struct ParsedName {
    /// The name as given.
    pub input: String,
    /// The place (`El Cajon`, `Anoka County`), or for a university, school or tribe its name.
    pub place: String,
    /// The words that are matched against the directory, spelled canonically (`el cajon`).
    pub key: String,
    /// The kind of agency the name says, if it says one.
    pub kind: Option<AgencyKind>,
    /// The words the kind was read from, as written (`PD`, `Sheriff's Office`).
    pub kind_words: String,
    /// The name says `County`, `Parish` or `County of`.
    pub county: bool,
    /// Two-letter code of the state the name gives, if any.
    pub state: Option<&'static str>,
    /// How the name gave the state, when it gave one.
    pub state_source: Option<StateSource>,
    /// Other states the name mentions that lost to `state` (`Carson City NV SO` in a row whose
    /// state column says `WA` is handled by the resolver; this is for two states in one name).
    pub other_states: Vec<&'static str>,
    /// The name is a state government's (`Arizona Department of Public Safety`, `NYS ...`,
    /// `CA DOJ`, `Attorney General of Illinois`).
    pub state_level: bool,
    /// The name opens with `City of`, `Town of`, `Village of`, `Borough of` or `Township of`.
    pub municipal: bool,
    /// The name says it is federal: a `[Federal]` tag, or it opens with `US`, `U.S.`,
    /// `United States` or `Federal`.
    pub federal_marker: bool,
    /// Tags, each once: `federal`, `inactive`, `demo`, `lr`, `flex`, `axon`...
    pub tags: Vec<&'static str>,
    /// Bracketed or dash-separated parts that are none of the above (`(NFTA)`, ` - EADO MgmtD`).
    pub notes: Vec<String>,
    /// A county named in brackets (`Jackson Township OH PD (Stark County)`), upper case, to tell
    /// apart agencies of the same name in one state.
    pub county_hint: Option<String>,
    pub(crate) words: Vec<Word>,
    pub(crate) capitals: bool,
    pub(crate) alt_keys: Vec<String>,
    /// The name without state and tags, abbreviations spelled out, for display.
    pub(crate) display: String,
}

impl ParsedName {
    /// A sentence on where the state came from, for reasons.
    pub(crate) fn state_reason(&self) -> Option<String> {
        let code = self.state?;
        let source = self.state_source?;
        Some(format!(
            "state `{code}` read from the name ({})",
            source.describe()
        ))
    }

    /// Whether the name has no words left once tags and notes are set aside.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| w.drop && !w.role && !w.host)
            && self.kind.is_none()
            && self.state.is_none()
    }

    /// The words of the place as typed (without the county word).
    pub(crate) fn has_place_words(&self) -> bool {
        !self.key.is_empty()
    }
}

/// Tag words in brackets or dash-separated parts, and the tag each stands for.
fn tag_of(word: &str) -> Option<&'static str> {
    Some(match word {
        "federal" => "federal",
        "inactive" | "deactivated" | "deactivate" | "decommissioned" | "dnu" | "disabled"
        | "retired" => "inactive",
        "demo" | "test" | "testing" | "sandbox" => "demo",
        "lr" => "lr",
        "flex" => "flex",
        "condor" | "condors" => "condor",
        "falcon" | "falcons" => "falcon",
        "raven" => "raven",
        "tech" => "tech",
        "axon" => "axon",
        "wing" | "winglpr" => "wing",
        "redspeed" => "redspeed",
        "verra" | "mobility" => "verra_mobility",
        "gunshot" | "detection" => "gunshot_detection",
        "insight" => "insight",
        "lpr" | "alpr" => "lpr",
        "law" | "enforcement" => "law_enforcement",
        "do" | "not" | "use" => "inactive",
        _ => return None,
    })
}

/// Tag words also recognised loose at the end of a name (`Albany GA PD Raven`), where words
/// like `law enforcement` would be part of the name.
fn loose_tag_of(word: &str) -> Option<&'static str> {
    match word {
        "law" | "enforcement" | "do" | "not" | "use" | "federal" | "test" | "testing"
        | "mobility" | "tech" | "insight" => None,
        other => tag_of(other),
    }
}

fn push_tag(tags: &mut Vec<&'static str>, tag: &'static str) {
    if !tags.contains(&tag) {
        tags.push(tag);
    }
}

/// Words that, right after a state's name, make it part of a place (`Texas City`, `Nevada
/// County`, `Virginia Beach`, `Colorado Springs`).
const PLACE_CONTINUATION: &[&str] = &[
    "city", "county", "co", "parish", "beach", "township", "village", "borough", "heights", "town",
    "springs", "falls", "valley", "hills", "rapids", "park", "point", "township",
];

/// Words that, right before a state's name, make it part of a place (`Fort Washington`).
const PLACE_PREFIX: &[&str] = &["ft", "st", "mt", "port", "lake", "new", "la"];

/// Words naming a municipality after its name (`Albany City`, `Schoharie Village`).
const MUNICIPAL_SUFFIX: &[&str] = &["city", "town", "village", "township", "borough"];

/// Phrases by their first word, each list longest first, so that `police department` is taken
/// whole before `police`.
type PhraseIndex = FastMap<&'static str, Vec<(Vec<&'static str>, &'static Phrase)>>;

fn phrases() -> &'static PhraseIndex {
    static COMPILED: std::sync::OnceLock<PhraseIndex> = std::sync::OnceLock::new();
    COMPILED.get_or_init(|| {
        let mut index = PhraseIndex::default();
        for phrase in PHRASES {
            let words: Vec<&'static str> = phrase.words.split(' ').collect();
            if let Some(first) = words.first() {
                index.entry(*first).or_default().push((words, phrase));
            }
        }
        for list in index.values_mut() {
            list.sort_by_key(|entry| std::cmp::Reverse(entry.0.len()));
        }
        index
    })
}

/// A phrase found in the words.
#[derive(Clone, Copy, Debug)]
struct Found {
    start: usize,
    len: usize,
    phrase: &'static Phrase,
}

/// Reads `raw`.
pub fn parse(raw: &str) -> ParsedName {
    let cleaned = text::clean(raw);
    let mut parsed = ParsedName {
        input: raw.to_string(),
        ..ParsedName::default()
    };
    let mut strong_states: Vec<(&'static State, StateSource)> = Vec::new();

    // 1. Brackets: states, tags, notes.
    let (segments, brackets) = split_brackets(&cleaned);
    for content in brackets {
        read_bracket(&content, &mut parsed, &mut strong_states);
    }

    // 2. Dash-separated parts: a state or tags on their own, trailing notes.
    let mut pieces: Vec<(String, bool)> = Vec::new(); // (text, starts a new segment)
    for segment in segments {
        for (i, piece) in split_dashes(&segment).into_iter().enumerate() {
            pieces.push((piece, i > 0 || !pieces.is_empty()));
        }
    }
    let mut kept: Vec<Vec<Word>> = Vec::new();
    let last_index = pieces.len().saturating_sub(1);
    for (i, (piece, _)) in pieces.iter().enumerate() {
        let trimmed = piece.trim();
        if trimmed.is_empty() {
            continue;
        }
        if pieces.len() > 1 && is_state_piece(trimmed) {
            if let Some(state) = states::parse(trimmed) {
                strong_states.push((state, StateSource::Segment));
                continue;
            }
        }
        let mut tokens = Vec::new();
        text::tokenize(trimmed, Break::Segment, &mut tokens);
        if tokens.is_empty() {
            continue;
        }
        if pieces.len() > 1
            && tokens
                .iter()
                .all(|t| tag_of(&t.norm).is_some() || t.norm.chars().all(|c| c.is_ascii_digit()))
        {
            for t in &tokens {
                if let Some(tag) = tag_of(&t.norm) {
                    push_tag(&mut parsed.tags, tag);
                }
            }
            continue;
        }
        // A trailing part with no kind, after parts that have one, is a note (a vendor, a
        // product, a sub-unit): `Chesapeake PD - VERRA MOBILITY`, `Houston PD - EADO MgmtD`.
        if i == last_index && !kept.is_empty() {
            let words: Vec<Word> = tokens.iter().cloned().map(Word::from).collect();
            let here = find_phrases(&words, true);
            let before_has_kind = kept
                .iter()
                .any(|k| !find_phrases(k, all_capitals(k)).is_empty());
            let has_code = words.iter().any(|w| {
                w.upper && w.norm.len() == 2 && states::by_code_ignore_case(&w.norm).is_some()
            });
            if here.is_empty() && before_has_kind && !has_code {
                parsed.notes.push(trimmed.to_string());
                continue;
            }
        }
        kept.push(tokens.into_iter().map(Word::from).collect());
    }
    let mut words: Vec<Word> = Vec::new();
    for (i, mut part) in kept.into_iter().enumerate() {
        if let Some(first) = part.first_mut() {
            first.before = if i == 0 { Break::Start } else { Break::Segment };
        }
        words.extend(part);
    }
    parsed.capitals = all_capitals(&words);
    let capitals = parsed.capitals;

    // 3. Loose tag words at either end (`DNU Glendale`, `Albany GA PD Raven`), and `the`.
    mark_loose_tags(&mut words, &mut parsed.tags);

    // 4. Kind phrases, then the state (which looks at where the phrases are).
    let mut found = find_phrases(&words, capitals);
    let state = choose_state(&mut words, &found, capitals, &strong_states, &mut parsed);
    // A phrase may have been read across a word that turned out to be the state code.
    found.retain(|f| (f.start..f.start + f.len).all(|i| !words[i].state_code));
    // `Riverside County CA SD`: after a state code, a last `SD` is the sheriff's department.
    if let Some(last) = words.iter().rposition(|w| !w.drop) {
        if words[last].norm == "sd" && last > 0 && words[last - 1].state_code {
            found.push(Found {
                start: last,
                len: 1,
                phrase: &SHERIFF_DEPARTMENT,
            });
        }
    }
    parsed.state = state.map(|(s, _)| s.code);
    parsed.state_source = state.map(|(_, source)| source);

    // 5. The kind: highest rank wins, later breaks ties. A misspelt kind word counts when there
    // is no other (`Constbales Office`).
    if found.is_empty() {
        if let Some(f) = misspelt_kind(&words) {
            found.push(f);
        }
    }
    for f in &found {
        for w in &mut words[f.start..f.start + f.len] {
            if f.phrase.role {
                w.role = true;
            } else {
                w.host = true;
            }
        }
    }
    let chosen = found.iter().max_by_key(|f| (f.phrase.rank, f.start));
    let chosen_norm = chosen.map(|f| f.phrase.words.to_string());
    let mut kind = chosen.map(|f| f.phrase.kind);
    if let Some(f) = chosen {
        parsed.kind_words = words[f.start..f.start + f.len]
            .iter()
            .map(|w| w.original.as_str())
            .collect::<Vec<_>>()
            .join(" ");
    }
    // `Marion Health PD`: a health system's police.
    if kind == Some(AgencyKind::PoliceDepartment) {
        let health_police = found.iter().any(|f| {
            f.phrase.kind == AgencyKind::PoliceDepartment
                && f.start > 0
                && matches!(words[f.start - 1].norm.as_str(), "health" | "healthcare")
        });
        if health_police {
            kind = Some(AgencyKind::Hospital);
        }
    }

    // 6. County words, `City of`, `the`.
    mark_county_and_prefixes(&mut words, kind, &mut parsed);

    // 7. State government, federal marker.
    parsed.state_level = is_state_level(&words, &parsed, kind);
    if parsed.state_level {
        // `Arizona Department of Public Safety` is the state's police; `Wisconsin State Capitol
        // Police` stays a police department (of the state).
        let public_safety = chosen_norm.as_deref().is_some_and(|w| {
            matches!(
                w,
                "dps"
                    | "department of public safety"
                    | "public safety"
                    | "public safety department"
            )
        });
        kind = match kind {
            Some(AgencyKind::PoliceDepartment) if public_safety => Some(AgencyKind::StatePolice),
            None => Some(AgencyKind::StateAgency),
            other => other,
        };
    }
    if kind.is_none() && parsed.municipal {
        kind = Some(AgencyKind::LocalGovernment);
    }
    parsed.kind = kind;
    parsed.federal_marker = parsed.tags.contains(&"federal") || opens_federal(&words);

    // 8. Key, alternative keys, place and display name.
    build_keys(&mut parsed, &words);
    parsed.words = words;
    parsed
}

static SHERIFF_DEPARTMENT: Phrase = Phrase {
    words: "sd",
    kind: AgencyKind::Sheriff,
    rank: 60,
    role: true,
};

/// Splits out bracketed parts: `Glendora (CA) PD` -> segments `Glendora`, `PD`; brackets `CA`.
/// An unclosed bracket runs to the end.
fn split_brackets(text: &str) -> (Vec<String>, Vec<String>) {
    let mut segments = Vec::new();
    let mut brackets = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        let close = match c {
            '(' => ')',
            '[' => ']',
            '{' => '}',
            ')' | ']' | '}' => {
                current.push(' ');
                continue;
            }
            other => {
                current.push(other);
                continue;
            }
        };
        if !current.trim().is_empty() {
            segments.push(std::mem::take(&mut current));
        } else {
            current.clear();
        }
        let mut content = String::new();
        for inner in chars.by_ref() {
            if inner == close {
                break;
            }
            content.push(inner);
        }
        brackets.push(content);
    }
    if !current.trim().is_empty() {
        segments.push(current);
    }
    (segments, brackets)
}

fn read_bracket(
    content: &str,
    parsed: &mut ParsedName,
    strong_states: &mut Vec<(&'static State, StateSource)>,
) {
    let trimmed = content.trim();
    if trimmed.is_empty() {
        return;
    }
    if let Some(state) = states::parse(trimmed) {
        strong_states.push((state, StateSource::Brackets));
        return;
    }
    let mut tokens = Vec::new();
    text::tokenize(trimmed, Break::Start, &mut tokens);
    if !tokens.is_empty() && tokens.iter().all(|t| tag_of(&t.norm).is_some()) {
        for t in &tokens {
            if let Some(tag) = tag_of(&t.norm) {
                push_tag(&mut parsed.tags, tag);
            }
        }
        return;
    }
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    if words.len() >= 2
        && words
            .last()
            .is_some_and(|w| w.eq_ignore_ascii_case("county") || w.eq_ignore_ascii_case("co"))
    {
        parsed.county_hint = Some(words[..words.len() - 1].join(" ").to_uppercase());
    }
    parsed.notes.push(trimmed.to_string());
}

/// Splits on dashes that separate parts (` - `, `- `, ` -`) and on spaced slashes, and splits
/// off a state code glued on with a dash at the end (`ARROYO GRANDE POLICE DEPARTMENT-CA`).
fn split_dashes(segment: &str) -> Vec<String> {
    let chars: Vec<char> = segment.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let before_space = i == 0 || chars[i - 1].is_whitespace();
        let after_space = i + 1 >= chars.len() || chars[i + 1].is_whitespace();
        let separates = match c {
            '-' => before_space || after_space,
            '/' => before_space && after_space,
            _ => false,
        };
        if separates {
            out.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    out.push(current);
    // `...DEPARTMENT-CA`
    if let Some(last) = out.last_mut() {
        let trimmed = last.trim_end();
        let bytes = trimmed.as_bytes();
        let n = bytes.len();
        if n > 4
            && bytes[n - 3] == b'-'
            && bytes[n - 2].is_ascii_uppercase()
            && bytes[n - 1].is_ascii_uppercase()
            && bytes[n - 4].is_ascii_alphabetic()
            && states::by_code(&trimmed[n - 2..]).is_some()
        {
            let code = trimmed[n - 2..].to_string();
            let head = trimmed[..n - 3].to_string();
            *last = head;
            out.push(code);
        }
    }
    out.retain(|p| !p.trim().is_empty());
    out
}

/// Whether a dash-separated part is a state on its own: an upper-case code or a state name.
fn is_state_piece(piece: &str) -> bool {
    if piece.len() == 2 {
        return piece.chars().all(|c| c.is_ascii_uppercase());
    }
    piece.len() > 3
}

/// Whether the words have letters and none is lower case (`ANAHEIM CA PD`): then capitals say
/// nothing about which words are codes.
fn all_capitals(words: &[Word]) -> bool {
    words
        .iter()
        .all(|w| w.upper || !w.original.chars().any(char::is_alphabetic))
}

/// Phrases in `words`, left to right, longest first at each position.
fn find_phrases(words: &[Word], capitals: bool) -> Vec<Found> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut matched = None;
        let candidates = phrases()
            .get(words[i].norm.as_str())
            .map_or(&[][..], Vec::as_slice);
        for (phrase_words, phrase) in candidates {
            let n = phrase_words.len();
            if i + n > words.len() {
                continue;
            }
            if !(0..n).all(|k| words[i + k].norm == phrase_words[k]) {
                continue;
            }
            // In names written in mixed case, a short abbreviation counts only in capitals
            // (`SO`, `PD`, `DA`), so that the English word `so` is not a sheriff.
            if n == 1 && phrase_words[0].len() <= 3 && !capitals && !words[i].upper {
                continue;
            }
            if words[i].drop {
                continue;
            }
            // `College Park`, `University City`: a place, not a campus.
            if matches!(phrase_words[0], "college" | "university")
                && n == 1
                && words
                    .get(i + 1)
                    .is_some_and(|next| PLACE_AFTER_CAMPUS_WORD.contains(&next.norm.as_str()))
            {
                continue;
            }
            matched = Some(Found {
                start: i,
                len: n,
                phrase,
            });
            break;
        }
        match matched {
            Some(f) => {
                i += f.len;
                found.push(f);
            }
            None => i += 1,
        }
    }
    found
}

static MISSPELT: [Phrase; 4] = [
    Phrase {
        words: "police",
        kind: AgencyKind::PoliceDepartment,
        rank: 50,
        role: true,
    },
    Phrase {
        words: "sheriff",
        kind: AgencyKind::Sheriff,
        rank: 60,
        role: true,
    },
    Phrase {
        words: "constable",
        kind: AgencyKind::Constable,
        rank: 57,
        role: true,
    },
    Phrase {
        words: "prosecutor",
        kind: AgencyKind::Prosecutor,
        rank: 72,
        role: true,
    },
];

/// A word that is a kind word misspelt (`Constbales`, `Sherriffs`, `Polcie`): same first two
/// letters, close in length, Jaro-Winkler similarity at least 0.9. `Marshal` is left out on
/// purpose: `Marshall` is a place.
fn misspelt_kind(words: &[Word]) -> Option<Found> {
    for (i, word) in words.iter().enumerate() {
        if word.drop || word.state_code || word.norm.len() < 6 {
            continue;
        }
        for phrase in &MISSPELT {
            let target = phrase.words;
            let close_length = word.norm.len().abs_diff(target.len()) <= 2;
            if close_length
                && word.norm.get(..2) == target.get(..2)
                && strsim::jaro_winkler(&word.norm, target) >= 0.9
            {
                let office = words
                    .get(i + 1)
                    .is_some_and(|next| matches!(next.norm.as_str(), "office" | "department"));
                return Some(Found {
                    start: i,
                    len: if office { 2 } else { 1 },
                    phrase,
                });
            }
        }
    }
    None
}

fn mark_loose_tags(words: &mut [Word], tags: &mut Vec<&'static str>) {
    // Trailing, right after the agency's role or a state code (`Albany GA PD Raven`,
    // `Alachua County FL SO Gunshot Detection`), so that places like `Crow Wing` keep their
    // words.
    let mut start_of_run = words.len();
    while start_of_run > 1 && loose_tag_of(&words[start_of_run - 1].norm).is_some() {
        start_of_run -= 1;
    }
    if start_of_run < words.len() && start_of_run > 0 {
        let before = &words[start_of_run - 1];
        let after_role = matches!(
            before.norm.as_str(),
            "pd" | "so" | "sd" | "police" | "sheriff" | "office" | "department" | "dps" | "da"
        ) || (before.upper
            && before.norm.len() == 2
            && states::by_code_ignore_case(&before.norm).is_some());
        if after_role {
            for word in &mut words[start_of_run..] {
                if let Some(tag) = loose_tag_of(&word.norm) {
                    push_tag(tags, tag);
                }
                word.drop = true;
            }
        }
    }
    let end = if words.get(start_of_run).is_some_and(|w| w.drop) {
        start_of_run
    } else {
        words.len()
    };
    // Leading: only the words that say the entry is out of use or a demo.
    let mut start = 0;
    while start + 1 < end {
        match words[start].norm.as_str() {
            "dnu" | "inactive" | "deactivated" | "decommissioned" | "demo" => {
                if let Some(tag) = tag_of(&words[start].norm) {
                    push_tag(tags, tag);
                }
                words[start].drop = true;
                start += 1;
            }
            "the" => {
                words[start].drop = true;
                start += 1;
            }
            _ => break,
        }
    }
}

/// State names (and other spellings) by first word, in lower-case words, longest first.
type StateNameIndex = FastMap<String, Vec<(Vec<String>, &'static State)>>;

fn state_names() -> &'static StateNameIndex {
    static INDEX: std::sync::OnceLock<StateNameIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = StateNameIndex::default();
        let mut add = |name: &str, state: &'static State| {
            let words: Vec<String> = name
                .split(' ')
                .map(|w| w.trim_end_matches('.').replace('.', "").to_lowercase())
                .collect();
            if let Some(first) = words.first() {
                index.entry(first.clone()).or_default().push((words, state));
            }
        };
        for state in states::STATES {
            add(state.name, state);
        }
        for (name, code) in states::OTHER_NAMES {
            if let Some(state) = states::by_code(code) {
                add(name, state);
            }
        }
        for list in index.values_mut() {
            list.sort_by_key(|entry| std::cmp::Reverse(entry.0.len()));
        }
        index
    })
}

/// A state found among the words.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    state: &'static State,
    score: u8,
    start: usize,
    len: usize,
    name: bool,
}

fn is_code_word(word: &Word, capitals: bool) -> Option<&'static State> {
    if word.norm.len() != 2 || word.drop || !(capitals || word.upper) {
        return None;
    }
    let state = states::by_code_ignore_case(&word.norm)?;
    // Territories are read only in brackets or by name: `AS`, `PR`, `VI` are words too.
    if matches!(state.code, "PR" | "GU" | "VI" | "AS" | "MP") {
        return None;
    }
    Some(state)
}

fn starts_phrase(found: &[Found], index: usize) -> bool {
    found.iter().any(|f| f.start == index)
}

/// Whether a town's own police role starts at `index` (`PD`, `Police Department`, `Sheriff`,
/// `Marshal`), as opposed to a state's (`Department of Public Safety`).
fn local_role_at(found: &[Found], index: usize) -> bool {
    found.iter().any(|f| {
        f.start == index
            && matches!(
                f.phrase.kind,
                AgencyKind::PoliceDepartment
                    | AgencyKind::Sheriff
                    | AgencyKind::Marshal
                    | AgencyKind::Constable
            )
            && !f.phrase.words.starts_with("department")
            && !f.phrase.words.starts_with("public")
            && f.phrase.words != "dps"
    })
}

fn inside_phrase(found: &[Found], index: usize) -> bool {
    found
        .iter()
        .any(|f| f.len > 1 && index >= f.start && index < f.start + f.len)
}

fn choose_state(
    words: &mut [Word],
    found: &[Found],
    capitals: bool,
    strong: &[(&'static State, StateSource)],
    parsed: &mut ParsedName,
) -> Option<(&'static State, StateSource)> {
    let mut candidates: Vec<Candidate> = Vec::new();
    let last = words.iter().rposition(|w| !w.drop);
    let first = words.iter().position(|w| !w.drop);

    // Codes among the words.
    for i in 0..words.len() {
        let Some(state) = is_code_word(&words[i], capitals) else {
            continue;
        };
        if inside_phrase(found, i) {
            continue;
        }
        let next = words.get(i + 1);
        // `Gasconade Co MO SO`, `DUPAGE CO IL`: `Co` is County.
        if words[i].norm == "co"
            && next.is_some_and(|n| is_code_word(n, capitals).is_some() || n.norm == "sheriff")
        {
            continue;
        }
        // `LA County`
        if words[i].norm == "la" && next.is_some_and(|n| n.norm == "county") {
            continue;
        }
        let score = if words[i].before == Break::Comma {
            5
        } else if starts_phrase(found, i + 1) || next.is_some_and(|n| n.norm == "sd") {
            4
        } else if Some(i) == last {
            let previous_is_code = i > 0 && is_code_word(&words[i - 1], capitals).is_some();
            if previous_is_code { 2 } else { 3 }
        } else if Some(i) == first {
            2
        } else {
            1
        };
        candidates.push(Candidate {
            state,
            score,
            start: i,
            len: 1,
            name: false,
        });
    }

    // Names: `Arizona Department...`, `Los Altos California Police Department`, `NYS ...`.
    let mut i = 0;
    while i < words.len() {
        if words[i].drop {
            i += 1;
            continue;
        }
        let mut matched = None;
        if words[i].norm == "nys" {
            matched = states::by_code("NY").map(|s| (s, 1));
        } else {
            if let Some(names) = state_names().get(words[i].norm.as_str()) {
                // Longest first: `west virginia` before `virginia`.
                for (name_words, state) in names {
                    let len = name_words.len();
                    if i + len <= words.len()
                        && words[i..i + len]
                            .iter()
                            .zip(name_words)
                            .all(|(w, n)| w.norm == *n)
                    {
                        matched = Some((*state, len));
                        break;
                    }
                }
            }
        }
        let Some((state, len)) = matched else {
            i += 1;
            continue;
        };
        let next = words.get(i + len);
        let previous = if i > 0 { words.get(i - 1) } else { None };
        let continues_place = next.is_some_and(|n| PLACE_CONTINUATION.contains(&n.norm.as_str()));
        let prefixed_place = previous.is_some_and(|p| PLACE_PREFIX.contains(&p.norm.as_str()));
        let at_start = Some(i) == first;
        // `Wyoming PD`, `Washington County SO`: the name of a place that shares a state's name.
        let place_with_role = at_start && local_role_at(found, i + len);
        if continues_place || prefixed_place || place_with_role {
            i += len;
            continue;
        }
        let score = if (at_start && next.is_some())
            || previous.is_some_and(|p| p.norm == "of")
            || starts_phrase(found, i + len)
        {
            3
        } else if next.is_none() {
            2
        } else {
            1
        };
        candidates.push(Candidate {
            state,
            score,
            start: i,
            len,
            name: true,
        });
        i += len;
    }

    let chosen: Option<(&'static State, StateSource)> =
        if let Some(&(state, source)) = strong.last() {
            Some((state, source))
        } else {
            candidates
                .iter()
                .max_by_key(|c| (c.score, !c.name, c.start))
                .map(|c| {
                    let source = if c.name {
                        StateSource::Name
                    } else if words[c.start].before == Break::Comma {
                        StateSource::Comma
                    } else {
                        StateSource::Code
                    };
                    (c.state, source)
                })
        };
    let (state, _) = chosen?;

    for strong_state in strong {
        if strong_state.0.code != state.code && !parsed.other_states.contains(&strong_state.0.code)
        {
            parsed.other_states.push(strong_state.0.code);
        }
    }
    for c in &candidates {
        if c.state.code == state.code {
            for w in &mut words[c.start..c.start + c.len] {
                if c.name {
                    w.state_name = true;
                } else {
                    w.state_code = true;
                }
            }
        } else if c.score >= 4 && !parsed.other_states.contains(&c.state.code) {
            parsed.other_states.push(c.state.code);
        }
    }
    chosen
}

fn mark_county_and_prefixes(words: &mut [Word], kind: Option<AgencyKind>, parsed: &mut ParsedName) {
    let host_kind = kind.is_some_and(AgencyKind::is_host);
    // `City of X`, `County of X`, after a leading `the`.
    if let Some(first) = words.iter().position(|w| !w.drop) {
        if words.get(first + 1).is_some_and(|w| w.norm == "of") {
            let prefix = words[first].norm.as_str();
            if matches!(prefix, "city" | "town" | "village" | "borough" | "township") {
                parsed.municipal = true;
                words[first].drop = true;
                words[first + 1].drop = true;
            } else if prefix == "county" && !host_kind {
                parsed.county = true;
                words[first].drop = true;
                words[first + 1].drop = true;
            }
        }
    }
    if host_kind {
        return;
    }
    let n = words.len();
    for i in 0..n {
        if words[i].drop || words[i].role || words[i].host || words[i].state_code {
            continue;
        }
        match words[i].norm.as_str() {
            "county" | "parish" => {
                parsed.county = true;
                words[i].drop = true;
            }
            "co" if i > 0 => {
                let next_is_kind_or_state = words
                    .get(i + 1)
                    .is_none_or(|next| next.role || next.host || next.state_code);
                if next_is_kind_or_state {
                    parsed.county = true;
                    words[i].drop = true;
                }
            }
            _ => {}
        }
    }
}

fn is_state_level(words: &[Word], parsed: &ParsedName, kind: Option<AgencyKind>) -> bool {
    let Some(state) = parsed.state else {
        return false;
    };
    let live: Vec<&Word> = words.iter().filter(|w| !w.drop).collect();
    let Some(first) = live.first() else {
        return false;
    };
    // `Arizona Department...`, `NYS Crime Analysis...`, `New York State Police`.
    if first.state_name {
        return true;
    }
    // `State of California ...`, `Commonwealth of Virginia ...`
    if matches!(first.norm.as_str(), "state" | "commonwealth")
        && live.get(1).is_some_and(|w| w.norm == "of")
        && live.get(2).is_some_and(|w| w.state_name)
    {
        return true;
    }
    let department_word = |w: &Word| {
        matches!(
            w.norm.as_str(),
            "department" | "division" | "bureau" | "office" | "doj" | "dmv" | "dps" | "doc"
        )
    };
    // `CA DOJ - BUREAU OF FIREARMS`
    if first.state_code && live.get(1).is_some_and(|w| department_word(w)) {
        return true;
    }
    // `FL - Department of Corrections`
    if parsed.state_source == Some(StateSource::Segment) && department_word(first) {
        return true;
    }
    // `Attorney General of Illinois`
    let stateish_kind = matches!(
        kind,
        Some(
            AgencyKind::AttorneyGeneral
                | AgencyKind::StateAgency
                | AgencyKind::StatePolice
                | AgencyKind::Corrections
        )
    );
    if stateish_kind {
        let place_words = live
            .iter()
            .filter(|w| !w.role && !w.host && !w.state_code && !w.state_name && w.norm != "of")
            .count();
        // `Highway Patrol (CA)`, `Department of Corrections (FL)`: nothing but the kind.
        if place_words == 0 {
            return true;
        }
        if live.last().is_some_and(|w| w.state_name) {
            let name_start = live.iter().rposition(|w| !w.state_name).unwrap_or(0);
            if live[name_start].norm == "of" {
                return true;
            }
        }
    }
    let _ = state;
    false
}

fn opens_federal(words: &[Word]) -> bool {
    let live: Vec<&Word> = words.iter().filter(|w| !w.drop).collect();
    match live.first().map(|w| w.norm.as_str()) {
        Some("us" | "usa" | "federal") => live.len() > 1,
        Some("united") => live.get(1).is_some_and(|w| w.norm == "states"),
        _ => false,
    }
}

/// Expansions of abbreviations for display.
fn expand(word: &Word) -> Option<&'static str> {
    if !word.role && !word.host && word.norm != "co" {
        return None;
    }
    Some(match word.norm.as_str() {
        "pd" => "Police Department",
        "so" => "Sheriff's Office",
        "sd" => "Sheriff's Department",
        "da" => "District Attorney",
        "dps" => "Department of Public Safety",
        "fd" => "Fire Department",
        "dtf" => "Drug Task Force",
        "co" => "County",
        "department" => "Department",
        "sheriff" => "Sheriff",
        "marshal" => "Marshal",
        "township" => "Township",
        _ => return None,
    })
}

fn build_keys(parsed: &mut ParsedName, words: &[Word]) {
    let host_kind = parsed.kind.is_some_and(AgencyKind::is_host);
    // A state name right before the role, after the place, is not part of the place:
    // `Los Altos California Police Department`.
    let mut drop_name = vec![false; words.len()];
    for i in 0..words.len() {
        if words[i].state_name {
            let mut end = i;
            while end < words.len() && words[end].state_name {
                end += 1;
            }
            let before_role = words.get(end).is_some_and(|w| w.role);
            let has_place_before = words[..i].iter().any(|w| !w.drop && !w.state_name);
            if before_role && has_place_before && !host_kind {
                for flag in &mut drop_name[i..end] {
                    *flag = true;
                }
            }
        }
    }
    let in_key =
        |i: usize, w: &Word| -> bool { !(w.drop || w.state_code || w.role || drop_name[i]) };
    let mut key_words: Vec<&str> = Vec::new();
    let mut place_words: Vec<String> = Vec::new();
    let mut expanded: Vec<String> = Vec::new(); // key with interior state codes spelled out
    let mut expanded_differs = false;
    for (i, w) in words.iter().enumerate() {
        if in_key(i, w) {
            key_words.push(&w.norm);
            expanded.push(w.norm.clone());
            place_words.push(if parsed.capitals {
                text::title_case(&w.original)
            } else {
                w.original.clone()
            });
        } else if w.state_code && i > 0 && !key_words.is_empty() {
            let previous = words[i - 1].norm.as_str();
            let interior = matches!(
                previous,
                "of" | "north"
                    | "south"
                    | "east"
                    | "west"
                    | "central"
                    | "northern"
                    | "southern"
                    | "eastern"
                    | "western"
            ) || words.get(i + 1).is_some_and(|n| in_key(i + 1, n));
            if interior {
                if let Some(state) = states::by_code_ignore_case(&w.norm) {
                    expanded.push(state.name.to_lowercase());
                    expanded_differs = true;
                }
            }
        }
    }
    parsed.key = key_words.join(" ");
    let mut alt = Vec::new();
    if expanded_differs {
        alt.push(expanded.join(" "));
    }
    if key_words.len() > 1 {
        if let Some(last) = key_words.last() {
            if MUNICIPAL_SUFFIX.contains(last) {
                alt.push(key_words[..key_words.len() - 1].join(" "));
            }
        }
    }
    // State-level names are listed without the state's name in the FBI list
    // (`Department of Conservation:`).
    if parsed.state_level {
        let without: Vec<&str> = words
            .iter()
            .enumerate()
            .filter(|(i, w)| in_key(*i, w) && !w.state_name)
            .map(|(_, w)| w.norm.as_str())
            .collect();
        if !without.is_empty() && without.len() < key_words.len() {
            alt.push(without.join(" "));
        }
    }
    alt.retain(|k| !k.is_empty() && *k != parsed.key);
    parsed.alt_keys = alt;

    let mut place = place_words.join(" ");
    if parsed.county && !place.is_empty() && !host_kind {
        place.push_str(if words.iter().any(|w| w.norm == "parish") {
            " Parish"
        } else {
            " County"
        });
    }
    parsed.place = place;

    // Display: every word but the state and the tags, abbreviations spelled out.
    let mut display: Vec<String> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let dropped_prefix = w.drop && !matches!(w.norm.as_str(), "county" | "parish" | "co");
        let is_tag = w.drop && loose_tag_of(&w.norm).is_some();
        if w.state_code || drop_name[i] || is_tag || (dropped_prefix && !parsed.municipal) {
            continue;
        }
        if let Some(long) = expand(w) {
            display.push(long.to_string());
        } else if parsed.capitals && !(w.norm.len() <= 3 && (w.role || w.host)) {
            display.push(text::title_case(&w.original));
        } else {
            display.push(w.original.clone());
        }
    }
    parsed.display = display.join(" ");
}
