//! Errors that stop an import or a query. Problems inside a list (an entry that is not a name,
//! a duplicate) are not errors: they are issues, stored with the list (see `list.rs`).

use std::path::PathBuf;

use remit_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum SharingError {
    #[error("cannot read `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` is not a sharing list remit can read (expected .json, .csv, .txt or .xlsx)", path.display())]
    UnsupportedFile { path: PathBuf },
    #[error("`{}`, line {line}: not valid JSON: {message}", path.display())]
    Json {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("`{}` is not a transparency-portal archive: {reason}", path.display())]
    NotAPortal { path: PathBuf, reason: String },
    #[error("`{}`, line {line}, field `{field}`: {message}", path.display())]
    BadField {
        path: PathBuf,
        line: usize,
        field: String,
        message: String,
    },
    #[error("`{}`, line {line}: {message}", path.display())]
    Csv {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("`{}` has no column of agency names (the header is `{header}`)", path.display())]
    NoNameColumn { path: PathBuf, header: String },
    #[error("`{}` is a search log (it has a `{column}` column), not a sharing list", path.display())]
    SearchLog { path: PathBuf, column: String },
    #[error("cannot read the workbook `{}`: {message}", path.display())]
    Workbook { path: PathBuf, message: String },
    #[error("the workbook `{}` has several sheets ({sheets}); which one is the sharing list?", path.display())]
    WhichSheet { path: PathBuf, sheets: String },
    #[error("the workbook `{}` has no sheet `{sheet}` (it has {sheets})", path.display())]
    NoSuchSheet {
        path: PathBuf,
        sheet: String,
        sheets: String,
    },
    #[error("`{}` does not say whose list it is", path.display())]
    NoOwner { path: PathBuf },
    #[error("`{}` says the direction of each entry itself; `--direction` applies to lists of names", path.display())]
    DirectionNotApplicable { path: PathBuf },
    #[error("`{}` lists no agency", path.display())]
    EmptyList { path: PathBuf },
    #[error("`{text}` is not a date")]
    BadDate { text: String },
    #[error("`{text}` is not a US state")]
    BadState { text: String },
    #[error("no imported sharing list belongs to `{owner}`")]
    NoOwnerLists {
        owner: String,
        suggestions: Vec<String>,
    },
    #[error("`{owner}` matches {count} owners of imported lists: {names}")]
    AmbiguousOwner {
        owner: String,
        count: usize,
        names: String,
    },
    #[error("no sharing list has been imported")]
    Empty,
    #[error("{message}")]
    Audit {
        message: String,
        help: Option<String>,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<remit_store::rusqlite::Error> for SharingError {
    fn from(error: remit_store::rusqlite::Error) -> SharingError {
        SharingError::Store(StoreError::Sqlite(error))
    }
}

impl SharingError {
    /// Advice for the user, printed as a separate `help:` line.
    pub fn help(&self) -> Option<String> {
        match self {
            SharingError::UnsupportedFile { .. } => Some(
                "pass transparency-portal JSON, a CSV with a `Name` or `Organization Name` column, a text file with one name per line, or a workbook with `--sheet`".to_string(),
            ),
            SharingError::NotAPortal { .. } => Some(
                "portal archives are JSON objects with `crawled_slug`, `crawled_name` and `sharing_outbound`".to_string(),
            ),
            SharingError::NoNameColumn { .. } => Some(
                "name the column `Name` (with `State` and `Type` beside it if known) or `Organization Name`; for a bare list, save it as .txt with one name per line".to_string(),
            ),
            SharingError::SearchLog { .. } => Some(
                "audit it with `remit audit`, or set it beside a sharing list with `remit sharing compare --owner NAME --audit FILE`".to_string(),
            ),
            SharingError::WhichSheet { .. } | SharingError::NoSuchSheet { .. } => {
                Some("pass `--sheet NAME`, e.g. `--sheet A1`".to_string())
            }
            SharingError::NoOwner { .. } => Some(
                "pass `--owner NAME`, the agency whose data the list shares, e.g. `--owner \"Eugene OR PD\"`".to_string(),
            ),
            SharingError::BadDate { .. } => {
                Some("write dates as YYYY-MM-DD, e.g. 2025-01-31".to_string())
            }
            SharingError::BadState { .. } => {
                Some("use a two-letter code (`CA`) or a name (`California`)".to_string())
            }
            SharingError::NoOwnerLists { suggestions, .. } if !suggestions.is_empty() => Some(
                format!(
                    "owners with lists include {}",
                    suggestions
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            SharingError::NoOwnerLists { .. } | SharingError::Empty => Some(
                "import lists first: `remit sharing import <files or folders>`".to_string(),
            ),
            SharingError::AmbiguousOwner { .. } => {
                Some("add the state to the name (`Orange CA PD`) or give the ORI".to_string())
            }
            SharingError::Audit { help, .. } => help.clone(),
            SharingError::Store(error) => error.help(),
            SharingError::DirectionNotApplicable { .. } => {
                Some("leave out `--direction` for portal archives and Flock organisation exports".to_string())
            }
            SharingError::Io { .. }
            | SharingError::Json { .. }
            | SharingError::BadField { .. }
            | SharingError::Csv { .. }
            | SharingError::Workbook { .. }
            | SharingError::EmptyList { .. } => None,
        }
    }
}
