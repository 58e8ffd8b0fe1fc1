//! remit-registry: ICE's 287(g) sheets, read into agreements with history.
//!
//! ICE publishes which agencies hold a 287(g) agreement (and which have one pending) as
//! spreadsheets that change daily and keep no history. This crate imports every snapshot of
//! those sheets into the store (`remit-store`), one transaction and one content hash per file,
//! keeping each row's raw cells beside the parsed values and every defect as a data-quality issue
//! with file, row and column. From all snapshots together it derives agencies (one identity
//! across spelling changes and renames), agreements (state + agency + support model) with first
//! and last seen and status, and links each agency to the FBI directory through a [`Linker`].
//! Queries answer "how many, as of a date", "what changed between two dates" and "what is this
//! agency's history".

#![warn(missing_docs)]

pub mod atom;
mod changes;
mod day;
mod directory;
mod error;
mod fetch;
mod filename;
mod history;
mod import;
mod moa;
mod names;
mod parse;
mod quality;
mod query;
mod schema;
mod sheet;
mod states;
mod vocab;

use std::collections::BTreeMap;
use std::path::Path;

use remit_store::Store;

pub use changes::{
    CORPUS_SCHEMA, Change, CorpusChange, RuleState, WATCH_SCHEMA, WatchReport, advance_watch,
    latest_corpus_changes, record_corpus,
};
pub use day::{Day, Period, SnapshotTime};
pub use directory::{DirectoryLinker, state_figures};
pub use error::RegistryError;
pub use fetch::{
    Download, FetchError, FetchOptions, FoundLink, ICE_PAGE, USER_AGENT, fetch_workbooks,
    find_links, resolve_url,
};
pub use history::{AgencyLink, Linker, NoDirectory, RefreshReport};
pub use import::{
    FileReport, IMPORT_KIND, ImportOptions, IssueCounts, PreviousImport, collect_files,
};
pub use moa::{MOA_IMPORT_KIND, MoaDefect, MoaDocument, MoaImportReport, MoaLinkCounts, MoaStats};
pub use names::{agency_key, similar};
pub use parse::{Issue, Severity, SheetKind};
pub use quality::{IssueFilter, IssueRow, IssueSummary, Layout, QualityReport};
pub use query::{
    AgencyHistory, AgencyName, AgreementHistory, AgreementRow, Diff, ExportRow, Filter, FilterEcho,
    RateRow, Rates, SnapshotRef, StateFigures, Stats, StatusPeriod, write_export_csv,
};
pub use schema::SCHEMA;
pub use states::{parse_state, state_name};
pub use vocab::{MODELS, Model, model_label, parse_model};
/// The crates the registry's API uses, for callers that need no more of them.
pub use {remit_agencies, remit_store};

/// What one sheet file holds, read without a store: the rows the registry would import and the
/// data-quality issues it would record.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetReading {
    /// The worksheet read (`None` for a CSV file).
    pub sheet_name: Option<String>,
    /// The known headers in sheet order, e.g. `STATE|AGENCY|...`: the layout's identity.
    pub layout: String,
    /// Data rows below the header that hold a value.
    pub rows: usize,
    /// Rows that list an agreement (state, agency and model known, not a duplicate).
    pub agreements: usize,
    /// Blank rows below the header.
    pub empty_rows: usize,
    /// Every defect found, with its row and column.
    pub issues: Vec<Issue>,
}

/// Reads a sheet file's bytes (`path` says its format by its extension: XLSX, XLSM, XLS, ODS
/// or CSV) the way [`Registry::import`] does, without writing anything. Errors name the file.
pub fn read_sheet(
    path: &Path,
    content: &[u8],
    kind: SheetKind,
    taken: SnapshotTime,
) -> Result<SheetReading, RegistryError> {
    let table = sheet::read_table(path, content)?;
    let parsed = parse::parse_sheet(path, &table, kind, taken)?;
    Ok(SheetReading {
        sheet_name: table.sheet_name.clone(),
        layout: parsed.header.signature(),
        rows: parsed.listings.len(),
        agreements: parsed.listings.iter().filter(|l| l.counted).count(),
        empty_rows: parsed.empty_rows,
        issues: parsed.issues,
    })
}

/// The registry inside a store.
#[derive(Debug)]
pub struct Registry<'a> {
    store: &'a mut Store,
}

impl<'a> Registry<'a> {
    /// Brings the registry's tables up to date in `store`.
    pub fn open(store: &'a mut Store) -> Result<Registry<'a>, RegistryError> {
        store.migrate(&SCHEMA)?;
        Ok(Registry { store })
    }

    /// Imports one sheet file (one transaction; nothing changes if its content is already
    /// imported). Call [`Registry::refresh`] after a batch.
    pub fn import(
        &mut self,
        path: &Path,
        options: ImportOptions,
    ) -> Result<FileReport, RegistryError> {
        import::import_file(self.store, path, options)
    }

    /// Whether agencies and agreements must be rebuilt (new snapshots, or another directory).
    pub fn is_stale(&self, linker: &dyn Linker) -> Result<bool, RegistryError> {
        self.is_stale_for(&linker.source())
    }

    /// [`Registry::is_stale`] for a linker described by `directory_source` (its
    /// [`Linker::source`]), without building the linker.
    pub fn is_stale_for(&self, directory_source: &str) -> Result<bool, RegistryError> {
        history::is_stale(self.store.connection(), directory_source)
    }

    /// Rebuilds agencies, agreements, listings and directory links from the snapshots.
    pub fn refresh(&mut self, linker: &mut dyn Linker) -> Result<RefreshReport, RegistryError> {
        history::refresh(self.store, linker)
    }

    /// Refreshes when stale; `None` when the derived tables were current.
    pub fn ensure_fresh(
        &mut self,
        linker: &mut dyn Linker,
    ) -> Result<Option<RefreshReport>, RegistryError> {
        if self.is_stale(linker)? {
            self.refresh(linker).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Counts as of a date (the latest snapshots when `None`).
    pub fn stats(&self, as_of: Option<Day>, filter: &Filter) -> Result<Stats, RegistryError> {
        query::stats(self.store.connection(), as_of, filter)
    }

    /// Agreements added and removed between the snapshots as of two dates.
    pub fn diff(&self, from: Day, to: Day, filter: &Filter) -> Result<Diff, RegistryError> {
        query::diff(self.store.connection(), from, to, filter)
    }

    /// The history of the agencies matching a name.
    pub fn agency(
        &self,
        name: &str,
        state: Option<&str>,
    ) -> Result<Vec<AgencyHistory>, RegistryError> {
        query::agency_history(self.store.connection(), name, state)
    }

    /// Per-state rates against the directory's agency counts and population.
    pub fn rates(
        &self,
        as_of: Option<Day>,
        figures: &BTreeMap<String, StateFigures>,
        directory: &str,
    ) -> Result<Rates, RegistryError> {
        query::rates(self.store.connection(), as_of, figures, directory)
    }

    /// Agreements for export.
    pub fn export(
        &self,
        as_of: Option<Day>,
        filter: &Filter,
    ) -> Result<Vec<ExportRow>, RegistryError> {
        query::export(self.store.connection(), as_of, filter)
    }

    /// The data-quality report.
    pub fn quality(&self) -> Result<QualityReport, RegistryError> {
        quality::report(self.store.connection())
    }

    /// Data-quality issues, one by one.
    pub fn issues(&self, filter: &IssueFilter) -> Result<Vec<IssueRow>, RegistryError> {
        quality::issues(self.store.connection(), filter)
    }

    /// All snapshots in time order (participating and pending interleaved).
    pub fn snapshots(&self) -> Result<Vec<SnapshotRef>, RegistryError> {
        let connection = self.store.connection();
        let mut rows: BTreeMap<i64, u64> = BTreeMap::new();
        let mut statement = connection.prepare("SELECT id, rows FROM registry_snapshots")?;
        for row in
            statement.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?)))?
        {
            let (id, count) = row?;
            rows.insert(id, u64::try_from(count).unwrap_or(0));
        }
        Ok(history::load_snapshots(connection, None)?
            .into_iter()
            .map(|s| SnapshotRef {
                id: s.id,
                kind: s.kind,
                taken: s.time,
                file: s.source_path,
                rows: rows.get(&s.id).copied().unwrap_or(0),
            })
            .collect())
    }

    /// Imports the agreements index (`moa_agreements.json`): one transaction, nothing changes
    /// when the same content is already imported; its agencies are linked to the registry's.
    pub fn import_moa_index(
        &mut self,
        path: &Path,
        linker: &mut dyn Linker,
    ) -> Result<MoaImportReport, RegistryError> {
        moa::import_index(self.store, path, linker)
    }

    /// Counts from the agreements index: MOA documents posted by a date (`None` when no index
    /// is imported).
    pub fn moa_stats(
        &self,
        as_of: Option<Day>,
        filter: &Filter,
    ) -> Result<Option<MoaStats>, RegistryError> {
        moa::stats(self.store.connection(), as_of, filter)
    }

    /// Records the changes between consecutive participating sheets not yet recorded and
    /// returns them (the derived tables must be fresh). `recorded_at`: UTC,
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn record_changes(&mut self, recorded_at: &str) -> Result<Vec<Change>, RegistryError> {
        changes::record(self.store, recorded_at)
    }

    /// The latest recorded changes, newest sheet first.
    pub fn changes(&self, state: Option<&str>, limit: usize) -> Result<Vec<Change>, RegistryError> {
        changes::latest(self.store.connection(), state, limit)
    }

    /// The store, for callers that add their own queries.
    pub fn store(&self) -> &Store {
        self.store
    }
}
