//! `remit rules`: read, validate and test the corpus; see what it covers and what it cites.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use remit_law::coverage::Coverage;
use remit_law::{Corpus, Date, Jurisdiction, Modality, Verdict};

use crate::Global;
use crate::output::{UserError, load_corpus, print_json, today};

/// The arguments of `remit rules`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Use the corpus in this folder instead of the built-in one
    #[arg(long, value_name = "DIR", global = true)]
    corpus: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// List rules, optionally for one jurisdiction (and the levels above it) or one action
    List {
        /// Only rules that apply in this place: an OCD id, a state code or a state name
        #[arg(long)]
        jurisdiction: Option<String>,
        /// Only rules on this action
        #[arg(long)]
        action: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show one rule in full
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Validate the corpus: every problem with file, line and rule id (exit 2 on problems)
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Run every scenario; exit 1 and show expected vs actual when one fails
    Test {
        /// Only scenarios whose question, file or place contains this text
        #[arg(long)]
        filter: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The jurisdiction x action matrix: what the corpus speaks to, and the verdict of a default question
    Coverage {
        /// The date of the default questions [default: today]
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// How well each jurisdiction's rules are read against their sources: provenance, quotes,
    /// start dates, review dates
    Review {
        /// Count reviews older than a year as of this date [default: today]
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Every cited source with its URL, provenance and the rules citing it
    Sources {
        #[arg(long)]
        json: bool,
    },
    /// Every word of the vocabulary with its definition
    Vocabulary {
        #[arg(long)]
        json: bool,
    },
}

/// Runs `remit rules`: list, show, check, test, review or the sources of the corpus.
pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let corpus = load_corpus(args.corpus.as_deref(), remit_law::Scenarios::Load)?;
    match args.command {
        Command::List {
            jurisdiction,
            action,
            json,
        } => list(&corpus, jurisdiction, action, json, global),
        Command::Show { id, json } => show(&corpus, &id, json),
        Command::Check { json } => {
            let problems = corpus.review_problems();
            if !problems.is_empty() {
                if json {
                    print_json(&serde_json::json!({
                        "ok": false,
                        "corpus_version": corpus.version(),
                        "problems": problems,
                    }))?;
                } else {
                    for problem in &problems {
                        eprintln!("{problem}");
                    }
                    eprintln!(
                        "error: {} problems in rules that are not fully read against their sources",
                        problems.len()
                    );
                    eprintln!(
                        "help: every rule needs a start date, the act that made it, a quote and a review date; see docs/rules-format.md"
                    );
                }
                return Ok(ExitCode::from(2));
            }
            let report = serde_json::json!({
                "ok": true,
                "corpus_version": corpus.version(),
                "rules": corpus.rules().len(),
                "scenarios": corpus.scenarios().len(),
                "jurisdictions": corpus.jurisdictions().len(),
                "sources": corpus.sources().len(),
            });
            if json {
                print_json(&report)?;
            } else {
                println!(
                    "ok: {} rules in {} jurisdictions citing {} sources, {} scenarios (corpus {})",
                    corpus.rules().len(),
                    corpus.jurisdictions().len(),
                    corpus.sources().len(),
                    corpus.scenarios().len(),
                    corpus.version()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Test { filter, json } => test(&corpus, filter.as_deref(), json),
        Command::Coverage { date, json } => {
            let date = match date {
                Some(text) => text.parse::<Date>().map_err(|e| {
                    UserError::with_help(format!("`--date`: {e}"), "write dates as YYYY-MM-DD")
                })?,
                None => today(),
            };
            let coverage = corpus.coverage(date);
            if json {
                print_json(&coverage)?;
            } else {
                print!("{}", render_coverage(&coverage));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Review { date, json } => {
            let date = match date {
                Some(text) => text.parse::<Date>().map_err(|e| {
                    UserError::with_help(format!("`--date`: {e}"), "write dates as YYYY-MM-DD")
                })?,
                None => today(),
            };
            let report = corpus.review(date);
            if json {
                print_json(&report)?;
            } else {
                print!("{}", render_review(&report));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Sources { json } => {
            let sources = corpus.sources();
            if json {
                print_json(&sources)?;
            } else {
                for s in &sources {
                    println!(
                        "{} — {} [{}, {:?}]",
                        s.citation,
                        s.title,
                        s.kind.label(),
                        s.provenance
                    );
                    println!("    {}", s.url);
                    println!("    rules: {}", s.rules.join(", "));
                }
                println!("{} sources", sources.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Vocabulary { json } => {
            let v = corpus.vocabulary();
            if json {
                print_json(&serde_json::json!({
                    "actors": v.actors(),
                    "actor_groups": v.actor_groups(),
                    "counterparties": v.counterparties(),
                    "actions": v.actions(),
                    "purposes": v.purposes(),
                    "facts": v.facts(),
                }))?;
            } else {
                let mut out = String::new();
                let section =
                    |out: &mut String, title: &str, words: &[remit_law::vocabulary::Word]| {
                        let _ = writeln!(out, "{title}:");
                        for w in words {
                            let _ = writeln!(out, "  {:<45} {}", w.name, w.definition);
                        }
                        out.push('\n');
                    };
                section(&mut out, "Actors (--actor)", v.actors());
                let _ = writeln!(out, "Actor groups (used in rules):");
                for g in v.actor_groups() {
                    let _ = writeln!(
                        out,
                        "  {:<45} {} ({})",
                        g.name,
                        g.definition,
                        g.members.join(", ")
                    );
                }
                out.push('\n');
                let _ = writeln!(
                    out,
                    "Counterparties (--counterparty; a rule on a word covers the words below it):"
                );
                for c in v.counterparties() {
                    let parent = c
                        .parent
                        .as_deref()
                        .map_or(String::new(), |p| format!(" (within {p})"));
                    let _ = writeln!(out, "  {:<45} {}{parent}", c.name, c.definition);
                }
                out.push('\n');
                section(&mut out, "Actions (--action)", v.actions());
                section(&mut out, "Purposes (--purpose)", v.purposes());
                section(&mut out, "Facts (--fact)", v.facts());
                print!("{out}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn list(
    corpus: &Corpus,
    jurisdiction: Option<String>,
    action: Option<String>,
    json: bool,
    global: &Global,
) -> anyhow::Result<ExitCode> {
    let place =
        match jurisdiction {
            None => None,
            Some(text) => {
                let id = super::ask::read_where(&text, corpus, json, "--jurisdiction", global)?;
                Some(Jurisdiction::parse_ocd(&id).map_err(|e| {
                    UserError::with_help(format!("`--jurisdiction`: {e}"), e.help())
                })?)
            }
        };
    if let Some(action) = &action {
        corpus
            .vocabulary()
            .action(action)
            .map_err(|e| UserError::with_help(format!("`--action`: {e}"), e.help()))?;
    }
    let rules: Vec<_> = corpus
        .rules()
        .iter()
        .filter(|r| place.as_ref().is_none_or(|p| r.jurisdiction.contains(p)))
        .filter(|r| action.as_ref().is_none_or(|a| r.actions.contains(a)))
        .collect();
    if json {
        print_json(&rules)?;
    } else {
        for r in &rules {
            println!(
                "{:<40} {:<10} {:<45} {}",
                r.id,
                modality_short(r.modality),
                r.actions.join(","),
                r.source.citation
            );
        }
        println!("{} rules", rules.len());
    }
    Ok(ExitCode::SUCCESS)
}

/// `rules review` as text: one line of counts per jurisdiction, then the rules that need work.
fn render_review(report: &remit_law::review::ReviewReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<40} {:>5} {:>7} {:>9} {:>10} {:>8} {:>8} {:>8} {:>7} {:>7}",
        "jurisdiction",
        "rules",
        "primary",
        "secondary",
        "unverified",
        "no quote",
        "no start",
        "start ?",
        "history",
        "amended"
    );
    let line = |out: &mut String, name: &str, c: &remit_law::review::ReviewCounts| {
        let _ = writeln!(
            out,
            "{:<40} {:>5} {:>7} {:>9} {:>10} {:>8} {:>8} {:>8} {:>7} {:>7}",
            name,
            c.rules,
            c.primary,
            c.secondary,
            c.unverified,
            c.without_quote,
            c.without_start,
            c.start_unknown,
            c.with_history,
            c.amended
        );
    };
    for j in &report.jurisdictions {
        line(&mut out, &j.name, &j.counts);
    }
    line(&mut out, "total", &report.totals);
    let t = &report.totals;
    let _ = writeln!(
        out,
        "\n{} rules never reviewed, {} reviewed more than {} days before {}, {} without the act that made them.",
        t.never_reviewed, t.review_due, report.review_due_days, report.as_of, t.without_enacted
    );
    let flagged: Vec<_> = report
        .jurisdictions
        .iter()
        .flat_map(|j| &j.needs_work)
        .collect();
    if !flagged.is_empty() {
        let _ = writeln!(out, "\nRules that need a reviewer ({}):", flagged.len());
        for rule in flagged {
            let _ = writeln!(out, "  {:<50} {}", rule.id, rule.flags.join(", "));
        }
    }
    out
}

fn show(corpus: &Corpus, id: &str, json: bool) -> anyhow::Result<ExitCode> {
    let Some(rule) = corpus.rule(id) else {
        let help = corpus.suggest_rule(id).map_or_else(
            || "`remit rules list` shows every rule id".to_string(),
            |s| format!("did you mean `{s}`?"),
        );
        return Err(UserError::with_help(format!("no rule `{id}`"), help).into());
    };
    if json {
        print_json(rule)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", rule.id);
    println!("  {}", rule.summary);
    println!(
        "  jurisdiction: {} ({})",
        rule.jurisdiction.label(),
        rule.jurisdiction
    );
    println!(
        "  {} {}",
        modality_short(rule.modality),
        rule.actions.join(", ")
    );
    println!("  binds: {}", rule.binds.join(", "));
    if !rule.counterparty.is_empty() {
        println!("  counterparty: {}", rule.counterparty.join(", "));
    }
    if !rule.purpose.is_empty() {
        println!("  purpose: {}", rule.purpose.join(", "));
    }
    if let Some(when) = &rule.when {
        println!("  when: {when}");
    }
    if !rule.exception_to.is_empty() {
        println!("  exception to: {}", rule.exception_to.join(", "));
    }
    if !rule.preempts.is_empty() {
        println!("  preempts: {}", rule.preempts.join(", "));
    }
    let from = match (rule.effective_from, rule.effective_not_before) {
        (Some(d), _) => d.to_string(),
        (None, Some(d)) => format!(
            "{d} at the earliest (start date unknown: {})",
            rule.effective_unknown_reason.as_deref().unwrap_or("")
        ),
        (None, None) => "(not stated)".to_string(),
    };
    let until = rule
        .effective_until
        .map_or(String::new(), |d| format!(" until {d}"));
    println!("  effective: from {from}{until}");
    let first = rule.versions.first();
    if let Some(enacted) = first.map_or(&rule.enacted, |v| &v.enacted) {
        println!(
            "  enacted: {}{}",
            enacted.citation,
            enacted.date.map_or(String::new(), |d| format!(" ({d})"))
        );
    }
    if let Some(quote) = first.map_or(&rule.quote, |v| &v.quote) {
        println!("  text: \"{quote}\"");
    }
    for (n, version) in rule.versions.iter().enumerate().skip(1) {
        println!(
            "  version {} of {}, from {}{}: {}",
            n + 1,
            rule.versions.len(),
            version.from,
            version
                .enacted
                .as_ref()
                .map_or(String::new(), |e| format!(" ({})", e.citation)),
            version.summary
        );
        if let Some(quote) = &version.quote {
            println!("    text: \"{quote}\"");
        }
    }
    println!("  status: {}", rule.status.label());
    for event in &rule.history {
        println!("    {} -> {}", event.describe(), event.status.label());
        println!("      {}", event.source.url);
    }
    if let Some(extent) = rule.extent {
        println!("  extent: {extent:?}");
    }
    println!(
        "  reviewed: {}",
        rule.reviewed
            .map_or("(never)".to_string(), |d| d.to_string())
    );
    println!(
        "  provenance: {:?}{}",
        rule.provenance,
        if rule.binding { "" } else { ", not binding" }
    );
    for source in rule.citations() {
        println!(
            "  source: {} — {} [{}]",
            source.citation,
            source.title,
            source.kind.label()
        );
        println!("          {}", source.url);
    }
    if let Some(note) = &rule.note {
        println!("  note: {note}");
    }
    println!("  defined at {}:{}", rule.location.file, rule.location.line);
    Ok(ExitCode::SUCCESS)
}

fn test(corpus: &Corpus, filter: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let outcomes: Vec<_> = corpus
        .scenarios()
        .iter()
        .filter(|s| {
            filter.is_none_or(|f| {
                s.question_text.contains(f) || s.file.contains(f) || s.input.place.contains(f)
            })
        })
        .map(|s| corpus.run_scenario(s))
        .collect();
    let failed = outcomes.iter().filter(|o| !o.passed).count();
    if json {
        print_json(&serde_json::json!({
            "ok": failed == 0,
            "passed": outcomes.len() - failed,
            "failed": failed,
            "outcomes": outcomes,
        }))?;
    } else {
        for o in outcomes.iter().filter(|o| !o.passed) {
            println!("FAIL {}:{}: {}", o.file, o.line, o.question);
            for d in &o.differences {
                println!("    {d}");
            }
        }
        println!(
            "scenarios: {} passed, {} failed",
            outcomes.len() - failed,
            failed
        );
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn modality_short(m: Modality) -> &'static str {
    match m {
        Modality::Prohibited => "prohibits",
        Modality::Required => "requires",
        Modality::Permitted => "permits",
    }
}

fn verdict_cell(v: Verdict) -> &'static str {
    match v {
        Verdict::MustNot => "NOT",
        Verdict::Must => "MUST",
        Verdict::May => "may",
        Verdict::Conflict => "CONF",
        Verdict::NoRule => "-",
        Verdict::Depends => "dep",
    }
}

/// The matrix as text: one row per jurisdiction, one numbered column per action.
fn render_coverage(coverage: &Coverage) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Coverage on {} (corpus {})",
        coverage.date, coverage.corpus_version
    );
    let _ = writeln!(
        out,
        "Cell: verdict of a default question (NOT must not, MUST must, may, CONF conflict, - no rule);"
    );
    let _ = writeln!(
        out,
        "'*' when the jurisdiction itself has a rule on the action.\n"
    );
    let _ = writeln!(out, "Actions:");
    for (i, action) in coverage.actions.iter().enumerate() {
        let actor = coverage.rows.first().map_or("", |r| r.cells[i].actor);
        let _ = writeln!(out, "  {:>2} {action} (asked of {actor})", i + 1);
    }
    out.push('\n');
    let width = coverage
        .rows
        .iter()
        .map(|r| r.label.len())
        .max()
        .unwrap_or(10)
        .min(44);
    let _ = write!(out, "{:<width$} ", "jurisdiction");
    for i in 0..coverage.actions.len() {
        let _ = write!(out, "{:>5}", i + 1);
    }
    out.push('\n');
    for row in &coverage.rows {
        let mut label = row.label.clone();
        label.truncate(width);
        let _ = write!(out, "{label:<width$} ");
        for cell in &row.cells {
            let star = if cell.rules_here > 0 { "*" } else { " " };
            let _ = write!(
                out,
                "{:>5}",
                format!("{}{star}", verdict_cell(cell.verdict))
            );
        }
        out.push('\n');
    }
    render_family_table(&mut out, coverage);
    out
}

/// The national table: each state, DC and territory by question family.
fn render_family_table(out: &mut String, coverage: &Coverage) {
    let _ = writeln!(
        out,
        "\nBy state and question family: E encoded, s searched and none found, . not yet reviewed"
    );
    for (n, (_, title)) in coverage.families.iter().enumerate() {
        let _ = writeln!(out, "  {:>2}  {title}", n + 1);
    }
    let _ = write!(out, "{:<26} {:>5} ", "state", "rules");
    for n in 0..coverage.families.len() {
        let _ = write!(out, "{:>3}", n + 1);
    }
    let _ = writeln!(out, "  last review");
    let mut counts = [0usize; 3];
    for state in &coverage.states {
        let _ = write!(out, "{:<26} {:>5} ", state.name, state.rules);
        for (_, status) in &state.families {
            let (mark, slot) = match status {
                remit_law::searched::FamilyStatus::Encoded => ("E", 0),
                remit_law::searched::FamilyStatus::SearchedNone => ("s", 1),
                remit_law::searched::FamilyStatus::NotYetReviewed => (".", 2),
            };
            counts[slot] += 1;
            let _ = write!(out, "{mark:>3}");
        }
        let _ = writeln!(out, "  {}", state.last_review.as_deref().unwrap_or("-"));
    }
    let _ = writeln!(
        out,
        "{} state-family cells encoded, {} searched with none found, {} not yet reviewed.",
        counts[0], counts[1], counts[2]
    );
}
