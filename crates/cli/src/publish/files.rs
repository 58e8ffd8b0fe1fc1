//! Writing a published copy into its folder so that a rebuild touches only what changed: a file
//! whose bytes are the same is left alone (its date too, so that a sync to a host uploads only
//! what changed), and a file the last build made that this one does not is removed.
//!
//! Removal only ever touches files a build listed in the folder's manifest, so a mistaken
//! `--out` cannot delete anyone's files: a folder that holds files but no manifest is refused.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::output::UserError;

/// The list of files the last build wrote, one relative path a line.
pub const MANIFEST: &str = ".remit-publish";

/// How a build changed the folder.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Files whose bytes changed, or that are new.
    pub written: usize,
    /// Files already there with the same bytes, left alone.
    pub unchanged: usize,
    /// Files of the previous build that this build no longer makes, removed.
    pub removed: usize,
}

/// The folder being built.
#[derive(Debug)]
pub struct Writer {
    root: PathBuf,
    previous: BTreeSet<String>,
    produced: BTreeSet<String>,
    counts: Counts,
}

impl Writer {
    /// Opens `root` for a build: creates it if missing, reads the last build's manifest, and
    /// refuses a folder with files in it that no build of Remit made.
    pub fn open(root: &Path) -> anyhow::Result<Writer> {
        std::fs::create_dir_all(root)
            .with_context(|| format!("cannot create the folder `{}`", root.display()))?;
        let manifest = root.join(MANIFEST);
        let previous = match std::fs::read_to_string(&manifest) {
            Ok(text) => text
                .lines()
                .filter(|line| is_safe(line))
                .map(str::to_string)
                .collect(),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let mut entries = std::fs::read_dir(root)
                    .with_context(|| format!("cannot read the folder `{}`", root.display()))?;
                if entries.next().is_some() {
                    return Err(UserError::with_help(
                        format!(
                            "`{}` holds files that `remit publish` did not write",
                            root.display()
                        ),
                        "publish into a new or empty folder: a rebuild removes the files it no longer makes, so it only writes where it keeps the list of its files",
                    )
                    .into());
                }
                BTreeSet::new()
            }
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read `{}`", manifest.display()));
            }
        };
        Ok(Writer {
            root: root.to_path_buf(),
            previous,
            produced: BTreeSet::new(),
            counts: Counts::default(),
        })
    }

    /// Writes `bytes` to `name` (relative, `/`-separated) unless the file already holds them.
    pub fn put(&mut self, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
        if !is_safe(name) || name == MANIFEST {
            anyhow::bail!("cannot publish a file named `{name}`");
        }
        if !self.produced.insert(name.to_string()) {
            anyhow::bail!("two pages were published as `{name}`");
        }
        let path = self.root.join(name);
        if std::fs::read(&path).is_ok_and(|existing| existing == bytes) {
            self.counts.unchanged += 1;
            return Ok(());
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create the folder `{}`", parent.display()))?;
        }
        std::fs::write(&path, bytes)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        self.counts.written += 1;
        Ok(())
    }

    /// The files written so far (relative names), in order.
    pub fn produced(&self) -> &BTreeSet<String> {
        &self.produced
    }

    /// Removes what the last build made and this one did not (and folders left empty), then
    /// records this build's files.
    pub fn finish(mut self) -> anyhow::Result<Counts> {
        for stale in self.previous.difference(&self.produced) {
            let path = self.root.join(stale);
            match std::fs::remove_file(&path) {
                Ok(()) => self.counts.removed += 1,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => {
                    return Err(error)
                        .with_context(|| format!("cannot remove `{}`", path.display()));
                }
            }
            let mut folder = path.parent();
            while let Some(current) = folder {
                // A folder that still holds something stays (remove_dir refuses it).
                if current == self.root || std::fs::remove_dir(current).is_err() {
                    break;
                }
                folder = current.parent();
            }
        }
        let mut manifest = String::new();
        for name in &self.produced {
            manifest.push_str(name);
            manifest.push('\n');
        }
        let path = self.root.join(MANIFEST);
        std::fs::write(&path, manifest)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        Ok(self.counts)
    }
}

/// Whether a relative name stays inside the folder: no leading `/`, no `..`, no empty part.
fn is_safe(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}
