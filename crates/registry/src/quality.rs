//! The data-quality report: every issue found in the sheets and in their history, summarised by
//! kind with an example, or listed one by one with file, row and column.

use std::collections::BTreeMap;

use remit_store::rusqlite::{Connection, params};
use serde::Serialize;

use crate::error::RegistryError;

/// One stored issue.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IssueRow {
    /// `sheet` (one file) or `history` (comparing snapshots).
    pub origin: String,
    /// The file the issue was found in; for a history issue, the snapshot's file (`None` when
    /// none is recorded).
    pub file: Option<String>,
    /// 1-based sheet row (`None` for the whole file or for a history issue).
    pub row: Option<u32>,
    /// The column's header and letter, e.g. `SIGNED (F)` (`None` when not about one column).
    pub column: Option<String>,
    /// A stable slug, listed in docs/methodology.md#the-287g-registry.
    pub kind: String,
    /// `note`, `warning` or `error`.
    pub severity: String,
    /// The cell as it was, when the issue is about one cell.
    pub value: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
}

/// Issues of one kind, severity and column.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IssueSummary {
    /// The issues' kind slug.
    pub kind: String,
    /// `note`, `warning` or `error`.
    pub severity: String,
    /// The column's header without its letter (`SIGNED`), when the kind is about cells.
    pub column: Option<String>,
    /// Issues in the group.
    pub count: u64,
    /// Files with at least one.
    pub files: u64,
    /// Distinct values, up to five, most frequent first.
    pub values: Vec<String>,
    /// The first issue of the group, in file and row order.
    pub example: IssueRow,
}

/// A header version and the snapshots that use it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Layout {
    /// `participating` or `pending`.
    pub kind: String,
    /// The known headers in sheet order.
    pub columns: Vec<String>,
    /// Snapshots with this layout.
    pub snapshots: u64,
    /// The earliest snapshot with this layout, `YYYY-MM-DD` with `am` or `pm` when known.
    pub first: String,
    /// The latest snapshot with this layout, in the same form.
    pub last: String,
}

/// `remit registry quality`: how much was read, and every issue summarised by kind.
#[derive(Debug, Clone, Serialize)]
pub struct QualityReport {
    /// Snapshots imported.
    pub files: u64,
    /// Non-empty data rows across all snapshots.
    pub rows: u64,
    /// Issues stored, of every origin.
    pub issues: u64,
    /// Issues per severity (`note`, `warning`, `error`).
    pub by_severity: BTreeMap<String, u64>,
    /// Each header version, per sheet kind, in first-use order.
    pub layouts: Vec<Layout>,
    /// Issue groups, errors first, then by count, largest first.
    pub summary: Vec<IssueSummary>,
}

/// Which issues to list.
#[derive(Debug, Clone, Default)]
pub struct IssueFilter {
    /// Only issues of this kind slug (`None`: every kind).
    pub kind: Option<String>,
    /// Only issues of this severity (`None`: every severity).
    pub severity: Option<String>,
    /// A substring of the file path.
    pub file: Option<String>,
}

/// Every issue matching `filter`, by file and row.
pub fn issues(
    connection: &Connection,
    filter: &IssueFilter,
) -> Result<Vec<IssueRow>, RegistryError> {
    let mut statement = connection.prepare(
        "SELECT i.origin, i.source_path, i.row, i.column_name, i.kind, i.severity, i.value,
            i.message
         FROM registry_issues i
         LEFT JOIN registry_snapshots s ON s.id = i.snapshot_id
         WHERE (?1 IS NULL OR i.kind = ?1) AND (?2 IS NULL OR i.severity = ?2)
           AND (?3 IS NULL OR instr(i.source_path, ?3) > 0)
         ORDER BY s.taken_day, s.period_rank, s.source_name, i.origin DESC, i.row, i.id",
    )?;
    let rows = statement
        .query_map(params![filter.kind, filter.severity, filter.file], |row| {
            Ok(IssueRow {
                origin: row.get(0)?,
                file: row.get(1)?,
                row: row.get(2)?,
                column: row.get(3)?,
                kind: row.get(4)?,
                severity: row.get(5)?,
                value: row.get(6)?,
                message: row.get(7)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

fn column_header(column: &Option<String>) -> Option<String> {
    // `SIGNED (F)` -> `SIGNED`; a bare `(H)` or `H, I` keeps its letters.
    column.as_ref().map(|c| match c.rfind(" (") {
        Some(position) if c.ends_with(')') => c[..position].to_string(),
        _ => c.clone(),
    })
}

/// The report over everything in the store.
pub fn report(connection: &Connection) -> Result<QualityReport, RegistryError> {
    let all = issues(connection, &IssueFilter::default())?;
    let (files, rows): (i64, i64) = connection.query_row(
        "SELECT COUNT(*), COALESCE(SUM(rows), 0) FROM registry_snapshots",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let (files, rows) = (
        u64::try_from(files).unwrap_or(0),
        u64::try_from(rows).unwrap_or(0),
    );
    let mut by_severity = BTreeMap::new();
    let mut groups: BTreeMap<(String, String, Option<String>), Vec<&IssueRow>> = BTreeMap::new();
    for issue in &all {
        *by_severity.entry(issue.severity.clone()).or_default() += 1;
        let column = if issue.row.is_some() {
            column_header(&issue.column)
        } else {
            None
        };
        groups
            .entry((issue.kind.clone(), issue.severity.clone(), column))
            .or_default()
            .push(issue);
    }
    let mut summary: Vec<IssueSummary> = groups
        .into_iter()
        .filter_map(|((kind, severity, column), members)| {
            let example = (*members.first()?).clone();
            let files = members
                .iter()
                .filter_map(|i| i.file.as_deref())
                .collect::<std::collections::BTreeSet<_>>()
                .len() as u64;
            let mut values: BTreeMap<&str, u64> = BTreeMap::new();
            for member in &members {
                if let Some(value) = member.value.as_deref() {
                    *values.entry(value).or_default() += 1;
                }
            }
            let mut values: Vec<(&str, u64)> = values.into_iter().collect();
            values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            Some(IssueSummary {
                kind,
                severity,
                column,
                count: members.len() as u64,
                files,
                values: values
                    .iter()
                    .take(5)
                    .map(|(v, _)| (*v).to_string())
                    .collect(),
                example,
            })
        })
        .collect();
    let rank = |severity: &str| match severity {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    };
    summary.sort_by(|a, b| {
        rank(&a.severity)
            .cmp(&rank(&b.severity))
            .then(b.count.cmp(&a.count))
            .then(a.kind.cmp(&b.kind))
    });

    let mut statement = connection.prepare(
        "SELECT kind, layout, COUNT(*),
            MIN(taken_day || CASE taken_period WHEN '' THEN '' ELSE ' ' || taken_period END),
            MAX(taken_day || CASE taken_period WHEN '' THEN '' ELSE ' ' || taken_period END)
         FROM registry_snapshots GROUP BY kind, layout ORDER BY kind, MIN(taken_day)",
    )?;
    let layouts = statement
        .query_map([], |row| {
            let layout: String = row.get(1)?;
            Ok(Layout {
                kind: row.get(0)?,
                columns: layout.split('|').map(str::to_string).collect(),
                snapshots: u64::try_from(row.get::<_, i64>(2)?).unwrap_or(0),
                first: row.get(3)?,
                last: row.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(QualityReport {
        files,
        rows,
        issues: all.len() as u64,
        by_severity,
        layouts,
        summary,
    })
}
