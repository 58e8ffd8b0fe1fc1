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
    #[error("no database at `{}`", path.display())]
    Missing { path: PathBuf },
    #[error("`{}` already exists", path.display())]
    Exists { path: PathBuf },
    #[error("the database `{}` is read-only and cannot be written", path.display())]
    ReadOnly { path: PathBuf },
    #[error(
        "the database `{}` is read-only and its `{component}` tables are at version {found}, older than this remit needs ({known})",
        path.display()
    )]
    ReadOnlyUpgrade {
        path: PathBuf,
        component: String,
        found: u32,
        known: u32,
    },
    #[error("the database `{}` is damaged: {problems}", path.display())]
    Corrupt { path: PathBuf, problems: String },
    #[error("the disk holding the database `{}` is full", path.display())]
    Full { path: PathBuf },
    #[error("cannot write to the database `{}`", path.display())]
    Write {
        path: PathBuf,
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
