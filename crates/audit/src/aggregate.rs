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
    pub searches: u64,
    pub findings: u64,
    pub forbidden: u64,
    pub by_category: [u64; Category::COUNT],
    pub first: Option<i64>,
    pub last: Option<i64>,
}

/// Counters over a stream of events.
#[derive(Clone, Debug, Default)]
pub struct Aggregates {
    pub events: u64,
    pub rejected: u64,
    pub findings: u64,
    pub by_category: [u64; Category::COUNT],
    pub by_flag: [u64; Flag::COUNT],
    pub own_searches: u64,
    pub not_asked: u64,
    /// Per decision id.
    pub by_decision: Vec<u64>,
    /// Per searcher id.
    pub by_searcher: Vec<SearcherCounts>,
    /// Per month since January 1990.
    pub by_month: Vec<u64>,
    pub first: Option<i64>,
    pub last: Option<i64>,
    pub max_devices: u32,
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
    pub name: String,
    pub input: String,
    pub ori: Option<String>,
    pub state: Option<String>,
    pub actor: String,
    pub confidence: f32,
}

/// One searcher in the summary.
#[derive(Clone, Debug, Serialize)]
pub struct SearcherSummary {
    /// The searcher's id in this run (findings in the store refer to it).
    pub id: u32,
    pub name: String,
    pub input: String,
    pub ori: Option<String>,
    pub state: Option<String>,
    pub class: &'static str,
    pub counterparty: Option<String>,
    pub own: bool,
    pub searches: u64,
    pub findings: u64,
    pub forbidden: u64,
    pub first: Option<String>,
    pub last: Option<String>,
    pub by_category: BTreeMap<&'static str, u64>,
}

/// A law question asked during the run, grouped over the dates with the same answer.
#[derive(Clone, Debug, Serialize)]
pub struct DecisionSummary {
    pub action: &'static str,
    pub counterparty: String,
    pub purpose: String,
    pub from: String,
    pub until: String,
    pub verdict: &'static str,
    pub searches: u64,
    pub determining: Vec<crate::process::CitedRule>,
    pub error: Option<String>,
}

/// The period covered.
#[derive(Clone, Debug, Serialize)]
pub struct Period {
    pub first: Option<String>,
    pub last: Option<String>,
}

/// The summary object (`summary.json`, `remit audit --json`).
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub remit_version: &'static str,
    pub corpus_version: String,
    pub classifier_version: String,
    pub owner: Option<OwnerSummary>,
    pub files: Vec<FileInfo>,
    pub events: u64,
    pub rejected: u64,
    pub findings: u64,
    pub period: Period,
    pub by_category: BTreeMap<&'static str, u64>,
    pub by_searcher_class: BTreeMap<&'static str, u64>,
    pub by_searcher_state: BTreeMap<String, u64>,
    pub by_verdict: BTreeMap<&'static str, u64>,
    pub by_flag: BTreeMap<&'static str, u64>,
    pub by_month: BTreeMap<String, u64>,
    pub top_searchers: Vec<SearcherSummary>,
    /// Every searcher, most searches first (for the store; the JSON shows the top ones).
    #[serde(skip)]
    pub all_searchers: Vec<SearcherSummary>,
    pub searchers: usize,
    pub distinct_reasons: usize,
    pub decisions: Vec<DecisionSummary>,
    pub max_devices_searched: u32,
    pub max_networks_searched: u32,
    pub redacted: bool,
    pub disclaimer: &'static str,
}

/// How many searchers the summary lists.
pub const TOP_SEARCHERS: usize = 25;

impl Summary {
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
