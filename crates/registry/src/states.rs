//! US states and territories: the sheets' STATE column (`FLORIDA`, `AlABAMA`, `UTAHJ`) to
//! two-letter postal codes.

/// (code, name), the 50 states, DC and the inhabited territories.
pub const STATES: &[(&str, &str)] = &[
    ("AL", "ALABAMA"),
    ("AK", "ALASKA"),
    ("AZ", "ARIZONA"),
    ("AR", "ARKANSAS"),
    ("CA", "CALIFORNIA"),
    ("CO", "COLORADO"),
    ("CT", "CONNECTICUT"),
    ("DE", "DELAWARE"),
    ("DC", "DISTRICT OF COLUMBIA"),
    ("FL", "FLORIDA"),
    ("GA", "GEORGIA"),
    ("HI", "HAWAII"),
    ("ID", "IDAHO"),
    ("IL", "ILLINOIS"),
    ("IN", "INDIANA"),
    ("IA", "IOWA"),
    ("KS", "KANSAS"),
    ("KY", "KENTUCKY"),
    ("LA", "LOUISIANA"),
    ("ME", "MAINE"),
    ("MD", "MARYLAND"),
    ("MA", "MASSACHUSETTS"),
    ("MI", "MICHIGAN"),
    ("MN", "MINNESOTA"),
    ("MS", "MISSISSIPPI"),
    ("MO", "MISSOURI"),
    ("MT", "MONTANA"),
    ("NE", "NEBRASKA"),
    ("NV", "NEVADA"),
    ("NH", "NEW HAMPSHIRE"),
    ("NJ", "NEW JERSEY"),
    ("NM", "NEW MEXICO"),
    ("NY", "NEW YORK"),
    ("NC", "NORTH CAROLINA"),
    ("ND", "NORTH DAKOTA"),
    ("OH", "OHIO"),
    ("OK", "OKLAHOMA"),
    ("OR", "OREGON"),
    ("PA", "PENNSYLVANIA"),
    ("RI", "RHODE ISLAND"),
    ("SC", "SOUTH CAROLINA"),
    ("SD", "SOUTH DAKOTA"),
    ("TN", "TENNESSEE"),
    ("TX", "TEXAS"),
    ("UT", "UTAH"),
    ("VT", "VERMONT"),
    ("VA", "VIRGINIA"),
    ("WA", "WASHINGTON"),
    ("WV", "WEST VIRGINIA"),
    ("WI", "WISCONSIN"),
    ("WY", "WYOMING"),
    ("AS", "AMERICAN SAMOA"),
    ("GU", "GUAM"),
    ("MP", "NORTHERN MARIANA ISLANDS"),
    ("PR", "PUERTO RICO"),
    ("VI", "U.S. VIRGIN ISLANDS"),
];

/// How a STATE cell was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateMatch {
    /// The name or the code, in any case and spacing.
    Exact(&'static str),
    /// One letter off a single state's name (`UTAHJ`): corrected, and reported.
    Corrected(&'static str, &'static str),
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
    for (code, name) in STATES {
        if cleaned == *code || cleaned == *name {
            return StateMatch::Exact(code);
        }
    }
    // A single edit away from exactly one name and from no other: a typing slip, not a guess.
    // Codes are not corrected this way (every two letters are one edit from several codes).
    if cleaned.len() >= 4 {
        let mut near = STATES
            .iter()
            .filter(|(_, name)| strsim::levenshtein(&cleaned, name) == 1);
        if let (Some((code, name)), None) = (near.next(), near.next()) {
            return StateMatch::Corrected(code, name);
        }
    }
    StateMatch::Unknown
}

/// The name of a state code, if it is one.
pub fn state_name(code: &str) -> Option<&'static str> {
    STATES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, name)| *name)
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
        assert_eq!(match_state("UTAHJ"), StateMatch::Corrected("UT", "UTAH"));
        assert_eq!(match_state("ATLANTIS"), StateMatch::Unknown);
        assert_eq!(match_state(""), StateMatch::Unknown);
        assert_eq!(match_state("IOWAA"), StateMatch::Corrected("IA", "IOWA"));
    }

    #[test]
    fn parses_user_input() {
        assert_eq!(parse_state("GA"), Some("GA"));
        assert_eq!(parse_state("Georgia"), Some("GA"));
        assert_eq!(parse_state("Georgie"), None);
        assert_eq!(state_name("ga"), Some("GEORGIA"));
    }
}
