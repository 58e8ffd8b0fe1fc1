//! The agency directory kept in a store: two stores with two directories each resolve with
//! their own (one of them the real FBI list in `../shared/data/agencies`, skipped with a notice
//! when missing, unless REMIT_REQUIRE_SHARED_DATA is set), a second import of the same file
//! changes nothing, and the tables derived from a directory are rebuilt when it changes.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]
#![expect(clippy::panic, reason = "a test stops at an edge that is not there")]

use std::path::{Path, PathBuf};

use remit_agencies::{Directory, DirectoryError, DirectorySource};
use remit_app::Session;
use remit_app::directory::{self, Choice, ImportError, ImportStatus};
use remit_audit::Classifier;
use remit_law::{Corpus, Scenarios};
use remit_sharing::{EdgeFilter, Sharing};
use remit_store::Store;

#[path = "../../sharing/tests/common/mod.rs"]
#[expect(
    dead_code,
    reason = "these tests use one of the sharing tests' helpers"
)]
mod common;
use common::{options, shared};

/// A scratch folder for one test, emptied.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("app-directory")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Two agencies of Washington and a row the reader skips (line 4).
const KENT_AND_KING: &str = "ori,data_year,pub_agency_name,state_abbr,county_name,agency_type_name,population\n\
     WA0170700,2025,Kent,WA,KING,City,136000\n\
     WA0170000,2025,King,WA,KING,County,2270000\n\
     bad,2025,Nowhere,WA,KING,City,1\n";

/// Two agencies of Washington that the built-in sample does not have.
const RENTON_AND_KING: &str = "ori,pub_agency_name,state_abbr,county_name,agency_type_name\n\
     WA0171300,Renton,WA,KING,City\n\
     WA0170000,King,WA,KING,County\n";

/// Two agencies of Oregon.
const BEND_AND_SALEM: &str = "ori,pub_agency_name,state_abbr,agency_type_name\n\
     OR0090100,Bend,OR,City\n\
     OR0240200,Salem,OR,City\n";

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// The real FBI list, or `None` (with a notice) when the shared data is missing.
fn fbi_list() -> Option<PathBuf> {
    // The sharing tests' helper finds `../shared/data/alpr`; the FBI list lies beside it.
    shared("../agencies/fbi-lee.csv")
}

fn session(store: Store) -> Session {
    Session::open(
        Corpus::embedded_with(Scenarios::Skip).unwrap(),
        Classifier::builtin().unwrap(),
        Some(store),
    )
    .unwrap()
}

fn ori_of(session: &Session, name: &str) -> Option<String> {
    session.resolver.resolve(name, None).ori
}

#[test]
fn two_stores_resolve_each_with_its_own_directory() {
    let Some(fbi) = fbi_list() else {
        return;
    };
    let dir = scratch("two-stores");
    let small = write(&dir, "kent-and-king.csv", KENT_AND_KING);
    let mut small_store = Store::open(&dir.join("small.db")).unwrap();
    let mut full_store = Store::open(&dir.join("full.db")).unwrap();
    let small_import = directory::import(&mut small_store, &small).unwrap();
    let full_import = directory::import(&mut full_store, &fbi).unwrap();
    assert_eq!(small_import.status, ImportStatus::Imported);
    assert_eq!(small_import.directory.agencies(), 2);
    assert_eq!(full_import.directory.agencies(), 18330);

    let small = session(small_store);
    let full = session(full_store);
    // El Cajon is in the FBI list, not in the two-row directory, which is complete: the resolver
    // says that no such agency exists rather than guessing.
    assert_eq!(
        ori_of(&full, "El Cajon CA PD").as_deref(),
        Some("CA0370500")
    );
    assert_eq!(ori_of(&small, "El Cajon CA PD"), None);
    assert_eq!(ori_of(&small, "Kent WA PD").as_deref(), Some("WA0170700"));
    assert_eq!(ori_of(&full, "Kent WA PD").as_deref(), Some("WA0170700"));
    assert!(small.resolver.directory().is_complete());
    assert_eq!(
        small.resolver.directory().source(),
        DirectorySource::Stored(dir.join("kent-and-king.csv"))
    );
    // The keys derived tables record tell the two apart.
    assert_ne!(small.directory_source, full.directory_source);
    assert!(
        full.directory_source
            .contains("fbi-lee.csv imported into the store"),
        "{}",
        full.directory_source
    );
}

#[test]
fn a_stored_directory_is_the_directory_of_its_file() {
    let Some(fbi) = fbi_list() else {
        return;
    };
    let mut store = Store::open_in_memory().unwrap();
    directory::import(&mut store, &fbi).unwrap();
    let stored = directory::load_for(Some(&store)).unwrap();
    let read = Directory::from_fbi_csv(&fbi).unwrap();
    assert_eq!(stored.len(), read.len());
    for (a, b) in stored.agencies().iter().zip(read.agencies()) {
        assert_eq!(
            (&a.ori, &a.name, &a.state, &a.county, &a.agency_type),
            (&b.ori, &b.name, &b.state, &b.county, &b.agency_type)
        );
        assert_eq!(
            (a.population, a.data_year, a.class, a.kind),
            (b.population, b.data_year, b.class, b.kind)
        );
        assert_eq!(a.counterparty, b.counterparty);
    }
}

#[test]
fn importing_the_same_file_again_changes_nothing() {
    let dir = scratch("again");
    let kent = write(&dir, "kent.csv", KENT_AND_KING);
    let oregon = write(&dir, "oregon.csv", BEND_AND_SALEM);
    let mut store = Store::open(&dir.join("remit.db")).unwrap();
    let first = directory::import(&mut store, &kent).unwrap();
    assert_eq!(first.skipped.len(), 1);
    assert_eq!(first.skipped[0].line, 4);
    assert_eq!(first.skipped[0].field, "ori");
    let rows = |store: &Store| -> i64 {
        store
            .connection()
            .query_row("SELECT COUNT(*) FROM directory_agencies", [], |row| {
                row.get(0)
            })
            .unwrap()
    };
    let key = Choice::for_store(Some(&store)).unwrap().key();

    // The same content under another name is the same import.
    let copy = write(&dir, "copy-of-kent.csv", KENT_AND_KING);
    let again = directory::import(&mut store, &copy).unwrap();
    assert_eq!(again.status, ImportStatus::Unchanged);
    assert_eq!(again.directory, first.directory);
    assert_eq!(again.skipped, first.skipped);
    assert_eq!(rows(&store), 2);
    assert_eq!(
        store.imports(directory::stored::IMPORT_KIND).unwrap().len(),
        1
    );
    assert_eq!(Choice::for_store(Some(&store)).unwrap().key(), key);

    // Another file becomes the store's directory; the first comes back without a new import.
    let other = directory::import(&mut store, &oregon).unwrap();
    assert_eq!(other.status, ImportStatus::Imported);
    let oregon_key = Choice::for_store(Some(&store)).unwrap().key();
    assert_ne!(oregon_key, key);
    let back = directory::import(&mut store, &kent).unwrap();
    assert_eq!(back.status, ImportStatus::MadeCurrent);
    assert_eq!(Choice::for_store(Some(&store)).unwrap().key(), key);
    assert_eq!(rows(&store), 4);
    assert_eq!(
        store.imports(directory::stored::IMPORT_KIND).unwrap().len(),
        2
    );
}

#[test]
fn a_bad_file_is_an_error_naming_it_and_leaves_the_stores_directory() {
    let dir = scratch("bad");
    let kent = write(&dir, "kent.csv", KENT_AND_KING);
    let mut store = Store::open(&dir.join("remit.db")).unwrap();
    directory::import(&mut store, &kent).unwrap();
    let key = Choice::for_store(Some(&store)).unwrap().key();

    let no_name = write(
        &dir,
        "no-name.csv",
        "ori,name,state_abbr\nWA0170700,Kent,WA\n",
    );
    let error = directory::import(&mut store, &no_name).unwrap_err();
    assert!(
        matches!(&error, ImportError::Directory(DirectoryError::MissingColumn { column, .. }) if column == "pub_agency_name"),
        "{error}"
    );
    assert!(error.to_string().contains("no-name.csv:1:"), "{error}");
    assert!(error.help().is_some());

    let all_bad = write(
        &dir,
        "all-bad.csv",
        "ori,pub_agency_name,state_abbr\nWA0170700,Kent,ZZ\n",
    );
    let error = directory::import(&mut store, &all_bad).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("no usable agency rows (1 skipped)"),
        "{error}"
    );
    assert_eq!(Choice::for_store(Some(&store)).unwrap().key(), key);
}

#[test]
fn a_store_without_a_directory_of_its_own_is_not_changed_by_reading() {
    let dir = scratch("read-only");
    let path = dir.join("remit.db");
    drop(Store::open(&path).unwrap());
    let store = Store::open_read_only(&path).unwrap();
    assert_eq!(directory::stored::current(&store).unwrap(), None);
    assert_eq!(store.schema_version("directory").unwrap(), None);
}

#[test]
fn derived_tables_are_rebuilt_after_a_new_directory() {
    let dir = scratch("derived");
    let list = write(
        &dir,
        "kent-shares-with.txt",
        "King County WA SO\nRenton WA PD\n",
    );
    let mut store = Store::open(&dir.join("remit.db")).unwrap();
    Sharing::open(&mut store)
        .unwrap()
        .import(&list, &options(Some("Seattle WA PD")))
        .unwrap();
    let recipient_ori = |store: &mut Store, name: &str| -> Option<String> {
        let sharing = Sharing::open(store).unwrap();
        remit_sharing::query::edges(sharing.store().connection(), &EdgeFilter::default())
            .unwrap()
            .into_iter()
            .find(|edge| edge.recipient == name)
            .unwrap_or_else(|| panic!("no edge to `{name}`"))
            .recipient_ori
    };

    // Built with the built-in sample, which has neither agency.
    let sample = Directory::builtin();
    assert!(sample.by_ori("WA0171300").is_none() && sample.by_ori("WA0170000").is_none());
    let mut builtin = Session::new(
        Corpus::embedded_with(Scenarios::Skip).unwrap(),
        remit_agencies::Resolver::new(Directory::builtin()),
        Classifier::builtin().unwrap(),
        Some(store),
    );
    let refreshed = builtin.refresh_derived().unwrap();
    assert!(refreshed.sharing.is_some());
    assert!(refreshed.registry.is_none(), "the store has no registry");
    assert!(
        builtin.refresh_derived().unwrap().sharing.is_none(),
        "current"
    );
    let mut store = builtin.store.take().unwrap();
    assert_eq!(recipient_ori(&mut store, "Renton WA PD"), None);

    // A new directory in the store: the edges are stale for it, and rebuilt with it.
    directory::import(&mut store, &write(&dir, "renton.csv", RENTON_AND_KING)).unwrap();
    let mut stored = session(store);
    let refreshed = stored.refresh_derived().unwrap();
    let sharing = refreshed.sharing.unwrap();
    assert_eq!(sharing.directory, stored.directory_source);
    let mut store = stored.store.take().unwrap();
    assert_eq!(
        recipient_ori(&mut store, "Renton WA PD").as_deref(),
        Some("WA0171300")
    );
    assert_eq!(
        recipient_ori(&mut store, "King County WA SO").as_deref(),
        Some("WA0170000")
    );
}
