//! Times the ledger on a synthetic award: 100 suppliers, each with 30 commitments and returns
//! for 8 quarters of 12 figures (a narrative and KPI rows), classified by the embedded rules as
//! ingest would. Only `ledger::build` is timed; the issue asks for under 2 s.
//!
//! Run: `cargo run --release --example ledger_bench [SUPPLIERS] [PERIODS]`

use std::time::Instant;

use tenderscope::classify::RuleSet;
use tenderscope::index::records::{PassageRecord, Provenance};
use tenderscope::ledger;
use tenderscope::passage::{Passage, PassageId, PassageKind};
use tenderscope::period::{Period, Stage};
use tenderscope::Format;

const PROMISES: [&str; 10] = [
    "We will create {n} new apprenticeships for local residents by March 2030.",
    "We will give {n} hours a year to careers activity in local schools.",
    "We will spend £{n},000 a year with small businesses in the borough.",
    "We will pay 95% of supplier invoices within 14 days.",
    "We will donate {n} refurbished laptops to residents by December 2029.",
    "We will recruit {n} people who face barriers to work by March 2031.",
    "We will deliver {n} digital skills sessions a year in libraries.",
    "We will plant {n} trees on council land by 2030.",
    "We will offer {n} work experience placements a year for students.",
    "We will complete {n} community improvement projects by March 2031.",
];

const DELIVERED: [&str; 6] = [
    "Apprentices started | {n} | {m}",
    "Careers hours in schools | {n} | {m}",
    "Spend with local small businesses (£) | {n}000 | {m}000",
    "Invoices paid within 14 days (%) | 9{d} | 9{d}",
    "We handed over {n} refurbished laptops to residents this quarter.",
    "Bird boxes put up | {n} | {m}",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let suppliers: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let periods: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(8);
    let rules = RuleSet::embedded().expect("the embedded rules");
    let classifier = rules.classifier(None).expect("a classifier");
    let quarters: Vec<Period> = (0..periods)
        .filter_map(|i| Period::parse(&format!("{}-Q{}", 2027 + i / 4, i % 4 + 1)))
        .collect();
    let mut passages = Vec::new();
    let header = "KPI | This quarter | Contract to date";
    for s in 0..suppliers {
        let supplier = format!("supplier-{s:03}");
        let mut ordinal = 0u32;
        let mut add =
            |text: String, lead_in: Option<&str>, stage: Stage, period: Option<Period>| {
                let passage = Passage {
                    id: PassageId(format!("{s:016x}:{ordinal}")),
                    ordinal,
                    kind: if lead_in.is_some() {
                        PassageKind::TableRow
                    } else {
                        PassageKind::Paragraph
                    },
                    page: 1,
                    section: Vec::new(),
                    text,
                    lead_in: lead_in.map(str::to_string),
                    start: 0,
                    end: 0,
                    ocr: None,
                };
                ordinal += 1;
                let c = classifier.classify(&passage.classify_text());
                let prov = Provenance {
                    id: passage.id.0.clone(),
                    tender: "bench".into(),
                    supplier: supplier.clone(),
                    lot: None,
                    origin: format!(
                        "/b/{supplier}/{}.docx",
                        period.map_or("plan".into(), |p| p.to_string())
                    ),
                    path: String::new(),
                    sha256: String::new(),
                    format: Format::Docx,
                    ruleset_version: Default::default(),
                    extractor_version: String::new(),
                    ingested: 0,
                    stage,
                    period,
                };
                PassageRecord::new(prov, &passage, &c)
            };
        for k in 0..30 {
            let text = PROMISES[k % PROMISES.len()].replace("{n}", &(k + 4).to_string());
            passages.push(add(text, None, Stage::Tender, None));
        }
        for (q, period) in quarters.iter().enumerate() {
            for k in 0..12 {
                let template = DELIVERED[k % DELIVERED.len()];
                let text = template
                    .replace("{n}", &(k + 1).to_string())
                    .replace("{m}", &((k + 1) * (q + 1)).to_string())
                    .replace("{d}", &(k % 10).to_string());
                let lead = text.contains(" | ").then_some(header);
                passages.push(add(text, lead, Stage::Delivery, Some(*period)));
            }
        }
    }
    let clock = Instant::now();
    let built = ledger::build(&passages, &[], &ledger::Options::default());
    let seconds = clock.elapsed().as_secs_f64();
    let linked = built
        .rows
        .iter()
        .filter(|r| !r.evidence.is_empty() && !r.unmatched)
        .count();
    let unmatched = built.rows.iter().filter(|r| r.unmatched).count();
    println!(
        "{suppliers} suppliers x {periods} periods: {} passages, {} rows ({linked} with evidence, {unmatched} unmatched) in {seconds:.3} s",
        passages.len(),
        built.rows.len()
    );
}
