//! The reason classifier: free-text search reasons into reviewable categories.
//!
//! The word lists live in `classifiers/reasons.toml` (built in; `--classifier FILE` swaps in
//! another), so that the people who read an audit can read and dispute how it sorts reasons.
//! This module only applies them: whole-word matching, prefix words, exclusions for known false
//! positives, and the two number rules that word lists cannot state (case numbers and bare
//! offence codes). Every match is kept as evidence.
//!
//! Classification runs once per distinct reason string (the pipeline memoises it), so clarity
//! matters more here than speed.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::AuditError;

/// The classifier shipped with Remit.
pub const BUILTIN_REASONS: &str = include_str!("../../../classifiers/reasons.toml");

/// A reason category. The set is fixed (flags and findings depend on it); the words are data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Immigration enforcement, an immigration authority, or Flock's `Immigration (...)` value.
    Immigration,
    /// Abortion and other reproductive care.
    ReproductiveHealth,
    /// Speech, assembly, protest, religion or the press.
    FirstAmendment,
    /// A person described only by race, ethnicity, origin, religion or orientation.
    ProtectedClassDescriptor,
    /// A personal rather than official purpose.
    PersonalUse,
    /// A test, demonstration or training.
    TestOrTraining,
    /// A named offence, warrant, wanted or stolen check, penal or vehicle code.
    Criminal,
    /// A stop, crash, speeding, licence or registration.
    Traffic,
    /// A missing or at-risk person, or a welfare check.
    MissingPersonWelfare,
    /// The reason is, or carries, a case or report number.
    CaseNumber,
    /// Nothing specific (`inv`, `investigation`, a keyboard mash, ...).
    Vague,
    /// No reason (empty, `n/a`, `none`, `null`).
    Missing,
    /// A reason that names something no list knows (often a person's name).
    Other,
}

impl Category {
    /// How many categories there are.
    pub const COUNT: usize = 13;

    /// Every category, in index order.
    pub const ALL: [Category; Category::COUNT] = [
        Category::Immigration,
        Category::ReproductiveHealth,
        Category::FirstAmendment,
        Category::ProtectedClassDescriptor,
        Category::PersonalUse,
        Category::TestOrTraining,
        Category::Criminal,
        Category::Traffic,
        Category::MissingPersonWelfare,
        Category::CaseNumber,
        Category::Vague,
        Category::Missing,
        Category::Other,
    ];

    /// The category's stable name, as in summaries, findings and the classifier file.
    pub fn name(self) -> &'static str {
        match self {
            Category::Immigration => "immigration",
            Category::ReproductiveHealth => "reproductive_health",
            Category::FirstAmendment => "first_amendment",
            Category::ProtectedClassDescriptor => "protected_class_descriptor",
            Category::PersonalUse => "personal_use",
            Category::TestOrTraining => "test_or_training",
            Category::Criminal => "criminal",
            Category::Traffic => "traffic",
            Category::MissingPersonWelfare => "missing_person_welfare",
            Category::CaseNumber => "case_number",
            Category::Vague => "vague",
            Category::Missing => "missing",
            Category::Other => "other",
        }
    }

    /// The category with this name (see [`Category::name`]); `None` for an unknown name.
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The category's position in [`Category::ALL`], for counting arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Categories that make a search a finding on their own: the uses the law and agency
    /// policies single out.
    pub fn is_concern(self) -> bool {
        matches!(
            self,
            Category::Immigration
                | Category::ReproductiveHealth
                | Category::FirstAmendment
                | Category::ProtectedClassDescriptor
                | Category::PersonalUse
        )
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of categories.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CategorySet(pub u16);

impl CategorySet {
    /// Adds a category to the set.
    pub fn insert(&mut self, category: Category) {
        self.0 |= 1 << category.index();
    }

    /// Whether the set holds the category.
    pub fn contains(self, category: Category) -> bool {
        self.0 & (1 << category.index()) != 0
    }

    /// The set's categories, in index order.
    pub fn iter(self) -> impl Iterator<Item = Category> {
        Category::ALL.into_iter().filter(move |c| self.contains(*c))
    }

    /// The set's category names, in index order.
    pub fn names(self) -> Vec<&'static str> {
        self.iter().map(Category::name).collect()
    }
}

/// One matched term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The category the term belongs to.
    pub category: Category,
    /// The term as written in the classifier file (or the rule's name for the number rules).
    pub term: String,
    /// The words of the reason that matched, as typed.
    pub text: String,
    /// Byte range of `text` in the reason.
    #[serde(skip)]
    pub span: (usize, usize),
}

/// A term that matched but was cancelled by an exclusion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Excluded {
    /// The category the term belongs to.
    pub category: Category,
    /// The term as written in the classifier file.
    pub term: String,
    /// The words of the reason that matched, as typed.
    pub text: String,
    /// The exclusion that cancelled it, as written in the classifier file.
    pub because: String,
}

/// What the classifier made of one reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// The category that decides the reason's purpose and flags.
    pub primary: Category,
    #[serde(serialize_with = "serialize_set")]
    /// Every category the reason falls in.
    pub categories: CategorySet,
    /// A purpose word of the vocabulary (`civil_immigration_enforcement`, ...).
    pub purpose: String,
    /// Every term that matched, with the words it matched.
    pub evidence: Vec<Evidence>,
}

fn serialize_set<S: serde::Serializer>(set: &CategorySet, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(set.names())
}

impl Classification {
    /// The matched terms as `category:text` pairs, for a findings row.
    pub fn evidence_text(&self) -> String {
        self.evidence_with(|e| &e.text)
    }

    /// [`Classification::evidence_text`] quoting `reason`, a reason of the same shape as the
    /// one classified (see [`Classifier::shape`]): same length, other digits.
    pub fn evidence_text_in(&self, reason: &str) -> String {
        self.evidence_with(|e| reason.get(e.span.0..e.span.1).unwrap_or(&e.text))
    }

    /// `category:text; ...` with each match's text as `text` gives it.
    fn evidence_with<'a>(&'a self, text: impl Fn(&'a Evidence) -> &'a str) -> String {
        let mut out = String::new();
        for e in &self.evidence {
            if !out.is_empty() {
                out.push_str("; ");
            }
            out.push_str(e.category.name());
            out.push(':');
            out.push_str(text(e));
        }
        out
    }
}

fn trimmed_span(text: &str) -> (usize, usize) {
    let start = text.len() - text.trim_start().len();
    (start, start + text.trim().len())
}

/// The full account of a classification, for `remit audit explain-reason`.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    /// The reason as given.
    pub reason: String,
    /// The reason split into the words the classifier matches against.
    pub words: Vec<String>,
    #[serde(flatten)]
    /// What the classifier made of the reason.
    pub classification: Classification,
    /// Terms that matched but were cancelled by an exclusion.
    pub excluded: Vec<Excluded>,
    /// Which rule chose the primary category, in words.
    pub rule: String,
}

// ---------------------------------------------------------------------------------------------
// The classifier file.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: String,
    #[serde(default)]
    settings: RawSettings,
    category: Vec<RawCategory>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    window: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    name: String,
    description: String,
    purpose: String,
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    agency_terms: Vec<String>,
    #[serde(default)]
    agency_terms_with_criminal_purpose: Option<String>,
    #[serde(default)]
    exclude: Vec<RawExclusion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExclusion {
    terms: Vec<String>,
    #[serde(default)]
    near: Vec<String>,
    #[serde(default)]
    before: Vec<String>,
    #[serde(default)]
    window: Option<usize>,
    #[serde(default)]
    unless_number_beside: bool,
}

/// A word of a term: exact, or a prefix (`deport*`).
#[derive(Clone, Debug)]
enum Pattern {
    Exact(String),
    Prefix(String),
}

impl Pattern {
    fn parse(word: &str) -> Pattern {
        match word.strip_suffix('*') {
            Some(prefix) => Pattern::Prefix(prefix.to_string()),
            None => Pattern::Exact(word.to_string()),
        }
    }

    fn matches(&self, word: &str) -> bool {
        match self {
            Pattern::Exact(w) => w == word,
            Pattern::Prefix(p) => word.starts_with(p.as_str()),
        }
    }
}

#[derive(Debug)]
struct Term {
    category: Category,
    text: String,
    words: Vec<Pattern>,
    /// Names an immigration authority rather than immigration enforcement.
    agency: bool,
    /// Exclusions that can cancel this term (indices into `Classifier::exclusions`).
    exclusions: Vec<usize>,
}

#[derive(Debug)]
struct Exclusion {
    near: Vec<Pattern>,
    before: Vec<Pattern>,
    window: usize,
    unless_number_beside: bool,
}

#[derive(Debug)]
struct CategoryDef {
    category: Category,
    description: String,
    purpose: String,
    agency_purpose_with_criminal: Option<String>,
}

/// A loaded classifier.
#[derive(Debug)]
pub struct Classifier {
    version: String,
    /// In priority order.
    categories: Vec<CategoryDef>,
    terms: Vec<Term>,
    exclusions: Vec<Exclusion>,
    /// Terms by their first word when it is exact.
    by_first_word: HashMap<String, Vec<usize>>,
    /// Terms whose first word is a prefix.
    prefix_first: Vec<usize>,
    /// Word lists of `all_words` categories.
    word_lists: Vec<(Category, Vec<Pattern>)>,
    /// Numbers of four or more digits that terms name (`5150`): [`Classifier::shape`] keeps them.
    protected_numbers: Vec<String>,
}

/// One word of a reason with its place in the text.
#[derive(Clone, Debug)]
struct Word {
    text: String,
    start: usize,
    end: usize,
}

/// Splits text into lowercase words: runs of letters or of digits ("211PC" is `211 pc`).
fn words(text: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut current: Option<(usize, bool)> = None;
    let mut buffer = String::new();
    for (i, ch) in text.char_indices() {
        let kind = if ch.is_alphabetic() {
            Some(false)
        } else if ch.is_ascii_digit() {
            Some(true)
        } else {
            None
        };
        match (current, kind) {
            (Some((_, digit)), Some(k)) if digit == k => {
                buffer.extend(ch.to_lowercase());
            }
            (Some((start, _)), next) => {
                out.push(Word {
                    text: std::mem::take(&mut buffer),
                    start,
                    end: i,
                });
                current = next.map(|k| (i, k));
                if next.is_some() {
                    buffer.extend(ch.to_lowercase());
                }
            }
            (None, Some(k)) => {
                current = Some((i, k));
                buffer.extend(ch.to_lowercase());
            }
            (None, None) => {}
        }
    }
    if let Some((start, _)) = current {
        out.push(Word {
            text: buffer,
            start,
            end: text.len(),
        });
    }
    out
}

fn term_words(term: &str) -> Vec<Pattern> {
    // A term is written like a reason, so split it the same way, keeping `*` on the last
    // letter run it follows.
    let mut patterns = Vec::new();
    for piece in term.split(|c: char| c.is_whitespace()) {
        if piece.is_empty() {
            continue;
        }
        let star = piece.ends_with('*');
        let parts = words(piece.trim_end_matches('*'));
        let count = parts.len();
        for (i, w) in parts.into_iter().enumerate() {
            if star && i + 1 == count {
                patterns.push(Pattern::Prefix(w.text));
            } else {
                patterns.push(Pattern::Exact(w.text));
            }
        }
    }
    patterns
}

fn is_number(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

impl Classifier {
    /// The classifier built into Remit.
    pub fn builtin() -> Result<Classifier, AuditError> {
        Classifier::from_toml(BUILTIN_REASONS, "classifiers/reasons.toml")
    }

    /// Reads a classifier file; `path` names it in errors.
    pub fn from_toml(text: &str, path: &str) -> Result<Classifier, AuditError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            AuditError::Classifier {
                path: path.to_string(),
                line,
                message: e.message().to_string(),
            }
        })?;
        let problem = |message: String| AuditError::Classifier {
            path: path.to_string(),
            line: None,
            message,
        };
        let mut categories = Vec::new();
        let mut terms = Vec::new();
        let mut exclusions = Vec::new();
        let mut word_lists = Vec::new();
        let window = raw.settings.window.unwrap_or(3);
        for raw_category in &raw.category {
            let Some(category) = Category::from_name(&raw_category.name) else {
                return Err(problem(format!(
                    "unknown category `{}`; the categories are {}",
                    raw_category.name,
                    Category::ALL.map(Category::name).join(", ")
                )));
            };
            if categories
                .iter()
                .any(|c: &CategoryDef| c.category == category)
            {
                return Err(problem(format!(
                    "category `{}` is defined twice",
                    raw_category.name
                )));
            }
            let all_words = match raw_category.mode.as_deref() {
                None | Some("any_term") => false,
                Some("all_words") => true,
                Some(other) => {
                    return Err(problem(format!(
                        "category `{}`: unknown mode `{other}`; use `any_term` or `all_words`",
                        raw_category.name
                    )));
                }
            };
            categories.push(CategoryDef {
                category,
                description: raw_category.description.clone(),
                purpose: raw_category.purpose.clone(),
                agency_purpose_with_criminal: raw_category
                    .agency_terms_with_criminal_purpose
                    .clone(),
            });
            if all_words {
                word_lists.push((
                    category,
                    raw_category
                        .terms
                        .iter()
                        .flat_map(|t| term_words(t))
                        .collect(),
                ));
                continue;
            }
            let first_term = terms.len();
            for (text, agency) in raw_category
                .terms
                .iter()
                .map(|t| (t, false))
                .chain(raw_category.agency_terms.iter().map(|t| (t, true)))
            {
                let words = term_words(text);
                if words.is_empty() {
                    return Err(problem(format!(
                        "category `{}`: term `{text}` has no letters or digits",
                        raw_category.name
                    )));
                }
                terms.push(Term {
                    category,
                    text: text.clone(),
                    words,
                    agency,
                    exclusions: Vec::new(),
                });
            }
            for exclusion in &raw_category.exclude {
                let id = exclusions.len();
                exclusions.push(Exclusion {
                    near: exclusion.near.iter().map(|w| Pattern::parse(w)).collect(),
                    before: exclusion.before.iter().map(|w| Pattern::parse(w)).collect(),
                    window: exclusion.window.unwrap_or(window),
                    unless_number_beside: exclusion.unless_number_beside,
                });
                for name in &exclusion.terms {
                    let Some(term) = terms[first_term..].iter_mut().find(|t| &t.text == name)
                    else {
                        return Err(problem(format!(
                            "category `{}`: an exclusion names `{name}`, which is not one of its terms",
                            raw_category.name
                        )));
                    };
                    term.exclusions.push(id);
                }
            }
        }
        for category in Category::ALL {
            if !categories.iter().any(|c| c.category == category) {
                return Err(problem(format!(
                    "category `{}` is missing; every category must be listed (with `terms = []` if it has none)",
                    category.name()
                )));
            }
        }
        let mut by_first_word: HashMap<String, Vec<usize>> = HashMap::new();
        let mut prefix_first = Vec::new();
        for (i, term) in terms.iter().enumerate() {
            match &term.words[0] {
                Pattern::Exact(w) => by_first_word.entry(w.clone()).or_default().push(i),
                Pattern::Prefix(_) => prefix_first.push(i),
            }
        }
        let mut protected_numbers: Vec<String> = terms
            .iter()
            .flat_map(|t| &t.words)
            .chain(word_lists.iter().flat_map(|(_, list)| list))
            .filter_map(|p| match p {
                Pattern::Exact(w) | Pattern::Prefix(w) if w.len() >= 4 && is_number(w) => {
                    Some(w.clone())
                }
                _ => None,
            })
            .collect();
        protected_numbers.sort();
        protected_numbers.dedup();
        Ok(Classifier {
            version: raw.version,
            protected_numbers,
            categories,
            terms,
            exclusions,
            by_first_word,
            prefix_first,
            word_lists,
        })
    }

    /// The classifier file's version, as recorded with each run.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The key under which a reason's classification is memoised: the reason with every run of
    /// four or more digits turned to zeros, unless a term names that number. Reasons that differ
    /// only in such numbers ("25-138337", "25-140397") classify alike (the number rules look at
    /// how many digits there are, not which), so a log with a million case numbers costs one
    /// classification, not a million. The shape has the reason's length, so evidence spans found
    /// in it quote the original text.
    pub fn shape<'b>(&self, reason: &'b [u8], scratch: &'b mut Vec<u8>) -> &'b [u8] {
        let mut copied = false;
        let mut i = 0;
        while i < reason.len() {
            if reason[i].is_ascii_digit() {
                let start = i;
                while i < reason.len() && reason[i].is_ascii_digit() {
                    i += 1;
                }
                if i - start >= 4
                    && !self
                        .protected_numbers
                        .iter()
                        .any(|n| n.as_bytes() == &reason[start..i])
                {
                    if !copied {
                        scratch.clear();
                        scratch.extend_from_slice(reason);
                        copied = true;
                    }
                    scratch[start..i].fill(b'0');
                }
            } else {
                i += 1;
            }
        }
        if copied { scratch } else { reason }
    }

    /// Each category with its description and purpose, in priority order.
    pub fn categories(&self) -> impl Iterator<Item = (Category, &str, &str)> {
        self.categories
            .iter()
            .map(|c| (c.category, c.description.as_str(), c.purpose.as_str()))
    }

    fn definition(&self, category: Category) -> Option<&CategoryDef> {
        self.categories.iter().find(|c| c.category == category)
    }

    /// Classifies one reason.
    pub fn classify(&self, reason: &str) -> Classification {
        self.explain(reason).classification
    }

    /// Classifies one reason and says how.
    pub fn explain(&self, reason: &str) -> Explanation {
        let words = words(reason);
        let mut evidence = Vec::new();
        let mut excluded = Vec::new();
        let mut matched = CategorySet::default();
        let mut agency_only = true;
        // Byte ranges of matched terms: numbers inside them (`287(g)`) are not codes.
        let mut matched_spans: Vec<(usize, usize)> = Vec::new();
        let span = |from: usize, to: usize| reason[words[from].start..words[to].end].to_string();

        for at in 0..words.len() {
            let candidates = self
                .by_first_word
                .get(&words[at].text)
                .into_iter()
                .flatten()
                .chain(self.prefix_first.iter());
            for &t in candidates {
                let term = &self.terms[t];
                let len = term.words.len();
                if at + len > words.len()
                    || !term
                        .words
                        .iter()
                        .zip(&words[at..at + len])
                        .all(|(p, w)| p.matches(&w.text))
                {
                    continue;
                }
                let text = span(at, at + len - 1);
                if let Some(because) = self.excluded_by(term, &words, at, at + len) {
                    excluded.push(Excluded {
                        category: term.category,
                        term: term.text.clone(),
                        text,
                        because,
                    });
                    continue;
                }
                if term.category == Category::Immigration && !term.agency {
                    agency_only = false;
                }
                matched.insert(term.category);
                matched_spans.push((words[at].start, words[at + len - 1].end));
                // One piece of evidence per category and text.
                if !evidence
                    .iter()
                    .any(|e: &Evidence| e.category == term.category && e.text == text)
                {
                    evidence.push(Evidence {
                        category: term.category,
                        term: term.text.clone(),
                        text,
                        span: (words[at].start, words[at + len - 1].end),
                    });
                }
            }
        }

        // The number rules.
        for (start, end, kind) in number_spans(reason) {
            if matched_spans.iter().any(|&(a, b)| start < b && a < end) {
                continue;
            }
            let text = reason[start..end].to_string();
            let (category, term) = match kind {
                NumberKind::CaseNumber => (Category::CaseNumber, "case number rule"),
                NumberKind::Code => (Category::Criminal, "offence code rule"),
            };
            matched.insert(category);
            evidence.push(Evidence {
                category,
                term: term.to_string(),
                text,
                span: (start, end),
            });
        }

        // Whole-reason categories, only when nothing else matched.
        let mut rule = String::new();
        if matched.0 == 0 {
            let whole = |category: Category| {
                self.word_lists
                    .iter()
                    .find(|(c, _)| *c == category)
                    .is_some_and(|(_, list)| {
                        words
                            .iter()
                            .all(|w| list.iter().any(|p| p.matches(&w.text)))
                    })
            };
            let letters: usize = words.iter().map(|w| w.text.chars().count()).sum();
            if words.is_empty() || whole(Category::Missing) {
                matched.insert(Category::Missing);
                rule = if words.is_empty() {
                    "missing: the reason is empty".to_string()
                } else {
                    "missing: the reason is a placeholder".to_string()
                };
            } else if whole(Category::Vague) {
                matched.insert(Category::Vague);
                rule = "vague: every word is on the vague list".to_string();
                evidence.push(Evidence {
                    category: Category::Vague,
                    term: "all words vague".to_string(),
                    text: reason.trim().to_string(),
                    span: trimmed_span(reason),
                });
            } else if letters <= 2 {
                matched.insert(Category::Vague);
                rule = "vague: one or two characters".to_string();
                evidence.push(Evidence {
                    category: Category::Vague,
                    term: "too short".to_string(),
                    text: reason.trim().to_string(),
                    span: trimmed_span(reason),
                });
            } else if let Some((word, why)) =
                words.iter().find_map(|w| mash(&w.text).map(|m| (w, m)))
            {
                matched.insert(Category::Vague);
                rule = format!("vague: `{}` is {why}", word.text);
                evidence.push(Evidence {
                    category: Category::Vague,
                    term: why.to_string(),
                    text: reason[word.start..word.end].to_string(),
                    span: (word.start, word.end),
                });
            } else {
                matched.insert(Category::Other);
                rule = "other: no term matched".to_string();
            }
        }

        let primary = self
            .categories
            .iter()
            .map(|c| c.category)
            .find(|c| matched.contains(*c))
            .unwrap_or(Category::Other);
        if rule.is_empty() {
            rule = format!(
                "{}: first matched category in priority order",
                primary.name()
            );
        }
        let definition = self.definition(primary);
        let mut purpose =
            definition.map_or_else(|| "unspecified".to_string(), |d| d.purpose.clone());
        if primary == Category::Immigration
            && agency_only
            && matched.contains(Category::Criminal)
            && let Some(p) = definition.and_then(|d| d.agency_purpose_with_criminal.clone())
        {
            purpose = p;
            rule.push_str(
                "; only an immigration authority is named, beside a criminal term, so the purpose is read as criminal",
            );
        }
        evidence.sort_by_key(|e| e.category);
        Explanation {
            reason: reason.to_string(),
            words: words.iter().map(|w| w.text.clone()).collect(),
            classification: Classification {
                primary,
                categories: matched,
                purpose,
                evidence,
            },
            excluded,
            rule,
        }
    }

    /// Whether an exclusion cancels `term` matched at `words[from..to]`; says why.
    fn excluded_by(&self, term: &Term, words: &[Word], from: usize, to: usize) -> Option<String> {
        for &e in &term.exclusions {
            let exclusion = &self.exclusions[e];
            let low = from.saturating_sub(exclusion.window);
            let high = (to + exclusion.window).min(words.len());
            let around = words[low..from].iter().chain(&words[to..high]);
            if exclusion.unless_number_beside {
                if !words[low..from]
                    .iter()
                    .chain(&words[to..high])
                    .any(|w| is_number(&w.text))
                {
                    return Some("no number beside it".to_string());
                }
                continue;
            }
            if let Some(w) = around
                .clone()
                .find(|w| exclusion.near.iter().any(|p| p.matches(&w.text)))
            {
                return Some(format!("`{}` is within {} words", w.text, exclusion.window));
            }
            if from > 0 {
                let previous = &words[from - 1];
                if exclusion.before.iter().any(|p| p.matches(&previous.text)) {
                    return Some(format!("`{}` comes right before it", previous.text));
                }
            }
        }
        None
    }
}

/// Why a word looks like a keyboard mash, if it does.
fn mash(word: &str) -> Option<&'static str> {
    let bytes = word.as_bytes();
    if bytes.len() < 3 || !bytes.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    if bytes.iter().all(|b| *b == bytes[0]) {
        return Some("one letter repeated");
    }
    if bytes.len() >= 4 {
        for row in ["qwertyuiop", "asdfghjkl", "zxcvbnm"] {
            let reversed: String = row.chars().rev().collect();
            if row.contains(word) || reversed.contains(word) {
                return Some("a run of keys on one keyboard row");
            }
        }
        if !bytes.iter().any(|b| b"aeiouy".contains(b)) {
            return Some("a word of four or more letters without a vowel");
        }
    }
    None
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NumberKind {
    CaseNumber,
    Code,
}

/// Finds case numbers and bare offence codes (see the header of `classifiers/reasons.toml`).
///
/// - A run of digits joined by `-`, `.` or `/`, not glued to letters: 6 or more digits, or 5
///   or more with a `-`, make a case number; `11-6-25`, `11.22.2025` and `2025-08-01` are
///   dates; 3 to 5 digits with at most one decimal part (`459`, `273.5`) make a code.
/// - Digits followed by one letter and then a break (`20002A`, `925C`) make a code.
/// - Any other word of letters and digits (with `-`) of 6 or more characters holding at least 3
///   digits (`26PRCW007`, `Pa2026-2570`) is a case or report number.
#[cfg(test)]
fn number_groups(text: &str) -> Vec<(String, NumberKind)> {
    number_spans(text)
        .into_iter()
        .map(|(start, end, kind)| (text[start..end].to_string(), kind))
        .collect()
}

/// [`number_groups`] with byte spans.
fn number_spans(text: &str) -> Vec<(usize, usize, NumberKind)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        // A maximal identifier-like run: letters, digits, and `-`/`.`/`/` between digits.
        let start = i;
        let mut end = i;
        let mut j = i;
        while j < bytes.len() {
            if bytes[j].is_ascii_alphanumeric() {
                end = j + 1;
                j += 1;
            } else if matches!(bytes[j], b'-' | b'.' | b'/')
                && j > start
                && bytes.get(j + 1).is_some_and(u8::is_ascii_alphanumeric)
                && (bytes[j - 1].is_ascii_digit() || bytes[j] == b'-')
            {
                j += 1;
            } else {
                break;
            }
        }
        i = end.max(start + 1);
        let run = &text[start..end];
        let digits = run.bytes().filter(u8::is_ascii_digit).count();
        if digits == 0 {
            continue;
        }
        let letters = run.bytes().filter(u8::is_ascii_alphabetic).count();
        let parts: Vec<&str> = run.split(['-', '.', '/']).collect();
        if letters == 0 {
            let is_date = parts.len() == 3
                && ((parts[0].len() <= 2 && parts[1].len() <= 2)
                    || (parts[0].len() == 4 && parts[1].len() <= 2 && parts[2].len() <= 2));
            if is_date {
                continue;
            }
            if digits >= 6 || (digits >= 5 && run.contains('-')) {
                out.push((start, end, NumberKind::CaseNumber));
            } else if (3..=5).contains(&digits)
                && (parts.len() == 1 || (parts.len() == 2 && run.contains('.')))
            {
                out.push((start, end, NumberKind::Code));
            }
            continue;
        }
        // Letters and digits together.
        let last = run.as_bytes()[run.len() - 1];
        let leading_digits = run.bytes().take_while(u8::is_ascii_digit).count();
        if letters == 1
            && last.is_ascii_alphabetic()
            && leading_digits == run.len() - 1
            && (3..=5).contains(&leading_digits)
        {
            out.push((start, end, NumberKind::Code));
        } else if run.len() >= 6 && digits >= 3 && !is_code_with_suffix(run) {
            out.push((start, end, NumberKind::CaseNumber));
        }
    }
    out
}

/// `211PC`, `10851CVC`, `PC459`: a code glued to the name of its code book, which the `pc`,
/// `vc` and `cvc` terms read.
fn is_code_with_suffix(run: &str) -> bool {
    let lower = run.to_ascii_lowercase();
    let digits: String = lower.chars().filter(char::is_ascii_digit).collect();
    let letters: String = lower.chars().filter(char::is_ascii_alphabetic).collect();
    digits.len() <= 6
        && matches!(
            letters.as_str(),
            "pc" | "vc" | "cvc" | "hs" | "hsc" | "apc" | "acvc"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classifier() -> Classifier {
        Classifier::builtin().expect("the built-in classifier loads")
    }

    #[test]
    fn words_split_letters_from_digits() {
        let w: Vec<String> = words("211PC Person+Crime 287(g) U.S. Border")
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(
            w,
            [
                "211", "pc", "person", "crime", "287", "g", "u", "s", "border"
            ]
        );
    }

    #[test]
    fn number_rules() {
        let kinds = |t: &str| -> Vec<(String, NumberKind)> { number_groups(t) };
        assert_eq!(
            kinds("25-138337"),
            [("25-138337".to_string(), NumberKind::CaseNumber)]
        );
        assert_eq!(
            kinds("Investigation, 2510494"),
            [("2510494".to_string(), NumberKind::CaseNumber)]
        );
        assert_eq!(kinds("459 pc"), [("459".to_string(), NumberKind::Code)]);
        assert_eq!(kinds("11-6-25 Lululemon Fraud"), []);
        assert_eq!(kinds("Fleeing motorcycle 11.22.2025"), []);
        assert_eq!(kinds("10-56"), []);
        assert_eq!(kinds("ST2"), []);
        assert_eq!(kinds("PC 273.5"), [("273.5".to_string(), NumberKind::Code)]);
        assert_eq!(kinds("20002A"), [("20002A".to_string(), NumberKind::Code)]);
        assert_eq!(
            kinds("26prcw007"),
            [("26prcw007".to_string(), NumberKind::CaseNumber)]
        );
        assert_eq!(
            kinds("Pa2026-2570"),
            [("Pa2026-2570".to_string(), NumberKind::CaseNumber)]
        );
        assert_eq!(kinds("211PC"), []);
        assert_eq!(
            kinds("10851(a)CVC"),
            [("10851".to_string(), NumberKind::Code)]
        );
    }

    #[test]
    fn the_builtin_file_names_every_category_once() {
        let c = classifier();
        let names: Vec<Category> = c.categories().map(|(c, _, _)| c).collect();
        assert_eq!(names.len(), Category::COUNT);
        assert_eq!(names[0], Category::Immigration);
    }

    #[test]
    fn bad_files_name_the_problem() {
        let err = Classifier::from_toml("version = \"1\"\n[[category]]\nname = \"nope\"\ndescription = \"\"\npurpose = \"unspecified\"\n", "x.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown category `nope`"), "{err}");
        let err = Classifier::from_toml("version = 1\n", "x.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x.toml:1:"), "{err}");
    }
}
