//! The classifier's work per passage, counted in instructions rather than seconds: run under
//! `valgrind --tool=callgrind` by `bench/classify_instructions.sh`, which collects only inside
//! [`classify_all`]. Instruction counts do not move with the machine's load, so two builds can
//! be compared on a shared machine where timings cannot.
//!
//! ```text
//! cargo run --release --example classify_count -- [PASSES]          # repeated text
//! cargo run --release --example classify_count -- new [FILE]        # new text
//! cargo run --release --example classify_count -- --rules DIR new     # another rule directory
//! ```
//! Repeated text: classifies the labelled set (`fixtures/labelled/passages.jsonl`) once to warm
//! up (the regex engines build their lazy DFAs on first use), then PASSES times (default 10):
//! the steady state of `cargo bench --bench classify`.
//!
//! New text, what ingestion meets: the 619 real passages of `../shared/realworld/dev.jsonl`
//! (read beside the checkout), or FILE's lines (one passage a line, as `tenderscope classify`
//! reads them), are classified once to build the searchers the layers build on first use,
//! then once more by a copy of the rule set with fresh regex caches (cloning a regex gives it
//! an empty cache), so every lazy-DFA state is built again for the counted pass, as for text
//! never seen. Prints the number of passages classified in the counted pass.

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

fn jsonl_texts(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| die(&format!("{path}: {e}")));
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
        .collect()
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    // `--rules DIR` first: that rule directory instead of the built-in set, to find which rule
    // files a change of cost comes from without rebuilding.
    let rules = if args.first().map(String::as_str) == Some("--rules") {
        let dir = args
            .get(1)
            .cloned()
            .unwrap_or_else(|| die("--rules needs a directory"));
        args.drain(..2);
        RuleSet::from_dir(std::path::Path::new(&dir))
            .unwrap_or_else(|e| die(&format!("{dir}: {e}")))
    } else {
        RuleSet::embedded().unwrap_or_else(|e| die(&e.to_string()))
    };
    let classifier = rules.classifier(None).unwrap_or_else(|e| die(&e));
    if args.first().map(String::as_str) == Some("new") {
        let texts: Vec<String> = match args.get(1) {
            Some(file) => std::fs::read_to_string(file)
                .unwrap_or_else(|e| die(&format!("{file}: {e}")))
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect(),
            None => jsonl_texts(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../shared/realworld/dev.jsonl"
            )),
        };
        warm_up(&classifier, &texts);
        let fresh = rules.clone();
        let classifier = fresh.classifier(None).unwrap_or_else(|e| die(&e));
        classify_all(&classifier, &texts, 1);
        println!("{}", texts.len());
        return;
    }
    let passes: usize = match args.first() {
        None => 10,
        Some(a) => a
            .parse()
            .unwrap_or_else(|_| die(&format!("PASSES must be a number or `new`, not `{a}`"))),
    };
    let texts = jsonl_texts(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/labelled/passages.jsonl"
    ));
    warm_up(&classifier, &texts);
    classify_all(&classifier, &texts, passes);
    println!("{}", texts.len() * passes);
}

fn die(msg: &str) -> ! {
    eprintln!("classify_count: {msg}");
    std::process::exit(2)
}
