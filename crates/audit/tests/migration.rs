//! Stores written by the first audit schema keep reading the same after the upgrade that made
//! findings' repeated text into integers: every column of `audit_findings_readable` is the same
//! before and after, for own searches, decided and undecided searches, redacted and plain rows;
//! and each run then knows the range of its finding rows, by which its findings are read.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]

use remit_audit::query::{self, FindingFilter};
use remit_audit::remit_store::rusqlite::types::Value;
use remit_audit::remit_store::{Schema, Store};
use remit_audit::sinks::store::SCHEMA;

fn readable(store: &Store) -> Vec<Vec<Value>> {
    let mut statement = store
        .connection()
        .prepare("SELECT * FROM audit_findings_readable ORDER BY run_id, line")
        .unwrap();
    let width = statement.column_count();
    let rows = statement
        .query_map([], |row| (0..width).map(|i| row.get(i)).collect())
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

#[test]
fn version_one_findings_read_the_same_after_the_upgrade() {
    let mut store = Store::open_in_memory().unwrap();
    let first = Schema {
        component: SCHEMA.component,
        migrations: &SCHEMA.migrations[..1],
    };
    store.migrate(&first).unwrap();
    store
        .connection()
        .execute_batch(
            "INSERT INTO imports (id, kind, source_path, content_sha256, content_bytes)
               VALUES (1, 'audit', 'a.csv', 'x', 10), (2, 'audit', 'b.csv', 'y', 10);
             INSERT INTO audit_runs (id, import_id, corpus_version, classifier_version, redacted)
               VALUES (1, 1, 'c', 'k', 1), (2, 2, 'c', 'k', 0);
             INSERT INTO audit_files (run_id, file_index, path, events, rejected, bytes)
               VALUES (1, 0, 'a.csv', 3, 0, 10), (2, 0, 'b.csv', 1, 0, 10);
             INSERT INTO audit_searchers (run_id, searcher_id, name, input, state, class, own,
                 searches, findings, forbidden)
               VALUES (1, 0, 'Owner PD', 'Owner PD', 'CA', 'local', 1, 1, 0, 0),
                      (1, 1, 'Far PD', 'Far PD', 'TX', 'local', 0, 2, 2, 2),
                      (2, 0, 'Other PD', 'Other PD', 'OR', 'local', 0, 1, 1, 0);
             INSERT INTO audit_reasons (run_id, reason_id, text, category, categories, purpose,
                 evidence)
               VALUES (1, 0, 'ICE assist', 'immigration', 'immigration',
                       'immigration_enforcement', 'ICE'),
                      (2, 0, 'inv', 'vague', 'vague', 'criminal_investigation', 'inv');
             INSERT INTO audit_decisions (run_id, decision_id, action, counterparty, purpose,
                 date, verdict, determining_json)
               VALUES (1, 0, 'share_alpr_data', 'out_of_state_agency',
                       'immigration_enforcement', '2025-01-01', 'must_not', '[]');
             INSERT INTO audit_findings (run_id, file_index, line, time, searcher_id, reason_id,
                 reason, case_number, user, plate, networks, devices, search_type, decision_id,
                 verdict, flags)
               VALUES (1, 0, 2, 1735689600, 1, 0, NULL, '25-1', '[redacted]', '[redacted]',
                       1, 100, 'lookup', 0, 'must_not', 5),
                      (1, 0, 3, 1735689700, 1, 0, 'ICE assist 2', NULL, NULL, '[redacted]',
                       NULL, NULL, '', 0, 'must_not', 1),
                      (1, 0, 4, 1735689800, 0, 0, NULL, NULL, '[redacted]', NULL,
                       1, 5, 'lookup', NULL, 'own_search', 2),
                      (2, 0, 2, 1735689900, 0, 0, NULL, NULL, 'J. Doe', '8ABC123',
                       NULL, NULL, 'search', NULL, 'not_asked', 128);",
        )
        .unwrap();
    // (The first schema's writer always wrote a search type, `''` when the log has none.)
    let before = readable(&store);
    assert_eq!(before.len(), 4);
    store.migrate(&SCHEMA).unwrap();
    let after = readable(&store);
    assert_eq!(after, before);
    // The stored form: ids, outcome codes and redaction bits.
    let stored: Vec<(i64, i64, i64, Option<String>)> = store
        .connection()
        .prepare(
            "SELECT search_type_id, outcome, redacted, user FROM audit_findings ORDER BY rowid",
        )
        .unwrap()
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        stored,
        [
            (1, 0, 3, None),
            (0, 0, 2, None),
            (1, -1, 1, None),
            (0, -2, 0, Some("J. Doe".to_string())),
        ]
    );

    // Each run knows the range of its finding rows, and the query API reads each run's own.
    let ranges: Vec<(i64, Option<i64>, Option<i64>)> = store
        .connection()
        .prepare("SELECT id, first_finding, last_finding FROM audit_runs ORDER BY id")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ranges, [(1, Some(1), Some(3)), (2, Some(4), Some(4))]);
    let lines = |run: i64| -> Vec<u64> {
        query::findings(&store, run, &FindingFilter::default(), 0, 100)
            .unwrap()
            .findings
            .iter()
            .map(|f| f.line)
            .collect()
    };
    assert_eq!(lines(1), [2, 3, 4]);
    assert_eq!(lines(2), [2]);
    assert_eq!(
        query::finding_counts(&store, 2, &FindingFilter::default())
            .unwrap()
            .by_verdict
            .into_iter()
            .collect::<Vec<_>>(),
        [("not_asked".to_string(), 1)]
    );
}
