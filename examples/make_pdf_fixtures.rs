//! Writes the PDF feature fixtures: one tiny file per extraction case, into
//! `fixtures/features/pdf/`. Each file is built with lopdf's writing API (content streams are
//! written by hand, so every case shows exactly the operators it is about).
//!
//! ```text
//! cargo run --example make_pdf_fixtures
//! ```
//! `tests/pdf_extract.rs` checks what tenderscope reads from each file.

use std::io::Write;
use std::path::Path;

use flate2::write::ZlibEncoder;
use flate2::Compression;
use lopdf::{dictionary, Dictionary, Document, EncryptionState, EncryptionVersion, Object};
use lopdf::{ObjectId, Permissions, Stream, StringFormat};

struct Pdf {
    doc: Document,
    pages_id: ObjectId,
    pages: Vec<Object>,
}

impl Pdf {
    fn new() -> Pdf {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        Pdf {
            doc,
            pages_id,
            pages: Vec::new(),
        }
    }

    fn add(&mut self, obj: impl Into<Object>) -> ObjectId {
        self.doc.add_object(obj)
    }

    fn page(&mut self, content: &[u8], resources: Dictionary) {
        let content_id = self.add(Stream::new(dictionary! {}, content.to_vec()));
        let page = dictionary! {
            "Type" => "Page",
            "Parent" => self.pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            "Contents" => content_id,
            "Resources" => resources,
        };
        let id = self.add(page);
        self.pages.push(id.into());
    }

    fn finish(mut self, name: &str, info: Option<Dictionary>) -> Document {
        let count = self.pages.len() as i64;
        let pages = dictionary! {
            "Type" => "Pages",
            "Kids" => self.pages.clone(),
            "Count" => count,
        };
        self.doc
            .objects
            .insert(self.pages_id, Object::Dictionary(pages));
        let catalog = self.add(dictionary! { "Type" => "Catalog", "Pages" => self.pages_id });
        self.doc.trailer.set("Root", catalog);
        if let Some(info) = info {
            let info_id = self.add(info);
            self.doc.trailer.set("Info", info_id);
        }
        let id = Object::String(name.as_bytes().to_vec(), StringFormat::Hexadecimal);
        self.doc.trailer.set("ID", vec![id.clone(), id]);
        self.doc
    }
}

fn helvetica() -> Dictionary {
    dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    }
}

fn fonts(pairs: Vec<(&str, Object)>) -> Dictionary {
    let mut f = Dictionary::new();
    for (k, v) in pairs {
        f.set(k, v);
    }
    dictionary! { "Font" => f }
}

fn save(mut doc: Document, dir: &Path, name: &str) {
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("serialise PDF");
    std::fs::write(dir.join(name), bytes).expect("write fixture");
    println!("wrote {name}");
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = ZlibEncoder::new(Vec::new(), Compression::best());
    e.write_all(data).expect("compress");
    e.finish().expect("compress")
}

fn cmap(entries: &[(u16, &str)], two_byte: bool) -> Vec<u8> {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CMapName /Test def\n",
    );
    if two_byte {
        s.push_str("1 begincodespacerange <0000> <FFFF> endcodespacerange\n");
    } else {
        s.push_str("1 begincodespacerange <00> <FF> endcodespacerange\n");
    }
    s.push_str(&format!("{} beginbfchar\n", entries.len()));
    for (code, text) in entries {
        let dst: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
        if two_byte {
            s.push_str(&format!("<{code:04X}> <{dst}>\n"));
        } else {
            s.push_str(&format!("<{code:02X}> <{dst}>\n"));
        }
    }
    s.push_str("endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end\n");
    s.into_bytes()
}

fn main() {
    let dir = Path::new("fixtures/features/pdf");
    std::fs::create_dir_all(dir).expect("create fixture folder");

    // 1. Words placed one by one with Td and Tm, no space characters between them.
    let mut pdf = Pdf::new();
    let f = pdf.add(helvetica());
    pdf.page(
        b"BT /F1 12 Tf 72 700 Td (Social) Tj 45 0 Td (value) Tj 36 0 Td (matters) Tj \
          1 0 0 1 72 686 Tm (Second) Tj 1 0 0 1 125 686 Tm (line) Tj ET",
        fonts(vec![("F1", f.into())]),
    );
    save(pdf.finish("positioned", None), dir, "positioned_words.pdf");

    // 2. TJ with kerning inside words and wide offsets between them.
    let mut pdf = Pdf::new();
    let f = pdf.add(helvetica());
    pdf.page(
        b"BT /F1 12 Tf 72 700 Td [(Ke) 30 (rn) 20 (ed) -300 (wo) 15 (rds) -280 (here)] TJ ET",
        fonts(vec![("F1", f.into())]),
    );
    save(pdf.finish("kerning", None), dir, "tj_kerning.pdf");

    // 3. Text inside a Form XObject, drawn twice under different matrices.
    let mut pdf = Pdf::new();
    let f = pdf.add(helvetica());
    let form = pdf.add(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 300.into(), 50.into()],
            "Resources" => fonts(vec![("F1", f.into())]),
        },
        b"BT /F1 12 Tf 0 10 Td (Inside the form) Tj ET".to_vec(),
    ));
    pdf.page(
        b"q 1 0 0 1 72 700 cm /Fm1 Do Q q 1 0 0 1 72 600 cm /Fm1 Do Q \
          BT /F1 12 Tf 72 500 Td (Outside) Tj ET",
        dictionary! {
            "Font" => dictionary! { "F1" => f },
            "XObject" => dictionary! { "Fm1" => form },
        },
    );
    save(pdf.finish("form", None), dir, "form_xobject.pdf");

    // 4. A Form XObject that draws itself.
    let mut pdf = Pdf::new();
    let f = pdf.add(helvetica());
    let form_id = pdf.doc.new_object_id();
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 300.into(), 50.into()],
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => f },
                "XObject" => dictionary! { "Me" => form_id },
            },
        },
        b"BT /F1 12 Tf 0 10 Td (Recursive form) Tj ET /Me Do".to_vec(),
    );
    pdf.doc.objects.insert(form_id, Object::Stream(form));
    pdf.page(
        b"q 1 0 0 1 72 700 cm /Me Do Q",
        dictionary! { "XObject" => dictionary! { "Me" => form_id } },
    );
    save(pdf.finish("selfform", None), dir, "self_form_xobject.pdf");

    // 5. /Differences with AGL names, uniXXXX names and a name outside the list.
    let mut pdf = Pdf::new();
    let f = pdf.add(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => dictionary! {
            "Type" => "Encoding",
            "BaseEncoding" => "WinAnsiEncoding",
            "Differences" => vec![
                1.into(), "uni0053".into(), "o".into(), "c".into(), "i".into(), "a".into(),
                "l".into(), "Zcaron".into(), "glyph77".into(), "eacute".into(),
            ],
        },
    });
    // Codes 1..=6 spell "Social"; 7 is Ž, 9 é; 8 has a name nobody knows (nothing shows).
    pdf.page(
        b"BT /F1 12 Tf 72 700 Td <010203040506> Tj ( caf) Tj <09> Tj ( ) Tj <07> Tj <08> Tj (ABC) Tj ET",
        fonts(vec![("F1", f.into())]),
    );
    save(pdf.finish("differences", None), dir, "differences.pdf");

    // 6. A ToUnicode map that overrides the encoding.
    let mut pdf = Pdf::new();
    let tu = pdf.add(Stream::new(
        dictionary! {},
        cmap(&[(0x41, "W"), (0x42, "o"), (0x43, "r"), (0x44, "k")], false),
    ));
    let mut font = helvetica();
    font.set("ToUnicode", tu);
    let f = pdf.add(font);
    pdf.page(
        b"BT /F1 12 Tf 72 700 Td (ABCD) Tj ET",
        fonts(vec![("F1", f.into())]),
    );
    save(pdf.finish("tounicode", None), dir, "tounicode.pdf");

    // 7. A Type0 font, Identity-H, two-byte codes, widths from /W, text from ToUnicode.
    let mut pdf = Pdf::new();
    let tu = pdf.add(Stream::new(
        dictionary! {},
        cmap(
            &[
                (1, "L"),
                (2, "o"),
                (3, "c"),
                (4, "a"),
                (5, "l"),
                (6, " "),
                (7, "j"),
                (8, "b"),
                (9, "s"),
            ],
            true,
        ),
    ));
    let descendant = pdf.add(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "TestSans",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"),
            "Supplement" => 0,
        },
        "DW" => 500,
        "W" => vec![1.into(), vec![556.into(), 556.into(), 500.into(), 556.into(), 222.into(), 278.into()].into(),
                    7.into(), 9.into(), 500.into()],
    });
    let f = pdf.add(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "TestSans",
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![descendant.into()],
        "ToUnicode" => tu,
    });
    pdf.page(
        b"BT /F1 12 Tf 72 700 Td <000100020003000400050006000700020008000900> Tj ET",
        fonts(vec![("F1", f.into())]),
    );
    save(pdf.finish("type0", None), dir, "type0_identity.pdf");

    // 8. A Type3 font with its own FontMatrix (glyph space 1000 units per em scaled by 0.001).
    let mut pdf = Pdf::new();
    let proc_a = pdf.add(Stream::new(
        dictionary! {},
        b"600 0 d0 0 0 500 700 re f".to_vec(),
    ));
    let f = pdf.add(dictionary! {
        "Type" => "Font", "Subtype" => "Type3",
        "FontBBox" => vec![0.into(), 0.into(), 600.into(), 700.into()],
        "FontMatrix" => vec![0.001.into(), 0.into(), 0.into(), 0.001.into(), 0.into(), 0.into()],
        "CharProcs" => dictionary! { "T" => proc_a, "y" => proc_a, "p" => proc_a, "e" => proc_a, "three" => proc_a },
        "Encoding" => dictionary! {
            "Type" => "Encoding",
            "Differences" => vec![65.into(), "T".into(), "y".into(), "p".into(), "e".into(), "three".into()],
        },
        "FirstChar" => 65, "LastChar" => 69,
        "Widths" => vec![600.into(), 600.into(), 600.into(), 600.into(), 600.into()],
        "Resources" => dictionary! {},
    });
    pdf.page(
        b"BT /F1 12 Tf 72 700 Td (ABCD) Tj 28.8 0 Td (E) Tj 0 -14 Td (EDCBA) Tj ET",
        fonts(vec![("F1", f.into())]),
    );
    save(pdf.finish("type3", None), dir, "type3.pdf");

    // 9. Two columns, drawn line by line across the page (left, right, left, right).
    let mut pdf = Pdf::new();
    let f = pdf.add(helvetica());
    let mut content = String::from("BT /F1 10 Tf ");
    let left = ["Left column one", "left column two", "left column three"];
    let right = ["Right column one", "right column two", "right column three"];
    for (i, (l, r)) in left.iter().zip(right.iter()).enumerate() {
        let y = 700 - 12 * i;
        content.push_str(&format!(
            "1 0 0 1 72 {y} Tm ({l}) Tj 1 0 0 1 320 {y} Tm ({r}) Tj "
        ));
    }
    content.push_str("/F1 16 Tf 1 0 0 1 72 740 Tm (A title over both columns) Tj ET");
    pdf.page(content.as_bytes(), fonts(vec![("F1", f.into())]));
    save(pdf.finish("columns", None), dir, "two_columns.pdf");

    // 10. Ligatures: a ToUnicode that maps glyphs to U+FB01 and U+FB02.
    let mut pdf = Pdf::new();
    let tu = pdf.add(Stream::new(
        dictionary! {},
        cmap(
            &[(0x01, "\u{FB01}"), (0x02, "\u{FB02}"), (0x03, "\u{FB03}")],
            false,
        ),
    ));
    let mut font = helvetica();
    font.set("ToUnicode", tu);
    let f = pdf.add(font);
    pdf.page(
        b"BT /F1 12 Tf 72 700 Td (\\001rst ) Tj (\\002ow ) Tj (e\\003cient) Tj ET",
        fonts(vec![("F1", f.into())]),
    );
    save(pdf.finish("ligatures", None), dir, "ligatures.pdf");

    // 11. Bullets drawn with symbol fonts: Symbol 0xB7, Wingdings 'l' and ZapfDingbats 'l'.
    let mut pdf = Pdf::new();
    let f = pdf.add(helvetica());
    let symbol =
        pdf.add(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Symbol" });
    let wingdings = pdf.add(dictionary! {
        "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "Wingdings-Regular",
        "FirstChar" => 108, "LastChar" => 108, "Widths" => vec![600.into()],
    });
    let zapf = pdf
        .add(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "ZapfDingbats" });
    pdf.page(
        b"BT /S 10 Tf 72 700 Td <B7> Tj /F1 10 Tf 15 0 Td (Apprenticeships) Tj ET \
          BT /W 10 Tf 72 686 Td (l) Tj /F1 10 Tf 15 0 Td (Local suppliers) Tj ET \
          BT /Z 10 Tf 72 672 Td (l) Tj /F1 10 Tf 15 0 Td (Carbon reduction) Tj ET",
        fonts(vec![
            ("F1", f.into()),
            ("S", symbol.into()),
            ("W", wingdings.into()),
            ("Z", zapf.into()),
        ]),
    );
    save(pdf.finish("bullets", None), dir, "symbol_bullets.pdf");

    // 12. Three pages with a running header and footer, a heading and body text.
    let mut pdf = Pdf::new();
    let f = pdf.add(helvetica());
    for n in 1..=3 {
        let content = format!(
            "BT /F1 9 Tf 72 760 Td (Acme Facilities Ltd - Social Value Plan) Tj ET \
             BT /F1 18 Tf 72 700 Td (Section {n} heading) Tj ET \
             BT /F1 11 Tf 72 670 Td (Body text of page {n} about local employment.) Tj \
             0 -14 Td (It continues on a second line.) Tj ET \
             BT /F1 9 Tf 280 30 Td (Page {n} of 3) Tj ET"
        );
        pdf.page(content.as_bytes(), fonts(vec![("F1", f.into())]));
    }
    let info = dictionary! {
        "Title" => Object::string_literal("Social Value Plan"),
        "Author" => Object::String(b"\xFE\xFF\x00A\x00c\x00m\x00\xE9".to_vec(), StringFormat::Literal),
        "Producer" => Object::string_literal("make_pdf_fixtures"),
        "CreationDate" => Object::string_literal("D:20240131093000+01'00'"),
    };
    save(
        pdf.finish("running", Some(info)),
        dir,
        "running_header_footer.pdf",
    );

    // 13. A page with an image and no text (a scan), after a page with text.
    let mut pdf = Pdf::new();
    let f = pdf.add(helvetica());
    pdf.page(
        b"BT /F1 12 Tf 72 700 Td (Cover page) Tj ET",
        fonts(vec![("F1", f.into())]),
    );
    let image = pdf.add(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![0, 255, 255, 0],
    ));
    pdf.page(
        b"q 500 0 0 700 50 50 cm /Im1 Do Q",
        dictionary! { "XObject" => dictionary! { "Im1" => image } },
    );
    save(pdf.finish("scan", None), dir, "image_only_page.pdf");

    // 14 and 15. Encrypted with an empty user password (opens), and with a real one (does not).
    // 15b. Encrypted with an empty user password by a writer that gave the file no /ID: the
    // key is derived from an empty first ID (what readers assume when the trailer has none).
    for (name, text, user, with_id) in [
        (
            "encrypted_empty_password.pdf",
            "Encrypted but readable",
            "",
            true,
        ),
        (
            "encrypted_password.pdf",
            "Encrypted but readable",
            "secret",
            true,
        ),
        ("encrypted_no_id.pdf", "Encrypted without an ID", "", false),
    ] {
        let mut pdf = Pdf::new();
        let f = pdf.add(helvetica());
        let content = format!("BT /F1 12 Tf 72 700 Td ({text}) Tj ET");
        pdf.page(content.as_bytes(), fonts(vec![("F1", f.into())]));
        let mut doc = pdf.finish(name, None);
        if !with_id {
            let empty = Object::String(Vec::new(), StringFormat::Hexadecimal);
            doc.trailer.set("ID", vec![empty.clone(), empty]);
        }
        let state = EncryptionState::try_from(EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password: user,
            key_length: 128,
            permissions: Permissions::all(),
        })
        .expect("encryption state");
        doc.encrypt(&state).expect("encrypt");
        if !with_id {
            doc.trailer.remove(b"ID");
        }
        save(doc, dir, name);
    }

    // 16. A flate bomb: 16 MiB of zeros in a few kilobytes, as a page's content.
    let mut pdf = Pdf::new();
    let bomb = zlib(&vec![b' '; 16 << 20]);
    let content_id = pdf.add(Stream::new(dictionary! { "Filter" => "FlateDecode" }, bomb));
    let page = dictionary! {
        "Type" => "Page", "Parent" => pdf.pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        "Contents" => content_id,
    };
    let page_id = pdf.add(page);
    pdf.pages.push(page_id.into());
    let mut doc = pdf.finish("bomb", None);
    // Keep the stream as compressed as zlib made it.
    if let Ok(Object::Stream(s)) = doc.get_object_mut(content_id) {
        s.allows_compression = false;
    }
    save(doc, dir, "flate_bomb.pdf");
}
