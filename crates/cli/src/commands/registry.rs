//! `remit registry ...`: ICE's 287(g) sheets, imported once, queried for any date. Import the
//! participating and pending sheets (files or folders), then ask how many agreements there were
//! as of a date, what changed between two dates, one agency's history, rates per state against
//! the FBI directory, and the data-quality report; export the agreements as CSV or JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use remit_registry::remit_store::Store;
use remit_registry::{
    Day, DirectoryLinker, Filter, ImportOptions, IssueFilter, RefreshReport, Registry,
    RegistryError, SheetKind, SnapshotTime, collect_files, model_label, parse_model, parse_state,
    state_figures, write_export_csv,
};

use crate::Global;
use crate::output::{BatchOutput, UserError, directory_error, print_json};

/// The arguments of `remit registry`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  remit registry import ../shared/data/287g/ice-sheets
  remit registry import ../shared/data/287g/moa-index/moa_agreements.json
  remit registry fetch
  remit registry stats --as-of 2026-06-01
  remit registry stats --as-of 2025-06-30 --state GA --model task-force
  remit registry diff 2025-05-16 2025-06-30 --state GA --model task-force
  remit registry agency \"Boca Raton Police Department\"
  remit registry rates --as-of 2025-07-18
  remit registry quality
  remit registry export --format csv > agreements.csv
  remit registry check --as-of 2026-06-30 --state TX
  remit registry check --changes --state VA")]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Import participating and pending sheets (XLSX or CSV files, or folders of them) and the MOA index (JSON)
    Import(ImportArgs),
    /// Download ICE's current participating and pending workbooks from its 287(g) page and import them
    Fetch(FetchArgs),
    /// Agreements and agencies as of a date, by model, state or agency type
    Stats(StatsArgs),
    /// Agreements added and removed between two dates
    Diff(DiffArgs),
    /// One agency's names, directory link and agreements over time
    Agency(AgencyArgs),
    /// Per state: agencies with an agreement out of the directory's, agreements per million residents
    Rates(RatesArgs),
    /// The data-quality report: every defect found in the sheets, with file, row and column
    Quality(QualityArgs),
    /// The imported snapshots, in time order
    Snapshots(JsonArgs),
    /// Every agreement with its history, as CSV or JSON lines
    Export(ExportArgs),
    /// The registry checked against the law: agencies required to hold an agreement and shown without one, and agencies holding one the law forbids
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// The date to check (default: today, UTC)
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// One state (code or name)
    #[arg(long, value_name = "STATE")]
    state: Option<String>,
    /// Every date of the registry's history: when each agency's standing changed
    #[arg(long)]
    changes: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
#[command(after_help = remit_registry::remit_store::limits::help())]
struct ImportArgs {
    /// Sheet files or folders (folders are searched for files named like ICE's downloads)
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Which list the files are, when their names do not say
    #[arg(long, value_name = "participating|pending")]
    kind: Option<String>,
    /// When the files were published, when their names do not say: YYYY-MM-DD, optionally am or pm
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// One JSON object per file, then a summary object
    #[arg(long)]
    json: bool,
}

/// Options of `remit registry fetch` (also taken by `remit watch`).
#[derive(Debug, Clone, clap::Args)]
pub struct FetchArgs {
    /// ICE's 287(g) page, another page that links the workbooks, or a workbook's own address
    #[arg(long, value_name = "URL", default_value = remit_registry::ICE_PAGE)]
    pub url: String,
    /// Keep downloads under this folder (in `287g/<date>/`) [default: the store's folder]
    #[arg(long, value_name = "PATH")]
    pub data_dir: Option<PathBuf>,
    /// Give up on a request after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub timeout: u64,
    /// Try again this many times after a timeout, a cut connection or a server error
    #[arg(long, default_value_t = 2)]
    pub retries: u32,
    /// Print one JSON object
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
struct FilterArgs {
    /// Only this state (two-letter code or name)
    #[arg(long)]
    state: Option<String>,
    /// Only this support model: jail-enforcement, task-force, warrant-service-officer (or JEM, TFM, WSO)
    #[arg(long)]
    model: Option<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum By {
    State,
    Model,
    Type,
}

#[derive(Debug, clap::Args)]
struct StatsArgs {
    /// The date: counts from the latest snapshot taken on or before it [default: latest]
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Break the counts down by this
    #[arg(long, value_enum, default_value = "model")]
    by: By,
    #[command(flatten)]
    filter: FilterArgs,
    /// Print one JSON object
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct DiffArgs {
    /// The earlier date (YYYY-MM-DD)
    from: String,
    /// The later date (YYYY-MM-DD)
    to: String,
    #[command(flatten)]
    filter: FilterArgs,
    /// Print one JSON object
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct AgencyArgs {
    /// The agency's name, or words of it
    name: String,
    /// Only agencies in this state
    #[arg(long)]
    state: Option<String>,
    /// Print one JSON object
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct RatesArgs {
    /// The date [default: latest]
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Print one JSON object
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct QualityArgs {
    /// List the issues of this kind one by one (e.g. `not_a_date`)
    #[arg(long)]
    kind: Option<String>,
    /// Only issues of this severity: error, warning, note
    #[arg(long)]
    severity: Option<String>,
    /// Only issues in files whose path contains this
    #[arg(long)]
    file: Option<String>,
    /// List every issue one by one instead of the summary
    #[arg(long)]
    all: bool,
    /// Print JSON (the report as one object; with --all or --kind, one object per issue per line)
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct JsonArgs {
    /// Print one JSON object
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// csv, or json (one object per line)
    #[arg(long, value_enum)]
    format: Format,
    /// Only agreements listed as of this date (active or pending then) [default: every agreement]
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// With csv: write cells as they are, for programs (by default a cell that a spreadsheet
    /// would run as a formula, such as `=HYPERLINK(...)`, gets a `'` in front)
    #[arg(long)]
    raw_csv: bool,
    #[command(flatten)]
    filter: FilterArgs,
}

/// Runs `remit registry`; the exit code says whether it succeeded.
pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let mut store = Store::open_or_default(global.db.as_deref()).map_err(store_error)?;
    let mut registry = Registry::open(&mut store).map_err(user_error)?;
    let args = match args.command {
        Command::Import(args) => return import(&mut registry, args, global),
        Command::Fetch(args) => return fetch(&mut registry, &args),
        other => other,
    };
    ensure_fresh(&mut registry)?;
    match args {
        Command::Import(_) | Command::Fetch(_) => Ok(ExitCode::SUCCESS),
        Command::Stats(args) => stats(&registry, args),
        Command::Diff(args) => diff(&registry, args),
        Command::Agency(args) => agency(&registry, args),
        Command::Rates(args) => rates(&registry, args),
        Command::Quality(args) => quality(&registry, args),
        Command::Snapshots(args) => snapshots(&registry, args),
        Command::Export(args) => export(&registry, args),
        Command::Check(args) => check(&registry, args),
    }
}

/// An error for the user, with the library's advice as the `help` line.
pub(crate) fn user_error(error: RegistryError) -> anyhow::Error {
    anyhow::Error::new(UserError::with_causes(&error, error.help()))
}

pub(crate) fn store_error(error: remit_registry::remit_store::StoreError) -> anyhow::Error {
    user_error(RegistryError::Store(error))
}

pub(crate) fn ensure_fresh(registry: &mut Registry<'_>) -> anyhow::Result<Option<RefreshReport>> {
    let choice = directory_choice(registry)?;
    let source = choice.key();
    if !registry.is_stale_for(&source).map_err(user_error)? {
        return Ok(None);
    }
    let directory = choice
        .load(Some(registry.store()))
        .map_err(directory_error)?;
    let mut linker = DirectoryLinker::with_source(directory, source);
    registry.refresh(&mut linker).map(Some).map_err(user_error)
}

/// The agency directory of the registry's store (`--db`), else the data folder's file, else the
/// built-in sample.
fn directory_choice(registry: &Registry<'_>) -> anyhow::Result<remit_app::directory::Choice> {
    remit_app::directory::Choice::for_store(Some(registry.store())).map_err(directory_error)
}

/// The directory [`directory_choice`] picks, loaded, and its key.
fn load_directory(
    registry: &Registry<'_>,
) -> anyhow::Result<(remit_registry::remit_agencies::Directory, String)> {
    let choice = directory_choice(registry)?;
    let directory = choice
        .load(Some(registry.store()))
        .map_err(directory_error)?;
    Ok((directory, choice.key()))
}

fn parse_day(text: &str) -> anyhow::Result<Day> {
    Day::parse_iso(text.trim()).ok_or_else(|| {
        user_error(RegistryError::BadDate {
            text: text.to_string(),
        })
    })
}

fn parse_optional_day(text: Option<&str>) -> anyhow::Result<Option<Day>> {
    text.map(parse_day).transpose()
}

fn filter(args: &FilterArgs) -> anyhow::Result<Filter> {
    let state = match &args.state {
        Some(text) => Some(
            parse_state(text)
                .ok_or_else(|| {
                    UserError::with_help(
                        format!("`{text}` is not a US state"),
                        "use a two-letter code (`GA`) or a name (`Georgia`)",
                    )
                })?
                .to_string(),
        ),
        None => None,
    };
    let model = match &args.model {
        Some(text) => Some(
            parse_model(text)
                .ok_or_else(|| {
                    UserError::with_help(
                        format!("`{text}` is not a 287(g) support model"),
                        "use jail-enforcement, task-force or warrant-service-officer (or JEM, TFM, WSO)",
                    )
                })?
                .slug
                .to_string(),
        ),
        None => None,
    };
    Ok(Filter { state, model })
}

fn describe_filter(filter: &Filter) -> String {
    let mut parts = Vec::new();
    if let Some(state) = &filter.state {
        parts.push(state.clone());
    }
    if let Some(model) = &filter.model {
        parts.push(model_label(model).to_string());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

fn import(
    registry: &mut Registry<'_>,
    args: ImportArgs,
    global: &Global,
) -> anyhow::Result<ExitCode> {
    let kind = match &args.kind {
        Some(text) => Some(SheetKind::from_str_opt(text).ok_or_else(|| {
            UserError::with_help(
                format!("`{text}` is not a kind of sheet"),
                "use `--kind participating` or `--kind pending`",
            )
        })?),
        None => None,
    };
    let as_of = match &args.as_of {
        Some(text) => Some(
            SnapshotTime::parse(text)
                .ok_or_else(|| user_error(RegistryError::BadDate { text: text.clone() }))?,
        ),
        None => None,
    };
    let options = ImportOptions { kind, as_of };
    let (indexes, paths): (Vec<PathBuf>, Vec<PathBuf>) =
        args.paths.iter().cloned().partition(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        });
    if paths.is_empty() {
        ensure_fresh(registry)?;
        return import_indexes(registry, &indexes, args.json);
    }
    let files = collect_files(&paths, kind.is_some()).map_err(user_error)?;
    if files.is_empty() {
        return Err(UserError::with_help(
            "no sheet files found",
            "folders are searched for .xlsx, .xls, .ods and .csv files named like `participatingAgencies07182025pm.xlsx`; pass `--kind` to take any sheet file",
        )
        .into());
    }
    let mut issues = remit_registry::IssueCounts::default();
    let counts = crate::output::import_batch(
        &files,
        BatchOutput {
            quiet: global.quiet,
            json: args.json,
            each: true,
        },
        |file| registry.import(file, options),
        |error| error.help().map(|h| h.to_string()),
        |error| matches!(error, remit_registry::RegistryError::Store(e) if e.stops_a_batch()),
        describe_report,
        |report| {
            let new = report.status == "imported";
            if new {
                issues.error += report.issues.error;
                issues.warning += report.issues.warning;
                issues.note += report.issues.note;
            }
            new
        },
    )?;
    let mut stdout = std::io::stdout().lock();
    let refresh = ensure_fresh(registry)?;
    // The changes between consecutive sheets, for the feeds (`remit watch` reports them too).
    let (_, _, now) = now_utc()?;
    registry.record_changes(&now).map_err(user_error)?;
    if args.json {
        let value = counts.summary_json(files.len(), &issues, "registry", &refresh);
        writeln!(stdout, "{value}")?;
    } else {
        let line = counts.summary_line(files.len(), " (unchanged)");
        writeln!(stdout, "{line}")?;
        if counts.imported > 0 {
            writeln!(
                stdout,
                "data quality: {} errors, {} warnings, {} notes (`remit registry quality` lists them)",
                issues.error, issues.warning, issues.note
            )?;
        }
        if let Some(refresh) = refresh {
            writeln!(
                stdout,
                "registry: {} snapshots, {} agencies, {} agreements; {} renames linked; directory links for {} of {} agencies ({:.1}%, {})",
                refresh.snapshots,
                refresh.agencies,
                refresh.agreements,
                refresh.renames_linked,
                refresh.agencies_linked,
                refresh.agencies,
                refresh.link_rate * 100.0,
                refresh.directory
            )?;
        }
    }
    drop(stdout);
    let code = counts.exit_code();
    if !indexes.is_empty() {
        let index_code = import_indexes(registry, &indexes, args.json)?;
        if index_code != ExitCode::SUCCESS {
            return Ok(index_code);
        }
    }
    Ok(code)
}

/// Imports MOA index files (`moa_agreements.json`) after the sheets, linking their agencies to
/// the registry's.
fn import_indexes(
    registry: &mut Registry<'_>,
    paths: &[PathBuf],
    json: bool,
) -> anyhow::Result<ExitCode> {
    let (directory, source) = load_directory(registry)?;
    let mut linker = DirectoryLinker::with_source(directory, source);
    let mut stdout = std::io::stdout().lock();
    for path in paths {
        let report = registry
            .import_moa_index(path, &mut linker)
            .map_err(user_error)?;
        if json {
            let mut value = serde_json::to_value(&report)?;
            if let Some(object) = value.as_object_mut() {
                object.insert("type".into(), "moa_index".into());
            }
            writeln!(stdout, "{value}")?;
            continue;
        }
        writeln!(stdout, "{}", describe_moa_report(&report))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn describe_moa_report(report: &remit_registry::MoaImportReport) -> String {
    let mut out = String::new();
    let range = match (report.first_posted, report.last_posted) {
        (Some(first), Some(last)) => format!(", posted {first} .. {last}"),
        _ => String::new(),
    };
    if report.status == "already_imported" {
        let _ = writeln!(
            out,
            "already imported `{}`: the same MOA index; nothing changed",
            report.path
        );
    } else {
        let _ = writeln!(
            out,
            "imported MOA index `{}`: {} documents of {} agencies in {} states{range}; {} documents kept",
            report.path, report.documents, report.agencies, report.states, report.documents_kept
        );
        let _ = writeln!(out, "defects in the index:");
        for defect in &report.defects {
            let _ = writeln!(
                out,
                "  {} {} ({}): {}",
                defect.count, defect.kind, defect.severity, defect.meaning
            );
            for example in &defect.examples {
                let _ = writeln!(out, "      e.g. {example}");
            }
        }
    }
    let links = &report.links;
    let _ = write!(
        out,
        "links: {} index agencies: {} by the same name as in ICE's sheets, {} through the directory, {} in the directory only, {} not linked",
        links.agencies,
        links.by_sheet_name,
        links.by_directory,
        links.directory_only,
        links.unlinked
    );
    out
}

/// The folder downloads are kept under: `--data-dir`, else the store's folder.
fn data_dir(registry: &Registry<'_>, args: &FetchArgs) -> anyhow::Result<PathBuf> {
    if let Some(dir) = &args.data_dir {
        return Ok(dir.clone());
    }
    let store_path = match registry.store().path() {
        Some(path) => path.to_path_buf(),
        None => remit_registry::remit_store::default_path().map_err(store_error)?,
    };
    Ok(store_path
        .parent()
        .map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf))
}

/// The current UTC day, hour and time stamp.
pub(crate) fn now_utc() -> anyhow::Result<(Day, u32, String)> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Day::from_unix_seconds(seconds)
        .ok_or_else(|| UserError::new("the system clock is not a date remit can read").into())
}

/// What one fetch did.
#[derive(Debug, serde::Serialize)]
pub(crate) struct FetchOutcome {
    pub url: String,
    pub downloads: Vec<remit_registry::Download>,
    pub imports: Vec<remit_registry::FileReport>,
    pub refresh: Option<RefreshReport>,
}

impl FetchOutcome {
    pub fn imported(&self) -> usize {
        self.imports
            .iter()
            .filter(|r| r.status == "imported")
            .count()
    }
}

/// Downloads ICE's workbooks and imports them. Nothing is imported unless every workbook found
/// downloaded and checked.
pub(crate) fn fetch_and_import(
    registry: &mut Registry<'_>,
    args: &FetchArgs,
) -> anyhow::Result<FetchOutcome> {
    let (day, hour, _) = now_utc()?;
    let mut options =
        remit_registry::FetchOptions::new(&args.url, &data_dir(registry, args)?, day, hour);
    options.timeout = std::time::Duration::from_secs(args.timeout.max(1));
    options.retries = args.retries;
    let downloads = remit_registry::fetch_workbooks(&options)
        .map_err(|error| user_error(RegistryError::Fetch(error)))?;
    let mut imports = Vec::new();
    for download in &downloads {
        let options = ImportOptions {
            kind: Some(download.kind),
            as_of: (!download.time_from_name).then_some(download.taken),
        };
        imports.push(
            registry
                .import(&download.path, options)
                .map_err(user_error)?,
        );
    }
    let refresh = ensure_fresh(registry)?;
    Ok(FetchOutcome {
        url: args.url.clone(),
        downloads,
        imports,
        refresh,
    })
}

pub(crate) fn describe_fetch(outcome: &FetchOutcome) -> String {
    let mut out = String::new();
    for (download, report) in outcome.downloads.iter().zip(&outcome.imports) {
        let _ = writeln!(
            out,
            "downloaded {} sheet `{}` ({} bytes{}) to `{}`",
            download.kind.as_str(),
            download.url,
            download.bytes,
            if download.attempts > 1 {
                format!(", {} attempts", download.attempts)
            } else {
                String::new()
            },
            download.path.display()
        );
        let _ = writeln!(out, "  {}", describe_report(report));
    }
    let _ = write!(
        out,
        "{} workbooks: {} imported, {} already imported (unchanged)",
        outcome.imports.len(),
        outcome.imported(),
        outcome.imports.len() - outcome.imported()
    );
    out
}

fn fetch(registry: &mut Registry<'_>, args: &FetchArgs) -> anyhow::Result<ExitCode> {
    let outcome = fetch_and_import(registry, args)?;
    let (_, _, now) = now_utc()?;
    registry.record_changes(&now).map_err(user_error)?;
    if args.json {
        print_json(&outcome)?;
    } else {
        println!("{}", describe_fetch(&outcome));
    }
    Ok(ExitCode::SUCCESS)
}

fn describe_report(report: &remit_registry::FileReport) -> String {
    match &report.previous {
        Some(previous) => format!(
            "already imported `{}`: same content as `{}` (imported {}); nothing changed",
            report.path.display(),
            previous.source_path,
            previous.imported_at
        ),
        None => format!(
            "imported `{}`: {} sheet of {}, {} rows, {} agreements, {} agencies; {} errors, {} warnings, {} notes",
            report.path.display(),
            report.kind.as_str(),
            report.taken,
            report.rows,
            report.agreements,
            report.agencies,
            report.issues.error,
            report.issues.warning,
            report.issues.note
        ),
    }
}

/// Rows of cells, first column left-aligned and the others right-aligned.
fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(columns) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate().take(columns) {
            if i == 0 {
                let _ = write!(line, "{cell:<width$}", width = widths[i]);
            } else {
                let _ = write!(line, "  {cell:>width$}", width = widths[i]);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

fn stats(registry: &Registry<'_>, args: StatsArgs) -> anyhow::Result<ExitCode> {
    let as_of = parse_optional_day(args.as_of.as_deref())?;
    let filter = filter(&args.filter)?;
    let latest_sheet = registry
        .snapshots()
        .map_err(user_error)?
        .into_iter()
        .filter(|s| s.kind == SheetKind::Participating)
        .max_by_key(|s| s.taken);
    let moa = registry.moa_stats(as_of, &filter).map_err(user_error)?;
    // A date after ICE's last imported sheet is answered from the MOA index when it reaches
    // further: the sheet would only repeat an old count.
    if let Some(moa) = &moa {
        let after_sheets = match (&latest_sheet, as_of) {
            (None, _) => true,
            (Some(sheet), Some(date)) => date > sheet.taken.day,
            (Some(_), None) => false,
        };
        let index_reaches = moa
            .index_last
            .is_some_and(|last| latest_sheet.as_ref().is_none_or(|s| last > s.taken.day));
        if after_sheets && index_reaches {
            return moa_stats(moa, latest_sheet.as_ref(), &filter, args.json);
        }
    }
    let stats = registry.stats(as_of, &filter).map_err(user_error)?;
    if args.json {
        let mut value = serde_json::to_value(&stats)?;
        if let Some(object) = value.as_object_mut() {
            object.insert("source".into(), "ice_sheet".into());
            object.insert("moa_index".into(), serde_json::to_value(&moa)?);
        }
        print_json(&value)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "287(g) agreements{}{}",
        as_of.map_or_else(|| " (latest)".to_string(), |d| format!(" as of {d}")),
        describe_filter(&filter)
    );
    let _ = writeln!(
        out,
        "source: listed in ICE's participating sheet of {} (`{}`)",
        stats.snapshot.taken, stats.snapshot.file
    );
    if let Some(moa) = &moa {
        let _ = writeln!(
            out,
            "second source: {} agencies with an MOA posted by {} (MOA index; `remit registry stats --as-of` a later date answers from it)",
            moa.agencies,
            moa.posted_by
                .map_or_else(|| "then".to_string(), |d| d.to_string())
        );
    }
    let _ = writeln!(
        out,
        "\nagreements  {}\nagencies    {}\npending     {} agreements of {} agencies{}\n",
        stats.agreements,
        stats.agencies,
        stats.pending,
        stats.pending_agencies,
        stats.pending_snapshot.as_ref().map_or_else(
            || " (no pending sheet)".to_string(),
            |s| format!(" (pending sheet of {})", s.taken)
        )
    );
    let models: Vec<String> = remit_registry::MODELS
        .iter()
        .map(|m| m.slug.to_string())
        .chain(
            stats
                .by_model
                .keys()
                .filter(|k| remit_registry::MODELS.iter().all(|m| m.slug != k.as_str()))
                .cloned(),
        )
        .collect();
    let breakdown = |first: &str, groups: &BTreeMap<String, BTreeMap<String, u64>>| {
        let mut header = vec![first.to_string(), "agreements".to_string()];
        header.extend(models.iter().map(|m| model_label(m).to_string()));
        let mut rows: Vec<Vec<String>> = groups
            .iter()
            .map(|(group, counts)| {
                let mut row = vec![group.clone(), counts.values().sum::<u64>().to_string()];
                row.extend(
                    models
                        .iter()
                        .map(|m| counts.get(m).copied().unwrap_or(0).to_string()),
                );
                row
            })
            .collect();
        rows.sort_by(|a, b| {
            let count = |row: &Vec<String>| row[1].parse::<u64>().unwrap_or(0);
            count(b).cmp(&count(a)).then(a[0].cmp(&b[0]))
        });
        table(&header, &rows)
    };
    match args.by {
        By::Model => {
            let rows: Vec<Vec<String>> = models
                .iter()
                .map(|m| {
                    vec![
                        model_label(m).to_string(),
                        stats.by_model.get(m).copied().unwrap_or(0).to_string(),
                        stats
                            .pending_by_model
                            .get(m)
                            .copied()
                            .unwrap_or(0)
                            .to_string(),
                    ]
                })
                .collect();
            out.push_str(&table(
                &["model".into(), "agreements".into(), "pending".into()],
                &rows,
            ));
        }
        By::State => out.push_str(&breakdown("state", &stats.by_state_and_model)),
        By::Type => out.push_str(&breakdown("agency type", &stats.by_type_and_model)),
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// `stats` answered from the MOA index.
fn moa_stats(
    moa: &remit_registry::MoaStats,
    latest_sheet: Option<&remit_registry::SnapshotRef>,
    filter: &Filter,
    json: bool,
) -> anyhow::Result<ExitCode> {
    if json {
        let mut value = serde_json::to_value(moa)?;
        if let Some(object) = value.as_object_mut() {
            object.insert("latest_sheet".into(), serde_json::to_value(latest_sheet)?);
        }
        print_json(&value)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "287(g) agreements{}{}",
        moa.as_of
            .map_or_else(|| " (latest)".to_string(), |d| format!(" as of {d}")),
        describe_filter(filter)
    );
    let _ = writeln!(
        out,
        "source: {}, from the MOA index (`{}`), not ICE's sheets",
        moa.label, moa.index_file
    );
    match latest_sheet {
        Some(sheet) => {
            let _ = writeln!(
                out,
                "ICE's last imported sheet is of {}; the index reaches {}",
                sheet.taken,
                moa.index_last
                    .map_or_else(|| "-".to_string(), |d| d.to_string())
            );
        }
        None => {
            let _ = writeln!(out, "no ICE sheet is imported");
        }
    }
    let _ = writeln!(
        out,
        "note: a posted MOA shows an agreement was made, not that it was still in force; the index records no endings\n"
    );
    let _ = writeln!(
        out,
        "agencies    {}  (with an MOA posted by {})\nagreements  {}  (agency and model pairs)\ndocuments   {}  ({} of unknown model)\n",
        moa.agencies,
        moa.posted_by
            .map_or_else(|| "then".to_string(), |d| d.to_string()),
        moa.agreements,
        moa.documents,
        moa.documents_unknown_model
    );
    let rows: Vec<Vec<String>> = remit_registry::MODELS
        .iter()
        .map(|m| {
            vec![
                model_label(m.slug).to_string(),
                moa.by_model.get(m.slug).copied().unwrap_or(0).to_string(),
            ]
        })
        .collect();
    out.push_str(&table(&["model".into(), "agreements".into()], &rows));
    if filter.state.is_none() {
        let mut states: Vec<(&String, &u64)> = moa.by_state.iter().collect();
        states.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let rows: Vec<Vec<String>> = states
            .iter()
            .take(10)
            .map(|(state, count)| vec![(*state).clone(), count.to_string()])
            .collect();
        out.push('\n');
        out.push_str(&table(
            &["state (top 10)".into(), "agreements".into()],
            &rows,
        ));
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn agreement_line(agreement: &remit_registry::AgreementRow) -> String {
    format!(
        "  {}  {}  {}{}",
        agreement.state,
        agreement.agency,
        model_label(&agreement.model),
        agreement
            .signed
            .as_ref()
            .map_or_else(String::new, |s| format!(", signed {s}"))
    )
}

fn diff(registry: &Registry<'_>, args: DiffArgs) -> anyhow::Result<ExitCode> {
    let from = parse_day(&args.from)?;
    let to = parse_day(&args.to)?;
    let filter = filter(&args.filter)?;
    let diff = registry.diff(from, to, &filter).map_err(user_error)?;
    if args.json {
        print_json(&diff)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "287(g) agreements from {from} to {to}{}: {} -> {} (participating sheets of {} and {})",
        describe_filter(&filter),
        diff.from_agreements,
        diff.to_agreements,
        diff.from.taken,
        diff.to.taken
    );
    for (title, rows, by_model) in [
        ("added", &diff.added, &diff.added_by_model),
        ("removed", &diff.removed, &diff.removed_by_model),
    ] {
        let counts: Vec<String> = by_model
            .iter()
            .map(|(m, n)| format!("{} {n}", model_label(m)))
            .collect();
        let _ = writeln!(
            out,
            "\n{title}: {}{}",
            rows.len(),
            if counts.is_empty() {
                String::new()
            } else {
                format!(" ({})", counts.join(", "))
            }
        );
        for agreement in rows {
            let _ = writeln!(out, "{}", agreement_line(agreement));
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn agency(registry: &Registry<'_>, args: AgencyArgs) -> anyhow::Result<ExitCode> {
    let state = match &args.state {
        Some(text) => Some(parse_state(text).ok_or_else(|| {
            UserError::with_help(
                format!("`{text}` is not a US state"),
                "use a two-letter code (`FL`) or a name (`Florida`)",
            )
        })?),
        None => None,
    };
    let histories = registry.agency(&args.name, state).map_err(user_error)?;
    if args.json {
        print_json(&serde_json::json!({ "query": args.name, "agencies": histories }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    for (index, history) in histories.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{} ({})", history.name, history.state);
        let details: Vec<String> = [history.agency_type.clone(), history.county.clone()]
            .into_iter()
            .flatten()
            .collect();
        if !details.is_empty() {
            let _ = writeln!(out, "  {}", details.join(", "));
        }
        match &history.ori {
            Some(ori) => {
                let _ = writeln!(
                    out,
                    "  directory: {ori} {} (confidence {:.2})",
                    history.directory_name.as_deref().unwrap_or(""),
                    history.link_confidence.unwrap_or(0.0)
                );
            }
            None => {
                let _ = writeln!(out, "  directory: not linked");
            }
        }
        if history.names.len() > 1 {
            let _ = writeln!(out, "  names:");
            for name in &history.names {
                let _ = writeln!(
                    out,
                    "    {} ({} .. {}){}",
                    name.name,
                    name.first_seen,
                    name.last_seen,
                    if name.link == "renamed" {
                        " renamed"
                    } else {
                        ""
                    }
                );
            }
        }
        for agreement in &history.agreements {
            let _ = writeln!(
                out,
                "  {}: {}{}",
                model_label(&agreement.model),
                agreement.status,
                agreement
                    .signed
                    .as_ref()
                    .map_or_else(String::new, |s| format!(", signed {s}"))
            );
            for period in &agreement.periods {
                let _ = writeln!(
                    out,
                    "    {:<8} {}{}",
                    period.status,
                    period.from,
                    period
                        .to
                        .as_ref()
                        .map_or_else(String::new, |to| format!(" .. {to}"))
                );
            }
        }
        if !history.moa_documents.is_empty() {
            let _ = writeln!(out, "  MOA documents posted (MOA index, a second source):");
            for document in &history.moa_documents {
                let _ = writeln!(
                    out,
                    "    posted by {}  {}{}  `{}`{}",
                    document.posted_by,
                    document
                        .model
                        .as_deref()
                        .map_or("model unknown", model_label),
                    document
                        .file_date
                        .as_ref()
                        .map_or_else(String::new, |d| format!(", dated {d} in its file name")),
                    document.file_name,
                    if document.link == "sheet_name" {
                        String::new()
                    } else {
                        format!(
                            " (linked through the directory, confidence {:.2})",
                            document.link_confidence
                        )
                    }
                );
            }
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn rates(registry: &Registry<'_>, args: RatesArgs) -> anyhow::Result<ExitCode> {
    let as_of = parse_optional_day(args.as_of.as_deref())?;
    let (directory, _) = load_directory(registry)?;
    let figures = state_figures(&directory);
    let source = format!("{} ({} agencies)", directory.source(), directory.len());
    let rates = registry
        .rates(as_of, &figures, &source)
        .map_err(user_error)?;
    if args.json {
        print_json(&rates)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "287(g) agreements per state, participating sheet of {}; directory: {}",
        rates.snapshot.taken, rates.directory
    );
    if !directory.is_complete() {
        let _ = writeln!(
            out,
            "note: the built-in directory is a sample; import the FBI list with `remit agencies import` for real rates"
        );
    }
    out.push('\n');
    let rows: Vec<Vec<String>> = rates
        .states
        .iter()
        .filter(|r| r.agreements > 0 || r.directory_agencies > 0)
        .map(|r| {
            vec![
                r.state.clone(),
                r.agencies_with_agreement.to_string(),
                r.directory_agencies.to_string(),
                r.agency_share
                    .map_or_else(|| "-".into(), |s| format!("{:.1}%", s * 100.0)),
                r.agreements.to_string(),
                r.population.to_string(),
                r.agreements_per_million
                    .map_or_else(|| "-".into(), |v| format!("{v:.2}")),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "state".into(),
            "agencies".into(),
            "of".into(),
            "share".into(),
            "agreements".into(),
            "population".into(),
            "per million".into(),
        ],
        &rows,
    ));
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn quality(registry: &Registry<'_>, args: QualityArgs) -> anyhow::Result<ExitCode> {
    let listing = args.all || args.kind.is_some();
    if let Some(severity) = &args.severity {
        if remit_registry::Severity::from_str_opt(severity).is_none() {
            return Err(UserError::with_help(
                format!("`{severity}` is not a severity"),
                "use error, warning or note",
            )
            .into());
        }
    }
    if listing {
        let issues = registry
            .issues(&IssueFilter {
                kind: args.kind.clone(),
                severity: args.severity.clone(),
                file: args.file.clone(),
            })
            .map_err(user_error)?;
        let mut stdout = std::io::stdout().lock();
        for issue in &issues {
            if args.json {
                writeln!(stdout, "{}", serde_json::to_string(issue)?)?;
            } else {
                let mut place = issue.file.clone().unwrap_or_default();
                if let Some(row) = issue.row {
                    let _ = write!(place, ", row {row}");
                }
                if let Some(column) = &issue.column {
                    let _ = write!(place, ", column {column}");
                }
                let value = issue
                    .value
                    .as_ref()
                    .map_or_else(String::new, |v| format!(" `{v}`"));
                writeln!(
                    stdout,
                    "{}[{}] {place}:{value} {}",
                    issue.severity, issue.kind, issue.message
                )?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let report = registry.quality().map_err(user_error)?;
    if args.json {
        print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} sheets, {} rows; {} issues ({} errors, {} warnings, {} notes)\n",
        report.files,
        report.rows,
        report.issues,
        report.by_severity.get("error").copied().unwrap_or(0),
        report.by_severity.get("warning").copied().unwrap_or(0),
        report.by_severity.get("note").copied().unwrap_or(0)
    );
    let _ = writeln!(out, "header versions:");
    for layout in &report.layouts {
        let _ = writeln!(
            out,
            "  {} ({} sheets, {} .. {}): {}",
            layout.kind,
            layout.snapshots,
            layout.first,
            layout.last,
            layout.columns.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "\nissues by kind (`--kind KIND` lists them one by one):"
    );
    for summary in &report.summary {
        let column = summary
            .column
            .as_ref()
            .map_or_else(String::new, |c| format!(" in {c}"));
        let values = if summary.values.is_empty() {
            String::new()
        } else {
            format!(
                "; values {}",
                summary
                    .values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let _ = writeln!(
            out,
            "  {:<7} {}{column}: {} in {} files{values}",
            summary.severity, summary.kind, summary.count, summary.files
        );
        let example = &summary.example;
        let mut place = example.file.clone().unwrap_or_default();
        if let Some(row) = example.row {
            let _ = write!(place, ", row {row}");
        }
        let _ = writeln!(out, "          e.g. {place}: {}", example.message);
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn snapshots(registry: &Registry<'_>, args: JsonArgs) -> anyhow::Result<ExitCode> {
    let snapshots = registry.snapshots().map_err(user_error)?;
    if args.json {
        print_json(&serde_json::json!({ "snapshots": snapshots }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<Vec<String>> = snapshots
        .iter()
        .map(|s| {
            vec![
                s.taken.to_string(),
                s.kind.as_str().to_string(),
                s.rows.to_string(),
                s.file.clone(),
            ]
        })
        .collect();
    print!(
        "{}",
        table(
            &["taken".into(), "kind".into(), "rows".into(), "file".into()],
            &rows
        )
    );
    Ok(ExitCode::SUCCESS)
}

fn export(registry: &Registry<'_>, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let as_of = parse_optional_day(args.as_of.as_deref())?;
    let filter = filter(&args.filter)?;
    let rows = registry.export(as_of, &filter).map_err(user_error)?;
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Csv => write_export_csv(&rows, &mut stdout, args.raw_csv)?,
        Format::Json => {
            for row in &rows {
                writeln!(stdout, "{}", serde_json::to_string(row)?)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `registry check`: the registry against the law on a date, or over its whole history.
fn check(registry: &Registry<'_>, args: CheckArgs) -> anyhow::Result<ExitCode> {
    use remit_app::compliance::{Compliance, ComplianceError};

    let as_of = match args.as_of.as_deref() {
        Some(text) => parse_day(text)?,
        None => parse_day(&crate::output::today().to_string())?,
    };
    let state = match args.state.as_deref() {
        Some(text) => Some(parse_state(text).ok_or_else(|| {
            UserError::with_help(
                format!("`{text}` is not a US state"),
                "use a two-letter code (`GA`) or a name (`Georgia`)",
            )
        })?),
        None => None,
    };
    let corpus = crate::output::load_corpus(None, remit_law::Scenarios::Skip)?;
    let (directory, source) = load_directory(registry)?;
    let resolver = remit_registry::remit_agencies::Resolver::new(directory);
    let compliance_error = |error: ComplianceError| {
        let help = error.help();
        anyhow::Error::new(UserError::with_causes(&error, help))
    };
    let mut compliance = Compliance::load(&corpus, &resolver, registry.store(), &source)
        .map_err(compliance_error)?;
    if args.changes {
        let history = compliance.history(state);
        if args.json {
            print_json(&history)?;
        } else {
            print!("{}", describe_history(&history));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let check = compliance.check(as_of, state);
    if args.json {
        print_json(&check)?;
    } else {
        print!("{}", describe_check(&check));
    }
    Ok(ExitCode::SUCCESS)
}

fn describe_check(check: &remit_app::compliance::Check) -> String {
    let mut out = String::new();
    let place = check
        .state
        .as_deref()
        .map_or_else(String::new, |s| format!(" ({s})"));
    let _ = writeln!(
        out,
        "287(g) agreements checked against the law on {}{place}",
        check.as_of
    );
    let sheet = check.sources.sheet.as_deref().map_or_else(
        || "no ICE sheet as of then".to_string(),
        |s| format!("ICE's participating sheet of {s}"),
    );
    let moa = check.sources.moa_posted_by.as_deref().map_or_else(
        || "no MOA posted by then".to_string(),
        |d| format!("MOA documents posted by {d} (MOA index)"),
    );
    let _ = writeln!(out, "registry: {sheet}; {moa}");
    let _ = writeln!(
        out,
        "agencies: {} ({})",
        check.totals.agencies, check.sources.directory
    );
    if let Some(newest) = &check.data_as_of {
        let _ = writeln!(out, "newest registry data: {newest}");
    }
    if let Some(stale) = &check.stale {
        let _ = writeln!(out, "warning: {stale}");
    }
    if let Some(before) = &check.before_data {
        let _ = writeln!(out, "warning: {before}");
    }
    let _ = writeln!(out, "note: {}", check.registry_note);
    let line = |finding: &remit_app::compliance::Finding| {
        let rules: Vec<&str> = finding.rules.iter().map(|r| r.citation.as_str()).collect();
        let mut text = format!("  {}  {}", finding.agency.state, finding.agency.name);
        if !rules.is_empty() {
            let _ = write!(text, "  ({})", rules.join("; "));
        }
        text
    };
    let _ = writeln!(
        out,
        "\nrequired to enter an agreement, none in the registry: {}",
        check.totals.required_without_agreement
    );
    let mut deadlines: Vec<(&str, bool)> = Vec::new();
    for finding in &check.required_without_agreement {
        let _ = writeln!(out, "{}", line(finding));
        if let (Some(day), Some(past)) = (finding.deadline.as_deref(), finding.past_deadline)
            && !deadlines.contains(&(day, past))
        {
            deadlines.push((day, past));
        }
    }
    for (day, past) in deadlines {
        let _ = writeln!(
            out,
            "  compliance due by {day}: {}",
            if past {
                "past on this date"
            } else {
                "not yet due on this date, so none of these is late"
            }
        );
    }
    let _ = writeln!(
        out,
        "\nforbidden an agreement, one in the registry: {}",
        check.totals.forbidden_with_agreement
    );
    for finding in &check.forbidden_with_agreement {
        let _ = writeln!(out, "{}", line(finding));
        for agreement in &finding.agreements {
            let _ = writeln!(out, "      {}: {}", agreement.model, agreement.seen);
        }
    }
    let _ = writeln!(
        out,
        "\nturns on a fact Remit does not know: {}",
        check.totals.depends
    );
    for finding in &check.depends {
        let unknown: Vec<String> = finding
            .unknowns
            .iter()
            .map(|u| format!("{} if {}", u.verdict.words(), u.condition))
            .collect();
        let _ = writeln!(
            out,
            "  {}  {}  ({})",
            finding.agency.state,
            finding.agency.name,
            unknown.join("; ")
        );
    }
    if check.counts.len() > 1 {
        let header: Vec<String> = [
            "state",
            "agencies",
            "with agreement",
            "required, none",
            "past deadline",
            "forbidden, held",
            "depends",
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        let rows: Vec<Vec<String>> = check
            .counts
            .iter()
            .filter(|(_, c)| {
                c.required_without_agreement + c.forbidden_with_agreement + c.depends > 0
            })
            .map(|(state, c)| {
                vec![
                    state.clone(),
                    c.agencies.to_string(),
                    c.with_agreement.to_string(),
                    c.required_without_agreement.to_string(),
                    c.required_past_deadline.to_string(),
                    c.forbidden_with_agreement.to_string(),
                    c.depends.to_string(),
                ]
            })
            .collect();
        let _ = writeln!(out, "\nby state (states with a finding):");
        out.push_str(&table(&header, &rows));
    }
    let _ = writeln!(out, "\n{}", check.disclaimer);
    out
}

fn describe_history(history: &remit_app::compliance::History) -> String {
    let mut out = String::new();
    let place = history
        .state
        .as_deref()
        .map_or_else(String::new, |s| format!(" ({s})"));
    let _ = writeln!(
        out,
        "287(g) agreements checked against the law on every date of the registry{place}: {} dates, {} .. {}",
        history.points.len(),
        history.first.as_deref().unwrap_or("-"),
        history.data_as_of.as_deref().unwrap_or("-")
    );
    let _ = writeln!(out, "note: {}", history.registry_note);
    let _ = writeln!(out, "\nchanges: {}", history.changes.len());
    for change in &history.changes {
        let _ = writeln!(
            out,
            "  {}  {}  {}: {} -> {} (after {} days; {})",
            change.date,
            change.agency.state,
            change.agency.name,
            change.from.replace('_', " "),
            change.to.replace('_', " "),
            change.days,
            change.cause.replace('_', " and ")
        );
    }
    let _ = writeln!(out, "\n{}", history.disclaimer);
    out
}
