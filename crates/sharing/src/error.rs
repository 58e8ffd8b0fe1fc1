//! Errors that stop an import or a query. Problems inside a list (an entry that is not a name,
//! a duplicate) are not errors: they are issues, stored with the list (see `list.rs`).

use std::path::PathBuf;

use remit_store::StoreError;

/// Why an import, a refresh or a query of sharing lists stopped. Each message names the file
/// (and the line and field when known); [`SharingError::help`] adds advice where there is some.
#[derive(Debug, thiserror::Error)]
pub enum SharingError {
    /// A file or folder could not be read from disk.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The file or folder that could not be read.
        path: PathBuf,
        /// What the operating system reported.
        #[source]
        source: std::io::Error,
    },
    /// The file's extension is not one of the sharing-list formats (.json, .csv, .txt, .xlsx).
    #[error("`{}` is not a sharing list remit can read (expected .json, .csv, .txt or .xlsx)", path.display())]
    UnsupportedFile {
        /// The file that was refused.
        path: PathBuf,
    },
    /// A portal archive is not valid UTF-8 or not valid JSON.
    #[error("`{}`, line {line}: not valid JSON: {message}", path.display())]
    Json {
        /// The archive being read.
        path: PathBuf,
        /// The 1-based line where the parser stopped.
        line: usize,
        /// The parser's description of the problem.
        message: String,
    },
    /// A JSON file is valid but lacks the shape of a transparency-portal archive.
    #[error("`{}` is not a transparency-portal archive: {reason}", path.display())]
    NotAPortal {
        /// The JSON file being read.
        path: PathBuf,
        /// What is missing or of the wrong kind, in plain words.
        reason: String,
    },
    /// One field of a portal archive has a value of the wrong kind (e.g. a number where a name
    /// is expected).
    #[error("`{}`, line {line}, field `{field}`: {message}", path.display())]
    BadField {
        /// The archive being read.
        path: PathBuf,
        /// The 1-based line of the field in the file; 0 when it could not be found.
        line: usize,
        /// The field's name as written in the file.
        field: String,
        /// What is wrong with the value.
        message: String,
    },
    /// A CSV or text list could not be parsed (bad quoting, invalid text, a record over the size
    /// limits).
    #[error("`{}`, line {line}: {message}", path.display())]
    Csv {
        /// The list being read.
        path: PathBuf,
        /// The 1-based line where reading stopped.
        line: u64,
        /// What the reader found wrong.
        message: String,
    },
    /// A table has a header but no column that holds agency names.
    #[error("`{}` has no column of agency names (the header is `{header}`)", path.display())]
    NoNameColumn {
        /// The table being read.
        path: PathBuf,
        /// The header row as written, for the message.
        header: String,
    },
    /// The table is a log of plate searches (an audit), not a list of who has access.
    #[error("`{}` is a search log (it has a `{column}` column), not a sharing list", path.display())]
    SearchLog {
        /// The table being read.
        path: PathBuf,
        /// The search-log column that gave it away, as written in the header.
        column: String,
    },
    /// An .xlsx workbook could not be opened or one of its sheets could not be read.
    #[error("cannot read the workbook `{}`: {message}", path.display())]
    Workbook {
        /// The workbook being read.
        path: PathBuf,
        /// The workbook reader's description of the problem.
        message: String,
    },
    /// A workbook has more than one sheet and no sheet was named.
    #[error("the workbook `{}` has several sheets ({sheets}); which one is the sharing list?", path.display())]
    WhichSheet {
        /// The workbook being read.
        path: PathBuf,
        /// The sheet names, joined for the message.
        sheets: String,
    },
    /// The sheet named with `--sheet` is not in the workbook.
    #[error("the workbook `{}` has no sheet `{sheet}` (it has {sheets})", path.display())]
    NoSuchSheet {
        /// The workbook being read.
        path: PathBuf,
        /// The sheet name that was asked for.
        sheet: String,
        /// The sheet names the workbook does have, joined for the message.
        sheets: String,
    },
    /// Neither the file nor the command line says whose data the list shares.
    #[error("`{}` does not say whose list it is", path.display())]
    NoOwner {
        /// The list being imported.
        path: PathBuf,
    },
    /// A direction was given for a file whose entries carry their own direction (a portal
    /// archive or an organisation export).
    #[error("`{}` says the direction of each entry itself; `--direction` applies to lists of names", path.display())]
    DirectionNotApplicable {
        /// The file the direction was given for.
        path: PathBuf,
    },
    /// The file was read but holds no agency name at all.
    #[error("`{}` lists no agency", path.display())]
    EmptyList {
        /// The empty list.
        path: PathBuf,
    },
    /// A date given by the user or stored with a list is not a valid YYYY-MM-DD date.
    #[error("`{text}` is not a date")]
    BadDate {
        /// The text as given.
        text: String,
    },
    /// A state given by the user is neither a two-letter code nor a state's name.
    #[error("`{text}` is not a US state")]
    BadState {
        /// The text as given.
        text: String,
    },
    /// No imported list has an owner matching the name asked for.
    #[error("no imported sharing list belongs to `{owner}`")]
    NoOwnerLists {
        /// The owner's name as asked for.
        owner: String,
        /// Names of owners that do have lists, closest first, for the help line; empty when none
        /// is close.
        suggestions: Vec<String>,
    },
    /// The name asked for matches the owners of lists of more than one agency.
    #[error("`{owner}` matches {count} owners of imported lists: {names}")]
    AmbiguousOwner {
        /// The owner's name as asked for.
        owner: String,
        /// How many owners it matches.
        count: usize,
        /// The matching owners' names, joined for the message.
        names: String,
    },
    /// The store holds no sharing list yet.
    #[error("no sharing list has been imported")]
    Empty,
    /// Reading the audit that a sharing list is set beside failed (used by `remit sharing
    /// compare`).
    #[error("{message}")]
    Audit {
        /// The audit's error message, shown as is.
        message: String,
        /// The audit's advice for the user, if it had any.
        help: Option<String>,
    },
    /// The store could not be opened, migrated, read or written.
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
