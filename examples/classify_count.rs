//! The classifier's work per passage, counted in instructions rather than seconds: run under
//! `valgrind --tool=callgrind` by `bench/classify_instructions.sh`, which collects only inside
//! [`classify_all`], after a warm-up pass (the regex engines build their lazy DFAs on first
//! use). Instruction counts do not move with the machine's load, so two builds can be
//! compared on a shared machine where timings cannot.
//!
//! ```text
//! cargo run --release --example classify_count -- [PASSES]
//! ```
//! Classifies the labelled set (`fixtures/labelled/passages.jsonl`) once to warm up, then
//! PASSES times (default 10), and prints the number of passages classified.

use tenderscope::classify::{Classifier, RuleSet};

/// Every passage, `passes` times; the sum of principles found, so nothing is optimised away.
#[inline(never)]
fn classify_all(classifier: &Classifier, texts: &[String], passes: usize) -> usize {
    let mut found = 0;
    for _ in 0..passes {
        for t in texts {
            found += classifier
                .classify(std::hint::black_box(t))
                .principles
                .len();
        }
    }
    found
}

#[inline(never)]
fn warm_up(classifier: &Classifier, texts: &[String]) -> usize {
    texts
        .iter()
        .map(|t| classifier.classify(t).principles.len())
        .sum()
}

fn main() {
    let passes: usize = match std::env::args().nth(1) {
        None => 10,
        Some(a) => a
            .parse()
            .unwrap_or_else(|_| die(&format!("PASSES must be a number, not `{a}`"))),
    };
    let rules = RuleSet::embedded().unwrap_or_else(|e| die(&e.to_string()));
    let classifier = rules.classifier(None).unwrap_or_else(|e| die(&e));
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/labelled/passages.jsonl"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| die(&format!("{path}: {e}")));
    let texts: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
        .collect();
    warm_up(&classifier, &texts);
    classify_all(&classifier, &texts, passes);
    println!("{}", texts.len() * passes);
}

fn die(msg: &str) -> ! {
    eprintln!("classify_count: {msg}");
    std::process::exit(2)
}
