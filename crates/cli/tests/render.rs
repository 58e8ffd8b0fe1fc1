//! The command line's renderers, called in process through the library target, against what the
//! binary prints for the same input.

use std::path::{Path, PathBuf};

use remit_app::Session;
use remit_app::remit_agencies::{Directory, Resolver};
use remit_app::remit_audit::{AuditOptions, Classifier};
use remit_app::remit_law::{Corpus, Scenarios};

mod common;

const SAMPLE: &str = "examples/demo/alpr/network-audit-sample.csv";
const OWNER: &str = "El Cajon CA PD";

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(SAMPLE)
}

#[test]
fn the_audit_summary_rendered_in_process_is_what_the_binary_prints() {
    let session = Session::new(
        Corpus::embedded_with(Scenarios::Skip).unwrap(),
        Resolver::new(Directory::builtin()),
        Classifier::builtin().unwrap(),
        None,
    );
    let options = AuditOptions {
        owner: Some(OWNER.to_string()),
        redact: true,
        ..AuditOptions::default()
    };
    let run = session
        .auditor(None, None)
        .run(&[sample()], &options, &mut [])
        .unwrap();
    let rendered =
        remit_cli::commands::audit::human(&run.summary, None, session.corpus.vocabulary());
    assert!(
        rendered.starts_with("owner: El Cajon Police Department (CA)\n"),
        "{rendered}"
    );
    assert!(
        rendered.contains(&format!(
            "searches: {}, rejected rows: 0",
            run.summary.events
        )),
        "{rendered}"
    );

    let home = std::env::temp_dir().join(format!("remit-cli-render-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let sample = sample();
    let output = common::output(common::with_data_home(&home).args([
        "audit",
        sample.to_str().unwrap(),
        "--owner",
        OWNER,
        "--no-store",
    ]));
    let _ = std::fs::remove_dir_all(&home);
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert_eq!(common::stdout(&output), rendered);
}
