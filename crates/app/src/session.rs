//! A session: what a command or a request works with, loaded once.
//!
//! The corpus (the law), the agency resolver over a directory, the reason classifier, the store
//! (absent with `--no-store`) and the clock. The use cases of this crate take their parts from a
//! session, so the command line does not wire the domain crates together itself.

use remit_agencies::Resolver;
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
}

impl Session {
    /// A session over these parts, with the system clock.
    pub fn new(
        corpus: Corpus,
        resolver: Resolver,
        classifier: Classifier,
        store: Option<Store>,
    ) -> Session {
        Session {
            corpus,
            resolver,
            classifier,
            store,
            clock: Clock::System,
        }
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
