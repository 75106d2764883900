//! Hostile files of the formats after PDF and DOCX: XLSX bombs (declared and lying), a
//! shared-strings count that would have calamine reserve terabytes, a sheet declaring the
//! whole grid, ODT and ODS bombs and deep nesting, ODS repeats of a whole sheet, RTF group
//! nesting, `\bin` and `\u` abuse, and truncated XLSX, ODT and RTF files.

use super::docx::MARKER;
use super::squeeze::{crc32_repeated, deflate_repeated, write_zip, Method, ZipEntry};

const MIB: usize = 1 << 20;

const XLSX_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const XLSX_WB: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="TOMs" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const XLSX_WB_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

fn sheet_head() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{MARKER}</t></is></c><c r="XFD1048576"><v>1</v></c></row>"#
    )
}

const SHEET_TAIL: &str = "</sheetData></worksheet>";

fn xlsx(sheet: ZipEntry, strings: &str) -> Vec<u8> {
    write_zip(&[
        ZipEntry::deflated("_rels/.rels", XLSX_RELS.as_bytes()),
        ZipEntry::deflated("xl/workbook.xml", XLSX_WB.as_bytes()),
        ZipEntry::deflated("xl/_rels/workbook.xml.rels", XLSX_WB_RELS.as_bytes()),
        ZipEntry::deflated("xl/sharedStrings.xml", strings.as_bytes()),
        sheet,
    ])
}

const NO_STRINGS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>"#;

/// A readable workbook whose sheet declares the whole grid (and uses its last cell).
pub fn xlsx_good() -> Vec<u8> {
    let xml = format!("{}{SHEET_TAIL}", sheet_head());
    xlsx(
        ZipEntry::deflated("xl/worksheets/sheet1.xml", xml.as_bytes()),
        NO_STRINGS,
    )
}

/// A sheet that inflates to 1 GiB of empty rows: declared, or lying that it is 2 kB.
pub fn xlsx_bomb(lying: bool) -> Vec<u8> {
    let head = sheet_head();
    let chunk = b"<row/>".repeat(MIB / 6);
    let times = (1u64 << 30) / chunk.len() as u64;
    let data = deflate_repeated(head.as_bytes(), &chunk, times, SHEET_TAIL.as_bytes());
    let size = head.len() as u64 + chunk.len() as u64 * times + SHEET_TAIL.len() as u64;
    let entry = ZipEntry {
        name: "xl/worksheets/sheet1.xml".into(),
        method: Method::Deflated,
        crc: crc32_repeated(head.as_bytes(), &chunk, times, SHEET_TAIL.as_bytes()),
        local: (data.len() as u32, size as u32),
        central: (data.len() as u32, size as u32),
        data,
    };
    let entry = if lying { entry.claim_size(2048) } else { entry };
    xlsx(entry, NO_STRINGS)
}

/// `uniqueCount` of 2^40 shared strings in a part of a few bytes.
pub fn xlsx_shared_strings_lie() -> Vec<u8> {
    let xml = format!("{}{SHEET_TAIL}", sheet_head());
    xlsx(
        ZipEntry::deflated("xl/worksheets/sheet1.xml", xml.as_bytes()),
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1099511627776" uniqueCount="1099511627776"><si><t>x</t></si></sst>"#,
    )
}

const ODF_NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0""#;

fn odf(mimetype: &str, body: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}><office:body>{body}</office:body></office:document-content>"#
    );
    write_zip(&[
        ZipEntry::stored("mimetype", mimetype.as_bytes()),
        ZipEntry::deflated("content.xml", content.as_bytes()),
    ])
}

/// A readable ODT.
pub fn odt_good() -> Vec<u8> {
    let mut body = format!("<office:text><text:p>{MARKER}.</text:p>");
    for i in 1..=20 {
        body.push_str(&format!(
            "<text:p>Paragraph {i}: we will recruit two apprentices from the local area each year.</text:p>"
        ));
    }
    body.push_str("</office:text>");
    odf("application/vnd.oasis.opendocument.text", &body)
}

/// Lists nested `depth` deep.
pub fn odt_nested_lists(depth: usize) -> Vec<u8> {
    let body = format!(
        "<office:text><text:p>{MARKER}</text:p>{}{}</office:text>",
        "<text:list><text:list-item>".repeat(depth),
        "</text:list-item></text:list>".repeat(depth)
    );
    odf("application/vnd.oasis.opendocument.text", &body)
}

/// A spreadsheet whose one non-empty cell repeats over the whole grid.
pub fn ods_repeated_grid() -> Vec<u8> {
    let body = format!(
        r#"<office:spreadsheet><table:table table:name="TOMs"><table:table-row><table:table-cell><text:p>{MARKER}</text:p></table:table-cell><table:table-cell><text:p>12</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>"#
    );
    odf("application/vnd.oasis.opendocument.spreadsheet", &body)
}

/// A readable RTF.
pub fn rtf_good() -> Vec<u8> {
    let mut s =
        format!("{{\\rtf1\\ansi\\ansicpg1252{{\\fonttbl{{\\f0 Arial;}}}}\\pard {MARKER}.\\par\n");
    for i in 1..=20 {
        s.push_str(&format!(
            "\\pard Paragraph {i}: we will recruit two apprentices from the local area each year.\\par\n"
        ));
    }
    s.push('}');
    s.into_bytes()
}

/// Groups nested `depth` deep, never closed.
pub fn rtf_nested_groups(depth: usize) -> Vec<u8> {
    format!("{{\\rtf1 {MARKER} {}x", "{".repeat(depth)).into_bytes()
}

/// `\bin` counts past the end, huge `\u` and `\uc` numbers, endless control words.
pub fn rtf_abuse() -> Vec<u8> {
    let mut s = format!("{{\\rtf1 {MARKER}\\par ");
    s.push_str(&"\\uc999999999 \\u-99999999999 \\'zz\\u55357\\u56832 ".repeat(10_000));
    s.push_str(
        &"\\abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz-123456789012345 ".repeat(10_000),
    );
    s.push_str("\\bin999999999999 tail}");
    s.into_bytes()
}
