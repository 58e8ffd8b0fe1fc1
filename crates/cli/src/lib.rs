//! The `remit` command as a library: argument parsing, dispatch and the renderers of every
//! command, so that tests call them in process. The binary (`main.rs`) only calls [`main`].
//! Every command's work lives in a library crate (remit-app for work that joins domains,
//! remit-law, remit-agencies, ...) and is called from a module under `commands/`.

#![warn(missing_docs)]

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

pub mod commands;
pub mod output;
pub mod publish;

pub use output::UserError;

/// Options every command accepts.
#[derive(Debug)]
pub struct Global {
    /// The SQLite store to use instead of the default one.
    pub db: Option<PathBuf>,
    /// Suppress progress bars.
    pub quiet: bool,
}

/// Remit: the rules and records of cooperation between US local police and federal immigration
/// authorities. Remit describes the law; it is not legal advice.
#[derive(Debug, Parser)]
#[command(name = "remit", version, about, long_about = None, max_term_width = 100)]
struct Cli {
    /// Use this SQLite store instead of the default one in the user's data directory
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Do not show progress bars
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ask what the law says: may, must or must not this actor do this act, here, on this date?
    Ask(commands::ask::Args),
    /// Every question the law answers for one actor in one place: a one-page guide
    Guide(commands::guide::Args),
    /// List, show, check and test the rules of the corpus; coverage and sources
    Rules(commands::rules::Args),
    /// ICE's 287(g) sheets: import them, then counts, changes and histories for any date
    Registry(commands::registry::Args),
    /// Resolve agency names; search and show the directory; import the FBI agency list
    Agencies(commands::agencies::Args),
    /// Serve the dashboard and JSON API on this machine (read-only, 127.0.0.1 by default)
    Serve(commands::serve::Args),
    /// Write the dashboard out as static files that any web host or a folder on disk can serve
    Publish(commands::publish::Args),
    /// Plate-reader sharing: import portals and sharing lists, check every edge, report per owner or state
    Sharing(commands::sharing::Args),
    /// Audit plate-reader search logs: every search's reason, searcher and the law on sharing with it
    Audit(commands::audit::Args),
    /// Synthetic inputs for demos and benchmarks
    Demo(commands::demo::Args),
    /// Check a store for damage, or recover what can be read of a damaged one into a new file
    Store(commands::store::Args),
    /// Keep the 287(g) registry current: fetch ICE's sheets, record and publish what changed
    Watch(commands::watch::Args),
}

/// The command line's definition, with the "Limits" paragraph (the environment variables that
/// raise the limits on input) added to the help of `remit audit` after its examples. (`sharing
/// import` and `registry import` carry it in their own definitions.)
pub fn command() -> clap::Command {
    Cli::command().mut_subcommand("audit", |audit| {
        let examples = audit
            .get_after_help()
            .map(ToString::to_string)
            .unwrap_or_default();
        let limits = remit_audit::remit_store::limits::help();
        audit.after_help(format!("{examples}\n\n{limits}"))
    })
}

fn dispatch(command: Command, global: &Global) -> anyhow::Result<ExitCode> {
    match command {
        Command::Ask(args) => commands::ask::run(args, global),
        Command::Guide(args) => commands::guide::run(args, global),
        Command::Rules(args) => commands::rules::run(args, global),
        Command::Registry(args) => commands::registry::run(args, global),
        Command::Agencies(args) => commands::agencies::run(args, global),
        Command::Serve(args) => commands::serve::run(args, global),
        Command::Publish(args) => commands::publish::run(args, global),
        Command::Sharing(args) => commands::sharing::run(args, global),
        Command::Audit(args) => commands::audit::run(args, global),
        Command::Demo(args) => commands::demo::run(args, global),
        Command::Store(args) => commands::store::run(args, global),
        Command::Watch(args) => commands::watch::run(args, global),
    }
}

/// Parses the process's arguments, runs the command and maps the result to the documented exit
/// codes (0 ok, 1 a finding where asked, 2 an error, printed with its help lines).
pub fn main() -> ExitCode {
    let cli = match command()
        .try_get_matches()
        .and_then(|mut matches| Cli::from_arg_matches_mut(&mut matches))
    {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let global = Global {
        db: cli.db,
        quiet: cli.quiet,
    };
    match dispatch(cli.command, &global) {
        Ok(code) => code,
        Err(error) => {
            let mut stderr = std::io::stderr().lock();
            let _ = output::write_error(&mut stderr, &error);
            let _ = stderr.flush();
            ExitCode::from(2)
        }
    }
}
