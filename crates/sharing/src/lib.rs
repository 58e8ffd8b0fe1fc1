//! remit-sharing: who may reach whose plate-reader data, and what the owner's law says about it.
//!
//! Agencies publish whom they share automated license plate reader (ALPR) data with: Flock
//! transparency portals list the organisations with access (`sharing_outbound`) and those whose
//! data the agency can reach (`sharing_inbound`); public-records releases give sharing lists as
//! CSV files or sheets of a workbook. This crate imports those lists into the store (one
//! transaction and one content hash per file, every name kept as written with its line), then
//! turns every entry into an edge from the data's owner to a recipient, resolves both ends with
//! `remit-agencies`, and asks `remit-law` whether the owner may share ALPR data with that
//! recipient on the list's date: verdict, determining rules with citations, recipient state and
//! class, and the resolver's confidence. Reports read the result per owner and per state.
//!
//! It is its own crate because it needs the store (SQLite) and the agency resolver together,
//! which the audit pipeline's streaming loop (`remit-audit`) does not. It does not depend on
//! remit-audit: setting a list beside an audit of who searched (`remit sharing compare`) joins the
//! two and lives in remit-app.

#![warn(missing_docs)]

pub mod changes;
pub mod check;
mod error;
mod import;
pub mod list;
mod memo;
pub mod query;
pub mod read;
mod refresh;
mod schema;

use std::path::Path;

use remit_store::Store;

pub use check::{Checker, DecisionSummary, EdgeCheck, EdgeVerdict, Group, Party};
pub use error::SharingError;
pub use import::{FileReport, IMPORT_KIND, ImportStatus, IssueCounts, PreviousImport};
pub use list::{Direction, Entry, Format, Issue, ParsedList, Severity};
pub use query::{
    CitedRule, Counts, EdgeFilter, EdgeRow, IssueRow, ListRef, NamedByOthers, OwnerRef,
    OwnerReport, OwnerSummary, StateReport, write_edges_csv,
};
pub use read::{ReadOptions, collect_files, read_list};
pub use refresh::RefreshReport;
pub use schema::SCHEMA;
/// The crates this API uses, for callers that need no more of them.
pub use {remit_agencies, remit_law, remit_store};

/// The sharing tables inside a store.
#[derive(Debug)]
pub struct Sharing<'a> {
    store: &'a mut Store,
}

impl<'a> Sharing<'a> {
    /// Brings the sharing tables up to date in `store`.
    pub fn open(store: &'a mut Store) -> Result<Sharing<'a>, SharingError> {
        store.migrate(&SCHEMA)?;
        Ok(Sharing { store })
    }

    /// Imports one list file (one transaction; nothing changes if the same content with the
    /// same options is already imported). Call [`Sharing::refresh`] after a batch.
    pub fn import(
        &mut self,
        path: &Path,
        options: &ReadOptions,
    ) -> Result<FileReport, SharingError> {
        import::import_file(self.store, path, options)
    }

    /// Whether parties and edges must be rebuilt (new lists, another directory or corpus).
    /// `directory_source` describes the directory the caller would resolve with.
    pub fn is_stale(
        &self,
        corpus_version: &str,
        directory_source: &str,
    ) -> Result<bool, SharingError> {
        refresh::is_stale(self.store.connection(), corpus_version, directory_source)
    }

    /// Rebuilds parties, edges and decisions from the lists.
    pub fn refresh(
        &mut self,
        checker: &mut Checker<'_>,
        directory_source: &str,
    ) -> Result<RefreshReport, SharingError> {
        refresh::refresh(self.store, checker, directory_source)
    }

    /// Refreshes when stale; `None` when the derived tables were current.
    pub fn ensure_fresh(
        &mut self,
        checker: &mut Checker<'_>,
        directory_source: &str,
    ) -> Result<Option<RefreshReport>, SharingError> {
        if self.is_stale(checker.corpus().version(), directory_source)? {
            self.refresh(checker, directory_source).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The owner a user means (ORI, any name form, the name as a list writes it, a slug).
    pub fn find_owner(
        &self,
        text: &str,
        resolver: Option<&remit_agencies::Resolver>,
    ) -> Result<String, SharingError> {
        query::find_owner(self.store.connection(), text, resolver)
    }

    /// One owner's report.
    pub fn owner_report(&self, key: &str) -> Result<OwnerReport, SharingError> {
        query::owner_report(self.store.connection(), key)
    }

    /// A state's owners, ranked by forbidden edges.
    pub fn state_report(&self, state: &str) -> Result<StateReport, SharingError> {
        query::state_report(self.store.connection(), state)
    }

    /// Edges for export.
    pub fn edges(&self, filter: &EdgeFilter) -> Result<Vec<EdgeRow>, SharingError> {
        query::edges(self.store.connection(), filter)
    }

    /// Every imported list.
    pub fn lists(&self) -> Result<Vec<ListRef>, SharingError> {
        query::lists(self.store.connection())
    }

    /// Issues found reading lists.
    pub fn issues(&self, list_id: Option<i64>) -> Result<Vec<IssueRow>, SharingError> {
        query::issues(self.store.connection(), list_id)
    }

    /// The store, for callers that add their own queries.
    pub fn store(&self) -> &Store {
        self.store
    }
}
