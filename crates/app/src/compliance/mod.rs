//! The 287(g) registry checked against the law: which agencies the law requires to request and
//! enter a 287(g) agreement and that the registry shows without one, which hold one that the law
//! forbids, and which turn on a fact Remit does not know about them.
//!
//! For every agency the law can reach (the directory's sheriffs, police, jails and state
//! agencies, and every agency of ICE's sheets or the MOA index), the engine is asked about
//! `enter_287g_agreement` with ICE on the date, with the facts known about its place, and the
//! answer is compared with the registry on that date: ICE's participating sheet as of the date
//! (and its pending sheet: a request), and the MOA documents posted since that sheet. The
//! registry is ICE's list of who participates, not a finding on any agreement's legal status;
//! every result says which source it rests on and how old it is.

mod data;
mod law;
mod subjects;

use std::collections::BTreeMap;

use remit_agencies::Resolver;
use remit_law::{Corpus, DISCLAIMER, Date, Verdict};
use remit_registry::Day;
use remit_store::Store;
use serde::Serialize;

pub use data::Agreement;
pub use law::{ACTION, COUNTERPARTY, RuleRef, Unknown};

/// What every check says about its sources.
pub const REGISTRY_NOTE: &str = "The registry is ICE's list of agencies with a 287(g) agreement (its participating and pending sheets) and the index of agreements ICE posted. It shows who ICE lists, not whether an agreement is lawful or in force: a listed agreement may have ended, and an agency may have an agreement ICE does not list yet.";

/// Why a check could not run.
#[derive(Debug, thiserror::Error)]
pub enum ComplianceError {
    /// The store could not be read (SQLite's message).
    #[error("cannot read the registry from the store: {0}")]
    Store(String),
    /// Nothing is imported: no 287(g) sheet and no MOA index.
    #[error("the registry is empty: no 287(g) sheet or MOA index is imported")]
    EmptyRegistry,
}

impl ComplianceError {
    /// What the user can do about it, when there is something.
    pub fn help(&self) -> Option<String> {
        match self {
            ComplianceError::Store(_) => None,
            ComplianceError::EmptyRegistry => Some(
                "import ICE's sheets or the MOA index first: `remit registry import FILES`"
                    .to_string(),
            ),
        }
    }
}

/// An agency as a finding names it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct AgencyRef {
    /// Its name as the directory or the registry writes it.
    pub name: String,
    /// Its state's two-letter code.
    pub state: String,
    /// Its FBI originating agency identifier, when known.
    pub ori: Option<String>,
    /// `sheriff`, `police_department`, ... when known.
    pub kind: Option<String>,
    /// The vocabulary actor the law binds it as.
    pub actor: String,
    /// The OCD division whose rules reach it.
    pub division: String,
    /// Where it was found: `directory`, `ice_sheet`, `moa_index` or `place_facts`.
    pub found_in: String,
    /// Its key in this check: the ORI, else a key of its own.
    pub key: String,
}

/// One agency whose registry record and law disagree, or may.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Finding {
    /// The agency.
    pub agency: AgencyRef,
    /// `must`, `must_not` or `depends`.
    pub verdict: Verdict,
    /// The rules that set the verdict (for `depends`: the rules of the verdict when none of the
    /// unknown facts holds; each unknown carries its own).
    pub rules: Vec<RuleRef>,
    /// The agreements the registry shows on the date (empty: none).
    pub agreements: Vec<Agreement>,
    /// What the registry was read for: `listed in ICE's participating sheet of ...`.
    pub registry_read: String,
    /// With `depends`: the facts Remit does not know, with the verdict each would give.
    pub unknowns: Vec<Unknown>,
    /// The day compliance is due, when the rule names one.
    pub deadline: Option<String>,
    /// With a deadline: whether the check's date is past it. Before its deadline an agency is
    /// not called out of compliance.
    pub past_deadline: Option<bool>,
    /// One sentence saying what was found.
    pub sentence: String,
}

/// Counts for one state (or all).
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Agencies asked about.
    pub agencies: u64,
    /// Agencies the registry shows with an agreement (or a request) on the date.
    pub with_agreement: u64,
    /// Agencies the law requires to enter an agreement, and forbids to.
    pub must: u64,
    /// Agencies the law forbids to enter an agreement.
    pub must_not: u64,
    /// Agencies the law requires to have an agreement that the registry shows without one.
    pub required_without_agreement: u64,
    /// Of those, how many are past the rule's compliance deadline.
    pub required_past_deadline: u64,
    /// Agencies the law forbids an agreement that the registry shows with one.
    pub forbidden_with_agreement: u64,
    /// Agencies whose answer turns on facts Remit does not know.
    pub depends: u64,
}

/// Which registry data a check read.
#[derive(Clone, Debug, Serialize)]
pub struct Sources {
    /// The participating sheet as of the date (`2025-07-18 pm`) and its file.
    pub sheet: Option<String>,
    /// The name of the file that sheet was imported from (its name only: the folder it was
    /// imported from is the importing machine's, and stays off published pages).
    pub sheet_file: Option<String>,
    /// The last day an MOA counted was posted (on or before the date), and the index's file.
    pub moa_posted_by: Option<String>,
    /// The name of the file the MOA index was imported from (its name only).
    pub moa_file: Option<String>,
    /// Where the agencies asked about come from.
    pub directory: String,
}

/// The check on one date.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// The date checked (ISO).
    pub as_of: String,
    /// The newest registry data (last sheet or last MOA posted).
    pub data_as_of: Option<String>,
    /// Set when `as_of` is past `data_as_of`.
    pub stale: Option<String>,
    /// Set when `as_of` is before the registry's first data: nothing can be said of agreements
    /// then, and a finding of "no agreement" means only that the registry does not reach back.
    pub before_data: Option<String>,
    /// The state checked (two-letter code), or every state.
    pub state: Option<String>,
    /// The action asked about for every agency ([`ACTION`]).
    pub action: &'static str,
    /// The counterparty asked about ([`COUNTERPARTY`]).
    pub counterparty: &'static str,
    /// The registry data read.
    pub sources: Sources,
    /// Agencies required to have an agreement that the registry shows without one.
    pub required_without_agreement: Vec<Finding>,
    /// Agencies forbidden an agreement that the registry shows with one.
    pub forbidden_with_agreement: Vec<Finding>,
    /// Agencies whose answer turns on facts Remit does not know.
    pub depends: Vec<Finding>,
    /// Counts by state (two-letter code).
    pub counts: BTreeMap<String, Counts>,
    /// Counts over every state checked.
    pub totals: Counts,
    /// Agencies the engine could not be asked about, with why (a division it cannot read).
    pub not_checked: Vec<(String, String)>,
    /// What the registry shows and does not ([`REGISTRY_NOTE`]).
    pub registry_note: &'static str,
    /// That this is not legal advice.
    pub disclaimer: &'static str,
}

/// A change of an agency's standing between two dates of the registry's history.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct StandingChange {
    /// The date of the history on which the standing changed.
    pub date: String,
    /// The previous date of the history.
    pub previous_date: String,
    /// The agency.
    pub agency: AgencyRef,
    /// `required_without_agreement`, `forbidden_with_agreement`, `depends` or `none`.
    pub from: &'static str,
    /// Its standing from `date` on, in the same words.
    pub to: &'static str,
    /// The first date of the history on which the agency had its previous standing.
    pub since: String,
    /// Days from `since` to `date`.
    pub days: i64,
    /// Why: the law changed, the registry changed, or both.
    pub cause: &'static str,
    /// One sentence saying what changed.
    pub sentence: String,
}

/// Counts on one date of the history.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryPoint {
    /// The date (ISO).
    pub date: String,
    /// Counts over every state checked on that date.
    pub totals: Counts,
}

/// The check over every date of the registry's history.
#[derive(Clone, Debug, Serialize)]
pub struct History {
    /// The state checked (two-letter code), or every state.
    pub state: Option<String>,
    /// The first date of the registry's data.
    pub first: Option<String>,
    /// The newest registry data.
    pub data_as_of: Option<String>,
    /// The counts on each date of the history.
    pub points: Vec<HistoryPoint>,
    /// Every change of an agency's standing, oldest first.
    pub changes: Vec<StandingChange>,
    /// What the registry shows and does not ([`REGISTRY_NOTE`]).
    pub registry_note: &'static str,
    /// That this is not legal advice.
    pub disclaimer: &'static str,
}

/// The standing of one agency on one date, for its page.
#[derive(Clone, Debug, Serialize)]
pub struct Standing {
    /// The date (ISO).
    pub as_of: String,
    /// The agency.
    pub agency: AgencyRef,
    /// The law's verdict (`depends` when it turns on an unknown fact).
    pub verdict: Option<Verdict>,
    /// The rules that set the verdict.
    pub rules: Vec<RuleRef>,
    /// With `depends`: the facts Remit does not know, with the verdict each would give.
    pub unknowns: Vec<Unknown>,
    /// The agreements the registry shows on the date.
    pub agreements: Vec<Agreement>,
    /// `required_without_agreement`, `forbidden_with_agreement`, `depends` or `none`.
    pub finding: &'static str,
    /// One sentence saying what was found.
    pub sentence: String,
    /// The day compliance is due, when the rule names one.
    pub deadline: Option<String>,
    /// With a deadline: whether the date is past it.
    pub past_deadline: Option<bool>,
    /// Set when the date is past the registry's newest data.
    pub stale: Option<String>,
    /// What the registry shows and does not ([`REGISTRY_NOTE`]).
    pub registry_note: &'static str,
    /// That this is not legal advice.
    pub disclaimer: &'static str,
}

/// The registry, the directory and the corpus, ready to be checked on any date.
#[expect(
    missing_debug_implementations,
    reason = "holds the engine's answers; nothing to show"
)]
pub struct Compliance<'a> {
    corpus: &'a Corpus,
    data: data::RegistryData,
    subjects: Vec<subjects::Subject>,
    /// Each subject's division index in `law`.
    divisions: Vec<usize>,
    law: law::Law<'a>,
    directory: String,
}

fn law_date(day: Day) -> Date {
    Date::parse_loose(&day.to_string(), None).unwrap_or_else(|_| Date::from_days_since_epoch(0))
}

fn registry_day(date: Date) -> Option<Day> {
    Day::parse_iso(&date.to_string())
}

/// The classification of one agency on one date.
struct Classified<'o> {
    kind: &'static str,
    verdict: Option<Verdict>,
    outcome: &'o law::Outcome,
}

fn classify<'o>(outcome: &'o law::Outcome, held: bool) -> Classified<'o> {
    let finding = |v: Verdict| (v == Verdict::Must && !held) || (v == Verdict::MustNot && held);
    let kind = match outcome.verdict {
        None => "none",
        Some(v) if outcome.unknowns.is_empty() => match v {
            Verdict::Must if !held => "required_without_agreement",
            Verdict::MustNot if held => "forbidden_with_agreement",
            _ => "none",
        },
        Some(v) if finding(v) || outcome.unknowns.iter().any(|u| finding(u.verdict)) => "depends",
        Some(_) => "none",
    };
    let verdict = match outcome.verdict {
        Some(_) if !outcome.unknowns.is_empty() => Some(Verdict::Depends),
        other => other,
    };
    Classified {
        kind,
        verdict,
        outcome,
    }
}

impl<'a> Compliance<'a> {
    /// Reads the registry from `store` and the agencies from the resolver's directory.
    /// `directory` names that directory for the report (`fbi-lee.csv`, `built-in sample`).
    pub fn load(
        corpus: &'a Corpus,
        resolver: &Resolver,
        store: &Store,
        directory: &str,
    ) -> Result<Compliance<'a>, ComplianceError> {
        let data = data::RegistryData::load(store)?;
        if data.participating.is_empty() && data.moa.is_empty() {
            return Err(ComplianceError::EmptyRegistry);
        }
        let subjects = subjects::subjects(corpus, resolver, &data);
        let mut law = law::Law::new(corpus);
        let divisions = subjects
            .iter()
            .map(|s| law.division_index(&s.division))
            .collect();
        Ok(Compliance {
            corpus,
            data,
            subjects,
            divisions,
            law,
            directory: directory.to_string(),
        })
    }

    /// The newest day of registry data.
    pub fn data_as_of(&self) -> Option<Day> {
        self.data.data_as_of()
    }

    /// How many agencies the check asks about.
    pub fn agencies(&self) -> usize {
        self.subjects.len()
    }

    fn agency_ref(&self, index: usize) -> AgencyRef {
        let s = &self.subjects[index];
        AgencyRef {
            name: s.name.clone(),
            state: s.state.clone(),
            ori: s.ori.clone(),
            kind: s.kind.clone(),
            actor: s.actor.to_string(),
            division: s.division.clone(),
            found_in: s.origin.to_string(),
            key: s.key.clone(),
        }
    }

    fn stale(&self, as_of: Day) -> Option<String> {
        let newest = self.data.data_as_of()?;
        (as_of > newest).then(|| {
            format!(
                "stale: the newest registry data is of {newest}, before {as_of}; agreements made or ended since are not seen"
            )
        })
    }

    /// What "no agreement" was read from on a date.
    fn registry_read(&self, as_of: Day) -> String {
        let sheet = self.data.sheet_as_of(as_of).map_or_else(
            || "no ICE sheet as of then".to_string(),
            |s| format!("ICE's participating and pending sheets as of {}", s.time),
        );
        if self.data.moa.is_empty() {
            sheet
        } else {
            format!("{sheet} and the MOA documents posted by {as_of}")
        }
    }

    fn classify_one(&mut self, index: usize, as_of: Day) -> (Vec<Agreement>, Classified<'_>) {
        let subject = &self.subjects[index];
        let evidence = self.data.evidence(&subject.sheet, &subject.moa, as_of);
        let signed = evidence.iter().any(Agreement::signed_agreement);
        let held = !evidence.is_empty();
        let outcome = self.law.outcome(
            self.divisions[index],
            subject.actor,
            signed,
            law_date(as_of),
        );
        (evidence, classify(outcome, held))
    }

    fn sentence(
        &self,
        index: usize,
        kind: &str,
        as_of: Day,
        outcome: &law::Outcome,
        evidence: &[Agreement],
        deadline: Option<(String, bool)>,
    ) -> String {
        let name = &self.subjects[index].name;
        let cite = |rules: &[RuleRef]| {
            rules
                .iter()
                .map(|r| r.citation.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        };
        match kind {
            "required_without_agreement" => {
                let due = match deadline {
                    Some((day, true)) => format!(" Compliance was due by {day}."),
                    Some((day, false)) => {
                        format!(" Compliance is due by {day}, which had not come on {as_of}.")
                    }
                    None => String::new(),
                };
                format!(
                    "On {as_of} the law required {name} to request and enter a 287(g) agreement with ICE ({}); the registry shows none ({}).{due}",
                    cite(&outcome.rules),
                    self.registry_read(as_of)
                )
            }
            "forbidden_with_agreement" => format!(
                "On {as_of} the law forbade {name} to request, sign or keep a 287(g) agreement with ICE ({}); the registry shows one: {}.",
                cite(&outcome.rules),
                evidence
                    .iter()
                    .map(|a| format!("{}, {}", a.model, a.seen))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            "depends" => {
                let unknown: Vec<String> = outcome
                    .unknowns
                    .iter()
                    .map(|u| format!("{} if {}", u.verdict.words(), u.condition))
                    .collect();
                let held = if evidence.is_empty() {
                    "The registry shows no agreement".to_string()
                } else {
                    "The registry shows an agreement".to_string()
                };
                format!(
                    "On {as_of} the law on {name}'s 287(g) agreement turns on a fact Remit does not know for it: {}; otherwise {}. {held}.",
                    unknown.join("; "),
                    outcome.verdict.map_or("no answer", Verdict::words)
                )
            }
            _ => {
                let registry = if evidence.is_empty() {
                    "the registry shows none".to_string()
                } else {
                    format!(
                        "the registry shows one ({})",
                        evidence
                            .iter()
                            .map(|a| format!("{}, {}", a.model, a.seen))
                            .collect::<Vec<_>>()
                            .join("; ")
                    )
                };
                let law = match outcome.verdict {
                    Some(Verdict::Must) => format!(
                        "the law required {name} to request and enter a 287(g) agreement with ICE"
                    ),
                    Some(Verdict::MustNot) => {
                        format!("the law forbade {name} a 287(g) agreement with ICE")
                    }
                    Some(Verdict::May) => format!(
                        "the law allowed {name} a 287(g) agreement with ICE without requiring one"
                    ),
                    Some(Verdict::Conflict) => format!(
                        "rules that cannot both be obeyed applied to {name}'s 287(g) agreement"
                    ),
                    Some(Verdict::Depends) => format!(
                        "the law on {name}'s 287(g) agreement turned on a fact Remit does not know, which would not change this"
                    ),
                    Some(Verdict::NoRule) => format!(
                        "no rule in the corpus answered whether {name} may hold a 287(g) agreement"
                    ),
                    None => return format!("{name} could not be checked."),
                };
                format!("On {as_of} {law}, and {registry}: nothing to report.")
            }
        }
    }

    /// The deadline of a finding's rules, and whether `as_of` is past it.
    fn deadline(rules: &[RuleRef], as_of: Day) -> Option<(String, bool)> {
        let day = rules
            .iter()
            .filter_map(|r| r.deadline.as_deref())
            .filter_map(Day::parse_iso)
            .max()?;
        Some((day.to_string(), as_of > day))
    }

    /// The check on one date, for every state or one.
    pub fn check(&mut self, as_of: Day, state: Option<&str>) -> Check {
        let state = state.map(str::to_ascii_uppercase);
        let mut check = Check {
            as_of: as_of.to_string(),
            data_as_of: self.data.data_as_of().map(|d| d.to_string()),
            stale: self.stale(as_of),
            before_data: self
                .data
                .first_day()
                .filter(|&first| as_of < first)
                .map(|first| format!("before the registry's first data ({first}): the registry cannot show an agreement then")),
            state: state.clone(),
            action: ACTION,
            counterparty: COUNTERPARTY,
            sources: Sources {
                sheet: self.data.sheet_as_of(as_of).map(|s| s.time.to_string()),
                sheet_file: self.data.sheet_as_of(as_of).map(|s| file_name(&s.file)),
                moa_posted_by: self
                    .data
                    .moa
                    .iter()
                    .flat_map(|a| a.documents.iter().map(|d| d.posted))
                    .filter(|&d| d <= as_of)
                    .max()
                    .map(|d| d.to_string()),
                moa_file: self.data.moa_file.as_deref().map(file_name),
                directory: self.directory.clone(),
            },
            required_without_agreement: Vec::new(),
            forbidden_with_agreement: Vec::new(),
            depends: Vec::new(),
            counts: BTreeMap::new(),
            totals: Counts::default(),
            not_checked: Vec::new(),
            registry_note: REGISTRY_NOTE,
            disclaimer: DISCLAIMER,
        };
        for index in 0..self.subjects.len() {
            if state
                .as_deref()
                .is_some_and(|s| s != self.subjects[index].state)
            {
                continue;
            }
            let (evidence, classified) = self.classify_one(index, as_of);
            let kind = classified.kind;
            let verdict = classified.verdict;
            let outcome = classified.outcome.clone();
            if let Some(error) = &outcome.error {
                check
                    .not_checked
                    .push((self.subjects[index].name.clone(), error.clone()));
                continue;
            }
            let deadline = Self::deadline(&outcome.rules, as_of);
            let counts = check
                .counts
                .entry(self.subjects[index].state.clone())
                .or_default();
            counts.agencies += 1;
            counts.with_agreement += u64::from(!evidence.is_empty());
            counts.must += u64::from(verdict == Some(Verdict::Must));
            counts.must_not += u64::from(verdict == Some(Verdict::MustNot));
            match kind {
                "required_without_agreement" => {
                    counts.required_without_agreement += 1;
                    counts.required_past_deadline +=
                        u64::from(deadline.as_ref().is_some_and(|d| d.1));
                }
                "forbidden_with_agreement" => counts.forbidden_with_agreement += 1,
                "depends" => counts.depends += 1,
                _ => continue,
            }
            let sentence = self.sentence(index, kind, as_of, &outcome, &evidence, deadline.clone());
            let finding = Finding {
                agency: self.agency_ref(index),
                verdict: verdict.unwrap_or(Verdict::NoRule),
                rules: outcome.rules.clone(),
                agreements: evidence,
                registry_read: self.registry_read(as_of),
                unknowns: outcome.unknowns.clone(),
                deadline: deadline.as_ref().map(|d| d.0.clone()),
                past_deadline: deadline.map(|d| d.1),
                sentence,
            };
            match kind {
                "required_without_agreement" => check.required_without_agreement.push(finding),
                "forbidden_with_agreement" => check.forbidden_with_agreement.push(finding),
                _ => check.depends.push(finding),
            }
        }
        for list in [
            &mut check.required_without_agreement,
            &mut check.forbidden_with_agreement,
            &mut check.depends,
        ] {
            list.sort_by(|a, b| {
                (&a.agency.state, &a.agency.name).cmp(&(&b.agency.state, &b.agency.name))
            });
        }
        for counts in check.counts.values() {
            add(&mut check.totals, counts);
        }
        check
    }

    /// The standing of the agency that the law binds as `actor` in `division` (the sheriff of a
    /// county), on a date; `None` when the check knows no such agency.
    pub fn standing_in(&mut self, division: &str, actor: &str, as_of: Day) -> Option<Standing> {
        let index = self
            .subjects
            .iter()
            .position(|s| s.division == division && s.actor == actor)?;
        Some(self.standing_of(index, as_of))
    }

    /// The standing of the agency with this ORI (or, without one, this name in this state) on a
    /// date; `None` when the check does not know the agency.
    pub fn standing(
        &mut self,
        ori: Option<&str>,
        name: &str,
        state: &str,
        as_of: Day,
    ) -> Option<Standing> {
        let key = remit_registry::agency_key(name, Some(state));
        let index = self.subjects.iter().position(|s| {
            (ori.is_some() && s.ori.as_deref() == ori)
                || (s.state == state && remit_registry::agency_key(&s.name, Some(state)) == key)
        })?;
        Some(self.standing_of(index, as_of))
    }

    fn standing_of(&mut self, index: usize, as_of: Day) -> Standing {
        let stale = self.stale(as_of);
        let (evidence, classified) = self.classify_one(index, as_of);
        let kind = classified.kind;
        let verdict = classified.verdict;
        let outcome = classified.outcome.clone();
        let deadline = Self::deadline(&outcome.rules, as_of);
        let sentence = self.sentence(index, kind, as_of, &outcome, &evidence, deadline.clone());
        Standing {
            as_of: as_of.to_string(),
            agency: self.agency_ref(index),
            verdict,
            rules: outcome.rules.clone(),
            unknowns: outcome.unknowns.clone(),
            agreements: evidence,
            finding: kind,
            sentence,
            deadline: deadline.as_ref().map(|d| d.0.clone()),
            past_deadline: deadline.map(|d| d.1),
            stale,
            registry_note: REGISTRY_NOTE,
            disclaimer: DISCLAIMER,
        }
    }

    /// The dates of the history: every day the registry's data changes, and every day the law
    /// changes between the first and the newest registry data.
    pub fn history_days(&self) -> Vec<Day> {
        let start = self.data.first_day();
        let mut days: std::collections::BTreeSet<Day> = self
            .data
            .days()
            .into_iter()
            .filter(|&d| start.is_some_and(|s| d >= s))
            .collect();
        if let (Some(&first), Some(last)) = (days.first(), self.data.data_as_of()) {
            for &date in self.law.change_days() {
                if let Some(day) = registry_day(date)
                    && day > first
                    && day <= last
                {
                    days.insert(day);
                }
            }
        }
        days.into_iter().collect()
    }

    /// The check on every date of the history: counts per date and each agency's changes of
    /// standing, with how long it had stood before.
    pub fn history(&mut self, state: Option<&str>) -> History {
        let state = state.map(str::to_ascii_uppercase);
        let days = self.history_days();
        let mut points = Vec::new();
        let mut changes = Vec::new();
        // Per subject: its standing, the first day it had it, the law's verdict and whether the
        // registry showed an agreement.
        let mut standing: Vec<Option<Stood>> = vec![None; self.subjects.len()];
        let mut previous: Option<Day> = None;
        for &day in &days {
            let mut totals = Counts::default();
            for (index, stood) in standing.iter_mut().enumerate() {
                if state
                    .as_deref()
                    .is_some_and(|s| s != self.subjects[index].state)
                {
                    continue;
                }
                let (evidence, classified) = self.classify_one(index, day);
                let kind = classified.kind;
                let verdict = classified.verdict;
                let outcome = classified.outcome.clone();
                let held = !evidence.is_empty();
                let deadline = Self::deadline(&outcome.rules, day);
                totals.agencies += 1;
                totals.with_agreement += u64::from(held);
                totals.must += u64::from(verdict == Some(Verdict::Must));
                totals.must_not += u64::from(verdict == Some(Verdict::MustNot));
                match kind {
                    "required_without_agreement" => {
                        totals.required_without_agreement += 1;
                        totals.required_past_deadline +=
                            u64::from(deadline.as_ref().is_some_and(|d| d.1));
                    }
                    "forbidden_with_agreement" => totals.forbidden_with_agreement += 1,
                    "depends" => totals.depends += 1,
                    _ => {}
                }
                let current = Stood {
                    kind,
                    since: day,
                    verdict,
                    held,
                };
                let Some(Stood {
                    kind: was,
                    since,
                    verdict: was_verdict,
                    held: was_held,
                }) = *stood
                else {
                    *stood = Some(current);
                    continue;
                };
                if was == kind {
                    *stood = Some(Stood { since, ..current });
                    continue;
                }
                let Some(before) = previous else { continue };
                let cause = match (was_verdict != verdict, was_held != held) {
                    (true, true) => "law_and_registry",
                    (true, false) => "law",
                    _ => "registry",
                };
                let days_between =
                    law_date(day).days_since_epoch() - law_date(since).days_since_epoch();
                let sentence = format!(
                    "{} ({}): {} since {since}; {} from {day}, after {days_between} day{}. {}",
                    self.subjects[index].name,
                    self.subjects[index].state,
                    words(was),
                    words(kind),
                    if days_between == 1 { "" } else { "s" },
                    self.sentence(index, kind, day, &outcome, &evidence, deadline)
                );
                changes.push(StandingChange {
                    date: day.to_string(),
                    previous_date: before.to_string(),
                    agency: self.agency_ref(index),
                    from: was,
                    to: kind,
                    since: since.to_string(),
                    days: days_between,
                    cause,
                    sentence,
                });
                *stood = Some(current);
            }
            points.push(HistoryPoint {
                date: day.to_string(),
                totals,
            });
            previous = Some(day);
        }
        History {
            state,
            first: days.first().map(ToString::to_string),
            data_as_of: self.data.data_as_of().map(|d| d.to_string()),
            points,
            changes,
            registry_note: REGISTRY_NOTE,
            disclaimer: DISCLAIMER,
        }
    }

    /// The corpus the check asks.
    pub fn corpus(&self) -> &Corpus {
        self.corpus
    }
}

/// An agency's standing in a history: what it was, since when, the law's verdict and whether
/// the registry showed an agreement.
#[derive(Clone, Copy, Debug)]
struct Stood {
    kind: &'static str,
    since: Day,
    verdict: Option<Verdict>,
    held: bool,
}

/// A standing in words.
pub fn words(kind: &str) -> &'static str {
    match kind {
        "required_without_agreement" => "required to enter an agreement, and without one",
        "forbidden_with_agreement" => "forbidden an agreement, and holding one",
        "depends" => "turning on a fact Remit does not know",
        _ => "nothing to report",
    }
}

fn add(total: &mut Counts, counts: &Counts) {
    total.agencies += counts.agencies;
    total.with_agreement += counts.with_agreement;
    total.must += counts.must;
    total.must_not += counts.must_not;
    total.required_without_agreement += counts.required_without_agreement;
    total.required_past_deadline += counts.required_past_deadline;
    total.forbidden_with_agreement += counts.forbidden_with_agreement;
    total.depends += counts.depends;
}

/// The last component of an imported file's path as the store recorded it, with either
/// separator (`/tmp/x/participatingAgencies07182025pm.csv` gives
/// `participatingAgencies07182025pm.csv`).
pub(crate) fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

#[cfg(test)]
mod file_name_tests {
    use super::file_name;

    #[test]
    fn only_the_name_of_an_imported_file_is_shown() {
        assert_eq!(
            file_name("/tmp/remit-demo-1/287g/participatingAgencies07182025pm.csv"),
            "participatingAgencies07182025pm.csv"
        );
        assert_eq!(file_name("C:\\data\\moa.xlsx"), "moa.xlsx");
        assert_eq!(file_name("sheet.xlsx"), "sheet.xlsx");
    }
}
