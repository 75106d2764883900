//! Scorecard generation time and output size for a synthetic tender (issue 5's goal: under 2 s
//! for the HTML of a 100-supplier tender).
//!
//! ```text
//! cargo run --example report_bench -- [--suppliers 100] [--files 5] [--passages 60] [--index DIR]
//! ```
//! Builds (or reuses, when DIR already holds one) a synthetic tender index (see
//! `examples/synthetic/mod.rs`), then times gathering the report from the index and rendering
//! each format, over a few rounds, and prints the sizes.

#[path = "synthetic/mod.rs"]
mod synthetic;

use std::path::PathBuf;
use std::time::Instant;

use tenderscope::classify::RuleSet;
use tenderscope::index::Store;
use tenderscope::report::{self, Format, Options};

fn main() {
    let mut shape = synthetic::Shape {
        suppliers: 100,
        files: 5,
        passages_per_file: 60,
        template_every: 25,
    };
    let mut index: Option<PathBuf> = None;
    let mut rounds = 3usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |name: &str| -> usize {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| fail(&format!("{name} takes a number")))
        };
        match a.as_str() {
            "--suppliers" => shape.suppliers = num("--suppliers"),
            "--files" => shape.files = num("--files"),
            "--passages" => shape.passages_per_file = num("--passages"),
            "--rounds" => rounds = num("--rounds").max(1),
            "--index" => index = args.next().map(PathBuf::from),
            other => fail(&format!("unknown argument {other}")),
        }
    }
    let dir = index.unwrap_or_else(|| {
        std::env::temp_dir().join(format!(
            "tenderscope-report-bench-{}x{}x{}",
            shape.suppliers, shape.files, shape.passages_per_file
        ))
    });
    let store = Store::open_or_create(&dir).unwrap_or_else(|e| fail(&e.to_string()));
    let reader = store.reader().unwrap_or_else(|e| fail(&e.to_string()));
    if reader.searcher().num_docs() == 0 {
        synthetic::build(&store, "synthetic", shape);
        reader.reload().unwrap_or_else(|e| fail(&e.to_string()));
    }
    let searcher = reader.searcher();
    println!("index {}: {} records", dir.display(), searcher.num_docs());
    let t = Instant::now();
    let rules = RuleSet::embedded().unwrap_or_else(|e| fail(&e.to_string()));
    println!("load rules          {:>8.3} s", t.elapsed().as_secs_f64());

    let mut gather_s = Vec::new();
    let mut report = None;
    for _ in 0..rounds {
        let t = Instant::now();
        let r = report::gather(&store, &searcher, &rules, &Options::default())
            .unwrap_or_else(|e| fail(&e.to_string()));
        gather_s.push(t.elapsed().as_secs_f64());
        report = Some(r);
    }
    let Some(report) = report else { return };
    println!(
        "{} suppliers, {} passages read, {} findings, {} near-duplicate groups",
        report.suppliers.len(),
        report.provenance.passages,
        report.findings.len(),
        report.duplicates.len()
    );
    println!("gather (best of {rounds}) {:>8.3} s", min(&gather_s));
    for format in Format::ALL {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            let bytes = report::render(&report, format).unwrap_or_else(|e| fail(&e.to_string()));
            times.push(t.elapsed().as_secs_f64());
            size = bytes.len();
        }
        println!(
            "render {:<5}        {:>8.3} s   gather+render {:>6.3} s   {:>10} bytes ({:.1} MB)",
            format.as_str(),
            min(&times),
            min(&gather_s) + min(&times),
            size,
            size as f64 / 1e6
        );
    }
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2)
}
