//! What every importer of files shares (the 287(g) sheets, the sharing lists): the files a user's
//! paths name, issues counted by severity, and the earlier import that already holds a file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// A file or folder that could not be read while collecting files.
#[derive(Debug)]
pub struct FileError {
    /// The file or folder.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

/// Expands files and folders (recursively, each folder sorted) into the files to import: a
/// named file is always taken (and refused later if it cannot be read); in folders, the files
/// `keep` accepts, given the path and the file name. Hidden files and the lock files
/// spreadsheet programs leave (`~$name.xlsx`) are skipped. A file named twice is taken once.
pub fn collect_files(
    paths: &[PathBuf],
    keep: &dyn Fn(&Path, &str) -> bool,
) -> Result<Vec<PathBuf>, FileError> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = check_readable(path).map_err(|source| FileError {
            path: path.clone(),
            source,
        })?;
        if metadata.is_dir() {
            walk(path, keep, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    let mut seen = HashSet::new();
    files.retain(|f| seen.insert(f.clone()));
    Ok(files)
}

/// The metadata of a file or folder Remit can read, without opening it; refuses at once what
/// Remit cannot read more than once: standard input given as `-`, a named pipe, a socket or a
/// device. Every input is read at least twice (its layout, its fingerprint, its rows), and
/// opening a pipe with no writer would wait for ever.
pub fn check_readable(path: &Path) -> std::io::Result<std::fs::Metadata> {
    const ADVICE: &str = "Remit reads each input more than once (to recognise it, to fingerprint it and to read \
         its rows), so it needs a file; save the data to a file first and give that file";
    let refuse = |what: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{what}, not a file: {ADVICE}"),
        )
    };
    match std::fs::metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && path.as_os_str() == "-" => {
            Err(refuse("`-` means standard input here"))
        }
        Err(error) => Err(error),
        Ok(metadata) => match not_a_file(&metadata.file_type()) {
            Some(what) => Err(refuse(what)),
            None => Ok(metadata),
        },
    }
}

/// What a file that is neither a regular file nor a folder is, in plain words.
#[cfg(unix)]
fn not_a_file(kind: &std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt as _;
    if kind.is_fifo() {
        Some("this is a named pipe (or standard input from a pipe)")
    } else if kind.is_socket() {
        Some("this is a socket")
    } else if kind.is_char_device() || kind.is_block_device() {
        Some("this is a device (or standard input from a terminal)")
    } else {
        None
    }
}

#[cfg(not(unix))]
fn not_a_file(kind: &std::fs::FileType) -> Option<&'static str> {
    (!kind.is_file() && !kind.is_dir()).then_some("this is not a regular file")
}

fn walk(
    dir: &Path,
    keep: &dyn Fn(&Path, &str) -> bool,
    files: &mut Vec<PathBuf>,
) -> Result<(), FileError> {
    let io = |source| FileError {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        if path.is_dir() {
            walk(&path, keep, files)?;
        } else if keep(&path, &name) {
            files.push(path);
        }
    }
    Ok(())
}

/// Issues found reading a file, by severity.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct IssueCounts {
    /// Rows or fields that could not be used.
    pub error: u64,
    /// Rows or fields read with a correction or a doubt.
    pub warning: u64,
    /// Remarks that change nothing.
    pub note: u64,
}

impl IssueCounts {
    /// Every issue.
    pub fn total(&self) -> u64 {
        self.error + self.warning + self.note
    }

    /// Adds another file's counts.
    pub fn add(&mut self, other: &IssueCounts) {
        self.error += other.error;
        self.warning += other.warning;
        self.note += other.note;
    }
}

/// The earlier import that already holds a file's content.
#[derive(Debug, Clone, Serialize)]
pub struct PreviousImport {
    /// The file as it was named then.
    pub source_path: String,
    /// When, in UTC.
    pub imported_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_sorted_and_hidden_and_lock_files_skipped() {
        let root = std::env::temp_dir().join(format!("remit-store-files-{}", std::process::id()));
        let inner = root.join("b");
        std::fs::create_dir_all(&inner).unwrap();
        for name in ["z.csv", "a.csv", ".hidden.csv", "~$open.xlsx", "notes.txt"] {
            std::fs::write(root.join(name), "x").unwrap();
        }
        std::fs::write(inner.join("c.csv"), "x").unwrap();
        let keep = |_: &Path, name: &str| name.ends_with(".csv") || name.ends_with(".xlsx");
        let named = root.join("notes.txt");
        let files = collect_files(&[root.clone(), named.clone(), named.clone()], &keep).unwrap();
        let _ = std::fs::remove_dir_all(&root);
        assert_eq!(
            files,
            vec![
                root.join("a.csv"),
                inner.join("c.csv"),
                root.join("z.csv"),
                named
            ]
        );
        let missing = collect_files(&[root.join("gone")], &keep).unwrap_err();
        assert_eq!(missing.path, root.join("gone"));
    }
}
