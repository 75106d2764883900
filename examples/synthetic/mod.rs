//! A synthetic tender index for the report and serve benchmarks: document and passage records
//! as `ingest` writes them (classification, measures and the `detail` JSON included), with
//! texts from the labelled passages of `fixtures/labelled/passages.jsonl` varied by a seeded
//! generator (places, numbers and a closing phrase change), and a share of template
//! commitments that several suppliers copy (so the near-duplicate search has work to do).
//! The same arguments give the same index on every machine.

#![allow(dead_code)]

use std::time::Instant;

use tantivy::TantivyDocument;
use tenderscope::classify::RuleSet;
use tenderscope::index::schema::{RECORD_DOCUMENT, RECORD_PASSAGE};
use tenderscope::index::Store;
use tenderscope::passage::{Passage, PassageId, PassageKind};
use tenderscope::records::Detail;

/// A small deterministic generator (xorshift).
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
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
];
const TEMPLATES: &[&str] = &[
    "We will pay all staff working on this contract at least the Real Living Wage and we will not use zero hours contracts.",
    "We will report our social value performance to the Council every quarter using the TOMs framework and verified evidence.",
    "We will support local food banks with volunteering days and donations throughout the life of the contract.",
    "We will work with local schools and colleges to offer work experience placements to young people each year.",
];

/// Sizes of the synthetic tender.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub suppliers: usize,
    pub files: usize,
    pub passages_per_file: usize,
    /// One passage in this many is a copied template commitment.
    pub template_every: usize,
}

fn seeds() -> Vec<String> {
    let text = std::fs::read_to_string("fixtures/labelled/passages.jsonl")
        .expect("run from the crate root: fixtures/labelled/passages.jsonl");
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect()
}

fn vary(rng: &mut Rng, seed: &str) -> String {
    let mut t = String::with_capacity(seed.len() + 40);
    for w in seed.split(' ') {
        if PLACES.contains(&w) {
            let place = *rng.pick(PLACES);
            t.push_str(place);
        } else if !w.is_empty() && w.chars().all(|c| c.is_ascii_digit()) {
            t.push_str(&(rng.next() % 50 + 1).to_string());
        } else {
            t.push_str(w);
        }
        t.push(' ');
    }
    let extra = *rng.pick(EXTRA);
    t.push_str(extra);
    t.push('.');
    t
}

/// Write the synthetic tender into an index folder (one commit). Returns the passages written.
pub fn build(store: &Store, tender: &str, shape: Shape) -> usize {
    let seeds = seeds();
    let rules = RuleSet::embedded().expect("the built-in rule set");
    let classifier = rules.classifier(None).expect("the default framework");
    let stamp = tenderscope::ingest::ruleset_stamp(&classifier).to_string();
    let f = store.fields;
    let mut writer = store.writer().expect("the index writer");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let started = Instant::now();
    let mut written = 0usize;
    let total = shape.suppliers * shape.files * shape.passages_per_file;
    for s in 0..shape.suppliers {
        let supplier = format!("supplier-{s:03}");
        for file in 0..shape.files {
            let sha = format!("{:016x}{:048x}", s as u64, file as u64 + 1);
            let origin = format!("/synthetic/{tender}/{supplier}/file-{file}.pdf");
            let common = |d: &mut TantivyDocument| {
                d.add_text(f.origin, &origin);
                d.add_text(f.path, &origin);
                d.add_text(f.tender, tender);
                d.add_text(f.supplier, &supplier);
                d.add_text(f.sha256, &sha);
                d.add_text(f.format, "pdf");
                d.add_text(f.ruleset_version, &stamp);
                d.add_text(f.extractor_version, tenderscope::extract::EXTRACTOR_VERSION);
                d.add_i64(f.ingested, 1_800_000_000);
            };
            let pages = (shape.passages_per_file / 20).max(1) as u64;
            let mut d = TantivyDocument::default();
            d.add_text(f.record, RECORD_DOCUMENT);
            d.add_text(f.id, &sha);
            common(&mut d);
            d.add_u64(f.size, 100_000);
            d.add_i64(f.mtime, 1_800_000_000);
            d.add_u64(f.pages, pages);
            writer.add_document(d).expect("add a document record");
            let mut offset = 0usize;
            for n in 0..shape.passages_per_file {
                let text = if shape.template_every > 0
                    && rng.next().is_multiple_of(shape.template_every as u64)
                {
                    let t = rng.pick(TEMPLATES).trim_end_matches('.');
                    format!("{t} {}.", rng.pick(EXTRA))
                } else {
                    let seed = rng.pick(&seeds).clone();
                    vary(&mut rng, &seed)
                };
                let c = classifier.classify(&text);
                let len = text.chars().count();
                let passage = Passage {
                    id: PassageId(format!("{sha}:{n}")),
                    ordinal: n as u32,
                    kind: PassageKind::Paragraph,
                    page: (n / 20 + 1) as u32,
                    section: vec!["Social Value Plan".into()],
                    text: text.clone(),
                    lead_in: None,
                    start: offset,
                    end: offset + len,
                    ocr: None,
                };
                offset += len + 1;
                let mut d = TantivyDocument::default();
                d.add_text(f.record, RECORD_PASSAGE);
                d.add_text(f.id, &passage.id.0);
                common(&mut d);
                d.add_u64(f.page, u64::from(passage.page));
                d.add_u64(f.paragraph, n as u64);
                d.add_u64(f.start, passage.start as u64);
                d.add_u64(f.end, passage.end as u64);
                d.add_text(f.section, "Social Value Plan");
                d.add_text(f.text, &text);
                d.add_text(f.text_exact, &text);
                d.add_text(f.kind, c.kind.as_str());
                for t in &c.themes {
                    d.add_text(f.theme, t.id.as_str());
                }
                for p in &c.principles {
                    d.add_text(f.principle, p.id.as_str());
                }
                for r in &c.rules {
                    d.add_text(f.rule, r.as_str());
                }
                d.add_u64(f.score, u64::from(c.specificity.score));
                d.add_text(
                    f.measures,
                    serde_json::to_string(&c.measures).unwrap_or_default(),
                );
                let detail = Detail {
                    passage,
                    classification: c,
                };
                d.add_text(f.detail, serde_json::to_string(&detail).unwrap_or_default());
                writer.add_document(d).expect("add a passage record");
                written += 1;
                if written.is_multiple_of(100_000) {
                    eprintln!(
                        "{written}/{total} passages ({:.0} s)",
                        started.elapsed().as_secs_f64()
                    );
                }
            }
        }
    }
    writer.commit().expect("commit");
    writer.wait_merging_threads().expect("merge");
    eprintln!(
        "built {written} passages of {} suppliers in {:.1} s",
        shape.suppliers,
        started.elapsed().as_secs_f64()
    );
    written
}

/// The serve benchmarks' index: about `passages` passages of 500 suppliers with 10 files each,
/// in tender `bench`, in `dir`. Built when `dir` holds no index yet, reused when it does.
pub fn open_or_build_bench(dir: &std::path::Path, passages: usize) -> Result<(), String> {
    let store = Store::open_or_create(dir).map_err(|e| e.to_string())?;
    let reader = store.reader().map_err(|e| e.to_string())?;
    if reader.searcher().num_docs() == 0 {
        let shape = Shape {
            suppliers: 500,
            files: 10,
            passages_per_file: passages.div_ceil(5000).max(1),
            template_every: 25,
        };
        build(&store, "bench", shape);
    }
    Ok(())
}
