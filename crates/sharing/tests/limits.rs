//! Sharing lists built to exhaust memory: a long entry, a long line, a wide row. Each is refused
//! with an error naming the file, the line and the limit, quoting only a short prefix.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]

use std::path::Path;

use remit_sharing::{ReadOptions, SharingError, read_list};

fn options(owner: Option<&str>) -> ReadOptions {
    ReadOptions {
        owner: owner.map(str::to_string),
        date: None,
        sheet: None,
        direction: None,
        today: "2026-11-01".parse().unwrap(),
    }
}

fn refused(name: &str, content: &[u8]) -> String {
    let error: SharingError =
        read_list(Path::new(name), content, &options(Some("El Cajon CA PD"))).unwrap_err();
    let text = error.to_string();
    assert!(text.contains(name), "names the file: {text}");
    assert!(
        text.len() < 400,
        "quotes only a prefix: {} bytes",
        text.len()
    );
    text
}

#[test]
fn a_long_entry_is_refused_with_its_line() {
    // An entry of 2 MB on line 3: longer than a record may be.
    let mut csv = b"Organization Name\nDixon CA PD\n".to_vec();
    csv.extend(std::iter::repeat_n(b'y', 2 << 20));
    csv.extend(b"\nDavis CA PD\n");
    let text = refused("entry.csv", &csv);
    assert!(text.contains("line 3"), "{text}");
    assert!(text.contains("REMIT_MAX_RECORD_BYTES"), "{text}");
    assert!(text.contains("yyyy"), "quotes its start: {text}");
    // The same entry in a text list.
    let mut names = b"Dixon CA PD\n".to_vec();
    names.extend(std::iter::repeat_n(b'y', 2 << 20));
    let text = refused("entry.txt", &names);
    assert!(text.contains("line 2"), "{text}");
    // A quoted field of 300 KB spread over short lines: the field limit.
    let mut quoted = b"Organization Name\nDixon CA PD\n\"".to_vec();
    quoted.extend(b"a\n".repeat(150_000));
    quoted.extend(b"\"\n");
    let text = refused("quoted.csv", &quoted);
    assert!(
        text.contains("line 3") && text.contains("field 1"),
        "{text}"
    );
    assert!(text.contains("REMIT_MAX_FIELD_BYTES"), "{text}");
    // A row of 5,000 fields.
    let wide = format!("Organization Name\n{}\n", vec!["x"; 5_000].join(","));
    let text = refused("wide.csv", wide.as_bytes());
    assert!(text.contains("REMIT_MAX_COLUMNS"), "{text}");
}

#[test]
fn a_deeply_nested_portal_archive_is_refused() {
    let json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let text = refused("deep.json", json.as_bytes());
    assert!(text.contains("recursion limit"), "{text}");
}

#[test]
fn a_workbook_with_cells_far_apart_is_refused_before_it_is_read() {
    // Two cells, `A2` and `ZZZZZZ2`: the spreadsheet reader would allocate 20 GB for the grid
    // between them (found by fuzzing the readers; the workbook is the 287(g) reader's fixture).
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../registry/tests/fixtures/far-cells/participatingAgencies07012025am.xlsx");
    let content = std::fs::read(&path).unwrap();
    let text = refused("far-cells.xlsx", &content);
    assert!(text.contains("REMIT_MAX_COLUMNS"), "{text}");
    assert!(text.contains("ZZZZZZ2"), "{text}");
}
