//! The agency directory a command resolves with: where the imported one is kept, loading it, and
//! which one a resolution used, told as a key that changes when the directory does.
//!
//! Derived tables (the registry's links to the directory, the sharing edges) record the key of
//! the directory they were built with; when the key differs from the one a caller would resolve
//! with now, the tables are stale and are rebuilt. The command line and the dashboard compute the
//! key here, so both agree on when a rebuild is due.

use std::path::{Path, PathBuf};

use remit_agencies::{Directory, DirectoryError};

/// Where `remit agencies import` keeps the imported directory: `agencies.csv` in Remit's data
/// folder (`$XDG_DATA_HOME/remit`, else `~/.local/share/remit`, by the store's one rule).
pub fn default_path() -> Option<PathBuf> {
    remit_store::data_dir()
        .ok()
        .map(|folder| folder.join(Directory::FILE_NAME))
}

/// The imported directory at [`default_path`] when there is one, else the built-in sample.
pub fn load_default() -> Result<Directory, DirectoryError> {
    Directory::load_or_builtin(default_path().as_deref())
}

/// A directory file, told by path, size and time (UTC, to the second), so that a changed file
/// is noticed.
pub fn file_source(path: &Path) -> String {
    let (size, modified) = std::fs::metadata(path)
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
            (m.len(), modified)
        })
        .unwrap_or((0, 0));
    format!(
        "{} ({size} bytes, modified {})",
        path.display(),
        remit_audit::time::format_utc(modified)
    )
}

/// Which directory [`load_default`] will give, told without loading it: the imported FBI list
/// (see [`file_source`]) or the built-in sample of this version.
pub fn default_directory_source() -> String {
    match default_path() {
        Some(path) if path.is_file() => file_source(&path),
        _ => format!("built-in sample (remit {})", env!("CARGO_PKG_VERSION")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_source_names_size_and_time_in_utc() {
        let path = std::env::temp_dir().join(format!("remit-file-source-{}", std::process::id()));
        std::fs::write(&path, b"0123456789").unwrap_or_else(|e| panic!("{e}"));
        let shown = file_source(&path);
        let _ = std::fs::remove_file(&path);
        let (_, tail) = shown
            .split_once(" (10 bytes, modified ")
            .unwrap_or_else(|| panic!("{shown}"));
        // `2026-11-29T07:58:01Z)`: a readable time to the second, not a count of seconds.
        let time = tail.strip_suffix(')').unwrap_or_else(|| panic!("{shown}"));
        assert_eq!(time.len(), 20, "{shown}");
        assert!(
            time.ends_with('Z') && time.as_bytes()[10] == b'T',
            "{shown}"
        );
        assert!(time.starts_with("20"), "{shown}");
    }
}
