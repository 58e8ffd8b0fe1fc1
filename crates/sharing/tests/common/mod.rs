//! Helpers shared by the sharing tests: the self-made fixtures, the real data in
//! `../shared/data/alpr` (skipped with a notice when missing, unless REMIT_REQUIRE_SHARED_DATA is
//! set), and read options dated like the fixtures.

use std::path::{Path, PathBuf};

use remit_sharing::ReadOptions;

/// A self-made fixture of `crates/sharing/tests/fixtures` (the path works from any crate of the
/// workspace, so remit-app's tests share these helpers).
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sharing/tests/fixtures")
        .join(name)
}

/// `../shared/data/alpr/<path>`, or `None` (with a notice) when the shared data is missing.
pub fn shared(path: &str) -> Option<PathBuf> {
    let root = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/alpr"
    ));
    if root.is_dir() {
        return Some(root.join(path));
    }
    if std::env::var_os("REMIT_REQUIRE_SHARED_DATA").is_some() {
        panic!("../shared/data not found and REMIT_REQUIRE_SHARED_DATA is set");
    }
    eprintln!("skipping: ../shared/data not found");
    None
}

/// Read options for a list of `owner` (or the list's own), read on 2026-11-01.
pub fn options(owner: Option<&str>) -> ReadOptions {
    ReadOptions {
        owner: owner.map(str::to_string),
        date: None,
        sheet: None,
        direction: None,
        today: "2026-11-01".parse().unwrap(),
    }
}
