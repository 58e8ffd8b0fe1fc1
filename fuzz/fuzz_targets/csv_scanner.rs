//! The audit's CSV scanner: the streaming `Scanner` (fed in small, uneven reads) and the
//! `SliceScanner` (over bytes in memory) must give the same records, positions, errors and
//! content hash for any input; every record must come back the same when written out as CSV and
//! read again; records and fields stay within the limits; errors name a line and stay short.
#![no_main]

use std::io::Read;

use libfuzzer_sys::fuzz_target;
use remit_audit::csvscan::{Record, Scanner, SliceScanner, StreamHash};
use remit_store::limits::Limits;

/// Hands out the input a few bytes at a time, so that records cross the scanner's buffer.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let n = buffer.len().min(self.step).min(self.data.len());
        buffer[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// Small limits, so that the fuzzer reaches them with small inputs.
const LIMITS: Limits = Limits {
    record_bytes: 512,
    field_bytes: 128,
    columns: 1_000,
    decompressed_bytes: 64 << 30,
    compression_ratio: 200,
    sheet_rows: 1_000_000,
    sheet_cells: 10_000_000,
    workbook_part_bytes: 128 << 20,
};

fn fields(record: &Record) -> Vec<Vec<u8>> {
    record.iter().map(<[u8]>::to_vec).collect()
}

/// Writes a record as one CSV line, every field quoted.
fn write_line(fields: &[Vec<u8>]) -> Vec<u8> {
    let mut line = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        line.push(b'"');
        for &byte in field {
            if byte == b'"' {
                line.push(b'"');
            }
            line.push(byte);
        }
        line.push(b'"');
    }
    line.push(b'\n');
    line
}

fuzz_target!(|input: &[u8]| {
    let Some((&control, data)) = input.split_first() else {
        return;
    };
    let step = 1 + usize::from(control & 0x3f) * 3;
    let mut stream = Scanner::new(Trickle { data, step }, 0, 1).with_limits(&LIMITS);
    let mut slice = SliceScanner::new(data, 0, 1, StreamHash::new()).with_limits(&LIMITS);
    let (mut a, mut b) = (Record::default(), Record::default());
    let mut last_offset = None;
    loop {
        match (stream.next_record(&mut a), slice.next_record(&mut b)) {
            (Ok(Some(pa)), Ok(Some(pb))) => {
                assert_eq!(pa, pb, "the two scanners disagree on a record's position");
                let fa = fields(&a);
                assert_eq!(
                    fa,
                    fields(&b),
                    "the two scanners disagree at line {}",
                    pa.line
                );
                assert!(pa.offset < data.len() as u64);
                assert!(last_offset < Some(pa.offset), "positions go backwards");
                last_offset = Some(pa.offset);
                let newlines = data[..pa.offset as usize]
                    .iter()
                    .filter(|&&c| c == b'\n')
                    .count() as u64;
                assert_eq!(pa.line, newlines + 1, "line of the record at {}", pa.offset);
                assert!(fa.iter().all(|f| f.len() <= 128), "a field past the limit");
                let total: usize = fa.iter().map(Vec::len).sum();
                assert!(total <= 512, "a record past the limit");
                // Written out and read again, the record is the same.
                let line = write_line(&fa);
                let mut again = SliceScanner::new(&line, 0, 1, StreamHash::new())
                    .with_limits(&Limits::default());
                let mut c = Record::default();
                let read = again.next_record(&mut c);
                assert!(
                    matches!(read, Ok(Some(_))),
                    "the rewritten record is not read back"
                );
                assert_eq!(fields(&c), fa, "the rewritten record reads differently");
                assert!(matches!(again.next_record(&mut c), Ok(None)));
            }
            (Ok(None), Ok(None)) => {
                let mut whole = StreamHash::new();
                whole.update(data);
                assert_eq!(
                    stream.hash().finish(),
                    slice.hash().finish(),
                    "hashes differ"
                );
                assert_eq!(
                    slice.hash().finish(),
                    whole.finish(),
                    "hash is not the input's"
                );
                break;
            }
            (Err(ea), Err(eb)) => {
                let (ea, eb) = (ea.to_string(), eb.to_string());
                assert_eq!(ea, eb, "the two scanners fail differently");
                assert!(ea.starts_with("line "), "the error names no line: {ea}");
                // A short prefix, a quote of at most 80 characters (control characters escaped).
                assert!(ea.len() < 1_200, "an error of {} bytes: {ea}", ea.len());
                break;
            }
            (ra, rb) => panic!(
                "the two scanners disagree: stream {:?}, slice {:?}",
                ra.map(|p| p.map(|p| p.line)),
                rb.map(|p| p.map(|p| p.line))
            ),
        }
    }
});
