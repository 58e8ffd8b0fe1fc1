//! The corpus loader: a fuzzed TOML file (a rule file, a context file or a scenarios file) is
//! loaded with the real vocabulary, corpus metadata, places and guide. No panic or stack
//! overflow; every problem in the fuzzed file names a line that exists.
#![no_main]

use libfuzzer_sys::fuzz_target;
use remit_law::corpus::{Corpus, Scenarios, SourceFile};

const ROOT: &[(&str, &str)] = &[
    (
        "vocabulary.toml",
        include_str!("../../corpus/vocabulary.toml"),
    ),
    ("corpus.toml", include_str!("../../corpus/corpus.toml")),
    ("places.toml", include_str!("../../corpus/places.toml")),
    ("guide.toml", include_str!("../../corpus/guide.toml")),
];

fuzz_target!(|input: &[u8]| {
    let Some((&control, data)) = input.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = match control % 3 {
        0 | 1 => "us-ca/fuzzed.toml",
        _ => "us-ca/fuzzed.context.toml",
    };
    let mut files: Vec<SourceFile> = ROOT
        .iter()
        .map(|(path, text)| SourceFile {
            path: (*path).to_string(),
            text: (*text).to_string(),
        })
        .collect();
    files.push(SourceFile {
        path: path.to_string(),
        text: text.to_string(),
    });
    if let Err(error) = Corpus::from_files_with(files, Scenarios::Load) {
        let lines = text.lines().count().max(1) + 1;
        for diagnostic in &error.diagnostics {
            if diagnostic.file == path {
                if let Some(line) = diagnostic.line {
                    assert!(
                        line >= 1 && line <= lines,
                        "line {line} of {lines}: {diagnostic}"
                    );
                }
            }
        }
        assert!(!error.to_string().is_empty());
    }
});
