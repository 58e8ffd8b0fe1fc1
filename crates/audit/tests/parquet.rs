//! `events.parquet` (feature `parquet`): every event of a run, read back with the parquet reader.
#![cfg(feature = "parquet")]

#[path = "support/setup.rs"]
mod setup;

use remit_audit::AuditOptions;
use remit_audit::sinks::parquet::ParquetSink;
use setup::Setup;

#[test]
fn every_event_is_written() {
    let dir = std::env::temp_dir().join(format!("remit-parquet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("network.csv");
    let mut file = std::fs::File::create(&input).unwrap();
    remit_audit::demo::generate(70_000, 2, &mut file).unwrap();
    drop(file);
    let setup = Setup::new();
    let auditor = setup.auditor();
    let mut sink = ParquetSink::create(&dir, true).unwrap();
    let run = auditor
        .run(
            std::slice::from_ref(&input),
            &AuditOptions {
                owner: Some("El Cajon CA PD".to_string()),
                redact: true,
                ..AuditOptions::default()
            },
            &mut [&mut sink],
        )
        .unwrap();
    let reader = parquet::file::reader::SerializedFileReader::new(
        std::fs::File::open(dir.join("events.parquet")).unwrap(),
    )
    .unwrap();
    use parquet::file::reader::FileReader;
    let rows = reader.metadata().file_metadata().num_rows();
    assert_eq!(rows as u64, run.summary.events);
    assert_eq!(rows, 70_000);
    let _ = std::fs::remove_dir_all(&dir);
}
