//! US states and territories: the sheets' STATE column (`FLORIDA`, `AlABAMA`, `UTAHJ`) to
//! two-letter postal codes, over the agency directory's table of states (one table for the
//! workspace's readers of records).

use remit_agencies::states::{STATES, State};

/// How a STATE cell was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateMatch {
    /// The name or the code, in any case and spacing.
    Exact(&'static str),
    /// One letter off a single state's name (`UTAHJ`): corrected, and reported, with the name
    /// in capitals as the sheets write it.
    Corrected(&'static str, String),
    /// Neither a state nor a slip of one.
    Unknown,
}

/// Reads a STATE cell.
pub fn match_state(raw: &str) -> StateMatch {
    let cleaned = raw
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase();
    if cleaned.is_empty() {
        return StateMatch::Unknown;
    }
    for State { code, name, .. } in STATES {
        if cleaned == *code || cleaned.eq_ignore_ascii_case(name) {
            return StateMatch::Exact(code);
        }
    }
    // A single edit away from exactly one name and from no other: a typing slip, not a guess.
    // Codes are not corrected this way (every two letters are one edit from several codes).
    if cleaned.len() >= 4 {
        let mut near = STATES
            .iter()
            .map(|state| (state.code, state.name.to_uppercase()))
            .filter(|(_, name)| strsim::levenshtein(&cleaned, name) == 1);
        if let (Some((code, name)), None) = (near.next(), near.next()) {
            return StateMatch::Corrected(code, name);
        }
    }
    StateMatch::Unknown
}

/// The name of a state code (`Georgia` for `ga`), if it is one.
pub fn state_name(code: &str) -> Option<&'static str> {
    remit_agencies::states::by_code_ignore_case(code).map(|state| state.name)
}

/// A state code from a code or a name, as a user types it on the command line.
pub fn parse_state(text: &str) -> Option<&'static str> {
    match match_state(text) {
        StateMatch::Exact(code) => Some(code),
        StateMatch::Corrected(..) | StateMatch::Unknown => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sheets_state_cells() {
        assert_eq!(match_state("FLORIDA"), StateMatch::Exact("FL"));
        assert_eq!(match_state("AlABAMA"), StateMatch::Exact("AL"));
        assert_eq!(match_state(" new  hampshire "), StateMatch::Exact("NH"));
        assert_eq!(match_state("ga"), StateMatch::Exact("GA"));
        assert_eq!(
            match_state("UTAHJ"),
            StateMatch::Corrected("UT", "UTAH".to_string())
        );
        assert_eq!(match_state("ATLANTIS"), StateMatch::Unknown);
        assert_eq!(match_state(""), StateMatch::Unknown);
        assert_eq!(
            match_state("IOWAA"),
            StateMatch::Corrected("IA", "IOWA".to_string())
        );
    }

    #[test]
    fn parses_user_input() {
        assert_eq!(parse_state("GA"), Some("GA"));
        assert_eq!(parse_state("Georgia"), Some("GA"));
        assert_eq!(parse_state("Georgie"), None);
        assert_eq!(state_name("ga"), Some("Georgia"));
    }
}
