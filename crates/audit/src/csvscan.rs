//! A CSV record scanner built for the audit loop.
//!
//! It reads RFC 4180 CSV (quoted fields, `""` escapes, newlines inside quotes, CRLF or LF, a
//! leading byte-order mark) from any reader into one reusable [`Record`], and knows the byte
//! offset and the physical line where each record starts, which the findings cite and which the
//! parallel reader needs to split a file between threads. It allocates nothing per row once the
//! buffers have grown to the longest record.
//!
//! Records and fields are bounded ([`remit_store::limits::Limits`]): a record longer than
//! `record_bytes` or a field longer than `field_bytes` stops the scan with an error naming the
//! line and the limit, so the buffers never grow past about twice the record limit.

use std::io::Read;

use memchr::memchr2;
use remit_store::limits::{Limits, exceeded, quote_bytes};

/// One record: its raw bytes copied in one piece, and each field's span in them. Fields with
/// `""` escapes are unescaped into the tail of the same buffer.
#[derive(Debug, Default, Clone)]
pub struct Record {
    data: Vec<u8>,
    spans: Vec<(u32, u32)>,
    /// Indices of fields whose span still holds `""` escapes.
    escaped: Vec<usize>,
}

impl Record {
    /// How many fields the record holds.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether the record holds no field.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Field `index`, or an empty slice past the end.
    pub fn get(&self, index: usize) -> &[u8] {
        match self.spans.get(index) {
            Some(&(start, end)) => &self.data[start as usize..end as usize],
            None => &[],
        }
    }

    /// Empties the record, keeping its buffers for the next one.
    pub fn clear(&mut self) {
        self.data.clear();
        self.spans.clear();
        self.escaped.clear();
    }

    /// Builds a record from fields (for readers that are not CSV).
    pub fn push(&mut self, field: &[u8]) {
        let start = self.data.len() as u32;
        self.data.extend_from_slice(field);
        self.spans.push((start, self.data.len() as u32));
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Copies the raw record and resolves escaped fields (after [`parse_record`] set the spans).
    fn settle(&mut self, raw: &[u8]) {
        self.data.extend_from_slice(raw);
        for k in 0..self.escaped.len() {
            let i = self.escaped[k];
            let (start, end) = self.spans[i];
            let from = self.data.len();
            let mut j = start as usize;
            while j < end as usize {
                let byte = self.data[j];
                self.data.push(byte);
                // INVARIANT: inside a quoted field a quote is always doubled.
                j += if byte == b'"' { 2 } else { 1 };
            }
            self.spans[i] = (from as u32, self.data.len() as u32);
        }
    }
}

/// Where a record started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// Byte offset of the record's first byte in the input.
    pub offset: u64,
    /// Physical line (1-based, counting newlines inside quoted fields) of the record's start.
    pub line: u64,
}

/// The sizes a scanner accepts.
#[derive(Clone, Copy, Debug)]
struct Bounds {
    record: usize,
    field: usize,
}

impl Bounds {
    fn from_limits(limits: &Limits) -> Bounds {
        let cap = |v: u64| {
            usize::try_from(v)
                .unwrap_or(usize::MAX)
                .min(u32::MAX as usize - 1)
        };
        Bounds {
            record: cap(limits.record_bytes),
            field: cap(limits.field_bytes),
        }
    }

    /// Where an error says the record is: its line when lines count from the input's start,
    /// otherwise its byte offset (a scanner that starts mid-file counts lines from there).
    fn place(at: Position, absolute: bool) -> String {
        if absolute {
            format!("line {}", at.line)
        } else {
            format!("the record at byte {}", at.offset)
        }
    }

    /// Checks a complete record of `consumed` raw bytes. Free unless the record is longer than
    /// the field limit (no field can be longer than its record).
    #[inline(always)]
    fn check(
        &self,
        record: &Record,
        raw: &[u8],
        at: Position,
        absolute: bool,
    ) -> std::io::Result<()> {
        if raw.len() <= self.field {
            return Ok(());
        }
        if raw.len() > self.record {
            return Err(self.too_long(raw, at, absolute));
        }
        for (i, field) in record.iter().enumerate() {
            if field.len() > self.field {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "{}, field {}: {}; it begins `{}`",
                        Self::place(at, absolute),
                        i + 1,
                        exceeded(
                            &format!("a field of {} bytes", field.len()),
                            self.field as u64,
                            "REMIT_MAX_FIELD_BYTES"
                        ),
                        quote_bytes(field)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The error for a record that is longer than the limit (`seen`: as much of it as was read).
    fn too_long(&self, seen: &[u8], at: Position, absolute: bool) -> std::io::Error {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "{}: {}; it begins `{}`",
                Self::place(at, absolute),
                exceeded("the record", self.record as u64, "REMIT_MAX_RECORD_BYTES"),
                quote_bytes(&seen[..seen.len().min(self.record)])
            ),
        )
    }
}

enum Parse {
    /// A record of `consumed` bytes that contained `newlines` newline bytes (its terminator too).
    Complete { consumed: usize, newlines: u64 },
    /// The buffer ends inside the record.
    Incomplete,
}

/// A streaming 64-bit hash (not for security): the same bytes give the same value however they
/// are split between calls. Used for content hashes of inputs. Four lanes take 32 bytes at a
/// time, so the multiplications of one step do not wait on each other.
#[derive(Clone, Copy, Debug, Default)]
pub struct StreamHash {
    lanes: [u64; 4],
    pending: [u8; 32],
    pending_len: usize,
    len: u64,
}

impl StreamHash {
    const P: u64 = 0x9E37_79B9_7F4A_7C15;

    /// A hash of no bytes yet.
    pub fn new() -> StreamHash {
        StreamHash {
            lanes: [
                0xcbf2_9ce4_8422_2325,
                0x8422_2325_cbf2_9ce4,
                0x2722_0a95_517c_c1b7,
                0x517c_c1b7_2722_0a95,
            ],
            ..StreamHash::default()
        }
    }

    #[inline(always)]
    fn mix(lane: u64, word: u64) -> u64 {
        (lane ^ word).wrapping_mul(Self::P).rotate_left(29)
    }

    #[inline(always)]
    fn block(lanes: &mut [u64; 4], block: &[u8]) {
        for (lane, word) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            let mut bytes = [0_u8; 8];
            bytes.copy_from_slice(word);
            *lane = Self::mix(*lane, u64::from_le_bytes(bytes));
        }
    }

    /// Adds `bytes` after those already hashed.
    pub fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.pending_len > 0 {
            let take = (32 - self.pending_len).min(bytes.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&bytes[..take]);
            self.pending_len += take;
            bytes = &bytes[take..];
            if self.pending_len < 32 {
                return;
            }
            let pending = self.pending;
            Self::block(&mut self.lanes, &pending);
            self.pending_len = 0;
        }
        let mut blocks = bytes.chunks_exact(32);
        let mut lanes = self.lanes;
        for block in &mut blocks {
            Self::block(&mut lanes, block);
        }
        self.lanes = lanes;
        let rest = blocks.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    /// The 64-bit hash of every byte added so far (more may still be added).
    pub fn finish(&self) -> u64 {
        let mut lanes = self.lanes;
        if self.pending_len > 0 {
            let mut last = [0_u8; 32];
            last[..self.pending_len].copy_from_slice(&self.pending[..self.pending_len]);
            Self::block(&mut lanes, &last);
        }
        let mut state = self.len;
        for lane in lanes {
            state = Self::mix(state, lane);
        }
        (state ^ (state >> 31)).wrapping_mul(Self::P)
    }
}

/// Reads records from `reader`.
#[derive(Debug)]
pub struct Scanner<R> {
    reader: R,
    buffer: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// Input offset of `buffer[0]`.
    base: u64,
    /// Line of the next record.
    line: u64,
    delimiter: u8,
    /// Hash of the consumed bytes before `buffer[hashed]` (records, blank lines, the
    /// byte-order mark); the rest up to `start` is hashed in bulk when the buffer moves.
    hash: StreamHash,
    hashed: usize,
    bounds: Bounds,
    /// Whether lines count from the start of the input (the scanner started at its first byte).
    absolute: bool,
}

const INITIAL_BUFFER: usize = 1 << 20;

impl<R: Read> Scanner<R> {
    /// A scanner whose first byte is at input `offset` on line `line`.
    pub fn new(reader: R, offset: u64, line: u64) -> Scanner<R> {
        Scanner {
            reader,
            buffer: vec![0; INITIAL_BUFFER],
            start: 0,
            end: 0,
            eof: false,
            base: offset,
            line,
            delimiter: b',',
            hash: StreamHash::new(),
            hashed: 0,
            bounds: Bounds::from_limits(&Limits::get()),
            absolute: offset == 0 && line == 1,
        }
    }

    /// Uses `limits` instead of the process's limits.
    pub fn with_limits(mut self, limits: &Limits) -> Scanner<R> {
        self.bounds = Bounds::from_limits(limits);
        self
    }

    /// Starts the content hash from `hash` (bytes before `offset` that belong to the same hash).
    pub fn with_hash(mut self, hash: StreamHash) -> Scanner<R> {
        self.hash = hash;
        self
    }

    /// The hash of the bytes consumed so far.
    pub fn hash(&self) -> StreamHash {
        let mut hash = self.hash;
        hash.update(&self.buffer[self.hashed..self.start]);
        hash
    }

    /// Splits fields on `delimiter` instead of a comma.
    pub fn with_delimiter(mut self, delimiter: u8) -> Scanner<R> {
        self.delimiter = delimiter;
        self
    }

    /// Skips a UTF-8 byte-order mark if the input starts with one.
    pub fn skip_bom(&mut self) -> std::io::Result<()> {
        while self.end - self.start < 3 && !self.eof {
            self.fill()?;
        }
        if self.buffer[self.start..self.end].starts_with(b"\xEF\xBB\xBF") {
            self.start += 3;
        }
        Ok(())
    }

    /// The position the next record will start at.
    pub fn position(&self) -> Position {
        Position {
            offset: self.base + self.start as u64,
            line: self.line,
        }
    }

    fn fill(&mut self) -> std::io::Result<()> {
        self.hash.update(&self.buffer[self.hashed..self.start]);
        self.hashed = 0;
        if self.start > 0 {
            self.buffer.copy_within(self.start..self.end, 0);
            self.base += self.start as u64;
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buffer.len() {
            let grown = self.buffer.len() * 2;
            self.buffer.resize(grown, 0);
        }
        // Read until at least half of the free space is filled (or the input ends), so that a
        // reader handing out a few bytes at a time does not make re-parsing a long record
        // quadratic.
        let wanted = self.end + (self.buffer.len() - self.end).div_ceil(2);
        while self.end < wanted {
            match self.reader.read(&mut self.buffer[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => self.end += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Reads the next record into `record`. Blank lines are skipped (their lines still count).
    pub fn next_record(&mut self, record: &mut Record) -> std::io::Result<Option<Position>> {
        loop {
            if self.start == self.end {
                if self.eof {
                    return Ok(None);
                }
                self.fill()?;
                continue;
            }
            let position = self.position();
            match parse_record(
                &self.buffer[self.start..self.end],
                self.eof,
                self.delimiter,
                record,
            ) {
                Parse::Complete { consumed, newlines } => {
                    self.bounds.check(
                        record,
                        &self.buffer[self.start..self.start + consumed],
                        position,
                        self.absolute,
                    )?;
                    self.start += consumed;
                    self.line += newlines;
                    if record.len() == 1 && record.get(0).is_empty() {
                        continue;
                    }
                    return Ok(Some(position));
                }
                Parse::Incomplete if self.end - self.start > self.bounds.record => {
                    return Err(self.bounds.too_long(
                        &self.buffer[self.start..self.end],
                        position,
                        self.absolute,
                    ));
                }
                Parse::Incomplete => self.fill()?,
            }
        }
    }
}

/// How many parsed bytes a [`SliceScanner`] lets pass before it adds them to its hash: small
/// enough that they are still in the cache.
const HASH_STEP: usize = 64 * 1024;

/// Reads records straight from bytes already in memory (a memory-mapped file): the same records,
/// positions and hash as a [`Scanner`] over the same bytes, without copying them into a buffer
/// first. The end of the bytes is the end of the input.
#[derive(Debug)]
pub struct SliceScanner<'a> {
    input: &'a [u8],
    at: usize,
    /// Input offset of `input[0]`.
    base: u64,
    line: u64,
    delimiter: u8,
    /// Hash of `input[..hashed]` (after the starting hash).
    hash: StreamHash,
    hashed: usize,
    bounds: Bounds,
    absolute: bool,
}

impl<'a> SliceScanner<'a> {
    /// A scanner over `input`, whose first byte is at input `offset` on line `line`, with the
    /// content hash starting from `hash`.
    pub fn new(input: &'a [u8], offset: u64, line: u64, hash: StreamHash) -> SliceScanner<'a> {
        SliceScanner {
            input,
            at: 0,
            base: offset,
            line,
            delimiter: b',',
            hash,
            hashed: 0,
            bounds: Bounds::from_limits(&Limits::get()),
            absolute: offset == 0 && line == 1,
        }
    }

    /// Uses `limits` instead of the process's limits.
    pub fn with_limits(mut self, limits: &Limits) -> SliceScanner<'a> {
        self.bounds = Bounds::from_limits(limits);
        self
    }

    /// The position the next record will start at.
    pub fn position(&self) -> Position {
        Position {
            offset: self.base + self.at as u64,
            line: self.line,
        }
    }

    /// The hash of the bytes consumed so far.
    pub fn hash(&self) -> StreamHash {
        let mut hash = self.hash;
        hash.update(&self.input[self.hashed..self.at]);
        hash
    }

    /// Reads the next record into `record`. Blank lines are skipped (their lines still count).
    /// A record or field past the limits is an error.
    pub fn next_record(&mut self, record: &mut Record) -> std::io::Result<Option<Position>> {
        while self.at < self.input.len() {
            let position = self.position();
            // Parse at most one byte more than the longest record allowed, so that a line with
            // no end is refused without being copied.
            let window_end = self
                .input
                .len()
                .min(self.at.saturating_add(self.bounds.record + 1));
            let window = &self.input[self.at..window_end];
            let eof = window_end == self.input.len();
            match parse_record(window, eof, self.delimiter, record) {
                Parse::Complete { consumed, newlines } => {
                    self.bounds
                        .check(record, &window[..consumed], position, self.absolute)?;
                    self.at += consumed;
                    self.line += newlines;
                    if self.at - self.hashed >= HASH_STEP {
                        self.hash.update(&self.input[self.hashed..self.at]);
                        self.hashed = self.at;
                    }
                    if record.len() == 1 && record.get(0).is_empty() {
                        continue;
                    }
                    return Ok(Some(position));
                }
                // At the end of the input every record is complete.
                Parse::Incomplete if eof => self.at = self.input.len(),
                Parse::Incomplete => {
                    return Err(self.bounds.too_long(window, position, self.absolute));
                }
            }
        }
        Ok(None)
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// The high bit of every byte of `word` that equals `byte` (exactly: no false positives).
#[inline(always)]
fn bytes_equal(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    !(((x & LOWS) + LOWS) | x | LOWS)
}

/// The first `byte` or newline at or after `at`. Fields are short (a dozen bytes on average),
/// so eight bytes at a time in registers beats a call into a vectorised search per field; past
/// `WINDOW` bytes the rest goes to `memchr2`.
#[inline(always)]
fn find_either<const WINDOW: usize>(input: &[u8], at: usize, byte: u8) -> Option<usize> {
    let mut i = at;
    let limit = input.len().min(at + WINDOW);
    while i + 8 <= limit {
        let mut word = [0_u8; 8];
        word.copy_from_slice(&input[i..i + 8]);
        let word = u64::from_le_bytes(word);
        let hits = bytes_equal(word, byte) | bytes_equal(word, b'\n');
        if hits != 0 {
            return Some(i + (hits.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    memchr2(byte, b'\n', &input[i..]).map(|k| i + k)
}

/// Where the unquoted field at `at` ends: the first `delimiter` or newline.
#[inline(always)]
fn find_end(input: &[u8], at: usize, delimiter: u8) -> Option<usize> {
    find_either::<32>(input, at, delimiter)
}

/// The first quote or newline inside a quoted field (a timestamp, a time frame: words in
/// registers for the first 64 bytes).
#[inline(always)]
fn find_quote(input: &[u8], at: usize) -> Option<usize> {
    find_either::<64>(input, at, b'"')
}

/// Parses one record from the front of `input`: sets the field spans (relative to `input`)
/// and, when complete, copies the record. At `eof`, the end of input ends the record.
fn parse_record(input: &[u8], eof: bool, delimiter: u8, record: &mut Record) -> Parse {
    record.clear();
    let mut at = 0;
    let mut newlines = 0;
    loop {
        // At the start of a field.
        if input.get(at) == Some(&b'"') {
            at += 1;
            let start = at;
            let mut escaped = false;
            let end;
            loop {
                // Newlines inside quotes are rare: count them as they come.
                let Some(hit) = find_quote(input, at).map(|i| i - at) else {
                    if eof {
                        // An unterminated quote runs to the end of the input.
                        end = input.len();
                        at = input.len();
                        break;
                    }
                    return Parse::Incomplete;
                };
                at += hit + 1;
                if input[at - 1] == b'\n' {
                    newlines += 1;
                    continue;
                }
                match input.get(at) {
                    Some(b'"') => {
                        escaped = true;
                        at += 1;
                    }
                    None if !eof => return Parse::Incomplete,
                    _ => {
                        end = at - 1;
                        break;
                    }
                }
            }
            if escaped {
                record.escaped.push(record.spans.len());
            }
            record.spans.push((start as u32, end as u32));
            // After the closing quote, anything up to the delimiter is dropped (lenient about
            // `"a"b`); nearly always the delimiter is the next byte.
            match input.get(at) {
                Some(&b) if b == delimiter || b == b'\n' => {}
                _ => match memchr2(delimiter, b'\n', &input[at..]) {
                    Some(i) => at += i,
                    None if eof => at = input.len(),
                    None => return Parse::Incomplete,
                },
            }
        } else {
            match find_end(input, at, delimiter) {
                Some(end) => {
                    let trimmed = if input[end] == b'\n' && end > at && input[end - 1] == b'\r' {
                        end - 1
                    } else {
                        end
                    };
                    record.spans.push((at as u32, trimmed as u32));
                    at = end;
                }
                None if eof => {
                    let end = if input.last() == Some(&b'\r') {
                        input.len() - 1
                    } else {
                        input.len()
                    };
                    record.spans.push((at as u32, end.max(at) as u32));
                    at = input.len();
                }
                None => return Parse::Incomplete,
            }
        }
        match input.get(at) {
            Some(&b) if b == delimiter => at += 1,
            Some(b'\n') => {
                record.settle(&input[..at]);
                return Parse::Complete {
                    consumed: at + 1,
                    newlines: newlines + 1,
                };
            }
            _ => {
                record.settle(&input[..at]);
                return Parse::Complete {
                    consumed: at,
                    newlines,
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8]) -> Vec<(Position, Vec<String>)> {
        // A tiny reader that hands out 3 bytes at a time, to exercise refills mid-record.
        struct Slow<'a>(&'a [u8]);
        impl Read for Slow<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(3).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut scanner = Scanner::new(Slow(input), 0, 1);
        scanner.skip_bom().unwrap();
        let mut record = Record::default();
        let mut out = Vec::new();
        while let Some(position) = scanner.next_record(&mut record).unwrap() {
            out.push((
                position,
                record
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect(),
            ));
        }
        out
    }

    /// The same records, positions and hashes from a slice as from a stream, from any start.
    #[test]
    fn slice_scanner_agrees_with_the_stream_scanner() {
        let input: &[u8] = b"a,b,c\r\n\"x, \"\"y\"\"\",\"line\none\",3\r\n\r\nlast,,\n1,\"open";
        for start in [0, 7, 8, 30] {
            let mut stream = Scanner::new(&input[start..], start as u64, 1);
            let mut slice = SliceScanner::new(&input[start..], start as u64, 1, StreamHash::new());
            let (mut a, mut b) = (Record::default(), Record::default());
            loop {
                let x = stream.next_record(&mut a).unwrap();
                let y = slice.next_record(&mut b).unwrap();
                assert_eq!(x, y, "{start}");
                assert_eq!(stream.position(), slice.position(), "{start}");
                assert_eq!(stream.hash().finish(), slice.hash().finish(), "{start}");
                if x.is_none() {
                    break;
                }
                assert_eq!(a.iter().collect::<Vec<_>>(), b.iter().collect::<Vec<_>>());
            }
        }
        // Past the hashing step too.
        let long: Vec<u8> = b"x,y\n".repeat(3 * HASH_STEP / 4);
        let mut stream = Scanner::new(&long[..], 0, 1);
        let mut slice = SliceScanner::new(&long, 0, 1, StreamHash::new());
        let mut record = Record::default();
        while stream.next_record(&mut record).unwrap().is_some() {}
        let mut count = 0;
        while slice.next_record(&mut record).unwrap().is_some() {
            count += 1;
        }
        assert_eq!(count, 3 * HASH_STEP / 4);
        assert_eq!(stream.hash().finish(), slice.hash().finish());
        assert_eq!(stream.position(), slice.position());
    }

    #[test]
    fn quotes_newlines_crlf_and_bom() {
        let input = b"\xEF\xBB\xBFa,b,c\r\n\"x, \"\"y\"\"\",\"line\none\",3\r\n\r\nlast,,\n";
        let records = all(input);
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].1, ["a", "b", "c"]);
        assert_eq!(records[1].1, ["x, \"y\"", "line\none", "3"]);
        assert_eq!(records[1].0.line, 2);
        // The quoted newline counts as a physical line; the blank line is skipped.
        assert_eq!(records[2].0.line, 5);
        assert_eq!(records[2].1, ["last", "", ""]);
        assert_eq!(records[2].0.offset, input.len() as u64 - 7);
    }

    #[test]
    fn no_final_newline_and_unterminated_quote() {
        let records = all(b"a,b\n1,\"open");
        assert_eq!(records[1].1, ["1", "open"]);
        let records = all(b"a,b\n1,2");
        assert_eq!(records[1].1, ["1", "2"]);
    }

    #[test]
    fn stream_hash_ignores_how_bytes_are_split() {
        let bytes: Vec<u8> = (0..200_u32).map(|i| (i * 7 + 3) as u8).collect();
        let bytes = &bytes[..];
        let mut whole = StreamHash::new();
        whole.update(bytes);
        for split in [1, 3, 7, 8, 9, 20, 31, 32, 33, 64, 199] {
            let mut parts = StreamHash::new();
            for piece in bytes.chunks(split) {
                parts.update(piece);
            }
            assert_eq!(parts.finish(), whole.finish(), "{split}");
        }
        // One byte changed anywhere, or one zero byte more, changes the hash.
        for at in [0, 31, 32, 100, 199] {
            let mut changed = bytes.to_vec();
            changed[at] ^= 1;
            let mut other = StreamHash::new();
            other.update(&changed);
            assert_ne!(other.finish(), whole.finish(), "{at}");
        }
        let mut longer = StreamHash::new();
        longer.update(bytes);
        longer.update(&[0]);
        assert_ne!(longer.finish(), whole.finish());
    }

    #[test]
    fn field_ends_are_found_at_every_offset_and_length() {
        // Every position of the delimiter and the newline relative to the 8-byte words, and
        // bytes that differ from them by one bit or by the high bit (no false hits).
        for len in 0..80 {
            for at in 0..3 {
                let mut input = vec![b'a'; at];
                input.extend(std::iter::repeat_n(b'-', len));
                input.extend([0xAC, 0x8A, b'\x0b']);
                for end in [b',', b'\n'] {
                    let mut with_end = input.clone();
                    with_end.push(end);
                    with_end.extend(b"x,y\n");
                    let expected = at + len + 3;
                    assert_eq!(find_end(&with_end, at, b','), Some(expected), "{len} {at}");
                }
                assert_eq!(find_end(&input, at, b','), None, "{len} {at}");
                assert_eq!(find_end(&input, at, b';'), None, "{len} {at}");
            }
        }
        assert_eq!(find_end(b"a;b,c", 0, b';'), Some(1));
    }

    #[test]
    fn quotes_are_found_at_every_offset_and_length() {
        for len in 0..100 {
            for at in 0..3 {
                let mut input = vec![b'a'; at];
                input.extend(std::iter::repeat_n(b',', len));
                input.extend([0xA2, b'\x22' ^ 0x80, b'#']);
                for end in [b'"', b'\n'] {
                    let mut with_end = input.clone();
                    with_end.push(end);
                    with_end.extend(b"x\"");
                    assert_eq!(find_quote(&with_end, at), Some(at + len + 3), "{len} {at}");
                }
                assert_eq!(find_quote(&input, at), None, "{len} {at}");
            }
        }
        // A quoted field right up to a record's end, and text after a closing quote.
        let records = all(b"a,b\n\"x,y\",\"t\"\n\"p\"q,r\n");
        assert_eq!(records[1].1, ["x,y", "t"]);
        assert_eq!(records[2].1, ["p", "r"]);
    }

    #[test]
    fn long_records_grow_the_buffer_up_to_the_limit() {
        let long = "z".repeat(3 * INITIAL_BUFFER);
        let input = format!("h\n\"{long}\"\nend\n");
        // Past the default limits: refused, at its line, for the stream and the slice.
        let mut record = Record::default();
        let mut scanner = Scanner::new(input.as_bytes(), 0, 1);
        assert!(scanner.next_record(&mut record).unwrap().is_some());
        let error = scanner.next_record(&mut record).unwrap_err().to_string();
        assert!(error.starts_with("line 2: the record is larger"), "{error}");
        assert!(error.len() < 300, "{error}");
        let mut slice = SliceScanner::new(input.as_bytes(), 0, 1, StreamHash::new());
        assert!(slice.next_record(&mut record).unwrap().is_some());
        let error = slice.next_record(&mut record).unwrap_err().to_string();
        assert!(error.starts_with("line 2: the record is larger"), "{error}");
        // With the limits raised, the buffer grows to hold it.
        let limits = Limits {
            record_bytes: 4 * INITIAL_BUFFER as u64,
            field_bytes: 4 * INITIAL_BUFFER as u64,
            ..Limits::default()
        };
        let mut scanner = Scanner::new(input.as_bytes(), 0, 1).with_limits(&limits);
        let mut fields = Vec::new();
        while scanner.next_record(&mut record).unwrap().is_some() {
            fields.push(record.get(0).len());
        }
        assert_eq!(fields, [1, long.len(), 3]);
        let mut slice =
            SliceScanner::new(input.as_bytes(), 0, 1, StreamHash::new()).with_limits(&limits);
        assert!(slice.next_record(&mut record).unwrap().is_some());
        assert!(slice.next_record(&mut record).unwrap().is_some());
        assert_eq!(record.get(0).len(), long.len());
    }

    #[test]
    fn a_long_field_is_refused_only_past_the_field_limit() {
        let limits = Limits {
            field_bytes: 10,
            ..Limits::default()
        };
        let input = b"a,b\n0123456789,x\n01234567890,x\n";
        let mut scanner = Scanner::new(&input[..], 0, 1).with_limits(&limits);
        let mut record = Record::default();
        assert!(scanner.next_record(&mut record).unwrap().is_some());
        assert!(scanner.next_record(&mut record).unwrap().is_some());
        let error = scanner.next_record(&mut record).unwrap_err().to_string();
        assert!(
            error.starts_with("line 3, field 1: a field of 11 bytes"),
            "{error}"
        );
        assert!(error.contains("`01234567890`"), "{error}");
    }
}
