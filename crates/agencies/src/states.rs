//! US states, the District of Columbia and the territories: two-letter codes and names.
//!
//! Records write a state every way there is: `CA`, `( CA)`, `California`, `CALIFORNIA`, `NYS`,
//! and the FBI list writes Nebraska as `NB` and Guam as `GM`. Everything that reads a state goes
//! through here so that one table decides what counts as a state.

/// A state or territory, and every one of them, from the workspace's one table
/// (`remit-states`, which the law engine reads too).
pub use remit_states::{STATES, State};

/// Other spellings of a state name seen in records (lower case, words separated by one space).
pub(crate) const OTHER_NAMES: &[(&str, &str)] = &[
    ("virgin islands", "VI"),
    ("us virgin islands", "VI"),
    ("washington dc", "DC"),
    ("washington d c", "DC"),
];

/// Abbreviations of state names in the Associated Press's style and the Government Printing
/// Office's (`Calif.`, `Ore.`, `W.Va.`, `N. Dak.`, `Tex.`), written without periods or spaces,
/// lower case. Two-letter forms with periods (`N.H.`) are the postal codes.
const WRITTEN_ABBREVIATIONS: &[(&str, &str)] = &[
    ("ala", "AL"),
    ("ariz", "AZ"),
    ("ark", "AR"),
    ("calif", "CA"),
    ("cal", "CA"),
    ("colo", "CO"),
    ("conn", "CT"),
    ("del", "DE"),
    ("fla", "FL"),
    ("ill", "IL"),
    ("ind", "IN"),
    ("kan", "KS"),
    ("kans", "KS"),
    ("mass", "MA"),
    ("mich", "MI"),
    ("minn", "MN"),
    ("miss", "MS"),
    ("mont", "MT"),
    ("neb", "NE"),
    ("nebr", "NE"),
    ("nev", "NV"),
    ("nmex", "NM"),
    ("ndak", "ND"),
    ("sdak", "SD"),
    ("okla", "OK"),
    ("ore", "OR"),
    ("oreg", "OR"),
    ("penn", "PA"),
    ("tenn", "TN"),
    ("tex", "TX"),
    ("wash", "WA"),
    ("wva", "WV"),
    ("wis", "WI"),
    ("wisc", "WI"),
    ("wyo", "WY"),
];

/// A state as people write it after a place's name (`Portland, Ore.`, `Manchester, N.H.`):
/// what [`parse`] reads, and the written abbreviations of journalism and citations. Kept apart
/// from [`parse`], which agency names also go through, where such words mean other things (`Del
/// City`).
pub fn parse_written(text: &str) -> Option<&'static State> {
    parse(text).or_else(|| {
        let squeezed: String = text
            .trim()
            .trim_start_matches(['(', '['])
            .trim_end_matches([')', ']'])
            .chars()
            .filter(|c| !matches!(c, '.' | ' '))
            .flat_map(char::to_lowercase)
            .collect();
        if squeezed.len() == 2 && text.contains('.') {
            return by_code_ignore_case(&squeezed);
        }
        WRITTEN_ABBREVIATIONS
            .iter()
            .find(|(written, _)| *written == squeezed)
            .and_then(|(_, code)| by_code(code))
    })
}

/// The states' names in Spanish where they differ from the English ones (lower case, without
/// accents: a text is compared with its accents folded), for readers who ask in Spanish.
const SPANISH_NAMES: &[(&str, &str)] = &[
    ("carolina del norte", "NC"),
    ("carolina del sur", "SC"),
    ("dakota del norte", "ND"),
    ("dakota del sur", "SD"),
    ("nuevo mexico", "NM"),
    ("nueva york", "NY"),
    ("nueva jersey", "NJ"),
    ("nuevo hampshire", "NH"),
    ("pensilvania", "PA"),
    ("luisiana", "LA"),
    ("misisipi", "MS"),
    ("misuri", "MO"),
    ("virginia occidental", "WV"),
    ("hawai", "HI"),
    ("oregon", "OR"),
    ("michigan", "MI"),
    ("distrito de columbia", "DC"),
    ("islas virgenes", "VI"),
    ("islas virgenes de los estados unidos", "VI"),
    ("islas marianas del norte", "MP"),
    ("samoa americana", "AS"),
];

/// The state with this code (exact, upper case), if any.
pub fn by_code(code: &str) -> Option<&'static State> {
    STATES.iter().find(|s| s.code == code)
}

/// The state whose code is `code` in any case (`ca`, `Ca`, `CA`).
pub fn by_code_ignore_case(code: &str) -> Option<&'static State> {
    if code.len() != 2 {
        return None;
    }
    STATES.iter().find(|s| s.code.eq_ignore_ascii_case(code))
}

/// The state named `words` (lower-case words, as the tokenizer gives them), if any.
pub fn by_name_words(words: &[&str]) -> Option<&'static State> {
    STATES
        .iter()
        .find(|s| words_equal(s.name, words))
        .or_else(|| {
            OTHER_NAMES
                .iter()
                .find(|(name, _)| words_equal(name, words))
                .and_then(|(_, code)| by_code(code))
        })
}

/// Reads a state as a person or a column writes it: a code in any case (`CA`, `ca`), a name in
/// any case and spacing (`California`, `NEW  YORK`), optionally in parentheses (`( CA)`).
/// Allocates nothing, because the resolver calls it once per record.
pub fn parse(text: &str) -> Option<&'static State> {
    let text = text
        .trim()
        .trim_start_matches(['(', '['])
        .trim_end_matches([')', ']', '.'])
        .trim();
    if text.len() == 2 {
        return by_code_ignore_case(text);
    }
    STATES
        .iter()
        .find(|s| same_words_ignore_case(s.name, text))
        .or_else(|| {
            OTHER_NAMES
                .iter()
                .find(|(name, _)| same_words_ignore_case(name, text))
                .and_then(|(_, code)| by_code(code))
        })
        .or_else(|| {
            let folded: String = text.chars().map(crate::places::fold_accent).collect();
            SPANISH_NAMES
                .iter()
                .find(|(name, _)| same_words_ignore_case(name, &folded))
                .and_then(|(_, code)| by_code(code))
        })
}

/// Reads the `state_abbr` column of the FBI list, which writes Nebraska `NB` and Guam `GM`, and
/// `FS` for federal agencies (which have no state: `None`).
pub(crate) fn from_fbi_code(code: &str) -> Result<Option<&'static State>, ()> {
    match code.trim() {
        "FS" => Ok(None),
        "NB" => Ok(by_code("NE")),
        "GM" => Ok(by_code("GU")),
        other => by_code_ignore_case(other).map(Some).ok_or(()),
    }
}

/// Whether `name` (title case, words separated by single spaces) equals the word list.
fn words_equal(name: &str, words: &[&str]) -> bool {
    let mut parts = name.split(' ');
    for word in words {
        match parts.next() {
            Some(part) => {
                let part = part.trim_end_matches('.');
                if !part.eq_ignore_ascii_case(word) {
                    // "U.S." is one token "us" once periods are dropped.
                    if !(part.eq_ignore_ascii_case("U.S") && *word == "us") {
                        return false;
                    }
                }
            }
            None => return false,
        }
    }
    parts.next().is_none()
}

/// Whether two texts have the same words, ignoring case, runs of white space and periods.
fn same_words_ignore_case(a: &str, b: &str) -> bool {
    let mut left = a.split_whitespace().map(|w| w.trim_matches('.'));
    let mut right = b.split_whitespace().map(|w| w.trim_matches('.'));
    loop {
        match (left.next(), right.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_names_read_with_or_without_accents() {
        for (written, code) in [
            ("Carolina del Norte", "NC"),
            ("Nuevo México", "NM"),
            ("nuevo mexico", "NM"),
            ("Hawái", "HI"),
            ("Pensilvania", "PA"),
            ("Distrito de Columbia", "DC"),
            ("Islas Vírgenes", "VI"),
        ] {
            assert_eq!(parse(written).map(|s| s.code), Some(code), "{written}");
        }
    }

    #[test]
    fn written_abbreviations_read_after_a_place() {
        for (written, code) in [
            ("Ore.", "OR"),
            ("Calif.", "CA"),
            ("N.H.", "NH"),
            ("N. Y.", "NY"),
            ("W.Va.", "WV"),
            ("N. Dak.", "ND"),
            ("Tex.", "TX"),
            ("(Ariz.)", "AZ"),
            ("texas", "TX"),
        ] {
            assert_eq!(
                parse_written(written).map(|s| s.code),
                Some(code),
                "{written}"
            );
        }
        // Not a state, and not read as one by the general parser.
        assert_eq!(parse_written("Ore Mine"), None);
        assert_eq!(parse("Del"), None);
    }

    #[test]
    fn parses_codes_names_and_parentheses() {
        assert_eq!(parse("CA").map(|s| s.code), Some("CA"));
        assert_eq!(parse("ca").map(|s| s.code), Some("CA"));
        assert_eq!(parse("( CA)").map(|s| s.code), Some("CA"));
        assert_eq!(parse("California").map(|s| s.code), Some("CA"));
        assert_eq!(parse("FLORIDA").map(|s| s.code), Some("FL"));
        assert_eq!(parse("new  york").map(|s| s.code), Some("NY"));
        assert_eq!(parse("NORTH CAROLINA").map(|s| s.code), Some("NC"));
        assert_eq!(parse("Cal"), None);
        assert_eq!(parse("XX"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn fbi_codes() {
        assert_eq!(
            from_fbi_code("NB").map(|s| s.map(|s| s.code)),
            Ok(Some("NE"))
        );
        assert_eq!(
            from_fbi_code("GM").map(|s| s.map(|s| s.code)),
            Ok(Some("GU"))
        );
        assert_eq!(from_fbi_code("FS"), Ok(None));
        assert!(from_fbi_code("ZZ").is_err());
    }

    #[test]
    fn names_from_words() {
        assert_eq!(by_name_words(&["new", "york"]).map(|s| s.code), Some("NY"));
        assert_eq!(by_name_words(&["new"]).map(|s| s.code), None);
        assert_eq!(
            by_name_words(&["us", "virgin", "islands"]).map(|s| s.code),
            Some("VI")
        );
    }
}
