//! Private temporary folders for uploads, and the limits on uploads in flight.
//!
//! An uploaded audit log names officers, plates and cases until it is redacted in the report.
//! It is written to a folder that only this user can enter (0700), in files only this user can
//! read (0600), and the folder is removed when the request ends, however it ends. A server that
//! was killed cannot remove its folders, so the next one removes those whose process is gone.
//!
//! Uploads are the only costly requests (a large file is parsed, classified and stored), so at
//! most [`UPLOADS_AT_ONCE`] run at once, and the bytes they may hold together are capped at
//! [`UPLOAD_BYTES_IN_FLIGHT`]; past either, the server answers 503 with `Retry-After` instead
//! of queueing work it cannot finish in time.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

/// The prefix of the name of every temporary folder a server makes (its uploads' and its demo
/// store's): `remit-demo-<process id>-<n>-<nanoseconds>`.
const PREFIX: &str = "remit-demo-";

/// Uploads read at the same time.
pub const UPLOADS_AT_ONCE: usize = 2;
/// The bytes all uploads in flight may hold together: one upload of the largest size and a
/// smaller one, not two of the largest (their audits would each hold a store of findings).
pub const UPLOAD_BYTES_IN_FLIGHT: u64 = 3 * crate::UPLOAD_LIMIT as u64 / 2;

/// A private temporary folder, removed (with everything in it) when dropped.
#[derive(Debug)]
pub struct Scratch {
    folder: crate::demo::Folder,
}

impl Scratch {
    /// A new empty folder under the system's temporary directory that only this user can
    /// enter, never one another caller has. It is made empty and closed to others before
    /// anything is written in it (a search of it needs the folder's permission at that time).
    pub fn create() -> std::io::Result<Scratch> {
        let folder = crate::demo::Folder::create().map_err(std::io::Error::other)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(folder.path(), std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(Scratch { folder })
    }

    /// Where the folder is.
    pub fn path(&self) -> &Path {
        self.folder.path()
    }

    /// The folder, for a response that keeps it until its body is sent.
    pub fn into_folder(self) -> crate::demo::Folder {
        self.folder
    }

    /// A new file in the folder that only this user can read and write.
    pub fn create_file(&self, name: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
        let path = self.path().join(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path)?;
        Ok((path, file))
    }
}

/// Removes the upload folders that servers which are no longer running left in the temporary
/// directory (a killed or crashed `remit serve`); the number removed. Only this user's folders,
/// and only where it can be told that their process is gone (Linux's `/proc`).
pub fn remove_leftovers() -> usize {
    remove_leftovers_in(&std::env::temp_dir())
}

fn remove_leftovers_in(base: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(base) else {
        return 0;
    };
    let owner = own_user();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|name| name.strip_prefix(PREFIX))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() || process_alive(pid) || !ours(&entry.path(), owner) {
            continue;
        }
        if std::fs::remove_dir_all(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether process `pid` runs; `true` where that cannot be told, so that nothing in use is
/// removed.
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// This process's user: the owner of a folder it makes (`None` where there are no owners).
fn own_user() -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mine = Scratch::create().ok()?;
        std::fs::metadata(mine.path()).ok().map(|m| m.uid())
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Whether `path` is a folder (not a link) that `owner` owns.
fn ours(path: &Path, owner: Option<u32>) -> bool {
    let Ok(metadata) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if !metadata.is_dir() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        owner == Some(metadata.uid())
    }
    #[cfg(not(unix))]
    {
        let _ = owner;
        true
    }
}

/// Why an upload cannot start now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    /// [`UPLOADS_AT_ONCE`] uploads are being read.
    Uploads,
    /// The uploads in flight hold [`UPLOAD_BYTES_IN_FLIGHT`] bytes between them.
    Bytes,
}

/// The uploads in flight.
#[derive(Debug, Default)]
pub struct Gate {
    running: AtomicUsize,
    bytes: AtomicU64,
}

/// One admitted upload; its place and bytes are given back when it is dropped.
#[derive(Debug)]
pub struct Admitted {
    gate: Arc<Gate>,
    bytes: u64,
    /// Set when the request ends (answered, timed out, or its client gone), so that the work
    /// it started stops.
    cancelled: Arc<AtomicBool>,
}

impl Gate {
    /// Admits an upload of at most `bytes` bytes, unless too many or too large ones run.
    pub fn admit(self: &Arc<Gate>, bytes: u64) -> Result<Admitted, Busy> {
        if self
            .running
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |running| {
                (running < UPLOADS_AT_ONCE).then_some(running + 1)
            })
            .is_err()
        {
            return Err(Busy::Uploads);
        }
        if self
            .bytes
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                held.checked_add(bytes)
                    .filter(|total| *total <= UPLOAD_BYTES_IN_FLIGHT)
            })
            .is_err()
        {
            self.running.fetch_sub(1, Ordering::AcqRel);
            return Err(Busy::Bytes);
        }
        Ok(Admitted {
            gate: Arc::clone(self),
            bytes,
            cancelled: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Uploads being read now.
    pub fn running(&self) -> usize {
        self.running.load(Ordering::Acquire)
    }
}

impl Admitted {
    /// A flag that turns true when this upload's request ends.
    pub fn cancelled(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancelled)
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.cancelled.store(true, Ordering::Release);
        self.gate.bytes.fetch_sub(self.bytes, Ordering::AcqRel);
        self.gate.running.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn folders_and_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let scratch = Scratch::create().unwrap_or_else(|e| panic!("{e}"));
        let mode = |path: &Path| {
            std::fs::metadata(path)
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0)
        };
        assert_eq!(mode(scratch.path()), 0o700);
        let (file, _) = scratch
            .create_file("upload.csv")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(mode(&file), 0o600);
        let folder = scratch.path().to_path_buf();
        drop(scratch);
        assert!(!folder.exists());
    }

    #[test]
    fn leftovers_of_gone_processes_are_removed_and_live_ones_kept() {
        let base = Scratch::create().unwrap_or_else(|e| panic!("{e}"));
        // No process has this id on Linux (pid_max is at most 2^22).
        let gone = base.path().join(format!("{PREFIX}4194305-0-0"));
        let live = base
            .path()
            .join(format!("{PREFIX}{}-0-0", std::process::id()));
        let other = base.path().join("remit-something-else");
        for folder in [&gone, &live, &other] {
            std::fs::create_dir(folder).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(gone.join("upload.csv"), "x").unwrap_or_else(|e| panic!("{e}"));
        let removed = remove_leftovers_in(base.path());
        if cfg!(target_os = "linux") {
            assert_eq!(removed, 1);
            assert!(!gone.exists());
        }
        assert!(live.exists());
        assert!(other.exists());
    }

    #[test]
    fn the_gate_admits_a_few_uploads_and_bytes() {
        let gate = Arc::new(Gate::default());
        let first = gate.admit(10).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(gate.admit(UPLOAD_BYTES_IN_FLIGHT).unwrap_err(), Busy::Bytes);
        let second = gate.admit(10).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(gate.admit(1).unwrap_err(), Busy::Uploads);
        let cancelled = first.cancelled();
        assert!(!cancelled.load(Ordering::Acquire));
        drop(first);
        assert!(cancelled.load(Ordering::Acquire));
        assert_eq!(gate.running(), 1);
        drop(second);
        assert!(gate.admit(UPLOAD_BYTES_IN_FLIGHT).is_ok());
    }
}
