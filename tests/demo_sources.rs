//! The demo tender batch (`fixtures/demo`) extracts to the words of its sources
//! (`fixtures/demo-src`), word for word.
//!
//! Each demo file has its own test: `tenderscope::extract::extract_file` must give back the
//! words of the file's source (markup stripped; running header and footer included, once per
//! page in a PDF), with word-level recall and precision of at least 0.98 after NFKC and
//! whitespace normalisation. Words keep their case and attached punctuation; only list bullets
//! and list numbers, which the word processor draws and the source does not hold, are ignored.
//! The other tests check the batch itself: every file has a source and a test, formats and page
//! counts are as promised, and the expected-text helper reads the source format correctly.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{
    expected_text, is_list_marker, missing_words, parse_source, root, score, supplier_files, words,
    Target,
};
use tenderscope::Limits;

/// The least word-level recall and precision an extraction of a demo file may have.
const MIN_AGREEMENT: f64 = 0.98;

macro_rules! demo_files {
    ($($test:ident => $path:literal,)*) => {
        /// Every demo file, relative to `fixtures/demo`.
        const DEMO_FILES: &[&str] = &[$($path),*];
        $(
            #[test]
            fn $test() {
                check_demo_file($path);
            }
        )*
    };
}

demo_files! {
    cobalt_lane_digital_carbon_reduction_plan => "cobalt-lane-digital/carbon-reduction-plan.docx",
    cobalt_lane_digital_method_statement => "cobalt-lane-digital/method-statement.docx",
    cobalt_lane_digital_social_value_plan => "cobalt-lane-digital/social-value-plan.pdf",
    dane_valley_civils_method_statement => "dane-valley-civils/method-statement.pdf",
    dane_valley_civils_modern_slavery_statement => "dane-valley-civils/modern-slavery-statement.pdf",
    dane_valley_civils_social_value_plan => "dane-valley-civils/social-value-plan.docx",
    greenshoots_cic_method_statement => "greenshoots-cic/method-statement.pdf",
    greenshoots_cic_social_value_plan => "greenshoots-cic/social-value-plan.docx",
    meridian_estate_services_edi_policy => "meridian-estate-services/edi-policy.pdf",
    meridian_estate_services_environmental_policy => "meridian-estate-services/environmental-policy.docx",
    meridian_estate_services_method_statement => "meridian-estate-services/method-statement.docx",
    meridian_estate_services_social_value_plan => "meridian-estate-services/social-value-plan.pdf",
    northgate_lining_quality_health_safety_environment_policy => "northgate-lining/quality-health-safety-environment-policy.docx",
    northgate_lining_social_value_response => "northgate-lining/social-value-response.pdf",
    weaver_home_care_modern_slavery_statement => "weaver-home-care/modern-slavery-statement.docx",
    weaver_home_care_safeguarding_policy => "weaver-home-care/safeguarding-policy.docx",
    weaver_home_care_social_value_plan => "weaver-home-care/social-value-plan.pdf",
}

/// Where a demo file's source lives: `fixtures/demo-src/<supplier>/<stem>.md`.
fn source_of(rel: &str) -> (String, Target) {
    let path = Path::new(rel);
    let supplier = path
        .parent()
        .and_then(|p| p.to_str())
        .unwrap_or_else(|| panic!("{rel}: no supplier folder"));
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_else(|| panic!("{rel}: no file name"));
    let src = root()
        .join("fixtures/demo-src")
        .join(supplier)
        .join(format!("{stem}.md"));
    let text = std::fs::read_to_string(&src)
        .unwrap_or_else(|e| panic!("{rel}: reading its source {}: {e}", src.display()));
    let target = parse_source(&text).target;
    (text, target)
}

/// Page count of a PDF, read with lopdf directly (not with the extractor under test).
fn pdf_pages(bytes: &[u8], rel: &str) -> u32 {
    let doc = lopdf::Document::load_mem(bytes)
        .unwrap_or_else(|e| panic!("{rel}: lopdf cannot open it: {e}"));
    doc.get_pages().len() as u32
}

fn check_demo_file(rel: &str) {
    let path = root().join("fixtures/demo").join(rel);
    let (text, target) = source_of(rel);
    let source = parse_source(&text);
    assert_eq!(
        path.extension().and_then(|e| e.to_str()),
        Some(target.extension()),
        "{rel}: its source says format: {}",
        target.extension()
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let pages = match target {
        Target::Pdf => pdf_pages(&bytes, rel),
        Target::Docx => 1,
    };
    let expected = expected_text(&source, pages);

    let doc = tenderscope::extract::extract_file(&path, &Limits::default())
        .unwrap_or_else(|e| panic!("{rel}: extraction failed: {e}"));
    assert_eq!(doc.pages, pages, "{rel}: page count");
    let got = doc.text();
    let s = score(&expected, &got);
    assert!(
        s.recall() >= MIN_AGREEMENT && s.precision() >= MIN_AGREEMENT,
        "{rel}: recall {:.4} ({} of {} source words), precision {:.4} ({} extracted words); \
         first source words not extracted: {:?}; first extracted words not in the source: {:?}",
        s.recall(),
        s.common,
        s.expected,
        s.precision(),
        s.got,
        missing_words(&expected, &got, 12),
        missing_words(&got, &expected, 12),
    );
}

#[test]
fn every_demo_file_has_a_source_and_a_test() {
    let files: BTreeSet<String> = supplier_files(&root().join("fixtures/demo"))
        .into_iter()
        .map(|(supplier, _, path)| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            format!("{supplier}/{name}")
        })
        .collect();
    let tested: BTreeSet<String> = DEMO_FILES.iter().map(|s| s.to_string()).collect();
    assert_eq!(files, tested, "fixtures/demo and the tests' list differ");

    let sources: BTreeSet<String> = supplier_files(&root().join("fixtures/demo-src"))
        .into_iter()
        .map(|(supplier, stem, _)| format!("{supplier}/{stem}"))
        .collect();
    let made: BTreeSet<String> = files
        .iter()
        .map(|f| f.rsplit_once('.').map_or(f.clone(), |(s, _)| s.to_string()))
        .collect();
    assert_eq!(sources, made, "fixtures/demo-src and fixtures/demo differ");
}

#[test]
fn every_demo_file_is_the_format_its_source_names() {
    for rel in DEMO_FILES {
        let (_, target) = source_of(rel);
        let bytes = std::fs::read(root().join("fixtures/demo").join(rel))
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        match target {
            Target::Pdf => assert!(bytes.starts_with(b"%PDF-"), "{rel}: not a PDF"),
            Target::Docx => assert!(bytes.starts_with(b"PK\x03\x04"), "{rel}: not a zip"),
        }
        assert!(rel.ends_with(target.extension()), "{rel}: wrong extension");
    }
}

#[test]
fn demo_batch_mixes_suppliers_and_formats() {
    let mut by_supplier: std::collections::BTreeMap<&str, Vec<Target>> = Default::default();
    for rel in DEMO_FILES {
        let supplier = rel.split('/').next().unwrap_or(rel);
        by_supplier
            .entry(supplier)
            .or_default()
            .push(source_of(rel).1);
    }
    assert!(by_supplier.len() >= 6, "at least six suppliers");
    for (supplier, targets) in &by_supplier {
        assert!(
            (2..=4).contains(&targets.len()),
            "{supplier}: {} files",
            targets.len()
        );
        if targets.len() >= 3 {
            assert!(
                targets.contains(&Target::Pdf) && targets.contains(&Target::Docx),
                "{supplier}: three or more files but not both formats"
            );
        }
    }
    let pdfs = DEMO_FILES.iter().filter(|f| f.ends_with(".pdf")).count();
    let docx = DEMO_FILES.len() - pdfs;
    assert!(
        pdfs.abs_diff(docx) <= 3,
        "{pdfs} PDFs and {docx} DOCX files"
    );
}

#[test]
fn demo_pdfs_have_two_to_eight_pages() {
    for rel in DEMO_FILES.iter().filter(|f| f.ends_with(".pdf")) {
        let bytes =
            std::fs::read(root().join("fixtures/demo").join(rel)).unwrap_or_else(|e| panic!("{e}"));
        let pages = pdf_pages(&bytes, rel);
        assert!((2..=8).contains(&pages), "{rel}: {pages} pages");
    }
}

#[test]
fn every_source_prints_a_running_header_and_footer_and_enough_words() {
    for rel in DEMO_FILES {
        let source = parse_source(&source_of(rel).0);
        let header = source.header.as_deref().unwrap_or_default();
        let footer = source.footer.as_deref().unwrap_or_default();
        assert!(!header.is_empty(), "{rel}: no header");
        assert!(
            footer.contains("{PAGE}"),
            "{rel}: footer has no page number"
        );
        let expected = words(&expected_text(&source, 2));
        assert!(
            expected.len() >= 400,
            "{rel}: only {} words",
            expected.len()
        );
        for w in words(header) {
            assert!(
                expected.contains(&w),
                "{rel}: header word {w:?} not expected"
            );
        }
    }
}

const SAMPLE: &str = "\
header: Acme Ltd | Tender 7
footer: Page {PAGE} of {PAGES}
format: pdf
font: Liberation Sans

# Social **Value** Plan

We will hire *12* apprentices
from Crewe.

## Commitments

- one bullet
  - a nested bullet
1. first step
2. second step
  which wraps

| Measure | Target |
|---|---|
| Jobs | 25 |

---

Last line.
";

#[test]
fn expected_text_strips_the_markup() {
    let source = parse_source(SAMPLE);
    assert_eq!(source.target, Target::Pdf);
    assert_eq!(source.header.as_deref(), Some("Acme Ltd | Tender 7"));
    assert_eq!(
        source.body,
        "Social Value Plan\nWe will hire 12 apprentices\nfrom Crewe.\nCommitments\none bullet\n\
         a nested bullet\nfirst step\nsecond step\nwhich wraps\nMeasure\nTarget\nJobs\n25\n\
         Last line.\n"
    );
}

#[test]
fn expected_text_repeats_running_lines_on_every_pdf_page() {
    let source = parse_source(SAMPLE);
    let text = expected_text(&source, 3);
    assert_eq!(text.matches("Acme Ltd | Tender 7").count(), 3);
    for page in ["Page 1 of 3", "Page 2 of 3", "Page 3 of 3"] {
        assert!(text.contains(page), "{page} missing from {text:?}");
    }
    // A DOCX holds its running lines once, with Word's cached page field value.
    let docx = expected_text(&source, 1);
    assert_eq!(docx.matches("Acme Ltd").count(), 1);
    assert!(docx.contains("Page 1 of 1"));
}

#[test]
fn list_markers_are_ignored_and_words_are_not() {
    for marker in ["•", "–", "1.", "12.", "a)", "(ii)", "iv.", "\u{F0B7}"] {
        assert!(is_list_marker(marker), "{marker:?}");
    }
    for word in ["2027.", "£1.2m", "I", "a", "CO2e", "(FTE)", "Q3.1", "100."] {
        assert!(!is_list_marker(word), "{word:?}");
    }
    assert_eq!(
        words("• ﬁrst  step\u{00A0}1.\n2. £5k"),
        ["first", "step", "£5k"]
    );
}

#[test]
fn score_counts_repeated_words_once_each() {
    let s = score("the the cat", "the cat cat dog");
    assert_eq!((s.expected, s.got, s.common), (3, 4, 2));
    assert!((s.recall() - 2.0 / 3.0).abs() < 1e-9);
    assert!((s.precision() - 0.5).abs() < 1e-9);
}
