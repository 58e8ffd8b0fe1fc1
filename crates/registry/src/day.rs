//! Days and snapshot times.
//!
//! ICE names each sheet after the half-day it was published (`...07182025pm.xlsx`), so a
//! snapshot's time is a day plus an optional `am`/`pm`. "As of a date" means the latest snapshot
//! taken on or before that day, so both halves of the day count.

use std::fmt;

use serde::Serialize;

/// A calendar day, proleptic Gregorian: the law's civil date (`remit_law::Date`), with the
/// readings the sheets need (ISO, US `M/D/YYYY`, Unix time) and `Option` where a reading fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(remit_law::Date);

impl Day {
    /// The day, if the month and the day of the month exist.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Day> {
        remit_law::Date::new(year, month, day).map(Day)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// The same day as the law's date.
    pub fn date(self) -> remit_law::Date {
        self.0
    }

    /// The day `days` after 1970-01-01 (negative: before), in the proleptic Gregorian calendar.
    pub fn from_days_since_epoch(days: i64) -> Option<Day> {
        // The law's one copy of Howard Hinnant's `civil_from_days`; a year past `i32` is none.
        let (year, month, day) = remit_law::date::civil_from_days(days);
        Day::new(i32::try_from(year).ok()?, month, day)
    }

    /// A Unix time (seconds) as its UTC day, hour and RFC 3339 form (`2026-12-07T06:36:26Z`).
    pub fn from_unix_seconds(seconds: u64) -> Option<(Day, u32, String)> {
        let days = i64::try_from(seconds / 86_400).ok()?;
        let in_day = seconds % 86_400;
        let day = Day::from_days_since_epoch(days)?;
        let hour = u32::try_from(in_day / 3600).ok()?;
        let stamp = format!(
            "{day}T{hour:02}:{:02}:{:02}Z",
            (in_day % 3600) / 60,
            in_day % 60
        );
        Some((day, hour, stamp))
    }

    /// Reads `YYYY-MM-DD`.
    pub fn parse_iso(text: &str) -> Option<Day> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = digits(&text[0..4])?;
        let month = digits(&text[5..7])?;
        let day = digits(&text[8..10])?;
        Day::new(
            year as i32,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// Reads a US-style `M/D/YYYY` (one or two digits for month and day, four for the year),
    /// the only textual form ICE's SIGNED column uses.
    pub fn parse_us(text: &str) -> Option<Day> {
        let mut parts = text.split('/');
        let (month, day, year) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some()
            || !(1..=2).contains(&month.len())
            || !(1..=2).contains(&day.len())
            || year.len() != 4
        {
            return None;
        }
        Day::new(
            digits(year)? as i32,
            u8::try_from(digits(month)?).ok()?,
            u8::try_from(digits(day)?).ok()?,
        )
    }
}

fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<Day> for remit_law::Date {
    fn from(day: Day) -> remit_law::Date {
        day.0
    }
}

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Which half of the day a sheet was published, when its name says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    /// The name gives only the day; ordered before `am` of the same day.
    Day,
    /// Published in the morning (`am` in the name).
    Am,
    /// Published in the afternoon (`pm` in the name).
    Pm,
}

impl Period {
    /// The half as stored and shown: `am`, `pm`, or empty for a whole day.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "",
            Period::Am => "am",
            Period::Pm => "pm",
        }
    }

    /// The order within a day: 0 for the whole day, 1 for `am`, 2 for `pm`.
    pub fn rank(self) -> u8 {
        self as u8
    }

    /// Reads the stored form (empty, `am` or `pm`, lower case); `None` for anything else.
    pub fn from_str_opt(text: &str) -> Option<Period> {
        match text {
            "" => Some(Period::Day),
            "am" => Some(Period::Am),
            "pm" => Some(Period::Pm),
            _ => None,
        }
    }
}

/// When a snapshot was taken: a day and, usually, its half.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SnapshotTime {
    /// The day of publication.
    pub day: Day,
    /// The half of the day, or the whole day when the name does not say.
    pub period: Period,
}

impl SnapshotTime {
    /// Reads `YYYY-MM-DD`, optionally followed by `am` or `pm` (with or without a space).
    pub fn parse(text: &str) -> Option<SnapshotTime> {
        let text = text.trim().to_ascii_lowercase();
        let (day, period) = match text.len() {
            10 => (&text[..], Period::Day),
            12 | 13 if text.is_char_boundary(10) => {
                let period = match text[10..].trim_start() {
                    "am" => Period::Am,
                    "pm" => Period::Pm,
                    _ => return None,
                };
                (&text[..10], period)
            }
            _ => return None,
        };
        Some(SnapshotTime {
            day: Day::parse_iso(day)?,
            period,
        })
    }
}

impl fmt::Display for SnapshotTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.period {
            Period::Day => write!(f, "{}", self.day),
            period => write!(f, "{} {}", self.day, period.as_str()),
        }
    }
}

impl Serialize for SnapshotTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_times_are_utc_days() {
        let (day, hour, stamp) = Day::from_unix_seconds(1_796_625_386).unwrap();
        assert_eq!((day.to_string(), hour), ("2026-12-07".to_string(), 6));
        assert_eq!(stamp, "2026-12-07T06:36:26Z");
        assert_eq!(
            Day::from_days_since_epoch(0).map(|d| d.to_string()),
            Some("1970-01-01".to_string())
        );
        assert_eq!(
            Day::from_days_since_epoch(11_016).map(|d| d.to_string()),
            Some("2000-02-29".to_string())
        );
    }

    #[test]
    fn reads_days() {
        assert_eq!(
            Day::parse_iso("2025-07-18").unwrap().to_string(),
            "2025-07-18"
        );
        assert!(Day::parse_iso("2025-02-29").is_none());
        assert!(Day::parse_iso("2025-7-18").is_none());
        assert_eq!(Day::parse_us("7/7/2025").unwrap().to_string(), "2025-07-07");
        assert_eq!(
            Day::parse_us("05/08/2025").unwrap().to_string(),
            "2025-05-08"
        );
        // The two non-dates the real sheets carry.
        assert!(Day::parse_us("7/72025").is_none());
        assert!(Day::parse_us("05/082025").is_none());
    }

    #[test]
    fn reads_snapshot_times_and_orders_halves() {
        let am = SnapshotTime::parse("2025-07-18am").unwrap();
        let pm = SnapshotTime::parse("2025-07-18 PM").unwrap();
        let day = SnapshotTime::parse("2025-07-18").unwrap();
        assert!(day < am && am < pm);
        assert_eq!(pm.to_string(), "2025-07-18 pm");
        assert_eq!(day.to_string(), "2025-07-18");
        assert!(SnapshotTime::parse("2025-07-18 noon").is_none());
    }
}
