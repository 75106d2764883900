//! Every hostile case: a name, the file name it travels under (the extension may lie), its
//! bytes, and what must come of it.

use super::{docx, formats, pdf};

/// What reading a case must give.
#[derive(Clone, Debug)]
pub enum Expect {
    /// One error whose reason names one of these words (lower case).
    Fail(&'static [&'static str]),
    /// Text that holds `marker`, with at least one warning if `warned` (else any warnings).
    Text { marker: &'static str, warned: bool },
    /// A damaged file: an error naming one of these words, or the text it still holds with a
    /// warning that says it is damaged.
    Damaged(&'static [&'static str]),
    /// A file that lost so little (its last byte) that it may read whole: an error naming one
    /// of these words, or text with or without a warning.
    DamagedOrWhole(&'static [&'static str]),
}

/// Words a format or damage error names.
pub const FORMAT_WORDS: &[&str] = &[
    "malformed",
    "not a format tenderscope reads",
    "zip",
    "truncated",
];

#[derive(Clone, Debug)]
pub struct Case {
    pub name: String,
    /// The file name in the batch (unique).
    pub file: String,
    /// What the content is (`pdf`, `docx`, `ole`, `text`, `bytes`), whatever the extension.
    pub format: &'static str,
    pub bytes: Vec<u8>,
    /// Written as a sparse file of this length (zeros after `bytes`), if set.
    pub sparse_len: Option<u64>,
    /// A smaller `max_text_chars` for the in-process read, where reaching the default limit
    /// would take gigabytes of this test process (the binary's worker reads it with the
    /// defaults, under its memory limit).
    pub max_text_chars: Option<usize>,
    pub expect: Expect,
}

fn case(name: &str, ext: &str, format: &'static str, bytes: Vec<u8>, expect: Expect) -> Case {
    Case {
        name: name.to_string(),
        file: format!("{name}.{ext}"),
        format,
        bytes,
        sparse_len: None,
        max_text_chars: None,
        expect,
    }
}

const LIMIT_STREAM: &[&str] = &["max_stream_bytes"];
const PASSWORD: &[&str] = &["password"];
/// An entry that inflates past the size its headers declare.
const DECLARED: &[&str] = &["max_entry_bytes", "declared uncompressed size"];

fn text(marker: &'static str, warned: bool) -> Expect {
    Expect::Text { marker, warned }
}

/// Where to cut a file of `len` bytes: the first bytes, quarters, and the last bytes.
fn cut_points(len: usize) -> Vec<usize> {
    let mut cuts = vec![1, 5, 9, 64, len / 4, len / 2, 3 * len / 4];
    cuts.extend([len.saturating_sub(100), len.saturating_sub(20), len - 1]);
    cuts.retain(|&c| c < len);
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

fn truncations(label: &str, ext: &str, format: &'static str, whole: &[u8]) -> Vec<Case> {
    cut_points(whole.len())
        .into_iter()
        .map(|cut| {
            let expect = if cut + 1 == whole.len() {
                Expect::DamagedOrWhole(FORMAT_WORDS)
            } else {
                Expect::Damaged(FORMAT_WORDS)
            };
            case(
                &format!("truncated-{label}-at-{cut}"),
                ext,
                format,
                whole[..cut].to_vec(),
                expect,
            )
        })
        .collect()
}

/// Deterministic pseudo-random bytes (xorshift).
pub fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect()
}

/// The demo fixtures that the truncation cases cut.
pub const DEMO_PDF: &str = "fixtures/demo/greenshoots-cic/method-statement.pdf";
pub const DEMO_DOCX: &str = "fixtures/demo/greenshoots-cic/social-value-plan.docx";

/// Every case, in the order of the table.
#[rustfmt::skip]
pub fn all() -> Vec<Case> {
    let m = pdf::MARKER;
    let d = docx::MARKER;
    let mut cases = vec![
        // Decompression bombs.
        case("pdf-flate-bomb-4gib", "pdf", "pdf", pdf::flate_bomb(), Expect::Fail(LIMIT_STREAM)),
        case("pdf-flate-flate-bomb", "pdf", "pdf", pdf::flate_flate_bomb(), Expect::Fail(LIMIT_STREAM)),
        case("pdf-hex-flate-bomb", "pdf", "pdf", pdf::hex_flate_bomb(), Expect::Fail(LIMIT_STREAM)),
        case("pdf-run-length-chain", "pdf", "pdf", pdf::run_length_chain(), Expect::Fail(LIMIT_STREAM)),
        case("pdf-form-xobject-bomb", "pdf", "pdf", pdf::form_bomb(), text(m, true)),
        case("pdf-tounicode-bomb", "pdf", "pdf", pdf::tounicode_bomb(), text(m, true)),
        case("pdf-object-stream-bomb", "pdf", "pdf", pdf::object_stream_bomb(), Expect::Fail(LIMIT_STREAM)),
        case("docx-bomb-declared", "docx", "docx", docx::bomb_declared(), Expect::Fail(&["max_entry_bytes"])),
        case("docx-bomb-lying", "docx", "docx", docx::bomb_lying(), Expect::Fail(DECLARED)),
        // Zip entries that lie about their size.
        case("docx-size-smaller-than-data", "docx", "docx", docx::size_smaller_than_data(), Expect::Fail(DECLARED)),
        case("docx-size-larger-than-data", "docx", "docx", docx::size_larger_than_data(), text(d, false)),
        case("docx-local-central-disagree", "docx", "docx", docx::local_central_disagree(), text(d, false)),
        case("docx-compressed-size-short", "docx", "docx", docx::compressed_size_short(), Expect::Damaged(FORMAT_WORDS)),
        case("docx-stored-size-short", "docx", "docx", docx::stored_size_short(), Expect::Damaged(FORMAT_WORDS)),
        case("docx-stored-size-huge", "docx", "docx", docx::stored_size_huge(), Expect::Fail(&["max_entry_bytes", "zip"])),
        // Deep nesting.
        case("pdf-nested-arrays-100k", "pdf", "pdf", pdf::nested_arrays(100_000), text(m, false)),
        case("pdf-nested-dicts-100k", "pdf", "pdf", pdf::nested_dicts(100_000), text(m, false)),
        case("pdf-nested-arrays-90", "pdf", "pdf", pdf::nested_arrays(90), text(m, false)),
        case("pdf-nested-dicts-90", "pdf", "pdf", pdf::nested_dicts(90), text(m, false)),
        case("pdf-nested-arrays-in-page-100k", "pdf", "pdf", pdf::nested_in_page(100_000), text(m, true)),
        case("pdf-nested-content-arrays-1m", "pdf", "pdf", pdf::nested_content_arrays(1_000_000), text(m, false)),
        case("docx-nested-tables-10k", "docx", "docx", docx::nested_tables(10_000), Expect::Fail(&["max_xml_depth"])),
        case("docx-nested-tables-60", "docx", "docx", docx::nested_tables(60), text(d, false)),
        case("docx-nested-sdt-100k", "docx", "docx", docx::nested_sdt(100_000), Expect::Fail(&["max_xml_depth"])),
        case("docx-nested-sdt-120", "docx", "docx", docx::nested_sdt(120), text(d, false)),
        case("docx-nested-elements-1m", "docx", "docx", docx::nested_elements(1_000_000), Expect::Fail(&["max_xml_depth"])),
        // Cycles.
        case("pdf-cyclic-page-tree", "pdf", "pdf", pdf::cyclic_page_tree(), text(m, false)),
        case("pdf-page-tree-own-kid", "pdf", "pdf", pdf::self_kid_page_tree(), text(m, true)),
        case("pdf-form-draws-itself", "pdf", "pdf", pdf::self_form(), text(m, true)),
        case("pdf-forms-draw-each-other", "pdf", "pdf", pdf::mutual_forms(), text(m, true)),
        case("pdf-form-fan-out-10e12", "pdf", "pdf", pdf::form_fan_out(), Expect::Fail(&["max_ops_per_page"])),
        // Empty, random, wrong extension.
        case("empty-pdf", "pdf", "bytes", Vec::new(), Expect::Fail(&["empty"])),
        case("empty-docx", "docx", "bytes", Vec::new(), Expect::Fail(&["empty"])),
        case("random-64k-pdf", "pdf", "bytes", random_bytes(64 << 10, 1), Expect::Fail(&["not a format tenderscope reads"])),
        case("random-64k-docx", "docx", "bytes", random_bytes(64 << 10, 2), Expect::Fail(&["not a format tenderscope reads"])),
        case("random-after-pdf-header", "pdf", "pdf", [b"%PDF-1.7\n".to_vec(), random_bytes(64 << 10, 3)].concat(), Expect::Fail(&["malformed pdf"])),
        case("random-after-zip-signature", "docx", "docx", [b"PK\x03\x04".to_vec(), random_bytes(64 << 10, 4)].concat(), Expect::Fail(&["malformed docx"])),
        case("docx-named-pdf", "pdf", "docx", docx::good(), text(d, false)),
        case("pdf-named-docx", "docx", "pdf", pdf::good(2), text(m, false)),
        Case { name: "name-with-newline".into(), file: "name-with\nnewline.pdf".into(), format: "pdf", bytes: pdf::flate_bomb(), sparse_len: None, max_text_chars: None, expect: Expect::Fail(LIMIT_STREAM) },
        Case { name: "pdf-300mb-sparse".into(), file: "pdf-300mb-sparse.pdf".into(), format: "pdf", bytes: pdf::good(1), sparse_len: Some(300 << 20), max_text_chars: None, expect: Expect::Fail(&["max_file_bytes"]) },
        Case { name: "pdf-field-value-flood".into(), file: "pdf-field-value-flood.pdf".into(), format: "pdf", bytes: pdf::field_value_flood(100, 1 << 20), sparse_len: None, max_text_chars: Some(4 << 20), expect: Expect::Fail(&["max_text_chars"]) },
        // Plain text under a document's name is read as text, with a warning that says so.
        case("text-named-pdf", "pdf", "text", b"Dear council, please find our response attached.\n".repeat(50), text("Dear council", true)),
        case("binary-named-pdf", "pdf", "binary", b"\x00\x01\x02 not text".repeat(50), Expect::Fail(&["not a format tenderscope reads"])),
        // Encryption.
        case("pdf-rc4-user-password", "pdf", "pdf", pdf::encrypted("secret", false), Expect::Fail(PASSWORD)),
        case("pdf-aes256-user-password", "pdf", "pdf", pdf::encrypted("secret", true), Expect::Fail(PASSWORD)),
        case("pdf-rc4-empty-password", "pdf", "pdf", pdf::encrypted("", false), text(m, false)),
        case("pdf-aes256-empty-password", "pdf", "pdf", pdf::encrypted("", true), text(m, false)),
        case("docx-password-ole", "docx", "ole", docx::password_protected(), Expect::Fail(PASSWORD)),
        case("doc-named-docx", "docx", "ole", docx::legacy_doc(), Expect::Fail(&["malformed doc"])),
        // Floods and long lines.
        case("pdf-tj-2m", "pdf", "pdf", pdf::tj_flood(2_000_000), Expect::Fail(&["max_ops_per_page"])),
        case("pdf-tj-1.99m", "pdf", "pdf", pdf::tj_flood(1_990_000), text(m, false)),
        case("pdf-long-string-50mib", "pdf", "pdf", pdf::long_string(50 << 20), text(m, false)),
        case("docx-long-run-50mib", "docx", "docx", docx::long_run(50 << 20), text(d, false)),
        case("docx-4m-empty-paragraphs", "docx", "docx", docx::many_paragraphs(4_000_000, ""), text(d, false)),
        case("docx-100k-commitments", "docx", "docx", docx::many_paragraphs(100_000, "We will recruit 5 apprentices by 2026."), text(d, false)),
        case("docx-runs-2m", "docx", "docx", docx::many_runs(2_000_000), text(d, false)),
        // Bad text.
        case("docx-invalid-utf8", "docx", "docx", docx::invalid_utf8(), text(d, true)),
        case("docx-invalid-utf16", "docx", "docx", docx::invalid_utf16(), text(d, true)),
        case("docx-bad-char-refs", "docx", "docx", docx::bad_char_refs(), text(d, false)),
        case("docx-billion-laughs", "docx", "docx", docx::billion_laughs(), text(d, false)),
        case("pdf-bad-strings", "pdf", "pdf", pdf::bad_strings(), text(m, false)),
        // More of the same kinds: numbers, sizes and counts at and past the limits.
        case("pdf-huge-numbers", "pdf", "pdf", pdf::huge_numbers(), text(m, false)),
        case("pdf-25k-pages", "pdf", "pdf", pdf::many_pages(25_000), Expect::Fail(&["max_pages"])),
        case("pdf-page-tree-200k-deep", "pdf", "pdf", pdf::deep_page_tree(200_000), text(m, true)),
        case("pdf-huge-font-ranges", "pdf", "pdf", pdf::huge_font_ranges(), text(m, false)),
        case("pdf-xref-prev-loop", "pdf", "pdf", pdf::xref_prev_loop(), text(m, false)),
        case("pdf-xref-stream-bomb", "pdf", "pdf", pdf::xref_stream_bomb(), text(m, false)),
        case("pdf-contents-160mb", "pdf", "pdf", pdf::repeated_contents(), Expect::Fail(LIMIT_STREAM)),
        case("pdf-2.1m-objects", "pdf", "pdf", pdf::object_flood(2_100_000), Expect::Fail(&["max_pdf_objects"])),
        case("pdf-20k-content-streams", "pdf", "pdf", pdf::many_content_streams(20_000), text(m, true)),
        case("pdf-missing-content-stream", "pdf", "pdf", pdf::missing_content_stream(), text(m, true)),
        case("pdf-8m-visible-glyphs", "pdf", "pdf", pdf::tiny_glyph_lines(8), text(m, false)),
        case("docx-relationship-cycle", "docx", "docx", docx::relationship_cycle(), text(d, false)),
        case("docx-styles-lying", "docx", "docx", docx::styles_lying(), text(d, true)),
        case("docx-headers-past-total", "docx", "docx", docx::headers_past_total(), Expect::Fail(&["max_total_inflated_bytes"])),
        case("docx-60k-entries", "docx", "docx", docx::many_entries(60_000), text(d, false)),
        // Which entry of a duplicated name is read is the zip crate's choice (the last one):
        // the warning says so.
        case("docx-duplicate-names", "docx", "docx", docx::duplicate_names(), text("", true)),
        case("docx-huge-attributes", "docx", "docx", docx::huge_attributes(20 << 20), text(d, false)),
        case("docx-wide-tables", "docx", "docx", docx::wide_tables(), text(d, false)),
        // The formats after PDF and DOCX. Batch discovery picks files by extension and does
        // not take these extensions yet, so they travel as `.docx`: the reader is chosen by
        // the bytes.
        case("xlsx-whole-grid-declared", "docx", "xlsx", formats::xlsx_good(), text(d, false)),
        case("xlsx-bomb-declared", "docx", "xlsx", formats::xlsx_bomb(false), Expect::Fail(&["max_entry_bytes"])),
        case("xlsx-bomb-lying", "docx", "xlsx", formats::xlsx_bomb(true), Expect::Damaged(DECLARED)),
        case("xlsx-shared-strings-2e40", "docx", "xlsx", formats::xlsx_shared_strings_lie(), Expect::Fail(&["shared strings"])),
        case("odt-nested-lists-100k", "docx", "odt", formats::odt_nested_lists(100_000), Expect::Fail(&["max_xml_depth"])),
        case("odt-nested-lists-100", "docx", "odt", formats::odt_nested_lists(100), text(d, false)),
        case("ods-repeated-grid", "docx", "ods", formats::ods_repeated_grid(), text(d, false)),
        case("rtf-nested-groups-1m", "docx", "rtf", formats::rtf_nested_groups(1_000_000), Expect::Fail(&["max_rtf_depth"])),
        case("rtf-nested-groups-200", "docx", "rtf", formats::rtf_nested_groups(200), text(d, true)),
        case("rtf-control-word-abuse", "docx", "rtf", formats::rtf_abuse(), text(d, false)),
    ];
    cases.extend(truncations("pdf", "pdf", "pdf", &pdf::good(3)));
    cases.extend(truncations("docx", "docx", "docx", &docx::good()));
    cases.extend(truncations("xlsx", "docx", "xlsx", &formats::xlsx_good()));
    cases.extend(truncations("odt", "docx", "odt", &formats::odt_good()));
    cases.extend(truncations("rtf", "docx", "rtf", &formats::rtf_good()));
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let demo_pdf = std::fs::read(root.join(DEMO_PDF)).expect("demo PDF");
    let demo_docx = std::fs::read(root.join(DEMO_DOCX)).expect("demo DOCX");
    cases.extend(truncations("demo-pdf", "pdf", "pdf", &demo_pdf));
    cases.extend(truncations("demo-docx", "docx", "docx", &demo_docx));
    cases
}

/// A supplier's zip as a tender portal exports it, with hostile members between good ones:
/// (zip bytes, members as (name, expectation)). Members are named by `ZIP!name` in the run.
pub fn supplier_zip() -> (Vec<u8>, Vec<(&'static str, Expect)>) {
    use super::squeeze::{crc32_repeated, deflate_repeated, write_zip, Method, ZipEntry};
    let good = docx::good();
    let zeros = vec![0u8; 1 << 20];
    let bomb_data = deflate_repeated(b"%PDF-1.7\n", &zeros, 2048, b"");
    let bomb = ZipEntry {
        name: "bomb-lying.pdf".into(),
        method: Method::Deflated,
        crc: crc32_repeated(b"%PDF-1.7\n", &zeros, 2048, b""),
        local: (bomb_data.len() as u32, 1000),
        central: (bomb_data.len() as u32, 1000),
        data: bomb_data,
    };
    let mut cut = ZipEntry::deflated("cut.docx", &good);
    cut.local.0 /= 2;
    cut.central.0 /= 2;
    let zip = write_zip(&[
        ZipEntry::deflated("first.docx", &good),
        bomb,
        ZipEntry::deflated("../escape.pdf", &pdf::good(1)),
        cut,
        ZipEntry::deflated("last.pdf", &pdf::good(1)),
    ]);
    let members = vec![
        ("first.docx", text(docx::MARKER, false)),
        ("bomb-lying.pdf", Expect::Fail(DECLARED)),
        ("../escape.pdf", Expect::Fail(&["unsafe member path"])),
        ("cut.docx", Expect::Fail(&["zip", "deflate", "corrupt"])),
        ("last.pdf", text(pdf::MARKER, false)),
    ];
    (zip, members)
}
