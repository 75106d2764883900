//! Checks the test suite's expected text of each demo source against an outside reference:
//! `pdftotext FILE -` for the PDFs and the text runs of the DOCX XML for the DOCX files.
//!
//! `fixtures/make.sh` writes those references into a scratch folder and runs this after
//! regenerating the batch; it is how we know that `tests/common/mod.rs` reads the sources the
//! way the files really print. Needs no poppler itself: it only reads the text files given.
//!
//! Run: `cargo run --example check_fixtures -- SRC_DIR REF_DIR`, where `REF_DIR/<supplier>/
//! <file>.txt` holds the reference text of `SRC_DIR/<supplier>/<file>.md`. Prints word-level
//! precision, recall and F1 per file and their minimum; exits non-zero when a reference is missing.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use common::{expected_text, missing_words, parse_source, score, supplier_files, Target};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [src, refs] = args.as_slice() else {
        eprintln!("usage: check_fixtures SRC_DIR REF_DIR");
        return ExitCode::FAILURE;
    };
    let refs = PathBuf::from(refs);
    let mut failed = false;
    let mut min_f1 = f64::INFINITY;
    println!(
        "{:<52} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "file", "pages", "words", "ref", "P", "R", "F1"
    );
    for (supplier, stem, path) in supplier_files(&PathBuf::from(src)) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("error: cannot read {}", path.display());
            failed = true;
            continue;
        };
        let source = parse_source(&text);
        let ref_path = refs.join(&supplier).join(format!("{stem}.txt"));
        let Ok(reference) = std::fs::read_to_string(&ref_path) else {
            eprintln!("error: no reference {}", ref_path.display());
            failed = true;
            continue;
        };
        // pdftotext ends every page with a form feed.
        let pages = match source.target {
            Target::Pdf => reference.matches('\x0c').count() as u32,
            Target::Docx => 1,
        };
        let expected = expected_text(&source, pages);
        let s = score(&expected, &reference);
        min_f1 = min_f1.min(s.f1());
        println!(
            "{:<52} {:>5} {:>6} {:>6} {:>6.4} {:>6.4} {:>6.4}",
            format!("{supplier}/{stem}.{}", source.target.extension()),
            pages,
            s.expected,
            s.got,
            s.precision(),
            s.recall(),
            s.f1()
        );
        let missing = missing_words(&expected, &reference, 8);
        let extra = missing_words(&reference, &expected, 8);
        if !missing.is_empty() || !extra.is_empty() {
            println!("    not in reference: {missing:?}");
            println!("    only in reference: {extra:?}");
        }
    }
    if min_f1.is_finite() {
        println!("minimum F1: {min_f1:.4}");
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
