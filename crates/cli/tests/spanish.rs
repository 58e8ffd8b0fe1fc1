//! `remit ask` and `remit guide` in Spanish (`--lang es`, or `REMIT_LANG`): the verdict in
//! Spanish words, Spanish dates and the Spanish disclaimer, JSON with the same keys and a `lang`
//! field, English unchanged without the flag; snapshots of one answer and one guide.

use std::path::Path;

mod common;

const DISCLAIMER_ES: &str = "No es asesoramiento legal";

/// The binary's stdout on `args`, from the workspace's root with an empty data home; fails the
/// test on a non-zero exit.
fn remit(args: &[&str]) -> String {
    let output = common::run(args);
    assert!(output.status.success(), "{}", common::stderr(&output));
    common::stdout(&output)
}

/// The text with the corpus version (`Corpus 2026.12+82211525.`) replaced, so that a snapshot
/// does not change with every corpus edit.
fn without_version(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("Corpus ") {
            Some(start) => {
                let rest = &line[start + "Corpus ".len()..];
                let end = rest.find(". ").unwrap_or(rest.len());
                format!("{}Corpus [version]{}", &line[..start], &rest[end..])
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_texas_detainer_in_spanish() {
    let out = remit(&[
        "ask",
        "--where",
        "TX",
        "--actor",
        "jail",
        "--action",
        "honor_detainer",
        "--counterparty",
        "ice",
        "--date",
        "2026-01-15",
        "--lang",
        "es",
    ]);
    assert!(
        out.starts_with("DEPENDE: para que una cárcel en Texas pueda mantener bajo custodia"),
        "{out}"
    );
    assert!(out.contains("en los demás casos, debe"), "{out}");
    assert!(
        out.contains("  - en los demás casos, DEBE (por los motivos que siguen)"),
        "{out}"
    );
    assert!(out.contains("(resumen en inglés) "), "{out}");
    assert!(out.contains(DISCLAIMER_ES), "{out}");
    assert!(!out.contains("not legal advice"), "{out}");
}

#[test]
fn a_california_status_question_in_spanish() {
    let out = remit(&[
        "ask",
        "--where",
        "Los Angeles, CA",
        "--actor",
        "local_police",
        "--action",
        "inquire_immigration_status",
        "--date",
        "2026-01-15",
        "--lang",
        "es",
    ]);
    let first = out.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("NO DEBE: la ley vigente el 15 de enero de 2026 prohíbe a un departamento de policía municipal en Los Angeles, California preguntar a una persona sobre su ciudadanía o estatus migratorio")
            || first.starts_with("DEPENDE: "),
        "{out}"
    );
    assert!(out.contains(DISCLAIMER_ES), "{out}");
}

#[test]
fn an_el_cajon_alpr_share_in_spanish_json() {
    let args = [
        "ask",
        "--where",
        "El Cajon, CA",
        "--actor",
        "local_police",
        "--action",
        "share_alpr_data",
        "--counterparty",
        "out_of_state_agency",
        "--date",
        "2026-01-15",
        "--json",
    ];
    let english = common::json(&common::run(&args));
    let mut spanish_args = args.to_vec();
    spanish_args.extend(["--lang", "es"]);
    let spanish = common::json(&common::run(&spanish_args));
    assert_eq!(spanish["lang"], "es");
    assert!(english.get("lang").is_none(), "English JSON is as it was");
    assert_eq!(spanish["verdict"], "must_not");
    assert_eq!(english["verdict"], spanish["verdict"]);
    // The same keys, Spanish text in the sentences, sources as written.
    let keys = |v: &serde_json::Value| {
        v.as_object()
            .map(|o| {
                o.keys()
                    .filter(|k| *k != "lang")
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    assert_eq!(keys(&english), keys(&spanish));
    assert!(
        spanish["headline"].as_str().is_some_and(
            |h| h.starts_with("no debe: la ley vigente el 15 de enero de 2026 prohíbe")
        ),
        "{}",
        spanish["headline"]
    );
    assert_eq!(english["determining"], spanish["determining"]);
    assert!(
        spanish["disclaimer"]
            .as_str()
            .is_some_and(|d| d.contains(DISCLAIMER_ES))
    );
}

#[test]
fn a_place_with_no_rule_in_spanish_from_the_environment() {
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("spanish-empty-home");
    let _ = std::fs::create_dir_all(&home);
    let output = common::output(
        common::with_data_home(&home)
            .env("REMIT_LANG", "es_US.UTF-8")
            .args([
                "ask",
                "--where",
                "WY",
                "--actor",
                "campus_police",
                "--action",
                "report_cooperation_requests",
                "--date",
                "2026-01-15",
            ]),
    );
    assert!(output.status.success(), "{}", common::stderr(&output));
    let out = common::stdout(&output);
    assert!(out.starts_with("SIN NORMA: "), "{out}");
    assert!(
        out.contains("esto no significa que el acto sea lícito"),
        "{out}"
    );
    assert!(out.contains(DISCLAIMER_ES), "{out}");
}

#[test]
fn an_unknown_language_is_an_error() {
    let output = common::run(&[
        "ask",
        "--where",
        "TX",
        "--actor",
        "jail",
        "--action",
        "honor_detainer",
        "--lang",
        "fr",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = common::stderr(&output);
    assert!(
        stderr.contains("`--lang`: unknown language `fr`"),
        "{stderr}"
    );
}

#[test]
fn english_stays_the_default() {
    let out = remit(&[
        "ask",
        "--where",
        "El Cajon, CA",
        "--actor",
        "local_police",
        "--action",
        "share_alpr_data",
        "--counterparty",
        "out_of_state_agency",
        "--date",
        "2026-01-15",
    ]);
    assert!(
        out.starts_with("MUST NOT: the law in force on 2026-01-15 forbids"),
        "{out}"
    );
    assert!(out.contains("not legal advice"), "{out}");
}

#[test]
fn snapshot_of_a_spanish_answer() {
    insta::assert_snapshot!(without_version(&remit(&[
        "ask",
        "--where",
        "El Cajon, CA",
        "--actor",
        "local_police",
        "--action",
        "share_alpr_data",
        "--counterparty",
        "out_of_state_agency",
        "--date",
        "2026-01-15",
        "--lang",
        "es",
    ])));
}

#[test]
fn snapshot_of_a_spanish_guide() {
    insta::assert_snapshot!(without_version(&remit(&[
        "guide",
        "--where",
        "ID",
        "--actor",
        "prosecutor",
        "--date",
        "2026-01-15",
        "--lang",
        "es",
    ])));
}
