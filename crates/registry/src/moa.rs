//! The agreements index: the 287(g) memoranda of agreement (MOA documents) ICE posted, as a
//! second source beside the sheets.
//!
//! ICE's sheets in the archive stop in July 2025, but ICE kept posting each agreement's signed
//! MOA on its page; an index of those documents (`moa_agreements.json`, one key per
//! `STATE|lowercased name`, one entry per document with its model, file name, URL and the
//! archive snapshot in which it first appeared) reaches mid-2026. A document first seen in a
//! snapshot was posted by then, not signed then, and the index never says when an agreement
//! ended: its counts are `MOA posted by <date>`, never `listed in ICE's sheet of <date>`, and
//! they are kept apart from the sheets' counts everywhere.
//!
//! Every defect is reported on import with counts and examples: missing models (read from the
//! file name when it says), missing file-name dates (read from other date forms in the name),
//! keys that lost punctuation, several documents per agency, entries without a URL or snapshot.
//! Each index agency is linked to the registry's agencies (same identity key as a name in the
//! sheets, else the same directory agency through the resolver) with a confidence.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use remit_store::rusqlite::{Connection, Transaction, params};
use remit_store::{ImportCounts, ImportOutcome, ImportSource, Store, content_hash};
use serde::{Deserialize, Serialize};

use crate::day::Day;
use crate::error::RegistryError;
use crate::history::Linker;
use crate::names::agency_key;
use crate::query::Filter;
use crate::states::parse_state;
use crate::vocab::{MODELS, parse_model};

/// The import log's kind for the agreements index.
pub const MOA_IMPORT_KIND: &str = "registry.moa_index";

/// How many examples each kind of defect keeps for the report.
const EXAMPLES: usize = 3;

#[derive(Debug, Deserialize)]
struct RawDocument {
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    pdf_url: Option<String>,
    #[serde(default)]
    sha: Option<String>,
    #[serde(default)]
    snapshot: Option<String>,
    #[serde(default)]
    date_filename: Option<String>,
    #[serde(default)]
    filename: Option<String>,
}

/// One document as imported.
#[derive(Debug, Clone)]
struct Document {
    index_key: String,
    state: Option<String>,
    name: String,
    agency_key: String,
    model_raw: Option<String>,
    model: Option<String>,
    model_from: Option<&'static str>,
    posted_snapshot: String,
    posted: Day,
    file_date_raw: Option<String>,
    file_date: Option<Day>,
    file_name: String,
    url: String,
    sha: Option<String>,
}

/// One kind of defect found in the index, with its count and a few examples.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MoaDefect {
    /// The defect's kind, e.g. `model_from_file_name`.
    pub kind: String,
    /// `note`, `warning` or `error`.
    pub severity: &'static str,
    /// How many entries of the index have this defect.
    pub count: u64,
    /// What the defect means and what the import did about it, in plain words.
    pub meaning: String,
    /// Up to three examples, each naming the index key.
    pub examples: Vec<String>,
}

/// What importing the index did.
#[derive(Debug, Clone, Serialize)]
pub struct MoaImportReport {
    /// The index file, as given.
    pub path: String,
    /// `imported` or `already_imported`.
    pub status: &'static str,
    /// Distinct agencies (state and identity key) among the kept documents.
    pub agencies: u64,
    /// Documents the index lists, kept or not.
    pub documents: u64,
    /// Documents kept (the others lack a URL, file name or a readable snapshot).
    pub documents_kept: u64,
    /// Distinct states among the kept documents.
    pub states: u64,
    /// The earliest day a kept document was posted by (`None` when none is kept).
    pub first_posted: Option<Day>,
    /// The latest day a kept document was posted by (`None` when none is kept).
    pub last_posted: Option<Day>,
    /// Every kind of defect found, with counts and examples.
    pub defects: Vec<MoaDefect>,
    /// How the index's agencies link to the registry's.
    pub links: MoaLinkCounts,
}

/// How the index's agencies link to the registry's.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct MoaLinkCounts {
    /// Agencies in the index.
    pub agencies: u64,
    /// Same identity key as a name in ICE's sheets.
    pub by_sheet_name: u64,
    /// The same directory agency as a registry agency.
    pub by_directory: u64,
    /// Linked to the directory only (the agency is in no sheet).
    pub directory_only: u64,
    /// Linked neither to a sheet name nor to the directory.
    pub unlinked: u64,
}

/// One defect as stored: index key, kind, severity, value, message.
type DefectRow = (
    Option<String>,
    &'static str,
    &'static str,
    Option<String>,
    String,
);

/// Defect kinds: severity, meaning, count and examples.
type DefectKinds = BTreeMap<&'static str, (&'static str, &'static str, u64, Vec<String>)>;

#[derive(Default)]
struct Defects {
    kinds: DefectKinds,
    rows: Vec<DefectRow>,
}

impl Defects {
    fn add(
        &mut self,
        kind: &'static str,
        severity: &'static str,
        meaning: &'static str,
        key: &str,
        value: Option<&str>,
        message: String,
    ) {
        let entry = self
            .kinds
            .entry(kind)
            .or_insert((severity, meaning, 0, Vec::new()));
        entry.2 += 1;
        if entry.3.len() < EXAMPLES {
            entry.3.push(message.clone());
        }
        self.rows.push((
            Some(key.to_string()),
            kind,
            severity,
            value.map(str::to_string),
            message,
        ));
    }

    fn summary(&self) -> Vec<MoaDefect> {
        self.kinds
            .iter()
            .map(|(kind, (severity, meaning, count, examples))| MoaDefect {
                kind: (*kind).to_string(),
                severity,
                count: *count,
                meaning: (*meaning).to_string(),
                examples: examples.clone(),
            })
            .collect()
    }
}

/// `agreements_20250519_024922` to 2025-05-19.
fn snapshot_day(snapshot: &str) -> Option<Day> {
    let digits: String = snapshot
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .chars()
        .take(8)
        .collect();
    if digits.len() != 8 {
        return None;
    }
    let number = |range: std::ops::Range<usize>| digits.get(range)?.parse::<u32>().ok();
    Day::new(
        i32::try_from(number(0..4)?).ok()?,
        u8::try_from(number(4..6)?).ok()?,
        u8::try_from(number(6..8)?).ok()?,
    )
}

/// `MMDDYY` or `MMDDYYYY` (the index's `date_filename`).
fn compact_date(text: &str) -> Option<Day> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let year = match text.len() {
        6 => 2000 + number(4..6)?,
        8 => number(4..8)?,
        _ => return None,
    };
    Day::new(
        i32::try_from(year).ok()?,
        u8::try_from(number(0..2)?).ok()?,
        u8::try_from(number(2..4)?).ok()?,
    )
}

/// A date written `M-D-YYYY`, `MM.DD.YYYY` or `MM_DD_YY` somewhere in a file name, or a run of
/// six or eight digits read as `MMDDYY(YY)`. Years outside 1996..=2030 are not dates.
fn date_in_file_name(file_name: &str) -> Option<Day> {
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    let groups: Vec<(usize, usize)> = {
        let bytes = stem.as_bytes();
        let mut groups = Vec::new();
        let mut start = None;
        for (index, byte) in bytes.iter().enumerate() {
            match (byte.is_ascii_digit(), start) {
                (true, None) => start = Some(index),
                (false, Some(s)) => {
                    groups.push((s, index));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            groups.push((s, bytes.len()));
        }
        groups
    };
    let plausible = |day: Day| (1996..=2030).contains(&day.year());
    for window in groups.windows(3) {
        let [(a0, a1), (b0, b1), (c0, c1)] = [window[0], window[1], window[2]];
        let separated = |end: usize, next: usize| {
            next == end + 1 && matches!(stem.as_bytes().get(end), Some(b'-' | b'.' | b'_'))
        };
        if !(separated(a1, b0) && separated(b1, c0)) {
            continue;
        }
        let number = |start: usize, end: usize| stem.get(start..end)?.parse::<u32>().ok();
        let (Some(month), Some(day), Some(year)) = (number(a0, a1), number(b0, b1), number(c0, c1))
        else {
            continue;
        };
        // `2020-07-20`: year first.
        let (month, day, year) = if b0 - a0 == 5 && a1 - a0 == 4 {
            (day, year, month)
        } else {
            (month, day, year)
        };
        let year = if year < 100 { 2000 + year } else { year };
        if let Some(found) = Day::new(
            i32::try_from(year).unwrap_or(0),
            u8::try_from(month).unwrap_or(0),
            u8::try_from(day).unwrap_or(0),
        )
        .filter(|d| plausible(*d))
        {
            return Some(found);
        }
    }
    groups
        .iter()
        .rev()
        .filter_map(|(start, end)| compact_date(stem.get(*start..*end)?))
        .find(|d| plausible(*d))
}

/// The model a file name names (`..._TFM_MOA_...`, `287gWSO_...`), when it names exactly one.
fn model_in_file_name(file_name: &str) -> Option<&'static str> {
    let lower = file_name.to_ascii_lowercase();
    let found: BTreeSet<&'static str> = MODELS
        .iter()
        .filter(|m| {
            lower.contains(m.abbreviation)
                || lower.contains(&m.label.to_ascii_lowercase().replace(' ', ""))
        })
        .map(|m| m.slug)
        .collect();
    match found.len() {
        1 => found.into_iter().next(),
        _ => None,
    }
}

/// The agency's name as the archive's folder spells it (`Sweetwater_County_Sheriff's_Office`),
/// else the index key's words capitalised.
fn display_name(url: &str, key_name: &str) -> String {
    let segments: Vec<&str> = url.split('/').collect();
    let folder = segments
        .len()
        .checked_sub(2)
        .and_then(|i| segments.get(i))
        .map(|s| percent_decode(s).replace('_', " "))
        .filter(|s| !s.trim().is_empty() && s.chars().any(char::is_alphabetic));
    folder.unwrap_or_else(|| {
        key_name
            .split_whitespace()
            .map(|word| {
                let mut chars = word.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_uppercase().chain(chars).collect::<String>()
                })
            })
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// `%20` and friends (repeatedly: the index holds `%2520`).
pub(crate) fn percent_decode(text: &str) -> String {
    let mut current = text.to_string();
    for _ in 0..3 {
        if !current.contains('%') {
            break;
        }
        let bytes = current.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut index = 0;
        while index < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if bytes[index] == b'%'
                && let (Some(high), Some(low)) = (
                    bytes.get(index + 1).copied().and_then(hex),
                    bytes.get(index + 2).copied().and_then(hex),
                )
            {
                out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                index += 3;
                continue;
            }
            out.push(bytes[index]);
            index += 1;
        }
        current = String::from_utf8_lossy(&out).into_owned();
    }
    current
}

/// Reads the index, keeping every document it can and reporting every defect.
fn read_index(path: &Path, content: &[u8]) -> Result<(Vec<Document>, u64, Defects), RegistryError> {
    let raw: BTreeMap<String, Vec<RawDocument>> =
        serde_json::from_slice(content).map_err(|error| RegistryError::Unreadable {
            path: path.to_path_buf(),
            message: format!(
                "line {}, column {}: {error}; expected an object of `STATE|agency name` keys, each a list of documents",
                error.line(),
                error.column()
            ),
        })?;
    let mut defects = Defects::default();
    let mut documents = Vec::new();
    let mut total = 0;
    let mut keys_of_agency: HashMap<(String, String), BTreeSet<String>> = HashMap::new();
    for (index_key, entries) in &raw {
        let (state_raw, key_name) = index_key.split_once('|').unwrap_or(("", index_key));
        let state = parse_state(state_raw).map(str::to_string);
        if state.is_none() {
            defects.add(
                "unknown_state",
                "error",
                "the key's state is no state or territory; its documents are kept but not counted",
                index_key,
                Some(state_raw),
                format!("`{index_key}`: `{state_raw}` is not a state"),
            );
        }
        if entries.len() > 1 {
            defects.add(
                "several_documents",
                "note",
                "an agency with several documents (addenda, renewals, several models); counted once per model",
                index_key,
                None,
                format!("`{index_key}`: {} documents", entries.len()),
            );
        }
        for entry in entries {
            total += 1;
            let (Some(url), Some(file_name), Some(snapshot)) =
                (&entry.pdf_url, &entry.filename, &entry.snapshot)
            else {
                defects.add(
                    "missing_field",
                    "error",
                    "a document without a URL, file name or snapshot; left out",
                    index_key,
                    None,
                    format!("`{index_key}`: a document lacks `pdf_url`, `filename` or `snapshot`"),
                );
                continue;
            };
            let Some(posted) = snapshot_day(snapshot) else {
                defects.add(
                    "bad_snapshot",
                    "error",
                    "a snapshot name without a date (`agreements_YYYYMMDD_HHMMSS`); left out",
                    index_key,
                    Some(snapshot),
                    format!("`{index_key}`: snapshot `{snapshot}` has no date"),
                );
                continue;
            };
            let name = display_name(url, key_name);
            let key = agency_key(&name, state.as_deref());
            if key != agency_key(key_name, state.as_deref()) {
                defects.add(
                    "key_lost_punctuation",
                    "note",
                    "the index key dropped punctuation the name has (`sheriff s office`); the name from the document's folder is used",
                    index_key,
                    Some(key_name),
                    format!("`{index_key}` read as `{name}`"),
                );
            }
            let file_name = percent_decode(file_name);
            let (model, model_from) = match entry.model.as_deref().and_then(parse_model) {
                Some(model) => (Some(model.slug), Some("index")),
                None => {
                    let from_name = model_in_file_name(&file_name);
                    let said = match &entry.model {
                        Some(raw) => format!("model `{raw}` is not a model"),
                        None => "no model".to_string(),
                    };
                    match from_name {
                        Some(slug) => defects.add(
                            "model_from_file_name",
                            "note",
                            "a document without a model in the index; its file name names one (`287gWSO_...`), which is used",
                            index_key,
                            entry.model.as_deref(),
                            format!(
                                "`{index_key}`: {said}; `{file_name}` says {}",
                                crate::vocab::model_label(slug)
                            ),
                        ),
                        None => defects.add(
                            "missing_model",
                            "warning",
                            "a document without a model, in the index or its file name; counted as a document of unknown model",
                            index_key,
                            entry.model.as_deref(),
                            format!("`{index_key}`: {said}, and `{file_name}` does not say"),
                        ),
                    }
                    (from_name, from_name.map(|_| "file_name"))
                }
            };
            let file_date = match entry.date_filename.as_deref() {
                Some(raw) => {
                    let day = compact_date(raw);
                    if day.is_none() {
                        defects.add(
                            "bad_file_date",
                            "warning",
                            "a file-name date that is not a date; left empty",
                            index_key,
                            Some(raw),
                            format!("`{index_key}`: `{raw}` in `{file_name}` is not a date"),
                        );
                    }
                    day
                }
                None => {
                    let day = date_in_file_name(&file_name);
                    match day {
                        Some(day) => defects.add(
                            "file_date_from_file_name",
                            "note",
                            "no file-name date in the index; another date form in the name (`03-13-2020`, `05.05.2025`) is used",
                            index_key,
                            None,
                            format!("`{file_name}`: read as {day}"),
                        ),
                        None => defects.add(
                            "missing_file_date",
                            "note",
                            "no file-name date in the index, and none in the name; left empty",
                            index_key,
                            None,
                            format!("`{file_name}`: no date in the name"),
                        ),
                    }
                    day
                }
            };
            if let Some(state) = &state {
                keys_of_agency
                    .entry((state.clone(), key.clone()))
                    .or_default()
                    .insert(index_key.clone());
            }
            documents.push(Document {
                index_key: index_key.clone(),
                state: state.clone(),
                name,
                agency_key: key,
                model_raw: entry.model.clone(),
                model: model.map(str::to_string),
                model_from,
                posted_snapshot: snapshot.clone(),
                posted,
                file_date_raw: entry.date_filename.clone(),
                file_date,
                file_name,
                url: url.clone(),
                sha: entry.sha.clone(),
            });
        }
    }
    for ((state, key), index_keys) in &keys_of_agency {
        if index_keys.len() > 1 {
            let listed: Vec<String> = index_keys.iter().map(|k| format!("`{k}`")).collect();
            defects.add(
                "agency_under_several_keys",
                "warning",
                "one agency under several index keys (spelled differently); counted as one agency",
                &format!("{state}|{key}"),
                None,
                listed.join(" and "),
            );
        }
    }
    Ok((documents, total, defects))
}

/// Imports the index (one transaction; the same content again changes nothing) and links its
/// agencies to the registry's.
pub fn import_index(
    store: &mut Store,
    path: &Path,
    linker: &mut dyn Linker,
) -> Result<MoaImportReport, RegistryError> {
    let content = std::fs::read(path).map_err(|source| RegistryError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let (documents, total, defects) = read_index(path, &content)?;
    let hash = content_hash(&content);
    let display_path = path.display().to_string();
    let source = ImportSource {
        kind: MOA_IMPORT_KIND,
        source_path: &display_path,
        content_sha256: &hash,
        content_bytes: content.len() as u64,
    };
    let outcome = store.import(&source, |transaction, import_id| {
        write_documents(transaction, import_id, &documents, &defects)?;
        let links = relink(transaction, linker)?;
        Ok::<_, RegistryError>((
            links,
            ImportCounts {
                rows_read: total,
                rows_stored: documents.len() as u64,
                issues: defects.rows.len() as u64,
            },
        ))
    })?;
    let (status, links) = match outcome {
        ImportOutcome::Imported { value, .. } => ("imported", value),
        ImportOutcome::AlreadyImported { .. } => {
            ("already_imported", link_counts(store.connection())?)
        }
    };
    let agencies: BTreeSet<(Option<&String>, &String)> = documents
        .iter()
        .map(|d| (d.state.as_ref(), &d.agency_key))
        .collect();
    let states: BTreeSet<&String> = documents.iter().filter_map(|d| d.state.as_ref()).collect();
    Ok(MoaImportReport {
        path: display_path,
        status,
        agencies: agencies.len() as u64,
        documents: total,
        documents_kept: documents.len() as u64,
        states: states.len() as u64,
        first_posted: documents.iter().map(|d| d.posted).min(),
        last_posted: documents.iter().map(|d| d.posted).max(),
        defects: defects.summary(),
        links,
    })
}

fn write_documents(
    transaction: &Transaction<'_>,
    import_id: i64,
    documents: &[Document],
    defects: &Defects,
) -> Result<(), RegistryError> {
    let mut insert = transaction.prepare_cached(
        "INSERT INTO registry_moa_documents (import_id, index_key, state, name, agency_key,
            model_raw, model, model_from, posted_snapshot, posted, file_date_raw, file_date,
            file_name, url, sha)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    for document in documents {
        insert.execute(params![
            import_id,
            document.index_key,
            document.state,
            document.name,
            document.agency_key,
            document.model_raw,
            document.model,
            document.model_from,
            document.posted_snapshot,
            document.posted.to_string(),
            document.file_date_raw,
            document.file_date.map(|d| d.to_string()),
            document.file_name,
            document.url,
            document.sha,
        ])?;
    }
    let mut insert = transaction.prepare_cached(
        "INSERT INTO registry_moa_issues (import_id, index_key, kind, severity, value, message)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (key, kind, severity, value, message) in &defects.rows {
        insert.execute(params![import_id, key, kind, severity, value, message])?;
    }
    Ok(())
}

/// The latest imported index (documents are read only from it).
fn latest_import(connection: &Connection) -> Result<Option<i64>, RegistryError> {
    Ok(connection.query_row(
        "SELECT max(import_id) FROM registry_moa_documents",
        [],
        |row| row.get(0),
    )?)
}

/// Rebuilds the index agencies' links to the registry's agencies: the same identity key as a
/// name in ICE's sheets in the same state (confidence 1), else the directory agency the
/// resolver finds, when a registry agency is linked to the same one (the resolver's
/// confidence), else the directory link alone.
pub(crate) fn relink(
    transaction: &Transaction<'_>,
    linker: &mut dyn Linker,
) -> Result<MoaLinkCounts, RegistryError> {
    transaction.execute("DELETE FROM registry_moa_links", [])?;
    let Some(import_id) = latest_import(transaction)? else {
        return Ok(MoaLinkCounts::default());
    };
    let mut by_key: HashMap<(String, String), i64> = HashMap::new();
    {
        let mut statement = transaction.prepare(
            "SELECT g.state, n.key, g.id FROM registry_agency_names n
             JOIN registry_agencies g ON g.id = n.agency_id",
        )?;
        for row in statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))? {
            let (state, key, id) = row?;
            by_key.insert((state, key), id);
        }
    }
    let mut by_ori: HashMap<String, i64> = HashMap::new();
    {
        let mut statement =
            transaction.prepare("SELECT ori, id FROM registry_agencies WHERE ori IS NOT NULL")?;
        for row in statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))? {
            let (ori, id) = row?;
            by_ori.insert(ori, id);
        }
    }
    let agencies: Vec<(String, String, String)> = {
        let mut statement = transaction.prepare(
            "SELECT state, agency_key, min(name) FROM registry_moa_documents
             WHERE import_id = ?1 AND state IS NOT NULL GROUP BY state, agency_key",
        )?;
        statement
            .query_map([import_id], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?
            .collect::<Result<Vec<_>, _>>()?
    };
    let mut counts = MoaLinkCounts::default();
    let mut insert = transaction.prepare_cached(
        "INSERT INTO registry_moa_links (state, agency_key, agency_id, method, ori,
            directory_name, confidence, reasons) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (state, key, name) in agencies {
        counts.agencies += 1;
        let link = linker.link(&name, &state);
        let (agency_id, method, confidence, reasons) =
            if let Some(id) = by_key.get(&(state.clone(), key.clone())) {
                counts.by_sheet_name += 1;
                (
                    Some(*id),
                    "sheet_name",
                    1.0_f32,
                    vec!["the same name as in ICE's sheets".to_string()],
                )
            } else if let Some(id) = link.ori.as_ref().and_then(|ori| by_ori.get(ori)) {
                counts.by_directory += 1;
                let mut reasons = link.reasons.clone();
                reasons.push("the same directory agency as a name in ICE's sheets".to_string());
                (Some(*id), "directory", link.confidence, reasons)
            } else if link.ori.is_some() {
                counts.directory_only += 1;
                (None, "directory", link.confidence, link.reasons.clone())
            } else {
                counts.unlinked += 1;
                (None, "none", 0.0, link.reasons.clone())
            };
        insert.execute(params![
            state,
            key,
            agency_id,
            method,
            link.ori,
            link.name,
            f64::from(confidence),
            reasons.join("; "),
        ])?;
    }
    Ok(counts)
}

fn link_counts(connection: &Connection) -> Result<MoaLinkCounts, RegistryError> {
    let mut counts = MoaLinkCounts::default();
    let mut statement = connection.prepare(
        "SELECT method, agency_id IS NOT NULL, count(*) FROM registry_moa_links
         GROUP BY method, agency_id IS NOT NULL",
    )?;
    for row in statement.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, bool>(1)?,
            row.get::<_, i64>(2)?,
        ))
    })? {
        let (method, linked, count) = row?;
        let count = u64::try_from(count).unwrap_or(0);
        counts.agencies += count;
        match (method.as_str(), linked) {
            ("sheet_name", _) => counts.by_sheet_name += count,
            ("directory", true) => counts.by_directory += count,
            ("directory", false) => counts.directory_only += count,
            _ => counts.unlinked += count,
        }
    }
    Ok(counts)
}

/// Counts from the agreements index as of a date: documents posted by then.
#[derive(Debug, Clone, Serialize)]
pub struct MoaStats {
    /// Always `moa_index`: these figures rest on posted MOA documents, not on ICE's sheets.
    pub source: &'static str,
    /// How the figures read: `MOA posted by <date>`.
    pub label: String,
    /// The date asked about (`None`: every document in the index).
    pub as_of: Option<Day>,
    /// The latest archive snapshot on or before the date in which a document first appeared.
    pub posted_by: Option<Day>,
    /// The index's first and last snapshot dates.
    pub index_first: Option<Day>,
    /// The index's last snapshot date.
    pub index_last: Option<Day>,
    /// The imported index file, as recorded at import.
    pub index_file: String,
    /// The state and model filters applied.
    pub filter: crate::query::FilterEcho,
    /// Agencies with at least one document posted by the date.
    pub agencies: u64,
    /// Distinct agency and model pairs among them (documents of unknown model not included).
    pub agreements: u64,
    /// Documents posted by the date.
    pub documents: u64,
    /// Documents posted by the date whose support model neither the index nor the file name
    /// gives.
    pub documents_unknown_model: u64,
    /// Agreements (agency and model pairs) per support model code.
    pub by_model: BTreeMap<String, u64>,
    /// Agreements (agency and model pairs) per two-letter state code.
    pub by_state: BTreeMap<String, u64>,
    /// Per state, agreements per support model code.
    pub by_state_and_model: BTreeMap<String, BTreeMap<String, u64>>,
    /// Agencies linked to an agency in ICE's sheets.
    pub agencies_in_sheets: u64,
}

/// [`MoaStats`] as of a date (`None`: the whole index); `None` when no index is imported.
pub fn stats(
    connection: &Connection,
    as_of: Option<Day>,
    filter: &Filter,
) -> Result<Option<MoaStats>, RegistryError> {
    let Some(import_id) = latest_import(connection)? else {
        return Ok(None);
    };
    let index_file: String = connection.query_row(
        "SELECT source_path FROM imports WHERE id = ?1",
        [import_id],
        |row| row.get(0),
    )?;
    let limit = as_of.map_or_else(|| "9999-12-31".to_string(), |d| d.to_string());
    let mut statement = connection.prepare(
        "SELECT d.state, d.agency_key, d.model, d.posted, l.agency_id IS NOT NULL
         FROM registry_moa_documents d
         LEFT JOIN registry_moa_links l ON l.state = d.state AND l.agency_key = d.agency_key
         WHERE d.import_id = ?1 AND d.state IS NOT NULL",
    )?;
    let rows = statement
        .query_map(params![import_id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, bool>(4)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let index_first = rows.iter().filter_map(|r| Day::parse_iso(&r.3)).min();
    let index_last = rows.iter().filter_map(|r| Day::parse_iso(&r.3)).max();
    let mut agencies = BTreeSet::new();
    let mut in_sheets = BTreeSet::new();
    let mut agreements = BTreeSet::new();
    let mut documents = 0;
    let mut unknown = 0;
    let mut posted_by: Option<Day> = None;
    for (state, key, model, posted, linked) in &rows {
        if posted.as_str() > limit.as_str() {
            continue;
        }
        if filter.state.as_deref().is_some_and(|s| s != state) {
            continue;
        }
        if let Some(wanted) = filter.model.as_deref()
            && model.as_deref() != Some(wanted)
        {
            continue;
        }
        documents += 1;
        posted_by = posted_by.max(Day::parse_iso(posted));
        agencies.insert((state, key));
        if *linked {
            in_sheets.insert((state, key));
        }
        match model {
            Some(model) => {
                agreements.insert((state, key, model));
            }
            None => unknown += 1,
        }
    }
    let mut by_model = BTreeMap::new();
    let mut by_state = BTreeMap::new();
    let mut by_state_and_model: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for (state, _, model) in &agreements {
        *by_model.entry((*model).clone()).or_default() += 1;
        *by_state.entry((*state).clone()).or_default() += 1;
        *by_state_and_model
            .entry((*state).clone())
            .or_default()
            .entry((*model).clone())
            .or_default() += 1;
    }
    Ok(Some(MoaStats {
        source: "moa_index",
        label: match posted_by {
            Some(day) => format!("MOA posted by {day}"),
            None => "no MOA posted by then".to_string(),
        },
        as_of,
        posted_by,
        index_first,
        index_last,
        index_file,
        filter: filter.into(),
        agencies: agencies.len() as u64,
        agreements: agreements.len() as u64,
        documents,
        documents_unknown_model: unknown,
        by_model,
        by_state,
        by_state_and_model,
        agencies_in_sheets: in_sheets.len() as u64,
    }))
}

/// One posted MOA document, as an agency's history shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MoaDocument {
    /// Always `moa_index`: a posted document, not a listing in ICE's sheets.
    pub source: &'static str,
    /// The agency's name as the index gives it.
    pub name: String,
    /// The support model's code (`None` when neither the index nor the file name says).
    pub model: Option<String>,
    /// Where the model came from: `index` or `file_name` (`None` without a model).
    pub model_from: Option<String>,
    /// Posted by this day (the archive snapshot in which it first appeared).
    pub posted_by: String,
    /// The date in the document's file name (often the signing date), when there is one.
    pub file_date: Option<String>,
    /// The document's file name, percent-decoded.
    pub file_name: String,
    /// Where ICE posted the document.
    pub url: String,
    /// How the index agency was linked to this registry agency.
    pub link: String,
    /// How sure that link is, from 0 to 1.
    pub link_confidence: f64,
}

/// The posted documents linked to a registry agency, oldest first.
pub fn documents_of(
    connection: &Connection,
    agency_id: i64,
) -> Result<Vec<MoaDocument>, RegistryError> {
    let Some(import_id) = latest_import(connection)? else {
        return Ok(Vec::new());
    };
    let mut statement = connection.prepare_cached(
        "SELECT d.name, d.model, d.model_from, d.posted, d.file_date, d.file_name, d.url,
            l.method, l.confidence
         FROM registry_moa_documents d
         JOIN registry_moa_links l ON l.state = d.state AND l.agency_key = d.agency_key
         WHERE d.import_id = ?1 AND l.agency_id = ?2
         ORDER BY d.posted, d.file_name",
    )?;
    let rows = statement
        .query_map(params![import_id, agency_id], |row| {
            Ok(MoaDocument {
                source: "moa_index",
                name: row.get(0)?,
                model: row.get(1)?,
                model_from: row.get(2)?,
                posted_by: row.get(3)?,
                file_date: row.get(4)?,
                file_name: row.get(5)?,
                url: row.get(6)?,
                link: row.get(7)?,
                link_confidence: row.get(8)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_file_names() {
        assert_eq!(
            date_in_file_name("287gWSO_SweetwaterCoWY_03-13-2020.pdf").map(|d| d.to_string()),
            Some("2020-03-13".to_string())
        );
        assert_eq!(
            date_in_file_name("KerrCoSheriffsOfficeTX_WSO_MOA_05.05.2025.pdf")
                .map(|d| d.to_string()),
            Some("2025-05-05".to_string())
        );
        assert_eq!(
            compact_date("042925").map(|d| d.to_string()),
            Some("2025-04-29".to_string())
        );
        assert_eq!(
            compact_date("05082025").map(|d| d.to_string()),
            Some("2025-05-08".to_string())
        );
        assert_eq!(
            date_in_file_name("287gWSO_KodiakAk2020-07-20.pdf").map(|d| d.to_string()),
            Some("2020-07-20".to_string())
        );
        assert_eq!(date_in_file_name("287gJEM_ etowahCoAL.pdf"), None);
    }

    #[test]
    fn models_in_file_names() {
        assert_eq!(
            model_in_file_name("287gWSO_SweetwaterCoWY_03-13-2020.pdf"),
            Some("warrant_service_officer")
        );
        assert_eq!(
            model_in_file_name("287gJEM_ etowahCoAL_06-09-2020.pdf"),
            Some("jail_enforcement")
        );
        assert_eq!(model_in_file_name("SomeCountyMOA.pdf"), None);
    }

    #[test]
    fn names_come_from_the_documents_folder() {
        assert_eq!(
            display_name(
                "https://github.com/a/b/blob/main/agreements/x/WYOMING/Sweetwater_County_Sheriff's_Office/f.pdf",
                "sweetwater county sheriffs office"
            ),
            "Sweetwater County Sheriff's Office"
        );
        assert_eq!(percent_decode("287gJEM_%2520etowah"), "287gJEM_ etowah");
    }
}
