//! What can go wrong with the database, in words a user can act on.

use std::path::PathBuf;

/// An error opening, migrating or writing the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store's folder could not be made.
    #[error("cannot create the folder `{}`", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// SQLite could not open the file.
    #[error("cannot open the database `{}`", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// SQLite would not switch the file to write-ahead logging.
    #[error("the database `{}` cannot use write-ahead logging (journal mode is `{mode}`)", path.display())]
    NoWal {
        /// The file.
        path: PathBuf,
        /// The journal mode SQLite kept.
        mode: String,
    },
    /// Neither `XDG_DATA_HOME` nor `HOME` says where the default store goes.
    #[error("cannot find a data directory: neither XDG_DATA_HOME nor HOME is set")]
    NoDataDirectory,
    /// The file was written by a newer Remit.
    #[error(
        "the database has `{component}` schema version {found}, newer than this remit knows ({known})"
    )]
    SchemaTooNew {
        /// The component (`registry`, `audit`, ...).
        component: String,
        /// The version in the file.
        found: u32,
        /// The newest version this program knows.
        known: u32,
    },
    /// The code's migrations are misnumbered (a programming error, caught by the tests).
    #[error(
        "the migrations of `{component}` are not numbered 1, 2, 3, ... (found {version} at position {position})"
    )]
    MigrationOrder {
        /// The component.
        component: String,
        /// The version found.
        version: u32,
        /// Where in the list it was found.
        position: usize,
    },
    /// A migration failed (the store is left as it was).
    #[error("migration {version} (`{name}`) of `{component}` failed")]
    Migration {
        /// The component.
        component: String,
        /// The migration's version.
        version: u32,
        /// The migration's name.
        name: String,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// The file to read does not exist.
    #[error("no database at `{}`", path.display())]
    Missing {
        /// The file.
        path: PathBuf,
    },
    /// The file to create exists already.
    #[error("`{}` already exists", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// The file cannot be written.
    #[error("the database `{}` is read-only and cannot be written", path.display())]
    ReadOnly {
        /// The file.
        path: PathBuf,
    },
    /// The file cannot be written and its tables are older than this program needs.
    #[error(
        "the database `{}` is read-only and its `{component}` tables are at version {found}, older than this remit needs ({known})",
        path.display()
    )]
    ReadOnlyUpgrade {
        /// The file.
        path: PathBuf,
        /// The component.
        component: String,
        /// The version in the file.
        found: u32,
        /// The version this program needs.
        known: u32,
    },
    /// SQLite found the file damaged.
    #[error("the database `{}` is damaged: {problems}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What the integrity check reported.
        problems: String,
    },
    /// The disk is full.
    #[error("the disk holding the database `{}` is full", path.display())]
    Full {
        /// The file.
        path: PathBuf,
    },
    /// A write failed.
    #[error("cannot write to the database `{}`", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// Any other SQLite error.
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
            StoreError::Missing { .. } => Some(
                "import data first (e.g. `remit registry import FILES`), or pass `--db PATH`"
                    .to_string(),
            ),
            StoreError::ReadOnly { path } => Some(format!(
                "reading works as it is; to write, make `{}` and its folder writable, or pass `--db PATH` to write elsewhere",
                path.display()
            )),
            StoreError::ReadOnlyUpgrade { path, .. } => Some(format!(
                "make `{}` and its folder writable and run any remit command on it once, so that it is upgraded",
                path.display()
            )),
            StoreError::Corrupt { path, .. } => Some(format!(
                "see what is damaged with `remit store check --db {0}`, then copy what can be read into a new file with `remit store recover --db {0} --into NEW.db`",
                shell_word(path)
            )),
            StoreError::Exists { .. } => {
                Some("name a new file: the recovered store is written into a file of its own".to_string())
            }
            StoreError::Full { .. } => Some(
                "free some space on that disk, or pass `--db PATH` on another one; nothing of the failed import was kept"
                    .to_string(),
            ),
            StoreError::Sqlite(error) if is_disk_full(error) => Some(
                "the disk holding the database is full: free some space on it, or pass `--db PATH` on another one; nothing of the failed import was kept"
                    .to_string(),
            ),
            StoreError::Sqlite(error) | StoreError::Write { source: error, .. }
                if matches!(
                    error.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
                ) =>
            {
                Some(
                    "the store is damaged: see what is damaged with `remit store check` (with the same `--db`), then copy what can be read into a new file with `remit store recover --into NEW.db`"
                        .to_string(),
                )
            }
            StoreError::MigrationOrder { .. }
            | StoreError::Migration { .. }
            | StoreError::Write { .. }
            | StoreError::Sqlite(_) => None,
        }
    }

    /// A failed write to the store at `path`, named after what the user can do about it (a
    /// full disk, a read-only or damaged file). Importers wrap their statements' errors with it.
    pub fn writing(path: &std::path::Path, source: rusqlite::Error) -> StoreError {
        StoreError::write(Some(path), source)
    }

    pub(crate) fn write(path: Option<&std::path::Path>, source: rusqlite::Error) -> StoreError {
        let path = path.map(std::path::Path::to_path_buf).unwrap_or_default();
        match source.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::Full { path },
            Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly { path },
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                StoreError::Corrupt {
                    path,
                    problems: source.to_string(),
                }
            }
            _ => StoreError::Write { path, source },
        }
    }

    /// Whether the store itself failed (full, damaged, read-only), so that a batch of imports
    /// should stop at this file instead of failing the same way on every other one.
    pub fn stops_a_batch(&self) -> bool {
        match self {
            StoreError::Full { .. }
            | StoreError::ReadOnly { .. }
            | StoreError::ReadOnlyUpgrade { .. }
            | StoreError::Corrupt { .. }
            | StoreError::SchemaTooNew { .. } => true,
            StoreError::Sqlite(error) | StoreError::Write { source: error, .. } => matches!(
                error.sqlite_error_code(),
                Some(
                    rusqlite::ErrorCode::DiskFull
                        | rusqlite::ErrorCode::ReadOnly
                        | rusqlite::ErrorCode::DatabaseCorrupt
                        | rusqlite::ErrorCode::NotADatabase
                        | rusqlite::ErrorCode::SystemIoFailure
                )
            ),
            _ => false,
        }
    }
}

fn is_disk_full(error: &rusqlite::Error) -> bool {
    error.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull)
}

/// `path` as one word for a shell: quoted when it holds anything but plain characters.
fn shell_word(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:=,@".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}
