//! Shared output helpers: user-facing errors with a `help` line, and JSON printing.

use std::fmt::{self, Write as _};
use std::io::Write;

/// An error meant for the user: a message, and advice on a separate line.
#[derive(Debug)]
pub struct UserError {
    /// What went wrong, lowercase, user input in backticks.
    pub message: String,
    /// What to do about it, printed on its own `help:` line.
    pub help: Option<String>,
}

impl UserError {
    /// An error without advice.
    pub fn new(message: impl Into<String>) -> UserError {
        UserError {
            message: message.into(),
            help: None,
        }
    }

    /// An error with advice.
    pub fn with_help(message: impl Into<String>, help: impl Into<String>) -> UserError {
        UserError {
            message: message.into(),
            help: Some(help.into()),
        }
    }

    /// A library's error as the user sees it: its message followed by each cause (`: cause`),
    /// and the library's advice as the `help` line.
    pub fn with_causes(error: &dyn std::error::Error, help: Option<String>) -> UserError {
        let mut message = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            let _ = write!(message, ": {cause}");
            source = cause.source();
        }
        UserError { message, help }
    }
}

/// An agency-directory error for the user, with the directory's advice as the `help` line.
pub fn directory_error(error: remit_agencies::DirectoryError) -> anyhow::Error {
    let help = error.help();
    anyhow::Error::new(UserError {
        message: error.to_string(),
        help,
    })
}

/// The directory's freshness key, from remit-app: derived tables built with another directory
/// are rebuilt.
pub use remit_app::{default_directory_source, file_source};

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// Prints `error: ...`, each cause, and the help lines of any [`UserError`] in the chain.
pub fn write_error(out: &mut dyn Write, error: &anyhow::Error) -> std::io::Result<()> {
    writeln!(out, "error: {error}")?;
    for cause in error.chain().skip(1) {
        writeln!(out, "  caused by: {cause}")?;
    }
    for cause in error.chain() {
        if let Some(UserError {
            help: Some(help), ..
        }) = cause.downcast_ref::<UserError>()
        {
            writeln!(out, "  help: {help}")?;
        }
    }
    Ok(())
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, value)?;
    writeln!(stdout)?;
    Ok(())
}

/// A `--date` as people write it (`2026-12-07`, `12/07/2026`, `Dec 7 2026`, `today`); today when
/// none is given.
pub fn date_arg(text: Option<&str>) -> anyhow::Result<remit_law::Date> {
    match text {
        None => Ok(today()),
        Some(text) => remit_law::Date::parse_loose(text, Some(today())).map_err(|e| {
            UserError::with_help(
                format!("`--date`: {e}"),
                "write dates as 2026-12-07, 12/07/2026, Dec 7 2026 or today",
            )
            .into()
        }),
    }
}

/// Every problem of a question as one error: each message on its line, each help after it.
pub fn question_error(errors: &[remit_law::QuestionError]) -> anyhow::Error {
    let message = errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n       ");
    let help = errors
        .iter()
        .filter_map(|e| e.help())
        .collect::<Vec<_>>()
        .join("\n  help: ");
    anyhow::Error::new(UserError::with_help(message, help))
}

/// Today's date in UTC, from the system clock (remit-app's clock).
pub use remit_app::today;

/// Loads the built-in corpus, or the one in `dir`; scenarios only when asked.
pub fn load_corpus(
    dir: Option<&std::path::Path>,
    scenarios: remit_law::Scenarios,
) -> anyhow::Result<remit_law::Corpus> {
    let loaded = match dir {
        Some(dir) => remit_law::Corpus::load_dir_with(dir, scenarios),
        None => remit_law::Corpus::embedded_with(scenarios),
    };
    loaded.map_err(|e| {
        let mut message = e.to_string();
        if message.ends_with('\n') {
            message.pop();
        }
        anyhow::Error::new(UserError::with_help(
            message,
            "fix the files named above; `docs/rules-format.md` describes the format",
        ))
    })
}

/// A progress bar over `files` files, hidden when it would only be noise: `--quiet`, `--json`,
/// or a single file.
pub fn files_progress(files: usize, quiet: bool, json: bool) -> indicatif::ProgressBar {
    if quiet || files < 2 || json {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// How the files of a batch import went.
#[derive(Debug, Clone, Copy, Default)]
pub struct BatchCounts {
    /// Files imported now.
    pub imported: u64,
    /// Files whose content the store already held.
    pub already: u64,
    /// Files that could not be imported.
    pub failed: u64,
}

impl BatchCounts {
    /// The batch's JSON summary line: these counts, the data-quality `issues`, and what the
    /// import refreshed under `refreshed_key`.
    pub fn summary_json(
        &self,
        files: usize,
        issues: &impl serde::Serialize,
        refreshed_key: &str,
        refreshed: &impl serde::Serialize,
    ) -> serde_json::Value {
        let mut value = serde_json::json!({
            "type": "summary",
            "files": files,
            "imported": self.imported,
            "already_imported": self.already,
            "failed": self.failed,
            "issues": issues,
        });
        if let Some(object) = value.as_object_mut() {
            object.insert(
                refreshed_key.to_string(),
                serde_json::to_value(refreshed).unwrap_or_default(),
            );
        }
        value
    }

    /// `3 files: 2 imported, 1 already imported{already}, 1 failed`.
    pub fn summary_line(&self, files: usize, already: &str) -> String {
        let mut line = format!(
            "{files} file{}: {} imported, {} already imported{already}",
            if files == 1 { "" } else { "s" },
            self.imported,
            self.already
        );
        if self.failed > 0 {
            line.push_str(&format!(", {} failed", self.failed));
        }
        line
    }

    /// 2 when a file failed (the others were imported), else success.
    pub fn exit_code(&self) -> std::process::ExitCode {
        if self.failed > 0 {
            std::process::ExitCode::from(2)
        } else {
            std::process::ExitCode::SUCCESS
        }
    }
}

/// How a batch import shows itself.
#[derive(Debug, Clone, Copy)]
pub struct BatchOutput {
    /// No progress bar.
    pub quiet: bool,
    /// One JSON line per file on stdout instead of text.
    pub json: bool,
    /// Whether each imported file gets a line of text (a big batch shows only the summary).
    pub each: bool,
}

/// Imports `files` one at a time with `import`, under a progress bar: each report goes to
/// stdout (a JSON line, or `describe`'s line), each failure to stderr with its help, and the
/// batch goes on after a failure. `tally` sees every report and says whether the file was
/// imported now (rather than found in the store already).
pub fn import_batch<R: serde::Serialize, E: fmt::Display>(
    files: &[std::path::PathBuf],
    output: BatchOutput,
    mut import: impl FnMut(&std::path::Path) -> Result<R, E>,
    help: impl Fn(&E) -> Option<String>,
    stops: impl Fn(&E) -> bool,
    describe: impl Fn(&R) -> String,
    mut tally: impl FnMut(&R) -> bool,
) -> anyhow::Result<BatchCounts> {
    let bar = files_progress(files.len(), output.quiet, output.json);
    let mut stdout = std::io::stdout().lock();
    let mut counts = BatchCounts::default();
    for (done, file) in files.iter().enumerate() {
        bar.set_message(file.display().to_string());
        match import(file) {
            Ok(report) => {
                if tally(&report) {
                    counts.imported += 1;
                } else {
                    counts.already += 1;
                }
                if output.json {
                    write_file_json(&mut stdout, &report)?;
                } else if output.each {
                    bar.suspend(|| writeln!(stdout, "{}", describe(&report)))?;
                }
            }
            Err(error) => {
                counts.failed += 1;
                write_file_failure(&mut stdout, output.json, &bar, file, &error, help(&error))?;
                // The store itself failed (full, damaged, read-only): every other file would
                // fail the same way, so the batch stops here.
                if stops(&error) {
                    let left = files.len() - done - 1;
                    if left > 0 {
                        bar.suspend(|| {
                            eprintln!(
                                "note: stopped at the first failure of the store itself; {left} more file{} not tried",
                                if left == 1 { " was" } else { "s were" }
                            );
                        });
                    }
                    break;
                }
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(counts)
}

/// One imported file's report as a JSON line tagged `"type": "file"`.
pub fn write_file_json<T: serde::Serialize>(out: &mut dyn Write, report: &T) -> anyhow::Result<()> {
    let mut value = serde_json::to_value(report)?;
    if let Some(object) = value.as_object_mut() {
        object.insert("type".into(), "file".into());
    }
    writeln!(out, "{value}")?;
    Ok(())
}

/// A file of a batch that could not be imported: a JSON line on `out`, or `error:` and `help:`
/// lines on stderr above the progress bar. The batch goes on with the other files.
pub fn write_file_failure(
    out: &mut dyn Write,
    json: bool,
    bar: &indicatif::ProgressBar,
    path: &std::path::Path,
    error: &dyn std::fmt::Display,
    help: Option<String>,
) -> std::io::Result<()> {
    if json {
        let value = serde_json::json!({
            "type": "file",
            "path": path,
            "status": "failed",
            "error": error.to_string(),
            "help": help,
        });
        return writeln!(out, "{value}");
    }
    bar.suspend(|| {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "error: {error}");
        if let Some(help) = help {
            let _ = writeln!(stderr, "  help: {help}");
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_stops_at_the_first_failure_of_the_store_itself() {
        let files: Vec<std::path::PathBuf> = ["a.xlsx", "full.xlsx", "c.xlsx", "d.xlsx"]
            .iter()
            .map(std::path::PathBuf::from)
            .collect();
        let mut tried = Vec::new();
        let output = BatchOutput {
            quiet: true,
            json: true,
            each: false,
        };
        let counts = import_batch(
            &files,
            output,
            |file| {
                tried.push(file.display().to_string());
                if file.ends_with("full.xlsx") {
                    Err("database or disk is full: store `remit.db`")
                } else {
                    Ok(1)
                }
            },
            |_| None,
            |error: &&str| error.contains("disk is full"),
            |_| String::new(),
            |_| true,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(tried, ["a.xlsx", "full.xlsx"]);
        assert_eq!((counts.imported, counts.failed), (1, 1));
        // A failure of one file alone does not stop the batch.
        let mut tried = 0;
        let counts = import_batch(
            &files,
            output,
            |_| {
                tried += 1;
                Err::<u8, _>("not a 287(g) sheet")
            },
            |_| None,
            |error: &&str| error.contains("disk is full"),
            |_| String::new(),
            |_| true,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((tried, counts.failed), (4, 4));
    }
}
