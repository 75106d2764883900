//! A PDF image XObject as an image file OCR can read, within limits.
//!
//! * DCT (JPEG) and JPX (JPEG 2000) data pass through as stored;
//! * CCITT fax data are wrapped in a one-strip TIFF header (no decoding here);
//! * raw samples (after Flate, LZW and the other filters, decoded within
//!   [`Limits::max_image_bytes`]) in gray, RGB, CMYK, ICC-based, indexed or one-colourant
//!   separation colour spaces, at 1 to 16 bits, become an 8-bit PGM, scaled down when larger than
//!   OCR needs;
//! * JBIG2 data pass through as stored, with their global segments, for [`crate::extract::ocr`]
//!   to decode with `jbig2dec`;
//! * other colour spaces are refused with a reason.
//!
//! The declared size is checked against [`Limits::max_image_pixels`] before anything is decoded,
//! and sample data shorter than the declared size is an error, never a panic or a guess.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::filters::{self, FilterError};
use super::object::{number, resolve};
use crate::extract::ocr::ImageFile;
use crate::limits::Limits;

/// Images smaller than this on either side cannot hold a line of text worth reading.
pub const MIN_OCR_SIDE: u32 = 24;

/// Decoded images with more pixels are scaled down by a whole factor before OCR: about an A4
/// page at 400 dpi, more than Tesseract needs, and each halving quarters its time.
const OCR_TARGET_PIXELS: u64 = 16_000_000;

/// Largest width or height accepted, whatever the pixel limit.
const MAX_SIDE: i64 = 1 << 20;

fn int(doc: &Document, dict: &Dictionary, keys: &[&[u8]]) -> Option<i64> {
    keys.iter()
        .find_map(|k| dict.get(k).ok())
        .and_then(|o| match resolve(doc, o) {
            Object::Integer(i) => Some(*i),
            Object::Real(r) => Some(*r as i64),
            _ => None,
        })
}

fn boolean(doc: &Document, dict: &Dictionary, key: &[u8]) -> bool {
    matches!(
        dict.get(key).map(|o| resolve(doc, o)),
        Ok(Object::Boolean(true))
    )
}

/// The declared size of an image XObject, `None` when it is not one.
pub fn declared_size(doc: &Document, id: ObjectId) -> Option<(u32, u32)> {
    let Ok(Object::Stream(s)) = doc.get_object(id) else {
        return None;
    };
    let w = int(doc, &s.dict, &[b"Width", b"W"])?;
    let h = int(doc, &s.dict, &[b"Height", b"H"])?;
    let ok = |v: i64| (1..=MAX_SIDE).contains(&v);
    (ok(w) && ok(h)).then_some((w as u32, h as u32))
}

/// The image XObject `id` as an image file for OCR, or why it cannot be one.
pub fn image_file(doc: &Document, id: ObjectId, limits: &Limits) -> Result<ImageFile, String> {
    let stream = match doc.get_object(id) {
        Ok(Object::Stream(s)) => s,
        _ => {
            return Err(format!(
                "image {} {} R is missing or not a stream",
                id.0, id.1
            ))
        }
    };
    let dict = &stream.dict;
    let w = int(doc, dict, &[b"Width", b"W"]).unwrap_or(0);
    let h = int(doc, dict, &[b"Height", b"H"]).unwrap_or(0);
    if !(1..=MAX_SIDE).contains(&w) || !(1..=MAX_SIDE).contains(&h) {
        return Err(format!("image declares an impossible size {w}×{h}"));
    }
    let pixels = (w as u64) * (h as u64);
    if pixels > limits.max_image_pixels {
        return Err(format!(
            "image of {w}×{h} pixels: more than {} (limit max_image_pixels)",
            limits.max_image_pixels
        ));
    }
    let (w, h) = (w as u32, h as u32);
    let (data, codec) =
        filters::decode_image_data(doc, stream, limits.max_image_bytes).map_err(|e| match e {
            FilterError::TooLarge { cap } => {
                format!("image data decode to more than {cap} bytes (limit max_image_bytes)")
            }
            other => format!("image data: {other}"),
        })?;
    let file = |bytes: Vec<u8>, ext: &'static str| ImageFile {
        bytes,
        ext,
        globals: None,
        width: w,
        height: h,
    };
    match codec.as_ref().map(|c| c.name.as_slice()) {
        Some(b"DCTDecode" | b"DCT") => {
            if !data.starts_with(&[0xFF, 0xD8]) {
                return Err("DCT image data do not start as a JPEG does".into());
            }
            Ok(file(data, "jpg"))
        }
        Some(b"JPXDecode") => {
            // A JP2 file starts with its signature box; a bare codestream with SOC and SIZ.
            let ext = if data.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) {
                "j2k"
            } else {
                "jp2"
            };
            Ok(file(data, ext))
        }
        Some(b"JBIG2Decode") => {
            // The global segments shared by a document's JBIG2 images, a stream of their own
            // (itself perhaps compressed), named in the decode parameters.
            let globals = match codec
                .as_ref()
                .and_then(|c| c.parms)
                .and_then(|p| p.get(b"JBIG2Globals").ok())
                .map(|o| resolve(doc, o))
            {
                Some(Object::Stream(g)) => Some(
                    filters::decode_image_data(doc, g, limits.max_image_bytes)
                        .map_err(|e| format!("JBIG2 global segments: {e}"))?
                        .0,
                ),
                Some(_) => return Err("JBIG2Globals is not a stream".into()),
                None => None,
            };
            Ok(ImageFile {
                globals,
                ..file(data, "jb2")
            })
        }
        Some(b"CCITTFaxDecode" | b"CCF") => {
            let parms = codec.as_ref().and_then(|c| c.parms);
            Ok(file(ccitt_tiff(doc, parms, w, h, &data)?, "tif"))
        }
        Some(other) => Err(format!(
            "{} images are not decoded here",
            String::from_utf8_lossy(other)
        )),
        None => {
            let gray = raw_to_gray(doc, stream, w, h, &data)?;
            let (gray, sw, sh) = scale_down(gray, w, h);
            let mut out = format!("P5\n{sw} {sh}\n255\n").into_bytes();
            out.extend_from_slice(&gray);
            Ok(ImageFile {
                bytes: out,
                ext: "pgm",
                globals: None,
                width: sw,
                height: sh,
            })
        }
    }
}

/// How raw samples map to gray.
enum Space {
    /// One component; `invert` when more ink is a higher value (a separation).
    Gray {
        invert: bool,
    },
    Rgb,
    Cmyk,
    /// Palette entries of `base` components each (8-bit), indexed by the sample.
    Indexed {
        base: Box<Space>,
        lookup: Vec<u8>,
    },
}

impl Space {
    fn components(&self) -> usize {
        match self {
            Space::Gray { .. } | Space::Indexed { .. } => 1,
            Space::Rgb => 3,
            Space::Cmyk => 4,
        }
    }

    /// Gray (0 black, 255 white) of one pixel's components, each scaled to 0..=255.
    fn gray(&self, c: &[u8]) -> u8 {
        let luma = |r: u32, g: u32, b: u32| ((r * 299 + g * 587 + b * 114) / 1000) as u8;
        match self {
            Space::Gray { invert } => {
                let v = c.first().copied().unwrap_or(255);
                if *invert {
                    255 - v
                } else {
                    v
                }
            }
            Space::Rgb => match c {
                [r, g, b, ..] => luma(u32::from(*r), u32::from(*g), u32::from(*b)),
                _ => 255,
            },
            Space::Cmyk => match c {
                [cy, m, y, k, ..] => {
                    let ink = |v: u8| 255u32.saturating_sub(u32::from(v) + u32::from(*k));
                    luma(ink(*cy), ink(*m), ink(*y))
                }
                _ => 255,
            },
            Space::Indexed { base, lookup } => {
                let n = base.components();
                let at = usize::from(c.first().copied().unwrap_or(0)) * n;
                match lookup.get(at..at + n) {
                    Some(entry) => base.gray(entry),
                    None => 255,
                }
            }
        }
    }
}

fn space_of(doc: &Document, obj: &Object, depth: usize) -> Result<Space, String> {
    let name = |n: &[u8]| String::from_utf8_lossy(n).into_owned();
    match resolve(doc, obj) {
        Object::Name(n) => match n.as_slice() {
            b"DeviceGray" | b"G" | b"CalGray" => Ok(Space::Gray { invert: false }),
            b"DeviceRGB" | b"RGB" | b"CalRGB" => Ok(Space::Rgb),
            b"DeviceCMYK" | b"CMYK" => Ok(Space::Cmyk),
            other => Err(format!("colour space {} is not converted", name(other))),
        },
        Object::Array(items) if depth < 3 => {
            let family = match items.first().map(|o| resolve(doc, o)) {
                Some(Object::Name(n)) => n.as_slice(),
                _ => b"",
            };
            match family {
                b"ICCBased" => {
                    let n = match items.get(1).map(|o| resolve(doc, o)) {
                        Some(Object::Stream(s)) => int(doc, &s.dict, &[b"N"]).unwrap_or(0),
                        _ => 0,
                    };
                    match n {
                        1 => Ok(Space::Gray { invert: false }),
                        3 => Ok(Space::Rgb),
                        4 => Ok(Space::Cmyk),
                        _ => Err(format!("ICC colour space of {n} components")),
                    }
                }
                b"CalGray" => Ok(Space::Gray { invert: false }),
                b"CalRGB" => Ok(Space::Rgb),
                b"Separation" => Ok(Space::Gray { invert: true }),
                b"Indexed" | b"I" => {
                    let base = items.get(1).ok_or("indexed colour space without a base")?;
                    let base = space_of(doc, base, depth + 1)?;
                    if matches!(base, Space::Indexed { .. }) {
                        return Err("indexed colour space over an indexed one".into());
                    }
                    let lookup = match items.get(3).map(|o| resolve(doc, o)) {
                        Some(Object::String(bytes, _)) => bytes.clone(),
                        Some(Object::Stream(s)) => filters::decode_stream(doc, s, 256 * 4)
                            .map_err(|e| format!("palette of an indexed colour space: {e}"))?,
                        _ => return Err("indexed colour space without a palette".into()),
                    };
                    Ok(Space::Indexed {
                        base: Box::new(base),
                        lookup,
                    })
                }
                other => Err(format!("colour space {} is not converted", name(other))),
            }
        }
        _ => Err("colour space missing or not understood".into()),
    }
}

/// Raw samples to 8-bit gray, one byte a pixel, row by row.
fn raw_to_gray(
    doc: &Document,
    stream: &Stream,
    w: u32,
    h: u32,
    data: &[u8],
) -> Result<Vec<u8>, String> {
    let dict = &stream.dict;
    let mask = boolean(doc, dict, b"ImageMask") || boolean(doc, dict, b"IM");
    let (space, bpc) = if mask {
        (Space::Gray { invert: false }, 1)
    } else {
        let cs = dict
            .get(b"ColorSpace")
            .or_else(|_| dict.get(b"CS"))
            .map_err(|_| "image without a colour space".to_string())?;
        let bpc = int(doc, dict, &[b"BitsPerComponent", b"BPC"]).unwrap_or(8);
        (space_of(doc, cs, 0)?, bpc)
    };
    if !matches!(bpc, 1 | 2 | 4 | 8 | 16) {
        return Err(format!("{bpc} bits per component"));
    }
    let bpc = bpc as usize;
    // A Decode array [1 0] (for a mask too: then 1 paints) reads samples the other way up.
    let inverted = match dict.get(b"Decode").or_else(|_| dict.get(b"D")) {
        Ok(Object::Array(a)) => match (a.first(), a.get(1)) {
            (Some(lo), Some(hi)) => number(lo).unwrap_or(0.0) > number(hi).unwrap_or(0.0),
            _ => false,
        },
        _ => false,
    };
    let comps = space.components();
    let (w, h) = (w as usize, h as usize);
    let row_bytes = (w * comps * bpc).div_ceil(8);
    let needed = row_bytes.checked_mul(h).ok_or("image size overflows")?;
    if data.len() < needed {
        let rows = data.len() / row_bytes.max(1);
        return Err(format!(
            "image data end after {rows} of {h} rows ({} of {needed} bytes): truncated",
            data.len()
        ));
    }
    let max = (1u32 << bpc.min(8)) - 1;
    let indexed = matches!(space, Space::Indexed { .. });
    let mut out = Vec::with_capacity(w * h);
    let mut px = [0u8; 4];
    for row in data.chunks_exact(row_bytes.max(1)).take(h) {
        for x in 0..w {
            for (c, slot) in px.iter_mut().enumerate().take(comps) {
                let i = x * comps + c;
                let v = match bpc {
                    8 => u32::from(row[i]),
                    16 => u32::from(row[2 * i]),
                    _ => {
                        let bit = i * bpc;
                        let byte = u32::from(row[bit / 8]);
                        (byte >> (8 - bpc - bit % 8)) & max
                    }
                };
                let v = if inverted { max - v } else { v };
                *slot = if indexed {
                    v as u8
                } else {
                    (v * 255 / max) as u8
                };
            }
            out.push(space.gray(&px[..comps]));
        }
    }
    Ok(out)
}

/// Scale a gray image down by a whole factor (box average) until it has at most
/// [`OCR_TARGET_PIXELS`].
fn scale_down(gray: Vec<u8>, w: u32, h: u32) -> (Vec<u8>, u32, u32) {
    let pixels = u64::from(w) * u64::from(h);
    if pixels <= OCR_TARGET_PIXELS {
        return (gray, w, h);
    }
    let mut k = 2u32;
    while pixels / u64::from(k * k) > OCR_TARGET_PIXELS {
        k += 1;
    }
    let (sw, sh) = (w / k, h / k);
    let (w, kk) = (w as usize, k as usize);
    let mut out = Vec::with_capacity(sw as usize * sh as usize);
    for y in 0..sh as usize {
        for x in 0..sw as usize {
            let mut sum = 0u32;
            for dy in 0..kk {
                let start = (y * kk + dy) * w + x * kk;
                sum += gray
                    .get(start..start + kk)
                    .map(|r| r.iter().map(|&v| u32::from(v)).sum::<u32>())
                    .unwrap_or(255 * k);
            }
            out.push((sum / (k * k)) as u8);
        }
    }
    (out, sw, sh)
}

/// CCITT fax data in a one-strip TIFF (little-endian), so that the OCR program's image library
/// decodes it: group 4 when `K` < 0, group 3 otherwise (2-D when `K` > 0).
fn ccitt_tiff(
    doc: &Document,
    parms: Option<&Dictionary>,
    w: u32,
    h: u32,
    data: &[u8],
) -> Result<Vec<u8>, String> {
    let k = filters::parm_int(doc, parms, b"K", 0);
    let columns = filters::parm_int(doc, parms, b"Columns", 1728);
    let rows = match filters::parm_int(doc, parms, b"Rows", 0) {
        0 => i64::from(h),
        r => r,
    };
    if !(1..=MAX_SIDE).contains(&columns) || !(1..=MAX_SIDE).contains(&rows) {
        return Err(format!("CCITT image of {columns}×{rows}"));
    }
    if columns != i64::from(w) {
        return Err(format!(
            "CCITT image {columns} columns wide in an image {w} pixels wide"
        ));
    }
    let align = filters::parm_int(doc, parms, b"EncodedByteAlign", 0) != 0
        || parms.is_some_and(|p| boolean(doc, p, b"EncodedByteAlign"));
    let len = u32::try_from(data.len()).map_err(|_| "CCITT data too long for TIFF")?;
    let (compression, options_tag, options) = if k < 0 {
        (4u16, 293u16, 0u32)
    } else {
        let two_d = u32::from(k > 0);
        (3, 292, two_d | if align { 4 } else { 0 })
    };
    // Header, then the directory, then the data.
    let entries: [(u16, u16, u32); 10] = [
        (256, 4, columns as u32),
        (257, 4, rows as u32),
        (258, 3, 1),
        (259, 3, u32::from(compression)),
        // WhiteIsZero: fax runs of black decode to 1 bits.
        (262, 3, 0),
        (273, 4, 0), // strip offset, filled in below
        (277, 3, 1),
        (278, 4, rows as u32),
        (279, 4, len),
        (options_tag, 4, options),
    ];
    let dir_len = 2 + entries.len() * 12 + 4;
    let data_at = (8 + dir_len) as u32;
    let mut out = Vec::with_capacity(8 + dir_len + data.len());
    out.extend_from_slice(b"II*\0");
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        let value = if tag == 273 { data_at } else { value };
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        if kind == 3 {
            out.extend_from_slice(&(value as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(data);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    fn doc_with(dict: Dictionary, data: Vec<u8>) -> (Document, ObjectId) {
        let mut doc = Document::with_version("1.7");
        let id = doc.add_object(Stream::new(dict, data));
        (doc, id)
    }

    #[test]
    fn raw_gray_and_indexed_samples_become_a_pgm() {
        let (doc, id) = doc_with(
            dictionary! { "Subtype" => "Image", "Width" => 2, "Height" => 1,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
            vec![0, 255],
        );
        let f = image_file(&doc, id, &Limits::default()).unwrap();
        assert_eq!(f.ext, "pgm");
        assert_eq!(f.bytes, b"P5\n2 1\n255\n\x00\xff");
        let palette = Object::String(vec![255, 255, 255, 0, 0, 0], lopdf::StringFormat::Literal);
        let (doc, id) = doc_with(
            dictionary! { "Subtype" => "Image", "Width" => 3, "Height" => 1,
            "ColorSpace" => vec!["Indexed".into(), "DeviceRGB".into(), 1.into(), palette],
            "BitsPerComponent" => 1 },
            vec![0b0100_0000],
        );
        let f = image_file(&doc, id, &Limits::default()).unwrap();
        assert_eq!(f.bytes, b"P5\n3 1\n255\n\xff\x00\xff");
    }

    #[test]
    fn hostile_sizes_and_short_data_are_reasons_not_panics() {
        let (doc, id) = doc_with(
            dictionary! { "Subtype" => "Image", "Width" => 100_000, "Height" => 100_000,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
            vec![0; 10],
        );
        let err = image_file(&doc, id, &Limits::default()).unwrap_err();
        assert!(err.contains("max_image_pixels"), "{err}");
        let (doc, id) = doc_with(
            dictionary! { "Subtype" => "Image", "Width" => 100, "Height" => 100,
            "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8 },
            vec![0; 1000],
        );
        let err = image_file(&doc, id, &Limits::default()).unwrap_err();
        assert!(err.contains("truncated"), "{err}");
        let (doc, id) = doc_with(
            dictionary! { "Subtype" => "Image", "Width" => -3, "Height" => 100 },
            vec![],
        );
        assert!(image_file(&doc, id, &Limits::default()).is_err());
        let (doc, id) = doc_with(
            dictionary! { "Subtype" => "Image", "Width" => 10, "Height" => 10,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 3 },
            vec![0; 100],
        );
        assert!(image_file(&doc, id, &Limits::default()).is_err());
    }

    #[test]
    fn large_images_are_scaled_down_by_a_whole_factor() {
        let (gray, w, h) = scale_down(vec![200; 5000 * 4000], 5000, 4000);
        assert_eq!((w, h), (2500, 2000));
        assert_eq!(gray.len(), 2500 * 2000);
        assert!(gray.iter().all(|&v| v == 200));
    }

    #[test]
    fn ccitt_data_get_a_tiff_header() {
        let (doc, _) = doc_with(Dictionary::new(), Vec::new());
        let parms = dictionary! { "K" => -1, "Columns" => 16 };
        let tiff = ccitt_tiff(&doc, Some(&parms), 16, 16, &[1, 2, 3]).unwrap();
        assert!(tiff.starts_with(b"II*\0\x08\0\0\0"));
        assert!(tiff.ends_with(&[1, 2, 3]));
        assert!(ccitt_tiff(&doc, Some(&parms), 17, 16, &[1]).is_err());
    }
}
