//! Auditing a search log into the store, with the registry's 287(g) agreements.
//!
//! The audit pipeline (remit-audit) reads, classifies, resolves and decides; the registry
//! (remit-registry) knows who held an agreement when; the store keeps the run. This module joins
//! them, once, for the command line (`remit audit`), the dashboard's uploads and its demo.

use std::path::PathBuf;

use remit_audit::sinks::store::StoredRun;
use remit_audit::{AuditError, AuditOptions, Auditor, Classifier, Sink, Summary};
use remit_law::Corpus;
use remit_store::Store;

use crate::agreements::RegistryAgreements;

/// Audits `files` into `store` as one import (see [`remit_audit::sinks::store::audit_into`]),
/// with `sinks` fed alongside. `mapping` is the column mapping as the user wrote it, kept with
/// the run so the same run is recognised when imported again.
pub fn audit_into(
    store: &mut Store,
    auditor: &Auditor<'_>,
    files: &[PathBuf],
    options: &AuditOptions,
    mapping: Option<&str>,
    sinks: &mut [&mut dyn Sink],
) -> Result<StoredRun, AuditError> {
    remit_audit::sinks::store::audit_into(store, auditor, files, options, mapping, sinks)
}

/// Audits `files` into `store` as the dashboard does: the built-in classifier, the corpus, the
/// agency directory given (else the built-in sample), the 287(g) agreements given (from a
/// store's registry), officer names and plates redacted and plate-like tokens and the log's
/// users' names masked in reasons and case numbers (an upload is always redacted: the dashboard
/// has no way to keep them). `sinks` are fed alongside (an upload
/// passes one that stops the run when the visitor leaves). Returns the run's id and summary.
///
/// One file that is not a search log (a sharing list) is an error, not an empty audit.
pub fn audit_redacted_into_store(
    store: &mut Store,
    files: &[PathBuf],
    owner: Option<String>,
    corpus: &Corpus,
    directory: Option<&remit_agencies::Directory>,
    agreements: Option<&RegistryAgreements>,
    sinks: &mut [&mut dyn Sink],
) -> Result<(i64, Summary), AuditError> {
    let classifier = Classifier::builtin()?;
    let resolver = remit_agencies::Resolver::new(
        directory
            .cloned()
            .unwrap_or_else(remit_agencies::Directory::builtin),
    );
    let auditor = Auditor {
        classifier: &classifier,
        corpus,
        resolver: &resolver,
        agreements: agreements.map(|a| a as &dyn remit_audit::process::AgreementLookup),
        progress: None,
    };
    let options = AuditOptions {
        owner,
        redact: true,
        ..AuditOptions::default()
    };
    let stored = audit_into(store, &auditor, files, &options, None, sinks)?;
    if stored.run.summary.events == 0
        && let [(path, kind)] = stored.run.skipped.as_slice()
    {
        return Err(AuditError::NotASearchLog {
            path: path.clone(),
            kind: kind.clone(),
        });
    }
    Ok((stored.run_id, stored.run.summary))
}
