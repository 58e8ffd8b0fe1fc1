//! The built-in classifier, corpus and agency directory, and an auditor over them: what the
//! tests audit with unless they need something else.

use remit_audit::{Auditor, Classifier};

pub struct Setup {
    pub classifier: Classifier,
    pub corpus: remit_law::Corpus,
    pub resolver: remit_agencies::Resolver,
}

impl Setup {
    #[expect(
        clippy::unwrap_used,
        reason = "a test helper: the built-in data must load"
    )]
    pub fn new() -> Setup {
        Setup {
            classifier: Classifier::builtin().unwrap(),
            corpus: remit_law::Corpus::embedded().unwrap(),
            resolver: remit_agencies::Resolver::new(remit_agencies::Directory::builtin()),
        }
    }

    /// An auditor with no 287(g) registry and no progress bar.
    pub fn auditor(&self) -> Auditor<'_> {
        Auditor {
            classifier: &self.classifier,
            corpus: &self.corpus,
            resolver: &self.resolver,
            agreements: None,
            progress: None,
        }
    }
}
