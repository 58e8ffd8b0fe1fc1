//! Decisions per second over the whole built-in corpus, for a mix of questions: every
//! jurisdiction (and a city inside each state) x every action x several actors and counterparties,
//! with and without facts. Target (issue "Law engine"): at least 200,000 decisions/s on one core.
#![expect(clippy::panic, reason = "a benchmark cannot run without its setup")]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use remit_law::{Corpus, QuestionInput};

fn questions(corpus: &Corpus) -> Vec<remit_law::Question> {
    let v = corpus.vocabulary();
    let mut places: Vec<String> = corpus
        .jurisdictions()
        .iter()
        .map(ToString::to_string)
        .collect();
    places.push("ocd-division/country:us/state:oh/place:columbus".to_string());
    let actors = ["local_police", "sheriff", "jail", "local_government"];
    let counterparties = [
        "ice",
        "border_patrol",
        "out_of_state_agency",
        "private_entity",
    ];
    let facts: [&[&str]; 2] = [&[], &["judicial_warrant", "person_in_custody"]];
    let mut out = Vec::new();
    for place in &places {
        for action in v.actions() {
            for (i, actor) in actors.iter().enumerate() {
                let input = QuestionInput {
                    place: place.clone(),
                    date: Some(
                        if i % 2 == 0 {
                            "2025-06-01"
                        } else {
                            "2026-03-01"
                        }
                        .to_string(),
                    ),
                    actor: (*actor).to_string(),
                    action: action.name.clone(),
                    counterparty: Some(counterparties[i].to_string()),
                    purpose: None,
                    facts: facts[i % 2].iter().map(|f| (*f).to_string()).collect(),
                };
                if let Ok(q) = corpus.question(&input) {
                    out.push(q);
                }
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let corpus = Corpus::embedded().unwrap_or_else(|e| panic!("{e}"));
    let questions = questions(&corpus);
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(questions.len() as u64));
    group.bench_function(format!("decide/{}-questions", questions.len()), |b| {
        b.iter(|| {
            let mut must_not = 0usize;
            for q in &questions {
                if corpus.decide(q).verdict == remit_law::Verdict::MustNot {
                    must_not += 1;
                }
            }
            std::hint::black_box(must_not)
        });
    });
    group.throughput(Throughput::Elements(1));
    group.bench_function("load-embedded-corpus-without-scenarios", |b| {
        b.iter(|| {
            Corpus::embedded_with(remit_law::Scenarios::Skip)
                .map(|c| c.rules().len())
                .unwrap_or(0)
        })
    });
    group.bench_function("load-embedded-corpus", |b| {
        b.iter(|| Corpus::embedded().map(|c| c.rules().len()).unwrap_or(0))
    });
    let sample = questions[questions.len() / 2].clone();
    group.bench_function("answer-with-explanation", |b| {
        b.iter(|| corpus.answer(&sample).trace.len())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
