//! The pipeline end to end on real inputs: every file of `../shared/data/alpr`, the generated
//! network audit of a California agency, and the parallel reader against the sequential one.

#[path = "support/setup.rs"]
mod setup;
#[path = "support/shared_data.rs"]
mod shared_data;
#[path = "support/temp.rs"]
mod temp;

use std::path::{Path, PathBuf};

use remit_audit::sinks::{FindingsCsv, RejectsCsv, ReportHtml, SummaryJson};
use remit_audit::{AuditOptions, AuditRun, Sink};
use setup::Setup;
use shared_data::shared_data;
use temp::temp_dir;

fn audit(
    setup: &Setup,
    files: &[PathBuf],
    options: &AuditOptions,
    sinks: &mut [&mut dyn Sink],
) -> Result<AuditRun, remit_audit::AuditError> {
    setup.auditor().run(files, options, sinks)
}

fn count(run: &AuditRun, category: &str) -> u64 {
    run.summary.by_category[category]
}

/// Every file under `../shared/data/alpr` audits without error: search logs give their rows
/// as events, with categories that make sense; sharing lists and portal archives without an
/// audit are skipped with a word, not an error.
#[test]
fn every_shared_file_audits() {
    let Some(root) = shared_data() else {
        return;
    };
    let setup = Setup::new();
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in walk(&root) {
        files.push(entry);
    }
    assert!(files.len() > 190, "{}", files.len());
    let mut portal_events = 0;
    let mut portal_audits = 0;
    for file in &files {
        let name = file.strip_prefix(&root).unwrap().display().to_string();
        let owner = match name.split('/').next() {
            Some("eugene-or") => Some("Eugene OR PD"),
            Some("okaloosa-fl") => Some("Okaloosa County FL SO"),
            Some("san-mateo-ca") => Some("San Mateo County CA SO"),
            Some("irvine-ca") => Some("Irvine CA PD"),
            _ => None,
        };
        let options = AuditOptions {
            owner: owner.map(str::to_string),
            redact: true,
            ..AuditOptions::default()
        };
        let run = audit(&setup, std::slice::from_ref(file), &options, &mut [])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let summary = &run.summary;
        let expected = match name.as_str() {
            "eugene-or/EPDSearchAuditLogs.csv" => Some(4294),
            "eugene-or/EPDSearchAuditLogs.xlsx" => Some(4377),
            "okaloosa-fl/org-audit_2025-11-01_2025-12-08.csv" => Some(7273),
            "san-mateo-ca/W012541_search_audit.a871b2fc.csv" => Some(91),
            "san-mateo-ca/W012541_search_audit.f5f2e2bb.csv" => Some(36),
            "irvine-ca/vigilant-audit_2021-12_2025-01.xlsx" => Some(44_659),
            "eugene-or/sharing-list.csv" | "okaloosa-fl/sharing-agencies.csv" => Some(0),
            _ => None,
        };
        if let Some(expected) = expected {
            assert_eq!(summary.events, expected, "{name}");
            assert_eq!(summary.rejected, 0, "{name}");
        }
        if name.ends_with("sharing-list.csv") || name.ends_with("sharing-agencies.csv") {
            assert_eq!(run.skipped.len(), 1, "{name}");
        }
        if name.starts_with("transparency-portals/") {
            portal_events += summary.events;
            if summary.events > 0 {
                portal_audits += 1;
                // The portal names its agency, which is the owner; its searches are its own.
                assert!(summary.owner.is_some(), "{name}");
                assert_eq!(summary.by_verdict["own_search"], summary.events, "{name}");
            }
        }
        // No real log in the folder holds an immigration search (see the classifier test).
        assert_eq!(count(&run, "immigration"), 0, "{name}");
        if summary.events > 0 {
            assert!(summary.period.first.is_some(), "{name}");
        }
        if summary.events >= 50 {
            // Sensible: most searches are named offences, vague words, case numbers or blank.
            let sorted = count(&run, "criminal")
                + count(&run, "vague")
                + count(&run, "case_number")
                + count(&run, "missing")
                + count(&run, "missing_person_welfare")
                + count(&run, "traffic");
            assert!(
                sorted * 10 >= summary.events * 7,
                "{name}: only {sorted} of {} searches sorted",
                summary.events
            );
        }
    }
    // 78 of the 187 archives carry a non-empty search audit (30,748 searches in all).
    assert_eq!(portal_audits, 78);
    assert_eq!(portal_events, 30_748);
}

#[expect(
    clippy::unwrap_used,
    reason = "a test helper: an unreadable data folder fails the test"
)]
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Known facts of the real logs come out: Okaloosa's organization audit is the sheriff's own
/// searches (no sharing question), its blank reasons are `missing`, and its case-number column
/// is absent so no search is flagged for a missing case number; Irvine's "ICE impersonation"
/// case is a crime, not immigration; timestamps of the three forms read to the same period as
/// the files state.
#[test]
fn real_logs_give_the_known_facts() {
    let Some(root) = shared_data() else {
        return;
    };
    let setup = Setup::new();
    let run = audit(
        &setup,
        &[root.join("okaloosa-fl/org-audit_2025-11-01_2025-12-08.csv")],
        &AuditOptions::default(),
        &mut [],
    )
    .unwrap();
    let s = &run.summary;
    let owner = s.owner.as_ref().unwrap();
    assert_eq!(owner.state.as_deref(), Some("FL"));
    assert_eq!(owner.actor, "sheriff");
    assert_eq!(s.by_verdict["own_search"], 7273);
    assert_eq!(s.by_category["missing"], 9);
    assert_eq!(s.by_flag["missing_case_number"], 0);
    assert_eq!(s.period.first.as_deref(), Some("2025-11-01T08:51:59Z"));
    assert_eq!(s.period.last.as_deref(), Some("2025-12-09T05:48:49Z"));

    let run = audit(
        &setup,
        &[root.join("eugene-or/EPDSearchAuditLogs.csv")],
        &AuditOptions {
            owner: Some("Eugene OR PD".to_string()),
            ..AuditOptions::default()
        },
        &mut [],
    )
    .unwrap();
    assert_eq!(
        run.summary.period.first.as_deref(),
        Some("2025-06-18T00:02:04Z")
    );
    assert_eq!(run.summary.by_category["missing"], 5);
    // "Administrative Test", "Camera Test", "Test", "Training", ...
    assert!(run.summary.by_category["test_or_training"] >= 70);

    let run = audit(
        &setup,
        &[root.join("irvine-ca/vigilant-audit_2021-12_2025-01.xlsx")],
        &AuditOptions {
            owner: Some("Irvine CA PD".to_string()),
            ..AuditOptions::default()
        },
        &mut [],
    )
    .unwrap();
    let tables = &run.tables;
    let impersonation: Vec<_> = tables
        .reasons
        .iter()
        .filter(|r| r.text.to_ascii_lowercase().contains("ice imperson"))
        .collect();
    assert!(!impersonation.is_empty());
    for reason in impersonation {
        assert!(
            !reason
                .classification
                .categories
                .contains(remit_audit::Category::Immigration),
            "{}",
            reason.text
        );
    }
    assert_eq!(
        run.summary.period.first.as_deref().map(|t| &t[..10]),
        Some("2021-12-14")
    );
    assert!(run.summary.files[0].path.ends_with("#Audit"));
}

/// The acceptance case: in a California agency's network audit, a planted immigration
/// search by an out-of-state agency is forbidden sharing, with the California citations.
#[test]
fn planted_out_of_state_immigration_search_is_must_not_in_california() {
    let dir = temp_dir("planted");
    let input = dir.join("network.csv");
    let mut file = std::fs::File::create(&input).unwrap();
    remit_audit::demo::generate(3000, 11, &mut file).unwrap();
    drop(file);
    let setup = Setup::new();
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let mut findings = FindingsCsv::create(&out, true).unwrap();
    let mut rejects = RejectsCsv::create(&out).unwrap();
    let mut summary = SummaryJson::new(&out);
    let mut report = ReportHtml::new(&out, true).with_vocabulary(setup.corpus.vocabulary());
    let run = audit(
        &setup,
        std::slice::from_ref(&input),
        &AuditOptions {
            owner: Some("El Cajon CA PD".to_string()),
            redact: true,
            ..AuditOptions::default()
        },
        &mut [&mut findings, &mut rejects, &mut summary, &mut report],
    )
    .unwrap();
    assert_eq!(run.summary.events, 3000);
    assert_eq!(
        run.summary.owner.as_ref().unwrap().state.as_deref(),
        Some("CA")
    );
    let mut reader = csv::Reader::from_path(out.join("findings.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let planted: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| {
            &r[column("category")] == "immigration"
                && &r[column("counterparty")] == "out_of_state_agency"
        })
        .collect();
    assert!(
        !planted.is_empty(),
        "no planted out-of-state immigration search"
    );
    for row in &planted {
        assert_eq!(&row[column("verdict")], "must_not", "{row:?}");
        assert_eq!(&row[column("purpose")], "civil_immigration_enforcement");
        let citations = &row[column("citations")];
        assert!(citations.contains("Cal. Civ. Code"), "{citations}");
        assert!(citations.contains("1798.90.55"), "{citations}");
        assert!(row[column("flags")].contains("forbidden_sharing"));
        // Provenance: the line holds that search.
        let line: usize = row[column("line")].parse().unwrap();
        let text = std::fs::read_to_string(&input).unwrap();
        let source_line = text.lines().nth(line - 1).unwrap();
        assert!(source_line.contains(&row[column("searcher_as_written")]));
        // Redacted: the officer's name is not in the finding.
        assert_eq!(&row[column("user")], "[redacted]");
    }
    // In-state agencies may receive the data; their routine searches are not findings.
    assert!(run.summary.by_verdict["may"] > 0);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    for key in [
        "events",
        "rejected",
        "by_category",
        "by_searcher_class",
        "by_verdict",
        "top_searchers",
    ] {
        assert!(summary.get(key).is_some(), "summary.json lacks `{key}`");
    }
    // The Attorney General's bulletin that reads the statute this way is cited with the rule,
    // in the summary's decisions and in the report.
    let decision = summary["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["counterparty"] == "out_of_state_agency" && d["verdict"] == "must_not")
        .expect("a must_not decision for out-of-state sharing");
    let also = decision["determining"][0]["also"].to_string();
    assert!(also.contains("2023-DLE-06"), "{also}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<svg"));
    assert!(html.contains("1798.90.55"));
    assert!(html.contains("2023-DLE-06"));
    // The law's questions are named in the vocabulary's phrases.
    assert!(html.contains("<td>a state or local agency of another state</td>"));
    // Each flag set on a search is counted with what it means.
    let out_of_state = run.summary.by_flag["out_of_state_searcher"];
    assert!((1..1000).contains(&out_of_state), "{out_of_state}");
    assert!(
        html.contains(&format!(
            "<tr><td>out of state searcher</td><td>{out_of_state}</td><td>yes</td>"
        )),
        "{html}"
    );
    assert!(
        !html.contains("<td>private searcher</td>"),
        "a flag no search has is left out"
    );
    // Self-contained: no script, stylesheet, image or font from anywhere (links to the cited
    // sources are plain anchors).
    for external in ["<script", "<link", "<img", "src=", "@import", "url("] {
        assert!(!html.contains(external), "report.html has `{external}`");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A file read through the memory map that changes during the run fails the run with a plain
/// message instead of giving an audit of a mix of two files; `--no-map` reads what was there.
#[test]
fn a_file_that_changes_while_mapped_fails_the_run() {
    let dir = temp_dir("changing");
    let input = dir.join("network.csv");
    let mut bytes = Vec::new();
    remit_audit::demo::generate(3000, 6, &mut bytes).unwrap();
    let setup = Setup::new();
    let run = |no_map: bool| {
        std::fs::write(&input, &bytes).unwrap();
        let appended = std::sync::atomic::AtomicBool::new(false);
        // Another program appends a search once the first block is done.
        let progress = |progress: remit_audit::Progress| {
            if progress.bytes_done > 0 && !appended.swap(true, std::sync::atomic::Ordering::SeqCst)
            {
                use std::io::Write as _;
                let mut file = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&input)
                    .unwrap();
                file.write_all(b"A. Late,Yuma AZ PD,1,100,\"x\",,theft,,,\"06/01/2025, 10:00:00 AM UTC\",lookup,,\n")
                    .unwrap();
            }
        };
        let mut auditor = setup.auditor();
        auditor.progress = Some(&progress);
        let result = auditor.run(
            std::slice::from_ref(&input),
            &AuditOptions {
                owner: Some("El Cajon CA PD".to_string()),
                threads: 2,
                block_bytes: 8192,
                no_map,
                ..AuditOptions::default()
            },
            &mut [],
        );
        assert!(appended.load(std::sync::atomic::Ordering::SeqCst));
        result
    };
    let error = run(false).map(|run| run.summary.events).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("network.csv"), "{message}");
    assert!(
        message.contains("changed while it was being read"),
        "{message}"
    );
    // Read calls stop at the size the file had when the run started.
    let read = run(true).unwrap();
    assert_eq!(read.summary.events, 3000);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The parallel reader gives the same events, findings and line numbers as the sequential one,
/// also when a block boundary falls inside a quoted field that spans many lines.
#[test]
fn parallel_blocks_agree_with_one_thread() {
    let dir = temp_dir("parallel");
    let input = dir.join("network.csv");
    let mut bytes = Vec::new();
    remit_audit::demo::generate(4000, 5, &mut bytes).unwrap();
    // A search whose text prompt runs over 300 lines, in the middle of the file.
    let text = String::from_utf8(bytes).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let long_prompt: String = (0..300)
        .map(|i| format!("line {i}, of the prompt\n"))
        .collect();
    let planted = format!(
        "A. Adams,Yuma AZ PD,1,100,\"x\",,immigration,,,\"06/01/2025, 10:00:00 AM UTC\",freeform,\"{long_prompt}\",allow"
    );
    lines.insert(2000, &planted);
    let text = lines.join("\n") + "\n";
    std::fs::write(&input, &text).unwrap();
    let setup = Setup::new();
    let run_reading = |threads: usize, block: u64, name: &str, no_map: bool| {
        let out = dir.join(name);
        std::fs::create_dir_all(&out).unwrap();
        let mut findings = FindingsCsv::create(&out, false).unwrap();
        let run = audit(
            &setup,
            std::slice::from_ref(&input),
            &AuditOptions {
                owner: Some("El Cajon CA PD".to_string()),
                threads,
                block_bytes: block,
                no_map,
                ..AuditOptions::default()
            },
            &mut [&mut findings],
        )
        .unwrap();
        let csv = std::fs::read_to_string(out.join("findings.csv")).unwrap();
        (run, csv)
    };
    let run_with =
        |threads: usize, block: u64, name: &str| run_reading(threads, block, name, false);
    let (one, one_csv) = run_with(1, 0, "one");
    let (two, two_csv) = run_with(2, 4096, "two");
    let (three, three_csv) = run_with(3, 1000, "three");
    // The parallel reader through read calls instead of a memory map.
    let (read, read_csv) = run_reading(3, 1000, "read", true);
    assert_eq!(
        read.summary.files[0].content_hash,
        three.summary.files[0].content_hash
    );
    assert_eq!(one.summary.events, 4001);
    assert_eq!(one.summary.rejected, 0);
    for (other, csv) in [(&two, &two_csv), (&three, &three_csv), (&read, &read_csv)] {
        assert_eq!(other.summary.events, one.summary.events);
        assert_eq!(other.summary.rejected, 0);
        assert_eq!(other.summary.by_category, one.summary.by_category);
        assert_eq!(other.summary.by_verdict, one.summary.by_verdict);
        assert_eq!(other.summary.by_month, one.summary.by_month);
        assert_eq!(csv, &one_csv);
    }
    // The long search was read as one record, at its own line.
    let line = one_csv
        .lines()
        .find(|l| l.contains("Yuma") && l.contains("immigration"))
        .unwrap();
    assert!(line.contains(",2001,"), "{line}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Bad rows are set aside with file, line, field and reason, and counted; good rows are kept;
/// `--strict` stops at the first.
#[test]
fn bad_rows_are_rejected_with_line_and_field() {
    let dir = temp_dir("rejects");
    let input = dir.join("portal.csv");
    std::fs::write(
        &input,
        "\u{feff}\"id\",\"userId\",\"searchDate\",\"networkCount\",\"reason\"\n\
         \"a\",\"***\",\"2026-03-10T04:31:52.901Z\",\"2\",\"Investigation\"\n\
         \"b\",\"***\",\"yesterday\",\"2\",\"Stolen\"\n\
         \"c\",\"***\",\"\",\"2\",\"Stolen\"\n\
         \"d\",\"***\",\"2026-03-11T04:31:52Z\",\"2\",\"stolen\",\"extra\"\n\
         \"e\",\"***\",\"2026-03-12T04:31:52Z\",\"449\",\"BOL\"\n",
    )
    .unwrap();
    let setup = Setup::new();
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let mut rejects = RejectsCsv::create(&out).unwrap();
    let run = audit(
        &setup,
        std::slice::from_ref(&input),
        &AuditOptions::default(),
        &mut [&mut rejects],
    )
    .unwrap();
    assert_eq!(run.summary.events, 2);
    assert_eq!(run.summary.rejected, 3);
    let rejects = std::fs::read_to_string(out.join("rejects.csv")).unwrap();
    let lines: Vec<&str> = rejects.lines().collect();
    assert_eq!(lines[0], "file,line,field,reason");
    assert!(
        lines[1].ends_with(",3,searchDate,`yesterday` is not a time Remit can read"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].ends_with(",4,searchDate,the search time is empty"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].contains(",5,,the row has 6 fields; the header has 5"),
        "{}",
        lines[3]
    );

    let error = audit(
        &setup,
        std::slice::from_ref(&input),
        &AuditOptions {
            strict: true,
            ..AuditOptions::default()
        },
        &mut [],
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("portal.csv` line 3, field `searchDate`"),
        "{error}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A header Remit does not know is an error naming the file and its columns, with advice; the
/// same file reads with `--map`.
#[test]
fn unknown_layouts_need_a_mapping() {
    let dir = temp_dir("mapping");
    let input = dir.join("other.csv");
    std::fs::write(
        &input,
        "When,Agency,Why\n2025-03-01 10:00,Yuma AZ PD,ICE assist\n",
    )
    .unwrap();
    let setup = Setup::new();
    let error = audit(
        &setup,
        std::slice::from_ref(&input),
        &AuditOptions::default(),
        &mut [],
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("`When`, `Agency`, `Why`"),
        "{error}"
    );
    assert!(error.help().unwrap().contains("--map"));
    let run = audit(
        &setup,
        std::slice::from_ref(&input),
        &AuditOptions {
            owner: Some("El Cajon CA PD".to_string()),
            mapping: remit_audit::layout::Mapping::parse("time=When,org=Agency,reason=Why")
                .unwrap(),
            ..AuditOptions::default()
        },
        &mut [],
    )
    .unwrap();
    assert_eq!(run.summary.events, 1);
    assert_eq!(run.summary.by_category["immigration"], 1);
    assert_eq!(run.summary.by_verdict["must_not"], 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The same searches as CSV, gzip-compressed CSV and NDJSON (plain and gzip) give the same audit.
#[test]
fn gzip_and_ndjson_read_like_csv() {
    use std::io::Write;
    let dir = temp_dir("formats");
    let mut csv_bytes = Vec::new();
    remit_audit::demo::generate(1500, 9, &mut csv_bytes).unwrap();
    let csv_path = dir.join("network.csv");
    std::fs::write(&csv_path, &csv_bytes).unwrap();
    let gz_path = dir.join("network.csv.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz_path).unwrap(),
        flate2::Compression::fast(),
    );
    encoder.write_all(&csv_bytes).unwrap();
    encoder.finish().unwrap();
    // NDJSON: one object per search, keys as the CSV header.
    let mut reader = csv::Reader::from_reader(csv_bytes.as_slice());
    let header = reader.headers().unwrap().clone();
    let mut ndjson = String::new();
    for record in reader.records() {
        let record = record.unwrap();
        let object: serde_json::Map<String, serde_json::Value> = header
            .iter()
            .zip(record.iter())
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
            .collect();
        ndjson.push_str(&serde_json::Value::Object(object).to_string());
        ndjson.push('\n');
    }
    let ndjson_path = dir.join("network.ndjson");
    std::fs::write(&ndjson_path, &ndjson).unwrap();
    let ndjson_gz_path = dir.join("network.ndjson.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&ndjson_gz_path).unwrap(),
        flate2::Compression::fast(),
    );
    encoder.write_all(ndjson.as_bytes()).unwrap();
    encoder.finish().unwrap();

    let setup = Setup::new();
    let options = AuditOptions {
        owner: Some("El Cajon CA PD".to_string()),
        ..AuditOptions::default()
    };
    let reference = audit(&setup, std::slice::from_ref(&csv_path), &options, &mut []).unwrap();
    assert_eq!(reference.summary.events, 1500);
    for path in [&gz_path, &ndjson_path, &ndjson_gz_path] {
        let run = audit(&setup, std::slice::from_ref(path), &options, &mut []).unwrap();
        assert_eq!(run.summary.events, 1500, "{}", path.display());
        assert_eq!(run.summary.rejected, 0, "{}", path.display());
        assert_eq!(run.summary.by_category, reference.summary.by_category);
        assert_eq!(run.summary.by_verdict, reference.summary.by_verdict);
        assert_eq!(run.summary.by_month, reference.summary.by_month);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A log whose owner is not known, with a searcher column that some rows leave empty: the empty
/// rows are the owner's own searches, counted under one placeholder searcher, whichever worker
/// met which searcher first.
#[test]
fn rows_without_a_searcher_are_the_unknown_owners_own() {
    let dir = temp_dir("unknown-owner");
    let input = dir.join("mapped.csv");
    let mut text = String::from("When,Agency,Why\n");
    for i in 0..3000 {
        let agency = match i % 3 {
            0 => "Yuma AZ PD",
            1 => "",
            _ => "Chula Vista CA PD",
        };
        text.push_str(&format!(
            "2025-03-{:02}T10:00:00Z,{agency},investigation {i}\n",
            1 + i % 28
        ));
    }
    std::fs::write(&input, &text).unwrap_or_else(|e| panic!("{e}"));
    let setup = Setup::new();
    for (threads, block) in [(1, 0), (2, 1000), (3, 700)] {
        let run = audit(
            &setup,
            std::slice::from_ref(&input),
            &AuditOptions {
                mapping: remit_audit::layout::Mapping::parse("time=When,org=Agency,reason=Why")
                    .unwrap_or_else(|e| panic!("{e}")),
                threads,
                block_bytes: block,
                ..AuditOptions::default()
            },
            &mut [],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(run.summary.events, 3000);
        let searches = |name: &str| {
            run.summary
                .all_searchers
                .iter()
                .filter(|s| s.name.contains(name))
                .map(|s| (s.searches, s.own))
                .collect::<Vec<_>>()
        };
        assert_eq!(searches("(the data's owner)"), [(1000, true)], "{threads}");
        assert_eq!(searches("Yuma"), [(1000, false)], "{threads}");
        assert_eq!(searches("Chula Vista"), [(1000, false)], "{threads}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
