//! Inputs built to exhaust memory: small versions of each bomb, made here. Each must stop with an
//! error that names the file, says where and which limit (and how to raise it), and quotes at
//! most a short prefix of the input; none may panic. `bench/bombs/run.sh` runs the full-size
//! ones and measures peak memory.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]

#[path = "support/setup.rs"]
mod setup;
#[path = "support/temp.rs"]
mod temp;

use std::io::Write;
use std::path::{Path, PathBuf};

use remit_audit::{AuditOptions, Auditor, Summary};
use setup::Setup;
use temp::temp_dir;

const HEADER: &str = "Name,Org Name,Total Networks Searched,Total Devices Searched,Time Frame,License Plate,Reason,Case #,Filters,Search Time,Search Type,Text Prompt,Moderation\n";
const ROW: &str = "N. Officer,Sample County CA SO,1,110,\"06/24/2025, 12:15:28 AM UTC - 07/01/2025, 12:15:28 AM UTC\",2ABC240,Investigation,25-530957,,\"07/01/2025, 12:15:28 AM UTC\",lookup,,\n";

/// Audits `path` on `threads` threads (more than one: in parallel blocks of 64 KiB, read
/// through a memory map): the summary, or the error's text.
fn audit(auditor: &Auditor<'_>, path: &Path, threads: usize) -> Result<Summary, String> {
    let options = AuditOptions {
        owner: Some("Sample City CA PD".to_string()),
        threads,
        block_bytes: if threads > 1 { 64 << 10 } else { 0 },
        ..AuditOptions::default()
    };
    auditor
        .run(&[path.to_path_buf()], &options, &mut [])
        .map(|run| run.summary)
        .map_err(|e| e.to_string())
}

/// Gzips `chunk` repeated `times` times into `path`, without holding the whole in memory.
fn gzip_repeated(path: &Path, chunk: &[u8], times: usize) {
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    for _ in 0..times {
        encoder.write_all(chunk).unwrap();
    }
    encoder.finish().unwrap();
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The error names the file, contains every piece of `wanted`, and is short.
fn assert_clear(error: &str, path: &Path, wanted: &[&str]) {
    let name = path.file_name().unwrap().to_str().unwrap();
    assert!(error.contains(name), "names the file: {error}");
    for piece in wanted {
        assert!(error.contains(piece), "says `{piece}`: {error}");
    }
    assert!(
        error.len() < 600,
        "quotes only a prefix ({} bytes): {}",
        error.len(),
        &error[..error.len().min(600)]
    );
}

#[test]
fn a_gzip_of_100_mb_of_zeros_stops_at_the_record_limit() {
    let setup = Setup::new();
    let auditor = setup.auditor();
    let dir = temp_dir("limits-zeros");
    let path = dir.join("zeros.csv.gz");
    gzip_repeated(&path, &[0_u8; 1 << 20], 100);
    assert!(std::fs::metadata(&path).unwrap().len() < 1 << 20);
    let error = audit(&auditor, &path, 1).unwrap_err();
    assert_clear(
        &error,
        &path,
        &["line 1", "limit of 1048576", "REMIT_MAX_RECORD_BYTES"],
    );
}

#[test]
fn a_gzip_that_expands_200_times_and_more_is_refused() {
    let setup = Setup::new();
    let auditor = setup.auditor();
    let dir = temp_dir("limits-ratio");
    let path = dir.join("ratio.csv.gz");
    // A header, then 100 MB of one short row: short records, an enormous ratio.
    let body = HEADER.as_bytes();
    let rows = ROW.repeat((1 << 20) / ROW.len());
    {
        let file = std::fs::File::create(&path).unwrap();
        let mut encoder = flate2::write::GzEncoder::new(file, flate2::Compression::best());
        encoder.write_all(body).unwrap();
        for _ in 0..100 {
            encoder.write_all(rows.as_bytes()).unwrap();
        }
        encoder.finish().unwrap();
    }
    let error = audit(&auditor, &path, 1).unwrap_err();
    assert_clear(
        &error,
        &path,
        &[
            "compression ratio",
            "limit of 200",
            "REMIT_MAX_COMPRESSION_RATIO",
        ],
    );
}

#[test]
fn a_huge_header_is_refused_and_not_echoed() {
    let setup = Setup::new();
    let auditor = setup.auditor();
    let dir = temp_dir("limits-header");
    // 8 MB of one header cell, no newline: the scanner stops at the record limit.
    let path = write(&dir, "header.csv", &vec![b'H'; 8 << 20]);
    for threads in [1, 2] {
        let error = audit(&auditor, &path, threads).unwrap_err();
        assert_clear(&error, &path, &["line 1", "REMIT_MAX_RECORD_BYTES", "HHHH"]);
    }
    // 2,000 columns: more than the header limit.
    let mut wide = vec![b'c'; 1];
    for _ in 1..2_000 {
        wide.extend_from_slice(b",c");
    }
    wide.push(b'\n');
    let path = write(&dir, "wide.csv", &wide);
    let error = audit(&auditor, &path, 1).unwrap_err();
    assert_clear(
        &error,
        &path,
        &["line 1", "2000 columns", "REMIT_MAX_COLUMNS"],
    );
    // A header of long unknown names is quoted name by name, each cut short.
    let names: Vec<String> = (0..30)
        .map(|i| format!("{i}{}", "n".repeat(20_000)))
        .collect();
    let path = write(
        &dir,
        "names.csv",
        format!("{}\n", names.join(",")).as_bytes(),
    );
    let error = audit(&auditor, &path, 1).unwrap_err();
    assert!(error.contains("not a layout Remit knows"), "{error}");
    assert!(error.contains("(20001 bytes in all)"), "{error}");
    assert!(
        error.len() < 16 * 120 + 200,
        "at most 16 names of 80 characters: {} bytes",
        error.len()
    );
}

#[test]
fn a_long_field_or_record_in_the_data_names_its_line() {
    let setup = Setup::new();
    let auditor = setup.auditor();
    let dir = temp_dir("limits-field");
    let long_reason = ROW.replace("Investigation", &"R".repeat(300_000));
    let bytes = format!("{HEADER}{ROW}{ROW}{long_reason}{ROW}");
    let path = write(&dir, "field.csv", bytes.as_bytes());
    for threads in [1, 2] {
        let error = audit(&auditor, &path, threads).unwrap_err();
        assert_clear(
            &error,
            &path,
            &[
                "field 7",
                "limit of 262144",
                "REMIT_MAX_FIELD_BYTES",
                "RRRR",
            ],
        );
        if threads == 1 {
            assert!(error.contains("line 4"), "{error}");
        }
    }
    // An unterminated quote that runs for 4 MB: one record past the limit.
    let open_quote = format!("{HEADER}{ROW}\"{}", "q\n".repeat(2 << 20));
    let path = write(&dir, "quote.csv", open_quote.as_bytes());
    let error = audit(&auditor, &path, 1).unwrap_err();
    assert_clear(&error, &path, &["line 3", "REMIT_MAX_RECORD_BYTES"]);
    // Below the limits the same rows are audited.
    let path = write(&dir, "fine.csv", format!("{HEADER}{ROW}{ROW}").as_bytes());
    assert_eq!(audit(&auditor, &path, 1).unwrap().events, 2);
}

#[test]
fn a_long_ndjson_line_is_refused() {
    let setup = Setup::new();
    let auditor = setup.auditor();
    let dir = temp_dir("limits-ndjson");
    let first = r#"{"searchTime":"2025-07-01T00:15:28Z","orgName":"Sample County CA SO","reason":"Investigation"}"#;
    let bytes = format!("{first}\n{{\"reason\":\"{}\"}}\n", "x".repeat(3 << 20));
    let path = write(&dir, "long.ndjson", bytes.as_bytes());
    let error = audit(&auditor, &path, 1).unwrap_err();
    assert_clear(&error, &path, &["line 2", "REMIT_MAX_RECORD_BYTES"]);
}
