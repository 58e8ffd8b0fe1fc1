//! What a sheet's file name says: which list, and when.
//!
//! ICE names its downloads `participatingAgencies07182025pm.xlsx` and
//! `pendingAgencies07112025am_b.xlsx`: the list, then the publication day as MMDDYYYY, then the
//! half-day. Archives keep those names, so they are the snapshot's time.

use crate::day::{Day, Period, SnapshotTime};
use crate::parse::SheetKind;

/// The list a file name names, if any.
pub fn kind_from_name(file_name: &str) -> Option<SheetKind> {
    let lower = file_name.to_ascii_lowercase();
    if lower.contains("participating") {
        Some(SheetKind::Participating)
    } else if lower.contains("pending") {
        Some(SheetKind::Pending)
    } else {
        None
    }
}

/// The snapshot time in a file name: the first run of exactly eight digits read as MMDDYYYY,
/// with `am` or `pm` right after it.
pub fn time_from_name(file_name: &str) -> Option<SnapshotTime> {
    let lower = file_name.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        if !bytes[start].is_ascii_digit() {
            start += 1;
            continue;
        }
        let end = start
            + bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
        if end - start == 8 {
            let number = |range: std::ops::Range<usize>| lower[range].parse::<u32>().ok();
            let month = u8::try_from(number(start..start + 2)?).ok()?;
            let day = u8::try_from(number(start + 2..start + 4)?).ok()?;
            let year = i32::try_from(number(start + 4..end)?).ok()?;
            let period = match &lower[end..] {
                rest if rest.starts_with("am") => Period::Am,
                rest if rest.starts_with("pm") => Period::Pm,
                _ => Period::Day,
            };
            return Some(SnapshotTime {
                day: Day::new(year, month, day)?,
                period,
            });
        }
        start = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ice_file_names() {
        assert_eq!(
            kind_from_name("participatingAgencies07182025pm.xlsx"),
            Some(SheetKind::Participating)
        );
        assert_eq!(
            kind_from_name("pendingAgencies07112025am_b.xlsx"),
            Some(SheetKind::Pending)
        );
        assert_eq!(kind_from_name("agencies.csv"), None);
        assert_eq!(
            time_from_name("participatingAgencies07182025pm.xlsx")
                .unwrap()
                .to_string(),
            "2025-07-18 pm"
        );
        assert_eq!(
            time_from_name("pendingAgencies07112025am_b.xlsx")
                .unwrap()
                .to_string(),
            "2025-07-11 am"
        );
        assert_eq!(
            time_from_name("pending-05152025.csv").unwrap().to_string(),
            "2025-05-15"
        );
        assert_eq!(time_from_name("participatingAgencies13182025pm.xlsx"), None);
        assert_eq!(time_from_name("sheet_2025.csv"), None);
    }
}
