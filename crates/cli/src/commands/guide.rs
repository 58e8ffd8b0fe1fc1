//! `remit guide`: every question the law answers for one actor in one place, answered at once.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use remit_law::Lang;
use remit_law::guide::{Guide, GuideInput};

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

/// The guide as text: one block per section, one line per question.
pub fn render(guide: &Guide) -> String {
    render_in(guide, Lang::En)
}

/// The words [`render_in`] writes around the guide's own sentences, in one language.
struct Labels {
    heading: &'static str,
    assumed: &'static str,
    facts: &'static str,
    counts: &'static str,
    in_full: &'static str,
}

impl Labels {
    fn of(lang: Lang) -> Labels {
        match lang {
            Lang::En => Labels {
                heading: "What the law says for {actor} in {place}, on {date}",
                assumed: "assumed",
                facts: "facts stated",
                counts: "{total} questions: {must_not} must not, {must} must, {may} may, {depends} depend on facts, {conflict} conflict, {no_rule} with no rule found.",
                in_full: "Each question in full: remit ask --where {place} --actor {actor} --action ACTION. Corpus {corpus}. {disclaimer}",
            },
            Lang::Es => Labels {
                heading: "Lo que dice la ley para {actor} en {place}, el {date}",
                assumed: "se supone",
                facts: "hechos indicados",
                counts: "{total} preguntas: {must_not} no debe, {must} debe, {may} puede, {depends} dependen de hechos, {conflict} en conflicto, {no_rule} sin norma encontrada.",
                in_full: "Cada pregunta completa: remit ask --lang es --where {place} --actor {actor} --action ACCIÓN. Corpus {corpus}. {disclaimer}",
            },
        }
    }
}

/// `template` with each `{name}` replaced by its value.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// [`render`] in `lang` (the guide's sentences are already in it; this sets the labels).
pub fn render_in(guide: &Guide, lang: Lang) -> String {
    let labels = Labels::of(lang);
    let date = match lang {
        Lang::En => guide.date.to_string(),
        Lang::Es => remit_law::lang::date_text(&guide.date, Lang::Es),
    };
    let mut out = String::new();
    let heading = fill(
        labels.heading,
        &[
            ("actor", &guide.actor_phrase),
            ("place", &guide.place_name),
            ("date", &date),
        ],
    );
    let _ = writeln!(out, "{heading}");
    for assumed in &guide.assumed {
        let _ = writeln!(
            out,
            "  {}: {} ({}: {})",
            labels.assumed, assumed.condition, assumed.place_name, assumed.source.citation
        );
    }
    if !guide.facts.is_empty() {
        let _ = writeln!(out, "  {}: {}", labels.facts, guide.facts.join(", "));
    }
    for section in &guide.sections {
        let _ = writeln!(out, "\n{}", section.title);
        for item in &section.items {
            let _ = writeln!(
                out,
                "  {:<9} {}",
                super::ask::verdict_label_in(item.verdict, lang),
                item.question
            );
            let _ = writeln!(out, "            {}", item.answer);
        }
    }
    let c = &guide.counts;
    let total = c.must_not + c.must + c.may + c.depends + c.conflict + c.no_rule;
    let counts = fill(
        labels.counts,
        &[
            ("total", &total.to_string()),
            ("must_not", &c.must_not.to_string()),
            ("must", &c.must.to_string()),
            ("may", &c.may.to_string()),
            ("depends", &c.depends.to_string()),
            ("conflict", &c.conflict.to_string()),
            ("no_rule", &c.no_rule.to_string()),
        ],
    );
    let _ = writeln!(out, "\n{counts}");
    let in_full = fill(
        labels.in_full,
        &[
            ("place", &guide.place),
            ("actor", &guide.actor),
            ("corpus", &guide.corpus_version),
            ("disclaimer", guide.disclaimer),
        ],
    );
    let _ = writeln!(out, "{in_full}");
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
