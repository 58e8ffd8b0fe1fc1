//! The audit's timestamp parser: no panic on any bytes or offset; the stateful reader (which
//! remembers the last date) gives what the plain parser gives; a time read without a zone moves
//! by exactly the offset given; a parsed time written as UTC reads back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use remit_audit::time::{
    TimestampReader, excel_serial_to_seconds, format_utc, format_utc_into, parse_offset,
    parse_timestamp,
};

fuzz_target!(|input: &[u8]| {
    let Some((&control, data)) = input.split_first() else {
        return;
    };
    // An offset between -14:00 and +14:00 in quarter hours, as `--utc-offset` allows.
    let offset = (i32::from(control % 113) - 56) * 900;
    // Several values separated by newlines, read in order as a log's rows are.
    let mut reader = TimestampReader::default();
    for value in data.split(|&b| b == b'\n') {
        let plain = parse_timestamp(value, offset);
        assert_eq!(
            reader.parse(value, offset),
            plain,
            "reader and parser disagree"
        );
        if let Some(seconds) = plain {
            // 1990 to 2100: the years a written date may have (numbers read as Excel serials
            // or Unix times may fall outside them, and then are not written dates).
            if (631_152_000..4_102_444_800).contains(&seconds) {
                let written = format_utc(seconds);
                assert_eq!(
                    parse_timestamp(written.as_bytes(), offset),
                    Some(seconds),
                    "{written}"
                );
                let mut buffer = [0_u8; 20];
                assert_eq!(format_utc_into(&mut buffer, seconds), written.as_bytes());
            }
            let utc = parse_timestamp(value, 0);
            if let Some(utc) = utc {
                let moved = utc - seconds;
                assert!(
                    moved == 0 || moved == i64::from(offset),
                    "offset moved by {moved}"
                );
            }
        }
        if let Ok(text) = std::str::from_utf8(value) {
            if let Some(seconds) = parse_offset(text) {
                assert!(seconds.abs() <= 24 * 3600, "offset {seconds} from `{text}`");
            }
            if let Ok(serial) = text.trim().parse::<f64>() {
                let _ = excel_serial_to_seconds(serial);
            }
        }
    }
});
