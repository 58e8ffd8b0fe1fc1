//! remit-law: the law as data, and the engine that applies it.
//!
//! Remit encodes federal, state and local rules on cooperation between local police and federal
//! immigration authorities as cited TOML (the corpus), and answers questions of the form "may
//! this actor, in this place, on this date, do this act with this counterparty, for this purpose,
//! given these facts?" with a verdict and every reason.
//!
//! This crate is pure: it reads the corpus and nothing else, reads no clock (the date is an
//! input) and has no async, so the same question always gets the same answer.

#![warn(missing_docs)]

pub mod answer;
pub mod condition;
pub mod context;
pub mod corpus;
pub mod coverage;
pub mod date;
pub mod depends;
pub mod engine;
pub mod guide;
pub mod jurisdiction;
pub mod lang;
pub mod places;
pub mod review;
pub mod rule;
pub mod scenario;
pub mod searched;
pub mod share;
pub mod vocabulary;

pub use answer::{Answer, Caveat, CaveatKind, Citation, DISCLAIMER};
pub use corpus::{Corpus, CorpusError, Diagnostic, Scenarios, SourceFile};
pub use date::Date;
pub use engine::{Decision, Question, QuestionError, QuestionInput, Verdict};
pub use jurisdiction::Jurisdiction;
pub use lang::{DISCLAIMER_ES, Lang};
pub use rule::{
    Enacted, Extent, Modality, Provenance, Rule, Source, SourceKind, Status, StatusEvent, Version,
};
pub use scenario::{Scenario, ScenarioOutcome};
pub use share::{RuleCitation, SHARE_PLATE_DATA, SharingQuestion};
