//! Reads every line of a file as a place, as `remit ask --where` does, and prints one
//! tab-separated line per text: the text, the division's id and label, and the other places of
//! the name (or the error and its candidates). With `--fbi`, agency names and ORIs are read
//! through that directory too.
//!
//! ```text
//! cargo run -p remit-agencies --example read_places -- [--fbi ../shared/data/agencies/fbi-lee.csv] places.txt
//! ```
//!
//! Handy for reviewing how a whole list of names reads.

use std::process::ExitCode;

use remit_agencies::{Directory, PlaceReader, Resolver};

fn main() -> ExitCode {
    let mut fbi = None;
    let mut file = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--fbi" => fbi = args.next(),
            _ => file = Some(arg),
        }
    }
    let Some(file) = file else {
        eprintln!("usage: read_places [--fbi FBI.csv] PLACES.txt");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: cannot read `{file}`: {error}");
            return ExitCode::from(2);
        }
    };
    let resolver = match fbi.map(|path| Directory::from_fbi_csv(std::path::Path::new(&path))) {
        Some(Ok(directory)) => Some(Resolver::new(directory)),
        Some(Err(error)) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
        None => None,
    };
    let mut reader = PlaceReader::new();
    if let Some(resolver) = &resolver {
        reader = reader.with_resolver(resolver);
    }
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match reader.read(line) {
            Ok(reading) => {
                let others: Vec<&str> = reading.others.iter().map(|c| c.typed.as_str()).collect();
                println!(
                    "{line}\t{}\t{}\t{}",
                    reading.id,
                    reading.label,
                    others.join("; ")
                );
            }
            Err(error) => {
                let candidates: Vec<&str> = error
                    .candidates()
                    .iter()
                    .map(|c| c.typed.as_str())
                    .collect();
                println!("{line}\terror\t{error}\t{}", candidates.join("; "));
            }
        }
    }
    ExitCode::SUCCESS
}
