//! `remit watch`: keeps the records current and says what changed. Each run fetches ICE's 287(g)
//! workbooks (as `remit registry fetch`) and records the agreements added, removed, renamed or
//! changed model between consecutive participating sheets; records the partners added to or
//! dropped from sharing lists when a newer list of the same owner was imported (`remit sharing
//! import`); and compares the corpus loaded with the corpus seen at the last run (rules added,
//! amended, removed, or now enjoined, stayed, vacated, repealed or in force). It prints what is
//! new since the last run, hands each new change to an optional hook as JSON, and optionally
//! writes the Atom feed that `remit serve` also publishes at `/feed.atom`. The first run in a
//! store records a baseline instead of replaying the history already on record. Once by default;
//! with `--every`, again every so many hours.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{ExitCode, Stdio};
use std::time::Duration;

use remit_registry::remit_store::Store;
use remit_registry::{Change, CorpusChange, Registry, RuleState, WatchReport, atom};
use remit_sharing::Sharing;
use remit_sharing::changes::ListChange;

use crate::Global;
use crate::commands::registry::{
    FetchArgs, describe_fetch, fetch_and_import, now_utc, store_error, user_error,
};
use crate::output::{UserError, load_corpus, today};

/// The arguments of `remit watch`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  remit watch                                   # fetch once, record and print what is new
  remit watch --every 6 --exec 'notify-send remit \"$(jq -r .sentence)\"'
  remit watch --feed /var/www/287g.atom --url https://www.ice.gov/identify-and-arrest/287g

The first run in a store records a baseline: the changes already on record (from the sheets and
lists imported before, and the corpus as it is) are not reported or passed to the hook; later
runs report what is new since the run before. The hook runs through `sh -c` once per new change,
with the change as one JSON object on standard input (`source` is `registry`, `sharing` or
`corpus`) and REMIT_CHANGE_SOURCE, REMIT_CHANGE_KIND, REMIT_CHANGE_STATE and
REMIT_CHANGE_AGENCY (or the rule's id) set.
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
    /// Also write the Atom feed of the latest 287(g) changes to this file after each run
    #[arg(long, value_name = "PATH")]
    feed: Option<PathBuf>,
    /// Watch the corpus in this folder instead of the built-in one
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
}

/// The changes a feed file lists.
const FEED_ENTRIES: usize = 200;

/// Runs `remit watch`: one round, or one every `--every` hours.
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
    let Some(every) = every else {
        return once(&mut store, &args);
    };
    loop {
        if let Err(error) = once(&mut store, &args) {
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

/// One change of any source, as printed and handed to the hook.
enum News {
    Registry(Change),
    Sharing(ListChange),
    Corpus(CorpusChange),
}

impl News {
    fn sentence(&self) -> String {
        match self {
            News::Registry(change) => change.sentence(),
            News::Sharing(change) => change.sentence(),
            News::Corpus(change) => change.sentence(),
        }
    }

    /// What the output line starts with: the kind and where it comes from.
    fn label(&self) -> String {
        match self {
            News::Registry(change) => format!("{}  sheet of {}", change.kind, change.taken),
            News::Sharing(change) => format!("{}  sharing list of {}", change.kind, change.to_date),
            News::Corpus(change) => format!("{}  corpus {}", change.kind, change.to_version),
        }
    }

    fn json(&self) -> serde_json::Value {
        let (source, value) = match self {
            News::Registry(change) => ("registry", serde_json::to_value(change)),
            News::Sharing(change) => ("sharing", serde_json::to_value(change)),
            News::Corpus(change) => ("corpus", serde_json::to_value(change)),
        };
        let mut value = value.unwrap_or_default();
        if let Some(object) = value.as_object_mut() {
            object.insert("source".into(), source.into());
            object.insert("sentence".into(), self.sentence().into());
        }
        value
    }

    /// Source, kind, state and agency (or rule) for the hook's environment.
    fn environment(&self) -> [(&'static str, String); 4] {
        let (source, kind, state, agency) = match self {
            News::Registry(c) => ("registry", &c.kind, c.state.clone(), c.agency.clone()),
            News::Sharing(c) => (
                "sharing",
                &c.kind,
                c.owner_state.clone().unwrap_or_default(),
                c.owner.clone(),
            ),
            News::Corpus(c) => ("corpus", &c.kind, String::new(), c.rule_id.clone()),
        };
        [
            ("REMIT_CHANGE_SOURCE", source.to_string()),
            ("REMIT_CHANGE_KIND", kind.clone()),
            ("REMIT_CHANGE_STATE", state),
            ("REMIT_CHANGE_AGENCY", agency),
        ]
    }
}

/// The corpus's rules as watched: a hash of each rule's content (without where it is written)
/// and its status today.
fn rule_states(corpus: &remit_law::Corpus) -> Vec<RuleState> {
    let day = today();
    corpus
        .rules()
        .iter()
        .map(|rule| {
            let mut value = serde_json::to_value(rule).unwrap_or_default();
            if let Some(object) = value.as_object_mut() {
                object.remove("location");
            }
            let status = serde_json::to_value(rule.status_on(day))
                .ok()
                .and_then(|s| s.as_str().map(str::to_string))
                .unwrap_or_default();
            RuleState {
                id: rule.id.clone(),
                hash: remit_registry::remit_store::content_hash(value.to_string().as_bytes()),
                status,
                summary: rule.summary.clone(),
                citation: rule.source.citation.clone(),
                jurisdiction: rule.jurisdiction.to_string(),
            }
        })
        .collect()
}

/// What one source reports: a baseline (with how many changes were on record) or the news.
type Report = (Option<u64>, Vec<News>);

fn once(store: &mut Store, args: &Args) -> anyhow::Result<ExitCode> {
    let (outcome, registry_report) = {
        let mut registry = Registry::open(store).map_err(user_error)?;
        let outcome = fetch_and_import(&mut registry, &args.fetch)?;
        let (_, _, now) = now_utc()?;
        registry.record_changes(&now).map_err(user_error)?;
        let report: Report = match registry.watch_report(&now).map_err(user_error)? {
            WatchReport::Baseline { on_record } => (Some(on_record), Vec::new()),
            WatchReport::New(changes) => (None, changes.into_iter().map(News::Registry).collect()),
        };
        (outcome, report)
    };
    let (_, _, now) = now_utc()?;
    let sharing_report = sharing_news(store, &now)?;
    let corpus = load_corpus(args.corpus.as_deref(), remit_law::Scenarios::Skip)?;
    let corpus_report: Report =
        match remit_registry::record_corpus(store, corpus.version(), &rule_states(&corpus), &now)
            .map_err(user_error)?
        {
            None => (Some(0), Vec::new()),
            Some(changes) => (None, changes.into_iter().map(News::Corpus).collect()),
        };
    let sources = [
        ("287(g) sheets", &registry_report),
        ("sharing lists", &sharing_report),
        ("corpus", &corpus_report),
    ];
    let news: Vec<&News> = sources.iter().flat_map(|(_, (_, n))| n).collect();
    let mut stdout = std::io::stdout().lock();
    if args.fetch.json {
        let value = serde_json::json!({
            "checked_at": now,
            "fetch": outcome,
            "baseline": registry_report.0.is_some(),
            "already_on_record": registry_report.0,
            "baselines": {
                "registry": registry_report.0.is_some(),
                "sharing": sharing_report.0.is_some(),
                "corpus": corpus_report.0.is_some(),
            },
            "corpus": corpus.version(),
            "changes": news.iter().map(|n| n.json()).collect::<Vec<_>>(),
        });
        writeln!(stdout, "{value}")?;
    } else {
        writeln!(stdout, "{now}: {}", describe_fetch(&outcome))?;
        match registry_report.0 {
            Some(on_record) => writeln!(
                stdout,
                "first run in this store: a baseline is recorded ({on_record} changes already on record are not reported); later runs report what is new from here"
            )?,
            None if news.is_empty() => writeln!(stdout, "nothing new since the last run")?,
            None => {}
        }
        for (name, (baseline, _)) in &sources[1..] {
            if baseline.is_some() {
                writeln!(stdout, "{name}: baseline recorded")?;
            }
        }
        if !news.is_empty() {
            writeln!(stdout, "{} new changes since the last run:", news.len())?;
            for item in &news {
                writeln!(stdout, "  {}: {}", item.label(), item.sentence())?;
            }
        }
    }
    drop(stdout);
    let mut failed_hooks = 0;
    if let Some(command) = &args.exec {
        for item in &news {
            if let Err(message) = run_hook(command, item) {
                failed_hooks += 1;
                eprintln!(
                    "remit: the hook failed for a change ({}): {message}",
                    item.sentence()
                );
            }
        }
    }
    if let Some(path) = &args.feed {
        let registry = Registry::open(store).map_err(user_error)?;
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
            format!("the hook failed for {failed_hooks} of {} changes", news.len()),
            "the changes are recorded all the same; run the hook by hand with the JSON above to see why",
        )
        .into());
    }
    Ok(ExitCode::SUCCESS)
}

/// Records the partners added or dropped between lists of one owner (from the checked edges as
/// the last `remit sharing import` left them) and returns what is new since the last run.
fn sharing_news(store: &mut Store, now: &str) -> anyhow::Result<Report> {
    let (newest, on_record) = {
        let mut sharing = Sharing::open(store).map_err(sharing_error)?;
        sharing.record_changes(now).map_err(sharing_error)?;
        sharing.change_count().map_err(sharing_error)?
    };
    let Some(last) =
        remit_registry::advance_watch(store, "sharing", newest, now).map_err(user_error)?
    else {
        return Ok((Some(on_record), Vec::new()));
    };
    let sharing = Sharing::open(store).map_err(sharing_error)?;
    let news = sharing
        .changes_between(last, newest)
        .map_err(sharing_error)?
        .into_iter()
        .map(News::Sharing)
        .collect();
    Ok((None, news))
}

fn sharing_error(error: remit_sharing::SharingError) -> anyhow::Error {
    let help = error.help();
    match help {
        Some(help) => UserError::with_help(error.to_string(), help).into(),
        None => UserError::new(error.to_string()).into(),
    }
}

/// Runs the hook for one change; `Err` with why it failed.
fn run_hook(command: &str, item: &News) -> Result<(), String> {
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .envs(item.environment())
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start `sh -c`: {error}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its input is fine: a closed pipe is not an error here.
        let _ = writeln!(stdin, "{}", item.json());
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
