//! The limits on input are named in the help of the commands they affect (`audit`, `sharing
//! import`, `registry import`), each variable with its default, and a variable set in the
//! environment changes what the command accepts.

mod common;
use common::{binary, output, remit, run, scratch, stderr, stdout};

const VARIABLES: [(&str, &str); 8] = [
    ("REMIT_MAX_RECORD_BYTES", "1M"),
    ("REMIT_MAX_FIELD_BYTES", "256K"),
    ("REMIT_MAX_COLUMNS", "1000"),
    ("REMIT_MAX_DECOMPRESSED_BYTES", "64G"),
    ("REMIT_MAX_COMPRESSION_RATIO", "200"),
    ("REMIT_MAX_WORKBOOK_PART_BYTES", "128M"),
    ("REMIT_MAX_SHEET_ROWS", "1000000"),
    ("REMIT_MAX_SHEET_CELLS", "10000000"),
];

fn assert_limits(help: &str, command: &str) {
    assert!(help.contains("Limits:"), "`{command} --help`: {help}");
    for (variable, default) in VARIABLES {
        let line = help
            .lines()
            .find(|line| line.trim_start().starts_with(variable))
            .unwrap_or_else(|| unreachable!("`{command} --help` does not name {variable}"));
        assert_eq!(
            line.split_whitespace().nth(1),
            Some(default),
            "`{command} --help`: {line}"
        );
    }
}

#[test]
fn the_commands_that_read_input_list_the_limits_in_their_help() {
    for args in [
        &["audit", "--help"][..],
        &["audit", "-h"],
        &["sharing", "import", "--help"],
        &["registry", "import", "--help"],
    ] {
        let out = run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_limits(&stdout(&out), &args.join(" "));
    }
    // `audit` keeps its examples before the limits.
    let help = stdout(&run(&["audit", "--help"]));
    let examples = help.find("Examples:").unwrap();
    assert!(examples < help.find("Limits:").unwrap(), "{help}");
    // Commands that read no input files do not list them.
    assert!(!stdout(&run(&["sharing", "report", "--help"])).contains("REMIT_MAX_"));
}

#[test]
fn a_limit_set_in_the_environment_is_the_one_applied() {
    let dir = scratch("limits-help", "environment");
    let list = dir.join("list.csv");
    let long = format!(
        "Organization Name\nDixon CA PD\n{} PD\n",
        "Agency".repeat(20)
    );
    std::fs::write(&list, long).unwrap();
    let path = list.to_str().unwrap();
    let args = ["sharing", "import", path, "--owner", "El Cajon CA PD"];
    // Within the default limits it is imported.
    let out = remit(&dir, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    // With records held to 64 bytes, the third line is refused, naming the variable.
    let out = output(
        binary()
            .env("XDG_DATA_HOME", dir.join("data-home"))
            .env("REMIT_MAX_RECORD_BYTES", "64")
            .args(["--db", dir.join("other.db").to_str().unwrap()])
            .args(args),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(message.contains("line 3"), "{message}");
    assert!(message.contains("REMIT_MAX_RECORD_BYTES"), "{message}");
    assert!(message.contains("limit of 64"), "{message}");
}
