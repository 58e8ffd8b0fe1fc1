//! `remit watch`: keeps the 287(g) registry current and says what changed. Each run fetches
//! ICE's workbooks (as `remit registry fetch`), records the agreements added, removed, renamed
//! or changed model between consecutive participating sheets, prints them, hands each to an
//! optional hook as JSON, and optionally writes the Atom feed that `remit serve` also publishes
//! at `/feed.atom`. Once by default; with `--every`, again every so many hours.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{ExitCode, Stdio};
use std::time::Duration;

use remit_registry::remit_store::Store;
use remit_registry::{Change, Registry, atom};

use crate::Global;
use crate::commands::registry::{
    FetchArgs, describe_fetch, fetch_and_import, now_utc, store_error, user_error,
};
use crate::output::UserError;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  remit watch                                   # fetch once, record and print what changed
  remit watch --every 6 --exec 'notify-send 287g \"$(jq -r .sentence)\"'
  remit watch --feed /var/www/287g.atom --url https://www.ice.gov/identify-and-arrest/287g

The hook runs through `sh -c` once per change, with the change as one JSON object on standard
input and REMIT_CHANGE_KIND, REMIT_CHANGE_STATE and REMIT_CHANGE_AGENCY set.
Exit codes: 0 done; 2 when the fetch failed or a hook failed (once), or on a bad option.")]
pub struct Args {
    #[command(flatten)]
    fetch: FetchArgs,
    /// Fetch again every so many hours (e.g. 6, or 0.5) instead of once
    #[arg(long, value_name = "HOURS")]
    every: Option<f64>,
    /// Run this command for each change, with the change as JSON on its standard input
    #[arg(long, value_name = "CMD")]
    exec: Option<String>,
    /// Also write the Atom feed of the latest changes to this file after each run
    #[arg(long, value_name = "PATH")]
    feed: Option<PathBuf>,
}

/// The changes a feed file lists.
const FEED_ENTRIES: usize = 200;

pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let every = match args.every {
        Some(hours) if !(hours.is_finite() && hours > 0.0 && hours <= 24.0 * 366.0) => {
            return Err(UserError::with_help(
                format!("`{hours}` is not a number of hours to wait"),
                "use a positive number, e.g. `--every 6` or `--every 0.5`",
            )
            .into());
        }
        Some(hours) => Some(Duration::from_secs_f64(hours * 3600.0)),
        None => None,
    };
    let mut store = Store::open_or_default(global.db.as_deref()).map_err(store_error)?;
    let mut registry = Registry::open(&mut store).map_err(user_error)?;
    let Some(every) = every else {
        return once(&mut registry, &args);
    };
    loop {
        if let Err(error) = once(&mut registry, &args) {
            // A failed run is reported and the next one tried: ICE's page is often briefly down.
            let mut stderr = std::io::stderr().lock();
            let _ = crate::output::write_error(&mut stderr, &error);
            let _ = writeln!(
                stderr,
                "remit: trying again in {:.1} hours",
                every.as_secs_f64() / 3600.0
            );
        }
        std::thread::sleep(every);
    }
}

fn once(registry: &mut Registry<'_>, args: &Args) -> anyhow::Result<ExitCode> {
    let outcome = fetch_and_import(registry, &args.fetch)?;
    let (_, _, now) = now_utc()?;
    let changes = registry.record_changes(&now).map_err(user_error)?;
    let mut stdout = std::io::stdout().lock();
    if args.fetch.json {
        let value = serde_json::json!({
            "checked_at": now,
            "fetch": outcome,
            "changes": changes.iter().map(change_json).collect::<Vec<_>>(),
        });
        writeln!(stdout, "{value}")?;
    } else {
        writeln!(stdout, "{now}: {}", describe_fetch(&outcome))?;
        if changes.is_empty() {
            writeln!(stdout, "no change since the previous sheet")?;
        } else {
            writeln!(stdout, "{} changes recorded:", changes.len())?;
            for change in &changes {
                writeln!(
                    stdout,
                    "  {}  sheet of {}: {}",
                    change.kind,
                    change.taken,
                    change.sentence()
                )?;
            }
        }
    }
    drop(stdout);
    let mut failed_hooks = 0;
    if let Some(command) = &args.exec {
        for change in &changes {
            if let Err(message) = run_hook(command, change) {
                failed_hooks += 1;
                eprintln!(
                    "remit: the hook failed for a change ({}): {message}",
                    change.sentence()
                );
            }
        }
    }
    if let Some(path) = &args.feed {
        let latest = registry.changes(None, FEED_ENTRIES).map_err(user_error)?;
        let xml = atom::feed(
            &latest,
            &atom::FeedMeta {
                base_url: "http://127.0.0.1:8001",
                self_path: "/feed.atom",
                state: None,
                now: &now,
            },
        );
        std::fs::write(path, xml).map_err(|error| {
            UserError::with_help(
                format!("cannot write the feed to `{}`: {error}", path.display()),
                "check that the folder exists and is writable",
            )
        })?;
    }
    if failed_hooks > 0 {
        return Err(UserError::with_help(
            format!("the hook failed for {failed_hooks} of {} changes", changes.len()),
            "the changes are recorded all the same; run the hook by hand with the JSON above to see why",
        )
        .into());
    }
    Ok(ExitCode::SUCCESS)
}

fn change_json(change: &Change) -> serde_json::Value {
    let mut value = serde_json::to_value(change).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        object.insert("sentence".into(), change.sentence().into());
    }
    value
}

/// Runs the hook for one change; `Err` with why it failed.
fn run_hook(command: &str, change: &Change) -> Result<(), String> {
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .env("REMIT_CHANGE_KIND", &change.kind)
        .env("REMIT_CHANGE_STATE", &change.state)
        .env("REMIT_CHANGE_AGENCY", &change.agency)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start `sh -c`: {error}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its input is fine: a closed pipe is not an error here.
        let _ = writeln!(stdin, "{}", change_json(change));
    }
    let status = child
        .wait()
        .map_err(|error| format!("cannot wait for the hook: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("it exited with {status}"))
    }
}
