//! Errors of the audit pipeline. Each names the file, and the line and field where there is one;
//! advice for the user comes from [`AuditError::help`] so the CLI can print it on its own line.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("`{path}`: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Classifier {
        path: String,
        line: Option<usize>,
        message: String,
    },
    #[error("`{path}`: {message}")]
    Layout {
        path: PathBuf,
        message: String,
        help: String,
    },
    #[error("`{path}` line {line}, field `{field}`: {message}")]
    Row {
        path: PathBuf,
        line: u64,
        field: String,
        message: String,
    },
    #[error("`{path}` is {kind}, not a search log")]
    NotASearchLog { path: PathBuf, kind: String },
    #[error("`{path}`: {message}")]
    Workbook { path: PathBuf, message: String },
    #[error("`{path}` line {line}: {message}")]
    Json {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{message}")]
    Owner { message: String, help: String },
    #[error("`--map`: {message}")]
    Map { message: String },
    #[error("{what}: {message}")]
    Output { what: String, message: String },
    #[error("the run was interrupted; nothing was written to the store")]
    Interrupted,
}

impl AuditError {
    pub fn io(path: &Path, source: std::io::Error) -> AuditError {
        AuditError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

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
