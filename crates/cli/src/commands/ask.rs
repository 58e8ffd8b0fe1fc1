//! `remit ask`: what may, must or must not this actor do, here, on this date?

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use remit_law::{Answer, Lang, Modality, QuestionInput, Verdict};

use crate::Global;
use crate::output::{UserError, date_arg, load_corpus, print_json};

/// The arguments of `remit ask`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  remit ask --where ocd-division/country:us/state:ca/place:los_angeles --actor local_police --action honor_detainer --counterparty ice
  remit ask --where TX --actor jail --action honor_detainer --counterparty ice --date 2026-01-15
  remit ask --where \"Dallas, TX\" --actor local_police --action inquire_immigration_status
  remit ask --where CA --actor local_police --action share_alpr_data --counterparty out_of_state_agency --json

`remit rules vocabulary` lists every actor, action, counterparty, purpose and fact.")]
pub struct Args {
    /// The place: a city or county with its state (`Dallas, TX`, `Harris County, Texas`), a state
    /// (`CA`, `California`), an OCD division id, a short name (`NYC`, `LAPD`), or an agency
    /// (`El Cajon CA PD`, an ORI), read as the city, county or state whose rules bind it
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
    /// A fact that holds (repeatable or comma-separated), e.g. `--fact judicial_warrant`;
    /// `--fact '!county_operates_jail'` states that a fact does not hold
    #[arg(long = "fact", value_name = "FACT")]
    facts: Vec<String>,
    /// A fact that does not hold (repeatable or comma-separated): the answer will not branch on it
    #[arg(long = "not-fact", value_name = "FACT")]
    not_facts: Vec<String>,
    /// The date to ask about: 2026-12-07, 12/07/2026, Dec 7 2026 or today [default: today]
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
    /// The language of the answer: `en` or `es` (español) [default: $REMIT_LANG, else en]
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
}

/// The language asked for: `--lang`, else `REMIT_LANG`, else English.
pub(crate) fn lang_arg(arg: Option<&str>) -> Result<Lang, UserError> {
    let (text, from) = match arg {
        Some(text) => (text.to_string(), "`--lang`"),
        None => match std::env::var("REMIT_LANG") {
            Ok(text) if !text.trim().is_empty() => (text, "`REMIT_LANG`"),
            _ => return Ok(Lang::En),
        },
    };
    Lang::parse(&text).ok_or_else(|| {
        UserError::with_help(
            format!("{from}: unknown language `{text}`"),
            "languages are `en` (English) and `es` (español)",
        )
    })
}

/// Runs `remit ask`: the answer, and exit code 1 when its verdict is one of `--fail-on`.
pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let mut fail_on = Vec::new();
    for name in &args.fail_on {
        match Verdict::ALL
            .iter()
            .chain(&[Verdict::Depends])
            .find(|v| v.name() == name)
        {
            Some(v) => fail_on.push(*v),
            None => {
                return Err(UserError::with_help(
                    format!("`--fail-on`: unknown verdict `{name}`"),
                    "verdicts are must_not, must, may, conflict, no_rule, depends",
                )
                .into());
            }
        }
    }
    let lang = lang_arg(args.lang.as_deref())?;
    let corpus = load_corpus(args.corpus.as_deref(), remit_law::Scenarios::Skip)?;
    // A place that does not read is reported with the question's other problems.
    let (place, place_error) = match read_where(&args.place, &corpus, args.json, "where", global) {
        Ok(place) => (place, None),
        Err(error) => (
            remit_law::jurisdiction::UNITED_STATES.to_string(),
            Some(error),
        ),
    };
    let date = date_arg(args.date.as_deref())?;
    let mut facts = args.facts;
    facts.extend(
        args.not_facts
            .iter()
            .flat_map(|f| f.split(','))
            .map(|f| format!("!{}", f.trim())),
    );
    let input = QuestionInput {
        place,
        date: Some(date.to_string()),
        actor: args.actor,
        action: args.action,
        counterparty: args.counterparty,
        purpose: args.purpose,
        facts,
    };
    let question = match (corpus.question(&input), place_error) {
        (Ok(question), None) => question,
        (Ok(_), Some(error)) => return Err(error.into()),
        (Err(errors), place_error) => {
            let mut messages: Vec<String> = place_error.iter().map(|e| e.message.clone()).collect();
            let mut helps: Vec<String> =
                place_error.iter().filter_map(|e| e.help.clone()).collect();
            messages.extend(errors.iter().map(ToString::to_string));
            helps.extend(errors.iter().filter_map(|e| e.help()));
            return Err(anyhow::Error::new(UserError::with_help(
                messages.join("\n       "),
                helps.join("\n  help: "),
            )));
        }
    };
    let answer = corpus.answer_in(&question, lang);
    if args.json {
        print_json(&answer)?;
    } else {
        print!("{}", render_in(&answer, args.trace, lang));
    }
    Ok(if fail_on.contains(&answer.verdict) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads a place as people name it (`remit_agencies::places`): a city or county with its state
/// (`Dallas, TX`, `Harris County, Texas`), a state, an OCD id in any case, a short name (`NYC`,
/// `LAPD`) or an agency name or ORI, read as the division whose rules bind the agency (as audits
/// and sharing read owners). Never an invented place: an unknown or ambiguous name is an error
/// listing the candidates. The agency directory (the store's, `--db` or the default one, else
/// the data folder's file, else the built-in sample) is loaded only for a text that needs it;
/// ids the corpus has rules for are always accepted. Unless `quiet`, a note on stderr says how
/// a name was read.
pub(crate) fn read_where(
    text: &str,
    corpus: &remit_law::Corpus,
    quiet: bool,
    field: &str,
    global: &Global,
) -> Result<String, UserError> {
    let reader = remit_agencies::PlaceReader::new()
        .with_resolver_from(|| {
            remit_app::directory::load_for_db(global.db.as_deref())
                .ok()
                .map(remit_agencies::Resolver::new)
        })
        .with_known_ids(|id| corpus.rules().iter().any(|r| r.jurisdiction.as_str() == id));
    match reader.read(text) {
        Ok(reading) => {
            if !quiet && let Some(note) = reading.note(text) {
                eprintln!("note: {note}");
            }
            Ok(reading.id)
        }
        Err(error) => Err(UserError::with_help(
            format!("`{field}`: {error}"),
            error.help(),
        )),
    }
}

/// A verdict as the CLI shows it, in the answer's language.
pub(crate) fn verdict_label_in(verdict: Verdict, lang: Lang) -> &'static str {
    match (lang, verdict) {
        (Lang::En, _) => verdict_label(verdict),
        (Lang::Es, Verdict::MustNot) => "NO DEBE",
        (Lang::Es, Verdict::Must) => "DEBE",
        (Lang::Es, Verdict::May) => "PUEDE",
        (Lang::Es, Verdict::Conflict) => "CONFLICTO",
        (Lang::Es, Verdict::NoRule) => "SIN NORMA",
        (Lang::Es, Verdict::Depends) => "DEPENDE",
    }
}

/// A verdict as the CLI shows it.
fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::MustNot => "MUST NOT",
        Verdict::Must => "MUST",
        Verdict::May => "MAY",
        Verdict::Conflict => "CONFLICT",
        Verdict::NoRule => "NO RULE",
        Verdict::Depends => "DEPENDS",
    }
}

/// The human form of an answer.
pub fn render(answer: &Answer, trace: bool) -> String {
    render_in(answer, trace, Lang::En)
}

/// The human form of an answer, its labels in `lang` (the answer's sentences are already in it).
pub fn render_in(answer: &Answer, trace: bool, lang: Lang) -> String {
    let es = lang == Lang::Es;
    // The English label, or its Spanish form.
    let t = |english: &'static str, spanish: &'static str| if es { spanish } else { english };
    let modality = |m: Modality| remit_law::lang::modality_verb(m, lang);
    let verdict_label = |v: Verdict| verdict_label_in(v, lang);
    let day = |text: &str| remit_law::lang::date_text(text, lang);
    let mut out = String::new();
    let label = verdict_label(answer.verdict);
    // The headline starts with the verdict in words (`must not: ...`): shown once, in capitals.
    let sentence = answer
        .headline
        .split_once(": ")
        .map_or(answer.headline.as_str(), |(_, rest)| rest);
    let _ = writeln!(out, "{label}: {sentence}");
    let q = &answer.question;
    let facts = if q.facts.is_empty() {
        String::new()
    } else {
        format!(" | {} {}", t("facts", "hechos"), q.facts.join(", "))
    };
    if es {
        let _ = writeln!(
            out,
            "  consulta: {} | {} | actor {} | acción {} | contraparte {} | fin {}{facts}",
            q.place,
            day(&q.date),
            q.actor,
            q.action,
            q.counterparty,
            q.purpose,
        );
    } else {
        let _ = writeln!(
            out,
            "  asked: {} | {} | actor {} | action {} | counterparty {} | purpose {}{facts}",
            q.place, q.date, q.actor, q.action, q.counterparty, q.purpose,
        );
    }
    if !q.not_facts.is_empty() {
        let _ = writeln!(
            out,
            "  {}: {}",
            t("stated not to hold", "se indicó que no se cumplen"),
            q.not_facts.join(", ")
        );
    }
    for implied in &answer.implied {
        let _ = writeln!(
            out,
            "  {}: {implied}",
            t("also asked as", "también se consultó como")
        );
    }
    for assumed in &answer.assumed {
        let _ = writeln!(
            out,
            "  {}: {} ({}: {}, {}); {} --not-fact {} {}",
            t("assumed", "se supone"),
            assumed.condition,
            assumed.place_name,
            assumed.source.citation,
            assumed.source.url,
            t("ask with", "consulte con"),
            assumed.fact,
            t("if it does not hold", "si no se cumple"),
        );
    }
    if let Some(otherwise) = answer.otherwise {
        let _ = writeln!(
            out,
            "\n{}",
            t(
                "It depends on facts the question does not state:",
                "Depende de hechos que la consulta no indica:"
            )
        );
        for branch in &answer.branches {
            let cited: Vec<String> = branch
                .determining
                .iter()
                .map(|c| format!("{} ({})", c.citation, c.id))
                .collect();
            let _ = writeln!(
                out,
                "  - {} {} {}{}",
                verdict_label(branch.verdict),
                t("if", "si"),
                branch.condition_text(),
                if cited.is_empty() {
                    String::new()
                } else {
                    format!(": {}", cited.join("; "))
                }
            );
            let mut again: Vec<String> = Vec::new();
            if !branch.facts.is_empty() {
                again.push(match branch.matching {
                    remit_law::depends::Match::All => format!("--fact {}", branch.facts.join(",")),
                    remit_law::depends::Match::Any => branch
                        .facts
                        .iter()
                        .map(|f| format!("--fact {f}"))
                        .collect::<Vec<_>>()
                        .join(t(" or ", " o ")),
                });
            }
            if let Some(word) = &branch.counterparty_word {
                again.push(format!("--counterparty {word}"));
            }
            if let Some(purpose) = &branch.purpose {
                // The phrase reads back as the word in English; in Spanish, give the word.
                match (&branch.purpose_word, es) {
                    (Some(word), true) => again.push(format!("--purpose {word}")),
                    _ => again.push(format!("--purpose \"{purpose}\"")),
                }
            }
            let _ = writeln!(
                out,
                "      {} {}",
                t("ask again with", "vuelva a consultar con"),
                again.join(" ")
            );
        }
        let _ = writeln!(
            out,
            "  - {} {} {}",
            t("otherwise", "en los demás casos,"),
            verdict_label(otherwise),
            t("(the reasons below)", "(por los motivos que siguen)")
        );
    }
    if !answer.determining.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            if answer.otherwise.is_some() {
                t(
                    "Because, when none of these holds:",
                    "Porque, cuando no se cumple ninguna de estas condiciones:",
                )
            } else {
                t("Because:", "Porque:")
            }
        );
        for c in &answer.determining {
            citation_line(&mut out, c, lang);
            if es {
                let _ = writeln!(
                    out,
                    "    ({}) {}",
                    remit_law::lang::SUMMARY_IN_ENGLISH_ES,
                    c.summary
                );
            } else {
                let _ = writeln!(out, "    {}", c.summary);
            }
            if let Some(quote) = &c.quote {
                let _ = writeln!(
                    out,
                    "    {} \"{quote}\"",
                    t("The text:", "El texto (en inglés):")
                );
            }
            let _ = writeln!(out, "    {}", in_force_line(c, lang));
            if let Some(event) = &c.status_event {
                let _ = writeln!(
                    out,
                    "    {}: {} {} {}",
                    t("On the date asked", "En la fecha consultada"),
                    remit_law::lang::status_label(event.status, lang),
                    t("since", "desde"),
                    event.describe()
                );
            }
            let _ = writeln!(out, "    {}", c.url);
            for also in &c.also_cites {
                let _ = writeln!(
                    out,
                    "    {}: {}, {}",
                    t("see also", "véase también"),
                    also.citation,
                    also.url
                );
            }
        }
    }
    if !answer.concurring.is_empty() {
        let _ = writeln!(out, "\n{}", t("Also applies:", "También se aplica:"));
        for c in &answer.concurring {
            citation_line(&mut out, c, lang);
        }
    }
    if !answer.defeated.is_empty() {
        let _ = writeln!(out, "\n{}", t("Set aside:", "Descartadas:"));
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
        let _ = writeln!(out, "\n{}", t("Caveats:", "Advertencias:"));
        for c in &answer.caveats {
            let _ = writeln!(out, "  - {}", c.message);
        }
    }
    if !answer.context.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            t("Context (not binding):", "Contexto (no vinculante):")
        );
        for c in &answer.context {
            let _ = writeln!(
                out,
                "  - {} ({}): {}{}",
                c.citation,
                c.id,
                if es { "(resumen en inglés) " } else { "" },
                c.summary
            );
        }
    }
    if !answer.listings.is_empty() || !answer.figures.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            t(
                "For context (listings and figures, not rules):",
                "Para contexto (listados y cifras, no normas; en inglés):"
            )
        );
        for l in &answer.listings {
            let _ = writeln!(
                out,
                "  - {} ({}) {} {}",
                l.title,
                day(&l.date.to_string()),
                t("names", "incluye a"),
                l.names.join(", ")
            );
            for note in &l.entry_notes {
                let _ = writeln!(out, "    {}: {note}", t("note", "nota"));
            }
            if let Some(source) = l.sources.first() {
                let _ = writeln!(out, "    {}", source.url);
            }
        }
        for f in &answer.figures {
            let _ = writeln!(out, "  - {}: {}", day(&f.date.to_string()), f.statement);
            let _ = writeln!(out, "    {}", f.source.url);
        }
    }
    if trace {
        let _ = writeln!(
            out,
            "\n{} ({} {}):",
            t("Trace", "Rastreo"),
            answer.trace.len(),
            t("rules considered", "normas consideradas")
        );
        for entry in &answer.trace {
            let outcome = match (lang, entry.outcome) {
                (Lang::Es, "determining") => "determinante".to_string(),
                (Lang::Es, "concurring") => "concurrente".to_string(),
                (Lang::Es, "defeated") => "descartada".to_string(),
                (Lang::Es, "context") => "contexto".to_string(),
                (Lang::Es, "not_applicable") => "no aplicable".to_string(),
                (_, other) => other.replace('_', " "),
            };
            let _ = writeln!(
                out,
                "  - {} [{}] {}: {}",
                entry.rule,
                modality(entry.modality),
                outcome,
                entry.reasons.join("; ")
            );
        }
    } else {
        let _ = writeln!(
            out,
            "\n{} {}",
            answer.trace.len(),
            t(
                "rules considered (--trace lists them).",
                "normas consideradas (--trace las enumera)."
            )
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
fn in_force_line(c: &remit_law::Citation, lang: Lang) -> String {
    if lang == Lang::Es {
        return in_force_line_es(c);
    }
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
fn citation_line(out: &mut String, c: &remit_law::Citation, lang: Lang) {
    let _ = writeln!(
        out,
        "  - {} ({}) {} [{}]",
        c.citation,
        c.id,
        remit_law::lang::modality_verb(c.modality, lang),
        provenance_and_status(c, lang)
    );
}

fn provenance_and_status(c: &remit_law::Citation, lang: Lang) -> String {
    let provenance = match (lang, c.provenance) {
        (Lang::En, remit_law::Provenance::Primary) => "primary source",
        (Lang::En, remit_law::Provenance::Secondary) => "secondary source",
        (Lang::En, remit_law::Provenance::Unverified) => "UNVERIFIED",
        (Lang::Es, remit_law::Provenance::Primary) => "fuente primaria",
        (Lang::Es, remit_law::Provenance::Secondary) => "fuente secundaria",
        (Lang::Es, remit_law::Provenance::Unverified) => "NO VERIFICADA",
    };
    match c.status {
        remit_law::Status::InForce => provenance.to_string(),
        status => format!(
            "{provenance}, {}",
            remit_law::lang::status_label(status, lang).to_uppercase()
        ),
    }
}

/// `Vigente desde el 1 de julio de 2019; adoptada por Ch. 2019-102, Laws of Fla. (14 de junio de
/// 2019)`: [`in_force_line`] in Spanish, citations as written.
fn in_force_line_es(c: &remit_law::Citation) -> String {
    let day = |text: &str| remit_law::lang::date_text(text, Lang::Es);
    let from = match (&c.effective_from, c.start_known) {
        (Some(from), true) => format!("Vigente desde el {}", day(from)),
        (Some(from), false) => format!(
            "Vigente desde el {} como muy pronto (fecha de inicio desconocida)",
            day(from)
        ),
        (None, _) => "Fecha de inicio no registrada".to_string(),
    };
    let until = c
        .effective_until
        .as_ref()
        .map_or_else(String::new, |u| format!(" hasta el {}", day(u)));
    let enacted = c.enacted.as_ref().map_or_else(String::new, |e| {
        format!(
            "; adoptada por {}{}",
            e.citation,
            e.date.map_or_else(String::new, |d| format!(
                " ({})",
                remit_law::lang::date(d, Lang::Es)
            ))
        )
    });
    let version = c.version.as_ref().map_or_else(String::new, |v| {
        format!(
            "; texto {} de {}, aplicable desde el {}",
            v.number,
            v.of,
            day(&v.from)
        )
    });
    format!("{from}{until}{enacted}{version}")
}
