//! Passages per second on text the classifier has not seen, as ingestion meets it.
//!
//! `benches/classify.rs` classifies the same 325 passages again and again, so after the first
//! round the regex engines' lazy DFAs hold every state those passages need and the figure is
//! a steady state that real ingestion never reaches: there every passage is new, and building
//! lazy-DFA states for it is a large part of the cost. Here each iteration classifies every
//! passage once with a copy of the rule set whose regex caches are fresh (cloning a regex in
//! `regex-automata` 0.4 gives the clone a new, empty cache pool; the compiled automata are
//! shared), so every lazy-DFA state a passage needs is built as in a fresh ingest. Before the
//! timed iterations one untimed pass classifies every passage, so the searchers a layer builds
//! on first use exist already (as they do after an ingest's first passages).
//!
//! Two sets of real text, read where they are beside the checkout, never copied into it:
//! * `realworld`: the 619 passages of `../shared/realworld/dev.jsonl`, published web pages;
//! * `corpus`: passages of the real PDF and DOCX files of `../shared/corpus` (every file of
//!   `docx/` and `pdf/`, in name order, extracted and cut into passages as `ingest` does; the
//!   first 16,000 passages).
//!
//! A set that is not there is skipped with a note. Run with `cargo bench --bench
//! classify_new`; criterion reports elements (passages) per second.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use tenderscope::classify::RuleSet;
use tenderscope::limits::Limits;

const CORPUS_PASSAGES: usize = 16_000;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

fn realworld() -> Vec<String> {
    let path = shared().join("realworld/dev.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("{}: not found, skipped", path.display());
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
        .collect()
}

fn corpus() -> Vec<String> {
    let limits = Limits::default();
    let mut files: Vec<PathBuf> = ["docx", "pdf"]
        .iter()
        .filter_map(|dir| std::fs::read_dir(shared().join("corpus").join(dir)).ok())
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let Ok(doc) = tenderscope::extract::extract_file(&file, &limits) else {
            continue;
        };
        for p in tenderscope::passage::segment(&doc) {
            out.push(p.classify_text().into_owned());
            if out.len() == CORPUS_PASSAGES {
                return out;
            }
        }
    }
    if out.is_empty() {
        eprintln!(
            "{}: no passages, skipped",
            shared().join("corpus").display()
        );
    }
    out
}

fn classify_all(rules: &RuleSet, texts: &[String]) -> usize {
    let classifier = rules.classifier(None).expect("default framework");
    texts
        .iter()
        .map(|t| {
            classifier
                .classify(std::hint::black_box(t))
                .principles
                .len()
        })
        .sum()
}

fn bench(c: &mut Criterion) {
    let rules = RuleSet::embedded().expect("the built-in rule set loads");
    let mut group = c.benchmark_group("classify_new");
    group.sample_size(10);
    for (name, texts) in [("realworld", realworld()), ("corpus", corpus())] {
        if texts.is_empty() {
            continue;
        }
        // Build the searchers every passage needs (untimed), so that each iteration pays
        // for new text only.
        classify_all(&rules, &texts);
        group.throughput(Throughput::Elements(texts.len() as u64));
        group.bench_function(name, |b| {
            b.iter_batched(
                // A copy with fresh regex caches: every passage is new text to it.
                || rules.clone(),
                |fresh| {
                    let n = classify_all(&fresh, &texts);
                    // Returned, so that dropping the copy is not timed.
                    (fresh, n)
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
