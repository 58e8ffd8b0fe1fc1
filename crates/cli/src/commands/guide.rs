//! `remit guide`: every question the law answers for one actor in one place, answered at once.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use remit_law::guide::{Guide, GuideInput};
use remit_law::{Lang, Verdict};

use crate::Global;
use crate::output::{date_arg, load_corpus, print_json, question_error};

/// The arguments of `remit guide`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  remit guide --where \"El Cajon, CA\" --actor local_police
  remit guide --where \"Dallas County, TX\" --actor sheriff --date 2026-01-15
  remit guide --where WA --actor state_police --csv > guide.csv")]
pub struct Args {
    /// The place: a city or county with its state (`Dallas, TX`), a state, an OCD id, or an
    /// agency (`Harris County Sheriff`), read as the division whose rules bind it
    #[arg(long = "where", value_name = "PLACE")]
    place: String,
    /// Who acts, e.g. `local_police`, `sheriff`, `jail`
    #[arg(long)]
    actor: String,
    /// The date: 2026-12-07, 12/07/2026, Dec 7 2026 or today [default: today]
    #[arg(long)]
    date: Option<String>,
    /// A fact that holds for every question (repeatable or comma-separated); `!fact` for one
    /// that does not
    #[arg(long = "fact", value_name = "FACT")]
    facts: Vec<String>,
    /// Print the guide as one JSON object
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print the guide as CSV, one row per question
    #[arg(long)]
    csv: bool,
    /// With CSV: write cells as they are, for programs (by default a cell that a spreadsheet
    /// would run as a formula, such as `=HYPERLINK(...)`, gets a `'` in front)
    #[arg(long)]
    raw_csv: bool,
    /// Use the corpus in this folder instead of the built-in one
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// The language of the guide: `en` or `es` (español) [default: $REMIT_LANG, else en]
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
}

/// Runs `remit guide`: every question the law answers for one actor in one place.
pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let lang = super::ask::lang_arg(args.lang.as_deref())?;
    let corpus = load_corpus(args.corpus.as_deref(), remit_law::Scenarios::Skip)?;
    let place =
        super::ask::read_where(&args.place, &corpus, args.json || args.csv, "where", global)?;
    let date = date_arg(args.date.as_deref())?;
    let guide = corpus
        .guide_in(
            &GuideInput {
                place,
                actor: args.actor,
                date: Some(date.to_string()),
                facts: args.facts,
            },
            lang,
        )
        .map_err(|errors| question_error(&errors))?;
    if args.json {
        print_json(&guide)?;
    } else if args.csv {
        print!("{}", guide_csv(&guide, args.raw_csv)?);
    } else {
        print!("{}", render_in(&guide, lang));
    }
    Ok(ExitCode::SUCCESS)
}

/// The verdict as a short label.
fn label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::MustNot => "MUST NOT",
        Verdict::Must => "MUST",
        Verdict::May => "MAY",
        Verdict::Conflict => "CONFLICT",
        Verdict::NoRule => "NO RULE",
        Verdict::Depends => "DEPENDS",
    }
}

/// The guide as text: one block per section, one line per question.
pub fn render(guide: &Guide) -> String {
    render_in(guide, Lang::En)
}

/// [`render`] in `lang` (the guide's sentences are already in it; this sets the labels).
pub fn render_in(guide: &Guide, lang: Lang) -> String {
    if lang == Lang::Es {
        return render_es(guide);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "What the law says for {} in {}, on {}",
        guide.actor_phrase, guide.place_name, guide.date
    );
    for assumed in &guide.assumed {
        let _ = writeln!(
            out,
            "  assumed: {} ({}: {})",
            assumed.condition, assumed.place_name, assumed.source.citation
        );
    }
    if !guide.facts.is_empty() {
        let _ = writeln!(out, "  facts stated: {}", guide.facts.join(", "));
    }
    for section in &guide.sections {
        let _ = writeln!(out, "\n{}", section.title);
        for item in &section.items {
            let _ = writeln!(out, "  {:<9} {}", label(item.verdict), item.question);
            let _ = writeln!(out, "            {}", item.answer);
        }
    }
    let c = &guide.counts;
    let _ = writeln!(
        out,
        "\n{} questions: {} must not, {} must, {} may, {} depend on facts, {} conflict, {} with no rule found.",
        c.must_not + c.must + c.may + c.depends + c.conflict + c.no_rule,
        c.must_not,
        c.must,
        c.may,
        c.depends,
        c.conflict,
        c.no_rule
    );
    let _ = writeln!(
        out,
        "Each question in full: remit ask --where {} --actor {} --action ACTION. Corpus {}. {}",
        guide.place, guide.actor, guide.corpus_version, guide.disclaimer
    );
    out
}

/// The guide as CSV: one row per question, the columns of [`Guide::COLUMNS`]; a cell a
/// spreadsheet would take as a formula gets a quote in front unless `raw`.
pub fn guide_csv(guide: &Guide, raw: bool) -> anyhow::Result<String> {
    let mut writer = remit_registry::remit_store::csv_out::Writer::new(Vec::new(), raw);
    writer.write_record(Guide::COLUMNS)?;
    for row in guide.rows() {
        writer.write_record(&row)?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// The guide as text, in Spanish.
fn render_es(guide: &Guide) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Lo que dice la ley para {} en {}, el {}",
        guide.actor_phrase,
        guide.place_name,
        remit_law::lang::date_text(&guide.date, Lang::Es)
    );
    for assumed in &guide.assumed {
        let _ = writeln!(
            out,
            "  se supone: {} ({}: {})",
            assumed.condition, assumed.place_name, assumed.source.citation
        );
    }
    if !guide.facts.is_empty() {
        let _ = writeln!(out, "  hechos indicados: {}", guide.facts.join(", "));
    }
    for section in &guide.sections {
        let _ = writeln!(out, "\n{}", section.title);
        for item in &section.items {
            let _ = writeln!(
                out,
                "  {:<9} {}",
                super::ask::verdict_label_in(item.verdict, Lang::Es),
                item.question
            );
            let _ = writeln!(out, "            {}", item.answer);
        }
    }
    let c = &guide.counts;
    let _ = writeln!(
        out,
        "\n{} preguntas: {} no debe, {} debe, {} puede, {} dependen de hechos, {} en conflicto, {} sin norma encontrada.",
        c.must_not + c.must + c.may + c.depends + c.conflict + c.no_rule,
        c.must_not,
        c.must,
        c.may,
        c.depends,
        c.conflict,
        c.no_rule
    );
    let _ = writeln!(
        out,
        "Cada pregunta completa: remit ask --lang es --where {} --actor {} --action ACCIÓN. Corpus {}. {}",
        guide.place, guide.actor, guide.corpus_version, guide.disclaimer
    );
    out
}
