//! `remit audit FILE...`: audit plate-reader search logs. Every search's reason is sorted into
//! reviewable categories, the searcher is resolved to an agency, and the law engine is asked
//! whether the data's owner could share its ALPR data with that searcher, for that purpose, on
//! that date. Findings (with file and line), counts and the law's answers go to `--out DIR`
//! (`findings.csv`, `rejects.csv`, `summary.json`, `report.html`) and the store; `--json`
//! prints the summary. `remit audit explain-reason "<text>"` shows how a reason is sorted.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use remit_audit::sinks::{FindingsCsv, RejectsCsv, ReportHtml, SummaryJson};
use remit_audit::{AuditError, AuditOptions, Classifier, Progress, Sink, Summary};

use remit_law::vocabulary::{Vocabulary, WordKind};

use crate::Global;
use crate::output::{UserError, load_corpus, print_json};

/// The arguments of `remit audit`.
#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:
  remit audit network-audit.csv --owner \"El Cajon CA PD\" --out audit-out
  remit audit EPDSearchAuditLogs.xlsx --owner \"Eugene OR PD\" --json
  remit audit org-audit.csv.gz --map time=When,org=Agency,reason=Why
  remit audit explain-reason \"ICE assist\"

Layouts read: Flock network, organization and portal audits, Vigilant audits, transparency-portal
archives (JSON); CSV, CSV.gz, XLSX, NDJSON(.gz). Officer names and plates are redacted, and
plate-like tokens and the log's users' names in reasons and case numbers masked, unless
--no-redact. docs/audit.md explains the outputs, docs/methodology.md every category and flag."
)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Show how a reason is sorted: its words, every matched term and exclusion, the category
    ExplainReason(ExplainArgs),
}

#[derive(Debug, clap::Args)]
struct ExplainArgs {
    /// The reason as an officer typed it
    #[arg(value_name = "TEXT")]
    text: String,
    /// Print one JSON object
    #[arg(long)]
    json: bool,
    /// Use this classifier file instead of the built-in `classifiers/reasons.toml`
    #[arg(long, value_name = "FILE")]
    classifier: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Search logs to audit (one owner's data per run)
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Whose data the log is about, as an agency name or ORI (required for a network audit)
    #[arg(long, value_name = "AGENCY")]
    owner: Option<String>,
    /// Write findings.csv, decisions.csv, rejects.csv, summary.json and report.html into this
    /// folder
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write each finding's citations into findings.csv instead of the number of its decision
    /// in decisions.csv (a larger file; no decisions.csv)
    #[arg(long)]
    full_findings: bool,
    /// Write findings.csv and rejects.csv with cells as they are, for programs (by default a
    /// cell that a spreadsheet would run as a formula, such as `=HYPERLINK(...)`, gets a `'` in
    /// front)
    #[arg(long)]
    raw_csv: bool,
    /// Print the summary as one JSON object
    #[arg(long)]
    json: bool,
    /// Columns of a layout Remit does not know: `time=Search Time,org=Agency,reason=Why`
    #[arg(long, value_name = "FIELD=COLUMN,...")]
    map: Option<String>,
    /// Offset of times written without a zone, e.g. `-07:00` [default: UTC]
    #[arg(long, value_name = "OFFSET", allow_hyphen_values = true)]
    utc_offset: Option<String>,
    /// Stop at the first bad row instead of setting it aside in rejects.csv
    #[arg(long)]
    strict: bool,
    /// Write every flagged search as a finding, vague reasons and missing case numbers included
    #[arg(long)]
    all_flags: bool,
    /// Keep officer names, plates, and the plate-like tokens and users' names in reasons and
    /// case numbers, in the store and outputs (for an agency's own auditor matching searches
    /// to its case files; never for files that leave the agency)
    #[arg(long)]
    no_redact: bool,
    /// Worker threads for big CSV files [default: one per core]
    #[arg(long, value_name = "N", default_value_t = 0)]
    threads: usize,
    /// Read big CSV files with read calls instead of through a memory map (for files that may
    /// change while they are read, or file systems where maps misbehave)
    #[arg(long)]
    no_map: bool,
    /// Use this classifier file instead of the built-in `classifiers/reasons.toml`
    #[arg(long, value_name = "FILE")]
    classifier: Option<PathBuf>,
    /// Use the corpus in this folder instead of the built-in one
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Exit with code 1 when there are findings the law forbids (verdict `must_not` or `conflict`)
    #[arg(long)]
    fail_on_forbidden: bool,
    /// Do not write the run to the store (and do not read the 287(g) registry from it)
    #[arg(long)]
    no_store: bool,
    /// Also write every normalised event as events.parquet into the `--out` folder
    #[cfg(feature = "parquet")]
    #[arg(long, requires = "out")]
    parquet: bool,
}

/// Runs `remit audit`; the exit code says whether it succeeded.
pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    match args.command {
        Some(Command::ExplainReason(explain)) => explain_reason(&explain),
        None => audit(args.run, global),
    }
}

fn load_classifier(path: Option<&Path>) -> anyhow::Result<Classifier> {
    let loaded = match path {
        None => Classifier::builtin(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| UserError::new(format!("cannot read `{}`: {e}", path.display())))?;
            Classifier::from_toml(&text, &path.display().to_string())
        }
    };
    loaded.map_err(audit_error)
}

/// Turns a pipeline error into a user error with its help line.
fn audit_error(error: AuditError) -> anyhow::Error {
    match error.help() {
        Some(help) => anyhow::Error::new(UserError::with_help(error.to_string(), help)),
        None => anyhow::Error::new(UserError::new(error.to_string())),
    }
}

fn explain_reason(args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let classifier = load_classifier(args.classifier.as_deref())?;
    let explanation = classifier.explain(&args.text);
    if args.json {
        print_json(&explanation)?;
        return Ok(ExitCode::SUCCESS);
    }
    let c = &explanation.classification;
    let mut out = String::new();
    let _ = writeln!(out, "reason: `{}`", explanation.reason);
    let _ = writeln!(out, "words: {}", explanation.words.join(" "));
    let also: Vec<&str> = c
        .categories
        .iter()
        .filter(|x| *x != c.primary)
        .map(|x| x.name())
        .collect();
    if also.is_empty() {
        let _ = writeln!(out, "category: {}", c.primary);
    } else {
        let _ = writeln!(out, "category: {} (also: {})", c.primary, also.join(", "));
    }
    let _ = writeln!(out, "purpose asked of the law: {}", c.purpose);
    let _ = writeln!(out, "rule: {}", explanation.rule);
    if c.evidence.is_empty() {
        let _ = writeln!(out, "matched: nothing");
    }
    for e in &c.evidence {
        let _ = writeln!(
            out,
            "matched: `{}` ({}, term `{}`)",
            e.text, e.category, e.term
        );
    }
    for x in &explanation.excluded {
        let _ = writeln!(
            out,
            "not counted: `{}` ({}, term `{}`): {}",
            x.text, x.category, x.term, x.because
        );
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn store_error(error: remit_audit::remit_store::StoreError) -> anyhow::Error {
    let message = error.to_string();
    match error.help() {
        Some(help) => anyhow::Error::new(UserError::with_help(message, help)),
        None => anyhow::Error::new(UserError::new(message)),
    }
}

fn audit(args: RunArgs, global: &Global) -> anyhow::Result<ExitCode> {
    if args.files.is_empty() {
        return Err(anyhow::Error::new(UserError::with_help(
            "no file to audit",
            "give one or more search logs, e.g. `remit audit network-audit.csv --owner \"El Cajon CA PD\"`",
        )));
    }
    // Standard input, a named pipe or a device is refused before anything is opened: a pipe
    // cannot be read twice, and opening one with no writer would wait for ever.
    for file in &args.files {
        remit_audit::remit_store::check_readable(file)
            .map_err(|e| UserError::new(format!("`{}`: {e}", file.display())))?;
    }
    let utc_offset = match &args.utc_offset {
        None => 0,
        Some(text) => remit_audit::time::parse_offset(text).ok_or_else(|| {
            UserError::with_help(
                format!("`--utc-offset`: `{text}` is not an offset"),
                "write it as `-07:00`, `+05:30` or `UTC`",
            )
        })?,
    };
    let mapping = match &args.map {
        None => remit_audit::layout::Mapping::default(),
        Some(text) => remit_audit::layout::Mapping::parse(text).map_err(audit_error)?,
    };
    let classifier = load_classifier(args.classifier.as_deref())?;
    let corpus = load_corpus(args.corpus.as_deref(), remit_law::Scenarios::Skip)?;
    let directory = remit_app::directory::load_for_db(global.db.as_deref()).map_err(|e| {
        let message = e.to_string();
        match e.help() {
            Some(help) => UserError::with_help(message, help),
            None => UserError::new(message),
        }
    })?;

    let redact = !args.no_redact;
    let mut sinks: Vec<Box<dyn Sink>> = Vec::new();
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| UserError::new(format!("cannot create `{}`: {e}", dir.display())))?;
        let findings = FindingsCsv::create(dir, redact)
            .map_err(audit_error)?
            .raw_csv(args.raw_csv);
        sinks.push(Box::new(if args.full_findings {
            findings
        } else {
            findings.with_decisions_file(dir).map_err(audit_error)?
        }));
        sinks.push(Box::new(
            RejectsCsv::create(dir)
                .map_err(audit_error)?
                .raw_csv(args.raw_csv),
        ));
        sinks.push(Box::new(SummaryJson::new(dir)));
        sinks.push(Box::new(
            ReportHtml::new(dir, redact).with_vocabulary(corpus.vocabulary()),
        ));
        #[cfg(feature = "parquet")]
        if args.parquet {
            sinks.push(Box::new(
                remit_audit::sinks::parquet::ParquetSink::create(dir, redact)
                    .map_err(audit_error)?,
            ));
        }
    }

    let bar = if args.json || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        indicatif::ProgressBar::hidden()
    } else {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} {msg} ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    };
    let progress = |p: Progress| {
        bar.set_length(p.bytes_total);
        bar.set_position(p.bytes_done);
        bar.set_message(format!("{} searches", p.events));
    };
    let store = if args.no_store {
        None
    } else {
        Some(
            remit_audit::remit_store::Store::open_or_default(global.db.as_deref())
                .map_err(store_error)?,
        )
    };
    let mut session = remit_app::Session::new(
        corpus,
        remit_agencies::Resolver::new(directory),
        classifier,
        store,
    );
    let agreements = session.agreements().map_err(audit_error)?;
    let mut store = session.store.take();
    let auditor = session.auditor(agreements.as_ref(), Some(&progress));
    let options = AuditOptions {
        owner: args.owner.clone(),
        mapping,
        utc_offset,
        strict: args.strict,
        all_flags: args.all_flags,
        threads: args.threads,
        redact,
        block_bytes: 0,
        no_map: args.no_map,
    };
    let mut refs: Vec<&mut dyn Sink> = sinks
        .iter_mut()
        .map(|s| &mut **s as &mut dyn Sink)
        .collect();
    let mut stored_note = None;
    let run = match store.as_mut() {
        None => auditor.run(&args.files, &options, &mut refs),
        Some(store) => remit_app::audit::audit_into(
            store,
            &auditor,
            &args.files,
            &options,
            args.map.as_deref(),
            &mut refs,
        )
        .map(|stored| {
            stored_note = Some(match stored.recorded {
                remit_audit::remit_store::Recorded::New(record) => {
                    format!("stored as import {} in the store", record.id)
                }
                remit_audit::remit_store::Recorded::Duplicate(previous) => format!(
                    "the store already holds this run (import {} of {}); it was not stored again",
                    previous.id, previous.imported_at
                ),
            });
            stored.run
        }),
    };
    bar.finish_and_clear();
    let run = run.map_err(audit_error)?;
    if let Some(note) = stored_note
        && !args.json
    {
        eprintln!("note: {note}");
    }

    for (path, what) in &run.skipped {
        eprintln!(
            "skipped: `{}` is {what}, not a search log\n  help: `remit sharing` reads sharing lists and portal archives",
            path.display()
        );
    }
    if run.summary.owner.is_none() && run.summary.events > 0 {
        eprintln!(
            "note: the data's owner is not known, so no sharing question was asked\n  help: name it with `--owner \"<agency>\"`"
        );
    }
    if args.json {
        print_json(&run.summary)?;
    } else {
        print!(
            "{}",
            human(
                &run.summary,
                args.out.as_deref(),
                session.corpus.vocabulary()
            )
        );
    }
    let forbidden = run.summary.by_verdict.get("must_not").copied().unwrap_or(0)
        + run.summary.by_verdict.get("conflict").copied().unwrap_or(0);
    if args.fail_on_forbidden && forbidden > 0 {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The summary for a person; the law's questions in the vocabulary's phrases: what `remit
/// audit` prints without `--json`.
pub fn human(summary: &Summary, out: Option<&Path>, vocabulary: &Vocabulary) -> String {
    let mut text = String::new();
    let owner = summary.owner.as_ref().map_or_else(
        || "unknown".to_string(),
        |o| {
            format!(
                "{} ({})",
                o.name,
                o.state.as_deref().unwrap_or("state unknown")
            )
        },
    );
    let _ = writeln!(text, "owner: {owner}");
    for file in &summary.files {
        let what = file.layout.as_deref().unwrap_or("skipped");
        let _ = writeln!(
            text,
            "file: {} ({what}): {} searches, {} rejected",
            file.path, file.events, file.rejected
        );
    }
    let period = match (&summary.period.first, &summary.period.last) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "none".to_string(),
    };
    let _ = writeln!(
        text,
        "searches: {}, rejected rows: {}, findings: {}, period: {period}",
        summary.events, summary.rejected, summary.findings
    );
    let verdicts: Vec<String> = summary
        .by_verdict
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    let _ = writeln!(text, "sharing verdicts: {}", verdicts.join(", "));
    let mut categories: Vec<(&&str, &u64)> = summary
        .by_category
        .iter()
        .filter(|(_, n)| **n > 0)
        .collect();
    categories.sort_by(|a, b| b.1.cmp(a.1));
    let categories: Vec<String> = categories.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let _ = writeln!(text, "reasons: {}", categories.join(", "));
    let flags: Vec<String> = remit_audit::report::flag_counts(summary)
        .iter()
        .map(|(flag, n)| format!("{} {n}", flag.name()))
        .collect();
    let _ = writeln!(
        text,
        "flags: {}",
        if flags.is_empty() {
            "none".to_string()
        } else {
            flags.join(", ")
        }
    );
    for decision in summary
        .decisions
        .iter()
        .filter(|d| matches!(d.verdict, "must_not" | "conflict"))
    {
        let rules: Vec<String> = decision
            .determining
            .iter()
            .map(|r| format!("{} [{}]", r.citation, r.id))
            .collect();
        let _ = writeln!(
            text,
            "{}: sharing with {} for {} ({} to {}), {} searches: {}",
            decision.verdict.replace('_', " "),
            vocabulary.phrase_or_word(WordKind::Counterparty, &decision.counterparty),
            vocabulary.phrase_or_word(WordKind::Purpose, &decision.purpose),
            decision.from,
            decision.until,
            decision.searches,
            rules.join("; ")
        );
    }
    let _ = writeln!(text, "top searchers:");
    for searcher in summary.top_searchers.iter().take(5) {
        let _ = writeln!(
            text,
            "  {} ({}, {}): {} searches, {} findings",
            searcher.name,
            searcher.state.as_deref().unwrap_or("?"),
            searcher.class,
            searcher.searches,
            searcher.findings
        );
    }
    if let Some(out) = out {
        let decisions = if out.join("decisions.csv").is_file() {
            " decisions.csv,"
        } else {
            ""
        };
        let _ = writeln!(
            text,
            "wrote {}: findings.csv,{decisions} rejects.csv, summary.json, report.html",
            out.display()
        );
    }
    let _ = writeln!(text, "{}", summary.disclaimer);
    text
}
