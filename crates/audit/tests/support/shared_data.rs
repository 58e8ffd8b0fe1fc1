//! The real plate-reader logs in `../shared/data/alpr`: skipped with a notice when missing,
//! unless REMIT_REQUIRE_SHARED_DATA is set (as `.ci/run` sets it).

use std::path::{Path, PathBuf};

pub fn shared_data() -> Option<PathBuf> {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/alpr"
    ));
    if path.is_dir() {
        return Some(path.to_path_buf());
    }
    assert!(
        std::env::var_os("REMIT_REQUIRE_SHARED_DATA").is_none(),
        "../shared/data not found and REMIT_REQUIRE_SHARED_DATA is set"
    );
    eprintln!("skipping: ../shared/data not found");
    None
}
