//! Errors of the audit pipeline. Each names the file, and the line and field where there is one;
//! advice for the user comes from [`AuditError::help`] so the CLI can print it on its own line.

use std::path::{Path, PathBuf};

/// Why an audit could not run or could not finish; [`AuditError::help`] adds advice.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// A file could not be read or written.
    #[error("`{path}`: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system reported.
        #[source]
        source: std::io::Error,
    },
    /// The reason classifier's rules file is malformed.
    #[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Classifier {
        /// The rules file.
        path: String,
        /// The 1-based line of the problem, when known.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// The file's columns match no known log layout, or a layout's required field is missing.
    #[error("`{path}`: {message}")]
    Layout {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
        /// What the user can do about it.
        help: String,
    },
    /// A row could not be read (with `--strict`; otherwise it goes to `rejects.csv`).
    #[error("`{path}` line {line}, field `{field}`: {message}")]
    Row {
        /// The file.
        path: PathBuf,
        /// The physical line where the record starts.
        line: u64,
        /// The field that could not be read.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The file is a known record but not a search log (a sharing list, ...).
    #[error("`{path}` is {kind}, not a search log")]
    NotASearchLog {
        /// The file.
        path: PathBuf,
        /// What the file is, in plain words.
        kind: String,
    },
    /// A spreadsheet could not be opened or read.
    #[error("`{path}`: {message}")]
    Workbook {
        /// The file.
        path: PathBuf,
        /// What the spreadsheet reader reported.
        message: String,
    },
    /// A JSON or NDJSON record could not be read.
    #[error("`{path}` line {line}: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The line of the record.
        line: u64,
        /// What the JSON reader reported.
        message: String,
    },
    /// The data's owner is needed and neither given nor readable from the logs.
    #[error("{message}")]
    Owner {
        /// Why the owner is needed.
        message: String,
        /// How to name it.
        help: String,
    },
    /// The `--map` option (log field to column) is malformed.
    #[error("`--map`: {message}")]
    Map {
        /// What is wrong.
        message: String,
    },
    /// An output (a file, the store, a report) could not be written.
    #[error("{what}: {message}")]
    Output {
        /// The output, in plain words (e.g. `the store`).
        what: String,
        /// What went wrong.
        message: String,
    },
    /// The run was stopped before it finished (e.g. its upload was cancelled).
    #[error("the run was interrupted; nothing was written to the store")]
    Interrupted,
}

impl AuditError {
    /// An [`AuditError::Io`] for `path`.
    pub fn io(path: &Path, source: std::io::Error) -> AuditError {
        AuditError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// An [`AuditError::Output`]: `what` names the output, `message` says what went wrong.
    pub fn output(what: impl Into<String>, message: impl std::fmt::Display) -> AuditError {
        AuditError::Output {
            what: what.into(),
            message: message.to_string(),
        }
    }

    /// Advice for the user, printed on a separate `help` line.
    pub fn help(&self) -> Option<String> {
        match self {
            AuditError::Layout { help, .. } | AuditError::Owner { help, .. } => Some(help.clone()),
            AuditError::Row { .. } => Some(
                "without `--strict`, bad rows are written to `rejects.csv` and the rest are audited"
                    .to_string(),
            ),
            AuditError::NotASearchLog { .. } => Some(
                "`remit audit` reads search logs (Flock network, organization and portal audits, Vigilant audits); sharing lists are for `remit sharing`"
                    .to_string(),
            ),
            AuditError::Map { .. } => Some(
                "write `--map time=Search Time,org=Agency,reason=Reason`; fields: time, org, reason, case, user, plate, networks, devices, type, moderation, id"
                    .to_string(),
            ),
            AuditError::Classifier { .. } => Some(
                "`classifiers/reasons.toml` shows the format; `docs/methodology.md#plate-reader-search-audits` explains it"
                    .to_string(),
            ),
            _ => None,
        }
    }
}
