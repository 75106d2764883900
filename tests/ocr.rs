//! OCR of pages without a text layer: the scan fixture (`fixtures/scan/`, page 2 of a demo PDF
//! rasterised by `fixtures/scan/make.sh`) read by Tesseract and marked as OCR all the way to
//! the index, `show` and the scorecard; the page reported unread, with the reason, when the
//! program is missing; hostile images refused with a reason, never a panic.
//!
//! These tests need Debian's `tesseract-ocr` and `tesseract-ocr-eng`, and `jbig2dec` for the
//! JBIG2 scan (`.ci/run` installs them): without them they fail, saying so.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use lopdf::{dictionary, Document as PdfDocument, Object, Stream};
use tenderscope::document::{Document, PageOcr};
use tenderscope::extract::extract_file;
use tenderscope::ingest::RunRecord;
use tenderscope::textcmp::word_score;
use tenderscope::unread::Status;
use tenderscope::Limits;

use support::cli::{bin, code, stderr, stdout};

const SCAN: &str = "fixtures/scan/cobalt-lane-social-value-plan-p2.pdf";
const ORIGINAL: &str = "fixtures/demo/cobalt-lane-digital/social-value-plan.pdf";
const ORIGINAL_PAGE: u32 = 2;
/// Word F1 of the OCR text against the original's text layer, as measured (0.99 with
/// Tesseract 5.3) less a margin for other Tesseract versions.
const F1_FLOOR: f64 = 0.95;

fn manifest(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Fail, saying what to install, when Tesseract is not there: these tests never skip.
fn require_tesseract() {
    let ok = Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .map(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains("eng"))
        .unwrap_or(false);
    assert!(
        ok,
        "tesseract with English data is needed for the OCR tests: \
         apt-get install tesseract-ocr tesseract-ocr-eng (.ci/run installs them)"
    );
}

/// Fail, saying what to install, when jbig2dec is not there.
fn require_jbig2dec() {
    let ok = Command::new("jbig2dec")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "jbig2dec is needed for the JBIG2 OCR test: apt-get install jbig2dec (.ci/run installs it)"
    );
}

/// A real office scan (a Xerox WorkCentre's) whose one page is a JBIG2 image, from the shared
/// corpus beside the checkout.
const JBIG2_SCAN: &str = "../shared/corpus/pdf/pdfminer.six__samples_contrib_pdf-with-jbig2.pdf";

#[test]
fn a_jbig2_scan_is_decoded_by_jbig2dec_and_read() {
    require_tesseract();
    require_jbig2dec();
    let doc = extract(&manifest(JBIG2_SCAN));
    let Some(PageOcr::Read { words, confidence }) = &doc.page_info[0].ocr else {
        panic!("{:?}", doc.page_info[0])
    };
    assert!(*words >= 3 && *confidence > 50.0, "{words} {confidence}");
    let text = doc.text();
    assert!(text.contains("Doesn't") && text.contains("Work"), "{text}");
    assert!(doc.blocks.iter().all(|b| b.ocr.is_some()));
}

#[test]
fn without_jbig2dec_a_jbig2_page_is_unread_with_the_reason() {
    require_tesseract();
    let out = Command::new(bin())
        .args(["extract", "--format", "json"])
        .arg(manifest(JBIG2_SCAN))
        .env("TENDERSCOPE_JBIG2DEC", "/nonexistent/jbig2dec")
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Document = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc.blocks.is_empty());
    match &doc.page_info[0].ocr {
        Some(PageOcr::Unavailable { reason }) => assert!(
            reason.starts_with(
                "OCR unavailable for JBIG2 images: /nonexistent/jbig2dec not found (install \
                 Debian's jbig2dec"
            ),
            "{reason}"
        ),
        other => panic!("{other:?}"),
    }
}

fn extract(path: &Path) -> Document {
    extract_file(path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_scanned_page_is_read_by_ocr_and_its_blocks_say_so() {
    require_tesseract();
    let doc = extract(&manifest(SCAN));
    assert_eq!(doc.pages, 1);
    let info = &doc.page_info[0];
    assert!(info.no_text_layer);
    let Some(PageOcr::Read { confidence, words }) = &info.ocr else {
        panic!("page not read by OCR: {:?}", info.ocr);
    };
    assert!(*words > 350, "{words} words");
    assert!(*confidence > 80.0, "confidence {confidence}");
    assert_eq!(doc.unread_pages().count(), 0);
    assert!(!doc.blocks.is_empty());
    for b in &doc.blocks {
        let c = b
            .ocr
            .unwrap_or_else(|| panic!("block not marked as OCR: {b:?}"));
        assert!((0.0..=100.0).contains(&c), "{c}");
        let bbox = b.bbox.expect("OCR blocks are placed on the page");
        assert!(bbox[0] >= 0.0 && bbox[2] <= 596.0 && bbox[1] >= 0.0 && bbox[3] <= 843.0);
    }
    let text = doc.text();
    for expected in [
        "drop-in sessions",
        "120 refurbished laptops",
        "Open Government Licence",
    ] {
        assert!(
            text.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(expected),
            "{expected:?} not in {text}"
        );
    }
    // Against the text layer of the page it was made from.
    let score = word_score(&text, &original_page_text());
    assert!(
        score.f1 >= F1_FLOOR,
        "word F1 {:.3} (precision {:.3}, recall {:.3})",
        score.f1,
        score.precision,
        score.recall
    );
    // Passages carry the mark.
    let passages = tenderscope::passage::segment(&doc);
    assert!(passages.len() > 5);
    assert!(passages.iter().all(|p| p.ocr.is_some()));
}

/// The text layer of the page the scan fixture was made from.
fn original_page_text() -> String {
    extract(&manifest(ORIGINAL))
        .blocks
        .iter()
        .filter(|b| b.page == ORIGINAL_PAGE)
        .map(|b| format!("{}\n", b.text))
        .collect()
}

/// The scan fixture's page as the JPEG file a scanner would have saved (the PDF's only image).
fn scan_jpeg() -> Vec<u8> {
    let pdf = std::fs::read(manifest(SCAN)).unwrap();
    let start = pdf
        .windows(3)
        .position(|w| w == [0xFF, 0xD8, 0xFF])
        .unwrap();
    let end = start
        + pdf[start..]
            .windows(2)
            .position(|w| w == [0xFF, 0xD9])
            .unwrap()
        + 2;
    pdf[start..end].to_vec()
}

#[test]
fn an_image_file_is_read_by_ocr_as_a_page_and_ingested() {
    require_tesseract();
    let tmp = tempfile::tempdir().unwrap();
    let supplier = tmp.path().join("batch/cobalt-lane-digital");
    std::fs::create_dir_all(&supplier).unwrap();
    let jpg = supplier.join("signed-plan.JPG");
    std::fs::write(&jpg, scan_jpeg()).unwrap();
    let doc = extract(&jpg);
    assert_eq!(doc.format, tenderscope::document::Format::Jpeg);
    assert_eq!(doc.pages, 1);
    let Some(PageOcr::Read { confidence, words }) = &doc.page_info[0].ocr else {
        panic!("{:?}", doc.page_info)
    };
    assert!(*words > 350 && *confidence > 80.0, "{words} {confidence}");
    assert!(doc.blocks.iter().all(|b| b.ocr.is_some()));
    let score = word_score(&doc.text(), &original_page_text());
    assert!(score.f1 >= F1_FLOOR, "word F1 {:.3}", score.f1);

    // Not a picture of text: read, but no words, and the page says so.
    let png = supplier.join("logo.png");
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend_from_slice(&[0, 0, 0, 40, 0, 0, 0, 40, 8, 0, 0, 0, 0]);
    std::fs::write(&png, &bytes).unwrap();
    let doc = extract(&png);
    assert!(doc.blocks.is_empty());
    assert!(doc.page_info[0].is_unread(), "{:?}", doc.page_info);

    // In a batch: the image's passages are indexed, marked as OCR; the broken PNG is listed
    // with its page unread.
    let index = tmp.path().join("index");
    let (_code, rec, err) = ingest(&tmp.path().join("batch"), &index, None);
    assert_eq!(rec.files, 2, "{err}");
    assert!(passages_in(&index) > 5, "{err}");
    let unread: Vec<_> = rec.not_read.iter().map(|u| u.origin.as_str()).collect();
    assert!(
        unread.iter().all(|o| o.ends_with("logo.png")) && !unread.is_empty(),
        "{:?}",
        rec.not_read
    );
}

/// A batch of one supplier with the scan in it, in a temp dir.
fn scan_batch() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let batch = tmp.path().join("batch");
    std::fs::create_dir_all(batch.join("cobalt-lane-digital")).unwrap();
    std::fs::copy(
        manifest(SCAN),
        batch.join("cobalt-lane-digital/scanned-plan.pdf"),
    )
    .unwrap();
    let index = tmp.path().join("index");
    (tmp, batch, index)
}

fn ingest(batch: &Path, index: &Path, tesseract: Option<&str>) -> (i32, RunRecord, String) {
    let mut cmd = Command::new(bin());
    cmd.arg("ingest")
        .arg(batch)
        .arg("--index")
        .arg(index)
        .arg("--json");
    if let Some(t) = tesseract {
        cmd.env("TENDERSCOPE_TESSERACT", t);
    }
    let out = cmd.output().unwrap();
    let rec: RunRecord = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no run summary ({e}): {}", stderr(&out)));
    (code(&out), rec, stderr(&out))
}

#[test]
fn ocr_text_is_marked_in_the_index_show_and_the_scorecard() {
    require_tesseract();
    let (_tmp, batch, index) = scan_batch();
    let (code_, rec, err) = ingest(&batch, &index, None);
    assert_eq!(code_, 0, "{err}");
    assert_eq!(rec.no_text_pages, 0, "{rec:?}");
    assert!(rec.not_read.is_empty(), "{:?}", rec.not_read);
    assert!(
        rec.warnings.iter().any(|w| w.contains("read by OCR")),
        "{:?}",
        rec.warnings
    );

    // Search finds the OCR'd words; `show` says where the text came from.
    let out = Command::new(bin())
        .args(["search", "refurbished laptops", "--index"])
        .arg(&index)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = find_id(&hits).unwrap_or_else(|| panic!("no hit: {hits}"));
    let out = Command::new(bin())
        .args(["show", &id, "--index"])
        .arg(&index)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let shown = stdout(&out);
    assert!(
        shown.contains("read by OCR from a scanned page, mean word confidence"),
        "{shown}"
    );
    assert!(shown.contains("(OCR "), "{shown}");
    let out = Command::new(bin())
        .args(["show", &id, "--json", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let conf = json["records"][0]["ocr"]
        .as_f64()
        .unwrap_or_else(|| panic!("{json}"));
    assert!((0.0..=100.0).contains(&conf), "{conf}");

    // The scorecard cites OCR'd quotes as such.
    let out = Command::new(bin())
        .args(["report", "--format", "md", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let md = stdout(&out);
    assert!(
        md.contains("scanned-plan.pdf, p. 1 (OCR, confidence"),
        "{md}"
    );
}

/// The first passage id in `search --json` output, wherever it sits.
fn find_id(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(serde_json::Value::String(id)) = m.get("id") {
                if id.contains(':') {
                    return Some(id.clone());
                }
            }
            m.values().find_map(find_id)
        }
        serde_json::Value::Array(a) => a.iter().find_map(find_id),
        _ => None,
    }
}

#[test]
fn without_tesseract_the_page_is_unread_with_the_reason() {
    require_tesseract();
    let missing = "/nonexistent/tesseract";
    let out = Command::new(bin())
        .args(["extract", "--format", "json"])
        .arg(manifest(SCAN))
        .env("TENDERSCOPE_TESSERACT", missing)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Document = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc.blocks.is_empty());
    let reason = match &doc.page_info[0].ocr {
        Some(PageOcr::Unavailable { reason }) => reason.clone(),
        other => panic!("{other:?}"),
    };
    assert!(
        reason.starts_with("OCR unavailable: /nonexistent/tesseract not found"),
        "{reason}"
    );
    assert!(
        stderr(&out).contains("page 1: OCR unavailable"),
        "{}",
        stderr(&out)
    );

    let (_tmp, batch, index) = scan_batch();
    let (code_, rec, _) = ingest(&batch, &index, Some(missing));
    assert_eq!(code_, 1, "a file none of whose pages was read is a loss");
    let u = rec
        .not_read
        .iter()
        .find(|u| u.status == Status::NoTextLayer)
        .unwrap_or_else(|| panic!("{:?}", rec.not_read));
    assert!(
        u.reason.contains("has a text layer (a scan?): nothing of it could be read; OCR unavailable: /nonexistent/tesseract not found"),
        "{}",
        u.reason
    );

    // Once Tesseract is there, the next run reads the page, though the file has not changed.
    let (code_, rec, err) = ingest(&batch, &index, None);
    assert_eq!(code_, 0, "{err}");
    assert!(rec.not_read.is_empty(), "{:?}", rec.not_read);
    assert_eq!((rec.changed, rec.unchanged), (1, 0), "{rec:?}");
    assert!(passages_in(&index) > 5);
}

/// How many passages the index holds.
fn passages_in(index: &Path) -> usize {
    let out = Command::new(bin())
        .args(["search", "the", "--limit", "1000", "--json", "--index"])
        .arg(index)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    count_ids(&v)
}

fn count_ids(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Object(m) => {
            let own =
                matches!(m.get("id"), Some(serde_json::Value::String(id)) if id.contains(':'));
            usize::from(own) + m.values().map(count_ids).sum::<usize>()
        }
        serde_json::Value::Array(a) => a.iter().map(count_ids).sum(),
        _ => 0,
    }
}

/// A one-page PDF whose only content is the image XObject `image`.
fn image_pdf(image: Stream) -> Vec<u8> {
    let mut doc = PdfDocument::with_version("1.7");
    let pages = doc.new_object_id();
    let image = doc.add_object(image);
    let content = doc.add_object(Stream::new(
        dictionary! {},
        b"q 500 0 0 700 50 50 cm /Im1 Do Q".to_vec(),
    ));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        "Contents" => content,
        "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => image } },
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(data).unwrap();
    z.finish().unwrap()
}

/// The OCR outcome of the one page of `pdf`, extracted in this process.
fn ocr_of(pdf: Vec<u8>) -> PageOcr {
    let doc = tenderscope::extract::extract_bytes(&pdf, &Limits::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.unread_pages().count(), 1);
    doc.page_info[0].ocr.clone().expect("OCR was tried")
}

fn reason(o: PageOcr) -> String {
    match o {
        PageOcr::Failed { reason } | PageOcr::Unavailable { reason } => reason,
        other => panic!("{other:?}"),
    }
}

#[test]
fn hostile_images_are_refused_with_a_reason() {
    require_tesseract();
    // Huge declared dimensions over a few bytes of data: refused before decoding.
    let huge = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 200_000,
        "Height" => 200_000, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        "Filter" => "FlateDecode" },
        zlib(&[0; 64]),
    );
    let r = reason(ocr_of(image_pdf(huge)));
    assert!(r.contains("max_image_pixels"), "{r}");

    // A Flate stream cut short: fewer rows than declared.
    let rows = zlib(&vec![200u8; 800 * 600]);
    let cut = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 800,
        "Height" => 600, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        "Filter" => "FlateDecode" },
        rows[..rows.len() / 3].to_vec(),
    );
    let r = reason(ocr_of(image_pdf(cut)));
    assert!(r.contains("truncated"), "{r}");

    // A JPEG cut short passes through to Tesseract, which reads nothing or fails: the page
    // stays unread with the reason.
    let scan = std::fs::read(manifest(SCAN)).unwrap();
    let start = scan.windows(2).position(|w| w == [0xFF, 0xD8]).unwrap();
    let jpeg = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 1241,
        "Height" => 1754, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        "Filter" => "DCTDecode" },
        scan[start..start + 600].to_vec(),
    );
    let r = reason(ocr_of(image_pdf(jpeg)));
    assert!(r.starts_with("OCR"), "{r}");

    // A colour space that is not converted, and a JBIG2 image.
    let lab = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 100,
        "Height" => 100, "ColorSpace" => vec!["Lab".into(), dictionary! {}.into()],
        "BitsPerComponent" => 8 },
        vec![0; 30_000],
    );
    let r = reason(ocr_of(image_pdf(lab)));
    assert!(r.contains("colour space Lab is not converted"), "{r}");
    let jbig2 = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 100,
        "Height" => 100, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1,
        "Filter" => "JBIG2Decode" },
        vec![0; 100],
    );
    // JBIG2 data that are no JBIG2 stream: jbig2dec fails or gives a blank page, and the page
    // stays unread with the reason.
    require_jbig2dec();
    let r = reason(ocr_of(image_pdf(jbig2)));
    assert!(r.starts_with("OCR"), "{r}");
}

#[test]
fn ocr_past_its_time_or_output_limit_is_stopped_and_the_page_stays_unread() {
    require_tesseract();
    let scan = manifest(SCAN);
    let quick = Limits {
        ocr_page_budget: std::time::Duration::from_millis(50),
        ..Limits::default()
    };
    let doc = extract_file(&scan, &quick).unwrap_or_else(|e| panic!("{e}"));
    assert!(doc.blocks.is_empty());
    let r = reason(doc.page_info[0].ocr.clone().expect("OCR was tried"));
    assert!(r.starts_with("OCR killed after"), "{r}");
    let terse = Limits {
        max_ocr_output_bytes: 100,
        ..Limits::default()
    };
    let doc = extract_file(&scan, &terse).unwrap_or_else(|e| panic!("{e}"));
    assert!(doc.blocks.is_empty());
    let r = reason(doc.page_info[0].ocr.clone().expect("OCR was tried"));
    assert!(
        r.starts_with("OCR output passed 100 bytes (limit max_ocr_output_bytes)"),
        "{r}"
    );
}
