//! The agency directory a command resolves with: which one it is, loading it, and the key that
//! tells derived tables which directory built them.
//!
//! Which directory, first found first:
//! 1. the store's own ([`stored`]): `remit agencies import` writes the FBI list into the store
//!    chosen by `--db` (the default store without it), so each store carries its directory;
//! 2. the file an earlier Remit's `remit agencies import` kept in the data folder
//!    ([`default_path`]), still read so that nothing is lost; importing it again moves it into
//!    the store;
//! 3. the built-in sample.
//!
//! Derived tables (the registry's links to the directory, the sharing edges) record the key of
//! the directory they were built with ([`Choice::key`]); when the key differs from the one a
//! caller would resolve with now, the tables are stale and are rebuilt ([`refresh_derived`]).
//! The command line and the dashboard compute the key here, so both agree on when a rebuild is
//! due.

pub mod stored;

use std::path::{Path, PathBuf};

use remit_agencies::{Directory, DirectoryError};
use remit_store::Store;

pub use stored::{DirectoryImport, ImportError, ImportStatus, StoredDirectory, import};

/// Where an earlier `remit agencies import` kept the imported directory: `agencies.csv` in
/// Remit's data folder (`$XDG_DATA_HOME/remit`, else `~/.local/share/remit`, by the store's one
/// rule). Read when the store has no directory of its own.
pub fn default_path() -> Option<PathBuf> {
    remit_store::data_dir()
        .ok()
        .map(|folder| folder.join(Directory::FILE_NAME))
}

/// Which directory a command resolves with, told without loading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// The store's own directory.
    Stored(StoredDirectory),
    /// The file of an earlier import in the data folder.
    File(PathBuf),
    /// The built-in sample.
    Builtin,
}

impl Choice {
    /// The directory for `store`: its own, else the data folder's file, else the built-in
    /// sample. Reads one row of the store; an unreadable store is an error naming it.
    pub fn for_store(store: Option<&Store>) -> Result<Choice, DirectoryError> {
        if let Some(store) = store {
            match stored::current(store) {
                Ok(Some(directory)) => return Ok(Choice::Stored(directory)),
                Ok(None) => {}
                Err(error) => return Err(stored::store_error(store, &error)),
            }
        }
        Ok(match default_path() {
            Some(path) if path.is_file() => Choice::File(path),
            _ => Choice::Builtin,
        })
    }

    /// The key derived tables record for this directory: a stored directory by its file, import
    /// time and content hash; a file by path, size and time; the built-in sample by Remit's
    /// version.
    pub fn key(&self) -> String {
        match self {
            Choice::Stored(directory) => directory.key(),
            Choice::File(path) => file_source(path),
            Choice::Builtin => builtin_source(),
        }
    }

    /// Whether this is a whole FBI list rather than the built-in sample.
    pub fn is_complete(&self) -> bool {
        !matches!(self, Choice::Builtin)
    }

    /// Loads the directory; `store` must be the one the choice was made for.
    pub fn load(&self, store: Option<&Store>) -> Result<Directory, DirectoryError> {
        match (self, store) {
            (Choice::Stored(directory), Some(store)) => stored::load(store, directory),
            (Choice::Stored(directory), None) => Err(DirectoryError::Store {
                path: PathBuf::new(),
                message: format!(
                    "the directory `{}` is kept in a store that is not open",
                    directory.import.source_path
                ),
            }),
            (Choice::File(path), _) => Directory::from_fbi_csv(path),
            (Choice::Builtin, _) => Ok(Directory::builtin()),
        }
    }
}

/// The directory for `store` (see [`Choice::for_store`]), loaded.
pub fn load_for(store: Option<&Store>) -> Result<Directory, DirectoryError> {
    Choice::for_store(store)?.load(store)
}

/// The key of the directory for `store` (see [`Choice::key`]), without loading it.
pub fn source_for(store: Option<&Store>) -> Result<String, DirectoryError> {
    Choice::for_store(store).map(|choice| choice.key())
}

/// The store at `db` (`--db`), else the default store, opened read-only when the file exists;
/// `None` when there is none. Serving and reading never create a store.
pub fn open_for_directory(db: Option<&Path>) -> Result<Option<Store>, DirectoryError> {
    let path = match db {
        Some(path) => path.to_path_buf(),
        None => match remit_store::default_path() {
            Ok(path) => path,
            Err(_) => return Ok(None),
        },
    };
    if !path.is_file() {
        return Ok(None);
    }
    Store::open_read_only(&path)
        .map(Some)
        .map_err(|error| DirectoryError::Store {
            message: chain(&error),
            path,
        })
}

/// The directory for the store at `db` (`--db`; the default store without it), loaded: for a
/// command that has not opened the store itself.
pub fn load_for_db(db: Option<&Path>) -> Result<Directory, DirectoryError> {
    let store = open_for_directory(db)?;
    load_for(store.as_ref())
}

/// The key of the directory for the store at `db` (see [`load_for_db`]).
pub fn source_for_db(db: Option<&Path>) -> Result<String, DirectoryError> {
    let store = open_for_directory(db)?;
    source_for(store.as_ref())
}

/// The directory of the default store, else the data folder's file, else the built-in sample:
/// [`load_for_db`] without `--db`.
pub fn load_default() -> Result<Directory, DirectoryError> {
    load_for_db(None)
}

/// The key of [`load_default`]'s directory, told without loading it. A default store that cannot
/// be read is passed over here (the key of the file or sample is given); loading it reports the
/// error.
pub fn default_directory_source() -> String {
    source_for_db(None).unwrap_or_else(|_| match default_path() {
        Some(path) if path.is_file() => file_source(&path),
        _ => builtin_source(),
    })
}

/// A directory file, told by path, size and time (UTC, to the second), so that a changed file
/// is noticed.
pub fn file_source(path: &Path) -> String {
    let (size, modified) = std::fs::metadata(path)
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
            (m.len(), modified)
        })
        .unwrap_or((0, 0));
    format!(
        "{} ({size} bytes, modified {})",
        path.display(),
        remit_audit::time::format_utc(modified)
    )
}

/// The built-in sample of this version of Remit.
fn builtin_source() -> String {
    format!("built-in sample (remit {})", env!("CARGO_PKG_VERSION"))
}

/// An error and its causes in one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(current) = cause {
        message.push_str(": ");
        message.push_str(&current.to_string());
        cause = current.source();
    }
    message
}

/// What [`refresh_derived`] rebuilt.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Refreshed {
    /// The registry's agencies and agreements, when they were rebuilt.
    pub registry: Option<remit_registry::RefreshReport>,
    /// The sharing lists' parties and edges, when they were rebuilt.
    pub sharing: Option<remit_sharing::RefreshReport>,
}

/// Why derived tables could not be rebuilt.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// The registry's tables.
    #[error(transparent)]
    Registry(#[from] remit_registry::RegistryError),
    /// The sharing lists' tables.
    #[error(transparent)]
    Sharing(#[from] remit_sharing::SharingError),
    /// The store.
    #[error(transparent)]
    Store(#[from] remit_store::StoreError),
}

/// Rebuilds the tables of `store` derived from a directory (the registry's links, the sharing
/// edges) when they were built with another directory than `directory`, told by `key`
/// ([`Choice::key`]). Tables a store does not have are left alone; current ones are not touched.
pub fn refresh_derived(
    store: &mut Store,
    corpus: &remit_law::Corpus,
    directory: &Directory,
    key: &str,
) -> Result<Refreshed, RefreshError> {
    let mut refreshed = Refreshed::default();
    let registry_schema = &remit_registry::SCHEMA;
    if store.schema_version(registry_schema.component)? == Some(registry_schema.latest()) {
        let mut registry = remit_registry::Registry::open(store)?;
        if registry.is_stale_for(key)? {
            let mut linker =
                remit_registry::DirectoryLinker::with_source(directory.clone(), key.to_string());
            refreshed.registry = Some(registry.refresh(&mut linker)?);
        }
    }
    let sharing_schema = &remit_sharing::SCHEMA;
    if store.schema_version(sharing_schema.component)? == Some(sharing_schema.latest()) {
        let mut sharing = remit_sharing::Sharing::open(store)?;
        let mut checker =
            remit_sharing::Checker::new(corpus, remit_agencies::Resolver::new(directory.clone()));
        refreshed.sharing = sharing.ensure_fresh(&mut checker, key)?;
    }
    Ok(refreshed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_source_names_size_and_time_in_utc() {
        let path = std::env::temp_dir().join(format!("remit-file-source-{}", std::process::id()));
        std::fs::write(&path, b"0123456789").unwrap_or_else(|e| panic!("{e}"));
        let shown = file_source(&path);
        let _ = std::fs::remove_file(&path);
        let (_, tail) = shown
            .split_once(" (10 bytes, modified ")
            .unwrap_or_else(|| panic!("{shown}"));
        // `2026-11-29T07:58:01Z)`: a readable time to the second, not a count of seconds.
        let time = tail.strip_suffix(')').unwrap_or_else(|| panic!("{shown}"));
        assert_eq!(time.len(), 20, "{shown}");
        assert!(
            time.ends_with('Z') && time.as_bytes()[10] == b'T',
            "{shown}"
        );
        assert!(time.starts_with("20"), "{shown}");
    }
}
