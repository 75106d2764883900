//! Hostile PDFs, written object by object so that every byte is the case's own: bombs in
//! content, form, font and object streams, chained filters, deep nesting, cyclic page trees and
//! forms, operator floods, very long strings, bad text strings and encryption.
//!
//! [`RawPdf`] numbers objects from 1, writes them with a correct cross-reference table and
//! trailer, and leaves the bodies to the caller. [`OnePage`] is the usual shape: a catalog, a
//! page tree, one page with Helvetica as `/F1`, one content stream, and extra objects from 6 on.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::squeeze::{zlib, zlib_repeated};

/// Text every readable hostile PDF shows, so that a test can tell text came out.
pub const MARKER: &str = "Hostile marker sentence";

/// A PDF under construction: object bodies by number (from 1).
#[derive(Default)]
pub struct RawPdf {
    objects: Vec<Vec<u8>>,
}

impl RawPdf {
    pub fn new() -> RawPdf {
        RawPdf::default()
    }

    /// Set object `n`'s body (growing the table with `null`s as needed).
    pub fn set(&mut self, n: usize, body: impl Into<Vec<u8>>) {
        while self.objects.len() < n {
            self.objects.push(b"null".to_vec());
        }
        self.objects[n - 1] = body.into();
    }

    /// Add an object at the next number and return that number.
    pub fn add(&mut self, body: impl Into<Vec<u8>>) -> usize {
        self.objects.push(body.into());
        self.objects.len()
    }

    /// The file: header, objects, cross-reference table, trailer with `/Root 1 0 R`.
    pub fn finish(&self, trailer_extra: &str) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::with_capacity(self.objects.len());
        for (i, body) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n", self.objects.len() + 1).as_bytes());
        out.extend_from_slice(b"0000000000 65535 f \n");
        for off in offsets {
            out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
                self.objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }
}

/// A stream object's body: `<< dict /Length N >> stream ... endstream`.
pub fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

/// A content stream that shows `text` at the top of the page.
pub fn show(text: &str) -> Vec<u8> {
    format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET").into_bytes()
}

const HELVETICA: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

/// One page: object 1 catalog, 2 pages, 3 page, 4 content, 5 Helvetica, extras from 6.
pub struct OnePage {
    /// The content stream object's whole body (see [`stream`]).
    pub content: Vec<u8>,
    /// Added inside the page's `/Resources` dictionary.
    pub resources: String,
    /// Added to the page dictionary.
    pub page_extra: String,
    /// Objects 6, 7, ...
    pub extra: Vec<Vec<u8>>,
    /// Replaces the page tree root (object 2).
    pub pages: Option<Vec<u8>>,
    /// Added to the trailer.
    pub trailer: String,
}

impl OnePage {
    pub fn new(content: &[u8]) -> OnePage {
        OnePage {
            content: stream("", content),
            resources: String::new(),
            page_extra: String::new(),
            extra: Vec::new(),
            pages: None,
            trailer: String::new(),
        }
    }

    pub fn bytes(&self) -> Vec<u8> {
        let mut pdf = RawPdf::new();
        pdf.set(1, "<< /Type /Catalog /Pages 2 0 R >>");
        pdf.set(
            2,
            self.pages
                .clone()
                .unwrap_or_else(|| b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
        );
        pdf.set(
            3,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
                 /Resources << /Font << /F1 5 0 R >> {} >> {} >>",
                self.resources, self.page_extra
            ),
        );
        pdf.set(4, self.content.clone());
        pdf.set(5, HELVETICA);
        for body in &self.extra {
            pdf.add(body.clone());
        }
        pdf.finish(&self.trailer)
    }
}

/// A readable PDF of several pages (compressed content, an /Info dictionary): the base that the
/// truncation and wrong-extension cases start from.
pub fn good(pages: usize) -> Vec<u8> {
    let mut pdf = RawPdf::new();
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 5 + 2 * i)).collect();
    pdf.set(1, "<< /Type /Catalog /Pages 2 0 R >>");
    pdf.set(
        2,
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        ),
    );
    pdf.set(3, HELVETICA);
    pdf.set(4, "<< /Title (A good file) /Producer (tests/hostile.rs) >>");
    // Each page's text is its own (a line repeated on every page would be a running header).
    const LINES: [&str; 4] = [
        "We will recruit two apprentices from the local area.",
        "Our staff will give forty hours a year to local charities.",
        "We will buy from small firms within twenty miles of the site.",
        "Every lorry on the contract will meet the Euro 6 standard.",
    ];
    for i in 0..pages {
        let first = if i == 0 {
            format!("{MARKER}.")
        } else {
            format!("Page {} continues the plan.", i + 1)
        };
        let text = format!(
            "BT /F1 12 Tf 72 720 Td ({first}) Tj 0 -16 Td ({}) Tj ET",
            LINES[i % LINES.len()]
        );
        pdf.set(
            5 + 2 * i,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {} 0 R \
                 /Resources << /Font << /F1 3 0 R >> >> >>",
                6 + 2 * i
            ),
        );
        pdf.set(
            6 + 2 * i,
            stream("/Filter /FlateDecode", &zlib(text.as_bytes())),
        );
    }
    pdf.finish(
        "/Info 4 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]",
    )
}

const GIB: u64 = 1 << 30;
const MIB: usize = 1 << 20;

/// 4 GiB of zeros as a FlateDecode stream (about 4 MB).
fn zeros_4gib() -> Vec<u8> {
    zlib_repeated(b"", &vec![0u8; MIB], 4 * GIB / MIB as u64, b"")
}

/// A content stream that inflates to 4 GiB of zeros.
pub fn flate_bomb() -> Vec<u8> {
    let mut p = OnePage::new(b"");
    p.content = stream("/Filter /FlateDecode", &zeros_4gib());
    p.bytes()
}

/// The same bomb compressed twice: `[/FlateDecode /FlateDecode]`, a few kilobytes.
pub fn flate_flate_bomb() -> Vec<u8> {
    let mut p = OnePage::new(b"");
    p.content = stream("/Filter [/FlateDecode /FlateDecode]", &zlib(&zeros_4gib()));
    p.bytes()
}

/// A 1 GiB bomb of spaces behind `[/ASCIIHexDecode /FlateDecode]`.
pub fn hex_flate_bomb() -> Vec<u8> {
    let z = zlib_repeated(b"", &vec![b' '; MIB], GIB / MIB as u64, b"");
    let mut hex = String::with_capacity(z.len() * 2 + 1);
    for b in &z {
        hex.push_str(&format!("{b:02X}"));
    }
    hex.push('>');
    let mut p = OnePage::new(b"");
    p.content = stream("/Filter [/ASCIIHexDecode /FlateDecode]", hex.as_bytes());
    p.bytes()
}

/// Two bytes through a chain of RunLengthDecode filters, each multiplying by 64.
pub fn run_length_chain() -> Vec<u8> {
    let mut p = OnePage::new(b"");
    let chain = ["/RunLengthDecode"; 8].join(" ");
    p.content = stream(&format!("/Filter [{chain}]"), &[0x81, 0x81, 0x80]);
    p.bytes()
}

/// The page's text is fine but a Form XObject it draws inflates to 4 GiB.
pub fn form_bomb() -> Vec<u8> {
    let mut p = OnePage::new(format!("BT /F1 12 Tf 72 720 Td ({MARKER}) Tj ET /Fm1 Do").as_bytes());
    p.resources = "/XObject << /Fm1 6 0 R >>".into();
    p.extra.push(stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Filter /FlateDecode",
        &zeros_4gib(),
    ));
    p.bytes()
}

/// A font whose ToUnicode CMap inflates to 4 GiB.
pub fn tounicode_bomb() -> Vec<u8> {
    let content = format!("BT /F1 12 Tf 72 720 Td ({MARKER}) Tj ET");
    let mut pdf = RawPdf::new();
    pdf.set(1, "<< /Type /Catalog /Pages 2 0 R >>");
    pdf.set(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdf.set(
        3,
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>",
    );
    pdf.set(4, stream("", content.as_bytes()));
    pdf.set(
        5,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
    );
    pdf.set(6, stream("/Filter /FlateDecode", &zeros_4gib()));
    pdf.finish("")
}

/// An object stream (`/Type /ObjStm`, read while the file loads) that inflates to 4 GiB.
pub fn object_stream_bomb() -> Vec<u8> {
    let mut p = OnePage::new(&show(MARKER));
    p.extra.push(stream(
        "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
        &zlib_repeated(b"7 0 ", &vec![b' '; MIB], 4 * GIB / MIB as u64, b"null"),
    ));
    p.bytes()
}

/// `depth` nested arrays in an object the page refers to (`/Annots`).
pub fn nested_arrays(depth: usize) -> Vec<u8> {
    let mut p = OnePage::new(&show(MARKER));
    p.page_extra = "/Annots 6 0 R".into();
    let mut deep = "[".repeat(depth).into_bytes();
    deep.extend("]".repeat(depth).bytes());
    p.extra.push(deep);
    p.bytes()
}

/// `depth` nested dictionaries in the page's resources (`/ExtGState`).
pub fn nested_dicts(depth: usize) -> Vec<u8> {
    let mut p = OnePage::new(&show(MARKER));
    p.resources = "/ExtGState 6 0 R".into();
    let mut deep = "<< /A ".repeat(depth).into_bytes();
    deep.extend_from_slice(b"1");
    deep.extend(" >>".repeat(depth).bytes());
    p.extra.push(deep);
    p.bytes()
}

/// `depth` nested arrays inside the content stream, as a `TJ` operand.
pub fn nested_content_arrays(depth: usize) -> Vec<u8> {
    let mut content = show(MARKER);
    content.extend_from_slice(b"\nBT /F1 12 Tf 72 600 Td ");
    content.extend("[".repeat(depth).bytes());
    content.extend_from_slice(b"(x)");
    content.extend("]".repeat(depth).bytes());
    content.extend_from_slice(b" TJ ET");
    let mut p = OnePage::new(b"");
    p.content = stream("/Filter /FlateDecode", &zlib(&content));
    p.bytes()
}

/// A page tree with cycles: the root's second kid is an intermediate node whose kids are the
/// root itself and the page; the page lists the tree as its own kid too.
pub fn cyclic_page_tree() -> Vec<u8> {
    let mut p = OnePage::new(&show(MARKER));
    p.pages = Some(b"<< /Type /Pages /Kids [3 0 R 6 0 R 2 0 R] /Count 3 >>".to_vec());
    p.page_extra = "/Kids [2 0 R 6 0 R]".into();
    p.extra
        .push(b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 6 0 R 3 0 R] /Count 2 >>".to_vec());
    p.bytes()
}

/// A page tree whose only node is a `/Pages` that names itself as its kid: no page at all.
pub fn self_kid_page_tree() -> Vec<u8> {
    let mut p = OnePage::new(&show(MARKER));
    p.pages = Some(b"<< /Type /Pages /Kids [2 0 R 2 0 R] /Count 1 /Parent 2 0 R >>".to_vec());
    p.bytes()
}

fn form(content: &[u8], xobjects: &str) -> Vec<u8> {
    stream(
        &format!(
            "/Type /XObject /Subtype /Form /BBox [0 0 612 792] \
             /Resources << /Font << /F1 5 0 R >> /XObject << {xobjects} >> >>"
        ),
        content,
    )
}

/// A Form XObject whose content draws itself.
pub fn self_form() -> Vec<u8> {
    let mut p = OnePage::new(b"/Fm1 Do");
    p.resources = "/XObject << /Fm1 6 0 R >>".into();
    let inner = format!("BT /F1 12 Tf 72 720 Td ({MARKER}) Tj ET /Fm1 Do");
    p.extra.push(form(inner.as_bytes(), "/Fm1 6 0 R"));
    p.bytes()
}

/// Two Form XObjects that draw each other.
pub fn mutual_forms() -> Vec<u8> {
    let mut p = OnePage::new(b"/Fa Do");
    p.resources = "/XObject << /Fa 6 0 R >>".into();
    let a = format!("BT /F1 12 Tf 72 720 Td ({MARKER}) Tj ET /Fb Do");
    p.extra.push(form(a.as_bytes(), "/Fb 7 0 R"));
    p.extra.push(form(
        b"BT /F1 12 Tf 72 700 Td (the other form) Tj ET /Fa Do",
        "/Fa 6 0 R",
    ));
    p.bytes()
}

/// No cycle, but fan-out: each of 12 forms draws the next one 10 times (10^12 draws of the
/// last), a billion laughs in PDF.
pub fn form_fan_out() -> Vec<u8> {
    let levels = 12;
    let mut p = OnePage::new(format!("BT /F1 12 Tf 72 720 Td ({MARKER}) Tj ET /X0 Do").as_bytes());
    p.resources = "/XObject << /X0 6 0 R >>".into();
    for level in 0..levels {
        let next = level + 1;
        if level + 1 == levels {
            p.extra
                .push(form(b"BT /F1 12 Tf 72 700 Td (leaf) Tj ET", ""));
        } else {
            let body = vec![format!("/X{next} Do"); 10].join(" ");
            p.extra.push(form(
                body.as_bytes(),
                &format!("/X{next} {} 0 R", 7 + level),
            ));
        }
    }
    p.bytes()
}

/// `count` `(a) Tj` operators on one page.
pub fn tj_flood(count: u64) -> Vec<u8> {
    let mut p = OnePage::new(b"");
    p.content = stream(
        "/Filter /FlateDecode",
        &zlib_repeated(
            format!("BT /F1 12 Tf 72 720 Td ({MARKER}) Tj ").as_bytes(),
            &b"(a) Tj ".repeat(1000),
            count / 1000,
            b" ET",
        ),
    );
    p.bytes()
}

/// One `Tj` showing `len` letters with no space or line break.
pub fn long_string(len: u64) -> Vec<u8> {
    let mut p = OnePage::new(b"");
    p.content = stream(
        "/Filter /FlateDecode",
        &zlib_repeated(
            format!("BT /F1 12 Tf 72 720 Td ({MARKER}) Tj 0 -20 Td (").as_bytes(),
            &vec![b'a'; MIB],
            len / MIB as u64,
            b") Tj ET",
        ),
    );
    p.bytes()
}

/// `lines` lines of one `Tj` of a mebibyte of letters each, at a font size small enough
/// (0.0005 pt) for every glyph to land on the page: `lines` million visible glyphs.
pub fn tiny_glyph_lines(lines: u64) -> Vec<u8> {
    let mut chunk = b"(".to_vec();
    chunk.extend(vec![b'a'; MIB]);
    chunk.extend_from_slice(b") Tj T* ");
    let mut p = OnePage::new(b"");
    p.content = stream(
        "/Filter /FlateDecode",
        &zlib_repeated(
            format!("BT /F1 12 Tf 72 720 Td ({MARKER}) Tj /F1 0.0005 Tf 0.001 TL 0 -20 Td ")
                .as_bytes(),
            &chunk,
            lines,
            b" ET",
        ),
    );
    p.bytes()
}

/// Text strings that are not what they claim: UTF-16 with lone surrogates and odd lengths in
/// `/Info`, a ToUnicode CMap mapping to a lone surrogate, unbalanced parentheses, bad escapes,
/// odd and non-hex digits in hex strings.
pub fn bad_strings() -> Vec<u8> {
    let content = format!(
        "BT /F1 12 Tf 72 720 Td ({MARKER}) Tj ET\n\
         BT /F2 12 Tf 72 700 Td <0041 0042 0043> Tj ET\n\
         BT /F1 12 Tf 72 680 Td (\\777\\9 \\\r\n\\q) Tj <4G4142 3> Tj <FEFFD800> Tj \
         (\\376\\377\\330\\000) Tj ET\n\
         BT /F1 12 Tf 72 660 Td (unbalanced ( paren) Tj ET"
    );
    let cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap \
         /CMapName /Bad def 1 begincodespacerange <0000> <FFFF> endcodespacerange \
         3 beginbfchar <0041> <D800> <0042> <DC00DC00> <0043> <FEFF> endbfchar \
         1 beginbfrange <0044> <0050> <D8FF> endbfrange \
         endcmap CMapName currentdict /CMap defineresource pop end end";
    let mut pdf = RawPdf::new();
    pdf.set(1, "<< /Type /Catalog /Pages 2 0 R >>");
    pdf.set(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdf.set(
        3,
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
    );
    pdf.set(4, stream("", content.as_bytes()));
    pdf.set(5, HELVETICA);
    pdf.set(
        6,
        "<< /Type /Font /Subtype /Type0 /BaseFont /Bad /Encoding /Identity-H \
         /DescendantFonts [8 0 R] /ToUnicode 7 0 R >>",
    );
    pdf.set(7, stream("", cmap.as_bytes()));
    pdf.set(
        8,
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Bad \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>",
    );
    // Title: UTF-16BE BOM then a lone high surrogate and an odd trailing byte; Author: a lone
    // low surrogate; Subject: bytes that are neither PDFDocEncoding text nor UTF-16.
    let info = b"<< /Title <FEFFD800004100> /Author <FEFFDC00> /Subject (\xFF\xFE\x00\xD8) \
                     /Producer <FEFF> /CreationDate (D:99999999999999+99'99') >>"
        .to_vec();
    pdf.set(9, info);
    pdf.finish("/Info 9 0 R")
}

/// The good file encrypted by lopdf: RC4 128-bit (`aes` false) or AES-256.
pub fn encrypted(user_password: &str, aes: bool) -> Vec<u8> {
    use lopdf::encryption::crypt_filters::{Aes256CryptFilter, CryptFilter};
    use lopdf::{EncryptionState, EncryptionVersion, Permissions};
    let mut doc = lopdf::Document::load_mem(&good(1)).expect("the good PDF loads");
    let key = [0x5Au8; 32];
    let aes256: Arc<dyn CryptFilter> = Arc::new(Aes256CryptFilter);
    let version = if aes {
        EncryptionVersion::V5 {
            encrypt_metadata: true,
            crypt_filters: BTreeMap::from([(b"StdCF".to_vec(), aes256)]),
            file_encryption_key: &key,
            stream_filter: b"StdCF".to_vec(),
            string_filter: b"StdCF".to_vec(),
            owner_password: "owner",
            user_password,
            permissions: Permissions::all(),
        }
    } else {
        EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password,
            key_length: 128,
            permissions: Permissions::all(),
        }
    };
    let state = EncryptionState::try_from(version).expect("encryption state");
    doc.encrypt(&state).expect("encrypt");
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

/// Numbers past `f32` (and past `f64`) in the text state and matrices, a zero and a negative
/// font size, a singular text matrix.
pub fn huge_numbers() -> Vec<u8> {
    let big = "9".repeat(400);
    let f32max = "340282346638528859811704183484516925440.0";
    let content = format!(
        "BT /F1 12 Tf 72 720 Td ({MARKER}) Tj ET\n\
         BT /F1 {f32max} Tf {f32max} 0 0 {f32max} {f32max} {f32max} Tm (huge) Tj ET\n\
         BT /F1 12 Tf {big} Tc {big} Tw {big} Tz {big} TL {big} Ts (spacing) Tj T* (next) ' ET\n\
         BT /F1 0 Tf 72 600 Td (zero size) Tj ET\n\
         BT /F1 -12 Tf 72 580 Td (negative size) Tj ET\n\
         q {big} 0 0 {big} 0 0 cm {big} 0 0 {big} 0 0 cm BT /F1 12 Tf 72 560 Td (overflow) Tj ET Q\n\
         q -{big} 0 0 -{big} -{big} -{big} cm BT /F1 12 Tf 1 1 Td (negative) Tj ET Q\n\
         BT /F1 12 Tf 0 0 0 0 0 0 Tm (singular) Tj ET\n\
         BT /F1 12 Tf 72 540 Td [({MARKER}) -{big} (kerned) {big}] TJ ET"
    );
    OnePage::new(content.as_bytes()).bytes()
}

/// A balanced page tree of `n` pages sharing one content stream.
pub fn many_pages(n: usize) -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.set(1, "<< /Type /Catalog /Pages 2 0 R >>");
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 5 + i)).collect();
    pdf.set(
        2,
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")),
    );
    pdf.set(3, HELVETICA);
    pdf.set(4, stream("", &show(MARKER)));
    for _ in 0..n {
        pdf.add(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
             /Resources << /Font << /F1 3 0 R >> >> >>",
        );
    }
    pdf.finish("")
}

/// A chain of `depth` intermediate page-tree nodes with the one page at the bottom.
pub fn deep_page_tree(depth: usize) -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.set(1, "<< /Type /Catalog /Pages 2 0 R >>");
    pdf.set(3, HELVETICA);
    pdf.set(4, stream("", &show(MARKER)));
    // Nodes 5 .. 5+depth-1; node 2 is the root; the page is the last object.
    let page = 5 + depth;
    pdf.set(2, "<< /Type /Pages /Kids [5 0 R] /Count 1 >>");
    for i in 0..depth {
        let n = 5 + i;
        let kid = if i + 1 == depth { page } else { n + 1 };
        let parent = if i == 0 { 2 } else { n - 1 };
        pdf.set(
            n,
            format!("<< /Type /Pages /Parent {parent} 0 R /Kids [{kid} 0 R] /Count 1 >>"),
        );
    }
    pdf.set(
        page,
        format!(
            "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
             /Resources << /Font << /F1 3 0 R >> >> >>",
            page - 1
        ),
    );
    pdf.finish("")
}

/// Fonts with absurd character ranges: `/LastChar` at `i32::MAX` with a million widths, a
/// negative `/FirstChar`, and a CID font whose `/W` ranges cover every CID.
pub fn huge_font_ranges() -> Vec<u8> {
    let content = format!(
        "BT /F1 12 Tf 72 720 Td ({MARKER}) Tj ET\n\
         BT /F2 12 Tf 72 700 Td (wide) Tj ET\n\
         BT /F3 12 Tf 72 680 Td (negative) Tj ET\n\
         BT /F4 12 Tf 72 660 Td <00410042> Tj ET"
    );
    let widths = "500 ".repeat(1_000_000);
    let mut pdf = RawPdf::new();
    pdf.set(1, "<< /Type /Catalog /Pages 2 0 R >>");
    pdf.set(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdf.set(
        3,
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 7 0 R /F4 8 0 R >> >> >>",
    );
    pdf.set(4, stream("", content.as_bytes()));
    pdf.set(5, HELVETICA);
    pdf.set(
        6,
        format!(
            "<< /Type /Font /Subtype /TrueType /BaseFont /Arial /FirstChar 0 \
             /LastChar 2147483647 /Widths [{widths}] >>"
        ),
    );
    pdf.set(
        7,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /FirstChar -2147483648 \
         /LastChar -1 /Widths [1 2 3] >>",
    );
    pdf.set(
        8,
        "<< /Type /Font /Subtype /Type0 /BaseFont /Wide /Encoding /Identity-H \
         /DescendantFonts [9 0 R] /ToUnicode 10 0 R >>",
    );
    pdf.set(
        9,
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Wide \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
         /W [0 4294967295 500 0 [1 2 3] -5 -1 7] /DW -99999999 >>",
    );
    let cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap \
         /CMapName /Huge def /Huge usecmap /Identity-H usecmap \
         1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange \
         2 beginbfrange <00000000> <FFFFFFFF> <0041> <0000> <FFFF> [<41> <42>] endbfrange \
         1 begincidrange <00000000> <FFFFFFFF> 0 endcidrange \
         endcmap CMapName currentdict /CMap defineresource pop end end";
    pdf.set(10, stream("", cmap.as_bytes()));
    pdf.finish("")
}

/// An incremental update whose trailer's `/Prev` points at itself.
pub fn xref_prev_loop() -> Vec<u8> {
    let mut out = OnePage::new(&show(MARKER)).bytes();
    let obj_at = out.len();
    out.extend_from_slice(b"6 0 obj\n(an update)\nendobj\n");
    let xref_at = out.len();
    out.extend_from_slice(
        format!(
            "xref\n6 1\n{obj_at:010} 00000 n \ntrailer\n<< /Size 7 /Root 1 0 R /Prev {xref_at} \
             /XRefStm {xref_at} >>\nstartxref\n{xref_at}\n%%EOF\n"
        )
        .as_bytes(),
    );
    out
}

/// A cross-reference stream (the only index of the file) that inflates to 4 GiB.
pub fn xref_stream_bomb() -> Vec<u8> {
    let body = OnePage::new(&show(MARKER)).bytes();
    // Keep the objects, drop the classic xref table and trailer.
    let end = body
        .windows(5)
        .rposition(|w| w == b"xref\n")
        .expect("an xref table");
    let mut out = body[..end].to_vec();
    let at = out.len();
    let data = zlib_repeated(b"", &vec![0u8; MIB], 4 * GIB / MIB as u64, b"");
    out.extend_from_slice(b"6 0 obj\n");
    out.extend(stream(
        "/Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode",
        &data,
    ));
    out.extend_from_slice(format!("\nendobj\nstartxref\n{at}\n%%EOF\n").as_bytes());
    out
}

/// The page's content array names one 8 KB stream 20,000 times (160 MB of content).
pub fn repeated_contents() -> Vec<u8> {
    let mut content = show(MARKER);
    content.extend(b" ".repeat(8 << 10));
    let refs = "4 0 R ".repeat(20_000);
    let mut pdf = RawPdf::new();
    pdf.set(1, "<< /Type /Catalog /Pages 2 0 R >>");
    pdf.set(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdf.set(
        3,
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [{refs}] \
             /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
    );
    pdf.set(4, stream("", &content));
    pdf.set(5, HELVETICA);
    pdf.finish("")
}

/// `n` tiny objects (past `max_pdf_objects` when `n` is over two million).
pub fn object_flood(n: usize) -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.set(1, "<< /Type /Catalog /Pages 2 0 R >>");
    pdf.set(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdf.set(
        3,
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>",
    );
    pdf.set(4, stream("", &show(MARKER)));
    pdf.set(5, HELVETICA);
    for i in 0..n {
        pdf.add(format!("{i}"));
    }
    pdf.finish("")
}

/// A page whose content is `n` separate one-line streams.
pub fn many_content_streams(n: usize) -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.set(1, "<< /Type /Catalog /Pages 2 0 R >>");
    pdf.set(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    let refs: Vec<String> = (0..n).map(|i| format!("{} 0 R", 5 + i)).collect();
    pdf.set(
        3,
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [{}] \
             /Resources << /Font << /F1 4 0 R >> >> >>",
            refs.join(" ")
        ),
    );
    pdf.set(4, HELVETICA);
    for i in 0..n {
        let text = if i == 0 {
            MARKER.to_string()
        } else {
            format!("line {i}")
        };
        let y = 760.0 - (i % 700) as f32;
        pdf.add(stream(
            "",
            format!("BT /F1 1 Tf 72 {y} Td ({text}) Tj ET").as_bytes(),
        ));
    }
    pdf.finish("")
}

/// Two pages: the first draws content from an object the file does not have.
pub fn missing_content_stream() -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.set(1, "<< /Type /Catalog /Pages 2 0 R >>");
    pdf.set(2, "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>");
    pdf.set(
        3,
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 99 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>",
    );
    pdf.set(
        4,
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>",
    );
    pdf.set(5, HELVETICA);
    pdf.set(6, stream("", &show(MARKER)));
    pdf.finish("")
}

/// Two pages; the first page's own dictionary holds `depth` nested arrays (unparseable past
/// the parser's nesting limit), the second is plain.
pub fn nested_in_page(depth: usize) -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.set(1, "<< /Type /Catalog /Pages 2 0 R >>");
    pdf.set(2, "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>");
    let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    pdf.set(
        3,
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R \
             /Resources << /Font << /F1 5 0 R >> >> /Junk {deep} >>"
        ),
    );
    pdf.set(
        4,
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 7 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>",
    );
    pdf.set(5, HELVETICA);
    pdf.set(6, stream("", &show("first page text")));
    pdf.set(7, stream("", &show(MARKER)));
    pdf.finish("")
}

/// A page whose `/Annots` names one form field `count` times; the field has no appearance, so
/// its value (`len` letters, one string object) is what a viewer prints, each time.
pub fn field_value_flood(count: usize, len: usize) -> Vec<u8> {
    let mut p = OnePage::new(&show(MARKER));
    let refs = "6 0 R ".repeat(count);
    p.page_extra = format!("/Annots [{refs}]");
    p.extra.push(
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /V 7 0 R /Rect [72 600 540 620] \
          /DA (/Helv 0.001 Tf 0 g) >>"
            .to_vec(),
    );
    let mut value = b"(".to_vec();
    value.extend(vec![b'a'; len]);
    value.push(b')');
    p.extra.push(value);
    p.bytes()
}
