//! The classifier measured against two hand-labelled sets (labelled by the codebook,
//! ../shared/PRINCIPLES.md): `fixtures/labelled/passages.jsonl`, which the rules were tuned on,
//! and `fixtures/labelled/holdout.jsonl`, written independently by someone who did not see the
//! rules, which estimates how the rules do on text they were not tuned on. For each: kind accuracy, commitment-vs-rest F1,
//! principle recall and precision, measure recall by kind. The figures are printed (run with
//! `--nocapture`) and held above floors that the rule set reaches today, so a rule change that
//! makes the classifier worse fails here.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use tenderscope::classify::{RuleSet, StatementKind};

#[derive(Deserialize)]
struct Labelled {
    id: String,
    text: String,
    kind: String,
    principles: Vec<String>,
    measures: Vec<LabelledMeasure>,
}

#[derive(Deserialize)]
struct LabelledMeasure {
    kind: String,
    text: String,
}

fn load(file: &str) -> Vec<Labelled> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("line {}: {e}", i + 1)))
        .collect()
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

struct Scores {
    kind_accuracy: f64,
    f1: f64,
    p_recall: f64,
    p_precision: f64,
    measure_recall: f64,
}

fn evaluate(file: &str) -> Scores {
    let rules = RuleSet::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).unwrap();
    let classifier = rules.classifier(Some("cheshire-east")).unwrap();
    let set = load(file);

    let verbose = std::env::var_os("LABELLED_VERBOSE").is_some();
    let mut kind_ok = 0;
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let (mut main_found, mut with_main) = (0, 0);
    let (mut allowed, mut predicted) = (0, 0);
    let mut confusion: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut measure_recall: BTreeMap<String, (usize, usize)> = BTreeMap::new();

    for item in &set {
        let c = classifier.classify(&item.text);
        let got = c.kind.as_str().to_string();
        let want = StatementKind::parse(&item.kind)
            .unwrap_or_else(|| panic!("{}: unknown kind {}", item.id, item.kind));
        *confusion
            .entry((item.kind.clone(), got.clone()))
            .or_default() += 1;
        if c.kind == want {
            kind_ok += 1;
        } else if verbose {
            println!(
                "KIND {} want {} got {} {:?}: {}",
                item.id, item.kind, got, c.kind_rules, item.text
            );
        }
        match (
            want == StatementKind::Commitment,
            c.kind == StatementKind::Commitment,
        ) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            (false, false) => {}
        }
        let got_p: Vec<&str> = c.principles.iter().map(|p| p.id.as_str()).collect();
        if let Some(main) = item.principles.first() {
            with_main += 1;
            if got_p.contains(&main.as_str()) {
                main_found += 1;
            } else if verbose {
                println!(
                    "MISS {} want {:?} got {:?}: {}",
                    item.id, item.principles, got_p, item.text
                );
            }
        }
        for p in &got_p {
            predicted += 1;
            if item.principles.iter().any(|l| l == p) {
                allowed += 1;
            } else if verbose {
                println!(
                    "EXTRA {} {} (label {:?}): {}",
                    item.id, p, item.principles, item.text
                );
            }
        }
        for m in &item.measures {
            let entry = measure_recall.entry(m.kind.clone()).or_default();
            entry.1 += 1;
            let Some(start) = item.text.find(&m.text) else {
                continue;
            };
            let end = start + m.text.len();
            let hit = c
                .measures
                .iter()
                .any(|g| g.kind.as_str() == m.kind && g.start < end && start < g.end);
            if hit {
                entry.0 += 1;
            } else if verbose {
                println!("MEASURE {} {} {:?}: {}", item.id, m.kind, m.text, item.text);
            }
        }
    }

    let n = set.len();
    let kind_accuracy = ratio(kind_ok, n);
    let precision_c = ratio(tp, tp + fp);
    let recall_c = ratio(tp, tp + fn_);
    let f1 = if precision_c + recall_c > 0.0 {
        2.0 * precision_c * recall_c / (precision_c + recall_c)
    } else {
        0.0
    };
    let p_recall = ratio(main_found, with_main);
    let p_precision = ratio(allowed, predicted);
    let measures_found: usize = measure_recall.values().map(|v| v.0).sum();
    let measures_all: usize = measure_recall.values().map(|v| v.1).sum();

    println!("{file}: {n} passages");
    println!("kind accuracy: {kind_accuracy:.3} ({kind_ok}/{n})");
    println!("commitment F1: {f1:.3} (precision {precision_c:.3}, recall {recall_c:.3})");
    println!(
        "principle recall (main principle predicted): {p_recall:.3} ({main_found}/{with_main})"
    );
    println!("principle precision (predicted allowed by label): {p_precision:.3} ({allowed}/{predicted})");
    println!("kind confusion (label -> predicted):");
    for ((want, got), count) in &confusion {
        println!("  {want:>13} -> {got:<13} {count}");
    }
    println!(
        "measure recall by kind: {:.3} overall ({measures_found}/{measures_all})",
        ratio(measures_found, measures_all)
    );
    for (kind, (found, all)) in &measure_recall {
        println!("  {kind:<9} {:.3} ({found}/{all})", ratio(*found, *all));
    }

    // Floors: below what the rule set reaches on this set (kind 1.000, F1 1.000, recall 0.996,
    // precision 0.897, measures 0.994, as of this commit), with room for a relabelled
    // passage or two, and at or above the goals of issue 3.
    Scores {
        kind_accuracy,
        f1,
        p_recall,
        p_precision,
        measure_recall: ratio(measures_found, measures_all),
    }
}

/// The tuning set: the rules reach these today; a rule change that makes them worse fails.
#[test]
fn tuning_set_meets_its_floors() {
    let s = evaluate("fixtures/labelled/passages.jsonl");
    assert!(
        s.kind_accuracy >= 0.95,
        "kind accuracy {:.3}",
        s.kind_accuracy
    );
    assert!(s.f1 >= 0.95, "commitment F1 {:.3}", s.f1);
    assert!(s.p_recall >= 0.95, "principle recall {:.3}", s.p_recall);
    assert!(
        s.p_precision >= 0.85,
        "principle precision {:.3}",
        s.p_precision
    );
    assert!(
        s.measure_recall >= 0.95,
        "measure recall {:.3}",
        s.measure_recall
    );
}

/// The held-out set: floors a little under what the rules reach on it, so that the test
/// guards against regressions without being tuned to it.
#[test]
fn holdout_set_meets_its_floors() {
    let s = evaluate("fixtures/labelled/holdout.jsonl");
    assert!(
        s.kind_accuracy >= 0.85,
        "kind accuracy {:.3}",
        s.kind_accuracy
    );
    assert!(s.f1 >= 0.88, "commitment F1 {:.3}", s.f1);
    assert!(s.p_recall >= 0.83, "principle recall {:.3}", s.p_recall);
    // 0.78 before the principle model (rules alone: recall 0.902, precision 0.780); the model
    // adds principles the themes miss, which on this set gains recall (0.916) and costs a
    // little precision (0.768), and on real published text gains more (see the README).
    assert!(
        s.p_precision >= 0.76,
        "principle precision {:.3}",
        s.p_precision
    );
    assert!(
        s.measure_recall >= 0.88,
        "measure recall {:.3}",
        s.measure_recall
    );
}
