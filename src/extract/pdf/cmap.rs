//! CMaps: ToUnicode maps (code → text) and embedded encoding CMaps (code → CID), with the
//! codespace ranges that say how many bytes each code takes.
//!
//! Parsed with the content-stream [`Lexer`]: `begincodespacerange`, `beginbfchar`,
//! `beginbfrange` (string and array forms), `begincidchar`, `begincidrange`. Ranges are kept as
//! ranges, never expanded, so `<0000> <FFFF>` costs one entry.

use std::collections::HashMap;

use super::lexer::{Lexer, Operand};

/// One codespace range: codes of `len` bytes between `lo` and `hi`, byte by byte.
#[derive(Clone, Debug, PartialEq)]
pub struct CodespaceRange {
    pub len: usize,
    pub lo: [u8; 4],
    pub hi: [u8; 4],
}

/// How a byte string splits into character codes.
#[derive(Clone, Debug, PartialEq)]
pub enum CodeSplit {
    /// Every code has this many bytes.
    Fixed(usize),
    /// Codespace ranges from a CMap.
    Ranges(Vec<CodespaceRange>),
    /// Shift-JIS: lead bytes 0x81–0x9F and 0xE0–0xFC start two-byte codes.
    ShiftJis,
    /// EUC and GBK-style: lead bytes 0x81–0xFE start two-byte codes.
    Euc,
    /// Big Five: lead bytes 0xA1–0xFE start two-byte codes.
    Big5,
}

impl CodeSplit {
    /// The next code in `bytes` and its length in bytes (at least 1 while bytes remain).
    pub fn next(&self, bytes: &[u8]) -> (u32, usize) {
        let two_byte = |lead: bool| {
            if lead && bytes.len() >= 2 {
                ((bytes[0] as u32) << 8 | bytes[1] as u32, 2)
            } else {
                (bytes.first().copied().unwrap_or(0) as u32, 1)
            }
        };
        match self {
            CodeSplit::Fixed(n) => {
                let n = (*n).clamp(1, 4).min(bytes.len().max(1));
                (be(bytes.get(..n).unwrap_or(bytes)), n)
            }
            CodeSplit::Ranges(ranges) => {
                for len in 1..=4usize {
                    let Some(code) = bytes.get(..len) else {
                        break;
                    };
                    if ranges.iter().any(|r| {
                        r.len == len
                            && code
                                .iter()
                                .enumerate()
                                .all(|(i, &b)| r.lo[i] <= b && b <= r.hi[i])
                    }) {
                        return (be(code), len);
                    }
                }
                // No range matches: take the shortest length the CMap uses.
                let n = ranges
                    .iter()
                    .map(|r| r.len)
                    .min()
                    .unwrap_or(1)
                    .min(bytes.len())
                    .max(1);
                (be(bytes.get(..n).unwrap_or(bytes)), n)
            }
            CodeSplit::ShiftJis => {
                let lead = bytes
                    .first()
                    .is_some_and(|&b| (0x81..=0x9F).contains(&b) || (0xE0..=0xFC).contains(&b));
                two_byte(lead)
            }
            CodeSplit::Euc => two_byte(bytes.first().is_some_and(|&b| b >= 0x81 && b != 0xFF)),
            CodeSplit::Big5 => two_byte(bytes.first().is_some_and(|&b| b >= 0xA1 && b != 0xFF)),
        }
    }
}

fn be(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, &b| acc << 8 | b as u32)
}

/// A parsed CMap: codespace, code → text (ToUnicode) and code → CID (encoding CMaps).
#[derive(Clone, Debug, Default)]
pub struct CMap {
    pub codespace: Vec<CodespaceRange>,
    /// Single codes → text.
    text: HashMap<u32, Box<str>>,
    /// Ranges `lo..=hi` → text of `lo`, the last character incremented along the range.
    text_ranges: Vec<(u32, u32, Box<str>)>,
    /// Ranges whose destinations are listed one by one (the array form of bfrange).
    cids: HashMap<u32, u32>,
    cid_ranges: Vec<(u32, u32, u32)>,
    /// `usecmap` of a predefined CMap, by name.
    pub uses: Option<Vec<u8>>,
}

/// Most entries read from one CMap; a larger map is cut off there.
const MAX_ENTRIES: usize = 1 << 20;

fn utf16be_to_string(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| {
            if c.len() == 2 {
                (c[0] as u16) << 8 | c[1] as u16
            } else {
                c[0] as u16
            }
        })
        .collect();
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

/// The text of a bfrange destination incremented by `delta` (its last character advanced).
fn offset_text(base: &str, delta: u32) -> String {
    let mut out: String = base.to_string();
    if delta == 0 {
        return out;
    }
    if let Some(last) = out.pop() {
        let c = char::from_u32(last as u32 + delta).unwrap_or('\u{FFFD}');
        out.push(c);
    }
    out
}

impl CMap {
    /// Parse CMap data (decoded stream bytes). Damaged parts are skipped.
    pub fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut lx = Lexer::new(data);
        let mut entries = 0usize;
        // Sections collect operands across lines until their `end…` keyword, so the lexer's
        // per-operator operand list holds one whole section.
        while let Some(op) = lx.next_op() {
            match op {
                b"endcodespacerange" => {
                    let strs = strings(&lx);
                    for pair in strs.chunks(2) {
                        if let [lo, hi] = pair {
                            if lo.len() == hi.len() && (1..=4).contains(&lo.len()) {
                                let mut r = CodespaceRange {
                                    len: lo.len(),
                                    lo: [0; 4],
                                    hi: [0; 4],
                                };
                                r.lo[..lo.len()].copy_from_slice(lo);
                                r.hi[..hi.len()].copy_from_slice(hi);
                                cmap.codespace.push(r);
                            }
                        }
                    }
                }
                b"endbfchar" => {
                    let items = items(&lx);
                    for pair in items.chunks(2) {
                        if let [Item::Str(src), dst] = pair {
                            if entries >= MAX_ENTRIES {
                                break;
                            }
                            entries += 1;
                            let text = match dst {
                                Item::Str(d) => utf16be_to_string(d),
                                Item::Name(n) => {
                                    let mut s = String::new();
                                    super::glyphlist::name_to_unicode(n, &mut s);
                                    s
                                }
                                _ => continue,
                            };
                            cmap.text.insert(be(src), text.into_boxed_str());
                        }
                    }
                }
                b"endbfrange" => {
                    let items = items(&lx);
                    let mut i = 0;
                    while i + 2 < items.len() && entries < MAX_ENTRIES {
                        let (Item::Str(lo), Item::Str(hi)) = (&items[i], &items[i + 1]) else {
                            i += 1;
                            continue;
                        };
                        let (lo, hi) = (be(lo), be(hi));
                        match &items[i + 2] {
                            Item::Str(dst) => {
                                if lo <= hi {
                                    cmap.text_ranges.push((
                                        lo,
                                        hi,
                                        utf16be_to_string(dst).into_boxed_str(),
                                    ));
                                    entries += 1;
                                }
                                i += 3;
                            }
                            Item::Array(list) => {
                                for (k, d) in list.iter().enumerate() {
                                    let code = lo.saturating_add(k as u32);
                                    if code > hi || entries >= MAX_ENTRIES {
                                        break;
                                    }
                                    entries += 1;
                                    cmap.text
                                        .insert(code, utf16be_to_string(d).into_boxed_str());
                                }
                                i += 3;
                            }
                            Item::Name(_) | Item::Num(_) => i += 3,
                        }
                    }
                }
                b"endcidchar" => {
                    let items = items(&lx);
                    for pair in items.chunks(2) {
                        if let [Item::Str(src), Item::Num(cid)] = pair {
                            if entries < MAX_ENTRIES {
                                entries += 1;
                                cmap.cids.insert(be(src), *cid);
                            }
                        }
                    }
                }
                b"endcidrange" => {
                    let items = items(&lx);
                    for t in items.chunks(3) {
                        if let [Item::Str(lo), Item::Str(hi), Item::Num(cid)] = t {
                            if entries < MAX_ENTRIES && be(lo) <= be(hi) {
                                entries += 1;
                                cmap.cid_ranges.push((be(lo), be(hi), *cid));
                            }
                        }
                    }
                }
                b"usecmap" => {
                    if let Some(n) = lx.last_name() {
                        cmap.uses = Some(n.to_vec());
                    }
                }
                _ => {}
            }
        }
        cmap.text_ranges.sort_by_key(|r| r.0);
        cmap.cid_ranges.sort_by_key(|r| r.0);
        cmap
    }

    /// The text for `code`, appended to `out`; `false` if the map has none.
    pub fn lookup(&self, code: u32, out: &mut String) -> bool {
        if let Some(t) = self.text.get(&code) {
            out.push_str(t);
            return true;
        }
        // The last range starting at or before `code`; ranges rarely overlap.
        let idx = self.text_ranges.partition_point(|r| r.0 <= code);
        for r in self.text_ranges[..idx].iter().rev().take(4) {
            if code <= r.1 {
                out.push_str(&offset_text(&r.2, code - r.0));
                return true;
            }
        }
        false
    }

    /// Whether the map sends a range of at least 32 codes onto the same Unicode values
    /// (`<0000> <007F> <0000>`): its writer used Unicode values as codes.
    pub fn maps_codes_to_themselves(&self) -> bool {
        self.text_ranges.iter().any(|(lo, hi, t)| {
            hi.saturating_sub(*lo) >= 31 && {
                let mut chars = t.chars();
                matches!((chars.next(), chars.next()), (Some(c), None) if c as u32 == *lo)
            }
        })
    }

    /// Whether the map says anything about text at all.
    pub fn has_text(&self) -> bool {
        !self.text.is_empty() || !self.text_ranges.is_empty()
    }

    /// The CID for `code` in an encoding CMap.
    pub fn cid(&self, code: u32) -> Option<u32> {
        if let Some(c) = self.cids.get(&code) {
            return Some(*c);
        }
        let idx = self.cid_ranges.partition_point(|r| r.0 <= code);
        self.cid_ranges[..idx]
            .iter()
            .rev()
            .take(4)
            .find(|r| code <= r.1)
            .map(|r| r.2 + (code - r.0))
    }
}

enum Item {
    Str(Vec<u8>),
    Name(Vec<u8>),
    Num(u32),
    Array(Vec<Vec<u8>>),
}

fn strings(lx: &Lexer) -> Vec<Vec<u8>> {
    lx.operands
        .iter()
        .filter_map(|o| match o {
            Operand::Str(r) => Some(lx.bytes(r).to_vec()),
            _ => None,
        })
        .collect()
}

fn items(lx: &Lexer) -> Vec<Item> {
    let mut out = Vec::new();
    let mut array: Option<Vec<Vec<u8>>> = None;
    for o in &lx.operands {
        match o {
            Operand::ArrayStart => array = Some(Vec::new()),
            Operand::ArrayEnd => {
                if let Some(a) = array.take() {
                    out.push(Item::Array(a));
                }
            }
            Operand::Str(r) => match array.as_mut() {
                Some(a) => a.push(lx.bytes(r).to_vec()),
                None => out.push(Item::Str(lx.bytes(r).to_vec())),
            },
            Operand::Name(r) if array.is_none() => out.push(Item::Name(lx.bytes(r).to_vec())),
            Operand::Num(n) if array.is_none() => out.push(Item::Num(n.max(0.0) as u32)),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <0020> <0011> <00660069> endbfchar
2 beginbfrange <0024> <0026> <0041> <0030> <0031> [<00E9> <00E8>] endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn bfchar_and_bfrange() {
        let c = CMap::parse(SAMPLE);
        let get = |code| {
            let mut s = String::new();
            c.lookup(code, &mut s).then_some(s)
        };
        assert_eq!(get(3).as_deref(), Some(" "));
        assert_eq!(get(0x11).as_deref(), Some("fi"));
        assert_eq!(get(0x24).as_deref(), Some("A"));
        assert_eq!(get(0x26).as_deref(), Some("C"));
        assert_eq!(get(0x30).as_deref(), Some("é"));
        assert_eq!(get(0x31).as_deref(), Some("è"));
        assert_eq!(get(0x27), None);
        assert_eq!(c.codespace.len(), 1);
        assert_eq!(
            CodeSplit::Ranges(c.codespace).next(&[0, 0x24, 0]),
            (0x24, 2)
        );
    }

    #[test]
    fn mixed_codespace_lengths() {
        let c = CMap::parse(
            b"2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange
              1 begincidrange <8140> <817E> 633 endcidrange 1 begincidchar <41> 34 endcidchar",
        );
        let split = CodeSplit::Ranges(c.codespace.clone());
        assert_eq!(split.next(b"A\x81\x41"), (0x41, 1));
        assert_eq!(split.next(b"\x81\x41"), (0x8141, 2));
        assert_eq!(c.cid(0x8141), Some(634));
        assert_eq!(c.cid(0x41), Some(34));
    }
}
