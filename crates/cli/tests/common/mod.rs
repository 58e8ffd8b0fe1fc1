//! Helpers shared by the CLI tests: scratch folders, running the binary, reading its output, the
//! other crates' fixtures and the real data in `../shared/data` (skipped with a notice when
//! missing, unless REMIT_REQUIRE_SHARED_DATA is set).

#![expect(
    dead_code,
    reason = "each test binary uses a part of the shared helpers"
)]
#![expect(
    clippy::expect_used,
    reason = "test helpers stop the test on a bad setup"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The binary under test, with nothing set.
pub fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_remit"))
}

/// The binary with its data home in `home`.
pub fn with_data_home(home: &Path) -> Command {
    let mut command = binary();
    command.env("XDG_DATA_HOME", home);
    command
}

/// Runs `command` to the end and keeps its output.
pub fn output(command: &mut Command) -> Output {
    command.output().expect("the binary runs")
}

/// Runs the binary on `args` with an empty data home, so that no directory or store the
/// machine's user imported changes the results.
pub fn run(args: &[&str]) -> Output {
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("empty-data-home");
    std::fs::create_dir_all(&home).expect("an empty data home");
    output(with_data_home(&home).args(args))
}

/// A scratch folder `name` under `group` (one group a test file), emptied, with an empty data
/// home so that no imported directory of the machine's user changes the results.
pub fn scratch(group: &str, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(group)
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data-home")).expect("a scratch folder");
    dir
}

/// Runs the binary on `args` with the database `remit.db` and the data home of the scratch
/// folder `dir`.
pub fn remit(dir: &Path, args: &[&str]) -> Output {
    output(
        with_data_home(&dir.join("data-home"))
            .arg("--db")
            .arg(dir.join("remit.db"))
            .args(args),
    )
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The JSON a successful run printed.
pub fn json(output: &Output) -> Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("valid JSON")
}

/// The JSON values a run printed one a line.
pub fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

/// `name` in the fixtures of the crate `krate` of this workspace.
pub fn fixture(krate: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("tests/fixtures")
        .join(name)
}

/// `../shared/data/<under>` (the folder itself for `""`), or `None` (with a notice) when it is
/// missing; with `REMIT_REQUIRE_SHARED_DATA` set, a missing folder fails the test instead.
pub fn shared_data(under: &str) -> Option<PathBuf> {
    let mut path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    if !under.is_empty() {
        path.push(under);
    }
    if path.is_dir() {
        return Some(path);
    }
    assert!(
        std::env::var_os("REMIT_REQUIRE_SHARED_DATA").is_none(),
        "../shared/data not found and REMIT_REQUIRE_SHARED_DATA is set"
    );
    eprintln!("skipping: ../shared/data not found");
    None
}
