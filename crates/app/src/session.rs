//! A session: what a command or a request works with, loaded once.
//!
//! The corpus (the law), the agency resolver over a directory, the reason classifier, the store
//! (absent with `--no-store`) and the clock. The use cases of this crate take their parts from a
//! session, so the command line does not wire the domain crates together itself.
//!
//! [`Session::open`] resolves with the store's own agency directory when it has one (see
//! [`crate::directory`]), so that `--db` reaches the directory too.

use remit_agencies::{DirectoryError, Resolver};
use remit_audit::process::AgreementLookup;
use remit_audit::{AuditError, Auditor, Classifier, Progress};
use remit_law::{Corpus, Date};
use remit_store::Store;

use crate::agreements::RegistryAgreements;
use crate::clock::Clock;

/// What a command or a request works with.
#[derive(Debug)]
pub struct Session {
    /// The law.
    pub corpus: Corpus,
    /// Agency names to agencies, over the directory the session was opened with.
    pub resolver: Resolver,
    /// Search reasons to categories.
    pub classifier: Classifier,
    /// The store, when the work keeps what it finds.
    pub store: Option<Store>,
    /// Where "today" comes from.
    pub clock: Clock,
    /// The key of the resolver's directory, which derived tables record
    /// ([`crate::directory::Choice::key`]).
    pub directory_source: String,
}

impl Session {
    /// A session over these parts, with the system clock.
    pub fn new(
        corpus: Corpus,
        resolver: Resolver,
        classifier: Classifier,
        store: Option<Store>,
    ) -> Session {
        let directory = resolver.directory();
        let directory_source = format!("{} ({} agencies)", directory.source(), directory.len());
        Session {
            corpus,
            resolver,
            classifier,
            store,
            clock: Clock::System,
            directory_source,
        }
    }

    /// A session over the corpus, the classifier and the store, resolving agencies with the
    /// store's directory when it has one, else the data folder's imported file, else the
    /// built-in sample ([`crate::directory::Choice::for_store`]); with the system clock.
    pub fn open(
        corpus: Corpus,
        classifier: Classifier,
        store: Option<Store>,
    ) -> Result<Session, DirectoryError> {
        let choice = crate::directory::Choice::for_store(store.as_ref())?;
        let directory = choice.load(store.as_ref())?;
        Ok(Session {
            corpus,
            resolver: Resolver::new(directory),
            classifier,
            store,
            clock: Clock::System,
            directory_source: choice.key(),
        })
    }

    /// Rebuilds the store's tables derived from a directory (the registry's links, the sharing
    /// edges) when another directory built them; nothing without a store.
    pub fn refresh_derived(
        &mut self,
    ) -> Result<crate::directory::Refreshed, crate::directory::RefreshError> {
        let Some(store) = self.store.as_mut() else {
            return Ok(crate::directory::Refreshed::default());
        };
        crate::directory::refresh_derived(
            store,
            &self.corpus,
            self.resolver.directory(),
            &self.directory_source,
        )
    }

    /// Today's date by the session's clock.
    pub fn today(&self) -> Date {
        self.clock.today()
    }

    /// Every 287(g) agreement of the registry in the session's store (the registry's tables
    /// are brought up to date first); `None` without a store or when no agreement was ever
    /// active.
    pub fn agreements(&mut self) -> Result<Option<RegistryAgreements>, AuditError> {
        let Some(store) = self.store.as_mut() else {
            return Ok(None);
        };
        let agreements = RegistryAgreements::load(store)?;
        Ok((!agreements.is_empty()).then_some(agreements))
    }

    /// The audit pipeline over the session's classifier, corpus and resolver, flagging the
    /// searchers that held one of `agreements`.
    pub fn auditor<'a>(
        &'a self,
        agreements: Option<&'a RegistryAgreements>,
        progress: Option<&'a (dyn Fn(Progress) + Sync)>,
    ) -> Auditor<'a> {
        Auditor {
            classifier: &self.classifier,
            corpus: &self.corpus,
            resolver: &self.resolver,
            agreements: agreements.map(|a| a as &dyn AgreementLookup),
            progress,
        }
    }
}
