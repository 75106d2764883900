//! Text extraction: one untrusted file in, one [`Document`] or one error out.
//!
//! The format readers ([`pdf`], [`docx`]) are pure functions from bytes to a document. This
//! module is the plumbing around them: reading the file within [`Limits::max_file_bytes`],
//! telling the format from the bytes (not the extension), hashing, the per-file time budget,
//! and `catch_unwind` as the last line of defence so that a bug on one file becomes that
//! file's error row instead of the end of the batch.

pub mod doc;
pub mod docx;
pub mod image;
pub mod isolate;
pub mod ocr;
pub mod odf;
pub mod pdf;
pub mod rtf;
pub mod text;
mod wordlist;
pub mod xlsx;
mod zipcheck;

use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::document::{Document, Format};
use crate::error::{Error, Result};
use crate::limits::{Deadline, Limits};

/// Stamped on every extracted document and cache entry. Bump the suffix whenever a change to
/// a reader, or to how its blocks are cut into passages (`passage::segment`), changes the
/// output, so that re-indexing extracts and segments again instead of trusting the index.
pub const EXTRACTOR_VERSION: &str =
    concat!("tenderscope-extract/", env!("CARGO_PKG_VERSION"), "+9");

/// Tell the format from the first bytes of a file.
pub fn sniff(bytes: &[u8]) -> Result<Format> {
    // PDF readers accept the header anywhere in the first kilobyte; so do we.
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Ok(sniff_zip(bytes));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // An OLE compound file: a password-protected (encrypted) OOXML package keeps its
        // package in a stream named `EncryptedPackage`; anything else is a legacy binary file.
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if bytes.windows(name.len()).any(|w| w == name.as_slice()) {
            return Err(Error::PasswordRequired);
        }
        // A legacy Word document has a `WordDocument` stream; other OLE files (Excel 97,
        // PowerPoint 97, ...) are refused by the DOC reader with a reason.
        return Ok(Format::Doc);
    }
    // Images, read by OCR: JPEG (SOI then a marker), PNG, TIFF in either byte order.
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return Ok(Format::Tiff);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    if text[start..].starts_with(b"{\\rtf") {
        return Ok(Format::Rtf);
    }
    if bytes.is_empty() {
        return Err(Error::UnknownFormat("empty file".into()));
    }
    // Text saved under a document's name is read as text (with a warning that says so).
    if encoding_rs::Encoding::for_bom(bytes).is_some_and(|(e, _)| e != encoding_rs::UTF_8) {
        return Ok(Format::Text);
    }
    match looks_like(text) {
        Content::Text => Ok(Format::Text),
        Content::Html => Err(Error::UnknownFormat(
            "no PDF header and not a zip package: the content is a web page (HTML)".into(),
        )),
        Content::Other => Err(Error::UnknownFormat(
            "no PDF header and not a zip package".into(),
        )),
    }
}

/// What bytes no binary reader takes hold.
enum Content {
    Text,
    /// A web page: a portal's error page saved under the document's name. Not read as text
    /// (its markup would be indexed as the supplier's words).
    Html,
    Other,
}

/// What bytes no binary reader takes look like, from their first 4 KiB: plain text (UTF-8
/// without control characters but whitespace), a web page, or neither.
fn looks_like(text: &[u8]) -> Content {
    let head = &text[..text.len().min(4096)];
    let s = match std::str::from_utf8(head) {
        Ok(s) => s,
        // A character cut by the end of the sample is still text; an invalid byte is not.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return Content::Other,
    };
    let lower = s.trim_start().to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        Content::Html
    } else if !s.trim().is_empty() && s.chars().all(|c| !c.is_control() || c.is_whitespace()) {
        Content::Text
    } else {
        Content::Other
    }
}

/// Which package a zip is, from its entry names: a workbook (`xl/`) is XLSX; anything else
/// is handed to the DOCX reader, which says what it is if it is not a Word document. The
/// central directory is read; a zip too damaged for that is looked at through its first local
/// headers.
fn sniff_zip(bytes: &[u8]) -> Format {
    let mut mimetype = String::new();
    let names: Vec<String> = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(mut z) => {
            if let Ok(entry) = z.by_name("mimetype") {
                let mut head = Vec::new();
                if entry.take(200).read_to_end(&mut head).is_ok() {
                    mimetype = String::from_utf8_lossy(&head).into_owned();
                }
            }
            z.file_names()
                .take(10_000)
                .flatten()
                .map(|n| n.replace('\\', "/").to_ascii_lowercase())
                .collect()
        }
        Err(_) => local_names(bytes, 64),
    };
    let has = |prefix: &str| {
        names
            .iter()
            .any(|n| n.trim_start_matches('/').starts_with(prefix))
    };
    if has("word/") {
        Format::Docx
    } else if has("xl/") {
        Format::Xlsx
    } else if mimetype.contains("opendocument.spreadsheet") {
        Format::Ods
    } else if mimetype.contains("opendocument.text")
        || (mimetype.is_empty() && (has("content.xml") || has("mimetype")))
    {
        Format::Odt
    } else {
        Format::Docx
    }
}

/// The names in the first `max` local file headers of a zip, read one after another.
fn local_names(bytes: &[u8], max: usize) -> Vec<String> {
    let mut names = Vec::new();
    let mut at = 0usize;
    while names.len() < max {
        let Some(h) = bytes.get(at..at + 30) else {
            break;
        };
        if &h[..4] != b"PK\x03\x04" {
            break;
        }
        let u16_at = |i: usize| usize::from(u16::from_le_bytes([h[i], h[i + 1]]));
        let flags = u16_at(6);
        let csize = u32::from_le_bytes([h[18], h[19], h[20], h[21]]) as usize;
        let (nlen, xlen) = (u16_at(26), u16_at(28));
        let Some(name) = bytes.get(at + 30..at + 30 + nlen) else {
            break;
        };
        names.push(
            String::from_utf8_lossy(name)
                .replace('\\', "/")
                .to_ascii_lowercase(),
        );
        // With a data descriptor the size is not in the header: stop at this entry.
        if flags & 8 != 0 {
            break;
        }
        at = at.saturating_add(30 + nlen + xlen).saturating_add(csize);
    }
    names
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Extract a document from bytes already in memory.
pub fn extract_bytes(bytes: &[u8], limits: &Limits) -> Result<Document> {
    let format = sniff(bytes)?;
    let deadline = Deadline::after(limits.time_budget);
    let result = catch_unwind(AssertUnwindSafe(|| match format {
        Format::Pdf => pdf::extract(bytes, limits, &deadline),
        Format::Docx => docx::extract(bytes, limits, &deadline),
        Format::Xlsx => xlsx::extract(bytes, limits, &deadline),
        Format::Odt | Format::Ods => odf::extract(bytes, limits, &deadline),
        Format::Rtf => rtf::extract(bytes, limits, &deadline),
        Format::Doc => doc::extract(bytes, limits, &deadline),
        Format::Text => text::extract(bytes, limits, &deadline),
        Format::Jpeg | Format::Png | Format::Tiff => {
            image::extract(bytes, format, limits, &deadline)
        }
    }));
    let mut doc = match result {
        Ok(r) => r?,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_string());
            return Err(Error::Panic(msg));
        }
    };
    doc.sha256 = sha256_hex(bytes);
    doc.format = format;
    Ok(doc)
}

/// Read a file within the size limit.
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    if len > limits.max_file_bytes {
        return Err(Error::limit(
            "max_file_bytes",
            format!("{len} bytes > {}", limits.max_file_bytes),
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // Read one byte past the limit so that a file that grows while we read is still caught.
    file.take(limits.max_file_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(Error::limit("max_file_bytes", "file grew past the limit"));
    }
    Ok(bytes)
}

/// Extract one file. Errors carry the path.
pub fn extract_file(path: &Path, limits: &Limits) -> Result<Document> {
    read_file(path, limits)
        .and_then(|bytes| extract_bytes(&bytes, limits))
        .map_err(|e| e.in_file(path))
}

/// Extract many files in parallel; results come back in input order.
pub fn extract_files<P: AsRef<Path> + Sync>(paths: &[P], limits: &Limits) -> Vec<Result<Document>> {
    paths
        .par_iter()
        .map(|p| extract_file(p.as_ref(), limits))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_tells_formats_from_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n").unwrap(), Format::Pdf);
        assert_eq!(sniff(b"junk\n%PDF-1.4").unwrap(), Format::Pdf);
        assert_eq!(sniff(b"PK\x03\x04rest").unwrap(), Format::Docx);
        assert!(matches!(sniff(b""), Err(Error::UnknownFormat(_))));
        assert!(matches!(sniff(b" \n\t"), Err(Error::UnknownFormat(_))));
        // Text under a document's name is read as text: UTF-8, or UTF-16 by its mark.
        assert_eq!(sniff(b"This is not a zip file!\n").unwrap(), Format::Text);
        assert_eq!(sniff(b"\xFF\xFEh\0i\0").unwrap(), Format::Text);
        assert!(matches!(
            sniff(b"text\x00\x01"),
            Err(Error::UnknownFormat(_))
        ));
        let reason = |b: &[u8]| sniff(b).unwrap_err().to_string();
        assert!(reason(b"<!DOCTYPE html><title>Error</title>").ends_with("web page (HTML))"));
        assert!(reason(b"\x00\x01binary").ends_with("not a zip package)"));
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        assert_eq!(sniff(&ole).unwrap(), Format::Doc);
        ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(matches!(sniff(&ole), Err(Error::PasswordRequired)));
    }

    #[test]
    fn sha256_of_empty_input() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
