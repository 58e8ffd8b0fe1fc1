//! What the integration tests of this crate share.

use std::path::PathBuf;

/// `../shared/data`, or `None` (with a notice naming what is skipped) when it is missing; with
/// `REMIT_REQUIRE_SHARED_DATA` set, a missing folder fails the test instead.
pub fn shared_data(skipped: &str) -> Option<PathBuf> {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    if path.is_dir() {
        return Some(path);
    }
    if std::env::var_os("REMIT_REQUIRE_SHARED_DATA").is_some() {
        panic!("../shared/data not found and REMIT_REQUIRE_SHARED_DATA is set");
    }
    eprintln!("skipping: ../shared/data not found, so {skipped}");
    None
}
