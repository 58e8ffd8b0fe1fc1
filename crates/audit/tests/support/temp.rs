//! Scratch folders, one per test and process, emptied first.

use std::path::PathBuf;

#[expect(
    clippy::unwrap_used,
    reason = "a test helper: a test without its folder fails"
)]
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("remit-audit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
