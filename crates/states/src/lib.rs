//! remit-states: the one table of US states, the District of Columbia and the inhabited
//! territories.
//!
//! The law engine (remit-law) names places by Open Civic Data division and the agency directory
//! (remit-agencies) reads states as records write them; the two do not depend on each other, so
//! the table they share lives here, with nothing else.

#![warn(missing_docs)]

/// A state, the District of Columbia, or an inhabited territory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct State {
    /// The USPS two-letter code, upper case.
    pub code: &'static str,
    /// The name, in title case.
    pub name: &'static str,
    /// The Open Civic Data division type: `state`, `district` or `territory`.
    pub division: &'static str,
}

const fn state(code: &'static str, name: &'static str, division: &'static str) -> State {
    State {
        code,
        name,
        division,
    }
}

/// Every state, DC and the inhabited territories: the states and DC by name, then the
/// territories.
pub const STATES: &[State] = &[
    state("AL", "Alabama", "state"),
    state("AK", "Alaska", "state"),
    state("AZ", "Arizona", "state"),
    state("AR", "Arkansas", "state"),
    state("CA", "California", "state"),
    state("CO", "Colorado", "state"),
    state("CT", "Connecticut", "state"),
    state("DE", "Delaware", "state"),
    state("DC", "District of Columbia", "district"),
    state("FL", "Florida", "state"),
    state("GA", "Georgia", "state"),
    state("HI", "Hawaii", "state"),
    state("ID", "Idaho", "state"),
    state("IL", "Illinois", "state"),
    state("IN", "Indiana", "state"),
    state("IA", "Iowa", "state"),
    state("KS", "Kansas", "state"),
    state("KY", "Kentucky", "state"),
    state("LA", "Louisiana", "state"),
    state("ME", "Maine", "state"),
    state("MD", "Maryland", "state"),
    state("MA", "Massachusetts", "state"),
    state("MI", "Michigan", "state"),
    state("MN", "Minnesota", "state"),
    state("MS", "Mississippi", "state"),
    state("MO", "Missouri", "state"),
    state("MT", "Montana", "state"),
    state("NE", "Nebraska", "state"),
    state("NV", "Nevada", "state"),
    state("NH", "New Hampshire", "state"),
    state("NJ", "New Jersey", "state"),
    state("NM", "New Mexico", "state"),
    state("NY", "New York", "state"),
    state("NC", "North Carolina", "state"),
    state("ND", "North Dakota", "state"),
    state("OH", "Ohio", "state"),
    state("OK", "Oklahoma", "state"),
    state("OR", "Oregon", "state"),
    state("PA", "Pennsylvania", "state"),
    state("RI", "Rhode Island", "state"),
    state("SC", "South Carolina", "state"),
    state("SD", "South Dakota", "state"),
    state("TN", "Tennessee", "state"),
    state("TX", "Texas", "state"),
    state("UT", "Utah", "state"),
    state("VT", "Vermont", "state"),
    state("VA", "Virginia", "state"),
    state("WA", "Washington", "state"),
    state("WV", "West Virginia", "state"),
    state("WI", "Wisconsin", "state"),
    state("WY", "Wyoming", "state"),
    state("AS", "American Samoa", "territory"),
    state("GU", "Guam", "territory"),
    state("MP", "Northern Mariana Islands", "territory"),
    state("PR", "Puerto Rico", "territory"),
    state("VI", "U.S. Virgin Islands", "territory"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_two_capitals_and_appears_once() {
        assert_eq!(STATES.len(), 56);
        for (index, state) in STATES.iter().enumerate() {
            assert!(
                state.code.len() == 2 && state.code.bytes().all(|b| b.is_ascii_uppercase()),
                "{state:?}"
            );
            assert!(
                STATES[index + 1..].iter().all(|s| s.code != state.code),
                "{state:?}"
            );
            assert!(
                matches!(state.division, "state" | "district" | "territory"),
                "{state:?}"
            );
        }
        assert_eq!(STATES.iter().filter(|s| s.division == "state").count(), 50);
    }
}
