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
    /// A federal or state constitution.
    Constitution,
    /// A statute enacted by a legislature.
    Statute,
    /// A regulation issued by an agency under a statute.
    Regulation,
    /// A court's decision or order.
    CourtDecision,
    /// An executive order of a president, governor or mayor.
    ExecutiveOrder,
    /// A directive of a state attorney general.
    AgDirective,
    /// A local ordinance.
    Ordinance,
    /// A council or board resolution: a statement of policy adopted by vote, not an ordinance.
    Resolution,
    /// A written policy of a police department, sheriff's office or other agency.
    AgencyPolicy,
    /// An agreement between agencies, such as a 287(g) memorandum of agreement.
    Agreement,
    /// Non-binding guidance, such as a bulletin or FAQ.
    Guidance,
}

impl SourceKind {
    /// The kind as written in rule files, e.g. `court_decision`.
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
    /// What kind of document the source is.
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

/// Whether a rule can be enforced on a day. A rule's status is a dated history
/// ([`Rule::history`]); before its first entry a rule is in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// In force and enforceable.
    InForce,
    /// Blocked by a court: never decides a question, shown as a caveat.
    Enjoined,
    /// Suspended by a court (the law itself, not an injunction against it): as enjoined.
    Stayed,
    /// Held invalid by a court: never decides, shown as a caveat.
    Vacated,
    /// Repealed: never decides, shown as a caveat.
    Repealed,
    /// In force but under a serious legal challenge: decides, with a caveat.
    Contested,
}

impl Status {
    /// Whether a rule with this status can decide a question.
    pub fn decides(self) -> bool {
        matches!(self, Status::InForce | Status::Contested)
    }

    /// The status in plain words.
    pub fn label(self) -> &'static str {
        match self {
            Status::InForce => "in force",
            Status::Enjoined => "blocked by a court",
            Status::Stayed => "suspended by a court",
            Status::Vacated => "struck down by a court",
            Status::Repealed => "repealed",
            Status::Contested => "in force, challenged in court",
        }
    }
}

/// How far a duty reaches, where the text qualifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Extent {
    /// The text requires "best efforts" toward the act, not the act in every case.
    BestEfforts,
}

/// The session law, ordinance, order or decision that made a provision (or amended it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Enacted {
    /// The formal citation of the act, e.g. `HB 200 (2021), Mont. Laws 2021`.
    pub citation: String,
    /// Signing, adoption or decision date; unknown only for rules whose start is `not_before`.
    pub date: Option<Date>,
    /// Where the act can be read; `None` when no link was recorded.
    pub url: Option<String>,
}

/// One entry of a rule's status history: from `date` until the next entry, the rule's status
/// is `status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatusEvent {
    /// The day the event took effect; the status holds from this day until the next event.
    pub date: Date,
    /// The rule's status from this day.
    pub status: Status,
    /// What happened, e.g. `Preliminary injunction` or `Injunction stayed pending appeal`.
    pub event: String,
    /// The court that acted, e.g. `W.D. Tex.`; `None` for an event that is not a court's.
    pub court: Option<String>,
    /// Case name and number.
    pub case: Option<String>,
    /// Where a reader can check the event.
    pub source: Source,
}

impl StatusEvent {
    /// `2017-08-30: Preliminary injunction (W.D. Tex.; City of El Cenizo v. Texas, No. ...)`.
    pub fn describe(&self) -> String {
        let mut by: Vec<&str> = Vec::new();
        if let Some(court) = &self.court {
            by.push(court);
        }
        if let Some(case) = &self.case {
            by.push(case);
        }
        if by.is_empty() {
            format!("{}: {}", self.date, self.event)
        } else {
            format!("{}: {} ({})", self.date, self.event, by.join("; "))
        }
    }
}

/// One text of an amended provision, in force from `from` until the next version (or the
/// rule's end). Every field is materialised: a version that left a field unchanged carries the
/// earlier version's value.
#[derive(Clone, Debug, Serialize)]
pub struct Version {
    /// The first day this text applies.
    pub from: Date,
    /// The act that made this text; `None` when not recorded.
    pub enacted: Option<Enacted>,
    /// The operative words of this text, verbatim from the source.
    pub quote: Option<String>,
    /// One neutral sentence saying what this text does.
    pub summary: String,
    /// Whether this text requires, permits or prohibits the act.
    pub modality: Modality,
    /// The actors or actor groups this text binds, as vocabulary names.
    pub binds: Vec<String>,
    /// The counterparties this text covers, as vocabulary names; empty for any counterparty.
    pub counterparty: Vec<String>,
    /// The purposes this text covers, as vocabulary names; empty for any purpose.
    pub purpose: Vec<String>,
    /// The condition over facts under which this text applies; `None` when it always applies.
    pub when: Option<String>,
    /// The main source of this text.
    pub source: Source,
    /// Further sources for this text.
    pub also_cites: Vec<Source>,
    /// Anything a reader should know that does not fit the summary.
    pub note: Option<String>,
    /// `best_efforts` when this text is a duty of best efforts.
    pub extent: Option<Extent>,
    #[serde(skip)]
    pub(crate) compiled: Compiled,
}

/// What a rule does to the act.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// The rule forbids the act.
    Prohibited,
    /// The rule requires the act.
    Required,
    /// The rule allows the act.
    Permitted,
}

/// Where a rule was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The rule file's path, relative to the corpus directory.
    pub file: String,
    /// The line of the rule in that file, counted from 1.
    pub line: usize,
}

/// One compiled rule.
#[derive(Clone, Debug, Serialize)]
pub struct Rule {
    /// Stable, unique identifier such as `us-ca/gov-7284.6-a1B`; scenarios, findings and links name
    /// it.
    pub id: String,
    /// The division whose rule this is; the rule applies to every place inside it.
    pub jurisdiction: Jurisdiction,
    /// One neutral sentence saying what the provision does (the last version's, when amended).
    pub summary: String,
    /// The main source of the provision.
    pub source: Source,
    /// Further sources for the same provision (an interpreting bulletin, the official code page).
    pub also_cites: Vec<Source>,
    /// How well the rule's content is established.
    pub provenance: Provenance,
    /// The session law, ordinance, order or decision that made the provision.
    pub enacted: Option<Enacted>,
    /// The day the provision took effect.
    pub effective_from: Option<Date>,
    /// Where the start date is unknown: the earliest day the rule can have been in force. The
    /// engine treats it as the start, and answers resting on the rule say so.
    pub effective_not_before: Option<Date>,
    /// Why the start date is unknown.
    pub effective_unknown_reason: Option<String>,
    /// The last day the rule is in force (inclusive); `None` while it has no end date.
    pub effective_until: Option<Date>,
    /// The status today: that of the last entry of `history`, or in force.
    pub status: Status,
    /// Court orders and other changes of status, in date order.
    pub history: Vec<StatusEvent>,
    /// The operative words the encoding rests on, verbatim.
    pub quote: Option<String>,
    /// When the rule was last read against its source.
    pub reviewed: Option<Date>,
    /// `best_efforts` when the duty is one of best efforts.
    pub extent: Option<Extent>,
    /// Every text of an amended provision in date order, the original first; empty for a rule
    /// never amended. The rule's own fields (summary, modality, ...) are those of the last one.
    pub versions: Vec<Version>,
    /// The status was written in the older one-word form (`status`, `status_since`,
    /// `status_note`) rather than as a dated history.
    pub legacy_status: bool,
    /// The actors or actor groups the rule binds, as vocabulary names.
    pub binds: Vec<String>,
    /// The acts the rule governs, as vocabulary names.
    pub actions: Vec<String>,
    /// The counterparties the rule covers, as vocabulary names; empty for any counterparty.
    pub counterparty: Vec<String>,
    /// The purposes the rule covers, as vocabulary names; empty for any purpose.
    pub purpose: Vec<String>,
    /// The condition over facts under which the rule applies, as written; `None` when it always
    /// applies.
    pub when: Option<String>,
    /// Whether the rule requires, permits or prohibits the act (the last version's, when amended).
    pub modality: Modality,
    /// Ids of the rules this rule carves an exception out of; when both apply, this one wins.
    pub exception_to: Vec<String>,
    /// `lower` and/or ids of lower-level rules this rule overrides where they conflict.
    pub preempts: Vec<String>,
    /// False for guidance or case-law context: shown beside answers, never deciding them.
    pub binding: bool,
    /// Anything a reader of the rule should know that does not fit the summary.
    pub note: Option<String>,
    /// Where the rule was written, for error messages.
    pub location: Location,
    #[serde(skip)]
    pub(crate) compiled: Compiled,
}

/// The engine's view of a rule's words.
#[derive(Clone, Debug, Default, PartialEq)]
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
    /// The history entry in effect on a date, if any.
    pub fn status_event_on(&self, date: Date) -> Option<&StatusEvent> {
        self.history.iter().rev().find(|e| e.date <= date)
    }

    /// The rule's status on a date: that of the last history entry on or before it, else in
    /// force.
    pub fn status_on(&self, date: Date) -> Status {
        self.status_event_on(date)
            .map_or(Status::InForce, |event| event.status)
    }

    /// The first day the rule can apply: its effective date, or the earliest possible day when
    /// the effective date is unknown.
    pub fn start(&self) -> Option<Date> {
        self.effective_from.or(self.effective_not_before)
    }

    /// Whether the rule's effective range covers the date (both ends inclusive).
    pub fn effective_on(&self, date: Date) -> bool {
        self.start().is_none_or(|from| from <= date)
            && self.effective_until.is_none_or(|until| date <= until)
    }

    /// The version in force on a date (the first one before the rule took effect); `None` for a
    /// rule never amended.
    pub fn version_on(&self, date: Date) -> Option<&Version> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.from <= date)
            .or(self.versions.first())
    }

    /// The rule's modality on a date.
    pub fn modality_on(&self, date: Date) -> Modality {
        self.version_on(date).map_or(self.modality, |v| v.modality)
    }

    /// The rule's summary on a date.
    pub fn summary_on(&self, date: Date) -> &str {
        self.version_on(date).map_or(&self.summary, |v| &v.summary)
    }

    /// The rule's main source on a date.
    pub fn source_on(&self, date: Date) -> &Source {
        self.version_on(date).map_or(&self.source, |v| &v.source)
    }

    /// The engine's words on a date.
    pub(crate) fn compiled_on(&self, date: Date) -> &Compiled {
        self.version_on(date)
            .map_or(&self.compiled, |v| &v.compiled)
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
    pub enacted: Option<RawEnacted>,
    #[serde(default)]
    pub effective: RawEffective,
    #[serde(default)]
    pub quote: Option<String>,
    #[serde(default)]
    pub reviewed: Option<toml::value::Datetime>,
    #[serde(default)]
    pub extent: Option<Extent>,
    #[serde(default)]
    pub history: Vec<RawStatusEvent>,
    #[serde(default)]
    pub version: Vec<RawVersion>,
    /// Older form of a one-entry history; read as one, and refused by `rules check`.
    #[serde(default)]
    pub status: Option<Status>,
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
    #[serde(default)]
    pub not_before: Option<toml::value::Datetime>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEnacted {
    pub citation: String,
    #[serde(default)]
    pub date: Option<toml::value::Datetime>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStatusEvent {
    pub date: toml::value::Datetime,
    pub status: Status,
    pub event: String,
    #[serde(default)]
    pub court: Option<String>,
    #[serde(default)]
    pub case: Option<String>,
    pub source: Source,
}

/// An amendment: from `from`, the fields given replace the earlier text.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVersion {
    pub from: toml::value::Datetime,
    #[serde(default)]
    pub enacted: Option<RawEnacted>,
    #[serde(default)]
    pub quote: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub modality: Option<Modality>,
    #[serde(default, deserialize_with = "one_or_many_opt")]
    pub binds: Option<Vec<String>>,
    #[serde(default, deserialize_with = "one_or_many_opt")]
    pub counterparty: Option<Vec<String>>,
    #[serde(default, deserialize_with = "one_or_many_opt")]
    pub purpose: Option<Vec<String>>,
    /// `""` removes the earlier version's condition.
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub also_cites: Option<Vec<Source>>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub extent: Option<Extent>,
}

/// As [`one_or_many`], for an optional field.
pub(crate) fn one_or_many_opt<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<String>>, D::Error> {
    one_or_many(d).map(Some)
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
