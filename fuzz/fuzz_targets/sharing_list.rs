//! The sharing-list readers (`remit_sharing::read_list`, what `sharing import` reads with):
//! portal JSON, CSV, lists of names, workbooks as they come and workbooks assembled around
//! fuzzed sheet XML. No panic; an error names the file; every entry has a name, appears once
//! in its direction and points at a line of the file.
#![no_main]

use std::collections::HashSet;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use remit_fuzz::{split_nul, xlsx};
use remit_sharing::remit_law::Date;
use remit_sharing::{ReadOptions, read_list};

fuzz_target!(|input: &[u8]| {
    let Some((&control, data)) = input.split_first() else {
        return;
    };
    let Some(today) = Date::new(2026, 5, 1) else {
        return;
    };
    let options = ReadOptions {
        owner: (control & 0x80 == 0).then(|| "Example CA PD".to_string()),
        date: None,
        sheet: None,
        direction: None,
        today,
    };
    let assembled;
    let (name, content): (&str, &[u8]) = match (control & 0x7f) % 5 {
        0 => ("portal.json", data),
        1 => ("sharing-list.csv", data),
        2 => ("names.txt", data),
        3 => ("sharing.xlsx", data),
        _ => {
            let (sheet, strings) = split_nul(data);
            assembled = xlsx("A1", sheet, strings);
            ("sharing.xlsx", &assembled)
        }
    };
    match read_list(Path::new(name), content, &options) {
        Ok(list) => {
            let lines = content
                .iter()
                .filter(|&&b| b == b'\n' || b == b'\r')
                .count() as u64
                + 1;
            let mut seen = HashSet::new();
            for entry in &list.entries {
                assert!(!entry.name.is_empty(), "an entry without a name");
                assert!(
                    seen.insert((entry.direction, entry.name.as_str())),
                    "`{}` listed twice",
                    entry.name
                );
                if !name.ends_with(".xlsx") {
                    assert!(
                        entry.line >= 1 && entry.line <= lines,
                        "entry on line {}",
                        entry.line
                    );
                }
            }
        }
        Err(error) => {
            let message = error.to_string();
            assert!(
                message.contains(name),
                "the error does not name the file: {message}"
            );
        }
    }
});
