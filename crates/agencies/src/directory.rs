//! The agency directory: the FBI's list of law-enforcement agencies (one row per ORI) plus the
//! maintained federal-agency file, indexed for the resolver.
//!
//! The FBI list names agencies tersely (`El Cajon` for the city's police, `Anoka` of type County
//! for the county's sheriff, `State Police:` for a troop), so each row is read through the same
//! parser as the records' names and keyed on its place, kind and state.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::aliases::{self, AliasTable, FederalAgency, NamedAgency};
use crate::hash::FastMap;
use crate::kind::AgencyKind;
use crate::parse::{self, ParsedName};
use crate::states;

/// The small directory sample that ships with Remit (rows selected from the FBI list by
/// `examples/build_sample.rs`).
pub const BUILTIN_SAMPLE_CSV: &str = include_str!("../data/builtin-sample.csv");

/// Which side of government an agency is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyClass {
    /// City, county, campus, school, transit and tribal agencies, prosecutors, local
    /// governments.
    Local,
    /// State police and patrols, state departments and their officers.
    State,
    /// Federal agencies, the military included.
    Federal,
    /// Businesses, homeowners' associations, railroads, private hospitals.
    Private,
    /// Not known from the name.
    Unknown,
}

impl AgencyClass {
    /// The word: `local`, `state`, `federal`, `private` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyClass::Local => "local",
            AgencyClass::State => "state",
            AgencyClass::Federal => "federal",
            AgencyClass::Private => "private",
            AgencyClass::Unknown => "unknown",
        }
    }

    /// Reads the word [`AgencyClass::as_str`] writes.
    pub fn from_word(word: &str) -> Option<AgencyClass> {
        Some(match word {
            "local" => AgencyClass::Local,
            "state" => AgencyClass::State,
            "federal" => AgencyClass::Federal,
            "private" => AgencyClass::Private,
            "unknown" => AgencyClass::Unknown,
            _ => return None,
        })
    }
}

impl fmt::Display for AgencyClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One agency of the directory.
#[derive(Clone, Debug, Serialize)]
pub struct Agency {
    /// The FBI ORI; for an agency of the federal file without one, its stable slug
    /// (`fed-ice-ero`), which never looks like an ORI (see [`Agency::has_ori`]).
    pub ori: String,
    /// The name as the source writes it (`El Cajon`, `Anoka`, `U.S. Border Patrol`).
    pub name: String,
    /// Two-letter state code; `None` for federal agencies.
    pub state: Option<String>,
    /// The county, as the FBI writes it.
    pub county: Option<String>,
    /// The FBI's agency type (`City`, `County`, `University or College`, `Other State Agency`,
    /// `State Police`, `Tribal`, `Other`, `Federal`).
    pub agency_type: String,
    /// The population the agency serves, per the FBI.
    pub population: Option<u64>,
    /// Local, state, federal or private.
    pub class: AgencyClass,
    /// The FBI data year the row comes from.
    pub data_year: Option<u16>,
    /// The kind read from the name and type; a County row with a bare name (`Anoka`) is the
    /// county's primary agency, taken as its sheriff.
    pub kind: Option<AgencyKind>,
    /// For federal agencies, the counterparty word (`ice_ero`, `federal_other`).
    pub counterparty: Option<String>,
    /// Other names (federal file).
    pub aliases: Vec<String>,
}

impl Agency {
    /// Whether [`Agency::ori`] is a real ORI rather than a slug.
    pub fn has_ori(&self) -> bool {
        is_ori(&self.ori)
    }
}

/// Whether `text` has the shape of an ORI: nine upper-case letters and digits.
pub fn is_ori(text: &str) -> bool {
    text.len() == 9
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A row of an FBI file that was skipped, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// The file.
    pub path: String,
    /// The line.
    pub line: u64,
    /// The field.
    pub field: String,
    /// The value as written.
    pub value: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: field `{}`: {}",
            self.path, self.line, self.field, self.message
        )
    }
}

/// Why a directory could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// A file could not be read.
    #[error("cannot read `{path}`: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A file could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A line is not CSV.
    #[error("{path}:{line}: {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// The line.
        line: u64,
        /// What the reader said.
        message: String,
    },
    /// The header lacks a column the directory needs.
    #[error("{path}:1: missing column `{column}`")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
    },
    /// No row could be used.
    #[error("{path}: no usable agency rows ({skipped} skipped)")]
    Empty {
        /// The file.
        path: PathBuf,
        /// Rows skipped.
        skipped: usize,
    },
    /// The directory kept in a store could not be read.
    #[error("cannot read the agency directory kept in the store `{path}`: {message}")]
    Store {
        /// The store's file (empty for a store in memory).
        path: PathBuf,
        /// What the store said.
        message: String,
    },
}

impl DirectoryError {
    /// Advice for the person who ran the command, if there is any.
    pub fn help(&self) -> Option<String> {
        match self {
            DirectoryError::Read { .. } => Some("check the path; `remit agencies import` expects the FBI law-enforcement employees CSV".to_string()),
            DirectoryError::MissingColumn { .. } => Some(
                "the file needs the FBI columns `ori`, `pub_agency_name` and `state_abbr` (and reads `data_year`, `county_name`, `agency_type_name`, `population` when present)"
                    .to_string(),
            ),
            DirectoryError::Empty { .. } => {
                Some("every row was skipped; run with `--json` to see why".to_string())
            }
            DirectoryError::Store { .. } => Some(
                "check the store with `remit store check`; `remit agencies import FBI_CSV` imports the directory again"
                    .to_string(),
            ),
            DirectoryError::Csv { .. } | DirectoryError::Write { .. } => None,
        }
    }
}

/// Where a directory came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "path")]
pub enum DirectorySource {
    /// The sample that ships with Remit.
    Builtin,
    /// An FBI-format CSV file.
    File(PathBuf),
    /// An FBI-format CSV file imported into a store: the file as the import named it (the rows
    /// are read from the store, not from the file).
    Stored(PathBuf),
}

impl fmt::Display for DirectorySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DirectorySource::Builtin => f.write_str("built-in sample"),
            DirectorySource::File(path) => write!(f, "{}", path.display()),
            DirectorySource::Stored(path) => {
                write!(f, "{}, as imported into the store", path.display())
            }
        }
    }
}

/// The rows of an FBI-format file, read but not yet indexed: what a store keeps of an imported
/// directory ([`Directory::from_agencies`] indexes them).
#[derive(Clone, Debug, Default)]
pub struct FbiRows {
    /// One agency per ORI (the latest data year), in the order the file first gives each ORI.
    pub agencies: Vec<Agency>,
    /// The rows skipped, with file, line, field and reason.
    pub problems: Vec<RowProblem>,
}

impl FbiRows {
    /// Reads `content`, the text of the FBI file at `path` (named in errors and problems), as
    /// [`Directory::from_fbi_csv`] reads a file; a file with no usable row is an error.
    pub fn read(content: &[u8], path: &Path) -> Result<FbiRows, DirectoryError> {
        let (agencies, problems) = read_fbi(content, path)?;
        if agencies.is_empty() {
            return Err(DirectoryError::Empty {
                path: path.to_path_buf(),
                skipped: problems.len(),
            });
        }
        Ok(FbiRows { agencies, problems })
    }
}

/// State slot used in the index for agencies with no state (federal).
pub(crate) const NO_STATE: u8 = u8::MAX;

pub(crate) fn state_slot(code: Option<&str>) -> u8 {
    code.and_then(|c| states::STATES.iter().position(|s| s.code == c))
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(NO_STATE)
}

/// What the index knows about one agency beyond its public fields.
#[derive(Clone, Debug)]
pub(crate) struct Derived {
    pub key: String,
    pub county: bool,
    /// A County-type row with a bare name: the county's primary agency (sheriff or county
    /// police).
    pub county_primary: bool,
    /// The FBI name ends in `:` or `,` (cut short: `State Police:`, `University of California:`).
    pub truncated: bool,
    /// The row came from the FBI file (not the federal file).
    pub from_fbi: bool,
    /// The FBI name opens with `Town of`, `Village of`... (`Town of Menasha` beside `Menasha`).
    pub municipal: bool,
    /// The name says what the agency is (`Cobb County Police Department`), unlike the bare
    /// place names of most FBI rows (`El Cajon`).
    pub says_what: bool,
}

/// A key hit: which agency, and whether through an alternative key.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hit {
    pub index: u32,
    pub alternative: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Data {
    pub agencies: Vec<Agency>,
    pub derived: Vec<Derived>,
    pub by_ori: FastMap<String, u32>,
    pub keys: FastMap<(u8, String), Vec<Hit>>,
    pub compact: FastMap<(u8, String), Vec<u32>>,
    pub global: FastMap<String, Vec<u32>>,
    pub fuzzy: FastMap<(u8, char), Vec<(String, u32)>>,
    pub state_police: FastMap<u8, u32>,
    /// County names (from the FBI county column, canonical words) and the states that have one.
    pub counties: FastMap<String, Vec<u8>>,
    pub federal_aliases: AliasTable,
    /// For each federal-file entry, its agency index.
    pub federal_targets: Vec<u32>,
    pub named_aliases: AliasTable,
    pub named_entries: Vec<NamedAgency>,
    pub source: Option<DirectorySource>,
    pub problems: Vec<RowProblem>,
    pub complete: bool,
}

/// The agency directory. Cloning is cheap (the data is shared).
#[derive(Clone, Debug)]
pub struct Directory {
    pub(crate) data: Arc<Data>,
}

impl Directory {
    /// The small built-in sample plus the maintained federal-agency file; works with no import.
    pub fn builtin() -> Directory {
        let rows = read_fbi(
            BUILTIN_SAMPLE_CSV.as_bytes(),
            Path::new("<built-in sample>"),
        );
        // INVARIANT: the built-in sample is checked by the crate's tests; should it ever fail to
        // read, the directory still has the federal agencies.
        let (agencies, problems) = rows.unwrap_or_default();
        build(agencies, problems, DirectorySource::Builtin, false)
    }

    /// Reads the FBI law-enforcement employees CSV (as ../shared/data/agencies/fbi-lee.csv),
    /// keeping the latest data year per ORI; errors name file, line and field. Rows that cannot
    /// be used are skipped and listed in [`Directory::problems`]. The federal-agency file is
    /// merged in, so federal agencies resolve too.
    pub fn from_fbi_csv(path: &Path) -> Result<Directory, DirectoryError> {
        let file = std::fs::File::open(path).map_err(|source| DirectoryError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let (agencies, problems) = read_fbi(io::BufReader::new(file), path)?;
        if agencies.is_empty() {
            return Err(DirectoryError::Empty {
                path: path.to_path_buf(),
                skipped: problems.len(),
            });
        }
        Ok(build(
            agencies,
            problems,
            DirectorySource::File(path.to_path_buf()),
            true,
        ))
    }

    /// A directory of agencies read elsewhere (a database, another format): the rows' `ori`,
    /// `name`, `state`, `county`, `agency_type`, `population` and `data_year` are used, their
    /// class and kind are derived again, and the federal-agency file is merged in as for
    /// [`Directory::from_fbi_csv`]. `complete` says whether the rows are a whole FBI list.
    pub fn from_agencies(
        agencies: Vec<Agency>,
        source: DirectorySource,
        complete: bool,
    ) -> Directory {
        let agencies = agencies
            .into_iter()
            .filter(|a| is_ori(&a.ori))
            .map(|a| Agency {
                class: AgencyClass::Unknown,
                kind: None,
                counterparty: None,
                aliases: Vec::new(),
                ..a
            })
            .collect();
        build(agencies, Vec::new(), source, complete)
    }

    /// The name of the file `remit agencies import` keeps the imported directory in, inside
    /// Remit's data folder (`remit_store::data_dir`; `remit_app::directory::default_path` joins
    /// the two).
    pub const FILE_NAME: &'static str = "agencies.csv";

    /// The imported directory at `path` when there is one, else the built-in sample.
    pub fn load_or_builtin(path: Option<&Path>) -> Result<Directory, DirectoryError> {
        match path {
            Some(path) if path.is_file() => Directory::from_fbi_csv(path),
            _ => Ok(Directory::builtin()),
        }
    }

    /// Writes the directory's FBI rows (not the federal file, which ships with Remit) as a
    /// compact FBI-format CSV that [`Directory::from_fbi_csv`] reads back. The file is written
    /// beside its final name and renamed into place, so a failed write leaves the old file.
    pub fn write_csv(&self, path: &Path) -> Result<(), DirectoryError> {
        let write_error = |source: io::Error| DirectoryError::Write {
            path: path.to_path_buf(),
            source,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(write_error)?;
        }
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(".partial");
        let temporary = PathBuf::from(temporary);
        let file = std::fs::File::create(&temporary).map_err(write_error)?;
        let mut writer = csv::Writer::from_writer(io::BufWriter::new(file));
        let csv_error = |e: csv::Error| write_error(io::Error::other(e));
        writer.write_record(COMPACT_HEADER).map_err(csv_error)?;
        for agency in self.fbi_agencies() {
            let year = agency.data_year.map(|y| y.to_string()).unwrap_or_default();
            let population = agency.population.map(|p| p.to_string()).unwrap_or_default();
            writer
                .write_record([
                    agency.ori.as_str(),
                    year.as_str(),
                    agency.name.as_str(),
                    agency.state.as_deref().unwrap_or("FS"),
                    agency.county.as_deref().unwrap_or(""),
                    agency.agency_type.as_str(),
                    population.as_str(),
                ])
                .map_err(csv_error)?;
        }
        writer.flush().map_err(write_error)?;
        drop(writer);
        std::fs::rename(&temporary, path).map_err(write_error)
    }

    /// How many agencies the directory holds.
    pub fn len(&self) -> usize {
        self.data.agencies.len()
    }

    /// Whether it holds no agency.
    pub fn is_empty(&self) -> bool {
        self.data.agencies.is_empty()
    }

    /// How many agencies came from the FBI file (the rest come from the federal-agency file).
    pub fn fbi_len(&self) -> usize {
        self.data.derived.iter().filter(|d| d.from_fbi).count()
    }

    /// The agencies that came from the FBI file: what [`Directory::write_csv`] writes, and what
    /// another store of the directory needs to keep.
    pub fn fbi_agencies(&self) -> impl Iterator<Item = &Agency> {
        self.data
            .agencies
            .iter()
            .zip(&self.data.derived)
            .filter(|(_, d)| d.from_fbi)
            .map(|(a, _)| a)
    }

    /// Every agency, FBI rows first, then federal agencies the FBI list does not carry.
    pub fn agencies(&self) -> &[Agency] {
        &self.data.agencies
    }

    /// Rows skipped when the directory was read.
    pub fn problems(&self) -> &[RowProblem] {
        &self.data.problems
    }

    /// Where the directory came from.
    pub fn source(&self) -> DirectorySource {
        self.data.source.clone().unwrap_or(DirectorySource::Builtin)
    }

    /// Whether the directory is a full FBI list (an import) rather than the built-in sample;
    /// the resolver only concludes "no such agency" or "the only one of that name" from a
    /// complete directory.
    pub fn is_complete(&self) -> bool {
        self.data.complete
    }

    /// The agency with this ORI (or federal slug, `fed-ice-ero`), in any case.
    pub fn by_ori(&self, ori: &str) -> Option<&Agency> {
        let ori = ori.trim();
        let index = match self.data.by_ori.get(ori) {
            Some(i) => Some(*i),
            None => self
                .data
                .by_ori
                .get(&ori.to_ascii_uppercase())
                .copied()
                .or_else(|| self.data.by_ori.get(&ori.to_ascii_lowercase()).copied()),
        }?;
        self.data.agencies.get(index as usize)
    }

    /// Agencies whose names best match `text`, best first; a state in the text (`Marshall TX`)
    /// narrows the search to that state. An ORI finds its agency.
    pub fn search(&self, text: &str, limit: usize) -> Vec<&Agency> {
        if limit == 0 {
            return Vec::new();
        }
        if let Some(agency) = self.by_ori(text).filter(|_| {
            is_ori(&text.trim().to_ascii_uppercase()) || text.trim().starts_with("fed-")
        }) {
            return vec![agency];
        }
        let parsed = parse::parse(text);
        let query_key = if parsed.key.is_empty() {
            parsed.display.to_lowercase()
        } else {
            parsed.key.clone()
        };
        if query_key.is_empty() {
            return Vec::new();
        }
        let query_words: Vec<&str> = query_key.split(' ').collect();
        let mut scored: Vec<(f64, u64, usize)> = Vec::new();
        for (i, (agency, derived)) in self
            .data
            .agencies
            .iter()
            .zip(&self.data.derived)
            .enumerate()
        {
            if let Some(state) = parsed.state {
                if agency.state.as_deref() != Some(state) {
                    continue;
                }
            }
            let mut score = if derived.key == query_key {
                1.0
            } else {
                let name = agency.name.to_lowercase();
                let all_words = query_words.iter().all(|w| {
                    derived.key.split(' ').any(|k| k == *w)
                        || name.split(|c: char| !c.is_alphanumeric()).any(|k| k == *w)
                });
                if all_words {
                    0.85
                } else {
                    strsim::jaro_winkler(&derived.key, &query_key) * 0.8
                }
            };
            if let Some(kind) = parsed.kind {
                if agency.kind == Some(kind) {
                    score += 0.05;
                }
            }
            if parsed.county && derived.county {
                score += 0.05;
            }
            if score >= 0.65 {
                scored.push((score, agency.population.unwrap_or(0), i));
            }
        }
        scored.sort_by(|a, b| {
            b.0.partial_cmp(&a.0)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(b.1.cmp(&a.1))
                .then(a.2.cmp(&b.2))
        });
        scored
            .into_iter()
            .take(limit)
            .filter_map(|(_, _, i)| self.data.agencies.get(i))
            .collect()
    }

    pub(crate) fn derived(&self, index: u32) -> Option<&Derived> {
        self.data.derived.get(index as usize)
    }

    pub(crate) fn agency(&self, index: u32) -> Option<&Agency> {
        self.data.agencies.get(index as usize)
    }
}

/// Columns of the compact file `remit agencies import` writes (a subset of the FBI file's).
pub const COMPACT_HEADER: [&str; 7] = [
    "ori",
    "data_year",
    "pub_agency_name",
    "state_abbr",
    "county_name",
    "agency_type_name",
    "population",
];

/// Reads FBI-format rows: the agencies (latest data year per ORI, in first-seen order) and the
/// rows skipped.
fn read_fbi<R: io::Read>(
    reader: R,
    path: &Path,
) -> Result<(Vec<Agency>, Vec<RowProblem>), DirectoryError> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(reader);
    let headers = csv.headers().map_err(|e| csv_error(path, &e))?.clone();
    let column = |name: &str| {
        headers.iter().position(|h| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(name)
        })
    };
    let required = |name: &str| {
        column(name).ok_or_else(|| DirectoryError::MissingColumn {
            path: path.to_path_buf(),
            column: name.to_string(),
        })
    };
    let ori_column = required("ori")?;
    let name_column = required("pub_agency_name")?;
    let state_column = required("state_abbr")?;
    let year_column = column("data_year");
    let county_column = column("county_name");
    let type_column = column("agency_type_name");
    let population_column = column("population");

    let display_path = path.display().to_string();
    let mut agencies: Vec<Agency> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut problems = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, &e)),
        }
        let line = record.position().map_or(0, csv::Position::line);
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let problem = |field_name: &str, value: &str, message: String| RowProblem {
            path: display_path.clone(),
            line,
            field: field_name.to_string(),
            value: value.to_string(),
            message,
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let ori = field(ori_column).to_ascii_uppercase();
        if !is_ori(&ori) {
            problems.push(problem(
                "ori",
                field(ori_column),
                format!("`{}` is not a nine-character ORI", field(ori_column)),
            ));
            continue;
        }
        let name = field(name_column);
        if name.is_empty() {
            problems.push(problem(
                "pub_agency_name",
                "",
                "the name is empty".to_string(),
            ));
            continue;
        }
        let state_text = field(state_column);
        let state = match states::from_fbi_code(state_text) {
            Ok(state) => state.map(|s| s.code.to_string()),
            Err(()) => {
                problems.push(problem(
                    "state_abbr",
                    state_text,
                    format!("`{state_text}` is not a state code"),
                ));
                continue;
            }
        };
        let data_year = match year_column.map(field).filter(|y| !y.is_empty()) {
            None => None,
            Some(text) => match text.parse::<u16>() {
                Ok(year) if (1900..=2200).contains(&year) => Some(year),
                _ => {
                    problems.push(problem(
                        "data_year",
                        text,
                        format!("`{text}` is not a year"),
                    ));
                    continue;
                }
            },
        };
        let population = match population_column
            .map(field)
            .filter(|p| !p.is_empty() && !p.eq_ignore_ascii_case("null"))
        {
            None => None,
            Some(text) => match text.replace(',', "").parse::<u64>() {
                Ok(value) => Some(value),
                Err(_) => {
                    problems.push(problem(
                        "population",
                        text,
                        format!("`{text}` is not a whole number"),
                    ));
                    continue;
                }
            },
        };
        let county = county_column
            .map(field)
            .filter(|c| {
                !c.is_empty()
                    && !c.eq_ignore_ascii_case("NOT SPECIFIED")
                    && !c.eq_ignore_ascii_case("UNMAPPED COUNTY")
            })
            .map(str::to_string);
        let agency_type = type_column.map(field).unwrap_or("").to_string();
        let agency = Agency {
            ori: ori.clone(),
            name: name.to_string(),
            state,
            county,
            agency_type,
            population,
            class: AgencyClass::Unknown,
            data_year,
            kind: None,
            counterparty: None,
            aliases: Vec::new(),
        };
        match seen.get(&ori) {
            Some(&at) => {
                // Keep the latest data year per ORI.
                if agency.data_year >= agencies[at].data_year {
                    agencies[at] = agency;
                }
            }
            None => {
                seen.insert(ori, agencies.len());
                agencies.push(agency);
            }
        }
    }
    Ok((agencies, problems))
}

fn csv_error(path: &Path, error: &csv::Error) -> DirectoryError {
    let line = error.position().map_or(0, csv::Position::line);
    let message = match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "the file is not UTF-8 text".to_string(),
        csv::ErrorKind::Io(e) => e.to_string(),
        _ => error.to_string(),
    };
    DirectoryError::Csv {
        path: path.to_path_buf(),
        line,
        message,
    }
}

/// The class an FBI agency type gives, refined by the kind its name shows.
fn class_of(agency: &Agency, kind: Option<AgencyKind>) -> AgencyClass {
    match agency.agency_type.as_str() {
        "City" | "County" | "University or College" | "Tribal" => AgencyClass::Local,
        "Other" => match kind {
            Some(
                AgencyKind::Railroad | AgencyKind::Business | AgencyKind::HomeownersAssociation,
            ) => AgencyClass::Private,
            _ => AgencyClass::Local,
        },
        "Other State Agency" | "State Police" => AgencyClass::State,
        // The FBI list files one Florida state agency as Federal; an agency with a state is not
        // federal.
        "Federal" if agency.state.is_some() => AgencyClass::State,
        "Federal" => AgencyClass::Federal,
        _ => AgencyClass::Unknown,
    }
}

/// The FBI name without a trailing county qualifier: `Robinson Township, Allegheny County` ->
/// `Robinson Township` (the county is in the row's county column).
pub(crate) fn fbi_base_name(name: &str) -> &str {
    match name.rsplit_once(", ") {
        Some((base, qualifier))
            if !base.trim().is_empty()
                && (qualifier.trim_end().ends_with(" County")
                    || qualifier.trim_end().ends_with(" Parish")) =>
        {
            base
        }
        _ => name,
    }
}

fn derive(agency: &Agency, parsed: &ParsedName) -> (Option<AgencyKind>, Derived) {
    let truncated = agency.name.trim_end().ends_with([':', ',']);
    let mut county = parsed.county;
    let mut county_primary = false;
    // Only a kind the name says in words counts (`Colorado`, a Texas county, is not a state
    // agency for sharing the name of a state).
    let parsed_kind = if parsed.kind_words.is_empty() {
        None
    } else {
        parsed.kind
    };
    let kind = match agency.agency_type.as_str() {
        "City" => parsed_kind.or(Some(AgencyKind::PoliceDepartment)),
        "County" => {
            county = true;
            match parsed_kind {
                Some(kind) => Some(kind),
                None => {
                    county_primary = true;
                    Some(AgencyKind::Sheriff)
                }
            }
        }
        "University or College" => Some(AgencyKind::University),
        "Tribal" => Some(AgencyKind::Tribal),
        "State Police" => Some(AgencyKind::StatePolice),
        "Other State Agency" => parsed_kind.or(Some(AgencyKind::StateAgency)),
        "Federal" => Some(AgencyKind::FederalAgency),
        _ => parsed_kind,
    };
    (
        kind,
        Derived {
            key: parsed.key.clone(),
            county,
            county_primary,
            truncated,
            from_fbi: true,
            municipal: parsed.municipal,
            says_what: !parsed.kind_words.is_empty(),
        },
    )
}

/// Builds the directory and its indexes from FBI rows plus the federal file.
fn build(
    mut agencies: Vec<Agency>,
    problems: Vec<RowProblem>,
    source: DirectorySource,
    complete: bool,
) -> Directory {
    let federal = aliases::parse_federal(aliases::FEDERAL_AGENCIES_TOML).unwrap_or_default();
    let named = aliases::parse_named(aliases::NAMED_AGENCIES_TOML).unwrap_or_default();

    let mut data = Data {
        complete,
        source: Some(source),
        problems,
        ..Data::default()
    };
    let mut derived = Vec::with_capacity(agencies.len() + federal.len());
    let mut alt_keys: Vec<Vec<String>> = Vec::with_capacity(agencies.len() + federal.len());
    for agency in &mut agencies {
        let parsed = parse::parse(fbi_base_name(&agency.name));
        alt_keys.push(parsed.alt_keys.clone());
        let (kind, d) = derive(agency, &parsed);
        agency.kind = kind;
        agency.class = class_of(agency, kind);
        if agency.class == AgencyClass::Federal {
            agency.counterparty = Some("federal_other".to_string());
        }
        derived.push(d);
    }
    let mut by_ori: FastMap<String, u32> = FastMap::default();
    for (i, agency) in agencies.iter().enumerate() {
        by_ori.insert(agency.ori.clone(), index_of(i));
    }
    // Merge the federal file: enrich the FBI row where it has one, else add the agency.
    for entry in &federal {
        let existing = entry.ori.as_ref().and_then(|ori| by_ori.get(ori).copied());
        let index = match existing {
            Some(i) => {
                let agency = &mut agencies[i as usize];
                enrich(agency, entry);
                i
            }
            None => {
                let mut agency = Agency {
                    ori: entry.ori.clone().unwrap_or_else(|| entry.id.clone()),
                    name: entry.name.clone(),
                    state: None,
                    county: None,
                    agency_type: "Federal".to_string(),
                    population: None,
                    class: AgencyClass::Federal,
                    data_year: None,
                    kind: None,
                    counterparty: None,
                    aliases: Vec::new(),
                };
                enrich(&mut agency, entry);
                let parsed = parse::parse(&agency.name);
                alt_keys.push(parsed.alt_keys.clone());
                derived.push(Derived {
                    key: parsed.key.clone(),
                    county: false,
                    county_primary: false,
                    truncated: false,
                    from_fbi: false,
                    municipal: false,
                    says_what: true,
                });
                let i = index_of(agencies.len());
                by_ori.insert(agency.ori.clone(), i);
                agencies.push(agency);
                i
            }
        };
        // Also findable by slug.
        by_ori.entry(entry.id.clone()).or_insert(index);
        data.federal_targets.push(index);
    }
    data.federal_aliases = AliasTable::federal(&federal);
    data.named_aliases = AliasTable::named(&named);
    data.named_entries = named;

    // Indexes.
    for (i, ((agency, d), alts)) in agencies.iter().zip(&derived).zip(&alt_keys).enumerate() {
        let index = index_of(i);
        let slot = state_slot(agency.state.as_deref());
        if !d.key.is_empty() {
            data.keys
                .entry((slot, d.key.clone()))
                .or_default()
                .push(Hit {
                    index,
                    alternative: false,
                });
            for alt in alts {
                data.keys.entry((slot, alt.clone())).or_default().push(Hit {
                    index,
                    alternative: true,
                });
                data.global.entry(alt.clone()).or_default().push(index);
            }
            data.compact
                .entry((slot, compact(&d.key)))
                .or_default()
                .push(index);
            data.global.entry(d.key.clone()).or_default().push(index);
            if let Some(first) = d.key.chars().next() {
                data.fuzzy
                    .entry((slot, first))
                    .or_default()
                    .push((d.key.clone(), index));
            }
        }
    }
    // Counties by name, for names that give a county but no state (`Monterey County District
    // Attorney's Office`).
    let mut seen_counties: std::collections::HashSet<(&str, u8)> = std::collections::HashSet::new();
    for agency in &agencies {
        let slot = state_slot(agency.state.as_deref());
        let Some(county_column) = agency.county.as_deref() else {
            continue;
        };
        for county in county_column.split(',') {
            if !seen_counties.insert((county.trim(), slot)) {
                continue;
            }
            let key = parse::parse(&format!("{} County", county.trim())).key;
            if key.is_empty() {
                continue;
            }
            let states = data.counties.entry(key).or_default();
            if !states.contains(&slot) {
                states.push(slot);
            }
        }
    }
    // Each state's state police headquarters, when the list makes it plain.
    let mut police_by_state: HashMap<u8, Vec<u32>> = HashMap::new();
    for (i, agency) in agencies.iter().enumerate() {
        if agency.agency_type == "State Police" {
            police_by_state
                .entry(state_slot(agency.state.as_deref()))
                .or_default()
                .push(index_of(i));
        }
    }
    for (slot, rows) in police_by_state {
        if let Some(hq) = headquarters(&agencies, &rows) {
            data.state_police.insert(slot, hq);
        }
    }
    data.agencies = agencies;
    data.derived = derived;
    data.by_ori = by_ori;
    Directory {
        data: Arc::new(data),
    }
}

fn enrich(agency: &mut Agency, entry: &FederalAgency) {
    agency.class = AgencyClass::Federal;
    agency.counterparty = entry.counterparty.clone();
    agency.kind = Some(match entry.kind.as_deref() {
        Some("military") => AgencyKind::Military,
        _ => AgencyKind::FederalAgency,
    });
    agency.aliases = entry
        .aliases
        .iter()
        .chain(&entry.acronyms)
        .chain(&entry.leading)
        .cloned()
        .collect();
    if !agency.has_ori() || agency.name.trim_end().ends_with([',', ':']) {
        agency.name = entry.name.clone();
    }
}

/// The state police headquarters among a state's State Police rows: the one row named after
/// the state (`Minnesota State Patrol`), else the one row with no county, else the only row,
/// else the one row of the latest data year.
fn headquarters(agencies: &[Agency], rows: &[u32]) -> Option<u32> {
    let only = |matching: Vec<u32>| (matching.len() == 1).then(|| matching[0]);
    let state_name = |a: &Agency| {
        a.state
            .as_deref()
            .and_then(states::by_code)
            .map(|s| s.name.to_lowercase())
    };
    let named: Vec<u32> = rows
        .iter()
        .copied()
        .filter(|&i| {
            let agency = &agencies[i as usize];
            state_name(agency).is_some_and(|n| agency.name.to_lowercase().contains(&n))
        })
        .collect();
    if let Some(hq) = only(named) {
        return Some(hq);
    }
    let no_county: Vec<u32> = rows
        .iter()
        .copied()
        .filter(|&i| agencies[i as usize].county.is_none())
        .collect();
    if let Some(hq) = only(no_county) {
        return Some(hq);
    }
    if let Some(hq) = only(rows.to_vec()) {
        return Some(hq);
    }
    // `Highway Patrol:` rows of earlier years are troops that reported then; one row of the
    // latest year is the patrol as it reports now.
    let latest = rows
        .iter()
        .filter_map(|&i| agencies[i as usize].data_year)
        .max()?;
    only(
        rows.iter()
            .copied()
            .filter(|&i| agencies[i as usize].data_year == Some(latest))
            .collect(),
    )
}

pub(crate) fn compact(key: &str) -> String {
    key.chars().filter(|c| !c.is_whitespace()).collect()
}

fn index_of(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}
