//! Reading stored runs back: the runs in the store, one run's summary, and its findings with
//! filters and paging, each with the file and line it came from.
//!
//! `remit audit` writes every run into the store ([`crate::sinks::store`]); the dashboard and
//! anyone else who wants the runs again read them here instead of re-running the pipeline. Only
//! reads: nothing here writes, and officer names and plates come back as they were stored
//! (`[redacted]` unless the run was made with `--no-redact`).
//!
//! The summary is the one the pipeline built, kept as JSON in `audit_runs.summary_json`, read into
//! owned types with the same fields and names as [`Summary`]; [`RunSummary::from_summary`] gives
//! the same type for a run that is still in memory, so a report can be drawn from either.

use std::collections::{BTreeMap, HashMap};

use remit_store::Store;
use remit_store::rusqlite::{self, OptionalExtension as _, params};
use serde::{Deserialize, Serialize};

use crate::aggregate::Summary;
use crate::error::AuditError;
use crate::event::Flags;
use crate::sinks::store::SCHEMA;
use crate::time::format_utc;

fn db_error(e: impl std::fmt::Display) -> AuditError {
    AuditError::output("the store", e)
}

fn unsigned(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// Whether the store holds the audit tables at the version this crate reads. A store that was
/// never given an audit (or holds another version of the tables) has no runs to show.
pub fn has_audit_tables(store: &Store) -> Result<bool, AuditError> {
    Ok(store.schema_version(SCHEMA.component)? == Some(SCHEMA.latest()))
}

/// One stored run, as a list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunListing {
    /// The run's id in the store (`audit_runs.id`).
    pub id: i64,
    /// The import that stored it (`imports.id`).
    pub import_id: i64,
    /// When it was stored (UTC, `YYYY-MM-DDTHH:MM:SSZ`).
    pub imported_at: String,
    /// The data owner's name (`None` when the run had no owner).
    pub owner: Option<String>,
    /// The owner's FBI identifier (ORI), when resolved.
    pub owner_ori: Option<String>,
    /// The owner's two-letter state code, when known.
    pub owner_state: Option<String>,
    /// The input files, in the order given.
    pub files: Vec<String>,
    /// The earliest search, `YYYY-MM-DDTHH:MM:SSZ` (`None` without searches).
    pub first: Option<String>,
    /// The latest search, `YYYY-MM-DDTHH:MM:SSZ` (`None` without searches).
    pub last: Option<String>,
    /// Searches read.
    pub events: u64,
    /// Rows that could not be read as a search.
    pub rejected: u64,
    /// Searches written out as findings.
    pub findings: u64,
    /// Whether officer names and plate numbers were masked before storing.
    pub redacted: bool,
    /// The rules corpus version the law questions were answered from.
    pub corpus_version: String,
    /// The reason classifier's version.
    pub classifier_version: String,
}

/// The stored runs, newest first. Empty when the store has no audit tables.
pub fn runs(store: &Store) -> Result<Vec<RunListing>, AuditError> {
    if !has_audit_tables(store)? {
        return Ok(Vec::new());
    }
    let connection = store.connection();
    let mut statement = connection
        .prepare(
            "SELECT r.id, r.import_id, i.imported_at, r.owner_name, r.owner_ori, r.owner_state,
                r.first_time, r.last_time, r.events, r.rejected, r.findings, r.redacted,
                r.corpus_version, r.classifier_version
             FROM audit_runs r JOIN imports i ON i.id = r.import_id
             ORDER BY r.id DESC",
        )
        .map_err(db_error)?;
    let mut runs = statement
        .query_map([], |row| {
            Ok(RunListing {
                id: row.get(0)?,
                import_id: row.get(1)?,
                imported_at: row.get(2)?,
                owner: row.get(3)?,
                owner_ori: row.get(4)?,
                owner_state: row.get(5)?,
                files: Vec::new(),
                first: row.get(6)?,
                last: row.get(7)?,
                events: unsigned(row.get(8)?),
                rejected: unsigned(row.get(9)?),
                findings: unsigned(row.get(10)?),
                redacted: row.get(11)?,
                corpus_version: row.get(12)?,
                classifier_version: row.get(13)?,
            })
        })
        .map_err(db_error)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_error)?;
    let mut files = connection
        .prepare("SELECT path FROM audit_files WHERE run_id = ?1 ORDER BY file_index")
        .map_err(db_error)?;
    for run in &mut runs {
        run.files = files
            .query_map([run.id], |row| row.get(0))
            .map_err(db_error)?
            .collect::<Result<Vec<String>, _>>()
            .map_err(db_error)?;
    }
    Ok(runs)
}

/// The data's owner, as [`crate::aggregate::OwnerSummary`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Owner {
    /// The directory's name for the owner (or the input, cleaned, when unresolved).
    pub name: String,
    /// The owner's name as given.
    pub input: String,
    /// The owner's FBI identifier (ORI), when resolved.
    pub ori: Option<String>,
    /// The owner's two-letter state code, when known.
    pub state: Option<String>,
    /// The vocabulary actor the law question uses for the owner (`local_police`, `sheriff`, ...).
    pub actor: String,
    /// How sure the owner's resolution is, from 0 to 1.
    pub confidence: f32,
}

/// An input file, as [`crate::process::FileInfo`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunFile {
    /// The file as given.
    pub path: String,
    /// The log layout recognised (`None` when the file was skipped).
    pub layout: Option<String>,
    /// Why the file was skipped (a sharing list, ...); `None` when it was read.
    pub skipped: Option<String>,
    /// Searches read from the file.
    pub events: u64,
    /// Rows of the file that could not be read as a search.
    pub rejected: u64,
    /// 64-bit hash of the file's bytes, in hex.
    pub content_hash: String,
    /// The file's size in bytes.
    pub bytes: u64,
}

/// The period covered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// The earliest search, `YYYY-MM-DDTHH:MM:SSZ` (`None` without searches).
    pub first: Option<String>,
    /// The latest search, `YYYY-MM-DDTHH:MM:SSZ` (`None` without searches).
    pub last: Option<String>,
}

/// A searcher, as [`crate::aggregate::SearcherSummary`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Searcher {
    /// The searcher's id in this run (findings refer to it).
    pub id: u32,
    /// The directory's name for the searcher (or the input, cleaned, when unresolved).
    pub name: String,
    /// The searcher's name as the log wrote it.
    pub input: String,
    /// The searcher's FBI identifier (ORI), when resolved.
    pub ori: Option<String>,
    /// The searcher's two-letter state code, when known.
    pub state: Option<String>,
    /// `own`, `local`, `state`, `federal`, `private` or `unknown`.
    pub class: String,
    /// The counterparty word the law question uses (`None` when not placed).
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
    /// Searches per reason category name.
    pub by_category: BTreeMap<String, u64>,
}

/// A rule that determined a decision, as the run stored it (the law's brief citation).
pub use remit_law::RuleCitation as Rule;

/// A law question asked during the run, as [`crate::aggregate::DecisionSummary`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The action asked about (sharing plate-reader data).
    pub action: String,
    /// Who received the data, as a vocabulary counterparty word.
    pub counterparty: String,
    /// The purpose asked about, a vocabulary purpose word read from the search's reason.
    pub purpose: String,
    /// The first search day with this answer, `YYYY-MM-DD`.
    pub from: String,
    /// The last search day with this answer, `YYYY-MM-DD`.
    pub until: String,
    /// The law's answer, or `not_asked` when the question could not be asked.
    pub verdict: String,
    /// Searches this answer covers.
    pub searches: u64,
    /// The rules that decided the answer.
    pub determining: Vec<Rule>,
    /// Why the question could not be asked (`None` when it was).
    pub error: Option<String>,
}

/// A run's summary: the fields of [`Summary`] under the same names, owned, so that a stored run
/// and a run in memory serialize alike.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    /// The version of Remit that ran the audit.
    pub remit_version: String,
    /// The rules corpus version the law questions were answered from.
    pub corpus_version: String,
    /// The reason classifier's version.
    pub classifier_version: String,
    /// The data's owner (`None` when not given or not known).
    pub owner: Option<Owner>,
    /// The input files, in the order given.
    pub files: Vec<RunFile>,
    /// Searches counted.
    pub events: u64,
    /// Rows that could not be read as a search.
    pub rejected: u64,
    /// Searches written out as findings.
    pub findings: u64,
    /// The first and last search.
    pub period: Period,
    /// Searches per reason category name.
    pub by_category: BTreeMap<String, u64>,
    /// Searches per searcher class (`own`, `local`, `state`, `federal`, ...).
    pub by_searcher_class: BTreeMap<String, u64>,
    /// Searches per searcher state code (`federal` or `unknown` when there is none).
    pub by_searcher_state: BTreeMap<String, u64>,
    /// Searches per law answer, plus `own_search` and `not_asked`.
    pub by_verdict: BTreeMap<String, u64>,
    /// Searches per flag name.
    pub by_flag: BTreeMap<String, u64>,
    /// Searches per month, `YYYY-MM`.
    pub by_month: BTreeMap<String, u64>,
    /// The searchers with the most searches (at most 25).
    pub top_searchers: Vec<Searcher>,
    /// How many distinct searchers ran a search.
    pub searchers: usize,
    /// How many distinct reason shapes the run met.
    pub distinct_reasons: usize,
    /// The law questions asked, grouped over dates with the same answer, most searches first.
    pub decisions: Vec<Decision>,
    /// The most devices (cameras) one search covered, where the log says (0 otherwise).
    pub max_devices_searched: u32,
    /// The most networks one search covered, where the log says (0 otherwise).
    pub max_networks_searched: u32,
    /// Whether officer names and plate numbers are masked in the outputs.
    pub redacted: bool,
    /// The statement that the output is not legal advice.
    pub disclaimer: String,
}

impl RunSummary {
    /// The same summary for a run still in memory: through the JSON the store keeps, so the two
    /// cannot drift apart.
    pub fn from_summary(summary: &Summary) -> Result<RunSummary, AuditError> {
        serde_json::to_value(summary)
            .and_then(serde_json::from_value)
            .map_err(|e| AuditError::output("the summary", e))
    }
}

/// One run's summary, or `None` when there is no such run.
pub fn summary(store: &Store, run_id: i64) -> Result<Option<RunSummary>, AuditError> {
    if !has_audit_tables(store)? {
        return Ok(None);
    }
    let json: Option<String> = store
        .connection()
        .query_row(
            "SELECT summary_json FROM audit_runs WHERE id = ?1",
            [run_id],
            |row| row.get(0),
        )
        .optional()
        .map_err(db_error)?;
    json.map(|json| {
        serde_json::from_str(&json).map_err(|e| {
            AuditError::output(
                "the store",
                format!("the summary of audit run {run_id} does not read: {e}"),
            )
        })
    })
    .transpose()
}

/// Which findings to read. Every filter that is set must match.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingFilter {
    /// One of the reason's categories (not only its primary one).
    pub category: Option<String>,
    /// The searcher's state code; `unknown` for a searcher whose state is not known.
    pub searcher_state: Option<String>,
    /// `must_not`, `must`, `may`, `conflict`, `no_rule`, `own_search`, `not_asked`.
    pub verdict: Option<String>,
    /// `own`, `local`, `state`, `federal`, `private`, `unknown`.
    pub searcher_class: Option<String>,
}

/// One stored finding, with the columns of `findings.csv` ([`StoredFinding::fields`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredFinding {
    /// Where the search is: the input file as given, and its line (or row or record).
    pub file: String,
    /// The file's position among the run's inputs, from 0.
    pub file_index: u32,
    /// The line where the record starts (row number in a workbook, record number in JSON).
    pub line: u64,
    /// When the search ran, `YYYY-MM-DDTHH:MM:SSZ`.
    pub time_utc: String,
    /// The directory's name for the searcher (or the input, cleaned, when unresolved).
    pub searcher: String,
    /// The searcher's name as the log wrote it.
    pub searcher_as_written: String,
    /// The searcher's FBI identifier (ORI), when resolved.
    pub searcher_ori: Option<String>,
    /// The searcher's two-letter state code, when known.
    pub searcher_state: Option<String>,
    /// `own`, `local`, `state`, `federal`, `private` or `unknown`.
    pub searcher_class: String,
    /// The counterparty word the law question uses (`None` when not placed).
    pub counterparty: Option<String>,
    /// The search's reason as stored (plates and officers' names masked when the run masked
    /// free text).
    pub reason: String,
    /// The reason's primary category.
    pub category: String,
    /// Every category the reason falls in.
    pub categories: Vec<String>,
    /// `category:words` that matched, as stored: the words of the reason's shape (its first
    /// spelling in the run), which may differ from this reason in case, digits or spacing.
    pub evidence: String,
    /// The purpose word the law question used.
    pub purpose: String,
    /// The case number the log gives, as stored (masked like the reason), if any.
    pub case_number: Option<String>,
    /// As stored: `[redacted]` unless the run was made with `--no-redact`.
    pub user: Option<String>,
    /// The plate searched, as stored: `[redacted]` unless the run was made with `--no-redact`.
    pub plate: Option<String>,
    /// How many networks the search covered, where the log says.
    pub networks: Option<u32>,
    /// How many devices (cameras) the search covered, where the log says.
    pub devices: Option<u32>,
    /// The kind of search the log names, if any.
    pub search_type: Option<String>,
    /// The law's answer on sharing with the searcher, or `own_search` or `not_asked`.
    pub verdict: String,
    /// The determining rules of the law's answer.
    pub citations: Vec<Rule>,
    /// Why the search is a finding: the flag names.
    pub flags: Vec<String>,
}

impl StoredFinding {
    /// The finding as the 23 text fields of `findings.csv`, in its column order
    /// ([`crate::sinks::files::FINDINGS_HEADER`]).
    pub fn fields(&self) -> [String; 23] {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let number = |value: Option<u32>| value.map(|n| n.to_string()).unwrap_or_default();
        [
            self.file.clone(),
            self.line.to_string(),
            self.time_utc.clone(),
            self.searcher.clone(),
            self.searcher_as_written.clone(),
            text(&self.searcher_ori),
            text(&self.searcher_state),
            self.searcher_class.clone(),
            text(&self.counterparty),
            self.reason.clone(),
            self.category.clone(),
            self.categories.join(";"),
            self.evidence.clone(),
            self.purpose.clone(),
            text(&self.case_number),
            text(&self.user),
            text(&self.plate),
            number(self.networks),
            number(self.devices),
            text(&self.search_type),
            self.verdict.clone(),
            self.citations
                .iter()
                .map(|r| format!("{} [{}]", r.citation, r.id))
                .collect::<Vec<_>>()
                .join("; "),
            self.flags.join(";"),
        ]
    }
}

/// A page of findings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingPage {
    /// Findings of the run that pass the filter (all pages).
    pub total: u64,
    /// Findings skipped before this page.
    pub offset: u64,
    /// This page, in input order.
    pub findings: Vec<StoredFinding>,
}

/// What a finding row joins to, for reading a page of findings.
const FINDINGS_FROM: &str =
    "JOIN audit_files fl ON fl.run_id = f.run_id AND fl.file_index = f.file_index
    JOIN audit_searchers s ON s.run_id = f.run_id AND s.searcher_id = f.searcher_id
    JOIN audit_reasons r ON r.run_id = f.run_id AND r.reason_id = f.reason_id
    JOIN audit_search_types st ON st.run_id = f.run_id AND st.search_type_id = f.search_type_id
    LEFT JOIN audit_decisions d ON d.run_id = f.run_id AND d.decision_id = f.outcome";

/// A run's searchers, reason shapes and decisions, small tables by which its findings (which
/// hold only their ids) are filtered and counted without joining every finding row.
struct RunTables {
    /// Searcher id to name, state (empty when unknown) and class.
    searchers: HashMap<i64, (String, String, String)>,
    /// Reason id to its categories.
    reasons: HashMap<i64, Vec<String>>,
    /// Decision id to its verdict.
    decisions: HashMap<i64, String>,
    /// The rowids of the run's first and last finding (none without findings).
    rows: Option<(i64, i64)>,
}

impl RunTables {
    fn load(connection: &rusqlite::Connection, run_id: i64) -> Result<RunTables, AuditError> {
        let read = |sql: &str| -> Result<Vec<(i64, String, String, String)>, AuditError> {
            let mut statement = connection.prepare(sql).map_err(db_error)?;
            let rows = statement
                .query_map([run_id], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })
                .map_err(db_error)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(db_error)?;
            Ok(rows)
        };
        let searchers = read(
            "SELECT searcher_id, name, coalesce(state, ''), class FROM audit_searchers
             WHERE run_id = ?1",
        )?
        .into_iter()
        .map(|(id, name, state, class)| (id, (name, state, class)))
        .collect();
        let reasons =
            read("SELECT reason_id, categories, '', '' FROM audit_reasons WHERE run_id = ?1")?
                .into_iter()
                .map(|(id, categories, _, _)| {
                    let categories = categories
                        .split(';')
                        .filter(|c| !c.is_empty())
                        .map(str::to_string)
                        .collect();
                    (id, categories)
                })
                .collect();
        let decisions =
            read("SELECT decision_id, verdict, '', '' FROM audit_decisions WHERE run_id = ?1")?
                .into_iter()
                .map(|(id, verdict, _, _)| (id, verdict))
                .collect();
        let rows = connection
            .query_row(
                "SELECT first_finding, last_finding FROM audit_runs WHERE id = ?1",
                [run_id],
                |row| Ok((row.get::<_, Option<i64>>(0)?, row.get::<_, Option<i64>>(1)?)),
            )
            .optional()
            .map_err(db_error)?
            .and_then(|(first, last)| first.zip(last));
        Ok(RunTables {
            searchers,
            reasons,
            decisions,
            rows,
        })
    }

    /// A finding's verdict from its outcome: its decision's, or what the code stands for.
    fn verdict(&self, outcome: i64) -> &str {
        match outcome {
            -1 => "own_search",
            id if id >= 0 => self.decisions.get(&id).map_or("not_asked", String::as_str),
            _ => "not_asked",
        }
    }

    /// The `WHERE` over `audit_findings f` alone that picks the run's findings passing
    /// `filter`, or `None` when none can.
    fn conditions(&self, run_id: i64, filter: &FindingFilter) -> Option<String> {
        fn list(ids: impl Iterator<Item = i64>) -> String {
            ids.map(|id| id.to_string()).collect::<Vec<_>>().join(",")
        }
        let (first, last) = self.rows?;
        let mut sql = format!("f.rowid BETWEEN {first} AND {last} AND f.run_id = {run_id}");
        if let Some(category) = &filter.category {
            let ids: Vec<i64> = self
                .reasons
                .iter()
                .filter(|(_, categories)| categories.contains(category))
                .map(|(id, _)| *id)
                .collect();
            if ids.is_empty() {
                return None;
            }
            sql.push_str(&format!(" AND f.reason_id IN ({})", list(ids.into_iter())));
        }
        if filter.searcher_state.is_some() || filter.searcher_class.is_some() {
            let ids: Vec<i64> = self
                .searchers
                .iter()
                .filter(|(_, (_, state, class))| {
                    filter
                        .searcher_state
                        .as_deref()
                        .is_none_or(|want| facet_state(state) == want)
                        && filter
                            .searcher_class
                            .as_deref()
                            .is_none_or(|want| class == want)
                })
                .map(|(id, _)| *id)
                .collect();
            if ids.is_empty() {
                return None;
            }
            sql.push_str(&format!(
                " AND f.searcher_id IN ({})",
                list(ids.into_iter())
            ));
        }
        if let Some(verdict) = &filter.verdict {
            let mut outcomes: Vec<i64> = self
                .decisions
                .iter()
                .filter(|(_, v)| *v == verdict)
                .map(|(id, _)| *id)
                .collect();
            match verdict.as_str() {
                "own_search" => outcomes.push(-1),
                "not_asked" => outcomes.push(-2),
                _ => {}
            }
            if outcomes.is_empty() {
                return None;
            }
            sql.push_str(&format!(
                " AND f.outcome IN ({})",
                list(outcomes.into_iter())
            ));
        }
        Some(sql)
    }
}

/// The run's small tables and the `WHERE` that picks its findings passing `filter`; `None` when
/// the store has no audit tables or no finding can pass.
fn select(
    store: &Store,
    run_id: i64,
    filter: &FindingFilter,
) -> Result<Option<(RunTables, String)>, AuditError> {
    if !has_audit_tables(store)? {
        return Ok(None);
    }
    let tables = RunTables::load(store.connection(), run_id)?;
    let conditions = tables.conditions(run_id, filter);
    Ok(conditions.map(|conditions| (tables, conditions)))
}

/// A searcher's state as a facet shows it.
fn facet_state(state: &str) -> &str {
    if state.is_empty() { "unknown" } else { state }
}

/// How the findings that pass a filter fall into each facet, and who searched for immigration
/// reasons among them: what a report shows about all of a run's findings without reading them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingCounts {
    /// Findings that pass the filter.
    pub total: u64,
    /// By category (a finding counts once in each of its reason's categories).
    pub by_category: BTreeMap<String, u64>,
    /// By the searcher's state, `unknown` where it is not known.
    pub by_searcher_state: BTreeMap<String, u64>,
    /// By the law's answer.
    pub by_verdict: BTreeMap<String, u64>,
    /// By the searcher's class.
    pub by_searcher_class: BTreeMap<String, u64>,
    /// The findings whose reason falls in the `immigration` category, by searcher (name, state
    /// or empty, class), with the verdicts on sharing with it; sorted by searcher.
    pub immigration_by_searcher: Vec<SearcherFindings>,
}

/// Findings by one searcher.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearcherFindings {
    /// The directory's name for the searcher.
    pub searcher: String,
    /// The searcher's two-letter state code, or empty.
    pub state: String,
    /// `own`, `local`, `state`, `federal`, `private` or `unknown`.
    pub class: String,
    /// The searcher's findings among those counted.
    pub findings: u64,
    /// The distinct verdicts of these findings, sorted.
    pub verdicts: Vec<String>,
}

/// Counts of the findings of run `run_id` that pass `filter` (see [`FindingCounts`]).
pub fn finding_counts(
    store: &Store,
    run_id: i64,
    filter: &FindingFilter,
) -> Result<FindingCounts, AuditError> {
    match select(store, run_id, filter)? {
        Some((tables, conditions)) => count_findings(store.connection(), &tables, &conditions),
        None => Ok(FindingCounts::default()),
    }
}

/// A run's findings and their counts, as a report shows them: the counts of the findings that
/// pass `filter` and `limit` of them from `offset` (what [`finding_counts`] and [`findings`]
/// give, read with one pass less).
pub fn findings_and_counts(
    store: &Store,
    run_id: i64,
    filter: &FindingFilter,
    offset: u64,
    limit: u64,
) -> Result<(FindingCounts, FindingPage), AuditError> {
    let mut page = FindingPage {
        total: 0,
        offset,
        findings: Vec::new(),
    };
    let Some((tables, conditions)) = select(store, run_id, filter)? else {
        return Ok((FindingCounts::default(), page));
    };
    let connection = store.connection();
    let counts = count_findings(connection, &tables, &conditions)?;
    page.total = counts.total;
    page.findings = read_page(connection, run_id, &conditions, offset, limit)?
        .into_iter()
        .map(|(finding, _)| finding)
        .collect();
    Ok((counts, page))
}

/// Counts of the finding rows that `conditions` picks.
fn count_findings(
    connection: &rusqlite::Connection,
    tables: &RunTables,
    conditions: &str,
) -> Result<FindingCounts, AuditError> {
    let mut counts = FindingCounts::default();
    // One pass over the run's finding rows, counting each (searcher, reason, outcome); the
    // facets come from those few combinations and the small tables.
    let mut combinations: HashMap<(i64, i64, i64), u64> = HashMap::new();
    let mut statement = connection
        .prepare(&format!(
            "SELECT f.searcher_id, f.reason_id, f.outcome FROM audit_findings f
             WHERE {conditions}"
        ))
        .map_err(db_error)?;
    let mut rows = statement.query([]).map_err(db_error)?;
    while let Some(row) = rows.next().map_err(db_error)? {
        let key = (
            row.get(0).map_err(db_error)?,
            row.get(1).map_err(db_error)?,
            row.get(2).map_err(db_error)?,
        );
        *combinations.entry(key).or_default() += 1;
    }
    let unknown = (String::new(), String::new(), "unknown".to_string());
    let mut immigration: BTreeMap<(String, String, String), (u64, Vec<String>)> = BTreeMap::new();
    for (&(searcher, reason, outcome), &n) in &combinations {
        counts.total += n;
        let (name, state, class) = tables.searchers.get(&searcher).unwrap_or(&unknown);
        let categories = tables.reasons.get(&reason).map_or(&[][..], Vec::as_slice);
        let verdict = tables.verdict(outcome);
        for category in categories {
            *counts.by_category.entry(category.clone()).or_default() += n;
        }
        *counts
            .by_searcher_state
            .entry(facet_state(state).to_string())
            .or_default() += n;
        *counts.by_verdict.entry(verdict.to_string()).or_default() += n;
        *counts.by_searcher_class.entry(class.clone()).or_default() += n;
        if categories.iter().any(|c| c == "immigration") {
            let entry = immigration
                .entry((name.clone(), state.clone(), class.clone()))
                .or_default();
            entry.0 += n;
            if !entry.1.iter().any(|v| v == verdict) {
                entry.1.push(verdict.to_string());
                entry.1.sort();
            }
        }
    }
    counts.immigration_by_searcher = immigration
        .into_iter()
        .map(
            |((searcher, state, class), (findings, verdicts))| SearcherFindings {
                searcher,
                state,
                class,
                findings,
                verdicts,
            },
        )
        .collect();
    Ok(counts)
}

/// The findings of run `run_id` that pass `filter`, in input order, `limit` of them from
/// `offset`. A run that does not exist has none.
pub fn findings(
    store: &Store,
    run_id: i64,
    filter: &FindingFilter,
    offset: u64,
    limit: u64,
) -> Result<FindingPage, AuditError> {
    let empty = FindingPage {
        total: 0,
        offset,
        findings: Vec::new(),
    };
    let Some((_, conditions)) = select(store, run_id, filter)? else {
        return Ok(empty);
    };
    let connection = store.connection();
    let total: i64 = connection
        .query_row(
            &format!("SELECT count(*) FROM audit_findings f WHERE {conditions}"),
            [],
            |row| row.get(0),
        )
        .map_err(db_error)?;
    Ok(FindingPage {
        total: unsigned(total),
        findings: read_page(connection, run_id, &conditions, offset, limit)?
            .into_iter()
            .map(|(finding, _)| finding)
            .collect(),
        ..empty
    })
}

/// A chunk of the findings of run `run_id` that pass `filter`, in input order: `limit` of them
/// after the finding `after` points at (`None` to start), and where the next chunk starts
/// (`None` after the last). A whole run read this way costs one pass however big it is, where
/// pages by offset cost more the further they go: it is how a run's CSV is written.
pub fn findings_after(
    store: &Store,
    run_id: i64,
    filter: &FindingFilter,
    after: Option<i64>,
    limit: u64,
) -> Result<(Vec<StoredFinding>, Option<i64>), AuditError> {
    let Some((_, mut conditions)) = select(store, run_id, filter)? else {
        return Ok((Vec::new(), None));
    };
    if let Some(after) = after {
        conditions.push_str(&format!(" AND f.rowid > {after}"));
    }
    let rows = read_page(store.connection(), run_id, &conditions, 0, limit)?;
    let next = if (rows.len() as u64) < limit {
        None
    } else {
        rows.last().map(|(_, rowid)| *rowid)
    };
    Ok((rows.into_iter().map(|(finding, _)| finding).collect(), next))
}

/// `limit` of the finding rows that `conditions` picks, from `offset`, in input order, readable,
/// each with its rowid.
fn read_page(
    connection: &rusqlite::Connection,
    run_id: i64,
    conditions: &str,
    offset: u64,
    limit: u64,
) -> Result<Vec<(StoredFinding, i64)>, AuditError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let start = i64::try_from(offset).unwrap_or(i64::MAX);
    // The page is picked from the finding rows alone; only its rows are joined to the tables
    // that make them readable.
    let mut statement = connection
        .prepare(&format!(
            "SELECT fl.path, f.file_index, f.line, f.time, s.name, s.input, s.ori, s.state,
                s.class, s.counterparty, coalesce(f.reason, r.text), r.category, r.categories,
                r.evidence, r.purpose, f.case_number,
                CASE WHEN f.redacted & 1 THEN '[redacted]' ELSE f.user END,
                CASE WHEN f.redacted & 2 THEN '[redacted]' ELSE f.plate END,
                f.networks, f.devices, st.name,
                CASE WHEN f.outcome >= 0 THEN coalesce(d.verdict, 'not_asked')
                     WHEN f.outcome = -1 THEN 'own_search' ELSE 'not_asked' END,
                d.determining_json, f.flags, f.page_order
             FROM (SELECT f.rowid AS page_order, f.* FROM audit_findings f WHERE {conditions}
                   ORDER BY f.rowid LIMIT ?1 OFFSET ?2) f
             {FINDINGS_FROM}
             ORDER BY f.page_order"
        ))
        .map_err(db_error)?;
    let rows = statement
        .query_map(params![limit, start], |row| {
            Ok((read_finding(row)?, row.get::<_, i64>(24)?))
        })
        .map_err(db_error)?;
    let mut findings = Vec::new();
    // A run asks few law questions: each decision's rules are read once a page.
    let mut read_rules: HashMap<String, Vec<Rule>> = HashMap::new();
    for row in rows {
        let ((mut finding, determining), rowid) = row.map_err(db_error)?;
        if let Some(json) = determining {
            finding.citations = match read_rules.get(&json) {
                Some(rules) => rules.clone(),
                None => {
                    let rules: Vec<Rule> = serde_json::from_str(&json).map_err(|e| {
                        AuditError::output(
                            "the store",
                            format!(
                                "the rules of a decision of audit run {run_id} do not read: {e}"
                            ),
                        )
                    })?;
                    read_rules.insert(json, rules.clone());
                    rules
                }
            };
        }
        findings.push((finding, rowid));
    }
    Ok(findings)
}

/// A row of the findings query, and the decision's determining rules as stored (JSON).
fn read_finding(row: &rusqlite::Row<'_>) -> rusqlite::Result<(StoredFinding, Option<String>)> {
    let categories: String = row.get(12)?;
    let bits: i64 = row.get(23)?;
    let flags = Flags(u16::try_from(bits).unwrap_or(0)).names();
    Ok((
        StoredFinding {
            file: row.get(0)?,
            file_index: row.get(1)?,
            line: unsigned(row.get(2)?),
            time_utc: format_utc(row.get(3)?),
            searcher: row.get(4)?,
            searcher_as_written: row.get(5)?,
            searcher_ori: row.get(6)?,
            searcher_state: row.get(7)?,
            searcher_class: row.get(8)?,
            counterparty: row.get(9)?,
            reason: row.get(10)?,
            category: row.get(11)?,
            categories: categories
                .split(';')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            evidence: row.get(13)?,
            purpose: row.get(14)?,
            case_number: row.get(15)?,
            user: row.get(16)?,
            plate: row.get(17)?,
            networks: row.get(18)?,
            devices: row.get(19)?,
            search_type: row.get(20)?,
            verdict: row.get(21)?,
            citations: Vec::new(),
            flags: flags
                .split(';')
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect(),
        },
        row.get(22)?,
    ))
}
