//! Legacy Word 97-2003 `.doc` files: the `cfb` crate reads the OLE container, the rest is ours.
//!
//! The `WordDocument` stream starts with the FIB: its flags say whether the file is encrypted
//! (then [`Error::PasswordRequired`]) and which table stream (`0Table` or `1Table`) holds the
//! piece table (the CLX at `fcClx`). Each piece maps a range of character positions to bytes
//! of `WordDocument`, compressed (one byte per character, code page 1252) or UTF-16. The text
//! runs through the character positions in story order: main text (`ccpText`), footnotes,
//! headers, annotations, endnotes, text boxes, header text boxes (read with the headers).
//! Within a story: `\r` ends a paragraph, `\x07` ends a table cell, `\x0b` is a line
//! break, fields keep their result and drop their code
//! (`\x13 code \x14 result \x15`; an `EQ` field with no result, as Word stores a ruby, gives
//! its base text from the code), and the marks of pictures and objects are dropped; an
//! automatically numbered footnote's or endnote's reference (`PlcffndRef`, `PlcfendRef`)
//! gives its number where it is cited, in the format the DOP gives that kind of note
//! (`nfcFtnRef`, `nfcEdnRef`: Word's defaults are 1, 2, 3 and i, ii, iii), raised
//! (superscript digits, as in [`super::odf`], and modifier letters). Tracked changes as
//! the document prints: text whose character properties (the CHPX bin table,
//! `PlcBteChpx`) mark it deleted (`sprmCFRMarkDel`) is dropped from every story,
//! insertions are kept, and either sets `has_revisions`. Word 6/95
//! files (no piece table) are read from `fcMin` to `fcMac` as code page 1252 text.
//!
//! The main story's paragraph properties come from the PAPX bin table (`PlcBtePapx`, its
//! 512-byte FKP pages in `WordDocument`), found for each paragraph or cell mark through the
//! piece table: `sprmPFInTable` says whether a paragraph is in a table (a cell's first
//! paragraphs, and a table's end that the marks alone would miss), `sprmPFTtp` which cell
//! mark ends a row (an empty cell is not a row end), and `sprmPIlfo`/`sprmPIlvl` (the
//! paragraph's own, else its style's, through the style's bases in the style sheet at
//! `fcStshf`) make a paragraph a list item. Its number is computed from the list tables as
//! Word prints it: `PlfLst` (each list's levels: start, number format, number text with the
//! levels' placeholders) and `PlfLfo` (the overrides paragraphs name, with their restarts);
//! counters run per list and restart below a new item; bullets get no label. Without a
//! readable bin table the marks alone are used, as before: a second `\x07` after an empty
//! cell ends the row.
//!
//! Not read: style names and outline levels (so no headings), which header story is a footer
//! (all are headers here), formatting. Stream reads are bounded by the file's size, list
//! tables by [`MAX_LISTS`], style sheets by [`MAX_STYLES`], bin tables by [`MAX_BTE`].

use std::io::{Cursor, Read};

use crate::document::{Block, BlockKind, Document, Format, Metadata};
use crate::error::{Error, Result};
use crate::limits::{Deadline, Limits};

use super::wordlist::{self, MAX_LISTS};

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
    let mut has_revisions = false;
    let text: Vec<u16>;
    let mut counts = [0u32; 8];
    let mut papx: Option<Papx<'_>> = None;
    let mut lists = Lists::default();
    let mut note_refs = NoteRefs::default();
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
        let (mut units, map) = pieces(clx, &wd, total, limits, deadline)?;
        let fib = |k: usize| {
            (
                u32_at(&wd, fc_lcb + k * 8).unwrap_or(0) as usize,
                u32_at(&wd, fc_lcb + k * 8 + 4).unwrap_or(0) as usize,
            )
        };
        // fcPlcfBteChpx: tracked changes, from the character properties. The document as
        // it prints: deleted text is dropped, insertions are kept.
        let (deleted, revised) = deleted_runs(&wd, &table, fib(12), deadline)?;
        has_revisions = revised;
        drop_deleted(&mut units, &map, &deleted);
        text = units;
        // fcPlcfBtePapx, fcPlfLst, fcPlfLfo.
        let (bte_fc, bte_lcb) = fib(13);
        let mut props = Papx::new(&wd, &table, bte_fc, bte_lcb, map);
        // fcStshf: the style sheet.
        let (st_fc, st_lcb) = fib(1);
        props.styles = style_lists(&table, st_fc, st_lcb);
        papx = Some(props);
        lists = Lists::read(&table, fib(73), fib(74));
        // fcPlcffndRef and fcPlcfendRef: the CPs of the footnote and endnote references,
        // then an FRD each (2 bytes); fcDop: the document's number formats of the marks.
        let (dop_fc, dop_lcb) = fib(31);
        let dop = table
            .get(dop_fc..dop_fc.saturating_add(dop_lcb))
            .unwrap_or_default();
        note_refs = NoteRefs {
            footnotes: ref_cps(&table, fib(2)),
            endnotes: ref_cps(&table, fib(46)),
            // Dop97's nfcFtnRef and nfcEdnRef; Word's defaults (1, 2, 3 and i, ii, iii)
            // where the DOP is older or short.
            footnote_nfc: u16_at(dop, 492).map_or(0, |v| v as u8),
            endnote_nfc: u16_at(dop, 494).map_or(2, |v| v as u8),
        };
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
    // Text boxes in headers and footers (a letterhead's address, a confidentiality notice)
    // are part of the headers.
    let header_boxes = story(counts[7]);
    let mut header_blocks = Vec::new();
    for p in paragraphs(headers)
        .into_iter()
        .chain(paragraphs(header_boxes))
    {
        if !header_blocks.contains(&p) {
            header_blocks.push(p);
        }
    }
    r.blocks.extend(
        header_blocks
            .into_iter()
            .map(|t| Block::new(BlockKind::Header, 1, t)),
    );
    deadline.check()?;
    r.body(main, papx.as_ref(), &mut lists, &note_refs);
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
        has_revisions,
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
) -> Result<(Vec<u16>, Vec<Piece>)> {
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
    let mut map = Vec::new();
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
        if cp1 > cp0 {
            map.push(Piece {
                cp0,
                cp1,
                fc: if compressed { fc / 2 } else { fc } as u32,
                compressed,
            });
        }
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
    // Pieces are in CP order in a sound file; sorted, a damaged one is still searchable.
    map.sort_by_key(|p| p.cp0);
    Ok((out, map))
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
    for &u in units.iter().filter(|&&u| u != DELETED) {
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
    /// The main story: paragraphs, list items and table cells. With the paragraph
    /// properties (PAPX), a paragraph is in a table or not as `sprmPFInTable` says, a cell
    /// mark with `sprmPFTtp` ends a row, and a paragraph in a list (`sprmPIlfo`,
    /// `sprmPIlvl`) is a list item, its number computed from the list tables. Without
    /// them, a `\x07` right after a cell's (with no text between) is the row-end mark, and a
    /// cell's first paragraphs before the first cell mark of a table read as paragraphs.
    fn body(
        &mut self,
        units: &[u16],
        papx: Option<&Papx<'_>>,
        lists: &mut Lists,
        note_refs: &NoteRefs,
    ) {
        let mut w = Clean::default();
        let (mut footnotes, mut endnotes) = (0u32, 0u32);
        let (mut row, mut col) = (0u32, 0u32);
        let mut cell_text = String::new();
        let mut after_row_end = false;
        let mut last_was_cell = false;
        for (cp, &u) in units.iter().enumerate() {
            if u == DELETED {
                continue;
            }
            let props = || papx.and_then(|p| p.read(u32::try_from(cp).ok()?));
            match u {
                0x0D | 0x0C if !w.in_code() => {
                    let known = if u == 0x0D { props() } else { None };
                    let mut t = w.take();
                    let mut kind = BlockKind::Paragraph;
                    if let Some(p) = known.filter(|p| p.ilfo > 0) {
                        kind = BlockKind::ListItem {
                            level: p.ilvl.min(8),
                        };
                        if let Some(label) = lists.label(p.ilfo, p.ilvl) {
                            if !t.is_empty() {
                                t = format!("{label} {t}");
                            }
                        }
                    }
                    last_was_cell = false;
                    if let Some(p) = known {
                        if p.in_table && !self.in_table {
                            // A cell's first paragraph, before any cell mark.
                            self.in_table = true;
                            after_row_end = false;
                        } else if !p.in_table && self.in_table {
                            // The table ended (a missed row end, or a nested table's).
                            after_row_end = true;
                            for t in std::mem::take(&mut cell_text).split('\n') {
                                if !t.is_empty() {
                                    self.blocks.push(Block::new(
                                        BlockKind::Paragraph,
                                        1,
                                        t.to_string(),
                                    ));
                                }
                            }
                        }
                    }
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
                        self.blocks.push(Block::new(kind, 1, t));
                    }
                }
                0x07 if !w.in_code() => {
                    let known = props();
                    let mut t = w.take();
                    if let Some(p) = known.filter(|p| p.ilfo > 0 && !p.ttp) {
                        if let Some(label) = lists.label(p.ilfo, p.ilvl) {
                            if !t.is_empty() {
                                t = format!("{label} {t}");
                            }
                        }
                    }
                    if !t.is_empty() {
                        if !cell_text.is_empty() {
                            cell_text.push('\n');
                        }
                        cell_text.push_str(&t);
                    }
                    let row_end = match known {
                        Some(p) => p.ttp,
                        None => cell_text.is_empty() && last_was_cell,
                    };
                    if row_end {
                        row += 1;
                        col = 0;
                        after_row_end = true;
                        last_was_cell = false;
                        cell_text.clear();
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
                // An automatically numbered note's reference: its number in the document's
                // format for that kind of note, raised, as printed.
                0x02 if note_refs.kind_at(cp).is_some() => {
                    let (n, nfc) = match note_refs.kind_at(cp) {
                        Some(true) => {
                            endnotes = endnotes.saturating_add(1);
                            (endnotes, note_refs.endnote_nfc)
                        }
                        _ => {
                            footnotes = footnotes.saturating_add(1);
                            (footnotes, note_refs.footnote_nfc)
                        }
                    };
                    last_was_cell = false;
                    for c in raised(&wordlist::number(nfc, n)).encode_utf16() {
                        w.push(c);
                    }
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

/// The automatically numbered notes' references in the main story (`PlcffndRef`,
/// `PlcfendRef`: their CPs, sorted) and the number formats (`nfc`) of their marks.
#[derive(Debug, Default)]
struct NoteRefs {
    footnotes: Vec<u32>,
    endnotes: Vec<u32>,
    footnote_nfc: u8,
    endnote_nfc: u8,
}

impl NoteRefs {
    /// `Some(false)` where a footnote is cited at `cp`, `Some(true)` where an endnote is.
    fn kind_at(&self, cp: usize) -> Option<bool> {
        let cp = u32::try_from(cp).ok()?;
        if self.footnotes.binary_search(&cp).is_ok() {
            Some(false)
        } else if self.endnotes.binary_search(&cp).is_ok() {
            Some(true)
        } else {
            None
        }
    }
}

/// The CPs of a PLC of note references (`(fc, lcb)` in the table stream): n + 1 CPs, then
/// an FRD (2 bytes) each; sorted.
fn ref_cps(table: &[u8], (fc, lcb): (usize, usize)) -> Vec<u32> {
    let refs = table.get(fc..fc.saturating_add(lcb)).unwrap_or_default();
    let n = refs.len().saturating_sub(4) / 6;
    let mut cps: Vec<u32> = (0..n).filter_map(|k| u32_at(refs, k * 4)).collect();
    cps.sort_unstable();
    cps
}

/// A note's mark as printed, raised: digits as superscript digits (as
/// [`super::odf::superscript`]), and the lowercase letters of lettered and roman marks
/// (Word numbers endnotes i, ii, iii by default) as modifier letters, which NFKC reads as
/// the letters ("endnoteⁱ"). Other characters as they are.
fn raised(t: &str) -> String {
    const LETTERS: [char; 26] = [
        'ᵃ', 'ᵇ', 'ᶜ', 'ᵈ', 'ᵉ', 'ᶠ', 'ᵍ', 'ʰ', 'ⁱ', 'ʲ', 'ᵏ', 'ˡ', 'ᵐ', 'ⁿ', 'ᵒ', 'ᵖ', 'q', 'ʳ',
        'ˢ', 'ᵗ', 'ᵘ', 'ᵛ', 'ʷ', 'ˣ', 'ʸ', 'ᶻ',
    ];
    super::odf::superscript(t)
        .chars()
        .map(|c| match c {
            'a'..='z' => LETTERS[(c as u8 - b'a') as usize],
            c => c,
        })
        .collect()
}

/// The byte offset in `WordDocument` of the character at `cp`, through the pieces.
fn fc_of(pieces: &[Piece], cp: u32) -> Option<u32> {
    let i = pieces.partition_point(|p| p.cp1 <= cp);
    let p = pieces.get(i).filter(|p| p.cp0 <= cp)?;
    let step = if p.compressed { 1 } else { 2 };
    p.fc.checked_add((cp - p.cp0).checked_mul(step)?)
}

/// A unit of the text that a tracked change deleted: skipped by every story's reader.
const DELETED: u16 = 0xFFFF;

/// The byte ranges of `WordDocument` whose character properties mark them deleted as a
/// tracked change (`sprmCFRMarkDel`), sorted and merged, from the CHPX bin table
/// (`PlcBteChpx` at `(fc, lcb)`: 512-byte FKP pages, each run's CHPX a byte count and its
/// sprms); and whether any run is marked deleted or inserted (`sprmCFRMarkIns`). At most
/// as many pages are read as `WordDocument` holds.
fn deleted_runs(
    wd: &[u8],
    table: &[u8],
    (fc, lcb): (usize, usize),
    deadline: &Deadline,
) -> Result<(Vec<(u32, u32)>, bool)> {
    let plc = table.get(fc..fc.saturating_add(lcb)).unwrap_or_default();
    let n = (plc.len().saturating_sub(4) / 8).min(wd.len() / 512 + 1);
    let mut runs = Vec::new();
    let mut revised = false;
    for k in 0..n {
        if k % 1024 == 0 {
            deadline.check()?;
        }
        let Some(pn) = u32_at(plc, (n + 1) * 4 + k * 4).map(|p| (p & 0x003F_FFFF) as usize) else {
            break;
        };
        let Some(page) = pn
            .checked_mul(512)
            .and_then(|at| wd.get(at..at.checked_add(512)?))
        else {
            continue;
        };
        let crun = usize::from(page[511]);
        for i in 0..crun {
            let (Some(a), Some(b)) = (u32_at(page, i * 4), u32_at(page, i * 4 + 4)) else {
                break;
            };
            let Some(off) = page.get((crun + 1) * 4 + i).map(|&o| usize::from(o) * 2) else {
                break;
            };
            let Some(&cb) = page.get(off).filter(|_| off != 0) else {
                continue;
            };
            let end = (off + 1 + usize::from(cb)).min(511);
            let grpprl = page.get(off + 1..end).unwrap_or_default();
            for (sprm, arg) in Sprms(grpprl) {
                let on = arg.first().is_some_and(|&v| v != 0);
                match sprm {
                    0x0800 if on => {
                        revised = true;
                        if a < b {
                            runs.push((a, b));
                        }
                    }
                    0x0801 if on => revised = true,
                    _ => {}
                }
            }
        }
    }
    runs.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(runs.len());
    for (a, b) in runs {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    Ok((merged, revised))
}

/// Mark as [`DELETED`] the units whose bytes lie in a deleted run.
fn drop_deleted(units: &mut [u16], pieces: &[Piece], deleted: &[(u32, u32)]) {
    if deleted.is_empty() {
        return;
    }
    for (cp, u) in units.iter_mut().enumerate() {
        let Some(fc) = u32::try_from(cp).ok().and_then(|cp| fc_of(pieces, cp)) else {
            continue;
        };
        let i = deleted.partition_point(|&(a, _)| a <= fc);
        if i > 0 && fc < deleted[i - 1].1 {
            *u = DELETED;
        }
    }
}

/// A piece of the text: its character positions and where its bytes are in `WordDocument`.
#[derive(Clone, Copy, Debug)]
struct Piece {
    cp0: u32,
    cp1: u32,
    /// Byte offset of the piece's first character.
    fc: u32,
    compressed: bool,
}

/// The paragraph properties that matter here, from a paragraph's PAPX.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct ParaProps {
    /// `sprmPIlfo`: 1-based index into the LFO table; 0 (or negative) is no list.
    ilfo: i16,
    /// `sprmPIlvl`.
    ilvl: u8,
    /// `sprmPFInTable`.
    in_table: bool,
    /// `sprmPFTtp`: the row-end mark of a table row.
    ttp: bool,
}

/// Most PAPX bin-table pages read; each is one 512-byte FKP.
const MAX_BTE: usize = 1 << 20;

/// Paragraph properties by character position: the piece table maps a paragraph mark's
/// CP to its byte offset, the PAPX bin table (`PlcBtePapx`) that offset to a 512-byte FKP
/// page of `WordDocument`, and the FKP to the paragraph's sprms.
struct Papx<'a> {
    wd: &'a [u8],
    pieces: Vec<Piece>,
    /// The bin table's byte offsets (one more than pages) and page numbers.
    fcs: Vec<u32>,
    pns: Vec<u32>,
    /// Per paragraph style (`istd`): the list it puts its paragraphs in, through its bases.
    styles: Vec<StyleList>,
}

impl<'a> Papx<'a> {
    fn new(wd: &'a [u8], table: &[u8], fc: usize, lcb: usize, pieces: Vec<Piece>) -> Papx<'a> {
        let plc = table.get(fc..fc.saturating_add(lcb)).unwrap_or_default();
        let n = (plc.len().saturating_sub(4) / 8).min(MAX_BTE);
        let fcs = (0..=n)
            .filter_map(|k| u32_at(plc, k * 4))
            .collect::<Vec<_>>();
        let pns = (0..n)
            .filter_map(|k| u32_at(plc, (n + 1) * 4 + k * 4).map(|p| p & 0x003F_FFFF))
            .collect::<Vec<_>>();
        Papx {
            wd,
            pieces,
            fcs,
            pns,
            styles: Vec::new(),
        }
    }

    fn fc_of(&self, cp: u32) -> Option<u32> {
        fc_of(&self.pieces, cp)
    }

    /// The properties of the paragraph whose mark is at `cp`; `None` where the bin table or
    /// its page cannot be read.
    fn read(&self, cp: u32) -> Option<ParaProps> {
        let fc = self.fc_of(cp)?;
        let k = self.fcs.partition_point(|&f| f <= fc).checked_sub(1)?;
        let pn = *self.pns.get(k)? as usize;
        let page = self
            .wd
            .get(pn.checked_mul(512)?..pn.checked_mul(512)?.checked_add(512)?)?;
        let crun = usize::from(page[511]);
        let rgfc = |i: usize| u32_at(page, i * 4);
        let i = (0..crun)
            .find(|&i| rgfc(i).is_some_and(|a| a <= fc) && rgfc(i + 1).is_some_and(|b| fc < b))?;
        let off = usize::from(*page.get((crun + 1) * 4 + i * 13)?) * 2;
        if off == 0 {
            return Some(ParaProps::default());
        }
        let cb = usize::from(*page.get(off)?);
        let (start, len) = if cb == 0 {
            (off + 2, usize::from(*page.get(off + 1)?) * 2)
        } else {
            (off + 1, (cb * 2).saturating_sub(1))
        };
        // The grpprl follows the style index.
        let istd = usize::from(u16_at(page, start).unwrap_or(0));
        let grpprl = page.get(start.checked_add(2)?..start.checked_add(len)?.min(511))?;
        let mut props = ParaProps::default();
        let style = self.styles.get(istd).copied().unwrap_or_default();
        let (mut ilfo, mut ilvl) = (style.ilfo, style.ilvl);
        for (sprm, arg) in Sprms(grpprl) {
            match sprm {
                0x260A => ilvl = arg.first().copied(),
                0x460B => ilfo = u16_at(arg, 0).map(|v| v as i16),
                0x2416 => props.in_table = arg.first().is_some_and(|&b| b != 0),
                0x2417 => props.ttp = arg.first().is_some_and(|&b| b != 0),
                _ => {}
            }
        }
        props.ilfo = ilfo.unwrap_or(0);
        props.ilvl = ilvl.unwrap_or(0);
        Some(props)
    }
}

/// The list a paragraph style puts its paragraphs in (`sprmPIlfo`, `sprmPIlvl` in its
/// paragraph UPX or its bases'), where it names one.
#[derive(Clone, Copy, Debug, Default)]
struct StyleList {
    ilfo: Option<i16>,
    ilvl: Option<u8>,
}

/// Most styles read from the style sheet.
const MAX_STYLES: usize = 4096;

/// The lists of the paragraph styles of the style sheet (`STSH` at `fcStshf`), by `istd`.
/// A damaged sheet gives the styles read before the damage.
fn style_lists(table: &[u8], fc: usize, lcb: usize) -> Vec<StyleList> {
    let Some(sheet) = table.get(fc..fc.saturating_add(lcb)) else {
        return Vec::new();
    };
    let cb_stshi = usize::from(u16_at(sheet, 0).unwrap_or(0));
    let cstd = usize::from(u16_at(sheet, 2).unwrap_or(0)).min(MAX_STYLES);
    let cb_base = usize::from(u16_at(sheet, 4).unwrap_or(0));
    // Per style: its own list sprms and its base style.
    let mut own: Vec<(StyleList, usize)> = Vec::with_capacity(cstd);
    let mut at = 2 + cb_stshi;
    for _ in 0..cstd {
        let Some(cb) = u16_at(sheet, at).map(usize::from) else {
            break;
        };
        let Some(std) = sheet.get(at + 2..at + 2 + cb) else {
            break;
        };
        at += 2 + cb;
        own.push(std_list(std, cb_base).unwrap_or((StyleList::default(), 0xFFF)));
    }
    (0..own.len())
        .map(|istd| {
            let mut out = StyleList::default();
            let mut k = istd;
            // Up the bases, at most 16 deep: the nearest style that says wins.
            for _ in 0..16 {
                let Some((list, base)) = own.get(k) else {
                    break;
                };
                out.ilfo = out.ilfo.or(list.ilfo);
                out.ilvl = out.ilvl.or(list.ilvl);
                if *base == 0xFFF || *base == k {
                    break;
                }
                k = *base;
            }
            out
        })
        .collect()
}

/// One STD's list sprms and base style, if it is a paragraph style.
fn std_list(std: &[u8], cb_base: usize) -> Option<(StyleList, usize)> {
    let stk = u16_at(std, 2)? & 0xF;
    let base = usize::from(u16_at(std, 2)? >> 4);
    if stk != 1 || cb_base < 10 {
        return Some((StyleList::default(), base));
    }
    // The name (a count, the characters, a terminating zero), then the UPXs: the first of
    // a paragraph style is its paragraph properties (an istd, then the sprms).
    let cch = usize::from(u16_at(std, cb_base)?);
    let upx = cb_base + 2 + cch * 2 + 2;
    let cb_upx = usize::from(u16_at(std, upx)?);
    let papx = std.get(upx + 2..upx + 2 + cb_upx)?;
    let mut list = StyleList::default();
    for (sprm, arg) in Sprms(papx.get(2..).unwrap_or_default()) {
        match sprm {
            0x260A => list.ilvl = arg.first().copied(),
            0x460B => list.ilfo = u16_at(arg, 0).map(|v| v as i16),
            _ => {}
        }
    }
    Some((list, base))
}

/// The sprms of a grpprl, with their operands; stops at the first one cut short.
struct Sprms<'a>(&'a [u8]);

impl<'a> Iterator for Sprms<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<(u16, &'a [u8])> {
        let sprm = u16_at(self.0, 0)?;
        let rest = self.0.get(2..)?;
        let (skip, len): (usize, usize) = match sprm >> 13 {
            0 | 1 => (0, 1),
            2 | 4 | 5 => (0, 2),
            3 => (0, 4),
            7 => (0, 3),
            // sprmTDefTable: a two-byte size, one more than the bytes after it.
            _ if sprm == 0xD608 => (2, usize::from(u16_at(rest, 0)?).saturating_sub(1)),
            _ => (1, usize::from(*rest.first()?)),
        };
        let arg = rest.get(skip..skip.checked_add(len)?)?;
        self.0 = rest.get(skip + len..).unwrap_or_default();
        Some((sprm, arg))
    }
}

/// Word's lists as the table stream stores them: the definitions (LST, by `lsid`) and the
/// overrides paragraphs name (LFO, by their 1-based index), read into [`wordlist::Lists`].
#[derive(Debug, Default)]
struct Lists(wordlist::Lists);

impl Lists {
    /// Read `PlfLst` (with the LVLs after it) and `PlfLfo` from the table stream; what is
    /// damaged is left out.
    fn read(table: &[u8], lst: (usize, usize), lfo: (usize, usize)) -> Lists {
        let mut out = wordlist::Lists::default();
        let (fc, lcb) = lst;
        if lcb >= 2 {
            let c_lst = usize::from(u16_at(table, fc).unwrap_or(0)).min(MAX_LISTS);
            let mut at = fc.saturating_add(2).saturating_add(c_lst * 28);
            for k in 0..c_lst {
                let lstf = fc + 2 + k * 28;
                let (Some(lsid), Some(flags)) =
                    (u32_at(table, lstf), table.get(lstf + 26).copied())
                else {
                    break;
                };
                let n = if flags & 1 != 0 { 1 } else { wordlist::LEVELS };
                let mut levels = Vec::with_capacity(n);
                for _ in 0..n {
                    let Some((level, next)) = read_lvl(table, at) else {
                        break;
                    };
                    levels.push(level);
                    at = next;
                }
                out.define(i64::from(lsid as i32), levels);
            }
        }
        let (fc, lcb) = lfo;
        if lcb >= 4 {
            let n = (u32_at(table, fc).unwrap_or(0) as usize).min(MAX_LISTS);
            let mut data = fc.saturating_add(4).saturating_add(n * 16);
            for k in 0..n {
                let lfo = fc + 4 + k * 16;
                let (Some(lsid), Some(clfolvl)) = (u32_at(table, lfo), table.get(lfo + 12)) else {
                    break;
                };
                let (mut restarts, mut levels) = (Vec::new(), Vec::new());
                // LFOData: a CP, then the level overrides (each an LFOLVL, with an LVL
                // when it overrides the format too).
                if data != usize::MAX {
                    data = data.saturating_add(4);
                    for _ in 0..(*clfolvl).min(9) {
                        let (Some(start), Some(flags)) =
                            (u32_at(table, data), u32_at(table, data + 4))
                        else {
                            data = usize::MAX;
                            break;
                        };
                        data += 8;
                        if flags & 0x10 != 0 {
                            restarts.push(((flags & 0xF) as usize, start));
                        }
                        if flags & 0x20 != 0 {
                            match read_lvl(table, data) {
                                Some((level, next)) => {
                                    levels.push(((flags & 0xF) as usize, level));
                                    data = next;
                                }
                                None => {
                                    data = usize::MAX;
                                    break;
                                }
                            }
                        }
                    }
                }
                out.instance(k as i64 + 1, i64::from(lsid as i32), restarts, levels);
            }
        }
        Lists(out)
    }

    /// The label of a paragraph in list `ilfo` at level `ilvl`, advancing the counters;
    /// `None` for a bullet, a level with no number, or a list not defined.
    fn label(&mut self, ilfo: i16, ilvl: u8) -> Option<String> {
        (ilfo > 0).then(|| self.0.label(i64::from(ilfo), ilvl))?
    }
}

/// One LVL at `at`: the level and where the next structure starts.
fn read_lvl(table: &[u8], at: usize) -> Option<(wordlist::Level, usize)> {
    let lvlf = table.get(at..at.checked_add(28)?)?;
    let start = u32_at(lvlf, 0)?;
    let (nfc, flags) = (lvlf[4], lvlf[5]);
    let (chpx, papx) = (usize::from(lvlf[24]), usize::from(lvlf[25]));
    let xst = at + 28 + papx + chpx;
    let cch = usize::from(u16_at(table, xst)?);
    let units = table.get(xst + 2..(xst + 2).checked_add(cch * 2)?)?;
    let text = units
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let level = wordlist::Level {
        start,
        nfc,
        legal: flags & 0x04 != 0,
        text,
    };
    Some((level, xst + 2 + cch * 2))
}
