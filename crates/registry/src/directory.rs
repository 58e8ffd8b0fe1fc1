//! Linking registry agencies to the agency directory (remit-agencies), and the directory's
//! per-state figures for rates.

use std::collections::BTreeMap;

use remit_agencies::{Directory, Resolver};

use crate::history::{AgencyLink, Linker};
use crate::query::StateFigures;

/// Links through the resolver: an agency is linked when the resolver finds an ORI in the
/// agency's own state (a match in another state is refused, with the reason kept).
#[derive(Debug, Clone)]
pub struct DirectoryLinker {
    resolver: Resolver,
    source: String,
}

impl DirectoryLinker {
    /// Described by the directory's source and size.
    pub fn new(directory: Directory) -> DirectoryLinker {
        let source = format!("{} ({} agencies)", directory.source(), directory.len());
        DirectoryLinker::with_source(directory, source)
    }

    /// Described by `source`, for a caller that can tell which directory it will load without
    /// loading it (see [`crate::Registry::is_stale_for`]).
    pub fn with_source(directory: Directory, source: String) -> DirectoryLinker {
        DirectoryLinker {
            resolver: Resolver::new(directory),
            source,
        }
    }

    /// The agency directory the linker resolves against.
    pub fn directory(&self) -> &Directory {
        self.resolver.directory()
    }
}

impl Linker for DirectoryLinker {
    fn source(&self) -> String {
        self.source.clone()
    }

    fn link(&mut self, name: &str, state: &str) -> AgencyLink {
        let resolution = self.resolver.resolve(name, Some(state));
        let mut reasons = resolution.reasons.clone();
        let ori = match (&resolution.ori, resolution.state.as_deref()) {
            (Some(ori), Some(found)) if found == state => Some(ori.clone()),
            (Some(ori), found) => {
                reasons.push(format!(
                    "the match `{ori}` is in {}, not {state}: not linked",
                    found.unwrap_or("no state")
                ));
                None
            }
            (None, _) => None,
        };
        AgencyLink {
            name: ori.as_ref().map(|_| resolution.name.clone()),
            ori,
            confidence: resolution.confidence,
            reasons,
        }
    }
}

/// Per state (two-letter code): the directory's agencies with an ORI, and the population they
/// serve. Federal agencies (no state) are left out.
pub fn state_figures(directory: &Directory) -> BTreeMap<String, StateFigures> {
    let mut figures: BTreeMap<String, StateFigures> = BTreeMap::new();
    for agency in directory.agencies() {
        let Some(state) = agency.state.as_deref().filter(|_| agency.has_ori()) else {
            continue;
        };
        let entry = figures.entry(state.to_string()).or_default();
        entry.agencies += 1;
        entry.population += agency.population.unwrap_or(0);
    }
    figures
}
