//! Places as people name them: `Dallas, TX`, `Harris County, Texas`, `Orleans Parish, LA`,
//! `NYC`, `LAPD`, `Harris County Sheriff's Office, TX`, or an OCD division id in any case, read as
//! the one Open Civic Data division the law is asked about, or an error that says why not.
//!
//! A place must never be invented: an OCD id that is well formed but names no county or place
//! (`.../place:los_angelos`, `.../place:lapd`) would quietly get only its state's answer. So
//! every name is looked up in a gazetteer of every US county and county equivalent, every
//! place with a police agency, and the communities without one (Metairie, Louisiana; East Los
//! Angeles), each read as the county it lies in ([`gazetteer()`], built from Census, FBI and
//! GeoNames data by [`build_gazetteer`]); a name that matches several places is an error listing
//! them unless one dwarfs the rest ([`DOMINANT_RATIO`]), and one that matches none is an error
//! with the nearest names.
//!
//! [`PlaceReader::read`] tries, in this order:
//!
//! 1. an OCD division id, in any case: it must be in the gazetteer (or be one the caller's
//!    corpus has rules for);
//! 2. the country (`US`) or a state or territory, by code or name;
//! 3. a well-known short name of a place ([`PLACE_ALIASES`]: `NYC`, `New York City`);
//! 4. an FBI ORI (with an agency directory);
//! 5. a name with its state (`City, ST`, `City ST`, `City, State`, `County Name County, ST`,
//!    `X Parish, LA`) or without one, as a place, community or county of the gazetteer (a bare
//!    name is a city first, and a county's only when the county dwarfs the places of the name:
//!    `Westchester`);
//! 6. an agency: a short name or nickname of `data/named-agencies.toml` (`LAPD`, `NYPD`, `LASD`,
//!    `CHP`, `Portland Police Bureau`), else an agency's name (`Dallas PD, TX`, `Harris County
//!    Sheriff`, `El Cajon CA PD`), read as the division whose rules bind the agency: a police
//!    department its city, a sheriff its county, a state agency its state
//!    ([`crate::law::division`] decides the same way for audits); with an agency directory, what
//!    the resolver is sure of when the gazetteer alone cannot tell.

mod build;
mod gazetteer;

use std::cell::OnceCell;
use std::fmt;
use std::sync::OnceLock;

use serde::Serialize;

use crate::aliases::{self, NamedAgency};
use crate::directory::is_ori;
use crate::kind::AgencyKind;
use crate::parse;
use crate::resolve::Resolver;
use crate::states::{self, State};

pub use build::{
    Area, COMMUNITY_FLOOR, Community, build as build_gazetteer, communities_in,
    geonames_communities,
};
pub use gazetteer::{Entry, GAZETTEER_TSV, Gazetteer, gazetteer, state_id};

/// What a division of the gazetteer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A county.
    County,
    /// Louisiana's counties.
    Parish,
    /// Alaska's organised boroughs.
    Borough,
    /// Alaska's unorganised areas.
    CensusArea,
    /// Puerto Rico's.
    Municipio,
    /// American Samoa's and the Virgin Islands' county equivalents.
    District,
    /// The Northern Mariana Islands'.
    Municipality,
    /// A county equivalent that is the whole district or territory (DC, Guam).
    Whole,
    /// A city that is its own county equivalent (Richmond, Baltimore, St. Louis, Carson City).
    IndependentCity,
    /// A city, town, village, borough or township with a police agency.
    Place,
    /// A community with no police agency of its own (a census-designated place such as
    /// Metairie, Louisiana, or a town that the sheriff polices): read as the county it lies in.
    Community,
}

impl PlaceKind {
    pub(crate) fn letter(self) -> char {
        match self {
            PlaceKind::County => 'c',
            PlaceKind::Parish => 'p',
            PlaceKind::Borough => 'b',
            PlaceKind::CensusArea => 'a',
            PlaceKind::Municipio => 'm',
            PlaceKind::District => 'd',
            PlaceKind::Municipality => 'n',
            PlaceKind::Whole => 'w',
            PlaceKind::IndependentCity => 'i',
            PlaceKind::Place => 't',
            PlaceKind::Community => 'u',
        }
    }

    pub(crate) fn from_letter(letter: char) -> Option<PlaceKind> {
        Some(match letter {
            'c' => PlaceKind::County,
            'p' => PlaceKind::Parish,
            'b' => PlaceKind::Borough,
            'a' => PlaceKind::CensusArea,
            'm' => PlaceKind::Municipio,
            'd' => PlaceKind::District,
            'n' => PlaceKind::Municipality,
            'w' => PlaceKind::Whole,
            'i' => PlaceKind::IndependentCity,
            't' => PlaceKind::Place,
            'u' => PlaceKind::Community,
            _ => return None,
        })
    }

    /// The type of the id's last segment (`county`, `place`); `None` for the whole state, and
    /// for a community, whose id is its county's.
    pub fn segment(self) -> Option<&'static str> {
        Some(match self {
            PlaceKind::Community => return None,
            PlaceKind::County => "county",
            PlaceKind::Parish => "parish",
            PlaceKind::Borough => "borough",
            PlaceKind::CensusArea => "censusarea",
            PlaceKind::Municipio => "municipio",
            PlaceKind::District => "district",
            PlaceKind::Municipality => "municipality",
            PlaceKind::Whole => return None,
            PlaceKind::IndependentCity | PlaceKind::Place => "place",
        })
    }

    /// The word a name of this kind ends with (`Harris County`), if any.
    pub fn word(self) -> Option<&'static str> {
        Some(match self {
            PlaceKind::County => "County",
            PlaceKind::Parish => "Parish",
            PlaceKind::Borough => "Borough",
            PlaceKind::CensusArea => "Census Area",
            PlaceKind::Municipio => "Municipio",
            PlaceKind::District => "District",
            PlaceKind::Municipality => "Municipality",
            PlaceKind::Whole
            | PlaceKind::IndependentCity
            | PlaceKind::Place
            | PlaceKind::Community => return None,
        })
    }

    /// A county or county equivalent (a sheriff's or a county police's division).
    pub fn is_county_level(self) -> bool {
        !matches!(self, PlaceKind::Place | PlaceKind::Community)
    }

    /// A city (a police department's division).
    pub fn is_city(self) -> bool {
        matches!(
            self,
            PlaceKind::Place | PlaceKind::IndependentCity | PlaceKind::Whole
        )
    }
}

/// A well-known short name for a place, with where the name comes from.
#[derive(Clone, Copy, Debug)]
pub struct PlaceAlias {
    /// The names, as [`PlaceReader`] compares them (lower case, words apart).
    pub names: &'static [&'static str],
    /// The OCD division id it names.
    pub id: &'static str,
    /// The law or the Census record that gives the name.
    pub source: &'static str,
}

/// Short names of places that name one place only. Agencies' short names (`LAPD`, `NYPD`,
/// `LASD`, `SFPD`) are in `data/named-agencies.toml` with the agency's ORI. Names that several
/// places share (`MPD`, `CPD`, `LA` for Louisiana) are left out on purpose.
pub const PLACE_ALIASES: &[PlaceAlias] = &[
    PlaceAlias {
        names: &[
            "nyc",
            "new york city",
            "city of new york",
            "new york ny city",
        ],
        id: "ocd-division/country:us/state:ny/place:new_york",
        source: "New York City Charter, § 1 (\"The City of New York\"); Census Bureau place \"New York city, New York\" (FIPS 36-51000)",
    },
    PlaceAlias {
        names: &["ciudad de nueva york", "nueva york ny"],
        id: "ocd-division/country:us/state:ny/place:new_york",
        source: "The city's name in Spanish; Census Bureau place \"New York city, New York\" (FIPS 36-51000)",
    },
    PlaceAlias {
        names: &["filadelfia"],
        id: "ocd-division/country:us/state:pa/place:philadelphia",
        source: "The city's name in Spanish; Census Bureau place \"Philadelphia city, Pennsylvania\" (FIPS 42-60000)",
    },
    PlaceAlias {
        names: &["nueva orleans"],
        id: "ocd-division/country:us/state:la/place:new_orleans",
        source: "The city's name in Spanish; Census Bureau place \"New Orleans city, Louisiana\" (FIPS 22-55000)",
    },
    PlaceAlias {
        names: &["philly"],
        id: "ocd-division/country:us/state:pa/place:philadelphia",
        source: "The city's common nickname; Census Bureau place \"Philadelphia city, Pennsylvania\" (FIPS 42-60000)",
    },
    PlaceAlias {
        names: &["nola"],
        id: "ocd-division/country:us/state:la/place:new_orleans",
        source: "The city's common nickname (New Orleans, LA); Census Bureau place \"New Orleans city, Louisiana\" (FIPS 22-55000)",
    },
    PlaceAlias {
        names: &["vegas"],
        id: "ocd-division/country:us/state:nv/place:las_vegas",
        source: "The city's common nickname; Census Bureau place \"Las Vegas city, Nevada\" (FIPS 32-40000)",
    },
    PlaceAlias {
        names: &["sf", "san fran"],
        id: "ocd-division/country:us/state:ca/place:san_francisco",
        source: "The city's common short names; Census Bureau place \"San Francisco city, California\" (FIPS 06-67000)",
    },
    PlaceAlias {
        names: &["l a", "dtla"],
        id: "ocd-division/country:us/state:ca/place:los_angeles",
        source: "The city's common short names (L.A.; DTLA, its downtown); Census Bureau place \"Los Angeles city, California\" (FIPS 06-44000)",
    },
    PlaceAlias {
        names: &["la county", "l a county", "la co", "l a co"],
        id: "ocd-division/country:us/state:ca/county:los_angeles",
        source: "The county's common short name; Census Bureau county \"Los Angeles County, California\" (FIPS 06037)",
    },
    PlaceAlias {
        names: &["oc", "the oc", "oc county"],
        id: "ocd-division/country:us/state:ca/county:orange",
        source: "The county's common short name; Census Bureau county \"Orange County, California\" (FIPS 06059)",
    },
    PlaceAlias {
        names: &["pg county", "p g county", "pg co", "p g co"],
        id: "ocd-division/country:us/state:md/county:prince_george_s",
        source: "The county's common short name; Census Bureau county \"Prince George's County, Maryland\" (FIPS 24033)",
    },
    PlaceAlias {
        names: &["kck"],
        id: "ocd-division/country:us/state:ks/place:kansas_city",
        source: "The city's common short name (the Unified Government of Wyandotte County and Kansas City); Census Bureau place \"Kansas City city, Kansas\" (FIPS 20-36000)",
    },
    PlaceAlias {
        names: &["slc"],
        id: "ocd-division/country:us/state:ut/place:salt_lake_city",
        source: "The city's common short name; Census Bureau place \"Salt Lake City city, Utah\" (FIPS 49-67000)",
    },
    PlaceAlias {
        names: &["okc"],
        id: "ocd-division/country:us/state:ok/place:oklahoma_city",
        source: "The city's common short name; Census Bureau place \"Oklahoma City city, Oklahoma\" (FIPS 40-55000)",
    },
    PlaceAlias {
        names: &["abq", "burque"],
        id: "ocd-division/country:us/state:nm/place:albuquerque",
        source: "The city's common short names; Census Bureau place \"Albuquerque city, New Mexico\" (FIPS 35-02000)",
    },
    PlaceAlias {
        names: &["indy"],
        id: "ocd-division/country:us/state:in/place:indianapolis",
        source: "The city's common nickname; Census Bureau place \"Indianapolis city (balance), Indiana\" (FIPS 18-36003)",
    },
    PlaceAlias {
        names: &["atl"],
        id: "ocd-division/country:us/state:ga/place:atlanta",
        source: "The city's common short name; Census Bureau place \"Atlanta city, Georgia\" (FIPS 13-04000)",
    },
    PlaceAlias {
        names: &["jax"],
        id: "ocd-division/country:us/state:fl/place:jacksonville",
        source: "The city's common short name; Census Bureau place \"Jacksonville city, Florida\" (FIPS 12-35000)",
    },
    PlaceAlias {
        names: &["st pete"],
        id: "ocd-division/country:us/state:fl/place:st_petersburg",
        source: "The city's common short name; Census Bureau place \"St. Petersburg city, Florida\" (FIPS 12-63000)",
    },
    PlaceAlias {
        names: &["dc", "washington dc", "washington d c"],
        id: "ocd-division/country:us/district:dc",
        source: "District of Columbia Home Rule Act, Pub. L. 93-198 (the District of Columbia, its seat the city of Washington)",
    },
];

/// How a text was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "as")]
pub enum ReadAs {
    /// An OCD division id (in any case).
    OcdId,
    /// The country, or a state or territory by code or name.
    State,
    /// A county or place by name.
    Name,
    /// A well-known short name.
    Alias {
        /// Where the short name comes from.
        source: &'static str,
    },
    /// An agency, read as the division whose rules bind it.
    Agency {
        /// The agency's name.
        name: String,
        /// Its ORI, when it has one.
        ori: Option<String>,
    },
    /// An id the gazetteer lacks that the caller's corpus has rules for.
    Corpus,
}

/// A text read as a division.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlaceReading {
    /// The OCD division id, lower case.
    pub id: String,
    /// The division in words: `Dallas, Texas`, `Harris County, Texas`, `Texas`; for a
    /// community, what it is read as: `Metairie, Louisiana (a community in Jefferson Parish with no
    /// police department of its own; its rules are the parish's)`.
    pub label: String,
    /// [`PlaceReading::label`] in Spanish (the names as the sources write them).
    #[serde(skip)]
    pub label_es: String,
    /// How the text was read.
    pub read_as: ReadAs,
    /// Other divisions of the same name, when the text named no state and this one is by far
    /// the largest (`Houston Police Department` is Houston, Texas; Houston, Missouri is here):
    /// see [`DOMINANT_RATIO`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub others: Vec<Candidate>,
}

/// A name without a state that several divisions share is read as the largest of them when its
/// police serve at least [`DOMINANT_MIN_THOUSANDS`] thousand people and either at least this
/// many times the people of the next (`Jacksonville`: Florida against North Carolina's 72,000),
/// or at least [`DOMINANT_RATIO_SMALL_NEXT`] times when the next is a place of fewer than
/// [`NOTABLE_THOUSANDS`] thousand (`Birmingham`: Alabama 200,000 against Michigan 21,000;
/// `Cleveland`, `Lexington`, `Norfolk`). Otherwise it stays ambiguous (`Portland`: Oregon
/// 631,000 against Maine's largest city, 70,000; `Columbus`, `Kansas City`, `Aurora`,
/// `Springfield`; `Arlington`: Texas, and Arlington, Virginia) and the error lists
/// them. The answer's note names the others and how to ask about one of them.
pub const DOMINANT_RATIO: u32 = 10;

/// See [`DOMINANT_RATIO`].
pub const DOMINANT_RATIO_SMALL_NEXT: u32 = 4;

/// A place of at least this many thousand people is one people name on its own (a state's
/// largest or second city, often), so a larger namesake elsewhere must dwarf it
/// [`DOMINANT_RATIO`] times to take its bare name. See [`DOMINANT_RATIO`].
pub const NOTABLE_THOUSANDS: u32 = 60;

/// See [`DOMINANT_RATIO`].
pub const DOMINANT_MIN_THOUSANDS: u32 = 100;

impl PlaceReading {
    /// A gazetteer entry, read as `read_as`.
    fn of(entry: &Entry, read_as: ReadAs) -> PlaceReading {
        PlaceReading {
            id: entry.id(),
            label: entry.label(),
            label_es: entry.label_es(),
            read_as,
            others: Vec::new(),
        }
    }

    /// A sentence on how `input` was read, when it was not an id or a state as written: for the
    /// note a command prints, so that a reading nobody meant is seen.
    pub fn note(&self, input: &str) -> Option<String> {
        let input = input.trim();
        let note = self.reading_note(input)?;
        Some(match self.others_phrase(|typed| format!("`{typed}`")) {
            Some(others) => format!("{note}, {others}"),
            None => note,
        })
    }

    /// For a reading chosen as the largest of several places: "the largest of 5 places of that
    /// name; for another, write it as `Dallas, OR` or ... and 1 more", each way of writing one
    /// quoted by `quote`.
    pub fn others_phrase(&self, quote: impl Fn(&str) -> String) -> Option<String> {
        if self.others.is_empty() {
            return None;
        }
        let shown: Vec<String> = self
            .others
            .iter()
            .take(3)
            .map(|c| quote(&c.typed))
            .collect();
        let more = self.others.len().saturating_sub(3);
        Some(format!(
            "the largest of {} places of that name; for another, write it as {}{}",
            self.others.len() + 1,
            shown.join(" or "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ))
    }

    fn reading_note(&self, input: &str) -> Option<String> {
        match &self.read_as {
            ReadAs::OcdId | ReadAs::Corpus if input == self.id => None,
            ReadAs::State => None,
            ReadAs::OcdId | ReadAs::Corpus => Some(format!("`{input}` read as `{}`", self.id)),
            ReadAs::Name | ReadAs::Alias { .. } => {
                Some(format!("`{input}` read as {} (`{}`)", self.label, self.id))
            }
            ReadAs::Agency { name, ori } => Some(format!(
                "`{input}` read as {name}{}, so the question is about the place whose rules bind it: {} (`{}`)",
                ori.as_deref()
                    .map(|o| format!(" ({o})"))
                    .unwrap_or_default(),
                self.label,
                self.id
            )),
        }
    }
}

/// A division a text may have meant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// The OCD division id.
    pub id: String,
    /// `Dallas, Texas`.
    pub label: String,
    /// How to write it so that it reads as this one: `Dallas, TX`, `Harris County, TX`.
    pub typed: String,
}

impl Candidate {
    fn of(entry: &Entry) -> Candidate {
        let typed = if entry.kind == PlaceKind::Whole {
            entry.state.code.to_string()
        } else {
            format!("{}, {}", entry.name(), entry.state.code)
        };
        Candidate {
            id: entry.id(),
            label: entry.label(),
            typed,
        }
    }

    fn line(&self) -> String {
        if self.typed == self.id {
            format!("`{}`: {}", self.id, self.label)
        } else {
            format!("`{}`: {} (`{}`)", self.typed, self.label, self.id)
        }
    }
}

/// Why a text does not read as one place.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlaceError {
    /// The text is empty.
    #[error("no place given")]
    Empty,
    /// An OCD id that does not parse.
    #[error("`{input}` is not a well-formed OCD division id: {why}")]
    Malformed {
        /// The text.
        input: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// A state that is none.
    #[error("`{input}` names no US state or territory")]
    UnknownState {
        /// The text.
        input: String,
        /// The state name closest to it, if one is close.
        suggestion: Option<String>,
    },
    /// A well-formed id the gazetteer lacks.
    #[error("`{input}` is not a county or place in Remit's gazetteer")]
    UnknownDivision {
        /// The text.
        input: String,
        /// Divisions it may have meant.
        candidates: Vec<Candidate>,
    },
    /// A name that matches no county or place.
    #[error("`{input}` names no US county or place that Remit knows")]
    Unknown {
        /// The text.
        input: String,
        /// Divisions it may have meant.
        candidates: Vec<Candidate>,
    },
    /// A name several places share.
    #[error("`{input}` could be any of {} places", candidates.len())]
    Ambiguous {
        /// The text.
        input: String,
        /// The places it could be.
        candidates: Vec<Candidate>,
    },
    /// Something that is not a place (an agency with no place, ...).
    #[error("`{input}` is {what}, not a place")]
    NotAPlace {
        /// The text.
        input: String,
        /// What it is instead.
        what: String,
    },
    /// An ORI the directory lacks.
    #[error("`{input}` is not the ORI of an agency in the directory")]
    UnknownOri {
        /// The text.
        input: String,
    },
}

/// How many candidates an ambiguous name lists.
const MAX_CANDIDATES: usize = 12;

impl PlaceError {
    /// Advice for the person who typed the text.
    pub fn help(&self) -> String {
        let examples = "write a city or county with its state (`Dallas, TX`, `Harris County, Texas`), a state (`CA`, `California`), or an OCD division id (`ocd-division/country:us/state:ca/place:los_angeles`)";
        match self {
            PlaceError::Empty | PlaceError::Malformed { .. } => examples.to_string(),
            PlaceError::UnknownState {
                suggestion: Some(s),
                ..
            } => format!("did you mean `{s}`?"),
            PlaceError::UnknownState { .. } => {
                "use a two-letter state code such as `TX`".to_string()
            }
            PlaceError::UnknownDivision { candidates, .. } | PlaceError::Unknown { candidates, .. } => {
                match candidates.as_slice() {
                    [] => examples.to_string(),
                    [one] => format!("did you mean {}?", one.line()),
                    many => format!(
                        "did you mean one of these?\n{}",
                        many.iter()
                            .map(|c| format!("  {}", c.line()))
                            .collect::<Vec<_>>()
                            .join("\n")
                    ),
                }
            }
            PlaceError::Ambiguous { candidates, .. } => {
                let mut help = format!(
                    "say which, for example with its state:\n{}",
                    candidates
                        .iter()
                        .take(MAX_CANDIDATES)
                        .map(|c| format!("  {}", c.line()))
                        .collect::<Vec<_>>()
                        .join("\n")
                );
                if candidates.len() > MAX_CANDIDATES {
                    help.push_str(&format!(
                        "\n  and {} more",
                        candidates.len() - MAX_CANDIDATES
                    ));
                }
                help
            }
            PlaceError::NotAPlace { .. } => {
                format!("name the place to ask about instead: {examples}")
            }
            PlaceError::UnknownOri { .. } => "the built-in directory is a sample: `remit agencies import` the FBI list to know every ORI, or name the place".to_string(),
        }
    }

    /// The places the text may have meant, most likely first.
    pub fn candidates(&self) -> &[Candidate] {
        match self {
            PlaceError::UnknownDivision { candidates, .. }
            | PlaceError::Unknown { candidates, .. }
            | PlaceError::Ambiguous { candidates, .. } => candidates,
            _ => &[],
        }
    }
}

/// Makes an agency resolver when a text needs one.
type LoadResolver<'a> = Box<dyn Fn() -> Option<Resolver> + 'a>;
/// Whether an OCD id is one the caller knows.
type KnownId<'a> = Box<dyn Fn(&str) -> bool + 'a>;

/// Reads places. Cheap to make: the gazetteer is read once per process, on first use.
pub struct PlaceReader<'a> {
    resolver: OnceCell<Option<Resolver>>,
    load_resolver: Option<LoadResolver<'a>>,
    known: Option<KnownId<'a>>,
}

impl fmt::Debug for PlaceReader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlaceReader")
            .field("resolver", &self.resolver.get().map(Option::is_some))
            .field("load_resolver", &self.load_resolver.is_some())
            .field("known", &self.known.is_some())
            .finish()
    }
}

impl Default for PlaceReader<'_> {
    fn default() -> Self {
        PlaceReader::new()
    }
}

impl<'a> PlaceReader<'a> {
    /// A reader with the gazetteer only.
    pub fn new() -> PlaceReader<'a> {
        PlaceReader {
            resolver: OnceCell::new(),
            load_resolver: None,
            known: None,
        }
    }

    /// Also reads ORIs and agency names the gazetteer alone cannot place, with this resolver.
    pub fn with_resolver(self, resolver: &Resolver) -> PlaceReader<'a> {
        let cell = OnceCell::new();
        let _ = cell.set(Some(resolver.clone()));
        PlaceReader {
            resolver: cell,
            ..self
        }
    }

    /// As [`PlaceReader::with_resolver`], with a resolver made only if a text needs one (loading
    /// a directory takes longer than reading most places).
    pub fn with_resolver_from(self, load: impl Fn() -> Option<Resolver> + 'a) -> PlaceReader<'a> {
        PlaceReader {
            load_resolver: Some(Box::new(load)),
            ..self
        }
    }

    /// Also accepts the OCD ids for which `known` is true (the ids a corpus has rules for), even
    /// where the gazetteer lacks them.
    pub fn with_known_ids(self, known: impl Fn(&str) -> bool + 'a) -> PlaceReader<'a> {
        PlaceReader {
            known: Some(Box::new(known)),
            ..self
        }
    }

    fn resolver(&self) -> Option<&Resolver> {
        self.resolver
            .get_or_init(|| self.load_resolver.as_ref().and_then(|load| load()))
            .as_ref()
    }

    /// Reads `text` as one division (see the module's documentation for the order).
    pub fn read(&self, text: &str) -> Result<PlaceReading, PlaceError> {
        let input = text.trim();
        if input.is_empty() {
            return Err(PlaceError::Empty);
        }
        // 1. OCD ids, in any case.
        if input
            .get(..13)
            .is_some_and(|p| p.eq_ignore_ascii_case("ocd-division/"))
            || input.contains('/')
            || input.contains(':')
        {
            return self.read_ocd(input);
        }
        // 2. The country, a state.
        if let Some(reading) = country_or_state(input) {
            return Ok(reading);
        }
        // 3. Short names.
        let key = gazetteer::key(input);
        if let Some(alias) = PLACE_ALIASES
            .iter()
            .find(|a| a.names.contains(&key.as_str()))
        {
            if let Some(entry) = gazetteer().by_id(alias.id) {
                return Ok(PlaceReading::of(
                    entry,
                    ReadAs::Alias {
                        source: alias.source,
                    },
                ));
            }
        }
        // 4. An ORI.
        let upper = input.to_ascii_uppercase();
        if is_ori(&upper) && upper.bytes().any(|b| b.is_ascii_digit()) {
            return self.read_ori(input, &upper);
        }
        // 5. Names of places, with their state or not.
        let readings = split_state(input)?;
        for (name, state) in &readings {
            let found = by_name(name, *state);
            if let Some(reading) = county_over_places(name, *state, &found) {
                return Ok(reading);
            }
            if !found.is_empty() {
                return one(input, found, |entry| PlaceReading::of(entry, ReadAs::Name));
            }
        }
        // 6. Names of agencies: short names and nicknames first (`LAPD`, `Portland Police
        // Bureau`), then the words.
        if let Some(named) = named_agency(&key) {
            return self.read_named(input, named);
        }
        // `Unified Police, UT`: a short name with its state.
        for (name, state) in &readings {
            let Some(state) = state else {
                continue;
            };
            if let Some(named) =
                named_agency(&gazetteer::key(name)).filter(|n| n.state == state.code)
            {
                return self.read_named(input, named);
            }
        }
        for (name, state) in &readings {
            if let Some(reading) = self.read_agency(input, name, *state)? {
                return Ok(reading);
            }
        }
        if let Some(reading) = self.read_with_resolver(input)? {
            return Ok(reading);
        }
        // Other word orders people write: `Sheriff of Cook County`, `County of Los Angeles`,
        // `Township of Cherry Hill`, `Bexar Co`.
        if let Some(rewritten) = reordered(input) {
            if let Ok(reading) = self.read(&rewritten) {
                return Ok(reading);
            }
        }
        // Nothing: the nearest state for a word close to a state's name, else the nearest names.
        let (name, state) = readings
            .last()
            .cloned()
            .unwrap_or((input.to_string(), None));
        if state.is_none() {
            if let Some(suggestion) = closest_state(input) {
                return Err(PlaceError::UnknownState {
                    input: input.to_string(),
                    suggestion: Some(suggestion),
                });
            }
        }
        let candidates: Vec<Candidate> = gazetteer()
            .closest(&name, state, 5)
            .into_iter()
            .map(Candidate::of)
            .collect();
        Err(PlaceError::Unknown {
            input: input.to_string(),
            candidates,
        })
    }

    /// An OCD id: lower-cased, well formed, and in the gazetteer or known to the caller.
    fn read_ocd(&self, input: &str) -> Result<PlaceReading, PlaceError> {
        let id = input.to_ascii_lowercase();
        let malformed = |why| PlaceError::Malformed {
            input: input.to_string(),
            why,
        };
        let rest = id
            .strip_prefix("ocd-division/")
            .ok_or_else(|| malformed("it must start with `ocd-division/`"))?;
        let mut segments = rest.split('/');
        if segments.next() != Some("country:us") {
            return Err(malformed("the first segment must be `country:us`"));
        }
        let mut depth = 0;
        for (position, segment) in segments.enumerate() {
            depth = position + 1;
            let (kind, name) = segment
                .split_once(':')
                .ok_or_else(|| malformed("each segment must be `type:id`"))?;
            let allowed = |s: &str, extra: &[u8]| {
                !s.is_empty()
                    && s.bytes().all(|b| {
                        b.is_ascii_lowercase()
                            || b.is_ascii_digit()
                            || b == b'_'
                            || extra.contains(&b)
                    })
            };
            if !allowed(kind, b"") {
                return Err(malformed("segment types are words such as `state`"));
            }
            if !allowed(name, b"-.~") {
                return Err(malformed(
                    "segment ids use letters, digits, `_`, `-`, `.` and `~`",
                ));
            }
            if position == 0 {
                let state = states::by_code_ignore_case(name)
                    .filter(|s| state_id(s) == format!("ocd-division/country:us/{segment}"));
                if state.is_none() {
                    return Err(PlaceError::UnknownState {
                        input: name.to_string(),
                        suggestion: None,
                    });
                }
            }
        }
        if depth <= 1 {
            let (label, label_es) =
                match states::by_code_ignore_case(id.rsplit(':').next().unwrap_or("")) {
                    Some(state) if depth == 1 => (state.name.to_string(), state.name.to_string()),
                    _ => (
                        "the United States".to_string(),
                        "Estados Unidos".to_string(),
                    ),
                };
            return Ok(PlaceReading {
                id,
                label,
                label_es,
                read_as: ReadAs::OcdId,
                others: Vec::new(),
            });
        }
        if let Some(entry) = gazetteer().by_id(&id) {
            return Ok(PlaceReading {
                id,
                label: entry.label(),
                label_es: entry.label_es(),
                read_as: ReadAs::OcdId,
                others: Vec::new(),
            });
        }
        if self.known.as_ref().is_some_and(|known| known(&id)) {
            return Ok(PlaceReading {
                label: id.clone(),
                label_es: id.clone(),
                id,
                read_as: ReadAs::Corpus,
                others: Vec::new(),
            });
        }
        Err(PlaceError::UnknownDivision {
            input: input.to_string(),
            candidates: gazetteer()
                .closest_ids(&id, 5)
                .into_iter()
                .map(|entry| Candidate {
                    typed: entry.id(),
                    ..Candidate::of(entry)
                })
                .collect(),
        })
    }

    /// An agency of the named-agencies file (`LAPD`, `CHP`).
    fn read_named(&self, input: &str, named: &NamedAgency) -> Result<PlaceReading, PlaceError> {
        let state = states::by_code(&named.state);
        let agency = ReadAs::Agency {
            name: named.name.clone(),
            ori: named.ori.clone(),
        };
        if named.level == "state" {
            if let Some(state) = state {
                return Ok(state_reading(state, agency));
            }
        }
        if let Some(entry) = named.division.as_deref().and_then(|d| gazetteer().by_id(d)) {
            return Ok(PlaceReading::of(entry, agency));
        }
        // The kind the file gives; the place from the name's words, else its first words
        // (`Portland Police Bureau`: the parser takes `Bureau` for a state agency's word).
        let parsed = parse::parse(&named.name);
        let kind = AgencyKind::from_word(&named.kind).or(parsed.kind);
        let mut found = agency_divisions(kind, &parsed.place, parsed.county, state);
        let words: Vec<&str> = named.name.split_whitespace().collect();
        for count in (1..words.len()).rev() {
            if !found.is_empty() {
                break;
            }
            found = agency_divisions(kind, &words[..count].join(" "), parsed.county, state);
        }
        one(input, found, |entry| {
            PlaceReading::of(entry, agency.clone())
        })
    }

    /// An FBI ORI, through the agency directory.
    fn read_ori(&self, input: &str, ori: &str) -> Result<PlaceReading, PlaceError> {
        let unknown = || PlaceError::UnknownOri {
            input: input.to_string(),
        };
        let resolver = self.resolver().ok_or_else(unknown)?;
        let agency = resolver.directory().by_ori(ori).ok_or_else(unknown)?;
        let read_as = ReadAs::Agency {
            name: agency.name.trim_end_matches([',', ':']).to_string(),
            ori: Some(agency.ori.clone()),
        };
        let Some(state) = agency.state.as_deref().and_then(states::by_code) else {
            return Err(PlaceError::NotAPlace {
                input: input.to_string(),
                what: format!("the ORI of {}, a federal agency", agency.name),
            });
        };
        let found: Vec<&Entry> = match agency.agency_type.as_str() {
            "City" => build::place_name(state.code, &agency.name)
                .map(|name| {
                    gazetteer()
                        .named(&name, Some(state))
                        .into_iter()
                        .filter(|e| e.kind.is_city())
                        .collect()
                })
                .unwrap_or_default(),
            "County" => {
                let county = agency
                    .county
                    .as_deref()
                    .and_then(|c| c.split(',').next())
                    .unwrap_or(&agency.name);
                gazetteer()
                    .loosely_named(county, Some(state))
                    .into_iter()
                    .filter(|e| e.kind.is_county_level())
                    .collect()
            }
            _ => Vec::new(),
        };
        match found.as_slice() {
            [entry] => Ok(PlaceReading::of(entry, read_as)),
            // A state agency, or a local one whose city or county cannot be told: its state.
            _ => Ok(state_reading(state, read_as)),
        }
    }

    /// A name with agency words (`Dallas PD`, `Harris County Sheriff's Office`): `Ok(None)` when
    /// the words are not an agency's, or the gazetteer finds no division for it.
    fn read_agency(
        &self,
        input: &str,
        name: &str,
        state: Option<&'static State>,
    ) -> Result<Option<PlaceReading>, PlaceError> {
        // `Harris County Constable Precinct 1`: the precinct's county.
        let name = without_precinct(name);
        let parsed = parse::parse(name);
        if parsed.kind_words.is_empty() || parsed.kind.is_none() {
            return Ok(None);
        }
        let state = state.or_else(|| parsed.state.and_then(states::by_code));
        let agency_name = self
            .resolver()
            .map(|r| r.resolve(name, state.map(|s| s.code)))
            .filter(|r| r.confidence >= crate::law::SURE_ENOUGH && r.agency_id.is_some());
        let read_as = match &agency_name {
            Some(resolution) => ReadAs::Agency {
                name: resolution.name.clone(),
                ori: resolution.ori.clone(),
            },
            None => ReadAs::Agency {
                name: parsed.display.clone(),
                ori: None,
            },
        };
        if matches!(
            parsed.kind,
            Some(AgencyKind::FederalAgency | AgencyKind::Military)
        ) || parsed.federal_marker
        {
            return Err(PlaceError::NotAPlace {
                input: input.to_string(),
                what: "a federal agency".to_string(),
            });
        }
        if parsed.state_level || parsed.kind == Some(AgencyKind::StatePolice) {
            return Ok(state.map(|s| state_reading(s, read_as)));
        }
        // `Susquehanna Township, Dauphin County Police Department`: a township's police named
        // with its county; the words before the agency's are a place and its county.
        if name.contains(',')
            && matches!(parsed.kind, Some(AgencyKind::PoliceDepartment))
            && let Some(head) = strip_suffix_any_case(name.trim(), &parsed.kind_words)
        {
            let found: Vec<&Entry> = by_name(head.trim_end_matches([' ', ',']), state)
                .into_iter()
                .filter(|e| e.kind == PlaceKind::Place)
                .collect();
            if !found.is_empty() {
                return one(input, found, |entry| {
                    PlaceReading::of(entry, read_as.clone())
                })
                .map(Some);
            }
        }
        let mut found = agency_divisions(parsed.kind, &parsed.place, parsed.county, state);
        if found.is_empty() {
            // `Indianapolis Metropolitan Police`, `St. Louis Metro PD`: a city's police named
            // metropolitan.
            if let Some(city) = strip_suffix_words(&parsed.place, &["metropolitan", "metro"]) {
                found = agency_divisions(parsed.kind, city, parsed.county, state);
            }
        }
        if found.is_empty() {
            return Ok(None);
        }
        // With no state given, an agency the resolver is sure of settles which one.
        if found.len() > 1 {
            if let Some(resolution) = &agency_name {
                let division = crate::law::division(resolution);
                if let Some(entry) = found.iter().find(|e| Some(e.id()) == division) {
                    return Ok(Some(PlaceReading::of(entry, read_as)));
                }
            }
        }
        one(input, found, |entry| {
            PlaceReading::of(entry, read_as.clone())
        })
        .map(Some)
    }

    /// What the agency resolver is sure of, when its division is a known one.
    fn read_with_resolver(&self, input: &str) -> Result<Option<PlaceReading>, PlaceError> {
        let Some(resolver) = self.resolver() else {
            return Ok(None);
        };
        let resolution = resolver.resolve(input, None);
        if resolution.confidence < crate::law::SURE_ENOUGH {
            return Ok(None);
        }
        if resolution.class == crate::AgencyClass::Federal {
            return Err(PlaceError::NotAPlace {
                input: input.to_string(),
                what: format!("{}, a federal agency", resolution.name),
            });
        }
        let Some(division) = crate::law::division(&resolution) else {
            return Ok(None);
        };
        let read_as = ReadAs::Agency {
            name: resolution.name.clone(),
            ori: resolution.ori.clone(),
        };
        if let Some(entry) = gazetteer().by_id(&division) {
            return Ok(Some(PlaceReading::of(entry, read_as)));
        }
        Ok(resolution
            .state
            .as_deref()
            .and_then(states::by_code)
            .filter(|s| state_id(s) == division)
            .map(|s| state_reading(s, read_as)))
    }
}

/// Reads `text` with the gazetteer only (no agency directory, no corpus): see [`PlaceReader`].
pub fn read_place(text: &str) -> Result<PlaceReading, PlaceError> {
    PlaceReader::new().read(text)
}

/// One entry, or the error for none or several.
fn one(
    input: &str,
    found: Vec<&Entry>,
    reading: impl Fn(&Entry) -> PlaceReading,
) -> Result<PlaceReading, PlaceError> {
    let mut found = found;
    found.sort_by(|a, b| {
        b.population
            .cmp(&a.population)
            .then_with(|| a.state.code.cmp(b.state.code))
            .then_with(|| a.id().cmp(&b.id()))
    });
    // A community and its county are one division (`Arlington, VA`).
    let mut seen = std::collections::HashSet::new();
    found.retain(|e| seen.insert(e.id()));
    if let Some((first, rest)) = dominant(&found) {
        let mut chosen = reading(first);
        chosen.others = rest.iter().map(|e| Candidate::of(e)).collect();
        return Ok(chosen);
    }
    match found.as_slice() {
        [entry] => Ok(reading(entry)),
        [] => Err(PlaceError::Unknown {
            input: input.to_string(),
            candidates: Vec::new(),
        }),
        many => Err(PlaceError::Ambiguous {
            input: input.to_string(),
            candidates: many.iter().map(|e| Candidate::of(e)).collect(),
        }),
    }
}

/// How many thousand people a division's police serve: a place's own figure; a county's, its
/// own police's (the sheriff's or county police's, mostly outside its cities) and the sum of
/// the places that lie in it.
fn served(entry: &Entry) -> u32 {
    if !entry.kind.is_county_level() || entry.kind == PlaceKind::IndependentCity {
        return entry.population;
    }
    let Some(county) = entry.fips().into_iter().next() else {
        return entry.population;
    };
    gazetteer()
        .entries()
        .iter()
        .filter(|e| {
            std::ptr::eq(e.state, entry.state)
                && e.kind == PlaceKind::Place
                && e.fips().contains(&county)
        })
        .map(|e| e.population)
        .sum::<u32>()
        .saturating_add(entry.population)
}

/// The largest of several divisions and the rest, when it dwarfs the next ([`DOMINANT_RATIO`]).
fn dominant<'e>(found: &[&'e Entry]) -> Option<(&'e Entry, Vec<&'e Entry>)> {
    if found.len() < 2 {
        return None;
    }
    let mut sized: Vec<(u32, &Entry)> = found.iter().map(|e| (served(e), *e)).collect();
    sized.sort_by_key(|s| std::cmp::Reverse(s.0));
    let (top, first) = sized[0];
    let next = sized[1].0;
    // The largest place among the others that people name on its own, if any.
    let notable = sized[1..]
        .iter()
        .filter(|(people, e)| !e.kind.is_county_level() && *people >= NOTABLE_THOUSANDS)
        .map(|(people, _)| *people)
        .max()
        .unwrap_or(0);
    (top >= DOMINANT_MIN_THOUSANDS
        && top >= next.saturating_mul(DOMINANT_RATIO_SMALL_NEXT)
        && top >= notable.saturating_mul(DOMINANT_RATIO))
    .then(|| (first, sized[1..].iter().map(|(_, e)| *e).collect()))
}

fn state_reading(state: &'static State, read_as: ReadAs) -> PlaceReading {
    PlaceReading {
        id: state_id(state),
        label: state.name.to_string(),
        label_es: state.name.to_string(),
        read_as,
        others: Vec::new(),
    }
}

/// `US`, `United States`, a state code or name.
fn country_or_state(input: &str) -> Option<PlaceReading> {
    let key = gazetteer::key(input);
    if matches!(
        key.as_str(),
        "us" | "usa" | "united states" | "united states of america"
    ) {
        return Some(PlaceReading {
            id: "ocd-division/country:us".to_string(),
            label: "the United States".to_string(),
            label_es: "Estados Unidos".to_string(),
            read_as: ReadAs::State,
            others: Vec::new(),
        });
    }
    states::parse(input).map(|state| state_reading(state, ReadAs::State))
}

/// The state name closest to a mistyped one (`Californa`), if one is close.
fn closest_state(input: &str) -> Option<String> {
    let wanted = input.trim().to_lowercase();
    states::STATES
        .iter()
        .map(|s| (strsim::jaro_winkler(&wanted, &s.name.to_lowercase()), s))
        .filter(|(score, _)| *score >= 0.88)
        .max_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal))
        .map(|(_, s)| s.name.to_string())
}

/// The ways to split a text into a name and a state, in the order to try them: `Name, State`
/// and `Name (ST)` one way; `Name ST` and `Name State` first whole (`Port Washington` is a
/// place), then without the trailing state. A comma or brackets before a word that should be
/// a state and is not is an error.
fn split_state(input: &str) -> Result<Vec<(String, Option<&'static State>)>, PlaceError> {
    let unknown_state = |text: &str| PlaceError::UnknownState {
        input: text.to_string(),
        suggestion: closest_state(text),
    };
    if let Some((name, code)) = input
        .strip_suffix(')')
        .and_then(|rest| rest.rsplit_once('('))
    {
        return match states::parse_written(code) {
            Some(state) => Ok(vec![(name.trim().to_string(), Some(state))]),
            None => Err(unknown_state(code.trim())),
        };
    }
    if let Some((name, tail)) = input.rsplit_once(',') {
        let tail = tail.trim();
        if let Some(state) = states::parse_written(tail) {
            return Ok(vec![(name.trim().to_string(), Some(state))]);
        }
        let looks_like_code = tail.len() == 2 && tail.chars().all(|c| c.is_ascii_alphabetic());
        if looks_like_code || (closest_state(tail).is_some() && !tail.contains(' ')) {
            return Err(unknown_state(tail));
        }
        // `Washington Township, Bergen County`: the comma is the name's (and a state may
        // follow it without one: `Clay Township, Montgomery County PD OH`).
    }
    let mut readings = vec![(input.to_string(), None)];
    let words: Vec<&str> = input.split_whitespace().collect();
    for count in (1..=3).rev() {
        if words.len() <= count {
            continue;
        }
        let (name, tail) = words.split_at(words.len() - count);
        if let Some(state) = states::parse(&tail.join(" ")) {
            readings.push((name.join(" "), Some(state)));
            break;
        }
    }
    Ok(readings)
}

/// Counties and places named `name` in `state` (if given): full names first (`Dallas`, `Harris
/// County`, `Moon Township`), then looser ones (`Moon`, `Harris`); `Place, X County` keeps the
/// places of that name in that county.
fn by_name(name: &str, state: Option<&State>) -> Vec<&'static Entry> {
    // `The Woodlands` is a name of its own; `The City of Boston` is Boston.
    let whole = gazetteer().named(name.trim(), state);
    if !whole.is_empty() && !name.contains(',') {
        return whole;
    }
    let name = strip_prefix_words(name.trim(), &["city of", "town of", "village of", "the"]);
    let name = strip_prefix_words(name, &["city of", "town of", "village of"]);
    if let Some((place, whole)) = name.rsplit_once(',') {
        // `Washington Township, Bergen County`, `Metairie, Jefferson Parish`: a place or a
        // community in a county of that name; `Hollywood, Los Angeles`: a part of that city.
        let mut wholes = gazetteer().named(whole.trim(), state);
        if wholes.is_empty() {
            // `Brooklyn, NYC`: a short name of the city.
            let key = gazetteer::key(whole);
            wholes.extend(
                PLACE_ALIASES
                    .iter()
                    .filter(|a| a.names.contains(&key.as_str()))
                    .filter_map(|a| gazetteer().by_id(a.id)),
            );
        }
        let counties: Vec<(&str, String)> = wholes
            .iter()
            .filter(|e| e.kind.is_county_level())
            .flat_map(|e| e.fips().into_iter().map(|f| (e.state.code, f)))
            .collect();
        let cities: Vec<String> = wholes
            .iter()
            .filter(|e| e.kind.is_city())
            .map(|e| e.id())
            .collect();
        return by_name(place, state)
            .into_iter()
            .filter(|e| {
                let in_county = matches!(e.kind, PlaceKind::Place | PlaceKind::Community)
                    && e.fips()
                        .into_iter()
                        .any(|f| counties.contains(&(e.state.code, f)));
                let part_of_city = e.kind == PlaceKind::Community && cities.contains(&e.id());
                in_county || part_of_city
            })
            .collect();
    }
    let found = gazetteer().named(name, state);
    if !found.is_empty() {
        return found;
    }
    gazetteer().loosely_named(name, state)
}

/// A bare name that is some places' and also a county's (`Westchester`: Westchester County, New
/// York, and villages in Illinois and Florida; `Maricopa`: the county of Phoenix and a city in
/// Pinal County) reads as the county when the county dwarfs every other division of the name by
/// the people served ([`DOMINANT_RATIO`]; a county counts its own police's and its places'),
/// and no place of the name lies in it (`Dallas` is the city, not Dallas County). Otherwise
/// `None`, and the places are weighed alone: a bare name is a city first, and a county does not
/// stand in the way of one (`Miami`, not Miami County, Ohio; `El Paso`, not El Paso County,
/// Colorado). With its state, a name is the place of that name there, and the county's name
/// reads as the county only where no place has it (`Westchester, NY`).
fn county_over_places(
    name: &str,
    state: Option<&State>,
    places: &[&'static Entry],
) -> Option<PlaceReading> {
    let a_county_by_its_full_name = places
        .iter()
        .any(|e| e.kind.is_county_level() && e.kind != PlaceKind::IndependentCity);
    // With its state, a name is the place of that name there (`Maricopa, AZ`, the city).
    if places.is_empty() || a_county_by_its_full_name || state.is_some() {
        return None;
    }
    let counties: Vec<&'static Entry> = gazetteer()
        .loosely_named(name, state)
        .into_iter()
        .filter(|e| e.kind.is_county_level() && e.kind != PlaceKind::IndependentCity)
        .collect();
    if counties.is_empty() {
        return None;
    }
    let mut all = counties;
    all.extend(places.iter().copied());
    let (first, rest) = dominant(&all)?;
    let first_fips = first.fips();
    let holds_a_namesake = places
        .iter()
        .any(|p| p.fips().iter().any(|f| first_fips.contains(f)));
    if !first.kind.is_county_level() || holds_a_namesake {
        return None;
    }
    let mut reading = PlaceReading::of(first, ReadAs::Name);
    let mut seen = std::collections::HashSet::from([reading.id.clone()]);
    reading.others = rest
        .into_iter()
        .filter(|e| seen.insert(e.id()))
        .map(Candidate::of)
        .collect();
    Some(reading)
}

/// `name` without a trailing precinct or district number (`Precinct 1`, `Pct. 4`, `District 2`),
/// which names a part of a county's constables or a city's police, not another place.
fn without_precinct(name: &str) -> &str {
    let words: Vec<&str> = name.split_whitespace().collect();
    if let [head @ .., word, number] = words.as_slice() {
        let word = word.trim_end_matches('.').to_ascii_lowercase();
        let numbered = number
            .trim_start_matches('#')
            .chars()
            .all(|c| c.is_ascii_digit())
            && !number.trim_start_matches('#').is_empty();
        if numbered
            && matches!(word.as_str(), "precinct" | "pct" | "district" | "dist")
            && !head.is_empty()
        {
            if let Some(at) = name.rfind(words[words.len() - 2]) {
                return name[..at].trim_end().trim_end_matches(',');
            }
        }
    }
    name
}

/// `name` without one of `suffixes` (a whole last word, any case) at its end, if it has one.
fn strip_suffix_words<'t>(name: &'t str, suffixes: &[&str]) -> Option<&'t str> {
    let (head, last) = name.trim().rsplit_once(' ')?;
    suffixes
        .iter()
        .any(|s| last.eq_ignore_ascii_case(s))
        .then(|| head.trim_end())
}

/// `text` in the word order the readers above know, when it is written another way: an office
/// before its county (`Sheriff of Cook County`, `Sheriff's Office of Orange County, FL`: `Cook
/// County Sheriff's Office`), a division's word before its name (`County of Los Angeles`,
/// `Township of Cherry Hill, NJ`, `Borough of State College`), or `Co`/`Co.` for `County` at the
/// end (`Bexar Co`). `None` when none of these applies.
fn reordered(text: &str) -> Option<String> {
    let (name, state) = match text.rsplit_once(',') {
        Some((name, tail)) if states::parse_written(tail.trim()).is_some() => {
            (name.trim(), format!(", {}", tail.trim()))
        }
        _ => (text.trim(), String::new()),
    };
    let offices = [
        "office of the sheriff of",
        "sheriff's office of",
        "sheriffs office of",
        "sheriff of",
    ];
    for office in offices {
        let rest = strip_prefix_words(name, &[office]);
        if rest.len() < name.len() {
            return Some(format!("{rest} Sheriff's Office{state}"));
        }
    }
    for word in ["County", "Parish", "Township", "Borough"] {
        let prefix = format!("{} of", word.to_ascii_lowercase());
        let rest = strip_prefix_words(name, &[prefix.as_str()]);
        if rest.len() < name.len() {
            return Some(format!("{rest} {word}{state}"));
        }
    }
    let without_dot = name.strip_suffix('.').unwrap_or(name);
    if let Some(head) = strip_suffix_words(without_dot, &["co"]) {
        return Some(format!("{head} County{state}"));
    }
    None
}

/// `text` without `suffix` (in any case) at its end.
fn strip_suffix_any_case<'t>(text: &'t str, suffix: &str) -> Option<&'t str> {
    let at = text.len().checked_sub(suffix.len())?;
    text.get(at..)
        .filter(|tail| tail.eq_ignore_ascii_case(suffix))
        .and_then(|_| text.get(..at))
}

/// `name` without one of `prefixes` (whole words, any case) at its start.
fn strip_prefix_words<'t>(name: &'t str, prefixes: &[&str]) -> &'t str {
    for prefix in prefixes {
        if let Some(head) = name.get(..prefix.len()) {
            if head.eq_ignore_ascii_case(prefix) && name[prefix.len()..].starts_with(' ') {
                return name[prefix.len()..].trim_start();
            }
        }
    }
    name
}

/// The divisions an agency's name points to, as [`crate::law::division`] maps kinds: a city's
/// police, marshal or government its city; a sheriff, prosecutor, jail or county police its
/// county (a sheriff of a city that is its own county, its city).
fn agency_divisions(
    kind: Option<AgencyKind>,
    place: &str,
    county: bool,
    state: Option<&State>,
) -> Vec<&'static Entry> {
    use AgencyKind as K;
    let Some(kind) = kind else {
        return Vec::new();
    };
    if place.is_empty() {
        return Vec::new();
    }
    let county_kinds = matches!(
        kind,
        K::Sheriff | K::Prosecutor | K::Probation | K::Corrections
    );
    let city_kinds = matches!(
        kind,
        K::PoliceDepartment | K::Marshal | K::Constable | K::LocalGovernment
    );
    let g = gazetteer();
    if county && (county_kinds || city_kinds) {
        let mut found: Vec<&Entry> = g
            .named(place, state)
            .into_iter()
            .filter(|e| e.kind.is_county_level())
            .collect();
        if found.is_empty() {
            found = g
                .loosely_named(place, state)
                .into_iter()
                .filter(|e| e.kind.is_county_level())
                .collect();
        }
        // `Montgomery County Police Department`: of the counties of the name, those that have a
        // county police department (Maryland's), when any has.
        if kind == K::PoliceDepartment && found.iter().any(|e| e.county_police) {
            found.retain(|e| e.county_police);
        }
        return found;
    }
    if city_kinds {
        let found: Vec<&Entry> = g
            .named(place, state)
            .into_iter()
            .filter(|e| e.kind.is_city())
            .collect();
        if !found.is_empty() {
            return found;
        }
        let found: Vec<&Entry> = g
            .loosely_named(place, state)
            .into_iter()
            .filter(|e| e.kind.is_city())
            .collect();
        if !found.is_empty() {
            return found;
        }
        // `Miami Dade PD`: no city has the name, a county does (its own police).
        return g
            .loosely_named(place, state)
            .into_iter()
            .filter(|e| e.kind.is_county_level() && e.kind != PlaceKind::IndependentCity)
            .collect();
    }
    if county_kinds {
        // `San Francisco Sheriff`, `Richmond City Sheriff's Office`.
        let mut found: Vec<&Entry> = g
            .named(place, state)
            .into_iter()
            .filter(|e| matches!(e.kind, PlaceKind::IndependentCity | PlaceKind::Whole))
            .collect();
        if found.is_empty() {
            found = g
                .loosely_named(place, state)
                .into_iter()
                .filter(|e| e.kind.is_county_level() && e.kind != PlaceKind::IndependentCity)
                .collect();
        }
        return found;
    }
    Vec::new()
}

/// The named-agencies file's entry whose name, alias or acronym is the whole of `key`.
fn named_agency(key: &str) -> Option<&'static NamedAgency> {
    static NAMED: OnceLock<Vec<(Vec<String>, NamedAgency)>> = OnceLock::new();
    let named = NAMED.get_or_init(|| {
        // INVARIANT: the shipped file is checked by the crate's tests; should it not read, no
        // name reads as a named agency.
        aliases::parse_named(aliases::NAMED_AGENCIES_TOML)
            .unwrap_or_default()
            .into_iter()
            .map(|agency| {
                let keys = std::iter::once(&agency.name)
                    .chain(&agency.aliases)
                    .chain(&agency.acronyms)
                    .map(|name| gazetteer::key(name))
                    .collect();
                (keys, agency)
            })
            .collect()
    });
    named
        .iter()
        .find(|(keys, _)| keys.iter().any(|k| k == key))
        .map(|(_, agency)| agency)
}

/// The letter without its accent (`ñ` -> `n`), for ids and keys.
pub fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'A',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'Í' | 'Ì' | 'Î' | 'Ï' => 'I',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'O',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'Ú' | 'Ù' | 'Û' | 'Ü' => 'U',
        'ñ' => 'n',
        'Ñ' => 'N',
        'ç' => 'c',
        'Ç' => 'C',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_short_name_reads_as_its_place_and_hides_no_other() {
        for alias in PLACE_ALIASES {
            assert!(
                gazetteer().by_id(alias.id).is_some(),
                "{} is not in the gazetteer",
                alias.id
            );
            for name in alias.names {
                assert_eq!(
                    gazetteer::key(name),
                    *name,
                    "`{name}` is not written as a key"
                );
                assert!(
                    gazetteer().named(name, None).is_empty(),
                    "`{name}` is also the name of a place, which the short name would hide"
                );
                let reading = read_place(name).map(|r| r.id);
                assert_eq!(reading.as_deref(), Ok(alias.id), "`{name}`");
            }
        }
        assert_eq!(
            read_place("LA County").map(|r| r.id).as_deref(),
            Ok("ocd-division/country:us/state:ca/county:los_angeles")
        );
        assert_eq!(
            read_place("St. Pete").map(|r| r.id).as_deref(),
            Ok("ocd-division/country:us/state:fl/place:st_petersburg")
        );
        // `LA` alone is Louisiana.
        assert_eq!(
            read_place("LA").map(|r| r.id).as_deref(),
            Ok("ocd-division/country:us/state:la")
        );
    }

    #[test]
    fn precinct_numbers_are_left_out() {
        assert_eq!(
            without_precinct("Harris County Constable Precinct 1"),
            "Harris County Constable"
        );
        assert_eq!(
            without_precinct("Harris County Constable, Pct. 4"),
            "Harris County Constable"
        );
        assert_eq!(without_precinct("District Heights"), "District Heights");
        assert_eq!(without_precinct("Precinct 1"), "Precinct 1");
        assert_eq!(
            strip_suffix_words("Indianapolis Metropolitan", &["metropolitan"]),
            Some("Indianapolis")
        );
        assert_eq!(strip_suffix_words("Indianapolis", &["metropolitan"]), None);
    }
}
