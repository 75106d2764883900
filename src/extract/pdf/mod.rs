//! PDF text extraction: lopdf parses the objects, this module and its children read the text.
//!
//! * [`filters`] decodes streams within a byte cap;
//! * [`lexer`] tokenizes content streams and CMaps;
//! * [`font`], [`cmap`], [`encoding`], [`glyphlist`] and [`metrics`] turn character codes into
//!   text and advance widths;
//! * [`content`] interprets a page's operators into positioned glyphs;
//! * [`layout`] groups glyphs into words, lines and paragraphs in reading order;
//! * [`classify`] labels running headers and footers, headings and list items;
//! * [`pages`] and [`metadata`] read the page tree and `/Info`;
//! * [`scan`] reads pages without a text layer by OCR, from the images [`images`] hands over.
//!
//! lopdf's own `extract_text` and its unbounded stream decoding are not used: every stream is
//! decoded here within [`Limits::max_stream_bytes`].

mod aligned;
mod classify;
mod cmap;
mod content;
mod encoding;
mod filters;
mod font;
mod glyphlist;
mod images;
mod layout;
mod lexer;
mod metadata;
mod metrics;
mod object;
mod pages;
mod scan;
mod table;

use lopdf::xref::XrefRecovery;
use lopdf::{Document as PdfDocument, LoadOptions, Object};

use crate::document::{Document, Format, Metadata, PageInfo, Warning};
use crate::error::{Error, Result};
use crate::limits::{Deadline, Limits};

use content::{Caches, Interpreter};

/// Parse the file with lopdf, bounded, and open it with the empty password if it is encrypted.
fn load(bytes: &[u8], limits: &Limits) -> Result<PdfDocument> {
    let doc = load_once(bytes, limits)?;
    // lopdf opens with the empty user password when it can; if the trailer still names an
    // encryption dictionary, nothing was decrypted: a password is needed. The exception is a
    // file whose crypt filters leave strings and streams alone (`/StmF` and `/StrF` both
    // `/Identity`): only its attachments are encrypted (`/EFF`), its text reads as written, and
    // lopdf, which stops loading at the password, reads it once the encryption key is hidden.
    let doc = if doc.trailer.has(b"Encrypt") && doc.encryption_state.is_none() {
        // The key is derived from the trailer's first `/ID`; a writer that left the `/ID` out
        // means an empty one, as other readers take it, but lopdf will not derive a key without
        // it. Opened with one added, the file proves the guess itself: lopdf checks the empty
        // password against the file's `/U` before it decrypts anything.
        let opened = (!doc.trailer.has(b"ID"))
            .then(|| with_empty_id(bytes))
            .flatten()
            .and_then(|patched| load_once(&patched, limits).ok())
            .filter(|d| d.encryption_state.is_some());
        if let Some(opened) = opened {
            return within_object_limit(opened, limits);
        }
        if !only_attachments_encrypted(&doc) {
            return Err(Error::PasswordRequired);
        }
        let plain = load_once(&hide_encrypt_keys(bytes), limits)?;
        if plain.trailer.has(b"Encrypt") {
            return Err(Error::PasswordRequired);
        }
        plain
    } else {
        doc
    };
    within_object_limit(doc, limits)
}

/// The document, or the `max_pdf_objects` error when it holds more objects than that.
fn within_object_limit(doc: PdfDocument, limits: &Limits) -> Result<PdfDocument> {
    if doc.objects.len() > limits.max_pdf_objects {
        return Err(Error::limit(
            "max_pdf_objects",
            format!("{} objects > {}", doc.objects.len(), limits.max_pdf_objects),
        ));
    }
    Ok(doc)
}

/// A copy of the file with an empty `/ID` (`/ID[<><>]`) written into the trailer dictionary
/// that the last `startxref` points to (a classic `trailer`, or a cross-reference stream's
/// dictionary), or `None` when it is not where that offset says. The bytes go in after that
/// offset, so every offset the file gives before it stays valid.
fn with_empty_id(bytes: &[u8]) -> Option<Vec<u8>> {
    const KEY: &[u8] = b"startxref";
    let at = bytes.windows(KEY.len()).rposition(|w| w == KEY)?;
    let digits = bytes
        .get(at + KEY.len()..)?
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .take(20)
        .map(|&b| char::from(b))
        .collect::<String>();
    let offset: usize = digits.parse().ok()?;
    let start = offset.checked_add(header_offset(bytes))?;
    let section = bytes.get(start..at)?;
    let dict = if section.starts_with(b"xref") {
        let t = find(section, b"trailer")?;
        t + find(section.get(t..)?, b"<<")?
    } else if section.first().is_some_and(u8::is_ascii_digit) {
        find(section, b"<<")?
    } else {
        return None;
    };
    let insert = start + dict + 2;
    let mut out = Vec::with_capacity(bytes.len() + 9);
    out.extend_from_slice(bytes.get(..insert)?);
    out.extend_from_slice(b"/ID[<><>]");
    out.extend_from_slice(bytes.get(insert..)?);
    Some(out)
}

/// A copy of the file where every `/Encrypt` key (not `/EncryptMetadata`) is renamed to a key of
/// the same length that means nothing, so offsets stay valid.
fn hide_encrypt_keys(bytes: &[u8]) -> Vec<u8> {
    const KEY: &[u8] = b"/Encrypt";
    let mut out = bytes.to_vec();
    let mut i = 0;
    while let Some(at) = find(&out[i..], KEY) {
        let end = i + at + KEY.len();
        let next = out.get(end).copied().unwrap_or(b' ');
        if !next.is_ascii_alphanumeric() {
            if let Some(last) = out.get_mut(end - 1) {
                *last = b'_';
            }
        }
        i = end;
    }
    out
}

/// One bounded lopdf parse.
fn load_once(bytes: &[u8], limits: &Limits) -> Result<PdfDocument> {
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes),
        ..LoadOptions::default()
    };
    let doc = PdfDocument::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            Error::limit(
                "max_stream_bytes",
                format!(
                    "an object stream decompresses to more than {} bytes",
                    limits.max_stream_bytes
                ),
            )
        }
        lopdf::Error::InvalidPassword => Error::PasswordRequired,
        other => Error::malformed_pdf(other),
    })?;
    Ok(doc)
}

/// Whether the encryption dictionary (version 4 or later) names the identity crypt filter for
/// both streams and strings, so that nothing but embedded files is encrypted.
fn only_attachments_encrypted(doc: &PdfDocument) -> bool {
    let dict = match doc.trailer.get(b"Encrypt") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id).ok(),
        Ok(Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    let Some(dict) = dict else {
        return false;
    };
    let version = dict.get(b"V").and_then(Object::as_i64).unwrap_or(0);
    // A missing /StmF or /StrF means the identity filter (PDF 32000-1, table 20).
    let identity = |key: &[u8]| match dict.get(key) {
        Err(_) => true,
        Ok(o) => o.as_name().is_ok_and(|n| n == b"Identity"),
    };
    version >= 4 && identity(b"StmF") && identity(b"StrF")
}

/// Streams whose `/Length` is missing or wrong come out of lopdf empty, with the offset where
/// their data starts: read them up to `endstream` from the file bytes.
fn recover_unsized_streams(doc: &mut PdfDocument, bytes: &[u8]) {
    if doc.encryption_state.is_some() {
        return;
    }
    let file = &bytes[header_offset(bytes)..];
    for obj in doc.objects.values_mut() {
        let Object::Stream(stream) = obj else {
            continue;
        };
        let Some(start) = stream.start_position else {
            continue;
        };
        if !stream.content.is_empty() || start >= file.len() {
            continue;
        }
        let rest = &file[start..];
        let Some(end) = find(rest, b"endstream") else {
            continue;
        };
        let mut data = &rest[..end];
        if let Some(d) = data.strip_suffix(b"\n") {
            data = d.strip_suffix(b"\r").unwrap_or(d);
        } else if let Some(d) = data.strip_suffix(b"\r") {
            data = d;
        }
        stream.content = data.to_vec();
    }
}

/// Where the `%PDF-` header starts in the first kilobyte (0 if it is not there): the file's
/// offsets count from it, and junk may precede it.
fn header_offset(bytes: &[u8]) -> usize {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).position(|w| w == b"%PDF-").unwrap_or(0)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Most content streams read for one page.
const MAX_CONTENT_STREAMS: usize = 10_000;

/// A page's content streams, decoded and joined. Streams that cannot be decoded are skipped
/// with a warning.
fn page_content(
    doc: &PdfDocument,
    page: &lopdf::Dictionary,
    limits: &Limits,
    warnings: &mut Vec<String>,
) -> Result<Vec<u8>> {
    let resolve = |o: &Object| -> Option<Object> {
        match o {
            Object::Reference(id) => doc.get_object(*id).ok().cloned(),
            other => Some(other.clone()),
        }
    };
    let mut out = Vec::new();
    let contents = match page.get(b"Contents") {
        Ok(o) => o,
        Err(_) => return Ok(out),
    };
    let list: Vec<&Object> = match contents {
        Object::Array(a) => a.iter().collect(),
        Object::Reference(id) => match doc.get_object(*id) {
            Ok(Object::Array(a)) => a.iter().collect(),
            // A missing object is reported below.
            _ => vec![contents],
        },
        other => vec![other],
    };
    if list.len() > MAX_CONTENT_STREAMS {
        warnings.push(format!(
            "{} content streams: those after the first {MAX_CONTENT_STREAMS} skipped",
            list.len()
        ));
    }
    for item in list.into_iter().take(MAX_CONTENT_STREAMS) {
        let stream = match item {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(Object::Stream(s)) => s,
                _ => {
                    warnings.push(format!(
                        "content stream {} {} R is missing or not a stream: skipped",
                        id.0, id.1
                    ));
                    continue;
                }
            },
            Object::Stream(s) => s,
            _ => {
                let _ = resolve(item);
                continue;
            }
        };
        match filters::decode_stream(doc, stream, limits.max_stream_bytes) {
            Ok(data) => {
                if out.len() + data.len() > limits.max_stream_bytes {
                    return Err(Error::limit(
                        "max_stream_bytes",
                        format!(
                            "page content decodes to more than {} bytes",
                            limits.max_stream_bytes
                        ),
                    ));
                }
                out.extend_from_slice(&data);
                out.push(b'\n');
            }
            Err(filters::FilterError::TooLarge { cap }) => {
                return Err(Error::limit(
                    "max_stream_bytes",
                    format!("a content stream decodes to more than {cap} bytes"),
                ))
            }
            Err(e) => warnings.push(format!("content stream skipped: {e}")),
        }
    }
    Ok(out)
}

/// Extract a PDF's text layer.
pub fn extract(bytes: &[u8], limits: &Limits, deadline: &Deadline) -> Result<Document> {
    let mut doc = load(bytes, limits)?;
    recover_unsized_streams(&mut doc, bytes);
    deadline.check()?;
    let mut tree_warnings = Vec::new();
    let page_refs = pages::pages(&doc, limits.max_pages, &mut tree_warnings)?;
    let metadata: Metadata = metadata::read(&doc);
    let mut caches = Caches::default();
    let mut warnings: Vec<Warning> = Vec::new();
    for message in tree_warnings {
        warnings.push(Warning {
            page: None,
            message,
        });
    }
    if doc.xref_recovery == Some(XrefRecovery::Reconstructed) {
        warnings.push(Warning {
            page: None,
            message: "the cross-reference table is damaged and was rebuilt by scanning the \
                      file: pages or objects may be missing"
                .to_string(),
        });
    }
    let mut page_info: Vec<PageInfo> = Vec::with_capacity(page_refs.len());
    let mut paras: Vec<classify::PagePara> = Vec::new();
    let mut doc_chars = 0usize;
    // Pages without a text layer, with the images they draw: read by OCR once the text is.
    let mut scans: Vec<(u32, Vec<content::PlacedImage>)> = Vec::new();
    for (i, page) in page_refs.iter().enumerate() {
        deadline.check()?;
        let number = (i + 1) as u32;
        let mut page_warnings = Vec::new();
        let content = page_content(&doc, page.dict, limits, &mut page_warnings)?;
        let interp = Interpreter::new(
            &doc,
            limits,
            deadline,
            &mut caches,
            page.crop_box,
            doc_chars,
        );
        let shown = interp.run_page(&content, page.dict, page.resources)?;
        doc_chars += shown.text.len();
        page_warnings.extend(shown.warnings.iter().cloned());
        let has_text = shown.glyphs.iter().any(|g| !g.space && g.end > g.start);
        let no_text_layer = !has_text && shown.images > 0;
        if no_text_layer {
            page_warnings.push(format!("page {number} has no text layer (scanned?)"));
        }
        if no_text_layer {
            scans.push((number, shown.placed_images.clone()));
        }
        page_info.push(PageInfo {
            page: number,
            no_text_layer,
            ocr: None,
        });
        for message in page_warnings {
            warnings.push(Warning {
                page: Some(number),
                message,
            });
        }
        for para in layout::layout(&shown) {
            paras.push(classify::PagePara {
                page: number,
                page_box: page.crop_box,
                para,
            });
        }
    }
    let page_count = page_refs.len() as u32;
    let mut blocks = classify::blocks(paras, page_count);
    for (number, placed) in scans {
        let chars_left = limits.max_text_chars.saturating_sub(doc_chars);
        let read = scan::read_page(&doc, number, &placed, limits, deadline, chars_left);
        doc_chars += read.blocks.iter().map(|b| b.text.len()).sum::<usize>();
        let message = read.outcome.summary();
        warnings.push(Warning {
            page: Some(number),
            message,
        });
        for message in read.warnings {
            warnings.push(Warning {
                page: Some(number),
                message,
            });
        }
        if let Some(info) = page_info.iter_mut().find(|p| p.page == number) {
            info.ocr = Some(read.outcome);
        }
        // After the blocks of the pages before it (the page itself has none).
        let at = blocks.partition_point(|b| b.page <= number);
        blocks.splice(at..at, read.blocks);
    }
    Ok(Document {
        sha256: String::new(),
        format: Format::Pdf,
        pages: page_count,
        metadata,
        has_revisions: false,
        page_info,
        warnings,
        blocks,
    })
}
