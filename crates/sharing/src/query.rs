//! Reading the derived layer: one owner's report, the owners of a state ranked by forbidden
//! edges, edges for export, lists and their issues.
//!
//! Every function takes a read-only connection and returns plain serialisable structs, so the
//! CLI and the web pages show the same numbers.
//!
//! Counting rules (docs/methodology.md#plate-reader-sharing): an owner's figures come from its *current*
//! lists, the newest of each source (a portal, a sheet, a CSV) for that owner. A recipient is an
//! entry as written: two entries that resolve to one agency (`X PD` and `X PD [Inactive]`) count
//! twice, so that every count can be checked against the list by hand; `agencies` gives the
//! number of distinct agencies behind them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use remit_agencies::{Resolver, is_ori};
use remit_law::DISCLAIMER;
use remit_store::rusqlite::{Connection, Row, params_from_iter};
use serde::Serialize;

use crate::check::{EdgeVerdict, Group};
use crate::error::SharingError;

/// An agency that owns lists.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerRef {
    /// The identity across name forms (ORI when known).
    pub key: String,
    /// The owner's readable name as resolved.
    pub name: String,
    /// The FBI ORI of the owner, when the resolver matched one.
    pub ori: Option<String>,
    /// Two-letter code of the owner's state; `None` when unknown.
    pub state: Option<String>,
    /// The agency class's word: `local`, `state`, `federal`, `private` or `unknown`.
    pub class: String,
    /// The kind of agency (`police_department`, `sheriff`...), when known.
    pub kind: Option<String>,
    /// The vocabulary actor its data sharing was checked as.
    pub actor: Option<String>,
    /// The place whose rules were applied.
    pub place: Option<String>,
    /// How sure the resolver is of the owner's class, state and agency, from 0 to 1, rounded to two
    /// decimals.
    pub confidence: f64,
    /// Why the resolver concluded what it did, one sentence each.
    pub reasons: Vec<String>,
    /// The owner's name as each of its lists writes it.
    pub names: Vec<String>,
}

/// One imported list.
#[derive(Debug, Clone, Serialize)]
pub struct ListRef {
    /// The list's row id in the store, in import order.
    pub id: i64,
    /// The file the list was imported from, as given at import.
    pub source_path: String,
    /// The layout's word (`portal`, `name_state_type`, `organization_sharing`, `names`).
    pub format: String,
    /// The worksheet read, for workbooks; `None` otherwise.
    pub sheet: Option<String>,
    /// The owner's name as the list gives it.
    pub owner: String,
    /// The owner's identity key as resolved; `None` until the derived layer has been refreshed.
    pub owner_key: Option<String>,
    /// Two-letter code of the owner's state as resolved; `None` when unknown or not yet refreshed.
    pub owner_state: Option<String>,
    /// The day the list is taken to describe, as YYYY-MM-DD.
    pub date: String,
    /// Where that date came from (`archived_date`, `crawled_at`, `file_name`, `option`,
    /// `import_day`).
    pub date_from: String,
    /// How many days the agency keeps plate reads, per its portal; `None` when the list does not
    /// say.
    pub retention_days: Option<i64>,
    /// The portal's text of the uses it prohibits; `None` when the list does not say.
    pub prohibited_uses: Option<String>,
    /// Whether that text names immigration enforcement as a prohibited use.
    pub immigration_use_prohibited: bool,
    /// How many plate-reader cameras the agency runs, per its portal; `None` when the list does not
    /// say.
    pub camera_count: Option<i64>,
    /// Searches the portal reported for the last 30 days when it was crawled; `None` when the list
    /// does not say.
    pub searches_30d: Option<i64>,
    /// Entries for agencies the owner shares its data with.
    pub outbound: u64,
    /// Entries for agencies that share their data with the owner.
    pub inbound: u64,
    /// Issues found reading the list, of every severity.
    pub issues: u64,
    /// Whether the owner's figures use this list (the newest of its source).
    pub current: bool,
    /// When the list was imported: UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub imported_at: String,
}

/// One edge, with everything needed to check it by hand.
#[derive(Debug, Clone, Serialize)]
pub struct EdgeRow {
    /// The entry's id in the store: stable, and the order of the list.
    pub entry_id: i64,
    /// The list's row id in the store.
    pub list_id: i64,
    /// The file the list was imported from, as given at import.
    pub source_path: String,
    /// The line the name is on (the sheet row for workbooks).
    pub line: i64,
    /// Where in the record the name is: `sharing_outbound[3]`, `Name`, `Organization Name`.
    pub field: String,
    /// `outbound`: the list's owner shares with the entry; `inbound`: the entry shares with it.
    pub direction: String,
    /// The data owner's readable name as resolved.
    pub owner: String,
    /// The data owner's identity key.
    pub owner_key: String,
    /// The recipient's name as written on the list.
    pub recipient: String,
    /// The recipient's readable name as resolved.
    pub recipient_name: String,
    /// The recipient's identity key (ORI or directory id, else class, state, kind and name).
    pub recipient_key: String,
    /// The recipient's FBI ORI, when the resolver matched one.
    pub recipient_ori: Option<String>,
    /// Two-letter code of the recipient's state; `None` for federal and private bodies and when
    /// unknown.
    pub recipient_state: Option<String>,
    /// The recipient's agency class: `local`, `state`, `federal`, `private` or `unknown`.
    pub recipient_class: String,
    /// The recipient's kind of agency (`police_department`, `sheriff`...), when known.
    pub recipient_kind: Option<String>,
    /// How sure the resolver is of the recipient, from 0 to 1, rounded to two decimals.
    pub confidence: f64,
    /// Why the resolver concluded what it did about the recipient, one sentence each.
    pub reasons: Vec<String>,
    /// `in_state`, `out_of_state`, `federal`, `private` or `unknown`.
    pub group: Group,
    /// The counterparty word the law was asked about.
    pub counterparty: Option<String>,
    /// The date the law was asked about (the list's date), as YYYY-MM-DD.
    pub date: String,
    /// The vocabulary actor the data owner was checked as; `None` when it has none.
    pub actor: Option<String>,
    /// The division id of the place whose rules bind the data owner; `None` when unknown.
    pub place: Option<String>,
    /// `must_not`, `must`, `may`, `conflict`, `no_rule`, or `unchecked` (see `note`).
    pub verdict: EdgeVerdict,
    /// The determining rules.
    pub rules: Vec<String>,
    /// What would change the verdict (a fact a list cannot show, a contested rule), one sentence
    /// each.
    pub caveats: Vec<String>,
    /// Why the edge was not checked, or what was assumed in checking it; `None` when there is
    /// nothing to say.
    pub note: Option<String>,
}

impl EdgeRow {
    /// A prohibition survives (alone or in conflict with a requirement).
    pub fn is_flagged(&self) -> bool {
        self.verdict.is_flagged()
    }
}

/// A source the rule also cites.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct AlsoCites {
    /// What kind of document the source is (`statute`, `regulation`, `court_decision`...).
    pub kind: String,
    /// The formal citation, e.g. `Cal. Gov. Code § 7284.6(a)(1)(B)`.
    pub citation: String,
    /// The act's or document's name.
    pub title: String,
    /// Where a reader can check the text.
    pub url: String,
}

/// A rule behind some verdicts, with how many edges it decided.
#[derive(Debug, Clone, Serialize)]
pub struct CitedRule {
    /// The rule's identifier in the law corpus (e.g. `us-8usc1373`).
    pub id: String,
    /// The legal citation of the source applied on the list's date (e.g. `8 U.S.C. § 1373`).
    pub citation: String,
    /// The title of that source.
    pub title: String,
    /// Where the source's text can be read.
    pub url: String,
    /// What kind of source it is, as a word (`statute`, `regulation`, `executive_order`...).
    pub kind: String,
    /// How well the rule's content is established: `primary`, `secondary` or `unverified`.
    pub provenance: String,
    /// The rule's legal status on the list's date (`in_force`, `enjoined`, `contested`...).
    pub status: String,
    /// The division id of the place whose rule this is.
    pub jurisdiction: String,
    /// Whether the rule requires, permits or prohibits the sharing: `required`, `permitted` or
    /// `prohibited`.
    pub modality: String,
    /// The rule's plain summary as it reads on the list's date.
    pub summary: String,
    /// Further sources for the same provision (an interpreting bulletin, a secondary summary).
    pub also_cites: Vec<AlsoCites>,
    /// Flagged edges this rule determined.
    pub edges: u64,
}

/// Recipients by group and by verdict.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Entries (as written) the owner shares with.
    pub recipients: u64,
    /// Distinct agencies behind them.
    pub agencies: u64,
    /// State and local recipients in the owner's state.
    pub in_state: u64,
    /// State and local recipients in other states.
    pub out_of_state: u64,
    /// Federal recipients.
    pub federal: u64,
    /// Private recipients (companies and other non-government bodies).
    pub private: u64,
    /// Recipients that could not be told well enough to be checked.
    pub unknown: u64,
    /// `must_not`, `must`, `may`, `conflict`, `no_rule`, `unchecked`.
    pub by_verdict: BTreeMap<String, u64>,
    /// Edges where a prohibition survives (`must_not` and `conflict`).
    pub forbidden: u64,
}

impl Counts {
    fn from_edges<'a>(edges: impl IntoIterator<Item = &'a EdgeRow>) -> Counts {
        let mut counts = Counts::default();
        let mut agencies = BTreeSet::new();
        for edge in edges {
            counts.recipients += 1;
            agencies.insert(edge.recipient_key.as_str());
            match edge.group {
                Group::InState => counts.in_state += 1,
                Group::OutOfState => counts.out_of_state += 1,
                Group::Federal => counts.federal += 1,
                Group::Private => counts.private += 1,
                Group::Unknown => counts.unknown += 1,
            }
            *counts
                .by_verdict
                .entry(edge.verdict.as_str().to_string())
                .or_default() += 1;
            if edge.is_flagged() {
                counts.forbidden += 1;
            }
        }
        counts.agencies = agencies.len() as u64;
        counts
    }

    fn add(&mut self, other: &Counts) {
        self.recipients += other.recipients;
        self.agencies += other.agencies;
        self.in_state += other.in_state;
        self.out_of_state += other.out_of_state;
        self.federal += other.federal;
        self.private += other.private;
        self.unknown += other.unknown;
        self.forbidden += other.forbidden;
        for (verdict, count) in &other.by_verdict {
            *self.by_verdict.entry(verdict.clone()).or_default() += count;
        }
    }
}

/// What other agencies' lists say this owner shares with them (their `sharing_inbound`).
#[derive(Debug, Clone, Serialize)]
pub struct NamedByOthers {
    /// The entries on other agencies' lists that name this owner as a source of their data,
    /// counted by the recipient's group and by verdict (this owner is the data owner).
    #[serde(flatten)]
    pub counts: Counts,
    /// Those edges where the owner's law forbids the sharing, with the citation.
    pub flagged: Vec<EdgeRow>,
}

/// Everything about one owner's sharing.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerReport {
    /// The owner as resolved.
    pub owner: OwnerRef,
    /// The date the current lists were true (the newest).
    pub date: Option<String>,
    /// Every list of this owner, current or not, oldest first.
    pub lists: Vec<ListRef>,
    /// Recipients of the current lists' outbound entries, by group and verdict.
    #[serde(flatten)]
    pub counts: Counts,
    /// State and local recipients by state.
    pub by_state: BTreeMap<String, u64>,
    /// Agencies that share their data with this owner, per its lists.
    pub receives_from: u64,
    /// A current list states immigration enforcement as a prohibited use.
    pub immigration_use_prohibited: bool,
    /// Edges the owner's law forbids, with the citation.
    pub flagged: Vec<EdgeRow>,
    /// Edges that were not checked (a recipient that could not be told, a guess, the owner
    /// itself), each with the reason: listed for review, never guessed.
    pub unchecked: Vec<EdgeRow>,
    /// The rules that forbid the flagged edges.
    pub citations: Vec<CitedRule>,
    /// What would change the flagged verdicts (a fact not stated, a contested rule), once each.
    pub caveats: Vec<String>,
    /// What other agencies' lists say this owner shares with them.
    pub named_by_others: NamedByOthers,
    /// Every outbound edge of the current lists.
    pub edges: Vec<EdgeRow>,
    /// The notice that this is information, not legal advice.
    pub disclaimer: &'static str,
}

/// One owner's line in a state's ranking.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerSummary {
    /// The owner's place in the ranking, from 1.
    pub rank: u64,
    /// The owner's readable name as resolved.
    pub owner: String,
    /// The owner's identity key (ORI when known).
    pub key: String,
    /// The owner's FBI ORI, when the resolver matched one.
    pub ori: Option<String>,
    /// The kind of agency (`police_department`, `sheriff`...), when known.
    pub kind: Option<String>,
    /// The newest date of its current lists (YYYY-MM-DD); `None` when it has none.
    pub date: Option<String>,
    /// The current lists' files.
    pub sources: Vec<String>,
    /// Recipients of the owner's current lists, by group and verdict.
    #[serde(flatten)]
    pub counts: Counts,
    /// Out-of-state recipients by state.
    pub out_of_state_by_state: BTreeMap<String, u64>,
    /// Whether a current list states immigration enforcement as a prohibited use.
    pub immigration_use_prohibited: bool,
}

/// The owners of one state, ranked by forbidden edges.
#[derive(Debug, Clone, Serialize)]
pub struct StateReport {
    /// Two-letter code of the state.
    pub state: String,
    /// The state's owners of current lists, ranked: most forbidden edges first, then most
    /// out-of-state and federal recipients, then by name.
    pub owners: Vec<OwnerSummary>,
    /// Owners with at least one out-of-state or federal recipient.
    pub owners_sharing_out_of_state_or_federal: u64,
    /// Owners with at least one edge their law forbids.
    pub owners_with_forbidden: u64,
    /// The owners' counts added up; `agencies` is the sum of each owner's distinct agencies, so an
    /// agency that several owners share with counts once per owner.
    pub totals: Counts,
    /// The rules that forbid the flagged edges, with how many edges each decided.
    pub citations: Vec<CitedRule>,
    /// What would change the flagged verdicts, once each.
    pub caveats: Vec<String>,
    /// The notice that this is information, not legal advice.
    pub disclaimer: &'static str,
}

/// Which edges to export.
#[derive(Debug, Clone, Default)]
pub struct EdgeFilter {
    /// Only this owner (its key; see [`find_owner`]).
    pub owner_key: Option<String>,
    /// Only owners in this state (two-letter code).
    pub state: Option<String>,
    /// Only this verdict word.
    pub verdict: Option<String>,
    /// Only this group word.
    pub group: Option<String>,
    /// Only the current lists (the newest of each source per owner).
    pub current_only: bool,
}

const EDGE_SELECT: &str = "
SELECT e.entry_id, e.list_id, l.source_path, n.line, n.field, e.direction,
       o.name, o.key, r.input, r.name, r.key, r.ori, r.state, r.class, r.kind, r.confidence,
       r.reasons, e.grouping, e.counterparty, e.date, o.actor, o.place, e.verdict,
       d.determining, d.caveats, e.note
FROM sharing_edges e
JOIN sharing_entries n ON n.id = e.entry_id
JOIN sharing_lists l ON l.id = e.list_id
JOIN sharing_parties o ON o.id = e.owner_party
JOIN sharing_parties r ON r.id = e.recipient_party
LEFT JOIN sharing_decisions d ON d.id = e.decision_id";

fn json_list(text: Option<String>) -> Vec<String> {
    text.and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn edge_row(row: &Row<'_>) -> remit_store::rusqlite::Result<EdgeRow> {
    Ok(EdgeRow {
        entry_id: row.get(0)?,
        list_id: row.get(1)?,
        source_path: row.get(2)?,
        line: row.get(3)?,
        field: row.get(4)?,
        direction: row.get(5)?,
        owner: row.get(6)?,
        owner_key: row.get(7)?,
        recipient: row.get(8)?,
        recipient_name: row.get(9)?,
        recipient_key: row.get(10)?,
        recipient_ori: row.get(11)?,
        recipient_state: row.get(12)?,
        recipient_class: row.get(13)?,
        recipient_kind: row.get(14)?,
        confidence: (row.get::<_, f64>(15)? * 100.0).round() / 100.0,
        reasons: json_list(row.get(16)?),
        group: row.get(17)?,
        counterparty: row.get(18)?,
        date: row.get(19)?,
        actor: row.get(20)?,
        place: row.get(21)?,
        verdict: row.get(22)?,
        rules: json_list(row.get(23)?),
        caveats: json_list(row.get(24)?),
        note: row.get(25)?,
    })
}

fn query_edges<V: remit_store::rusqlite::ToSql>(
    connection: &Connection,
    condition: &str,
    values: Vec<V>,
) -> Result<Vec<EdgeRow>, SharingError> {
    let mut statement = connection.prepare(&format!(
        "{EDGE_SELECT} WHERE {condition} ORDER BY e.list_id, e.entry_id"
    ))?;
    let rows = statement
        .query_map(params_from_iter(values.iter()), edge_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Every list, oldest first, with whether it is current for its owner.
pub fn lists(connection: &Connection) -> Result<Vec<ListRef>, SharingError> {
    let mut statement = connection.prepare(
        "SELECT l.id, l.source_path, l.format, l.sheet, l.owner, p.key, p.state, l.list_date,
                l.date_from, l.retention_days, l.prohibited_uses, l.immigration_use_prohibited,
                l.camera_count, l.searches_30d, l.outbound, l.inbound,
                (SELECT COUNT(*) FROM sharing_issues i WHERE i.list_id = l.id),
                i.imported_at
         FROM sharing_lists l
         JOIN imports i ON i.id = l.import_id
         LEFT JOIN sharing_list_owners lo ON lo.list_id = l.id
         LEFT JOIN sharing_parties p ON p.id = lo.party_id
         ORDER BY l.id",
    )?;
    let mut lists = statement
        .query_map([], |row| {
            Ok(ListRef {
                id: row.get(0)?,
                source_path: row.get(1)?,
                format: row.get(2)?,
                sheet: row.get(3)?,
                owner: row.get(4)?,
                owner_key: row.get(5)?,
                owner_state: row.get(6)?,
                date: row.get(7)?,
                date_from: row.get(8)?,
                retention_days: row.get(9)?,
                prohibited_uses: row.get(10)?,
                immigration_use_prohibited: row.get(11)?,
                camera_count: row.get(12)?,
                searches_30d: row.get(13)?,
                outbound: u64::try_from(row.get::<_, i64>(14)?).unwrap_or(0),
                inbound: u64::try_from(row.get::<_, i64>(15)?).unwrap_or(0),
                issues: u64::try_from(row.get::<_, i64>(16)?).unwrap_or(0),
                current: false,
                imported_at: row.get(17)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    // Current: the newest list of each source (format and sheet) per owner.
    let mut newest: HashMap<(String, String, String), (String, i64)> = HashMap::new();
    for list in &lists {
        let Some(key) = &list.owner_key else { continue };
        let source = (
            key.clone(),
            list.format.clone(),
            list.sheet.clone().unwrap_or_default(),
        );
        let candidate = (list.date.clone(), list.id);
        let slot = newest.entry(source).or_insert_with(|| candidate.clone());
        if candidate > *slot {
            *slot = candidate;
        }
    }
    let current: BTreeSet<i64> = newest.values().map(|(_, id)| *id).collect();
    for list in &mut lists {
        list.current = current.contains(&list.id);
    }
    Ok(lists)
}

/// The issues found reading one list.
#[derive(Debug, Clone, Serialize)]
pub struct IssueRow {
    /// The list's row id in the store.
    pub list_id: i64,
    /// The file the list was imported from, as given at import.
    pub source_path: String,
    /// The 1-based line of the file (the sheet row for workbooks); `None` when the issue concerns
    /// the whole list.
    pub line: Option<i64>,
    /// The field or column concerned, as named in the file.
    pub field: String,
    /// The value found there, as written; empty when the field is missing.
    pub value: String,
    /// `error` (an entry set aside), `warning` or `note`.
    pub severity: String,
    /// What is wrong and what was done about it, in plain words.
    pub message: String,
}

/// Issues, for one list or all.
pub fn issues(
    connection: &Connection,
    list_id: Option<i64>,
) -> Result<Vec<IssueRow>, SharingError> {
    let mut statement = connection.prepare(
        "SELECT i.list_id, l.source_path, i.line, i.field, i.value, i.severity, i.message
         FROM sharing_issues i JOIN sharing_lists l ON l.id = i.list_id
         WHERE ?1 IS NULL OR i.list_id = ?1
         ORDER BY i.list_id, i.id",
    )?;
    let rows = statement
        .query_map([list_id], |row| {
            Ok(IssueRow {
                list_id: row.get(0)?,
                source_path: row.get(1)?,
                line: row.get(2)?,
                field: row.get(3)?,
                value: row.get(4)?,
                severity: row.get(5)?,
                message: row.get(6)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The owner (party key) a user means by `text`: an ORI, any name form the resolver understands
/// (`El Cajon CA PD`, `El Cajon PD ( CA)`), the owner's name as a list writes it, or a portal
/// slug. `resolver` should be the one the derived layer was built with.
pub fn find_owner(
    connection: &Connection,
    text: &str,
    resolver: Option<&Resolver>,
) -> Result<String, SharingError> {
    let owners = owner_keys(connection)?;
    if owners.is_empty() {
        return Err(SharingError::Empty);
    }
    let wanted = text.trim();
    let folded = fold(wanted);
    let mut found: BTreeSet<&str> = BTreeSet::new();
    if is_ori(&wanted.to_ascii_uppercase()) {
        let ori = wanted.to_ascii_uppercase();
        found.extend(
            owners
                .iter()
                .filter(|o| o.ori.as_deref() == Some(ori.as_str()) || o.key == ori)
                .map(|o| o.key.as_str()),
        );
    }
    if found.is_empty() {
        found.extend(
            owners
                .iter()
                .filter(|o| o.key == wanted)
                .map(|o| o.key.as_str()),
        );
    }
    if found.is_empty() {
        if let Some(resolver) = resolver {
            let resolution = resolver.resolve(wanted, None);
            let party = crate::check::party_key(&resolution);
            found.extend(
                owners
                    .iter()
                    .filter(|o| o.key == party)
                    .map(|o| o.key.as_str()),
            );
        }
    }
    if found.is_empty() {
        found.extend(
            owners
                .iter()
                .filter(|o| {
                    fold(&o.name) == folded
                        || o.written.iter().any(|w| fold(w) == folded)
                        || o.slugs
                            .iter()
                            .any(|s| s.trim_matches('-') == wanted.trim_matches('-'))
                })
                .map(|o| o.key.as_str()),
        );
    }
    match found.len() {
        1 => Ok(found
            .into_iter()
            .next()
            .map(str::to_string)
            .unwrap_or_default()),
        0 => {
            let mut ranked: Vec<(f64, &str)> = owners
                .iter()
                .flat_map(|o| o.written.iter().map(String::as_str))
                .map(|w| (strsim::jaro_winkler(&fold(w), &folded), w))
                .collect();
            ranked.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
            let mut suggestions: Vec<String> = Vec::new();
            for (score, name) in ranked {
                if score < 0.8 || suggestions.len() == 3 {
                    break;
                }
                if !suggestions.iter().any(|s| s == name) {
                    suggestions.push(name.to_string());
                }
            }
            Err(SharingError::NoOwnerLists {
                owner: wanted.to_string(),
                suggestions,
            })
        }
        count => Err(SharingError::AmbiguousOwner {
            owner: wanted.to_string(),
            count,
            names: owners
                .iter()
                .filter(|o| found.contains(o.key.as_str()))
                .map(|o| {
                    format!(
                        "`{}` ({})",
                        o.name,
                        o.state.as_deref().unwrap_or("state unknown")
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// Lowercase words without punctuation, for comparing names as written.
pub fn fold(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

struct OwnerKey {
    key: String,
    name: String,
    ori: Option<String>,
    state: Option<String>,
    written: Vec<String>,
    slugs: Vec<String>,
}

fn owner_keys(connection: &Connection) -> Result<Vec<OwnerKey>, SharingError> {
    let mut statement = connection.prepare(
        "SELECT p.key, p.name, p.ori, p.state, l.owner, l.slug
         FROM sharing_list_owners lo
         JOIN sharing_parties p ON p.id = lo.party_id
         JOIN sharing_lists l ON l.id = lo.list_id
         ORDER BY p.key, l.id",
    )?;
    let mut owners: Vec<OwnerKey> = Vec::new();
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, Option<String>>(2)?,
            row.get::<_, Option<String>>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, Option<String>>(5)?,
        ))
    })?;
    for row in rows {
        let (key, name, ori, state, written, slug) = row?;
        if owners.last().is_none_or(|o| o.key != key) {
            owners.push(OwnerKey {
                key,
                name,
                ori,
                state,
                written: Vec::new(),
                slugs: Vec::new(),
            });
        }
        if let Some(owner) = owners.last_mut() {
            if !owner.written.contains(&written) {
                owner.written.push(written);
            }
            owner.slugs.extend(slug);
        }
    }
    Ok(owners)
}

fn owner_ref(connection: &Connection, key: &str) -> Result<OwnerRef, SharingError> {
    let mut statement = connection.prepare(
        "SELECT p.name, p.ori, p.state, p.class, p.kind, p.actor, p.place, p.confidence,
                p.reasons, l.owner
         FROM sharing_list_owners lo
         JOIN sharing_parties p ON p.id = lo.party_id
         JOIN sharing_lists l ON l.id = lo.list_id
         WHERE p.key = ?1
         ORDER BY l.list_date DESC, l.id DESC",
    )?;
    let mut owner: Option<OwnerRef> = None;
    let rows = statement.query_map([key], |row| {
        Ok((
            OwnerRef {
                key: key.to_string(),
                name: row.get(0)?,
                ori: row.get(1)?,
                state: row.get(2)?,
                class: row.get(3)?,
                kind: row.get(4)?,
                actor: row.get(5)?,
                place: row.get(6)?,
                confidence: (row.get::<_, f64>(7)? * 100.0).round() / 100.0,
                reasons: json_list(row.get(8)?),
                names: Vec::new(),
            },
            row.get::<_, String>(9)?,
        ))
    })?;
    for row in rows {
        let (found, written) = row?;
        let owner = owner.get_or_insert(found);
        if !owner.names.contains(&written) {
            owner.names.push(written);
        }
    }
    owner.ok_or_else(|| SharingError::NoOwnerLists {
        owner: key.to_string(),
        suggestions: Vec::new(),
    })
}

fn cited_rules(
    connection: &Connection,
    flagged: &[&EdgeRow],
) -> Result<Vec<CitedRule>, SharingError> {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for edge in flagged {
        for rule in &edge.rules {
            *counts.entry(rule.as_str()).or_default() += 1;
        }
    }
    let mut rules = Vec::new();
    let mut statement = connection.prepare(
        "SELECT id, citation, title, url, kind, provenance, status, jurisdiction, modality,
                summary, also_cites
         FROM sharing_rules WHERE id = ?1",
    )?;
    for (id, edges) in counts {
        let rule = statement.query_row([id], |row| {
            Ok(CitedRule {
                id: row.get(0)?,
                citation: row.get(1)?,
                title: row.get(2)?,
                url: row.get(3)?,
                kind: row.get(4)?,
                provenance: row.get(5)?,
                status: row.get(6)?,
                jurisdiction: row.get(7)?,
                modality: row.get(8)?,
                summary: row.get(9)?,
                also_cites: row
                    .get::<_, String>(10)
                    .ok()
                    .and_then(|t| serde_json::from_str(&t).ok())
                    .unwrap_or_default(),
                edges,
            })
        })?;
        rules.push(rule);
    }
    rules.sort_by(|a, b| b.edges.cmp(&a.edges).then_with(|| a.id.cmp(&b.id)));
    Ok(rules)
}

fn distinct_caveats(edges: &[EdgeRow]) -> Vec<String> {
    let mut caveats: Vec<String> = Vec::new();
    for caveat in edges.iter().flat_map(|e| &e.caveats) {
        if !caveats.contains(caveat) {
            caveats.push(caveat.clone());
        }
    }
    caveats
}

/// The outbound edges of an owner's current lists, one per recipient as written (when two
/// current lists name the same recipient, the newer list's edge is kept).
fn current_edges(
    connection: &Connection,
    current: &[&ListRef],
) -> Result<Vec<EdgeRow>, SharingError> {
    if current.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = vec!["?"; current.len()].join(", ");
    let edges = query_edges(
        connection,
        &format!("e.direction = 'outbound' AND e.list_id IN ({placeholders})"),
        current.iter().map(|l| l.id).collect(),
    )?;
    Ok(keep_current(edges, current))
}

/// The edges of `current` lists among `edges`, one per recipient as written (the newest list's
/// when several name it), in list order.
fn keep_current(mut edges: Vec<EdgeRow>, current: &[&ListRef]) -> Vec<EdgeRow> {
    let mut by_date: Vec<&ListRef> = current.to_vec();
    by_date.sort_by(|a, b| (&b.date, b.id).cmp(&(&a.date, a.id)));
    let order: HashMap<i64, usize> = by_date.iter().enumerate().map(|(i, l)| (l.id, i)).collect();
    edges.retain(|e| order.contains_key(&e.list_id));
    edges.sort_by_key(|e| {
        (
            order.get(&e.list_id).copied().unwrap_or(usize::MAX),
            e.entry_id,
        )
    });
    let mut seen = BTreeSet::new();
    edges.retain(|e| seen.insert(e.recipient.clone()));
    edges.sort_by_key(|e| e.entry_id);
    edges
}

/// The report on one owner (`key` from [`find_owner`]).
pub fn owner_report(connection: &Connection, key: &str) -> Result<OwnerReport, SharingError> {
    let owner = owner_ref(connection, key)?;
    let all_lists = lists(connection)?;
    let mine: Vec<ListRef> = all_lists
        .into_iter()
        .filter(|l| l.owner_key.as_deref() == Some(key))
        .collect();
    let current: Vec<&ListRef> = mine.iter().filter(|l| l.current).collect();
    let edges = current_edges(connection, &current)?;
    let counts = Counts::from_edges(&edges);
    let mut by_state: BTreeMap<String, u64> = BTreeMap::new();
    for edge in &edges {
        if matches!(edge.group, Group::InState | Group::OutOfState) {
            if let Some(state) = &edge.recipient_state {
                *by_state.entry(state.clone()).or_default() += 1;
            }
        }
    }
    let flagged: Vec<EdgeRow> = edges.iter().filter(|e| e.is_flagged()).cloned().collect();
    let unchecked: Vec<EdgeRow> = edges
        .iter()
        .filter(|e| e.verdict == "unchecked")
        .cloned()
        .collect();
    let citations = cited_rules(connection, &flagged.iter().collect::<Vec<_>>())?;
    let receives_from = current.iter().map(|l| l.inbound).sum();
    let others = query_edges(
        connection,
        "e.direction = 'inbound' AND o.key = ?1",
        vec![key.to_string()],
    )?;
    let named_by_others = NamedByOthers {
        counts: Counts::from_edges(&others),
        flagged: others.into_iter().filter(EdgeRow::is_flagged).collect(),
    };
    Ok(OwnerReport {
        date: current.iter().map(|l| l.date.clone()).max(),
        immigration_use_prohibited: current.iter().any(|l| l.immigration_use_prohibited),
        owner,
        lists: mine,
        counts,
        by_state,
        receives_from,
        caveats: distinct_caveats(&flagged),
        flagged,
        unchecked,
        citations,
        named_by_others,
        edges,
        disclaimer: DISCLAIMER,
    })
}

/// The owners of `state` (two-letter code), ranked by forbidden edges, then by out-of-state and
/// federal recipients, then by name.
pub fn state_report(connection: &Connection, state: &str) -> Result<StateReport, SharingError> {
    let all_lists = lists(connection)?;
    let mut by_owner: BTreeMap<String, Vec<&ListRef>> = BTreeMap::new();
    for list in &all_lists {
        if list.current && list.owner_state.as_deref() == Some(state) {
            if let Some(key) = &list.owner_key {
                by_owner.entry(key.clone()).or_default().push(list);
            }
        }
    }
    let mut owners = Vec::new();
    let mut totals = Counts::default();
    let mut flagged_all: Vec<EdgeRow> = Vec::new();
    let mut state_edges: BTreeMap<String, Vec<EdgeRow>> = BTreeMap::new();
    for edge in query_edges(
        connection,
        "e.direction = 'outbound' AND o.state = ?1",
        vec![state.to_string()],
    )? {
        state_edges
            .entry(edge.owner_key.clone())
            .or_default()
            .push(edge);
    }
    for (key, current) in &by_owner {
        let owner = owner_ref(connection, key)?;
        let edges = keep_current(state_edges.remove(key).unwrap_or_default(), current);
        let counts = Counts::from_edges(&edges);
        totals.add(&counts);
        let mut out_of_state_by_state = BTreeMap::new();
        for edge in edges.iter().filter(|e| e.group == Group::OutOfState) {
            if let Some(state) = &edge.recipient_state {
                *out_of_state_by_state.entry(state.clone()).or_default() += 1;
            }
        }
        flagged_all.extend(edges.into_iter().filter(EdgeRow::is_flagged));
        owners.push(OwnerSummary {
            rank: 0,
            owner: owner.name,
            key: key.clone(),
            ori: owner.ori,
            kind: owner.kind,
            date: current.iter().map(|l| l.date.clone()).max(),
            sources: current.iter().map(|l| l.source_path.clone()).collect(),
            counts,
            out_of_state_by_state,
            immigration_use_prohibited: current.iter().any(|l| l.immigration_use_prohibited),
        });
    }
    owners.sort_by(|a, b| {
        b.counts
            .forbidden
            .cmp(&a.counts.forbidden)
            .then_with(|| {
                (b.counts.out_of_state + b.counts.federal)
                    .cmp(&(a.counts.out_of_state + a.counts.federal))
            })
            .then_with(|| a.owner.cmp(&b.owner))
    });
    for (index, owner) in owners.iter_mut().enumerate() {
        owner.rank = index as u64 + 1;
    }
    let citations = cited_rules(connection, &flagged_all.iter().collect::<Vec<_>>())?;
    Ok(StateReport {
        state: state.to_string(),
        owners_sharing_out_of_state_or_federal: owners
            .iter()
            .filter(|o| o.counts.out_of_state + o.counts.federal > 0)
            .count() as u64,
        owners_with_forbidden: owners.iter().filter(|o| o.counts.forbidden > 0).count() as u64,
        owners,
        totals,
        citations,
        caveats: distinct_caveats(&flagged_all),
        disclaimer: DISCLAIMER,
    })
}

/// Edges for export.
pub fn edges(connection: &Connection, filter: &EdgeFilter) -> Result<Vec<EdgeRow>, SharingError> {
    let mut conditions = vec!["1 = 1".to_string()];
    let mut values = Vec::new();
    if let Some(key) = &filter.owner_key {
        values.push(key.clone());
        conditions.push(format!("o.key = ?{}", values.len()));
    }
    if let Some(state) = &filter.state {
        values.push(state.clone());
        conditions.push(format!("o.state = ?{}", values.len()));
    }
    if let Some(verdict) = &filter.verdict {
        values.push(verdict.clone());
        conditions.push(format!("e.verdict = ?{}", values.len()));
    }
    if let Some(group) = &filter.group {
        values.push(group.clone());
        conditions.push(format!("e.grouping = ?{}", values.len()));
    }
    let mut rows = query_edges(connection, &conditions.join(" AND "), values)?;
    if filter.current_only {
        let current: BTreeSet<i64> = lists(connection)?
            .into_iter()
            .filter(|l| l.current)
            .map(|l| l.id)
            .collect();
        rows.retain(|e| current.contains(&e.list_id));
    }
    Ok(rows)
}

/// The CSV header of [`write_edges_csv`].
pub const EDGE_CSV_HEADER: [&str; 22] = [
    "source_path",
    "line",
    "field",
    "direction",
    "owner",
    "owner_key",
    "recipient",
    "recipient_name",
    "recipient_ori",
    "recipient_state",
    "recipient_class",
    "recipient_kind",
    "confidence",
    "group",
    "counterparty",
    "date",
    "actor",
    "place",
    "verdict",
    "rules",
    "note",
    "reasons",
];

/// Writes edges as CSV. Errors are the writer's own (a closed pipe stays a closed pipe). A cell a
/// spreadsheet would take as a formula gets a quote in front unless `raw`
/// ([`remit_store::csv_out`]).
pub fn write_edges_csv<W: std::io::Write>(
    out: W,
    edges: &[EdgeRow],
    raw: bool,
) -> std::io::Result<()> {
    write_csv(out, edges, raw).map_err(|error| match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => std::io::Error::other(format!("{other:?}")),
    })
}

fn write_csv<W: std::io::Write>(out: W, edges: &[EdgeRow], raw: bool) -> Result<(), csv::Error> {
    let mut writer = remit_store::csv_out::Writer::new(out, raw);
    writer.write_record(EDGE_CSV_HEADER)?;
    for edge in edges {
        writer.write_record([
            edge.source_path.as_str(),
            &edge.line.to_string(),
            &edge.field,
            &edge.direction,
            &edge.owner,
            &edge.owner_key,
            &edge.recipient,
            &edge.recipient_name,
            edge.recipient_ori.as_deref().unwrap_or(""),
            edge.recipient_state.as_deref().unwrap_or(""),
            &edge.recipient_class,
            edge.recipient_kind.as_deref().unwrap_or(""),
            &format!("{:.2}", edge.confidence),
            edge.group.as_str(),
            edge.counterparty.as_deref().unwrap_or(""),
            &edge.date,
            edge.actor.as_deref().unwrap_or(""),
            edge.place.as_deref().unwrap_or(""),
            edge.verdict.as_str(),
            &edge.rules.join(" "),
            edge.note.as_deref().unwrap_or(""),
            &edge.reasons.join("; "),
        ])?;
    }
    writer.flush()?;
    Ok(())
}
