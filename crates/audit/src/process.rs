//! From a raw record to an [`Event`]: the per-row work, with every expensive step memoised.
//!
//! The run's shared [`Tables`] hold each distinct searcher (resolved once), reason (classified
//! once), search type and law decision (decided once per counterparty, purpose and day). Each
//! worker keeps its own byte-keyed caches in front of them, so a row costs a time parse and a
//! few hash lookups; the shared tables are locked only when a worker meets a value for the first
//! time.

use std::collections::HashMap;
use std::sync::Mutex;

use remit_law::{Corpus, Date, Verdict};
use serde::Serialize;

use crate::bytemap::ByteMap;
use crate::classify::{Category, Classification, Classifier};
use crate::event::{Event, Flag, Flags, Outcome, text};
use crate::layout::{Field, Layout};
use crate::party::{Party, PartyClass, PartyResolver, counterparty};
use crate::time::{TimestampReader, trim};

/// A fast, non-cryptographic hash for the per-row caches (keys are short strings and integers
/// from the input; there is no adversary to defend against in a local audit): the workspace's one
/// fast hasher, `foldhash`, with a fixed seed.
pub type FastHash = foldhash::fast::FixedState;

/// A `HashMap` with [`FastHash`].
pub type FastMap<K, V> = HashMap<K, V, FastHash>;

/// Looks up whether an agency held a 287(g) agreement, for the `searcher_287g` flag. The
/// registry's implementation lives in remit-app (`remit_app::agreements`), which joins the two.
pub trait AgreementLookup: Sync {
    /// The periods (first day, last day or open) during which `party` held an agreement.
    fn periods(&self, party: &Party) -> Vec<(Date, Option<Date>)>;
}

/// A distinct searcher.
#[derive(Clone, Debug, Serialize)]
pub struct SearcherInfo {
    /// Who the searcher is, as the directory resolved the name.
    pub party: Party,
    /// The counterparty word the law question uses, when the searcher could be placed.
    pub counterparty: Option<String>,
    /// The owner's own users (no sharing happened).
    pub own: bool,
    #[serde(skip)]
    /// The flags every search by this searcher carries (federal, private, out of state, ...).
    pub flags: Flags,
    /// Days (since 1970) during which the searcher held a 287(g) agreement.
    #[serde(skip)]
    pub agreement_days: Vec<(i64, i64)>,
}

/// A distinct reason shape (see [`Classifier::shape`]).
#[derive(Clone, Debug, Serialize)]
pub struct ReasonInfo {
    /// The first reason of this shape met.
    pub text: String,
    /// The categories and purpose the classifier gave the reason.
    pub classification: Classification,
    #[serde(skip)]
    /// The flags every search with this reason carries (vague, missing, of concern).
    pub flags: Flags,
}

/// A rule that decided a question, as findings cite it (the law's brief citation).
pub use remit_law::RuleCitation as CitedRule;

/// A distinct law question and its answer.
#[derive(Clone, Debug, Serialize)]
pub struct DecisionInfo {
    /// The action asked about (sharing plate-reader data).
    pub action: &'static str,
    /// Who received the data, as a vocabulary counterparty word.
    pub counterparty: String,
    /// The purpose asked about, a vocabulary purpose word.
    pub purpose: String,
    /// The day asked about, `YYYY-MM-DD`.
    pub date: String,
    /// The law's answer (`None` when the question could not be asked).
    pub verdict: Option<Verdict>,
    /// The rules that decided the answer.
    pub determining: Vec<CitedRule>,
    /// Why the question could not be asked, if it could not.
    pub error: Option<String>,
}

impl DecisionInfo {
    /// The verdict's name, or `not_asked` when the question could not be asked.
    pub fn verdict_name(&self) -> &'static str {
        self.verdict.map_or("not_asked", Verdict::name)
    }

    /// The determining rules as one cell: `Cal. Civ. Code 1798.90.55(b) [us-ca/...]; ...`
    /// (the sources they also cite are in the summary's decisions and the report).
    pub fn citations_text(&self) -> String {
        self.determining
            .iter()
            .map(|r| format!("{} [{}]", r.citation, r.id))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// An input file of the run.
#[derive(Clone, Debug, Serialize)]
pub struct FileInfo {
    /// The file as given.
    pub path: String,
    /// The log layout recognised (`None` when the file was skipped).
    pub layout: Option<String>,
    /// Set when the file was skipped (a sharing list, ...).
    pub skipped: Option<String>,
    /// Searches read from the file.
    pub events: u64,
    /// Rows of the file that could not be read as a search.
    pub rejected: u64,
    /// 64-bit hash of the file's bytes (hex, [`crate::csvscan::StreamHash`]), for idempotent imports.
    pub content_hash: String,
    /// The file's size in bytes.
    pub bytes: u64,
}

/// Everything distinct that the run has met, shared between workers.
#[derive(Debug, Default)]
pub struct Tables {
    /// The run's input files, by file index.
    pub files: Vec<FileInfo>,
    /// Distinct searchers, by searcher id (0 is the owner when known).
    pub searchers: Vec<SearcherInfo>,
    /// Distinct reason shapes, by reason id.
    pub reasons: Vec<ReasonInfo>,
    /// Distinct search types as written, by search-type id.
    pub search_types: Vec<String>,
    /// Distinct law questions and their answers, by decision id.
    pub decisions: Vec<DecisionInfo>,
    searcher_ids: HashMap<String, u32>,
    reason_ids: HashMap<String, u32>,
    search_type_ids: HashMap<String, u32>,
    decision_ids: HashMap<(String, String, i64), u32>,
    /// The searcher that stands for the data's owner when the owner is not known (rows of a
    /// log with a searcher column that leave it empty).
    unknown_owner: Option<u32>,
}

impl Tables {
    /// The searcher with id `id`, an id these tables gave out.
    pub fn searcher(&self, id: u32) -> &SearcherInfo {
        &self.searchers[id as usize]
    }

    /// The reason shape with id `id`, an id these tables gave out.
    pub fn reason(&self, id: u32) -> &ReasonInfo {
        &self.reasons[id as usize]
    }

    /// The law decision an outcome refers to (`None` for own searches and questions not asked).
    pub fn decision(&self, outcome: Outcome) -> Option<&DecisionInfo> {
        match outcome {
            Outcome::Decided(id) => self.decisions.get(id as usize),
            _ => None,
        }
    }

    /// The verdict's name for an outcome: the decision's, `own_search` or `not_asked`.
    pub fn verdict_name(&self, outcome: Outcome) -> &'static str {
        match outcome {
            Outcome::Decided(id) => self
                .decisions
                .get(id as usize)
                .map_or("not_asked", DecisionInfo::verdict_name),
            Outcome::OwnSearch => "own_search",
            Outcome::NotAsked => "not_asked",
        }
    }
}

/// What every worker reads and nothing changes during a run.
pub struct Context<'a> {
    /// Sorts reasons into categories.
    pub classifier: &'a Classifier,
    /// The rules the law questions are answered from.
    pub corpus: &'a Corpus,
    /// Places searcher names in the agency directory.
    pub resolver: &'a dyn PartyResolver,
    /// Who held a 287(g) agreement when (`None`: the `searcher_287g` flag is not raised).
    pub agreements: Option<&'a dyn AgreementLookup>,
    /// The data's owner, when known.
    pub owner: Option<Party>,
    /// Seconds east of UTC for times without a zone.
    pub utc_offset: i32,
    /// Everything distinct the run has met, shared by the workers.
    pub tables: Mutex<Tables>,
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("owner", &self.owner)
            .field("utc_offset", &self.utc_offset)
            .finish_non_exhaustive()
    }
}

/// Why a row was set aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reject {
    /// Index into the run's files.
    pub file: u32,
    /// The physical line where the record starts.
    pub line: u64,
    /// The field that could not be read.
    pub field: String,
    /// What is wrong with it, in plain words.
    pub message: String,
}

/// The owner's searcher id (always 0 when the owner is known).
pub const OWNER: u32 = 0;

impl Context<'_> {
    fn lock(&self) -> std::sync::MutexGuard<'_, Tables> {
        // A worker that panicked while holding the lock left consistent tables (every insert is
        // a push followed by a map insert), so a poisoned lock is still usable.
        self.tables
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers the owner as searcher 0, so that a searcher resolving to the owner, or a log
    /// without a searcher column, counts as the owner's own search.
    pub fn register_owner(&self) {
        let mut tables = self.lock();
        if let Some(owner) = &self.owner
            && tables.searchers.is_empty()
        {
            let info = self.searcher_info(owner.clone(), true);
            tables.searchers.push(info);
        }
    }

    fn searcher_info(&self, party: Party, own: bool) -> SearcherInfo {
        let counterparty = match &self.owner {
            Some(owner) if !own => counterparty(owner, &party),
            _ => None,
        };
        let mut flags = Flags::default();
        if !own {
            match party.class {
                PartyClass::Federal if party.is_federal_immigration() => {
                    flags.insert(Flag::FederalImmigrationSearcher)
                }
                PartyClass::Federal => flags.insert(Flag::FederalSearcher),
                PartyClass::Private => flags.insert(Flag::PrivateSearcher),
                _ => {}
            }
            if counterparty.as_deref() == Some("out_of_state_agency") {
                flags.insert(Flag::OutOfStateSearcher);
            }
            if counterparty.is_none() {
                flags.insert(Flag::UnresolvedSearcher);
            }
        }
        let agreement_days = self
            .agreements
            .map(|lookup| {
                lookup
                    .periods(&party)
                    .into_iter()
                    .map(|(from, until)| {
                        (
                            from.days_since_epoch(),
                            until.map_or(i64::MAX, Date::days_since_epoch),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        SearcherInfo {
            party,
            counterparty,
            own,
            flags,
            agreement_days,
        }
    }

    /// The id of a searcher name, resolving it the first time.
    fn searcher_id(&self, name: &str) -> u32 {
        let mut tables = self.lock();
        if let Some(&id) = tables.searcher_ids.get(name) {
            return id;
        }
        let home = self.owner.as_ref().and_then(|o| o.state.as_deref());
        let party = self.resolver.resolve(name, None, home);
        let own = self.owner.as_ref().is_some_and(|o| o.same_agency(&party));
        let id = if own && !tables.searchers.is_empty() {
            OWNER
        } else {
            let info = self.searcher_info(party, own);
            tables.searchers.push(info);
            (tables.searchers.len() - 1) as u32
        };
        tables.searcher_ids.insert(name.to_string(), id);
        id
    }

    /// The id of a reason shape, classifying it the first time; `sample` is a reason as written.
    fn reason_id(&self, text: &str, sample: &str) -> (u32, Category, Flags, String) {
        let mut tables = self.lock();
        if let Some(&id) = tables.reason_ids.get(text) {
            let info = &tables.reasons[id as usize];
            return (
                id,
                info.classification.primary,
                info.flags,
                info.classification.purpose.clone(),
            );
        }
        let classification = self.classifier.classify(text);
        let mut flags = Flags::default();
        let primary = classification.primary;
        if primary.is_concern() {
            flags.insert(Flag::ConcernReason);
        }
        match primary {
            Category::Vague => flags.insert(Flag::VagueReason),
            Category::Missing => flags.insert(Flag::MissingReason),
            Category::TestOrTraining => flags.insert(Flag::TestOrTraining),
            _ => {}
        }
        let purpose = classification.purpose.clone();
        tables.reasons.push(ReasonInfo {
            text: sample.to_string(),
            classification,
            flags,
        });
        let id = (tables.reasons.len() - 1) as u32;
        tables.reason_ids.insert(text.to_string(), id);
        (id, primary, flags, purpose)
    }

    fn search_type_id(&self, text: &str) -> u32 {
        let mut tables = self.lock();
        if let Some(&id) = tables.search_type_ids.get(text) {
            return id;
        }
        tables.search_types.push(text.to_string());
        let id = (tables.search_types.len() - 1) as u32;
        tables.search_type_ids.insert(text.to_string(), id);
        id
    }

    /// Decides "may the owner share its ALPR data with `counterparty` for `purpose` on `day`?".
    fn decision_id(&self, counterparty: &str, purpose: &str, day: i64) -> (u32, bool) {
        let key = (counterparty.to_string(), purpose.to_string(), day);
        {
            let tables = self.lock();
            if let Some(&id) = tables.decision_ids.get(&key) {
                return (id, forbids(tables.decisions[id as usize].verdict));
            }
        }
        let info = self.decide(counterparty, purpose, day);
        let forbidden = forbids(info.verdict);
        let mut tables = self.lock();
        if let Some(&id) = tables.decision_ids.get(&key) {
            return (id, forbidden);
        }
        tables.decisions.push(info);
        let id = (tables.decisions.len() - 1) as u32;
        tables.decision_ids.insert(key, id);
        (id, forbidden)
    }

    fn decide(&self, counterparty: &str, purpose: &str, day: i64) -> DecisionInfo {
        let date = Date::from_days_since_epoch(day);
        let mut info = DecisionInfo {
            action: remit_law::SHARE_PLATE_DATA,
            counterparty: counterparty.to_string(),
            purpose: purpose.to_string(),
            date: date.to_string(),
            verdict: None,
            determining: Vec::new(),
            error: None,
        };
        let Some(owner) = &self.owner else {
            info.error = Some("the data's owner is not known".to_string());
            return info;
        };
        let Some(state) = owner.state.as_deref() else {
            info.error = Some(format!("the owner `{}` has no known state", owner.name));
            return info;
        };
        // The owner's city or county when known (its ordinances bind it), else its state.
        let place = owner
            .division
            .as_deref()
            .and_then(|d| remit_law::Jurisdiction::parse_ocd(d).ok())
            .or_else(|| remit_law::Jurisdiction::for_state(state));
        let Some(place) = place else {
            info.error = Some(format!("`{state}` is not a state code"));
            return info;
        };
        let place = place.to_string();
        let question = remit_law::SharingQuestion {
            place: &place,
            actor: owner.actor(),
            counterparty,
            purpose: Some(purpose),
            date,
        };
        match self.corpus.may_share_plate_data(&question) {
            Ok((_, decision)) => {
                info.verdict = Some(decision.verdict);
                let rules = self.corpus.rules();
                info.determining = decision
                    .determining
                    .iter()
                    .map(|&i| CitedRule::of(&rules[i]))
                    .collect();
            }
            Err(errors) => {
                info.error = Some(
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                );
            }
        }
        info
    }
}

fn forbids(verdict: Option<Verdict>) -> bool {
    matches!(verdict, Some(Verdict::MustNot | Verdict::Conflict))
}

/// A worker's cached view of a searcher.
#[derive(Clone, Copy, Debug)]
struct CachedSearcher {
    id: u32,
    flags: Flags,
    own: bool,
    counterparty: Option<u16>,
    /// Index into the processor's agreement periods, when the searcher held any.
    agreements: Option<u32>,
}

#[derive(Clone, Copy, Debug)]
struct CachedReason {
    id: u32,
    category: Category,
    flags: Flags,
    purpose: u16,
    carries_case_number: bool,
}

/// The table ids a run of rows met, each once, in the order the rows met them first. The
/// pipeline numbers the run's tables from these in input order, so that ids do not depend on
/// which worker reached a table first.
#[derive(Debug, Default)]
pub struct Seen {
    /// Searcher ids, first met first.
    pub searchers: Vec<u32>,
    /// With the reason as written in the first row that met it.
    pub reasons: Vec<(u32, String)>,
    /// Search-type ids, first met first.
    pub search_types: Vec<u32>,
    /// Decision ids, first met first.
    pub decisions: Vec<u32>,
}

/// Marks an id as met; true the first time.
fn mark(marks: &mut Vec<bool>, id: u32) -> bool {
    let index = id as usize;
    if marks.len() <= index {
        marks.resize(index + 1, false);
    }
    !std::mem::replace(&mut marks[index], true)
}

/// How many reasons as written a processor remembers.
const RAW_REASONS: usize = 1 << 16;

/// One thread's processor: caches in front of the shared tables.
#[derive(Debug)]
pub struct Processor<'c, 'a> {
    context: &'c Context<'a>,
    layout: Layout,
    file: u32,
    owner_searches: bool,
    searchers: ByteMap<CachedSearcher>,
    reasons: ByteMap<CachedReason>,
    /// Reasons as written, up to [`RAW_REASONS`] of them (reasons that carry a case number
    /// are mostly unique, and only their shape repeats).
    raw_reasons: ByteMap<CachedReason>,
    shape_scratch: Vec<u8>,
    search_types: ByteMap<u32>,
    /// Interned counterparty and purpose words, so that a decision key is three integers.
    words: Vec<String>,
    /// 287(g) agreement periods (days) of searchers that held any.
    agreements: Vec<Vec<(i64, i64)>>,
    decisions: FastMap<u64, (u32, bool)>,
    /// Ids met since the last [`Processor::take_seen`], and marks of which.
    seen: Seen,
    marks: [Vec<bool>; 4],
    /// Search times, with the day of the last one remembered.
    timestamps: TimestampReader,
}

fn count(bytes: &[u8]) -> Option<u32> {
    let bytes = trim(bytes);
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    let mut value = 0_u32;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(b - b'0');
    }
    Some(value)
}

impl<'c, 'a> Processor<'c, 'a> {
    /// A processor for rows of `file` (index into the run's files) read with `layout`.
    pub fn new(context: &'c Context<'a>, layout: Layout, file: u32) -> Processor<'c, 'a> {
        let owner_searches = layout.kind.searches_are_by_owner() || !layout.has(Field::Searcher);
        Processor {
            context,
            layout,
            file,
            owner_searches,
            searchers: ByteMap::default(),
            reasons: ByteMap::default(),
            raw_reasons: ByteMap::default(),
            shape_scratch: Vec::new(),
            search_types: ByteMap::default(),
            words: Vec::new(),
            agreements: Vec::new(),
            decisions: FastMap::default(),
            seen: Seen::default(),
            marks: Default::default(),
            timestamps: TimestampReader::default(),
        }
    }

    /// The ids met since the last call, in the order first met.
    pub fn take_seen(&mut self) -> Seen {
        let seen = std::mem::take(&mut self.seen);
        let [searchers, reasons, search_types, decisions] = &mut self.marks;
        for (marks, ids) in [
            (searchers, &seen.searchers),
            (search_types, &seen.search_types),
            (decisions, &seen.decisions),
        ] {
            for &id in ids {
                marks[id as usize] = false;
            }
        }
        for &(id, _) in &seen.reasons {
            reasons[id as usize] = false;
        }
        seen
    }

    /// The layout the processor reads rows with.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    fn word(&mut self, word: &str) -> u16 {
        match self.words.iter().position(|w| w == word) {
            Some(i) => i as u16,
            None => {
                self.words.push(word.to_string());
                (self.words.len() - 1) as u16
            }
        }
    }

    fn searcher(&mut self, name: &[u8]) -> CachedSearcher {
        if let Some(&cached) = self.searchers.get(name) {
            return cached;
        }
        let id = self.context.searcher_id(&String::from_utf8_lossy(name));
        let (flags, own, counterparty, agreement_days) = {
            let tables = self.context.lock();
            let info = tables.searcher(id);
            (
                info.flags,
                info.own,
                info.counterparty.clone(),
                info.agreement_days.clone(),
            )
        };
        let counterparty = counterparty.map(|c| self.word(&c));
        let agreements = (!agreement_days.is_empty()).then(|| {
            self.agreements.push(agreement_days);
            (self.agreements.len() - 1) as u32
        });
        let cached = CachedSearcher {
            id,
            flags,
            own,
            counterparty,
            agreements,
        };
        self.searchers.insert(name, cached);
        cached
    }

    fn reason(&mut self, reason: &[u8]) -> CachedReason {
        // Most reasons recur word for word: look them up as written before computing a shape.
        if let Some(&cached) = self.raw_reasons.get(reason) {
            return cached;
        }
        let cached = self.reason_by_shape(reason);
        if self.raw_reasons.len() < RAW_REASONS {
            self.raw_reasons.insert(reason, cached);
        }
        cached
    }

    fn reason_by_shape(&mut self, reason: &[u8]) -> CachedReason {
        let mut scratch = std::mem::take(&mut self.shape_scratch);
        let shape = self.context.classifier.shape(reason, &mut scratch);
        if let Some(&cached) = self.reasons.get(shape) {
            self.shape_scratch = scratch;
            return cached;
        }
        let shape: Box<[u8]> = shape.into();
        self.shape_scratch = scratch;
        let (id, category, flags, purpose) = self.context.reason_id(
            &String::from_utf8_lossy(&shape),
            &String::from_utf8_lossy(reason),
        );
        let carries_case_number = {
            let tables = self.context.lock();
            tables
                .reason(id)
                .classification
                .categories
                .contains(Category::CaseNumber)
        };
        let cached = CachedReason {
            id,
            category,
            flags,
            purpose: self.word(&purpose),
            carries_case_number,
        };
        self.reasons.insert(&shape, cached);
        cached
    }

    /// The owner's searcher entry, registering the owner as a party when it is unknown.
    fn owner_searcher(&mut self) -> CachedSearcher {
        const OWN: &[u8] = b"\x00owner";
        if let Some(&cached) = self.searchers.get(OWN) {
            return cached;
        }
        let id = if self.context.owner.is_some() {
            // Registered as searcher 0 before any row was read.
            OWNER
        } else {
            // Another worker may have registered searchers first: the placeholder gets its own
            // id, whatever it is.
            let mut tables = self.context.lock();
            match tables.unknown_owner {
                Some(id) => id,
                None => {
                    let party = Party::unresolved("(the data's owner)");
                    let info = self.context.searcher_info(party, true);
                    tables.searchers.push(info);
                    let id = (tables.searchers.len() - 1) as u32;
                    tables.unknown_owner = Some(id);
                    id
                }
            }
        };
        let cached = CachedSearcher {
            id,
            flags: Flags::default(),
            own: true,
            counterparty: None,
            agreements: None,
        };
        self.searchers.insert(OWN, cached);
        cached
    }

    /// Turns one record into an event, or says why it cannot.
    pub fn process<'r, F>(&mut self, field: F, line: u64) -> Result<Event<'r>, Reject>
    where
        F: Fn(usize) -> &'r [u8],
    {
        let layout = &self.layout;
        let get = |f: Field| layout.column(f).map(|c| trim(field(c)));
        let reject = |f: Field, message: String| Reject {
            file: self.file,
            line,
            field: layout
                .column(f)
                .and_then(|c| layout.header.get(c).cloned())
                .unwrap_or_else(|| f.name().to_string()),
            message,
        };
        let time_bytes = get(Field::Time).unwrap_or_default();
        if time_bytes.is_empty() {
            return Err(reject(Field::Time, "the search time is empty".to_string()));
        }
        let Some(time) = self.timestamps.parse(time_bytes, self.context.utc_offset) else {
            return Err(reject(
                Field::Time,
                format!("`{}` is not a time Remit can read", text(time_bytes)),
            ));
        };
        let searcher_bytes = get(Field::Searcher);
        let case_bytes = get(Field::Case);
        let has_case_column = case_bytes.is_some();
        let case_number = case_bytes.unwrap_or_default();
        let user = get(Field::User).unwrap_or_default();
        let plate = get(Field::Plate).unwrap_or_default();
        let moderation = get(Field::Moderation).unwrap_or_default();
        let networks = get(Field::Networks).and_then(count);
        let devices = get(Field::Devices).and_then(count);
        let mut reason_bytes = get(Field::Reason).unwrap_or_default();
        if reason_bytes.is_empty() {
            reason_bytes = get(Field::Offense).unwrap_or_default();
        }
        let search_type_bytes = get(Field::SearchType).unwrap_or_default();

        let searcher = match searcher_bytes {
            Some(name) if !name.is_empty() && !self.owner_searches => self.searcher(name),
            Some(name) if !name.is_empty() && self.context.owner.is_none() => {
                // An organization audit without `--owner`: the organization is the owner.
                self.searcher(name)
            }
            _ => self.owner_searcher(),
        };
        let reason = self.reason(reason_bytes);
        let search_type = match self.search_types.get(search_type_bytes) {
            Some(&id) => id,
            None => {
                let id = self
                    .context
                    .search_type_id(&String::from_utf8_lossy(search_type_bytes));
                self.search_types.insert(search_type_bytes, id);
                id
            }
        };
        let [seen_searchers, seen_reasons, seen_search_types, _] = &mut self.marks;
        if mark(seen_searchers, searcher.id) {
            self.seen.searchers.push(searcher.id);
        }
        if mark(seen_reasons, reason.id) {
            self.seen.reasons.push((
                reason.id,
                String::from_utf8_lossy(reason_bytes).into_owned(),
            ));
        }
        if mark(seen_search_types, search_type) {
            self.seen.search_types.push(search_type);
        }

        let mut flags = Flags(searcher.flags.0 | reason.flags.0);
        if has_case_column && case_number.is_empty() && !reason.carries_case_number {
            flags.insert(Flag::MissingCaseNumber);
        }
        if moderation.eq_ignore_ascii_case(b"block") || moderation.eq_ignore_ascii_case(b"warn") {
            flags.insert(Flag::Moderated);
        }
        let day = time.div_euclid(86_400);
        if let Some(index) = searcher.agreements
            && self.agreements[index as usize]
                .iter()
                .any(|&(from, until)| from <= day && day <= until)
        {
            flags.insert(Flag::Searcher287g);
        }
        let outcome = if searcher.own || self.owner_searches {
            Outcome::OwnSearch
        } else {
            match searcher.counterparty {
                None => Outcome::NotAsked,
                Some(cp) => {
                    let key = (u64::from(cp) << 48)
                        | (u64::from(reason.purpose) << 32)
                        | (day as u64 & 0xffff_ffff);
                    let (id, forbidden) = match self.decisions.get(&key) {
                        Some(&known) => known,
                        None => {
                            let counterparty = self.words[usize::from(cp)].clone();
                            let purpose = self.words[usize::from(reason.purpose)].clone();
                            let known = self.context.decision_id(&counterparty, &purpose, day);
                            self.decisions.insert(key, known);
                            known
                        }
                    };
                    if forbidden {
                        flags.insert(Flag::ForbiddenSharing);
                    }
                    if mark(&mut self.marks[3], id) {
                        self.seen.decisions.push(id);
                    }
                    Outcome::Decided(id)
                }
            }
        };
        Ok(Event {
            file: self.file,
            line,
            time,
            searcher: searcher.id,
            reason: reason.id,
            reason_text: reason_bytes,
            category: reason.category,
            search_type,
            case_number,
            user,
            plate,
            networks,
            devices,
            outcome,
            flags,
        })
    }
}
