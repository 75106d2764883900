//! How well OCR reads scanned pages: word F1 of what tenderscope's OCR reads from an image-only
//! PDF against the text layer of the unscanned original.
//!
//! ```text
//! cargo run --release --example ocr_accuracy [-- --max N --dpi D]
//! ```
//!
//! 1. The fixture `fixtures/scan/cobalt-lane-social-value-plan-p2.pdf` (150 dpi, JPEG quality
//!    40) against the text layer of the demo page it was made from.
//! 2. Real files: page 1 of English PDFs of `../shared/corpus/pdf` that have a text layer,
//!    rasterised here by poppler's `pdftoppm` (gray JPEG, 200 dpi and quality 80 unless told
//!    otherwise) into image-only PDFs, against `pdftotext`'s text of that page
//!    (`reference/pdftotext`). At most `--max` files (30), spread evenly over the eligible ones.
//! 3. The corpus's own scanned PDFs, which have no unscanned original: what OCR made of each
//!    (words, confidence, or the reason it read nothing).
//!
//! Needs Tesseract (`tesseract-ocr`, `tesseract-ocr-eng`) and, for 2, `poppler-utils`.

#[path = "scan/image_pdf.rs"]
mod image_pdf;

use std::path::{Path, PathBuf};
use std::time::Instant;

use tenderscope::document::{Document, PageOcr};
use tenderscope::extract::{extract_bytes, extract_file};
use tenderscope::textcmp::{quantile, word_score};
use tenderscope::Limits;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str, default: u32| -> Result<u32, String> {
        match args.iter().position(|a| a == name) {
            Some(i) => args
                .get(i + 1)
                .ok_or(format!("{name} needs a value"))?
                .parse()
                .map_err(|e| format!("{name}: {e}")),
            None => Ok(default),
        }
    };
    let max = opt("--max", 30)? as usize;
    let dpi = opt("--dpi", 200)?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let limits = Limits::default();

    // 1. The fixture.
    let scan = extract_file(
        &root.join("fixtures/scan/cobalt-lane-social-value-plan-p2.pdf"),
        &limits,
    )
    .map_err(|e| e.to_string())?;
    let original = extract_file(
        &root.join("fixtures/demo/cobalt-lane-digital/social-value-plan.pdf"),
        &limits,
    )
    .map_err(|e| e.to_string())?;
    let reference: String = original
        .blocks
        .iter()
        .filter(|b| b.page == 2)
        .map(|b| format!("{}\n", b.text))
        .collect();
    let s = word_score(&scan.text(), &reference);
    println!(
        "fixture (demo page, 150 dpi, JPEG q40): word F1 {:.3} (precision {:.3}, recall {:.3}, {} of {} words), {}",
        s.f1,
        s.precision,
        s.recall,
        s.candidate_words,
        s.reference_words,
        outcome(&scan)
    );

    // 2. Corpus pages rasterised here.
    let corpus = root.join("../shared/corpus");
    let eligible = eligible_pages(&corpus)?;
    let step = (eligible.len() as f64 / max.max(1) as f64).max(1.0);
    let chosen: Vec<&(PathBuf, String)> = (0..max.min(eligible.len()))
        .filter_map(|i| eligible.get((i as f64 * step) as usize))
        .collect();
    println!(
        "\ncorpus: {} English PDFs with a text layer on page 1 (80+ words); {} rasterised at {dpi} dpi",
        eligible.len(),
        chosen.len()
    );
    let mut f1s = Vec::new();
    let started = Instant::now();
    for (path, reference) in chosen {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let result = (|| -> Result<Document, String> {
            let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
            let (w, h) = image_pdf::page_size(&bytes, 1).unwrap_or((612.0, 792.0));
            let jpeg = image_pdf::rasterise(path, 1, dpi, 80)?;
            let pdf = image_pdf::jpeg_page_pdf(&jpeg, w, h)?;
            extract_bytes(&pdf, &limits).map_err(|e| e.to_string())
        })();
        match result {
            Ok(doc) => {
                let s = word_score(&doc.text(), reference);
                println!("{:.3}  {name}  {}", s.f1, outcome(&doc));
                f1s.push(s.f1);
            }
            Err(e) => println!("  -    {name}: {e}"),
        }
    }
    if let (Some(median), Some(p10)) = (quantile(&f1s, 0.5), quantile(&f1s, 0.1)) {
        let mean = f1s.iter().sum::<f64>() / f1s.len() as f64;
        let at_goal = f1s.iter().filter(|&&f| f >= 0.90).count();
        println!(
            "corpus: {} pages, word F1 median {median:.3}, 10th percentile {p10:.3}, mean {mean:.3}; \
             {at_goal} of {} at 0.90 or more ({:.0} s)",
            f1s.len(),
            f1s.len(),
            started.elapsed().as_secs_f64()
        );
    }

    // 3. The corpus's scanned PDFs.
    println!("\ncorpus PDFs without a text layer (no unscanned original to compare with):");
    for name in scanned(&corpus)? {
        let path = corpus.join("pdf").join(&name);
        match extract_file(&path, &limits) {
            Ok(doc) => println!("  {name}: {}", outcome(&doc)),
            Err(e) => println!("  {name}: not read: {e}"),
        }
    }
    Ok(())
}

/// What OCR made of a document's pages without a text layer, on one line.
fn outcome(doc: &Document) -> String {
    let parts: Vec<String> = doc
        .page_info
        .iter()
        .filter_map(|p| {
            p.ocr.as_ref().map(|o| match o {
                PageOcr::Read { confidence, words } => {
                    format!("p.{} OCR {words} words at {confidence:.0}%", p.page)
                }
                PageOcr::Failed { reason } | PageOcr::Unavailable { reason } => {
                    format!("p.{} {reason}", p.page)
                }
            })
        })
        .collect();
    if parts.is_empty() {
        "no page without a text layer".into()
    } else {
        parts.join("; ")
    }
}

/// Corpus PDFs whose page 1 has at least 80 words of English-looking text in `pdftotext`'s
/// reference, with that text; sorted by name.
fn eligible_pages(corpus: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let dir = corpus.join("reference/pdftotext");
    let mut out = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf.txt"))
        .collect();
    names.sort();
    for n in names {
        let Ok(text) = std::fs::read_to_string(dir.join(&n)) else {
            continue;
        };
        let page1 = text.split('\x0c').next().unwrap_or("");
        let words = page1.split_whitespace().count();
        let letters: Vec<char> = page1.chars().filter(|c| c.is_alphabetic()).collect();
        let ascii = letters.iter().filter(|c| c.is_ascii()).count();
        if words < 80 || letters.is_empty() || (ascii as f64) < 0.97 * letters.len() as f64 {
            continue;
        }
        let pdf = corpus.join("pdf").join(n.trim_end_matches(".txt"));
        if pdf.exists() {
            out.push((pdf, page1.to_string()));
        }
    }
    Ok(out)
}

/// The corpus PDFs its manifest notes as image-only or scanned.
fn scanned(corpus: &Path) -> Result<Vec<String>, String> {
    let manifest =
        std::fs::read_to_string(corpus.join("MANIFEST.tsv")).map_err(|e| e.to_string())?;
    let mut out: Vec<String> = manifest
        .lines()
        .filter(|l| l.contains("image-only/scanned") || l.contains("Paper Capture"))
        .filter_map(|l| l.split('\t').next().map(str::to_string))
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    out.sort();
    Ok(out)
}
