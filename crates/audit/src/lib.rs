//! remit-audit: plate-reader (ALPR) search logs in, cited findings out.
//!
//! Agencies release the logs of searches run on their plate-reader data: Flock network,
//! organization and transparency-portal audits, Vigilant audits. This crate reads them as a
//! stream, sorts each search's free-text reason into reviewable categories, resolves who searched,
//! asks the law engine whether the data's owner could lawfully share its data with that searcher
//! for that purpose on that date, and pushes every normalised event into sinks: counters,
//! findings CSV, summary JSON, an HTML report, the store, Parquet.
//!
//! The loop is built for files of tens of millions of rows: readers hand out borrowed fields, and
//! classification, searcher resolution and law decisions are memoised per distinct value, so the
//! per-row work is parsing, a few hash lookups and counting.

#![warn(missing_docs)]

pub mod aggregate;
pub mod bytemap;
pub mod classify;
pub mod csvscan;
pub mod demo;
pub mod error;
pub mod event;
pub mod input;
pub mod layout;
pub mod party;
pub mod pipeline;
pub mod process;
pub mod query;
pub mod redact;
pub mod report;
pub mod sinks;
pub mod time;

pub use aggregate::{Aggregates, Summary};
pub use classify::{Category, CategorySet, Classification, Classifier, Explanation};
pub use error::AuditError;
pub use event::{Event, Flag, Flags};
pub use layout::{Field, Layout, LayoutKind};
pub use party::{Party, PartyClass, PartyResolver};
pub use pipeline::{AuditOptions, AuditRun, Auditor, Progress};
/// The store crate this one writes to, for callers that need no more of it.
pub use remit_store;
pub use sinks::Sink;
