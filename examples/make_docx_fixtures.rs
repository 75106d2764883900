//! Writes the DOCX feature fixtures in `fixtures/features/docx/`: one small file per extraction
//! case (headings, lists, tables, fields, text boxes, notes, tracked changes, hostile zips, ...).
//!
//! The parts are written as XML by hand and zipped with the `zip` crate, so each file holds
//! exactly the construct under test and nothing a word processor would add. The output is
//! deterministic (fixed zip timestamps), so re-running it leaves the committed files unchanged.
//! `tests/docx_extract.rs` checks what tenderscope reads from each.
//!
//! ```text
//! cargo run --example make_docx_fixtures [-- OUT_DIR]
//! ```

use std::io::{Cursor, Write};
use std::path::PathBuf;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const NS: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" "#,
    r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#,
    r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" "#,
    r#"xmlns:v="urn:schemas-microsoft-com:vml" "#,
    r#"xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math""#
);
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const MAIN_CT: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";

/// A part to add besides the main document: relationship type (last segment), part name,
/// content type, content.
struct Part {
    rel: &'static str,
    name: String,
    content_type: &'static str,
    xml: String,
}

fn part(rel: &'static str, name: &str, xml: String) -> Part {
    let content_type = match rel {
        "styles" => "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
        "numbering" => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"
        }
        "footnotes" => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
        }
        "endnotes" => "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
        "comments" => "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
        "header" => "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
        "footer" => "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
        _ => "application/xml",
    };
    Part {
        rel,
        name: name.to_string(),
        content_type,
        xml,
    }
}

/// The main document around `body` (the children of `w:body`).
fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {NS}><w:body>{body}</w:body></w:document>"#
    )
}

/// A paragraph with one run of text.
fn p(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

/// A paragraph in a style.
fn ps(style: &str, text: &str) -> String {
    format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
}

fn zip_options() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)
}

/// Zip named entries as they are.
fn zip_entries(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        zip.start_file(name.as_str(), zip_options())
            .expect("start zip entry");
        zip.write_all(data).expect("write zip entry");
    }
    zip.finish().expect("finish zip").into_inner()
}

/// A whole package: content types, package relationships, properties, the main document at
/// `main_name`, its relationships (`extra` parts and external hyperlinks).
fn package(main_name: &str, main_xml: &str, extra: &[Part], links: &[(&str, &str)]) -> Vec<u8> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>"#,
    );
    types.push_str(&format!(
        r#"<Override PartName="/{main_name}" ContentType="{MAIN_CT}"/>"#
    ));
    for p in extra {
        types.push_str(&format!(
            r#"<Override PartName="/{}" ContentType="{}"/>"#,
            p.name, p.content_type
        ));
    }
    types.push_str(r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#);

    let pkg_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="{main_name}"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/></Relationships>"#
    );
    let core = r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>Feature fixture</dc:title><dc:creator>Northgate Facilities Ltd</dc:creator><dcterms:created>2024-03-01T09:00:00Z</dcterms:created><dcterms:modified>2024-03-02T10:30:00Z</dcterms:modified></cp:coreProperties>"#;
    let app = r#"<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>tenderscope fixture writer</Application></Properties>"#;

    let (dir, file) = main_name.rsplit_once('/').unwrap_or(("", main_name));
    let mut doc_rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, p) in extra.iter().enumerate() {
        // Targets are relative to the main part's folder.
        let target = p
            .name
            .strip_prefix(&format!("{dir}/"))
            .unwrap_or(&p.name)
            .to_string();
        doc_rels.push_str(&format!(
            r#"<Relationship Id="rIdP{i}" Type="{REL}/{}" Target="{target}"/>"#,
            p.rel
        ));
    }
    for (id, url) in links {
        doc_rels.push_str(&format!(
            r#"<Relationship Id="{id}" Type="{REL}/hyperlink" Target="{url}" TargetMode="External"/>"#
        ));
    }
    doc_rels.push_str("</Relationships>");
    let rels_name = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };

    let mut entries = vec![
        ("[Content_Types].xml".to_string(), types.into_bytes()),
        ("_rels/.rels".to_string(), pkg_rels.into_bytes()),
        ("docProps/core.xml".to_string(), core.as_bytes().to_vec()),
        ("docProps/app.xml".to_string(), app.as_bytes().to_vec()),
        (main_name.to_string(), main_xml.as_bytes().to_vec()),
        (rels_name, doc_rels.into_bytes()),
    ];
    for p in extra {
        entries.push((p.name.clone(), p.xml.clone().into_bytes()));
    }
    zip_entries(&entries)
}

fn simple(body: &str, extra: &[Part]) -> Vec<u8> {
    package("word/document.xml", &document(body), extra, &[])
}

fn styles_part() -> Part {
    part(
        "styles",
        "word/styles.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:styles {NS}>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="SupplierHeading"><w:name w:val="Supplier Heading"/><w:basedOn w:val="berschrift2"/></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="character" w:styleId="Heading1Char"><w:name w:val="Heading 1 Char"/></w:style>
</w:styles>"#
        ),
    )
}

fn numbering_part() -> Part {
    part(
        "numbering",
        "word/numbering.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering {NS}>
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#xF0B7;"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"#
        ),
    )
}

fn headings() -> Vec<u8> {
    let body = [
        ps("Title", "Social Value Plan"),
        ps("Heading1", "Local Employment"),
        p("We will recruit from the borough."),
        ps("berschrift2", "Apprenticeships"),
        p("Four apprentices a year."),
        ps("SupplierHeading", "Care Leavers"),
        p("Two places ring-fenced for care leavers."),
        r#"<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>Direct Outline Heading</w:t></w:r></w:p>"#.to_string(),
        ps("Heading1", "Environment"),
        p("Electric fleet by 2026."),
    ]
    .concat();
    simple(&body, &[styles_part()])
}

fn lists() -> Vec<u8> {
    let item = |num: &str, lvl: u8, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    };
    let body = [
        p("Our commitments:"),
        item("1", 0, "Pay the real living wage"),
        item("1", 1, "including subcontractors"),
        item("2", 0, "Numbered first"),
        item("2", 0, "Numbered second"),
        ps("ListBullet", "Bullet by style"),
        item("0", 0, "Not a list (numId 0)"),
        item("99", 0, "Not a list (undefined numId)"),
    ]
    .concat();
    simple(&body, &[styles_part(), numbering_part()])
}

fn cell(text: &str) -> String {
    format!("<w:tc>{}</w:tc>", p(text))
}

fn table() -> Vec<u8> {
    let body = format!(
        r#"{}<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
<w:tr>{}{}{}</w:tr>
<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>{}</w:tc>{}</w:tr>
<w:tr>{}<w:tc>{}{}</w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>
</w:tbl>{}"#,
        p("Before the table."),
        cell("Measure"),
        cell("Target"),
        cell("Year"),
        p("Apprentices (spans two columns)"),
        cell("2025"),
        cell("Local spend"),
        p("First paragraph of a cell"),
        p("second paragraph of a cell"),
        p("After the table."),
    );
    simple(&body, &[])
}

fn nested_table() -> Vec<u8> {
    let inner = format!(
        "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
        cell("Inner A"),
        cell("Inner B")
    );
    let body = format!(
        r#"<w:tbl><w:tr><w:tc>{}{inner}{}</w:tc>{}</w:tr></w:tbl>"#,
        p("Outer before"),
        p("Outer after"),
        cell("Outer right"),
    );
    // And a table nested 40 deep, well within the depth limit.
    let mut deep = p("Deepest cell");
    for _ in 0..40 {
        deep = format!("<w:tbl><w:tr><w:tc>{deep}</w:tc></w:tr></w:tbl><w:p/>");
    }
    simple(&format!("{body}{}{deep}", p("Between tables")), &[])
}

fn hyperlink() -> Vec<u8> {
    let body = [
        r#"<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r><w:hyperlink r:id="rIdL1"><w:r><w:t>our policy page</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve"> and </w:t></w:r><w:hyperlink w:anchor="annex"><w:r><w:t>Annex A</w:t></w:r></w:hyperlink><w:r><w:t>.</w:t></w:r></w:p>"#,
        r#"<w:p><w:fldSimple w:instr=" HYPERLINK &quot;https://example.org/sv&quot; "><w:r><w:t>simple field link</w:t></w:r></w:fldSimple></w:p>"#,
    ]
    .concat();
    package(
        "word/document.xml",
        &document(&body),
        &[],
        &[("rIdL1", "https://example.org/policy")],
    )
}

fn field() -> Vec<u8> {
    let body = [
        // A complex field: the code (instrText) is dropped, the result kept.
        r#"<w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> of the plan.</w:t></w:r></w:p>"#,
        // A nested field inside a field code: its result belongs to the code, not the text.
        r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>IF </w:instrText></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>MERGEFIELD Region</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>CODEONLY</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:instrText> = "North" "Yes" "No"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Northern region result</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
        r#"<w:p><w:fldSimple w:instr=" DATE \@ &quot;d MMMM yyyy&quot; "><w:r><w:t>1 March 2024</w:t></w:r></w:fldSimple></w:p>"#,
    ]
    .concat();
    simple(&body, &[])
}

fn content_control() -> Vec<u8> {
    let body = [
        r#"<w:sdt><w:sdtPr><w:alias w:val="Supplier name"/><w:tag w:val="PROPERTY"/><w:placeholder><w:docPart w:val="X"/></w:placeholder></w:sdtPr><w:sdtContent>"#,
        &p("Northgate Facilities Ltd"),
        r#"</w:sdtContent></w:sdt>"#,
        r#"<w:p><w:r><w:t xml:space="preserve">Contract value: </w:t></w:r><w:sdt><w:sdtPr><w:alias w:val="Value"/><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:t>£1.2m</w:t></w:r></w:sdtContent></w:sdt></w:p>"#,
    ]
    .concat();
    simple(&body, &[])
}

fn textbox() -> Vec<u8> {
    let box_para = p("Pull quote: 40 local jobs");
    let anchored = format!(
        r#"<w:p><w:r><w:t xml:space="preserve">Anchor paragraph. </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="Text Box 1" descr="not text"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent>{box_para}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{box_para}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#
    );
    // A VML-only text box (older files): read once.
    let legacy_para = p("Legacy VML box");
    let legacy = format!(
        r#"<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent>{legacy_para}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"#
    );
    simple(&format!("{anchored}{legacy}"), &[])
}

fn header_footer() -> Vec<u8> {
    let hdr = |text: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:hdr {NS}>{}</w:hdr>"#,
            p(text)
        )
    };
    let ftr = |text: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:ftr {NS}><w:p><w:r><w:t xml:space="preserve">{text} </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>"#
        )
    };
    let body = format!(
        r#"{}<w:p><w:pPr><w:sectPr><w:headerReference w:type="first" r:id="rIdP1"/><w:headerReference w:type="default" r:id="rIdP0"/><w:footerReference w:type="default" r:id="rIdP3"/><w:titlePg/></w:sectPr></w:pPr><w:r><w:t>Section one body.</w:t></w:r></w:p>{}<w:sectPr><w:headerReference w:type="default" r:id="rIdP2"/><w:footerReference w:type="default" r:id="rIdP3"/></w:sectPr>"#,
        p("Opening paragraph."),
        p("Section two body."),
    );
    simple(
        &body,
        &[
            part(
                "header",
                "word/header1.xml",
                hdr("Default header section one"),
            ),
            part("header", "word/header2.xml", hdr("First page header")),
            part("header", "word/header3.xml", hdr("Header section two")),
            part("footer", "word/footer1.xml", ftr("Shared footer page")),
            part("footer", "word/footer2.xml", ftr("Unreferenced footer")),
        ],
    )
}

fn notes() -> Vec<u8> {
    let note = |kind: &str, id: &str, typ: Option<&str>, text: &str| {
        let typ = typ.map_or(String::new(), |t| format!(r#" w:type="{t}""#));
        format!(r#"<w:{kind} w:id="{id}"{typ}>{}</w:{kind}>"#, p(text))
    };
    let footnotes = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {NS}>{}{}{}</w:footnotes>"#,
        note("footnote", "-1", Some("separator"), "SEPARATOR"),
        note(
            "footnote",
            "0",
            Some("continuationSeparator"),
            "CONTINUATION"
        ),
        note(
            "footnote",
            "1",
            None,
            "Source: ONS 2023 local labour market data."
        ),
    );
    let endnotes = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:endnotes {NS}>{}{}</w:endnotes>"#,
        note("endnote", "-1", Some("separator"), "SEPARATOR"),
        note("endnote", "1", None, "Endnote: figures audited annually."),
    );
    let body = r#"<w:p><w:r><w:t>We employ 120 local people.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t xml:space="preserve"> Audited.</w:t></w:r><w:r><w:endnoteReference w:id="1"/></w:r></w:p>"#;
    simple(
        body,
        &[
            part("footnotes", "word/footnotes.xml", footnotes),
            part("endnotes", "word/endnotes.xml", endnotes),
        ],
    )
}

fn comments() -> Vec<u8> {
    let comments = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:comments {NS}><w:comment w:id="0" w:author="Evaluator">{}</w:comment><w:comment w:id="1" w:author="Evaluator">{}</w:comment></w:comments>"#,
        p("Is this figure verified?"),
        p("Unanchored reviewer note."),
    );
    let body = [
        r#"<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>We will plant 500 trees.</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>"#.to_string(),
        p("Second paragraph."),
    ]
    .concat();
    simple(&body, &[part("comments", "word/comments.xml", comments)])
}

fn tracked_changes() -> Vec<u8> {
    let body = [
        r#"<w:p><w:r><w:t xml:space="preserve">We will hire </w:t></w:r><w:del w:id="1" w:author="A"><w:r><w:delText>ten</w:delText></w:r></w:del><w:ins w:id="2" w:author="A"><w:r><w:t>twelve</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> apprentices.</w:t></w:r></w:p>"#,
        r#"<w:p><w:moveFrom w:id="3" w:author="A"><w:r><w:t>Moved sentence.</w:t></w:r></w:moveFrom></w:p>"#,
        r#"<w:p><w:moveTo w:id="4" w:author="A"><w:r><w:t>Moved sentence.</w:t></w:r></w:moveTo></w:p>"#,
        r#"<w:p><w:r><w:rPr><w:b/><w:rPrChange w:id="5" w:author="A"><w:rPr><w:i/></w:rPr></w:rPrChange></w:rPr><w:t>Formatting changed.</w:t></w:r></w:p>"#,
    ]
    .concat();
    simple(&body, &[])
}

fn special_chars() -> Vec<u8> {
    let body = [
        r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Name</w:t><w:tab/><w:t>Role</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:t>Line one</w:t><w:br/><w:t>line two</w:t><w:cr/><w:t>line three</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:t>e</w:t><w:noBreakHyphen/><w:t>mail and co</w:t><w:softHyphen/><w:t>operation</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:sym w:font="Symbol" w:char="F0B7"/><w:t xml:space="preserve"> bullet, </w:t><w:sym w:font="Wingdings" w:char="F0FC"/><w:t xml:space="preserve"> tick, </w:t><w:sym w:font="Symbol" w:char="F061"/><w:t xml:space="preserve"> alpha, </w:t><w:sym w:font="Webdings" w:char="F021"/><w:t>unknown dropped</w:t></w:r></w:p>"#,
        "<w:p><w:r><w:rPr><w:rFonts w:ascii=\"Symbol\" w:hAnsi=\"Symbol\"/></w:rPr><w:t>\u{F0B7}</w:t></w:r><w:r><w:t xml:space=\"preserve\"> typed symbol bullet</w:t></w:r></w:p>",
        r#"<w:p><w:r><w:t>Page</w:t></w:r><w:r><w:br w:type="page"/></w:r><w:r><w:t>break</w:t></w:r></w:p>"#,
    ]
    .concat();
    simple(&body, &[])
}

fn entities() -> Vec<u8> {
    let body = [
        p("Smith &amp; Sons &lt;Ltd&gt; &quot;quoted&quot; &apos;apos&apos;"),
        p("caf&#233; &#x2014; na&#xEF;ve &#8364;5"),
        p("bad &#xD800; ref and &#0; zero"),
        r#"<w:p><w:r><w:t><![CDATA[cdata <kept> & raw]]></w:t></w:r></w:p>"#.to_string(),
    ]
    .concat();
    simple(&body, &[])
}

/// A main document that inflates to 64 MiB of zeros-like XML (about 64 KiB compressed), and a
/// styles part of another 64 MiB: past any small per-entry or total limit.
fn zip_bomb() -> Vec<u8> {
    let doc = document(&p("Bomb carrier."));
    let mut padded = doc.into_bytes();
    // Whitespace after the root element is legal XML and compresses ~1000:1.
    padded.extend(std::iter::repeat_n(b' ', 64 << 20));
    let mut entries = base_entries();
    entries.push(("word/document.xml".to_string(), padded));
    zip_entries(&entries)
}

/// The package parts every minimal file needs, without the main document.
fn base_entries() -> Vec<(String, Vec<u8>)> {
    let types = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="{MAIN_CT}"/></Types>"#
    );
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>"#
    );
    vec![
        ("[Content_Types].xml".to_string(), types.into_bytes()),
        ("_rels/.rels".to_string(), rels.into_bytes()),
    ]
}

/// Rewrite the uncompressed size that the local and central headers declare for `name`.
fn patch_declared_size(zip: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    let mut i = 0;
    while i + 46 <= zip.len() {
        let sig = &zip[i..i + 4];
        if sig == b"PK\x03\x04" {
            let n = u16::from_le_bytes([zip[i + 26], zip[i + 27]]) as usize;
            if zip.get(i + 30..i + 30 + n) == Some(name) {
                zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
            }
        } else if sig == b"PK\x01\x02" {
            let n = u16::from_le_bytes([zip[i + 28], zip[i + 29]]) as usize;
            if zip.get(i + 46..i + 46 + n) == Some(name) {
                zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
            }
        }
        i += 1;
    }
}

/// A document entry that declares 200 bytes but inflates to 8 MiB.
fn lying_size() -> Vec<u8> {
    let mut doc = document(&p("Liar entry.")).into_bytes();
    doc.extend(std::iter::repeat_n(b' ', 8 << 20));
    let mut entries = base_entries();
    entries.push(("word/document.xml".to_string(), doc));
    let mut zip = zip_entries(&entries);
    patch_declared_size(&mut zip, "word/document.xml", 200);
    zip
}

/// 100 000 nested elements: past the XML depth limit.
fn deep_nesting() -> Vec<u8> {
    let n = 100_000;
    let body = format!(
        "{}{}{}{}",
        p("Before the deep part."),
        "<w:sdt><w:sdtContent>".repeat(n),
        p("Too deep."),
        "</w:sdtContent></w:sdt>".repeat(n)
    );
    simple(&body, &[])
}

/// The main document cut off in the middle of a run.
fn truncated_xml() -> Vec<u8> {
    let full = document(
        &[
            p("First paragraph survives."),
            p("Second paragraph is cut off here"),
        ]
        .concat(),
    );
    let cut = full
        .find("cut off here")
        .map_or(full.len(), |i| i + "cut off here".len());
    let mut entries = base_entries();
    entries.push((
        "word/document.xml".to_string(),
        full.as_bytes()[..cut].to_vec(),
    ));
    zip_entries(&entries)
}

/// Strict OOXML namespaces, and a main part not named `document.xml`, found only through
/// the package relationships.
fn strict() -> Vec<u8> {
    let strict_ns = r#"xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main" xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships""#;
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {strict_ns}><w:body><w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Strict heading</w:t></w:r></w:p><w:p><w:r><w:t>Strict body text.</w:t></w:r></w:p></w:body></w:document>"#
    );
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:styles {strict_ns}><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>"#
    );
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/content/main.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="/content/main.xml"/></Relationships>"#;
    let doc_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/styles" Target="../style%20sheet.xml"/></Relationships>"#;
    zip_entries(&[
        ("[Content_Types].xml".to_string(), types.as_bytes().to_vec()),
        ("_rels/.rels".to_string(), rels.as_bytes().to_vec()),
        ("content/main.xml".to_string(), doc.into_bytes()),
        (
            "content/_rels/main.xml.rels".to_string(),
            doc_rels.as_bytes().to_vec(),
        ),
        ("style sheet.xml".to_string(), styles.into_bytes()),
    ])
}

/// The main document's deflate data overwritten with junk in the middle.
fn corrupt_deflate() -> Vec<u8> {
    let mut body = String::new();
    for i in 0..400 {
        body.push_str(&p(&format!(
            "Paragraph {i} of a long method statement about local jobs."
        )));
    }
    let mut entries = base_entries();
    entries.push((
        "word/document.xml".to_string(),
        document(&body).into_bytes(),
    ));
    let mut zip = zip_entries(&entries);
    // The document entry is the last local entry: damage bytes in its compressed data.
    let name = b"word/document.xml";
    if let Some(at) = zip.windows(name.len()).position(|w| w == name) {
        let start = at + name.len() + 600;
        for b in zip.iter_mut().skip(start).take(64) {
            *b = 0xFF;
        }
    }
    zip
}

/// A zip package that is a spreadsheet, not a Word document.
fn wrong_content() -> Vec<u8> {
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    zip_entries(&[
        ("[Content_Types].xml".to_string(), types.as_bytes().to_vec()),
        ("_rels/.rels".to_string(), rels.into_bytes()),
        ("xl/workbook.xml".to_string(), b"<workbook/>".to_vec()),
    ])
}

/// Office Math: the equation's text is kept inline.
fn math() -> Vec<u8> {
    let body = r#"<w:p><w:r><w:t xml:space="preserve">Area is </w:t></w:r><m:oMath><m:r><m:t>A=πr</m:t></m:r><m:sSup><m:e><m:r><m:t></m:t></m:r></m:e><m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup></m:oMath><w:r><w:t xml:space="preserve"> square metres.</w:t></w:r></w:p>"#;
    simple(body, &[])
}

fn main() {
    let out = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("fixtures/features/docx"), PathBuf::from);
    std::fs::create_dir_all(&out).expect("create output folder");
    type Make = fn() -> Vec<u8>;
    let cases: &[(&str, Make)] = &[
        ("headings", headings),
        ("lists", lists),
        ("table", table),
        ("nested_table", nested_table),
        ("hyperlink", hyperlink),
        ("field", field),
        ("content_control", content_control),
        ("textbox", textbox),
        ("header_footer", header_footer),
        ("notes", notes),
        ("comments", comments),
        ("tracked_changes", tracked_changes),
        ("special_chars", special_chars),
        ("entities", entities),
        ("math", math),
        ("strict", strict),
        ("zip_bomb", zip_bomb),
        ("lying_size", lying_size),
        ("deep_nesting", deep_nesting),
        ("truncated_xml", truncated_xml),
        ("corrupt_deflate", corrupt_deflate),
        ("wrong_content", wrong_content),
    ];
    for (name, make) in cases {
        let path = out.join(format!("{name}.docx"));
        let bytes = make();
        std::fs::write(&path, &bytes).expect("write fixture");
        println!("{} ({} bytes)", path.display(), bytes.len());
    }
}
