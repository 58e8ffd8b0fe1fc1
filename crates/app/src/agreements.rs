//! The 287(g) flag: did the searcher hold a 287(g) agreement with ICE on the search date?
//!
//! Answered from the registry (remit-registry) in the store: every agreement ICE's sheets have
//! listed, with the dates it was first and last listed as active. A searcher matches an agency
//! of the registry by ORI when both have one, else by the registry's identity key of name and
//! state. The flag covers the days from the first to the last snapshot listing the agreement as
//! active: the sheets say nothing of the days before the first snapshot Remit has, or after the
//! last, so those days are not flagged (docs/methodology.md#plate-reader-search-audits).

use std::collections::HashMap;

use remit_audit::process::AgreementLookup;
use remit_audit::{AuditError, Party};
use remit_law::Date;

/// Agreement periods loaded from the registry: the audit's [`AgreementLookup`], so the audit
/// crate itself needs no registry.
#[derive(Debug, Default)]
pub struct RegistryAgreements {
    by_ori: HashMap<String, Vec<(Date, Option<Date>)>>,
    by_key: HashMap<String, Vec<(Date, Option<Date>)>>,
    agreements: usize,
}

impl RegistryAgreements {
    /// Loads every agreement of the registry in `store` (empty when nothing was imported).
    pub fn load(store: &mut remit_store::Store) -> Result<Self, AuditError> {
        let registry_error =
            |e: remit_registry::RegistryError| AuditError::output("the 287(g) registry", e);
        let rows = remit_registry::Registry::open(store)
            .map_err(registry_error)?
            .export(None, &remit_registry::Filter::default())
            .map_err(registry_error)?;
        let mut loaded = RegistryAgreements::default();
        for row in rows {
            // Snapshot times are written `2025-05-16 am`: the day is the first ten characters.
            let day = |text: Option<&str>| text.and_then(|t| t.get(..10)?.parse::<Date>().ok());
            let (Some(from), Some(until)) = (
                day(row.first_active.as_deref()),
                day(row.last_active.as_deref()),
            ) else {
                // Only ever pending: no agreement was in force.
                continue;
            };
            loaded.agreements += 1;
            let period = (from, Some(until));
            if let Some(ori) = row.ori.filter(|o| !o.is_empty()) {
                loaded.by_ori.entry(ori).or_default().push(period);
            }
            let key = remit_registry::agency_key(&row.agency, Some(&row.state));
            loaded
                .by_key
                .entry(format!("{}|{key}", row.state))
                .or_default()
                .push(period);
        }
        Ok(loaded)
    }

    /// How many agreements were ever active.
    pub fn len(&self) -> usize {
        self.agreements
    }

    /// Whether the registry held no agreement that was ever active.
    pub fn is_empty(&self) -> bool {
        self.agreements == 0
    }
}

impl AgreementLookup for RegistryAgreements {
    fn periods(&self, party: &Party) -> Vec<(Date, Option<Date>)> {
        if let Some(periods) = party.ori.as_ref().and_then(|ori| self.by_ori.get(ori)) {
            return periods.clone();
        }
        let Some(state) = party.state.as_deref() else {
            return Vec::new();
        };
        for name in [&party.name, &party.input] {
            let key = format!("{state}|{}", remit_registry::agency_key(name, Some(state)));
            if let Some(periods) = self.by_key.get(&key) {
                return periods.clone();
            }
        }
        Vec::new()
    }
}

/// The agreements of the registry in `store` for the audit's 287(g) flag: `None` when the store
/// holds no registry of the current version or no agreement was ever active. It only reads: it
/// never makes or changes tables, so a server can call it on the store it serves.
pub fn current_agreements(
    store: &mut remit_store::Store,
) -> Result<Option<RegistryAgreements>, AuditError> {
    let version = store.schema_version(remit_registry::SCHEMA.component)?;
    if version != Some(remit_registry::SCHEMA.latest()) {
        return Ok(None);
    }
    let agreements = RegistryAgreements::load(store)?;
    Ok((!agreements.is_empty()).then_some(agreements))
}
