//! The rule model: one provision of law or policy, in its own words, with its source.
//!
//! The TOML form is documented in `docs/rules-format.md`. This module holds the compiled form the
//! engine uses: vocabulary words resolved to indices, conditions parsed, references resolved.

use serde::{Deserialize, Serialize};

use crate::condition::Condition;
use crate::date::Date;
use crate::jurisdiction::Jurisdiction;
use crate::vocabulary::{ActionId, CounterpartyId, PurposeId};

/// What kind of document a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Constitution,
    Statute,
    Regulation,
    CourtDecision,
    ExecutiveOrder,
    AgDirective,
    Ordinance,
    /// A council or board resolution: a statement of policy adopted by vote, not an ordinance.
    Resolution,
    AgencyPolicy,
    Agreement,
    Guidance,
}

impl SourceKind {
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Constitution => "constitution",
            SourceKind::Statute => "statute",
            SourceKind::Regulation => "regulation",
            SourceKind::CourtDecision => "court decision",
            SourceKind::ExecutiveOrder => "executive order",
            SourceKind::AgDirective => "attorney general directive",
            SourceKind::Ordinance => "ordinance",
            SourceKind::Resolution => "resolution",
            SourceKind::AgencyPolicy => "agency policy",
            SourceKind::Agreement => "agreement",
            SourceKind::Guidance => "guidance",
        }
    }
}

/// Where a rule's words come from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub kind: SourceKind,
    /// The formal citation, e.g. `Cal. Gov. Code § 7284.6(a)(1)(B)`.
    pub citation: String,
    /// The act's or document's name, e.g. `California Values Act (SB 54, 2017)`.
    pub title: String,
    /// Where a reader can check the text.
    pub url: String,
}

/// How well the rule's content is established, as in the fact sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// Read in an official code, court opinion or government page.
    Primary,
    /// Read in a reputable summary (bill tracker, news, legal analysis).
    Secondary,
    /// Reported but not confirmed; answers resting on it say so.
    Unverified,
}

/// Whether a rule can be enforced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    InForce,
    /// Blocked by a court: never decides a question, shown as a caveat.
    Enjoined,
    Repealed,
    /// In force but under a serious legal challenge: decides, with a caveat.
    Contested,
}

/// What a rule does to the act.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    Prohibited,
    Required,
    Permitted,
}

/// Where a rule was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
}

/// One compiled rule.
#[derive(Clone, Debug, Serialize)]
pub struct Rule {
    pub id: String,
    pub jurisdiction: Jurisdiction,
    pub summary: String,
    pub source: Source,
    pub also_cites: Vec<Source>,
    pub provenance: Provenance,
    pub effective_from: Option<Date>,
    pub effective_until: Option<Date>,
    pub status: Status,
    pub status_since: Option<Date>,
    pub status_note: Option<String>,
    pub binds: Vec<String>,
    pub actions: Vec<String>,
    pub counterparty: Vec<String>,
    pub purpose: Vec<String>,
    pub when: Option<String>,
    pub modality: Modality,
    pub exception_to: Vec<String>,
    pub preempts: Vec<String>,
    pub binding: bool,
    pub note: Option<String>,
    pub location: Location,
    #[serde(skip)]
    pub(crate) compiled: Compiled,
}

/// The engine's view of a rule's words.
#[derive(Clone, Debug, Default)]
pub(crate) struct Compiled {
    pub binds_mask: u64,
    pub actions: Vec<ActionId>,
    pub counterparties: Vec<CounterpartyId>,
    pub purposes: Vec<PurposeId>,
    pub when: Option<Condition>,
    pub exception_to: Vec<usize>,
    pub preempts_lower: bool,
    pub preempts_rules: Vec<usize>,
}

impl Rule {
    /// The rule's status on a date: before `status_since` it was in force.
    pub fn status_on(&self, date: Date) -> Status {
        match self.status_since {
            Some(since) if date < since => Status::InForce,
            _ => self.status,
        }
    }

    /// Whether the rule's effective range covers the date (both ends inclusive).
    pub fn effective_on(&self, date: Date) -> bool {
        self.effective_from.is_none_or(|from| from <= date)
            && self.effective_until.is_none_or(|until| date <= until)
    }

    /// All citations, the main one first.
    pub fn citations(&self) -> impl Iterator<Item = &Source> {
        std::iter::once(&self.source).chain(&self.also_cites)
    }
}

/// The raw TOML form of a rule file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRuleFile {
    #[serde(default)]
    pub jurisdiction: Option<String>,
    #[serde(default, rename = "rule")]
    pub rules: Vec<toml::Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub id: toml::Spanned<String>,
    #[serde(default)]
    pub jurisdiction: Option<String>,
    pub summary: String,
    pub source: Source,
    #[serde(default)]
    pub also_cites: Vec<Source>,
    pub provenance: Provenance,
    #[serde(default)]
    pub effective: RawEffective,
    #[serde(default = "in_force")]
    pub status: Status,
    #[serde(default)]
    pub status_since: Option<toml::value::Datetime>,
    #[serde(default)]
    pub status_note: Option<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub binds: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub action: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub counterparty: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub purpose: Vec<String>,
    #[serde(default)]
    pub when: Option<String>,
    pub modality: Modality,
    #[serde(default, deserialize_with = "one_or_many")]
    pub exception_to: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub preempts: Vec<String>,
    #[serde(default = "yes")]
    pub binding: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEffective {
    #[serde(default)]
    pub from: Option<toml::value::Datetime>,
    #[serde(default)]
    pub until: Option<toml::value::Datetime>,
}

fn in_force() -> Status {
    Status::InForce
}

fn yes() -> bool {
    true
}

/// Accepts `"word"` or `["word", ...]`.
pub(crate) fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    match OneOrMany::deserialize(d) {
        Ok(OneOrMany::One(word)) => Ok(vec![word]),
        Ok(OneOrMany::Many(words)) => Ok(words),
        Err(_) => Err(serde::de::Error::custom(
            "expected a word or a list of words",
        )),
    }
}

/// Turns a TOML date into a [`Date`]; a time or offset is an error.
pub(crate) fn toml_date(value: &toml::value::Datetime) -> Result<Date, String> {
    match (value.date, value.time, value.offset) {
        (Some(d), None, None) => Date::new(i32::from(d.year), d.month, d.day)
            .ok_or_else(|| format!("`{value}` is not a valid date")),
        _ => Err(format!(
            "`{value}` must be a plain date such as 2018-01-01, without a time"
        )),
    }
}
