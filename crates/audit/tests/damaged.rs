//! Damaged inputs: hundreds of copies of a real-layout log with bytes flipped, cut, doubled or
//! swapped for quotes, commas and newlines, each audited on one thread and on many small blocks.
//! None may panic; each either fails with an error that names the file, or accounts for every
//! row it read (audited or set aside with its line), and both paths agree.

#[path = "support/rng.rs"]
mod rng;
#[path = "support/setup.rs"]
mod setup;
#[path = "support/temp.rs"]
mod temp;

use std::path::Path;

use remit_audit::process::Reject;
use remit_audit::{AuditOptions, Auditor, Event, Sink, Summary};
use rng::Rng;
use setup::Setup;
use temp::temp_dir;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/demo/alpr/network-audit-sample.csv"
);

fn damage(original: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(bytes.len());
        match rng.below(7) {
            0 => bytes[at] = b'"',
            1 => bytes[at] = b',',
            2 => bytes[at] = b'\n',
            3 => bytes[at] ^= 1 << rng.below(8),
            4 => bytes.truncate(at),
            5 => {
                let end = (at + rng.below(200)).min(bytes.len());
                let piece = bytes[at..end].to_vec();
                bytes.splice(at..at, piece);
            }
            _ => {
                let end = (at + rng.below(50)).min(bytes.len());
                bytes.drain(at..end);
            }
        }
        if bytes.is_empty() {
            bytes.push(b'x');
        }
    }
    bytes
}

/// Rejects with their lines, and how many events reached the sinks.
#[derive(Debug, Default)]
struct Tally {
    events: u64,
    rejects: Vec<(u64, String)>,
}

impl Sink for Tally {
    fn name(&self) -> &str {
        "tally"
    }

    fn wants_every_event(&self) -> bool {
        true
    }

    fn event(
        &mut self,
        _event: &Event<'_>,
        _tables: &remit_audit::process::Tables,
    ) -> Result<(), remit_audit::AuditError> {
        self.events += 1;
        Ok(())
    }

    fn reject(
        &mut self,
        reject: &Reject,
        _tables: &remit_audit::process::Tables,
    ) -> Result<(), remit_audit::AuditError> {
        self.rejects.push((reject.line, reject.message.clone()));
        Ok(())
    }

    fn finish(
        &mut self,
        _summary: &Summary,
        _tables: &remit_audit::process::Tables,
    ) -> Result<(), remit_audit::AuditError> {
        Ok(())
    }
}

/// The run's summary and rejects, or the error's text.
fn run(auditor: &Auditor<'_>, path: &Path, block_bytes: u64) -> Result<(u64, u64, Tally), String> {
    let options = AuditOptions {
        owner: Some("Sample City CA PD".to_string()),
        threads: if block_bytes == 0 { 1 } else { 3 },
        block_bytes,
        ..AuditOptions::default()
    };
    let mut tally = Tally::default();
    match auditor.run(&[path.to_path_buf()], &options, &mut [&mut tally]) {
        Ok(run) => Ok((run.summary.events, run.summary.rejected, tally)),
        Err(error) => Err(error.to_string()),
    }
}

#[test]
fn damaged_logs_are_audited_or_refused_never_a_panic() {
    let setup = Setup::new();
    let auditor = setup.auditor();
    let original = std::fs::read(SAMPLE).unwrap();
    let dir = temp_dir("damaged");
    let (mut audited, mut refused, mut with_rejects) = (0, 0, 0);
    for seed in 1..=300_u64 {
        let mut rng = Rng::seeded(seed);
        let bytes = damage(&original, &mut rng);
        let path = dir.join(format!("damaged-{seed}.csv"));
        std::fs::write(&path, &bytes).unwrap();
        let one = run(&auditor, &path, 0);
        // Blocks of 1 KiB: most block starts fall inside a record, some inside a quoted field.
        let many = run(&auditor, &path, 1024);
        match (&one, &many) {
            (Ok((events, rejected, tally)), Ok((events_many, rejected_many, tally_many))) => {
                audited += 1;
                with_rejects += usize::from(*rejected > 0);
                assert_eq!(tally.events, *events, "seed {seed}");
                assert_eq!(tally.rejects.len() as u64, *rejected, "seed {seed}");
                // Every set-aside row names a line of the file and says why.
                let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
                for (line, message) in &tally.rejects {
                    assert!((2..=lines).contains(line), "seed {seed}: line {line}");
                    assert!(!message.is_empty(), "seed {seed}");
                }
                assert_eq!(
                    (events, rejected, &tally.rejects),
                    (events_many, rejected_many, &tally_many.rejects),
                    "seed {seed}: one thread and many blocks disagree"
                );
            }
            (Err(one), Err(many)) => {
                refused += 1;
                assert!(one.contains(&format!("damaged-{seed}.csv")), "{one}");
                assert_eq!(one, many, "seed {seed}");
            }
            _ => panic!("seed {seed}: one thread gave {one:?}, many blocks {many:?}"),
        }
    }
    // Most damage leaves a log that is still read, often with rows set aside; some breaks the
    // header.
    eprintln!("{audited} audited ({with_rejects} with rows set aside), {refused} refused");
    assert!(audited > 200, "{audited} audited, {refused} refused");
    assert!(with_rejects > 20, "{with_rejects} runs set rows aside");
    let _ = std::fs::remove_dir_all(&dir);
}
