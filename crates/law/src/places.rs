//! Facts known about places: which counties run a jail and who runs it, and the like, each with
//! its source (`corpus/place-facts.toml`). A question about a place, or about anything inside it,
//! takes these facts as holding unless the question states otherwise, and its answer lists them
//! as assumed, with their sources.

use serde::{Deserialize, Serialize};

use crate::corpus::{Diagnostic, SourceFile};
use crate::date::Date;
use crate::engine::Question;
use crate::jurisdiction::Jurisdiction;
use crate::rule::{Source, toml_date};
use crate::vocabulary::{FactId, Vocabulary};

/// One cited fact about a place.
#[derive(Clone, Debug, Serialize)]
pub struct PlaceFact {
    /// The division the fact is known about.
    pub place: Jurisdiction,
    /// The facts that hold there, as vocabulary names.
    pub holds: Vec<String>,
    /// First and last day the fact is known to hold; open when absent.
    pub from: Option<Date>,
    /// See `from`: the last day the fact is known to hold, inclusive.
    pub until: Option<Date>,
    /// Where a reader can check the fact.
    pub source: Source,
    /// Anything a reader should know about the fact; `None` when there is nothing.
    pub note: Option<String>,
    #[serde(skip)]
    pub(crate) fact_ids: Vec<FactId>,
}

impl PlaceFact {
    fn holds_on(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }
}

/// A fact an answer assumed because it is known about the place asked about.
#[derive(Clone, Debug, Serialize)]
pub struct Assumed {
    /// The fact, as its vocabulary name.
    pub fact: String,
    /// The fact as a sentence states it.
    pub condition: String,
    /// The OCD id of the division the fact is known about.
    pub place: String,
    /// That division's name for people, in the answer's language.
    pub place_name: String,
    /// Where a reader can check the fact.
    pub source: Source,
    /// Anything a reader should know about the fact; `None` when there is nothing.
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(rename = "fact", default)]
    facts: Vec<toml::Spanned<RawFact>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    place: String,
    holds: Vec<String>,
    #[serde(default)]
    from: Option<toml::value::Datetime>,
    #[serde(default)]
    until: Option<toml::value::Datetime>,
    source: Source,
    #[serde(default)]
    note: Option<String>,
}

/// Reads `place-facts.toml`, reporting every problem with its line.
pub(crate) fn load_place_facts(
    file: &SourceFile,
    vocabulary: &Vocabulary,
    out: &mut Vec<PlaceFact>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let parsed: RawFile = match toml::from_str(&file.text) {
        Ok(p) => p,
        Err(e) => {
            diagnostics.push(crate::corpus::toml_diagnostic(file, &e));
            return;
        }
    };
    let lines = crate::corpus::Lines::new(&file.text);
    for spanned in parsed.facts {
        let line = lines.line(spanned.span().start);
        let raw = spanned.into_inner();
        let mut problems = Vec::new();
        let place = match Jurisdiction::parse_ocd(&raw.place) {
            Ok(p) => Some(p),
            Err(e) => {
                problems.push((e.to_string(), Some(e.help())));
                None
            }
        };
        let mut fact_ids = Vec::new();
        for fact in &raw.holds {
            match vocabulary.fact(fact) {
                Ok(id) => fact_ids.push(id),
                Err(e) => problems.push((e.to_string(), Some(e.help()))),
            }
        }
        if raw.holds.is_empty() {
            problems.push(("`holds` names no fact".to_string(), None));
        }
        if !(raw.source.url.starts_with("https://") || raw.source.url.starts_with("http://")) {
            problems.push(("the source has no URL".to_string(), None));
        }
        let mut date = |value: &Option<toml::value::Datetime>, field: &str| {
            value.as_ref().and_then(|v| match toml_date(v) {
                Ok(d) => Some(d),
                Err(message) => {
                    problems.push((format!("`{field}`: {message}"), None));
                    None
                }
            })
        };
        let from = date(&raw.from, "from");
        let until = date(&raw.until, "until");
        let name = raw.place.clone();
        for (message, help) in problems.drain(..) {
            diagnostics.push(Diagnostic {
                file: file.path.clone(),
                line: Some(line),
                rule: None,
                message: format!("place fact for `{name}`: {message}"),
                help,
            });
        }
        if let Some(place) = place {
            out.push(PlaceFact {
                place,
                holds: raw.holds,
                from,
                until,
                source: raw.source,
                note: raw.note,
                fact_ids,
            });
        }
    }
}

/// Adds to the question every fact known about its place (or a division containing it) on its
/// date, unless the question states the fact false; returns the indices of the facts applied.
pub(crate) fn apply(place_facts: &[PlaceFact], question: &mut Question) -> Vec<usize> {
    let mut applied = Vec::new();
    for (index, fact) in place_facts.iter().enumerate() {
        let here = fact.place.contains(&question.place)
            || question.within.iter().any(|w| fact.place.contains(w));
        if !here || !fact.holds_on(question.date) {
            continue;
        }
        let mut used = false;
        for &id in &fact.fact_ids {
            if !question.false_facts.contains(id) && !question.facts.contains(id) {
                question.facts.insert(id);
                used = true;
            }
        }
        if used {
            applied.push(index);
        }
    }
    applied
}

/// The facts of `applied` as an answer lists them.
pub(crate) fn assumed(
    place_facts: &[PlaceFact],
    applied: &[usize],
    vocabulary: &Vocabulary,
    question: &Question,
    lang: crate::lang::Lang,
) -> Vec<Assumed> {
    let mut out = Vec::new();
    for &index in applied {
        let Some(fact) = place_facts.get(index) else {
            continue;
        };
        for (&id, name) in fact.fact_ids.iter().zip(&fact.holds) {
            if question.false_facts.contains(id) {
                continue;
            }
            out.push(Assumed {
                fact: name.clone(),
                condition: vocabulary.fact_condition_in(id, lang),
                place: fact.place.to_string(),
                place_name: crate::lang::place_phrase(&fact.place, lang),
                source: fact.source.clone(),
                note: fact.note.clone(),
            });
        }
    }
    out
}
