//! Errors that stop an import or a query. Problems inside a sheet's cells are not errors: they
//! are data-quality issues, stored with the rows (see `parse.rs`).

use std::path::PathBuf;

use remit_store::StoreError;

/// Why an import or a query of the registry failed; [`RegistryError::help`] adds advice.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// A file could not be read from disk.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system reported.
        #[source]
        source: std::io::Error,
    },
    /// The file's extension is not one of the sheet formats read (XLSX, XLSM, XLS, ODS, CSV).
    #[error("`{}` is not a sheet remit can read (expected .xlsx, .xls, .ods or .csv)", path.display())]
    UnsupportedFile {
        /// The file.
        path: PathBuf,
    },
    /// The file has a sheet format's extension but its content could not be read as one, or
    /// exceeds the size limits.
    #[error("cannot read `{}`: {message}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What went wrong, from the spreadsheet or CSV reader or the size check.
        message: String,
    },
    /// No row near the top of the sheet holds the 287(g) column headers.
    #[error("`{}` has no 287(g) header row (looked for `STATE`, `LAW ENFORCEMENT AGENCY` and `SUPPORT TYPE` in the first {rows} rows)", path.display())]
    NoHeader {
        /// The file.
        path: PathBuf,
        /// How many rows from the top were searched.
        rows: usize,
    },
    /// Neither the file name nor the caller says whether the sheet lists participating or
    /// pending agencies.
    #[error("cannot tell whether `{}` lists participating or pending agencies", path.display())]
    UnknownKind {
        /// The file.
        path: PathBuf,
    },
    /// Neither the file name nor the caller says when the sheet was published.
    #[error("cannot tell when `{}` was published", path.display())]
    UnknownTime {
        /// The file.
        path: PathBuf,
    },
    /// A date given by the user is not `YYYY-MM-DD` (optionally followed by `am` or `pm`).
    #[error("`{text}` is not a date")]
    BadDate {
        /// The text as given.
        text: String,
    },
    /// No sheet of the kind asked for was published on or before the date asked about.
    #[error("no {kind} snapshot was taken on or before {date}")]
    NoSnapshot {
        /// `participating` or `pending`.
        kind: &'static str,
        /// The date asked about, `YYYY-MM-DD`.
        date: String,
        /// The earliest snapshot of that kind (`None` when none is imported).
        earliest: Option<String>,
    },
    /// A query found no snapshot of the kind it needs: nothing is imported yet.
    #[error("the registry is empty")]
    Empty,
    /// No agency's name matches the name asked about.
    #[error("no agency in the registry matches `{name}`")]
    NoAgency {
        /// The name as given.
        name: String,
    },
    /// Downloading ICE's sheets failed.
    #[error(transparent)]
    Fetch(#[from] crate::fetch::FetchError),
    /// The store failed (a database error, or a failed migration).
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
