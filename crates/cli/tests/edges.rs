//! Inputs that are not files and stores that cannot be written: a named pipe or standard input
//! given as `-` is refused at once (never waited on), and a store that stops taking writes is
//! named once and stops a batch of imports at the first failure.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests stop at the first failure"
)]

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{scratch, stderr};

/// Runs `command` and kills it after `limit`: a run that waits for ever fails the test instead
/// of hanging it.
fn within(command: &mut Command, limit: Duration) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            panic!(
                "still running after {limit:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn remit_in(dir: &Path) -> Command {
    let mut command = common::with_data_home(&dir.join("data-home"));
    command.arg("--db").arg(dir.join("remit.db"));
    command
}

fn make_fifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo failed");
}

#[test]
fn a_named_pipe_or_standard_input_is_refused_at_once() {
    let dir = scratch("edges", "pipes");
    let fifo = dir.join("log.csv");
    make_fifo(&fifo);
    let fifo = fifo.to_str().unwrap();
    let runs: [&[&str]; 6] = [
        &["audit", fifo, "--owner", "El Cajon CA PD"],
        &["audit", "-", "--owner", "El Cajon CA PD"],
        &["registry", "import", "--kind", "participating", fifo],
        &["registry", "import", "-"],
        &["sharing", "import", fifo, "--owner", "El Cajon CA PD"],
        &["sharing", "import", "-", "--owner", "El Cajon CA PD"],
    ];
    for args in runs {
        let output = within(remit_in(&dir).args(args), Duration::from_secs(20));
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        let expected = if args.contains(&"-") {
            "`-` means standard input here, not a file"
        } else {
            "this is a named pipe (or standard input from a pipe), not a file"
        };
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(
            err.contains("save the data to a file first"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_store_that_stops_taking_writes_is_named_and_stops_the_batch() {
    let dir = scratch("edges", "full");
    let sheets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo/287g");
    let mut names: Vec<_> = std::fs::read_dir(&sheets)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(names.len() > 3);
    // The first sheet makes the store; the rest go in with every file limited to 150 KB (the
    // shell's `ulimit -f`, with the signal it sends ignored so that the write fails instead),
    // which the store's log outgrows on the first of them.
    let first = within(
        remit_in(&dir)
            .args(["-q", "registry", "import"])
            .arg(&names[0]),
        Duration::from_secs(60),
    );
    assert!(first.status.success(), "{}", stderr(&first));
    let mut rest = String::new();
    for name in &names[1..] {
        rest.push_str(&format!(" '{}'", name.display()));
    }
    let remit = env!("CARGO_BIN_EXE_remit");
    let db = dir.join("remit.db");
    let script = format!(
        "trap '' XFSZ; ulimit -f 300; exec '{remit}' --db '{}' registry import{rest}",
        db.display()
    );
    let output = within(
        Command::new("sh")
            .arg("-c")
            .arg(&script)
            .env("XDG_DATA_HOME", dir.join("data-home")),
        Duration::from_secs(60),
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("remit.db"), "the store is named: {err}");
    // The files after the failing one are not tried.
    let left: usize = err
        .split("stopped at the first failure of the store itself; ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the batch did not stop: {err}"));
    assert!(left > 0 && left < names.len() - 1, "{err}");
    // One failed file, not one line per remaining file.
    assert_eq!(
        err.matches("cannot write to the database").count(),
        2,
        "the file's failure and the summary: {err}"
    );
}
