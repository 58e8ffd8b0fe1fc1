//! `remit sharing ...`: who may reach whose plate-reader data. Import transparency-portal
//! archives and sharing lists (CSV, one name per line, a sheet of a workbook), then report per
//! owner (recipients by class and state, the edges its law forbids, with citations) or per state
//! (owners ranked by forbidden edges); export every checked edge as CSV or JSON lines.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use remit_app::{CompareOptions, Comparison, Door};
use remit_sharing::remit_agencies::{Directory, Resolver};
use remit_sharing::remit_law::{Corpus, Date, Scenarios};
use remit_sharing::remit_store::Store;
use remit_sharing::{
    Checker, Direction, EdgeFilter, EdgeRow, FileReport, IssueCounts, OwnerRef, OwnerReport,
    ReadOptions, RefreshReport, Sharing, SharingError, StateReport, collect_files, write_edges_csv,
};

use crate::Global;
use crate::commands::DirectoryArg;
use crate::output::{
    BatchOutput, UserError, directory_error, file_source, load_corpus, print_json, today,
};

/// The arguments of `remit sharing`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  remit sharing import ../shared/data/alpr/transparency-portals
  remit sharing import ../shared/data/alpr/eugene-or/sharing-list.csv --owner \"Eugene OR PD\" --date 2025-12-02
  remit sharing import vigilant-audit.xlsx --sheet A1 --owner \"Irvine CA PD\" --date 2025-01-31
  remit sharing import vigilant-audit.xlsx --sheet A2 --owner \"Irvine CA PD\" --date 2025-01-31 --direction inbound
  remit sharing report --state CA
  remit sharing report --owner \"El Cajon CA PD\"
  remit sharing report --owner CA0370500 --json
  remit sharing edges --state CA --verdict must_not --csv > forbidden.csv
  remit sharing compare --owner \"El Cajon CA PD\" --audit network-audit.csv

Lists that carry no date are checked on the day they are imported unless `--date` is given.
Without `remit agencies import`, names are resolved with the built-in sample directory.")]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Import portal archives (.json), sharing lists (.csv, .txt) or a sheet of a workbook
    Import(ImportArgs),
    /// One owner's recipients and the edges its law forbids, or a state's owners ranked
    Report(ReportArgs),
    /// Every checked edge, as a table, CSV or JSON lines
    Edges(EdgesArgs),
    /// The imported lists
    Lists(ListsArgs),
    /// What could not be read in the lists: file, line, field and why
    Issues(IssuesArgs),
    /// An owner's list beside audits of who searched its data: back door and side door
    Compare(CompareArgs),
}

#[derive(Debug, clap::Args)]
#[command(after_help = remit_sharing::remit_store::limits::help())]
struct ImportArgs {
    /// Files or folders (folders are searched for .json, .csv, .txt and workbooks)
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The agency whose list it is, for lists that do not say (CSV, text, sheets)
    #[arg(long, value_name = "NAME")]
    owner: Option<String>,
    /// The day the list was true, YYYY-MM-DD (overrides a portal's crawl date)
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
    /// The sheet of a workbook that holds the list, e.g. `A1`
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// For lists of names: `outbound` (organisations the owner shares with, the default) or
    /// `inbound` (organisations that share with the owner)
    #[arg(long, value_name = "outbound|inbound")]
    direction: Option<String>,
    /// One JSON object per file, then a summary object
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    directory: DirectoryArg,
}

#[derive(Debug, clap::Args)]
struct ReportArgs {
    /// One owner: any name form (`El Cajon CA PD`, `El Cajon PD ( CA)`), an ORI, or a portal slug
    #[arg(
        long,
        value_name = "NAME",
        conflicts_with = "state",
        required_unless_present = "state"
    )]
    owner: Option<String>,
    /// The owners of one state, ranked by forbidden edges (two-letter code or name)
    #[arg(long, value_name = "STATE")]
    state: Option<String>,
    /// List every edge in the human report, not only the first 25 of each kind
    #[arg(long)]
    all: bool,
    /// Print one JSON object
    #[arg(long)]
    json: bool,
    /// Exit with code 1 when the report has an edge the owner's law forbids
    #[arg(long)]
    fail_on_forbidden: bool,
    #[command(flatten)]
    directory: DirectoryArg,
}

#[derive(Debug, clap::Args)]
struct EdgesArgs {
    /// Only this owner's edges (any name form, ORI or slug)
    #[arg(long, value_name = "NAME")]
    owner: Option<String>,
    /// Only owners in this state
    #[arg(long, value_name = "STATE")]
    state: Option<String>,
    /// Only this verdict: must_not, must, may, conflict, no_rule, unchecked
    #[arg(long)]
    verdict: Option<String>,
    /// Only this group: in_state, out_of_state, federal, private, unknown
    #[arg(long)]
    group: Option<String>,
    /// Include lists superseded by a newer one of the same source
    #[arg(long)]
    all_lists: bool,
    /// Print CSV
    #[arg(long, conflicts_with = "json")]
    csv: bool,
    /// With CSV: write cells as they are, for programs (by default a cell that a spreadsheet
    /// would run as a formula, such as `=HYPERLINK(...)`, gets a `'` in front)
    #[arg(long)]
    raw_csv: bool,
    /// Print one JSON object per edge per line
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    directory: DirectoryArg,
}

#[derive(Debug, clap::Args)]
struct ListsArgs {
    /// Print one JSON object per list per line
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    directory: DirectoryArg,
}

#[derive(Debug, clap::Args)]
struct CompareArgs {
    /// The data's owner: any name form, an ORI or a portal slug (its list must be imported)
    #[arg(long, value_name = "NAME")]
    owner: String,
    /// Audit files of searches on the owner's data (any layout `remit audit` reads)
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    audit: Vec<PathBuf>,
    /// Examples to show per finding
    #[arg(long, default_value_t = 5)]
    examples: usize,
    /// Print one JSON object
    #[arg(long)]
    json: bool,
    /// Exit with code 1 when a back-door or side-door search is found
    #[arg(long)]
    fail_on_findings: bool,
    #[command(flatten)]
    directory: DirectoryArg,
}

#[derive(Debug, clap::Args)]
struct IssuesArgs {
    /// Only the issues of this list (its id, from `remit sharing lists`)
    #[arg(long, value_name = "ID")]
    list: Option<i64>,
    /// Print one JSON object per issue per line
    #[arg(long)]
    json: bool,
}

/// Runs `remit sharing`; the exit code says whether it succeeded.
pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let mut store = Store::open_or_default(global.db.as_deref())
        .map_err(|e| user_error(SharingError::Store(e)))?;
    let mut sharing = Sharing::open(&mut store).map_err(user_error)?;
    let result = match args.command {
        Command::Import(args) => import(&mut sharing, args, global),
        Command::Report(args) => report(&mut sharing, args),
        Command::Edges(args) => edges(&mut sharing, args),
        Command::Lists(args) => lists(&mut sharing, args),
        Command::Issues(args) => issues(&sharing, args),
        Command::Compare(args) => compare(&mut sharing, args),
    };
    match result {
        // The reader stopped early (`remit sharing edges | head`): not an error.
        Err(error) if is_broken_pipe(&error) => Ok(ExitCode::SUCCESS),
        other => other,
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// An error for the user, with the library's advice as the `help` line.
fn user_error(error: SharingError) -> anyhow::Error {
    anyhow::Error::new(UserError::with_causes(&error, error.help()))
}

/// The law and the agency directory, loaded once per command.
struct Context {
    corpus: Corpus,
    resolver: Resolver,
    directory_source: String,
}

impl Context {
    /// The corpus, and the directory `--directory` names, else the store's (see
    /// `remit_app::directory::Choice`).
    fn load(directory: Option<&Path>, sharing: &Sharing<'_>) -> anyhow::Result<Context> {
        let corpus = load_corpus(None, Scenarios::Skip)?;
        let (directory, directory_source) = match directory {
            Some(path) => (
                Directory::from_fbi_csv(path).map_err(directory_error)?,
                file_source(path),
            ),
            None => {
                let store = Some(sharing.store());
                let choice =
                    remit_app::directory::Choice::for_store(store).map_err(directory_error)?;
                (choice.load(store).map_err(directory_error)?, choice.key())
            }
        };
        Ok(Context {
            corpus,
            resolver: Resolver::new(directory),
            directory_source,
        })
    }

    /// Rebuilds the checked edges when the lists, the directory or the corpus changed.
    fn ensure_fresh(&self, sharing: &mut Sharing<'_>) -> anyhow::Result<Option<RefreshReport>> {
        let mut checker = Checker::new(&self.corpus, self.resolver.clone());
        sharing
            .ensure_fresh(&mut checker, &self.directory_source)
            .map_err(user_error)
    }
}

fn parse_date(text: &str) -> anyhow::Result<Date> {
    text.trim().parse().map_err(|_| {
        user_error(SharingError::BadDate {
            text: text.to_string(),
        })
    })
}

fn parse_state(text: &str) -> anyhow::Result<String> {
    remit_sharing::remit_agencies::states::parse(text)
        .map(|s| s.code.to_string())
        .ok_or_else(|| {
            user_error(SharingError::BadState {
                text: text.to_string(),
            })
        })
}

fn import(
    sharing: &mut Sharing<'_>,
    args: ImportArgs,
    global: &Global,
) -> anyhow::Result<ExitCode> {
    let options = ReadOptions {
        owner: args.owner.clone(),
        date: args.date.as_deref().map(parse_date).transpose()?,
        sheet: args.sheet.clone(),
        direction: match args.direction.as_deref() {
            None => None,
            Some(word) => Some(Direction::from_word(word).ok_or_else(|| {
                UserError::with_help(
                    format!("`--direction`: `{word}` is not a direction"),
                    "use `outbound` (the owner shares with them) or `inbound` (they share with the owner)",
                )
            })?),
        },
        today: today(),
    };
    let files = collect_files(&args.paths).map_err(user_error)?;
    if files.is_empty() {
        return Err(UserError::with_help(
            "no sharing lists found",
            "folders are searched for .json (portal archives), .csv, .txt and .xlsx files",
        )
        .into());
    }
    let context = Context::load(args.directory.directory.as_deref(), sharing)?;
    let mut issues = IssueCounts::default();
    let counts = crate::output::import_batch(
        &files,
        BatchOutput {
            quiet: global.quiet,
            json: args.json,
            each: files.len() <= 20,
        },
        |file| sharing.import(file, &options),
        |error| error.help().map(|h| h.to_string()),
        |error| matches!(error, remit_sharing::SharingError::Store(e) if e.stops_a_batch()),
        describe_file,
        |report| {
            let new = report.status == remit_sharing::ImportStatus::Imported;
            if new {
                issues.add(&report.issues);
            }
            new
        },
    )?;
    let mut stdout = std::io::stdout().lock();
    let refresh = context.ensure_fresh(sharing)?;
    if args.json {
        let value = counts.summary_json(files.len(), &issues, "checked", &refresh);
        writeln!(stdout, "{value}")?;
    } else {
        let mut line = counts.summary_line(files.len(), "");
        if issues.total() > 0 {
            let _ = write!(
                line,
                "; {} issue{} (`remit sharing issues` lists them)",
                issues.total(),
                if issues.total() == 1 { "" } else { "s" }
            );
        }
        writeln!(stdout, "{line}")?;
        if let Some(refresh) = &refresh {
            writeln!(
                stdout,
                "checked {} edges of {} lists: {} distinct names resolved, {} distinct questions to the law ({})",
                refresh.entries,
                refresh.lists,
                refresh.parties,
                refresh.decisions,
                join_counts(&refresh.by_verdict)
            )?;
        }
    }
    Ok(counts.exit_code())
}

fn describe_file(report: &FileReport) -> String {
    if report.status == remit_sharing::ImportStatus::AlreadyImported {
        let previous = report
            .previous
            .as_ref()
            .map(|p| format!(" (as `{}` on {})", p.source_path, p.imported_at))
            .unwrap_or_default();
        return format!("{}: already imported{previous}", report.path.display());
    }
    let mut line = format!(
        "{}: `{}`, {} outbound",
        report.path.display(),
        report.owner,
        report.outbound
    );
    if report.inbound > 0 {
        let _ = write!(line, ", {} inbound", report.inbound);
    }
    let _ = write!(
        line,
        ", dated {} ({})",
        report.date,
        report.date_from.replace('_', " ")
    );
    if report.issues.total() > 0 {
        let _ = write!(
            line,
            "; issues: {} error, {} warning, {} note",
            report.issues.error, report.issues.warning, report.issues.note
        );
    }
    line
}

/// `1 edge`, `2 edges`, `1 agency`, `3 agencies`, `1 search`, `2 searches`.
fn plural(count: u64, word: &str) -> String {
    if count == 1 {
        return format!("1 {word}");
    }
    let plural = if let Some(stem) = word.strip_suffix('y') {
        format!("{stem}ies")
    } else if word.ends_with('h') {
        format!("{word}es")
    } else {
        format!("{word}s")
    };
    format!("{count} {plural}")
}

fn join_counts(counts: &std::collections::BTreeMap<String, u64>) -> String {
    counts
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn report(sharing: &mut Sharing<'_>, args: ReportArgs) -> anyhow::Result<ExitCode> {
    let context = Context::load(args.directory.directory.as_deref(), sharing)?;
    context.ensure_fresh(sharing)?;
    let forbidden = if let Some(owner) = &args.owner {
        let key = sharing
            .find_owner(owner, Some(&context.resolver))
            .map_err(user_error)?;
        let report = sharing.owner_report(&key).map_err(user_error)?;
        if args.json {
            print_json(&report)?;
        } else {
            print!("{}", render_owner(&report, args.all));
        }
        report.counts.forbidden
    } else {
        let state = parse_state(args.state.as_deref().unwrap_or_default())?;
        let report = sharing.state_report(&state).map_err(user_error)?;
        if args.json {
            print_json(&report)?;
        } else {
            print!("{}", render_state(&report));
        }
        report.totals.forbidden
    };
    Ok(if args.fail_on_forbidden && forbidden > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

const SHOWN: usize = 25;

/// `name (ORI) — state`: the first line of an owner's report and of a comparison.
fn owner_heading(owner: &OwnerRef) -> String {
    format!(
        "{}{} — {}",
        owner.name,
        owner
            .ori
            .as_deref()
            .map(|o| format!(" ({o})"))
            .unwrap_or_default(),
        owner.state.as_deref().unwrap_or("state unknown")
    )
}

fn render_owner(report: &OwnerReport, all: bool) -> String {
    let mut out = String::new();
    let owner = &report.owner;
    let _ = writeln!(
        out,
        "{}, {}",
        owner_heading(owner),
        owner.actor.as_deref().unwrap_or("not checked as an owner")
    );
    if let Some(place) = &owner.place {
        let _ = writeln!(out, "  law of: {place}");
    }
    for list in &report.lists {
        let mut line = format!(
            "  {} list `{}`{}, dated {} ({}): {} outbound, {} inbound",
            list.format.replace('_', " "),
            list.source_path,
            list.sheet
                .as_deref()
                .map(|s| format!(" sheet `{s}`"))
                .unwrap_or_default(),
            list.date,
            list.date_from.replace('_', " "),
            list.outbound,
            list.inbound
        );
        if let Some(days) = list.retention_days {
            let _ = write!(line, "; retention {days} days");
        }
        if !list.current {
            line.push_str(" [superseded]");
        }
        let _ = writeln!(out, "{line}");
    }
    if report.immigration_use_prohibited {
        let _ = writeln!(
            out,
            "  its stated policy lists immigration enforcement as a prohibited use"
        );
    }
    let _ = writeln!(out);
    let counts = &report.counts;
    let _ = writeln!(
        out,
        "Shares with {} organisations ({} distinct agencies) on {}:",
        counts.recipients,
        counts.agencies,
        report.date.as_deref().unwrap_or("an unknown date")
    );
    let out_of_state_states: Vec<String> = report
        .by_state
        .iter()
        .filter(|(state, _)| Some(state.as_str()) != owner.state.as_deref())
        .map(|(state, count)| format!("{state} {count}"))
        .collect();
    for (label, count, detail) in [
        ("in state", counts.in_state, String::new()),
        (
            "out of state",
            counts.out_of_state,
            if out_of_state_states.is_empty() {
                String::new()
            } else {
                format!("  ({})", out_of_state_states.join(", "))
            },
        ),
        ("federal", counts.federal, String::new()),
        ("private", counts.private, String::new()),
        ("unknown", counts.unknown, String::new()),
    ] {
        let _ = writeln!(out, "  {label:<13}{count:>6}{detail}");
    }
    let _ = writeln!(out, "Verdicts: {}", join_counts(&counts.by_verdict));
    if report.receives_from > 0 {
        let _ = writeln!(
            out,
            "Receives data from {} organisations (its inbound list).",
            report.receives_from
        );
    }

    if !report.flagged.is_empty() {
        let _ = writeln!(
            out,
            "\nForbidden by the owner's law ({}):",
            plural(report.flagged.len() as u64, "edge")
        );
        render_citations(&mut out, &report.citations);
        render_caveats(&mut out, &report.caveats);
        render_edges(&mut out, &report.flagged, all);
    }
    if !report.unchecked.is_empty() {
        let _ = writeln!(
            out,
            "\nNot checked ({}; never guessed, review by hand):",
            report.unchecked.len()
        );
        render_edges(&mut out, &report.unchecked, all);
    }
    let others = &report.named_by_others;
    if others.counts.recipients > 0 {
        let _ = writeln!(
            out,
            "\nOther agencies' lists name it as sharing with them: {} ({} forbidden)",
            others.counts.recipients, others.counts.forbidden
        );
        render_edges(&mut out, &others.flagged, all);
    }
    let _ = writeln!(out, "\n{}", report.disclaimer);
    out
}

fn render_citations(out: &mut String, citations: &[remit_sharing::CitedRule]) {
    for rule in citations {
        let _ = writeln!(
            out,
            "  {} ({}) {} [{} source], {}",
            rule.citation,
            rule.id,
            modality_word(&rule.modality),
            rule.provenance,
            plural(rule.edges, "edge")
        );
        let _ = writeln!(out, "    {}", rule.summary);
        let _ = writeln!(out, "    {}", rule.url);
        for also in &rule.also_cites {
            let _ = writeln!(out, "    see also: {}, {}", also.citation, also.url);
        }
    }
}

fn render_caveats(out: &mut String, caveats: &[String]) {
    for caveat in caveats {
        let _ = writeln!(out, "  caveat: {caveat}");
    }
}

fn modality_word(modality: &str) -> &'static str {
    match modality {
        "prohibited" => "prohibits",
        "required" => "requires",
        _ => "permits",
    }
}

fn render_edges(out: &mut String, edges: &[EdgeRow], all: bool) {
    let shown = if all {
        edges.len()
    } else {
        edges.len().min(SHOWN)
    };
    for edge in &edges[..shown] {
        let resolved = match (&edge.recipient_state, &edge.recipient_ori) {
            (Some(state), Some(ori)) => format!("{}, {state}, {ori}", edge.recipient_name),
            (Some(state), None) => format!("{}, {state}", edge.recipient_name),
            (None, _) => edge.recipient_name.clone(),
        };
        let _ = writeln!(
            out,
            "  {:<12} `{}` -> {} ({}, confidence {:.2}); {}:{} {}",
            edge.group,
            edge.recipient,
            resolved,
            edge.recipient_class,
            edge.confidence,
            edge.source_path,
            edge.line,
            edge.field
        );
        if let Some(note) = &edge.note {
            let _ = writeln!(out, "               {note}");
        }
    }
    if shown < edges.len() {
        let _ = writeln!(
            out,
            "  ... and {} more (`--all` lists them, `--json` gives every field)",
            edges.len() - shown
        );
    }
}

fn render_state(report: &StateReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} owners with imported lists; {} share with out-of-state or federal agencies; {} have edges their law forbids",
        report.state,
        report.owners.len(),
        report.owners_sharing_out_of_state_or_federal,
        report.owners_with_forbidden
    );
    let _ = writeln!(
        out,
        "\n{:>4}  {:<44} {:<10} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>9}",
        "rank", "owner", "date", "shares", "in", "out", "fed", "priv", "unkn", "forbidden"
    );
    for owner in &report.owners {
        let mut name = owner.owner.clone();
        if name.chars().count() > 44 {
            name = name.chars().take(43).collect::<String>() + "…";
        }
        let _ = writeln!(
            out,
            "{:>4}  {:<44} {:<10} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>9}",
            owner.rank,
            name,
            owner.date.as_deref().unwrap_or("-"),
            owner.counts.recipients,
            owner.counts.in_state,
            owner.counts.out_of_state,
            owner.counts.federal,
            owner.counts.private,
            owner.counts.unknown,
            owner.counts.forbidden
        );
    }
    let totals = &report.totals;
    let _ = writeln!(
        out,
        "{:>4}  {:<44} {:<10} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>9}",
        "",
        "all",
        "",
        totals.recipients,
        totals.in_state,
        totals.out_of_state,
        totals.federal,
        totals.private,
        totals.unknown,
        totals.forbidden
    );
    if !report.citations.is_empty() {
        let _ = writeln!(out, "\nThe law that forbids them:");
        render_citations(&mut out, &report.citations);
        render_caveats(&mut out, &report.caveats);
    }
    let _ = writeln!(
        out,
        "\nCounts are list entries as written; `remit sharing report --owner NAME` shows one owner's edges with file and line."
    );
    let _ = writeln!(out, "{}", report.disclaimer);
    out
}

fn edges(sharing: &mut Sharing<'_>, args: EdgesArgs) -> anyhow::Result<ExitCode> {
    let context = Context::load(args.directory.directory.as_deref(), sharing)?;
    context.ensure_fresh(sharing)?;
    let owner_key = match &args.owner {
        Some(owner) => Some(
            sharing
                .find_owner(owner, Some(&context.resolver))
                .map_err(user_error)?,
        ),
        None => None,
    };
    let filter = EdgeFilter {
        owner_key,
        state: args.state.as_deref().map(parse_state).transpose()?,
        verdict: args.verdict.clone(),
        group: args.group.clone(),
        current_only: !args.all_lists,
    };
    let rows = sharing.edges(&filter).map_err(user_error)?;
    let mut stdout = std::io::stdout().lock();
    if args.csv {
        write_edges_csv(&mut stdout, &rows, args.raw_csv)?;
    } else if args.json {
        for row in &rows {
            writeln!(stdout, "{}", serde_json::to_string(row)?)?;
        }
    } else {
        for row in &rows {
            writeln!(
                stdout,
                "{:<9} {:<12} {} -> `{}` ({}, {}) {}:{}",
                row.verdict,
                row.group,
                row.owner,
                row.recipient,
                row.recipient_class,
                row.recipient_state.as_deref().unwrap_or("state unknown"),
                row.source_path,
                row.line
            )?;
        }
        writeln!(stdout, "{} edges", rows.len())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn lists(sharing: &mut Sharing<'_>, args: ListsArgs) -> anyhow::Result<ExitCode> {
    let context = Context::load(args.directory.directory.as_deref(), sharing)?;
    context.ensure_fresh(sharing)?;
    let lists = sharing.lists().map_err(user_error)?;
    let mut stdout = std::io::stdout().lock();
    for list in &lists {
        if args.json {
            writeln!(stdout, "{}", serde_json::to_string(list)?)?;
        } else {
            writeln!(
                stdout,
                "{:>4}  {:<10} {:<40} {:>5} out {:>5} in  {}{}",
                list.id,
                list.date,
                list.owner,
                list.outbound,
                list.inbound,
                list.source_path,
                if list.current { "" } else { " [superseded]" }
            )?;
        }
    }
    if !args.json {
        writeln!(stdout, "{} lists", lists.len())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn issues(sharing: &Sharing<'_>, args: IssuesArgs) -> anyhow::Result<ExitCode> {
    let rows = sharing.issues(args.list).map_err(user_error)?;
    let mut stdout = std::io::stdout().lock();
    for row in &rows {
        if args.json {
            writeln!(stdout, "{}", serde_json::to_string(row)?)?;
        } else {
            writeln!(
                stdout,
                "{}:{}: field `{}`: {}: {}{}",
                row.source_path,
                row.line.map(|l| l.to_string()).unwrap_or_default(),
                row.field,
                row.severity,
                row.message,
                if row.value.is_empty() {
                    String::new()
                } else {
                    format!(" (`{}`)", row.value)
                }
            )?;
        }
    }
    if !args.json {
        writeln!(stdout, "{} issues", rows.len())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn compare(sharing: &mut Sharing<'_>, args: CompareArgs) -> anyhow::Result<ExitCode> {
    let context = Context::load(args.directory.directory.as_deref(), sharing)?;
    context.ensure_fresh(sharing)?;
    let key = sharing
        .find_owner(&args.owner, Some(&context.resolver))
        .map_err(user_error)?;
    let classifier = remit_app::remit_audit::Classifier::builtin().map_err(|error| {
        anyhow::Error::new(UserError {
            message: error.to_string(),
            help: error.help(),
        })
    })?;
    let mut checker = Checker::new(&context.corpus, context.resolver.clone());
    let options = CompareOptions {
        audits: args.audit.clone(),
        examples: args.examples,
        utc_offset: 0,
    };
    let comparison = remit_app::compare(
        sharing.store().connection(),
        &key,
        &mut checker,
        &classifier,
        &options,
    )
    .map_err(user_error)?;
    if args.json {
        print_json(&comparison)?;
    } else {
        print!("{}", render_comparison(&comparison));
    }
    let findings = comparison.back_door.searchers + comparison.side_door.searchers;
    Ok(if args.fail_on_findings && findings > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn render_comparison(comparison: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", owner_heading(&comparison.owner));
    for list in &comparison.lists {
        let _ = writeln!(
            out,
            "  authorised: `{}`, dated {}: {} outbound",
            list.source_path, list.date, list.outbound
        );
    }
    for file in &comparison.audit_files {
        let what = match &file.skipped {
            Some(why) => format!("skipped: {why}"),
            None => format!(
                "{}, {} searches, {} rows set aside",
                file.layout.as_deref().unwrap_or("unknown layout"),
                file.events,
                file.rejected
            ),
        };
        let _ = writeln!(out, "  audit: `{}` ({what})", file.path);
    }
    let _ = writeln!(
        out,
        "\n{} searches, {} to {}",
        comparison.searches,
        comparison.first.as_deref().unwrap_or("-"),
        comparison.last.as_deref().unwrap_or("-")
    );
    let _ = writeln!(
        out,
        "  by its own users (not sharing): {} ({} naming immigration work)",
        comparison.own_searches, comparison.own_immigration_searches
    );
    let _ = writeln!(
        out,
        "  other agencies searching: {} ({} on its list, with {} searches)",
        comparison.searchers, comparison.searchers_on_list, comparison.searches_on_list
    );
    let _ = writeln!(
        out,
        "  on its list but not searching in this period: {} of {}",
        comparison.authorised_not_searching, comparison.authorised
    );
    render_door(
        &mut out,
        "Back door: agencies not on its list searched its data",
        &comparison.back_door,
    );
    render_door(
        &mut out,
        "Side door: agencies of its own state searched for immigration work",
        &comparison.side_door,
    );
    render_door(
        &mut out,
        "Federal agencies searched its data",
        &comparison.federal,
    );
    if let Some(flag) = &comparison.prohibited_use_flag {
        let _ = writeln!(out, "\nFlag: {flag}");
    }
    let _ = writeln!(out, "\n{}", comparison.disclaimer);
    out
}

fn render_door(out: &mut String, title: &str, door: &Door) {
    let groups = door
        .by_group
        .iter()
        .map(|(g, n)| format!("{} {n}", g.replace('_', " ")))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(
        out,
        "\n{title}: {}, {}{}",
        plural(door.searchers, "agency"),
        plural(door.searches, "search"),
        if groups.is_empty() {
            String::new()
        } else {
            format!(" ({groups})")
        }
    );
    for row in &door.examples {
        let _ = writeln!(
            out,
            "  `{}` -> {}{} ({}, {}): {}, {} naming immigration, {} to {}{}",
            row.searcher,
            row.name,
            row.state
                .as_deref()
                .map(|s| format!(", {s}"))
                .unwrap_or_default(),
            row.group.as_str().replace('_', " "),
            if row.on_list {
                "on its list"
            } else {
                "not on its list"
            },
            plural(row.searches, "search"),
            row.immigration_searches,
            row.first,
            row.last,
            if row.confidence < 0.6 {
                format!("; resolved with confidence {:.2}", row.confidence)
            } else {
                String::new()
            }
        );
        if !row.verdicts.is_empty() {
            let _ = writeln!(
                out,
                "      the law on each search: {}",
                join_counts(&row.verdicts)
            );
        }
        for example in &row.examples {
            let _ = writeln!(
                out,
                "      {} `{}` ({}:{})",
                example.date, example.reason, example.file, example.line
            );
        }
    }
    if door.searchers as usize > door.examples.len() {
        let _ = writeln!(
            out,
            "  ... and {} more (`--examples N` or `--json`)",
            door.searchers as usize - door.examples.len()
        );
    }
}
