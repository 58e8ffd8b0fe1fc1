//! Remit's use cases that span domains.
//!
//! The domain crates (`remit-law`, `remit-agencies`, `remit-store`, `remit-registry`,
//! `remit-audit`, `remit-sharing`) each know one kind of thing. Work that joins them (checking
//! the 287(g) registry against the law, auditing a file into the store with the registry's
//! agreements, comparing sharing lists with audits) lives here, and the command line and the web
//! dashboard call it. Nothing in the domain crates points back up to this one.
//!
//! - [`Session`]: the corpus, the agency resolver, the classifier, the store and the clock.
//! - [`audit`]: a search log into the store, with the registry's 287(g) agreements
//!   ([`agreements`]).
//! - [`compare`]: an owner's sharing lists beside the audits of who searched its data.
//! - [`directory`]: the agency directory kept in the store (`remit agencies import`), which
//!   directory a command resolves with, loading it, and the key that tells derived tables which
//!   directory built them.
//! - [`clock`]: today's date.
//! - [`compliance`]: the 287(g) registry checked against the law.

#![warn(missing_docs)]

pub mod agreements;
pub mod audit;
pub mod clock;
pub mod compare;
pub mod directory;
pub mod session;

pub use agreements::{RegistryAgreements, current_agreements};
pub use clock::{Clock, today};
pub use compare::{
    AuditFile, CompareOptions, Comparison, Door, SearchExample, SearcherRow, compare,
};
pub use directory::{default_directory_source, file_source};
pub use session::Session;
/// The domain crates this one joins, for callers that need no more of them.
pub use {remit_agencies, remit_audit, remit_law, remit_registry, remit_sharing, remit_store};

pub mod compliance;
