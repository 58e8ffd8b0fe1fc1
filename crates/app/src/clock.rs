//! The one clock: today's date for the command line and the dashboard.
//!
//! The law engine reads no clock (the date is an input to every question); the callers supply
//! it from here, so a test or a reproducible run can fix the day in one place.

use remit_law::Date;

/// Where "today" comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    /// The system clock, in UTC.
    #[default]
    System,
    /// A fixed day (tests, reproducible runs).
    Fixed(Date),
}

impl Clock {
    /// Today's date by this clock.
    pub fn today(self) -> Date {
        match self {
            Clock::System => today(),
            Clock::Fixed(date) => date,
        }
    }
}

/// Today's date in UTC, from the system clock.
pub fn today() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_days_since_epoch(i64::try_from(seconds / 86_400).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_gives_its_day_and_the_system_clock_a_day_after_2026() {
        let day: Date = "2026-12-07".parse().unwrap();
        assert_eq!(Clock::Fixed(day).today().to_string(), "2026-12-07");
        assert!(Clock::System.today() >= day);
    }
}
