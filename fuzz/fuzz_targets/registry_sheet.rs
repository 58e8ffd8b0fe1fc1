//! The 287(g) sheet reader (`remit_registry::read_sheet`, what `registry import` reads with):
//! CSV, workbooks as they come, and workbooks assembled around fuzzed sheet XML. No panic; an
//! error names the file and is short; issues point at rows of the sheet.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use remit_fuzz::{split_nul, xlsx};
use remit_registry::{Day, Period, SheetKind, SnapshotTime, read_sheet};

fuzz_target!(|input: &[u8]| {
    let Some((&control, data)) = input.split_first() else {
        return;
    };
    let kind = if control & 1 == 0 {
        SheetKind::Participating
    } else {
        SheetKind::Pending
    };
    let assembled;
    let (name, content): (&str, &[u8]) = match (control >> 1) % 4 {
        0 | 1 => ("participatingAgencies07012025am.csv", data),
        2 => ("participatingAgencies07012025am.xlsx", data),
        _ => {
            let (sheet, strings) = split_nul(data);
            assembled = xlsx("Sheet1", sheet, strings);
            ("participatingAgencies07012025am.xlsx", &assembled)
        }
    };
    let Some(day) = Day::parse_iso("2025-07-01") else {
        return;
    };
    let taken = SnapshotTime {
        day,
        period: Period::Am,
    };
    match read_sheet(Path::new(name), content, kind, taken) {
        Ok(reading) => {
            assert!(reading.agreements <= reading.rows);
            if name.ends_with(".csv") {
                let lines = content
                    .iter()
                    .filter(|&&b| b == b'\n' || b == b'\r')
                    .count()
                    + 1;
                for issue in &reading.issues {
                    if let Some(row) = issue.row {
                        assert!(
                            (row as usize) <= lines,
                            "issue on row {row} of {lines} lines"
                        );
                    }
                }
            }
        }
        Err(error) => {
            let message = error.to_string();
            assert!(
                message.contains(name),
                "the error does not name the file: {message}"
            );
            assert!(message.len() < 2_000, "an error of {} bytes", message.len());
        }
    }
});
