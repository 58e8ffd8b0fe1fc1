//! The real Irvine and Eugene logs audited as an upload is (always redacted), and with every
//! flagged search written out: no plate and no surname of Irvine's users sheet appears in the
//! audit's page, JSON or CSV, nor in the reasons the store keeps for the pages. The same logs
//! audited to keep them show them, so the check can fail.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use remit_audit::input::workbook_sheets;
use remit_audit::redact::Redactor;
use remit_audit::remit_store::Store;
use remit_web::{AppState, Options};

use crate::common::{corpus, get};

/// Plates read by eye in the two logs.
const PLATES: &[&str] = &[
    "8ZNN781", "9NAN852", "8SCZ322", "09717J3", "26343M1", "795ASV", "E287021", "41HP587",
];

fn shared_alpr() -> Option<PathBuf> {
    crate::common::shared_data().map(|data| data.join("alpr"))
}

const IRVINE: &str = "irvine-ca/vigilant-audit_2021-12_2025-01.xlsx";
const EUGENE: &str = "eugene-or/EPDSearchAuditLogs.csv";

/// Irvine's users' surnames that its reasons hold as words.
fn named_surnames(root: &Path) -> BTreeSet<String> {
    let sheets = workbook_sheets(&root.join(IRVINE)).unwrap_or_else(|e| panic!("{e}"));
    let rows = |name: &str| -> Vec<Vec<String>> {
        sheets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, rows)| rows.iter().map(|(_, c)| c.clone()).collect())
            .unwrap_or_else(|| panic!("no sheet {name}"))
    };
    let users = rows("Users");
    let mut redactor = Redactor::new();
    assert!(redactor.learn_users_sheet(&users[0], &users[1..]));
    let words: BTreeSet<String> = rows("Audit")
        .iter()
        .filter_map(|r| r.first())
        .flat_map(|r| {
            r.split(|c: char| !c.is_alphanumeric())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .collect();
    redactor
        .surnames()
        .into_iter()
        .filter(|s| words.contains(s))
        .collect()
}

/// How a run is stored: as an upload is (redacted, default flags), or with every flagged search
/// as a finding, redacted or not.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Run {
    Upload,
    AllFlags { redact: bool },
}

/// The audit of `input` stored as `run` says: the text of its page, JSON and CSV (findings), and
/// the reasons the store keeps for it (one per shape, what the pages quote).
async fn pages(root: &Path, input: &str, owner: &str, run: Run) -> (String, String) {
    let redact = run != Run::AllFlags { redact: false };
    let dir = std::env::temp_dir().join(format!(
        "remit-web-redaction-{}-{run:?}-{}",
        owner.replace(' ', "-"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut store = Store::open(&dir.join("remit.db")).unwrap_or_else(|e| panic!("{e}"));
    let corpus = corpus();
    let files = [root.join(input)];
    let run_id = if run == Run::Upload {
        remit_web::audit_into_store(
            &mut store,
            &files,
            Some(owner.to_string()),
            &corpus,
            None,
            None,
            &mut [],
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .0
    } else {
        let classifier = remit_audit::Classifier::builtin().unwrap_or_else(|e| panic!("{e}"));
        let resolver = remit_agencies::Resolver::new(remit_agencies::Directory::builtin());
        let auditor = remit_audit::Auditor {
            classifier: &classifier,
            corpus: &corpus,
            resolver: &resolver,
            agreements: None,
            progress: None,
        };
        let options = remit_audit::AuditOptions {
            owner: Some(owner.to_string()),
            redact,
            all_flags: true,
            ..remit_audit::AuditOptions::default()
        };
        remit_app::audit::audit_into(&mut store, &auditor, &files, &options, None, &mut [])
            .unwrap_or_else(|e| panic!("{e}"))
            .run_id
    };
    let mut statement = store
        .connection()
        .prepare("SELECT text FROM audit_reasons WHERE run_id = ?1")
        .unwrap_or_else(|e| panic!("{e}"));
    let reasons: Vec<String> = statement
        .query_map([run_id], |row| row.get(0))
        .and_then(|rows| rows.collect())
        .unwrap_or_else(|e| panic!("{e}"));
    drop(statement);
    let state = AppState::new(corpus, Some(store), Options::default());
    let mut text = String::new();
    for uri in [
        format!("/audits/{run_id}"),
        format!("/audits/{run_id}.json"),
        format!("/audits/{run_id}.csv"),
    ] {
        let reply = get(&state, &uri).await;
        assert_eq!(reply.status, axum::http::StatusCode::OK, "{uri}");
        text.push_str(&reply.body);
        text.push('\n');
    }
    let _ = std::fs::remove_dir_all(&dir);
    (text, reasons.join("\n"))
}

fn leaks(text: &str, surnames: &BTreeSet<String>) -> Vec<String> {
    let lower = text.to_lowercase();
    let words: BTreeSet<&str> = lower.split(|c: char| !c.is_alphanumeric()).collect();
    let mut found: Vec<String> = PLATES
        .iter()
        .filter(|p| lower.contains(&p.to_lowercase()))
        .map(|p| p.to_string())
        .collect();
    found.extend(
        surnames
            .iter()
            .filter(|s| words.contains(s.as_str()))
            .cloned(),
    );
    found
}

#[tokio::test]
async fn audit_pages_show_no_plate_or_user_surname_from_the_real_logs() {
    let Some(root) = shared_alpr() else {
        return;
    };
    let surnames = named_surnames(&root);
    assert!(surnames.len() >= 15, "{surnames:?}");
    for (input, owner) in [(IRVINE, "Irvine CA PD"), (EUGENE, "Eugene OR PD")] {
        let named = if input == IRVINE {
            surnames.clone()
        } else {
            BTreeSet::new()
        };
        for run in [Run::Upload, Run::AllFlags { redact: true }] {
            let (page, reasons) = pages(&root, input, owner, run).await;
            assert!(page.len() > 1_000, "{owner} {run:?}");
            assert!(reasons.contains("[plate]"), "{owner} {run:?}");
            assert_eq!(
                leaks(&page, &named),
                Vec::<String>::new(),
                "{owner} {run:?}"
            );
            assert_eq!(
                leaks(&reasons, &named),
                Vec::<String>::new(),
                "{owner} {run:?}"
            );
        }
        let (_, kept) = pages(&root, input, owner, Run::AllFlags { redact: false }).await;
        assert!(!leaks(&kept, &named).is_empty(), "{owner}");
    }
}
