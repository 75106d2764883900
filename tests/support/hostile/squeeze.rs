//! Compression for hostile files: bombs that inflate to gigabytes built in milliseconds, and a
//! zip writer that writes whatever sizes it is told.
//!
//! A deflate stream cannot be made smaller than about 1/1000 of its output, but it can be made
//! fast: one chunk is compressed once behind a full flush (which empties the compressor's
//! history, so the block stands alone) and its bytes are repeated. The zlib and zip checksums
//! of the repeated data are combined arithmetically, so a bomb is a valid stream all the way to
//! its end, as a real attacker's would be.

use std::io::Write;

use flate2::{Compress, Compression, Crc, FlushCompress};

/// Deflate `input` into the compressor with the given flush, returning the bytes it produced.
fn feed(c: &mut Compress, input: &[u8], flush: FlushCompress) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(input.len() / 64 + 4096);
    let start = c.total_in();
    loop {
        if out.capacity() - out.len() < 4096 {
            out.reserve(out.capacity().max(4096));
        }
        let done = (c.total_in() - start) as usize;
        c.compress_vec(&input[done..], &mut out, flush)
            .expect("deflate in memory");
        let consumed = (c.total_in() - start) as usize == input.len();
        // The flush is complete when all input is in and the output buffer was not filled.
        if consumed && out.capacity() - out.len() >= 4096 {
            return out;
        }
    }
}

/// A raw deflate stream of `prefix`, then `chunk` repeated `times`, then `suffix`.
pub fn deflate_repeated(prefix: &[u8], chunk: &[u8], times: u64, suffix: &[u8]) -> Vec<u8> {
    let mut c = Compress::new(Compression::best(), false);
    let mut out = feed(&mut c, prefix, FlushCompress::Full);
    let block = feed(&mut c, chunk, FlushCompress::Full);
    // After a full flush the compressor starts afresh: the same chunk gives the same block.
    let again = feed(&mut c, chunk, FlushCompress::Full);
    assert_eq!(
        block, again,
        "a full flush must make the chunk's block repeatable"
    );
    out.reserve(block.len() * times as usize);
    for _ in 0..times {
        out.extend_from_slice(&block);
    }
    out.extend(feed(&mut c, suffix, FlushCompress::Finish));
    out
}

/// Plain zlib compression of `data`.
pub fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).expect("compress in memory");
    e.finish().expect("compress in memory")
}

/// Plain raw deflate of `data` (a zip entry's data).
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).expect("compress in memory");
    e.finish().expect("compress in memory")
}

const ADLER_BASE: u64 = 65521;

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u64, 0u64);
    for &byte in data {
        a = (a + u64::from(byte)) % ADLER_BASE;
        b = (b + a) % ADLER_BASE;
    }
    ((b << 16) | a) as u32
}

/// The Adler-32 of `A ++ B` from the checksums of `A` and `B` and the length of `B`.
fn adler32_combine(a1: u32, a2: u32, len2: u64) -> u32 {
    let rem = len2 % ADLER_BASE;
    let s1a = u64::from(a1 & 0xffff);
    let s2a = u64::from(a1 >> 16);
    let s1b = u64::from(a2 & 0xffff);
    let s2b = u64::from(a2 >> 16);
    let sum1 = (s1a + s1b + ADLER_BASE - 1) % ADLER_BASE;
    let sum2 = (rem * s1a + s2a + s2b + ADLER_BASE - rem) % ADLER_BASE;
    ((sum2 << 16) | sum1) as u32
}

/// The Adler-32 of `prefix ++ chunk*times ++ suffix`, without touching all of it.
fn adler32_repeated(prefix: &[u8], chunk: &[u8], times: u64, suffix: &[u8]) -> u32 {
    let one = adler32(chunk);
    // Square-and-multiply over repetitions: `acc` covers `n` chunks, `pow` covers 2^k.
    let mut acc = 1u32;
    let (mut pow, mut pow_len) = (one, chunk.len() as u64);
    let mut n = times;
    while n > 0 {
        if n & 1 == 1 {
            acc = adler32_combine(acc, pow, pow_len);
        }
        pow = adler32_combine(pow, pow, pow_len);
        pow_len *= 2;
        n >>= 1;
    }
    let head = adler32(prefix);
    let body = adler32_combine(head, acc, chunk.len() as u64 * times);
    adler32_combine(body, adler32(suffix), suffix.len() as u64)
}

/// A zlib stream (what PDF's FlateDecode reads) of `prefix ++ chunk*times ++ suffix`.
pub fn zlib_repeated(prefix: &[u8], chunk: &[u8], times: u64, suffix: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0xDA];
    out.extend(deflate_repeated(prefix, chunk, times, suffix));
    out.extend_from_slice(&adler32_repeated(prefix, chunk, times, suffix).to_be_bytes());
    out
}

/// The CRC-32 of `prefix ++ chunk*times ++ suffix` (gigabytes take a fraction of a second).
pub fn crc32_repeated(prefix: &[u8], chunk: &[u8], times: u64, suffix: &[u8]) -> u32 {
    let mut total = Crc::new();
    total.update(prefix);
    for _ in 0..times {
        total.update(chunk);
    }
    total.update(suffix);
    total.sum()
}

pub fn crc32(data: &[u8]) -> u32 {
    let mut c = Crc::new();
    c.update(data);
    c.sum()
}

/// Compression method of a zip entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Stored,
    Deflated,
}

/// One zip entry as it is written: the data as stored, and the sizes each header declares
/// (which the hostile cases set to lies).
#[derive(Clone, Debug)]
pub struct ZipEntry {
    pub name: String,
    pub method: Method,
    pub data: Vec<u8>,
    pub crc: u32,
    /// (compressed, uncompressed) in the local header.
    pub local: (u32, u32),
    /// (compressed, uncompressed) in the central directory.
    pub central: (u32, u32),
}

impl ZipEntry {
    /// An honest deflated entry.
    pub fn deflated(name: &str, content: &[u8]) -> ZipEntry {
        let data = deflate(content);
        let sizes = (data.len() as u32, content.len() as u32);
        ZipEntry {
            name: name.to_string(),
            method: Method::Deflated,
            crc: crc32(content),
            data,
            local: sizes,
            central: sizes,
        }
    }

    /// An honest stored entry.
    pub fn stored(name: &str, content: &[u8]) -> ZipEntry {
        let sizes = (content.len() as u32, content.len() as u32);
        ZipEntry {
            name: name.to_string(),
            method: Method::Stored,
            crc: crc32(content),
            data: content.to_vec(),
            local: sizes,
            central: sizes,
        }
    }

    /// Declare `uncompressed` bytes in both headers, whatever the data holds.
    pub fn claim_size(mut self, uncompressed: u32) -> ZipEntry {
        self.local.1 = uncompressed;
        self.central.1 = uncompressed;
        self
    }
}

/// Write a zip archive of `entries`, headers as declared.
pub fn write_zip(entries: &[ZipEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let method = |m: Method| -> u16 {
        match m {
            Method::Stored => 0,
            Method::Deflated => 8,
        }
    };
    for e in entries {
        let offset = out.len() as u32;
        let name = e.name.as_bytes();
        // Local file header.
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes()); // version needed
        out.extend_from_slice(&0u16.to_le_bytes()); // flags
        out.extend_from_slice(&method(e.method).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // time
        out.extend_from_slice(&0x21u16.to_le_bytes()); // date: 1980-01-01
        out.extend_from_slice(&e.crc.to_le_bytes());
        out.extend_from_slice(&e.local.0.to_le_bytes());
        out.extend_from_slice(&e.local.1.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra length
        out.extend_from_slice(name);
        out.extend_from_slice(&e.data);
        // Central directory header.
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // made by
        central.extend_from_slice(&20u16.to_le_bytes()); // needed
        central.extend_from_slice(&0u16.to_le_bytes()); // flags
        central.extend_from_slice(&method(e.method).to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0x21u16.to_le_bytes());
        central.extend_from_slice(&e.crc.to_le_bytes());
        central.extend_from_slice(&e.central.0.to_le_bytes());
        central.extend_from_slice(&e.central.1.to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes()); // extra
        central.extend_from_slice(&0u16.to_le_bytes()); // comment
        central.extend_from_slice(&0u16.to_le_bytes()); // disk
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn repeated_streams_are_valid_and_checksums_match() {
        let z = zlib_repeated(b"head ", b"0123456789", 1000, b" tail");
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(&z[..])
            .read_to_end(&mut out)
            .unwrap();
        let mut expected = b"head ".to_vec();
        for _ in 0..1000 {
            expected.extend_from_slice(b"0123456789");
        }
        expected.extend_from_slice(b" tail");
        assert_eq!(out, expected);
        assert_eq!(
            crc32_repeated(b"head ", b"0123456789", 1000, b" tail"),
            crc32(&expected)
        );
    }
}
