//! Passages per second through the classifier with the full rule set, on one core.
//!
//! The passages are the labelled set (`fixtures/labelled/passages.jsonl`); where that file is
//! absent, the rule set's own examples. Run with `cargo bench --bench classify`; criterion
//! reports the throughput in elements (passages) per second.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tenderscope::classify::{measures, RuleSet};

fn passages(rules: &RuleSet) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/labelled/passages.jsonl");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let list: Vec<String> = text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
            .collect();
        if !list.is_empty() {
            return list;
        }
    }
    rules.examples.iter().map(|e| e.text.clone()).collect()
}

fn bench(c: &mut Criterion) {
    let rules = RuleSet::embedded().expect("the built-in rule set loads");
    let classifier = rules.classifier(None).expect("default framework");
    let texts = passages(&rules);
    let mut group = c.benchmark_group("classify");
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function("passages", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for t in &texts {
                n += classifier
                    .classify(std::hint::black_box(t))
                    .principles
                    .len();
            }
            n
        })
    });
    // The parts, to see where the time goes.
    group.bench_function("cue_layer", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| rules.cue_layer.scan(t).len())
                .sum::<usize>()
        })
    });
    group.bench_function("theme_layer", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| rules.theme_layer.scan(t).len())
                .sum::<usize>()
        })
    });
    group.bench_function("measures", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| measures::extract(&rules, t).len())
                .sum::<usize>()
        })
    });
    group.finish();
    let mut load = c.benchmark_group("load");
    load.sample_size(10);
    load.bench_function("rule_set", |b| {
        b.iter(|| RuleSet::embedded().map(|r| r.version))
    });
    load.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
