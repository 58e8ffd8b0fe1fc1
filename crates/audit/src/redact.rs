//! Masking personal data in free text: plate-like tokens and the log's own users' names in
//! reasons and case numbers (docs/security.md#free-text-redaction has the rule, what it was
//! measured against, and its limits).
//!
//! A reason such as `Stolen Plate 795ASV` or `Burg Inv Ricci` is written out as
//! `Stolen Plate [plate]` and `Burg Inv [name]`, so that what remains still tells why the search
//! was run. The classifier reads the text before it is masked; masking happens where a search
//! leaves the pipeline for the sinks.
//!
//! The plate rule works on tokens, maximal runs of ASCII letters and digits. A token is plate-like
//! when it has 5 to 8 characters, at least one letter and at least three digits (`8ZNN781`,
//! `795ASV`, `09717J3`, `E287021`), unless it has the shape of something agencies write in
//! reasons that is not a plate:
//! - a statute with its code (`459PC`, `PC459`, `VC10851`, `10851pc`);
//! - a court case number, two-digit year, two letters, four or more digits (`14HF0139`);
//! - a report or card number, two or more letters then six or more digits (`FI240012`), or any
//!   run of seven or more digits;
//! - an offence code run into a word (`459inv`, `187veh`);
//! - part of a long identifier joined with dashes or underscores (a UUID, an app history id) or
//!   of a date and time (`2025-08-01T13:05:47Z`).
//!
//! Two more forms are plate-like: a plate written in two parts, three capital letters and four
//! digits or three digits and three capital letters, joined by one space or dash (`ABC 1234`,
//! `123-ABC`), the letters not an abbreviation agencies use (`CPC 211`, `503 LPR`); and, right
//! after a plate word (`plate`, `lp`, `tag`, `license`), any token of 2 to 8 letters and digits
//! with a letter and a digit in it that is not an offence code (`459R`). A token joined by a
//! dash to other letters and digits (`P2501-01007`, `tip-913-W2463`) is part of a number, not
//! a plate.
//!
//! Names come from the log itself: its user column as it is read, and a users sheet in the same
//! workbook (read before any search). A full name is masked as a whole; a surname of three or
//! more letters is masked wherever it stands as a word, whatever its case.

use std::collections::{HashMap, HashSet};

use crate::process::FastHash;

use crate::classify::Classification;

/// What a plate-like token becomes.
pub const PLATE_MASK: &str = "[plate]";
/// What a user's name becomes.
pub const NAME_MASK: &str = "[name]";

/// Words after which the next token is read as a plate when it holds a digit.
const PLATE_WORDS: &[&str] = &[
    "plate", "plates", "plt", "lp", "lpn", "lic", "license", "licence", "tag", "tags",
];

/// Statute codes written before or after a section number.
const STATUTE_CODES: &[&str] = &[
    "pc", "vc", "hs", "hsc", "wi", "wic", "bp", "ps", "cvc", "cpc", "ca", "us", "usc", "ors",
];

/// Abbreviations run into an offence code or written next to a number, that are not plate
/// letters (`459inv`, `CFS 9912`).
const NOT_PLATE_LETTERS: &[&str] = &[
    "inv", "invest", "res", "veh", "sus", "susp", "rpt", "det", "tip", "cfs", "cpc", "dr", "ipd",
    "rq", "fi", "ocsd", "sapd", "lapd", "lasd", "case", "cad", "ofc", "sgt", "dep", "unit", "car",
    "bmw", "cics", "cirs", "pd", "so", "oc", "le", "am", "pm", "th", "st", "nd", "rd", "dob", "mm",
    "yr", "yrs", "hr", "hrs", "min", "mph", "ft", "lbs", "apt", "ste", "hwy", "rte", "fwy", "blk",
    "ave", "dui", "dv", "gta", "adw", "fta", "inc", "ref", "for", "and", "the", "pic", "pics",
    "img", "lpr", "hit", "hits", "opd", "tpd", "ati", "tc", "ht",
];

/// Words never learned as names: they are the masks themselves or too common to be one.
const NOT_NAMES: &[&str] = &[
    "name", "plate", "redacted", "user", "unknown", "admin", "test",
];

/// A span of text to mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mask {
    /// Byte offset where the masked span starts.
    pub start: usize,
    /// Byte offset just past the masked span.
    pub end: usize,
    /// What replaces it: `[plate]` or `[name]`.
    pub with: &'static str,
}

/// The names a log's free text is checked for, and the plate rule.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    /// Surnames (lowercase), three letters or more.
    surnames: HashSet<String, FastHash>,
    /// Full names as lowercase words, by their first word.
    full_names: HashMap<String, Vec<Vec<String>>, FastHash>,
    /// User values already learned (a log repeats each user on many rows).
    learned: HashSet<Vec<u8>, FastHash>,
}

impl Redactor {
    /// A redactor that knows no names yet: it masks plate-like tokens only.
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// How many distinct surnames are known.
    pub fn surname_count(&self) -> usize {
        self.surnames.len()
    }

    /// The surnames known, lowercase, sorted.
    pub fn surnames(&self) -> Vec<String> {
        let mut all: Vec<String> = self.surnames.iter().cloned().collect();
        all.sort();
        all
    }

    /// Learns a person's name: `First Last`, `Last, First`, `First M. Last`, or a login (`jsmith`).
    /// Values that are not names (ids, numbers, `***`) are ignored.
    pub fn add_name(&mut self, name: &str) {
        let (surname_part, given_part) = match name.split_once(',') {
            Some((last, first)) => (last, Some(first)),
            None => (name, None),
        };
        let words = |s: &str| -> Vec<String> {
            s.split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '-'))
                .flat_map(|w| w.split('-'))
                .map(|w| w.trim_matches('\'').to_lowercase())
                .filter(|w| !w.is_empty())
                .collect()
        };
        // A value with digits (an id, a badge number) is not a name.
        if name.chars().any(|c| c.is_ascii_digit()) {
            return;
        }
        let surname_words = words(surname_part);
        let surnames: Vec<String> = match given_part {
            Some(_) => surname_words.clone(),
            None if surname_words.len() > 1 => surname_words[1..].to_vec(),
            None => surname_words.clone(),
        };
        for surname in surnames {
            if surname.chars().count() >= 3 && !NOT_NAMES.contains(&surname.as_str()) {
                self.surnames.insert(surname);
            }
        }
        // The full name as people write it: given names first.
        let mut full = given_part.map(words).unwrap_or_default();
        full.extend(surname_words);
        if full.len() >= 2 {
            self.full_names
                .entry(full[0].clone())
                .or_default()
                .push(full);
        }
    }

    /// How many distinct user-column values were learned. Names are only ever added, so two
    /// redactors that start from the same users sheet and learned the same number of values,
    /// one's values a subset of the other's, mask alike.
    pub fn learned_users(&self) -> usize {
        self.learned.len()
    }

    /// Whether the user-column value `user` was learned (or is one that is never learned).
    pub fn knows_user(&self, user: &[u8]) -> bool {
        user.is_empty() || user.len() > 200 || self.learned.contains(user)
    }

    /// Learns the value of a log's user column (once per distinct value).
    pub fn learn_user(&mut self, user: &[u8]) {
        if user.is_empty() || user.len() > 200 || self.learned.contains(user) {
            return;
        }
        self.learned.insert(user.to_vec());
        self.add_name(&String::from_utf8_lossy(user));
    }

    /// Learns the names of a users sheet: rows of cells under a header. Returns whether the
    /// header looked like one (a `name`, `user name`, `officer` column, or `first`/`last name`).
    pub fn learn_users_sheet(&mut self, header: &[String], rows: &[Vec<String>]) -> bool {
        let norm: Vec<String> = header
            .iter()
            .map(|h| {
                h.trim_start_matches('\u{feff}')
                    .to_lowercase()
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect()
            })
            .collect();
        let find = |names: &[&str]| norm.iter().position(|h| names.contains(&h.as_str()));
        let first = find(&["firstname", "givenname", "first"]);
        let last = find(&["lastname", "surname", "familyname", "last"]);
        let full = find(&[
            "username",
            "name",
            "fullname",
            "user",
            "users",
            "officer",
            "officername",
            "employee",
            "employeename",
            "displayname",
        ]);
        if first.is_none() && last.is_none() && full.is_none() {
            return false;
        }
        for row in rows {
            let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).map(|s| s.trim());
            match (cell(first), cell(last)) {
                (first, Some(last)) if !last.is_empty() => {
                    self.add_name(&format!("{last}, {}", first.unwrap_or_default()));
                }
                _ => {
                    if let Some(name) = cell(full).filter(|n| !n.is_empty()) {
                        self.add_name(name);
                    }
                }
            }
        }
        true
    }

    /// The spans of `text` to mask, in order, not overlapping.
    pub fn masks(&self, text: &[u8]) -> Vec<Mask> {
        // Words are lowercased into this one buffer, not into a new string each.
        let mut scratch = Vec::new();
        let words = words(text);
        let protected = protected_ranges(text);
        let mut masks: Vec<Mask> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let (start, end) = words[i];
            // A full name.
            if !self.full_names.is_empty()
                && let Some(names) = self
                    .full_names
                    .get(lower_into(&mut scratch, &text[start..end]))
            {
                let longest = names
                    .iter()
                    .filter(|name| {
                        name.len() <= words.len() - i
                            && name.iter().enumerate().all(|(k, w)| {
                                let (s, e) = words[i + k];
                                lower_equals(&text[s..e], w)
                                    && (k == 0 || joined_by_space(text, words[i + k - 1].1, s))
                            })
                    })
                    .map(Vec::len)
                    .max();
                if let Some(n) = longest {
                    masks.push(Mask {
                        start,
                        end: words[i + n - 1].1,
                        with: NAME_MASK,
                    });
                    i += n;
                    continue;
                }
            }
            let token = &text[start..end];
            let alnum = token.iter().all(u8::is_ascii_alphanumeric);
            let in_protected = protected.iter().any(|&(s, e)| start >= s && end <= e);
            // A plate written in two parts.
            if alnum
                && !in_protected
                && let Some(&(s2, e2)) = words.get(i + 1)
                && s2 == end + 1
                && matches!(text[end], b' ' | b'-')
                && !protected.iter().any(|&(s, e)| s2 >= s && e2 <= e)
                && two_part_plate(token, &text[s2..e2])
                && !followed_by_alnum_join(text, e2)
                && !preceded_by_alnum_join(text, start)
            {
                masks.push(Mask {
                    start,
                    end: e2,
                    with: PLATE_MASK,
                });
                i += 2;
                continue;
            }
            if alnum && !in_protected {
                let after_plate_word = i > 0 && {
                    let (ps, pe) = words[i - 1];
                    PLATE_WORDS.contains(&lower_into(&mut scratch, &text[ps..pe]))
                        && text[pe..start]
                            .iter()
                            .all(|b| matches!(b, b' ' | b'#' | b':' | b'.'))
                };
                let compound =
                    followed_by_alnum_join(text, end) || preceded_by_alnum_join(text, start);
                let plate = (plate_like(token) && !compound)
                    || (after_plate_word
                        && (2..=8).contains(&token.len())
                        && token.iter().any(u8::is_ascii_digit)
                        && token.iter().any(u8::is_ascii_alphabetic)
                        && !offence_code(token));
                if plate {
                    masks.push(Mask {
                        start,
                        end,
                        with: PLATE_MASK,
                    });
                    i += 1;
                    continue;
                }
            }
            if !self.surnames.is_empty()
                && end - start >= 3
                && self.surnames.contains(lower_into(&mut scratch, token))
            {
                masks.push(Mask {
                    start,
                    end,
                    with: NAME_MASK,
                });
            }
            i += 1;
        }
        masks
    }

    /// `text` with its masks applied, into `out` (cleared first). Returns false, leaving `out`
    /// empty, when nothing is masked.
    pub fn redact_into(&self, text: &[u8], out: &mut Vec<u8>) -> bool {
        out.clear();
        let masks = self.masks(text);
        if masks.is_empty() {
            return false;
        }
        apply(text, &masks, out);
        true
    }

    /// `text` with its masks applied.
    pub fn redact(&self, text: &str) -> String {
        let mut out = Vec::new();
        if self.redact_into(text.as_bytes(), &mut out) {
            String::from_utf8_lossy(&out).into_owned()
        } else {
            text.to_string()
        }
    }

    /// Masks a reason shape's sample text and moves its classification's evidence onto the
    /// masked text (spans shifted, quoted words masked), so that evidence quoted from any reason
    /// of the same shape, masked alike, is right.
    pub fn redact_reason(&self, text: &mut String, classification: &mut Classification) {
        let masks = self.masks(text.as_bytes());
        if masks.is_empty() {
            return;
        }
        for evidence in &mut classification.evidence {
            evidence.span = (
                map_position(&masks, evidence.span.0, false),
                map_position(&masks, evidence.span.1, true),
            );
            evidence.text = self.redact(&evidence.text);
        }
        let mut out = Vec::with_capacity(text.len());
        apply(text.as_bytes(), &masks, &mut out);
        *text = String::from_utf8_lossy(&out).into_owned();
    }
}

fn apply(text: &[u8], masks: &[Mask], out: &mut Vec<u8>) {
    let mut at = 0;
    for mask in masks {
        out.extend_from_slice(&text[at..mask.start]);
        out.extend_from_slice(mask.with.as_bytes());
        at = mask.end;
    }
    out.extend_from_slice(&text[at..]);
}

/// Where position `p` of a text lands once `masks` are applied; a position inside a mask goes
/// to the mask's start, or its end when `end` is set.
fn map_position(masks: &[Mask], p: usize, end: bool) -> usize {
    let mut shift: isize = 0;
    for mask in masks {
        if p <= mask.start {
            break;
        }
        if p < mask.end {
            let start = (mask.start as isize + shift) as usize;
            return if end { start + mask.with.len() } else { start };
        }
        shift += mask.with.len() as isize - (mask.end - mask.start) as isize;
    }
    (p as isize + shift) as usize
}

/// ASCII lowercase of a word (other bytes kept, lossily decoded).
fn lower(word: &[u8]) -> String {
    String::from_utf8_lossy(word).to_lowercase()
}

/// [`lower`] into `buffer` (cleared first): the same text, allocating only when the buffer
/// must grow.
fn lower_into<'b>(buffer: &'b mut Vec<u8>, word: &[u8]) -> &'b str {
    buffer.clear();
    if word.is_ascii() {
        buffer.extend(word.iter().map(u8::to_ascii_lowercase));
    } else {
        buffer.extend_from_slice(lower(word).as_bytes());
    }
    // INVARIANT: the buffer holds ASCII or a `String`'s bytes, so it is UTF-8.
    std::str::from_utf8(buffer).unwrap_or_default()
}

/// Whether [`lower`] of `word` is `lowercase`.
fn lower_equals(word: &[u8], lowercase: &str) -> bool {
    if word.is_ascii() {
        word.len() == lowercase.len()
            && word
                .iter()
                .zip(lowercase.as_bytes())
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
    } else {
        lower(word) == lowercase
    }
}

fn joined_by_space(text: &[u8], prev_end: usize, start: usize) -> bool {
    text[prev_end..start]
        .iter()
        .all(|b| matches!(b, b' ' | b'.' | b','))
        && start - prev_end <= 3
}

/// Words: maximal runs of ASCII letters and digits and of non-ASCII bytes (letters of names
/// such as `Muñoz`).
fn words(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
    while i < text.len() {
        if is_word(text[i]) {
            let start = i;
            while i < text.len() && is_word(text[i]) {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// Ranges that are not plates whatever their tokens look like: dates and times
/// (`2025-08-01T13:05:47.234Z`) and long identifiers joined with dashes or underscores
/// (`09cb94ee-b380-11ef-b63b-27dca4880d66`).
fn protected_ranges(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        if b.is_ascii_alphanumeric() {
            let start = i;
            let mut joins = 0;
            while i < text.len()
                && (text[i].is_ascii_alphanumeric() || matches!(text[i], b'-' | b'_' | b':' | b'.'))
            {
                if matches!(text[i], b'-' | b'_') {
                    joins += 1;
                }
                i += 1;
            }
            let run = &text[start..i];
            if (joins >= 2 && run.len() >= 16) || starts_with_date(run) {
                out.push((start, i));
            }
        } else {
            i += 1;
        }
    }
    out
}

/// `YYYY-MM-DD` at the start of `run`.
fn starts_with_date(run: &[u8]) -> bool {
    run.len() >= 10
        && run[..4].iter().all(u8::is_ascii_digit)
        && run[4] == b'-'
        && run[5..7].iter().all(u8::is_ascii_digit)
        && run[7] == b'-'
        && run[8..10].iter().all(u8::is_ascii_digit)
}

fn followed_by_alnum_join(text: &[u8], end: usize) -> bool {
    matches!(text.get(end), Some(b'-')) && text.get(end + 1).is_some_and(u8::is_ascii_alphanumeric)
}

fn preceded_by_alnum_join(text: &[u8], start: usize) -> bool {
    start >= 2 && text[start - 1] == b'-' && text[start - 2].is_ascii_alphanumeric()
}

/// Letters and digits of a token: (letters, digits, longest run of digits).
fn counts(token: &[u8]) -> (usize, usize, usize) {
    let mut letters = 0;
    let mut digits = 0;
    let mut run = 0;
    let mut longest = 0;
    for &b in token {
        if b.is_ascii_digit() {
            digits += 1;
            run += 1;
            longest = longest.max(run);
        } else {
            letters += usize::from(b.is_ascii_alphabetic());
            run = 0;
        }
    }
    (letters, digits, longest)
}

/// Whether one token of ASCII letters and digits looks like a plate (see the module's rule).
pub fn plate_like(token: &[u8]) -> bool {
    if !(5..=8).contains(&token.len()) || !token.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let (letters, digits, longest) = counts(token);
    if letters == 0 || digits < 3 || longest >= 7 {
        return false;
    }
    let lowered = token.to_ascii_lowercase();
    let lead_letters = lowered
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let lead_digits = lowered.iter().take_while(|b| b.is_ascii_digit()).count();
    let tail_letters = lowered
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let word = |s: &[u8]| std::str::from_utf8(s).unwrap_or_default().to_string();
    // Letters then digits, or digits then letters: a statute (`PC459`, `459pc`), a report or
    // card number (`FI240012`), an offence code run into a word (`459inv`).
    if lead_letters + digits == token.len() {
        let prefix = word(&lowered[..lead_letters]);
        if STATUTE_CODES.contains(&prefix.as_str())
            || NOT_PLATE_LETTERS.contains(&prefix.as_str())
            || (lead_letters >= 2 && digits >= 5)
        {
            return false;
        }
    }
    if lead_digits + tail_letters == token.len() {
        let suffix = word(&lowered[lead_digits..]);
        if STATUTE_CODES.contains(&suffix.as_str()) || NOT_PLATE_LETTERS.contains(&suffix.as_str())
        {
            return false;
        }
        // Digits and a word of four letters or more (`925cics` aside, `10851invest`).
        if tail_letters >= 4 && lead_digits <= 3 && letters > 3 {
            return false;
        }
    }
    // A statute with a subsection letter (`459R`) is under five characters; with its code
    // after the letter (`459rpc`) it is here.
    if lead_digits >= 2 && tail_letters >= 3 {
        let suffix = word(&lowered[lowered.len() - 2..]);
        if ["pc", "vc", "hs"].contains(&suffix.as_str())
            && lead_digits + tail_letters == token.len()
        {
            return false;
        }
    }
    // A court case number: two-digit year, two letters, four or more digits (`14HF0139`).
    if token.len() >= 8
        && lowered[..2].iter().all(u8::is_ascii_digit)
        && lowered[2..4].iter().all(u8::is_ascii_alphabetic)
        && lowered[4..].iter().all(u8::is_ascii_digit)
    {
        return false;
    }
    true
}

/// An offence code with its subsection letter (`459R`, `10851a`).
fn offence_code(token: &[u8]) -> bool {
    let digits = token.iter().take_while(|b| b.is_ascii_digit()).count();
    (3..=5).contains(&digits) && token.len() - digits <= 1
}

/// Two tokens that together look like a plate written in two parts (`ABC 1234`, `123-ABC`).
fn two_part_plate(a: &[u8], b: &[u8]) -> bool {
    let letters_part = |t: &[u8]| {
        let word = lower(t);
        t.iter().all(u8::is_ascii_uppercase)
            && !NOT_PLATE_LETTERS.contains(&word.as_str())
            && !STATUTE_CODES.contains(&word.as_str())
    };
    let digits = |t: &[u8], n: usize| t.len() == n && t.iter().all(u8::is_ascii_digit);
    (a.len() == 3 && letters_part(a) && digits(b, 4))
        || (digits(a, 3) && b.len() == 3 && letters_part(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plates(text: &str) -> String {
        Redactor::new().redact(text)
    }

    #[test]
    fn plates_are_masked_and_the_rest_is_kept() {
        assert_eq!(plates("Stolen Plate 795ASV"), "Stolen Plate [plate]");
        assert_eq!(plates("8ZNN781"), "[plate]");
        assert_eq!(plates("09717J3"), "[plate]");
        assert_eq!(
            plates("Alert: Stolen Vehicle E287021 - 2025-08-01T13:05:47.234Z"),
            "Alert: Stolen Vehicle [plate] - 2025-08-01T13:05:47.234Z"
        );
        assert_eq!(plates("veh ABC 1234 seen"), "veh [plate] seen");
        assert_eq!(plates("lp 4AB"), "lp [plate]");
        for kept in [
            "10851 VC",
            "PC 459",
            "459PC",
            "PC459",
            "VC10851",
            "459inv",
            "187veh",
            "24-10937 theft suspect",
            "FI240012",
            "I24111364",
            "OC 14HF0139",
            "IPD24-13441",
            "CFS 9912",
            "CPC 211 vehicle",
            "IPD-24-13441",
            "rq-23-0005",
            "ring video of stolen license plt on 1/30/25",
            "Daytime Search from Hotlist for Hit with id: 09cb94ee-b380-11ef-b63b-27dca4880d66",
            "2025",
            "12/31/2024",
            "Stolen License plate 24-09078",
        ] {
            assert_eq!(plates(kept), kept);
        }
    }

    #[test]
    fn user_names_are_masked_as_words() {
        let mut r = Redactor::new();
        r.add_name("Chelsea Ricci");
        r.add_name("Nguyen, Tam");
        r.add_name("Annie Yu");
        r.add_name("587e52c3-e5b1-494d-bc15-943a853a26f5");
        r.learn_user(b"***");
        assert_eq!(r.redact("Burg Inv Ricci"), "Burg Inv [name]");
        assert_eq!(r.redact("Narc INV NGUYEN"), "Narc INV [name]");
        assert_eq!(r.redact("req per chelsea ricci"), "req per [name]");
        assert_eq!(r.redact("for Annie Yu"), "for [name]");
        // A two-letter surname alone is not masked (`yu`, like `le`, is too often a word).
        assert_eq!(r.redact("yu"), "yu");
        assert_eq!(r.redact("Riccio"), "Riccio");
        assert_eq!(
            r.surnames(),
            vec!["nguyen".to_string(), "ricci".to_string()]
        );
    }

    #[test]
    fn evidence_spans_follow_the_masks() {
        let masks = [Mask {
            start: 4,
            end: 10,
            with: PLATE_MASK,
        }];
        assert_eq!(map_position(&masks, 2, false), 2);
        assert_eq!(map_position(&masks, 4, false), 4);
        assert_eq!(map_position(&masks, 6, false), 4);
        assert_eq!(map_position(&masks, 6, true), 11);
        assert_eq!(map_position(&masks, 12, true), 13);
    }
}
