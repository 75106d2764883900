//! The DOCX reader, case by case on the feature fixtures in `fixtures/features/docx/` (written
//! by `examples/make_docx_fixtures.rs`), on damaged and hostile packages, and over every DOCX of
//! `../shared/corpus` with the accuracy floors it reaches against docx2txt and pandoc.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tenderscope::extract::{extract_bytes, extract_file};
use tenderscope::textcmp::{quantile, word_score};
use tenderscope::{Block, BlockKind, Document, Error, Limits};

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/features/docx")
        .join(format!("{name}.docx"))
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap()
}

fn extract_with(name: &str, limits: &Limits) -> Result<Document, Error> {
    extract_bytes(&fixture_bytes(name), limits)
}

fn extract(name: &str) -> Document {
    match extract_with(name, &Limits::default()) {
        Ok(doc) => doc,
        Err(e) => panic!("{name}: {e}"),
    }
}

/// (kind, text) of every block, for compact assertions.
fn kinds(doc: &Document) -> Vec<(BlockKind, &str)> {
    doc.blocks
        .iter()
        .map(|b| (b.kind.clone(), b.text.as_str()))
        .collect()
}

fn block<'a>(doc: &'a Document, text: &str) -> &'a Block {
    doc.blocks
        .iter()
        .find(|b| b.text == text)
        .unwrap_or_else(|| panic!("no block {text:?} in {:#?}", kinds(doc)))
}

fn h(level: u8) -> BlockKind {
    BlockKind::Heading { level }
}

fn cell(table: u32, row: u32, col: u32) -> BlockKind {
    BlockKind::TableCell { table, row, col }
}

fn expect_err(name: &str, limits: &Limits) -> Error {
    match extract_with(name, limits) {
        Ok(doc) => panic!("{name}: expected an error, got {:#?}", kinds(&doc)),
        Err(e) => {
            assert!(!matches!(e, Error::Panic(_)), "{name}: panicked: {e}");
            e
        }
    }
}

#[test]
fn headings_from_styles_based_on_and_outline_levels() {
    let doc = extract("headings");
    use BlockKind::Paragraph as P;
    assert_eq!(
        kinds(&doc),
        vec![
            (h(1), "Social Value Plan"),
            (h(1), "Local Employment"),
            (P, "We will recruit from the borough."),
            (h(2), "Apprenticeships"),
            (P, "Four apprentices a year."),
            (h(2), "Care Leavers"),
            (P, "Two places ring-fenced for care leavers."),
            (h(3), "Direct Outline Heading"),
            (h(1), "Environment"),
            (P, "Electric fleet by 2026."),
        ]
    );
    assert_eq!(
        block(&doc, "Four apprentices a year.").section,
        ["Local Employment", "Apprenticeships"]
    );
    assert_eq!(
        block(&doc, "Direct Outline Heading").section,
        ["Local Employment", "Care Leavers"]
    );
    assert_eq!(
        block(&doc, "Electric fleet by 2026.").section,
        ["Environment"]
    );
    assert!(block(&doc, "Social Value Plan").section.is_empty());
    assert!(doc.blocks.iter().all(|b| b.page == 1));
    assert_eq!(doc.pages, 1);
}

#[test]
fn metadata_from_core_and_app_properties() {
    let doc = extract("headings");
    let m = &doc.metadata;
    assert_eq!(m.title.as_deref(), Some("Feature fixture"));
    assert_eq!(m.author.as_deref(), Some("Northgate Facilities Ltd"));
    assert_eq!(m.created.as_deref(), Some("2024-03-01T09:00:00Z"));
    assert_eq!(m.modified.as_deref(), Some("2024-03-02T10:30:00Z"));
    assert_eq!(m.producer.as_deref(), Some("tenderscope fixture writer"));
    assert_eq!(doc.format, tenderscope::Format::Docx);
    assert_eq!(doc.sha256.len(), 64);
}

#[test]
fn lists_from_numbering_and_list_styles() {
    let doc = extract("lists");
    let li = |level| BlockKind::ListItem { level };
    use BlockKind::Paragraph as P;
    assert_eq!(
        kinds(&doc),
        vec![
            (P, "Our commitments:"),
            (li(0), "Pay the real living wage"),
            (li(1), "including subcontractors"),
            // The fixture's level has no `w:start`: Word counts from 0 then.
            (li(0), "0. Numbered first"),
            (li(0), "1. Numbered second"),
            (li(0), "Bullet by style"),
            (P, "Not a list (numId 0)"),
            (P, "Not a list (undefined numId)"),
        ]
    );
}

#[test]
fn table_cells_with_rows_grid_columns_and_spans() {
    let doc = extract("table");
    use BlockKind::Paragraph as P;
    assert_eq!(
        kinds(&doc),
        vec![
            (P, "Before the table."),
            (cell(0, 0, 0), "Measure"),
            (cell(0, 0, 1), "Target"),
            (cell(0, 0, 2), "Year"),
            (cell(0, 1, 0), "Apprentices (spans two columns)"),
            (cell(0, 1, 2), "2025"),
            (cell(0, 2, 0), "Local spend"),
            (
                cell(0, 2, 1),
                "First paragraph of a cell\nsecond paragraph of a cell"
            ),
            (P, "After the table."),
        ]
    );
}

#[test]
fn nested_tables_in_reading_order_and_bounded() {
    let doc = extract("nested_table");
    let got = kinds(&doc);
    assert_eq!(
        got.get(..6).unwrap(),
        [
            (cell(0, 0, 0), "Outer before"),
            (cell(1, 0, 0), "Inner A"),
            (cell(1, 0, 1), "Inner B"),
            (cell(0, 0, 0), "Outer after"),
            (cell(0, 0, 1), "Outer right"),
            (BlockKind::Paragraph, "Between tables"),
        ]
    );
    // The innermost of 40 nested tables (tables 2..=41).
    assert_eq!(got.last(), Some(&(cell(41, 0, 0), "Deepest cell")));
    // The same file with a depth limit below its nesting fails on that limit.
    let limits = Limits {
        max_xml_depth: 64,
        ..Limits::default()
    };
    let err = expect_err("nested_table", &limits);
    assert!(err.to_string().contains("max_xml_depth"), "{err}");
}

#[test]
fn hyperlinks_keep_their_text() {
    let doc = extract("hyperlink");
    assert_eq!(
        doc.text(),
        "See our policy page and Annex A.\nsimple field link\n\x0c"
    );
}

#[test]
fn fields_give_results_not_codes() {
    let doc = extract("field");
    let text = doc.text();
    assert_eq!(
        text,
        "Page 7 of the plan.\nNorthern region result\n1 March 2024\n\x0c"
    );
    for code in ["PAGE ", "MERGEFIELD", "CODEONLY", "IF ", "DATE"] {
        assert!(!text.contains(code), "field code {code:?} leaked: {text}");
    }
}

#[test]
fn content_controls_give_content_not_properties() {
    let doc = extract("content_control");
    assert_eq!(
        doc.text(),
        "Northgate Facilities Ltd\nContract value: £1.2m\n\x0c"
    );
}

#[test]
fn text_boxes_read_once_after_their_anchor() {
    let doc = extract("textbox");
    assert_eq!(
        kinds(&doc),
        vec![
            (BlockKind::Paragraph, "Anchor paragraph."),
            (BlockKind::Paragraph, "Pull quote: 40 local jobs"),
            (BlockKind::Paragraph, "Legacy VML box"),
        ]
    );
    assert!(!doc.text().contains("not text"));
}

#[test]
fn headers_and_footers_of_every_section_once_each() {
    let doc = extract("header_footer");
    use BlockKind::{Footer as F, Header as H, Paragraph as P};
    assert_eq!(
        kinds(&doc),
        vec![
            (H, "First page header"),
            (H, "Default header section one"),
            (P, "Opening paragraph."),
            (P, "Section one body."),
            (F, "Shared footer page 1"),
            (H, "Header section two"),
            (P, "Section two body."),
        ]
    );
    assert!(!doc.text().contains("Unreferenced"));
}

#[test]
fn footnotes_and_endnotes_after_the_body_without_separators() {
    let doc = extract("notes");
    assert_eq!(
        kinds(&doc),
        vec![
            (BlockKind::Paragraph, "We employ 120 local people. Audited."),
            (
                BlockKind::Footnote,
                "Source: ONS 2023 local labour market data."
            ),
            (BlockKind::Endnote, "Endnote: figures audited annually."),
        ]
    );
}

#[test]
fn comments_kept_apart_after_their_anchor() {
    let doc = extract("comments");
    use BlockKind::{Comment as C, Paragraph as P};
    assert_eq!(
        kinds(&doc),
        vec![
            (P, "We will plant 500 trees."),
            (C, "Is this figure verified?"),
            (P, "Second paragraph."),
            (C, "Unanchored reviewer note."),
        ]
    );
    assert_eq!(
        doc.text(),
        "We will plant 500 trees.\nSecond paragraph.\n\x0c"
    );
}

#[test]
fn tracked_changes_as_printed_and_flagged() {
    let doc = extract("tracked_changes");
    assert_eq!(
        doc.text(),
        "We will hire twelve apprentices.\nMoved sentence.\nFormatting changed.\n\x0c"
    );
    assert!(doc.has_revisions);
    assert!(!extract("table").has_revisions);
}

#[test]
fn tabs_breaks_hyphens_and_symbols() {
    let doc = extract("special_chars");
    let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Name\tRole",
            "Line one\nline two\nline three",
            "e-mail and cooperation",
            "• bullet, ✓ tick, α alpha, unknown dropped",
            "• typed symbol bullet",
            "Page\nbreak",
        ]
    );
    assert!(!doc
        .text()
        .chars()
        .any(|c| ('\u{E000}'..='\u{F8FF}').contains(&c)));
}

#[test]
fn entities_and_character_references() {
    let doc = extract("entities");
    let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Smith & Sons <Ltd> \"quoted\" 'apos'",
            "café — naïve €5",
            "bad \u{FFFD} ref and \u{FFFD} zero",
            "cdata <kept> & raw",
        ]
    );
    let warnings: Vec<&str> = doc.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("&#xD800;"), "{warnings:?}");
    assert!(warnings[1].contains("&#0;"), "{warnings:?}");
}

#[test]
fn office_math_text_inline() {
    let doc = extract("math");
    assert_eq!(doc.text(), "Area is A=πr2 square metres.\n\x0c");
}

#[test]
fn strict_ooxml_and_parts_found_through_relationships() {
    let doc = extract("strict");
    assert_eq!(
        kinds(&doc),
        vec![
            (h(1), "Strict heading"),
            (BlockKind::Paragraph, "Strict body text."),
        ]
    );
}

#[test]
fn zip_bomb_stopped_by_entry_and_total_limits() {
    // 64 MiB of inflated XML in a 66 KB file.
    let entry = Limits {
        max_entry_bytes: 16 << 20,
        ..Limits::default()
    };
    let err = expect_err("zip_bomb", &entry);
    assert!(
        matches!(
            err,
            Error::Limit {
                limit: "max_entry_bytes",
                ..
            }
        ),
        "{err}"
    );
    let total = Limits {
        max_total_inflated_bytes: 16 << 20,
        ..Limits::default()
    };
    let err = expect_err("zip_bomb", &total);
    assert!(
        matches!(
            err,
            Error::Limit {
                limit: "max_total_inflated_bytes",
                ..
            }
        ),
        "{err}"
    );
    // Within the default limits it is just a large file.
    assert_eq!(extract("zip_bomb").text(), "Bomb carrier.\n\x0c");
}

#[test]
fn entry_lying_about_its_size_is_not_trusted() {
    // Declares 200 bytes, inflates to 8 MiB: refused, whether by the inflated-bytes count
    // (a limit below the real size) or by the zip reader's own size check.
    for max_entry_bytes in [1 << 20, 256 << 20] {
        let limits = Limits {
            max_entry_bytes,
            ..Limits::default()
        };
        let err = expect_err("lying_size", &limits);
        let msg = err.to_string();
        assert!(msg.contains("word/document.xml"), "{msg}");
        assert!(
            msg.contains("max_entry_bytes") || msg.contains("declared"),
            "{msg}"
        );
    }
}

#[test]
fn deep_nesting_fails_on_the_depth_limit() {
    let err = expect_err("deep_nesting", &Limits::default());
    assert!(
        matches!(
            err,
            Error::Limit {
                limit: "max_xml_depth",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn truncated_xml_keeps_the_text_before_the_cut_and_warns() {
    let doc = extract("truncated_xml");
    assert_eq!(
        doc.text(),
        "First paragraph survives.\nSecond paragraph is cut off here\n\x0c"
    );
    assert!(doc
        .warnings
        .iter()
        .any(|w| w.message.contains("word/document.xml") && w.message.contains("truncated")));
}

#[test]
fn corrupt_deflate_data_is_a_clear_error() {
    let err = expect_err("corrupt_deflate", &Limits::default());
    let msg = err.to_string();
    assert!(
        msg.contains("word/document.xml") && msg.contains("deflate"),
        "{msg}"
    );
}

#[test]
fn zip_that_is_not_a_word_document() {
    // The DOCX reader says what the package is ...
    let limits = Limits::default();
    let deadline = tenderscope::limits::Deadline::after(limits.time_budget);
    let err =
        tenderscope::extract::docx::extract(&fixture_bytes("wrong_content"), &limits, &deadline)
            .unwrap_err();
    assert!(matches!(err, Error::UnknownFormat(_)), "{err}");
    assert!(err.to_string().contains("spreadsheet"), "{err}");
    // ... and sniffing hands a spreadsheet to the XLSX reader, which finds this one incomplete.
    let err = expect_err("wrong_content", &limits);
    assert!(err.to_string().contains("malformed XLSX"), "{err}");
}

#[test]
fn text_and_time_limits() {
    let chars = Limits {
        max_text_chars: 20,
        ..Limits::default()
    };
    let err = expect_err("headings", &chars);
    assert!(
        matches!(
            err,
            Error::Limit {
                limit: "max_text_chars",
                ..
            }
        ),
        "{err}"
    );
    let time = Limits {
        time_budget: Duration::ZERO,
        ..Limits::default()
    };
    let err = expect_err("headings", &time);
    assert!(matches!(err, Error::Timeout { .. }), "{err}");
}

/// A deterministic xorshift generator, so damage is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn truncated_and_corrupted_packages_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for name in ["headings", "table", "header_footer", "notes", "textbox"] {
        let bytes = fixture_bytes(name);
        // Every cut of the file: the zip directory is at the end, so most cuts are unreadable.
        for cut in (0..bytes.len()).step_by(7) {
            if let Err(e) = extract_bytes(&bytes[..cut], &Limits::default()) {
                assert!(!matches!(e, Error::Panic(_)), "{name} cut at {cut}: {e}");
            }
        }
        // Random byte damage.
        for _ in 0..300 {
            let mut damaged = bytes.clone();
            for _ in 0..=(rng.next() % 8) {
                let at = (rng.next() % damaged.len() as u64) as usize;
                damaged[at] = rng.next() as u8;
            }
            if let Err(e) = extract_bytes(&damaged, &Limits::default()) {
                assert!(!matches!(e, Error::Panic(_)), "{name} damaged: {e}");
            }
        }
    }
}

/// Tokens that pandoc's plain writer draws rather than reads from the document: table rules
/// and cell borders (`+---+`, `|`, `===`), and `[]` for an image.
fn pandoc_layout_token(w: &str) -> bool {
    !w.is_empty()
        && w.chars()
            .all(|c| matches!(c, '|' | '+' | '-' | '=' | ':' | '[' | ']'))
}

/// A list label as the reader prints it: "3.", "a)", "(iv)", "1.2.3", "IV.", "2nd" or a number.
fn is_label(token: &str) -> bool {
    let core = token.trim_start_matches('(').trim_end_matches(['.', ')']);
    let core = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| {
            core.strip_suffix(s)
                .filter(|n| n.chars().all(|c| c.is_ascii_digit()))
        })
        .unwrap_or(core);
    !core.is_empty()
        && token.len() <= 16
        && (core
            .split('.')
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            || (core.len() <= 2 && core.chars().all(|c| c.is_ascii_alphabetic()) && core != token)
            || (core.chars().all(|c| "ivxlcIVXLC".contains(c)) && core != token))
}

#[test]
fn corpus_docx_extract_without_panics_and_match_the_references() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    // No silent pass without the corpus: CI has it beside the checkout.
    let dir = std::fs::read_dir(corpus.join("docx")).unwrap_or_else(|e| {
        panic!(
            "{}: {e}: the corpus test needs ../shared/corpus beside the checkout",
            corpus.display()
        )
    });
    let mut files: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    assert!(files.len() > 100, "corpus DOCX missing: {}", files.len());
    let limits = Limits::default();
    let (mut docx2txt, mut pandoc, mut pandoc_words) = (Vec::new(), Vec::new(), Vec::new());
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let reference = |tool: &str| {
            std::fs::read_to_string(
                corpus
                    .join("reference")
                    .join(tool)
                    .join(format!("{name}.txt")),
            )
            .ok()
            .filter(|t| t.split_whitespace().next().is_some())
        };
        // docx2txt leaves list labels out: it is compared with the text of ours without them.
        let mut unlabelled = String::new();
        let text = match extract_file(path, &limits) {
            Ok(doc) => {
                for b in doc.blocks.iter().filter(|b| b.kind != BlockKind::Comment) {
                    // A numbered paragraph in a cell is one line of the cell's text.
                    let numbered = matches!(
                        b.kind,
                        BlockKind::ListItem { .. }
                            | BlockKind::Heading { .. }
                            | BlockKind::TableCell { .. }
                    );
                    for line in b.text.lines() {
                        // The label, with the words a level's number text puts before the
                        // number ("Part 3.", "override 10.").
                        let words: Vec<&str> = line.splitn(4, ' ').collect();
                        let t = match words.iter().take(3).position(|w| is_label(w)) {
                            Some(k) if numbered && k + 1 < words.len() => words[k + 1..].join(" "),
                            _ => line.to_string(),
                        };
                        let t = t.as_str();
                        unlabelled.push_str(t);
                        unlabelled.push('\n');
                    }
                }
                doc.text()
            }
            Err(e) => {
                let msg = e.to_string();
                assert!(
                    !matches!(e, Error::InFile { ref source, .. } if matches!(**source, Error::Panic(_))),
                    "{msg}"
                );
                assert!(!msg.contains('\n'), "multi-line error: {msg}");
                failures.push(name.clone());
                String::new()
            }
        };
        if let Some(r) = reference("docx2txt") {
            docx2txt.push(word_score(&unlabelled, &r).f1);
        }
        if let Some(r) = reference("pandoc") {
            pandoc.push(word_score(&text, &r).f1);
            let cleaned: Vec<&str> = r
                .split_whitespace()
                .filter(|w| !pandoc_layout_token(w))
                .collect();
            let ours: Vec<&str> = text
                .split_whitespace()
                .filter(|w| !pandoc_layout_token(w))
                .collect();
            pandoc_words.push(word_score(&ours.join(" "), &cleaned.join(" ")).f1);
        }
    }
    // The only failures: two password-protected files (OLE containers) and the truncated zip.
    failures.sort();
    assert_eq!(failures.len(), 3, "{failures:?}");
    assert!(
        failures
            .iter()
            .all(|f| f.contains("protected") || f.contains("truncated")),
        "{failures:?}"
    );

    let stats = |v: &[f64]| (quantile(v, 0.5).unwrap(), quantile(v, 0.1).unwrap());
    let (d_med, d_p10) = stats(&docx2txt);
    let (p_med, p_p10) = stats(&pandoc);
    let (w_med, w_p10) = stats(&pandoc_words);
    eprintln!(
        "docx2txt (our list labels left out): median {d_med:.4} p10 {d_p10:.4} ({} files)",
        docx2txt.len()
    );
    eprintln!(
        "pandoc: median {p_med:.4} p10 {p_p10:.4} ({} files)",
        pandoc.len()
    );
    eprintln!("pandoc without its table rules and image marks: median {w_med:.4} p10 {w_p10:.4}");
    // Floors at what the reader reaches (see the report in the branch history); a regression
    // below them fails.
    // docx2txt's floor was 0.90 before list labels; two of the files at its 10th percentile
    // now are lists whose labels Word prints with text around the number, which the label
    // stripper above cannot tell from words ("第1章", "1.2.1someText": 0.800 and 0.885).
    assert!(d_med >= 0.99 && d_p10 >= 0.88, "docx2txt {d_med} {d_p10}");
    assert!(p_med >= 0.90 && p_p10 >= 0.19, "pandoc {p_med} {p_p10}");
    assert!(
        w_med >= 0.99 && w_p10 >= 0.70,
        "pandoc words {w_med} {w_p10}"
    );
}

/// Rebuild a package with one part replaced (stored, uncompressed).
fn replace_part(package: &[u8], part: &str, data: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(package)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(if name == part { data } else { &bytes })
            .unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn read_part(package: &[u8], part: &str) -> Vec<u8> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(package)).unwrap();
    let mut bytes = Vec::new();
    zip.by_name(part).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

#[test]
fn mangled_document_xml_never_panics_or_hangs() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let snippets: [&[u8]; 10] = [
        b"<",
        b">",
        b"&",
        b"&#x;",
        b"<w:p>",
        b"</w:p>",
        b"<w:tbl><w:tr><w:tc>",
        b"<mc:AlternateContent><mc:Choice>",
        b"<w:fldChar w:fldCharType=\"begin\"/>",
        b"\xFF\xFE",
    ];
    // More rounds for a longer hunt: DOCX_FUZZ_ROUNDS=20000 cargo test --test docx_extract mangled
    let rounds: usize = std::env::var("DOCX_FUZZ_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    for name in [
        "header_footer",
        "notes",
        "textbox",
        "field",
        "nested_table",
        "comments",
    ] {
        let package = fixture_bytes(name);
        let xml = read_part(&package, "word/document.xml");
        for _ in 0..rounds {
            let mut m = xml.clone();
            for _ in 0..=(rng.next() % 4) {
                let at = (rng.next() % m.len() as u64) as usize;
                match rng.next() % 3 {
                    0 => {
                        let s = snippets[(rng.next() % snippets.len() as u64) as usize];
                        m.splice(at..at, s.iter().copied());
                    }
                    1 => {
                        let end = (at + (rng.next() % 40) as usize).min(m.len());
                        m.drain(at..end);
                    }
                    _ => {
                        let end = (at + (rng.next() % 200) as usize).min(m.len());
                        let chunk: Vec<u8> = m[at..end].to_vec();
                        m.splice(at..at, chunk);
                    }
                }
            }
            let damaged = replace_part(&package, "word/document.xml", &m);
            match extract_bytes(&damaged, &Limits::default()) {
                Ok(doc) => drop(doc.text()),
                Err(e) => assert!(!matches!(e, Error::Panic(_)), "{name}: {e}"),
            }
        }
    }
}
