//! Snapshots of the output people read, where the wording matters: the audit summary of the demo
//! sample and the resolver's account of a name. A change to the text shows as a diff of the
//! files in `tests/snapshots/` (accept one with `INSTA_UPDATE=always cargo test -p remit-cli
//! --test snapshots`, after reading it).

use std::path::Path;

mod common;

/// The binary run from the workspace's root (so the sample's path prints the same everywhere),
/// with a data home of its own (the built-in sample directory, an empty store).
#[expect(
    clippy::unwrap_used,
    reason = "a test helper: a test without its folder fails"
)]
fn remit(name: &str, args: &[&str]) -> String {
    let home =
        std::env::temp_dir().join(format!("remit-cli-snapshot-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let output = common::output(
        common::with_data_home(&home)
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
            .args(args),
    );
    let _ = std::fs::remove_dir_all(&home);
    assert!(output.status.success(), "{}", common::stderr(&output));
    common::stdout(&output)
}

#[test]
fn audit_summary_of_the_demo_sample() {
    insta::assert_snapshot!(remit(
        "audit",
        &[
            "audit",
            "examples/demo/alpr/network-audit-sample.csv",
            "--owner",
            "El Cajon CA PD",
            "--no-store",
        ],
    ));
}

#[test]
fn resolving_an_agency_name() {
    insta::assert_snapshot!(remit(
        "resolve",
        &["agencies", "resolve", "Tombstone Marshals Office (AZ)"],
    ));
}
