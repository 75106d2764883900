//! Image files (JPEG, PNG, TIFF): a scanned page sent as a picture, such as a signed
//! declaration or a certificate, read by OCR.
//!
//! The file is one page without a text layer. Its pixel size is read from its header (PNG's
//! `IHDR`, JPEG's start-of-frame marker, TIFF's first image directory) and checked against
//! [`Limits::max_image_pixels`] before anything decodes it; the file then goes to
//! [`ocr::recognise`] as it is, since Tesseract's image library reads all three. Each paragraph
//! Tesseract finds becomes a paragraph block marked with its confidence, and the page's
//! [`PageOcr`] says what came of it, as for a scanned PDF page. A multi-page TIFF is read as
//! Tesseract reads it (every page, as one text).

use crate::document::{Block, BlockKind, Document, Format, Metadata, PageInfo, PageOcr, Warning};
use crate::error::Result;
use crate::extract::ocr::{self, ImageFile, OcrError};
use crate::limits::{Deadline, Limits};

/// Read an image file by OCR.
pub fn extract(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    deadline: &Deadline,
) -> Result<Document> {
    let (blocks, outcome) = match read(bytes, format, limits, deadline) {
        Ok((_, text)) if text.words() == 0 => {
            let reason = "OCR found no words in the image".to_string();
            (Vec::new(), PageOcr::Failed { reason })
        }
        Ok((blocks, text)) => {
            let outcome = PageOcr::Read {
                confidence: ocr::round_confidence(text.confidence()),
                words: text.words(),
            };
            (blocks, outcome)
        }
        Err(e @ (OcrError::NotFound(_) | OcrError::DecoderNotFound(_))) => (
            Vec::new(),
            PageOcr::Unavailable {
                reason: e.to_string(),
            },
        ),
        Err(e) => (
            Vec::new(),
            PageOcr::Failed {
                reason: e.to_string(),
            },
        ),
    };
    let warnings = vec![
        Warning {
            page: Some(1),
            message: "page 1 is an image: no text layer".into(),
        },
        Warning {
            page: Some(1),
            message: outcome.summary(),
        },
    ];
    let mut doc = Document::unpaged(
        format,
        Metadata::default(),
        false,
        Vec::<String>::new(),
        blocks,
    );
    doc.warnings = warnings;
    doc.page_info = vec![PageInfo {
        page: 1,
        no_text_layer: true,
        ocr: Some(outcome),
    }];
    Ok(doc)
}

/// The paragraphs OCR found, as blocks, with what OCR read.
fn read(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    deadline: &Deadline,
) -> std::result::Result<(Vec<Block>, ocr::OcrText), OcrError> {
    let (width, height) = size(bytes, format).ok_or_else(|| {
        OcrError::Failed(format!(
            "the {} header gives no image size",
            format.as_str()
        ))
    })?;
    if u64::from(width) * u64::from(height) > limits.max_image_pixels {
        return Err(OcrError::Failed(format!(
            "image of {width}×{height} pixels: more than {} (limit max_image_pixels)",
            limits.max_image_pixels
        )));
    }
    let ext = match format {
        Format::Png => "png",
        Format::Tiff => "tif",
        _ => "jpg",
    };
    let file = ImageFile {
        bytes: bytes.to_vec(),
        ext,
        globals: None,
        width,
        height,
    };
    let time = deadline.remaining().min(limits.ocr_page_budget);
    let text = ocr::recognise(&file, limits, time)?;
    let blocks = text
        .paragraphs
        .iter()
        .map(|p| {
            let mut block = Block::new(BlockKind::Paragraph, 1, p.lines.join("\n"));
            block.ocr = Some(ocr::round_confidence(p.confidence));
            block
        })
        .collect();
    Ok((blocks, text))
}

/// The image's width and height in pixels, from its header.
pub fn size(bytes: &[u8], format: Format) -> Option<(u32, u32)> {
    match format {
        Format::Png => png_size(bytes),
        Format::Jpeg => jpeg_size(bytes),
        Format::Tiff => tiff_size(bytes),
        _ => None,
    }
}

/// PNG: the `IHDR` chunk comes first, width and height big-endian.
fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    if b.get(12..16)? != b"IHDR" {
        return None;
    }
    let w = u32::from_be_bytes(b.get(16..20)?.try_into().ok()?);
    let h = u32::from_be_bytes(b.get(20..24)?.try_into().ok()?);
    Some((w, h))
}

/// JPEG: walk the marker segments to the first start-of-frame (SOF0 to SOF15 but DHT, JPG and
/// DAC), whose height and width follow its precision byte.
fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if matches!(marker, 0xD8 | 0x01 | 0xD0..=0xD7) {
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let h = u16::from_be_bytes(b.get(i + 5..i + 7)?.try_into().ok()?);
            let w = u16::from_be_bytes(b.get(i + 7..i + 9)?.try_into().ok()?);
            return Some((u32::from(w), u32::from(h)));
        }
        if len < 2 {
            return None;
        }
        i += 2 + len;
    }
    None
}

/// TIFF: the first image file directory's ImageWidth (256) and ImageLength (257), short or
/// long, in the file's byte order.
fn tiff_size(b: &[u8]) -> Option<(u32, u32)> {
    let le = match b.get(0..4)? {
        [b'I', b'I', 42, 0] => true,
        [b'M', b'M', 0, 42] => false,
        _ => return None,
    };
    // An unsigned number of `n` bytes at `o`, in the file's byte order.
    let num = |o: usize, n: usize| -> Option<u32> {
        let bytes = b.get(o..o.checked_add(n)?)?;
        let fold = |acc: u32, &x: &u8| (acc << 8) | u32::from(x);
        Some(if le {
            bytes.iter().rev().fold(0, fold)
        } else {
            bytes.iter().fold(0, fold)
        })
    };
    let u16_at = |o: usize| num(o, 2);
    let u32_at = |o: usize| num(o, 4);
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let entries = usize::try_from(u16_at(ifd)?).ok()?;
    let (mut w, mut h) = (None, None);
    for k in 0..entries.min(512) {
        let e = ifd + 2 + 12 * k;
        let value = match u16_at(e + 2)? {
            3 => u16_at(e + 8)?,
            4 => u32_at(e + 8)?,
            _ => continue,
        };
        match u16_at(e)? {
            256 => w = Some(value),
            257 => h = Some(value),
            _ => {}
        }
    }
    Some((w?, h?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_come_from_the_headers_and_short_or_odd_headers_give_none() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&640u32.to_be_bytes());
        png.extend_from_slice(&480u32.to_be_bytes());
        assert_eq!(size(&png, Format::Png), Some((640, 480)));
        assert_eq!(size(&png[..20], Format::Png), None);

        // SOI, an APP0 segment of 16 bytes, then SOF0: precision, height 300, width 200.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        jpeg.extend_from_slice(&[0; 14]);
        jpeg.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8, 1, 44, 0, 200, 3]);
        assert_eq!(size(&jpeg, Format::Jpeg), Some((200, 300)));
        assert_eq!(size(&jpeg[..12], Format::Jpeg), None);
        // A segment length below 2 would loop: it ends the walk.
        assert_eq!(
            size(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0xFF], Format::Jpeg),
            None
        );

        // Little-endian TIFF, IFD at 8 with two entries: width (short) 100, length (long) 50.
        let mut tiff = b"II*\0\x08\0\0\0\x02\0".to_vec();
        tiff.extend_from_slice(&[0, 1, 3, 0, 1, 0, 0, 0, 100, 0, 0, 0]);
        tiff.extend_from_slice(&[1, 1, 4, 0, 1, 0, 0, 0, 50, 0, 0, 0]);
        assert_eq!(size(&tiff, Format::Tiff), Some((100, 50)));
        assert_eq!(size(&tiff[..20], Format::Tiff), None);
        // An IFD offset past the end.
        assert_eq!(size(b"MM\0*\xff\xff\xff\xff", Format::Tiff), None);
    }
}
