//! Timestamps as plate-reader exports write them, read into seconds since 1970 UTC.
//!
//! The real exports use at least these forms (all seen in `../shared/data/alpr`):
//!
//! - `2025-06-18 00:02:04.789` (Eugene portal export; no zone, UTC per its own PST column)
//! - `2026-03-10T04:31:52.901Z` (San Mateo portal export, transparency-portal archives)
//! - `11/14/2025, 09:53:36 AM UTC` (Okaloosa organization audit)
//! - Excel serial day numbers such as `45826.0014` (XLSX cells, Eugene and Irvine workbooks)
//!
//! and this parser also takes the neighbours of those forms that other releases use: ISO with
//! an offset (`+00:00`, `-0700`), `M/D/YYYY H:MM[:SS] [AM|PM]` with or without the comma,
//! two-digit years, US zone abbreviations (`PST`, `EDT`, ...), date-only values, and Unix
//! seconds or milliseconds. A time without a zone is taken as UTC; `--utc-offset` shifts it.
//!
//! The parser works on bytes and allocates nothing: it runs once per row.

/// Seconds since 1970-01-01T00:00:00Z.
pub type UnixSeconds = i64;

/// Days since 1970-01-01 of a civil date (the law's one copy of the algorithm).
pub use remit_law::date::days_from_civil;

/// `(year, month)` of a day number.
pub fn year_month(days: i64) -> (i32, u8) {
    let date = remit_law::Date::from_days_since_epoch(days);
    (date.year(), date.month())
}

/// Formats seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_utc(seconds: UnixSeconds) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let date = remit_law::Date::from_days_since_epoch(days);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date,
        rest / 3600,
        (rest / 60) % 60,
        rest % 60
    )
}

/// Writes `YYYY-MM-DDTHH:MM:SSZ` into `buffer` without allocating (years 0..=9999).
pub fn format_utc_into(buffer: &mut [u8; 20], seconds: UnixSeconds) -> &[u8] {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let date = remit_law::Date::from_days_since_epoch(days);
    let year = date.year().clamp(0, 9999) as u32;
    let digits = |value: u32, width: usize, out: &mut [u8]| {
        let mut v = value;
        for i in (0..width).rev() {
            out[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    digits(year, 4, &mut buffer[0..4]);
    buffer[4] = b'-';
    digits(u32::from(date.month()), 2, &mut buffer[5..7]);
    buffer[7] = b'-';
    digits(u32::from(date.day()), 2, &mut buffer[8..10]);
    buffer[10] = b'T';
    digits((rest / 3600) as u32, 2, &mut buffer[11..13]);
    buffer[13] = b':';
    digits(((rest / 60) % 60) as u32, 2, &mut buffer[14..16]);
    buffer[16] = b':';
    digits((rest % 60) as u32, 2, &mut buffer[17..19]);
    buffer[19] = b'Z';
    &buffer[..]
}

/// Days in the month (year and month as the parser reads them; the month is checked first).
fn days_in_month(year: i64, month: u32) -> u32 {
    let year = i32::try_from(year).unwrap_or(i32::MAX);
    u32::from(remit_law::date::days_in_month(year, month as u8))
}

/// A tiny cursor over ASCII bytes.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// Reads 1 to `max` digits.
    fn number(&mut self, max: usize) -> Option<(u32, usize)> {
        let start = self.at;
        let mut value: u32 = 0;
        while self.at - start < max {
            match self.peek() {
                Some(b @ b'0'..=b'9') => {
                    value = value * 10 + u32::from(b - b'0');
                    self.at += 1;
                }
                _ => break,
            }
        }
        let count = self.at - start;
        (count > 0).then_some((value, count))
    }

    fn rest(&self) -> &[u8] {
        &self.bytes[self.at.min(self.bytes.len())..]
    }

    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }
}

/// `bytes` without ASCII whitespace at either end.
pub(crate) fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// Reads a timestamp. `default_offset` (seconds east of UTC) applies to times without a zone.
pub fn parse_timestamp(input: &[u8], default_offset: i32) -> Option<UnixSeconds> {
    if let Some(seconds) = parse_flock(input) {
        return Some(seconds);
    }
    let bytes = trim(input);
    let first = *bytes.first()?;
    if !first.is_ascii_digit() {
        return None;
    }
    // Find the first separator to tell the forms apart.
    let separator = bytes.iter().position(|b| !b.is_ascii_digit());
    match separator.map(|i| (i, bytes[i])) {
        Some((4, b'-')) => parse_iso(bytes, default_offset),
        Some((1 | 2, b'/')) => parse_us(bytes, default_offset),
        Some((_, b'.')) | None => parse_number(bytes),
        _ => None,
    }
}

/// The form every Flock audit writes, `MM/DD/YYYY, HH:MM:SS AM UTC`, read at fixed
/// positions: it is nearly every row of the big files. Anything else (or a value out of range)
/// is left to the general parser, which reads this form to the same value.
fn parse_flock(bytes: &[u8]) -> Option<UnixSeconds> {
    let b: &[u8; 27] = bytes.try_into().ok()?;
    Some(flock_date(b)? * 86_400 + flock_time_of_day(b)?)
}

fn flock_digit(b: &[u8; 27], i: usize) -> Option<u32> {
    let d = b[i].wrapping_sub(b'0');
    (d < 10).then_some(u32::from(d))
}

fn flock_two(b: &[u8; 27], i: usize) -> Option<u32> {
    Some(flock_digit(b, i)? * 10 + flock_digit(b, i + 1)?)
}

/// The day (days since 1970-01-01) of a Flock timestamp: its first ten bytes.
fn flock_date(b: &[u8; 27]) -> Option<i64> {
    if b[2] != b'/' || b[5] != b'/' {
        return None;
    }
    let month = flock_two(b, 0)?;
    let day = flock_two(b, 3)?;
    let year = flock_two(b, 6)? * 100 + flock_two(b, 8)?;
    checked_date(i64::from(year), month, day)
}

/// The seconds into the day of a Flock timestamp: everything after its date.
fn flock_time_of_day(b: &[u8; 27]) -> Option<i64> {
    if b[10] != b','
        || b[11] != b' '
        || b[14] != b':'
        || b[17] != b':'
        || b[20] != b' '
        || &b[22..27] != b"M UTC"
    {
        return None;
    }
    let mut hour = flock_two(b, 12)?;
    let minute = flock_two(b, 15)?;
    let second = flock_two(b, 18)?;
    let pm = match b[21] {
        b'A' => false,
        b'P' => true,
        _ => return None,
    };
    if hour == 0 || hour > 12 || minute > 59 || second > 59 {
        return None;
    }
    hour %= 12;
    if pm {
        hour += 12;
    }
    Some(i64::from(hour * 3600 + minute * 60 + second))
}

/// [`parse_timestamp`] for one reader of a log, remembering the day of the last Flock
/// timestamp: a log's rows come in time order, so most share their date with the row before.
#[derive(Clone, Debug, Default)]
pub struct TimestampReader {
    last: Option<([u8; 10], i64)>,
}

impl TimestampReader {
    /// Reads a timestamp as [`parse_timestamp`] does (`None` when it is not one), reusing the
    /// last Flock date when this one has the same.
    pub fn parse(&mut self, input: &[u8], default_offset: i32) -> Option<UnixSeconds> {
        if let Ok(b) = <&[u8; 27]>::try_from(input) {
            let days = match self.last {
                Some((date, days)) if date == b[..10] => Some(days),
                _ => flock_date(b).inspect(|&days| {
                    let mut date = [0_u8; 10];
                    date.copy_from_slice(&b[..10]);
                    self.last = Some((date, days));
                }),
            };
            if let (Some(days), Some(time)) = (days, flock_time_of_day(b)) {
                return Some(days * 86_400 + time);
            }
        }
        parse_timestamp(input, default_offset)
    }
}

/// Excel serial day number (1900 date system) to seconds, rounded to the millisecond first so
/// that `45826.001444317131` reads as `00:02:04.789`, not `00:02:04.788999`.
pub fn excel_serial_to_seconds(serial: f64) -> Option<UnixSeconds> {
    // Serials below 61 fall before Excel's phantom 1900-02-29; no audit log goes back that far.
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let millis = (serial * 86_400_000.0).round() as i64;
    // Day 25569 is 1970-01-01.
    Some((millis - 25_569 * 86_400_000).div_euclid(1000))
}

/// Numbers: an Excel serial (20000..80000, i.e. 1954..2119), Unix seconds or Unix milliseconds.
fn parse_number(bytes: &[u8]) -> Option<UnixSeconds> {
    let text = std::str::from_utf8(bytes).ok()?;
    let value: f64 = text.parse().ok()?;
    if (20_000.0..80_000.0).contains(&value) {
        excel_serial_to_seconds(value)
    } else if (1.0e9..1.0e11).contains(&value) {
        Some(value as i64)
    } else if (1.0e12..1.0e14).contains(&value) {
        Some((value / 1000.0) as i64)
    } else {
        None
    }
}

fn checked_date(year: i64, month: u32, day: u32) -> Option<i64> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    // Plausible years only: a 5025 in a field is a typo, not a date to compute with.
    if !(1990..=2100).contains(&year) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][zone]`
fn parse_iso(bytes: &[u8], default_offset: i32) -> Option<UnixSeconds> {
    let mut c = Cursor { bytes, at: 0 };
    let (year, _) = c.number(4)?;
    if !c.eat(b'-') {
        return None;
    }
    let (month, _) = c.number(2)?;
    if !c.eat(b'-') {
        return None;
    }
    let (day, _) = c.number(2)?;
    let days = checked_date(i64::from(year), month, day)?;
    if c.done() {
        return Some(days * 86_400 - i64::from(default_offset));
    }
    if !(c.eat(b'T') || c.eat(b't') || c.eat(b' ')) {
        return None;
    }
    c.spaces();
    let seconds = clock(&mut c)?;
    let offset = zone(&mut c, default_offset)?;
    Some(days * 86_400 + seconds - i64::from(offset))
}

/// `M/D/YYYY[,] [H:MM[:SS[.fff]] [AM|PM]][zone]`; two-digit years are 20YY.
fn parse_us(bytes: &[u8], default_offset: i32) -> Option<UnixSeconds> {
    let mut c = Cursor { bytes, at: 0 };
    let (month, _) = c.number(2)?;
    if !c.eat(b'/') {
        return None;
    }
    let (day, _) = c.number(2)?;
    if !c.eat(b'/') {
        return None;
    }
    let (year, digits) = c.number(4)?;
    let year = match digits {
        2 => 2000 + i64::from(year),
        4 => i64::from(year),
        _ => return None,
    };
    let days = checked_date(year, month, day)?;
    c.eat(b',');
    c.spaces();
    if c.done() {
        return Some(days * 86_400 - i64::from(default_offset));
    }
    let seconds = clock(&mut c)?;
    let offset = zone(&mut c, default_offset)?;
    Some(days * 86_400 + seconds - i64::from(offset))
}

/// `H:MM[:SS[.fff]] [AM|PM]` to seconds after midnight.
fn clock(c: &mut Cursor<'_>) -> Option<i64> {
    let (mut hour, _) = c.number(2)?;
    if !c.eat(b':') {
        return None;
    }
    let (minute, _) = c.number(2)?;
    let mut second = 0;
    if c.eat(b':') {
        second = c.number(2)?.0;
        if c.eat(b'.') || c.eat(b',') {
            // Fractions are dropped: the law speaks in days, the report in seconds.
            while matches!(c.peek(), Some(b'0'..=b'9')) {
                c.at += 1;
            }
        }
    }
    c.spaces();
    let rest = c.rest();
    if rest.len() >= 2 && rest[1].eq_ignore_ascii_case(&b'm') {
        let pm = match rest[0].to_ascii_lowercase() {
            b'a' => false,
            b'p' => true,
            _ => return None,
        };
        if hour == 0 || hour > 12 {
            return None;
        }
        hour %= 12;
        if pm {
            hour += 12;
        }
        c.at += 2;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second.min(59)))
}

/// A zone suffix: nothing (the default offset), `Z`, `UTC`, `GMT`, `+HH:MM`, `-HHMM`, or a US
/// abbreviation. Returns seconds east of UTC.
fn zone(c: &mut Cursor<'_>, default_offset: i32) -> Option<i32> {
    c.spaces();
    let rest = c.rest();
    if rest.is_empty() {
        return Some(default_offset);
    }
    let offset = match rest[0] {
        b'Z' | b'z' if rest.len() == 1 => 0,
        b'+' | b'-' => {
            let sign = if rest[0] == b'-' { -1 } else { 1 };
            let mut digits = [0_i32; 4];
            let mut count = 0;
            for &b in &rest[1..] {
                match b {
                    b':' => {}
                    b'0'..=b'9' if count < 4 => {
                        digits[count] = i32::from(b - b'0');
                        count += 1;
                    }
                    _ => return None,
                }
            }
            let minutes = match count {
                2 => 0,
                4 => digits[2] * 10 + digits[3],
                _ => return None,
            };
            sign * ((digits[0] * 10 + digits[1]) * 3600 + minutes * 60)
        }
        _ => {
            const ZONES: [(&[u8], i32); 14] = [
                (b"UTC", 0),
                (b"GMT", 0),
                (b"Z", 0),
                (b"EST", -5),
                (b"EDT", -4),
                (b"CST", -6),
                (b"CDT", -5),
                (b"MST", -7),
                (b"MDT", -6),
                (b"PST", -8),
                (b"PDT", -7),
                (b"AKST", -9),
                (b"AKDT", -8),
                (b"HST", -10),
            ];
            let hours = ZONES
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(rest))
                .map(|(_, hours)| *hours)?;
            hours * 3600
        }
    };
    c.at = c.bytes.len();
    Some(offset)
}

/// Reads `+HH:MM`, `-HH:MM`, `-7` or `UTC` as seconds east of UTC (the `--utc-offset` option).
pub fn parse_offset(text: &str) -> Option<i32> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("utc") || text.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => (1, text),
    };
    // Only ASCII digits after the one leading sign: `str::parse` would also take a sign of its
    // own (`+-5`, `1:-30`), and a long run of digits would overflow the arithmetic below.
    let number = |part: &str| -> Option<i32> {
        if part.is_empty() || part.len() > 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse::<i32>().ok()
    };
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (number(h)?, number(m)?),
        None => (number(digits)?, 0),
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_take_one_sign_and_at_most_two_digits_a_part() {
        assert_eq!(parse_offset("+05:30"), Some(5 * 3600 + 30 * 60));
        assert_eq!(parse_offset("-8"), Some(-8 * 3600));
        assert_eq!(parse_offset("UTC"), Some(0));
        assert_eq!(parse_offset("14"), Some(14 * 3600));
        // Found by fuzzing: a second sign was read as part of the number, and a long number
        // overflowed.
        assert_eq!(parse_offset("+-503"), None);
        assert_eq!(parse_offset("1:-05689600"), None);
        assert_eq!(parse_offset("-99999999999"), None);
        assert_eq!(parse_offset("15"), None);
        assert_eq!(parse_offset("5:60"), None);
        assert_eq!(parse_offset("+"), None);
        assert_eq!(parse_offset("5:"), None);
    }

    fn t(text: &str) -> Option<String> {
        parse_timestamp(text.as_bytes(), 0).map(format_utc)
    }

    #[test]
    fn every_form_in_the_shared_data() {
        assert_eq!(
            t("2025-06-18 00:02:04.789").as_deref(),
            Some("2025-06-18T00:02:04Z")
        );
        assert_eq!(
            t("2026-03-10T04:31:52.901Z").as_deref(),
            Some("2026-03-10T04:31:52Z")
        );
        assert_eq!(
            t("11/14/2025, 09:53:36 AM UTC").as_deref(),
            Some("2025-11-14T09:53:36Z")
        );
        assert_eq!(
            t("11/14/2025, 12:00:14 AM UTC").as_deref(),
            Some("2025-11-14T00:00:14Z")
        );
        assert_eq!(
            t("11/14/2025, 12:00:14 PM UTC").as_deref(),
            Some("2025-11-14T12:00:14Z")
        );
        // Eugene's workbook: the same search as the first CSV line.
        assert_eq!(
            t("45826.001444317131").as_deref(),
            Some("2025-06-18T00:02:04Z")
        );
    }

    #[test]
    fn the_reader_that_remembers_a_day_reads_as_the_parser_does() {
        let mut reader = TimestampReader::default();
        let inputs = [
            "11/14/2025, 09:53:36 AM UTC",
            "11/14/2025, 09:53:37 PM UTC",
            "11/14/2025, 12:00:00 AM UTC",
            // The same date with a broken time, then another form on a cached date.
            "11/14/2025, 13:00:00 PM UTC",
            "11/14/2025, 09:53:36 AM EST",
            "11/15/2025, 01:02:03 AM UTC",
            "2025-11-15 01:02:03.000000",
            "02/30/2025, 01:02:03 AM UTC",
            "02/28/2025, 01:02:03 AM UTC",
            "02/28/2025 , 1:02:03 AM UTC",
            "",
        ];
        for _ in 0..2 {
            for input in inputs {
                assert_eq!(
                    reader.parse(input.as_bytes(), -3600),
                    parse_timestamp(input.as_bytes(), -3600),
                    "{input}"
                );
            }
        }
    }

    #[test]
    fn neighbouring_forms() {
        assert_eq!(
            t("2025-06-18T00:02:04-07:00").as_deref(),
            Some("2025-06-18T07:02:04Z")
        );
        assert_eq!(
            t("2025-06-18T00:02:04+0100").as_deref(),
            Some("2025-06-17T23:02:04Z")
        );
        assert_eq!(
            t("3/5/2024 1:02 PM").as_deref(),
            Some("2024-03-05T13:02:00Z")
        );
        assert_eq!(
            t("3/5/24 13:02:09 PST").as_deref(),
            Some("2024-03-05T21:02:09Z")
        );
        assert_eq!(t("2024-02-29").as_deref(), Some("2024-02-29T00:00:00Z"));
        assert_eq!(t("1718668924").as_deref(), Some("2024-06-18T00:02:04Z"));
        assert_eq!(t("1718668924789").as_deref(), Some("2024-06-18T00:02:04Z"));
    }

    #[test]
    fn naive_times_take_the_default_offset() {
        let seconds = parse_timestamp(b"2025-06-18 00:02:04", -7 * 3600).map(format_utc);
        assert_eq!(seconds.as_deref(), Some("2025-06-18T07:02:04Z"));
        // An explicit zone wins over the default.
        let seconds = parse_timestamp(b"2026-03-10T04:31:52Z", -7 * 3600).map(format_utc);
        assert_eq!(seconds.as_deref(), Some("2026-03-10T04:31:52Z"));
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for bad in [
            "",
            "yesterday",
            "2025-02-30 10:00:00",
            "13/01/2025",
            "11/14/2025, 13:00:00 PM",
            "5025-07-01",
            "2025-06-18 25:00:00",
            "2025-06-18T10:00:00 Mars",
            "7/72",
            "12",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_flock_form_reads_the_same_by_either_path() {
        // Every hour of every day of 2024 and 2025, at a few minutes and seconds.
        let start = days_from_civil(2024, 1, 1) * 86_400;
        let mut checked = 0;
        for step in 0..(731 * 24) {
            for extra in [0, 59, 61, 3599] {
                let seconds = start + step * 3600 + extra;
                let days = seconds.div_euclid(86_400);
                let rest = seconds.rem_euclid(86_400);
                let date = remit_law::Date::from_days_since_epoch(days);
                let hour = rest / 3600;
                let twelve = if hour % 12 == 0 { 12 } else { hour % 12 };
                let text = format!(
                    "{:02}/{:02}/{}, {:02}:{:02}:{:02} {} UTC",
                    date.month(),
                    date.day(),
                    date.year(),
                    twelve,
                    (rest / 60) % 60,
                    rest % 60,
                    if hour < 12 { "AM" } else { "PM" }
                );
                assert_eq!(parse_flock(text.as_bytes()), Some(seconds), "{text}");
                assert_eq!(parse_us(text.as_bytes(), 0), Some(seconds), "{text}");
                checked += 1;
            }
        }
        assert_eq!(checked, 731 * 24 * 4);
        // What the fast path leaves to the general parser, and what neither takes.
        for (text, general) in [
            ("1/02/2025, 01:00:00 AM UTC", true),
            ("01/02/2025, 01:00:00 am UTC", true),
            ("01/02/2025, 13:00:00 PM UTC", false),
            ("02/30/2025, 01:00:00 AM UTC", false),
            ("01/02/2025, 00:00:00 AM UTC", false),
            ("01/02/2025, 01:00:60 AM UTC", true),
            ("01/02/2025; 01:00:00 AM UTC", false),
        ] {
            assert_eq!(parse_flock(text.as_bytes()), None, "{text}");
            assert_eq!(
                parse_timestamp(text.as_bytes(), 0).is_some(),
                general,
                "{text}"
            );
        }
    }

    #[test]
    fn formatting_without_allocation_agrees() {
        let mut buffer = [0_u8; 20];
        for seconds in [0, 1_718_668_924, 951_782_400, 4_102_444_799] {
            assert_eq!(
                format_utc_into(&mut buffer, seconds),
                format_utc(seconds).as_bytes()
            );
        }
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("-07:00"), Some(-25_200));
        assert_eq!(parse_offset("+5:30"), Some(19_800));
        assert_eq!(parse_offset("-8"), Some(-28_800));
        assert_eq!(parse_offset("UTC"), Some(0));
        assert_eq!(parse_offset("later"), None);
    }
}
