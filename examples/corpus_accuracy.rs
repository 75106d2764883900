//! Extraction accuracy and robustness over `../shared/corpus`.
//!
//! For every file in the corpus's `pdf/`, `docx/`, `xlsx/`, `odt/`, `doc/` and `rtf/`, extract
//! its text with tenderscope and score it (word F1 after NFKC, see `tenderscope::textcmp`)
//! against each reference extractor that produced text for that file: pdftotext and PyMuPDF
//! for PDF, docx2txt and pandoc for DOCX, openpyxl and LibreOffice for XLSX, pandoc,
//! LibreOffice and odt2txt for ODT, antiword, LibreOffice and catdoc for DOC, pandoc and
//! LibreOffice for RTF. For the newer formats a `best` row scores each file against the
//! best-suited of its references (the issue's measure: the higher F1 of antiword and
//! LibreOffice for DOC, of pandoc and LibreOffice for ODT and RTF, openpyxl for XLSX). Prints
//! a per-file table (with `--tsv FILE`) and a summary: median and 10th percentile per tool,
//! failures with their reasons, and how long extraction took.
//!
//! ```text
//! cargo run --release --example corpus_accuracy -- [--corpus ../shared/corpus] [--kind pdf|docx|xlsx|odt|doc|rtf] [--tsv out.tsv] [--worst N]
//! ```
//! It needs neither poppler nor Python: the reference texts are files in the corpus.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tenderscope::extract::extract_file;
use tenderscope::textcmp::{quantile, word_score};
use tenderscope::Limits;

struct Row {
    file: String,
    kind: &'static str,
    outcome: Result<u32, String>,
    elapsed: Duration,
    scores: Vec<(&'static str, f64)>,
}

fn main() {
    let mut corpus = PathBuf::from("../shared/corpus");
    let mut kinds: Vec<&'static str> = KINDS.to_vec();
    let mut tsv: Option<PathBuf> = None;
    let mut worst = 10usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--corpus" => corpus = args.next().map(PathBuf::from).unwrap_or(corpus),
            "--kind" => {
                let want = args.next();
                match KINDS.iter().find(|k| Some(**k) == want.as_deref()) {
                    Some(k) => kinds = vec![*k],
                    None => die(&format!("--kind takes one of {KINDS:?}, not {want:?}")),
                }
            }
            "--tsv" => tsv = args.next().map(PathBuf::from),
            "--worst" => worst = args.next().and_then(|s| s.parse().ok()).unwrap_or(worst),
            other => die(&format!("unknown argument {other}")),
        }
    }
    let mut out = String::from("file\tkind\tstatus\tpages\tms\ttool\tf1\n");
    for kind in kinds {
        let tools = tools_of(kind);
        let mut files: Vec<PathBuf> = match std::fs::read_dir(corpus.join(kind)) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => die(&format!("{}: {e}", corpus.join(kind).display())),
        };
        files.sort();
        let limits = Limits::default();
        let rows: Vec<Row> = files
            .par_iter()
            .map(|path| run_one(path, kind, tools, &corpus, &limits))
            .collect();
        summarise(kind, tools, &rows, worst);
        for r in &rows {
            let (status, pages) = match &r.outcome {
                Ok(p) => ("ok".to_string(), *p),
                Err(e) => (format!("error: {e}"), 0),
            };
            if r.scores.is_empty() {
                out.push_str(&format!(
                    "{}\t{}\t{status}\t{pages}\t{}\t-\t-\n",
                    r.file,
                    r.kind,
                    r.elapsed.as_millis()
                ));
            }
            for (tool, f1) in &r.scores {
                out.push_str(&format!(
                    "{}\t{}\t{status}\t{pages}\t{}\t{tool}\t{f1:.4}\n",
                    r.file,
                    r.kind,
                    r.elapsed.as_millis()
                ));
            }
        }
    }
    if let Some(path) = tsv {
        if let Err(e) = std::fs::write(&path, out) {
            die(&format!("{}: {e}", path.display()));
        }
    }
}

const KINDS: [&str; 6] = ["pdf", "docx", "xlsx", "odt", "doc", "rtf"];

/// The reference tools of a kind; `best` (where present) is scored per file against the
/// best-suited references of [`best_of`].
fn tools_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "pdf" => &["pdftotext", "pymupdf"],
        "docx" => &["docx2txt", "pandoc"],
        "xlsx" => &["openpyxl", "libreoffice", "best"],
        "odt" => &["pandoc", "libreoffice", "odt2txt", "best"],
        "doc" => &["antiword", "libreoffice", "catdoc", "best"],
        _ => &["pandoc", "libreoffice", "best"],
    }
}

/// The references the issue calls best suited to a kind: a file's `best` score is the
/// highest F1 against those of them that produced text.
fn best_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "xlsx" => &["openpyxl"],
        "odt" => &["pandoc", "libreoffice"],
        "doc" => &["antiword", "libreoffice"],
        "rtf" => &["pandoc", "libreoffice"],
        _ => &[],
    }
}

/// What `tool` extracted from `file`, if it produced any words. antiword writes `[pic]` where
/// a picture sits: a placeholder, not the document's text, so it is left out (a DOC holding
/// only pictures then has no antiword reference, as it has no LibreOffice one).
fn reference_text(corpus: &Path, tool: &str, file: &str) -> Option<String> {
    let path = corpus
        .join("reference")
        .join(tool)
        .join(format!("{file}.txt"));
    let mut text = std::fs::read_to_string(path).ok()?;
    if tool == "antiword" {
        text = text.replace("[pic]", " ");
    }
    (!tenderscope::textcmp::words(&text).is_empty()).then_some(text)
}

fn run_one(
    path: &Path,
    kind: &'static str,
    tools: &[&'static str],
    corpus: &Path,
    limits: &Limits,
) -> Row {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let start = Instant::now();
    let result = extract_file(path, limits);
    let elapsed = start.elapsed();
    let mut scores = Vec::new();
    let outcome = match result {
        Ok(doc) => {
            let text = doc.text();
            for tool in tools.iter().filter(|t| **t != "best") {
                // Score only where the reference tool produced text for this file.
                if let Some(ref_text) = reference_text(corpus, tool, &file) {
                    scores.push((*tool, word_score(&text, &ref_text).f1));
                }
            }
            Ok(doc.pages)
        }
        Err(e) => {
            // A failure still counts against the tools that did produce text.
            for tool in tools.iter().filter(|t| **t != "best") {
                if reference_text(corpus, tool, &file).is_some() {
                    scores.push((*tool, 0.0));
                }
            }
            Err(e.to_string())
        }
    };
    let best = scores
        .iter()
        .filter(|(t, _)| best_of(kind).contains(t))
        .map(|(_, f)| *f)
        .reduce(f64::max);
    if let Some(b) = best {
        scores.push(("best", b));
    }
    Row {
        file,
        kind,
        outcome,
        elapsed,
        scores,
    }
}

fn summarise(kind: &str, tools: &[&'static str], rows: &[Row], worst: usize) {
    if rows.is_empty() {
        return;
    }
    let ok = rows.iter().filter(|r| r.outcome.is_ok()).count();
    let pages: u32 = rows.iter().filter_map(|r| r.outcome.as_ref().ok()).sum();
    let secs: f64 = rows.iter().map(|r| r.elapsed.as_secs_f64()).sum();
    println!(
        "{kind}: {} files, {ok} extracted, {} failed; {pages} pages in {secs:.2} s of extraction time",
        rows.len(),
        rows.len() - ok
    );
    for tool in tools {
        let mut f1s: Vec<(f64, &str)> = rows
            .iter()
            .flat_map(|r| {
                r.scores
                    .iter()
                    .filter(|(t, _)| t == tool)
                    .map(|(_, f)| (*f, r.file.as_str()))
            })
            .collect();
        let values: Vec<f64> = f1s.iter().map(|(f, _)| *f).collect();
        println!(
            "  vs {tool:<9}: {} files, median F1 {:.4}, p10 {:.4}, mean {:.4}",
            values.len(),
            quantile(&values, 0.5).unwrap_or(f64::NAN),
            quantile(&values, 0.1).unwrap_or(f64::NAN),
            values.iter().sum::<f64>() / values.len().max(1) as f64
        );
        f1s.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (f, name) in f1s.iter().take(worst) {
            println!("      {f:.3} {name}");
        }
    }
    for r in rows {
        if let Err(e) = &r.outcome {
            println!("  failed: {}: {e}", r.file);
        }
    }
}

fn die(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2)
}
