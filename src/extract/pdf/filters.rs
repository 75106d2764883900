//! Bounded stream decoding: the PDF filters a text layer needs, each with an output cap.
//!
//! lopdf keeps stream bytes as they are in the file; this module decodes them, and never past
//! [`crate::Limits::max_stream_bytes`], so a small "decompression bomb" cannot take memory.
//! Supported: FlateDecode (zlib or raw deflate, PNG and TIFF predictors), LZWDecode,
//! ASCIIHexDecode, ASCII85Decode and RunLengthDecode. Image-only filters (DCT, JPX, CCITT,
//! JBIG2) carry no text: a stream that uses them fails with [`FilterError::ImageOnly`], which
//! callers report as a warning about that stream, not as a failure of the file.

use flate2::{Decompress, FlushDecompress, Status};
use lopdf::{Dictionary, Document, Object, Stream};

use super::object::resolve;

/// Why a stream could not be decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterError {
    /// The decoded stream would pass the byte cap.
    TooLarge { cap: usize },
    /// An image codec: the stream holds pixels, not text.
    ImageOnly(String),
    /// A filter this reader does not implement.
    Unsupported(String),
    /// The encoded data is damaged before any output could be recovered.
    Corrupt(String),
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FilterError::TooLarge { cap } => {
                write!(f, "stream decodes to more than {cap} bytes")
            }
            FilterError::ImageOnly(name) => write!(f, "image-only filter {name}"),
            FilterError::Unsupported(name) => write!(f, "unsupported filter {name}"),
            FilterError::Corrupt(what) => write!(f, "corrupt stream data ({what})"),
        }
    }
}

/// Decode a stream's data through all of its filters, within `cap` bytes of output.
pub fn decode_stream(doc: &Document, stream: &Stream, cap: usize) -> Result<Vec<u8>, FilterError> {
    let filters = names_of(doc, stream.dict.get(b"Filter").ok());
    let parms = parms_of(doc, stream.dict.get(b"DecodeParms").ok(), filters.len());
    if filters.is_empty() {
        if stream.content.len() > cap {
            return Err(FilterError::TooLarge { cap });
        }
        return Ok(stream.content.clone());
    }
    // A stream that ends in an image codec holds pixels: do not inflate anything first.
    if let Some(image) = filters.iter().find(|n| is_image_filter(n)) {
        return Err(FilterError::ImageOnly(
            String::from_utf8_lossy(image).into_owned(),
        ));
    }
    let mut data: Option<Vec<u8>> = None;
    for (i, name) in filters.iter().enumerate() {
        let input: &[u8] = data.as_deref().unwrap_or(&stream.content);
        let parm = parms.get(i).copied().flatten();
        let out = decode_one(doc, name, parm, input, cap)?;
        data = Some(out);
    }
    Ok(data.unwrap_or_default())
}

/// An image codec that ends a stream's filter chain, with its parameters.
pub struct ImageCodec<'a> {
    pub name: Vec<u8>,
    pub parms: Option<&'a Dictionary>,
}

/// An image XObject's data: every filter before its image codec decoded within `cap` bytes,
/// and that codec (`None` when the data are raw samples, every filter decoded).
pub fn decode_image_data<'a>(
    doc: &'a Document,
    stream: &'a Stream,
    cap: usize,
) -> Result<(Vec<u8>, Option<ImageCodec<'a>>), FilterError> {
    let filters = names_of(doc, stream.dict.get(b"Filter").ok());
    let parms = parms_of(doc, stream.dict.get(b"DecodeParms").ok(), filters.len());
    let mut data: Option<Vec<u8>> = None;
    for (i, name) in filters.iter().enumerate() {
        let input: &[u8] = data.as_deref().unwrap_or(&stream.content);
        let parm = parms.get(i).copied().flatten();
        if is_image_filter(name) {
            // An image codec is the last filter; the caller hands its data on as they are.
            if input.len() > cap {
                return Err(FilterError::TooLarge { cap });
            }
            let out = input.to_vec();
            let codec = ImageCodec {
                name: name.clone(),
                parms: parm,
            };
            return Ok((out, Some(codec)));
        }
        data = Some(decode_one(doc, name, parm, input, cap)?);
    }
    match data {
        Some(d) => Ok((d, None)),
        None if stream.content.len() > cap => Err(FilterError::TooLarge { cap }),
        None => Ok((stream.content.clone(), None)),
    }
}

/// An integer entry of a filter's parameters, or `default`.
pub fn parm_int(doc: &Document, parm: Option<&Dictionary>, key: &[u8], default: i64) -> i64 {
    int_param(doc, parm, key, default)
}

fn is_image_filter(name: &[u8]) -> bool {
    matches!(
        name,
        b"DCTDecode" | b"DCT" | b"JPXDecode" | b"CCITTFaxDecode" | b"CCF" | b"JBIG2Decode"
    )
}

fn names_of(doc: &Document, obj: Option<&Object>) -> Vec<Vec<u8>> {
    match obj.map(|o| resolve(doc, o)) {
        Some(Object::Name(n)) => vec![n.clone()],
        Some(Object::Array(items)) => items
            .iter()
            .filter_map(|o| match resolve(doc, o) {
                Object::Name(n) => Some(n.clone()),
                _ => None,
            })
            .take(16)
            .collect(),
        _ => Vec::new(),
    }
}

fn parms_of<'a>(
    doc: &'a Document,
    obj: Option<&'a Object>,
    n: usize,
) -> Vec<Option<&'a Dictionary>> {
    match obj.map(|o| resolve(doc, o)) {
        Some(Object::Dictionary(d)) => vec![Some(d)],
        Some(Object::Array(items)) => items
            .iter()
            .take(n.max(1))
            .map(|o| match resolve(doc, o) {
                Object::Dictionary(d) => Some(d),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn int_param(doc: &Document, parm: Option<&Dictionary>, key: &[u8], default: i64) -> i64 {
    parm.and_then(|d| d.get(key).ok())
        .map(|o| resolve(doc, o))
        .and_then(|o| match o {
            Object::Integer(i) => Some(*i),
            Object::Real(r) => Some(*r as i64),
            _ => None,
        })
        .unwrap_or(default)
}

fn decode_one(
    doc: &Document,
    name: &[u8],
    parm: Option<&Dictionary>,
    input: &[u8],
    cap: usize,
) -> Result<Vec<u8>, FilterError> {
    let out = match name {
        b"FlateDecode" | b"Fl" => inflate(input, cap)?,
        b"LZWDecode" | b"LZW" => {
            let early = int_param(doc, parm, b"EarlyChange", 1) != 0;
            lzw(input, cap, early)?
        }
        b"ASCIIHexDecode" | b"AHx" => return ascii_hex(input, cap),
        b"ASCII85Decode" | b"A85" => return ascii85(input, cap),
        b"RunLengthDecode" | b"RL" => return run_length(input, cap),
        b"Crypt" => return Ok(input.to_vec()),
        b"DCTDecode" | b"DCT" | b"JPXDecode" | b"CCITTFaxDecode" | b"CCF" | b"JBIG2Decode" => {
            return Err(FilterError::ImageOnly(
                String::from_utf8_lossy(name).into_owned(),
            ))
        }
        other => {
            return Err(FilterError::Unsupported(
                String::from_utf8_lossy(other).into_owned(),
            ))
        }
    };
    let predictor = int_param(doc, parm, b"Predictor", 1);
    if predictor <= 1 {
        return Ok(out);
    }
    let colors = int_param(doc, parm, b"Colors", 1).clamp(1, 32) as usize;
    let bpc = int_param(doc, parm, b"BitsPerComponent", 8).clamp(1, 16) as usize;
    let columns = int_param(doc, parm, b"Columns", 1).clamp(1, 1 << 20) as usize;
    if predictor == 2 {
        Ok(tiff_predictor(out, colors, bpc, columns))
    } else {
        Ok(png_predictor(&out, colors, bpc, columns))
    }
}

/// zlib inflate, falling back to raw deflate; output past a damaged point is dropped, but what
/// came before it is kept (as other readers do).
fn inflate(input: &[u8], cap: usize) -> Result<Vec<u8>, FilterError> {
    match inflate_with(input, cap, true) {
        Ok(out) => Ok(out),
        Err(FilterError::Corrupt(_)) => inflate_with(input, cap, false),
        Err(e) => Err(e),
    }
}

fn inflate_with(input: &[u8], cap: usize, zlib: bool) -> Result<Vec<u8>, FilterError> {
    let mut d = Decompress::new(zlib);
    let mut out: Vec<u8> = Vec::with_capacity((input.len() * 4).clamp(64, 1 << 20).min(cap + 1));
    loop {
        if out.len() == out.capacity() {
            if out.len() > cap {
                return Err(FilterError::TooLarge { cap });
            }
            let grow = out.len().clamp(4096, 8 << 20);
            out.reserve(grow.min(cap + 1 - out.len()).max(1));
        }
        let consumed = d.total_in() as usize;
        let before = out.len();
        let rest = input.get(consumed..).unwrap_or(&[]);
        match d.decompress_vec(rest, &mut out, FlushDecompress::None) {
            Ok(Status::StreamEnd) => break,
            Ok(Status::Ok) | Ok(Status::BufError) => {
                if out.len() > cap {
                    return Err(FilterError::TooLarge { cap });
                }
                let progressed = d.total_in() as usize != consumed || out.len() != before;
                if !progressed {
                    if out.len() < out.capacity() {
                        // Input exhausted without an end marker: keep what we have.
                        break;
                    }
                    continue;
                }
            }
            Err(e) => {
                if out.is_empty() {
                    return Err(FilterError::Corrupt(e.to_string()));
                }
                break;
            }
        }
    }
    if out.len() > cap {
        return Err(FilterError::TooLarge { cap });
    }
    Ok(out)
}

fn png_predictor(data: &[u8], colors: usize, bpc: usize, columns: usize) -> Vec<u8> {
    let bpp = (colors * bpc).div_ceil(8).max(1);
    let row_len = (colors * bpc * columns).div_ceil(8);
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; row_len];
    let mut row = vec![0u8; row_len];
    for chunk in data.chunks(row_len + 1) {
        let Some((&kind, raw)) = chunk.split_first() else {
            break;
        };
        row[..raw.len()].copy_from_slice(raw);
        row[raw.len()..].fill(0);
        for i in 0..row_len {
            let left = if i >= bpp { row[i - bpp] } else { 0 };
            let up = prev[i];
            let up_left = if i >= bpp { prev[i - bpp] } else { 0 };
            row[i] = match kind {
                1 => row[i].wrapping_add(left),
                2 => row[i].wrapping_add(up),
                3 => row[i].wrapping_add(((left as u16 + up as u16) / 2) as u8),
                4 => row[i].wrapping_add(paeth(left, up, up_left)),
                _ => row[i],
            };
        }
        out.extend_from_slice(&row[..raw.len()]);
        std::mem::swap(&mut prev, &mut row);
    }
    out
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = a as i16 + b as i16 - c as i16;
    let (pa, pb, pc) = (
        (p - a as i16).abs(),
        (p - b as i16).abs(),
        (p - c as i16).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

fn tiff_predictor(mut data: Vec<u8>, colors: usize, bpc: usize, columns: usize) -> Vec<u8> {
    if bpc != 8 {
        return data;
    }
    let row_len = colors * columns;
    for row in data.chunks_mut(row_len.max(1)) {
        for i in colors..row.len() {
            row[i] = row[i].wrapping_add(row[i - colors]);
        }
    }
    data
}

fn lzw(input: &[u8], cap: usize, early_change: bool) -> Result<Vec<u8>, FilterError> {
    const CLEAR: usize = 256;
    const EOD: usize = 257;
    let mut prefix: Vec<u16> = Vec::with_capacity(4096);
    let mut suffix: Vec<u8> = Vec::with_capacity(4096);
    let mut first: Vec<u8> = Vec::with_capacity(4096);
    let reset = |prefix: &mut Vec<u16>, suffix: &mut Vec<u8>, first: &mut Vec<u8>| {
        prefix.clear();
        suffix.clear();
        first.clear();
        for b in 0..=255u8 {
            prefix.push(u16::MAX);
            suffix.push(b);
            first.push(b);
        }
        // 256 and 257 are markers.
        for _ in 0..2 {
            prefix.push(u16::MAX);
            suffix.push(0);
            first.push(0);
        }
    };
    reset(&mut prefix, &mut suffix, &mut first);
    let mut out = Vec::new();
    let mut width = 9u32;
    let mut bitbuf: u32 = 0;
    let mut nbits = 0u32;
    let mut prev: Option<usize> = None;
    let mut scratch: Vec<u8> = Vec::new();
    let mut bytes = input.iter();
    loop {
        while nbits < width {
            match bytes.next() {
                Some(&b) => {
                    bitbuf = (bitbuf << 8) | b as u32;
                    nbits += 8;
                }
                None => return Ok(out),
            }
        }
        let code = ((bitbuf >> (nbits - width)) & ((1 << width) - 1)) as usize;
        nbits -= width;
        bitbuf &= (1u32 << nbits).wrapping_sub(1);
        if code == CLEAR {
            reset(&mut prefix, &mut suffix, &mut first);
            width = 9;
            prev = None;
            continue;
        }
        if code == EOD {
            return Ok(out);
        }
        let next = prefix.len();
        // Emit the string for `code` (or for prev + first(prev) when code is the next entry).
        let (emit_code, extra) = if code < next {
            (code, None)
        } else if code == next {
            match prev {
                Some(p) => (p, Some(first[p])),
                None => return Err(FilterError::Corrupt("LZW code before any string".into())),
            }
        } else {
            return Err(FilterError::Corrupt(format!(
                "LZW code {code} out of range"
            )));
        };
        scratch.clear();
        let mut c = emit_code;
        let mut guard = 0;
        loop {
            scratch.push(suffix[c]);
            let p = prefix[c];
            if p == u16::MAX {
                break;
            }
            c = p as usize;
            guard += 1;
            if guard > 4096 {
                return Err(FilterError::Corrupt("LZW chain loop".into()));
            }
        }
        scratch.reverse();
        if let Some(e) = extra {
            scratch.push(e);
        }
        if out.len() + scratch.len() > cap {
            return Err(FilterError::TooLarge { cap });
        }
        out.extend_from_slice(&scratch);
        if let Some(p) = prev {
            if next < 4096 {
                prefix.push(p as u16);
                suffix.push(scratch.first().copied().unwrap_or(0));
                first.push(first[p]);
            }
        }
        prev = Some(code);
        let size = prefix.len() + usize::from(early_change);
        width = if size >= 2048 {
            12
        } else if size >= 1024 {
            11
        } else if size >= 512 {
            10
        } else {
            9
        };
    }
}

fn ascii_hex(input: &[u8], cap: usize) -> Result<Vec<u8>, FilterError> {
    let mut out = Vec::with_capacity(input.len() / 2);
    let mut hi: Option<u8> = None;
    for &b in input {
        if b == b'>' {
            break;
        }
        let v = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => continue,
        };
        match hi.take() {
            Some(h) => out.push(h << 4 | v),
            None => hi = Some(v),
        }
        if out.len() > cap {
            return Err(FilterError::TooLarge { cap });
        }
    }
    if let Some(h) = hi {
        out.push(h << 4);
    }
    Ok(out)
}

fn ascii85(input: &[u8], cap: usize) -> Result<Vec<u8>, FilterError> {
    let mut out = Vec::with_capacity(input.len() * 4 / 5 + 4);
    let mut group = [0u8; 5];
    let mut n = 0usize;
    let data = input.strip_prefix(b"<~").unwrap_or(input);
    for &b in data {
        match b {
            b'~' => break,
            b'z' if n == 0 => out.extend_from_slice(&[0, 0, 0, 0]),
            b'!'..=b'u' => {
                group[n] = b - b'!';
                n += 1;
                if n == 5 {
                    let v = group.iter().fold(0u64, |acc, &d| acc * 85 + d as u64);
                    out.extend_from_slice(&(v as u32).to_be_bytes());
                    n = 0;
                }
            }
            _ => continue,
        }
        if out.len() > cap {
            return Err(FilterError::TooLarge { cap });
        }
    }
    if n > 1 {
        for g in group.iter_mut().skip(n) {
            *g = 84;
        }
        let v = group.iter().fold(0u64, |acc, &d| acc * 85 + d as u64);
        out.extend_from_slice(&(v as u32).to_be_bytes()[..n - 1]);
    }
    Ok(out)
}

fn run_length(input: &[u8], cap: usize) -> Result<Vec<u8>, FilterError> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&len) = input.get(i) {
        i += 1;
        match len {
            128 => break,
            0..=127 => {
                let n = len as usize + 1;
                let end = (i + n).min(input.len());
                out.extend_from_slice(&input[i..end]);
                i = end;
            }
            _ => {
                let n = 257 - len as usize;
                if let Some(&b) = input.get(i) {
                    out.resize(out.len() + n, b);
                }
                i += 1;
            }
        }
        if out.len() > cap {
            return Err(FilterError::TooLarge { cap });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::ZlibEncoder;
    use flate2::Compression;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn inflate_round_trip_and_cap() {
        let data = b"BT /F1 12 Tf (Hello) Tj ET".repeat(100);
        let z = zlib(&data);
        assert_eq!(inflate(&z, 1 << 20).unwrap(), data);
        assert_eq!(inflate(&z, 100), Err(FilterError::TooLarge { cap: 100 }));
    }

    #[test]
    fn bomb_is_stopped_at_the_cap() {
        let z = zlib(&vec![0u8; 50 << 20]);
        assert!(z.len() < 100_000);
        assert_eq!(
            inflate(&z, 1 << 20),
            Err(FilterError::TooLarge { cap: 1 << 20 })
        );
    }

    #[test]
    fn truncated_flate_keeps_its_prefix() {
        let data = b"some text that compresses ".repeat(200);
        let z = zlib(&data);
        let out = inflate(&z[..z.len() / 2], 1 << 20).unwrap();
        assert!(!out.is_empty() && data.starts_with(&out));
    }

    #[test]
    fn hex_85_and_run_length() {
        assert_eq!(ascii_hex(b"48 65 6C6C6F>", 100).unwrap(), b"Hello");
        assert_eq!(ascii_hex(b"414>", 100).unwrap(), b"A@");
        assert_eq!(
            ascii85(b"87cURD]i,\"Ebo80~>", 100).unwrap(),
            b"Hello World!"
        );
        assert_eq!(ascii85(b"87cURD]i,\"Ebo7~>", 100).unwrap(), b"Hello World");
        assert_eq!(ascii85(b"z~>", 100).unwrap(), [0, 0, 0, 0]);
        assert_eq!(
            run_length(&[2, b'a', b'b', b'c', 254, b'x', 128], 100).unwrap(),
            b"abcxxx"
        );
    }

    #[test]
    fn lzw_example_from_the_specification() {
        // The PDF reference's example: "-----A---B" encodes to 80 0B 60 50 22 0C 0C 85 01.
        let enc = [0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01];
        assert_eq!(lzw(&enc, 100, true).unwrap(), b"-----A---B");
    }

    #[test]
    fn png_up_predictor() {
        // Two rows of 3 bytes, filter "Up" on the second.
        let data = [0, 1, 2, 3, 2, 1, 1, 1];
        assert_eq!(png_predictor(&data, 1, 8, 3), vec![1, 2, 3, 2, 3, 4]);
    }
}
