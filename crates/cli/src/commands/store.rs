//! `remit store`: the way out when a store is damaged. `check` reads every page of the store
//! (SQLite's `integrity_check`) and says what it found, without changing anything; `recover`
//! copies every row that can still be read into a new file, leaving the damaged one as it is,
//! so that the user can compare them and keep the copy.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use remit_registry::remit_store::{Store, StoreError, default_path};

use crate::Global;
use crate::output::UserError;

/// The arguments of `remit store`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  remit store check                        # the default store
  remit store check --db remit.db --json
  remit store recover --db remit.db --into recovered.db")]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Check every page of the store and list what is damaged (changes nothing; exit code 1 when damaged)
    Check(CheckArgs),
    /// Copy every row that can still be read into a new store file (the damaged one is not changed)
    Recover(RecoverArgs),
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Print the result as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct RecoverArgs {
    /// The new store file to write (must not exist)
    #[arg(long, value_name = "PATH")]
    into: PathBuf,
}

/// Runs `remit store`: check a store, or recover what can be read of it.
pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let path = match &global.db {
        Some(path) => path.clone(),
        None => default_path().map_err(store_error)?,
    };
    match args.command {
        Command::Check(args) => check(&path, args.json),
        Command::Recover(args) => recover(&path, &args.into, global.quiet),
    }
}

fn store_error(error: StoreError) -> anyhow::Error {
    let help = error.help();
    anyhow::Error::new(UserError::with_causes(&error, help))
}

fn check(path: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let check = Store::check_file(path).map_err(store_error)?;
    if json {
        let value = serde_json::json!({
            "path": check.path,
            "bytes": check.bytes,
            "sound": check.is_sound(),
            "writable": check.writable,
            "log_left_behind": check.log_left_behind,
            "schema": check.schema.iter().map(|(component, version)| {
                serde_json::json!({"component": component, "version": version})
            }).collect::<Vec<_>>(),
            "problems": check.problems,
        });
        println!("{value}");
    } else {
        println!(
            "{}: {} bytes{}",
            check.path.display(),
            check.bytes,
            if check.writable { "" } else { ", read-only" }
        );
        for (component, version) in &check.schema {
            println!("  {component} tables at version {version}");
        }
        if check.log_left_behind {
            println!(
                "  a write-ahead log is present: the last writer did not close the store, or one has it open now"
            );
        }
        if check.is_sound() {
            println!("sound: every page and index reads back as written");
        } else {
            println!("damaged: {} problems found", check.problems.len());
            for problem in check.problems.iter().take(20) {
                println!("  {problem}");
            }
            if check.problems.len() > 20 {
                println!("  ... and {} more", check.problems.len() - 20);
            }
            println!(
                "help: copy what can be read into a new file with `remit store recover --db {} --into NEW.db`",
                check.path.display()
            );
        }
    }
    Ok(if check.is_sound() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn recover(from: &Path, into: &Path, quiet: bool) -> anyhow::Result<ExitCode> {
    let recovery = Store::recover(from, into).map_err(store_error)?;
    let rows: u64 = recovery.tables.iter().map(|t| t.rows).sum();
    println!(
        "recovered {rows} rows of {} tables into `{}`",
        recovery.tables.len(),
        into.display()
    );
    if !quiet {
        for table in &recovery.tables {
            println!(
                "  {}: {} rows{}",
                table.name,
                table.rows,
                if table.damaged {
                    ", some could not be read"
                } else {
                    ""
                }
            );
        }
    }
    for note in &recovery.notes {
        println!("  {note}");
    }
    if recovery.is_complete() {
        println!("every row was read: the copy is complete");
    } else {
        println!(
            "some rows could not be read and are missing from the copy; `{}` is unchanged",
            from.display()
        );
    }
    println!(
        "help: check the copy with `remit store check --db {}`, then use it with `--db` or put it in place of the damaged file",
        into.display()
    );
    Ok(ExitCode::SUCCESS)
}
