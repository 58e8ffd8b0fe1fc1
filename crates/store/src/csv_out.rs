//! CSV for people: every CSV file or page Remit writes goes through this module, so that a cell
//! cannot run as a spreadsheet formula when the file is opened.
//!
//! The rule is OWASP's: a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is
//! written with a single quote in front (`'=HYPERLINK(...)`), which spreadsheets show as text.
//! A plain number (`-3`, `-0.5`) is data, not a formula, and is kept as it is. `raw` turns the
//! rule off, for programs that read the file back (`--raw-csv` on the command line, `?raw=1` on
//! the web).

use std::borrow::Cow;
use std::io::Write;

/// Whether a cell would be taken as a formula by a spreadsheet.
pub fn is_formula(cell: &[u8]) -> bool {
    match cell.first() {
        Some(b'=' | b'+' | b'@' | b'\t' | b'\r') => true,
        Some(b'-') => !is_negative_number(cell),
        _ => false,
    }
}

/// `-` then digits, with at most one decimal point and at least one digit: `-3`, `-0.5`, `-.5`.
fn is_negative_number(cell: &[u8]) -> bool {
    let Some(rest) = cell.strip_prefix(b"-") else {
        return false;
    };
    let (whole, fraction) = match rest.iter().position(|&b| b == b'.') {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    let digits = |part: &[u8]| part.iter().all(u8::is_ascii_digit);
    match fraction {
        None => !whole.is_empty() && digits(whole),
        Some(fraction) => !fraction.is_empty() && digits(whole) && digits(fraction),
    }
}

/// The cell as it is written: with a quote in front when it would be a formula (and not `raw`).
pub fn cell(text: &str, raw: bool) -> Cow<'_, str> {
    if !raw && is_formula(text.as_bytes()) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// [`cell`] on bytes.
pub fn cell_bytes(field: &[u8], raw: bool) -> Cow<'_, [u8]> {
    if !raw && is_formula(field) {
        let mut out = Vec::with_capacity(field.len() + 1);
        out.push(b'\'');
        out.extend_from_slice(field);
        Cow::Owned(out)
    } else {
        Cow::Borrowed(field)
    }
}

/// Appends `field` as one CSV field to a row being assembled by hand: neutralised as [`cell`],
/// then quoted (RFC 4180) only when it must be, as the `csv` crate does.
pub fn push_field(out: &mut Vec<u8>, field: &[u8], raw: bool) {
    let neutral = !raw && is_formula(field);
    let quoted = field
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    if quoted {
        out.push(b'"');
    }
    if neutral {
        out.push(b'\'');
    }
    if quoted {
        for &b in field {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(field);
    }
}

/// A CSV writer (the `csv` crate's, RFC 4180) that neutralises every cell unless `raw`.
#[derive(Debug)]
pub struct Writer<W: Write> {
    inner: csv::Writer<W>,
    raw: bool,
}

impl<W: Write> Writer<W> {
    /// A writer to `out`; `raw` writes cells as they are.
    pub fn new(out: W, raw: bool) -> Writer<W> {
        Writer {
            inner: csv::Writer::from_writer(out),
            raw,
        }
    }

    /// Whether the rows still to come are written as they are.
    pub fn set_raw(&mut self, raw: bool) {
        self.raw = raw;
    }

    /// Writes one row.
    pub fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let raw = self.raw;
        self.inner.write_record(
            record
                .into_iter()
                .map(|field| cell_bytes(field.as_ref(), raw).into_owned()),
        )
    }

    /// Flushes the rows written so far.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }

    /// Flushes and gives back the output.
    pub fn into_inner(self) -> std::io::Result<W> {
        self.inner
            .into_inner()
            .map_err(csv::IntoInnerError::into_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_quoted_and_numbers_kept() {
        for formula in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1+2",
            "@SUM(A1)",
            "-2+3",
            "-A1",
            "-",
            "-1e5",
            "-3-",
            "-.",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(cell(formula, false), format!("'{formula}"), "{formula:?}");
            assert_eq!(cell(formula, true), formula);
        }
        for data in ["-3", "-0.5", "-.5", "12", "", "a=b", " =1", "'=1", "3-4"] {
            assert_eq!(cell(data, false), data, "{data:?}");
        }
    }

    #[test]
    fn hand_rows_match_the_writer() {
        let cells = ["=1,2", "plain", "\"=q\"", "-7", "@x", "a\nb", "\r=x"];
        let mut writer = Writer::new(Vec::new(), false);
        writer.write_record(cells).ok();
        let by_writer = writer.into_inner().unwrap_or_default();
        let mut by_hand = Vec::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                by_hand.push(b',');
            }
            push_field(&mut by_hand, c.as_bytes(), false);
        }
        by_hand.push(b'\n');
        assert_eq!(
            String::from_utf8_lossy(&by_hand),
            String::from_utf8_lossy(&by_writer)
        );
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(by_hand.as_slice());
        let row = reader
            .records()
            .next()
            .and_then(Result::ok)
            .unwrap_or_default();
        let read: Vec<&str> = row.iter().collect();
        assert_eq!(
            read,
            ["'=1,2", "plain", "\"=q\"", "-7", "'@x", "a\nb", "'\r=x"]
        );
    }
}
