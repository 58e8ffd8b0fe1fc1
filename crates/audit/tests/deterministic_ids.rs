//! The ids of searchers, reason shapes, search types and law decisions do not depend on the
//! thread count or on which worker meets a value first: a generated network audit read by one
//! thread, and several times by two and three threads in small blocks, gives the same summary
//! and the same stored `audit_searchers`, `audit_reasons`, `audit_decisions` and
//! `audit_findings` rows, ids included.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers stop the test on a bad setup"
)]

#[path = "support/setup.rs"]
mod setup;
#[path = "support/temp.rs"]
mod temp;

use std::path::Path;

use remit_audit::AuditOptions;
use remit_audit::remit_store::rusqlite::types::Value;
use remit_audit::remit_store::{Recorded, Store};
use remit_audit::sinks::store::audit_into;
use setup::Setup;
use temp::temp_dir;

/// What a run leaves behind: the summary as JSON and the audit tables' rows (without the run id).
#[derive(Debug, PartialEq)]
struct Outcome {
    summary: String,
    searchers: usize,
    decisions: usize,
    tables: Vec<(&'static str, Vec<String>)>,
}

const TABLES: [(&str, &str); 4] = [
    ("audit_searchers", "searcher_id"),
    ("audit_reasons", "reason_id"),
    ("audit_decisions", "decision_id"),
    ("audit_findings", "file_index, line"),
];

fn rows(store: &Store, table: &str, order: &str) -> Vec<String> {
    let connection = store.connection();
    let mut statement = connection
        .prepare(&format!("SELECT * FROM {table} ORDER BY {order}"))
        .unwrap();
    let names: Vec<String> = statement.column_names().map(str::to_string).collect();
    let mut rows = statement.query([]).unwrap();
    let mut out = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        let mut cells = Vec::new();
        for (i, name) in names.iter().enumerate() {
            if name == "run_id" {
                continue;
            }
            let value: Value = row.get(i).unwrap();
            cells.push(format!("{name}={value:?}"));
        }
        out.push(cells.join("|"));
    }
    out
}

fn run(input: &Path, threads: usize, block_bytes: u64) -> Outcome {
    let setup = Setup::new();
    let auditor = setup.auditor();
    let options = AuditOptions {
        owner: Some("El Cajon CA PD".to_string()),
        threads,
        block_bytes,
        ..AuditOptions::default()
    };
    let mut store = Store::open_in_memory().unwrap();
    let files = [input.to_path_buf()];
    let stored = audit_into(&mut store, &auditor, &files, &options, None, &mut []).unwrap();
    let Recorded::New(_) = stored.recorded else {
        panic!("a new store already held the run");
    };
    let summary = stored.run.summary;
    // The content hash is made of the pieces the reader cuts the file into, so a test's small
    // blocks give another hash than the standard ones; everything else must be the same.
    let mut json = serde_json::to_value(&summary).unwrap();
    for file in json["files"].as_array_mut().unwrap() {
        file["content_hash"] = serde_json::Value::Null;
    }
    Outcome {
        summary: serde_json::to_string_pretty(&json).unwrap(),
        searchers: summary.searchers,
        decisions: summary.decisions.len(),
        tables: TABLES
            .iter()
            .map(|&(table, order)| (table, rows(&store, table, order)))
            .collect(),
    }
}

#[test]
fn ids_do_not_depend_on_threads() {
    let dir = temp_dir("threads");
    let input = dir.join("network.csv");
    let mut bytes = Vec::new();
    remit_audit::demo::generate(6000, 7, &mut bytes).unwrap();
    std::fs::write(&input, &bytes).unwrap();
    // Small blocks: the file is read in well over a hundred pieces, so with two or three
    // workers they meet the searchers, reasons and decisions in an order of their own.
    let block = 8 * 1024;
    assert!(bytes.len() as u64 > 100 * block);

    let one = run(&input, 1, 0);
    assert!(one.searchers > 10, "{} searchers", one.searchers);
    assert!(one.decisions > 10, "{} decisions", one.decisions);
    for (table, rows) in &one.tables {
        assert!(!rows.is_empty(), "`{table}` is empty");
    }
    for (threads, block) in [(2, block), (2, block), (2, block + 1000), (3, 5000)] {
        let other = run(&input, threads, block);
        for (line, one_line) in other.summary.lines().zip(one.summary.lines()) {
            assert_eq!(
                line, one_line,
                "summary with {threads} threads and {block}-byte blocks"
            );
        }
        assert_eq!(other.summary, one.summary);
        for ((table, rows), (_, one_rows)) in other.tables.iter().zip(&one.tables) {
            assert_eq!(
                rows.len(),
                one_rows.len(),
                "`{table}` with {threads} threads"
            );
            for (row, one_row) in rows.iter().zip(one_rows) {
                assert_eq!(row, one_row, "`{table}` with {threads} threads");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
