//! The normalised event: one search, whatever file it came from, with what the pipeline found.
//!
//! Strings that repeat (searcher, reason, search type) are ids into the run's
//! [`Tables`](crate::process::Tables); the rest are borrowed from the reader's record, so building
//! an event allocates nothing.

use serde::Serialize;

use crate::classify::Category;

/// A flag on a search (docs/methodology.md#plate-reader-search-audits defines each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// The law engine answered `must_not` (or `conflict`) for sharing with this searcher.
    ForbiddenSharing,
    /// The reason falls in a category the law or agency policies single out.
    ConcernReason,
    /// The searcher is a federal immigration authority.
    FederalImmigrationSearcher,
    /// The searcher is another federal agency.
    FederalSearcher,
    /// The searcher is a state or local agency of another state than the owner's.
    OutOfStateSearcher,
    /// The searcher is a private body.
    PrivateSearcher,
    /// The searcher held a 287(g) agreement with ICE on the search date (per the registry).
    Searcher287g,
    /// The searcher's name could not be resolved to an agency with a state.
    UnresolvedSearcher,
    /// The reason is vague.
    VagueReason,
    /// No reason given.
    MissingReason,
    /// The log has a case-number column and it is empty, and the reason carries no case number.
    MissingCaseNumber,
    /// The search was a test or training.
    TestOrTraining,
    /// Flock's moderation blocked or warned on the search text.
    Moderated,
}

impl Flag {
    /// How many flags there are.
    pub const COUNT: usize = 13;

    /// Every flag, in bit order.
    pub const ALL: [Flag; Flag::COUNT] = [
        Flag::ForbiddenSharing,
        Flag::ConcernReason,
        Flag::FederalImmigrationSearcher,
        Flag::FederalSearcher,
        Flag::OutOfStateSearcher,
        Flag::PrivateSearcher,
        Flag::Searcher287g,
        Flag::UnresolvedSearcher,
        Flag::VagueReason,
        Flag::MissingReason,
        Flag::MissingCaseNumber,
        Flag::TestOrTraining,
        Flag::Moderated,
    ];

    /// The flag's stable name, as in summaries and findings.
    pub fn name(self) -> &'static str {
        match self {
            Flag::ForbiddenSharing => "forbidden_sharing",
            Flag::ConcernReason => "concern_reason",
            Flag::FederalImmigrationSearcher => "federal_immigration_searcher",
            Flag::FederalSearcher => "federal_searcher",
            Flag::OutOfStateSearcher => "out_of_state_searcher",
            Flag::PrivateSearcher => "private_searcher",
            Flag::Searcher287g => "searcher_287g",
            Flag::UnresolvedSearcher => "unresolved_searcher",
            Flag::VagueReason => "vague_reason",
            Flag::MissingReason => "missing_reason",
            Flag::MissingCaseNumber => "missing_case_number",
            Flag::TestOrTraining => "test_or_training",
            Flag::Moderated => "moderated",
        }
    }

    /// What the flag says of a search, in a few words (docs/methodology.md has the detail).
    pub fn meaning(self) -> &'static str {
        match self {
            Flag::ForbiddenSharing => {
                "the law that bound the data's owner forbids sharing with this searcher for this purpose (verdict must not or conflict)"
            }
            Flag::ConcernReason => {
                "the reason names immigration enforcement, reproductive health, First Amendment activity, a protected-class descriptor or personal use"
            }
            Flag::FederalImmigrationSearcher => "the searcher is a federal immigration authority",
            Flag::FederalSearcher => "the searcher is another federal agency",
            Flag::OutOfStateSearcher => "the searcher is a state or local agency of another state",
            Flag::PrivateSearcher => "the searcher is a private body",
            Flag::Searcher287g => {
                "the searcher held a 287(g) agreement with ICE on the search date, per ICE's published sheets"
            }
            Flag::UnresolvedSearcher => "the searcher could not be placed",
            Flag::VagueReason => "the reason is too vague to tell why the search was run",
            Flag::MissingReason => "no reason was given",
            Flag::MissingCaseNumber => "the case number is empty and the reason carries none",
            Flag::TestOrTraining => "the search was a test or training",
            Flag::Moderated => "Flock's moderation blocked or warned on the search",
        }
    }

    /// Flags that make a search a finding. The others (reason quality) are counted, and shown
    /// on findings, but a search with only those is written out only with `--all-flags`.
    pub const fn makes_finding(self) -> bool {
        matches!(
            self,
            Flag::ForbiddenSharing
                | Flag::ConcernReason
                | Flag::FederalImmigrationSearcher
                | Flag::FederalSearcher
                | Flag::OutOfStateSearcher
                | Flag::PrivateSearcher
                | Flag::Searcher287g
        )
    }
}

/// The bits of the flags that make a search a finding.
const FINDING_FLAGS: u16 = {
    let mut bits = 0;
    let mut i = 0;
    while i < Flag::COUNT {
        if Flag::ALL[i].makes_finding() {
            bits |= 1 << Flag::ALL[i] as u16;
        }
        i += 1;
    }
    bits
};

/// A set of flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags(pub u16);

impl Flags {
    /// Adds a flag to the set.
    pub fn insert(&mut self, flag: Flag) {
        self.0 |= 1 << flag as u16;
    }

    /// Whether the set holds the flag.
    pub fn contains(self, flag: Flag) -> bool {
        self.0 & (1 << flag as u16) != 0
    }

    /// Whether the set holds no flag.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The set's flags, in bit order.
    pub fn iter(self) -> impl Iterator<Item = Flag> {
        Flag::ALL.into_iter().filter(move |f| self.contains(*f))
    }

    /// The set's flag names, `;`-separated (empty for no flag).
    pub fn names(self) -> String {
        self.iter().map(Flag::name).collect::<Vec<_>>().join(";")
    }

    /// Whether any flag makes the search a finding.
    pub fn is_finding(self) -> bool {
        self.0 & FINDING_FLAGS != 0
    }
}

/// The outcome of the law question for a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// A decision: an index into the run's decisions table.
    Decided(u32),
    /// The owner's own users searched: no sharing took place, nothing to ask.
    OwnSearch,
    /// The searcher or owner could not be placed, so the question could not be asked.
    NotAsked,
}

/// One search.
///
/// Text fields are bytes as the file holds them (normally UTF-8): converting them costs time on
/// every row, and only the few rows that are written out need it ([`text`]).
#[derive(Clone, Copy, Debug)]
pub struct Event<'a> {
    /// Index into the run's files.
    pub file: u32,
    /// Physical line where the record starts (row number in a workbook, record number in JSON).
    pub line: u64,
    /// Seconds since 1970 UTC.
    pub time: i64,
    /// The searcher's id in the run's tables.
    pub searcher: u32,
    /// The reason shape's id in the run's tables.
    pub reason: u32,
    /// The reason as written (the tables hold one reason per shape).
    pub reason_text: &'a [u8],
    /// The reason's primary category (also in the tables; copied for the counters).
    pub category: Category,
    /// The search type's id in the run's tables.
    pub search_type: u32,
    /// The case number as the file holds it (empty when none).
    pub case_number: &'a [u8],
    /// The officer (user) who searched, as the file holds it (empty when none).
    pub user: &'a [u8],
    /// The plate searched for, as the file holds it (empty when none).
    pub plate: &'a [u8],
    /// How many networks the search covered, where the log says.
    pub networks: Option<u32>,
    /// How many devices (cameras) the search covered, where the log says.
    pub devices: Option<u32>,
    /// The law question's outcome: a decision, an own search, or not asked.
    pub outcome: Outcome,
    /// Why the search may be a finding.
    pub flags: Flags,
}

/// Bytes of a field as text (invalid UTF-8 replaced).
pub fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

impl Event<'_> {
    /// The day of the search (days since 1970).
    pub fn day(&self) -> i64 {
        self.time.div_euclid(86_400)
    }
}

/// Events that outlive their records, kept back to back: the fixed-size parts in one vector
/// and the four texts of every event in one byte buffer, so that keeping an event allocates
/// nothing once the buffers have grown (a worker's findings until it is their turn, the store's
/// pending batch).
#[derive(Clone, Debug, Default)]
pub struct EventBuffer {
    heads: Vec<Head>,
    texts: Vec<u8>,
}

impl EventBuffer {
    /// How many events are kept.
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    /// Whether no event is kept.
    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// Drops every kept event, keeping the buffers' capacity.
    pub fn clear(&mut self) {
        self.heads.clear();
        self.texts.clear();
    }

    /// Keeps a copy of `event`.
    pub fn push(&mut self, event: &Event<'_>) {
        let mut ends = [0_usize; 4];
        for (i, field) in [
            event.reason_text,
            event.case_number,
            event.user,
            event.plate,
        ]
        .into_iter()
        .enumerate()
        {
            self.texts.extend_from_slice(field);
            ends[i] = self.texts.len();
        }
        self.heads.push(Head {
            file: event.file,
            line: event.line,
            time: event.time,
            searcher: event.searcher,
            reason: event.reason,
            category: event.category,
            search_type: event.search_type,
            ends,
            networks: event.networks,
            devices: event.devices,
            outcome: event.outcome,
            flags: event.flags,
        });
    }

    /// Event `index`.
    pub fn get(&self, index: usize) -> Event<'_> {
        let head = &self.heads[index];
        let start = if index == 0 {
            0
        } else {
            self.heads[index - 1].ends[3]
        };
        let [reason, case, user, plate] = head.ends;
        Event {
            file: head.file,
            line: head.line,
            time: head.time,
            searcher: head.searcher,
            reason: head.reason,
            reason_text: &self.texts[start..reason],
            category: head.category,
            search_type: head.search_type,
            case_number: &self.texts[reason..case],
            user: &self.texts[case..user],
            plate: &self.texts[user..plate],
            networks: head.networks,
            devices: head.devices,
            outcome: head.outcome,
            flags: head.flags,
        }
    }

    /// Rewrites every event's searcher, reason, search type and decision ids.
    pub fn renumber(&mut self, mut f: impl FnMut(&mut u32, &mut u32, &mut u32, &mut Outcome)) {
        for head in &mut self.heads {
            f(
                &mut head.searcher,
                &mut head.reason,
                &mut head.search_type,
                &mut head.outcome,
            );
        }
    }

    /// Adds `base` to every event's line.
    pub fn shift_lines(&mut self, base: u64) {
        for head in &mut self.heads {
            head.line += base;
        }
    }
}

/// An event's fixed-size part in an [`EventBuffer`]; `ends` are where its reason, case number,
/// user and plate end in the buffer's texts (each starts where the one before ends).
#[derive(Clone, Copy, Debug)]
struct Head {
    file: u32,
    line: u64,
    time: i64,
    searcher: u32,
    reason: u32,
    category: Category,
    search_type: u32,
    ends: [usize; 4],
    networks: Option<u32>,
    devices: Option<u32>,
    outcome: Outcome,
    flags: Flags,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_the_searches_with_a_finding_flag() {
        assert!(!Flags::default().is_finding());
        for flag in Flag::ALL {
            let mut one = Flags::default();
            one.insert(flag);
            assert_eq!(one.is_finding(), flag.makes_finding(), "{}", flag.name());
            let mut with_vague = one;
            with_vague.insert(Flag::VagueReason);
            assert_eq!(
                with_vague.is_finding(),
                flag.makes_finding(),
                "{}",
                flag.name()
            );
        }
    }
}
