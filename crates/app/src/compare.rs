//! Authorised against actual: an owner's sharing list beside the audit of who searched its data.
//!
//! It lives here, not in remit-sharing, because it is the one piece of work that needs both the
//! sharing lists and the audit pipeline: the two crates stay siblings that know nothing of each
//! other. The audit is read by `remit-audit`'s pipeline (every layout it knows, its timestamps, its
//! reason classifier); a sink here counts each searcher's searches and those whose reasons name
//! immigration work. Each searcher is then resolved as the sharing lists' recipients are and
//! looked up among the recipients of the owner's current lists:
//!
//! - **back door**: searchers that are not on the owner's list (they reached the data through a
//!   network-wide lookup or another grant the list does not show);
//! - **side door**: searchers in the owner's own state (sharing with them is allowed) whose
//!   reasons name federal immigration work, that is, searching on an immigration agency's
//!   behalf;
//! - **federal searchers**: federal agencies searching directly;
//! - the **prohibited-use flag**: the owner's portal lists immigration enforcement as a
//!   prohibited use, yet searches on its data name immigration work.
//!
//! The owner's own users' searches are counted apart: they are not sharing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use remit_audit::classify::Category;
use remit_audit::event::Event;
use remit_audit::process::Tables;
use remit_audit::{AuditError, AuditOptions, Auditor, Classifier, Sink, Summary};
use remit_law::{DISCLAIMER, Date};
use remit_sharing::SharingError;
use remit_sharing::check::{Checker, Group, group_of};
use remit_sharing::query::{self, ListRef, OwnerRef, fold};
use serde::Serialize;

/// What to compare.
#[derive(Debug, Clone)]
pub struct CompareOptions {
    /// Audit files (any layout `remit audit` reads).
    pub audits: Vec<PathBuf>,
    /// Examples per finding.
    pub examples: usize,
    /// Seconds east of UTC for audit times written without a zone.
    pub utc_offset: i32,
}

/// One searcher, as the audit shows it and as the list knows it.
#[derive(Debug, Clone, Serialize)]
pub struct SearcherRow {
    /// The name as the audit writes it.
    pub searcher: String,
    /// The agency the resolver found.
    pub name: String,
    /// Its FBI ORI code, when known.
    pub ori: Option<String>,
    /// Its state (two letters), when known.
    pub state: Option<String>,
    /// `local`, `state`, `federal`, `private` or `unknown`.
    pub class: String,
    /// `in_state`, `out_of_state`, `federal`, `private` or `unknown`, relative to the owner.
    pub group: Group,
    /// The resolver's confidence, from 0 to 1.
    pub confidence: f64,
    /// Whether the owner's current lists name it.
    pub on_list: bool,
    /// Its searches on the owner's data.
    pub searches: u64,
    /// Searches whose reason names immigration work.
    pub immigration_searches: u64,
    /// The day of its first search.
    pub first: String,
    /// The day of its last search.
    pub last: String,
    /// The audit's law verdicts on its searches (`may`, `must_not`, ... for the purpose each
    /// reason gives), by verdict.
    pub verdicts: BTreeMap<String, u64>,
    /// A few reasons as written (immigration reasons first), with file and line.
    pub examples: Vec<SearchExample>,
}

/// One search, as an example.
#[derive(Debug, Clone, Serialize)]
pub struct SearchExample {
    /// The audit file.
    pub file: String,
    /// The line in it.
    pub line: u64,
    /// The day of the search.
    pub date: String,
    /// The reason as written.
    pub reason: String,
}

/// Counts and examples for one finding.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Door {
    /// Distinct searchers.
    pub searchers: u64,
    /// Their searches.
    pub searches: u64,
    /// Searchers by where they stand relative to the owner.
    pub by_group: BTreeMap<String, u64>,
    /// A few of the searchers.
    pub examples: Vec<SearcherRow>,
}

/// An audit file as the pipeline read it.
#[derive(Debug, Clone, Serialize)]
pub struct AuditFile {
    /// The file.
    pub path: String,
    /// The layout the pipeline recognised.
    pub layout: Option<String>,
    /// Searches read.
    pub events: u64,
    /// Rows that could not be read.
    pub rejected: u64,
    /// Why the file was skipped (it was not a search log), when it was.
    pub skipped: Option<String>,
}

/// The comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The data's owner.
    pub owner: OwnerRef,
    /// The owner's current lists, which say who is authorised.
    pub lists: Vec<ListRef>,
    /// Distinct agencies those lists name, the owner itself left out.
    pub authorised: u64,
    /// The audit files read.
    pub audit_files: Vec<AuditFile>,
    /// Searches in the audits.
    pub searches: u64,
    /// The day of the first search.
    pub first: Option<String>,
    /// The day of the last search.
    pub last: Option<String>,
    /// Searches by the owner's own users (not sharing).
    pub own_searches: u64,
    /// Of those, searches whose reason names immigration work.
    pub own_immigration_searches: u64,
    /// Distinct other agencies that searched.
    pub searchers: u64,
    /// Searchers on the owner's list, and their searches.
    pub searchers_on_list: u64,
    /// Searches by searchers on the owner's list.
    pub searches_on_list: u64,
    /// Authorised recipients that did not search in the audit's period.
    pub authorised_not_searching: u64,
    /// Searchers not on the owner's list.
    pub back_door: Door,
    /// In-state searchers whose reasons name immigration work.
    pub side_door: Door,
    /// Federal agencies searching directly.
    pub federal: Door,
    /// Set when the owner's policy prohibits immigration enforcement and searches name it.
    pub prohibited_use_flag: Option<String>,
    /// Every searcher.
    pub all_searchers: Vec<SearcherRow>,
    /// That this is not legal advice.
    pub disclaimer: &'static str,
}

#[derive(Default)]
struct Tally {
    searches: u64,
    verdicts: BTreeMap<&'static str, u64>,
    immigration: u64,
    first: i64,
    last: i64,
    examples: Vec<(bool, u32, u64, i64, String)>,
}

/// Counts searches per searcher.
struct Counter {
    examples: usize,
    tallies: HashMap<u32, Tally>,
    first: Option<i64>,
    last: Option<i64>,
    searches: u64,
}

impl Sink for Counter {
    fn name(&self) -> &str {
        "sharing comparison"
    }

    fn wants_every_event(&self) -> bool {
        true
    }

    fn event(&mut self, event: &Event<'_>, tables: &Tables) -> Result<(), AuditError> {
        let immigration = tables
            .reason(event.reason)
            .classification
            .categories
            .contains(Category::Immigration);
        self.searches += 1;
        self.first = Some(self.first.map_or(event.time, |t| t.min(event.time)));
        self.last = Some(self.last.map_or(event.time, |t| t.max(event.time)));
        let tally = self.tallies.entry(event.searcher).or_insert_with(|| Tally {
            first: event.time,
            last: event.time,
            ..Tally::default()
        });
        tally.searches += 1;
        *tally
            .verdicts
            .entry(tables.verdict_name(event.outcome))
            .or_default() += 1;
        tally.first = tally.first.min(event.time);
        tally.last = tally.last.max(event.time);
        if immigration {
            tally.immigration += 1;
        }
        // Keep immigration reasons first, then the earliest others.
        let full = tally.examples.len() >= self.examples;
        let has_other = tally.examples.iter().any(|e| !e.0);
        if !full || (immigration && has_other) {
            if full {
                if let Some(position) = tally.examples.iter().rposition(|e| !e.0) {
                    tally.examples.remove(position);
                }
            }
            tally.examples.push((
                immigration,
                event.file,
                event.line,
                event.time,
                String::from_utf8_lossy(event.reason_text).into_owned(),
            ));
            tally.examples.sort_by_key(|e| (!e.0, e.3));
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, _tables: &Tables) -> Result<(), AuditError> {
        Ok(())
    }
}

fn day(seconds: i64) -> String {
    Date::from_days_since_epoch(seconds.div_euclid(86_400)).to_string()
}

/// Compares the owner's current lists (`key` from [`query::find_owner`] or
/// [`remit_sharing::Sharing::find_owner`]) with the audits.
pub fn compare(
    connection: &remit_store::rusqlite::Connection,
    key: &str,
    checker: &mut Checker<'_>,
    classifier: &Classifier,
    options: &CompareOptions,
) -> Result<Comparison, SharingError> {
    let corpus = checker.corpus();
    let report = query::owner_report(connection, key)?;
    let owner = report.owner.clone();
    let owner_name = match &owner.state {
        Some(state) => format!("{} ({state})", owner.name),
        None => owner
            .names
            .first()
            .cloned()
            .unwrap_or_else(|| owner.name.clone()),
    };
    let mut counter = Counter {
        examples: options.examples.max(1),
        tallies: HashMap::new(),
        first: None,
        last: None,
        searches: 0,
    };
    let auditor = Auditor {
        classifier,
        corpus,
        resolver: checker.resolver(),
        agreements: None,
        progress: None,
    };
    let audit_options = AuditOptions {
        owner: Some(owner_name),
        utc_offset: options.utc_offset,
        ..AuditOptions::default()
    };
    let run = auditor
        .run(&options.audits, &audit_options, &mut [&mut counter])
        .map_err(|error| SharingError::Audit {
            message: error.to_string(),
            help: error.help(),
        })?;
    let tables = &run.tables;

    // The list's recipients, by identity and by name as written.
    let listed_keys: BTreeSet<&str> = report
        .edges
        .iter()
        .map(|e| e.recipient_key.as_str())
        .filter(|k| *k != owner.key)
        .collect();
    let listed_names: BTreeSet<String> = report.edges.iter().map(|e| fold(&e.recipient)).collect();

    let mut rows = Vec::new();
    let (mut own_searches, mut own_immigration) = (0, 0);
    let mut searching_keys = BTreeSet::new();
    let mut ids: Vec<&u32> = counter.tallies.keys().collect();
    ids.sort();
    for id in ids {
        let tally = &counter.tallies[id];
        let info = tables.searcher(*id);
        if info.own {
            own_searches += tally.searches;
            own_immigration += tally.immigration;
            continue;
        }
        let party = checker.party(&info.party.input, None, owner.state.as_deref());
        if party.key == owner.key {
            own_searches += tally.searches;
            own_immigration += tally.immigration;
            continue;
        }
        let (group, _, _) = group_of(owner.state.as_deref(), &party);
        let on_list =
            listed_keys.contains(party.key.as_str()) || listed_names.contains(&fold(&party.input));
        searching_keys.insert(party.key.clone());
        rows.push(SearcherRow {
            searcher: info.party.input.clone(),
            name: party.name.clone(),
            ori: party.ori.clone(),
            state: party.state.clone(),
            class: party.class.as_str().to_string(),
            group,
            confidence: (f64::from(party.confidence) * 100.0).round() / 100.0,
            on_list,
            searches: tally.searches,
            immigration_searches: tally.immigration,
            first: day(tally.first),
            last: day(tally.last),
            verdicts: tally
                .verdicts
                .iter()
                .map(|(v, n)| ((*v).to_string(), *n))
                .collect(),
            examples: tally
                .examples
                .iter()
                .map(|(_, file, line, time, reason)| SearchExample {
                    file: tables
                        .files
                        .get(*file as usize)
                        .map(|f| f.path.clone())
                        .unwrap_or_default(),
                    line: *line,
                    date: day(*time),
                    reason: reason.clone(),
                })
                .collect(),
        });
    }
    rows.sort_by(|a, b| {
        b.immigration_searches
            .cmp(&a.immigration_searches)
            .then(b.searches.cmp(&a.searches))
            .then_with(|| a.searcher.cmp(&b.searcher))
    });

    let door = |filter: &dyn Fn(&SearcherRow) -> bool, count: &dyn Fn(&SearcherRow) -> u64| {
        let mut door = Door::default();
        for row in rows.iter().filter(|r| filter(r)) {
            door.searchers += 1;
            door.searches += count(row);
            *door
                .by_group
                .entry(row.group.as_str().to_string())
                .or_default() += 1;
            if door.examples.len() < options.examples {
                door.examples.push(row.clone());
            }
        }
        door
    };
    let back_door = door(&|r| !r.on_list, &|r| r.searches);
    let side_door = door(
        &|r| r.group == Group::InState && r.immigration_searches > 0,
        &|r| r.immigration_searches,
    );
    let federal = door(&|r| r.group == Group::Federal, &|r| r.searches);
    let immigration_searches: u64 = rows.iter().map(|r| r.immigration_searches).sum();
    let immigration_searchers = rows.iter().filter(|r| r.immigration_searches > 0).count();
    let immigration_listed = rows
        .iter()
        .filter(|r| r.immigration_searches > 0 && r.on_list)
        .count();
    let current: Vec<ListRef> = report.lists.iter().filter(|l| l.current).cloned().collect();
    let prohibited_use_flag = (report.immigration_use_prohibited && immigration_searches > 0)
        .then(|| {
            format!(
                "the owner's published policy lists immigration enforcement as a prohibited use, yet {immigration_searches} searches by {immigration_searchers} other agencies on its data name immigration work ({immigration_listed} of them on its list)"
            )
        });
    let searchers_on_list = rows.iter().filter(|r| r.on_list).count() as u64;
    let searches_on_list = rows.iter().filter(|r| r.on_list).map(|r| r.searches).sum();
    let authorised_not_searching = listed_keys
        .iter()
        .filter(|k| !searching_keys.contains(**k))
        .count() as u64;
    Ok(Comparison {
        authorised: listed_keys.len() as u64,
        lists: current,
        audit_files: tables
            .files
            .iter()
            .map(|f| AuditFile {
                path: f.path.clone(),
                layout: f.layout.clone(),
                events: f.events,
                rejected: f.rejected,
                skipped: f.skipped.clone(),
            })
            .collect(),
        searches: counter.searches,
        first: counter.first.map(day),
        last: counter.last.map(day),
        own_searches,
        own_immigration_searches: own_immigration,
        searchers: rows.len() as u64,
        searchers_on_list,
        searches_on_list,
        authorised_not_searching,
        back_door,
        side_door,
        federal,
        prohibited_use_flag,
        all_searchers: rows,
        owner,
        disclaimer: DISCLAIMER,
    })
}
