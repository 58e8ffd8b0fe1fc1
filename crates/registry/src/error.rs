//! Errors that stop an import or a query. Problems inside a sheet's cells are not errors: they
//! are data-quality issues, stored with the rows (see `parse.rs`).

use std::path::PathBuf;

use remit_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("cannot read `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` is not a sheet remit can read (expected .xlsx, .xls, .ods or .csv)", path.display())]
    UnsupportedFile { path: PathBuf },
    #[error("cannot read `{}`: {message}", path.display())]
    Unreadable { path: PathBuf, message: String },
    #[error("`{}` has no 287(g) header row (looked for `STATE`, `LAW ENFORCEMENT AGENCY` and `SUPPORT TYPE` in the first {rows} rows)", path.display())]
    NoHeader { path: PathBuf, rows: usize },
    #[error("cannot tell whether `{}` lists participating or pending agencies", path.display())]
    UnknownKind { path: PathBuf },
    #[error("cannot tell when `{}` was published", path.display())]
    UnknownTime { path: PathBuf },
    #[error("`{text}` is not a date")]
    BadDate { text: String },
    #[error("no {kind} snapshot was taken on or before {date}")]
    NoSnapshot {
        kind: &'static str,
        date: String,
        earliest: Option<String>,
    },
    #[error("the registry is empty")]
    Empty,
    #[error("no agency in the registry matches `{name}`")]
    NoAgency { name: String },
    #[error(transparent)]
    Fetch(#[from] crate::fetch::FetchError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<remit_store::rusqlite::Error> for RegistryError {
    fn from(error: remit_store::rusqlite::Error) -> RegistryError {
        RegistryError::Store(StoreError::Sqlite(error))
    }
}

impl RegistryError {
    /// Advice for the user, printed as a separate `help:` line.
    pub fn help(&self) -> Option<String> {
        match self {
            RegistryError::UnknownKind { .. } => Some(
                "name the file like ICE does (`participatingAgencies07182025pm.xlsx`, `pendingAgencies...`) or pass `--kind participating` or `--kind pending`".to_string(),
            ),
            RegistryError::UnknownTime { .. } => Some(
                "name the file like ICE does (`participatingAgencies07182025pm.xlsx`) or pass `--as-of 2025-07-18pm`".to_string(),
            ),
            RegistryError::BadDate { .. } => {
                Some("write dates as YYYY-MM-DD, optionally followed by am or pm".to_string())
            }
            RegistryError::NoSnapshot {
                earliest: Some(earliest),
                ..
            } => Some(format!("the earliest is {earliest}")),
            RegistryError::NoSnapshot { earliest: None, .. } | RegistryError::Empty => Some(
                "import ICE's sheets first: `remit registry import <files or folders>`".to_string(),
            ),
            RegistryError::NoAgency { .. } => {
                Some("try part of the name, e.g. `remit registry agency \"boca raton\"`".to_string())
            }
            RegistryError::NoHeader { .. } => Some(
                "the first row should read STATE, LAW ENFORCEMENT AGENCY, TYPE, COUNTY, SUPPORT TYPE (and SIGNED, MOA for participating agencies)".to_string(),
            ),
            RegistryError::Store(error) => error.help(),
            RegistryError::Fetch(error) => error.help(),
            RegistryError::Io { .. }
            | RegistryError::UnsupportedFile { .. }
            | RegistryError::Unreadable { .. } => None,
        }
    }
}
