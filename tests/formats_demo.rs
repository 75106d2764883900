//! Same-source accuracy: every DOCX of the demo batch, exported by LibreOffice to ODT, legacy
//! DOC and RTF (`fixtures/formats/`, made by `fixtures/make-formats.sh`), extracts to the
//! words of the DOCX extraction of the same document: word F1 of at least 0.98 per file.
//!
//! `cargo test --test formats_demo -- --nocapture` prints the figure of every file.

use std::path::{Path, PathBuf};

use tenderscope::extract::extract_file;
use tenderscope::textcmp::word_score;
use tenderscope::{BlockKind, Document, Format, Limits};

/// The least word F1 of an export against the DOCX extraction of its document.
const MIN_F1: f64 = 0.98;

/// The exports and the format each must be read as.
const EXPORTS: &[(&str, Format)] = &[
    ("odt", Format::Odt),
    ("doc", Format::Doc),
    ("rtf", Format::Rtf),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every demo DOCX, as `(supplier, stem)`, sorted.
fn demo_docx() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for supplier in std::fs::read_dir(root().join("fixtures/demo")).unwrap() {
        let supplier = supplier.unwrap().path();
        for file in std::fs::read_dir(&supplier).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "docx") {
                out.push((
                    supplier.file_name().unwrap().to_string_lossy().into_owned(),
                    file.file_stem().unwrap().to_string_lossy().into_owned(),
                ));
            }
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> Document {
    extract_file(path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn count(doc: &Document, kind: fn(&BlockKind) -> bool) -> usize {
    doc.blocks.iter().filter(|b| kind(&b.kind)).count()
}

#[test]
fn exports_read_as_their_docx() {
    let sources = demo_docx();
    assert_eq!(sources.len(), 9, "demo DOCX files: {sources:?}");
    let mut low = Vec::new();
    for (supplier, stem) in &sources {
        let docx = read(&root().join(format!("fixtures/demo/{supplier}/{stem}.docx")));
        let reference = docx.text();
        for (ext, format) in EXPORTS {
            let rel = format!("fixtures/formats/{supplier}/{stem}.{ext}");
            let doc = read(&root().join(&rel));
            assert_eq!(doc.format, *format, "{rel}");
            let s = word_score(&doc.text(), &reference);
            eprintln!(
                "{rel}: F1 {:.4} (precision {:.4}, recall {:.4}; {} words, DOCX {})",
                s.f1, s.precision, s.recall, s.candidate_words, s.reference_words
            );
            if s.f1 < MIN_F1 {
                low.push(format!("{rel}: {:.4}", s.f1));
            }
            // The tables stay tables.
            let cells = |k: &BlockKind| matches!(k, BlockKind::TableCell { .. });
            if count(&docx, cells) > 0 {
                assert!(count(&doc, cells) > 0, "{rel}: no table cells");
            }
        }
    }
    assert!(low.is_empty(), "below {MIN_F1}: {low:?}");
}

#[test]
fn every_demo_docx_has_its_exports() {
    let mut missing = Vec::new();
    for (supplier, stem) in demo_docx() {
        for (ext, _) in EXPORTS {
            let rel = format!("fixtures/formats/{supplier}/{stem}.{ext}");
            if !root().join(&rel).is_file() {
                missing.push(rel);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing (bash fixtures/make-formats.sh): {missing:?}"
    );
}
