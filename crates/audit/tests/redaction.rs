//! Free-text redaction measured on the real logs: every plate-like token the rule masks in
//! Irvine's and Eugene's reasons, the plates known to be in them, the words, years, case numbers,
//! statutes and dates that must stay, and the users sheet's surnames.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test stops on an unreadable real file or a failed audit"
)]

#[path = "support/setup.rs"]
mod setup;
#[path = "support/shared_data.rs"]
mod shared_data;
#[path = "support/temp.rs"]
mod temp;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use remit_audit::input::workbook_sheets;
use remit_audit::redact::{PLATE_MASK, Redactor};
use remit_audit::remit_store::Store;
use remit_audit::remit_store::rusqlite::types::ValueRef;
use remit_audit::sinks::{FindingsCsv, ReportHtml, SummaryJson};
use remit_audit::{AuditOptions, Sink};
use setup::Setup;
use shared_data::shared_data;
use temp::temp_dir;

/// Irvine's reasons and its users sheet (header, rows).
fn irvine(root: &Path) -> (Vec<String>, Vec<String>, Vec<Vec<String>>) {
    let sheets = workbook_sheets(&root.join("irvine-ca/vigilant-audit_2021-12_2025-01.xlsx"))
        .expect("Irvine's workbook reads");
    let rows = |name: &str| {
        sheets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, rows)| {
                rows.iter()
                    .map(|(_, cells)| cells.clone())
                    .collect::<Vec<_>>()
            })
            .expect(name)
    };
    let audit = rows("Audit");
    let reasons = audit[1..]
        .iter()
        .map(|r| r.first().cloned().unwrap_or_default())
        .collect();
    let users = rows("Users");
    (reasons, users[0].clone(), users[1..].to_vec())
}

fn eugene(root: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(root.join("eugene-or/EPDSearchAuditLogs.csv")).unwrap();
    let mut reader = csv_lines(&text);
    reader.remove(0);
    reader
}

/// The last field of each line of a CSV file whose last column is quoted free text.
fn csv_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            let last = line.rsplit_once(",\"").map_or(line, |(_, r)| r);
            last.trim_end_matches('"').replace("\"\"", "\"")
        })
        .collect()
}

/// Plate tokens masked, with how many times.
fn masked(redactor: &Redactor, reasons: &[String]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for reason in reasons {
        for mask in redactor.masks(reason.as_bytes()) {
            if mask.with == PLATE_MASK {
                *out.entry(reason[mask.start..mask.end].to_string())
                    .or_default() += 1;
            }
        }
    }
    out
}

#[test]
fn plate_rule_on_the_real_reasons() {
    let Some(root) = shared_data() else {
        return;
    };
    let (irvine_reasons, _, _) = irvine(&root);
    let eugene_reasons = eugene(&root);
    assert!(irvine_reasons.len() > 44_000, "{}", irvine_reasons.len());
    assert!(eugene_reasons.len() > 4_000, "{}", eugene_reasons.len());
    let plain = Redactor::new();
    let mut all_masked = BTreeSet::new();
    let mut unusual = BTreeSet::new();
    for (name, reasons) in [("irvine", &irvine_reasons), ("eugene", &eugene_reasons)] {
        let tokens = masked(&plain, reasons);
        let total: usize = tokens.values().sum();
        eprintln!(
            "{name}: {} distinct plate-like tokens, {total} masks",
            tokens.len()
        );
        let listed: Vec<String> = tokens.iter().map(|(t, n)| format!("{t}:{n}")).collect();
        eprintln!("{}", listed.join(" "));
        for token in tokens.keys() {
            if !standard_format(token) {
                unusual.insert(token.clone());
            }
            all_masked.insert(token.clone());
        }
    }
    for plate in KNOWN_PLATES {
        assert!(all_masked.contains(*plate), "{plate} is not masked");
    }
    // Masked tokens in no standard California or Oregon format: typed plates, partial plates,
    // or (a few) report numbers; docs/security.md lists them.
    eprintln!("not in a standard format: {unusual:?}");
    assert!(unusual.len() <= 16, "{unusual:?}");
    // What must stay, as these agencies write it: statutes, case, report and court numbers,
    // numbers joined by dashes, dates and times.
    let all: Vec<&String> = irvine_reasons.iter().chain(eugene_reasons.iter()).collect();
    for kept in [
        "PC 211",
        "24-10937",
        "14HF0139",
        "IPD-24-13441",
        "CFS 221109614",
        "OCDC023-04848",
        "P2501-01007",
        "14-008214",
        "I24111364",
        "FI240012",
        "2025-08-01T13:05:47.234Z",
    ] {
        let holding: Vec<&&String> = all.iter().filter(|r| r.contains(kept)).collect();
        assert!(!holding.is_empty(), "no real reason holds {kept}");
        for reason in holding {
            assert!(plain.redact(reason).contains(kept), "{reason}");
        }
    }
}

/// A plate in a standard California or Oregon format (`1ABC234`, commercial `12345A1` and
/// `1A23456`, `123ABC`, `ABC123`, exempt `E123456`), separators aside.
fn standard_format(token: &str) -> bool {
    let shape: String = token
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| if c.is_ascii_digit() { 'd' } else { 'L' })
        .collect();
    [
        "dLLLddd", "dddddLd", "dLddddd", "dddLLL", "LLLddd", "Ldddddd",
    ]
    .contains(&shape.as_str())
}

/// Plates read in the real logs by eye (California and Oregon formats, commercial and exempt
/// plates, a hotlist alert's plate), independent of the rule.
const KNOWN_PLATES: &[&str] = &[
    "8ZNN781", "9NAN852", "8SCZ322", "09717J3", "26343M1", "7X73955", "9fdc839", "795ASV",
    "ZKB670", "E287021", "41HP587", "589hpm", "211PHL",
];

/// Every text value of every table of the store, one per line.
fn store_text(path: &Path) -> String {
    let store = Store::open(path).expect("the store opens");
    let conn = store.connection();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for table in tables {
        let mut statement = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let width = statement.column_count();
        let mut rows = statement.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..width {
                if let ValueRef::Text(text) = row.get_ref(i).unwrap() {
                    out.push_str(&String::from_utf8_lossy(text));
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// Words of `text`, lowercase.
fn word_set(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Audits Irvine's workbook and Eugene's log into a store and every file sink; returns the text
/// of the store and of each file.
fn outputs(root: &Path, redact: bool) -> Vec<(String, String)> {
    let setup = Setup::new();
    let dir = temp_dir(if redact { "redacted" } else { "not-redacted" });
    let mut out = Vec::new();
    for (owner, file) in [
        (
            "Irvine CA PD",
            "irvine-ca/vigilant-audit_2021-12_2025-01.xlsx",
        ),
        ("Eugene OR PD", "eugene-or/EPDSearchAuditLogs.csv"),
    ] {
        let files_dir = dir.join(owner.replace(' ', "-"));
        std::fs::create_dir_all(&files_dir).unwrap();
        let options = AuditOptions {
            owner: Some(owner.to_string()),
            redact,
            all_flags: true,
            ..AuditOptions::default()
        };
        let mut findings = FindingsCsv::create(&files_dir, redact).unwrap();
        let mut report = ReportHtml::new(&files_dir, redact);
        let mut summary = SummaryJson::new(&files_dir);
        let store_path = files_dir.join("store.sqlite");
        let mut store = Store::open(&store_path).unwrap();
        let files: Vec<PathBuf> = vec![root.join(file)];
        let mut sinks: [&mut dyn Sink; 3] = [&mut findings, &mut report, &mut summary];
        remit_audit::sinks::store::audit_into(
            &mut store,
            &setup.auditor(),
            &files,
            &options,
            None,
            &mut sinks,
        )
        .expect("the audit runs");
        drop(store);
        out.push((format!("{owner} store"), store_text(&store_path)));
        for entry in std::fs::read_dir(&files_dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.starts_with("store.sqlite") {
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            out.push((format!("{owner} {name}"), text));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// With redaction on, no plate the rule masks, no plate known to be in the logs and no surname
/// of Irvine's users sheet appears in the store, findings.csv, report.html or summary.json;
/// with it off, they do.
#[test]
fn no_plate_or_user_surname_leaks_from_the_real_logs() {
    let Some(root) = shared_data() else {
        return;
    };
    let (irvine_reasons, header, rows) = irvine(&root);
    let mut names = Redactor::new();
    assert!(names.learn_users_sheet(&header, &rows));
    let surnames: BTreeSet<String> = names.surnames().into_iter().collect();
    assert!(surnames.len() > 150, "{}", surnames.len());
    let plain = Redactor::new();
    let mut plates: BTreeSet<String> = masked(&plain, &irvine_reasons).into_keys().collect();
    plates.extend(masked(&plain, &eugene(&root)).into_keys());
    plates.extend(KNOWN_PLATES.iter().map(|p| p.to_string()));
    // Surnames the reasons hold as words (the leak to look for).
    let reason_words: BTreeSet<String> = irvine_reasons.iter().flat_map(|r| word_set(r)).collect();
    let named: Vec<&String> = surnames.intersection(&reason_words).collect();
    assert!(named.len() >= 15, "{named:?}");

    let leaks = |outputs: &[(String, String)]| {
        let mut found = BTreeSet::new();
        for (what, text) in outputs {
            let lower = text.to_lowercase();
            let words = word_set(text);
            for plate in &plates {
                if lower.contains(&plate.to_lowercase()) {
                    found.insert(format!("{what}: {plate}"));
                }
            }
            // Irvine's users are Irvine's: Eugene's log may name others of the same name.
            for surname in named.iter().filter(|_| what.starts_with("Irvine")) {
                if words.contains(*surname) {
                    found.insert(format!("{what}: {surname}"));
                }
            }
        }
        found
    };
    let redacted = outputs(&root, true);
    assert!(redacted.iter().any(|(w, _)| w.ends_with("findings.csv")));
    assert!(redacted.iter().any(|(w, _)| w.ends_with("report.html")));
    let found = leaks(&redacted);
    assert!(found.is_empty(), "{found:?}");
    let all: String = redacted.iter().map(|(_, t)| t.as_str()).collect();
    assert!(all.contains("Stolen Plate [plate]"));
    assert!(all.contains("Burg Inv [name]"));

    let shown = leaks(&outputs(&root, false));
    for expected in ["8ZNN781", "795ASV", "E287021", "ricci", "nguyen"] {
        assert!(
            shown
                .iter()
                .any(|l| l.to_lowercase().ends_with(&expected.to_lowercase())),
            "{expected} not shown with redaction off: {shown:?}"
        );
    }
}

/// The parallel readers mask reasons and case numbers as one thread does: a block masked by its
/// worker with the names known so far gives the same text as the merger masking it with every
/// name met before it, also when a user first appears in one block and is named in a reason a
/// few blocks later, read at the same time.
#[test]
fn masking_in_the_parallel_readers_agrees_with_one_thread() {
    let dir = temp_dir("parallel-masking");
    let input = dir.join("network.csv");
    let mut bytes = Vec::new();
    remit_audit::demo::generate(20_000, 3, &mut bytes).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let row = |user: &str, reason: &str, case: &str| {
        format!(
            "{user},Yuma AZ PD,1,100,\"x\",,\"{reason}\",{case},,\"06/01/2025, 10:00:00 AM UTC\",lookup,,"
        )
    };
    // A user first seen at line 12,000, named in reasons 60 lines and 5,000 lines later; an
    // early user's surname and a plate in reasons throughout.
    let early_surname = lines[1]
        .split(['.', ','])
        .nth(1)
        .unwrap()
        .trim()
        .to_string();
    assert!(early_surname.len() >= 3, "{early_surname}");
    lines.insert(12_000, row("Q. Zzyzwicz", "theft", "25-000001"));
    for at in [12_060, 17_000] {
        lines.insert(
            at,
            row("A. Adams", "follow-up for Zzyzwicz 8ZNN781", "Zzyzwicz-7"),
        );
    }
    for at in (300..20_000).step_by(997) {
        lines.insert(
            at,
            row(
                "A. Adams",
                &format!("burglary {early_surname}"),
                "25-000002",
            ),
        );
    }
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let setup = Setup::new();
    let run = |threads: usize, block_bytes: u64, name: &str| {
        let out = dir.join(name);
        std::fs::create_dir_all(&out).unwrap();
        let mut findings = FindingsCsv::create(&out, true).unwrap();
        let run = setup
            .auditor()
            .run(
                std::slice::from_ref(&input),
                &AuditOptions {
                    owner: Some("El Cajon CA PD".to_string()),
                    redact: true,
                    threads,
                    block_bytes,
                    ..AuditOptions::default()
                },
                &mut [&mut findings],
            )
            .unwrap();
        assert_eq!(run.summary.events, 20_000 + 2 + 1 + 20);
        std::fs::read_to_string(out.join("findings.csv")).unwrap()
    };
    let one = run(1, 0, "one");
    assert!(!one.to_lowercase().contains("zzyzwicz"));
    assert_eq!(
        one.matches("follow-up for [name] [plate]").count(),
        2,
        "{one}"
    );
    assert_eq!(one.matches(",[name]-7,").count(), 2);
    assert_eq!(one.matches("burglary [name]").count(), 20);
    for (threads, block) in [(2, 4096), (3, 2000), (3, 64 << 10)] {
        let parallel = run(threads, block, &format!("{threads}-{block}"));
        assert!(
            parallel == one,
            "{threads} threads, blocks of {block} bytes"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
