//! Search latency over a large synthetic index (issue 4's goal: p95 under 20 ms over
//! 1,000,000 passages).
//!
//! ```text
//! cargo run --release --example search_bench -- [--passages 1000000] [--index DIR] [--rounds 50]
//! ```
//! Builds (or reuses, when DIR already holds one) an index of N passage records whose texts are
//! the labelled passages of `fixtures/labelled/passages.jsonl` varied word by word (a seeded
//! generator swaps numbers, places and adds words, so no two records are alike), spread over
//! 500 suppliers, classified by the real rule set. Then runs a fixed mix of auditor queries
//! (words, phrases, boolean, field filters, facets) through `tenderscope::search::search`, the
//! same call the CLI and the web page make, and prints p50, p95 and p99 per query kind and
//! overall.

use std::path::PathBuf;
use std::time::Instant;

use tantivy::TantivyDocument;
use tenderscope::classify::RuleSet;
use tenderscope::index::schema::RECORD_PASSAGE;
use tenderscope::index::Store;
use tenderscope::search::{search, Request};

/// A small deterministic generator (xorshift), so the index is the same on every machine.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next() % v.len() as u64) as usize]
    }
}

const PLACES: &[&str] = &[
    "Crewe",
    "Macclesfield",
    "Congleton",
    "Nantwich",
    "Sandbach",
    "Wilmslow",
    "Alsager",
    "Knutsford",
    "Poynton",
    "Middlewich",
    "Handforth",
    "Bollington",
    "Holmes Chapel",
    "Audlem",
];
const EXTRA: &[&str] = &[
    "locally",
    "across the contract",
    "each year",
    "with partners",
    "in the borough",
    "for residents",
    "through our supply chain",
    "on site",
    "quarterly",
    "from day one",
];

fn main() {
    let mut passages = 1_000_000usize;
    let mut index: Option<PathBuf> = None;
    let mut rounds = 50usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |name: &str| {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| fail(&format!("{name} takes a number")))
        };
        match a.as_str() {
            "--passages" => passages = num("--passages"),
            "--rounds" => rounds = num("--rounds"),
            "--index" => index = args.next().map(PathBuf::from),
            other => fail(&format!("unknown argument {other}")),
        }
    }
    let dir =
        index.unwrap_or_else(|| std::env::temp_dir().join(format!("tenderscope-bench-{passages}")));
    let store = Store::open_or_create(&dir).unwrap_or_else(|e| fail(&e.to_string()));
    let reader = store.reader().unwrap_or_else(|e| fail(&e.to_string()));
    if reader.searcher().num_docs() < passages as u64 {
        build(&store, passages);
        reader.reload().unwrap_or_else(|e| fail(&e.to_string()));
    }
    let searcher = reader.searcher();
    println!("index {}: {} records", dir.display(), searcher.num_docs());

    let queries: Vec<(&str, Request)> = vec![
        ("word", req("apprentices")),
        ("word", req("volunteering")),
        ("words", req("apprentices Crewe")),
        ("words", req("carbon net zero")),
        ("phrase", req("\"real living wage\"")),
        ("phrase", req("\"care leavers\"")),
        (
            "boolean",
            req("(apprentices OR apprenticeship) AND NOT aspiration"),
        ),
        ("boolean", req("mentoring OR \"work experience\"")),
        ("field", req("supplier:supplier-042 AND carbon")),
        (
            "filter",
            Request {
                principle: Some("CE9".into()),
                kind: Some("commitment".into()),
                ..req("local")
            },
        ),
        (
            "filter",
            Request {
                principle: Some("CE12".into()),
                ..req("")
            },
        ),
        (
            "facets",
            Request {
                facets: true,
                ..req("apprentices")
            },
        ),
        (
            "facets",
            Request {
                facets: true,
                principle: Some("CE4".into()),
                ..req("")
            },
        ),
    ];
    let mut by_kind: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    let mut all = Vec::new();
    // One warm-up pass (page cache), then the measured rounds.
    for (_, q) in &queries {
        let _ = search(&store, &searcher, q);
    }
    for _ in 0..rounds {
        for (kind, q) in &queries {
            let t = Instant::now();
            let r = search(&store, &searcher, q).unwrap_or_else(|e| fail(&e.to_string()));
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(r.total);
            by_kind.entry(kind).or_default().push(ms);
            all.push(ms);
        }
    }
    let q = |v: &[f64], p: f64| tenderscope::textcmp::quantile(v, p).unwrap_or(f64::NAN);
    println!(
        "{:<8} {:>6} {:>9} {:>9} {:>9}",
        "query", "runs", "p50 ms", "p95 ms", "p99 ms"
    );
    for (kind, v) in &by_kind {
        println!(
            "{kind:<8} {:>6} {:>9.2} {:>9.2} {:>9.2}",
            v.len(),
            q(v, 0.5),
            q(v, 0.95),
            q(v, 0.99)
        );
    }
    println!(
        "{:<8} {:>6} {:>9.2} {:>9.2} {:>9.2}",
        "all",
        all.len(),
        q(&all, 0.5),
        q(&all, 0.95),
        q(&all, 0.99)
    );
}

fn req(q: &str) -> Request {
    Request {
        query: q.to_string(),
        limit: 10,
        ..Request::default()
    }
}

fn build(store: &Store, n: usize) {
    let text = std::fs::read_to_string("fixtures/labelled/passages.jsonl")
        .unwrap_or_else(|e| fail(&format!("fixtures/labelled/passages.jsonl: {e}")));
    let seeds: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect();
    if seeds.is_empty() {
        fail("no seed passages");
    }
    let rules = RuleSet::embedded().unwrap_or_else(|e| fail(&e.to_string()));
    let classifier = rules.classifier(None).unwrap_or_else(|e| fail(&e));
    let f = store.fields;
    let mut writer = store.writer().unwrap_or_else(|e| fail(&e.to_string()));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let start = Instant::now();
    for i in 0..n {
        let seed = rng.pick(&seeds);
        // Vary: swap a place, change numbers, add a phrase.
        let mut t = String::with_capacity(seed.len() + 40);
        for w in seed.split(' ') {
            if PLACES.contains(&w) {
                let place: &&str = rng.pick(PLACES);
                t.push_str(place);
            } else if w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty() {
                t.push_str(&(rng.next() % 500 + 1).to_string());
            } else {
                t.push_str(w);
            }
            t.push(' ');
        }
        let extra: &&str = rng.pick(EXTRA);
        t.push_str(extra);
        let c = classifier.classify(&t);
        let supplier = format!("supplier-{:03}", i % 500);
        let sha = format!("{:064x}", i / 200);
        let mut d = TantivyDocument::default();
        d.add_text(f.record, RECORD_PASSAGE);
        d.add_text(f.id, format!("{sha}:{}", i % 200));
        d.add_text(f.origin, format!("/bench/{supplier}/file-{}.pdf", i / 200));
        d.add_text(f.path, format!("/bench/{supplier}/file-{}.pdf", i / 200));
        d.add_text(f.tender, "bench");
        d.add_text(f.supplier, &supplier);
        d.add_text(f.sha256, &sha);
        d.add_text(f.format, "pdf");
        d.add_u64(f.page, (i % 200 / 20 + 1) as u64);
        d.add_u64(f.paragraph, (i % 200) as u64);
        d.add_text(f.text, &t);
        d.add_text(f.text_exact, &t);
        d.add_text(f.kind, c.kind.as_str());
        for th in &c.themes {
            d.add_text(f.theme, th.id.as_str());
        }
        for p in &c.principles {
            d.add_text(f.principle, p.id.as_str());
        }
        d.add_u64(f.score, u64::from(c.specificity.score));
        if let Err(e) = writer.add_document(d) {
            fail(&e.to_string());
        }
        if (i + 1) % 100_000 == 0 {
            eprintln!(
                "{} passages written ({:.0} s)",
                i + 1,
                start.elapsed().as_secs_f64()
            );
        }
    }
    writer.commit().unwrap_or_else(|e| fail(&e.to_string()));
    writer
        .wait_merging_threads()
        .unwrap_or_else(|e| fail(&e.to_string()));
    eprintln!(
        "built {n} passages in {:.0} s",
        start.elapsed().as_secs_f64()
    );
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2)
}
