//! The check after an import (`Sharing::refresh`) reads entries in batches and resolves names
//! through a bounded memo, so that its memory does not grow with the number of names (measured by
//! `bench/bombs/run.sh`, `sharing-distinct`). These tests check that what it stores is exactly
//! what the former refresh stored, which held every list, party and id in memory: that refresh
//! is written out again below as the reference, and both run over the real lists in
//! `../shared/data/alpr` (the 187 transparency portals, Eugene's, Okaloosa's and Irvine's lists)
//! plus one list naming every name those lists hold, resolved against the FBI directory.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]
#![expect(
    clippy::panic,
    reason = "a missing required data folder fails the test"
)]

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use remit_agencies::{Directory, Resolver};
use remit_law::{Corpus, Date, Scenarios};
use remit_sharing::remit_store::Store;
use remit_sharing::remit_store::rusqlite::{self, Connection, Row, params};
use remit_sharing::{Checker, Direction, Party, ReadOptions, Sharing};

#[expect(dead_code, reason = "these tests use the real lists, not the fixtures")]
mod common;
use common::{options, shared};

const DIRECTORY: &str = "FBI directory";

/// A folder of this test's own under the target directory, emptied.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A party as stored.
#[derive(Debug, PartialEq)]
struct PartyRow {
    id: i64,
    input: String,
    state_hint: String,
    home_state: String,
    key: String,
    name: String,
    ori: Option<String>,
    agency_id: Option<String>,
    state: Option<String>,
    class: String,
    kind: Option<String>,
    counterparty: Option<String>,
    confidence: f64,
    reasons: String,
    actor: Option<String>,
    place: Option<String>,
}

/// An edge row: entry, list, direction, owner party, recipient party, date, grouping,
/// counterparty, decision, verdict, note.
type EdgeRow = (
    i64,
    i64,
    String,
    i64,
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    String,
    Option<String>,
);

/// A decision row: place, actor, counterparty, date, verdict, headline, determining, caveats.
type DecisionRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

/// The derived layer, each table in id order (ids included, since edges refer to them).
#[derive(Debug, Default, PartialEq)]
struct Derived {
    parties: Vec<PartyRow>,
    owners: Vec<(i64, i64)>,
    decisions: Vec<(i64, DecisionRow)>,
    edges: Vec<EdgeRow>,
    rules: Vec<String>,
}

fn party_row(id: i64, party: &Party, state_hint: &str, home: &str) -> PartyRow {
    PartyRow {
        id,
        input: party.input.clone(),
        state_hint: state_hint.to_string(),
        home_state: home.to_string(),
        key: party.key.clone(),
        name: party.name.clone(),
        ori: party.ori.clone(),
        agency_id: party.agency_id.clone(),
        state: party.state.clone(),
        class: party.class.as_str().to_string(),
        kind: party.kind.clone(),
        counterparty: party.counterparty.clone(),
        confidence: f64::from(party.confidence),
        reasons: serde_json::to_string(&party.reasons).unwrap(),
        actor: party.actor.map(str::to_string),
        place: party.place.as_ref().map(|p| p.as_str().to_string()),
    }
}

/// The former refresh: every list's entries read at once, every party and decision kept in
/// memory with its id (ids given in the order first met, as SQLite gives them to an emptied
/// table), with a checker whose memo never drops a name.
fn reference(connection: &Connection, corpus: &Corpus, directory: &Directory) -> Derived {
    let mut checker =
        Checker::new(corpus, Resolver::new(directory.clone())).with_memo_limit(1 << 30);
    let mut derived = Derived::default();
    let mut parties: HashMap<(String, String, String), i64> = HashMap::new();
    let mut decisions: HashMap<(String, String, String, String), i64> = HashMap::new();
    let mut party_id = |derived: &mut Derived, party: &Party, hint: &str, home: &str| {
        let key = (party.input.clone(), hint.to_string(), home.to_string());
        let next = parties.len() as i64 + 1;
        *parties.entry(key).or_insert_with(|| {
            derived.parties.push(party_row(next, party, hint, home));
            next
        })
    };
    let lists: Vec<(i64, String, Option<String>, String)> = select(
        connection,
        "SELECT id, owner, owner_state_hint, list_date FROM sharing_lists ORDER BY id",
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
    );
    for (list_id, owner, owner_hint, date) in lists {
        let date: Date = date.parse().unwrap();
        let owner = checker.party(&owner, owner_hint.as_deref(), None);
        let owner_id = party_id(
            &mut derived,
            &owner,
            owner_hint.as_deref().unwrap_or(""),
            "",
        );
        derived.owners.push((list_id, owner_id));
        let home = owner.state.clone();
        let entries: Vec<(i64, String, String, Option<String>)> = {
            let mut statement = connection
                .prepare(
                    "SELECT id, direction, name, state_hint FROM sharing_entries
                     WHERE list_id = ?1 ORDER BY id",
                )
                .unwrap();
            statement
                .query_map([list_id], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        for (entry_id, direction, name, hint) in entries {
            let direction = Direction::from_word(&direction).unwrap();
            let other: Arc<Party> = checker.party(&name, hint.as_deref(), home.as_deref());
            let other_id = party_id(
                &mut derived,
                &other,
                hint.as_deref().unwrap_or(""),
                home.as_deref().unwrap_or(""),
            );
            let (data_owner, data_owner_id, recipient, recipient_id) = match direction {
                Direction::Outbound => (&*owner, owner_id, &*other, other_id),
                Direction::Inbound => (&*other, other_id, &*owner, owner_id),
            };
            let check = checker.check(data_owner, recipient, date);
            let decision_id = check.decision.as_ref().map(|d| {
                let key = (
                    d.place.clone(),
                    d.actor.clone(),
                    d.counterparty.clone(),
                    d.date.clone(),
                );
                let next = decisions.len() as i64 + 1;
                *decisions.entry(key).or_insert_with(|| {
                    derived.decisions.push((
                        next,
                        (
                            d.place.clone(),
                            d.actor.clone(),
                            d.counterparty.clone(),
                            d.date.clone(),
                            d.verdict.name().to_string(),
                            d.headline.clone(),
                            serde_json::to_string(&d.determining).unwrap(),
                            serde_json::to_string(&d.caveats).unwrap(),
                        ),
                    ));
                    next
                })
            });
            derived.edges.push((
                entry_id,
                list_id,
                direction.as_str().to_string(),
                data_owner_id,
                recipient_id,
                date.to_string(),
                check.group.as_str().to_string(),
                check.counterparty.clone(),
                decision_id,
                check.verdict_word().to_string(),
                check.note.clone(),
            ));
        }
    }
    derived.rules = checker.rules().keys().cloned().collect();
    derived
}

fn select<T>(
    connection: &Connection,
    sql: &str,
    row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Vec<T> {
    let mut statement = connection.prepare(sql).unwrap();
    statement
        .query_map([], row)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The derived layer as the store holds it.
fn stored(connection: &Connection) -> Derived {
    Derived {
        parties: select(
            connection,
            "SELECT id, input, state_hint, home_state, key, name, ori, agency_id, state, class,
                kind, counterparty, confidence, reasons, actor, place
             FROM sharing_parties ORDER BY id",
            |row| {
                Ok(PartyRow {
                    id: row.get(0)?,
                    input: row.get(1)?,
                    state_hint: row.get(2)?,
                    home_state: row.get(3)?,
                    key: row.get(4)?,
                    name: row.get(5)?,
                    ori: row.get(6)?,
                    agency_id: row.get(7)?,
                    state: row.get(8)?,
                    class: row.get(9)?,
                    kind: row.get(10)?,
                    counterparty: row.get(11)?,
                    confidence: row.get(12)?,
                    reasons: row.get(13)?,
                    actor: row.get(14)?,
                    place: row.get(15)?,
                })
            },
        ),
        owners: select(
            connection,
            "SELECT list_id, party_id FROM sharing_list_owners ORDER BY list_id",
            |row| Ok((row.get(0)?, row.get(1)?)),
        ),
        decisions: select(
            connection,
            "SELECT id, place, actor, counterparty, date, verdict, headline, determining, caveats
             FROM sharing_decisions ORDER BY id",
            |row| {
                Ok((
                    row.get(0)?,
                    (
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                        row.get(6)?,
                        row.get(7)?,
                        row.get(8)?,
                    ),
                ))
            },
        ),
        edges: select(
            connection,
            "SELECT entry_id, list_id, direction, owner_party, recipient_party, date, grouping,
                counterparty, decision_id, verdict, note
             FROM sharing_edges ORDER BY entry_id",
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                    row.get(7)?,
                    row.get(8)?,
                    row.get(9)?,
                    row.get(10)?,
                ))
            },
        ),
        rules: select(
            connection,
            "SELECT id FROM sharing_rules ORDER BY id",
            |row| row.get(0),
        ),
    }
}

/// Fails with the first row that differs, not with two tables of thousands of rows.
fn assert_same<T: PartialEq + std::fmt::Debug>(what: &str, got: &[T], want: &[T]) {
    if let Some(at) = (0..got.len().min(want.len())).find(|&i| got[i] != want[i]) {
        panic!(
            "{what}: row {at} differs:\n  stored:    {:?}\n  reference: {:?}",
            got[at], want[at]
        );
    }
    assert_eq!(got.len(), want.len(), "{what}: number of rows");
}

fn assert_derived(got: &Derived, want: &Derived) {
    assert_same("parties", &got.parties, &want.parties);
    assert_same("list owners", &got.owners, &want.owners);
    assert_same("decisions", &got.decisions, &want.decisions);
    assert_same("edges", &got.edges, &want.edges);
    assert_same("rules", &got.rules, &want.rules);
}

/// Imports the real lists, then one more naming every name they hold; `None` when the shared
/// data is missing.
fn real_store(dir: &Path) -> Option<Store> {
    let alpr = shared("")?;
    let mut store = Store::open(&dir.join("remit.db")).unwrap();
    let mut sharing = Sharing::open(&mut store).unwrap();
    let dated = |owner: &str, date: &str| ReadOptions {
        owner: Some(owner.to_string()),
        date: Some(date.parse().unwrap()),
        ..options(None)
    };
    let irvine = alpr.join("irvine-ca/vigilant-audit_2021-12_2025-01.xlsx");
    let mut files: Vec<(PathBuf, ReadOptions)> =
        remit_sharing::collect_files(&[alpr.join("transparency-portals")])
            .unwrap()
            .into_iter()
            .map(|path| (path, options(None)))
            .collect();
    assert_eq!(files.len(), 187, "the archived portals");
    files.extend([
        (
            alpr.join("eugene-or/sharing-list.csv"),
            dated("Eugene OR PD", "2025-12-02"),
        ),
        (
            alpr.join("okaloosa-fl/sharing-agencies.csv"),
            dated("Okaloosa County FL SO", "2025-12-08"),
        ),
        (
            irvine.clone(),
            ReadOptions {
                sheet: Some("A1".to_string()),
                ..dated("Irvine CA PD", "2025-01-31")
            },
        ),
        (
            irvine,
            ReadOptions {
                sheet: Some("A2".to_string()),
                direction: Some(Direction::Inbound),
                ..dated("Irvine CA PD", "2025-01-31")
            },
        ),
    ]);
    for (path, options) in &files {
        let report = sharing.import(path, options).unwrap();
        assert_eq!(report.status, "imported", "{}", path.display());
    }
    // One list with many names: every distinct name of the lists above, once each.
    let names: Vec<String> = select(
        sharing.store().connection(),
        "SELECT DISTINCT name FROM sharing_entries ORDER BY name",
        |row| row.get(0),
    );
    assert!(names.len() > 4_000, "{} distinct names", names.len());
    let path = dir.join("every-name.txt");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for name in &names {
        writeln!(out, "{name}").unwrap();
    }
    out.flush().unwrap();
    drop(out);
    let report = sharing
        .import(&path, &dated("El Cajon CA PD", "2026-04-29"))
        .unwrap();
    assert_eq!(report.outbound, names.len() as u64);
    Some(store)
}

#[test]
fn a_bounded_refresh_of_the_real_lists_stores_what_the_former_one_did() {
    let dir = scratch("refresh-bounded");
    let Some(mut store) = real_store(&dir) else {
        return;
    };
    let Some(fbi) = shared("../agencies/fbi-lee.csv") else {
        return;
    };
    let directory = Directory::from_fbi_csv(&fbi).unwrap();
    let corpus = Corpus::embedded_with(Scenarios::Skip).unwrap();
    let want = reference(store.connection(), &corpus, &directory);
    eprintln!(
        "{} edges, {} parties, {} decisions, {} must_not, {} may",
        want.edges.len(),
        want.parties.len(),
        want.decisions.len(),
        want.edges.iter().filter(|e| e.9 == "must_not").count(),
        want.edges.iter().filter(|e| e.9 == "may").count()
    );
    assert!(want.edges.len() > 50_000, "{} edges", want.edges.len());
    assert!(want.parties.len() > 6_000, "{} parties", want.parties.len());
    assert!(
        want.decisions.len() > 1_000,
        "{} decisions",
        want.decisions.len()
    );
    let verdicts =
        |derived: &Derived, verdict: &str| derived.edges.iter().filter(|e| e.9 == verdict).count();
    assert!(verdicts(&want, "must_not") > 100 && verdicts(&want, "may") > 10_000);

    // The default memo holds every name of these lists; a memo of 3 drops names all the time,
    // resolves them again, finds their parties in the store, and reads entries 3 at a time.
    for limit in [remit_sharing::check::DEFAULT_MEMO_LIMIT, 3] {
        let mut checker =
            Checker::new(&corpus, Resolver::new(directory.clone())).with_memo_limit(limit);
        let report = Sharing::open(&mut store)
            .unwrap()
            .refresh(&mut checker, DIRECTORY)
            .unwrap();
        let got = stored(store.connection());
        assert_derived(&got, &want);
        assert_eq!(report.entries, want.edges.len() as u64);
        assert_eq!(report.parties, want.parties.len() as u64);
        assert_eq!(report.decisions, want.decisions.len() as u64);
        assert_eq!(
            report.by_verdict["must_not"],
            verdicts(&want, "must_not") as u64
        );
        // What the checker and its resolver keep stays within the bound.
        assert!(
            checker.memoised() <= 2 * limit,
            "{} kept",
            checker.memoised()
        );
        assert!(
            checker.resolver().cached() <= 3 * limit,
            "the resolver keeps {}",
            checker.resolver().cached()
        );
        // A refresh leaves the layer current.
        let sharing = Sharing::open(&mut store).unwrap();
        assert!(!sharing.is_stale(corpus.version(), DIRECTORY).unwrap());
    }
    let owners = store
        .connection()
        .query_row(
            "SELECT count(DISTINCT party_id) FROM sharing_list_owners",
            params![],
            |row| row.get::<_, i64>(0),
        )
        .unwrap();
    assert!(owners >= 180, "{owners} owners");
}
