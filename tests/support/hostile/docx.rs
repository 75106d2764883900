//! Hostile DOCX files, written part by part with [`super::squeeze::write_zip`] so that zip
//! headers can lie: bombs in `word/document.xml`, entries whose declared sizes are wrong, deep
//! nesting of tables, content controls and plain elements, very long and very many runs,
//! invalid UTF-8 and UTF-16, entity expansion, and a password-protected (OLE) file.

use super::squeeze::{crc32_repeated, deflate_repeated, write_zip, Method, ZipEntry};

/// Text every readable hostile DOCX shows.
pub const MARKER: &str = "Hostile marker paragraph";

pub const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// The start of `word/document.xml`, up to and including `<w:body>`.
pub fn head() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>"#
    )
}

pub const TAIL: &str = "</w:body></w:document>";

/// A paragraph of one run.
pub fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// The package entries every file shares, then `document` as `word/document.xml`.
pub fn package(document: ZipEntry) -> Vec<u8> {
    write_zip(&[
        ZipEntry::deflated("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ZipEntry::deflated("_rels/.rels", RELS.as_bytes()),
        document,
    ])
}

/// A DOCX whose body is `body` (XML), honestly zipped.
pub fn with_body(body: &str) -> Vec<u8> {
    let xml = format!("{}{body}{TAIL}", head());
    package(ZipEntry::deflated("word/document.xml", xml.as_bytes()))
}

/// A readable DOCX: the base that truncation and wrong-extension cases start from.
pub fn good() -> Vec<u8> {
    let mut body = p(&format!("{MARKER}."));
    for i in 1..=20 {
        body.push_str(&p(&format!(
            "Paragraph {i}: we will recruit two apprentices from the local area each year."
        )));
    }
    with_body(&body)
}

const MIB: usize = 1 << 20;
const GIB: u64 = 1 << 30;

/// `word/document.xml` that inflates to 2 GiB (one paragraph of spaces), as a zip entry.
fn bomb_entry() -> ZipEntry {
    let head = format!("{}<w:p><w:r><w:t xml:space=\"preserve\">{MARKER} ", head());
    let tail = format!("</w:t></w:r></w:p>{TAIL}");
    let chunk = vec![b' '; MIB];
    let times = 2 * GIB / MIB as u64 - 1;
    let data = deflate_repeated(head.as_bytes(), &chunk, times, tail.as_bytes());
    let size = head.len() as u64 + MIB as u64 * times + tail.len() as u64;
    ZipEntry {
        name: "word/document.xml".into(),
        method: Method::Deflated,
        crc: crc32_repeated(head.as_bytes(), &chunk, times, tail.as_bytes()),
        local: (data.len() as u32, size as u32),
        central: (data.len() as u32, size as u32),
        data,
    }
}

/// A 2 GiB `word/document.xml` whose headers say so.
pub fn bomb_declared() -> Vec<u8> {
    package(bomb_entry())
}

/// The same 2 GiB entry, its headers claiming 2 kB.
pub fn bomb_lying() -> Vec<u8> {
    package(bomb_entry().claim_size(2048))
}

/// A readable document whose entry declares fewer bytes than it inflates to.
pub fn size_smaller_than_data() -> Vec<u8> {
    let xml = format!("{}{}{TAIL}", head(), good_body());
    package(ZipEntry::deflated("word/document.xml", xml.as_bytes()).claim_size(100))
}

/// A readable document whose entry declares many more bytes than it inflates to.
pub fn size_larger_than_data() -> Vec<u8> {
    let xml = format!("{}{}{TAIL}", head(), good_body());
    package(ZipEntry::deflated("word/document.xml", xml.as_bytes()).claim_size(50_000_000))
}

/// The local header and the central directory disagree about every size.
pub fn local_central_disagree() -> Vec<u8> {
    let xml = format!("{}{}{TAIL}", head(), good_body());
    let mut e = ZipEntry::deflated("word/document.xml", xml.as_bytes());
    e.local = (7, 9);
    e.central.1 = e.central.1.saturating_mul(3);
    package(e)
}

/// A compressed size that claims less than the data: the reader sees a cut deflate stream.
pub fn compressed_size_short() -> Vec<u8> {
    let xml = format!("{}{}{TAIL}", head(), good_body());
    let mut e = ZipEntry::deflated("word/document.xml", xml.as_bytes());
    e.local.0 /= 2;
    e.central.0 /= 2;
    package(e)
}

/// A stored (uncompressed) entry whose sizes claim less than the data.
pub fn stored_size_short() -> Vec<u8> {
    let xml = format!("{}{}{TAIL}", head(), good_body());
    let mut e = ZipEntry::stored("word/document.xml", xml.as_bytes());
    let half = (xml.len() / 2) as u32;
    e.local = (half, half);
    e.central = (half, half);
    package(e)
}

/// A stored entry that claims 4 GiB less one byte.
pub fn stored_size_huge() -> Vec<u8> {
    let xml = format!("{}{}{TAIL}", head(), good_body());
    let mut e = ZipEntry::stored("word/document.xml", xml.as_bytes());
    e.local = (u32::MAX - 1, u32::MAX - 1);
    e.central = (u32::MAX - 1, u32::MAX - 1);
    package(e)
}

fn good_body() -> String {
    let mut body = p(MARKER);
    body.push_str(&p("We will recruit two apprentices from the local area."));
    body
}

/// `depth` tables nested cell in cell, the innermost cell holding text.
pub fn nested_tables(depth: usize) -> Vec<u8> {
    let open = "<w:tbl><w:tr><w:tc>";
    let close = "</w:tc></w:tr></w:tbl>";
    let body = format!(
        "{}{}{}{}{}",
        p(MARKER),
        open.repeat(depth),
        p("innermost cell"),
        close.repeat(depth),
        p("after the tables")
    );
    with_body(&body)
}

/// `depth` block-level content controls nested in each other.
pub fn nested_sdt(depth: usize) -> Vec<u8> {
    let open = "<w:sdt><w:sdtPr><w:alias w:val=\"x\"/></w:sdtPr><w:sdtContent>";
    let close = "</w:sdtContent></w:sdt>";
    let body = format!(
        "{}{}{}{}",
        p(MARKER),
        open.repeat(depth),
        p("innermost control"),
        close.repeat(depth)
    );
    with_body(&body)
}

/// `depth` nested unknown elements inside a run.
pub fn nested_elements(depth: usize) -> Vec<u8> {
    let body = format!(
        "{}<w:p><w:r>{}<w:t>deep</w:t>{}</w:r></w:p>",
        p(MARKER),
        "<w:x>".repeat(depth),
        "</w:x>".repeat(depth)
    );
    with_body(&body)
}

/// One run of `len` letters with no space or line break, deflated (about `len`/1000 bytes).
pub fn long_run(len: u64) -> Vec<u8> {
    let head = format!("{}{}<w:p><w:r><w:t>", head(), p(MARKER));
    let tail = format!("</w:t></w:r></w:p>{TAIL}");
    let chunk = vec![b'a'; MIB];
    let times = len / MIB as u64;
    let data = deflate_repeated(head.as_bytes(), &chunk, times, tail.as_bytes());
    let size = head.len() as u64 + MIB as u64 * times + tail.len() as u64;
    package(ZipEntry {
        name: "word/document.xml".into(),
        method: Method::Deflated,
        crc: crc32_repeated(head.as_bytes(), &chunk, times, tail.as_bytes()),
        local: (data.len() as u32, size as u32),
        central: (data.len() as u32, size as u32),
        data,
    })
}

/// `count` one-letter runs in one paragraph.
pub fn many_runs(count: u64) -> Vec<u8> {
    let head = format!("{}{}<w:p>", head(), p(MARKER));
    let tail = format!("</w:p>{TAIL}");
    let chunk = "<w:r><w:t>a</w:t></w:r>".repeat(1000);
    let times = count / 1000;
    let data = deflate_repeated(head.as_bytes(), chunk.as_bytes(), times, tail.as_bytes());
    let size = head.len() as u64 + chunk.len() as u64 * times + tail.len() as u64;
    package(ZipEntry {
        name: "word/document.xml".into(),
        method: Method::Deflated,
        crc: crc32_repeated(head.as_bytes(), chunk.as_bytes(), times, tail.as_bytes()),
        local: (data.len() as u32, size as u32),
        central: (data.len() as u32, size as u32),
        data,
    })
}

/// `word/document.xml` in UTF-8 with invalid bytes inside text: a lone continuation byte, a
/// truncated sequence, an overlong encoding, an encoded surrogate and bytes that never occur.
pub fn invalid_utf8() -> Vec<u8> {
    let mut xml = head().into_bytes();
    xml.extend_from_slice(p(MARKER).as_bytes());
    xml.extend_from_slice(b"<w:p><w:r><w:t>bad \x80 byte, cut \xE2\x82 sequence, overlong \xC0\xAF, surrogate \xED\xA0\x80, never \xFE\xFF here</w:t></w:r></w:p>");
    xml.extend_from_slice(p("after the bad bytes").as_bytes());
    xml.extend_from_slice(TAIL.as_bytes());
    package(ZipEntry::deflated("word/document.xml", &xml))
}

/// `word/document.xml` in UTF-16LE (with a byte-order mark) holding lone surrogates, a
/// reversed pair, and an odd trailing byte.
pub fn invalid_utf16() -> Vec<u8> {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><w:document xmlns:w=\"{W_NS}\"><w:body>{}\
         <w:p><w:r><w:t>lone HIGH here, lone LOW here, reversed PAIR here</w:t></w:r></w:p>\
         {}{TAIL}",
        p(MARKER),
        p("after the bad units")
    );
    let mut units: Vec<u16> = Vec::new();
    for unit in xml.encode_utf16() {
        units.push(unit);
    }
    // Replace the placeholders' first letter with the bad units.
    let text: Vec<u16> = "HIGH".encode_utf16().collect();
    let low: Vec<u16> = "LOW".encode_utf16().collect();
    let pair: Vec<u16> = "PAIR".encode_utf16().collect();
    replace_units(&mut units, &text, &[0xD800]);
    replace_units(&mut units, &low, &[0xDC00]);
    replace_units(&mut units, &pair, &[0xDC00, 0xD800]);
    let mut bytes = vec![0xFF, 0xFE];
    for u in units {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    bytes.push(0x41);
    package(ZipEntry::deflated("word/document.xml", &bytes))
}

fn replace_units(units: &mut Vec<u16>, from: &[u16], to: &[u16]) {
    if let Some(at) = units.windows(from.len()).position(|w| w == from) {
        units.splice(at..at + from.len(), to.iter().copied());
    }
}

/// Character references to code points XML forbids: surrogates, NUL, past U+10FFFF.
pub fn bad_char_refs() -> Vec<u8> {
    with_body(&format!(
        "{}{}",
        p(MARKER),
        p("refs &#xD800; &#xDC00; &#0; &#x110000; &#99999999999; &#xFFFE; &bogus; end")
    ))
}

/// A document type declaration with entities that expand to 10^9 copies of a word.
pub fn billion_laughs() -> Vec<u8> {
    let mut dtd = String::from("<!DOCTYPE w:document [<!ENTITY lol0 \"lol\">");
    for i in 1..10 {
        let prev = format!("&lol{};", i - 1);
        dtd.push_str(&format!("<!ENTITY lol{i} \"{}\">", prev.repeat(10)));
    }
    dtd.push(']');
    dtd.push('>');
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>{dtd}<w:document xmlns:w="{W_NS}"><w:body>{}{}{TAIL}"#,
        p(MARKER),
        p("&lol9;")
    );
    package(ZipEntry::deflated("word/document.xml", xml.as_bytes()))
}

/// A password-protected DOCX as Word writes it: an OLE compound file (not a zip) holding
/// `EncryptionInfo` and `EncryptedPackage` streams; the encrypted bytes are random.
pub fn password_protected() -> Vec<u8> {
    ole("EncryptionInfo", "EncryptedPackage")
}

/// A legacy Word file (`.doc`): an OLE compound file holding `1Table` and `WordDocument`.
pub fn legacy_doc() -> Vec<u8> {
    ole("1Table", "WordDocument")
}

/// A valid CFB file (version 3, 512-byte sectors, one FAT sector, one directory sector) of
/// two streams (4 KiB and 8.5 KiB), `small` sorting before `large` (shorter names first).
fn ole(small: &str, large: &str) -> Vec<u8> {
    const SECTOR: usize = 512;
    const FREE: u32 = 0xFFFF_FFFF;
    const END: u32 = 0xFFFF_FFFE;
    const FAT: u32 = 0xFFFF_FFFD;
    // Streams of at least 4096 bytes live in ordinary sectors (no mini stream needed). The
    // small stream holds an agile-encryption header and the large one random bytes, whatever
    // their names: only the names tell a password-protected package from a .doc.
    let mut info = b"\x04\x00\x04\x00\x40\x00\x00\x00<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<encryption xmlns=\"http://schemas.microsoft.com/office/2006/encryption\"><keyData saltSize=\"16\" blockSize=\"16\" keyBits=\"256\" hashSize=\"64\" cipherAlgorithm=\"AES\" cipherChaining=\"ChainingModeCBC\" hashAlgorithm=\"SHA512\" saltValue=\"AAAAAAAAAAAAAAAAAAAAAA==\"/></encryption>".to_vec();
    info.resize(4096, 0);
    let mut package = (8192u64).to_le_bytes().to_vec();
    let mut x: u32 = 0x2545_F491;
    while package.len() < 8192 + 8 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        package.push((x >> 24) as u8);
    }
    package.resize(8704, 0);
    // Sector 0: FAT; 1: directory; 2..: the small stream (8 sectors); then the large one.
    let info_start = 2u32;
    let info_sectors = (info.len() / SECTOR) as u32;
    let pkg_start = info_start + info_sectors;
    let pkg_sectors = (package.len() / SECTOR) as u32;
    let mut fat = vec![FAT, END];
    for i in 0..info_sectors {
        fat.push(if i + 1 == info_sectors {
            END
        } else {
            info_start + i + 1
        });
    }
    for i in 0..pkg_sectors {
        fat.push(if i + 1 == pkg_sectors {
            END
        } else {
            pkg_start + i + 1
        });
    }
    fat.resize(SECTOR / 4, FREE);

    let mut out = Vec::new();
    out.extend_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    out.extend_from_slice(&[0u8; 16]); // CLSID
    out.extend_from_slice(&0x003Eu16.to_le_bytes()); // minor version
    out.extend_from_slice(&0x0003u16.to_le_bytes()); // major version 3
    out.extend_from_slice(&0xFFFEu16.to_le_bytes()); // little-endian
    out.extend_from_slice(&9u16.to_le_bytes()); // sector shift: 512
    out.extend_from_slice(&6u16.to_le_bytes()); // mini sector shift: 64
    out.extend_from_slice(&[0u8; 6]);
    out.extend_from_slice(&0u32.to_le_bytes()); // directory sectors (0 for v3)
    out.extend_from_slice(&1u32.to_le_bytes()); // FAT sectors
    out.extend_from_slice(&1u32.to_le_bytes()); // first directory sector
    out.extend_from_slice(&0u32.to_le_bytes()); // transaction signature
    out.extend_from_slice(&4096u32.to_le_bytes()); // mini stream cutoff
    out.extend_from_slice(&END.to_le_bytes()); // first mini FAT sector
    out.extend_from_slice(&0u32.to_le_bytes()); // mini FAT sectors
    out.extend_from_slice(&END.to_le_bytes()); // first DIFAT sector
    out.extend_from_slice(&0u32.to_le_bytes()); // DIFAT sectors
    out.extend_from_slice(&0u32.to_le_bytes()); // DIFAT[0]: the FAT is sector 0
    while out.len() < SECTOR {
        out.extend_from_slice(&FREE.to_le_bytes());
    }
    for v in &fat {
        out.extend_from_slice(&v.to_le_bytes());
    }
    // Directory: root, the small stream (left child of the large one in the red-black tree).
    let entry = |name: &str, kind: u8, left: u32, right: u32, child: u32, start: u32, size: u64| {
        let mut e = Vec::with_capacity(128);
        let units: Vec<u16> = name.encode_utf16().chain(std::iter::once(0)).collect();
        for u in &units {
            e.extend_from_slice(&u.to_le_bytes());
        }
        e.resize(64, 0);
        e.extend_from_slice(&((units.len() * 2) as u16).to_le_bytes());
        e.push(kind);
        e.push(1); // black
        e.extend_from_slice(&left.to_le_bytes());
        e.extend_from_slice(&right.to_le_bytes());
        e.extend_from_slice(&child.to_le_bytes());
        e.extend_from_slice(&[0u8; 16]); // CLSID
        e.extend_from_slice(&0u32.to_le_bytes()); // state bits
        e.extend_from_slice(&[0u8; 16]); // times
        e.extend_from_slice(&start.to_le_bytes());
        e.extend_from_slice(&size.to_le_bytes());
        e
    };
    out.extend(entry("Root Entry", 5, FREE, FREE, 2, END, 0));
    out.extend(entry(
        small,
        2,
        FREE,
        FREE,
        FREE,
        info_start,
        info.len() as u64,
    ));
    out.extend(entry(
        large,
        2,
        1,
        FREE,
        FREE,
        pkg_start,
        package.len() as u64,
    ));
    out.extend(entry("", 0, FREE, FREE, FREE, 0, 0));
    out.extend_from_slice(&info);
    out.extend_from_slice(&package);
    out
}

const DOC_RELS_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#;
const REL_BASE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The main document names itself as its own header, footer, footnotes, endnotes, comments,
/// styles and numbering, and its section uses that header and footer.
pub fn relationship_cycle() -> Vec<u8> {
    let mut rels = DOC_RELS_HEAD.to_string();
    for (i, kind) in [
        "header",
        "footer",
        "footnotes",
        "endnotes",
        "comments",
        "styles",
        "numbering",
    ]
    .iter()
    .enumerate()
    {
        rels.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="{REL_BASE}/{kind}" Target="document.xml"/>"#,
            i + 1
        ));
    }
    rels.push_str("</Relationships>");
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}" xmlns:r="{REL_BASE}"><w:body>{}<w:sectPr><w:headerReference w:type="default" r:id="rId1"/><w:footerReference w:type="default" r:id="rId2"/></w:sectPr>{TAIL}"#,
        p(MARKER)
    );
    write_zip(&[
        ZipEntry::deflated("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ZipEntry::deflated("_rels/.rels", RELS.as_bytes()),
        ZipEntry::deflated("word/_rels/document.xml.rels", rels.as_bytes()),
        ZipEntry::deflated("word/document.xml", xml.as_bytes()),
    ])
}

/// `word/styles.xml` inflates past the size it declares; the document itself is fine.
pub fn styles_lying() -> Vec<u8> {
    let rels = format!(
        r#"{DOC_RELS_HEAD}<Relationship Id="rId1" Type="{REL_BASE}/styles" Target="styles.xml"/></Relationships>"#
    );
    let styles = format!(
        r#"<?xml version="1.0"?><w:styles xmlns:w="{W_NS}">{}</w:styles>"#,
        r#"<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>"#
            .repeat(200)
    );
    let xml = format!("{}{}{TAIL}", head(), good_body());
    write_zip(&[
        ZipEntry::deflated("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ZipEntry::deflated("_rels/.rels", RELS.as_bytes()),
        ZipEntry::deflated("word/_rels/document.xml.rels", rels.as_bytes()),
        ZipEntry::deflated("word/styles.xml", styles.as_bytes()).claim_size(64),
        ZipEntry::deflated("word/document.xml", xml.as_bytes()),
    ])
}

/// Three headers of 200 MB each (under the per-entry limit, past the per-file total).
pub fn headers_past_total() -> Vec<u8> {
    let mut rels = DOC_RELS_HEAD.to_string();
    let mut entries = vec![
        ZipEntry::deflated("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ZipEntry::deflated("_rels/.rels", RELS.as_bytes()),
    ];
    let head = format!(r#"<?xml version="1.0"?><w:hdr xmlns:w="{W_NS}">"#);
    let tail = "<w:p><w:r><w:t>header</w:t></w:r></w:p></w:hdr>";
    let chunk = vec![b' '; MIB];
    let times = 200;
    let data = deflate_repeated(head.as_bytes(), &chunk, times, tail.as_bytes());
    let size = (head.len() + MIB * times as usize + tail.len()) as u32;
    let crc = crc32_repeated(head.as_bytes(), &chunk, times, tail.as_bytes());
    let mut refs = String::new();
    for (i, kind) in ["default", "first", "even"].iter().enumerate() {
        let name = format!("header{}.xml", i + 1);
        rels.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="{REL_BASE}/header" Target="{name}"/>"#,
            i + 1
        ));
        refs.push_str(&format!(
            r#"<w:headerReference w:type="{kind}" r:id="rId{}"/>"#,
            i + 1
        ));
        entries.push(ZipEntry {
            name: format!("word/{name}"),
            method: Method::Deflated,
            data: data.clone(),
            crc,
            local: (data.len() as u32, size),
            central: (data.len() as u32, size),
        });
    }
    rels.push_str("</Relationships>");
    entries.push(ZipEntry::deflated(
        "word/_rels/document.xml.rels",
        rels.as_bytes(),
    ));
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}" xmlns:r="{REL_BASE}"><w:body>{}<w:sectPr>{refs}<w:titlePg/></w:sectPr>{TAIL}"#,
        p(MARKER)
    );
    entries.push(ZipEntry::deflated("word/document.xml", xml.as_bytes()));
    write_zip(&entries)
}

/// A package of `n` entries (all but three of them unused), under the 65,535 of a plain zip.
pub fn many_entries(n: usize) -> Vec<u8> {
    let mut entries = vec![
        ZipEntry::deflated("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ZipEntry::deflated("_rels/.rels", RELS.as_bytes()),
        ZipEntry::deflated(
            "word/document.xml",
            format!("{}{}{TAIL}", head(), good_body()).as_bytes(),
        ),
    ];
    for i in 0..n.saturating_sub(3) {
        entries.push(ZipEntry::stored(&format!("customXml/item{i}.xml"), b"<a/>"));
    }
    write_zip(&entries)
}

/// Two entries named `word/document.xml`, each a readable document, and two named
/// `[Content_Types].xml` in different case.
pub fn duplicate_names() -> Vec<u8> {
    write_zip(&[
        ZipEntry::deflated("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ZipEntry::deflated("[content_types].XML", b"not xml at all"),
        ZipEntry::deflated("_rels/.rels", RELS.as_bytes()),
        ZipEntry::deflated(
            "word/document.xml",
            format!("{}{}{TAIL}", head(), good_body()).as_bytes(),
        ),
        ZipEntry::deflated(
            "word/document.xml",
            format!(
                "{}{}{TAIL}",
                head(),
                p("The second entry of the same name.")
            )
            .as_bytes(),
        ),
    ])
}

/// An attribute value of `len` bytes and an element with 100,000 attributes.
pub fn huge_attributes(len: usize) -> Vec<u8> {
    let attrs: String = (0..100_000).map(|i| format!(" w:a{i}=\"{i}\"")).collect();
    with_body(&format!(
        "{}<w:p w:rsidR=\"{}\"><w:r><w:t>long attribute</w:t></w:r></w:p><w:p{attrs}><w:r><w:t>many attributes</w:t></w:r></w:p>",
        p(MARKER),
        "A".repeat(len)
    ))
}

/// A table whose cell spans four billion columns, and a row of 100,000 cells.
pub fn wide_tables() -> Vec<u8> {
    let cells = "<w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc>".repeat(100_000);
    with_body(&format!(
        "{}<w:tbl><w:tblGrid><w:gridCol w:w=\"-5\"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"4294967295\"/><w:vMerge w:val=\"restart\"/></w:tcPr>{}</w:tc><w:tc><w:tcPr><w:gridSpan w:val=\"-7\"/></w:tcPr>{}</w:tc></w:tr><w:tr>{cells}</w:tr></w:tbl>",
        p(MARKER),
        p("spanning"),
        p("negative span")
    ))
}

/// `count` paragraphs, each `text` (empty paragraphs if `text` is empty).
pub fn many_paragraphs(count: u64, text: &str) -> Vec<u8> {
    let head = format!("{}{}", head(), p(MARKER));
    let para = if text.is_empty() {
        "<w:p/>".to_string()
    } else {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    };
    let chunk = para.repeat(1000);
    let times = count / 1000;
    let data = deflate_repeated(head.as_bytes(), chunk.as_bytes(), times, TAIL.as_bytes());
    let size = head.len() as u64 + chunk.len() as u64 * times + TAIL.len() as u64;
    package(ZipEntry {
        name: "word/document.xml".into(),
        method: Method::Deflated,
        crc: crc32_repeated(head.as_bytes(), chunk.as_bytes(), times, TAIL.as_bytes()),
        local: (data.len() as u32, size as u32),
        central: (data.len() as u32, size as u32),
        data,
    })
}
