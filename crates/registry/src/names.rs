//! Agency names to identity keys.
//!
//! ICE's sheets spell the same agency several ways over time: trailing spaces, curly or straight
//! apostrophes, `Ft.` and `Fort`, `City of Zephyrhills Police Department` and `Zephyrhills Police
//! Department`. The key below erases exactly those differences and nothing that could tell two
//! agencies apart; renames that change words (`Boca Raton Police Department` to `Boca Raton
//! Police Services Department`) are linked later from the history (see `history.rs`). The rules
//! are listed in docs/methodology.md#the-287g-registry; change both together.

use crate::states;

/// Words replaced by a canonical form (abbreviations and plural/possessive variants).
const SUBSTITUTIONS: &[(&str, &str)] = &[
    ("ft", "fort"),
    ("st", "saint"),
    ("mt", "mount"),
    ("dept", "department"),
    ("twp", "township"),
    ("sheriffs", "sheriff"),
    ("constables", "constable"),
];

/// Leading phrases naming the government rather than the agency.
const GOVERNMENT_PREFIXES: &[&str] = &["city of", "town of", "village of", "borough of"];

/// The identity key of an agency name within a state: lowercase words, no punctuation, common
/// abbreviations spelled out, a leading "City of"/"Town of"/... and a state set off at the end
/// (`Unity Township Constable, PA`) dropped.
pub fn agency_key(name: &str, state_code: Option<&str>) -> String {
    let name = match state_code {
        Some(code) => strip_state_suffix(name, code),
        None => name,
    };
    let mut cleaned = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            // Apostrophes vanish (`Sheriff's` = `Sheriffs`), in all their forms.
            '\'' | '\u{2018}' | '\u{2019}' | '`' => {}
            '&' => cleaned.push_str(" and "),
            c if c.is_alphanumeric() => cleaned.extend(c.to_lowercase()),
            _ => cleaned.push(' '),
        }
    }
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    for prefix in GOVERNMENT_PREFIXES {
        let prefix_words: Vec<&str> = prefix.split(' ').collect();
        if words.len() > prefix_words.len() + 1 && words.starts_with(&prefix_words) {
            words.drain(..prefix_words.len());
            break;
        }
    }
    let mut key = String::with_capacity(cleaned.len());
    for word in words {
        if !key.is_empty() {
            key.push(' ');
        }
        let word = SUBSTITUTIONS
            .iter()
            .find(|(from, _)| *from == word)
            .map_or(word, |(_, to)| to);
        key.push_str(word);
    }
    key
}

/// `Name, PA`, `Name (PA)`, `Name - Pennsylvania` to `Name` when the state is the row's own: a
/// state set off by punctuation at the end is an address, not part of the name.
fn strip_state_suffix<'a>(name: &'a str, code: &str) -> &'a str {
    let trimmed = name.trim_end().trim_end_matches(')').trim_end();
    let Some(position) = trimmed.rfind([',', '(', '-']) else {
        return name;
    };
    let tail = trimmed[position + 1..].trim();
    let head = trimmed[..position].trim_end();
    let names_state = tail.eq_ignore_ascii_case(code)
        || states::state_name(code).is_some_and(|state| tail.eq_ignore_ascii_case(state));
    if names_state && !head.is_empty() {
        head
    } else {
        name
    }
}

/// Whether two keys are close enough to be one agency renamed, when the history also says so:
/// one's words contain all of the other's (`boca raton police department` in `boca raton police
/// services department`), or they are one or two letters apart in a long name (a typo fixed:
/// `lake clark shores` / `lake clarke shores`).
pub fn similar(a: &str, b: &str) -> bool {
    let words_a: Vec<&str> = a.split(' ').collect();
    let words_b: Vec<&str> = b.split(' ').collect();
    let contains = |outer: &[&str], inner: &[&str]| inner.iter().all(|w| outer.contains(w));
    if words_a.len() >= 2
        && words_b.len() >= 2
        && (contains(&words_a, &words_b) || contains(&words_b, &words_a))
    {
        return true;
    }
    a.len().min(b.len()) >= 12 && strsim::levenshtein(a, b) <= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erases_spelling_differences_seen_in_the_sheets() {
        let same = [
            (
                "Crow Wing County Sheriff's Office ",
                "Crow Wing County Sheriff's Office",
                "MN",
            ),
            (
                "Calhoun County Sheriff\u{2019}s Office",
                "Calhoun County Sheriff's Office",
                "TX",
            ),
            (
                "Ft. Myers Police Department",
                "Fort Myers Police Department",
                "FL",
            ),
            (
                "City of Zephyrhills Police Department",
                "Zephyrhills Police Department",
                "FL",
            ),
            (
                "Town of Palm Beach Police Department",
                "Palm Beach Police Department",
                "FL",
            ),
            (
                "Unity Township Constable, PA",
                "Unity Township Constable",
                "PA",
            ),
            (
                "East Donegal Township Constables",
                "East Donegal Township Constable",
                "PA",
            ),
            ("Florida A&M University", "Florida A and M University", "FL"),
        ];
        for (a, b, state) in same {
            assert_eq!(
                agency_key(a, Some(state)),
                agency_key(b, Some(state)),
                "{a} / {b}"
            );
        }
        assert_eq!(
            agency_key("St. Cloud Police Department", Some("FL")),
            "saint cloud police department"
        );
    }

    #[test]
    fn keeps_what_tells_agencies_apart() {
        let different = [
            (
                "Palm Beach Police Department",
                "Palm Beach Gardens Police Department",
            ),
            (
                "Jackson County Sheriff's Office",
                "Jackson County Correctional Facility",
            ),
            (
                "Melbourne Police Department",
                "West Melbourne Police Department",
            ),
            (
                "Okaloosa County Sheriff's Office",
                "Okaloosa County Board of County Commissioners",
            ),
        ];
        for (a, b) in different {
            assert_ne!(
                agency_key(a, Some("FL")),
                agency_key(b, Some("FL")),
                "{a} / {b}"
            );
        }
        // A state's name inside a name is part of it; only a trailing repeat of the row's state
        // is dropped, and never the whole name.
        assert_eq!(
            agency_key("Florida Highway Patrol", Some("FL")),
            "florida highway patrol"
        );
        assert_eq!(
            agency_key("Sheriff of Florida", Some("FL")),
            "sheriff of florida"
        );
        assert_eq!(
            agency_key("Gadsden County (FL)", Some("FL")),
            "gadsden county"
        );
        assert_eq!(
            agency_key("Utah County Sheriff", Some("UT")),
            "utah county sheriff"
        );
    }

    #[test]
    fn similarity_accepts_word_insertions_and_typos_only() {
        assert!(similar(
            "boca raton police department",
            "boca raton police services department"
        ));
        assert!(similar(
            "lake clark shores police department",
            "lake clarke shores police department"
        ));
        assert!(similar(
            "idaho state police",
            "idaho state police department"
        ));
        assert!(!similar(
            "louisiana state patrol",
            "louisiana state police department"
        ));
        assert!(!similar(
            "okaloosa county corrections",
            "okaloosa county board of county commissioners"
        ));
        // Similar names alone are not enough: Lee and Levy counties are one letter apart, and it
        // is the history (never listed together, one replacing the other) that links a rename.
        assert!(similar(
            "lee county sheriff office",
            "levy county sheriff office"
        ));
    }
}
