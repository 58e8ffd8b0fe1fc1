//! One module per command group.

pub mod agencies;
pub mod ask;
pub mod audit;
pub mod demo;
pub mod guide;
pub mod publish;
pub mod registry;
pub mod rules;
pub mod serve;
pub mod sharing;
pub mod store;
pub mod watch;

use std::path::PathBuf;

/// `--directory`, for the commands that resolve agency names (agencies, sharing).
#[derive(Debug, clap::Args)]
pub struct DirectoryArg {
    /// Use this directory file (FBI CSV format) instead of the imported one or the built-in sample
    #[arg(long, value_name = "PATH")]
    pub directory: Option<PathBuf>,
}
