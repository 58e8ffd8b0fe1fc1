//! Recorded changes and their Atom feed: the feed is well-formed XML with Atom's required
//! elements, and it updates when a newer sheet arrives. On the self-made sample (always) and on
//! two of ICE's real sheets (skipped with a notice when the shared data is missing).

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]
#![expect(
    clippy::panic,
    reason = "a missing required data folder fails the test"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::Event;
use remit_registry::atom::{FeedMeta, feed};
use remit_registry::{Day, Filter, ImportOptions, NoDirectory, Registry};
use remit_store::Store;

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sample")
        .join(name)
}

fn import(registry: &mut Registry<'_>, path: &Path) {
    registry.import(path, ImportOptions::default()).unwrap();
    registry.refresh(&mut NoDirectory).unwrap();
}

fn meta(state: Option<&str>) -> FeedMeta<'_> {
    FeedMeta {
        base_url: "http://127.0.0.1:8001",
        self_path: "/feed.atom",
        state,
        now: "2026-12-07T00:00:00Z",
    }
}

/// A parsed feed: its own required elements' texts and, per entry, its elements' texts (links
/// as `link` with their href).
#[derive(Debug, Default)]
struct Parsed {
    feed: BTreeMap<String, String>,
    entries: Vec<BTreeMap<String, String>>,
}

/// Parses `xml` with a real XML reader (any well-formedness error fails the test) and checks
/// RFC 4287's required elements.
fn parse_atom(xml: &str) -> Parsed {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut parsed = Parsed::default();
    let mut path: Vec<String> = Vec::new();
    let mut root = None;
    let mut current = String::new();
    loop {
        match reader.read_event() {
            Err(error) => panic!("not well-formed XML: {error}\n{xml}"),
            Ok(Event::Eof) => break,
            Ok(Event::Start(start)) => {
                let name = start.name().as_ref().to_string();
                if root.is_none() {
                    let namespace = start
                        .try_get_attribute("xmlns")
                        .unwrap()
                        .map(|a| a.value.into_owned());
                    root = Some((name.clone(), namespace));
                }
                if name == "entry" {
                    parsed.entries.push(BTreeMap::new());
                }
                current.clear();
                path.push(name);
            }
            Ok(Event::Empty(empty)) => {
                let name = empty.name().as_ref().to_string();
                if name == "link" {
                    let href = empty
                        .try_get_attribute("href")
                        .unwrap()
                        .map(|a| a.value.into_owned())
                        .unwrap_or_default();
                    let target = if path.last().is_some_and(|p| p == "entry") {
                        parsed.entries.last_mut().unwrap()
                    } else {
                        &mut parsed.feed
                    };
                    target.entry("link".into()).or_insert(href);
                }
            }
            Ok(Event::Text(text)) => current.push_str(&text),
            Ok(Event::GeneralRef(reference)) => {
                let name = reference.into_inner();
                current.push(match name.as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("unknown entity `&{other};`"),
                });
            }
            Ok(Event::End(_)) => {
                let value = std::mem::take(&mut current);
                match path.as_slice() {
                    [_, element] => {
                        parsed.feed.insert(element.clone(), value);
                    }
                    [_, entry, element] if entry == "entry" => {
                        parsed
                            .entries
                            .last_mut()
                            .unwrap()
                            .insert(element.clone(), value);
                    }
                    _ => {}
                }
                path.pop();
            }
            Ok(_) => {}
        }
    }
    assert_eq!(
        root,
        Some((
            "feed".to_string(),
            Some("http://www.w3.org/2005/Atom".to_string())
        ))
    );
    for element in ["id", "title", "updated", "link"] {
        assert!(
            parsed.feed.get(element).is_some_and(|v| !v.is_empty()),
            "feed without {element}"
        );
    }
    for entry in &parsed.entries {
        for element in ["id", "title", "updated", "link"] {
            assert!(
                entry.get(element).is_some_and(|v| !v.is_empty()),
                "entry without {element}: {entry:?}"
            );
        }
    }
    parsed
}

#[test]
fn the_feed_updates_when_a_newer_sheet_arrives() {
    let mut store = Store::open_in_memory().unwrap();
    let mut registry = Registry::open(&mut store).unwrap();
    import(
        &mut registry,
        &sample("participatingAgencies06012025am.csv"),
    );
    assert!(
        registry
            .record_changes("2026-01-01T00:00:00Z")
            .unwrap()
            .is_empty()
    );
    let first = parse_atom(&feed(&registry.changes(None, 100).unwrap(), &meta(None)));
    assert!(first.entries.is_empty());
    assert_eq!(first.feed["updated"], "2026-12-07T00:00:00Z");

    // The newer sheet arrives.
    import(
        &mut registry,
        &sample("participatingAgencies06152025pm.csv"),
    );
    let recorded = registry.record_changes("2026-01-02T00:00:00Z").unwrap();
    let kinds: Vec<(&str, &str)> = recorded
        .iter()
        .map(|c| (c.kind.as_str(), c.agency.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("added", "Euharlee Sample Police Department"),
            ("removed", "Sample Beach Police Department"),
            ("renamed", "Lake Clarke Shores Police Department"),
        ]
    );
    let second = parse_atom(&feed(&registry.changes(None, 100).unwrap(), &meta(None)));
    assert_eq!(second.entries.len(), 3);
    assert_eq!(second.feed["updated"], "2025-06-15T12:00:00Z");
    assert_eq!(
        second.entries[0]["title"],
        "Added: Euharlee Sample Police Department (GA), Task Force Model"
    );
    assert_eq!(
        second.entries[0]["link"],
        "http://127.0.0.1:8001/agencies/GA/Euharlee%20Sample%20Police%20Department"
    );
    // Ids are stable and distinct: the same change has the same id in any store.
    assert_eq!(
        second.entries[0]["id"],
        "tag:remit,2025:287g/2025-06-15pm/added/GA/euharlee%20sample%20police%20department/task_force"
    );
    let ids: std::collections::BTreeSet<&String> =
        second.entries.iter().map(|e| &e["id"]).collect();
    assert_eq!(ids.len(), 3);

    // Recording again finds nothing new; the state feed lists its state only.
    assert!(
        registry
            .record_changes("2026-01-03T00:00:00Z")
            .unwrap()
            .is_empty()
    );
    let georgia = parse_atom(&feed(
        &registry.changes(Some("GA"), 100).unwrap(),
        &meta(Some("GA")),
    ));
    assert_eq!(georgia.entries.len(), 1);
    assert!(georgia.feed["title"].contains("in Georgia"));
}

#[test]
fn changes_between_two_real_sheets_agree_with_the_diff() {
    let folder = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/287g/ice-sheets"
    ));
    if !folder.is_dir() {
        if std::env::var_os("REMIT_REQUIRE_SHARED_DATA").is_some() {
            panic!("../shared/data not found and REMIT_REQUIRE_SHARED_DATA is set");
        }
        eprintln!("skipping: ../shared/data not found");
        return;
    }
    let mut store = Store::open_in_memory().unwrap();
    let mut registry = Registry::open(&mut store).unwrap();
    for name in [
        "sheets_20250716_151931/participatingAgencies07162025am.xlsx",
        "sheets_20250718_151752/participatingAgencies07182025am.xlsx",
    ] {
        let path = folder.join(name);
        if !path.exists() {
            panic!("{} is missing", path.display());
        }
        registry.import(&path, ImportOptions::default()).unwrap();
    }
    registry.refresh(&mut NoDirectory).unwrap();
    let changes = registry.record_changes("2026-01-01T00:00:00Z").unwrap();
    let diff = registry
        .diff(
            Day::parse_iso("2025-07-16").unwrap(),
            Day::parse_iso("2025-07-18").unwrap(),
            &Filter::default(),
        )
        .unwrap();
    let count = |kind: &str| changes.iter().filter(|c| c.kind == kind).count();
    // A change of model is one addition and one removal in the diff.
    assert_eq!(
        count("added") + count("model_changed"),
        diff.added.len(),
        "{changes:#?}"
    );
    assert_eq!(
        count("removed") + count("model_changed"),
        diff.removed.len()
    );
    assert!(!changes.is_empty());
    parse_atom(&feed(&changes, &meta(None)));
}

/// Three corpus versions: the first is the baseline; then every kind of rule change is recorded
/// once, and the feed of them is well-formed Atom.
#[test]
fn corpus_versions_record_rules_added_amended_enjoined_and_removed() {
    use remit_registry::atom::{EntriesMeta, Entry, entries_feed, tag_component};
    use remit_registry::{RuleState, latest_corpus_changes, record_corpus};
    let rule = |id: &str, status: &str, hash: &str| RuleState {
        id: id.into(),
        hash: hash.into(),
        status: status.into(),
        summary: format!("Rule {id} <& \"quoted\">"),
        citation: format!("Code {id}"),
        jurisdiction: "ocd-division/country:us/state:tx".into(),
    };
    let mut store = Store::open_in_memory().unwrap();
    let first = [
        rule("a", "in_force", "1"),
        rule("b", "in_force", "2"),
        rule("c", "in_force", "3"),
    ];
    assert_eq!(
        record_corpus(&mut store, "v1", &first, "2026-01-01T00:00:00Z").unwrap(),
        None
    );
    // The same corpus again: nothing changed.
    assert_eq!(
        record_corpus(&mut store, "v1", &first, "2026-01-02T00:00:00Z").unwrap(),
        Some(Vec::new())
    );
    let second = [
        rule("a", "enjoined", "1"),
        rule("b", "in_force", "20"),
        rule("d", "in_force", "4"),
    ];
    let changes = record_corpus(&mut store, "v2", &second, "2026-02-01T00:00:00Z")
        .unwrap()
        .unwrap();
    let kinds: Vec<(&str, &str)> = changes
        .iter()
        .map(|c| (c.kind.as_str(), c.rule_id.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("status_changed", "a"),
            ("amended", "b"),
            ("added", "d"),
            ("removed", "c")
        ]
    );
    assert_eq!(changes[0].previous.as_deref(), Some("in_force"));
    assert_eq!(changes[0].current.as_deref(), Some("enjoined"));
    assert!(
        changes[0]
            .sentence()
            .starts_with("A rule is now enjoined (was in force)")
    );
    assert!(
        changes
            .iter()
            .all(|c| c.from_version == "v1" && c.to_version == "v2")
    );
    // Compared with the corpus seen last: v2 again changes nothing.
    assert_eq!(
        record_corpus(&mut store, "v2", &second, "2026-02-02T00:00:00Z").unwrap(),
        Some(Vec::new())
    );
    let latest = latest_corpus_changes(store.connection(), 10).unwrap();
    assert_eq!(latest.len(), 4);
    assert_eq!(latest[0].kind, "removed", "newest first");

    let entries: Vec<Entry> = latest
        .iter()
        .map(|c| Entry {
            id: format!(
                "tag:remit,2026:corpus/{}/{}",
                c.to_version,
                tag_component(&c.rule_id)
            ),
            title: c.sentence(),
            updated: c.recorded_at.clone(),
            path: format!("/rules/{}", c.rule_id),
            categories: vec![c.kind.clone()],
            summary: c.sentence(),
        })
        .collect();
    let xml = entries_feed(
        &entries,
        &EntriesMeta {
            base_url: "http://127.0.0.1:8001",
            self_path: "/changes/corpus.atom",
            page_path: "/changes",
            id: "tag:remit,2026:corpus/changes",
            title: "Rules <changed>",
            subtitle: "Rules & more.",
            author: "Remit",
            now: "2026-12-07T00:00:00Z",
        },
    );
    let parsed = parse_atom(&xml);
    assert_eq!(parsed.entries.len(), 4);
    assert_eq!(parsed.feed["title"], "Rules <changed>");
    assert_eq!(parsed.feed["updated"], "2026-02-01T00:00:00Z");
    assert_eq!(
        parsed.entries[0]["title"],
        "A rule was removed: Rule c <& \"quoted\"> (Code c)"
    );
}
