//! A sharing list as read from a file, before anything is resolved: whose list it is, when it
//! was true, and the names on it, each with where it was found.

use remit_law::Date;
use serde::Serialize;

/// The layouts Remit reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// An archived Flock transparency portal (JSON): `crawled_slug`, `crawled_name`,
    /// `sharing_outbound`, `sharing_inbound`, retention, prohibited uses.
    Portal,
    /// A CSV with a name column and optionally `State` and `Type` (Eugene's layout).
    NameStateType,
    /// Flock's organisation sharing export: `Organization Name`, `Networks Shared With Me`,
    /// `Networks I'm Sharing` (Okaloosa's layout).
    OrganizationSharing,
    /// One name per line (a text file, or the first column of a sheet).
    Names,
}

impl Format {
    /// The layout's word as stored and shown (`portal`, `name_state_type`, `organization_sharing`,
    /// `names`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Portal => "portal",
            Format::NameStateType => "name_state_type",
            Format::OrganizationSharing => "organization_sharing",
            Format::Names => "names",
        }
    }

    /// Reads a layout's word back; `None` for any other text.
    pub fn from_word(word: &str) -> Option<Format> {
        [
            Format::Portal,
            Format::NameStateType,
            Format::OrganizationSharing,
            Format::Names,
        ]
        .into_iter()
        .find(|f| f.as_str() == word)
    }
}

/// Which way the data flows for an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The list's owner shares its data with the entry.
    Outbound,
    /// The entry shares its data with the list's owner.
    Inbound,
}

impl Direction {
    /// The direction's word as stored and shown: `outbound` or `inbound`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Outbound => "outbound",
            Direction::Inbound => "inbound",
        }
    }

    /// Reads a direction's word back; `None` for any other text.
    pub fn from_word(word: &str) -> Option<Direction> {
        match word {
            "outbound" => Some(Direction::Outbound),
            "inbound" => Some(Direction::Inbound),
            _ => None,
        }
    }
}

/// One name on a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The line the name is on (the sheet row for workbooks), so a reader can find it.
    pub line: u64,
    /// Where in the record: `sharing_outbound[3]`, `Name`, `Organization Name`.
    pub field: String,
    /// Whether the owner shares with this agency or this agency shares with the owner.
    pub direction: Direction,
    /// The name as written, trimmed.
    pub name: String,
    /// The state column beside the name, when the list has one.
    pub state_hint: Option<String>,
    /// The type column beside the name, when the list has one (`Private Business`).
    pub type_hint: Option<String>,
}

/// How serious an issue is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// An entry could not be used and was set aside.
    Error,
    /// Something a reader should know (a state column that contradicts the name).
    Warning,
    /// Harmless (a duplicate entry, a header row).
    Note,
}

impl Severity {
    /// The severity's word as stored and shown: `error`, `warning` or `note`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A problem found reading a list: where, and what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// The 1-based line of the file (the sheet row for workbooks); `None` when the issue concerns
    /// the whole list rather than one place in it.
    pub line: Option<u64>,
    /// The field or column concerned, as named in the file (`crawled_name`, `sharing_outbound[3]`).
    pub field: String,
    /// The value found there, as written; empty when the field is missing.
    pub value: String,
    /// How serious the issue is.
    pub severity: Severity,
    /// What is wrong and what was done about it, in plain words.
    pub message: String,
}

/// Where the list's date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateFrom {
    /// The portal archive's `archived_date`.
    ArchivedDate,
    /// The portal archive's `crawled_at` time.
    CrawledAt,
    /// `..._2026-04-29.json`: the file's name.
    FileName,
    /// The `--date` option.
    Option,
    /// Nothing said when the list was true: the day it was imported.
    ImportDay,
}

impl DateFrom {
    /// The source's word as stored and shown (`archived_date`, `crawled_at`, `file_name`, `option`,
    /// `import_day`).
    pub fn as_str(self) -> &'static str {
        match self {
            DateFrom::ArchivedDate => "archived_date",
            DateFrom::CrawledAt => "crawled_at",
            DateFrom::FileName => "file_name",
            DateFrom::Option => "option",
            DateFrom::ImportDay => "import_day",
        }
    }
}

/// Where the owner's name came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerFrom {
    /// The portal's `crawled_name`.
    CrawledName,
    /// The portal's `crawled_slug` (the name was missing).
    CrawledSlug,
    /// The `--owner` option.
    Option,
    /// The list's own column (`Networks I'm Sharing`).
    Column,
}

impl OwnerFrom {
    /// The source's word as stored and shown (`crawled_name`, `crawled_slug`, `option`, `column`).
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerFrom::CrawledName => "crawled_name",
            OwnerFrom::CrawledSlug => "crawled_slug",
            OwnerFrom::Option => "option",
            OwnerFrom::Column => "column",
        }
    }
}

/// A list as read.
#[derive(Clone, Debug, Serialize)]
pub struct ParsedList {
    /// The layout the file was read as.
    pub format: Format,
    /// The worksheet read, for workbooks.
    pub sheet: Option<String>,
    /// The owner's name as the list (or the user) gives it.
    pub owner: String,
    /// Where the owner's name came from.
    pub owner_from: OwnerFrom,
    /// A state for the owner from outside its name (the portal's slug: `dixon-ca-pd`).
    pub owner_state_hint: Option<String>,
    /// The portal's slug.
    pub slug: Option<String>,
    /// The day the list is taken to describe: the law is asked about each entry as of this date.
    pub date: Date,
    /// Where the date came from.
    pub date_from: DateFrom,
    /// The portal's crawl time, as written.
    pub crawled_at: Option<String>,
    /// The portal's `data_retention_days`: how many days the agency keeps plate reads; `None` when
    /// the list does not say.
    pub retention_days: Option<i64>,
    /// The portal's `prohibited_uses` text.
    pub prohibited_uses: Option<String>,
    /// Whether the prohibited uses name immigration enforcement.
    pub immigration_use_prohibited: bool,
    /// The portal's `camera_count`: how many plate-reader cameras the agency runs; `None` when the
    /// list does not say.
    pub camera_count: Option<i64>,
    /// The portal's `searches_30d`: how many searches the portal reported for the last 30 days
    /// when it was crawled; `None` when the list does not say.
    pub searches_30d: Option<i64>,
    /// The names on the list, in file order (both directions); empty when the list was read
    /// into the store as a stream, where the entries went one by one.
    pub entries: Vec<Entry>,
    /// The problems found reading the list (an entry with an error is set aside, not kept in
    /// `entries`); empty, like `entries`, when the list was streamed into the store.
    pub issues: Vec<Issue>,
}

impl ParsedList {
    /// How many entries go the given way.
    pub fn count(&self, direction: Direction) -> usize {
        self.entries
            .iter()
            .filter(|e| e.direction == direction)
            .count()
    }
}

/// Whether a policy's text names immigration enforcement as a prohibited use: `Immigration
/// enforcement`, `immigration-related enforcement`, `federal immigration enforcement`,
/// `immigration purposes`.
pub fn names_immigration(text: &str) -> bool {
    text.to_ascii_lowercase().contains("immigration")
}
