//! The audit's own CSV scanner on thousands of generated documents, checked against what the
//! generator wrote and what the `csv` crate reads:
//! quoted fields with delimiters, doubled quotes and newlines inside, CRLF and LF, empty fields,
//! multi-byte text, a byte-order mark, no final newline, long fields, and a reader that hands
//! out a few bytes at a time. Every record's fields, byte offset and starting line must agree.

#![expect(
    clippy::unwrap_used,
    reason = "a test: a failure to read is the failure being looked for"
)]

#[path = "support/rng.rs"]
mod rng;

use std::io::Read;

use remit_audit::csvscan::{Record, Scanner};
use rng::Rng;

/// Text a field may hold: plain words, the delimiter, quotes, newlines, multi-byte letters.
const PIECES: &[&str] = &[
    "a",
    "Zz",
    "7",
    " ",
    "ICE",
    "inv",
    ",",
    "\"",
    "\n",
    "\r\n",
    "é",
    "—",
    "2025-06-01",
    "x,y",
];

fn field(rng: &mut Rng) -> String {
    let mut text = String::new();
    // Mostly short, sometimes long (past the scanner's word-at-a-time windows).
    let pieces = match rng.below(20) {
        0 => 40 + rng.below(60),
        1..=4 => 0,
        _ => rng.below(6),
    };
    for _ in 0..pieces {
        text.push_str(PIECES[rng.below(PIECES.len())]);
    }
    text
}

/// A document, and each record's fields, byte offset and starting line.
fn document(rng: &mut Rng) -> (Vec<u8>, Read3) {
    let mut bytes = Vec::new();
    if rng.below(5) == 0 {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let records = 1 + rng.below(12);
    let mut expected = Vec::new();
    for index in 0..records {
        // Two or more fields: a line holding one empty field is a blank line to the scanner.
        let width = 2 + rng.below(5);
        let offset = bytes.len() as u64;
        let line = 1 + bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        let mut fields = Vec::new();
        for column in 0..width {
            if column > 0 {
                bytes.push(b',');
            }
            let text = field(rng);
            let needs_quotes = text.contains([',', '"', '\n', '\r']) || text.starts_with(' ');
            if needs_quotes || rng.below(4) == 0 {
                bytes.push(b'"');
                bytes.extend_from_slice(text.replace('"', "\"\"").as_bytes());
                bytes.push(b'"');
            } else {
                bytes.extend_from_slice(text.as_bytes());
            }
            fields.push(text);
        }
        expected.push((fields, offset, line));
        let last = index + 1 == records;
        if !last || rng.below(2) == 0 {
            bytes.extend_from_slice(if rng.below(3) == 0 { b"\r\n" } else { b"\n" });
        }
    }
    (bytes, expected)
}

/// A reader that hands out between 1 and 7 bytes at a time.
struct Trickle<'a> {
    bytes: &'a [u8],
    rng: Rng,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (1 + self.rng.below(7)).min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

/// Records as the scanner reads them: fields, byte offset, line.
fn scanned(reader: impl Read) -> Vec<(Vec<String>, u64, u64)> {
    let mut scanner = Scanner::new(reader, 0, 1);
    scanner.skip_bom().unwrap();
    let mut record = Record::default();
    let mut out = Vec::new();
    while let Some(position) = scanner.next_record(&mut record).unwrap() {
        let fields = record
            .iter()
            .map(|f| String::from_utf8(f.to_vec()).unwrap())
            .collect();
        out.push((fields, position.offset, position.line));
    }
    out
}

/// The fields of the records as the `csv` crate reads them.
fn reference(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut out = Vec::new();
    while reader.read_byte_record(&mut record).unwrap() {
        out.push(
            record
                .iter()
                .map(|f| String::from_utf8(f.to_vec()).unwrap())
                .collect(),
        );
    }
    out
}

#[test]
fn the_scanner_reads_what_the_csv_crate_reads() {
    for seed in 1..=3000_u64 {
        let mut rng = Rng::seeded(seed);
        let (bytes, expected) = document(&mut rng);
        let shown = String::from_utf8_lossy(&bytes).into_owned();
        // The fields as written are what the csv crate reads (the generator quotes correctly).
        // Positions come from the generator: the csv crate (1.4) gives a record that follows a
        // quoted field ended by CRLF one byte and one line less than where it starts, and the
        // first record behind a byte-order mark offset 0.
        let fields: Vec<Vec<String>> = expected.iter().map(|(f, _, _)| f.clone()).collect();
        assert_eq!(reference(&bytes), fields, "seed {seed}: {shown:?}");
        same(&scanned(bytes.as_slice()), &expected, seed, &shown);
        let trickle = Trickle {
            bytes: &bytes,
            rng: Rng(seed | 1),
        };
        same(&scanned(trickle), &expected, seed, &shown);
    }
}

type Read3 = Vec<(Vec<String>, u64, u64)>;

/// Asserts two readings agree, naming the first record where they do not.
fn same(scanned: &Read3, expected: &Read3, seed: u64, document: &str) {
    for (index, (ours, theirs)) in scanned.iter().zip(expected).enumerate() {
        assert_eq!(ours, theirs, "seed {seed}, record {index} of {document:?}");
    }
    assert_eq!(
        scanned.len(),
        expected.len(),
        "seed {seed}: record counts of {document:?}"
    );
}
