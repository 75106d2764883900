//! Legacy Word 97-2003 `.doc` files: the `cfb` crate reads the OLE container, the rest is ours.
//!
//! The `WordDocument` stream starts with the FIB: its flags say whether the file is encrypted
//! (then [`Error::PasswordRequired`]) and which table stream (`0Table` or `1Table`) holds the
//! piece table (the CLX at `fcClx`). Each piece maps a range of character positions to bytes
//! of `WordDocument`, compressed (one byte per character, code page 1252) or UTF-16. The text
//! runs through the character positions in story order: main text (`ccpText`), footnotes,
//! headers, annotations, endnotes, text boxes. Within a story: `\r` ends a paragraph, `\x07`
//! ends a table cell (a second `\x07` after an empty cell ends the row), `\x0b` is a line
//! break, fields keep their result and drop their code (`\x13 code \x14 result \x15`; an
//! `EQ` field with no result, as Word stores a ruby, gives its base text from the code), and
//! the marks of pictures, objects and note references are dropped. Word 6/95 files (no piece
//! table) are read from `fcMin` to `fcMac` as code page 1252 text.
//!
//! Not read: styles (so no headings or list numbers), which header story is a footer (all
//! are headers here), formatting. Stream reads are bounded by the file's size.

use std::io::{Cursor, Read};

use crate::document::{Block, BlockKind, Document, Format, Metadata};
use crate::error::{Error, Result};
use crate::limits::{Deadline, Limits};

fn malformed(detail: impl std::fmt::Display) -> Error {
    Error::Malformed {
        format: "DOC",
        detail: detail.to_string(),
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Extract a `.doc` file.
pub fn extract(bytes: &[u8], limits: &Limits, deadline: &Deadline) -> Result<Document> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| malformed(format!("not a readable OLE compound file ({e})")))?;
    if cf.is_stream("EncryptedPackage") {
        return Err(Error::PasswordRequired);
    }
    let cap = bytes.len() as u64;
    let mut read_stream = |name: &str| -> Result<Option<Vec<u8>>> {
        if !cf.is_stream(name) {
            return Ok(None);
        }
        let stream = cf
            .open_stream(name)
            .map_err(|e| malformed(format!("stream {name}: {e}")))?;
        let mut out = Vec::new();
        stream
            .take(cap)
            .read_to_end(&mut out)
            .map_err(|e| malformed(format!("stream {name}: {e}")))?;
        Ok(Some(out))
    };
    let Some(wd) = read_stream("WordDocument")? else {
        return Err(Error::UnknownFormat(
            "an OLE compound file without a WordDocument stream (not a Word document)".into(),
        ));
    };
    deadline.check()?;
    if u16_at(&wd, 0) != Some(0xA5EC) && u16_at(&wd, 0) != Some(0xA5DC) {
        return Err(malformed("the FIB does not start with a Word identifier"));
    }
    let n_fib = u16_at(&wd, 2).unwrap_or(0);
    let flags = u16_at(&wd, 0x0A).unwrap_or(0);
    if flags & 0x0100 != 0 || flags & 0x8000 != 0 {
        return Err(Error::PasswordRequired);
    }
    let mut warnings = Vec::new();
    let text: Vec<u16>;
    let mut counts = [0u32; 8];
    if n_fib < 101 {
        // Word 6/95: the text is the bytes from fcMin to fcMac.
        let (min, max) = (
            u32_at(&wd, 0x18).unwrap_or(0) as usize,
            u32_at(&wd, 0x1C).unwrap_or(0) as usize,
        );
        let raw = wd.get(min..max.min(wd.len())).unwrap_or_default();
        text = decode_1252(raw);
        counts[0] = text.len() as u32;
        warnings.push("a Word 6/95 file: read without its piece table".to_string());
    } else {
        let csw = usize::from(u16_at(&wd, 32).unwrap_or(0));
        let lw = 32 + 2 + csw * 2;
        let cslw = usize::from(u16_at(&wd, lw).unwrap_or(0));
        let rg_lw = lw + 2;
        // ccpText, ccpFtn, ccpHdd, ccpMcr, ccpAtn, ccpEdn, ccpTxbx, ccpHdrTxbx.
        for (k, c) in counts.iter_mut().enumerate() {
            *c = u32_at(&wd, rg_lw + (3 + k) * 4).unwrap_or(0);
        }
        let fc_lcb = rg_lw + cslw * 4 + 2;
        let fc_clx = u32_at(&wd, fc_lcb + 33 * 8).unwrap_or(0) as usize;
        let lcb_clx = u32_at(&wd, fc_lcb + 33 * 8 + 4).unwrap_or(0) as usize;
        let table_name = if flags & 0x0200 != 0 {
            "1Table"
        } else {
            "0Table"
        };
        let table = read_stream(table_name)?
            .ok_or_else(|| malformed(format!("the {table_name} stream is missing")))?;
        let clx = table
            .get(fc_clx..fc_clx.saturating_add(lcb_clx))
            .ok_or_else(|| malformed("the piece table lies outside the table stream"))?;
        let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
        text = pieces(clx, &wd, total, limits, deadline)?;
    }

    let mut r = Stories {
        blocks: Vec::new(),
        table: 0,
        in_table: false,
    };
    let mut at = 0usize;
    let mut story = |len: u32| {
        let start = at.min(text.len());
        let end = at.saturating_add(len as usize).min(text.len());
        at = at.saturating_add(len as usize);
        &text[start..end]
    };
    let main = story(counts[0]);
    let footnotes = story(counts[1]);
    let headers = story(counts[2]);
    let _macros = story(counts[3]);
    let comments = story(counts[4]);
    let endnotes = story(counts[5]);
    let boxes = story(counts[6]);
    let mut header_blocks = Vec::new();
    for p in paragraphs(headers) {
        if !header_blocks.contains(&p) {
            header_blocks.push(p);
        }
    }
    r.blocks.extend(
        header_blocks
            .into_iter()
            .map(|t| Block::new(BlockKind::Header, 1, t)),
    );
    r.body(main);
    for p in paragraphs(boxes) {
        r.blocks.push(Block::new(BlockKind::Paragraph, 1, p));
    }
    for (kind, story) in [
        (BlockKind::Footnote, footnotes),
        (BlockKind::Endnote, endnotes),
        (BlockKind::Comment, comments),
    ] {
        for p in paragraphs(story) {
            r.blocks.push(Block::new(kind.clone(), 1, p));
        }
    }
    let chars: usize = r.blocks.iter().map(|b| b.text.len()).sum();
    if chars > limits.max_text_chars {
        return Err(Error::too_much_text(limits.max_text_chars));
    }
    Ok(Document::unpaged(
        Format::Doc,
        Metadata::default(),
        false,
        warnings,
        r.blocks,
    ))
}

/// The text of the pieces in CP order, up to `total` characters.
fn pieces(
    clx: &[u8],
    wd: &[u8],
    total: u64,
    limits: &Limits,
    deadline: &Deadline,
) -> Result<Vec<u16>> {
    // Skip Prc entries (0x01) to the Pcdt (0x02).
    let mut i = 0usize;
    loop {
        match clx.get(i) {
            Some(1) => {
                let cb = usize::from(u16_at(clx, i + 1).unwrap_or(0));
                i = i + 3 + cb;
            }
            Some(2) => break,
            _ => return Err(malformed("no piece table in the CLX")),
        }
    }
    let lcb = u32_at(clx, i + 1).unwrap_or(0) as usize;
    let plc = clx
        .get(i + 5..(i + 5).saturating_add(lcb))
        .ok_or_else(|| malformed("the piece table is cut short"))?;
    if plc.len() < 4 {
        return Err(malformed("an empty piece table"));
    }
    let n = (plc.len() - 4) / 12;
    let mut out: Vec<u16> = Vec::new();
    let cap = (total as usize).min(limits.max_text_chars).min(wd.len());
    for k in 0..n {
        if k % 1024 == 0 {
            deadline.check()?;
        }
        let (Some(cp0), Some(cp1)) = (u32_at(plc, k * 4), u32_at(plc, k * 4 + 4)) else {
            break;
        };
        let pcd = 4 * (n + 1) + k * 8;
        let Some(fc_raw) = u32_at(plc, pcd + 2) else {
            break;
        };
        let count = cp1.saturating_sub(cp0) as usize;
        let compressed = fc_raw & 0x4000_0000 != 0;
        let fc = (fc_raw & 0x3FFF_FFFF) as usize;
        if compressed {
            let start = fc / 2;
            let raw = wd
                .get(start..start.saturating_add(count).min(wd.len()))
                .unwrap_or_default();
            out.extend(decode_1252(raw));
        } else {
            let raw = wd
                .get(fc..fc.saturating_add(count.saturating_mul(2)).min(wd.len()))
                .unwrap_or_default();
            out.extend(
                raw.chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]])),
            );
        }
        if out.len() >= cap {
            out.truncate(cap);
            break;
        }
    }
    Ok(out)
}

/// Compressed text: code page 1252 bytes as UTF-16 units.
fn decode_1252(raw: &[u8]) -> Vec<u16> {
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(raw);
    text.encode_utf16().collect()
}

/// A story's paragraphs as clean text, fields resolved.
fn paragraphs(units: &[u16]) -> Vec<String> {
    let mut out = Vec::new();
    let mut w = Clean::default();
    for &u in units {
        match u {
            0x0D | 0x07 | 0x0C => {
                let t = w.take();
                if !t.is_empty() {
                    out.push(t);
                }
            }
            _ => w.push(u),
        }
    }
    let t = w.take();
    if !t.is_empty() {
        out.push(t);
    }
    out
}

/// Text with field codes dropped and special characters mapped.
#[derive(Default)]
struct Clean {
    units: Vec<u16>,
    /// Open fields: `true` while in the code part.
    fields: Vec<bool>,
    /// The code of the outermost open field, up to [`MAX_FIELD_CODE`] units: an `EQ` field
    /// without a result (Word's ruby) gives its text from the code.
    code: Vec<u16>,
}

/// Most units of a field code kept for reading an `EQ` field.
const MAX_FIELD_CODE: usize = 4096;

impl Clean {
    fn push(&mut self, u: u16) {
        match u {
            0x13 => {
                if self.fields.len() < 64 {
                    self.fields.push(true);
                }
                if self.fields.len() == 1 {
                    self.code.clear();
                }
            }
            0x14 => {
                if let Some(f) = self.fields.last_mut() {
                    *f = false;
                }
            }
            0x15 => {
                let no_result = self.fields.pop() == Some(true);
                if no_result && self.fields.is_empty() {
                    let code = std::mem::take(&mut self.code);
                    self.units.extend(eq_text(&code));
                }
            }
            _ if self.in_code() => {
                if self.fields.len() == 1 && self.code.len() < MAX_FIELD_CODE {
                    self.code.push(u);
                }
            }
            0x0B => self.units.push(u16::from(b'\n')),
            0x09 => self.units.push(u),
            0x1E => self.units.push(u16::from(b'-')),
            0xA0 => self.units.push(u16::from(b' ')),
            _ if u < 0x20 => {}
            _ => self.units.push(u),
        }
    }

    fn in_code(&self) -> bool {
        self.fields.iter().any(|&code| code)
    }

    fn take(&mut self) -> String {
        let s = String::from_utf16_lossy(&self.units);
        self.units.clear();
        s.trim().to_string()
    }
}

/// The text an `EQ` field shows when Word stored no result for it, read from its code: the
/// text inside the parentheses of its switches, without the switches, and without the
/// raised or lowered argument of `\s` (a ruby's reading, which prints small above its base).
/// `EQ \* jc2 \o\ad(\s\up 10(とうきょう),東京)` gives `東京`. Other fields give nothing.
fn eq_text(code: &[u16]) -> Vec<u16> {
    let text = String::from_utf16_lossy(code);
    let trimmed = text.trim_start();
    let is_eq = trimmed
        .get(..2)
        .is_some_and(|k| k.eq_ignore_ascii_case("EQ"))
        && trimmed[2..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
    if !is_eq {
        return Vec::new();
    }
    let mut out = String::new();
    let mut chars = trimmed[2..].chars().peekable();
    // Parenthesis depth, and the depth of an `\s` argument being skipped (if any).
    let mut depth = 0usize;
    let mut skip_at: Option<usize> = None;
    let mut after_s = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek().copied() {
                Some(n) if n.is_ascii_alphabetic() || n == '*' => {
                    let mut name = String::new();
                    while let Some(&n) = chars.peek() {
                        if n.is_ascii_alphabetic() || n == '*' {
                            name.push(n);
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    // A switch's number (`\up 10`).
                    while chars
                        .peek()
                        .is_some_and(|n| *n == ' ' || n.is_ascii_digit())
                    {
                        chars.next();
                    }
                    if name.eq_ignore_ascii_case("s") {
                        after_s = true;
                    }
                }
                Some(n) => {
                    chars.next();
                    if depth > 0 && skip_at.is_none() {
                        out.push(n);
                    }
                }
                None => {}
            },
            '(' => {
                depth += 1;
                if after_s && skip_at.is_none() {
                    skip_at = Some(depth);
                }
                after_s = false;
            }
            ')' => {
                if skip_at == Some(depth) {
                    skip_at = None;
                }
                depth = depth.saturating_sub(1);
            }
            ',' if depth > 0 && skip_at.is_none() => out.push(' '),
            _ if depth > 0 && skip_at.is_none() => out.push(c),
            _ => {}
        }
    }
    out.trim().encode_utf16().collect()
}

struct Stories {
    blocks: Vec<Block>,
    table: u32,
    in_table: bool,
}

impl Stories {
    /// The main story: paragraphs, and table cells (`\x07`); a `\x07` right after a cell's
    /// (with no text between) is the row-end mark. Without the paragraph properties a
    /// cell's first paragraphs before the first cell mark of a table read as paragraphs.
    fn body(&mut self, units: &[u16]) {
        let mut w = Clean::default();
        let (mut row, mut col) = (0u32, 0u32);
        let mut cell_text = String::new();
        let mut after_row_end = false;
        let mut last_was_cell = false;
        for &u in units {
            match u {
                0x0D | 0x0C if !w.in_code() => {
                    let t = w.take();
                    last_was_cell = false;
                    if self.in_table && !after_row_end {
                        if !t.is_empty() {
                            if !cell_text.is_empty() {
                                cell_text.push('\n');
                            }
                            cell_text.push_str(&t);
                        }
                        continue;
                    }
                    if after_row_end {
                        self.in_table = false;
                        after_row_end = false;
                        self.table += 1;
                        row = 0;
                        col = 0;
                    }
                    if !t.is_empty() {
                        self.blocks.push(Block::new(BlockKind::Paragraph, 1, t));
                    }
                }
                0x07 if !w.in_code() => {
                    let t = w.take();
                    if !t.is_empty() {
                        if !cell_text.is_empty() {
                            cell_text.push('\n');
                        }
                        cell_text.push_str(&t);
                    }
                    if cell_text.is_empty() && last_was_cell {
                        row += 1;
                        col = 0;
                        after_row_end = true;
                        last_was_cell = false;
                        continue;
                    }
                    self.in_table = true;
                    after_row_end = false;
                    let text = std::mem::take(&mut cell_text);
                    if !text.is_empty() {
                        let kind = BlockKind::TableCell {
                            table: self.table,
                            row,
                            col,
                        };
                        self.blocks.push(Block::new(kind, 1, text));
                    }
                    col += 1;
                    last_was_cell = true;
                }
                _ => {
                    if u >= 0x20 || u == 0x09 || u == 0x13 {
                        last_was_cell = false;
                    }
                    w.push(u)
                }
            }
        }
        // Paragraphs read as a cell's whose cell mark never came: without the paragraph
        // properties a table's end can be missed (a nested table's marks are paragraph
        // marks), and the text after it must not be lost with the guess.
        for t in cell_text.split('\n').chain([w.take().as_str()]) {
            if !t.is_empty() {
                self.blocks
                    .push(Block::new(BlockKind::Paragraph, 1, t.to_string()));
            }
        }
    }
}
