//! `remit serve --demo`: a temporary store built from bundled samples, so that every page has
//! something to show on a fresh machine with no data of its own.
//!
//! Everything here is labelled as demo data on the pages that show it. The law pages always use
//! the real corpus.

use std::path::{Path, PathBuf};

use remit_law::Corpus;
use remit_store::Store;

/// Why the demo store could not be built.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The temporary folder for the demo store could not be made.
    #[error("cannot create a temporary folder for the demo store in `{}`", path.display())]
    Folder {
        /// The folder that could not be made.
        path: PathBuf,
        /// Why the system refused.
        #[source]
        source: std::io::Error,
    },
    /// The demo store could not be opened or migrated.
    #[error("cannot build the demo store")]
    Store(#[from] remit_store::StoreError),
    /// A demo file could not be written to the temporary folder.
    #[error("cannot write the demo file `{}`", path.display())]
    Write {
        /// The file that could not be written.
        path: PathBuf,
        /// Why the system refused.
        #[source]
        source: std::io::Error,
    },
    /// The sample 287(g) sheets could not be imported.
    #[error("cannot import the demo 287(g) sheets")]
    Registry(#[from] remit_registry::RegistryError),
    /// The sample plate-reader log could not be audited.
    #[error("cannot audit the demo plate-reader log")]
    Audit(#[from] remit_audit::AuditError),
    /// The sample sharing list could not be imported.
    #[error("cannot import the demo sharing list")]
    Sharing(#[from] remit_sharing::SharingError),
}

/// A self-made sharing list (`Name,State,Type`, as Eugene's): whom the sample owner shares its
/// plate-reader data with, in and out of state, federal and private.
const SHARING_LIST: &str = include_str!("../../../examples/demo/sharing/sample-city-ca-pd.csv");
/// The day the sample list is dated.
const SHARING_LIST_DATE: &str = "2025-12-01";

/// A self-made network audit in Flock's 13-column layout: six months of searches of a
/// California agency's cameras by sample agencies, a few of them out of state or federal, with
/// five immigration reasons planted among the ordinary ones.
const NETWORK_AUDIT: &str = include_str!("../../../examples/demo/alpr/network-audit-sample.csv");
/// The agency whose cameras the sample log covers.
const NETWORK_AUDIT_OWNER: &str = "Sample City CA PD";

/// What the demo serves.
#[derive(Debug)]
pub struct Demo {
    /// The demo store, filled from the bundled sample files.
    pub store: Store,
    /// The demo's audits: runs in `store`, with names of their own.
    pub audits: Vec<crate::AuditLabel>,
}

/// Self-made sample sheets in the layout of ICE's 287(g) lists (agency names say "Sample"):
/// five participating and three pending snapshots with additions, a removal and a rename.
const SHEETS: &[(&str, &str)] = &[
    (
        "participatingAgencies05162025am.csv",
        include_str!("../../../examples/demo/287g/participatingAgencies05162025am.csv"),
    ),
    (
        "participatingAgencies06022025pm.csv",
        include_str!("../../../examples/demo/287g/participatingAgencies06022025pm.csv"),
    ),
    (
        "participatingAgencies06162025am.csv",
        include_str!("../../../examples/demo/287g/participatingAgencies06162025am.csv"),
    ),
    (
        "participatingAgencies07012025pm.csv",
        include_str!("../../../examples/demo/287g/participatingAgencies07012025pm.csv"),
    ),
    (
        "participatingAgencies07182025pm.csv",
        include_str!("../../../examples/demo/287g/participatingAgencies07182025pm.csv"),
    ),
    (
        "pendingAgencies05162025am.csv",
        include_str!("../../../examples/demo/287g/pendingAgencies05162025am.csv"),
    ),
    (
        "pendingAgencies06162025am.csv",
        include_str!("../../../examples/demo/287g/pendingAgencies06162025am.csv"),
    ),
    (
        "pendingAgencies07182025pm.csv",
        include_str!("../../../examples/demo/287g/pendingAgencies07182025pm.csv"),
    ),
];

fn write(path: &Path, content: &[u8]) -> Result<(), DemoError> {
    std::fs::write(path, content).map_err(|source| DemoError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// A temporary folder, removed (with everything in it) when dropped.
#[derive(Debug)]
pub struct Folder {
    path: PathBuf,
}

impl Folder {
    /// A new empty folder under the system's temporary directory, never one another caller
    /// has: uploads and tests make several at once, within one tick of the clock.
    pub fn create() -> Result<Folder, DemoError> {
        static MADE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let base = std::env::temp_dir();
        loop {
            let count = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let path = base.join(format!("remit-demo-{}-{count}-{nanos}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Folder { path }),
                // Left by an earlier process with the same id: take the next name.
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(source) => return Err(DemoError::Folder { path, source }),
            }
        }
    }

    /// Where the folder is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Builds the demo in `folder`: the sample 287(g) sheets through the registry's importer into a
/// store, and the sample plate-reader log through the audit pipeline.
pub fn build(folder: &Folder, corpus: &Corpus) -> Result<Demo, DemoError> {
    let mut store = Store::open(&folder.path().join("remit.db"))?;
    let sheets = folder.path().join("287g");
    std::fs::create_dir_all(&sheets).map_err(|source| DemoError::Write {
        path: sheets.clone(),
        source,
    })?;
    {
        let mut registry = remit_registry::Registry::open(&mut store)?;
        for (name, content) in SHEETS {
            let path = sheets.join(name);
            write(&path, content.as_bytes())?;
            registry.import(&path, remit_registry::ImportOptions::default())?;
        }
        registry.refresh(&mut remit_registry::NoDirectory)?;
    }
    {
        let list = folder.path().join("sample-city-ca-pd.csv");
        write(&list, SHARING_LIST.as_bytes())?;
        let date: remit_law::Date =
            SHARING_LIST_DATE
                .parse()
                .map_err(|_| remit_sharing::SharingError::BadDate {
                    text: SHARING_LIST_DATE.to_string(),
                })?;
        let mut sharing = remit_sharing::Sharing::open(&mut store)?;
        sharing.import(
            &list,
            &remit_sharing::ReadOptions {
                owner: Some(NETWORK_AUDIT_OWNER.to_string()),
                date: Some(date),
                sheet: None,
                direction: None,
                today: date,
            },
        )?;
        let mut checker = remit_sharing::Checker::new(
            corpus,
            remit_agencies::Resolver::new(remit_agencies::Directory::builtin()),
        );
        sharing.refresh(&mut checker, "built-in sample directory")?;
    }
    // The audits flag searchers that held a 287(g) agreement, from the sample registry.
    let agreements = crate::registry_agreements(&mut store)?;
    let log = folder.path().join("network-audit-sample.csv");
    write(&log, NETWORK_AUDIT.as_bytes())?;
    let (run_id, summary) = crate::audit_into_store(
        &mut store,
        std::slice::from_ref(&log),
        Some(NETWORK_AUDIT_OWNER.to_string()),
        corpus,
        None,
        agreements.as_ref(),
        &mut [],
    )?;
    let audit = crate::AuditLabel {
        slug: "demo-network-audit".to_string(),
        run_id,
        title: format!("Network audit of {NETWORK_AUDIT_OWNER} (demo)"),
        title_es: format!("Auditoría de red de {NETWORK_AUDIT_OWNER} (demo)"),
        source: crate::DataSource {
            name: "Sample network audit in Flock's layout (self-made, examples/demo/alpr)"
                .to_string(),
            url: None,
            licence: "made for Remit's demo: MIT OR Apache-2.0".to_string(),
            date: searches_between(&summary),
            note: Some("Not a real agency's searches.".to_string()),
        },
    };
    let generated = generated_audit(folder, &mut store, corpus, agreements.as_ref())?;
    Ok(Demo {
        store,
        audits: vec![audit, generated],
    })
}

/// "searches FIRST to LAST" of an audit.
fn searches_between(summary: &remit_audit::Summary) -> String {
    format!(
        "searches {} to {}",
        summary.period.first.as_deref().unwrap_or("?"),
        summary.period.last.as_deref().unwrap_or("?")
    )
}

/// Rows of the generated network audit: enough for every chart to have a shape, few enough that
/// the demo starts at once.
const GENERATED_ROWS: u64 = 20_000;
/// The generator's seed: the same file every time.
const GENERATED_SEED: u64 = 7;
/// The owner the generator models (a California agency's network audit).
const GENERATED_OWNER: &str = "El Cajon CA PD";

/// A network audit written by remit-audit's demo generator (reasons, searchers and search types
/// drawn like the real logs', with immigration searches planted), audited like any other.
fn generated_audit(
    folder: &Folder,
    store: &mut Store,
    corpus: &Corpus,
    agreements: Option<&remit_app::RegistryAgreements>,
) -> Result<crate::AuditLabel, DemoError> {
    let path = folder.path().join("generated-network-audit.csv");
    let mut file = std::fs::File::create(&path).map_err(|source| DemoError::Write {
        path: path.clone(),
        source,
    })?;
    remit_audit::demo::generate(GENERATED_ROWS, GENERATED_SEED, &mut file).map_err(|source| {
        DemoError::Write {
            path: path.clone(),
            source,
        }
    })?;
    drop(file);
    let (run_id, summary) = crate::audit_into_store(
        store,
        std::slice::from_ref(&path),
        Some(GENERATED_OWNER.to_string()),
        corpus,
        None,
        agreements,
        &mut [],
    )?;
    Ok(crate::AuditLabel {
        slug: "demo-generated-network-audit".to_string(),
        run_id,
        title: format!(
            "Generated network audit, {} searches (demo)",
            crate::html::count(summary.events)
        ),
        title_es: format!(
            "Auditoría de red generada, {} búsquedas (demo)",
            crate::i18n::within(crate::i18n::Lang::Es, || crate::i18n::count(summary.events))
        ),
        source: crate::DataSource {
            name: format!(
                "Network audit generated by remit-audit's demo generator ({} rows, seed {GENERATED_SEED})",
                crate::html::count(GENERATED_ROWS)
            ),
            url: None,
            licence: "made for Remit's demo: MIT OR Apache-2.0".to_string(),
            date: searches_between(&summary),
            note: Some(format!(
                "Synthetic: drawn like a California agency's real logs, with {GENERATED_OWNER} as the modelled owner; not its real searches."
            )),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_made_at_once_are_distinct() {
        let folders: Vec<Folder> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        (0..25)
                            .map(|_| Folder::create().unwrap_or_else(|e| panic!("{e}")))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_else(|_| panic!("a thread failed")))
                .collect()
        });
        let mut paths: Vec<&Path> = folders.iter().map(Folder::path).collect();
        assert!(paths.iter().all(|p| p.is_dir()));
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), 200);
    }
}
