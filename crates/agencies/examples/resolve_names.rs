//! Resolves every line of a file and prints one tab-separated line per name: input, state hint,
//! state, class, kind, ORI, counterparty, confidence, name, reasons. Lines may carry a state hint
//! after a tab (`City of Boca Raton Police Department<TAB>FLORIDA`).
//!
//! ```text
//! cargo run -p remit-agencies --example resolve_names -- [--fbi fbi-lee.csv] [--home CA] names.txt
//! ```
//!
//! Handy for reviewing how a whole list resolves; `remit agencies resolve --input` is the tool
//! for users.

use std::process::ExitCode;

use remit_agencies::{Directory, Resolver};

fn main() -> ExitCode {
    let mut fbi = None;
    let mut home = None;
    let mut file = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--fbi" => fbi = args.next(),
            "--home" => home = args.next(),
            _ => file = Some(arg),
        }
    }
    let Some(file) = file else {
        eprintln!("usage: resolve_names [--fbi FBI.csv] [--home XX] NAMES.txt");
        return ExitCode::from(2);
    };
    let directory = match fbi {
        Some(path) => match Directory::from_fbi_csv(std::path::Path::new(&path)) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => Directory::builtin(),
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read `{file}`: {e}");
            return ExitCode::from(2);
        }
    };
    let resolver = Resolver::new(directory);
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let (name, hint) = match line.split_once('\t') {
            Some((name, hint)) => (name, Some(hint).filter(|h| !h.trim().is_empty())),
            None => (line, None),
        };
        let r = resolver.resolve_near(name, hint, home.as_deref());
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.2}\t{}\t{}",
            r.input,
            hint.unwrap_or(""),
            r.state.as_deref().unwrap_or("-"),
            r.class,
            r.kind.as_deref().unwrap_or("-"),
            r.ori.as_deref().unwrap_or("-"),
            r.counterparty.as_deref().unwrap_or("-"),
            r.confidence,
            r.name,
            r.reasons.join(" | ")
        );
    }
    ExitCode::SUCCESS
}
