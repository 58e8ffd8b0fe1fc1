//! `remit ask`: what may, must or must not this actor do, here, on this date?

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use remit_law::{Answer, Modality, QuestionInput, Verdict};

use crate::Global;
use crate::output::{UserError, load_corpus, print_json, today};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  remit ask --where ocd-division/country:us/state:ca/place:los_angeles --actor local_police --action honor_detainer --counterparty ice
  remit ask --where TX --actor jail --action honor_detainer --counterparty ice --date 2026-01-15
  remit ask --where CA --actor local_police --action share_alpr_data --counterparty out_of_state_agency --json

`remit rules vocabulary` lists every actor, action, counterparty, purpose and fact.")]
pub struct Args {
    /// The place: an OCD division id, a state code (`CA`) or a state name (`California`), or an
    /// agency (`El Cajon CA PD`, an ORI), read as the city, county or state whose rules bind it
    #[arg(long = "where", value_name = "PLACE")]
    place: String,
    /// Who acts, e.g. `local_police`, `sheriff`, `jail`
    #[arg(long)]
    actor: String,
    /// What is done, e.g. `honor_detainer`, `share_alpr_data`
    #[arg(long)]
    action: String,
    /// With or for whom, e.g. `ice`, `border_patrol`, `out_of_state_agency` [default: federal_immigration]
    #[arg(long)]
    counterparty: Option<String>,
    /// Why, e.g. `civil_immigration_enforcement`, `criminal_investigation` [default: unspecified]
    #[arg(long)]
    purpose: Option<String>,
    /// A fact that holds (repeatable), e.g. `--fact judicial_warrant`
    #[arg(long = "fact", value_name = "FACT")]
    facts: Vec<String>,
    /// The date to ask about, YYYY-MM-DD [default: today]
    #[arg(long)]
    date: Option<String>,
    /// Print the answer as one JSON object
    #[arg(long)]
    json: bool,
    /// List every rule considered and why it did or did not apply
    #[arg(long)]
    trace: bool,
    /// Exit with code 1 when the verdict is one of these (comma-separated), e.g. `must_not,conflict`
    #[arg(long, value_name = "VERDICTS", value_delimiter = ',')]
    fail_on: Vec<String>,
    /// Use the corpus in this folder instead of the built-in one
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
}

pub fn run(args: Args, _global: &Global) -> anyhow::Result<ExitCode> {
    let mut fail_on = Vec::new();
    for name in &args.fail_on {
        match Verdict::ALL.iter().find(|v| v.name() == name) {
            Some(v) => fail_on.push(*v),
            None => {
                return Err(UserError::with_help(
                    format!("`--fail-on`: unknown verdict `{name}`"),
                    "verdicts are must_not, must, may, conflict, no_rule",
                )
                .into());
            }
        }
    }
    let corpus = load_corpus(args.corpus.as_deref(), remit_law::Scenarios::Skip)?;
    let place = place_or_agency(&args.place, args.json)?;
    let input = QuestionInput {
        place,
        date: Some(args.date.unwrap_or_else(|| today().to_string())),
        actor: args.actor,
        action: args.action,
        counterparty: args.counterparty,
        purpose: args.purpose,
        facts: args.facts,
    };
    let question = corpus.question(&input).map_err(|errors| {
        let message = errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n       ");
        let help = errors
            .iter()
            .filter_map(|e| e.help())
            .collect::<Vec<_>>()
            .join("\n  help: ");
        anyhow::Error::new(UserError::with_help(message, help))
    })?;
    let answer = corpus.answer(&question);
    if args.json {
        print_json(&answer)?;
    } else {
        print!("{}", render(&answer, args.trace));
    }
    Ok(if fail_on.contains(&answer.verdict) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The place as given when it reads as one; otherwise an agency name or ORI, read as the division
/// whose rules bind the agency (`remit_agencies::law::division`, as audits and sharing read
/// owners). A name the resolver is not sure of is left as given, so the usual place error shows.
fn place_or_agency(text: &str, quiet: bool) -> anyhow::Result<String> {
    if remit_law::Jurisdiction::parse_place(text).is_ok()
        || text.trim().starts_with("ocd-division/")
    {
        return Ok(text.to_string());
    }
    let Ok(directory) = remit_agencies::Directory::load_default() else {
        return Ok(text.to_string());
    };
    let resolver = remit_agencies::Resolver::new(directory);
    match remit_agencies::law::division_of_agency(&resolver, text) {
        Some((division, agency)) => {
            if !quiet {
                eprintln!(
                    "note: `{text}` read as {} ({}), so the question is about `{division}`",
                    agency.name,
                    agency.ori.as_deref().unwrap_or("no ORI")
                );
            }
            Ok(division)
        }
        None => Ok(text.to_string()),
    }
}

fn modality(m: Modality) -> &'static str {
    match m {
        Modality::Prohibited => "prohibits",
        Modality::Required => "requires",
        Modality::Permitted => "permits",
    }
}

/// The human form of an answer.
pub fn render(answer: &Answer, trace: bool) -> String {
    let mut out = String::new();
    let label = match answer.verdict {
        Verdict::MustNot => "MUST NOT",
        Verdict::Must => "MUST",
        Verdict::May => "MAY",
        Verdict::Conflict => "CONFLICT",
        Verdict::NoRule => "NO RULE",
    };
    // The headline starts with the verdict in words (`must not: ...`): shown once, in capitals.
    let sentence = answer
        .headline
        .split_once(": ")
        .map_or(answer.headline.as_str(), |(_, rest)| rest);
    let _ = writeln!(out, "{label}: {sentence}");
    let q = &answer.question;
    let _ = writeln!(
        out,
        "  asked: {} | {} | actor {} | action {} | counterparty {} | purpose {}{}",
        q.place,
        q.date,
        q.actor,
        q.action,
        q.counterparty,
        q.purpose,
        if q.facts.is_empty() {
            String::new()
        } else {
            format!(" | facts {}", q.facts.join(", "))
        }
    );
    if !answer.determining.is_empty() {
        let _ = writeln!(out, "\nBecause:");
        for c in &answer.determining {
            citation_line(&mut out, c);
            let _ = writeln!(out, "    {}", c.summary);
            if let Some(quote) = &c.quote {
                let _ = writeln!(out, "    The text: \"{quote}\"");
            }
            let _ = writeln!(out, "    {}", in_force_line(c));
            if let Some(event) = &c.status_event {
                let _ = writeln!(
                    out,
                    "    On the date asked: {} since {}",
                    event.status.label(),
                    event.describe()
                );
            }
            let _ = writeln!(out, "    {}", c.url);
            for also in &c.also_cites {
                let _ = writeln!(out, "    see also: {}, {}", also.citation, also.url);
            }
        }
    }
    if !answer.concurring.is_empty() {
        let _ = writeln!(out, "\nAlso applies:");
        for c in &answer.concurring {
            citation_line(&mut out, c);
        }
    }
    if !answer.defeated.is_empty() {
        let _ = writeln!(out, "\nSet aside:");
        for d in &answer.defeated {
            let _ = writeln!(
                out,
                "  - {} ({}) {}: {}",
                d.citation,
                d.id,
                modality(d.modality),
                d.reason
            );
        }
    }
    if !answer.caveats.is_empty() {
        let _ = writeln!(out, "\nCaveats:");
        for c in &answer.caveats {
            let _ = writeln!(out, "  - {}", c.message);
        }
    }
    if !answer.context.is_empty() {
        let _ = writeln!(out, "\nContext (not binding):");
        for c in &answer.context {
            let _ = writeln!(out, "  - {} ({}): {}", c.citation, c.id, c.summary);
        }
    }
    if !answer.listings.is_empty() || !answer.figures.is_empty() {
        let _ = writeln!(out, "\nFor context (listings and figures, not rules):");
        for l in &answer.listings {
            let _ = writeln!(
                out,
                "  - {} ({}) names {}",
                l.title,
                l.date,
                l.names.join(", ")
            );
            for note in &l.entry_notes {
                let _ = writeln!(out, "    note: {note}");
            }
            if let Some(source) = l.sources.first() {
                let _ = writeln!(out, "    {}", source.url);
            }
        }
        for f in &answer.figures {
            let _ = writeln!(out, "  - {}: {}", f.date, f.statement);
            let _ = writeln!(out, "    {}", f.source.url);
        }
    }
    if trace {
        let _ = writeln!(out, "\nTrace ({} rules considered):", answer.trace.len());
        for t in &answer.trace {
            let _ = writeln!(
                out,
                "  - {} [{}] {}: {}",
                t.rule,
                modality(t.modality),
                t.outcome.replace('_', " "),
                t.reasons.join("; ")
            );
        }
    } else {
        let _ = writeln!(
            out,
            "\n{} rules considered (--trace lists them).",
            answer.trace.len()
        );
    }
    let _ = writeln!(
        out,
        "Corpus {}. {}",
        answer.corpus_version, answer.disclaimer
    );
    out
}

/// `In force from 2019-07-01 (Ch. 2019-102, Laws of Fla., 2019-06-14)`, naming the version of
/// an amended provision.
fn in_force_line(c: &remit_law::Citation) -> String {
    let from = match (&c.effective_from, c.start_known) {
        (Some(from), true) => format!("In force from {from}"),
        (Some(from), false) => format!("In force from {from} at the earliest (start date unknown)"),
        (None, _) => "Start date not recorded".to_string(),
    };
    let until = c
        .effective_until
        .as_ref()
        .map_or_else(String::new, |u| format!(" until {u}"));
    let enacted = c.enacted.as_ref().map_or_else(String::new, |e| {
        format!(
            "; made by {}{}",
            e.citation,
            e.date.map_or_else(String::new, |d| format!(" ({d})"))
        )
    });
    let version = c.version.as_ref().map_or_else(String::new, |v| {
        format!("; text {} of {}, applying from {}", v.number, v.of, v.from)
    });
    format!("{from}{until}{enacted}{version}")
}

/// `  - citation (id) modality [provenance, status]`: the line of a rule that decides or also
/// applies.
fn citation_line(out: &mut String, c: &remit_law::Citation) {
    let _ = writeln!(
        out,
        "  - {} ({}) {} [{}]",
        c.citation,
        c.id,
        modality(c.modality),
        provenance_and_status(c)
    );
}

fn provenance_and_status(c: &remit_law::Citation) -> String {
    let provenance = match c.provenance {
        remit_law::Provenance::Primary => "primary source",
        remit_law::Provenance::Secondary => "secondary source",
        remit_law::Provenance::Unverified => "UNVERIFIED",
    };
    match c.status {
        remit_law::Status::InForce => provenance.to_string(),
        status => format!("{provenance}, {}", status.label().to_uppercase()),
    }
}
