//! The language of an answer: English (the corpus's own) or Spanish.
//!
//! Many of the people Remit serves read Spanish first. The sentences an answer builds (verdicts,
//! headlines, conditions, caveats, dates, the disclaimer) have a Spanish form, and the words they
//! take from the vocabulary come from a second table, `vocabulary.es.toml`, which the loader
//! checks word for word against `vocabulary.toml`: a missing translation fails the corpus check,
//! never the reader. Citations, quotes, source titles and rule summaries stay in English, the
//! language of the law they cite; a Spanish answer says when it shows an English summary.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::engine::Verdict;
use crate::rule::{Modality, Status};
use crate::vocabulary::{COUNTERPARTY_SLOT, Vocabulary, VocabularyError, WordKind};

/// The language an answer is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// English, the corpus's own language.
    #[default]
    En,
    /// Spanish.
    Es,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The language's code: `en`, `es` (also its `lang` attribute in HTML).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// Reads `en`, `es`, `english`, `spanish`, `español` or a locale such as `es_US.UTF-8`.
    pub fn parse(text: &str) -> Option<Lang> {
        let lower = text.trim().to_lowercase();
        let stem = lower.split(['_', '-', '.']).next().unwrap_or("");
        match stem {
            "en" | "english" | "inglés" | "ingles" => Some(Lang::En),
            "es" | "spanish" | "español" | "espanol" => Some(Lang::Es),
            _ => None,
        }
    }

    /// True for English (used to keep English JSON exactly as it was).
    pub fn is_en(&self) -> bool {
        *self == Lang::En
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(text: &str) -> Result<Lang, String> {
        Lang::parse(text).ok_or_else(|| format!("unknown language `{text}` (use `en` or `es`)"))
    }
}

/// The Spanish disclaimer, shown with every Spanish answer.
pub const DISCLAIMER_ES: &str = "Remit describe la ley tal como se codificó a partir de las fuentes citadas. No es asesoramiento legal: las leyes cambian, los tribunales difieren y los hechos importan. Lea las fuentes y consulte a un abogado sobre una situación concreta.";

/// Said before a rule summary shown in a Spanish answer: summaries are not translated.
pub const SUMMARY_IN_ENGLISH_ES: &str = "resumen en inglés";

const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// A date as the language writes it: `2026-12-07` in English (as answers always have), `7 de
/// diciembre de 2026` in Spanish.
pub fn date(date: Date, lang: Lang) -> String {
    match lang {
        Lang::En => date.to_string(),
        Lang::Es => {
            let month = MONTHS_ES
                .get(usize::from(date.month()).saturating_sub(1))
                .copied()
                .unwrap_or("");
            format!("{} de {month} de {}", date.day(), date.year())
        }
    }
}

/// [`date`] for a date written `YYYY-MM-DD`; any other text is returned as it is.
pub fn date_text(text: &str, lang: Lang) -> String {
    let mut parts = text.splitn(3, '-').map(str::parse::<u32>);
    let parsed = match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(year)), Some(Ok(month)), Some(Ok(day))) if text.len() == 10 => Date::new(
            i32::try_from(year).unwrap_or(0),
            u8::try_from(month).unwrap_or(0),
            u8::try_from(day).unwrap_or(0),
        ),
        _ => None,
    };
    match parsed {
        Some(parsed) if lang == Lang::Es => date(parsed, lang),
        _ => text.to_string(),
    }
}

/// The verdict in plain words (`must not`, `no debe`).
pub fn verdict_words(verdict: Verdict, lang: Lang) -> &'static str {
    match lang {
        Lang::En => verdict.words(),
        Lang::Es => match verdict {
            Verdict::MustNot => "no debe",
            Verdict::Must => "debe",
            Verdict::May => "puede",
            Verdict::Conflict => "conflicto",
            Verdict::NoRule => "no se encontró ninguna norma",
            Verdict::Depends => "depende",
        },
    }
}

/// What a rule does to the act, as a verb: `prohibits`, `prohíbe`.
pub fn modality_verb(modality: Modality, lang: Lang) -> &'static str {
    match (lang, modality) {
        (Lang::En, Modality::Prohibited) => "prohibits",
        (Lang::En, Modality::Required) => "requires",
        (Lang::En, Modality::Permitted) => "permits",
        (Lang::Es, Modality::Prohibited) => "prohíbe",
        (Lang::Es, Modality::Required) => "exige",
        (Lang::Es, Modality::Permitted) => "permite",
    }
}

/// A rule's legal status in words.
pub fn status_label(status: Status, lang: Lang) -> &'static str {
    match lang {
        Lang::En => status.label(),
        Lang::Es => match status {
            Status::InForce => "vigente",
            Status::Enjoined => "bloqueada por un tribunal",
            Status::Stayed => "suspendida por un tribunal",
            Status::Vacated => "anulada por un tribunal",
            Status::Repealed => "derogada",
            Status::Contested => "vigente, impugnada ante los tribunales",
        },
    }
}

/// Joins Spanish prepositions with a following masculine article as the language requires
/// (`a el` -> `al`, `de el` -> `del`), for sentences assembled from phrases.
pub fn contract_es(text: &str) -> String {
    text.replace(" a el ", " al ").replace(" de el ", " del ")
}

/// A place as a sentence names it: the gazetteer's names in both languages, but the country is
/// `Estados Unidos` in Spanish.
pub fn place_phrase(place: &crate::jurisdiction::Jurisdiction, lang: Lang) -> String {
    let phrase = place.phrase();
    match lang {
        Lang::En => phrase,
        Lang::Es => phrase.replace("the United States", "Estados Unidos"),
    }
}

/// The Spanish table: how a Spanish sentence names each word, and each fact as a condition.
#[derive(Debug, Default)]
pub(crate) struct Spanish {
    /// Each word's phrase (`[phrases.*]`); a fact's is the condition a sentence can state (`la
    /// persona está bajo custodia`, from `[facts]`).
    pub phrases: WordTexts,
    /// Each `[implies]` entry's definition, by the implying action.
    pub implies: BTreeMap<String, String>,
    /// Each word's definition (`[definitions.*]`).
    pub definitions: WordTexts,
}

/// A text for each word of the vocabulary, by kind, in the vocabulary's order.
#[derive(Debug, Default)]
pub(crate) struct WordTexts {
    actors: Vec<String>,
    counterparties: Vec<String>,
    actions: Vec<String>,
    purposes: Vec<String>,
    facts: Vec<String>,
}

impl WordTexts {
    /// The text of the word of `kind` at `position` in the vocabulary.
    pub(crate) fn get(&self, kind: WordKind, position: usize) -> Option<&str> {
        let list = match kind {
            WordKind::Actor => &self.actors,
            WordKind::Counterparty => &self.counterparties,
            WordKind::Action => &self.actions,
            WordKind::Purpose => &self.purposes,
            WordKind::Fact => &self.facts,
        };
        list.get(position).map(String::as_str)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpanish {
    phrases: crate::vocabulary::RawPhrases,
    facts: BTreeMap<String, String>,
    definitions: RawSpanishDefinitions,
    #[serde(default)]
    implies: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpanishDefinitions {
    actors: BTreeMap<String, String>,
    counterparties: BTreeMap<String, String>,
    actions: BTreeMap<String, String>,
    purposes: BTreeMap<String, String>,
    facts: BTreeMap<String, String>,
}

/// The name of the Spanish table in a corpus folder.
pub const SPANISH_VOCABULARY_FILE: &str = "vocabulary.es.toml";

/// Takes each word's Spanish text out of `table`: every word of `vocabulary.toml` needs one,
/// every entry needs a word, and only an action's phrase holds `{counterparty}` (exactly once).
fn take<'w>(
    table: &str,
    slot: bool,
    names: impl Iterator<Item = &'w str>,
    mut texts: BTreeMap<String, String>,
) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for name in names {
        let Some(text) = texts.remove(name) else {
            return Err(format!(
                "`{name}` has no Spanish text in [{table}]; every word of `vocabulary.toml` needs one"
            ));
        };
        let slots = text.matches(COUNTERPARTY_SLOT).count();
        let braces = text.matches(['{', '}']).count();
        if text.trim().is_empty() || slots != usize::from(slot) || braces != 2 * slots {
            return Err(if slot {
                format!(
                    "the Spanish phrase of action `{name}` must name `{COUNTERPARTY_SLOT}` once and hold no other braces"
                )
            } else {
                format!("the Spanish text of `{name}` in [{table}] must be text without braces")
            });
        }
        out.push(text);
    }
    if let Some(extra) = texts.keys().next() {
        return Err(format!(
            "[{table}] has `{extra}`, which is not a word of `vocabulary.toml`"
        ));
    }
    Ok(out)
}

/// Reads `vocabulary.es.toml` against the loaded vocabulary.
pub(crate) fn load_spanish(text: &str, v: &Vocabulary) -> Result<Spanish, VocabularyError> {
    let raw: RawSpanish = toml::from_str(text).map_err(|e| VocabularyError {
        message: e.message().to_string(),
        line: e
            .span()
            .map(|span| crate::corpus::line_of(text, span.start)),
    })?;
    let line_of = |table: &str, message: String| {
        // Point at the table's header, where the missing or extra entry belongs.
        let header = format!("[{table}]");
        let line = text
            .lines()
            .position(|l| l.trim() == header)
            .map(|position| position + 1);
        VocabularyError { message, line }
    };
    let mut implying: Vec<&str> = v.all_implications().map(|i| i.action.as_str()).collect();
    implying.sort_unstable();
    implying.dedup();
    let step = |table: &str, slot: bool, names: Vec<&str>, texts| {
        take(table, slot, names.into_iter(), texts).map_err(|m| line_of(table, m))
    };
    let implies = step("implies", false, implying.clone(), raw.implies)?;
    // Every word of a kind, each kind's table: `(table, texts)` in the order of `WordKind`s
    // below; only an action's phrase names the counterparty.
    let word_texts = |tables: [(&str, BTreeMap<String, String>); 5], phrases: bool| {
        let [actors, counterparties, actions, purposes, facts] = tables;
        let of = |kind: WordKind, (table, texts): (&str, BTreeMap<String, String>)| {
            let slot = phrases && kind == WordKind::Action;
            step(table, slot, v.names(kind).collect(), texts)
        };
        Ok::<_, VocabularyError>(WordTexts {
            actors: of(WordKind::Actor, actors)?,
            counterparties: of(WordKind::Counterparty, counterparties)?,
            actions: of(WordKind::Action, actions)?,
            purposes: of(WordKind::Purpose, purposes)?,
            facts: of(WordKind::Fact, facts)?,
        })
    };
    let d = raw.definitions;
    let definitions = word_texts(
        [
            ("definitions.actors", d.actors),
            ("definitions.counterparties", d.counterparties),
            ("definitions.actions", d.actions),
            ("definitions.purposes", d.purposes),
            ("definitions.facts", d.facts),
        ],
        false,
    )?;
    let p = raw.phrases;
    let phrases = word_texts(
        [
            ("phrases.actors", p.actors),
            ("phrases.counterparties", p.counterparties),
            ("phrases.actions", p.actions),
            ("phrases.purposes", p.purposes),
            ("facts", raw.facts),
        ],
        true,
    )?;
    Ok(Spanish {
        phrases,
        implies: implying
            .into_iter()
            .map(str::to_string)
            .zip(implies)
            .collect(),
        definitions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_codes() {
        let day = Date::new(2026, 12, 7).unwrap();
        assert_eq!(date(day, Lang::En), "2026-12-07");
        assert_eq!(date(day, Lang::Es), "7 de diciembre de 2026");
        assert_eq!(date_text("2019-01-01", Lang::Es), "1 de enero de 2019");
        assert_eq!(Lang::parse("es_US.UTF-8"), Some(Lang::Es));
        assert_eq!(Lang::parse("Español"), Some(Lang::Es));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(
            contract_es("entregar a el jefe de el condado"),
            "entregar al jefe del condado"
        );
    }
}
