//! Counting: the aggregates every output is built from, and the summary object.
//!
//! Workers count into their own [`Aggregates`] and the pipeline merges them, so counting needs
//! no locks. Everything that needs names (states, classes, verdicts) is derived from the ids at
//! the end, in [`Summary::build`].

use std::collections::BTreeMap;

use serde::Serialize;

use crate::classify::Category;
use crate::event::{Event, Flag, Outcome};
use crate::party::PartyClass;
use crate::process::{FileInfo, Tables};
use crate::time::format_utc;

/// Months are counted from January 1990 (earlier dates are rejected by the time parser).
const FIRST_YEAR: i32 = 1990;

/// Counts for one searcher.
#[derive(Clone, Debug, Default)]
pub struct SearcherCounts {
    /// Searches the searcher ran.
    pub searches: u64,
    /// Of those, searches written out as findings.
    pub findings: u64,
    /// Of those, searches flagged as sharing the law forbids.
    pub forbidden: u64,
    /// Searches per reason category, indexed by [`Category::index`].
    pub by_category: [u64; Category::COUNT],
    /// The searcher's earliest search, seconds since 1970 UTC (`None` before any).
    pub first: Option<i64>,
    /// The searcher's latest search, seconds since 1970 UTC (`None` before any).
    pub last: Option<i64>,
}

/// Counters over a stream of events.
#[derive(Clone, Debug, Default)]
pub struct Aggregates {
    /// Searches counted.
    pub events: u64,
    /// Rows that could not be read as a search.
    pub rejected: u64,
    /// Searches written out as findings.
    pub findings: u64,
    /// Searches per reason category, indexed by [`Category::index`].
    pub by_category: [u64; Category::COUNT],
    /// Searches carrying each flag, indexed by the flag's number.
    pub by_flag: [u64; Flag::COUNT],
    /// Searches by the data owner's own users (no sharing, no law question).
    pub own_searches: u64,
    /// Searches whose law question could not be asked (searcher or owner not placed).
    pub not_asked: u64,
    /// Per decision id.
    pub by_decision: Vec<u64>,
    /// Per searcher id.
    pub by_searcher: Vec<SearcherCounts>,
    /// Per month since January 1990.
    pub by_month: Vec<u64>,
    /// The earliest search, seconds since 1970 UTC (`None` before any).
    pub first: Option<i64>,
    /// The latest search, seconds since 1970 UTC (`None` before any).
    pub last: Option<i64>,
    /// The most devices (cameras) one search covered, where the log says.
    pub max_devices: u32,
    /// The most networks one search covered, where the log says.
    pub max_networks: u32,
    /// The last day counted and its month index (rows come in time order, so this saves the
    /// calendar arithmetic on almost every row).
    last_day: Option<(i64, usize)>,
}

fn month_index(time: i64) -> usize {
    let (year, month) = crate::time::year_month(time.div_euclid(86_400));
    ((year - FIRST_YEAR).max(0) as usize) * 12 + usize::from(month) - 1
}

fn grow<T: Default + Clone>(vector: &mut Vec<T>, index: usize) -> &mut T {
    if vector.len() <= index {
        vector.resize(index + 1, T::default());
    }
    &mut vector[index]
}

impl Aggregates {
    /// Counts one event. `finding` says whether it is written out as a finding.
    pub fn count(&mut self, event: &Event<'_>, finding: bool) {
        self.events += 1;
        self.by_category[event.category.index()] += 1;
        let mut flags = event.flags.0;
        while flags != 0 {
            let bit = flags.trailing_zeros() as usize;
            self.by_flag[bit] += 1;
            flags &= flags - 1;
        }
        match event.outcome {
            Outcome::Decided(id) => *grow(&mut self.by_decision, id as usize) += 1,
            Outcome::OwnSearch => self.own_searches += 1,
            Outcome::NotAsked => self.not_asked += 1,
        }
        if finding {
            self.findings += 1;
        }
        let searcher = grow(&mut self.by_searcher, event.searcher as usize);
        searcher.searches += 1;
        searcher.by_category[event.category.index()] += 1;
        if finding {
            searcher.findings += 1;
        }
        if event.flags.contains(Flag::ForbiddenSharing) {
            searcher.forbidden += 1;
        }
        searcher.first = Some(searcher.first.map_or(event.time, |t| t.min(event.time)));
        searcher.last = Some(searcher.last.map_or(event.time, |t| t.max(event.time)));
        let day = event.time.div_euclid(86_400);
        let month = match self.last_day {
            Some((known, month)) if known == day => month,
            _ => {
                let month = month_index(event.time);
                self.last_day = Some((day, month));
                month
            }
        };
        *grow(&mut self.by_month, month) += 1;
        self.first = Some(self.first.map_or(event.time, |t| t.min(event.time)));
        self.last = Some(self.last.map_or(event.time, |t| t.max(event.time)));
        if let Some(devices) = event.devices {
            self.max_devices = self.max_devices.max(devices);
        }
        if let Some(networks) = event.networks {
            self.max_networks = self.max_networks.max(networks);
        }
    }

    /// Renumbers searchers and decisions: `searchers[old]` is a searcher's new id (every
    /// counted id must have one), and likewise `decisions`.
    pub fn renumber(&mut self, searchers: &[u32], decisions: &[u32]) {
        let mut by_searcher: Vec<SearcherCounts> = Vec::new();
        for (old, counts) in std::mem::take(&mut self.by_searcher)
            .into_iter()
            .enumerate()
        {
            if counts.searches > 0
                && let Some(&new) = searchers.get(old)
            {
                *grow(&mut by_searcher, new as usize) = counts;
            }
        }
        self.by_searcher = by_searcher;
        let mut by_decision: Vec<u64> = Vec::new();
        for (old, n) in std::mem::take(&mut self.by_decision)
            .into_iter()
            .enumerate()
        {
            if n > 0
                && let Some(&new) = decisions.get(old)
            {
                *grow(&mut by_decision, new as usize) += n;
            }
        }
        self.by_decision = by_decision;
    }

    /// Adds another worker's counts.
    pub fn merge(&mut self, other: &Aggregates) {
        self.events += other.events;
        self.rejected += other.rejected;
        self.findings += other.findings;
        for (a, b) in self.by_category.iter_mut().zip(&other.by_category) {
            *a += b;
        }
        for (a, b) in self.by_flag.iter_mut().zip(&other.by_flag) {
            *a += b;
        }
        self.own_searches += other.own_searches;
        self.not_asked += other.not_asked;
        for (i, n) in other.by_decision.iter().enumerate() {
            *grow(&mut self.by_decision, i) += n;
        }
        for (i, counts) in other.by_searcher.iter().enumerate() {
            let mine = grow(&mut self.by_searcher, i);
            mine.searches += counts.searches;
            mine.findings += counts.findings;
            mine.forbidden += counts.forbidden;
            for (a, b) in mine.by_category.iter_mut().zip(&counts.by_category) {
                *a += b;
            }
            mine.first = min_option(mine.first, counts.first);
            mine.last = max_option(mine.last, counts.last);
        }
        for (i, n) in other.by_month.iter().enumerate() {
            *grow(&mut self.by_month, i) += n;
        }
        self.first = min_option(self.first, other.first);
        self.last = max_option(self.last, other.last);
        self.max_devices = self.max_devices.max(other.max_devices);
        self.max_networks = self.max_networks.max(other.max_networks);
    }
}

fn min_option(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_option(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// The data's owner as the summary shows it.
#[derive(Clone, Debug, Serialize)]
pub struct OwnerSummary {
    /// The directory's name for the owner (or the input, cleaned, when unresolved).
    pub name: String,
    /// The owner's name as given.
    pub input: String,
    /// The owner's FBI identifier (ORI), when the directory resolved it.
    pub ori: Option<String>,
    /// The owner's two-letter state code, when known.
    pub state: Option<String>,
    /// The vocabulary actor the law question uses for the owner (`local_police`, `sheriff`, ...).
    pub actor: String,
    /// How sure the owner's resolution is, from 0 to 1.
    pub confidence: f32,
}

/// One searcher in the summary.
#[derive(Clone, Debug, Serialize)]
pub struct SearcherSummary {
    /// The searcher's id in this run (findings in the store refer to it).
    pub id: u32,
    /// The directory's name for the searcher (or the input, cleaned, when unresolved).
    pub name: String,
    /// The searcher's name as the log wrote it.
    pub input: String,
    /// The searcher's FBI identifier (ORI), when the directory resolved it.
    pub ori: Option<String>,
    /// The searcher's two-letter state code, when known.
    pub state: Option<String>,
    /// `own`, `local`, `state`, `federal`, `private` or `unknown`.
    pub class: &'static str,
    /// The counterparty word the law question uses (`None` when the searcher could not be placed).
    pub counterparty: Option<String>,
    /// Whether the searcher is the owner's own users (no sharing happened).
    pub own: bool,
    /// Searches the searcher ran.
    pub searches: u64,
    /// Of those, searches written out as findings.
    pub findings: u64,
    /// Of those, searches flagged as sharing the law forbids.
    pub forbidden: u64,
    /// The searcher's earliest search, `YYYY-MM-DDTHH:MM:SSZ`.
    pub first: Option<String>,
    /// The searcher's latest search, `YYYY-MM-DDTHH:MM:SSZ`.
    pub last: Option<String>,
    /// Searches per reason category name (categories without searches left out).
    pub by_category: BTreeMap<&'static str, u64>,
}

/// A law question asked during the run, grouped over the dates with the same answer.
#[derive(Clone, Debug, Serialize)]
pub struct DecisionSummary {
    /// The action asked about (sharing plate-reader data).
    pub action: &'static str,
    /// Who received the data, as a vocabulary counterparty word.
    pub counterparty: String,
    /// The purpose asked about, a vocabulary purpose word read from the search's reason.
    pub purpose: String,
    /// The first search day with this answer, `YYYY-MM-DD`.
    pub from: String,
    /// The last search day with this answer, `YYYY-MM-DD`.
    pub until: String,
    /// The law's answer, or `not_asked` when the question could not be asked.
    pub verdict: &'static str,
    /// Searches this answer covers.
    pub searches: u64,
    /// The rules that decided the answer.
    pub determining: Vec<crate::process::CitedRule>,
    /// Why the question could not be asked (`None` when it was).
    pub error: Option<String>,
}

/// The period covered.
#[derive(Clone, Debug, Serialize)]
pub struct Period {
    /// The earliest search, `YYYY-MM-DDTHH:MM:SSZ` (`None` without searches).
    pub first: Option<String>,
    /// The latest search, `YYYY-MM-DDTHH:MM:SSZ` (`None` without searches).
    pub last: Option<String>,
}

/// The summary object (`summary.json`, `remit audit --json`).
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// The version of Remit that ran the audit.
    pub remit_version: &'static str,
    /// The rules corpus version the law questions were answered from.
    pub corpus_version: String,
    /// The reason classifier's version.
    pub classifier_version: String,
    /// The data's owner (`None` when not given or not known).
    pub owner: Option<OwnerSummary>,
    /// The input files, in the order given.
    pub files: Vec<FileInfo>,
    /// Searches counted.
    pub events: u64,
    /// Rows that could not be read as a search.
    pub rejected: u64,
    /// Searches written out as findings.
    pub findings: u64,
    /// The first and last search.
    pub period: Period,
    /// Searches per reason category name.
    pub by_category: BTreeMap<&'static str, u64>,
    /// Searches per searcher class (`own`, `local`, `state`, `federal`, ...).
    pub by_searcher_class: BTreeMap<&'static str, u64>,
    /// Searches per searcher state code (`federal` or `unknown` when there is none).
    pub by_searcher_state: BTreeMap<String, u64>,
    /// Searches per law answer, plus `own_search` and `not_asked`.
    pub by_verdict: BTreeMap<&'static str, u64>,
    /// Searches per flag name.
    pub by_flag: BTreeMap<&'static str, u64>,
    /// Searches per month, `YYYY-MM`.
    pub by_month: BTreeMap<String, u64>,
    /// The searchers with the most searches (at most [`TOP_SEARCHERS`]).
    pub top_searchers: Vec<SearcherSummary>,
    /// Every searcher, most searches first (for the store; the JSON shows the top ones).
    #[serde(skip)]
    pub all_searchers: Vec<SearcherSummary>,
    /// How many distinct searchers ran a search.
    pub searchers: usize,
    /// How many distinct reason shapes the run met.
    pub distinct_reasons: usize,
    /// The law questions asked, grouped over dates with the same answer, most searches first.
    pub decisions: Vec<DecisionSummary>,
    /// The most devices (cameras) one search covered, where the log says (0 otherwise).
    pub max_devices_searched: u32,
    /// The most networks one search covered, where the log says (0 otherwise).
    pub max_networks_searched: u32,
    /// Whether officer names and plate numbers are masked in the outputs.
    pub redacted: bool,
    /// The statement that the output is not legal advice.
    pub disclaimer: &'static str,
}

/// How many searchers the summary lists.
pub const TOP_SEARCHERS: usize = 25;

impl Summary {
    /// Builds the summary from the merged counts and the run's tables: names for ids, searchers
    /// sorted by searches, decisions grouped over dates with the same answer.
    pub fn build(
        aggregates: &Aggregates,
        tables: &Tables,
        corpus_version: &str,
        classifier_version: &str,
        redacted: bool,
    ) -> Summary {
        let owner = tables
            .searchers
            .first()
            .filter(|s| s.own)
            .map(|s| OwnerSummary {
                name: s.party.name.clone(),
                input: s.party.input.clone(),
                ori: s.party.ori.clone(),
                state: s.party.state.clone(),
                actor: s.party.actor().to_string(),
                confidence: s.party.confidence,
            });
        let by_category = Category::ALL
            .iter()
            .map(|c| (c.name(), aggregates.by_category[c.index()]))
            .collect();
        let by_flag = Flag::ALL
            .iter()
            .map(|f| (f.name(), aggregates.by_flag[*f as usize]))
            .collect();

        let mut by_searcher_class: BTreeMap<&'static str, u64> = BTreeMap::new();
        let mut by_searcher_state: BTreeMap<String, u64> = BTreeMap::new();
        let mut searchers: Vec<SearcherSummary> = Vec::new();
        for (id, counts) in aggregates.by_searcher.iter().enumerate() {
            if counts.searches == 0 {
                continue;
            }
            let Some(info) = tables.searchers.get(id) else {
                continue;
            };
            let class = if info.own {
                "own"
            } else {
                info.party.class.name()
            };
            *by_searcher_class.entry(class).or_default() += counts.searches;
            let state = info
                .party
                .state
                .clone()
                .unwrap_or_else(|| "unknown".to_string());
            let state = if info.party.class == PartyClass::Federal && info.party.state.is_none() {
                "federal".to_string()
            } else {
                state
            };
            *by_searcher_state.entry(state).or_default() += counts.searches;
            searchers.push(SearcherSummary {
                id: id as u32,
                name: info.party.name.clone(),
                input: info.party.input.clone(),
                ori: info.party.ori.clone(),
                state: info.party.state.clone(),
                class,
                counterparty: info.counterparty.clone(),
                own: info.own,
                searches: counts.searches,
                findings: counts.findings,
                forbidden: counts.forbidden,
                first: counts.first.map(format_utc),
                last: counts.last.map(format_utc),
                by_category: Category::ALL
                    .iter()
                    .filter(|c| counts.by_category[c.index()] > 0)
                    .map(|c| (c.name(), counts.by_category[c.index()]))
                    .collect(),
            });
        }
        let searcher_count = searchers.len();
        searchers.sort_by(|a, b| b.searches.cmp(&a.searches).then(a.name.cmp(&b.name)));
        let all_searchers = searchers.clone();
        searchers.truncate(TOP_SEARCHERS);

        let mut by_verdict: BTreeMap<&'static str, u64> = BTreeMap::new();
        for verdict in remit_law::Verdict::ALL {
            by_verdict.insert(verdict.name(), 0);
        }
        by_verdict.insert("own_search", aggregates.own_searches);
        by_verdict.insert("not_asked", aggregates.not_asked);
        // Group decisions that differ only by date into runs of dates with the same answer.
        let mut groups: BTreeMap<(String, String, &'static str, String), DecisionSummary> =
            BTreeMap::new();
        for (id, &searches) in aggregates.by_decision.iter().enumerate() {
            if searches == 0 {
                continue;
            }
            let Some(decision) = tables.decisions.get(id) else {
                continue;
            };
            let verdict = decision.verdict_name();
            *by_verdict.entry(verdict).or_default() += searches;
            let key = (
                decision.counterparty.clone(),
                decision.purpose.clone(),
                verdict,
                decision.citations_text(),
            );
            let group = groups.entry(key).or_insert_with(|| DecisionSummary {
                action: decision.action,
                counterparty: decision.counterparty.clone(),
                purpose: decision.purpose.clone(),
                from: decision.date.clone(),
                until: decision.date.clone(),
                verdict,
                searches: 0,
                determining: decision.determining.clone(),
                error: decision.error.clone(),
            });
            group.searches += searches;
            if decision.date < group.from {
                group.from = decision.date.clone();
            }
            if decision.date > group.until {
                group.until = decision.date.clone();
            }
        }
        let mut decisions: Vec<DecisionSummary> = groups.into_values().collect();
        decisions.sort_by_key(|d| std::cmp::Reverse(d.searches));

        let by_month = aggregates
            .by_month
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| {
                let year = FIRST_YEAR + (i / 12) as i32;
                (format!("{year}-{:02}", i % 12 + 1), *n)
            })
            .collect();

        Summary {
            remit_version: env!("CARGO_PKG_VERSION"),
            corpus_version: corpus_version.to_string(),
            classifier_version: classifier_version.to_string(),
            owner,
            files: tables.files.clone(),
            events: aggregates.events,
            rejected: aggregates.rejected,
            findings: aggregates.findings,
            period: Period {
                first: aggregates.first.map(format_utc),
                last: aggregates.last.map(format_utc),
            },
            by_category,
            by_searcher_class,
            by_searcher_state,
            by_verdict,
            by_flag,
            by_month,
            top_searchers: searchers,
            all_searchers,
            searchers: searcher_count,
            distinct_reasons: tables.reasons.len(),
            decisions,
            max_devices_searched: aggregates.max_devices,
            max_networks_searched: aggregates.max_networks,
            redacted,
            disclaimer: remit_law::DISCLAIMER,
        }
    }
}
