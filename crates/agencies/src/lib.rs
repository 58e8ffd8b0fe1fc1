//! remit-agencies: who is "El Cajon PD ( CA)"?
//!
//! Every record Remit reads names agencies the way the releasing system writes them: Flock
//! organisation names (`El Cajon CA PD`, `Anoka County MN SO`, `U.S. Border Patrol [Federal]`),
//! transparency-portal names (`El Cajon PD ( CA)`), ICE 287(g) sheet names (`City of Boca Raton
//! Police Department` under state `FLORIDA`), sharing lists (`Tombstone Marshals Office (AZ)`,
//! `NYS Crime Analysis Center Network`, `Decommissioned Org`). Audit, sharing and 287(g) analyses
//! are only as good as the step that turns those names into agencies, so it lives here, once:
//!
//! - [`Directory`]: the FBI's list of law-enforcement agencies (ORI, name, state, county, type,
//!   population) plus a maintained file of federal agencies and their aliases, each with its
//!   counterparty word from the vocabulary; a small sample ships built in.
//! - [`parse()`](parse::parse): place, state, kind and tags from a name, in every form above.
//! - [`Resolver`]: name (and the state a record gives, if any) to ORI, name, state, class,
//!   counterparty, confidence and reasons; memoised per distinct input.
//!
//! The crate is pure and in memory: no database, no async; the only I/O is reading (and, for
//! `import --directory`, writing) a directory file the caller names. Keeping an imported
//! directory in a store is `remit-app`'s work: it stores the rows [`FbiRows`] reads and gives
//! them back to [`Directory::from_agencies`].

#![warn(missing_docs)]

pub mod aliases;
pub mod directory;
mod hash;
pub mod kind;
pub mod law;
pub mod parse;
pub mod places;
pub mod resolve;
pub mod states;
mod text;

pub use directory::{
    Agency, AgencyClass, Directory, DirectoryError, DirectorySource, FbiRows, RowProblem, is_ori,
};
pub use kind::AgencyKind;
pub use parse::{ParsedName, StateSource, parse};
pub use places::{PlaceError, PlaceReader, PlaceReading, read_place};
pub use resolve::{Resolution, Resolver};
