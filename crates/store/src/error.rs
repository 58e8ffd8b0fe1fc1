//! What can go wrong with the database, in words a user can act on.

use std::path::PathBuf;

/// An error opening, migrating or writing the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the folder `{}`", path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the database `{}`", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("the database `{}` cannot use write-ahead logging (journal mode is `{mode}`)", path.display())]
    NoWal { path: PathBuf, mode: String },
    #[error("cannot find a data directory: neither XDG_DATA_HOME nor HOME is set")]
    NoDataDirectory,
    #[error(
        "the database has `{component}` schema version {found}, newer than this remit knows ({known})"
    )]
    SchemaTooNew {
        component: String,
        found: u32,
        known: u32,
    },
    #[error(
        "the migrations of `{component}` are not numbered 1, 2, 3, ... (found {version} at position {position})"
    )]
    MigrationOrder {
        component: String,
        version: u32,
        position: usize,
    },
    #[error("migration {version} (`{name}`) of `{component}` failed")]
    Migration {
        component: String,
        version: u32,
        name: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    /// Advice for the user, printed as a separate `help:` line.
    pub fn help(&self) -> Option<String> {
        match self {
            StoreError::CreateDir { .. } | StoreError::Open { .. } | StoreError::NoWal { .. } => {
                Some("pass another location with `--db PATH`".to_string())
            }
            StoreError::NoDataDirectory => {
                Some("set XDG_DATA_HOME or pass `--db PATH`".to_string())
            }
            StoreError::SchemaTooNew { .. } => {
                Some("upgrade remit, or pass `--db PATH` to use another database".to_string())
            }
            StoreError::MigrationOrder { .. }
            | StoreError::Migration { .. }
            | StoreError::Sqlite(_) => None,
        }
    }
}
