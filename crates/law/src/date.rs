//! A calendar date without time or zone.
//!
//! The law speaks in days: a statute takes effect on a date, a question is asked for a date. A
//! plain `(year, month, day)` keeps the engine free of clocks and time zones.

use std::fmt;
use std::str::FromStr;

/// A valid proleptic Gregorian date. Ordering is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a valid date: {reason}")]
pub struct DateError {
    input: String,
    reason: &'static str,
}

impl Date {
    /// The earliest date: a version with no known start begins here.
    pub const MIN: Date = Date {
        year: 1,
        month: 1,
        day: 1,
    };

    /// Builds a date, checking the month and the day of the month.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The year, e.g. `2026`.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before), for arithmetic on dates.
    pub fn days_since_epoch(self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
        )
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let (year, month, day) = civil_from_days(days);
        Date {
            year: year as i32,
            month,
            day,
        }
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`): the workspace's one
/// copy of the algorithm, which the audit pipeline runs once per row.
#[inline]
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date `(year, month, day)` of a day number since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`), the inverse of [`days_from_civil`].
#[inline]
pub fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl Date {
    /// Reads a date as people write it: `2026-12-07`, `12/07/2026` or `12/7/2026` (US
    /// month-first order), `Dec 7 2026`, `December 7, 2026`, `7 December 2026`, and `today`
    /// when `today` is given (the engine reads no clock: the caller supplies it).
    pub fn parse_loose(input: &str, today: Option<Date>) -> Result<Date, DateError> {
        let text = input.trim();
        let error = |reason| DateError {
            input: input.to_string(),
            reason,
        };
        if text.eq_ignore_ascii_case("today") {
            return today.ok_or_else(|| error("`today` is not available here"));
        }
        let bytes = text.as_bytes();
        if bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-' {
            // The ISO form: its own errors say what is wrong with it.
            return text.parse::<Date>();
        }
        let form = "write it as 2026-12-07, 12/07/2026 or Dec 7 2026";
        if text.contains('/') {
            let parts: Vec<&str> = text.split('/').map(str::trim).collect();
            let [month, day, year] = parts.as_slice() else {
                return Err(error(form));
            };
            let number = |s: &str| s.parse::<u32>().ok().filter(|_| !s.is_empty());
            let (Some(month), Some(day), Some(year)) = (number(month), number(day), number(year))
            else {
                return Err(error(form));
            };
            if year < 1000 {
                return Err(error("give the year in four digits, e.g. 12/07/2026"));
            }
            if !(1..=12).contains(&month) {
                return Err(error("the month (first number) must be 1 to 12"));
            }
            return u8::try_from(day)
                .ok()
                .and_then(|day| Date::new(year as i32, month as u8, day))
                .ok_or_else(|| error("that month has no such day"));
        }
        // Words: a month name (or its first three letters), a day and a year, in either order.
        let words: Vec<String> = text
            .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        let mut month = None;
        let mut numbers = Vec::new();
        for word in &words {
            let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            if let Ok(n) = digits.parse::<u32>()
                && !digits.is_empty()
            {
                numbers.push(n);
            } else if let Some(m) = MONTHS
                .iter()
                .position(|name| word.len() >= 3 && name.starts_with(word.as_str()))
            {
                month = Some(m as u8 + 1);
            } else {
                return Err(error(form));
            }
        }
        match (month, numbers.as_slice()) {
            (Some(month), &[day, year]) | (Some(month), &[year, day])
                if year >= 1000 && day <= 31 =>
            {
                u8::try_from(day)
                    .ok()
                    .and_then(|day| Date::new(year as i32, month, day))
                    .ok_or_else(|| error("that month has no such day"))
            }
            _ => Err(error(form)),
        }
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in a month of a year (February by the Gregorian leap rule; any month but 2, 4, 6, 9
/// and 11 has 31).
#[inline]
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for Date {
    type Err = DateError;

    /// Reads `YYYY-MM-DD`.
    fn from_str(input: &str) -> Result<Date, DateError> {
        let error = |reason| DateError {
            input: input.to_string(),
            reason,
        };
        let bytes = input.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(error("expected the form YYYY-MM-DD"));
        }
        let number = |range: std::ops::Range<usize>| -> Result<u32, DateError> {
            let part = &input[range];
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(error("expected the form YYYY-MM-DD"));
            }
            part.parse()
                .map_err(|_| error("expected the form YYYY-MM-DD"))
        };
        let year = number(0..4)? as i32;
        let month = number(5..7)?;
        let day = number(8..10)?;
        if !(1..=12).contains(&month) {
            return Err(error("the month must be 01 to 12"));
        }
        Date::new(year, month as u8, day as u8).ok_or_else(|| error("that month has no such day"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let date: Date = "2026-01-01".parse().unwrap();
        assert_eq!(date.to_string(), "2026-01-01");
        assert!("2025-02-29".parse::<Date>().is_err());
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2024-13-01".parse::<Date>().is_err());
        assert!("2024-1-01".parse::<Date>().is_err());
        assert!("20x4-01-01".parse::<Date>().is_err());
    }

    #[test]
    fn reads_dates_as_people_write_them() {
        let today = Date::new(2026, 12, 7);
        let want = Date::new(2026, 12, 7).unwrap();
        for text in [
            "2026-12-07",
            "12/07/2026",
            "12/7/2026",
            "Dec 7 2026",
            "dec 7, 2026",
            "December 7, 2026",
            "7 December 2026",
            "Dec. 7th, 2026",
            "today",
            " TODAY ",
        ] {
            assert_eq!(Date::parse_loose(text, today), Ok(want), "{text}");
        }
        assert_eq!(
            Date::parse_loose("2/29/2024", None),
            Ok(Date::new(2024, 2, 29).unwrap())
        );
        for bad in [
            "2/29/2025",
            "13/01/2026",
            "12/07/26",
            "Smarch 7 2026",
            "7 2026",
            "today",
        ] {
            assert!(Date::parse_loose(bad, None).is_err(), "{bad}");
        }
    }

    #[test]
    fn orders_chronologically() {
        let a: Date = "2017-09-01".parse().unwrap();
        let b: Date = "2026-01-01".parse().unwrap();
        assert!(a < b);
    }

    #[test]
    fn epoch_days_round_trip() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2026-12-31",
            "1969-12-31",
            "1600-03-01",
        ] {
            let date: Date = text.parse().unwrap();
            assert_eq!(Date::from_days_since_epoch(date.days_since_epoch()), date);
        }
        assert_eq!("1970-01-02".parse::<Date>().unwrap().days_since_epoch(), 1);
    }
}
