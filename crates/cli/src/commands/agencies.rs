//! `remit agencies ...`: turn agency names as records write them (`El Cajon PD ( CA)`, `Anoka
//! County MN SO`, `U.S. Border Patrol [Federal]`) into agencies: ORI, state, class, counterparty
//! word, confidence and the reasons; search and show the directory; import the FBI agency list
//! into the store so that later commands on that store use all of it instead of the built-in
//! sample.

use std::fmt::Write as _;
use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use remit_agencies::{Agency, AgencyClass, Directory, Resolution, Resolver};

use crate::Global;
use crate::commands::DirectoryArg;
use crate::output::{UserError, directory_error, load_corpus, print_json};

/// The arguments of `remit agencies`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  remit agencies resolve \"El Cajon PD ( CA)\"
  remit agencies resolve \"City of Boca Raton Police Department\" --state FLORIDA --json
  remit agencies resolve --input sharing-list.txt --home-state CA --json
  remit agencies search \"Marshall TX\"
  remit agencies show CA0370500
  remit agencies import ../shared/data/agencies/fbi-lee.csv

Without an import, the built-in sample directory is used (California, state police, federal
agencies and a few hundred others); `import` keeps the full FBI list in the store (`--db`, else
the default store), and every command on that store resolves with it.")]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Resolve names to agencies: ORI, state, class, counterparty, confidence and reasons
    Resolve(ResolveArgs),
    /// Search the directory by name (or ORI)
    Search(SearchArgs),
    /// Show one agency of the directory by ORI (or federal slug, e.g. `fed-ice-ero`)
    Show(ShowArgs),
    /// Import the FBI law-enforcement employees CSV into the store, as the directory later commands use
    Import(ImportArgs),
}

#[derive(Debug, clap::Args)]
struct ResolveArgs {
    /// The name to resolve, as the record writes it
    #[arg(value_name = "NAME", required_unless_present = "input")]
    name: Option<String>,
    /// Names to resolve, one per line (`-` for standard input); `NAME<TAB>STATE` gives a line its own state
    #[arg(long, value_name = "FILE", conflicts_with = "name")]
    input: Option<PathBuf>,
    /// The state the record gives for the agency (its state column): `CA`, `California`, `FLORIDA`
    #[arg(long, value_name = "STATE")]
    state: Option<String>,
    /// The state of the list's owner: picks the same-named agency in that state when the name
    /// has no state, and marks each agency in or out of state
    #[arg(long, value_name = "STATE")]
    home_state: Option<String>,
    /// Print JSON: one object, or with `--input` one object per line in input order
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    directory: DirectoryArg,
}

#[derive(Debug, clap::Args)]
struct SearchArgs {
    /// Words of the name, optionally with a state (`Marshall TX`), or an ORI
    #[arg(value_name = "TEXT", required = true, num_args = 1..)]
    text: Vec<String>,
    /// How many agencies to list
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Print one JSON object
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    directory: DirectoryArg,
}

#[derive(Debug, clap::Args)]
struct ShowArgs {
    /// The agency's ORI (`CA0370500`) or federal slug (`fed-ice-ero`)
    #[arg(value_name = "ORI")]
    ori: String,
    /// Print one JSON object
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    directory: DirectoryArg,
}

#[derive(Debug, clap::Args)]
struct ImportArgs {
    /// The FBI law-enforcement employees CSV (columns `ori`, `data_year`, `pub_agency_name`,
    /// `state_abbr`, `county_name`, `agency_type_name`, `population`)
    #[arg(value_name = "FBI_CSV")]
    file: PathBuf,
    /// Write the directory to this file (FBI CSV format, for `--directory` of the other
    /// commands) instead of importing it into the store
    #[arg(long, value_name = "PATH")]
    directory: Option<PathBuf>,
    /// Print one JSON object
    #[arg(long)]
    json: bool,
    /// Write the list of skipped rows with cells as they are, for programs (by default a cell
    /// that a spreadsheet would run as a formula, such as `=HYPERLINK(...)`, gets a `'` in front)
    #[arg(long)]
    raw_csv: bool,
}

/// Runs `remit agencies`: resolve, search, show or import.
pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Resolve(args) => resolve(args, global),
        Command::Search(args) => search(args, global),
        Command::Show(args) => show(args, global),
        Command::Import(args) => match args.directory.clone() {
            Some(target) => import_to_file(args, &target),
            None => import(args, global),
        },
    }
}

/// The directory named by `--directory`, else the store's (`--db`, else the default store),
/// else the data folder's file of an earlier import, else the built-in sample.
fn load(arg: &DirectoryArg, global: &Global) -> anyhow::Result<Directory> {
    match &arg.directory {
        Some(path) => Directory::from_fbi_csv(path).map_err(directory_error),
        None => remit_app::directory::load_for_db(global.db.as_deref()).map_err(directory_error),
    }
}

fn describe(directory: &Directory) -> String {
    let mut text = format!(
        "directory: {} ({} agencies)",
        directory.source(),
        directory.len()
    );
    if !directory.is_complete() {
        text.push_str("; `remit agencies import FBI_CSV` loads the full FBI list");
    }
    text
}

fn check_state(flag: &str, value: Option<&str>) -> anyhow::Result<()> {
    match value {
        Some(text) if remit_agencies::states::parse(text).is_none() => Err(UserError::with_help(
            format!("`{flag}`: `{text}` is not a state"),
            "give a two-letter code (`CA`) or a state's name (`California`)",
        )
        .into()),
        _ => Ok(()),
    }
}

fn resolve(args: ResolveArgs, global: &Global) -> anyhow::Result<ExitCode> {
    check_state("--state", args.state.as_deref())?;
    check_state("--home-state", args.home_state.as_deref())?;
    let directory = load(&args.directory, global)?;
    let resolver = Resolver::new(directory);
    let home = args.home_state.as_deref();
    match (&args.name, &args.input) {
        (Some(name), _) => {
            let r = resolver.resolve_near(name, args.state.as_deref(), home);
            if args.json {
                print_json(&Output::new(&r, home, None))?;
            } else {
                let mut text = String::new();
                write_resolution(&mut text, &r, home);
                writeln!(text, "\n{}", describe(resolver.directory()))?;
                print!("{text}");
            }
        }
        (None, Some(input)) => resolve_batch(&resolver, input, &args)?,
        (None, None) => {
            return Err(UserError::with_help(
                "give a name to resolve",
                "`remit agencies resolve \"NAME\"`, or `--input FILE` for one name per line",
            )
            .into());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A resolution as the CLI prints it: the resolver's fields, and when a home state is given,
/// the counterparty word for that state's agencies.
#[derive(serde::Serialize)]
struct Output<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(flatten)]
    resolution: &'a Resolution,
    #[serde(skip_serializing_if = "Option::is_none")]
    home_state: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    home_counterparty: Option<Option<&'a str>>,
}

impl<'a> Output<'a> {
    fn new(resolution: &'a Resolution, home: Option<&'a str>, line: Option<usize>) -> Output<'a> {
        Output {
            line,
            resolution,
            home_state: home,
            home_counterparty: home.map(|h| resolution.counterparty_for(h)),
        }
    }
}

fn write_resolution(out: &mut String, r: &Resolution, home: Option<&str>) {
    let dash = |v: Option<&str>| v.unwrap_or("-").to_string();
    let _ = writeln!(out, "{}", r.input);
    let _ = writeln!(out, "  agency        {}", r.name);
    let _ = writeln!(out, "  ori           {}", dash(r.ori.as_deref()));
    let _ = writeln!(out, "  state         {}", dash(r.state.as_deref()));
    let kind = r
        .kind
        .as_deref()
        .map(|k| format!(" ({k})"))
        .unwrap_or_default();
    let _ = writeln!(out, "  class         {}{kind}", r.class);
    let counterparty = match home {
        Some(home) => r
            .counterparty_for(home)
            .map(|word| format!("{word} (for {home})"))
            .unwrap_or_else(|| "-".to_string()),
        None => dash(r.counterparty.as_deref()),
    };
    let _ = writeln!(out, "  counterparty  {counterparty}");
    let _ = writeln!(out, "  confidence    {:.2}", r.confidence);
    if !r.tags.is_empty() {
        let _ = writeln!(out, "  tags          {}", r.tags.join(", "));
    }
    let _ = writeln!(out, "  reasons");
    for reason in &r.reasons {
        let _ = writeln!(out, "    - {reason}");
    }
}

/// Reads the names of `--input`: each non-blank line, with its line number and its own state
/// after a tab, if any.
fn read_names(input: &Path) -> anyhow::Result<Vec<(usize, String, Option<String>)>> {
    let shown = input.display().to_string();
    let reader: Box<dyn std::io::BufRead> = if input.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(input).map_err(|e| {
            anyhow::Error::new(UserError::with_help(
                format!("cannot read `{shown}`: {e}"),
                "`--input` takes a text file with one name per line",
            ))
        })?;
        Box::new(std::io::BufReader::new(file))
    };
    let mut names = Vec::new();
    for (i, line) in reader.split(b'\n').enumerate() {
        let line_number = i + 1;
        let bytes = line.map_err(|e| UserError::new(format!("cannot read `{shown}`: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            UserError::with_help(
                format!("{shown}:{line_number}: the line is not UTF-8 text"),
                "save the file as UTF-8",
            )
        })?;
        let text = text.trim_end_matches('\r');
        if text.trim().is_empty() {
            continue;
        }
        let (name, state) = match text.split_once('\t') {
            Some((name, state)) if !state.trim().is_empty() => {
                if remit_agencies::states::parse(state).is_none() {
                    return Err(UserError::with_help(
                        format!("{shown}:{line_number}: `{}` is not a state", state.trim()),
                        "after the tab, give a two-letter code or a state's name, or nothing",
                    )
                    .into());
                }
                (name, Some(state.trim().to_string()))
            }
            Some((name, _)) => (name, None),
            None => (text, None),
        };
        names.push((line_number, name.to_string(), state));
    }
    Ok(names)
}

fn resolve_batch(resolver: &Resolver, input: &Path, args: &ResolveArgs) -> anyhow::Result<()> {
    let names = read_names(input)?;
    let home = args.home_state.as_deref();
    let mut stdout = std::io::stdout().lock();
    let mut summary = Summary::default();
    if !args.json {
        writeln!(
            stdout,
            "{:>5}  {:<44} {:<5} {:<8} {:<10} {:>4}  agency",
            "line", "name", "state", "class", "ori", "conf"
        )?;
    }
    for (line, name, state) in &names {
        let hint = state.as_deref().or(args.state.as_deref());
        let r = resolver.resolve_shared(name, hint, home);
        summary.add(&r, home);
        if args.json {
            serde_json::to_writer(&mut stdout, &Output::new(&r, home, Some(*line)))?;
            writeln!(stdout)?;
        } else {
            writeln!(
                stdout,
                "{line:>5}  {:<44} {:<5} {:<8} {:<10} {:>4.2}  {}",
                truncate(name, 44),
                r.state.as_deref().unwrap_or("-"),
                r.class.as_str(),
                r.ori.as_deref().unwrap_or("-"),
                r.confidence,
                r.name
            )?;
        }
    }
    if !args.json {
        writeln!(stdout)?;
        write!(stdout, "{}", summary.render(home))?;
        writeln!(stdout, "{}", describe(resolver.directory()))?;
    }
    Ok(())
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(width - 1).collect();
        out.push('~');
        out
    }
}

/// Counts for the end of a batch.
#[derive(Default)]
struct Summary {
    names: usize,
    classes: [usize; 5],
    in_state: usize,
    out_of_state: usize,
    state_unknown: usize,
    low_confidence: usize,
}

impl Summary {
    fn add(&mut self, r: &Resolution, home: Option<&str>) {
        self.names += 1;
        let slot = match r.class {
            AgencyClass::Local => 0,
            AgencyClass::State => 1,
            AgencyClass::Federal => 2,
            AgencyClass::Private => 3,
            AgencyClass::Unknown => 4,
        };
        self.classes[slot] += 1;
        if r.confidence < 0.5 {
            self.low_confidence += 1;
        }
        if let Some(home) = home {
            if matches!(r.class, AgencyClass::Local | AgencyClass::State) {
                match r.counterparty_for(home) {
                    Some("in_state_agency") => self.in_state += 1,
                    Some("out_of_state_agency") => self.out_of_state += 1,
                    _ => self.state_unknown += 1,
                }
            }
        }
    }

    fn render(&self, home: Option<&str>) -> String {
        let [local, state, federal, private, unknown] = self.classes;
        let mut out = format!(
            "{} names: {local} local, {state} state, {federal} federal, {private} private, {unknown} unknown; {} below confidence 0.5\n",
            self.names, self.low_confidence
        );
        if let Some(home) = home {
            let _ = writeln!(
                out,
                "state and local agencies: {} in {home}, {} out of state, {} of unknown state",
                self.in_state, self.out_of_state, self.state_unknown
            );
        }
        out
    }
}

fn search(args: SearchArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let directory = load(&args.directory, global)?;
    let text = args.text.join(" ");
    let found = directory.search(&text, args.limit);
    if args.json {
        #[derive(serde::Serialize)]
        struct Found<'a> {
            query: &'a str,
            directory: String,
            results: &'a [&'a Agency],
        }
        print_json(&Found {
            query: &text,
            directory: directory.source().to_string(),
            results: &found,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    if found.is_empty() {
        writeln!(out, "no agency matches `{text}`")?;
    } else {
        writeln!(
            out,
            "{:<12} {:<44} {:<5} {:<20} {:<20} {:>10}",
            "ori", "name", "state", "county", "type", "population"
        )?;
        for agency in &found {
            writeln!(
                out,
                "{:<12} {:<44} {:<5} {:<20} {:<20} {:>10}",
                agency.ori,
                truncate(&agency.name, 44),
                agency.state.as_deref().unwrap_or("-"),
                truncate(agency.county.as_deref().unwrap_or("-"), 20),
                truncate(&agency.agency_type, 20),
                agency
                    .population
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "-".to_string())
            )?;
        }
    }
    writeln!(out, "\n{}", describe(&directory))?;
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn show(args: ShowArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let directory = load(&args.directory, global)?;
    let Some(agency) = directory.by_ori(&args.ori) else {
        return Err(UserError::with_help(
            format!("no agency `{}` in the directory", args.ori),
            format!(
                "search by name with `remit agencies search`; {}",
                describe(&directory)
            ),
        )
        .into());
    };
    if args.json {
        print_json(agency)?;
        return Ok(ExitCode::SUCCESS);
    }
    let dash = |v: Option<&str>| v.unwrap_or("-").to_string();
    let mut out = String::new();
    writeln!(out, "{}", agency.name)?;
    writeln!(out, "  ori           {}", agency.ori)?;
    writeln!(out, "  state         {}", dash(agency.state.as_deref()))?;
    writeln!(out, "  county        {}", dash(agency.county.as_deref()))?;
    writeln!(out, "  type          {}", agency.agency_type)?;
    let kind = agency
        .kind
        .map(|k| format!(" ({})", k.as_str()))
        .unwrap_or_default();
    writeln!(out, "  class         {}{kind}", agency.class)?;
    if let Some(word) = &agency.counterparty {
        writeln!(out, "  counterparty  {word}")?;
    }
    if let Some(population) = agency.population {
        writeln!(out, "  population    {population}")?;
    }
    if let Some(year) = agency.data_year {
        writeln!(out, "  data year     {year}")?;
    }
    if !agency.aliases.is_empty() {
        writeln!(out, "  also called   {}", agency.aliases.join(", "))?;
    }
    writeln!(out, "\n{}", describe(&directory))?;
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// `import --directory PATH`: the directory as a compact FBI file at `PATH`, for `--directory`
/// of the other commands; the store is not touched.
fn import_to_file(args: ImportArgs, target: &Path) -> anyhow::Result<ExitCode> {
    let directory = Directory::from_fbi_csv(&args.file).map_err(directory_error)?;
    directory.write_csv(target).map_err(directory_error)?;
    let rejected = (!directory.problems().is_empty()).then(|| rejected_path(target));
    if let Some(path) = &rejected {
        write_rejected(path, directory.problems(), args.raw_csv)?;
    }
    let fbi_rows = directory.fbi_len();
    if args.json {
        #[derive(serde::Serialize)]
        struct Imported<'a> {
            source: String,
            directory: String,
            agencies: usize,
            skipped: usize,
            rejected: Option<String>,
            problems: &'a [remit_agencies::RowProblem],
        }
        print_json(&Imported {
            source: args.file.display().to_string(),
            directory: target.display().to_string(),
            agencies: fbi_rows,
            skipped: directory.problems().len(),
            rejected: rejected.as_ref().map(|p| p.display().to_string()),
            problems: directory.problems(),
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    writeln!(
        out,
        "imported {fbi_rows} agencies from `{}` into `{}`",
        args.file.display(),
        target.display()
    )?;
    write_skipped(&mut out, directory.problems(), rejected.as_deref());
    writeln!(
        out,
        "`remit agencies` commands use this file with `--directory {}`",
        target.display()
    )?;
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// `import`: the directory into the store (`--db`, else the default store), where every
/// command on that store finds it. The tables built with the store's previous directory (the
/// registry's links, the sharing edges) are rebuilt at once.
fn import(args: ImportArgs, global: &Global) -> anyhow::Result<ExitCode> {
    use remit_app::directory::{self, ImportStatus};

    let mut store = remit_app::remit_store::Store::open_or_default(global.db.as_deref())
        .map_err(|error| UserError::with_causes(&error, None))?;
    let store_path = store.path().map(Path::to_path_buf).unwrap_or_default();
    let report = directory::import(&mut store, &args.file)
        .map_err(|error| UserError::with_causes(&error, error.help()))?;
    let rejected = (!report.skipped.is_empty()).then(|| rejected_path(&store_path));
    if let Some(path) = &rejected {
        write_rejected(path, &report.skipped, args.raw_csv)?;
    }
    let refreshed = if report.status == ImportStatus::Unchanged {
        directory::Refreshed::default()
    } else {
        let corpus = load_corpus(None, remit_law::Scenarios::Skip)?;
        let choice = directory::Choice::Stored(report.directory.clone());
        let loaded = choice.load(Some(&store)).map_err(directory_error)?;
        directory::refresh_derived(&mut store, &corpus, &loaded, &choice.key())
            .map_err(|error| UserError::with_causes(&error, None))?
    };
    if args.json {
        #[derive(serde::Serialize)]
        struct Imported<'a> {
            source: String,
            store: String,
            status: ImportStatus,
            imported_at: &'a str,
            agencies: u64,
            skipped: usize,
            rejected: Option<String>,
            problems: &'a [remit_agencies::RowProblem],
            refreshed: &'a directory::Refreshed,
        }
        print_json(&Imported {
            source: args.file.display().to_string(),
            store: store_path.display().to_string(),
            status: report.status,
            imported_at: &report.directory.import.imported_at,
            agencies: report.directory.agencies(),
            skipped: report.skipped.len(),
            rejected: rejected.as_ref().map(|p| p.display().to_string()),
            problems: &report.skipped,
            refreshed: &refreshed,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    print!(
        "{}",
        render_import(
            &args.file,
            &store_path,
            &report,
            rejected.as_deref(),
            &refreshed
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// What `remit agencies import` prints for an import into a store.
pub fn render_import(
    file: &Path,
    store: &Path,
    report: &remit_app::directory::DirectoryImport,
    rejected: Option<&Path>,
    refreshed: &remit_app::directory::Refreshed,
) -> String {
    use remit_app::directory::ImportStatus;

    let mut out = String::new();
    let imported = &report.directory.import;
    let _ = match report.status {
        ImportStatus::Imported => writeln!(
            out,
            "imported {} agencies from `{}` into the store `{}`",
            report.directory.agencies(),
            file.display(),
            store.display()
        ),
        ImportStatus::Unchanged => writeln!(
            out,
            "the store `{}` already uses this file as its directory (imported {}); nothing changed",
            store.display(),
            imported.imported_at
        ),
        ImportStatus::MadeCurrent => writeln!(
            out,
            "the store `{}` holds this file from an earlier import ({}, {} agencies); it is the store's directory again",
            store.display(),
            imported.imported_at,
            report.directory.agencies()
        ),
    };
    write_skipped(&mut out, &report.skipped, rejected);
    if let Some(registry) = &refreshed.registry {
        let _ = writeln!(
            out,
            "rebuilt the 287(g) agencies and agreements with this directory ({} agreements)",
            registry.agreements
        );
    }
    if let Some(sharing) = &refreshed.sharing {
        let _ = writeln!(
            out,
            "rebuilt the sharing lists' agencies and checks with this directory ({} agencies named)",
            sharing.parties
        );
    }
    let _ = writeln!(
        out,
        "commands on this store now resolve agencies with this directory (`--directory` on `remit agencies` reads a file instead)"
    );
    out
}

/// The skipped rows' count, where they are listed and the first few.
fn write_skipped(out: &mut String, problems: &[remit_agencies::RowProblem], list: Option<&Path>) {
    let Some(path) = list else {
        return;
    };
    let _ = writeln!(
        out,
        "skipped {} rows; they are listed with line, field and reason in `{}`",
        problems.len(),
        path.display()
    );
    for problem in problems.iter().take(5) {
        let _ = writeln!(out, "  {problem}");
    }
}

/// Where the skipped rows of an import into `target` (a file or a store) are listed: beside it,
/// `remit.db.rejected.csv`.
fn rejected_path(target: &Path) -> PathBuf {
    let mut path = target.as_os_str().to_owned();
    path.push(".rejected.csv");
    PathBuf::from(path)
}

fn write_rejected(
    path: &Path,
    problems: &[remit_agencies::RowProblem],
    raw: bool,
) -> anyhow::Result<()> {
    let failed =
        |e: std::io::Error| UserError::new(format!("cannot write `{}`: {e}", path.display()));
    let file = std::fs::File::create(path).map_err(failed)?;
    let mut out =
        remit_registry::remit_store::csv_out::Writer::new(std::io::BufWriter::new(file), raw);
    let csv_failed = |e: csv::Error| failed(std::io::Error::other(e));
    out.write_record(["line", "field", "value", "message"])
        .map_err(csv_failed)?;
    for problem in problems {
        out.write_record([
            problem.line.to_string().as_str(),
            &problem.field,
            &problem.value,
            &problem.message,
        ])
        .map_err(csv_failed)?;
    }
    out.flush().map_err(failed)?;
    Ok(())
}
