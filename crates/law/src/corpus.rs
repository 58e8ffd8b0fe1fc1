//! Loading and validating a corpus: the vocabulary, the rule files and the scenario files.
//!
//! Every problem is reported with its file, line and rule id, and loading goes on to find the
//! rest, so one run of `remit rules check` lists everything that needs fixing.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use crate::condition::Condition;
use crate::context::{Figure, Listing, RawContextFile};
use crate::jurisdiction::Jurisdiction;
use crate::rule::{Compiled, Location, RawRuleFile, Rule, toml_date};
use crate::scenario::{RawScenarioFile, Scenario};
use crate::vocabulary::{UnknownWord, Vocabulary};

/// One file of a corpus: its path relative to the corpus root, and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The file's path relative to the corpus root, with `/` separators.
    pub path: String,
    /// The file's contents.
    pub text: String,
}

/// One problem found in a corpus.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The file the problem is in, relative to the corpus root.
    pub file: String,
    /// The line of the problem, counted from 1; `None` when it concerns the whole file.
    pub line: Option<usize>,
    /// The id of the rule the problem is in; `None` when it is not in one rule.
    pub rule: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it; `None` when there is no hint.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(rule) = &self.rule {
            write!(f, "rule `{rule}`: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Everything wrong with a corpus.
#[derive(Clone, Debug, thiserror::Error)]
pub struct CorpusError {
    /// Every problem found, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.diagnostics.len();
        writeln!(
            f,
            "the corpus has {count} problem{}",
            if count == 1 { "" } else { "s" }
        )?;
        for diagnostic in &self.diagnostics {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

/// Corpus metadata from `corpus.toml`.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// Release label, e.g. `2026.11`.
    pub version: String,
    /// The corpus's title for people.
    pub title: String,
    /// The date up to which sources were read.
    pub sources_read_through: toml::value::Datetime,
}

/// A loaded, validated corpus.
#[derive(Debug)]
pub struct Corpus {
    pub(crate) vocabulary: Vocabulary,
    pub(crate) rules: Vec<Rule>,
    pub(crate) by_id: HashMap<String, usize>,
    /// Rule indices for each action, in rule order.
    pub(crate) by_action: Vec<Vec<usize>>,
    /// For each rule, the rules that are exceptions to it.
    pub(crate) exceptions_of: Vec<Vec<usize>>,
    pub(crate) scenarios: Vec<Scenario>,
    pub(crate) listings: Vec<Listing>,
    /// For a place, the divisions (counties) that contain it without being OCD ancestors.
    pub(crate) places: HashMap<Jurisdiction, Vec<Jurisdiction>>,
    /// Facts known about places (which counties run a jail), applied to questions about them.
    pub(crate) place_facts: Vec<crate::places::PlaceFact>,
    /// The guide's questions, by section (`guide.toml`).
    pub(crate) guide: Vec<crate::guide::GuideSectionSpec>,
    /// Where the law was searched and found silent (`searched.toml`).
    pub(crate) searched: Vec<crate::searched::Searched>,
    pub(crate) figures: Vec<Figure>,
    pub(crate) metadata: Metadata,
    pub(crate) version: String,
}

/// Line number (1-based) of a byte offset.
/// Line numbers of byte offsets in one text, for files with many entries: the newlines are
/// found once, and each offset is a binary search (a count from the start for every entry made
/// loading a file of a thousand entries quadratic).
pub(crate) struct Lines(Vec<usize>);

impl Lines {
    pub(crate) fn new(text: &str) -> Lines {
        Lines(memchr_newlines(text))
    }

    /// The 1-based line of `offset`.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&newline| newline < offset) + 1
    }
}

fn memchr_newlines(text: &str) -> Vec<usize> {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
        .collect()
}

pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// FNV-1a over eight bytes at a time (the corpus is a few megabytes and is hashed on every
/// load; byte at a time cost milliseconds), then the tail byte by byte, then the length.
fn fnv1a(hash: &mut u64, bytes: &[u8]) {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        *hash ^= u64::from_le_bytes(word);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    for byte in chunks.remainder() {
        *hash ^= u64::from(*byte);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    *hash ^= bytes.len() as u64;
    *hash = hash.wrapping_mul(0x0100_0000_01b3);
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_corpus.rs"));
}

/// Whether to read the scenario files. Answering questions does not need them, and skipping
/// them makes loading about a third faster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenarios {
    /// Read the scenario files too (for `remit rules test` and checks).
    Load,
    /// Leave the scenario files unread (enough for answering questions).
    Skip,
}

impl Corpus {
    /// The corpus built into this program, with its scenarios.
    pub fn embedded() -> Result<Corpus, CorpusError> {
        Corpus::embedded_with(Scenarios::Load)
    }

    /// The corpus built into this program; scenarios as asked.
    pub fn embedded_with(scenarios: Scenarios) -> Result<Corpus, CorpusError> {
        Corpus::from_files_with(
            embedded::FILES
                .iter()
                .map(|(path, text)| SourceFile {
                    path: (*path).to_string(),
                    text: (*text).to_string(),
                })
                .collect(),
            scenarios,
        )
    }

    /// Reads every `.toml` file below `dir`, scenarios included.
    pub fn load_dir(dir: &Path) -> Result<Corpus, CorpusError> {
        Corpus::load_dir_with(dir, Scenarios::Load)
    }

    /// Reads every `.toml` file below `dir`; scenarios as asked.
    pub fn load_dir_with(dir: &Path, scenarios: Scenarios) -> Result<Corpus, CorpusError> {
        let mut files = Vec::new();
        let mut problems = Vec::new();
        collect_files(dir, dir, &mut files, &mut problems);
        if !problems.is_empty() {
            return Err(CorpusError {
                diagnostics: problems,
            });
        }
        Corpus::from_files_with(files, scenarios)
    }

    /// Builds a corpus from its files, scenarios included.
    pub fn from_files(files: Vec<SourceFile>) -> Result<Corpus, CorpusError> {
        Corpus::from_files_with(files, Scenarios::Load)
    }

    /// Builds a corpus from its files: `vocabulary.toml`, `corpus.toml` and `places.toml` at the
    /// root, files named `context.toml` (or `*.context.toml`) hold listings and figures, files
    /// named `scenarios.toml` (or `*.scenarios.toml`) hold scenarios (read only with
    /// [`Scenarios::Load`]), every other `.toml` file holds rules. The version hash covers every
    /// file either way.
    pub fn from_files_with(
        mut files: Vec<SourceFile>,
        scenarios: Scenarios,
    ) -> Result<Corpus, CorpusError> {
        let load_scenarios = scenarios == Scenarios::Load;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut diagnostics = Vec::new();
        let diagnostic = |file: &str, line, rule: Option<&str>, message: String, help| Diagnostic {
            file: file.to_string(),
            line,
            rule: rule.map(str::to_string),
            message,
            help,
        };

        let mut hash = 0xcbf2_9ce4_8422_2325_u64;
        for file in &files {
            fnv1a(&mut hash, file.path.as_bytes());
            fnv1a(&mut hash, file.text.as_bytes());
        }

        let Some(vocabulary_file) = files.iter().find(|f| f.path == "vocabulary.toml") else {
            return Err(CorpusError {
                diagnostics: vec![diagnostic(
                    "vocabulary.toml",
                    None,
                    None,
                    "the corpus has no `vocabulary.toml` at its root".to_string(),
                    Some("a corpus folder holds `vocabulary.toml`, `corpus.toml` and one folder per jurisdiction".to_string()),
                )],
            });
        };
        let mut vocabulary =
            Vocabulary::from_toml(&vocabulary_file.text).map_err(|e| CorpusError {
                diagnostics: vec![diagnostic("vocabulary.toml", e.line, None, e.message, None)],
            })?;
        // The Spanish table, when the corpus has one, must translate every word.
        if let Some(file) = files
            .iter()
            .find(|f| f.path == crate::lang::SPANISH_VOCABULARY_FILE)
        {
            vocabulary
                .set_spanish(&file.text)
                .map_err(|e| CorpusError {
                    diagnostics: vec![diagnostic(
                        crate::lang::SPANISH_VOCABULARY_FILE,
                        e.line,
                        None,
                        e.message,
                        Some("add the word's Spanish text beside its English phrase".to_string()),
                    )],
                })?;
        }

        let metadata = match files.iter().find(|f| f.path == "corpus.toml") {
            None => {
                diagnostics.push(diagnostic(
                    "corpus.toml",
                    None,
                    None,
                    "the corpus has no `corpus.toml` at its root".to_string(),
                    Some("it holds `version`, `title` and `sources_read_through`".to_string()),
                ));
                None
            }
            Some(file) => match toml::from_str::<Metadata>(&file.text) {
                Ok(m) => Some(m),
                Err(e) => {
                    diagnostics.push(toml_diagnostic(file, &e));
                    None
                }
            },
        };

        let mut places: HashMap<Jurisdiction, Vec<Jurisdiction>> = HashMap::new();
        if let Some(file) = files.iter().find(|f| f.path == "places.toml") {
            load_places(file, &mut places, &mut diagnostics);
        }
        let mut guide = match files.iter().find(|f| f.path == "guide.toml") {
            Some(file) => crate::guide::load_guide(file, &vocabulary, &mut diagnostics),
            None => Vec::new(),
        };
        if let Some(file) = files.iter().find(|f| f.path == "guide.es.toml") {
            crate::guide::load_guide_spanish(file, &mut guide, &mut diagnostics);
        }
        let mut searched = Vec::new();
        let mut place_facts = Vec::new();
        if let Some(file) = files.iter().find(|f| f.path == "place-facts.toml") {
            crate::places::load_place_facts(file, &vocabulary, &mut place_facts, &mut diagnostics);
        }

        let mut rules: Vec<Rule> = Vec::new();
        // Raw references, resolved once every id is known.
        let mut pending: Vec<(Vec<String>, Vec<String>)> = Vec::new();
        let mut raw_scenarios = Vec::new();
        let mut listings = Vec::new();
        let mut figures = Vec::new();
        for file in &files {
            if matches!(
                file.path.as_str(),
                "vocabulary.toml"
                    | "corpus.toml"
                    | "places.toml"
                    | "place-facts.toml"
                    | "guide.toml"
                    | "vocabulary.es.toml"
                    | "guide.es.toml"
            ) {
                continue;
            }
            let name = file.path.rsplit('/').next().unwrap_or(&file.path);
            if name == "context.toml" || name.ends_with(".context.toml") {
                match toml::from_str::<RawContextFile>(&file.text) {
                    Ok(parsed) => load_context(
                        file,
                        parsed,
                        &vocabulary,
                        &mut listings,
                        &mut figures,
                        &mut diagnostics,
                    ),
                    Err(e) => diagnostics.push(toml_diagnostic(file, &e)),
                }
                continue;
            }
            if name == "searched.toml" || name.ends_with(".searched.toml") {
                let families: Vec<String> = guide.iter().map(|s| s.id.clone()).collect();
                crate::searched::load_searched(file, &families, &mut searched, &mut diagnostics);
                continue;
            }
            if name == "scenarios.toml" || name.ends_with(".scenarios.toml") {
                if !load_scenarios {
                    continue;
                }
                match toml::from_str::<RawScenarioFile>(&file.text) {
                    Ok(parsed) => raw_scenarios.push((file, parsed)),
                    Err(e) => diagnostics.push(toml_diagnostic(file, &e)),
                }
                continue;
            }
            let parsed: RawRuleFile = match toml::from_str(&file.text) {
                Ok(parsed) => parsed,
                Err(e) => {
                    diagnostics.push(toml_diagnostic(file, &e));
                    continue;
                }
            };
            if parsed.rules.is_empty() {
                diagnostics.push(diagnostic(
                    &file.path,
                    None,
                    None,
                    "the file holds no `[[rule]]`".to_string(),
                    Some("scenario files must be named `scenarios.toml`".to_string()),
                ));
            }
            let lines = crate::corpus::Lines::new(&file.text);
            for spanned in parsed.rules {
                let raw = spanned.into_inner();
                let id = raw.id.get_ref().clone();
                let line = lines.line(raw.id.span().start);
                let mut problem = |message: String, help: Option<String>| {
                    diagnostics.push(diagnostic(&file.path, Some(line), Some(&id), message, help));
                };
                if !is_rule_id(&id) {
                    problem(
                        format!("`{id}` is not a valid rule id"),
                        Some(
                            "ids use letters, digits and `-._/`, e.g. `us-ca/gov-7284.6-a1B`"
                                .to_string(),
                        ),
                    );
                }
                let jurisdiction_text = raw
                    .jurisdiction
                    .clone()
                    .or_else(|| parsed.jurisdiction.clone());
                let jurisdiction = match jurisdiction_text {
                    None => {
                        problem(
                            "the rule has no jurisdiction".to_string(),
                            Some(
                                "set `jurisdiction` at the top of the file or on the rule"
                                    .to_string(),
                            ),
                        );
                        None
                    }
                    Some(text) => match Jurisdiction::parse_ocd(&text) {
                        Ok(j) => Some(j),
                        Err(e) => {
                            problem(e.to_string(), Some(e.help()));
                            None
                        }
                    },
                };
                if raw.summary.trim().is_empty() {
                    problem("the summary is empty".to_string(), None);
                }
                for source in std::iter::once(&raw.source).chain(&raw.also_cites) {
                    if source.citation.trim().is_empty() {
                        problem(
                            "a source has no citation".to_string(),
                            Some(
                                "give the formal citation, e.g. `Cal. Gov. Code § 7284.6(a)(4)`"
                                    .to_string(),
                            ),
                        );
                    }
                    if !(source.url.starts_with("https://") || source.url.starts_with("http://")) {
                        problem(
                            format!("source `{}` has no URL", source.citation),
                            Some("give the address where a reader can check the text".to_string()),
                        );
                    }
                }
                let mut problems: Vec<(String, Option<String>)> = Vec::new();
                let mut date = |value: Option<&toml::value::Datetime>, field: &str| match value {
                    None => None,
                    Some(v) => match toml_date(v) {
                        Ok(d) => Some(d),
                        Err(message) => {
                            problems.push((format!("`{field}`: {message}"), None));
                            None
                        }
                    },
                };
                let effective_from = date(raw.effective.from.as_ref(), "effective.from");
                let effective_until = date(raw.effective.until.as_ref(), "effective.until");
                let effective_not_before =
                    date(raw.effective.not_before.as_ref(), "effective.not_before");
                let reviewed = date(raw.reviewed.as_ref(), "reviewed");
                let enacted = raw.enacted.as_ref().map(|e| crate::rule::Enacted {
                    citation: e.citation.clone(),
                    date: date(e.date.as_ref(), "enacted.date"),
                    url: e.url.clone(),
                });
                let mut history = Vec::new();
                for (n, event) in raw.history.iter().enumerate() {
                    let Some(day) = date(Some(&event.date), &format!("history[{n}].date")) else {
                        continue;
                    };
                    history.push(crate::rule::StatusEvent {
                        date: day,
                        status: event.status,
                        event: event.event.clone(),
                        court: event.court.clone(),
                        case: event.case.clone(),
                        source: event.source.clone(),
                    });
                }
                let mut legacy_problems: Vec<(String, Option<String>)> = Vec::new();
                let legacy_status =
                    raw.status.is_some() || raw.status_since.is_some() || raw.status_note.is_some();
                if let Some(status) = raw.status.filter(|s| *s != crate::rule::Status::InForce) {
                    let since = date(raw.status_since.as_ref(), "status_since");
                    match &raw.status_note {
                        None => legacy_problems.push((
                            "a rule that is not simply in force needs a `status_note`".to_string(),
                            Some(
                                "better: a dated `history` entry naming the court order"
                                    .to_string(),
                            ),
                        )),
                        Some(note) => history.push(crate::rule::StatusEvent {
                            date: since
                                .or_else(|| {
                                    raw.effective.from.as_ref().and_then(|d| toml_date(d).ok())
                                })
                                .unwrap_or(crate::date::Date::MIN),
                            status,
                            event: note.clone(),
                            court: None,
                            case: None,
                            source: raw.source.clone(),
                        }),
                    }
                }
                let version_dates: Vec<Option<crate::date::Date>> = raw
                    .version
                    .iter()
                    .enumerate()
                    .map(|(n, v)| date(Some(&v.from), &format!("version[{n}].from")))
                    .collect();
                let version_enacted: Vec<Option<crate::rule::Enacted>> = raw
                    .version
                    .iter()
                    .enumerate()
                    .map(|(n, v)| {
                        v.enacted.as_ref().map(|e| crate::rule::Enacted {
                            citation: e.citation.clone(),
                            date: date(e.date.as_ref(), &format!("version[{n}].enacted.date")),
                            url: e.url.clone(),
                        })
                    })
                    .collect();
                problems.append(&mut legacy_problems);
                if let (Some(from), Some(until)) = (effective_from, effective_until)
                    && until < from
                {
                    problems.push((
                        format!("the effective range ends ({until}) before it starts ({from})"),
                        Some("`until` is the last day the rule was in force".to_string()),
                    ));
                }
                match (effective_from, effective_not_before) {
                    (Some(_), Some(_)) => problems.push((
                        "`effective` gives both `from` and `not_before`".to_string(),
                        Some("`not_before` is only for a rule whose start date is unknown".to_string()),
                    )),
                    (None, Some(_)) if raw.effective.reason.as_deref().is_none_or(|r| r.trim().is_empty()) => {
                        problems.push((
                            "`effective.not_before` needs a `reason`: why the start date is unknown".to_string(),
                            None,
                        ))
                    }
                    _ => {}
                }
                for pair in history.windows(2) {
                    if pair[1].date < pair[0].date {
                        problems.push((
                            format!(
                                "`history` is not in date order: {} comes after {}",
                                pair[1].date, pair[0].date
                            ),
                            None,
                        ));
                    }
                }
                for event in &history {
                    if event.event.trim().is_empty() {
                        problems.push((
                            format!(
                                "the history entry of {} does not say what happened (`event`)",
                                event.date
                            ),
                            None,
                        ));
                    }
                    if !(event.source.url.starts_with("https://")
                        || event.source.url.starts_with("http://"))
                    {
                        problems.push((
                            format!("the history entry of {} has no source URL", event.date),
                            None,
                        ));
                    }
                }
                if raw.extent.is_some() && raw.modality != crate::rule::Modality::Required {
                    problems.push((
                        "`extent` qualifies a duty: only a `required` rule has one".to_string(),
                        None,
                    ));
                }
                let start = effective_from.or(effective_not_before);
                let mut previous = start;
                for (n, from) in version_dates.iter().enumerate() {
                    let Some(from) = *from else { continue };
                    if previous.is_some_and(|p| from <= p) {
                        problems.push((
                            format!("`version[{n}].from` ({from}) must come after the rule's start and the previous version"),
                            None,
                        ));
                    }
                    if effective_until.is_some_and(|until| from > until) {
                        problems.push((
                            format!("`version[{n}].from` ({from}) is after the rule's end"),
                            None,
                        ));
                    }
                    previous = Some(from);
                }
                for (message, help) in problems {
                    diagnostics.push(diagnostic(&file.path, Some(line), Some(&id), message, help));
                }

                let mut word_problems = Vec::new();
                let compiled = compile_words(
                    &vocabulary,
                    &raw.binds,
                    &raw.action,
                    &raw.counterparty,
                    &raw.purpose,
                    raw.when.as_deref(),
                    &mut word_problems,
                );
                if raw.action.is_empty() {
                    word_problems.push(("the rule names no action".to_string(), None));
                }

                // Versions, materialised: each carries every field, the earlier one's where it
                // changes nothing.
                let mut versions: Vec<crate::rule::Version> = Vec::new();
                if !raw.version.is_empty() {
                    versions.push(crate::rule::Version {
                        from: start.unwrap_or(crate::date::Date::MIN),
                        enacted: enacted.clone(),
                        quote: raw.quote.clone(),
                        summary: raw.summary.clone(),
                        modality: raw.modality,
                        binds: raw.binds.clone(),
                        counterparty: raw.counterparty.clone(),
                        purpose: raw.purpose.clone(),
                        when: raw.when.clone(),
                        source: raw.source.clone(),
                        also_cites: raw.also_cites.clone(),
                        note: raw.note.clone(),
                        extent: raw.extent,
                        compiled: compiled.clone(),
                    });
                }
                for (n, amendment) in raw.version.iter().enumerate() {
                    let Some(previous) = versions.last() else {
                        break;
                    };
                    let mut next = previous.clone();
                    next.from = version_dates[n].unwrap_or(previous.from);
                    next.enacted = version_enacted[n].clone();
                    next.quote = amendment.quote.clone();
                    if let Some(summary) = &amendment.summary {
                        next.summary = summary.clone();
                    }
                    if let Some(modality) = amendment.modality {
                        next.modality = modality;
                    }
                    if let Some(binds) = &amendment.binds {
                        next.binds = binds.clone();
                    }
                    if let Some(counterparty) = &amendment.counterparty {
                        next.counterparty = counterparty.clone();
                    }
                    if let Some(purpose) = &amendment.purpose {
                        next.purpose = purpose.clone();
                    }
                    if let Some(source) = &amendment.source {
                        next.source = source.clone();
                    }
                    if let Some(also) = &amendment.also_cites {
                        next.also_cites = also.clone();
                    }
                    if let Some(note) = &amendment.note {
                        next.note = Some(note.clone());
                    }
                    if let Some(extent) = amendment.extent {
                        next.extent = Some(extent);
                    }
                    if let Some(when) = &amendment.when {
                        next.when = (!when.trim().is_empty()).then(|| when.clone());
                    }
                    if next.extent.is_some() && next.modality != crate::rule::Modality::Required {
                        word_problems.push((format!("`version[{n}]`: `extent` qualifies a duty: only a `required` version has one"), None));
                    }
                    let mut compiled_version = compile_words(
                        &vocabulary,
                        &next.binds,
                        &raw.action,
                        &next.counterparty,
                        &next.purpose,
                        next.when.as_deref(),
                        &mut word_problems,
                    );
                    compiled_version.exception_to.clear();
                    next.compiled = compiled_version;
                    versions.push(next);
                }
                for (message, help) in word_problems {
                    diagnostics.push(diagnostic(&file.path, Some(line), Some(&id), message, help));
                }
                let current = versions.last();
                let status = history
                    .last()
                    .map_or(crate::rule::Status::InForce, |e| e.status);
                pending.push((raw.exception_to.clone(), raw.preempts.clone()));
                rules.push(Rule {
                    id: id.clone(),
                    jurisdiction: jurisdiction.unwrap_or_else(Jurisdiction::united_states),
                    summary: current.map_or(raw.summary.clone(), |v| v.summary.clone()),
                    source: current.map_or(raw.source.clone(), |v| v.source.clone()),
                    also_cites: current.map_or(raw.also_cites.clone(), |v| v.also_cites.clone()),
                    provenance: raw.provenance,
                    enacted: current.map_or(enacted.clone(), |v| v.enacted.clone()),
                    effective_from,
                    effective_not_before,
                    effective_unknown_reason: raw.effective.reason.clone(),
                    effective_until,
                    status,
                    history,
                    quote: current.map_or(raw.quote.clone(), |v| v.quote.clone()),
                    reviewed,
                    extent: current.map_or(raw.extent, |v| v.extent),
                    binds: current.map_or(raw.binds.clone(), |v| v.binds.clone()),
                    actions: raw.action,
                    counterparty: current
                        .map_or(raw.counterparty.clone(), |v| v.counterparty.clone()),
                    purpose: current.map_or(raw.purpose.clone(), |v| v.purpose.clone()),
                    when: current.map_or(raw.when.clone(), |v| v.when.clone()),
                    modality: current.map_or(raw.modality, |v| v.modality),
                    exception_to: raw.exception_to,
                    preempts: raw.preempts,
                    binding: raw.binding,
                    note: current.map_or(raw.note.clone(), |v| v.note.clone()),
                    location: Location {
                        file: file.path.clone(),
                        line,
                    },
                    compiled: current.map_or(compiled, |v| v.compiled.clone()),
                    versions,
                    legacy_status,
                });
            }
        }

        // Ids are unique.
        let mut by_id: HashMap<String, usize> = HashMap::new();
        for (index, rule) in rules.iter().enumerate() {
            if let Some(&first) = by_id.get(&rule.id) {
                let first = &rules[first];
                diagnostics.push(Diagnostic {
                    file: rule.location.file.clone(),
                    line: Some(rule.location.line),
                    rule: Some(rule.id.clone()),
                    message: format!(
                        "duplicate rule id, first defined at {}:{}",
                        first.location.file, first.location.line
                    ),
                    help: Some("every rule needs its own id".to_string()),
                });
            } else {
                by_id.insert(rule.id.clone(), index);
            }
        }

        // References resolve.
        for (index, (exception_to, preempts)) in pending.into_iter().enumerate() {
            let mut problems = Vec::new();
            for target in exception_to {
                match by_id.get(&target) {
                    None => problems.push((
                        format!("`exception_to` names `{target}`, which is not a rule"),
                        suggest_id(&by_id, &target),
                    )),
                    Some(&t) if t == index => {
                        problems.push(("a rule cannot be an exception to itself".to_string(), None))
                    }
                    Some(&t) => {
                        let shares_action = rules[index]
                            .compiled
                            .actions
                            .iter()
                            .any(|a| rules[t].compiled.actions.contains(a));
                        if !shares_action {
                            problems.push((format!("the rule is an exception to `{target}` but shares no action with it, so it can never apply together with it"), None));
                        }
                        rules[index].compiled.exception_to.push(t);
                    }
                }
            }
            for target in preempts {
                if target == "lower" {
                    rules[index].compiled.preempts_lower = true;
                    continue;
                }
                match by_id.get(&target) {
                    None => problems.push((
                        format!("`preempts` names `{target}`, which is not a rule"),
                        suggest_id(&by_id, &target).or_else(|| Some("`preempts` takes rule ids, or `lower` for every rule of a level below this rule's jurisdiction".to_string())),
                    )),
                    Some(&t) => {
                        if !rules[index].jurisdiction.strictly_contains(&rules[t].jurisdiction) {
                            problems.push((format!("`preempts` names `{target}`, which is not at a lower level inside this rule's jurisdiction"), None));
                        }
                        rules[index].compiled.preempts_rules.push(t);
                    }
                }
            }
            for (message, help) in problems {
                diagnostics.push(Diagnostic {
                    file: rules[index].location.file.clone(),
                    line: Some(rules[index].location.line),
                    rule: Some(rules[index].id.clone()),
                    message,
                    help,
                });
            }
        }

        // Exceptions form no cycle.
        let mut exceptions_of = vec![Vec::new(); rules.len()];
        for (index, rule) in rules.iter().enumerate() {
            for &target in &rule.compiled.exception_to {
                exceptions_of[target].push(index);
            }
        }
        if let Some(cycle) = find_cycle(&rules) {
            let names: Vec<_> = cycle
                .iter()
                .map(|&i| format!("`{}`", rules[i].id))
                .collect();
            let first = &rules[cycle[0]];
            diagnostics.push(Diagnostic {
                file: first.location.file.clone(),
                line: Some(first.location.line),
                rule: Some(first.id.clone()),
                message: format!(
                    "exceptions form a cycle: {} -> `{}`",
                    names.join(" -> "),
                    first.id
                ),
                help: Some(
                    "an exception cannot, through other exceptions, be an exception to itself"
                        .to_string(),
                ),
            });
        }

        let mut scenarios = Vec::new();
        for (file, parsed) in raw_scenarios {
            let lines = crate::corpus::Lines::new(&file.text);
            for spanned in parsed.scenarios {
                let line = lines.line(spanned.span().start);
                match Scenario::compile(
                    spanned.into_inner(),
                    &file.path,
                    line,
                    &vocabulary,
                    &by_id,
                    &places,
                    &place_facts,
                ) {
                    Ok(s) => scenarios.push(s),
                    Err(mut problems) => diagnostics.append(&mut problems),
                }
            }
        }

        if !diagnostics.is_empty() {
            diagnostics.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            return Err(CorpusError { diagnostics });
        }
        let Some(metadata) = metadata else {
            return Err(CorpusError { diagnostics });
        };
        let mut by_action = vec![Vec::new(); vocabulary.action_count()];
        for (index, rule) in rules.iter().enumerate() {
            for action in &rule.compiled.actions {
                by_action[usize::from(action.0)].push(index);
            }
        }
        let version = format!("{}+{:08x}", metadata.version, hash >> 32);
        let corpus = Corpus {
            vocabulary,
            rules,
            by_id,
            by_action,
            exceptions_of,
            scenarios,
            listings,
            places,
            place_facts,
            guide,
            searched,
            figures,
            metadata,
            version,
        };
        let conflicts = corpus.searched_conflicts();
        if conflicts.is_empty() {
            Ok(corpus)
        } else {
            Err(CorpusError {
                diagnostics: conflicts,
            })
        }
    }

    /// The words questions and rules are written in.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// Every rule of the corpus, in load order; the engine's rule indices point into this slice.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with this id; `None` when the corpus has no such rule.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.by_id.get(id).map(|&i| &self.rules[i])
    }

    /// The closest rule id to a mistyped one.
    pub fn suggest_rule(&self, id: &str) -> Option<String> {
        nearest_id(&self.by_id, id).map(str::to_string)
    }

    /// The corpus's scenarios; empty when it was loaded with [`Scenarios::Skip`].
    pub fn scenarios(&self) -> &[Scenario] {
        &self.scenarios
    }

    /// The divisions that contain a place without being its ancestors in the OCD id: the
    /// counties a city lies in (from `places.toml`), for the place or any division above it.
    /// Every cited fact known about places.
    pub fn place_facts(&self) -> &[crate::places::PlaceFact] {
        &self.place_facts
    }

    /// Divisions that contain the place outside its OCD chain (the county a city lies in), from
    /// `places.toml`.
    pub fn places_containing(&self, place: &Jurisdiction) -> Vec<Jurisdiction> {
        containing(&self.places, place)
    }

    /// Government listings naming places (context, never rules).
    pub fn listings(&self) -> &[Listing] {
        &self.listings
    }

    /// Dated figures with sources (context, never rules).
    pub fn figures(&self) -> &[Figure] {
        &self.figures
    }

    /// The corpus's release label, title and the date its sources were read through, from
    /// `corpus.toml`.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// Release label and content hash, e.g. `2026.11+1a2b3c4d`.
    pub fn version(&self) -> &str {
        &self.version
    }
}

pub(crate) fn containing(
    places: &HashMap<Jurisdiction, Vec<Jurisdiction>>,
    place: &Jurisdiction,
) -> Vec<Jurisdiction> {
    let mut out = Vec::new();
    for division in place.chain() {
        if let Some(within) = places.get(&division) {
            out.extend(within.iter().cloned());
        }
    }
    out
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaces {
    #[serde(rename = "place", default)]
    places: Vec<toml::Spanned<RawPlace>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlace {
    id: String,
    within: Vec<String>,
    source: String,
}

/// Reads `places.toml`: which counties a city lies in.
fn load_places(
    file: &SourceFile,
    places: &mut HashMap<Jurisdiction, Vec<Jurisdiction>>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let parsed: RawPlaces = match toml::from_str(&file.text) {
        Ok(p) => p,
        Err(e) => {
            diagnostics.push(toml_diagnostic(file, &e));
            return;
        }
    };
    let lines = crate::corpus::Lines::new(&file.text);
    for spanned in parsed.places {
        let line = lines.line(spanned.span().start);
        let raw = spanned.into_inner();
        let mut problem = |message: String, help: Option<String>| {
            diagnostics.push(Diagnostic {
                file: file.path.clone(),
                line: Some(line),
                rule: None,
                message: format!("place `{}`: {message}", raw.id),
                help,
            });
        };
        if !raw.source.starts_with("http") {
            problem("`source` must be a URL".to_string(), None);
        }
        let place = match Jurisdiction::parse_ocd(&raw.id) {
            Ok(p) => p,
            Err(e) => {
                problem(e.to_string(), Some(e.help()));
                continue;
            }
        };
        let mut within = Vec::new();
        for container in &raw.within {
            match Jurisdiction::parse_ocd(container) {
                Ok(c) if c.contains(&place) || place.contains(&c) => problem(
                    format!("`{container}` is already an ancestor or descendant of the place"),
                    None,
                ),
                Ok(c) => within.push(c),
                Err(e) => problem(e.to_string(), Some(e.help())),
            }
        }
        if places.insert(place, within).is_some() {
            problem("the place is listed twice".to_string(), None);
        }
    }
}

/// Validates and adds the listings and figures of one context file.
fn load_context(
    file: &SourceFile,
    parsed: RawContextFile,
    vocabulary: &Vocabulary,
    listings: &mut Vec<Listing>,
    figures: &mut Vec<Figure>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut problem = |line: usize, id: &str, message: String, help: Option<String>| {
        diagnostics.push(Diagnostic {
            file: file.path.clone(),
            line: Some(line),
            rule: Some(id.to_string()),
            message,
            help,
        });
    };
    fn source_problems(sources: &[crate::rule::Source]) -> Vec<String> {
        let mut problems = Vec::new();
        if sources.is_empty() {
            problems.push("no source is given".to_string());
        }
        for source in sources {
            if source.citation.trim().is_empty() || !source.url.starts_with("http") {
                problems.push(format!(
                    "source `{}` needs a citation and a URL",
                    source.citation
                ));
            }
        }
        problems
    }
    let lines = crate::corpus::Lines::new(&file.text);
    for spanned in parsed.listings {
        let line = lines.line(spanned.span().start);
        let raw = spanned.into_inner();
        for message in source_problems(&raw.sources) {
            problem(line, &raw.id, message, None);
        }
        let date = toml_date(&raw.date)
            .map_err(|m| problem(line, &raw.id, format!("`date`: {m}"), None))
            .ok();
        let mut members = Vec::new();
        for member in &raw.members {
            match Jurisdiction::parse_ocd(member) {
                Ok(j) => members.push(j),
                Err(e) => problem(line, &raw.id, e.to_string(), Some(e.help())),
            }
        }
        for key in raw.member_notes.keys() {
            if !raw.members.contains(key) {
                problem(
                    line,
                    &raw.id,
                    format!("`member_notes` names `{key}`, which is not a member"),
                    None,
                );
            }
        }
        if let Some(date) = date {
            listings.push(Listing {
                id: raw.id,
                title: raw.title,
                date,
                summary: raw.summary,
                provenance: raw.provenance,
                sources: raw.sources,
                note: raw.note,
                members,
                member_notes: raw.member_notes,
            });
        }
    }
    let lines = crate::corpus::Lines::new(&file.text);
    for spanned in parsed.figures {
        let line = lines.line(spanned.span().start);
        let raw = spanned.into_inner();
        for message in source_problems(std::slice::from_ref(&raw.source)) {
            problem(line, &raw.id, message, None);
        }
        for action in &raw.actions {
            if let Err(e) = vocabulary.action(action) {
                problem(line, &raw.id, e.to_string(), Some(e.help()));
            }
        }
        let date = toml_date(&raw.date)
            .map_err(|m| problem(line, &raw.id, format!("`date`: {m}"), None))
            .ok();
        let jurisdiction = Jurisdiction::parse_ocd(&raw.jurisdiction)
            .map_err(|e| problem(line, &raw.id, e.to_string(), Some(e.help())))
            .ok();
        if let (Some(date), Some(jurisdiction)) = (date, jurisdiction) {
            figures.push(Figure {
                id: raw.id,
                jurisdiction,
                date,
                statement: raw.statement,
                actions: raw.actions,
                provenance: raw.provenance,
                source: raw.source,
            });
        }
    }
}

/// The known rule id closest to a mistyped one, if one is close enough to be a likely typo.
/// Resolves a rule's (or a version's) words against the vocabulary. Problems are collected;
/// the words that resolve are kept.
fn compile_words(
    vocabulary: &Vocabulary,
    binds: &[String],
    actions: &[String],
    counterparties: &[String],
    purposes: &[String],
    when: Option<&str>,
    problems: &mut Vec<(String, Option<String>)>,
) -> Compiled {
    let mut compiled = Compiled::default();
    let mut word = |result: Result<(), UnknownWord>| {
        if let Err(e) = result {
            problems.push((e.to_string(), Some(e.help())));
        }
    };
    if binds.is_empty() {
        word(Err(UnknownWord {
            kind: crate::vocabulary::WordKind::Actor,
            word: String::new(),
            suggestion: None,
        }));
    }
    for actor in binds {
        word(
            vocabulary
                .actor_mask(actor)
                .map(|m| compiled.binds_mask |= m),
        );
    }
    for action in actions {
        word(vocabulary.action(action).map(|a| compiled.actions.push(a)));
    }
    for counterparty in counterparties {
        word(
            vocabulary
                .counterparty(counterparty)
                .map(|c| compiled.counterparties.push(c)),
        );
    }
    for purpose in purposes {
        word(
            vocabulary
                .purpose(purpose)
                .map(|p| compiled.purposes.push(p)),
        );
    }
    if let Some(text) = when {
        match Condition::parse(text, vocabulary) {
            Ok(c) => compiled.when = Some(c),
            Err(e) => problems.push((e.to_string(), Some(e.help()))),
        }
    }
    compiled
}

fn nearest_id<'a>(by_id: &'a HashMap<String, usize>, target: &str) -> Option<&'a str> {
    by_id
        .keys()
        .map(|k| (strsim::jaro_winkler(k, target), k))
        .filter(|(score, _)| *score > 0.9)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.as_str())
}

/// A "did you mean" help line for a mistyped rule id.
fn suggest_id(by_id: &HashMap<String, usize>, target: &str) -> Option<String> {
    nearest_id(by_id, target).map(|k| format!("did you mean `{k}`?"))
}

fn is_rule_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._/".contains(&b))
}

pub(crate) fn toml_diagnostic(file: &SourceFile, error: &toml::de::Error) -> Diagnostic {
    Diagnostic {
        file: file.path.clone(),
        line: error.span().map(|s| line_of(&file.text, s.start)),
        rule: None,
        message: error.message().trim().to_string(),
        help: None,
    }
}

fn collect_files(
    root: &Path,
    dir: &Path,
    files: &mut Vec<SourceFile>,
    problems: &mut Vec<Diagnostic>,
) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(Diagnostic {
                file: dir.display().to_string(),
                line: None,
                rule: None,
                message: format!("cannot read the folder: {e}"),
                help: Some("`--corpus` takes the folder that holds `vocabulary.toml`".to_string()),
            });
            return;
        }
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect_files(root, &path, files, problems);
        } else if path.extension().is_some_and(|e| e == "toml") {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            match std::fs::read_to_string(&path) {
                Ok(text) => files.push(SourceFile {
                    path: relative,
                    text,
                }),
                Err(e) => problems.push(Diagnostic {
                    file: path.display().to_string(),
                    line: None,
                    rule: None,
                    message: format!("cannot read the file: {e}"),
                    help: None,
                }),
            }
        }
    }
}

/// A cycle in the exception graph, if any, as rule indices.
fn find_cycle(rules: &[Rule]) -> Option<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    fn visit(
        node: usize,
        rules: &[Rule],
        marks: &mut [Mark],
        path: &mut Vec<usize>,
    ) -> Option<Vec<usize>> {
        marks[node] = Mark::Active;
        path.push(node);
        for &next in &rules[node].compiled.exception_to {
            match marks[next] {
                Mark::Active => {
                    let start = path.iter().position(|&n| n == next).unwrap_or(0);
                    return Some(path[start..].to_vec());
                }
                Mark::New => {
                    if let Some(cycle) = visit(next, rules, marks, path) {
                        return Some(cycle);
                    }
                }
                Mark::Done => {}
            }
        }
        path.pop();
        marks[node] = Mark::Done;
        None
    }
    let mut marks = vec![Mark::New; rules.len()];
    for start in 0..rules.len() {
        if marks[start] == Mark::New
            && let Some(cycle) = visit(start, rules, &mut marks, &mut Vec::new())
        {
            return Some(cycle);
        }
    }
    None
}
