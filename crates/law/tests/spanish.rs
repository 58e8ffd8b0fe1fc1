//! Spanish answers: the Spanish tables are complete (a missing translation fails the corpus
//! check, naming the file and the word), and Spanish answers to real questions carry the right
//! verdict, Spanish dates and the Spanish disclaimer while citations stay as the sources write
//! them.

#![expect(clippy::panic, reason = "test helpers stop the test on a bad setup")]

use std::path::{Path, PathBuf};

use remit_law::{Corpus, DISCLAIMER, DISCLAIMER_ES, Lang, QuestionInput, Verdict};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus");

fn corpus() -> Corpus {
    Corpus::embedded_with(remit_law::Scenarios::Skip).unwrap_or_else(|e| panic!("{e}"))
}

/// A copy of the repository's corpus in a fresh temporary folder, for breaking on purpose.
fn copy_corpus(name: &str) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
        let entries = std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            let target = to.join(entry.file_name());
            if path.is_dir() {
                copy(&path, &target);
            } else {
                std::fs::copy(&path, &target).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            }
        }
    }
    let dir = std::env::temp_dir().join(format!("remit-law-spanish-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy(Path::new(CORPUS), &dir);
    dir
}

/// Rewrites one file of a corpus copy, replacing `from` (which must be there) with `to`.
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn load_error(dir: &Path) -> String {
    let error = match Corpus::load_dir_with(dir, remit_law::Scenarios::Skip) {
        Ok(_) => panic!("the broken corpus in {} loaded", dir.display()),
        Err(e) => e.to_string(),
    };
    let _ = std::fs::remove_dir_all(dir);
    error
}

#[test]
fn the_built_in_corpus_has_every_spanish_word() {
    let corpus = corpus();
    let v = corpus.vocabulary();
    assert!(
        v.has_spanish(),
        "the built-in corpus has no vocabulary.es.toml"
    );
    for word in v.actions() {
        let phrase = v
            .phrase_in(
                remit_law::vocabulary::WordKind::Action,
                &word.name,
                Lang::Es,
            )
            .unwrap_or_else(|| panic!("no Spanish phrase for {}", word.name));
        assert!(phrase.contains("{counterparty}"), "{}: {phrase}", word.name);
        assert_ne!(
            Some(phrase),
            v.phrase(remit_law::vocabulary::WordKind::Action, &word.name)
        );
    }
    for word in v.facts() {
        assert!(
            v.phrase_in(remit_law::vocabulary::WordKind::Fact, &word.name, Lang::Es)
                .is_some(),
            "no Spanish condition for the fact {}",
            word.name
        );
    }
}

#[test]
fn every_word_has_a_spanish_definition_of_its_own() {
    use remit_law::vocabulary::WordKind;
    let corpus = corpus();
    let v = corpus.vocabulary();
    let mut checked = 0;
    for kind in [
        WordKind::Actor,
        WordKind::Counterparty,
        WordKind::Action,
        WordKind::Purpose,
        WordKind::Fact,
    ] {
        for name in v.names(kind) {
            let english = v.definition(kind, name);
            let spanish = v
                .definition_in(kind, name, Lang::Es)
                .unwrap_or_else(|| panic!("no Spanish definition for {name}"));
            assert!(!spanish.trim().is_empty(), "{name}");
            assert_ne!(Some(spanish), english, "{name}: the Spanish is the English");
            assert_eq!(v.definition_in(kind, name, Lang::En), english, "{name}");
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} words");
}

#[test]
fn a_word_without_its_spanish_definition_fails_the_corpus() {
    let dir = copy_corpus("definition");
    edit(
        &dir,
        "vocabulary.es.toml",
        "court = \"Un tribunal estatal o local y sus funcionarios.\"\n",
        "",
    );
    let error = load_error(&dir);
    assert!(error.contains("vocabulary.es.toml"), "{error}");
    assert!(
        error.contains("`court` has no Spanish text in [definitions.actors]"),
        "{error}"
    );
}

#[test]
fn a_word_removed_from_the_spanish_table_fails_the_corpus() {
    let dir = copy_corpus("removed");
    edit(
        &dir,
        "vocabulary.es.toml",
        "sheriff = \"una oficina del sheriff\"\n",
        "",
    );
    let error = load_error(&dir);
    assert!(error.contains("vocabulary.es.toml"), "{error}");
    assert!(
        error.contains("`sheriff` has no Spanish text in [phrases.actors]"),
        "{error}"
    );
}

#[test]
fn a_new_word_without_its_spanish_text_fails_the_corpus() {
    let dir = copy_corpus("added");
    edit(
        &dir,
        "vocabulary.toml",
        "[purposes]\n",
        "[purposes]\nwelfare_check = \"Checking on a person's safety or well-being.\"\n",
    );
    edit(
        &dir,
        "vocabulary.toml",
        "[phrases.purposes]\n",
        "[phrases.purposes]\nwelfare_check = \"a welfare check\"\n",
    );
    let error = load_error(&dir);
    assert!(error.contains("vocabulary.es.toml"), "{error}");
    assert!(error.contains("`welfare_check`"), "{error}");
}

#[test]
fn a_spanish_action_phrase_without_its_counterparty_fails_the_corpus() {
    let dir = copy_corpus("slot");
    edit(
        &dir,
        "vocabulary.es.toml",
        "compartir datos de lectores automáticos de placas (ALPR) con {counterparty}",
        "compartir datos de lectores automáticos de placas (ALPR)",
    );
    let error = load_error(&dir);
    assert!(error.contains("vocabulary.es.toml"), "{error}");
    assert!(error.contains("`share_alpr_data`"), "{error}");
    assert!(error.contains("{counterparty}"), "{error}");
}

#[test]
fn an_implication_without_its_spanish_definition_fails_the_corpus() {
    let dir = copy_corpus("implies");
    edit(
        &dir,
        "vocabulary.es.toml",
        "\nperform_immigration_functions = \"Ejercer",
        "\nx_perform_immigration_functions = \"Ejercer",
    );
    let error = load_error(&dir);
    assert!(error.contains("vocabulary.es.toml"), "{error}");
    assert!(
        error.contains("`perform_immigration_functions` has no Spanish text in [implies]"),
        "{error}"
    );
}

#[test]
fn a_task_force_question_names_its_implication_in_spanish() {
    let corpus = corpus();
    let question = corpus
        .question(&QuestionInput {
            place: "CA".into(),
            date: Some("2026-01-15".into()),
            actor: "local_police".into(),
            action: "join_immigration_task_force".into(),
            counterparty: None,
            purpose: Some("civil_immigration_enforcement".into()),
            facts: Vec::new(),
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
    let en = corpus.answer_in(&question, Lang::En);
    let es = corpus.answer_in(&question, Lang::Es);
    assert_eq!(en.implied.len(), 1, "{:?}", en.implied);
    assert_eq!(es.implied.len(), 1);
    assert!(
        es.implied[0].starts_with("Participar en un grupo de trabajo"),
        "{:?}",
        es.implied
    );
    assert!(
        es.headline
            .ends_with("para hacer cumplir la ley civil de inmigración"),
        "{}",
        es.headline
    );
}

#[test]
fn a_guide_section_without_its_spanish_title_fails_the_corpus() {
    let dir = copy_corpus("guide");
    edit(
        &dir,
        "guide.es.toml",
        "force = \"Uso de la fuerza e intervención\"\n",
        "",
    );
    let error = load_error(&dir);
    assert!(error.contains("guide.es.toml"), "{error}");
    assert!(
        error.contains("guide section `force` has no Spanish title"),
        "{error}"
    );
}

fn ask(
    corpus: &Corpus,
    place: &str,
    actor: &str,
    action: &str,
    counterparty: &str,
    lang: Lang,
) -> remit_law::Answer {
    let question = corpus
        .question(&QuestionInput {
            place: place.into(),
            date: Some("2026-01-15".into()),
            actor: actor.into(),
            action: action.into(),
            counterparty: Some(counterparty.into()),
            purpose: None,
            facts: Vec::new(),
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
    corpus.answer_in(&question, lang)
}

/// The English and the Spanish answer to one question: same verdict, same rules, Spanish words.
fn both(
    place: &str,
    actor: &str,
    action: &str,
    counterparty: &str,
) -> (remit_law::Answer, remit_law::Answer) {
    let corpus = corpus();
    let en = ask(&corpus, place, actor, action, counterparty, Lang::En);
    let es = ask(&corpus, place, actor, action, counterparty, Lang::Es);
    assert_eq!(en.verdict, es.verdict);
    assert_eq!(en.otherwise, es.otherwise);
    let ids = |a: &remit_law::Answer| {
        a.determining
            .iter()
            .map(|c| c.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&en), ids(&es));
    // Citations, quotes and summaries stay as the sources write them.
    for (e, s) in en.determining.iter().zip(&es.determining) {
        assert_eq!(
            (&e.citation, &e.summary, &e.quote),
            (&s.citation, &s.summary, &s.quote)
        );
    }
    assert_eq!(en.disclaimer, DISCLAIMER);
    assert_eq!(es.disclaimer, DISCLAIMER_ES);
    assert!(es.disclaimer.contains("No es asesoramiento legal"));
    assert!(
        es.headline.contains("15 de enero de 2026"),
        "{}",
        es.headline
    );
    assert!(!es.headline.contains("2026-01-15"), "{}", es.headline);
    assert_eq!(en.lang, Lang::En);
    assert_eq!(es.lang, Lang::Es);
    (en, es)
}

#[test]
fn a_texas_jail_must_honor_an_ice_detainer_in_spanish() {
    let (en, es) = both("TX", "jail", "honor_detainer", "ice");
    // Must, unless the detainer's time is up or the person shows lawful status.
    assert_eq!(
        (en.verdict, en.otherwise),
        (Verdict::Depends, Some(Verdict::Must))
    );
    assert!(
        es.headline
            .starts_with("depende: para que una cárcel en Texas pueda mantener bajo custodia"),
        "{}",
        es.headline
    );
    assert!(
        es.headline
            .contains("orden de detención migratoria (detainer) de ICE"),
        "{}",
        es.headline
    );
    assert!(
        es.headline.ends_with("; en los demás casos, debe"),
        "{}",
        es.headline
    );
    assert!(es.branches.iter().any(|b| {
        b.verdict == Verdict::MustNot
            && b.condition_text()
                .starts_with("la persona ya ha sido retenida")
    }));
}

#[test]
fn a_california_officer_asking_about_status_in_spanish() {
    let (en, es) = both(
        "CA",
        "local_police",
        "inquire_immigration_status",
        "federal_immigration",
    );
    let words = match es.verdict {
        Verdict::MustNot => "no debe: ",
        Verdict::Depends => "depende: ",
        other => panic!(
            "a California status question came out {other:?}: {}",
            en.headline
        ),
    };
    assert!(es.headline.starts_with(words), "{}", es.headline);
    assert!(
        es.headline
            .contains("un departamento de policía municipal en California"),
        "{}",
        es.headline
    );
    for branch in &es.branches {
        assert!(!branch.condition_text().is_empty());
    }
}

#[test]
fn an_el_cajon_alpr_share_out_of_state_in_spanish() {
    let (en, es) = both(
        "ocd-division/country:us/state:ca/place:el_cajon",
        "local_police",
        "share_alpr_data",
        "out_of_state_agency",
    );
    assert_eq!(en.verdict, Verdict::MustNot);
    assert_eq!(
        es.headline,
        "no debe: la ley vigente el 15 de enero de 2026 prohíbe a un departamento de policía municipal en El Cajon, California compartir datos de lectores automáticos de placas (ALPR) con una agencia estatal o local de otro estado"
    );
}

#[test]
fn a_place_with_no_rule_says_so_in_spanish() {
    let corpus = corpus();
    let es = ask(
        &corpus,
        "ocd-division/country:us/state:wy",
        "campus_police",
        "report_cooperation_requests",
        "federal_immigration",
        Lang::Es,
    );
    assert_eq!(es.verdict, Verdict::NoRule, "{}", es.headline);
    assert!(
        es.headline.starts_with("no se encontró ninguna norma: "),
        "{}",
        es.headline
    );
    assert!(
        es.headline
            .contains("esto no significa que el acto sea lícito"),
        "{}",
        es.headline
    );
    assert_eq!(es.disclaimer, DISCLAIMER_ES);
}

#[test]
fn the_guide_in_spanish() {
    let corpus = corpus();
    let input = remit_law::guide::GuideInput {
        place: "TX".into(),
        actor: "sheriff".into(),
        date: Some("2026-01-15".into()),
        facts: Vec::new(),
    };
    let en = corpus.guide(&input).unwrap_or_else(|e| panic!("{e:?}"));
    let es = corpus
        .guide_in(&input, Lang::Es)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(en.sections.len(), es.sections.len());
    assert_eq!(es.actor_phrase, "una oficina del sheriff");
    assert_eq!(es.disclaimer, DISCLAIMER_ES);
    let titles: Vec<&str> = es.sections.iter().map(|s| s.title.as_str()).collect();
    assert!(
        titles.contains(&"Acuerdos 287(g) y grupos de trabajo"),
        "{titles:?}"
    );
    for (e, s) in en.sections.iter().zip(&es.sections) {
        for (a, b) in e.items.iter().zip(&s.items) {
            assert_eq!(a.verdict, b.verdict);
            assert_eq!(a.deciding, b.deciding);
            assert!(
                b.question
                    .starts_with("¿Puede una oficina del sheriff en Texas "),
                "{}",
                b.question
            );
            assert!(b.question.ends_with('?'));
        }
    }
}
