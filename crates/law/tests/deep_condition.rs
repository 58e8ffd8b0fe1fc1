//! A `when` condition nested 100,000 deep used to overflow the stack while the corpus loaded.
//! Now the loader refuses it with the file, the rule, the line and the limit.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]

use std::path::Path;

use remit_law::{Corpus, Scenarios};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_condition_nested_100_000_deep_is_refused_with_its_file_rule_and_line() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("deep-condition");
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&corpus, &dir);
    // The first rule of Montana's HB 200, its condition nested 100,000 deep.
    let file = dir.join("us-mt/hb200-2021.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let start = text.find("when = \"").unwrap();
    let end = start + text[start..].find('\n').unwrap();
    let line = text[..start].lines().count() + 1;
    let deep = format!(
        "when = \"{}policy_restricts_status_sharing{}\"",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    std::fs::write(&file, format!("{}{deep}{}", &text[..start], &text[end..])).unwrap();
    let error = Corpus::load_dir_with(&dir, Scenarios::Skip).unwrap_err();
    let problem = error
        .diagnostics
        .iter()
        .find(|d| d.rule.as_deref() == Some("us-mt/2-1-602"))
        .unwrap();
    assert!(problem.file.ends_with("hb200-2021.toml"), "{problem}");
    // The diagnostic points at the rule's id, 5 lines above its condition.
    assert_eq!(problem.line, Some(line - 5), "{problem}");
    assert!(
        problem.message.contains("nest more than 64 deep"),
        "{problem}"
    );
    assert!(problem.message.len() < 300, "{}", problem.message.len());
    assert_eq!(error.diagnostics.len(), 1, "{error}");
}
